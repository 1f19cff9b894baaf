// Package sqlite is aiwatch's store on SQLite (mattn/go-sqlite3 with
// FTS5): opening and refusing bad files, numbered embedded migrations,
// seeding from the reference dataset, and every query. Build with the
// sqlite_fts5 tag; the Makefile sets it.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/mattn/go-sqlite3"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Errors that callers branch on.
var (
	// ErrNewerSchema is returned for a store written by a newer aiwatch.
	ErrNewerSchema = store.ErrNewerSchema
	// ErrNotDatabase is returned for a file that is not an SQLite database.
	ErrNotDatabase = errors.New("not an SQLite database")
	// ErrCorrupt is returned for a damaged database file.
	ErrCorrupt = errors.New("the store is damaged")
	// ErrNoFTS5 is returned when the binary was built without FTS5.
	ErrNoFTS5 = errors.New("this binary was built without SQLite FTS5: rebuild with the build tag sqlite_fts5 (make build does this)")
	// ErrReadOnly is returned when the store cannot be written.
	ErrReadOnly = store.ErrReadOnly
	// ErrDiskFull is returned when the disk holding the store is full.
	ErrDiskFull = store.ErrDiskFull
)

// BusyTimeout is how long a writer waits for another process's write
// transaction before giving up.
const BusyTimeout = 30 * time.Second

// DB is an open aiwatch store.
type DB struct {
	db   *sql.DB
	path string

	verMu   sync.Mutex
	verConn *sql.Conn // pinned for PRAGMA data_version

	// writeMu lets one write transaction of this process at a time ask
	// for SQLite's write lock, so that goroutines queue here instead of
	// sleeping in SQLite's busy handler. Other processes still meet the
	// busy timeout.
	writeMu sync.Mutex
	// writeConn is the connection every write transaction uses, under
	// writeMu: its page cache stays warm from one to the next, where a
	// pooled connection would start cold after another's write.
	writeConn *sql.Conn
	// stmts are the write path's statements, prepared once: preparing a
	// statement of many rows costs more than running it.
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt
	// The group writer of RecordFetch, started by its first call.
	writerOnce sync.Once
	closeOnce  sync.Once
	jobs       chan *writeJob
	quit       chan struct{} // closed by Close
	writerDone chan struct{}
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// ignore holds the conditions of each ignore rule (SetIgnore).
	ignore      [][]cond
	ignoreCache ignoreCache
}

// Options tune Open.
type Options struct {
	// ReadOnly opens the store without writing, migrating or creating it.
	ReadOnly bool
	// SoftHeapLimit, when positive, caps in bytes what SQLite holds in
	// this process, page caches included. Each connection keeps its own
	// cache, and a long-running reader such as the dashboard would grow by
	// tens of megabytes as it browses a large store. The limit is SQLite's
	// soft heap limit, which is process-wide.
	SoftHeapLimit int64
}

// Open opens (creating if needed) the store at path and migrates it to the
// current schema. It refuses, without writing anything, a file that is
// not SQLite, a damaged file, a store from a newer aiwatch, and a binary
// built without FTS5.
func Open(path string, opts ...Options) (*DB, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if err := checkFTS5(); err != nil {
		return nil, err
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	if !o.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("sqlite: unable to create the store's folder: %w", err)
		}
	}
	mode := "rwc"
	if o.ReadOnly {
		mode = "ro"
	}
	dsn := fmt.Sprintf("file:%s?mode=%s&_foreign_keys=on&_busy_timeout=%d&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate&_cache_size=-32000",
		escapePath(path), mode, BusyTimeout.Milliseconds())
	sdb, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: unable to open %s: %w", path, err)
	}
	sdb.SetMaxOpenConns(8)
	sdb.SetConnMaxIdleTime(time.Minute)
	db := &DB{db: sdb, path: path, Now: time.Now, quit: make(chan struct{})}
	if err := db.init(o); err != nil {
		sdb.Close()
		return nil, err
	}
	if o.SoftHeapLimit > 0 {
		if _, err := sdb.Exec(fmt.Sprintf("PRAGMA soft_heap_limit = %d", o.SoftHeapLimit)); err != nil {
			sdb.Close()
			return nil, fmt.Errorf("sqlite: unable to bound SQLite's memory: %w", err)
		}
	}
	return db, nil
}

func escapePath(p string) string {
	r := strings.NewReplacer("?", "%3f", "#", "%23", "%", "%25")
	return r.Replace(p)
}

// checkHeader refuses, before SQLite touches it, a non-empty file that
// does not start with the SQLite magic string.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: unable to open %s: %w", path, err)
	}
	defer f.Close()
	var hdr [16]byte
	n, err := io.ReadFull(f, hdr[:])
	if n == 0 {
		return nil // an empty file becomes a new store
	}
	if err != nil || string(hdr[:]) != "SQLite format 3\x00" {
		return fmt.Errorf("sqlite: %s: %w", path, ErrNotDatabase)
	}
	return nil
}

// checkFTS5 refuses, before any file is touched, a binary whose SQLite
// lacks FTS5.
func checkFTS5() error {
	mem, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return fmt.Errorf("sqlite: unable to start SQLite: %w", err)
	}
	defer mem.Close()
	var fts int
	if err := mem.QueryRow("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&fts); err != nil {
		return fmt.Errorf("sqlite: unable to check the SQLite build: %w", err)
	}
	if fts != 1 {
		return ErrNoFTS5
	}
	return nil
}

func (db *DB) init(o Options) error {
	ctx := context.Background()
	var version int
	if err := db.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return db.wrap("read the schema version", err)
	}
	migs, err := migrations()
	if err != nil {
		return err
	}
	newest := latest(migs)
	if version > newest {
		return fmt.Errorf("sqlite: %s is at schema version %d, this aiwatch knows %d: %w", db.path, version, newest, ErrNewerSchema)
	}
	if version == newest || o.ReadOnly {
		if version < newest {
			return fmt.Errorf("sqlite: %s needs migrating and was opened read-only: %w", db.path, ErrReadOnly)
		}
		return nil
	}
	return db.migrate(ctx, version, migs)
}

// migrationCode holds the Go side of a migration, by version: work SQL
// cannot do, run in the migration's transaction before and after its SQL.
var migrationCode = map[int]struct {
	before, after func(context.Context, *sql.Tx) error
}{
	13: {before: addStoryColumns, after: regroupAll},
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: unable to list migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		var v int
		if _, err := fmt.Sscanf(e.Name(), "%04d_", &v); err != nil {
			return nil, fmt.Errorf("sqlite: migration %s is not numbered: %w", e.Name(), err)
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("sqlite: unable to read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	// The numbers run 1, 2, 3… with no gap: a store at version N has had
	// exactly the first N.
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("sqlite: migration %s out of sequence (want %04d)", m.name, i+1)
		}
	}
	return out, nil
}

// latest is the schema version after all of migs.
func latest(migs []migration) int {
	if len(migs) == 0 {
		return 0
	}
	return migs[len(migs)-1].version
}

// migrate applies the migrations after version, each in its own
// transaction together with the user_version bump.
func (db *DB) migrate(ctx context.Context, version int, migs []migration) error {
	for _, m := range migs {
		if m.version <= version {
			continue
		}
		err := db.tx(ctx, func(tx *sql.Tx) error {
			// Re-read inside the write lock: another process may have migrated.
			var cur int
			if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
				return err
			}
			if cur >= m.version {
				return nil
			}
			code := migrationCode[m.version]
			if code.before != nil {
				if err := code.before(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", m.name, err)
				}
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if code.after != nil {
				if err := code.after(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", m.name, err)
				}
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return db.wrap("migrate the store", err)
		}
	}
	return nil
}

// SchemaVersion returns the store's schema version and the newest one this
// build knows.
func (db *DB) SchemaVersion(ctx context.Context) (have, want int, err error) {
	if err := db.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return 0, 0, db.wrap("read the schema version", err)
	}
	migs, err := migrations()
	return have, latest(migs), err
}

// Path returns the store's file path.
func (db *DB) Path() string { return db.path }

// Close closes the store.
func (db *DB) Close() error {
	db.closeOnce.Do(func() { close(db.quit) })
	db.writerOnce.Do(func() {}) // no writer starts after this
	if db.writerDone != nil {
		<-db.writerDone
	}
	db.verMu.Lock()
	if db.verConn != nil {
		db.verConn.Close()
		db.verConn = nil
	}
	db.verMu.Unlock()
	db.stmtMu.Lock()
	for _, st := range db.stmts {
		st.Close()
	}
	db.stmts = nil
	db.stmtMu.Unlock()
	db.writeMu.Lock()
	if db.writeConn != nil {
		db.writeConn.Close()
		db.writeConn = nil
	}
	db.writeMu.Unlock()
	return db.db.Close()
}

// SQL returns the underlying database handle, for tests and tools.
func (db *DB) SQL() *sql.DB { return db.db }

// tx runs fn in a write transaction (BEGIN IMMEDIATE, via the DSN) and
// commits it, or rolls back if fn fails.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	if db.writeConn == nil {
		c, err := db.db.Conn(ctx)
		if err != nil {
			return err
		}
		db.writeConn = c
	}
	tx, err := db.writeConn.BeginTx(ctx, nil)
	if err != nil {
		// Start afresh next time, in case the connection is the trouble.
		db.writeConn.Close()
		db.writeConn = nil
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// txStmt returns the statement of query for use in tx, prepared once for
// the life of db.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	db.stmtMu.Lock()
	st := db.stmts[query]
	if st == nil {
		var err error
		if st, err = db.db.PrepareContext(ctx, query); err != nil {
			db.stmtMu.Unlock()
			return nil, err
		}
		if db.stmts == nil {
			db.stmts = map[string]*sql.Stmt{}
		}
		db.stmts[query] = st
	}
	db.stmtMu.Unlock()
	return tx.StmtContext(ctx, st), nil
}

// wrap turns a driver error into a clear one, keeping the cause.
// scanAll runs q and reads each row into a T with scan: the loop every
// list query shares. Errors are wrapped as unable to what.
func scanAll[T any](ctx context.Context, db *DB, what, q string, args []any, scan func(*sql.Rows, *T) error) ([]T, error) {
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, db.wrap(what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, db.wrap(what, err)
		}
		out = append(out, v)
	}
	return out, db.wrap(what, rows.Err())
}

func (db *DB) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		if se.SystemErrno == syscall.ENOSPC {
			return fmt.Errorf("sqlite: unable to %s: %w", what, ErrDiskFull)
		}
		switch se.Code {
		case sqlite3.ErrReadonly, sqlite3.ErrPerm, sqlite3.ErrCantOpen:
			if se.Code == sqlite3.ErrCantOpen && syscall.Access(filepath.Dir(db.path), 2 /* W_OK */) == nil {
				return fmt.Errorf("sqlite: unable to %s: cannot open %s: %w", what, db.path, err)
			}
			// SQLite needs to write beside the store (its -wal and -shm
			// files) even to read it.
			return fmt.Errorf("sqlite: unable to %s: %s: %w", what, db.path, ErrReadOnly)
		case sqlite3.ErrFull:
			return fmt.Errorf("sqlite: unable to %s: %w", what, ErrDiskFull)
		case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
			return fmt.Errorf("sqlite: unable to %s: %s: %w (%v)", what, db.path, ErrCorrupt, err)
		case sqlite3.ErrIoErr:
			if se.ExtendedCode == sqlite3.ErrIoErrWrite || se.ExtendedCode == sqlite3.ErrIoErrFsync {
				return fmt.Errorf("sqlite: unable to %s: write failed (is the disk full?): %w", what, err)
			}
		}
	}
	return fmt.Errorf("sqlite: unable to %s: %w", what, err)
}
