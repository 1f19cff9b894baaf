package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/aiwatch/aiwatch/store/postgres"
)

// TestListenHearsOtherWriters: a write by another handle reaches a
// listener, and the listener comes back after its connection is cut.
func TestListenHearsOtherWriters(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db1, dsn := open(t, "alice")
	db2, err := postgres.Open(ctx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	ch, err := db1.Listen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wait := func(what string) {
		t.Helper()
		select {
		case _, ok := <-ch:
			if !ok {
				t.Fatalf("%s: the channel closed", what)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no signal", what)
		}
	}
	select {
	case <-ch:
		t.Fatal("a signal before any write")
	case <-time.After(100 * time.Millisecond):
	}
	if err := postgres.Touch(ctx, db2); err != nil {
		t.Fatal(err)
	}
	wait("a write by another handle")

	// Cut the listening connection: the listener reconnects and signals.
	if _, err := db2.Pool().Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%'`); err != nil {
		t.Fatal(err)
	}
	wait("reconnecting")
	// Drain a signal the reconnect may have doubled, then write again.
	time.Sleep(200 * time.Millisecond)
	select {
	case <-ch:
	default:
	}
	if err := postgres.Touch(ctx, db2); err != nil {
		t.Fatal(err)
	}
	wait("a write after reconnecting")

	cancel()
	select {
	case _, ok := <-ch:
		for ok {
			_, ok = <-ch
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the channel did not close with its context")
	}
}
