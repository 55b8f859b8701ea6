"""Discovery as plain functions, on a small hand-made question (fake embedder, real BERTopic)."""

import numpy as np
import pandas as pd
import pytest

from textmine.config import DiscoverySettings
from textmine.discovery.clustering import n_clusters
from textmine.discovery.topics import discover, load_model, save_model
from textmine.errors import TooFewAnswersError
from textmine.text.lemmas import DanishLemmatizer

THEMES = {
    "virksomhed": ["Rekruttering til virksomhederne og arbejdskraft", "Virksomhederne mangler arbejdskraft",
                   "Hjælpe virksomheder med rekruttering", "Samarbejde med virksomhederne om rekruttering"],
    "relation": ["Tillid og dialog med borgeren", "En god relation og tillid til borgeren",
                 "Dialog og tillid i samtalen", "Relationen og tilliden til borgeren er vigtigst"],
    "digital": ["Digitale værktøjer og kunstig intelligens", "Brug af digitale løsninger og AI",
                "Kunstig intelligens i sagsbehandlingen", "Digitale værktøjer til dokumentation"],
}
TEXTS = [f"{t} ({i})" for i in range(3) for answers in THEMES.values() for t in answers]
THEME_OF = [theme for _ in range(3) for theme, answers in THEMES.items() for _ in answers]


@pytest.fixture(scope="module")
def found():
    from tests.conftest import FakeEmbedder

    return discover(TEXTS, FakeEmbedder().embed(TEXTS), DiscoverySettings(n_clusters=3), DanishLemmatizer())


def test_every_answer_in_one_cluster_sizes_add_up(found):
    assert len(found.clusters) == len(TEXTS) and (found.clusters >= 0).all()
    assert found.table["size"].sum() == len(TEXTS)
    assert found.table["cluster"].tolist() == [0, 1, 2]
    assert found.table["size"].is_monotonic_decreasing          # BERTopic numbers clusters by size


def test_clusters_follow_the_themes(found):
    crosstab = pd.crosstab(found.clusters, THEME_OF)
    assert (crosstab.max(axis=1) == crosstab.sum(axis=1)).all()  # each cluster holds one theme


def test_keywords_are_danish_lemmas_and_examples_are_typical(found):
    keywords = " ".join(found.table["keywords"])
    assert "virksomhed" in keywords and "tillid" in keywords and "digital" in keywords
    assert "og" not in keywords.split(", ")                       # stop word
    for _, row in found.table.iterrows():
        members = {t for t, c in zip(TEXTS, found.clusters) if c == row["cluster"]}
        assert 3 <= len(row["examples"]) <= 5 and set(row["examples"]) <= members


def test_same_input_same_clusters(found):
    from tests.conftest import FakeEmbedder

    again = discover(TEXTS, FakeEmbedder().embed(TEXTS), DiscoverySettings(n_clusters=3), DanishLemmatizer())
    np.testing.assert_array_equal(found.clusters, again.clusters)


def test_saved_model_places_answers_in_their_own_cluster(found, tmp_path):
    from tests.conftest import FakeEmbedder

    save_model(found, tmp_path / "model", DiscoverySettings(n_clusters=3), "fake-bow", "q")
    model = load_model(tmp_path / "model")
    assert model.question == "q" and model.version_warnings == []
    assert not (tmp_path / "model" / "bertopic").exists()       # nothing reads a BERTopic save: none is written
    clusters, scores = model.assign(TEXTS, FakeEmbedder().embed(TEXTS))
    assert (clusters == found.clusters).mean() >= 0.9
    assert ((scores > 0) & (scores <= 1.0001)).all()


def test_too_few_answers_is_refused():
    with pytest.raises(TooFewAnswersError, match="kun 3 rigtige svar"):
        discover(TEXTS[:3], np.eye(3, 8, dtype=np.float32), DiscoverySettings(), DanishLemmatizer())


@pytest.mark.parametrize("n,granularity,k", [(300, 1.0, 18), (250, 1.0, 16), (2000, 1.0, 45), (300, 0.5, 9), (12, 1.0, 4), (3, 1.0, 2)])
def test_default_number_of_clusters(n, granularity, k):
    assert n_clusters(n, granularity) == k


def test_seed_themes_steer_close_answers_and_cluster_the_rest():
    from tests.conftest import FakeEmbedder

    embedder = FakeEmbedder()
    seeds = ("Tillid og dialog med borgeren", "Digitale værktøjer og kunstig intelligens")
    settings = DiscoverySettings(n_clusters=2, seed_themes=seeds, seed_threshold=0.5)
    found = discover(TEXTS, embedder.embed(TEXTS), settings, DanishLemmatizer(), embedder.embed(list(seeds)))
    assert found.names == {0: seeds[0], 1: seeds[1]}
    for text, cluster in zip(TEXTS, found.clusters):
        if text.startswith(seeds[0]):
            assert cluster == 0                     # the seed's own wording is steered to it
        if "rekruttering" in text.lower():
            assert cluster >= 2                     # the virksomhed answers are clustered as usual
    assert found.table["cluster"].tolist()[:2] == [0, 1] and found.table["size"].sum() == len(TEXTS)
    assert "tillid" in found.table.set_index("cluster").loc[0, "keywords"]


def test_seeds_that_take_nearly_every_answer_leave_the_few_others_as_one_theme():
    """Headings that cover almost everything: the few answers left are too few to cluster (UMAP failed on
    fewer than 12 with a TypeError); they make one theme beside the seeds."""
    from tests.conftest import FakeEmbedder
    from textmine.discovery.topics import steer

    embedder = FakeEmbedder()
    seeds = tuple(answers[0] for answers in THEMES.values())
    vectors, seed_vectors = embedder.embed(TEXTS), embedder.embed(list(seeds))
    threshold = next(t for t in np.linspace(1, -1, 81) if 0 < (steer(vectors, seed_vectors, t) == -1).sum() < 12)
    found = discover(TEXTS, vectors, DiscoverySettings(seed_themes=seeds, seed_threshold=threshold),
                     DanishLemmatizer(), seed_vectors)
    left = found.clusters >= len(seeds)
    assert left.sum() == (steer(vectors, seed_vectors, threshold) == -1).sum()
    assert set(found.clusters[left]) == {len(seeds)} and found.table["size"].sum() == len(TEXTS)


def test_a_large_set_is_fitted_on_a_sample_and_every_answer_still_gets_its_theme(monkeypatch):
    """fit_sample below the number of answers: UMAP and KMeans see only the sample, the rest are placed."""
    from tests.conftest import FakeEmbedder
    from textmine.discovery import clustering

    fitted = []
    real_fit = clustering.SampledUMAP.fit

    def spy(self, X, y=None):
        out = real_fit(self, X, y)
        fitted.append((len(X), len(self.rows_)))
        return out
    monkeypatch.setattr(clustering.SampledUMAP, "fit", spy)
    texts = TEXTS * 4
    texts = [f"{t} [{i}]" for i, t in enumerate(texts)]
    themes = THEME_OF * 4
    found = discover(texts, FakeEmbedder().embed(texts), DiscoverySettings(n_clusters=3, fit_sample=40),
                     DanishLemmatizer())
    assert fitted == [(len(texts), 40)]                        # fitted on the sample, applied to all 144
    assert len(found.clusters) == len(texts) and (found.clusters >= 0).all()
    crosstab = pd.crosstab(found.clusters, themes)
    assert (crosstab.max(axis=1) == crosstab.sum(axis=1)).all()   # placed answers follow the themes too
    again = discover(texts, FakeEmbedder().embed(texts), DiscoverySettings(n_clusters=3, fit_sample=40),
                     DanishLemmatizer())
    np.testing.assert_array_equal(found.clusters, again.clusters)


def test_sampled_kmeans_labels_every_row_by_its_nearest_centre():
    from textmine.discovery.clustering import SampledKMeans

    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(c, 0.1, size=(50, 2)) for c in (0, 5, 10)])
    model = SampledKMeans(3, 30, random_state=0).fit(X)
    assert len(model.labels_) == 150
    assert len(set(model.labels_[:50])) == len(set(model.labels_[50:100])) == len(set(model.labels_[100:])) == 1
    assert len(set(model.labels_)) == 3
    np.testing.assert_array_equal(model.labels_, model.predict(X))


def test_an_answer_of_any_length_gives_keywords_and_no_spacy_error():
    """RELIABILITY 2026-12-06 item 6: an answer over 1,000,000 characters, or a cluster whose answers together
    exceed it, crashed discovery with spaCy's [E088]. The keyword step reads a capped part of each answer,
    and spaCy never gets one text over its max_length."""
    from tests.conftest import FakeEmbedder
    from textmine.text.lemmas import KEYWORD_CHARS

    huge = "Rekruttering til virksomhederne og arbejdskraft " * 25_000            # 1.2 million characters
    long = "Tillid og dialog med borgeren i samtalen " * 480                       # 19,680: read whole, and
    texts = [huge, *TEXTS, *[f"{long} ({i})" for i in range(60)]]               # 60 of them over 1 million
    assert len(huge) >= 1_200_000 and len(long) < KEYWORD_CHARS < len(huge) and 60 * len(long) > 1_000_000
    found = discover(texts, FakeEmbedder().embed(texts), DiscoverySettings(n_clusters=3), DanishLemmatizer())
    assert found.table["size"].sum() == len(texts)
    keywords = " ".join(found.table["keywords"])
    assert "virksomhed" in keywords and "tillid" in keywords
    lemmatizer = DanishLemmatizer()
    assert lemmatizer.tokens(huge * 2)[-3:] == ["virksomhederne", "og", "arbejdskraft"]   # all of a long text
    assert len(lemmatizer.spans(huge)) == 5 * 25_000


def test_the_keywords_of_an_answer_are_read_from_its_first_part_only():
    from textmine.discovery.keywords import keywords
    from textmine.text.lemmas import KEYWORD_CHARS

    padded = "Tillid og dialog med borgeren " * (KEYWORD_CHARS // 30 + 1) + "rekruttering virksomhed"
    words = keywords(pd.Series([padded, "Tillid til borgeren"]), pd.Series([0, 0]), DanishLemmatizer())
    assert "tillid" in words[0] and "rekruttering" not in words[0] and "virksomhed" not in words[0]
