package store

import (
	"reflect"
	"testing"
	"time"
)

// TestFilterEqual changes one field at a time, found by reflection so
// that a field added to Filter and forgotten by Equal fails here.
func TestFilterEqual(t *testing.T) {
	base := Filter{
		Text: []string{"chip"}, NotText: []string{"rumour"},
		Firms: []string{"huawei"}, NotFirms: []string{"biren"},
		Alliances: []string{"modelchip"}, NotAlliances: []string{"gcc"},
		Lists: []string{"el"}, NotLists: []string{"sdn"},
		Langs: []string{"zh"}, NotLangs: []string{"ar"},
		Feeds: []string{"xinhua"}, NotFeeds: []string{"7"},
		Since: time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC), Until: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		Unread: Yes, Starred: No, Sanctions: Yes,
		IDs:   []int64{1, 2},
		Limit: 50, Offset: 100,
	}
	if !base.Equal(base) {
		t.Fatal("a filter is not equal to itself")
	}
	clone := base
	clone.Firms = append([]string(nil), base.Firms...)
	if !base.Equal(clone) {
		t.Error("a filter is not equal to a copy with its own slices")
	}

	v := reflect.ValueOf(&base).Elem()
	for i := range v.NumField() {
		field := v.Type().Field(i)
		t.Run(field.Name, func(t *testing.T) {
			other := base
			o := reflect.ValueOf(&other).Elem().Field(i)
			switch x := o.Addr().Interface().(type) {
			case *[]string:
				*x = append(append([]string(nil), *x...), "more")
			case *[]int64:
				*x = append(append([]int64(nil), *x...), 3)
			case *time.Time:
				*x = x.Add(time.Second)
			case *Tristate:
				*x = (*x + 1) % 3
			case *int:
				*x++
			case *bool:
				*x = !*x
			default:
				t.Fatalf("the test does not know how to change a %s; teach it, and Equal", field.Type)
			}
			if base.Equal(other) || other.Equal(base) {
				t.Errorf("filters that differ in %s are equal", field.Name)
			}
		})
	}
}

func TestFilterEqualEmptyAndNil(t *testing.T) {
	tests := []struct {
		name string
		a, b Filter
		want bool
	}{
		{"zero filters", Filter{}, Filter{}, true},
		{"nil and empty text are one condition", Filter{Text: nil}, Filter{Text: []string{}}, true},
		{"nil IDs restrict nothing, empty IDs match nothing", Filter{IDs: nil}, Filter{IDs: []int64{}}, false},
		{"order of words counts", Filter{Text: []string{"a", "b"}}, Filter{Text: []string{"b", "a"}}, false},
		{"one instant in two zones",
			Filter{Since: time.Date(2025, 3, 7, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))},
			Filter{Since: time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC)}, true},
		{"zero time and a time", Filter{}, Filter{Until: time.Unix(0, 0)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Equal(tt.b); got != tt.want {
				t.Errorf("Equal = %v, want %v", got, tt.want)
			}
			if got := tt.b.Equal(tt.a); got != tt.want {
				t.Errorf("Equal the other way = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFilterAnd(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 11, day, 0, 0, 0, 0, time.UTC) }
	f := Filter{Firms: []string{"huawei"}, Since: d(1), Until: d(20), Unread: Yes, Text: []string{"chip"}}
	g := Filter{Firms: []string{"biren"}, Since: d(5), Until: d(25), Unread: No, Starred: Yes, IDs: []int64{7}}
	h := f.And(g)
	want := Filter{Firms: []string{"huawei", "biren"}, Since: d(5), Until: d(20), Unread: Yes, Starred: Yes, Text: []string{"chip"}, IDs: []int64{7}}
	if !h.Equal(want) {
		t.Errorf("And = %+v\nwant  %+v", h, want)
	}
	if len(f.Firms) != 1 {
		t.Errorf("And changed its receiver: %+v", f.Firms)
	}
	if got := (Filter{}).And(Filter{Until: d(3)}); !got.Until.Equal(d(3)) || got.IDs != nil {
		t.Errorf("an empty filter and an Until: %+v", got)
	}
}

func TestFilterCounterKey(t *testing.T) {
	tests := []struct {
		name   string
		f      Filter
		kind   EntityKind
		entity string
		ok     bool
	}{
		{"all items", Filter{}, "", "", true},
		{"all unread, a page of them, capped", Filter{Unread: Yes, Limit: 50, Offset: 10, CountUpTo: 1000}, "", "", true},
		{"one firm", Filter{Firms: []string{"huawei"}}, KindFirm, "huawei", true},
		{"one alliance, unread", Filter{Alliances: []string{"model-chip"}, Unread: Yes}, KindAlliance, "model-chip", true},
		{"read items are not counted", Filter{Unread: No}, "", "", false},
		{"two firms", Filter{Firms: []string{"huawei", "biren"}}, "", "", false},
		{"a firm and an alliance", Filter{Firms: []string{"huawei"}, Alliances: []string{"model-chip"}}, "", "", false},
		{"a firm and a search", Filter{Firms: []string{"huawei"}, Text: []string{"华为"}}, KindFirm, "huawei", false},
		{"no item", Filter{IDs: []int64{}}, "", "", false},
		{"every copy", Filter{AllCopies: true}, "", "", false},
	}
	for _, tc := range tests {
		kind, entity, ok := tc.f.CounterKey()
		if ok != tc.ok || (ok && (kind != tc.kind || entity != tc.entity)) {
			t.Errorf("%s: CounterKey = %q, %q, %v; want %q, %q, %v", tc.name, kind, entity, ok, tc.kind, tc.entity, tc.ok)
		}
	}
}
