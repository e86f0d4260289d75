#!/usr/bin/env bash
# Measures tortured-phrase repair on ../shared/eval/tortured-dev.tsv (not part of `cargo test`:
# the evaluation data lives outside the project). Each tortured phrase goes alone into its own
# file inside one neutral sentence, and the phrase it replaced into the same sentence as a
# clean control; ungarble cleans both folders with the flags given.
#
#   tests/eval/tortured.sh target/release/ungarble [--statistics] [--apply review]
#
# Prints: restored (the cleaned sentence contains the expected phrase, ASCII case ignored),
# changed otherwise, and controls changed; with -v, every changed control and wrong change.
set -euo pipefail
bin=$1; shift
verbose=0
if [ "${1:-}" = "-v" ]; then verbose=1; shift; fi
tsv="$(cd "$(dirname "$0")/../.." && pwd)/../shared/eval/tortured-dev.tsv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/g" "$work/c"
python3 - "$tsv" "$work" <<'PY'
import csv, sys
tsv, work = sys.argv[1:]
rows = list(csv.reader(open(tsv, encoding="utf-8"), delimiter="\t"))[1:]
for i, (t, e, _) in enumerate(rows):
    s = "In this study we report new results on {} for this task.\n"
    open(f"{work}/g/{i:03}.txt", "w", encoding="utf-8").write(s.format(t))
    open(f"{work}/c/{i:03}.txt", "w", encoding="utf-8").write(s.format(e))
PY
"$bin" clean "$work/g" --out "$work/og" --no-progress "$@" >/dev/null 2>&1
"$bin" clean "$work/c" --out "$work/oc" --no-progress "$@" >/dev/null 2>&1
python3 - "$tsv" "$work" "$verbose" <<'PY'
import csv, sys
tsv, work, verbose = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
rows = list(csv.reader(open(tsv, encoding="utf-8"), delimiter="\t"))[1:]
read = lambda p: open(p, encoding="utf-8").read()
restored = wrong = controls = 0
for i, (t, e, _) in enumerate(rows):
    g, cg = read(f"{work}/g/{i:03}.txt"), read(f"{work}/og/clean/{i:03}.txt")
    c, cc = read(f"{work}/c/{i:03}.txt"), read(f"{work}/oc/clean/{i:03}.txt")
    if e.lower() in cg.lower():
        restored += 1
    elif cg != g:
        wrong += 1
        if verbose: print(f"changed: {t!r} -> {cg.strip()!r} (expected {e!r})")
    if cc != c:
        controls += 1
        if verbose: print(f"control changed: {e!r} -> {cc.strip()!r}")
print(f"restored {restored}/{len(rows)}, changed otherwise {wrong}, controls changed {controls}/{len(rows)}")
PY
