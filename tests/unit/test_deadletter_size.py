"""Dead letters carry the original value whole up to the size limit, and say when they had to cut it."""

from __future__ import annotations

from streams.deadletter import fit_value


def test_fit_value_keeps_a_value_within_the_limit_whole():
    assert fit_value(b"x" * 10, max_bytes=10) == (b"x" * 10, [])


def test_fit_value_cuts_a_larger_value_and_says_how_long_it_was():
    value, headers = fit_value(b"abcdefghijkl", max_bytes=10)
    assert value == b"abcdefghij"
    assert headers == [("dlq.value.truncated", b"true"), ("dlq.value.bytes", b"12")]
