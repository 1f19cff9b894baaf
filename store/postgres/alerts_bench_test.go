package postgres_test

import (
	"context"
	"testing"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/postgres/pgtest"
)

func benchOpen(b *testing.B, user string) (*postgres.DB, string) {
	b.Helper()
	dsn := pgtest.DSN(b)
	db, err := postgres.Open(context.Background(), dsn, postgres.Options{User: user})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db, dsn
}

func benchExec(b *testing.B, db *postgres.DB, sql string, args ...any) {
	b.Helper()
	if _, err := db.Pool().Exec(context.Background(), sql, args...); err != nil {
		b.Fatalf("%s: %v", sql, err)
	}
}

// benchWatches puts sqlite's benchmark watch list on db's user's list:
// three firms, an alliance and a text query.
func benchWatches(b *testing.B, db *postgres.DB) []store.WatchMatch {
	b.Helper()
	var ms []store.WatchMatch
	for _, w := range []store.Watch{{Kind: store.WatchFirm, Value: "huawei"}, {Kind: store.WatchFirm, Value: "biren"},
		{Kind: store.WatchFirm, Value: "sensetime"}, {Kind: store.WatchAlliance, Value: "model-chip"}, {Kind: store.WatchQuery, Value: "chip"}} {
		w, err := db.AddWatch(context.Background(), w)
		if err != nil {
			b.Fatal(err)
		}
		m := store.WatchMatch{Watch: w}
		switch w.Kind {
		case store.WatchFirm:
			m.Filter.Firms, m.Firms = []string{w.Value}, []string{w.Value}
		case store.WatchAlliance:
			m.Filter.Alliances = []string{w.Value}
			m.Firms = []string{"biren", "stepfun"}
		default:
			m.Filter.Text = []string{w.Value}
		}
		ms = append(ms, m)
	}
	return ms
}

// benchFirms are the firms the benchmark items and events name in turn.
const benchFirms = `ARRAY['huawei','biren','sensetime','alibaba','tencent','baidu','stepfun','megvii']`

// BenchmarkCheckAlerts is sqlite's: the check after a fetch that saved
// 20,000 new items, with five entries on the watch list.
func BenchmarkCheckAlerts(b *testing.B) {
	ctx := context.Background()
	db, _ := benchOpen(b, "alice")
	if _, err := db.Items(ctx, store.Filter{Limit: 1}); err != nil {
		b.Skipf("SKIPPED: item alerts match through Items: %v", err)
	}
	ms := benchWatches(b, db)
	benchExec(b, db, `INSERT INTO feeds (url) VALUES ('https://example.org/big.xml')`)
	benchExec(b, db, `INSERT INTO items (feed_id, key, title, published, search)
		SELECT (SELECT id FROM feeds), i::text, 'Item ' || i || ' about a chip', $1 + i, 'item ' || i || ' about a chip'
		FROM generate_series(0, 19999) i`, alertDay.Unix())
	benchExec(b, db, `INSERT INTO item_tags (kind, entity, item_id, published)
		SELECT 'firm', (`+benchFirms+`)[1 + (id - 1) % 8], id, published FROM items`)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		benchExec(b, db, `DELETE FROM alerts`)
		benchExec(b, db, `UPDATE user_meta SET value = '0' WHERE key = 'alerts_item_mark'`)
		b.StartTimer()
		as, err := db.CheckAlerts(ctx, ms)
		if err != nil || len(as) == 0 {
			b.Fatal(len(as), err)
		}
		b.ReportMetric(float64(len(as)), "alerts")
	}
}

// BenchmarkCheckAlertsDesignations is the check after an import that
// logged 2,000 designation events, with the same five entries.
func BenchmarkCheckAlertsDesignations(b *testing.B) {
	ctx := context.Background()
	db, _ := benchOpen(b, "alice")
	ms := benchWatches(b, db)
	benchExec(b, db, `INSERT INTO lists (id, name, badge) VALUES ('sdn', 'OFAC SDN', 'SDN')`)
	benchExec(b, db, `INSERT INTO designation_events (at, firm_id, list_id, action, detail)
		SELECT $1, (`+benchFirms+`)[1 + i % 8], 'sdn', 'added', 'event ' || i FROM generate_series(0, 1999) i`, alertDay.Unix())
	for b.Loop() {
		b.StopTimer()
		benchExec(b, db, `DELETE FROM alerts`)
		benchExec(b, db, `UPDATE user_meta SET value = '0' WHERE key = 'alerts_event_mark'`)
		b.StartTimer()
		// 250 events of each of three firms, and of the alliance
		// entry's two members.
		as, err := db.CheckAlerts(ctx, ms)
		if err != nil || len(as) != 1250 {
			b.Fatal(len(as), err)
		}
	}
}

// BenchmarkAlerts lists and counts one user's open alerts, 1,000 of
// 10,000, on a store where another user has 10,000 more.
func BenchmarkAlerts(b *testing.B) {
	ctx := context.Background()
	alice, dsn := benchOpen(b, "alice")
	bob, err := postgres.Open(ctx, dsn, postgres.Options{User: "bob"})
	if err != nil {
		b.Fatal(err)
	}
	defer bob.Close()
	for _, db := range []*postgres.DB{alice, bob} {
		w, err := db.AddWatch(ctx, store.Watch{Kind: store.WatchFirm, Value: "biren"})
		if err != nil {
			b.Fatal(err)
		}
		benchExec(b, db, `INSERT INTO alerts (at, kind, watch_id, firm, event_id, title, acked)
			SELECT $1 + i, 'designation', $2, 'biren', i, 'Biren: added to OFAC SDN', i % 10 <> 0 FROM generate_series(1, 10000) i`, alertDay.Unix(), w.ID)
	}
	benchExec(b, alice, `ANALYZE`)
	b.Run("list", func(b *testing.B) {
		for b.Loop() {
			if as, err := alice.Alerts(ctx, false); err != nil || len(as) != 1000 {
				b.Fatal(len(as), err)
			}
		}
	})
	b.Run("count", func(b *testing.B) {
		for b.Loop() {
			if n, err := alice.CountAlerts(ctx); err != nil || n != 1000 {
				b.Fatal(n, err)
			}
		}
	})
}
