#!/usr/bin/env python3
"""Extract `other` prompts from the permissive public data in ../shared/data.

Writes data/other/from_sources.jsonl deterministically (same input -> same bytes).
Run from the repository root:

    python3 data/other/extract.py [--shared ../shared/data] [--out data/other/from_sources.jsonl]

Standard library only. What is kept, and why, is documented in data/other/README.md; the
hand-picked row lists below are the decisions, one by one.

Sources read:
  raw/self-instruct-human   seed_tasks.jsonl + user_oriented_instructions.jsonl (Apache-2.0):
                            untagged rows (not in self_instruct_tagged.jsonl) hand-picked as
                            clearly `other`; text = instruction + blank line + first input,
                            exactly as the pipeline builds the tagged rows.
  raw/awesome-chatgpt-prompts  prompts.csv.gz (CC0-1.0): hand-picked role-play / writing rows
                            (translator, poet, proofreader, summariser, ...), not in
                            planning_subset.jsonl; `${Name:default}` placeholders resolved to
                            the default, `${name}` to `[name]`.
  outcomes/prompts.jsonl.gz rows with "label": "other" from RouterArena (Apache-2.0) and
                            LLMRouter (MIT), only tasks whose upstream data set is permissively
                            licensed and which are not multi-step reasoning; the benchmark
                            scaffolding (instructions about answer format, \\boxed{}, "Context:
                            None") is stripped so only the request remains.
"""

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

SEED = 14
CAP_TOTAL = 1500
MAX_CHARS = 4000

# ---------------------------------------------------------------------------------------
# self-instruct: untagged rows that are clearly `other` (writing, rewriting, extraction,
# classification of given text, definitions, look-ups, chit-chat). Rows that ask for a plan,
# a schedule, a recipe/procedure, code, maths, or a "why"/comparison answer are left out.
SELF_INSTRUCT_SEED = [
    2, 4, 5, 6, 7, 8, 9, 10, 13, 14, 18, 20, 26, 27, 29, 30, 34, 38, 39, 42, 43, 46, 47, 48,
    49, 51, 55, 56, 57, 59, 60, 62, 63, 64, 65, 66, 67, 68, 74, 75, 76, 78, 79, 80, 82, 84,
    85, 86, 87, 88, 89, 90, 93, 94, 96, 97, 98, 101, 103, 104, 105, 107, 108, 112, 114, 117,
    119, 123, 124, 126, 127, 128, 129, 133, 134, 135, 137, 143, 148, 149, 150, 151, 152, 154,
    156, 157, 159, 160, 161, 162, 165, 166, 167, 168, 169, 171, 172, 174,
]
SELF_INSTRUCT_USER = [
    0, 1, 2, 3, 5, 6, 7, 9, 21, 22, 24, 25, 28, 29, 32, 33, 35, 36, 37, 45, 46, 47, 50, 52,
    53, 54, 55, 57, 58, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76,
    79, 80, 81, 83, 84, 89, 97, 98, 100, 102, 104, 115, 125, 126, 127, 135, 136, 137, 138,
    139, 147, 151, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167,
    168, 175, 176, 179, 181, 183, 184, 185, 186, 187, 188, 189, 193, 194, 197, 199, 201, 202,
    203, 204, 206, 207, 208, 211, 212, 220, 223, 225, 228, 229, 230, 232, 235, 236, 238, 240,
    241, 244, 245, 246, 247, 249, 250, 251,
]

# awesome-chatgpt-prompts: 0-based row of prompts.csv (same numbering as planning_subset's
# `prompts.csv:rowN`) -> language of the prompt.
AWESOME_ROWS = {
    2: "en", 6: "en", 9: "en", 12: "en", 14: "en", 19: "en", 20: "en", 21: "en", 23: "en",
    24: "en", 34: "en", 35: "en", 58: "en", 61: "en", 83: "en", 91: "en", 101: "en",
    109: "en", 122: "en", 145: "en", 151: "en", 155: "en", 159: "en", 196: "en", 223: "en",
    234: "en", 237: "en", 282: "en", 408: "en", 435: "en", 438: "en", 502: "en", 572: "en",
    589: "fr", 619: "en", 636: "en", 661: "en", 789: "en", 810: "en", 835: "en", 855: "en",
    862: "en", 875: "en", 876: "en", 918: "en", 964: "en", 978: "en", 997: "en", 1134: "en",
    1249: "en", 1374: "en",
}

# outcomes: (source, task) -> (upstream data set, its licence). Only these are kept.
# RouterArena itself is Apache-2.0 and LLMRouter MIT; the rows are benchmark items, so the
# upstream data set's licence is recorded too. Left out on purpose: WMT19 (terms unclear),
# ArcMMLU and SuperGLUE-WiC (non-commercial), MusicTheoryBench, GeoBench, GeoGraphyData_100k,
# ChessInstruct, QANTA (licence not verified), MMLU-Pro law (case analysis) and maths/physics/chemistry/engineering/
# computer science/business, MMLU formal logic, OpenTDB maths, SocialIQA, COPA, WSC, RTE,
# cloze and MultiRC items (multi-step reasoning or licence not verified), LLMRouter `mmlu`
# (mostly RACE reading passages via MMLU's auxiliary train set: RACE is non-commercial) and
# `commongen` (a bare keyword list, no request), LLMRouter `openbook_qa` and RouterArena
# ETHICS (commonsense questions and judgements: `reasoning` by the label table).
ROUTERARENA_OK = [
    (re.compile(r"^MMLUPro_(biology|economics|health|history|philosophy|psychology)$"),
     "MMLU-Pro", "MIT"),
    (re.compile(r"^MMLU_management$"), "MMLU", "MIT"),
    (re.compile(r"^OpenTDB_(?!Science: Mathematics$).+"), "Open Trivia DB", "CC-BY-SA-4.0"),
    (re.compile(r"^NarrativeQA$"), "NarrativeQA", "Apache-2.0"),
    (re.compile(r"^PubMedQA$"), "PubMedQA", "MIT"),
    (re.compile(r"^MedMCQA$"), "MedMCQA", "MIT"),
    (re.compile(r"^SuperGLUE-QA$"), "BoolQ (SuperGLUE)", "CC-BY-SA-3.0"),
]
LLMROUTER_OK = {
    "natural_qa": ("Natural Questions", "CC-BY-SA-3.0"),
    "trivia_qa": ("TriviaQA", "Apache-2.0"),
}
SOURCE_LICENCE = {
    "self-instruct-human": "Apache-2.0",
    "awesome-chatgpt-prompts": "CC0-1.0",
    "outcomes-routerarena": "Apache-2.0",
    "outcomes-llmrouter": "MIT",
}
# at most this many rows per (source, task) group, so no single benchmark dominates
CAP_GROUP = {
    "outcomes-llmrouter": 260,
    "outcomes-routerarena": 60,
}
MIN_WORDS_OBQA = 5  # OpenBookQA stems shorter than this are fragments ("A deer")


def tidy(text):
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def key(text):
    return re.sub(r"\s+", " ", text.lower()).strip()


def self_instruct(raw):
    d = raw / "self-instruct-human"
    tagged = {json.loads(l)["origin_id"] for l in open(d / "self_instruct_tagged.jsonl")}
    out = []
    for fname, prefix, keep in [
        ("seed_tasks.jsonl", "seed_tasks", ("seed_task_", SELF_INSTRUCT_SEED)),
        ("user_oriented_instructions.jsonl", "user_oriented", ("user_oriented_task_", SELF_INSTRUCT_USER)),
    ]:
        wanted = {keep[0] + str(n) for n in keep[1]}
        for line in open(d / fname, encoding="utf-8"):
            r = json.loads(line)
            oid = f"{prefix}:{r['id']}"
            if r["id"] not in wanted or oid in tagged:
                continue
            text = r["instruction"].strip()
            inst = r.get("instances") or []
            if inst and inst[0].get("input", "").strip():
                text += "\n\n" + inst[0]["input"].strip()
            out.append(dict(source="self-instruct-human", origin=oid, task=prefix,
                            text=text, lang="en", upstream="self-instruct (human-written)",
                            licence="Apache-2.0"))
    return out


def awesome(raw):
    d = raw / "awesome-chatgpt-prompts"
    csv.field_size_limit(10 ** 8)
    planning = {json.loads(l)["origin_id"] for l in open(d / "planning_subset.jsonl")}
    out = []
    with gzip.open(d / "prompts.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f)):
            oid = f"prompts.csv:row{i}"
            if i not in AWESOME_ROWS or oid in planning:
                continue
            text = re.sub(r"\$\{([^}:]+):([^}]*)\}", lambda m: m.group(2), r["prompt"])
            text = re.sub(r"\$\{([^}]+)\}", lambda m: "[" + m.group(1) + "]", text)
            out.append(dict(source="awesome-chatgpt-prompts", origin=oid, task="prompts.csv",
                            text=text, lang=AWESOME_ROWS[i], upstream=f"awesome-chatgpt-prompts: {r['act'].strip()}",
                            licence="CC0-1.0"))
    return out


BOILER_TAIL = re.compile(r"\n\s*Provide (the|your) (correct|final) .*\Z", re.S)
FIRST_LINE = re.compile(
    r"\A(Please read the following (multiple-choice questions|question|context)[^\n]*"
    r"|You are a reading comprehension assistant\.[^\n]*"
    r"|First, provide your final judgment[^\n]*)\n", re.S)


def strip_routerarena(text):
    """RouterArena wraps each item in the same scaffolding; keep the request only."""
    t = text
    # the task-specific part of the first sentence is the request (e.g. "determine whether
    # the action is morally acceptable"); the generic "provide the most likely answer" is not
    m = re.match(r"\APlease read the following (?:multiple-choice questions|question|context)"
                 r"(?: and (.*?))?\.?\s*\n", t)
    instruction = ""
    if m:
        rest = (m.group(1) or "").strip()
        generic = re.match(r"(provide the (most likely )?correct answer|answer the question based on its content)", rest)
        if rest and not generic:
            instruction = rest[0].upper() + rest[1:].rstrip(".") + "."
        t = t[m.end():]
    while True:
        m = FIRST_LINE.match(t.lstrip("\n"))
        if not m:
            break
        t = t.lstrip("\n")[m.end():]
    t = BOILER_TAIL.sub("", t)
    t = re.sub(r"\AYour task is to answer a question based on the provided context\.\s*", "", t.strip())
    t = re.sub(r"\AFirst, provide your final judgment[^\n]*\n", "", t.strip())
    t = re.sub(r"(?m)^Context:\s*None\s*$\n?", "", t)
    ctx = re.match(r"\AContext:\s*(.*?)\n\s*\nQuestion:\s*", t.strip(), re.S)
    t = t.strip()
    if ctx:
        c = ctx.group(1).strip()
        if c.startswith("[") and c.endswith("]"):  # PubMedQA stores a python list of strings
            c = "\n".join(re.findall(r"'((?:[^'\\]|\\.)*)'", c)) or c
        t = c + "\n\n" + t[ctx.end():]
    else:
        t = re.sub(r"\AQuestion:\s*", "", t)
    t = re.sub(r"\n\s*Options:\s*\n", "\n", t)
    if instruction:
        t = instruction + "\n\n" + t
    return t


def outcomes(shared):
    out = []
    with gzip.open(shared / "outcomes" / "prompts.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["label"] != "other":
                continue
            if r["source"] == "routerarena":
                hit = next(((u, lic) for pat, u, lic in ROUTERARENA_OK if pat.match(r["task"])), None)
                if not hit:
                    continue
                text = strip_routerarena(r["text"])
                out.append(dict(source="outcomes-routerarena", origin=r["prompt_id"], task=r["task"],
                                text=text, lang="en", upstream=hit[0], licence="Apache-2.0",
                                upstream_licence=hit[1]))
            elif r["source"] == "llmrouter_nim9":
                if r["task"] not in LLMROUTER_OK:
                    continue
                text = r["text"]
                if r["task"] == "openbook_qa" and len(text.split()) < MIN_WORDS_OBQA:
                    continue
                u, lic = LLMROUTER_OK[r["task"]]
                out.append(dict(source="outcomes-llmrouter", origin=r["prompt_id"], task=r["task"],
                                text=text, lang="en", upstream=u, licence="MIT", upstream_licence=lic))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--out", default="data/other/from_sources.jsonl")
    a = ap.parse_args()
    shared = Path(a.shared)
    raw = shared / "raw"
    if not raw.is_dir():
        sys.exit(f"no {raw}: run from the repository root or pass --shared")

    cands = self_instruct(raw) + awesome(raw) + outcomes(shared)
    read = len(cands)
    dropped = {"over 4000 chars": 0, "exact duplicate": 0, "group cap": 0, "total cap": 0}
    seen, groups = set(), {}
    for c in cands:
        c["text"] = tidy(c["text"])
        if not c["text"] or len(c["text"]) > MAX_CHARS:
            dropped["over 4000 chars"] += 1
            continue
        k = key(c["text"])
        if k in seen:
            dropped["exact duplicate"] += 1
            continue
        seen.add(k)
        groups.setdefault((c["source"], c["task"]), []).append(c)

    # deterministic sample: shuffle each group with a seed derived from its name, cap it,
    # then take round-robin across groups until the total cap
    rng_lists = []
    for g in sorted(groups):
        rows = sorted(groups[g], key=lambda c: c["origin"])
        seed = int(hashlib.sha256(f"{SEED}:{g[0]}:{g[1]}".encode()).hexdigest()[:16], 16)
        random.Random(seed).shuffle(rows)
        cap = CAP_GROUP.get(g[0])
        if cap is not None and len(rows) > cap:
            dropped["group cap"] += len(rows) - cap
            rows = rows[:cap]
        rng_lists.append(rows)
    picked, i = [], 0
    while any(rng_lists) and len(picked) < CAP_TOTAL:
        for rows in rng_lists:
            if rows and len(picked) < CAP_TOTAL:
                picked.append(rows.pop(0))
    dropped["total cap"] = sum(len(r) for r in rng_lists)

    picked.sort(key=lambda c: (c["source"], c["origin"]))
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for c in picked:
            rec = {"id": f"{c['source']}:{c['origin']}", "text": c["text"], "label": "other",
                   "source": c["source"], "lang": c["lang"], "licence": c["licence"],
                   "upstream": c["upstream"]}
            if "upstream_licence" in c:
                rec["upstream_licence"] = c["upstream_licence"]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    counts = {}
    for c in picked:
        counts[c["source"]] = counts.get(c["source"], 0) + 1
    print(f"read {read} candidates, wrote {len(picked)} to {out}", file=sys.stderr)
    print(f"per source: {counts}", file=sys.stderr)
    print(f"dropped: {dropped}", file=sys.stderr)


if __name__ == "__main__":
    main()
