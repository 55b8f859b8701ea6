"""Write a project's report files: what `textmine export` and the app's export panel call.

Files are named after the project and its question (`kerneopgave_temaer.pptx`; `export_names`), and
`export_summary` says in one Danish line what an export holds (project, question, themes, final or not)."""

from __future__ import annotations

from pathlib import Path

from ..config import SurveyConfig
from ..errors import TextmineError
from ..files import safe_file_name, write_text
from ..fmt import count
from ..project import codebook
from ..project.data import ProjectData
from ..project.store import Project
from ..survey.reading import read_survey
from . import tables
from .formats import EXPORT_FORMATS, FORMATS

GENERIC_STEMS = {"", "project", "projekt"}          # what `discover` calls every project: says nothing


def write_codebook(tables, path: Path) -> Path:
    """The codebook of the tables' project read (names masked as in the tables)."""
    return write_text(codebook.from_project(tables.shown).to_json(), path)


class Written(list):
    """The files written, in order (a list of paths); `warnings`: what the export left out and why, in
    Danish, for the CLI to print and the app to show (e.g. no groups: the survey lacks their columns)."""

    def __init__(self, paths=(), warnings=()):
        super().__init__(paths)
        self.warnings = list(warnings)


def export_stem(data: ProjectData) -> str:
    """The name all of a project's files share: its question, after the project's own name when that says
    more (`kommune_2026_kerneopgave`), and `_opfoelgning` for a follow-up wave."""
    question, project = safe_file_name(data.question, "spoergsmaal"), safe_file_name(Path(data.path).stem, "", 120)
    stem = question if project.lower() in GENERIC_STEMS or project == question else \
        project if question in project else f"{project}_{question}"
    return f"{stem}_opfoelgning" if data.meta.get("baseline") and "opf" not in stem.lower() else stem


def export_names(data: ProjectData) -> dict[str, str]:
    """format -> file name: kerneopgave_temaer.xlsx / .pptx / .docx, kerneopgave_kodebog.json, kerneopgave_svar.csv."""
    stem = export_stem(data)
    return {f.key: f"{stem}_{f.kind}.{f.extension}" for f in EXPORT_FORMATS}


def export_summary(data: ProjectData) -> str:
    """What an export of the project holds, for the export tab: "Projekt: p · spørgsmål: kerneopgave ·
    6 temaer, alle endelige" (or "2 af 6 endelige: kun de endelige kommer med i slides og Word"). A theme with
    no answers is not counted: the files leave it out."""
    sizes, seconds = data.state.sizes(), data.state.second_sizes()
    themes = [th for t, th in data.state.themes.items() if sizes[t] or seconds[t]]
    final = sum(t.final for t in themes)
    if not themes:
        state = "ingen temaer endnu"
    elif final == len(themes):
        state = f"{len(themes)} temaer, alle endelige"
    elif final:
        state = f"{len(themes)} temaer, {count(final, 'endeligt', 'endelige')}: kun " \
                f"{'det endelige' if final == 1 else 'de endelige'} kommer med i slides og Word"
    else:
        state = f"{len(themes)} temaer, ingen endelige endnu: alle kommer med"
    return f"Projekt: {Path(data.path).stem} · spørgsmål: {data.question} · {state}. Filerne hedder {export_stem(data)}_…"


def export_project(project: Project, out: Path, formats=FORMATS, question_text: str = "", survey=None,
                   config=None, masker=None, texts=None) -> Written:
    """The chosen formats in `out`, named by `export_names`; returns the files written, with warnings. With the
    survey table and its config the tables and charts also show the report's groups; when the survey lacks
    their columns they are left out and a warning says so. Each file is replaced whole or not at all
    (files.replacing). Personal data in the answers and the theme names is masked (`masker`, else the config's
    [privacy], else the default); `texts`: the file's texts as that masking shows them, lemmatised (themes.Texts),
    when the caller has them (lemmatising 100,000 answers takes 15-20 s)."""
    formats = [f.strip().lower() for f in formats if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise TextmineError(f"Ukendt eller intet format: {', '.join(unknown) or '–'}. Vælg blandt {', '.join(FORMATS)}.")
    data = project.read()                          # one read: every file shows the same version
    built = tables.build(data, question_text=question_text, survey=survey, config=config, masker=masker, texts=texts)
    names = export_names(data)
    out.mkdir(parents=True, exist_ok=True)
    written = Written(warnings=built.notes)
    for fmt in EXPORT_FORMATS:
        if fmt.key in formats:
            written.append(fmt.write(built, out / names[fmt.key]))
    return written


def project_survey(project: Project, config: SurveyConfig):
    """(the survey table a project was discovered from, ""), or (None, why not: no groups described, the file
    gone, or the file unreadable and why) for the export to say."""
    path = project.meta("survey")
    if not config.groups:
        return None, "beskrivelsen af undersøgelsen har ingen grupper ([groups])"
    if not path or not Path(path).is_file():
        return None, f"projektets fil med undersøgelsen{f' ({path})' if path else ''} blev ikke fundet"
    try:
        return read_survey(path, config.sheet_for(Path(path))), ""
    except TextmineError as exc:
        return None, f"projektets fil med undersøgelsen kan ikke læses: {exc}"
