"""Follow-up wave: place new answers in last wave's curated themes and flag what is new (waves.applying runs
it on a survey, waves.comparing compares the waves).

The baseline's curated themes live in the saved model's feature space (centred embeddings + lemma
TF-IDF, features.py) as the baseline answers that belong to each theme: the clusters behind it, minus
answers moved out by hand, plus answers moved in. A new answer's score for a theme is its mean cosine
to the theme's `theme_neighbours` most similar baseline answers; it gets the best-scoring theme.

An answer is flagged new (a candidate for a new theme) when either
- its best score is lower than that of `percentile` % of the baseline answers themselves (each scored
  against the other baseline answers), or
- its neighbourhood belongs to the new wave: among its `neighbours` nearest answers of both waves,
  the follow-up's share is at least `novelty` of the way from what chance gives to all of them.
The second rule finds answers about a topic many respondents raise now and nobody raised before,
which a fixed similarity threshold misses. An answer (nearly) identical to a baseline answer takes that
answer's theme, so an answer the analyst placed by hand stays placed. Defaults measured with `make eval`
(docs/MEASUREMENTS.md).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..discovery.topics import SavedModel
from ..errors import ModelError
from ..project.curation import NOT_AN_ANSWER, UNPLACED
from ..project.data import answer_base, respondents_per_theme
from ..project.store import Project
from ..survey.reading import respondent_ids

CHUNK = 2000                       # rows of a similarity matrix computed at once


@dataclass(frozen=True)
class WaveSettings:
    theme_neighbours: int = 5      # a theme's score: mean cosine to its most similar baseline answers
    percentile: float = 10.0       # new when scoring below this percentile of the baseline's own scores
    neighbours: int = 10           # neighbourhood (both waves) of the novelty rule
    novelty: float = 0.6           # new when the follow-up's excess share of that neighbourhood reaches this
    duplicate: float = 0.95        # an answer this similar to one baseline answer takes that answer's theme


@dataclass
class ThemeIndex:
    """The baseline's curated themes as sets of answer vectors in the saved model's feature space."""

    names: list[str]
    vectors: np.ndarray            # every baseline answer
    labels: np.ndarray             # its theme (index into names), -1 for an answer in no theme
    counts: dict[str, int]         # baseline respondents per theme (primary or second theme)
    n_answers: int                 # the baseline's answers that say something (projectdata.answer_base)
    descriptions: dict[str, str] = field(default_factory=dict)     # the curated description per theme name
    finals: dict[str, bool] = field(default_factory=dict)

    def scores(self, features: np.ndarray, k: int, leave_out_self: bool = False) -> np.ndarray:
        """(answers × themes): mean cosine to the theme's k most similar members. `leave_out_self`:
        `features` are the index's own vectors, each scored without itself."""
        out = np.full((len(features), len(self.names)), -1.0)
        for start in range(0, len(features), CHUNK):
            sims = features[start:start + CHUNK] @ self.vectors.T
            if leave_out_self:
                rows = np.arange(len(sims))
                sims[rows, start + rows] = np.nan
            for j in range(len(self.names)):
                cols = sims[:, self.labels == j]
                if cols.shape[1]:
                    kk = min(k, cols.shape[1])
                    top = -np.partition(-np.nan_to_num(cols, nan=-np.inf), kk - 1, axis=1)[:, :kk]
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        out[start:start + CHUNK, j] = np.nanmean(np.where(np.isfinite(top), top, np.nan), axis=1)
        return np.nan_to_num(out, nan=-1.0)

    def baseline(self, theme_ids: dict[str, int] | None = None) -> dict:
        """What a follow-up project keeps of its baseline (as JSON in its meta)."""
        return {"n": self.n_answers, "themes": [{"name": n, "count": self.counts.get(n, 0),
                                                  "theme_id": (theme_ids or {}).get(n)} for n in self.names]}


def index_from_codebook(model: SavedModel, codebook) -> ThemeIndex:
    """The codebook's themes over the answers saved with the model: each answer in the theme the codebook
    names it under (a version 1 codebook: by its cluster, then the hand placements)."""
    if model.answer_features is None:
        raise ModelError("Modellen er gemt af en ældre textmine uden svarenes vektorer. Kør `textmine discover` "
                         "igen og kuratér med den nye kodebog.")
    if codebook.question != model.question:
        raise ModelError(f"Kodebogen er til spørgsmålet '{codebook.question}', modellen til '{model.question}'.")
    names = [t.name for t in codebook.themes]
    owner = {} if codebook.exact else {c: j for j, t in enumerate(codebook.themes) for c in t.clusters}
    by_hand = {str(r): j for j, t in enumerate(codebook.themes) for r in t.answers}
    respondents = respondent_ids(model.respondent_ids).tolist()
    labels = np.array([by_hand.get(r, owner.get(int(c), -1)) for r, c in zip(respondents, model.answer_clusters)],
                      dtype=int)
    second = {str(r): j for j, t in enumerate(codebook.themes) for r in t.second}
    table = pd.DataFrame({"respondent_id": respondents, "theme_id": pd.array(np.where(labels >= 0, labels, UNPLACED)),
                          "second_theme_id": pd.array([second.get(r) for r in respondents], dtype="Int64")})
    empty = table["respondent_id"].isin(set(respondent_ids(codebook.not_an_answer))).to_numpy()
    labels[empty] = -1                                   # *Ikke et svar*: in no theme and not in the base
    table.loc[empty, "theme_id"] = NOT_AN_ANSWER
    per_theme = respondents_per_theme(table)
    index = _index(names, model.answer_features, labels, answer_base(table))
    index.counts = {names[j]: per_theme.get(j, 0) for j in range(len(names))}
    index.descriptions = {t.name: t.description for t in codebook.themes}
    index.finals = {t.name: t.final for t in codebook.themes}
    return index


def index_from_project(project: Project) -> ThemeIndex:
    """A curated project's themes, exactly as placed (primary theme of each answer); counts as everywhere
    (projectdata.respondents_per_theme: primary or second theme)."""
    data = project.read()
    if data.vectors is None:
        raise ModelError(f"Projektet {project.path.name} har ingen svarvektorer; lav det igen med textmine.")
    state, answers = data.state, data.answers
    order = sorted(state.themes)
    position = {t: j for j, t in enumerate(order)}
    labels = np.array([position.get(t, -1) if pd.notna(t) else -1 for t in answers["theme_id"]], dtype=int)
    index = _index([state.themes[t].name for t in order], data.vectors, labels, answer_base(answers))
    per_theme = respondents_per_theme(answers)
    index.counts = {state.themes[t].name: per_theme.get(t, 0) for t in order}
    index.descriptions = {state.themes[t].name: state.themes[t].description for t in order}
    index.finals = {state.themes[t].name: state.themes[t].final for t in order}
    return index


def _index(names, vectors, labels, n_answers) -> ThemeIndex:
    counts = {names[j]: int((labels == j).sum()) for j in range(len(names))}
    return ThemeIndex(list(names), np.asarray(vectors, dtype=np.float64), labels, counts, n_answers)


def place(index: ThemeIndex, features: np.ndarray, settings: WaveSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each new answer: best theme (index), its score, and whether the answer is new."""
    if not index.names or not (index.labels >= 0).any():
        raise ModelError("Kodebogen har ingen temaer med svar; der er intet at placere de nye svar i.")
    scores = index.scores(features, settings.theme_neighbours)
    best, score = scores.argmax(axis=1), scores.max(axis=1)
    placed = index.labels >= 0
    twin = nearest_placed(index, features)
    same = twin[1] >= settings.duplicate
    best, score = np.where(same, twin[0], best), np.where(same, twin[1], score)
    own = ThemeIndex(index.names, index.vectors[placed], index.labels[placed], index.counts, index.n_answers)
    threshold = np.percentile(own.scores(own.vectors, settings.theme_neighbours, leave_out_self=True).max(axis=1),
                              settings.percentile)
    new = (score < threshold) | (novelty(index.vectors, features, settings.neighbours) >= settings.novelty)
    return best, score, new & ~same


def nearest_placed(index: ThemeIndex, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The theme of each answer's most similar baseline answer in a theme, and that similarity."""
    members, labels = index.vectors[index.labels >= 0], index.labels[index.labels >= 0]
    theme, sim = np.zeros(len(features), dtype=int), np.zeros(len(features))
    for start in range(0, len(features), CHUNK):
        sims = features[start:start + CHUNK] @ members.T
        top = sims.argmax(axis=1)
        theme[start:start + CHUNK], sim[start:start + CHUNK] = labels[top], sims[np.arange(len(sims)), top]
    return theme, sim


def novelty(baseline: np.ndarray, features: np.ndarray, k: int) -> np.ndarray:
    """How much an answer's k nearest neighbours (both waves, itself left out) come from the new wave
    beyond chance: 0 = as chance gives, 1 = all of them."""
    nb, nf = len(baseline), len(features)
    if nf < 2:
        return np.zeros(nf)
    both, k = np.vstack([baseline, features]), min(k, nb + nf - 1)
    share = np.empty(nf)
    for start in range(0, nf, CHUNK):
        sims = features[start:start + CHUNK] @ both.T
        rows = np.arange(len(sims))
        sims[rows, nb + start + rows] = -np.inf
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        share[start:start + CHUNK] = (nearest >= nb).mean(axis=1)
    expected = (nf - 1) / (nb + nf - 1)
    return (share - expected) / max(1 - expected, 1e-9)
