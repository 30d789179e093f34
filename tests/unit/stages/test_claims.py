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


def one(title: str, body: str) -> Claim:
    (claim,) = claims(title, body)
    return claim


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "Forces hold 1,000 sq km",
            "Ukraine controls around 1,000 square kilometres of Russia’s Kursk region, "
            "Kyiv’s army chief Oleksandr Syrskyi has said.",
            ("area_km2", 1000, "approx", "Ukraine", "Kursk", "Oleksandr Syrskyi"),
        ),
        (
            "Governor speaks",
            "Alexei Smirnov, the acting governor of the Belgorod region, said Ukrainian troops held 3 villages.",
            ("settlements", 3, "exact", "Ukraine", "Belgorod", "Alexei Smirnov"),
        ),
        (
            "Strike on city",
            "At least 30 people were killed in Kharkiv, the city’s mayor Ihor Terekhov said.",
            ("killed", 30, "at_least", None, "Kharkiv", "Ihor Terekhov"),
        ),
        (
            "Thousands flee",
            "Some 5,000 people have fled their homes in the Sumy region, the regional governor said.",
            ("displaced", 5000, "approx", None, "Sumy", "regional governor"),
        ),
        (
            "Drones deal",
            "Iran will deliver hundreds of drones to Russia, Reuters reported.",
            ("arms_transfer", 200, "at_least", "Iran", "Russia", "Reuters"),
        ),
        (
            "Deployment",
            "Two officials told Reuters that 3,000 North Korean troops had been deployed to Russia.",
            ("troops", 3000, "exact", "North Korea", "Russia", "Reuters"),
        ),
        (
            "Villages lost",
            "The governor of the Donetsk region said 15 villages are now under Russian control.",
            ("settlements", 15, "exact", "Russia", "Donetsk", None),
        ),
        (
            "Losses",
            "Defence minister Yoav Gallant said troops had killed about 250 Hezbollah fighters in southern Lebanon.",
            ("killed", 250, "approx", "Hezbollah", "Lebanon", "Yoav Gallant"),
        ),
        (
            "Earthquake toll",
            "The health ministry in Damascus said 1,444 people were killed in Syria.",
            ("killed", 1444, "exact", None, "Syria", "health ministry"),
        ),
    ],
)
def test_extract_claims_reads_metric_actor_place_and_source(
    title: str, body: str, expected: tuple[str, float, str, str | None, str | None, str | None]
) -> None:
    claim = one(title, body)
    got = (claim.metric, claim.value, claim.qualifier, claim.actor, claim.place, claim.source)
    if expected[5] is None:
        got = (*got[:5], None)
    assert got == expected


def test_extract_claims_keeps_the_evidence_sentence() -> None:
    claim = one("Toll", "Officials met today. At least 30 people were killed in Kharkiv, the mayor said.")
    assert claim.evidence == "At least 30 people were killed in Kharkiv, the mayor said."


def test_extract_claims_prefers_a_name_and_keeps_the_role() -> None:
    claim = one("Governor", "Alexei Smirnov, acting governor of the Kursk region, said 12 civilians were killed.")
    assert claim.source == "Alexei Smirnov"
    assert claim.source_role == "acting governor of the Kursk region"


def test_extract_claims_follows_he_said_to_the_last_speaker() -> None:
    body = "Alexei Smirnov spoke to Vladimir Putin on Monday. He said 12 civilians had been killed in the Kursk region."
    assert one("Briefing", body).source == "Alexei Smirnov"


def test_extract_claims_leaves_the_source_empty_when_the_post_asserts_it() -> None:
    claim = one("Update", "The incursion into the Kursk region has caused more than 100,000 civilians to flee.")
    assert (claim.metric, claim.qualifier, claim.source) == ("displaced", "at_least", None)


@pytest.mark.parametrize(
    ("body", "hedged"),
    [
        ("Russia has reportedly launched 40 missiles at Kyiv.", True),
        ("Unconfirmed reports say 40 missiles were launched at Kyiv by Russia.", True),
        ("Russia launched 40 missiles at Kyiv, the air force said.", False),
    ],
)
def test_extract_claims_flags_hedged_reports(body: str, hedged: bool) -> None:
    claim = one("Attack", body)
    assert claim.metric == "missiles"
    assert claim.hedged is hedged


def test_extract_claims_makes_one_claim_of_a_figure_in_headline_and_body() -> None:
    found = claims(
        "Ukraine controls 28 settlements in Kursk region",
        "Alexei Smirnov told Vladimir Putin that Ukrainian troops now control 28 settlements of the Kursk region.",
    )
    assert [(c.metric, c.value, c.actor, c.place, c.source) for c in found] == [
        ("settlements", 28, "Ukraine", "Kursk", "Alexei Smirnov")
    ]


def test_extract_claims_reads_reports_as_unnamed_not_as_the_reacting_speaker() -> None:
    claim = one(
        "Concern", "The US has said it is concerned by reports that Iran will send hundreds of missiles to Russia."
    )
    assert (claim.metric, claim.actor, claim.place, claim.source, claim.hedged) == (
        "arms_transfer",
        "Iran",
        "Russia",
        None,
        True,
    )


def test_extract_claims_makes_no_claim_from_background() -> None:
    assert claims("Recap", "For context: last week officials said 10 people had died in Kharkiv.") == []


def test_extract_claims_makes_no_claim_from_a_forecast() -> None:
    assert claims("Warning", "The death toll could rise to 1,000, the WHO warned.") == []


def test_extract_claims_keeps_the_running_total_over_a_sub_period() -> None:
    found = claims(
        "Toll rises",
        "The death toll in Gaza has risen to 45, officials said. Twelve people were killed in the past 24 hours.",
    )
    assert [(c.metric, c.value) for c in found] == [("killed", 45)]


def test_extract_claims_drops_a_vague_restatement_in_the_same_post() -> None:
    found = claims("Thousands flee Sumy", "About 5,000 people have fled the Sumy region, officials said.")
    assert [(c.metric, c.value, c.qualifier) for c in found] == [("displaced", 5000, "approx")]


def test_extract_claims_makes_a_control_claim_for_a_named_place_taken() -> None:
    claim = one(
        "Village falls", "Russian forces have captured the village of Novohrodivka, Russia’s defence ministry said."
    )
    assert (claim.metric, claim.value, claim.actor, claim.place) == ("control", 1, "Russia", "Novohrodivka")
    assert claim.source == "Russia’s defence ministry"


def test_extract_claims_hedges_every_figure_when_the_post_says_it_is_unverified() -> None:
    found = claims("Claim", "The army said 40 drones were shot down. The claim could not be independently verified.")
    assert [(c.metric, c.hedged) for c in found] == [("drones", True)]


def test_extract_claims_ignores_uncounted_figures() -> None:
    assert claims("Meeting", "Some 59,000 residents still remain and 10 ministers attended.") == []


def test_the_agency_said_points_back_to_the_body_named_before() -> None:
    claims_ = claims(
        "Toll rises",
        "The Disaster and Emergency Management Authority (AFAD) said 85 people had died. "
        "The agency said 740 people had been injured.",
    )
    sources = {c.metric: c.source for c in claims_}
    assert sources["killed"] == sources["injured"]
    assert sources["injured"] is not None and "AFAD" in sources["injured"]


def test_a_coastguard_is_a_source() -> None:
    claim = one("Search ends", "About 40 people remain missing, Italy's coastguard said.")
    assert claim.source is not None and "coastguard" in claim.source


def test_attackers_own_dead_are_not_the_toll() -> None:
    found = claims(
        "Toll rises to 17",
        "Police said 17 civilians had been killed, and that two of the attackers had been shot dead.",
    )
    assert [(c.metric, c.value) for c in found] == [("killed", 17)]


def test_supplying_a_side_with_weapons_is_an_arms_transfer() -> None:
    claim = one(
        "Drones accusation",
        "The minister accused the United Arab Emirates of supplying the RSF with at least 30 long-range drones.",
    )
    assert (claim.metric, claim.value) == ("arms_transfer", 30)


def test_a_dated_past_event_is_background_not_news() -> None:
    found = claims(
        "Russia advances near Pokrovsk",
        "Russian forces have taken the village of Novohrodivka, the defence ministry said. "
        "Russia took Avdiivka in February after months of fighting.",
    )
    assert [(c.metric, c.place) for c in found] == [("control", "Novohrodivka")]


@pytest.mark.parametrize(
    ("body", "source"),
    [
        ('"More than 100 people have lost their lives," said Daniel Okafor, head of delegation.', "Daniel Okafor"),
        (
            "About 3,000 square miles of the province is under water, according to the provincial government.",
            "provincial government",
        ),
        (
            "At least 11 people were killed, the Kenya Red Cross said, Reuters reported. "
            "The charity said 38 people had been taken to hospital.",
            "Kenya Red Cross",
        ),
    ],
)
def test_speakers_after_quotes_roles_and_back_references(body: str, source: str) -> None:
    found = claims("Update", body)
    assert found and all(c.source == source for c in found)


def test_a_count_since_a_past_date_is_news_and_an_asides_figure_is_read() -> None:
    found = claims(
        "Toll rises",
        "Lebanon's health ministry says 19 people, including four children, were killed in Israeli strikes. "
        "Nearly 900,000 people have been displaced since the escalation began in September, "
        "according to the International Organization for Migration.",
    )
    assert {(c.metric, c.value) for c in found} == {("killed", 19), ("displaced", 900_000)}
    assert {c.source for c in found} == {"Lebanon's health ministry", "International Organization for Migration"}


def test_a_town_of_another_country_keeps_its_own_name() -> None:
    claim = one(
        "Rockets fired",
        "Hezbollah said its fighters had launched about 40 rockets at the Israeli town of Kiryat Shmona.",
    )
    assert (claim.metric, claim.place) == ("missiles", "Kiryat Shmona")


def test_an_increment_folds_into_the_running_total() -> None:
    found = claims(
        "More bodies found",
        "The ship said it had recovered three more bodies, bringing the number of bodies found to seven.",
    )
    assert [(c.metric, c.value) for c in found] == [("killed", 7)]


def test_the_country_that_owns_the_speaker_does_not_place_the_figure() -> None:
    (claim,) = placed(
        [{"title": "Update", "body": "Italy's coastguard said at least 30 people were missing."}],
        feed_title="Shipwreck live: dozens missing off the Italian island of Lampedusa",
    )[0]
    assert claim.place == "Lampedusa"


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "US interceptor deal",
            "The US package includes about 90 interceptor missiles for Patriot systems.",
            ("arms_transfer", 90),
        ),
        (
            "Netherlands to fund 1,000 drones",
            "The minister said the Netherlands would spend $450m on about 1,000 long-range drones.",
            ("money_usd", 450_000_000),
        ),
        ("Raid", "Russia launched 90 missiles at Ukraine overnight.", ("missiles", 90)),
    ],
)
def test_aid_packages_and_pledges_are_transfers(title: str, body: str, expected: tuple[str, float]) -> None:
    assert expected in [(c.metric, c.value) for c in claims(title, body)]


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        # a person set off by commas after a role is the speaker
        (
            "Toll",
            "Two people were killed in Dnipro, the head of the regional administration, Mykola Bondar, said.",
            [("killed", 2, "Mykola Bondar")],
        ),
        # the subject of a first verb speaks for a second one
        (
            "Police",
            "Jakarta police denied that officers had fired live rounds and said four people had died.",
            [("killed", 4, "Jakarta police")],
        ),
        # a figure sentence with no speaker takes the speaker of the sentence before, in its paragraph
        (
            "Toll",
            "Seven people have been killed in Dnipro, Mykola Bondar said. The number of injured has risen to 31.",
            [("killed", 7, "Mykola Bondar"), ("injured", 31, "Mykola Bondar")],
        ),
        (
            "Toll",
            "Seven people have been killed in Dnipro, Mykola Bondar said.\nThe number of injured has risen to 31.",
            [("killed", 7, "Mykola Bondar"), ("injured", 31, "Mykola Bondar")],
        ),
        # across paragraphs only the post's one speaker carries over
        (
            "Toll",
            "Seven people have been killed in Dnipro, Mykola Bondar said.\n"
            "The State Emergency Service said rescuers were still at work.\nThe number of injured has risen to 31.",
            [("killed", 7, "Mykola Bondar"), ("injured", 31, None)],
        ),
        # an air force is a speaking body
        (
            "Barrage",
            "Russia launched 480 drones at Ukraine overnight, Ukraine's air force said.",
            [("drones", 480, "Ukraine's air force")],
        ),
        # part of a figure the post gives whole is no claim of its own
        (
            "Barrage",
            "Russia launched 480 drones overnight. Air defences shot down 441 of the drones.",
            [("drones", 480, None)],
        ),
        (
            "Toll",
            "Rescuers said 14 people were killed in Dnipro. Three children were among the dead.",
            [("killed", 14, "Rescuers")],
        ),
        # who holds a place, said as an adjective, is not a capture
        ("Blasts", "Explosions were heard near an airfield in Russian-occupied Melitopol.", []),
        ("Blasts", "Explosions were heard near an airfield in occupied Melitopol.", []),
        ("Taken", "Russian forces occupied the town of Melitopol on Tuesday.", [("control", 1, None)]),
        # villages named without ground held or taken are no territorial claim
        ("Why it matters", "Whoever holds the road decides what food reaches hundreds of villages.", []),
        ("Gains", "Ukrainian troops have taken control of 28 villages.", [("settlements", 28, None)]),
        (
            "Gains",
            "Troops now control about 1,000 square kilometres of the region, including 74 settlements.",
            [("area_km2", 1000, None), ("settlements", 74, None)],
        ),
        # people held as captives
        (
            "Hijacking",
            "The Balochistan Liberation Army said its fighters were holding more than 200 passengers hostage.",
            [("captured", 200, "Balochistan Liberation Army")],
        ),
    ],
)
def test_speakers_parts_and_holdings_in_unseen_blogs(
    title: str, body: str, expected: list[tuple[str, float, str | None]]
) -> None:
    assert [(c.metric, c.value, c.source) for c in claims(title, body)] == expected


def test_drones_at_a_country_are_counted_for_the_country_even_in_a_town_story() -> None:
    (first,), (second,) = placed(
        [
            {"title": "Barrage", "body": "Russia launched 480 drones at Ukraine overnight, the air force said."},
            {"title": "Toll", "body": "Russia launched 480 drones in the attack, the air force said."},
        ],
        feed_title="Ukraine war live: toll rises in Dnipro after overnight attack",
    )
    assert (first.place, second.place) == ("Ukraine", "Ukraine")


@pytest.mark.parametrize(
    ("title", "body", "source"),
    [
        # a body named by its acronym in the headline: the source carries both spellings
        (
            "More than 15,000 flee the town, IOM says",
            "More than 15,000 people have fled, the International Organization for Migration (IOM) said.",
            "International Organization for Migration (IOM)",
        ),
        (
            "IOM: 15,000 displaced",
            "More than 15,000 people have been displaced, the International Organization for Migration said.",
            "International Organization for Migration (IOM)",
        ),
        # "the charity said" points back to a charity, not to the hospital named last
        (
            "Appeal for blood",
            "The Kenya Red Cross has appealed for donors at Coast General Hospital. "
            "More than 50 people were injured in the attack, the charity said.",
            "Kenya Red Cross",
        ),
    ],
)
def test_sources_carry_acronyms_and_bare_kinds_skip_sites(title: str, body: str, source: str) -> None:
    assert [c.source for c in claims(title, body)] == [source]


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        # weapons asked for are not weapons sent
        (
            "Needs",
            "Zelenskyy thanked allies for the pledges but said Ukraine needed at least 10 more Patriot systems.",
            [],
        ),
        (
            "Package",
            "The Pentagon said the US would provide Ukraine with a $1.2bn package of air defence equipment.",
            [("money_usd", "US", "Ukraine")],
        ),
    ],
)
def test_transfers_asked_for_and_senders_before_the_verb(
    title: str, body: str, expected: list[tuple[str, str | None, str | None]]
) -> None:
    assert [(c.metric, c.actor, c.place) for c in claims(title, body)] == expected


def test_the_town_is_the_headline_place_not_one_named_in_passing() -> None:
    (claim,) = claims(
        "Assault on Um Shalaya",
        "Fighters attacked the town of Um Shalaya, about 40 miles west of El Fasher, on Tuesday.\n"
        "Volunteers said at least 17 civilians had been killed when shells hit the town's market.",
    )
    assert claim.place == "Um Shalaya"
