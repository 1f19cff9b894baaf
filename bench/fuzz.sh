#!/usr/bin/env bash
# Runs every fuzz target in the module, one at a time, for FUZZTIME each
# (default 3m) with PARALLEL workers (default 1, to share a small machine),
# and prints one line per target: how long it ran and whether it found a
# crash. A crasher is kept by go test under the package's testdata/fuzz/.
#
#   bench/fuzz.sh                 # every target, 3m each
#   FUZZTIME=10m bench/fuzz.sh FuzzParse
set -uo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-tags=sqlite_fts5
FUZZTIME=${FUZZTIME:-3m}
PARALLEL=${PARALLEL:-1}
only=${1:-}
summary=()
while read -r file spec; do
	[[ -n $only && $spec != "$only" ]] && continue
	dir=$(dirname "$file")
	log=$(mktemp)
	start=$(date +%s)
	go test -run '^$' -fuzz "^${spec}\$" -fuzztime "$FUZZTIME" -parallel "$PARALLEL" "./$dir" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	if [[ $rc -eq 0 ]]; then
		line="$dir $spec: no finding in $FUZZTIME of fuzzing (${secs}s wall with build, ${execs:-?} execs)"
	else
		line="$dir $spec: FAILED after ${secs}s; see below"
		tail -40 "$log"
	fi
	echo "$line"
	summary+=("$line")
	rm -f "$log"
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | sed 's|^\./||' | while read -r f; do
	grep -ho '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/func //' | while read -r s; do echo "$f $s"; done
done | sort)
printf '\nsummary:\n'
printf '%s\n' "${summary[@]}"
