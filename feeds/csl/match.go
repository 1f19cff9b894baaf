package csl

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aiwatch/aiwatch/store"
)

// Match links a CSL entry to a tracked firm.
type Match struct {
	Entry Entry
	Firm  string // firm ID
	// Affiliate is set when the entry names a subsidiary or affiliate of
	// the firm rather than the firm itself.
	Affiliate bool
	// Exact is set when a name of the entry equals a spelling of the firm.
	Exact bool
	// Reason says which names matched, for the user.
	Reason string
}

// spelling is one folded name or alias of a firm.
type spelling struct {
	firm        string
	text        string // as written in the dataset
	what        string // "name", "Chinese name", "short name" or "alias"
	folded      string
	runes       int
	rs          []rune   // folded, as runes, for edit distances
	tokens      []string // folded tokens with place names removed
	distinctive bool
}

// index finds the spellings of tracked firms in folded names.
type index struct {
	exact     map[string][]*spelling // folded spelling → spellings
	exactCase map[string][]*spelling // case-kept fold of case-sensitive aliases
	maxLen    int                    // longest folded spelling in bytes
	byRunes   map[int][]*spelling    // distinctive spellings of 5+ runes, by rune count
	byToken   map[string][]*spelling // distinctive spellings of 2+ tokens, by token

	// Scratch space for edit distances.
	rs   []rune
	row1 []int
}

func newIndex(firms []store.Firm) *index {
	ix := &index{
		exact:     map[string][]*spelling{},
		exactCase: map[string][]*spelling{},
		byRunes:   map[int][]*spelling{},
		byToken:   map[string][]*spelling{},
	}
	for _, f := range firms {
		seen := map[string]bool{}
		// A name spelt like a case-sensitive alias ("Moonshot") is one too.
		caseOnly := map[string]bool{}
		for _, a := range f.Aliases {
			if a.CaseSensitive {
				caseOnly[foldName(a.Text, false)] = true
			}
		}
		add := func(text, what string, caseSensitive bool) {
			caseSensitive = caseSensitive || caseOnly[foldName(text, false)]
			folded := foldName(text, caseSensitive)
			if folded == "" || seen[folded] {
				return
			}
			seen[folded] = true
			sp := &spelling{firm: f.ID, text: text, what: what, folded: folded, rs: []rune(folded)}
			sp.runes = len(sp.rs)
			if caseSensitive {
				ix.exactCase[folded] = append(ix.exactCase[folded], sp)
				return
			}
			sp.distinctive = distinctive(folded)
			rest, _ := stripPlaces(folded)
			sp.tokens = strings.Fields(rest)
			ix.exact[folded] = append(ix.exact[folded], sp)
			ix.maxLen = max(ix.maxLen, len(folded))
			if !sp.distinctive {
				return
			}
			if sp.runes >= 5 {
				ix.byRunes[sp.runes] = append(ix.byRunes[sp.runes], sp)
			}
			if len(sp.tokens) >= 2 {
				for _, t := range uniq(sp.tokens) {
					ix.byToken[t] = append(ix.byToken[t], sp)
				}
			}
		}
		add(f.Name, "name", false)
		add(f.NameZH, "Chinese name", false)
		add(f.Short, "short name", false)
		for _, a := range f.Aliases {
			add(a.Text, "alias", a.CaseSensitive)
		}
	}
	return ix
}

// Match strengths; the strongest per entry and firm wins.
const (
	levelCandidate = iota + 1
	levelAffiliate
	levelExact
)

// hit is the best evidence so far that an entry names a firm.
type hit struct {
	level     int
	affiliate bool
	reason    string
}

// ownerPhrase finds "subsidiary of X" and its kin in names and remarks.
var ownerPhrase = regexp.MustCompile(`(?i)\b(subsidiary of|affiliate of|affiliated with|owned or controlled by|a division of|branch of|linked to:)\s*([^;()]+)`)

// ownerWords are the words of ownerPhrase in lower case; a text without
// any of them is not given to the regular expression.
var ownerWords = []string{"subsidiary", "affiliate", "owned", "division", "branch", "linked"}

func mentionsOwner(s string) bool {
	if s == "" {
		return false
	}
	lower := strings.ToLower(s)
	for _, w := range ownerWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// skippedTypes are entry types that never name a firm.
var skippedTypes = map[string]bool{"individual": true, "vessel": true, "aircraft": true}

// MatchFirms matches entries to firms by the rules in the package doc. It
// returns the applied matches (exact and affiliate) and the candidates
// that need the user's confirmation, each sorted by firm, list, affiliate
// flag, entry name and entry ID. An entry can match several firms.
func MatchFirms(entries []Entry, firms []store.Firm) (applied, candidates []Match) {
	ix := newIndex(firms)
	for _, e := range entries {
		if skippedTypes[strings.ToLower(e.Type)] {
			continue
		}
		best := map[string]hit{}
		ix.matchEntry(e, best)
		for _, firm := range sortedKeys(best) {
			h := best[firm]
			m := Match{Entry: e, Firm: firm, Affiliate: h.affiliate, Exact: h.level == levelExact, Reason: h.reason}
			if h.level >= levelAffiliate {
				applied = append(applied, m)
			} else {
				candidates = append(candidates, m)
			}
		}
	}
	sortMatches(applied)
	sortMatches(candidates)
	return applied, candidates
}

func sortMatches(ms []Match) {
	slices.SortStableFunc(ms, func(a, b Match) int {
		return cmp.Or(
			cmp.Compare(a.Firm, b.Firm),
			cmp.Compare(a.Entry.List, b.Entry.List),
			cmpBool(a.Affiliate, b.Affiliate),
			cmp.Compare(a.Entry.Name, b.Entry.Name),
			cmp.Compare(a.Entry.ID, b.Entry.ID),
		)
	})
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// offer records evidence for the spellings' firms. Evidence that rests on
// a spelling shared by several firms is only a candidate for each.
func offer(best map[string]hit, sps []*spelling, level int, affiliate bool, reason func(*spelling) string) {
	firms := map[string]bool{}
	for _, sp := range sps {
		firms[sp.firm] = true
	}
	shared := ""
	if len(firms) > 1 && level > levelCandidate {
		level = levelCandidate
		shared = "; the spelling is shared by " + strings.Join(sortedKeys(firms), ", ")
	}
	done := map[string]bool{}
	for _, sp := range sps {
		if done[sp.firm] {
			continue
		}
		done[sp.firm] = true
		if old, ok := best[sp.firm]; ok && old.level >= level {
			continue
		}
		best[sp.firm] = hit{level: level, affiliate: affiliate, reason: reason(sp) + shared}
	}
}

func (ix *index) matchEntry(e Entry, best map[string]hit) {
	names := make([]string, 0, 1+len(e.AltNames))
	if e.Name != "" {
		names = append(names, e.Name)
	}
	names = append(names, e.AltNames...)
	for i, name := range names {
		label := "name"
		if i > 0 || e.Name == "" {
			label = "alt name"
		}
		ix.matchName(label, name, best)
	}
	for _, field := range []struct{ label, text string }{{"name", e.Name}, {"remarks", e.Remarks}} {
		if !mentionsOwner(field.text) {
			continue
		}
		for _, m := range ownerPhrase.FindAllStringSubmatch(field.text, -1) {
			ix.matchOwner(field.label, m[0], m[2], best)
		}
	}
}

// matchName applies rules 1 to 3 to one name of an entry.
func (ix *index) matchName(label, name string, best map[string]hit) {
	if sps := ix.exactCase[foldName(name, true)]; len(sps) > 0 {
		offer(best, sps, levelExact, false, func(sp *spelling) string {
			return fmt.Sprintf("%s %q matches %s %q", label, name, sp.what, sp.text)
		})
	}
	fn := foldName(name, false)
	if fn == "" {
		return
	}
	if sps := ix.exact[fn]; len(sps) > 0 {
		offer(best, sps, levelExact, false, func(sp *spelling) string {
			return fmt.Sprintf("%s %q matches %s %q", label, name, sp.what, sp.text)
		})
	}
	ix.matchAffiliate(fn, func(sps []*spelling, placed bool) {
		offer(best, sps, levelAffiliate, true, func(sp *spelling) string {
			if placed {
				return fmt.Sprintf("%s %q is %s %q after a place name", label, name, sp.what, sp.text)
			}
			return fmt.Sprintf("%s %q starts with %s %q", label, name, sp.what, sp.text)
		})
	})
	ix.matchCandidates(label, name, fn, best)
}

// matchAffiliate calls found for distinctive spellings that begin fn and
// are followed by more words, or that follow place names at its start.
func (ix *index) matchAffiliate(fn string, found func(sps []*spelling, placed bool)) {
	rest, placed := stripPlaces(fn)
	if rest == "" {
		return
	}
	_, ends := boundaries(rest)
	for _, j := range ends {
		if j > ix.maxLen {
			break
		}
		if j == len(rest) && !placed {
			continue // the whole name: that is rule 1
		}
		if sps := distinctiveOnly(ix.exact[rest[:j]]); len(sps) > 0 {
			found(sps, placed)
		}
	}
}

// matchOwner applies rule 2 to the name after "subsidiary of" and its kin.
func (ix *index) matchOwner(label, phrase, owner string, best map[string]hit) {
	fo := foldName(owner, false)
	if fo == "" {
		return
	}
	reason := func(*spelling) string { return fmt.Sprintf("%s say %q", label, strings.TrimSpace(phrase)) }
	if sps := ix.exact[fo]; len(sps) > 0 {
		offer(best, sps, levelAffiliate, true, reason)
	}
	ix.matchAffiliate(fo, func(sps []*spelling, _ bool) { offer(best, sps, levelAffiliate, true, reason) })
}

// matchCandidates applies rule 3 to one folded name.
func (ix *index) matchCandidates(label, name, fn string, best map[string]hit) {
	candidate := func(sps []*spelling, how string) {
		offer(best, sps, levelCandidate, false, func(sp *spelling) string {
			return fmt.Sprintf("%s %q %s %s %q", label, name, how, sp.what, sp.text)
		})
	}
	// A distinctive spelling inside the name, not at its start.
	rest, _ := stripPlaces(fn)
	starts, ends := boundaries(rest)
	first := 0 // the first end after the current start
	for _, i := range starts {
		for first < len(ends) && ends[first] <= i {
			first++
		}
		if i == 0 {
			continue
		}
		for _, j := range ends[first:] {
			if j-i > ix.maxLen {
				break
			}
			if sps := distinctiveOnly(ix.exact[rest[i:j]]); len(sps) > 0 {
				candidate(sps, "contains")
			}
		}
	}
	// A small edit distance.
	ix.rs = append(ix.rs[:0], []rune(fn)...)
	n := len(ix.rs)
	for k := n - 2; k <= n+2; k++ {
		for _, sp := range ix.byRunes[k] {
			maxDist := 1
			if sp.runes > 8 {
				maxDist = 2
			}
			if d := ix.editDistance(ix.rs, sp.rs, maxDist); d > 0 && d <= maxDist {
				candidate([]*spelling{sp}, fmt.Sprintf("is %d edit(s) from", d))
			}
		}
	}
	// Shared words.
	tokens := uniq(strings.Fields(rest))
	if len(tokens) < 2 {
		return
	}
	shared := map[*spelling]int{}
	for _, t := range tokens {
		for _, sp := range ix.byToken[t] {
			shared[sp]++
		}
	}
	for sp, n := range shared {
		union := len(tokens) + len(uniq(sp.tokens)) - n
		if n >= 2 && 5*n >= 3*union {
			candidate([]*spelling{sp}, "shares words with")
		}
	}
}

func distinctiveOnly(sps []*spelling) []*spelling {
	out := sps[:0:0]
	for _, sp := range sps {
		if sp.distinctive {
			out = append(out, sp)
		}
	}
	return out
}

// uniq returns s without repeats, in order.
func uniq(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := make([]string, 0, len(s))
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// editDistance is store.EditDistance with the index's scratch rows.
func (ix *index) editDistance(a, b []rune, max int) int {
	if cap(ix.row1) < 2*(len(b)+1) {
		ix.row1 = make([]int, 2*(len(b)+1))
	}
	return store.EditDistance(a, b, max, ix.row1)
}
