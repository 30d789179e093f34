from __future__ import annotations

import pytest

from streams.models import Entity
from streams.stages.entities import extract_entities


def by_type(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in extract_entities(text):
        out.setdefault(e.type, set()).add(e.canonical)
    return out


def find(entities: list[Entity], canonical: str) -> Entity:
    return next(e for e in entities if e.canonical == canonical)


@pytest.mark.parametrize(
    ("text", "kind", "names"),
    [
        ("Officials in Kyiv said the attack had been repelled.", "PLACE", {"Kyiv"}),
        ("Missiles struck Kharkiv and Odesa overnight.", "PLACE", {"Kharkiv", "Odesa"}),
        ("Rescuers in Gaziantep and Aleppo worked through the night.", "PLACE", {"Gaziantep", "Aleppo"}),
        ("Delegations met in Geneva to discuss Syria and Lebanon.", "PLACE", {"Geneva", "Syria", "Lebanon"}),
        ("A senior fellow for Russia and Eurasia spoke.", "PLACE", {"Russia", "Eurasia"}),
        ("Ships crossed the Black Sea towards Turkey.", "PLACE", {"Black Sea", "Turkey"}),
        ("Heavy fighting was reported in Sudzha.", "PLACE", {"Sudzha"}),
        ("The governor spoke to Kamala Harris and Donald Trump.", "PERSON", {"Kamala Harris", "Donald Trump"}),
        ("Foreign minister Ignazio Cassis met his counterpart.", "PERSON", {"Ignazio Cassis"}),
        ("UN Secretary-General Antonio Guterres called for calm.", "PERSON", {"Antonio Guterres"}),
        ("The expert Nigel Gould-Davies offered his view.", "PERSON", {"Nigel Gould-Davies"}),
        ("Two intelligence sources told Reuters about the deal.", "ORG", {"Reuters"}),
        ("An expert at the Institute for the Study of War said so.", "ORG", {"Institute for the Study of War"}),
        ("State department spokesperson Matthew Miller said.", "ORG", {"State department"}),
        ("The White Helmets said 733 people had died.", "ORG", {"White Helmets"}),
        ("Analysts at the US Geological Survey measured it.", "ORG", {"US Geological Survey"}),
        ("Ukrainian and Russian officials met Swiss diplomats.", "NORP", {"Ukrainian", "Russian", "Swiss"}),
    ],
)
def test_extract_entities_finds_names_by_type(text: str, kind: str, names: set[str]) -> None:
    assert names <= by_type(text).get(kind, set())


def test_extract_entities_gives_places_country_level_and_coordinates() -> None:
    kyiv = find(extract_entities("Air raid sirens sounded in Kyiv."), "Kyiv")
    assert (kyiv.type, kyiv.country_code, kyiv.admin_level) == ("PLACE", "UA", 3)
    assert kyiv.id.startswith("place:geonames:")
    assert kyiv.lat == pytest.approx(50.45, abs=0.1)
    assert kyiv.lon == pytest.approx(30.52, abs=0.1)
    country = find(extract_entities("Talks with Ukraine resumed."), "Ukraine")
    assert (country.country_code, country.admin_level) == ("UA", 0)


@pytest.mark.parametrize("alias", ["Kiev", "Kyiv"])
def test_extract_entities_folds_spelling_aliases_of_a_city(alias: str) -> None:
    entity = find(extract_entities(f"Explosions were heard in {alias}."), "Kyiv")
    assert entity.id == find(extract_entities("Explosions were heard in Kyiv."), "Kyiv").id


@pytest.mark.parametrize("form", ["Kharkiv region", "Kharkiv oblast", "Kharkiv Oblast"])
def test_extract_entities_reads_region_forms_as_one_first_level_place(form: str) -> None:
    entity = find(extract_entities(f"Shelling continued in the {form} on Monday."), "Kharkiv")
    assert (entity.type, entity.admin_level, entity.country_code) == ("PLACE", 1, "UA")
    assert entity.id == "place:iso:UA-63"


def test_extract_entities_reads_a_bare_name_beside_its_region_as_the_region() -> None:
    entities = extract_entities("Troops entered the Kursk region. The fighting in Kursk went on.")
    places = [e for e in entities if e.type == "PLACE"]
    assert len(places) == 1
    assert places[0].admin_level == 1
    assert places[0].country_code == "RU"


@pytest.mark.parametrize("spelling", ["Zelenskyy", "Zelenskiy", "Zelensky"])
def test_extract_entities_gives_spellings_of_a_person_one_id(spelling: str) -> None:
    entities = extract_entities(f"President Volodymyr {spelling} spoke.")
    (person,) = [e for e in entities if e.type == "PERSON"]
    assert person.id == "person:volodymyr-zelensky"


def test_extract_entities_points_mr_x_back_to_the_full_name() -> None:
    text = "Alexei Smirnov, the acting governor, spoke. Mr Smirnov said the situation was difficult."
    people = [e for e in extract_entities(text) if e.type == "PERSON"]
    assert [(p.canonical, p.aliases) for p in people] == [("Alexei Smirnov", ["Smirnov"])]


def test_extract_entities_resolves_a_surname_before_the_full_name() -> None:
    text = "Putin chairs meeting\n\nVladimir Putin met his security council."
    people = [e for e in extract_entities(text) if e.type == "PERSON"]
    assert [p.canonical for p in people] == ["Vladimir Putin"]


def test_extract_entities_reads_a_capital_used_for_its_government_as_a_place() -> None:
    assert by_type("Kyiv said the strikes were a war crime.") == {"PLACE": {"Kyiv"}}


def test_extract_entities_types_nationality_adjectives_as_norp_not_place() -> None:
    found = by_type("Ukrainian troops took down Russian flags.")
    assert found == {"NORP": {"Ukrainian", "Russian"}}


def test_extract_entities_keeps_a_bracketed_acronym_as_an_alias() -> None:
    text = "The State Security Service (SBU) said the SBU had evidence."
    (org,) = [e for e in extract_entities(text) if e.type == "ORG"]
    assert org.canonical == "State Security Service"
    assert org.aliases == ["SBU"]


def test_extract_entities_lists_each_thing_once_per_post() -> None:
    entities = extract_entities("Ukraine said Ukraine would answer. Ukraine’s army agreed.")
    assert [e.canonical for e in entities] == ["Ukraine"]


def test_extract_entities_reads_city_comma_state_as_the_state() -> None:
    georgia = find(extract_entities("He held a rally in Atlanta, Georgia."), "Georgia")
    assert georgia.country_code == "US"
    assert georgia.admin_level == 1


@pytest.mark.parametrize(
    "text",
    [
        "Speaking at a meeting, the minister said nothing.",
        "He says the West is behind it.",
        "On Friday, reports emerged of a deal.",
        "Watch: footage of the aftermath",
        "However you play it, this matters.",
    ],
)
def test_extract_entities_ignores_sentence_openers_and_common_capitals(text: str) -> None:
    assert {e.type for e in extract_entities(text)} <= {"NORP"}


def test_extract_entities_reads_title_case_headlines_only_from_known_names() -> None:
    text = "Harris Leads Trump In New Pennsylvania Poll\n\nKamala Harris leads Donald Trump, a poll says."
    found = by_type(text)
    assert found["PERSON"] == {"Kamala Harris", "Donald Trump"}
    assert "Pennsylvania" in found["PLACE"]
    assert "Poll" not in str(found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thousands fled Um Shalaya after fighters stormed Um Shalaya.", [("Um Shalaya", "PLACE")]),
        (
            "Residents of Koenigstein Road and Upper Ojai were told to leave.",
            [("Koenigstein Road", "PLACE"), ("Upper Ojai", "PLACE")],
        ),
        ("Fishermen are missing in the Bay of Bengal.", [("Bay of Bengal", "PLACE")]),
        ("Cyclone Meera strengthened overnight. Meera is expected to make landfall.", []),
        ("Gunmen stormed the Coral Gate mall. Police surrounded Coral Gate.", [("Coral Gate", "PLACE")]),
    ],
)
def test_unknown_names_are_read_from_their_context(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.text, e.type) for e in extract_entities(text) if e.type != "NORP"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They campaigned in Scotland and Wales.", [("Scotland", "PLACE"), ("Wales", "PLACE")]),
        ("Northern Ireland and England voted.", [("Northern Ireland", "PLACE"), ("England", "PLACE")]),
        ("The Liberal Democrats gained seats.", [("Liberal Democrats", "ORG")]),
    ],
)
def test_political_geography_and_parties(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.text, e.type) for e in extract_entities(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spokesman Majed al-Ansari said talks continued.", [("Majed al-Ansari", "PERSON")]),
        ("The Kenya Red Cross said 50 were hurt.", [("Kenya Red Cross", "ORG")]),
        (
            "The International Federation of Red Cross and Red Crescent Societies warned of cholera.",
            [("International Federation of Red Cross and Red Crescent Societies", "ORG")],
        ),
        ("Another said the engine failed.", []),
        ("Fighters retreated to Jebel Marra.", [("Jebel Marra", "PLACE")]),
        ("A guard told Pwani FM he saw gunmen.", [("Pwani FM", "ORG")]),
    ],
)
def test_names_of_bodies_people_and_features(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.text, e.type) for e in extract_entities(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # both ends of a stretch, a list closed by a plural place word, the second of two places
        ("Buses were swept away between Narayanghat and Mugling.", {"Narayanghat": "PLACE", "Mugling": "PLACE"}),
        (
            "Landslides hit Chitwan, Dhading and Gorkha districts, police said.",
            {"Chitwan": "PLACE", "Dhading": "PLACE", "Gorkha": "PLACE"},
        ),
        ("People moved to shelters in Dhading and Gorkha.", {"Dhading": "PLACE", "Gorkha": "PLACE"}),
        # "the X river": a feature no gazetteer knows
        ("Divers recovered bodies from the Trishuli river.", {"Trishuli": "PLACE"}),
        # a plural noun opening a headline is no name
        ("Gunmen attack passenger train in Balochistan", {"Balochistan": "PLACE"}),
        # an organisation's kind before or after its name
        ("Speeds fell sharply, the monitoring group NetBlocks said.", {"NetBlocks": "ORG"}),
        ("Officers from the police Recce Squad moved in.", {"Recce Squad": "ORG"}),
        # "X of Y and Z" opened by a body's word is one body, unless Z is a name of its own
        ("The Ministry of Health and Population said 40 died.", {"Ministry of Health and Population": "ORG"}),
        (
            "The Department of Hydrology and Meteorology warned of rain.",
            {"Department of Hydrology and Meteorology": "ORG"},
        ),
        ("Talks between the Ministry of Defence and Hamas stalled.", {"Hamas": "ORG"}),
    ],
)
def test_extract_entities_reads_unknown_names_from_lists_stretches_and_kinds(
    text: str, expected: dict[str, str]
) -> None:
    assert {e.text: e.type for e in extract_entities(text) if e.type != "NORP"} == expected


def test_a_feed_place_after_the_is_still_a_place() -> None:
    text = "Divers recovered more bodies from the Trishuli."
    assert [e.text for e in extract_entities(text)] == []
    assert [e.text for e in extract_entities(text, known_places=["Trishuli"])] == ["Trishuli"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Results are in. His Malawi Congress Party won 97 of the 193 seats.", "Malawi Congress Party"),
        ("Their Liberal Party lost ground in the capital.", "Liberal Party"),
        ("Its United Democratic Alliance said it would appeal.", "United Democratic Alliance"),
    ],
)
def test_a_possessive_before_a_name_is_no_part_of_it(text: str, name: str) -> None:
    assert name in {e.text for e in extract_entities(text)}
