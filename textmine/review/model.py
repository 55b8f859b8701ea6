"""Learning from the analyst: a placement model trained on the curation, the review queue ("Gennemse"),
an estimate of how good the coding is, and names for themes still called "Klynge N".

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

import math
import threading
import warnings
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..discovery.keywords import class_keywords, theme_counts
from ..fmt import number, percent
from ..project.curation import DEFAULT_NAME, NOT_AN_ANSWER
from ..project.themes import theme_labels
from ..text.lemmas import JOINING, DanishLemmatizer
from ..text.vectors import unit_rows

QUEUE_COLUMNS = ["answer_id", "respondent_id", "theme_id", "suggested_theme_id", "confidence", "kind", "p_current"]
KINDS = {"place": "Placér", "move": "Flyt", "check": "Tjek", "second": "Andet tema", "not_an_answer": "Ikke et svar",
         "sample": "Stikprøve"}


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
        raise ValueError("no features")
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


def placement(snap, settings: ReviewSettings = ReviewSettings(), X=None, models: dict | None = None) -> Placement:
    """The placement model's out-of-fold probabilities for the project as shown in `snap` (themes.Snapshot).
    `X`: the feature matrix when already built (it depends only on the file, not the version); `models`: the
    fold models of an earlier version, to start from (out_of_fold)."""
    state = snap.state
    if X is None:
        X = feature_matrix(snap.vectors, snap.texts.counts, settings)
    n = X.shape[0]
    labels = np.array([np.nan if state.primary[a] is None else float(state.primary[a]) for a in range(n)])
    open_ids = [t for t in state.themes]
    classes = np.array(sorted(set(open_ids) | ({NOT_AN_ANSWER} if NOT_AN_ANSWER in set(labels) else set())), float)
    weights = np.where([a in state.reviewed for a in range(n)], settings.reviewed_weight, 1.0)
    classes, proba = out_of_fold(X, labels, weights, settings, classes, models)
    t = temperature(proba, labels, classes)
    contentless = np.asarray(snap.texts.counts.sum(axis=1)).ravel() == 0
    return Placement(snap.version, classes.astype(int), proba, contentless, t)


# -- the review queue ---------------------------------------------------------------------------

def queue(snap, model: Placement, top: int | None = None, settings: ReviewSettings = ReviewSettings()) -> pd.DataFrame:
    """The unreviewed answers, the one most likely misplaced first: answer_id, respondent_id, theme_id
    (None: unplaced), suggested_theme_id, confidence (the model's probability for the suggestion), kind and
    p_current (the model's probability for the current theme; the queue's order, lowest first).

    kind: "place" (unplaced), "not_an_answer" (suggested for the "Ikke et svar" bin), "move" (the model
    prefers the suggested theme), "second" (the current theme fits, and the suggestion also makes the
    answer's point: a second theme), "check" (the current theme is the model's best guess, but uncertain).
    Answers in final (locked) themes are left out, and only open themes are suggested. `model` may be of an
    older version than `snap` (retrained in the background): the current state decides what is shown."""
    state = snap.state
    final = {t for t, th in state.themes.items() if th.final}
    usable = np.array([(c in state.themes and c not in final) or c == NOT_AN_ANSWER for c in model.classes], bool)
    rows = []
    for a, current in state.primary.items():
        if a in state.reviewed or current in final:
            continue
        rows.append(_suggestion(a, current, model, usable, state.second.get(a), settings))
    table = pd.DataFrame(rows, columns=QUEUE_COLUMNS[:1] + QUEUE_COLUMNS[2:])
    table = table.sort_values(["p_current", "answer_id"], kind="stable").reset_index(drop=True)
    table.insert(1, "respondent_id", snap.data.base.table["respondent_id"].to_numpy()[table["answer_id"].to_numpy(int)]
                 if len(table) else [])
    return table.head(top) if top is not None else table


def _suggestion(a: int, current, model: Placement, usable: np.ndarray, second, settings: ReviewSettings) -> dict:
    p = np.where(usable, model.proba[a], -1.0)
    here = np.flatnonzero(model.classes == current) if current is not None else []
    p_current = float(model.proba[a, here[0]]) if len(here) else 0.0
    other = p.copy()
    if len(here):
        other[here[0]] = -1.0
    best = int(np.argmax(other)) if len(other) else None
    suggested = int(model.classes[best]) if best is not None and other[best] >= 0 else None
    confidence = float(other[best]) if suggested is not None else 0.0
    if current is None:
        kind = "place"
    elif model.contentless is not None and model.contentless[a] and current != NOT_AN_ANSWER:
        kind, suggested, confidence = "not_an_answer", NOT_AN_ANSWER, max(confidence, 1.0 - p_current)
        p_current = min(p_current, 0.5)
    elif suggested == NOT_AN_ANSWER and confidence > p_current:
        kind = "not_an_answer"
    elif confidence > p_current:
        kind = "move"
    elif confidence >= settings.second_share and current != NOT_AN_ANSWER and second is None and suggested != NOT_AN_ANSWER:
        kind = "second"
    else:
        kind = "check"
    return {"answer_id": a, "theme_id": current, "suggested_theme_id": suggested, "confidence": confidence,
            "kind": kind, "p_current": p_current}


# -- how good is the coding now? ----------------------------------------------------------------

@dataclass(frozen=True)
class Quality:
    estimate: float           # estimated share of answers in a right theme
    low: float                # 95 % interval
    high: float
    reviewed: int             # answers the analyst decided (counted as right)
    answers: int
    checked: int = 0          # > 0: the estimate comes from a random check of this many answers (check_quality)

    def headline(self, lead: str = "Anslået") -> str:
        """'Anslået 91 % af svarene i et rigtigt tema (88–94 %)': beside the theme list and in the export; with
        'ud fra en stikprøve på 40 svar' when it comes from the check."""
        basis = f" ud fra en stikprøve på {number(self.checked)} svar" if self.checked else ""
        return (f"{lead} {percent(100 * self.estimate, 0)} af svarene i et rigtigt tema "
                f"({number(100 * self.low)}–{percent(100 * self.high, 0)}){basis}")

    def text(self) -> str:
        """The headline and how many answers the analyst has reviewed."""
        return f"{self.headline()}; {number(self.reviewed)} af {number(self.answers)} svar er gennemset."


def coding_quality(snap, model: Placement) -> Quality:
    """The estimated share of answers in a right theme, with a 95 % interval: a reviewed answer is right (the
    analyst decided it); an unplaced one is wrong; an unreviewed one is right with the model's out-of-fold
    probability for its theme (calibrated: `temperature`). The interval adds the spread of those Bernoulli
    outcomes to the doubt about the model's calibration (see `quality_from`)."""
    state = snap.state
    n = len(state.primary)
    reviewed = np.zeros(n, bool)
    reviewed[list(state.reviewed)] = True
    q = calibrated(model.proba, model.temperature)
    column = {int(c): i for i, c in enumerate(model.classes)}
    at = np.array([column.get(state.primary[a], -1) if state.primary[a] is not None else -1 for a in range(n)])
    p = np.where(at >= 0, q[np.arange(n), np.maximum(at, 0)], 0.0)
    return quality_from(p, reviewed)


def quality_from(p_current: np.ndarray, reviewed: np.ndarray, calibration: float = 0.5) -> Quality:
    """The estimate from per-answer probabilities that the current theme is right (reviewed answers: right).
    The interval is the spread of the unreviewed answers' Bernoulli outcomes (1.96 standard deviations) plus
    the doubt about the model's calibration: `calibration` × the estimated share wrong among the unreviewed,
    shrinking with the square root of the number reviewed (with nothing reviewed, the model trained on
    uncorrected clusters cannot tell how many of them are wrong; each reviewed answer is a right label)."""
    n = max(len(p_current), 1)
    q = np.where(reviewed, 1.0, np.clip(p_current, 0, 1))
    estimate = float(q.sum() / n)
    done = int(reviewed.sum())
    wrong_open = float((1 - q).sum() / n)
    spread = 1.96 * math.sqrt(float((q * (1 - q)).sum())) / n + calibration * wrong_open / math.sqrt(1 + done / 10)
    return Quality(estimate, max(0.0, estimate - spread), min(1.0, estimate + spread), done, len(p_current))


# -- the check sample: an estimate the model's blind spots cannot bias ---------------------------

CHECK_MIN = 20      # answers of the check read before its estimate replaces the model's


def check_key(snap) -> str:
    """What seeds the check: the file's id (kept when the file is renamed or copied), else its path."""
    return snap.meta.get("file_id") or str(snap.data.path)


def check_order(n: int, key: str) -> np.ndarray:
    """The project's check sample: a random order of its n answers, fixed per file (seeded by the file's id),
    so every session and every browser tab draws the same answers. The check read so far is its head."""
    return np.random.default_rng(zlib.crc32(key.encode("utf-8"))).permutation(n)


def check_progress(snap) -> int:
    """How many answers of the check are read: the head of `check_order` up to the first answer not reviewed.
    Marking a theme final reads no answer, so it neither advances the check nor changes its estimate."""
    return _check_read(snap)[1]


def _check_read(snap) -> tuple[np.ndarray, int]:
    """The check's order and how many of its head are read (check_progress)."""
    state = snap.state
    order = check_order(len(state.primary), check_key(snap))
    for m, a in enumerate(order):
        if a not in state.reviewed:
            return order, m
    return order, len(order)


def check_quality(snap, minimum: int | None = None) -> Quality | None:
    """The share of answers in a right theme estimated from the check, or None before `minimum` of it are read
    (default CHECK_MIN).

    The checked answers are a simple random sample of all answers, and each one's outcome is known: moved by
    the analyst (State.corrected) means its theme was wrong when read. So the share wrong in the coding as it
    was (before any review) is estimated by the share corrected among them; every correction since, anywhere,
    removed exactly one wrong answer (all of State.corrected), and unplaced answers are wrong. The 95 %
    interval is the sample's for the share wrong at first (Agresti-Coull, with the finite-population
    correction), carried through the same arithmetic. Unlike the model's
    estimate this one sees answers whose whole cluster went to another theme; it assumes the themes kept their
    meaning while the check was read (a merge or split afterwards is not in it)."""
    state = snap.state
    n = len(state.primary)
    order, m = _check_read(snap)
    if n == 0 or m < (CHECK_MIN if minimum is None else minimum):
        return None
    head = order[:m]
    wrong = sum(int(a) in state.corrected for a in head)
    unplaced = sum(t is None for t in state.primary.values())
    open_answers = n - len(state.reviewed)

    def right_share(share_wrong: float) -> float:        # the coding now, had this share been wrong at first
        return 1.0 - min(max(share_wrong * n - len(state.corrected), unplaced), open_answers) / n
    estimate = right_share(wrong / m)
    shrunk = (wrong + 2) / (m + 4)
    spread = 1.96 * math.sqrt(shrunk * (1 - shrunk) / (m + 4) * max(0.0, 1 - m / n))
    low, high = right_share(min(shrunk + spread, 1.0)), right_share(max(shrunk - spread, 0.0))
    return Quality(estimate, min(low, estimate), max(high, estimate), len(state.reviewed), n, m)


def check_queue(snap, model: Placement, top: int | None = None, settings: ReviewSettings = ReviewSettings()) -> pd.DataFrame:
    """The next answers of the check sample not yet read, in the check's order, with the model's suggestion for
    each (columns as `queue`; kind "sample" where the queue would say "check": the answer is here because it was
    drawn, not because the model doubts it). Answers in final themes stay in it: the sample is of all answers,
    and a final mark is not a reading (one found wrong there is moved after reopening its theme)."""
    state = snap.state
    final = {t for t, th in state.themes.items() if th.final}
    usable = np.array([(c in state.themes and c not in final) or c == NOT_AN_ANSWER for c in model.classes], bool)
    rows = []
    for a in check_order(len(state.primary), check_key(snap)):
        a = int(a)
        if a in state.reviewed:
            continue
        row = _suggestion(a, state.primary[a], model, usable, state.second.get(a), settings)
        if row["kind"] == "check":
            row["kind"] = "sample"             # drawn at random, not because the model doubts it
        rows.append(row)
        if top is not None and len(rows) >= top:
            break
    table = pd.DataFrame(rows, columns=QUEUE_COLUMNS[:1] + QUEUE_COLUMNS[2:])
    table.insert(1, "respondent_id", snap.data.base.table["respondent_id"].to_numpy()[table["answer_id"].to_numpy(int)]
                 if len(table) else [])
    return table


# -- names for themes still called "Klynge N" ---------------------------------------------------

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


# -- per click: one model per version, features per file -----------------------------------------

class Reviewer:
    """The placement model for the app: features kept per file, the model per version (the newest few).
    `model(snap)` trains when the version is new (tens of ms at 300 answers, see docs/MEASUREMENTS.md);
    `latest(snap)` returns the newest model already trained for the file (possibly of an older version),
    for a queue shown while `model` runs in the background. Holds only what the files hold."""

    def __init__(self, settings: ReviewSettings = ReviewSettings(), keep: int = 4):
        self.settings = settings
        self.keep = keep
        self._features: OrderedDict[str, object] = OrderedDict()
        self._folds: dict[str, dict] = {}           # per file: the newest fold models, to start the next fit from
        self._models: OrderedDict[str, Placement] = OrderedDict()
        self._lock = threading.Lock()               # the caches are read by other threads while one trains

    @staticmethod
    def file_of(snap) -> str:
        """The file's id and place: a copied project file has the same id but its own versions."""
        return f"{snap.meta.get('file_id', '')}|{Path(snap.data.path).resolve()}"

    @classmethod
    def key(cls, snap) -> str:
        return f"{cls.file_of(snap)}@{snap.version}"

    def features(self, snap):
        key = self.file_of(snap)
        with self._lock:
            found = self._features.get(key)
        if found is None:
            found = feature_matrix(snap.vectors, snap.texts.counts, self.settings)
            with self._lock:
                self._features[key] = found
                while len(self._features) > self.keep:
                    gone, _ = self._features.popitem(last=False)
                    self._folds.pop(gone, None)
        return found

    def model(self, snap) -> Placement:
        key = self.key(snap)
        with self._lock:
            found = self._models.get(key)
            folds = self._folds.setdefault(self.file_of(snap), {})
        if found is None:
            found = placement(snap, self.settings, self.features(snap), folds)
            with self._lock:
                self._models[key] = found
                while len(self._models) > 2 * self.keep:
                    self._models.popitem(last=False)
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
        return found

    def latest(self, snap) -> Placement | None:
        prefix = f"{self.file_of(snap)}@"
        with self._lock:
            found = [m for k, m in self._models.items() if k.startswith(prefix) and m.version <= snap.version]
        return max(found, key=lambda m: m.version) if found else None
