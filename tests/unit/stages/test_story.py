"""The story fold (which place a feed is about) and how claims are filed under it."""

from __future__ import annotations

from typing import Any

import pytest

from streams.models import Claim, Story
from streams.stages.enrich import enrich, post_text
from streams.stages.entities import extract_entities
from streams.stages.story import observe_story
from tests.conftest import make_post


def fold(posts: list[dict[str, Any]], feed_title: str | None = None) -> Story:
    story: Story | None = None
    for number, fields in enumerate(posts):
        post = make_post(post_id=f"p{number}", feed_title=feed_title, **fields)
        story = observe_story(story, post, extract_entities(post_text(post)))
    assert story is not None
    return story


def placed(posts: list[dict[str, Any]], feed_title: str | None = None) -> list[list[Claim]]:
    """Enrich posts in order as the worker does, threading the story; the claims of each."""
    story: Story | None = None
    out = []
    for number, fields in enumerate(posts):
        post = make_post(post_id=f"p{number}", feed_title=feed_title, **fields)
        enriched = enrich(post, fingerprint=f"fp{number}", story=story)
        story = observe_story(story, post, enriched.entities)
        out.append(enriched.claims)
    return out


def test_the_feed_title_names_the_story_from_the_first_post() -> None:
    story = fold(
        [{"title": "Crews fight the blaze", "body": "Firefighters in Santa Paula said the fire was spreading."}],
        feed_title="Wildfire live: thousands flee as fire spreads in Ventura County",
    )
    assert story.main_place is not None
    assert story.main_place.name == "Ventura County"
    assert story.posts == 1


def test_a_town_and_the_region_named_after_it_are_one_place() -> None:
    story = fold(
        [
            {"title": "Quake hits Malatya", "body": "Buildings collapsed in Malatya."},
            {"title": "Toll rises", "body": "Rescuers are searching across Malatya province."},
        ]
    )
    names = [p.canonical for p in story.places]
    assert names.count("Malatya") == 1
    assert story.main_place is not None and story.main_place.admin_level == 1  # the wider extent wins


def test_capitals_and_countries_do_not_make_a_story_place() -> None:
    story = fold(
        [{"title": "Kyiv says talks stalled", "body": "Ukraine and Moscow traded blame over the shelling in Sudzha."}]
    )
    assert [p.canonical for p in story.places] == ["Sudzha"]


def test_old_places_decay_so_a_moving_story_follows() -> None:
    early = [{"title": "Fighting near Sudzha", "body": "Shelling hit Sudzha."}]
    later = [{"title": f"Update {n}", "body": "Heavy fighting around Pokrovsk."} for n in range(4)]
    story = fold(early + later)
    assert story.main_place is not None and story.main_place.canonical == "Pokrovsk"
    assert len(story.places) == 2


def test_the_story_keeps_a_bounded_number_of_places() -> None:
    towns = (
        "Kharkiv Region, Sumy Region, Poltava Region, Odesa Region, Lviv Region, Kherson Region, Zaporizhzhia Region"
    )
    posts = [
        {"title": f"Alerts {n}", "body": f"Air raid alerts in {towns}, Donetsk Region and Luhansk Region."}
        for n in range(3)
    ]
    posts += [{"title": "More", "body": "Alerts in Vinnytsia Region, Chernihiv Region, Rivne Region and Volyn Region."}]
    assert len(fold(posts).places) <= 12


def test_a_figure_with_no_place_of_its_own_is_filed_under_the_story() -> None:
    (first, second) = placed(
        [
            {"title": "Fire spreads", "body": "The fire has burned 1,200 acres, Cal Fire said."},
            {"title": "Fire grows", "body": "The fire has grown to 6,500 acres, the fire department said."},
        ],
        feed_title="Wildfire live: evacuations in Ventura County",
    )
    assert [c.place for c in first] == ["Ventura County"]
    assert [c.key for c in second] == [c.key for c in first]  # one ledger key: an update, not a new claim


def test_a_suburb_rolls_up_but_a_place_abroad_keeps_its_own_name() -> None:
    (claims,) = placed(
        [
            {
                "title": "Strikes continue",
                "body": "Twelve people were killed in Battalgazi. Separately, 40 people were killed in Aleppo.",
            }
        ],
        feed_title="Earthquake live: rescuers dig through rubble in Malatya",
    )
    by_value = {c.value: c.place for c in claims}
    assert by_value[12] == "Malatya"
    assert by_value[40] == "Aleppo"


def test_where_a_speaker_stands_is_not_what_the_figure_is_about() -> None:
    (claims,) = placed(
        [
            {
                "title": "Toll rises",
                "body": "Health minister Kemal Aydin told reporters in Ankara that 62 people had died.",
            }
        ],
        feed_title="Earthquake live: rescuers dig through rubble in Malatya",
    )
    assert [c.place for c in claims] == ["Malatya"]


def test_a_title_that_puts_the_story_in_one_country_files_its_towns_under_it() -> None:
    claims = placed(
        [
            {"title": "Toll rises", "body": "Police said 7 people were killed in Barisal."},
            {"title": "Toll rises again", "body": "The ministry said 19 people had died in Kuakata and Bhola."},
        ],
        feed_title="Cyclone live: at least 24 dead in Bangladesh as storm weakens",
    )
    assert [c.place for post in claims for c in post] == ["Bangladesh", "Bangladesh"]
    assert claims[0][0].key == claims[1][0].key


def test_a_country_named_as_a_side_in_the_title_is_not_the_story_place() -> None:
    story = fold(
        [{"title": "Advance continues", "body": "Troops advanced in the Kursk region."}],
        feed_title="War latest: Ukraine now controls 1,000 sq km of Russian territory",
    )
    assert story.main_place is not None and story.main_place.canonical == "Kursk"


def test_places_the_feed_has_shown_are_known_in_later_posts() -> None:
    story = fold(
        [{"title": "Thousands flee", "body": "Thousands fled Um Shalaya after the assault on Um Shalaya."}],
        feed_title="Sudan war live: fighters claim capture of Um Shalaya",
    )
    assert "Um Shalaya" in story.local_places
    post = make_post(post_id="later", title="Why Um Shalaya matters", body="Um Shalaya sits on a key road.")
    enriched = enrich(post, fingerprint="fp", story=story)
    assert ("Um Shalaya", "PLACE") in [(e.text, e.type) for e in enriched.entities]


def test_a_known_place_in_the_title_leads_a_mall_named_more_often() -> None:
    posts = [
        {"title": f"Update {n}", "body": "Police surrounded the Coral Gate mall. Gunmen inside Coral Gate."}
        for n in range(3)
    ]
    story = fold(posts, feed_title="Mombasa mall attack live: siege at Coral Gate")
    assert story.main_place is not None and story.main_place.canonical == "Mombasa"


def test_a_post_read_again_sees_the_story_it_saw_the_first_time() -> None:
    posts = [
        make_post(post_id="a", seq=0, title="Shelling", body="Shelling hit Sudzha overnight."),
        make_post(post_id="b", seq=1, title="Toll", body="Twelve people were killed, officials said."),
        make_post(post_id="c", seq=2, title="Advance", body="Heavy fighting around Pokrovsk. Pokrovsk is burning."),
        make_post(post_id="d", seq=3, title="More", body="Troops moved towards Pokrovsk and Pokrovsk district."),
    ]
    story = None
    first_seen = {}
    for post in posts:
        story = observe_story(story, post, extract_entities(post_text(post)))
        first_seen[post.post_id] = story.places
    assert story is not None
    # after a crash the table is ahead of the offsets: "b" comes again after "d"
    again = observe_story(story, posts[1], extract_entities(post_text(posts[1])))
    assert again.places == first_seen["b"]
    assert again.posts == story.posts  # a redelivery is not a new post
    assert again.entries == story.entries


def test_a_redelivery_after_the_window_slid_still_sees_its_first_story() -> None:
    early = [make_post(post_id=f"e{n}", seq=n, title="Shelling", body="Shelling in Sudzha.") for n in range(3)]
    late = [make_post(post_id=f"l{n}", seq=3 + n, title="Fighting", body="Fighting near Pokrovsk.") for n in range(45)]
    story = None
    first = None
    for post in [*early, *late]:
        story = observe_story(story, post, extract_entities(post_text(post)))
        if post.post_id == "e1":
            first = story.main_place
    assert story is not None and first is not None
    assert all(entry.post_id != "e1" for entry in story.entries)  # pushed out of the window
    again = observe_story(story, early[1], extract_entities(post_text(early[1])))
    assert again.main_place is not None and again.main_place.canonical == first.canonical == "Sudzha"


@pytest.mark.parametrize(
    ("feed_title", "expected"),
    [
        # a country heading the title is the story beside a river no gazetteer knows
        ("Nepal landslides live: 41 dead after buses swept into Trishuli river", "Nepal"),
        # a known city in the title is where it happens
        ("Indonesia protests live: nine dead as unrest spreads to Medan", "Medan"),
        # so is a capital the title sets the news in (not its government speaking)
        ("Indonesia protests live: nine dead as unrest spreads from Jakarta", "Jakarta"),
        ("Protests live: Moscow says talks stalled as crowds gather in Jakarta", "Jakarta"),
    ],
)
def test_a_country_heading_the_title_is_the_story_unless_a_known_place_is_named(feed_title: str, expected: str) -> None:
    story = fold(
        [{"title": "Rescue teams arrive", "body": "Teams reached the area on Saturday."}], feed_title=feed_title
    )
    assert story.main_place is not None
    assert story.main_place.canonical == expected
