package match_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/feeds/match"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
)

// labelled is one line of a testdata/*.jsonl file: a sentence and the
// tags a careful reader gives it.
type labelled struct {
	Lang      string   `json:"lang"`
	Text      string   `json:"text"`
	Firms     []string `json:"firms"`
	Alliances []string `json:"alliances"`
	Sanctions bool     `json:"sanctions"`
}

func loadLabelled(tb testing.TB, name string) []labelled {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		var c labelled
		if err := dec.Decode(&c); err != nil {
			tb.Fatalf("%s:%d: %v", name, line, err)
		}
		if c.Text == "" {
			tb.Fatalf("%s:%d: empty text", name, line)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

var (
	refOnce    sync.Once
	refMatcher *match.Matcher
)

// curated is the matcher built from the curated reference aliases, the
// one the application uses.
func curated() *match.Matcher {
	refOnce.Do(func() { refMatcher = match.New(reference.Aliases()) })
	return refMatcher
}

func caseName(i int, c labelled) string {
	r := []rune(c.Text)
	if len(r) > 32 {
		r = r[:32]
	}
	return fmt.Sprintf("%03d_%s_%s", i+1, c.Lang, string(r))
}

// TestLabelled asserts the exact tags of every sentence in the labelled
// set: English, simplified and traditional Chinese, Arabic and mixed
// script, positives and the negatives the product issue names.
func TestLabelled(t *testing.T) {
	cases := loadLabelled(t, "labelled.jsonl")
	if len(cases) < 150 {
		t.Fatalf("labelled set has %d sentences, want at least 150", len(cases))
	}
	m := curated()
	for i, c := range cases {
		t.Run(caseName(i, c), func(t *testing.T) {
			got := m.Match(c.Text)
			checkInvariants(t, c.Text, got)
			if !slices.Equal(got.Firms, nonNil(c.Firms)) {
				t.Errorf("firms = %v, want %v\nmatches: %+v", got.Firms, c.Firms, got.Matches)
			}
			if !slices.Equal(got.Alliances, nonNil(c.Alliances)) {
				t.Errorf("alliances = %v, want %v\nmatches: %+v", got.Alliances, c.Alliances, got.Matches)
			}
			if got.Sanctions != c.Sanctions {
				t.Errorf("sanctions = %v, want %v\nmatches: %+v", got.Sanctions, c.Sanctions, got.Matches)
			}
		})
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// TestHeldOut measures precision and recall on sentences written after
// the matcher and the curated aliases were finished, and never used to
// tune them. Each (sentence, tag) pair counts once; the sanctions flag is
// a tag.
func TestHeldOut(t *testing.T) {
	cases := loadLabelled(t, "heldout.jsonl")
	if len(cases) < 60 {
		t.Fatalf("held-out set has %d sentences, want at least 60", len(cases))
	}
	m := curated()
	var tp, fp, fn int
	for i, c := range cases {
		got := m.Match(c.Text)
		want := tags(c.Firms, c.Alliances, c.Sanctions)
		have := tags(got.Firms, got.Alliances, got.Sanctions)
		for tag := range have {
			if want[tag] {
				tp++
			} else {
				fp++
				t.Logf("false positive %q in %s: %+v", tag, caseName(i, c), got.Matches)
			}
		}
		for tag := range want {
			if !have[tag] {
				fn++
				t.Logf("missed %q in %s", tag, caseName(i, c))
			}
		}
	}
	precision := float64(tp) / float64(tp+fp)
	recall := float64(tp) / float64(tp+fn)
	t.Logf("held-out: %d sentences, %d tags: precision %.3f, recall %.3f (tp %d, fp %d, fn %d)",
		len(cases), tp+fn, precision, recall, tp, fp, fn)
	if precision < 0.98 {
		t.Errorf("precision %.3f < 0.98", precision)
	}
	if recall < 0.95 {
		t.Errorf("recall %.3f < 0.95", recall)
	}
}

func tags(firms, alliances []string, sanctions bool) map[string]bool {
	out := map[string]bool{}
	for _, f := range firms {
		out["firm:"+f] = true
	}
	for _, a := range alliances {
		out["alliance:"+a] = true
	}
	if sanctions {
		out["sanctions"] = true
	}
	return out
}

// TestOffsets checks that offsets are byte offsets into the original
// text, whatever folding the match needed, and that Alias is the dataset
// spelling.
func TestOffsets(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // Entity|Alias|original substring, in order
	}{
		{"ascii", "Ask Huawei now", []string{"huawei|Huawei|Huawei"}},
		{"possessive", "Huawei's chips", []string{"huawei|Huawei|Huawei"}},
		{"full width", "新闻：ＨＵＡＷＥＩ发布", []string{"huawei|Huawei|ＨＵＡＷＥＩ"}},
		{"traditional", "據報導，華為與摩爾線程", []string{"huawei|华为|華為", "moore-threads|摩尔线程|摩爾線程"}},
		{"taiwan name", "輝達與英伟达", []string{"nvidia|輝達|輝達", "nvidia|英伟达|英伟达"}},
		{"arabic proclitic", "ولهواوي", []string{"huawei|هواوي|هواوي"}},
		{"arabic harakat", "قالت هُوَاوِي", []string{"huawei|هواوي|هُوَاوِي"}},
		{"arabic tatweel", "قالت هــواوي", []string{"huawei|هواوي|هــواوي"}},
		{"arabic multiword", "ومور  ثريدز", []string{"moore-threads|مور ثريدز|مور  ثريدز"}},
		{"soft hyphen", "Hua\u00adwei", []string{"huawei|Huawei|Hua\u00adwei"}},
		{"line break", "Moore\r\n Threads", []string{"moore-threads|Moore Threads|Moore\r\n Threads"}},
		{"longest wins", "the Ascend 910C ships", []string{"huawei|Ascend 910C|Ascend 910C"}},
		{"former name", "Baidu Kunlun chips", []string{"kunlunxin|Baidu Kunlun|Baidu Kunlun"}},
		{"sanctions term", "SMIC on the Entity List", []string{"smic|SMIC|SMIC", "sanctions|Entity List|Entity List"}},
		{"two entities", "华为和百度", []string{"huawei|华为|华为", "baidu|百度|百度"}},
		{"same entity twice", "Huawei and HUAWEI", []string{"huawei|Huawei|Huawei", "huawei|Huawei|HUAWEI"}},
	}
	m := curated()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Match(tt.text)
			checkInvariants(t, tt.text, got)
			var have []string
			for _, x := range got.Matches {
				have = append(have, x.Entity+"|"+x.Alias+"|"+tt.text[x.Start:x.End])
			}
			if !slices.Equal(have, tt.want) {
				t.Errorf("matches = %q, want %q", have, tt.want)
			}
		})
	}
}

// TestUserAliases builds a matcher from hand-made aliases to pin the
// rules independently of the curated list.
func TestUserAliases(t *testing.T) {
	aliases := []store.Alias{
		{Entity: "quark", Kind: store.KindFirm, Text: "Quark", CaseSensitive: true},
		{Entity: "acme", Kind: store.KindFirm, Text: "Acme"},
		{Entity: "acme", Kind: store.KindFirm, Text: "Acme Cloud"},
		{Entity: "acme-labs", Kind: store.KindFirm, Text: "Acme Labs"},
		{Entity: "club", Kind: store.KindAlliance, Text: "Chip Club"},
		{Entity: "hanzi", Kind: store.KindFirm, Text: "发展"},
		{Entity: "blank", Kind: store.KindFirm, Text: " \u200b "},
		{Entity: "odd", Kind: "", Text: "Oddity"},
		{Entity: "", Kind: store.KindFirm, Text: "Nobody"},
	}
	m := match.New(aliases)
	tests := []struct {
		name, text string
		firms      []string
		alliances  []string
		aliases    []string
	}{
		{"case-sensitive matches as written", "Quark ships", []string{"quark"}, nil, []string{"Quark"}},
		{"case-sensitive rejects lower case", "a quark ships", nil, nil, nil},
		{"case-sensitive rejects upper case", "QUARK SHIPS", nil, nil, nil},
		{"case-sensitive full width", "Ｑｕａｒｋ ships", []string{"quark"}, nil, []string{"Quark"}},
		{"longer alias of the same entity", "Acme Cloud grew", []string{"acme"}, nil, []string{"Acme Cloud"}},
		{"longer alias of another entity", "Acme Labs grew", []string{"acme-labs"}, nil, []string{"Acme Labs"}},
		{"both at different places", "Acme and Acme Labs", []string{"acme", "acme-labs"}, nil, []string{"Acme", "Acme Labs"}},
		{"inside a word", "Acmes and AcmeLabs", nil, nil, nil},
		{"alliance", "the chip club met", nil, []string{"club"}, []string{"Chip Club"}},
		{"traditional variant of a user alias", "經濟發展", []string{"hanzi"}, nil, []string{"发展"}},
		{"blank alias is ignored", "a \u200b b", nil, nil, nil},
		{"alias without kind or entity is ignored", "Oddity and Nobody", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Match(tt.text)
			checkInvariants(t, tt.text, got)
			var have []string
			for _, x := range got.Matches {
				have = append(have, x.Alias)
			}
			if !slices.Equal(got.Firms, nonNil(tt.firms)) || !slices.Equal(got.Alliances, nonNil(tt.alliances)) || !slices.Equal(have, tt.aliases) {
				t.Errorf("got firms %v alliances %v aliases %q; want %v %v %q", got.Firms, got.Alliances, have, tt.firms, tt.alliances, tt.aliases)
			}
		})
	}
}

func TestNoAliases(t *testing.T) {
	m := match.New(nil)
	// The sanctions flag needs a tracked firm, and there is none.
	got := m.Explain("Huawei was added to the Entity List")
	if len(got.Firms) != 0 || got.Sanctions || len(got.Blocked) != 1 || got.Blocked[0].Alias != "Entity List" {
		t.Errorf("got %+v, want no firms, no sanctions flag and the term blocked", got)
	}
	empty := m.Match("")
	if empty.Firms == nil || empty.Alliances == nil || empty.Matches == nil || empty.Sanctions {
		t.Errorf("empty text: got %#v, want empty non-nil slices", empty)
	}
	b, err := json.Marshal(empty)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"firms":[],"alliances":[],"sanctions":false,"matches":[]}`; string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
}

func TestTag(t *testing.T) {
	m := curated()
	firms, alliances, sanctions, mentions := m.Tag(
		"Huawei joins alliance",
		"华为与壁仞加入模芯生态创新联盟",
		"The US put Huawei on the Entity List; Biren followed.",
	)
	if want := []string{"biren", "huawei"}; !slices.Equal(firms, want) {
		t.Errorf("firms = %v, want %v", firms, want)
	}
	if want := []string{"model-chip"}; !slices.Equal(alliances, want) {
		t.Errorf("alliances = %v, want %v", alliances, want)
	}
	if !sanctions {
		t.Error("sanctions = false, want true")
	}
	var have []string
	for _, x := range mentions {
		have = append(have, fmt.Sprintf("%s:%s:%s:%d-%d", x.Field, x.Kind, x.Entity, x.Start, x.End))
	}
	want := []string{
		"title:firm:huawei:0-6",
		"summary:firm:huawei:0-6",
		"summary:firm:biren:9-15",
		"summary:alliance:model-chip:21-45",
		"content:firm:huawei:11-17",
		"content:firm:biren:38-43",
	}
	if !slices.Equal(have, want) {
		t.Errorf("mentions =\n%q\nwant\n%q", have, want)
	}
}

// TestConcurrent runs one matcher from many goroutines; with -race it
// checks the scratch-buffer pool.
func TestConcurrent(t *testing.T) {
	m := curated()
	cases := loadLabelled(t, "labelled.jsonl")
	want := make([]match.Result, len(cases))
	for i, c := range cases {
		want[i] = m.Match(c.Text)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range cases {
				k := (i + g*37) % len(cases)
				got := m.Match(cases[k].Text)
				if !slices.Equal(got.Matches, want[k].Matches) {
					t.Errorf("goroutine %d, case %d: %+v, want %+v", g, k, got.Matches, want[k].Matches)
					return
				}
			}
		})
	}
	wg.Wait()
}

// sameTags reports whether two results tag alike, match for match,
// leaving explanations aside.
func sameTags(a, b match.Result) bool {
	if !slices.Equal(a.Firms, b.Firms) || !slices.Equal(a.Alliances, b.Alliances) || a.Sanctions != b.Sanctions || len(a.Matches) != len(b.Matches) {
		return false
	}
	for i := range a.Matches {
		x, y := a.Matches[i], b.Matches[i]
		x.Context, y.Context = "", ""
		if x != y {
			return false
		}
	}
	return true
}

// checkInvariants holds for any text: offsets in bounds and on character
// boundaries, IDs sorted and unique, every tag explained by a match.
func checkInvariants(t testing.TB, text string, r match.Result) {
	t.Helper()
	starts := map[int]bool{len(text): true}
	for i := range text {
		starts[i] = true
	}
	tagged := map[string]bool{}
	sanctions := false
	for i, x := range r.Matches {
		if x.Start < 0 || x.End > len(text) || x.Start >= x.End {
			t.Fatalf("match %+v out of bounds for %d bytes", x, len(text))
		}
		if !starts[x.Start] || !starts[x.End] {
			t.Fatalf("match %+v splits a character of %q", x, text)
		}
		if i > 0 && x.Start < r.Matches[i-1].Start {
			t.Fatalf("matches not ordered: %+v", r.Matches)
		}
		if x.Entity == "" || x.Alias == "" {
			t.Fatalf("match %+v has no entity or alias", x)
		}
		switch x.Kind {
		case store.KindFirm, store.KindAlliance:
			tagged[string(x.Kind)+":"+x.Entity] = true
		case match.KindSanctions:
			sanctions = true
		default:
			t.Fatalf("match %+v has kind %q", x, x.Kind)
		}
	}
	for kind, ids := range map[store.EntityKind][]string{store.KindFirm: r.Firms, store.KindAlliance: r.Alliances} {
		if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Fatalf("%s IDs not sorted and unique: %v", kind, ids)
		}
		for _, id := range ids {
			if !tagged[string(kind)+":"+id] {
				t.Fatalf("%s %q has no match", kind, id)
			}
			delete(tagged, string(kind)+":"+id)
		}
	}
	if len(tagged) > 0 {
		t.Fatalf("matches %v are not in the tags", tagged)
	}
	if sanctions != r.Sanctions {
		t.Fatalf("sanctions = %v but sanctions matches = %v", r.Sanctions, sanctions)
	}
}

func FuzzMatch(f *testing.F) {
	for _, c := range loadLabelled(f, "labelled.jsonl") {
		f.Add(c.Text)
	}
	f.Add("")
	f.Add("\xff\xfeHuawei\x80华为")
	f.Add("ﷺ ﷺ ㍿ Ａｓｃｅｎｄ　９１０Ｃ")
	f.Add("e\u0301\u0301Biren\u0654و\u0653بيرين")
	m := curated()
	f.Fuzz(func(t *testing.T, text string) {
		got := m.Match(text)
		checkInvariants(t, text, got)
		explained := m.Explain(text)
		checkInvariants(t, text, explained)
		if !sameTags(got, explained) {
			t.Fatalf("Match %+v and Explain %+v disagree", got, explained)
		}
		again := m.Match(text)
		if !slices.Equal(got.Matches, again.Matches) || !slices.Equal(got.Firms, again.Firms) ||
			!slices.Equal(got.Alliances, again.Alliances) || got.Sanctions != again.Sanctions {
			t.Fatalf("not deterministic: %+v then %+v", got, again)
		}
		folded, offsets := store.AppendFold(nil, nil, text, false)
		if len(folded) != len(offsets) {
			t.Fatalf("%d folded bytes, %d offsets", len(folded), len(offsets))
		}
		if string(folded) != store.FoldText(text, false) {
			t.Fatalf("AppendFold and FoldText disagree on %q", text)
		}
		for i, o := range offsets {
			if o < 0 || int(o) >= len(text) || i > 0 && o < offsets[i-1] {
				t.Fatalf("offset %d = %d out of order or bounds (%d bytes)", i, o, len(text))
			}
		}
		if utf8.ValidString(text) && !utf8.Valid(folded) {
			t.Fatalf("folding valid UTF-8 %q gave invalid %q", text, folded)
		}
	})
}

// mixedText is about 64 KiB of the labelled sentences in all four
// scripts, joined as paragraphs.
func mixedText(b *testing.B) string {
	var sb strings.Builder
	cases := loadLabelled(b, "labelled.jsonl")
	for sb.Len() < 64<<10 {
		for _, c := range cases {
			sb.WriteString(c.Text)
			sb.WriteString("\n\n")
		}
	}
	return sb.String()
}

func BenchmarkMatch(b *testing.B) {
	m := curated()
	text := mixedText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		m.Match(text)
	}
	reportCPU(b, cpu, len(text))
}

// reportCPU adds the throughput per second of CPU time, which a busy
// machine does not skew as it skews MB/s (wall time). Run with -cpu 1 for
// the figure on one core: the collector's work then counts too.
func reportCPU(b *testing.B, start time.Duration, size int) {
	if d := cpuTime() - start; start > 0 && d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/d.Seconds()/1e6, "cpu-MB/s")
	}
}

// BenchmarkMatchItem tags one short news item, the common case.
func BenchmarkMatchItem(b *testing.B) {
	m := curated()
	text := "华为、壁仞科技和摩尔线程共同发起模芯生态创新联盟。 Huawei, Biren and Moore Threads joined the alliance; " +
		"ويضم هذا التحالف شركات رائدة مثل هواوي، وبيرين، ومور ثريدز. The US added SMIC to the Entity List."
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		m.Match(text)
	}
	reportCPU(b, cpu, len(text))
}

// BenchmarkNew measures building the matcher from the full curated alias
// list (store indexes its phrase dictionaries once per process, before
// the timer starts).
func BenchmarkNew(b *testing.B) {
	aliases := reference.Aliases()
	match.New(aliases)
	b.ReportAllocs()
	for b.Loop() {
		match.New(aliases)
	}
}
