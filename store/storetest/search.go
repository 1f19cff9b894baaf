package storetest

import (
	"slices"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

// searchCase is one search term and the keys of the items it finds.
type searchCase struct {
	term string
	want []string
}

func runSearch(t *testing.T, db store.Backend, feed int64, cases []searchCase) {
	t.Helper()
	for _, tc := range cases {
		f := inFeed(t, db, feed)
		f.Text = []string{tc.term}
		got := keys(t, db, f)
		if !slices.Equal(got, tc.want) {
			t.Errorf("search %q finds %q, want %q", tc.term, got, tc.want)
		}
		if c := count(t, db, f); c.Total != len(tc.want) {
			t.Errorf("CountItems of search %q = %d, want %d", tc.term, c.Total, len(tc.want))
		}
	}
}

// search: Chinese is found inside longer text, to the single character,
// and in order only (为华 is not 华为); Latin terms of three letters or
// more are found inside words, in any case, and a phrase as written.
// (sqlite: TestFullTextChinese.)
func (s *suite) search(t *testing.T) {
	db := s.newStore(t).Open(t)
	feed := addFeed(t, db, "https://example.org/zh.xml", "Search")
	save(t, db, feed,
		store.Item{Key: "a", Title: "国产GPU厂商摩尔线程发布新一代芯片", Published: day, Lang: "zh"},
		store.Item{Key: "b", Title: "华为昇腾生态大会在上海召开", Published: day, Lang: "zh"},
		store.Item{Key: "c", Title: "An unrelated English headline", Summary: "AI chips from Moore Threads", Published: day, Lang: "en"},
		store.Item{Key: "d", Title: "Sanctions update", Content: "The body names 寒武纪 and Cambricon", Published: day, Lang: "en"})
	runSearch(t, db, feed, []searchCase{
		{"摩尔线程", []string{"a"}},
		{"线程发布", []string{"a"}},
		{"华为", []string{"b"}},
		{"华", []string{"b"}},
		{"为华", nil},
		{"不存在的词", nil},
		{"AI", []string{"c"}},
		{"unrelated", []string{"c"}},
		{"UNRELATED", []string{"c"}},
		{"UnReLaTeD", []string{"c"}},
		{"Thread", []string{"c"}},
		{"moore threads", []string{"c"}},
		{"threads moore", nil},
		{"headline", []string{"c"}},
		{`he"ad`, nil},
		{"寒武纪", []string{"d"}},
		{"cambricon", []string{"d"}},
		{"glm", nil},
	})
	// Two terms must both match.
	f := inFeed(t, db, feed)
	f.Text = []string{"moore", "unrelated"}
	if got := keys(t, db, f); !slices.Equal(got, []string{"c"}) {
		t.Errorf("search moore AND unrelated finds %q", got)
	}
	f.Text = []string{"moore", "华为"}
	if got := keys(t, db, f); len(got) != 0 {
		t.Errorf("search moore AND 华为 finds %q", got)
	}
	f = inFeed(t, db, feed)
	f.NotText = []string{"华"}
	if got := keys(t, db, f); !slices.Equal(got, []string{"a", "c", "d"}) {
		t.Errorf("search -华 finds %q", got)
	}
	// An item changed by a re-fetch is found by its new text only.
	save(t, db, feed, store.Item{Key: "a", Title: "沐曦发布新品", Published: day, Lang: "zh"})
	runSearch(t, db, feed, []searchCase{{"摩尔线程", nil}, {"沐曦", []string{"a"}}})
}

// searchShort: terms shorter than three letters match whole words (AI,
// 5G, في), Chinese matches any character, and a short term inside a
// longer word finds nothing. (sqlite: TestShortTokens.)
func (s *suite) searchShort(t *testing.T) {
	db := s.newStore(t).Open(t)
	feed := addFeed(t, db, "https://example.org/short.xml", "Short")
	save(t, db, feed,
		store.Item{Key: "1", Title: "AI chips: 5G and Huawei's 华为云", Published: day},
		store.Item{Key: "2", Title: "Said the chairman", Summary: "في شنغهاي", Published: day})
	runSearch(t, db, feed, []searchCase{
		{"AI", []string{"1"}},
		{"ai", []string{"1"}},
		{"5G", []string{"1"}},
		{"5g", []string{"1"}},
		{"华为", []string{"1"}},
		{"云", []string{"1"}},
		{"في", []string{"2"}},
		{"id", nil},
		{"s", []string{"1"}},
		{"th", nil},
		{"the", []string{"2"}},
		{"chairman", []string{"2"}},
	})
}
