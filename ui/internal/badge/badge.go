// Package badge turns a firm's designations into compact sanction badges
// (EL, MEU, SDN, CMIC, 1260H, FCC, UFLPA). The firms pane and the reader
// both draw them, so the rule lives once, here:
//
//   - a confirmed listing of the firm itself shows the badge: EL
//   - a listing that names only an affiliate is marked: EL*
//   - a contested or withdrawn action looks different: EL? (dim, italic)
//   - a removed listing shows no badge at all
package badge

import (
	"slices"
	"strconv"
	"strings"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/internal/cell"
	"github.com/aiwatch/aiwatch/ui/theme"
)

// Kind says how sure a badge is.
type Kind int

// Badge kinds, strongest first.
const (
	Active    Kind = iota // confirmed listing of the firm itself
	Affiliate             // confirmed listing of a subsidiary or affiliate
	Contested             // contested, withdrawn or unconfirmed action
)

// Badge is one list a firm is on.
type Badge struct {
	List string // list ID
	Code string // EL, MEU…
	Kind Kind
}

// Text is the badge as drawn: EL, EL* or EL?.
func (b Badge) Text() string {
	switch b.Kind {
	case Affiliate:
		return b.Code + "*"
	case Contested:
		return b.Code + "?"
	}
	return b.Code
}

// order is the order badges are drawn in: the heaviest sanctions first.
var order = []string{"sdn", "entity-list", "meu", "ns-cmic", "1260h", "fcc-covered", "uflpa"}

// defaultCodes are the badges of the lists aiwatch always knows, used
// until the store's lists are loaded.
var defaultCodes = map[string]string{
	"entity-list": "EL", "meu": "MEU", "sdn": "SDN", "ns-cmic": "CMIC",
	"1260h": "1260H", "fcc-covered": "FCC", "uflpa": "UFLPA",
}

// Codes maps list IDs to badge codes.
type Codes map[string]string

// NewCodes returns the badge codes of lists, falling back to the built-in
// codes for lists the store did not name.
func NewCodes(lists []store.List) Codes {
	c := make(Codes, len(defaultCodes)+len(lists))
	for id, code := range defaultCodes {
		c[id] = code
	}
	for _, l := range lists {
		if l.Badge != "" {
			c[l.ID] = cell.Line(l.Badge)
		}
	}
	return c
}

// Code returns the badge code of a list: its own, or its ID in upper case.
func (c Codes) Code(list string) string {
	if code, ok := c[list]; ok {
		return code
	}
	if code, ok := defaultCodes[list]; ok {
		return code
	}
	return strings.ToUpper(cell.Truncate(cell.Line(list), 6))
}

// For returns the badges of a firm's designations: one per list, the
// strongest kind wins, removed listings are left out, in drawing order.
func For(ds []store.Designation, codes Codes) []Badge {
	var out []Badge
	for _, d := range ds {
		if d.Removed != "" {
			continue
		}
		k := Active
		switch {
		case d.Status != store.StatusConfirmed && d.Status != "":
			k = Contested
		case d.Affiliate:
			k = Affiliate
		}
		if i := slices.IndexFunc(out, func(b Badge) bool { return b.List == d.List }); i >= 0 {
			out[i].Kind = min(out[i].Kind, k)
			continue
		}
		out = append(out, Badge{List: d.List, Code: codes.Code(d.List), Kind: k})
	}
	slices.SortStableFunc(out, func(a, b Badge) int { return rank(a.List) - rank(b.List) })
	return out
}

func rank(list string) int {
	if i := slices.Index(order, list); i >= 0 {
		return i
	}
	return len(order)
}

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
