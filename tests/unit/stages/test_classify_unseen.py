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
