"""promptyard and fastText side by side on the realistic bench set, one core, same run.

Usage: bash benches/compare/realistic.sh   (makes the fastText virtualenv if it is missing)

Trains fastText on data/train.jsonl with the settings benches/compare/run.sh chose on the
validation split (benchmarks/REPORT.md), times `model.predict` on every prompt of
benches/data/realistic.jsonl (per call: median and p99, 200 calls per prompt after a warm-up,
the Python call included, as a Python service would pay it), then runs
`cargo bench --bench realistic` in report-only mode pinned to the same core and prints both.
Measured figures; nothing is modelled.
"""
import json, os, re, subprocess, sys, tempfile, time

import fasttext

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORE = int(os.environ.get("CORE", "1"))
ROUNDS = 200
PARAMS = {"lr": 0.5, "epoch": 25, "wordNgrams": 2, "minn": 3, "maxn": 5}


def ft_line(text):
    return " ".join(text.lower().split())


def main():
    os.sched_setaffinity(0, {CORE})
    train = [json.loads(l) for l in open(os.path.join(ROOT, "data/train.jsonl"), encoding="utf-8")]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for r in train:
            f.write(f"__label__{r['label']} {ft_line(r['text'])}\n")
    model = fasttext.train_supervised(input=f.name, dim=50, bucket=2_000_000, thread=1, seed=1,
                                      verbose=0, **PARAMS)
    os.unlink(f.name)
    recs = [json.loads(l) for l in open(os.path.join(ROOT, "benches/data/realistic.jsonl"), encoding="utf-8")]
    ft = {}
    for size in ("20w", "200w", "1000w"):
        lines = [ft_line(r["text"]) for r in recs if r["size"] == size]
        for l in lines:
            model.predict(l)
        ns = []
        for _ in range(ROUNDS):
            for l in lines:
                t = time.perf_counter_ns()
                model.predict(l)
                ns.append(time.perf_counter_ns() - t)
        ns.sort()
        ft[size] = (ns[len(ns) // 2], ns[round((len(ns) - 1) * 0.99)])
    env = dict(os.environ, REALISTIC_REPORT_ONLY="1")
    out = subprocess.run(["taskset", "-c", str(CORE), "cargo", "bench", "-q", "--bench", "realistic"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True).stderr
    ours = {}
    for line in out.splitlines():
        # The per-call table's rows (six integers); the jitter table's rows ("1.10x") are not.
        m = re.match(r"(20w|200w|1000w)\s+([\d\s]+)$", line)
        if m:
            ours[m.group(1)] = [float(x) for x in m.group(2).split()]
    print(f"one core (core {CORE}), per call, ns; measured {time.strftime('%Y-%m-%d')}")
    print("| size | route p50 | route p99 | route_into p50 | predict p50 | fastText predict p50 | fastText p99 | route / fastText |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for size in ("20w", "200w", "1000w"):
        r50, r99, i50, _i99, p50, _p99 = ours[size]
        f50, f99 = ft[size]
        print(f"| {size} | {r50:,.0f} | {r99:,.0f} | {i50:,.0f} | {p50:,.0f} | {f50:,.0f} | {f99:,.0f} | {r50 / f50:.3f}x |")


if __name__ == "__main__":
    sys.exit(main())
