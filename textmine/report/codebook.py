"""The codebook: the curated themes as JSON, and back into a project of the same survey.

{"schema_version": 1, "question": ..., "themes": [{"name", "description", "clusters": [ids],
 "answers": [respondent ids placed by hand]}]}

`clusters` are the discovery run's cluster numbers behind a theme; `answers` are the respondents
whose answer the analyst placed in the theme by hand (its cluster belongs to another theme, or none).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import TextmineError
from ..store import Project

SCHEMA_VERSION = 1


class CodebookError(TextmineError):
    """A codebook that cannot be read or does not fit the project."""


@dataclass(frozen=True)
class CodebookTheme:
    name: str
    description: str = ""
    clusters: tuple[int, ...] = ()
    answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    question: str
    themes: tuple[CodebookTheme, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        data = {"schema_version": SCHEMA_VERSION, "question": self.question,
                "themes": [{**asdict(t), "clusters": list(t.clusters), "answers": list(t.answers)} for t in self.themes]}
        return json.dumps(data, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> "Codebook":
        """A codebook as textmine writes it; any other value is refused, naming it (a cluster 1.7 is not
        cluster 1, a theme without a name is not a theme called "None")."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:        # RecursionError: arrays nested thousands deep
            raise CodebookError(f"Kodebogen kan ikke læses som JSON ({type(exc).__name__}). "
                                "Brug en kodebog, som textmine har eksporteret.") from None
        if not isinstance(data, dict):
            _refuse("den er ikke et JSON-objekt")
        if data.get("schema_version") != SCHEMA_VERSION:
            raise CodebookError(f"Kodebogen har version {data.get('schema_version')}; textmine læser version "
                                f"{SCHEMA_VERSION}.")
        question, themes = data.get("question"), data.get("themes")
        if not isinstance(question, str) or not question:
            _refuse('"question" skal være spørgsmålets kolonnenavn')
        if not isinstance(themes, list):
            _refuse('"themes" skal være en liste af temaer')
        return cls(question, tuple(_theme(t, i) for i, t in enumerate(themes, 1)))


def _refuse(what: str):
    raise CodebookError(f"Kodebogen kan ikke læses: {what}. Brug en kodebog, som textmine har eksporteret.")


def _theme(raw, number: int) -> CodebookTheme:
    if not isinstance(raw, dict):
        _refuse(f"tema nr. {number} er ikke et JSON-objekt")
    name, description = raw.get("name"), raw.get("description")
    if not isinstance(name, str):
        _refuse(f'tema nr. {number} har intet navn ("name" skal være tekst, fik {name!r})')
    if description is not None and not isinstance(description, str):
        _refuse(f"temaet '{name}' har en beskrivelse, der ikke er tekst ({description!r})")
    clusters, answers = raw.get("clusters", []), raw.get("answers", [])
    for key, value in (("clusters", clusters), ("answers", answers)):
        if not isinstance(value, list):
            _refuse(f'"{key}" i temaet \'{name}\' skal være en liste, fik {value!r}')
    return CodebookTheme(name, description or "", tuple(_cluster(c, name) for c in clusters),
                         tuple(_respondent(r, name) for r in answers))


def _cluster(value, theme: str) -> int:
    """A cluster number: an int, or one written as 2.0 or "2" by a hand edit; never 1.7 read as 1."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    _refuse(f"temaet '{theme}' har klyngen {value!r}, der ikke er et helt klyngenummer")


def _respondent(value, theme: str) -> str:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    _refuse(f"temaet '{theme}' har svaret {value!r}, der ikke er et respondent-id")


def read_codebook(path: Path) -> Codebook:
    """A codebook file, with a clear message when it is missing or not a codebook."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        raise CodebookError(f"Kodebogen {path} findes ikke eller kan ikke læses.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookError(f"{Path(path).name} er ikke en kodebog (JSON i UTF-8) fra textmine.") from None
    return Codebook.from_json(text)


def from_project(project: Project) -> Codebook:
    """The project's themes as a codebook."""
    state, answers = project.state(), project.answers()
    owner = {c: t for t, theme in state.themes.items() for c in theme.clusters}
    themes = []
    for tid, theme in sorted(state.themes.items()):
        members = answers[answers["theme_id"] == tid]
        by_hand = members[members["cluster"].map(owner) != tid]["respondent_id"]
        themes.append(CodebookTheme(theme.name, theme.description, tuple(theme.clusters), tuple(by_hand)))
    return Codebook(project.question(), tuple(themes))


def apply_codebook(project: Project, codebook: Codebook) -> None:
    """Rebuild the codebook's themes in a freshly discovered project of the same survey and run,
    through ordinary (audited, undoable) curation actions."""
    if codebook.question != project.question():
        raise CodebookError(f"Kodebogen er til spørgsmålet '{codebook.question}', projektet til "
                            f"'{project.question()}'.")
    state = project.state()
    ids_of = {str(r): int(a) for a, r in zip(project.answers()["answer_id"], project.answers()["respondent_id"])}
    kept = set()
    for theme in codebook.themes:
        targets = [c for c in theme.clusters if c in state.themes]
        if not targets:
            continue
        if len(targets) > 1:
            project.apply("merge", theme_ids=targets)
        project.apply("rename", theme_id=targets[0], name=theme.name, description=theme.description)
        kept.add(targets[0])
        moved = [ids_of[r] for r in theme.answers if r in ids_of]
        if moved:
            project.apply("move", answers=moved, theme_id=targets[0])
    for tid in sorted(set(project.state().themes) - kept):
        project.apply("delete", theme_id=tid)
