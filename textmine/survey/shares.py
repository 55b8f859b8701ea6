"""Counts, shares and significance beside the themes: pure pandas and scipy, no UI.

Definitions (the report's, see data/README.md):
- an item's share is the percent answering `high_from` or more (4 or 5 on a 1-5 scale) among those who
  answered it; empty cells and values outside the scale (not asked, not answered) are not counted;
- a knowledge field's share is the percent of respondents whose mean over the field's items they
  answered is `high_from` or more, among respondents who answered at least one of its items;
- the Low/Middle/High distribution splits the scale at `low_max` and `high_from` (1-2 / 3 / 4-5);
- with a weight column every share and mean is weighted; n stays the number of respondents, and
  confidence intervals use Kish's effective sample size;
- groups: Medarbejdere and Ledere by the role column; among employees, "Tæt på arbejdsmarkedet" works
  only with near target groups and "Langt fra arbejdsmarkedet" only with far ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..config import SurveyConfig
from ..errors import ColumnError, ConfigError
from ..files import write_csv
from .reading import check_ids, read_survey, require_columns, respondent_ids
from .scales import DONT_KNOW, TEXT_SCALES

EMPLOYEES, LEADERS = "Medarbejdere", "Ledere"
NEAR, FAR = "Tæt på arbejdsmarkedet", "Langt fra arbejdsmarkedet"


# --- groups and values --------------------------------------------------------------------------

def report_groups(table: pd.DataFrame, config: SurveyConfig) -> dict[str, pd.Series]:
    """The report's four groups as boolean masks over the respondents."""
    g = config.groups
    if not g.get("role_column"):
        raise ConfigError("Konfigurationsfilen mangler [groups] role_column: kolonnen med leder/medarbejder.")
    require_columns(table, [g["role_column"], *g.get("near_columns", []), *g.get("far_columns", [])], "undersøgelsen")
    yes = g.get("yes_value", "Ja")
    role = table[g["role_column"]].astype(str).str.strip()
    employee = role == g.get("employee_value", "Medarbejder")
    near = (table[g.get("near_columns", [])] == yes).any(axis=1)
    far = (table[g.get("far_columns", [])] == yes).any(axis=1)
    return {EMPLOYEES: employee, LEADERS: role == g.get("leader_value", "Leder"),
            NEAR: employee & near & ~far, FAR: employee & far & ~near}


def groups_by_column(table: pd.DataFrame, column: str) -> dict[str, pd.Series]:
    """One group per value of a background column (municipality, seniority, ...), empty cells left out, in the
    survey's own order (value_order): the order of every table, chart and export of the groups."""
    require_columns(table, [column], "undersøgelsen")
    values = table[column].astype(str).str.strip()
    labelled = (table.attrs.get("value_labels") or {}).get(column, [])
    return {value: values == value for value in value_order(values, labelled)}


_BELOW = re.compile(r"^\s*(under|mindre end|færre end|op til|højst|før)\b", re.I)
_ABOVE = re.compile(r"^\s*(over|mere end|flere end|efter)\b|(\+|eller mere|eller flere|og derover|og over)\s*\S*\s*$",
                    re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def value_order(values: pd.Series, labelled=()) -> list[str]:
    """A background column's distinct non-empty values in the survey's own order: the order of its SPSS value
    labels (`labelled`), else of an ordered scale (the Likert-like labels of scales.TEXT_SCALES, or
    amounts like "Under 1 år", "1-2 år", "Over 10 år"), else the order they first appear in the file.
    Values the labels or the scale do not know follow in the order they first appear."""
    seen = [v for v in dict.fromkeys(values.astype(str).str.strip()) if v]
    if labelled:
        known = [str(v).strip() for v in labelled]
        return [v for v in known if v in seen] + [v for v in seen if v not in known]
    return _on_scale(seen) or _by_amount(seen) or seen


def _on_scale(seen: list[str]) -> list[str] | None:
    """The values in a Likert-like scale's order ("ved ikke" and the like last), when they all lie on one."""
    lowered = [v.lower() for v in seen]
    answered = [v for v in lowered if v not in DONT_KNOW]
    for labels in TEXT_SCALES:
        if len(answered) >= 2 and all(v in labels for v in answered):
            rank = {label: i for i, label in enumerate(labels)}
            return [v for _, v in sorted(zip(lowered, seen), key=lambda p: rank.get(p[0], len(labels)))]
    return None


def _by_amount(seen: list[str]) -> list[str] | None:
    """The values by the amount they name ("Under 1 år" < "1-2 år" < "6-10 år" < "Over 10 år"), when each
    names one; None when one does not."""
    def amount(value: str):
        found = _NUMBER.search(value)
        if found is None:
            return None
        step = -1 if _BELOW.search(value) else 1 if _ABOVE.search(value) else 0
        return float(found.group().replace(",", ".")), step
    keys = [amount(v) for v in seen]
    if len(seen) < 2 or any(k is None for k in keys):
        return None
    return [v for _, v in sorted(zip(keys, seen), key=lambda p: p[0])]


def likert_fields(config: SurveyConfig) -> dict[str, list[str]]:
    fields = config.likert.fields
    if not fields:
        raise ConfigError("Konfigurationsfilen mangler [likert.fields]: hvilke Likert-spørgsmål hører til hvilket vidensfelt.")
    return {name: list(items) for name, items in fields.items()}


def scale(config: SurveyConfig) -> tuple[int, int, int, int]:
    """(scale_min, scale_max, low_max, high_from) of the description's [likert]; cuts it leaves out by scale_cuts."""
    lk = config.likert
    return lk.scale_min, lk.scale_max, lk.low_max, lk.high_from



def likert_values(table: pd.DataFrame, items: list[str], config: SurveyConfig) -> pd.DataFrame:
    """Numeric answers; NaN where empty, not a number, outside the scale or a "not answered" code
    (`[likert] missing`). Text labels (`[likert] labels`, lowest first) count as scale_min, scale_min + 1, ..."""
    require_columns(table, items, "undersøgelsen")
    low, high, _, _ = scale(config)
    codes = {str(label).strip().lower(): low + i for i, label in enumerate(config.likert.labels)}
    missing = {str(m).strip().lower() for m in config.likert.missing}

    def numeric(col: pd.Series) -> pd.Series:
        text = col.astype(str).str.strip().str.lower()
        values = pd.to_numeric(text, errors="coerce")
        if codes:
            values = values.fillna(text.map(codes))
        return values.where(~text.isin(missing))
    values = table[items].apply(numeric)
    return values.where((values >= low) & (values <= high))


def weights_of(table: pd.DataFrame, config: SurveyConfig) -> pd.Series:
    column = config.weight_column
    if not column:
        return pd.Series(1.0, index=table.index)
    if column not in table.columns:
        raise ColumnError(f"Vægtkolonnen '{column}' findes ikke i undersøgelsen. "
                          "Ret weight_column i konfigurationsfilen.")
    return pd.to_numeric(table[column], errors="coerce").fillna(0.0).clip(lower=0.0)


# --- shares -------------------------------------------------------------------------------------

def weighted_share(flags: pd.Series, answered: pd.Series, weights: pd.Series) -> tuple[int, float]:
    """(n answered, percent of the answered weight that is flagged); NaN share when nobody answered."""
    n = int(answered.sum())
    total = weights[answered].sum()
    return n, (100.0 * weights[answered & flags].sum() / total) if total > 0 else float("nan")


def _items_by_group(table: pd.DataFrame, config: SurveyConfig, groups: dict[str, pd.Series] | None):
    """(field, item, answers of the item, who answered it in the group, group) for every item and group."""
    groups = groups if groups is not None else report_groups(table, config)
    for field, items in likert_fields(config).items():
        values = likert_values(table, items, config)
        for item in items:
            answered = values[item].notna()
            for group, mask in groups.items():
                yield field, item, values[item], answered & mask, group


def item_shares(table: pd.DataFrame, config: SurveyConfig, groups: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """One row per item and group: item, field, group, n, share (percent high, unrounded), mean."""
    weights, (_, _, _, high) = weights_of(table, config), scale(config)
    rows = []
    for field, item, values, base, group in _items_by_group(table, config, groups):
        n, share = weighted_share(values >= high, base, weights)
        mean = np.average(values[base], weights=weights[base]) if n and weights[base].sum() > 0 else float("nan")
        rows.append({"item": item, "field": field, "group": group, "n": n, "share": share, "mean": mean})
    return pd.DataFrame(rows, columns=["item", "field", "group", "n", "share", "mean"])


def wide_item_shares(items: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """Items as rows (in the config's order), groups as columns: Vidensfelt, Spørgsmål, one share per group."""
    order = list(dict.fromkeys(zip(items["field"], items["item"])))
    wide = items.pivot(index=["field", "item"], columns="group", values="share")
    wide = wide.reindex(index=pd.MultiIndex.from_tuples(order, names=["field", "item"]),
                        columns=list(dict.fromkeys(items["group"]))).round(decimals).reset_index()
    wide.columns.name = None
    return wide.rename(columns={"field": "Vidensfelt", "item": "Spørgsmål"})


def field_means(table: pd.DataFrame, config: SurveyConfig) -> pd.DataFrame:
    """Each respondent's mean over the items of each field they answered (NaN when none)."""
    return pd.DataFrame({field: likert_values(table, items, config).mean(axis=1)
                         for field, items in likert_fields(config).items()})


def field_shares(table: pd.DataFrame, config: SurveyConfig, groups: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """One row per field and group: percent of respondents whose field mean is high_from or more."""
    groups = groups if groups is not None else report_groups(table, config)
    weights, (_, _, _, high), means = weights_of(table, config), scale(config), field_means(table, config)
    rows = []
    for field in means.columns:
        answered = means[field].notna()
        for group, mask in groups.items():
            n, share = weighted_share(means[field] >= high, answered & mask, weights)
            rows.append({"field": field, "group": group, "n": n, "share": share})
    return pd.DataFrame(rows, columns=["field", "group", "n", "share"])


def item_distribution(table: pd.DataFrame, config: SurveyConfig, groups: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """Low/Middle/High percents per item and group, their total (100) and the mean of the codes, weighted
    when a weight column is set, with n: the appendix tables (one per field, as the report's Tabel 1.1)."""
    weights, (_, _, low_max, high) = weights_of(table, config), scale(config)
    rows = []
    for field, item, values, base, group in _items_by_group(table, config, groups):
        n, low = weighted_share(values <= low_max, base, weights)
        _, top = weighted_share(values >= high, base, weights)
        mean = np.average(values[base], weights=weights[base]) if n and weights[base].sum() > 0 else float("nan")
        rows.append({"field": field, "item": item, "group": group, "n": n, "Lavt": low, "Mellem": 100 - low - top,
                     "Højt": top, "I alt": 100.0 if n else float("nan"), "Gennemsnit": mean})
    return pd.DataFrame(rows, columns=["field", "item", "group", "n", "Lavt", "Mellem", "Højt", "I alt", "Gennemsnit"])


# --- uncertainty and tests ----------------------------------------------------------------------

def wilson_interval(count: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion, in percent; (nan, nan) for n = 0."""
    if n <= 0:
        return float("nan"), float("nan")
    z = stats.norm.ppf(0.5 + level / 2)
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def effective_n(weights: pd.Series) -> float:
    """Kish's effective sample size: n for equal weights."""
    total = weights.sum()
    return float(total * total / (weights ** 2).sum()) if total > 0 else 0.0


def group_difference_test(counts: list[int], totals: list[int]) -> tuple[str, float]:
    """Test that the share is the same in every group: Fisher's exact test for two groups with an
    expected count under 5, else Pearson's chi-square (no continuity correction)."""
    table = np.array([[c, t - c] for c, t in zip(counts, totals)])
    table = table[table.sum(axis=1) > 0]
    if len(table) < 2 or (table.sum(axis=0) == 0).any():
        return "ingen test", float("nan")
    expected = stats.contingency.expected_freq(table)
    if len(table) == 2 and (expected < 5).any():
        return "Fisher", float(stats.fisher_exact(table)[1])
    return "chi2", float(stats.chi2_contingency(table, correction=False)[1])


# --- themes against groups and Likert fields ------------------------------------------------------

def _membership(table: pd.DataFrame, config: SurveyConfig, members) -> pd.Series:
    return respondent_ids(table[config.id_column]).isin(set(respondent_ids(members)))


def theme_by_group(themes: pd.DataFrame, answered_ids, table: pd.DataFrame, config: SurveyConfig,
                   groups: dict[str, pd.Series], level: float = 0.95) -> pd.DataFrame:
    """Per theme and group: respondents who answered the question (n), those with the theme (count),
    the weighted share in percent and its confidence interval.

    themes: respondent_id, theme (a respondent with two themes has two rows).
    """
    weights, answered = weights_of(table, config), _membership(table, config, answered_ids)
    rows = []
    for theme, members in themes.groupby("theme", sort=False)["respondent_id"]:
        has = _membership(table, config, members) & answered
        for group, mask in groups.items():
            base = answered & mask
            n, share = weighted_share(has, base, weights)
            neff = effective_n(weights[base])
            low, high = wilson_interval(share / 100 * neff, neff, level) if n else (float("nan"),) * 2
            rows.append({"theme": theme, "group": group, "n": n, "count": int((has & mask).sum()),
                         "share": share, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows, columns=["theme", "group", "n", "count", "share", "ci_low", "ci_high"])


def theme_group_tests(by_group: pd.DataFrame, comparisons: list[tuple[str, ...]]) -> pd.DataFrame:
    """For each theme and each set of groups compared: the test used and its p-value (unweighted counts)."""
    rows = []
    for theme, part in by_group.groupby("theme", sort=False):
        part = part.set_index("group")
        for groups in comparisons:
            present = [g for g in groups if g in part.index]
            test, p = group_difference_test(part.loc[present, "count"].tolist(), part.loc[present, "n"].tolist())
            label = " vs ".join(present) if len(present) <= 2 else f"{len(present)} grupper"
            rows.append({"theme": theme, "groups": label, "test": test, "p_value": p})
    return pd.DataFrame(rows, columns=["theme", "groups", "test", "p_value"])


REPORT_COMPARISONS = [(EMPLOYEES, LEADERS), (NEAR, FAR)]


def likert_context(theme_ids, answered_ids, table: pd.DataFrame, config: SurveyConfig) -> pd.DataFrame:
    """Per knowledge field: share with a field mean of 4+ among the theme's respondents against the
    other respondents who answered the question, and the difference in points."""
    weights, means, (_, _, _, high) = weights_of(table, config), field_means(table, config), scale(config)
    answered = _membership(table, config, answered_ids)
    in_theme = _membership(table, config, theme_ids) & answered
    rows = []
    for field in means.columns:
        rated = means[field].notna()
        n_theme, theme_share = weighted_share(means[field] >= high, rated & in_theme, weights)
        n_other, other_share = weighted_share(means[field] >= high, rated & answered & ~in_theme, weights)
        rows.append({"field": field, "n_theme": n_theme, "share_theme": theme_share,
                     "n_others": n_other, "share_others": other_share, "difference": theme_share - other_share})
    return pd.DataFrame(rows)


def theme_context(theme_ids, answered_ids, table: pd.DataFrame, config: SurveyConfig, by: str | None = None):
    """Who says a theme, with tests, and its Likert context, in one call.

    by: None for the report's groups (leaders vs employees, near vs far), else a background column
    (every value a group, all compared in one test)."""
    themes = pd.DataFrame({"respondent_id": respondent_ids(theme_ids).tolist(), "theme": "tema"})
    groups = report_groups(table, config) if by is None else groups_by_column(table, by)
    by_group = theme_by_group(themes, answered_ids, table, config, groups)
    tests = theme_group_tests(by_group, REPORT_COMPARISONS if by is None else [tuple(groups)])
    return by_group.drop(columns="theme"), tests.drop(columns="theme"), likert_context(theme_ids, answered_ids, table, config)


def write_shares(survey: Path, config: SurveyConfig, out: Path, by: str | None = None,
                 sheet: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`textmine shares`: item_shares.csv, field_shares.csv and item_distribution.csv in `out`, by the report's
    groups or by the background column `by`; returns (the item shares, the field shares)."""
    table = read_survey(survey, config.sheet_for(survey, sheet))
    if config.id_column in table.columns:            # a respondent counted twice would skew every share
        ids = respondent_ids(table[config.id_column])
        check_ids(ids, pd.Series(False, index=ids.index), config.id_column, survey.name)
    groups = groups_by_column(table, by) if by else None
    items = item_shares(table, config, groups)
    fields = field_shares(table, config, groups)
    distribution = item_distribution(table, config, groups)
    out.mkdir(parents=True, exist_ok=True)
    for frame, name in ((items[["item", "group", "n", "share"]], "item_shares.csv"), (fields, "field_shares.csv"),
                        (distribution, "item_distribution.csv")):
        write_csv(frame, out / name)             # whole or not at all; a group value is never a live formula
    return items, fields
