"""Sixth round of unseen blogs: a vote's country and its towns, where a toll is said, who revised it."""

from __future__ import annotations

from streams.models import Claim
from streams.stages.claims import extract_claims
from streams.stages.entities import extract_entities
from streams.stages.quantities import extract_quantities
from tests.unit.stages.test_story import placed

BOLIVIA = "Bolivia election live: disputed Santa Cruz count heads for recount as clashes leave dead"
TANZANIA = "Tanzania election live: unrest toll rises in Dar es Salaam, Arusha and Mwanza"
MALAWI = "Malawi election live: opposition disputes narrow win as protest toll rises in Lilongwe"
OPENING = {"title": "Polls close", "body": "Voting ended across the country on Sunday evening."}


def claims(title: str, body: str) -> list[Claim]:
    text = f"{title}\n\n{body}"
    return extract_claims(title, body, extract_entities(text), extract_quantities(text))


def where(found: list[Claim]) -> list[tuple[str, float, str | None]]:
    return sorted((c.metric, c.value, c.place) for c in found)


def test_a_vote_is_the_whole_countrys_story_unless_the_title_sets_it_in_one_town() -> None:
    toll = {"title": "Ombudsman gives toll", "body": "Five people have died since the vote, the ombudsman said."}
    _, bolivia = placed([OPENING, toll], feed_title=BOLIVIA)
    _, tanzania = placed([OPENING, toll], feed_title=TANZANIA)
    _, malawi = placed([OPENING, toll], feed_title=MALAWI)
    assert where(bolivia) == [("killed", 5, "Bolivia")]
    assert where(tanzania) == [("killed", 5, "Tanzania")]
    assert where(malawi) == [("killed", 5, "Lilongwe")]  # "... toll rises in Lilongwe": that town's story


def test_a_toll_across_the_country_is_the_countrys_in_a_town_story() -> None:
    posts = [
        {"title": "Two killed in Lilongwe", "body": "Two people were killed in Lilongwe, police said."},
        {
            "title": "Government gives toll",
            "body": "Government spokesman Daudi Banda said nine people had died across the country.",
        },
    ]
    _, national = placed(posts, feed_title=MALAWI)
    assert where(national) == [("killed", 9, "Malawi")]


def test_a_toll_with_no_place_of_its_own_is_where_the_headline_sets_the_post() -> None:
    post = {
        "title": "Two killed in Cochabamba as blockade is cleared",
        "body": "Police cleared a blockade on Wednesday. Two protesters were killed, the health service said, "
        "and 15 police officers were hurt, according to the interior ministry.",
    }
    _, found = placed([OPENING, post], feed_title=BOLIVIA)
    assert where(found) == [("injured", 15, "Cochabamba"), ("killed", 2, "Cochabamba")]


def test_a_region_named_after_its_country_sets_the_post_not_the_country() -> None:
    posts = [
        {
            "title": "Russia claims village",
            "body": "Russia said it had taken Pishchane, about 12km south-east of Kupiansk in the Kharkiv region.",
        },
        {
            "title": "Drones hit oil depot in Russia's Belgorod region",
            "body": "Ukrainian drones set fire to an oil depot, injuring three workers, the governor said.",
        },
    ]
    _, depot = placed(posts, feed_title="Russia-Ukraine war live: Russia claims village near Kupiansk")
    assert where(depot) == [("injured", 3, "Belgorod")]


def test_the_citys_toll_points_back_to_a_region_named_after_its_city() -> None:
    post = {
        "title": "Opposition candidate arrested",
        "body": "In Dar es Salaam, police commander Hamisi Mwakalinga said the city's toll remained at seven.",
    }
    _, found = placed([OPENING, post], feed_title=TANZANIA)
    assert where(found) == [("killed", 7, "Dar es Salaam")]


def test_a_city_and_the_region_named_after_it_are_one_key() -> None:
    posts = [
        OPENING,
        {"title": "Dar es Salaam toll rises to seven", "body": "Police said seven people had died."},
        {"title": "Toll", "body": "Police said eight people had died in Dar es Salaam on Friday."},
    ]
    _, city, region = placed(posts, feed_title=TANZANIA)
    assert [c.place for c in city + region] == ["Dar es Salaam", "Dar es Salaam"]
    assert city[0].key.removeprefix("killed") == region[0].key.removeprefix("killed")


def test_a_town_name_before_said_is_a_surname_not_a_place() -> None:
    found = claims("Toll rises", "Two more people died overnight, bringing the toll to three, Medina said.")
    assert [(c.metric, c.value, c.source, c.place) for c in found] == [("killed", 3, "Medina", None)]


def test_whoever_revises_a_toll_gives_it() -> None:
    found = claims(
        "Ministry revises toll",
        "The disaster management ministry revised its toll down to 1,055 dead, saying some were counted twice.",
    )
    assert [(c.metric, c.source) for c in found] == [("killed", "disaster management ministry")]


def test_bringing_the_toll_to_a_figure_counts_for_the_place_the_sentence_named() -> None:
    post = {
        "title": "Toll rises to three",
        "body": "Two more people died in hospital in Beira overnight, bringing the toll to three, police said. "
        "The number of injured rose to 41.",
    }
    _, found = placed([OPENING, post], feed_title="Mozambique election live: unrest toll rises")
    assert where(found) == [("injured", 41, "Beira"), ("killed", 3, "Beira")]


def test_a_bloc_delivering_weapons_is_their_sender() -> None:
    found = claims(
        "EU says it has delivered 2 million shells",
        "The EU has delivered 2 million artillery shells to Ukraine this year, its foreign policy chief said.",
    )
    assert [(c.metric, c.value, c.actor, c.actor_id, c.place) for c in found] == [
        ("arms_transfer", 2_000_000, "EU", "European Union", "Ukraine")
    ]


def test_recaptured_escapees_are_captives_counted() -> None:
    found = extract_quantities("Police say 410 escapees recaptured")
    assert [(q.kind, q.value) for q in found] == [("captured", 410)]


def test_a_lower_case_particle_joins_a_place_name() -> None:
    places = [e.canonical for e in extract_entities("Police fired on crowds in Dar es Salaam.") if e.type == "PLACE"]
    assert places == ["Dar es Salaam"]


def test_part_of_a_toll_counted_before_is_no_new_toll() -> None:
    found = claims("Injured moved", "About 70 of the injured were taken to the medical college hospital in Dhaka.")
    assert [c.metric for c in found] == []


def test_a_force_proposed_is_no_troops_deployed() -> None:
    found = claims("Force proposed", "Kenya's president proposed an African Union force of 5,000 troops for Darfur.")
    assert [c.metric for c in found] == []


def test_where_help_was_brought_from_is_not_where_the_toll_is() -> None:
    post = {
        "title": "Toll rises to 31",
        "body": "Rescuers found 11 more bodies after cranes brought from Chittagong lifted the coaches, "
        "bringing the toll to 31, the railway said.",
    }
    _, found = placed([OPENING, post], feed_title="Bangladesh train collision live: toll rises near Bhairab")
    assert [(c.metric, c.value) for c in found] == [("killed", 31)]
    assert found[0].place != "Chattogram"


def test_money_with_no_receiver_in_its_sentence_goes_to_the_one_the_post_named() -> None:
    found = claims(
        "Donors pledge $1.4bn for Sudan",
        "Donors pledged $1.4bn in aid for Sudan at the summit. Saudi Arabia pledged $300m, the largest single pledge.",
    )
    assert sorted((c.value, c.actor, c.place) for c in found if c.metric == "money_usd") == [
        (300_000_000, "Saudi Arabia", "Sudan"),
        (1_400_000_000, None, "Sudan"),
    ]


def test_a_named_blaze_holds_the_ground_it_burned() -> None:
    found = claims("Fire grows", "The Grampians blaze has burned 12,500 hectares, firefighters said.")
    assert [(c.metric, c.actor) for c in found] == [("area_km2", "Grampians fire")]


GEORGIA = "Georgia election live: protesters clash with police in Tbilisi as opposition rejects result"


def test_across_the_country_beats_the_country_the_speaker_speaks_for() -> None:
    posts = [
        {"title": "Water cannon used", "body": "Twelve people were taken to hospital in Tbilisi, the ministry said."},
        {
            "title": "Ombudsman says 80 hurt",
            "body": "At least 80 people have been injured across the country, Georgia's public defender said.",
        },
    ]
    _, national = placed(posts, feed_title=GEORGIA)
    assert where(national) == [("injured", 80, "Georgia")]


def test_a_place_set_before_the_sentences_clauses_places_its_figures() -> None:
    posts = [
        {"title": "Water cannon used", "body": "Twelve people were taken to hospital in Tbilisi, the ministry said."},
        {
            "title": "Protests spread",
            "body": "In Batumi, five people were injured when police broke up a sit-in, the regional police said.",
        },
    ]
    _, batumi = placed(posts, feed_title=GEORGIA)
    assert where(batumi) == [("injured", 5, "Batumi")]


def test_a_sale_approved_is_a_transfer() -> None:
    found = claims(
        "Sale approved", "The US approved the sale of 3,350 air-launched missiles to Ukraine, the Pentagon said."
    )
    assert [(c.metric, c.actor, c.place) for c in found] == [("arms_transfer", "US", "Ukraine")]


def test_pushing_the_other_side_out_of_a_village_takes_it() -> None:
    found = claims(
        "Ukraine retakes village",
        "Ukraine's southern command said its marines had pushed Russian troops out of the village of Novoukrainka.",
    )
    assert [(c.metric, c.actor, c.place, c.source) for c in found] == [
        ("control", "Ukraine", "Novoukrainka", "Ukraine's southern command")
    ]


def test_a_town_is_shown_as_the_post_spells_it() -> None:
    found = claims("Strike", "Three people were killed in Zaporizhzhia on Tuesday, the governor said.")
    assert [(c.place, c.place_id) for c in found] == [("Zaporizhzhia", "place:UA:zaporizhzhya")]


def test_a_district_only_the_posts_name_does_not_take_over_a_regions_story() -> None:
    """A district named twice mid-blog switched the story's key: every later toll became a new claim."""
    title = "Assam floods live: toll rises as rivers burst their banks"
    posts = [
        {
            "title": "Toll rises to 19",
            "body": "The toll rose to 19, officials said. Three are missing in Tinsukia district.",
        },
        {"title": "Eight more dead", "body": "Eight more people died in Tinsukia district, the authority said."},
        {"title": "Toll rises to 29", "body": "The toll from this year's floods rose to 29, the authority said."},
    ]
    *_, last = placed(posts, feed_title=title)
    assert where(last) == [("killed", 29, "Assam")]


def test_an_embassy_speaks_for_itself_not_for_the_city_it_sits_in() -> None:
    found = claims("Pledge", "Japan will provide $5m in emergency aid to India, its embassy in New Delhi said.")
    assert [(c.metric, c.source) for c in found] == [("money_usd", "embassy")]
