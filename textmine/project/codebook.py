"""The codebook: the curated themes as JSON, and back into a project of the same survey and run.

{"schema_version": 2, "question": ...,
 "themes": [{"id", "name", "description", "final", "clusters": [ids], "answers": [respondent ids],
             "second": [respondent ids], "quotes": [respondent ids]}],
 "not_an_answer": [respondent ids], "unplaced": [respondent ids]}

A theme names its answers exactly: every respondent whose answer has it as primary theme (`answers`)
or as second theme (`second`); `quotes` are the answers pinned as its quotes for the report, in the
analyst's order (optional). The discovery run's `clusters` behind it are kept for reading, not for
placing: a split puts the same clusters behind two themes. Version 1 codebooks (clusters plus the
answers placed by hand) are still read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import TextmineError
from ..survey.reading import respondent_ids
from .curation import NOT_AN_ANSWER
from .data import ProjectData

SCHEMA_VERSION = 2


class CodebookError(TextmineError):
    """A codebook that cannot be read or does not fit the project."""


@dataclass(frozen=True)
class CodebookTheme:
    name: str
    description: str = ""
    clusters: tuple[int, ...] = ()
    answers: tuple[str, ...] = ()          # v2: every respondent with the theme as primary; v1: placed by hand
    second: tuple[str, ...] = ()
    final: bool = False
    quotes: tuple[str, ...] = ()           # respondents whose answers are pinned as the theme's quotes, in order


@dataclass(frozen=True)
class Codebook:
    question: str
    themes: tuple[CodebookTheme, ...] = field(default_factory=tuple)
    not_an_answer: tuple[str, ...] = ()
    unplaced: tuple[str, ...] = ()
    exact: bool = True                     # False for a version 1 codebook (clusters + hand placements)

    def to_json(self) -> str:
        data = {"schema_version": SCHEMA_VERSION if self.exact else 1, "question": self.question,
                "themes": [{"id": i + 1, "name": t.name, "description": t.description, "final": t.final,
                            "clusters": list(t.clusters), "answers": list(t.answers), "second": list(t.second), "quotes": list(t.quotes)}
                           for i, t in enumerate(self.themes)],
                "not_an_answer": list(self.not_an_answer), "unplaced": list(self.unplaced)}
        return json.dumps(data, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> "Codebook":
        """A codebook as textmine writes it; any other value is refused, naming it (a cluster 1.7 is not
        cluster 1, a theme without a name is not a theme called "None")."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:        # RecursionError: arrays nested thousands deep
            why = f"fejl i linje {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "for dybt indlejret" \
                if isinstance(exc, RecursionError) else "ikke gyldig tekst"
            raise CodebookError(f"Kodebogen kan ikke læses som JSON ({why}). "
                                "Brug en kodebog, som textmine har eksporteret.") from None
        if not isinstance(data, dict):
            _refuse("den er ikke et JSON-objekt")
        version = data.get("schema_version")
        if version not in (1, SCHEMA_VERSION):
            raise CodebookError(f"Kodebogen har version {version}; textmine læser version 1 og {SCHEMA_VERSION}.")
        question, themes = data.get("question"), data.get("themes")
        if not isinstance(question, str) or not question.strip():
            _refuse('"question" skal være spørgsmålets kolonnenavn')
        if not isinstance(themes, list):
            _refuse('"themes" skal være en liste af temaer')
        if not themes and not (data.get("unplaced") or data.get("not_an_answer")):
            # importing it would unplace every answer of the project; a textmine export of a project whose
            # themes were all deleted names its answers as unplaced (or not an answer) and is read
            _refuse('"themes" er tom; kodebogen har ingen temaer')
        exact = version == SCHEMA_VERSION
        return cls(question, tuple(_theme(t, i, exact) for i, t in enumerate(themes, 1)),
                   _respondents(data, "not_an_answer", "kodebogen"), _respondents(data, "unplaced", "kodebogen"),
                   exact=exact)


def _refuse(what: str):
    raise CodebookError(f"Kodebogen kan ikke læses: {what}. Brug en kodebog, som textmine har eksporteret.")


def _theme(raw, number: int, exact: bool) -> CodebookTheme:
    if not isinstance(raw, dict):
        _refuse(f"tema nr. {number} er ikke et JSON-objekt")
    name, description = raw.get("name"), raw.get("description")
    if not isinstance(name, str) or not name.strip():
        _refuse(f'tema nr. {number} har intet navn ("name" skal være tekst, fik {name!r})')
    if description is not None and not isinstance(description, str):
        _refuse(f"temaet '{name}' har en beskrivelse, der ikke er tekst ({description!r})")
    clusters = raw.get("clusters", [])
    if not isinstance(clusters, list):
        _refuse(f"\"clusters\" i temaet '{name}' skal være en liste, fik {clusters!r}")
    clusters = tuple(_cluster(c, name) for c in clusters)
    if exact and "answers" not in raw:    # version 2 names a theme's answers exactly: without them it would be empty
        _refuse(f"temaet '{name}' har ingen \"answers\" (listen over temaets respondenter)")
    final = raw.get("final", False)
    if not isinstance(final, bool):       # "false" is not False
        _refuse(f"\"final\" i temaet '{name}' skal være true eller false, fik {final!r}")
    return CodebookTheme(name, description or "", clusters,
                         _respondents(raw, "answers", f"temaet '{name}'"), _respondents(raw, "second", f"temaet '{name}'"),
                         final, _respondents(raw, "quotes", f"temaet '{name}'"))


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


def _respondents(raw: dict, key: str, where: str) -> tuple[str, ...]:
    values = raw.get(key, [])
    if not isinstance(values, list):
        _refuse(f'"{key}" i {where} skal være en liste, fik {values!r}')
    return tuple(_respondent(v, where) for v in values)


def _respondent(value, where: str) -> str:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    _refuse(f"{where} har svaret {value!r}, der ikke er et respondent-id")


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


def from_project(data) -> Codebook:
    """The project's themes as a codebook (from a store.Project or a ProjectData): each theme with exactly
    its answers."""
    if not isinstance(data, ProjectData):
        data = data.read()
    state, answers = data.state, data.base.table
    who = dict(zip(answers["answer_id"], respondent_ids(answers["respondent_id"])))
    themes = []
    for tid, theme in sorted(state.themes.items()):
        themes.append(CodebookTheme(theme.name, theme.description, tuple(theme.clusters),
                                    tuple(who[a] for a in state.members(tid)),
                                    tuple(who[a] for a, t in sorted(state.second.items()) if t == tid), theme.final,
                                    tuple(who[a] for a in theme.quotes)))
    return Codebook(data.question, tuple(themes), tuple(who[a] for a in state.not_answers()),
                    tuple(who[a] for a in state.unplaced()))


def placements(codebook: Codebook, data: ProjectData) -> tuple[list[dict], dict, dict]:
    """What the codebook means in this project: (theme rows, answer -> theme index | NOT_AN_ANSWER, answer ->
    second theme index), checked as a whole before anything is changed."""
    if codebook.question != data.question:
        raise CodebookError(f"Kodebogen er til spørgsmålet '{codebook.question}', projektet til '{data.question}'.")
    answers = data.base.table
    answer_of = {r: int(a) for r, a in zip(respondent_ids(answers["respondent_id"]), answers["answer_id"])}
    primary = _primary_by_clusters(codebook, answers) if not codebook.exact else {}
    named = [(r, j) for j, t in enumerate(codebook.themes) for r in t.answers]
    named += [(r, NOT_AN_ANSWER) for r in codebook.not_an_answer]
    unknown = [r for r, _ in named if r not in answer_of]
    if unknown and (codebook.exact or len(unknown) == len(named)):
        raise CodebookError(f"{len(unknown)} af kodebogens respondenter (fx {unknown[0]}) findes ikke i projektet. "
                            "Kodebogen er til en anden survey eller kørsel; intet er ændret.")
    seen: dict[str, int] = {}
    for r, j in named:
        if codebook.exact and r in seen and seen[r] != j:
            raise CodebookError(f"Respondent {r} står under to temaer i kodebogen. Ret kodebogen; intet er ændret.")
        seen[r] = j
        if r in answer_of:
            primary[answer_of[r]] = j
    second = {answer_of[r]: j for j, t in enumerate(codebook.themes) for r in t.second if r in answer_of}
    rows = [{"name": t.name, "description": t.description, "final": t.final, "clusters": list(t.clusters),
             "quotes": [answer_of[r] for r in t.quotes if r in answer_of]} for t in codebook.themes]
    return rows, primary, second


def _primary_by_clusters(codebook: Codebook, answers) -> dict:
    """A version 1 codebook: each answer by the theme its discovered cluster belongs to."""
    owner: dict[int, int] = {}
    for j, theme in enumerate(codebook.themes):
        for c in theme.clusters:
            if c in owner and owner[c] != j:
                raise CodebookError(f"Klynge {c} står under to temaer i kodebogen. Ret kodebogen; intet er ændret.")
            owner[c] = j
    known = set(answers["cluster"].astype(int))
    if owner and not set(owner) & known:
        raise CodebookError("Ingen af kodebogens klynger findes i projektet. Kodebogen er til en anden kørsel; "
                            "intet er ændret.")
    return {a: owner[int(c)] for a, c in zip(answers["answer_id"], answers["cluster"]) if int(c) in owner}


def apply_codebook(project, codebook: Codebook) -> int:
    """Rebuild the codebook's themes in a project of the same survey and run: validated as a whole, then
    one audited, undoable step that applies whole or not at all. Returns the new version."""
    data = project.read()
    rows, primary, second = placements(codebook, data)
    return project.apply("restore", expected_version=data.version, themes=rows, primary=primary, second=second)
