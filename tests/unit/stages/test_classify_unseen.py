"""Category cues four unseen blogs (dam burst, border exchange, hurricane, shooting) showed missing or misread."""

from __future__ import annotations

import pytest

from streams.stages.classify import classify


def labels(title: str, body: str, counted: frozenset[str], feed_title: str | None = None) -> set[str]:
    return {c.label for c in classify(title, body, counted=counted, feed_title=feed_title)}


@pytest.mark.parametrize(
    ("title", "body", "counted", "label", "expected"),
    [
        # a headline giving a speaker's own words is a statement
        (
            "Governor: ‘Nobody should stay behind’",
            "The governor urged everyone on the islands to go inland before nightfall.",
            frozenset(),
            "statement",
            True,
        ),
        # a shooting is an armed attack
        (
            "Shots fired outside stadium",
            "Police say shots were fired near the stadium and asked fans to stay indoors.",
            frozenset(),
            "military",
            True,
        ),
        # an attacker who fled is no refugee
        (
            "Two killed in shooting at school",
            "Two people were killed in a shooting at a school, police said. The gunman fled in a car.",
            frozenset({"killed"}),
            "humanitarian",
            False,
        ),
        # people told to leave their homes are a humanitarian story
        (
            "Residents told to leave as river rises",
            "Officials told everyone living by the river to leave before the water reached the bridge.",
            frozenset(),
            "humanitarian",
            True,
        ),
        # satellite images are evidence for a figure, not a picture post
        (
            "Slick covers 40 sq km, satellite images show",
            "Satellite images analysed by the environment agency show the oil spreading east.",
            frozenset({"area_km2"}),
            "media",
            False,
        ),
        # a prosecutor who gives the toll is its source, not a legal story
        (
            "Toll rises to four, prosecutors say",
            "A fourth person has died in hospital, the public prosecution service said.",
            frozenset({"killed"}),
            "legal",
            False,
        ),
        # a ministry giving a toll "in a statement" is attribution
        (
            "Ministry: three killed in strikes",
            "Three people were killed in strikes on two villages, the health ministry said in a statement.",
            frozenset({"killed"}),
            "statement",
            False,
        ),
        # wounds are casualties
        (
            "Mayor visits hospital",
            "The city's hospitals had treated 14 people for gunshot wounds by midnight.",
            frozenset({"injured"}),
            "casualties",
            True,
        ),
    ],
)
def test_cues_from_unseen_blogs(title: str, body: str, counted: frozenset[str], label: str, expected: bool) -> None:
    assert (label in labels(title, body, counted)) is expected


def test_a_disaster_blog_title_makes_a_bare_toll_humanitarian() -> None:
    title, body = "Toll rises to 19", "Nineteen people are now known to have died, the fire service said."
    assert "humanitarian" not in labels(title, body, frozenset({"killed"}))
    feed = "Dam collapse live: rescuers search mud for survivors"
    assert "humanitarian" in labels(title, body, frozenset({"killed"}), feed_title=feed)


@pytest.mark.parametrize(
    ("title", "body", "counted", "label", "expected"),
    [
        # a coup is politics
        (
            "Army officers say they have seized power",
            "Officers read a statement on state radio dissolving the government and suspending the constitution.",
            frozenset(),
            "politics",
            True,
        ),
        # clashes between soldiers are fighting; with police at a march they are only the event
        (
            "Eight killed in clashes near the airport",
            "Eight people were killed in clashes between rival army units near the airport, a doctor said.",
            frozenset({"killed"}),
            "military",
            True,
        ),
        (
            "Police say two killed in clashes",
            "Two protesters were killed in clashes with police near parliament, a police spokesman said.",
            frozenset({"killed"}),
            "military",
            False,
        ),
        # denying or disputing a toll is taking a position
        (
            "Authorities deny under-reporting",
            "Officials rejected the account and said the confirmed toll stood at 19.",
            frozenset({"killed"}),
            "statement",
            True,
        ),
        # an inquiry is a legal story
        (
            "Governor orders inquiry into crush",
            "The governor ordered a judicial inquiry into the crush at the stadium gates.",
            frozenset(),
            "legal",
            True,
        ),
        # people crossing a border are a humanitarian story
        (
            "Thousands cross into Chad",
            "More than 4,000 people have crossed into Chad since Sunday, the UN said.",
            frozenset({"displaced"}),
            "humanitarian",
            True,
        ),
        # an explosion at a plant is an accident, not fighting
        (
            "Explosion at chemical plant",
            "A blast tore through a chemical plant on the edge of the city, sending smoke over nearby homes.",
            frozenset(),
            "military",
            False,
        ),
        # a body found in a control room says nothing about who controls ground
        (
            "Bodies found in control room",
            "Rescuers found two bodies in the control room of the damaged unit.",
            frozenset({"killed"}),
            "territorial",
            False,
        ),
        # a headline quoting what someone said
        (
            "Kremlin brands drone raid ‘an act of terror’",
            "The overnight raid hit a fuel depot outside the city.",
            frozenset(),
            "statement",
            True,
        ),
    ],
)
def test_cues_from_the_second_round(title: str, body: str, counted: frozenset[str], label: str, expected: bool) -> None:
    assert (label in labels(title, body, counted)) is expected


def test_a_crowd_crush_blog_makes_a_bare_toll_humanitarian() -> None:
    title, body = "Toll rises to 31", "Thirty-one people are now known to have died, officials said."
    feed = "Stampede live: pilgrims crushed at temple gate"
    assert "humanitarian" in labels(title, body, frozenset({"killed"}), feed_title=feed)


@pytest.mark.parametrize(
    ("title", "body", "label", "expected"),
    [
        (
            "Rebels claim capture of Hpakant",
            "The rebel army said it now controlled the jade-mining town.",
            "territorial",
            True,
        ),
        (
            "Army says it repelled the attack",
            "A spokesman said troops still held all their positions.",
            "territorial",
            True,
        ),
        (
            "Rebels take 9 military outposts",
            "The group said its fighters had captured 9 military outposts.",
            "territorial",
            True,
        ),
        (
            "Missing count falls",
            "The number of people still missing has fallen to 21, the agency said.",
            "territorial",
            False,
        ),
    ],
)
def test_ground_taken_in_other_words(title: str, body: str, label: str, expected: bool) -> None:
    assert (label in labels(title, body, frozenset())) is expected
