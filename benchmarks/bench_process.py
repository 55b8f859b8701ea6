"""Each benchmark measurement in a fresh process, as an analyst's command would run: `measure` starts
`python -m benchmarks.bench --child ...` and reads the JSON line it prints; the child reports its peak memory
and CPU time with `peak_mib` and `cpu_s`."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time


def cpu_s() -> float:
    """CPU seconds (user + system) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mib() -> float:
    """Peak resident memory of this process, MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024     # Linux: KiB


def measure(args: list[str], env_cache: str) -> dict:
    """Run `benchmarks.bench` with `args` in a new process on the embedding cache `env_cache`: the child's JSON
    line with the whole process's wall time (`process_s`)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench", *args], capture_output=True, text=True,
                          env={**os.environ, "TEXTMINE_CACHE": env_cache}, check=True)
    wall = time.perf_counter() - start
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "process_s": wall}
