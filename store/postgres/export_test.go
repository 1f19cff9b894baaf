package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Touch commits an empty write.
func Touch(ctx context.Context, db *DB) error {
	return db.tx(ctx, func(pgx.Tx) error { return nil })
}
