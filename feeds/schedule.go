package feeds

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aiwatch/aiwatch/feeds/fetch"
	"github.com/aiwatch/aiwatch/store"
)

// Adaptive polling. A feed is polled every base interval (its own, from
// `aiwatch feeds set --interval`, else the config file's), adapted to
// the feed within these bounds:
//
//   - its posting rate: with two or more items dated in the last 30 days,
//     half the mean gap between them, so that a post waits at most about
//     half a gap; kept within [base/2, 4×base]. A feed with items, none of
//     them that recent, is polled every 4×base.
//   - what the server asks: Cache-Control max-age (or Expires), RSS <ttl>
//     and sy:updatePeriod/sy:updateFrequency are floors, each honoured up
//     to MaxHint.
//   - a 304 keeps the gap the feed had.
//
// The result is always within [MinPoll, MaxPoll]. Back-off after errors
// is separate (see backoff) and unchanged.
const (
	MinPoll    = time.Minute
	MaxPoll    = 7 * 24 * time.Hour
	MaxHint    = 24 * time.Hour
	recentPost = 30 * 24 * time.Hour
)

// DefaultInterval is the base interval when neither the feed nor the
// options set one.
const DefaultInterval = 30 * time.Minute

// base is a feed's base interval.
func (r *Refresher) base(f store.Feed) time.Duration {
	if f.Interval > 0 {
		return f.Interval
	}
	return r.opts.Interval
}

// NextPoll returns how long after a successful fetch at now the feed is
// due again; items are the document's (or its first part's), resp the
// response.
func NextPoll(f store.Feed, base time.Duration, resp *fetch.Response, items []store.Item, now time.Time) time.Duration {
	next := base
	switch {
	case resp != nil && resp.NotModified:
		if gap := f.NextTry.Sub(f.LastCheck); f.Failures == 0 && !f.NextTry.IsZero() && !f.LastCheck.IsZero() && gap > 0 {
			next = clamp(gap, base/2, 4*base)
		}
	default:
		next = rateInterval(items, base, now)
	}
	if resp != nil {
		if h := min(serverHint(resp, now), MaxHint); h > next {
			next = h
		}
	}
	return clamp(next, MinPoll, MaxPoll)
}

// rateInterval follows the posting rate of items.
func rateInterval(items []store.Item, base time.Duration, now time.Time) time.Duration {
	var oldest, newest time.Time
	n, dated := 0, 0
	for _, it := range items {
		p := it.Published
		if p.IsZero() {
			continue
		}
		dated++
		if now.Sub(p) > recentPost || p.After(now.Add(time.Hour)) {
			continue
		}
		n++
		if oldest.IsZero() || p.Before(oldest) {
			oldest = p
		}
		if p.After(newest) {
			newest = p
		}
	}
	switch {
	case n >= 2 && newest.After(oldest):
		gap := newest.Sub(oldest) / time.Duration(n-1)
		return clamp(gap/2, base/2, 4*base)
	case dated > 0 && n == 0:
		return 4 * base // quiet
	}
	return base
}

func clamp(d, lo, hi time.Duration) time.Duration { return min(max(d, lo), hi) }

var (
	ttlRE       = regexp.MustCompile(`<ttl>\s*(\d{1,7})\s*</ttl>`)
	syPeriodRE  = regexp.MustCompile(`<sy:updatePeriod>\s*(hourly|daily|weekly|monthly|yearly)\s*</sy:updatePeriod>`)
	syFreqRE    = regexp.MustCompile(`<sy:updateFrequency>\s*(\d{1,6})\s*</sy:updateFrequency>`)
	maxAgeRE    = regexp.MustCompile(`(?i)(?:^|[,\s])max-age\s*=\s*"?(\d{1,10})`)
	syPeriods   = map[string]time.Duration{"hourly": time.Hour, "daily": 24 * time.Hour, "weekly": 7 * 24 * time.Hour, "monthly": 30 * 24 * time.Hour, "yearly": 365 * 24 * time.Hour}
	headerBytes = 64 << 10 // the channel's elements come before its items
)

// serverHint is the longest wait the response asks for: its caching
// headers, RSS <ttl> (minutes) or sy:updatePeriod divided by
// sy:updateFrequency; zero when it asks for none.
func serverHint(resp *fetch.Response, now time.Time) time.Duration {
	var hint time.Duration
	if resp.Header != nil {
		hint = cacheHint(resp.Header, now)
	}
	head := resp.Body[:min(len(resp.Body), headerBytes)]
	if i := bytes.Index(head, []byte("<item")); i >= 0 {
		head = head[:i] // the channel's own elements only
	}
	if m := ttlRE.FindSubmatch(head); m != nil {
		if n, err := strconv.Atoi(string(m[1])); err == nil {
			hint = max(hint, time.Duration(n)*time.Minute)
		}
	}
	if m := syPeriodRE.FindSubmatch(head); m != nil {
		period := syPeriods[string(m[1])]
		freq := 1
		if f := syFreqRE.FindSubmatch(head); f != nil {
			if n, err := strconv.Atoi(string(f[1])); err == nil && n > 0 {
				freq = n
			}
		}
		hint = max(hint, period/time.Duration(freq))
	}
	return hint
}

// cacheHint reads Cache-Control max-age, else Expires against Date.
func cacheHint(h http.Header, now time.Time) time.Duration {
	cc := strings.ToLower(h.Get("Cache-Control"))
	if strings.Contains(cc, "no-store") || strings.Contains(cc, "no-cache") {
		return 0
	}
	if m := maxAgeRE.FindStringSubmatch(cc); m != nil {
		if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
			return time.Duration(min(n, int64(MaxPoll/time.Second))) * time.Second
		}
	}
	if exp, err := http.ParseTime(h.Get("Expires")); err == nil {
		ref := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			ref = d
		}
		if exp.After(ref) {
			return exp.Sub(ref)
		}
	}
	return 0
}
