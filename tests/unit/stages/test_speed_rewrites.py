"""Patterns and string tests rewritten for speed give the answers of the plain forms they replace."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.stages import entities

# The forms before the rewrite, kept here as the reference.
PLAIN_LAST_WORD = re.compile(r"([A-Za-z][\w-]*)\W*$")

WINDOWS = st.text(alphabet="aZq9_- \n.,'’é(", max_size=40)
TOKENS = st.text(alphabet="aSsZ'’-", min_size=1, max_size=8)


def _found(match: re.Match[str] | None) -> tuple[tuple[int, int], str] | None:
    return (match.span(), match.group(1)) if match else None


@settings(max_examples=2000, deadline=None)
@given(WINDOWS)
def test_last_word_as_the_plain_pattern(window: str) -> None:
    assert _found(entities._LAST_WORD.search(window)) == _found(PLAIN_LAST_WORD.search(window))


def test_last_word_examples() -> None:
    assert _found(entities._LAST_WORD.search("troops entered Sudzha, ")) == ((15, 23), "Sudzha")
    assert _found(entities._LAST_WORD.search("the 12abc-- ")) == ((6, 12), "abc--")
    assert entities._LAST_WORD.search("123 ") is None


@settings(max_examples=2000, deadline=None)
@given(TOKENS)
def test_possessive_endings_name_every_possessive_token(token: str) -> None:
    # _tokenize only tries _POSSESSIVE on tokens whose last two characters are in the set
    if len(token) > 2 and entities._POSSESSIVE.search(token):
        assert token[-2:] in entities._POSSESSIVE_ENDINGS


def _segments_seen(segments: list[entities._Segment]) -> list[tuple[str, list[int], object]]:
    return [(seg.kind, [t.start for t in seg.tokens], seg.place) for seg in segments]


def test_remembered_splits_are_the_splits() -> None:
    from streams.bench.workload import DEVSET

    texts = [path.read_text() for path in sorted(DEVSET.glob("*.txt"))[:6]]
    # the same chunk after its acronym is defined, and opening a sentence or not
    texts.append("The Kursk region was hit. Kursk region officials said NATO and the UN met.")
    checked = 0
    for text in texts:
        tokens = entities._tokenize(text)
        chunks = entities._chunks(tokens, entities._title_case_lines(text))
        resolver = entities._Resolver(text)
        for n, chunk in enumerate(chunks):
            if n % 3 == 0:
                resolver.acronyms[chunk.tokens[0].text] = entities._Found("ORG", "X", "X", "org:x", 0, 1)
            for _ in range(2):  # computed, then remembered
                got = _segments_seen(resolver._split_remembered(chunk.tokens))
                assert got == _segments_seen(resolver._split(chunk.tokens)), [t.text for t in chunk.tokens]
                checked += 1
    assert checked > 100


def _country_as_learn_read_it(word: str) -> str | None:
    """The per-token test _Resolver.learn made before it was remembered per word."""
    gaz = entities._gazetteer()
    key = entities._fold(word)
    place = gaz.exact.get(key)
    if place is not None and place.admin_level == 0 and place.country_code:
        return place.country_code
    capital = word[:1].isupper() or bool(entities._GLUED_PARTICLE.match(word))
    if capital and (home := entities._region_country(key)):
        return home
    if entities._is_demonym(word) and entities.demonym_country(word):
        return entities.demonym_country(word) or ""
    return None


def test_remembered_token_countries() -> None:
    from streams.bench.workload import DEVSET

    words = {t.text for path in sorted(DEVSET.glob("*.txt")) for t in entities._tokenize(path.read_text())}
    words |= {"Florida", "Alabama", "Ukrainian", "al-Bashir", "Georgia", "the"}
    assert sum(entities._country_named_by(w) is not None for w in words) > 20
    for word in words:
        assert entities._country_named_by(word) == _country_as_learn_read_it(word), word
