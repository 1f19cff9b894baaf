package main

import (
	"encoding/json"
	"io"
	"os"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/aiwatch/aiwatch/store"
)

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// color reports whether human output may use colour: stdout is a
// terminal and NO_COLOR is not set.
func (a *app) color() bool {
	return a.getenv("NO_COLOR") == "" && a.isTerminal(a.stdout)
}

// style returns s styled when colour is on.
func (a *app) style(st lipgloss.Style, s string) string {
	if !a.color() {
		return s
	}
	return st.Render(s)
}

var (
	styleHeader    = lipgloss.NewStyle().Bold(true)
	styleBadge     = lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Bold(true)
	styleContested = lipgloss.NewStyle().Foreground(lipgloss.Color("3")).Italic(true)
	styleAffiliate = lipgloss.NewStyle().Foreground(lipgloss.Color("5"))
	styleDim       = lipgloss.NewStyle().Faint(true)
)

// table writes rows in columns aligned by terminal cells, so Chinese
// (two cells a character) lines up. The last column is not padded.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(a *app, w io.Writer) {
	all := append([][]string{t.header}, t.rows...)
	widths := map[int]int{}
	for _, r := range all {
		for i, c := range r {
			if n := ansi.StringWidth(c); n > widths[i] {
				widths[i] = n
			}
		}
	}
	for ri, r := range all {
		if ri == 0 && len(t.header) == 0 {
			continue
		}
		var b strings.Builder
		for i, c := range r {
			cell := c
			if ri == 0 {
				cell = a.style(styleHeader, c)
			}
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
			}
		}
		io.WriteString(w, strings.TrimRight(b.String(), " ")+"\n")
	}
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// badges renders a firm's active designations as compact badges: EL,
// CMIC, 1260H; "?" marks a contested action, "*" an affiliate-only
// listing. Removed listings get no badge.
func (a *app) badges(f store.Firm, lists []store.List) string {
	type badge struct {
		order int
		text  string
		st    lipgloss.Style
	}
	order := map[string]int{}
	short := map[string]string{}
	for i, l := range lists {
		order[l.ID], short[l.ID] = i, l.Badge
	}
	direct := map[string]bool{}
	for _, d := range f.Designations {
		if d.Active() && !d.Affiliate {
			direct[d.List] = true
		}
	}
	seen := map[string]bool{}
	var bs []badge
	for _, d := range f.Designations {
		if d.Removed != "" {
			continue
		}
		name := short[d.List]
		if name == "" {
			name = strings.ToUpper(d.List)
		}
		b := badge{order: order[d.List], text: name, st: styleBadge}
		switch {
		case d.Status == store.StatusContested:
			if direct[d.List] {
				continue
			}
			b.text += "?"
			b.st = styleContested
		case d.Affiliate:
			if direct[d.List] {
				continue
			}
			b.text += "*"
			b.st = styleAffiliate
		}
		if seen[b.text] {
			continue
		}
		seen[b.text] = true
		bs = append(bs, b)
	}
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].order < bs[j].order })
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = a.style(b.st, b.text)
	}
	return strings.Join(parts, " ")
}

// suggest returns up to three candidates close to s (store.Suggest).
func suggest(s string, candidates []string) []string { return store.Suggest(s, candidates) }

// truncateCells cuts s to n terminal cells with an ellipsis.
func truncateCells(s string, n int) string { return ansi.Truncate(s, n, "…") }
