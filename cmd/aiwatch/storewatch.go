package main

import (
	"context"
	"path/filepath"

	"github.com/fsnotify/fsnotify"
)

// watchStore signals on the returned channel when the store's file or
// its write-ahead log changes, as they do on every commit by any process.
// It watches the folder, since SQLite creates, truncates and removes the
// log as it goes. Signals are merged while the reader is busy, and the
// channel closes when ctx ends. It costs nothing while nothing changes;
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
