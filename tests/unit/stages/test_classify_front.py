"""Category cues the third round's unseen blogs (an election crisis, a front line) showed missing or misread."""

from __future__ import annotations

import pytest

from streams.stages.classify import classify


def labels(title: str, body: str, counted: frozenset[str] | None) -> set[str]:
    return {c.label for c in classify(title, body, counted=counted)}


@pytest.mark.parametrize(
    ("title", "body", "counted", "label", "expected"),
    [
        # ground retaken or still held is territorial, whatever the verb's form
        (
            "Army says it has retaken village near the river",
            "Government troops have recaptured the village of Dovhe, the general staff said.",
            frozenset(),
            "territorial",
            True,
        ),
        (
            "Kyiv denies losing village",
            "A spokesman said Ukrainian troops still held their positions in the village and the line held.",
            frozenset(),
            "territorial",
            True,
        ),
        # "..., governor says" on a toll names who gave it: no statement of its own
        (
            "Four killed in shelling of Sumy, governor says",
            "Four people were killed and 9 injured when shells hit the city centre, "
            "the governor of the Sumy region, Ivan Petrenko, said.",
            frozenset({"killed", "injured"}),
            "statement",
            False,
        ),
        # ... but an official's position, with no toll, still is one
        (
            "Oil exports to resume, minister says",
            "The minister said exports would resume next week.",
            frozenset(),
            "statement",
            True,
        ),
        # a visit to the wounded is no diplomacy; a call for more air defence is the arms story and a statement
        (
            "President visits wounded in city hospital",
            "The president visited people wounded in the strike and called for more air defence systems.",
            frozenset(),
            "diplomacy",
            False,
        ),
        (
            "President visits wounded in city hospital",
            "The president visited people wounded in the strike and called for more air defence systems.",
            frozenset(),
            "arms",
            True,
        ),
        (
            "Foreign minister visits Warsaw",
            "The foreign minister visited Warsaw for talks with her counterpart.",
            frozenset(),
            "diplomacy",
            True,
        ),
        # explosions reported behind the line are the war's news
        (
            "Reports of explosions in occupied Melitopol",
            "Local channels reported several explosions overnight. The reports could not be verified.",
            frozenset(),
            "military",
            True,
        ),
        # an explainer is analysis
        (
            "Why the bridge at Kherson matters",
            "The bridge is the last crossing over the river in the region.",
            frozenset(),
            "statement",
            True,
        ),
        (
            "What we know so far",
            "Rescuers are still searching for survivors after the blast.",
            frozenset(),
            "statement",
            True,
        ),
    ],
)
def test_front_line_and_election_cues(
    title: str, body: str, counted: frozenset[str] | None, label: str, expected: bool
) -> None:
    assert (label in labels(title, body, counted)) is expected
