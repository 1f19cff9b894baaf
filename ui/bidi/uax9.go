package bidi

import "slices"

// This file is the Unicode Bidirectional Algorithm, UAX #9 (revision 46,
// Unicode 15.0), rules P2 to L2. Rule names in comments are the
// specification's. Characters removed by rule X9 (embeddings, overrides,
// PDF and BN) are left out of the isolating run sequences altogether, as
// X9 says, rather than kept as BN as section 5.2 allows; their level is
// reported as -1.

// direction is a paragraph's base direction.
type direction int8

// The paragraph directions. dirAuto takes the direction of the first
// strong letter (rules P2 and P3), left to right when there is none.
const (
	dirLTR direction = iota
	dirRTL
	dirAuto
)

const (
	maxDepth        = 125 // BD2
	maxBracketPairs = 63  // BD16
	noOverride      = ON  // a directional status with no override
)

// removed reports whether rule X9 removes characters of class c.
func removed(c Class) bool {
	switch c {
	case RLE, LRE, RLO, LRO, PDF, BN:
		return true
	}
	return false
}

func isolateInitiator(c Class) bool { return c == LRI || c == RLI || c == FSI }

// levelsOf resolves the embedding levels of text, one paragraph (a
// paragraph separator inside it is treated by rule X8 but does not start
// a new paragraph), by rules P2 to I2. It returns the levels, -1 for the
// characters removed by X9, and the paragraph level. Rule L1, which
// depends on where lines end, is left to the caller.
func levelsOf(text []rune, cls []Class, dir direction) ([]int8, int8) {
	n := len(text)
	match := matchIsolates(cls)
	var para int8
	switch dir {
	case dirRTL:
		para = 1
	case dirAuto:
		para = firstStrong(cls, match, 0, n)
	}
	types := slices.Clone(cls)
	levels := explicitLevels(cls, types, match, para)
	for _, seq := range isolatingRunSequences(cls, levels, match, para) {
		seq.resolve(text, cls, types, levels)
	}
	for i, c := range cls {
		if removed(c) {
			levels[i] = -1
		}
	}
	return levels, para
}

// matchIsolates returns, for each isolate initiator, the index of its
// matching PDI (BD9), or -1 when it has none; other entries are -1.
func matchIsolates(cls []Class) []int {
	match := make([]int, len(cls))
	var open []int
	for i, c := range cls {
		match[i] = -1
		switch {
		case isolateInitiator(c):
			open = append(open, i)
		case c == PDI && len(open) > 0:
			match[open[len(open)-1]] = i
			open = open[:len(open)-1]
		}
	}
	return match
}

// firstStrong is rules P2 and P3 on cls[from:to]: 1 when the first strong
// character, skipping isolates, is R or AL, else 0.
func firstStrong(cls []Class, match []int, from, to int) int8 {
	for i := from; i < to; i++ {
		switch cls[i] {
		case L:
			return 0
		case R, AL:
			return 1
		case LRI, RLI, FSI:
			if match[i] < 0 {
				return 0
			}
			i = match[i]
		}
	}
	return 0
}

// explicitLevels applies rules X1 to X8: it returns each character's
// embedding level and applies directional overrides to types.
func explicitLevels(cls, types []Class, match []int, para int8) []int8 {
	type status struct {
		level    int8
		override Class
		isolate  bool
	}
	stack := make([]status, 1, maxDepth+2)
	stack[0] = status{para, noOverride, false}
	overflowIsolates, overflowEmbeddings, validIsolates := 0, 0, 0
	levels := make([]int8, len(cls))
	next := func(level int8, rtl bool) int8 {
		if rtl {
			return (level + 1) | 1
		}
		return (level + 2) &^ 1
	}
	for i, c := range cls {
		top := stack[len(stack)-1]
		switch c {
		case RLE, LRE, RLO, LRO: // X2–X5
			levels[i] = top.level
			level := next(top.level, c == RLE || c == RLO)
			if level <= maxDepth && overflowIsolates == 0 && overflowEmbeddings == 0 {
				override := noOverride
				switch c {
				case RLO:
					override = R
				case LRO:
					override = L
				}
				stack = append(stack, status{level, override, false})
			} else if overflowIsolates == 0 {
				overflowEmbeddings++
			}
		case RLI, LRI, FSI: // X5a–X5c
			levels[i] = top.level
			if top.override != noOverride {
				types[i] = top.override
			}
			rtl := c == RLI
			if c == FSI {
				end := match[i]
				if end < 0 {
					end = len(cls)
				}
				rtl = firstStrong(cls, match, i+1, end) == 1
			}
			level := next(top.level, rtl)
			if level <= maxDepth && overflowIsolates == 0 && overflowEmbeddings == 0 {
				validIsolates++
				stack = append(stack, status{level, noOverride, true})
			} else {
				overflowIsolates++
			}
		case PDI: // X6a
			switch {
			case overflowIsolates > 0:
				overflowIsolates--
			case validIsolates == 0:
			default:
				overflowEmbeddings = 0
				for !stack[len(stack)-1].isolate {
					stack = stack[:len(stack)-1]
				}
				stack = stack[:len(stack)-1]
				validIsolates--
			}
			top = stack[len(stack)-1]
			levels[i] = top.level
			if top.override != noOverride {
				types[i] = top.override
			}
		case PDF: // X7
			levels[i] = top.level
			switch {
			case overflowIsolates > 0:
			case overflowEmbeddings > 0:
				overflowEmbeddings--
			case !top.isolate && len(stack) >= 2:
				stack = stack[:len(stack)-1]
			}
		case B: // X8
			levels[i] = para
		case BN:
			levels[i] = top.level
		default: // X6
			levels[i] = top.level
			if top.override != noOverride {
				types[i] = top.override
			}
		}
	}
	return levels
}

// sequence is an isolating run sequence (BD13): the indices of its
// characters in order, its start and end of sequence types, and its
// embedding level.
type sequence struct {
	idx      []int
	sos, eos Class
	level    int8
}

// isolatingRunSequences is rule X10.
func isolatingRunSequences(cls []Class, levels []int8, match []int, para int8) []sequence {
	// Level runs over the characters X9 keeps, as ranges of kept.
	kept := make([]int, 0, len(cls))
	for i, c := range cls {
		if !removed(c) {
			kept = append(kept, i)
		}
	}
	var runs [][2]int
	runAt := make([]int, len(cls)) // first index of a run → its number + 1
	for k := 0; k < len(kept); {
		j := k + 1
		for j < len(kept) && levels[kept[j]] == levels[kept[k]] {
			j++
		}
		runAt[kept[k]] = len(runs) + 1
		runs = append(runs, [2]int{k, j})
		k = j
	}
	dirOf := func(level int8) Class {
		if level&1 == 1 {
			return R
		}
		return L
	}
	neighbour := func(i, step int) int8 {
		for j := i + step; j >= 0 && j < len(cls); j += step {
			if !removed(cls[j]) {
				return levels[j]
			}
		}
		return para
	}
	continued := make([]bool, len(runs))
	var seqs []sequence
	for r := range runs {
		if continued[r] {
			continue
		}
		var idx []int
		for cur := r; ; {
			idx = append(idx, kept[runs[cur][0]:runs[cur][1]]...)
			end := kept[runs[cur][1]-1]
			if !isolateInitiator(cls[end]) || match[end] < 0 || runAt[match[end]] == 0 {
				break
			}
			cur = runAt[match[end]] - 1
			continued[cur] = true
		}
		first, end := idx[0], idx[len(idx)-1]
		level := levels[first]
		after := para
		if !isolateInitiator(cls[end]) {
			after = neighbour(end, 1)
		}
		seqs = append(seqs, sequence{
			idx:   idx,
			sos:   dirOf(max(level, neighbour(first, -1))),
			eos:   dirOf(max(levels[end], after)),
			level: level,
		})
	}
	return seqs
}

// strong returns the direction a type counts as in rules N0 and N1, where
// numbers count as R, or ON for a neutral.
func strong(c Class) Class {
	switch c {
	case L:
		return L
	case R, AL, EN, AN:
		return R
	}
	return ON
}

// resolve applies rules W1 to I2 to one isolating run sequence.
func (s sequence) resolve(text []rune, cls, types []Class, levels []int8) {
	t := make([]Class, len(s.idx))
	for k, i := range s.idx {
		t[k] = types[i]
	}
	s.weak(t)
	s.brackets(text, cls, t)
	s.neutrals(t)
	for k, i := range s.idx { // I1, I2
		switch {
		case levels[i]&1 == 0 && t[k] == R:
			levels[i]++
		case levels[i]&1 == 0 && (t[k] == AN || t[k] == EN):
			levels[i] += 2
		case levels[i]&1 == 1 && (t[k] == L || t[k] == EN || t[k] == AN):
			levels[i]++
		}
	}
}

// weak applies rules W1 to W7.
func (s sequence) weak(t []Class) {
	prev := s.sos // W1
	for k := range t {
		if t[k] == NSM {
			t[k] = prev
		}
		prev = t[k]
		if isolateInitiator(prev) || prev == PDI {
			prev = ON
		}
	}
	last := s.sos // W2
	for k, c := range t {
		switch c {
		case L, R, AL:
			last = c
		case EN:
			if last == AL {
				t[k] = AN
			}
		}
	}
	for k, c := range t { // W3
		if c == AL {
			t[k] = R
		}
	}
	for k := 1; k+1 < len(t); k++ { // W4
		switch {
		case t[k] == ES && t[k-1] == EN && t[k+1] == EN,
			t[k] == CS && t[k-1] == EN && t[k+1] == EN:
			t[k] = EN
		case t[k] == CS && t[k-1] == AN && t[k+1] == AN:
			t[k] = AN
		}
	}
	for k := 0; k < len(t); { // W5
		if t[k] != ET {
			k++
			continue
		}
		j := k
		for j < len(t) && t[j] == ET {
			j++
		}
		if k > 0 && t[k-1] == EN || j < len(t) && t[j] == EN {
			for m := k; m < j; m++ {
				t[m] = EN
			}
		}
		k = j
	}
	for k, c := range t { // W6
		if c == ES || c == ET || c == CS {
			t[k] = ON
		}
	}
	last = s.sos // W7
	for k, c := range t {
		switch c {
		case L, R:
			last = c
		case EN:
			if last == L {
				t[k] = L
			}
		}
	}
}

// canonicalBracket maps the two brackets that have canonical equivalents
// to them, so that U+2329 pairs with U+3009 as BD16 requires.
func canonicalBracket(r rune) rune {
	switch r {
	case 0x2329:
		return 0x3008
	case 0x232A:
		return 0x3009
	}
	return r
}

// brackets applies rule N0 to the bracket pairs of the sequence (BD16).
func (s sequence) brackets(text []rune, cls, t []Class) {
	type opener struct {
		k     int
		close rune
	}
	var open []opener
	var pairs [][2]int
find:
	for k, i := range s.idx {
		if t[k] != ON {
			continue
		}
		pair, isOpen, ok := pairOf(text[i])
		switch {
		case !ok:
		case isOpen:
			if len(open) == maxBracketPairs {
				break find
			}
			open = append(open, opener{k, canonicalBracket(pair)})
		default:
			r := canonicalBracket(text[i])
			for o := len(open) - 1; o >= 0; o-- {
				if open[o].close == r {
					pairs = append(pairs, [2]int{open[o].k, k})
					open = open[:o]
					break
				}
			}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int) int { return a[0] - b[0] })
	e := L
	if s.level&1 == 1 {
		e = R
	}
	for _, p := range pairs {
		found := ON
		for k := p[0] + 1; k < p[1]; k++ {
			if d := strong(t[k]); d == e {
				found = e
				break
			} else if d != ON {
				found = d
			}
		}
		if found == ON {
			continue // N0 d: no strong type inside
		}
		if found != e { // N0 c: only the opposite direction inside
			context := s.sos
			for k := p[0] - 1; k >= 0; k-- {
				if d := strong(t[k]); d != ON {
					context = d
					break
				}
			}
			if context == e {
				found = e
			}
		}
		for _, b := range p {
			t[b] = found
			for k := b + 1; k < len(t) && cls[s.idx[k]] == NSM; k++ {
				t[k] = found
			}
		}
	}
}

// neutrals applies rules N1 and N2.
func (s sequence) neutrals(t []Class) {
	e := L
	if s.level&1 == 1 {
		e = R
	}
	isNI := func(c Class) bool {
		switch c {
		case B, S, WS, ON, LRI, RLI, FSI, PDI:
			return true
		}
		return false
	}
	for k := 0; k < len(t); {
		if !isNI(t[k]) {
			k++
			continue
		}
		j := k
		for j < len(t) && isNI(t[j]) {
			j++
		}
		before, after := s.sos, s.eos
		if k > 0 {
			before = strong(t[k-1])
		}
		if j < len(t) {
			after = strong(t[j])
		}
		d := e
		if before == after {
			d = before
		}
		for m := k; m < j; m++ {
			t[m] = d
		}
		k = j
	}
}

// lineLevels applies rule L1 to the line text[from:to] of a paragraph
// whose levels are resolved: separators, and white space and isolate
// controls before them or at the end of the line, go to the paragraph
// level. It changes levels in place.
func lineLevels(cls []Class, levels []int8, para int8, from, to int) {
	trailing := true // in a run of white space that reaches a separator or the line's end
	for i := to - 1; i >= from; i-- {
		switch c := cls[i]; {
		case c == S || c == B:
			levels[i] = para
			trailing = true
		case c == WS || isolateInitiator(c) || c == PDI:
			if trailing {
				levels[i] = para
			}
		case removed(c):
		default:
			trailing = false
		}
	}
}

// visualOrder applies rule L2 to the line [from, to): it returns the
// indices of the characters in the order they are shown, left to right,
// leaving out those whose level is negative (removed by X9).
func visualOrder(levels []int8, from, to int) []int {
	order := make([]int, 0, to-from)
	var hi, lo int8 = 0, maxDepth + 2
	for i := from; i < to; i++ {
		l := levels[i]
		if l < 0 {
			continue
		}
		order = append(order, i)
		hi, lo = max(hi, l), min(lo, l)
	}
	for level := hi; level >= lo|1; level-- { // down to the lowest odd level
		for k := 0; k < len(order); {
			if levels[order[k]] < level {
				k++
				continue
			}
			j := k
			for j < len(order) && levels[order[j]] >= level {
				j++
			}
			slices.Reverse(order[k:j])
			k = j
		}
	}
	return order
}
