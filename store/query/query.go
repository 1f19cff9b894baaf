// Package query parses aiwatch's filter language into a store.Filter. The
// dashboard's filter bar and `aiwatch items --query` share this one parser.
//
// A query is a list of terms separated by white space (any Unicode space,
// including the ideographic space U+3000). All terms are joined with AND.
//
//	word              free text, matched through the full-text index
//	"two words"       a phrase, kept as one piece of free text (“curly quotes” work too)
//	firm:huawei       the item names the firm; the value is the firm's ID or any alias
//	                  (firm:华为, firm:"moore threads")
//	alliance:ID       the item names the alliance or one of its members
//	list:entity-list  the item names a firm actively on the list; list IDs and badges
//	                  (EL, MEU, SDN, CMIC, 1260H, FCC, UFLPA) in any case
//	lang:ar           the item's language (a BCP 47 tag, e.g. zh-Hant)
//	feed:NAME         feed title (case-insensitive substring), host or numeric ID
//	since:7d          published at or after: a relative age or a date, see below
//	until:2025-07-01  published before the end of that day (the day is included)
//	is:unread         also is:read, is:starred, is:unstarred, is:sanctions
//	-term             negates any of the above: -firm:nvidia, -is:read, -word
//
// Keys are case-insensitive, and the full-width colon "：" that Chinese input
// methods type is accepted in place of ":". A value with spaces is quoted;
// inside ASCII quotes, \" and \\ escape a quote and a backslash.
//
// Times for since: and until: are either an age counted back from the `now`
// given to Parse, with the units h (hours), d (days), w (weeks), mo (months)
// and y (years), e.g. 24h, 7d, 2w, 3mo, 1y; or an ISO 8601 date: 2025-07-01,
// a month 2025-07, or an RFC 3339 timestamp 2025-07-01T08:00:00Z. Dates are
// read in now's location. A date names a whole period: since:2025-07 starts
// on 1 July, until:2025-07 ends at the start of August. A bare "m" is refused
// as ambiguous between minutes and months. Negation flips the field and
// keeps the boundary: -since:7d means published before 7 days ago.
//
// Malformed input yields an *Error that carries the byte offset of the
// offending term, so the UI can point at it; Parse never panics.
package query

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/store"
)

// Resolver maps what the user typed after firm:, alliance: and list: to IDs.
type Resolver interface {
	// Firm returns the ID of the firm whose ID or alias is s.
	Firm(s string) (id string, ok bool)
	// Alliance returns the ID of the alliance whose ID or alias is s.
	Alliance(s string) (id string, ok bool)
	// List returns the ID of the list whose ID, badge or name is s.
	List(s string) (id string, ok bool)
}

// Kind names what a Suggester is asked about.
type Kind string

// Kinds of value a Suggester can suggest.
const (
	KindFirm     Kind = "firm"
	KindAlliance Kind = "alliance"
	KindList     Kind = "list"
)

// Suggester is an optional interface of a Resolver: when a value is
// unknown, Parse asks it for close matches to put in the error message.
type Suggester interface {
	// Suggest returns up to a few IDs close to s, best first.
	Suggest(kind Kind, s string) []string
}

// Error is a malformed query. Pos and End are byte offsets into the query
// of the offending part (0 ≤ Pos ≤ End ≤ len(q)).
type Error struct {
	Pos int
	End int
	Msg string
}

// Error formats the message with its position, e.g.
// `query: unknown firm "xyz" at 5`.
func (e *Error) Error() string { return fmt.Sprintf("query: %s at %d", e.Msg, e.Pos) }

// keys lists the known keys, sorted.
var keys = []string{"alliance", "feed", "firm", "is", "lang", "list", "since", "until"}

// Keys returns the known keys, sorted, e.g. for completion in the filter bar.
func Keys() []string { return slices.Clone(keys) }

// isValues lists the values accepted after is:.
var isValues = []string{"unread", "read", "starred", "unstarred", "sanctions"}

// builtinLists maps the badges and IDs of the lists aiwatch always knows to
// list IDs, so list:EL works even with a Resolver that knows no badges.
var builtinLists = map[string]string{
	"entity-list": "entity-list",
	"el":          "entity-list",
	"meu":         "meu",
	"sdn":         "sdn",
	"ns-cmic":     "ns-cmic",
	"cmic":        "ns-cmic",
	"1260h":       "1260h",
	"fcc-covered": "fcc-covered",
	"fcc":         "fcc-covered",
	"uflpa":       "uflpa",
}

// Parse parses q into a filter. Relative times are counted back from now.
// A nil Resolver knows no firms or alliances and only the built-in lists.
func Parse(q string, r Resolver, now time.Time) (store.Filter, error) {
	p := parser{q: q, r: r, now: now.Round(0)} // no monotonic reading in the filter
	if err := p.parse(); err != nil {
		return store.Filter{}, err
	}
	return p.f, nil
}

type parser struct {
	q   string
	pos int
	r   Resolver
	now time.Time
	f   store.Filter

	// The term that set each tristate, for contradiction messages.
	set map[string]term
}

// term is one parsed term of the query.
type term struct {
	start    int    // byte offset of the term, including a leading '-'
	neg      bool   // the term was negated
	key      string // lower-case key, "" for free text
	keyPos   int
	value    string // unquoted value
	valPos   int    // byte offset of the value (its opening quote if quoted)
	valEnd   int
	original string // the term as typed, for messages
}

func (p *parser) errorf(pos, end int, format string, args ...any) *Error {
	return &Error{Pos: pos, End: end, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) parse() error {
	for {
		p.skipSpace()
		if p.pos >= len(p.q) {
			return nil
		}
		t, err := p.next()
		if err != nil {
			return err
		}
		if err := p.apply(t); err != nil {
			return err
		}
	}
}

func (p *parser) peek() (rune, int) {
	if p.pos >= len(p.q) {
		return utf8.RuneError, 0
	}
	return utf8.DecodeRuneInString(p.q[p.pos:])
}

func (p *parser) atSpace() bool {
	r, n := p.peek()
	return n > 0 && unicode.IsSpace(r)
}

func (p *parser) atEnd() bool { return p.pos >= len(p.q) || p.atSpace() }

func (p *parser) skipSpace() {
	for p.atSpace() {
		_, n := p.peek()
		p.pos += n
	}
}

func isMinus(r rune) bool { return r == '-' || r == '－' }

func isColon(r rune) bool { return r == ':' || r == '：' }

// closingQuote returns the quote that closes r, or 0 if r opens no quote.
func closingQuote(r rune) rune {
	switch r {
	case '"':
		return '"'
	case '“':
		return '”'
	}
	return 0
}

// next reads one term starting at p.pos, which is not a space.
func (p *parser) next() (term, error) {
	t := term{start: p.pos}
	if r, n := p.peek(); isMinus(r) {
		t.neg = true
		p.pos += n
		if p.atEnd() {
			return t, p.errorf(t.start, p.pos, "nothing after %q", string(r))
		}
	}
	// A key is a run of ASCII letters followed by a colon.
	keyStart := p.pos
	i := p.pos
	for i < len(p.q) && (p.q[i] >= 'a' && p.q[i] <= 'z' || p.q[i] >= 'A' && p.q[i] <= 'Z') {
		i++
	}
	if i > keyStart && i < len(p.q) {
		if r, n := utf8.DecodeRuneInString(p.q[i:]); isColon(r) {
			t.key = strings.ToLower(p.q[keyStart:i])
			t.keyPos = keyStart
			p.pos = i + n
			if !slices.Contains(keys, t.key) {
				return t, p.unknownKey(keyStart, i)
			}
			if p.atEnd() {
				return t, p.errorf(p.pos, p.pos, "empty value after %q", p.q[keyStart:p.pos])
			}
		}
	}
	t.valPos = p.pos
	v, err := p.value()
	if err != nil {
		return t, err
	}
	t.value, t.valEnd = v, p.pos
	t.original = p.q[t.start:p.pos]
	if t.value == "" {
		if t.key != "" {
			return t, p.errorf(t.valPos, t.valEnd, "empty value after %q", p.q[t.keyPos:t.valPos])
		}
		return t, p.errorf(t.valPos, t.valEnd, "empty phrase")
	}
	return t, nil
}

// value reads a quoted string or a run of non-space characters.
func (p *parser) value() (string, error) {
	start := p.pos
	r, n := p.peek()
	if closer := closingQuote(r); closer != 0 {
		p.pos += n
		var b strings.Builder
		for p.pos < len(p.q) {
			c, m := p.peek()
			switch {
			case c == closer:
				p.pos += m
				return b.String(), nil
			case c == '\\' && closer == '"' && p.pos+1 < len(p.q) && (p.q[p.pos+1] == '"' || p.q[p.pos+1] == '\\'):
				b.WriteByte(p.q[p.pos+1])
				p.pos += 2
			default:
				b.WriteString(p.q[p.pos : p.pos+m])
				p.pos += m
			}
		}
		return "", p.errorf(start, len(p.q), "unterminated quote")
	}
	for !p.atEnd() {
		_, n := p.peek()
		p.pos += n
	}
	return p.q[start:p.pos], nil
}

func (p *parser) unknownKey(start, end int) error {
	key := p.q[start:end]
	if s := store.SuggestID(key, 1, keys); len(s) > 0 {
		return p.errorf(start, end, "unknown key %q (did you mean %s:?)", key, s[0])
	}
	return p.errorf(start, end, "unknown key %q (known keys: %s; quote a word to search for it)",
		key, strings.Join(keys, ", "))
}

// apply adds one term to the filter.
func (p *parser) apply(t term) error {
	f := &p.f
	switch t.key {
	case "":
		addTo(&f.Text, &f.NotText, t.neg, t.value)
	case "firm":
		id, err := p.resolve(t, KindFirm)
		if err != nil {
			return err
		}
		addTo(&f.Firms, &f.NotFirms, t.neg, id)
	case "alliance":
		id, err := p.resolve(t, KindAlliance)
		if err != nil {
			return err
		}
		addTo(&f.Alliances, &f.NotAlliances, t.neg, id)
	case "list":
		id, err := p.resolve(t, KindList)
		if err != nil {
			return err
		}
		addTo(&f.Lists, &f.NotLists, t.neg, id)
	case "lang":
		tag, ok := canonicalLang(t.value)
		if !ok {
			return p.errorf(t.valPos, t.valEnd, "bad language tag %q (want e.g. en, zh, zh-Hant, ar)", t.value)
		}
		addTo(&f.Langs, &f.NotLangs, t.neg, tag)
	case "feed":
		addTo(&f.Feeds, &f.NotFeeds, t.neg, t.value)
	case "since", "until":
		return p.applyTime(t)
	case "is":
		return p.applyIs(t)
	}
	return nil
}

// addTo appends v to pos or, when neg, to not, unless it is already there.
func addTo(pos, not *[]string, neg bool, v string) {
	s := pos
	if neg {
		s = not
	}
	if !slices.Contains(*s, v) {
		*s = append(*s, v)
	}
}

func (p *parser) resolve(t term, kind Kind) (string, error) {
	if p.r != nil {
		var id string
		var ok bool
		switch kind {
		case KindFirm:
			id, ok = p.r.Firm(t.value)
		case KindAlliance:
			id, ok = p.r.Alliance(t.value)
		case KindList:
			id, ok = p.r.List(t.value)
		}
		if ok {
			return id, nil
		}
	}
	if kind == KindList {
		if id, ok := builtinLists[strings.ToLower(t.value)]; ok {
			return id, nil
		}
	}
	msg := fmt.Sprintf("unknown %s %q", kind, t.value)
	var hints []string
	if s, ok := p.r.(Suggester); ok {
		hints = s.Suggest(kind, t.value)
	}
	if kind == KindList && len(hints) == 0 {
		hints = store.Suggest(t.value, 1, maps.All(builtinLists))
	}
	if len(hints) > 0 {
		if len(hints) > 3 {
			hints = hints[:3]
		}
		msg += " (did you mean " + strings.Join(hints, ", ") + "?)"
	}
	return "", p.errorf(t.valPos, t.valEnd, "%s", msg)
}

func (p *parser) applyIs(t term) error {
	v := strings.ToLower(t.value)
	var field *store.Tristate
	var name string
	want := store.Yes
	switch v {
	case "unread", "read":
		field, name = &p.f.Unread, "unread"
		if v == "read" {
			want = store.No
		}
	case "starred", "unstarred":
		field, name = &p.f.Starred, "starred"
		if v == "unstarred" {
			want = store.No
		}
	case "sanctions":
		field, name = &p.f.Sanctions, "sanctions"
	default:
		return p.errorf(t.valPos, t.valEnd, "unknown is:%s (want one of %s)", t.value, strings.Join(isValues, ", "))
	}
	if t.neg {
		want = flip(want)
	}
	if *field != store.Any && *field != want {
		prev := p.set[name]
		return p.errorf(t.start, t.valEnd, "%s contradicts %s", t.original, prev.original)
	}
	*field = want
	p.remember(name, t)
	return nil
}

func flip(v store.Tristate) store.Tristate {
	if v == store.Yes {
		return store.No
	}
	return store.Yes
}

// remember notes the term that set a field, for contradiction messages.
func (p *parser) remember(name string, t term) {
	if p.set == nil {
		p.set = make(map[string]term)
	}
	p.set[name] = t
}

func (p *parser) applyTime(t term) error {
	lo, hi, err := parseTime(t.value, p.now)
	if err != nil {
		return p.errorf(t.valPos, t.valEnd, "bad %s:%s: %s", t.key, t.value, err.Error())
	}
	// since: takes the start of the period and until: its end; a negation
	// keeps the boundary and moves it to the other field.
	bound := lo
	if t.key == "until" {
		bound = hi
	}
	isSince := (t.key == "since") != t.neg
	f := &p.f
	if isSince {
		if f.Since.IsZero() || bound.After(f.Since) {
			f.Since = bound
		}
	} else {
		if f.Until.IsZero() || bound.Before(f.Until) {
			f.Until = bound
		}
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return p.errorf(t.start, t.valEnd, "%s leaves no time between since and until", t.original)
	}
	return nil
}
