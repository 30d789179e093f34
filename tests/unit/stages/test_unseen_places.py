"""Fifth round of unseen blogs: where a figure is filed, which side it is about, and what is background."""

from __future__ import annotations

from streams.stages.claims import extract_claims
from streams.stages.entities import extract_entities
from streams.stages.quantities import extract_quantities
from tests.unit.stages.test_story import placed

ELECTION = "Kenya election live: unrest spreads as opposition rejects result"


def claims_of(title: str, body: str) -> list[tuple[str, float, str | None, str | None]]:
    text = f"{title}\n\n{body}"
    found = extract_claims(title, body, extract_entities(text), extract_quantities(text))
    return [(c.metric, c.value, c.qualifier, c.place) for c in found]


def test_a_city_toll_in_a_country_story_is_the_citys_own() -> None:
    posts = [
        {"title": "Polls close", "body": "Voting ended across Kenya on Tuesday evening."},
        {
            "title": "Protesters killed in Kisumu",
            "body": "Three people were killed in Kisumu on Thursday when police opened fire, a local official said.",
        },
        {
            "title": "Rights group counts 20 dead across Kenya",
            "body": "At least 20 people have been killed across Kenya since the vote, a rights group said.",
        },
    ]
    _, city, country = placed(posts, feed_title=ELECTION)
    assert [(c.metric, c.value, c.place) for c in city] == [("killed", 3, "Kisumu")]
    assert [(c.metric, c.value, c.place) for c in country] == [("killed", 20, "Kenya")]


def test_a_capital_where_something_happened_places_the_figures_after_it() -> None:
    posts = [
        {"title": "Polls close", "body": "Voting ended across Kenya on Tuesday evening."},
        {
            "title": "Two killed as police disperse protesters in Nairobi",
            "body": "Police fired tear gas at crowds blocking roads. Two people were killed and 14 injured, "
            "the city police commander said.",
        },
    ]
    _, capital = placed(posts, feed_title=ELECTION)
    assert sorted((c.metric, c.place) for c in capital) == [("injured", "Nairobi"), ("killed", "Nairobi")]


def test_the_citys_toll_points_back_to_the_town_named_earlier_in_the_sentence() -> None:
    posts = [
        {"title": "Polls close", "body": "Voting ended across Kenya on Tuesday evening."},
        {
            "title": "Toll rises, police say",
            "body": "Two more people died in Mombasa overnight as protesters clashed with police, "
            "bringing the city's toll to six, police spokesman Peter Otieno said.",
        },
    ]
    _, city = placed(posts, feed_title=ELECTION)
    assert [(c.metric, c.value, c.place) for c in city] == [("killed", 6, "Mombasa")]


def test_a_toll_after_one_with_its_place_from_the_same_speaker_shares_the_place() -> None:
    posts = [
        {"title": "Polls close", "body": "Voting ended across Kenya on Tuesday evening."},
        {
            "title": "Hospital reports deaths",
            "body": "Four people have died of gunshot wounds in Eldoret since Saturday, the hospital's director, "
            "Grace Wanjiru, said. Eleven others were being treated for their injuries, she said.",
        },
    ]
    _, hospital = placed(posts, feed_title=ELECTION)
    assert sorted((c.metric, c.place) for c in hospital) == [("injured", "Eldoret"), ("killed", "Eldoret")]


def test_a_month_with_its_year_dates_a_sentence_in_the_past() -> None:
    body = (
        "The interior minister said no more than 10 people had died in the unrest nationwide. "
        "After the August 2017 election, clashes killed at least 24 people, rights groups said."
    )
    assert claims_of("Minister disputes toll", body) == [("killed", 10, "at_most", None)]
