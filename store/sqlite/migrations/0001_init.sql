-- 0001: the whole first schema.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE lists (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	badge       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT ''
); -- a rowid table: rowid is the badge order

CREATE TABLE firms (
	id               TEXT PRIMARY KEY,
	name             TEXT NOT NULL,
	name_zh          TEXT NOT NULL DEFAULT '',
	short            TEXT NOT NULL DEFAULT '',
	sector           TEXT NOT NULL DEFAULT '',
	hq               TEXT NOT NULL DEFAULT '',
	notes            TEXT NOT NULL DEFAULT '',
	sources          TEXT NOT NULL DEFAULT '[]', -- JSON array of URLs
	none_found_as_of TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE alliances (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	name_zh      TEXT NOT NULL DEFAULT '',
	name_status  TEXT NOT NULL DEFAULT '',
	launched     TEXT NOT NULL DEFAULT '',
	launch_note  TEXT NOT NULL DEFAULT '',
	venue        TEXT NOT NULL DEFAULT '',
	convener     TEXT NOT NULL DEFAULT '',
	members_note TEXT NOT NULL DEFAULT '',
	sources      TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;

-- Aliases of firms and alliances. fold is store.FoldAlias(text,
-- case_sensitive): the alias identity, unique across all entities.
CREATE TABLE aliases (
	id             INTEGER PRIMARY KEY,
	kind           TEXT NOT NULL CHECK (kind IN ('firm', 'alliance')),
	entity         TEXT NOT NULL,
	text           TEXT NOT NULL,
	fold           TEXT NOT NULL,
	lang           TEXT NOT NULL DEFAULT '',
	case_sensitive INTEGER NOT NULL DEFAULT 0,
	source         TEXT NOT NULL,
	UNIQUE (fold, case_sensitive)
);
CREATE INDEX aliases_entity ON aliases (kind, entity);

-- Aliases the user removed, so that a reseed does not bring them back.
CREATE TABLE removed_aliases (
	fold           TEXT NOT NULL,
	case_sensitive INTEGER NOT NULL,
	PRIMARY KEY (fold, case_sensitive)
) WITHOUT ROWID;

CREATE TABLE memberships (
	alliance_id TEXT NOT NULL REFERENCES alliances (id) ON DELETE CASCADE,
	firm_id     TEXT NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
	role        TEXT NOT NULL DEFAULT 'member',
	source      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (alliance_id, firm_id)
) WITHOUT ROWID;
CREATE INDEX memberships_firm ON memberships (firm_id);

CREATE TABLE designations (
	id         INTEGER PRIMARY KEY,
	firm_id    TEXT NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
	list_id    TEXT NOT NULL REFERENCES lists (id),
	program    TEXT NOT NULL DEFAULT '',
	added      TEXT NOT NULL DEFAULT '',
	removed    TEXT NOT NULL DEFAULT '',
	citation   TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL CHECK (status IN ('confirmed', 'contested')),
	affiliate  INTEGER NOT NULL DEFAULT 0,
	provenance TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	UNIQUE (firm_id, list_id, affiliate, added)
);
CREATE INDEX designations_list ON designations (list_id, firm_id);

-- The sanctions history: every change to a designation, never deleted.
CREATE TABLE designation_events (
	id         INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL, -- unix seconds
	firm_id    TEXT NOT NULL,
	list_id    TEXT NOT NULL,
	action     TEXT NOT NULL,
	detail     TEXT NOT NULL DEFAULT '',
	provenance TEXT NOT NULL DEFAULT ''
);
CREATE INDEX designation_events_at ON designation_events (at);
CREATE INDEX designation_events_firm ON designation_events (firm_id, at);

CREATE TABLE csl_imports (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	file_date TEXT NOT NULL DEFAULT '',
	sha256    TEXT NOT NULL,
	counts    TEXT NOT NULL DEFAULT '{}' -- JSON object: list id → entries
);

CREATE TABLE feeds (
	id            INTEGER PRIMARY KEY,
	url           TEXT NOT NULL UNIQUE,
	title         TEXT NOT NULL DEFAULT '',
	lang          TEXT NOT NULL DEFAULT '',
	category      TEXT NOT NULL DEFAULT '',
	kind          TEXT NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'html', 'builtin')),
	enabled       INTEGER NOT NULL DEFAULT 1,
	source        TEXT NOT NULL DEFAULT 'user',
	user_agent    TEXT NOT NULL DEFAULT '',
	html_rule     TEXT NOT NULL DEFAULT '', -- JSON store.HTMLRule when kind = 'html'
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	last_check    INTEGER NOT NULL DEFAULT 0,
	last_success  INTEGER NOT NULL DEFAULT 0,
	last_status   INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	failures      INTEGER NOT NULL DEFAULT 0,
	next_try      INTEGER NOT NULL DEFAULT 0
);

-- Reference feeds the user removed, so that a reseed does not bring them back.
CREATE TABLE removed_feeds (
	url TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE TABLE items (
	id        INTEGER PRIMARY KEY,
	feed_id   INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
	key       TEXT NOT NULL,
	url       TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	summary   TEXT NOT NULL DEFAULT '',
	content   TEXT NOT NULL DEFAULT '',
	author    TEXT NOT NULL DEFAULT '',
	lang      TEXT NOT NULL DEFAULT '',
	published INTEGER NOT NULL, -- unix seconds
	updated   INTEGER NOT NULL DEFAULT 0,
	fetched   INTEGER NOT NULL DEFAULT 0,
	read      INTEGER NOT NULL DEFAULT 0,
	starred   INTEGER NOT NULL DEFAULT 0,
	sanctions INTEGER NOT NULL DEFAULT 0,
	hash      INTEGER NOT NULL DEFAULT 0, -- of the saved text and tags, to skip unchanged items cheaply
	UNIQUE (feed_id, key)
);
CREATE INDEX items_published ON items (published DESC, id DESC);
CREATE INDEX items_unread ON items (read, published DESC);
CREATE INDEX items_starred ON items (published DESC) WHERE starred = 1;

-- The mentions: which firms and alliances each item names. Kind 'firm'
-- and 'alliance' rows are named directly, and mentions holds every match
-- as JSON [{"alias","field","start","end"}] (byte offsets into the field)
-- for explaining and highlighting; kind 'ally' rows are the roll-up: the
-- item names the alliance or any member. unread mirrors items.read so that
-- counts need no join.
CREATE TABLE item_tags (
	kind     TEXT NOT NULL,
	entity   TEXT NOT NULL,
	item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
	unread   INTEGER NOT NULL,
	mentions TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (kind, entity, item_id)
) WITHOUT ROWID;
CREATE INDEX item_tags_item ON item_tags (item_id);

-- Counters, so that the dashboard's counts cost one lookup at any store
-- size. The row ('', '') counts all items. Triggers keep them on deletes
-- and read marks; inserts into item_tags add to them in one statement per
-- batch (see saveItems), which is far cheaper than a trigger per row.
CREATE TABLE tag_counts (
	kind   TEXT NOT NULL,
	entity TEXT NOT NULL,
	total  INTEGER NOT NULL DEFAULT 0,
	unread INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, entity)
) WITHOUT ROWID;
INSERT INTO tag_counts (kind, entity) VALUES ('', '');

CREATE TRIGGER item_tags_ad AFTER DELETE ON item_tags BEGIN
	UPDATE tag_counts SET total = total - 1, unread = unread - old.unread
	WHERE kind = old.kind AND entity = old.entity;
END;
CREATE TRIGGER item_tags_au AFTER UPDATE OF unread ON item_tags BEGIN
	UPDATE tag_counts SET unread = unread - old.unread + new.unread
	WHERE kind = new.kind AND entity = new.entity;
END;
CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
	UPDATE tag_counts SET total = total + 1, unread = unread + (new.read = 0)
	WHERE kind = '' AND entity = '';
END;
CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
	UPDATE tag_counts SET total = total - 1, unread = unread - (old.read = 0)
	WHERE kind = '' AND entity = '';
END;
CREATE TRIGGER items_au_read AFTER UPDATE OF read ON items WHEN old.read <> new.read BEGIN
	UPDATE tag_counts SET unread = unread + (new.read = 0) - (old.read = 0)
	WHERE kind = '' AND entity = '';
	UPDATE item_tags SET unread = (new.read = 0) WHERE item_id = new.id;
END;

-- Full-text search. items_fts uses the trigram tokenizer so that any
-- substring of three or more characters is found, 摩尔线程 inside a longer
-- title included. items_words indexes the same text with every CJK
-- character spaced out, so that one- and two-character queries such as
-- 华为 are indexed too. Both keep no positions (detail = none), which
-- makes indexing about twice as fast; a query asks the index for rows
-- holding all of the term's tokens and then confirms the substring in the
-- row itself. Both are kept in step with items by the store, in the same
-- transaction and in one batch per save (see saveItems).
CREATE VIRTUAL TABLE items_fts USING fts5 (
	title, summary, content,
	content = 'items', content_rowid = 'id',
	tokenize = 'trigram case_sensitive 0', detail = none
);
CREATE VIRTUAL TABLE items_words USING fts5 (
	text,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 0', detail = none
);
