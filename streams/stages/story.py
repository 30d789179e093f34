"""Follow what a live blog is about: the places it keeps naming, heaviest first.

A post's figures often name no place, or name a village, a street or the
town where a minister spoke, while the story (and whoever subscribes to it)
is about one region: "Ventura County", "Kursk region", "Sindh". Claims are
keyed by place, so a toll filed under "Ojai" in one post and under "Ventura
County" in the next would read as two new tolls instead of one update. The
story fold gives the claims stage that region.

Each feed keeps a small, bounded ``Story``: places named in the blog's own
title weigh most, every post adds weight to the places it names, and older
weight decays so that a story that moves (a front line, a storm track)
follows it. The worker keeps one ``Story`` per feed in the ``feeds.story``
table; offline extraction folds the same function over the posts in
chronological order, so both see the same main place.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from streams.models import Entity, Post, Story, StoryEntry, StoryPlace
from streams.stages.entities import capital_country, extract_entities

__all__ = ["FEATURE_WORDS", "observe_story", "title_names_place"]

# A live blog's title names what it is about ("... Cedar fire forces thousands
# from homes in Ventura County"): worth three posts that name a place.
_TITLE_WEIGHT: Final = 3.0
# A county inside the top region is the finer name for the same story
# ("California wildfire ... in Ventura County") once it has this share of its weight.
_FINER_SHARE: Final = 0.6
# Weight kept from one post to the next: after ~10 posts a place not named
# again has a fifth of its weight left.
_DECAY: Final = 0.85
_MAX_PLACES: Final = 12
_MAX_LOCAL_PLACES: Final = 32
# Posts whose places are kept: a place last named 40 posts ago has 0.15% of its weight left.
_MAX_ENTRIES: Final = 40
# Ids the entities stage gives names found by their context, not in a gazetteer.
_UNKNOWN_PLACE_ID: Final = "place:name:"
# "Nepal landslides live:", "Indonesia protests live –": what the blog is about comes first.
_TITLE_HEAD: Final = re.compile(r"^\W*(?:[\w-]+\s+){1,4}?live\b\s*[:–—|-]", re.IGNORECASE)
_CAPITAL_IN: Final = r"\b(?:in|across|from|around|outside|near|streets\s+of)\s+(?:the\s+)?(?:streets\s+of\s+)?"
# What a whole country does at once: an election heading the title is the country's story.
_NATIONWIDE_EVENT: Final = re.compile(
    r"\b(?:elections?|votes?|voting|polls?|referendum|runoff|run-off|ballot)\b", re.IGNORECASE
)
_TOLL_IN: Final = r"\b(?:[Ii]n|[Aa]cross|[Nn]ear|[Oo]utside|[Aa]round)\s+(?:the\s+)?"
# the places listed before a name after one preposition: "in Dar es Salaam, Arusha and Mwanza"
_LISTED_BEFORE: Final = r"(?:[A-Z][\w’'-]*(?:\s+[a-z]{1,3})?(?:\s+[A-Z][\w’'-]*)*(?:,\s+|\s+and\s+))*"
_LOCATED_IN: Final = r"\b(?:in|across|over|hits?|struck|strikes?|batters?|lashes?|sweeps?|floods?)\s+(?:the\s+)?"
# What happens at one site (a mine, a dam, a crash), unlike a flood, a fire front or a war that
# covers a region: its tolls belong to the town the first report puts the site near.
_POINT_EVENT: Final = re.compile(
    r"\b(?:explosions?|blasts?|collapses?|dam|mine|crash(?:es)?|derail\w*|collisions?|stampede|crush)\b",
    re.IGNORECASE,
)
_NEAR_TOWN: Final = r"\bnear\s+(?:the\s+(?:town|city|village)\s+of\s+)?"


def _is_story_place(entity: Entity) -> bool:
    """Regions and towns make a story's place, and so do places no gazetteer knows ("Um Shalaya").

    Countries and continents are too coarse to key a toll by (unless the blog's
    title names nothing finer, see ``observe_story``), and a national capital
    is mostly its government speaking ("Kyiv's assaults", "Moscow said").
    """
    if entity.type != "PLACE" or capital_country(entity.canonical) is not None:
        return False
    if entity.admin_level is None:
        return entity.id.startswith(_UNKNOWN_PLACE_ID)
    return entity.admin_level > 0


# Words after a name that make it a river, a road or a coast rather than a town ("the Trishuli river").
FEATURE_WORDS: Final = r"river|lake|valley|mountains?|hills?|glacier|bay|gulf|coast|highway|road|motorway|pass"
# In a title a sea or a dam the news passes is no story place either.
_FEATURE_AFTER: Final = r"\s+(?:" + FEATURE_WORDS + r"|sea|dam)\b"


def _is_feature(entity: Entity, title: str) -> bool:
    """A river, a road or a coast named in a title ("swept into Trishuli river"), by the word after it."""
    return entity.id.startswith(_UNKNOWN_PLACE_ID) and bool(
        re.search(re.escape(entity.text) + _FEATURE_AFTER, title, re.IGNORECASE)
    )


def title_names_place(name: str, title: str) -> bool:
    """Does a blog's title name ``name`` as a place of its own, not a river or road the news passes?"""
    if not name or not title:
        return False
    found = re.search(r"\b" + re.escape(name) + r"\b", title, re.IGNORECASE)
    return found is not None and not re.match(_FEATURE_AFTER, title[found.end() :], re.IGNORECASE)


def _capital_located(entity: Entity, title: str) -> bool:
    """A capital the title sets the news in ("unrest spreads from Jakarta"), not its government speaking."""
    if entity.type != "PLACE" or capital_country(entity.canonical) is None:
        return False
    if _TITLE_HEAD.match(title) and title.lstrip(" \"'“‘").startswith(entity.text):
        return True  # "Mogadishu hotel siege live: ...": what the blog is about comes first
    return bool(re.search(_CAPITAL_IN + re.escape(entity.text) + r"\b", title, re.IGNORECASE))


def _only_country(title: str, entities: list[Entity]) -> Entity | None:
    """The one country a title puts its story in, when it names no finer place ("... 24 dead in Bangladesh").

    A country named as a side ("Ukraine now controls ...") is an actor, not the
    story's place. A country that heads the title ("Nepal landslides live: ...
    buses swept into Trishuli river") is the story even beside a river or a
    site no gazetteer knows, which a toll for the whole country is not about.
    """
    countries = {e.id: e for e in entities if e.type == "PLACE" and e.admin_level == 0}
    head = _TITLE_HEAD.match(title)
    if len(countries) > 1 and head:
        # "Ukraine aid live: US raises ...": the one country heading the title is what it is about,
        # the others are sides in it ("India-Pakistan live" heads with two and picks neither)
        heading = [e for e in countries.values() if re.search(r"\b" + re.escape(e.text) + r"\b", head.group(0))]
        countries = {heading[0].id: heading[0]} if len(heading) == 1 else countries
    if len(countries) != 1:
        return None
    country = next(iter(countries.values()))
    if head and title.lstrip(" \"'“‘").startswith(country.text):
        # another place in the title (a city, a capital, a town no gazetteer knows) is where it
        # happens; a river or a road the news passes through is not
        finer = [
            e
            for e in entities
            if e.type == "PLACE" and e.id != country.id and e.admin_level != 0 and not _is_feature(e, title)
        ]
        if finer and _NATIONWIDE_EVENT.search(head.group(0)):
            # "Bolivia election live: disputed Santa Cruz count ...", "... unrest toll rises in Dar es
            # Salaam, Arusha and Mwanza": a vote is the whole country's; only a title that sets the news
            # in one town ("... protest toll rises in Lilongwe") makes that town the story
            set_in = [e for e in finer if re.search(_TOLL_IN + _LISTED_BEFORE + re.escape(e.text) + r"\b", title)]
            return None if len(set_in) == 1 else country
        return None if finer else country
    if any(_is_story_place(e) for e in entities):
        return None
    located = re.search(_LOCATED_IN + re.escape(country.text) + r"\b", title, re.IGNORECASE)
    return country if located else None


# "Kupiansk in the Kharkiv region", "Kupiansk, Kharkiv region", "Kupiansk (Kharkiv region)": what follows a name
# that no gazetteer knows says which region, so which country, it lies in.
_LOCATED_BY: Final = re.compile(r"(?:,?\s+(?:in|near|outside)\s+|,\s+|\s+\()(?:the\s+)?$")


def _located_countries(text: str, entities: list[Entity]) -> dict[str, str]:
    """Countries of the places no gazetteer knows, read from a known region or country named right after them."""
    known = [e for e in entities if e.type == "PLACE" and e.country_code and e.admin_level in (0, 1)]
    out: dict[str, str] = {}
    for entity in entities:
        if entity.type != "PLACE" or entity.country_code or not entity.id.startswith(_UNKNOWN_PLACE_ID):
            continue
        for name in (entity.text, *entity.aliases):
            at = text.find(name)
            while at >= 0 and entity.id not in out:
                after = text[at + len(name) : at + len(name) + 60]
                for region in known:
                    where = after.find(region.text)
                    if where > 0 and _LOCATED_BY.search(after[:where]) and region.country_code:
                        out[entity.id] = region.country_code
                        break
                at = text.find(name, at + 1)
    return out


def _story_place(entity: Entity, *, in_title: bool = False) -> StoryPlace:
    return StoryPlace(
        id=entity.id,
        name=entity.text,
        canonical=entity.canonical,
        country_code=entity.country_code,
        admin_level=entity.admin_level,
        lat=entity.lat,
        lon=entity.lon,
        in_title=in_title,
    )


def _add(places: dict[str, StoryPlace], named: list[StoryPlace], weight: float) -> None:
    for place in named:
        # A town and the region named after it ("Ventura" and "Ventura County",
        # "Malatya" and "Malatya province") are one story place: the one named
        # first keeps its id and spelling, and takes the wider of the two extents.
        known = places.get(place.id) or next(
            (p for p in places.values() if p.canonical == place.canonical and p.country_code == place.country_code),
            None,
        )
        if known is None:
            places[place.id] = place.model_copy(update={"weight": weight})
            continue
        levels = [level for level in (known.admin_level, place.admin_level) if level is not None]
        level = min(levels) if levels else None
        if known.admin_level is not None and level is not None and level < known.admin_level and weight < known.weight:
            # A region named in passing ("the governor of the Kherson region said") does not
            # widen a story told about its town: the wider extent needs as much weight as the town has.
            level = known.admin_level
        places[known.id] = known.model_copy(
            update={
                "weight": known.weight + weight,
                "admin_level": level,
                # a place first met without a country learns it ("the Italian island of Lampedusa")
                "country_code": known.country_code or place.country_code,
            }
        )


def _ranked(title: list[StoryPlace], entries: list[StoryEntry]) -> list[StoryPlace]:
    """Places by weight after ``entries`` (oldest first): each post adds 1, decaying ×0.85 a post."""
    places: dict[str, StoryPlace] = {}
    count = len(entries)
    _add(places, title, _TITLE_WEIGHT * _DECAY**count)
    for age, entry in zip(range(count - 1, -1, -1), entries, strict=True):
        _add(places, entry.places, _DECAY**age)
    # The blog's title says what it is about: a country it sets the story in,
    # then the places it names, lead. A place no gazetteer knows (a mall, a
    # village) has no location to tell whether it lies inside a known one, so
    # it comes after known places of the same standing.
    ranked = sorted(
        places.values(),
        key=lambda p: (p.admin_level != 0, not p.in_title, p.id.startswith(_UNKNOWN_PLACE_ID), -p.weight),
    )[:_MAX_PLACES]
    if ranked and ranked[0].admin_level == 1:
        top = ranked[0]
        finer = next(
            (
                p
                for p in ranked[1:]
                # a town the title names beside its region ("... train siege live: ... near Sibi")
                # is where it happens; a town only the posts name would switch keys mid-blog
                if p.in_title
                and _finer_than_region(p)
                and p.country_code == top.country_code
                and p.weight >= _FINER_SHARE * top.weight
            ),
            None,
        )
        if finer is not None:
            ranked.remove(finer)
            ranked.insert(0, finer)
    return ranked


@lru_cache(maxsize=1024)
def _read_title(feed_title: str) -> tuple[tuple[Entity, ...], tuple[StoryPlace, ...]]:
    """A blog title's entities and the story places it names (the same title reads the same every time)."""
    title = extract_entities(feed_title)
    country = _only_country(feed_title, title)
    places = tuple(
        _story_place(e, in_title=True)
        for e in title
        if _is_story_place(e) or (country is not None and e.id == country.id) or _capital_located(e, feed_title)
    )
    return tuple(title), places


def _finer_than_region(place: StoryPlace) -> bool:
    """A district or town, or a place no gazetteer knows (a village, a mall): what can stand for its region."""
    return place.admin_level in (2, 3) or place.id.startswith(_UNKNOWN_PLACE_ID)


def _site_town(
    feed_title: str, text: str, named: list[StoryPlace], title_places: list[StoryPlace]
) -> StoryPlace | None:
    """The town a blog's first report puts a one-site event near, when the title names only its region.

    "Brazil dam collapse live: toll rises to 41 in Minas Gerais" whose first
    post says "a dam ... near Itabira, in Brazil's Minas Gerais state, burst":
    the tolls are Itabira's. Only the first report decides (a town named later
    would switch the story's key mid-blog), and only one town near the site.
    """
    regions = [p for p in title_places if p.admin_level == 1]
    if not _POINT_EVENT.search(feed_title) or len(regions) != 1 or any(p.admin_level in (2, 3) for p in title_places):
        return None
    near = [
        p
        for p in named
        if p.country_code == regions[0].country_code
        and _finer_than_region(p)
        and re.search(_NEAR_TOWN + re.escape(p.name) + r"\b", text)
    ]
    return near[0].model_copy(update={"in_title": True}) if len(near) == 1 else None


def observe_story(story: Story | None, post: Post, entities: list[Entity]) -> Story:
    """Return the feed's story as of ``post`` (with its ``entities``), and remember the post in it.

    Pure and idempotent: the story a post sees is the title's places and the
    places of the posts before it in the feed's order (its ``seq``, else the
    order they arrived in), so reading a post again (a redelivery after a
    crash, an edit) gives the same ``places`` as the first time. The result
    keeps the last 40 posts' places and at most a dozen ranked places,
    heaviest first (a tie keeps the place named first).
    """
    title: list[Entity] = []
    if story is None:
        story = Story(feed_id=post.feed_id)
        if post.feed_title:
            title_entities, title_places = _read_title(post.feed_title)
            title = list(title_entities)
            story = story.model_copy(update={"title_places": list(title_places)})
    # A country or a capital stays a story place only when the title made it one.
    title_only = {p.id for p in story.title_places if p.admin_level == 0 or capital_country(p.canonical) is not None}
    named = list({e.id: _story_place(e) for e in entities if _is_story_place(e) or e.id in title_only}.values())
    text = f"{post.title}\n\n{post.body}"
    if any(p.country_code is None for p in named):
        located = _located_countries(text, entities)
        named = [p.model_copy(update={"country_code": located[p.id]}) if p.id in located else p for p in named]
    if story.posts == 0 and (site := _site_town(post.feed_title or "", text, named, story.title_places)) is not None:
        story = story.model_copy(update={"title_places": [*story.title_places, site]})
    earlier = next((e for e in story.entries if e.post_id == post.post_id), None)
    if earlier is not None:
        order = earlier.order
    elif post.seq is not None:
        order = post.seq
    else:
        order = max((e.order for e in story.entries), default=-1) + 1
    others = [e for e in story.entries if e.post_id != post.post_id]
    ranked = _ranked(
        story.title_places,
        [*(e for e in others if e.order < order), StoryEntry(post_id=post.post_id, order=order, places=named)],
    )
    if earlier is not None and earlier.main is not None:
        # Posts read since may have pushed older ones out of the window: what
        # this post saw the first time is kept with it, and seen again.
        ranked = [earlier.main, *(p for p in ranked if p.id != earlier.main.id)]
    entry = StoryEntry(post_id=post.post_id, order=order, places=named, main=ranked[0] if ranked else None)
    entries = sorted([*others, entry], key=lambda e: e.order)[-_MAX_ENTRIES:]
    local = list(story.local_places)
    for entity in [*title, *entities]:
        if entity.type == "PLACE" and entity.id.startswith(_UNKNOWN_PLACE_ID) and entity.text not in local:
            local.append(entity.text)
    return Story(
        feed_id=story.feed_id,
        posts=story.posts + (0 if earlier else 1),
        title_places=story.title_places,
        entries=entries,
        places=ranked,
        local_places=local[-_MAX_LOCAL_PLACES:],
    )
