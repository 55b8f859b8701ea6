"""Comparing waves: respondents per theme in each wave, the difference of shares with Newcombe's 95 % interval
and a chi-square or Fisher test; for a follow-up project as it is curated now, and as the app and report show it."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ..fmt import number, p_value
from ..project.data import answer_base, respondents_per_theme, theme_share
from ..project.store import Project
from ..survey.shares import group_difference_test, wilson_interval

COMPARISON = ["theme", "n_baseline", "count_baseline", "share_baseline", "n_followup", "count_followup",
              "share_followup", "difference", "ci_low", "ci_high", "test", "p_value", "new"]


def difference_interval(c1: int, n1: int, c2: int, n2: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval (95 %) for p2 - p1, in percentage points."""
    p1, p2 = 100 * c1 / n1, 100 * c2 / n2
    l1, u1 = wilson_interval(c1, n1)
    l2, u2 = wilson_interval(c2, n2)
    d = p2 - p1
    return d - float(np.hypot(p2 - l2, u1 - p1)), d + float(np.hypot(u2 - p2, p1 - l1))


def compare(baseline: dict, counts: dict[str, int], n_followup: int) -> pd.DataFrame:
    """Per theme: respondents and share in each wave, the difference with its interval and a test.
    `baseline`: {"n", "themes": [{"name", "count"}]}; themes only in `counts` are new."""
    n1, rows = int(baseline["n"]), []
    old = {t["name"]: int(t["count"]) for t in baseline["themes"]}
    for name in [*old, *(n for n in counts if n not in old)]:
        c1, c2, is_new = old.get(name, 0), int(counts.get(name, 0)), name not in old
        share1 = theme_share(c1, n1) if n1 else float("nan")                  # no base: no share, not 0
        share2 = theme_share(c2, n_followup) if n_followup else float("nan")
        low = high = p = float("nan")
        test = "ingen test"
        if n1 and n_followup:
            low, high = difference_interval(c1, n1, c2, n_followup)
            test, p = group_difference_test([c1, c2], [n1, n_followup])
        rows.append({"theme": name, "n_baseline": n1, "count_baseline": c1, "share_baseline": share1,
                     "n_followup": n_followup, "count_followup": c2, "share_followup": share2,
                     "difference": share2 - share1, "ci_low": low, "ci_high": high, "test": test,
                     "p_value": p, "new": is_new})
    return pd.DataFrame(rows, columns=COMPARISON)


def project_comparison(project: Project) -> pd.DataFrame | None:
    """The comparison of a follow-up project as it is curated now; None for a project that is no follow-up."""
    data = project.read()
    return comparison_of(data.meta, data.state, data.answers)


def comparison_of(meta: dict, state, answers: pd.DataFrame, mask=None) -> pd.DataFrame | None:
    """project_comparison from data already read. A baseline theme is followed by its theme id (so renaming
    and merging keep it), else by its name; column name_now holds its name in the follow-up. `mask`: what masks
    the baseline's theme names as shown (the snapshot's masker; `state` from a snapshot has its names masked)."""
    raw = (meta or {}).get("baseline")
    if not raw:
        return None
    baseline = json.loads(raw)
    per_theme = respondents_per_theme(answers)
    by_id = {t["theme_id"]: t for t in baseline["themes"] if t.get("theme_id") is not None}
    by_name = {t["name"]: t for t in baseline["themes"]}
    counts, current = {}, {}
    for tid, theme in sorted(state.themes.items()):
        origin = by_id.get(tid) or by_name.get(theme.name)
        name = origin["name"] if origin else theme.name
        counts[name] = counts.get(name, 0) + int(per_theme.get(tid, 0))
        current[name] = theme.name
    table = compare(baseline, counts, answer_base(answers))
    table.insert(1, "name_now", table["theme"].map(lambda n: current.get(n, "")))
    if mask is not None:
        table["theme"] = table["theme"].map(mask)
    return table


WAVE_LABELS = ("Første måling", "Opfølgning")


def display_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison with Danish headers, as the app and the report show it."""
    first, second = WAVE_LABELS
    return pd.DataFrame({
        "Tema": [now or name for name, now in zip(table["theme"], table.get("name_now", table["theme"]))],
        f"{first}: respondenter": table["count_baseline"],
        f"{first} (%)": table["share_baseline"].round(1),
        f"{second}: respondenter": table["count_followup"],
        f"{second} (%)": table["share_followup"].round(1),
        "Forskel (procentpoint)": table["difference"].round(1),
        "95 %-interval": [f"{number(lo, 1)} til {number(hi, 1)}" if pd.notna(lo) else ""
                          for lo, hi in zip(table["ci_low"], table["ci_high"])],
        "p-værdi": ["" if pd.isna(p) else p_value(p) for p in table["p_value"]],
        "Nyt tema": table["new"].map({True: "Ja", False: ""}),
    })
