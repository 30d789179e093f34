"""Category cues that six first-sight blogs (a van attack, a mine explosion, a shipwreck, a train
collision, a summit, a bushfire) lacked. Sentences are our own, one shape each."""

from __future__ import annotations

import pytest

from streams.stages.classify import classify


def labels(title: str, body: str, counted: frozenset[str], feed_title: str | None = None) -> set[str]:
    return {c.label for c in classify(title, body, counted=counted, feed_title=feed_title)}


@pytest.mark.parametrize(
    ("title", "body", "counted", "feed_title", "label", "expected"),
    [
        # arrests and people held on suspicion are a legal story
        (
            "Two held after overnight raids",
            "Police arrested two men on suspicion of smuggling people in raids across the port city, a police "
            "spokesman said.",
            frozenset(),
            None,
            "legal",
            True,
        ),
        # ... beside a toll, arrests are the unrest's
        (
            "Police say two killed in clashes, hundreds arrested",
            "Two people were killed and 30 injured in clashes near the stadium, a police spokesman said. More "
            "than 200 people had been arrested, he added.",
            frozenset({"killed", "injured"}),
            None,
            "legal",
            False,
        ),
        # prisons, escapes and recaptured inmates are a legal story
        (
            "Police say 400 escapees recaptured",
            "Police said 400 of the inmates who broke out of the central prison had been recaptured, a spokesman said.",
            frozenset({"captured"}),
            None,
            "legal",
            True,
        ),
        # a situation brought under control is no ground held
        (
            "Guards regain control after riot",
            "Guards brought the situation under control after two hours, the minister said.",
            frozenset(),
            None,
            "territorial",
            False,
        ),
        # villages reached by aid teams are no ground held (the figures say so)
        (
            "Aid teams reach remote valleys",
            "The agency said its teams had reached 31 villages with tents and blankets.",
            frozenset(),
            None,
            "territorial",
            False,
        ),
        # a party's own tally and road blockades are politics
        (
            "Party says its own tally shows a lead",
            "The party said its tally from its own observers showed a narrow lead.",
            frozenset(),
            None,
            "politics",
            True,
        ),
        (
            "Blockades cut roads to the capital",
            "Truck drivers set up blockades on the main highways into the capital.",
            frozenset(),
            None,
            "politics",
            True,
        ),
        # a vehicle driven into a crowd is an attack
        (
            "Car driven into crowd at Christmas market",
            "A car was driven into a crowd at the Christmas market on Saturday evening, police said. Several people "
            "were hurt, a spokeswoman said.",
            frozenset(),
            None,
            "military",
            True,
        ),
        # people sheltering in relief centres are the humanitarian story of a fire
        (
            "Fire reaches 9,000 hectares",
            "The fire has burnt 9,000 hectares, the fire service said. About 1,200 people are sheltering in relief "
            "centres in two towns.",
            frozenset({"area_km2", "displaced"}),
            None,
            "humanitarian",
            True,
        ),
        # homes destroyed, said in the passive
        (
            "Homes lost in hill town",
            "At least 40 homes have been destroyed in and around the town, the commissioner said.",
            frozenset(),
            None,
            "humanitarian",
            True,
        ),
        # one body found is a toll
        (
            "Body found in burnt-out car",
            "Police said the body of a woman had been found in a burnt-out car on a farm track.",
            frozenset({"killed"}),
            None,
            "casualties",
            True,
        ),
        # an emergency warning is no speaker
        (
            "Emergency warning: leave the valley now",
            "The fire service issued an emergency warning for the valley and told residents to leave at once.",
            frozenset(),
            None,
            "statement",
            False,
        ),
        # a premier acting is politics
        (
            "Premier announces relief payments",
            "The premier said families who lost their homes could apply for emergency payments from Monday.",
            frozenset(),
            None,
            "politics",
            True,
        ),
        # a monarch and a head of government visiting the scene of an attack
        (
            "Queen and prime minister visit the scene",
            "The queen and the prime minister laid flowers at the scene on Sunday evening.",
            frozenset(),
            None,
            "politics",
            True,
        ),
        # a union blaming a company is taking a position
        (
            "Union blames missing gas detectors",
            "The miners' union said the pit had no working gas detectors and that workers had complained for months.",
            frozenset(),
            None,
            "statement",
            True,
        ),
        # an explosion in coal mines is an accident, not fighting
        (
            "Background: methane explosions in the region's mines",
            "Small coal mines in the region have a long record of methane explosions and blasts. In 2021, 148 "
            "miners died.",
            frozenset({"killed"}),
            None,
            "military",
            False,
        ),
        # compensation for families is relief
        (
            "Government to pay families of the dead",
            "The government will pay 300,000 taka to the family of each person killed, the minister said.",
            frozenset(),
            None,
            "humanitarian",
            True,
        ),
        # a delegation walking out of talks is diplomacy
        (
            "Delegation walks out of closed session",
            "The host country's delegation walked out of a closed session in protest.",
            frozenset(),
            None,
            "diplomacy",
            True,
        ),
        # people forced from their homes
        (
            "UN chief: the war must end",
            "The secretary general said more than two million people had been forced from their homes.",
            frozenset({"displaced"}),
            None,
            "humanitarian",
            True,
        ),
        # people who remain trapped are part of the toll
        (
            "Two found alive after 30 hours",
            "Rescuers reached two miners in a side gallery. Eight miners remain trapped, the agency said.",
            frozenset({"missing"}),
            None,
            "casualties",
            True,
        ),
    ],
)
def test_first_sight_cues_sixth_round(
    title: str, body: str, counted: frozenset[str], feed_title: str | None, label: str, expected: bool
) -> None:
    assert (label in labels(title, body, counted, feed_title)) is expected
