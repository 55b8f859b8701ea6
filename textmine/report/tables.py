"""The report's tables, built once from a project; every writer renders these DataFrames."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..store import Project
from ..themes import snapshot, theme_answers, theme_table


@dataclass
class ReportTables:
    question: str
    themes: pd.DataFrame       # Tema, Beskrivelse, Svar, Andel af svar (%), Respondenter, Andel af respondenter (%), Nøgleord, Citater
    answers: pd.DataFrame      # Respondent, Svar, Tema, Andet tema

    def sheets(self) -> dict[str, pd.DataFrame]:
        return {"Temaer": self.themes, "Kodede svar": self.answers}


def build(project: Project, n_quotes: int = 5) -> ReportTables:
    snap = snapshot(project)
    themes = theme_table(snap)
    answers = snap.answers
    names = {t: th.name for t, th in snap.state.themes.items()}
    respondents = answers["respondent_id"].nunique()
    rows = []
    for row in themes.itertuples():
        has = (answers["theme_id"] == row.theme_id) | (answers["second_theme_id"] == row.theme_id)
        quotes = theme_answers(snap, row.theme_id)[0][:n_quotes]
        rows.append({"Tema": row.name, "Beskrivelse": row.description, "Svar": row.size,
                     "Andel af svar (%)": round(row.share, 1),
                     "Respondenter": int(answers.loc[has, "respondent_id"].nunique()),
                     "Andel af respondenter (%)": round(100 * answers.loc[has, "respondent_id"].nunique()
                                                        / max(respondents, 1), 1),
                     "Nøgleord": row.keywords, "Citater": "\n".join(f"“{q}”" for q in quotes)})
    coded = pd.DataFrame({"Respondent": answers["respondent_id"], "Svar": answers["text"],
                          "Tema": answers["theme_id"].map(names).fillna(""),
                          "Andet tema": answers["second_theme_id"].map(names).fillna("")})
    return ReportTables(project.question(), pd.DataFrame(rows), coded)
