//go:build !sqlite_fts5

package sqlite_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store/sqlite"
)

// TestRefusesWithoutFTS5 runs only in a build without the sqlite_fts5
// tag (make test runs it so): such a binary must refuse to open a store,
// name the tag, and create nothing.
func TestRefusesWithoutFTS5(t *testing.T) {
	path := filepath.Join(t.TempDir(), "aiwatch.db")
	_, err := sqlite.Open(path)
	if !errors.Is(err, sqlite.ErrNoFTS5) {
		t.Fatalf("err = %v, want ErrNoFTS5", err)
	}
	if !strings.Contains(err.Error(), "sqlite_fts5") {
		t.Errorf("the message does not name the build tag: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a store file was created: %v", err)
	}
}
