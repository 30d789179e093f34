"""Cues found by blogs the extractor had never seen (dam burst, border exchange, hurricane, shooting).

Each case is written in new words, not copied from those blogs, and fails without its fix.
"""

from __future__ import annotations

import pytest

from streams.models import Claim
from streams.stages.claims import extract_claims
from streams.stages.entities import extract_entities
from streams.stages.quantities import extract_quantities
from tests.unit.stages.test_story import placed


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


def places(text: str) -> dict[str, tuple[str | None, int | None]]:
    return {e.text: (e.country_code, e.admin_level) for e in extract_entities(text) if e.type == "PLACE"}


@pytest.mark.parametrize(
    ("text", "name", "where"),
    [
        # a first-level region beats a small namesake town abroad (Florida, Cuba)
        ("Storm surge floods the coast of Florida.", "Florida", ("US", 1)),
        # a county is not a small town abroad (Bay, Philippines): where it lies is unknown
        ("Hundreds of homes were flooded in Bay County.", "Bay County", (None, 2)),
        # a region that names its country does not shrink London to London, Kentucky
        ("Washington and London condemned the attack.", "London", ("GB", 3)),
    ],
)
def test_where_places_lie(text: str, name: str, where: tuple[str | None, int | None]) -> None:
    assert places(text)[name] == where


def test_a_county_with_its_region_after_it_is_counted_for_the_region() -> None:
    found = claims("Tornado", "Two people were killed in Houston County, Alabama, officials said.")
    assert [(c.metric, c.place) for c in found] == [("killed", "Alabama")]


def test_two_sides_tolls_stay_apart_when_no_town_is_in_the_title() -> None:
    title = "Border live: rockets hit northern Syria as strikes kill six in Turkey"
    posts = [
        {"title": "Strikes near Gaziantep", "body": "Explosions were heard near Gaziantep and Kilis overnight."},
        {"title": "Shelling of Gaziantep", "body": "Shells landed in Gaziantep again, residents said."},
        {
            "title": "Six killed in strikes on southern Turkey",
            "body": "Six people were killed in strikes on villages in southern Turkey, the health ministry said.",
        },
        {
            "title": "Syria says one killed",
            "body": "One man was killed when a shell hit his house in Tal Rifaat, the Syrian Red Crescent said.",
        },
    ]
    *_, turkey, syria = placed(posts, feed_title=title)
    # the country named outright is not the town the blog keeps naming
    assert [(c.metric, c.place) for c in turkey] == [("killed", "Turkey")]
    # a town no gazetteer knows, in a post that names only the other country, is across the border
    assert [(c.metric, c.place) for c in syria] == [("killed", "Tal Rifaat")]


@pytest.mark.parametrize(
    ("title", "body", "place"),
    [
        # where weapons came from is not where they were counted
        (
            "Sirens in the north",
            "Sirens sounded in Haifa as about 40 rockets were fired from southern Lebanon.",
            "Haifa",
        ),
        # aimed at a side named by its adjective, before a place in a clause about something else
        (
            "Militia says it fired drones",
            "The militia said it had launched 12 drones at Israeli positions after a strike near Tyre.",
            "Israel",
        ),
        # no place in the sentence: the country the headline names
        ("Sirens across northern Israel", "The army said 25 rockets had been fired by Hezbollah.", "Israel"),
    ],
)
def test_launched_weapons_are_counted_where_they_were_aimed(title: str, body: str, place: str) -> None:
    assert [c.place for c in claims(title, body) if c.metric in ("missiles", "drones")] == [place]


def test_a_place_only_part_of_a_count_is_in_does_not_place_it() -> None:
    found = claims(
        "Toll rises in Lebanon",
        "Lebanon's health ministry said 31 people were injured, most of them in the Nabatieh and Tyre districts.",
    )
    assert [(c.metric, c.place) for c in found] == [("injured", "Lebanon")]


@pytest.mark.parametrize(
    ("body", "source"),
    [
        # an unnamed member of a named body speaks for the body, not the outlet told
        (
            "A Hezbollah official, speaking on condition of anonymity, told AFP that 14 fighters had been killed.",
            "Hezbollah",
        ),
        # role words that make up a body's name
        ("The death toll has risen to seven, the public prosecution service said.", "public prosecution service"),
        ("Eleven people died, the country's emergency management division said.", "emergency management division"),
        # a body's own name after its role, known to no gazetteer
        ("The regional health authority, GGD Hollands-Midden, said 14 people were missing.", "GGD Hollands-Midden"),
        # a role and a name opening the sentence, then two verbs
        (
            "Chile's interior minister, Rosa Valdés, visited the site and said nine people had died.",
            "Rosa Valdés",
        ),
        # the author of a report "according to" names
        (
            "About 40 people were missing, according to an assessment of drone footage by the federal "
            "environment agency, Ibama.",
            "Ibama",
        ),
    ],
)
def test_speakers_in_unseen_phrasings(body: str, source: str) -> None:
    found = claims("Update", body)
    assert found and {c.source for c in found} == {source}


def test_a_force_none_of_whom_was_hurt_makes_no_claim() -> None:
    assert (
        claims("Mission unhurt", "The mission said none of its 4,000 peacekeepers had been hurt by the shelling.") == []
    )


# -- second round: a refinery explosion, a coup, a crowd crush ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # money in another currency is no count of the dead
        ("The state promised 200,000 pesos for the family of each person killed.", ("other", 200000), "killed"),
        # people who crossed a border have fled
        ("About 5,000 people crossed the border into Chad overnight.", ("displaced", 5000), None),
        # an aside that leads into the speaker's clause says nothing of what the count is
        ("The toll has risen to 9, including two children, the hospital association said.", ("killed", 9), None),
        # a quote closed inside the clause
        ("He told state radio that “no more than five people” had died.", ("killed", 5), None),
    ],
)
def test_what_is_counted_second_round(text: str, expected: tuple[str, float], absent: str | None) -> None:
    found = [(q.kind, q.value) for q in extract_quantities(text)]
    assert expected in found
    assert absent is None or all(kind != absent for kind, _ in found)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the patients still in hospital are part of the injured, not a new count of them
        ("Six people died, the agency said. Eleven people remain in hospital.", [("killed", 6)]),
        # the missing are a stock: the count said last stands
        (
            "Twelve of the 15 fishermen reported missing have been found, leaving three still unaccounted for, "
            "the coastguard said.",
            [("missing", 3)],
        ),
        # "one of the three missing climbers": the three were counted before
        ("Police said one of the three missing climbers had been found, and two remained missing.", [("missing", 2)]),
    ],
)
def test_which_figures_are_news_second_round(body: str, expected: list[tuple[str, float]]) -> None:
    assert [(c.metric, c.value) for c in claims("Update", body)] == expected


@pytest.mark.parametrize(
    ("body", "source"),
    [
        ("District officials said eleven people were still missing.", "District officials"),
        (
            "The country's disaster management authority rejected the report and said the toll stood at 31.",
            "disaster management authority",
        ),
        (
            "A spokesman for the rebels, who call themselves the Patriotic Salvation Front, said that no more "
            "than three people had died.",
            "Patriotic Salvation Front",
        ),
        (
            "More than 2,000 people have crossed into Niger, Niger's immigration service said.",
            "Niger's immigration service",
        ),
    ],
)
def test_speakers_second_round(body: str, source: str) -> None:
    found = claims("Update", body)
    assert found and {c.source for c in found} == {source}


def test_a_town_in_another_clause_of_the_sentence_does_not_take_the_figure_from_the_story() -> None:
    title = "Refinery blast live: Gdańsk toll rises to five"
    posts = [
        {"title": "Blast at Gdańsk refinery", "body": "Two workers were killed in Gdańsk, firefighters said."},
        {
            "title": "One worker found alive",
            "body": "A worker was found alive in a hospital in Sopot, and two remained missing, officials said.",
        },
    ]
    _, second = placed(posts, feed_title=title)
    assert [(c.metric, c.place) for c in second] == [("missing", "Gdańsk")]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        # a body's own name right after what kind of body it is
        ("The toll rose to nine, the national nurses' union, Sinamed, said.", "Sinamed", "ORG"),
        ("The regional bloc Sadec called an emergency summit.", "Sadec", "ORG"),
        # a kind of body opening a headline is no person
        ("Company says cause not yet known", "Company", None),
        ("Kovalenko says toll rises", "Kovalenko", "PERSON"),
    ],
)
def test_names_in_unseen_phrasings(text: str, name: str, kind: str | None) -> None:
    found = {e.text: e.type for e in extract_entities(text)}
    assert found.get(name) == kind


# -- third round: a rebel army's war ----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "metric", "actor"),
    [
        # a force that is no state's is a side
        (
            "The Kachin Independence Army said its fighters had taken 120 soldiers prisoner.",
            "captured",
            "Kachin Independence Army",
        ),
        # a state's own force speaking is not the side that fired
        ("The Israel Defense Forces said 30 rockets had been fired by Hezbollah.", "missiles", "Hezbollah"),
    ],
)
def test_sides_in_unseen_phrasings(body: str, metric: str, actor: str) -> None:
    assert [(c.metric, c.actor) for c in claims("Update", body)] == [(metric, actor)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # where they died is not what is counted
        ("Air strike kills 11 in village near the port", "killed"),
        # places taken are no captives
        ("The group said it had captured 14 military outposts around the town.", "other"),
    ],
)
def test_what_is_counted_third_round(text: str, kind: str) -> None:
    assert [q.kind for q in extract_quantities(text)] == [kind]


def test_a_team_is_a_body() -> None:
    assert ("Sittwe Rescue Team", "ORG") in [(e.text, e.type) for e in extract_entities("The Sittwe Rescue Team said.")]
