package badge

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/aiwatch/aiwatch/store"
	"github.com/aiwatch/aiwatch/ui/theme"
)

func TestFor(t *testing.T) {
	confirmed := func(list string) store.Designation {
		return store.Designation{List: list, Status: store.StatusConfirmed}
	}
	tests := []struct {
		name string
		ds   []store.Designation
		want string
	}{
		{"none", nil, ""},
		{"confirmed", []store.Designation{confirmed("entity-list")}, "EL"},
		{"drawing order puts SDN first", []store.Designation{confirmed("fcc-covered"), confirmed("entity-list"), confirmed("sdn")}, "SDN EL FCC"},
		{"affiliate", []store.Designation{{List: "entity-list", Status: store.StatusConfirmed, Affiliate: true}}, "EL*"},
		{"contested", []store.Designation{{List: "1260h", Status: store.StatusContested}}, "1260H?"},
		{"removed shows nothing", []store.Designation{{List: "1260h", Status: store.StatusConfirmed, Removed: "2025-01-06"}}, ""},
		{"direct wins over affiliate", []store.Designation{
			{List: "entity-list", Status: store.StatusConfirmed, Affiliate: true}, confirmed("entity-list")}, "EL"},
		{"unknown list", []store.Designation{confirmed("csl-xyz")}, "CSL-X…"},
	}
	codes := NewCodes(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, b := range For(tt.ds, codes) {
				got = append(got, b.Text())
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("badges = %q, want %q", s, tt.want)
			}
		})
	}
}

func TestNewCodesUsesStoreBadges(t *testing.T) {
	codes := NewCodes([]store.List{{ID: "meu", Badge: "MEU"}, {ID: "csl-dpl", Badge: "DPL"}})
	if got := codes.Code("csl-dpl"); got != "DPL" {
		t.Errorf("Code(csl-dpl) = %q", got)
	}
	if got := codes.Code("entity-list"); got != "EL" {
		t.Errorf("Code(entity-list) = %q", got)
	}
}

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
