from __future__ import annotations

import pytest

from streams.stages.quantities import extract_quantities

SCORED = {
    "area_km2",
    "settlements",
    "depth_km",
    "front_km",
    "distance_km",
    "killed",
    "injured",
    "displaced",
    "missing",
    "captured",
    "missiles",
    "drones",
    "troops",
    "money_usd",
}


def facts(text: str) -> list[tuple[str, float, str]]:
    return [(q.kind, round(q.value, 3), q.qualifier) for q in extract_quantities(text) if q.kind in SCORED]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At least 30 people were killed and 80 injured.", [("killed", 30, "at_least"), ("injured", 80, "exact")]),
        ("5,000 acres burned overnight.", [("area_km2", 20.234, "exact")]),
        ("Dozens of drones were shot down.", [("drones", 24, "at_least")]),
        ("1.2m people displaced by the floods.", [("displaced", 1_200_000, "exact")]),
        ("Fire destroyed a 3.2 square mile area.", [("area_km2", 8.288, "exact")]),
        ("Hundreds of thousands have fled the city.", [("displaced", 200_000, "at_least")]),
        ("Tens of thousands of troops massed at the border.", [("troops", 20_000, "at_least")]),
        ("Thousands of people were evacuated.", [("displaced", 2000, "at_least")]),
        ("The advance was up to 12km (7.5 miles) deep.", [("depth_km", 12, "at_most")]),
        ("Troops moved along a 40km (25-mile) front.", [("front_km", 40, "exact")]),
        ("They pushed 10km into enemy territory.", [("depth_km", 10, "exact")]),
        ("The town is 30 miles from the border.", [("distance_km", 48.28, "exact")]),
        ("Forces hold 4,500 sq km of land.", [("area_km2", 4500, "exact")]),
        ("Nearly 2,000 hectares were flooded.", [("area_km2", 20, "at_most")]),
        (
            "The number of civilians killed in the attack now stands at 12, while 121 have been injured.",
            [("killed", 12, "exact"), ("injured", 121, "exact")],
        ),
        ("Some 121,000 people have fled their homes.", [("displaced", 121_000, "approx")]),
        ("It has forced more than 100,000 people from their homes.", [("displaced", 100_000, "at_least")]),
        ("The death toll has risen to 45.", [("killed", 45, "exact")]),
        ("The strike hit a school, killing 12 and injuring 30.", [("killed", 12, "exact"), ("injured", 30, "exact")]),
        ("Three people were killed and seven are missing.", [("killed", 3, "exact"), ("missing", 7, "exact")]),
        ("More than a dozen villages were evacuated.", [("settlements", 12, "at_least")]),
        ("Russia launched 90 drones and 12 missiles overnight.", [("drones", 90, "exact"), ("missiles", 12, "exact")]),
        ("Iran plans to send hundreds of ballistic missiles.", [("missiles", 200, "at_least")]),
        ("Ukraine has captured 100 Russian soldiers.", [("captured", 100, "exact")]),
        ("About 128 hostages are still held.", [("captured", 128, "approx")]),
        ("10,000 troops are deployed near the border.", [("troops", 10_000, "exact")]),
        ("The US announced $1.2bn in military aid.", [("money_usd", 1.2e9, "exact")]),
        ("Ukraine now controls 28 settlements in the region.", [("settlements", 28, "exact")]),
        ("Around 1,000 square kilometres are under its control.", [("area_km2", 1000, "approx")]),
        ("Over 500 homes were destroyed and 40 people died.", [("killed", 40, "exact")]),
        ("At least 20,000 people have been injured.", [("injured", 20_000, "at_least")]),
    ],
)
def test_extract_quantities_reads_kind_value_and_qualifier(text: str, expected: list[tuple[str, float, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The attack began on 6 August.",
        "We reported earlier (see 13.14 post).",
        "They asked for F-16 jets and S-300 systems.",
        "In 2022, the war began in earnest.",
        "One of the soldiers said the unit was exhausted.",
        "Crews were trained on the Fath 360 missile system.",
        "Casualties rose sharply in the past 24 hours.",
        "The toll could rise eightfold.",
        "Turnout was 65% in the capital.",
    ],
)
def test_extract_quantities_ignores_dates_times_models_and_rates(text: str) -> None:
    assert facts(text) == []


def test_extract_quantities_counts_a_converted_length_once() -> None:
    found = extract_quantities("The advance reached 12km (7.5 miles) in depth.")
    assert [(q.kind, q.value) for q in found] == [("depth_km", 12.0)]


def test_extract_quantities_offsets_point_into_the_text() -> None:
    text = "Officials said some 5,000 people had fled the town."
    (found,) = extract_quantities(text)
    assert text[found.start : found.end] == found.text
    assert found.text.startswith("some 5,000")


def test_extract_quantities_converts_units_to_base() -> None:
    (miles,) = extract_quantities("a 25-mile stretch")
    assert miles.unit == "km"
    assert miles.value == pytest.approx(40.23, rel=1e-3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Seven bodies have been recovered, the coastguard said.", [("killed", 7.0)]),
        ("The bodies of four people had been recovered.", [("killed", 4.0)]),
        ("About 1.5 million people were sheltering in cyclone centres.", [("displaced", 1_500_000.0)]),
        ("About 1.3 million people had spent the night in 4,200 cyclone shelters.", [("displaced", 1_300_000.0)]),
        ("19 people had been confirmed dead across nine districts.", [("killed", 19.0)]),
        ("740 people had been injured and more than 4,000 rescue workers had been sent.", [("injured", 740.0)]),
        (
            "62 people were confirmed dead and more than 500 were being treated in hospital.",
            [("killed", 62.0), ("injured", 500.0)],
        ),
        ("Four firefighters have now been injured.", [("injured", 4.0)]),
        # people ordered out of their homes are displaced; responders sent in are not
        ("Some 18,000 residents are now under orders to leave.", [("displaced", 18_000.0)]),
        ("About 3,000 residents have been told to leave their homes.", [("displaced", 3000.0)]),
        ("Some 4,000 firefighters were ordered to the area.", []),
    ],
)
def test_what_is_counted_in_disaster_reports(text: str, expected: list[tuple[str, float]]) -> None:
    scored = [(q.kind, q.value) for q in extract_quantities(text) if q.kind != "other"]
    assert scored == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Security forces have freed 41 hostages from the upper floors.", []),
        ("Thousands of people joined relatives of hostages at a rally.", []),
        ('The group said "no more than 11" civilians died.', [("killed", 11.0)]),
        ("Dozens of others were being treated for wounds.", [("injured", 24.0)]),
        ("The charity said 38 people had been taken to hospital.", [("injured", 38.0)]),
        ("Israel says 101 hostages are still being held.", [("captured", 101.0)]),
    ],
)
def test_captives_freed_and_quoted_figures(text: str, expected: list[tuple[str, float]]) -> None:
    assert [(q.kind, q.value) for q in extract_quantities(text) if q.kind != "other"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what happened to captives, said after them, decides what is counted
        ("It said 13 hostages had been killed by the attackers.", [("killed", 13.0)]),
        ("Twenty-six hostages died in the operation.", [("killed", 26.0)]),
        ("Army says 155 hostages freed and 27 attackers killed", [("killed", 27.0)]),
        ("Four hostages were wounded in the crossfire.", [("injured", 4.0)]),
        ("The group still holds 101 hostages in Gaza.", [("captured", 101.0)]),
        # vehicles are things: the toll word before them counts nothing
        ("The toll does not include passengers on the two buses.", []),
        # places hit by a disaster are not ground held
        ("Helicopters reached 14 villages cut off by the floods.", []),
        ("Forces now control 14 villages in the district.", [("settlements", 14.0)]),
    ],
)
def test_captives_fates_vehicles_and_villages_hit(text: str, expected: list[tuple[str, float]]) -> None:
    scored = [(q.kind, q.value) for q in extract_quantities(text) if q.kind != "other"]
    assert scored == expected
