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

// LoadedMsg carries the alliances, the saved views and their counts.
type LoadedMsg struct {
	Alliances []store.Alliance
	Views     []View
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
	pane.Base
	src    Source
	pick   listnav.Picker[store.Alliance] // row 0 is "All firms"; the views follow the alliances
	loaded bool
	err    error

	views    ViewSource // nil: no Views group
	parse    ParseFunc
	viewList []View
	watched  map[string]bool // alliance IDs on the watch list
}

// allFirms is the first row.
var allFirms = store.Alliance{ID: AllFirms, Name: "All firms"}

// New returns the pane; Load fills it.
func New(src Source, km keys.KeyMap, th theme.Theme) Model {
	m := Model{Base: pane.NewBase(km, th, nil), src: src, pick: listnav.NewPicker(
		func(a store.Alliance) string { return a.ID },
		func(id string) tea.Msg { return SelectedMsg{Alliance: id} })}
	m.pick.SetRows([]store.Alliance{allFirms}, AllFirms)
	return m
}

// Load returns the command that reads the alliances and their counts.
func (m Model) Load() tea.Cmd {
	src, vsrc, parse := m.src, m.views, m.parse
	return func() tea.Msg {
		msg := loadAlliances(src)
		if msg.Err == nil {
			msg.Views, msg.Err = loadViews(vsrc, parse, msg.Counts)
		}
		return msg
	}
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
	if m.views != nil && len(m.viewList) > 0 {
		return countViews(src, m.views, m.viewList)
	}
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
	switch msg := msg.(type) {
	case CountsMsg:
		if err := m.pick.SetCounts(msg.Counts, msg.Err); err != nil {
			m.err = err
		}
		return m, nil
	case LoadedMsg:
		before := m.Selected()
		m.err = msg.Err
		if msg.Alliances != nil || msg.Err == nil {
			m.viewList = msg.Views
			rows := append([]store.Alliance{allFirms}, msg.Alliances...)
			m.pick.SetRows(append(rows, viewRows(msg.Views)...), before)
		}
		if msg.Counts != nil {
			m.pick.SetCounts(msg.Counts, nil)
		}
		if !m.loaded {
			m.loaded = true
			return m, m.pick.Announce()
		}
		return m, m.pick.Moved(before)
	}
	return m, m.pick.Update(m.Keys, m.Focused(), msg)
}

// HandleKey handles a key press while the pane has the keyboard.
func (m *Model) HandleKey(msg tea.KeyPressMsg) tea.Cmd { return pane.Update(m, msg) }

// Click moves the cursor to the row at screen row y of the pane (0 is the
// title; each row takes rowLines lines).
func (m *Model) Click(y int) tea.Cmd {
	if y < 1 {
		return nil
	}
	return m.pick.Click((y - 1) / rowLines)
}

// Scroll moves the view and cursor by d rows, for the mouse wheel.
func (m *Model) Scroll(d int) tea.Cmd { return m.pick.Scroll(d) }

// Selected returns the ID under the cursor: AllFirms or an alliance ID.
func (m Model) Selected() string { return m.pick.SelectedID() }

// Alliance returns the alliance with the given ID.
func (m Model) Alliance(id string) (store.Alliance, bool) {
	for _, a := range m.Alliances() {
		if a.ID == id {
			return a, true
		}
	}
	return store.Alliance{}, false
}

// Loaded reports whether the alliances have arrived.
func (m Model) Loaded() bool { return m.loaded }

// Alliances returns the loaded alliances.
func (m Model) Alliances() []store.Alliance {
	rows := m.pick.Rows()[1:]
	return rows[:len(rows)-len(m.viewList)]
}

// Counts returns the item counts of an alliance; AllFirms counts all items.
func (m Model) Counts(id string) store.Counts { return m.pick.Counts(id) }

// Err returns the last load error.
func (m Model) Err() error { return m.err }

// SetSize sets the pane's size in cells.
func (m *Model) SetSize(w, h int) tea.Cmd {
	m.pick.Nav.SetHeight((h - 1) / rowLines)
	return m.Base.SetSize(w, h)
}

// View draws the pane in exactly its size.
func (m Model) View() string {
	if !m.Sized() {
		return ""
	}
	w := m.Width
	title := "1 Alliances"
	if len(m.viewList) > 0 {
		title = "1 Alliances · Views"
	}
	lines := []string{pane.Title(m.Theme, title, "", w, m.Focused())}
	switch {
	case m.err != nil && !m.loaded:
		lines = append(lines, pane.ErrorLines(m.Theme, m.err, w)...)
	case !m.loaded:
		lines = append(lines, pane.Note(m.Theme, "loading…", w))
	default:
		from, to := m.pick.Nav.Visible()
		for i := from; i < to; i++ {
			lines = append(lines, m.row(i, w)...)
		}
		if m.err != nil && len(lines) < m.Height {
			lines = append(lines, pane.ErrorLines(m.Theme, m.err, w)...)
		}
	}
	return pane.Join(lines, w, m.Height)
}

// SetWatched marks the alliances on the watch list.
func (m *Model) SetWatched(ids map[string]bool) { m.watched = ids }

// row draws alliance i as two lines: the name, then its counts.
func (m Model) row(i, w int) []string {
	a := m.pick.Rows()[i]
	lead := " "
	if m.watched[a.ID] {
		lead = theme.MarkWatched
	}
	name := lead + cell.Text(m.Theme.Bidi, cell.Line(a.Name), w-1)
	c := m.pick.Counts(a.ID)
	facts := []string{plural(c.Total, "item")}
	switch v, isView := m.SavedView(a.ID); {
	case isView:
		name = " ⌕ " + cell.Line(a.Name)
		from := "saved"
		if v.Source == "file" {
			from = "config"
		}
		facts = []string{from}
		if v.Err != nil {
			facts = []string{from, "bad query"}
		}
	case a.ID != AllFirms:
		facts = []string{plural(len(a.Members), "firm")}
	}
	unread := pane.Count(c.Unread, c.More) + " unread"
	facts = append(facts, unread)
	plain := "  " + strings.Join(facts, " · ")
	styledUnread := m.Theme.Dim.Render(unread)
	if c.Unread > 0 {
		styledUnread = m.Theme.UnreadCount.Render(unread)
	}
	styled := "  " + m.Theme.Dim.Render(strings.Join(facts[:len(facts)-1], " · "))
	if len(facts) > 1 {
		styled += m.Theme.Dim.Render(" · ")
	}
	styled += styledUnread
	if zh := cell.Line(a.NameZH); zh != "" && cell.Width(plain)+3+cell.Width(zh) <= w {
		plain += " · " + zh
		styled += m.Theme.Dim.Render(" · " + zh)
	}
	nameStyled := name
	if c.Unread > 0 {
		nameStyled = m.Theme.Unread.Render(cell.Truncate(name, w))
	}
	cursor := i == m.pick.Nav.Cursor
	return []string{
		pane.Row(m.Theme, name, nameStyled, w, cursor, m.Focused()),
		pane.Row(m.Theme, plain, styled, w, cursor, m.Focused()),
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
