package feeds

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// statusSource answers FeedStatus without counts and counts how often
// the counted list is read.
type statusSource struct {
	*uitest.Source
	counted int
}

func (s *statusSource) Feeds(ctx context.Context) ([]store.Feed, error) {
	s.counted++
	return s.Source.Feeds(ctx)
}

func (s *statusSource) FeedStatus(ctx context.Context) ([]store.Feed, error) {
	fs, err := s.Source.Feeds(ctx)
	for i := range fs {
		fs[i].ItemCount, fs[i].UnreadCount = 0, 0
	}
	return fs, err
}

func TestLoadStatusSkipsCounts(t *testing.T) {
	for _, tc := range []struct {
		name        string
		load        func(Model) Model
		wantCounted int
		wantItems   bool // rows show item counts
	}{
		{"status only", func(m Model) Model { m, _ = drive.Loop(m, update, m.LoadStatus()); return m }, 0, false},
		{"full", func(m Model) Model { m, _ = drive.Loop(m, update, m.Load()); return m }, 1, true},
		{"status after full", func(m Model) Model {
			m, _ = drive.Loop(m, update, m.Load())
			m, _ = drive.Loop(m, update, m.LoadStatus())
			return m
		}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &statusSource{Source: uitest.New()}
			m := New(src, keys.DefaultKeyMap(), theme.New(true, false), func() time.Time { return uitest.Now })
			m.SetSize(100, 30)
			m = tc.load(m)
			if src.counted != tc.wantCounted {
				t.Errorf("counted feeds read %d times, want %d", src.counted, tc.wantCounted)
			}
			view := ansi.Strip(m.View())
			if got := strings.Contains(view, " items"); got != tc.wantItems {
				t.Errorf("rows show item counts: %v, want %v:\n%s", got, tc.wantItems, view)
			}
			// The status line's summary is there either way.
			if last, failing, loaded := m.Summary(); !loaded || failing != 2 || last.IsZero() {
				t.Errorf("Summary = %v, %d, %v", last, failing, loaded)
			}
			if !strings.Contains(view, "checked") {
				t.Errorf("rows lack the last check:\n%s", view)
			}
		})
	}
}

func TestLoadStatusFallsBackToLoad(t *testing.T) {
	m := New(uitest.New(), keys.DefaultKeyMap(), theme.New(true, false), func() time.Time { return uitest.Now })
	m.SetSize(100, 30)
	m, _ = drive.Loop(m, update, m.LoadStatus())
	if view := ansi.Strip(m.View()); !strings.Contains(view, " items") {
		t.Errorf("a source without FeedStatus gives no counts:\n%s", view)
	}
}
