"""Near-duplicates: retweets, copies and light edits join one cluster; different news do not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from vigie.enrich.dedup import (
    BANDS,
    NUM_PERM,
    MemoryClusterIndex,
    assign_cluster,
    band_keys,
    cluster,
    exact_key,
    normalize,
    signature,
    similarity,
)

ROOT = Path(__file__).resolve().parents[1]
RUMOR = (
    "Le barrage de Pont-et-Massène aurait cédé cette nuit selon un pompier, toute la vallée "
    "de l'Armançon serait menacée, partagez avant que ça soit supprimé"
)


class SpyIndex(MemoryClusterIndex):
    """Records what the clustering asks for: keys only, never a scan."""

    def __init__(self):
        super().__init__()
        self.asked: list[list[str]] = []

    def candidates(self, band_keys):
        self.asked.append(list(band_keys))
        return super().candidates(band_keys)


def test_retweet_joins_the_original():
    index = MemoryClusterIndex()
    assert assign_cluster("p1", RUMOR, index) == "p1"
    assert assign_cluster("p2", f"RT @vost21: {RUMOR}", index) == "p1"


def test_copy_with_other_link_hashtags_and_mentions_joins():
    index = MemoryClusterIndex()
    assign_cluster("p1", RUMOR + " https://t.co/AbC123", index)
    copy = f"@pref21 @sdis21 {RUMOR} http://bit.ly/xyz #inondation #CoteDOr"
    res = cluster("p2", copy, index)
    assert res.cluster_id == "p1"
    assert res.similarity >= 0.6


def test_one_word_edit_of_a_long_message_joins():
    index = MemoryClusterIndex()
    assign_cluster("p1", RUMOR, index)
    edited = RUMOR.replace("cette nuit", "ce matin").replace("menacée", "inondée")
    assert len(normalize(RUMOR)) >= 15
    assert assign_cluster("p2", RUMOR.replace("pompier", "gendarme"), index) == "p1"
    assert assign_cluster("p3", edited, index) == "p1"


def test_different_messages_about_the_same_commune_stay_apart():
    index = MemoryClusterIndex()
    a = "Route coupée à Montbard, la D905 est sous l'eau entre la gare et le pont du canal"
    b = "À Montbard, collecte de vêtements et de couvertures pour les sinistrés à la mairie"
    c = "Montbard : le centre d'hébergement de la salle des fêtes est complet, allez à Venarey"
    assert [assign_cluster(f"p{i}", t, index) for i, t in enumerate((a, b, c))] == \
        ["p0", "p1", "p2"]


def test_short_texts_join_only_exact_copies():
    index = MemoryClusterIndex()
    assert assign_cluster("p1", "Help!", index) == "p1"
    assert assign_cluster("p2", "help !!", index) == "p1"
    assert assign_cluster("p3", "Help me", index) == "p3"
    assert signature(normalize("Pray for Dijon")) is None


def test_empty_text_is_its_own_cluster():
    index = MemoryClusterIndex()
    assert assign_cluster("p1", "https://t.co/x @someone", index) == "p1"
    assert assign_cluster("p2", "https://t.co/y", index) == "p2"


def test_candidates_come_from_key_lookups_only():
    index = SpyIndex()
    assign_cluster("p1", RUMOR, index)
    assign_cluster("p2", RUMOR.replace("pompier", "gendarme"), index)
    exact_lookup, band_lookup = index.asked[-2:]
    assert exact_lookup == [exact_key(normalize(RUMOR.replace("pompier", "gendarme")))]
    assert len(band_lookup) == BANDS


def test_exact_copy_reuses_the_signature_and_adds_one_key():
    index = MemoryClusterIndex()
    assign_cluster("p1", RUMOR, index)
    keys_before = len(index._keys)
    res = cluster("p2", "RT @x: " + RUMOR, index)
    assert (res.cluster_id, res.similarity) == ("p1", 1.0)
    assert len(index._keys) == keys_before  # the exact key already existed
    assert index._posts["p2"][1] == index._posts["p1"][1]


def test_signature_is_stable_across_processes():
    """Signatures and keys are stored: another process must compute the same ones."""
    code = (
        "from vigie.enrich.dedup import signature, normalize, band_keys;"
        f"print(band_keys(signature(normalize({RUMOR!r})))[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT,
                         env={"PYTHONHASHSEED": "123", "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == str(band_keys(signature(normalize(RUMOR)))[0])


def test_similarity_estimates_jaccard_of_word_pairs():
    words = [f"w{i}" for i in range(60)]
    half = words[:30] + [f"x{i}" for i in range(30)]
    pairs_a = set(zip(words, words[1:], strict=False))
    pairs_b = set(zip(half, half[1:], strict=False))
    true_j = len(pairs_a & pairs_b) / len(pairs_a | pairs_b)
    est = similarity(signature(words), signature(half))
    assert abs(est - true_j) < 0.15
    sig = signature(words)
    assert sig.dtype == np.dtype("<u4") and sig.size == NUM_PERM
    assert similarity(sig.tobytes(), sig) == 1.0


WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=4, max_size=40),
       st.sampled_from(["RT @abc: ", "", "@x "]), st.sampled_from(["", " https://t.co/q"]))
def test_retweets_and_relinks_always_join(words, prefix, suffix):
    index = MemoryClusterIndex()
    text = " ".join(words)
    assign_cluster("a", text, index)
    assert assign_cluster("b", prefix + text + suffix, index) == "a"
