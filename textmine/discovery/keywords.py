"""Describe themes as the analyst curates them: keywords (c-TF-IDF over Danish lemmas), typical
answers (nearest the theme's centre), and the closest themes for an unplaced answer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..text.lemmas import DanishLemmatizer, keyword_text


def keywords(texts: pd.Series, themes: pd.Series, lemmatizer: DanishLemmatizer, n: int = 8) -> dict:
    """theme -> its n most distinctive lemmas (BERTopic's class TF-IDF: tf * log(1 + A / f))."""
    placed = themes.notna()
    if not placed.any():
        return {}
    counts, words = lemma_counts(pd.Series(texts[placed].values), lemmatizer)
    labels = pd.Series(themes[placed].values)
    order = sorted(labels.unique())
    tf = theme_counts(counts, labels.map({t: i for i, t in enumerate(order)}).to_numpy(), len(order))
    return dict(zip(order, class_keywords(tf, words, n)))


def lemma_counts(texts: pd.Series, lemmatizer: DanishLemmatizer):
    """(answers × lemmas sparse count matrix, the lemmas): each answer lemmatised once."""
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for i, text in enumerate(texts):
        for lemma in lemmatizer(keyword_text(str(text))):
            rows.append(i)
            cols.append(vocabulary.setdefault(lemma, len(vocabulary)))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocabulary)))
    matrix.sum_duplicates()
    return matrix, np.array(list(vocabulary), dtype=object)


def theme_counts(counts, labels: np.ndarray, k: int) -> np.ndarray:
    """(k × lemmas) counts of the answers with each label 0..k-1 (others, e.g. -1, left out)."""
    from scipy import sparse

    keep = (labels >= 0) & (labels < k)
    indicator = sparse.csr_matrix((np.ones(int(keep.sum())), (labels[keep], np.flatnonzero(keep))),
                                  shape=(k, counts.shape[0]))
    return np.asarray((indicator @ counts).todense())


def class_keywords(tf: np.ndarray, words: np.ndarray, n: int = 8) -> list[str]:
    """Per row of `tf` (a theme's lemma counts) its n lemmas of highest class TF-IDF, joined by ", "; ties in
    alphabetical order, so the result does not depend on the order the lemmas were met in."""
    if tf.size == 0:
        return ["" for _ in range(len(tf))]
    avg = tf.sum(axis=1).mean()
    weight = tf * np.log(1 + avg / np.maximum(tf.sum(axis=0), 1))
    alphabetical = np.argsort(words.astype(str), kind="stable")
    weight, words = weight[:, alphabetical], words[alphabetical]
    return [", ".join(words[i] for i in np.argsort(-row, kind="stable")[:n] if row[i] > 0) for row in weight]


def typical(vectors: np.ndarray | None, members, texts, n: int = 5) -> list[str]:
    """The n distinct answers among `members` closest to their centre (most typical first; in the members'
    order when there are no vectors). `texts` is indexed by answer: the one definition of a typical answer,
    for discovery's clusters and for curated themes alike."""
    members = list(members)
    if not members:
        return []
    if vectors is not None:
        rows = vectors[members]
        members = [members[i] for i in np.argsort(-(rows @ rows.mean(axis=0)), kind="stable")]
    found: list[str] = []
    for i in members:                        # the first n distinct texts, without reading the rest
        text = texts[i]
        if text not in found:
            found.append(text)
            if len(found) == n:
                break
    return found


def split_labels(vectors: np.ndarray, members: list[int], k: int, random_state: int = 42) -> dict[int, int]:
    """Re-cluster a theme's answers into k groups (KMeans on their vectors): answer -> 0..k-1."""
    from sklearn.cluster import KMeans

    k = max(2, min(k, len(members)))
    labels = KMeans(k, n_init=10, random_state=random_state).fit_predict(vectors[members])
    return {int(a): int(g) for a, g in zip(members, labels)}
