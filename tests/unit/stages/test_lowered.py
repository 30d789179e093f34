"""An IGNORECASE pattern's lowered twin finds in ``text.lower()`` exactly what the pattern finds in ``text``."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.stages import claims, classify, entities, quantities, story
from streams.stages.textindex import EndAnchored, Lowered, WordStartScanner, lowered, lowered_twin

STAGE_PATTERNS = [
    (f"{module.__name__.rsplit('.', 1)[-1]}.{name}", value)
    for module in (claims, classify, entities, quantities, story)
    for name, value in vars(module).items()
    if isinstance(value, re.Pattern) and value.flags & re.IGNORECASE
]
# Words the stages' patterns look for, case-mixed, and characters lowering must not be trusted with.
WORDS = [
    "Killed",
    "KILLED",
    "in March 2019",
    "US$",
    "usd",
    "£",
    "12",
    "1,200",
    "km",
    "Sq Km",
    "said",
    "Told",
    "according to",
    "Last Year",
    "troops",
    "HOSTAGES",
    "more than",
    "the",
    "of",
    "region",
    "\n",
    " ",
    ", ",
    ". ",
    "’s",
    "“",
    "é",
    "İstanbul",
    "ſ",
    "ı",
    "Σ",
    "K",
    "ß",
    "ǅ",
]
TEXTS = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join) | st.text(max_size=40)


def signature(match: re.Match[str] | None) -> object:
    if match is None:
        return None
    return (match.span(), match.lastgroup, [match.span(g) for g in range(match.re.groups + 1)])


def test_every_stage_pattern_has_a_twin() -> None:
    assert STAGE_PATTERNS
    assert [name for name, pattern in STAGE_PATTERNS if lowered_twin(pattern) is None] == []


@settings(max_examples=100, deadline=None)
@given(TEXTS, st.integers(0, 30))
def test_twins_find_what_the_patterns_find(text: str, pos: int) -> None:
    low = lowered(text)
    for name, pattern in STAGE_PATTERNS:
        twin = lowered_twin(pattern)
        assert twin is not None
        if low is None:
            continue
        assert [signature(m) for m in twin.finditer(low)] == [signature(m) for m in pattern.finditer(text)], name
        assert signature(twin.search(low, pos)) == signature(pattern.search(text, pos)), name
        assert signature(twin.match(low, pos)) == signature(pattern.match(text, pos)), name


@pytest.mark.parametrize("text", ["İstanbul", "ſome", "ıt", "ΟΔΟΣ", "ΣΑ"])
def test_texts_lowering_cannot_model_are_refused(text: str) -> None:
    assert lowered(text) is None


def test_lowered_falls_back_to_the_pattern() -> None:
    pattern = re.compile(r"\bsome\s+(?P<n>\d+)", re.IGNORECASE)
    wrapped = Lowered(pattern)
    assert wrapped.twin is not None
    hit = wrapped.search("About SOME 40 people")
    assert hit is not None and hit.span() == (6, 13) and hit.group("n") == "40"
    assert hit.group(0) == "some 40"  # read from the lowered text
    unsure = wrapped.search("ſome 40")  # "ſ" is "s" to IGNORECASE: the pattern itself decides
    assert unsure is not None and unsure.group(0) == "ſome 40"


def test_patterns_twins_cannot_model_have_none() -> None:
    assert lowered_twin(re.compile(r"(a)\1", re.IGNORECASE)) is None  # a back-reference
    assert lowered_twin(re.compile(r"a(?-i:B)", re.IGNORECASE)) is None  # a case-sensitive part
    assert lowered_twin(re.compile(r"ab")) is None  # not IGNORECASE
    twin = lowered_twin(re.compile(r"US\$|[A-C]x", re.IGNORECASE))
    assert twin is not None and twin.search("paid us$ 3") is not None and twin.search("bx") is not None


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_scanners_and_end_anchored_searches_keep_their_spans(text: str) -> None:
    plain_scan = WordStartScanner([quantities._NUMBER_RE, quantities._CUE_RE])
    plain_scan._twins = None  # the same scanner reading the text as it is
    scan = WordStartScanner([quantities._NUMBER_RE, quantities._CUE_RE])
    assert scan._twins is not None
    for got, want in zip(scan.finditer_each(text), plain_scan.finditer_each(text), strict=True):
        assert [signature(m) for m in got] == [signature(m) for m in want]
    guarded = EndAnchored(quantities._QUALIFIER_BEFORE)
    assert signature(guarded.search(text)) == signature(quantities._QUALIFIER_BEFORE.search(text))
