-- 0010: the user's own universe. Firms and alliances say whose their
-- fields are (provenance 'reference' or 'user') and whether the reference
-- dataset holds their ID (in_reference), so that a reseed never overwrites
-- what the user wrote and `firms rm` never deletes a reference fact. A
-- firm can be hidden from panes and lists. Memberships say whose they are
-- and since when; every join and leave is logged, and a reference
-- membership the user ended stays ended across reseeds.
ALTER TABLE firms ADD COLUMN provenance TEXT NOT NULL DEFAULT 'reference';
ALTER TABLE firms ADD COLUMN in_reference INTEGER NOT NULL DEFAULT 1;
ALTER TABLE firms ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE firms ADD COLUMN name_ar TEXT NOT NULL DEFAULT '';
-- The day the user added the firm: a list file older than that was never
-- checked for it, so it cannot say "none found" (store.CheckedAsOf).
ALTER TABLE firms ADD COLUMN added TEXT NOT NULL DEFAULT '';
ALTER TABLE alliances ADD COLUMN provenance TEXT NOT NULL DEFAULT 'reference';
ALTER TABLE alliances ADD COLUMN in_reference INTEGER NOT NULL DEFAULT 1;
ALTER TABLE memberships ADD COLUMN provenance TEXT NOT NULL DEFAULT 'reference';
ALTER TABLE memberships ADD COLUMN since TEXT NOT NULL DEFAULT '';

-- Joins and leaves, never deleted (as designation_events).
CREATE TABLE membership_events (
	id          INTEGER PRIMARY KEY,
	at          INTEGER NOT NULL, -- unix seconds
	alliance_id TEXT NOT NULL,
	firm_id     TEXT NOT NULL,
	action      TEXT NOT NULL CHECK (action IN ('joined', 'left')),
	date        TEXT NOT NULL DEFAULT '', -- the date the user gave (--since, --date)
	source      TEXT NOT NULL DEFAULT '',
	provenance  TEXT NOT NULL DEFAULT 'user'
);
CREATE INDEX membership_events_alliance ON membership_events (alliance_id, at);

-- Reference memberships the user ended with `alliance leave`.
CREATE TABLE removed_memberships (
	alliance_id TEXT NOT NULL,
	firm_id     TEXT NOT NULL,
	PRIMARY KEY (alliance_id, firm_id)
) WITHOUT ROWID;
