"""The theme tree: many clusters, few themes.

At 10,000 answers a discovery finds about 100 clusters, more than an analyst merges by hand. The themes are
joined into a tree by the similarity of their centres (the mean clustering vector of their answers, which
holds both the answer's embedding and its lemmas, so keywords count too; with answer length taken out:
theme_centres), as BERTopic's `hierarchical_topics` joins topics by Ward linkage. Here Ward's criterion counts
answers: the two themes whose joining adds least to the answers' spread around their theme's centre join first
(cut_labels). Cut at the number of gold themes, this keeps 0.91 of the merge accuracy the clusters themselves
allow (mean over the demo's questions and the public sets; 0.86 with length left in, which made the demo's
kerneopgave cut to 6 themes a theme of short answers). `make eval` prints the table
(benchmarks/eval.py tree_table). Cutting the tree at k gives k branches; each branch of more than one theme
becomes one theme in one undoable step ("Saml til 12 temaer").

Final (locked) themes are never merged: each stays a branch of its own and counts towards k. The bins
("Ikke placeret", "Ikke et svar") are not themes and are left alone. Answers about the questionnaire itself or
empty of content (text/meta.py) are kept apart: they count in no theme's centre, and a theme made mostly of them
is not merged into a real theme but stays a branch of its own, beside the k (kept_apart), for the analyst to
put in "Ikke et svar". Pure computation on a
`themes.Snapshot`: the store applies the steps.
"""

from __future__ import annotations

import numpy as np

from ..fmt import count, number
from ..text.vectors import unit_rows
from .curation import CurationError, unnamed
from .themes import not_answering

START_THEMES = 30            # a large discovery starts at about this many themes (start_cut)
START_FROM = 60              # ... when it found more clusters than this


def branches(snap, k: int) -> list[list[int]]:
    """The themes grouped into k branches (largest theme first in each, largest branch first)."""
    state = snap.state
    sizes = {t: len(m) for t, m in snap.members().items()}
    locked = [t for t, theme in state.themes.items() if theme.final]
    apart = kept_apart(snap)
    open_ids = [t for t in state.themes if not state.themes[t].final and sizes.get(t, 0) > 0 and t not in apart]
    empty = [t for t in state.themes if not state.themes[t].final and sizes.get(t, 0) == 0]
    k_open = k - len(locked)
    if k < 1 or k_open < 1:
        raise CurationError(f"Der er {count(len(locked), 'endeligt tema', 'endelige temaer')}; "
                            f"vælg mindst {number(len(locked) + 1)} temaer.")
    if k_open >= len(open_ids):
        groups = [[t] for t in open_ids]
    else:
        groups = _cut(snap, open_ids, k_open)
    groups = [sorted(g, key=lambda t: (-sizes.get(t, 0), t)) for g in groups]
    if groups and empty:                      # a theme without answers joins the largest branch
        groups[0].extend(empty)
    groups += [[t] for t in locked + apart]
    return sorted(groups, key=lambda g: (-sum(sizes.get(t, 0) for t in g), g[0]))


def _cut(snap, ids: list[int], k: int) -> list[list[int]]:
    if k == 1:
        return [list(ids)]
    if snap.vectors is None:
        raise CurationError("Projektet har ingen svarvektorer, så temaerne kan ikke samles efter lighed. "
                            "Slå dem sammen ét ad gangen, eller find temaerne igen under Nyt projekt.")
    members = [_content(snap, t) for t in ids]
    words = snap.data.base.table["text"].astype(str).str.split().str.len().to_numpy()
    labels = cut_labels(theme_centres(snap.vectors, members, words), np.array([len(m) for m in members]), k)
    groups: dict[int, list[int]] = {}
    for t, label in zip(ids, labels):
        groups.setdefault(int(label), []).append(t)
    return list(groups.values())


def theme_centres(vectors: np.ndarray, members: list, words: np.ndarray) -> np.ndarray:
    """Each theme's direction of meaning: the mean clustering vector of its answers without the part that their
    length predicts, at unit length. e5 vectors hold an answer's length (a linear fit recovers the log word count
    with R² 0.7-0.9), so the centres of themes of short answers lay together whatever they said. Each dimension's
    least-squares fit on log word count (over the answers cut) is subtracted, so no direction of the centres
    follows length; what is left of a centre's norm says how alike its answers are, not what they say.
    `members`: each theme's answer rows; `words`: each answer's number of words."""
    length = np.log(np.maximum(np.asarray(words, dtype=np.float64), 1))
    rows = np.concatenate(members)
    mean = length[rows].mean()
    spread = length[rows] - mean
    slope = vectors[rows].T @ spread / max(spread @ spread, 1e-12)
    return unit_rows(np.vstack([vectors[m].mean(axis=0) - (length[m].mean() - mean) * slope for m in members]))


def cut_labels(centres: np.ndarray, sizes: np.ndarray, k: int) -> np.ndarray:
    """The branch (0..k-1) of each theme when themes are joined, two at a time, by the smallest increase of
    the answers' sum of squares around their theme's centre (Ward's criterion counted over answers, not
    themes: a small theme joins its neighbour before two large themes join). `centres`: each theme's mean
    clustering vector; `sizes`: its number of answers. O(n² · dims) for n themes: 1,000 themes in seconds."""
    centres = np.asarray(centres, dtype=np.float64).copy()
    sizes = np.asarray(sizes, dtype=np.float64).copy()
    n = len(centres)

    def cost(i: int, others: np.ndarray) -> np.ndarray:
        return sizes[i] * sizes[others] / (sizes[i] + sizes[others]) * ((centres[others] - centres[i]) ** 2).sum(axis=1)
    costs = np.full((n, n), np.inf)
    for i in range(n - 1):
        costs[i, i + 1:] = cost(i, np.arange(i + 1, n))
    costs = np.minimum(costs, costs.T)
    alive = np.ones(n, dtype=bool)
    branch = np.arange(n)
    for _ in range(max(n - k, 0)):
        i, j = np.unravel_index(np.argmin(costs), costs.shape)
        i, j = min(i, j), max(i, j)
        centres[i] = (sizes[i] * centres[i] + sizes[j] * centres[j]) / (sizes[i] + sizes[j])
        sizes[i] += sizes[j]
        branch[branch == j] = i
        alive[j] = False
        costs[j, :] = costs[:, j] = np.inf
        others = np.flatnonzero(alive & (np.arange(n) != i))
        costs[i, others] = costs[others, i] = cost(i, others)
    return np.unique(branch, return_inverse=True)[1]


def cut_steps(snap, k: int) -> list[tuple[str, dict]]:
    """The merges that bring the project down to k themes. A branch takes the name of
    its largest theme the analyst has named, else of its largest theme (curation.unnamed: a suggested name is not
    yet the analyst's; review.names.names_after suggests one for the whole branch)."""
    n_themes = len(snap.state.themes) - len(kept_apart(snap))
    if n_themes <= k:
        raise CurationError(f"Der er allerede {number(n_themes)} temaer; vælg færre end {number(n_themes)}.")
    steps = []
    for group in branches(snap, k):
        if len(group) < 2:
            continue
        themes = [snap.state.themes[t] for t in group]
        named = [t.name for t in themes if not unnamed(t)]        # a suggested name is no name chosen yet
        steps.append(("merge", {"theme_ids": group, "name": named[0] if named else themes[0].name}))
    return steps


def kept_apart(snap) -> list[int]:
    """The open themes at least half of whose answers are about the questionnaire or empty of content: the cut
    merges them into no real theme."""
    found = not_answering(snap)
    return [t for t, m in snap.members().items()
            if m and not snap.state.themes[t].final and 2 * sum(a in found for a in m) >= len(m)]


def _content(snap, theme: int) -> list[int]:
    """A theme's answers without those about the questionnaire or empty of content (all if it has no other)."""
    found = not_answering(snap)
    members = snap.state.members(theme)
    return [a for a in members if a not in found] or members


def start_cut(snap) -> int | None:
    """The number of themes a fresh discovery should start at: START_THEMES when it found more than
    START_FROM clusters (the fine clusters stay beneath, one undo away), else None (as found)."""
    return START_THEMES if len(snap.state.themes) > START_FROM else None

