"""Naive versions of the pages, for `python -m bench pages`: each reads the tables it needs
whole into pandas (`SELECT * FROM posts`...) and filters, sorts and aggregates there, to get
the figures the real page shows with its default filters. Nothing is drawn, so a naive time
is a lower bound of what such a page would cost.

`REAL[page](store, now)` gets the same figures through the store calls the real page makes;
tests/test_bench_pages.py checks that both agree on a small database, so the comparison is
honest. Orders that SQL leaves open (ties) are compared through their sort keys.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from vigie import situation
from vigie.models import iso, utc_now
from vigie.periods import window
from vigie.store import PostFilter, Store
from vigie.store import situation as wall
from vigie.store.claims import CLAIM_STATUSES

Figures = dict[str, Any]
TIMELINE_PAGE, TIMELINE_CAP = 25, 10_000
TRIAGE_PAGE = 12
ROADS_ENDED_DAYS = 3
LOG_LIMIT = 300
POINT_LIMIT, CELL_DEG, MAX_BINS = 3000, 0.02, 2500


def table(store: Store, name: str) -> pd.DataFrame:
    """The naive read: a whole table."""
    return pd.read_sql(f"SELECT * FROM {name}", store.conn)  # noqa: S608 - fixed names


def _live(frame: pd.DataFrame, incidents: pd.DataFrame) -> pd.Series:
    open_ids = set(incidents.loc[incidents["status"] != "closed", "id"])
    return frame["incident_id"].isna() | frame["incident_id"].isin(open_ids)


def _active_incident(store: Store) -> int | None:
    incident = store.active_incident()
    return incident["id"] if incident else None


def _since(period: str, now: datetime) -> str | None:
    return window(period, now)[0]


def _records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in row)
            for row in frame[columns].itertuples(index=False)]


# -- Situation (wall) ------------------------------------------------------------------------

def real_situation(store: Store, now: datetime) -> Figures:
    f = situation.figures(store, now)
    threshold = situation.urgency_threshold(store)
    count, rows = store.urgent_open(threshold, iso(now - situation.URGENT_WINDOW), limit=6)
    since = now - situation.VOLUME_WINDOW
    first = situation.parse(store.first_post_since(iso(since)))
    bucket = situation.volume_bucket(now - (first or since))
    return {"posts_hour": f.posts_hour, "posts_previous_hour": f.posts_previous_hour,
            "urgent_open": f.urgent_open, "urgent_count": count,
            "urgent_times": [r["created_at"] for r in rows],
            "people_waiting": f.people_waiting, "claims": f.claims,
            "roads_closed": f.roads_closed,
            "verdicts": [r["id"] for r in store.latest_verdicts(limit=5)],
            "closures": [(r["event_type"], r["updated_at"])
                         for r in store.road_closures(limit=6)],
            "volume": sorted((r["category"], r["bucket"], r["posts"])
                             for r in store.category_volume(iso(since), bucket_seconds=bucket))}


def naive_situation(store: Store, now: datetime) -> Figures:
    all_posts, incidents = table(store, "posts"), table(store, "incidents")
    posts = all_posts[_live(all_posts, incidents)]
    hour, two = iso(now - timedelta(hours=1)), iso(now - timedelta(hours=2))
    end = iso(now + timedelta(seconds=1))
    threshold = situation.urgency_threshold(store)
    urgent = posts[posts["status"].isin(["new", "escalated"]) & (posts["urgency"] >= threshold)
                   & (posts["created_at"] >= iso(now - situation.URGENT_WINDOW))]
    by_cluster = urgent.assign(ckey=urgent["cluster_id"].fillna(urgent["id"])).groupby(
        "ckey")["created_at"].max().sort_values(ascending=False)
    people = table(store, "people")
    people = people[_live(people, incidents)]
    claims = table(store, "claims")
    claims = claims[_live(claims, incidents)]
    roads = table(store, "road_events")
    roads = roads[_live(roads, incidents) & (roads["status"] == "active")]
    verdicts = claims[claims["status"].isin(wall.VERDICTS)].assign(
        at=claims["verdict_at"].fillna(claims["updated_at"]).fillna(claims["created_at"]))
    closures = roads[roads["event_type"].isin(wall.ROAD_TYPES)].assign(
        closure=roads["event_type"] == "closure").sort_values(
        ["closure", "updated_at"], ascending=False).head(6)
    since = now - situation.VOLUME_WINDOW
    recent = posts[posts["created_at"] >= iso(since)]
    first = situation.parse(recent["created_at"].min() if len(recent) else None)
    bucket = situation.volume_bucket(now - (first or since))
    cats = table(store, "post_categories")
    closed = set(incidents.loc[incidents["status"] == "closed", "id"])
    hidden = set(all_posts.loc[all_posts["incident_id"].isin(closed), "id"])
    cats = cats[(cats["created_at"] >= iso(since)) & ~cats["post_id"].isin(hidden)]
    seconds = (pd.to_datetime(cats["created_at"], utc=True) - pd.Timestamp(0, tz="UTC"))
    cats = cats.assign(bucket=(seconds.dt.total_seconds() // bucket * bucket).astype(int))
    volume = cats.groupby(["category", "bucket"]).size()
    return {"posts_hour": int(((posts["created_at"] >= hour) & (posts["created_at"] < end)).sum()),
            "posts_previous_hour": int(((posts["created_at"] >= two)
                                        & (posts["created_at"] < hour)).sum()),
            "urgent_open": len(by_cluster), "urgent_count": len(by_cluster),
            "urgent_times": list(by_cluster.head(6)),
            "people_waiting": int(people["status"].isin(wall.WAITING_PEOPLE).sum()),
            "claims": {k: int(v) for k, v in claims.groupby("status").size().items()},
            "roads_closed": int((roads["event_type"] == "closure").sum()),
            "verdicts": list(verdicts.sort_values(["at", "id"], ascending=False)
                             .head(5)["id"]),
            "closures": _records(closures, ["event_type", "updated_at"]),
            "volume": sorted((c, int(b), int(n)) for (c, b), n in volume.items())}


# -- Timeline --------------------------------------------------------------------------------

def real_timeline(store: Store, now: datetime) -> Figures:
    f = PostFilter(since=_since("24h", now))
    return {"total": store.count_posts(f, cap=TIMELINE_CAP),
            "volume": [(r["bucket"], r["posts"]) for r in store.volume(f, bucket="hour")],
            "page": [r["id"] for r in store.timeline(f, limit=TIMELINE_PAGE)]}


def naive_timeline(store: Store, now: datetime) -> Figures:
    posts = table(store, "posts")
    posts = posts[posts["created_at"] >= _since("24h", now)]
    volume = posts.groupby(posts["created_at"].str[:13]).size()
    page = posts.sort_values(["created_at", "id"], ascending=False).head(TIMELINE_PAGE)
    return {"total": min(len(posts), TIMELINE_CAP),
            "volume": [(b, int(n)) for b, n in volume.items()], "page": list(page["id"])}


# -- Map -------------------------------------------------------------------------------------

def real_map(store: Store, now: datetime) -> Figures:
    f = PostFilter(since=_since("24h", now))
    located = store.count_located_posts(f)
    out: Figures = {"located": located, "total": store.count_posts(f, cap=1_000_000),
                    "clusters": [r["posts"] for r in store.map_clusters(f)],
                    "alerts": len(store.alerts(active_at=f.since, limit=200)),
                    "shelters": len(store.shelters())}
    if located > POINT_LIMIT:
        cell = CELL_DEG
        while len(bins := store.map_bins(f, cell_deg=cell)) > MAX_BINS:
            cell *= 2
        out["bins"] = sorted((b["gy"], b["gx"], b["posts"]) for b in bins)
    else:
        out["points"] = [(r["urgency"], r["created_at"])
                         for r in store.map_points(f, limit=POINT_LIMIT)]
    return out


def naive_map(store: Store, now: datetime) -> Figures:
    since = _since("24h", now)
    posts = table(store, "posts")
    posts = posts[posts["created_at"] >= since]
    located = posts[posts["lat"].notna() & posts["lon"].notna()]
    clustered = posts[posts["cluster_id"].notna()].groupby("cluster_id").agg(
        n=("id", "size"), lat=("lat", "mean"))
    clustered = clustered[(clustered["n"] >= 2) & clustered["lat"].notna()]
    alerts = table(store, "alerts")
    alerts = alerts[alerts["expires"].isna() | (alerts["expires"] > since)]
    out: Figures = {"located": len(located), "total": len(posts),
                    "clusters": sorted(clustered["n"], reverse=True)[:300],
                    "alerts": min(len(alerts), 200), "shelters": len(table(store, "shelters"))}
    if len(located) > POINT_LIMIT:
        cell = CELL_DEG
        while True:
            gy = (located["lat"] / cell + 1_000_000).astype(int)
            gx = (located["lon"] / cell + 1_000_000).astype(int)
            bins = located.groupby([gy, gx]).size()
            if len(bins) <= MAX_BINS:
                break
            cell *= 2
        out["bins"] = sorted((int(y), int(x), int(n)) for (y, x), n in bins.items())
    else:
        top = located.sort_values(["urgency", "created_at"], ascending=False).head(POINT_LIMIT)
        out["points"] = _records(top, ["urgency", "created_at"])
    return out


# -- Roads -----------------------------------------------------------------------------------

def real_roads(store: Store, now: datetime) -> Figures:
    from vigie.road_events import with_live_status

    events = with_live_status(store.road_events_window(
        since=iso(now - timedelta(days=ROADS_ENDED_DAYS))), now)
    flags = store.flagged_posts(status="open", kind="road_contradiction", limit=100)
    return {"events": sorted((e["id"], e["live_status"]) for e in events),
            "flags": store.count_flagged_posts(),
            "flag_posts": sorted(f["post_id"] for f in flags)}


def naive_roads(store: Store, now: datetime) -> Figures:
    from vigie.road_events import with_live_status
    from vigie.store.feeds import decode_road_event

    since = iso(now - timedelta(days=ROADS_ENDED_DAYS))
    events = table(store, "road_events")
    events = events[(events["status"] != "ended") | (events["updated_at"] >= since)
                    | (events["ends_at"] >= since)]
    rows = [decode_road_event(r) for r in events.astype(object).where(events.notna(), None)
            .to_dict("records")]
    flags, posts = table(store, "post_flags"), table(store, "posts")
    open_flags = flags[(flags["status"] == "open")]
    shown = open_flags[open_flags["kind"] == "road_contradiction"].merge(
        posts[["id"]], left_on="post_id", right_on="id").sort_values(
        ["created_at", "id_x"], ascending=False).head(100)
    return {"events": sorted((e["id"], e["live_status"])
                             for e in with_live_status(rows, now)),
            "flags": len(open_flags), "flag_posts": sorted(shown["post_id"])}


# -- Triage ----------------------------------------------------------------------------------

def real_triage(store: Store, now: datetime) -> Figures:
    incident = _active_incident(store)
    rows = store.triage_queue(incident_id=incident, limit=TRIAGE_PAGE)
    return {"size": list(store.triage_queue_size(incident_id=incident)),
            "queue": [(r["ckey"], r["size"], r["top_urgency"]) for r in rows]}


def naive_triage(store: Store, now: datetime) -> Figures:
    incident = _active_incident(store)
    posts = table(store, "posts")
    new = posts[posts["status"] == "new"]
    if incident is not None:
        new = new[new["incident_id"] == incident]
    new = new.assign(ckey=new["cluster_id"].fillna(new["id"]))
    queue = new.groupby("ckey").agg(size=("id", "size"), first_seen=("created_at", "min"),
                                    top=("urgency", "max")).reset_index()
    queue = queue.sort_values(["top", "size", "first_seen", "ckey"],
                              ascending=[False, False, True, True]).head(TRIAGE_PAGE)
    return {"size": [int(new["ckey"].nunique()), len(new)],
            "queue": [(k, int(n), float(u)) for k, n, u in
                      queue[["ckey", "size", "top"]].itertuples(index=False)]}


# -- Verification board ----------------------------------------------------------------------

def real_board(store: Store, now: datetime) -> Figures:
    claims = store.claims_board(incident_id=_active_incident(store))
    spread = store.claim_spread([c["id"] for c in claims])
    return {"columns": {s: sorted((c["id"], c["posts"], c["first_seen"]) for c in claims
                                  if c["status"] == s) for s in CLAIM_STATUSES},
            "spread": {k: v for k, v in spread.items() if v}}


def naive_board(store: Store, now: datetime) -> Figures:
    incident = _active_incident(store)
    claims = table(store, "claims")
    if incident is not None:
        claims = claims[(claims["incident_id"] == incident) | claims["incident_id"].isna()]
    order = claims["status_at"].fillna(claims["created_at"])
    claims = claims.assign(order=order).sort_values(["order", "id"], ascending=False).head(300)
    links, posts = table(store, "claim_posts"), table(store, "posts")
    by_cluster = claims[claims["cluster_id"].notna()].merge(
        posts[["id", "cluster_id"]].rename(columns={"id": "post_id"}), on="cluster_id")
    linked = pd.concat([links[links["claim_id"].isin(claims["id"])][["claim_id", "post_id"]],
                        by_cluster.rename(columns={"id": "claim_id"})[["claim_id", "post_id"]]]
                       ).drop_duplicates().merge(posts[["id", "created_at"]],
                                                 left_on="post_id", right_on="id")
    stats = linked.groupby("claim_id")["created_at"].agg(["size", "min"])
    spread = linked.assign(bucket=linked["created_at"].str[:15] + "0").groupby(
        ["claim_id", "bucket"]).size()
    out: dict[int, list[tuple[str, int]]] = {}
    for (claim_id, bucket), n in spread.items():
        out.setdefault(int(claim_id), []).append((bucket, int(n)))
    columns = {}
    for s in CLAIM_STATUSES:
        rows = []
        for claim_id in claims.loc[claims["status"] == s, "id"]:
            n, first = (stats.loc[claim_id] if claim_id in stats.index else (0, None))
            rows.append((int(claim_id), int(n), first))
        columns[s] = sorted(rows)
    return {"columns": columns, "spread": out}


# -- People ----------------------------------------------------------------------------------

def real_people(store: Store, now: datetime) -> Figures:
    rows = store.people_reports(incident_id=_active_incident(store), limit=500)
    return {"reports": [(r["status"], r["reported_at"], r["post_text"]) for r in rows]}


def naive_people(store: Store, now: datetime) -> Figures:
    incident = _active_incident(store)
    people = table(store, "people")
    if incident is not None:
        people = people[(people["incident_id"] == incident) | people["incident_id"].isna()]
    posts = table(store, "posts")[["id", "text"]].rename(columns={"id": "post_id",
                                                                  "text": "post_text"})
    people = people.merge(posts, on="post_id", how="left")
    open_ = people[people["status"].isin(["reported", "escalated"])].sort_values(
        ["reported_at", "id"])
    closed = people[~people["status"].isin(["reported", "escalated"])]
    closed = closed.assign(done=closed["resolved_at"].fillna(closed["located_at"])).sort_values(
        ["done", "id"], ascending=[False, True])
    rows = pd.concat([open_, closed]).head(500)
    return {"reports": _records(rows, ["status", "reported_at", "post_text"])}


# -- Messages --------------------------------------------------------------------------------

def real_messages(store: Store, now: datetime) -> Figures:
    return {"messages": [m["id"] for m in store.list_messages(limit=200)],
            "debunkable": [c["id"] for c in store.debunkable_claims()],
            "roads": len(store.placeholder_roads())}


def naive_messages(store: Store, now: datetime) -> Figures:
    messages = table(store, "messages")
    messages = messages.assign(at=messages["updated_at"].fillna(messages["created_at"]))
    claims = table(store, "claims")
    claims = claims[claims["status"].isin(["false", "misleading"])]
    claims = claims.assign(at=claims["verdict_at"].fillna(claims["updated_at"])
                           .fillna(claims["created_at"])).sort_values("at", ascending=False)
    roads = table(store, "road_events")
    roads = roads[(roads["status"] == "active") & roads["road"].notna()]
    return {"messages": list(messages.sort_values(["at", "id"], ascending=False)
                             .head(200)["id"]),
            "debunkable": list(claims.head(200)["id"]), "roads": min(len(roads), 100)}


# -- Log -------------------------------------------------------------------------------------

def real_log(store: Store, now: datetime) -> Figures:
    return {"entries": [r["id"] for r in store.log_entries(since=_since("24h", now),
                                                           limit=LOG_LIMIT)],
            "authors": store.log_authors()}


def naive_log(store: Store, now: datetime) -> Figures:
    log = table(store, "log")
    recent = log[log["at"] >= _since("24h", now)].sort_values("id", ascending=False)
    return {"entries": list(recent.head(LOG_LIMIT)["id"]),
            "authors": sorted(log["author"].unique())}


# -- Reports ---------------------------------------------------------------------------------

def real_reports(store: Store, now: datetime) -> Figures:
    from vigie.reports.sitrep import default_since

    since = default_since(store)
    return {"estimate": store.count_export_posts(since, iso(now)),
            "approved": [m["id"] for m in store.list_messages(statuses=("approved", "sent"),
                                                              limit=200)],
            "debunkable": [c["id"] for c in store.debunkable_claims()]}


def naive_reports(store: Store, now: datetime) -> Figures:
    from vigie.reports.sitrep import default_since

    since = default_since(store)
    posts = table(store, "posts")
    posts = posts[(posts["created_at"] < iso(now))
                  & ((posts["created_at"] >= since) if since else True)]
    messages = table(store, "messages")
    messages = messages[messages["status"].isin(["approved", "sent"])]
    messages = messages.assign(at=messages["updated_at"].fillna(messages["created_at"]))
    return {"estimate": len(posts),
            "approved": list(messages.sort_values(["at", "id"], ascending=False)
                             .head(200)["id"]),
            "debunkable": naive_messages(store, now)["debunkable"]}


# -- Admin -----------------------------------------------------------------------------------

def real_admin(store: Store, now: datetime) -> Figures:
    incidents = [i for i in store.list_incidents() if i["status"] != "closed"]
    return {"sources": [s["name"] for s in store.list_sources()],
            "accounts": [a["username"] for a in store.list_accounts()],
            "counts": {i["id"]: store.incident_data_counts(i["id"]) for i in incidents}}


def naive_admin(store: Store, now: datetime) -> Figures:
    incidents = table(store, "incidents")
    live = incidents[incidents["status"] != "closed"]["id"]
    counts = {}
    frames = {name: table(store, name) for name in _COUNTED}
    for incident_id in live:
        counts[int(incident_id)] = {
            name: int((frame["incident_id"] == incident_id).sum())
            for name, frame in frames.items()}
    return {"sources": sorted(table(store, "sources")["name"]),
            "accounts": sorted(table(store, "users")["username"]), "counts": counts}


_COUNTED = ("posts", "road_events", "alerts", "claims", "people", "messages", "spikes",
            "log")


# -- Public map ------------------------------------------------------------------------------

def real_public(store: Store, now: datetime) -> Figures:
    from vigie.public import projection

    features = projection(store, now)["features"]
    return {"features": sorted((f["properties"]["layer"], f["properties"]["name"])
                               for f in features)}


def naive_public(store: Store, now: datetime) -> Figures:
    # The projection is a handful of published rows; naive = the same after whole reads.
    for name in ("road_events", "shelters", "claims"):
        table(store, name)
    return real_public(store, now)


PAIRS: dict[str, tuple[Callable[[Store, datetime], Figures],
                       Callable[[Store, datetime], Figures]]] = {
    "situation": (real_situation, naive_situation),
    "timeline": (real_timeline, naive_timeline),
    "map": (real_map, naive_map),
    "roads": (real_roads, naive_roads),
    "triage": (real_triage, naive_triage),
    "board": (real_board, naive_board),
    "people": (real_people, naive_people),
    "messages": (real_messages, naive_messages),
    "log": (real_log, naive_log),
    "reports": (real_reports, naive_reports),
    "admin": (real_admin, naive_admin),
    "public": (real_public, naive_public),
}
REAL = {page: pair[0] for page, pair in PAIRS.items()}
NAIVE: dict[str, Callable[[Store], Figures]] = {
    page: (lambda store, fn=pair[1]: fn(store, utc_now())) for page, pair in PAIRS.items()}
