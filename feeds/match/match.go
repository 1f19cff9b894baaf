// Package match finds the firms and alliances that a piece of text names,
// in English, Chinese (simplified and traditional) and Arabic, and flags
// text about sanctions and export controls. It is pure: no I/O, no clock.
//
// A Matcher is built once per alias-set version from store aliases. Every
// alias, each of its Chinese script variants (store.AliasVariants), the
// sanctions terms and a few blocking phrases are compiled into one
// Aho–Corasick automaton (github.com/coregx/ahocorasick, a DFA over
// bytes). Matching folds the text with store's alias rule while keeping a
// map back to the original bytes, runs the automaton once over the folded
// text, and then checks each hit: word boundaries for Latin and Arabic
// (with Arabic proclitics), exact case for case-sensitive aliases, and
// blocking phrases. Cost is linear in the text and does not grow with the
// number of aliases.
package match

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/coregx/ahocorasick"

	"github.com/aiwatch/aiwatch/store"
)

// KindSanctions is the kind of a Match that is a sanctions term rather
// than an alias. Its Entity is SanctionsEntity.
const KindSanctions store.EntityKind = "sanctions"

// SanctionsEntity is the Entity of every sanctions-term Match.
const SanctionsEntity = "sanctions"

// Match is one alias (or sanctions term) found in a text. Alias is the
// alias as written in the dataset, even when a script variant matched;
// Start and End are byte offsets into the original text.
type Match struct {
	Entity string           `json:"entity"`
	Kind   store.EntityKind `json:"kind"`
	Alias  string           `json:"alias"`
	Start  int              `json:"start"`
	End    int              `json:"end"`
	// Form says how the text's spelling derives from Alias when it is
	// not a script variant: FormArabicLetters or FormTaiwanPhrases.
	Form string `json:"form,omitempty"`
	// Context is what let a name that is also an ordinary word count
	// ("qualifier 芯片", "clue 征程", "firm huawei in the sentence", "stock
	// code (688256"), or for a sanctions term the firm it is about.
	Context string `json:"context,omitempty"`
}

// Forms of a match that derive from an alias by rule.
const (
	FormArabicLetters = "arabic-letters" // an acronym spelt out in Arabic letter names
	FormTaiwanPhrases = "zh-tw-phrases"  // OpenCC's Taiwan phrase conversion
)

// Blocked is an alias or sanctions term that was found in the text and
// did not count, with the reason.
type Blocked struct {
	Entity string           `json:"entity"`
	Kind   store.EntityKind `json:"kind"`
	Alias  string           `json:"alias"`
	Start  int              `json:"start"`
	End    int              `json:"end"`
	Reason string           `json:"reason"`
}

// Result is what a text names. Firms and Alliances are sorted and free of
// duplicates; Matches, ordered by position, explain every tag and the
// sanctions flag.
type Result struct {
	Firms     []string `json:"firms"`
	Alliances []string `json:"alliances"`
	Sanctions bool     `json:"sanctions"`
	Matches   []Match  `json:"matches"`
	// Blocked explains the names and terms that were found and did not
	// count. It is empty for most texts.
	Blocked []Blocked `json:"blocked,omitempty"`
}

// Matcher finds aliases in text. It is safe for concurrent use.
type Matcher struct {
	ac       *ahocorasick.Automaton // nil when there is nothing to find
	patterns []pattern              // by automaton pattern ID
	targets  []target               // by index; input order breaks ties
	rules    []compiledRule         // context rules of ambiguous names
	words    *sanctionWords         // ranking and company words of the sanctions rules
	entities int                    // distinct (kind, entity) pairs, for target.eid
	scratch  sync.Pool
}

// pattern is one folded byte string in the automaton and everything it
// may stand for.
type pattern struct {
	left, right edge
	targets     []int32 // indexes into Matcher.targets
}

// target is one meaning of a pattern.
type target struct {
	entity string
	kind   store.EntityKind
	alias  string // as written in the dataset
	exact  string // case-sensitive fold of the variant, or "" for case-insensitive
	form   string // Match.Form
	block  bool   // a blocking phrase: it hides what it covers and is not reported
	list   bool   // a sanctions term that takes up a list named before (term.list)
	us     bool   // a sanctions term that needs the US side in its sentence (term.us)
	rule   int16  // index into Matcher.rules of an ambiguous name, or -1
	eid    int32  // index of (kind, entity) among the matcher's firms and alliances
}

// maxPooled is the largest folded buffer kept for reuse.
const maxPooled = 1 << 20

type scratch struct {
	folded       []byte
	offsets      []int32
	cands        []candidate
	all          []candidate // the candidates before keepOutermost, when a blocking phrase hit
	stops        []int32     // sentence ends in folded, for decide
	why          []string
	state        []uint8
	exact        []byte // a hit folded without case folding
	exactOffsets []int32
	tagged       []uint32 // per target.eid, the call (gen) that tagged it
	gen          uint32
}

// candidate is a hit that passed its checks: folded offsets and a target
// index. It holds no pointers, which keeps sorting cheap.
type candidate struct {
	fs, fe, t int32
}

// New builds a matcher from aliases. Building costs milliseconds (a little
// more on the first call in a process, which indexes store's Chinese
// phrase dictionaries), so build once per alias-set version and reuse the
// matcher for every item.
// Aliases that fold to nothing, name no entity or are of another kind
// than firm or alliance are ignored.
func New(aliases []store.Alias) *Matcher {
	b := builder{index: map[string]int{}}
	rules, names := compileRules()
	for _, a := range aliases {
		if a.Entity == "" || a.Kind != store.KindFirm && a.Kind != store.KindAlliance {
			continue
		}
		t := target{entity: a.Entity, kind: a.Kind, alias: a.Text, rule: int16(ruleIndex(names, a.Text))}
		variants := store.AliasVariants(a.Text)
		b.add(t, variants, a.CaseSensitive)
		var tw []string
		for _, v := range variants {
			if c := taiwanPhrases(v); c != v && !contains(variants, c) && !contains(tw, c) {
				tw = append(tw, c)
			}
		}
		t.form = FormTaiwanPhrases
		b.add(t, tw, a.CaseSensitive)
		if ar := arabicLetters(a.Text); ar != nil {
			t.form = FormArabicLetters
			b.add(t, ar, false)
		}
	}
	for _, t := range sanctionTerms {
		b.add(target{entity: SanctionsEntity, kind: KindSanctions, alias: t.text, rule: -1, list: t.list, us: t.us}, zhVariants(t.text), t.cs)
	}
	for _, t := range blockPhrases {
		b.add(target{alias: t.text, block: true, rule: -1}, zhVariants(t.text), t.cs)
	}
	m := &Matcher{patterns: b.patterns, targets: b.targets, rules: rules, words: compileSanctionWords()}
	eids := map[[2]string]int32{}
	for i := range m.targets {
		t := &m.targets[i]
		key := [2]string{string(t.kind), t.entity}
		id, ok := eids[key]
		if !ok {
			id = int32(len(eids))
			eids[key] = id
		}
		t.eid = id
	}
	m.entities = len(eids)
	m.scratch.New = func() any { return new(scratch) }
	if len(b.keys) > 0 {
		// Build fails only for no or empty patterns, which add rules out.
		ac, err := ahocorasick.NewBuilder().AddPatterns(b.keys).Build()
		if err == nil {
			m.ac = ac
		}
	}
	return m
}

type builder struct {
	keys     [][]byte
	patterns []pattern
	targets  []target
	index    map[string]int // folded key → pattern ID
}

// add enters the spellings of one target.
func (b *builder) add(t target, variants []string, caseSensitive bool) {
	for _, v := range variants {
		key := strings.Trim(store.FoldText(v, false), " ")
		if key == "" {
			continue
		}
		vt := t
		if caseSensitive {
			vt.exact = strings.Trim(store.FoldText(v, true), " ")
		}
		b.addKey(vt, key)
		// The preposition ل swallows the alef of the article: ل + الجيش
		// is written للجيش, so an Arabic name or term that starts with
		// the article is also entered in that form.
		if rest, ok := strings.CutPrefix(key, "ال"); ok && rest != "" && vt.exact == "" {
			b.addKey(vt, "لل"+rest)
		}
	}
}

// addKey enters one folded key of a target.
func (b *builder) addKey(vt target, key string) {
	id, ok := b.index[key]
	if !ok {
		id = len(b.patterns)
		b.index[key] = id
		b.keys = append(b.keys, []byte(key))
		first, _ := firstRune(key)
		last, _ := lastRune(key)
		b.patterns = append(b.patterns, pattern{left: edgeOf(first), right: edgeOf(last)})
	}
	p := &b.patterns[id]
	if slices.ContainsFunc(p.targets, func(i int32) bool { return b.targets[i] == vt }) {
		return
	}
	p.targets = append(p.targets, int32(len(b.targets)))
	b.targets = append(b.targets, vt)
}

// Match finds the firms, alliances and sanctions terms that text names.
// It leaves Match.Context and Result.Blocked empty; Explain fills them.
func (m *Matcher) Match(text string) Result { return m.match(text, false) }

// Explain is Match with every decision explained: Match.Context says what
// let a name that is also an ordinary word count (or which firm a
// sanctions term is about), and Result.Blocked lists what was found and
// did not count, with the reason. It costs more than Match.
func (m *Matcher) Explain(text string) Result { return m.match(text, true) }

func (m *Matcher) match(text string, explain bool) Result {
	res := Result{Firms: []string{}, Alliances: []string{}, Matches: []Match{}}
	if m.ac == nil || text == "" {
		return res
	}
	s := m.scratch.Get().(*scratch)
	defer func() {
		// Keep the buffers of ordinary items, not of a huge one.
		if cap(s.folded) <= maxPooled {
			m.scratch.Put(s)
		}
	}()
	s.folded, s.offsets = store.AppendFold(s.folded[:0], s.offsets[:0], text, false)
	folded, offsets := s.folded, s.offsets
	origEnd := func(fe int) int {
		if fe == len(folded) {
			return len(text)
		}
		return int(offsets[fe])
	}

	s.cands = s.cands[:0]
	if len(s.tagged) != m.entities {
		s.tagged, s.gen = make([]uint32, m.entities), 0
	}
	if s.gen++; s.gen == 0 { // wrapped: forget every earlier call
		clear(s.tagged)
		s.gen = 1
	}
	decide, hasBlock := false, false
	for _, h := range m.ac.FindAllOverlapping(folded) {
		fs, fe := h.Start, h.End
		// A hit must cover whole characters of the original text.
		if fs > 0 && offsets[fs-1] == offsets[fs] || fe < len(folded) && offsets[fe-1] == offsets[fe] {
			continue
		}
		p := &m.patterns[h.PatternID]
		if !leftOK(folded, fs, p.left) || !rightOK(folded, fe, p.right) {
			continue
		}
		var exact []byte // the hit folded without case folding, when a target needs it
		for _, ti := range p.targets {
			t := &m.targets[ti]
			if want := t.exact; want != "" {
				if exact == nil {
					s.exact, s.exactOffsets = store.AppendFold(s.exact[:0], s.exactOffsets[:0], text[offsets[fs]:origEnd(fe)], true)
					exact = bytes.Trim(s.exact, " ")
				}
				if string(exact) != want {
					continue
				}
			}
			c := candidate{fs: int32(fs), fe: int32(fe), t: ti}
			decide = decide || t.rule >= 0 || t.kind == KindSanctions ||
				(p.left == edgeWord || p.right == edgeWord) && !t.block && inWebAddress(folded, fs, fe, text[offsets[fs]])
			hasBlock = hasBlock || t.block
			s.cands = append(s.cands, c)
		}
	}

	var all []candidate // before keepOutermost, to explain what blocking phrases hid
	if hasBlock && explain {
		s.all = append(s.all[:0], s.cands...)
		all = s.all
		slices.SortFunc(all, func(a, b candidate) int { return cmp.Compare(a.fs, b.fs) })
	}
	kept := keepOutermost(s.cands, m.targets)
	var state []uint8 // per kept candidate, when decided
	var why []string  // per kept candidate, when explaining: Match.Context or Blocked.Reason
	if decide {
		state, why = m.decide(s, text, folded, offsets, origEnd, kept, explain)
	}
	res.Matches = make([]Match, 0, len(kept))
	for i, c := range kept {
		t := &m.targets[c.t]
		if t.block {
			if all != nil {
				res.Blocked = m.hidden(res.Blocked, all, c, folded, offsets, origEnd)
			}
			continue
		}
		ctx := ""
		if why != nil {
			ctx = why[i]
		}
		start, end := int(offsets[c.fs]), origEnd(int(c.fe))
		if state != nil && state[i] == stateBlocked {
			if explain {
				res.Blocked = append(res.Blocked, Blocked{Entity: t.entity, Kind: t.kind, Alias: t.alias, Start: start, End: end, Reason: ctx})
			}
			continue
		}
		res.Matches = append(res.Matches, Match{
			Entity: t.entity, Kind: t.kind, Alias: t.alias, Start: start, End: end, Form: t.form, Context: ctx,
		})
		switch t.kind {
		case store.KindFirm, store.KindAlliance:
			if s.tagged[t.eid] == s.gen {
				break
			}
			s.tagged[t.eid] = s.gen
			if t.kind == store.KindFirm {
				res.Firms = append(res.Firms, t.entity)
			} else {
				res.Alliances = append(res.Alliances, t.entity)
			}
		case KindSanctions:
			res.Sanctions = true
		}
	}
	slices.Sort(res.Firms)
	slices.Sort(res.Alliances)
	return res
}

// decide applies the rules that look beyond a name itself: a Latin name
// inside a web address does not count, a name that is also an ordinary
// word needs context (context.go), and a sanctions term needs a tracked
// firm in its sentence. It returns, per kept candidate, "" or the context
// that let it count, or the reason it does not (strings only when
// explaining). Its cost is
// linear in the text plus a logarithm per name: sentence ends are found
// as needed, once each, and kept is searched by position.
func (m *Matcher) decide(s *scratch, text string, folded []byte, offsets []int32, origEnd func(int) int, kept []candidate, explain bool) ([]uint8, []string) {
	orig := func(c candidate) string { return text[offsets[c.fs]:origEnd(int(c.fe))] }
	say := func(f func() string) string {
		if explain {
			return f()
		}
		return ""
	}
	s.why = slices.Grow(s.why[:0], len(kept))[:len(kept)]
	s.state = slices.Grow(s.state[:0], len(kept))[:len(kept)]
	why, state := s.why, s.state
	clear(why)
	clear(state)
	sc := &sentences{folded: folded, lo: -1}
	pending := false
	for i, c := range kept {
		t := &m.targets[c.t]
		switch {
		case t.block:
			state[i] = stateBlocked
		case t.kind == KindSanctions:
			pending = true
		case inWebAddress(folded, int(c.fs), int(c.fe), text[offsets[c.fs]]):
			state[i], why[i] = stateBlocked, say(func() string { return "inside a web address: " + orig(c) + " is a host name here" })
		case t.rule < 0:
			state[i] = stateCounts
		default:
			state[i], why[i] = m.local(folded, offsets, origEnd, text, c, sc, orig, explain)
			pending = pending || state[i] == stateUndecided
		}
	}
	// Another firm in the sentence: repeat while names confirm each
	// other (字节、阿里、腾讯).
	for changed := pending; changed; {
		changed = false
		for i, c := range kept {
			t := &m.targets[c.t]
			if state[i] != stateUndecided || t.kind == KindSanctions || m.rules[t.rule].noFirmContext {
				continue
			}
			if f := m.firmInSentence(kept, state, i, sc); f != "" {
				state[i], why[i], changed = stateCounts, say(func() string { return "firm " + f + " in the sentence" }), true
			}
		}
	}
	for i, c := range kept {
		if state[i] != stateUndecided {
			continue
		}
		t := &m.targets[c.t]
		if t.kind == KindSanctions {
			if t.list {
				lo, hi := sc.around(int(c.fs), int(c.fe))
				if ws, we := m.words.rankings.find(folded, sc.bytesIn(lo, hi), lo, hi, -1, -1); ws >= 0 {
					state[i], why[i] = stateBlocked, say(func() string {
						return "ranking word " + text[offsets[ws]:origEnd(we)] + " in the sentence: this list is a ranking, not a sanctions list"
					})
					continue
				}
			}
			if t.us {
				lo, hi := sc.around(int(c.fs), int(c.fe))
				if ws, _ := m.words.us.find(folded, sc.bytesIn(lo, hi), lo, hi, -1, -1); ws < 0 {
					state[i], why[i] = stateBlocked, say(func() string {
						return "no US actor in the sentence: " + orig(c) + " counts only when the US side is named beside it"
					})
					continue
				}
			}
			if f := m.firmInSentence(kept, state, i, sc); f != "" {
				state[i], why[i] = stateCounts, say(func() string { return "about " + f })
			} else if f, ws, we := m.firmBefore(folded, kept, state, i, sc); f != "" {
				state[i], why[i] = stateCounts, say(func() string {
					return "about " + f + ", named in the sentence before and taken up by " + text[offsets[ws]:origEnd(we)]
				})
			} else {
				state[i], why[i] = stateBlocked, say(func() string {
					return "no tracked firm in the sentence: a listing or export control counts only when it names one"
				})
			}
			continue
		}
		state[i], why[i] = stateBlocked, say(func() string {
			if m.rules[t.rule].noFirmContext {
				return orig(c) + " is also an ordinary word: it needs a qualifier or a stock code"
			}
			return orig(c) + " is also an ordinary word: it needs a qualifier, a stock code, a clue word or another firm in the sentence"
		})
	}
	if !explain {
		why = nil
	}
	return state, why
}

// States of a kept candidate in decide.
const (
	stateUndecided uint8 = iota
	stateCounts
	stateBlocked
)

// local decides an ambiguous name by what stands next to it and by the
// words of its sentence.
func (m *Matcher) local(folded []byte, offsets []int32, origEnd func(int) int, text string, c candidate, sc *sentences, orig func(candidate) string, explain bool) (uint8, string) {
	t := &m.targets[c.t]
	r := &m.rules[t.rule]
	lo, hi := sc.around(int(c.fs), int(c.fe))
	word := func(ws, we int) string { return text[offsets[ws]:origEnd(we)] }
	q := r.qualified(folded, int(c.fs), int(c.fe))
	if !isWordQualifier(q) {
		es, ee := r.notVetoes.find(folded, sc.bytesIn(lo, hi), lo, hi, -1, -1)
		if ws, we := r.vetoes.find(folded, sc.bytesIn(lo, hi), lo, hi, es, ee); ws >= 0 {
			if !explain {
				return stateBlocked, ""
			}
			return stateBlocked, "veto word " + word(ws, we) + " in the sentence: here " + orig(c) + " is the ordinary word"
		}
	}
	if q != "" {
		if !explain {
			return stateCounts, ""
		}
		return stateCounts, "qualifier " + q
	}
	if r.stockCodes {
		if code := stockCode(folded, int(c.fe)); code != "" {
			if !explain {
				return stateCounts, ""
			}
			return stateCounts, "stock code " + code
		}
	}
	if ws, we := r.clues.find(folded, sc.bytesIn(lo, hi), lo, hi, int(c.fs), int(c.fe)); ws >= 0 {
		if !explain {
			return stateCounts, ""
		}
		return stateCounts, "clue " + word(ws, we) + " in the sentence"
	}
	return stateUndecided, ""
}

// firmInSentence returns a firm other than kept[i]'s entity, in the same
// sentence, that counts, or "".
func (m *Matcher) firmInSentence(kept []candidate, state []uint8, i int, sc *sentences) string {
	c := kept[i]
	lo, hi := sc.around(int(c.fs), int(c.fe))
	self := m.targets[c.t].entity
	from, _ := slices.BinarySearchFunc(kept, int32(lo), func(d candidate, pos int32) int { return cmp.Compare(d.fs, pos) })
	for j := from; j < len(kept) && int(kept[j].fs) < hi; j++ {
		t := &m.targets[kept[j].t]
		if j != i && state[j] == stateCounts && t.kind == store.KindFirm && t.entity != self && int(kept[j].fe) <= hi {
			return t.entity
		}
	}
	return ""
}

// firmBefore applies the rule of companyWords: when the sentence of
// kept[i] refers back to a company and the sentence just before it names
// a tracked firm that counts, it returns that firm and the folded bounds
// of the referring words; else "".
func (m *Matcher) firmBefore(folded []byte, kept []candidate, state []uint8, i int, sc *sentences) (string, int, int) {
	c := kept[i]
	lo, hi := sc.around(int(c.fs), int(c.fe))
	// Step back over the sentence end and the spaces before it.
	pe := lo
	for pe > 0 && (folded[pe-1] == ' ' || folded[pe-1] == '\n' || folded[pe-1] == '\r') {
		pe--
	}
	if pe == 0 {
		return "", 0, 0
	}
	pe-- // the last byte of the sentence end
	for pe > 0 && folded[pe]&0xC0 == 0x80 {
		pe--
	}
	for pe > 0 && (folded[pe-1] == ' ' || folded[pe-1] == '\n' || folded[pe-1] == '\r') {
		pe--
	}
	if pe == 0 {
		return "", 0, 0
	}
	plo, phi := sc.around(pe-1, pe)
	if phi > lo {
		return "", 0, 0
	}
	// The firm first: it is a binary search, the referring words a scan.
	from, _ := slices.BinarySearchFunc(kept, int32(plo), func(d candidate, pos int32) int { return cmp.Compare(d.fs, pos) })
	for j := from; j < len(kept) && int(kept[j].fs) < phi; j++ {
		t := &m.targets[kept[j].t]
		if state[j] == stateCounts && t.kind == store.KindFirm && int(kept[j].fe) <= phi {
			if ws, we := m.words.company.find(folded, sc.bytesIn(lo, hi), lo, hi, -1, -1); ws >= 0 {
				return t.entity, ws, we
			}
			return "", 0, 0
		}
	}
	return "", 0, 0
}

// within returns the candidates of cs, sorted by start, that start in
// [lo, hi); callers check where they end.
func within(cs []candidate, lo, hi int) []candidate {
	from, _ := slices.BinarySearchFunc(cs, int32(lo), func(d candidate, pos int32) int { return cmp.Compare(d.fs, pos) })
	to := from
	for to < len(cs) && int(cs[to].fs) < hi {
		to++
	}
	return cs[from:to]
}

// hidden appends to blocked the names and terms that the blocking phrase
// c covers.
func (m *Matcher) hidden(blocked []Blocked, all []candidate, c candidate, folded []byte, offsets []int32, origEnd func(int) int) []Blocked {
	for _, d := range within(all, int(c.fs), int(c.fe)) {
		t := &m.targets[d.t]
		if t.block || d == c || d.fe > c.fe {
			continue
		}
		blocked = append(blocked, Blocked{
			Entity: t.entity, Kind: t.kind, Alias: t.alias,
			Start: int(offsets[d.fs]), End: origEnd(int(d.fe)),
			Reason: "inside the phrase " + string(folded[c.fs:c.fe]) + ", which names no firm",
		})
	}
	return blocked
}

// sortCandidates orders candidates by start, longest first, then by
// target. The automaton reports hits by where they end, and names are
// short, so the hits are nearly in order already: an insertion sort moves
// each a few places and costs about one pass, where a general sort costs
// n log n comparisons. It falls back to the general sort if the input is
// far from sorted.
func sortCandidates(cs []candidate) {
	less := func(a, b candidate) bool {
		if a.fs != b.fs {
			return a.fs < b.fs
		}
		if a.fe != b.fe {
			return a.fe > b.fe
		}
		return a.t < b.t
	}
	moves, limit := 0, 8*len(cs)+64
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && less(cs[j], cs[j-1]); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
			if moves++; moves > limit {
				slices.SortFunc(cs, func(a, b candidate) int {
					return cmp.Or(cmp.Compare(a.fs, b.fs), cmp.Compare(b.fe, a.fe), cmp.Compare(a.t, b.t))
				})
				return
			}
		}
	}
}

// keepOutermost drops every candidate that lies strictly inside another
// one ("Ascend 910" inside "Ascend 910C", "Baidu" inside "Baidu Kunlun",
// anything inside a blocking phrase) and duplicates of an entity on the
// same span. Different entities on different spans are all kept. The
// result is ordered by position. It reorders cands in place.
func keepOutermost(cands []candidate, targets []target) []candidate {
	sortCandidates(cands)
	out := cands[:0]
	maxEnd := int32(-1) // furthest end among candidates that start earlier
	for i := 0; i < len(cands); {
		// One group of candidates sharing a start; the first is the longest.
		j := i
		for j < len(cands) && cands[j].fs == cands[i].fs {
			j++
		}
		groupEnd := cands[i].fe
		kept := len(out)
		for k := i; k < j; k++ {
			c := cands[k]
			if maxEnd >= c.fe || c.fe < groupEnd {
				continue // strictly inside an earlier or longer candidate
			}
			// Same span: keep one match per entity (script variants and
			// aliases that fold alike all land here).
			t := &targets[c.t]
			if slices.ContainsFunc(out[kept:], func(o candidate) bool {
				return targets[o.t].entity == t.entity && targets[o.t].kind == t.kind
			}) {
				continue
			}
			out = append(out, c)
		}
		maxEnd = max(maxEnd, groupEnd)
		i = j
	}
	return out
}

// Tag matches an item's title, summary and content and merges the
// results: firm and alliance IDs (sorted, unique), the sanctions flag, and
// one mention per firm or alliance match with its field set.
func (m *Matcher) Tag(title, summary, content string) (firms, alliances []string, sanctions bool, mentions []store.Mention) {
	fields := []struct {
		name store.Field
		text string
	}{{store.FieldTitle, title}, {store.FieldSummary, summary}, {store.FieldContent, content}}
	for _, f := range fields {
		r := m.Match(f.text)
		firms = append(firms, r.Firms...)
		alliances = append(alliances, r.Alliances...)
		sanctions = sanctions || r.Sanctions
		for _, x := range r.Matches {
			if x.Kind == KindSanctions {
				continue
			}
			mentions = append(mentions, store.Mention{
				Entity: x.Entity, Kind: x.Kind, Alias: x.Alias,
				Field: f.name, Start: x.Start, End: x.End,
			})
		}
	}
	slices.Sort(firms)
	slices.Sort(alliances)
	return slices.Compact(firms), slices.Compact(alliances), sanctions, mentions
}
