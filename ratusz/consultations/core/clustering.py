"""Grouping short texts into themes: TF-IDF on diacritics-insensitive, lightly stemmed words
(Polish and English stop words removed), then k-means with k chosen by the silhouette score
among a small range. Deterministic (fixed random_state), offline, no downloaded models.

Polish inflects heavily ("ławka", "ławki", "ławek"); without a stemmer those would be three
unrelated words. Cutting each word to its first STEM_LENGTH letters is a crude but robust
stemmer for short civic texts; the most frequent full form of each stem is what staff see.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans  # type: ignore[import-untyped]  # sklearn has no stubs
from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]  # no stubs
    ENGLISH_STOP_WORDS,
    TfidfVectorizer,
)
from sklearn.metrics import silhouette_score  # type: ignore[import-untyped]  # no stubs

from ratusz.consultations.core.stopwords_pl import POLISH_STOP_WORDS

RANDOM_STATE = 0
STEM_LENGTH = 5
MIN_WORD = 3
K_RANGE = range(2, 9)  # a handful of themes is what staff can read; more is noise
TOP_WORDS = 8
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case without diacritics: "Ławka" and "lawka" are the same word. (ł does not
    decompose in Unicode, so it is mapped by hand.)"""
    text = text.lower().replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


STOP_WORDS = frozenset(fold(word) for word in POLISH_STOP_WORDS | ENGLISH_STOP_WORDS)


def words(text: str) -> list[str]:
    """The meaningful words of a text, folded, stop words and very short words removed."""
    return [
        word
        for word in (fold(w) for w in WORD.findall(text))
        if len(word) >= MIN_WORD and word not in STOP_WORDS
    ]


def stem(word: str) -> str:
    return word[:STEM_LENGTH]


@dataclass(frozen=True)
class Cluster:
    members: list[int]  # indexes into the texts given
    top_words: list[tuple[str, float]]


@dataclass(frozen=True)
class Clustering:
    clusters: list[Cluster]
    k: int
    silhouette: float | None
    unclustered: list[int]  # texts with no meaningful word


def cluster_texts(texts: Sequence[str]) -> Clustering:
    """Group `texts` into themes. Fewer than four usable texts make one theme (there is
    nothing to compare); otherwise k is the one with the best silhouette in K_RANGE."""
    tokens = [[stem(w) for w in words(text)] for text in texts]
    usable = [i for i, doc in enumerate(tokens) if doc]
    unclustered = [i for i, doc in enumerate(tokens) if not doc]
    if not usable:
        return Clustering(clusters=[], k=0, silhouette=None, unclustered=unclustered)
    surface = _surface_forms(texts)
    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, sublinear_tf=True)
    matrix = vectorizer.fit_transform([tokens[i] for i in usable])
    vocabulary = np.array(vectorizer.get_feature_names_out())
    candidates = [k for k in K_RANGE if k < len(usable)]
    if len(usable) < 4 or not candidates:
        labels, best_k, best_score = np.zeros(len(usable), dtype=int), 1, None
        centers = np.asarray(matrix.mean(axis=0))
    else:
        best: tuple[float, int, np.ndarray, np.ndarray] | None = None
        for k in candidates:
            model = KMeans(n_clusters=k, random_state=RANDOM_STATE, n_init=10)
            found = model.fit_predict(matrix)
            if len(set(found)) < 2:
                continue
            score = float(silhouette_score(matrix, found, metric="cosine"))
            if best is None or score > best[0] + 1e-9:
                best = (score, k, found, model.cluster_centers_)
        if best is None:
            labels, best_k, best_score = np.zeros(len(usable), dtype=int), 1, None
            centers = np.asarray(matrix.mean(axis=0))
        else:
            best_score, best_k, labels, centers = best
    clusters = []
    for label in sorted(set(labels.tolist())):
        members = [usable[i] for i, found in enumerate(labels) if found == label]
        center = centers[label] if centers.ndim > 1 else centers
        order = np.argsort(-center)[:TOP_WORDS]
        top = [
            (surface.get(str(vocabulary[i]), str(vocabulary[i])), round(float(center[i]), 4))
            for i in order
            if center[i] > 0
        ]
        clusters.append(Cluster(members=members, top_words=top))
    # Biggest theme first; ties by their first member, so the order is stable.
    clusters.sort(key=lambda c: (-len(c.members), c.members[0]))
    return Clustering(clusters=clusters, k=best_k, silhouette=best_score, unclustered=unclustered)


def _surface_forms(texts: Sequence[str]) -> dict[str, str]:
    """For each stem, the full word (as written, lower-case) it most often stands for."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for written in WORD.findall(text):
            word = fold(written)
            if len(word) >= MIN_WORD and word not in STOP_WORDS:
                forms[stem(word)][written.lower()] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in forms.items()}
