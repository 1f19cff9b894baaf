package query

import (
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// Format writes f back as a query that Parse reads into the same filter,
// given a Resolver that knows the IDs in f and a `now` in the same location
// as f's times. Times are written as dates when they fall on midnight and
// as RFC 3339 timestamps otherwise; Limit, Offset and IDs are not part of
// the language and are left out.
func Format(f store.Filter) string {
	var terms []string
	add := func(key string, neg bool, vals ...string) {
		for _, v := range vals {
			t := v
			if needsQuotes(v) {
				t = quote(v)
			}
			if key != "" {
				t = key + ":" + t
			}
			if neg {
				t = "-" + t
			}
			terms = append(terms, t)
		}
	}
	add("", false, f.Text...)
	add("", true, f.NotText...)
	add("firm", false, f.Firms...)
	add("firm", true, f.NotFirms...)
	add("alliance", false, f.Alliances...)
	add("alliance", true, f.NotAlliances...)
	add("list", false, f.Lists...)
	add("list", true, f.NotLists...)
	add("lang", false, f.Langs...)
	add("lang", true, f.NotLangs...)
	add("feed", false, f.Feeds...)
	add("feed", true, f.NotFeeds...)
	if !f.Since.IsZero() {
		add("since", false, formatTime(f.Since, false))
	}
	if !f.Until.IsZero() {
		add("until", false, formatTime(f.Until, true))
	}
	for _, s := range []struct {
		v        store.Tristate
		yes, not string
	}{
		{f.Unread, "unread", "read"},
		{f.Starred, "starred", "unstarred"},
		{f.Sanctions, "sanctions", ""},
	} {
		switch {
		case s.v == store.Yes:
			add("is", false, s.yes)
		case s.v == store.No && s.not != "":
			add("is", false, s.not)
		case s.v == store.No:
			add("is", true, s.yes)
		}
	}
	return strings.Join(terms, " ")
}

// formatTime writes a since: or until: bound. An until: date names the
// whole day, so a midnight bound is written as the day before.
func formatTime(t time.Time, until bool) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		if until {
			t = t.AddDate(0, 0, -1)
		}
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339Nano)
}
