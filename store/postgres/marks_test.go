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

// openAs opens another handle on the store at dsn, for user.
func openAs(t *testing.T, dsn, user string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(ctx, dsn, postgres.Options{User: user})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// marks lists "key:r" / "key:s" / "key:rs" for every copy, as user sees them.
func marks(t *testing.T, db *postgres.DB) map[string]string {
	t.Helper()
	items, err := db.Items(ctx, store.Filter{AllCopies: true})
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
	bob := openAs(t, dsn, "bob")
	fd := feed(t, alice, "News")
	ids := insert(t, alice, fd, item("a", "One", day0, "huawei"), item("b", "Two", day0.Add(time.Hour), "huawei"), item("c", "Three", day0.Add(2*time.Hour)))

	if err := alice.SetRead(ctx, []int64{ids["a"], ids["c"]}, true); err != nil {
		t.Fatal(err)
	}
	if err := bob.SetStarred(ctx, []int64{ids["b"]}, true); err != nil {
		t.Fatal(err)
	}
	if got := marks(t, alice); got["a"] != "r" || got["b"] != "" || got["c"] != "r" {
		t.Errorf("alice sees %v", got)
	}
	if got := marks(t, bob); got["a"] != "" || got["b"] != "s" || got["c"] != "" {
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
		if got := keys(t, tc.db, tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s %+v: %v, want %v", tc.db.User(), tc.f, got, tc.want)
		}
	}
	if c := counts(t, alice, store.Filter{}); c.Total != 3 || c.Unread != 1 {
		t.Errorf("alice counts %+v", c)
	}
	if c := counts(t, bob, store.Filter{}); c.Total != 3 || c.Unread != 3 {
		t.Errorf("bob counts %+v", c)
	}
	if c := counts(t, alice, store.Filter{Unread: store.Yes}); c.Total != 1 || c.Unread != 1 {
		t.Errorf("alice unread counts %+v", c)
	}
	fc, err := alice.FirmCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c := fc["huawei"]; c.Total != 2 || c.Unread != 1 {
		t.Errorf("alice huawei %+v", c)
	}
	fc, _ = bob.FirmCounts(ctx)
	if c := fc["huawei"]; c.Total != 2 || c.Unread != 2 {
		t.Errorf("bob huawei %+v", c)
	}

	// Unread again, unstarred: a mark row that says nothing.
	if err := alice.SetRead(ctx, []int64{ids["a"]}, false); err != nil {
		t.Fatal(err)
	}
	if err := bob.SetStarred(ctx, []int64{ids["b"]}, false); err != nil {
		t.Fatal(err)
	}
	if got := marks(t, alice); got["a"] != "" || got["c"] != "r" {
		t.Errorf("alice after unreading a: %v", got)
	}
	if got := keys(t, bob, store.Filter{Starred: store.Yes}); got != nil {
		t.Errorf("bob starred after unstarring: %v", got)
	}

	// Unknown IDs: an error naming them, and nothing changed.
	err = alice.SetRead(ctx, []int64{ids["b"], 9999, 9998}, true)
	if !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "9998, 9999") || !strings.HasPrefix(err.Error(), "postgres: ") {
		t.Errorf("unknown IDs: %v", err)
	}
	if got := marks(t, alice); got["b"] != "" {
		t.Errorf("b read after a failed SetRead: %v", got)
	}
	if err := alice.SetStarred(ctx, nil, true); err != nil {
		t.Errorf("no IDs: %v", err)
	}
}

// storyItem is a copy of story 7.
func storyItem(key, title string, published time.Time, cp int) postgres.TestItem {
	it := item(key, title, published, "huawei")
	it.Ally = []string{"model-chip"}
	it.Story, it.Copy = 7, cp
	return it
}

func TestStoryMarksApplyToEveryCopy(t *testing.T) {
	alice, dsn := open(t, "alice")
	bob := openAs(t, dsn, "bob")
	now := day0.Add(48 * time.Hour)
	alice.Now = func() time.Time { return now }
	a, b, c := feed(t, alice, "Alpha"), feed(t, alice, "Beta"), feed(t, alice, "Gamma")
	ids := insert(t, alice, a, storyItem("a1", "Huawei ships a new accelerator", day0, 1),
		item("a2", "Something else entirely happened", day0.Add(time.Hour)))
	for k, v := range insert(t, alice, b, storyItem("b1", "Huawei ships new accelerator (Beta)", day0.Add(24*time.Hour), 1)) {
		ids[k] = v
	}
	for k, v := range insert(t, alice, c, storyItem("c1", "Huawei’s accelerator", day0.Add(-2*time.Hour), 0)) {
		ids[k] = v
	}

	items, err := alice.Items(ctx, store.Filter{})
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
	if got := keys(t, alice, store.Filter{AllCopies: true}); !slices.Equal(got, []string{"b1", "a2", "a1", "c1"}) {
		t.Errorf("all copies: %v", got)
	}
	if got := keys(t, alice, store.Filter{Feeds: []string{"beta"}}); !slices.Equal(got, []string{"b1"}) {
		t.Errorf("feed beta: %v", got)
	}
	if got := keys(t, alice, store.Filter{Firms: []string{"huawei"}}); !slices.Equal(got, []string{"c1"}) {
		t.Errorf("huawei: %v", got)
	}
	if got := keys(t, alice, store.Filter{Firms: []string{"huawei"}, AllCopies: true}); !slices.Equal(got, []string{"b1", "a1", "c1"}) {
		t.Errorf("huawei, all copies: %v", got)
	}
	// Counts count stories.
	for _, f := range []store.Filter{{}, {Firms: []string{"huawei"}}, {Alliances: []string{"model-chip"}}, {Text: []string{"accelerator"}},
		{Firms: []string{"huawei"}, Text: []string{"accelerator"}}} {
		want := 1
		if len(f.Firms)+len(f.Alliances)+len(f.Text) == 0 {
			want = 2
		}
		if c := counts(t, alice, f); c.Total != want || c.Unread != want {
			t.Errorf("CountItems(%+v) = %+v, want %d stories unread", f, c, want)
		}
	}
	if c := counts(t, alice, store.Filter{AllCopies: true}); c.Total != 4 {
		t.Errorf("all copies counted %+v", c)
	}
	fc, err := alice.FirmCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c := fc["huawei"]; c.Total != 1 || c.Unread != 1 || c.Trend.Sum() != 1 {
		t.Errorf("huawei counts %+v, want one unread story, once in the trend", c)
	}

	// Marking one copy read marks the story, for alice only.
	if err := alice.SetRead(ctx, []int64{ids["b1"]}, true); err != nil {
		t.Fatal(err)
	}
	if got := marks(t, alice); got["a1"] != "r" || got["b1"] != "r" || got["c1"] != "r" || got["a2"] != "" {
		t.Errorf("alice after reading b1: %v", got)
	}
	if got := marks(t, bob); got["a1"]+got["b1"]+got["c1"] != "" {
		t.Errorf("bob after alice read b1: %v", got)
	}
	if fc, _ := alice.FirmCounts(ctx); fc["huawei"].Total != 1 || fc["huawei"].Unread != 0 {
		t.Errorf("alice huawei after reading: %+v", fc["huawei"])
	}
	if ac, _ := alice.AllianceCounts(ctx); ac["model-chip"].Unread != 0 || ac[""].Total != 2 || ac[""].Unread != 1 {
		t.Errorf("alice alliance counts after reading: %+v", ac)
	}
	// Starring one stars all; the story is listed once.
	if err := alice.SetStarred(ctx, []int64{ids["a1"]}, true); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, alice, store.Filter{Starred: store.Yes}); !slices.Equal(got, []string{"c1"}) {
		t.Errorf("starred: %v", got)
	}
	if got := marks(t, alice); got["b1"] != "rs" || got["c1"] != "rs" {
		t.Errorf("alice after starring a1: %v", got)
	}
	// Unread again: the whole story.
	if err := alice.SetRead(ctx, []int64{ids["c1"]}, false); err != nil {
		t.Fatal(err)
	}
	if got := marks(t, alice); got["a1"] != "s" || got["b1"] != "s" || got["c1"] != "s" {
		t.Errorf("alice after unreading c1: %v", got)
	}

	// Mark all read counts stories and marks every copy.
	n, err := bob.MarkAllRead(ctx, store.Filter{Firms: []string{"huawei"}})
	if err != nil || n != 1 {
		t.Errorf("MarkAllRead = %d, %v; want 1 story", n, err)
	}
	if got := marks(t, bob); got["a1"] != "r" || got["b1"] != "r" || got["c1"] != "r" || got["a2"] != "" {
		t.Errorf("bob after marking huawei read: %v", got)
	}
	if n, err := bob.MarkAllRead(ctx, store.Filter{Firms: []string{"huawei"}}); err != nil || n != 0 {
		t.Errorf("MarkAllRead again = %d, %v; want 0", n, err)
	}
	if got := marks(t, alice); got["a1"] != "s" {
		t.Errorf("alice after bob marked all read: %v", got)
	}
	n, err = alice.MarkAllRead(ctx, store.Filter{})
	if err != nil || n != 2 {
		t.Errorf("alice MarkAllRead = %d, %v; want 2 stories", n, err)
	}
	if c := counts(t, alice, store.Filter{AllCopies: true}); c.Total != 4 || c.Unread != 0 {
		t.Errorf("alice after marking all read: %+v", c)
	}
	// Every copy of one feed: its own items, not the story's other copies.
	if err := bob.SetRead(ctx, []int64{ids["a1"]}, false); err != nil {
		t.Fatal(err)
	}
	if n, err := bob.MarkAllRead(ctx, store.Filter{Feeds: []string{"alpha"}}); err != nil || n != 2 {
		t.Errorf("MarkAllRead feed:alpha = %d, %v; want its 2 items", n, err)
	}
}

// TestConcurrentMarks marks overlapping stories from many handles at once,
// as many dashboards do: no write fails (a deadlock would), and the last
// state is the one every handle agrees on.
func TestConcurrentMarks(t *testing.T) {
	alice, dsn := open(t, "alice")
	fd := feed(t, alice, "News")
	var items []postgres.TestItem
	for i := range 60 {
		it := item(fmt.Sprint(i), fmt.Sprintf("Item %d", i), day0.Add(time.Duration(i)*time.Minute), "huawei")
		it.Story, it.Copy = int64(i%10+1), min(i/10, 1) // ten stories of six copies
		items = append(items, it)
	}
	ids := insert(t, alice, fd, items...)
	var all []int64
	for _, id := range ids {
		all = append(all, id)
	}
	handles := []*postgres.DB{alice, openAs(t, dsn, "alice"), openAs(t, dsn, "alice"), openAs(t, dsn, "bob")}
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
						err = db.SetRead(ctx, batch, round%2 == 0)
					case 1:
						err = db.SetStarred(ctx, batch, true)
					default:
						_, err = db.MarkAllRead(ctx, store.Filter{Firms: []string{"huawei"}})
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
		got, err := db.Items(ctx, store.Filter{AllCopies: true})
		if err != nil {
			t.Fatal(err)
		}
		story := map[string]string{}
		for _, it := range got {
			m := fmt.Sprint(it.Read, it.Starred)
			k := fmt.Sprint(mustAtoi(t, it.Key) % 10)
			if s, ok := story[k]; ok && s != m {
				t.Errorf("%s: story %s has copies %s and %s", db.User(), k, s, m)
			}
			story[k] = m
		}
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
