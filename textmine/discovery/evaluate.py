"""Theme quality against a manual coding (definitions in the README and PRODUCT.md).

- merge accuracy: merge every cluster into its majority primary gold theme, as an analyst would;
  an answer is right when that theme is any of its gold themes; outliers (-1) are wrong.
- themes found: share of real gold themes (not the "no real answer" theme, e.g. K0) that are the
  majority of some cluster.
- NMI and ARI of clusters against primary themes; number of clusters; outlier share.

Gold answers that are missing from the assignments (textmine left them out as non-answers) count
as right when their gold theme is the no-answer theme, else as wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from ..errors import OptionError
from ..survey.reading import read_survey, require_columns

NO_ANSWER = re.compile(r"^[A-Za-z]*0$")   # K0, C0, N0 ... and the bare "0" of a coding


def is_no_answer_theme(label: str) -> bool:
    return bool(NO_ANSWER.match(str(label)))


def cluster_scores(clusters, gold_sets) -> dict:
    """Scores for one question. `clusters`: ints (-1 outlier, None left out); `gold_sets`: lists
    of gold themes per answer, primary first."""
    clusters = list(clusters)
    primary = [g[0] for g in gold_sets]
    majority = {}
    for c in {c for c in clusters if c is not None and c != -1}:
        votes = Counter(p for k, p in zip(clusters, primary) if k == c)
        majority[c] = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    right = 0
    for c, gold in zip(clusters, gold_sets):
        if c is None:
            right += is_no_answer_theme(gold[0])
        elif c != -1:
            right += majority[c] in gold
    placed = [(c, p) for c, p in zip(clusters, primary) if c is not None]
    themes = {p for p in primary if not is_no_answer_theme(p)}
    n_placed = max(len(placed), 1)
    return {
        "answers": len(clusters),
        "clusters": len(majority),
        "gold_themes": len(themes),
        "outlier_share": sum(c == -1 for c, _ in placed) / n_placed,
        "merge_accuracy": right / max(len(clusters), 1),
        "themes_found": len(themes & set(majority.values())) / max(len(themes), 1),
        "nmi": normalized_mutual_info_score([p for _, p in placed], [c for c, _ in placed]) if placed else 0.0,
        "ari": adjusted_rand_score([p for _, p in placed], [c for c, _ in placed]) if placed else 0.0,
    }


def evaluate(assignments: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """One row of scores per question found in `gold`.

    assignments: respondent_id, question, cluster.  gold: respondent_id, question, labels ("K1|K5").
    """
    keyed = {(str(r), str(q)): int(c) for r, q, c in
             assignments[["respondent_id", "question", "cluster"]].itertuples(index=False)}
    rows = []
    for question, group in gold.groupby("question", sort=False):
        clusters = [keyed.get((str(r), str(question))) for r in group["respondent_id"]]
        gold_sets = [str(lab).split("|") for lab in group["labels"]]
        rows.append({"question": question, **cluster_scores(clusters, gold_sets)})
    return pd.DataFrame(rows)


# -- follow-up wave -------------------------------------------------------------------------------

def wave_scores(themes, gold_sets, new_labels) -> dict:
    """How a saved model placed a new wave. `themes`: the theme given to each answer ("" = flagged new);
    `gold_sets`: gold themes per answer, primary first; `new_labels`: the gold themes the baseline lacks.
    An answer is old-theme or new-theme by its primary gold theme.
    - old_placed_right: share of old-theme answers given one of their gold themes;
    - new_flagged: share of new-theme answers flagged new;
    - old_flagged_new: share of old-theme answers flagged new."""
    old = [(t, g) for t, g in zip(themes, gold_sets) if g[0] not in new_labels]
    new = [t for t, g in zip(themes, gold_sets) if g[0] in new_labels]
    return {"old_answers": len(old), "new_answers": len(new),
            "old_placed_right": sum(t != "" and t in g for t, g in old) / max(len(old), 1),
            "new_flagged": sum(t == "" for t in new) / max(len(new), 1),
            "old_flagged_new": sum(t == "" for t, _ in old) / max(len(old), 1)}


def evaluate_files(assignments_path: Path, gold_path: Path) -> pd.DataFrame:
    """`textmine evaluate`: assignments.csv from discover against a manual coding (respondent_id, question,
    labels), over the questions the assignments hold."""
    assignments, gold = read_survey(assignments_path), read_survey(gold_path)
    require_columns(assignments, ["respondent_id", "question", "cluster"], Path(assignments_path).name)
    require_columns(gold, ["respondent_id", "question", "labels"], Path(gold_path).name)
    assignments["cluster"] = cluster_numbers(assignments["cluster"], Path(assignments_path).name)
    return evaluate(assignments, gold[gold["question"].isin(set(assignments["question"]))])


def cluster_numbers(column: pd.Series, source: str) -> pd.Series:
    """assignments.csv's clusters as ints: whole numbers, -1 for an answer in no cluster; anything else refused."""
    numbers = pd.to_numeric(column, errors="coerce")
    bad = numbers.isna() | (numbers % 1 != 0) | (numbers < -1)
    if bad.any():
        n, shown = int(bad.sum()), ", ".join(f"linje {i + 2}: {column[i]!r}" for i in bad[bad].index[:5])
        raise OptionError(f"Kolonnen 'cluster' i {source} skal holde hele klyngenumre (-1 = ingen klynge), men har "
                          f"{n} {'anden værdi' if n == 1 else 'andre værdier'} ({shown}). "
                          "Brug assignments.csv fra textmine discover.")
    return numbers.astype(int)
