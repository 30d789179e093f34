"""Split a copied live blog (title, then headline + paragraphs per post) into posts."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["LiveBlog", "ParsedPost", "chronological", "parse_liveblog", "post_id_for"]


@dataclass(frozen=True, slots=True)
class ParsedPost:
    """One post as it stands in the file: ``index`` counts from 0 in file order."""

    index: int
    headline: str
    body: str


@dataclass(frozen=True, slots=True)
class LiveBlog:
    """A live blog's page title and its posts in file order."""

    title: str
    posts: list[ParsedPost] = field(default_factory=list)
    slug: str | None = None


# A paragraph closes a sentence; a headline does not. Closing quotes and
# brackets may follow the punctuation (“... it.”) or stand for it (a quote
# that ends a paragraph).
_CLOSES_SENTENCE = re.compile(r"""(?:[.!?…:;]|[.!?…,]?["”’'»)\]])\s*$""")
# A headline may end in a quoted phrase (‘did not take it seriously’) that is
# still not a sentence: a closing single quote counts only after punctuation.
_HEADLINE_QUOTE_END = re.compile(r"""[^.!?…,]['’]\s*$""")
_BULLET = re.compile(r"^\s*(?:[-•*·–—]|\d+[.)])\s+")
# Clock stamps and "1h ago" lines that copying a page often drags along.
_STAMP = re.compile(
    r"^(?:\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|bst|gmt|cet|cest|utc|et|est|edt))?"
    r"|\d+\s*(?:m|min|mins|h|hr|hrs|hours?|minutes?)\s+ago|updated\s.*\d{1,2}[:.]\d{2}.*"
    r"|(?:breaking|pinned|key event|live)"
    r")$",
    re.IGNORECASE,
)
# Page furniture that copying drags along.
_NOISE = re.compile(
    r"^(?:share|pinned(?:\s+post)?|key\s+events?|show\s+key\s+events\s+only|advertisement|reuse\s+this\s+content|"
    r"link\s+copied|copy\s+link|skip\s+past\s+newsletter\s+promotion|after\s+newsletter\s+promotion|"
    r"please\s+turn\s+on\s+javascript.*|updated|"
    # Links to other articles and promotions: their words are another story's.
    r"(?:related|read\s+more|more\s+on\s+this\s+story)\s*:.*|sign\s+up\b.*\bnewsletter\b.*)$",
    re.IGNORECASE,
)
# Longer date and time lines ("Wed 14 Aug 2024 12.05 BST", "Posted at 12:05pm GMT+1", "Just now"):
# every word is a date or time word, and a number or "now" says it is one.
_STAMP_WORD = re.compile(
    r"\d{1,2}[:.]\d{2}(?:am|pm)?|\d{1,4}(?:st|nd|rd|th)?|\d+(?:s|m|h|hr|hrs|min|mins|d)|[ap]\.?m\.?|ago|just|now|"
    r"posted|updated|published|last|at|on|mins?|minutes?|hours?|hrs?|days?|yesterday|today|"
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"(?:gmt|bst|utc|cet|cest|eet|eest|msk|et|est|edt|ct|cst|cdt|pt|pst|pdt|ist|jst|aest|aedt|sast|wat|eat)(?:[+-]\d{1,2})?",
    re.IGNORECASE,
)
_STAMP_SPLIT = re.compile(r"[\s,|·•–—()]+")
# An image credit ("… in Kharkiv. Photograph: Name/Agency"): not text of the post, and without
# closing punctuation it would pass for a headline.
_CREDIT = re.compile(
    r"(?:(?<=[.!?”\"’)])\s+(?:photograph|photo|composite|illustration)\s*:\s*[^.!?]{1,80}"
    # On a line of its own only with the agency slash ("Photograph: Name/Agency"): "Photo: rescuers
    # reach the village" is a post of pictures, like "In pictures:".
    r"|^(?:photograph|photo|composite|illustration)\s*:\s*[^.!?/]{1,60}/[^.!?]{1,60})$",
    re.IGNORECASE,
)
# An embedded social post (a handle, its link or its "— Name (@handle) date" line) is quoted text.
_EMBED = re.compile(r"\(@\w+\)|pic\.twitter\.com/|\bt\.co/|^[—–]\s*\S.*@\w+")
# A line that is only a name (two to four capitalised words): a byline.
_BYLINE = re.compile(r"^(?:(?:By|From)\s+)?[A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'-]+|de|van|von|al|bin)){1,3}$")
_SLUG = re.compile(r"^(?:https?://\S+|[^\s]*[-_/][^\s]*)$")
_WORD = re.compile(r"\w+")
_MAX_HEADLINE_WORDS = 30
_MAX_HEADLINE_CHARS = 220


def _is_headline(line: str) -> bool:
    """A short line that does not end a sentence (or ends in a quoted phrase) reads as a headline."""
    if len(line) > _MAX_HEADLINE_CHARS or _BULLET.match(line) or _EMBED.search(line):
        return False
    if len(_WORD.findall(line)) > _MAX_HEADLINE_WORDS:
        return False
    if _HEADLINE_QUOTE_END.search(line):
        return True
    return not _CLOSES_SENTENCE.search(line)


def _clean(line: str) -> str:
    return " ".join(unicodedata.normalize("NFC", line).split())


def _is_stamp(line: str) -> bool:
    """A line of clock, date or "ago" words only: when the post was published, not what it says."""
    if _STAMP.match(line):
        return True
    words = [word.strip(".:") or word for word in _STAMP_SPLIT.split(line) if word]
    has_time = any(ch.isdigit() for ch in line) or "now" in (w.lower() for w in words)
    return has_time and all(_STAMP_WORD.fullmatch(word) for word in words)


def parse_liveblog(text: str, *, newest_first: bool = True) -> LiveBlog:
    """Split a copied live blog into its title and posts (file order).

    Pure. The first line is the title, unless it is a URL or slug (one token
    with dashes or slashes), in which case the next line is. Each post is a
    headline line followed by body paragraphs. Posts are separated by blank
    lines; paragraphs need not be, so where a blog separates its posts with
    blank lines, a headline-like line inside a block is read as a paragraph.
    A name-only line right under a headline (a byline) stays in the body; any
    other headline-like line there starts a new post (the first had no body).
    Text before the first headline becomes a post headed by its first
    sentence. ``newest_first`` only matters to :func:`chronological`.

    Args:
        text: The whole copied page.
        newest_first: Whether the blog lists its newest post first (kept for symmetry).

    Returns:
        The title and the posts with ``index`` from 0 in file order.
    """
    del newest_first  # order only matters to chronological(); parsing is order-free
    lines: list[tuple[str, bool]] = []  # (line, follows a blank line)
    blank = True
    for raw in text.splitlines():
        line = _clean(raw)
        if not line:
            blank = True
            continue
        if _is_stamp(line) or _NOISE.match(line):
            continue
        line = _CREDIT.sub("", line).strip()
        if not line:
            continue
        lines.append((line, blank))
        blank = False
    slug: str | None = None
    if lines and _SLUG.match(lines[0][0]) and " " not in lines[0][0]:
        slug = lines.pop(0)[0]
    title = lines.pop(0)[0] if lines else ""
    blank_separated = any(after_blank for _, after_blank in lines[1:])

    posts: list[ParsedPost] = []
    headline: str | None = None
    paragraphs: list[str] = []

    def flush() -> None:
        if headline is None and not paragraphs:
            return
        head = headline if headline is not None else _first_sentence(paragraphs[0])
        posts.append(ParsedPost(index=len(posts), headline=head, body="\n\n".join(paragraphs)))

    for line, after_blank in lines:
        starts_post = _is_headline(line) and (after_blank or not blank_separated)
        if starts_post and headline is not None and not paragraphs and _BYLINE.match(line):
            starts_post = False  # "Tom Ambrose" under a headline: who wrote it
        if starts_post:
            flush()
            headline, paragraphs = line, []
        else:
            paragraphs.append(line)
    flush()
    return LiveBlog(title=title, posts=posts, slug=slug)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def _first_sentence(paragraph: str) -> str:
    return _SENTENCE_END.split(paragraph, maxsplit=1)[0]


def chronological(blog: LiveBlog, *, newest_first: bool = True) -> list[ParsedPost]:
    """Return the posts oldest first (the reverse of file order for a newest-first blog)."""
    return list(reversed(blog.posts)) if newest_first else list(blog.posts)


_NORM_DROP = re.compile(r"[^\w\s]")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NORM_DROP.sub(" ", text).split())


def post_id_for(feed_id: str, parsed: ParsedPost) -> str:
    """Return a stable post id: 16 hex digits of SHA-1 over the feed and the normalised text.

    Case, punctuation and whitespace do not change the id, so re-ingesting the
    same file (or a re-copy with different quotes) yields the same ids. Two
    posts with identical text in one feed share an id, which dedupe then sees
    as a re-delivery.
    """
    payload = "\x1f".join((feed_id, _normalise(parsed.headline), _normalise(parsed.body)))
    return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
