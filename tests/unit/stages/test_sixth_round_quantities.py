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


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # a part of the count before it shares its kind
        ("He said 70 people had been injured, 11 of them guards.", ("injured", 11), None),
        ("Officials said 24 inmates were killed and 59 people injured, including eight guards.", ("injured", 8), None),
        ("Fourteen people remain in hospital, four of them in a critical condition.", ("injured", 4), None),
        # ... but not a part of a count of no fate
        ("Six passengers survived, two of them in a critical condition.", None, ("injured", 2)),
        # survivors taken to hospital are the injured
        ("Twelve of the survivors were taken to hospital with hypothermia.", ("injured", 12), None),
        # villages reached or where something happened are no ground held
        ("The agency said its teams had reached 31 villages.", ("other", 31), ("settlements", 31)),
        ("Officials said 300 people were killed in 12 villages of the district.", ("killed", 300), ("settlements", 12)),
        ("Russian forces captured 14 villages in a week.", ("settlements", 14), None),
        # launchers are no rockets
        ("The US will send 30 more HIMARS rocket launchers.", ("other", 30), ("missiles", 30)),
        # people being treated are hurt
        ("The hospital said it was treating nine people with gunshot wounds.", ("injured", 9), None),
    ],
)
def test_parts_places_and_launchers(
    text: str, expected: tuple[str, float] | None, absent: tuple[str, float] | None
) -> None:
    found = counted(text)
    if expected is not None:
        assert expected in found
    if absent is not None:
        assert absent not in found


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Twenty-three people have now been treated for injuries, eight of them children, the hospital said.",
            [("injured", 23)],
        ),
        ("Officials said 59 people were injured, including eight guards.", [("injured", 59)]),
        # the whole is no claim (patients still in hospital are part of the injured), nor is its part
        ("Fourteen people remain in hospital, four of them in a critical condition, the mayor said.", []),
    ],
)
def test_a_part_of_a_count_makes_no_claim_of_its_own(body: str, expected: list[tuple[str, float]]) -> None:
    from streams.stages.claims import extract_claims
    from streams.stages.entities import extract_entities

    title = "Injured"
    text = f"{title}\n\n{body}"
    found = extract_claims(title, body, extract_entities(text), extract_quantities(text))
    assert [(c.metric, c.value) for c in found] == expected
