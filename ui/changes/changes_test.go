package changes

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

func update(m Model, msg tea.Msg) (Model, tea.Cmd) { return m.Update(msg) }

func TestShowsEventsSinceLastLookThenRecordsTheLook(t *testing.T) {
	src := uitest.New()
	seen, _ := src.ChangesSeen(t.Context())
	m := New(src, keys.DefaultKeyMap(), theme.New(true, false), func() time.Time { return uitest.Now })
	m.SetSize(100, 20)
	m, _ = drive.Loop(m, update, m.Load())
	if len(m.Events()) == 0 {
		t.Fatal("no events")
	}
	for _, e := range m.Events() {
		if e.At.Before(seen) {
			t.Errorf("event of %s before the last look %s", e.At, seen)
		}
	}
	view := ansi.Strip(m.View())
	for _, want := range []string{"since 2025-01-01", "SenseTime", "added", "Megvii", "removed", "Alibaba", "contested", "1260H"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if now, _ := src.ChangesSeen(t.Context()); !now.Equal(uitest.Now) {
		t.Errorf("ChangesSeen = %v, want %v", now, uitest.Now)
	}
	// Looking again shows nothing new.
	m, _ = drive.Loop(m, update, m.Load())
	if len(m.Events()) != 0 || !strings.Contains(ansi.Strip(m.View()), "No designation changes since 2026-06-17") {
		t.Errorf("second look:\n%s", ansi.Strip(m.View()))
	}
}
