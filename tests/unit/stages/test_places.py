"""places.within and places.side_of: sub-places and the side a source speaks for."""

from __future__ import annotations

import pytest

from streams.stages.places import side_of, within


@pytest.mark.parametrize(
    ("place", "area", "inside"),
    [
        ("Kursk", "Kursk", True),
        ("Sudzha", "Kursk", True),  # a town in Kursk oblast
        ("Sudzha", "Kursk region", True),
        ("Kharkiv", "Kharkivska oblast", True),
        ("Sudzha", "Russia", True),
        ("Sudzha", "Kharkiv", False),
        ("Kharkiv", "Russia", False),
        ("Oxnard", "California", True),
        ("Karachi", "Sindh", False),  # no namesake city: Sindh only matches itself
        ("Sindh", "sindh", True),
        ("Nowhereville", "Kursk", False),
    ],
)
def test_within(place: str, area: str, inside: bool) -> None:
    assert within(place, area) is inside


@pytest.mark.parametrize(
    ("source", "role", "side"),
    [
        ("Israeli army", None, "IL"),
        ("Gaza's health ministry", None, "PS"),
        ("Oleksandr Syrskyi", "Kyiv’s army chief", "UA"),
        ("Ukraine’s top commander", None, "UA"),
        ("Russian defence ministry", None, "RU"),
        ("health ministry", None, None),
        ("Alexei Smirnov", None, None),
        (None, None, None),
    ],
)
def test_side_of(source: str | None, role: str | None, side: str | None) -> None:
    assert side_of(role, source) == side
