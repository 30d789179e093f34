"""Turn a post's figures into trackable claims: metric, actor, place, value, who said it."""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import Final

from streams.models import Claim, Entity, Metric, Quantity, StoryPlace
from streams.stages.entities import capital_country, country_code_of, country_id, country_name, demonym_country
from streams.stages.places import is_city_name, side_of
from streams.stages.story import FEATURE_WORDS, title_names_place
from streams.stages.textindex import EndAnchored, Lowered, TextMemo, WordStartScanner, lowered

__all__ = ["extract_claims"]


def _is_past(sentence: str) -> bool:
    """A dated past sentence is background, unless it counts up from that date ("since ... began in September")."""
    return bool(_PAST_SENTENCE_LOWERED.match(sentence)) and not _SINCE.search(sentence)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_METRICS: Final[dict[str, Metric]] = {
    "area_km2": "area_km2",
    "settlements": "settlements",
    "depth_km": "depth_km",
    "front_km": "front_km",
    "distance_km": "distance_km",
    "killed": "killed",
    "injured": "injured",
    "displaced": "displaced",
    "missing": "missing",
    "captured": "captured",
    "missiles": "missiles",
    "drones": "drones",
    "troops": "troops",
    "money_usd": "money_usd",
}
# Kinds that make a claim; "other" never does.
# A distance ("30 miles south-west of the island", "200km from the coast") says
# where something is, not a figure anyone tracks over time; money is tracked
# only when it goes to someone (aid, a package), which _claim_for checks.
_CLAIM_KINDS: Final = frozenset(_METRICS) - {"distance_km"}
_TERRITORIAL: Final = frozenset({"area_km2", "settlements", "depth_km", "front_km", "distance_km", "control"})
# A toll counts people, not sides: the gold and the ledger key it by place alone.
_NO_ACTOR: Final = frozenset({"killed", "injured", "displaced", "missing"})
_CUMULATIVE: Final = frozenset({"killed", "injured", "displaced", "missing", "captured", "area_km2", "settlements"})

# A paragraph that opens like this recalls older news: its figures are not new claims.
_BACKGROUND: Final = re.compile(
    r"^\s*(?:for\s+context|context|background|recap|to\s+recap|as\s+a\s+reminder|catch\s+up|"
    r"a\s+reminder|in\s+case\s+you\s+missed\s+it)\b\s*[:,–—-]?",
    re.IGNORECASE,
)
_PAST_SENTENCE: Final = re.compile(
    r"^\s*(?:in\s+(?:19|20)\d\d\b|last\s+(?:year|month)\b|previously\b)"
    # A dated past anywhere in the sentence is background too: "Russia took Avdiivka in February",
    # "120 died in a similar strike last year" (a month with a day, "on 12 August", may be today).
    r"|.*\b(?:in\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    # "in March 12" may be today; "in March 2019" is not
    r"(?!\s+\d{1,2}\b)(?:\s+(?:19|20)\d\d)?|in\s+(?:19|20)\d\d|"
    # a month with its year is a date gone by, whatever comes before it ("after the October 2019 election")
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+(?:19|20)\d\d|last\s+(?:year|month|spring|summer|autumn|winter)|"
    r"(?:a|one|two|three|several)\s+(?:years?|months?|decades?)\s+ago|earlier\s+this\s+year|"
    # "killed in the conflict that year", after a sentence dated in the past
    r"that\s+year)\b",
    re.IGNORECASE,
)
_SINCE: Final = re.compile(r"\bsince\b", re.IGNORECASE)
_SENTENCE_SPLIT: Final = re.compile(
    # The end-mark lookbehind first: it fails at almost every position, so the others rarely run.
    r"(?<=[.!?…])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bGen)(?<!\bNo)(?<![A-Z]\.[A-Z])"
    r"[”\"’]?\s+(?=[“\"‘(]?[A-Z0-9])"
)
_HEDGES: Final = re.compile(
    r"\b(?:reportedly|reports?\s+(?:that|of|say|said|suggest|emerged)|by\s+reports|unconfirmed|unverified|"
    r"allegedly|purportedly|could\s+not\s+(?:be\s+)?(?:independently\s+)?verif\w+|rumou?rs?|"
    r"(?:is|are|was|were)\s+(?:believed|thought|understood|said)\s+to|expected|set\s+to|planning\s+to)\b",
    re.IGNORECASE,
)
_SPEECH: Final = re.compile(
    r"\b(?P<verb>said|says|say|told|tells|added|adds|stated|states|announced|announces|claimed|claims|"
    r"reported|reports|estimated|estimates|confirmed|confirms|wrote|writes|posted|tweeted|insisted|"
    r"warned|accused|accuses|alleged|alleges|according\s+to|quoted\s+by|citing|"
    # whoever revises a toll gives it: "the ministry revised its toll down to 1,055"
    r"(?:revised|revises|raised|raises|lowered|lowers|updated|updates|put|puts)"
    r"(?=\s+(?:its|their|the)\s+(?:[\w-]+\s+){0,2}?(?:toll|figure|count|tally|estimate)s?\b))\b",
    re.IGNORECASE,
)
_AUXILIARY: Final = _words(
    "has have had also just earlier previously later now then reportedly has since would will had "
    "separately recently already"
)
# Officials known by the level they serve at are a source the way "regional officials" are.
_SPOKESPERSON_FOR: Final = re.compile(r"\s*(?:an?|the)\s+spokes(?:man|woman|person)\s+for\b", re.IGNORECASE)
_LEVELS: Final = _words("regional district local provincial state city county municipal federal village")
_ANONYMOUS: Final = _words("sources source officials official people person insiders diplomats")
_ROLE_HEADS: Final = _words(
    "president minister secretary spokesperson spokesman spokeswoman governor mayor commander chief "
    "general ambassador envoy official officials officer director head chairman chancellor leader deputy "
    "adviser advisor analyst expert experts fellow professor correspondent counterpart prosecutor premier "
    "commander-in-chief head-of-state "
    "speaker ombudsman defender commissioner embassy consulate "
    "ministry department army military authorities police service agency "
    "council committee office staff command forces sources source administration government governor "
    "coastguard navy volunteers rescuers charity force authority division bureau directorate inspectorate"
)
_ROLE_MODIFIERS: Final = _words(
    "top senior chief deputy acting army military foreign defence defense interior regional local former "
    "state head intelligence health emergency security border district city federal national "
    "presidential press general armed air naval provincial disaster management civil agriculture coast fire "
    "local home energy communications justice finance transport public prosecution environment environmental "
    "weather meteorological rescue ambulance medical mines immigration southern northern eastern western central"
)
_AID_CONTEXT: Final = re.compile(
    r"\b(?:(?:aid|weapons|military|air\s+defen[cs]e|security|arms)\s+packages?|packages?|pledg(?:e|es|ed|ing)|"
    r"donat(?:e|es|ed|ing|ion)|to\s+fund|will\s+fund|would\s+fund|funding\s+for|military\s+(?:aid|assistance)|"
    r"spend\s+\$)",
    re.IGNORECASE,
)
_TRANSFER: Final = re.compile(
    r"\b(?:deliver\w*|supply|supplies|supplied|supplying|send|sends|sending|sent|ship\w*|transfer\w*|"
    r"provid\w+|sell\w*|sold|sales?|deliveries)\b",
    re.IGNORECASE,
)
_SENT_IN_ATTACK: Final = re.compile(
    r"\bsen(?:t|ds?|ding)\s+(?:[\w’',.-]+\s+){0,4}?(?:at|over|into|towards?|against)\b|"
    r"\b(?:shot|shoot|shooting)\s+down\b|\bintercept(?:ed|s|ing)?\b|\bdowned\b",
    re.IGNORECASE,
)
_WEAPON_NOUN: Final = re.compile(
    r"^\W*(?:[\w-]+\s+){0,3}?(?:missiles?|weapons|arms|munitions|ammunition|shells|rounds|drones|tanks|jets|"
    r"launchers|systems|rockets)\b",
    re.IGNORECASE,
)
_ROLE_BEFORE: Final = re.compile(
    r"((?:[\w-]+['’]s\s+)?(?:[a-z][\w-]*\s+){0,3}?(?:"
    + "|".join(sorted(_ROLE_HEADS, key=len, reverse=True))
    + r"))\s+$"
)
_ROLE_HEAD_ENDS: Final = tuple(_ROLE_HEADS)
_HELD_BY: Final = re.compile(
    r"\b(?:under\s+(?:the\s+)?(?:control\s+of\s+(?:the\s+)?)?|(?:held|controlled|captured|taken|seized|"
    r"occupied|retaken|liberated|launched|fired|deployed|sent)\s+by\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_CLAUSE_BREAK: Final = re.compile(r"[,;:–—]\s|\s(?:while|whereas|but|and\s+(?:that|in))\s", re.IGNORECASE)
_PLACE_PREPOSITION: Final = re.compile(
    r"\b(?:in|on|at|near|into|over|across|around|outside|targeting|hit|struck)\s+(?:the\s+)?$"
    r"|\b(?:town|city|village|region|province|district|port)\s+of\s+$",
    re.IGNORECASE,
)
# A clause that opens like this hangs on the noun just before it ("..., which killed five").
_RELATIVE_OPENING: Final = re.compile(r"\s*(?:which|where|that|who)\b", re.IGNORECASE)
_PLACE_OF_SPEAKER: Final = re.compile(r"\s(?:in|of|from|at)\s+(?:the\s+)?$")
# Part of a count, not its whole: "31 injured, most of them in Tyre".
_PART_BEFORE: Final = re.compile(
    r"\b(?:(?:most|many|some|all|half|several)\s+of\s+them|mostly)\s+in\s+(?:the\s+)?"
    r"(?:[A-Z][\w’'-]*\s+(?:and|or)\s+)?$",
    re.IGNORECASE,
)
# Where weapons came from: "fired from southern Lebanon", "launched from Crimea".
_ORIGIN_BEFORE: Final = re.compile(r"\bfrom\s+(?:the\s+)?(?:(?:southern|northern|eastern|western|occupied)\s+)?$")
_WORK_BY: Final = re.compile(
    r"\s*(?:an?|the|new|its|their)\s+(?:[\w-]+\s+){0,5}?(?:by|from)\s+(?=(?:the\s+)?[\w-]+)", re.IGNORECASE
)
_PART_OF_BEFORE: Final = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+|some|all|most|many|several|each|none|half)"
    r"\s+of\s+(?:the|those|these)\s+$",
    re.IGNORECASE,
)
_STILL_IN_HOSPITAL: Final = re.compile(
    r"\S+[^.;,\d]{0,30}?\b(?:remain(?:s|ed)?|still|are\s+still|were\s+still)\s+(?:being\s+treated\s+)?"
    r"(?:in\s+(?:the\s+)?hospitals?|hospitali[sz]ed|in\s+(?:a\s+)?(?:critical|serious|stable)\s+condition|"
    r"in\s+intensive\s+care)",
    re.IGNORECASE,
)
_NONE_OF: Final = re.compile(r"\bnone\s+of\s+(?:its|the|their|our|his|her|those)\s+$", re.IGNORECASE)
_SETTLEMENT_OF: Final = re.compile(r"\s+(?:border\s+)?(?:town|city|village|port|region|province|district)\s+of\b")
_AIMED_AT: Final = re.compile(r"\b(?:at|on|against|towards|toward|into)\s+(?:the\s+)?$", re.IGNORECASE)
_RECIPIENT: Final = re.compile(r"\b(?:to|for)\s+(?:the\s+)?$", re.IGNORECASE)
_CONTROL: Final = re.compile(
    r"\b(?:captured|captures|capture\s+of|capturing|seized|seizes|seizing|took|taken|takes|taking|liberated|"
    r"liberates|liberating|liberation\s+of|recaptured|retook|retaken|"
    r"(?:taken|took|takes|taking|seized|gained|established|full|in)\s+control\s+(?:of|over)|"
    # a verb in quotes is still the claim: had “liberated” Uvira
    r"(?<![-\w])(?<!\bin\s)(?<!\bnear\s)occupied|fall\s+of)[”\"’']?\s+(?:the\s+)?(?:(?:villages?|towns?|city|cities|settlements?|hamlets?|strategic|key|eastern|"
    r"frontline|front-line|industrial|port|mining)\s+){0,2}(?:of\s+)?"
    # the second and later of several places taken: "captured the villages of X and Y"
    r"(?:[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?(?:,\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)*,?\s+and\s+)?$",
    re.IGNORECASE,
)
# Figures for part of a period ("in the past 24 hours", "overnight") beside a running total.
_INCREMENT: Final = re.compile(r"^[\w.,]+\s+(?:more|further|additional|new)\b(?!\s+than)", re.IGNORECASE)
_SUB_PERIOD: Final = re.compile(
    r"\b(?:(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+(?:\w+\s+)?(?:hours?|days?|nights?|"
    r"weeks?)|overnight|last\s+night|since\s+(?:the\s+)?(?:ceasefire|truce|yesterday|last\s+night|this\s+morning|"
    r"midnight|dawn|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|in\s+(?:the\s+)?latest\s+"
    r"(?:attack|strike|strikes|wave|barrage|shelling))\b",
    re.IGNORECASE,
)
# Ground held or taken, a few words before the count ("taken control of 28 villages") or after it.
_HOLDING_GROUND: Final = re.compile(
    r"\b(?:control\w*|captur\w*|took|taken|takes|seiz\w*|liberat\w*|occup\w*|held|hold|holds|holding|"
    r"retook|retaken|recaptur\w*|advanc\w*|lost|fell|overran|overrun)\b(?:\s+[\w-]+){0,4}?\s+$",
    re.IGNORECASE,
)
_INCLUDING_BEFORE: Final = re.compile(r"\b(?:including|among\s+them|of\s+which|and)\s+$", re.IGNORECASE)
_HOLDING_ANYWHERE: Final = re.compile(
    r"\b(?:control\w*|captur\w*|took|taken|seiz\w*|liberat\w*|occup\w*|held|holds?|retook|recaptur\w*)\b",
    re.IGNORECASE,
)
_HELD_AFTER: Final = re.compile(
    r"[^.;]{0,40}?\b(?:under\s+(?:[\w-]+\s+)?control|held\s+by|in\s+the\s+hands\s+of|controlled\s+by|"
    r"(?:were|was|have\s+been|had\s+been)\s+(?:captured|taken|seized|liberated|occupied|retaken|recaptured|lost)|"
    # "the number of settlements Russian troops have taken"
    r"(?:have|has|had)\s+(?:now\s+)?(?:captured|taken|seized|liberated|occupied|retaken|recaptured))\b",
    re.IGNORECASE,
)
# Weapons asked for are not weapons sent: "said Ukraine needed at least 10 more Patriot systems".
_REQUEST: Final = re.compile(
    r"\b(?:needs?|needed|asked\s+for|asks\s+for|request\w*|calls?\s+for|called\s+for|wants?|wanted)\b"
    r"(?:\s+[\w-]+){0,3}?\s+$",
    re.IGNORECASE,
)
# Part of a figure the post gives whole: "441 of the drones", "three children were among the dead".
# Where help came from is not where the toll is: "two cranes brought from Chittagong".
_BROUGHT_FROM: Final = re.compile(
    r"\b(?:brought|sent|flown|dispatched|called|drafted|shipped|driven)\s+(?:in\s+)?from\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PEOPLE_FATES: Final = frozenset({"killed", "injured", "missing", "displaced", "captured"})
_PART_OF_THEM: Final = re.compile(r"[\w,.-]+\s+of\s+them\b", re.IGNORECASE)
_INCLUDED_BEFORE: Final = re.compile(r"\b(?:including|among\s+them)\s+$", re.IGNORECASE)
_PART_OF_TOLL: Final = re.compile(r"\s+of\s+the\s+(injured|wounded|hurt|dead|bodies|victims|missing|displaced)\b")
_TOLL_NOUNS: Final[dict[str, str]] = {
    "injured": "injured",
    "wounded": "injured",
    "hurt": "injured",
    "dead": "killed",
    "bodies": "killed",
    "victims": "killed",
    "missing": "missing",
    "displaced": "displaced",
}
_PROPOSED: Final = re.compile(r"\b(?:propos(?:ed|es|ing|al)|suggest(?:ed|s)?)\b[^.;]*$", re.IGNORECASE)
_SUBSET_AFTER: Final = re.compile(r"^\s+of\s+(?:the|them|those|whom|which)\b", re.IGNORECASE)
_SUBSET_OF: Final = re.compile(r"^[\w.,-]+\s+of\s+(?:the|them|those|whom|which)\b", re.IGNORECASE)
_SUBSET_IN: Final = re.compile(r"\bamong\s+(?:the|them|those)\b", re.IGNORECASE)
# A forecast is not a claim: "the toll could rise to 20,000".
_PROJECTION: Final = re.compile(
    r"\b(?:could|might|may|would|will|expected\s+to|likely\s+to|projected\s+to|feared\s+to)\s+"
    r"(?:\w+\s+)?(?:rise|reach|climb|top|exceed|increase|grow|double|triple|surpass|hit|soar)\b",
    re.IGNORECASE,
)
_FELL_TO: Final = re.compile(r"^\s+(?:has\s+|had\s+)?fell\s+to\b|^\s+(?:has|had)\s+fallen\s+to\b", re.IGNORECASE)
_COMBATANTS: Final = re.compile(
    r"[^.;\n]*?\b(?:troops|soldiers|servicemen|fighters|militants|combatants|personnel|marines|paratroopers)\b",
    re.IGNORECASE,
)
# Attackers' own dead ("two of the attackers were shot dead", "all four gunmen
# were killed") are not the attack's toll.
_PERPETRATORS: Final = re.compile(
    r"^\W*(?:of\s+(?:the\s+)?)?(?:[\w-]+\s+){0,2}?(?:attackers?|gunm[ae]n|assailants?|hostage-takers?|"
    r"suicide\s+bombers?|perpetrators?|militants?)\b",
    re.IGNORECASE,
)
_PERPETRATORS_BEFORE: Final = re.compile(
    r"\b(?:all\s+)?(?:attackers?|gunm[ae]n|assailants?|hostage-takers?|perpetrators?)\s+(?:were|was|are|had\s+been)"
    r"\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
# "supplying the RSF with 30 drones": the recipient sits before the figure.
_SUPPLIED_WITH: Final = re.compile(r"^\s+with\b", re.IGNORECASE)
# "The claim could not be independently verified": every figure in the post is unconfirmed.
_POST_HEDGE: Final = re.compile(
    r"\b(?:claims?|figures?|reports?|numbers?|toll|this)\s+(?:could|can|has|have)\s*(?:not|n[o’']t)\s+"
    r"(?:yet\s+)?(?:been\s+|be\s+)?(?:independently\s+)?(?:verified|confirmed)",
    re.IGNORECASE,
)
_REACTING: Final = re.compile(r"\breports?\s+(?:that|of)\b|\brumou?rs?\s+(?:that|of)\b", re.IGNORECASE)
_PRONOUNS: Final = frozenset({"he", "she"})
_PREPOSITIONS_BEFORE: Final = re.compile(
    r"\b(?:of|in|into|from|across|inside|within|to|near|at|on)\s+(?:the\s+)?$", re.IGNORECASE
)
# Where a speaker is, not what the figure is about: "told reporters in Ankara",
# "said in a statement from Sacramento", "the IFRC's head of delegation in Islamabad".
_SPEAKER_SEAT: Final = re.compile(
    r"\b(?:said|says|told\s+(?:reporters|journalists)|statement|briefing|conference|"
    r"speaking|spoke|delegation|office|embassy|headquarters|based)"
    # up to four words between, none a number or a past participle ("said 12 were killed in X" is not a seat)
    r"(?:\s+(?![\w-]*ed\b)[^\s.;\d]+){0,4}?\s+(?:in|from|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# Around a story's town, places this close are its suburbs and districts; a
# neighbouring town is further (Pokrovsk and Myrnohrad 7 km apart, Kherson and
# Oleshky across the river 8.5 km, Kramatorsk and Druzhkivka 13 km) and keeps
# its own toll. Around a region, towns this close are in it (one centre point).
_DISASTER_TITLE: Final = re.compile(
    r"\b(?:cyclones?|hurricanes?|typhoons?|storms?|(?:earth)?quakes?|floods?|flooding|landslides?|mudslides?|"
    r"wildfires?|bushfires?|tsunamis?|monsoons?|droughts?|eruptions?|heatwaves?)\b",
    re.IGNORECASE,
)
_TOWN_RADIUS_KM: Final = 5.0
_REGION_RADIUS_KM: Final = 250.0
_INTO_COUNTRY: Final = re.compile(
    r"\b(?:cross(?:es|ed|ing)?|fled|fleeing|flee|arrived|arriving|arrivals)\b[^.;]*?\b(?:into|in)\s+$", re.IGNORECASE
)
# "entered the country through Gatumba and Cibitoke": a way in, not where the count is
_ROUTE_BEFORE: Final = re.compile(r"\b(?:through|via)\s+(?:the\s+)?(?:[A-Z][\w’'-]*(?:,\s+|\s+and\s+|\s+or\s+)){0,3}$")
_THE_COUNTRY: Final = re.compile(r"\b(?:entered|into|in|across|inside|reached)\s+the\s+country\b", re.IGNORECASE)
_OF_BEFORE: Final = re.compile(r"\bof\s+(?:the\s+)?$", re.IGNORECASE)
# Where the hurt were taken is where they are treated, not where they were hurt:
# "six injured sailors were flown to a hospital in Puerto Princesa"
_TAKEN_TO_BEFORE: Final = re.compile(
    r"\b(?:flown|taken|airlifted|evacuated|transferred|brought|rushed|moved|driven)\b[^.;]{0,40}?\bto\s+"
    r"(?:(?:a|the)\s+(?:[\w-]+\s+){0,2}?(?:hospitals?|clinics?|medical\s+cent(?:re|er)s?)\s+(?:in|at)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_DEAL_WITH: Final = re.compile(
    r"\b(?:(?:deal|contract|agreement|order)\s+with|(?:bought|buy|buying|purchased?|purchasing|ordered)\b[^.;]{0,30}?"
    r"\bfrom)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# A wildfire's own name: "the Cedar fire" ("California wildfire" names where, not which fire).
# "Cal Fire" is an agency and "The fire" no name.
_NAMED_FIRE: Final = re.compile(
    r"\b(?!(?:The|This|That|Each|Every|Another|One|Its)\b)([A-Z][a-z]{2,})\s+(?:fire|blaze)\b"
)
# A name followed by one of these names a river or a road, which no toll is filed under.
_NAMES_A_FEATURE: Final = re.compile(r"\s+(?:" + FEATURE_WORDS + r"|canal|strait)\b", re.IGNORECASE)
_TOWN_WORD: Final = re.compile(r"\b(?:city|town)\b", re.IGNORECASE)
_TYPE_WORD_AFTER: Final = re.compile(
    r"\s+(?:region|oblast|province|governorate|state|district|prefecture|territory)$", re.IGNORECASE
)
# Ground retaken by driving the other side out: "pushed Russian troops out of Novoukrainka".
_PUSHED_OUT: Final = re.compile(
    r"\b(?:pushed|drove|driven|forced|expelled|cleared)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:troops|forces|units|soldiers|fighters|militants|rebels)\s+(?:out\s+of|from)\s+(?:the\s+)?"
    r"(?:(?:village|town|city|settlement)\s+of\s+)?$",
    re.IGNORECASE,
)
_FRONTED_PLACE: Final = re.compile(r"\s*(?:In|Across|Near|Outside|Around)\s+(?:the\s+)?[A-Z][^,.;]{0,40},")
_RUNNING_TOTAL: Final = re.compile(
    r"\b(?:bringing|raising|taking|pushing|lifting)\s+(?:the|its)\s+(?:[\w'’-]+\s+){0,3}?(?:toll|total|number)\b",
    re.IGNORECASE,
)
_SAID_AFTER: Final = re.compile(r"\s+(?:said|says|told|added)\b")
_SETTING_BEFORE: Final = re.compile(r"\b(?:in|on|into|across|inside|within)\s+$", re.IGNORECASE)
_TOWN_SETTING_BEFORE: Final = re.compile(r"\b(?:in|across)\s+(?:the\s+)?(?:[A-Z][\w-]*['’]s\s+)?$", re.IGNORECASE)
# A toll for the whole country, whatever town the story is about: "across the country", "nationwide".
_NATIONWIDE: Final = re.compile(
    r"\b(?:across|throughout|around|all\s+over)\s+the\s+country\b|\bnation-?wide\b|\bcountrywide\b",
    re.IGNORECASE,
)
# "the Igoma area of Mwanza", "the Kibera district of Nairobi": a part named with its town
_PART_OF_TOWN: Final = re.compile(r"\s+(?:area|district|neighbou?rhood|suburb|quarter|township)\s+of\s+(?:the\s+)?")
_REGION_ANAPHORA: Final = re.compile(r"\bthe\s+(?:region|area|province|oblast|territory|city|town)\b", re.IGNORECASE)
# The last word of a force's name: "Arakan Army", "Rapid Support Forces", "Patriotic Front".
_ARMED_HEADS: Final = _words("army forces front movement militia militias brigade brigades rebels guard mobilisation")
_ARMED_GROUPS: Final = _words("hamas hezbollah houthis taliban wagner idf irgc isis islamic state al-qaeda rsf m23")
# Blocs that send money and weapons as one ("the EU has delivered ..."), by their canonical names.
_BLOCS: Final[dict[str, str]] = {
    "eu": "European Union",
    "european union": "European Union",
    "nato": "Nato",
    "north atlantic treaty organization": "Nato",
}


_WORD: Final = re.compile(r"[\w’'-]+")
_WORD_OR_MARK: Final = re.compile(r"[\w’'-]+|[,“”\"]")
_POSSESSIVE_END: Final = re.compile(r"['’]s$")


@dataclass(frozen=True, slots=True)
class _Speaker:
    name: str | None
    role: str | None
    type: str  # PERSON, ORG, PLACE, ROLE, anonymous, or "" for nobody


_NOBODY: Final = _Speaker(None, None, "")
_POSSESSIVE_AFTER: Final = re.compile(r"['’]s?\s+[a-z]")
_OWNER_ROLE: Final = re.compile(r"['’]s?\s+((?:[a-z-]+\s+){0,2}[a-z-]+)")
_QUOTE_END: Final = re.compile(r"[,.!?]?\s*[”\"]\s*,?\s*$")
# A body known only by its kind, which points back to one the post named: "The agency said".
_BARE_ROLE: Final = re.compile(
    r"^(?:agency|ministry|department|authority|organisation|organization|group|service|charity)$"
)
_DETERMINERS: Final = _words("the a an this that these those")
_SITE_HEADS: Final = _words("hospital hospitals clinic school university college stadium airport mall centre center")
_SOURCE_RANK: Final = {"PERSON": 3.0, "ORG": 2.5, "ROLE": 2.0, "PLACE": 1.5}
_MEDIA_WORDS: Final = _words("watch video live pictures photos listen analysis explainer breaking")


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    text: str
    background: bool
    headline: bool


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    entity: Entity


@dataclass(slots=True)
class _PlaceChoice:
    entity: Entity | None
    explicit: bool


@dataclass(slots=True)
class _Draft:
    claim: Claim
    rank: float
    headline: bool
    sub_period: bool = False
    placed: bool = False
    """The figure's own words name its place (not the story's, nor one from another clause)."""


def _sentences(title: str, body: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    if title.strip():
        out.append(_Sentence(0, len(title), title, False, True))
    # A post headed "Background: ..." or "For context: ..." recalls older news throughout.
    context_post = bool(_BACKGROUND.match(title))
    offset = len(title) + 2
    pos = 0
    for paragraph in body.split("\n"):
        start = offset + pos
        pos += len(paragraph) + 1
        if not paragraph.strip():
            continue
        background = context_post or bool(_BACKGROUND.match(paragraph))
        last = 0
        pieces = [m.end() for m in _SENTENCE_SPLIT.finditer(paragraph)] + [len(paragraph)]
        for cut in pieces:
            piece = paragraph[last:cut]
            if piece.strip():
                out.append(_Sentence(start + last, start + cut, piece, background or _is_past(piece), False))
            last = cut
    return out


def _names(entity: Entity) -> list[str]:
    names = {entity.text, entity.canonical, *entity.aliases}
    if entity.type == "PERSON":
        names.add(entity.canonical.split()[-1])
    if entity.type == "PLACE" and entity.admin_level == 1:
        names.add(entity.canonical)
    return sorted((n for n in names if len(n) > 1), key=len, reverse=True)


def _mentions(text: str, entities: list[Entity]) -> list[_Mention]:
    """Where each entity is mentioned: one scan, longest names first, no overlaps."""
    by_name: dict[str, Entity] = {}
    for entity in entities:
        for name in _names(entity):
            by_name.setdefault(name, entity)
    if not by_name:
        return []
    # str.find per name, not a pattern compiled per post: every whole-word
    # occurrence, then left to right, the longest name at each start, no overlaps.
    found: list[tuple[int, int, str]] = []
    for name in by_name:
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            if (at == 0 or not _wordish(text[at - 1])) and (end == len(text) or not _wordish(text[end])):
                found.append((at, -len(name), name))
            at = text.find(name, at + 1)
    found.sort()
    mentions: list[_Mention] = []
    reached = 0
    for start, negative_length, name in found:
        if start >= reached:
            mentions.append(_Mention(start, start - negative_length, by_name[name]))
            reached = start - negative_length
    return mentions


def _wordish(char: str) -> bool:
    return char.isalnum() or char in "-_"


def _speaker_name(entity: Entity) -> str:
    """How a source is shown: an organisation with its acronym, "International Organization for Migration (IOM)".

    Posts name a body both ways; giving both lets a reader (and a matcher) know it by either.
    """
    if entity.type == "ORG":
        names = (entity.text, *entity.aliases)
        acronym = next((a for a in names if a.isupper() and 2 <= len(a) <= 8 and a != entity.canonical), None)
        if acronym and acronym not in entity.canonical:
            return f"{entity.canonical} ({acronym})"
    return entity.canonical


_INITIAL_SKIPS: Final = _words("of for the and on in")


def _fold_acronyms(entities: list[Entity]) -> list[Entity]:
    """Give a body its acronym when the post names both apart ("IOM says", "the ... Organization for Migration said").

    The source then shows both, and either spelling finds it.
    """
    acronyms = {
        e.canonical for e in entities if e.type == "ORG" and e.canonical.isupper() and 2 <= len(e.canonical) <= 8
    }
    if not acronyms:
        return entities
    out = []
    for entity in entities:
        words = entity.canonical.split()
        initials = "".join(w[0] for w in words if w.casefold() not in _INITIAL_SKIPS).upper()
        if entity.type == "ORG" and len(words) > 1 and initials in acronyms and initials not in entity.aliases:
            entity = entity.model_copy(update={"aliases": [*entity.aliases, initials]})
        out.append(entity)
    return out


def _actor_name(entity: Entity) -> str | None:
    """The side an entity stands for: a country (by itself, its capital or its adjective) or an armed group."""
    if entity.type == "PLACE":
        if entity.admin_level == 0:
            return entity.canonical
        code = capital_country(entity.canonical)
        return country_name(code) if code else None
    if entity.type == "NORP":
        return country_name(entity.country_code)
    if entity.type == "ORG" and entity.canonical.casefold() in _ARMED_GROUPS:
        return entity.canonical
    if entity.type == "ORG" and _is_armed_group(entity.canonical):
        return entity.canonical
    return None


def _is_armed_group(name: str) -> bool:
    """A force that is no state's: "Arakan Army", "Kachin Independence Army", "March 23 Movement".

    A state's own forces ("Israel Defense Forces", "Ukrainian army") are named after their country,
    and the country is the side, which the sentence names in its own words.
    """
    words = name.split()
    if len(words) < 2 or words[-1].casefold() not in _ARMED_HEADS:
        return False
    first = words[0]
    return country_code_of(first) is None and demonym_country(first) is None and capital_country(first) is None


def _town_like(entity: Entity) -> bool:
    """A town, or a region named after its city ("Dar es Salaam"): what "the city" can point back to."""
    return entity.admin_level != 1 or is_city_name(entity.canonical, entity.country_code)


def _is_area_place(entity: Entity) -> bool:
    return entity.type == "PLACE" and entity.admin_level != 0 and capital_country(entity.canonical) is None


class _Post:
    """What one post's text says about its figures: sentences, mentions, speakers."""

    def __init__(self, title: str, body: str, entities: list[Entity]) -> None:
        self.headline = title
        self.text = f"{title}\n\n{body}"
        self.low = lowered(self.text)  # for the Lowered patterns' searches of the whole text
        self.sentences = _sentences(title, body)
        # The same sentence is searched once per figure in it: keep the answers for this post.
        self.memo = TextMemo(_SENTENCE_CUES)
        self.mentions = _mentions(self.text, entities)
        self._mention_starts = [m.start for m in self.mentions]
        self._speakers: list[tuple[int, str]] | None = None
        # source() is a function of (sentence, position) alone, and it is asked again and
        # again for the same sentences (every earlier sentence per bare "the agency said").
        self._sources: dict[tuple[int, int], _Speaker] = {}
        self.fallback_actor: str | None = None
        self.fallback_place: Entity | None = None

        self.feed_title = ""
        self._people_before: list[tuple[int, str]] = [
            (m.start, m.entity.canonical) for m in self.mentions if m.entity.type == "PERSON"
        ]
        areas = [
            m
            for m in self.mentions
            if _is_area_place(m.entity)
            and not self.town_speaks(m)
            and not _PART_BEFORE_LOWERED.search(self.text, max(0, m.start - 60), m.start, low=self.low)
            and not _TAKEN_TO_BEFORE.search(self.text, max(0, m.start - 80), m.start)
        ]
        if not areas:
            # no town or region named: the country the headline names ("Toll rises in Lebanon")
            areas = [
                m
                for m in self.mentions
                if m.end <= len(title) and m.entity.type == "PLACE" and m.entity.admin_level == 0
            ]
        if areas:
            # The post's subject area: the one named most, first named on a tie.
            counts: dict[str, int] = {}
            for m in areas:
                counts[m.entity.canonical] = counts.get(m.entity.canonical, 0) + 1
            top = max(counts, key=lambda k: (counts[k], -next(m.start for m in areas if m.entity.canonical == k)))
            self.fallback_place = next(m.entity for m in areas if m.entity.canonical == top)

    def town_speaks(self, mention: _Mention) -> bool:
        """A town the gazetteer knows, named alone right before a verb of saying: a surname ("Medina said")."""
        entity = mention.entity
        return (
            entity.type == "PLACE"
            and entity.admin_level not in (0, 1, None)
            and capital_country(entity.canonical) is None
            and _SAID_AFTER.match(self.text, mention.end) is not None
            and not _PLACE_PREPOSITION.search(self.text, max(0, mention.start - 12), mention.start)
            and (mention.start == 0 or self.text[mention.start - 1] in " \n")
            and not self.text[max(0, mention.start - 5) : mention.start].rstrip().endswith(("the", "The"))
        )

    def countries_around(self, sentence: _Sentence) -> frozenset[str]:
        """Countries the headline and this sentence name as places (not as sides: "Israeli" is a nationality)."""
        return frozenset(
            m.entity.country_code
            for m in self.mentions
            if (m.end <= len(self.headline) or sentence.start <= m.start < sentence.end)
            and m.entity.type == "PLACE"
            and m.entity.admin_level == 0
            and m.entity.country_code
        )

    def in_span(self, start: int, end: int) -> list[_Mention]:
        # Mentions are sorted by start: only those starting in [start, end] can lie inside.
        first = bisect_left(self._mention_starts, start)
        last = bisect_right(self._mention_starts, end)
        return [m for m in self.mentions[first:last] if m.end <= end]

    def sentence_of(self, pos: int) -> _Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= pos < sentence.end:
                return sentence
        return None

    # -- who said it -----------------------------------------------------
    def _speakers_before(self, sentence_start: int) -> list[str]:
        """People who spoke in the sentences before this one, in order ("he said" finds its speaker)."""
        if self._speakers is None:
            self._speakers = []
            for sentence in self.sentences:
                # Each sentence only looks back, so this order is well founded.
                speaker = self.source(sentence, sentence.start)
                if speaker.type == "PERSON" and speaker.name:
                    self._speakers.append((sentence.start, speaker.name))
        return [name for start, name in self._speakers if start < sentence_start]

    def source(self, sentence: _Sentence, pos: int) -> _Speaker:
        """Whoever the sentence attributes the figure at ``pos`` to: a name if given, else a role."""
        key = (sentence.start, pos)
        known = self._sources.get(key)
        if known is None:
            known = self._sources[key] = self._find_source(sentence, pos)
        return known

    def _find_source(self, sentence: _Sentence, pos: int) -> _Speaker:
        best = _NOBODY
        best_distance = 10**9
        for verb in self.memo.finditer(_SPEECH, sentence.text):
            vstart = sentence.start + verb.start()
            vend = sentence.start + verb.end()
            word = verb.group("verb").casefold()
            if word.startswith(("according", "quoted", "citing")):
                # "according to an analysis of satellite images by the state agency": the author speaks
                work = _WORK_BY.match(self.text, vend, sentence.end)
                if work is not None:
                    vend = work.end()
                found = self._after_speaker(vend, sentence)
                if found.name is None:
                    found = self._role_after(vend, sentence)  # "according to the provincial government"
            else:
                found = self._speaker_before(vstart, sentence)
                before_verb = sentence.text[: verb.start()]
                if found.name is None and (not before_verb.strip(' ,“"‘') or _QUOTE_END.search(before_verb)):
                    # '"...," said Daniel Okafor': the speaker follows the quote and the verb
                    found = self._after_speaker(vend, sentence)
                if word.startswith("told") and (found.name is None or found.type == "anonymous"):
                    # "Two intelligence sources told Reuters": the outlet vouches for it.
                    outlet = self._after_speaker(vend, sentence, orgs_only=True)
                    if outlet.name is not None:
                        found = outlet
            if found.name is None or found.type == "anonymous":
                continue
            between = self.text[min(vend, pos) : max(vstart, pos)]
            if vend <= pos and _REACTING.search(between):
                # "The US said it was concerned by reports that ...": the speaker
                # reacts to the figure; the reports, unnamed, are its source.
                continue
            distance = abs(pos - vstart)
            if distance < best_distance:
                best, best_distance = found, distance
        if best.name is None and sentence.headline:
            best = self._headline_speaker(sentence)
        return best

    def paragraph_speaker(self, sentence: _Sentence) -> _Speaker:
        """The speaker of the sentence just before, in the same paragraph ("X said 7 died. The injured rose to 31.")."""
        if sentence.headline:
            return _NOBODY
        previous = next((s for s in reversed(self.sentences) if s.end <= sentence.start), None)
        if previous is None or previous.headline:
            return _NOBODY
        if "\n" not in self.text[previous.end : sentence.start]:
            speaker = self.source(previous, previous.end)
            return speaker if speaker.type in ("PERSON", "ORG", "ROLE") else _NOBODY
        # A new paragraph: the post's one speaker so far, if it has exactly one.
        named = {
            speaker.name: speaker
            for earlier in self.sentences
            if earlier.end <= sentence.start and not earlier.headline
            for speaker in (self.source(earlier, earlier.end),)
            if speaker.name and speaker.type in ("PERSON", "ORG", "ROLE")
        }
        return next(iter(named.values())) if len(named) == 1 else _NOBODY

    def _headline_speaker(self, sentence: _Sentence) -> _Speaker:
        """Find a headline's speaker before its colon ("Sumy governor: Russia holds 3 villages")."""
        colon = sentence.text.find(":")
        if colon <= 0 or colon > 60:
            return _NOBODY
        words = list(_WORD.finditer(sentence.text[:colon]))
        if not words or words[0].group(0).casefold() in _MEDIA_WORDS:
            return _NOBODY
        mentions = self.in_span(sentence.start, sentence.start + colon)
        people = [m for m in mentions if m.entity.type in ("PERSON", "ORG")]
        if people:
            return _Speaker(_speaker_name(people[-1].entity), None, people[-1].entity.type)
        return self._role_phrase(words, sentence)

    def _speaker_before(self, vstart: int, sentence: _Sentence) -> _Speaker:
        head = self.text[sentence.start : vstart]
        words = list(self.memo.finditer(_WORD_OR_MARK, head))
        while words and words[-1].group(0).casefold() in _AUXILIARY:
            words.pop()
        if not words:
            return _NOBODY
        role: str | None = None
        if words[-1].group(0) == "," and len(words) > 2:
            named = self._apposed_person(words, sentence)
            if named is not None:
                return named
            # "Alexei Smirnov, the acting governor of the region, told ...": the
            # speaker stands before the apposition, which is the role.
            commas = [i for i, w in enumerate(words[:-1]) if w.group(0) == ","]
            if commas:
                left = commas[-1]
                role = head[words[left].end() : words[-1].start()].strip() or None
                words = words[:left]
                if not words:
                    return _NOBODY
            else:
                words = words[:-1]
        if words[-1].group(0) in ("“", "”", '"', ","):
            return _NOBODY
        if words[-1].group(0).casefold() == "and" and len(words) > 2:
            subject = self._sentence_subject(words, sentence)
            if subject is not None:
                return subject
        end = sentence.start + words[-1].end()
        last = words[-1].group(0)
        if last.casefold() in _PRONOUNS:
            name = self._last_person(sentence.start, vstart)
            return _Speaker(name, None, "PERSON") if name else _NOBODY
        if last.casefold() == "who" and len(words) >= 2 and words[-2].group(0) == ",":
            end = sentence.start + words[-2].start()
        mention = next((m for m in reversed(self.mentions) if m.end <= end and end - m.end <= 1), None)
        if mention is not None and self.town_speaks(mention):
            # "Medina said": a town does not speak (a capital does, for its government); a surname does
            return _Speaker(self.text[mention.start : mention.end], None, "PERSON")
        if mention is not None and mention.entity.type == "PLACE":
            prep = _PLACE_OF_SPEAKER.search(self.text[sentence.start : mention.start])
            if prep is not None:
                # "the health ministry in Damascus said": the ministry speaks.
                cut = sentence.start + prep.start()
                inner = [w for w in words if sentence.start + w.end() <= cut]
                by_role = self._role_phrase(inner, sentence) if inner else _NOBODY
                if by_role.name:
                    return by_role
        if mention is not None and mention.entity.type in ("PERSON", "ORG", "PLACE"):
            return _Speaker(
                _speaker_name(mention.entity), role or self._role_before(mention.start, sentence), mention.entity.type
            )
        by_role = self._role_phrase(words, sentence)
        if by_role.name is None and _SPOKESPERSON_FOR.match(head):
            # "A spokesman for the officers, who call themselves the X Committee, said": X speaks
            bodies = [m for m in self.in_span(sentence.start, vstart) if m.entity.type == "ORG"]
            if bodies:
                return _Speaker(_speaker_name(bodies[-1].entity), None, "ORG")
        if by_role.type == "ROLE" and by_role.name and _BARE_ROLE.match(by_role.name):
            # "the agency said": the body of that kind this post last named.
            named = self._named_before(by_role.name, sentence.start)
            if named is not None:
                return named
        return by_role

    def _sentence_subject(self, words: list[re.Match[str]], sentence: _Sentence) -> _Speaker | None:
        """The named or role subject opening the sentence, for a second verb ("X denied ... and said")."""
        commas = [i for i, w in enumerate(words) if w.group(0) == ","]
        if len(commas) >= 2 and self._role_phrase(words[: commas[0]], sentence).type == "ROLE":
            # "Brazil's mines minister, Carla Nogueira, flew over the area and said ..."
            named = self._apposed_person(words[: commas[1] + 1], sentence)
            if named is not None:
                return named
        lead = [w for w in words if w.group(0).casefold() not in _DETERMINERS]
        run: list[re.Match[str]] = []
        for w in lead:
            key = w.group(0).casefold()
            possessive = _POSSESSIVE_END.search(key) and not run  # "The state's disaster authority"
            if w.group(0)[:1].isupper() or key in _ROLE_HEADS or key in _ROLE_MODIFIERS or possessive:
                run.append(w)
                continue
            break
        if not run or run[0].start() != lead[0].start() or len(run) == len(lead):
            return None
        if words[0].group(0).casefold() not in _DETERMINERS and run[0] is not words[0]:
            return None
        by_role = self._role_phrase(run, sentence)
        if by_role.name and by_role.type == "ROLE":
            return by_role
        end = sentence.start + run[-1].end()
        mention = next((m for m in self.mentions if m.end == end and m.entity.type in ("PERSON", "ORG")), None)
        if mention is not None:
            return _Speaker(_speaker_name(mention.entity), None, mention.entity.type)
        return None

    def _apposed_person(self, words: list[re.Match[str]], sentence: _Sentence) -> _Speaker | None:
        """'the head of the regional administration, Mykola Bondar, said': a person set off by commas after a role."""
        commas = [i for i, w in enumerate(words[:-1]) if w.group(0) == ","]
        if not commas:
            return None
        lo = sentence.start + words[commas[-1]].end()
        hi = sentence.start + words[-1].start()
        inner = [m for m in self.in_span(lo, hi) if m.entity.type in ("PERSON", "ORG")]
        if len(inner) != 1 or self.text[lo : inner[0].start].strip() or self.text[inner[0].end : hi].strip():
            # "The regional health authority, GGD Rotterdam-Rijnmond, said": a body's own name
            # after its role, even one the entities stage did not know
            return self._apposed_name(words, commas[-1], sentence)
        role = self.text[sentence.start : lo - 1].strip() or None
        return _Speaker(_speaker_name(inner[0].entity), role, inner[0].entity.type)

    def _apposed_name(self, words: list[re.Match[str]], comma: int, sentence: _Sentence) -> _Speaker | None:
        """A capitalised name between commas right after a role phrase ("the state agency, Feam,")."""
        name_words = words[comma + 1 : -1]
        role = self._role_phrase(words[:comma], sentence)
        if not name_words or len(name_words) > 5 or role.type != "ROLE":
            return None
        if not all(w.group(0)[:1].isupper() for w in name_words):
            return None
        name = self.text[sentence.start + name_words[0].start() : sentence.start + name_words[-1].end()]
        return _Speaker(name, role.name, "ORG")

    def _named_before(self, kind: str, before: int) -> _Speaker | None:
        """The body a bare "the <kind>" points back to: an earlier speaker of that kind, else the last such name."""
        speakers = [self.source(earlier, earlier.start) for earlier in self.sentences if earlier.end <= before]
        for speaker in reversed(speakers):
            if speaker.name and kind in speaker.name.casefold():
                return speaker
        orgs = [m for m in self.mentions if m.entity.type == "ORG" and m.end <= before]
        fitting = [m for m in orgs if kind in m.entity.canonical.casefold()]
        if fitting:
            return _Speaker(_speaker_name(fitting[-1].entity), kind, "ORG")
        # Else the body that spoke last ("the Kenya Red Cross said ... The charity said").
        spoken = [speaker for speaker in speakers if speaker.type == "ORG"]
        if spoken:
            return spoken[-1]
        # A place-like body (a hospital, a school) is where things happen, not "the charity" that speaks.
        speaking = [m for m in orgs if m.entity.canonical.rsplit(" ", 1)[-1].casefold() not in _SITE_HEADS]
        return _Speaker(_speaker_name(speaking[-1].entity), kind, "ORG") if speaking else None

    def _role_phrase(self, words: list[re.Match[str]], sentence: _Sentence) -> _Speaker:
        """Find an unnamed speaker known by role ("Ukraine’s top commander said")."""
        first = len(words)
        has_head = False
        for i in range(len(words) - 1, -1, -1):
            w = words[i].group(0)
            key = w.casefold()
            if key in _ROLE_HEADS or key in _ROLE_MODIFIERS:
                has_head = has_head or key in _ROLE_HEADS
                first = i
                continue
            if w[:1].isupper() and _POSSESSIVE_END.search(w):
                first = i  # a possessive owner opens the phrase: "Ukraine’s"
            elif (
                w[:1].isupper()
                and has_head
                and key not in _AUXILIARY
                and key not in _DETERMINERS
                and i == first - 1
                and w.isalpha()
            ):
                first = i  # "Two intelligence sources", "Kursk governor"
                continue
            break
        if not has_head or first >= len(words):
            return _NOBODY
        phrase = self.text[sentence.start + words[first].start() : sentence.start + words[-1].end()].strip()
        if words[-1].group(0).casefold() in _ANONYMOUS:
            # "a Hezbollah official": an unnamed member of a named body speaks for the body
            lo, hi = sentence.start + words[first].start(), sentence.start + words[-1].start()
            body = next((m for m in self.in_span(lo, hi) if m.entity.type == "ORG"), None)
            if body is not None:
                return _Speaker(_speaker_name(body.entity), phrase, "ORG")
            if words[-1].group(0).casefold() == "officials" and len(words) - first == 2:
                level = words[first].group(0).casefold()
                if level in _LEVELS:
                    return _Speaker(phrase, phrase, "ROLE")  # "district officials said": who, if not by name
            return _Speaker(phrase, phrase, "anonymous")
        return _Speaker(phrase, phrase, "ROLE")

    def _role_after(self, vend: int, sentence: _Sentence) -> _Speaker:
        """An unnamed speaker after "according to": the words up to the clause's end, if they name a role."""
        tail = self.text[vend : sentence.end]
        cut = re.search(r"[,.;:!?(]", tail)
        words = list(_WORD.finditer(tail[: cut.start()] if cut else tail))
        if not words or len(words) > 6:
            return _NOBODY
        offset = vend - sentence.start
        shifted = [m for m in _WORD.finditer(sentence.text, offset, offset + words[-1].end())]
        return self._role_phrase(shifted, sentence)

    def _role_before(self, start: int, sentence: _Sentence) -> str | None:
        head = self.text[sentence.start : start]
        # The pattern ends with a role word right before the trailing spaces: test that
        # first, since searching a long head position by position is slow.
        stripped = head.rstrip()
        if len(stripped) == len(head) or not stripped.endswith(_ROLE_HEAD_ENDS):
            return None
        match = _ROLE_BEFORE.search(head)
        return match.group(1) if match else None

    def _after_speaker(self, vend: int, sentence: _Sentence, *, orgs_only: bool = False) -> _Speaker:
        for mention in self.mentions:
            if mention.start < vend or mention.start > sentence.end:
                continue
            if mention.start - vend > 40:
                break
            if orgs_only and mention.entity.type != "ORG":
                continue
            if mention.entity.type == "PLACE" and _POSSESSIVE_AFTER.match(self.text, mention.end):
                by_role = self._role_after(vend, sentence)  # "according to Lebanon's health ministry"
                if by_role.name:
                    return by_role
            if mention.entity.type in ("PERSON", "ORG", "PLACE"):
                return _Speaker(
                    _speaker_name(mention.entity), self._role_before(mention.start, sentence), mention.entity.type
                )
        return _NOBODY

    def _last_person(self, sentence_start: int, pos: int) -> str | None:
        """Resolve "he said": the last person who spoke before this sentence, else the last person named."""
        speakers = self._speakers_before(sentence_start)
        if speakers:
            return speakers[-1]
        # Else the subject of the last sentence that named someone: its first person.
        for sentence in reversed([s for s in self.sentences if s.start < sentence_start]):
            people = [name for start, name in self._people_before if sentence.start <= start < sentence.end]
            if people:
                return people[0]
        return None

    # -- about whom and where ---------------------------------------------
    def actor_before(self, pos: int, sentence: _Sentence) -> str | None:
        """The nearest side named before ``pos`` in the sentence that is not a place's owner."""
        for mention in reversed(self.in_span(sentence.start, pos)):
            actor = _actor_name(mention.entity)
            if actor is None:
                continue
            before = self.text[max(sentence.start, mention.start - 12) : mention.start]
            if _PREPOSITIONS_BEFORE.search(before) and not (
                # "fighters of the M23": an armed group is the side, not a place the figure is in
                mention.entity.type == "ORG" and _OF_BEFORE.search(before)
            ):
                continue
            return actor
        return None

    def recipient_named(self, sender: str | None) -> str | None:
        """The side the post says money or weapons go to ("aid for Sudan", "... to Ukraine"), not the sender."""
        for mention in self.mentions:
            side = _actor_name(mention.entity)
            if (
                side is not None
                and side != sender
                and _RECIPIENT.search(self.text, max(0, mention.start - 10), mention.start)
            ):
                return side
        return None

    def bloc_before(self, pos: int, sentence: _Sentence) -> str | None:
        """A bloc sending as one, named before ``pos`` in the sentence ("the EU has delivered"): its canonical name."""
        for mention in reversed(self.in_span(sentence.start, pos)):
            bloc = _BLOCS.get(mention.entity.canonical.casefold()) if mention.entity.type == "ORG" else None
            if bloc is not None:
                return bloc
        return None

    def actor_after(self, pos: int, sentence: _Sentence) -> str | None:
        """Find the side named after a figure ("under Ukrainian control", "held by Russian forces")."""
        for mention in self.in_span(pos, sentence.end):
            actor = _actor_name(mention.entity)
            if actor is None:
                continue
            before = self.text[max(sentence.start, mention.start - 25) : mention.start]
            if _HELD_BY.search(before):
                return actor
        return None

    def place_for(
        self, sentence: _Sentence, actor: str | None, start: int, end: int, *, launched: bool = False
    ) -> _PlaceChoice:
        """The area a figure concerns: in its clause, else its sentence, else the region just spoken of.

        A place only part of the count is in ("most of them in Tyre") is not the count's place, and
        for ``launched`` weapons nor is where they came from ("fired from southern Lebanon").
        """
        inside = [
            m
            for m in self.in_span(sentence.start, sentence.end)
            if m.entity.type == "PLACE"
            and not self._seat(m)
            and not self._owner_of_speaker(m)
            and not self.town_speaks(m)
            and not _PART_BEFORE_LOWERED.search(self.text, max(sentence.start, m.start - 60), m.start, low=self.low)
            and not (launched and _ORIGIN_BEFORE.search(self.text, max(sentence.start, m.start - 25), m.start))
            and not _ROUTE_BEFORE.search(self.text, max(sentence.start, m.start - 50), m.start)
            and not _BROUGHT_FROM.search(self.text, max(sentence.start, m.start - 40), m.start)
            and not _TAKEN_TO_BEFORE.search(self.text, max(sentence.start, m.start - 80), m.start)
        ]
        lo, hi = self._clause(sentence, start, end)
        in_clause = [m for m in inside if lo <= m.start and m.end <= hi]
        if not in_clause and _RELATIVE_OPENING.match(self.text, lo, hi):
            # "the strike on Kramatorsk, which killed five people, ...": the figure is about
            # the place the relative clause hangs on, not one named later in the sentence.
            antecedent = [m for m in inside if m.end <= lo and self._area_like(m)]
            if antecedent and not self.text[antecedent[-1].end : lo].strip(" ,;:–—"):
                return _PlaceChoice(antecedent[-1].entity, explicit=True)
        # Places after the figure first ("killed in Syria"): one before it is
        # often the speaker's seat ("the ministry in Damascus said ...").
        after = [m for m in in_clause if m.start >= end]
        # places inside the figure's own words come first, in their order: "3,000 residents of
        # Itabira and the neighbouring town of Nova Era" are the first town's residents and its neighbours'
        within = [m for m in in_clause if start <= m.start < end]
        before = [m for m in reversed(in_clause) if m.start < start]
        for side in (within, after, before):
            for group in (
                [m for m in side if self._area_like(m)],
                [m for m in side if m.entity.admin_level == 0 and m.entity.canonical != actor],
            ):
                if group:
                    return _PlaceChoice(self._region_named_after(group[0], inside).entity, explicit=True)
        areas = [m for m in inside if self._area_like(m)]
        fronted = _FRONTED_PLACE.match(self.text, sentence.start, lo)
        if fronted is not None:
            # "In Batumi, five people were injured when ...": the place set before the sentence's clauses
            opening = [m for m in areas if m.start < sentence.start + fronted.end()]
            if opening:
                return _PlaceChoice(opening[0].entity, explicit=True)
        if areas and _RUNNING_TOTAL.search(self.text, lo, hi):
            # "Two more people died in Santa Cruz, bringing the toll to three": the total of the
            # place the sentence's first clause named
            named_before = [
                m for m in areas if m.end <= lo and _PLACE_PREPOSITION.search(self.text, max(0, m.start - 12), m.start)
            ]  # "died in hospital in Santa Cruz", not "cranes brought from Chittagong"
            if named_before:
                return _PlaceChoice(named_before[-1].entity, explicit=True)
        if areas and _REGION_ANAPHORA.search(self.text, lo, hi):
            # "Three more died in Maputo ..., bringing the city's toll to five": the clause points back
            # to the town the sentence named before it
            named_before = [m for m in areas if m.end <= lo and _town_like(m.entity)]
            if named_before:
                return _PlaceChoice(named_before[-1].entity, explicit=True)
        if areas:
            regions = [m for m in areas if m.entity.admin_level == 1]
            # named in another clause of the sentence ("a worker was found in a hospital in Sopot,
            # and two remained missing"): a hint for a post with no story, not the figure's own place
            return _PlaceChoice((regions or areas)[0].entity, explicit=False)
        if _REGION_ANAPHORA.search(sentence.text) or not inside or sentence.headline:
            # a capital counts as an area where something happened there ("protesters in Maputo")
            earlier = [m for m in self.mentions if m.end <= sentence.start and self._area_like(m)]
            # "the town" is the one the headline is about before one named in passing ("40 miles west of X")
            in_headline = [m for m in earlier if m.end <= len(self.headline)]
            anaphora = _REGION_ANAPHORA.search(sentence.text)
            if anaphora and _TOWN_WORD.search(anaphora.group(0)):
                # "in the city's hospitals" is a town's: not a region the headline names as a speaker's
                # ("Sindh health department raises toll"), but the town said before ("Karachi's heatwave")
                towns = [m for m in earlier if m.entity.admin_level != 0 and _town_like(m.entity)]
                towns_first = [m for m in towns if m.end <= len(self.headline)] or towns
                if towns_first:
                    return _PlaceChoice(towns_first[-1].entity, explicit=True)
            if in_headline and anaphora:
                return _PlaceChoice(in_headline[-1].entity, explicit=True)
            if earlier:
                return _PlaceChoice(earlier[-1].entity, explicit=bool(_REGION_ANAPHORA.search(sentence.text)))
            if self.fallback_place:
                return _PlaceChoice(self.fallback_place, explicit=False)
        others = [m for m in inside if m.entity.canonical != actor and _actor_name(m.entity) != actor]
        if others:
            return _PlaceChoice(others[0].entity, explicit=True)
        return _PlaceChoice(self.fallback_place, explicit=False)

    def aimed_at(self, sentence: _Sentence, end: int, actor: str | None) -> str | None:
        """The side weapons were aimed at, by its adjective: "fired 40 rockets at Israeli positions"."""
        for mention in self.in_span(end, min(sentence.end, end + 40)):
            if (
                mention.entity.type == "NORP"
                and _AIMED_AT.search(self.text, max(end, mention.start - 12), mention.start)
                and not _SETTLEMENT_OF.match(self.text, mention.end)  # "at the Israeli town of X": X says
            ):
                name = _actor_name(mention.entity)
                if name and name != actor:
                    return name
        return None

    def crossed_into(self, sentence: _Sentence, start: int) -> Entity | None:
        """The country people crossed into or arrived in, after their count ("crossed from X into Burundi")."""
        for mention in self.in_span(start, sentence.end):
            if (
                mention.entity.type == "PLACE"
                and mention.entity.admin_level == 0
                and _INTO_COUNTRY.search(self.text, max(start, mention.start - 40), mention.start)
            ):
                return mention.entity
        if _THE_COUNTRY.search(self.text, start, sentence.end):
            # "30,000 had entered the country", "40,000 are now sheltering in the country": the one
            # country the post names, the headline's first
            countries = [
                m.entity
                for m in self.mentions
                if m.entity.type == "PLACE" and m.entity.admin_level == 0 and m.start < sentence.end
            ]
            if len({c.id for c in countries}) == 1:
                return countries[0]
        return None

    def memo_fire(self) -> str | None:
        """The named fire the post or its blog is about ("the Cedar fire"), if any."""
        if not hasattr(self, "_fire"):
            found = _NAMED_FIRE.search(self.feed_title) or _NAMED_FIRE.search(self.text)
            self._fire = f"{found.group(1)} fire" if found else None
        return self._fire

    def country_of_towns(self, sentence: _Sentence, end: int) -> str | None:
        """The country of two or more towns named after a figure in its sentence, all in that one country."""
        towns = {
            m.entity.canonical: m.entity.country_code
            for m in self.in_span(end, sentence.end)
            if m.entity.type == "PLACE" and m.entity.admin_level != 0 and m.entity.country_code
        }
        countries = set(towns.values())
        return country_name(countries.pop()) if len(towns) >= 2 and len(countries) == 1 else None

    def headline_setting(self) -> Entity | None:
        """The one country the headline sets the post in ("strikes in Pakistan", "flee into Burundi").

        Not a country that only owns the place named after it ("in Russia's Belgorod region").
        """
        found = {
            m.entity.id: m.entity
            for m in self.in_span(0, len(self.headline))
            if m.entity.type == "PLACE"
            and m.entity.admin_level == 0
            and _SETTING_BEFORE.search(self.text, max(0, m.start - 8), m.start)
            and self.text[m.end : m.end + 2] not in ("'s", "’s")
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def headline_town(self) -> Entity | None:
        """The one town or region the headline sets the post in ("Two killed in Cochabamba", "in Russia's Belgorod")."""
        found = {
            m.entity.id: m.entity
            for m in self.in_span(0, len(self.headline))
            if self._area_like(m) and _TOWN_SETTING_BEFORE.search(self.text, max(0, m.start - 30), m.start)
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def headline_country(self, actor: str | None) -> str | None:
        """The country the headline names, when it is not the side the figure is about."""
        for mention in self.in_span(0, len(self.headline)):
            if mention.entity.type == "PLACE" and mention.entity.admin_level == 0 and mention.entity.canonical != actor:
                return mention.entity.canonical
        return None

    def _region_named_after(self, mention: _Mention, inside: list[_Mention]) -> _Mention:
        """A town or county with its region after it ("Geneva County, Alabama") is counted for the region.

        A part of a town named with it ("the Igoma area of Mwanza") is counted for the town.
        """
        if mention.entity.admin_level == 1:
            return mention
        for other in inside:
            if other.start <= mention.end:
                continue
            between = self.text[mention.end : other.start]
            if (other.entity.admin_level == 1 and between == ", ") or _PART_OF_TOWN.fullmatch(between):
                return other
        return mention

    def _owner_of_speaker(self, mention: _Mention) -> bool:
        """A place that owns the speaker ("Italy's coastguard said"): whose body speaks, not where it happened."""
        if mention.entity.admin_level != 0:
            return False
        after = _OWNER_ROLE.match(self.text, mention.end)
        return bool(after and any(w.casefold() in _ROLE_HEADS for w in after.group(1).split()))

    def _seat(self, mention: _Mention) -> bool:
        """A place that only says where a speaker is ("told reporters in Ankara", "head of delegation in X")."""
        return bool(_SPEAKER_SEAT_GUARDED.search(self.text[max(0, mention.start - 60) : mention.start]))

    def _area_like(self, mention: _Mention) -> bool:
        """A region or town; a capital too when it is where something happened ("strikes on Kyiv")."""
        if _NAMES_A_FEATURE.match(self.text, mention.end):
            return False  # "homes near the Piracicaba river": the river, not the town it shares a name with
        if _is_area_place(mention.entity):
            return True
        if mention.entity.type != "PLACE" or mention.entity.admin_level == 0:
            return False
        return bool(_PLACE_PREPOSITION.search(self.text[max(0, mention.start - 12) : mention.start]))

    def clause_of(self, sentence: _Sentence, start: int, end: int) -> tuple[int, int]:
        """Where the clause holding ``start``-``end`` begins and ends in the post's text."""
        return self._clause(sentence, start, end)

    def _clause(self, sentence: _Sentence, start: int, end: int) -> tuple[int, int]:
        text = sentence.text
        lo, hi = 0, len(text)
        rel_start, rel_end = start - sentence.start, end - sentence.start
        for cut in _CLAUSE_BREAK_LOWERED.finditer(text):
            if cut.end() <= rel_start:
                lo = cut.end()
            elif cut.start() >= rel_end:
                hi = cut.start()
                break
        return sentence.start + lo, sentence.start + hi


def _rank(source_type: str, claim: Claim, headline: bool) -> float:
    score = _SOURCE_RANK.get(source_type, 0.0)
    if claim.place:
        score += 1.0
    if claim.actor:
        score += 0.5
    if not headline:
        score += 0.75
    return score


def _range(claim: Claim) -> tuple[float, float]:
    """The values a figure allows (FORMAT.md): exact [v, v], approx ±10%, at_least [v, ∞), at_most [0, v]."""
    v = claim.value
    if claim.qualifier == "approx":
        return (v * 0.9, v * 1.1)
    if claim.qualifier == "at_least":
        return (v, float("inf"))
    if claim.qualifier == "at_most":
        return (0.0, v)
    return (v, v)


def _contains(outer: tuple[float, float], inner: tuple[float, float]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _compatible(a: Claim, b: Claim) -> bool:
    """Same actor and place, or one of them left open."""
    return all(x is None or y is None or x == y for x, y in ((a.actor, b.actor), (a.place, b.place)))


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1.0)


def _merge(drafts: list[_Draft]) -> list[Claim]:
    """One claim per figure: the best-attributed mention wins, the others fill its gaps."""
    # A sub-period count beside a larger figure of the same metric is part of
    # that running total, whoever gives it.
    drafts = [
        d
        for d in drafts
        if not (
            d.sub_period
            and any(o.claim.metric == d.claim.metric and o.claim.value > d.claim.value for o in drafts if o is not d)
        )
    ]
    groups: list[list[_Draft]] = []
    for draft in drafts:
        for group in groups:
            head = group[0].claim
            same_place = head.metric != "control" or head.place == draft.claim.place
            if head.metric == draft.claim.metric and _same_value(head.value, draft.claim.value) and same_place:
                group.append(draft)
                break
        else:
            groups.append([draft])
    merged: list[Claim] = []
    for group in groups:
        best = max(group, key=lambda d: d.rank)
        claim = best.claim
        updates: dict[str, object] = {}
        placed = next((d for d in group if d.placed), None)
        if placed is not None and not best.placed and placed.claim.place != claim.place:
            # "Dar es Salaam toll rises to seven" over the body's "seven people had died": the figure's
            # own place, said in the headline, beats the story's, which the body fell back on
            updates.update(place=placed.claim.place, place_id=placed.claim.place_id)
        for field in ("actor", "place", "place_id", "source", "source_role"):
            if getattr(claim, field) is None:
                donors = [d.claim for d in group if getattr(d.claim, field)]
                if field == "place_id":
                    # an id only comes with its own place: a place named without one ("India", keyed
                    # by name) must not take the id of another mention's place
                    place = updates.get("place", claim.place)
                    donors = [c for c in donors if c.place == place]
                if donors:
                    updates[field] = getattr(donors[0], field)
        merged.append(claim.model_copy(update=updates) if updates else claim)
    # Within a post a looser figure that holds a sharper one ("thousands have
    # fled" beside "5,000 have fled") restates it.
    merged = [
        claim
        for claim in merged
        if not any(
            other is not claim
            and other.metric == claim.metric
            and _compatible(other, claim)
            and _contains(_range(claim), _range(other))
            and _range(claim) != _range(other)
            for other in merged
        )
    ]
    # A sub-period count beside the running total ("30 killed since the
    # ceasefire" next to "the toll is 45"): the running total is the claim.
    out: list[Claim] = []
    for claim in merged:
        rivals = [
            c
            for c in merged
            if c is not claim
            and c.metric == claim.metric
            and c.metric in _CUMULATIVE
            and (c.actor, c.place, c.source) == (claim.actor, claim.place, claim.source)
        ]
        if claim.metric == "missing":
            # The missing are a stock, not a running total: "nine reported missing ..., leaving two"
            # -- the count said last is the one that stands.
            if any(merged.index(r) > merged.index(claim) for r in rivals):
                continue
        elif any(r.value > claim.value for r in rivals):
            continue
        out.append(claim)
    return out


def extract_claims(
    title: str,
    body: str,
    entities: list[Entity],
    quantities: list[Quantity],
    *,
    story_place: StoryPlace | None = None,
    feed_title: str | None = None,
) -> list[Claim]:
    """Return the claims the post's figures make, one per figure.

    Pure. ``quantities`` and ``entities`` are those of the headline, a blank
    line and the body (offsets in quantities refer to that text). Territorial and force
    figures get the side they are about as ``actor``; tolls get none. The
    ``source`` is the named speaker where the post names one (else a role such
    as "Ukraine’s top commander"), None when the post itself asserts it.
    Figures in background paragraphs ("For context: ...") make no claims; a
    figure stated twice in a post (headline and body) is one claim. A
    ``control`` claim (value 1) is made when a named place is taken. With a
    ``story_place`` (the feed's main place, see ``stages.story``), figures that
    name no place of their own, or a place inside it, are filed under it;
    a place no gazetteer knows is taken to lie inside it unless the blog's
    ``feed_title`` names it too: then it is a story of its own.
    """
    post = _Post(title, body, _fold_acronyms(entities))
    post.feed_title = feed_title or ""
    drafts: list[_Draft] = []
    for quantity in quantities:
        if quantity.kind not in _CLAIM_KINDS and quantity.kind != "other":
            continue
        sentence = post.sentence_of(quantity.start)
        if sentence is None or sentence.background:
            continue
        if _PROJECTION.search(post.text[sentence.start : quantity.start]):
            continue
        draft = _claim_for(post, quantity, sentence, story_place)
        if draft is not None:
            drafts.append(draft)
    drafts = _follow_on_places(drafts)
    drafts.extend(_control_claims(post))
    territorial_actor = next((d.claim.actor for d in drafts if d.claim.metric in _TERRITORIAL and d.claim.actor), None)
    if territorial_actor:
        drafts = [
            _Draft(d.claim.model_copy(update={"actor": territorial_actor}), d.rank, d.headline)
            if d.claim.metric in _TERRITORIAL and d.claim.actor is None
            else d
            for d in drafts
        ]
    merged = _merge(drafts)
    sent = {c.value for c in merged if c.metric == "arms_transfer"}
    # "US interceptor deal: about 90 missiles" over "the US package includes about 90 interceptors":
    # the weapons a post says are sent are the transfer, not a second count of launches
    merged = [c for c in merged if not (c.metric in ("missiles", "drones") and c.value in sent)]
    if _POST_HEDGE_LOWERED.search(body):
        merged = [c if c.hedged else c.model_copy(update={"hedged": True}) for c in merged]
    return [_spell_side(post, c) for c in merged]


# How news writes a country it names by adjective, capital or seat of government ("American",
# "Washington", "the Pentagon"): the short common name, not the gazetteer's.
_SHORT_COUNTRY_NAMES: Final[dict[str, str]] = {"US": "US", "GB": "UK", "AE": "UAE"}
_DOTTED_ABBREVIATION: Final = re.compile(r"^(?:[A-Z]\.){2,}$")


def _spell_side(post: _Post, claim: Claim) -> Claim:
    """The side as the post writes it ("US", "UK", "United States"), keyed by its canonical name.

    A reader (and an annotator) names a side the way the text does; the ledger key
    stays the canonical name, so "US" and "United States" meet on one key.
    """
    side = claim.actor
    if side is None:
        return claim
    canonical = _BLOCS.get(side.casefold(), side)
    written = _written_side(post, side, claim.evidence)
    if written is None:
        code = country_code_of(side)
        written = _SHORT_COUNTRY_NAMES.get(code, canonical) if code else canonical
    return claim.model_copy(update={"actor": written, "actor_id": canonical})


def _written_side(post: _Post, side: str, evidence: str) -> str | None:
    """How the claim's sentence (else the post) names ``side`` itself, not by adjective or capital."""
    at = post.text.find(evidence) if evidence else -1
    named = [
        m
        for m in post.mentions
        if (m.entity.type == "PLACE" and m.entity.admin_level == 0 and m.entity.canonical == side)
        or (m.entity.type == "ORG" and _BLOCS.get(m.entity.canonical.casefold()) == _BLOCS.get(side.casefold(), side))
    ]
    if not named:
        return None
    inside = [m for m in named if at >= 0 and at <= m.start and m.end <= at + len(evidence)]
    mention = (inside or named)[0]
    written = post.text[mention.start : mention.end]
    return written.replace(".", "") if _DOTTED_ABBREVIATION.match(written) else written


def _follow_on_places(drafts: list[_Draft]) -> list[_Draft]:
    """A toll that names no place right after one that does, from the same speaker, is about the same place.

    "Four people have died in Beira, the hospital's director said. Eleven others were being
    treated": the second count is Beira's too, not the story's (a country's, in an election blog).
    """
    out: list[_Draft] = []
    for draft in drafts:
        before = out[-1] if out else None
        claim = draft.claim
        if (
            before is not None
            and before.placed
            and not draft.placed
            and claim.metric in _NO_ACTOR
            # the same speaker, or none named ("Medina said three had died. The number of injured rose to 41.")
            and (claim.source is None or claim.source == before.claim.source)
            and claim.evidence != before.claim.evidence
            and claim.place != before.claim.place
        ):
            place = {"place": before.claim.place, "place_id": before.claim.place_id}
            draft = replace(draft, claim=claim.model_copy(update=place), placed=True)
        out.append(draft)
    return out


def _distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(a_lat), math.radians(b_lat)
    dphi, dlam = phi2 - phi1, math.radians(b_lon - a_lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _within_story(
    entity: Entity, story: StoryPlace, feed_title: str = "", post_countries: frozenset[str] = frozenset()
) -> bool:
    """Is ``entity`` part of the story's place: the place itself, its country, or a town inside it?"""
    if entity.country_code is None:
        # Not in the gazetteer: a village or district too small to list is, in
        # a story about one area, almost always somewhere in that area, unless
        # the blog's title names it beside the story's place ("Moscow claims
        # Stupochky as Kramatorsk toll rises"): then it is a story of its own.
        if entity.canonical != story.canonical and title_names_place(entity.text, feed_title):
            return False
        if story.country_code and len(post_countries) == 1 and story.country_code not in post_countries:
            # ... or unless the post names one country, and not the story's: a town across a border
            # ("a rocket hit a house in Kiryat Shmona" in a post about northern Israel, in a Lebanon story).
            return False
        return entity.admin_level != 0
    if story.country_code is None and story.lat is None:
        # A story place no gazetteer knows ("Um Shalaya"): the region around it
        # is the same story, another town is not. Once the blog has said which
        # country it is in ("Kupiansk in the Kharkiv region", stages.story), the
        # rules below apply: the Belgorod region across the border is not the story.
        return entity.admin_level in (1, 2) or entity.canonical == story.canonical
    if entity.country_code != story.country_code:
        return entity.id == story.id
    if entity.id == story.id or entity.canonical == story.canonical:
        return True
    if story.admin_level == 0:
        # A disaster's toll is one across the country it struck ("7 killed in Barisal" is part of
        # the cyclone's toll in Bangladesh); unrest or war in a country counts each city's toll
        # apart ("two killed in Maputo" is no lower count of the national toll). A figure that
        # names no town, or only where its speaker sits, goes to the country either way.
        return bool(_DISASTER_TITLE.search(feed_title))
    if entity.admin_level == 0:
        # "eastern Turkey" in a story the blog's title sets in Malatya is that story's own country;
        # a town the blog merely keeps naming is not the whole country ("strikes on southern Lebanon").
        return story.in_title

    near: float | None = None
    if entity.lat is not None and entity.lon is not None and story.lat is not None and story.lon is not None:
        near = _distance_km(entity.lat, entity.lon, story.lat, story.lon)
    if story.admin_level == 1:
        if entity.admin_level == 1:
            return False  # another region of the same country is another story
        return near is None or near <= _REGION_RADIUS_KM
    return near is not None and near <= _TOWN_RADIUS_KM


def _settle_place(
    choice: _PlaceChoice, story: StoryPlace | None, feed_title: str = "", post_countries: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """Name and id of the place a claim is filed under.

    Claims are keyed by place, so a figure about a suburb, a figure that names
    no place, or one placed only by the post's other sentences goes under the
    story's place; a figure explicitly about somewhere else keeps its own.
    """
    entity = choice.entity
    if story is not None and (
        entity is None or not choice.explicit or _within_story(entity, story, feed_title, post_countries)
    ):
        return story.name, _place_key(story.id, story.canonical, story.country_code, story.admin_level)
    if entity is None:
        return None, None
    return _shown_place(entity), _place_key(entity.id, entity.canonical, entity.country_code, entity.admin_level)


def _shown_place(entity: Entity) -> str:
    """A town or region as the post spells it ("Zaporizhzhia", not the gazetteer's "Zaporizhzhya"); a country by name.

    The key is the gazetteer's (``_place_key``), so spellings still meet.
    """
    if entity.admin_level == 0 or not entity.text:
        return entity.canonical
    return _TYPE_WORD_AFTER.sub("", entity.text) or entity.canonical


def _place_key(place_id: str, canonical: str, country: str | None, level: int | None) -> str:
    """A town and the region named after it are one key ("Dar es Salaam" the city and the region), as in the story.

    The gazetteers give them two ids, and which one a mention resolves to depends on its wording.
    """
    if country is None or level is None or level == 0 or not canonical:
        return place_id
    return f"place:{country}:{canonical.casefold()}"


def _claim_for(post: _Post, quantity: Quantity, sentence: _Sentence, story: StoryPlace | None) -> _Draft | None:
    text = post.text
    metric: Metric
    actor: str | None
    place: str | None
    place_id: str | None
    choice: _PlaceChoice | None = None
    nationwide: tuple[str, str | None] | None = None
    transfer = post.memo.search(_TRANSFER, sentence.text)
    if transfer and _SENT_IN_ATTACK.search(sentence.text):
        transfer = None  # "shot down 25 drones sent by India": weapons sent over a border are an attack
    # An aid package, a pledge or a fund names a transfer without a verb of sending
    # ("the US package includes about 90 interceptors", "to fund 1,000 drones").
    aid = post.memo.search(_AID_CONTEXT, sentence.text) or post.memo.search(_AID_CONTEXT, post.headline)
    weapons = (
        quantity.kind in ("missiles", "drones")
        or (
            quantity.kind == "other"
            # "2 million artillery shells": the weapons are named in the figure's own words or right after it
            and bool(_WEAPON_NOUN.match(text[quantity.end : quantity.end + 60]) or _WEAPON_NOUN.match(quantity.text))
        )
    )
    if (transfer or aid) and weapons:
        if _REQUEST.search(text, max(sentence.start, quantity.start - 40), quantity.start):
            return None  # "said Ukraine needed at least 10 more Patriot systems": asked for, not sent
        recipient = _recipient(post, quantity, sentence)
        if recipient is None and not aid:
            return None
        metric = "arms_transfer"
        # The sender comes before the transfer verb ("accused the UAE of supplying the RSF with 30 drones").
        verb_at = sentence.start + transfer.start() if transfer else quantity.start
        actor = (
            post.actor_before(verb_at, sentence)
            or post.actor_before(quantity.start, sentence)
            or post.bloc_before(verb_at, sentence)  # "The EU has delivered 2 million shells"
        )
        if actor == recipient:
            actor = None
        place, place_id = recipient, None
    elif quantity.kind == "other":
        return None
    elif _PART_OF_BEFORE.search(text, max(sentence.start, quantity.start - 30), quantity.start):
        return None  # "one of the two missing workers was found": the two were counted before
    elif (
        part := _PART_OF_TOLL.match(text, quantity.end) or _PART_OF_TOLL.search(quantity.text)
    ) is not None and _TOLL_NOUNS.get(part.group(1).casefold()) == _METRICS.get(quantity.kind):
        return None  # "About 70 of the injured were taken to Dhaka": part of a toll counted before, not a new one
    elif quantity.kind in _PEOPLE_FATES and (
        _PART_OF_THEM.match(text, quantity.start)
        or _INCLUDED_BEFORE.search(text, max(sentence.start, quantity.start - 25), quantity.start)
    ):
        return None  # "52 injured, four of them critically", "including eight guards": part of the count before
    elif quantity.kind == "troops" and _PROPOSED.search(text, max(sentence.start, quantity.start - 60), quantity.start):
        return None  # "proposed an African Union force of 5,000 troops": a plan, nobody deployed
    elif quantity.kind == "injured" and _STILL_IN_HOSPITAL.match(text, quantity.start):
        return None  # "Nine people remain in hospital": part of the injured, not a new count of them
    elif _NONE_OF.search(text, max(sentence.start, quantity.start - 30), quantity.start):
        return None  # "none of its 10,000 peacekeepers had been hurt": a force's size, nothing happened
    elif quantity.kind == "settlements" and not (
        _HOLDING_GROUND.search(text, max(sentence.start, quantity.start - 60), quantity.start)
        or _HELD_AFTER.match(text, quantity.end)
        or (
            # "control about 1,000 sq km of the region, including 74 settlements"
            _INCLUDING_BEFORE.search(text, sentence.start, quantity.start)
            and _HOLDING_ANYWHERE.search(text, sentence.start, quantity.start)
        )
    ):
        return None  # "food reaches hundreds of villages": villages named, no ground held or taken
    else:
        metric = _METRICS[quantity.kind]
        actor = None if metric in _NO_ACTOR else post.actor_before(quantity.start, sentence)
        if metric in ("killed", "injured") and (
            _PERPETRATORS.match(post.text[quantity.start : quantity.end + 40])
            or _PERPETRATORS.match(post.text[quantity.end : quantity.end + 40])
            or _PERPETRATORS_BEFORE.search(post.text[max(sentence.start, quantity.start - 40) : quantity.start])
        ):
            return None
        if metric in _NO_ACTOR and _COMBATANTS.match(post.text, quantity.start, quantity.end + 40):
            # "250 Hezbollah fighters killed": a side's own losses, kept apart from the civilian toll.
            actor = _actor_inside(post, quantity)
        if metric in ("missiles", "drones"):
            # "shot down 25 drones sent by India", "shot down 25 Indian drones": who launched them is
            # named after the figure or in its own words; the side before it may be the one that shot them down
            actor = post.actor_after(quantity.end, sentence) or _actor_inside(post, quantity) or actor
        elif actor is None and metric not in _NO_ACTOR:
            actor = post.actor_after(quantity.end, sentence)
        if metric in ("missiles", "drones", "troops", "captured", "money_usd") and actor is None:
            actor = _actor_inside(post, quantity)
        launched = metric in ("missiles", "drones")
        choice = post.place_for(sentence, actor, quantity.start, quantity.end, launched=launched)
        if metric == "displaced" and (refuge := post.crossed_into(sentence, quantity.start)) is not None:
            choice = _PlaceChoice(refuge, explicit=True)  # "crossed from Uvira into Burundi": Burundi's arrivals
        national = choice.entity is not None and choice.entity.admin_level == 0
        if metric in _NO_ACTOR and (not choice.explicit or national):
            lo, hi = post.clause_of(sentence, quantity.start, quantity.end)
            if _NATIONWIDE.search(post.text, sentence.start, sentence.end):
                # "nine people had died across the country": the country's toll, not the story town's
                nationwide = _nation_of(post, sentence, story)
            elif not choice.explicit and (town := post.headline_town()) is not None and not post.in_span(lo, hi):
                # "Two killed in Cochabamba ...": "Two protesters were killed, the health service said"
                choice = _PlaceChoice(town, explicit=True)
        target = post.aimed_at(sentence, quantity.end, actor) if launched else None
        if launched and target is None and not choice.explicit:
            target = post.headline_country(actor)
        if nationwide is not None:
            place, place_id = nationwide
        elif target is not None:
            place, place_id = target, None  # "fired dozens of rockets at Israeli positions"
        elif launched and choice.explicit and choice.entity and choice.entity.admin_level == 0:
            # "launched 480 drones at Ukraine": an attack on a country is counted for the country
            # (keyed by its name, as when the country comes from the story below)
            place, place_id = choice.entity.canonical, None
        elif launched and choice.explicit and (country := post.country_of_towns(sentence, quantity.end)):
            # "25 drones over Lahore, Rawalpindi and Karachi": a barrage at several cities is the country's
            # count, not the first city's ("40 rockets at the town of X" stays X's)
            place, place_id = country, None
        elif metric in ("missiles", "drones") and not choice.explicit and story and story.country_code:
            # "... 480 drones in the attack": an overnight barrage is the story country's count, not one town's
            place, place_id = country_name(story.country_code), None
        elif (
            metric in _NO_ACTOR
            and not choice.explicit
            and story is not None
            and (setting := post.headline_setting()) is not None
            and setting.id != story.id
            and setting.country_code != story.country_code
        ):
            # "India strikes nine sites in Pakistan": a toll that names no place is counted where the
            # headline sets the post, when that is another country than the story's town
            place, place_id = (
                setting.canonical,
                _place_key(setting.id, setting.canonical, setting.country_code, setting.admin_level),
            )
        else:
            place, place_id = _settle_place(choice, story, post.feed_title, post.countries_around(sentence))
        if metric == "money_usd":
            recipient = _recipient(post, quantity, sentence)
            supplier = _supplier(post, quantity, sentence)
            if recipient is None and supplier is not None:
                # "the Philippines signed a $420m deal with India for missiles": a purchase, keyed like
                # the weapons it buys (the seller sends, the buyer receives)
                buyer = post.actor_before(quantity.start, sentence)
                if buyer is not None and buyer != supplier:
                    actor, recipient = supplier, buyer
            if recipient is None and not (aid or transfer):
                return None  # a price or a cost ("charged $1,500 each"), not a transfer
            if recipient is not None:
                place, place_id = recipient, None
            elif not (choice.explicit and choice.entity is not None and choice.entity.admin_level == 0):
                # money goes to a country ("$20m to the UN's response in Yemen") or a body, never to a
                # town the story is about: the story's country receives it (below)
                place, place_id = None, None
            if transfer and (actor is None or actor == recipient):
                # "the US would provide Ukraine with a $1.2bn package": the sender comes before the verb
                sender = post.actor_before(sentence.start + transfer.start(), sentence)
                actor = sender if sender != recipient else actor
    if metric in ("arms_transfer", "money_usd"):
        place_id = None  # a receiver is keyed by its name, however the post found it
    if metric in ("arms_transfer", "money_usd") and (place is None or place == actor):
        # "Donors pledged $1.4bn in aid for Sudan. Saudi Arabia pledged $300m": the receiver the post named
        named = post.recipient_named(actor)
        if named is not None:
            place = named
    if metric in ("arms_transfer", "money_usd") and (place is None or place == actor):
        # "the package had been increased to $1.5bn" in an aid blog about one country, or in a war
        # blog about one of its towns: that country receives it (the sender is never its own recipient)
        receiver = _story_country(story)
        if receiver is not None and receiver != actor:
            place, place_id = receiver, None
    speaker = post.source(sentence, quantity.start)
    if speaker.name is None:
        speaker = post.paragraph_speaker(sentence)
    if metric == "area_km2" and actor is None and post.memo_fire() is not None:
        # "the Cedar fire has now burned 6,150 hectares": ground a fire holds is the fire's
        actor = post.memo_fire()
    if metric in ("arms_transfer", "money_usd") and actor is None:
        # "the package was worth more than $1bn", the Pentagon's press secretary said: the speaker's
        # government is the sender
        sender = country_name(side_of(speaker.role, speaker.name))
        if sender is not None and sender != place:
            actor = sender
    claim = Claim(
        metric=metric,
        value=quantity.value,
        qualifier=quantity.qualifier,
        actor=actor,
        place=place,
        place_id=place_id,
        source=speaker.name,
        source_role=speaker.role if speaker.role != speaker.name else None,
        evidence=sentence.text.strip(),
        hedged=bool(post.memo.search(_HEDGES, sentence.text)),
    )
    # "three more bodies ..., bringing the number found to seven": the increment is part of the total.
    sub_period = bool(
        post.memo.search(_SUB_PERIOD, sentence.text)
        or _INCREMENT.match(quantity.text)
        or _SUBSET_IN.search(quantity.text)
        or _SUBSET_AFTER.match(text, quantity.end)
        or _SUBSET_OF.match(quantity.text)
    )
    placed = (
        metric in _NO_ACTOR
        and place is not None
        and (nationwide is not None or (choice is not None and choice.explicit))
    )
    return _Draft(claim, _rank(speaker.type, claim, sentence.headline), sentence.headline, sub_period, placed)


def _nation_of(post: _Post, sentence: _Sentence, story: StoryPlace | None) -> tuple[str, str | None] | None:
    """The country a nationwide figure is about: the one the sentence or headline names, else the story's."""
    named = {
        m.entity.id: m.entity
        for m in post.mentions
        if m.entity.type == "PLACE"
        and m.entity.admin_level == 0
        and (m.end <= len(post.headline) or sentence.start <= m.start < sentence.end)
    }
    if len(named) == 1:
        country = next(iter(named.values()))
        return country.canonical, country.id
    if story is None or story.country_code is None:
        return None
    if story.admin_level == 0:
        return story.name, story.id
    name = country_name(story.country_code)
    return (name, country_id(story.country_code)) if name else None


def _actor_inside(post: _Post, quantity: Quantity) -> str | None:
    """Find the side named inside the figure's own words ("10,000 Russian troops")."""
    for mention in post.in_span(quantity.start, quantity.end + 30):
        actor = _actor_name(mention.entity)
        if _AIMED_AT.search(post.text, max(quantity.start, mention.start - 12), mention.start):
            continue  # "12 drones at Israeli positions": the target, not the side that fired
        if actor is not None and mention.entity.type in ("NORP", "ORG"):
            return actor
    return None


def _story_country(story: StoryPlace | None) -> str | None:
    """The country a blog is set in: its story's, whether a whole country ("Ukraine aid live: ...") or a town in one."""
    if story is None:
        return None
    if story.admin_level != 0:
        return country_name(story.country_code)
    return country_name(story.country_code) or story.canonical or story.name


def _supplier(post: _Post, quantity: Quantity, sentence: _Sentence) -> str | None:
    """The seller in a deal after the figure: "a $420m deal with India", "bought from France"."""
    for mention in post.in_span(quantity.end, sentence.end):
        actor = _actor_name(mention.entity)
        if actor is not None and _DEAL_WITH.search(post.text, max(quantity.end, mention.start - 40), mention.start):
            return actor
    return None


def _recipient(post: _Post, quantity: Quantity, sentence: _Sentence) -> str | None:
    """Find who a transfer goes to: named after the figure ("... to Russia") or before it ("supplying X with 30")."""
    # from the figure's start: its words may run on past the weapons ("2 million shells to Ukraine this")
    for mention in post.in_span(quantity.start, sentence.end):
        actor = _actor_name(mention.entity)
        if actor is None:
            continue
        if _RECIPIENT.search(post.text[max(sentence.start, mention.start - 10) : mention.start]):
            return actor
    for mention in reversed(post.in_span(sentence.start, quantity.start)):
        actor = _actor_name(mention.entity)
        if actor is not None and _SUPPLIED_WITH.match(post.text[mention.end : quantity.start]):
            return actor
    return None


def _control_claims(post: _Post) -> list[_Draft]:
    """Find named places taken ("Russia says it has captured the town of X"): value 1 each."""
    drafts: list[_Draft] = []
    for mention in post.mentions:
        entity = mention.entity
        if entity.type != "PLACE" or entity.admin_level == 0 or (entity.admin_level is None and entity.lat is not None):
            continue
        sentence = post.sentence_of(mention.start)
        if sentence is None or sentence.background:
            continue
        before = post.text[max(sentence.start, mention.start - 80) : mention.start]
        fell = _FELL_TO.match(post.text[mention.end : mention.end + 30])
        pushed = _PUSHED_OUT.search(before)
        if not _CONTROL_GUARDED.search(before) and not fell and not pushed:
            continue
        # "its marines had pushed Russian troops out of X": the side before the verb took it, not the one pushed
        verb_at = mention.start - len(before) + pushed.start() if pushed else mention.start
        if fell:
            actor = None
            for later in post.in_span(mention.end, sentence.end):
                actor = _actor_name(later.entity)
                if actor:
                    break
        else:
            actor = post.actor_before(verb_at, sentence)
        speaker = post.source(sentence, mention.start)
        claim = Claim(
            metric="control",
            value=1,
            qualifier="exact",
            actor=actor,
            place=_shown_place(entity),
            place_id=_place_key(entity.id, entity.canonical, entity.country_code, entity.admin_level),
            source=speaker.name,
            source_role=speaker.role if speaker.role != speaker.name else None,
            evidence=sentence.text.strip(),
            hedged=bool(post.memo.search(_HEDGES, sentence.text)),
        )
        drafts.append(_Draft(claim, _rank(speaker.type, claim, sentence.headline), sentence.headline))
    return drafts


# The end-anchored patterns above, searched only in texts that can end like one of their matches
# (stages.textindex.EndAnchored: the same answers as their search).
_CONTROL_GUARDED: Final = EndAnchored(_CONTROL)
# Run case-sensitively over the lower-cased sentence (stages.textindex.Lowered: the same answer, in half the time).
_PAST_SENTENCE_LOWERED: Final = Lowered(_PAST_SENTENCE)
_CLAUSE_BREAK_LOWERED: Final = Lowered(_CLAUSE_BREAK)
_POST_HEDGE_LOWERED: Final = Lowered(_POST_HEDGE)
_PART_BEFORE_LOWERED: Final = Lowered(_PART_BEFORE)
_SPEAKER_SEAT_GUARDED: Final = EndAnchored(_SPEAKER_SEAT)

# The long word lists asked of a figure's sentence, read together in one pass over it.
_SENTENCE_CUES: Final = WordStartScanner([_SPEECH, _TRANSFER, _AID_CONTEXT, _HEDGES, _SUB_PERIOD])
