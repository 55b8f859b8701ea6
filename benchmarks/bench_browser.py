"""The benchmark's browser rows: the app in a real Chromium (driven by Playwright) on the demo project and on a
large one, click-to-updated times of select, rename, merge, move and undo, and the seconds until the page
answers. `python -m benchmarks.bench --browser-only` runs only these."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from benchmarks.bench_scale import large_project, measure_scale
from textmine.config import DiscoverySettings, load_config

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

    times: dict[str, list[float]] = {k: [] for k in ("select", "rename", "merge", "move", "undo") + NEW_ACTIONS}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        page = opened(browser, url)

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
            current = name_box.input_value()
            label = next(lab for lab in (page.locator("#theme-list label").nth(1 + (i + k) % 4) for k in range(4))
                         if name_of(lab) != current)     # another theme: a selected one would be "done" at once
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
            new_actions(page, timed, next_version, i)
        browser.close()
    return times


NEW_ACTIONS = ("new theme", "pin quote", "merge ticked", "find similar", "questionnaire answers")


def new_actions(page, timed, next_version, i: int) -> None:
    """Issue 25's actions, timed as the others: a new theme from a picked answer, an answer pinned as a quote,
    two themes ticked in the list and merged in one step (from the confirming click), each undone after; then
    *Find lignende* on the selected theme and the answers about the questionnaire listed (until the caption says so)."""
    def undo():
        done = next_version()
        page.click("#undo")
        page.wait_for_function(done, timeout=60_000)

    page.locator("#answers label").first.click()
    page.locator("#new-name").locator("textarea, input").first.fill(f"Nyt tema {i + 1} (bench)")
    timed("new theme", lambda: page.click("#new-theme"), next_version())
    undo()
    page.locator("#answers label").first.click()
    timed("pin quote", lambda: page.click("#pin-quote"), next_version())
    undo()
    page.locator("#tick-mode input").check()
    ticks = page.locator("#theme-ticks label")
    ticks.first.wait_for(timeout=60_000)
    for k in range(ticks.count()):                      # the selected theme starts ticked: tick up to two
        if page.locator("#theme-ticks input:checked").count() >= 2:
            break
        if not ticks.nth(k).locator("input").is_checked():
            ticks.nth(k).click()
    page.click("#merge-ticked")
    page.locator("#merge-yes").wait_for(timeout=60_000)
    timed("merge ticked", lambda: page.click("#merge-yes"), next_version())
    page.locator("#tick-mode input").uncheck()
    page.locator("#theme-list label").first.wait_for(timeout=60_000)
    undo()
    caption = "document.querySelector('#caption').innerText.includes({!r})"
    timed("find similar", lambda: page.click("#find-similar"), caption.format("ligner"))
    timed("questionnaire answers", lambda: page.click("#find-meta"), caption.format("spørgeskemaet"))


def opened(browser, url: str):
    """A 1440x900 page on the app's *Temaer* tab, once the project is shown and the background imports ended."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url)
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=120_000)
    page.get_by_role("tab", name="Nyt projekt").click()          # wait for the background imports to end
    page.get_by_role("button", name="Find temaer (nyt projekt)").wait_for(timeout=300_000)
    page.get_by_role("tab", name="Temaer").click()
    return page


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


def browser_only(args) -> int:
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


def scale_only(sizes: list[int]) -> int:
    """`--scale N ...` (`make bench-large`: 100,000): per size, discover a new survey of n answers (empty
    embedding cache), then the discovered project in the app as the analyst meets it: the seconds until the page
    answers, its clicks in Chromium (select, rename, merge, move, undo and issue 25's actions; median / max) and
    one export of every format. Saved to bench_large_results.csv."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows.append(measure_scale(Path(tmp), n))
            print(rows[-1], flush=True)
            rows += project_rows(Path(tmp) / f"scale_{n}" / "project.sqlite", f"{n:,} answers, discovered")
    table = pd.DataFrame(rows)
    print()
    print(table.to_string(index=False))
    table.to_csv("bench_large_results.csv", index=False)
    return 0


def project_rows(project: Path, label: str, rounds: int = 3) -> list[dict]:
    """A discovered project opened in the app (its folder served) and clicked in Chromium, then exported."""
    import socket

    from textmine.project.store import Project
    from textmine.report.export import export_project

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc, started = serve(project.parent, port)
    try:
        times = click_timings(f"http://127.0.0.1:{port}/", rounds)
    finally:
        proc.kill()
        proc.wait()
    start = time.perf_counter()
    export_project(Project(project), project.parent / "export")
    rows = [{"measure": f"browser: click to updated page, {label}, ms median / max (in the page)", **summary(times),
             "page_served_s": round(started, 1)},
            {"measure": f"export of every format, {label}", "export_s": round(time.perf_counter() - start, 1)}]
    print(rows, flush=True)
    return rows
