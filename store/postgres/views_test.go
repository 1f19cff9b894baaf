package postgres_test

import (
	"errors"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

func TestViews(t *testing.T) {
	ctx := t.Context()
	db, _ := open(t, "alice")
	if err := db.AddView(ctx, store.View{Name: "Huawei unread", Query: "firm:huawei is:unread"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddView(ctx, store.View{Name: "huawei UNREAD", Query: "x"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a name clash in another case: %v", err)
	} else if want := `postgres: view "Huawei unread": ` + store.ErrConflict.Error(); err.Error() != want {
		t.Errorf("clash message %q, want %q", err, want)
	}
	if err := db.AddView(ctx, store.View{Name: " ", Query: "x"}); err == nil {
		t.Error("a view without a name was stored")
	}
	if err := db.AddView(ctx, store.View{Name: "empty", Query: "  "}); err == nil {
		t.Error("a view without a query was stored")
	}
	if err := db.AddView(ctx, store.View{Name: "  alpha ", Query: "lang:zh"}); err != nil {
		t.Fatal(err)
	}
	vs, err := db.Views(ctx)
	if err != nil || len(vs) != 2 {
		t.Fatalf("views = %+v, %v", vs, err)
	}
	// By name whatever its case, the name trimmed.
	if vs[0].Name != "alpha" || vs[0].Query != "lang:zh" || vs[1].Name != "Huawei unread" || vs[1].Query != "firm:huawei is:unread" || vs[1].Source != "store" {
		t.Errorf("views = %+v", vs)
	}
	if err := db.RemoveView(ctx, "HUAWEI unread"); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveView(ctx, "Huawei unread"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing a removed view: %v", err)
	}
	if vs, _ := db.Views(ctx); len(vs) != 1 || vs[0].Name != "alpha" {
		t.Errorf("after removal: %+v", vs)
	}
}

// TestViewsPerUser: a view is its user's alone; names clash only within
// one user's views.
func TestViewsPerUser(t *testing.T) {
	ctx := t.Context()
	alice, dsn := open(t, "alice")
	bob := openUser(t, dsn, "bob")
	if err := alice.AddView(ctx, store.View{Name: "Chips", Query: "chip"}); err != nil {
		t.Fatal(err)
	}
	if vs, err := bob.Views(ctx); err != nil || len(vs) != 0 {
		t.Fatalf("bob sees %+v, %v", vs, err)
	}
	if err := bob.RemoveView(ctx, "chips"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob removed alice's view: %v", err)
	}
	if err := bob.AddView(ctx, store.View{Name: "CHIPS", Query: "firm:biren"}); err != nil {
		t.Fatalf("bob may have his own view of the same name: %v", err)
	}
	av, _ := alice.Views(ctx)
	bv, _ := bob.Views(ctx)
	if len(av) != 1 || av[0].Query != "chip" || len(bv) != 1 || bv[0].Query != "firm:biren" {
		t.Errorf("alice %+v, bob %+v", av, bv)
	}
	if err := alice.RemoveView(ctx, "chips"); err != nil {
		t.Fatal(err)
	}
	if bv, _ := bob.Views(ctx); len(bv) != 1 {
		t.Errorf("alice's removal took bob's view: %+v", bv)
	}
}

// TestViewWritesNotify: a saved view moves the data version, as every
// write does, so that other dashboards of the user see it.
func TestViewWritesNotify(t *testing.T) {
	ctx := t.Context()
	db, _ := open(t, "alice")
	v1, _ := db.DataVersion(ctx)
	if err := db.AddView(ctx, store.View{Name: "a", Query: "b"}); err != nil {
		t.Fatal(err)
	}
	v2, _ := db.DataVersion(ctx)
	if v2 == v1 {
		t.Error("AddView did not move the data version")
	}
	// A refused removal writes nothing.
	db.RemoveView(ctx, "nope")
	if v3, _ := db.DataVersion(ctx); v3 != v2 {
		t.Error("a refused RemoveView moved the data version")
	}
}
