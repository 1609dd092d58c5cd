#!/usr/bin/env python3
"""Start-up time of the CLI: the median wall time of ``studyhub --help`` over N runs, in
Chinese (the default) and in English (``--lang en``).

Target: at most 80 ms on the 2-core reference machine (Python itself starts in ~10 ms).
Prints the figures and the target beside them; exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

TARGET_MS = 80.0


def measure(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    script = shutil.which("studyhub")
    studyhub = [script] if script else [sys.executable, "-m", "studyhub"]
    measure([*studyhub, "--help"], 2)  # warm the file cache
    python_ms = statistics.median(measure([sys.executable, "-c", "pass"], args.runs))
    print(f"python -c pass              median {python_ms:6.1f} ms   (reference)")
    worst = 0.0
    for name, extra in (("zh", []), ("en", ["--lang", "en"])):
        help_times = measure([*studyhub, *extra, "--help"], args.runs)
        median = statistics.median(help_times)
        worst = max(worst, median)
        print(
            f"studyhub --help ({name})     median {median:6.1f} ms   min {min(help_times):.1f}  "
            f"max {max(help_times):.1f}  over {args.runs} runs   target <= {TARGET_MS:.0f} ms   "
            f"ratio {median / TARGET_MS:.2f}"
        )
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
