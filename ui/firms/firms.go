// Package firms is the second pane: the members of the selected alliance
// (or every firm), each with compact sanction badges and an unread count.
// Moving the cursor emits SelectedMsg; the root pushes the firm into the
// news pane and the reader.
package firms

import (
	"context"
	"fmt"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/badge"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/internal/listnav"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// Source is what the pane reads.
type Source interface {
	Firms(ctx context.Context, alliance string) ([]store.Firm, error)
	FirmCounts(ctx context.Context) (map[string]store.Counts, error)
}

// LoadedMsg carries the firms of an alliance. Seq is the request it
// answers; answers to older requests are dropped.
type LoadedMsg struct {
	Seq      int
	Alliance string
	Firms    []store.Firm
	Counts   map[string]store.Counts
	Err      error
}

// CountsMsg carries fresh unread counts per firm.
type CountsMsg struct {
	Counts map[string]store.Counts
	Err    error
}

// SelectedMsg says the cursor is on another firm; Firm is "" when the
// list is empty.
type SelectedMsg struct {
	Firm string
}

// Model is the firms pane.
type Model struct {
	pane.Base
	src      Source
	codes    badge.Codes
	title    string // the alliance's name, for the title line
	alliance string // the alliance asked for
	shown    string // the alliance whose firms are shown
	pick     listnav.Picker[store.Firm]
	badges   [][]badge.Badge
	seq      int
	loading  bool
	loaded   bool
	err      error
	watched  map[string]bool // firm IDs on the watch list
}

// New returns the pane; SetAlliance fills it.
func New(src Source, km keys.KeyMap, th theme.Theme) Model {
	return Model{Base: pane.NewBase(km, th, nil), src: src, codes: badge.NewCodes(nil), pick: listnav.NewPicker(
		func(f store.Firm) string { return f.ID },
		func(id string) tea.Msg { return SelectedMsg{Firm: id} })}
}

// SetAlliance shows the members of an alliance ("" for every firm), named
// title in the title line, and returns the command that loads them.
func (m Model) SetAlliance(id, title string) (Model, tea.Cmd) {
	m.alliance, m.title = id, title
	return m, m.load()
}

// Reload returns the command that reads the shown firms again, keeping the
// cursor on the same firm.
func (m Model) Reload() (Model, tea.Cmd) { return m, m.load() }

func (m *Model) load() tea.Cmd {
	m.seq++
	m.loading = true
	src, seq, alliance := m.src, m.seq, m.alliance
	return func() tea.Msg { return loadFirms(src, seq, alliance) }
}

func loadFirms(src Source, seq int, alliance string) LoadedMsg {
	ctx := context.Background()
	fs, err := src.Firms(ctx, alliance)
	if err != nil {
		return LoadedMsg{Seq: seq, Alliance: alliance, Err: fmt.Errorf("firms: unable to load firms: %w", err)}
	}
	counts, err := src.FirmCounts(ctx)
	if err != nil {
		err = fmt.Errorf("firms: unable to count items: %w", err)
	}
	return LoadedMsg{Seq: seq, Alliance: alliance, Firms: fs, Counts: counts, Err: err}
}

// LoadCounts returns the command that reads fresh unread counts.
func (m Model) LoadCounts() tea.Cmd {
	src := m.src
	return func() tea.Msg {
		counts, err := src.FirmCounts(context.Background())
		if err != nil {
			err = fmt.Errorf("firms: unable to count items: %w", err)
		}
		return CountsMsg{Counts: counts, Err: err}
	}
}

// SetLists sets the lists the badges are named from.
func (m *Model) SetLists(lists []store.List) {
	m.codes = badge.NewCodes(lists)
	m.rebadge()
}

func (m *Model) rebadge() {
	m.badges = make([][]badge.Badge, len(m.pick.Rows()))
	for i, f := range m.pick.Rows() {
		m.badges[i] = badge.For(f.Designations, m.codes)
	}
}

// Update handles the pane's messages and, when focused, its keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case LoadedMsg:
		if msg.Seq != m.seq {
			return m, nil // an answer to an older request
		}
		m.loading = false
		m.err = msg.Err
		if msg.Firms == nil && msg.Err != nil {
			return m, nil
		}
		keep := ""
		if m.loaded && msg.Alliance == m.shown {
			keep = m.SelectedID()
		}
		m.shown, m.loaded = msg.Alliance, true
		m.pick.SetRows(msg.Firms, keep)
		if msg.Counts != nil {
			m.pick.SetCounts(msg.Counts, nil)
		}
		m.rebadge()
		// Always say what is selected after a load: the firm may be the
		// same ID in a different alliance, and the root must learn of an
		// empty list too.
		return m, m.pick.Announce()
	case CountsMsg:
		if err := m.pick.SetCounts(msg.Counts, msg.Err); err != nil {
			m.err = err
		}
		return m, nil
	}
	return m, m.pick.Update(m.Keys, m.Focused(), msg)
}

// HandleKey handles a key press while the pane has the keyboard.
func (m *Model) HandleKey(msg tea.KeyPressMsg) tea.Cmd { return pane.Update(m, msg) }

// Click moves the cursor to screen row y of the pane (0 is the title).
func (m *Model) Click(y int) tea.Cmd { return m.pick.Click(y - 1) }

// Scroll moves the view and cursor by d rows, for the mouse wheel.
func (m *Model) Scroll(d int) tea.Cmd { return m.pick.Scroll(d) }

// Selected returns the firm under the cursor.
func (m Model) Selected() (store.Firm, bool) { return m.pick.Selected() }

// SelectedID returns the ID of the firm under the cursor, or "".
func (m Model) SelectedID() string { return m.pick.SelectedID() }

// Counts returns the item counts of a firm.
func (m Model) Counts(id string) store.Counts { return m.pick.Counts(id) }

// AllCounts returns the item counts of every firm by ID, trends included,
// for the reader's cards; the map is to be read only.
func (m Model) AllCounts() map[string]store.Counts { return m.pick.AllCounts() }

// Loaded reports whether the firms of the alliance shown have arrived.
func (m Model) Loaded() bool { return m.loaded }

// Alliance returns the alliance whose firms are shown or being loaded.
func (m Model) Alliance() string { return m.alliance }

// Loading reports whether a load is under way.
func (m Model) Loading() bool { return m.loading }

// Err returns the last load error.
func (m Model) Err() error { return m.err }

// SetSize sets the pane's size in cells.
func (m *Model) SetSize(w, h int) tea.Cmd {
	m.pick.Nav.SetHeight(h - 1)
	return m.Base.SetSize(w, h)
}

// View draws the pane in exactly its size.
func (m Model) View() string {
	if !m.Sized() {
		return ""
	}
	w := m.Width
	title := "2 Firms"
	if m.title != "" {
		title += " · " + cell.Line(m.title)
	}
	note := "unread"
	if w < 24 {
		note = ""
	}
	from, to := m.pick.Nav.Visible()
	var nameW, badgeW int
	trend := false
	if m.loaded && len(m.pick.Rows()) > 0 {
		nameW, badgeW, trend = m.columns(from, to, w)
		if trend {
			note = "12 weeks   unread"
		}
	}
	lines := []string{pane.Title(m.Theme, title, note, w, m.Focused())}
	switch {
	case m.err != nil && !m.loaded:
		lines = append(lines, pane.ErrorLines(m.Theme, m.err, w)...)
	case !m.loaded:
		lines = append(lines, pane.Note(m.Theme, "loading…", w))
	case len(m.pick.Rows()) == 0:
		lines = append(lines, pane.Note(m.Theme, " no firms", w))
	default:
		for i := from; i < to; i++ {
			lines = append(lines, m.row(i, w, nameW, badgeW, trend))
		}
		if m.err != nil && len(lines) < m.Height {
			lines = append(lines, pane.ErrorLines(m.Theme, m.err, w)...)
		}
	}
	return pane.Join(lines, w, m.Height)
}

// unreadW is the width of the unread column.
const unreadW = 4

// trendW is the width of the trend column: a sparkline and a space.
const trendW = store.TrendWeeks + 1

// columns shares the width between names and badges so that the badges
// of the visible rows line up in one column. The trend column comes in
// when the names and badges of the visible rows fit beside it uncut.
func (m Model) columns(from, to, w int) (nameW, badgeW int, trend bool) {
	avail := w - 1 - unreadW
	maxName, maxBadges := 0, 0
	for i := from; i < to; i++ {
		maxName = max(maxName, cell.Width(displayName(m.pick.Rows()[i])))
		maxBadges = max(maxBadges, badge.Width(m.badges[i]))
	}
	if avail-trendW >= maxName+1+maxBadges {
		avail -= trendW
		trend = true
	}
	// Badges matter more than the end of a long name, but a name keeps
	// up to 14 cells ("Iluvatar CoreX") when it has to share.
	nameW = min(maxName, max(avail-1-maxBadges, min(avail/2, 14)))
	badgeW = max(avail-1-nameW, 0)
	return nameW, badgeW, trend
}

// SetWatched marks the firms on the watch list.
func (m *Model) SetWatched(ids map[string]bool) { m.watched = ids }

func displayName(f store.Firm) string {
	if f.Short != "" {
		return cell.Line(f.Short)
	}
	return cell.Line(f.Name)
}

func (m Model) row(i, w, nameW, badgeW int, trend bool) string {
	f := m.pick.Rows()[i]
	name := cell.Fit(cell.Text(m.Theme.Bidi, displayName(f), nameW), nameW)
	c := m.pick.Counts(f.ID)
	un := ""
	if c.Unread > 0 {
		un = strconv.Itoa(c.Unread)
	}
	unread := cell.FitRight(un, unreadW)
	plainBadges := cell.Fit(badge.Render(*m.Theme, m.badges[i], badgeW, false), badgeW)
	spark, styledSpark := "", ""
	if trend {
		spark = " " + c.Trend.Sparkline()
		styledSpark = " " + m.Theme.Dim.Render(c.Trend.Sparkline())
	}
	lead, styledLead := " ", " "
	if m.watched[f.ID] {
		lead, styledLead = theme.MarkWatched, m.Theme.Star.Render(theme.MarkWatched)
	}
	plain := lead + name + " " + plainBadges + spark + unread
	styledName := name
	if c.Unread > 0 {
		styledName = m.Theme.Unread.Render(name)
	}
	styled := styledLead + styledName + " " + cell.Fit(badge.Render(*m.Theme, m.badges[i], badgeW, true), badgeW) +
		styledSpark + m.Theme.UnreadCount.Render(unread)
	return pane.Row(m.Theme, plain, styled, w, i == m.pick.Nav.Cursor, m.Focused())
}
