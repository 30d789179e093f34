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
