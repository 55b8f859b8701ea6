"""textmine's own exceptions, and what the machine's errors (disk full, no access) mean to the analyst.

Every message is meant for the analyst (in Danish): it says which file, sheet or column is
wrong and what to do. The CLI turns them into exit code 2, the app into a message box.
"""

import errno
import os
import re
import shutil
from pathlib import Path


class TextmineError(Exception):
    """Base class: a problem the analyst can act on."""


class SurveyFileError(TextmineError):
    """The survey file cannot be read: wrong format, empty, missing sheet."""


class ColumnError(TextmineError):
    """A column named in the settings or on the command line is not in the survey."""


class ConfigError(TextmineError):
    """The survey description (TOML) is missing or wrong."""


class TooFewAnswersError(TextmineError):
    """A question has too few real answers to cluster; `answers` holds them, to be read instead."""

    def __init__(self, message: str, answers=()):
        super().__init__(message)
        self.answers = list(answers)


class ModelError(TextmineError):
    """An embedding model or a saved textmine model cannot be loaded."""


class OptionError(TextmineError):
    """A command-line option is out of range, or a file or folder it names is wrong."""


# -- the machine refuses: disk full, no access, a file where a folder should be ----------------------

_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_NO_ACCESS = {errno.EACCES, errno.EPERM}


def os_problem(exc: OSError, where=None) -> str:
    """What an OSError means for the analyst and what to do, in one Danish sentence or two.
    `where`: the file or folder being written, when the error does not name one."""
    path = exc.filename or where or "filen"
    code = exc.errno if exc.errno is not None or not nearly_full(path) else errno.ENOSPC   # numpy gives no errno
    known = {
        **dict.fromkeys(_NO_SPACE, f"Der er ikke plads på disken til {path}. Frigør plads, eller vælg en anden "
                                   "mappe på et drev med plads."),
        **dict.fromkeys(_NO_ACCESS, f"Ingen adgang til {path}. Vælg en anden mappe, eller få skriveadgang til den."),
        errno.EROFS: f"{path} ligger på et skrivebeskyttet drev. Vælg en anden mappe.",
        errno.EEXIST: f"{path} findes allerede og er ikke en mappe. Vælg en anden mappe.",
        errno.ENOTDIR: f"En del af stien {path} er en fil, ikke en mappe. Vælg en anden mappe.",
        errno.EISDIR: f"{path} er en mappe, ikke en fil. Vælg et andet navn.",
        errno.ENAMETOOLONG: f"Stien {path} er for lang. Vælg en mappe med et kortere navn.",
        errno.ENOENT: f"{path} findes ikke. Tjek stien.",
    }
    return known.get(code, f"{path} kan ikke læses eller skrives ({exc.strerror or exc}). Tjek stien, "
                                "den ledige plads og adgangen til mappen.")


def file_problem(path, noun: str = "fil") -> str | None:
    """Why `path` cannot be read as a file (`noun`: "fil", "projektfil" ...), in one Danish sentence saying what
    to do: it is missing, a folder, not a regular file (a pipe, a device such as /dev/zero) or unreadable to this
    process. None for a readable regular file."""
    path = Path(path)
    if path.is_file():
        return None if os.access(path, os.R_OK) else (
            f"Ingen læseadgang til {path}. Få læseadgang til {noun}en, eller kopiér den til en mappe, du kan læse.")
    if path.is_dir():
        return f"{path} er en mappe, ikke en {noun}. Vælg {noun}en i mappen."
    if path.exists():
        return f"{path} er ikke en almindelig {noun} (men fx en pipe eller en enhed). Vælg en almindelig {noun}."
    return f"{noun.capitalize()}en findes ikke: {path}. Tjek stien."


def nearly_full(path, margin: int = 16 * 1024 * 1024) -> bool:
    """Whether the drive `path` is on (or would be on) has less than `margin` bytes free."""
    for folder in (Path(path), *Path(path).parents):
        try:
            return shutil.disk_usage(folder).free < margin
        except OSError:
            continue
    return False


def as_os_error(exc: Exception) -> OSError | None:
    """`exc` as an OSError when it is one, or one reported by a Rust library: safetensors (BERTopic's model
    save) reports a full disk as SafetensorError("... No space left on device (os error 28)")."""
    if isinstance(exc, OSError):
        return exc
    code = re.search(r"\(os error (\d+)\)", str(exc))
    return OSError(int(code.group(1)), os.strerror(int(code.group(1)))) if code else None


def sqlite_problem(exc: Exception, where=None) -> str | None:
    """The same for SQLite's errors when writing (disk full, read-only, cannot open); None for the others,
    which are not the analyst's to fix and must not be hidden."""
    text, path = str(exc).lower(), where or "projektfilen"
    if "full" in text:
        return f"Der er ikke plads på disken til {path}. Frigør plads, eller vælg en anden mappe på et drev med plads."
    if "readonly" in text or "read-only" in text:
        return (f"{path} er skrivebeskyttet, eller mappen har ingen skriveadgang. Vælg en anden mappe, "
                "eller giv skriveadgang.")
    if "unable to open" in text:
        return f"{path} kan ikke åbnes til skrivning. Tjek at mappen findes, og at du har skriveadgang til den."
    if "disk i/o error" in text:
        return (f"Disken gav en fejl under skrivning af {path}. Tjek drevet og den ledige plads, "
                "eller vælg en anden mappe.")
    return None
