package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/feeds"
	"github.com/aiwatch/aiwatch/store"
)

// watchRecheck is the longest fetch --watch sleeps without looking at the
// store again, so that feeds added or set meanwhile are seen.
const watchRecheck = 5 * time.Minute

// watch is fetch --watch: it fetches the feeds that are due, then sleeps
// until the next one is, until ctx ends (SIGINT, SIGTERM). One round runs
// at a time, under the fetch lock, and logs one line.
func (a *app) watch(r *feeds.Refresher) error {
	db, err := a.store()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s watching %s; stop with ctrl+c\n", a.now().UTC().Format(time.RFC3339), db.Location())
	for {
		if a.ctx.Err() != nil {
			break
		}
		due, err := db.DueFeeds(a.ctx, a.now(), nil)
		if err != nil && a.ctx.Err() == nil {
			return err
		}
		if len(due) > 0 {
			a.watchRound(r, db)
		}
		if a.ctx.Err() != nil {
			break
		}
		a.watchSanctions()
		a.watchAlerts()
		wait, err := a.untilNextDue()
		if err != nil {
			return err
		}
		select {
		case <-a.ctx.Done():
		case <-a.after(wait):
		}
	}
	fmt.Fprintf(a.stdout, "%s stopped\n", a.now().UTC().Format(time.RFC3339))
	return nil
}

// watchRound fetches the due feeds once and logs one line.
func (a *app) watchRound(r *feeds.Refresher, db store.Backend) {
	start := a.now()
	unlock, err := a.lockStore(db, false)
	if err != nil {
		fmt.Fprintf(a.stdout, "%s skipped: %s\n", start.UTC().Format(time.RFC3339), oneLine(a.redact(err.Error())))
		return
	}
	defer unlock()
	sum, err := r.Refresh(a.ctx, nil, nil)
	line := fmt.Sprintf("%s %s", start.UTC().Format(time.RFC3339), sum.String())
	if err == nil {
		if b := a.fetchBodies(sum, start, a.cfg.Feeds.Timeout, bodiesPerRun); b != "" {
			line += "; " + b
		}
	}
	var failed []string
	for _, res := range sum.Results {
		if res.Outcome == feeds.Failed {
			failed = append(failed, fmt.Sprintf("%d", res.Feed.ID))
		}
	}
	if len(failed) > 0 {
		line += fmt.Sprintf(" (failed: %v; see aiwatch feeds list)", failed)
	}
	if err != nil && !errors.Is(err, a.ctx.Err()) {
		line += "; " + oneLine(err.Error())
	} else if err != nil {
		line += "; interrupted"
	}
	fmt.Fprintln(a.stdout, line)
}

// watchSanctions keeps the sanctions data current between rounds, as a
// fetch does, and logs its one line, if any, with the time.
func (a *app) watchSanctions() {
	var b bytes.Buffer
	at := a.now()
	a.updateSanctionsIfStale(a.sanctions.MaxAge, a.sanctions.CSLURL, &b)
	for line := range strings.Lines(b.String()) {
		fmt.Fprintf(a.stdout, "%s %s", at.UTC().Format(time.RFC3339), line)
	}
}

// watchAlerts checks for alerts and delivers them between rounds, as a
// fetch does, and logs its lines, if any, with the time.
func (a *app) watchAlerts() {
	var b bytes.Buffer
	at := a.now()
	a.afterFetch(&b)
	for line := range strings.Lines(b.String()) {
		fmt.Fprintf(a.stdout, "%s %s", at.UTC().Format(time.RFC3339), line)
	}
}

// untilNextDue is how long until the next enabled feed is due, at most
// watchRecheck.
func (a *app) untilNextDue() (time.Duration, error) {
	all, err := a.db.FeedStatus(a.ctx)
	if err != nil {
		if a.ctx.Err() != nil {
			return 0, nil
		}
		return 0, err
	}
	now := a.now()
	wait := watchRecheck
	for _, f := range all {
		if !f.Enabled || f.Kind == "builtin" {
			continue
		}
		wait = min(wait, max(f.NextTry.Sub(now), 0))
	}
	return max(wait, time.Second), nil
}

// after is the env's timer, time.After unless a test replaced it.
func (a *app) after(d time.Duration) <-chan time.Time {
	if a.env.after != nil {
		return a.env.after(d)
	}
	return time.After(d)
}
