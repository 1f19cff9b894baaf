// Package badge derives a firm's sanction badges (EL, MEU, SDN, CMIC,
// 1260H, FCC, UFLPA) from its designations. The dashboard and the CLI
// both show them, so the rule lives once, here, and each caller adds only
// its styling:
//
//   - a confirmed listing of the firm itself shows the badge: EL
//   - a listing that names only an affiliate is marked: EL*
//   - a contested, withdrawn or unconfirmed action is marked: EL?
//   - a removed listing shows no badge at all
//
// A firm gets at most one badge per list, of the strongest kind among its
// listings there, so one list never shows as both EL* and EL?.
package badge

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/store"
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

// Text is the badge as shown: EL, EL* or EL?.
func (b Badge) Text() string {
	switch b.Kind {
	case Affiliate:
		return b.Code + "*"
	case Contested:
		return b.Code + "?"
	}
	return b.Code
}

// order is the order badges are shown in: the heaviest sanctions first.
var order = []string{"sdn", "entity-list", "meu", "ns-cmic", "1260h", "fcc-covered", "uflpa"}

// defaultCodes are the badges of the lists aiwatch always knows, used
// until the store's lists are loaded.
var defaultCodes = map[string]string{
	"entity-list": "EL", "meu": "MEU", "sdn": "SDN", "ns-cmic": "CMIC",
	"1260h": "1260H", "fcc-covered": "FCC", "uflpa": "UFLPA",
}

// maxCode is the most runes a code made from a list ID keeps.
const maxCode = 6

// Codes maps list IDs to badge codes.
type Codes map[string]string

// NewCodes returns the badge codes of lists, falling back to the built-in
// codes for lists the store did not name. Codes are cleaned: a list's
// badge comes from the store and may come from an import.
func NewCodes(lists []store.List) Codes {
	c := make(Codes, len(defaultCodes)+len(lists))
	for id, code := range defaultCodes {
		c[id] = code
	}
	for _, l := range lists {
		if code := store.CleanLine(l.Badge, 32); code != "" {
			c[l.ID] = code
		}
	}
	return c
}

// Code returns the badge code of a list: its own, or its ID in upper case
// cut to six characters.
func (c Codes) Code(list string) string {
	if code, ok := c[list]; ok {
		return code
	}
	if code, ok := defaultCodes[list]; ok {
		return code
	}
	s := strings.ToUpper(store.CleanLine(list, 64))
	if utf8.RuneCountInString(s) > maxCode {
		r := []rune(s)
		s = string(r[:maxCode-1]) + "…"
	}
	return s
}

// For returns the badges of a firm's designations: one per list, the
// strongest kind wins, removed listings are left out, heaviest lists
// first and the others in the order the firm's designations name them.
func For(ds []store.Designation, codes Codes) []Badge {
	var out []Badge
	for _, d := range ds {
		if d.Removed != "" {
			continue
		}
		k := KindOf(d)
		if i := slices.IndexFunc(out, func(b Badge) bool { return b.List == d.List }); i >= 0 {
			out[i].Kind = min(out[i].Kind, k)
			continue
		}
		out = append(out, Badge{List: d.List, Code: codes.Code(d.List), Kind: k})
	}
	slices.SortStableFunc(out, func(a, b Badge) int { return rank(a.List) - rank(b.List) })
	return out
}

// KindOf returns the kind of badge one designation earns: anything not
// confirmed is contested, whoever it names.
func KindOf(d store.Designation) Kind {
	switch {
	case d.Status != store.StatusConfirmed && d.Status != "":
		return Contested
	case d.Affiliate:
		return Affiliate
	}
	return Active
}

// Texts returns the text of each badge.
func Texts(bs []Badge) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Text()
	}
	return out
}

func rank(list string) int {
	if i := slices.Index(order, list); i >= 0 {
		return i
	}
	return len(order)
}
