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


def class_idf(total: np.ndarray, avg: float) -> np.ndarray:
    """BERTopic's class idf of each lemma: log(1 + A / f), f the lemma's count in the answers of every theme, A the
    average number of lemmas per theme."""
    return np.log(1 + avg / np.maximum(total, 1))


def class_keywords(tf: np.ndarray, words: np.ndarray, n: int = 8, idf: np.ndarray | None = None) -> list[str]:
    """Per row of `tf` (a theme's lemma counts) its n lemmas of highest class TF-IDF, joined by ", "; ties in
    alphabetical order, so the result does not depend on the order the lemmas were met in. `idf`: class_idf over
    every theme, when `tf` holds only some of them (default: over the rows of `tf`)."""
    if tf.size == 0:
        return ["" for _ in range(len(tf))]
    if idf is None:
        idf = class_idf(tf.sum(axis=0), tf.sum(axis=1).mean())
    weight = tf * idf
    rank = np.empty(len(words), dtype=int)
    rank[np.argsort(words.astype(str), kind="stable")] = np.arange(len(words))
    return [_highest(row, rank, words, n) for row in weight]


def _highest(weight: np.ndarray, rank: np.ndarray, words: np.ndarray, n: int) -> str:
    """The n lemmas of highest positive weight, joined by ", "; ties by `rank` (alphabetical)."""
    hit = np.flatnonzero(weight > 0)
    best = hit[np.lexsort((rank[hit], -weight[hit]))][:n]
    return ", ".join(words[i] for i in best)


def theme_keywords(counts, words: np.ndarray, members: dict[int, list[int]], todo: list[int], n: int = 8) -> list[str]:
    """The keywords (class_keywords) of the themes in `todo` only, the idf taken over every theme of `members`
    (theme -> its answers, rows of `counts`): what class_keywords of all the themes gives those in `todo`, without
    counting the others' lemmas theme by theme. The app recomputes only the themes whose answers changed."""
    if not todo or counts.shape[1] == 0:
        return ["" for _ in todo]
    placed = [a for m in members.values() for a in m]
    total = np.asarray(counts[placed].sum(axis=0)).ravel() if placed else np.zeros(counts.shape[1])
    idf = class_idf(total, total.sum() / max(len(members), 1))
    tf = np.vstack([np.asarray(counts[members[t]].sum(axis=0)).ravel() if members[t] else np.zeros(len(words))
                    for t in todo])
    return class_keywords(tf, words, n, idf)


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
