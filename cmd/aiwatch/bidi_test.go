package main

import (
	"strings"
	"testing"
)

// TestBidiFlag: --bidi takes auto, app or terminal before the command,
// and anything else is a usage error that names the choices.
func TestBidiFlag(t *testing.T) {
	db := newStore(t)
	for _, mode := range []string{"auto", "app", "terminal"} {
		if r := runCLI(t, db, "", "--bidi", mode, "version"); r.code != 0 {
			t.Errorf("--bidi %s: exit %d, %s", mode, r.code, r.stderr)
		}
	}
	r := runCLI(t, db, "", "--bidi", "sideways", "version")
	if r.code != 2 || !strings.Contains(r.stderr, "auto, app or terminal") {
		t.Errorf("--bidi sideways: exit %d, stderr %q", r.code, r.stderr)
	}
}
