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
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from re import _casefix  # type: ignore[attr-defined]
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]  # the parser's node names; stable since 3.11
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, Final

__all__ = ["Lowered", "WordStartScanner", "lowered_twin", "start_prefixes"]

_WORD_START: Final = re.compile(r"\b\w")
_WORD_CHAR: Final = re.compile(r"\w")
# \d and \s are listed by their ASCII members; a text with other digits or spaces is scanned plainly.
_NON_ASCII_DIGIT_OR_SPACE: Final = re.compile(r"(?![\x00-\x7f])[\d\s]")
_ASCII_DIGITS: Final = "0123456789"
_ASCII_SPACES: Final = "".join(chr(c) for c in range(128) if re.match(r"\s", chr(c)))
# Characters IGNORECASE matches with a letter other than by lower(): "ı" with "i", "ſ" with "s" ...
_CASE_EXTRAS: Final = frozenset(chr(c) for key, others in _casefix._EXTRA_CASES.items() for c in (key, *others))
_CASE_EXTRA: Final = re.compile("[" + "".join(re.escape(c) for c in sorted(_CASE_EXTRAS)) + "]")
_MAX_PREFIXES: Final = 4096
"""Past this many prefixes a pattern's prefixes stop growing (shorter prefixes: fewer skips, still exact)."""
_MAX_CLASS: Final = 32
"""A character class with more members than this ends a prefix instead of multiplying it."""


@dataclass
class _Prefixes:
    """What a pattern's matches can start with: strings of at most ``length`` characters."""

    length: int
    fold: bool = False
    """IGNORECASE: prefixes are lower-case, and a character with other case forms ends a prefix unless ASCII."""
    closed: set[str] = field(default_factory=set)
    ascii_classes: bool = False
    """Some prefix lists a ``\\d`` or ``\\s`` by its ASCII members only."""
    bounded: bool = True
    """False when some match can start with something no prefix names."""

    def char(self, c: str) -> str | None:
        """How ``c`` stands in a prefix (lower-case when folding), or None when it cannot."""
        if not self.fold or c.isascii():
            return c.lower() if self.fold else c
        caseless = c.lower() == c == c.upper() and c not in _CASE_EXTRAS
        return c if caseless else None


def _class_chars(items: Sequence[tuple[Any, Any]], found: _Prefixes) -> str | None:
    """The characters a class matches, when few and enumerable (None otherwise)."""
    chars: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            chars.append(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            chars.extend(_ASCII_DIGITS)
            found.ascii_classes = True
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
            chars.extend(_ASCII_SPACES)
            found.ascii_classes = True
        else:
            return None  # a negation, \w, a wide range
    shown = [found.char(c) for c in chars]
    if any(c is None for c in shown):
        return None
    unique = "".join(dict.fromkeys(c for c in shown if c is not None))
    return unique if len(unique) <= _MAX_CLASS else None


def _walk(items: Sequence[tuple[Any, Any]], opened: set[str], found: _Prefixes, *, back: bool = False) -> set[str]:
    """Grow the ``opened`` prefixes through ``items``; finished ones go to ``found.closed``; return the open rest.

    ``back``: walk from the end and grow suffixes leftwards instead; whitespace at the very end
    is left out (the text's trailing whitespace is stripped before suffixes are compared).
    """

    def grow(strings: set[str], chars: str) -> set[str]:
        return {c + p for p in strings for c in chars} if back else {p + c for p in strings for c in chars}

    for op, av in reversed(items) if back else items:
        if not opened:
            break
        if back and "" in opened and _only_spaces(op, av):
            rest = _walk([(op, av)], opened - {""}, found, back=True) if len(opened) > 1 else set()
            opened = rest | {""}
            continue
        if op is sre.LITERAL or op is sre.IN:
            chars = found.char(chr(av)) if op is sre.LITERAL else _class_chars(av, found)
            if chars is None:  # a character with other case forms, or a class too wide to list
                found.closed |= opened
                opened = set()
            else:
                opened = grow(opened, chars)
        elif op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:  # (?i:...) and the like: stop here rather than model case folding
                found.closed |= opened
                opened = set()
            else:
                opened = _walk(sub, opened, found, back=back)
        elif op is sre.BRANCH:
            opened = set().union(*(_walk(alt, set(opened), found, back=back) for alt in av[1]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = av
            once = _walk(sub, set(opened), found, back=back)
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


def _no_word_before(op: Any, av: Any) -> bool | None:
    """For a zero-width item: True when it makes sure no word character comes right before; None if not zero-width."""
    if op is sre.AT:
        return av in (sre.AT_BOUNDARY, sre.AT_BEGINNING, sre.AT_BEGINNING_STRING, sre.AT_BEGINNING_LINE)
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        direction, sub = av
        if direction != -1 or not sub:
            return False
        last_op, last_av = sub[-1]
        if op is sre.ASSERT_NOT:  # (?<![\w.,]): one character, and \w among what it refuses
            return len(sub) == 1 and last_op is sre.IN and (sre.CATEGORY, sre.CATEGORY_WORD) in last_av
        # (?<=[.!?]\s): the character before is one of a class with no word character in it
        if last_op is sre.LITERAL:
            return not _WORD_CHAR.match(chr(last_av))
        if last_op is sre.IN and last_av and last_av[0][0] is not sre.NEGATE:
            return all(
                (o is sre.LITERAL and not _WORD_CHAR.match(chr(a))) or (o is sre.CATEGORY and a is sre.CATEGORY_SPACE)
                for o, a in last_av
            )
        return False
    if op in (sre.BRANCH, sre.SUBPATTERN):
        alternatives = av[1] if op is sre.BRANCH else [av[3]]
        verdicts = [_leading_guard(alt) for alt in alternatives]
        if any(v is None for v in verdicts):
            return None  # some alternative consumes characters: not a zero-width guard
        return all(verdicts)
    return None


def _leading_guard(items: Sequence[tuple[Any, Any]]) -> bool | None:
    """Whether zero-width items alone, one of them keeping word characters out of the place before, open ``items``.

    None when ``items`` consume characters (they are not only a guard).
    """
    guarded = False
    for op, av in items:
        verdict = _no_word_before(op, av)
        if verdict is None:
            return None
        guarded = guarded or verdict
    return guarded


def start_prefixes(pattern: re.Pattern[str], length: int = 3) -> _Prefixes:
    r"""The strings of at most ``length`` characters that every match of ``pattern`` starts with one of.

    ``bounded`` says whether a match that starts with a word character can only start at a word's
    start (the pattern opens with ``\b``, ``^``, or a look-behind that keeps word characters out).
    """
    found = _Prefixes(length, fold=bool(pattern.flags & re.IGNORECASE))
    tree = list(sre_parse.parse(pattern.pattern, pattern.flags))
    guarded = False
    for op, av in tree:
        verdict = _no_word_before(op, av)
        if verdict is None:
            break
        guarded = guarded or verdict
    if not guarded:
        found.bounded = False
        return found
    found.closed |= _walk(tree, {""}, found)
    if "" in found.closed:  # something no prefix names may open a match (or it may match nothing)
        found.bounded = False
    return found


class _Node:
    """A node of a scanner's prefix trie (``WordStartScanner._trie``)."""

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.members: tuple[int, ...] = ()
        """The patterns with a prefix that ends here or above: those to try where the text reaches this node."""
        self.unsure: tuple[int, ...] = ()
        """``members`` and the patterns whose longer prefixes pass through: for a folding scan stopped here."""


class WordStartScanner:
    """``[list(p.finditer(text)) for p in patterns]``, trying each pattern only where it can begin.

    The patterns share one pass over the text's word starts (and the places of any non-word
    character a pattern can begin with). IGNORECASE patterns are compared with the text's
    lower case; mixing them with case-sensitive ones in one scanner is allowed (those that
    differ from the first pattern are scanned plainly).
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]], *, length: int = 5) -> None:
        self.patterns = tuple(patterns)
        self.index = {pattern: n for n, pattern in reversed(list(enumerate(self.patterns)))}
        """Where each pattern is in ``patterns`` (its first place)."""
        # The same by the pattern object's identity: hashing a Pattern hashes its whole compiled code
        # (0.5-2 µs for a word list), and TextMemo asks for every question (the patterns are kept alive here).
        self.index_by_id = {id(pattern): n for pattern, n in self.index.items()}
        self._length = length
        self._fold = bool(self.patterns and self.patterns[0].flags & re.IGNORECASE)
        # exact[size]: a prefix of that size -> bit mask of the patterns with that prefix;
        # opening[size]: the first ``size`` characters of longer prefixes -> bit mask (for a
        # text whose next character a folding pattern cannot be sure of, see _members_of)
        self._exact: list[dict[str, int]] = [{} for _ in range(length + 1)]
        self._opening: list[dict[str, int]] = [{} for _ in range(length + 1)]
        self._plain = 0  # patterns scanned with finditer
        self._ascii_classes = 0  # patterns whose prefixes list \d or \s by their ASCII members
        others: set[str] = set()  # non-word characters a match can begin with
        for n, pattern in enumerate(self.patterns):
            found = start_prefixes(pattern, length)
            if not found.bounded or bool(pattern.flags & re.IGNORECASE) != self._fold:
                self._plain |= 1 << n
                continue
            if found.ascii_classes:
                self._ascii_classes |= 1 << n
            for prefix in found.closed:
                exact = self._exact[len(prefix)]
                exact[prefix] = exact.get(prefix, 0) | 1 << n
                for size in range(len(prefix)):
                    opening = self._opening[size]
                    opening[prefix[:size]] = opening.get(prefix[:size], 0) | 1 << n
                if not _WORD_CHAR.match(prefix[0]):
                    others.add(prefix[0])
        # A match of \w+ starts exactly where \b\w would, and a search for it skips a word in one step
        # (\b\w is tried at every character of the word).
        starts = r"\w+" + "".join(f"|{re.escape(c)}" for c in sorted(others))
        self._starts = re.compile(starts, re.IGNORECASE if self._fold else 0)
        # IGNORECASE patterns are run as their lowered twins over the lowered text when every one has a twin.
        twins = [lowered_twin(pattern) for pattern in self.patterns] if self._fold else []
        self._twins: list[re.Pattern[str]] | None = None
        if twins and all(twin is not None for twin in twins):
            self._twins = [twin for twin in twins if twin is not None]
        self._root = self._trie()

    def _trie(self) -> _Node:
        """The prefixes as a trie of characters, walked at each word start (no string cut, no large dict)."""
        root = _Node()
        own: dict[int, int] = {}  # id(node) -> the patterns with a prefix ending exactly there
        for size in range(1, self._length + 1):
            for prefix, mask in self._exact[size].items():
                node = root
                for c in prefix:
                    child = node.children.get(c)
                    if child is None:
                        child = node.children[c] = _Node()
                    node = child
                own[id(node)] = own.get(id(node), 0) | mask
        bits = range(len(self.patterns))
        pending: list[tuple[_Node, str, int]] = [(root, "", 0)]
        while pending:
            node, path, above = pending.pop()
            mask = above | own.get(id(node), 0)
            node.members = tuple(n for n in bits if mask >> n & 1)
            unsure = mask | self._opening[len(path)].get(path, 0)
            node.unsure = tuple(n for n in bits if unsure >> n & 1)
            pending.extend((child, path + c, mask) for c, child in node.children.items())
        return root

    def _members_at(self, text: str, at: int, lower: bool) -> tuple[int, ...]:
        """The patterns that may match at ``at``: its next ``length`` characters walked down the trie.

        IGNORECASE matches "ı" with "i", "K" (Kelvin) with "k" ...: a folding scan that meets a
        non-ASCII character stops there, and every pattern whose prefix agrees so far stays a candidate.
        ``lower``: lower-case each character first (False for a text lowered already).
        """
        node = self._root
        end = min(at + self._length, len(text))
        fold = self._fold
        while at < end:
            c = text[at]
            if fold:
                if ord(c) >= 128:
                    return node.unsure
                if lower:
                    c = c.lower()
            child = node.children.get(c)
            if child is None:
                break
            node = child
            at += 1
        return node.members

    def finditer_each(self, text: str) -> list[list[re.Match[str]]]:
        """Every pattern's matches in ``text``, as ``finditer`` gives them, one list per pattern.

        For IGNORECASE patterns the matches may be read from ``text.lower()`` by the patterns'
        lowered twins (:class:`Lowered`): the same spans and groups, group texts in lower case.
        """
        if self._twins is not None:
            low = lowered(text)
            if low is not None:
                return self._scan(low, self._twins, lower=False)
        return self._scan(text, self.patterns, lower=self._fold)

    def _scan(self, text: str, patterns: Sequence[re.Pattern[str]], *, lower: bool) -> list[list[re.Match[str]]]:
        plain = self._plain
        if self._ascii_classes and not text.isascii() and _NON_ASCII_DIGIT_OR_SPACE.search(text):
            plain |= self._ascii_classes
        starts: list[list[int]] = [[] for _ in self.patterns]
        for word in self._starts.finditer(text):
            at = word.start()
            for n in self._members_at(text, at, lower):
                starts[n].append(at)
        out: list[list[re.Match[str]]] = []
        for n, pattern in enumerate(patterns):
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


class TextMemo:
    """One text's search results, kept for the next time the same pattern reads the same text.

    A post's stages ask the same question of the same sentence again and again (once per
    figure in it); a fresh memo per post keeps the answers for as long as that post is read.
    The patterns of ``scanner`` are read together: the first question about a text answers
    all of them in one pass (worth it for long word lists, asked of the same sentences).
    """

    def __init__(self, scanner: WordStartScanner | None = None) -> None:
        self._scanner = scanner
        self._scanned: dict[str, list[list[re.Match[str]]]] = {}
        # Keyed by id(pattern), never the pattern: hashing a Pattern hashes its whole compiled code.
        # Each value holds its pattern, so no id is reused by another pattern while the memo lives.
        self._searched: dict[tuple[int, str], tuple[re.Pattern[str], re.Match[str] | None]] = {}
        self._found: dict[tuple[int, str], tuple[re.Pattern[str], list[re.Match[str]]]] = {}

    def _together(self, pattern: re.Pattern[str], text: str) -> list[re.Match[str]] | None:
        if self._scanner is None:
            return None
        at = self._scanner.index_by_id.get(id(pattern))
        if at is None:
            return None
        each = self._scanned.get(text)
        if each is None:
            each = self._scanned[text] = self._scanner.finditer_each(text)
        return each[at]

    def search(self, pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
        """``pattern.search(text)``."""
        together = self._together(pattern, text)
        if together is not None:
            return together[0] if together else None
        key = (id(pattern), text)
        known = self._searched.get(key)
        if known is not None:
            return known[1]
        found = pattern.search(text)
        self._searched[key] = (pattern, found)
        return found

    def finditer(self, pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
        """``list(pattern.finditer(text))`` (the list is shared: read it, do not change it)."""
        together = self._together(pattern, text)
        if together is not None:
            return together
        key = (id(pattern), text)
        known = self._found.get(key)
        if known is not None:
            return known[1]
        found = list(pattern.finditer(text))
        self._found[key] = (pattern, found)
        return found


def _only_spaces(op: Any, av: Any) -> bool:
    r"""Whether an item can match nothing but whitespace (``\s+``, ``\s*``, a space)."""
    if op is sre.LITERAL:
        return chr(av).isspace()
    if op is sre.IN:
        return bool(av) and all(
            (o is sre.CATEGORY and a is sre.CATEGORY_SPACE) or (o is sre.LITERAL and chr(a).isspace()) for o, a in av
        )
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return all(_only_spaces(o, a) for o, a in av[2])
    return False


def end_suffixes(pattern: re.Pattern[str], length: int = 6) -> _Prefixes:
    r"""What every match of an end-anchored ``pattern`` (``...\s+$``) ends with, trailing whitespace left out.

    ``bounded`` is False when the pattern is not anchored at the end (or ``$`` may match at a line's
    end) or some match may end with something no suffix names.
    """
    found = _Prefixes(length, fold=bool(pattern.flags & re.IGNORECASE))
    tree = list(sre_parse.parse(pattern.pattern, pattern.flags))
    anchored = bool(tree) and tree[-1] in ((sre.AT, sre.AT_END), (sre.AT, sre.AT_END_STRING))
    if not anchored or pattern.flags & re.MULTILINE:
        found.bounded = False
        return found
    found.closed |= _walk(tree[:-1], {""}, found, back=True)
    if "" in found.closed:
        found.bounded = False
    return found


class EndAnchored:
    """``pattern.search`` for a pattern whose matches end at the text's end, skipped when the text cannot end so.

    The answer is always ``pattern.search``'s: the text, its trailing whitespace stripped, is
    first compared with the few endings every match has (:func:`end_suffixes`); with none of
    them there is no match, and the pattern is not run.
    """

    def __init__(self, pattern: re.Pattern[str], *, length: int = 6) -> None:
        self.pattern = pattern
        self._twin = lowered_twin(pattern)
        found = end_suffixes(pattern, length)
        self._bounded = found.bounded
        self._fold = found.fold
        self._ascii_classes = found.ascii_classes
        self._length = length
        self._by_size: list[tuple[int, frozenset[str]]] = sorted(
            (size, frozenset(s for s in found.closed if len(s) == size)) for size in {len(s) for s in found.closed}
        )

    def _may_match(self, text: str) -> bool:
        tail = text.rstrip()[-self._length :]
        if not tail.isascii():
            if self._fold or (self._ascii_classes and _NON_ASCII_DIGIT_OR_SPACE.search(tail)):
                return True  # case folding or a non-ASCII digit or space: let the pattern decide
        elif self._fold:
            tail = tail.lower()
        for size, endings in self._by_size:  # a loop, not any(<generator>): this runs for every window
            if size > len(tail):
                break
            if tail[-size:] in endings:
                return True
        return False

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """``pattern.search(text, pos, endpos)``; IGNORECASE group texts lower-cased (:class:`Lowered`)."""
        end = len(text) if endpos is None else endpos
        if self._bounded and not self._may_match(text[pos:end]):
            return None
        if self._twin is not None:
            low = lowered(text)
            if low is not None:
                return self._twin.search(low, pos, end)
        return self.pattern.search(text, pos, end)


def _required(items: Sequence[tuple[Any, Any]], found: _Prefixes) -> set[str] | None:
    """Strings one of which every match of ``items`` contains (None: nothing useful is certain)."""
    options: list[set[str]] = []
    run = ""
    for op, av in items:
        c = found.char(chr(av)) if op is sre.LITERAL else None
        if c is not None:
            run += c
            continue
        if run:
            options.append({run})
            run = ""
        need: set[str] | None = None
        if op is sre.SUBPATTERN and not (av[1] or av[2]):
            need = _required(av[3], found)
        elif op is sre.BRANCH:
            alternatives = [_required(alt, found) for alt in av[1]]
            if all(a is not None for a in alternatives):
                need = set().union(*(a for a in alternatives if a is not None))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            need = _required(av[2], found)
        if need:
            options.append(need)
    if run:
        options.append({run})
    if not options:
        return None
    # The most telling option: its shortest string longest, then the fewest strings.
    return max(options, key=lambda need: (min(map(len, need)), -len(need)))


class Requiring:
    """``pattern``'s search and sub, skipped for a text without any of the strings every match contains.

    The answers are always the pattern's own: the strings are read from its parse tree
    (:func:`_required`), and an IGNORECASE pattern is compared with the text's lower case only
    where lowering agrees with IGNORECASE character for character (else the pattern runs).
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        found = _Prefixes(0, fold=bool(pattern.flags & re.IGNORECASE))
        need = _required(list(sre_parse.parse(pattern.pattern, pattern.flags)), found)
        self.needs: frozenset[str] = frozenset(need or ())
        self._fold = found.fold

    def _may_match(self, text: str) -> bool:
        if not self.needs:
            return True
        if self._fold:
            lowered = text.lower()
            if len(lowered) != len(text) or _CASE_EXTRA.search(text):
                return True
            text = lowered
        return any(need in text for need in self.needs)

    def search(self, text: str) -> re.Match[str] | None:
        """``pattern.search(text)``."""
        return self.pattern.search(text) if self._may_match(text) else None

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        """``pattern.sub(repl, text)``."""
        return self.pattern.sub(repl, text) if self._may_match(text) else text


# ---------------------------------------------------------------------------
# IGNORECASE patterns run case-sensitively over the lower-cased text.
#
# ``re`` compares every character of an IGNORECASE pattern through a case
# folding call, and cannot use its fast literal-prefix scan; the same pattern
# with its literals lower-cased, run case-sensitively over ``text.lower()``,
# finds the same spans in about half the time. It is the same when lowering
# changes no length (no "İ"), and neither the text nor the pattern holds a
# character IGNORECASE pairs with another by more than lower() ("ſ" with "s",
# "ς" with "σ": non-ASCII members of ``_casefix._EXTRA_CASES``; the text is
# checked after lowering, so "Σ" is caught as "σ").

_NON_ASCII_EXTRAS: Final = frozenset(c for c in _CASE_EXTRAS if not c.isascii())
_NON_ASCII_EXTRA: Final = re.compile("[" + "".join(re.escape(c) for c in sorted(_NON_ASCII_EXTRAS)) + "]")
_MAX_LOWERED_CLASS: Final = 256
"""A cased range in a class is listed by its lower-case members, up to this many."""


def _lower_char(code: int) -> int | None:
    low = chr(code).lower()
    if len(low) != 1 or low in _NON_ASCII_EXTRAS:
        return None
    return ord(low)


def _lower_class(items: Sequence[tuple[Any, Any]]) -> list[tuple[Any, Any]] | None:
    out: list[tuple[Any, Any]] = []
    for op, av in items:
        if op is sre.LITERAL:
            low = _lower_char(av)
            if low is None:
                return None
            out.append((op, low))
        elif op is sre.RANGE:
            chars = range(av[0], av[1] + 1)
            lowered = [_lower_char(c) for c in chars] if len(chars) <= _MAX_LOWERED_CLASS else None
            if lowered is None or any(c is None for c in lowered):
                return None
            if lowered == list(chars):
                out.append((op, av))  # [a-z], [0-9]: already lower-case
            else:
                out.extend((sre.LITERAL, c) for c in dict.fromkeys(lowered))
        elif op is sre.CATEGORY or op is sre.NEGATE:
            out.append((op, av))
        else:
            return None
    return out


def _lower_tree(items: Any) -> bool:
    """Lower-case, in place, every literal of a parsed pattern; False when some part cannot be modelled."""
    for n, (op, av) in enumerate(items):
        if op is sre.LITERAL or op is sre.NOT_LITERAL:
            low = _lower_char(av)
            if low is None:
                return False
            items[n] = (op, low)
        elif op is sre.IN:
            lowered = _lower_class(av)
            if lowered is None:
                return False
            items[n] = (op, lowered)
        elif op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags or not _lower_tree(sub):
                return False
        elif op is sre.BRANCH:
            if not all(_lower_tree(alt) for alt in av[1]):
                return False
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if not _lower_tree(av[2]):
                return False
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if not _lower_tree(av[1]):
                return False
        elif op is sre.ATOMIC_GROUP:
            if not _lower_tree(av):
                return False
        elif op not in (sre.AT, sre.ANY):
            return False  # back-references and the like: run the pattern as it is
    return True


def lowered_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A case-sensitive pattern that finds in ``text.lower()`` what ``pattern`` (IGNORECASE) finds in ``text``.

    None when ``pattern`` is not IGNORECASE or holds something the twin would not model exactly.
    The twin's group names and numbers are the pattern's. Use it only on :func:`lowered` texts.
    """
    if not pattern.flags & re.IGNORECASE:
        return None
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    if not _lower_tree(tree.data):
        return None
    tree.state.flags &= ~re.IGNORECASE
    twin: re.Pattern[str] = sre_compile.compile(tree, pattern.flags & ~re.IGNORECASE)
    return twin


def lowered(text: str) -> str | None:
    """``text.lower()`` when a lowered twin reads it as its pattern reads ``text`` (else None)."""
    low = text.lower()
    if len(low) != len(text) or (not low.isascii() and _NON_ASCII_EXTRA.search(low)):
        return None
    return low


class Lowered:
    """An IGNORECASE pattern's search, match and finditer run by its lowered twin over ``text.lower()``.

    Spans, group spans and ``lastgroup`` are the pattern's own; group *texts* are lower case (they
    are read from the lowered text). A text lowering cannot model is read by the pattern itself.
    Pass ``low`` when the caller has lowered the text already (a slice of a lowered text is the
    lowered slice).
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.twin = lowered_twin(pattern)

    def _pick(self, text: str, low: str | None) -> tuple[re.Pattern[str], str]:
        if self.twin is None:
            return self.pattern, text
        if low is None:
            low = lowered(text)
        return (self.pattern, text) if low is None else (self.twin, low)

    def search(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize, *, low: str | None = None
    ) -> re.Match[str] | None:
        """``pattern.search(text, pos, endpos)``, group texts lower-cased."""
        pattern, string = self._pick(text, low)
        return pattern.search(string, pos, endpos)

    def match(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize, *, low: str | None = None
    ) -> re.Match[str] | None:
        """``pattern.match(text, pos, endpos)``, group texts lower-cased."""
        pattern, string = self._pick(text, low)
        return pattern.match(string, pos, endpos)

    def finditer(self, text: str, *, low: str | None = None) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``, group texts lower-cased."""
        pattern, string = self._pick(text, low)
        return pattern.finditer(string)
