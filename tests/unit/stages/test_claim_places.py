"""Where a figure is filed: the place a relative clause hangs on, and a village the blog's title names."""

from __future__ import annotations

import pytest

from streams.stages.claims import extract_claims
from streams.stages.entities import extract_entities
from streams.stages.quantities import extract_quantities
from streams.stages.story import title_names_place
from tests.unit.stages.test_story import placed


def places_of(title: str, body: str) -> list[tuple[str, float, str | None]]:
    text = f"{title}\n\n{body}"
    found = extract_claims(title, body, extract_entities(text), extract_quantities(text))
    return [(c.metric, c.value, c.place) for c in found]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the figure's clause hangs on the town before it, not on the region named later
        (
            "The president met people wounded in the strike on Kharkiv, which killed seven people, "
            "and asked for more air defence for the Sumy region.",
            ("killed", 7, "Kharkiv"),
        ),
        (
            "Rescuers reached Dnipro, where 12 people were injured, before moving on to the Poltava region.",
            ("injured", 12, "Dnipro"),
        ),
        # a place inside the clause itself still wins
        (
            "Officials visited Odesa, which says 9 people were killed in Izmail, and left for the Kherson region.",
            ("killed", 9, "Izmail"),
        ),
    ],
)
def test_a_figure_in_a_relative_clause_is_about_its_antecedent(body: str, expected: tuple[str, float, str]) -> None:
    assert expected in places_of("Visit", body)


@pytest.mark.parametrize(
    ("name", "title", "expected"),
    [
        ("Stupky", "War live: Moscow claims Stupky as Sumy strike toll rises", True),
        ("stupky", "War live: Moscow claims Stupky as Sumy strike toll rises", True),
        ("Trishuli", "Landslides live: 41 dead after buses swept into Trishuli river", False),
        ("Koshava", "Floods live: toll rises along the Koshava road", False),
        ("Stup", "War live: Moscow claims Stupky", False),
        ("Stupky", "", False),
    ],
)
def test_title_names_place(name: str, title: str, expected: bool) -> None:
    assert title_names_place(name, title) is expected


def test_a_village_the_title_names_keeps_its_own_tolls_apart_from_the_story_town() -> None:
    title = "War live: Moscow claims Vilkhove Pole as Sumy strike toll rises to five"
    posts = [
        {
            "title": "Three killed in strike on Sumy",
            "body": "Three people were killed in Sumy overnight, the mayor said.",
        },
        {
            "title": "Moscow says it killed 100 soldiers",
            "body": "Russia's defence ministry said it had killed more than 100 soldiers "
            "in the fighting for the village of Vilkhove Pole.",
        },
    ]
    first, second = placed(posts, feed_title=title)
    assert [(c.metric, c.place) for c in first] == [("killed", "Sumy")]
    assert [(c.metric, c.value, c.place) for c in second] == [("killed", 100, "Vilkhove Pole")]


def test_an_unknown_village_the_title_does_not_name_stays_in_the_story() -> None:
    title = "War live: Sumy strike toll rises to five"
    posts = [
        {
            "title": "Three killed in strike on Sumy",
            "body": "Three people were killed in Sumy overnight, the mayor said.",
        },
        {
            "title": "Two more dead",
            "body": "Two more people were killed in the village of Vilkhove Pole, the mayor said.",
        },
    ]
    _, second = placed(posts, feed_title=title)
    assert [(c.metric, c.place) for c in second] == [("killed", "Sumy")]


@pytest.mark.parametrize(
    ("town", "expected"),
    [
        # neighbouring towns 7-13 km apart are separate tolls, not suburbs of the story's town
        ("Myrnohrad", "Myrnohrad"),
        ("Pokrovsk", "Pokrovsk"),
    ],
)
def test_a_neighbouring_town_keeps_its_own_toll(town: str, expected: str) -> None:
    posts = [
        {"title": "Shelling hits Pokrovsk", "body": "Four people were killed in Pokrovsk, officials said."},
        {"title": "Toll rises", "body": "Six people have now died in the shelling of Pokrovsk, officials said."},
        {"title": "Strike on town", "body": f"Two people were killed in a strike on {town}, officials said."},
    ]
    *_, third = placed(posts, feed_title="Pokrovsk live: shelling toll rises")
    assert [(c.metric, c.place) for c in third] == [("killed", expected)]


def test_a_region_named_in_a_speakers_title_does_not_widen_a_town_story() -> None:
    posts = [
        {"title": "Shelling hits Kherson", "body": "Four people were killed in Kherson, officials said."},
        {"title": "Toll rises", "body": "Seven people have now died in the shelling of Kherson, officials said."},
        {
            "title": "Three killed in Oleshky",
            "body": "Three people were killed in a strike on Oleshky, the governor of the Kherson region said.",
        },
    ]
    *_, third = placed(posts, feed_title="Kherson live: shelling toll rises")
    assert [(c.metric, c.place) for c in third] == [("killed", "Oleshky")]
