"""Pictures of the exports for docs/: the demo survey's two open questions and the follow-up wave, coded
as the gold labels say (data/baseline_survey_gold_labels.csv) with the report's headings, exported,
converted to PDF by LibreOffice (Danish locale) and to PNG by pdftoppm.

    PYTHONPATH=$PWD .venv/bin/python docs/export_pictures.py [OUT_DIR]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from textmine.config import load_config
from textmine.project.curation import NOT_AN_ANSWER
from textmine.project.data import respondents_per_theme
from textmine.project.store import Project
from textmine.report.export import export_project
from textmine.survey.reading import read_survey

DOCS = Path(__file__).resolve().parent
DATA = DOCS.parent / "data"
COMPETENCES = [  # the report's twelve headings for andre_kompetencer (C1-C12), with their descriptions
    ("Relations- og borgerinddragelse", "facilitering, tillid, respekt, hjælp til selvhjælp, åben dialog/netværksmøder"),
    ("Kommunikation & samtaleteknik", "anerkendende/motiverende samtaler, konkretisering, konflikthåndtering, mødeledelse"),
    ("Emotionelle/mentale kompetencer", "empati, emotionel mestring/mentalisering, psykologisk tryghed, supervision"),
    ("Helhedsorienteret & tværfagligt arbejde", "koordination på tværs, fælles plan, tydelig rollefordeling"),
    ("Arbejdsgiver-/virksomhedsrettede kompetencer", "rekruttering, salg, “oversætte” borgerkompetencer til virksomhedsbehov"),
    ("Arbejdsmarkedskendskab & forretningsforståelse", "lokalt marked, nye jobtyper, brancheindsigt, nøgletal"),
    ("Faglig myndighed & dømmekraft", "mod til at træffe afgørelser og stille krav, etisk refleksion"),
    ("Afklaring af arbejdsevne & sundhedsfaglig viden", "diagnoser, psykoedukation, ergonomi/hjælpemidler"),
    ("Kulturel & sproglig kompetence", "interkulturel forståelse, flere sprog"),
    ("Læringsparathed & agilitet", "refleksiv praksis, kontinuerlig opkvalificering, coach/mentor-evner"),
    ("Digitale/AI-kompetencer & systemforståelse", "smart brug af it, tale-til-tekst, sikre AI-værktøjer"),
    ("Organisatoriske rammer der efterspørges", "mere supervision, mindre “kassetænkning”, simplere processer"),
]
NEW_THEMES = [("AI og digitale værktøjer", "dokumentation, matchning, selvbetjening"),
              ("Reformens frihed", "færre regler, tillid til fagligheden, lokalt design")]


def _split(heading: str) -> tuple[str, str]:
    name, _, rest = heading.partition(" (")
    return name, rest.rstrip(")")


def coded_project(path: Path, survey: pd.DataFrame, gold: pd.DataFrame, question: str, headings, meta=None,
                  survey_file: str = "",
                  unplaced: int = 4) -> Project:
    """A project whose answers sit in their gold themes (first label; a second label as second theme),
    the no-answers in "Ikke et svar" and the last `unplaced` answers unplaced; every theme final."""
    labels = gold[gold["question"] == question].set_index("respondent_id")["labels"].str.split("|")
    answered = survey[survey["respondent_id"].isin(labels.index)]
    table = pd.DataFrame({"respondent_id": answered["respondent_id"].astype(str), "answer": answered[question].astype(str)})
    first = [labels[r][0] for r in table["respondent_id"]]
    number = {c: int(c[1:]) - 1 for c in set(first) | {c for ls in labels for c in ls}}    # K1 -> theme 0
    table["cluster"] = [number[c] for c in first]
    table.loc[table.index[-unplaced:], "cluster"] = -1
    names = {i: h[0] for i, h in enumerate(headings)}
    project = Project.create(path, question, table, survey=survey_file, meta=meta, names=names,
                             descriptions={i: h[1] for i, h in enumerate(headings)})
    empty = [i for i, c in enumerate(first) if number[c] < 0]
    if empty:
        project.apply("move", answers=empty, theme_id=NOT_AN_ANSWER)
    themes = project.state().themes
    for i, r in enumerate(table["respondent_id"]):
        second = number[labels[r][1]] if len(labels[r]) > 1 else -1
        if second in themes and table["cluster"].iloc[i] >= 0 and second != table["cluster"].iloc[i]:
            project.apply("set_second", answer=i, theme_id=second)
    for theme_id in project.state().themes:
        project.apply("mark_final", theme_id=theme_id, final=True)
    return project


def build_projects(folder: Path):
    config = load_config()
    survey = read_survey(config.survey_file, config.sheet)
    gold = pd.read_csv(DATA / "baseline_survey_gold_labels.csv", dtype=str)
    core = [_split(h) for h in config.seed_themes["kerneopgave"]]
    base = coded_project(folder / "kerneopgave.sqlite", survey, gold, "kerneopgave", core)
    other = coded_project(folder / "andre_kompetencer.sqlite", survey, gold, "andre_kompetencer", COMPETENCES)
    data = base.read()
    counts = respondents_per_theme(data)
    n = data.answers.loc[data.answers["theme_id"].fillna(-2) != NOT_AN_ANSWER, "respondent_id"].nunique()
    baseline = {"n": int(n), "themes": [{"name": t.name, "count": counts.get(i, 0), "theme_id": i}
                                        for i, t in sorted(data.state.themes.items())]}
    follow = read_survey(config.followup_file, config.sheet)
    follow_gold = pd.read_csv(DATA / "followup" / "followup_survey_gold_labels.csv", dtype=str)
    follow_gold["labels"] = follow_gold["labels"].str.replace("N1", "K7").str.replace("N2", "K8")
    wave = coded_project(folder / "kerneopgave_opfoelgning.sqlite", follow, follow_gold, "kerneopgave",
                         core + NEW_THEMES, meta={"baseline": json.dumps(baseline)}, survey_file=str(config.followup_file))
    return config, [(base, survey), (other, survey), (wave, follow)]


def danish_profile(folder: Path) -> str:
    """A LibreOffice user profile whose locale is Danish (da-DK): number formats read "20,9"."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
        '<value>da-DK</value></prop></item>\n</oor:items>\n', encoding="utf-8")
    return f"-env:UserInstallation=file://{folder}"


def to_png(file: Path, prefix: str, folder: Path, profile: str) -> list[Path]:
    subprocess.run(["soffice", "--headless", "--norestore", profile, "--convert-to", "pdf", "--outdir", str(folder),
                    str(file)], check=True, capture_output=True, timeout=300)
    pdf = folder / (file.stem + ".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "60" if "slides" in prefix else "80", str(pdf), str(DOCS / prefix)], check=True, timeout=300)
    return sorted(DOCS.glob(f"{prefix}-*.png"))


def main(out: Path | None = None) -> None:
    folder = Path(out or tempfile.mkdtemp())
    for old in DOCS.glob("export_*-*.png"):
        old.unlink()
    config, projects = build_projects(folder)
    profile = danish_profile(folder / "lo")
    for project, survey in projects:
        written = export_project(project, folder / "out", ["pptx", "docx", "xlsx"],
                                 question_text=config.questions[project.question()], survey=survey, config=config)
        stem = written[0].stem.removesuffix("_temaer")
        to_png(written[1], f"export_slides_{stem}", folder, profile)
        to_png(written[2], f"export_word_{stem}", folder, profile)
    print(folder)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
