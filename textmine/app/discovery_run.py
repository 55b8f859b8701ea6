"""*Find temaer* on the page, gradio-free: discover the themes of one question and save them as a new
project. Imports the discovery pipeline (scikit-learn, and BERTopic when it runs): the page imports this
module only when a discovery starts."""

from __future__ import annotations

from pathlib import Path

from ..config import DiscoverySettings, SurveyConfig
from ..errors import TextmineError, TooFewAnswersError
from ..text.privacy import masker_for
from . import views
from .desk import Desk, Session
from .pipeline import discover_question
from .projects import model_dir_of, new_project_path


def discover(desk: Desk, survey_path: str, id_col: str, question: str, granularity: float, seed_text: str,
             directory: Path, progress, config: SurveyConfig | None = None) -> tuple[Session, list[str]]:
    """Find themes for one question and save them as a new project (recording `config`, the survey's
    description, else the app's); the session on it, and the non-answers left out ("-", "ved ikke", ...)."""
    config = config or desk.config
    settings = DiscoverySettings(granularity=granularity, seed_themes=tuple(
        line.strip() for line in (seed_text or "").splitlines() if line.strip()))
    try:
        table = desk.surveys.get(survey_path, config.sheet_for(Path(survey_path)))     # the description's sheet
        found = discover_question(table, question, config, settings, id_column=id_col,
                                  progress=progress, source=Path(survey_path).name)
    except TooFewAnswersError as exc:               # too few to cluster: show them to be read instead
        raise TextmineError(views.too_few(str(exc), exc.answers, masker_for(config))) from None
    path = new_project_path(directory, Path(survey_path).name, question)
    found.save_model(model_dir_of(path), settings)
    found.save_project(path, survey_path, model_dir_of(path), config=config)
    return Session(str(path)), found.left_out
