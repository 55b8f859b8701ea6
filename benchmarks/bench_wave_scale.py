"""The follow-up wave's placing at scale, on synthetic unit vectors (no embedding): wall seconds and peak memory of
`waves.placing.place` for a baseline of N answers and a new wave of M.

`python -m benchmarks.bench_wave_scale [--baseline 100000] [--new 20000]` (docs/MEASUREMENTS.md, session 11).
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from textmine.text.vectors import unit_rows
from textmine.waves.placing import ThemeIndex, WaveSettings, place


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=20_000)
    parser.add_argument("--dims", type=int, default=484, help="the saved feature space's width")
    parser.add_argument("--themes", type=int, default=30)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    labels = rng.integers(0, args.themes, args.baseline)
    index = ThemeIndex([f"T{i}" for i in range(args.themes)], unit_rows(rng.standard_normal((args.baseline, args.dims))), labels, {},
                       args.baseline)
    features = unit_rows(rng.standard_normal((args.new, args.dims)))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    place(index, features, WaveSettings())
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"place: {args.baseline} baseline x {args.new} new answers: {wall:.1f} s, peak {peak:.0f} MB "
          f"({before:.0f} MB before: the vectors themselves)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
