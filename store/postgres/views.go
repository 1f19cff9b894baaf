package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/aiwatch/aiwatch/store"
)

// Views returns the user's stored views, by name whatever its case.
func (db *DB) Views(ctx context.Context) ([]store.View, error) {
	rows, err := db.pool.Query(ctx, `SELECT name, query FROM views WHERE username = $1 ORDER BY lower(name), name`, db.user)
	if err != nil {
		return nil, db.wrap("list views", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.View, error) {
		v := store.View{Source: "store"}
		return v, row.Scan(&v.Name, &v.Query)
	})
	return out, db.wrap("list views", err)
}

// AddView stores a view for the user. A name the user already has, in
// any case, is refused with store.ErrConflict; other users' views do not
// count.
func (db *DB) AddView(ctx context.Context, v store.View) error {
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" || strings.TrimSpace(v.Query) == "" {
		return errors.New("postgres: a view needs a name and a query")
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO views (username, name, query, created) VALUES ($1, $2, $3, $4)
			ON CONFLICT (username, lower(name)) DO NOTHING`, db.user, v.Name, v.Query, db.Now().Unix())
		if err != nil || tag.RowsAffected() == 1 {
			return err
		}
		existing := v.Name
		if err := tx.QueryRow(ctx, `SELECT name FROM views WHERE username = $1 AND lower(name) = lower($2)`, db.user, v.Name).Scan(&existing); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		return fmt.Errorf("view %q: %w", existing, store.ErrConflict)
	})
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("postgres: %w", err)
	}
	return db.wrap("add view", err)
}

// RemoveView removes one of the user's views by name, in any case.
func (db *DB) RemoveView(ctx context.Context, name string) error {
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM views WHERE username = $1 AND lower(name) = lower($2)`, db.user, strings.TrimSpace(name))
		if err == nil && tag.RowsAffected() == 0 {
			return fmt.Errorf("view %q: %w", name, store.ErrNotFound)
		}
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("postgres: %w", err)
	}
	return db.wrap("remove view", err)
}
