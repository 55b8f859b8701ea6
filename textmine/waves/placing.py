"""Follow-up wave: place new answers in last wave's curated themes and flag what is new (waves.applying runs
it on a survey, waves.comparing compares the waves).

The baseline's curated themes live in the saved model's feature space (centred embeddings + lemma
TF-IDF, features.py) as the baseline answers that belong to each theme: the clusters behind it, minus
answers moved out by hand, plus answers moved in. A placement model learns them: a ridge regression on
the themes one-hot, as the review queue's (review.model), trained on every baseline answer in a theme with
the answers the analyst reviewed weighted up. A new answer gets the theme the model scores highest.

Its *fit* is the share of the baseline's own answers that the model scores lower (each scored out of fold,
by a model that did not see it): 0.5 is an ordinary baseline answer, near 0 an answer unlike any theme.
Its *novelty* is how much its neighbourhood belongs to the new wave: among its `neighbours` nearest
answers of both waves, the follow-up's share beyond what chance gives (0 = chance, 1 = all of them); it
finds a topic many respondents raise now and nobody raised before. An answer is flagged new (a candidate
for a new theme) when novelty + (1 - fit) reaches `threshold`: either signal alone, when strong, or both
together. An answer (nearly) identical to a baseline answer takes that answer's theme, so an answer the
analyst placed by hand stays placed. Defaults measured with `make eval` (docs/MEASUREMENTS.md, issue 27).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..discovery.topics import SavedModel
from ..errors import ModelError
from ..project.curation import NOT_AN_ANSWER, UNPLACED
from ..project.data import answer_base, respondents_per_theme
from ..project.store import Project
from ..review.model import folds_of
from ..survey.reading import respondent_ids

CHUNK = 2000                       # rows of a similarity matrix computed at once ...
SIMILARITIES = 25_000_000          # ... and at most this many values (100 MB in float32)


@dataclass(frozen=True)
class WaveSettings:
    threshold: float = 1.15        # new when novelty + (1 - fit) reaches this (0-2; lower flags more)
    neighbours: int = 10           # neighbourhood (both waves) of the novelty
    duplicate: float = 0.95        # an answer this similar to one baseline answer takes that answer's theme
    reviewed_weight: float = 5.0   # a reviewed baseline answer counts this many times (as review.model's)
    ridge_alpha: float = 1.0
    folds: int = 5                 # the baseline's own answers are scored out of fold


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
    reviewed: np.ndarray | None = None   # per baseline answer: the analyst reviewed its placement

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
    index.reviewed = np.isin(np.arange(len(labels)), sorted(state.reviewed))
    return index


def _index(names, vectors, labels, n_answers) -> ThemeIndex:
    counts = {names[j]: int((labels == j).sum()) for j in range(len(names))}
    return ThemeIndex(list(names), np.asarray(vectors, dtype=np.float64), labels, counts, n_answers)


def place(index: ThemeIndex, features: np.ndarray, settings: WaveSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each new answer: best theme (index), its fit (0-1, see the module's text; 1 for a repeat of a
    baseline answer), and whether the answer is new."""
    if not index.names or not (index.labels >= 0).any():
        raise ModelError("Kodebogen har ingen temaer med svar; der er intet at placere de nye svar i.")
    placed = index.labels >= 0
    X, themes = index.vectors[placed], np.eye(len(index.names))[index.labels[placed]]
    weights = np.ones(len(X)) if index.reviewed is None else np.where(index.reviewed[placed], settings.reviewed_weight, 1.0)
    gram, cross = _moments(X, themes, weights)
    coef = _solve(gram, cross, settings.ridge_alpha)
    scores = features @ coef[:-1] + coef[-1]
    best = scores.argmax(axis=1)
    own = np.sort(own_scores(X, themes, weights, settings, (gram, cross)))
    fit = np.searchsorted(own, scores.max(axis=1)) / len(own)
    twin = nearest_placed(index, features)
    same = twin[1] >= settings.duplicate
    new = novelty(index.vectors, features, settings.neighbours) + (1 - fit) >= settings.threshold
    return np.where(same, twin[0], best), np.where(same, 1.0, fit), new & ~same


def _moments(X: np.ndarray, targets: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The weighted Gram matrix of [X, 1] and its product with the targets, CHUNK rows at a time (no copy of X)."""
    d = X.shape[1] + 1
    gram, cross = np.zeros((d, d)), np.zeros((d, targets.shape[1]))
    for start in range(0, len(X), CHUNK):
        rows = slice(start, start + CHUNK)
        xb = np.hstack([X[rows], np.ones((len(X[rows]), 1))])
        w = weights[rows, None]
        gram += xb.T @ (w * xb)
        cross += xb.T @ (w * targets[rows])
    return gram, cross


def _solve(gram: np.ndarray, cross: np.ndarray, alpha: float) -> np.ndarray:
    """Ridge coefficients with an unpenalised intercept (their last row)."""
    penalty = alpha * np.eye(len(gram))
    penalty[-1, -1] = 1e-6
    return np.linalg.solve(gram + penalty, cross)


def own_scores(X: np.ndarray, targets: np.ndarray, weights: np.ndarray, settings: WaveSettings,
               moments: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Each baseline answer's best theme score from the model trained without its fold (what a new answer
    like it would get): the whole baseline's `moments` (_moments) less the fold's own."""
    fold = folds_of(len(X), min(settings.folds, len(X)))
    best = np.empty(len(X))
    for f in np.unique(fold):
        part = np.flatnonzero(fold == f)
        if len(part) == len(X):                      # one answer: nothing else to learn from
            coef = _solve(*moments, settings.ridge_alpha)
        else:
            gram, cross = _moments(X[part], targets[part], weights[part])
            coef = _solve(moments[0] - gram, moments[1] - cross, settings.ridge_alpha)
        best[part] = (X[part] @ coef[:-1] + coef[-1]).max(axis=1)
    return best


def _rows_per_chunk(columns: int) -> int:
    """Rows of a similarity matrix computed at once: at most CHUNK, and at most SIMILARITIES values."""
    return max(1, min(CHUNK, SIMILARITIES // max(columns, 1)))


def nearest_placed(index: ThemeIndex, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The theme of each answer's most similar baseline answer in a theme, and that similarity."""
    placed = index.labels >= 0
    members, labels = index.vectors[placed].astype(np.float32), index.labels[placed]
    theme, sim = np.zeros(len(features), dtype=int), np.zeros(len(features))
    step = _rows_per_chunk(len(members))
    for start in range(0, len(features), step):
        sims = features[start:start + step].astype(np.float32) @ members.T
        top = sims.argmax(axis=1)
        theme[start:start + step], sim[start:start + step] = labels[top], sims[np.arange(len(sims)), top]
    return theme, sim


def novelty(baseline: np.ndarray, features: np.ndarray, k: int) -> np.ndarray:
    """How much an answer's k nearest neighbours (both waves, itself left out) come from the new wave
    beyond chance: 0 = as chance gives, 1 = all of them."""
    nb, nf = len(baseline), len(features)
    if nf < 2:
        return np.zeros(nf)
    both, k = np.vstack([baseline, features]).astype(np.float32), min(k, nb + nf - 1)
    share = np.empty(nf)
    step = _rows_per_chunk(len(both))
    for start in range(0, nf, step):
        sims = both[nb + start:nb + start + step] @ both.T
        rows = np.arange(len(sims))
        sims[rows, nb + start + rows] = -np.inf
        np.negative(sims, out=sims)
        nearest = np.argpartition(sims, k - 1, axis=1)[:, :k]
        share[start:start + step] = (nearest >= nb).mean(axis=1)
    expected = (nf - 1) / (nb + nf - 1)
    return (share - expected) / max(1 - expected, 1e-9)
