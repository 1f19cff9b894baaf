// Package noprobe keeps colour detection from running a subprocess while
// the program starts.
//
// Inside tmux, colorprofile.Detect runs "tmux info" to learn whether the
// terminal takes 24-bit colour. lipgloss calls it from a package variable
// (lipgloss.Writer, which aiwatch never uses), so every start of aiwatch
// in tmux would wait on a subprocess before main runs. This package's
// init hides $TMUX until main calls Restore. Go initialises the package
// with the smallest import path first among those whose imports are done
// (the Go spec, "Package initialization"): this one imports only os, and
// its path sorts before github.com/charmbracelet/colorprofile, which
// lipgloss imports and which imports os too, so this init always runs
// before lipgloss's. The dashboard detects the profile itself, after its
// first frame (cmd/aiwatch/dashboard.go).
package noprobe

import "os"

var tmux, hidden = os.LookupEnv("TMUX")

func init() {
	if hidden {
		os.Unsetenv("TMUX")
	}
}

// Restore puts $TMUX back as it was. Call it first thing in main.
func Restore() {
	if hidden {
		os.Setenv("TMUX", tmux)
		hidden = false
	}
}
