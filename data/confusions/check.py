#!/usr/bin/env python3
"""Checks the hand-written lockbox and confusion-slice files: run from the repository root,
`python3 data/confusions/check.py`.

Files: `data/lockbox_dev.jsonl`, `data/confusions/train.jsonl`, `data/confusions/dev.jsonl`.
Hard checks (exit 1 on failure): valid JSON per line; required fields present and of the right
type; label one of the four; `source` as expected per file; `slice` known (confusion files);
ids unique and in the file's id pattern; no exact duplicate text (case and whitespace
normalised) within or across these files; no exact duplicate of `data/train.jsonl`,
`data/valid.jsonl`, `data/test.jsonl`, `data/gateway_dev.jsonl` or `data/other/*.jsonl`;
minimum counts and language shares from the brief; no near duplicate (character 5-gram
Jaccard >= 0.8) between `confusions/train.jsonl` and the two evaluation files, nor between any
of these files and the existing hand-written sets (`gateway_dev.jsonl`, `other/*.jsonl`).
Prints counts per label x language (and per slice x language).
"""
import collections
import json
import re
import sys
from pathlib import Path

DATA = Path("data")
FILES = {
    "lockbox_dev.jsonl": dict(path=DATA / "lockbox_dev.jsonl", source="lockbox_dev",
                              id_re=r"lb-\d{4}", extra=["lang", "borderline", "dept"]),
    "confusions/train.jsonl": dict(path=DATA / "confusions/train.jsonl", source="confusions",
                                   id_re=r"cf-train-\d{4}", extra=["lang", "slice"]),
    "confusions/dev.jsonl": dict(path=DATA / "confusions/dev.jsonl", source="confusions_dev",
                                 id_re=r"cf-dev-\d{4}", extra=["lang", "slice"]),
}
LABELS = ["planning", "reasoning", "code_completion", "other"]
SLICES = {
    "order_timing_planning": "planning",
    "about_snippet_reasoning": "reasoning",
    "business_decision_reasoning": "reasoning",
    "terse_code": "code_completion",
}
CONTRAST = {f"{s}_contrast" for s in SLICES}
OTHERS = [DATA / n for n in ("train.jsonl", "valid.jsonl", "test.jsonl", "gateway_dev.jsonl")] + \
    sorted((DATA / "other").glob("*.jsonl"))

fail = []


def norm(t):
    return re.sub(r"\s+", " ", t.lower()).strip()


def grams(t, n=5):
    t = norm(t)
    return {t[i:i + n] for i in range(max(1, len(t) - n + 1))}


recs = {}
for name, spec in FILES.items():
    rows = []
    if not spec["path"].exists():
        print(f"{name}: missing (skipped)")
        continue
    for ln, line in enumerate(open(spec["path"], encoding="utf-8"), 1):
        where = f"{name}:{ln}"
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            fail.append(f"{where}: invalid JSON ({e})")
            continue
        if not isinstance(r, dict):
            fail.append(f"{where}: not an object")
            continue
        for k in ["id", "text", "label", "source", "lang"] + [e for e in spec["extra"] if e != "borderline"]:
            if not isinstance(r.get(k), str) or not r[k].strip():
                fail.append(f"{where}: missing or empty `{k}`")
        if "borderline" in spec["extra"] and not isinstance(r.get("borderline"), bool):
            fail.append(f"{where}: `borderline` is not a bool")
        if r.get("label") not in LABELS:
            fail.append(f"{where}: unknown label {r.get('label')!r}")
        if r.get("source") != spec["source"]:
            fail.append(f"{where}: source {r.get('source')!r}, expected {spec['source']!r}")
        if not re.fullmatch(spec["id_re"], str(r.get("id", ""))):
            fail.append(f"{where}: id {r.get('id')!r} does not match {spec['id_re']}")
        if isinstance(r.get("text"), str) and r["text"] != r["text"].strip():
            fail.append(f"{where}: text has leading/trailing whitespace")
        if "slice" in spec["extra"]:
            s = r.get("slice")
            if s in SLICES:
                if r.get("label") != SLICES[s]:
                    fail.append(f"{where}: slice {s} must be labelled {SLICES[s]}")
            elif s in CONTRAST:
                if name != "confusions/train.jsonl":
                    fail.append(f"{where}: contrast rows belong in train.jsonl")
                if r.get("label") == SLICES[s[:-len('_contrast')]]:
                    fail.append(f"{where}: contrast row has the slice's own label")
            else:
                fail.append(f"{where}: unknown slice {s!r}")
        rows.append(r)
    recs[name] = rows

# ids and exact duplicates
ids = collections.Counter(r.get("id") for rows in recs.values() for r in rows)
dup_ids = sorted(i for i, c in ids.items() if c > 1)
if dup_ids:
    fail.append(f"duplicate ids: {dup_ids[:10]}")
seen, exact = {}, []
for name, rows in recs.items():
    for r in rows:
        k = norm(r.get("text", ""))
        if k in seen:
            exact.append((seen[k], r["id"]))
        else:
            seen[k] = r["id"]
external = 0
for p in OTHERS:
    if not p.exists():
        continue
    for line in open(p, encoding="utf-8"):
        o = json.loads(line)
        external += 1
        k = norm(o["text"])
        # The build copies `confusions/train.jsonl` into the splits as `confusions:<id>`: a
        # record's own copy is not a duplicate.
        if k in seen and o["id"].split(":", 1)[-1] != seen[k]:
            exact.append((f"{p.relative_to(DATA)}:{o['id']}", seen[k]))
if exact:
    fail.append(f"exact duplicate texts ({len(exact)}): {exact[:10]}")

# near duplicates: confusions train vs the two evaluation files
near = []
train_g = [(r["id"], grams(r["text"])) for r in recs.get("confusions/train.jsonl", [])]
for name in ("lockbox_dev.jsonl", "confusions/dev.jsonl"):
    for r in recs.get(name, []):
        g = grams(r["text"])
        for tid, tg in train_g:
            j = len(g & tg) / len(g | tg)
            if j >= 0.8:
                near.append((r["id"], tid, round(j, 2)))
if near:
    fail.append(f"near duplicates train/eval (char 5-gram Jaccard >= 0.8): {near[:10]}")

# near duplicates of the existing hand-written sets (gateway dev, other/*): paraphrase guard
hand = []
for p in [DATA / "gateway_dev.jsonl"] + sorted((DATA / "other").glob("*.jsonl")):
    if p.exists():
        hand += [(json.loads(l)["id"], grams(json.loads(l)["text"])) for l in open(p, encoding="utf-8")]
near_old = []
for name, rows in recs.items():
    for r in rows:
        g = grams(r["text"])
        for hid, hg in hand:
            j = len(g & hg) / len(g | hg)
            if j >= 0.8:
                near_old.append((r["id"], hid, round(j, 2)))
if near_old:
    fail.append(f"near duplicates of existing hand-written sets (Jaccard >= 0.8): {near_old[:10]}")


def table(rows, key):
    langs = [l for l, _ in collections.Counter(r["lang"] for r in rows).most_common()]
    keys = sorted({key(r) for r in rows})
    head = "| " + key.__doc__ + " | " + " | ".join(langs) + " | all |"
    out = [head, "|---|" + "---:|" * (len(langs) + 1)]
    for k in keys:
        c = collections.Counter(r["lang"] for r in rows if key(r) == k)
        out.append(f"| {k} | " + " | ".join(str(c[l]) for l in langs) + f" | {sum(c.values())} |")
    c = collections.Counter(r["lang"] for r in rows)
    out.append("| **all** | " + " | ".join(f"**{c[l]}**" for l in langs) + f" | **{len(rows)}** |")
    return "\n".join(out)


def by_label(r):
    """label"""
    return r["label"]


def by_slice(r):
    """slice"""
    return r["slice"]


for name, rows in recs.items():
    if not rows:
        fail.append(f"{name}: empty")
        continue
    print(f"== {name}: {len(rows)} rows")
    print(table(rows, by_label))
    if "slice" in rows[0]:
        print()
        print(table(rows, by_slice))
    if name == "lockbox_dev.jsonl":
        bl = sum(r["borderline"] for r in rows)
        print(f"borderline: {bl} ({bl / len(rows):.1%}); per label:",
              dict(collections.Counter(r["label"] for r in rows if r["borderline"])))
        print("dept:", dict(collections.Counter(r["dept"] for r in rows).most_common()))
    print()

# brief's minimums
lb = recs.get("lockbox_dev.jsonl", [])
if lb:
    n_en = sum(r["lang"] == "en" for r in lb)
    langs = collections.Counter(r["lang"] for r in lb if r["lang"] != "en")
    if len(lb) < 320 or n_en < 170 or len(lb) - n_en < 150:
        fail.append(f"lockbox: {len(lb)} rows, {n_en} en, {len(lb) - n_en} non-en")
    if len([l for l, c in langs.items() if c >= 20]) < 6:
        fail.append(f"lockbox: fewer than 6 non-English languages with >= 20 rows: {dict(langs)}")
    for l in langs:
        have = {r["label"] for r in lb if r["lang"] == l}
        if langs[l] >= 20 and have != set(LABELS):
            fail.append(f"lockbox: lang {l} lacks labels {set(LABELS) - have}")
    lc = collections.Counter(r["label"] for r in lb)
    if min(lc.values()) < 0.22 * len(lb) or len(lc) != 4:
        fail.append(f"lockbox: label balance {dict(lc)}")
for name, need_main, need_contrast in (("confusions/train.jsonl", 100, 35), ("confusions/dev.jsonl", 30, 0)):
    rows = recs.get(name, [])
    if not rows:
        continue
    for s in SLICES:
        sr = [r for r in rows if r["slice"] == s]
        ne = [r for r in sr if r["lang"] != "en"]
        nl = {r["lang"] for r in ne}
        print(f"{name} {s}: {len(sr)} rows, non-English {len(ne)} ({len(ne) / max(1, len(sr)):.0%}) "
              f"in {len(nl)} languages; contrast {sum(r['slice'] == s + '_contrast' for r in rows)}")
        if len(sr) < need_main:
            fail.append(f"{name}: slice {s} has {len(sr)} rows (< {need_main})")
        if name.endswith("train.jsonl") and (len(ne) < 0.25 * len(sr) or len(nl) < 4):
            fail.append(f"{name}: slice {s} non-English {len(ne)}/{len(sr)} in {len(nl)} languages")
        nc = sum(r["slice"] == s + "_contrast" for r in rows)
        if nc < need_contrast:
            fail.append(f"{name}: {s}_contrast has {nc} rows (< {need_contrast})")

print(f"== compared against {external} records in {len([p for p in OTHERS if p.exists()])} existing files")
print(f"== ids unique: {not dup_ids}; exact duplicates: {len(exact)}; near duplicates train/eval: "
      f"{len(near)}; near duplicates of gateway_dev / other: {len(near_old)}")
if fail:
    print("== FAIL")
    for m in fail:
        print("  " + m)
    sys.exit(1)
print("== OK")
