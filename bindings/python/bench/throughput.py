"""Throughput of Router.route_arrow on generated prompt sets, as a markdown table.

    python bench/throughput.py                      # 1M short + 100k long prompts
    python bench/throughput.py --cli ../../target/release/promptyard --jsonl-dir /tmp/py-bench

Prompts are windows of consecutive words from the texts of data/*.jsonl, chosen with a fixed
seed, so every run (and the CLI comparison, which gets the same prompts as JSONL) routes the
same text: "short" = 20 words, "long" = 200 words. Each figure is the best of --repeat timed
calls after one warm-up call; building the pyarrow array is not timed.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa

import promptyard

REPO = Path(__file__).resolve().parents[3]


def word_pool():
    words = []
    for path in sorted((REPO / "data").glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                words.extend(json.loads(line)["text"].split())
    return words


def prompts(words, n, length, seed):
    rng = random.Random(seed)
    top = len(words) - length
    return [" ".join(words[s : s + length]) for s in (rng.randrange(top) for _ in range(n))]


def best_of(repeat, fn):
    """(wall seconds, CPU seconds of this process, all threads) of the fastest call."""
    fn()  # warm-up: page in the model, start rayon's pool
    times = []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - t, time.process_time() - c))
    return min(times)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_cli(cli, texts, path, out):
    with open(path, "w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": i, "text": t}) + "\n")
    t, c = time.perf_counter(), children_cpu()
    subprocess.run([cli, "label", "-i", str(path), "-o", str(out), "--quiet"], check=True)
    return time.perf_counter() - t, children_cpu() - c


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--short", type=int, default=1_000_000, help="number of 20-word prompts")
    ap.add_argument("--long", type=int, default=100_000, help="number of 200-word prompts")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cli", help="also time `promptyard label` on the same prompts as JSONL")
    ap.add_argument("--jsonl-dir", default="/tmp/promptyard-bench", help="where the JSONL goes")
    ap.add_argument("--list", action="store_true", help="also time route_batch (list API)")
    args = ap.parse_args()

    words = word_pool()
    router = promptyard.Router()
    rows = []
    for name, n, length, seed in [("short", args.short, 20, 1), ("long", args.long, 200, 2)]:
        if n == 0:
            continue
        texts = prompts(words, n, length, seed)
        arr = pa.array(texts, pa.string())
        mb = (arr.buffers()[2].size) / 1e6
        secs = best_of(args.repeat, lambda: router.route_arrow(arr))
        out = router.route_arrow(arr)
        assert out.num_rows == n and out.column(9).null_count == n
        rows.append((name, n, length, mb, "route_arrow", secs))
        if args.list:
            secs = best_of(1, lambda: router.route_batch(texts))
            rows.append((name, n, length, mb, "route_batch (list)", secs))
        if args.cli:
            d = Path(args.jsonl_dir)
            d.mkdir(parents=True, exist_ok=True)
            src, dst = d / f"{name}.jsonl", d / f"{name}.labelled.jsonl"
            secs = time_cli(args.cli, texts, src, dst)
            rows.append((name, n, length, mb, "CLI `promptyard label` (JSONL file to file)", secs))
            dst.unlink()

    print(f"promptyard {promptyard.__version__}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, pyarrow {pa.__version__}")
    print()
    print("| prompts | words each | text MB | path | wall s | prompts/s | CPU s | CPU µs/prompt |")
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    for name, n, length, mb, path, (wall, cpu) in rows:
        print(
            f"| {n:,} {name} | {length} | {mb:.0f} | {path} | {wall:.2f} | {n / wall:,.0f} "
            f"| {cpu:.2f} | {cpu / n * 1e6:.2f} |"
        )
    print()
    print(f"load average after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
