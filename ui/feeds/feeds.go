// Package feeds is the feeds view (key f): every feed with its status,
// counts, last check and last error. Failing feeds come first and are
// never hidden.
package feeds

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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
	Feeds(ctx context.Context) ([]store.Feed, error)
}

// StatusSource is a Source that can also list the feeds with their fetch
// status but without their item counts, which cost a look at every item:
// the status line needs no counts.
type StatusSource interface {
	FeedStatus(ctx context.Context) ([]store.Feed, error)
}

// LoadedMsg carries the feeds.
type LoadedMsg struct {
	Feeds []store.Feed
	Err   error
	// Uncounted says the feeds carry no item counts (see LoadStatus).
	Uncounted bool
}

// rowLines is the height of a row: the feed, then its URL or its error.
const rowLines = 2

// Model is the feeds view.
type Model struct {
	pane.Base
	src    Source
	feeds  []store.Feed
	nav    listnav.Nav
	loaded bool
	// counted says the feeds carry their item counts.
	counted bool
	err     error
}

// New returns the view; Load fills it.
func New(src Source, km keys.KeyMap, th theme.Theme, now func() time.Time) Model {
	return Model{Base: pane.NewBase(km, th, now), src: src}
}

// Load returns the command that reads the feeds.
func (m Model) Load() tea.Cmd {
	src := m.src
	return func() tea.Msg {
		fs, err := src.Feeds(context.Background())
		if err != nil {
			err = fmt.Errorf("feeds: unable to load feeds: %w", err)
		}
		return LoadedMsg{Feeds: fs, Err: err}
	}
}

// LoadStatus returns the command that reads the feeds for the status
// line: without their item counts when the source is a StatusSource.
func (m Model) LoadStatus() tea.Cmd {
	src, ok := m.src.(StatusSource)
	if !ok {
		return m.Load()
	}
	return func() tea.Msg {
		fs, err := src.FeedStatus(context.Background())
		if err != nil {
			err = fmt.Errorf("feeds: unable to load feeds: %w", err)
		}
		return LoadedMsg{Feeds: fs, Err: err, Uncounted: true}
	}
}

// Update handles the view's messages and keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case LoadedMsg:
		m.err = msg.Err
		if msg.Err != nil {
			break
		}
		m.loaded, m.counted = true, !msg.Uncounted
		m.feeds = slices.Clone(msg.Feeds)
		slices.SortStableFunc(m.feeds, func(a, b store.Feed) int {
			if c := cmp.Compare(state(a), state(b)); c != 0 {
				return c
			}
			return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
		})
		m.nav.SetLen(len(m.feeds))
	case tea.KeyPressMsg:
		m.nav.Update(m.Keys, msg)
	}
	return m, nil
}

// state orders feeds: failing, then working, then disabled.
func state(f store.Feed) int {
	switch {
	case !f.Enabled:
		return 2
	case f.LastError != "":
		return 0
	}
	return 1
}

// Summary returns when a feed was last checked and how many are failing,
// for the status line.
func (m Model) Summary() (lastCheck time.Time, failing int, loaded bool) {
	for _, f := range m.feeds {
		if f.LastCheck.After(lastCheck) {
			lastCheck = f.LastCheck
		}
		if f.Enabled && f.LastError != "" {
			failing++
		}
	}
	return lastCheck, failing, m.loaded
}

// HandleKey handles a key press while the view is open.
func (m *Model) HandleKey(msg tea.KeyPressMsg) tea.Cmd { return pane.Update(m, msg) }

// Scroll moves the view by d rows, for the mouse wheel.
func (m *Model) Scroll(d int) tea.Cmd {
	m.nav.Scroll(d)
	return nil
}

// SetSize sets the view's size in cells.
func (m *Model) SetSize(w, h int) tea.Cmd {
	m.nav.SetHeight((h - 1) / rowLines)
	return m.Base.SetSize(w, h)
}

// View draws the view in exactly its size.
func (m Model) View() string {
	if !m.Sized() {
		return ""
	}
	w, t := m.Width, m.Theme
	_, failing, _ := m.Summary()
	title := "Feeds · " + strconv.Itoa(len(m.feeds))
	if failing > 0 {
		title += " · " + strconv.Itoa(failing) + " failing"
	}
	lines := []string{pane.Title(t, title, "f/esc close", w, true)}
	switch {
	case m.err != nil:
		lines = append(lines, pane.ErrorLines(t, m.err, w)...)
	case !m.loaded:
		lines = append(lines, pane.Note(t, " loading…", w))
	case len(m.feeds) == 0:
		lines = append(lines, pane.Note(t, " no feeds", w))
	}
	from, to := m.nav.Visible()
	for i := from; i < to && m.err == nil; i++ {
		lines = append(lines, m.row(m.feeds[i], i == m.nav.Cursor, w)...)
	}
	return pane.Join(lines, w, m.Height)
}

func (m Model) row(f store.Feed, cursor bool, w int) []string {
	t := m.Theme
	mark, markStyle := "✓", t.OK
	switch {
	case !f.Enabled:
		mark, markStyle = "–", t.Dim
	case f.LastError != "":
		mark, markStyle = "✗", t.Error
	}
	counts := plural(f.ItemCount, "item")
	if f.UnreadCount > 0 {
		counts += " · " + strconv.Itoa(f.UnreadCount) + " unread"
	}
	right := counts + " · checked " + pane.Ago(m.Now(), f.LastCheck)
	if !f.Enabled {
		right = counts + " · disabled"
	}
	if !m.counted {
		right = strings.TrimPrefix(strings.TrimPrefix(right, counts), " · ")
	}
	name := cell.Line(f.Title)
	if name == "" {
		name = cell.Line(f.URL)
	}
	// Cut the name before isolating it, so that the row is not cut later
	// through the isolate's closing mark.
	name = cell.Isolate(cell.Truncate(name, max(w-cell.Width(right)-12, 8)))
	if lang := cell.Line(f.Lang); lang != "" {
		name += " [" + lang + "]"
	}
	plain1 := cell.Between(" "+mark+" "+name, right+" ", w)
	styled1 := cell.Between(" "+markStyle.Render(mark)+" "+name, t.Dim.Render(right)+" ", w)

	var plain2, styled2 string
	if f.Enabled && f.LastError != "" {
		msg := cell.Line(f.LastError)
		if f.Failures > 1 {
			msg += " (" + strconv.Itoa(f.Failures) + " failures in a row"
			if !f.LastSuccess.IsZero() {
				msg += ", last success " + pane.Ago(m.Now(), f.LastSuccess)
			}
			msg += ")"
		}
		plain2 = "   " + msg
		styled2 = "   " + t.Error.Render(cell.Truncate(msg, w-3))
	} else {
		u := cell.Line(f.URL)
		plain2 = "   " + u
		styled2 = "   " + t.Dim.Render(cell.Truncate(u, w-3))
	}
	return []string{
		pane.Row(t, plain1, styled1, w, cursor, true),
		pane.Row(t, plain2, styled2, w, cursor, true),
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
