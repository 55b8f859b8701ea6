"""Themes × groups: per theme and group the respondents, the share with its 95 % interval, and the test of
the grouping (the report's: leaders against employees, near against far from the labour market; or, for a
survey without them, each background variable's values)."""

from __future__ import annotations

import pandas as pd

from ..project.themes import theme_table
from ..survey.context import has_report_groups, label_of
from ..survey.reading import require_columns
from ..survey.shares import (
    EMPLOYEES,
    FAR,
    LEADERS,
    NEAR,
    groups_by_column,
    report_groups,
    theme_by_group,
    theme_group_tests,
)

GROUPINGS = {"Medarbejdere og ledere": (EMPLOYEES, LEADERS),
             "Tæt på og langt fra arbejdsmarkedet": (NEAR, FAR)}
TEST_NAMES = {"chi2": "Chi²-test", "Fisher": "Fishers eksakte test", "ingen test": "Ingen test"}


def _theme_rows(snap) -> pd.DataFrame:
    """respondent_id, theme: one row per respondent and theme they have (first or second)."""
    answers, names = snap.answers, {t: th.name for t, th in snap.state.themes.items()}
    rows = pd.concat([answers[["respondent_id", "theme_id"]],
                      answers[["respondent_id", "second_theme_id"]].rename(columns={"second_theme_id": "theme_id"})])
    rows = rows[rows["theme_id"].isin(list(names))]
    return pd.DataFrame({"respondent_id": rows["respondent_id"], "theme": rows["theme_id"].astype(int).map(names)})


def groupings_of(survey: pd.DataFrame, config) -> dict[str, dict[str, pd.Series]]:
    """The groupings of the project's description: the report's (leaders and employees, near and far from the
    labour market) when it has them, else one per background variable, named by its label."""
    if has_report_groups(config):
        groups = report_groups(survey, config)
        return {name: {g: groups[g] for g in members} for name, members in GROUPINGS.items()}
    return {label_of(config, c): groups_by_column(survey, c) for c in config.background}


def by_group_table(snap, answered_ids, survey: pd.DataFrame, config) -> pd.DataFrame | None:
    """One row per theme and group, in the theme list's order; `answered_ids`: the respondents with a
    real answer (the base of every share). None when the description has no groups."""
    require_columns(survey, [config.id_column], "undersøgelsen")
    frames = [_grouping_rows(snap, answered_ids, survey, config, name, groups)
              for name, groups in groupings_of(survey, config).items()]
    if not frames:
        return None
    frame = pd.concat(frames, ignore_index=True)
    order = {name: i for i, name in reversed(list(enumerate(theme_table(snap)["name"])))}      # the theme list's order
    return frame.sort_values("Tema", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def _grouping_rows(snap, answered_ids, survey, config, grouping: str, groups: dict) -> pd.DataFrame:
    table = theme_by_group(_theme_rows(snap), answered_ids, survey, config, groups)
    tests = theme_group_tests(table, [tuple(groups)]).set_index("theme")
    frame = pd.DataFrame({"Tema": table["theme"], "Gruppering": grouping, "Gruppe": table["group"],
                          "Respondenter i gruppen": table["n"], "Med temaet": table["count"],
                          "Andel (%)": table["share"], "95 %-interval, fra": table["ci_low"],
                          "95 %-interval, til": table["ci_high"]})
    frame["Test"] = [TEST_NAMES.get(t, "") for t in table["theme"].map(tests["test"]).fillna("ingen test")]
    frame["p-værdi"] = table["theme"].map(tests["p_value"]).astype(float)
    return frame


def shares_for(by_group: pd.DataFrame, themes: list[str], groups) -> dict[str, list[float]]:
    """group -> each theme's share in the group (0 where nobody in the group answered)."""
    out = {}
    for group in groups:
        part = by_group[by_group["Gruppe"] == group].drop_duplicates("Tema").set_index("Tema")
        out[group] = [float(v) for v in part["Andel (%)"].reindex(themes).fillna(0.0)]
    return out
