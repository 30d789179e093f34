"""Find the numeric facts in a post: what is counted, its value in base units, and how sure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from streams.models import Qualifier, Quantity, QuantityKind
from streams.stages.textindex import EndAnchored, Lowered, WordStartScanner, lowered

__all__ = ["extract_quantities"]

# ---------------------------------------------------------------------------
# Lexicons. Everything is lower-case; matching is case-insensitive.

_ONES: Final = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES: Final = {
    "hundred": 100.0,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
# Vague plurals take a floor (FORMAT.md): twice the unit, so "dozens" is at least 24.
_VAGUE: Final = {
    "dozens": 24.0,
    "scores": 40.0,
    "hundreds": 200.0,
    "thousands": 2000.0,
    "tens of thousands": 20000.0,
    "hundreds of thousands": 200000.0,
    "millions": 2e6,
    "tens of millions": 2e7,
    "hundreds of millions": 2e8,
}

_AREA_UNITS: Final = {
    "km2": 1.0,
    "sqmi": 2.589988,
    "acre": 0.00404686,
    "hectare": 0.01,
    "m2": 1e-6,
}
_LENGTH_UNITS: Final = {"km": 1.0, "mi": 1.609344, "nmi": 1.852, "m": 0.001}

_UNIT_RE: Final = (
    r"(?P<unit>"
    r"(?P<km2>sq\.?\s?km|km2|km²|square[\s-]+kilomet(?:re|er)s?|sq(?:uare)?\.?[\s-]+kilomet(?:re|er)s?)"
    r"|(?P<sqmi>sq\.?\s?mi(?:les?)?|square[\s-]+miles?|sq\.?[\s-]+miles?)"
    r"|(?P<acre>acres?)"
    r"|(?P<hectare>hectares?|ha)"
    r"|(?P<m2>square[\s-]+met(?:re|er)s?|sq\.?\s?m|m2|m²)"
    r"|(?P<km>km|kms|kilomet(?:re|er)s?)"
    r"|(?P<nmi>nautical\s+miles?|nmi)"
    r"|(?P<mi>miles?|mi)"
    r"|(?P<metre>met(?:re|er)s|metre|meter)"
    r"|(?P<pct>%|per\s?cent|percent)"
    r"|(?P<usd>dollars|usd)"
    r")"
)

_WORDNUM_TOKEN: Final = (
    r"(?:" + "|".join(sorted(_ONES, key=len, reverse=True)) + r"|hundred|thousand|million|billion|dozen)"
)
_NUMBER_RE: Final = re.compile(
    r"(?<![\w.,])(?P<cur>US\$|\$|£|€|USD\s?|EUR\s?|GBP\s?)?"
    r"(?:"
    r"(?P<vague>(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|scores|hundreds|thousands|millions)"
    r"|(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    # number words run on within a line only: a headline's "six" and the body's "Two" are two numbers
    r"|(?P<words>(?:(?:a|an|half\s+a|"
    + _WORDNUM_TOKEN
    + r")(?:[^\S\n]+and)?(?:[^\S\n]|-)+)*"
    + _WORDNUM_TOKEN
    + r"(?![a-z]))"
    r")"
    r"(?:\s?(?P<scale>million|mn|m|billion|bn|b|trillion|tn|thousand|k)(?![a-z]))?"
    r"(?P<plus>\+)?"
    r"(?:(?:\s?-\s?|\s?)" + _UNIT_RE + r"(?![a-z]))?",
    re.IGNORECASE,
)
# The same matches as _NUMBER_RE.finditer, trying it only where a number, a currency or a number word starts.
_NUMBER_SCAN: Final = WordStartScanner([_NUMBER_RE])
# "12km (7.5 miles)" states one length twice: blank the bracketed conversion.
_CONVERSION_RE: Final = re.compile(
    r"(?<=[a-z²])\s*\((?:about|around|roughly|some|approx\.?|c\.|~)?\s*[\d.,]+[\s-]*"
    r"(?:sq\.?\s?mi(?:les?)?|square\s+(?:miles?|kilomet(?:re|er)s?)|nautical\s+miles?|miles?|mi|km2?|km²|sq\.?\s?km|kilomet(?:re|er)s?"
    r"|acres?|hectares?|ha|met(?:re|er)s?|m|ft|feet|yards?)\)",
    re.IGNORECASE,
)
_MONTHS: Final = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_AFTER: Final = re.compile(r"^(?:st|nd|rd|th)?\s+" + _MONTHS + r"\b", re.IGNORECASE)
_DATE_BEFORE: Final = re.compile(r"\b" + _MONTHS + r"\.?\s+$", re.IGNORECASE)
_ORDINAL_AFTER: Final = re.compile(r"^(?:st|nd|rd|th)\b", re.IGNORECASE)
_TIME_AFTER: Final = re.compile(
    r"^\s?(?:am|pm|a\.m\.|p\.m\.|gmt|bst|utc|cet|cest|et|edt|est|hrs|local time|post|update)\b", re.IGNORECASE
)
_TIME_SHAPE: Final = re.compile(r"^\d{1,2}[.:]\d{2}$")
_TIME_BEFORE: Final = re.compile(r"(?:\bat|\bfrom|\buntil|\bby|\bsee)\s+$", re.IGNORECASE)
_YEAR_BEFORE: Final = re.compile(
    r"(?:\b(?:in|since|of|from|until|till|by|before|after|during|early|late|mid|spring|summer|autumn|winter)"
    r"|" + _MONTHS + r"|,)\s+$",
    re.IGNORECASE,
)
_HOURS_AFTER: Final = re.compile(
    r"\s?(?:-\s?)?(?:hours?|hrs?|days?|weeks?|months?|years?|minutes?|mins?|seconds?|decades?|centuries|"
    r"year-old|years?-old|per\s?cent|percent|%|°|degrees?|times?|ft|feet|kg|tonnes?|tons?|mph|km/h|kph)\b",
    re.IGNORECASE,
)
# A number glued to letters is part of a name: F-16, Su-34, S-300, COVID-19, G7.
_CODE_BEFORE: Final = re.compile(r"[A-Za-z][-/]?$")
_CODE_AFTER: Final = re.compile(r"^[-/]?[A-Za-z]")
_PROPER_BEFORE: Final = re.compile(r"(?<![.!?:\"“‘'])\s(?P<word>[A-Z][A-Za-z]*)\s$")

_QUALIFIER_BEFORE: Final = re.compile(
    r"(?:(?P<at_least>more\s+than|at\s+least|well\s+over|just\s+over|over|upwards\s+of|in\s+excess\s+of|"
    r"no\s+(?:fewer|less)\s+than|a\s+minimum\s+of|at\s+minimum|exceeding|exceeded|beyond|above|topped)"
    r"|(?P<at_most>up\s+to|nearly|almost|fewer\s+than|less\s+than|under|just\s+under|no\s+more\s+than|"
    r"as\s+many\s+as|close\s+to|a\s+maximum\s+of|at\s+most|not\s+more\s+than)"
    r"|(?P<approx>around|about|some|roughly|approximately|an\s+estimated|estimated|circa|c\.|~|"
    r"more\s+or\s+less|or\s+so|nearly\s+about))"
    r"(?:\s+(?:a|an|the))?\s*$",
    re.IGNORECASE,
)
_RANGE_AFTER: Final = re.compile(r"^\s?(?:-|–|to|and)\s?(?=\d)", re.IGNORECASE)
_RANGE_BEFORE: Final = re.compile(r"\bbetween\s+$", re.IGNORECASE)

# Cue words that say what a count counts. Object nouns decide at once; people
# nouns wait for a verb (fled, killed) to say what happened to them.
_CUES: Final[tuple[tuple[str, str], ...]] = (
    ("settlements", r"settlements?|villages?|towns?|localities|locality|hamlets?|populated\s+areas?|communities"),
    ("missiles", r"(?:ballistic\s+|cruise\s+|hypersonic\s+)?missiles?|rockets?"),
    ("drones", r"drones?|uavs?|unmanned\s+aerial\s+vehicles?|shaheds?|loitering\s+munitions?"),
    (
        "captured",
        r"prisoners?(?:\s+of\s+war)?|pows?|hostages?|captives?|(?:re)?captured|escapees?|taken\s+(?:prisoner|captive)",
    ),
    (
        "killed",
        r"killed|killing|kills?|dead|deaths?|died|dying|die|fatalities|fatality|perished|slain|lives|"
        r"bod(?:y|ies)(?:\s+(?:have|had|has|were|was)\s+(?:been\s+)?(?:recovered|found|retrieved|pulled))?",
    ),
    (
        "injured",
        r"injured|injuring|injuries|wounded|wounding|wounds|hurt|hospitali[sz]ed|(?:being|been)\s+treated|"
        r"treated\s+(?:in\s+hospital|for)|in\s+hospital|taken\s+to\s+hospital",
    ),
    (
        "displaced",
        r"fled|flee|fleeing|flight|displaced|displacing|displacement|evacuated|evacuating|evacuees|evacuation|"
        r"refugees|homeless|uprooted|left\s+their\s+homes|forced\s+(?:from|out\s+of)|driven\s+from|"
        r"(?:from|out\s+of)\s+their\s+homes|sheltering|sheltered|took\s+shelter|"
        r"(?:moved|moving|move|fled|went)\s+(?:in)?to\s+(?:[\w-]+\s+){0,2}(?:shelters|camps|relief\s+centres)|"
        r"spent\s+the\s+night\s+in|in\s+(?:relief|evacuation|displacement)\s+(?:camps|centres|centers|shelters)|"
        # people ordered out: "18,000 residents are under orders to leave", "told to leave their homes"
        # refugees: "3,000 people have crossed the border into Ghana"
        r"cross(?:es|ed|ing)?\s+(?:the\s+border\s+)?into|cross(?:ed|ing)\s+the\s+border|"
        # "crossed from Uvira into Burundi", "12,000 new arrivals", "30,000 had entered the country"
        r"cross(?:es|ed|ing)?\s+from\s+(?:[\w’'-]+\s+){1,4}?into|(?:new\s+)?arrivals|"
        r"(?:sought|seeking|sheltering|taken|took)\s+(?:refuge|asylum)|asylum[\s-]seekers|"
        r"(?:ordered|told|urged|forced)\s+to\s+(?:leave|evacuate|flee)|under\s+(?:evacuation\s+)?orders?(?:\s+to\s+"
        r"(?:leave|evacuate))?|leave\s+their\s+homes",
    ),
    # People who arrived are refugees; doses or aid that arrived are not ("250,000 doses arrived").
    ("_arrival", r"arrived|arriving|entered\s+the\s+country"),
    # people trapped (underground, under rubble) are not yet accounted for
    ("missing", r"missing|unaccounted|trapped"),
    # people rescued or who survived are neither dead nor missing: "85 people rescued" beside "12 bodies"
    ("_safe", r"rescued|saved|survived|survivors|found\s+alive|pulled\s+(?:out\s+)?alive|unharmed|unhurt"),
    (
        "troops",
        r"troops|soldiers|servicemen|servicemembers|service\s+members|personnel|reservists|conscripts|"
        r"marines|paratroopers|mercenaries|fighters|combatants|recruits|militants|brigades?|battalions?|peacekeepers",
    ),
    (
        "_people",
        r"people|persons|civilians|residents|inhabitants|children|kids|women|men|individuals|citizens|"
        r"families|victims|others|patients|workers|migrants|villagers|passengers|adults|babies|"
        r"[a-z]+ians|[a-z]+ese|[a-z]+is",
    ),
    ("_money", r"dollars?"),
    # People sent to help: "4,000 rescue workers had been deployed" counts no victims.
    (
        "_responders",
        r"rescue\s+workers|aid\s+workers|health\s+workers|rescuers|volunteers|firefighters|fire\s+fighters|"
        r"medics|paramedics|doctors|nurses|police\s+officers|officers|staff|crews|teams",
    ),
    # Things counted right after a number that are neither people nor weapons: "nine districts", "4,200 shelters".
    (
        "_thing",
        r"districts?|provinces?|regions?|countries|states|counties|hospitals?|schools?|shelters?|centres?|cases|doses|"
        # units that hold weapons: "three batteries of BrahMos missiles" counts batteries
        r"batteries|batches|shipments|consignments|squadrons|"
        r"centers?|buildings?|homes|houses|structures|hours?|days?|weeks?|months?|years?|times|points?|"
        # vehicles: "passengers on the two buses" counts buses, not the toll before it
        r"buses|coaches|cars|vehicles|trucks|lorries|trains|carriages|boats|ships|vessels|planes|aircraft|helicopters|"
        # machines: "after two cranes lifted the wreck" counts cranes, not the bodies before it
        r"cranes|excavators|bulldozers|diggers|tractors|pumps|generators|ambulances|machines",
    ),
)
_CAPTIVE_NOUN: Final = re.compile(r"(?:prisoners?|pows?|hostages?|captives?)\b", re.IGNORECASE)
_FREED_BEFORE: Final = re.compile(
    r"\b(?:freed|released|rescued|freeing|releasing|swapped|exchanged)\s+$", re.IGNORECASE
)
_HOSPITAL_AFTER: Final = re.compile(
    r"\b(?:taken\s+to\s+hospital|hospitali[sz]ed|treated\s+(?:in\s+hospital|for))\b", re.IGNORECASE
)
# People hurt before who died since are dead: "two more injured passengers died overnight".
_DIED_AFTER: Final = re.compile(r"\b(?:died|succumbed)\b", re.IGNORECASE)
# What happened to captives said after them: "13 hostages had been killed", "155 hostages freed".
_CAPTIVE_FATE: Final = re.compile(
    r"\b(?:(?P<killed>killed|died|dead|executed|murdered)|(?P<injured>injured|wounded)"
    r"|(?P<other>freed|released|rescued|escaped|set\s+free|handed\s+over|exchanged|swapped))\b",
    re.IGNORECASE,
)
# People held as captives: "were holding 200 passengers hostage", "took 30 villagers captive".
_HOLDING: Final = re.compile(
    r"\b(?:holding|held|holds|hold|keeping|kept|took|taken|taking|seized|kidnapped|abducted)\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
# Villages reached, visited or where something happened are not ground held.
_REACHED_BEFORE: Final = re.compile(
    r"\b(?:reached|reaching|reach|visited|visiting|in|across|affecting|affected|serving|supplied|around)\s+"
    r"(?:some\s+|about\s+|more\s+than\s+|at\s+least\s+|nearly\s+|another\s+|the\s+)?$",
    re.IGNORECASE,
)
# Places said to be hit by a disaster are not ground held: "three villages cut off by the floods".
_SETTLEMENTS_HIT: Final = re.compile(
    r"\b(?:cut\s+off|flooded|submerged|buried|damaged|destroyed|affected|hit|razed|burned|without)\b",
    re.IGNORECASE,
)
_LAUNCHERS_AFTER: Final = re.compile(r"\s*(?:launchers?|systems?|pods?|batteries|battery|artillery)\b", re.IGNORECASE)
_OBJECT_KINDS: Final = frozenset({"settlements", "missiles", "drones", "captured"})
_FATE_KINDS: Final = frozenset({"killed", "injured", "displaced", "missing", "captured"})
_CUE_RE: Final = re.compile(
    r"\b(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _CUES) + r")\b", re.IGNORECASE
)
# The same matches as _CUE_RE.finditer, trying it only at words a cue can start with.
_CUE_SCAN: Final = WordStartScanner([_CUE_RE])
# Verbs before a number that say what happened to it ("killing 12", "toll rose to 40").
_BACK_CUE_RE: Final = re.compile(
    r"\b(?:(?P<killed>killed|killing|kills|death\s+toll|toll|dead|deaths|died|fatalities|lives|bodies(?:\s+of)?)"
    r"|(?P<injured>injured|injuring|wounded|wounding|injuries|hurt|treating)"
    r"|(?P<displaced>displacing|displaced|evacuated|evacuating|evacuation|forcing|forced|fled|refugees|uprooted|"
    r"driven|drove)"
    r"|(?P<missing>missing)"
    r"|(?P<captured>(?:re)?captured|(?:re)?capturing|took\s+prisoner|taken\s+prisoner|prisoners)"
    r"|(?P<troops>deployed|deploying|mobilised|mobilized|mobilising|mobilizing|amassed|massing)"
    r")\b",
    re.IGNORECASE,
)
# (an ash column "8km into the sky" is a height, not ground gone into)
_DEPTH_CUE: Final = re.compile(
    r"^\W*(?:[\w-]+\s+){0,3}?(?:deep|depth|into(?!\s+the\s+(?:sky|air|atmosphere))|inside|behind)\b", re.IGNORECASE
)
_FRONT_CUE: Final = re.compile(
    r"^\W*(?:[\w-]+\s+){0,3}?(?:front|frontline|front\s+line|wide|width|stretch|sector)\b", re.IGNORECASE
)
_FRONT_BACK: Final = re.compile(r"\b(?:along|across|front\s+of|frontline\s+of|stretch\s+of)\s+(?:a|an|the)?\s*$")
_DEPTH_BACK: Final = re.compile(
    r"\b(?:depth\s+of|advanc(?:ed|ing|es)|pushed|pushing|penetrated|penetrating)\s+(?:up\s+to\s+|some\s+|about\s+)?$"
)

# Where a clause ends: the kind of a number is read inside its own clause.
_FORWARD_STOP: Final = re.compile(
    # "registered as new arrivals" says what the count is; another "as" starts another clause
    r"\n|[,;:.!?()“”\"\[\]]\s|[;:!?()“”\"\[\]]|\s(?:while|whereas|but|and|although|though|"
    r"as(?!\s+(?:new\s+)?(?:arrivals|refugees|asylum))|with|including|"
    r"compared|against|out\s+of(?!\s+(?:their|his|her)\s+homes?)|of\s+whom|of\s+which|which|who|after|before|since|when)\s|\d",
    re.IGNORECASE,
)
_BACKWARD_STOP: Final = re.compile(
    r"\n|[;.!?()“”\"\[\]]\s|[;!?()“”\"\[\]]|,\s|\s(?:while|whereas|but|although|though)\s|\d", re.IGNORECASE
)
_BARE_AUXILIARIES: Final = re.compile(r"\s*(?:(?:have|has|had|now|already|since|so\s+far)\s+)*", re.IGNORECASE)
_OF_AFTER: Final = re.compile(r"\s+of\b", re.IGNORECASE)
# "Twelve of the survivors": a part of people already spoken of
_OF_PEOPLE: Final = re.compile(
    r"\s+of\s+(?:the|those)\s+(?:survivors|rescued|passengers|migrants|miners|workers|victims|residents|people)\b",
    re.IGNORECASE,
)
# A part of the count before it: "11 of them guards", "including eight guards".
_PARTITIVE_AFTER: Final = re.compile(r"\s+of\s+them\b", re.IGNORECASE)
_INCLUDING_BEFORE: Final = re.compile(r"\b(?:including|among\s+them|among\s+whom)\s+$", re.IGNORECASE)
_PART_GAP: Final = 60
# Part of a group counted before who died since: "two of the wounded died", "three of the injured later died".
_PART_DIED: Final = re.compile(
    r"\s+of\s+(?:the|those)\s+(?:wounded|injured|hurt|hostages|passengers|missing)\s+"
    r"(?:(?:later|have|has|had|since|subsequently)\s+)?(?:died|succumbed)\b",
    re.IGNORECASE,
)
# Money in another currency is no count of people: "500,000 rupees for the family of each person killed".
_CURRENCY_AFTER: Final = re.compile(
    r"\s?(?:rupees?|rupiah|naira|zlotys?|złoty|yuan|renminbi|yen|euros?|pounds(?:\s+sterling)?|reais|pesos|"
    r"roubles|rubles|hryvnias?|shillings|rand|lira|liras|dinars?|dirhams?|riyals?|francs|cedis|kwacha|taka|"
    r"ringgit|baht|dong|rials?|kyats?|birr|leones|afghanis|lempiras|quetzales|soles|bolivianos|guaranies)\b",
    re.IGNORECASE,
)
# A speed is no distance: "moving at about 1 km an hour", "15 miles per hour".
_SPEED_AFTER: Final = re.compile(r"\s?(?:(?:an|a|per)\s+hour\b|/\s?h(?:r|our)?\b)", re.IGNORECASE)
# "none of its 10,000 peacekeepers had been hurt": a count nothing happened to.
_NONE_OF_BEFORE: Final = re.compile(r"\bnone\s+of\s+(?:its|the|their|our|his|her|those)\s+$", re.IGNORECASE)
# People an order covers are told to leave: "the evacuation of coastal areas, affecting 300,000 residents".
_ORDER_AFFECTING: Final = re.compile(
    r"\b(?:evacuat\w+|ordered\s+to\s+leave)\b[^.;!?]*\b(?:affecting|covering|involving)\s+$", re.IGNORECASE
)
# A people noun with a place after it ("3,000 residents of Itabira and the town of X have been told
# to leave", "9,000 people have crossed from Geneina and Kulbus into Chad"): the "and" joins places,
# not clauses, so the fate is read after it.
_PEOPLE_OF_PLACE: Final = re.compile(
    r"^\s*[a-z]+(?:\s+[a-z]+){0,3}?\s+(?:of|in|from)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*$"
)
# One victim without a numeral: "A woman was killed", "a 68-year-old man was shot dead".
# One body found counts one too ("the body of a man had been found"); a person found is no toll.
_ONE_VICTIM: Final = re.compile(
    r"(?<![\w-])(?P<who>(?P<body>the\s+body\s+of\s+)?an?\s+(?:(?:\d{1,3}-year-old|young|elderly|local|teenage)\s+)?"
    r"(?:man|woman|boy|girl|child|baby|teenager|person|pensioner|civilian|resident|motorist|driver|miner|worker|"
    r"firefighter|migrant|soldier))\s+"
    r"(?:was|has\s+been|had\s+been)\s+(?:(?P<killed>killed|shot\s+dead|found\s+dead|crushed\s+to\s+death)"
    r"|(?P<injured>injured|wounded|hurt)|(?P<found>found|recovered|pulled|retrieved))\b",
    re.IGNORECASE,
)
_FORWARD_CHARS: Final = 90
_BACKWARD_CHARS: Final = 110
_BACKWARD_WORDS: Final = 12


_WORD_SPLIT: Final = re.compile(r"[\s-]+")
_METRE_AFTER: Final = re.compile(r"^\s?(?:\(|-?(?:deep|high|long|wide|tall|away|from)\b)")


_QUALIFIERS: Final[dict[str, Qualifier]] = {"at_least": "at_least", "at_most": "at_most", "approx": "approx"}


@dataclass(slots=True)
class _Number:
    value: float
    start: int
    end: int
    qualifier: Qualifier
    unit: str | None
    currency: str | None
    vague: bool
    words: bool


def _parse_words(text: str) -> float | None:
    tokens = _WORD_SPLIT.split(text.lower())
    total = 0.0
    current = 0.0
    seen = False
    half = False
    for tok in tokens:
        if tok in ("a", "an", "and"):
            continue
        if tok == "half":
            half = True
            continue
        if tok in _ONES:
            current += _ONES[tok]
            seen = True
        elif tok == "dozen":
            current = (current or 1) * 12
            seen = True
        elif tok == "hundred":
            current = (current or 1) * 100
            seen = True
        elif tok in ("thousand", "million", "billion"):
            total += (current or 1) * _SCALES[tok]
            current = 0.0
            seen = True
    if not seen:
        return None
    value = total + current
    return value / 2 if half else value


def _qualifier_before(text: str, start: int) -> tuple[Qualifier | None, int]:
    match = _QUALIFIER_BEFORE_GUARDED.search(text[max(0, start - 40) : start])
    if match is None:
        return None, start
    for name in ("at_least", "at_most", "approx"):
        if match.group(name):
            return _QUALIFIERS[name], max(0, start - 40) + match.start()
    return None, start


def _is_noise(text: str, match: re.Match[str]) -> bool:
    """Dates, clock times, years, ordinals and model numbers are not quantities."""
    start, end = match.start(), match.end()
    digits = match.group("digits")
    before = text[max(0, start - 30) : start]
    after = text[end : end + 30]
    if digits is None:
        return False
    if _CODE_BEFORE.search(before) or (match.group("unit") is None and _CODE_AFTER.match(after)):
        return not match.group("scale")
    if _ORDINAL_AFTER.match(after):
        return True
    if _DATE_AFTER.match(after) or _DATE_BEFORE.search(before):
        return True
    if _TIME_SHAPE.match(digits) and (_TIME_AFTER.match(after) or _TIME_BEFORE.search(before)):
        return True
    if (
        match.group("unit") is None
        and match.group("scale") is None
        and "," not in digits
        and "." not in digits
        and len(digits) == 4
        and 1800 <= int(digits) <= 2100
        and (_YEAR_BEFORE.search(before) or not after.strip()[:1].isalpha())
    ):
        return True
    proper = _PROPER_BEFORE.search(before)
    # "Fath 360", "Article 5", "Flight 17": a capitalised word right before a
    # bare number names a thing; qualifiers ("Some 121,000") start sentences.
    return bool(proper and _QUALIFIER_BEFORE_GUARDED.search(proper.group("word")) is None)


def _to_number(text: str, match: re.Match[str]) -> _Number | None:
    scale_word = (match.group("scale") or "").lower()
    unit_word = (match.group("unit") or "").lower()
    after = text[match.end() : match.end() + 25].lower()
    if match.group("vague"):
        value: float | None = _VAGUE[" ".join(match.group("vague").lower().split())]
    elif match.group("digits"):
        value = float(match.group("digits").replace(",", ""))
    else:
        value = _parse_words(match.group("words"))
    if value is None:
        return None
    unit: str | None = None
    end = match.end()
    # "12m" is twelve million unless what follows reads as a length.
    if scale_word == "m" and _METRE_AFTER.match(after):
        scale_word, unit = "", "metre"
    if scale_word == "b" and not match.group("cur"):
        return None
    if scale_word:
        value *= _SCALES[scale_word]
    if unit is None and unit_word:
        for name in ("km2", "sqmi", "acre", "hectare", "m2", "km", "nmi", "mi", "metre", "pct", "usd"):
            if match.group(name):
                unit = name
                break
    currency = (match.group("cur") or "").strip().upper() or None
    if unit == "usd":
        currency, unit = "$", None
    qualifier, start = _qualifier_before(text, match.start())
    if match.group("plus"):
        qualifier = "at_least"
    if match.group("vague") and qualifier is None:
        qualifier = "at_least"
    if _RANGE_BEFORE.search(text[max(0, match.start() - 10) : match.start()]) or _RANGE_AFTER.match(
        text[match.end() : match.end() + 6]
    ):
        qualifier = qualifier or "at_least"
    return _Number(
        value=value,
        start=start,
        end=end,
        qualifier=qualifier or "exact",
        unit=unit,
        currency=currency,
        vague=bool(match.group("vague")),
        words=bool(match.group("words")),
    )


_LOCATIVE_BETWEEN: Final = re.compile(r"\b(?:in|at|near|from|on|into|outside|around)\b", re.IGNORECASE)
_NOUN_FIRST: Final = re.compile(r"\s+(?:[a-z][\w-]*\s+){0,2}?[a-z]{3,}s\b")
_QUOTE_CLOSED_MIDWAY: Final = re.compile(r"(?<=\w)[”\"](?=\s+[a-z])")
_VERB_AFTER_ASIDE: Final = re.compile(
    r"\s*(?:were|was|are|is|have|has|had|died|remain\w*|will|would|could|may|might|fled|lost)\b", re.IGNORECASE
)
_ASIDE: Final = re.compile(
    r",\s+(?:including|among\s+them|most\s+of\s+them|many\s+of\s+them|mostly|among\s+whom)\b[^,.;:]{1,60},",
    re.IGNORECASE,
)


def _forward(text: str, end: int) -> str:
    window = text[end : end + _FORWARD_CHARS]
    if window[:1] in ("”", '"', "’"):
        window = " " + window[1:]  # a quoted figure: 'said "no more than 11" civilians died' (offsets kept)
    # a quote closed inside the clause: 'said that “no more than three people” had died'
    window = _QUOTE_CLOSED_MIDWAY.sub(" ", window)
    # "19 people, including four children, were killed": read past the aside (blanked, offsets kept)
    # when the count's own verb follows it; "risen to 12, including two children, the union said"
    # goes on to another clause, which says nothing of what the 12 are.
    aside = _ASIDE_LOWERED.search(window)
    if aside is not None:
        if _VERB_AFTER_ASIDE.match(window, aside.end()):
            window = window[: aside.start()] + " " * len(aside.group(0)) + window[aside.end() :]
        else:
            window = window[: aside.start()]

    stop = _FORWARD_STOP_LOWERED.search(window)
    return window[: stop.start()] if stop else window


def _backward(text: str, start: int) -> str:
    window = text[max(0, start - _BACKWARD_CHARS) : start]
    stops = list(_BACKWARD_STOP_LOWERED.finditer(window))
    if stops:
        window = window[stops[-1].end() :]
    words = window.split()
    return " ".join(words[-_BACKWARD_WORDS:]) + " "


def _count_kind(forward: str, backward: str) -> tuple[QuantityKind, int]:
    """Kind of a bare count and how far its cue reaches into ``forward`` (0 when none)."""
    tentative: QuantityKind | None = None
    reach = 0
    human = False
    responders = False
    nothing_happened = bool(_NONE_OF_BEFORE.search(backward))
    for cue in _CUE_SCAN.finditer_each(forward)[0]:
        name = cue.lastgroup or ""
        if nothing_happened and name in _FATE_KINDS:
            continue
        if name == "_money":
            continue
        if name == "_thing":
            if not human and not forward[: cue.start()].strip(" -").count(" "):
                return "other", 0  # the count's own noun, at most one word after it
            continue
        if name == "_people":
            human = True
            reach = cue.end()
            continue
        if name == "_safe":
            hurt = _HOSPITAL_AFTER.search(forward, cue.end())
            if hurt is not None:
                return "injured", hurt.end()  # "Twelve of the survivors were taken to hospital"
            return "other", cue.end()  # rescued, survived: no toll
        if name == "_arrival":
            if (human and not responders) or _BARE_AUXILIARIES.fullmatch(forward[: cue.start()]):
                return "displaced", cue.end()  # "30,000 Congolese had entered the country", "30,000 have arrived"
            continue
        if name == "_responders":
            responders = True
            human = True
            reach = cue.end()
            continue
        if name == "captured" and _FREED_BEFORE.search(backward):
            return "other", cue.end()  # "freed 41 hostages": captives no longer
        if name == "captured" and _CAPTIVE_NOUN.match(cue.group(0)):
            fate = _CAPTIVE_FATE.search(forward, cue.end())
            if fate is not None:
                return fate.lastgroup, cue.end()  # type: ignore[return-value]  # group names are kinds
        if name == "settlements" and _SETTLEMENTS_HIT.search(forward, cue.end()):
            return "other", cue.end()
        if name == "settlements" and _REACHED_BEFORE.search(backward):
            return "other", cue.end()  # "its teams had reached 31 villages", "killed in 12 villages"
        if name == "settlements" and _LOCATIVE_BETWEEN.search(forward, 0, cue.start()):
            continue  # "kills 11 in village near X": where they died, not what is counted
        if name == "missiles" and _LAUNCHERS_AFTER.match(forward, cue.end()):
            return "other", cue.end()  # "30 HIMARS rocket launchers": launchers, not rockets
        if name in _OBJECT_KINDS and not human:
            return name, cue.end()  # type: ignore[return-value]  # cue names are kinds
        if name == "captured" and human and _CAPTIVE_NOUN.match(cue.group(0)):
            if _HOLDING.search(backward):
                return "captured", cue.end()  # "holding more than 200 passengers hostage"
            continue  # "thousands of people joined relatives of hostages": people, not captives
        if name == "missing" and _FREED_BEFORE.search(backward):
            return "other", cue.end()  # "freed 30 people trapped in the building"
        if name == "injured" and (died := _DIED_AFTER.search(forward, cue.end())) is not None:
            return "killed", died.end()  # "three more injured passengers died overnight"
        if name in _FATE_KINDS:
            return name, cue.end()  # type: ignore[return-value]  # cue names are kinds
        if name == "troops" and tentative is None:
            tentative, reach = "troops", cue.end()
            human = True
    if responders:
        return "other", reach  # helpers counted, no fate said of them in their own clause
    backs = list(_BACK_CUE_RE.finditer(backward))
    back = backs[-1] if backs else None
    if back is not None and back.lastgroup == "captured" and not human and _NOUN_FIRST.match(forward):
        return "other", reach  # "captured 14 military outposts": places or things taken, no captives
    if back is not None and (back.lastgroup != "troops" or tentative is None):
        return back.lastgroup, reach  # type: ignore[return-value]  # group names are kinds
    if tentative is not None:
        return tentative, reach
    return "other", reach


def _length_kind(forward: str, backward: str) -> QuantityKind:
    if _FRONT_CUE.match(forward) or _FRONT_BACK.search(backward):
        return "front_km"
    if _DEPTH_CUE.match(forward) or _DEPTH_BACK.search(backward):
        return "depth_km"
    return "distance_km"


def _classify(text: str, number: _Number, match_end: int) -> tuple[QuantityKind, float, str | None, int]:
    forward = _forward(text, match_end)
    backward = _backward(text, number.start)
    value = number.value
    if number.currency in ("$", "US$", "USD"):
        return "money_usd", value, "USD", match_end
    if number.currency:
        return "other", value, number.currency, match_end
    unit = number.unit
    if unit in _AREA_UNITS:
        return "area_km2", value * _AREA_UNITS[unit], "km2", match_end
    if unit in ("km", "mi", "nmi", "metre"):
        if _SPEED_AFTER.match(text, match_end):
            return "other", value, "km/h", match_end
        factor = _LENGTH_UNITS["m" if unit == "metre" else unit]
        return _length_kind(forward, backward), value * factor, "km", match_end
    if unit == "pct":
        return "other", value, "percent", match_end
    kind, reach = _count_kind(forward, backward)
    if kind == "other" and _PEOPLE_OF_PLACE.match(forward) and text.startswith(" and ", match_end + len(forward)):
        rest = _forward(text, match_end + len(forward) + 5)
        kind, further = _count_kind(forward + " and " + rest, backward)
        reach = further or reach
    if kind == "other" and _ORDER_AFFECTING.search(text, max(0, number.start - 200), number.start):
        kind = "displaced"
    return kind, value, None, match_end + reach


def _blank_conversions(text: str) -> str:
    """``text`` with every bracketed unit conversion blanked (offsets kept)."""
    low = lowered(text)
    if low is None:
        return _CONVERSION_RE.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    last = 0
    for m in _CONVERSION_LOWERED.finditer(text, low=low):  # the spans of _CONVERSION_RE's matches
        out.append(text[last : m.start()])
        out.append(" " * (m.end() - m.start()))
        last = m.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def extract_quantities(text: str) -> list[Quantity]:
    """Return the numeric facts in ``text``, in order of appearance.

    Pure and deterministic. Lengths are converted to km and areas to km²;
    vague plurals take their floor with qualifier ``at_least``; a bracketed
    unit conversion ("12km (7.5 miles)") is one quantity. Dates, clock times,
    years, ordinals and model numbers (F-16) are skipped. Numbers whose kind
    cannot be told are kept with kind ``other``, except bare number words
    ("one of them"), which are dropped.
    """
    clean = _blank_conversions(text)
    out: list[Quantity] = []
    for match in _NUMBER_SCAN.finditer_each(clean)[0]:
        if not (match.group("digits") or match.group("vague") or match.group("words")):
            continue
        if _is_noise(clean, match):
            continue
        number = _to_number(clean, match)
        if number is None:
            continue
        if number.unit is None and not number.currency and _HOURS_AFTER.match(clean, match.end()):
            continue  # "24 hours", "three years", "5%": durations and rates count nothing
        if number.unit is None and not number.currency and _CURRENCY_AFTER.match(clean, match.end()):
            number.currency = "other"  # counted as money, not as what the sentence goes on to say
        kind, value, unit, end = _classify(clean, number, match.end())
        # A bare number word is often a pronoun ("one of them"): keep it only
        # when it plainly counts something.
        died = _PART_DIED.match(clean, match.end())
        if died is not None:
            kind, end = "killed", died.end()  # "Two of the wounded died in hospital": two more dead
        elif kind == "other" and out and _part_of(clean, out[-1], number.start, match.end()):
            kind = out[-1].kind  # "70 people had been injured, 11 of them guards": 11 injured
        elif number.words and (
            kind == "other"
            # "one of them"; but "Twelve of the survivors were taken to hospital" counts
            or (_OF_AFTER.match(clean, match.end()) and (value < 2 or not _OF_PEOPLE.match(clean, match.end())))
        ):
            continue
        end = max(end, number.end)
        out.append(
            Quantity(
                text=text[number.start : end].strip(),
                kind=kind,
                value=round(value, 6),
                unit=unit,
                qualifier=number.qualifier,
                start=number.start,
                end=end,
            )
        )
    out.extend(_single_victims(text, clean))
    out.sort(key=lambda q: q.start)
    return out


def _part_of(clean: str, before: Quantity, start: int, end: int) -> bool:
    """Is the number at ``start`` a part of the count just before it, in the same sentence?

    "70 people had been injured, 11 of them guards", "59 injured, including eight guards",
    "19 people, including four children, were killed": the part shares the whole's kind.
    """
    if before.kind not in _FATE_KINDS or start - before.end > _PART_GAP or "." in clean[before.end : start]:
        return False
    return bool(_PARTITIVE_AFTER.match(clean, end) or _INCLUDING_BEFORE.search(clean, max(0, start - 25), start))


def _single_victims(text: str, clean: str) -> list[Quantity]:
    """A victim named without a numeral ("A woman was killed") counts one."""
    found: list[Quantity] = []
    for match in _ONE_VICTIM_LOWERED.finditer(clean):
        if match.group("found") and not match.group("body"):
            continue  # "a man was found" says nothing of his fate; "the body of a man was found" does
        kind: QuantityKind = "killed" if match.group("killed") or match.group("found") else "injured"
        start, end = match.start("who"), match.end()
        found.append(
            Quantity(text=text[start:end], kind=kind, value=1, unit=None, qualifier="exact", start=start, end=end)
        )
    return found


# The end-anchored patterns above, searched only in texts that can end like one of their matches
# (stages.textindex.EndAnchored: the same answers as their search).
_QUALIFIER_BEFORE_GUARDED: Final = EndAnchored(_QUALIFIER_BEFORE)
# Run case-sensitively over the lower-cased text (stages.textindex.Lowered: the same spans, in about
# half the time; only spans and which groups matched are read from these).
_ASIDE_LOWERED: Final = Lowered(_ASIDE)
_FORWARD_STOP_LOWERED: Final = Lowered(_FORWARD_STOP)
_BACKWARD_STOP_LOWERED: Final = Lowered(_BACKWARD_STOP)
_CONVERSION_LOWERED: Final = Lowered(_CONVERSION_RE)
_ONE_VICTIM_LOWERED: Final = Lowered(_ONE_VICTIM)
