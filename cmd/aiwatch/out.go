package main

import (
	"encoding/json"
	"io"
	"os"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/badge"
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

// badges renders a firm's badges as store/badge derives them (the same
// as the dashboard's), styled for a terminal when colour is on.
func (a *app) badges(f store.Firm, lists []store.List) string {
	bs := badge.For(f.Designations, badge.NewCodes(lists))
	parts := make([]string, len(bs))
	for i, b := range bs {
		st := styleBadge
		switch b.Kind {
		case badge.Contested:
			st = styleContested
		case badge.Affiliate:
			st = styleAffiliate
		}
		parts[i] = a.style(st, b.Text())
	}
	return strings.Join(parts, " ")
}

// truncateCells cuts s to n terminal cells with an ellipsis.
func truncateCells(s string, n int) string { return ansi.Truncate(s, n, "…") }

// listSubcommand parses the flags of "group SUB ARGS...": the positional
// arguments, and --json for the list subcommand (list or ls).
func (a *app) listSubcommand(group string, args []string) (sub string, pos []string, asJSON bool, err error) {
	sub = args[0]
	name := group + " " + sub
	fs := a.flags(name)
	if sub == "list" || sub == "ls" {
		fs.BoolVar(&asJSON, "json", false, "print JSON")
	}
	pos, err = a.parse(fs, name, args[1:])
	return sub, pos, asJSON, err
}
