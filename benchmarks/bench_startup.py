"""The app's start-up: seconds from starting `app_gradio.py` on an empty projects folder until `GET /` first
answers 200 (what `make bench` reports as page_served_s), and the process's CPU seconds then (from /proc, Linux;
independent of what else runs on the machine). Runs are interleaved over the checkouts given, so that a
before/after comparison sees the same machine load.

    python -m benchmarks.bench_startup [--runs 5] [--port 7870] [CHECKOUT ...]     (default: this checkout)
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def start_once(checkout: Path, port: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from the process's start to the first 200 on /; the app is stopped after."""
    with tempfile.TemporaryDirectory() as projects:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "app_gradio.py", "--port", str(port), "--projects-dir", projects],
                                cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while time.perf_counter() - start < 120:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    time.sleep(0.02)
            wall = time.perf_counter() - start
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return wall, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="*", type=Path, default=[HERE])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=7870)
    args = parser.parse_args(argv)
    times: dict[Path, list[tuple[float, float]]] = {c: [] for c in args.checkouts}
    for _ in range(args.runs):
        for checkout in args.checkouts:
            times[checkout].append(start_once(checkout.resolve(), args.port))
            wall, cpu = times[checkout][-1]
            print(f"{checkout}: {wall:.2f} s, CPU {cpu:.2f} s, load {os.getloadavg()[0]:.1f}", flush=True)
    for checkout, rows in times.items():
        walls, cpus = zip(*rows)
        print(f"{checkout}: page answered after {statistics.median(walls):.2f} s [{min(walls):.2f}-{max(walls):.2f}], "
              f"CPU {statistics.median(cpus):.2f} s [{min(cpus):.2f}-{max(cpus):.2f}] (median [min-max], {args.runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
