package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/reader"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// fakeAlerts is an AlertSource over a fixed list.
type fakeAlerts struct {
	list    []store.Alert
	watches []store.Watch
}

func (f *fakeAlerts) Watches(context.Context) ([]store.Watch, error) { return f.watches, nil }

func (f *fakeAlerts) Alerts(_ context.Context, all bool) ([]store.Alert, error) {
	var out []store.Alert
	for _, a := range f.list {
		if all || !a.Acked {
			out = append(out, a)
		}
	}
	return out, nil
}

func TestAlertsView(t *testing.T) {
	src := uitest.New()
	its, err := src.Items(t.Context(), store.Filter{Limit: 2})
	if err != nil || len(its) < 2 {
		t.Fatal(its, err)
	}
	fa := &fakeAlerts{list: []store.Alert{
		{ID: 3, At: uitest.Now, Kind: store.AlertItem, Watch: "firm:huawei", Firm: "huawei", ItemID: its[1].ID, Title: its[1].Title},
		{ID: 2, At: uitest.Now, Kind: store.AlertDesignation, Watch: "firm:biren", Firm: "biren", EventID: 7, Title: "biren: added to OFAC SDN"},
		{ID: 1, At: uitest.Now, Kind: store.AlertItem, Watch: "firm:huawei", Firm: "huawei", ItemID: its[0].ID, Title: "acknowledged", Acked: true},
	}, watches: []store.Watch{{ID: 1, Kind: store.WatchFirm, Value: "huawei"}, {ID: 2, Kind: store.WatchAlliance, Value: "model-chip"},
		{ID: 3, Kind: store.WatchQuery, Value: "biren"}}}
	cfg := testConfig(src)
	cfg.Alerts = fa
	m := start(t, cfg, 120, 40)
	s0 := screen(m)
	if !strings.Contains(s0, "2 alerts (a)") {
		t.Errorf("the status line lacks the alert count:\n%s", s0)
	}
	// Watched firms and alliances are marked in their panes; a query
	// naming a firm marks nothing.
	for _, want := range []string{"◉Huawei", "◉Model-Chip"} {
		if !strings.Contains(s0, want) {
			t.Errorf("the panes lack %q:\n%s", want, s0)
		}
	}
	if strings.Contains(s0, "◉Biren") || strings.Count(s0, "◉") != 2 {
		t.Errorf("marks beyond the watch list:\n%s", s0)
	}
	m = press(m, "a")
	s := screen(m)
	for _, want := range []string{"Alerts · 2", "firm:huawei", "§ biren: added to OFAC SDN", "enter show"} {
		if !strings.Contains(s, want) {
			t.Errorf("the alerts view lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "acknowledged") {
		t.Errorf("an acknowledged alert is shown:\n%s", s)
	}
	checkScreen(t, m, 120, 40)

	// enter on the item alert shows the item in the reader.
	m = press(m, "enter")
	if m.overlay != overlayNone || m.focus != paneReader {
		t.Fatalf("enter left overlay %d focus %d", m.overlay, m.focus)
	}
	if got := m.reader.Subject(); got != reader.ItemSubject(its[1].ID) {
		t.Errorf("reader shows %+v, want item %d", got, its[1].ID)
	}
	// esc unpins it; a then down then enter shows the firm's card.
	m = press(m, "esc")
	if m.pin != (reader.Subject{}) {
		t.Errorf("esc kept the pin %+v", m.pin)
	}
	m = press(m, "a", "j", "enter")
	if got := m.reader.Subject(); got != reader.FirmSubject("biren") {
		t.Errorf("reader shows %+v, want biren's card", got)
	}
	if s := screen(m); !strings.Contains(s, "Biren") {
		t.Errorf("the firm card is not on screen:\n%s", s)
	}
	// Moving to a list lets the reader follow it again.
	m = press(m, "3")
	if m.pin != (reader.Subject{}) {
		t.Errorf("moving to the news kept the pin")
	}
	// a closes the view it opened.
	m = press(m, "a")
	if m.overlay != overlayAlerts {
		t.Fatal("a did not open the view")
	}
	m = press(m, "a")
	if m.overlay != overlayNone {
		t.Error("a did not close the view")
	}
	// Small terminals hold it too.
	m = send(m, tea80x24())
	m = press(m, "a")
	checkScreen(t, m, 80, 24)
}

func TestAlertsUnavailable(t *testing.T) {
	m := start(t, testConfig(uitest.New()), 100, 30)
	m = press(m, "a")
	if m.overlay != overlayNone || !strings.Contains(screen(m), "alerts are unavailable here") {
		t.Errorf("a without an AlertSource:\n%s", screen(m))
	}
	if strings.Contains(screen(m), "alerts (a)") {
		t.Error("a count without an AlertSource")
	}
}

func tea80x24() tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: 80, Height: 24} }
