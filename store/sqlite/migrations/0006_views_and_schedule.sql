-- 0006: the config file's work in the store. Per-feed schedule and limits
-- (0 means the config file's default), and the views saved from the
-- dashboard or with `aiwatch views add`. Views from the config file are
-- not stored: the file is their home.
ALTER TABLE feeds ADD COLUMN poll_interval INTEGER NOT NULL DEFAULT 0; -- seconds
ALTER TABLE feeds ADD COLUMN max_body      INTEGER NOT NULL DEFAULT 0; -- bytes
ALTER TABLE feeds ADD COLUMN timeout       INTEGER NOT NULL DEFAULT 0; -- milliseconds

CREATE TABLE views (
	name    TEXT PRIMARY KEY COLLATE NOCASE,
	query   TEXT NOT NULL,
	created INTEGER NOT NULL DEFAULT 0
);
