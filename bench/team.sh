#!/usr/bin/env bash
# team.sh: the team store's figures (product issue 17), PostgreSQL beside
# SQLite in one run:
#
#   1. ingest: BenchmarkIngest{,PG}{50x200,20k}, a fetch of 50 feeds of 200
#      heavy items and of one feed of 20,000, from loopback, into a new
#      store each time;
#   2. the dashboard at SIZE items (default 1M) while DASHBOARDS (20)
#      dashboards are open on the same store, each in a tmux pane of a
#      private server, and one fetcher writes new items into it every
#      few seconds: BenchmarkFirstFrame/…/terminal (open the store and draw
#      the first frame with its data) and BenchmarkFilterKeystroke (p95 of
#      a filter keystroke to the next view), for each backend in turn.
#
# The PostgreSQL server is a throwaway cluster started by .ci/pg.sh, with
# commits that do not wait for the disk, as SQLite's WAL mode with
# synchronous=NORMAL (aiwatch's setting) does not either; with
# $AIWATCH_BENCH_PG set, that server is used instead. The stores are
# built once and kept: the SQLite ones in the temporary folder, the
# PostgreSQL ones (migrated from them) as databases aiwatch_bench_N_v1.
#
# Usage: bench/team.sh                   (from the repository root)
# Knobs: ROUNDS=3  SIZE=1M (or 100k, or 10M with BACKENDS=1)  DASHBOARDS=20
#        KEYROUNDS=2  SKIP_INGEST=1
#        BACKENDS="0 1" (0: SQLite, 1: PostgreSQL)
# Needs tmux and python3.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${AIWATCH_BENCH_PG:-}" ] && [ -z "${TEAM_SH_INSIDE:-}" ]; then
	unset AIWATCH_TEST_PG
	export TEAM_SH_INSIDE=1 AIWATCH_PG_OPTS="-c synchronous_commit=off -c shared_buffers=256MB -c max_connections=300"
	exec "$root/.ci/pg.sh" "$0" "$@"
fi
export AIWATCH_BENCH_PG=${AIWATCH_BENCH_PG:-$AIWATCH_TEST_PG}
unset AIWATCH_REQUIRE_PG
ROUNDS=${ROUNDS:-3}
SIZE=${SIZE:-1M}
DASHBOARDS=${DASHBOARDS:-20}
export GOFLAGS=-tags=sqlite_fts5 CGO_ENABLED=1

work=$(mktemp -d "${TMPDIR:-/tmp}/aiwatch-team.XXXXXX")
sock=aiwatch-team-$$
pids=()
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
go build -o "$work/aiwatch" ./cmd/aiwatch
go test -c -o "$work/bench.test" ./cmd/aiwatch
bench() { (cd "$root/cmd/aiwatch" && "$work/bench.test" -test.run '^$' -test.timeout 3h "$@"); }

# stat NAME METRIC FILE: median and range of a benchmark's metric.
stat() {
	grep -E "^Benchmark$1-[0-9]+ " "$3" | awk -v m="$2" '{for (i = 2; i < NF; i++) if ($(i + 1) == m) print $i}' |
		sort -g | awk '{a[NR] = $1} END {if (NR) printf "%s (%s to %s, n=%d)", a[int((NR + 1) / 2)], a[1], a[NR], NR; else printf "-"}'
}

summary=()
if [ -z "${SKIP_INGEST:-}" ]; then
	echo "== ingest, $ROUNDS rounds"
	bench -test.bench 'Ingest(PG)?(50x200|20k)$' -test.count "$ROUNDS" 2>&1 | tee "$work/ingest.txt" || true
	for f in 50x200 20k; do
		summary+=("ingest $f: SQLite $(stat "Ingest$f" items/s "$work/ingest.txt") items/s; PostgreSQL $(stat "IngestPG$f" items/s "$work/ingest.txt") items/s")
	done
fi

echo "== building the $SIZE stores (once; kept for later runs)"
bench -test.bench "FirstFrame/(pg-)?$SIZE/terminal\$" -test.benchtime 1x >/dev/null
# (Above 1M items there is no SQLite store: the PostgreSQL one is built
# on the server as copies of the 1M one; run those with BACKENDS=1.)
dbs=("$(ls "${TMPDIR:-/tmp}"/aiwatch-bench-"$(echo "$SIZE" | sed 's/M$/000000/; s/k$/000/')"-v1.db 2>/dev/null || true)")
dbs+=("$(python3 -c 'import sys, urllib.parse as u; s = u.urlsplit(sys.argv[1]); print(u.urlunsplit(s._replace(path="/aiwatch_bench_" + sys.argv[2] + "_v1")))' "$AIWATCH_BENCH_PG" "$(echo "$SIZE" | sed 's/M$/000000/; s/k$/000/')")")

# A feed that has new items each time it is read, for the fetcher.
mkdir -p "$work/www"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$port" >"$work/server.log" 2>&1 <<'PY' &
import http.server, sys, time
n = [0]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        n[0] += 1
        items = "".join(f"<item><guid>live-{n[0]}-{i}</guid><title>Huawei and Biren news {n[0]}.{i}</title><link>https://live.example/{n[0]}/{i}</link><pubDate>{time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime())}</pubDate><description>华为 摩尔线程 update {i}</description></item>" for i in range(20))
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title>{items}</channel></rss>'.encode()
        self.send_response(200); self.send_header("Content-Type", "application/rss+xml"); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
pids+=($!)

for i in ${BACKENDS:-0 1}; do
	db=${dbs[$i]}
	name=$([ "$i" = 0 ] && echo SQLite || echo PostgreSQL)
	prefix=$([ "$i" = 0 ] && echo "" || echo "pg-")
	echo "== $name, $SIZE items, $DASHBOARDS dashboards open and a fetcher writing"
	AIWATCH_DB=$db "$work/aiwatch" feeds add "http://127.0.0.1:$port/live.xml" --title Live >/dev/null 2>&1 || true
	tmux -L "$sock" new -d -s load -x 120 -y 40 "AIWATCH_USER=u0 AIWATCH_DB='$db' $work/aiwatch"
	for d in $(seq 1 $((DASHBOARDS - 1))); do
		tmux -L "$sock" new-window -t load "AIWATCH_USER=u$d AIWATCH_DB='$db' $work/aiwatch"
	done
	(while :; do AIWATCH_DB=$db "$work/aiwatch" fetch --all >/dev/null 2>&1; sleep 3; done) &
	fetcher=$!
	pids+=("$fetcher")
	sleep 10
	bench -test.bench "FirstFrame/^$prefix$SIZE\$/^terminal\$" -test.count "$ROUNDS" 2>&1 | tee "$work/dash-$i.txt" || true
	# Each round types the query and deletes it (26 keystrokes, each
	# measured); the debounce waits between them are not timed, so a
	# time budget would run for ever: KEYROUNDS rounds per count.
	bench -test.bench "FilterKeystroke/^$prefix$SIZE\$" -test.benchtime "${KEYROUNDS:-2}x" -test.count "$ROUNDS" 2>&1 | tee -a "$work/dash-$i.txt" || true
	kill "$fetcher" 2>/dev/null || true
	tmux -L "$sock" kill-server 2>/dev/null || true
	summary+=("$name $SIZE, $DASHBOARDS dashboards + a fetcher: first frame $(stat "FirstFrame/$prefix$SIZE/terminal" ms/frame "$work/dash-$i.txt") ms; filter keystroke p95 $(stat "FilterKeystroke/$prefix$SIZE" p95-ms "$work/dash-$i.txt") ms")
done

printf '\nsummary:\n'
printf '%s\n' "${summary[@]}"
