package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// modelItem is what the model of a filter knows of an item.
type modelItem struct {
	id                 int64
	feed               int64
	feedTitle, feedURL string
	text               string // lower-cased title and summary
	lang               string
	published          int64
	firms, ally        []string
	sanctions          bool
	copy               int
	story              int64
	read, starred      bool
}

// modelStore fills a store with 400 items over two feeds, for alice who
// has read some and starred others, and returns the model of them. half
// name huawei, a tenth biren, one in forty sensetime; huawei is on the
// Entity List, biren was and is no more, sensetime's listing is
// contested. One in five of the second feed's items is a later copy of
// the first feed's item of the same number.
func modelStore(t *testing.T) (*postgres.DB, []modelItem) {
	t.Helper()
	db, _ := open(t, "alice")
	for _, q := range []string{
		`INSERT INTO lists (id, name, badge) VALUES ('entity-list', 'Entity List', 'EL'), ('ns-cmic', 'NS-CMIC', 'CMIC')`,
		`INSERT INTO firms (id, name) VALUES ('huawei', 'Huawei'), ('biren', 'Biren'), ('sensetime', 'SenseTime')`,
		`INSERT INTO designations (firm_id, list_id, status, provenance, added, removed) VALUES
			('huawei', 'entity-list', 'confirmed', 'reference', '2019-05-16', ''),
			('biren', 'entity-list', 'confirmed', 'reference', '2023-10-17', '2024-01-01'),
			('sensetime', 'ns-cmic', 'contested', 'reference', '2021-12-10', '')`,
	} {
		if _, err := db.Pool().Exec(bg, q); err != nil {
			t.Fatal(err)
		}
	}
	titles := []struct{ lang, text string }{
		{"en", "HUAWEI ships Ascend chips, says AI lab"},
		{"en", "Huawei and partners on compute"},
		{"zh", "华为发布新芯片"},
		{"ar", "هواوي تكشف عن رقائق جديدة"},
		{"en", "A market note naming nobody"},
		{"zh-CN", "华为云大会"},
		{"zh-tw", "華為"},
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var model []modelItem
	for f := range 2 {
		title := fmt.Sprintf("Model feed %d", f)
		fid := newFeed(t, db, title)
		var items []postgres.TestItem
		for i := range 200 {
			n := f*200 + i
			tt := titles[n%len(titles)]
			it := postgres.TestItem{Item: store.Item{Key: fmt.Sprint(n), Title: tt.text, Summary: fmt.Sprintf("item %d summary", n), Lang: tt.lang,
				Published: base.Add(time.Duration((n*7919)%10000) * time.Minute), Sanctions: n%9 == 0}}
			if n%97 == 0 {
				it.Published = base // ties
			}
			if n%2 == 0 {
				it.Firms = append(it.Firms, "huawei")
			}
			if n%10 == 4 {
				it.Firms = append(it.Firms, "biren")
			}
			if n%40 == 5 {
				it.Firms = append(it.Firms, "sensetime")
			}
			if len(it.Firms) > 0 && n%3 != 0 {
				it.Ally = []string{"model-chip"}
			}
			if i%5 == 0 {
				it.Story = int64(i + 1)
				it.Copy = f // the first feed's is the story's head
			}
			items = append(items, it)
		}
		ids, err := postgres.InsertItems(bg, db, fid, items)
		if err != nil {
			t.Fatal(err)
		}
		for k, it := range items {
			model = append(model, modelItem{id: ids[k], feed: fid, feedTitle: title, feedURL: "https://model-feed-" + strconv.Itoa(f) + ".example.org/feed.xml",
				text: strings.ToLower(it.Title + "\n" + it.Summary), lang: it.Lang, published: it.Published.Unix(),
				firms: it.Firms, ally: it.Ally, sanctions: it.Sanctions, copy: it.Copy, story: it.Story})
		}
	}
	var read, starred []int64
	for _, m := range model {
		if m.id%3 == 0 {
			read = append(read, m.id)
		}
		if m.id%11 == 0 {
			starred = append(starred, m.id)
		}
	}
	if err := db.SetRead(bg, read, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStarred(bg, starred, true); err != nil {
		t.Fatal(err)
	}
	// The marks apply to whole stories: the model reads them back.
	items, err := db.Items(bg, store.Filter{AllCopies: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]store.Item{}
	for _, it := range items {
		got[it.ID] = it
	}
	heads := map[int64]modelItem{}
	for i, m := range model {
		model[i].read, model[i].starred = got[m.id].Read, got[m.id].Starred
		if m.story != 0 && m.copy == 0 {
			heads[m.story] = model[i]
		}
	}
	n := 0
	for _, m := range model {
		if m.story != 0 && m.copy == 1 {
			n++
			if h := heads[m.story]; h.read != m.read || h.starred != m.starred || h.read != (h.id%3 == 0 || m.id%3 == 0) {
				t.Fatalf("story %d: copies %d and %d differ in marks, or are wrong", m.story, h.id, m.id)
			}
		}
	}
	if n != 40 {
		t.Fatalf("%d copies, want 40", n)
	}
	return db, model
}

// activeOnList reports whether firm is actively listed on list in modelStore.
func activeOnList(firm, list string) bool { return firm == "huawei" && list == "entity-list" }

// matches is the model of a filter.
func (m modelItem) matches(f store.Filter) bool {
	for _, t := range f.Text {
		if !strings.Contains(m.text, strings.ToLower(t)) {
			return false
		}
	}
	for _, t := range f.NotText {
		if strings.Contains(m.text, strings.ToLower(t)) {
			return false
		}
	}
	all := func(have, want []string, in bool) bool {
		for _, w := range want {
			if slices.Contains(have, w) != in {
				return false
			}
		}
		return true
	}
	if !all(m.firms, f.Firms, true) || !all(m.firms, f.NotFirms, false) || !all(m.ally, f.Alliances, true) || !all(m.ally, f.NotAlliances, false) {
		return false
	}
	onList := func(l string) bool {
		return slices.ContainsFunc(m.firms, func(fm string) bool { return activeOnList(fm, l) })
	}
	for _, l := range f.Lists {
		if !onList(l) {
			return false
		}
	}
	for _, l := range f.NotLists {
		if onList(l) {
			return false
		}
	}
	lang := func(l string) bool { l = strings.ToLower(l); return m.lang == l || strings.HasPrefix(m.lang, l+"-") }
	for _, l := range f.Langs {
		if !lang(l) {
			return false
		}
	}
	for _, l := range f.NotLangs {
		if lang(l) {
			return false
		}
	}
	feed := func(s string) bool {
		s = strings.ToLower(s)
		return s == fmt.Sprint(m.feed) || strings.Contains(strings.ToLower(m.feedTitle), s) || strings.Contains(m.feedURL, s)
	}
	for _, s := range f.Feeds {
		if !feed(s) {
			return false
		}
	}
	for _, s := range f.NotFeeds {
		if feed(s) {
			return false
		}
	}
	tri := func(t store.Tristate, v bool) bool { return t == store.Any || (t == store.Yes) == v }
	if !f.Since.IsZero() && m.published < f.Since.Unix() || !f.Until.IsZero() && m.published >= f.Until.Unix() {
		return false
	}
	if !tri(f.Unread, !m.read) || !tri(f.Starred, m.starred) || !tri(f.Sanctions, m.sanctions) {
		return false
	}
	if f.IDs != nil && !slices.Contains(f.IDs, m.id) {
		return false
	}
	return m.copy == 0 || f.AllCopies || len(f.Feeds) > 0 || f.IDs != nil
}

// modelList returns the IDs f selects, newest first, and their counts.
func modelList(model []modelItem, f store.Filter, ignore []store.Filter) ([]int64, store.Counts) {
	var hit []modelItem
	var c store.Counts
	for _, m := range model {
		// A rule hides every copy it matches, not only stories' heads.
		if !m.matches(f) || slices.ContainsFunc(ignore, func(r store.Filter) bool { r.AllCopies = true; return m.matches(r) }) {
			continue
		}
		hit = append(hit, m)
		c.Total++
		if !m.read {
			c.Unread++
		}
	}
	slices.SortFunc(hit, func(a, b modelItem) int {
		if a.published != b.published {
			return int(b.published - a.published)
		}
		return int(b.id - a.id)
	})
	var ids []int64
	for i, m := range hit {
		if i >= f.Offset && (f.Limit == 0 || i < f.Offset+f.Limit) {
			ids = append(ids, m.id)
		}
	}
	return ids, c
}

func TestFiltersAgreeWithModel(t *testing.T) {
	db, model := modelStore(t)
	since := time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		f    store.Filter
	}{
		{"everything", store.Filter{}},
		{"every copy", store.Filter{AllCopies: true}},
		{"every copy of a firm's stories", store.Filter{Firms: []string{"huawei"}, AllCopies: true}},
		{"a firm named by half", store.Filter{Firms: []string{"huawei"}}},
		{"a rare firm", store.Filter{Firms: []string{"sensetime"}}},
		{"a firm named by nothing", store.Filter{Firms: []string{"nvidia"}}},
		{"two firms", store.Filter{Firms: []string{"huawei", "biren"}}},
		{"two firms, the rare one first", store.Filter{Firms: []string{"biren", "huawei"}}},
		{"a firm but not another", store.Filter{Firms: []string{"huawei"}, NotFirms: []string{"biren"}}},
		{"an alliance", store.Filter{Alliances: []string{"model-chip"}}},
		{"a firm and an alliance", store.Filter{Firms: []string{"biren"}, Alliances: []string{"model-chip"}}},
		{"not an alliance", store.Filter{NotAlliances: []string{"model-chip"}}},
		{"unread", store.Filter{Unread: store.Yes}},
		{"read", store.Filter{Unread: store.No}},
		{"a firm, unread", store.Filter{Firms: []string{"huawei"}, Unread: store.Yes}},
		{"a rare firm, read", store.Filter{Firms: []string{"sensetime"}, Unread: store.No}},
		{"starred", store.Filter{Starred: store.Yes}},
		{"not starred, about sanctions", store.Filter{Starred: store.No, Sanctions: store.Yes}},
		{"not about sanctions", store.Filter{Sanctions: store.No}},
		{"a long term in another case", store.Filter{Text: []string{"huawei"}}},
		{"a term found nowhere", store.Filter{Text: []string{"zzzz"}}},
		{"a Chinese term", store.Filter{Text: []string{"华为发布"}}},
		{"a firm and a term", store.Filter{Firms: []string{"sensetime"}, Text: []string{"summary"}}},
		{"not a term", store.Filter{NotText: []string{"huawei"}}},
		{"on a list", store.Filter{Lists: []string{"entity-list"}}},
		{"on a list only contested", store.Filter{Lists: []string{"ns-cmic"}}},
		{"not on a list", store.Filter{NotLists: []string{"entity-list"}}},
		{"a language and its regions", store.Filter{Langs: []string{"ZH"}}},
		{"not a language", store.Filter{NotLangs: []string{"zh", "ar"}}},
		{"a feed by title", store.Filter{Feeds: []string{"model FEED 1"}}},
		{"a feed by host", store.Filter{Feeds: []string{"model-feed-0.example"}}},
		{"a feed by ID", store.Filter{Feeds: []string{strconv.FormatInt(model[0].feed, 10)}}},
		{"not a feed", store.Filter{NotFeeds: []string{"feed 0"}}},
		{"since a date", store.Filter{Since: since}},
		{"since an item's date", store.Filter{Since: time.Unix(model[10].published, 0)}},
		{"until an item's date", store.Filter{Until: time.Unix(model[10].published, 0)}},
		{"a firm between two dates", store.Filter{Firms: []string{"biren"}, Since: since, Until: since.AddDate(0, 0, 3)}},
		{"some IDs", store.Filter{IDs: []int64{model[5].id, model[7].id, model[205].id, 99999}}},
		{"some IDs of a firm", store.Filter{IDs: []int64{model[4].id, model[5].id, model[205].id}, Firms: []string{"huawei"}}},
		{"no IDs", store.Filter{IDs: []int64{}}},
	}
	ignores := [][]store.Filter{nil, {{Langs: []string{"ar"}}, {Firms: []string{"biren"}, Unread: store.No}}}
	for k, ignore := range ignores {
		db.SetIgnore(ignore)
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/ignore%d", tc.name, k), func(t *testing.T) {
				_, want := modelList(model, tc.f, ignore)
				if want.Total == 0 && !slices.Contains([]string{"a firm named by nothing", "a term found nowhere", "no IDs", "on a list only contested"}, tc.name) {
					t.Fatalf("the model selects nothing: a case that tests little")
				}
				if got := countsOf(t, db, tc.f); got != want {
					t.Errorf("CountItems = %+v, want %+v", got, want)
				}
				for _, win := range []struct{ limit, offset int }{{0, 0}, {5, 0}, {5, 12}, {40, 0}, {30, 150}} {
					f := tc.f
					f.Limit, f.Offset = win.limit, win.offset
					items, err := db.Items(bg, f)
					if err != nil {
						t.Fatal(err)
					}
					var ids []int64
					for _, it := range items {
						ids = append(ids, it.ID)
					}
					if want, _ := modelList(model, f, ignore); !slices.Equal(ids, want) {
						t.Errorf("Items(limit %d, offset %d) = %v, want %v", win.limit, win.offset, ids, want)
					}
				}
			})
		}
	}
	// Per-firm and per-alliance counts agree with the model too.
	ignore := ignores[1]
	for kind, get := range map[string]func(context.Context) (map[string]store.Counts, error){"firm": db.FirmCounts, "ally": db.AllianceCounts} {
		got, err := get(bg)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"huawei", "biren", "sensetime", "model-chip"} {
			f := store.Filter{Firms: []string{id}}
			if kind == "ally" {
				f = store.Filter{Alliances: []string{id}}
			}
			_, want := modelList(model, f, ignore)
			if g := got[id]; g.Total != want.Total || g.Unread != want.Unread {
				t.Errorf("%s counts of %s = %+v, want %+v", kind, id, g, want)
			}
		}
	}
}
