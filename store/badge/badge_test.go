package badge

import (
	"strings"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

func TestFor(t *testing.T) {
	confirmed := func(list string) store.Designation {
		return store.Designation{List: list, Status: store.StatusConfirmed}
	}
	affiliate := func(list string) store.Designation {
		return store.Designation{List: list, Status: store.StatusConfirmed, Affiliate: true}
	}
	contested := func(list string) store.Designation {
		return store.Designation{List: list, Status: store.StatusContested}
	}
	tests := []struct {
		name string
		ds   []store.Designation
		want string
	}{
		{"none", nil, ""},
		{"confirmed", []store.Designation{confirmed("entity-list")}, "EL"},
		{"drawing order puts SDN first", []store.Designation{confirmed("fcc-covered"), confirmed("entity-list"), confirmed("sdn")}, "SDN EL FCC"},
		{"affiliate", []store.Designation{affiliate("entity-list")}, "EL*"},
		{"contested", []store.Designation{contested("1260h")}, "1260H?"},
		{"removed shows nothing", []store.Designation{{List: "1260h", Status: store.StatusConfirmed, Removed: "2025-01-06"}}, ""},
		{"direct wins over affiliate", []store.Designation{affiliate("entity-list"), confirmed("entity-list")}, "EL"},
		{"direct wins over contested", []store.Designation{contested("entity-list"), confirmed("entity-list")}, "EL"},
		{"affiliate wins over contested: never EL* and EL?", []store.Designation{contested("entity-list"), affiliate("entity-list")}, "EL*"},
		{"contested affiliate is contested", []store.Designation{{List: "meu", Status: store.StatusContested, Affiliate: true}}, "MEU?"},
		{"unknown status is not a listing", []store.Designation{{List: "meu", Status: "unconfirmed"}}, "MEU?"},
		{"unknown lists after known ones", []store.Designation{confirmed("csl-xyz"), confirmed("uflpa")}, "UFLPA CSL-X…"},
		{"escape sequences in a list ID are dropped", []store.Designation{confirmed("a\x1b[31mb")}, "AB"},
	}
	codes := NewCodes(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := strings.Join(Texts(For(tt.ds, codes)), " "); s != tt.want {
				t.Errorf("badges = %q, want %q", s, tt.want)
			}
		})
	}
}

func TestNewCodesUsesStoreBadges(t *testing.T) {
	codes := NewCodes([]store.List{{ID: "meu", Badge: "MEU"}, {ID: "csl-dpl", Badge: "DPL"}, {ID: "x", Badge: "\x1b]0;evil\x07X"}})
	for list, want := range map[string]string{"csl-dpl": "DPL", "entity-list": "EL", "x": "X"} {
		if got := codes.Code(list); got != want {
			t.Errorf("Code(%s) = %q, want %q", list, got, want)
		}
	}
}
