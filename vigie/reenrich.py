"""`python -m vigie enrich --all`: run enrichment again over every stored post.

Useful after the lexicons, the gazetteer or the model change. The near-duplicate index
is rebuilt from scratch in time order, so clusters come out as if the posts had just
arrived. Posts are walked in keyset pages; memory stays flat whatever the table size.
"""

from __future__ import annotations

from collections.abc import Callable

from vigie.models import Post
from vigie.pipeline import StoreEnricher
from vigie.store import Store
from vigie.store.db import loads

PAGE = 2000


def reenrich_all(store: Store, progress: Callable[[int, int], None] | None = None) -> int:
    total = store.total_posts()
    store.reset_cluster_index()
    enricher = StoreEnricher(store)
    done, cursor = 0, None
    while True:
        rows = store.posts_after(cursor, PAGE)
        if not rows:
            break
        posts = [Post(id=row["id"], source=row["source"], kind=row["kind"], text=row["text"],
                      author=row["author"], url=row["url"], lang=row["lang"],
                      created_at=row["created_at"], lat=row["lat"], lon=row["lon"],
                      place=None if row["precision"] == "commune" else row["place"],
                      precision=row["precision"], extra=loads(row["extra"], {}))
                 for row in rows]
        enricher.begin(posts)
        updates = []
        for row, post in zip(rows, posts, strict=True):
            e = enricher(post)
            e.update(place=post.place, lat=post.lat, lon=post.lon, precision=post.precision,
                     lang=post.lang)
            updates.append((row, e))
        store.save_enrichment(updates, also=enricher.flush)
        done += len(rows)
        cursor = (rows[-1]["created_at"], rows[-1]["id"])
        if progress:
            progress(done, total)
    return done
