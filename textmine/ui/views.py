"""What the page shows, as plain strings and DataFrames (testable without a browser)."""

from __future__ import annotations

import pandas as pd

from ..config import SurveyConfig


def header(config: SurveyConfig, table: pd.DataFrame) -> str:
    name = config.survey_file.name if config.survey_file else "survey"
    return (f"# textmine\n**Fra fritekstsvar til temaer.** Survey: *{name}* – {len(table)} respondenter, "
            f"{len(config.questions)} åbne spørgsmål. Alt kører på denne maskine; svarene forlader den ikke.")


def question_label(config: SurveyConfig, question: str) -> str:
    text = config.questions.get(question, "")
    return f"{question}: {text[:80]}{'…' if len(text) > 80 else ''}"


def summary(found) -> str:
    real = int(found.answers["is_answer"].sum())
    skipped = len(found.answers) - real
    return (f"**{real} svar** fordelt på **{len(found.discovery.table)} klynger**. "
            f"{skipped} ikke-svar (fx 'ved ikke', '-') er sprunget over.")


def cluster_table(found) -> pd.DataFrame:
    table = found.discovery.table
    total = max(int(table["size"].sum()), 1)
    return pd.DataFrame({
        "Klynge": table["cluster"],
        "Antal svar": table["size"],
        "Andel": (100 * table["size"] / total).round(1).astype(str) + " %",
        "Nøgleord": table["keywords"],
    })


def cluster_details(found, row: int) -> str:
    if found is None or row >= len(found.discovery.table):
        return ""
    cluster = found.discovery.table.iloc[row]
    lines = [f"### Klynge {cluster['cluster']} – {cluster['size']} svar",
             f"**Nøgleord:** {cluster['keywords']}", "", "**Typiske svar:**"]
    lines += [f"> {example}" for example in cluster["examples"]]
    return "\n\n".join(lines)
