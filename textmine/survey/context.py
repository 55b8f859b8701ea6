"""What the page shows about the open project's own survey: the groups to split a theme by, who says a
theme and its Likert context, and the *Tal* tab's items. Everything follows the project's description
(`Desk.config_of`), not the app's; a survey without groups or Likert items gets a sentence saying why
the panel is empty. Plain data only (no gradio)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..config import SurveyConfig
from .labels import REPORT_GROUPS, column_label, item_label, item_texts
from .reading import respondent_ids
from .shares import (
    REPORT_COMPARISONS,
    groups_by_column,
    item_shares,
    likert_context,
    report_groups,
    scale,
    theme_by_group,
    theme_group_tests,
)

ALL = "Alle respondenter"
NO_GROUPS = ("Undersøgelsen i dette projekt har ingen baggrundsvariabler, så temaet kan ikke fordeles på grupper. "
             "Giv en kolonne som kommune eller rolle rollen »baggrund«, når du beskriver undersøgelsen under "
             "*Nyt projekt*.")
NO_LIKERT = ("Undersøgelsen i dette projekt har ingen Likert-spørgsmål (svar på en skala), så der er ingen "
             "Likert-kontekst at vise.")
NO_ITEMS = ("Undersøgelsen i det åbne projekt har ingen Likert-spørgsmål (svar på en skala), så der er ingen tal at "
            "vise.")


def has_report_groups(config: SurveyConfig) -> bool:
    return bool(config.groups.get("role_column"))


def label_of(config: SurveyConfig, column: str) -> str:
    """A column in the analyst's words: the description's [labels], else the header as words."""
    return config.labels.get(column) or column_label(column)


def group_choices(config: SurveyConfig) -> list[tuple[str, str]]:
    """What "Fordel på" offers: the report's groups (when the description has them), then every background
    variable by its label."""
    report = [(REPORT_GROUPS, REPORT_GROUPS)] if has_report_groups(config) else []
    return report + [(label_of(config, c), c) for c in config.background]


def group_by_of(config: SurveyConfig, chosen: str | None) -> str | None:
    """The grouping to use: the one chosen if this survey has it, else its first (None: the survey has none)."""
    values = [v for _, v in group_choices(config)]
    return chosen if chosen in values else (values[0] if values else None)


@dataclass
class Context:
    """Who says a theme (by group, with tests) and its Likert context; a note where a part cannot be shown."""

    by_group: pd.DataFrame | None = None
    tests: pd.DataFrame | None = None
    likert: pd.DataFrame | None = None
    group_note: str = ""
    likert_note: str = ""


def context(theme_ids, answered_ids, table: pd.DataFrame, config: SurveyConfig, chosen: str | None) -> Context:
    """A theme's context in the open project's survey, grouped by `chosen` (or the survey's first grouping)."""
    by = group_by_of(config, chosen)
    out = Context(group_note="" if by else NO_GROUPS, likert_note="" if config.likert.fields else NO_LIKERT)
    if by is not None:
        themes = pd.DataFrame({"respondent_id": respondent_ids(theme_ids).tolist(), "theme": "tema"})
        groups = report_groups(table, config) if by == REPORT_GROUPS else groups_by_column(table, by)
        by_group = theme_by_group(themes, answered_ids, table, config, groups)
        tests = theme_group_tests(by_group, REPORT_COMPARISONS if by == REPORT_GROUPS else [tuple(groups)])
        out.by_group, out.tests = by_group.drop(columns="theme"), tests.drop(columns="theme")
    if not out.likert_note:
        out.likert = likert_context(theme_ids, answered_ids, table, config)
    return out


# -- the Tal tab -----------------------------------------------------------------------------------

def item_names(config: SurveyConfig) -> dict[str, str]:
    """Likert item code -> its statement: the description's item texts file, then its [labels]."""
    return {**item_texts(config), **config.labels}


def item_choices(config: SurveyConfig) -> list[tuple[str, str]]:
    names = item_names(config)
    return [(item_label(names, c), c) for items in config.likert.fields.values() for c in items]


def number_groups(table: pd.DataFrame, config: SurveyConfig, chosen: str | None = None) -> dict[str, pd.Series]:
    """The *Tal* tab's groups: those of the grouping `chosen` in "Fordel på" (group_choices), else the survey's
    first: the report's groups, or all respondents and a background variable's values."""
    by = group_by_of(config, chosen)
    if by == REPORT_GROUPS:
        return report_groups(table, config)
    everyone = {ALL: pd.Series(True, index=table.index)}
    return {**everyone, **groups_by_column(table, by)} if by is not None else everyone


def numbers(table: pd.DataFrame, config: SurveyConfig, chosen: str | None = None) -> pd.DataFrame | None:
    """Every Likert item's share answering high, per group of `number_groups`; None without Likert items."""
    if not config.likert.fields:
        return None
    return item_shares(table, config, number_groups(table, config, chosen))


def is_field(config: SurveyConfig, field: str) -> bool:
    """Whether a [likert.fields] entry groups items under a name of its own, rather than standing for its one
    item under the item's own name (what the setup proposes for an item like "Spm01" with no shared prefix)."""
    items = config.likert.fields.get(field, ())
    return not (len(items) == 1 and str(field).lower() in (items[0].lower(), column_label(items[0]).lower()))


def shown_fields(config: SurveyConfig, fields) -> list[str]:
    """The "Vidensfelt" cells of the items' tables (the *Tal* tab, the workbook's Likert sheet): the field's name
    when it is a knowledge field (is_field), else empty rather than the item's code a second time."""
    return [str(f) if is_field(config, f) else "" for f in fields]


def high_phrase(config: SurveyConfig) -> str:
    """What "high" means on this survey's scale: '4–5 (i høj eller i meget høj grad)' with the description's
    [likert] high_text, else its labels, else the scale's numbers."""
    labels, high_text = config.likert.labels, config.likert.high_text
    low, high, _, top = scale(config)
    if high_text:
        return f"{top}–{high} ({high_text})"
    words = f" ({' eller '.join(f'»{t}«' for t in labels[top - low:high - low + 1])})" if labels else \
        f" på skalaen {low}–{high}"
    return f"{top}–{high}{words}"


def numbers_intro(config: SurveyConfig) -> str:
    if not config.likert.fields:
        return NO_ITEMS
    return f"Andel, der svarer {high_phrase(config)}, blandt dem, der har svaret."
