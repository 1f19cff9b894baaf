-- A search of one or two CJK characters (华, 华为) cannot use pg_trgm's
-- index: LIKE '%华为%' holds no trigram, so it read every row, seconds
-- at 10M items. cjk_grams(text) is every character and every pair of
-- adjacent characters of the text's runs of CJK characters, indexed by
-- GIN as expression indexes on items.search and articles.search; a
-- search of one or two CJK characters is answered by them alone
-- (filter.go, searchMatch): such a term can only be found inside a run.
-- 为华 is no pair of 华为技术, so it finds nothing, as before. The
-- bracket is filter.go's cjkClass. The function is costed high, so that
-- the planner reads the index rather than call it on rows.
CREATE FUNCTION cjk_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
	SELECT coalesce(array_agg(DISTINCT substr(r.run, i, k.n)), '{}'::text[])
	FROM (SELECT m[1] AS run FROM regexp_matches(t, '[ᄀ-ᇿ⺀-⿟々-〇〡-〩ぁ-ヿㄱ-㆏㐀-䶿一-鿿가-힣豈-﫿𠀀-𱍏]+', 'g') AS m) r,
		generate_series(1, char_length(r.run)) AS i, (VALUES (1), (2)) AS k(n)
	WHERE i + k.n - 1 <= char_length(r.run)
$$;

CREATE INDEX items_cjk ON items USING gin (cjk_grams(search));
CREATE INDEX articles_cjk ON articles USING gin (cjk_grams(search));
