package store

import (
	"slices"
	"strings"
	"time"
)

// What both backends build alike from the rows they read.

// JoinAlliances hands each alliance of as (in place) its members, its
// aliases and its logged joins and leaves, each list in the order given;
// rows of alliances not in as are left out.
func JoinAlliances(as []Alliance, members []Membership, aliases []Alias, events []MembershipEvent) {
	idx := make(map[string]int, len(as))
	for i, a := range as {
		idx[a.ID] = i
	}
	for _, m := range members {
		if i, ok := idx[m.Alliance]; ok {
			as[i].Members = append(as[i].Members, m)
		}
	}
	for _, al := range aliases {
		if i, ok := idx[al.Entity]; ok && al.Kind == KindAlliance {
			as[i].Aliases = append(as[i].Aliases, al)
		}
	}
	for _, e := range events {
		if i, ok := idx[e.Alliance]; ok {
			as[i].Events = append(as[i].Events, e)
		}
	}
}

// ItemAlerts are the alerts of watch entry w for items, the items that
// its Filter matched, oldest (lowest ID) first. An alert names the first
// of w's firms that the item names, else the item's first firm.
func ItemAlerts(w WatchMatch, items []Item, now time.Time) []Alert {
	slices.SortFunc(items, func(a, b Item) int { return int(a.ID - b.ID) })
	out := make([]Alert, 0, len(items))
	for _, it := range items {
		firm := ""
		for _, id := range w.Firms {
			if slices.Contains(it.Firms, id) {
				firm = id
				break
			}
		}
		if firm == "" && len(it.Firms) > 0 {
			firm = it.Firms[0]
		}
		detail := CleanLine(it.FeedTitle, 80)
		if !it.Published.IsZero() {
			detail = strings.TrimPrefix(detail+" · "+it.Published.UTC().Format("2006-01-02"), " · ")
		}
		out = append(out, Alert{At: now, Kind: AlertItem, WatchID: w.Watch.ID, Watch: w.Watch.String(),
			Firm: firm, ItemID: it.ID, Title: CleanLine(it.Title, 300), Detail: detail})
	}
	return out
}
