-- Counters for the two counts that still passed over rows on every
-- dashboard reload: each user's read marks per kind of tag (so that a
-- user who has read half a million items gets their unread counts from a
-- few hundred rows instead of a join of all their marks), and the items
-- of each feed (the feeds view).
--
-- feed_items: the items of each feed, copies included, as Feeds counts
-- them.
--
-- read_counts: per user, the read marks that the counts subtract:
--   kind 'firm' / 'ally', entity the tag: read stories (copy = 0) tagged so;
--   kind '', entity '': read stories;
--   kind 'feed', entity the feed's ID as text: read items, copies included.
--
-- Statement triggers keep both in step with marks, item_tags and items,
-- one aggregated upsert per statement, its rows taken in key order.
--
-- A read count joins two tables that different transactions write: a
-- dashboard's marks and a fetcher's tags and copy flags. So that neither
-- counts from the other's state before a commit it did not wait for, the
-- items row is the lock for both: the marks' trigger takes FOR SHARE on
-- the items whose read flag it counts and then reads their tags in a
-- statement of its own (a fresh snapshot, under READ COMMITTED); every
-- writer that changes an item's tags or copy flag holds a row lock on the
-- item first (postgres.lockItems, in item order, or the UPDATE of the
-- item itself), and a writer that changes the tags of a whole entity
-- (a firm or alliance removed, the roll-up rebuilt) locks the marks table
-- against writes instead. The write path deletes an item's marks before
-- the item itself (maint.go, deleteItems), so that the marks' trigger
-- still sees the tags and item that it counted them under.
CREATE TABLE feed_items (
	feed_id BIGINT PRIMARY KEY,
	n       BIGINT NOT NULL
);

CREATE TABLE read_counts (
	username TEXT NOT NULL,
	kind     TEXT NOT NULL,
	entity   TEXT NOT NULL,
	n        BIGINT NOT NULL,
	PRIMARY KEY (username, kind, entity)
);

INSERT INTO feed_items (feed_id, n) SELECT feed_id, count(*) FROM items GROUP BY 1;

INSERT INTO read_counts (username, kind, entity, n)
SELECT m.username, t.kind, t.entity, count(*) FROM marks m JOIN item_tags t ON t.item_id = m.item_id AND t.copy = 0 WHERE m.read GROUP BY 1, 2, 3
UNION ALL SELECT m.username, '', '', count(*) FROM marks m JOIN items i ON i.id = m.item_id AND i.copy = 0 WHERE m.read GROUP BY 1
UNION ALL SELECT m.username, 'feed', i.feed_id::text, count(*) FROM marks m JOIN items i ON i.id = m.item_id WHERE m.read GROUP BY 1, 3;

-- Marks that come, go or change their read flag move their user's read
-- counts under every kind and entity that the item counts under. Each
-- trigger hands read_counts_marks its changes as arrays (a transition
-- table cannot be passed): per user and item, +1 or -1.
CREATE FUNCTION read_counts_marks(users text[], ids bigint[], ds bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF users IS NULL THEN
		RETURN;
	END IF;
	PERFORM 1 FROM items WHERE id = ANY(ids) ORDER BY id FOR SHARE;
	WITH d AS (SELECT * FROM unnest(users, ids, ds) AS x(username, item_id, d))
	INSERT INTO read_counts AS r (username, kind, entity, n)
	SELECT username, kind, entity, sum(d) FROM (
		SELECT d.username, t.kind, t.entity, d.d FROM d JOIN item_tags t ON t.item_id = d.item_id AND t.copy = 0
		UNION ALL SELECT d.username, '', '', d.d FROM d JOIN items i ON i.id = d.item_id AND i.copy = 0
		UNION ALL SELECT d.username, 'feed', i.feed_id::text, d.d FROM d JOIN items i ON i.id = d.item_id
	) x GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
	ON CONFLICT (username, kind, entity) DO UPDATE SET n = r.n + excluded.n;
END $$;

CREATE FUNCTION read_counts_marks_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM read_counts_marks(array_agg(username), array_agg(item_id), array_agg(1::bigint)) FROM n WHERE read;
	RETURN NULL;
END $$;

CREATE FUNCTION read_counts_marks_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM read_counts_marks(array_agg(username), array_agg(item_id), array_agg(-1::bigint)) FROM o WHERE read;
	RETURN NULL;
END $$;

CREATE FUNCTION read_counts_marks_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM read_counts_marks(array_agg(username), array_agg(item_id), array_agg(CASE WHEN n.read THEN 1::bigint ELSE -1::bigint END))
		FROM o JOIN n USING (username, item_id) WHERE o.read <> n.read;
	RETURN NULL;
END $$;

CREATE TRIGGER read_counts_ins AFTER INSERT ON marks REFERENCING NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION read_counts_marks_ins();
CREATE TRIGGER read_counts_del AFTER DELETE ON marks REFERENCING OLD TABLE AS o
	FOR EACH STATEMENT EXECUTE FUNCTION read_counts_marks_del();
CREATE TRIGGER read_counts_upd AFTER UPDATE ON marks REFERENCING OLD TABLE AS o NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION read_counts_marks_upd();

-- Tag rows that come, go or change their copy flag move the read counts
-- of every user who has read their item.
CREATE FUNCTION read_counts_tags_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO read_counts AS r (username, kind, entity, n)
	SELECT m.username, t.kind, t.entity, count(*) FROM n t JOIN marks m ON m.item_id = t.item_id AND m.read
	WHERE t.copy = 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (username, kind, entity) DO UPDATE SET n = r.n + excluded.n;
	RETURN NULL;
END $$;

CREATE FUNCTION read_counts_tags_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO read_counts AS r (username, kind, entity, n)
	SELECT m.username, t.kind, t.entity, -count(*) FROM o t JOIN marks m ON m.item_id = t.item_id AND m.read
	WHERE t.copy = 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (username, kind, entity) DO UPDATE SET n = r.n + excluded.n;
	RETURN NULL;
END $$;

CREATE FUNCTION read_counts_tags_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO read_counts AS r (username, kind, entity, n)
	SELECT m.username, x.kind, x.entity, sum(x.d) FROM (
		SELECT item_id, kind, entity, -1 AS d FROM o WHERE copy = 0
		UNION ALL SELECT item_id, kind, entity, 1 FROM n WHERE copy = 0
	) x JOIN marks m ON m.item_id = x.item_id AND m.read
	GROUP BY 1, 2, 3 HAVING sum(x.d) <> 0 ORDER BY 1, 2, 3
	ON CONFLICT (username, kind, entity) DO UPDATE SET n = r.n + excluded.n;
	RETURN NULL;
END $$;

CREATE TRIGGER read_counts_ins AFTER INSERT ON item_tags REFERENCING NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION read_counts_tags_ins();
CREATE TRIGGER read_counts_del AFTER DELETE ON item_tags REFERENCING OLD TABLE AS o
	FOR EACH STATEMENT EXECUTE FUNCTION read_counts_tags_del();
CREATE TRIGGER read_counts_upd AFTER UPDATE ON item_tags REFERENCING OLD TABLE AS o NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION read_counts_tags_upd();

-- Items that come, go, change feed or change their copy flag move the
-- feeds' item counts, and the read counts of every user who has read
-- them under '' (stories) and 'feed'; item_counts takes the changes per
-- item as arrays, +1 for a row that counts now and -1 for one that did.
-- A new item has marks only when a story's late copy takes them.
CREATE FUNCTION item_counts(ids bigint[], feeds bigint[], copies integer[], ds bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF ids IS NULL THEN
		RETURN;
	END IF;
	WITH d AS (SELECT * FROM unnest(ids, feeds, copies, ds) AS x(id, feed_id, copy, d))
	INSERT INTO feed_items AS f (feed_id, n)
	SELECT feed_id, sum(d) FROM d GROUP BY 1 HAVING sum(d) <> 0 ORDER BY 1
	ON CONFLICT (feed_id) DO UPDATE SET n = f.n + excluded.n;
	WITH d AS (SELECT * FROM unnest(ids, feeds, copies, ds) AS x(id, feed_id, copy, d))
	INSERT INTO read_counts AS r (username, kind, entity, n)
	SELECT username, kind, entity, sum(d) FROM (
		SELECT m.username, '' AS kind, '' AS entity, d.d FROM d JOIN marks m ON m.item_id = d.id AND m.read WHERE d.copy = 0
		UNION ALL SELECT m.username, 'feed', d.feed_id::text, d.d FROM d JOIN marks m ON m.item_id = d.id AND m.read
	) x GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
	ON CONFLICT (username, kind, entity) DO UPDATE SET n = r.n + excluded.n;
END $$;

CREATE FUNCTION item_counts_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM item_counts(array_agg(id), array_agg(feed_id), array_agg(copy), array_agg(1::bigint)) FROM n;
	RETURN NULL;
END $$;

CREATE FUNCTION item_counts_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM item_counts(array_agg(id), array_agg(feed_id), array_agg(copy), array_agg(-1::bigint)) FROM o;
	RETURN NULL;
END $$;

CREATE FUNCTION item_counts_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM item_counts(array_agg(x.id), array_agg(x.feed_id), array_agg(x.copy), array_agg(x.d)) FROM (
		SELECT o.id, o.feed_id, o.copy, -1::bigint AS d FROM o JOIN n USING (id) WHERE o.copy <> n.copy OR o.feed_id <> n.feed_id
		UNION ALL SELECT n.id, n.feed_id, n.copy, 1 FROM o JOIN n USING (id) WHERE o.copy <> n.copy OR o.feed_id <> n.feed_id
	) x;
	RETURN NULL;
END $$;

CREATE TRIGGER item_counts_ins AFTER INSERT ON items REFERENCING NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION item_counts_ins();
CREATE TRIGGER item_counts_del AFTER DELETE ON items REFERENCING OLD TABLE AS o
	FOR EACH STATEMENT EXECUTE FUNCTION item_counts_del();
CREATE TRIGGER item_counts_upd AFTER UPDATE ON items REFERENCING OLD TABLE AS o NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION item_counts_upd();
