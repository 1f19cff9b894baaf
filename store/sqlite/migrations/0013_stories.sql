-- 0013: one story once. Items from different feeds that are the same
-- story (store.StoryLink, store.StoryTitle) are grouped when they are
-- saved; lists show each story once, as its earliest copy, and the
-- counters count stories.
--
-- story is 0 for an item alone, else the story's id: the id of the item
-- its first copy was grouped with. copy is 1 for every copy but the
-- story's earliest (the one lists show). link_key and title_key are
-- 64-bit hashes of the item's StoryLink and StoryTitle keys (0: none),
-- which the write path looks up to find an item's story. The Go side of
-- this migration (story.go) adds these columns first (addStoryColumns,
-- which skips a column that exists, so that the migration can run again
-- on a store whose version was set back, as tests do); after this file,
-- regroupAll fills them for the items
-- already stored, groups those items as if each were saved anew in id
-- order, and then creates the partial indexes items_link_key and
-- items_title_key (built once over the filled columns, which is faster
-- than keeping them up to date while filling).
--
-- The columns, all INTEGER NOT NULL DEFAULT 0: items.story, items.copy,
-- items.link_key, items.title_key, and item_tags.copy, which mirrors
-- items.copy as unread mirrors items.read, so that tags are counted per
-- story without a join.

-- Partial: most items are alone, and an index of only the grouped ones
-- costs nothing to keep when a lone item is saved.
CREATE INDEX IF NOT EXISTS items_story ON items (story) WHERE story <> 0;

-- The counters count stories: only rows with copy = 0.
DROP TRIGGER IF EXISTS item_tags_ad;
CREATE TRIGGER item_tags_ad AFTER DELETE ON item_tags WHEN old.copy = 0 BEGIN
	UPDATE tag_counts SET total = total - 1, unread = unread - old.unread
	WHERE kind = old.kind AND entity = old.entity;
END;
DROP TRIGGER IF EXISTS item_tags_au;
CREATE TRIGGER item_tags_au AFTER UPDATE OF unread ON item_tags WHEN new.copy = 0 BEGIN
	UPDATE tag_counts SET unread = unread - old.unread + new.unread
	WHERE kind = new.kind AND entity = new.entity;
END;
DROP TRIGGER IF EXISTS item_tags_au_copy;
CREATE TRIGGER item_tags_au_copy AFTER UPDATE OF copy ON item_tags WHEN old.copy <> new.copy BEGIN
	INSERT INTO tag_counts (kind, entity, total, unread)
	VALUES (new.kind, new.entity, old.copy - new.copy, (old.copy - new.copy) * new.unread)
	ON CONFLICT (kind, entity) DO UPDATE SET total = total + excluded.total, unread = unread + excluded.unread;
END;
DROP TRIGGER IF EXISTS items_ad;
CREATE TRIGGER items_ad AFTER DELETE ON items WHEN old.copy = 0 BEGIN
	UPDATE tag_counts SET total = total - 1, unread = unread - (old.read = 0)
	WHERE kind = '' AND entity = '';
END;
DROP TRIGGER IF EXISTS items_au_read;
CREATE TRIGGER items_au_read AFTER UPDATE OF read ON items WHEN old.read <> new.read BEGIN
	UPDATE tag_counts SET unread = unread + (new.read = 0) - (old.read = 0)
	WHERE kind = '' AND entity = '' AND new.copy = 0;
	UPDATE item_tags SET unread = (new.read = 0) WHERE item_id = new.id;
END;
DROP TRIGGER IF EXISTS items_au_copy;
CREATE TRIGGER items_au_copy AFTER UPDATE OF copy ON items WHEN old.copy <> new.copy BEGIN
	UPDATE tag_counts SET total = total + old.copy - new.copy, unread = unread + (old.copy - new.copy) * (new.read = 0)
	WHERE kind = '' AND entity = '';
	UPDATE item_tags SET copy = new.copy WHERE item_id = new.id;
END;

-- A story is read, and starred, as one: marking any copy marks them all.
-- Each copy's own update fires items_au_read for its counters; these
-- triggers do not fire themselves again (SQLite's recursive_triggers is
-- off, its default).
DROP TRIGGER IF EXISTS items_au_read_story;
CREATE TRIGGER items_au_read_story AFTER UPDATE OF read ON items WHEN old.read <> new.read AND new.story <> 0 BEGIN
	UPDATE items SET read = new.read WHERE story = new.story AND story <> 0 AND read <> new.read;
END;
DROP TRIGGER IF EXISTS items_au_starred_story;
CREATE TRIGGER items_au_starred_story AFTER UPDATE OF starred ON items WHEN old.starred <> new.starred AND new.story <> 0 BEGIN
	UPDATE items SET starred = new.starred WHERE story = new.story AND story <> 0 AND starred <> new.starred;
END;

-- When the copy a story is shown as goes (prune, a removed feed), the
-- earliest copy left takes its place.
DROP TRIGGER IF EXISTS items_ad_story;
CREATE TRIGGER items_ad_story AFTER DELETE ON items WHEN old.story <> 0 AND old.copy = 0 BEGIN
	UPDATE items SET copy = 0 WHERE id = (
		SELECT id FROM items WHERE story = old.story AND story <> 0 ORDER BY published, id LIMIT 1);
END;

-- The weekly counters of the trends (0012) count stories too: a copy's
-- tag rows leave them, and a copy shown in its story's place joins them.
-- The Go step after this file rebuilds them once the stories are known.
DROP TRIGGER IF EXISTS item_tags_ad_weeks;
CREATE TRIGGER item_tags_ad_weeks AFTER DELETE ON item_tags
WHEN old.copy = 0 AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'tag_weeks_paused') BEGIN
	UPDATE tag_weeks SET total = total - 1
	WHERE kind = old.kind AND entity = old.entity
		AND week = (SELECT (published - 345600) / 604800 FROM items WHERE id = old.item_id);
END;
DROP TRIGGER IF EXISTS item_tags_au_copy_weeks;
CREATE TRIGGER item_tags_au_copy_weeks AFTER UPDATE OF copy ON item_tags WHEN old.copy <> new.copy BEGIN
	INSERT INTO tag_weeks (kind, entity, week, total)
		SELECT new.kind, new.entity, (published - 345600) / 604800, old.copy - new.copy FROM items WHERE id = new.item_id
		ON CONFLICT (kind, week, entity) DO UPDATE SET total = total + excluded.total;
END;
DROP TRIGGER IF EXISTS items_au_week;
CREATE TRIGGER items_au_week AFTER UPDATE OF published ON items
WHEN (old.published - 345600) / 604800 <> (new.published - 345600) / 604800 AND new.copy = 0 BEGIN
	UPDATE tag_weeks SET total = total - 1
	WHERE week = (old.published - 345600) / 604800
		AND (kind, entity) IN (SELECT kind, entity FROM item_tags WHERE item_id = old.id);
	INSERT INTO tag_weeks (kind, entity, week, total)
		SELECT kind, entity, (new.published - 345600) / 604800, 1 FROM item_tags WHERE item_id = new.id
		ON CONFLICT (kind, week, entity) DO UPDATE SET total = total + 1;
END;
