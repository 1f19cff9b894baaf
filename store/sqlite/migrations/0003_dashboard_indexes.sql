-- 0003: indexes for the dashboard's counts at a million items.

-- Per-feed item counts (the feeds view, aiwatch feeds) read this index
-- alone instead of every row of items: about six times faster.
CREATE INDEX items_feed_read ON items (feed_id, read);

-- item_tags_item gains unread (its entries already hold kind and entity,
-- the primary key): a filter of a firm and a search term is then counted,
-- unread included, from the two indexes without reading any item.
DROP INDEX item_tags_item;
CREATE INDEX item_tags_item ON item_tags (item_id, kind, entity, unread);
