r"""Scan a text with several word-list patterns at once, trying each only where it can start.

The category cues (``stages.classify``) are alternations of words and phrases,
``\b(?:troops|soldiers|...)\b``. Python's ``re`` tries every alternative at
every word of the text, and with ten such patterns over a post that is most
of the classifier's time. :class:`WordStartScanner` reads each pattern once
(its parse tree) and lists the first few characters any match can begin with;
per text it walks the word starts once, and a pattern is tried (``match`` at
that position) only where the text begins with one of its prefixes.

The matches are exactly those of ``pattern.finditer(text)``: a pattern that
begins with ``\b`` and a word character can only match at a word start, the
prefixes are a superset of what it can match (zero-width parts are skipped,
anything not enumerable ends a prefix early), and the scan keeps
``finditer``'s order and its rule that matches do not overlap. A pattern the
analysis cannot bound (no leading ``\b``, a class that is not enumerable at
its start, IGNORECASE) is scanned with plain ``finditer``; so is a pattern
whose prefixes came from ``\d`` when the text holds a non-ASCII digit (the
prefixes list ASCII digits only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from re import _constants as sre  # type: ignore[attr-defined]  # the parser's node names; stable since 3.11
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, Final

__all__ = ["WordStartScanner", "start_prefixes"]

_WORD_START: Final = re.compile(r"\b\w")
_WORD_CHAR: Final = re.compile(r"\w")
_NON_ASCII_DIGIT: Final = re.compile(r"(?![0-9])\d")
_ASCII_DIGITS: Final = "0123456789"
_MAX_PREFIXES: Final = 4096
"""Past this many prefixes a pattern's prefixes stop growing (shorter prefixes: fewer skips, still exact)."""
_MAX_REMEMBERED: Final = 100_000
"""Distinct word beginnings remembered per scanner before the memo starts afresh."""
_MAX_CLASS: Final = 32
"""A character class with more members than this ends a prefix instead of multiplying it."""


@dataclass
class _Prefixes:
    """What a pattern's matches can start with: strings of at most ``length`` characters."""

    length: int
    closed: set[str] = field(default_factory=set)
    digits: bool = False
    """Some prefix lists ASCII digits for a ``\\d`` (which matches other scripts' digits too)."""
    bounded: bool = True
    """False when some match can start with something no prefix names."""


def _class_chars(items: list[tuple[Any, Any]], found: _Prefixes) -> str | None:
    """The characters a class matches, when few and enumerable (None otherwise)."""
    chars: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            chars.append(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            chars.extend(_ASCII_DIGITS)
            found.digits = True
        else:
            return None  # a negation, \w, \s, a wide range
    return "".join(dict.fromkeys(chars)) if len(chars) <= _MAX_CLASS else None


def _walk(items: list[tuple[Any, Any]], opened: set[str], found: _Prefixes) -> set[str]:
    """Grow the ``opened`` prefixes through ``items``; finished ones go to ``found.closed``; return the open rest."""
    for op, av in items:
        if not opened:
            break
        if op is sre.LITERAL:
            opened = {p + chr(av) for p in opened}
        elif op is sre.IN:
            chars = _class_chars(av, found)
            if chars is None:
                found.closed |= opened
                opened = set()
            else:
                opened = {p + c for p in opened for c in chars}
        elif op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:  # (?i:...) and the like: stop here rather than model case folding
                found.closed |= opened
                opened = set()
            else:
                opened = _walk(sub, opened, found)
        elif op is sre.BRANCH:
            opened = set().union(*(_walk(alt, set(opened), found) for alt in av[1]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = av
            once = _walk(sub, set(opened), found)
            if low == 1 and high == 1:
                grown = once
            else:
                found.closed |= once  # more repeats may follow: the prefix ends after the first
                grown = set()
            opened = (opened if low == 0 else set()) | grown
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width: matches no character, so it cannot change what a match starts with
        else:
            found.closed |= opened  # any character, \w, a back-reference ...: the prefix ends here
            opened = set()
        full = {p for p in opened if len(p) >= found.length}
        found.closed |= full
        opened -= full
        if len(opened) + len(found.closed) > _MAX_PREFIXES:
            found.closed |= opened
            opened = set()
    return opened


def start_prefixes(pattern: re.Pattern[str], length: int = 3) -> _Prefixes:
    """The strings of at most ``length`` characters that every match of ``pattern`` starts with one of."""
    found = _Prefixes(length)
    if pattern.flags & re.IGNORECASE:
        found.bounded = False
        return found
    tree = list(sre_parse.parse(pattern.pattern, pattern.flags))
    # Only a pattern that starts at a word boundary is bound to word starts.
    if not tree or tree[0] != (sre.AT, sre.AT_BOUNDARY):
        found.bounded = False
        return found
    found.closed |= _walk(tree[1:], {""}, found)
    # A match beginning with a non-word character would start at a word's end, not its start.
    if any(not p or not _WORD_CHAR.match(p[0]) for p in found.closed):
        found.bounded = False
    return found


class WordStartScanner:
    """``[list(p.finditer(text)) for p in patterns]``, trying each pattern only at word starts it can begin at."""

    def __init__(self, patterns: Sequence[re.Pattern[str]], *, length: int = 5) -> None:
        self.patterns = tuple(patterns)
        self._length = length
        # prefix -> bit mask of the patterns that can start with it, one table per prefix length
        self._by_length: list[dict[str, int]] = [{} for _ in range(length + 1)]
        self._plain = 0  # patterns scanned with finditer
        self._digits = 0  # patterns whose prefixes list ASCII digits for \d
        for n, pattern in enumerate(self.patterns):
            found = start_prefixes(pattern, length)
            if not found.bounded:
                self._plain |= 1 << n
                continue
            if found.digits:
                self._digits |= 1 << n
            for prefix in found.closed:
                table = self._by_length[len(prefix)]
                table[prefix] = table.get(prefix, 0) | 1 << n
        # a text's first characters at a word start -> the patterns that can start there (remembered: few distinct)
        self._members: dict[str, tuple[int, ...]] = {}

    def _members_of(self, key: str) -> tuple[int, ...]:
        mask = 0
        for size, table in enumerate(self._by_length):
            if table:
                mask |= table.get(key[:size], 0)
        members = tuple(n for n in range(len(self.patterns)) if mask >> n & 1)
        if len(self._members) >= _MAX_REMEMBERED:
            self._members.clear()
        self._members[key] = members
        return members

    def finditer_each(self, text: str) -> list[list[re.Match[str]]]:
        """Every pattern's matches in ``text``, as ``finditer`` gives them, one list per pattern."""
        plain = self._plain
        if self._digits and not text.isascii() and _NON_ASCII_DIGIT.search(text):
            plain |= self._digits
        starts: list[list[int]] = [[] for _ in self.patterns]
        remembered = self._members.get
        length = self._length
        for word in _WORD_START.finditer(text):
            at = word.start()
            key = text[at : at + length]
            members = remembered(key)
            if members is None:
                members = self._members_of(key)
            for n in members:
                starts[n].append(at)
        out: list[list[re.Match[str]]] = []
        for n, pattern in enumerate(self.patterns):
            if plain >> n & 1:
                out.append(list(pattern.finditer(text)))
                continue
            hits: list[re.Match[str]] = []
            end = 0
            match = pattern.match
            for at in starts[n]:
                if at >= end:
                    hit = match(text, at)
                    if hit is not None:
                        hits.append(hit)
                        end = hit.end()
            out.append(hits)
        return out
