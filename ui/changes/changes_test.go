package changes

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
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

// logSource keeps events oldest first, as the SQLite store returns them.
type logSource struct {
	events []store.DesignationEvent
	seen   time.Time
}

func (s *logSource) DesignationEvents(_ context.Context, _ string, since time.Time) ([]store.DesignationEvent, error) {
	var out []store.DesignationEvent
	for _, e := range s.events {
		if e.At.After(since) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *logSource) ChangesSeen(context.Context) (time.Time, error) { return s.seen, nil }

func (s *logSource) SetChangesSeen(_ context.Context, t time.Time) error { s.seen = t; return nil }

func (s *logSource) Firms(context.Context, string) ([]store.Firm, error) {
	return []store.Firm{{ID: "biren", Short: "Biren"}, {ID: "megvii", Short: "Megvii"}, {ID: "huawei", Short: "Huawei"}}, nil
}

func (s *logSource) Lists(context.Context) ([]store.List, error) {
	return []store.List{{ID: "entity-list", Badge: "EL"}, {ID: "meu", Badge: "MEU"}}, nil
}

func TestNewestFirstWhateverTheSourceOrder(t *testing.T) {
	day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	src := &logSource{seen: day.Add(-time.Hour), events: []store.DesignationEvent{
		{ID: 1, At: day.Add(-2 * time.Hour), Firm: "huawei", List: "entity-list", Action: "added", Detail: "seen before"},
		{ID: 2, At: day, Firm: "biren", List: "meu", Action: "added", Detail: "first of the import"},
		{ID: 3, At: day, Firm: "megvii", List: "entity-list", Action: "removed", Detail: "second of the import"},
		{ID: 4, At: day.Add(24 * time.Hour), Firm: "huawei", List: "entity-list", Action: "changed", Detail: "a day later"},
	}}
	m := New(src, keys.DefaultKeyMap(), theme.New(true, false), func() time.Time { return day.Add(48 * time.Hour) })
	m.SetSize(100, 20)
	m, _ = drive.Loop(m, update, m.Load())
	var got []int64
	for _, e := range m.Events() {
		got = append(got, e.ID)
	}
	if want := []int64{4, 3, 2}; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v (newest first, the last logged first within a second)", got, want)
	}
	var rows []string
	for line := range strings.SplitSeq(ansi.Strip(m.View()), "\n") {
		if strings.Contains(line, "2026-11-2") && !strings.Contains(line, "since") {
			rows = append(rows, strings.Join(strings.Fields(line), " "))
		}
	}
	want := []string{
		"2026-11-21 Huawei changed EL a day later",
		"2026-11-20 Megvii removed EL second of the import",
		"2026-11-20 Biren added MEU first of the import",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}
