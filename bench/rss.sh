#!/usr/bin/env bash
# Peak RSS and time of aiwatch fetch on each hostile feed of
# cmd/aiwatch's TestHostileFeeds (and the item flood, and all of them at
# once), as the tests measure them: through a small launcher process, so
# that the figure is aiwatch's own (see rssFileEnv in
# cmd/aiwatch/reliability_test.go).
#
#   bench/rss.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-tags=sqlite_fts5
go test -count=1 -v -run '^(TestHostileFeeds|TestHostileFeedsAtOnce|TestHostileItemFlood)$' ./cmd/aiwatch/ |
	grep -E 'peak RSS|^(--- |ok|FAIL)' | sed 's/^ *reliability_hostile_test.go:[0-9]*: //' | sort
