package postgres_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// marksOf returns "r", "s", "rs" or "" per key, for every copy, as the handle's user sees them.
func marksOf(t *testing.T, db *postgres.DB) map[string]string {
	t.Helper()
	items, err := db.Items(bg, store.Filter{AllCopies: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, it := range items {
		m := ""
		if it.Read {
			m += "r"
		}
		if it.Starred {
			m += "s"
		}
		out[it.Key] = m
	}
	return out
}

func TestMarksArePerUser(t *testing.T) {
	alice, dsn := open(t, "alice")
	bob := openUser(t, dsn, "bob")
	fd := newFeed(t, alice, "News")
	ids := insertItems(t, alice, fd, newItem("a", "One", monday, "huawei"), newItem("b", "Two", monday.Add(time.Hour), "huawei"), newItem("c", "Three", monday.Add(2*time.Hour)))

	if err := alice.SetRead(bg, []int64{ids["a"], ids["c"]}, true); err != nil {
		t.Fatal(err)
	}
	if err := bob.SetStarred(bg, []int64{ids["b"]}, true); err != nil {
		t.Fatal(err)
	}
	if got := marksOf(t, alice); got["a"] != "r" || got["b"] != "" || got["c"] != "r" {
		t.Errorf("alice sees %v", got)
	}
	if got := marksOf(t, bob); got["a"] != "" || got["b"] != "s" || got["c"] != "" {
		t.Errorf("bob sees %v", got)
	}
	for _, tc := range []struct {
		db   *postgres.DB
		f    store.Filter
		want []string
	}{
		{alice, store.Filter{Unread: store.Yes}, []string{"b"}},
		{alice, store.Filter{Unread: store.No}, []string{"c", "a"}},
		{bob, store.Filter{Unread: store.Yes}, []string{"c", "b", "a"}},
		{bob, store.Filter{Unread: store.No}, nil},
		{alice, store.Filter{Starred: store.Yes}, nil},
		{bob, store.Filter{Starred: store.Yes}, []string{"b"}},
		{bob, store.Filter{Starred: store.No}, []string{"c", "a"}},
		{alice, store.Filter{Firms: []string{"huawei"}, Unread: store.Yes}, []string{"b"}},
	} {
		if got := keysOf(t, tc.db, tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s %+v: %v, want %v", tc.db.User(), tc.f, got, tc.want)
		}
	}
	if c := countsOf(t, alice, store.Filter{}); c.Total != 3 || c.Unread != 1 {
		t.Errorf("alice counts %+v", c)
	}
	if c := countsOf(t, bob, store.Filter{}); c.Total != 3 || c.Unread != 3 {
		t.Errorf("bob counts %+v", c)
	}
	if c := countsOf(t, alice, store.Filter{Unread: store.Yes}); c.Total != 1 || c.Unread != 1 {
		t.Errorf("alice unread counts %+v", c)
	}
	fc, err := alice.FirmCounts(bg)
	if err != nil {
		t.Fatal(err)
	}
	if c := fc["huawei"]; c.Total != 2 || c.Unread != 1 {
		t.Errorf("alice huawei %+v", c)
	}
	fc, _ = bob.FirmCounts(bg)
	if c := fc["huawei"]; c.Total != 2 || c.Unread != 2 {
		t.Errorf("bob huawei %+v", c)
	}

	// Unread again, unstarred: a mark row that says nothing.
	if err := alice.SetRead(bg, []int64{ids["a"]}, false); err != nil {
		t.Fatal(err)
	}
	if err := bob.SetStarred(bg, []int64{ids["b"]}, false); err != nil {
		t.Fatal(err)
	}
	if got := marksOf(t, alice); got["a"] != "" || got["c"] != "r" {
		t.Errorf("alice after unreading a: %v", got)
	}
	if got := keysOf(t, bob, store.Filter{Starred: store.Yes}); got != nil {
		t.Errorf("bob starred after unstarring: %v", got)
	}

	// Unknown IDs: an error naming them, and nothing changed.
	err = alice.SetRead(bg, []int64{ids["b"], 9999, 9998}, true)
	if !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "9998, 9999") || !strings.HasPrefix(err.Error(), "postgres: ") {
		t.Errorf("unknown IDs: %v", err)
	}
	if got := marksOf(t, alice); got["b"] != "" {
		t.Errorf("b read after a failed SetRead: %v", got)
	}
	if err := alice.SetStarred(bg, nil, true); err != nil {
		t.Errorf("no IDs: %v", err)
	}
}

// storyCopy is a copy of story 7.
func storyCopy(key, title string, published time.Time, cp int) postgres.TestItem {
	it := newItem(key, title, published, "huawei")
	it.Ally = []string{"model-chip"}
	it.Story, it.Copy = 7, cp
	return it
}

func TestStoryMarksApplyToEveryCopy(t *testing.T) {
	alice, dsn := open(t, "alice")
	bob := openUser(t, dsn, "bob")
	now := monday.Add(48 * time.Hour)
	alice.Now = func() time.Time { return now }
	a, b, c := newFeed(t, alice, "Alpha"), newFeed(t, alice, "Beta"), newFeed(t, alice, "Gamma")
	ids := insertItems(t, alice, a, storyCopy("a1", "Huawei ships a new accelerator", monday, 1),
		newItem("a2", "Something else entirely happened", monday.Add(time.Hour)))
	for k, v := range insertItems(t, alice, b, storyCopy("b1", "Huawei ships new accelerator (Beta)", monday.Add(24*time.Hour), 1)) {
		ids[k] = v
	}
	for k, v := range insertItems(t, alice, c, storyCopy("c1", "Huawei’s accelerator", monday.Add(-2*time.Hour), 0)) {
		ids[k] = v
	}

	items, err := alice.Items(bg, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.FeedTitle+": "+it.Title+" "+strings.Join(it.AlsoIn, ","))
	}
	if want := []string{"Alpha: Something else entirely happened ", "Gamma: Huawei’s accelerator Alpha,Beta"}; !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
	if got := keysOf(t, alice, store.Filter{AllCopies: true}); !slices.Equal(got, []string{"b1", "a2", "a1", "c1"}) {
		t.Errorf("all copies: %v", got)
	}
	if got := keysOf(t, alice, store.Filter{Feeds: []string{"beta"}}); !slices.Equal(got, []string{"b1"}) {
		t.Errorf("feed beta: %v", got)
	}
	if got := keysOf(t, alice, store.Filter{Firms: []string{"huawei"}}); !slices.Equal(got, []string{"c1"}) {
		t.Errorf("huawei: %v", got)
	}
	if got := keysOf(t, alice, store.Filter{Firms: []string{"huawei"}, AllCopies: true}); !slices.Equal(got, []string{"b1", "a1", "c1"}) {
		t.Errorf("huawei, all copies: %v", got)
	}
	// Counts count stories.
	for _, f := range []store.Filter{{}, {Firms: []string{"huawei"}}, {Alliances: []string{"model-chip"}}, {Text: []string{"accelerator"}},
		{Firms: []string{"huawei"}, Text: []string{"accelerator"}}} {
		want := 1
		if len(f.Firms)+len(f.Alliances)+len(f.Text) == 0 {
			want = 2
		}
		if c := countsOf(t, alice, f); c.Total != want || c.Unread != want {
			t.Errorf("CountItems(%+v) = %+v, want %d stories unread", f, c, want)
		}
	}
	if c := countsOf(t, alice, store.Filter{AllCopies: true}); c.Total != 4 {
		t.Errorf("all copies counted %+v", c)
	}
	fc, err := alice.FirmCounts(bg)
	if err != nil {
		t.Fatal(err)
	}
	if c := fc["huawei"]; c.Total != 1 || c.Unread != 1 || c.Trend.Sum() != 1 {
		t.Errorf("huawei counts %+v, want one unread story, once in the trend", c)
	}

	// Marking one copy read marks the story, for alice only.
	if err := alice.SetRead(bg, []int64{ids["b1"]}, true); err != nil {
		t.Fatal(err)
	}
	if got := marksOf(t, alice); got["a1"] != "r" || got["b1"] != "r" || got["c1"] != "r" || got["a2"] != "" {
		t.Errorf("alice after reading b1: %v", got)
	}
	if got := marksOf(t, bob); got["a1"]+got["b1"]+got["c1"] != "" {
		t.Errorf("bob after alice read b1: %v", got)
	}
	if fc, _ := alice.FirmCounts(bg); fc["huawei"].Total != 1 || fc["huawei"].Unread != 0 {
		t.Errorf("alice huawei after reading: %+v", fc["huawei"])
	}
	if ac, _ := alice.AllianceCounts(bg); ac["model-chip"].Unread != 0 || ac[""].Total != 2 || ac[""].Unread != 1 {
		t.Errorf("alice alliance counts after reading: %+v", ac)
	}
	// Starring one stars all; the story is listed once.
	if err := alice.SetStarred(bg, []int64{ids["a1"]}, true); err != nil {
		t.Fatal(err)
	}
	if got := keysOf(t, alice, store.Filter{Starred: store.Yes}); !slices.Equal(got, []string{"c1"}) {
		t.Errorf("starred: %v", got)
	}
	if got := marksOf(t, alice); got["b1"] != "rs" || got["c1"] != "rs" {
		t.Errorf("alice after starring a1: %v", got)
	}
	// Unread again: the whole story.
	if err := alice.SetRead(bg, []int64{ids["c1"]}, false); err != nil {
		t.Fatal(err)
	}
	if got := marksOf(t, alice); got["a1"] != "s" || got["b1"] != "s" || got["c1"] != "s" {
		t.Errorf("alice after unreading c1: %v", got)
	}

	// Mark all read counts stories and marks every copy.
	n, err := bob.MarkAllRead(bg, store.Filter{Firms: []string{"huawei"}})
	if err != nil || n != 1 {
		t.Errorf("MarkAllRead = %d, %v; want 1 story", n, err)
	}
	if got := marksOf(t, bob); got["a1"] != "r" || got["b1"] != "r" || got["c1"] != "r" || got["a2"] != "" {
		t.Errorf("bob after marking huawei read: %v", got)
	}
	if n, err := bob.MarkAllRead(bg, store.Filter{Firms: []string{"huawei"}}); err != nil || n != 0 {
		t.Errorf("MarkAllRead again = %d, %v; want 0", n, err)
	}
	if got := marksOf(t, alice); got["a1"] != "s" {
		t.Errorf("alice after bob marked all read: %v", got)
	}
	n, err = alice.MarkAllRead(bg, store.Filter{})
	if err != nil || n != 2 {
		t.Errorf("alice MarkAllRead = %d, %v; want 2 stories", n, err)
	}
	if c := countsOf(t, alice, store.Filter{AllCopies: true}); c.Total != 4 || c.Unread != 0 {
		t.Errorf("alice after marking all read: %+v", c)
	}
	// Every copy of one feed: its own items, not the story's other copies.
	if err := bob.SetRead(bg, []int64{ids["a1"]}, false); err != nil {
		t.Fatal(err)
	}
	if n, err := bob.MarkAllRead(bg, store.Filter{Feeds: []string{"alpha"}}); err != nil || n != 2 {
		t.Errorf("MarkAllRead feed:alpha = %d, %v; want its 2 items", n, err)
	}
}

// TestConcurrentMarks marks overlapping stories from many handles at once,
// as many dashboards do: no write fails (a deadlock would), and the last
// state is the one every handle agrees on.
func TestConcurrentMarks(t *testing.T) {
	alice, dsn := open(t, "alice")
	fd := newFeed(t, alice, "News")
	var items []postgres.TestItem
	for i := range 60 {
		it := newItem(fmt.Sprint(i), fmt.Sprintf("Item %d", i), monday.Add(time.Duration(i)*time.Minute), "huawei")
		it.Story, it.Copy = int64(i%10+1), min(i/10, 1) // ten stories of six copies
		items = append(items, it)
	}
	ids := insertItems(t, alice, fd, items...)
	var all []int64
	for _, id := range ids {
		all = append(all, id)
	}
	handles := []*postgres.DB{alice, openUser(t, dsn, "alice"), openUser(t, dsn, "alice"), openUser(t, dsn, "bob")}
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for h, db := range handles {
		for g := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for round := range 15 {
					// Each writer takes the IDs in its own order.
					batch := slices.Clone(all)
					rand.New(rand.NewPCG(uint64(h), uint64(g*100+round))).Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
					batch = batch[:20]
					var err error
					switch round % 3 {
					case 0:
						err = db.SetRead(bg, batch, round%2 == 0)
					case 1:
						err = db.SetStarred(bg, batch, true)
					default:
						_, err = db.MarkAllRead(bg, store.Filter{Firms: []string{"huawei"}})
					}
					if err != nil {
						errs <- err
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Every story's copies agree, for each user.
	for _, db := range []*postgres.DB{alice, handles[3]} {
		got, err := db.Items(bg, store.Filter{AllCopies: true})
		if err != nil {
			t.Fatal(err)
		}
		story := map[string]string{}
		for _, it := range got {
			m := fmt.Sprint(it.Read, it.Starred)
			k := fmt.Sprint(atoiT(t, it.Key) % 10)
			if s, ok := story[k]; ok && s != m {
				t.Errorf("%s: story %s has copies %s and %s", db.User(), k, s, m)
			}
			story[k] = m
		}
	}
}

// atoiT reads a number or fails t.
func atoiT(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
