-- Counters for FirmCounts, AllianceCounts and the count of all items, so
-- that they cost a pass over the entities and the user's read marks
-- instead of one over every item: tag_weeks counts the rows of item_tags
-- with copy = 0 per kind, entity and week (store.Week of published), and,
-- under kind '' and entity '', the items with copy = 0 per week. Statement
-- triggers keep it in step, one aggregated upsert per statement, its rows
-- taken in key order so that writers lock them in the same order.
CREATE TABLE tag_weeks (
	kind   TEXT NOT NULL,
	entity TEXT NOT NULL,
	week   BIGINT NOT NULL,
	n      BIGINT NOT NULL,
	PRIMARY KEY (kind, entity, week)
);

INSERT INTO tag_weeks (kind, entity, week, n)
SELECT kind, entity, (published - 345600) / 604800, count(*)
FROM item_tags WHERE copy = 0 GROUP BY 1, 2, 3;

INSERT INTO tag_weeks (kind, entity, week, n)
SELECT '', '', (published - 345600) / 604800, count(*)
FROM items WHERE copy = 0 GROUP BY 3;

CREATE FUNCTION tag_weeks_tags_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO tag_weeks AS w (kind, entity, week, n)
	SELECT kind, entity, (published - 345600) / 604800, count(*)
	FROM n WHERE copy = 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (kind, entity, week) DO UPDATE SET n = w.n + excluded.n;
	RETURN NULL;
END $$;

CREATE FUNCTION tag_weeks_tags_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO tag_weeks AS w (kind, entity, week, n)
	SELECT kind, entity, (published - 345600) / 604800, -count(*)
	FROM o WHERE copy = 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
	ON CONFLICT (kind, entity, week) DO UPDATE SET n = w.n + excluded.n;
	RETURN NULL;
END $$;

CREATE FUNCTION tag_weeks_tags_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO tag_weeks AS w (kind, entity, week, n)
	SELECT kind, entity, week, sum(d) FROM (
		SELECT kind, entity, (published - 345600) / 604800 AS week, -1 AS d FROM o WHERE copy = 0
		UNION ALL
		SELECT kind, entity, (published - 345600) / 604800, 1 FROM n WHERE copy = 0
	) x GROUP BY 1, 2, 3 HAVING sum(d) <> 0 ORDER BY 1, 2, 3
	ON CONFLICT (kind, entity, week) DO UPDATE SET n = w.n + excluded.n;
	RETURN NULL;
END $$;

CREATE FUNCTION tag_weeks_items_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO tag_weeks AS w (kind, entity, week, n)
	SELECT '', '', (published - 345600) / 604800, count(*)
	FROM n WHERE copy = 0 GROUP BY 3 ORDER BY 3
	ON CONFLICT (kind, entity, week) DO UPDATE SET n = w.n + excluded.n;
	RETURN NULL;
END $$;

CREATE FUNCTION tag_weeks_items_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO tag_weeks AS w (kind, entity, week, n)
	SELECT '', '', (published - 345600) / 604800, -count(*)
	FROM o WHERE copy = 0 GROUP BY 3 ORDER BY 3
	ON CONFLICT (kind, entity, week) DO UPDATE SET n = w.n + excluded.n;
	RETURN NULL;
END $$;

CREATE FUNCTION tag_weeks_items_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO tag_weeks AS w (kind, entity, week, n)
	SELECT '', '', week, sum(d) FROM (
		SELECT (published - 345600) / 604800 AS week, -1 AS d FROM o WHERE copy = 0
		UNION ALL
		SELECT (published - 345600) / 604800, 1 FROM n WHERE copy = 0
	) x GROUP BY 3 HAVING sum(d) <> 0 ORDER BY 3
	ON CONFLICT (kind, entity, week) DO UPDATE SET n = w.n + excluded.n;
	RETURN NULL;
END $$;

CREATE TRIGGER tag_weeks_ins AFTER INSERT ON item_tags REFERENCING NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION tag_weeks_tags_ins();
CREATE TRIGGER tag_weeks_del AFTER DELETE ON item_tags REFERENCING OLD TABLE AS o
	FOR EACH STATEMENT EXECUTE FUNCTION tag_weeks_tags_del();
CREATE TRIGGER tag_weeks_upd AFTER UPDATE ON item_tags REFERENCING OLD TABLE AS o NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION tag_weeks_tags_upd();
CREATE TRIGGER tag_weeks_ins AFTER INSERT ON items REFERENCING NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION tag_weeks_items_ins();
CREATE TRIGGER tag_weeks_del AFTER DELETE ON items REFERENCING OLD TABLE AS o
	FOR EACH STATEMENT EXECUTE FUNCTION tag_weeks_items_del();
CREATE TRIGGER tag_weeks_upd AFTER UPDATE ON items REFERENCING OLD TABLE AS o NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION tag_weeks_items_upd();
