-- 0012: weekly counters for the trends, and the per-feed bodies setting.
-- It may run again over itself (tests of older migrations set the version
-- back), so it creates only what is missing and rebuilds its counters.

-- Items per tag and calendar week (store.Week: weeks since Monday
-- 1970-01-05 UTC, of items.published), so that a 12-week trend of every
-- firm is one range of this table at any store size. The key starts with
-- (kind, week) for that range. Saves add to it once per save, as to
-- tag_counts; triggers keep it on deletes and on a changed date.
CREATE TABLE IF NOT EXISTS tag_weeks (
	kind   TEXT NOT NULL,
	entity TEXT NOT NULL,
	week   INTEGER NOT NULL,
	total  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, week, entity)
) WITHOUT ROWID;
DELETE FROM tag_weeks;
-- Items through their date index and tag rows through theirs, neither
-- table read: about 20 s at a million items on a busy machine.
INSERT INTO tag_weeks (kind, entity, week, total)
	SELECT t.kind, t.entity, (i.published - 345600) / 604800, count(*)
	FROM items i INDEXED BY items_published CROSS JOIN item_tags t INDEXED BY item_tags_item ON t.item_id = i.id
	GROUP BY 1, 2, 3;

-- A tag row's week is its item's: the item must still be there when the
-- row goes, so the cascade from items runs before the item is deleted.
DROP TRIGGER IF EXISTS items_ad_tags;
DROP TRIGGER IF EXISTS items_bd_tags;
CREATE TRIGGER items_bd_tags BEFORE DELETE ON items BEGIN
	DELETE FROM item_tags WHERE item_id = old.id;
END;
-- The rebuild of the alliance roll-up (seed.go, rebuildAllyTags) rebuilds
-- its weekly counters whole, and pauses this trigger with a meta row
-- inside its transaction: the trigger more than doubles a delete's cost.
DROP TRIGGER IF EXISTS item_tags_ad_weeks;
CREATE TRIGGER item_tags_ad_weeks AFTER DELETE ON item_tags
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'tag_weeks_paused') BEGIN
	UPDATE tag_weeks SET total = total - 1
	WHERE kind = old.kind AND entity = old.entity
		AND week = (SELECT (published - 345600) / 604800 FROM items WHERE id = old.item_id);
END;
-- An item whose date moves to another week takes its tags with it.
DROP TRIGGER IF EXISTS items_au_week;
CREATE TRIGGER items_au_week AFTER UPDATE OF published ON items
WHEN (old.published - 345600) / 604800 <> (new.published - 345600) / 604800 BEGIN
	UPDATE tag_weeks SET total = total - 1
	WHERE week = (old.published - 345600) / 604800
		AND (kind, entity) IN (SELECT kind, entity FROM item_tags WHERE item_id = old.id);
	INSERT INTO tag_weeks (kind, entity, week, total)
		SELECT kind, entity, (new.published - 345600) / 604800, 1 FROM item_tags WHERE item_id = new.id
		ON CONFLICT (kind, week, entity) DO UPDATE SET total = total + 1;
END;

-- Whether fetch brings the article of each new item of a feed: 'always'
-- (during fetch, politely bounded), or 'never' (b and aiwatch article
-- refuse). A feed without a row is 'on-demand': b and aiwatch article only.
CREATE TABLE IF NOT EXISTS feed_bodies (
	feed_id INTEGER PRIMARY KEY REFERENCES feeds (id) ON DELETE CASCADE,
	bodies  TEXT NOT NULL CHECK (bodies IN ('always', 'never'))
);
