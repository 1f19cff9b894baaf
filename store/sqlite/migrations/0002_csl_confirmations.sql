-- 0002: near matches of Consolidated Screening List entries that the user
-- confirmed as naming a tracked firm (aiwatch sanctions confirm).
CREATE TABLE csl_confirmations (
	name      TEXT NOT NULL, -- the entry's name, folded with store.FoldAlias
	firm_id   TEXT NOT NULL REFERENCES firms (id) ON DELETE CASCADE,
	affiliate INTEGER NOT NULL DEFAULT 0,
	at        INTEGER NOT NULL,
	PRIMARY KEY (name, firm_id)
) WITHOUT ROWID;
