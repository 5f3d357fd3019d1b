#!/usr/bin/env python3
"""Held-out economics over many fit/evaluation splits, for choosing the per-prompt model's settings.

One split (`economics --seed 0`, what `economics.sh` reports) puts ~774 RouterBench prompts on
each side, and the point where a frontier crosses 95% of the best model's quality moves by 10-20
points of saving from one split to the next. This runs `promptyard economics` for split seeds
0..N-1 per variant and reports, for the RouterBench rows, the per-prompt frontier's measured
quality (fraction of the best single model's) at fixed measured costs (30%..80% of the best
model's), averaged over the splits; the saving where that mean frontier reaches 95% of the best
quality (on a 1% grid of costs); and the saving at 95% on the splits that reach it.

    cargo build --release
    python3 benchmarks/economics_splits.py [--outcomes DIR] [--splits 10] \
        'default=' 'rest 2048+512=--adequacy-budget 2048,512'

Each variant is NAME=EXTRA ARGS for `economics`. Prints a markdown table (measured).
"""
import argparse
import csv
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile

FRACTIONS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
# The finer grid on which the mean frontier's 95% crossing is found.
GRID = tuple(i / 100 for i in range(5, 101))
SOURCE = "routerbench_subset"


def run_split(binary, outcomes, seed, extra, out):
    cmd = [binary, "economics", "--outcomes", outcomes, "--fit-fraction", "0.5",
           "--seed", str(seed), "--quality-target", "0.98", "--out-dir", out, *extra]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"economics_splits: {' '.join(cmd)} failed:\n{r.stderr}")
    md = open(os.path.join(out, "economics.md"), encoding="utf-8").read()
    sec = md[md.index(f"### {SOURCE}"):]
    m = re.search(r"always the best single model \([^)]*\) \| ([0-9.]+) \| [0-9.]+% \| \$([0-9.]+)", sec)
    best_q, best_cost = float(m.group(1)), float(m.group(2)) / 1000
    with open(os.path.join(out, "frontier.csv"), encoding="utf-8") as f:
        pts = sorted((float(r["measured_cost_usd_per_prompt"]), float(r["measured_quality"]))
                     for r in csv.DictReader(f)
                     if r["source"] == SOURCE and r["policy"] == "per-prompt")
    # Quality at a fixed cost: linear between the swept points around it (clamped at the ends).
    at = []
    for frac in FRACTIONS + GRID:
        c = frac * best_cost
        q = pts[0][1] if c < pts[0][0] else pts[-1][1]
        for (c0, q0), (c1, q1) in zip(pts, pts[1:]):
            if c0 <= c <= c1:
                q = q0 + (q1 - q0) * (c - c0) / (c1 - c0) if c1 > c0 else max(q0, q1)
                break
        at.append(q / best_q)
    # Saving where the frontier, in cost order, first reaches 95% of the best quality.
    saved = None
    goal = 0.95 * best_q
    if pts and pts[0][1] >= goal:
        saved = 1 - pts[0][0] / best_cost
    for (c0, q0), (c1, q1) in zip(pts, pts[1:]):
        if saved is None and q0 < goal <= q1:
            saved = 1 - (c0 + (c1 - c0) * (goal - q0) / (q1 - q0)) / best_cost
    return at, saved


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--outcomes", default="../shared/data/outcomes")
    ap.add_argument("--binary", default="target/release/promptyard")
    ap.add_argument("--splits", type=int, default=10)
    ap.add_argument("variants", nargs="+", help="NAME=EXTRA ARGS for economics")
    a = ap.parse_args()
    if not os.path.isdir(a.outcomes):
        sys.exit(f"economics_splits: no outcomes folder at {a.outcomes} (pass --outcomes DIR)")
    head = " | ".join(f"{int(f * 100)}%" for f in FRACTIONS)
    print(f"| variant | quality at {head} of the best model's cost | mean | saving where the mean "
          "frontier reaches 95% | splits reaching 95% | their mean saving there |")
    print("|---|" + "---:|" * (len(FRACTIONS) + 4))
    with tempfile.TemporaryDirectory() as tmp:
        for v in a.variants:
            name, _, extra = v.partition("=")
            rows = [run_split(a.binary, a.outcomes, s, shlex.split(extra),
                              os.path.join(tmp, f"{len(name)}-{s}")) for s in range(a.splits)]
            means = [statistics.mean(r[0][i] for r in rows) for i in range(len(FRACTIONS))]
            grid = [statistics.mean(r[0][len(FRACTIONS) + i] for r in rows) for i in range(len(GRID))]
            cross = next((f for f, q in zip(GRID, grid) if q >= 0.95), None)
            mean_cross = f"{1 - cross:.0%}" if cross is not None else "—"
            saved = [r[1] for r in rows if r[1] is not None]
            cells = " | ".join(f"{m:.3f}" for m in means)
            mean_saved = f"{statistics.mean(saved):.1%}" if saved else "—"
            print(f"| {name} | {cells} | {statistics.mean(means):.3f} | {mean_cross} | "
                  f"{len(saved)} of {a.splits} | {mean_saved} |", flush=True)


if __name__ == "__main__":
    main()
