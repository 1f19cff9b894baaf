package query

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

func testResolver() *MapResolver {
	firms := []store.Firm{
		{ID: "huawei", Name: "Huawei Technologies Co., Ltd.", NameZH: "华为技术有限公司", Short: "Huawei",
			Aliases: []store.Alias{{Text: "华为"}, {Text: "華為"}, {Text: "هواوي"}}},
		{ID: "moore-threads", Name: "Moore Threads Intelligent Technology", Short: "Moore Threads",
			Aliases: []store.Alias{{Text: "摩尔线程"}, {Text: "MTT"}}},
		{ID: "nvidia", Name: "NVIDIA Corporation", Short: "NVIDIA"},
		{ID: "biren", Name: "Biren Technology", NameZH: "壁仞科技", Aliases: []store.Alias{{Text: "Biren"}}},
	}
	alliances := []store.Alliance{
		{ID: "model-chip-ecosystem-innovation-alliance", Name: "Model-Chip Ecosystem Innovation Alliance",
			NameZH: "模芯生态创新联盟", Aliases: []store.Alias{{Text: "model-chip"}}},
	}
	lists := []store.List{
		{ID: "entity-list", Name: "BIS Entity List", Badge: "EL"},
		{ID: "meu", Name: "BIS Military End User List", Badge: "MEU"},
		{ID: "sdn", Name: "OFAC SDN", Badge: "SDN"},
		{ID: "ns-cmic", Name: "Treasury NS-CMIC", Badge: "CMIC"},
		{ID: "dpl", Name: "Denied Persons List", Badge: "DPL"},
	}
	return NewMapResolver(firms, alliances, lists)
}

var testNow = time.Date(2025, 7, 28, 15, 30, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		q    string
		want store.Filter
	}{
		{"empty", "", store.Filter{}},
		{"only spaces", " \t\u3000 ", store.Filter{}},
		{"bare words", "chip export", store.Filter{Text: []string{"chip", "export"}}},
		{"chinese word", "华为芯片", store.Filter{Text: []string{"华为芯片"}}},
		{"phrase", `"model chip" alliance`, store.Filter{Text: []string{"model chip", "alliance"}}},
		{"curly phrase", "“模芯 生态”", store.Filter{Text: []string{"模芯 生态"}}},
		{"escaped quote in phrase", `"say \"hi\" \\ bye"`, store.Filter{Text: []string{`say "hi" \ bye`}}},
		{"quote inside word is literal", `ab"cd`, store.Filter{Text: []string{`ab"cd`}}},
		{"hyphen inside word", "model-chip", store.Filter{Text: []string{"model-chip"}}},
		{"negated word", "-rumour chip", store.Filter{Text: []string{"chip"}, NotText: []string{"rumour"}}},
		{"negated phrase", `-"stock price"`, store.Filter{NotText: []string{"stock price"}}},
		{"duplicate words kept once", "chip chip", store.Filter{Text: []string{"chip"}}},
		{"firm by id", "firm:huawei", store.Filter{Firms: []string{"huawei"}}},
		{"firm by chinese alias", "firm:华为", store.Filter{Firms: []string{"huawei"}}},
		{"firm by traditional alias", "firm:華為", store.Filter{Firms: []string{"huawei"}}},
		{"firm by traditional spelling of its Chinese name", "firm:華為技術有限公司", store.Filter{Firms: []string{"huawei"}}},
		{"firm by quoted alias", `firm:"moore threads"`, store.Filter{Firms: []string{"moore-threads"}}},
		{"firm case-insensitive key and value", "FIRM:NVIDIA", store.Filter{Firms: []string{"nvidia"}}},
		{"firm same firm twice", "firm:huawei firm:华为", store.Filter{Firms: []string{"huawei"}}},
		{"negated firm", "-firm:nvidia", store.Filter{NotFirms: []string{"nvidia"}}},
		{"full-width colon", "firm：摩尔线程", store.Filter{Firms: []string{"moore-threads"}}},
		{"full-width minus", "－firm：华为", store.Filter{NotFirms: []string{"huawei"}}},
		{"ideographic space separates", "firm:华为\u3000芯片", store.Filter{Firms: []string{"huawei"}, Text: []string{"芯片"}}},
		{"alliance by alias", "alliance:model-chip", store.Filter{Alliances: []string{"model-chip-ecosystem-innovation-alliance"}}},
		{"alliance by chinese name", "alliance:模芯生态创新联盟", store.Filter{Alliances: []string{"model-chip-ecosystem-innovation-alliance"}}},
		{"negated alliance", "-alliance:model-chip", store.Filter{NotAlliances: []string{"model-chip-ecosystem-innovation-alliance"}}},
		{"list by id", "list:entity-list", store.Filter{Lists: []string{"entity-list"}}},
		{"list by badge any case", "list:el list:Cmic", store.Filter{Lists: []string{"entity-list", "ns-cmic"}}},
		{"list from resolver", "list:DPL", store.Filter{Lists: []string{"dpl"}}},
		{"list built in", "list:1260H list:fcc list:uflpa", store.Filter{Lists: []string{"1260h", "fcc-covered", "uflpa"}}},
		{"negated list", "-list:SDN", store.Filter{NotLists: []string{"sdn"}}},
		{"lang", "lang:ar", store.Filter{Langs: []string{"ar"}}},
		{"lang canonical case", "lang:ZH-hant", store.Filter{Langs: []string{"zh-Hant"}}},
		{"negated lang", "-lang:en", store.Filter{NotLangs: []string{"en"}}},
		{"feed", `feed:reuters feed:"South China Morning Post"`, store.Filter{Feeds: []string{"reuters", "South China Morning Post"}}},
		{"negated feed", "-feed:12", store.Filter{NotFeeds: []string{"12"}}},
		{"since hours", "since:24h", store.Filter{Since: testNow.Add(-24 * time.Hour)}},
		{"since days", "since:7d", store.Filter{Since: testNow.AddDate(0, 0, -7)}},
		{"since weeks", "since:2w", store.Filter{Since: testNow.AddDate(0, 0, -14)}},
		{"since months", "since:3mo", store.Filter{Since: testNow.AddDate(0, -3, 0)}},
		{"since years", "since:1y", store.Filter{Since: testNow.AddDate(-1, 0, 0)}},
		{"since date", "since:2025-07-01", store.Filter{Since: day(2025, 7, 1)}},
		{"since month", "since:2025-07", store.Filter{Since: day(2025, 7, 1)}},
		{"since timestamp", "since:2025-07-01T10:00:00+02:00", store.Filter{Since: time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)}},
		{"until date includes the day", "until:2025-07-01", store.Filter{Until: day(2025, 7, 2)}},
		{"until month includes the month", "until:2025-06", store.Filter{Until: day(2025, 7, 1)}},
		{"until relative", "until:2d", store.Filter{Until: testNow.AddDate(0, 0, -2)}},
		{"since and until", "since:2025-07-01 until:2025-07-10", store.Filter{Since: day(2025, 7, 1), Until: day(2025, 7, 11)}},
		{"two sinces keep the later", "since:30d since:2025-07-20", store.Filter{Since: day(2025, 7, 20)}},
		{"two untils keep the earlier", "until:2025-07-20 until:2025-07-10", store.Filter{Until: day(2025, 7, 11)}},
		{"negated since is until", "-since:7d", store.Filter{Until: testNow.AddDate(0, 0, -7)}},
		{"negated until is since", "-until:2025-07-01", store.Filter{Since: day(2025, 7, 2)}},
		{"is unread", "is:unread", store.Filter{Unread: store.Yes}},
		{"is read", "is:read", store.Filter{Unread: store.No}},
		{"negated read is unread", "-is:read", store.Filter{Unread: store.Yes}},
		{"negated unread is read", "-is:unread", store.Filter{Unread: store.No}},
		{"is starred", "is:starred", store.Filter{Starred: store.Yes}},
		{"is unstarred", "is:unstarred", store.Filter{Starred: store.No}},
		{"negated starred", "-is:starred", store.Filter{Starred: store.No}},
		{"is sanctions", "is:Sanctions", store.Filter{Sanctions: store.Yes}},
		{"negated sanctions", "-is:sanctions", store.Filter{Sanctions: store.No}},
		{"same tristate twice", "is:unread -is:read", store.Filter{Unread: store.Yes}},
		{"word that is not a key", "10:30 e.g.:", store.Filter{Text: []string{"10:30", "e.g.:"}}},
		{"everything", `firm:huawei -firm:nvidia alliance:model-chip list:EL lang:zh since:7d is:unread -is:starred "AI chip" 芯片 -rumour`,
			store.Filter{
				Text: []string{"AI chip", "芯片"}, NotText: []string{"rumour"},
				Firms: []string{"huawei"}, NotFirms: []string{"nvidia"},
				Alliances: []string{"model-chip-ecosystem-innovation-alliance"},
				Lists:     []string{"entity-list"}, Langs: []string{"zh"},
				Since:  testNow.AddDate(0, 0, -7),
				Unread: store.Yes, Starred: store.No,
			}},
	}
	r := testResolver()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.q, r, testNow)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.q, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.q, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		q        string
		pos, end int
		msg      string // a part of the message
	}{
		{"unknown key", "chip foo:bar", 5, 8, `unknown key "foo" (known keys: alliance, feed, firm`},
		{"misspelt key", "frim:huawei", 0, 4, `unknown key "frim" (did you mean firm:?)`},
		{"url needs quotes", "https://example.com", 0, 5, `quote a word to search for it`},
		{"empty firm", "firm:", 5, 5, `empty value after "firm:"`},
		{"empty firm before space", "firm: huawei", 5, 5, `empty value after "firm:"`},
		{"empty quoted value", `lang:""`, 5, 7, `empty value after "lang:"`},
		{"empty phrase", `chip ""`, 5, 7, "empty phrase"},
		{"lone minus", "chip - x", 5, 6, `nothing after "-"`},
		{"unknown firm", "since:7d firm:xyz", 14, 17, `unknown firm "xyz"`},
		{"unknown firm with suggestion", "firm:hauwei", 5, 11, `unknown firm "hauwei" (did you mean huawei?)`},
		{"unknown firm prefix suggestion", "firm:moore", 5, 10, `(did you mean moore-threads?)`},
		{"unknown alliance", "-alliance:chip-model", 10, 20, `unknown alliance "chip-model"`},
		{"unknown list", "list:entity", 5, 11, `unknown list "entity"`},
		{"unknown list with suggestion", "list:SND", 5, 8, `unknown list "SND" (did you mean sdn?)`},
		{"bad lang", "lang:english!", 5, 13, `bad language tag "english!"`},
		{"bad since", "since:yesterday", 6, 15, `bad since:yesterday: want an age`},
		{"since without unit", "since:7", 6, 7, "missing unit"},
		{"since ambiguous m", "since:3m", 6, 8, `"m" is ambiguous`},
		{"since unknown unit", "since:3q", 6, 8, `unknown unit "q"`},
		{"since number too large", "since:99999999999999999999d", 6, 27, "number too large"},
		{"since too far back", "since:2100y", 6, 11, "too far back"},
		{"bad date", "until:2025-13-01", 6, 16, "bad until:2025-13-01"},
		{"since after until", "until:2025-07-01 since:2025-07-05", 17, 33, "since:2025-07-05 leaves no time between since and until"},
		{"unterminated quote", `chip "model chip`, 5, 16, "unterminated quote"},
		{"unterminated quoted value", `firm:"moore threads`, 5, 19, "unterminated quote"},
		{"unterminated curly quote", "“模芯", 0, 9, "unterminated quote"},
		{"is whatever", "is:whatever", 3, 11, "unknown is:whatever (want one of unread, read, starred, unstarred, sanctions)"},
		{"is contradiction", "is:unread is:read", 10, 17, "is:read contradicts is:unread"},
		{"negated is contradiction", "is:starred -is:starred", 11, 22, "-is:starred contradicts is:starred"},
	}
	r := testResolver()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.q, r, testNow)
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q) = %+v, %v; want an *Error", tt.q, f, err)
			}
			if qe.Pos != tt.pos || qe.End != tt.end {
				t.Errorf("Parse(%q) error at %d–%d, want %d–%d (%v)", tt.q, qe.Pos, qe.End, tt.pos, tt.end, err)
			}
			if !strings.Contains(qe.Msg, tt.msg) {
				t.Errorf("Parse(%q) message %q, want it to contain %q", tt.q, qe.Msg, tt.msg)
			}
			if !reflect.DeepEqual(f, store.Filter{}) {
				t.Errorf("Parse(%q) returned a filter with its error: %+v", tt.q, f)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	_, err := Parse("chip firm:xyz", testResolver(), testNow)
	if got, want := err.Error(), `query: unknown firm "xyz" at 10`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestParseNilResolver(t *testing.T) {
	f, err := Parse("list:EL chip", nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"entity-list"}; !reflect.DeepEqual(f.Lists, want) {
		t.Errorf("Lists = %v, want %v", f.Lists, want)
	}
	if _, err := Parse("firm:huawei", nil, testNow); err == nil {
		t.Error("firm: with a nil Resolver parsed; want an unknown firm error")
	}
}

func TestParseDatesInNowsLocation(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	now := time.Date(2025, 7, 28, 9, 0, 0, 0, shanghai)
	f, err := Parse("since:2025-07-01 until:2025-07-01T00:00:00Z", nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 7, 1, 0, 0, 0, 0, shanghai); !f.Since.Equal(want) {
		t.Errorf("Since = %v, want %v", f.Since, want)
	}
	if f.Until.Location() != shanghai {
		t.Errorf("Until is in %v, want now's location", f.Until.Location())
	}
}

func TestMapResolverPrecedence(t *testing.T) {
	// "ant" is one firm's ID and another firm's alias: the ID wins.
	r := NewMapResolver([]store.Firm{
		{ID: "ant-group", Name: "Ant Group", Aliases: []store.Alias{{Text: "Ant"}}},
		{ID: "ant", Name: "Ant Robotics"},
	}, nil, nil)
	tests := []struct{ in, want string }{
		{"ant", "ant"},
		{"ANT GROUP", "ant-group"},
		{"ａｎｔ　group", "ant-group"}, // full-width letters and space
		{"  Ant   Robotics ", "ant"},
	}
	for _, tt := range tests {
		if got, ok := r.Firm(tt.in); !ok || got != tt.want {
			t.Errorf("Firm(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	r := testResolver()
	queries := []string{
		`firm:huawei -firm:nvidia alliance:model-chip list:EL -list:sdn lang:zh-Hant since:7d until:2025-07-27 is:unread -is:starred -is:sanctions "AI chip" 芯片 -rumour`,
		`"-dash" "a:b" "quote \" in" feed:"South China" -feed:x is:read is:unstarred`,
		`since:2025-07-01T10:00:00+02:00 until:2025-07-27T23:59:59.5Z`,
	}
	for _, q := range queries {
		f, err := Parse(q, r, testNow)
		if err != nil {
			t.Fatalf("Parse(%q): %v", q, err)
		}
		text := Format(f)
		g, err := Parse(text, r, testNow)
		if err != nil {
			t.Fatalf("Parse(Format) of %q: %v", text, err)
		}
		if !reflect.DeepEqual(f, g) {
			t.Errorf("round trip through %q\n got %+v\nwant %+v", text, g, f)
		}
	}
}

func TestFormat(t *testing.T) {
	f := store.Filter{
		Text: []string{"chip", "model chip"}, NotFirms: []string{"nvidia"},
		Since: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2025, 7, 11, 0, 0, 0, 0, time.UTC),
		Unread: store.No, Sanctions: store.No,
	}
	want := `chip "model chip" -firm:nvidia since:2025-07-01 until:2025-07-10 is:read -is:sanctions`
	if got := Format(f); got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"", "chip", `"model chip"`, "firm:huawei -firm:nvidia", "firm：华为\u3000芯片",
		`firm:"moore threads`, "since:7d until:2025-07-01", "since:3m", "is:whatever",
		"-", "-\u3000", "lang:zh-hant", `"a \" b"`, "“模芯", "list:EL -list:1260h",
		"foo:bar", "firm:", "\xff\xfe:", "a:b:c", "is:read -is:read", "since:2025-07-01T10:00:00+02:00",
	} {
		f.Add(seed)
	}
	r := testResolver()
	f.Fuzz(func(t *testing.T, q string) {
		flt, err := Parse(q, r, testNow)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q) error %T %v, want *Error", q, err, err)
			}
			if qe.Pos < 0 || qe.Pos > qe.End || qe.End > len(q) {
				t.Fatalf("Parse(%q) error span %d–%d outside 0–%d", q, qe.Pos, qe.End, len(q))
			}
			return
		}
		text := Format(flt)
		again, err := Parse(text, r, testNow)
		if err != nil {
			t.Fatalf("Parse(Format(Parse(%q))) = Parse(%q): %v", q, text, err)
		}
		if !reflect.DeepEqual(flt, again) {
			t.Fatalf("round trip of %q through %q\n got %+v\nwant %+v", q, text, again, flt)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	r := testResolver()
	q := `firm:huawei -firm:nvidia alliance:model-chip list:EL lang:zh since:7d is:unread "AI chip" 芯片 -rumour`
	for b.Loop() {
		if _, err := Parse(q, r, testNow); err != nil {
			b.Fatal(err)
		}
	}
}
