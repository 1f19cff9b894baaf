package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// Watches returns the watch list, oldest entry first.
func (db *DB) Watches(ctx context.Context) ([]store.Watch, error) {
	return scanAll(ctx, db, "list the watch list", `SELECT id, kind, value, created FROM watches ORDER BY id`, nil,
		func(rows *sql.Rows, w *store.Watch) error {
			var created int64
			err := rows.Scan(&w.ID, &w.Kind, &w.Value, &created)
			w.Created = time.Unix(created, 0).UTC()
			return err
		})
}

// AddWatch adds an entry to the watch list and returns it with its ID.
// Only what comes after it alerts: the items and designation events
// already stored do not. An entry already on the list is refused with
// store.ErrConflict. The caller checks that the firm, alliance or query
// is valid.
func (db *DB) AddWatch(ctx context.Context, w store.Watch) (store.Watch, error) {
	w.Value = strings.TrimSpace(w.Value)
	if w.Value == "" || !slices.Contains([]store.WatchKind{store.WatchFirm, store.WatchAlliance, store.WatchQuery}, w.Kind) {
		return w, errors.New("sqlite: a watch entry needs a kind and a value")
	}
	w.Created = db.Now().UTC().Truncate(time.Second)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM watches WHERE kind = ? AND value = ?`, w.Kind, w.Value).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("watch %s: %w", w, store.ErrConflict)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO watches (kind, value, created, from_item, from_event)
			VALUES (?, ?, ?, (SELECT coalesce(max(id), 0) FROM items), (SELECT coalesce(max(id), 0) FROM designation_events))`,
			w.Kind, w.Value, w.Created.Unix())
		if err != nil {
			return err
		}
		w.ID, err = res.LastInsertId()
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return w, fmt.Errorf("sqlite: %w", err)
	}
	return w, db.wrap("add to the watch list", err)
}

// RemoveWatch removes a watch entry and its alerts.
func (db *DB) RemoveWatch(ctx context.Context, id int64) error {
	res, err := db.db.ExecContext(ctx, `DELETE FROM watches WHERE id = ?`, id)
	if err != nil {
		return db.wrap("remove a watch entry", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: watch entry %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// alertMarks are the meta keys of the last item and designation event
// the alert check has looked at.
const (
	itemMarkKey  = "alerts_item_mark"
	eventMarkKey = "alerts_event_mark"
)

// CheckAlerts looks at the items and designation events stored since the
// last check and records an alert for each that a watch entry selects:
// an item that entry's Filter matches (ignored items never alert), a
// designation event of one of its Firms. It returns the alerts it
// recorded, oldest first. The unique indexes keep it to one alert per
// item or event per entry, whichever process checks and however often;
// entries not in ws are not checked, and the marks still move past what
// was looked at.
func (db *DB) CheckAlerts(ctx context.Context, ws []store.WatchMatch) ([]store.Alert, error) {
	var itemMark, eventMark, maxItem, maxEvent int64
	err := db.db.QueryRowContext(ctx, `SELECT
		coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?), 0),
		coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?), 0),
		coalesce((SELECT max(id) FROM items), 0),
		coalesce((SELECT max(id) FROM designation_events), 0)`, itemMarkKey, eventMarkKey).Scan(&itemMark, &eventMark, &maxItem, &maxEvent)
	if err != nil {
		return nil, db.wrap("check for alerts", err)
	}
	if maxItem <= itemMark && maxEvent <= eventMark {
		return nil, nil
	}
	watches, err := db.watchStarts(ctx)
	if err != nil {
		return nil, err
	}
	now := db.Now().UTC().Truncate(time.Second)
	var found []store.Alert
	for _, w := range ws {
		start, ok := watches[w.Watch.ID]
		if !ok {
			continue // removed meanwhile
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
	err = db.tx(ctx, func(tx *sql.Tx) error {
		added = added[:0]
		// An item deleted since it was read, or a watch removed, gives
		// no alert.
		ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO alerts (at, kind, watch_id, firm, item_id, event_id, title, detail)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?
			WHERE EXISTS (SELECT 1 FROM watches WHERE id = ?) AND (?5 IS NULL OR EXISTS (SELECT 1 FROM items WHERE id = ?5))`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, a := range found {
			var item, event any
			if a.Kind == store.AlertItem {
				item = a.ItemID
			} else {
				event = a.EventID
			}
			res, err := ins.ExecContext(ctx, a.At.Unix(), a.Kind, a.WatchID, a.Firm, item, event, a.Title, a.Detail, a.WatchID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				a.ID, _ = res.LastInsertId()
				added = append(added, a)
			}
		}
		for key, v := range map[string]int64{itemMarkKey: maxItem, eventMarkKey: maxEvent} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?1, ?2)
				ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), ?2)`, key, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, db.wrap("record alerts", err)
	}
	return added, nil
}

// watchStarts maps each watch entry to the last item and event stored
// before it was added.
func (db *DB) watchStarts(ctx context.Context) (map[int64][2]int64, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, from_item, from_event FROM watches`)
	if err != nil {
		return nil, db.wrap("read the watch list", err)
	}
	defer rows.Close()
	out := map[int64][2]int64{}
	for rows.Next() {
		var id, it, ev int64
		if err := rows.Scan(&id, &it, &ev); err != nil {
			return nil, db.wrap("read the watch list", err)
		}
		out[id] = [2]int64{it, ev}
	}
	return out, db.wrap("read the watch list", rows.Err())
}

// itemAlerts are the alerts of the items in (lo, hi] that w matches.
func (db *DB) itemAlerts(ctx context.Context, w store.WatchMatch, lo, hi int64, now time.Time) ([]store.Alert, error) {
	ids, err := scanAll(ctx, db, "check for alerts", `SELECT id FROM items WHERE id > ? AND id <= ? ORDER BY id`, []any{lo, hi},
		func(rows *sql.Rows, id *int64) error { return rows.Scan(id) })
	if err != nil || len(ids) == 0 {
		return nil, err
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
	args := []any{lo, hi}
	marks := make([]string, len(w.Firms))
	for i, f := range w.Firms {
		marks[i] = "?"
		args = append(args, f)
	}
	q := `SELECT e.id, e.firm_id, e.list_id, e.action, e.detail, coalesce(l.name, e.list_id),
			coalesce(nullif(f.short, ''), f.name, e.firm_id)
		FROM designation_events e LEFT JOIN lists l ON l.id = e.list_id LEFT JOIN firms f ON f.id = e.firm_id
		WHERE e.id > ? AND e.id <= ? AND e.firm_id IN (` + strings.Join(marks, ",") + `) ORDER BY e.id`
	return scanAll(ctx, db, "check for alerts", q, args, func(rows *sql.Rows, a *store.Alert) error {
		var list, action, detail, listName, firmName string
		if err := rows.Scan(&a.EventID, &a.Firm, &list, &action, &detail, &listName, &firmName); err != nil {
			return err
		}
		a.At, a.Kind, a.WatchID, a.Watch = now, store.AlertDesignation, w.Watch.ID, w.Watch.String()
		a.Title = store.CleanLine(firmName+": "+action+" "+designationPreposition(action)+" "+listName, 300)
		a.Detail = store.CleanLine(detail, 300)
		return nil
	})
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

// Alerts returns the alerts, newest first: the unacknowledged ones, or
// all with all.
func (db *DB) Alerts(ctx context.Context, all bool) ([]store.Alert, error) {
	q := `SELECT a.id, a.at, a.kind, a.watch_id, w.kind, w.value, a.firm, coalesce(a.item_id, 0), coalesce(a.event_id, 0), a.title, a.detail, a.acked
		FROM alerts a JOIN watches w ON w.id = a.watch_id`
	if !all {
		q += ` WHERE a.acked = 0`
	}
	q += ` ORDER BY a.id DESC`
	return scanAll(ctx, db, "list alerts", q, nil, scanAlert)
}

func scanAlert(rows *sql.Rows, a *store.Alert) error {
	var at int64
	var w store.Watch
	if err := rows.Scan(&a.ID, &at, &a.Kind, &a.WatchID, &w.Kind, &w.Value, &a.Firm, &a.ItemID, &a.EventID, &a.Title, &a.Detail, &a.Acked); err != nil {
		return err
	}
	a.At = time.Unix(at, 0).UTC()
	a.Watch = w.String()
	return nil
}

// CountAlerts counts the unacknowledged alerts.
func (db *DB) CountAlerts(ctx context.Context) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM alerts WHERE acked = 0`).Scan(&n)
	return n, db.wrap("count alerts", err)
}

// AckAlerts acknowledges the alerts ids, all or none: an unknown ID is
// store.ErrNotFound and changes nothing. It returns how many were not
// acknowledged before.
func (db *DB) AckAlerts(ctx context.Context, ids []int64) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE alerts SET acked = 1 WHERE id = ? AND acked = 0`, id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 1 {
				n++
				continue
			}
			var c int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM alerts WHERE id = ?`, id).Scan(&c); err != nil {
				return err
			}
			if c == 0 {
				return fmt.Errorf("alert %d: %w", id, store.ErrNotFound)
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	return n, db.wrap("acknowledge alerts", err)
}

// AckAllAlerts acknowledges every alert and returns how many it changed.
func (db *DB) AckAllAlerts(ctx context.Context) (int, error) {
	res, err := db.db.ExecContext(ctx, `UPDATE alerts SET acked = 1 WHERE acked = 0`)
	if err != nil {
		return 0, db.wrap("acknowledge alerts", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// PendingAlerts returns the unacknowledged alerts recorded since since
// that channel has not taken yet, oldest first, at most limit.
func (db *DB) PendingAlerts(ctx context.Context, channel string, since time.Time, limit int) ([]store.Alert, error) {
	q := `SELECT a.id, a.at, a.kind, a.watch_id, w.kind, w.value, a.firm, coalesce(a.item_id, 0), coalesce(a.event_id, 0), a.title, a.detail, a.acked
		FROM alerts a JOIN watches w ON w.id = a.watch_id
		WHERE a.acked = 0 AND a.at >= ? AND instr(',' || a.delivered || ',', ',' || ? || ',') = 0
		ORDER BY a.id LIMIT ?`
	return scanAll(ctx, db, "list alerts to deliver", q, []any{since.Unix(), channel, limit}, scanAlert)
}

// MarkDelivered records that channel took the alerts ids.
func (db *DB) MarkDelivered(ctx context.Context, channel string, ids []int64) error {
	if strings.ContainsAny(channel, ",") || channel == "" {
		return errors.New("sqlite: a delivery channel is a name without commas")
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE alerts SET delivered = CASE WHEN delivered = '' THEN ?1 ELSE delivered || ',' || ?1 END
				WHERE id = ?2 AND instr(',' || delivered || ',', ',' || ?1 || ',') = 0`, channel, id); err != nil {
				return err
			}
		}
		return nil
	})
	return db.wrap("record the delivery of alerts "+strconv.Itoa(len(ids)), err)
}

// DesignationChanges returns the designation events since since, oldest
// first, without those the first seed logged: the reference dataset's
// history is not news of the week.
func (db *DB) DesignationChanges(ctx context.Context, since time.Time) ([]store.DesignationEvent, error) {
	evs, err := db.DesignationEvents(ctx, "", since)
	if err != nil {
		return nil, err
	}
	v, err := db.meta(ctx, metaSeedEvents)
	if err != nil {
		return nil, err
	}
	mark, _ := strconv.ParseInt(v, 10, 64)
	return slices.DeleteFunc(evs, func(e store.DesignationEvent) bool { return e.ID <= mark }), nil
}
