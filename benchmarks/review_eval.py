"""The review queue measured with a simulated analyst (issue #13; part of `make eval`).

Per labelled set: merge each cluster into its majority gold theme, then read the queue 10 answers at a time,
moving each wrong answer to its primary gold theme (creating that theme when no cluster had it as majority)
and confirming each right one; the model is retrained after each batch. The analyst learns an answer's
gold themes only when reading it. Printed: the share of answers in a right theme after reading 0, 5, 10, 20,
30 and 50 % of the answers, in the queue's order and in a random order (what the analyst has today), and
the estimate of `review.coding_quality` (with its interval) at the same points in the queue's order.

`python -m benchmarks.review_eval --cache DIR` reuses one discovery per set saved by
`python -m benchmarks.eval --review-cache DIR` (DIR/*.pkl);
`--ceiling` and `--hidden` print what bounds the queue and the estimate (`ceiling`, `hidden`); `--check 50,100`
how near an estimate from a random check of that many answers lands (`check_sample`).
"""

from __future__ import annotations

import argparse
import pickle
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from textmine.review.model import ReviewSettings, calibrated, feature_matrix, out_of_fold, temperature
from textmine.review.quality import quality_from
from textmine.review.trust import CURRENT_A, CURRENT_B, TRUST_A, TRUST_B, fitted_shift, logit, trusted

POINTS = (0, 5, 10, 20, 30, 50)
BATCH = 10
SHOWN_MIN = 3000        # a set's queue is read again (other folds) until this many suggestions were shown (1,000 left
                        # the small sets' ECE within reading noise of 0.05: docs/MEASUREMENTS.md, session 13)
MAX_DRAWS = 40


def majority_merge(clusters, gold) -> np.ndarray:
    """Each cluster's answers in its majority primary gold theme (an outlier, -1: unplaced, NaN)."""
    primary = [g[0] for g in gold]
    merged = np.full(len(clusters), np.nan, dtype=object)
    for c in set(clusters) - {-1}:
        votes = Counter(p for k, p in zip(clusters, primary) if k == c)
        label = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        merged[np.asarray(clusters) == c] = label
    return merged


def right_share(theme, gold) -> float:
    return float(np.mean([t is not None and t == t and (t in g) for t, g in zip(theme, gold)]))


def _numeric(theme, codes: dict) -> np.ndarray:
    return np.array([np.nan if t != t or t is None else float(codes.setdefault(t, len(codes))) for t in theme])


def simulate(X, gold, clusters, order: str = "queue", settings: ReviewSettings = ReviewSettings(),
             points=POINTS, seed: int = 0, shown: list | None = None, draw: int = 0) -> list[dict]:
    """One simulated reading. order: "queue" (lowest P(current theme) first, retrained per batch), "margin"
    (the same without weighting the reviewed answers up), "random". One row per reading point: share right
    (truth), and for the model orders the estimate with its interval. `shown`: a list that gets each read
    answer's suggestion as the *Gennemse* tab shows it (`shown_suggestions`), tagged with `draw`."""
    n = len(gold)
    theme = majority_merge(list(clusters), gold)
    reviewed = np.zeros(n, bool)
    targets = [round(p * n / 100) for p in points]
    rng = np.random.default_rng(seed)
    random_order = list(rng.permutation(n))
    codes: dict = {}
    rows, read, models, batches = [], 0, {}, 0
    while True:
        labels = _numeric(theme, codes)
        classes = np.array(sorted(codes.values()), float)
        p_current = None
        if order != "random":
            weight = settings.reviewed_weight if order == "queue" else 1.0
            weights = np.where(reviewed, weight, 1.0)
            _, proba = out_of_fold(X, labels, weights, settings, classes, models)
            calib = calibrated(proba, temperature(proba, labels, classes))
            p_current = np.array([0.0 if np.isnan(l) else proba[i, int(l)] for i, l in enumerate(labels)])
            q_current = np.array([0.0 if np.isnan(l) else calib[i, int(l)] for i, l in enumerate(labels)])
        while targets and read >= targets[0]:
            row = {"read": points[len(rows)], "right": right_share(theme, gold)}
            if p_current is not None:
                q = quality_from(q_current, reviewed)
                row.update(estimate=q.estimate, low=q.low, high=q.high)
            rows.append(row)
            targets.pop(0)
        if not targets:
            return rows
        batch = min(BATCH, targets[0] - read)
        if order == "random":
            todo = [a for a in random_order if not reviewed[a]][:batch]
        else:
            todo = [a for a in np.argsort(p_current, kind="stable") if not reviewed[a]][:batch]
        if shown is not None and p_current is not None:
            name_of = {v: k for k, v in codes.items()}
            shown.extend(shown_suggestions(calib, labels, todo, gold, name_of, (draw, batches)))
        batches += 1
        for a in todo:
            if not (theme[a] == theme[a] and theme[a] in gold[a]):
                theme[a] = gold[a][0]
            reviewed[a] = True
            read += 1


def shown_suggestions(calib: np.ndarray, labels: np.ndarray, todo, gold, name_of: dict, when=(0, 0)) -> list[tuple]:
    """(calibrated P of the suggestion, whether it is right, calibrated P of the current theme, draw, batch, whether
    it became the answer's theme, the answer, the suggested theme, whether the current theme is right) for each
    answer of `todo` as the tab shows it
    (review.queue.suggestion): the most likely theme other than the current one; right when that theme is one of
    the answer's gold themes (the simulation's themes are gold themes). `when`: (draw, batch). The simulated
    analyst moves a wrong answer to its primary gold theme and gives it a right suggestion that is not its theme
    then as its second theme (what *Tilføj som andet tema* is for), so the outcome the project logs
    (review.trust.outcomes) is `right`; the sixth field is that of an analyst who never adds a second theme."""
    out = []
    for a in todo:
        other = calib[a].copy()
        current = None if np.isnan(labels[a]) else int(labels[a])
        if current is not None:
            other[current] = -1.0
        best = int(np.argmax(other))
        kept = current is not None and name_of[current] in gold[a]
        after = name_of[current] if kept else gold[a][0]
        out.append((float(other[best]), name_of[best] in gold[a], 0.0 if current is None else float(calib[a, current]),
                    *when, name_of[best] == after, int(a), name_of[best], kept))
    return out


def ece(confidence, right, bins: int = 10) -> float:
    """Expected calibration error: |mean confidence - share right| per equal-width bin, weighted by its count."""
    confidence, right = np.asarray(confidence, float), np.asarray(right, float)
    at = np.minimum((confidence * bins).astype(int), bins - 1)
    return float(sum(abs(confidence[at == b].mean() - right[at == b].mean()) * (at == b).sum()
                     for b in np.unique(at)) / max(len(confidence), 1))


def fit_trust(pairs: list[list[tuple]], q: int = 0, outcome: int = 1) -> tuple[float, float]:
    """review.trust's TRUST_A, TRUST_B fitted on sets of shown suggestions, each set weighted alike (q=2,
    outcome=8: CURRENT_A, CURRENT_B)."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([[p[q] for p in set_pairs] for set_pairs in pairs])
    z = np.log(np.clip(x, 1e-6, 1 - 1e-6) / (1 - np.clip(x, 1e-6, 1 - 1e-6)))
    y = np.concatenate([[p[outcome] for p in set_pairs] for set_pairs in pairs]).astype(float)
    w = np.concatenate([np.full(len(set_pairs), len(x) / len(set_pairs) / len(pairs)) for set_pairs in pairs])
    model = LogisticRegression(C=100.0).fit(z[:, None], y, sample_weight=w)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def project_confidence(pairs: list[tuple], base=(TRUST_A, TRUST_B), outcome: int = 1, q: int = 0) -> np.ndarray:
    """The confidence the tab shows beside each of a set's shown suggestions `pairs` (shown_suggestions) with the
    project's own map (review.trust): the suggestions of each batch with the intercept fitted on the outcomes
    (field `outcome`) of the same reading's earlier batches, never its own or later ones. `q`: the field of the
    map's input (2 and outcome 8, base CURRENT_A, CURRENT_B: the current theme's confidence)."""
    out = np.zeros(len(pairs))
    for draw in sorted({p[3] for p in pairs}):
        rows = [i for i, p in enumerate(pairs) if p[3] == draw]
        for batch in sorted({pairs[i][4] for i in rows}):
            before = [i for i in rows if pairs[i][4] < batch]
            b = fitted_shift([pairs[i][q] for i in before], [pairs[i][outcome] for i in before], base)
            now = [i for i in rows if pairs[i][4] == batch]
            out[now] = 1 / (1 + np.exp(-(base[0] * logit([pairs[i][q] for i in now]) + b)))
    return out


def floor_of(confidence: np.ndarray, keys: list, draws: int = 200) -> float:
    """The mean ECE of `confidence` were it perfectly calibrated: outcomes drawn from it, one draw per key (an
    answer and its suggestion, shown again in each reading: its outcome is the same every time)."""
    rng = np.random.default_rng(0)
    index = np.unique(np.array([str(k) for k in keys]), return_inverse=True)[1]
    return float(np.mean([ece(confidence, rng.random(index.max() + 1)[index] < confidence) for _ in range(draws)]))


def calibration_table(shown: dict) -> pd.DataFrame:
    """Per set: the ECE (10 equal-width bins, weighted by count) of the confidence shown beside each suggestion
    the queue showed: before (the calibrated softmax), pooled (the fixed map review.trust.trusted), after (the
    project's own map, project_confidence), left out (the same with the base map refitted without the set: what
    a new survey gets) and primary only (the analyst never adds a second theme, so a right suggestion beside a
    right theme counts as wrong in the project's log); `floor`, the mean ECE a perfectly calibrated confidence
    shows on these suggestions (floor_of), below which no confidence can go reliably."""
    rows = []
    for name, pairs in shown.items():
        raw, right = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs], float)
        others = [v for k, v in shown.items() if k != name]
        after = project_confidence(pairs)
        rows.append({"set": name, "n": len(pairs), "answers": len({p[6] for p in pairs}),
                     "draws": len({p[3] for p in pairs}), "ece_before": ece(raw, right),
                     "ece_pooled": ece(trusted(raw), right), "ece_after": ece(after, right),
                     "ece_left_out": ece(project_confidence(pairs, fit_trust(others)) if others else after, right),
                     "ece_primary_only": ece(project_confidence(pairs, outcome=5), right),
                     "floor": floor_of(after, [p[6:8] for p in pairs]), "right": right.mean(),
                     "shown_after": after.mean()})
    return pd.DataFrame(rows)


def current_table(shown: dict) -> pd.DataFrame:
    """Per set: the ECE of the probability shown beside the answer's current theme ("Nu: … (62 %)") on the rows the
    queue showed, right when that theme is one of the answer's gold themes: through the suggestions' map (before
    session 13), with its own map per project, and that map's base refitted without the set; `offered`, the share
    of rows that offer a move (the suggestion's confidence at least the current theme's) and the share of those
    whose suggestion is right."""
    rows = []
    for name, pairs in shown.items():
        right = np.array([p[8] for p in pairs], float)
        others = [v for k, v in shown.items() if k != name]
        own = project_confidence(pairs, (CURRENT_A, CURRENT_B), outcome=8, q=2)
        left_out = project_confidence(pairs, fit_trust(others, 2, 8), outcome=8, q=2) if others else own
        offered = project_confidence(pairs) >= own
        rows.append({"set": name, "right": right.mean(), "shown": own.mean(),
                     "ece_suggestions_map": ece(trusted([p[2] for p in pairs]), right), "ece_own_map": ece(own, right),
                     "ece_left_out": ece(left_out, right), "floor": floor_of(own, [p[6] for p in pairs]),
                     "offered": offered.mean(), "offered_right": np.mean([p[1] for p, o in zip(pairs, offered) if o])})
    return pd.DataFrame(rows)


def set_features(entry: dict, settings: ReviewSettings = ReviewSettings()):
    """The features the app's model uses: the clustering vectors beside the lemma TF-IDF."""
    from textmine.discovery.keywords import lemma_counts
    from textmine.text.lemmas import DanishLemmatizer

    counts, _ = lemma_counts(pd.Series(entry["texts"]), DanishLemmatizer(entry.get("stop", ())))
    return feature_matrix(entry["features"], counts, settings)


def evaluate_set(entry: dict, settings: ReviewSettings = ReviewSettings(), orders=("queue", "random"),
                 shown: dict | None = None, shown_min: int = SHOWN_MIN) -> pd.DataFrame:
    """The simulated reading in each order; `shown` (set name -> list) gets the queue's shown suggestions, from as
    many readings with other folds (settings.random_state) as it takes to show `shown_min` of them."""
    X = set_features(entry, settings)
    gold = [list(g) for g in entry["gold"]]
    frames = []
    for order in orders:
        started = time.time()
        seen = shown.setdefault(entry["name"], []) if shown is not None and order == "queue" else None
        rows = simulate(X, gold, entry["clusters"], order, settings, shown=seen)
        frame = pd.DataFrame(rows).assign(set=entry["name"], order=order, seconds=time.time() - started)
        frames.append(frame)
        draws = min(MAX_DRAWS, -(-shown_min // max(len(seen), 1))) if seen else 1
        for draw in range(1, draws):
            other = replace(settings, random_state=settings.random_state + draw)
            simulate(X, gold, entry["clusters"], order, other, shown=seen, draw=draw)
    return pd.concat(frames, ignore_index=True)


CEILING_SETTINGS = {"the app's model": ReviewSettings(), "with a lemma TF-IDF beside": ReviewSettings(lexical_weight=1.0),
                    "logistic regression": ReviewSettings(model="logistic")}


def ceiling(entry: dict) -> dict:
    """How well the features can tell the gold themes apart at all: out-of-fold accuracy (the predicted theme
    among the answer's gold themes) of the placement model trained on the gold primary themes themselves.
    A queue cannot point at misplaced answers much better than this."""
    gold = [list(g) for g in entry["gold"]]
    codes: dict = {}
    labels = _numeric([g[0] for g in gold], codes)
    name_of = {v: k for k, v in codes.items()}
    classes = np.array(sorted(codes.values()), float)
    row = {"set": entry["name"]}
    for label, settings in CEILING_SETTINGS.items():
        _, proba = out_of_fold(set_features(entry, settings), labels, np.ones(len(gold)), settings, classes)
        predicted = [name_of[int(classes[i])] for i in proba.argmax(axis=1)]
        row[label] = float(np.mean([p in g for p, g in zip(predicted, gold)]))
    return row


def ideal_merge_model(entry: dict, settings: ReviewSettings = ReviewSettings()):
    """The ideal merge before anything is read, in the placement model's eyes: (right per answer, the model's
    out-of-fold P(current theme), the same calibrated); both 0 for an unplaced answer."""
    gold = [list(g) for g in entry["gold"]]
    theme = majority_merge(list(entry["clusters"]), gold)
    codes: dict = {}
    labels = _numeric(theme, codes)
    classes = np.array(sorted(codes.values()), float)
    weights = np.ones(len(gold))
    _, proba = out_of_fold(set_features(entry, settings), labels, weights, settings, classes)
    q = calibrated(proba, temperature(proba, labels, classes))
    at, rows, unplaced = np.nan_to_num(labels, nan=0).astype(int), np.arange(len(gold)), np.isnan(labels)
    right = np.array([t == t and t is not None and t in g for t, g in zip(theme, gold)])
    return right, np.where(unplaced, 0.0, proba[rows, at]), np.where(unplaced, 0.0, q[rows, at])


def hidden(entry: dict, settings: ReviewSettings = ReviewSettings()) -> dict:
    """Where the ideal merge's wrong answers sit in the model's eyes, before anything is read: `auc`, the chance
    that a wrong answer comes before a right one in the queue (0.5: a random order); `hidden`, the share of the
    wrong answers the model believes at least as much as the median right answer (a queue reaches those only
    after half the right answers); `best@20%`/`best@30%` what a queue that only ever shows wrong answers
    reaches, and `estimate@0%` beside `right@0%`. A wrong answer the model cannot see stays wrong in the queue's
    order and is counted as right in the estimate, so this bounds both."""
    right, p_current, q_current = ideal_merge_model(entry, settings)
    start = float(right.mean())
    row = {"set": entry["name"], "answers": len(right), "right@0%": start, "wrong": int((~right).sum())}
    if right.any() and (~right).any():
        from sklearn.metrics import roc_auc_score

        row["auc"] = float(roc_auc_score(right, p_current))
    row["hidden"] = float((p_current[~right] >= np.median(p_current[right])).mean()) if right.any() and (~right).any() else 0.0
    row["best@20%"], row["best@30%"] = min(1.0, start + 0.2), min(1.0, start + 0.3)
    row["estimate@0%"] = quality_from(q_current, np.zeros(len(right), bool)).estimate
    return row


def check_sample(entry: dict, size: int, draws: int = 400, settings: ReviewSettings = ReviewSettings(),
                 seed: int = 0) -> dict:
    """How far an estimate from a random check of `size` answers lands from the truth, over `draws` random
    checks of the ideal merge: "plain", the share wrong among the checked answers; "assisted", the model's
    expected share wrong corrected by the checked answers' mean (outcome − model), a difference estimator.
    Reported: the 90th percentile of the distance and the share of checks within 0.05, beside the model-only
    estimate's distance. Once the check is read, each later correction (a wrong answer moved) lowers the share
    wrong by exactly one answer, so the distance stays what it was at the check."""
    right, _, q_current = ideal_merge_model(entry, settings)
    n, wrong, expected = len(right), (~right).astype(float), 1.0 - q_current     # expected: the model's P(wrong)
    rng = np.random.default_rng(seed)
    size = min(size, n)
    plain, assisted = [], []
    for _ in range(draws):
        checked = rng.permutation(n)[:size]
        plain.append(abs(wrong[checked].mean() - wrong.mean()))
        assisted.append(abs(expected.mean() + (wrong[checked] - expected[checked]).mean() - wrong.mean()))
    plain, assisted = np.array(plain), np.array(assisted)
    return {"set": entry["name"], "answers": n, "checked": size, "model_only_gap": abs(expected.mean() - wrong.mean()),
            "plain_p90": float(np.quantile(plain, 0.9)), "plain_within_0.05": float((plain <= 0.05).mean()),
            "assisted_p90": float(np.quantile(assisted, 0.9)), "assisted_within_0.05": float((assisted <= 0.05).mean())}


def table(results: pd.DataFrame) -> pd.DataFrame:
    """One row per set and order, one column per reading point (share right), and the estimate's largest
    distance from the truth over the reading points."""
    wide = results.pivot_table(index=["set", "order"], columns="read", values="right", sort=False)
    wide.columns = [f"right@{c}%" for c in wide.columns]
    if "estimate" in results:
        gap = (results["estimate"] - results["right"]).abs().groupby([results["set"], results["order"]], sort=False).max()
        covered = ((results["low"] <= results["right"]) & (results["right"] <= results["high"]))
        wide["estimate_max_gap"] = gap
        wide["interval_covers"] = covered.groupby([results["set"], results["order"]], sort=False).mean()
    return wide.reset_index()


def print_calibration(shown: dict) -> None:
    if not shown:
        return
    print("\nThe confidence shown beside each suggestion the queue showed (up to 50 % read; a set read again with "
          "other folds until about --shown-min were shown): expected calibration error, 10 equal-width bins weighted "
          "by count; right = the suggested theme is one of the answer's gold themes; floor = a perfect confidence's "
          "ECE on these suggestions (an answer shown again has the same outcome)")
    print(calibration_table(shown).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print("TRUST_A, TRUST_B refitted on all sets: %.3f, %.3f" % fit_trust(list(shown.values())))
    print("\nThe same for the probability shown beside the current theme (right = it is one of the answer's gold themes)")
    print(current_table(shown).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print("CURRENT_A, CURRENT_B refitted on all sets: %.3f, %.3f" % fit_trust(list(shown.values()), 2, 8))


def load_cache(directory: Path) -> list[dict]:
    return [pickle.loads(p.read_bytes()) for p in sorted(Path(directory).glob("*.pkl"))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="folder of saved discoveries (*.pkl)")
    parser.add_argument("--sets", default="", help="comma-separated parts of set names to run (default: all)")
    parser.add_argument("--orders", default="queue,random")
    parser.add_argument("--model", default=None, help="logistic or ridge (default: ReviewSettings' default)")
    parser.add_argument("--ceiling", action="store_true",
                        help="only the out-of-fold accuracy of the model trained on the gold themes (ceiling)")
    parser.add_argument("--check", default="", help="comma-separated check sizes: how near a random check's "
                        "estimate lands (review_eval.check_sample)")
    parser.add_argument("--shown-min", type=int, default=SHOWN_MIN, help="read each set's queue again with other "
                        "folds until this many suggestions were shown (the confidence's ECE; 0: once)")
    parser.add_argument("--hidden", action="store_true",
                        help="only where the ideal merge's wrong answers sit in the model's eyes (review_eval.hidden)")
    args = parser.parse_args(argv)
    settings = ReviewSettings(**({"model": args.model} if args.model else {}))
    entries = [e for e in load_cache(args.cache) if not args.sets or any(s in e["name"] for s in args.sets.split(","))]
    if args.check:
        rows = [check_sample(e, int(size)) for e in entries for size in args.check.split(",")]
        print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        return 0
    for flag, measure in ((args.ceiling, ceiling), (args.hidden, hidden)):
        if flag:
            print(pd.DataFrame([measure(e) for e in entries]).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
            return 0
    shown: dict = {}
    results = pd.concat([evaluate_set(e, settings, args.orders.split(","), shown, args.shown_min) for e in entries],
                        ignore_index=True)
    pd.set_option("display.width", 250)
    print(table(results).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print_calibration(shown)
    print("\nThe estimate (review.coding_quality) beside the truth, queue order:")
    shown = results[results["order"] == "queue"][["set", "read", "right", "estimate", "low", "high"]]
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
