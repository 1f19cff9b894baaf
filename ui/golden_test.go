package ui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/aiwatch/aiwatch/ui/uitest"
)

// TestGolden compares whole screens, styles stripped, with the files in
// testdata/TestGolden. Regenerate them with `go test ./ui -run TestGolden
// -update` and read the diff before committing.
func TestGolden(t *testing.T) {
	scenes := []struct {
		name  string
		keys  []string
		typed string
	}{
		{"start", nil, ""},
		{"firm", []string{"j", "tab", "j"}, ""},
		{"reader-zh", []string{"3", "j", "enter"}, ""},
		{"reader-ar", []string{"3", "j", "j", "enter"}, ""},
		{"long-title", []string{"3", "j", "j", "j"}, ""},
		{"filter-error", []string{"/"}, "biren firm:"},
		{"help", []string{"?"}, ""},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
		for _, sc := range scenes {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], sc.name), func(t *testing.T) {
				m := start(t, testConfig(uitest.New()), size[0], size[1])
				m = press(m, sc.keys...)
				m = typeText(m, sc.typed)
				checkScreen(t, m, size[0], size[1])
				checkIsolates(t, m)
				golden.RequireEqual(t, screen(m))
			})
		}
	}
}
