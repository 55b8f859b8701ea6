"""What the command line checks and computes apart from its arguments and messages: an --out folder that can be
written, the --seeds file's headings, the tables `textmine themes`, `review` and `assignments` print, and the
answers and theme `move` and `confirm` name. Gradio-free; cli.py parses, prints and turns errors into exit codes."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import OptionError, os_problem
from ..project.curation import NOT_AN_ANSWER
from ..project.store import Project
from ..project.themes import snapshot, theme_name, theme_table
from ..review.model import placement
from ..review.quality import check_queue
from ..review.queue import queue
from ..survey.reading import decode, respondent_ids
from .review_page import rows_of


def output_folder(path: str) -> Path:
    """An --out folder, refused at once (not after minutes of work) when it or a folder above it is a file, or
    the nearest folder of it that exists cannot be written to (no access, a read-only drive)."""
    out = Path(path)
    for folder in (out, *out.parents):
        if folder.exists():
            if not folder.is_dir():
                where = f"--out {out}" if folder == out else f"--out {out}: {folder}"
                raise OptionError(f"{where} er en fil, ikke en mappe. Vælg en anden mappe.")
            check_writable(folder, out)
            break
    return out


def check_writable(folder: Path, out: Path) -> None:
    """Refuse `folder` when a file cannot be made in it: tried with a nameless temporary file (none is left)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OptionError(f"--out {out}: {os_problem(exc, folder)}") from None


def seed_themes(path) -> tuple[str, ...]:
    """Seed theme headings from a text file, one a line (blank lines ignored)."""
    if not path:
        return ()
    if not Path(path).is_file():
        raise OptionError(f"Filen med temaoverskrifter (--seeds) findes ikke: {path}. Tjek stien.")
    lines = decode(Path(path).read_bytes(), Path(path).name).splitlines()
    headings = tuple(line.strip() for line in lines if line.strip())
    if not headings:
        raise OptionError(f"Filen {path} (--seeds) har ingen overskrifter. Skriv én temaoverskrift på hver linje.")
    return headings


def themes_table(path: str) -> pd.DataFrame:
    """The themes of the project at `path`: theme_id, name, size, keywords."""
    return theme_table(snapshot(Project(path)))[["theme_id", "name", "size", "keywords"]]


def review_table(path: str, sample: bool, top: int | None) -> pd.DataFrame:
    """The review queue (or the check sample's next unread answers), the answer most likely misplaced first, with
    the confidence *Gennemse* shows (the probability that the suggestion is right, review.trust)."""
    snap = snapshot(Project(path))
    model = placement(snap)
    table = (check_queue if sample else queue)(snap, model, top)
    table["confidence"] = [round(row.confidence, 4) for row in rows_of(snap, model, table)]   # as *Gennemse* shows
    return table[["respondent_id", "theme_id", "suggested_theme_id", "confidence", "kind"]].astype(
        {"theme_id": "Int64", "suggested_theme_id": "Int64"})


def assignments_table(path: str) -> pd.DataFrame:
    """Every answer's theme: respondent_id, question, theme_id, theme, second_theme_id."""
    data = Project(path).read()
    answers = data.answers
    names = [theme_name(data, None if pd.isna(t) else int(t)) for t in answers["theme_id"]]
    return pd.DataFrame({"respondent_id": answers["respondent_id"], "question": data.question,
                         "theme_id": answers["theme_id"], "theme": names,
                         "second_theme_id": answers["second_theme_id"]})


def theme_ids(text: str, option: str) -> list[int]:
    """Theme ids written as 3,5,9 (for `option`), refused when one is no whole number."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts or not all(re.fullmatch(r"-?\d+", p) for p in parts):
        raise OptionError(f"{option} skal være temanumre adskilt af komma, fx 3,5,9 (fik {text!r}). "
                          "Se numrene med textmine themes PROJEKT.")
    return [int(p) for p in parts]


def answers_of(project: Project, text: str) -> list[int]:
    """The answers of the respondents named in --respondents (R0001,R0002), refused when one is unknown."""
    table = project.read().base.table
    wanted = [p.strip() for p in str(text).split(",") if p.strip()]
    if not wanted:
        raise OptionError("--respondents skal nævne mindst én respondent, fx R0001,R0002.")
    where = dict(zip(respondent_ids(table["respondent_id"]), table["answer_id"]))
    unknown = [r for r in wanted if r not in where]
    if unknown:
        raise OptionError(f"Respondenten {unknown[0]} har intet svar i projektet. Se respondenterne med "
                          "textmine assignments PROJEKT.")
    return [int(where[r]) for r in dict.fromkeys(wanted)]


def theme_id(project: Project, text: str) -> int:
    """The one theme named in --to: a theme of the project, or NOT_AN_ANSWER."""
    ids = theme_ids(text, "--to")
    if len(ids) != 1:
        raise OptionError(f"--to skal være ét temanummer (fik {text!r}).")
    if ids[0] != NOT_AN_ANSWER and ids[0] not in project.state().themes:
        raise OptionError(f"Temaet {ids[0]} findes ikke i projektet ({NOT_AN_ANSWER} = Ikke et svar). "
                          "Se numrene med textmine themes PROJEKT.")
    return ids[0]


def merge(path: str, themes: str, name: str | None) -> int:
    """Merge the themes named in --themes (3,5,9) into the first (an audited action); its id."""
    project = Project(path)
    ids = theme_ids(themes, "--themes")
    project.read()                         # a damaged project is refused, as by export and move, not written into
    project.apply("merge", theme_ids=ids, name=name)
    return ids[0]


def move(path: str, respondents: str, to: str) -> tuple[int, int]:
    """Move the respondents' answers to the theme --to names (an audited action); (how many, the theme)."""
    project = Project(path)
    answers, theme = answers_of(project, respondents), theme_id(project, to)
    project.apply("move", answers=answers, theme_id=theme)
    return len(answers), theme


def confirm(path: str, respondents: str) -> int:
    """Mark the respondents' answers as reviewed where they are (an audited action); how many."""
    project = Project(path)
    answers = answers_of(project, respondents)
    project.apply("confirm", answers=answers)
    return len(answers)
