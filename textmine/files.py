"""Files textmine writes for the analyst: replaced whole or not at all, and no cell a spreadsheet
would run as a formula.

Every writer (CSV, xlsx, pptx, docx, JSON) writes to a temporary file beside the target and renames it
over the target only when the file is complete (`replacing`): a kill, a full disk or an error midway
leaves an earlier file of the same name as it was, and no half-written file under that name.
"""

from __future__ import annotations

import csv
import os
import re
import secrets
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

# A cell starting with one of these is read as a formula by Excel or LibreOffice (=cmd|' /C calc'!A0).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")        # -12 or +4,5: a number to a spreadsheet, not a formula


def safe_file_name(text: str, fallback: str, limit: int = 60) -> str:
    """A file-name part made from any text (a question's header, a survey's name): letters (æøå too),
    digits, - and _, anything else (?, /, :, quotes, emoji, spaces) becomes one _; at most `limit` bytes in
    UTF-8 (a file name may have 255), cut between characters; `fallback` when nothing is left."""
    name = re.sub(r"_+", "_", re.sub(r"[^\w-]", "_", unicodedata.normalize("NFC", str(text)).strip()))
    while len(name.encode("utf-8")) > limit:
        name = name[:-1]
    return name.strip("_.-") or fallback


def safe_cell(value):
    """Text that a spreadsheet would read as a formula, with a leading apostrophe (the usual guard
    against formula injection); anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path in `path`'s folder to write the whole file to; when the block ends without an
    error it is flushed to disk and renamed to `path` (atomic: readers see the old file or the new one).
    On any error it is removed and `path` is left as it was."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))     # the umask's usual mode
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_text(text: str, path: Path) -> Path:
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path


def write_csv(frame: pd.DataFrame, path: Path, encoding: str = "utf-8", sep: str = ",") -> Path:
    """`frame` as CSV without its index, every text cell (and header) guarded by `safe_cell`; numbers
    are written as they are. Rows end in CRLF (RFC 4180), so a cell holding a lone CR is quoted too: unquoted,
    a spreadsheet starts a new row there, and the rest of the cell is read as a formula."""
    guarded = frame.rename(columns=safe_cell)
    for column in guarded.select_dtypes(include=["object", "string"]).columns:
        guarded[column] = guarded[column].map(safe_cell)
    with replacing(path) as temporary:
        guarded.to_csv(temporary, index=False, encoding=encoding, sep=sep, quoting=csv.QUOTE_MINIMAL,
                       lineterminator="\r\n")
    return path
