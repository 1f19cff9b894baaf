package bidi

// Forms of a letter, as indexes into letterForms.forms.
const (
	isolated = iota
	final
	initial
	medial
)

const lam = 0x0644

// Shape returns s with its Arabic letters replaced by the presentation
// form their neighbours call for (isolated, final, initial or medial), and
// each lam followed by an alef by the lam-alef ligature. The text stays in
// logical order. A ligature is one character in place of two, so measure
// widths after shaping. Letters without a presentation form are left as
// they are.
func Shape(s string) string {
	if !hasArabic(s) {
		return s
	}
	rs, _ := shapeRunes([]rune(s), nil)
	return string(rs)
}

// hasArabic reports whether s holds a character of the Arabic blocks,
// the only ones with presentation forms to shape into.
func hasArabic(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x08FF {
			return true
		}
	}
	return false
}

// joinForms returns the form each character of rs takes by the joining
// rules of the Unicode Standard (section 9.2, "Arabic"): a character joins
// the one before it when it is right-joining, dual-joining or
// join-causing and the one before can join forward, skipping transparent
// characters (marks). The form of a transparent or non-joining character
// is isolated.
func joinForms(rs []rune) []uint8 {
	jt := make([]joiningType, len(rs))
	for i, r := range rs {
		jt[i] = joiningOf(r)
	}
	out := make([]uint8, len(rs))
	prev := -1 // the last character that is not transparent
	for i := range rs {
		if jt[i] == joinT {
			continue
		}
		if prev >= 0 && joinsForward(jt[prev]) && joinsBackward(jt[i]) {
			out[prev] |= 2 // joins the next: initial or medial
			out[i] |= 1    // joins the previous: final or medial
		}
		prev = i
	}
	for i, f := range out {
		switch f {
		case 1:
			out[i] = final
		case 2:
			out[i] = initial
		case 3:
			out[i] = medial
		default:
			out[i] = isolated
		}
	}
	return out
}

func joinsForward(t joiningType) bool  { return t == joinD || t == joinL || t == joinC }
func joinsBackward(t joiningType) bool { return t == joinD || t == joinR || t == joinC }

// shapeRunes shapes rs. When at is not nil it holds a number for each
// rune (a source offset); the result then holds the number of each rune
// it returns: a ligature takes its lam's.
func shapeRunes(rs []rune, at []int) ([]rune, []int) {
	fs := joinForms(rs)
	out := make([]rune, 0, len(rs))
	var outAt []int
	if at != nil {
		outAt = make([]int, 0, len(rs))
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == lam && i+1 < len(rs) {
			if lig, ok := lamAlefOf(rs[i+1]); ok {
				f := isolated
				if fs[i] == final || fs[i] == medial {
					f = final
				}
				out = append(out, lig[f])
				if at != nil {
					outAt = append(outAt, at[i])
				}
				i++
				continue
			}
		}
		if p, ok := formsOf(r); ok && p[fs[i]] != 0 {
			r = p[fs[i]]
		}
		out = append(out, r)
		if at != nil {
			outAt = append(outAt, at[i])
		}
	}
	return out, outAt
}

func formsOf(r rune) ([4]rune, bool) {
	lo, hi := 0, len(forms)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch e := &forms[m]; {
		case r < e.r:
			hi = m
		case r > e.r:
			lo = m + 1
		default:
			return e.forms, true
		}
	}
	return [4]rune{}, false
}

func lamAlefOf(alef rune) ([2]rune, bool) {
	for _, l := range lamAlef {
		if l.alef == alef {
			return l.forms, true
		}
	}
	return [2]rune{}, false
}
