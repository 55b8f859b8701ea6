"""What the page shows, as plain strings, DataFrames and the wave chart (testable without a browser)."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import SurveyConfig
from ..fmt import chart_text, count, literal, name_label, number, p_value, percent, plain


def header(config: SurveyConfig, table: pd.DataFrame | None = None, survey: str | None = None) -> str:
    """The page's top line: the survey (`survey`: the open project's file, else the description's) and its size."""
    name = Path(survey).name if survey else config.survey_file.name if config.survey_file else "uden fil"
    people = f" – {number(len(table))} respondenter" if table is not None else ""
    return (f"**textmine** · fra fritekstsvar til temaer · undersøgelse *{name}*{people}, "
            f"{count(len(config.questions), 'åbent spørgsmål', 'åbne spørgsmål')} · alt kører på denne maskine; "
            "svarene forlader den ikke.")


def note(text: str) -> str:
    """A sentence in place of a table that cannot be shown (HTML, escaped; *words* in italics)."""
    import re

    shown = re.sub(r"[*]([^*]+)[*]", r"<em>\1</em>", html.escape(text))
    return f'<p class="tm-note">{shown}</p>'


def question_label(config: SurveyConfig, question: str) -> str:
    text = config.questions.get(question, "")
    if not text or text == question:
        return question
    return f"{question}: {text[:80]}{'…' if len(text) > 80 else ''}"


def capitalised(text) -> str:
    """A field's name as a heading: 'tilfreds' -> 'Tilfreds' (names already capitalised are kept)."""
    text = str(text)
    return text[:1].upper() + text[1:]


def pct(value) -> str:
    return "–" if pd.isna(value) else percent(value, 0)


def who_says_it(by_group: pd.DataFrame, tests: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The theme's share of each group's answering respondents, and the tests between groups."""
    table = pd.DataFrame({
        "Gruppe": by_group["group"],
        "Med temaet": [f"{c} af {n}" for c, n in zip(by_group["count"], by_group["n"])],
        "Andel (95 %-interval)": [f"{pct(s)} ({number(lo)}–{number(hi)})" if pd.notna(lo) else "–"
                                  for s, lo, hi in zip(by_group["share"], by_group["ci_low"], by_group["ci_high"])],
    })
    lines = [f"- {row.groups}: p = {p_value(row.p_value)} ({'Fishers eksakte test' if row.test == 'Fisher' else 'chi²-test'})"
             f"{' – **signifikant forskel**' if row.p_value < 0.05 else ''}"
             for row in tests.itertuples() if pd.notna(row.p_value)]
    return table, "**Forskel mellem grupperne:**\n" + "\n".join(lines) if lines else ""


def likert_context_table(context: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Vidensfelt": context["field"].map(capitalised),
        "Temaet": context["share_theme"].map(pct),
        "Øvrige": context["share_others"].map(pct),
        "Forskel (point)": context["difference"].map(lambda d: number(d, 1)),
    })


SHORT_GROUP = {"Tæt på arbejdsmarkedet": "Tæt på", "Langt fra arbejdsmarkedet": "Langt fra"}


def share_plot(by_group: pd.DataFrame) -> pd.DataFrame:
    """Group (short name, for the axis) and share, for a bar chart."""
    return pd.DataFrame({"Gruppe": by_group["group"].replace(SHORT_GROUP), "Andel (%)": by_group["share"]})


def item_plot(items: pd.DataFrame, item: str) -> pd.DataFrame:
    rows = items[items["item"] == item]
    return pd.DataFrame({"Gruppe": rows["group"].replace(SHORT_GROUP), "Andel (%)": rows["share"]})


def bar_figure(frame: pd.DataFrame, top: float | None = None):
    """A bar chart (plotly) of `frame`'s shares (share_plot, item_plot): the groups in the rows' order (the survey's
    own), long names wrapped on the axis (tilted beyond 6 groups), each bar's share written above it and in its
    tooltip the Danish way.
    `top`: the axis' end (100 for the Likert items), else a little above the highest bar."""
    import plotly.graph_objects as go

    groups, shares = [chart_text(g) for g in frame["Gruppe"]], frame["Andel (%)"].astype(float)
    figure = go.Figure(go.Bar(x=[wrapped(g) for g in groups], y=shares, customdata=groups, marker_color="#f97316",
                              text=[percent(v, 0) for v in shares], textposition="outside", cliponaxis=False,
                              hovertemplate="%{customdata}: %{y:.1f} %<extra></extra>"))
    figure.update_layout(height=260, margin=dict(l=10, r=10, t=24, b=10), plot_bgcolor="white", separators=",.",
                         yaxis=dict(title="Andel (%)", range=[0, top or max(1.0, float(shares.max()) * 1.2)],
                                    gridcolor="#e5e7eb"),
                         xaxis=dict(type="category", tickangle=0 if len(groups) <= 6 else -40, automargin=True))
    return figure


def wrapped(label: str, width: int = 14) -> str:
    """An axis label on lines of about `width` characters (plotly's <br>), so long group names do not collide."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines) or label


def wave_status(snap, comparison) -> str:
    """What the wave tab says about the open project."""
    if snap is None:
        return "Intet projekt er åbent."
    if comparison is None:
        return ("Det åbne projekt er en første måling. Vælg den nye målings fil, og tryk på knappen for at lægge "
                "temaerne på den.")
    new = comparison[comparison["new"]]
    n = int(comparison["n_followup"].iloc[0]) if len(comparison) else 0
    return (f"**Opfølgning:** {number(n)} svar sammenlignet med {number(int(comparison['n_baseline'].iloc[0]))} i første "
            f"måling. {len(new)} nye temaer med {number(int(new['count_followup'].sum()))} svar. Forskellen er i procentpoint med "
            "95 %-interval; p-værdien fra chi-i-anden-test (Fishers test ved små tal).")


def too_few(message: str, answers: list[str], masker) -> str:
    """The message for a question with too few answers to cluster, with the answers to read."""
    shown = [" ".join(str(masker(a)).split()) for a in answers]
    return message.split(" Læs svarene")[0] + " Her er svarene:\n" + "\n".join(
        f"• {literal(a[:200])}{'…' if len(a) > 200 else ''}" for a in shown)


def wave_table(display: pd.DataFrame) -> pd.DataFrame:
    """waves.display_comparison with every number written the Danish way (decimal comma)."""
    shown = display.copy()
    for column in shown.columns:
        if column.endswith("(%)") or column.startswith("Forskel"):
            shown[column] = shown[column].map(lambda v: number(v, 1))
        elif column.endswith("respondenter"):
            shown[column] = shown[column].map(number)
    shown["95 %-interval"] = shown["95 %-interval"].str.replace(".", ",", regex=False)
    shown["p-værdi"] = shown["p-værdi"].str.replace(".", ",", regex=False)
    return shown


def html_table(table: pd.DataFrame, elem_class: str = "tm-table") -> str:
    """A small table as HTML (text escaped): lighter than a Dataframe and without its English menus."""
    if table is None or table.empty:
        return ""
    head = "".join(f"<th>{html.escape(plain(c))}</th>" for c in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(plain(v)).replace('/', '/&#8203;')}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    return f'<table class="{elem_class}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def map_figure(points: pd.DataFrame):
    """The answers on a map (plotly): the largest themes in distinct colours, the rest grey; the legend gives
    every name in full, the tooltip the answer (HTML-escaped by workbench.map_groups) and its theme (no
    coordinates), names as text (fmt.chart_text); a point carries its theme id."""
    import plotly.graph_objects as go

    figure = go.Figure()
    order = list(dict.fromkeys(points.sort_values("rank", kind="stable")["group"]))
    for group in order:
        rows = points[points["group"] == group]
        figure.add_scatter(x=rows["x"], y=rows["y"], mode="markers", name=chart_text(group),
                             marker=dict(color=rows["colour"].iloc[0], size=7, opacity=0.85),
                             customdata=np.stack([rows["theme_id"], rows["Tema"].map(chart_text),
                                                  rows["Svar"].map(plain)], axis=1),
                             hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>")
    figure.update_layout(height=640, margin=dict(l=10, r=10, t=44, b=10), plot_bgcolor="white",
                         xaxis=dict(visible=False), yaxis=dict(visible=False), separators=",.",
                         legend=dict(title=dict(text="Tema (klik på et punkt for at åbne temaet)"),
                                     itemclick=False, itemdoubleclick=False, font=dict(size=13)),
                         hoverlabel=dict(align="left"))
    return figure


def delete_question(snap, theme_id: int) -> str:
    """What the delete button asks before it deletes."""
    theme = snap.state.themes[theme_id]
    size = number(len(snap.state.members(theme_id)))
    return (f"**Slette »{literal(name_label(theme.name))}« ({size} svar)?** Svarene bliver ikke placerede; "
            "*Fortryd* bringer temaet tilbage.")


def setup_intro(stored: Path, table: pd.DataFrame, sheet: str | None = None) -> str:
    """What the setup screen says above the proposal (`sheet`: the xlsx sheet it describes)."""
    where = f", arket »{html.escape(sheet)}«" if sheet else ""
    return (f"**Beskriv undersøgelsen {html.escape(Path(stored).name)}**{where} ({number(len(table))} respondenter, "
            f"{number(len(table.columns))} kolonner). textmine har foreslået hver kolonnes rolle ud fra indholdet; "
            "begrundelsen står ud for den. Ret en rolle: vælg kolonnerne og den nye rolle herunder, og tryk *Giv "
            "kolonnerne rollen*. Ret navnene i kolonnen *Navn* (de vises i stedet for kolonnenavnet). "
            "Tryk så *Gem beskrivelse*.")


def run_done(label: str, left_out: list[str], mask=None) -> str:
    """Under *Find temaer* when the project is made: its name, and the answers without content it left out
    (the survey description's placeholders: not in the project, so neither in a theme nor in a share)."""
    done = f"✓ Projektet {html.escape(label)} er lavet."
    if not left_out:
        return done
    kinds = sorted({" ".join((mask(t) if mask else t).split()).lower() for t in left_out})
    shown = ", ".join(f"»{html.escape(k)}«" for k in kinds[:6]) + (" …" if len(kinds) > 6 else "")
    return (f"{done} {count(len(left_out), 'svar uden indhold', 'svar uden indhold')} ({shown}) er lagt til side: "
            "de er ikke med i temaerne og tæller ikke med i andelene.")


def upload_refused(name: str, reason: str, fallback: str) -> str:
    """Under the upload field when a chosen file cannot be used: what is wrong and what discovery now reads."""
    then = (f"Indtil du vælger en anden fil, finder *Find temaer* temaer i {html.escape(Path(fallback).name)}."
            if fallback else "Vælg en anden fil.")
    return f"⚠ **{html.escape(name)} kunne ikke bruges.** {html.escape(reason)} {then}"


def setup_saved(config: SurveyConfig) -> str:
    """What the setup screen says once the description is saved: what it holds and what to do next."""
    fields = config.likert.fields
    items = sum(len(v) for v in fields.values())
    return (f"✓ **Beskrivelsen er gemt** ved siden af undersøgelsens fil ({config.path.name}): id-kolonne "
            f"*{config.id_column}*, {count(len(config.questions), 'åbent spørgsmål', 'åbne spørgsmål')}, "
            f"{count(len(config.background), 'baggrundsvariabel', 'baggrundsvariabler')}, "
            f"{count(items, 'Likert-spørgsmål', 'Likert-spørgsmål')}. Vælg spørgsmålet herunder, og tryk "
            "*Find temaer*. Projektet husker beskrivelsen.")
