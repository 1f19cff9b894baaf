package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/ui"
)

// source adapts the SQLite store to the dashboard's Source.
type source struct{ store.Backend }

func (s source) Firms(ctx context.Context, alliance string) ([]store.Firm, error) {
	return s.Backend.Firms(ctx, store.FirmQuery{Alliance: alliance})
}

// refresher adapts the pipeline to the dashboard's Refresher, holding the
// fetch lock so that a cron fetch and the dashboard never overlap.
type refresher struct {
	a *app
}

func (r refresher) Refresh(ctx context.Context, progress func(ui.RefreshProgress)) (ui.RefreshProgress, error) {
	var p ui.RefreshProgress
	unlock, err := r.a.lockStore(r.a.db, false)
	if err != nil {
		return p, logError(err)
	}
	defer unlock()
	// F fetches every enabled feed: the user asked for it now.
	r.a.fetchAll = true
	rf, err := r.a.refresher(r.a.cfg.Feeds.Concurrency, r.a.cfg.Feeds.Timeout)
	if err != nil {
		return p, logError(err)
	}
	start := r.a.now()
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
	if err == nil {
		// The articles of feeds set to --bodies always; one line to the log.
		if line := r.a.fetchBodies(sum, start, r.a.cfg.Feeds.Timeout, bodiesPerRun); line != "" {
			log.Print(line)
		}
		// The sanctions data too; its one line goes to the log.
		r.a.updateSanctionsIfStale(r.a.sanctions.MaxAge, r.a.sanctions.CSLURL, log.Writer())
	}
	// Alerts are checked and delivered as after aiwatch fetch; the
	// dashboard sees the new ones when the data version moves.
	r.a.afterFetch(log.Writer())
	return p, logError(err)
}

func cmdDashboard(a *app, args []string) error {
	a.open.SoftHeapLimit = dashboardHeapLimit
	loc, err := storeLocation(a.dbFlag, a.getenv, a.cfg.Store.DSN)
	if err != nil {
		return err
	}
	// A store file opens beside the terminal's set-up, in the start-up
	// goroutine: its errors still come before anything is drawn. A team
	// store opens first, as for every command: a connection or a
	// migration may take long and says so on stderr, which the program's
	// terminal must not get; and without a terminal the store's own error
	// comes first.
	var db store.Backend
	if postgres.IsDSN(loc) || !a.isTerminal(a.stdout) {
		if db, err = a.store(); err != nil {
			return err
		}
	}
	var start *startup
	defer func() {
		// A dashboard left before it was ready may still be opening the
		// store or reading (a slow server): the process is ending, so
		// it is not waited for.
		if start != nil && !start.got {
			return
		}
		if a.db != nil {
			a.db.Close()
		}
		a.db = nil
	}()
	if !a.isTerminal(a.stdout) {
		return errors.New("the dashboard needs a terminal; for scripts use aiwatch items, firms or alliances (aiwatch help)")
	}
	// Nothing reaches the screen from the log, before its file is open or
	// after.
	log.SetOutput(discard{})
	watchCtx, stopWatch := context.WithCancel(a.ctx)
	defer stopWatch()
	// The first screen's data is read while Bubble Tea sets the terminal
	// up and starts its frame clock, so that the first frame shows it
	// and comes one frame after the slower of the two (see startup).
	ready := make(chan startResult, 1)
	go func() {
		db := db
		if db == nil {
			var err error
			if db, err = a.store(); err != nil {
				ready <- startResult{err: err}
				return
			}
		}
		// Details go to a log file beside the store (or, for a store on
		// a server, in the state folder), never to the screen; a
		// PostgreSQL password never reaches it. The file stays open for
		// the process's life.
		if lf := openLog(db, a.getenv); lf != nil {
			log.SetOutput(redactingWriter{a, lf})
		}
		cfg, err := dashboardConfig(a, db)
		if err != nil {
			ready <- startResult{err: err}
			return
		}
		cfg.Refresher = refresher{a}
		// Other processes' writes show through a file-system
		// notification; without one (inotify exhausted, say) the
		// dashboard polls.
		if ch, err := watchChanges(watchCtx, db); err == nil {
			cfg.Changes = ch
		} else {
			log.Printf("dashboard: no change notifications, polling instead: %v", err)
		}
		// A load slower than the budget arrives as it would have without
		// the preload.
		ready <- startResult{m: ui.Preload(ui.New(cfg), preloadBudget)}
	}()
	// The colour profile from the environment and terminfo, at once; in
	// tmux the full detection asks tmux for 24-bit colour in a
	// subprocess, so it runs beside the first frame and restyles the
	// screen if its answer differs.
	environ := os.Environ()
	profile := colorprofile.Detect(os.Stdout, withoutTMUX(environ))
	// The frame rate bounds how often Bubble Tea draws, and it wakes that
	// often even when nothing changed: display.fps trades smoothness
	// against the idle cost.
	start = &startup{ready: ready}
	p := tea.NewProgram(start, tea.WithContext(a.ctx), tea.WithColorProfile(profile), tea.WithFPS(a.cfg.Display.FPS))
	if os.Getenv("TMUX") != "" {
		go func() {
			if full := colorprofile.Detect(os.Stdout, environ); full != profile {
				p.Send(tea.ColorProfileMsg{Profile: full})
			}
		}()
	}
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("dashboard: %w", err)
	}
	return start.err
}

// startResult is the dashboard's model with its first screen's data
// read, or why it could not be built.
type startResult struct {
	m   ui.Model
	err error
}

// startup is the program's model until the dashboard's is ready: it draws
// nothing, so the terminal stays as it was (no alternate screen, no
// frame of empty panes), and keeps every message for the dashboard, which
// takes them in order when it arrives (the window's size, a key pressed
// early) and from then on is the program's model itself. Only ctrl+c is
// its own: it quits at once.
type startup struct {
	ready  <-chan startResult
	queued []tea.Msg
	err    error // the dashboard could not be built
	left   bool  // ctrl+c before the dashboard was ready
	got    bool  // the start-up goroutine's answer came, and it is done
}

// dashboardReady carries the built dashboard into the program.
type dashboardReady startResult

func (s *startup) Init() tea.Cmd {
	return func() tea.Msg { return dashboardReady(<-s.ready) }
}

func (s *startup) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	r, ok := msg.(dashboardReady)
	if !ok {
		// ctrl+c leaves at once: the terminal is the program's, so it
		// is a key, not a signal, and a slow server must not hold it.
		if k, isKey := msg.(tea.KeyPressMsg); isKey && k.String() == "ctrl+c" {
			s.left = true
			return s, tea.Quit
		}
		s.queued = append(s.queued, msg)
		return s, nil
	}
	s.got = true
	if r.err != nil {
		s.err = r.err
		return s, tea.Quit
	}
	var m tea.Model = r.m
	cmds := []tea.Cmd{m.Init()}
	for _, q := range s.queued {
		var cmd tea.Cmd
		m, cmd = m.Update(q)
		cmds = append(cmds, cmd)
	}
	s.queued = nil
	return m, tea.Batch(cmds...)
}

func (s *startup) View() tea.View { return tea.View{} }

// preloadBudget bounds how long the dashboard waits for its first
// screen's data before it starts drawing.
const preloadBudget = 150 * time.Millisecond

// withoutTMUX is environ less $TMUX: colour detection that reads only the
// environment and terminfo.
func withoutTMUX(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "TMUX=") {
			out = append(out, kv)
		}
	}
	return out
}

// dashboardConfig wires the store into the dashboard. The query names are
// read here, before the dashboard starts, and again whenever the
// dashboard sees the store's data version move.
func dashboardConfig(a *app, db store.Backend) (ui.Config, error) {
	names, err := newLiveNames(a.ctx, db, a.now)
	if err != nil {
		return ui.Config{}, fmt.Errorf("dashboard: unable to read the names of firms and alliances: %w", err)
	}
	return ui.Config{
		Source:      loggedSource{source{db}},
		ParseQuery:  names.Parse,
		DataChanged: names.Refresh,
		StorePath:   db.Location(),
		Now:         a.now,
		Keys:        a.cfg.Keys,
		Views:       a.dashboardViews,
		SaveView:    a.saveView,
		Theme:       a.cfg.Display.Theme,
		Colors:      a.cfg.Display.Colors,
		Bidi:        a.bidiMode(),
		Articles:    &lazyArticles{a: a},
		Alerts:      alertSource{db: db, a: a},
	}, nil
}

// alertSource is the dashboard's ui.AlertSource, with its errors logged.
// On a team store it first records the alerts of what others fetched.
type alertSource struct {
	db store.Backend
	a  *app
}

func (s alertSource) Alerts(ctx context.Context, all bool) ([]store.Alert, error) {
	if err := s.a.checkTeamAlerts(); err != nil {
		log.Printf("alerts: %v", err)
	}
	return logged(s.db.Alerts(ctx, all))
}

func (s alertSource) Watches(ctx context.Context) ([]store.Watch, error) {
	return logged(s.db.Watches(ctx))
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
	l.once.Do(func() { l.arts, l.err = l.a.articles(l.a.cfg.Feeds.Timeout) })
	if l.err != nil {
		return store.Article{}, l.err
	}
	return l.arts.Article(ctx, itemID)
}

// dashboardHeapLimit is the most memory SQLite should hold in the
// dashboard, page caches included (sqlite.Options.SoftHeapLimit).
const dashboardHeapLimit = 48 << 20

// redactingWriter writes to w with the store's password hidden.
type redactingWriter struct {
	a *app
	w io.Writer
}

func (r redactingWriter) Write(p []byte) (int, error) {
	if r.a.dsn == "" {
		return r.w.Write(p)
	}
	if _, err := io.WriteString(r.w, r.a.redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// loggedSource is the dashboard's Source with every error it returns
// logged, in one line, to aiwatch.log: the dashboard shows a short
// message, and the log keeps what it was about.
type loggedSource struct{ ui.Source }

// logged logs err, if any, and passes v and err on.
func logged[T any](v T, err error) (T, error) { return v, logError(err) }

// logError logs err in one line, unless it is only a cancelled request.
func logError(err error) error {
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Printf("dashboard: %s", truncateCells(oneLine(err.Error()), 500))
	}
	return err
}

// FeedStatus passes on the store's feed list without item counts, which
// the status line reads (ui/feeds.StatusSource). Without it the panes
// fall back to Feeds, which counts every item: 100 ms of a first frame
// at a million items.
func (s loggedSource) FeedStatus(ctx context.Context) ([]store.Feed, error) {
	if st, ok := s.Source.(interface {
		FeedStatus(ctx context.Context) ([]store.Feed, error)
	}); ok {
		return logged(st.FeedStatus(ctx))
	}
	return logged(s.Source.Feeds(ctx))
}

func (s loggedSource) Alliances(ctx context.Context) ([]store.Alliance, error) {
	return logged(s.Source.Alliances(ctx))
}

func (s loggedSource) Firms(ctx context.Context, alliance string) ([]store.Firm, error) {
	return logged(s.Source.Firms(ctx, alliance))
}

func (s loggedSource) Lists(ctx context.Context) ([]store.List, error) {
	return logged(s.Source.Lists(ctx))
}

func (s loggedSource) AllianceCounts(ctx context.Context) (map[string]store.Counts, error) {
	return logged(s.Source.AllianceCounts(ctx))
}

func (s loggedSource) FirmCounts(ctx context.Context) (map[string]store.Counts, error) {
	return logged(s.Source.FirmCounts(ctx))
}

func (s loggedSource) Items(ctx context.Context, f store.Filter) ([]store.Item, error) {
	return logged(s.Source.Items(ctx, f))
}

func (s loggedSource) CountItems(ctx context.Context, f store.Filter) (store.Counts, error) {
	return logged(s.Source.CountItems(ctx, f))
}

func (s loggedSource) Item(ctx context.Context, id int64) (store.Item, error) {
	return logged(s.Source.Item(ctx, id))
}

func (s loggedSource) SetRead(ctx context.Context, ids []int64, read bool) error {
	return logError(s.Source.SetRead(ctx, ids, read))
}

func (s loggedSource) SetStarred(ctx context.Context, ids []int64, starred bool) error {
	return logError(s.Source.SetStarred(ctx, ids, starred))
}

func (s loggedSource) MarkAllRead(ctx context.Context, f store.Filter) (int, error) {
	return logged(s.Source.MarkAllRead(ctx, f))
}

func (s loggedSource) Feeds(ctx context.Context) ([]store.Feed, error) {
	return logged(s.Source.Feeds(ctx))
}

func (s loggedSource) DesignationEvents(ctx context.Context, firm string, since time.Time) ([]store.DesignationEvent, error) {
	return logged(s.Source.DesignationEvents(ctx, firm, since))
}

func (s loggedSource) ChangesSeen(ctx context.Context) (time.Time, error) {
	return logged(s.Source.ChangesSeen(ctx))
}

func (s loggedSource) SetChangesSeen(ctx context.Context, t time.Time) error {
	return logError(s.Source.SetChangesSeen(ctx, t))
}

func (s loggedSource) DataVersion(ctx context.Context) (int64, error) {
	return logged(s.Source.DataVersion(ctx))
}
