package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/aiwatch/aiwatch/ui/internal/cell"
)

// Layout thresholds, in terminal columns.
const (
	wideMin   = 160 // all four panes side by side
	middleMin = 100 // three columns, the reader under the news
)

// rect is a region of the screen.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return r.w > 0 && r.h > 0 && x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// layoutMode is how the panes are arranged for the terminal's width.
type layoutMode int

const (
	layoutNarrow layoutMode = iota // one pane at a time, with tabs
	layoutMiddle                   // alliances | firms | news over reader
	layoutWide                     // alliances | firms | news | reader
)

// layout is where everything goes. It is comparable, so a change of size
// is noticed by comparing.
type layout struct {
	mode   layoutMode
	panes  [paneCount]rect // a hidden pane has an empty rect
	tabs   rect
	body   rect // the region panes or an overlay take
	filter rect
	status rect
}

// computeLayout places the panes on a w×h screen with a filter bar of
// filterH lines; in the narrow layout only the focused pane is placed.
func computeLayout(w, h, filterH int, focus paneID) layout {
	var l layout
	w, h = max(w, 1), max(h, 1)
	filterH = min(filterH, h-1)
	l.status = rect{0, h - 1, w, 1}
	l.filter = rect{0, h - 1 - filterH, w, filterH}
	bodyH := max(h-1-filterH, 0)
	l.body = rect{0, 0, w, bodyH}
	switch {
	case w >= wideMin:
		l.mode = layoutWide
		avail := w - 3 // three separators
		aw := clamp(avail*14/100, 24, 32)
		fw := clamp(avail*19/100, 32, 40)
		nw := (avail - aw - fw) * 52 / 100
		rw := avail - aw - fw - nw
		x := 0
		for i, pw := range []int{aw, fw, nw, rw} {
			l.panes[i] = rect{x, 0, pw, bodyH}
			x += pw + 1
		}
	case w >= middleMin:
		l.mode = layoutMiddle
		avail := w - 2
		aw := clamp(avail*18/100, 22, 26)
		fw := clamp(avail*28/100, 30, 38)
		rw := avail - aw - fw
		newsH := max(bodyH*45/100, min(6, bodyH))
		readerH := max(bodyH-newsH-1, 0)
		l.panes[paneAlliances] = rect{0, 0, aw, bodyH}
		l.panes[paneFirms] = rect{aw + 1, 0, fw, bodyH}
		l.panes[paneItems] = rect{aw + fw + 2, 0, rw, newsH}
		l.panes[paneReader] = rect{aw + fw + 2, newsH + 1, rw, readerH}
	default:
		l.mode = layoutNarrow
		l.tabs = rect{0, 0, w, 1}
		l.panes[focus] = rect{0, 1, w, max(bodyH-1, 0)}
	}
	return l
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// resize lays the panes out again for the screen size and the filter bar,
// and returns the command that loads rows a taller news pane shows.
func (m *Model) resize() tea.Cmd {
	if m.width <= 0 || m.height <= 0 {
		return nil
	}
	m.filter.SetWidth(m.width)
	l := computeLayout(m.width, m.height, m.filter.Height(), m.focus)
	size := func(p paneID) (int, int) {
		r := l.panes[p]
		if l.mode == layoutNarrow {
			// Hidden panes keep the size they would have, so switching
			// tabs shows them at once.
			r = rect{0, 1, m.width, max(l.body.h-1, 0)}
		}
		return r.w, r.h
	}
	var cmds []tea.Cmd
	for p, pn := range m.panes() {
		cmds = append(cmds, pn.SetSize(size(paneID(p))))
	}
	for _, v := range m.views() {
		if v != nil {
			cmds = append(cmds, v.SetSize(l.body.w, l.body.h))
		}
	}
	return tea.Batch(cmds...)
}

// View draws the whole screen.
func (m Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "aiwatch"
	if m.width <= 0 || m.height <= 0 {
		v.SetContent("")
		return v
	}
	if m.refresh.running && m.refresh.progress.Total > 0 {
		v.ProgressBar = tea.NewProgressBar(tea.ProgressBarDefault, 100*m.refresh.progress.Done/m.refresh.progress.Total)
	}
	l := computeLayout(m.width, m.height, m.filter.Height(), m.focus)
	var parts []string
	switch {
	case l.body.h <= 0:
	case m.overlay != overlayNone:
		parts = append(parts, m.overlayView(l.body))
	default:
		parts = append(parts, m.bodyView(l))
	}
	if l.filter.h > 0 {
		bar := strings.Split(m.filter.View(), "\n")
		parts = append(parts, bar[:min(len(bar), l.filter.h)]...)
	}
	parts = append(parts, m.statusView(l.status.w))
	v.SetContent(strings.Join(parts, "\n"))
	return v
}

// bodyView draws the panes in the layout.
func (m Model) bodyView(l layout) string {
	if l.body.h <= 0 {
		return ""
	}
	sep := m.theme.Separator.Render
	vsep := sep(strings.TrimSuffix(strings.Repeat("│\n", l.body.h), "\n"))
	panes := m.panes()
	var cols []string
	switch l.mode {
	case layoutWide:
		for _, p := range panes {
			cols = append(cols, p.View())
		}
	case layoutMiddle:
		// The reader goes under the news.
		right := panes[paneItems].View()
		if r := l.panes[paneReader]; r.h > 0 {
			right += "\n" + sep(strings.Repeat("─", r.w)) + "\n" + panes[paneReader].View()
		}
		cols = []string{panes[paneAlliances].View(), panes[paneFirms].View(), right}
	default:
		body := m.tabsView(l.tabs.w)
		if l.body.h > 1 {
			body += "\n" + panes[m.focus].View()
		}
		return body
	}
	for i := len(cols) - 1; i > 0; i-- {
		cols = slices.Insert(cols, i, vsep)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, cols...)
}

// tabNames are the tabs of the narrow layout.
var tabNames = [paneCount]string{"1 Alliances", "2 Firms", "3 News", "4 Reader"}

// tabsView draws the tabs of the narrow layout, the focused one marked.
func (m Model) tabsView(w int) string {
	var b strings.Builder
	for i, name := range tabNames {
		st := m.theme.Tab
		if paneID(i) == m.focus {
			st = m.theme.TabActive
		}
		b.WriteString(st.Render(name))
	}
	return cell.Fit(b.String(), w)
}

// tabAt returns the tab at column x of the tabs line.
func (m Model) tabAt(x int) (paneID, bool) {
	at := 0
	for i, name := range tabNames {
		tw := cell.Width(name) + 2 // the tab's padding
		if x >= at && x < at+tw {
			return paneID(i), true
		}
		at += tw
	}
	return 0, false
}
