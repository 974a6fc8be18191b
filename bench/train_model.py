"""Train Vigie's category model on the CrisisLexT26 TRAIN events and save it.

`python -m bench train-model [--data PATH] [--out PATH] [--tune]`

Only `bench.quality.TRAIN_EVENTS` are read: the TEST events stay unseen, so that
`python -m bench quality` measures the shipped model honestly. Features are
`vigie.enrich.model.features` (the ones inference uses); scikit-learn fits the two logistic
regressions here and is not needed at runtime. `--tune` picks the regularisation and the
informativeness threshold by leave-one-event-out inside the training events.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.crisislex import INFORMATIVE, DataMissing, Tweet, load
from vigie.enrich import model as vm
from vigie.enrich.categories import lexicon_scores
from vigie.enrich.lang import detect
from vigie.enrich.text import tokenize

# Chosen by leave-one-event-out inside the TRAIN events (`--tune` reruns the search).
C_INFORMATIVE = 0.1
C_TYPE = 0.03
THRESHOLD = 0.3
MIN_DF = 2


def feature_matrix(tweets: Sequence[Tweet]):
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for t in tweets:
        tokens = tokenize(t.text)
        lex, _ = lexicon_scores(tokens)
        indices += vm.hashed(vm.features(tokens, lex, detect(tokens, t.text)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return csr_matrix((data, np.array(indices), np.array(indptr)), shape=(len(tweets), vm.DIM))


def train(tweets: Sequence[Tweet], c_inf: float = C_INFORMATIVE, c_type: float = C_TYPE,
          threshold: float = THRESHOLD) -> vm.Model:
    """Fit both heads on `tweets`; features seen in fewer than MIN_DF tweets get no weight."""
    from sklearn.linear_model import LogisticRegression

    x = feature_matrix(tweets)
    df = np.asarray((x > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero(df >= MIN_DF)
    xk = x[:, keep]
    inf_idx = [i for i, t in enumerate(tweets) if t.has_informativeness]
    typ_idx = [i for i, t in enumerate(tweets) if t.has_type]
    inf = LogisticRegression(C=c_inf, max_iter=3000).fit(
        xk[inf_idx], [tweets[i].informativeness == INFORMATIVE for i in inf_idx])
    typ = LogisticRegression(C=c_type, max_iter=3000, class_weight="balanced").fit(
        xk[typ_idx], [tweets[i].type for i in typ_idx])
    order = [list(typ.classes_).index(t) for t in vm.TYPES]
    weights = np.zeros((len(keep), 1 + len(vm.TYPES)), dtype=np.float32)
    weights[:, 0] = inf.coef_[0]
    weights[:, 1:] = typ.coef_[order].T
    intercepts = np.concatenate([[inf.intercept_[0]], typ.intercept_[order]]).astype(np.float32)
    return vm.Model(keep, weights, intercepts, threshold)


def _loeo(events: dict[str, list[Tweet]], c_inf: float, c_type: float, thr: float) -> dict:
    from bench.quality import evaluate_vigie, vigie_predictor

    sums = {"informative_f1": 0.0, "type_macro_f1": 0.0}
    for held in events:
        rows = [t for e, ts in events.items() if e != held for t in ts]
        s, _ = evaluate_vigie(events[held], vigie_predictor(train(rows, c_inf, c_type, thr)))
        for k in sums:
            sums[k] += s[k] / len(events)
    print(f"C_inf={c_inf} C_type={c_type} threshold={thr}: "
          f"{sums['informative_f1']:.4f} {sums['type_macro_f1']:.4f}", file=sys.stderr)
    return sums


def tune(events: dict[str, list[Tweet]]) -> tuple[float, float, float]:
    """Leave-one-event-out inside `events`: C of the type head for type macro-F1, then C of
    the informativeness head and its threshold for informative F1."""
    c_type = max((0.03, 0.1, 0.3), key=lambda c: _loeo(events, C_INFORMATIVE, c, THRESHOLD)[
        "type_macro_f1"])
    grid = [(c, t) for c in (0.1, 0.3, 1.0) for t in (0.2, 0.25, 0.3, 0.4)]
    c_inf, thr = max(grid, key=lambda ct: _loeo(events, ct[0], c_type, ct[1])["informative_f1"])
    return c_inf, c_type, thr


def main(argv: list[str] | None = None) -> int:
    from bench.quality import TRAIN_EVENTS

    ap = argparse.ArgumentParser(prog="python -m bench train-model",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="folder of CrisisLexT26 files (as for bench quality)")
    ap.add_argument("--out", type=Path, default=vm.DEFAULT_PATH)
    ap.add_argument("--tune", action="store_true")
    args = ap.parse_args(argv)
    try:
        events = load(args.data)
    except DataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    train_events = {e: events[e] for e in TRAIN_EVENTS}
    c_inf, c_type, thr = tune(train_events) if args.tune else (C_INFORMATIVE, C_TYPE, THRESHOLD)
    rows = [t for ts in train_events.values() for t in ts]
    mdl = train(rows, c_inf, c_type, thr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    mdl.save(args.out)
    size = args.out.stat().st_size
    print(f"trained on {len(rows)} tweets of {len(train_events)} events "
          f"(C={c_inf}/{c_type}, threshold={thr}) -> {args.out} ({size} bytes)")
    return 0
