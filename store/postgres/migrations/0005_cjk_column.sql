-- Migration 0004's index answered a search of one or two CJK characters
-- by itself, but a firm's page of such a search (firm:huawei 华为) is
-- best read down the firm's newest items, checking each one; checking one
-- by the index's expression ran cjk_grams on it, 0.14 ms a row, so that
-- the planner chose to join every match instead: a second at 1M items.
-- The grams are now kept in a column, written once when the row is (a
-- stored generated column, so no writer can forget it), and indexed as
-- before; checking a row is then an array test.
DROP INDEX items_cjk;
DROP INDEX articles_cjk;
ALTER TABLE items ADD COLUMN cjk text[] GENERATED ALWAYS AS (cjk_grams(search)) STORED;
ALTER TABLE articles ADD COLUMN cjk text[] GENERATED ALWAYS AS (cjk_grams(search)) STORED;
CREATE INDEX items_cjk ON items USING gin (cjk);
CREATE INDEX articles_cjk ON articles USING gin (cjk);
ANALYZE items;
ANALYZE articles;
