from __future__ import annotations

import pytest

from streams.stages.classify import THRESHOLD, classify


def labels(title: str, body: str) -> set[str]:
    return {c.label for c in classify(title, body)}


@pytest.mark.parametrize(
    ("title", "body", "label"),
    [
        ("Watch: rescuers pull survivors from rubble", "Footage shows the scene.", "media"),
        ("In pictures: the aftermath", "These images show the damage.", "media"),
        ("Shelling kills 12", "At least 12 people were killed and 30 wounded in the shelling.", "casualties"),
        ("Thousands flee floods", "More than 5,000 people were evacuated and many are homeless.", "humanitarian"),
        ("Army says it took control of the town", "Troops captured the town of X after fighting.", "territorial"),
        ("Forces advance", "The army launched an offensive with artillery and drones.", "military"),
        ("Ministers meet for peace talks", "The foreign minister met her counterpart at the summit.", "diplomacy"),
        ("Iran to supply missiles", "Iran is set to deliver hundreds of missiles to Russia.", "arms"),
        ("Court issues arrest warrant", "The ICC accused him of war crimes.", "legal"),
        ("Opposition leads in polls", "Voters head to the polls as the election campaign ends.", "politics"),
        (
            "Analyst: strategy has failed",
            "“This is a serious blow to the government’s credibility,” an expert said.",
            "statement",
        ),
    ],
)
def test_classify_labels_clear_cases(title: str, body: str, label: str) -> None:
    assert label in labels(title, body)


def test_classify_is_multi_label() -> None:
    found = labels(
        "Strike kills 20 as troops advance",
        "At least 20 people were killed as troops advanced and captured 3 villages; thousands fled.",
    )
    assert {"casualties", "military", "territorial", "humanitarian"} <= found


def test_classify_falls_back_to_other() -> None:
    (only,) = classify("Good morning", "Welcome to our coverage of the day.")
    assert only.label == "other"


def test_classify_reports_scores_and_cues() -> None:
    scores = classify("Shelling kills 12", "At least 12 people were killed.")
    assert scores[0].label == "casualties"
    assert scores[0].score >= THRESHOLD
    assert "killed" in scores[0].cues


def test_classify_ignores_a_passing_mention() -> None:
    found = labels(
        "Ministers agree new trade deal",
        "The foreign ministers signed the deal at the summit after talks with their counterparts. "
        "Negotiators from both sides praised the diplomats. The war was mentioned once.",
    )
    assert "military" not in found


@pytest.mark.parametrize(
    ("title", "body", "present", "absent"),
    [
        (
            "Dozens missing after boat capsizes",
            "The coastguard said 30 migrants were missing.",
            {"casualties", "humanitarian"},
            set(),
        ),
        (
            "Gunmen storm shopping centre",
            "Security forces surrounded the mall where hostages were held.",
            {"military"},
            set(),
        ),
        ("Fire grows to 6,500 acres", "The fire burned through dry brush overnight.", set(), {"humanitarian"}),
        ("UN says 20,000 displaced", "The UN said 20,000 people had fled.", {"humanitarian"}, {"diplomacy"}),
        ("Smugglers charged $1,500", "Smugglers charged each passenger about $1,500.", set(), {"legal"}),
    ],
)
def test_labels_generalise_beyond_war(title: str, body: str, present: set[str], absent: set[str]) -> None:
    labels = {c.label for c in classify(title, body)}
    assert present <= labels
    assert not absent & labels


def test_a_disasters_dead_are_humanitarian_but_a_firefight_is_not() -> None:
    flood = {c.label for c in classify("At least 86 killed as floods sweep villages", "86 people have died.")}
    firefight = {c.label for c in classify("Two soldiers killed", "Troops came under fire and two were killed.")}
    assert {"casualties", "humanitarian"} <= flood
    assert "humanitarian" not in firefight


def labels_counted(title: str, body: str, counted: frozenset[str] | None = None) -> set[str]:
    return {c.label for c in classify(title, body, counted=counted)}


@pytest.mark.parametrize(
    ("title", "body", "counted", "label", "expected"),
    [
        # a negated toll is no toll
        (
            "Fire at port after drone strike",
            "Drones struck the port. No casualties were reported.",
            None,
            "casualties",
            False,
        ),
        ("Gunmen open fire", "There was no immediate word on casualties.", None, "casualties", False),
        # a background sentence says nothing about today's post
        (
            "Weather office warns of rain",
            "Forecasters expect rain. Last year, floods killed more than 240 people and injured 500.",
            None,
            "casualties",
            False,
        ),
        # toll words weigh half without a count of the dead, hurt or missing
        ("UN urges restraint", "All deaths should be investigated promptly.", frozenset(), "casualties", False),
        (
            "UN urges restraint",
            "All deaths should be investigated promptly.",
            frozenset({"killed"}),
            "casualties",
            True,
        ),
        # weapon names in a transfer post are the arms story, not fighting
        (
            "Germany pledges 120 drones",
            "Germany will send 120 drones and two air defence systems.",
            None,
            "military",
            False,
        ),
        (
            "Drones hit the city",
            "Russia launched 120 drones and 10 missiles at the city overnight.",
            None,
            "military",
            True,
        ),
        # spokespeople and addresses are statements
        (
            "Kremlin comments",
            "Kremlin spokesman Dmitry Ivanov said the strikes were a response.",
            None,
            "statement",
            True,
        ),
        (
            "President speaks",
            "The president said in a televised address that the plan would be reviewed.",
            None,
            "statement",
            True,
        ),
        # people searched for and waited for
        (
            "Relatives wait for news",
            "Relatives gathered at the station waiting for news of passengers.",
            None,
            "humanitarian",
            True,
        ),
        (
            "Bus swept into river",
            "Divers are hampered in the search for people trapped in the bus.",
            None,
            "humanitarian",
            True,
        ),
        # protests and internet restrictions are politics
        (
            "Internet slowed in capital",
            "Internet speeds fell as protesters clashed with police.",
            None,
            "politics",
            True,
        ),
        (
            "Internet slowed in capital",
            "Mobile internet speeds fell sharply on Tuesday evening.",
            None,
            "politics",
            True,
        ),
        # saying who gave a toll is attribution, not a statement of its own
        (
            "At least 12 killed, police say",
            "At least 12 people were killed, police spokesman Kiran Thapa said.",
            frozenset({"killed"}),
            "statement",
            False,
        ),
        (
            "Kremlin responds",
            "Kremlin spokesman Dmitry Ivanov said the strikes were a response.",
            frozenset(),
            "statement",
            True,
        ),
        # heavy rain and moving to higher ground are the people's side of a disaster
        (
            "Weather office warns of more heavy rain",
            "Forecasters warned of heavy rain and urged people near rivers to move to higher ground.",
            frozenset(),
            "humanitarian",
            True,
        ),
        # the attack spoken of in a toll report is no fighting
        (
            "Mombasa attack: Red Cross says at least 11 killed",
            "At least 11 people have been killed in the attack, the Red Cross said.",
            frozenset({"killed"}),
            "military",
            False,
        ),
    ],
)
def test_classify_cues_for_unseen_blogs(
    title: str, body: str, counted: frozenset[str] | None, label: str, expected: bool
) -> None:
    assert (label in labels_counted(title, body, counted)) is expected
