package bidi

import (
	"errors"
	"fmt"
	"strings"
)

// Mode says who makes right-to-left text readable: aiwatch (App) or the
// terminal (Terminal). Auto, the zero value, picks one from the
// environment; see Resolve.
type Mode uint8

// The modes, as the display.bidi setting and the --bidi flag spell them:
// auto, app, terminal.
const (
	Auto Mode = iota
	App
	Terminal
)

// ErrMode is returned for a mode that is not auto, app or terminal.
var ErrMode = errors.New("bidi: mode must be auto, app or terminal")

// ParseMode parses "auto", "app" or "terminal" (any case, surrounding
// spaces ignored). The empty string is Auto.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return Auto, nil
	case "app":
		return App, nil
	case "terminal":
		return Terminal, nil
	}
	return Auto, fmt.Errorf("%w, not %q", ErrMode, s)
}

// String returns the mode as ParseMode reads it.
func (m Mode) String() string {
	switch m {
	case App:
		return "app"
	case Terminal:
		return "terminal"
	}
	return "auto"
}

// Set parses s into m, so that a Mode is a flag.Value.
func (m *Mode) Set(s string) error {
	v, err := ParseMode(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// UnmarshalText parses text as ParseMode does, so that a configuration
// file can hold a Mode.
func (m *Mode) UnmarshalText(text []byte) error { return m.Set(string(text)) }

// MarshalText returns the mode as ParseMode reads it.
func (m Mode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// Resolve returns m, or for Auto the mode the environment calls for:
// Terminal only where the terminal is known to apply the bidi algorithm
// and shape Arabic itself (VTE-based terminals, which set VTE_VERSION;
// Konsole, which sets KONSOLE_VERSION; mlterm, which sets MLTERM) and
// aiwatch is not inside tmux or screen, which do neither and stand
// between aiwatch and the terminal. App everywhere else. getenv is
// os.Getenv or a stand-in.
func (m Mode) Resolve(getenv func(string) string) Mode {
	if m != Auto {
		return m
	}
	term := getenv("TERM")
	if getenv("TMUX") != "" || getenv("STY") != "" ||
		strings.HasPrefix(term, "tmux") || strings.HasPrefix(term, "screen") {
		return App
	}
	for _, v := range []string{"VTE_VERSION", "KONSOLE_VERSION", "MLTERM"} {
		if getenv(v) != "" {
			return Terminal
		}
	}
	return App
}
