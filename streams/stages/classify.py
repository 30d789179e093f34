"""Label a post with the topics it is about (multi-label), each with a score and the cues that fired."""

from __future__ import annotations

import math
import re
from typing import Final

from streams.models import Category, CategoryScore
from streams.stages.textindex import Requiring, WordStartScanner

__all__ = ["THRESHOLD", "classify"]

THRESHOLD: Final = 0.6
"""Score from which a category is a label of the post."""

_RELATIVE: Final = 0.3
"""A label must also reach this share of the post's strongest score: a passing mention is no topic."""

_HEADLINE_WEIGHT: Final = 1.5
_REPEAT_CAP: Final = 3
_SCALE: Final = 2.0

# (category, weight, pattern). A cue counts once per occurrence, up to _REPEAT_CAP.
_CUES: Final[tuple[tuple[Category, float, str], ...]] = (
    # territorial: who holds which ground
    (
        "territorial",
        2.0,
        r"(?:taken|took|seized?|gained?|regained?|claims?|in|full|partial)\s+control"
        r"(?!\s+(?:room|rooms|centre|center|tower|panel|desk))",
    ),
    ("territorial", 2.0, r"controll?(?:s|ed|ing)?\s+(?:around\s+|about\s+|some\s+|nearly\s+|more\s+than\s+)?\d"),
    ("territorial", 2.0, r"\d[\d,.]*\s?(?:sq\.?\s?km|km2|km²|square\s+(?:kilomet|mile))"),
    ("territorial", 2.0, r"\d+\s+(?:settlements|villages|towns|localities)"),
    ("territorial", 1.5, r"\d+\s?km\s*(?:\([^)]*\)\s*)?(?:deep|front|wide|into)"),
    (
        "territorial",
        1.5,
        r"(?:(?:re)?captur(?:e|es|ed|ing)|liberat(?:e|es|ed|ing)|seiz(?:e|es|ed|ing)|occupied|retook|retak(?:e|es|en|ing)|"
        r"fell\s+to|encircled?|tak(?:e|es|en)|took)\s+(?:the\s+)?"
        r"(?:village|town|city|settlement|region|territory|area|key|strategic|(?:\d+\s+)?(?:military\s+)?"
        r"(?:outposts?|bases?|positions|checkpoints?|airport|airbase))",
    ),
    # a side saying it still holds ground it is said to have lost
    (
        "territorial",
        2.0,
        r"(?:held|hold|holds|holding)\s+(?:all\s+)?(?:their\s+|its\s+|our\s+)?(?:positions|ground|the\s+line)|"
        r"claims?\s+(?:the\s+)?capture|(?:has|have|had)\s+fallen(?!\s+(?:to|by|from|below|sharply|further)\b)",
    ),
    ("territorial", 1.0, r"territor(?:y|ies|ial)|front\s?line|incursion|foothold|bridgehead|buffer\s+zone|annex\w*"),
    ("territorial", 1.0, r"(?:take|took|taking|taken)\s+down\s+(?:\w+\s+)?flags?|raised?\s+(?:the\s+)?(?:\w+\s+)?flag"),
    (
        "territorial",
        0.8,
        r"advance[sd]?(?!\s+(?:warning|warnings|notice|planning|booking|copies|payment))|pushed\s+(?:into|through)|swept\s+(?:across|through)|withdr[ae]w\w*|retreat\w*",
    ),
    # military
    (
        "military",
        1.0,
        r"troops|soldiers|forces|army|armed|military|commander|offensive|invasion|incursion|fighting|combat|"
        r"shelling|artillery|brigade|battalion|front\s?line|frontline|battle|defen[cs]es|"
        r"airstrikes?|air\s+strikes?|bombard\w*|counter-?attack\w*|assault",
    ),
    ("military", 0.5, r"hostages?"),
    # an armed attack on civilians (a siege, a hostage-taking) is military too
    (
        "military",
        1.5,
        r"gunm[ae]n|hostage-tak\w+|sieges?|security\s+forces|special\s+forces|terror\w*|shootings?|"
        r"shots\s+(?:were\s+|have\s+been\s+|had\s+been\s+)?fired|"
        r"insurgents?|jihadists?|suicide\s+bomb\w*|stormed|storm(?:s|ing)?\s+(?:the\s+)?\w+\s+(?:centre|mall|hotel)|"
        # a vehicle driven into a crowd, a knife attack
        r"(?:driven|drove|ploughed|plowed|rammed|ramming|crashed)\s+into\s+(?:a\s+|the\s+)?(?:[\w-]+\s+)?"
        r"(?:crowds?|pedestrians|people|shoppers|revellers|worshippers)|ramming\s+attack|stabb(?:ing|ings|ed)|"
        r"knife\s+attack\w*",
    ),
    # "the attack", "the attackers": the event spoken of, often in a post about its toll or a reaction
    # clashes: with police at a protest no more than the event, between army units part of the fighting
    ("military", 0.6, r"attacks?|strikes?|attackers?|clash(?:es|ed)?"),
    # weapon names: in a post about weapons changing hands they are the arms story, not fighting
    ("military", 0.8, r"missiles?|drones?|weapons|warplanes?|jets|tanks|air\s+defen[cs]es?|interceptors?|bombs?"),
    (
        "military",
        1.0,
        r"rockets?|barrages?|projectiles|intercept\w*|shot\s+down|opened\s+fire|gunfire|under\s+fire|"
        r"peacekeep\w+|ground\s+operations?|militants?|fighters|explosions?|blasts?|armou?red\s+vehicles",
    ),
    # casualties
    (
        "casualties",
        2.0,
        r"killed|kills|killing|dead|deaths?|death\s+toll|died|injured|injuring|wounded|(?:gunshot\s+)?wounds|casualt(?:y|ies)|fatalit(?:y|ies)|bodies|"
        r"lives\s+lost|lost\s+their\s+lives|missing|unaccounted\s+for|toll|injuries|treated\s+for\s+burns|"
        r"body\s+of\s+an?|remain(?:s|ed)?\s+trapped",
    ),
    # humanitarian
    (
        "humanitarian",
        2.0,
        r"humanitarian|fled|flee(?:ing)?|displaced|evacuat\w+|(?:told|ordered|urged|forced)\s+to\s+leave|"
        r"cross(?:ed|ing)?\s+(?:the\s+border\s+)?into|aid\s+for\s+(?:the\s+)?(?:[\w-]+\s+)?(?:families|victims|residents|survivors)|"
        r"refugees?|shelters?|homeless|aid\s+(?:convoy|workers?|"
        r"agencies|deliveries)|famine|hunger|starvation|food\s+shortages?|power\s+outages?|without\s+(?:power|"
        r"water|electricity)|survivors?|migrants?|asylum|shipwreck|capsi[sz]\w*|blood\s+donors?|"
        r"appeal\w*\s+for|relief\s+(?:camps?|supplies|goods)|reception\s+cent(?:re|er)s?|crops?|harvests?|"
        # people sheltering or forced out, homes lost (said in the passive), compensation for families
        r"sheltering|(?:relief|evacuation)\s+cent(?:re|er)s?|forced\s+(?:from|out\s+of)|"
        r"homes\s+(?:have\s+been\s+|had\s+been\s+|were\s+|are\s+)?(?:destroyed|damaged|lost|burnt|burned|razed|"
        r"flattened|swept\s+away)|relief\s+payments?|pa(?:y|ys|id|ying)\s+(?:[^\s]+\s+){0,6}?to\s+(?:the\s+)?famil(?:y|ies)",
    ),
    # heat, drought and disease: what people suffer without fighting or a collapse
    (
        "humanitarian",
        2.0,
        r"heat\s?strokes?|heat\s+exhaustion|dehydrat\w+|power\s+cuts?|load-?shedding|water\s+shortages?|"
        r"drinking\s+water|clean\s+water|cholera|outbreaks?|epidemics?|malnutrition|vaccinat\w+|evacuees|"
        r"(?:displacement|evacuation|relief|refugee|tent)\s+camps?|exclusion\s+zone",
    ),
    ("humanitarian", 1.0, r"their\s+homes|medical|emergency\s+services|relief"),
    # who was hit, who pulled them out and where they were taken: in a post that counts a toll they report
    # the toll (weighed half there), elsewhere they are the rescue
    ("humanitarian", 2.0, r"rescue\w*"),
    ("humanitarian", 1.0, r"civilians?|hospitals?"),
    # people searched for and waited for: the rescue side of a disaster or an attack
    (
        "humanitarian",
        1.0,
        r"relatives|waiting\s+for\s+news|trapped|divers|stranded|search(?:ing)?\s+(?:for|the\s+rubble)|"
        r"search\s+and\s+rescue|(?:declared|declares)\s+an?\s+emergency|higher\s+ground|"
        r"(?:buried|buries|swept\s+away|destroyed|damaged|flattened)\s+(?:[\w-]+\s+){0,4}?homes",
    ),
    # A disaster's progress alone (acres burned, landfall) is no humanitarian story until people come in.
    (
        "humanitarian",
        0.5,
        r"(?:earth)?quakes?|aftershocks?|flood\w*|wildfires?|hurricanes?|cyclones?|typhoons?|storms?|"
        r"landslides?|tsunami|state\s+of\s+emergency|evacuation\s+orders?|firefighters|rubble|"
        r"(?:heavy|torrential|monsoon)\s+rains?|"
        r"destroyed|damaged|structures|burned|scorched",
    ),
    # diplomacy
    (
        "diplomacy",
        2.0,
        r"summit|peace\s+talks|negotiat\w+|foreign\s+minist\w+|state\s+department|joint\s+declaration|"
        r"ambassadors?|envoys?|diplomat\w*|counterparts?|ceasefire|truce|treaty|bilateral|"
        r"deeply\s+concerned|condemn\w*",
    ),
    # a visit is diplomacy unless it is to the wounded, the troops or the scene
    (
        "diplomacy",
        1.0,
        r"peace|talks|sanctions|allies|escalation|nato|european\s+partners|eu|delegations?|"
        r"visit(?:ed|s)?\s+(?!(?:the\s+)?(?:wounded|injured|victims|survivors|people|families|hospitals?|troops|"
        r"soldiers|front|frontline|positions|site|scene|area|rubble)\b)\w+",
    ),
    ("diplomacy", 0.5, r"united\s+nations|un"),
    # arms: weapons changing hands
    (
        "arms",
        3.0,
        r"(?:deliver\w*|suppl\w+|send\w*|ship\w*|transfer\w*|provid\w+|sell\w*|sold|halt\w*|paus\w+|"
        r"fund(?:s|ed|ing)?|buy(?:s|ing)?|bought|purchas\w+|pledg(?:e|es|ed|ing))\s+"
        r"(?:[^\s]+\s+){0,5}?(?:missiles?|weapons|arms|munitions|ammunition|drones|tanks|jets|bombs|shells|"
        r"air\s+defen[cs]e|warships?|frigates?|destroyers?|submarines?|corvettes?|fighter\s+aircraft|"
        r"howitzers|patrol\s+(?:vessels|boats|ships))|"
        r"(?:weapons|arms|munitions)\s+(?:shipments?|deliveries|supplies|transfers?|sales?)|"
        r"(?:missile|arms|weapons|defen[cs]e|fighter(?:\s+jet)?|drone|tank|submarine|warship|frigate)s?\s+"
        r"(?:deals?|contracts?|orders?|purchases?)",
    ),
    (
        "arms",
        1.0,
        r"ballistic|arms|munitions|ammunition|weapons?\s+(?:systems?|deliver\w*|supplies)|contract|military\s+aid",
    ),
    # asking for more weapons is the arms story too ("called for more air defence systems")
    (
        "arms",
        2.0,
        r"(?:more|additional|extra|further)\s+(?:air\s+defen[cs]e|weapons|missiles|munitions|ammunition|"
        r"long-range\s+\w+|patriot\w*|fighter\s+jets)",
    ),
    # weapons aid: packages, pledges and the systems they carry
    (
        "arms",
        2.0,
        r"(?:aid|weapons|military|air\s+defen[cs]e|security|arms)\s+packages?|packages?\s+(?:of|worth|includes?)|"
        r"interceptors?|patriot|iris-t|nasams|himars|atacms|f-16s?|"
        r"howitzers|deliveries|western\s+weapons",
    ),
    # statement: quoted analysis and official statements
    ("statement", 2.0, r"in\s+a\s+statement|said\s+in\s+a\s+statement|statement\s+(?:on|from|by)"),
    (
        "statement",
        1.5,
        r"experts?|analysts?|fellow|professor|researchers?|think\s+tank|commentator|(?:offered|gave)\s+(?:their|his|her)\s+take",
    ),
    ("statement", 1.0, r"insisted|argued|claimed|warned|denied|(?:he|she|they)\s+said|added:"),
    # a side or an official taking a position, rather than an agency reporting a count
    # an official named as the one who gave a count is attribution in a post that counts a toll
    ("statement", 1.5, r"(?:minister|president|governor|mayor|army|military|government)\s+(?:says|said)"),
    (
        "statement",
        1.5,
        r"call(?:s|ed)?\s+(?:for|on)|urg(?:e|es|ed|ing)\s+(?:restraint|calm|both\s+sides|all\s+sides)|"
        r"welcom(?:e|es|ed|ing)\s+(?:the\s+)?(?:decision|ruling|verdict|move|agreement|deal|announcement|truce|ceasefire)|"
        r"rules?\s+out|disputes?|reject(?:s|ed)?|claims?\s+responsibility|vows?|"
        r"den(?:y|ies)|under-?report\w*|exaggerat\w+|false\s+figures|deeply\s+pained|blam(?:e|es|ed|ing)",
    ),
    # a spokesperson or a leader addressing the public, a side speaking of its own forces
    (
        "statement",
        2.0,
        r"spokes(?:man|woman|person)\s+(?:[\w-]+\s+){0,3}?(?:said|says)|(?:televised|national)\s+address|"
        r"address\s+to\s+the\s+nation|(?:news|press)\s+conference|"
        r"(?:said|says|claimed)\s+(?:that\s+)?(?:its|their)\s+(?:forces|fighters|troops|officers|army)",
    ),
    ("statement", 0.5, r"said|says|told|according\s+to|spokes(?:man|woman|person)"),
    # media: pictures and video
    (
        "media",
        1.0,
        r"video|footage|clips?|images|photos?|photographs?|pictures|scenes|filmed|picture\s+shows|"
        r"circulating\s+on\s+social\s+media",
    ),
    # politics
    (
        "politics",
        2.0,
        r"elections?|vot(?:e|es|ers|ing)|ballots?|polls?|polling|parliament\w*|opposition|campaign\w*|"
        r"candidates?|coalition|referendum|impeach\w*|resign\w*|approval\s+rating|political\s+party|"
        r"rall(?:y|ies|ied)|swing\s+states?|turnout|democrats?|democratic\s+party|republicans?|pac|"
        r"super\s+pac|incumbent|primar(?:y|ies)",
    ),
    (
        "politics",
        1.0,
        r"public\s+(?:comments|appearance|opinion|support)|demeanou?r|domestic\s+(?:politics|support|audience)|"
        r"destabilis\w*|destabiliz\w*|kremlin|government|cabinet|protests?|protesters?|demonstrat(?:ions?|ors?)|"
        r"unrest|crackdown|tall(?:y|ies)|blockades?",
    ),
    # soldiers taking a state: a coup is politics
    (
        "politics",
        2.0,
        r"coups?|juntas?|(?:seiz\w*|tak(?:e|es|en|ing)|took|grab\w*)\s+power|constitution\w*|regime|ousted|"
        r"dissolved\s+(?:the\s+)?(?:government|parliament)|curfew|(?:his|her|the\s+ruling)\s+party",
    ),
    # a government cutting what people can say and see
    (
        "politics",
        2.0,
        r"censor\w*|internet\s+(?:shutdowns?|blackouts?|restrictions?|speeds?|access|slowed|cut|blocked)|"
        r"(?:blocked|restricted)\s+(?:access|social\s+media)",
    ),
    # legal
    (
        "legal",
        2.0,
        r"war\s+crimes?|crimes?\s+against\s+humanity|genocide|court|tribunal|trial|prosecut\w+|indict\w*|"
        r"charged\s+with|lawsuit|su(?:ed|es|ing)|arrest\s+warrant|international\s+law|illegal|unlawful|investigation|"
        r"justice\s+department|attorney|inquiry|inquest",
    ),
    # what a court decides and does with the accused
    (
        "legal",
        2.0,
        r"verdicts?|convict(?:s|ed|ion|ions)?|acquit\w*|sentenced|sentences?\s+(?:of|to)|pleaded|guilty|"
        r"extradit\w+|judg(?:e)?ments?|rul(?:ed|ings?)\s+(?:that|on|against|in\s+favou?r)|appeal(?:s|ed)?\s+against|"
        r"defence\s+lawyers?|bail",
    ),
    ("legal", 1.0, r"crimes?|judges?|lawyers?|legal|allegations?|violat\w+"),
    # people arrested or held on suspicion: a legal story when that is what the post is about (arrests
    # at a protest are the protest's)
    ("legal", 1.0, r"arrest(?:ed|s|ing)?(?!\s+warrant)|detained|suspicion\s+of|custody|remanded"),
    # crimes of money and computers: fraud, bribes, ransom
    (
        "legal",
        1.5,
        r"money-?laundering|embezzl\w+|brib\w+|corruption|extort\w*|ransoms?|cyber-?crim\w+|"
        r"hackers?",
    ),
    ("legal", 0.5, r"accus\w+"),
    # prisons, escapes and the recapture of inmates
    (
        "legal",
        1.5,
        r"prisons?|jails?|jailbreak|inmates|escapees|recaptur\w+|justice\s+minist\w+",
    ),
)


def _compile() -> tuple[tuple[Category, re.Pattern[str], dict[str, float]], ...]:
    """One pattern per category (a named group per cue), so a text is scanned once per category."""
    out = []
    for category in dict.fromkeys(cat for cat, _, _ in _CUES):
        weights: dict[str, float] = {}
        groups = []
        for n, (cat, weight, pattern) in enumerate(_CUES):
            if cat == category:
                weights[f"c{n}"] = weight
                groups.append(f"(?P<c{n}>{pattern.lower()})")
        # Texts are lower-cased once, so the patterns need no IGNORECASE (which is slow).
        out.append((category, re.compile(r"\b(?:" + "|".join(groups) + r")\b"), weights))
    return tuple(out)


_COMPILED: Final = _compile()
# The same matches as each pattern's finditer, trying a category only at words its cues can start with.
_SCANNER: Final = WordStartScanner([pattern for _, pattern, _ in _COMPILED])
_MEDIA_HEADLINE: Final = re.compile(
    r"^\s*(?:watch|video|in\s+pictures|pictures|photos|gallery|in\s+photos|listen|audio|footage|map|graphic)\b\s*[:\-–—]",
    re.IGNORECASE,
)
# An explainer ("Why X matters", "What we know", "Analysis: ...") is analysis: a statement.
_ANALYSIS_HEADLINE: Final = re.compile(
    r"^\s*(?:why\s+.+\s+matters?\b|what\s+we\s+know\b|analysis\b|explainer\b|explained\b)", re.IGNORECASE
)
# "Mayor: ‘A black night for our city’": a headline giving a speaker's own words is a statement.
_QUOTE_HEADLINE: Final = re.compile(r"^[^:“\"‘]{2,40}:\s*[‘“\"']")
# Images as evidence for a figure ("satellite images show") are no picture post, a gunman who fled is
# no refugee, missing money is no missing person, and a diplomatic protest is no street protest: all are
# blanked before the cues are read.
_NOT_CUES: Final = re.compile(
    r"\bsatellite\s+(?:images|imagery|photos|pictures)\b|"
    r"\b(?:gunm[ae]n|attackers?|suspects?|assailants?|shooters?)\s+(?:had\s+|has\s+)?fled\b|"
    r"\b(?:funds?|money|cash|deposits|savings|assets)\s+(?:was\s+|were\s+)?missing\b|"
    r"\bmissing\s+(?:funds?|money|cash|deposits|savings|assets)\b|"
    r"\b(?:diplomatic|formal|strong)\s+protest\b|\bto\s+protest\s+(?:against|over|at)\b"
)
# A vaccination or bombing campaign is no election campaign: the word is read as "drive".
_NON_POLITICAL_CAMPAIGN: Final = re.compile(
    r"\b(vaccination|vaccine|immuni[sz]ation|bombing|air|drone|missile|military|aid|relief|fundraising|awareness)\s+"
    r"campaigns?\b"
)
# A headline quoting what someone said ("Moscow says toll ‘inflated’", "X condemns ‘terror’").
_QUOTED_IN_HEADLINE: Final = re.compile(
    r"\b(?:says?|said|calls?|condemns?|denies|warns?|vows?|accuses?|insists?|urges?|brands?|describes?)\b"
    r"[^‘“]{0,40}[‘“][^’”]{3,60}[’”]",
    re.IGNORECASE,
)
# An explosion at a plant, a refinery or a mine is an accident, not fighting.
_INDUSTRIAL: Final = re.compile(
    r"\b(?:refinery|refineries|factory|factories|(?:chemical|power|gas|fertili[sz]er|processing)\s+plant|"
    r"plant|warehouse|depot|pipeline|(?:coal|gold|copper|tin|salt)\s+mines?|mine\s+shafts?|mining|methane|gas\s+leak|"
    r"storage\s+tanks?)\b"
)
_EXPLOSION: Final = re.compile(r"\b(?:explosions?|blasts?)\b")
# "Met office: relief expected from Thursday", "UN: truce must open a corridor": a speaker and what
# they said, with no figure. With a figure ("Police: 14 dead") the speaker is the toll's source.
_SPEAKER_HEADLINE: Final = re.compile(
    r"^\s*(?!(?:watch|in\s+pictures|pictures|photos|video|analysis|explainer|background|for\s+context|"
    r"wire\s+update|update|breaking|summary|live|map|graphic|listen|audio|timeline)\b)"
    # "Emergency warning: leave now", "Evacuation order: ...": a warning's kind, not a speaker
    r"(?![^:]{0,30}\b(?:warnings?|alerts?|advice|notices?|orders?)\s*:)"
    r"(?P<speaker>[^:\d]{2,40}?):\s+(?P<said>[^\d]+)$",
    re.IGNORECASE,
)
_NUMBER_WORD: Final = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|scores|hundreds|thousands|"
    r"millions?|first|second|third)\b",
    re.IGNORECASE,
)
# "Shelling kills four", "25 killed in strikes on X": a headline reporting the attack that killed,
# not a toll rising after it ("Toll in market shelling rises to nine").
_ATTACK_KILLS_HEADLINE: Final = re.compile(
    r"\b(?:strikes?|shelling|shells?|bombing|air\s+raids?|missiles?|rockets?|drones?|attacks?)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:kills?|killed|hits?)\b|"
    r"\b(?:killed|dead|wounded|injured)\s+(?:[\w-]+\s+){0,4}?(?:in|by)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:strikes?|shelling|bombing|air\s+raids?)\b",
    re.IGNORECASE,
)
# "Prime minister orders emergency measures", "Governor declares state of emergency": a head of
# government acting is politics, whatever the subject.
_LEADER: Final = (
    r"(?:(?:prime|chief|first)\s+minister|president|premier|chancellor|king|queen|governor|white\s+house|"
    r"government|cabinet)"
)
_LEADER_HEADLINE: Final = re.compile(
    # "Queen and prime minister visit the scene": two leaders acting together
    r"^\s*(?:the\s+)?" + _LEADER + r"(?:\s+and\s+(?:the\s+)?" + _LEADER + r")?\s+"
    r"(?!(?:says?|said|tells?|told|vows?|warns?|urges?|condemns?|calls?|insists?|denies)\b|[:‘“'\"])",
    re.IGNORECASE,
)
# "Toll in market shelling rises to nine", "Protest death toll rises to nine": a post updating a toll names
# the attack or the unrest as its cause, which weighs half there (a headline reporting the attack itself is
# read by _ATTACK_KILLS_HEADLINE).
_TOLL_UPDATE_HEADLINE: Final = re.compile(
    r"\b(?:death\s+)?toll\b|\b(?:rises|climbs|revised\s+(?:up|down))\s+to\b", re.IGNORECASE
)
_CAUSE_SHARE: Final = 0.5
_UNREST_CUE: Final = next(
    f"c{n}" for n, (cat, _, pattern) in enumerate(_CUES) if cat == "politics" and pattern.startswith(r"public\s+")
)
_BACKGROUND_HEADLINE: Final = re.compile(r"^\s*(?:background|for\s+context)\b", re.IGNORECASE)
# A quoted sentence of some length is a statement being reported.
_QUOTE: Final = re.compile(r"[“\"][^”\"]{40,}[”\"]")
_DISASTER: Final = re.compile(
    r"\b(?:(?:earth)?quakes?|aftershocks?|floods?|flooding|floodwaters?|cyclones?|hurricanes?|typhoons?|storms?|"
    r"wildfires?|bushfires?|blaze|landslides?|tsunami|shipwreck|capsi[sz]ed|mudslides?|"
    r"dam\s+(?:burst|collapse|collapsed|breach|failure)|stampedes?|crowd\s+crush(?:es)?|"
    r"heat\s?waves?|heat\s?strokes?|droughts?|outbreaks?|epidemics?|cholera|ebola|volcano(?:es)?|volcanic|"
    r"eruptions?|erupt(?:s|ed|ing)?)\b"
)
_WEAPON_CUE: Final = next(
    f"c{n}" for n, (cat, _, pattern) in enumerate(_CUES) if cat == "military" and pattern.startswith("missiles?")
)
# "No casualties were reported", "no immediate word on casualties": a toll's words, negated.
_NEGATED: Final = re.compile(
    r"\b(?:no|not\s+(?:\w+\s+){0,2}?any|without|no\s+(?:immediate\s+)?(?:word|reports?)\s+(?:on|of))\s+"
    r"(?:\w+\s+)?(?:casualt(?:y|ies)|deaths?|injur(?:y|ies)|fatalit(?:y|ies)|victims|dead)\b"
)
# A sentence recalling older news ("Last year, floods killed 240 people") says nothing about today's post.
_BACKGROUND: Final = re.compile(
    r"(?:^|(?<=[.!?”\"]\s))(?:for\s+context|background|last\s+(?:year|month)|in\s+(?:19|20)\d\d|"
    r"(?:a|one|two|three|several)\s+(?:years?|months?|decades?)\s+ago)\b[^.!?]*[.!?]?",
    re.MULTILINE,
)
_TOLL_KINDS: Final = frozenset({"killed", "injured", "missing"})
# Saying who gave a count ("police said", "spokesman X said") is attribution, not a statement of its own.
_COUNTED_KINDS: Final = frozenset({"killed", "injured", "missing", "displaced"})
_ATTRIBUTION_CUES: Final = frozenset(
    f"c{n}"
    for n, (cat, _, pattern) in enumerate(_CUES)
    if cat == "statement"
    and (pattern.startswith("said|") or pattern.startswith("spokes") or pattern.startswith(r"in\s+a\s+statement"))
)
# Prosecutors who give the toll ("the toll rose to five, the prosecution service said") speak as
# its source: that is attribution, not a legal story.
_PROSECUTOR_SOURCE: Final = re.compile(
    r"\b(?:according\s+to\s+)?(?:the\s+)?(?:public\s+|federal\s+|state\s+)?"
    r"prosecut(?:ors?|ion\s+service|ion\s+office|or['’]s\s+office)\b(?=[^.]{0,12}?\b(?:said|says|say)\b|,\s+which\s+said)"
    r"|\bprosecutors\s+say\b"
)
_ATTRIBUTION_SHARE: Final = 0.5
# "..., governor says" on a count of the dead or hurt names who gave the toll; on other news it is a position.
_OFFICIAL_SAYS_CUE: Final = next(
    f"c{n}" for n, (cat, _, pattern) in enumerate(_CUES) if cat == "statement" and pattern.startswith("(?:minister|")
)
_TOLL_SIDE_CUES: Final = frozenset(
    f"c{n}"
    for n, (cat, _, pattern) in enumerate(_CUES)
    if cat == "humanitarian" and pattern in (r"rescue\w*", r"civilians?|hospitals?")
)
_TOLL_SIDE_SHARE: Final = 0.5
# "its teams reached 31 villages": villages counted are ground only when the figures say so
_SETTLEMENTS_CUE: Final = next(
    f"c{n}" for n, (cat, _, pattern) in enumerate(_CUES) if cat == "territorial" and "villages" in pattern
)
# "Two killed in clashes, hundreds arrested": beside a toll, arrests are the unrest's, not a legal story.
_ARREST_CUE: Final = next(
    f"c{n}" for n, (cat, _, pattern) in enumerate(_CUES) if cat == "legal" and pattern.startswith("arrest")
)
# A disaster's progress alone ("Hurricane strengthens to category 3", "fire grows to 6,500 acres") is no
# humanitarian story however often it is named, nor are hospitals and civilians named alone ("Hospitals
# report computer failure"): those words alone stay below the threshold.
_WEAK_CUES: Final = frozenset(
    f"c{n}"
    for n, (cat, _, pattern) in enumerate(_CUES)
    if cat == "humanitarian" and (pattern.startswith("(?:earth)?quakes?") or pattern == r"civilians?|hospitals?")
)
_PROGRESS_CAP: Final = 1.5
# Toll words with no count of the dead, hurt or missing in the post ("all deaths should be
# investigated", "visited the wounded") mention a toll rather than report one.
_UNCOUNTED_TOLL: Final = 0.5
_ORDER: Final[tuple[Category, ...]] = (
    "territorial",
    "military",
    "casualties",
    "humanitarian",
    "diplomacy",
    "arms",
    "statement",
    "media",
    "politics",
    "legal",
)


def _score(raw: float) -> float:
    return 1.0 - math.exp(-raw / _SCALE)


def classify(
    title: str, body: str, *, counted: frozenset[str] | None = None, feed_title: str | None = None
) -> list[CategoryScore]:
    """Score ``title`` and ``body`` against every category and return the labels that pass.

    Pure and deterministic. A category is a label when its score (``1 -
    exp(-raw / 2)`` over the weighted cues, headline cues counting 1.5 times)
    reaches :data:`THRESHOLD` and a share of the strongest category's score.
    A post that passes no category gets ``other``. Labels come strongest first.
    Negated toll words ("no casualties") and background sentences ("Last
    year, ...") are not read. ``counted`` is the kinds of the post's figures
    when known: without a count of the dead, hurt or missing, toll words weigh
    half; weapon names count for ``military`` only when the post is not about
    weapons changing hands (``arms``).
    """
    raw: dict[Category, float] = dict.fromkeys(_ORDER, 0.0)
    cues: dict[Category, list[str]] = {cat: [] for cat in _ORDER}
    # A post headed "Background:" is about what it recounts; elsewhere a background sentence is an aside.
    lowered_body = body.lower() if _BACKGROUND_HEADLINE.match(title) else _BACKGROUND.sub(" ", body.lower())
    lowered_body = _NOT_CUES_GUARDED.sub(" ", _NEGATED_GUARDED.sub(" ", lowered_body))
    lowered_body = _NON_POLITICAL_CAMPAIGN_GUARDED.sub(r"\1 drive", lowered_body)
    weapon_raw = 0.0
    lowered_title = _NON_POLITICAL_CAMPAIGN_GUARDED.sub(
        r"\1 drive", _NOT_CUES_GUARDED.sub(" ", _NEGATED_GUARDED.sub(" ", title.lower()))
    )
    if (
        _INDUSTRIAL.search(lowered_title)
        or _INDUSTRIAL.search(lowered_body)
        or _INDUSTRIAL.search((feed_title or "").lower())
    ):
        lowered_title = _EXPLOSION.sub("accident", lowered_title)
        lowered_body = _EXPLOSION.sub("accident", lowered_body)
    if counted is not None and counted & _TOLL_KINDS:
        lowered_body = _PROSECUTOR_SOURCE.sub(" officials ", lowered_body)
        lowered_title = _PROSECUTOR_SOURCE.sub(" officials ", lowered_title)
    progress = 0.0
    saying = 0.0
    toll_update = bool(_TOLL_UPDATE_HEADLINE.search(title))
    for part, weight in ((lowered_title, _HEADLINE_WEIGHT), (lowered_body, 1.0)):
        for (cat, _, weights), hits in zip(_COMPILED, _SCANNER.finditer_each(part), strict=True):
            counts: dict[str, int] = {}
            for hit in hits:
                group = hit.lastgroup or ""
                counts[group] = counts.get(group, 0) + 1
                cue = hit.group(0).lower()
                if cue not in cues[cat]:
                    cues[cat].append(cue)
            for group, count in counts.items():
                gained = weights[group] * weight * min(count, _REPEAT_CAP)
                if cat == "casualties" and counted is not None and not counted & _TOLL_KINDS:
                    gained *= _UNCOUNTED_TOLL
                if group in _ATTRIBUTION_CUES and counted is not None and counted & _COUNTED_KINDS:
                    gained *= _ATTRIBUTION_SHARE
                elif group in _ATTRIBUTION_CUES or group == _OFFICIAL_SAYS_CUE:
                    saying += gained
                if group == _OFFICIAL_SAYS_CUE and counted is not None and counted & _TOLL_KINDS:
                    gained *= _ATTRIBUTION_SHARE
                if (group in _TOLL_SIDE_CUES or group == _ARREST_CUE) and counted is not None and counted & _TOLL_KINDS:
                    gained *= _TOLL_SIDE_SHARE
                if toll_update and (cat == "military" or group == _UNREST_CUE):
                    gained *= _CAUSE_SHARE
                if group == _SETTLEMENTS_CUE and counted is not None and "settlements" not in counted:
                    gained = 0.0
                if group == _WEAPON_CUE:
                    weapon_raw += gained
                if group in _WEAK_CUES:
                    progress += gained
                raw[cat] += gained
    # "Arakan Army says Kyaukphyu has fallen": who reports ground taken is its source, as for a toll.
    if _score(raw["territorial"]) >= THRESHOLD:
        raw["statement"] -= saying * (1.0 - _ATTRIBUTION_SHARE)
    if progress > _PROGRESS_CAP and raw["humanitarian"] - progress < 1e-9:
        raw["humanitarian"] = _PROGRESS_CAP
    if _MEDIA_HEADLINE.match(title):
        raw["media"] += 4.0
        cues["media"].insert(0, _MEDIA_HEADLINE.match(title).group(0).strip())  # type: ignore[union-attr]  # matched above
    analysis = _ANALYSIS_HEADLINE.match(title) or _QUOTE_HEADLINE.match(title)
    if analysis:
        raw["statement"] += 4.0
        cues["statement"].insert(0, analysis.group(0).strip().lower())
    elif quoted := _QUOTED_IN_HEADLINE.search(title):
        raw["statement"] += 2.0
        cues["statement"].insert(0, quoted.group(0).lower())
    elif (speaker := _SPEAKER_HEADLINE.match(title)) and not _NUMBER_WORD.search(speaker.group("said")):
        raw["statement"] += 4.0
        cues["statement"].insert(0, f"{speaker.group('speaker').strip().lower()}: ...")
    if attack := _ATTACK_KILLS_HEADLINE.search(title):
        raw["military"] += 2.0
        cues["military"].insert(0, attack.group(0).lower())
    if leader := _LEADER_HEADLINE.match(title):
        raw["politics"] += 2.0
        cues["politics"].insert(0, leader.group(0).strip().lower())
    # A disaster's dead and missing are a humanitarian story as well as a toll.
    # The blog's own title says so for posts that only count ("Toll rises to 41" in a dam-collapse blog).
    disaster = (
        _DISASTER_GUARDED.search(title.lower())
        or _DISASTER_GUARDED.search(body.lower())
        or _DISASTER_GUARDED.search((feed_title or "").lower())
    )
    # A "Background:" post recounts an old disaster's toll: that is no humanitarian story of today.
    if disaster and raw["casualties"] >= _SCALE and not _BACKGROUND_HEADLINE.match(title):
        raw["humanitarian"] += 2.0
        cues["humanitarian"].append(f"{disaster.group(0)} + casualties")
    # Pictures from a disaster show what it does to the people in it ("Watch: storm surge floods the seafront").
    elif disaster and _MEDIA_HEADLINE.match(title):
        raw["humanitarian"] += 2.0
        cues["humanitarian"].append(f"{disaster.group(0)} + pictures")
    if _score(raw["arms"]) >= THRESHOLD:
        raw["military"] -= weapon_raw
    quotes = len(_QUOTE.findall(body))
    if quotes:
        raw["statement"] += 1.0 * min(quotes, _REPEAT_CAP)
        cues["statement"].append(f"{quotes} quotes")
    scores = {cat: _score(value) for cat, value in raw.items()}
    top = max(scores.values())
    picked = [
        CategoryScore(label=cat, score=round(scores[cat], 3), cues=cues[cat][:8])
        for cat in _ORDER
        if scores[cat] >= THRESHOLD and scores[cat] >= _RELATIVE * top
    ]
    picked.sort(key=lambda c: -c.score)
    if not picked:
        return [CategoryScore(label="other", score=round(1.0 - top, 3), cues=[])]
    return picked


# Patterns above that every match of which contains one of a few words: texts without any are
# not searched (stages.textindex.Requiring: the same answers).
_DISASTER_GUARDED: Final = Requiring(_DISASTER)
_NEGATED_GUARDED: Final = Requiring(_NEGATED)
_NOT_CUES_GUARDED: Final = Requiring(_NOT_CUES)
_NON_POLITICAL_CAMPAIGN_GUARDED: Final = Requiring(_NON_POLITICAL_CAMPAIGN)
