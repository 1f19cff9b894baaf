// Package reader is the fourth pane. It shows one of three cards in a
// scrollable viewport: an item (title, source, date, link, the firms and
// alliances it names with their designations, and the text with the
// matched names highlighted), a firm (names, aliases, alliances, the
// designation timeline and related sanctions news), or an alliance.
package reader

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/badge"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// Source is what the pane reads.
type Source interface {
	Item(ctx context.Context, id int64) (store.Item, error)
	Firms(ctx context.Context, alliance string) ([]store.Firm, error)
	Alliances(ctx context.Context) ([]store.Alliance, error)
	DesignationEvents(ctx context.Context, firm string, since time.Time) ([]store.DesignationEvent, error)
	Items(ctx context.Context, f store.Filter) ([]store.Item, error)
}

// ArticleSource brings an item's article: the kept one, else fetched
// from the item's page (the b key).
type ArticleSource interface {
	Article(ctx context.Context, itemID int64) (store.Article, error)
}

// ArticleLoadedMsg carries an item's article, or why there is none.
type ArticleLoadedMsg struct {
	Seq     int
	Item    int64
	Article store.Article
	Err     error
}

// Mode is what the reader shows.
type Mode int

// Modes.
const (
	ModeEmpty Mode = iota
	ModeItem
	ModeFirm
	ModeAlliance
)

// ItemLoadedMsg carries an item in full.
type ItemLoadedMsg struct {
	Seq  int
	Item store.Item
	Err  error
}

// FirmLoadedMsg carries a firm's designation history and sanctions news.
type FirmLoadedMsg struct {
	Seq    int
	Firm   string
	Events []store.DesignationEvent
	News   []store.Item
	Err    error
}

// DirectoryMsg carries every firm and alliance, to name what items mention.
type DirectoryMsg struct {
	Firms     []store.Firm
	Alliances []store.Alliance
	Err       error
}

// newsLimit is how many sanctions items the firm card lists.
const newsLimit = 8

// Model is the reader pane.
type Model struct {
	pane.Base
	src Source

	codes     badge.Codes
	lists     map[string]store.List
	listOrder []store.List // the lists in badge order, for "none found"
	firms     map[string]store.Firm
	alliances map[string]store.Alliance
	// counts are the firms' item counts with their trends, pushed by the
	// root from the firms pane (SetFirmCounts).
	counts map[string]store.Counts

	shown   Subject
	seq     int
	loading bool
	err     error
	item    store.Item // the item shown, once loaded
	events  []store.DesignationEvent
	news    []store.Item

	// The shown item's article, once asked for with LoadArticle.
	art article

	vp viewport.Model
}

// article is the state of the shown item's article.
type article struct {
	item    int64 // the item it belongs to; 0 when none was asked for
	seq     int
	loading bool
	err     error
	a       store.Article
}

// New returns an empty reader.
func New(src Source, km keys.KeyMap, th theme.Theme, now func() time.Time) Model {
	vp := viewport.New()
	vp.SoftWrap = false
	return Model{Base: pane.NewBase(km, th, now), src: src, codes: badge.NewCodes(nil), vp: vp,
		firms: map[string]store.Firm{}, alliances: map[string]store.Alliance{}}
}

// LoadDirectory returns the command that reads every firm and alliance.
func (m Model) LoadDirectory() tea.Cmd {
	src := m.src
	return func() tea.Msg {
		ctx := context.Background()
		fs, err := src.Firms(ctx, "")
		if err != nil {
			return DirectoryMsg{Err: fmt.Errorf("reader: unable to load firms: %w", err)}
		}
		as, err := src.Alliances(ctx)
		if err != nil {
			return DirectoryMsg{Err: fmt.Errorf("reader: unable to load alliances: %w", err)}
		}
		return DirectoryMsg{Firms: fs, Alliances: as}
	}
}

// SetFirmCounts sets the item counts of every firm, trends included, for
// the firm and alliance cards; m keeps the map and only reads it.
func (m *Model) SetFirmCounts(c map[string]store.Counts) {
	m.counts = c
	if m.shown.Mode == ModeFirm || m.shown.Mode == ModeAlliance {
		m.render(false)
	}
}

// SetLists sets the lists that badges and the firm card name.
func (m *Model) SetLists(lists []store.List) {
	m.codes = badge.NewCodes(lists)
	m.listOrder = lists
	m.lists = make(map[string]store.List, len(lists))
	for _, l := range lists {
		m.lists[l.ID] = l
	}
	m.render(false)
}

// Subject is what the reader shows: an item, a firm's card, an alliance's
// card, or nothing (the zero Subject). Build one with ItemSubject,
// FirmSubject or AllianceSubject.
type Subject struct {
	Mode     Mode
	Item     int64        // ModeItem: the item's ID
	Firm     string       // ModeFirm: the firm's ID
	Alliance string       // ModeAlliance: the alliance's ID; "" is the overview of all firms
	Counts   store.Counts // ModeAlliance: the items that name it
}

// ItemSubject is the item with ID id; 0 is nothing.
func ItemSubject(id int64) Subject {
	if id == 0 {
		return Subject{}
	}
	return Subject{Mode: ModeItem, Item: id}
}

// FirmSubject is the card of the firm with ID id; "" is nothing.
func FirmSubject(id string) Subject {
	if id == "" {
		return Subject{}
	}
	return Subject{Mode: ModeFirm, Firm: id}
}

// AllianceSubject is the card of the alliance with ID id, whose items are
// counted c; "" is the overview of all firms.
func AllianceSubject(id string, c store.Counts) Subject {
	return Subject{Mode: ModeAlliance, Alliance: id, Counts: c}
}

// Show shows s and returns the command that loads what it needs: an item
// in full, or a firm's history and sanctions news. An alliance's card
// needs no I/O: the directory has it all. Showing what is shown already
// loads nothing; the same card with new counts keeps its scroll position.
func (m Model) Show(s Subject) (Model, tea.Cmd) {
	if s == m.shown {
		return m, nil
	}
	moved := s.Mode != m.shown.Mode || s.Item != m.shown.Item || s.Firm != m.shown.Firm || s.Alliance != m.shown.Alliance
	if !moved && s.Mode != ModeAlliance {
		return m, nil
	}
	m.shown = s
	m.seq++
	m.err = nil
	if s.Mode != ModeItem || s.Item != m.art.item {
		m.art = article{seq: m.art.seq}
	}
	m.loading = s.Mode == ModeItem || s.Mode == ModeFirm
	var cmd tea.Cmd
	switch s.Mode {
	case ModeItem:
		src, seq, id := m.src, m.seq, s.Item
		cmd = func() tea.Msg { return loadItem(src, seq, id) }
	case ModeFirm:
		m.events, m.news = nil, nil
		cmd = m.loadFirm()
	}
	m.render(moved)
	return m, cmd
}

// loadItem reads an item in full.
func loadItem(src Source, seq int, id int64) ItemLoadedMsg {
	it, err := src.Item(context.Background(), id)
	if err != nil {
		err = fmt.Errorf("reader: unable to load item %d: %w", id, err)
	}
	return ItemLoadedMsg{Seq: seq, Item: it, Err: err}
}

func (m Model) loadFirm() tea.Cmd {
	src, seq, id := m.src, m.seq, m.shown.Firm
	return func() tea.Msg {
		ctx := context.Background()
		evs, err := src.DesignationEvents(ctx, id, time.Time{})
		if err != nil {
			return FirmLoadedMsg{Seq: seq, Firm: id, Err: fmt.Errorf("reader: unable to load designation history: %w", err)}
		}
		news, err := src.Items(ctx, store.Filter{Firms: []string{id}, Sanctions: store.Yes, Limit: newsLimit})
		if err != nil {
			return FirmLoadedMsg{Seq: seq, Firm: id, Events: evs, Err: fmt.Errorf("reader: unable to load sanctions news: %w", err)}
		}
		return FirmLoadedMsg{Seq: seq, Firm: id, Events: evs, News: news}
	}
}

// LoadArticle returns the command that brings the shown item's article
// from src; the item then shows it under its summary, or the one-line
// reason there is none. It does nothing unless an item is shown.
func (m Model) LoadArticle(src ArticleSource) (Model, tea.Cmd) {
	if m.shown.Mode != ModeItem || src == nil {
		return m, nil
	}
	id := m.shown.Item
	m.art = article{item: id, seq: m.art.seq + 1, loading: true}
	seq := m.art.seq
	m.render(false)
	return m, func() tea.Msg {
		a, err := src.Article(context.Background(), id)
		return ArticleLoadedMsg{Seq: seq, Item: id, Article: a, Err: err}
	}
}

// Reload reads what is shown again, keeping the scroll position.
func (m Model) Reload() (Model, tea.Cmd) {
	switch m.shown.Mode {
	case ModeItem:
		id := m.shown.Item
		m.seq++
		src, seq := m.src, m.seq
		return m, func() tea.Msg { return loadItem(src, seq, id) }
	case ModeFirm:
		m.seq++
		return m, m.loadFirm()
	}
	return m, nil
}

// SetStarred updates the star of the shown item after the news pane
// changed it.
func (m *Model) SetStarred(id int64, starred bool) {
	if m.shown.Mode == ModeItem && m.item.ID == id {
		m.item.Starred = starred
		m.render(false)
	}
}

// Update handles the pane's messages and, when focused, its scroll keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ItemLoadedMsg:
		if msg.Seq != m.seq {
			return m, nil
		}
		m.loading, m.err = false, msg.Err
		if msg.Err == nil {
			same := m.item.ID == msg.Item.ID
			m.item = msg.Item
			m.render(!same)
		} else {
			m.render(true)
		}
	case ArticleLoadedMsg:
		if msg.Seq != m.art.seq || msg.Item != m.art.item {
			return m, nil
		}
		m.art.loading, m.art.err, m.art.a = false, msg.Err, msg.Article
		if msg.Err != nil {
			m.render(false)
			return m, nil
		}
		// Saving the article re-tagged the item: read it again for the
		// firms only the article names.
		return m.Reload()
	case FirmLoadedMsg:
		if msg.Seq != m.seq {
			return m, nil
		}
		m.loading, m.err = false, msg.Err
		m.events, m.news = msg.Events, msg.News
		m.render(false)
	case DirectoryMsg:
		if msg.Err != nil {
			m.err = msg.Err
			break
		}
		m.firms = make(map[string]store.Firm, len(msg.Firms))
		for _, f := range msg.Firms {
			m.firms[f.ID] = f
		}
		m.alliances = make(map[string]store.Alliance, len(msg.Alliances))
		for _, a := range msg.Alliances {
			m.alliances[a.ID] = a
		}
		m.render(false)
	case tea.KeyPressMsg:
		if !m.Focused() {
			return m, nil
		}
		switch k := m.Keys; {
		case key.Matches(msg, k.Up):
			m.vp.ScrollUp(1)
		case key.Matches(msg, k.Down):
			m.vp.ScrollDown(1)
		case key.Matches(msg, k.PageUp):
			m.vp.PageUp()
		case key.Matches(msg, k.PageDown):
			m.vp.PageDown()
		case key.Matches(msg, k.Top):
			m.vp.GotoTop()
		case key.Matches(msg, k.Bottom):
			m.vp.GotoBottom()
		}
	}
	return m, nil
}

// HandleKey handles a key press while the pane has the keyboard.
func (m *Model) HandleKey(msg tea.KeyPressMsg) tea.Cmd { return pane.Update(m, msg) }

// Scroll scrolls the text by d lines, for the mouse wheel.
func (m *Model) Scroll(d int) tea.Cmd {
	if d < 0 {
		m.vp.ScrollUp(-d)
	} else {
		m.vp.ScrollDown(d)
	}
	return nil
}

// Subject returns what the reader shows.
func (m Model) Subject() Subject { return m.shown }

// Mode returns what kind of thing the reader shows.
func (m Model) Mode() Mode { return m.shown.Mode }

// Item returns the item shown, once loaded.
func (m Model) Item() (store.Item, bool) {
	if m.shown.Mode != ModeItem || m.loading || m.item.ID != m.shown.Item {
		return store.Item{}, false
	}
	return m.item, true
}

// FirmID returns the firm whose card is shown, or "".
func (m Model) FirmID() string { return m.shown.Firm }

// ScrollOffset returns the first line of text on screen.
func (m Model) ScrollOffset() int { return m.vp.YOffset() }

// Err returns the last load error.
func (m Model) Err() error { return m.err }

// SetSize sets the pane's size in cells, and lays the text out again for
// a new width.
func (m *Model) SetSize(w, h int) tea.Cmd {
	changed := w != m.Width
	m.Base.SetSize(w, h)
	m.vp.SetWidth(max(w, 0))
	m.vp.SetHeight(max(h-1, 0))
	if changed {
		m.render(false)
	}
	return nil
}

// SetTheme changes the styles and lays the text out in them.
func (m *Model) SetTheme(t *theme.Theme) {
	m.Base.SetTheme(t)
	m.render(false)
}

// render lays the card out for the pane's width; top scrolls back to the
// first line, for new content.
func (m *Model) render(top bool) {
	if m.Width <= 0 {
		return
	}
	var lines []string
	w := m.Width - 1 // one cell of left margin
	switch {
	case m.err != nil:
		lines = []string{m.Theme.Error.Render("! " + cell.Line(m.err.Error()))}
	case m.shown.Mode == ModeItem && m.loading && m.item.ID != m.shown.Item:
		lines = []string{m.Theme.Dim.Render("loading…")}
	case m.shown.Mode == ModeItem:
		lines = m.itemLines(w)
	case m.shown.Mode == ModeFirm:
		lines = m.firmLines(w)
	case m.shown.Mode == ModeAlliance:
		lines = m.allianceLines(w)
	default:
		lines = []string{m.Theme.Dim.Render("Nothing selected.")}
	}
	for i, l := range lines {
		// Each line's direction is marked on its own (cell.Emit): a
		// right-to-left line must not set the direction of the screen line
		// it shares with other panes.
		lines[i] = " " + cell.Emit(m.Theme.Bidi, l, w)
	}
	off := m.vp.YOffset()
	m.vp.SetContentLines(lines)
	if top {
		m.vp.GotoTop()
	} else {
		m.vp.SetYOffset(off)
	}
}

// View draws the pane in exactly its size.
func (m Model) View() string {
	if !m.Sized() {
		return ""
	}
	title := "4 Reader"
	switch m.shown.Mode {
	case ModeFirm:
		title += " · firm"
	case ModeAlliance:
		title += " · alliance"
	}
	note := ""
	if total := m.vp.TotalLineCount(); total > m.vp.Height() && m.vp.Height() > 0 {
		note = fmt.Sprintf("%d%%", int(m.vp.ScrollPercent()*100+0.5))
	}
	head := pane.Title(m.Theme, title, note, m.Width, m.Focused())
	lines := append([]string{head}, strings.Split(m.vp.View(), "\n")...)
	return pane.Join(lines, m.Width, m.Height)
}
