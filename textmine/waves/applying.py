"""Apply a saved model to a follow-up wave: place its answers in the baseline's curated themes (waves.placing),
cluster the new ones among themselves (topics.discover, i.e. BERTopic) so the analyst can curate them into new
themes beside the old ones, and save the result as a project of the new wave (and, for `textmine apply`, CSV
files)."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import DiscoverySettings, SurveyConfig, recorded
from ..discovery.clustering import map_2d
from ..discovery.keywords import keywords
from ..discovery.topics import MIN_ANSWERS, SavedModel, discover, load_model
from ..errors import ModelError
from ..files import write_csv
from ..project.codebook import read_codebook
from ..project.curation import UNPLACED
from ..project.data import respondents_per_theme
from ..project.store import Project
from ..review.names import name_clusters
from ..survey.reading import answers_of, read_survey
from ..text.embed import answer_vectors
from ..text.lemmas import DanishLemmatizer
from ..text.privacy import masker_for
from .comparing import compare
from .placing import ThemeIndex, WaveSettings, index_from_codebook, index_from_project, place

NEW_CLUSTER_PREFIX = "Ny"


def _silent(step: str, fraction: float) -> None:
    pass


@dataclass
class WaveResult:
    question: str
    answers: pd.DataFrame        # respondent_id, answer, is_answer, theme ("" when new), score, new, new_cluster
    new_table: pd.DataFrame      # cluster, size, keywords, examples (the new answers clustered)
    features: np.ndarray         # the real answers in the model's feature space
    index: ThemeIndex
    model_dir: str = ""
    stopwords: tuple[str, ...] = ()  # the baseline's domain stop words (keywords of the new project)
    suggestions: dict = field(default_factory=dict)   # new cluster -> its suggested name (review.names.Suggestion)

    def real(self) -> pd.DataFrame:
        return self.answers[self.answers["is_answer"]]

    def assignments(self) -> pd.DataFrame:
        real = self.real()
        return pd.DataFrame({"respondent_id": real["respondent_id"].values, "question": self.question,
                             "theme": real["theme"].values, "score": real["score"].round(4).values})

    def new_clusters(self) -> pd.DataFrame:
        table = self.new_table.copy()
        table["examples"] = table["examples"].map(lambda ex: " || ".join(ex))
        return table

    def counts(self) -> dict[str, int]:
        """Respondents per theme in the new wave (projectdata.respondents_per_theme, as for the baseline)."""
        real = self.real()
        names = [*self.index.names, *(self.new_name(c) for c in self.new_table["cluster"])]
        label = np.where(real["new"], real["new_cluster"].fillna(-1 - len(self.index.names)).astype(int) + len(self.index.names),
                         real["theme"].map({n: j for j, n in enumerate(self.index.names)}).fillna(-1).astype(int))
        table = pd.DataFrame({"respondent_id": real["respondent_id"].values,
                              "theme_id": pd.array(np.where(label >= 0, label, UNPLACED)),
                              "second_theme_id": pd.array([None] * len(real), dtype="Int64")})
        per_theme = respondents_per_theme(table)
        return {name: per_theme.get(j, 0) for j, name in enumerate(names) if j < len(self.index.names) or per_theme.get(j)}

    def comparison(self) -> pd.DataFrame:
        return compare(self.index.baseline(), self.counts(), len(self.real()))

    def save_project(self, path: Path, survey: str = "", config: SurveyConfig | None = None) -> Project:
        """A project of the new wave: the old themes (named as in the baseline) and one theme per new cluster;
        `config`: the survey description it was placed with (recorded, as pipeline's projects)."""
        real = self.real()
        n_old = len(self.index.names)
        cluster = np.where(real["new"], real["new_cluster"].fillna(-1 - n_old).astype(int) + n_old,
                           real["theme"].map({n: j for j, n in enumerate(self.index.names)}).fillna(-1).astype(int))
        names = {j: n for j, n in enumerate(self.index.names)}
        names.update({c + n_old: self.new_name(c) for c in self.new_table["cluster"]})
        ids = {n: j for j, n in names.items() if j < n_old}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            coords = map_2d(self.features) if len(real) > 2 else None
        meta = {"model_dir": self.model_dir,
                "baseline": json.dumps(self.index.baseline(ids), ensure_ascii=False),
                **(recorded(config) if config is not None else {})}
        descriptions = {j: self.index.descriptions.get(n, "") for j, n in enumerate(self.index.names)}
        descriptions.update({c + n_old: s.description for c, s in self.suggestions.items()})
        finals = {j: self.index.finals.get(n, False) for j, n in enumerate(self.index.names)}
        return Project.create(path, self.question, real.assign(cluster=cluster), survey, vectors=self.features,
                              coords=coords, stopwords=self.stopwords, names=names, meta=meta,
                              descriptions=descriptions, finals=finals,
                              suggested={c + n_old for c in self.suggestions})

    def new_name(self, cluster: int) -> str:
        """A new cluster's theme name: "Ny 2: " and its suggested name ("Ny 2: Kunstig intelligens"), else its
        keywords."""
        suggestion = self.suggestions.get(int(cluster))
        if suggestion is not None:
            return f"{NEW_CLUSTER_PREFIX} {int(cluster) + 1}: {suggestion.name}"
        return new_cluster_name(self.new_table, cluster)


def new_cluster_name(table: pd.DataFrame, cluster: int) -> str:
    row = table[table["cluster"] == cluster]
    words = ", ".join(str(row["keywords"].iloc[0]).split(", ")[:3]) if len(row) else ""
    return f"{NEW_CLUSTER_PREFIX} {cluster + 1}: {words}" if words else f"{NEW_CLUSTER_PREFIX} {cluster + 1}"


def cluster_new(texts: list[str], vectors: np.ndarray, lemmatizer: DanishLemmatizer,
                settings: DiscoverySettings) -> tuple[np.ndarray, pd.DataFrame]:
    """The new answers clustered among themselves; fewer than topics.MIN_ANSWERS make one cluster."""
    if not texts:
        return np.zeros(0, dtype=int), pd.DataFrame(columns=["cluster", "size", "keywords", "examples"])
    if len(texts) < MIN_ANSWERS:
        words = keywords(pd.Series(texts), pd.Series([0] * len(texts)), lemmatizer, settings.n_keywords).get(0, "")
        return np.zeros(len(texts), dtype=int), pd.DataFrame(
            [{"cluster": 0, "size": len(texts), "keywords": words, "examples": list(dict.fromkeys(texts))[:settings.n_examples]}])
    found = discover(texts, vectors, settings, lemmatizer)
    return found.clusters, found.table


def apply_wave(model: SavedModel, index: ThemeIndex, table: pd.DataFrame, question: str, config: SurveyConfig,
               settings: WaveSettings = WaveSettings(), id_column: str | None = None, cache_dir: Path | None = None,
               progress=_silent, source: str = "undersøgelsen", model_dir: str = "", embedder=None) -> WaveResult:
    """Place the new wave's answers to `question` in the baseline's themes, flag and cluster the new ones;
    `embedder` (an object or a name) instead of the embedding model the saved model names."""
    answers = answers_of(table, question, id_column or config.id_column, config.text.placeholders, source)
    real = answers[answers["is_answer"]]
    masker = masker_for(config)            # the model was made from masked answers (pipeline.py): so are these
    shown = [masker(t) for t in real["answer"]]
    progress("embedding", 0.0)
    embedder = model.embedder(cache_dir, embedder)
    vectors = answer_vectors(shown, lambda batch: embedder.embed(
        batch, progress=lambda done, total: progress("embedding", done / max(total, 1))))
    progress("placing", 0.0)
    features = model.feature_space.transform(shown, vectors) if shown else np.zeros((0, index.vectors.shape[1]))
    if len(shown):
        best, score, new = place(index, features, settings)
    else:
        best, score, new = np.zeros(0, int), np.zeros(0), np.zeros(0, bool)
    progress("clustering", 0.0)
    discovery = DiscoverySettings(**{k: v for k, v in (model.settings or {}).items()
                                     if k in {"granularity", "random_state", "lexical_weight", "n_keywords", "n_examples", "model"}})
    lemmatizer = model.feature_space.lemmatizer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new_idx = np.flatnonzero(new)
        new_clusters, new_table = cluster_new([shown[i] for i in new_idx], vectors[new_idx], lemmatizer, discovery)
    answers["theme"], answers["score"], answers["new"] = "", np.nan, False
    answers["new_cluster"] = pd.array([pd.NA] * len(answers), dtype="Int64")
    mask = answers["is_answer"].to_numpy()
    answers.loc[mask, "theme"] = np.where(new, "", np.asarray(index.names, dtype=object)[best])
    answers.loc[mask, "score"] = score
    answers.loc[mask, "new"] = new
    column = np.full(len(shown), -1)
    column[new_idx] = new_clusters
    answers.loc[mask, "new_cluster"] = np.where(column >= 0, column, pd.NA)
    progress("done", 1.0)
    suggestions = name_clusters([shown[i] for i in new_idx], list(new_clusters), lemmatizer, masker)
    return WaveResult(question, answers, new_table, features, index, model_dir, tuple(lemmatizer.domain_stopwords),
                      suggestions)


def run_apply(model_dir: Path, survey: Path, question: str, codebook_path: Path, out: Path, config: SurveyConfig,
              settings: WaveSettings = WaveSettings(), id_column: str | None = None, sheet: str | None = None,
              cache_dir: Path | None = None, progress=_silent, embedder=None) -> WaveResult:
    """`textmine apply`: writes assignments.csv, new_clusters.csv, comparison.csv and project.sqlite."""
    model = load_model(Path(model_dir))
    codebook = read_codebook(Path(codebook_path))
    if question != model.question:
        raise ModelError(f"Modellen er lavet til spørgsmålet '{model.question}', ikke '{question}'.")
    index = index_from_codebook(model, codebook)
    table = read_survey(survey, config.sheet_for(survey, sheet))
    result = apply_wave(model, index, table, question, config, settings, id_column, cache_dir, progress,
                        Path(survey).name, str(Path(model_dir).resolve()), embedder)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(result.assignments(), out / "assignments.csv")               # whole or not at all, no formulas
    write_csv(result.new_clusters(), out / "new_clusters.csv")
    write_csv(result.comparison(), out / "comparison.csv")
    result.save_project(out / "project.sqlite", str(Path(survey).resolve()), config)
    return result


def apply_to_project(baseline: Project, survey: Path, table: pd.DataFrame, out: Path, config: SurveyConfig,
                     settings: WaveSettings = WaveSettings(), id_column: str | None = None,
                     cache_dir: Path | None = None, progress=_silent, embedder=None) -> Project:
    """The app's way: a curated project applied to a follow-up survey, as a new project file."""
    model_dir = baseline.meta("model_dir")
    if not model_dir or not Path(model_dir).is_dir():
        raise ModelError("Projektet har ingen gemt model at placere nye svar med. Lav projektet igen "
                         "(Find temaer), så gemmes modellen ved siden af.")
    model = load_model(Path(model_dir))
    result = apply_wave(model, index_from_project(baseline), table, baseline.question(), config, settings,
                        id_column, cache_dir, progress, Path(survey).name, model_dir, embedder)
    return result.save_project(out, str(Path(survey).resolve()), config)
