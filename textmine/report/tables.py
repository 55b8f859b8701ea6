"""The report's tables, built once from a project; every writer renders these DataFrames."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import TextmineError
from ..projectdata import ProjectData
from ..themes import snapshot, theme_answers, theme_name, theme_table


@dataclass
class ReportTables:
    question: str
    question_text: str         # the question as asked
    themes: pd.DataFrame       # Tema, Beskrivelse, Svar, Andel af svar (%), Respondenter, Andel af respondenter (%), Nøgleord, Citater
    answers: pd.DataFrame      # Respondent, Svar, Tema, Andet tema
    by_group: pd.DataFrame | None = None   # Tema, Gruppe, Svar i gruppen, Med temaet, Andel (%), 95 %-interval
    likert: pd.DataFrame | None = None     # Vidensfelt, Spørgsmål, then the share answering 4-5 per group
    waves: pd.DataFrame | None = None      # a follow-up project's themes in both waves (waves.display_comparison)
    notes: tuple[str, ...] = ()            # what was left out and why, for the analyst (Danish)

    def sheets(self) -> dict[str, pd.DataFrame]:
        sheets = {"Temaer": self.themes, "Kodede svar": self.answers}
        if self.by_group is not None:
            sheets["Temaer × grupper"] = self.by_group
        if self.likert is not None:
            sheets["Likert-andele"] = self.likert
        if self.waves is not None:
            sheets["Bølger"] = self.waves
        return sheets

    def quotes(self, row) -> list[str]:
        return [q for q in str(row["Citater"]).split("\n") if q]


def _by_group(snap, survey: pd.DataFrame, config) -> pd.DataFrame:
    from ..io import require_columns
    from ..shares import report_groups, theme_by_group

    require_columns(survey, [config.id_column], "surveyen")
    answers = snap.answers
    names = {t: th.name for t, th in snap.state.themes.items()}
    rows = pd.concat([answers[["respondent_id", "theme_id"]],
                      answers[["respondent_id", "second_theme_id"]].rename(columns={"second_theme_id": "theme_id"})])
    rows = rows.dropna(subset=["theme_id"])
    rows = rows[rows["theme_id"].isin(list(names))]
    themes = pd.DataFrame({"respondent_id": rows["respondent_id"], "theme": rows["theme_id"].astype(int).map(names)})
    table = theme_by_group(themes, answers["respondent_id"], survey, config, report_groups(survey, config))
    return pd.DataFrame({"Tema": table["theme"], "Gruppe": table["group"], "Svar i gruppen": table["n"],
                         "Med temaet": table["count"], "Andel (%)": table["share"].round(1),
                         "95 %-interval": [f"{lo:.1f}–{hi:.1f}" for lo, hi in zip(table["ci_low"], table["ci_high"])]})


def build(data: ProjectData, n_quotes: int = 5, question_text: str = "", survey: pd.DataFrame | None = None,
          config=None, masker=None) -> ReportTables:
    """The report tables of a project; with the survey table and its config also themes × groups.
    Answer texts are masked (privacy.py): by `masker`, else as the config says, else by default."""
    from ..privacy import masker_for

    snap = snapshot(data, masker or (masker_for(config) if config is not None else None))
    themes = theme_table(snap)
    answers = snap.answers
    names = {t: th.name for t, th in snap.state.themes.items()}
    respondents = answers.loc[answers["theme_id"].fillna(-2) != -1, "respondent_id"].nunique()
    rows = []
    for row in themes.itertuples():
        quotes = theme_answers(snap, row.theme_id)[0][:n_quotes]
        rows.append({"Tema": row.name, "Beskrivelse": row.description, "Svar": row.size,
                     "Andel af svar (%)": round(row.share, 1), "Respondenter": int(row.respondents),
                     "Andel af respondenter (%)": round(100 * row.respondents / max(respondents, 1), 1),
                     "Nøgleord": row.keywords, "Citater": "\n".join(f"“{q}”" for q in quotes)})
    coded = pd.DataFrame({"Respondent": answers["respondent_id"], "Svar": answers["text"],
                          "Tema": [theme_name(snap, int(t)) if pd.notna(t) else ""
                                   for t in answers["theme_id"]],
                          "Andet tema": answers["second_theme_id"].map(names).fillna("")})
    by_group = likert = None
    notes = []
    if survey is not None and config is not None and config.groups:
        from ..shares import item_shares, wide_item_shares

        by_group = _unless_missing(lambda: _by_group(snap, survey, config), notes,
                                   "Temaerne fordelt på rapportens grupper (arket 'Temaer × grupper' og grupperne i "
                                   "diagrammet)")
        if config.likert.get("fields"):
            likert = _unless_missing(lambda: wide_item_shares(item_shares(survey, config)), notes,
                                     "Likert-andelene (arket 'Likert-andele')")
    from ..waves import comparison_of, display_comparison

    comparison = comparison_of(snap.meta, snap.state, answers)        # from the snapshot: no second read
    waves = display_comparison(comparison) if comparison is not None else None
    return ReportTables(data.question, question_text or data.question, pd.DataFrame(rows), coded,
                        by_group, likert, waves, tuple(notes))


def _unless_missing(build, notes: list[str], what: str):
    """build(), or None and a note saying `what` is left out when the survey or the config lacks what it
    needs (a column, a setting): the rest of the report is still written."""
    try:
        return build()
    except TextmineError as exc:
        notes.append(f"{what} er udeladt: {' '.join(str(exc).split())}")
        return None

