#!/usr/bin/env bash
# .ci/pg.sh CMD...: run CMD with a throwaway PostgreSQL server for the
# team store's tests, then stop the server, even when CMD fails.
#
# - With $AIWATCH_TEST_PG already set (a developer's own server), CMD runs
#   against it and nothing is started.
# - Otherwise PostgreSQL comes from Debian's packages when it is missing
#   (as root, without a terminal, as CI runs), and a cluster is made in a
#   temporary directory, owned by the postgres user when run as root,
#   listening only on a Unix socket in another temporary directory.
#   CMD then runs with AIWATCH_TEST_PG naming it and AIWATCH_REQUIRE_PG=1,
#   so that a PostgreSQL test cannot skip itself.
# - Where PostgreSQL cannot be had, a banner says so loudly and CMD runs
#   without it: the PostgreSQL tests skip, each saying so.
set -uo pipefail

if [ -n "${AIWATCH_TEST_PG:-}" ]; then
	echo "pg.sh: using the PostgreSQL server in \$AIWATCH_TEST_PG"
	exec "$@"
fi

banner() {
	echo "################################################################"
	echo "## NO POSTGRESQL: $*"
	echo "## The PostgreSQL tests are SKIPPED; only SQLite is tested."
	echo "################################################################"
}

# pgbin finds a PostgreSQL program: on PATH, else in Debian's versioned
# directory (the newest), where the packages put it.
pgbin() {
	if command -v "$1" >/dev/null 2>&1; then
		command -v "$1"
		return
	fi
	ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}

install_pg() {
	[ "$(id -u)" = 0 ] || return 1
	command -v apt-get >/dev/null 2>&1 || return 1
	echo "pg.sh: installing PostgreSQL from Debian's packages"
	# Debian's own cluster is not wanted: ours lives in a temporary directory.
	if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
		mkdir -p /etc/postgresql-common
		echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
	fi
	export DEBIAN_FRONTEND=noninteractive
	(apt-get update -qq && apt-get install -y -qq postgresql postgresql-contrib) >/dev/null 2>&1
}

if [ -z "$(pgbin initdb)" ] || [ -z "$(pgbin pg_ctl)" ]; then
	install_pg || true
fi
INITDB=$(pgbin initdb)
PGCTL=$(pgbin pg_ctl)
if [ -z "$INITDB" ] || [ -z "$PGCTL" ]; then
	banner "initdb and pg_ctl are not installed, and could not be (apt-get install postgresql postgresql-contrib as root)"
	exec "$@"
fi

# as runs a command as the cluster's owner: postgres when we are root
# (PostgreSQL refuses to run as root), else ourselves.
if [ "$(id -u)" = 0 ]; then
	if ! id postgres >/dev/null 2>&1; then
		banner "running as root and there is no postgres user to run the server as"
		exec "$@"
	fi
	as() { runuser -u postgres -- "$@"; }
else
	as() { "$@"; }
fi

DATA=$(mktemp -d "${TMPDIR:-/tmp}/aiwatch-pgdata.XXXXXX")
SOCK=$(mktemp -d /tmp/aiwatch-pgsock.XXXXXX) # short: a socket path has a length limit
LOG="$DATA.log"
if [ "$(id -u)" = 0 ]; then
	chown postgres: "$DATA" "$SOCK"
	touch "$LOG" && chown postgres: "$LOG"
fi

started=""
cleanup() {
	if [ -n "$started" ]; then
		as "$PGCTL" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$DATA" "$SOCK" "$LOG"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! as "$INITDB" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOG" 2>&1; then
	cat "$LOG"
	banner "initdb failed (see above)"
	"$@"
	exit $?
fi
# Tests need no durability; bench/team.sh asks for SQLite's (a commit
# that does not wait for the disk) through $AIWATCH_PG_OPTS.
if ! as "$PGCTL" -D "$DATA" -l "$LOG" -o "-k $SOCK -c listen_addresses='' -c max_connections=200 ${AIWATCH_PG_OPTS:--c fsync=off}" -w start >/dev/null; then
	cat "$LOG"
	banner "the server did not start (see above)"
	"$@"
	exit $?
fi
started=1
echo "pg.sh: PostgreSQL $("$(pgbin postgres)" -V | awk '{print $3}') on $SOCK (data in $DATA)"

export AIWATCH_TEST_PG="postgres://postgres@/postgres?host=$SOCK"
export AIWATCH_REQUIRE_PG=1
"$@"
