package postgres_test

import (
	"testing"
	"time"
)

func TestChangesSeenPerUser(t *testing.T) {
	ctx := t.Context()
	alice, dsn := open(t, "alice")
	bob := openUser(t, dsn, "bob")
	if seen, err := alice.ChangesSeen(ctx); err != nil || !seen.IsZero() {
		t.Fatalf("a new store: %v, %v", seen, err)
	}
	t1 := time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC)
	if err := alice.SetChangesSeen(ctx, t1); err != nil {
		t.Fatal(err)
	}
	if seen, err := alice.ChangesSeen(ctx); err != nil || !seen.Equal(t1) || seen.Location() != time.UTC {
		t.Errorf("alice: %v, %v; want %v", seen, err, t1)
	}
	if seen, _ := bob.ChangesSeen(ctx); !seen.IsZero() {
		t.Errorf("bob sees alice's look: %v", seen)
	}
	t2 := t1.Add(time.Hour)
	if err := bob.SetChangesSeen(ctx, t2); err != nil {
		t.Fatal(err)
	}
	if seen, _ := alice.ChangesSeen(ctx); !seen.Equal(t1) {
		t.Errorf("bob's look moved alice's: %v", seen)
	}
	if seen, _ := bob.ChangesSeen(ctx); !seen.Equal(t2) {
		t.Errorf("bob: %v, want %v", seen, t2)
	}
	// A later look replaces an earlier one, even an earlier time.
	if err := alice.SetChangesSeen(ctx, t1.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if seen, _ := alice.ChangesSeen(ctx); !seen.Equal(t1.Add(-time.Minute)) {
		t.Errorf("alice after a second look: %v", seen)
	}
}

// TestChangesSeenNewcomer: a user who never looked starts where the store
// started, not at the dawn of time nor at another user's last look.
func TestChangesSeenNewcomer(t *testing.T) {
	ctx := t.Context()
	alice, dsn := open(t, "alice")
	seeded := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	fixtureEvent(t, alice, seeded.Add(-time.Hour), "biren", "sdn", "added", "seeded")
	last := fixtureEvent(t, alice, seeded, "huawei", "sdn", "added", "seeded")
	fixtureExec(t, alice, `INSERT INTO meta (key, value) VALUES ('seed_events', $1::bigint::text)`, last)
	alice.SetChangesSeen(ctx, seeded.Add(24*time.Hour))
	carol := openUser(t, dsn, "carol")
	if seen, err := carol.ChangesSeen(ctx); err != nil || !seen.Equal(seeded) {
		t.Errorf("a newcomer: %v, %v; want the seed's time %v", seen, err, seeded)
	}
	// The seed's own look, when recorded store-wide, comes first.
	fixtureExec(t, alice, `INSERT INTO meta (key, value) VALUES ('changes_seen', $1::bigint::text)`, seeded.Add(time.Minute).Unix())
	if seen, _ := carol.ChangesSeen(ctx); !seen.Equal(seeded.Add(time.Minute)) {
		t.Errorf("a newcomer with the seed's look: %v", seen)
	}
	if seen, _ := alice.ChangesSeen(ctx); !seen.Equal(seeded.Add(24 * time.Hour)) {
		t.Errorf("alice's own look gave way: %v", seen)
	}
}
