"""A survey description proposed from the file itself: each column's role, with the reason.

Roles: the id (unique, never empty), open questions (text with many distinct, multi-word answers),
Likert items (integer codes on a short scale, or the same ordered text labels across columns; "ved
ikke" and the like count as not answered), a weight (positive decimals with a mean near 1), background
variables (few distinct values, answered by nearly everyone), sets of yes/no boxes (several "Ja"/"Nej"
columns with a shared prefix, e.g. target groups), and everything else left out. Likert items are
grouped into fields by their shared prefix. The result is the schema of `data/survey.toml`
(`to_toml`), so every command reads it with `--config`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..config import SurveyConfig, load_config, parse_config, scale_cuts
from ..errors import SurveyFileError, TextmineError
from ..files import write_text
from .reading import read_survey, text_columns
from .scales import DONT_KNOW, TEXT_SCALES

ID, QUESTION, LIKERT, WEIGHT, BACKGROUND, CHECKBOX, OTHER = (
    "id", "åbent spørgsmål", "likert", "vægt", "baggrund", "afkrydsning", "ikke brugt")
ROLES = (ID, QUESTION, LIKERT, WEIGHT, BACKGROUND, CHECKBOX, OTHER)

# Ordered text scales (lowest first), as Danish survey tools write them; matched case-insensitively.
YES_NO = ({"ja", "nej"}, {"1", "0"})


class SetupError(TextmineError):
    """The analyst's survey description cannot be saved as it stands (no id, no question, a role that cannot hold)."""


@dataclass(frozen=True)
class ColumnRole:
    column: str
    role: str
    reason: str
    examples: str = ""


@dataclass(frozen=True)
class Scale:
    minimum: int
    maximum: int
    labels: tuple[str, ...] = ()        # ordered text labels (lowest first), when the items are text
    missing: tuple[str, ...] = ()       # codes that mean "not answered" (ved ikke, 99, ...)

    @property
    def cuts(self) -> tuple[int, int]:
        """(low_max, high_from): 1-2 / 3 / 4-5 on 1-5 as in the report; the same shares of other scales."""

        return scale_cuts(self.minimum, self.maximum)


@dataclass(frozen=True)
class Proposal:
    roles: tuple[ColumnRole, ...]
    scale: Scale | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)

    def of(self, role: str) -> list[str]:
        return [r.column for r in self.roles if r.role == role]

    def table(self) -> pd.DataFrame:
        """What the setup screen shows: column, role, example values, reason."""
        return pd.DataFrame([{"Kolonne": r.column, "Rolle": r.role, "Eksempler": r.examples, "Begrundelse": r.reason}
                             for r in self.roles])


def _values(column: pd.Series) -> pd.Series:
    values = column.astype(str).str.strip()
    return values[values != ""]


def _examples(values: pd.Series, n: int = 3) -> str:
    shown = [v if len(v) <= 40 else v[:39] + "…" for v in dict.fromkeys(values.head(200))]
    return " · ".join(shown[:n])


def _integer_codes(values: pd.Series) -> set[int] | None:
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.isna().any() or not (numbers == numbers.round()).all():
        return None
    return set(numbers.astype(int))


def _scale_of(values: pd.Series) -> Scale | None:
    """The short scale a column's answers lie on, or None."""
    lowered = values.str.lower()
    answered = lowered[~lowered.isin(DONT_KNOW)]
    for labels in TEXT_SCALES:
        if len(answered) and answered.isin(labels).all() and answered.nunique() >= 2:
            return Scale(1, len(labels), labels, tuple(sorted(set(values[lowered.isin(DONT_KNOW)]))))
    codes = _integer_codes(answered)
    if not codes or len(codes) < 2:
        return None
    missing = {c for c in codes if c >= 9 and c in (9, 99, 999) and c > max(codes - {c}, default=0) + 1}
    kept = codes - missing
    for low, high in ((1, 5), (1, 7), (0, 10), (1, 10), (1, 4), (1, 6)):
        if kept <= set(range(low, high + 1)) and len(kept) >= min(3, high - low + 1):
            return Scale(low, high, (), tuple(str(m) for m in sorted(missing)) +
                         tuple(sorted(set(values[lowered.isin(DONT_KNOW)]))))
    return None


def _is_weight(values: pd.Series) -> bool:
    numbers = pd.to_numeric(values, errors="coerce")
    return bool(len(numbers) and numbers.notna().all() and (numbers > 0).all()
                and not (numbers == numbers.round()).all() and 0.7 <= numbers.mean() <= 1.3)


def _is_question(values: pd.Series, n: int) -> bool:
    if len(values) < min(10, max(n // 10, 2)) or pd.to_numeric(values, errors="coerce").notna().mean() > 0.1:
        return False
    words = values.str.split().str.len()
    return values.nunique() >= 0.5 * len(values) and words.mean() >= 3


def _prefix(column: str) -> str:
    match = re.match(r"^([^\W\d_]+)[_\s.-]", column)
    return match.group(1) if match else ""


def _field_of(item: str) -> str:
    """The knowledge field an item is proposed under: its name's prefix ("au_viden" -> "au"), else the item
    itself in words ("tilfredshed" -> "Tilfredshed"), never a word like "Spørgsmål" that
    reads as a column name under the heading *Vidensfelt*."""
    words = str(item).replace("_", " ").strip()
    return _prefix(item) or words[:1].upper() + words[1:]


def propose(table: pd.DataFrame) -> Proposal:
    """Each column's role, with the reason shown to the analyst."""
    n, roles, scales = len(table), [], {}
    id_column = _id_column(table)
    prefixes = pd.Series([_prefix(c) for c in table.columns]).value_counts()
    for column in table.columns:
        values = _values(table[column])
        role, reason = _role(column, values, n, id_column, prefixes, scales)
        roles.append(ColumnRole(column, role, reason, _examples(values)))
    scale = _common_scale(list(scales.values()))
    roles = [r if r.role != LIKERT or _same(scales[r.column], scale) else
             ColumnRole(r.column, OTHER, f"en anden skala end de øvrige spørgsmål ({_shown(scales[r.column])} mod "
                                         f"{_shown(scale)}); én survey-beskrivelse har én skala", r.examples)
             for r in roles]
    items = [r.column for r in roles if r.role == LIKERT]
    fields: dict[str, list[str]] = {}
    for item in items:
        fields.setdefault(_field_of(item), []).append(item)
    return Proposal(tuple(roles), scale, fields)


def has_open_question(table: pd.DataFrame, proposal: Proposal | None = None) -> bool:
    """Whether a survey table has a column of text answers to find themes in (an open question as `propose`
    sees it, or a column that looks like one: io.text_columns)."""
    return bool((proposal or propose(table)).of(QUESTION) or text_columns(table))


def answer_sheet(path: Path, sheets: list[str]) -> str | None:
    """The sheet of an xlsx survey to propose (`sheets`: its sheets, io.sheet_names): the first with an open
    question; None when no sheet has one, and for a file of one table (no sheets)."""
    for sheet in sheets:
        try:
            if has_open_question(read_survey(path, sheet)):
                return sheet
        except SurveyFileError:                # an empty sheet (a cover page): the next one
            continue
    return None


def _id_column(table: pd.DataFrame) -> str | None:
    candidates = [c for c in table.columns
                  if (table[c].astype(str).str.strip() != "").all() and table[c].astype(str).str.strip().is_unique]
    named = [c for c in candidates if re.search(r"(^|_)(id|nr|løbenr|respondent)", str(c), re.I)]
    return (named or candidates or [None])[0]


def _role(column, values, n, id_column, prefixes, scales) -> tuple[str, str]:
    if column == id_column:
        return ID, "alle værdier er udfyldt og forskellige"
    if values.empty:
        return OTHER, "kolonnen er tom"
    scale = _scale_of(values)
    if scale is not None:
        scales[column] = scale
        return LIKERT, f"svar på en skala ({_shown(scale)})" + (f"; {', '.join(scale.missing)} tæller som ikke svaret"
                                                                if scale.missing else "")
    if _is_weight(values):
        return WEIGHT, "positive decimaltal med gennemsnit nær 1"
    if _is_question(values, n):
        return QUESTION, f"{values.nunique()} forskellige svar på i snit {values.str.split().str.len().mean():.0f} ord"
    lowered = set(values.str.lower())
    if any(lowered <= yes_no for yes_no in YES_NO) and prefixes.get(_prefix(column), 0) >= 3:
        return CHECKBOX, f"ja/nej-felt i en gruppe af {prefixes[_prefix(column)]} med samme forstavelse"
    if values.nunique() <= 30 and len(values) >= 0.9 * n:
        return BACKGROUND, f"{values.nunique()} forskellige værdier, udfyldt af næsten alle"
    return OTHER, "hverken id, tekstsvar, skala eller få faste værdier"


def _shown(scale: Scale) -> str:
    return " … ".join((scale.labels[0], scale.labels[-1])) if scale.labels else f"{scale.minimum}-{scale.maximum}"


def _same(a: Scale, b: Scale | None) -> bool:
    return b is not None and (a.minimum, a.maximum, a.labels) == (b.minimum, b.maximum, b.labels)


def _common_scale(scales: list[Scale]) -> Scale | None:
    """The scale most items are on (one description has one scale), with every "not answered" code seen."""
    if not scales:
        return None
    kinds = pd.Series([(s.minimum, s.maximum, s.labels) for s in scales])
    low, high, labels = kinds.value_counts(sort=True).index[0]
    missing = tuple(sorted({m for s in scales if (s.minimum, s.maximum, s.labels) == (low, high, labels)
                            for m in s.missing}))
    return Scale(low, high, labels, missing)


def to_toml(proposal: Proposal, survey: Path, questions: dict[str, str] | None = None,
            labels: dict[str, str] | None = None, sheet: str | None = None) -> str:
    """The proposal as a commented survey description (the schema of data/survey.toml); `questions`: each open
    question's text, `labels`: how the page names the background variables and Likert items, `sheet`: the
    xlsx sheet the data is on."""
    def q(text: str) -> str:
        return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'

    ids = proposal.of(ID)
    weight = proposal.of(WEIGHT)
    lines = ["# Survey description proposed from the file's columns (`textmine init`, or the app's setup screen).",
             "# Check every role; paths are relative to this file.", "", "[survey]", f"file = {q(Path(survey).name)}",
             *([f"sheet = {q(sheet)}"] if sheet else []),
             f"id_column = {q(ids[0] if ids else '')}", f"weight_column = {q(weight[0] if weight else '')}", "",
             "[questions]   # open questions: column = the question as asked (edit the text)"]
    lines += [f"{q(c)} = {q((questions or {}).get(c, c))}" for c in proposal.of(QUESTION)]
    lines += ["", "[background]   # few distinct values: who says it", "columns = [" +
              ", ".join(q(c) for c in proposal.of(BACKGROUND)) + "]"]
    if proposal.scale is not None:
        low, high = proposal.scale.cuts
        lines += ["", "[likert]", f"scale_min = {proposal.scale.minimum}", f"scale_max = {proposal.scale.maximum}",
                  f"low_max = {low}", f"high_from = {high}"]
        if proposal.scale.labels:
            lines.append("labels = [" + ", ".join(q(label) for label in proposal.scale.labels) + "]   # lowest first")
        if proposal.scale.missing:
            lines.append("missing = [" + ", ".join(q(m) for m in proposal.scale.missing) + "]   # not answered")
        lines += ["", "[likert.fields]   # items grouped by their shared prefix (rename the fields freely)"]
        lines += [f"{q(name)} = [" + ", ".join(q(i) for i in items) + "]" for name, items in proposal.fields.items()]
    named = {c: t for c, t in (labels or {}).items() if c in {*proposal.of(BACKGROUND), *proposal.of(LIKERT)} and t and t != c}
    if named:
        lines += ["", "[labels]   # how the page names a background variable or a Likert item"]
        lines += [f"{q(c)} = {q(t)}" for c, t in named.items()]
    return "\n".join(lines) + "\n"


# -- the analyst's choices (the setup screen) ------------------------------------------------------

def column_labels(table: pd.DataFrame) -> dict[str, str]:
    """Each column's name in plain words: its SPSS label when the file has one, else its header."""
    spss = table.attrs.get("labels", {}) or {}
    return {c: str(spss.get(c) or c) for c in table.columns}


def write_proposal(survey: Path, out: Path, sheet: str | None = None) -> Proposal:
    """`textmine init`: the description proposed from the survey file's columns, written to `out` as TOML."""
    proposal = propose(read_survey(survey, sheet))
    write_text(to_toml(proposal, survey, sheet=sheet), out)
    return proposal


def earlier_names(survey: Path) -> dict[str, str]:
    """The names typed under *Navn* when this survey file was described before (the description saved beside it:
    the open questions' texts and its [labels]), so uploading the same file again keeps them; {} when it was
    never described, or when that description can no longer be read (it is written anew on *Gem beskrivelse*)."""
    saved = Path(survey).with_suffix(".toml")
    if not saved.is_file():
        return {}
    try:
        config = load_config(saved)
    except TextmineError:
        return {}
    return {**{c: t for c, t in config.questions.items() if t}, **{c: t for c, t in config.labels.items() if t}}


def setup_table(proposal: Proposal, labels: dict[str, str]) -> pd.DataFrame:
    """What the setup screen shows and the analyst edits: column, role, name (plain words), examples, reason."""
    return pd.DataFrame([{"Kolonne": r.column, "Rolle": r.role, "Navn": labels.get(r.column, r.column),
                          "Eksempler": r.examples, "Begrundelse": r.reason} for r in proposal.roles],
                        columns=["Kolonne", "Rolle", "Navn", "Eksempler", "Begrundelse"])


def assign_role(shown: pd.DataFrame, columns, role: str) -> pd.DataFrame:
    """The setup table with `columns` given `role` (their reason then says the analyst chose it)."""
    if not columns:
        raise SetupError("Vælg de kolonner, der skal have en anden rolle.")
    if role not in ROLES:
        raise SetupError(f"Vælg den nye rolle: en af {', '.join(ROLES)}.")
    changed = shown.copy()
    hit = changed["Kolonne"].astype(str).isin([str(c) for c in columns])
    changed.loc[hit, "Rolle"] = role
    changed.loc[hit, "Begrundelse"] = "valgt af dig"
    return changed


def with_roles(proposal: Proposal, table: pd.DataFrame, roles: dict[str, str]) -> Proposal:
    """The proposal with the analyst's roles (column -> role); refused (SetupError) when a role cannot hold."""
    unknown = sorted({r for r in roles.values() if r not in ROLES})
    if unknown:
        raise SetupError(f"Ukendt rolle »{unknown[0]}«. Vælg en af: {', '.join(ROLES)}.")
    changed = [ColumnRole(r.column, roles.get(r.column, r.role), r.reason if roles.get(r.column, r.role) == r.role
                          else "valgt af dig", r.examples) for r in proposal.roles]
    _check_one(changed, ID, "id-kolonne")
    _check_one(changed, WEIGHT, "vægtkolonne")
    for r in changed:
        if r.role == ID and not _unique(table[r.column]):
            raise SetupError(f"Kolonnen »{r.column}« kan ikke være id: dens værdier er ikke alle udfyldt og forskellige.")
    items = [r.column for r in changed if r.role == LIKERT]
    scales = {c: _scale_of(_values(table[c])) for c in items}
    off = [c for c, found in scales.items() if found is None]
    if off:
        raise SetupError(f"Kolonnen »{off[0]}« har ikke svar på en skala (fx 1-5 eller »Helt uenig« … »Helt enig«), "
                         "så den kan ikke være et Likert-spørgsmål.")
    scale = _common_scale(list(scales.values()))
    other = [c for c, found in scales.items() if not _same(found, scale)]
    if other:
        raise SetupError(f"Likert-spørgsmålet »{other[0]}« har en anden skala end de øvrige ({_shown(scales[other[0]])} "
                         f"mod {_shown(scale)}). Én beskrivelse har én skala: giv det rollen »{OTHER}«.")
    fields: dict[str, list[str]] = {}
    for item in items:
        field_name = next((f for f, kept in proposal.fields.items() if item in kept), _field_of(item))
        fields.setdefault(field_name, []).append(item)
    return Proposal(tuple(changed), scale, fields)


def description(proposal: Proposal, survey: Path, names: dict[str, str], sheet: str | None = None) -> str:
    """The survey description to save (TOML): refused without one id column or without an open question."""
    if not proposal.of(ID):
        raise SetupError("Vælg den kolonne, der er id (hver respondent sin værdi): giv den rollen »id«.")
    if not proposal.of(QUESTION):
        raise SetupError(f"Vælg mindst ét åbent spørgsmål: giv en kolonne med tekstsvar rollen »{QUESTION}«.")
    texts = {c: (names.get(c) or c).strip() for c in proposal.of(QUESTION)}
    return to_toml(proposal, survey, texts, {c: (t or "").strip() for c, t in names.items()}, sheet)


def save_setup(survey: Path, shown: pd.DataFrame, table: pd.DataFrame, sheet: str | None = None) -> SurveyConfig:
    """The analyst's description (the setup table: Kolonne, Rolle, Navn) of `table` (the xlsx `sheet`, when
    given) checked, written beside the survey and read back; nothing is written when it is refused."""
    if shown is None or shown.empty or not {"Kolonne", "Rolle", "Navn"} <= set(shown.columns):
        raise SetupError("Tabellen over kolonnerne kan ikke læses. Vælg survey-filen igen.")
    roles = dict(zip(shown["Kolonne"].astype(str), shown["Rolle"].astype(str).str.strip()))
    names = dict(zip(shown["Kolonne"].astype(str), shown["Navn"].astype(str)))
    text = description(with_roles(propose(table), table, roles), Path(survey), names, sheet)
    parse_config(text, Path(survey).with_suffix(".toml"))       # what will be read back: checked before it is written
    return load_config(save_description(text, Path(survey)))


def save_description(text: str, survey: Path) -> Path:
    """Write the description beside its survey file (SURVEY.toml), whole or not at all."""
    return write_text(text, Path(survey).with_suffix(".toml"))


def _check_one(roles: list[ColumnRole], role: str, what: str) -> None:
    chosen = [r.column for r in roles if r.role == role]
    if len(chosen) > 1:
        raise SetupError(f"Der kan kun være én {what}, men {', '.join(f'»{c}«' for c in chosen)} har rollen »{role}«.")


def _unique(column: pd.Series) -> bool:
    values = column.astype(str).str.strip()
    return bool((values != "").all() and values.is_unique)
