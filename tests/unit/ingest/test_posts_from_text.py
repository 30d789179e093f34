from __future__ import annotations

from streams.ingest.posts import posts_from_text


def test_a_post_too_long_to_send_is_rejected_with_its_reason_and_the_rest_kept() -> None:
    long_body = "\n\n".join(["Officials said the water kept rising through the night."] * 2_500)
    text = f"Flood live\n\nWater reaches the old town\n\n{long_body}\n\nRiver bursts its banks\n\nIt rained.\n"
    posts, rejected = posts_from_text(text, source="test", feed_id="flood")
    assert [post.title for post in posts] == ["River bursts its banks"]
    assert len(rejected) == 1
    assert "Water reaches the old town" in rejected[0].where
    assert "body" in rejected[0].reason and "100000" in rejected[0].reason.replace(",", "")
