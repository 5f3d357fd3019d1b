"""promptyard vs fastText, side by side, on the same data and the same machine.

Run through `benches/compare/run.sh` (it prepares the virtualenv and the release build).
fastText hyper-parameters are chosen on data/valid only; test and the leave-one-source-out
folds are touched once per model. Output: benchmarks/REPORT.md, report.json, compare.svg.
"""

import argparse
import datetime
import gzip
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time

import fasttext

LABELS = ["planning", "reasoning", "code_completion"]


def read_split(root, name):
    for fname in (f"{name}.jsonl", f"{name}.jsonl.gz"):
        path = os.path.join(root, "data", fname)
        if os.path.exists(path):
            opener = gzip.open if fname.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as f:
                return [json.loads(line) for line in f if line.strip()]
    raise SystemExit(f"data/{name}.jsonl not found under {root}")


def ft_line(text):
    # fastText reads one example per line and splits on whitespace.
    return " ".join(text.lower().split())


def write_ft_file(records, path):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(f"__label__{r['label']} {ft_line(r['text'])}\n")


def ft_predict(model, texts):
    labels, _ = model.predict([ft_line(t) for t in texts], k=1)
    return [l[0].replace("__label__", "") for l in labels]


def metrics(gold, pred):
    n = len(gold)
    acc = sum(g == p for g, p in zip(gold, pred)) / max(n, 1)
    f1s = []
    for lab in LABELS:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    present = [f for lab, f in zip(LABELS, f1s) if lab in gold]
    return {"accuracy": acc, "macro_f1": sum(present) / max(len(present), 1), "n": n}


def tune_fasttext(train_path, valid, quick):
    grid = []
    for lr in ([0.5] if quick else [0.1, 0.5, 1.0]):
        for epoch in ([10] if quick else [5, 15, 25]):
            for ngrams in [1, 2]:
                for minn, maxn in [(0, 0), (3, 5)]:
                    grid.append(dict(lr=lr, epoch=epoch, wordNgrams=ngrams, minn=minn, maxn=maxn))
    best = None
    gold = [r["label"] for r in valid]
    for params in grid:
        model = fasttext.train_supervised(
            input=train_path, dim=50, bucket=2_000_000, thread=2, seed=1, verbose=0, **params
        )
        score = metrics(gold, ft_predict(model, [r["text"] for r in valid]))["macro_f1"]
        if best is None or score > best[0]:
            best = (score, params)
    return best[1], best[0], len(grid)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def promptyard_eval(bin_path, data_file, model_dir=None):
    cmd = [bin_path, "eval", "--data", data_file, "--json"]
    if model_dir:
        cmd += ["--model", model_dir]
    out = json.loads(sh(cmd).stdout)
    return {"accuracy": out["accuracy"], "macro_f1": out["macro_f1"]}


def write_jsonl(records, path):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def pick_prompts(records):
    """One English and one code prompt near 20, 200 and 1,000 words, chosen deterministically."""
    out = []
    for kind, want_label in (("english", ("planning", "reasoning")), ("code", ("code_completion",))):
        pool = [r for r in records if r["label"] in want_label]
        for words in (20, 200, 1000):
            best = min(pool, key=lambda r: (abs(len(r["text"].split()) - words), r["id"]))
            text = best["text"]
            # Pad short-of-target prompts by repeating their own text, so the size is what we say.
            while len(text.split()) < words * 0.8:
                text = text + "\n" + best["text"]
            out.append({"name": f"{kind}-{words}w", "text": text})
    return out


def time_fasttext_single(model, prompts, repeats):
    rows = []
    for p in prompts:
        line = ft_line(p["text"])
        for _ in range(repeats // 10):
            model.predict(line)
        ns = []
        for _ in range(repeats):
            t = time.perf_counter_ns()
            model.predict(line)
            ns.append(time.perf_counter_ns() - t)
        ns.sort()
        rows.append({"name": p["name"], "words": len(p["text"].split()),
                     "p50_ns": ns[len(ns) // 2], "p99_ns": ns[int((len(ns) - 1) * 0.99)]})
    return rows


def svg_chart(report, path):
    """A dependency-free grouped bar chart: accuracy, LOSO mean, relative speed."""
    groups = [
        ("test macro-F1", report["test"]["promptyard"]["macro_f1"], report["test"]["fasttext"]["macro_f1"]),
        ("LOSO mean acc", report["loso"]["promptyard_mean"], report["loso"]["fasttext_mean"]),
    ]
    if report.get("gateway_dev"):
        groups.append(("gateway dev acc", report["gateway_dev"]["promptyard"]["accuracy"],
                       report["gateway_dev"]["fasttext"]["accuracy"]))
    w, h, pad = 640, 320, 40
    bar = 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
             f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<text x="{pad}" y="20" font-size="14">promptyard vs fastText ({report["date"]}, {report["machine"]})</text>']
    for i, (name, a, b) in enumerate(groups):
        x0 = pad + i * 200
        for j, (v, color, who) in enumerate(((a, "#2b6cb0", "promptyard"), (b, "#dd6b20", "fastText"))):
            bh = (h - 2 * pad - 20) * v
            x = x0 + j * (bar + 10)
            y = h - pad - bh
            parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{bh:.1f}" fill="{color}"/>')
            parts.append(f'<text x="{x + 4}" y="{y - 4:.1f}">{v:.3f}</text>')
            parts.append(f'<text x="{x + 2}" y="{h - pad + 14}" font-size="10">{who}</text>')
        parts.append(f'<text x="{x0}" y="{h - 8}">{name}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--quick", action="store_true", help="small grid, few LOSO folds: a smoke run")
    ap.add_argument("--batch-records", type=int, default=200_000)
    args = ap.parse_args()
    root = args.root
    binp = os.path.join(root, "target", "release", "promptyard")
    latency_bin = os.path.join(root, "target", "release", "examples", "latency")
    out_dir = os.path.join(root, "benchmarks")
    tmp = tempfile.mkdtemp(prefix="sy-compare-")

    train, valid, test = (read_split(root, n) for n in ("train", "valid", "test"))
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, no GPU",
        "counts": {"train": len(train), "valid": len(valid), "test": len(test)},
    }

    # --- fastText: tune on valid, train on train, time it ---
    train_ft = os.path.join(tmp, "train.ft")
    write_ft_file(train, train_ft)
    params, valid_f1, grid_size = tune_fasttext(train_ft, valid, args.quick)
    t = time.perf_counter()
    ft = fasttext.train_supervised(input=train_ft, dim=50, bucket=2_000_000, thread=2, seed=1, verbose=0, **params)
    ft_train_s = time.perf_counter() - t
    ft_path = os.path.join(tmp, "fasttext.bin")
    ft.save_model(ft_path)
    report["fasttext_params"] = dict(params, dim=50, bucket=2_000_000, valid_macro_f1=valid_f1, grid=grid_size)

    # --- promptyard: retrain the default recipe on the same data, time it ---
    sy_model = os.path.join(tmp, "sy-model")
    t = time.perf_counter()
    sh([binp, "train", "--data", os.path.join(root, "data"), "--out", sy_model])
    sy_train_s = time.perf_counter() - t
    report["train_seconds"] = {"promptyard": sy_train_s, "fasttext": ft_train_s}
    report["model_bytes"] = {
        "promptyard": sum(os.path.getsize(os.path.join(sy_model, f)) for f in os.listdir(sy_model)),
        "fasttext": os.path.getsize(ft_path),
    }

    # --- accuracy on test and on the hand-written gateway set ---
    test_path = os.path.join(tmp, "test.jsonl")
    write_jsonl(test, test_path)
    report["test"] = {
        "promptyard": promptyard_eval(binp, test_path, sy_model),
        "fasttext": metrics([r["label"] for r in test], ft_predict(ft, [r["text"] for r in test])),
    }
    gw = os.path.join(root, "data", "gateway_dev.jsonl")
    if os.path.exists(gw):
        with open(gw, encoding="utf-8") as f:
            gw_recs = [json.loads(l) for l in f if l.strip()]
        report["gateway_dev"] = {
            "promptyard": promptyard_eval(binp, gw, sy_model),
            "fasttext": metrics([r["label"] for r in gw_recs], ft_predict(ft, [r["text"] for r in gw_recs])),
        }

    # --- leave-one-source-out: train without S, evaluate on every record of S ---
    everything = train + valid + test
    sources = sorted({r["source"] for r in everything})
    if args.quick:
        sources = sources[:3]
    folds = []
    for src in sources:
        held = [r for r in everything if r["source"] == src]
        fold_dir = os.path.join(tmp, f"loso-{src}")
        os.makedirs(fold_dir, exist_ok=True)
        write_jsonl([r for r in train if r["source"] != src], os.path.join(fold_dir, "train.jsonl"))
        write_jsonl([r for r in valid if r["source"] != src], os.path.join(fold_dir, "valid.jsonl"))
        write_jsonl([r for r in test if r["source"] != src], os.path.join(fold_dir, "test.jsonl"))
        held_path = os.path.join(tmp, f"held-{src}.jsonl")
        write_jsonl(held, held_path)
        fold_ft = os.path.join(fold_dir, "train.ft")
        write_ft_file([r for r in train if r["source"] != src], fold_ft)
        m = fasttext.train_supervised(input=fold_ft, dim=50, bucket=2_000_000, thread=2, seed=1, verbose=0, **params)
        ft_m = metrics([r["label"] for r in held], ft_predict(m, [r["text"] for r in held]))
        sh([binp, "train", "--data", fold_dir, "--out", os.path.join(fold_dir, "model")])
        sy_m = promptyard_eval(binp, held_path, os.path.join(fold_dir, "model"))
        folds.append({"source": src, "n": len(held), "promptyard": sy_m["accuracy"], "fasttext": ft_m["accuracy"]})
        print(f"LOSO {src}: promptyard {sy_m['accuracy']:.3f} fastText {ft_m['accuracy']:.3f}", file=sys.stderr)
    report["loso"] = {
        "folds": folds,
        "promptyard_mean": statistics.mean(f["promptyard"] for f in folds),
        "fasttext_mean": statistics.mean(f["fasttext"] for f in folds),
    }

    # --- single-prompt latency ---
    prompts = pick_prompts(test)
    prompts_path = os.path.join(tmp, "prompts.jsonl")
    write_jsonl(prompts, prompts_path)
    repeats = 2000 if args.quick else 20000
    ft_lat = {r["name"]: r for r in time_fasttext_single(ft, prompts, repeats)}
    sy_lat = {}
    out = sh(["taskset", "-c", "0", latency_bin, prompts_path, str(repeats)]).stdout
    for line in out.splitlines():
        row = json.loads(line)
        sy_lat[row["name"]] = row
    report["latency"] = [
        {"name": p["name"], "words": sy_lat[p["name"]]["words"],
         "promptyard_classify_p50_ns": sy_lat[p["name"]]["classify_p50_ns"],
         "promptyard_classify_p99_ns": sy_lat[p["name"]]["classify_p99_ns"],
         "promptyard_route_p50_ns": sy_lat[p["name"]]["route_p50_ns"],
         "promptyard_route_p99_ns": sy_lat[p["name"]]["route_p99_ns"],
         "fasttext_python_p50_ns": ft_lat[p["name"]]["p50_ns"],
         "fasttext_python_p99_ns": ft_lat[p["name"]]["p99_ns"]}
        for p in prompts
    ]

    # --- batch throughput over the same file of prompts ---
    rng = random.Random(7)
    batch = [{"text": rng.choice(test)["text"]} for _ in range(args.batch_records)]
    batch_path = os.path.join(tmp, "batch.jsonl")
    write_jsonl(batch, batch_path)
    t = time.perf_counter()
    sh([binp, "label", "--input", batch_path, "--output", os.path.join(tmp, "labelled.jsonl"), "--quiet"])
    sy_batch_s = time.perf_counter() - t
    texts = [b["text"] for b in batch]
    t = time.perf_counter()
    ft_predict(ft, texts)
    ft_predict_s = time.perf_counter() - t
    t = time.perf_counter()
    with open(batch_path, encoding="utf-8") as f, open(os.path.join(tmp, "ft-out.jsonl"), "w") as w:
        recs = [json.loads(l) for l in f]
        labels = ft_predict(ft, [r["text"] for r in recs])
        for r, lab in zip(recs, labels):
            r["label"] = lab
            w.write(json.dumps(r) + "\n")
    ft_e2e_s = time.perf_counter() - t
    report["batch"] = {
        "records": len(batch),
        "promptyard_label_end_to_end_per_s": len(batch) / sy_batch_s,
        "fasttext_predict_only_per_s": len(batch) / ft_predict_s,
        "fasttext_end_to_end_per_s": len(batch) / ft_e2e_s,
    }

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    svg_chart(report, os.path.join(out_dir, "compare.svg"))
    # Sections below the marker come from other runs (realistic.sh, the Python bench): keep them.
    path, marker = os.path.join(out_dir, "REPORT.md"), "<!-- other runs: kept by compare.py -->"
    kept = ""
    if os.path.exists(path):
        old = open(path, encoding="utf-8").read()
        kept = old[old.index(marker):] if marker in old else ""
    with open(path, "w", encoding="utf-8") as f:
        f.write(render_markdown(report) + ("\n" + kept if kept else ""))
    print(render_markdown(report))


def render_markdown(r):
    def pct(x):
        return f"{x:.3f}"

    lines = [
        "# promptyard vs fastText",
        "",
        f"Run on {r['date']}, {r['machine']}, with `bash benches/compare/run.sh`.",
        f"Data: train {r['counts']['train']}, valid {r['counts']['valid']}, test {r['counts']['test']} records.",
        f"fastText settings chosen on data/valid (grid of {r['fasttext_params']['grid']}): "
        f"`{json.dumps({k: v for k, v in r['fasttext_params'].items() if k not in ('grid', 'valid_macro_f1')})}`.",
        "",
        "![chart](compare.svg)",
        "",
        "## Accuracy",
        "",
        "| set | promptyard acc | promptyard macro-F1 | fastText acc | fastText macro-F1 |",
        "|---|---|---|---|---|",
        f"| test | {pct(r['test']['promptyard']['accuracy'])} | {pct(r['test']['promptyard']['macro_f1'])} | "
        f"{pct(r['test']['fasttext']['accuracy'])} | {pct(r['test']['fasttext']['macro_f1'])} |",
    ]
    if r.get("gateway_dev"):
        g = r["gateway_dev"]
        lines.append(f"| gateway_dev (hand-written) | {pct(g['promptyard']['accuracy'])} | {pct(g['promptyard']['macro_f1'])} | "
                     f"{pct(g['fasttext']['accuracy'])} | {pct(g['fasttext']['macro_f1'])} |")
    lines += ["", "## Leave-one-source-out (train without the source, accuracy on all of its records)", "",
              "| source | records | promptyard | fastText |", "|---|---|---|---|"]
    for f in r["loso"]["folds"]:
        lines.append(f"| {f['source']} | {f['n']} | {pct(f['promptyard'])} | {pct(f['fasttext'])} |")
    lines.append(f"| **mean** | | **{pct(r['loso']['promptyard_mean'])}** | **{pct(r['loso']['fasttext_mean'])}** |")
    lines += ["", "## Single-prompt latency (one core)", "",
              "promptyard is timed in Rust (`examples/latency.rs`, pinned to core 0); fastText through its "
              "Python `predict`, which includes the Python call overhead a Python service would pay.", "",
              "| prompt | words | promptyard classify p50 / p99 (µs) | promptyard route p50 / p99 (µs) | fastText (Python) p50 / p99 (µs) |",
              "|---|---|---|---|---|"]
    for l in r["latency"]:
        lines.append(f"| {l['name']} | {l['words']} | {l['promptyard_classify_p50_ns']/1e3:.2f} / {l['promptyard_classify_p99_ns']/1e3:.2f} | "
                     f"{l['promptyard_route_p50_ns']/1e3:.2f} / {l['promptyard_route_p99_ns']/1e3:.2f} | "
                     f"{l['fasttext_python_p50_ns']/1e3:.2f} / {l['fasttext_python_p99_ns']/1e3:.2f} |")
    b = r["batch"]
    lines += ["", f"## Batch throughput ({b['records']} prompts, all cores)", "",
              "| path | prompts/s |", "|---|---|",
              f"| promptyard `label` JSONL → JSONL (parse, classify, route, write) | {b['promptyard_label_end_to_end_per_s']:,.0f} |",
              f"| fastText Python: read JSONL, predict, write JSONL | {b['fasttext_end_to_end_per_s']:,.0f} |",
              f"| fastText Python: predict only (list in memory) | {b['fasttext_predict_only_per_s']:,.0f} |",
              "", "## Size and training time", "",
              "| | promptyard | fastText |", "|---|---|---|",
              f"| model on disk | {r['model_bytes']['promptyard']/1e6:.2f} MB | {r['model_bytes']['fasttext']/1e6:.2f} MB |",
              f"| training time (same train split, 2 threads) | {r['train_seconds']['promptyard']:.1f} s | {r['train_seconds']['fasttext']:.1f} s |",
              ""]
    lines += ["## Targets", "", "| target | met? | figures |", "|---|---|---|"] + [
        f"| {name} | {'yes' if ok else '**no**'} | {fig} |" for name, ok, fig in targets(r)] + [""]
    return "\n".join(lines)


def targets(r):
    """The issue's targets, each with the figures that decide it."""
    out = []
    sy, ft = r["test"]["promptyard"]["accuracy"], r["test"]["fasttext"]["accuracy"]
    out.append(("accuracy on test ≥ fastText", sy >= ft, f"{sy:.3f} vs {ft:.3f}"))
    sy, ft = r["loso"]["promptyard_mean"], r["loso"]["fasttext_mean"]
    out.append(("LOSO mean accuracy ≥ fastText", sy >= ft, f"{sy:.3f} vs {ft:.3f}"))
    l200 = [l for l in r["latency"] if l["name"] == "english-200w"][0]
    sy, ft = l200["promptyard_route_p50_ns"], l200["fasttext_python_p50_ns"]
    out.append(("~200-word latency ≤ 1/10 of fastText's (route p50 vs Python predict p50)", sy * 10 <= ft,
                f"{sy/1e3:.2f} µs vs {ft/1e3:.2f} µs"))
    b = r["batch"]
    sy, ft = b["promptyard_label_end_to_end_per_s"], b["fasttext_end_to_end_per_s"]
    out.append(("batch throughput ≥ 2x fastText (end to end)", sy >= 2 * ft, f"{sy:,.0f}/s vs {ft:,.0f}/s"))
    return out


if __name__ == "__main__":
    main()
