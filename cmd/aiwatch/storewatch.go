package main

import (
	"context"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/aiwatch/aiwatch/store"
)

// changeListener is a store that announces other processes' writes
// itself: PostgreSQL's LISTEN.
type changeListener interface {
	Listen(ctx context.Context) (<-chan struct{}, error)
}

// watchChanges signals when another process writes to db: through the
// store's own announcements where it has them, else by watching its file.
func watchChanges(ctx context.Context, db store.Backend) (<-chan struct{}, error) {
	if l, ok := db.(changeListener); ok {
		return l.Listen(ctx)
	}
	return watchStore(ctx, db.Path())
}

// settle is how long the store's files must be quiet before watchStore
// signals.
const settle = 50 * time.Millisecond

// watchStore signals on the returned channel when the store's file or
// its write-ahead log changes, as they do on every commit by any process.
// It watches the folder, since SQLite creates, truncates and removes the
// log as it goes. A signal comes once the files have been quiet for
// settle: a commit writes the log in several steps, and a reader that
// looked at the first would miss the commit. Signals are merged while the
// reader is busy, and the channel closes when ctx ends. It costs nothing while nothing changes;
// the dashboard (ui.Config.Changes) then reads the data version.
func watchStore(ctx context.Context, path string) (<-chan struct{}, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if err := w.Add(filepath.Dir(path)); err != nil {
		w.Close()
		return nil, err
	}
	wal := path + "-wal"
	ch := make(chan struct{}, 1)
	go func() {
		defer close(ch)
		defer w.Close()
		quiet := time.NewTimer(time.Hour)
		quiet.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if ev.Name != path && ev.Name != wal || ev.Op == fsnotify.Chmod {
					continue
				}
				quiet.Reset(settle)
			case <-quiet.C:
				select {
				case ch <- struct{}{}:
				default: // one is waiting already
				}
			case _, ok := <-w.Errors:
				if !ok {
					return
				}
			}
		}
	}()
	return ch, nil
}
