"""The theme tree: many clusters, few themes.

At 10,000 answers a discovery finds about 100 clusters, more than an analyst merges by hand. The themes are
joined into a tree by the similarity of their centres (the mean clustering vector of their answers, which
holds both the answer's embedding and its lemmas, so keywords count too), unit length, joined by Ward
linkage, as BERTopic's `hierarchical_topics` does on its topic vectors. Cut at the number of gold themes,
Ward kept 0.83 of the merge accuracy the clusters themselves allow, averaged over the demo's questions and
the public sets; average linkage 0.80, chaining most clusters into one branch on the demo's kerneopgave
(0.38 against 0.47 for Ward). `make eval` prints the table (benchmark_eval.tree_table). Cutting the tree at k gives k
branches; each branch of more than one theme becomes one theme in one undoable step ("Saml til 12 temaer").

Final (locked) themes are never merged: each stays a branch of its own and counts towards k. The bins
("Ikke placeret", "Ikke et svar") are not themes and are left alone. Pure computation on a
`themes.Snapshot`: the store applies the steps.
"""

from __future__ import annotations

import re

import numpy as np

from .curation import CurationError
from .fmt import number

DEFAULT_NAME = re.compile(r"^Klynge \d+$")
START_THEMES = 30            # a large discovery starts at about this many themes (start_cut)
START_FROM = 60              # ... when it found more clusters than this


def branches(snap, k: int) -> list[list[int]]:
    """The themes grouped into k branches (largest theme first in each, largest branch first)."""
    state = snap.state
    sizes = {t: len(m) for t, m in snap.members().items()}
    locked = [t for t, theme in state.themes.items() if theme.final]
    open_ids = [t for t in state.themes if not state.themes[t].final and sizes.get(t, 0) > 0]
    empty = [t for t in state.themes if not state.themes[t].final and sizes.get(t, 0) == 0]
    k_open = k - len(locked)
    if k < 1 or k_open < 1:
        raise CurationError(f"Der er {number(len(locked))} endelige temaer; vælg mindst {number(len(locked) + 1)} temaer.")
    if k_open >= len(open_ids):
        groups = [[t] for t in open_ids]
    else:
        groups = _cut(snap, open_ids, k_open)
    groups = [sorted(g, key=lambda t: (-sizes.get(t, 0), t)) for g in groups]
    if groups and empty:                      # a theme without answers joins the largest branch
        groups[0].extend(empty)
    groups += [[t] for t in locked]
    return sorted(groups, key=lambda g: (-sum(sizes.get(t, 0) for t in g), g[0]))


def _cut(snap, ids: list[int], k: int) -> list[list[int]]:
    centre_ids, centres = snap.centres
    vectors = centres[[centre_ids.index(t) for t in ids]]
    if k == 1:
        return [list(ids)]
    labels = cut_labels(vectors, k)
    groups: dict[int, list[int]] = {}
    for t, label in zip(ids, labels):
        groups.setdefault(int(label), []).append(t)
    return list(groups.values())


def cut_labels(centres: np.ndarray, k: int) -> np.ndarray:
    """The branch (1..k) of each of the unit-length centres when their Ward tree is cut into k branches."""
    from scipy.cluster.hierarchy import fcluster, linkage

    return fcluster(linkage(centres, method="ward"), k, criterion="maxclust")


def cut_steps(snap, k: int) -> list[tuple[str, dict]]:
    """The merges that bring the project down to k themes. A branch takes the name of
    its largest theme the analyst has named, else of its largest theme."""
    n_themes = len(snap.state.themes)
    if n_themes <= k:
        raise CurationError(f"Der er allerede {number(n_themes)} temaer; vælg færre end {number(n_themes)}.")
    steps = []
    for group in branches(snap, k):
        if len(group) < 2:
            continue
        names = [snap.state.themes[t].name for t in group]
        named = [n for n in names if not DEFAULT_NAME.match(n)]
        steps.append(("merge", {"theme_ids": group, "name": named[0] if named else names[0]}))
    return steps


def start_cut(snap) -> int | None:
    """The number of themes a fresh discovery should start at: START_THEMES when it found more than
    START_FROM clusters (the fine clusters stay beneath, one undo away), else None (as found)."""
    return START_THEMES if len(snap.state.themes) > START_FROM else None

