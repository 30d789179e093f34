"""A lower toll is a dispute only between different sources: one speaker named two ways revises, not disputes."""

from __future__ import annotations

from typing import Any

import pytest

from streams.models import Claim
from tests.unit.stages.test_ledger_semantics import Report, play


def toll(value: float, source: str | None, qualifier: str = "exact", **kw: Any) -> Claim:
    fields: dict[str, Any] = {"metric": "killed", "actor": None, "place": "Kherson", "qualifier": qualifier}
    return Claim(**{**fields, "value": value, "source": source, **kw})


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # the same official, surname first, full name later: a revision downwards is an update
        (toll(7, "Prokudin"), toll(6, "Oleksandr Prokudin"), "claim_update"),
        (toll(7, "Oleksandr Prokudin"), toll(6, "Prokudin"), "claim_update"),
        # the same body, with and without its country
        (toll(31, "Gaza's health ministry"), toll(29, "health ministry"), "claim_update"),
        (toll(31, "health ministry"), toll(29, "Health Ministry"), "claim_update"),
        # different sources still dispute a lower toll
        (toll(7, "Amnesty International"), toll(4, "police"), "conflicting_claim"),
        (toll(7, "Oleksandr Prokudin"), toll(4, "Roman Mrochko"), "conflicting_claim"),
        (toll(7, "Oleksandr Prokudin"), toll(4, "Oleksandr Vilkul"), "conflicting_claim"),
        # a higher toll from anyone is an update; the same figure restates
        (toll(7, "police"), toll(9, "Amnesty International"), "claim_update"),
        (toll(7, "Prokudin"), toll(7, "Oleksandr Prokudin"), None),
    ],
)
def test_a_lower_toll_disputes_only_when_the_source_differs(first: Claim, second: Claim, expected: str | None) -> None:
    _, raised = play(Report(first, hours=0), Report(second, hours=2))
    assert [a.type for a in raised[1]] == ([] if expected is None else [expected])


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        # a toll the post asserts with nobody named carries on the key's last named source
        ([toll(7, "Oleksandr Prokudin"), toll(9, None), toll(3, "Maria Zakharova", "at_most")], "conflicting_claim"),
        # ... and that source revising it down is an update
        ([toll(7, "Oleksandr Prokudin"), toll(9, None), toll(8, "Prokudin")], "claim_update"),
        # nobody named at all: a lower figure is an update, as before
        ([toll(7, None), toll(9, None), toll(8, "police")], "claim_update"),
    ],
)
def test_an_unsourced_toll_stands_for_the_last_named_source(reports: list[Claim], expected: str) -> None:
    _, raised = play(*(Report(claim, hours=i) for i, claim in enumerate(reports)))
    assert [a.type for a in raised[-1]] == [expected]
