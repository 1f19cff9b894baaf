package ui

import (
	"context"
	"fmt"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// memo answers repeated reads from memory, so that a benchmark measures
// the dashboard's own work rather than the fake store's linear scans.
type memo struct {
	*uitest.Source
	items  sync.Map
	counts sync.Map
}

func (m *memo) Items(ctx context.Context, f store.Filter) ([]store.Item, error) {
	k := fmt.Sprintf("%#v", f)
	if v, ok := m.items.Load(k); ok {
		return v.([]store.Item), nil
	}
	its, err := m.Source.Items(ctx, f)
	m.items.Store(k, its)
	return its, err
}

func (m *memo) CountItems(ctx context.Context, f store.Filter) (store.Counts, error) {
	k := fmt.Sprintf("%#v", f)
	if v, ok := m.counts.Load(k); ok {
		return v.(store.Counts), nil
	}
	c, err := m.Source.CountItems(ctx, f)
	m.counts.Store(k, c)
	return c, err
}

var benchSizes = []int{100_000, 1_000_000}

// BenchmarkFirstFrame measures New, the start-up commands run to the end,
// and the first View, at 200×50. "fake" includes the fake store's scans
// of every item for the counts; "ui" answers repeated reads from memory.
func BenchmarkFirstFrame(b *testing.B) {
	for _, n := range benchSizes {
		src := uitest.NewLarge(n)
		for _, variant := range []struct {
			name string
			src  Source
		}{{"fake", src}, {"ui", &memo{Source: src}}} {
			b.Run(fmt.Sprintf("%s/%d", variant.name, n), func(b *testing.B) {
				cfg := testConfig(src)
				cfg.Source = variant.src
				for b.Loop() {
					m := start(b, cfg, 200, 50)
					if m.View().Content == "" {
						b.Fatal("empty view")
					}
				}
			})
		}
	}
}

// BenchmarkFilterKeystroke measures one keystroke in the filter bar to
// the next rendered view: parse, the news reload (count and a window of
// items) and View. Keystrokes alternate between adding and deleting a
// word, so every one changes the filter.
func BenchmarkFilterKeystroke(b *testing.B) {
	for _, n := range benchSizes {
		src := uitest.NewLarge(n)
		for _, variant := range []struct {
			name string
			src  Source
		}{{"fake", src}, {"ui", &memo{Source: src}}} {
			b.Run(fmt.Sprintf("%s/%d", variant.name, n), func(b *testing.B) {
				cfg := testConfig(src)
				cfg.Source = variant.src
				m := start(b, cfg, 200, 50)
				m = press(m, "/")
				m = typeText(m, "firm:huawei ")
				add := tea.KeyPressMsg{Code: 'w', Text: "w"}
				del := tea.KeyPressMsg{Code: tea.KeyBackspace}
				i := 0
				for b.Loop() {
					k := add
					if i%2 == 1 {
						k = del
					}
					i++
					m, _ = drive.Loop(m, step, func() tea.Msg { return k })
					if m.View().Content == "" {
						b.Fatal("empty view")
					}
				}
				if m.filter.Err() != nil {
					b.Fatalf("filter error: %v", m.filter.Err())
				}
			})
		}
	}
}

// BenchmarkScroll measures moving the news cursor one row and drawing,
// deep in a large list, where rows are paged in as the cursor moves.
func BenchmarkScroll(b *testing.B) {
	src := uitest.NewLarge(1_000_000)
	m := start(b, testConfig(src), 200, 50)
	m = press(m, "3")
	down := keyMsg("j")
	for b.Loop() {
		m, _ = drive.Loop(m, step, func() tea.Msg { return down })
		_ = m.View()
	}
}
