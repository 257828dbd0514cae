"""Benchmark: `notifier segment` vs `bharataddress.parse`, each as a whole process, same input.

    .venv/bin/python bench/segment.py [--n 6000] [--input FILE]

Both run as child processes that read the same file of N addresses (one per line) and write one
JSON line per address, so start-up, imports and model loading are included. Prints wall time,
addresses/s and peak RSS of each (ru_maxrss of the waited child, via os.wait4).
Default input: N synthetic held-out addresses (seed 4), not the public evaluation sets.
Also prints the warm in-process throughput on one core: a child process pinned to one CPU
(``sched_setaffinity``) loads the segmenter, segments the input once to warm up, then is timed
on a second pass.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BHARAT = (
    "import sys, json, bharataddress\n"
    "w = sys.stdout.write\n"
    "for line in open(sys.argv[1], encoding='utf-8', errors='replace'):\n"
    "    d = bharataddress.parse(line.rstrip('\\n')).to_dict()\n"
    "    w(json.dumps(d, ensure_ascii=False) + '\\n')\n"
)


WARM = (
    "import os, sys, time\n"
    "os.environ['OPENBLAS_NUM_THREADS'] = '1'\n"
    "os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})\n"
    "from notifier.address.segmenter import get_segmenter\n"
    "lines = open(sys.argv[1], encoding='utf-8').read().splitlines()\n"
    "seg = get_segmenter()\n"
    "for _ in seg.segment_many(lines, batch_size=128): pass\n"
    "best = 1e9\n"
    "for _ in range(3):\n"
    "    t0 = time.perf_counter()\n"
    "    for _ in seg.segment_many(lines, batch_size=128): pass\n"
    "    best = min(best, time.perf_counter() - t0)\n"
    "print(len(lines) / best)\n"
)


def run(cmd: list[str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in KB, lines of output) for one child process."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {err[-2000:]}")
        out.seek(0)
        lines = sum(1 for _ in out)
    return elapsed, usage.ru_maxrss, lines


def synthetic(n: int, path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from nlp.generate import generate

    with path.open("w", encoding="utf-8") as fh:
        for built in generate(n, seed=4, which="dev"):
            fh.write(built.text.replace("\n", " ") + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=6000)
    ap.add_argument(
        "--input", type=Path, default=None, help="file of addresses (default: synthetic)"
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per tool; the best is reported")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "addresses.txt"
        if args.input:
            lines = args.input.read_text("utf-8", errors="replace").splitlines()
            path.write_text("\n".join(lines[: args.n]) + "\n", "utf-8")
        else:
            synthetic(args.n, path)
        n = sum(1 for _ in path.open(encoding="utf-8"))
        bindir = Path(sys.executable).parent
        notifier = bindir / "notifier"
        ours = (
            [str(notifier), "segment", str(path)]
            if notifier.exists()
            else [sys.executable, "-m", "notifier", "segment", str(path)]
        )
        theirs = [sys.executable, "-c", BHARAT, str(path)]
        results = {}
        for name, cmd in (("notifier segment", ours), ("bharataddress.parse", theirs)):
            runs = [run(cmd) for _ in range(args.repeat)]
            best = min(runs)
            if best[2] != n:
                raise SystemExit(f"{name}: {best[2]} output lines for {n} inputs")
            results[name] = best
        print(f"{n} addresses, whole process each, best of {args.repeat} runs")
        print(f"{'tool':22} {'seconds':>8} {'addr/s':>9} {'peak RSS MB':>12}")
        for name, (sec, rss, _) in results.items():
            print(f"{name:22} {sec:8.2f} {n / sec:9.0f} {rss / 1024:12.1f}")
        ratio = results["bharataddress.parse"][0] / results["notifier segment"][0]
        print(f"speed ratio (ours / bharataddress): {ratio:.2f}x")
        warm = subprocess.run(
            [sys.executable, "-c", WARM, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        print(f"warm in-process, one core: {float(warm.stdout):,.0f} addresses/s")


if __name__ == "__main__":
    main()
