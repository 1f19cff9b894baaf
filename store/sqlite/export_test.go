package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// CreateAtVersion makes a store at path migrated only up to version, as
// an older aiwatch would have left it.
func CreateAtVersion(path string, version int) error {
	sdb, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?_foreign_keys=on")
	if err != nil {
		return err
	}
	defer sdb.Close()
	migs, err := migrations()
	if err != nil {
		return err
	}
	if version > latest(migs) {
		return fmt.Errorf("no migration %d", version)
	}
	var upTo []migration
	for _, m := range migs {
		if m.version <= version {
			upTo = append(upTo, m)
		}
	}
	db := &DB{db: sdb, path: path}
	return db.migrate(context.Background(), 0, upTo)
}

// MigrationCount is the newest schema version this build knows.
func MigrationCount() int {
	m, _ := migrations()
	return latest(m)
}

// RunMigration applies migration version alone, in one transaction, as
// the upgrade from version-1 would. A test of an old migration prepares a
// store of today's schema as that migration found it and runs it, so
// that the later migrations need not run twice.
func RunMigration(db *DB, version int) error {
	migs, err := migrations()
	if err != nil {
		return err
	}
	for _, m := range migs {
		if m.version == version {
			return db.tx(context.Background(), func(tx *sql.Tx) error {
				_, err := tx.Exec(m.sql)
				return err
			})
		}
	}
	return fmt.Errorf("no migration %d", version)
}

// SetRegroupPage makes migration 0013 read n items at a time, until the
// returned function restores the default.
func SetRegroupPage(n int) func() {
	old := regroupPage
	regroupPage = n
	return func() { regroupPage = old }
}
