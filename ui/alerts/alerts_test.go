package alerts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/drive"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

type src struct {
	list []store.Alert
	err  error
}

func (s src) Alerts(context.Context, bool) ([]store.Alert, error) { return s.list, s.err }

var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func update(m Model, msg tea.Msg) (Model, tea.Cmd) { return m.Update(msg) }

func open(t *testing.T, s Source, w, h int) Model {
	t.Helper()
	km := keys.DefaultSet().Map(keys.Alerts)
	m := New(s, km, theme.New(true, false), func() time.Time { return now })
	m.SetSize(w, h)
	m, _ = drive.Loop(m, update, m.Load())
	return m
}

func TestRowsAndJump(t *testing.T) {
	list := []store.Alert{
		{ID: 2, At: now, Kind: store.AlertDesignation, Watch: "alliance:model-chip", Firm: "biren", EventID: 9, Title: "Biren: added to OFAC SDN"},
		{ID: 1, At: now, Kind: store.AlertItem, Watch: "firm:biren", Firm: "biren", ItemID: 46, Title: "壁仞科技发布新一代通用GPU芯片\x1b[31m"},
	}
	for _, w := range []int{80, 120} {
		m := open(t, src{list: list}, w, 10)
		view := ansi.Strip(m.View())
		for _, want := range []string{"Alerts · 2", "§ Biren: added to OFAC SDN", "壁仞科技发布新一代通用GPU芯片", "firm:biren", "2026-12-04"} {
			if !strings.Contains(view, want) {
				t.Errorf("%d columns: the view lacks %q:\n%s", w, want, view)
			}
		}
		if strings.Contains(m.View(), "\x1b[31m") {
			t.Error("an escape sequence in a title reached the screen")
		}
		for i, l := range strings.Split(m.View(), "\n") {
			if ansi.StringWidth(l) != w {
				t.Errorf("%d columns: line %d is %d cells", w, i, ansi.StringWidth(l))
			}
		}
	}
	m := open(t, src{list: list}, 100, 10)
	m, _ = update(m, tea.KeyPressMsg{Code: 'j', Text: "j"})
	_, cmd := update(m, tea.KeyPressMsg{Code: tea.KeyEnter})
	if cmd == nil {
		t.Fatal("enter sent nothing")
	}
	if j, ok := cmd().(JumpMsg); !ok || j.Alert.ID != 1 {
		t.Errorf("enter on the second row sent %+v", cmd())
	}
}

func TestEmptyAndError(t *testing.T) {
	m := open(t, src{}, 100, 6)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "No alerts.") {
		t.Errorf("empty:\n%s", v)
	}
	m = open(t, src{err: errors.New("disk on fire")}, 100, 6)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "unable to load alerts: disk on fire") {
		t.Errorf("error:\n%s", v)
	}
	if _, cmd := update(m, tea.KeyPressMsg{Code: tea.KeyEnter}); cmd != nil {
		t.Error("enter with nothing selected sent a message")
	}
}
