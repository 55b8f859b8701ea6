"""Names for themes still called "Klynge N": each theme's most distinctive lemma phrase against the other themes."""

from __future__ import annotations

import numpy as np

from ..discovery.keywords import class_keywords, theme_counts
from ..project.curation import DEFAULT_NAME
from ..project.themes import theme_labels
from ..text.lemmas import JOINING, DanishLemmatizer


def suggest_names(snap, only_default: bool = True, words: int = 3) -> dict[int, str]:
    """theme_id -> a suggested Danish name, for the themes still called "Klynge N" (all themes with
    only_default=False): the theme's most distinctive lemma phrase (bigrams and trigrams of consecutive
    content lemmas, then single lemmas, by class TF-IDF against the other themes), capitalised; never a phrase
    the snapshot's masking changes (a listed name: "hanne hansen")."""
    state = snap.state
    ids = sorted(t for t, th in state.themes.items() if (not only_default or DEFAULT_NAME.match(th.name)))
    if not ids:
        return {}
    all_ids = sorted(state.themes)
    labels, position = theme_labels(snap, all_ids), {t: i for i, t in enumerate(all_ids)}
    counts, vocabulary = phrase_counts(snap.texts.shown, DanishLemmatizer(snap.data.stopwords))
    tf = theme_counts(counts, labels, len(all_ids))
    best = class_keywords(tf, vocabulary, n=4)
    names, mask = {}, getattr(snap, "masker", None) or (lambda text: text)
    for t in ids:                                      # a phrase the masking would change is never a name
        phrases = [p for p in best[position[t]].split(", ") if p and mask(p) == p]
        name = _name_from(phrases)
        if name:
            names[t] = name[:1].upper() + name[1:]
    return names


def _name_from(phrases: list[str]) -> str:
    """The best phrase; a single word gets the next phrase that adds another word ("virksomhed og rekruttering")."""
    if not phrases:
        return ""
    first = phrases[0]
    if " " in first:
        return first
    for other in phrases[1:]:
        if first not in other.split() and other[:5] != first[:5]:
            return f"{first} og {other}"
    return first


def phrase_counts(texts, lemmatizer, min_df: int = 2):
    """(answers × phrases counts, the phrases): lemma bigrams and trigrams of words that stand next to each
    other in the answer (or two joined by "og"/"eller"), that occur in at least `min_df` answers, weighted up
    (a phrase names a theme better than a word), and the single lemmas."""
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        words = lemmatizer.spans(str(text))
        grams = {}
        for size, weight in ((1, 1.0), (2, 1.5), (3, 1.5)):
            for j in range(len(words) - size + 1):
                run = words[j:j + size]
                if None in run or run[0] in JOINING or run[-1] in JOINING:
                    continue
                content = [w for w in run if w not in JOINING]
                if len(set(content)) == len(content) and len(content) >= min(size, 2):
                    grams[" ".join(run)] = weight
        for gram, weight in grams.items():
            rows.append(i)
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
            vals.append(weight)
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocabulary)))
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero(df >= min(min_df, max(len(texts), 1)))
    return matrix[:, keep], np.array(list(vocabulary), dtype=object)[keep]
