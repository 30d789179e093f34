#!/usr/bin/env python3
"""Check hand annotations (gold files) of live blogs against their text and the annotation standard.

    python scripts/check_gold.py GOLD.json [GOLD.json ...] [--text FILE] [--json]

The standard is /work/shared/eval/FORMAT.md. Each finding names the blog, the post index,
the check and a one-line reason; a finding is an "error" when the file breaks a rule of the
standard and a "judgement" when the standard leaves the call to the annotator (a reader
decides those from the post's text). The checker only reads files: it never runs any part
of the extraction system, so an audit with it stays blind to what the system produces.
Exit status 1 when any error is found.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# FORMAT.md's vocabularies, written out from the standard rather than imported from streams.models:
# the checker holds the annotations to the standard, and a model that drifted from it must not
# move what counts as a slip.
CATEGORIES = frozenset(
    {
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
        "other",
    }
)
KINDS = frozenset(
    {
        "area_km2",
        "settlements",
        "depth_km",
        "front_km",
        "distance_km",
        "killed",
        "injured",
        "displaced",
        "missing",
        "captured",
        "missiles",
        "drones",
        "troops",
        "money_usd",
        "other",
    }
)
# Claims without a figure of their own: a named place taken (value 1) and a transfer of arms.
FIGURELESS_METRICS = frozenset({"control", "arms_transfer"})
METRICS = (KINDS - {"other"}) | FIGURELESS_METRICS
QUALIFIERS = frozenset({"exact", "approx", "at_least", "at_most"})
ENTITY_TYPES = frozenset({"PERSON", "ORG", "PLACE", "GPE", "LOC", "FAC"})
ALERT_TYPES = frozenset({"new_claim", "claim_update", "conflicting_claim"})
# FORMAT.md's example of a conflict is "a lower count of a cumulative toll from another side";
# for other metrics a lower figure from another source may be either, so it is a judgement.
# The missing are no cumulative toll: their count falls as people are found.
CUMULATIVE_TOLLS = frozenset({"killed", "injured", "displaced", "captured"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "president", "the", "lord", "sir"})
HEADLINE_MAX_WORDS = 25
BODY_ENDINGS = (".", "”", '"', "?", "!", ":", ";", ")", "…")
VALUE_TOLERANCE = 0.005
# Unit conversions are rounded by hand in the annotations, so a converted value may be off by more.
CONVERTED_TOLERANCE = 0.02

Json = dict[str, Any]


@dataclass(frozen=True)
class Finding:
    """One thing the checker noticed in a gold file."""

    blog: str
    post: int | None
    check: str
    severity: str  # "error" or "judgement"
    reason: str

    def line(self) -> str:
        """The finding as one printable line."""
        where = "-" if self.post is None else str(self.post)
        return f"{self.blog}\tpost {where}\t{self.check}\t{self.severity}\t{self.reason}"


# ---------------------------------------------------------------- text helpers


def norm(text: str | None) -> str:
    """Fold case, quotes, possessives and punctuation the way the scorer pairs names and headlines."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s-]", " ", text)
    return " ".join(w for w in text.split() if w not in HONORIFICS)


def fold(text: str) -> str:
    """Fold case, quotes, dashes and spaces only, for finding a span of the post in its text."""
    text = unicodedata.normalize("NFKC", text).casefold()
    for curly, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(curly, plain)
    return " ".join(text.split())


def occurs(span: str, text: str) -> bool:
    """Whether span occurs in text as whole words (case, quotes and spacing folded)."""
    span_f, text_f = fold(span), fold(text)
    if not span_f:
        return False
    left = r"\b" if span_f[0].isalnum() else ""
    right = r"\b" if span_f[-1].isalnum() else ""
    return re.search(left + re.escape(span_f) + right, text_f) is not None


def same_value(a: float, b: float, tolerance: float = VALUE_TOLERANCE) -> bool:
    """The scorer's value match: within half a percent."""
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1.0)


def names_match(a: str | None, b: str | None) -> bool:
    """Equal, or one name's words all within the other's ('Zelenskyy' ~ 'Volodymyr Zelenskyy')."""
    ta, tb = norm(a).split(), norm(b).split()
    if not ta or not tb:
        return False
    return ta == tb or set(ta) <= set(tb) or set(tb) <= set(ta)


def is_slug(line: str) -> bool:
    """A URL slug line some copied pages open with ('sudan-war-live-...')."""
    return " " not in line.strip() and line.count("-") >= 2


def looks_like_headline(line: str) -> bool:
    """FORMAT.md: a headline is short and has no closing sentence punctuation."""
    stripped = line.strip()
    return len(stripped.split()) <= HEADLINE_MAX_WORDS and not stripped.endswith(BODY_ENDINGS)


def content_lines(text: str) -> list[str]:
    """The blog's non-blank lines after the page title (and the slug line before it)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if lines and is_slug(lines[0]):
        lines = lines[1:]
    return lines[1:]


def split_posts(text: str) -> list[tuple[str, list[str]]]:
    """Split a blog into (headline, body lines) by FORMAT.md's layout, independently of any gold."""
    posts: list[tuple[str, list[str]]] = []
    for line in content_lines(text):
        if looks_like_headline(line) or not posts:
            posts.append((line, []))
        else:
            posts[-1][1].append(line)
    return posts


def post_texts(text: str, headlines: Sequence[str]) -> tuple[list[str | None], list[int]]:
    """Each gold post's text (headline + body) located by its headline line, and posts not found."""
    lines = content_lines(text)
    starts: list[int | None] = []
    cursor = 0
    for headline in headlines:
        target = norm(headline)
        found = next((i for i in range(cursor, len(lines)) if norm(lines[i]) == target), None)
        starts.append(found)
        if found is not None:
            cursor = found + 1
    missing = [i for i, s in enumerate(starts) if s is None]
    texts: list[str | None] = []
    for i, start in enumerate(starts):
        if start is None:
            texts.append(None)
            continue
        end = next((s for s in starts[i + 1 :] if s is not None), len(lines))
        texts.append("\n".join(lines[start:end]))
    return texts, missing


# ---------------------------------------------------------------- reading a quantity's text

WORD_NUMBERS = {
    "a": 1,
    "an": 1,
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
    "dozen": 12,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
}
# FORMAT.md's floors for vague counts (the longer phrase first).
VAGUE_FLOORS = (
    ("tens of thousands", 20000),
    ("hundreds of thousands", 200000),
    ("dozens", 24),
    ("hundreds", 200),
    ("thousands", 2000),
)
MULTIPLIERS = {
    "k": 1e3,
    "thousand": 1e3,
    "lakh": 1e5,  # South Asian counts: a lakh is 100,000, a crore 10 million
    "crore": 1e7,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "bn": 1e9,
    "billion": 1e9,
    "tn": 1e12,
    "trillion": 1e12,
}
UNIT_FACTORS = {
    "km2": (("square mile", "sq mile", "sq mi"), 2.589988),
    "nautical": (("nautical mile",), 1.852),
    "km": (("mile",), 1.609344),
    "metre": (("metre", "meter"), 0.001),
    "hectare": (("hectare",), 0.01),
    "acre": (("acre",), 0.004046856),
}


def numbers_in(text: str) -> list[float]:
    """The figures a quantity's text can stand for: digits with a multiplier, number words, vague counts."""
    low = fold(text).replace("-", " ")
    found: list[float] = []
    pattern = r"(\d[\d,]*(?:\.\d+)?)\s*(?:(k|m|mn|bn|tn|thousand|lakh|million|crore|billion|trillion)(?![a-z]))?"
    for match in re.finditer(pattern, low):
        value = float(match.group(1).replace(",", ""))
        found.append(value * MULTIPLIERS.get(match.group(2) or "", 1.0))
    words = re.findall(r"[a-z]+", re.sub(r"\b(hundred|thousand) and\b", r"\1", low))
    scales = {"dozen", "hundred", "thousand", "million", "billion"}
    total, current, seen_word = 0.0, 0.0, False
    for n, word in enumerate([*words, ""]):
        number = WORD_NUMBERS.get(word)
        following = words[n + 1] if n + 1 < len(words) else ""
        # "a man" is one, and "killed one a day" is one and one, not two
        if word in ("a", "an") and following not in scales and seen_word:
            found.append(total + current)
            total, current, seen_word = 0.0, 0.0, False
        # "one" then "two" are two figures; only tens + units ("forty-two") or a scale join up
        joins = (
            current == 0
            or word in scales
            or (number is not None and current % 100 == 0 and number < 100)
            or (number is not None and current % 10 == 0 and number < 10)
        )
        if number is None or not joins:
            if seen_word:
                found.append(total + current)
            total, current, seen_word = 0.0, 0.0, False
            if number is None:
                continue
        seen_word = True
        if number == 100 or word == "dozen":
            current = max(current, 1) * number
        elif number >= 1000:
            total += max(current, 1) * number
            current = 0.0
        else:
            current += number
    for phrase, floor in VAGUE_FLOORS:
        if phrase in low:
            found.append(float(floor))
            low = low.replace(phrase, " ")
    return found


def readings(text: str, kind: str) -> list[float]:
    """The figures the text can stand for, also converted to the kind's unit (miles, acres, hectares)."""
    base = numbers_in(text)
    low = fold(text)
    out = list(base)
    for cues, factor in UNIT_FACTORS.values():
        if any(cue in low for cue in cues):
            out.extend(v * factor for v in base)
    if kind == "area_km2" and ("sq km" in low or "square kilomet" in low or "km" in low):
        out.extend(base)
    return out


QUALIFIER_CUES = {
    "at_least": ("more than", "at least", "over", "upwards of", "in excess of", "no fewer than", "or more"),
    "at_most": (
        "no more than",
        "not more than",
        "up to",
        "nearly",
        "almost",
        "fewer than",
        "less than",
        "under",
        "at most",
        "as many as",
    ),
    "approx": ("around", "some", "about", "roughly", "approximately", "an estimated", "estimated", "nearly about"),
}


def cue_qualifier(quantity_text: str, post_text: str) -> str | None:
    """The qualifier a cue word in or just before the quantity's text asks for, if any."""
    q = fold(quantity_text)
    p = fold(post_text)
    if any(phrase in q for phrase, _ in VAGUE_FLOORS):
        return "at_least"
    at = p.find(q)
    before = p[max(0, at - 24) : at] if at >= 0 else ""
    window = before + " " + q
    window = re.sub(r"\bno(t)? more than\b", " up to ", window)  # "no more than" caps the figure
    hits = [
        name
        for name, cues in QUALIFIER_CUES.items()
        if any(re.search(r"\b" + re.escape(cue) + r"\b", window) for cue in cues)
    ]
    return hits[0] if len(hits) == 1 else None


# ---------------------------------------------------------------- the checks


def check_shape(blog: str, gold: Json, text: str | None) -> Iterator[Finding]:
    """Every post has FORMAT.md's fields with valid values; posts and headlines match the text."""

    def err(post: int | None, reason: str) -> Finding:
        return Finding(blog, post, "shape", "error", reason)

    if not isinstance(gold.get("posts"), list) or not isinstance(gold.get("alerts"), list):
        yield err(None, "the file needs a 'posts' list and an 'alerts' list")
        return
    posts: list[Json] = gold["posts"]
    for pos, post in enumerate(posts):
        missing = [
            f
            for f in ("index", "headline", "categories", "entities", "quantities", "claims", "duplicate_of")
            if f not in post
        ]
        if missing:
            yield err(pos, f"missing fields {', '.join(missing)}")
            continue
        if post["index"] != pos:
            yield err(pos, f"index {post['index']} is not the post's position {pos} in the file")
        yield from _shape_categories(blog, pos, post)
        yield from _shape_entities(blog, pos, post)
        yield from _shape_quantities(blog, pos, post)
        yield from _shape_claims(blog, pos, post)
        dup = post["duplicate_of"]
        if dup is not None and (not isinstance(dup, int) or not 0 <= dup < pos):
            yield err(pos, f"duplicate_of {dup!r} is not the index of an earlier-in-file post")
    for n, alert in enumerate(gold["alerts"]):
        after = alert.get("after_post")
        if not isinstance(after, int) or not 0 <= after < len(posts):
            yield err(None, f"alert {n}: after_post {after!r} is not a post index")
        if alert.get("type") not in ALERT_TYPES:
            yield err(after, f"alert {n}: type {alert.get('type')!r} is not one of {sorted(ALERT_TYPES)}")
        if alert.get("metric") not in METRICS:
            yield err(after, f"alert {n}: metric {alert.get('metric')!r} is not a claim metric")
        if not _is_number(alert.get("value")):
            yield err(after, f"alert {n}: value {alert.get('value')!r} is not a number")
    if text is not None:
        yield from _shape_against_text(blog, posts, text)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


MEDIA_HEADLINE = re.compile(r"^(watch|in pictures|video)\s*:", re.IGNORECASE)


def _shape_categories(blog: str, pos: int, post: Json) -> Iterator[Finding]:
    cats = post["categories"]
    if not isinstance(cats, list) or not cats:
        yield Finding(blog, pos, "shape", "error", "categories must be a non-empty list")
        return
    if MEDIA_HEADLINE.match(str(post.get("headline", ""))) and "media" not in cats:
        yield Finding(blog, pos, "shape", "error", "a 'Watch:' or 'In pictures:' post needs the category media")
    for cat in cats:
        if cat not in CATEGORIES:
            yield Finding(blog, pos, "shape", "error", f"category {cat!r} is not in FORMAT.md's list")
    if len(set(cats)) != len(cats):
        yield Finding(blog, pos, "shape", "error", "a category is listed twice")


def _shape_entities(blog: str, pos: int, post: Json) -> Iterator[Finding]:
    seen: list[tuple[str, str]] = []
    for ent in post["entities"]:
        etype = str(ent.get("type", "")).upper()
        if etype not in ENTITY_TYPES:
            yield Finding(blog, pos, "shape", "error", f"entity {ent.get('text')!r} has type {ent.get('type')!r}")
            continue
        etype = "PLACE" if etype in {"GPE", "LOC", "FAC"} else etype
        same = next((t for t, ty in seen if ty == etype and norm(t) == norm(ent.get("text"))), None)
        shorter = next((t for t, ty in seen if ty == etype and names_match(t, ent.get("text"))), None)
        if same is not None:
            yield Finding(blog, pos, "shape", "error", f"entity {ent.get('text')!r} repeats {same!r} (once per post)")
        elif shorter is not None:
            # The scorer lets a shorter form match a longer one: one entity twice, or two entities?
            reason = f"entity {ent.get('text')!r} and {shorter!r} share words: one entity or two?"
            yield Finding(blog, pos, "shape", "judgement", reason)
        seen.append((str(ent.get("text")), etype))


def _shape_quantities(blog: str, pos: int, post: Json) -> Iterator[Finding]:
    seen: set[tuple[str, float]] = set()
    for q in post["quantities"]:
        label = repr(q.get("text"))
        if q.get("kind") not in KINDS:
            yield Finding(blog, pos, "shape", "error", f"quantity {label}: kind {q.get('kind')!r} is not a kind")
        if q.get("qualifier") not in QUALIFIERS:
            yield Finding(blog, pos, "shape", "error", f"quantity {label}: qualifier {q.get('qualifier')!r}")
        if not _is_number(q.get("value")):
            yield Finding(blog, pos, "shape", "error", f"quantity {label}: value {q.get('value')!r}")
            continue
        key = (str(q.get("kind")), float(q["value"]))
        if key in seen and key[0] != "other":
            yield Finding(blog, pos, "shape", "error", f"quantity {label}: ({key[0]}, {key[1]:g}) listed twice")
        seen.add(key)


def _shape_claims(blog: str, pos: int, post: Json) -> Iterator[Finding]:
    for c in post["claims"]:
        label = f"claim {c.get('metric')} {c.get('value')}"
        if c.get("metric") not in METRICS:
            yield Finding(blog, pos, "shape", "error", f"{label}: metric is not a quantity kind or control/arms")
        if c.get("qualifier") not in QUALIFIERS:
            yield Finding(blog, pos, "shape", "error", f"{label}: qualifier {c.get('qualifier')!r}")
        if not _is_number(c.get("value")):
            yield Finding(blog, pos, "shape", "error", f"{label}: value is not a number")
        if c.get("metric") == "control" and c.get("value") != 1:
            yield Finding(blog, pos, "shape", "error", f"{label}: a control claim has value 1")
        for attr in ("actor", "place", "source"):
            if attr not in c or not (c[attr] is None or isinstance(c[attr], str)):
                yield Finding(blog, pos, "shape", "error", f"{label}: {attr} must be a name or null")


def _shape_against_text(blog: str, posts: list[Json], text: str) -> Iterator[Finding]:
    headlines = [str(p.get("headline", "")) for p in posts]
    _, missing = post_texts(text, headlines)
    for pos in missing:
        yield Finding(blog, pos, "shape", "error", f"headline {headlines[pos]!r} is not a line of the text (in order)")
    split = split_posts(text)
    gold_heads = [norm(h) for h in headlines]
    text_heads = [norm(h) for h, _ in split]
    if len(split) != len(posts):
        yield Finding(blog, None, "shape", "error", f"the text has {len(split)} posts, the gold {len(posts)}")
    for head, _ in split:
        if norm(head) not in gold_heads:
            yield Finding(blog, None, "shape", "error", f"text headline {head!r} has no gold post")
    for pos, head in enumerate(gold_heads):
        if pos not in missing and head not in text_heads:
            yield Finding(blog, pos, "shape", "error", f"headline {headlines[pos]!r} does not open a post in the text")


def check_spans(blog: str, gold: Json, texts: Sequence[str | None]) -> Iterator[Finding]:
    """Every entity text and quantity text occurs in its post (headline + body)."""
    for pos, post in enumerate(gold.get("posts", [])):
        body = texts[pos] if pos < len(texts) else None
        if body is None:
            continue
        for ent in post.get("entities", []):
            if not occurs(str(ent.get("text", "")), body):
                yield Finding(blog, pos, "spans", "error", f"entity {ent.get('text')!r} does not occur in the post")
        for q in post.get("quantities", []):
            if not occurs(str(q.get("text", "")), body):
                yield Finding(
                    blog, pos, "spans", "error", f"quantity text {q.get('text')!r} does not occur in the post"
                )
        for c in post.get("claims", []):
            source = c.get("source")
            # "as named in the text": the name or its last word ("Medina" for "Juan Carlos Medina")
            if isinstance(source, str) and not occurs(source, body) and not occurs(source.split()[-1], body):
                reason = f"claim {c.get('metric')} source {source!r} is not named in the post"
                yield Finding(blog, pos, "spans", "judgement", reason)


def check_values(blog: str, gold: Json, texts: Sequence[str | None]) -> Iterator[Finding]:
    """A quantity's value is what its text says (units converted, vague floors) with the cue's qualifier."""
    for pos, post in enumerate(gold.get("posts", [])):
        body = texts[pos] if pos < len(texts) else None
        for q in post.get("quantities", []):
            if q.get("kind") == "other" or not _is_number(q.get("value")):
                continue
            qtext, value = str(q.get("text", "")), float(q["value"])
            options = readings(qtext, str(q.get("kind")))
            converted = any(cue in fold(qtext) for cues, _ in UNIT_FACTORS.values() for cue in cues)
            tolerance = CONVERTED_TOLERANCE if converted else VALUE_TOLERANCE
            if options and not any(same_value(value, o, tolerance) for o in options):
                yield Finding(
                    blog, pos, "values", "error", f"quantity {qtext!r} has value {value:g}, its text reads {options}"
                )
            elif not options and q.get("kind") != "money_usd":
                yield Finding(blog, pos, "values", "judgement", f"quantity {qtext!r}: no figure in its text to read")
            if body is not None:
                cue = cue_qualifier(qtext, body)
                if cue is not None and cue != q.get("qualifier"):
                    yield Finding(
                        blog,
                        pos,
                        "values",
                        "judgement",
                        f"quantity {qtext!r} is {q.get('qualifier')}, a cue word reads {cue}",
                    )


def check_claims(blog: str, gold: Json) -> Iterator[Finding]:
    """Every claim's value is among its post's quantities of the same kind (control/arms aside)."""
    for pos, post in enumerate(gold.get("posts", [])):
        quantities = post.get("quantities", [])
        keys: dict[tuple[str, str, str], list[float]] = {}
        for c in post.get("claims", []):
            metric, value = c.get("metric"), c.get("value")
            if not _is_number(value):
                continue
            key = claim_key(c)
            keys.setdefault(key, []).append(float(value))
            if metric in FIGURELESS_METRICS:
                continue
            same = [q for q in quantities if q.get("kind") == metric and _is_number(q.get("value"))]
            hits = [q for q in same if same_value(float(q["value"]), float(value))]
            if not hits:
                have = ", ".join(f"{q['value']:g}" for q in same) or "none"
                yield Finding(
                    blog, pos, "claims", "error", f"claim {metric} {value:g} is not among the post's {metric} ({have})"
                )
            elif all(q.get("qualifier") != c.get("qualifier") for q in hits):
                yield Finding(
                    blog,
                    pos,
                    "claims",
                    "error",
                    f"claim {metric} {value:g} is {c.get('qualifier')}, its quantity {hits[0].get('qualifier')}",
                )
        for key, values in keys.items():
            if len(values) > 1 and key[0] not in FIGURELESS_METRICS:
                shown = ", ".join(f"{v:g}" for v in values)
                yield Finding(
                    blog,
                    pos,
                    "claims",
                    "judgement",
                    f"{len(values)} claims for {key[0]} of one actor and place ({shown}): a sub-period beside a total?",
                )


# ---------------------------------------------------------------- alerts replay


def party(name: str | None, short_forms: frozenset[str] = frozenset()) -> str:
    """A claim's actor or place as one key; a capitalised name whose initials the blog uses folds to them.

    So "United States" and "US" (or "European Union" and "EU") are one party when both appear.
    """
    words = norm(name).split()
    initials = "".join(w[0] for w in words)
    capitalised = all(w[:1].isupper() for w in (name or "").split())
    if len(words) > 1 and capitalised and initials in short_forms:
        return initials
    return " ".join(words)


def short_forms_of(posts: Iterable[Json]) -> frozenset[str]:
    """The one-word capitalised actors and places a blog's claims use (US, UK, EU, RSF)."""
    out: set[str] = set()
    for post in posts:
        for claim in post.get("claims", []):
            for attr in ("actor", "place"):
                name = claim.get(attr)
                if isinstance(name, str) and " " not in name.strip() and name.isupper():
                    out.add(norm(name))
    return frozenset(out)


ClaimKey = tuple[str, str, str]


def claim_key(claim: Json, short_forms: frozenset[str] = frozenset()) -> ClaimKey:
    """What a figure is a figure of: metric, actor and place (a place's controller is the claim itself)."""
    metric = str(claim.get("metric"))
    if metric == "control":
        return (metric, "", party(claim.get("place"), short_forms))
    return (metric, party(claim.get("actor"), short_forms), party(claim.get("place"), short_forms))


def figure_range(value: float, qualifier: str | None) -> tuple[float, float]:
    """FORMAT.md's reading of a figure as a range."""
    if qualifier == "approx":
        return (value * 0.9, value * 1.1)
    if qualifier == "at_least":
        return (value, float("inf"))
    if qualifier == "at_most":
        return (0.0, value)
    return (value, value)


def _different_source(a: str | None, b: str | None) -> bool:
    if not a and not b:
        return False
    return not names_match(a, b)


@dataclass(frozen=True)
class Expected:
    """An alert the replay of the gold's own claims calls for."""

    after_post: int
    types: frozenset[str]
    metric: str
    value: float
    place: str | None
    why: str


@dataclass(frozen=True)
class Note:
    """A point of the replay the standard leaves to the annotator."""

    post: int
    reason: str


def _linked_posts(posts: Sequence[Json]) -> dict[int, set[int]]:
    """Posts joined by a duplicate_of link, both ways (a re-post and the post it copies)."""
    links: dict[int, set[int]] = {}
    for post in posts:
        dup = post.get("duplicate_of")
        if isinstance(dup, int):
            links.setdefault(int(post["index"]), set()).add(dup)
            links.setdefault(dup, set()).add(int(post["index"]))
    return links


def _judge(now: Json, claim: Json, metric: str) -> tuple[frozenset[str], str] | None:
    """The alert types a figure after the current one calls for; None for a restatement."""
    value, old_value = float(claim["value"]), float(now["value"])
    if metric == "control":
        if party(now.get("actor")) == party(claim.get("actor")):
            return None
        if _different_source(now.get("source"), claim.get("source")):
            return frozenset({"conflicting_claim"}), "another side says it holds the place"
        return frozenset({"claim_update"}), "the place changed hands"
    lo, hi = figure_range(value, claim.get("qualifier"))
    old_lo, old_hi = figure_range(old_value, now.get("qualifier"))
    if same_value(value, old_value) or (lo <= old_lo and old_hi <= hi):
        return None  # a restatement: the subscriber learns nothing
    lower = value < old_value
    other = _different_source(now.get("source"), claim.get("source"))
    if lower and other and metric in CUMULATIVE_TOLLS:
        return frozenset({"conflicting_claim"}), "lower toll, other source"
    if lower and other:
        return frozenset({"claim_update", "conflicting_claim"}), f"lower {metric} from another source"
    return frozenset({"claim_update"}), "news"


def replay(gold: Json) -> tuple[list[Expected], list[Note]]:
    """Replay the gold's claims oldest post first (the file is newest first) by FORMAT.md's rules."""
    posts: list[Json] = gold.get("posts", [])
    short_forms = short_forms_of(posts)
    links = _linked_posts(posts)
    current: dict[ClaimKey, Json] = {}
    seen_in: dict[int, set[tuple[ClaimKey, float]]] = {}
    out: list[Expected] = []
    notes: list[Note] = []
    for post in reversed(posts):
        pos = int(post.get("index", 0))
        copied = set().union(*(seen_in.get(other, set()) for other in links.get(pos, set())))
        for claim in post.get("claims", []):
            if not _is_number(claim.get("value")):
                continue
            key = claim_key(claim, short_forms)
            metric, value, place = key[0], float(claim["value"]), claim.get("place")
            seen_in.setdefault(pos, set()).add((key, value))
            now = current.get(key)
            if now is None:
                current[key] = claim
                out.append(Expected(pos, frozenset({"new_claim"}), metric, value, place, "first figure"))
                continue
            verdict = _judge(now, claim, metric)
            if verdict is None:
                continue
            if any(k == key and same_value(v, value) for k, v in copied):
                # A re-post of an update already replayed carries nothing new (FORMAT.md's duplicate_of),
                # though read against the figure standing now it would be news.
                notes.append(Note(pos, f"{metric} {value:g} repeats its duplicate-linked post: no alert"))
                continue
            out.append(Expected(pos, verdict[0], metric, value, place, verdict[1]))
            # The latest figure is the subscriber's current one, a contested one too: a later figure
            # equal to it restates it, and one lower than it from another source contests it again.
            current[key] = claim
    return out, notes


def check_alerts(blog: str, gold: Json) -> Iterator[Finding]:
    """Compare the gold's alerts with the replay of its own claims, both ways."""
    expected, notes = replay(gold)
    for note in notes:
        yield Finding(blog, note.post, "alerts", "judgement", note.reason)
    alerts: list[Json] = [a for a in gold.get("alerts", []) if _is_number(a.get("value"))]
    used: set[int] = set()
    unmatched: list[Expected] = []
    for exp in expected:
        hit = next(
            (
                n
                for n, a in enumerate(alerts)
                if n not in used
                and a.get("after_post") == exp.after_post
                and a.get("metric") == exp.metric
                and a.get("type") in exp.types
                and same_value(float(a["value"]), exp.value)
            ),
            None,
        )
        if hit is None:
            unmatched.append(exp)
            continue
        used.add(hit)
        alert = alerts[hit]
        if len(exp.types) > 1:
            yield Finding(
                blog,
                exp.after_post,
                "alerts",
                "judgement",
                f"{alert['type']} {exp.metric} {exp.value:g}: {exp.why} (update or conflict is the annotator's call)",
            )
        if exp.place is not None and alert.get("place") is not None and not names_match(alert["place"], exp.place):
            yield Finding(
                blog,
                exp.after_post,
                "alerts",
                "error",
                f"alert {exp.metric} {exp.value:g} has place {alert['place']!r}, its claim {exp.place!r}",
            )
    for exp in unmatched:
        twin = next(
            (
                n
                for n, a in enumerate(alerts)
                if n not in used
                and a.get("after_post") == exp.after_post
                and a.get("metric") == exp.metric
                and same_value(float(a["value"]), exp.value)
            ),
            None,
        )
        want = "/".join(sorted(exp.types))
        if twin is not None:
            used.add(twin)
            yield Finding(
                blog,
                exp.after_post,
                "alerts",
                "error",
                f"alert {exp.metric} {exp.value:g} is {alerts[twin]['type']}, the replay gives {want} ({exp.why})",
            )
        else:
            yield Finding(
                blog,
                exp.after_post,
                "alerts",
                "error",
                f"missing alert {want} {exp.metric} {exp.value:g} ({exp.why})",
            )
    for n, alert in enumerate(alerts):
        if n not in used:
            yield Finding(
                blog,
                alert.get("after_post"),
                "alerts",
                "error",
                f"alert {alert.get('type')} {alert.get('metric')} {alert['value']:g} has no claim calling for it",
            )


# ---------------------------------------------------------------- coverage: figures the gold may have missed

# Kinds a part of which is a count of the same people ("14 injured, three of them seriously").
PEOPLE_KINDS = frozenset({"killed", "injured", "missing", "captured", "displaced"})
PART_CUES = re.compile(r"\b(of them|of whom|including|among them|among)\b")
FIGURE = re.compile(
    r"(?<![\w$.,])(\d(?:[\d,]*\d)?(?:\.\d+)?|"
    + "|".join(sorted((w for w in WORD_NUMBERS if len(w) > 2), key=len, reverse=True))
    + r"|dozens|hundreds|thousands)(?![\w-])"
)
KIND_CUES = re.compile(
    r"\b(kill|dead|death|died|die|bod(y|ies)|injur|wound|hurt|hospital|critical|missing|displac|fled|flee|"
    r"evacuat|homeless|captur|hostage|prisoner|missile|rocket|drone|troop|soldier|kilomet|km|mile|"
    r"hectare|acre|square|villages|settlements)"
)
YEAR = re.compile(r"(19|20)\d\d")


def _spans_of(post: Json, text: str) -> list[tuple[int, int, Json]]:
    """Where each of the post's quantities sits in its folded text."""
    out: list[tuple[int, int, Json]] = []
    for q in post.get("quantities", []):
        qtext = fold(str(q.get("text", "")))
        out += [(m.start(), m.end(), q) for m in re.finditer(re.escape(qtext), text)] if qtext else []
    return out


def check_coverage(blog: str, gold: Json, texts: Sequence[str | None]) -> Iterator[Finding]:
    """Figures the annotation may have missed or kept as 'other'; all judgements, a reader decides."""
    for pos, post in enumerate(gold.get("posts", [])):
        body = texts[pos] if pos < len(texts) else None
        if body is None:
            continue
        text = fold(body)
        spans = _spans_of(post, text)
        for start, end, q in spans:
            if q.get("kind") != "other":
                continue
            sentence_start = text.rfind(". ", 0, start) + 1  # fold() has joined the lines
            before = [
                (s, e, p) for s, e, p in spans if sentence_start <= s and e <= start and p.get("kind") in PEOPLE_KINDS
            ]
            if before and PART_CUES.search(text[before[-1][1] : end + 10]):
                kind = before[-1][2]["kind"]
                reason = f"quantity {q.get('text')!r} is 'other', a part of the {kind} count before it?"
                yield Finding(blog, pos, "coverage", "judgement", reason)
        values = [float(q["value"]) for q in post.get("quantities", []) if _is_number(q.get("value"))]
        for match in FIGURE.finditer(text):
            if any(s <= match.start() < e for s, e, _ in spans) or YEAR.fullmatch(match.group(1)):
                continue
            after = text[match.end() : match.end() + 30]
            if after.startswith(("-year", " year", "-storey", "%", " per cent")) or not KIND_CUES.search(after):
                continue
            read = readings(match.group(0) + " " + after[:12], "area_km2")
            if any(same_value(n, v, CONVERTED_TOLERANCE) for n in read for v in values):
                continue  # the same figure is annotated elsewhere in the post (one per kind and value)
            context = text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
            yield Finding(
                blog, pos, "coverage", "judgement", f"figure {match.group(1)!r} has no quantity: ...{context}..."
            )
    yield from _check_copies(blog, gold, texts)


COPY_SHARE = 0.6  # share of body words two posts have in common above which one looks like a copy
DISTINCT_SHARE = 0.3


def _body_words(text: str | None) -> set[str]:
    body = (text or "").split("\n", 1)[-1]  # the headline is the first line; fold() joins lines
    return set(re.findall(r"\w+", fold(body)))


def _check_copies(blog: str, gold: Json, texts: Sequence[str | None]) -> Iterator[Finding]:
    """Posts that read as copies without a duplicate_of link, and links between posts that do not."""
    posts: list[Json] = gold.get("posts", [])
    words = [_body_words(texts[i] if i < len(texts) else None) for i in range(len(posts))]
    for later in range(len(posts)):
        for earlier in range(later):
            union = words[earlier] | words[later]
            share = len(words[earlier] & words[later]) / len(union) if union else 0.0
            linked = posts[later].get("duplicate_of") == earlier
            if share >= COPY_SHARE and not linked:
                reason = f"shares {share:.0%} of its words with post {earlier} but has no duplicate_of link"
                yield Finding(blog, later, "coverage", "judgement", reason)
            elif linked and share < DISTINCT_SHARE:
                reason = f"duplicate_of {earlier}, yet they share only {share:.0%} of their words"
                yield Finding(blog, later, "coverage", "judgement", reason)


# ---------------------------------------------------------------- driver

CHECKS = ("shape", "spans", "values", "coverage", "claims", "alerts")


def check_gold(blog: str, gold: Json, text: str | None) -> list[Finding]:
    """All findings for one gold file (text None: the checks that need the blog's text are skipped)."""
    findings = list(check_shape(blog, gold, text))
    if any(f.post is None and "needs a 'posts' list" in f.reason for f in findings):
        return findings
    if text is not None:
        headlines = [str(p.get("headline", "")) for p in gold["posts"]]
        texts, _ = post_texts(text, headlines)
        findings += check_spans(blog, gold, texts)
        findings += check_values(blog, gold, texts)
        findings += check_coverage(blog, gold, texts)
    findings += check_claims(blog, gold)
    findings += check_alerts(blog, gold)
    return findings


def text_for(gold_path: Path, gold: Json, override: Path | None) -> str | None:
    """The blog text a gold annotates: --text, else its 'text_file' beside it."""
    if override is not None:
        return override.read_text(encoding="utf-8")
    name = gold.get("text_file")
    if not isinstance(name, str):
        return None
    candidate = gold_path.parent / name
    return candidate.read_text(encoding="utf-8") if candidate.exists() else None


def summarise(findings: Iterable[Finding]) -> str:
    """Counts per check and severity."""
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        counts[(f.check, f.severity)] = counts.get((f.check, f.severity), 0) + 1
    parts = [
        f"{check}: {counts.get((check, 'error'), 0)} errors, {counts.get((check, 'judgement'), 0)} judgements"
        for check in CHECKS
    ]
    return "; ".join(parts)


def main(argv: Sequence[str]) -> int:
    """Check each gold file given and print its findings."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("golds", nargs="+", type=Path)
    parser.add_argument("--text", type=Path, help="the blog text (only with one gold file)")
    parser.add_argument("--json", action="store_true", help="print findings as JSON lines")
    args = parser.parse_args(argv)
    if args.text is not None and len(args.golds) != 1:
        parser.error("--text goes with exactly one gold file")
    findings: list[Finding] = []
    for path in args.golds:
        gold = json.loads(path.read_text(encoding="utf-8"))
        blog = path.name.removesuffix(".gold.json")
        findings += check_gold(blog, gold, text_for(path, gold, args.text))
    out = sys.stdout
    for finding in findings:
        out.write((json.dumps(asdict(finding)) if args.json else finding.line()) + "\n")
    out.write(summarise(findings) + "\n")
    return 1 if any(f.severity == "error" for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
