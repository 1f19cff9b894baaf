#!/usr/bin/env bash
# floor.sh: product issue 16's figures, aiwatch beside newsboat, in one
# run, ending with one summary line of ratios:
#
#   1. cold fetch time and peak RSS on 50 feeds of 200 heavy items, and
#      that peak split into anonymous and file-backed memory
#      (a headline and about 400 bytes of English, Chinese and Arabic
#      naming firms), bench/newsboat.sh FEEDS=50 ITEMS=200 BIG=0 HEAVY=1;
#   2. the same on one feed of 20,000 heavy items, 15 MB, which aiwatch
#      must take under its default 16 MiB cap (FEEDS=0 BIG=20000 HEAVY=1);
#   3. the first screen in tmux, the idle CPU over IDLE seconds, the time
#      another process's write takes to show, and the store's size with
#      what it is made of, at each of SIZES items (bench/screen.sh).
#
# Targets (the issue's): first screen <= 80 ms; idle CPU <= 0.25 %; peak
# RSS <= newsboat's; cold fetch <= 0.20 x newsboat's time.
#
# Usage: bench/floor.sh                   (from the repository root)
# Knobs: ROUNDS=3 (fetch rounds; screen.sh takes SCREEN_ROUNDS=5)
#        SIZES="44 100000 1000000"  IDLE=60
# Needs python3, tmux, newsboat, sqlite3 and GNU time
# (apt-get install -y tmux newsboat sqlite3 time).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}
SIZES=${SIZES:-"44 100000 1000000"}
IDLE=${IDLE:-60}
work=$(mktemp -d "${TMPDIR:-/tmp}/aiwatch-floor.XXXXXX")
trap 'rm -rf "$work"' EXIT

ver=$(cd "$root" && git describe --tags --always --dirty 2>/dev/null || echo dev)
(cd "$root" && CGO_ENABLED=1 go build -tags sqlite_fts5 -ldflags "-X main.version=$ver" -o "$work/aiwatch" ./cmd/aiwatch)
echo "aiwatch $ver; $(newsboat --version | head -n 1 | cut -d' ' -f1-2); load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

echo; echo "== 1. cold fetch, 50 feeds x 200 heavy items"
FEEDS=50 ITEMS=200 BIG=0 HEAVY=1 ROUNDS=$ROUNDS AIWATCH=$work/aiwatch "$root/bench/newsboat.sh" | tee "$work/small.txt"
echo; echo "== 2. cold fetch, one feed of 20,000 heavy items (15 MB)"
FEEDS=0 BIG=20000 HEAVY=1 ROUNDS=$ROUNDS AIWATCH=$work/aiwatch "$root/bench/newsboat.sh" | tee "$work/big.txt"
echo; echo "== 3. first screen, idle CPU, store size"
SIZES=$SIZES IDLE=$IDLE ROUNDS=${SCREEN_ROUNDS:-5} AIWATCH=$work/aiwatch "$root/bench/screen.sh" | tee "$work/screen.txt"

# The summary: medians over the rounds, as ratios aiwatch / newsboat.
python3 - "$work/small.txt" "$work/big.txt" "$work/screen.txt" <<'PY'
import re, statistics, sys

def fetch(path):
    rows = [list(map(float, l.split()[1:])) for l in open(path) if l.strip().startswith("result:")]
    if not rows:
        return "-"
    ct = [a / n for a, n, _, _ in rows]
    rss = [ra / rn for _, _, ra, rn in rows]
    ca = statistics.median(r[0] for r in rows)
    ra = statistics.median(r[2] for r in rows) / 1024
    s = (f"cold {ca:.2f} s = x{statistics.median(ct):.2f} newsboat's time ({min(ct):.2f} to {max(ct):.2f}; target <= 0.20), "
         f"peak RSS {ra:.0f} MiB = x{statistics.median(rss):.2f} ({min(rss):.2f} to {max(rss):.2f}; target <= 1)")
    split = [list(map(int, l.split()[1:])) for l in open(path) if l.strip().startswith("split:")]
    if split:
        a, af, n, nf, a0, a0f, _, _ = split[-1]
        s += (f" [anonymous {a / 1024:.0f} MiB = x{a / max(n, 1):.2f} newsboat's, file-backed {af / 1024:.0f} MiB = x{af / max(nf, 1):.2f}; "
              f"aiwatch version alone {(a0 + a0f) / 1024:.0f} MiB]")
    return s

parts = ["50x200 heavy: " + fetch(sys.argv[1]), "20k heavy: " + fetch(sys.argv[2])]
for l in open(sys.argv[3]):
    m = re.match(r"size (\d+): first screen aiwatch (\d+) ms, newsboat (\d+) ms.*?store aiwatch (\d+) MiB, newsboat (\d+) MiB(?:; idle CPU aiwatch ([\d.]+)%, newsboat ([\d.]+)%)?", l)
    if m:
        n, a, nb, sa, sn, ia, inb = m.groups()
        s = f"{n} items: first screen {a} ms (target <= 80) = x{int(a) / max(int(nb), 1):.2f} newsboat's; store {sa} MiB = x{int(sa) / max(int(sn), 1):.2f}"
        if ia:
            s += f"; idle CPU {ia}% (target <= 0.25), newsboat {inb}%"
        parts.append(s)
print("\nsummary: " + " | ".join(parts))
PY
