package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// ErrFetchRunning is returned by LockFetch when another process holds the
// fetch lock and the caller would not wait.
var ErrFetchRunning = errors.New("another aiwatch fetch is running")

// The fetch lock is the advisory lock (fetchLockClass, fetchLockObj) of
// the database: two int4 keys, so that pg_locks shows them as classid and
// objid. The class is "aiwa", as the migration lock's high half.
const (
	fetchLockClass = 0x61697761
	fetchLockObj   = 2
)

// lockApp is what the lock's connection calls itself in
// pg_stat_activity, so that a second fetcher can name the first.
func lockApp() string {
	host, _ := os.Hostname()
	s := "aiwatch fetch pid " + strconv.Itoa(os.Getpid())
	if host != "" {
		s += " on " + host
	}
	return s
}

// LockFetch takes the fetch lock, so that two fetches never run against
// one store at once, whichever machines they run on. It waits for the
// lock when wait is set (until ctx ends); otherwise, when another process
// holds it, the error wraps ErrFetchRunning and names the holder: its
// process and host, as its connection told the server. The lock is held
// by a connection of its own, outside the pool, and goes with it: unlock
// closes it, and the server drops it if the holder dies.
func (db *DB) LockFetch(ctx context.Context, wait bool) (unlock func(), err error) {
	cfg := db.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = lockApp()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, db.wrap("take the fetch lock", err)
	}
	release := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn.Exec(ctx, `SELECT pg_advisory_unlock($1, $2)`, int32(fetchLockClass), int32(fetchLockObj))
		conn.Close(ctx)
	}
	if wait {
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, int32(fetchLockClass), int32(fetchLockObj)); err != nil {
			conn.Close(context.Background())
			if ctx.Err() != nil {
				return nil, fmt.Errorf("postgres: unable to take the fetch lock: %w", ctx.Err())
			}
			return nil, db.wrap("take the fetch lock", err)
		}
		return release, nil
	}
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, int32(fetchLockClass), int32(fetchLockObj)).Scan(&got); err != nil {
		conn.Close(context.Background())
		return nil, db.wrap("take the fetch lock", err)
	}
	if got {
		return release, nil
	}
	holder := db.lockHolder(ctx, conn)
	conn.Close(context.Background())
	return nil, fmt.Errorf("%w on this store (%s)", ErrFetchRunning, holder)
}

// lockHolder describes the session that holds the fetch lock.
func (db *DB) lockHolder(ctx context.Context, conn *pgx.Conn) string {
	var (
		app, addr string
		pid       int32
		since     time.Time
	)
	err := conn.QueryRow(ctx, `SELECT coalesce(a.application_name, ''), coalesce(host(a.client_addr), ''), a.pid, a.backend_start
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		LIMIT 1`, int64(fetchLockClass), int64(fetchLockObj)).Scan(&app, &addr, &pid, &since)
	if err != nil {
		return "holder unknown"
	}
	var b strings.Builder
	if rest, ok := strings.CutPrefix(app, "aiwatch fetch "); ok {
		b.WriteString(rest) // "pid 123 on host"
	} else {
		fmt.Fprintf(&b, "server process %d", pid)
		if app != "" {
			fmt.Fprintf(&b, ", %s", app)
		}
	}
	if addr != "" {
		fmt.Fprintf(&b, ", from %s", addr)
	}
	fmt.Fprintf(&b, ", since %s", since.Local().Format("15:04:05"))
	return store.CleanLine(b.String(), 200) // the name is the other client's to choose
}
