package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/ui/bidi"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// BenchmarkDrawBidi measures laying out and drawing a whole 200×50 frame
// (a resize, so that the reader lays its text out again, then View) with
// the reader on the fixture's Arabic item and Arabic rows in the news
// list: with right-to-left text left to the terminal, and shaped and
// reordered by aiwatch.
func BenchmarkDrawBidi(b *testing.B) {
	for _, mode := range []bidi.Mode{bidi.Terminal, bidi.App} {
		b.Run(mode.String(), func(b *testing.B) {
			cfg := testConfig(uitest.New())
			cfg.Bidi = mode
			m := start(b, cfg, 200, 50)
			m = press(m, "3", "j", "j", "enter")
			i := 0
			for b.Loop() {
				i++
				next, _ := m.Update(tea.WindowSizeMsg{Width: 200 - i%2, Height: 50})
				m = next.(Model)
				if m.View().Content == "" {
					b.Fatal("empty view")
				}
			}
		})
	}
}
