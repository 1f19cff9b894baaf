package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/sqlite"
	"github.com/aiwatch/aiwatch/ui"
)

// source adapts the SQLite store to the dashboard's Source.
type source struct{ *sqlite.DB }

func (s source) Firms(ctx context.Context, alliance string) ([]store.Firm, error) {
	return s.DB.Firms(ctx, sqlite.FirmQuery{Alliance: alliance})
}

// refresher adapts the pipeline to the dashboard's Refresher, holding the
// fetch lock so that a cron fetch and the dashboard never overlap.
type refresher struct {
	a *app
}

func (r refresher) Refresh(ctx context.Context, progress func(ui.RefreshProgress)) (ui.RefreshProgress, error) {
	var p ui.RefreshProgress
	lock, err := lockFetch(r.a.db.Path(), false)
	if err != nil {
		return p, err
	}
	defer lock.unlock()
	rf, err := r.a.refresher(8, fetch.DefaultTimeout)
	if err != nil {
		return p, err
	}
	sum, err := rf.Refresh(ctx, nil, func(res feeds.FeedResult, done, total int) {
		p.Done, p.Total = done, total
		if res.Outcome == feeds.Failed {
			p.Failed++
			log.Printf("fetch %d %s: %v", res.Feed.ID, res.Feed.URL, res.Err)
		}
		p.NewItems += res.Saved.New
		if progress != nil {
			progress(p)
		}
	})
	p.Done, p.Total, p.Failed, p.NewItems = len(sum.Results), sum.Feeds, sum.Failed, sum.NewItems
	return p, err
}

func cmdDashboard(a *app, args []string) error {
	db, err := a.store()
	if err != nil {
		return err
	}
	defer func() { db.Close(); a.db = nil }()
	if !a.isTerminal(a.stdout) {
		return errors.New("the dashboard needs a terminal; for scripts use aiwatch items, firms or alliances (aiwatch help)")
	}
	if err := boundSQLiteMemory(a.ctx, db); err != nil {
		return err
	}
	// Details go to a log file beside the store, never to the screen.
	logPath := filepath.Join(filepath.Dir(db.Path()), "aiwatch.log")
	if lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err == nil {
		log.SetOutput(lf)
		defer lf.Close()
	} else {
		log.SetOutput(discard{})
	}
	cfg, err := dashboardConfig(a, db)
	if err != nil {
		return err
	}
	cfg.Refresher = refresher{a}
	p := tea.NewProgram(ui.New(cfg), tea.WithContext(a.ctx))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}

// dashboardConfig wires the store into the dashboard. The query names are
// read here, before the dashboard starts, and again whenever the
// dashboard sees the store's data version move.
func dashboardConfig(a *app, db *sqlite.DB) (ui.Config, error) {
	names, err := newLiveNames(a.ctx, db, a.now)
	if err != nil {
		return ui.Config{}, fmt.Errorf("dashboard: unable to read the names of firms and alliances: %w", err)
	}
	return ui.Config{
		Source:      source{db},
		ParseQuery:  names.Parse,
		DataChanged: names.Refresh,
		StorePath:   db.Path(),
		Now:         a.now,
		Articles:    &lazyArticles{a: a},
	}, nil
}

// lazyArticles is the dashboard's ui.ArticleSource. It builds the
// matcher and the client at the first b, not before the first frame.
type lazyArticles struct {
	a    *app
	once sync.Once
	arts *feeds.Articles
	err  error
}

// Article brings an item's article through feeds.Articles.
func (l *lazyArticles) Article(ctx context.Context, itemID int64) (store.Article, error) {
	l.once.Do(func() { l.arts, l.err = l.a.articles(fetch.DefaultTimeout) })
	if l.err != nil {
		return store.Article{}, l.err
	}
	return l.arts.Article(ctx, itemID)
}

// dashboardHeapLimit is the most memory SQLite should hold in the
// dashboard, page caches included.
const dashboardHeapLimit = 48 << 20

// boundSQLiteMemory caps what SQLite holds in this process. Each
// connection keeps its own page cache; together they would grow the
// dashboard by tens of megabytes as it browses a large store. SQLite's
// soft heap limit, process-wide, bounds them together.
func boundSQLiteMemory(ctx context.Context, db *sqlite.DB) error {
	if _, err := db.SQL().ExecContext(ctx, fmt.Sprintf("PRAGMA soft_heap_limit = %d", dashboardHeapLimit)); err != nil {
		return fmt.Errorf("dashboard: unable to bound SQLite's memory: %w", err)
	}
	return nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
