// Package alliances is the first pane: the alliances, with an "All firms"
// entry on top, each with its member count and unread count. Moving the
// cursor emits SelectedMsg; the root pushes the choice into the firms and
// news panes.
package alliances

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/internal/listnav"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// AllFirms is the ID of the "All firms" row.
const AllFirms = ""

// rowLines is the height of a row: the name, then the counts.
const rowLines = 2

// Source is what the pane reads.
type Source interface {
	Alliances(ctx context.Context) ([]store.Alliance, error)
	AllianceCounts(ctx context.Context) (map[string]store.Counts, error)
}

// LoadedMsg carries the alliances and their counts.
type LoadedMsg struct {
	Alliances []store.Alliance
	Counts    map[string]store.Counts
	Err       error
}

// CountsMsg carries fresh counts, after items were marked or fetched.
type CountsMsg struct {
	Counts map[string]store.Counts
	Err    error
}

// SelectedMsg says the cursor is on another alliance. Alliance is AllFirms
// for the "All firms" row.
type SelectedMsg struct {
	Alliance string
}

// Model is the alliances pane.
type Model struct {
	src     Source
	keys    keys.KeyMap
	theme   theme.Theme
	rows    []store.Alliance // rows[0] is "All firms"
	counts  map[string]store.Counts
	nav     listnav.Nav
	width   int
	height  int
	focused bool
	loaded  bool
	err     error
}

// New returns the pane; Load fills it.
func New(src Source, km keys.KeyMap, th theme.Theme) Model {
	m := Model{src: src, keys: km, theme: th, rows: []store.Alliance{{ID: AllFirms, Name: "All firms"}}}
	m.nav.SetLen(1)
	return m
}

// Load returns the command that reads the alliances and their counts.
func (m Model) Load() tea.Cmd {
	src := m.src
	return func() tea.Msg { return loadAlliances(src) }
}

func loadAlliances(src Source) LoadedMsg {
	ctx := context.Background()
	as, err := src.Alliances(ctx)
	if err != nil {
		return LoadedMsg{Err: fmt.Errorf("alliances: unable to load alliances: %w", err)}
	}
	counts, err := src.AllianceCounts(ctx)
	if err != nil {
		return LoadedMsg{Alliances: as, Err: fmt.Errorf("alliances: unable to count items: %w", err)}
	}
	return LoadedMsg{Alliances: as, Counts: counts}
}

// LoadCounts returns the command that reads fresh counts.
func (m Model) LoadCounts() tea.Cmd {
	src := m.src
	return func() tea.Msg {
		counts, err := src.AllianceCounts(context.Background())
		if err != nil {
			err = fmt.Errorf("alliances: unable to count items: %w", err)
		}
		return CountsMsg{Counts: counts, Err: err}
	}
}

// Update handles the pane's messages and, when focused, its keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	before := m.Selected()
	switch msg := msg.(type) {
	case LoadedMsg:
		m.err = msg.Err
		if msg.Alliances != nil || msg.Err == nil {
			m.rows = append(m.rows[:1:1], msg.Alliances...)
			m.nav.SetLen(len(m.rows))
			m.reselect(before)
		}
		if msg.Counts != nil {
			m.counts = msg.Counts
		}
		first := !m.loaded
		m.loaded = true
		if first {
			return m, m.selected()
		}
	case CountsMsg:
		if msg.Err != nil {
			m.err = msg.Err
			break
		}
		m.counts = msg.Counts
	case tea.KeyPressMsg:
		if !m.focused {
			return m, nil
		}
		m.nav.Update(m.keys, msg)
	}
	if m.Selected() != before {
		return m, m.selected()
	}
	return m, nil
}

func (m *Model) reselect(id string) {
	for i, a := range m.rows {
		if a.ID == id {
			m.nav.SetCursor(i)
			return
		}
	}
}

func (m Model) selected() tea.Cmd {
	id := m.Selected()
	return func() tea.Msg { return SelectedMsg{Alliance: id} }
}

// Click moves the cursor to screen row y of the pane (0 is the title).
func (m Model) Click(y int) (Model, tea.Cmd) {
	before := m.Selected()
	if y >= 1 {
		m.nav.Click((y - 1) / rowLines)
	}
	if m.Selected() != before {
		return m, m.selected()
	}
	return m, nil
}

// Scroll moves the view and cursor by d rows, for the mouse wheel.
func (m Model) Scroll(d int) (Model, tea.Cmd) {
	before := m.Selected()
	m.nav.Scroll(d)
	if m.Selected() != before {
		return m, m.selected()
	}
	return m, nil
}

// Selected returns the ID under the cursor: AllFirms or an alliance ID.
func (m Model) Selected() string { return m.rows[m.nav.Cursor].ID }

// Alliance returns the alliance with the given ID.
func (m Model) Alliance(id string) (store.Alliance, bool) {
	for _, a := range m.rows[1:] {
		if a.ID == id {
			return a, true
		}
	}
	return store.Alliance{}, false
}

// Alliances returns the loaded alliances.
func (m Model) Alliances() []store.Alliance { return m.rows[1:] }

// Counts returns the item counts of an alliance; AllFirms counts all items.
func (m Model) Counts(id string) store.Counts { return m.counts[id] }

// Err returns the last load error.
func (m Model) Err() error { return m.err }

// SetSize sets the pane's size in cells.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.nav.SetHeight((h - 1) / rowLines)
}

// SetTheme changes the styles.
func (m *Model) SetTheme(t theme.Theme) { m.theme = t }

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away.
func (m *Model) Blur() { m.focused = false }

// Focused reports whether the pane has the keyboard.
func (m Model) Focused() bool { return m.focused }

// View draws the pane in exactly its size.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	w := m.width
	lines := []string{pane.Title(m.theme, "1 Alliances", "", w, m.focused)}
	switch {
	case m.err != nil && !m.loaded:
		lines = append(lines, pane.ErrorLines(m.theme, m.err, w)...)
	case !m.loaded:
		lines = append(lines, pane.Note(m.theme, "loading…", w))
	default:
		from, to := m.nav.Visible()
		for i := from; i < to; i++ {
			lines = append(lines, m.row(i, w)...)
		}
		if m.err != nil && len(lines) < m.height {
			lines = append(lines, pane.ErrorLines(m.theme, m.err, w)...)
		}
	}
	return pane.Join(lines, w, m.height)
}

// row draws alliance i as two lines: the name, then its counts.
func (m Model) row(i, w int) []string {
	a := m.rows[i]
	name := " " + cell.Line(a.Name)
	c := m.counts[a.ID]
	facts := []string{plural(c.Total, "item")}
	if a.ID != AllFirms {
		facts = []string{plural(len(a.Members), "firm")}
	}
	unread := strconv.Itoa(c.Unread) + " unread"
	facts = append(facts, unread)
	plain := "  " + strings.Join(facts, " · ")
	styledUnread := m.theme.Dim.Render(unread)
	if c.Unread > 0 {
		styledUnread = m.theme.UnreadCount.Render(unread)
	}
	styled := "  " + m.theme.Dim.Render(strings.Join(facts[:len(facts)-1], " · "))
	if len(facts) > 1 {
		styled += m.theme.Dim.Render(" · ")
	}
	styled += styledUnread
	if zh := cell.Line(a.NameZH); zh != "" && cell.Width(plain)+3+cell.Width(zh) <= w {
		plain += " · " + zh
		styled += m.theme.Dim.Render(" · " + zh)
	}
	nameStyled := name
	if c.Unread > 0 {
		nameStyled = m.theme.Unread.Render(cell.Truncate(name, w))
	}
	cursor := i == m.nav.Cursor
	return []string{
		pane.Row(m.theme, name, nameStyled, w, cursor, m.focused),
		pane.Row(m.theme, plain, styled, w, cursor, m.focused),
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
