package ui

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// sized applies a window size and nothing else: no command runs, so the
// view shows only what the model already holds.
func sized(m Model, w, h int) Model {
	nm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return nm.(Model)
}

func firstTitle(t *testing.T, src *uitest.Source) string {
	t.Helper()
	its, err := src.Items(context.Background(), store.Filter{Limit: 1})
	if err != nil || len(its) == 0 {
		t.Fatalf("the fake store has no items: %v", err)
	}
	src.ResetCalls()
	return string([]rune(its[0].Title)[:16]) // what a narrow news pane still shows
}

// callCounts counts the store calls by method.
func callCounts(src *uitest.Source) map[string]int {
	n := map[string]int{}
	for _, c := range src.Calls() {
		n[c.Method]++
	}
	return n
}

// TestPreloadFillsTheFirstFrame: after Preload, the very first frame,
// drawn before any command runs, shows the alliances, the firms and the
// news; Preload ends when they are there, not at the end of its budget.
func TestPreloadFillsTheFirstFrame(t *testing.T) {
	src := uitest.New()
	title := firstTitle(t, src)
	begin := time.Now()
	m := Preload(New(testConfig(src)), 10*time.Minute)
	if d := time.Since(begin); d > time.Minute {
		t.Fatalf("Preload waited %v: it must end once the first screen is loaded", d)
	}
	view := sized(m, 160, 40).View().Content
	for _, want := range []string{"Model-Chip", "SenseTime", title} {
		if !strings.Contains(view, want) {
			t.Errorf("the first frame lacks %q:\n%s", want, view)
		}
	}
	// Without Preload the same first frame is still empty.
	if empty := sized(New(testConfig(src)), 160, 40).View().Content; strings.Contains(empty, title) {
		t.Fatalf("the test cannot tell: an unloaded dashboard already shows %q", title)
	}
}

// TestPreloadHandsOffSlowLoads: loads still running when the budget ends
// are handed to the program, whose start-up then receives their answers;
// no load runs twice.
func TestPreloadHandsOffSlowLoads(t *testing.T) {
	src := uitest.New()
	title := firstTitle(t, src)
	src.SetDelay(300 * time.Millisecond)
	m := Preload(New(testConfig(src)), time.Millisecond)
	if m.alliances.Loaded() {
		t.Fatal("the alliances arrived within 1 ms of a 300 ms delay")
	}
	src.SetDelay(0)
	m.pollEvery = 0
	m, _ = drive.Loop(m, step, m.Init())
	view := sized(m, 160, 40).View().Content
	if !strings.Contains(view, "Model-Chip") || !strings.Contains(view, title) {
		t.Fatalf("the handed-off loads never arrived:\n%s", view)
	}
	// The same calls as a start-up without Preload: none twice.
	got := callCounts(src)
	base := uitest.New()
	firstTitle(t, base)
	bm := New(testConfig(base))
	bm.pollEvery = 0
	drive.Loop(bm, step, bm.Init())
	if want := callCounts(base); !maps.Equal(got, want) {
		t.Errorf("store calls with a handed-off Preload = %v, without Preload %v", got, want)
	}
}
