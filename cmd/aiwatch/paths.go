package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/store/postgres"
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

// storeLocation is where the store is: --db, else $AIWATCH_DB, else the
// config file's store.dsn, else the default file (storePath). The first
// two may be a file or a postgres:// address, told apart by
// postgres.IsDSN alone.
func storeLocation(flagValue string, getenv func(string) string, configDSN string) (string, error) {
	if flagValue == "" && getenv("AIWATCH_DB") == "" && configDSN != "" {
		return configDSN, nil
	}
	return storePath(flagValue, getenv)
}

// userName is whose marks, watch list, alerts and views a team store
// keeps: the config file's user:, else $AIWATCH_USER, else the login name.
func userName(configUser string, getenv func(string) string) string {
	if configUser != "" {
		return configUser
	}
	if u := strings.TrimSpace(getenv("AIWATCH_USER")); u != "" {
		return u
	}
	return postgres.DefaultUser()
}

// logPath is the file the dashboard and background jobs log to: beside a
// store file, else (a store on a server) $XDG_STATE_HOME/aiwatch, else
// ~/.local/state/aiwatch, made if need be. "" when there is nowhere.
func logPath(db store.Backend, getenv func(string) string) string {
	if p := db.Path(); p != "" {
		return filepath.Join(filepath.Dir(p), "aiwatch.log")
	}
	var dir string
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		dir = filepath.Join(d, "aiwatch")
	} else if home := getenv("HOME"); home != "" && filepath.IsAbs(home) {
		dir = filepath.Join(home, ".local", "state", "aiwatch")
	} else {
		return ""
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ""
	}
	return filepath.Join(dir, "aiwatch.log")
}

// openLog opens the log file for appending; nil when there is none.
func openLog(db store.Backend, getenv func(string) string) *os.File {
	p := logPath(db, getenv)
	if p == "" {
		return nil
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil
	}
	return f
}
