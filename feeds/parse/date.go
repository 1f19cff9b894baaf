package parse

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ChinaTime is China Standard Time, UTC+8, without a tz database lookup.
var ChinaTime = time.FixedZone("CST", 8*3600)

// Layouts with a numeric zone, after normalizeZone, most common first.
var zonedLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"Mon, 2 January 2006 15:04:05 -0700",
	"Monday, 2 January 2006 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Monday, 02-Jan-06 15:04:05 -0700",
	"Mon Jan 2 15:04:05 -0700 2006",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04 -0700",
	"Mon Jan 02 2006 15:04:05 -0700",
}

// Layouts without a zone, read in the caller's location.
var localLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006/01/02",
	"2006.01.02 15:04",
	"2006.01.02",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15:04",
	"Mon, 2 Jan 2006",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 Jan 2006",
	"2 January 2006 15:04",
	"2 January 2006",
	"Monday, January 2, 2006 3:04 PM",
	"Monday, January 2, 2006 3:04:05 PM",
	"Monday, January 2, 2006 15:04",
	"Monday, January 2, 2006",
	"Monday, 2 January 2006",
	"January 2, 2006 3:04 PM",
	"January 2, 2006 3:04:05 PM",
	"January 2, 2006 15:04",
	"January 2, 2006",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006 15:04",
	"Jan 2, 2006",
	"Mon Jan 2 15:04:05 2006",
	"2006-01",
}

// Layouts without a year, as list pages print recent dates.
var yearlessLayouts = []string{
	"01-02 15:04",
	"01-02",
	"01/02 15:04",
	"Jan 2 15:04",
	"Jan 2",
}

var (
	spaceRun = regexp.MustCompile(`\s+`)
	// "GMT+8", "UTC+08:00", "GMT-0500": feeds mean UTC+8 here, not the
	// POSIX Etc/GMT+8 (which is UTC-8).
	gmtOffset = regexp.MustCompile(`(?i)\s*\b(?:GMT|UTC|UT)\s*([+-])(\d{1,2})(?::?(\d{2}))?$`)
	// "GMT-0700 (MST)": a trailing parenthesised zone name adds nothing.
	zoneComment = regexp.MustCompile(`\s*\([A-Za-z ]{1,40}\)$`)
	cjkDate     = regexp.MustCompile(`^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(?:星期|周)[一二三四五六日天])?(?:\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})\s*秒?)?)?$`)
	relDate     = regexp.MustCompile(`(?i)^(\d{1,4})\s*(秒|秒钟|分钟|分|小时|个小时|天|日|周|星期|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s*(?:前|ago)$`)
	dayWord     = regexp.MustCompile(`(?i)^(今天|昨天|前天|today|yesterday)\s*(?:(\d{1,2})[:：](\d{2}))?$`)
)

// zoneOffsets maps the zone abbreviations feeds use to offsets in hours.
// CST is missing: it depends on the feed (see normalizeZone).
var zoneOffsets = map[string]float64{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
	"BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
	"IST": 5.5, "HKT": 8, "SGT": 8, "AWST": 8, "JST": 9, "KST": 9,
	"AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}

// ParseDate reads a date as feeds and list pages write it: RFC 822/1123
// (one-digit days and hours, wrong weekdays, named zones), RFC 3339 and
// W3C-DTF at any precision, SQL-style, long English forms, Chinese
// 2025年7月26日 forms, dates without a year, and relative dates such as
// "3小时前" or "2 hours ago" (relative to now). "GMT+8" means UTC+8. A date
// without a zone is read in loc; "CST" is China Standard Time when loc is
// UTC+8 and US Central otherwise. Out-of-range fields fail rather than
// wrap around.
func ParseDate(s string, loc *time.Location, now time.Time) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 128 {
		return time.Time{}, false
	}
	if needsSpaceFix(s) {
		s = spaceRun.ReplaceAllString(s, " ")
	}
	if loc == nil {
		loc = time.UTC
	}
	if t, ok := parseCJK(s, loc, now); ok {
		return t, true
	}
	if t, ok := parseRelative(s, loc, now); ok {
		return t, true
	}
	s = normalizeZone(s, loc, now)
	for _, layout := range zonedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return valid(t)
		}
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return valid(t)
		}
	}
	for _, layout := range yearlessLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return withYear(t, loc, now)
		}
	}
	return time.Time{}, false
}

// needsSpaceFix reports whether s has whitespace other than single spaces.
func needsSpaceFix(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\t', '\n', '\r', '\v', '\f':
			return true
		case ' ':
			if i+1 < len(s) && s[i+1] == ' ' {
				return true
			}
		case 0xc2, 0xe3: // NBSP, ideographic space
			return true
		}
	}
	return false
}

func valid(t time.Time) (time.Time, bool) {
	if t.Year() < 1970 || t.Year() > 9999 {
		return time.Time{}, false
	}
	return t, true
}

// withYear gives a yearless date the year that puts it closest before
// now, allowing two days for clocks and zones.
func withYear(t time.Time, loc *time.Location, now time.Time) (time.Time, bool) {
	y := now.In(loc).Year()
	d := time.Date(y, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
	if d.After(now.Add(48 * time.Hour)) {
		d = time.Date(y-1, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
	}
	if d.Day() != t.Day() { // 29 February in a year that has none
		return time.Time{}, false
	}
	return d, true
}

// normalizeZone rewrites a trailing zone written as a name or as
// "GMT+8" into a numeric offset the layouts understand.
func normalizeZone(s string, loc *time.Location, now time.Time) string {
	if strings.HasSuffix(s, ")") {
		s = zoneComment.ReplaceAllString(s, "")
	}
	if strings.Contains(s, "GMT") || strings.Contains(s, "UT") || strings.Contains(s, "gmt") || strings.Contains(s, "ut") {
		if m := gmtOffset.FindStringSubmatchIndex(s); m != nil {
			sign, hh := s[m[2]:m[3]], s[m[4]:m[5]]
			mm := "00"
			if m[6] >= 0 {
				mm = s[m[6]:m[7]]
			}
			if len(hh) == 1 {
				hh = "0" + hh
			}
			return s[:m[0]] + " " + sign + hh + mm
		}
	}
	// A trailing zone name: the last word, one to five letters.
	sp := strings.LastIndexByte(s, ' ')
	if sp < 0 || len(s)-sp-1 > 5 {
		return s
	}
	name := strings.ToUpper(s[sp+1:])
	for i := 0; i < len(name); i++ {
		if name[i] < 'A' || name[i] > 'Z' {
			return s
		}
	}
	hours, ok := zoneOffsets[name]
	if name == "CST" {
		hours, ok = -6, true
		if _, off := now.In(loc).Zone(); off == 8*3600 {
			hours = 8
		}
	}
	if !ok {
		return s
	}
	sign := "+"
	if hours < 0 {
		sign, hours = "-", -hours
	}
	mins := int(hours*60 + 0.5)
	return s[:sp] + " " + sign + pad2(mins/60) + pad2(mins%60)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func parseCJK(s string, loc *time.Location, now time.Time) (time.Time, bool) {
	if !strings.Contains(s, "月") {
		return time.Time{}, false
	}
	m := cjkDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	month, day, hour, minute, sec := n(2), n(3), n(4), n(5), n(6)
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	if m[1] == "" {
		return withYear(time.Date(2000, time.Month(month), day, hour, minute, sec, 0, loc), loc, now)
	}
	t := time.Date(n(1), time.Month(month), day, hour, minute, sec, 0, loc)
	if t.Day() != day {
		return time.Time{}, false
	}
	return valid(t)
}

func parseRelative(s string, loc *time.Location, now time.Time) (time.Time, bool) {
	if !mayBeRelative(s) {
		return time.Time{}, false
	}
	switch strings.ToLower(s) {
	case "刚刚", "just now", "now":
		return now, true
	}
	if m := relDate.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		unit := strings.ToLower(m[2])
		var d time.Duration
		switch {
		case strings.HasPrefix(unit, "秒"), strings.HasPrefix(unit, "sec"):
			d = time.Second
		case strings.HasPrefix(unit, "分"), strings.HasPrefix(unit, "min"):
			d = time.Minute
		case strings.Contains(unit, "小时"), strings.HasPrefix(unit, "h"):
			d = time.Hour
		case unit == "天" || unit == "日" || strings.HasPrefix(unit, "day"):
			d = 24 * time.Hour
		default:
			d = 7 * 24 * time.Hour
		}
		return now.Add(-time.Duration(n) * d), true
	}
	if m := dayWord.FindStringSubmatch(s); m != nil {
		back := 0
		switch strings.ToLower(m[1]) {
		case "昨天", "yesterday":
			back = 1
		case "前天":
			back = 2
		}
		y, mo, d := now.In(loc).AddDate(0, 0, -back).Date()
		hour, minute := 0, 0
		if m[2] != "" {
			hour, _ = strconv.Atoi(m[2])
			minute, _ = strconv.Atoi(m[3])
			if hour > 23 || minute > 59 {
				return time.Time{}, false
			}
		}
		return time.Date(y, mo, d, hour, minute, 0, 0, loc), true
	}
	return time.Time{}, false
}

// mayBeRelative is a cheap test that keeps dates that cannot be relative
// away from the regular expressions.
func mayBeRelative(s string) bool {
	if strings.HasSuffix(s, "前") || strings.HasPrefix(s, "今天") || strings.HasPrefix(s, "昨天") || strings.HasPrefix(s, "前天") || s == "刚刚" {
		return true
	}
	if len(s) > 24 {
		return false
	}
	l := strings.ToLower(s)
	return strings.HasSuffix(l, "ago") || strings.HasSuffix(l, "now") || strings.HasPrefix(l, "today") || strings.HasPrefix(l, "yesterday")
}

// dateReader reads the dates of one document. Its zone for zoneless dates
// comes from the document's other dates, which also decides what "CST"
// means: the most common explicit offset, else China time for a Chinese
// feed, else UTC.
type dateReader struct {
	loc   *time.Location
	now   time.Time
	zoned map[string]time.Time // dates with a numeric zone, read once
}

func newDateReader(raws []string, lang string, now time.Time) *dateReader {
	r := &dateReader{now: now, zoned: make(map[string]time.Time)}
	counts := map[int]int{}
	best, bestN := 0, 0
	for _, raw := range raws {
		raw = strings.TrimSpace(raw)
		if !hasNumericZone(raw) {
			continue
		}
		t, ok := r.zoned[raw]
		if !ok {
			if t, ok = ParseDate(raw, time.UTC, now); !ok {
				continue
			}
			r.zoned[raw] = t
		}
		_, off := t.Zone()
		counts[off]++
		if counts[off] > bestN {
			best, bestN = off, counts[off]
		}
	}
	switch {
	case bestN > 0 && best == 8*3600:
		r.loc = ChinaTime
	case bestN > 0:
		r.loc = time.FixedZone("", best)
	case strings.HasPrefix(strings.ToLower(lang), "zh"):
		r.loc = ChinaTime
	default:
		r.loc = time.UTC
	}
	return r
}

// read prefers our reading of a date, which knows "GMT+8", Chinese forms
// and the document's zone, and falls back to gofeed's for layouts we do
// not know, unless the zone is one gofeed is known to misread.
func (r *dateReader) read(raw string, parsed *time.Time) time.Time {
	if t, ok := r.zoned[strings.TrimSpace(raw)]; ok {
		return t
	}
	if t, ok := ParseDate(raw, r.loc, r.now); ok {
		return t
	}
	if parsed != nil && !gmtOffset.MatchString(raw) && !strings.Contains(raw, "CST") {
		if t, ok := valid(*parsed); ok {
			return t
		}
	}
	return time.Time{}
}

// hasNumericZone reports whether s ends in "Z" or a numeric offset
// (+08:00, -0500).
func hasNumericZone(s string) bool {
	n := len(s)
	switch {
	case n > 0 && s[n-1] == 'Z':
		return true
	case n >= 6 && (s[n-6] == '+' || s[n-6] == '-') && s[n-3] == ':':
		return digits(s[n-5:n-3]) && digits(s[n-2:])
	case n >= 5 && (s[n-5] == '+' || s[n-5] == '-'):
		return digits(s[n-4:])
	}
	return false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
