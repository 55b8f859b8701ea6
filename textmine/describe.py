"""Describe themes as the analyst curates them: keywords (c-TF-IDF over Danish lemmas), typical
answers (nearest the theme's centre), and the closest themes for an unplaced answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer

from .text import DanishLemmatizer


def keywords(texts: pd.Series, themes: pd.Series, lemmatizer: DanishLemmatizer, n: int = 8) -> dict:
    """theme -> its n most distinctive lemmas (BERTopic's class TF-IDF: tf * log(1 + A / f))."""
    placed = themes.notna()
    if not placed.any():
        return {}
    docs = pd.Series(texts[placed].values).groupby(themes[placed].values).agg(" \n ".join)
    try:
        counts = CountVectorizer(tokenizer=lemmatizer, lowercase=False, token_pattern=None).fit(docs)
    except ValueError:                  # no words at all
        return {t: "" for t in docs.index}
    tf = counts.transform(docs).toarray().astype(float)
    words = counts.get_feature_names_out()
    avg = tf.sum(axis=1).mean()
    weight = tf * np.log(1 + avg / np.maximum(tf.sum(axis=0), 1))
    return {t: ", ".join(words[i] for i in np.argsort(-row, kind="stable")[:n] if row[i] > 0)
            for t, row in zip(docs.index, weight)}


def typical(vectors: np.ndarray | None, members: list[int], texts: pd.Series, n: int = 5) -> list[str]:
    """The n distinct answers of a theme closest to its centre (in order of the members without vectors)."""
    if not members:
        return []
    if vectors is None:
        return list(dict.fromkeys(texts[members]))[:n]
    centre = vectors[members].mean(axis=0)
    order = np.asarray(members)[np.argsort(-(vectors[members] @ centre), kind="stable")]
    return list(dict.fromkeys(texts[order]))[:n]


def closest_themes(vectors: np.ndarray, answer: int, theme_members: dict[int, list[int]], n: int = 3):
    """[(theme, cosine similarity)] of the n themes whose centre is closest to the answer."""
    scores = []
    for theme, members in theme_members.items():
        if members:
            centre = vectors[members].mean(axis=0)
            scores.append((theme, float(vectors[answer] @ centre / (np.linalg.norm(centre) * np.linalg.norm(vectors[answer]) or 1))))
    return sorted(scores, key=lambda ts: -ts[1])[:n]


def split_labels(vectors: np.ndarray, members: list[int], k: int, random_state: int = 42) -> dict[int, int]:
    """Re-cluster a theme's answers into k groups (KMeans on their vectors): answer -> 0..k-1."""
    from sklearn.cluster import KMeans

    k = max(2, min(k, len(members)))
    labels = KMeans(k, n_init=10, random_state=random_state).fit_predict(vectors[members])
    return {int(a): int(g) for a, g in zip(members, labels)}
