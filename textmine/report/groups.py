"""Themes × the report's groups: per theme and group the respondents, the share with its 95 % interval,
and the test of the grouping (leaders against employees, near against far from the labour market)."""

from __future__ import annotations

import pandas as pd

from ..shares import EMPLOYEES, FAR, LEADERS, NEAR, report_groups, theme_by_group, theme_group_tests
from ..themes import theme_table

GROUPINGS = {"Medarbejdere og ledere": (EMPLOYEES, LEADERS),
             "Tæt på og langt fra arbejdsmarkedet": (NEAR, FAR)}
TEST_NAMES = {"chi2": "Chi-i-anden", "Fisher": "Fishers eksakte test", "ingen test": "Ingen test"}


def _theme_rows(snap) -> pd.DataFrame:
    """respondent_id, theme: one row per respondent and theme they have (first or second)."""
    answers, names = snap.answers, {t: th.name for t, th in snap.state.themes.items()}
    rows = pd.concat([answers[["respondent_id", "theme_id"]],
                      answers[["respondent_id", "second_theme_id"]].rename(columns={"second_theme_id": "theme_id"})])
    rows = rows[rows["theme_id"].isin(list(names))]
    return pd.DataFrame({"respondent_id": rows["respondent_id"], "theme": rows["theme_id"].astype(int).map(names)})


def by_group_table(snap, answered_ids, survey: pd.DataFrame, config) -> pd.DataFrame:
    """One row per theme and group, in the theme list's order; `answered_ids`: the respondents with a
    real answer (the base of every share)."""
    from ..io import require_columns

    require_columns(survey, [config.id_column], "surveyen")
    table = theme_by_group(_theme_rows(snap), answered_ids, survey, config, report_groups(survey, config))
    tests = theme_group_tests(table, list(GROUPINGS.values()))
    grouping = {g: name for name, groups in GROUPINGS.items() for g in groups}
    label = {" vs ".join(groups): name for name, groups in GROUPINGS.items()}
    tests = tests.assign(grouping=tests["groups"].map(label)).set_index(["theme", "grouping"])
    frame = pd.DataFrame({"Tema": table["theme"], "Gruppering": table["group"].map(grouping), "Gruppe": table["group"],
                          "Respondenter i gruppen": table["n"], "Med temaet": table["count"],
                          "Andel (%)": table["share"], "95 %-interval, fra": table["ci_low"],
                          "95 %-interval, til": table["ci_high"]})
    keys = list(zip(frame["Tema"], frame["Gruppering"]))
    frame["Test"] = [TEST_NAMES.get(tests["test"].get(k, "ingen test"), "") for k in keys]
    frame["p-værdi"] = [tests["p_value"].get(k, float("nan")) for k in keys]
    order = {name: i for i, name in reversed(list(enumerate(theme_table(snap)["name"])))}      # the theme list's order
    return frame.sort_values("Tema", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def shares_for(by_group: pd.DataFrame, themes: list[str], groups) -> dict[str, list[float]]:
    """group -> each theme's share in the group (0 where nobody in the group answered)."""
    out = {}
    for group in groups:
        part = by_group[by_group["Gruppe"] == group].drop_duplicates("Tema").set_index("Tema")
        out[group] = [float(v) for v in part["Andel (%)"].reindex(themes).fillna(0.0)]
    return out
