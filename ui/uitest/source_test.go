package uitest

import (
	"context"
	"testing"

	"github.com/aiwatch/aiwatch/store"
)

func TestMentionsAndFilters(t *testing.T) {
	s := New()
	ctx := context.Background()
	all, err := s.Items(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range all {
		for _, m := range it.Mentions {
			text := it.Title
			if m.Field == store.FieldSummary {
				text = it.Summary
			}
			if text[m.Start:m.End] != m.Alias {
				t.Errorf("item %d: mention %q at %d:%d reads %q", it.ID, m.Alias, m.Start, m.End, text[m.Start:m.End])
			}
		}
	}
	tests := []struct {
		name string
		f    store.Filter
		want func(store.Item) bool
	}{
		{"firm", store.Filter{Firms: []string{"biren"}}, func(it store.Item) bool { return contains(it.Firms, "biren") }},
		{"unread", store.Filter{Unread: store.Yes}, func(it store.Item) bool { return !it.Read }},
		{"text", store.Filter{Text: []string{"华为"}}, nil},
		{"alliance includes members", store.Filter{Alliances: []string{ShanghaiGCC}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Items(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatal("no items")
			}
			c, _ := s.CountItems(ctx, tt.f)
			if c.Total != len(got) {
				t.Errorf("CountItems = %d, Items returned %d", c.Total, len(got))
			}
			for _, it := range got {
				if tt.want != nil && !tt.want(it) {
					t.Errorf("item %d does not match", it.ID)
				}
			}
			page, _ := s.Items(ctx, store.Filter{Firms: tt.f.Firms, Unread: tt.f.Unread, Text: tt.f.Text, Alliances: tt.f.Alliances, Limit: 2, Offset: 1})
			if len(got) > 2 && (len(page) != 2 || page[0].ID != got[1].ID) {
				t.Errorf("limit/offset page = %v", page)
			}
		})
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
