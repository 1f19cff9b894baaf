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
	if version > len(migs) {
		return fmt.Errorf("no migration %d", version)
	}
	db := &DB{db: sdb, path: path}
	return db.migrate(context.Background(), 0, migs[:version])
}

// MigrationCount is the number of migrations this build knows.
func MigrationCount() int {
	m, _ := migrations()
	return len(m)
}
