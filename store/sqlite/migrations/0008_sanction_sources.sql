-- 0008: the state of each sanctions source (the CSL download, each
-- OpenSanctions dataset), for conditional downloads, the drop guard of
-- sources other than the CSL, and "aiwatch sanctions status"; and the
-- date as of which each list was last checked, for "none found as of".
CREATE TABLE sanction_sources (
	id             TEXT PRIMARY KEY, -- 'csl' or 'opensanctions:<dataset>'
	url            TEXT NOT NULL DEFAULT '', -- where the last applied file came from (URL or path)
	etag           TEXT NOT NULL DEFAULT '', -- validators of the last applied download
	last_modified  TEXT NOT NULL DEFAULT '',
	last_check     INTEGER NOT NULL DEFAULT 0, -- unix seconds of the last attempt, whatever its result
	last_result    TEXT NOT NULL DEFAULT '', -- applied, unchanged, refused or failed
	last_error     TEXT NOT NULL DEFAULT '', -- why the last check failed, if it did
	last_success   INTEGER NOT NULL DEFAULT 0, -- unix seconds of the last applied file
	file_date      TEXT NOT NULL DEFAULT '', -- the last applied file's date, YYYY-MM-DD
	sha256         TEXT NOT NULL DEFAULT '',
	counts         TEXT NOT NULL DEFAULT '{}', -- JSON object: list id → entries
	last_refusal   INTEGER NOT NULL DEFAULT 0,
	refusal_reason TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- The date of the last file that spoke for the list; '' until one did,
-- when the reference dataset's check date applies.
ALTER TABLE lists ADD COLUMN as_of TEXT NOT NULL DEFAULT '';

-- A store that imported the CSL before this migration: carry the last
-- import over, so that the drop guard, status and dates see it.
INSERT INTO sanction_sources (id, last_check, last_result, last_success, file_date, sha256, counts)
	SELECT 'csl', at, 'applied', at, file_date, sha256, counts FROM csl_imports ORDER BY id DESC LIMIT 1;
UPDATE lists SET as_of = (SELECT file_date FROM csl_imports ORDER BY id DESC LIMIT 1)
	WHERE EXISTS (SELECT 1 FROM csl_imports) AND (id IN ('entity-list', 'meu', 'sdn', 'ns-cmic')
	   OR id IN (SELECT key FROM json_each((SELECT counts FROM csl_imports ORDER BY id DESC LIMIT 1)) WHERE value > 0));
