package query

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxAge caps the number in a relative time so that the arithmetic cannot
// overflow: 100000 hours is over eleven years, 100000 years is plenty.
const maxAge = 100000

// parseTime reads a since:/until: value. It returns the start and the end
// of the period the value names: for an age or a timestamp both are the
// same instant; for a date they are the start of that day and of the next.
func parseTime(v string, now time.Time) (lo, hi time.Time, err error) {
	if v == "" {
		return lo, hi, errors.New("empty")
	}
	digits := 0
	for digits < len(v) && v[digits] >= '0' && v[digits] <= '9' {
		digits++
	}
	if digits == len(v) {
		return lo, hi, errors.New("missing unit: use an age such as 7d or a date such as 2025-07-01")
	}
	if unit := v[digits:]; digits > 0 && isLetters(unit) {
		n, err := strconv.Atoi(v[:digits])
		if err != nil || n > maxAge {
			return lo, hi, errors.New("number too large")
		}
		t, err := ago(now, n, unit)
		if err == nil && t.Year() < 1 {
			err = errors.New("too far back")
		}
		return t, t, err
	}
	loc := now.Location()
	if t, err := time.ParseInLocation("2006-01-02", v, loc); err == nil {
		return t, t.AddDate(0, 0, 1), nil
	}
	if t, err := time.ParseInLocation("2006-01", v, loc); err == nil {
		return t, t.AddDate(0, 1, 0), nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		t = t.In(loc) // keep every bound in one location, so Format reads it back
		return t, t, nil
	}
	return lo, hi, errors.New("want an age such as 24h, 7d, 2w, 3mo, 1y or a date such as 2025-07-01")
}

func ago(now time.Time, n int, unit string) (time.Time, error) {
	switch strings.ToLower(unit) {
	case "h":
		return now.Add(-time.Duration(n) * time.Hour), nil
	case "d":
		return now.AddDate(0, 0, -n), nil
	case "w":
		return now.AddDate(0, 0, -7*n), nil
	case "mo":
		return now.AddDate(0, -n, 0), nil
	case "y":
		return now.AddDate(-n, 0, 0), nil
	case "m":
		return time.Time{}, errors.New(`"m" is ambiguous: use "mo" for months or "h" for hours`)
	}
	return time.Time{}, errors.New("unknown unit " + strconv.Quote(unit) + " (use h, d, w, mo or y)")
}

// canonicalLang checks that s looks like a BCP 47 tag and writes it in the
// usual case: language lower, script title, region upper (zh-hant → zh-Hant).
func canonicalLang(s string) (string, bool) {
	parts := strings.Split(s, "-")
	for i, p := range parts {
		if len(p) == 0 || len(p) > 8 {
			return "", false
		}
		for j := 0; j < len(p); j++ {
			c := p[j]
			isLetter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
			isDigit := c >= '0' && c <= '9'
			if !isLetter && !(isDigit && i > 0) {
				return "", false
			}
		}
		switch {
		case i == 0:
			if len(p) < 2 || len(p) > 3 {
				return "", false
			}
			parts[i] = strings.ToLower(p)
		case len(p) == 4 && !isDigitStart(p):
			parts[i] = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		case len(p) == 2:
			parts[i] = strings.ToUpper(p)
		default:
			parts[i] = strings.ToLower(p)
		}
	}
	return strings.Join(parts, "-"), true
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func isDigitStart(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// needsQuotes reports whether s must be quoted to read back as one value.
func needsQuotes(s string) bool {
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	if isMinus(r) || closingQuote(r) != 0 {
		return true
	}
	for _, r := range s {
		if isSpace(r) || isColon(r) || r == '"' || r == '“' || r == '”' || r == '\\' {
			return true
		}
	}
	return false
}

// quote writes s in ASCII quotes, escaping quotes and backslashes.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}
