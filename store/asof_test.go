package store

import (
	"reflect"
	"testing"
)

func TestNoneFound(t *testing.T) {
	lists := []List{
		{ID: "entity-list", AsOf: "2026-12-01"}, {ID: "meu", AsOf: "2026-12-01"}, {ID: "sdn", AsOf: "2026-12-01"},
		{ID: "1260h"}, {ID: "uflpa", AsOf: "2026-01-05"}, {ID: "fcc-covered", AsOf: "2026-07-01"},
	}
	f := Firm{NoneFoundAsOf: "2026-06-17", Designations: []Designation{{List: "meu", Removed: "2026-11-01"}}}
	var got [][]string
	for _, g := range NoneFound(f, lists) {
		ids := []string{g.AsOf}
		for _, l := range g.Lists {
			ids = append(ids, l.ID)
		}
		got = append(got, ids)
	}
	want := [][]string{
		{"2026-12-01", "entity-list", "sdn"},
		{"2026-07-01", "fcc-covered"},
		{"2026-06-17", "1260h", "uflpa"}, // the reference check is later than uflpa's own file
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NoneFound = %v, want %v", got, want)
	}
}

// TestCheckedAsOfUserFirm: a list file no newer than the day the user
// added a firm was never matched against it.
func TestCheckedAsOfUserFirm(t *testing.T) {
	f := Firm{ID: "unitree", Added: "2026-12-04"}
	for _, tc := range []struct{ asOf, want string }{
		{"", ""},
		{"2026-12-01", ""},
		{"2026-12-04", ""},
		{"2026-12-05", "2026-12-05"},
	} {
		if got := CheckedAsOf(f, List{ID: "entity-list", AsOf: tc.asOf}); got != tc.want {
			t.Errorf("list as of %q: CheckedAsOf = %q, want %q", tc.asOf, got, tc.want)
		}
	}
	if got := CheckedAsOf(Firm{ID: "huawei", NoneFoundAsOf: "2026-06-17"}, List{AsOf: "2026-12-01"}); got != "2026-12-01" {
		t.Errorf("a reference firm: %q", got)
	}
}
