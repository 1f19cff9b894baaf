#!/usr/bin/env bash
# newsboat.sh: compare `aiwatch fetch` with `newsboat -x reload` on the
# same feeds, served from 127.0.0.1, in one run. It reports items per
# second (items saved / wall time) and peak memory (maximum resident set
# size from /usr/bin/time -v) of a cold fetch into an empty store or
# cache, then the wall time of the second and third fetches of the same,
# unchanged feeds. The server sends Last-Modified and answers a matching
# If-Modified-Since with 304; aiwatch's second fetch is conditional, but
# newsboat 2.21 stores the validators only from its second reload on
# (newsboat issue #2734), so its third run is the like-for-like warm one.
#
# Usage: bench/newsboat.sh            (from the repository root)
# Knobs (environment):
#   FEEDS=50 ITEMS=200   the small feeds: FEEDS feeds of ITEMS items each
#   BIG=20000            items of the one big feed (0: none)
#   HEAVY=1              heavy items: a headline and about 400 bytes of
#                        English, Chinese and Arabic naming firms (the
#                        20,000-item feed's a little more: 15 MB in all)
#   THREADS=8            aiwatch --concurrency and newsboat reload-threads
#   ROUNDS=2             rounds; the order of the two tools alternates
#   AIWATCH=path         use this binary instead of building one
#   KEEP=1               keep the work directory
#   SPLIT=1              after the rounds, one more cold fetch of each tool,
#                        untimed, sampled every 2 ms for its peak anonymous
#                        memory (heap, stacks, caches) and its peak
#                        file-backed memory (the binary's and libraries'
#                        pages); and the same for each binary doing
#                        nothing (aiwatch version, newsboat --version).
#                        0: skip
#
# Needs python3, newsboat and GNU time (apt-get install -y newsboat time).
# Nothing leaves the machine: the server listens on 127.0.0.1 only.
set -euo pipefail

FEEDS=${FEEDS:-50}
ITEMS=${ITEMS:-200}
BIG=${BIG:-20000}
THREADS=${THREADS:-8}
ROUNDS=${ROUNDS:-2}

root=$(cd "$(dirname "$0")/.." && pwd)
for tool in python3 newsboat /usr/bin/time go; do
	if ! command -v "$tool" >/dev/null; then
		echo "newsboat.sh: $tool is missing (apt-get install -y newsboat time)" >&2
		exit 1
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/aiwatch-newsboat.XXXXXX")
server=""
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
	if [ "${KEEP:-}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

aiwatch=${AIWATCH:-}
if [ -z "$aiwatch" ]; then
	aiwatch=$work/aiwatch
	ver=$(cd "$root" && git describe --tags --always --dirty 2>/dev/null || echo dev)
	(cd "$root" && CGO_ENABLED=1 go build -tags sqlite_fts5 -ldflags "-X main.version=$ver" -o "$aiwatch" ./cmd/aiwatch)
fi

# The feeds: RSS 2.0 with English, Chinese and Arabic items, some naming
# tracked firms so the matcher has work to do, dated over the past weeks.
python3 - "$work/www" "$FEEDS" "$ITEMS" "$BIG" "${HEAVY:-0}" <<'EOF'
import os, sys, time
from email.utils import formatdate
from xml.sax.saxutils import escape

out, feeds, items, big, heavy = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
os.makedirs(out, exist_ok=True)
titles = [
    "Huawei ships Ascend accelerators to {n} data centres",
    "摩尔线程发布第{n}代图形处理器",
    "Cambricon revenue rises for the {n}th quarter",
    "Local weather: {n} mm of rain expected",
    "寒武纪与百度在第{n}届大会上签约",
    "هواوي تطلق {n} منتجات جديدة",
    "SMIC expands capacity by {n} per cent",
    "City council approves {n} new parks",
]
summaries = [
    "The company said demand from model developers kept growing, and export rules were not expected to change shipments.",
    "公司表示，来自大模型企业的需求持续增长，出口管制规则预计不会影响出货。",
    "Analysts expect the results to be confirmed at the annual meeting next month.",
    "قالت الشركة إن الطلب على الرقائق مستمر في النمو هذا العام.",
]
firm_lines = [
    "SenseTime, MiniMax and MetaX joined the Shanghai alliance; Biren and Moore Threads work with Huawei.",
    "华为、壁仞科技和燧原科技加入模型芯片生态创新联盟，商汤科技与阶跃星辰亦有合作。",
    "انضمت شركات هواوي وسينس تايم وميني ماكس إلى التحالف في شنغهاي.",
    "Cambricon and Hygon said Iluvatar CoreX and Enflame would ship new parts to Zhipu and Baidu.",
]
now = time.time()

def write(path, name, n, seed):
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n')
        f.write(f"<title>{escape(name)}</title><link>https://bench.example/{seed}/</link>\n")
        for i in range(n):
            k = seed * 7919 + i
            title = titles[k % len(titles)].format(n=i + 1)
            summary = summaries[k % len(summaries)]
            if heavy:
                # Sentences of the others in turn and one naming firms:
                # about 430 bytes (the big feed's items one more: 15 MB
                # for 20,000).
                more = 1 if seed == 10000 else 0
                summary = " ".join([summaries[(k + j) % len(summaries)] for j in range(3 + more)] + [firm_lines[k % len(firm_lines)]])
            date = formatdate(now - 3600 * 24 * 30 + i * 60 + seed, usegmt=True)
            f.write(f"<item><guid isPermaLink=\"false\">b{seed}-{i}</guid><title>{escape(title)}</title>"
                    f"<link>https://bench.example/{seed}/{i}</link>"
                    f"<description>{escape(summary)}</description><pubDate>{date}</pubDate></item>\n")
        f.write("</channel></rss>\n")

for s in range(feeds):
    write(os.path.join(out, f"feed-{s:03d}.xml"), f"Bench feed {s}", items, s)
if big > 0:
    write(os.path.join(out, "big.xml"), "Bench big feed", big, 10000)
EOF

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
	if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/feed-000.xml')" 2>/dev/null; then break; fi
	sleep 0.1
done

urls=$work/urls
: >"$urls"
for f in "$work"/www/*.xml; do echo "http://127.0.0.1:$port/$(basename "$f")" >>"$urls"; done
nfeeds=$(wc -l <"$urls")
total=$((FEEDS * ITEMS + BIG))
bytes=$(cat "$work"/www/*.xml | wc -c)

python3 - "$urls" "$work/feeds.opml" <<'EOF'
import sys
from xml.sax.saxutils import quoteattr
urls = [u.strip() for u in open(sys.argv[1]) if u.strip()]
with open(sys.argv[2], "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>bench</title></head><body>\n')
    for u in urls:
        f.write(f'<outline type="rss" text={quoteattr(u)} xmlUrl={quoteattr(u)}/>\n')
    f.write("</body></opml>\n")
EOF

# measure NAME LOG CMD...: run CMD under /usr/bin/time -v; print wall
# seconds and peak RSS in KiB.
measure() {
	local log=$1
	shift
	/usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1 || {
		echo "newsboat.sh: $* failed; see below" >&2
		cat "$log" "$log.time" >&2
		exit 1
	}
	python3 - "$log.time" <<'EOF'
import sys
wall = rss = None
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("Elapsed (wall clock) time"):
        parts = [float(p) for p in line.rsplit(" ", 1)[1].split(":")]
        wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    elif line.startswith("Maximum resident set size"):
        rss = int(line.rsplit(" ", 1)[1])
print(f"{wall:.2f} {rss}")
EOF
}

# prepare_aiwatch DIR: a seeded store in DIR with every reference feed
# disabled, plus the bench feeds, and its config file.
prepare_aiwatch() {
	local dir=$1
	mkdir -p "$dir"
	local db=$dir/aiwatch.db
	"$aiwatch" --db "$db" feeds list --json >"$dir/feeds.json"
	python3 -c 'import json, sys; print("\n".join(str(f["id"]) for f in json.load(open(sys.argv[1])) if f["enabled"] and f["kind"] != "builtin"))' "$dir/feeds.json" |
		while read -r id; do "$aiwatch" --db "$db" feeds disable "$id" >/dev/null; done
	"$aiwatch" --db "$db" opml import "$work/feeds.opml" >/dev/null
	# A fetch also updates the sanctions list when it is stale; here it
	# asks the loopback server, which has none (one quick 404), as
	# newsboat has nothing of the kind to do.
	printf 'sanctions:\n  csl_url: http://127.0.0.1:%s/no-csl.csv\n' "$port" >"$dir/config.yml"
}

# newsboat_config DIR: newsboat's config file and home in DIR.
newsboat_config() {
	mkdir -p "$1/home"
	cat >"$1/config" <<EOF
reload-threads $THREADS
max-items 0
download-retries 1
download-timeout 60
EOF
}

run_aiwatch() {
	local dir=$1
	local db=$dir/aiwatch.db
	prepare_aiwatch "$dir"
	# The second and third fetches take --all: the feeds were fetched a
	# moment ago and are not due, and without it aiwatch asks for none.
	read -r cold_wall cold_rss < <(measure "$dir/cold.log" "$aiwatch" --db "$db" --config "$dir/config.yml" fetch --quiet --concurrency "$THREADS")
	read -r again_wall _ < <(measure "$dir/again.log" "$aiwatch" --db "$db" --config "$dir/config.yml" fetch --all --quiet --concurrency "$THREADS")
	read -r warm_wall _ < <(measure "$dir/warm.log" "$aiwatch" --db "$db" --config "$dir/config.yml" fetch --all --quiet --concurrency "$THREADS")
	local line saved
	line=$(grep -E 'new items$' "$dir/cold.log" | tail -n 1)
	saved=$(sed -n 's/.*; \([0-9]*\) new items$/\1/p' <<<"$line")
	echo "aiwatch $cold_wall $cold_rss $again_wall $warm_wall ${saved:-0} $(du -k "$db" | cut -f1)"
	echo "  aiwatch cold: $line" >&2
	echo "  aiwatch 2nd:  $(grep -E 'new items$' "$dir/again.log" | tail -n 1)" >&2
}

run_newsboat() {
	local dir=$1
	newsboat_config "$dir"
	read -r cold_wall cold_rss < <(HOME=$dir/home measure "$dir/cold.log" newsboat -x reload -u "$urls" -c "$dir/cache.db" -C "$dir/config")
	read -r again_wall _ < <(HOME=$dir/home measure "$dir/again.log" newsboat -x reload -u "$urls" -c "$dir/cache.db" -C "$dir/config")
	read -r warm_wall _ < <(HOME=$dir/home measure "$dir/warm.log" newsboat -x reload -u "$urls" -c "$dir/cache.db" -C "$dir/config")
	local saved
	saved=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM rss_item").fetchone()[0])' "$dir/cache.db")
	echo "newsboat $cold_wall $cold_rss $again_wall $warm_wall $saved $(du -k "$dir/cache.db" | cut -f1)"
}

echo "feeds: $nfeeds ($FEEDS × $ITEMS items + one of $BIG), $total items, $((bytes / 1024)) KiB, from 127.0.0.1:$port"
echo "aiwatch $("$aiwatch" version | cut -d' ' -f2) with --concurrency $THREADS; $(newsboat --version | head -n 1 | cut -d' ' -f1-2) with reload-threads $THREADS"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo

for round in $(seq "$ROUNDS"); do
	order="aiwatch newsboat"
	if [ $((round % 2)) = 0 ]; then order="newsboat aiwatch"; fi
	declare -A res=()
	for tool in $order; do
		res[$tool]=$("run_$tool" "$work/round$round/$tool")
	done
	# shellcheck disable=SC2086 # word splitting is wanted here
	python3 - "$round" "$order" ${res[aiwatch]} ${res[newsboat]} <<'EOF'
import sys
rnd, order = sys.argv[1], sys.argv[2]
a = [float(x) for x in sys.argv[4:10]]   # cold s, peak KiB, 2nd s, 3rd s, items, store KiB
n = [float(x) for x in sys.argv[11:17]]
ra, rn = a[4] / max(a[0], 1e-9), n[4] / max(n[0], 1e-9)
print(f"round {rnd} ({order.replace(' ', ' then ')})")
print(f"  {'':9} {'cold s':>7} {'items':>6} {'items/s':>8} {'peak RSS':>10} {'2nd s':>6} {'3rd s':>6} {'store':>9}")
for name, v, r in (("aiwatch", a, ra), ("newsboat", n, rn)):
    print(f"  {name:9} {v[0]:7.2f} {int(v[4]):6d} {r:8.0f} {v[1] / 1024:6.1f} MiB {v[2]:6.2f} {v[3]:6.2f} {v[5] / 1024:5.1f} MiB")
print(f"  aiwatch/newsboat: items/s x{ra / max(rn, 1e-9):.2f}, peak RSS x{a[1] / max(n[1], 1):.2f}, "
      f"3rd-fetch time x{a[3] / max(n[3], 1e-9):.3f}")
# One line for scripts (bench/floor.sh): cold seconds and peak RSS in
# KiB, aiwatch then newsboat.
print(f"  result: {a[0]:.2f} {n[0]:.2f} {int(a[1])} {int(n[1])}")
EOF
	echo
done

# peak CMD...: run CMD, sampling /proc/PID/status every 2 ms; print its
# peak RssAnon and RssFile in KiB. The two peaks need not fall at the
# same moment, so their sum can exceed the peak RSS that time -v reports.
peak() {
	python3 - "$@" <<'EOF'
import subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
anon = file = 0
while p.poll() is None:
    try:
        for line in open(f"/proc/{p.pid}/status"):
            k, _, v = line.partition(":")
            if k == "RssAnon":
                anon = max(anon, int(v.split()[0]))
            elif k == "RssFile":
                file = max(file, int(v.split()[0]))
    except (OSError, ValueError):
        pass
    time.sleep(0.002)
if p.returncode != 0:
    sys.exit(f"newsboat.sh: {' '.join(sys.argv[1:])} failed")
print(anon, file)
EOF
}

if [ "${SPLIT:-1}" != 0 ]; then
	# Where the peak goes: memory the process allocated (anonymous) and
	# pages of files it maps (its binary and libraries; shared, clean, and
	# counted in RSS once touched, in 64 KiB runs by the kernel's fault-around).
	prepare_aiwatch "$work/split/aiwatch"
	newsboat_config "$work/split/newsboat"
	read -r a_anon a_file < <(peak "$aiwatch" --db "$work/split/aiwatch/aiwatch.db" --config "$work/split/aiwatch/config.yml" fetch --quiet --concurrency "$THREADS")
	read -r n_anon n_file < <(HOME=$work/split/newsboat/home peak newsboat -x reload -u "$urls" -c "$work/split/newsboat/cache.db" -C "$work/split/newsboat/config")
	read -r a0_anon a0_file < <(peak "$aiwatch" version)
	read -r n0_anon n0_file < <(peak newsboat --version)
	mib() { python3 -c "print('%.1f' % ($1 / 1024))"; }
	echo "peak memory of one more cold fetch (anonymous + file-backed):"
	echo "  aiwatch   $(mib "$a_anon") + $(mib "$a_file") MiB   (aiwatch version alone: $(mib "$a0_anon") + $(mib "$a0_file") MiB)"
	echo "  newsboat  $(mib "$n_anon") + $(mib "$n_file") MiB   (newsboat --version alone: $(mib "$n0_anon") + $(mib "$n0_file") MiB)"
	echo "  split: $a_anon $a_file $n_anon $n_file $a0_anon $a0_file $n0_anon $n0_file"
fi
