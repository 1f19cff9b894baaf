package extract

import (
	"strings"
	"unicode"
)

// The Article Extraction Benchmark's score (evaluate.py in
// scrapinghub/article-extraction-benchmark): each text is split into \w+
// words, and every run of 4 words is a shingle. Per page, over the
// multiset of shingles, TP are shared, FP only extracted, FN only true;
// the three are normalised to sum to 1. Precision is the mean over pages
// (with TP+FP > 0) of TP/(TP+FP), recall the mean over pages (with
// TP+FN > 0) of TP/(TP+FN), and F1 their harmonic mean.

// tokens splits s as Python's re.findall(r'\w+') does: runs of letters,
// numbers and '_'.
func tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r != '_' && !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// shingles counts s's runs of 4 tokens; a text of fewer tokens is one
// shingle of them all, and an empty one has none.
func shingles(s string) map[string]int {
	t := tokens(s)
	m := map[string]int{}
	for i := 0; i < max(1, len(t)-3); i++ {
		if sh := t[i:min(len(t), i+4)]; len(sh) > 0 {
			m[strings.Join(sh, "\x00")]++
		}
	}
	return m
}

// pageScore is one page's normalised TP, FP and FN.
type pageScore struct{ tp, fp, fn float64 }

func match(truth, pred string) pageScore {
	a, b := shingles(truth), shingles(pred)
	var s pageScore
	for k, tc := range a {
		pc := b[k]
		s.tp += float64(min(tc, pc))
		s.fn += float64(max(0, tc-pc))
	}
	for k, pc := range b {
		s.fp += float64(max(0, pc-a[k]))
	}
	if sum := s.tp + s.fp + s.fn; sum > 0 {
		s.tp, s.fp, s.fn = s.tp/sum, s.fp/sum, s.fn/sum
	}
	return s
}

func (s pageScore) precision() float64 {
	switch {
	case s.fp == 0 && s.fn == 0:
		return 1
	case s.tp == 0 && s.fp == 0:
		return 0
	}
	return s.tp / (s.tp + s.fp)
}

func (s pageScore) recall() float64 {
	switch {
	case s.fp == 0 && s.fn == 0:
		return 1
	case s.tp == 0 && s.fn == 0:
		return 0
	}
	return s.tp / (s.tp + s.fn)
}

// metrics are precision, recall and F1 over pages.
type metrics struct{ p, r, f1 float64 }

// benchmarkScore is the benchmark's rule: the means of per-page precision
// and recall.
func benchmarkScore(pages []pageScore) metrics {
	var sp, sr float64
	var np, nr int
	for _, s := range pages {
		if s.tp+s.fp > 0 {
			sp += s.precision()
			np++
		}
		if s.tp+s.fn > 0 {
			sr += s.recall()
			nr++
		}
	}
	var m metrics
	if np > 0 {
		m.p = sp / float64(np)
	}
	if nr > 0 {
		m.r = sr / float64(nr)
	}
	if m.p+m.r > 0 {
		m.f1 = 2 * m.p * m.r / (m.p + m.r)
	}
	return m
}

// pooledScore is the corpus README's wording of it: the normalised TP,
// FP and FN averaged over pages first. It differs from benchmarkScore only
// on pages with an empty truth or extraction.
func pooledScore(pages []pageScore) metrics {
	var t pageScore
	for _, s := range pages {
		t.tp += s.tp
		t.fp += s.fp
		t.fn += s.fn
	}
	var m metrics
	if t.tp+t.fp > 0 {
		m.p = t.tp / (t.tp + t.fp)
	}
	if t.tp+t.fn > 0 {
		m.r = t.tp / (t.tp + t.fn)
	}
	if m.p+m.r > 0 {
		m.f1 = 2 * m.p * m.r / (m.p + m.r)
	}
	return m
}
