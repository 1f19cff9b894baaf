#!/usr/bin/env bash
# screen.sh: the dashboard's first screen and idle cost, against newsboat,
# in one run. For each store size it fills an aiwatch store and a newsboat
# cache with the same generated items (served from 127.0.0.1), then:
#
#   - first screen: the time from starting the program in a tmux pane to
#     the moment tmux reads the output that shows its content (aiwatch:
#     the alliances pane with an alliance's name; newsboat: its feed
#     list), as a tmux control client is told of it,
#     ROUNDS times each, the two tools in turn; the floor is the same
#     measure of a shell script that prints one line;
#   - idle CPU: the CPU time the open program used over IDLE seconds with
#     nothing happening (from /proc/PID/stat), as a share of one core;
#   - aiwatch only: how long another process's write (aiwatch read) takes
#     to show on the open dashboard.
#
# It ends with one summary line per size with the ratios.
#
# Usage: bench/screen.sh                 (from the repository root)
# Knobs (environment):
#   SIZES="44 100000"   item counts (1000000 works; allow a few minutes)
#   ROUNDS=5            first-screen runs per tool and size
#   IDLE=60             seconds of idle measurement (0: skip)
#   AIWATCH=path        use this binary instead of building one
#   KEEP=1              keep the work directory
#
# Needs python3, tmux and newsboat (apt-get install -y tmux newsboat).
# Its tmux server is a private one (-L), so other sessions are left alone.
set -euo pipefail

SIZES=${SIZES:-"44 100000"}
ROUNDS=${ROUNDS:-5}
IDLE=${IDLE:-60}

root=$(cd "$(dirname "$0")/.." && pwd)
for tool in python3 tmux newsboat go; do
	if ! command -v "$tool" >/dev/null; then
		echo "screen.sh: $tool is missing (apt-get install -y tmux newsboat)" >&2
		exit 1
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/aiwatch-screen.XXXXXX")
sock=aiwatch-screen-$$
server=""
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
	if [ "${KEEP:-}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

aiwatch=${AIWATCH:-}
if [ -z "$aiwatch" ]; then
	aiwatch=$work/aiwatch
	(cd "$root" && CGO_ENABLED=1 go build -tags sqlite_fts5 -o "$aiwatch" ./cmd/aiwatch)
fi

mkdir -p "$work/www"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$port" >"$work/server.log" 2>&1 &
server=$!

# gen N FILE PART: one RSS feed of N items in English, Chinese and Arabic.
gen() {
	python3 - "$1" "$2" "$3" <<'EOF'
import sys, time
from email.utils import formatdate
from xml.sax.saxutils import escape
n, path, part = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
titles = ["Huawei ships Ascend accelerators to {n} data centres", "摩尔线程发布第{n}代图形处理器",
          "Cambricon revenue rises for the {n}th quarter", "هواوي تطلق {n} منتجات جديدة"]
now = time.time()
with open(path, "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Bench</title><link>https://bench.example/</link>\n')
    for i in range(n):
        f.write(f'<item><guid isPermaLink="false">p{part}-{i}</guid><title>{escape(titles[i % 4].format(n=i + 1))}</title>'
                f'<link>https://bench.example/{part}/{i}</link><description>Item {i}.</description>'
                f'<pubDate>{formatdate(now - 86400 * 30 + i, usegmt=True)}</pubDate></item>\n')
    f.write("</channel></rss>\n")
EOF
}

# first CMD PATTERN: ms from starting CMD in a pane to PATTERN on screen.
# A tmux control client (-C) is told of every byte the pane writes, the
# moment tmux reads it, so nothing polls: a loop of capture-pane calls
# would start hundreds of processes a second beside the program under
# test, on the same cores (it added about 25 ms to aiwatch's first screen
# on the 2-core test machine, whose start-up runs on several threads).
first() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	tmux -L "$sock" -f /dev/null new -d -s s -x 120 -y 40 "sleep 0.3; date +%s%N > $work/start; exec $1"
	python3 - "$sock" "$2" "$work/start" <<'EOF'
import re, subprocess, sys, time
sock, pattern, startfile = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
client = subprocess.Popen(["tmux", "-L", sock, "-C", "attach", "-t", "s"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
client.stdin.write(b"refresh-client -C 120x40\n")
client.stdin.flush()
seen, end, deadline = b"", None, time.time() + 30
octal = re.compile(rb"\\([0-7]{3})")
while time.time() < deadline:
    line = client.stdout.readline()
    if not line:
        break
    if line.startswith(b"%output "):
        seen += octal.sub(lambda m: bytes([int(m.group(1), 8)]), line.rstrip(b"\n").split(b" ", 2)[2])
        if pattern in seen:
            end = time.time_ns()
            break
client.kill()
if end is None:
    print(f"screen.sh: {pattern.decode()!r} never showed", file=sys.stderr)
    print(999999)
else:
    print((end - int(open(startfile).read())) // 1_000_000)
EOF
	rm -f "$work/start"
	tmux -L "$sock" kill-server 2>/dev/null || true
}

# idle CMD PATTERN: the share of one core CMD uses over IDLE s, once drawn.
idle() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	tmux -L "$sock" new -d -s i -x 120 -y 40 "exec $1"
	for _ in $(seq 300); do tmux -L "$sock" capture-pane -p -t i | grep -q "$2" && break; sleep 0.05; done
	sleep 2
	local pid a b
	pid=$(tmux -L "$sock" list-panes -t i -F '#{pane_pid}')
	a=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	sleep "$IDLE"
	b=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	echo "$pid $(python3 -c "print('%.2f' % (($b - $a) / $(getconf CLK_TCK) / $IDLE * 100))")"
}

# stats: median and range of the numbers on stdin.
stats() { sort -n | awk '{a[NR] = $1} END {printf "%d ms (%d to %d)", a[int((NR + 1) / 2)], a[1], a[NR]}'; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

printf '#!/bin/sh\necho floor-line\nexec sleep 60\n' >"$work/floor.sh"
chmod +x "$work/floor.sh"
summary=()
for n in $SIZES; do
	# Feeds of at most 20,000 items: aiwatch reads at most 25,000 from one,
	# and a million items are far over the default body cap.
	parts=$(((n + 19999) / 20000))
	db=$work/aiwatch-$n.db
	"$aiwatch" --db "$db" feeds list >/dev/null
	python3 - "$db" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE feeds SET enabled = 0"); c.commit()
EOF
	nb=$work/newsboat-$n
	mkdir -p "$nb"
	: >"$nb/urls"
	printf 'feeds:\n  max_body: 1GiB\n  timeout: 10m\n' >"$work/config.yml"
	if [ "$n" != 44 ]; then
		for p in $(seq "$parts"); do
			m=$((n - (p - 1) * 20000))
			m=$((m > 20000 ? 20000 : m))
			gen "$m" "$work/www/bench-$n-$p.xml" "$p"
			url=http://127.0.0.1:$port/bench-$n-$p.xml
			"$aiwatch" --db "$db" --config "$work/config.yml" feeds add "$url" --title "Bench $p" >/dev/null
			echo "$url" >>"$nb/urls"
		done
	else
		gen 44 "$work/www/bench-44.xml" 1
		echo "http://127.0.0.1:$port/bench-44.xml" >>"$nb/urls"
	fi
	printf 'max-items 0\nshow-read-feeds yes\n' >"$nb/config"
	newsboat -u "$nb/urls" -c "$nb/cache.db" -C "$nb/config" -x reload >/dev/null 2>&1
	items=$("$aiwatch" --db "$db" check 2>/dev/null | grep -o 'items [0-9]*' | head -1 || true)
	echo "size $n: aiwatch store ${items:-?}, $(du -h "$db" | cut -f1); newsboat cache $(du -h "$nb/cache.db" | cut -f1)"
	astore=$(du -k "$db" | cut -f1)
	nstore=$(du -k "$nb/cache.db" | cut -f1)
	# What the store is made of: its tables and indexes by size (SQLite's
	# dbstat, in the sqlite3 shell), the full-text index's parts together.
	if command -v sqlite3 >/dev/null; then
		echo "  aiwatch store by part (MiB):" $(sqlite3 "$db" "SELECT CASE WHEN name LIKE 'items_fts%' THEN 'full-text index (trigram)' WHEN name LIKE 'items_words%' THEN 'word index' ELSE name END AS part, printf('%.1f', sum(pgsize) / 1048576.0) FROM dbstat GROUP BY part ORDER BY sum(pgsize) DESC LIMIT 8" | tr '|\n' '= ')
		echo "  newsboat cache by part (MiB):" $(sqlite3 "$nb/cache.db" "SELECT name, printf('%.1f', sum(pgsize) / 1048576.0) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 5" | tr '|\n' '= ')
	fi

	: >"$work/a" ; : >"$work/n"; : >"$work/f"
	for r in $(seq "$ROUNDS"); do
		if [ $((r % 2)) = 1 ]; then
			first "$aiwatch --db $db" "Model-Chip" >>"$work/a"
			first "newsboat -u $nb/urls -c $nb/cache.db -C $nb/config" "Your feeds" >>"$work/n"
		else
			first "newsboat -u $nb/urls -c $nb/cache.db -C $nb/config" "Your feeds" >>"$work/n"
			first "$aiwatch --db $db" "Model-Chip" >>"$work/a"
		fi
		first "$work/floor.sh" "floor-line" >>"$work/f"
	done
	echo "  first screen: aiwatch $(stats <"$work/a"), newsboat $(stats <"$work/n"), floor $(stats <"$work/f")"
	am=$(median <"$work/a")
	nm=$(median <"$work/n")
	line="size $n: first screen aiwatch ${am} ms, newsboat ${nm} ms, ratio $(python3 -c "print('%.2f' % ($am / max($nm, 1)))"); store aiwatch $((astore / 1024)) MiB, newsboat $((nstore / 1024)) MiB"

	if [ "$IDLE" -gt 0 ]; then
		read -r pid acpu < <(idle "$aiwatch --db $db" "Model-Chip")
		# Another process's write, while the dashboard is open.
		id=$("$aiwatch" --db "$db" items --limit 1 --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
		before=$(tmux -L "$sock" capture-pane -p -t i)
		t0=$(date +%s%N)
		"$aiwatch" --db "$db" read "$id" >/dev/null
		shown=""
		for _ in $(seq 1000); do
			now=$(tmux -L "$sock" capture-pane -p -t i)
			if [ "$now" != "$before" ]; then shown=$((($(date +%s%N) - t0) / 1000000)); break; fi
			sleep 0.005
		done
		tmux -L "$sock" kill-server 2>/dev/null || true
		read -r _ ncpu < <(idle "newsboat -u $nb/urls -c $nb/cache.db -C $nb/config" "Your feeds")
		tmux -L "$sock" kill-server 2>/dev/null || true
		echo "  idle CPU over ${IDLE} s: aiwatch ${acpu}%, newsboat ${ncpu}%; another process's write shown after ${shown:-never (>5 s)} ms"
		line+="; idle CPU aiwatch ${acpu}%, newsboat ${ncpu}%; a write shown in ${shown:-?} ms"
	fi
	summary+=("$line")
done
printf '\nsummary:\n'
printf '%s\n' "${summary[@]}"
