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


def _pct(value) -> str:
    return "–" if pd.isna(value) else f"{value:.0f} %"


def who_says_it(by_group: pd.DataFrame, tests: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The theme's share of each group's answering respondents, and the tests between groups."""
    table = pd.DataFrame({
        "Gruppe": by_group["group"],
        "Med temaet": [f"{c} af {n}" for c, n in zip(by_group["count"], by_group["n"])],
        "Andel (95 %-interval)": [f"{_pct(s)} ({lo:.0f}–{hi:.0f})" if pd.notna(lo) else "–"
                                  for s, lo, hi in zip(by_group["share"], by_group["ci_low"], by_group["ci_high"])],
    })
    lines = [f"- {row.groups}: p = {row.p_value:.3f} ({'Fishers eksakte test' if row.test == 'Fisher' else 'chi²-test'})"
             f"{' – **signifikant forskel**' if row.p_value < 0.05 else ''}"
             for row in tests.itertuples() if pd.notna(row.p_value)]
    return table, "**Forskel mellem grupperne:**\n" + "\n".join(lines) if lines else ""


def likert_context_table(context: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Vidensfelt": context["field"],
        "Temaet": context["share_theme"].map(_pct),
        "Øvrige": context["share_others"].map(_pct),
        "Forskel (point)": context["difference"].round(1),
    })


SHORT_GROUP = {"Tæt på arbejdsmarkedet": "Tæt på", "Langt fra arbejdsmarkedet": "Langt fra"}
PLOT_ORDER = ["Medarbejdere", "Ledere", "Tæt på", "Langt fra"]


def share_plot(by_group: pd.DataFrame) -> pd.DataFrame:
    """Group (short name, for the axis) and share, for a bar chart."""
    return pd.DataFrame({"Gruppe": by_group["group"].replace(SHORT_GROUP), "Andel (%)": by_group["share"].round(1)})


def item_share_table(items: pd.DataFrame) -> pd.DataFrame:
    """Items as rows, the report's groups as columns, whole percents as published."""
    order = list(dict.fromkeys(zip(items["field"], items["item"])))
    wide = items.pivot(index=["field", "item"], columns="group", values="share")
    wide = wide.reindex(index=pd.MultiIndex.from_tuples(order, names=["field", "item"]),
                        columns=list(dict.fromkeys(items["group"]))).round(0)
    return wide.reset_index().rename(columns={"field": "Vidensfelt", "item": "Spørgsmål"})


def item_plot(items: pd.DataFrame, item: str) -> pd.DataFrame:
    rows = items[items["item"] == item]
    return pd.DataFrame({"Gruppe": rows["group"].replace(SHORT_GROUP), "Andel 4-5 (%)": rows["share"].round(1)})
