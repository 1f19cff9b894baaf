package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// RetagAt is RetagIfStale's step after it has read the alias version.
func RetagAt(ctx context.Context, db *DB, tag store.TagFunc, aliasVersion string) (int, bool, error) {
	return db.retagWith(ctx, tag, "", aliasVersion)
}

// RetryTx is db.retryTx.
func RetryTx(ctx context.Context, db *DB, fn func(pgx.Tx) error) error { return db.retryTx(ctx, fn) }
