"""Fifth round of unseen blogs: where a figure is filed, which side it is about, and what is background."""

from __future__ import annotations

from streams.stages.claims import extract_claims
from streams.stages.entities import extract_entities
from streams.stages.quantities import extract_quantities
from tests.unit.stages.test_story import placed

ELECTION = "Kenya election live: unrest spreads as opposition rejects result"


def claims_of(title: str, body: str) -> list[tuple[str, float, str | None, str | None]]:
    text = f"{title}\n\n{body}"
    found = extract_claims(title, body, extract_entities(text), extract_quantities(text))
    return [(c.metric, c.value, c.qualifier, c.place) for c in found]


def test_a_city_toll_in_a_country_story_is_the_citys_own() -> None:
    posts = [
        {"title": "Polls close", "body": "Voting ended across Kenya on Tuesday evening."},
        {
            "title": "Protesters killed in Kisumu",
            "body": "Three people were killed in Kisumu on Thursday when police opened fire, a local official said.",
        },
        {
            "title": "Rights group counts 20 dead across Kenya",
            "body": "At least 20 people have been killed across Kenya since the vote, a rights group said.",
        },
    ]
    _, city, country = placed(posts, feed_title=ELECTION)
    assert [(c.metric, c.value, c.place) for c in city] == [("killed", 3, "Kisumu")]
    assert [(c.metric, c.value, c.place) for c in country] == [("killed", 20, "Kenya")]


def test_a_capital_where_something_happened_places_the_figures_after_it() -> None:
    posts = [
        {"title": "Polls close", "body": "Voting ended across Kenya on Tuesday evening."},
        {
            "title": "Two killed as police disperse protesters in Nairobi",
            "body": "Police fired tear gas at crowds blocking roads. Two people were killed and 14 injured, "
            "the city police commander said.",
        },
    ]
    _, capital = placed(posts, feed_title=ELECTION)
    assert sorted((c.metric, c.place) for c in capital) == [("injured", "Nairobi"), ("killed", "Nairobi")]


def test_the_citys_toll_points_back_to_the_town_named_earlier_in_the_sentence() -> None:
    posts = [
        {"title": "Polls close", "body": "Voting ended across Kenya on Tuesday evening."},
        {
            "title": "Toll rises, police say",
            "body": "Two more people died in Mombasa overnight as protesters clashed with police, "
            "bringing the city's toll to six, police spokesman Peter Otieno said.",
        },
    ]
    _, city = placed(posts, feed_title=ELECTION)
    assert [(c.metric, c.value, c.place) for c in city] == [("killed", 6, "Mombasa")]


def test_a_toll_after_one_with_its_place_from_the_same_speaker_shares_the_place() -> None:
    posts = [
        {"title": "Polls close", "body": "Voting ended across Kenya on Tuesday evening."},
        {
            "title": "Hospital reports deaths",
            "body": "Four people have died of gunshot wounds in Eldoret since Saturday, the hospital's director, "
            "Grace Wanjiru, said. Eleven others were being treated for their injuries, she said.",
        },
    ]
    _, hospital = placed(posts, feed_title=ELECTION)
    assert sorted((c.metric, c.place) for c in hospital) == [("injured", "Eldoret"), ("killed", "Eldoret")]


def test_a_month_with_its_year_dates_a_sentence_in_the_past() -> None:
    body = (
        "The interior minister said no more than 10 people had died in the unrest nationwide. "
        "After the August 2017 election, clashes killed at least 24 people, rights groups said."
    )
    assert claims_of("Minister disputes toll", body) == [("killed", 10, "at_most", None)]


STANDOFF = "Border standoff live: Armenia and Azerbaijan trade fire as shelling kills four in Tegh"


def test_a_headline_figure_does_not_read_soldiers_from_the_body() -> None:
    body = "Armenian and Azerbaijani troops exchanged fire overnight. Two civilians were killed, officials said."
    found = claims_of("Shelling kills two in Goris", body)
    assert ("killed", 2, "exact", "Goris") in found
    text = f"Shelling kills two in Goris\n\n{body}"
    claims = extract_claims("Shelling kills two in Goris", body, extract_entities(text), extract_quantities(text))
    assert [c.actor for c in claims if c.metric == "killed"] == [None]


def test_drones_shot_down_are_counted_for_the_side_that_sent_them_and_the_country_they_flew_over() -> None:
    body = "Israel's military said its air defences had shot down 30 drones sent by Iran over Haifa and Tel Aviv."
    text = f"Drones intercepted\n\n{body}"
    (claim,) = extract_claims("Drones intercepted", body, extract_entities(text), extract_quantities(text))
    assert (claim.metric, claim.value, claim.actor, claim.place) == ("drones", 30, "Iran", "Israel")


def test_the_side_in_a_figures_own_words_launched_it() -> None:
    title = "Ukraine says it shot down 40 Russian drones"
    (claim,) = extract_claims(title, "", extract_entities(title), extract_quantities(title))
    assert (claim.metric, claim.actor) == ("drones", "Russia")


def test_drones_sent_at_a_city_are_an_attack_and_drones_sent_to_a_state_a_transfer() -> None:
    attack = "Russia sent 100 drones at Kyiv overnight, the air force said."
    transfer = "Iran has sent 200 drones to Russia, officials said."
    assert [(c.metric, c.actor) for c in _claims("Attack", attack)] == [("drones", "Russia")]
    assert [(c.metric, c.actor, c.place) for c in _claims("Transfer", transfer)] == [
        ("arms_transfer", "Iran", "Russia")
    ]


def _claims(title: str, body: str) -> list:  # type: ignore[type-arg]
    text = f"{title}\n\n{body}"
    return extract_claims(title, body, extract_entities(text), extract_quantities(text))


def test_a_toll_without_a_place_goes_where_the_headline_sets_the_post_not_to_the_story_town() -> None:
    posts = [
        {"title": "Shelling kills four in Tegh", "body": "Four people were killed in Tegh, officials said."},
        {
            "title": "Armenia strikes positions in Azerbaijan",
            "body": "Armenian artillery hit several positions overnight. Azerbaijan's defence ministry said "
            "six civilians had been killed and 20 injured.",
        },
    ]
    _, strikes = placed(posts, feed_title=STANDOFF)
    assert sorted((c.metric, c.place) for c in strikes) == [("injured", "Azerbaijan"), ("killed", "Azerbaijan")]


def test_a_launch_count_aimed_at_a_side_is_keyed_by_that_country_not_the_story_town() -> None:
    posts = [
        {"title": "Shelling kills four in Tegh", "body": "Four people were killed in Tegh, officials said."},
        {
            "title": "Armenian army: Azerbaijan fired 11 rockets, all intercepted",
            "body": "Azerbaijan fired 11 rockets at Armenian positions on Saturday and all were intercepted, "
            "the Armenian defence ministry said.",
        },
    ]
    _, rockets = placed(posts, feed_title=STANDOFF)
    assert [(c.metric, c.actor, c.place, c.place_id) for c in rockets] == [("missiles", "Azerbaijan", "Armenia", None)]


def test_air_force_ranks_are_titles_not_names() -> None:
    text = "The attack was repelled, Wing Commander Priya Menon and Squadron Leader Omar Khan told reporters."
    people = [e.text for e in extract_entities(text) if e.type == "PERSON"]
    assert people == ["Priya Menon", "Omar Khan"]


REFUGEES = "Sahel crisis live: thousands flee into Niger as fighting spreads around Menaka"


def test_people_who_crossed_into_a_country_are_its_arrivals() -> None:
    posts = [
        {"title": "Fighting near Menaka", "body": "Fighting was reported around Menaka on Monday."},
        {
            "title": "Thousands cross into Niger",
            "body": "Thousands of people have crossed from Menaka into Niger since Sunday, the UN refugee agency said. "
            "A spokeswoman, Aline Kaboré, said 8,000 new arrivals had been registered.",
        },
        {
            "title": "Niger says more than 15,000 have arrived",
            "body": "Niger's interior minister, Moussa Idrissa, said more than 15,000 Malians had entered the country "
            "through Ayorou and Tillabéri since the weekend.",
        },
    ]
    _, crossed, arrived = placed(posts, feed_title=REFUGEES)
    assert [(c.metric, c.value, c.place) for c in crossed] == [("displaced", 8000, "Niger")]
    assert [(c.metric, c.value, c.place) for c in arrived] == [("displaced", 15000, "Niger")]


def test_arrivals_and_crossings_are_displaced_counts() -> None:
    kinds = {
        text: {(q.kind, q.value) for q in extract_quantities(text)}
        for text in (
            "Thousands cross into Chad",
            "UNHCR said 27,400 people had been registered as new arrivals since Sunday.",
            "About 9,000 people have crossed from Geneina and Kulbus into Chad since Friday.",
        )
    }
    assert ("displaced", 2000) in kinds["Thousands cross into Chad"]
    assert ("displaced", 27400) in kinds["UNHCR said 27,400 people had been registered as new arrivals since Sunday."]
    assert ("displaced", 9000) in kinds[
        "About 9,000 people have crossed from Geneina and Kulbus into Chad since Friday."
    ]


def test_a_french_named_province_is_found_by_its_english_name() -> None:
    found = [(e.text, e.type, e.country_code) for e in extract_entities("Thousands fled inside South Kivu province.")]
    assert found == [("South Kivu province", "PLACE", "CD")]


def test_taking_a_town_and_a_quoted_verb_are_control_claims() -> None:
    taken = _claims("Rebels advance", "Rebels of the M23 group were near Uvira after taking the town of Kamanyola.")
    quoted = _claims("M23 says it holds Uvira", "M23 said its fighters had “liberated” Uvira on Tuesday.")
    assert [(c.metric, c.actor, c.place) for c in taken] == [("control", "M23", "Kamanyola")]
    assert [(c.metric, c.actor, c.place) for c in quoted] == [("control", "M23", "Uvira")]


def test_part_of_the_wounded_who_died_are_dead_and_a_headline_number_ends_at_its_line() -> None:
    text = "Toll rises to six\n\nTwo of the wounded died in hospital overnight, bringing the toll to six."
    assert sorted((q.kind, q.value) for q in extract_quantities(text)) == [
        ("killed", 2),
        ("killed", 6),
        ("killed", 6),
    ]
    assert [(c.metric, c.value) for c in _claims("Toll rises to six", text.split("\n\n")[1])] == [("killed", 6)]


def test_an_advance_is_a_depth() -> None:
    found = {(q.kind, q.value) for q in extract_quantities("Troops advanced 6km, advancing up to 9km in places.")}
    assert ("depth_km", 9) in found


def test_several_villages_captured_are_each_a_control_claim_and_their_count_a_settlements_claim() -> None:
    body = (
        "Russia's defence ministry said its forces had captured the villages of Zelenyi Hai and Bilohiria "
        "in the Zaporizhzhia region, bringing to eleven the number of settlements Russian troops have taken there."
    )
    found = sorted((c.metric, c.value, c.actor, c.place) for c in _claims("Moscow claims two villages", body))
    assert found == [
        ("control", 1, "Russia", "Bilohiria"),
        ("control", 1, "Russia", "Zelenyi Hai"),
        ("settlements", 11, "Russia", "Zaporizhzhia"),
    ]


def test_a_capital_heading_a_live_title_is_the_story_and_a_named_beach_no_foreign_town() -> None:
    posts = [
        {
            "title": "Gunmen storm hotel",
            "body": "A car bomb exploded at the gate of a hotel near Lido beach in Mogadishu, and gunmen stormed it.",
        },
        {"title": "Toll rises to 12", "body": "Twelve people have been killed, police said."},
    ]
    _, toll = placed(posts, feed_title="Mogadishu hotel siege live: 19 killed as forces end attack")
    assert [(c.metric, c.value, c.place) for c in toll] == [("killed", 12, "Mogadishu")]


def test_sheikh_between_two_names_is_part_of_the_name() -> None:
    text = "The siege is over, the minister, Abdullahi Sheikh Ismail, said. Sheikh Hasina spoke later."
    people = [e.text for e in extract_entities(text) if e.type == "PERSON"]
    assert people == ["Abdullahi Sheikh Ismail", "Hasina"]


def test_doses_that_arrived_are_no_refugees_and_suspected_cases_no_deaths() -> None:
    kinds = {
        (q.kind, q.value)
        for q in extract_quantities(
            "The first 100,000 doses of vaccine arrived at the airport. 40 people had died and 2,300 suspected "
            "cases had been recorded. More than 5,000 have arrived in the camps."
        )
    }
    assert ("displaced", 100000) not in kinds
    assert ("killed", 2300) not in kinds
    assert {("killed", 40), ("displaced", 5000)} <= kinds


def test_a_name_after_a_countrys_possessive_and_a_preposition_is_a_place() -> None:
    found = [(e.text, e.type) for e in extract_entities("Cholera live: deaths in Yemen's Hodeidah rise to 61")]
    assert ("Hodeidah", "PLACE") in found


def test_a_deal_with_a_seller_is_money_sent_the_way_the_weapons_go_and_batteries_are_no_missiles() -> None:
    body = "Vietnam has signed a $300m deal with India for two batteries of BrahMos cruise missiles, officials said."
    found = [(c.metric, c.value, c.actor, c.place) for c in _claims("Hanoi signs missile deal", body)]
    assert found == [("money_usd", 300_000_000, "India", "Vietnam")]


def test_where_the_injured_were_taken_is_not_where_they_were_hurt() -> None:
    body = "Five injured sailors were flown by helicopter to a hospital in Puerto Princesa, the navy said."
    text = f"Sailors hurt\n\n{body}"
    (claim,) = extract_claims("Sailors hurt", body, extract_entities(text), extract_quantities(text))
    assert (claim.metric, claim.place) == ("injured", None)


def test_an_aid_package_with_no_recipient_goes_to_the_country_heading_the_blog_from_the_speakers_state() -> None:
    posts = [
        {
            "title": "Pentagon: package worth ‘more than $2bn’",
            "body": 'Pentagon press secretary Sam Ortiz told reporters the package was worth "more than $2bn".',
        }
    ]
    (claims,) = placed(posts, feed_title="Taiwan aid live: US raises arms package as Japan pledges radars")
    assert [(c.metric, c.actor, c.place) for c in claims] == [("money_usd", "US", "Taiwan")]


def test_the_kremlin_and_the_white_house_speak_for_their_states() -> None:
    from streams.stages.places import side_of

    assert (side_of(None, "the Kremlin"), side_of("White House spokesperson", "Ann Lee")) == ("RU", "US")


def test_weapons_a_post_says_are_sent_are_no_second_launch_count() -> None:
    body = "The US package includes about 90 interceptor missiles for Patriot systems, officials told Reuters."
    found = [(c.metric, c.value) for c in _claims("US deal: about 90 missiles, officials say", body)]
    assert found == [("arms_transfer", 90)]


def test_a_town_the_title_names_beside_its_region_is_the_story() -> None:
    posts = [
        {"title": "Gunmen attack bus in Sindh", "body": "Gunmen attacked a bus in Sindh province near Sukkur."},
        {"title": "Toll rises to 12", "body": "Twelve people were killed, police said."},
    ]
    _, toll = placed(posts, feed_title="Sindh bus attack live: 12 killed as army ends standoff near Sukkur")
    assert [(c.metric, c.place) for c in toll] == [("killed", "Sukkur")]


def test_ground_a_named_fire_has_burned_is_the_fires() -> None:
    posts = [
        {"title": "Fire grows", "body": "The fire has burned 2,000 acres, Cal Fire said."},
        {"title": "Fire doubles", "body": "The blaze now covers 4,100 acres, officials said."},
    ]
    first, second = placed(posts, feed_title="Oregon wildfire live: Pine fire forces thousands from homes in Bend")
    assert [(c.metric, c.actor) for c in [*first, *second]] == [("area_km2", "Pine fire"), ("area_km2", "Pine fire")]


def test_the_citys_hospitals_are_the_towns_not_the_region_a_speakers_body_is_named_after() -> None:
    posts = [
        {
            "title": "Punjab health department raises toll to 80",
            "body": "The number of people who have died in Lahore's heatwave has risen to 80, Punjab's health "
            "department said. More than 900 people have been treated for heatstroke in the city's hospitals, it said.",
        }
    ]
    (claims,) = placed(posts, feed_title="Lahore heatwave live: toll rises as temperatures pass 47C")
    assert sorted((c.metric, c.place) for c in claims) == [("injured", "Lahore"), ("killed", "Lahore")]


def test_that_year_after_a_dated_sentence_is_background_and_an_ash_column_no_depth() -> None:
    body = "He faces charges over attacks in late 2013. At least 2,000 people were killed in the conflict that year."
    assert _claims("Verdict due", body) == []
    kinds = {(q.kind, q.value) for q in extract_quantities("The eruption sent an ash column 8km into the sky.")}
    assert ("depth_km", 8) not in kinds
