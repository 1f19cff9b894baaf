package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
)

// errFetchRunning is returned when another process is fetching into the
// same store; one sentinel for both backends.
var errFetchRunning = postgres.ErrFetchRunning

// fetchLocker is a store that keeps the fetch lock itself: PostgreSQL's
// advisory lock, which holds across machines.
type fetchLocker interface {
	LockFetch(ctx context.Context, wait bool) (unlock func(), err error)
}

// lockStore takes db's fetch lock: the store's own where it has one,
// else the lock file beside the store's file. unlock releases it.
func (a *app) lockStore(db store.Backend, wait bool) (unlock func(), err error) {
	if l, ok := db.(fetchLocker); ok {
		unlock, err := l.LockFetch(a.ctx, wait)
		if errors.Is(err, errFetchRunning) {
			return nil, fmt.Errorf("%w; wait for it to finish, or use --wait", err)
		}
		return unlock, err
	}
	l, err := lockFetch(db.Path(), wait)
	if err != nil {
		return nil, err
	}
	return l.unlock, nil
}

// fetchLock is an advisory lock beside the store, held while fetching so
// that two fetches never run against one store at once. The kernel drops
// it when the holder dies, even by SIGKILL.
type fetchLock struct{ f *os.File }

// lockFetch takes the fetch lock, waiting for it when wait is set. When
// the lock is held and wait is not set, the error names the holder's PID.
func lockFetch(dbPath string, wait bool) (*fetchLock, error) {
	path := dbPath + ".fetch.lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("unable to create the fetch lock %s: %w", path, err)
	}
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			b := make([]byte, 32)
			n, _ := f.ReadAt(b, 0)
			pid := strings.TrimSpace(string(b[:n]))
			if _, perr := strconv.Atoi(pid); perr != nil || pid == "" {
				pid = "unknown"
			}
			return nil, fmt.Errorf("%w on this store (pid %s); wait for it to finish, or use --wait", errFetchRunning, pid)
		}
		return nil, fmt.Errorf("unable to lock %s: %w", path, err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &fetchLock{f: f}, nil
}

// unlock releases the lock.
func (l *fetchLock) unlock() {
	if l == nil || l.f == nil {
		return
	}
	l.f.Truncate(0)
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
	l.f = nil
}
