"""Extraction never fails on odd text: one post that trips a stage would cost a whole blog's score.

Blogs are built from lines of our own dev-set blogs (the held-out pair excluded), mangled the way a
copied page mangles them: shouted, lower-cased, cut short, stripped of commas, run together, and
mixed with stray symbols and digits. Whatever comes in, every parsed post comes out with the
FORMAT.md shape.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.cli import HELD_OUT
from streams.extract import extract_liveblog
from streams.ingest.liveblog import parse_liveblog
from streams.models import Post
from streams.stages.enrich import enrich

DEVSET = Path(__file__).resolve().parents[1] / "data" / "devset"
LINES = sorted(
    {
        line.strip()
        for path in DEVSET.glob("*.txt")
        if path.name.removesuffix(".txt") not in HELD_OUT
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
)
ODD_BITS = ["½", "–", "—", "km²", "sq mi", "%", "$", "€", "1.2m", "3-4", "10,000-15,000", "“", "”", "…", "\u200b"]
ODD_BITS += ["e\u0301", "٣", "１２", "0.0", "9" * 30, "-5", "@handle", "http://example.org/a?b=1", "U.S.", "No.", "🇺🇦"]


def _mangle(line: str, how: int, cut: float) -> str:
    if how == 1:
        return line.upper()
    if how == 2:
        return line.lower()
    if how == 3:
        return line[: int(len(line) * cut)]
    if how == 4:
        return line.replace(",", "").replace(".", "")
    return line


mangled_line = st.builds(
    _mangle, st.sampled_from(LINES), st.integers(min_value=0, max_value=6), st.floats(min_value=0, max_value=1)
)
odd_line = st.lists(st.one_of(st.sampled_from(ODD_BITS), st.sampled_from(LINES)), min_size=1, max_size=6).map(" ".join)
blog_lines = st.lists(st.tuples(st.one_of(mangled_line, odd_line), st.booleans()), min_size=2, max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blog_lines)
def test_extract_liveblog_gives_every_post_the_format_shape(lines: list[tuple[str, bool]]) -> None:
    text = "\n".join(line + ("\n" if blank_after else "") for line, blank_after in lines)
    out = extract_liveblog(text)
    parsed = parse_liveblog(text)
    assert [post["headline"] for post in out["posts"]] == [post.headline for post in parsed.posts]
    for post in out["posts"]:
        assert {"index", "headline", "categories", "entities", "quantities", "claims", "duplicate_of"} <= post.keys()
        for quantity in post["quantities"]:
            assert isinstance(quantity["value"], int | float)
    assert {alert["after_post"] for alert in out["alerts"]} <= {post["index"] for post in out["posts"]}


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=120), st.text(max_size=600))
def test_enrich_takes_any_text(title: str, body: str) -> None:
    post = Post(source="fuzz", feed_id="fuzz", post_id="p", title=title, body=body)
    enriched = enrich(post, fingerprint="fp", story=None)
    assert enriched.post.post_id == "p"


def test_extract_liveblog_reads_a_page_without_headlines_as_one_post() -> None:
    # Every line closes a sentence, so nothing starts a post: the whole page is one post,
    # longer than a post's body may be.
    paragraph = "Officials said 12 people were killed in Kharkiv overnight."
    text = "A page\n\n" + "\n\n".join([paragraph] * 3_000)
    out = extract_liveblog(text)
    assert len(out["posts"]) == 1
    assert {q["kind"] for q in out["posts"][0]["quantities"]} == {"killed"}
