package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Listen signals on the returned channel whenever any process commits a
// write to the store (every write notifies Channel, see DB.tx). It listens
// on a connection of its own, outside the pool, and reconnects when the
// server goes away, signalling once it is back since writes may have been
// missed meanwhile. Signals are merged while the reader is busy, and the
// channel closes when ctx ends. A dashboard then reads DataVersion.
func (db *DB) Listen(ctx context.Context) (<-chan struct{}, error) {
	conn, err := db.listenConn(ctx)
	if err != nil {
		return nil, db.wrap("listen for changes", err)
	}
	ch := make(chan struct{}, 1)
	signal := func() {
		select {
		case ch <- struct{}{}:
		default: // one is waiting already
		}
	}
	go func() {
		defer close(ch)
		defer func() {
			if conn != nil {
				closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
				conn.Close(closeCtx)
				cancel()
			}
		}()
		backoff := 100 * time.Millisecond
		for {
			if conn == nil {
				select {
				case <-ctx.Done():
					return
				case <-time.After(backoff):
				}
				backoff = min(2*backoff, 10*time.Second)
				c, err := db.listenConn(ctx)
				if err != nil {
					continue
				}
				conn, backoff = c, 100*time.Millisecond
				signal() // what happened while away
			}
			_, err := conn.WaitForNotification(ctx)
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				conn.Close(context.Background())
				conn = nil
				continue
			}
			signal()
		}
	}()
	return ch, nil
}

// listenConn opens a connection of its own that listens on Channel.
func (db *DB) listenConn(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{Channel}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}
