// Package badge draws a firm's sanction badges in the dashboard. Which
// badges a firm has, of what kind and in what order is store/badge's rule,
// shared with the CLI; this package adds only styling and fitting.
package badge

import (
	"strconv"
	"strings"

	"github.com/aiwatch/aiwatch/store"
	sbadge "github.com/aiwatch/aiwatch/store/badge"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// Kind says how sure a badge is: see store/badge.
type Kind = sbadge.Kind

// Badge kinds, strongest first.
const (
	Active    = sbadge.Active
	Affiliate = sbadge.Affiliate
	Contested = sbadge.Contested
)

// Badge is one list a firm is on.
type Badge = sbadge.Badge

// Codes maps list IDs to badge codes.
type Codes = sbadge.Codes

// NewCodes returns the badge codes of lists: see store/badge.NewCodes.
func NewCodes(lists []store.List) Codes { return sbadge.NewCodes(lists) }

// For returns the badges of a firm's designations: see store/badge.For.
func For(ds []store.Designation, codes Codes) []Badge { return sbadge.For(ds, codes) }

// Style returns the style a badge is drawn with.
func Style(t theme.Theme, b Badge) func(...string) string {
	switch b.Kind {
	case Contested:
		return t.BadgeContested.Render
	case Affiliate:
		return t.BadgeAffiliate.Render
	}
	return t.Badge(b.Code).Render
}

// Render draws badges separated by spaces in at most w cells; badges that
// do not fit are counted as "+N". With styled false no escape sequences
// are written (for the cursor row, which has its own style).
func Render(t theme.Theme, bs []Badge, w int, styled bool) string {
	var parts []string
	used := 0
	for i, b := range bs {
		txt := b.Text()
		need := cell.Width(txt)
		if i > 0 {
			need++
		}
		rest := len(bs) - i - 1
		more := 0
		if rest > 0 {
			more = len(" +" + strconv.Itoa(rest))
		}
		if used+need+more > w {
			plus := "+" + strconv.Itoa(len(bs)-i)
			if used+len(plus)+1 <= w || used == 0 && len(plus) <= w {
				if styled {
					plus = t.Dim.Render(plus)
				}
				parts = append(parts, plus)
			}
			break
		}
		used += need
		if styled {
			txt = Style(t, b)(txt)
		}
		parts = append(parts, txt)
	}
	return strings.Join(parts, " ")
}

// Width returns the cells that Render needs to draw all of bs.
func Width(bs []Badge) int {
	w := 0
	for i, b := range bs {
		if i > 0 {
			w++
		}
		w += cell.Width(b.Text())
	}
	return w
}
