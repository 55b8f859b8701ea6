"""One question from survey file to clusters on disk: what `textmine discover` and the app run."""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..config import DiscoverySettings, SurveyConfig, recorded
from ..discovery.clustering import map_2d
from ..discovery.topics import Discovery, discover, save_model, too_few
from ..errors import TextmineError
from ..files import write_csv
from ..project.data import read
from ..project.file import remove
from ..project.store import Project
from ..project.themes import Snapshot, snapshot
from ..project.tree import cut_steps, start_cut
from ..review.names import name_clusters, names_after
from ..survey.reading import answers_of, read_survey
from ..text import e5
from ..text.embed import CachedEmbedder, EmbeddingCache, answer_vectors, resolve_embedder
from ..text.lemmas import DanishLemmatizer
from ..text.privacy import Masker, masker_for

MAP_FIT = DiscoverySettings.fit_sample     # the map's UMAP is fitted on this many answers at most (SampledUMAP)
UNLOAD_FROM = 2000          # after embedding this many answers the embedding model is unloaded (memory)


def _silent(step: str, fraction: float) -> None:
    pass


@dataclass
class QuestionResult:
    question: str
    answers: pd.DataFrame          # respondent_id, answer, is_answer, cluster (-1 / <NA> for non-answers)
    discovery: Discovery
    embedder_name: str
    kept_project: tuple[Path, bool] | None = None   # a project in the way, renamed; was it readable (curated)?
    seed_themes: tuple[str, ...] = ()               # the headings steered to, with personal data masked

    @property
    def left_out(self) -> list[str]:
        """The non-answers not clustered ("-", "ved ikke", ...: the description's placeholders), as written."""
        return self.answers.loc[~self.answers["is_answer"], "answer"].astype(str).tolist()

    def assignments(self) -> pd.DataFrame:
        real = self.answers[self.answers["is_answer"]]
        return pd.DataFrame({"respondent_id": real["respondent_id"].values, "question": self.question,
                             "cluster": real["cluster"].astype(int).values})

    def save_model(self, directory: Path, settings: DiscoverySettings) -> None:
        """What a later wave is placed with (topics.save_model)."""
        real = self.answers[self.answers["is_answer"]]
        save_model(self.discovery, directory, replace(settings, seed_themes=self.seed_themes), self.embedder_name,
                   self.question, real["respondent_id"])

    def save_project(self, path: Path, survey: str = "", model_dir: Path | None = None, cut: bool = True,
                     config: SurveyConfig | None = None, progress=_silent) -> Project:
        """A project file holding the real answers and one theme per cluster, ready to curate.
        `survey`: the survey file's path, so the project can find its background data again;
        `model_dir`: the saved model, so the curated themes can be applied to a follow-up wave;
        `cut`: a discovery with many clusters starts at tree.START_THEMES themes, cut from the theme tree
        as the project's first (undoable) step, the fine clusters beneath;
        `config`: the survey description it was made with, recorded in the project (config.recorded);
        `progress(step, fraction)` hears of "names", "map" and "saving"."""
        real = self.answers[self.answers["is_answer"]]
        found = self.discovery
        meta = {"model_dir": str(Path(model_dir).resolve())} if model_dir else {}
        meta.update(recorded(config) if config is not None else {})
        progress("names", 0.0)
        suggested = self.suggestions(config)
        names = {**{c: s.name for c, s in suggested.items()}, **(found.names or {})}    # a seed theme keeps its name
        progress("map", 0.0)
        coords = map_2d(found.features, fit_on=MAP_FIT, progress=lambda fraction: progress("map", fraction))
        progress("saving", 0.0)
        try:
            project = Project.create(path, self.question, real.assign(cluster=real["cluster"].astype(int)),
                                     survey, vectors=found.features, coords=coords,
                                     stopwords=found.feature_space.lemmatizer.domain_stopwords, names=names,
                                     meta=meta, descriptions={c: s.description for c, s in suggested.items()},
                                     suggested=set(suggested) - set(found.names or {}))
            if cut:
                start_from_tree(project)
        except BaseException:                 # no half-made project left to be listed and refused later
            remove(Path(path))
            raise
        return project

    def suggestions(self, config: SurveyConfig | None = None) -> dict:
        """cluster -> its suggested name and description (review.names), from the answers masked as `config` says."""
        real = self.answers[self.answers["is_answer"]]
        mask = masker_for(config) if config is not None else Masker()
        return name_clusters([mask(str(t)) for t in real["answer"]], [int(c) for c in real["cluster"]],
                             self.discovery.feature_space.lemmatizer, mask)

    def clusters(self, masker: Masker | None = None) -> pd.DataFrame:
        """clusters.csv: keywords and typical answers with personal data masked (privacy.py)."""
        mask = masker or Masker()
        table = self.discovery.table.copy()
        table["keywords"] = table["keywords"].map(mask)
        table["examples"] = table["examples"].map(lambda ex: " || ".join(mask(e) for e in ex))
        return table


def embed_texts(texts: list[str], model, cache_dir: Path | None, progress=_silent, lists: bool = True):
    """The answers' vectors (embed.answer_vectors: list answers also by their items) and the embedder;
    `model`: a name or an embedder object (embed.resolve_embedder); `lists=False` gives the plain sentence
    embeddings."""
    embedder = CachedEmbedder(resolve_embedder(model), EmbeddingCache(cache_dir) if cache_dir else None)

    def embed(batch):
        return embedder.embed(batch, progress=lambda done, total: progress("embedding", done / max(total, 1)))
    vectors = answer_vectors(texts, embed) if lists else embed(texts)
    return vectors, embedder


def discover_question(table: pd.DataFrame, question: str, config: SurveyConfig, settings: DiscoverySettings,
                      id_column: str | None = None, cache_dir: Path | None = None,
                      progress=_silent, source: str = "undersøgelsen") -> QuestionResult:
    """Discover one question's themes from the answers with personal data masked (privacy.py, the description's
    names): their vectors, keywords, typical answers and everything saved with the model and the project."""
    answers = answers_of(table, question, id_column or config.id_column, config.text.placeholders, source)
    real = answers[answers["is_answer"]]
    mask = masker_for(config)
    shown = [mask(t) for t in real["answer"]]
    too_few(shown)                         # before anything is embedded or cached
    settings = replace(settings, seed_themes=tuple(mask(s) for s in settings.seed_themes))  # they name themes
    progress("embedding", 0.0)
    vectors, embedder = embed_texts(shown, settings.model, cache_dir, progress)
    seeds = answer_vectors(list(settings.seed_themes), embedder.embed) if settings.seed_themes else None
    if len(shown) >= UNLOAD_FROM:
        e5.unload()                   # its ~400 MB are not needed while clustering a large set
    found = discover(shown, vectors, settings, DanishLemmatizer(config.text.domain_stopwords), seeds,
                     progress=progress)                  # "reducing", "clustering", "keywords"
    progress("keywords", 1.0)
    answers["cluster"] = pd.array([pd.NA] * len(answers), dtype="Int64")
    answers.loc[answers["is_answer"], "cluster"] = found.clusters
    return QuestionResult(question, answers, found, embedder.name, seed_themes=settings.seed_themes)


def answers_to_read(survey: Path, question: str, config: SurveyConfig, id_column: str | None = None,
                    sheet: str | None = None) -> tuple[pd.DataFrame, int]:
    """The real answers to one question with personal data masked (respondent_id, answer), and how many
    non-answers were left out: what `textmine answers` lists when there are too few to cluster."""
    survey = Path(survey)
    table = read_survey(survey, config.sheet_for(survey, sheet))
    answers = answers_of(table, question, id_column or config.id_column, config.text.placeholders, survey.name)
    real = answers[answers["is_answer"]]
    mask = masker_for(config)
    shown = pd.DataFrame({"respondent_id": real["respondent_id"], "answer": real["answer"].map(mask)})
    return shown.reset_index(drop=True), len(answers) - len(real)


def start_from_tree(project: Project) -> None:
    """Cut a fresh project with more than tree.START_FROM themes to tree.START_THEMES (one undo shows the fine
    clusters); the version after it is recorded, so the project still counts as not curated."""
    snap = Snapshot(read(project.path), None)
    k = start_cut(snap)
    if k:
        steps = cut_steps(snap, k)                    # names as written; named from the answers masked
        project.apply_steps("tree_cut", steps + names_after(snapshot(project), steps), themes=k)
    project.set_meta("discovered_version", str(project.version()))


def curated(project: Project) -> bool:
    """Has the analyst changed the project since discovery (beyond its start from the theme tree)?"""
    return project.version() > int(project.meta("discovered_version", "0") or 0)


def keep_curated_project(path: Path) -> tuple[Path, bool] | None:
    """Before a new discovery writes `path`: a project there that has been curated (or cannot be read, e.g.
    left by a killed run) is renamed to NAME-<time>.sqlite, its model/ folder to model-<time>, so no work is
    lost; returns (the new name, whether it was readable). An uncurated one is replaced."""
    from datetime import datetime

    path = Path(path)
    if not path.exists():
        return None
    readable = True
    try:
        if not curated(Project(path)):
            return None
    except TextmineError:
        readable = False
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    kept = Project(path).move_to(path.with_name(f"{path.stem}-{stamp}{path.suffix}"))
    model = path.parent / "model"                  # its saved model goes with it (a follow-up wave needs it)
    if model.is_dir():
        moved = model.rename(path.parent / f"model-{stamp}")
        try:
            kept.set_meta("model_dir", str(moved.resolve()))
        except TextmineError:
            pass
    return kept.path, readable


def run_discover(survey: Path, question: str, out: Path, config: SurveyConfig, settings: DiscoverySettings,
                 id_column: str | None = None, sheet: str | None = None, cache_dir: Path | None = None,
                 progress=_silent) -> QuestionResult:
    """Read the survey, discover clusters and write assignments.csv, clusters.csv, model/ and project.sqlite:
    each is written under a temporary name and all are renamed into place only when every one is written, so
    a run that fails (a full disk) leaves the folder as it was."""
    table = read_survey(survey, config.sheet_for(survey, sheet))
    result = discover_question(table, question, config, settings, id_column, cache_dir, progress,
                               source=Path(survey).name)
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(4)
    staged = {name: out / f".{name}.{token}.tmp" for name in DISCOVER_WRITES}
    try:
        write_csv(result.assignments(), staged["assignments.csv"])            # no formulas
        write_csv(result.clusters(masker_for(config)), staged["clusters.csv"])
        result.save_model(staged["model"], settings)
        result.save_project(staged["project.sqlite"], str(Path(survey).resolve()), out / "model",
                            cut=settings.n_clusters is None, config=config, progress=progress)
        result.kept_project = keep_curated_project(out / "project.sqlite")
        _put_in_place(staged, out)
    except BaseException:
        _discard(staged)
        if made and not any(out.iterdir()):
            out.rmdir()
        raise
    return result


DISCOVER_WRITES = ("assignments.csv", "clusters.csv", "model", "project.sqlite")


def _put_in_place(staged: dict[str, Path], out: Path) -> None:
    """Rename each staged file or folder over its real name in `out` (replacing what an earlier run left)."""
    for name, temporary in staged.items():
        if not temporary.exists():
            continue
        target = out / name
        if temporary.is_dir():
            if target.is_dir():
                shutil.rmtree(target)
            temporary.rename(target)
        elif name == "project.sqlite":
            remove(target)                                 # with the WAL sidecars of the one it replaces
            Project(temporary).move_to(target)
        else:
            os.replace(temporary, target)


def _discard(staged: dict[str, Path]) -> None:
    """Remove what a failed run staged (a project with its WAL sidecars, a half-saved model folder)."""
    for temporary in staged.values():
        if temporary.is_dir():
            shutil.rmtree(temporary, ignore_errors=True)
        else:
            remove(temporary)
