"""How good is the coding now? Two estimates of the share of answers in a right theme: the placement model's
(review.model: every unreviewed answer right with its out-of-fold probability) and the check sample's, a
random order of the answers fixed per file, which the model's blind spots cannot bias."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..fmt import number, percent
from .model import Placement, ReviewSettings
from .queue import QUEUE_COLUMNS, suggestion, usable_classes, with_respondents

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
    primary = pd.Series(dict(state.primary), dtype="float64").reindex(range(n))      # unplaced: NaN
    at = pd.Index(np.asarray(model.classes, dtype="float64")).get_indexer(primary)     # -1: no column
    p = np.where(at >= 0, model.calibrated_at(np.arange(n), np.maximum(at, 0)), 0.0)
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


def check_skipped(snap, ahead: int = 40) -> bool:
    """Whether an answer of the check is read while one before it is not (it counts only once those are): among
    the next `ahead` answers after the read head."""
    order, m = _check_read(snap)
    return any(a in snap.state.reviewed for a in order[m + 1:m + 1 + ahead])


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
    usable = usable_classes(state, model)
    rows = []
    for a in check_order(len(state.primary), check_key(snap)):
        a = int(a)
        if a in state.reviewed:
            continue
        row = suggestion(a, state.primary[a], model, usable, state.second.get(a), settings)
        if row["kind"] == "check":
            row["kind"] = "sample"             # drawn at random, not because the model doubts it
        rows.append(row)
        if top is not None and len(rows) >= top:
            break
    return with_respondents(snap, pd.DataFrame(rows, columns=QUEUE_COLUMNS[:1] + QUEUE_COLUMNS[2:]))

