package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// storePath resolves the store's location: --db, else $AIWATCH_DB, else
// $XDG_DATA_HOME/aiwatch/aiwatch.db, else ~/.local/share/aiwatch/aiwatch.db.
func storePath(flagValue string, getenv func(string) string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if p := getenv("AIWATCH_DB"); p != "" {
		return p, nil
	}
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "aiwatch", "aiwatch.db"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("cannot find a place for the store: $HOME is not set; use --db PATH or set AIWATCH_DB")
	}
	if fi, err := os.Stat(home); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("cannot find a place for the store: the home directory %s does not exist; use --db PATH or set AIWATCH_DB", home)
	}
	return filepath.Join(home, ".local", "share", "aiwatch", "aiwatch.db"), nil
}
