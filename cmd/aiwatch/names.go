package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/query"
)

// loadResolver reads the query language's names from the store: every
// firm and alliance with its aliases, and the lists.
func loadResolver(ctx context.Context, db store.Backend) (*query.MapResolver, error) {
	// Hidden firms keep their names: firm:ID and aiwatch firms show ID
	// still find them.
	firms, err := db.Firms(ctx, store.FirmQuery{Hidden: store.HiddenToo})
	if err != nil {
		return nil, err
	}
	alliances, err := db.Alliances(ctx)
	if err != nil {
		return nil, err
	}
	lists, err := db.Lists(ctx)
	if err != nil {
		return nil, err
	}
	return query.NewMapResolver(firms, alliances, lists), nil
}

// liveNames are the query language's names for the dashboard, whose
// filter bar parses in commands on goroutines of their own. They are read
// before the dashboard starts, so that no parse finds them missing, and
// read again, whole, when the store's data version moves, so that an
// alias another process adds is known at the next keystroke. A parse
// takes the names of the moment with one atomic load; it never waits for
// a refresh.
type liveNames struct {
	db  store.Backend
	now func() time.Time
	res atomic.Pointer[query.MapResolver]

	mu      sync.Mutex // one refresh at a time
	version int64      // the data version res was read at
}

// newLiveNames reads the names from db.
func newLiveNames(ctx context.Context, db store.Backend, now func() time.Time) (*liveNames, error) {
	n := &liveNames{db: db, now: now}
	if err := n.read(ctx); err != nil {
		return nil, err
	}
	return n, nil
}

// Parse parses the filter language against the names. It is safe for
// concurrent use.
func (n *liveNames) Parse(q string) (store.Filter, error) {
	return query.Parse(q, n.res.Load(), n.now())
}

// Refresh reads the names again when the store's data version moved since
// they were read. It is safe for concurrent use, and with Parse.
func (n *liveNames) Refresh(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	v, err := n.db.DataVersion(ctx)
	if err != nil {
		return err
	}
	if v == n.version {
		return nil
	}
	return n.readLocked(ctx)
}

func (n *liveNames) read(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.readLocked(ctx)
}

// readLocked reads the names and the data version they belong to. The
// version is read first: a write between the two reads makes the next
// Refresh read again rather than miss it.
func (n *liveNames) readLocked(ctx context.Context) error {
	v, err := n.db.DataVersion(ctx)
	if err != nil {
		return err
	}
	r, err := loadResolver(ctx, n.db)
	if err != nil {
		return err
	}
	n.res.Store(r)
	n.version = v
	return nil
}
