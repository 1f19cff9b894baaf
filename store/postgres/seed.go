package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/reference"
)

// Meta keys of the shared store (meta) and of one user (user_meta).
const (
	metaDatasetVersion = "dataset_version"
	metaSeedEvents     = "seed_events"  // the last designation event logged by the first seed
	userChangesSeen    = "changes_seen" // user_meta: when the user last looked at what changed
)

// seedLock is the advisory lock key that serialises seeding by several
// processes: the second waits, then finds the work done.
const seedLock = 0x61697761_00000002 // "aiwa", 2

// Seed applies the reference dataset when the store was seeded with a
// different version (or never). It is idempotent and keeps user state, as
// on SQLite: marks, feeds the user added or removed, aliases the user
// added or removed, firms, alliances and memberships of the user's, and
// designations from imports or the user. It reports whether it wrote
// anything.
//
// The universe and the feeds are written in one transaction; the bundled
// snapshot's items are then saved with SaveItems, and only after that is
// the dataset's version recorded, so that a seed cut short is done again
// by the next Open. An advisory lock held over all three keeps a second
// process from seeding meanwhile; it holds one connection of the pool
// while the writes take another, so the pool needs two (Open's default
// is eight).
func (db *DB) Seed(ctx context.Context, ds *reference.Dataset) (bool, error) {
	have, err := db.metaGet(ctx, metaDatasetVersion)
	if err != nil || have == ds.Version {
		return false, err
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return false, db.wrap("seed the reference dataset", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(seedLock)); err != nil {
		return false, db.wrap("seed the reference dataset", err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(seedLock))
	// Re-check under the lock: another process may have seeded.
	if have, err = db.metaGet(ctx, metaDatasetVersion); err != nil || have == ds.Version {
		return false, err
	}
	var snapID int64
	err = db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		snapID, err = db.seed(ctx, tx, ds, have == "", db.Now())
		return err
	})
	if err != nil {
		return false, db.wrap("seed the reference dataset", err)
	}
	if snapID != 0 && len(ds.Snapshot) > 0 {
		items := make([]store.Item, len(ds.Snapshot))
		copy(items, ds.Snapshot)
		if _, err := db.SaveItems(ctx, snapID, items); err != nil {
			return false, fmt.Errorf("postgres: unable to seed the reference dataset: snapshot: %w", err)
		}
	}
	err = db.tx(ctx, func(tx pgx.Tx) error { return metaPut(ctx, tx, metaDatasetVersion, ds.Version) })
	if err != nil {
		return false, db.wrap("seed the reference dataset", err)
	}
	return true, nil
}

// SeedReference seeds the embedded reference dataset (see Seed). When it
// wrote anything, it re-tags the bundled snapshot's items with the tagger
// that newTag builds from the seeded aliases, as on SQLite: the snapshot
// carries its tags, and the tagger adds the offsets of each match, so that
// the reader can highlight them. With newTag nil, or no snapshot item in
// the store (the user removed the snapshot feed), nothing is re-tagged.
func (db *DB) SeedReference(ctx context.Context, newTag func(aliases []store.Alias) store.TagFunc) error {
	ds, err := reference.Load()
	if err != nil {
		return err
	}
	seeded, err := db.Seed(ctx, ds)
	if err != nil || !seeded || newTag == nil {
		return err
	}
	var snap bool
	err = db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM items i JOIN feeds f ON f.id = i.feed_id WHERE f.url = $1)`,
		reference.SnapshotFeedURL).Scan(&snap)
	if err != nil || !snap {
		return db.wrap("seed the reference dataset", err)
	}
	aliases, err := db.Aliases(ctx)
	if err != nil {
		return err
	}
	_, err = db.RetagFeed(ctx, reference.SnapshotFeedURL, newTag(aliases))
	return err
}

// seed writes ds's universe and feeds, and returns the snapshot feed's ID
// (0 when the user removed it).
func (db *DB) seed(ctx context.Context, tx pgx.Tx, ds *reference.Dataset, first bool, now time.Time) (int64, error) {
	// The writes are queued and sent in batches, a few round trips in all
	// rather than one per statement: a team's server may be far away.
	batch := &pgx.Batch{}
	queue := func(q string, args ...any) { batch.Queue(q, args...) }
	flush := func() error {
		err := tx.SendBatch(ctx, batch).Close()
		batch = &pgx.Batch{}
		return err
	}
	membersBefore, err := memberPairs(ctx, tx)
	if err != nil {
		return 0, err
	}
	for _, l := range ds.Lists {
		queue(`INSERT INTO lists (id, name, badge, description) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, badge = excluded.badge, description = excluded.description`,
			l.ID, l.Name, l.Badge, l.Description)
	}
	// A firm or alliance the user added keeps its ID and every field the
	// user wrote when a later release brings the same ID: the reference
	// only fills the fields the user left blank, and adds its aliases,
	// designations and memberships. The row is marked in_reference, so
	// that it can be hidden but no longer removed.
	for _, f := range ds.Firms {
		src, _ := json.Marshal(nonNil(f.Sources))
		queue(`INSERT INTO firms (id, name, name_zh, short, sector, hq, notes, sources, none_found_as_of, provenance, in_reference)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'reference', true)
			ON CONFLICT (id) DO UPDATE SET in_reference = true,
			name = CASE WHEN firms.provenance = 'reference' THEN excluded.name ELSE firms.name END,
			short = CASE WHEN firms.provenance = 'reference' THEN excluded.short ELSE firms.short END,
			name_zh = CASE WHEN firms.provenance = 'reference' OR firms.name_zh = '' THEN excluded.name_zh ELSE firms.name_zh END,
			sector = CASE WHEN firms.provenance = 'reference' OR firms.sector = '' THEN excluded.sector ELSE firms.sector END,
			hq = CASE WHEN firms.provenance = 'reference' OR firms.hq = '' THEN excluded.hq ELSE firms.hq END,
			notes = CASE WHEN firms.provenance = 'reference' OR firms.notes = '' THEN excluded.notes ELSE firms.notes END,
			sources = CASE WHEN firms.provenance = 'reference' OR firms.sources = '[]' THEN excluded.sources ELSE firms.sources END,
			none_found_as_of = excluded.none_found_as_of`,
			f.ID, f.Name, f.NameZH, f.Short, f.Sector, f.HQ, f.Notes, string(src), f.NoneFoundAsOf)
	}
	for _, a := range ds.Alliances {
		src, _ := json.Marshal(nonNil(a.Sources))
		queue(`INSERT INTO alliances (id, name, name_zh, name_status, launched, launch_note, venue, convener, members_note, sources, provenance, in_reference)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'reference', true)
			ON CONFLICT (id) DO UPDATE SET in_reference = true,
			name = CASE WHEN alliances.provenance = 'reference' THEN excluded.name ELSE alliances.name END,
			name_zh = CASE WHEN alliances.provenance = 'reference' OR alliances.name_zh = '' THEN excluded.name_zh ELSE alliances.name_zh END,
			name_status = CASE WHEN alliances.provenance = 'reference' THEN excluded.name_status ELSE alliances.name_status END,
			launched = CASE WHEN alliances.provenance = 'reference' OR alliances.launched = '' THEN excluded.launched ELSE alliances.launched END,
			launch_note = CASE WHEN alliances.provenance = 'reference' OR alliances.launch_note = '' THEN excluded.launch_note ELSE alliances.launch_note END,
			venue = CASE WHEN alliances.provenance = 'reference' OR alliances.venue = '' THEN excluded.venue ELSE alliances.venue END,
			convener = CASE WHEN alliances.provenance = 'reference' OR alliances.convener = '' THEN excluded.convener ELSE alliances.convener END,
			members_note = CASE WHEN alliances.provenance = 'reference' OR alliances.members_note = '' THEN excluded.members_note ELSE alliances.members_note END,
			sources = CASE WHEN alliances.provenance = 'reference' OR alliances.sources = '[]' THEN excluded.sources ELSE alliances.sources END`,
			a.ID, a.Name, a.NameZH, a.NameStatus, a.Launched, a.LaunchNote, a.Venue, a.Convener, a.MembersNote, string(src))
		// The reference's memberships are replaced; the user's joins stay,
		// and a reference membership the user ended stays ended.
		queue(`DELETE FROM memberships WHERE alliance_id = $1 AND provenance = 'reference'`, a.ID)
		for _, m := range a.Members {
			queue(`INSERT INTO memberships (alliance_id, firm_id, role, source, provenance)
				SELECT $1::text, $2::text, $3::text, $4::text, 'reference'
				WHERE NOT EXISTS (SELECT 1 FROM removed_memberships WHERE alliance_id = $1 AND firm_id = $2)
				ON CONFLICT (alliance_id, firm_id) DO NOTHING`, a.ID, m.Firm, m.Role, m.Source)
		}
	}

	// Aliases: the reference set is replaced; the user's own stay, and
	// reference aliases the user removed stay removed.
	queue(`DELETE FROM aliases WHERE source = $1`, store.SourceReference)
	var aliases []store.Alias
	for _, f := range ds.Firms {
		aliases = append(aliases, f.Aliases...)
	}
	for _, a := range ds.Alliances {
		aliases = append(aliases, a.Aliases...)
	}
	for _, a := range aliases {
		fold := store.FoldAlias(a.Text, a.CaseSensitive)
		queue(`INSERT INTO aliases (kind, entity, text, fold, lang, case_sensitive, source)
			SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::boolean, $7::text
			WHERE NOT EXISTS (SELECT 1 FROM removed_aliases WHERE fold = $4 AND case_sensitive = $6)
			ON CONFLICT (fold, case_sensitive) DO NOTHING`,
			string(a.Kind), a.Entity, a.Text, fold, a.Lang, a.CaseSensitive, store.SourceReference)
	}

	// Designations: reference rows are upserted unless an import or the
	// user has since taken them over; a new one is logged in the history.
	if err := flush(); err != nil {
		return 0, err
	}
	type desigKey struct {
		firm, list, added string
		affiliate         bool
	}
	provs := map[desigKey]string{}
	rows, err := tx.Query(ctx, `SELECT firm_id, list_id, added, affiliate, provenance FROM designations`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var k desigKey
		var prov string
		if err := rows.Scan(&k.firm, &k.list, &k.added, &k.affiliate, &prov); err != nil {
			rows.Close()
			return 0, err
		}
		provs[k] = prov
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, f := range ds.Firms {
		for _, d := range f.Designations {
			k := desigKey{d.Firm, d.List, d.Added, d.Affiliate}
			prov, ok := provs[k]
			switch {
			case !ok:
				queue(`INSERT INTO designations (firm_id, list_id, program, added, removed, citation, source, status, affiliate, provenance, note)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
					d.Firm, d.List, d.Program, d.Added, d.Removed, d.Citation, d.Source, string(d.Status), d.Affiliate, store.SourceReference, d.Note)
				queue(`INSERT INTO designation_events (at, firm_id, list_id, action, detail, provenance) VALUES ($1, $2, $3, $4, $5, $6)`,
					now.Unix(), d.Firm, d.List, eventAction(d), describe(d), store.SourceReference)
				provs[k] = store.SourceReference
			case prov == store.SourceReference:
				queue(`UPDATE designations SET program = $1, removed = $2, citation = $3, source = $4, status = $5, note = $6
					WHERE firm_id = $7 AND list_id = $8 AND affiliate = $9 AND added = $10`,
					d.Program, d.Removed, d.Citation, d.Source, string(d.Status), d.Note, d.Firm, d.List, d.Affiliate, d.Added)
			}
		}
	}

	// Feeds: added unless present or removed by the user; a user's
	// enable/disable choice is kept.
	for _, f := range append([]store.Feed{ds.SnapshotFeed}, ds.Feeds...) {
		queue(`INSERT INTO feeds (url, title, lang, kind, enabled, source)
			SELECT $1::text, $2::text, $3::text, $4::text, $5::boolean, $6::text
			WHERE NOT EXISTS (SELECT 1 FROM removed_feeds WHERE url = $1)
			ON CONFLICT (url) DO UPDATE SET title = CASE WHEN feeds.source = 'reference' THEN excluded.title ELSE feeds.title END`,
			f.URL, f.Title, f.Lang, string(f.Kind), f.Enabled, store.SourceReference)
	}
	if err := flush(); err != nil {
		return 0, err
	}
	var snapID int64
	err = tx.QueryRow(ctx, `SELECT id FROM feeds WHERE url = $1`, reference.SnapshotFeedURL).Scan(&snapID)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) { // no row: the user removed the snapshot
		return 0, err
	}

	// When the memberships changed, rebuild the alliance roll-up tags.
	membersAfter, err := memberPairs(ctx, tx)
	if err != nil {
		return 0, err
	}
	if membersAfter != membersBefore {
		if err := rebuildAllyTags(ctx, tx, ""); err != nil {
			return 0, err
		}
	}
	if first {
		// Nothing is "new" to a new user: the what-changed view starts here.
		if _, err := tx.Exec(ctx, `INSERT INTO user_meta (username, key, value) VALUES ($1, $2, $3)
			ON CONFLICT (username, key) DO UPDATE SET value = excluded.value`,
			db.user, userChangesSeen, strconv.FormatInt(now.Unix(), 10)); err != nil {
			return 0, err
		}
		// Nor is the dataset's history a change of this week (a brief).
		if _, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, (SELECT coalesce(max(id), 0) FROM designation_events)::text)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, metaSeedEvents); err != nil {
			return 0, err
		}
	}
	return snapID, nil
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

// describe is a designation in a line of the history.
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
func memberPairs(ctx context.Context, tx pgx.Tx) (string, error) {
	var s string
	err := tx.QueryRow(ctx, `SELECT coalesce(string_agg(alliance_id || ':' || firm_id, ',' ORDER BY alliance_id COLLATE "C", firm_id COLLATE "C"), '')
		FROM memberships`).Scan(&s)
	return s, err
}

// rebuildAllyTags derives the alliance roll-up tags ('ally' rows: the
// items that name the alliance or any member) again from the firm and
// alliance tags, of one alliance or of all when alliance is "". A roll-up
// row mirrors its item's published and copy, as every tag row does.
func rebuildAllyTags(ctx context.Context, tx pgx.Tx, alliance string) error {
	if err := lockMarks(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM item_tags WHERE kind = 'ally' AND ($1 = '' OR entity = $1)`, alliance); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO item_tags (kind, entity, item_id, copy, published)
		SELECT 'ally', r.entity, r.item_id, i.copy, i.published FROM (
			SELECT m.alliance_id AS entity, t.item_id FROM item_tags t JOIN memberships m ON m.firm_id = t.entity
				WHERE t.kind = 'firm' AND ($1 = '' OR m.alliance_id = $1)
			UNION
			SELECT t.entity, t.item_id FROM item_tags t WHERE t.kind = 'alliance' AND ($1 = '' OR t.entity = $1)
		) r JOIN items i ON i.id = r.item_id
		ON CONFLICT (kind, entity, item_id) DO NOTHING`, alliance)
	return err
}

// logDesignation adds a line to the sanctions history.
func logDesignation(ctx context.Context, tx pgx.Tx, at time.Time, firm, list, action, detail, prov string) error {
	_, err := tx.Exec(ctx, `INSERT INTO designation_events (at, firm_id, list_id, action, detail, provenance) VALUES ($1, $2, $3, $4, $5, $6)`,
		at.Unix(), firm, list, action, detail, prov)
	return err
}

// metaGet reads a key of meta; a missing key is "".
func (db *DB) metaGet(ctx context.Context, key string) (string, error) {
	var v string
	err := db.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return v, db.wrap("read "+key, err)
}

// metaPut sets a key of meta.
func metaPut(ctx context.Context, tx pgx.Tx, key, value string) error {
	_, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// DatasetVersion returns the version of the reference dataset the store
// was last seeded with.
func (db *DB) DatasetVersion(ctx context.Context) (string, error) {
	return db.metaGet(ctx, metaDatasetVersion)
}

// nonNil is s, or an empty slice, so that it is written as [] in JSON.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
