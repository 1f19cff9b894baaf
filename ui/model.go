// Package ui is aiwatch's dashboard: four linked panes (alliances → firms
// → news → reader), a filter bar, a feeds view, a "what changed" view and
// a status line.
//
// The root model here is small on purpose: it lays the panes out, moves
// the focus, routes each message to the pane that owns it, and pushes a
// pane's selection into the panes after it. Each pane lives in its own
// package, reads through its own small interface, and exports the
// messages it emits; panes never import each other. All I/O runs in
// tea.Cmd functions; answers to stale requests are dropped by sequence
// number.
package ui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/alerts"
	"github.com/aiwatch/aiwatch/ui/alliances"
	"github.com/aiwatch/aiwatch/ui/changes"
	"github.com/aiwatch/aiwatch/ui/feeds"
	"github.com/aiwatch/aiwatch/ui/filterbar"
	"github.com/aiwatch/aiwatch/ui/firms"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/items"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/reader"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// paneID names the four panes.
type paneID int

const (
	paneAlliances paneID = iota
	paneFirms
	paneItems
	paneReader
	paneCount
)

// overlay is a view shown in place of the panes.
type overlay int

const (
	overlayNone overlay = iota
	overlayHelp
	overlayFeeds
	overlayChanges
	overlayAlerts
	overlayCount
)

// pollEvery is how often the store's data version is checked for writes
// by other processes, without a change signal (Config.Changes); with
// one, the timer only backs the signal up, every fallbackPoll.
const (
	pollEvery    = 2 * time.Second
	fallbackPoll = time.Minute
)

// Model is the dashboard. It implements tea.Model.
type Model struct {
	cfg    Config
	keys   keys.KeyMap  // the global keys
	keySet keys.Set     // every context's keys, for the panes and the help
	theme  *theme.Theme // shared by every pane; replaced, never changed

	dark    bool
	noColor bool
	width   int
	height  int

	focus   paneID
	follows paneID // the list pane the reader follows: alliances, firms or items
	// newsByFirm says the news follows the selected firm (the firms pane
	// was entered last) rather than the selected alliance.
	newsByFirm bool
	overlay    overlay
	// firmCard pins the reader to the selected firm's card (key i).
	firmCard bool

	alliances alliances.Model
	firms     firms.Model
	items     items.Model
	reader    reader.Model
	feeds     feeds.Model
	changes   changes.Model
	alerts    alerts.Model
	filter    filterbar.Model

	query      store.Filter // the filter bar's filter in force
	unreadOnly bool
	newsSet    bool // the news pane has been given a filter: syncNews skips one it shows
	lists      []store.List
	unseen     int // designation changes since the user last looked
	alertCount int // unacknowledged alerts
	// pin is what the reader shows after a jump from the alerts view,
	// until the focus moves to a list or esc.
	pin reader.Subject

	version   int64 // the store's data version last seen
	pollEvery time.Duration
	refresh   refreshState
	status    status
	confirm   *confirmation

	initCmds  []tea.Cmd
	preloaded bool // Preload ran the start-up loads and holds the change signal's wait
}

// New returns the dashboard over cfg.Source.
func New(cfg Config) Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.OpenURL == nil {
		cfg.OpenURL = openInBrowser
	}
	ks := cfg.Keys
	km := ks.Map(keys.Global)
	dark := cfg.Theme != "light"
	th := theme.NewWithColors(dark, false, cfg.Colors)
	th.Bidi = cfg.Bidi
	src := cfg.Source
	m := Model{
		cfg:       cfg,
		keys:      km,
		keySet:    ks,
		dark:      dark,
		alliances: alliances.New(src, ks.Map(keys.Alliances), th),
		firms:     firms.New(src, ks.Map(keys.Firms), th),
		items:     items.New(src, ks.Map(keys.News), th, cfg.Now),
		reader:    reader.New(src, ks.Map(keys.Reader), th, cfg.Now),
		feeds:     feeds.New(src, ks.Map(keys.Feeds), th, cfg.Now),
		changes:   changes.New(src, ks.Map(keys.Changes), th, cfg.Now),
		alerts:    alerts.New(cfg.Alerts, ks.Map(keys.Alerts), th, cfg.Now),
		filter:    filterbar.New(cfg.ParseQuery, ks.Map(keys.Filter), th),
		pollEvery: pollEvery,
		follows:   paneAlliances,
	}
	if cfg.Views != nil {
		m.alliances = m.alliances.WithViews(viewSource{cfg.Views, src}, alliances.ParseFunc(cfg.ParseQuery))
	}
	m.shareTheme(&th)
	m.alliances.Focus()
	var cmd tea.Cmd
	m.firms, cmd = m.firms.SetAlliance(alliances.AllFirms, "")
	m.initCmds = append(m.initCmds, cmd, m.syncNews(), m.syncReader(),
		m.alliances.Load(),
		m.reader.LoadDirectory(),
		m.feeds.LoadStatus(),
		loadLists(src),
		countUnseenChanges(src),
		m.loadAlerts(),
		checkDataVersion(src, true),
	)
	if cfg.Changes != nil {
		m.pollEvery = fallbackPoll
	}
	return m
}

// Init asks the terminal for its background colour and starts loading.
func (m Model) Init() tea.Cmd {
	cmds := append([]tea.Cmd{tea.RequestBackgroundColor}, m.initCmds...)
	if !m.preloaded {
		cmds = append(cmds, waitChange(m.cfg.Changes))
	}
	return tea.Batch(cmds...)
}

// listsMsg carries the US lists, for badges and the legend.
type listsMsg struct {
	lists []store.List
	err   error
}

// loadLists reads the lists once: they change only with the reference data.
func loadLists(src Source) tea.Cmd {
	return func() tea.Msg {
		ls, err := src.Lists(context.Background())
		return listsMsg{lists: ls, err: err}
	}
}

// panes returns the four panes in paneID order, through the contract
// they share, so that the root loops over them.
func (m *Model) panes() [paneCount]pane.Pane {
	return [paneCount]pane.Pane{&m.alliances, &m.firms, &m.items, &m.reader}
}

// views returns the views that open in the body's place, by overlay; the
// help has no pane of its own.
func (m *Model) views() [overlayCount]pane.Pane {
	return [overlayCount]pane.Pane{overlayFeeds: &m.feeds, overlayChanges: &m.changes, overlayAlerts: &m.alerts}
}

// applyTheme rebuilds the styles for the terminal.
func (m *Model) applyTheme() {
	th := theme.NewWithColors(m.dark, m.noColor, m.cfg.Colors)
	th.Bidi = m.cfg.Bidi
	m.shareTheme(&th)
}

// shareTheme hands the styles th to every pane and view.
func (m *Model) shareTheme(th *theme.Theme) {
	m.theme = th
	for _, p := range m.panes() {
		p.SetTheme(m.theme)
	}
	for _, v := range m.views() {
		if v != nil {
			v.SetTheme(m.theme)
		}
	}
	m.filter.SetTheme(m.theme)
}

// viewSource lists the views through Config.Views and counts through the
// store.
type viewSource struct {
	views func(ctx context.Context) ([]store.View, error)
	Source
}

func (v viewSource) Views(ctx context.Context) ([]store.View, error) { return v.views(ctx) }

// loadAlerts reads the alerts for the status line's count, and for the
// alerts view when it is open; nil when there is no AlertSource.
func (m Model) loadAlerts() tea.Cmd {
	if m.cfg.Alerts == nil {
		return nil
	}
	return tea.Batch(m.alerts.Load(), loadWatched(m.cfg.Alerts))
}

// watchedMsg carries the firms and alliances on the watch list.
type watchedMsg struct {
	firms, alliances map[string]bool
	err              error
}

// loadWatched reads the watch list, for the marks in the panes.
func loadWatched(src AlertSource) tea.Cmd {
	return func() tea.Msg {
		ws, err := src.Watches(context.Background())
		if err != nil {
			return watchedMsg{err: fmt.Errorf("ui: unable to read the watch list: %w", err)}
		}
		msg := watchedMsg{firms: map[string]bool{}, alliances: map[string]bool{}}
		for _, w := range ws {
			switch w.Kind {
			case store.WatchFirm:
				msg.firms[w.Value] = true
			case store.WatchAlliance:
				msg.alliances[w.Value] = true
			}
		}
		return msg
	}
}
