"""Survey files in: xlsx (choose the sheet), CSV (`,` or `;`; UTF-8, UTF-8 with BOM or
Windows-1252) and SPSS `.sav` (value labels kept).

Every cell comes back as text ("" when empty), so all formats look alike to the rest of
textmine; numbers are parsed where they are used.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from .errors import ColumnError, SurveyFileError

ENCODINGS = ("utf-8-sig", "cp1252")
SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".txt": "csv", ".sav": "sav", ".zsav": "sav"}


def read_survey(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a survey export into a DataFrame of strings, one row a respondent."""
    path = Path(path)
    if not path.is_file():
        raise SurveyFileError(f"Filen findes ikke: {path}. Tjek stien.")
    if path.stat().st_size == 0:
        raise SurveyFileError(f"Filen {path.name} er tom. Eksportér surveyen igen.")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise SurveyFileError(
            f"Filen {path.name} har en filtype textmine ikke kender ({path.suffix or 'ingen'}). "
            "Brug .xlsx, .csv eller .sav.")
    reader = {"xlsx": _read_xlsx, "csv": _read_csv, "sav": _read_sav}[kind]
    table = reader(path, sheet) if kind == "xlsx" else reader(path)
    if table.empty or len(table.columns) == 0:
        where = f" (ark '{sheet}')" if sheet else ""
        raise SurveyFileError(f"Filen {path.name}{where} indeholder ingen rækker med data.")
    table.columns = [str(c).strip() for c in table.columns]
    return table.astype(object)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    def cell(value) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return frame.apply(lambda col: col.map(cell)).astype(object)


def _read_xlsx(path: Path, sheet: str | None) -> pd.DataFrame:
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = book.sheet_names
            chosen = sheet if sheet is not None else names[0]
            if chosen not in names:
                raise SurveyFileError(
                    f"Filen {path.name} har intet ark med navnet '{chosen}'. "
                    f"Arkene er: {', '.join(names)}. Vælg et af dem.")
            frame = pd.read_excel(book, sheet_name=chosen, dtype=object)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SurveyFileError(
            f"Filen {path.name} kan ikke læses som Excel-fil (.xlsx): den er beskadiget, "
            f"beskyttet med adgangskode eller ikke en Excel-fil ({type(exc).__name__}). "
            "Gem den igen som .xlsx uden adgangskode.") from None
    return _as_text(frame)


def decode(raw: bytes, name: str) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else Windows-1252."""
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise SurveyFileError(
        f"Filen {name} er ikke en tekstfil i UTF-8 eller Windows-1252. Gem den som CSV (UTF-8).")


def sniff_delimiter(text: str) -> str:
    """`;` or `,` (or tab): the one that splits the header line into most columns."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(path: Path) -> pd.DataFrame:
    text = decode(path.read_bytes(), path.name)
    if not text.strip():
        raise SurveyFileError(f"Filen {path.name} er tom. Eksportér surveyen igen.")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sniff_delimiter(text), dtype=str,
                            keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise SurveyFileError(
            f"Filen {path.name} kan ikke læses som CSV: {exc}. "
            "Tjek at den er gemt med komma eller semikolon som skilletegn.") from None
    return frame


def _read_sav(path: Path) -> pd.DataFrame:
    import pyreadstat

    try:
        frame, _meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError and others
        raise SurveyFileError(
            f"Filen {path.name} kan ikke læses som SPSS-fil (.sav): {exc}. Eksportér den igen fra SPSS.") from None
    return _as_text(frame)


def require_columns(table: pd.DataFrame, columns, source: str) -> None:
    """Raise a ColumnError naming every missing column and the columns that exist."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        shown = ", ".join(map(str, list(table.columns)[:30]))
        raise ColumnError(
            f"Kolonnen {', '.join(repr(m) for m in missing)} findes ikke i {source}. "
            f"Kolonnerne er: {shown}{' …' if len(table.columns) > 30 else ''}. "
            "Ret kolonnenavnet i konfigurationsfilen eller på kommandolinjen.")


_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_placeholder(text: str) -> str:
    return _PUNCT.sub(" ", text.lower()).strip()


def _is_non_answer(text: str, normalised: set[str]) -> bool:
    stripped = text.strip()
    if not stripped or not any(ch.isalnum() for ch in stripped):
        return True
    return normalise_placeholder(stripped) in normalised


def is_non_answer(text: str, placeholders) -> bool:
    """True for an empty, whitespace-only or placeholder answer ("-", "ved ikke", ...)."""
    return _is_non_answer(text, {normalise_placeholder(p) for p in placeholders})


def answers_of(table: pd.DataFrame, question: str, id_column: str, placeholders=(),
               source: str = "surveyen") -> pd.DataFrame:
    """One row per respondent who wrote anything: respondent_id, answer, is_answer.

    Respondents who left the question empty are left out; placeholders are kept but marked
    `is_answer=False` so they are not clustered.
    """
    require_columns(table, [id_column, question], source)
    frame = pd.DataFrame({
        "respondent_id": table[id_column].astype(str).str.strip(),
        "answer": table[question].astype(str).str.strip(),
    })
    frame = frame[frame["answer"] != ""].reset_index(drop=True)
    normalised = {normalise_placeholder(p) for p in placeholders}
    frame["is_answer"] = [not _is_non_answer(a, normalised) for a in frame["answer"]]
    return frame


def text_columns(table: pd.DataFrame, min_answers: int = 10) -> list[str]:
    """Columns that look like open questions: mostly non-numeric text, with enough distinct answers."""
    found = []
    for column in table.columns:
        values = table[column].astype(str).str.strip()
        values = values[values != ""]
        if values.nunique() >= min_answers and pd.to_numeric(values, errors="coerce").isna().mean() > 0.9 \
                and values.str.len().mean() >= 12:
            found.append(column)
    return found
