package main

import (
	"bytes"
	"context"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// TestDashboardLogsErrors checks that every error the dashboard's source
// returns, which the dashboard shows as a short message, is logged in one
// line (README: the details go to aiwatch.log), and that a cancelled
// request is not.
func TestDashboardLogsErrors(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "aiwatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close() // every call now fails
	var buf bytes.Buffer
	log.SetOutput(&buf)
	defer log.SetOutput(os.Stderr)
	s := loggedSource{source{db}}
	ctx := t.Context()
	calls := map[string]func() error{
		"Items":      func() error { _, err := s.Items(ctx, store.Filter{}); return err },
		"Firms":      func() error { _, err := s.Firms(ctx, ""); return err },
		"SetRead":    func() error { return s.SetRead(ctx, []int64{1}, true) },
		"Feeds":      func() error { _, err := s.Feeds(ctx); return err },
		"CountItems": func() error { _, err := s.CountItems(ctx, store.Filter{}); return err },
	}
	for name, call := range calls {
		buf.Reset()
		err := call()
		if err == nil {
			t.Fatalf("%s on a closed store succeeded", name)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if len(lines) != 1 || !strings.Contains(lines[0], "dashboard: "+strings.SplitN(err.Error(), "\n", 2)[0]) {
			t.Errorf("%s: error %q logged as %q", name, err, buf.String())
		}
	}
	buf.Reset()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if logError(cancelled.Err()); buf.Len() != 0 {
		t.Errorf("a cancelled request was logged: %q", buf.String())
	}
}
