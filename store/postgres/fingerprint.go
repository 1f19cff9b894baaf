// The write path's conversions: times to and from unix seconds, and text
// as PostgreSQL takes it. An item's fingerprint and story keys are
// store.ItemHash, store.LinkKey and store.TitleKey, as on SQLite, so that
// items moved from a personal store keep comparable ones.

package postgres

import (
	"strings"
	"time"
	"unicode/utf8"
)

// unixOrZero is t in unix seconds, 0 for the zero time.
func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// timeOrZero is unixOrZero's inverse.
func timeOrZero(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// pgText returns s as PostgreSQL's TEXT takes it: valid UTF-8 without NUL
// bytes, which SQLite stores and PostgreSQL refuses. Feed text is hostile,
// and one such byte must not keep a whole feed out of the store.
func pgText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
