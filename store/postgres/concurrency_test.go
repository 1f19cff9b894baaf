package postgres_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// TestFetchersAndDashboards runs several fetchers whose feeds share
// stories (so each save locks and changes items of the others' feeds),
// each fetching its feed again and again with changed items, while
// dashboards mark items read as users do. No write fails, no mark is
// lost, and every story is shown by exactly one copy.
func TestFetchersAndDashboards(t *testing.T) {
	if testing.Short() {
		t.Skip("concurrency run")
	}
	db, _ := open(t, "alice")
	const fetchers, rounds, per = 4, 4, 400
	feeds := make([]int64, fetchers)
	for i := range feeds {
		feeds[i] = wFeed(t, db, fmt.Sprint("conc", i))
	}
	items := func(f, round int) []store.Item {
		out := make([]store.Item, per)
		for i := range out {
			link := fmt.Sprintf("https://x.example/%d/%d", f, i)
			if i%2 == 0 {
				link = fmt.Sprintf("https://x.example/story/%d", i) // the same story in every feed
			}
			title := fmt.Sprintf("Item %d of feed %d", i, f)
			if i%5 == 0 {
				title += fmt.Sprint(" round ", round) // changed each round
			}
			out[i] = store.Item{Key: fmt.Sprint(i), URL: link, Title: title, Firms: []string{"huawei"},
				Published: wDay.Add(time.Duration((i*7+f*13)%97) * time.Minute)}
		}
		return out
	}
	var wg sync.WaitGroup
	var running atomic.Int32
	errs := make(chan error, 100)
	for f := range fetchers {
		running.Add(1)
		wg.Go(func() {
			defer running.Add(-1)
			for r := range rounds {
				if _, err := db.RecordFetch(wCtx, feeds[f], store.FetchResult{At: wDay, Status: 200}, store.OneBatch(items(f, r))); err != nil {
					errs <- fmt.Errorf("fetcher %d round %d: %w", f, r, err)
					return
				}
			}
		})
	}
	type mark struct {
		user string
		id   int64
	}
	var mu sync.Mutex
	var marked []mark
	for u := range 3 {
		user := fmt.Sprint("user", u)
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(u), 1))
			for running.Load() > 0 {
				var ids []int64
				rows, err := db.Pool().Query(wCtx, `SELECT id FROM items ORDER BY id`)
				if err == nil {
					for rows.Next() {
						var id int64
						rows.Scan(&id)
						ids = append(ids, id)
					}
					rows.Close()
				}
				if err != nil {
					errs <- err
					return
				}
				if len(ids) == 0 {
					continue
				}
				id := ids[rng.IntN(len(ids))]
				// Mark the item's story read, as the dashboard does.
				if _, err := db.Pool().Exec(wCtx, `INSERT INTO marks (username, item_id, read)
					SELECT $1, i.id, true FROM items i WHERE i.id = $2 OR (i.story <> 0 AND i.story = (SELECT story FROM items WHERE id = $2))
					ON CONFLICT (username, item_id) DO UPDATE SET read = true`, user, id); err != nil {
					errs <- fmt.Errorf("%s marking %d: %w", user, id, err)
					return
				}
				mu.Lock()
				marked = append(marked, mark{user, id})
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(marked) == 0 {
		t.Fatal("the dashboards marked nothing")
	}
	lost := 0
	for _, m := range marked {
		if wCount(t, db, `SELECT count(*) FROM marks WHERE username = $1 AND item_id = $2 AND read`, m.user, m.id) != 1 {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d marks lost", lost, len(marked))
	}
	if n := wCount(t, db, `SELECT count(*) FROM items`); n != fetchers*per {
		t.Errorf("%d items, want %d", n, fetchers*per)
	}
	if n := wCount(t, db, `SELECT count(DISTINCT story) FROM items WHERE story <> 0`); n != per/2 {
		t.Errorf("%d stories, want %d (one per shared link)", n, per/2)
	}
	wCheck(t, db)
	t.Logf("%d marks set while %d fetchers saved %d rounds", len(marked), fetchers, rounds)
}
