-- 0009: the default feeds read the Federal Register's BIS searches through
-- the API's JSON instead of the RSS of the same searches (see
-- reference.FederalRegisterAPI, which makes the same change to the
-- dataset). A feed keeps its row, so its items keep their read and starred
-- marks; its validators were the old URL's and go. A feed the user removed
-- stays removed under its new URL. The user's own feeds are left alone.
CREATE TEMP TABLE fr_switch (old TEXT PRIMARY KEY, new TEXT NOT NULL);
INSERT INTO fr_switch (old, new) VALUES
	('https://www.federalregister.gov/api/v1/documents.rss?conditions[agencies][]=industry-and-security-bureau',
	 'https://www.federalregister.gov/api/v1/documents.json?conditions[agencies][]=industry-and-security-bureau&order=newest'),
	('https://www.federalregister.gov/api/v1/documents.rss?conditions[agencies][]=industry-and-security-bureau&conditions[type][]=RULE&conditions[type][]=PRORULE&per_page=20',
	 'https://www.federalregister.gov/api/v1/documents.json?conditions[agencies][]=industry-and-security-bureau&conditions[type][]=RULE&conditions[type][]=PRORULE&per_page=20&order=newest');

UPDATE feeds
SET url = (SELECT new FROM fr_switch WHERE old = feeds.url),
	etag = '', last_modified = '', next_try = 0
WHERE source = 'reference'
	AND url IN (SELECT old FROM fr_switch)
	AND NOT EXISTS (SELECT 1 FROM feeds f, fr_switch s WHERE s.old = feeds.url AND f.url = s.new);

INSERT OR IGNORE INTO removed_feeds (url)
SELECT s.new FROM fr_switch s JOIN removed_feeds r ON r.url = s.old;

-- An RSS item's key was its GUID, which the Federal Register writes as the
-- document's page; the API's items are keyed by that page (html_url). Key
-- the switched feeds' items by their link, so that a document already
-- read or starred is the same item when the API brings it again.
UPDATE OR IGNORE items SET key = url
WHERE url <> '' AND key <> url
	AND feed_id IN (SELECT f.id FROM feeds f JOIN fr_switch s ON f.url = s.new WHERE f.source = 'reference');

DROP TABLE fr_switch;
