package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/aiwatch/aiwatch/ui/internal/badge"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/keys"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// overlayView draws the open view in the body's place.
func (m Model) overlayView(body rect) string {
	switch m.overlay {
	case overlayFeeds:
		return m.feeds.View()
	case overlayChanges:
		return m.changes.View()
	case overlayAlerts:
		return m.alerts.View()
	}
	return m.helpView(body.w, body.h)
}

// helpView draws the `?` help from the live keymap, in as many columns as
// fit, then the legend of badges and marks.
func (m Model) helpView(w, h int) string {
	t := m.theme
	lines := []string{pane.Title(t, "Help", "any key closes", w, true), ""}
	var blocks []string
	for _, group := range m.keySet.Help(m.focusContext()) {
		if b := m.helpColumn(group.Bindings); b != "" {
			blocks = append(blocks, b)
		}
	}
	blocks = append(blocks, m.legend())
	// Lay the blocks out left to right, wrapping to a new row of blocks
	// when the next does not fit.
	var row []string
	rowW := 0
	flush := func() {
		if len(row) > 0 {
			lines = append(lines, strings.Split(lipgloss.JoinHorizontal(lipgloss.Top, row...), "\n")...)
			lines = append(lines, "")
		}
		row, rowW = nil, 0
	}
	for _, b := range blocks {
		bw := lipgloss.Width(b) + 3
		if rowW+bw > w && len(row) > 0 {
			flush()
		}
		row = append(row, lipgloss.NewStyle().PaddingLeft(2).PaddingRight(1).Render(b))
		rowW += bw
	}
	flush()
	return pane.Join(lines, w, h)
}

// helpColumn lists the enabled bindings of a group.
func (m Model) helpColumn(group []key.Binding) string {
	t := m.theme
	keyW := 0
	for _, b := range group {
		if b.Enabled() {
			keyW = max(keyW, cell.Width(b.Help().Key))
		}
	}
	var lines []string
	for _, b := range group {
		if !b.Enabled() {
			continue
		}
		lines = append(lines, t.Help.FullKey.Render(cell.Fit(b.Help().Key, keyW))+" "+t.Help.FullDesc.Render(b.Help().Desc))
	}
	return strings.Join(lines, "\n")
}

// legend explains the badges, from the store's lists, and the row marks.
func (m Model) legend() string {
	t := m.theme
	codes := badge.NewCodes(m.lists)
	lines := []string{t.Heading.Render("Badges")}
	for _, l := range m.lists {
		code := codes.Code(l.ID)
		lines = append(lines, t.Badge(code).Render(cell.Fit(code, 6))+" "+cell.Line(l.Name))
	}
	lines = append(lines,
		t.BadgeAffiliate.Render(cell.Fit("EL*", 6))+" affiliate listed, not the firm",
		t.BadgeContested.Render(cell.Fit("EL?", 6))+" contested or withdrawn",
		cell.Fit("", 6)+" removed listings: no badge",
		t.UnreadMark.Render(theme.MarkUnread)+" unread  "+t.Star.Render(theme.MarkStar)+" starred  "+
			t.Sanctions.Render(theme.MarkSanctions)+" sanctions news",
		t.Star.Render(theme.MarkWatched)+" on the watch list (aiwatch watch)",
	)
	return strings.Join(lines, "\n")
}

// focusContext is the keymap context of the focused pane.
func (m Model) focusContext() keys.Context {
	return [paneCount]keys.Context{keys.Alliances, keys.Firms, keys.News, keys.Reader}[m.focus]
}
