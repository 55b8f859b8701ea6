"""How far the *Gennemse* tab's confidence can be trusted: the probability that a theme is right for an answer,
from the placement model's calibrated probability for it (review.model.calibrated), per project.

The base is a Platt map, logit(P) = TRUST_A * logit(q) + TRUST_B, fitted on the suggestions the simulated
reading showed across five labelled sets. One map cannot fit every project: on SIB-200 26 % of the shown
suggestions were right at the same scores where 41-45 % were on the others. So each project shifts the map's
intercept by what the analyst has already decided: every row the tab showed and the analyst handled is kept
(`SHOWN_KEY`, the suggestion and the probability it was shown with), and once the answer is reviewed the
suggestion was right when the answer ended up with it as its theme or its second theme. The shift is fitted
on those outcomes with a prior toward the base map (`PRIOR` answers' worth) and the newest outcomes weighted
most (`HALF_LIFE`): the queue shows ever surer answers as the reading goes on, and the old rounds' answers say
less about the next round's.

The probability shown beside the answer's current theme ("Nu: … (62 %)") has its own map, fitted the same way on
whether the current theme was right (`CURRENT_A`, `CURRENT_B`, its own log `CURRENT_KEY`): through the
suggestions' map it read 24-33 % where 37-62 % of the shown answers' themes were right on four of the five labelled
sets (issue 27, session 13).
Pure computation; the app writes the logs (app.review_page.log_shown).
"""

from __future__ import annotations

import json

import numpy as np

# the base map: `python -m benchmarks.review_eval --cache DIR` (each set's queue read to 50 %, a suggestion right
# when its theme is one of the answer's gold themes, the five sets weighted alike; docs/MEASUREMENTS.md, issue 27)
TRUST_A, TRUST_B = 0.537, -0.491
# the current theme's map: the same readings, right when the answer's theme then was one of its gold themes
CURRENT_A, CURRENT_B = 0.626, 0.610
PRIOR = 1.0             # the base intercept counts as this many outcomes
HALF_LIFE = 10.0        # an outcome weighs half as much after this many newer ones
KEEP = 200              # outcomes kept in the log (older ones weigh under a millionth)
SHOWN_KEY = "review_shown"      # the project's meta value: the log, JSON [[answer, suggested theme, q], ...]
CURRENT_KEY = "review_current"  # the same for the current theme: [[answer, its theme then, q], ...]


def logit(q) -> np.ndarray:
    z = np.clip(np.asarray(q, float), 1e-6, 1 - 1e-6)
    return np.log(z / (1 - z))


def trusted(q, shift: float = TRUST_B, slope: float = TRUST_A) -> np.ndarray:
    """The probability that a theme is right for an answer, from the model's calibrated probability `q` for it:
    the base map (`slope`; the current theme's: CURRENT_A) with the project's intercept `shift`. Increasing in
    `q`, so of two suggested themes the one the model prefers never shows a lower confidence."""
    return 1.0 / (1.0 + np.exp(-(slope * logit(q) + shift)))


def fitted_shift(q, right, base: tuple[float, float] = (TRUST_A, TRUST_B)) -> float:
    """The intercept of the map logit(P) = a * logit(q) + b (a = base[0]) most likely for the outcomes `right`
    of the probabilities `q` (oldest first), with a Gaussian prior of `PRIOR` outcomes' weight toward base[1]
    and each outcome weighted 0.5 ** (newer outcomes / HALF_LIFE). Without outcomes: base[1]."""
    a, b0 = base
    x, y = a * logit(q), np.asarray(right, float)
    if not len(x):
        return float(b0)
    w = 0.5 ** (np.arange(len(x))[::-1] / HALF_LIFE)
    b = float(b0)
    for _ in range(30):                                       # Newton's method on one concave parameter
        p = 1.0 / (1.0 + np.exp(-(x + b)))
        step = (np.sum(w * (p - y)) + PRIOR * (b - b0)) / (np.sum(w * p * (1 - p)) + PRIOR)
        b -= step
        if abs(step) < 1e-9:
            break
    return b


def read_log(text: str) -> list[tuple[int, int, float]]:
    """The log as kept in the project file ([[answer, suggested, q], ...]); anything unreadable counts as empty."""
    try:
        rows = json.loads(text) if text else []
        return [(int(a), int(s), float(q)) for a, s, q in rows]
    except (ValueError, TypeError):
        return []


def logged(text: str, answer: int, suggested: int, q: float) -> str:
    """The log `text` with one handled row added (an earlier row of the same answer dropped), the newest KEEP."""
    rows = [r for r in read_log(text) if r[0] != answer] + [(int(answer), int(suggested), round(float(q), 5))]
    return json.dumps([list(r) for r in rows[-KEEP:]])


def outcomes(rows, state) -> tuple[np.ndarray, np.ndarray]:
    """(q, right) of the logged rows whose answer is reviewed in `state` (curation.State), oldest first: right when
    the answer's theme or second theme is the logged one (the suggested theme, or in `CURRENT_KEY`'s log its theme
    then). A row whose answer is no longer reviewed (undone) is left out."""
    kept = [(q, state.primary.get(a) == s or state.second.get(a) == s) for a, s, q in rows if a in state.reviewed]
    return np.array([k[0] for k in kept], float), np.array([k[1] for k in kept], float)


def project_shift(meta: dict, state, key: str = SHOWN_KEY, base: tuple[float, float] = (TRUST_A, TRUST_B)) -> float:
    """The intercept of this project's map `base`, from the log `key` in its meta values and `state`."""
    return fitted_shift(*outcomes(read_log(meta.get(key, "")), state), base)


def current_shift(meta: dict, state) -> float:
    """The intercept of this project's map for the current theme's probability."""
    return project_shift(meta, state, CURRENT_KEY, (CURRENT_A, CURRENT_B))
