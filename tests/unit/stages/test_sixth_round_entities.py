"""Sixth round of unseen blogs: names the entity stage missed or mistyped, each a general shape.

The sentences are our own, written to show one shape each; none is copied from a dev-set blog.
"""

from __future__ import annotations

import pytest

from streams.stages.entities import extract_entities


def typed(text: str) -> dict[str, str]:
    return {e.text: e.type for e in extract_entities(text) if e.type != "NORP"}


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        # a known body's accented name is found as it is written, not only in ASCII
        ("Aid\n\nMédecins Sans Frontières said its clinic in Aden had closed.", "Médecins Sans Frontières", "ORG"),
        # an acronym written in mixed case, bracketed after the name it abbreviates, and alone
        ("Storm\n\nThe Bureau of Meteorology (BoM) said gusts would ease.", "BoM", "ORG"),
        ("BoM warns of gusts\n\nThe Bureau of Meteorology (BoM) said gusts would ease.", "BoM", "ORG"),
        ("Talks\n\nThe DfE said schools would reopen on Monday.", "DfE", "ORG"),
        # a company by its legal form, a railway or a mining company by what it runs
        (
            "Inquiry\n\nProsecutors are investigating Minera Los Andes SAS, which runs the pit.",
            "Minera Los Andes SAS",
            "ORG",
        ),
        ("Delays\n\nTrains were halted, Kenya Railways said on Monday.", "Kenya Railways", "ORG"),
        ("Delays\n\nEmergency Management Tasmania opened two relief centres.", "Emergency Management Tasmania", "ORG"),
        # a name before the kind of body it is ("its Xyz news agency"), even where another mention
        # of it reads like a place ("claims attack through Xyz")
        ("Group claims attack through Nashir\n\nThe group spoke through its Nashir news agency.", "Nashir", "ORG"),
        # a name followed by what kind of body it is, in apposition
        ("Boat in distress\n\nSea Signal, a hotline for migrants at sea, raised the alarm.", "Sea Signal", "ORG"),
        # a name listed with a known body is a body
        ("Truce\n\nThe truce will be overseen by Igad and the UN.", "Igad", "ORG"),
        # one word with a capital inside is a brand or a body, not a person
        ("Warning\n\nVicEmergency issued an emergency warning for two towns.", "VicEmergency", "ORG"),
        # a facility's head word closes a place's name
        ("Injured\n\nOthers were treated at Sadar Upazila Health Complex.", "Sadar Upazila Health Complex", "PLACE"),
        ("Fire\n\nThe fire is burning in Otway National Park.", "Otway National Park", "PLACE"),
        # a capital speaking for its government, and a region after a compass word, though both are first names
        ("Plan\n\nThe envoy said Washington would back the plan.", "Washington", "PLACE"),
        (
            "Bushfires\n\nIt will be a long week for western Victoria, the premier told reporters in Melbourne.",
            "Victoria",
            "PLACE",
        ),
        # a subdivision's code, in a post about that country
        ("Crews\n\nFirefighters from NSW and Queensland arrived in Melbourne.", "NSW", "PLACE"),
        # a named street or square, told by an apposition or a locative before "the"
        (
            "Attack\n\nA van was driven into people on the Zandplein, the city's main shopping street.",
            "Zandplein",
            "PLACE",
        ),
        ("Attack\n\nThe driver ran off towards the Vrijthof.", "Vrijthof", "PLACE"),
    ],
)
def test_names_in_unseen_shapes(text: str, name: str, kind: str) -> None:
    assert typed(text).get(name) == kind


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a model name before the kind of machine is no person
        ("Help\n\nThe army sent two Chinook helicopters to the valley.", "Chinook"),
        ("Help\n\nThe navy sent three Black Hawk helicopters to the coast.", "Black Hawk"),
        # a common word opening a headline is no town
        ("Van driven into crowd on shopping street\n\nPolice said several people were hurt.", "Van"),
    ],
)
def test_no_entity_in_unseen_shapes(text: str, name: str) -> None:
    assert name not in typed(text)


def test_a_subdivision_code_needs_its_country_in_the_post() -> None:
    # "QLD" is Queensland only where the post is about Australia
    assert typed("Votes\n\nThe count in Kenya was delayed, QLD officials said.").get("QLD") != "PLACE"
    assert typed("Fires\n\nSydney sent crews, and more came from QLD.").get("QLD") == "PLACE"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a proper name after the comma is another body, not a description of the place before it
        (
            "Missing\n\nDozens are missing off the island of Lampedusa, the International Organization for "
            "Migration said.",
            {"Lampedusa": "PLACE", "International Organization for Migration": "ORG"},
        ),
        # a body speaking after a place is no description of the place
        (
            "Arrivals\n\nMany walked for two days after fleeing Um Barsa, the charity said.",
            {"Um Barsa": "PLACE"},
        ),
        # a portfolio before "Minister" is no body of its own
        (
            "Shelters\n\nPeople moved into shelters, Disaster Management Minister Farida Khatun told reporters.",
            {"Farida Khatun": "PERSON"},
        ),
    ],
)
def test_guards_of_the_new_shapes(text: str, expected: dict[str, str]) -> None:
    assert typed(text) == expected


def test_a_chamber_of_a_parliament_is_a_body_not_a_place() -> None:
    assert typed("Seats\n\nThe party won 51 of the 130 seats in the Chamber of Deputies.") == {
        "Chamber of Deputies": "ORG"
    }


def test_a_part_of_a_town_named_with_it_files_the_toll_under_the_town() -> None:
    from streams.stages.claims import extract_claims
    from streams.stages.quantities import extract_quantities

    title, body = (
        "Police confirm four deaths",
        (
            "Four people have been killed in clashes in the Kisiwani area of Mwanza since Friday, the regional "
            "police commander said."
        ),
    )
    text = f"{title}\n\n{body}"
    claims = extract_claims(title, body, extract_entities(text), extract_quantities(text))
    assert [(c.metric, c.value, c.place) for c in claims] == [("killed", 4, "Mwanza")]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        # the kind of body before its name, in one mention, decides for the others
        (
            "Gridco: power restored\n\nThe cyberattack hit the grid operator Gridco on Monday. Gridco said most "
            "homes had power again.",
            "Gridco",
            "ORG",
        ),
        ("Poll\n\nA quick count by the pollster Datavox gave him 38%.", "Datavox", "ORG"),
        # the name a group gives itself
        (
            "Claim\n\nA message posted by a group calling itself Grey Falcon said it still had access.",
            "Grey Falcon",
            "ORG",
        ),
        # a short name of a known body
        ("Toll\n\nAmnesty says at least 22 people were killed.", "Amnesty", "ORG"),
        # an acronym before a machine is the body that owns it
        ("ADF aircraft arrive\n\nThe planes landed at dawn.", "ADF", "ORG"),
    ],
)
def test_bodies_second_pass(text: str, name: str, kind: str) -> None:
    assert typed(text).get(name) == kind


def test_a_model_with_a_letter_suffix_is_nobody() -> None:
    assert "Iskander-M" not in typed("Attack\n\nRussia fired three Iskander-M missiles overnight, the air force said.")
    assert "Iskander-M" not in typed("Attack\n\nTwo of them were Iskander-M, the air force said.")


def test_a_known_place_is_known_without_its_feature_word() -> None:
    found = {
        e.text: e.type
        for e in extract_entities(
            "Smoke\n\nSmoke from the Otways fire turned the sky red.", known_places=["Otways National Park"]
        )
    }
    assert found.get("Otways") == "PLACE"


def test_nationalities_joined_by_a_hyphen_before_a_kind_of_body_are_no_body() -> None:
    assert typed("Crash\n\nThe aircraft was built by the French-Italian manufacturer ATR.") == {"ATR": "ORG"}
