"""Follow-up wave: place new answers in last wave's curated themes, flag what is new, compare waves.

The baseline's curated themes live in the saved model's feature space (centred embeddings + lemma
TF-IDF, features.py) as the baseline answers that belong to each theme: the clusters behind it, minus
answers moved out by hand, plus answers moved in. A new answer's score for a theme is its mean cosine
to the theme's `theme_neighbours` most similar baseline answers; it gets the best-scoring theme.

An answer is flagged new (a candidate for a new theme) when either
- its best score is lower than that of `percentile` % of the baseline answers themselves (each scored
  against the other baseline answers), or
- its neighbourhood belongs to the new wave: among its `neighbours` nearest answers of both waves,
  the follow-up's share is at least `novelty` of the way from what chance gives to all of them.
The second rule finds answers about a topic many respondents raise now and nobody raised before,
which a fixed similarity threshold misses. An answer (nearly) identical to a baseline answer takes that
answer's theme, so an answer the analyst placed by hand stays placed. Defaults measured with `make eval`
(docs/MEASUREMENTS.md).

The new answers are clustered among themselves (topics.discover, i.e. BERTopic) so the analyst can
curate them into new themes beside the old ones. The comparison counts respondents per theme in each
wave: the difference of shares with Newcombe's 95 % interval and a chi-square or Fisher test.
"""

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
from ..fmt import number, p_value
from ..project.codebook import read_codebook
from ..project.curation import NOT_AN_ANSWER, UNPLACED
from ..project.data import answer_base, respondents_per_theme, theme_share
from ..project.store import Project
from ..survey.reading import answers_of, read_survey, respondent_ids
from ..survey.shares import group_difference_test, wilson_interval
from ..text.embed import answer_vectors
from ..text.lemmas import DanishLemmatizer
from ..text.privacy import masker_for

NEW_CLUSTER_PREFIX = "Ny"
CHUNK = 2000                       # rows of a similarity matrix computed at once


def _silent(step: str, fraction: float) -> None:
    pass


@dataclass(frozen=True)
class WaveSettings:
    theme_neighbours: int = 5      # a theme's score: mean cosine to its most similar baseline answers
    percentile: float = 10.0       # new when scoring below this percentile of the baseline's own scores
    neighbours: int = 10           # neighbourhood (both waves) of the novelty rule
    novelty: float = 0.6           # new when the follow-up's excess share of that neighbourhood reaches this
    duplicate: float = 0.95        # an answer this similar to one baseline answer takes that answer's theme


@dataclass
class ThemeIndex:
    """The baseline's curated themes as sets of answer vectors in the saved model's feature space."""

    names: list[str]
    vectors: np.ndarray            # every baseline answer
    labels: np.ndarray             # its theme (index into names), -1 for an answer in no theme
    counts: dict[str, int]         # baseline respondents per theme (primary or second theme)
    n_answers: int                 # the baseline's answers that say something (projectdata.answer_base)
    descriptions: dict[str, str] = field(default_factory=dict)     # the curated description per theme name
    finals: dict[str, bool] = field(default_factory=dict)

    def scores(self, features: np.ndarray, k: int, leave_out_self: bool = False) -> np.ndarray:
        """(answers × themes): mean cosine to the theme's k most similar members. `leave_out_self`:
        `features` are the index's own vectors, each scored without itself."""
        out = np.full((len(features), len(self.names)), -1.0)
        for start in range(0, len(features), CHUNK):
            sims = features[start:start + CHUNK] @ self.vectors.T
            if leave_out_self:
                rows = np.arange(len(sims))
                sims[rows, start + rows] = np.nan
            for j in range(len(self.names)):
                cols = sims[:, self.labels == j]
                if cols.shape[1]:
                    kk = min(k, cols.shape[1])
                    top = -np.partition(-np.nan_to_num(cols, nan=-np.inf), kk - 1, axis=1)[:, :kk]
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        out[start:start + CHUNK, j] = np.nanmean(np.where(np.isfinite(top), top, np.nan), axis=1)
        return np.nan_to_num(out, nan=-1.0)

    def baseline(self, theme_ids: dict[str, int] | None = None) -> dict:
        """What a follow-up project keeps of its baseline (as JSON in its meta)."""
        return {"n": self.n_answers, "themes": [{"name": n, "count": self.counts.get(n, 0),
                                                  "theme_id": (theme_ids or {}).get(n)} for n in self.names]}


def index_from_codebook(model: SavedModel, codebook) -> ThemeIndex:
    """The codebook's themes over the answers saved with the model: each answer in the theme the codebook
    names it under (a version 1 codebook: by its cluster, then the hand placements)."""
    if model.answer_features is None:
        raise ModelError("Modellen er gemt af en ældre textmine uden svarenes vektorer. Kør `textmine discover` "
                         "igen og kuratér med den nye kodebog.")
    if codebook.question != model.question:
        raise ModelError(f"Kodebogen er til spørgsmålet '{codebook.question}', modellen til '{model.question}'.")
    names = [t.name for t in codebook.themes]
    owner = {} if codebook.exact else {c: j for j, t in enumerate(codebook.themes) for c in t.clusters}
    by_hand = {str(r): j for j, t in enumerate(codebook.themes) for r in t.answers}
    respondents = respondent_ids(model.respondent_ids).tolist()
    labels = np.array([by_hand.get(r, owner.get(int(c), -1)) for r, c in zip(respondents, model.answer_clusters)],
                      dtype=int)
    second = {str(r): j for j, t in enumerate(codebook.themes) for r in t.second}
    table = pd.DataFrame({"respondent_id": respondents, "theme_id": pd.array(np.where(labels >= 0, labels, UNPLACED)),
                          "second_theme_id": pd.array([second.get(r) for r in respondents], dtype="Int64")})
    empty = table["respondent_id"].isin(set(respondent_ids(codebook.not_an_answer))).to_numpy()
    labels[empty] = -1                                   # *Ikke et svar*: in no theme and not in the base
    table.loc[empty, "theme_id"] = NOT_AN_ANSWER
    per_theme = respondents_per_theme(table)
    index = _index(names, model.answer_features, labels, answer_base(table))
    index.counts = {names[j]: per_theme.get(j, 0) for j in range(len(names))}
    index.descriptions = {t.name: t.description for t in codebook.themes}
    index.finals = {t.name: t.final for t in codebook.themes}
    return index


def index_from_project(project: Project) -> ThemeIndex:
    """A curated project's themes, exactly as placed (primary theme of each answer); counts as everywhere
    (projectdata.respondents_per_theme: primary or second theme)."""
    data = project.read()
    if data.vectors is None:
        raise ModelError(f"Projektet {project.path.name} har ingen svarvektorer; lav det igen med textmine.")
    state, answers = data.state, data.answers
    order = sorted(state.themes)
    position = {t: j for j, t in enumerate(order)}
    labels = np.array([position.get(t, -1) if pd.notna(t) else -1 for t in answers["theme_id"]], dtype=int)
    index = _index([state.themes[t].name for t in order], data.vectors, labels, answer_base(answers))
    per_theme = respondents_per_theme(answers)
    index.counts = {state.themes[t].name: per_theme.get(t, 0) for t in order}
    index.descriptions = {state.themes[t].name: state.themes[t].description for t in order}
    index.finals = {state.themes[t].name: state.themes[t].final for t in order}
    return index


def _index(names, vectors, labels, n_answers) -> ThemeIndex:
    counts = {names[j]: int((labels == j).sum()) for j in range(len(names))}
    return ThemeIndex(list(names), np.asarray(vectors, dtype=np.float64), labels, counts, n_answers)


def place(index: ThemeIndex, features: np.ndarray, settings: WaveSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each new answer: best theme (index), its score, and whether the answer is new."""
    if not index.names or not (index.labels >= 0).any():
        raise ModelError("Kodebogen har ingen temaer med svar; der er intet at placere de nye svar i.")
    scores = index.scores(features, settings.theme_neighbours)
    best, score = scores.argmax(axis=1), scores.max(axis=1)
    placed = index.labels >= 0
    twin = nearest_placed(index, features)
    same = twin[1] >= settings.duplicate
    best, score = np.where(same, twin[0], best), np.where(same, twin[1], score)
    own = ThemeIndex(index.names, index.vectors[placed], index.labels[placed], index.counts, index.n_answers)
    threshold = np.percentile(own.scores(own.vectors, settings.theme_neighbours, leave_out_self=True).max(axis=1),
                              settings.percentile)
    new = (score < threshold) | (novelty(index.vectors, features, settings.neighbours) >= settings.novelty)
    return best, score, new & ~same


def nearest_placed(index: ThemeIndex, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The theme of each answer's most similar baseline answer in a theme, and that similarity."""
    members, labels = index.vectors[index.labels >= 0], index.labels[index.labels >= 0]
    theme, sim = np.zeros(len(features), dtype=int), np.zeros(len(features))
    for start in range(0, len(features), CHUNK):
        sims = features[start:start + CHUNK] @ members.T
        top = sims.argmax(axis=1)
        theme[start:start + CHUNK], sim[start:start + CHUNK] = labels[top], sims[np.arange(len(sims)), top]
    return theme, sim


def novelty(baseline: np.ndarray, features: np.ndarray, k: int) -> np.ndarray:
    """How much an answer's k nearest neighbours (both waves, itself left out) come from the new wave
    beyond chance: 0 = as chance gives, 1 = all of them."""
    nb, nf = len(baseline), len(features)
    if nf < 2:
        return np.zeros(nf)
    both, k = np.vstack([baseline, features]), min(k, nb + nf - 1)
    share = np.empty(nf)
    for start in range(0, nf, CHUNK):
        sims = features[start:start + CHUNK] @ both.T
        rows = np.arange(len(sims))
        sims[rows, nb + start + rows] = -np.inf
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        share[start:start + CHUNK] = (nearest >= nb).mean(axis=1)
    expected = (nf - 1) / (nb + nf - 1)
    return (share - expected) / max(1 - expected, 1e-9)


@dataclass
class WaveResult:
    question: str
    answers: pd.DataFrame        # respondent_id, answer, is_answer, theme ("" when new), score, new, new_cluster
    new_table: pd.DataFrame      # cluster, size, keywords, examples (the new answers clustered)
    features: np.ndarray         # the real answers in the model's feature space
    index: ThemeIndex
    model_dir: str = ""
    stopwords: tuple[str, ...] = ()  # the baseline's domain stop words (keywords of the new project)

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
        names = [*self.index.names, *(new_cluster_name(self.new_table, c) for c in self.new_table["cluster"])]
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
        names.update({c + n_old: new_cluster_name(self.new_table, c) for c in self.new_table["cluster"]})
        ids = {n: j for j, n in names.items() if j < n_old}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            coords = map_2d(self.features) if len(real) > 2 else None
        meta = {"model_dir": self.model_dir,
                "baseline": json.dumps(self.index.baseline(ids), ensure_ascii=False),
                **(recorded(config) if config is not None else {})}
        descriptions = {j: self.index.descriptions.get(n, "") for j, n in enumerate(self.index.names)}
        finals = {j: self.index.finals.get(n, False) for j, n in enumerate(self.index.names)}
        return Project.create(path, self.question, real.assign(cluster=cluster), survey, vectors=self.features,
                              coords=coords, stopwords=self.stopwords, names=names, meta=meta,
                              descriptions=descriptions, finals=finals)


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
               progress=_silent, source: str = "surveyen", model_dir: str = "") -> WaveResult:
    """Place the new wave's answers to `question` in the baseline's themes, flag and cluster the new ones."""
    answers = answers_of(table, question, id_column or config.id_column, config.text.placeholders, source)
    real = answers[answers["is_answer"]]
    texts = real["answer"].tolist()
    progress("embedding", 0.0)
    embedder = model.embedder(cache_dir)
    vectors = answer_vectors(texts, lambda batch: embedder.embed(
        batch, progress=lambda done, total: progress("embedding", done / max(total, 1))))
    progress("placing", 0.0)
    masker = masker_for(config)            # the model's words were made from masked answers (pipeline.py)
    shown = [masker(t) for t in texts]
    features = model.feature_space.transform(shown, vectors) if texts else np.zeros((0, index.vectors.shape[1]))
    if len(texts):
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
    column = np.full(len(texts), -1)
    column[new_idx] = new_clusters
    answers.loc[mask, "new_cluster"] = np.where(column >= 0, column, pd.NA)
    progress("done", 1.0)
    return WaveResult(question, answers, new_table, features, index, model_dir, tuple(lemmatizer.domain_stopwords))


def run_apply(model_dir: Path, survey: Path, question: str, codebook_path: Path, out: Path, config: SurveyConfig,
              settings: WaveSettings = WaveSettings(), id_column: str | None = None, sheet: str | None = None,
              cache_dir: Path | None = None, progress=_silent) -> WaveResult:
    """`textmine apply`: writes assignments.csv, new_clusters.csv, comparison.csv and project.sqlite."""
    model = load_model(Path(model_dir))
    codebook = read_codebook(Path(codebook_path))
    if question != model.question:
        raise ModelError(f"Modellen er lavet til spørgsmålet '{model.question}', ikke '{question}'.")
    index = index_from_codebook(model, codebook)
    table = read_survey(survey, config.sheet_for(survey, sheet))
    result = apply_wave(model, index, table, question, config, settings, id_column, cache_dir, progress,
                        Path(survey).name, str(Path(model_dir).resolve()))
    out.mkdir(parents=True, exist_ok=True)
    write_csv(result.assignments(), out / "assignments.csv")               # whole or not at all, no formulas
    write_csv(result.new_clusters(), out / "new_clusters.csv")
    write_csv(result.comparison(), out / "comparison.csv")
    result.save_project(out / "project.sqlite", str(Path(survey).resolve()), config)
    return result


def apply_to_project(baseline: Project, survey: Path, table: pd.DataFrame, out: Path, config: SurveyConfig,
                     settings: WaveSettings = WaveSettings(), id_column: str | None = None,
                     cache_dir: Path | None = None, progress=_silent) -> Project:
    """The app's way: a curated project applied to a follow-up survey, as a new project file."""
    model_dir = baseline.meta("model_dir")
    if not model_dir or not Path(model_dir).is_dir():
        raise ModelError("Projektet har ingen gemt model at placere nye svar med. Lav projektet igen "
                         "(Find temaer), så gemmes modellen ved siden af.")
    model = load_model(Path(model_dir))
    result = apply_wave(model, index_from_project(baseline), table, baseline.question(), config, settings,
                        id_column, cache_dir, progress, Path(survey).name, model_dir)
    return result.save_project(out, str(Path(survey).resolve()), config)


# -- comparing waves -----------------------------------------------------------------------------

COMPARISON = ["theme", "n_baseline", "count_baseline", "share_baseline", "n_followup", "count_followup",
              "share_followup", "difference", "ci_low", "ci_high", "test", "p_value", "new"]


def difference_interval(c1: int, n1: int, c2: int, n2: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval (95 %) for p2 - p1, in percentage points."""
    p1, p2 = 100 * c1 / n1, 100 * c2 / n2
    l1, u1 = wilson_interval(c1, n1)
    l2, u2 = wilson_interval(c2, n2)
    d = p2 - p1
    return d - float(np.hypot(p2 - l2, u1 - p1)), d + float(np.hypot(u2 - p2, p1 - l1))


def compare(baseline: dict, counts: dict[str, int], n_followup: int) -> pd.DataFrame:
    """Per theme: respondents and share in each wave, the difference with its interval and a test.
    `baseline`: {"n", "themes": [{"name", "count"}]}; themes only in `counts` are new."""
    n1, rows = int(baseline["n"]), []
    old = {t["name"]: int(t["count"]) for t in baseline["themes"]}
    for name in [*old, *(n for n in counts if n not in old)]:
        c1, c2, is_new = old.get(name, 0), int(counts.get(name, 0)), name not in old
        share1 = theme_share(c1, n1) if n1 else float("nan")                  # no base: no share, not 0
        share2 = theme_share(c2, n_followup) if n_followup else float("nan")
        low = high = p = float("nan")
        test = "ingen test"
        if n1 and n_followup:
            low, high = difference_interval(c1, n1, c2, n_followup)
            test, p = group_difference_test([c1, c2], [n1, n_followup])
        rows.append({"theme": name, "n_baseline": n1, "count_baseline": c1, "share_baseline": share1,
                     "n_followup": n_followup, "count_followup": c2, "share_followup": share2,
                     "difference": share2 - share1, "ci_low": low, "ci_high": high, "test": test,
                     "p_value": p, "new": is_new})
    return pd.DataFrame(rows, columns=COMPARISON)


def project_comparison(project: Project) -> pd.DataFrame | None:
    """The comparison of a follow-up project as it is curated now; None for a project that is no follow-up."""
    data = project.read()
    return comparison_of(data.meta, data.state, data.answers)


def comparison_of(meta: dict, state, answers: pd.DataFrame, mask=None) -> pd.DataFrame | None:
    """project_comparison from data already read. A baseline theme is followed by its theme id (so renaming
    and merging keep it), else by its name; column name_now holds its name in the follow-up. `mask`: what masks
    the baseline's theme names as shown (the snapshot's masker; `state` from a snapshot has its names masked)."""
    raw = (meta or {}).get("baseline")
    if not raw:
        return None
    baseline = json.loads(raw)
    per_theme = respondents_per_theme(answers)
    by_id = {t["theme_id"]: t for t in baseline["themes"] if t.get("theme_id") is not None}
    by_name = {t["name"]: t for t in baseline["themes"]}
    counts, current = {}, {}
    for tid, theme in sorted(state.themes.items()):
        origin = by_id.get(tid) or by_name.get(theme.name)
        name = origin["name"] if origin else theme.name
        counts[name] = counts.get(name, 0) + int(per_theme.get(tid, 0))
        current[name] = theme.name
    table = compare(baseline, counts, answer_base(answers))
    table.insert(1, "name_now", table["theme"].map(lambda n: current.get(n, "")))
    if mask is not None:
        table["theme"] = table["theme"].map(mask)
    return table


WAVE_LABELS = ("Første måling", "Opfølgning")


def display_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison with Danish headers, as the app and the report show it."""
    first, second = WAVE_LABELS
    return pd.DataFrame({
        "Tema": [now or name for name, now in zip(table["theme"], table.get("name_now", table["theme"]))],
        f"{first}: respondenter": table["count_baseline"],
        f"{first} (%)": table["share_baseline"].round(1),
        f"{second}: respondenter": table["count_followup"],
        f"{second} (%)": table["share_followup"].round(1),
        "Forskel (procentpoint)": table["difference"].round(1),
        "95 %-interval": [f"{number(lo, 1)} til {number(hi, 1)}" if pd.notna(lo) else ""
                          for lo, hi in zip(table["ci_low"], table["ci_high"])],
        "p-værdi": ["" if pd.isna(p) else p_value(p) for p in table["p_value"]],
        "Nyt tema": table["new"].map({True: "Ja", False: ""}),
    })
