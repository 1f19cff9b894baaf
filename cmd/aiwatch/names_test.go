package main

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// TestDashboardNamesUnderConcurrentParses drives the dashboard's query
// names as the running dashboard does: the filter bar parses in commands,
// each on a goroutine of its own, from the first keystroke on (a paste
// parses at once, typing after the debounce), while another process adds
// an alias and the data-version poll asks for the names again. Names read
// lazily by the first parse, as they once were, race here under -race.
func TestDashboardNamesUnderConcurrentParses(t *testing.T) {
	path := newStore(t)
	a := &app{env: env{getenv: func(string) string { return "" }, now: func() time.Time { return testNow }},
		ctx: t.Context(), dbFlag: path}
	db, err := a.store()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, err := dashboardConfig(a, db)
	if err != nil {
		t.Fatal(err)
	}
	other, err := sqlite.Open(path) // another process
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	parses := func(wg *sync.WaitGroup) {
		for range 8 {
			wg.Go(func() {
				for range 20 {
					f, err := cfg.ParseQuery("firm:huawei since:7d 华为")
					if err != nil || !slices.Equal(f.Firms, []string{"huawei"}) {
						t.Errorf("parse: %+v, %v", f.Firms, err)
						return
					}
				}
			})
		}
	}
	// The first parses of all come at once, as a paste and the typing
	// after it do.
	var wg sync.WaitGroup
	parses(&wg)
	wg.Wait()

	const alias = "PentagonLabs"
	if _, err := cfg.ParseQuery("firm:" + alias); err == nil {
		t.Fatalf("firm:%s parses before anyone added it", alias)
	}
	parses(&wg)
	wg.Go(func() {
		if err := other.AddAlias(t.Context(), store.Alias{Kind: store.KindFirm, Entity: "zhipu", Text: alias}); err != nil {
			t.Error(err)
		}
		for range 5 {
			if err := cfg.DataChanged(t.Context()); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()

	// Whatever the interleaving, the last refresh came after the alias.
	f, err := cfg.ParseQuery("firm:" + alias)
	if err != nil || !slices.Equal(f.Firms, []string{"zhipu"}) {
		t.Errorf("after the refresh, firm:%s = %v, %v; want zhipu", alias, f.Firms, err)
	}
}

// TestDashboardNamesRefreshOnlyOnChange checks that a refresh with no
// write since reads nothing, and that one after a write does.
func TestDashboardNamesRefreshOnlyOnChange(t *testing.T) {
	path := newStore(t)
	a := &app{env: env{getenv: func(string) string { return "" }, now: func() time.Time { return testNow }},
		ctx: t.Context(), dbFlag: path}
	db, err := a.store()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, err := newLiveNames(t.Context(), db, a.now)
	if err != nil {
		t.Fatal(err)
	}
	first := names.res.Load()
	if err := names.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	if names.res.Load() != first {
		t.Error("a refresh with no write since read the names again")
	}
	other, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.AddAlias(t.Context(), store.Alias{Kind: store.KindAlliance, Entity: "model-chip", Text: "MCEIA"}); err != nil {
		t.Fatal(err)
	}
	if err := names.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	if names.res.Load() == first {
		t.Error("a refresh after another process's write kept the old names")
	}
	if f, err := names.Parse("alliance:mceia"); err != nil || len(f.Alliances) != 1 {
		t.Errorf("alliance:mceia = %v, %v", f.Alliances, err)
	}
}

// BenchmarkLiveNames measures reading the query names, which the
// dashboard now does before its first frame and after each write by
// another process.
func BenchmarkLiveNames(b *testing.B) {
	path := filepath.Join(b.TempDir(), "aiwatch.db")
	a := &app{env: env{getenv: func(string) string { return "" }, now: time.Now}, ctx: b.Context(), dbFlag: path}
	db, err := a.store()
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for b.Loop() {
		if _, err := newLiveNames(b.Context(), db, a.now); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWatchStoreSignalsWrites checks that a commit by another connection,
// as by another process, is signalled, and that nothing is signalled
// while nothing is written.
func TestWatchStoreSignalsWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "aiwatch.db")
	writer, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	ch, err := watchStore(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
		t.Fatal("a signal with nothing written")
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := writer.SQL().Exec(`UPDATE feeds SET title = title || ''`); err != nil {
		t.Fatal(err)
	}
	if _, err := writer.AddFeed(t.Context(), store.Feed{URL: "https://example.com/feed", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	case <-time.After(2 * time.Second):
		t.Fatal("no signal within 2 s of a commit")
	}
}
