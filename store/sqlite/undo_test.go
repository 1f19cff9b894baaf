package sqlite_test

import (
	"testing"

	"github.com/aiwatch/aiwatch/store/sqlite"
)

// undoAfter9 takes a store of the latest schema back to what migrations
// up to 0009 left, for the tests of earlier migrations, which wind a new
// store back to an old version and reopen it. A later migration adds its
// own undo here.
func undoAfter9(t *testing.T, db *sqlite.DB) {
	t.Helper()
	for _, q := range []string{
		// 0010_user_universe
		`DROP TABLE membership_events`,
		`DROP TABLE removed_memberships`,
		`ALTER TABLE firms DROP COLUMN provenance`,
		`ALTER TABLE firms DROP COLUMN in_reference`,
		`ALTER TABLE firms DROP COLUMN hidden`,
		`ALTER TABLE firms DROP COLUMN name_ar`,
		`ALTER TABLE firms DROP COLUMN added`,
		`ALTER TABLE alliances DROP COLUMN provenance`,
		`ALTER TABLE alliances DROP COLUMN in_reference`,
		`ALTER TABLE memberships DROP COLUMN provenance`,
		`ALTER TABLE memberships DROP COLUMN since`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
