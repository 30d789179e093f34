"""Where a one-site disaster's tolls are filed: the town its first report puts the site near, not a river."""

from __future__ import annotations

from streams.models import Claim
from tests.unit.stages.test_story import placed

MINE = "Chile mine collapse live: toll rises to nine in Atacama region as rescuers dig"
FLOOD = "Chile floods live: toll rises to nine in Atacama region as rivers burst their banks"
FIRST_REPORT = {
    "title": "Tunnel collapses at copper mine",
    "body": "A tunnel collapsed at a copper mine near Copiapó, in Chile's Atacama region, on Monday afternoon.",
}
TOLL = {
    "title": "Nine confirmed dead",
    "body": "Nine miners have now been confirmed dead, the regional government said.",
}


def where(found: list[Claim]) -> list[tuple[str, float, str | None]]:
    return sorted((c.metric, c.value, c.place) for c in found)


def test_a_one_site_disaster_is_the_town_its_first_report_puts_the_site_near() -> None:
    *_, toll = placed([FIRST_REPORT, TOLL], feed_title=MINE)
    assert where(toll) == [("killed", 9, "Copiapó")]


def test_a_disaster_that_covers_a_region_stays_the_regions() -> None:
    report = {"title": "Rivers burst their banks", "body": "Water poured into streets near Copiapó on Monday."}
    *_, toll = placed([report, TOLL], feed_title=FLOOD)
    assert where(toll) == [("killed", 9, "Atacama region")]


def test_a_town_named_only_after_the_first_report_does_not_take_the_story() -> None:
    opening = {"title": "Tunnel collapses at copper mine", "body": "A tunnel collapsed at a copper mine on Monday."}
    later = {"title": "Families gather", "body": "Families gathered at a school near Copiapó overnight."}
    *_, toll = placed([opening, later, TOLL], feed_title=MINE)
    assert where(toll) == [("killed", 9, "Atacama region")]


def test_a_river_named_like_a_town_is_no_place_to_file_a_figure() -> None:
    evacuated = {
        "title": "Families evacuated",
        "body": "About 500 families living near the Huasco river were evacuated, the regional government said.",
    }
    *_, found = placed([FIRST_REPORT, evacuated], feed_title=MINE)
    assert [c.place for c in found] == ["Copiapó"]  # the story's town, not the town of Huasco


def test_places_inside_a_figures_own_words_are_read_in_their_order() -> None:
    told = {
        "title": "Thousands told to leave",
        "body": "Some 3,000 residents of Copiapó and the neighbouring town of Caldera have been told to leave "
        "their homes, the regional government said.",
    }
    *_, found = placed([FIRST_REPORT, told], feed_title=MINE)
    assert [(c.metric, c.place) for c in found] == [("displaced", "Copiapó")]
