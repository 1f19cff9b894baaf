package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// Watches returns the user's watch list, oldest entry first.
func (db *DB) Watches(ctx context.Context) ([]store.Watch, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, kind, value, created FROM watches WHERE username = $1 ORDER BY id`, db.user)
	if err != nil {
		return nil, db.wrap("list the watch list", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Watch, error) {
		var w store.Watch
		var kind string
		var created int64
		err := row.Scan(&w.ID, &kind, &w.Value, &created)
		w.Kind, w.Created = store.WatchKind(kind), time.Unix(created, 0).UTC()
		return w, err
	})
	return out, db.wrap("list the watch list", err)
}

// AddWatch adds an entry to the user's watch list and returns it with its
// ID. Only what comes after it alerts: the items and designation events
// already stored do not. An entry already on the user's list is refused
// with store.ErrConflict. The caller checks that the firm, alliance or
// query is valid.
func (db *DB) AddWatch(ctx context.Context, w store.Watch) (store.Watch, error) {
	w.Value = strings.TrimSpace(w.Value)
	if w.Value == "" || !slices.Contains([]store.WatchKind{store.WatchFirm, store.WatchAlliance, store.WatchQuery}, w.Kind) {
		return w, errors.New("postgres: a watch entry needs a kind and a value")
	}
	w.Created = db.Now().UTC().Truncate(time.Second)
	err := db.tx(ctx, func(tx pgx.Tx) error {
		// What is stored before the entry is what is committed now.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(newRowsLock)); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO watches (username, kind, value, created, from_item, from_event)
			VALUES ($1, $2, $3, $4, (SELECT coalesce(max(id), 0) FROM items), (SELECT coalesce(max(id), 0) FROM designation_events))
			ON CONFLICT (username, kind, value) DO NOTHING RETURNING id`,
			db.user, string(w.Kind), w.Value, w.Created.Unix()).Scan(&w.ID)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("watch %s: %w", w, store.ErrConflict)
		}
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return w, fmt.Errorf("postgres: %w", err)
	}
	return w, db.wrap("add to the watch list", err)
}

// RemoveWatch removes one of the user's watch entries and its alerts.
// Another user's entry is not found.
func (db *DB) RemoveWatch(ctx context.Context, id int64) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM watches WHERE id = $1 AND username = $2`, id, db.user)
		if err == nil && tag.RowsAffected() == 0 {
			return fmt.Errorf("watch entry %d: %w", id, store.ErrNotFound)
		}
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("postgres: %w", err)
	}
	return db.wrap("remove a watch entry", err)
}

// newRowsLock is the advisory lock key that lets the alert check read
// settled IDs. IDs are handed out when a row is inserted, not when it is
// committed, so without it a check could see item 100 committed while
// item 99 is not yet, move its mark past 99 and never alert on it. Every
// transaction that inserts items or designation events takes this lock
// shared (pg_advisory_xact_lock_shared); the check takes it exclusively
// just while it reads the newest IDs, so it waits for those transactions
// to commit, and they wait for that one read.
const newRowsLock = 0x61697761_0000a1e7 // "aiwa", "alert"

// CheckAlerts looks at the items and designation events stored since the
// user's last check and records an alert for each that one of the user's
// watch entries selects: an item that entry's Filter matches (ignored
// items never alert), a designation event of one of its Firms. It returns
// the alerts it recorded, oldest first. The unique indexes keep it to one
// alert per item or event per entry, whichever process checks and however
// often; entries not in ws, and entries of other users, are not checked,
// and the user's marks still move past what was looked at.
func (db *DB) CheckAlerts(ctx context.Context, ws []store.WatchMatch) ([]store.Alert, error) {
	var itemMark, eventMark, maxItem, maxEvent int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(newRowsLock)); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT
			coalesce((SELECT value::bigint FROM user_meta WHERE username = $1 AND key = $2), 0),
			coalesce((SELECT value::bigint FROM user_meta WHERE username = $1 AND key = $3), 0),
			coalesce((SELECT max(id) FROM items), 0),
			coalesce((SELECT max(id) FROM designation_events), 0)`,
			db.user, userKeyItemMark, userKeyEventMark).Scan(&itemMark, &eventMark, &maxItem, &maxEvent)
	})
	if err != nil {
		return nil, db.wrap("check for alerts", err)
	}
	if maxItem <= itemMark && maxEvent <= eventMark {
		return nil, nil
	}
	starts, err := db.watchStarts(ctx)
	if err != nil {
		return nil, err
	}
	now := db.Now().UTC().Truncate(time.Second)
	var found []store.Alert
	for _, w := range ws {
		start, ok := starts[w.Watch.ID]
		if !ok {
			continue // removed meanwhile, or not this user's
		}
		if lo := max(itemMark, start[0]); maxItem > lo {
			as, err := db.itemAlerts(ctx, w, lo, maxItem, now)
			if err != nil {
				return nil, err
			}
			found = append(found, as...)
		}
		if lo := max(eventMark, start[1]); maxEvent > lo && len(w.Firms) > 0 {
			as, err := db.eventAlerts(ctx, w, lo, maxEvent, now)
			if err != nil {
				return nil, err
			}
			found = append(found, as...)
		}
	}
	var added []store.Alert
	// The data version moves only when an alert was recorded: the marks
	// are the user's alone and change no one's screen, and every open
	// dashboard runs this check when the version moves, so a move here
	// would have each of them make all the others read the store again.
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		if added, err = db.recordAlerts(ctx, tx, found); err != nil {
			return err
		}
		// The marks move in the same transaction: never past an alert
		// that was not recorded.
		for key, v := range map[string]int64{userKeyItemMark: maxItem, userKeyEventMark: maxEvent} {
			if _, err := tx.Exec(ctx, `INSERT INTO user_meta (username, key, value) VALUES ($1, $2, $3::bigint::text)
				ON CONFLICT (username, key) DO UPDATE SET value = greatest(user_meta.value::bigint, excluded.value::bigint)::text`,
				db.user, key, v); err != nil {
				return err
			}
		}
		if len(added) > 0 {
			return bump(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("record alerts", err)
	}
	return added, nil
}

// recordAlerts records the alerts found and returns those that are new,
// with their IDs, in the order found. An item deleted since it was read,
// or a watch entry removed (or not the user's), gives no alert. It is one
// statement however many there are: an import can log thousands.
func (db *DB) recordAlerts(ctx context.Context, tx pgx.Tx, found []store.Alert) ([]store.Alert, error) {
	if len(found) == 0 {
		return nil, nil
	}
	n := len(found)
	at, watch, item, event := make([]int64, n), make([]int64, n), make([]*int64, n), make([]*int64, n)
	kind, firm, title, detail := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	type key struct{ watch, item, event int64 }
	index := make(map[key]int, n)
	for i, a := range found {
		at[i], kind[i], watch[i], firm[i], title[i], detail[i] = a.At.Unix(), a.Kind, a.WatchID, a.Firm, a.Title, a.Detail
		if a.Kind == store.AlertItem {
			item[i] = &found[i].ItemID
		} else {
			event[i] = &found[i].EventID
		}
		index[key{a.WatchID, a.ItemID, a.EventID}] = i
	}
	rows, err := tx.Query(ctx, `INSERT INTO alerts (at, kind, watch_id, firm, item_id, event_id, title, detail)
		SELECT f.at, f.kind, f.watch_id, f.firm, f.item_id, f.event_id, f.title, f.detail
		FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[])
			WITH ORDINALITY AS f (at, kind, watch_id, firm, item_id, event_id, title, detail, n)
		WHERE EXISTS (SELECT 1 FROM watches w WHERE w.id = f.watch_id AND w.username = $9)
			AND (f.item_id IS NULL OR EXISTS (SELECT 1 FROM items i WHERE i.id = f.item_id))
		ORDER BY f.n -- IDs in the order found, as on SQLite: a join may reorder the rows
		ON CONFLICT DO NOTHING
		RETURNING id, watch_id, coalesce(item_id, 0), coalesce(event_id, 0)`,
		at, kind, watch, firm, item, event, title, detail, db.user)
	if err != nil {
		return nil, err
	}
	var got []int
	var id int64
	var k key
	if _, err := pgx.ForEachRow(rows, []any{&id, &k.watch, &k.item, &k.event}, func() error {
		i, ok := index[k]
		if !ok {
			return fmt.Errorf("alert %d is none of those recorded", id)
		}
		found[i].ID = id
		got = append(got, i)
		return nil
	}); err != nil {
		return nil, err
	}
	slices.Sort(got)
	added := make([]store.Alert, len(got))
	for j, i := range got {
		added[j] = found[i]
	}
	return added, nil
}

// watchStarts maps each of the user's watch entries to the last item and
// designation event stored before it was added.
func (db *DB) watchStarts(ctx context.Context) (map[int64][2]int64, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, from_item, from_event FROM watches WHERE username = $1`, db.user)
	if err != nil {
		return nil, db.wrap("read the watch list", err)
	}
	out := map[int64][2]int64{}
	var id, it, ev int64
	_, err = pgx.ForEachRow(rows, []any{&id, &it, &ev}, func() error {
		out[id] = [2]int64{it, ev}
		return nil
	})
	return out, db.wrap("read the watch list", err)
}

// itemAlerts are the alerts of the items in (lo, hi] that w matches. The
// match is Items's, the one reading of a Filter.
func (db *DB) itemAlerts(ctx context.Context, w store.WatchMatch, lo, hi int64, now time.Time) ([]store.Alert, error) {
	rows, err := db.pool.Query(ctx, `SELECT id FROM items WHERE id > $1 AND id <= $2 ORDER BY id`, lo, hi)
	if err != nil {
		return nil, db.wrap("check for alerts", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) == 0 {
		return nil, db.wrap("check for alerts", err)
	}
	f := w.Filter
	f.IDs, f.Limit, f.Offset = ids, 0, 0
	items, err := db.Items(ctx, f)
	if err != nil {
		return nil, err
	}
	return store.ItemAlerts(w, items, now), nil
}

// eventAlerts are the alerts of the designation events in (lo, hi] of
// w's firms.
func (db *DB) eventAlerts(ctx context.Context, w store.WatchMatch, lo, hi int64, now time.Time) ([]store.Alert, error) {
	rows, err := db.pool.Query(ctx, `SELECT e.id, e.firm_id, e.action, e.detail, coalesce(l.name, e.list_id),
			coalesce(nullif(f.short, ''), f.name, e.firm_id)
		FROM designation_events e LEFT JOIN lists l ON l.id = e.list_id LEFT JOIN firms f ON f.id = e.firm_id
		WHERE e.id > $1 AND e.id <= $2 AND e.firm_id = ANY($3) ORDER BY e.id`, lo, hi, w.Firms)
	if err != nil {
		return nil, db.wrap("check for alerts", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Alert, error) {
		var a store.Alert
		var action, detail, listName, firmName string
		if err := row.Scan(&a.EventID, &a.Firm, &action, &detail, &listName, &firmName); err != nil {
			return a, err
		}
		a.At, a.Kind, a.WatchID, a.Watch = now, store.AlertDesignation, w.Watch.ID, w.Watch.String()
		a.Title = store.CleanLine(firmName+": "+action+" "+designationPreposition(action)+" "+listName, 300)
		a.Detail = store.CleanLine(detail, 300)
		return a, nil
	})
	return out, db.wrap("check for alerts", err)
}

func designationPreposition(action string) string {
	switch action {
	case "added":
		return "to"
	case "removed":
		return "from"
	}
	return "on"
}

// alertColumns are what scanAlert reads, of alerts a joined with their
// watch entry w.
const alertColumns = `a.id, a.at, a.kind, a.watch_id, w.kind, w.value, a.firm, coalesce(a.item_id, 0), coalesce(a.event_id, 0), a.title, a.detail, a.acked`

func scanAlert(row pgx.CollectableRow) (store.Alert, error) {
	var a store.Alert
	var at int64
	var kind string
	var w store.Watch
	if err := row.Scan(&a.ID, &at, &a.Kind, &a.WatchID, &kind, &w.Value, &a.Firm, &a.ItemID, &a.EventID, &a.Title, &a.Detail, &a.Acked); err != nil {
		return a, err
	}
	w.Kind = store.WatchKind(kind)
	a.At = time.Unix(at, 0).UTC()
	a.Watch = w.String()
	return a, nil
}

// Alerts returns the user's alerts, newest first: the unacknowledged
// ones, or all with all.
func (db *DB) Alerts(ctx context.Context, all bool) ([]store.Alert, error) {
	q := `SELECT ` + alertColumns + ` FROM alerts a JOIN watches w ON w.id = a.watch_id WHERE w.username = $1`
	if !all {
		q += ` AND NOT a.acked`
	}
	q += ` ORDER BY a.id DESC`
	rows, err := db.pool.Query(ctx, q, db.user)
	if err != nil {
		return nil, db.wrap("list alerts", err)
	}
	out, err := pgx.CollectRows(rows, scanAlert)
	return out, db.wrap("list alerts", err)
}

// CountAlerts counts the user's unacknowledged alerts.
func (db *DB) CountAlerts(ctx context.Context) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM alerts a JOIN watches w ON w.id = a.watch_id
		WHERE w.username = $1 AND NOT a.acked`, db.user).Scan(&n)
	return n, db.wrap("count alerts", err)
}

// AckAlerts acknowledges the user's alerts ids, all or none: an unknown
// ID, or another user's, is store.ErrNotFound and changes nothing. It
// returns how many were not acknowledged before.
func (db *DB) AckAlerts(ctx context.Context, ids []int64) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx pgx.Tx) error {
		n = 0
		for _, id := range ids {
			var was bool
			err := tx.QueryRow(ctx, `SELECT a.acked FROM alerts a JOIN watches w ON w.id = a.watch_id
				WHERE a.id = $1 AND w.username = $2 FOR UPDATE OF a`, id, db.user).Scan(&was)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("alert %d: %w", id, store.ErrNotFound)
			}
			if err != nil {
				return err
			}
			if was {
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE alerts SET acked = true WHERE id = $1`, id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	if err != nil {
		return 0, db.wrap("acknowledge alerts", err)
	}
	return n, nil
}

// AckAllAlerts acknowledges every one of the user's alerts and returns
// how many it changed.
func (db *DB) AckAllAlerts(ctx context.Context) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE alerts a SET acked = true FROM watches w
			WHERE w.id = a.watch_id AND w.username = $1 AND NOT a.acked`, db.user)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, db.wrap("acknowledge alerts", err)
	}
	return int(n), nil
}

// PendingAlerts returns the user's unacknowledged alerts recorded since
// since that channel has not taken yet, oldest first, at most limit.
func (db *DB) PendingAlerts(ctx context.Context, channel string, since time.Time, limit int) ([]store.Alert, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+alertColumns+` FROM alerts a JOIN watches w ON w.id = a.watch_id
		WHERE w.username = $1 AND NOT a.acked AND a.at >= $2
			AND position(',' || $3 || ',' in ',' || a.delivered || ',') = 0
		ORDER BY a.id LIMIT $4`, db.user, since.Unix(), channel, limit)
	if err != nil {
		return nil, db.wrap("list alerts to deliver", err)
	}
	out, err := pgx.CollectRows(rows, scanAlert)
	return out, db.wrap("list alerts to deliver", err)
}

// MarkDelivered records that channel took the user's alerts ids.
func (db *DB) MarkDelivered(ctx context.Context, channel string, ids []int64) error {
	if strings.ContainsAny(channel, ",") || channel == "" {
		return errors.New("postgres: a delivery channel is a name without commas")
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE alerts a SET delivered = CASE WHEN a.delivered = '' THEN $1 ELSE a.delivered || ',' || $1 END
			FROM watches w
			WHERE a.id = ANY($2) AND w.id = a.watch_id AND w.username = $3
				AND position(',' || $1 || ',' in ',' || a.delivered || ',') = 0`, channel, ids, db.user)
		return err
	})
	return db.wrap(fmt.Sprintf("record the delivery of %d alerts", len(ids)), err)
}
