package store

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MentionJSON is one match as every store keeps it beside a tag (the
// mentions column of item_tags): a JSON array of these.
type MentionJSON struct {
	Alias string `json:"alias"`
	Field string `json:"field"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// MentionsJSON returns the JSON array of ms's mentions of one entity, as
// encoding/json would write []MentionJSON, or "" when there are none. It
// is written by hand since every saved tag needs one.
func MentionsJSON(ms []Mention, kind EntityKind, entity string) string {
	var b []byte
	for _, m := range ms {
		if m.Kind != kind || m.Entity != entity {
			continue
		}
		if b == nil {
			b = append(b, '[')
		} else {
			b = append(b, ',')
		}
		b = appendMention(b, m)
	}
	if b == nil {
		return ""
	}
	return string(append(b, ']'))
}

// appendMention appends m as the JSON of MentionJSON.
func appendMention(b []byte, m Mention) []byte {
	b = append(b, `{"alias":`...)
	b = appendJSONString(b, m.Alias)
	b = append(b, `,"field":`...)
	b = appendJSONString(b, string(m.Field))
	b = append(b, `,"start":`...)
	b = strconv.AppendInt(b, int64(m.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(m.End), 10)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string: as it is when nothing in
// it needs escaping, else through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	plain := utf8.ValidString(s) && !strings.ContainsAny(s, "\"\\<>&\u2028\u2029")
	for i := 0; plain && i < len(s); i++ {
		plain = s[i] >= 0x20
	}
	if !plain {
		js, _ := json.Marshal(s)
		return append(b, js...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
