#!/usr/bin/env python3
"""Builds benches/data/realistic.jsonl: the fixed prompt set the latency benches run on.

Three sizes (~20, ~200 and ~1,000 words; CJK counted as one word per two characters), 240
prompts each, in four kinds (code, prose, cjk, mixed), drawn deterministically from the
bundled test split and the hand-written gateway dev sets (never the lockbox set). A ~200 or
~1,000-word prompt is several real prompts of its kind joined by blank lines, as a user's
pasted context plus request would be. Rerun after a data rebuild only on purpose: the bench
figures in benchmarks/REPORT.md are tied to this file.

Usage: python3 benches/data/make_realistic.py [--root .]
"""
import argparse, json, random, re
from pathlib import Path

SIZES = {"20w": 20, "200w": 200, "1000w": 1000}
KINDS = ["code", "prose", "cjk", "mixed"]
PER_SIZE = 240
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def words(text):
    cjk = len(CJK.findall(text))
    return len(text.split()) + cjk // 2


def kind_of(r):
    text = r["text"]
    if len(CJK.findall(text)) > 0.2 * max(1, len(text)):
        return "cjk"
    if r["label"] == "code_completion":
        return "code"
    return "prose"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".")
    a = ap.parse_args()
    root = Path(a.root)
    files = [root / "data/test.jsonl", root / "data/gateway_dev.jsonl",
             root / "data/other/gateway_dev_other.jsonl", root / "data/confusions/dev.jsonl"]
    pool = {k: [] for k in KINDS}
    for f in files:
        for line in open(f, encoding="utf-8"):
            r = json.loads(line)
            pool[kind_of(r)].append(r["text"])
    pool["mixed"] = pool["code"] + pool["prose"] + pool["cjk"]
    rng = random.Random(18)
    out = []
    for size, target in SIZES.items():
        for i in range(PER_SIZE):
            kind = KINDS[i % len(KINDS)]
            parts, n = [], 0
            # ~20 words: one real prompt near the target; longer: real prompts joined.
            if size == "20w":
                # one real prompt of 15-25 words
                t = rng.choice([t for t in pool[kind] if 15 <= words(t) <= 25])
                parts, n = [t], words(t)
            while size != "20w" and n < target * 0.9:
                t = rng.choice(pool[kind])
                parts.append(t)
                n += words(t)
            text = "\n\n".join(parts)
            out.append({"id": f"{size}-{i:03}", "size": size, "kind": kind,
                        "words": words(text), "text": text})
    path = root / "benches/data/realistic.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    for size in SIZES:
        rows = [r for r in out if r["size"] == size]
        mean_words = sum(r["words"] for r in rows) / len(rows)
        mean_bytes = sum(len(r["text"].encode()) for r in rows) / len(rows)
        print(f"{size}: {len(rows)} prompts, mean {mean_words:.0f} words, {mean_bytes:.0f} bytes")


if __name__ == "__main__":
    main()
