"""Quality of Vigie's categories on CrisisLexT26, across events, next to a TF-IDF baseline.

`python -m bench quality [--data PATH] [--dev] [--no-model]`

Cross-event protocol (fixed split, decided before any measure and never changed after):
- TRAIN events: the only ones used to write and tune the lexicon, to choose hyper-parameters,
  and to train the shipped model (`vigie/enrich/model/`) and the baseline;
- TEST events: measured once per run, never looked at for tuning.
The split puts each hazard kind and language on both sides where the data allows (floods,
earthquakes, explosions/collapses, Spanish), and keeps Italian in TEST only, which is how Vigie
meets French: no French in any training event.
`--dev` runs leave-one-event-out inside TRAIN instead (what tuning may look at).

Mapping of Vigie categories to CrisisLex information types (a post's predicted type is the first
of its categories that maps):
  Affected individuals         <- casualties, missing_or_found, evacuation_shelter, help_request
  Infrastructure and utilities <- infrastructure, roads_traffic
  Donations and volunteering   <- solidarity
  Caution and advice           <- caution_advice
  Sympathy and support         <- sympathy
  Other Useful Information     <- other_relevant
A post is predicted informative when it has a category other than `sympathy` and
`not_relevant`; CrisisLex's positive class is "Related and informative" against "Related - but
not informative" and "Not related".
Rows labelled `Not labeled` or `Not applicable` are left out of the type metric, and rows whose
informativeness is `Not applicable` out of the informativeness metric.
Per-language figures group TEST rows by the language Vigie detects (CrisisLex has no language
label). The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence

from bench.crisislex import INFORMATIVE, TYPES, DataMissing, Tweet, load

TRAIN_EVENTS = (
    "2012_Colorado_wildfires",
    "2012_Costa_Rica_earthquake",
    "2012_Philipinnes_floods",
    "2013_Alberta_floods",
    "2013_Boston_bombings",
    "2013_Russia_meteor",
    "2013_Savar_building_collapse",
)
TEST_EVENTS = (
    "2012_Italy_earthquakes",
    "2012_Venezuela_refinery",
    "2013_Glasgow_helicopter_crash",
    "2013_Manila_floods",
    "2013_Spain_train_crash",
    "2013_Typhoon_Yolanda",
)

CATEGORY_TO_TYPE = {
    "casualties": "Affected individuals",
    "missing_or_found": "Affected individuals",
    "evacuation_shelter": "Affected individuals",
    "help_request": "Affected individuals",
    "infrastructure": "Infrastructure and utilities",
    "roads_traffic": "Infrastructure and utilities",
    "solidarity": "Donations and volunteering",
    "caution_advice": "Caution and advice",
    "sympathy": "Sympathy and support",
    "other_relevant": "Other Useful Information",
}
NONE = "(none)"

# A predictor maps texts to (categories, language) per text.
Predictor = Callable[[Sequence[str]], list[tuple[list[str], str | None]]]


def predicted_type(categories: Sequence[str]) -> str:
    return next((CATEGORY_TO_TYPE[c] for c in categories if c in CATEGORY_TO_TYPE), NONE)


def predicted_informative(categories: Sequence[str]) -> bool:
    return any(c not in ("sympathy", "not_relevant") for c in categories)


def scores(tweets: Sequence[Tweet], inf_pred: Sequence[bool], type_pred: Sequence[str]) -> dict:
    """Informative F1 (positive: Related and informative) and type macro-F1 (six types)."""
    from sklearn.metrics import f1_score

    inf_idx = [i for i, t in enumerate(tweets) if t.has_informativeness]
    type_idx = [i for i, t in enumerate(tweets) if t.has_type]
    out: dict = {"n_informativeness": len(inf_idx), "n_type": len(type_idx)}
    if inf_idx:
        y = [tweets[i].informativeness == INFORMATIVE for i in inf_idx]
        p = [bool(inf_pred[i]) for i in inf_idx]
        out["informative_f1"] = round(float(f1_score(y, p, zero_division=0)), 4)
    if type_idx:
        y = [tweets[i].type for i in type_idx]
        p = [type_pred[i] for i in type_idx]
        out["type_macro_f1"] = round(
            float(f1_score(y, p, labels=list(TYPES), average="macro", zero_division=0)), 4)
        per = f1_score(y, p, labels=list(TYPES), average=None, zero_division=0)
        out["type_f1"] = {t: round(float(v), 4) for t, v in zip(TYPES, per, strict=True)}
    return out


def vigie_predictor(model=None) -> Predictor:
    """Vigie's enrichment as the pages will see it: the pipeline's categories and language."""
    from vigie.enrich import pipeline
    from vigie.models import Post

    def predict(texts: Sequence[str]) -> list[tuple[list[str], str | None]]:
        out = []
        for i, text in enumerate(texts):
            e = pipeline.enrich(Post(id=f"q:{i}", source="crisislex", kind="file", text=text),
                                model=model)
            out.append((e.categories, e.lang))
        return out

    return predict


class Baseline:
    """TF-IDF (word 1-2 grams) + logistic regression, one for informativeness, one for type.

    Trained like Vigie's model: same rows, balanced class weights for the type head (which
    helps macro-F1), and C chosen by leave-one-event-out inside the training events.
    """

    def __init__(self, c: float = 1.0):
        self.c = c

    def fit(self, tweets: Sequence[Tweet]) -> Baseline:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        x = self.vec.fit_transform([t.text for t in tweets])
        inf = [i for i, t in enumerate(tweets) if t.has_informativeness]
        typ = [i for i, t in enumerate(tweets) if t.has_type]
        self.inf = LogisticRegression(C=self.c, max_iter=2000).fit(
            x[inf], [tweets[i].informativeness == INFORMATIVE for i in inf])
        self.typ = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced").fit(
            x[typ], [tweets[i].type for i in typ])
        return self

    def predict(self, tweets: Sequence[Tweet]) -> tuple[list[bool], list[str]]:
        x = self.vec.transform([t.text for t in tweets])
        return [bool(v) for v in self.inf.predict(x)], [str(v) for v in self.typ.predict(x)]


def choose_c(train: dict[str, list[Tweet]], grid=(0.3, 1.0, 3.0)) -> float:
    """Baseline C by leave-one-event-out inside the training events (mean of both F1s)."""
    best, best_c = -1.0, 1.0
    for c in grid:
        vals = []
        for held in train:
            fit_on = [t for e, ts in train.items() if e != held for t in ts]
            inf, typ = Baseline(c).fit(fit_on).predict(train[held])
            s = scores(train[held], inf, typ)
            vals.append((s["informative_f1"] + s["type_macro_f1"]) / 2)
        mean = sum(vals) / len(vals)
        if mean > best:
            best, best_c = mean, c
    return best_c


def evaluate_vigie(tweets: Sequence[Tweet], predict: Predictor) -> tuple[dict, list]:
    preds = predict([t.text for t in tweets])
    inf = [predicted_informative(c) for c, _ in preds]
    typ = [predicted_type(c) for c, _ in preds]
    return scores(tweets, inf, typ), [(i, t, lang) for i, t, (_, lang) in zip(inf, typ, preds,
                                                                              strict=True)]


def grouped(tweets, inf, typ, keys) -> dict:
    groups: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    return {
        k: scores([tweets[i] for i in idx], [inf[i] for i in idx], [typ[i] for i in idx])
        for k, idx in sorted(groups.items())
    }


def lang_group(lang: str | None) -> str:
    return lang if lang in ("en", "es", "it", "fr") else "other"


def run(train: dict[str, list[Tweet]], test: dict[str, list[Tweet]], *, use_model: bool,
        tune_baseline: bool = True, log=print) -> dict:
    """Fit baseline (and Vigie's model) on `train`, measure both on `test`."""
    from vigie.enrich import model as vmodel

    train_rows = [t for ts in train.values() for t in ts]
    test_rows = [t for ts in test.values() for t in ts]
    result: dict = {"train_events": sorted(train), "test_events": sorted(test),
                    "n_train": len(train_rows), "n_test": len(test_rows)}

    t0 = time.perf_counter()
    c = choose_c(train) if tune_baseline and len(train) > 2 else 1.0
    base = Baseline(c).fit(train_rows)
    b_inf, b_typ = base.predict(test_rows)
    result["baseline"] = {"model": f"tfidf(1-2gram)+logreg C={c}",
                          **scores(test_rows, b_inf, b_typ)}
    log(f"baseline fitted in {time.perf_counter() - t0:.1f}s (C={c})")

    lex_scores, lex_preds = evaluate_vigie(test_rows, vigie_predictor(vmodel.NO_MODEL))
    result["vigie_lexicon_only"] = lex_scores
    main_preds = lex_preds
    if use_model:
        t0 = time.perf_counter()
        from bench.train_model import train as train_model

        mdl = train_model(train_rows)
        log(f"vigie model trained in {time.perf_counter() - t0:.1f}s")
        m_scores, main_preds = evaluate_vigie(test_rows, vigie_predictor(mdl))
        result["vigie"] = m_scores
    else:
        result["vigie"] = lex_scores

    v_inf = [p[0] for p in main_preds]
    v_typ = [p[1] for p in main_preds]
    langs = [lang_group(p[2]) for p in main_preds]
    events = [t.event for t in test_rows]
    result["per_language"] = {
        "vigie": grouped(test_rows, v_inf, v_typ, langs),
        "baseline": grouped(test_rows, b_inf, b_typ, langs),
    }
    result["per_event"] = {
        "vigie": grouped(test_rows, v_inf, v_typ, events),
        "baseline": grouped(test_rows, b_inf, b_typ, events),
    }
    return result


def _strip(d: dict) -> dict:
    return {k: v for k, v in d.items() if k in ("informative_f1", "type_macro_f1")}


def print_table(result: dict, log=print) -> None:
    log(f"train events: {', '.join(result['train_events'])}")
    log(f"test events:  {', '.join(result['test_events'])}  ({result['n_test']} tweets)")
    log(f"{'system':<22}{'informative F1':>16}{'type macro-F1':>16}")
    for name in ("baseline", "vigie_lexicon_only", "vigie"):
        s = result[name]
        log(f"{name:<22}{s['informative_f1']:>16.3f}{s['type_macro_f1']:>16.3f}")
    log("per type F1 (vigie / baseline):")
    for t in TYPES:
        v, b = result["vigie"]["type_f1"][t], result["baseline"]["type_f1"][t]
        log(f"  {t:<30}{v:>8.3f}{b:>8.3f}")
    for key in ("per_language", "per_event"):
        log(f"{key.replace('_', ' ')} (vigie / baseline; n informativeness, n type):")
        for g, s in result[key]["vigie"].items():
            b = result[key]["baseline"][g]
            log(f"  {g:<30} inf {s.get('informative_f1', float('nan')):.3f} / "
                f"{b.get('informative_f1', float('nan')):.3f}   type "
                f"{s.get('type_macro_f1', float('nan')):.3f} / "
                f"{b.get('type_macro_f1', float('nan')):.3f}   "
                f"(n={s['n_informativeness']}, {s['n_type']})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench quality",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="folder of CrisisLexT26 *-tweets_labeled.csv files "
                                   "(default: $VIGIE_LABELLED or ../shared/data/labelled/"
                                   "crisislex_t26 from the repository root)")
    ap.add_argument("--dev", action="store_true",
                    help="leave-one-event-out inside the TRAIN events only (for tuning)")
    ap.add_argument("--no-model", action="store_true", help="lexicon only, no learned model")
    args = ap.parse_args(argv)
    try:
        events = load(args.data)
    except DataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    missing = [e for e in TRAIN_EVENTS + TEST_EVENTS if e not in events]
    if missing:
        print(f"error: events missing from the data folder: {missing}", file=sys.stderr)
        return 2
    log = lambda *a: print(*a, file=sys.stderr)  # noqa: E731  (tables on stderr, JSON on stdout)
    train = {e: events[e] for e in TRAIN_EVENTS}
    if not args.dev:
        result = run(train, {e: events[e] for e in TEST_EVENTS}, use_model=not args.no_model,
                     log=log)
        result["protocol"] = "fixed split: train on TRAIN_EVENTS, measure on TEST_EVENTS"
        print_table(result, log)
        print(json.dumps(result, ensure_ascii=False))
        return 0
    folds = {}
    for held in TRAIN_EVENTS:
        rest = {e: ts for e, ts in train.items() if e != held}
        res = run(rest, {held: train[held]}, use_model=not args.no_model, tune_baseline=False,
                  log=log)
        folds[held] = {k: _strip(res[k]) for k in ("baseline", "vigie_lexicon_only", "vigie")}
        log(held, json.dumps(folds[held]))
    mean = {
        name: {m: round(sum(f[name][m] for f in folds.values()) / len(folds), 4)
               for m in ("informative_f1", "type_macro_f1")}
        for name in ("baseline", "vigie_lexicon_only", "vigie")
    }
    log("dev mean:", json.dumps(mean))
    print(json.dumps({"protocol": "dev: leave-one-event-out inside TRAIN_EVENTS",
                      "mean": mean, "folds": folds}, ensure_ascii=False))
    return 0
