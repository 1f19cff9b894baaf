// Package keys is the dashboard's keymap. DefaultKeyMap returns a fresh
// set of bindings; the `?` help is built from the bindings in use, so a
// binding that is changed or disabled shows up changed or not at all.
package keys

import "charm.land/bubbles/v2/key"

// KeyMap holds every binding of the dashboard.
type KeyMap struct {
	// Moving between panes.
	NextPane key.Binding
	PrevPane key.Binding
	Pane1    key.Binding
	Pane2    key.Binding
	Pane3    key.Binding
	Pane4    key.Binding

	// Moving in a pane.
	Up       key.Binding
	Down     key.Binding
	Top      key.Binding
	Bottom   key.Binding
	PageUp   key.Binding
	PageDown key.Binding

	// Acting on items.
	Open        key.Binding
	OpenLink    key.Binding
	CopyLink    key.Binding
	ToggleRead  key.Binding
	MarkAllRead key.Binding
	Star        key.Binding
	UnreadOnly  key.Binding
	Article     key.Binding

	// Views.
	Filter   key.Binding
	Clear    key.Binding
	FirmCard key.Binding
	Changes  key.Binding
	Alerts   key.Binding
	Feeds    key.Binding
	Refresh  key.Binding
	Help     key.Binding
	Quit     key.Binding

	// The filter bar.
	Apply    key.Binding
	SaveView key.Binding

	// Confirmation prompts.
	Confirm key.Binding
	Cancel  key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextPane: key.NewBinding(key.WithKeys("tab", "l", "right"), key.WithHelp("tab/l", "next pane")),
		PrevPane: key.NewBinding(key.WithKeys("shift+tab", "h", "left"), key.WithHelp("shift+tab/h", "previous pane")),
		Pane1:    key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "alliances")),
		Pane2:    key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "firms")),
		Pane3:    key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "news")),
		Pane4:    key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "reader")),

		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "first")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "last")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),

		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "read item")),
		OpenLink:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open link")),
		CopyLink:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy link")),
		ToggleRead:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "read/unread")),
		MarkAllRead: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "mark view read")),
		Star:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "star")),
		UnreadOnly:  key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "unread only")),
		Article:     key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "whole article")),

		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear/back")),
		FirmCard: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "firm card")),
		Changes:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "what changed")),
		Alerts:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "alerts")),
		Feeds:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "feeds")),
		Refresh:  key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "fetch feeds")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),

		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply the filter")),
		SaveView: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save as a view")),

		Confirm: key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		Cancel:  key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "no")),
	}
}

// ShortHelp is the one-line help: the keys a new user needs first.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextPane, k.Down, k.Open, k.ToggleRead, k.Filter, k.Refresh, k.Help, k.Quit}
}

// FullHelp is the `?` help, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.NextPane, k.PrevPane, k.Pane1, k.Pane2, k.Pane3, k.Pane4},
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.Open, k.OpenLink, k.CopyLink, k.ToggleRead, k.MarkAllRead, k.Star, k.UnreadOnly, k.Article},
		{k.Filter, k.Clear, k.FirmCard, k.Changes, k.Alerts, k.Feeds, k.Refresh, k.Help, k.Quit},
	}
}
