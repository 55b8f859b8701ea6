"""Learning from the analyst: a placement model trained on the curation, whose out-of-fold probabilities feed
the review queue ("Gennemse", review.queue), the estimate of how good the coding is (review.quality) and the
app's per-version cache of models (review.reviewer).

The placement model is a ridge regression (or logistic) over the answer's clustering vector (its embedding
beside the SVD of its lemmas' character n-grams), trained on the project's current placements, with the answers the analyst has reviewed
(confirmed or moved) weighted up. Every probability is out of fold: the answers are split into folds by
their id, and an answer is scored by the model trained on the other folds, so it is never scored by a
model that saw its own label. The queue puts first the answers whose current theme the model believes
least; the estimate counts the reviewed answers as right and adds the model's probability that each
unreviewed answer's theme is right.

Pure computation on a `themes.Snapshot` (no gradio, no file writes): the app and the CLI render it, and
confirming or moving is an ordinary audited curation action (`curation.confirm`, `curation.move`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..project.curation import NOT_AN_ANSWER
from ..text.vectors import unit_rows
from .trust import CURRENT_B, TRUST_B, current_shift, project_shift


@dataclass(frozen=True)
class ReviewSettings:
    folds: int = 5
    reviewed_weight: float = 5.0        # a reviewed answer counts this many times in training
    C: float = 10.0                     # inverse regularisation of the logistic regression
    lexical_weight: float = 0.0         # weight of a lemma TF-IDF beside the clustering vector. 1.0 until session 5:
    # without it andre_kompetencer@30 % went 0.817 -> 0.858, kerneopgave@20 % 0.938 -> 0.945, the public sets
    # within 0.01 (`python -m benchmarks.review_eval`), and the features' ceiling (--ceiling) rose on 4 of 5 sets
    second_share: float = 0.3           # P(another theme) from which that theme is suggested as a second theme
    balanced: bool = False              # weight the themes inversely to their size
    model: str = "ridge"                # "ridge" (closed form, fast at 10,000 answers) or "logistic"
    ridge_alpha: float = 1.0
    lexical_dims: int = 100             # the lemma TF-IDF reduced to this many dimensions for "ridge"
    random_state: int = 42


@dataclass(frozen=True)
class Placement:
    """The model's out-of-fold probabilities at one project version."""

    version: int
    classes: np.ndarray                 # theme ids (NOT_AN_ANSWER included when the bin has answers)
    proba: np.ndarray                   # answers × classes; every answer (unplaced ones by all folds' models)
    contentless: np.ndarray = field(default=None)     # answers without a single content word
    temperature: float = 1.0            # calibrates `proba` for the estimate (review.temperature)
    trust_shift: float = TRUST_B        # the project's intercept of the confidence shown (review.trust.trusted)
    current_shift: float = CURRENT_B    # ... and of the current theme's (review.trust.current_shift)

    @cached_property
    def log_norm(self) -> np.ndarray:
        """Per answer, the log of the sum over themes of its calibrated scores (`calibrated`'s normaliser): once
        per model, so the estimate at each version costs a lookup (0.1 s at 100,000 answers before)."""
        z = np.log(np.clip(self.proba, 1e-9, 1.0)) / self.temperature
        top = z.max(axis=1)
        return top + np.log(np.exp(z - top[:, None]).sum(axis=1))

    def calibrated_at(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """calibrated(proba, temperature)[rows, columns] without the whole matrix."""
        return np.exp(np.log(np.clip(self.proba[rows, columns], 1e-9, 1.0)) / self.temperature - self.log_norm[rows])

    def p(self, answer: int, theme_id, calibrate: bool = False) -> float:
        hits = np.flatnonzero(self.classes == theme_id) if theme_id is not None else []
        if not len(hits):
            return 0.0
        row = calibrated(self.proba[answer:answer + 1], self.temperature)[0] if calibrate else self.proba[answer]
        return float(row[hits[0]])


# -- features and the out-of-fold model ---------------------------------------------------------

def lexical_features(counts):
    """Sublinear TF-IDF of the lemma counts (answers × lemmas, sparse), rows of length 1."""
    from sklearn.feature_extraction.text import TfidfTransformer

    return TfidfTransformer(sublinear_tf=True).fit_transform(counts)


class NoFeatures(ValueError):
    """A project without vectors or (with the lexical weight on) lemmas: no placement model can be fitted on it."""


def feature_matrix(vectors: np.ndarray | None, counts, settings: ReviewSettings = ReviewSettings()):
    """The clustering vectors beside the weighted lemma TF-IDF (sparse)."""
    from scipy import sparse

    parts = []
    if vectors is not None:
        parts.append(sparse.csr_matrix(vectors))
    if counts is not None and counts.shape[1] and settings.lexical_weight > 0:
        lexical = lexical_features(counts)
        if settings.model == "ridge":
            lexical = sparse.csr_matrix(_reduced(lexical, settings))
        parts.append(settings.lexical_weight * lexical)
    if not parts:
        raise NoFeatures("no features")
    X = sparse.hstack(parts).tocsr()
    return X.toarray() if settings.model == "ridge" else X


def _reduced(matrix, settings: ReviewSettings) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD

    dims = min(settings.lexical_dims, matrix.shape[1] - 1, matrix.shape[0] - 1)
    if dims < 2:
        return matrix.toarray()
    return unit_rows(TruncatedSVD(dims, random_state=settings.random_state).fit_transform(matrix))


def folds_of(n: int, k: int, random_state: int = 42) -> np.ndarray:
    """Each answer's fold (0..k-1), fixed per number of answers: the same answer is in the same fold at every
    version, so a click changes little of each fold's training set."""
    return np.random.default_rng(random_state).permutation(n) % k


def _model(settings: ReviewSettings, previous=None, seen=None):
    """A logistic regression; started from `previous` (the same fold's model at an earlier version, when it
    knew the same themes), so a retraining after a click takes a few iterations (incremental)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=settings.C, max_iter=300, tol=1e-3,
                               class_weight="balanced" if settings.balanced else None)
    if previous is not None and seen is not None and np.array_equal(previous.classes_, seen):
        model.set_params(warm_start=True)
        model.coef_, model.intercept_ = previous.coef_.copy(), previous.intercept_.copy()
    return model


def out_of_fold(X, labels: np.ndarray, weights: np.ndarray, settings: ReviewSettings = ReviewSettings(),
                classes: np.ndarray | None = None, models: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(classes, answers × classes probabilities): a labelled answer (label not None/NaN) is scored by the model
    trained on the other folds; an unlabelled one by the mean of all folds' models. `labels` as floats (NaN:
    unlabelled). A class absent from a fold's training set gets probability 0 from that fold. `models`: a dict
    kept between calls (fold -> model) to start each fold from its previous fit."""
    labelled = ~np.isnan(labels)
    classes = np.unique(labels[labelled]) if classes is None else np.asarray(classes)
    proba = np.zeros((len(labels), len(classes)))
    if len(classes) == 0:
        return classes, proba
    fold = folds_of(len(labels), settings.folds, settings.random_state)
    column = {c: i for i, c in enumerate(classes)}
    if settings.model == "ridge":
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1 if len(labels) < 3000 else None):     # small solves: threads only add waiting
            return classes, _ridge_out_of_fold(np.asarray(X), labels, weights, settings, classes, fold)
    for f in range(settings.folds):
        train = labelled & (fold != f)
        score = (fold == f) | ~labelled
        if not score.any():
            continue
        seen = np.unique(labels[train])
        if len(seen) == 0:
            continue
        cols = [column[c] for c in seen]
        if len(seen) == 1:
            part = np.ones((int(score.sum()), 1))
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = _model(settings, (models or {}).get(f), seen)
                model.fit(X[train], labels[train], sample_weight=weights[train])
            if models is not None:
                models[f] = model
            part = model.predict_proba(X[score])
        rows = np.flatnonzero(score)
        share = np.where(labelled[rows], 1.0, 1.0 / settings.folds)[:, None]
        proba[np.ix_(rows, cols)] += share * part
    return classes, proba


def temperature(proba: np.ndarray, labels: np.ndarray, classes: np.ndarray) -> float:
    """The temperature that makes the out-of-fold probabilities most likely for the current labels: a logistic
    regression's probabilities are too flat or too sharp depending on C; this calibrates them.

    Every answer counts once, reviewed or not. Weighted like the fit (reviewed x5), the answers the queue showed
    (the ones the model doubted most) steered it: every *Rigtigt* on such an answer made the model look
    overconfident, so the estimate fell as the analyst confirmed answers (62 -> 53 % after 24 of them on the
    demo discovery), and its largest gap in the simulated reading was 0.088 / 0.071 on kerneopgave / SIB-200
    against 0.044 / 0.026 now (docs/MEASUREMENTS.md, session 7)."""
    from scipy.optimize import minimize_scalar

    column = {c: i for i, c in enumerate(classes)}
    rows = np.flatnonzero(~np.isnan(labels))
    if len(rows) < 10 or len(classes) < 2:
        return 1.0
    cols = np.array([column[c] for c in labels[rows]])
    logp = np.log(np.clip(proba[rows], 1e-9, 1.0))
    w = np.full(len(rows), 1.0 / len(rows))

    def loss(t):
        z = logp / t
        z = z - z.max(axis=1, keepdims=True)
        return -float((w * (z[np.arange(len(rows)), cols] - np.log(np.exp(z).sum(axis=1)))).sum())
    return float(minimize_scalar(loss, bounds=(0.1, 10.0), method="bounded").x)


def calibrated(proba: np.ndarray, t: float) -> np.ndarray:
    z = np.log(np.clip(proba, 1e-9, 1.0)) / t
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def _ridge_out_of_fold(X, labels, weights, settings, classes, fold) -> np.ndarray:
    """Out-of-fold ridge regression on the one-hot themes, its scores turned into probabilities by a softmax
    (scaled afterwards by `temperature`). The Gram matrix is computed once and each fold's part subtracted."""
    labelled = ~np.isnan(labels)
    Xb = np.hstack([X, np.ones((len(X), 1))])
    column = {c: i for i, c in enumerate(classes)}
    Y = np.zeros((len(labels), len(classes)))
    rows = np.flatnonzero(labelled)
    Y[rows, [column[c] for c in labels[rows]]] = 1.0
    w = np.where(labelled, weights, 0.0)[:, None]
    gram, cross = Xb.T @ (w * Xb), Xb.T @ (w * Y)
    ridge = settings.ridge_alpha * np.eye(Xb.shape[1])
    ridge[-1, -1] = 1e-6
    scores = np.zeros_like(Y)
    for f in range(settings.folds):
        part = fold == f
        g = gram - Xb[part].T @ (w[part] * Xb[part])
        c = cross - Xb[part].T @ (w[part] * Y[part])
        B = np.linalg.solve(g + ridge, c)
        scores[part] = Xb[part] @ B
        missing = c.sum(axis=0) == 0                          # a theme no answer of the other folds has
        scores[np.ix_(part, missing)] = -np.inf
    z = scores / 0.1
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Labels:
    """What a fit needs of one project version besides the features (small: sent to the training process)."""

    version: int
    labels: np.ndarray                  # each answer's theme id as a float (NaN: unplaced)
    weights: np.ndarray                 # reviewed answers weighted up
    classes: np.ndarray                 # the open themes (and the bin when it has answers)
    contentless: np.ndarray             # answers without a single content word
    trust_shift: float = TRUST_B        # review.trust.project_shift of the version
    current_shift: float = CURRENT_B    # review.trust.current_shift of the version


def labels_of(snap, settings: ReviewSettings = ReviewSettings()) -> Labels:
    """The labels, weights and classes of the project as shown in `snap` (themes.Snapshot)."""
    state = snap.state
    n = len(snap.texts.shown)
    labels = np.array([np.nan if state.primary[a] is None else float(state.primary[a]) for a in range(n)])
    classes = np.array(sorted(set(state.themes) | ({NOT_AN_ANSWER} if NOT_AN_ANSWER in set(labels) else set())), float)
    weights = np.where([a in state.reviewed for a in range(n)], settings.reviewed_weight, 1.0)
    contentless = np.asarray(snap.texts.counts.sum(axis=1)).ravel() == 0
    return Labels(snap.version, labels, weights, classes, contentless, project_shift(snap.meta, state),
                  current_shift(snap.meta, state))


def fitted(X, known: Labels, settings: ReviewSettings = ReviewSettings(), models: dict | None = None) -> Placement:
    """The out-of-fold probabilities of `known` over the features `X`, calibrated (`models`: see out_of_fold)."""
    classes, proba = out_of_fold(X, known.labels, known.weights, settings, known.classes, models)
    t = temperature(proba, known.labels, classes)
    return Placement(known.version, classes.astype(int), proba, known.contentless, t, known.trust_shift,
                     known.current_shift)


def placement(snap, settings: ReviewSettings = ReviewSettings(), X=None, models: dict | None = None) -> Placement:
    """The placement model's out-of-fold probabilities for the project as shown in `snap` (themes.Snapshot).
    `X`: the feature matrix when already built (it depends only on the file, not the version); `models`: the
    fold models of an earlier version, to start from (out_of_fold)."""
    if X is None:
        X = feature_matrix(snap.vectors, snap.texts.counts, settings)
    return fitted(X, labels_of(snap, settings), settings, models)
