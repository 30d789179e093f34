"""Cues found by blogs the extractor had never seen (dam burst, border exchange, hurricane, shooting).

Each case is written in new words, not copied from those blogs, and fails without its fix.
"""

from __future__ import annotations

import pytest

from streams.models import Claim
from streams.stages.claims import extract_claims
from streams.stages.entities import extract_entities
from streams.stages.quantities import extract_quantities


def claims(title: str, body: str) -> list[Claim]:
    text = f"{title}\n\n{body}"
    return extract_claims(title, body, extract_entities(text), extract_quantities(text))


def test_a_month_and_year_date_the_sentence_as_background() -> None:
    found = claims(
        "Gunman opens fire in Ghent",
        "Two people were killed in Ghent, police said. In June 2016, a bomb killed nine people in Antwerp.",
    )
    assert [(c.metric, c.value) for c in found] == [("killed", 2)]


def test_a_background_headline_makes_the_whole_post_context() -> None:
    found = claims(
        "Background: the coast's worst storm",
        "Hurricane Ivan, which hit the same coast as a category 4 storm, killed 23 people in Alabama.",
    )
    assert found == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the "and" joins two places, so the fate after them is the count's
        (
            "About 2,500 residents of Porto Alegre and the nearby city of Canoas were told to leave their homes.",
            ("displaced", 2500),
        ),
        # "out of their homes" is a fate, not "12 out of 20"
        ("Officials said 900 people had been moved out of their homes overnight.", ("displaced", 900)),
        # people an evacuation order covers
        ("The mayor ordered the evacuation of three districts, affecting about 45,000 people.", ("displaced", 45000)),
        # a victim without a numeral
        ("A 54-year-old woman was killed when a wall collapsed.", ("killed", 1)),
        ("An elderly man was wounded by shrapnel.", ("injured", 1)),
        # troops nothing happened to are troops, not casualties
        ("None of its 800 peacekeepers were hurt, the mission said.", ("troops", 800)),
    ],
)
def test_what_is_counted_in_unseen_phrasings(text: str, expected: tuple[str, float]) -> None:
    assert expected in [(q.kind, q.value) for q in extract_quantities(text)]


def test_a_speed_is_no_distance() -> None:
    found = extract_quantities("The water was rising at 2 km an hour and the slick moved at 3 miles per hour.")
    assert [q.kind for q in found] == ["other", "other"]
