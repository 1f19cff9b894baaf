package feeds

import (
	"context"
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

func TestFailingFeedsFirstWithTheirErrors(t *testing.T) {
	m := New(uitest.New(), keys.DefaultKeyMap(), theme.New(true, false), func() time.Time { return uitest.Now })
	m.SetSize(100, 30)
	m, _ = drive.Loop(m, update, m.Load())
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.Contains(lines[0], "2 failing") {
		t.Errorf("title: %q", lines[0])
	}
	// Rows are two lines each; the failing feeds come first.
	for i, want := range []string{"✗", "✗"} {
		if row := lines[1+2*i]; !strings.HasPrefix(strings.TrimSpace(row), want) {
			t.Errorf("row %d = %q, want it to start with %s", i, row, want)
		}
	}
	view := strings.Join(lines, "\n")
	for _, want := range []string{"HTTP 503 Service Unavailable", "certificate has expired", "12 failures in a row", "disabled"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	last, failing, loaded := m.Summary()
	if !loaded || failing != 2 || last.IsZero() {
		t.Errorf("Summary = %v, %d, %v", last, failing, loaded)
	}
}

// ignoringSource says the first feed had items hidden by ignore rules.
type ignoringSource struct{ *uitest.Source }

func (s ignoringSource) Feeds(ctx context.Context) ([]store.Feed, error) {
	fs, err := s.Source.Feeds(ctx)
	if len(fs) > 0 {
		fs[0].IgnoredCount = 3
	}
	return fs, err
}

func TestIgnoredCounts(t *testing.T) {
	src := ignoringSource{uitest.New()}
	m := New(src, keys.DefaultKeyMap(), theme.New(true, false), func() time.Time { return uitest.Now })
	m.SetSize(120, 30)
	m, _ = drive.Loop(m, update, m.Load())
	view := ansi.Strip(m.View())
	if strings.Count(view, "ignored") != 1 || !strings.Contains(view, "· 3 ignored") {
		t.Errorf("the feed's ignored count is not shown once:\n%s", view)
	}
}
