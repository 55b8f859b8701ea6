"""What the analyst sees of a project, built once from the file: theme list, a theme's answers,
unplaced answers with the closest themes, and the map. The UI and the exports render these."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .describe import closest_themes, keywords, split_labels, typical
from .privacy import Masker
from .store import Project
from .text import DanishLemmatizer


@dataclass
class Snapshot:
    """A project as read at one version."""

    version: int
    answers: pd.DataFrame          # answer_id, respondent_id, text, cluster, x, y, theme_id, second_theme_id
    state: object                  # curation.State
    vectors: np.ndarray | None
    lemmatizer: DanishLemmatizer
    survey: str = ""               # the survey file the project was discovered from
    meta: dict = None              # the project's meta values (model_dir, baseline of a follow-up, ...)

    def members(self) -> dict[int, list[int]]:
        return {t: self.state.members(t) for t in self.state.themes}


def snapshot(project: Project, masker: Masker | None = None) -> Snapshot:
    """The project as shown: answer texts masked (privacy.py; default masking when no masker is given)."""
    data = project.load()
    meta = data["meta"]
    data["answers"]["text"] = data["answers"]["text"].map(masker or Masker())
    return Snapshot(data["version"], data["answers"], data["state"], data["vectors"],
                    DanishLemmatizer(json.loads(meta.get("stopwords", "[]"))), meta.get("survey", ""), meta)


def theme_table(snap: Snapshot) -> pd.DataFrame:
    """One row per theme: id, name, size, share of answers, keywords, final, description (largest first)."""
    answers = snap.answers
    words = keywords(answers["text"], answers["theme_id"], snap.lemmatizer)
    sizes = snap.state.sizes()
    rows = [{"theme_id": t, "name": th.name, "size": sizes[t], "share": 100 * sizes[t] / max(len(answers), 1),
             "keywords": words.get(t, ""), "final": th.final, "description": th.description}
            for t, th in snap.state.themes.items()]
    table = pd.DataFrame(rows, columns=["theme_id", "name", "size", "share", "keywords", "final", "description"])
    return table.sort_values(["size", "theme_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def theme_answers(snap: Snapshot, theme_id: int, search: str = "") -> tuple[list[str], pd.DataFrame]:
    """(typical answers, every answer of the theme with id, typical first), optionally filtered by a search text."""
    members = snap.state.members(theme_id)
    texts = snap.answers["text"]
    top = typical(snap.vectors, members, texts)
    order = sorted(members, key=lambda a: (texts[a] not in top, top.index(texts[a]) if texts[a] in top else 0, a))
    table = pd.DataFrame({"answer_id": order, "text": texts[order].values})
    if search.strip():
        table = table[table["text"].str.contains(search.strip(), case=False, regex=False)]
    return top, table.reset_index(drop=True)


def unplaced(snap: Snapshot) -> pd.DataFrame:
    """Unplaced answers with the closest themes and their similarity."""
    rows = []
    members = snap.members()
    for a in snap.state.unplaced():
        near = closest_themes(snap.vectors, a, members) if snap.vectors is not None else []
        rows.append({"answer_id": a, "text": snap.answers["text"][a],
                     "suggestions": "; ".join(f"{snap.state.themes[t].name} ({s:.2f})" for t, s in near),
                     "best": near[0][0] if near else None})
    return pd.DataFrame(rows, columns=["answer_id", "text", "suggestions", "best"])


def respondents(snap: Snapshot, theme_id: int) -> tuple[list[str], list[str]]:
    """(respondents with the theme as first or second theme, every respondent who answered)."""
    answers = snap.answers
    has = (answers["theme_id"] == theme_id) | (answers["second_theme_id"] == theme_id)
    return answers.loc[has, "respondent_id"].tolist(), answers["respondent_id"].tolist()


def split_plan(snap: Snapshot, theme_id: int, k: int) -> dict[int, int]:
    members = snap.state.members(theme_id)
    if snap.vectors is None:
        return {a: i % k for i, a in enumerate(members)}
    return split_labels(snap.vectors, members, k)


def map_points(snap: Snapshot) -> pd.DataFrame:
    names = {t: th.name for t, th in snap.state.themes.items()}
    return pd.DataFrame({"x": snap.answers["x"], "y": snap.answers["y"],
                         "Tema": snap.answers["theme_id"].map(names).fillna("Ikke placeret"),
                         "Svar": snap.answers["text"].str.slice(0, 140)})
