"""Throughput of the enrichment pipeline, single-threaded.

`python -m bench enrich [--data PATH] [--repeat N]`

Posts: every CrisisLexT26 tweet (English, Spanish, Italian...) when the labelled data is
there, plus generated French crisis posts that name Côte-d'Or communes (so that the gazetteer,
urgency and near-duplicate paths all work, including retweets and copies). Loading the
gazetteer and the model happens once per process and is timed apart. The last line printed is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

from vigie.enrich import model as learned
from vigie.enrich.dedup import MemoryClusterIndex
from vigie.enrich.pipeline import enrich
from vigie.enrich.places import gazetteer
from vigie.models import Post

TEMPLATES = (
    "Au secours, on est coincés sur le toit à {c}, l'eau monte, il y a un bébé !!",
    "La route entre {c} et {d} est coupée, déviation par la D974. Prudence.",
    "Vigilance orange crues : la préfecture demande d'éviter les déplacements vers {c}",
    "Il paraît que le barrage près de {c} a cédé, à confirmer. Partagez avant que ça soit supprimé",
    "Collecte de dons et de vêtements au gymnase de {c} demain, bénévoles bienvenus #solidarité",
    "Nos pensées vont aux sinistrés de {c} et de {d}. Courage à tous",
    "Ma grand-mère est injoignable depuis ce matin à {c}, quelqu'un a des nouvelles ?",
    "Coupure de courant dans tout le quartier de {c}, Enedis annonce un retour ce soir",
    "Centre d'hébergement ouvert à la salle des fêtes de {c} pour les personnes évacuées",
    "Magnifique coucher de soleil sur {c} ce soir",
)


def french_posts(n: int, seed: int = 7) -> list[Post]:
    rng = random.Random(seed)
    names = [c.name for c in gazetteer().by_insee.values() if c.dep == "21"]
    posts: list[Post] = []
    for i in range(n):
        if posts and rng.random() < 0.25:  # a retweet or a copy of an earlier post
            src = rng.choice(posts[-200:])
            text = f"RT @vost21: {src.text}" if rng.random() < 0.5 else src.text + " #inondation"
        else:
            text = rng.choice(TEMPLATES).format(c=rng.choice(names), d=rng.choice(names))
        posts.append(Post(id=f"gen:{i}", source="bench", kind="file", text=text))
    return posts


def crisislex_posts(data: str | None) -> list[Post]:
    try:
        from bench.crisislex import load

        events = load(data)
    except FileNotFoundError:
        return []
    return [Post(id=f"cl:{t.event}:{t.id}:{i}", source="crisislex", kind="file", text=t.text)
            for ts in events.values() for i, t in enumerate(ts)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench enrich", description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="CrisisLexT26 folder (as for bench quality)")
    ap.add_argument("--french", type=int, default=5000, help="generated French posts")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the posts")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    gazetteer()
    mdl = learned.default_model()
    load_s = time.perf_counter() - t0
    posts = crisislex_posts(args.data) + french_posts(args.french)
    enrich(posts[0])  # compile lexicons
    best = float("inf")
    for _ in range(max(1, args.repeat)):
        index = MemoryClusterIndex()
        t0 = time.perf_counter()
        for p in posts:
            enrich(p, index=index)
        best = min(best, time.perf_counter() - t0)
    rate = len(posts) / best
    result = {
        "posts": len(posts),
        "seconds": round(best, 3),
        "posts_per_s": round(rate),
        "us_per_post": round(best / len(posts) * 1e6, 1),
        "load_s": round(load_s, 3),
        "model": mdl is not None,
        "target_posts_per_s": 3000,
    }
    print(f"{len(posts)} posts in {best:.2f}s: {rate:,.0f} posts/s "
          f"({result['us_per_post']} µs/post); gazetteer+model load {load_s:.2f}s",
          file=sys.stderr)
    print(json.dumps(result))
    return 0
