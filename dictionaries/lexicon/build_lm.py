#!/usr/bin/env python3
"""Rebuild the trigram language model files of this folder from the CMU Sphinx
generic US English model shipped in the PyPI package ``pocketsphinx`` (BSD-2,
see LM-LICENSE.txt beside this script).

    python3 dictionaries/lexicon/build_lm.py [--wheel PATH/pocketsphinx-5.1.1-*.whl]

Without ``--wheel`` the script runs ``pip download --no-deps pocketsphinx==5.1.1``
into a temporary folder (the only step that needs the network). It installs the
wheel into a temporary virtual environment and runs itself there with
``--extract``: that step opens ``model/en-us/en-us.lm.bin`` with the package's
own C library (through ctypes) and walks its trie for every unigram, bigram and
trigram. (The package's ARPA writer cannot be used: in 5.1.1 it crashes after
the bigram section.) Probabilities come out in the library's log base 1.0001
and are turned into log10.

Outputs (all little endian):

``lm-words.txt``  ``word<TAB>log10 P(word)<TAB>log10 backoff(word)``, one line a
                  word; the line number (from 0) is the word's id, the model's
                  own. ``<s>`` and ``</s>`` mark sentence start and end.
``lm.bin``        b"UGLM\\x04\\n"                    magic and version (6 bytes)
                  u32 words, u32 bigrams, u32 trigrams,
                  u32 pair_bloom_blocks, u32 triple_bloom_blocks
                  u32 row[words + 1]      bigrams of word a: pairs[row[a]..row[a+1]]
                  u32 pairs[bigrams]      (id(b) << 8) | round(-log10 P(b|a) / 0.05)
                  i8  pair_backoff[bigrams]  round(log10 backoff(a b) / 0.02)
                  u64 triples[trigrams]   (((a << 34) | (b << 17) | c) << 8)
                                          | round(-log10 P(c|a b) / 0.05)
                  u32 triple_row[words + 1]  triples of first word a:
                                          triples[triple_row[a]..triple_row[a+1]]
                  u64 pair_bloom[8 * pair_bloom_blocks]
                  u64 triple_bloom[8 * triple_bloom_blocks]
                                          blocked Bloom filters over the pair keys
                                          (a << 17) | b and the triple keys: a key's
                                          hash h (splitmix64's finaliser) picks block
                                          (h & 0xffffffff) % blocks and sets four bits
                                          in it, the 9-bit chunks of h >> 28; 16 bits a
                                          key, blocks a power of two (see bloom()).
                  u32 synonyms[words]     how many words of thesaurus.txt list the
                                          word as a candidate (its fan-out)
                  u32 cand_row[words + 1] candidates of word w:
                                          cands[cand_row[w]..cand_row[w+1]]
                  u32 cands[...]          ids of the single-word candidates of
                                          thesaurus.txt that the model knows, in the
                                          thesaurus' order
                  (so the thesaurus is read in place too; rerun this script after
                  build.py changes thesaurus.txt)
                  Pair rows are sorted by id(b); triples by their key, so
                  look-ups are binary searches. Quantised values saturate at
                  255 (-12.75) and at the i8 range.
"""

from __future__ import annotations

import argparse
import glob
import math
import os
import struct
import subprocess
import sys
import tempfile

PACKAGE = "pocketsphinx==5.1.1"
STEP = 0.05
BO_STEP = 0.02
HERE = os.path.dirname(os.path.abspath(__file__))


def fetch(dest: str) -> str:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", dest, PACKAGE],
        check=True,
    )
    found = glob.glob(os.path.join(dest, "pocketsphinx-5.1.1-*.whl"))
    if not found:
        sys.exit("build_lm: pip did not download a pocketsphinx 5.1.1 wheel")
    return found[0]


def extract() -> None:
    """Runs inside the virtual environment that has pocketsphinx 5.1.1."""
    import ctypes as C

    import pocketsphinx

    pkg = os.path.dirname(pocketsphinx.__file__)
    lib = C.CDLL(glob.glob(os.path.join(pkg, "_pocketsphinx*.so"))[0])
    lib.logmath_init.restype = C.c_void_p
    lib.logmath_init.argtypes = [C.c_double, C.c_int, C.c_int]
    lib.ngram_model_read.restype = C.c_void_p
    lib.ngram_model_read.argtypes = [C.c_void_p, C.c_char_p, C.c_int, C.c_void_p]

    class Range(C.Structure):
        _fields_ = [("begin", C.c_uint32), ("end", C.c_uint32)]

    class Raw(C.Structure):  # ngram_raw_t
        _fields_ = [
            ("words", C.POINTER(C.c_uint32)),
            ("prob", C.c_float),
            ("backoff", C.c_float),
            ("order", C.c_uint32),
        ]

    class Unigram(C.Structure):  # unigram_t
        _fields_ = [("prob", C.c_float), ("bo", C.c_float), ("next", C.c_uint32)]

    lib.lm_trie_fill_raw_ngram.restype = None
    lib.lm_trie_fill_raw_ngram.argtypes = [
        C.c_void_p, C.POINTER(Raw), C.POINTER(C.c_uint32), C.POINTER(C.c_uint32),
        Range, C.POINTER(C.c_uint32), C.c_int, C.c_int, C.c_int,
    ]
    base = 1.0001
    lmath = lib.logmath_init(base, 0, 0)
    model = lib.ngram_model_read(
        None, os.path.join(pkg, "model", "en-us", "en-us.lm.bin").encode(), 0, lmath
    )
    if not model:
        sys.exit("build_lm: the model did not load")
    # struct ngram_model_s (5.1.1, x86-64): n_counts at 8, n at 24, word_str at 56;
    # struct ngram_model_trie_s puts the trie right after it, at 96; the trie's
    # unigram array is its third field, at 16.
    order = C.c_uint8.from_address(model + 24).value
    if order != 3:
        sys.exit(f"build_lm: expected a trigram model, got order {order}")
    counts = (C.c_uint32 * 3).from_address(C.c_void_p.from_address(model + 8).value)
    word_str = C.cast(C.c_void_p.from_address(model + 56).value, C.POINTER(C.c_char_p))
    trie = C.c_void_p.from_address(model + 96).value
    unigrams = C.cast(C.c_void_p.from_address(trie + 16).value, C.POINTER(Unigram))
    to10 = math.log10(base)
    nw = counts[0]
    words = [word_str[i].decode("utf-8") for i in range(nw)]
    total = sum(10.0 ** (unigrams[i].prob * to10) for i in range(nw) if words[i] != "<s>")
    if abs(total - 1.0) > 1e-3:
        sys.exit(f"build_lm: unigram probabilities sum to {total}, not 1")
    grams = {}
    for n in (2, 3):
        cap = counts[n - 1] * 2
        raw = (Raw * cap)()
        filled = C.c_uint32(0)
        hist = (C.c_uint32 * 8)()
        lib.lm_trie_fill_raw_ngram(trie, raw, C.byref(filled), counts, Range(0, 0), hist, 0, n, 3)
        if filled.value < 0.9999 * counts[n - 1] or filled.value > counts[n - 1]:
            sys.exit(f"build_lm: {filled.value} {n}-grams read, header says {counts[n - 1]}")
        grams[n] = [
            (tuple(raw[k].words[j] for j in range(n)), raw[k].prob * to10, raw[k].backoff * to10)
            for k in range(filled.value)
        ]
    write(words, [(unigrams[i].prob * to10, unigrams[i].bo * to10) for i in range(nw)], grams)


M64 = (1 << 64) - 1


def mix(x: int) -> int:
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def bloom(keys) -> tuple[int, list[int]]:
    """The blocked Bloom filter src/lexicon.rs reads: (blocks, 8 u64 words a block)."""
    n = len(keys)
    blocks = 1
    while blocks < max(1, n * 16 // 512):
        blocks *= 2
    words = [0] * (8 * blocks)
    for key in keys:
        h = mix(key)
        base = 8 * ((h & 0xFFFFFFFF) & (blocks - 1))
        h >>= 28
        for _ in range(4):
            bit = h & 511
            words[base + bit // 64] |= 1 << (bit % 64)
            h >>= 9
    return blocks, words


def q(v: float, step: float, lo: int, hi: int) -> int:
    return min(hi, max(lo, round(v / step)))


def write(words, uni, grams) -> None:
    nw = len(words)
    with open(os.path.join(HERE, "lm-words.txt"), "w", encoding="utf-8", newline="\n") as f:
        for w, (p, bo) in zip(words, uni):
            f.write(f"{w}\t{p:.4f}\t{bo:.4f}\n")
    rows: list[list[tuple[int, int, int]]] = [[] for _ in range(nw)]
    for (a, b), p, bo in grams[2]:
        rows[a].append((b, q(-p, STEP, 0, 255), q(bo, BO_STEP, -128, 127)))
    triples = sorted(
        ((((a << 34) | (b << 17) | c) << 8) | q(-p, STEP, 0, 255)) for (a, b, c), p, _ in grams[3]
    )
    offsets, off = [], 0
    pair_keys = []
    for a, r in enumerate(rows):
        r.sort()
        offsets.append(off)
        off += len(r)
        pair_keys.extend((a << 17) | b for b, _, _ in r)
    offsets.append(off)
    triple_row = [0] * (nw + 1)
    for k, t in enumerate(triples):
        triple_row[(t >> 42) + 1] = k + 1
    for a in range(1, nw + 1):
        triple_row[a] = max(triple_row[a], triple_row[a - 1])
    ids = {w: i for i, w in enumerate(words)}
    cand_lists = [[] for _ in range(nw)]
    fan = [0] * nw
    with open(os.path.join(HERE, "thesaurus.txt"), encoding="utf-8") as f:
        for line in f:
            w, _, cs = line.rstrip("\n").partition("\t")
            if w not in ids:
                continue
            c = [ids[x] for x in cs.split("|") if " " not in x and x in ids]
            cand_lists[ids[w]] = c
            for x in c:
                fan[x] += 1
    cand_row, flat_c = [0], []
    for c in cand_lists:
        flat_c.extend(c)
        cand_row.append(len(flat_c))
    pb, pwords = bloom(pair_keys)
    tb, twords = bloom([t >> 8 for t in triples])
    out = bytearray(b"UGLM\x04\n")
    out += struct.pack("<IIIII", nw, len(grams[2]), len(triples), pb, tb)
    out += struct.pack(f"<{len(offsets)}I", *offsets)
    out += struct.pack(f"<{off}I", *[(b << 8) | p for r in rows for b, p, _ in r])
    out += struct.pack(f"<{off}b", *[bo for r in rows for _, _, bo in r])
    out += struct.pack(f"<{len(triples)}Q", *triples)
    out += struct.pack(f"<{nw + 1}I", *triple_row)
    out += struct.pack(f"<{len(pwords)}Q", *pwords)
    out += struct.pack(f"<{len(twords)}Q", *twords)
    out += struct.pack(f"<{nw}I", *fan)
    out += struct.pack(f"<{nw + 1}I", *cand_row)
    out += struct.pack(f"<{len(flat_c)}I", *flat_c)
    with open(os.path.join(HERE, "lm.bin"), "wb") as f:
        f.write(out)
    print(f"build_lm: {nw} words, {off} bigrams, {len(triples)} trigrams, {len(out)} bytes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", help="a downloaded pocketsphinx-5.1.1 wheel")
    ap.add_argument("--extract", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.extract:
        extract()
        return
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch(tmp)
        venv = os.path.join(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        py = os.path.join(venv, "bin", "python")
        subprocess.run([py, "-m", "pip", "install", "--quiet", wheel], check=True)
        subprocess.run([py, os.path.abspath(__file__), "--extract"], check=True)


if __name__ == "__main__":
    main()
