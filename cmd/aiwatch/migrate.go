package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
	"github.com/aiwatch/aiwatch/store/sqlite"
)

// cmdMigrate is aiwatch migrate --from FILE.db --to postgres://…: it
// copies a personal SQLite store into a team store. Feeds are merged by
// URL and items by identity (feed URL and item key), so that it can run
// again without writing anything twice; the read and starred marks go to
// the user's name in the team store, and the user's own firms, aliases,
// alliances, joins and leaves, watch list and views go with them.
func cmdMigrate(a *app, args []string) error {
	fs := a.flags("migrate")
	from := fs.String("from", "", "the SQLite store `FILE` to copy from")
	to := fs.String("to", "", "the team store to copy into, a postgres:// `address` (default: --db, $AIWATCH_DB or store.dsn when it is one)")
	pos, err := a.parse(fs, "migrate", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"migrate takes no arguments: aiwatch migrate --from FILE.db --to postgres://HOST/DB"}
	}
	if *from == "" {
		return usageError{"migrate needs --from FILE.db, the SQLite store to copy"}
	}
	if postgres.IsDSN(*from) {
		return usageError{"--from names the SQLite store file to copy, not a server"}
	}
	if *to == "" {
		if loc, err := storeLocation(a.dbFlag, a.getenv, a.cfg.Store.DSN); err == nil && postgres.IsDSN(loc) {
			*to = loc
		}
	}
	if !postgres.IsDSN(*to) {
		return usageError{"migrate needs --to postgres://HOST/DB, the team store to copy into"}
	}
	if fi, err := os.Stat(*from); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("unable to migrate from %s: there is no store file there", *from)
	}
	src, err := sqlite.Open(*from, sqlite.Options{ReadOnly: true})
	if errors.Is(err, store.ErrReadOnly) {
		// A store from an older aiwatch, which any command would migrate.
		src, err = sqlite.Open(*from)
	}
	if err != nil {
		return err
	}
	defer src.Close()
	// The team store, opened and seeded as every command opens it.
	a.dbFlag = *to
	dst, err := a.store()
	if err != nil {
		return err
	}
	pg, ok := dst.(*postgres.DB)
	if !ok {
		return fmt.Errorf("unable to migrate into %s: it is not a PostgreSQL store", dst.Location())
	}
	user := pg.User()

	// The universe first, so that the items' firms and alliances, and the
	// memberships their roll-up follows, are there.
	u, err := src.UserUniverse(a.ctx)
	if err != nil {
		return err
	}
	ures, err := dst.ImportUniverse(a.ctx, u, false)
	if err != nil {
		return fmt.Errorf("unable to copy your own firms, alliances, watch list and views: %w", err)
	}

	var feedsSeen, feedsNew, items, itemsNew, read, starred, articles int
	last := ""
	err = src.ExportItems(a.ctx, func(f store.Feed, batch []store.Item) error {
		if f.URL != last {
			feedsSeen++
			last = f.URL
		}
		res, err := pg.MergeItems(a.ctx, f, batch)
		if err != nil {
			return err
		}
		if res.FeedAdded {
			feedsNew++
		}
		items += len(batch)
		itemsNew += res.Added
		for i, it := range batch {
			if it.Read {
				read++
			}
			if it.Starred {
				starred++
			}
			n, err := copyArticle(a, src, dst, it, res.IDs[i])
			if err != nil {
				return err
			}
			articles += n
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Migrated %s into %s:\n", *from, dst.Location())
	fmt.Fprintf(a.stdout, "  feeds:     %d (%d new)\n", feedsSeen, feedsNew)
	fmt.Fprintf(a.stdout, "  items:     %d (%d new, %d there already)\n", items, itemsNew, items-itemsNew)
	fmt.Fprintf(a.stdout, "  marks:     %d read, %d starred, kept for %s\n", read, starred, store.CleanLine(user, 80))
	fmt.Fprintf(a.stdout, "  articles:  %d copied\n", articles)
	fmt.Fprintf(a.stdout, "  your own firms, aliases, alliances, watch list and views: %d changes, %d there already\n", len(ures.Changes), ures.Unchanged)
	if ures.Spellings {
		return a.retagSoon()
	}
	return nil
}

// copyArticle copies the kept article of the item it (src's) to the item
// id of dst, unless dst keeps one for it already. It returns how many it
// copied.
func copyArticle(a *app, src, dst store.Backend, it store.Item, id int64) (int, error) {
	art, err := src.Article(a.ctx, it.ID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if _, err := dst.Article(a.ctx, id); err == nil {
		return 0, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	art.ItemID = id
	it.ID = id
	if err := dst.SaveArticle(a.ctx, art, it); err != nil {
		return 0, err
	}
	return 1, nil
}
