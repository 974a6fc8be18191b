"""`python -m vigie enrich --all` recomputes enrichment and keeps volunteers' tags."""

from __future__ import annotations

from collectors.base import Batch
from vigie.__main__ import main
from vigie.models import Post
from vigie.pipeline import ingest


def test_enrich_all_fills_posts_stored_without_enrichment_and_keeps_human_tags(
        fresh_store, capsys) -> None:
    posts = [
        Post(id="t:1", source="t", kind="t", created_at="2026-11-25T10:00:00Z",
             text="Au secours, nous sommes coincés sur le toit à Genlis, l'eau monte !"),
        Post(id="t:2", source="t", kind="t", created_at="2026-11-25T10:01:00Z",
             text="RT @a: Au secours, nous sommes coincés sur le toit à Genlis, l'eau monte !"),
        Post(id="t:3", source="t", kind="t", created_at="2026-11-25T10:02:00Z",
             text="Courage aux habitants, pensées pour vous"),
    ]
    ingest(fresh_store, Batch(posts=posts), collector="t", incident_id=None)  # not enriched
    assert fresh_store.get_post("t:1")["categories"] == []
    fresh_store.versioned_update("posts", "t:3", 1, {"categories": ["solidarity"]}, "alice")
    assert main(["--db", str(fresh_store.path), "enrich", "--all"]) == 0
    assert "3 posts enriched" in capsys.readouterr().out
    first, copy, edited = (fresh_store.get_post(f"t:{i}") for i in (1, 2, 3))
    assert "help_request" in first["categories"] and first["urgency"] > 0.5
    assert first["place"] == "Genlis" and first["precision"] == "commune"
    assert copy["cluster_id"] == first["cluster_id"] == "t:1"
    assert edited["categories"] == ["solidarity"]
