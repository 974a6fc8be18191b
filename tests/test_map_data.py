"""The Map page's data: clusters as one row each, points up to a limit, and beyond it
bins counted in SQL, so 100,000 posts in the window reach the browser as a few thousand
rows (and the query stays an index scan)."""

from __future__ import annotations

import json
import random
import time

import pytest

from vigie.models import Post
from vigie.store import PostFilter, Store
from vigie.store.posts import post_row

WINDOW = PostFilter(since="2026-11-25T00:00:00Z")


def rows(n: int, *, seed: int = 1, cluster_every: int = 0):
    rng = random.Random(seed)
    for i in range(n):
        post = Post(id=f"x:{i}", source="x", kind="rss", text=f"publication {i}",
                    author=f"@a{i % 50}", lat=47.0 + rng.random(), lon=4.2 + rng.random() * 1.2,
                    precision="exact",
                    created_at=f"2026-11-25T{10 + i % 10:02d}:{i % 60:02d}:{i % 59:02d}Z")
        enrichment = {"urgency": round(rng.random(), 3), "categories": ["help_request"]}
        if cluster_every and i % cluster_every == 0:
            enrichment["cluster_id"] = f"c{i // (cluster_every * 5)}"
        yield post_row(post, collected_at="2026-11-25T12:00:00Z", collector="x",
                       fetched_at=None, incident_id=None, enrichment=enrichment)


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("map") / "vigie.db")
    store.insert_post_rows(rows(100_000))
    store.insert_post_rows([post_row(Post(id="x:nowhere", source="x", kind="rss",
                                          text="sans lieu", created_at="2026-11-25T11:00:00Z"),
                                     collected_at="2026-11-25T12:00:00Z", collector="x",
                                     fetched_at=None, incident_id=None)])
    yield store
    store.close()


def test_100k_posts_are_binned_in_sql_into_a_few_thousand_rows(big_store) -> None:
    assert big_store.count_located_posts(WINDOW) == 100_000
    started = time.perf_counter()
    bins = big_store.map_bins(WINDOW, cell_deg=0.04)
    elapsed = time.perf_counter() - started
    assert len(bins) <= 1000 and sum(b["posts"] for b in bins) == 100_000
    assert elapsed < 2.0, elapsed  # measured about 0.07 s on the development machine
    plan = " ".join(r["detail"] for r in big_store.query(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM posts p WHERE p.created_at >= ? "
        "AND p.lat IS NOT NULL AND p.lon IS NOT NULL GROUP BY CAST(p.lat / 0.04 AS INTEGER)",
        (WINDOW.since,)))
    assert "COVERING INDEX idx_posts_located" in plan


def test_a_bin_knows_its_cell_and_its_highest_urgency(big_store) -> None:
    cell = 0.5
    bins = big_store.map_bins(WINDOW, cell_deg=cell)
    for b in bins:
        assert (b["gy"] - 1_000_000) * cell <= b["lat"] < (b["gy"] - 1_000_000 + 1) * cell
        assert 0 <= b["mean_urgency"] <= b["max_urgency"] <= 1


def test_points_are_capped_and_most_urgent_first(big_store) -> None:
    points = big_store.map_points(WINDOW, limit=500)
    assert len(points) == 500
    urgencies = [p["urgency"] for p in points]
    assert urgencies == sorted(urgencies, reverse=True)
    assert all(p["lat"] is not None for p in points)


def test_the_map_page_sends_bins_not_posts_for_a_busy_window(big_store, monkeypatch) -> None:
    monkeypatch.setenv("VIGIE_DB", str(big_store.path))
    from vigie.ui import map_view

    deck, data, captions = map_view.build(WINDOW, ["posts", "roads"], ["21"], tiles=False)
    payload = deck.to_json()
    layers = {layer["id"]: layer for layer in json.loads(payload)["layers"]}
    assert "bins" in layers and "posts" not in layers
    assert len(layers["bins"]["data"]) <= map_view.MAX_BINS
    assert sum(b["posts"] for b in layers["bins"]["data"]) == 100_000
    assert len(payload) < 3_000_000, len(payload)
    assert any("regroupées" in line for line in captions)


def test_clusters_are_one_row_each_with_their_first_text(fresh_store) -> None:
    fresh_store.insert_post_rows(rows(100, cluster_every=2))
    clusters = fresh_store.map_clusters(WINDOW)
    assert sum(c["posts"] for c in clusters) == 50
    assert {c["posts"] for c in clusters} == {5}
    first = fresh_store.cluster_posts(clusters[0]["cluster_id"], limit=1)[0]
    assert clusters[0]["text"] == first["text"]
