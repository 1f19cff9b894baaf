// Package postgres is aiwatch's team store on PostgreSQL, through pgx v5:
// the same behaviour as store/sqlite (the contract suite in
// store/storetest holds both to it), with marks, watch entries, alerts,
// views and the changes-seen mark kept per user, search by pg_trgm, the
// fetch lock as an advisory lock and changes announced by NOTIFY.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os/user"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aiwatch/aiwatch/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Channel is the LISTEN/NOTIFY channel every committed write notifies.
const Channel = "aiwatch_changes"

// ErrNoExtension is returned when the database lacks pg_trgm and the user
// may not create it.
var ErrNoExtension = errors.New("the database lacks the pg_trgm extension, which aiwatch's search needs")

// Options tune Open.
type Options struct {
	// User owns the marks, watch list, alerts, views and changes-seen
	// mark; "" is the login name.
	User string
	// ReadOnly opens the store without migrating it.
	ReadOnly bool
	// MaxConns bounds the pool; 0 is 8.
	MaxConns int32
	// Migrating, unless nil, is told once before a store written by an
	// older aiwatch is migrated, with the versions: on a large store a
	// migration can take minutes (0005 rewrites the items).
	Migrating func(have, want int)
}

// DB is an open team store.
type DB struct {
	pool *pgxpool.Pool
	user string
	loc  string // the DSN without its password
	// Now returns the current time; tests replace it.
	Now func() time.Time

	ignoreMu sync.Mutex
	ignore   []store.Filter

	counts countCache // per-tag counts for the data version they were read at
}

// IsDSN reports whether s names a PostgreSQL server rather than a file:
// only a postgres:// or postgresql:// URL does. A path never does, even
// one with a colon or an equals sign in it.
func IsDSN(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Redact returns dsn with any password replaced by "xxxxx", for errors,
// lists and logs. Text that does not parse as a URL is replaced whole
// after its scheme, since it may hold a password anywhere.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		if i := strings.Index(dsn, "://"); i >= 0 {
			return dsn[:i+3] + "…"
		}
		return "…"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// DefaultUser is the login name, the user of a store opened without one.
func DefaultUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "aiwatch"
}

// Open connects to the server at dsn, checks it and migrates it to the
// current schema. It refuses, with one clear error and nothing written, a
// server it cannot reach, a wrong password, a database without pg_trgm
// that the user may not add, and a schema written by a newer aiwatch.
func Open(ctx context.Context, dsn string, o Options) (*DB, error) {
	loc := Redact(dsn)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s is not a valid address: %s", loc, redactErr(err, dsn))
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	} else {
		cfg.MaxConns = 8
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	// A short word's search asks the trigram index for the rows that hold
	// it as a whole word (filter.go, searchMatch): strict word similarity
	// 1, every trigram of the padded word.
	cfg.ConnConfig.RuntimeParams["pg_trgm.strict_word_similarity_threshold"] = "1"
	// aiwatch's queries are short, and a large count's plan is costed
	// high enough for JIT compiling, which then takes longer than the
	// query; and a search's bitmap over a common term at 10M items fits
	// work_mem exactly at 32 MB, where at the default 4 MB it turns lossy
	// and each row on a lossy page is checked again.
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	cfg.ConnConfig.RuntimeParams["work_mem"] = "32MB"
	// A capped count of a common search under a firm (store.Filter's
	// CountUpTo) is best read down the firm's tag rows, each item looked
	// up by its key; at the default random_page_cost of 4, costed for
	// spinning disks, the planner hashes every one of the firm's rows
	// instead (0.8 s against 0.2 s at 1M items). 1.1 is the usual figure
	// for SSDs and for a store that fits in memory. A DSN that sets it
	// (random_page_cost=4) keeps its own.
	if _, ok := cfg.ConnConfig.RuntimeParams["random_page_cost"]; !ok {
		cfg.ConnConfig.RuntimeParams["random_page_cost"] = "1.1"
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "aiwatch"
	}
	if o.User == "" {
		o.User = DefaultUser()
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %s", loc, redactErr(err, dsn))
	}
	db := &DB{pool: pool, user: o.User, loc: loc, Now: time.Now}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, db.connectErr(err, dsn)
	}
	if err := db.init(ctx, o); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// connectErr words a failure to connect: the server is not there, or it
// refused the user.
func (db *DB) connectErr(err error, dsn string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return fmt.Errorf("postgres: %s refused the login: %s", db.loc, pe.Message)
		case "3D000":
			return fmt.Errorf("postgres: %s: %s", db.loc, pe.Message)
		}
		return fmt.Errorf("postgres: %s: %s", db.loc, pe.Message)
	}
	var ne net.Error
	if errors.As(err, &ne) || strings.Contains(err.Error(), "connect") {
		return fmt.Errorf("postgres: cannot reach the server at %s: %s", db.loc, redactErr(err, dsn))
	}
	return fmt.Errorf("postgres: %s: %s", db.loc, redactErr(err, dsn))
}

// redactErr is err's text with the DSN's password taken out, on one line:
// pgx puts each address it tried on a line of its own, often the same
// failure twice (IPv4 and IPv6).
func redactErr(err error, dsn string) string {
	var parts []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(parts, l) {
			parts = append(parts, l)
		}
	}
	s := strings.Join(parts, " ")
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			s = strings.ReplaceAll(s, p, "xxxxx")
		}
	}
	return strings.ReplaceAll(s, dsn, Redact(dsn))
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: unable to list migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		var v int
		if _, err := fmt.Sscanf(e.Name(), "%04d_", &v); err != nil {
			return nil, fmt.Errorf("postgres: migration %s is not numbered: %w", e.Name(), err)
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("postgres: unable to read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("postgres: migration %s out of sequence (want %04d)", m.name, i+1)
		}
	}
	return out, nil
}

// migrateLock is the advisory lock key that serialises migrations of one
// database by several processes.
const migrateLock = 0x61697761_00000001 // "aiwa", 1

// schemaVersion reads the version from meta; a database without aiwatch's
// tables is at 0.
func schemaVersion(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (int, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('meta') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	var v string
	err := q.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'schema'`).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(v)
}

func (db *DB) init(ctx context.Context, o Options) error {
	migs, err := migrations()
	if err != nil {
		return err
	}
	newest := migs[len(migs)-1].version
	have, err := schemaVersion(ctx, db.pool)
	if err != nil {
		return db.wrap("read the schema version", err)
	}
	if have > newest {
		return fmt.Errorf("postgres: %s is at schema version %d, this aiwatch knows %d: %w", db.loc, have, newest, store.ErrNewerSchema)
	}
	if have == newest {
		return nil
	}
	if o.ReadOnly {
		return fmt.Errorf("postgres: %s needs migrating and was opened read-only: %w", db.loc, store.ErrReadOnly)
	}
	if have > 0 && o.Migrating != nil {
		o.Migrating(have, newest)
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return db.wrap("migrate the store", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLock)); err != nil {
		return db.wrap("migrate the store", err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(migrateLock))
	for _, m := range migs {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			cur, err := schemaVersion(ctx, tx) // another process may have migrated
			if err != nil || cur >= m.version {
				return err
			}
			if m.version == 1 {
				if err := ensureTrgm(ctx, tx); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			_, err = tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('schema', $1)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, strconv.Itoa(m.version))
			return err
		})
		if errors.Is(err, ErrNoExtension) {
			return fmt.Errorf("postgres: %s: %w; ask its administrator to run CREATE EXTENSION pg_trgm in it (PostgreSQL's contrib package provides it)", db.loc, err)
		}
		if err != nil {
			return db.wrap("migrate the store", err)
		}
	}
	return nil
}

// ensureTrgm makes sure pg_trgm is there, creating it where the server has
// it and the user may.
func ensureTrgm(ctx context.Context, tx pgx.Tx) error {
	var have bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')`).Scan(&have); err != nil || have {
		return err
	}
	if _, err := tx.Exec(ctx, `SAVEPOINT trgm`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE EXTENSION pg_trgm`); err != nil {
		return ErrNoExtension
	}
	return nil
}

// SchemaVersion returns the store's schema version and the newest one this
// build knows.
func (db *DB) SchemaVersion(ctx context.Context) (have, want int, err error) {
	migs, err := migrations()
	if err != nil {
		return 0, 0, err
	}
	have, err = schemaVersion(ctx, db.pool)
	return have, migs[len(migs)-1].version, db.wrap("read the schema version", err)
}

// Path is "": the store is not a file.
func (db *DB) Path() string { return "" }

// Location is the server's address with any password hidden.
func (db *DB) Location() string { return db.loc }

// User is whose marks, watch list, alerts and views this handle reads and
// writes.
func (db *DB) User() string { return db.user }

// Pool is the connection pool, for tests and tools.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close closes the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// tx runs fn in a transaction and commits it, moving the data version and
// notifying Channel in the same transaction, so that a dashboard that
// hears of a change always sees it. It rolls back if fn fails.
func (db *DB) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return bump(ctx, tx)
	})
}

// bump moves the data version and notifies the dashboards.
func bump(ctx context.Context, tx pgx.Tx) error {
	var v string
	if err := tx.QueryRow(ctx, `UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'data_version' RETURNING value`).Scan(&v); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, Channel, v)
	return err
}

// DataVersion changes whenever any process commits a write to the store.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v string
	if err := db.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'data_version'`).Scan(&v); err != nil {
		return 0, db.wrap("read the data version", err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, db.wrap("read the data version", err)
}

// wrap turns a driver error into a clear one, keeping the cause.
func (db *DB) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "53100":
			return fmt.Errorf("postgres: unable to %s: %w", what, store.ErrDiskFull)
		case "25006", "42501":
			return fmt.Errorf("postgres: unable to %s: %s: %w (%s)", what, db.loc, store.ErrReadOnly, pe.Message)
		}
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return fmt.Errorf("postgres: unable to %s: the server at %s did not answer: %w", what, db.loc, err)
	}
	return fmt.Errorf("postgres: unable to %s: %w", what, err)
}

var _ store.Backend = (*DB)(nil)

// errTODO marks a method not written yet.
func errTODO(name string) error {
	return fmt.Errorf("postgres: %s is not available on PostgreSQL yet", name)
}
