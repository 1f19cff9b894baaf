package postgres_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store/postgres"
)

// TestLockFetch holds two handles on one store to the fetch lock: the
// second is refused, naming the first, or waits until it is released.
func TestLockFetch(t *testing.T) {
	ctx := context.Background()
	db1, dsn := open(t, "alice")
	db2, err := postgres.Open(ctx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()

	unlock1, err := db1.LockFetch(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db2.LockFetch(ctx, false)
	if !errors.Is(err, postgres.ErrFetchRunning) {
		t.Fatalf("second lock: err = %v, want ErrFetchRunning", err)
	}
	host, _ := os.Hostname()
	if want := "pid " + strconv.Itoa(os.Getpid()) + " on " + host; !strings.Contains(err.Error(), want) {
		t.Errorf("the refusal does not name the holder (%s): %v", want, err)
	}

	// A waiter gets the lock once the holder lets go, not before.
	got := make(chan func(), 1)
	errc := make(chan error, 1)
	go func() {
		u, err := db2.LockFetch(ctx, true)
		if err != nil {
			errc <- err
			return
		}
		got <- u
	}()
	select {
	case <-got:
		t.Fatal("the waiter took a held lock")
	case err := <-errc:
		t.Fatal(err)
	case <-time.After(300 * time.Millisecond):
	}
	unlock1()
	var unlock2 func()
	select {
	case unlock2 = <-got:
	case err := <-errc:
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("the waiter never got the released lock")
	}
	if _, err := db1.LockFetch(ctx, false); !errors.Is(err, postgres.ErrFetchRunning) {
		t.Fatalf("the first handle took the lock the waiter holds: %v", err)
	}
	unlock2()
	u, err := db1.LockFetch(ctx, false)
	if err != nil {
		t.Fatalf("lock after both released: %v", err)
	}
	defer u()

	// A wait ends with its context.
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := db2.LockFetch(cctx, true); err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a wait past its deadline: err = %v", err)
	}
}

// TestLockFetchGoesWithItsHolder: a holder that goes away (its
// connection closed, as when the process dies) frees the lock.
func TestLockFetchGoesWithItsHolder(t *testing.T) {
	ctx := context.Background()
	db1, dsn := open(t, "alice")
	if _, err := db1.LockFetch(ctx, false); err != nil {
		t.Fatal(err)
	}
	db2, err := postgres.Open(ctx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, err := db2.Pool().Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'aiwatch fetch pid %' AND datname = current_database()`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		u, err := db2.LockFetch(ctx, false)
		if err == nil {
			u()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lock outlived its holder: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
