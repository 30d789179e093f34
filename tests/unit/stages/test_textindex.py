"""The word-start scanner finds exactly what each pattern's finditer finds: it may only skip places no match starts."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.stages.classify import _COMPILED, _SCANNER
from streams.stages.quantities import _NUMBER_RE
from streams.stages.textindex import (
    EndAnchored,
    Requiring,
    TextMemo,
    WordStartScanner,
    end_suffixes,
    start_prefixes,
)


def spans(matches: list[re.Match[str]]) -> list[tuple[int, int, str | None, str]]:
    # Group texts compared in lower case: IGNORECASE scanners read the lowered text (textindex.Lowered).
    return [(m.start(), m.end(), m.lastgroup, m.group(0).lower()) for m in matches]


def assert_same(scanner: WordStartScanner, text: str) -> None:
    got = scanner.finditer_each(text)
    for pattern, hits in zip(scanner.patterns, got, strict=True):
        assert spans(hits) == spans(list(pattern.finditer(text))), (pattern.pattern[:80], text)


CUES = [
    re.compile(r"\b(?:(?P<a>troops|soldiers|front\s?line)|(?P<b>\d+\s+villages)|(?P<c>in\s+control))\b"),
    re.compile(r"\b(?:eu|un|united\s+nations|(?:earth)?quakes?|f-16s?|added:)\b"),
    re.compile(r"\b(?:visit(?:ed|s)?\s+(?!(?:the\s+)?wounded\b)\w+|said|says)\b"),
]


@pytest.mark.parametrize(
    "text",
    [
        "troops",  # the whole text
        "the troops, soldiers and frontline units",  # punctuation around cues
        "Troops and TROOPS are not troops",  # case: the patterns are lower-case, so only the last
        "introops stroops troopsx troops_ troops1 troops",  # inside words: no match but the last
        "(troops) 'soldiers' “front line” front  line",  # brackets, quotes, two spaces
        "12 villages 3  villages 40\tvillages village 7villages",
        "١٢ villages and 12 villages",  # Arabic-Indic digits: \d matches them too
        "eu un eue une the EU united   nations quake earthquakes earth quake",
        "f-16s f-16 f-1 xf-16 added: added",
        "visited the wounded, visited the town, visits kyiv, said says",
        "in control, incontrol, in  control, within control",
        "",
        "   ",
        "troops troops troops troops",  # repeats
    ],
)
def test_same_matches_as_finditer(text: str) -> None:
    assert_same(WordStartScanner(CUES), text)


def test_every_classify_category_is_bounded_to_word_starts() -> None:
    # If one were not, it would still be right (plain finditer), only slower: say so here.
    for cat, pattern, _ in _COMPILED:
        assert start_prefixes(pattern).bounded, cat


def test_patterns_it_cannot_bound_fall_back_to_finditer() -> None:
    loose = [
        re.compile(r"troops"),  # no leading \b: may start inside a word
        re.compile(r"\b(?:\W+said)"),  # starts with a non-word character: at a word's end
        re.compile(r"\b(?:x*)"),  # can match nothing
    ]
    for pattern in loose:
        assert not start_prefixes(pattern).bounded, pattern.pattern
    assert_same(WordStartScanner(loose), "Troops, intro troops said,  said x xx")


def test_prefixes_name_what_a_match_starts_with() -> None:
    found = start_prefixes(re.compile(r"\b(?:(?:earth)?quakes?|in\s+control|\d+\s+km)\b"), 4)
    assert found.bounded and found.ascii_classes
    assert {"eart", "quak", "in ", "in\t"} <= found.closed
    assert set("0123456789") <= found.closed


_WORDS = st.sampled_from(
    [
        "troops",
        "Troops",
        "soldier",
        "soldiers",
        "front",
        "line",
        "frontline",
        "12",
        "villages",
        "in",
        "control",
        "killed",
        "said",
        "visited",
        "the",
        "wounded",
        "eu",
        "un",
        "f-16s",
        "quake",
        "earthquakes",
        "statement",
        "a",
        "spokesman",
        "took",
        "١٢",
        "km",
        "sq",
    ]
)
_GAPS = st.sampled_from([" ", "  ", ", ", ". ", "\n", "-", "(", ")", "“", "”", "'", ":", "", "_", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GAPS), max_size=30))
def test_random_texts_give_the_same_matches(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in parts)
    assert_same(WordStartScanner(CUES), text)
    assert_same(_SCANNER, text.lower())


def test_the_dev_set_posts_give_the_same_category_matches() -> None:
    from streams.bench.workload import DEVSET

    for path in sorted(DEVSET.glob("*.txt")):
        assert_same(_SCANNER, path.read_text().lower())


FOLDING = [
    re.compile(r"\b(?:troops|kilometres?|sq\.?\s?km|£\d+)\b", re.IGNORECASE),
    re.compile(r"(?<![\w.,])(?:US\$|\$|£|€)?(?:\d+|two|a\s+dozen|half\s+a\s+million)(?![a-z])", re.IGNORECASE),
    re.compile(r"(?:^|(?<=[.!?]\s))(?:last\s+year|for\s+context)\b", re.IGNORECASE | re.MULTILINE),
    # a pattern's own long s and Kelvin sign match ASCII "s" and "k" when folding
    re.compile("\\b(?:\u017ftop|\u212aeep|\u00e9cole)", re.IGNORECASE),
]


@pytest.mark.parametrize(
    "text",
    [
        "TROOPS Troops troops tRoOpS stop STOP keep Keep \u00c9cole \u00e9cole",
        "5 Kilometres, 5 KILOMETRE, 12 sq km, 12 SQ.KM, 12sqkm",
        "£12 and £ 12, $5, US$5, us$5, €3 x$4 5$",
        "two, TWO, twofold, a dozen, A  Dozen, half a million, 2.5, 1,000",
        "Last year it rained. last year too.\nFor context: none. x last year",
        # Characters IGNORECASE matches with ASCII letters beyond lower(): dotless ı, long ſ, Kelvin K
        "troopſ ſq km Kilometre kılometre İtroops TROOPſ",
        "a\u00a0dozen 12\u00a0sq km \u0663 troops",  # a no-break space and an Arabic-Indic digit
        "",
    ],
)
def test_folding_and_guarded_patterns_give_the_same_matches(text: str) -> None:
    for pattern in FOLDING[:3]:
        assert start_prefixes(pattern).bounded, pattern.pattern
    assert_same(WordStartScanner(FOLDING), text)
    assert_same(WordStartScanner([_NUMBER_RE]), text)


_FOLD_WORDS = st.sampled_from(
    [
        "two",
        "Two",
        "TWO",
        "a",
        "A",
        "dozen",
        "half",
        "million",
        "12",
        "1,000",
        "2.5",
        "$",
        "£",
        "US$",
        "km",
        "sq",
        "Troops",
        "ı",
        "ſ",
        "\u212a",
        "hundreds",
        "of",
        "thousands",
        "last",
        "year",
        "For",
        "context",
        "\u0663",
    ]
)
_FOLD_GAPS = st.sampled_from([" ", "  ", "\u00a0", ", ", ". ", "\n", "-", ".", ",", "", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_FOLD_WORDS, _FOLD_GAPS), max_size=25))
def test_random_texts_give_the_same_matches_when_folding(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in parts)
    assert_same(WordStartScanner(FOLDING), text)
    assert_same(WordStartScanner([_NUMBER_RE]), text)


@lru_cache(maxsize=1)
def _end_anchored() -> tuple[EndAnchored, ...]:
    return tuple(EndAnchored(pattern) for pattern in _end_anchored_patterns())


def _end_anchored_patterns() -> list[re.Pattern[str]]:
    import streams.stages.claims as claims
    import streams.stages.entities as entities
    import streams.stages.quantities as quantities

    return [
        value
        for module in (claims, entities, quantities)
        for value in vars(module).values()
        if isinstance(value, re.Pattern) and value.pattern.endswith("$")
    ]


def assert_same_search(guarded: EndAnchored, text: str, pos: int = 0, endpos: int | None = None) -> None:
    end = len(text) if endpos is None else endpos
    want = guarded.pattern.search(text, pos, end)
    got = guarded.search(text, pos, endpos)
    # group texts by their spans: an IGNORECASE pattern's are read from the lowered text
    assert (got and got.regs) == (want and want.regs), (guarded.pattern, text)


def test_end_anchored_searches_agree_on_the_dev_set_windows() -> None:
    from streams.bench.workload import DEVSET

    guards = list(_end_anchored())
    assert sum(g._bounded for g in guards) >= 10  # most of them are guarded (else this tests little)
    texts = [path.read_text() for path in sorted(DEVSET.glob("*.txt"))]
    for text in texts[:5]:
        for end in range(0, len(text), 11):
            window = text[max(0, end - 45) : end]
            for guard in guards:
                assert_same_search(guard, window)
            assert_same_search(guards[0], text, max(0, end - 45), end)


@pytest.mark.parametrize(
    "text",
    [
        "more than ",
        "More Than  ",
        "at least\n",
        "at least\n\n",
        "up to about the",
        "nearly\u00a0",  # a no-break space at the end
        "killed in ",
        "the town of ",
        "the town of the ",
        "“said ",
        "",
        "  ",
        "\u0130n ",  # İ: lower-cases to two characters
        "ſo ",  # long s: IGNORECASE matches it with s
        "12 ",
    ],
)
def test_end_anchored_edges(text: str) -> None:
    for guard in _end_anchored():
        assert_same_search(guard, text)


def test_suffixes_leave_out_trailing_whitespace() -> None:
    found = end_suffixes(re.compile(r"\b(?:in|near|town\s+of)\s+(?:the\s+)?$", re.IGNORECASE), 4)
    assert found.bounded
    assert {"in", "near", "the"} <= found.closed and " of" in found.closed
    assert not end_suffixes(re.compile(r"\bin\s+$", re.MULTILINE)).bounded  # $ at every line's end
    assert not end_suffixes(re.compile(r"\bin\s+")).bounded  # not anchored
    assert not end_suffixes(re.compile(r"\w+\s*$")).bounded  # ends with anything


_END_WORDS = st.sampled_from(
    ["more", "than", "at", "least", "in", "the", "town", "of", "near", "About", "NEARLY", "said", "ſo", "\u0130n", "12"]
)
_END_GAPS = st.sampled_from([" ", "  ", "\n", "\u00a0", ", ", "", "-", "“"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_END_WORDS, _END_GAPS), max_size=8))
def test_random_endings_give_the_same_search(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in parts)
    for guard in _end_anchored():
        assert_same_search(guard, text)


def test_memo_answers_as_the_patterns_do_read_together_or_alone() -> None:
    speech = re.compile(r"\b(?:said|says|told|according\s+to)\b", re.IGNORECASE)
    hedge = re.compile(r"\b(?:reportedly|unconfirmed)\b", re.IGNORECASE)
    words = re.compile(r"[\w’'-]+|[,“”\"]")
    texts = ["He said, reportedly, that 12 died.", "Officials SAID it; Told: none.", "", "according  to them"]
    memo = TextMemo(WordStartScanner([speech, hedge]))
    for _ in range(2):  # the second round is answered from the memo
        for text in texts:
            for pattern in (speech, hedge, words):
                assert spans(memo.finditer(pattern, text)) == spans(list(pattern.finditer(text)))
                got, want = memo.search(pattern, text), pattern.search(text)
                assert (got and got.span()) == (want and want.span())


@lru_cache(maxsize=1)
def _requiring() -> tuple[Requiring, ...]:
    import streams.stages.claims as claims
    import streams.stages.classify as classify
    import streams.stages.entities as entities
    import streams.stages.quantities as quantities

    patterns = [
        value
        for module in (claims, classify, entities, quantities)
        for value in vars(module).values()
        if isinstance(value, re.Pattern)
    ]
    return tuple(Requiring(p) for p in patterns)


def assert_same_required(guarded: Requiring, text: str) -> None:
    want, got = guarded.pattern.search(text), guarded.search(text)
    assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), (guarded.pattern, text)
    assert guarded.sub("#", text) == guarded.pattern.sub("#", text)


def test_required_words_are_read_from_the_pattern() -> None:
    assert Requiring(re.compile(r"\b(?:a|b)\s+(?:verified|confirmed)")).needs == {"verified", "confirmed"}
    assert Requiring(re.compile(r"x\((?:km|m)?\)", re.IGNORECASE)).needs in ({"x("}, {")"})
    assert Requiring(re.compile(r"\bTOLL\b", re.IGNORECASE)).needs == {"toll"}
    assert not Requiring(re.compile(r"(?:abc)?\d+")).needs  # nothing certain: every text is searched
    assert sum(bool(g.needs) for g in _requiring()) >= 20


def test_required_guards_agree_on_the_dev_set() -> None:
    from streams.bench.workload import DEVSET

    for path in sorted(DEVSET.glob("*.txt"))[:6]:
        for paragraph in path.read_text().split("\n\n"):
            for guard in _requiring():
                assert_same_required(guard, paragraph)


@pytest.mark.parametrize(
    "text",
    [
        "THIS COULD NOT BE VERIFIED",
        "this could not be verİfied",
        "Toll has not been ſonfirmed",
        "no ſatellite",
        "12km (7 miles)",
        "",
        "Dead",
        "K\u212aILLED",
        "deaths",
    ],
)
def test_required_guards_on_case_and_odd_letters(text: str) -> None:
    for guard in _requiring():
        assert_same_required(guard, text)
