#!/usr/bin/env bash
# Crash-safety soak: the SIGKILL loop of cmd/aiwatch's
# TestCrashSafetyKillLoop, KILLS times (default 500) instead of CI's 50,
# then the two-process and backup tests COUNT times (default 5). Prints
# the kill figures the tests log.
#
#   bench/soak.sh
#   KILLS=2000 COUNT=20 bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-tags=sqlite_fts5
KILLS=${KILLS:-500}
COUNT=${COUNT:-5}
AIWATCH_KILLS=$KILLS go test -count=1 -timeout 2h -v -run '^TestCrashSafetyKillLoop$' ./cmd/aiwatch/ |
	grep -E 'killed|kills|batches|^(--- |ok|FAIL)'
go test -count="$COUNT" -timeout 1h -v -run '^(TestMarksWhileFetching|TestTwoFetchesAtOnce|TestBackupWhileFetching)$' ./cmd/aiwatch/ |
	grep -E 'marks|backups|^(--- |ok|FAIL)'
