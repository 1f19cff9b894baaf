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
