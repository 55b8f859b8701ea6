"""*Find temaer* on the page, gradio-free: discover the themes of one question and save them as a new
project. Imports the discovery pipeline (scikit-learn, and BERTopic when it runs): the page imports this
module only when a discovery starts."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from ..config import DiscoverySettings, SurveyConfig
from ..errors import TextmineError, TooFewAnswersError
from ..progress import StopFlag
from ..project.file import remove
from ..project.store import Project
from ..text.privacy import masker_for
from . import views
from .desk import Desk, Session
from .pipeline import QuestionResult, discover_question
from .projects import model_dir_of, new_project_path


def discover(desk: Desk, survey_path: str, id_col: str, question: str, granularity: float, seed_text: str,
             directory: Path, progress, config: SurveyConfig | None = None,
             stop: StopFlag | None = None) -> tuple[Session, list[str]]:
    """Find themes for one question and save them as a new project (recording `config`, the survey's
    description, else the app's); the session on it, and the non-answers left out ("-", "ved ikke", ...).
    `stop` set (the page's *Stop*) ends the run at its next safe point with progress.Stopped, nothing
    written; all or nothing is written (save_new)."""
    config, stop = config or desk.config, stop or StopFlag()
    progress = stop.watching(progress)
    settings = DiscoverySettings(granularity=granularity, seed_themes=tuple(
        line.strip() for line in (seed_text or "").splitlines() if line.strip()))
    try:
        table = desk.surveys.get(survey_path, config.sheet_for(Path(survey_path)))     # the description's sheet
        found = discover_question(table, question, config, settings, id_column=id_col,
                                  progress=progress, source=Path(survey_path).name)
    except TooFewAnswersError as exc:               # too few to cluster: show them to be read instead
        raise TextmineError(views.too_few(str(exc), exc.answers, masker_for(config))) from None
    stop.check()                                      # the last safe point: nothing is written before it
    path = new_project_path(directory, Path(survey_path).name, question)
    save_new(found, path, survey_path, settings, config, progress)
    return Session(str(path)), found.left_out


def save_new(found: QuestionResult, path: Path, survey_path: str, settings: DiscoverySettings,
             config: SurveyConfig, progress=lambda step, fraction: None) -> None:
    """The project at `path` and its model folder beside it, all or nothing: both are written under hidden
    temporary names (not listed as projects) and renamed into place only when both are written. `progress`
    (QuestionResult.save_project's) may stop it (progress.Stopped): then nothing is left."""
    token, model = secrets.token_hex(4), model_dir_of(path)
    staged_model, staged = path.with_name(f".{model.name}.{token}.tmp"), path.with_name(f".{path.name}.{token}.tmp")
    placed = False
    try:
        found.save_model(staged_model, settings)
        found.save_project(staged, survey_path, model, config=config, progress=progress)
        staged_model.rename(model)
        placed = True
        Project(staged).move_to(path)
    except BaseException:
        shutil.rmtree(model if placed else staged_model, ignore_errors=True)
        remove(staged)
        raise
