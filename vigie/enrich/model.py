"""A small learned model that re-ranks the lexicon's categories (DESIGN: "a learned model may
rank or re-label, but the lexicon result and the reason stay visible").

Two logistic regressions over hashed features of the post: one says whether the post is
informative, one which CrisisLex information type it carries. Features are the post's words
and word pairs, and, above all, the lexicon's own verdicts ("lex:casualties:strong"): those
carry over to French, which no training event contains. Weights live in
`model/crisis_lr.npz` (trained by `python -m bench train-model` on the training events of
`bench/quality.py` only; see `model/PROVENANCE.md`). Without that file Vigie runs on the lexicon
alone. Inference is a sum of a few dozen weight rows: microseconds per post, numpy only.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from vigie.enrich.categories import STRONG, THRESHOLD
from vigie.enrich.text import Tokens

MODEL_DIR = Path(__file__).parent / "model"
DEFAULT_PATH = MODEL_DIR / "crisis_lr.npz"
DIM_BITS = 18
DIM = 1 << DIM_BITS

# CrisisLex information types, in the order of the type head's outputs.
TYPES = (
    "Affected individuals",
    "Infrastructure and utilities",
    "Donations and volunteering",
    "Caution and advice",
    "Sympathy and support",
    "Other Useful Information",
)
# Vigie labels per type; the first is the default when the lexicon names none of them.
TYPE_LABELS = {
    "Affected individuals": ("casualties", "help_request", "missing_or_found",
                             "evacuation_shelter"),
    "Infrastructure and utilities": ("infrastructure", "roads_traffic"),
    "Donations and volunteering": ("solidarity",),
    "Caution and advice": ("caution_advice",),
    "Sympathy and support": ("sympathy",),
    "Other Useful Information": ("other_relevant",),
}
SYMPATHY = TYPES.index("Sympathy and support")
OTHER = "Other Useful Information"

# Lexicon labels that always stay, whatever the model says: a call for help or a missing
# person must never be hidden by a statistical guess (DESIGN S4). A tuple, in the order of
# categories.LABELS: on equal scores they keep this order (a set's order changes from one
# process to the next).
ALWAYS_KEEP = ("help_request", "missing_or_found")


def features(tokens: Tokens, lex: dict[str, float], lang: str | None) -> list[str]:
    """The model's features; shared by training and inference so they cannot drift apart."""
    stems = [s for s in tokens.stem if not s.isdigit()]
    feats = ["bias", f"lang:{lang or 'none'}"]
    feats += ["w:" + s for s in stems]
    feats += [f"b:{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]
    for label, score in lex.items():
        feats.append(f"lex:{label}:{'strong' if score >= STRONG else 'weak'}")
        feats.append(f"lex:{label}")
    if not lex:
        feats.append("lex:none")
    n = len(tokens.norm)
    feats.append(f"len:{min(n // 5, 6)}")
    if any(tokens.hashtag):
        feats.append("has:hashtag")
    if tokens.exclamations:
        feats.append("has:exclamation")
    if any(s.isdigit() for s in tokens.stem):
        feats.append("has:number")
    return feats


_IDS: dict[str, int] = {}
_IDS_MAX = 500_000  # memo of feature -> row; cleared when full (words are Zipfian)


def hashed(feats: Sequence[str]) -> list[int]:
    """Feature strings -> weight rows (CRC-32 modulo DIM, stable across processes)."""
    ids = _IDS
    if len(ids) > _IDS_MAX:
        ids.clear()
    out = []
    for f in feats:
        i = ids.get(f)
        if i is None:
            i = ids[f] = zlib.crc32(f.encode()) & (DIM - 1)
        out.append(i)
    return out


@dataclass
class Prediction:
    informative: float  # probability
    types: list[tuple[str, float]]  # CrisisLex types, most probable first


class Model:
    """Weights of both heads, as dense rows indexed by feature hash."""

    def __init__(self, rows: np.ndarray, weights: np.ndarray, intercepts: np.ndarray,
                 threshold: float = 0.5):
        # Column 0: informativeness logit; columns 1..6: type logits.
        self.w = np.zeros((DIM, weights.shape[1]), dtype=np.float32)
        self.w[rows] = weights.astype(np.float32)
        self.b = intercepts.astype(np.float32)
        self.threshold = threshold

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> Model:
        with np.load(path) as z:
            return cls(z["rows"], z["weights"], z["intercepts"], float(z["threshold"]))

    def save(self, path: Path) -> None:
        rows = np.flatnonzero(np.any(self.w != 0, axis=1)).astype(np.int32)
        np.savez_compressed(path, rows=rows, weights=self.w[rows].astype(np.float16),
                            intercepts=self.b, threshold=np.float32(self.threshold))

    def predict(self, feature_ids: list[int]) -> Prediction:
        z = (self.w[feature_ids].sum(axis=0) + self.b).tolist()
        inf = 1.0 / (1.0 + math.exp(-z[0]))
        top = max(z[1:])
        exps = [math.exp(v - top) for v in z[1:]]
        total = sum(exps)
        types = sorted(zip(TYPES, (e / total for e in exps), strict=True), key=lambda tp: -tp[1])
        return Prediction(inf, types)


class _NoModel:
    """Sentinel: run on the lexicon alone (bench, tests)."""

    def __repr__(self) -> str:
        return "NO_MODEL"


NO_MODEL = _NoModel()


@cache
def default_model() -> Model | None:
    """The shipped model, or None when its file is absent."""
    return Model.load() if DEFAULT_PATH.exists() else None


def relabel(
    pred: Prediction,
    threshold: float,
    lex: dict[str, float],
    reasons: dict[str, list[str]],
) -> tuple[list[str], dict[str, list[str]], dict[str, float]]:
    """Combine the model's verdict with the lexicon's into ranked categories and reasons."""
    labels: list[str] = []
    out_reasons: dict[str, list[str]] = {}
    out_scores: dict[str, float] = {}

    def add(label: str, score: float, why: list[str]) -> None:
        if label not in out_scores:
            labels.append(label)
            out_scores[label] = round(score, 3)
            out_reasons[label] = why

    kept = [lab for lab in ALWAYS_KEEP if lex.get(lab, 0.0) >= STRONG]
    for lab in sorted(kept, key=lambda lb: -lex[lb]):
        add(lab, lex[lab], reasons.get(lab, []))
    lexicon_ranked = sorted(
        (lab for lab, s in lex.items() if s >= THRESHOLD), key=lambda lb: -lex[lb]
    )
    if pred.informative >= threshold:
        informative_types = [(t, p) for t, p in pred.types if t != TYPES[SYMPATHY]]
        top_type, top_p = informative_types[0]
        score = pred.informative * top_p
        specific = [lab for lab in lexicon_ranked if lab not in ("other_relevant", "sympathy")]
        if top_type == OTHER and specific:
            # "Other" is the model's fallback too: when the lexicon names something specific
            # (a road number, "coupée", "évacués"), its labels lead.
            for lab in specific:
                add(lab, lex[lab], reasons.get(lab, []))
            if "sympathy" in lexicon_ranked:
                add("sympathy", lex["sympathy"], reasons.get("sympathy", []))
            return labels, out_reasons, out_scores
        candidates = TYPE_LABELS[top_type]
        named = sorted((lab for lab in candidates if lex.get(lab, 0.0) > 0),
                       key=lambda lb: -lex[lb])
        for lab in named or candidates[:1]:
            add(lab, max(score, lex.get(lab, 0.0)),
                reasons.get(lab, []) + [f"modèle {score:.2f}"])
        for lab in lexicon_ranked:
            if lab != "sympathy":
                add(lab, lex[lab], reasons.get(lab, []))
        if "sympathy" in lexicon_ranked:
            add("sympathy", lex["sympathy"], reasons.get("sympathy", []))
    else:
        sym_p = dict(pred.types)[TYPES[SYMPATHY]]
        top_type = pred.types[0][0]
        if top_type == TYPES[SYMPATHY] or lex.get("sympathy", 0.0) >= THRESHOLD:
            add("sympathy", max(sym_p, lex.get("sympathy", 0.0)),
                reasons.get("sympathy", []) + [f"modèle {sym_p:.2f}"])
        if not labels:
            add("not_relevant", 1.0 - pred.informative,
                [f"modèle {1.0 - pred.informative:.2f}"])
    return labels, out_reasons, out_scores
