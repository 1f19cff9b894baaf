package match_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
)

// realText is one line of testdata/realtext: a sentence copied verbatim
// from a public page, the page's address, and the tags a careful reader
// gives it (see testdata/realtext/README.md for the labelling rules).
type realText struct {
	Text      string   `json:"text"`
	Lang      string   `json:"lang"`
	SourceURL string   `json:"source_url"`
	Firms     []string `json:"firms"`
	Alliances []string `json:"alliances"`
	Sanctions bool     `json:"sanctions"`
}

// heldOut is the split, fixed before any tuning: a page is held out when
// the first byte of the SHA-256 of its address is divisible by three.
// Every sentence of a page falls on the same side.
func heldOut(url string) bool { return sha256.Sum256([]byte(url))[0]%3 == 0 }

var realLangs = []string{"en", "zh", "zh-Hant", "ar"}

func loadRealText(tb testing.TB, name string) []realText {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "realtext", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []realText
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		var c realText
		if err := dec.Decode(&c); err != nil {
			tb.Fatalf("%s:%d: %v", name, line, err)
		}
		if c.Text == "" || !strings.HasPrefix(c.SourceURL, "http") || !slices.Contains(realLangs, c.Lang) {
			tb.Fatalf("%s:%d: text, source_url and lang (%v) are required", name, line, realLangs)
		}
		if heldOut(c.SourceURL) != (name == "heldout.jsonl") {
			tb.Fatalf("%s:%d: %s is on the wrong side of the split", name, line, c.SourceURL)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// knownMisses are the tuning sentences the matcher gets wrong, by the
// start of their text, with the reason. Most name a list or an action
// only in an earlier sentence of the page, with nothing in their own text
// that takes it up ("The additions in the final rule…"); a list taken up
// again ("The list also included…") and a company referred back to in the
// next sentence of the same text are no longer misses. TestRealTextTuning
// checks that each is still wrong, so that the list stays true.
var knownMisses = map[string]string{
	"وجه المشرعون رسالة":               "sanctions: بإدراج (to list) names the action but not the list",
	"كانت \"إنفيديا\" قد منعت":         "sanctions: منعت من بيع (was barred from selling) names no list or control",
	"ويستهدف القرار، 20":               "sanctions: the decision is described in an earlier sentence",
	"في ردٍّ قوي على أسئلة":            "sanctions: ban policy in general, the firms are cited as its failures",
	"- “هل تريدون حظر":                 "sanctions: the question mark ends the sentence before the firms",
	"The additions in the final rule":  "sanctions: the Entity List is named only earlier",
	"According to a notice published":  "sanctions: \"added … to the list\" is split by the firm names",
	"Due to the US government's":       "sanctions: pressure and a cut-off of services, no list or control named",
	"对于曙光而言":                           "曙光 alone, with no qualifier or clue, reads as dawn",
	"وأوضحت المصادر، أن ضوابط التصدير": "sanctions: the controls are on Nvidia's chip; DeepSeek, the firm in the sentence, only uses it",
	"فرضت الولايات المتحدة قيود تصدير على شركة «سيميكونداكتور»": "«سيميكونداكتور» الدولية, SMIC's name cut by quotation marks, is no alias",
	"今年 1 月公布的最新版本共有": "sanctions: the 1260H list is named only in earlier sentences, here as 最新版本 (the latest version)",
	"開出全美第一槍! 德州宣布":   "sanctions: the ban is Texas's (德州), and the US actor 全美 is in the sentence before the exclamation mark",
	"或許因為如此，寒武紀的基因裡":  "寒武紀 with no qualifier or clue in its sentence; the firm is named only in earlier sentences",
}

func knownMiss(text string) string {
	for prefix, why := range knownMisses {
		if strings.HasPrefix(text, prefix) {
			return why
		}
	}
	return ""
}

// TestRealTextTuning asserts the exact tags of every sentence of the
// tuning part, but for the known misses, which it asserts are still
// missed.
func TestRealTextTuning(t *testing.T) {
	cases := loadRealText(t, "tune.jsonl")
	m := curated()
	misses := 0
	for i, c := range cases {
		t.Run(caseName(i, labelled{Lang: c.Lang, Text: c.Text}), func(t *testing.T) {
			got := m.Explain(c.Text)
			checkInvariants(t, c.Text, got)
			if plain := m.Match(c.Text); !sameTags(plain, got) {
				t.Errorf("Match %+v and Explain %+v disagree", plain, got)
			}
			right := slices.Equal(got.Firms, nonNil(c.Firms)) && slices.Equal(got.Alliances, nonNil(c.Alliances)) && got.Sanctions == c.Sanctions
			switch why := knownMiss(c.Text); {
			case why != "" && right:
				t.Errorf("known miss (%s) is now right: take it off knownMisses", why)
			case why != "":
				misses++
			case !right:
				t.Errorf("got firms %v alliances %v sanctions %v; want %v %v %v\nmatches: %+v\nblocked: %+v\nsource: %s",
					got.Firms, got.Alliances, got.Sanctions, c.Firms, c.Alliances, c.Sanctions, got.Matches, got.Blocked, c.SourceURL)
			}
		})
	}
	if misses != len(knownMisses) {
		t.Errorf("%d known misses found, %d listed: a listed prefix matches no sentence", misses, len(knownMisses))
	}
}

// TestRealTextHeldOut scores the held-out part, which no rule or alias
// was tuned on, and prints the table per language. It reports figures
// only, never the sentences it gets wrong, so that looking at it does not
// turn it into tuning data. Bars: precision ≥ 0.97 and recall ≥ 0.95
// overall and per language, sanctions flag ≥ 0.95 correct; belowBar
// names the rows that miss it today.
func TestRealTextHeldOut(t *testing.T) {
	cases := loadRealText(t, "heldout.jsonl")
	tab := score(cases)
	t.Logf("held-out real text:\n%s", tab)
	for _, row := range tab.rows() {
		var short []string
		if row.precision() < 0.97 {
			short = append(short, fmt.Sprintf("precision %.3f < 0.97", row.precision()))
		}
		if row.recall() < 0.95 {
			short = append(short, fmt.Sprintf("recall %.3f < 0.95", row.recall()))
		}
		if row.sanctionsOK() < 0.95 {
			short = append(short, fmt.Sprintf("sanctions flag correct %.3f < 0.95", row.sanctionsOK()))
		}
		switch why, known := belowBar[row.name]; {
		case known && len(short) == 0:
			t.Errorf("%s now meets the bar: take it off belowBar (%s)", row.name, why)
		case known:
			t.Logf("%s is below the bar, a known shortfall (%s): %s", row.name, why, strings.Join(short, ", "))
		case len(short) > 0:
			t.Errorf("%s: %s", row.name, strings.Join(short, ", "))
		}
	}
}

// belowBar lists the held-out rows that do not yet meet the product bar,
// so that the test fails on any other row that falls below it and on a
// listed row that rises above it. Issue 18 is done when this is empty.
//
// The held-out part grew from 184 to 253 sentences in the second round
// and to 289 in the third (testdata/realtext/README.md). At the last run,
// on the 289: all sentences 0.997 / 0.973 / sanctions 0.955; traditional
// Chinese 1.000 / 0.974 / 0.924; Arabic 1.000 / 0.951 / 0.951. On the 253
// held out before the third round, Arabic is still short (recall 0.949,
// flag 0.948) and traditional Chinese's flag is 0.935. The tuning part's
// flag misses left are lists named only in earlier sentences with no
// word that takes them up, and actions no term names (knownMisses).
var belowBar = map[string]string{
	"zh-Hant": "sanctions flag 0.924 (85 of 92) at the last run",
}

// TestRealTextSizes keeps the set as large and as wide as the product
// issue asks: 400 sentences, every tracked firm and both alliances, all
// four scripts on both sides of the split.
func TestRealTextSizes(t *testing.T) {
	tune, held := loadRealText(t, "tune.jsonl"), loadRealText(t, "heldout.jsonl")
	if n := len(tune) + len(held); n < 400 {
		t.Errorf("%d sentences, want at least 400", n)
	}
	seen := map[string]bool{}
	for _, c := range append(slices.Clone(tune), held...) {
		for _, f := range c.Firms {
			seen["firm:"+f] = true
		}
		for _, a := range c.Alliances {
			seen["alliance:"+a] = true
		}
	}
	for _, id := range firmIDs() {
		if !seen["firm:"+id] {
			t.Errorf("no sentence names firm %s", id)
		}
	}
	for _, id := range []string{"model-chip", "shanghai-gcc-ai"} {
		if !seen["alliance:"+id] {
			t.Errorf("no sentence names alliance %s", id)
		}
	}
	for _, part := range [][]realText{tune, held} {
		for _, l := range realLangs {
			if !slices.ContainsFunc(part, func(c realText) bool { return c.Lang == l }) {
				t.Errorf("a part has no %s sentence", l)
			}
		}
	}
	t.Logf("tuning %d sentences, held-out %d", len(tune), len(held))
}

// TestRealTextTuningTable prints the tuning part's table beside the
// held-out one.
func TestRealTextTuningTable(t *testing.T) {
	t.Logf("tuning real text:\n%s", score(loadRealText(t, "tune.jsonl")))
}

// scoreRow counts one language's (sentence, tag) pairs; the sanctions
// flag is scored apart, as the share of sentences where it is right.
type scoreRow struct {
	name                  string
	sentences, tp, fp, fn int
	sanctionsRight        int
}

func (r scoreRow) precision() float64 {
	if r.tp+r.fp == 0 {
		return 1
	}
	return float64(r.tp) / float64(r.tp+r.fp)
}

func (r scoreRow) recall() float64 {
	if r.tp+r.fn == 0 {
		return 1
	}
	return float64(r.tp) / float64(r.tp+r.fn)
}

func (r scoreRow) sanctionsOK() float64 {
	if r.sentences == 0 {
		return 1
	}
	return float64(r.sanctionsRight) / float64(r.sentences)
}

type scoreTable map[string]*scoreRow

func score(cases []realText) scoreTable {
	m := curated()
	tab := scoreTable{}
	for _, name := range append([]string{"all"}, realLangs...) {
		tab[name] = &scoreRow{name: name}
	}
	for _, c := range cases {
		got := m.Match(c.Text)
		want := tags(c.Firms, c.Alliances, false)
		have := tags(got.Firms, got.Alliances, false)
		for _, row := range []*scoreRow{tab["all"], tab[c.Lang]} {
			row.sentences++
			if got.Sanctions == c.Sanctions {
				row.sanctionsRight++
			}
			for tag := range have {
				if want[tag] {
					row.tp++
				} else {
					row.fp++
				}
			}
			for tag := range want {
				if !have[tag] {
					row.fn++
				}
			}
		}
	}
	return tab
}

func (tab scoreTable) rows() []scoreRow {
	var out []scoreRow
	for _, name := range append([]string{"all"}, realLangs...) {
		out = append(out, *tab[name])
	}
	return out
}

func (tab scoreTable) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s %9s %5s %9s %7s %9s\n", "lang", "sentences", "tags", "precision", "recall", "sanctions")
	for _, r := range tab.rows() {
		fmt.Fprintf(&b, "%-8s %9d %5d %9.3f %7.3f %9.3f\n", r.name, r.sentences, r.tp+r.fn, r.precision(), r.recall(), r.sanctionsOK())
	}
	return b.String()
}

// firmIDs lists the tracked firms, from the reference aliases.
func firmIDs() []string {
	var out []string
	for _, a := range reference.Aliases() {
		if a.Kind == store.KindFirm && !slices.Contains(out, a.Entity) {
			out = append(out, a.Entity)
		}
	}
	return out
}
