"""The report's tables, built once from a project; every writer renders these DataFrames.

Shares are stored as percents (20.9, not 0.209) and unrounded counts as integers: the writers format
them the Danish way (fmt.py) and the xlsx keeps them as numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import TextmineError
from ..fmt import number, points, quoted, share_base
from ..project.curation import NOT_AN_ANSWER_NAME, UNPLACED_NAME
from ..project.data import ProjectData, answer_base, answering, says_something, theme_share
from ..project.themes import snapshot, theme_answers, theme_name, theme_table
from ..review.model import placement
from ..review.quality import check_quality, coding_quality
from ..survey.context import high_phrase, item_names, numbers, shown_fields
from ..survey.labels import item_label
from ..survey.shares import wide_item_shares
from ..text.privacy import masker_for
from ..waves.comparing import comparison_of, display_comparison
from .about import about_table
from .groups import by_group_table
from .words import CHOSEN, QUOTE_LENGTH, SHARE, TOTAL_NAME


@dataclass
class ReportTables:
    question: str
    question_text: str         # the question as asked
    themes: pd.DataFrame       # every theme: Tema, Beskrivelse, Svar (as first theme), Respondenter (first or
                               # second theme), SHARE (Respondenter of n_respondents), Endeligt tema, Nøgleord,
                               # Citater, CHOSEN (True: the quotes are the analyst's pins; not written to the workbook)
    answers: pd.DataFrame      # Respondent, Svar, Tema, Andet tema
    overview: pd.DataFrame     # the theme sheet: themes, "Ikke placeret", "Ikke et svar" and "I alt" (100 %)
    n_answers: int             # every answer to the question
    n_respondents: int         # the answers that say something (projectdata.answer_base): the base of every share
    survey_name: str = ""
    by_group: pd.DataFrame | None = None   # Tema, Gruppering, Gruppe, n, Med temaet, Andel (%), interval, test
    likert: pd.DataFrame | None = None     # Vidensfelt, Spørgsmål, then the share answering 4-5 per group
    waves: pd.DataFrame | None = None      # a follow-up project's themes in both waves (waves.display_comparison)
    notes: tuple[str, ...] = ()            # what was left out and why, for the analyst (Danish)
    high: str = ""                         # what a high answer is on the survey's scale ("4–5 (»enig« eller …)")
    about: pd.DataFrame = field(default_factory=pd.DataFrame)   # "Om tallene": what each number is based on
    quality: str = ""                      # "Anslået kodningskvalitet: 91 % af svarene ..." ("" without a model)
    quality_checked: bool = False          # ... made from the check sample (review.check_quality)
    shown: ProjectData | None = None       # the project as shown: theme names masked (themes.masked_names)

    @property
    def report_themes(self) -> pd.DataFrame:
        """The themes for the slides and the Word section: the final ones when some are final, else all."""
        final = self.themes["Endeligt tema"] == "Ja"
        return self.themes[final] if final.any() else self.themes

    @property
    def all_final(self) -> bool:
        return bool(len(self.themes)) and bool((self.themes["Endeligt tema"] == "Ja").all())

    def sheets(self) -> dict[str, pd.DataFrame]:
        sheets = {"Temaer": self.overview, "Kodede svar": self.answers}
        if self.by_group is not None:
            sheets["Temaer × grupper"] = self.by_group
        if self.likert is not None:
            sheets["Likert-andele"] = self.likert
        if self.waves is not None:
            sheets["Bølger"] = self.waves
        sheets["Om tallene"] = self.about
        return sheets

    def quotes(self, row) -> list[str]:
        return [q for q in str(row["Citater"]).split("\n") if q]

    def source(self) -> str:
        """The "Kilde:" line: the survey, the question and the base of the shares."""
        survey = self.survey_name or "Spørgeskemaundersøgelsen"
        return f"Kilde: {survey}. Spørgsmålet: {quoted(self.question_text)} (n = {number(self.n_respondents)} svar, der siger noget)."

    def group_sizes(self, groups, grouping: str | None = None) -> str:
        """"n(Medarbejdere) = 761, n(Ledere) = 85" for the groups of a chart (of `grouping`, when given)."""
        if self.by_group is None:
            return f"n = {self.n_respondents}"
        rows = self.by_group if grouping is None else self.by_group[self.by_group["Gruppering"] == grouping]
        sizes = rows.drop_duplicates("Gruppe").set_index("Gruppe")["Respondenter i gruppen"]
        return ", ".join(f"n({g}) = {int(sizes[g])}" for g in groups if g in sizes.index)


def shown(column: str, value) -> str:
    """A table cell as text, the Danish way: shares with a decimal comma, differences in points with a sign."""
    if pd.isna(value):
        return ""
    if column.endswith("(%)"):
        return number(value, 1)
    if column.startswith("Forskel"):
        return points(value)
    return str(value)


def quote(text: str, limit: int = QUOTE_LENGTH) -> str:
    """An answer as a quote: in quotation marks, cut after the last whole word within `limit` characters."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:–-") + " …"
    return quoted(text)


def _quotes(snap, theme_id: int, n: int, words: int = 4) -> list[str]:
    """The answers the analyst pinned as the theme's quotes, all of them in the analyst's order; without pins
    its most typical answers (closest to its centre first) of at least `words` words, shorter ones only when
    there are too few longer ones. Masked, as every text of the snapshot."""
    pinned = snap.state.themes[theme_id].quotes
    if pinned:
        return [snap.texts.shown[a] for a in pinned]
    top, table = theme_answers(snap, theme_id)
    ordered = list(dict.fromkeys(list(top) + list(table.loc[~table["as_second"], "text"])))
    long = [t for t in ordered if len(str(t).split()) >= words]
    return (long + [t for t in ordered if t not in long])[:n]


def _themes(snap, n_quotes: int) -> pd.DataFrame:
    """The themes as the page lists them (themes.theme_table): the same counts and the same share."""
    rows = []
    for row in theme_table(snap).itertuples():
        if not row.size and not row.second:            # a theme with no answers (yet) is not one of the report's
            continue
        quotes = _quotes(snap, row.theme_id, n_quotes)
        rows.append({"Tema": row.name, "Beskrivelse": row.description, "Svar": int(row.size),
                     "Respondenter": int(row.respondents), SHARE: row.share,
                     "Endeligt tema": "Ja" if row.final else "Nej", "Nøgleord": row.keywords,
                     "Citater": "\n".join(quote(q) for q in quotes),
                     CHOSEN: bool(snap.state.themes[row.theme_id].quotes)})
    return pd.DataFrame(rows, columns=["Tema", "Beskrivelse", "Svar", "Respondenter", SHARE,
                                       "Endeligt tema", "Nøgleord", "Citater", CHOSEN])


def _likert_sheet(wide: pd.DataFrame, config) -> pd.DataFrame:
    """The Likert sheet as the app's *Tal* tab names the items: the statement (the description's item texts or
    [labels]) under "Spørgsmål", and the survey's column beside it, to find it in the data."""
    names = item_names(config)
    wide["Vidensfelt"] = shown_fields(config, wide["Vidensfelt"])
    wide.insert(2, "Kolonne", wide["Spørgsmål"])
    wide["Spørgsmål"] = wide["Spørgsmål"].map(lambda code: item_label(names, code))
    return wide


def _overview(themes: pd.DataFrame, answers: pd.DataFrame, n_respondents: int) -> pd.DataFrame:
    """The theme sheet: every answer in exactly one row under "Svar" (by its first theme), so the answers add up
    to all answers; the share is the page's (of the answers that say something, first or second theme)."""
    unplaced = answers["theme_id"].isna()
    empty = ~says_something(answers)
    loose = answers.loc[unplaced & answers["second_theme_id"].isna(), "respondent_id"].nunique()
    bins = pd.DataFrame([
        {"Tema": UNPLACED_NAME, "Beskrivelse": "Svar, der endnu ikke er placeret i et tema", "Svar": int(unplaced.sum()),
         "Respondenter": int(loose), SHARE: theme_share(loose, n_respondents)},
        {"Tema": NOT_AN_ANSWER_NAME, "Beskrivelse": "Svar uden indhold (fx »ved ikke«); tæller ikke med i "
         "andelene", "Svar": int(empty.sum())},
    ])
    total = {"Tema": TOTAL_NAME, "Beskrivelse": f"Alle svar på spørgsmålet; andelene er {share_base(n_respondents)} "
             "(alle svar undtagen »Ikke et svar«), med temaet som første eller andet tema",
             "Svar": len(answers), "Respondenter": n_respondents, SHARE: theme_share(n_respondents, n_respondents)}
    table = pd.concat([themes.drop(columns=["Citater", CHOSEN]), bins, pd.DataFrame([total])], ignore_index=True)
    table["Citater"] = list(themes["Citater"]) + [""] * 3
    table = table.astype({"Svar": int, "Respondenter": "Int64"})          # a count, also where a row has none
    return table.fillna({"Beskrivelse": "", "Endeligt tema": "", "Nøgleord": ""})


def _coded(snap, answers: pd.DataFrame) -> pd.DataFrame:
    names = {t: th.name for t, th in snap.state.themes.items()}
    return pd.DataFrame({"Respondent": answers["respondent_id"], "Svar": answers["text"],
                         "Tema": [theme_name(snap, int(t) if pd.notna(t) else None) for t in answers["theme_id"]],
                         "Andet tema": answers["second_theme_id"].map(names).fillna("")})


def build(data: ProjectData, n_quotes: int = 5, question_text: str = "", survey: pd.DataFrame | None = None,
          config=None, masker=None, texts=None) -> ReportTables:
    """The report tables of a project; with the survey table and its config also themes × groups.
    Answer texts are masked (privacy.py): by `masker`, else as the config says, else by default (`texts`: the
    file's texts so masked and lemmatised, if already at hand)."""
    snap = snapshot(data, masker or (masker_for(config) if config is not None else None), texts)
    answers = snap.answers
    real = answering(answers)
    n_respondents = answer_base(answers)
    themes = _themes(snap, n_quotes)
    by_group = likert = None
    notes = []
    if survey is not None and config is not None:           # the groups and items of the project's own survey
        by_group = _unless_missing(lambda: by_group_table(snap, real, survey, config), notes,
                                   "Temaerne fordelt på grupper (arket 'Temaer × grupper' og grupperne i diagrammerne)")
        if config.likert.fields:
            likert = _unless_missing(lambda: _likert_sheet(wide_item_shares(numbers(survey, config)), config), notes,
                                     "Likert-andelene (arket 'Likert-andele')")

    comparison = comparison_of(snap.meta, snap.state, answers, snap.masker)    # from the snapshot: no second read
    waves = display_comparison(comparison) if comparison is not None else None
    tables = ReportTables(data.question, question_text or data.question, themes, _coded(snap, answers),
                          _overview(themes, answers, n_respondents), len(answers), n_respondents,
                          _survey_name(data, config), by_group, likert, waves, tuple(notes))
    tables.quality, tables.quality_checked = coding_quality_line(snap)
    tables.shown = snap.data

    if config is not None and config.likert.fields:
        tables.high = high_phrase(config)
    tables.about = about_table(tables)
    return tables


def coding_quality_line(snap) -> tuple[str, bool]:
    """("Anslået kodningskvalitet: 91 % af svarene i et rigtigt tema (88–94 %); 12 af 292 svar er gennemset.",
    whether it comes from the check sample): from the check once enough of it is read (review.check_quality),
    else the placement model (review.coding_quality); ("", False) when the project has no vectors or fewer
    than two themes."""
    checked = check_quality(snap)
    if checked is None and (snap.vectors is None or len(snap.state.themes) < 2):
        return "", False
    text = (checked or coding_quality(snap, placement(snap))).text()
    return f"Anslået kodningskvalitet: {text[len('Anslået '):]}", checked is not None


def _survey_name(data: ProjectData, config) -> str:
    """The config's survey name when the project comes from the config's survey file (its follow-up file:
    the name marked "(opfølgning)"), else the survey file's name."""
    name = getattr(config, "name", "") if config is not None else ""
    if not data.survey:
        return name
    path = Path(data.survey).resolve()
    if config is not None and config.survey_file and path == Path(config.survey_file).resolve():
        return name
    if name and config.followup_file and path == Path(config.followup_file).resolve():
        return name.replace("(baseline)", "(opfølgning)") if "(baseline)" in name else f"{name} (opfølgning)"
    return Path(data.survey).stem


def _unless_missing(build, notes: list[str], what: str):
    """build(), or None and a note saying `what` is left out when the survey or the config lacks what it
    needs (a column, a setting): the rest of the report is still written."""
    try:
        return build()
    except TextmineError as exc:
        notes.append(f"{what} er udeladt: {' '.join(str(exc).split())}")
        return None
