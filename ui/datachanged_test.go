package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/ui/uitest"
)

// TestDataChangedFollowsTheDataVersion checks that Config.DataChanged runs
// when another process writes, and not for the dashboard's own writes.
func TestDataChangedFollowsTheDataVersion(t *testing.T) {
	src := uitest.New()
	cfg := testConfig(src)
	calls := 0
	var fail error
	cfg.DataChanged = func(context.Context) error { calls++; return fail }
	m := start(t, cfg, 120, 40)
	if calls != 0 {
		t.Errorf("DataChanged ran %d times at start; the caller built its names before", calls)
	}

	m = press(m, "3", "r") // our own write
	m, _ = drivenCheck(m)
	if calls != 0 {
		t.Errorf("our own write ran DataChanged %d times", calls)
	}

	src.AddItem(1, "en", "Written by another process", "", uitest.Now.Add(1))
	m, _ = drivenCheck(m)
	if calls != 1 {
		t.Errorf("another process's write ran DataChanged %d times, want 1", calls)
	}

	fail = errors.New("database is locked")
	src.AddItem(1, "en", "Written again", "", uitest.Now.Add(2))
	m, _ = drivenCheck(m)
	if s := screen(m); calls != 2 || !strings.Contains(s, "database is locked") {
		t.Errorf("after %d calls, the error is not on the status line:\n%s", calls, s)
	}
}
