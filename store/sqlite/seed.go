package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
)

// Meta keys.
const (
	metaDatasetVersion = "dataset_version"
	metaChangesSeen    = "changes_seen"
	metaSeedEvents     = "seed_events" // the last designation event logged by the first seed
)

// Seed applies the reference dataset when the store was seeded with a
// different version (or never). It is idempotent and keeps user state:
// read and starred marks, feeds the user added or removed, aliases the
// user added or removed, and designations from imports or the user.
// It reports whether it wrote anything.
func (db *DB) Seed(ctx context.Context, ds *reference.Dataset) (bool, error) {
	have, err := db.meta(ctx, metaDatasetVersion)
	if err != nil {
		return false, err
	}
	if have == ds.Version {
		return false, nil
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		// Re-check under the write lock: another process may have seeded.
		var cur string
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaDatasetVersion).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if cur == ds.Version {
			return nil
		}
		return db.seed(ctx, tx, ds, cur == "", db.Now())
	})
	if err != nil {
		return false, db.wrap("seed the reference dataset", err)
	}
	return true, nil
}

// SeedReference seeds the embedded reference dataset (see Seed). When it
// wrote anything, it retags the bundled news snapshot's items with the
// tagger that newTag builds from the seeded aliases: the snapshot carries
// its tags, and the tagger adds the offsets of each match, so that the
// reader can highlight them. With newTag nil the snapshot is left as it is.
func (db *DB) SeedReference(ctx context.Context, newTag func(aliases []store.Alias) TagFunc) error {
	ds, err := reference.Load()
	if err != nil {
		return err
	}
	seeded, err := db.Seed(ctx, ds)
	if err != nil || !seeded || newTag == nil {
		return err
	}
	aliases, err := db.Aliases(ctx)
	if err != nil {
		return err
	}
	_, err = db.RetagFeed(ctx, reference.SnapshotFeedURL, newTag(aliases))
	return err
}

func (db *DB) seed(ctx context.Context, tx *sql.Tx, ds *reference.Dataset, first bool, now time.Time) error {
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	membersBefore, err := memberPairs(ctx, tx)
	if err != nil {
		return err
	}
	for _, l := range ds.Lists {
		if err := exec(`INSERT INTO lists (id, name, badge, description) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, badge = excluded.badge, description = excluded.description`,
			l.ID, l.Name, l.Badge, l.Description); err != nil {
			return err
		}
	}
	// A firm or alliance the user added keeps its ID and every field the
	// user wrote when a later release brings the same ID: the reference
	// only fills the fields the user left blank, and adds its aliases,
	// designations and memberships. The row is marked in_reference, so
	// that it can be hidden but no longer removed.
	for _, f := range ds.Firms {
		src, _ := json.Marshal(f.Sources)
		if err := exec(`INSERT INTO firms (id, name, name_zh, short, sector, hq, notes, sources, none_found_as_of, provenance, in_reference)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'reference', 1)
			ON CONFLICT (id) DO UPDATE SET in_reference = 1,
			name = CASE WHEN firms.provenance = 'reference' THEN excluded.name ELSE firms.name END,
			short = CASE WHEN firms.provenance = 'reference' THEN excluded.short ELSE firms.short END,
			name_zh = CASE WHEN firms.provenance = 'reference' OR firms.name_zh = '' THEN excluded.name_zh ELSE firms.name_zh END,
			sector = CASE WHEN firms.provenance = 'reference' OR firms.sector = '' THEN excluded.sector ELSE firms.sector END,
			hq = CASE WHEN firms.provenance = 'reference' OR firms.hq = '' THEN excluded.hq ELSE firms.hq END,
			notes = CASE WHEN firms.provenance = 'reference' OR firms.notes = '' THEN excluded.notes ELSE firms.notes END,
			sources = CASE WHEN firms.provenance = 'reference' OR firms.sources = '[]' THEN excluded.sources ELSE firms.sources END,
			none_found_as_of = excluded.none_found_as_of`,
			f.ID, f.Name, f.NameZH, f.Short, f.Sector, f.HQ, f.Notes, string(src), f.NoneFoundAsOf); err != nil {
			return err
		}
	}
	for _, a := range ds.Alliances {
		src, _ := json.Marshal(a.Sources)
		if err := exec(`INSERT INTO alliances (id, name, name_zh, name_status, launched, launch_note, venue, convener, members_note, sources, provenance, in_reference)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reference', 1)
			ON CONFLICT (id) DO UPDATE SET in_reference = 1,
			name = CASE WHEN alliances.provenance = 'reference' THEN excluded.name ELSE alliances.name END,
			name_zh = CASE WHEN alliances.provenance = 'reference' OR alliances.name_zh = '' THEN excluded.name_zh ELSE alliances.name_zh END,
			name_status = CASE WHEN alliances.provenance = 'reference' THEN excluded.name_status ELSE alliances.name_status END,
			launched = CASE WHEN alliances.provenance = 'reference' OR alliances.launched = '' THEN excluded.launched ELSE alliances.launched END,
			launch_note = CASE WHEN alliances.provenance = 'reference' OR alliances.launch_note = '' THEN excluded.launch_note ELSE alliances.launch_note END,
			venue = CASE WHEN alliances.provenance = 'reference' OR alliances.venue = '' THEN excluded.venue ELSE alliances.venue END,
			convener = CASE WHEN alliances.provenance = 'reference' OR alliances.convener = '' THEN excluded.convener ELSE alliances.convener END,
			members_note = CASE WHEN alliances.provenance = 'reference' OR alliances.members_note = '' THEN excluded.members_note ELSE alliances.members_note END,
			sources = CASE WHEN alliances.provenance = 'reference' OR alliances.sources = '[]' THEN excluded.sources ELSE alliances.sources END`,
			a.ID, a.Name, a.NameZH, a.NameStatus, a.Launched, a.LaunchNote, a.Venue, a.Convener, a.MembersNote, string(src)); err != nil {
			return err
		}
		// The reference's memberships are replaced; the user's joins stay,
		// and a reference membership the user ended stays ended.
		if err := exec(`DELETE FROM memberships WHERE alliance_id = ? AND provenance = 'reference'`, a.ID); err != nil {
			return err
		}
		for _, m := range a.Members {
			if err := exec(`INSERT INTO memberships (alliance_id, firm_id, role, source, provenance)
				SELECT ?, ?, ?, ?, 'reference' WHERE NOT EXISTS (SELECT 1 FROM removed_memberships WHERE alliance_id = ?1 AND firm_id = ?2)
				ON CONFLICT (alliance_id, firm_id) DO NOTHING`, a.ID, m.Firm, m.Role, m.Source); err != nil {
				return err
			}
		}
	}

	// Aliases: the reference set is replaced; the user's own stay, and
	// reference aliases the user removed stay removed.
	if err := exec(`DELETE FROM aliases WHERE source = ?`, store.SourceReference); err != nil {
		return err
	}
	var aliases []store.Alias
	for _, f := range ds.Firms {
		aliases = append(aliases, f.Aliases...)
	}
	for _, a := range ds.Alliances {
		aliases = append(aliases, a.Aliases...)
	}
	for _, a := range aliases {
		fold := store.FoldAlias(a.Text, a.CaseSensitive)
		if err := exec(`INSERT INTO aliases (kind, entity, text, fold, lang, case_sensitive, source)
			SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM removed_aliases WHERE fold = ?4 AND case_sensitive = ?6)
			ON CONFLICT (fold, case_sensitive) DO NOTHING`,
			string(a.Kind), a.Entity, a.Text, fold, a.Lang, a.CaseSensitive, store.SourceReference); err != nil {
			return err
		}
	}

	// Designations: reference rows are upserted unless an import or the
	// user has since taken them over.
	for _, f := range ds.Firms {
		for _, d := range f.Designations {
			var id int64
			var prov string
			err := tx.QueryRowContext(ctx, `SELECT id, provenance FROM designations WHERE firm_id = ? AND list_id = ? AND affiliate = ? AND added = ?`,
				d.Firm, d.List, d.Affiliate, d.Added).Scan(&id, &prov)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if err := exec(`INSERT INTO designations (firm_id, list_id, program, added, removed, citation, source, status, affiliate, provenance, note)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					d.Firm, d.List, d.Program, d.Added, d.Removed, d.Citation, d.Source, string(d.Status), d.Affiliate, store.SourceReference, d.Note); err != nil {
					return err
				}
				if err := logEvent(ctx, tx, now, d.Firm, d.List, eventAction(d), describe(d), store.SourceReference); err != nil {
					return err
				}
			case err != nil:
				return err
			case prov == store.SourceReference:
				if err := exec(`UPDATE designations SET program = ?, removed = ?, citation = ?, source = ?, status = ?, note = ? WHERE id = ?`,
					d.Program, d.Removed, d.Citation, d.Source, string(d.Status), d.Note, id); err != nil {
					return err
				}
			}
		}
	}

	// Feeds: added unless present or removed by the user; a user's
	// enable/disable choice is kept.
	for _, f := range append([]store.Feed{ds.SnapshotFeed}, ds.Feeds...) {
		if err := exec(`INSERT INTO feeds (url, title, lang, kind, enabled, source)
			SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM removed_feeds WHERE url = ?1)
			ON CONFLICT (url) DO UPDATE SET title = CASE WHEN feeds.source = 'reference' THEN excluded.title ELSE feeds.title END`,
			f.URL, f.Title, f.Lang, f.Kind, f.Enabled, store.SourceReference); err != nil {
			return err
		}
	}
	var snapID int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM feeds WHERE url = ?`, reference.SnapshotFeedURL).Scan(&snapID)
	switch {
	case errors.Is(err, sql.ErrNoRows): // the user removed the snapshot
	case err != nil:
		return err
	default:
		items := make([]store.Item, len(ds.Snapshot))
		copy(items, ds.Snapshot)
		if _, err := db.saveSlice(ctx, tx, snapID, items); err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
	}

	// When the memberships changed, rebuild the alliance roll-up tags: at
	// a million items that takes a while, and most new datasets leave
	// the memberships as they were.
	membersAfter, err := memberPairs(ctx, tx)
	if err != nil {
		return err
	}
	if membersAfter != membersBefore {
		if err := rebuildAllyTags(ctx, tx); err != nil {
			return err
		}
	}
	if first {
		// Nothing is "new" to a new user: the what-changed view starts here.
		if err := setMeta(ctx, tx, metaChangesSeen, fmt.Sprint(now.Unix())); err != nil {
			return err
		}
		// Nor is the dataset's history a change of this week (a brief).
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, (SELECT coalesce(max(id), 0) FROM designation_events))
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, metaSeedEvents); err != nil {
			return err
		}
	}
	return setMeta(ctx, tx, metaDatasetVersion, ds.Version)
}

// eventAction is the history action that records designation d as it
// now stands: contested, removed or added.
func eventAction(d store.Designation) string {
	switch {
	case d.Status == store.StatusContested:
		return "contested"
	case d.Removed != "":
		return "removed"
	}
	return "added"
}

func describe(d store.Designation) string {
	s := d.Added
	if d.Removed != "" {
		s += " – " + d.Removed
	}
	if d.Citation != "" {
		s += ", " + d.Citation
	}
	if d.Affiliate {
		s += " (affiliate)"
	}
	return s
}

// memberPairs returns every membership, alliance and firm, in one string.
func memberPairs(ctx context.Context, tx *sql.Tx) (string, error) {
	var s sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT group_concat(alliance_id || ':' || firm_id, ',') FROM
		(SELECT alliance_id, firm_id FROM memberships ORDER BY alliance_id, firm_id)`).Scan(&s)
	return s.String, err
}

// rebuildAllyTags derives the alliance roll-up tags again from the firm
// and alliance tags, and recounts them. The weekly counters of the
// roll-up are rebuilt whole, so the delete trigger leaves them alone
// meanwhile (meta tag_weeks_paused, inside this transaction only).
func rebuildAllyTags(ctx context.Context, tx *sql.Tx) error {
	if err := setMeta(ctx, tx, metaWeeksPaused, "1"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM item_tags WHERE kind = 'ally'`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaWeeksPaused); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO item_tags (kind, entity, item_id, unread)
		SELECT 'ally', m.alliance_id, t.item_id, t.unread FROM item_tags t JOIN memberships m ON m.firm_id = t.entity WHERE t.kind = 'firm'
		UNION
		SELECT 'ally', t.entity, t.item_id, t.unread FROM item_tags t WHERE t.kind = 'alliance'`)
	if err != nil {
		return err
	}
	// Inserts are not counted by a trigger: recount the roll-up.
	if _, err := tx.ExecContext(ctx, `DELETE FROM tag_counts WHERE kind = 'ally'`); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO tag_counts (kind, entity, total, unread)
		SELECT kind, entity, count(*), sum(unread) FROM item_tags WHERE kind = 'ally' GROUP BY kind, entity`)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM tag_weeks WHERE kind = 'ally'`); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO tag_weeks (kind, entity, week, total)
		SELECT t.kind, t.entity, `+store.WeekSQL("i.published")+`, count(*) FROM `+weeksJoin+`
		WHERE t.kind = 'ally' GROUP BY 1, 2, 3`)
	return err
}

// metaWeeksPaused, while set, keeps the delete trigger of item_tags off
// tag_weeks (see rebuildAllyTags).
const metaWeeksPaused = "tag_weeks_paused"

// weeksJoin is the join of items and their tag rows that rebuilds the
// weekly counters (t the tag rows, i the items): items through their
// date index, tag rows through theirs (20 against 28 s at a million items
// on a busy machine), only the rows of the copy a story is shown as.
const weeksJoin = `items i INDEXED BY items_published CROSS JOIN item_tags t INDEXED BY item_tags_item ON t.item_id = i.id AND t.copy = 0`

func logEvent(ctx context.Context, tx *sql.Tx, at time.Time, firm, list, action, detail, prov string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO designation_events (at, firm_id, list_id, action, detail, provenance) VALUES (?, ?, ?, ?, ?, ?)`,
		at.Unix(), firm, list, action, detail, prov)
	return err
}

func (db *DB) meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, db.wrap("read "+key, err)
}

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// DatasetVersion returns the version of the reference dataset the store
// was last seeded with.
func (db *DB) DatasetVersion(ctx context.Context) (string, error) {
	return db.meta(ctx, metaDatasetVersion)
}
