"""Survey files in: xlsx (choose the sheet), CSV (`,`, `;` or tab; UTF-8, UTF-8 with BOM or
Windows-1252) and SPSS `.sav` (value labels kept). Two columns with the same header are refused.

Every cell comes back as text ("" when empty), so all formats look alike to the rest of
textmine; numbers are parsed where they are used.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd

from ..errors import ColumnError, OptionError, SurveyFileError, file_problem

ENCODINGS = ("utf-8-sig", "cp1252")
SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".txt": "csv", ".sav": "sav", ".zsav": "sav"}
DEFAULT_MAX_MB = 100          # larger survey files are refused (TEXTMINE_MAX_FILE_MB changes it)
UNPACKED_FACTOR = 1           # an xlsx may unpack to at most this many times the limit: a 100 MB-unpacked one
                              # takes about 30 s and 300 MB to read here, 60 s on a busy machine (docs/MEASUREMENTS.md)
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def max_file_bytes() -> int:
    """The size limit for survey files, from TEXTMINE_MAX_FILE_MB (default 100 MB); a value that is not a
    number of MB above 0 is refused (OptionError), not replaced by the default."""
    raw = os.environ.get("TEXTMINE_MAX_FILE_MB", "").strip()
    if not raw:
        return DEFAULT_MAX_MB * 1024 * 1024
    try:
        megabytes = float(raw.replace(",", "."))
    except ValueError:
        megabytes = math.nan
    if not math.isfinite(megabytes) or megabytes <= 0:
        raise OptionError(f"Miljøvariablen TEXTMINE_MAX_FILE_MB skal være et antal MB over 0, fx 250 (den er "
                          f"{raw!r}). Ret den, eller fjern den for at bruge grænsen på {DEFAULT_MAX_MB} MB.")
    return int(megabytes * 1024 * 1024)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def _check_content(path: Path, kind: str) -> None:
    """Refuse a file whose content is not what its name says, before any parser sees it."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if kind == "xlsx" and head.startswith(OLE):
        raise SurveyFileError(
            f"Filen {path.name} er beskyttet med adgangskode eller i det gamle .xls-format. Åbn den i Excel, "
            "fjern adgangskoden og gem den som .xlsx.")
    if kind == "xlsx" and not head.startswith(ZIP):
        raise SurveyFileError(
            f"Filen {path.name} kan ikke læses som Excel-fil (.xlsx): indholdet er ikke en Excel-fil. "
            "Tjek at det er den rigtige fil, eller gem den igen som .xlsx.")
    if kind == "csv" and (head.startswith(ZIP) or head.startswith(OLE)):
        raise SurveyFileError(
            f"Filen {path.name} hedder .csv, men er en Excel-fil. Omdøb den til .xlsx, eller gem den som CSV.")
    if kind == "sav" and not head.startswith((b"$FL2", b"$FL3")):
        raise SurveyFileError(
            f"Filen {path.name} kan ikke læses som SPSS-fil (.sav): indholdet er ikke en SPSS-fil. "
            "Eksportér den igen fra SPSS.")


def _check_unpacked_size(path: Path, limit: int) -> None:
    """An xlsx is a zip: refuse one that unpacks to more than the size limit (a zip bomb, or a sheet so large
    that reading it would take minutes and gigabytes)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SurveyFileError(
            f"Filen {path.name} kan ikke læses som Excel-fil (.xlsx): den er beskadiget. "
            "Gem den igen som .xlsx.") from None
    if unpacked > UNPACKED_FACTOR * limit:
        raise SurveyFileError(
            f"Filen {path.name} fylder {_mb(unpacked)} udpakket, over grænsen på {_mb(UNPACKED_FACTOR * limit)} "
            "(den ville tage minutter at læse). Gem undersøgelsen som CSV, del den op, eller sæt grænsen op med "
            "miljøvariablen TEXTMINE_MAX_FILE_MB.")


def read_survey(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a survey export into a DataFrame of strings, one row a respondent."""
    path = Path(path)
    kind = _checked_kind(path)
    reader = {"xlsx": _read_xlsx, "csv": _read_csv, "sav": _read_sav}[kind]
    table = reader(path, sheet) if kind == "xlsx" else reader(path)
    if table.empty or len(table.columns) == 0:
        where = f" (ark '{sheet}')" if sheet else ""
        raise SurveyFileError(f"Filen {path.name}{where} indeholder ingen rækker med data.")
    labels = {str(c).strip(): str(t) for c, t in table.attrs.get("labels", {}).items() if t}
    value_labels = {str(c).strip(): list(v) for c, v in table.attrs.get("value_labels", {}).items()}
    table.columns = [str(c).strip() for c in table.columns]
    table = table.astype(object)
    table.attrs["labels"] = labels                 # the columns' SPSS labels (survey_setup.column_labels)
    table.attrs["value_labels"] = value_labels     # each column's SPSS value labels in code order (shares.value_order)
    return table


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of an xlsx survey file, in order; [] for a CSV or SPSS file (one table)."""
    path = Path(path)
    if _checked_kind(path) != "xlsx":
        return []
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            return [str(name) for name in book.sheet_names]
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise _damaged_xlsx(path, exc) from None


def _checked_kind(path: Path) -> str:
    """The file's kind (xlsx, csv, sav), once it is known to exist, to be within the size limit and to hold
    what its name says; refused (SurveyFileError) otherwise."""
    problem = file_problem(path)
    if problem:
        raise SurveyFileError(problem)
    size, limit = path.stat().st_size, max_file_bytes()
    if size == 0:
        raise SurveyFileError(f"Filen {path.name} er tom. Eksportér undersøgelsen igen.")
    if size > limit:
        raise SurveyFileError(
            f"Filen {path.name} fylder {_mb(size)}, mere end grænsen på {_mb(limit)}. Del undersøgelsen op, "
            "eller sæt grænsen op med miljøvariablen TEXTMINE_MAX_FILE_MB.")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise SurveyFileError(
            f"Filen {path.name} har en filtype textmine ikke kender ({path.suffix or 'ingen'}). "
            "Brug .xlsx, .csv eller .sav.")
    _check_content(path, kind)
    if kind == "xlsx":
        _check_unpacked_size(path, limit)
    return kind


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    def cell(value) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return frame.apply(lambda col: col.map(cell)).astype(object)


def _damaged_xlsx(path: Path, exc: Exception) -> SurveyFileError:
    return SurveyFileError(
        f"Filen {path.name} kan ikke læses som Excel-fil (.xlsx): den er beskadiget, "
        f"beskyttet med adgangskode eller ikke en Excel-fil ({type(exc).__name__}). "
        "Gem den igen som .xlsx uden adgangskode.")


def _read_xlsx(path: Path, sheet: str | None) -> pd.DataFrame:
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = book.sheet_names
            chosen = sheet if sheet is not None else names[0]
            if chosen not in names:
                raise SurveyFileError(
                    f"Filen {path.name} har intet ark med navnet '{chosen}'. "
                    f"Arkene er: {', '.join(names)}. Vælg et af dem.")
            header = pd.read_excel(book, sheet_name=chosen, header=None, nrows=1, dtype=object)
            _refuse_repeated_headers(header.iloc[0] if len(header) else [], path.name)
            frame = pd.read_excel(book, sheet_name=chosen, dtype=object)
    except SurveyFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files (KeyError, TypeError, XML errors ...)
        raise _damaged_xlsx(path, exc) from None
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


def _refuse_repeated_headers(headers, name: str) -> None:
    """Two columns with one header: pandas would rename the second (`svar.1`) and it would be silently
    ignored, so the file is refused, naming the header and the columns."""
    names = [str(h).strip() for h in headers if not (isinstance(h, float) and pd.isna(h))]
    repeated = [h for h, n in Counter(names).items() if n > 1 and h]
    if repeated:
        first = repeated[0]
        where = [str(i) for i, h in enumerate(names, 1) if h == first]
        count = {2: "to", 3: "tre"}.get(len(where), str(len(where)))
        more = f" (også: {', '.join(repr(h) for h in repeated[1:4])})" if len(repeated) > 1 else ""
        raise SurveyFileError(
            f"Filen {name} har {count} kolonner med overskriften '{first}' (kolonne {' og '.join(where)}){more}. "
            "Giv hver kolonne sit eget navn, og gem filen igen.")


def _csv_header(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    except csv.Error:                  # a malformed header: the parser below says what is wrong
        return []


def _read_csv(path: Path) -> pd.DataFrame:
    text = decode(path.read_bytes(), path.name)
    if not text.strip():
        raise SurveyFileError(f"Filen {path.name} er tom. Eksportér undersøgelsen igen.")
    delimiter = sniff_delimiter(text)
    _refuse_repeated_headers(_csv_header(text, delimiter), path.name)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str,
                            keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
    except pd.errors.EmptyDataError:
        raise SurveyFileError(f"Filen {path.name} har ingen kolonner. Eksportér undersøgelsen igen.") from None
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        where = f" (fx linje {line.group(1)})" if line else ""
        raise SurveyFileError(
            f"Filen {path.name} kan ikke læses som CSV: rækkerne har ikke samme antal kolonner{where}. "
            "Tjek at den er gemt med komma, semikolon eller tabulator som skilletegn.") from None
    return frame


def _read_sav(path: Path) -> pd.DataFrame:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError and others
        raise SurveyFileError(f"Filen {path.name} kan ikke læses som SPSS-fil (.sav): den er beskadiget eller "
                              f"ufuldstændig ({type(exc).__name__}). Eksportér den igen fra SPSS.") from None
    table = _as_text(frame)
    table.attrs["labels"] = dict(getattr(meta, "column_names_to_labels", None) or {})
    table.attrs["value_labels"] = {column: _in_code_order(labels)
                                   for column, labels in (getattr(meta, "variable_value_labels", None) or {}).items()}
    return table


def _in_code_order(labels: dict) -> list[str]:
    """An SPSS variable's value labels ordered by their codes (1 before 2 before 10), as SPSS lists them."""
    def code(item):
        number = pd.to_numeric(pd.Series([item[0]]), errors="coerce").iloc[0]
        return (0, float(number), "") if pd.notna(number) else (1, 0.0, str(item[0]))
    return [str(label) for _, label in sorted(labels.items(), key=code)]


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
    if not stripped or not any(ch.isalpha() for ch in stripped):     # empty, punctuation, only digits
        return True
    return normalise_placeholder(stripped) in normalised


def is_non_answer(text: str, placeholders) -> bool:
    """True for an empty, whitespace-only, letter-less ("-", "1234") or placeholder answer ("ved ikke", ...)."""
    return _is_non_answer(text, {normalise_placeholder(p) for p in placeholders})


def respondent_ids(values) -> pd.Series:
    """Respondent ids as textmine keeps and compares them: each as text, without the spaces around it. `values`:
    a survey's id column (a Series, whatever its type; its index is kept, an empty cell stays missing) or the ids a
    project, model or codebook has kept (any iterable, each value as str() writes it)."""
    series = values if isinstance(values, pd.Series) else pd.Series([str(v) for v in values], dtype=object)
    return series.astype(str).str.strip()


def answers_of(table: pd.DataFrame, question: str, id_column: str, placeholders=(),
               source: str = "undersøgelsen") -> pd.DataFrame:
    """One row per respondent who wrote anything: respondent_id, answer, is_answer.

    Respondents who left the question empty are left out; placeholders are kept but marked
    `is_answer=False` so they are not clustered.
    """
    require_columns(table, [id_column, question], source)
    frame = pd.DataFrame({
        "respondent_id": respondent_ids(table[id_column]),
        "answer": table[question].astype(str).str.strip(),
    })
    check_ids(frame["respondent_id"], frame["answer"] != "", id_column, source)
    frame = frame[frame["answer"] != ""].reset_index(drop=True)
    normalised = {normalise_placeholder(p) for p in placeholders}
    frame["is_answer"] = [not _is_non_answer(a, normalised) for a in frame["answer"]]
    return frame


def check_ids(ids: pd.Series, answered: pd.Series, id_column: str, source: str) -> None:
    """Every respondent needs an id of their own: refuse repeated ids anywhere in the file and empty ids
    of respondents who answered, naming a few."""
    empty = int(((ids == "") & answered).sum())
    if empty:
        raise ColumnError(f"{empty} svar i {source} har intet id i kolonnen '{id_column}'. Udfyld id'erne, "
                          "eller vælg en anden id-kolonne.")
    given = ids[ids != ""]
    repeated = given[given.duplicated(keep=False)].unique()
    if len(repeated):
        shown = ", ".join(map(str, repeated[:5])) + (" …" if len(repeated) > 5 else "")
        raise ColumnError(f"Id-kolonnen '{id_column}' i {source} har {len(repeated)} id'er, der går igen ({shown}). "
                          "Hver respondent skal have sit eget id: ret filen, eller vælg en anden id-kolonne.")


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
