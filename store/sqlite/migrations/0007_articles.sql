-- 0007: articles, the main text of items' web pages (aiwatch article, b in
-- the dashboard). The text is kept DEFLATE-compressed; two contentless
-- full-text indexes find an item by words only in its article. Unlike
-- items_fts they keep positions (detail = full): few items have an
-- article, and a phrase query then finds the exact substring without
-- reading the compressed row back.
CREATE TABLE articles (
	item_id   INTEGER PRIMARY KEY, -- items.id
	url       TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	byline    TEXT NOT NULL DEFAULT '',
	lang      TEXT NOT NULL DEFAULT '',
	published INTEGER NOT NULL DEFAULT 0, -- unix seconds
	fetched   INTEGER NOT NULL DEFAULT 0,
	text      BLOB NOT NULL,                -- DEFLATE (RFC 1951) of the UTF-8 text
	links     TEXT NOT NULL DEFAULT '[]',   -- JSON [{"text","url"}]
	body_only TEXT NOT NULL DEFAULT '[]'    -- JSON ["firm:ID", "alliance:ID"] named only in the text
);

-- Any substring of three or more characters, as items_fts.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
	text,
	content = '', contentless_delete = 1,
	tokenize = 'trigram case_sensitive 0'
);
-- Words and single CJK characters (the text spaced as for items_words).
CREATE VIRTUAL TABLE articles_words USING fts5 (
	text,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER items_ad_articles AFTER DELETE ON items BEGIN
	DELETE FROM articles WHERE item_id = old.id;
	DELETE FROM articles_fts WHERE rowid = old.id;
	DELETE FROM articles_words WHERE rowid = old.id;
END;
