package postgres

import (
	"context"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// Not written yet: the write part. Each method moves out of this file as it is written.

func (db *DB) SaveArticle(ctx context.Context, a store.Article, tags store.Item) error {
	return errTODO("SaveArticle")
}

func (db *DB) Article(ctx context.Context, itemID int64) (store.Article, error) {
	return *new(store.Article), errTODO("Article")
}

func (db *DB) ItemsWithoutArticle(ctx context.Context, feedID int64, since time.Time, limit int) ([]int64, error) {
	return *new([]int64), errTODO("ItemsWithoutArticle")
}

func (db *DB) Feeds(ctx context.Context) ([]store.Feed, error) {
	return *new([]store.Feed), errTODO("Feeds")
}

func (db *DB) Feed(ctx context.Context, id int64) (store.Feed, error) {
	return *new(store.Feed), errTODO("Feed")
}

func (db *DB) AddFeed(ctx context.Context, f store.Feed) (int64, error) {
	return *new(int64), errTODO("AddFeed")
}

func (db *DB) RemoveFeed(ctx context.Context, id int64) (int, error) {
	return *new(int), errTODO("RemoveFeed")
}

func (db *DB) SetFeedEnabled(ctx context.Context, id int64, enabled bool) error {
	return errTODO("SetFeedEnabled")
}

func (db *DB) DueFeeds(ctx context.Context, now time.Time, ids []int64) ([]store.Feed, error) {
	return *new([]store.Feed), errTODO("DueFeeds")
}

func (db *DB) FeedStatus(ctx context.Context) ([]store.Feed, error) {
	return *new([]store.Feed), errTODO("FeedStatus")
}

func (db *DB) Check(ctx context.Context) (store.CheckReport, error) {
	return *new(store.CheckReport), errTODO("Check")
}

func (db *DB) RepairCounts(ctx context.Context) error {
	return errTODO("RepairCounts")
}

func (db *DB) Backup(ctx context.Context, path string) error {
	return errTODO("Backup")
}

func (db *DB) Prune(ctx context.Context, cutoff time.Time, keepStarred bool) (int, error) {
	return *new(int), errTODO("Prune")
}

func (db *DB) SaveItems(ctx context.Context, feedID int64, items []store.Item) (store.SaveStats, error) {
	return *new(store.SaveStats), errTODO("SaveItems")
}

func (db *DB) Retag(ctx context.Context, tag store.TagFunc) (int, error) {
	return *new(int), errTODO("Retag")
}

func (db *DB) RetagFeed(ctx context.Context, feedURL string, tag store.TagFunc) (int, error) {
	return *new(int), errTODO("RetagFeed")
}

func (db *DB) RetagIfStale(ctx context.Context, newTag func([]store.Alias) store.TagFunc) (bool, int, error) {
	return *new(bool), *new(int), errTODO("RetagIfStale")
}

func (db *DB) SetFeedSettings(ctx context.Context, ids []int64, s store.FeedSettings) error {
	return errTODO("SetFeedSettings")
}

func (db *DB) RecordFetch(ctx context.Context, feedID int64, r store.FetchResult, next store.Batches) (store.SaveStats, error) {
	return *new(store.SaveStats), errTODO("RecordFetch")
}
