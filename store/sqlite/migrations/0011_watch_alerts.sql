-- 0011: the watch list and its alerts. An alert is one row per item (or
-- designation event) per watch entry: the unique indexes make the alert
-- check idempotent across fetches, re-tags and processes. The check reads
-- the items and events after its marks in meta, and new items take ids
-- above the item mark (save.go), so none is skipped or seen twice. It may
-- run again on a store that has it (as a test that rewinds the version does).
CREATE TABLE IF NOT EXISTS watches (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	kind       TEXT NOT NULL CHECK (kind IN ('firm', 'alliance', 'query')),
	value      TEXT NOT NULL,
	created    INTEGER NOT NULL DEFAULT 0, -- unix seconds
	from_item  INTEGER NOT NULL DEFAULT 0, -- items up to this id were there before the entry
	from_event INTEGER NOT NULL DEFAULT 0, -- and designation events up to this one
	UNIQUE (kind, value)
);

CREATE TABLE IF NOT EXISTS alerts (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	at        INTEGER NOT NULL, -- unix seconds
	kind      TEXT NOT NULL CHECK (kind IN ('item', 'designation')),
	watch_id  INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
	firm      TEXT NOT NULL DEFAULT '',
	item_id   INTEGER REFERENCES items (id) ON DELETE CASCADE,
	event_id  INTEGER,
	title     TEXT NOT NULL DEFAULT '',
	detail    TEXT NOT NULL DEFAULT '',
	acked     INTEGER NOT NULL DEFAULT 0,
	delivered TEXT NOT NULL DEFAULT '' -- the channels that took it, ","-separated
);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_item ON alerts (item_id, watch_id) WHERE item_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS alerts_event ON alerts (event_id, watch_id) WHERE event_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS alerts_watch ON alerts (watch_id);
CREATE INDEX IF NOT EXISTS alerts_open ON alerts (acked, id);

-- What was in the store before is not new.
INSERT OR IGNORE INTO meta (key, value) VALUES
	('alerts_item_mark', (SELECT coalesce(max(id), 0) FROM items)),
	('alerts_event_mark', (SELECT coalesce(max(id), 0) FROM designation_events));

-- The designation events the first seed logged are the dataset's history,
-- not changes: on a store seeded before, they are those logged in the
-- second of the log's first event (the seed sets this key from now on).
INSERT OR IGNORE INTO meta (key, value) VALUES
	('seed_events', coalesce((SELECT max(id) FROM designation_events WHERE at = (SELECT min(at) FROM designation_events)), 0));
