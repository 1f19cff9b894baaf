package badge

import (
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/theme"
)

func TestRenderFits(t *testing.T) {
	bs := For([]store.Designation{
		{List: "entity-list", Status: store.StatusConfirmed},
		{List: "ns-cmic", Status: store.StatusConfirmed},
		{List: "1260h", Status: store.StatusConfirmed},
		{List: "fcc-covered", Status: store.StatusConfirmed},
	}, NewCodes(nil))
	th := theme.New(true, true)
	tests := []struct {
		w    int
		want string
	}{
		{40, "EL CMIC 1260H FCC"},
		{14, "EL CMIC +2"},
		{4, "+4"},
	}
	for _, tt := range tests {
		got := Render(th, bs, tt.w, false)
		if got != tt.want {
			t.Errorf("Render(w=%d) = %q, want %q", tt.w, got, tt.want)
		}
		if ansi.StringWidth(Render(th, bs, tt.w, true)) > tt.w {
			t.Errorf("styled Render(w=%d) is too wide", tt.w)
		}
	}
}
