package items

import (
	"strings"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// View draws the pane in exactly its size. Only the rows on screen are
// drawn, whatever the number of items.
func (m Model) View() string {
	if !m.Sized() {
		return ""
	}
	w := m.Width
	title := "3 News"
	if m.title != "" {
		title += " · " + cell.Line(m.title)
	}
	note := ""
	if m.loaded {
		note = pane.Count(m.counts.Total, m.counts.More)
		if m.counts.Unread > 0 {
			note += " · " + pane.Count(m.counts.Unread, m.counts.More) + " unread"
		}
	}
	lines := make([]string, 0, m.Height)
	lines = append(lines, pane.Title(m.Theme, title, note, w, m.Focused()))
	switch {
	case m.err != nil && !m.loaded:
		lines = append(lines, pane.ErrorLines(m.Theme, m.err, w)...)
	case !m.loaded:
		lines = append(lines, pane.Note(m.Theme, " loading…", w))
	case m.counts.Total == 0:
		empty := " no items"
		if m.filter.Unread == store.Yes {
			empty = " no unread items"
		}
		lines = append(lines, pane.Note(m.Theme, empty, w))
	default:
		cols := m.columns(w)
		from, to := m.nav.Visible()
		for i := from; i < to; i++ {
			j := i - m.winStart
			if j < 0 || j >= len(m.win) {
				lines = append(lines, pane.Note(m.Theme, " …", w))
				continue
			}
			lines = append(lines, m.row(m.win[j], i == m.nav.Cursor, cols))
		}
		if m.err != nil && len(lines) < m.Height {
			lines = append(lines, pane.ErrorLines(m.Theme, m.err, w)...)
		}
	}
	return pane.Join(lines, w, m.Height)
}

// columns are the widths of a row's parts; a zero width hides the part.
type columns struct {
	w      int
	date   string // time layout
	dateW  int
	source int
	lang   int
}

func (m Model) columns(w int) columns {
	// News spans years, so the date always carries one: 2025-07-28, or
	// 25-07-28 where cells are short.
	c := columns{w: w, date: "06-01-02", dateW: 8}
	switch {
	case w >= 80:
		c.date, c.dateW, c.source, c.lang = "2006-01-02", 10, 14, 2
	case w >= 60:
		c.source, c.lang = 10, 2
	case w >= 44:
		c.lang = 2
	}
	return c
}

// row draws one item: unread mark, date, source, language, star and
// sanctions marks, then the title.
func (m Model) row(it store.Item, cursor bool, c columns) string {
	t := m.Theme
	var plain, styled strings.Builder
	add := func(s string, style func(...string) string) {
		plain.WriteString(s)
		if style == nil {
			styled.WriteString(s)
		} else {
			styled.WriteString(style(s))
		}
	}
	if it.Read {
		add(" ", nil)
	} else {
		add(theme.MarkUnread, t.UnreadMark.Render)
	}
	add(" ", nil)
	date := strings.Repeat(" ", c.dateW)
	if !it.Published.IsZero() {
		date = it.Published.In(m.Now().Location()).Format(c.date)
	}
	add(date+" ", t.Dim.Render)
	if c.source > 0 {
		src := cell.Text(t.Bidi, cell.Line(it.FeedTitle), c.source)
		add(src+strings.Repeat(" ", c.source-cell.Width(src)+1), t.Dim.Render)
	}
	if c.lang > 0 {
		add(cell.Fit(cell.Line(it.Lang), c.lang)+" ", t.Dim.Render)
	}
	if it.Starred {
		add(theme.MarkStar, t.Star.Render)
	} else {
		add(" ", nil)
	}
	if it.Sanctions {
		add(theme.MarkSanctions, t.Sanctions.Render)
	} else {
		add(" ", nil)
	}
	add(" ", nil)
	rest := c.w - cell.Width(plain.String())
	title := cell.Text(t.Bidi, cell.Line(it.Title), rest)
	if it.Read {
		add(title, t.Read.Render)
	} else {
		add(title, t.Unread.Render)
	}
	return pane.Row(t, plain.String(), styled.String(), c.w, cursor, m.Focused())
}
