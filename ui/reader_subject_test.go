package ui

import (
	"strconv"
	"testing"

	"github.com/aiwatch/aiwatch/ui/reader"
	"github.com/aiwatch/aiwatch/ui/uitest"
)

// TestReaderSubject walks the ways of steering the reader and checks what
// readerSubject decides, and that the reader shows just that.
func TestReaderSubject(t *testing.T) {
	type want struct {
		mode reader.Mode
		id   func(Model) string // the ID the subject must name
	}
	alliance := func(m Model) string { return m.alliances.Selected() }
	firm := func(m Model) string { return m.firms.SelectedID() }
	item := func(m Model) string { return strconv.FormatInt(m.items.SelectedID(), 10) }
	tests := []struct {
		name string
		keys []string
		want want
	}{
		{"at start: the overview", nil, want{reader.ModeAlliance, alliance}},
		{"an alliance", []string{"j"}, want{reader.ModeAlliance, alliance}},
		{"the firms pane: its firm", []string{"j", "tab"}, want{reader.ModeFirm, firm}},
		{"another firm", []string{"j", "tab", "j"}, want{reader.ModeFirm, firm}},
		{"the news: its item", []string{"j", "tab", "j", "tab"}, want{reader.ModeItem, item}},
		{"another item", []string{"3", "j", "j"}, want{reader.ModeItem, item}},
		{"the firm card pinned", []string{"j", "tab", "j", "tab", "i"}, want{reader.ModeFirm, firm}},
		{"pinned while the news moves", []string{"2", "j", "3", "i", "j"}, want{reader.ModeFirm, firm}},
		{"pinned while the alliances pane has the keyboard", []string{"2", "j", "i", "1"}, want{reader.ModeFirm, firm}},
		{"unpinned", []string{"3", "i", "i"}, want{reader.ModeItem, item}},
		{"esc unpins", []string{"3", "i", "esc"}, want{reader.ModeItem, item}},
		{"opening an item unpins", []string{"3", "i", "enter"}, want{reader.ModeItem, item}},
		{"the reader focused after the firms", []string{"2", "j", "4"}, want{reader.ModeFirm, firm}},
		{"the reader focused after the news", []string{"3", "j", "4"}, want{reader.ModeItem, item}},
		{"the reader focused after the alliances", []string{"j", "4"}, want{reader.ModeAlliance, alliance}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := start(t, testConfig(uitest.New()), 200, 50)
			m = press(m, tt.keys...)
			s := m.readerSubject()
			if s != m.reader.Subject() {
				t.Errorf("the reader shows %+v, readerSubject says %+v", m.reader.Subject(), s)
			}
			got := map[reader.Mode]string{
				reader.ModeAlliance: s.Alliance,
				reader.ModeFirm:     s.Firm,
				reader.ModeItem:     strconv.FormatInt(s.Item, 10),
			}[s.Mode]
			if s.Mode != tt.want.mode || got != tt.want.id(m) {
				t.Errorf("subject = %+v, want mode %v naming %q", s, tt.want.mode, tt.want.id(m))
			}
			if s.Mode == reader.ModeAlliance && s.Counts != m.alliances.Counts(s.Alliance) {
				t.Errorf("the card counts %+v, the alliances pane %+v", s.Counts, m.alliances.Counts(s.Alliance))
			}
		})
	}
}

// TestSyncNewsSkipsTheFilterShown focuses the reader, which leaves the
// news filter as it was: the news must not be read again.
func TestSyncNewsSkipsTheFilterShown(t *testing.T) {
	src := uitest.New()
	m := start(t, testConfig(src), 200, 50)
	m = press(m, "j")
	src.ResetCalls()
	m = press(m, "4", "1")
	for _, c := range src.Calls() {
		if c.Method == "Items" || c.Method == "CountItems" {
			t.Errorf("the news was read again for an unchanged filter: %+v", c)
		}
	}
	m = press(m, "u")
	if !containsCall(src.Calls(), "CountItems") {
		t.Error("a changed filter (unread only) did not reload the news")
	}
}

func containsCall(calls []uitest.Call, method string) bool {
	for _, c := range calls {
		if c.Method == method {
			return true
		}
	}
	return false
}
