"""What the survey shows beside the themes, gradio-free: who says a theme (*Hvem siger det?*), the Likert
items of *Tal*, and what follows the open project's survey (the header, the groupings, *Nyt projekt*'s
questions). Imports the survey's statistics (SciPy): the page imports this module when first used."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..config import SurveyConfig
from ..errors import TextmineError
from ..project.themes import respondents
from ..survey.context import (
    context,
    group_by_of,
    group_choices,
    high_phrase,
    item_choices,
    item_names,
    numbers,
    numbers_intro,
    shown_fields,
)
from ..survey.labels import REPORT_GROUPS, item_label
from ..survey.shares import wide_item_shares
from . import views
from .desk import Desk, Session
from .views import capitalised, pct


def item_share_table(items: pd.DataFrame, texts: dict[str, str] | None = None,
                     config: SurveyConfig | None = None) -> pd.DataFrame:
    """Items as rows (their statements when `texts` has them), the groups as columns, whole percents as
    published. With the survey's `config`, an item's knowledge field only when it has one (survey_view.is_field),
    and no "Vidensfelt" column when no item has."""
    table = wide_item_shares(items, decimals=0)
    fields = shown_fields(config, table["Vidensfelt"]) if config is not None else table["Vidensfelt"]
    table["Vidensfelt"] = [capitalised(f) for f in fields]
    if config is not None and not any(fields):
        table = table.drop(columns="Vidensfelt")
    if texts is not None:
        table["Spørgsmål"] = table["Spørgsmål"].map(lambda code: item_label(texts, code))
        groups = [c for c in table.columns if c not in ("Vidensfelt", "Spørgsmål")]
        table[groups] = table[groups].apply(lambda col: col.map(pct))
    return table


def context_of(desk: Desk, session: Session):
    """(who says it (HTML), tests (Markdown), the bar chart's data, the Likert caption, Likert (HTML)) of the
    selected theme, in the open project's own survey."""
    if session.theme is None or session.theme < 0 or not session.project:
        return "Vælg et tema for at se, hvem der nævner det.", "", None, "", ""
    snap = desk.snapshot(session.project)
    config = desk.config_of(snap)
    found = context(*respondents(snap, session.theme), desk.survey(snap), config, session.group_by)
    who, test_text = views.who_says_it(found.by_group, found.tests) if found.by_group is not None else (None, "")
    caption = "" if found.likert_note else (f"**Likert-kontekst:** andel med gennemsnit {high_phrase(config)} i "
                                             "feltet: temaets respondenter mod de øvrige, der har svaret.")
    return (views.note(found.group_note) if found.group_note else views.html_table(who), test_text,
            views.share_plot(found.by_group) if found.by_group is not None else None, caption,
            views.note(found.likert_note) if found.likert_note else
            views.html_table(views.likert_context_table(found.likert)))


def survey_parts(desk: Desk, session: Session) -> tuple[Session, dict]:
    """What follows the open project's survey (or the app's, with none open): the header, the groupings of
    "Fordel på", the items of *Tal*, and *Nyt projekt*'s survey, description and questions (a new discovery
    from the same survey), as plain values; the session with the grouping it now uses."""
    snap = desk.snapshot(session.project) if session.project else None
    config = desk.config_of(snap)
    try:
        table = desk.survey(snap)
    except TextmineError:                          # the survey file is gone: the project still opens
        table = None
    by = group_by_of(config, session.group_by)
    items = item_choices(config)
    own = snap is not None and config is not desk.config and config.path is not None and Path(config.path).is_file()
    survey = snap.survey if snap is not None and snap.survey and Path(snap.survey).is_file() else config.survey_file
    return replace(session, group_by=by or REPORT_GROUPS), {
        "survey": str(survey or ""), "described": str(config.path) if own else "",
        "questions": [(views.question_label(config, q), q) for q in config.questions],
        "header": views.header(config, table, snap.survey if snap is not None and snap.survey else None),
        "groups": group_choices(config), "group": by, "items": items, "item": items[0][1] if items else None,
        "numbers": numbers_intro(config), "number_group": group_by_of(config, None)}


def numbers_of(desk: Desk, session: Session, code: str | None, by: str | None = None):
    """(the chart's data, the table as HTML) of the *Tal* tab for the open project's survey, by the grouping `by`
    chosen in its "Fordel på" (None: the survey's first)."""
    snap = desk.snapshot(session.project) if session.project else None
    config = desk.config_of(snap)
    items = numbers(desk.survey(snap), config, by)
    if items is None:                               # the tab's first line says why (survey_view.numbers_intro)
        return None, ""
    return views.item_plot(items, code), views.html_table(item_share_table(items, item_names(config), config))
