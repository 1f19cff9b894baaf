package ui

import (
	tea "charm.land/bubbletea/v2"
)

// wheelStep is how many rows one wheel notch scrolls.
const wheelStep = 3

// paneAt returns the pane at screen cell (x, y).
func (m Model) paneAt(l layout, x, y int) (paneID, rect, bool) {
	for p := range paneCount {
		if l.panes[p].contains(x, y) {
			return p, l.panes[p], true
		}
	}
	return 0, rect{}, false
}

// handleClick focuses the pane clicked and selects the row clicked.
func (m Model) handleClick(ms tea.Mouse) (Model, tea.Cmd) {
	if ms.Button != tea.MouseLeft || m.overlay != overlayNone || m.confirm != nil {
		return m, nil
	}
	l := computeLayout(m.width, m.height, m.filter.Height(), m.focus)
	if l.tabs.contains(ms.X, ms.Y) {
		if p, ok := m.tabAt(ms.X); ok {
			return m, m.setFocus(p)
		}
		return m, nil
	}
	p, r, ok := m.paneAt(l, ms.X, ms.Y)
	if !ok {
		return m, nil
	}
	var focus tea.Cmd
	if p != m.focus {
		focus = m.setFocus(p)
	}
	return m, tea.Batch(focus, m.panes()[p].Click(ms.Y-r.y))
}

// handleWheel scrolls what is under the pointer, without moving the focus.
func (m Model) handleWheel(ms tea.Mouse) (Model, tea.Cmd) {
	d := 0
	switch ms.Button {
	case tea.MouseWheelUp:
		d = -wheelStep
	case tea.MouseWheelDown:
		d = wheelStep
	default:
		return m, nil
	}
	if m.overlay != overlayNone {
		if v := m.views()[m.overlay]; v != nil {
			return m, v.Scroll(d)
		}
		return m, nil // the help does not scroll
	}
	l := computeLayout(m.width, m.height, m.filter.Height(), m.focus)
	p, _, ok := m.paneAt(l, ms.X, ms.Y)
	if !ok {
		return m, nil
	}
	return m, m.panes()[p].Scroll(d)
}
