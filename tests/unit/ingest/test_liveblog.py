from __future__ import annotations

import pytest

from streams.ingest.liveblog import ParsedPost, chronological, parse_liveblog, post_id_for

BLOG = """world-news-live-storm-latest

Storm live: thousands without power as floods spread

Rivers burst their banks in the north

Several rivers burst their banks overnight, officials said.

Residents were told to move to higher ground.

Power cut to 20,000 homes
Engineers say it could take days to restore supplies.
“We are working around the clock,” a spokesperson said.

Prime minister to visit ‘hardest-hit’ towns

The prime minister will travel north on Tuesday.
"""


def test_parse_liveblog_skips_the_slug_and_reads_the_title() -> None:
    blog = parse_liveblog(BLOG)
    assert blog.slug == "world-news-live-storm-latest"
    assert blog.title == "Storm live: thousands without power as floods spread"


def test_parse_liveblog_splits_posts_with_and_without_blank_lines() -> None:
    blog = parse_liveblog(BLOG)
    assert [p.headline for p in blog.posts] == [
        "Rivers burst their banks in the north",
        "Power cut to 20,000 homes",
        "Prime minister to visit ‘hardest-hit’ towns",
    ]
    assert [p.index for p in blog.posts] == [0, 1, 2]
    assert blog.posts[1].body.split("\n\n") == [
        "Engineers say it could take days to restore supplies.",
        "“We are working around the clock,” a spokesperson said.",
    ]


def test_parse_liveblog_without_slug_uses_the_first_line_as_title() -> None:
    blog = parse_liveblog("Election night live\n\nPolls close\n\nVoting has ended.\n")
    assert blog.slug is None
    assert blog.title == "Election night live"
    assert [p.headline for p in blog.posts] == ["Polls close"]


def test_parse_liveblog_gives_an_intro_without_headline_its_first_sentence() -> None:
    blog = parse_liveblog("Title here\n\nWelcome to our coverage. Here is what we know.\n\nFirst update\n\nText.\n")
    assert blog.posts[0].headline == "Welcome to our coverage."
    assert blog.posts[1].headline == "First update"


@pytest.mark.parametrize(
    ("line", "is_post"),
    [
        ("Summary", True),
        ("Kyiv says it repelled attack", True),
        ("US ‘deeply concerned’ by reports of missile deal", True),
        ("Officials said the attack had been repelled.", False),
        ("“We will not give up,” he said.", False),
    ],
)
def test_parse_liveblog_tells_headlines_from_paragraphs(line: str, is_post: bool) -> None:
    blog = parse_liveblog(f"Title\n\nFirst post\n\nBody text.\n\n{line}\n\nMore text.\n")
    headlines = [p.headline for p in blog.posts]
    assert (line in headlines) is is_post


def test_chronological_reverses_a_newest_first_blog() -> None:
    blog = parse_liveblog(BLOG)
    assert [p.index for p in chronological(blog)] == [2, 1, 0]
    assert [p.index for p in chronological(blog, newest_first=False)] == [0, 1, 2]


def test_post_id_for_is_stable_and_ignores_case_and_spacing() -> None:
    a = ParsedPost(index=0, headline="Power cut to homes", body="Engineers are  working.")
    b = ParsedPost(index=5, headline="power cut to homes ", body="Engineers are working")
    c = ParsedPost(index=0, headline="Power cut to homes", body="Engineers have finished.")
    assert post_id_for("feed", a) == post_id_for("feed", b)
    assert post_id_for("feed", a) != post_id_for("feed", c)
    assert post_id_for("feed", a) != post_id_for("other", a)
    assert len(post_id_for("feed", a)) == 16


def test_parse_liveblog_twice_gives_the_same_ids() -> None:
    first = [post_id_for("f", p) for p in parse_liveblog(BLOG).posts]
    second = [post_id_for("f", p) for p in parse_liveblog(BLOG).posts]
    assert first == second
    assert len(set(first)) == len(first)


def test_parse_liveblog_keeps_a_byline_in_the_body() -> None:
    blog = parse_liveblog("Title\n\nTroops enter the city\n\nJane Smith\n\nTroops entered the city at dawn.\n")
    assert [p.headline for p in blog.posts] == ["Troops enter the city"]
    assert blog.posts[0].body.startswith("Jane Smith")


def test_parse_liveblog_allows_a_post_without_body() -> None:
    blog = parse_liveblog("Title\n\nWatch: scenes from the port\n\nShips leave the harbour\n\nThree ships left.\n")
    assert [(p.headline, p.body) for p in blog.posts] == [
        ("Watch: scenes from the port", ""),
        ("Ships leave the harbour", "Three ships left."),
    ]


def test_parse_liveblog_reads_a_short_line_inside_a_block_as_a_paragraph() -> None:
    blog = parse_liveblog(
        "Title\n\nFirst post\n\nIt began at dawn.\nHere is the latest\nMore text.\n\nSecond post\n\nEnd.\n"
    )
    assert [p.headline for p in blog.posts] == ["First post", "Second post"]
    assert "Here is the latest" in blog.posts[0].body


def test_parse_liveblog_drops_page_furniture() -> None:
    blog = parse_liveblog("Title\n\nFirst post\n\nShare\n\nUpdated at 13.45 BST\n\nIt began at dawn.\n")
    assert [(p.headline, p.body) for p in blog.posts] == [("First post", "It began at dawn.")]


# A page copied with its furniture: clock and date lines, an image credit, an embedded social
# post and a link to another story.
COPIED_PAGE = """Port strike live: dockers walk out as talks collapse

Wed 12 Mar 2025 14.05 GMT

Dockers gather at the port gates

The port handles a third of the country's imports.

Posted at 1:40pm GMT+1

Union leader addresses the crowd

Crowds gathered at the gates. Photograph: Ana Ruiz/Reuters

“We will stay out until they listen” pic.twitter.com/abc123

— Dockers Union (@dockersunion) March 12, 2025

Related: What the strike means for shoppers

Just now

Talks collapse after six hours

Negotiators left the ministry without a deal.

But will it hold?

Officials expect more talks next week.
"""


def test_parse_liveblog_reads_past_the_furniture_of_a_copied_page() -> None:
    blog = parse_liveblog(COPIED_PAGE)
    assert [p.headline for p in blog.posts] == [
        "Dockers gather at the port gates",
        "Union leader addresses the crowd",
        "Talks collapse after six hours",
    ]
    union = blog.posts[1].body
    assert "Crowds gathered at the gates." in union
    assert "Photograph" not in union and "Related" not in union
    assert "(@dockersunion)" in union  # the embed stays: it is what was said, and by whom
    assert "But will it hold?" in blog.posts[2].body


@pytest.mark.parametrize(
    "line",
    [
        "12.05pm GMT",
        "Wed 14 Aug 2024 12.05 BST",
        "14 August 2024, 12:05",
        "Posted at 12:05",
        "Just now",
        "Aug 14, 2024 12:05 PM EDT",
        "12:05 GMT+1",
        "15m ago",
    ],
)
def test_parse_liveblog_drops_clock_and_date_lines(line: str) -> None:
    blog = parse_liveblog(f"Title\n\n{line}\n\nFirst post\n\nIt began at dawn.\n")
    assert [(p.headline, p.body) for p in blog.posts] == [("First post", "It began at dawn.")]


@pytest.mark.parametrize(
    ("line", "is_post"),
    [
        # FORMAT.md: a headline has no closing sentence punctuation, and a question closes one.
        ("Who is the new army chief?", False),
        ("“Where are our sons?”", False),  # a quote
        ("Kyiv at 12:00", True),  # a place and a time is a headline, not a stamp
        ("In pictures: armoured vehicles on the streets", True),
        ("Photo: rescuers reach the village", True),
    ],
)
def test_parse_liveblog_tells_media_headlines_from_questions_and_quotes(line: str, is_post: bool) -> None:
    blog = parse_liveblog(f"Title\n\nFirst post\n\nBody text.\n\n{line}\n\nMore text.\n")
    assert (line in [p.headline for p in blog.posts]) is is_post
