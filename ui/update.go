package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/alerts"
	"github.com/aiwatch/aiwatch/ui/alliances"
	"github.com/aiwatch/aiwatch/ui/changes"
	"github.com/aiwatch/aiwatch/ui/feeds"
	"github.com/aiwatch/aiwatch/ui/filterbar"
	"github.com/aiwatch/aiwatch/ui/firms"
	"github.com/aiwatch/aiwatch/ui/items"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/reader"
)

// Update routes msg to the pane that owns it and keeps the panes linked.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := m.update(msg)
	// The layout follows the window and the filter bar's height.
	return m, tea.Batch(cmd, m.resize())
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		if m.cfg.Theme == "" || m.cfg.Theme == "auto" {
			m.dark = msg.IsDark()
			m.applyTheme()
		}
	case tea.EnvMsg:
		if msg.Getenv("NO_COLOR") != "" {
			m.noColor = true
			m.applyTheme()
		}
	case tea.ColorProfileMsg:
		if (msg.Profile == colorprofile.NoTTY || msg.Profile == colorprofile.ASCII) && !m.noColor {
			m.noColor = true
			m.applyTheme()
		}
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.MouseClickMsg:
		return m.handleClick(msg.Mouse())
	case tea.MouseWheelMsg:
		return m.handleWheel(msg.Mouse())

	case alliances.LoadedMsg, alliances.CountsMsg:
		m.alliances, cmd = m.alliances.Update(msg)
		// An alliance's card shows its counts.
		return m, tea.Batch(cmd, m.syncReader())
	case alliances.SelectedMsg:
		if msg.Alliance != m.alliances.Selected() {
			return m, nil // the cursor has moved on since
		}
		return m, m.allianceSelected()
	case firms.LoadedMsg, firms.CountsMsg:
		m.firms, cmd = m.firms.Update(msg)
		// The firm and alliance cards show the firms' trends.
		m.reader.SetFirmCounts(m.firms.AllCounts())
		return m, cmd
	case firms.SelectedMsg:
		if msg.Firm != m.firms.SelectedID() {
			return m, nil
		}
		return m, tea.Batch(m.syncNews(), m.syncReader())
	case items.LoadedMsg, items.CountsMsg, items.FullCountMsg:
		m.items, cmd = m.items.Update(msg)
		m.filter.SetCounts(m.items.Counts())
		return m, cmd
	case items.SelectedMsg:
		if msg.ID != m.items.SelectedID() {
			return m, nil // the cursor has moved on since
		}
		return m, m.syncReader()
	case items.OpenMsg:
		if msg.ID != m.items.SelectedID() {
			return m, nil
		}
		return m, m.open(msg.ID)
	case items.MarkedMsg:
		return m, m.marked(msg)
	case reader.ItemLoadedMsg, reader.FirmLoadedMsg, reader.DirectoryMsg, reader.ArticleLoadedMsg:
		m.reader, cmd = m.reader.Update(msg)
		return m, cmd
	case feeds.LoadedMsg:
		m.feeds, cmd = m.feeds.Update(msg)
		return m, cmd
	case unseenMsg:
		if msg.err != nil {
			m.status = errorStatus(msg.err)
		}
		m.unseen = msg.n
	case changes.LoadedMsg:
		m.unseen = 0 // seen now
		m.changes, cmd = m.changes.Update(msg)
		if msg.Err != nil {
			m.status = errorStatus(msg.Err)
		}
		return m, cmd
	case alerts.LoadedMsg:
		if msg.Err != nil {
			m.status = errorStatus(msg.Err)
		} else {
			m.alertCount = len(msg.Alerts)
		}
		m.alerts, cmd = m.alerts.Update(msg)
		return m, cmd
	case watchedMsg:
		if msg.err != nil {
			m.status = errorStatus(msg.err)
			return m, nil
		}
		m.firms.SetWatched(msg.firms)
		m.alliances.SetWatched(msg.alliances)
	case alerts.JumpMsg:
		return m, m.jump(msg.Alert)
	case filterbar.SaveViewMsg:
		return m, m.saveView(msg)
	case viewSavedMsg:
		return m, m.viewSaved(msg)
	case filterbar.ChangedMsg:
		m.query = msg.Filter
		return m, m.syncNews()
	case listsMsg:
		if msg.err != nil {
			m.status = errorStatus(msg.err)
			return m, nil
		}
		m.lists = msg.lists
		m.firms.SetLists(msg.lists)
		m.reader.SetLists(msg.lists)
	case versionMsg:
		return m, m.versionChecked(msg)
	case pollMsg:
		return m, checkDataVersion(m.cfg.Source, true)
	case changeMsg:
		return m, tea.Batch(checkDataVersion(m.cfg.Source, false), waitChange(m.cfg.Changes))
	case refreshProgressMsg:
		m.refresh.progress = msg.progress
		return m, waitRefresh(m.refresh.progressCh, m.refresh.done)
	case refreshDoneMsg:
		return m, m.refreshed(msg)
	case markedAllMsg:
		return m, m.markedAll(msg)
	case statusMsg:
		m.status = status(msg)
	default:
		// The filter bar's own messages, and its text input's.
		m.filter, cmd = m.filter.Update(msg)
		return m, cmd
	}
	return m, nil
}

// allianceSelected pushes a new alliance into the firms pane, the news and
// the reader.
func (m *Model) allianceSelected() tea.Cmd {
	id := m.alliances.Selected()
	if alliances.IsView(id) {
		id = alliances.AllFirms // a view lists items, not firms
	}
	var cmds []tea.Cmd
	if id != m.firms.Alliance() {
		title := ""
		if a, ok := m.alliances.Alliance(id); ok {
			title = a.Name
		}
		var cmd tea.Cmd
		m.firms, cmd = m.firms.SetAlliance(id, title)
		cmds = append(cmds, cmd)
	}
	cmds = append(cmds, m.syncNews(), m.syncReader())
	return tea.Batch(cmds...)
}

// handleKey handles a key press: prompts and the filter bar first, then
// the open view, then the global keys, then the focused pane.
func (m Model) handleKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if msg.String() == "ctrl+c" {
		return m, m.quit()
	}
	if m.confirm != nil {
		return m.handleConfirm(msg)
	}
	m.status = status{} // a message lasts until the next key
	if m.filter.Active() {
		switch msg.String() {
		case "up", "down", "pgup", "pgdown":
			// Move through the news while typing.
			m.items.Focus()
			cmd := m.items.HandleKey(msg)
			if m.focus != paneItems {
				m.items.Blur()
			}
			return m, cmd
		}
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		return m, cmd
	}
	if m.overlay != overlayNone {
		return m.handleOverlayKey(msg)
	}

	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m, m.quit()
	case key.Matches(msg, k.Help):
		m.overlay = overlayHelp
		return m, nil
	case key.Matches(msg, k.NextPane):
		return m, m.setFocus((m.focus + 1) % paneCount)
	case key.Matches(msg, k.PrevPane):
		return m, m.setFocus((m.focus + paneCount - 1) % paneCount)
	case key.Matches(msg, k.Pane1, k.Pane2, k.Pane3, k.Pane4):
		for p, b := range [paneCount]key.Binding{k.Pane1, k.Pane2, k.Pane3, k.Pane4} {
			if key.Matches(msg, b) {
				return m, m.setFocus(paneID(p))
			}
		}
	case key.Matches(msg, k.Filter):
		return m, m.filter.Open()
	case key.Matches(msg, k.Clear):
		return m.back()
	case m.focus == paneAlliances && key.Matches(msg, m.keySet.Map(keys.Alliances).Open):
		if alliances.IsView(m.alliances.Selected()) {
			return m, m.setFocus(paneItems) // a view's items are the news
		}
		return m, m.setFocus(paneFirms)
	case m.focus == paneFirms && key.Matches(msg, m.keySet.Map(keys.Firms).Open):
		return m, m.setFocus(paneItems)
	case key.Matches(msg, k.ToggleRead):
		return m.toggle(items.Model.ToggleRead, "mark")
	case key.Matches(msg, k.Star):
		return m.toggle(items.Model.ToggleStar, "star")
	case key.Matches(msg, k.MarkAllRead):
		return m.askMarkAll()
	case key.Matches(msg, k.UnreadOnly):
		m.unreadOnly = !m.unreadOnly
		m.status = noteStatus("showing all items")
		if m.unreadOnly {
			m.status = noteStatus("showing unread items only")
		}
		return m, m.syncNews()
	case key.Matches(msg, k.OpenLink):
		return m, m.openLink()
	case key.Matches(msg, k.Article):
		return m.article()
	case key.Matches(msg, k.CopyLink):
		return m.copyLink()
	case key.Matches(msg, k.FirmCard):
		if m.firms.SelectedID() == "" {
			m.status = noteStatus("no firm selected")
			return m, nil
		}
		m.firmCard = !m.firmCard
		return m, m.syncReader()
	case key.Matches(msg, k.Changes):
		m.overlay = overlayChanges
		return m, m.changes.Load()
	case key.Matches(msg, k.Alerts):
		if m.cfg.Alerts == nil {
			m.status = noteStatus("alerts are unavailable here")
			return m, nil
		}
		m.overlay = overlayAlerts
		return m, m.alerts.Load()
	case key.Matches(msg, k.Feeds):
		m.overlay = overlayFeeds
		return m, m.feeds.Load()
	case key.Matches(msg, k.Refresh):
		return m, m.startRefresh()
	}
	return m.routeKey(msg)
}

// routeKey hands a key to the focused pane.
func (m Model) routeKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	return m, m.panes()[m.focus].HandleKey(msg)
}

// toggle flips a mark of the selected news item with flip, from the news
// or the reader; elsewhere it says how to select an item to verb.
func (m Model) toggle(flip func(items.Model) (items.Model, tea.Cmd), verb string) (Model, tea.Cmd) {
	if m.focus != paneItems && m.focus != paneReader {
		m.status = noteStatus("select a news item to " + verb + " it (3)")
		return m, nil
	}
	var cmd tea.Cmd
	m.items, cmd = flip(m.items)
	return m, cmd
}

// back is esc: it closes the firm card, clears the filter, or leaves the
// reader, in that order.
func (m Model) back() (Model, tea.Cmd) {
	switch {
	case m.pin != reader.Subject{}:
		m.pin = reader.Subject{}
		return m, m.syncReader()
	case m.firmCard:
		m.firmCard = false
		return m, m.syncReader()
	case m.filter.Query() != "" || m.filter.Value() != "":
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Clear()
		return m, cmd
	case m.focus == paneReader:
		return m, m.setFocus(m.follows)
	}
	return m, nil
}

func (m Model) handleOverlayKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	closeKey := k.Help
	switch m.overlay {
	case overlayFeeds:
		closeKey = k.Feeds
	case overlayChanges:
		closeKey = k.Changes
	case overlayAlerts:
		closeKey = k.Alerts
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m, m.quit()
	case key.Matches(msg, k.Clear), key.Matches(msg, closeKey):
		m.overlay = overlayNone
		return m, nil
	case key.Matches(msg, k.Refresh):
		return m, m.startRefresh()
	}
	if v := m.views()[m.overlay]; v != nil {
		return m, v.HandleKey(msg)
	}
	m.overlay = overlayNone // any other key closes the help
	return m, nil
}

// open shows the selected item in the reader, focuses the reader and
// marks the item, id, read.
func (m *Model) open(id int64) tea.Cmd {
	m.firmCard = false // the reader follows the news again
	focus := m.setFocus(paneReader)
	var mark tea.Cmd
	m.items, mark = m.items.SetRead(id, true)
	return tea.Batch(focus, mark)
}

// marked handles the answer to a read or star write.
func (m *Model) marked(msg items.MarkedMsg) tea.Cmd {
	if msg.Err != nil {
		m.status = errorStatus(msg.Err)
		var cmd tea.Cmd
		m.items, cmd = m.items.Reload() // undo the optimistic change
		return tea.Batch(cmd, m.reloadCounts())
	}
	if msg.Version != 0 {
		m.version = msg.Version
	}
	if msg.Field == store.MarkStarred {
		for _, id := range msg.IDs {
			m.reader.SetStarred(id, msg.Value)
		}
		return nil
	}
	return m.reloadCounts()
}

// quit stops a refresh under way and ends the program.
func (m Model) quit() tea.Cmd {
	if m.refresh.cancel != nil {
		m.refresh.cancel()
	}
	return tea.Quit
}

// statusMsg sets the status line from a command.
type statusMsg status

// versionMsg carries the store's data version.
type versionMsg struct {
	version int64
	err     error
	tick    bool // from the poll's timer: schedule the next
}

// pollMsg says it is time to check the data version again.
type pollMsg struct{}

// changeMsg says the store's files changed (Config.Changes).
type changeMsg struct{}

// versionChecked reloads what is on screen when another process wrote to
// the store, and schedules the next check.
func (m *Model) versionChecked(msg versionMsg) tea.Cmd {
	var cmds []tea.Cmd
	switch {
	case msg.err != nil:
		m.status = errorStatus(msg.err)
	case m.version == 0:
		m.version = msg.version
	case msg.version != m.version:
		m.version = msg.version
		cmds = append(cmds, m.reloadAll())
	}
	if m.pollEvery > 0 && msg.tick {
		cmds = append(cmds, tea.Tick(m.pollEvery, func(time.Time) tea.Msg { return pollMsg{} }))
	}
	return tea.Batch(cmds...)
}

// jump closes the alerts view and shows what the alert is about in the
// reader, pinned there until esc or a move to a list: the item, or for a
// designation change the firm's card.
func (m *Model) jump(a store.Alert) tea.Cmd {
	m.overlay = overlayNone
	m.firmCard = false
	pin := reader.ItemSubject(a.ItemID)
	if a.Kind == store.AlertDesignation || a.ItemID == 0 {
		pin = reader.FirmSubject(a.Firm)
	}
	if pin == (reader.Subject{}) {
		m.status = noteStatus("this alert names no item or firm")
		return nil
	}
	focus := m.setFocus(paneReader)
	m.pin = pin
	return tea.Batch(focus, m.syncReader())
}
