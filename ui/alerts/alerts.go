// Package alerts is the alerts view (key a): the watch list's
// unacknowledged alerts, newest first, the rows aiwatch alerts prints.
// enter asks the root to show the alert's item, or for a designation
// change the firm's card.
package alerts

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/internal/listnav"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// Source is what the view reads.
type Source interface {
	// Alerts returns the alerts, newest first: the unacknowledged ones,
	// or all with all.
	Alerts(ctx context.Context, all bool) ([]store.Alert, error)
}

// LoadedMsg carries the alerts.
type LoadedMsg struct {
	Alerts []store.Alert
	Err    error
}

// JumpMsg asks the root to show what an alert is about: its item, or
// its firm's card.
type JumpMsg struct{ Alert store.Alert }

// Model is the alerts view.
type Model struct {
	pane.Base
	src    Source
	alerts []store.Alert
	nav    listnav.Nav
	loaded bool
	err    error
}

// New returns the view; Load fills it.
func New(src Source, km keys.KeyMap, th theme.Theme, now func() time.Time) Model {
	return Model{Base: pane.NewBase(km, th, now), src: src}
}

// Load returns the command that reads the unacknowledged alerts.
func (m Model) Load() tea.Cmd {
	src := m.src
	return func() tea.Msg { return Load(src) }
}

// Load reads the unacknowledged alerts, for the view and the status
// line's count.
func Load(src Source) LoadedMsg {
	if src == nil {
		return LoadedMsg{Err: fmt.Errorf("alerts: unavailable here")}
	}
	as, err := src.Alerts(context.Background(), false)
	if err != nil {
		return LoadedMsg{Err: fmt.Errorf("alerts: unable to load alerts: %w", err)}
	}
	return LoadedMsg{Alerts: as}
}

// Update handles the view's messages and keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case LoadedMsg:
		m.err = msg.Err
		if msg.Err != nil {
			break
		}
		keep := int64(0)
		if a, ok := m.Selected(); ok {
			keep = a.ID
		}
		m.loaded = true
		m.alerts = msg.Alerts
		m.nav.SetLen(len(m.alerts))
		m.nav.SetCursor(0)
		for i, a := range m.alerts {
			if a.ID == keep {
				m.nav.SetCursor(i)
			}
		}
	case tea.KeyPressMsg:
		if key.Matches(msg, m.Keys.Open) {
			if a, ok := m.Selected(); ok {
				return m, func() tea.Msg { return JumpMsg{a} }
			}
			return m, nil
		}
		m.nav.Update(m.Keys, msg)
	}
	return m, nil
}

// Alerts returns the alerts shown.
func (m Model) Alerts() []store.Alert { return m.alerts }

// Selected returns the alert under the cursor.
func (m Model) Selected() (store.Alert, bool) {
	if m.nav.Cursor < 0 || m.nav.Cursor >= len(m.alerts) {
		return store.Alert{}, false
	}
	return m.alerts[m.nav.Cursor], true
}

// HandleKey handles a key press while the view is open.
func (m *Model) HandleKey(msg tea.KeyPressMsg) tea.Cmd { return pane.Update(m, msg) }

// Scroll moves the view by d rows, for the mouse wheel.
func (m *Model) Scroll(d int) tea.Cmd {
	m.nav.Scroll(d)
	return nil
}

// Click moves the cursor to the row at y.
func (m *Model) Click(y int) tea.Cmd {
	m.nav.Click(y - 2)
	return nil
}

// SetSize sets the view's size in cells.
func (m *Model) SetSize(w, h int) tea.Cmd {
	m.nav.SetHeight(h - 2)
	return m.Base.SetSize(w, h)
}

// View draws the view in exactly its size.
func (m Model) View() string {
	if !m.Sized() {
		return ""
	}
	w, t := m.Width, m.Theme
	title := "Alerts"
	if m.loaded {
		title += " · " + strconv.Itoa(len(m.alerts))
	}
	lines := []string{pane.Title(t, title, "enter show · a/esc close", w, true)}
	switch {
	case m.err != nil:
		lines = append(lines, pane.ErrorLines(t, m.err, w)...)
	case !m.loaded:
		lines = append(lines, pane.Note(t, " loading…", w))
	case len(m.alerts) == 0:
		lines = append(lines, pane.Note(t, " No alerts. aiwatch watch add firm:ID, alliance:ID or \"QUERY\" watches news; alerts come with fetches.", w))
	default:
		ww, fw := m.columns()
		lines = append(lines, t.Label.Render(cell.Fit(" date        "+cell.Fit("watch", ww)+" "+cell.Fit("firm", fw)+" title", w)))
		from, to := m.nav.Visible()
		for i := from; i < to; i++ {
			lines = append(lines, m.row(m.alerts[i], i == m.nav.Cursor, w))
		}
	}
	return pane.Join(lines, w, m.Height)
}

// columns are the widths of the watch and firm columns: narrower on a
// small screen, so that the title keeps most of it.
func (m Model) columns() (watch, firm int) {
	if m.Width < 100 {
		return 14, 10
	}
	return 20, 13
}

func (m Model) row(a store.Alert, cursor bool, w int) string {
	t := m.Theme
	date := cell.Fit(a.At.In(m.Now().Location()).Format("2006-01-02"), 11)
	ww, fw := m.columns()
	watch := cell.Fit(cell.Line(a.Watch), ww)
	firm := cell.Fit(cell.Line(a.Firm), fw)
	mark := " "
	if a.Kind == store.AlertDesignation {
		mark = "§"
	}
	title := cell.Text(t.Bidi, cell.Line(mark+" "+a.Title), max(w-15-ww-fw, 1))
	plain := " " + date + " " + watch + " " + firm + " " + title
	st := t.Unread
	if a.Kind == store.AlertDesignation {
		st = t.Error
	}
	styled := " " + t.Dim.Render(date) + " " + t.Dim.Render(watch) + " " + firm + " " + st.Render(title)
	return pane.Row(t, plain, styled, w, cursor, true)
}
