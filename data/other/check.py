#!/usr/bin/env python3
"""Checks the files in data/other/: run from the repository root, `python3 data/other/check.py`.

Valid JSON per line with the required fields, labels known, ids unique across these files
(and, for the evaluation files, not clashing with data/*.jsonl), no exact duplicates (case and
spacing ignored) across these files, none between the evaluation files and the bundled data
(the training files are in data/train|valid|test since `data build` reads them), near duplicates (Jaccard >= 0.8 of character 5-grams)
between training and evaluation files reported, counts per file, language and sub-kind, the
non-English and hard-negative shares of the hand-written files, and total size < 2 MB.
Exits non-zero if a hard check fails.
"""
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path("data/other")
FILES = ["handwritten_train.jsonl", "gateway_dev_other.jsonl", "gateway_dev_borderline.jsonl",
         "from_sources.jsonl"]
EVAL = {"gateway_dev_other.jsonl", "gateway_dev_borderline.jsonl"}
LABELS = {"planning", "reasoning", "code_completion", "other"}
REQUIRED = ["id", "text", "label", "source", "lang"]
BUNDLED = [Path("data") / n for n in ("train.jsonl", "valid.jsonl", "test.jsonl", "gateway_dev.jsonl")]

fail = []


def norm(t):
    return re.sub(r"\s+", " ", t.lower()).strip()


def grams(t, n=5):
    t = norm(t)
    return {t[i:i + n] for i in range(max(1, len(t) - n + 1))}


recs = {}
for f in FILES:
    rows = []
    for ln, line in enumerate(open(HERE / f, encoding="utf-8"), 1):
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            fail.append(f"{f}:{ln}: invalid JSON ({e})")
            continue
        for k in REQUIRED:
            if not isinstance(r.get(k), str) or not r[k].strip():
                fail.append(f"{f}:{ln}: missing or empty `{k}`")
        if r.get("label") not in LABELS:
            fail.append(f"{f}:{ln}: unknown label {r.get('label')!r}")
        if f != "gateway_dev_borderline.jsonl" and r.get("label") != "other":
            fail.append(f"{f}:{ln}: label is not `other`")
        if f == "gateway_dev_borderline.jsonl" and not r.get("note"):
            fail.append(f"{f}:{ln}: no `note`")
        if f == "from_sources.jsonl" and (not r.get("licence") or len(r["text"]) > 4000):
            fail.append(f"{f}:{ln}: no licence or text over 4000 chars")
        rows.append(r)
    recs[f] = rows

# ids and exact duplicates
ids = collections.Counter(r["id"] for rows in recs.values() for r in rows)
bundled_ids, bundled_text = set(), {}
for p in BUNDLED:
    if p.exists():
        for line in open(p, encoding="utf-8"):
            r = json.loads(line)
            bundled_ids.add(r["id"])
            bundled_text[norm(r["text"])] = f"{p.name}:{r['id']}"
eval_ids = {r["id"] for f in EVAL for r in recs.get(f, [])}
dup_ids = [i for i, c in ids.items() if c > 1] + [i for i in eval_ids if i in bundled_ids]
if dup_ids:
    fail.append(f"duplicate ids: {dup_ids[:10]}")
seen = {}
exact = []
for f, rows in recs.items():
    for r in rows:
        k = norm(r["text"])
        if k in seen:
            exact.append((seen[k], r["id"]))
        else:
            seen[k] = r["id"]
        if f in EVAL and k in bundled_text:
            exact.append((bundled_text[k], r["id"]))
if exact:
    fail.append(f"exact duplicate texts: {exact[:10]}")

# near duplicates between training files and evaluation files
train = [(r["id"], grams(r["text"])) for f, rows in recs.items() if f not in EVAL for r in rows]
near = []
for f in EVAL:
    for r in recs[f]:
        g = grams(r["text"])
        for tid, tg in train:
            j = len(g & tg) / len(g | tg)
            if j >= 0.8:
                near.append((r["id"], tid, round(j, 2)))
if near:
    fail.append(f"near duplicates train/eval (char 5-gram Jaccard >= 0.8): {near[:10]}")

# counts
print("== counts")
for f, rows in recs.items():
    print(f"{f}: {len(rows)} rows")
    print("  per label:", dict(collections.Counter(r["label"] for r in rows).most_common()))
    print("  per lang:", dict(collections.Counter(r["lang"] for r in rows).most_common()))
    if any("kind" in r for r in rows):
        print("  per kind:", dict(collections.Counter(r.get("kind") for r in rows).most_common()))
    if any("near" in r for r in rows):
        hn = [r for r in rows if r.get("near")]
        print(f"  hard negatives: {len(hn)} ({len(hn) / len(rows):.0%}),",
              dict(collections.Counter(r["near"] for r in hn).most_common()))
    if f == "from_sources.jsonl":
        print("  per source:", dict(collections.Counter(r["source"] for r in rows).most_common()))
        print("  per licence:", dict(collections.Counter(
            (r["licence"], r.get("upstream_licence", r["licence"])) for r in rows).most_common()))
    if f in ("handwritten_train.jsonl", "gateway_dev_other.jsonl", "gateway_dev_borderline.jsonl"):
        ne = [r for r in rows if r["lang"] != "en"]
        langs = {r["lang"] for r in ne}
        print(f"  non-English: {len(ne)} ({len(ne) / len(rows):.0%}) in {len(langs)} languages")
        if f != "gateway_dev_borderline.jsonl" and (len(ne) / len(rows) < 0.30 or len(langs) < 6):
            fail.append(f"{f}: non-English share {len(ne) / len(rows):.0%} in {len(langs)} languages")
        w = sorted(len(r["text"].split()) for r in rows)
        print(f"  words per prompt: min {w[0]}, median {w[len(w) // 2]}, max {w[-1]}")

need = {"handwritten_train.jsonl": (400, None), "gateway_dev_other.jsonl": (120, 120),
        "gateway_dev_borderline.jsonl": (60, 60), "from_sources.jsonl": (1, 1500)}
for f, (lo, hi) in need.items():
    n = len(recs[f])
    if n < lo or (hi is not None and n > hi):
        fail.append(f"{f}: {n} rows, expected {lo}..{hi}")
bl = collections.Counter(r["label"] for r in recs["gateway_dev_borderline.jsonl"])
if set(bl.values()) != {15} or len(bl) != 4:
    fail.append(f"borderline labels not 15 each: {dict(bl)}")

size = sum(p.stat().st_size for p in HERE.iterdir() if p.is_file())
print(f"== total size of data/other: {size / 1e6:.2f} MB")
if size >= 2_000_000:
    fail.append("data/other is 2 MB or more")
print(f"== ids unique: {not dup_ids}; exact duplicates: {len(exact)}; near duplicates train/eval: {len(near)}")
if fail:
    print("== FAIL")
    for m in fail:
        print("  " + m)
    sys.exit(1)
print("== OK")
