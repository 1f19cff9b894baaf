// Package changes is the "what changed" view (key c): the designation
// events since the user last looked, newest first. Loading the view
// records the new "last looked" time in the store.
package changes

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/internal/listnav"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// Source is what the view reads and writes.
type Source interface {
	DesignationEvents(ctx context.Context, firm string, since time.Time) ([]store.DesignationEvent, error)
	ChangesSeen(ctx context.Context) (time.Time, error)
	SetChangesSeen(ctx context.Context, t time.Time) error
	Firms(ctx context.Context, alliance string) ([]store.Firm, error)
	Lists(ctx context.Context) ([]store.List, error)
}

// LoadedMsg carries the events since the last look. Names maps firm IDs
// to display names and Badges list IDs to badges.
type LoadedMsg struct {
	Since  time.Time
	Events []store.DesignationEvent
	Names  map[string]string
	Badges map[string]string
	Err    error
}

// Model is the "what changed" view.
type Model struct {
	pane.Base
	src    Source
	since  time.Time
	events []store.DesignationEvent
	names  map[string]string
	badges map[string]string
	nav    listnav.Nav
	loaded bool
	err    error
}

// New returns the view; Load fills it.
func New(src Source, km keys.KeyMap, th theme.Theme, now func() time.Time) Model {
	return Model{Base: pane.NewBase(km, th, now), src: src}
}

// Load returns the command that reads the events since the last look and
// then records that the user has now looked.
func (m Model) Load() tea.Cmd {
	src, now := m.src, m.Now()
	return func() tea.Msg { return loadChanges(src, now) }
}

func loadChanges(src Source, now time.Time) LoadedMsg {
	ctx := context.Background()
	since, err := src.ChangesSeen(ctx)
	if err != nil {
		return LoadedMsg{Err: fmt.Errorf("changes: unable to read when changes were last seen: %w", err)}
	}
	evs, err := src.DesignationEvents(ctx, "", since)
	if err != nil {
		return LoadedMsg{Err: fmt.Errorf("changes: unable to load designation events: %w", err)}
	}
	// Newest first, whatever order the source keeps: the latest change
	// is what the user opened the view for. Events of the same second
	// keep the order they were logged in, the last first.
	slices.SortStableFunc(evs, func(a, b store.DesignationEvent) int {
		return cmp.Or(b.At.Compare(a.At), cmp.Compare(b.ID, a.ID))
	})
	names := map[string]string{}
	if fs, err := src.Firms(ctx, ""); err == nil {
		for _, f := range fs {
			names[f.ID] = f.Short
			if names[f.ID] == "" {
				names[f.ID] = f.Name
			}
		}
	}
	badges := map[string]string{}
	if ls, err := src.Lists(ctx); err == nil {
		for _, l := range ls {
			badges[l.ID] = l.Badge
		}
	}
	if err := src.SetChangesSeen(ctx, now); err != nil {
		return LoadedMsg{Since: since, Events: evs, Names: names, Badges: badges,
			Err: fmt.Errorf("changes: unable to record that changes were seen: %w", err)}
	}
	return LoadedMsg{Since: since, Events: evs, Names: names, Badges: badges}
}

// Update handles the view's messages and keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case LoadedMsg:
		m.err = msg.Err
		if msg.Events == nil && msg.Err != nil {
			break
		}
		m.loaded = true
		m.since, m.events, m.names, m.badges = msg.Since, msg.Events, msg.Names, msg.Badges
		m.nav.SetLen(len(m.events))
		m.nav.SetCursor(0)
	case tea.KeyPressMsg:
		m.nav.Update(m.Keys, msg)
	}
	return m, nil
}

// Events returns the events shown.
func (m Model) Events() []store.DesignationEvent { return m.events }

// HandleKey handles a key press while the view is open.
func (m *Model) HandleKey(msg tea.KeyPressMsg) tea.Cmd { return pane.Update(m, msg) }

// Scroll moves the view by d rows, for the mouse wheel.
func (m *Model) Scroll(d int) tea.Cmd {
	m.nav.Scroll(d)
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
	title := "What changed"
	if m.loaded {
		title += " since " + m.date(m.since) + " · " + strconv.Itoa(len(m.events))
	}
	lines := []string{pane.Title(t, title, "c/esc close", w, true)}
	switch {
	case m.err != nil:
		lines = append(lines, pane.ErrorLines(t, m.err, w)...)
	case !m.loaded:
		lines = append(lines, pane.Note(t, " loading…", w))
	case len(m.events) == 0:
		lines = append(lines, pane.Note(t, " No designation changes since "+m.date(m.since)+".", w))
	default:
		lines = append(lines, t.Label.Render(cell.Fit(" date        firm            change    list   detail", w)))
	}
	if m.loaded && len(m.events) > 0 {
		from, to := m.nav.Visible()
		for i := from; i < to; i++ {
			lines = append(lines, m.row(m.events[i], i == m.nav.Cursor, w))
		}
	}
	return pane.Join(lines, w, m.Height)
}

func (m Model) date(t time.Time) string {
	if t.IsZero() {
		return "the start"
	}
	return t.In(m.Now().Location()).Format("2006-01-02")
}

func (m Model) row(e store.DesignationEvent, cursor bool, w int) string {
	t := m.Theme
	name := m.names[e.Firm]
	if name == "" {
		name = e.Firm
	}
	code := m.badges[e.List]
	if code == "" {
		code = e.List
	}
	date := cell.Fit(m.date(e.At), 11)
	firm := cell.Fit(cell.Line(name), 15)
	action := cell.Fit(cell.Line(e.Action), 9)
	list := cell.Fit(cell.Line(code), 6)
	detail := cell.Isolate(cell.Truncate(cell.Line(e.Detail), max(w-47, 1)))
	plain := " " + date + " " + firm + " " + action + " " + list + " " + detail
	actionStyle := t.Unread
	switch e.Action {
	case "removed":
		actionStyle = t.OK
	case "contested":
		actionStyle = t.BadgeContested
	case "added":
		actionStyle = t.Error
	}
	styled := " " + t.Dim.Render(date) + " " + firm + " " + actionStyle.Render(action) + " " +
		t.Badge(code).Render(list) + " " + t.Dim.Render(detail)
	return pane.Row(t, plain, styled, w, cursor, true)
}
