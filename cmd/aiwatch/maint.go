package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

func cmdCheck(a *app, args []string) error {
	fs := a.flags("check")
	repair := fs.Bool("repair", false, "rebuild the unread counters if they drifted")
	if pos, err := a.parse(fs, "check", args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{"check takes no arguments"}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	r, err := db.Check(a.ctx)
	if err != nil {
		return err
	}
	w := a.stdout
	if db.Path() != "" {
		fmt.Fprintf(w, "store:        %s (%s)\n", db.Path(), humanBytes(r.FileBytes))
	} else {
		fmt.Fprintf(w, "store:        %s (%s)\n", db.Location(), humanBytes(r.FileBytes))
	}
	fmt.Fprintf(w, "schema:       version %d of %d\n", r.SchemaHave, r.SchemaWant)
	fmt.Fprintf(w, "integrity:    %s\n", strings.Join(r.Integrity, "; "))
	fmt.Fprintf(w, "foreign keys: %d violations\n", r.ForeignKeys)
	fmt.Fprintf(w, "full text:    %s\n", r.FTS)
	counters := "ok"
	if !r.CountsOK {
		counters = "drifted (run aiwatch check --repair)"
		if *repair {
			if err := db.RepairCounts(a.ctx); err != nil {
				return err
			}
			counters = "repaired"
			r.CountsOK = true
		}
	}
	fmt.Fprintf(w, "counters:     %s\n", counters)
	var keys []string
	for k := range r.Counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, r.Counts[k]))
	}
	fmt.Fprintf(w, "counts:       %s\n", strings.Join(parts, ", "))
	if !r.ItemsOldest.IsZero() {
		fmt.Fprintf(w, "items span:   %s to %s\n", r.ItemsOldest.Format("2006-01-02"), r.ItemsNewest.Format("2006-01-02"))
	}
	fmt.Fprintf(w, "failing feeds: %d\n", r.FailingFeeds)
	if !r.OK() {
		return fmt.Errorf("the store has problems (see above); restore a backup or run aiwatch check --repair for counters")
	}
	return nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func cmdBackup(a *app, args []string) error {
	fs := a.flags("backup")
	pos, err := a.parse(fs, "backup", args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"backup takes one FILE, e.g. aiwatch backup ~/aiwatch-backup.db"}
	}
	if dir := filepath.Dir(pos[0]); !isDir(dir) {
		return fmt.Errorf("unable to back up to %s: there is no folder %s", pos[0], dir)
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	if db.Path() == "" {
		return fmt.Errorf("backup copies a SQLite store; %s is a PostgreSQL store: back it up with pg_dump (e.g. pg_dump -Fc -f aiwatch.dump DBNAME)", db.Location())
	}
	if err := db.Backup(a.ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Backed up %s to %s.\n", db.Path(), pos[0])
	return nil
}

func cmdPrune(a *app, args []string) error {
	fs := a.flags("prune")
	older := fs.String("older-than", "180d", "delete items published longer ago than this `age` (e.g. 90d, 26w)")
	keep := fs.Bool("keep-starred", true, "keep starred items whatever their age (--keep-starred=false deletes them too)")
	dry := fs.Bool("dry-run", false, "only say how many items would go")
	pos, err := a.parse(fs, "prune", args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"prune takes no arguments"}
	}
	age, err := parseAge(*older)
	if err != nil {
		return usageError{fmt.Sprintf("--older-than %q: %v", *older, err)}
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	cutoff := a.now().Add(-age)
	if *dry {
		// Count what Prune would delete: published before the cutoff,
		// not in the bundled snapshot, not starred when those are kept.
		f := store.Filter{Until: cutoff}
		kept := "bundled items are kept"
		if *keep {
			f.Starred = store.No
			kept = "starred and bundled items are kept"
		}
		all, err := db.FeedStatus(a.ctx)
		if err != nil {
			return err
		}
		for _, fd := range all {
			if fd.Kind == store.KindBuiltin {
				f.NotFeeds = append(f.NotFeeds, fd.URL)
			}
		}
		c, err := db.CountItems(a.ctx, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "Would delete %d items published before %s (%s).\n", c.Total, cutoff.Format("2006-01-02"), kept)
		return nil
	}
	n, err := db.Prune(a.ctx, cutoff, *keep)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Deleted %d items published before %s.\n", n, cutoff.Format("2006-01-02"))
	return nil
}

// parseAge reads 180d, 26w, 12h or a Go duration.
func parseAge(s string) (time.Duration, error) {
	var n int
	var unit string
	if _, err := fmt.Sscanf(s, "%d%s", &n, &unit); err == nil && n > 0 {
		switch unit {
		case "d":
			return time.Duration(n) * 24 * time.Hour, nil
		case "w":
			return time.Duration(n) * 7 * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want an age like 180d, 26w or 72h")
	}
	return d, nil
}

// isDir reports whether path is an existing folder.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
