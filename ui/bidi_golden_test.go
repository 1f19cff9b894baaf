package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
	"github.com/aiwatch/aiwatch/ui/bidi"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// TestGoldenBidiApp draws the bundled snapshot's Arabic headline in app
// mode, in the news list and in the reader, as a terminal without bidi
// would show it: shaped and right to left.
func TestGoldenBidiApp(t *testing.T) {
	ds, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ar store.Item
	for _, it := range ds.Snapshot {
		if it.Lang == "ar" {
			ar = it
			break
		}
	}
	if ar.Title == "" {
		t.Fatal("the snapshot has no Arabic item")
	}
	// The headline's first two words, as they must appear on screen:
	// shaped, and reversed, since they are the right end of the line.
	firstWords := strings.Join(strings.Fields(ar.Title)[:2], " ")
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			src := uitest.New()
			src.AddItem(1, "ar", ar.Title, ar.Summary, uitest.Now.Add(time.Minute))
			cfg := testConfig(src)
			cfg.Bidi = bidi.App
			m := start(t, cfg, size[0], size[1])
			m = press(m, "3", "enter")
			checkScreen(t, m, size[0], size[1])
			s := screen(m)
			if !strings.Contains(s, bidi.Visual(firstWords)) {
				t.Errorf("the headline's first words %q are not on screen shaped and reversed as %q", firstWords, bidi.Visual(firstWords))
			}
			if strings.Contains(s, firstWords) {
				t.Errorf("the headline is on screen in logical order")
			}
			checkOverrides(t, s)
			golden.RequireEqual(t, s)
		})
	}
}

// checkOverrides fails when a screen line in app mode opens a
// left-to-right override it does not close, starts with one, or holds an
// isolate (app mode marks no isolates).
func checkOverrides(t *testing.T, screen string) {
	t.Helper()
	for i, l := range strings.Split(screen, "\n") {
		if strings.Count(l, "\u202d") != strings.Count(l, "\u202c") || strings.HasPrefix(l, "\u202d") {
			t.Errorf("line %d: unbalanced or leading override: %q", i, l)
		}
		if strings.ContainsAny(l, "\u2068\u2069") {
			t.Errorf("line %d: an isolate in app mode: %q", i, l)
		}
	}
}

// TestScreensAppMode draws the golden scenes in app mode and checks that
// every screen keeps its size and its direction marks balanced.
func TestScreensAppMode(t *testing.T) {
	scenes := []struct {
		name string
		keys []string
	}{
		{"start", nil},
		{"firm", []string{"j", "tab", "j"}},
		{"reader-ar", []string{"3", "j", "j", "enter"}},
		{"long-title", []string{"3", "j", "j", "j"}},
		{"feeds", []string{"f"}},
		{"changes", []string{"c"}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
		for _, sc := range scenes {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], sc.name), func(t *testing.T) {
				cfg := testConfig(uitest.New())
				cfg.Bidi = bidi.App
				m := press(start(t, cfg, size[0], size[1]), sc.keys...)
				checkScreen(t, m, size[0], size[1])
				checkOverrides(t, screen(m))
			})
		}
	}
}
