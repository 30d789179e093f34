"""Sixth round of unseen blogs: sides spelled as the text spells them, senders and receivers of aid."""

from __future__ import annotations

from streams.extract import extract_liveblog
from streams.models import Claim
from streams.stages.claims import extract_claims
from streams.stages.entities import extract_entities
from streams.stages.quantities import extract_quantities
from tests.unit.stages.test_story import placed

WAR = "Russia-Ukraine war live: Russia claims village near Kupiansk as allies step up deliveries"


def claims(title: str, body: str, feed_title: str | None = None) -> list[Claim]:
    text = f"{title}\n\n{body}"
    return extract_claims(title, body, extract_entities(text), extract_quantities(text), feed_title=feed_title)


def blog(*posts: tuple[str, str], title: str) -> str:
    """A copied live blog, newest post first, from posts given oldest first."""
    return title + "\n\n" + "\n\n".join(f"{head}\n\n{body}" for head, body in reversed(posts)) + "\n"


def test_a_side_is_spelled_the_way_the_post_spells_it() -> None:
    us = claims("US to send drones", "The US will send 300 drones to Ukraine, the Pentagon said.")
    uk = claims("UK to send missiles", "The UK will send 5,000 missiles to Ukraine, the defence secretary said.")
    usa = claims("Aid", "The United States will send 300 drones to Ukraine, the Pentagon said.")
    assert [(c.actor, c.actor_id) for c in us] == [("US", "United States")]
    assert [(c.actor, c.actor_id) for c in uk] == [("UK", "United Kingdom")]
    assert [(c.actor, c.actor_id) for c in usa] == [("United States", "United States")]
    assert us[0].key == usa[0].key  # one ledger key whatever the spelling


def test_dotted_abbreviations_lose_their_dots() -> None:
    found = claims("Aid", "The U.S. will send 300 drones to Ukraine, officials said.")
    assert [c.actor for c in found] == ["US"]


def test_a_side_named_by_its_seat_of_government_gets_its_short_name() -> None:
    found = claims("Pentagon: package worth more than $1bn", "The package for Ukraine is worth more than $1bn.")
    assert [(c.metric, c.actor, c.actor_id) for c in found] == [("money_usd", "US", "United States")]


def test_one_sender_spelled_two_ways_updates_its_own_figure() -> None:
    """Guard: the key stays canonical while the shown name follows the text."""
    text = blog(
        ("United States to send 30 launchers", "The United States will send 30 HIMARS launchers to Ukraine."),
        ("Glide bomb kills four", "A glide bomb killed four people in Kharkiv, the governor said."),
        ("US raises package to 40 launchers", "The US will send 40 HIMARS launchers to Ukraine, the Pentagon said."),
        title=WAR,
    )
    alerts = [(a["type"], a["metric"], a["value"]) for a in extract_liveblog(text)["alerts"]]
    assert ("claim_update", "arms_transfer", 40) in alerts
    assert ("new_claim", "arms_transfer", 40) not in alerts


def test_aid_with_no_receiver_named_goes_to_the_country_of_a_town_story() -> None:
    posts = [
        {"title": "Blackout in Kaunas", "body": "Two patients died at a clinic in Kaunas, the health minister said."},
        {
            "title": "United States raises grid pledge to $40m",
            "body": "The United States raised its pledge to $40m after talks in Brussels, a spokesman said.",
        },
    ]
    _, pledge = placed(posts, feed_title="Kaunas blackout live: power back for most homes")
    assert [(c.metric, c.place) for c in pledge] == [("money_usd", "Lithuania")]


def test_money_for_a_response_in_a_country_stays_that_countrys() -> None:
    """Guard: only a town gives way to the story's country; a country named as where the money goes stays."""
    found = claims(
        "Pledge", "Saudi Arabia has pledged $20m to the UN's cholera response in Yemen, its aid agency said."
    )
    assert [(c.metric, c.place) for c in found] == [("money_usd", "Yemen")]


def test_a_story_town_no_gazetteer_knows_learns_its_country_from_the_region_after_it() -> None:
    posts = [
        {
            "title": "Russia claims village",
            "body": "Russia said it had taken Pishchane, about 12km south-east of Kupiansk in the Kharkiv region.",
        },
        {
            "title": "Drones downed over Belgorod",
            "body": "Russia's defence ministry said it had shot down 47 Ukrainian drones over the Belgorod region.",
        },
        {"title": "US raises package", "body": "The US will send 40 HIMARS launchers, the Pentagon said."},
    ]
    _, drones, package = placed(posts, feed_title=WAR)
    assert [(c.metric, c.place) for c in drones] == [("drones", "Belgorod")]
    assert [(c.metric, c.actor, c.place) for c in package] == [("arms_transfer", "US", "Ukraine")]
