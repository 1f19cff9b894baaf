package ui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/alliances"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/reader"
)

// setFocus gives pane p the keyboard. Entering the alliances or firms
// pane also decides what the news and the reader follow: the news names
// the selected alliance (or any member) while the alliances pane was
// entered last, and the selected firm once the firms pane was.
func (m *Model) setFocus(p paneID) tea.Cmd {
	m.focus = p
	for q, pn := range m.panes() {
		if paneID(q) == p {
			pn.Focus()
		} else {
			pn.Blur()
		}
	}
	if p != paneReader {
		m.follows = p
		m.pin = reader.Subject{}
	}
	if p == paneAlliances || p == paneFirms {
		m.newsByFirm = p == paneFirms
	}
	return tea.Batch(m.syncNews(), m.syncReader())
}

// newsFilter is the news pane's filter: the filter bar's query AND the
// selection, and unread only when asked.
func (m Model) newsFilter() (store.Filter, string) {
	f := m.query
	f.Limit, f.Offset = 0, 0 // the news pane pages by itself
	f.Firms = slices.Clone(f.Firms)
	f.Alliances = slices.Clone(f.Alliances)
	title := "all"
	firm, hasFirm := m.firms.Selected()
	switch {
	case m.newsByFirm && hasFirm:
		f.Firms = append(f.Firms, firm.ID)
		title = firm.Short
		if title == "" {
			title = firm.Name
		}
	case alliances.IsView(m.alliances.Selected()):
		v, _ := m.alliances.SavedView(m.alliances.Selected())
		f = f.And(v.Filter)
		title = v.Name
	case m.alliances.Selected() != alliances.AllFirms:
		id := m.alliances.Selected()
		f.Alliances = append(f.Alliances, id)
		title = id
		if a, ok := m.alliances.Alliance(id); ok {
			title = a.Name
		}
	}
	if m.unreadOnly {
		f.Unread = store.Yes
		title += " · unread"
	}
	if m.filter.Query() != "" {
		title += " · filtered"
	}
	return f, cell.Line(title)
}

// syncNews pushes the selection into the news pane when it changed what
// the news shows.
func (m *Model) syncNews() tea.Cmd {
	f, title := m.newsFilter()
	if m.newsSet && f.Equal(m.items.Filter()) {
		return nil
	}
	m.newsSet = true
	var cmd tea.Cmd
	m.items, cmd = m.items.SetFilter(f, title)
	return cmd
}

// readerSubject decides what the reader shows, and is the only place
// that does: the selected firm's card while it is pinned (i) or while the
// reader follows the firms pane, the selected alliance's card while it
// follows the alliances pane, and otherwise the selected news item.
func (m Model) readerSubject() reader.Subject {
	switch {
	case m.pin != reader.Subject{}:
		return m.pin
	case m.firmCard || m.follows == paneFirms:
		return reader.FirmSubject(m.firms.SelectedID())
	case m.follows == paneAlliances && alliances.IsView(m.alliances.Selected()):
		return reader.ItemSubject(m.items.SelectedID())
	case m.follows == paneAlliances:
		id := m.alliances.Selected()
		return reader.AllianceSubject(id, m.alliances.Counts(id))
	}
	return reader.ItemSubject(m.items.SelectedID())
}

// syncReader shows the reader's subject in it, after anything that may
// have changed it.
func (m *Model) syncReader() tea.Cmd {
	var cmd tea.Cmd
	m.reader, cmd = m.reader.Show(m.readerSubject())
	return cmd
}

// reloadAll reads everything on screen again after another process wrote
// to the store, keeping every cursor where it is.
func (m *Model) reloadAll() tea.Cmd {
	var cmds []tea.Cmd
	var cmd tea.Cmd
	cmds = append(cmds, m.alliances.LoadCounts())
	m.firms, cmd = m.firms.Reload()
	cmds = append(cmds, cmd)
	m.items, cmd = m.items.Reload()
	cmds = append(cmds, cmd)
	cmds = append(cmds, m.reader.LoadDirectory())
	if m.reader.FirmID() != "" {
		m.reader, cmd = m.reader.Reload()
		cmds = append(cmds, cmd)
	}
	if m.cfg.DataChanged != nil {
		cmds = append(cmds, dataChanged(m.cfg.DataChanged))
	}
	cmds = append(cmds, m.loadAlerts())
	if m.overlay == overlayFeeds {
		cmds = append(cmds, m.feeds.Load())
	} else {
		// The status line needs no item counts, which cost a look at
		// every item; the feeds view reads them when it opens.
		cmds = append(cmds, m.feeds.LoadStatus())
	}
	return tea.Batch(cmds...)
}

// reloadCounts reads the unread counts of every pane again, after a mark.
func (m *Model) reloadCounts() tea.Cmd {
	return tea.Batch(m.alliances.LoadCounts(), m.firms.LoadCounts(), m.items.LoadCounts())
}
