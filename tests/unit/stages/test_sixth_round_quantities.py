"""Sixth round of unseen blogs: what a figure counts, in phrasings the quantity stage misread.

The sentences are our own, written to show one shape each; none is copied from a dev-set blog.
"""

from __future__ import annotations

import pytest

from streams.stages.quantities import extract_quantities


def counted(text: str) -> list[tuple[str, float]]:
    return [(q.kind, round(q.value, 3)) for q in extract_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # people rescued beside bodies recovered are survivors, not dead
        (
            "The coastguard said 12 bodies had been recovered and 85 people rescued.",
            ("killed", 12),
            ("killed", 85),
        ),
        ("Nine bodies were found and 40 migrants were saved by a passing tanker.", ("killed", 9), ("killed", 40)),
        # people trapped underground or under rubble are not yet accounted for
        ("Four miners were killed and 11 are trapped after the blast.", ("missing", 11), ("killed", 11)),
        ("Six workers remain trapped, the company said.", ("missing", 6), None),
        # ... unless they were freed
        ("Commandos freed 30 people trapped in the building.", ("other", 30), ("missing", 30)),
        # a distance at sea in nautical miles
        ("The boat sank about 50 nautical miles south of the island.", ("distance_km", 92.6), ("distance_km", 80.467)),
        # people hurt earlier who died are dead
        ("Three more injured passengers died overnight in hospital.", ("killed", 3), ("injured", 3)),
        # responders who arrived are no refugees
        ("About 300 firefighters from two states arrived on Friday.", ("other", 300), ("displaced", 300)),
        # machines counted are things
        ("Rescuers found six more bodies after two cranes lifted the wreck.", ("killed", 6), ("killed", 2)),
        # one body found, without a numeral
        ("Police said the body of a man had been found in a burnt-out car.", ("killed", 1), None),
    ],
)
def test_what_is_counted_sixth_round(text: str, expected: tuple[str, float], absent: tuple[str, float] | None) -> None:
    found = counted(text)
    assert expected in found
    if absent is not None:
        assert absent not in found
