// Package items is the news pane: the items that match the root's filter,
// newest first. It holds only a window of the items around what is on
// screen and loads the next window as the cursor moves, so a store with a
// million items costs what a screenful costs. Reloads keep the cursor on
// the same item when new items arrive above it.
package items

import (
	"context"
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/listnav"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// Source is what the pane reads and writes.
type Source interface {
	Items(ctx context.Context, f store.Filter) ([]store.Item, error)
	CountItems(ctx context.Context, f store.Filter) (store.Counts, error)
	SetRead(ctx context.Context, ids []int64, read bool) error
	SetStarred(ctx context.Context, ids []int64, starred bool) error
	DataVersion(ctx context.Context) (int64, error)
}

// LoadedMsg carries a window of items starting at index Start. Seq is the
// request it answers; answers to older requests are dropped. Counts is nil
// for a page of an unchanged list.
type LoadedMsg struct {
	Seq    int
	Start  int
	Items  []store.Item
	Counts *store.Counts
	// Keep is the item the cursor was on when the reload was asked for.
	Keep int64
	Err  error
}

// SelectedMsg says the cursor is on another item; ID is 0 when the list
// is empty.
type SelectedMsg struct {
	ID int64
}

// OpenMsg says the user asked to read the item under the cursor.
type OpenMsg struct {
	ID int64
}

// MarkedMsg reports a write of read or starred state. Version is the
// store's data version after the write, so the root does not take its own
// write for another process's.
type MarkedMsg struct {
	IDs     []int64
	Field   store.Mark
	Value   bool
	Version int64
	Err     error
}

// FullCountMsg carries the full counts of filter generation gen. The pane
// counts a filter's items up to pane.CountUpTo, and counts them all once
// the list is scrolled near that far or G is pressed. The root passes it
// to the pane, as it does LoadedMsg.
type FullCountMsg struct {
	gen    int
	counts store.Counts
	err    error
}

// Model is the news pane.
type Model struct {
	pane.Base
	src Source

	filter   store.Filter
	title    string
	seq      int
	gen      int  // the filter's generation, which SetFilter moves on
	upTo     int  // counts stop here (pane.CountUpTo); 0 once they are counted in full
	counting bool // the full count is under way
	toEnd    bool // G was pressed on a count that stopped: go to the end once counted
	counts   store.Counts
	win      []store.Item
	winStart int
	nav      listnav.Nav
	loaded   bool // the current filter's first answer arrived
	paging   bool // a page load is under way
	err      error
}

// New returns the pane; SetFilter fills it.
func New(src Source, km keys.KeyMap, th theme.Theme, now func() time.Time) Model {
	return Model{Base: pane.NewBase(km, th, now), src: src, upTo: pane.CountUpTo}
}

// margin is how many rows are loaded beyond each edge of the screen.
func (m Model) margin() int { return max(m.nav.Height, 10) }

func (m Model) limit() int { return m.nav.Height + 2*m.margin() }

// SetFilter shows the items that match f, titled title, from the top, and
// returns the command that loads them.
func (m Model) SetFilter(f store.Filter, title string) (Model, tea.Cmd) {
	f.Limit, f.Offset = 0, 0
	m.filter, m.title = f, title
	m.seq++
	m.gen++
	m.upTo, m.counting, m.toEnd = pane.CountUpTo, false, false
	m.loaded, m.paging = false, false
	m.win, m.winStart = nil, 0
	m.nav.SetCursor(0)
	src, seq, limit, upTo := m.src, m.seq, m.limit(), m.upTo
	return m, func() tea.Msg { return loadWindow(src, seq, f, upTo, 0, limit, 0) }
}

// Reload reads the list again, as after another process wrote to the
// store, keeping the cursor on the same item and that item on the same
// screen row.
func (m Model) Reload() (Model, tea.Cmd) {
	m.seq++
	m.paging = false
	src, seq, f, limit, upTo := m.src, m.seq, m.filter, m.limit(), m.upTo
	start := max(m.nav.Offset-m.margin(), 0)
	keep := m.SelectedID()
	return m, func() tea.Msg { return loadWindow(src, seq, f, upTo, start, limit, keep) }
}

// LoadCounts returns the command that counts the matching items again.
func (m Model) LoadCounts() tea.Cmd {
	src, seq, f := m.src, m.seq, m.filter
	f.CountUpTo = m.upTo
	return func() tea.Msg {
		c, err := src.CountItems(context.Background(), f)
		if err != nil {
			return LoadedMsg{Seq: seq, Err: fmt.Errorf("items: unable to count items: %w", err)}
		}
		return CountsMsg{Seq: seq, Counts: c}
	}
}

// CountsMsg carries fresh counts of the items shown, after a mark.
type CountsMsg struct {
	Seq    int
	Counts store.Counts
}

// loadWindow reads the count, stopping at upTo when that is above 0, and
// limit items from start. With keep set it also finds where that item is
// now, since new items may have pushed it further down than the window
// reaches.
func loadWindow(src Source, seq int, f store.Filter, upTo, start, limit int, keep int64) LoadedMsg {
	ctx := context.Background()
	var first chan pageResult
	if start == 0 {
		// The top of a list needs no count: read it while counting.
		first = make(chan pageResult, 1)
		go func() {
			items, err := page(ctx, src, f, 0, limit)
			first <- pageResult{items, err}
		}()
	}
	cf := f
	cf.CountUpTo = upTo
	counts, err := src.CountItems(ctx, cf)
	if err != nil {
		return LoadedMsg{Seq: seq, Err: fmt.Errorf("items: unable to count items: %w", err)}
	}
	start = min(start, max(counts.Total-limit, 0))
	var items []store.Item
	if first != nil {
		r := <-first
		items, err = r.items, r.err
	} else {
		items, err = page(ctx, src, f, start, limit)
	}
	if err != nil {
		return LoadedMsg{Seq: seq, Err: err}
	}
	if keep != 0 && !slices.ContainsFunc(items, func(it store.Item) bool { return it.ID == keep }) {
		if s2, items2, ok := find(ctx, src, f, keep, limit); ok {
			start, items = s2, items2
		}
	}
	return LoadedMsg{Seq: seq, Start: start, Items: items, Counts: &counts, Keep: keep}
}

// pageResult is the answer to a page read.
type pageResult struct {
	items []store.Item
	err   error
}

// find locates item id in the list by counting the items published at or
// after it, and returns the window around it.
func find(ctx context.Context, src Source, f store.Filter, id int64, limit int) (int, []store.Item, bool) {
	g := f
	g.IDs = []int64{id}
	g.Limit = 1
	its, err := src.Items(ctx, g)
	if err != nil || len(its) == 0 {
		return 0, nil, false
	}
	g = f
	if its[0].Published.After(g.Since) {
		g.Since = its[0].Published
	}
	c, err := src.CountItems(ctx, g)
	if err != nil {
		return 0, nil, false
	}
	start := max(c.Total-1-limit/2, 0)
	items, err := page(ctx, src, f, start, limit)
	if err != nil || !slices.ContainsFunc(items, func(it store.Item) bool { return it.ID == id }) {
		return 0, nil, false
	}
	return start, items, true
}

func page(ctx context.Context, src Source, f store.Filter, start, limit int) ([]store.Item, error) {
	f.Offset, f.Limit = start, limit
	items, err := src.Items(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("items: unable to load items: %w", err)
	}
	return items, nil
}

// Update handles the pane's messages and, when focused, its keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	before := m.SelectedID()
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case LoadedMsg:
		if msg.Seq != m.seq {
			return m, nil
		}
		m.paging = false
		m.err = msg.Err
		if msg.Err != nil {
			break
		}
		m.apply(msg)
	case CountsMsg:
		if msg.Seq == m.seq {
			m.counts = msg.Counts
		}
	case FullCountMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.counting = false
		if msg.err != nil {
			m.err = msg.err
			break
		}
		if m.counts.More { // else a reload has counted since
			m.counts = msg.counts
			m.nav.SetLen(m.counts.Total)
		}
		if m.toEnd {
			m.toEnd = false
			m.nav.SetCursor(m.nav.Len - 1)
		}
	case tea.KeyPressMsg:
		if !m.Focused() {
			return m, nil
		}
		switch {
		case m.nav.Update(m.Keys, msg):
			m.toEnd = m.counts.More && key.Matches(msg, m.Keys.Bottom)
		case key.Matches(msg, m.Keys.Open):
			if id := m.SelectedID(); id != 0 {
				cmds = append(cmds, func() tea.Msg { return OpenMsg{ID: id} })
			}
		}
	}
	cmds = append(cmds, m.ensureWindow())
	if id := m.SelectedID(); id != before && m.loaded {
		cmds = append(cmds, func() tea.Msg { return SelectedMsg{ID: id} })
	}
	return m, tea.Batch(cmds...)
}

func (m *Model) apply(msg LoadedMsg) {
	// Keep the item the cursor is on now: the user may have moved since
	// the reload was asked for. Before the first answer nothing is on.
	keep := m.SelectedID()
	if keep == 0 {
		keep = msg.Keep
	}
	first := !m.loaded
	m.win, m.winStart = msg.Items, msg.Start
	if msg.Counts != nil {
		m.counts = *msg.Counts
		m.nav.SetLen(m.counts.Total)
	}
	m.loaded = true
	if first || keep == 0 {
		return
	}
	for i, it := range m.win {
		if it.ID == keep {
			// Keep the item on the same screen row by moving the view as
			// far as the item moved, unless the view is at the top: there
			// new items show as they arrive and the cursor row moves down.
			if m.nav.Offset > 0 {
				m.nav.Offset += m.winStart + i - m.nav.Cursor
			}
			m.nav.SetCursor(m.winStart + i)
			return
		}
	}
}

// ensureWindow returns a command loading the rows on screen when the
// window does not hold them, and one counting the items in full when the
// screen nears the end of a count that stopped.
func (m *Model) ensureWindow() tea.Cmd {
	return tea.Batch(m.countAll(), m.loadVisible())
}

// countAll returns the command that counts the filter's items in full,
// when the screen is near the end of a count that stopped at upTo, and
// from then on counts them in full.
func (m *Model) countAll() tea.Cmd {
	if !m.loaded || !m.counts.More || m.upTo == 0 || m.counting {
		return nil
	}
	if _, to := m.nav.Visible(); to < m.counts.Total-m.margin() {
		return nil
	}
	m.upTo, m.counting = 0, true
	src, gen, f := m.src, m.gen, m.filter
	return func() tea.Msg {
		c, err := src.CountItems(context.Background(), f)
		if err != nil {
			err = fmt.Errorf("items: unable to count items: %w", err)
		}
		return FullCountMsg{gen: gen, counts: c, err: err}
	}
}

// loadVisible returns a command loading the rows on screen when the
// window does not hold them.
func (m *Model) loadVisible() tea.Cmd {
	if !m.loaded || m.paging || m.counts.Total == 0 {
		return nil
	}
	from, to := m.nav.Visible()
	if from >= m.winStart && to <= m.winStart+len(m.win) {
		return nil
	}
	m.seq++
	m.paging = true
	src, seq, f, limit := m.src, m.seq, m.filter, m.limit()
	start := max(from-m.margin(), 0)
	return func() tea.Msg {
		items, err := page(context.Background(), src, f, start, limit)
		return LoadedMsg{Seq: seq, Start: start, Items: items, Err: err}
	}
}

// ToggleRead flips the read state of the item under the cursor at once and
// returns the command that writes it.
func (m Model) ToggleRead() (Model, tea.Cmd) {
	it, ok := m.Selected()
	if !ok {
		return m, nil
	}
	return m.SetRead(it.ID, !it.Read)
}

// SetRead sets the read state of a loaded item at once and returns the
// command that writes it; it does nothing when the state is already so.
func (m Model) SetRead(id int64, read bool) (Model, tea.Cmd) {
	i := m.index(id)
	if i < 0 || m.win[i].Read == read {
		return m, nil
	}
	m.win = slices.Clone(m.win)
	m.win[i].Read = read
	if read {
		m.counts.Unread--
	} else {
		m.counts.Unread++
	}
	src := m.src
	return m, func() tea.Msg {
		return write(src, store.MarkRead, id, read, func(ctx context.Context) error { return src.SetRead(ctx, []int64{id}, read) })
	}
}

// ToggleStar flips the starred state of the item under the cursor at once
// and returns the command that writes it.
func (m Model) ToggleStar() (Model, tea.Cmd) {
	it, ok := m.Selected()
	if !ok {
		return m, nil
	}
	i := m.index(it.ID)
	m.win = slices.Clone(m.win)
	m.win[i].Starred = !it.Starred
	src, id, starred := m.src, it.ID, !it.Starred
	return m, func() tea.Msg {
		return write(src, store.MarkStarred, id, starred, func(ctx context.Context) error { return src.SetStarred(ctx, []int64{id}, starred) })
	}
}

func write(src Source, field store.Mark, id int64, v bool, fn func(context.Context) error) MarkedMsg {
	ctx := context.Background()
	msg := MarkedMsg{IDs: []int64{id}, Field: field, Value: v}
	if err := fn(ctx); err != nil {
		msg.Err = fmt.Errorf("items: unable to mark item %s: %w", field, err)
		return msg
	}
	msg.Version, _ = src.DataVersion(ctx)
	return msg
}

func (m Model) index(id int64) int {
	return slices.IndexFunc(m.win, func(it store.Item) bool { return it.ID == id })
}

// HandleKey handles a key press while the pane has the keyboard.
func (m *Model) HandleKey(msg tea.KeyPressMsg) tea.Cmd { return pane.Update(m, msg) }

// Click moves the cursor to screen row y of the pane (0 is the title).
func (m *Model) Click(y int) tea.Cmd {
	before := m.SelectedID()
	m.nav.Click(y - 1)
	return m.after(before)
}

// Scroll moves the view and cursor by d rows, for the mouse wheel.
func (m *Model) Scroll(d int) tea.Cmd {
	before := m.SelectedID()
	m.nav.Scroll(d)
	return m.after(before)
}

// after loads the rows the cursor moved to and announces the item now
// under it.
func (m *Model) after(before int64) tea.Cmd {
	cmd := m.ensureWindow()
	if id := m.SelectedID(); id != before {
		return tea.Batch(cmd, func() tea.Msg { return SelectedMsg{ID: id} })
	}
	return cmd
}

// Selected returns the item under the cursor, when it is loaded.
func (m Model) Selected() (store.Item, bool) {
	i := m.nav.Cursor - m.winStart
	if !m.loaded || i < 0 || i >= len(m.win) || m.counts.Total == 0 {
		return store.Item{}, false
	}
	return m.win[i], true
}

// SelectedID returns the ID of the item under the cursor, or 0.
func (m Model) SelectedID() int64 {
	it, _ := m.Selected()
	return it.ID
}

// Counts returns the number of matching items and how many are unread.
func (m Model) Counts() store.Counts { return m.counts }

// Filter returns the filter the pane shows.
func (m Model) Filter() store.Filter { return m.filter }

// Loaded reports whether the current filter's first answer arrived.
func (m Model) Loaded() bool { return m.loaded }

// Cursor returns the index of the cursor row and of the first row on screen.
func (m Model) Cursor() (cursor, offset int) { return m.nav.Cursor, m.nav.Offset }

// Window returns the index of the first loaded item and how many are loaded.
func (m Model) Window() (start, n int) { return m.winStart, len(m.win) }

// Err returns the last load error.
func (m Model) Err() error { return m.err }

// SetSize sets the pane's size in cells and returns the command that
// loads rows the new size brings on screen.
func (m *Model) SetSize(w, h int) tea.Cmd {
	m.Base.SetSize(w, h)
	m.nav.SetHeight(h - 1)
	return m.ensureWindow()
}
