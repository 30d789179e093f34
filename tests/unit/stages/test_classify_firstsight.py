"""Category cues that five first-sight blogs (ceasefire, verdict, heatwave, naval, no-confidence) lacked."""

from __future__ import annotations

import pytest

from streams.stages.classify import classify


def labels(title: str, body: str, counted: frozenset[str], feed_title: str | None = None) -> set[str]:
    return {c.label for c in classify(title, body, counted=counted, feed_title=feed_title)}


@pytest.mark.parametrize(
    ("title", "body", "counted", "feed_title", "label", "expected"),
    [
        # a heatwave is a disaster: its toll is a humanitarian story as well as a count
        (
            "Toll rises to 88, health department says",
            "The number of people who have died in the heat has risen to 88, the health department said.",
            frozenset({"killed"}),
            "Heatwave live: temperatures stay above 45C in the capital",
            "humanitarian",
            True,
        ),
        # heatstroke, dehydration and power cuts are what people suffer
        (
            "Hospitals fill up in the capital",
            "Doctors said most patients arriving at the emergency wards had heatstroke or were dehydrated after "
            "power cuts of up to ten hours.",
            frozenset(),
            None,
            "humanitarian",
            True,
        ),
        # a speaker and what they said, with no figure, is a statement
        (
            "Weather service: relief expected from Thursday",
            "The weather service said cooler air would arrive from the coast on Thursday.",
            frozenset(),
            None,
            "statement",
            True,
        ),
        # with a figure the speaker is only the count's source
        (
            "Fire service: two dead, 14 injured",
            "Two people were killed and 14 injured, the fire service said.",
            frozenset({"killed", "injured"}),
            None,
            "statement",
            False,
        ),
        # a headline reporting the attack that killed is fighting too
        (
            "Shelling kills four at market",
            "Four civilians were killed when shells hit the market on Tuesday, a local leader said.",
            frozenset({"killed"}),
            None,
            "military",
            True,
        ),
        # a head of government acting is politics
        (
            "Prime minister orders emergency measures",
            "The prime minister ordered hospitals to cancel staff leave.",
            frozenset(),
            None,
            "politics",
            True,
        ),
        # a post headed "Background:" is about what it recounts
        (
            "Background: the 2011 floods",
            "In 2011, floods killed more than 300 people in the province.",
            frozenset({"killed"}),
            None,
            "casualties",
            True,
        ),
        # buying, funding and selling weapons, and deals for them, are weapons changing hands
        (
            "Navy signs missile deal",
            "The defence ministry signed it on Friday in Manila.",
            frozenset(),
            None,
            "arms",
            True,
        ),
        (
            "Netherlands to fund 1,000 long-range drones",
            "The Dutch government will pay for the drones, the defence minister said.",
            frozenset({"drones"}),
            None,
            "arms",
            True,
        ),
        (
            "Japan to sell six warships to the Philippines",
            "The ships are being retired from Japanese service, the ministry said.",
            frozenset(),
            None,
            "arms",
            True,
        ),
        # helicopters sent to reach villages are relief, not arms
        (
            "India offers help as rescuers reach villages",
            "India said it would send helicopters to help reach villages cut off by the landslides.",
            frozenset(),
            None,
            "arms",
            False,
        ),
        # rescuers and a hospital in a post that counts a toll report the toll, not a rescue
        (
            "Toll in market shelling rises to seven",
            "Seven people have died, the hospital director said. Rescuers worked through the night.",
            frozenset({"killed"}),
            None,
            "humanitarian",
            False,
        ),
        # without a toll they are the rescue
        (
            "Rescuers reach cut-off villages",
            "Rescuers carried the sick to hospital on stretchers across the river.",
            frozenset(),
            None,
            "humanitarian",
            True,
        ),
        # pictures from a disaster show what it does to people
        (
            "Watch: storm surge floods the seafront",
            "Video filmed on Tuesday shows waves breaking over the promenade.",
            frozenset(),
            "Cyclone live: storm makes landfall on the coast",
            "humanitarian",
            True,
        ),
        # an appeal to the parties is a statement
        (
            "UN rights office urges restraint",
            "The UN rights office urged restraint and asked both sides to avoid the use of force.",
            frozenset(),
            None,
            "statement",
            True,
        ),
        # "injuring four" is a toll
        (
            "Supply boat rammed near the shoal",
            "A coast guard vessel rammed the boat on Monday morning, injuring four sailors.",
            frozenset({"injured"}),
            None,
            "casualties",
            True,
        ),
        # what a court decides is legal
        (
            "Watch: survivors react to the verdict",
            "Video shows a crowd cheering as the sentence was read out on the radio.",
            frozenset(),
            None,
            "legal",
            True,
        ),
        (
            "Former minister to be extradited",
            "A judge approved the request on Friday.",
            frozenset(),
            None,
            "legal",
            True,
        ),
        # a storm's progress alone is no humanitarian story, however often the storm is named
        (
            "Hurricane Delia strengthens to category 3 in the Gulf",
            "The hurricane is expected to strengthen further before the storm makes landfall; forecasters said the "
            "storm surge could reach four metres when the hurricane arrives.",
            frozenset(),
            None,
            "humanitarian",
            False,
        ),
        # a pledge of money for an outbreak is aid, a pledge of drones is arms
        (
            "Gulf state pledges $20m for cholera response",
            "The kingdom pledged the money to the UN's appeal for the outbreak.",
            frozenset({"money_usd"}),
            None,
            "arms",
            False,
        ),
        (
            "Germany pledges 120 drones",
            "Berlin will also send two more air defence systems, the defence minister said.",
            frozenset({"drones"}),
            None,
            "arms",
            True,
        ),
        # researchers' analysis is a statement
        (
            "Security firm links attack to known group",
            "Researchers at the firm said the malware matched tools used before by the same group.",
            frozenset(),
            None,
            "statement",
            True,
        ),
        # ransom, extortion and money laundering are crimes
        (
            "Hackers demand $12m in bitcoin",
            "The hackers demanded a ransom to unlock the systems.",
            frozenset({"money_usd"}),
            None,
            "legal",
            True,
        ),
        # welcoming a ruling is a reaction: a statement
        (
            "Justice department welcomes ruling",
            "The department looked forward to the trial.",
            frozenset(),
            None,
            "statement",
            True,
        ),
        # money that is missing is no missing person
        (
            "Prosecutors say $1.9bn of customer funds missing",
            "About $1.9bn of customer deposits was missing when the exchange collapsed.",
            frozenset({"money_usd"}),
            None,
            "casualties",
            False,
        ),
        # a vaccination campaign is no election campaign
        (
            "Vaccination campaign to begin on Sunday",
            "The vaccination campaign will start in the worst-hit districts, the ministry said.",
            frozenset(),
            None,
            "politics",
            False,
        ),
        # hospitals named alone are no humanitarian story
        (
            "Hospitals report computer failure",
            "Several hospitals said their computer systems had stopped working and staff switched to paper.",
            frozenset(),
            None,
            "humanitarian",
            False,
        ),
        # an advance warning is no advance on the ground
        (
            "Russia had advance warning of attack, expert says",
            "Russia did have some advance warning that an attack was coming, an expert said. "
            "It is the first invasion of the territory in decades.",
            frozenset(),
            None,
            "territorial",
            False,
        ),
        # who reports ground taken is its source, as for a toll: no statement of its own
        (
            "Rebels say they have captured village near the river",
            "The rebel army said its fighters had taken full control of the village, a spokesman said.",
            frozenset(),
            None,
            "statement",
            False,
        ),
        # a toll update names the attack as its cause: no fighting story of its own
        (
            "Toll in market shelling rises to nine",
            "Nine people have now died after the shelling of the central market, the regional military "
            "administration said. Two of the wounded remain in a serious condition.",
            frozenset({"killed"}),
            None,
            "military",
            False,
        ),
        # a head of government speaking is a statement, not politics by itself
        (
            "Prime minister vows to pursue attackers' backers",
            "He said the country would not rest until those who planned the attack were found.",
            frozenset(),
            None,
            "politics",
            False,
        ),
        # a diplomatic protest is no street protest
        (
            "Manila summons ambassador",
            "The foreign ministry summoned the ambassador to protest against what it called reckless actions "
            "and said it would file a diplomatic protest.",
            frozenset(),
            None,
            "politics",
            False,
        ),
        # a protest toll's update names the unrest as its cause
        (
            "Protest death toll rises to nine, health ministry says",
            "The health ministry said nine people had now died in the protests, including a boy shot on Saturday.",
            frozenset({"killed"}),
            None,
            "politics",
            False,
        ),
        # a background post recounting an old disaster's toll is no humanitarian story of today
        (
            "Background: the region's last major storm",
            "Hurricane Michael, which struck the same coast in October 2018, killed 16 people in Florida.",
            frozenset({"killed"}),
            "Hurricane live: storm makes landfall",
            "humanitarian",
            False,
        ),
        # a volcanic eruption is a disaster: its pictures show what it does to people
        (
            "Watch: lava lights up the night sky",
            "Video filmed from a village 10km away shows glowing lava pouring down the flanks.",
            frozenset(),
            "Volcano live: eruption forces thousands from their homes",
            "humanitarian",
            True,
        ),
        # evacuees, camps short of clean water, an exclusion zone and aid for a disaster's victims
        (
            "Evacuees say camps are running short",
            "People sheltering in a school told reporters there was not enough clean water for the children.",
            frozenset(),
            None,
            "humanitarian",
            True,
        ),
        (
            "Exclusion zone widened to 7km",
            "The agency raised the alert to its highest level and widened the exclusion zone around the crater.",
            frozenset({"distance_km"}),
            None,
            "humanitarian",
            True,
        ),
        (
            "President orders aid for eruption victims",
            "The president ordered the military to fly food to the island.",
            frozenset(),
            None,
            "humanitarian",
            True,
        ),
    ],
)
def test_first_sight_cues(
    title: str, body: str, counted: frozenset[str], feed_title: str | None, label: str, expected: bool
) -> None:
    assert (label in labels(title, body, counted, feed_title)) is expected


def test_a_headline_kill_verb_is_a_toll_cue() -> None:
    scores = classify("Air strike kills 11", "The village was hit at dawn.", counted=frozenset({"killed"}))
    casualties = next(c for c in scores if c.label == "casualties")
    assert "kills" in casualties.cues
