package ui

import (
	"strconv"
	"strings"

	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/internal/pane"
)

// status is the message on the status line.
type status struct {
	text string
	err  bool
}

// errorStatus shows a short error: the first line of its message, never
// a stack trace.
func errorStatus(err error) status {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return status{text: cell.Line(msg), err: true}
}

func noteStatus(text string) status { return status{text: text} }

// statusView draws the status line: the store, the counts, the last fetch,
// failing feeds and unseen sanction changes on the left, dropping the
// least important when the line is short; a prompt, progress or message on
// the right.
func (m Model) statusView(w int) string {
	t := m.theme
	if m.confirm != nil {
		return t.StatusError.Render(cell.Fit(" "+m.confirm.prompt+"  y/n", w))
	}
	right := ""
	switch {
	case m.status.text != "" && m.status.err:
		right = t.StatusError.Render(m.status.text)
	case m.refresh.running:
		p := m.refresh.progress
		txt := "fetching " + strconv.Itoa(p.Done) + "/" + strconv.Itoa(p.Total)
		if p.Failed > 0 {
			txt += " · " + strconv.Itoa(p.Failed) + " failed"
		}
		if p.NewItems > 0 {
			txt += " · " + strconv.Itoa(p.NewItems) + " new"
		}
		right = t.StatusNote.Render(txt)
	case m.status.text != "":
		right = t.StatusNote.Render(m.status.text)
	default:
		right = t.Status.Render("? help")
	}
	rw := cell.Width(right)
	if rw >= w-10 {
		return cell.Fit(" "+right, w)
	}

	type segment struct {
		text  string
		style func(...string) string
		rank  int // the lowest goes first when the line is short
	}
	c := m.alliances.Counts("")
	var segs []segment
	if p := cell.Line(m.cfg.StorePath); p != "" {
		segs = append(segs, segment{cell.TruncateLeft(p, 32), t.Status.Render, 1})
	}
	segs = append(segs, segment{strconv.Itoa(c.Total) + " items · " + strconv.Itoa(c.Unread) + " unread", t.Status.Render, 5})
	last, failing, loaded := m.feeds.Summary()
	if loaded {
		segs = append(segs, segment{"fetched " + pane.Ago(m.cfg.Now(), last), t.Status.Render, 2})
	}
	if failing > 0 {
		segs = append(segs, segment{strconv.Itoa(failing) + " feeds failing (f)", t.StatusError.Render, 4})
	}
	if m.alertCount > 0 {
		segs = append(segs, segment{plural(m.alertCount, "alert", "alerts") + " (a)", t.StatusNote.Render, 4})
	}
	if m.unseen > 0 {
		segs = append(segs, segment{strconv.Itoa(m.unseen) + " sanction changes (c)", t.StatusNote.Render, 3})
	}
	lw := w - rw - 2
	width := func() int {
		n := 1
		for i, s := range segs {
			if i > 0 {
				n += 3
			}
			n += cell.Width(s.text)
		}
		return n
	}
	for len(segs) > 1 && width() > lw {
		drop := 0
		for i, s := range segs {
			if s.rank < segs[drop].rank {
				drop = i
			}
		}
		segs = append(segs[:drop], segs[drop+1:]...)
	}
	left := " "
	for i, s := range segs {
		if i > 0 {
			left += t.Status.Render(" · ")
		}
		left += s.style(s.text)
	}
	if width() > lw {
		left = t.Status.Render(cell.Truncate(" "+segs[0].text, lw))
	}
	return cell.Fit(left, lw) + " " + right + " "
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
