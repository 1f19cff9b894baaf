// Package csl reads the US Consolidated Screening List (CSL), matches its
// entries to tracked firms, and plans the changes an import makes to the
// store's designations. It is pure: it reads from an io.Reader and returns
// values, and never touches the network or the database.
//
// # Reading
//
// Read accepts the two published shapes, telling them apart by their first
// byte: consolidated.json (an object whose "results" array holds one object
// per entry) and consolidated.csv (a header row, today of 29 columns
// starting with "_id,source,entity_number", multi-valued cells joined with
// "; "). CSV columns are read by their header names, never by position, so
// the older file without "_id", the TSV variant, and files with columns
// moved or added read the same; a header that lacks any of RequiredColumns
// is refused, naming them. A file of any other shape is refused whole with
// an error that says what is wrong, and errors.Is(err, ErrFormat) holds.
//
// Read also accepts an OpenSanctions FollowTheMoney export
// (entities.ftm.json, one JSON entity a line) of the datasets that carry
// the US lists the CSL lacks (see DatasetLists and readFtM); such a File
// has Origin OriginOpenSanctions and speaks only for those lists.
//
// Each entry's source, written either as the long name ("Entity List (EL) -
// Bureau of Industry and Security") or as the bare code ("EL"), gives its
// list ID: EL → entity-list, MEU → meu, SDN → sdn, CMIC → ns-cmic, and any
// other code in lower case (dpl, uvl, isn, dtc, ssi, fse, …). The CSL's
// entity_number is not unique across lists and is never used as a key.
//
// # Matching
//
// MatchFirms compares each entry's name and alternative names with every
// tracked firm's name, Chinese name, short name and aliases, after folding
// both sides the same way: first by store.FoldAlias (NFKC, so full-width
// forms read as ASCII; case; Chinese in simplified script), then
// parenthesised parts such as "(Beijing)" or "（北京）" dropped, punctuation
// read as space, anything after the first ";" or "a.k.a." dropped, and
// legal and generic suffixes stripped from the end, repeatedly: Co., Ltd.,
// Limited, Company, Corporation, Inc., LLC, PLC, JSC, Group, Holding(s),
// Technology, Technologies, Tech, Intelligent Technology, Information
// Technology, Science and Technology; 股份有限公司, 有限责任公司, 有限公司,
// 公司, 集团, 控股, 股份, 智能科技, 信息技术, 科技, 技术 (and their
// traditional forms). Individuals, vessels and aircraft are never matched.
// A "spelling" below is a folded firm name or alias; a distinctive spelling
// is one that is not marked case-sensitive and has at least four letters or
// two Chinese characters.
//
// The rules, in order of strength; for each entry and firm the strongest
// one that holds decides:
//
//  1. Exact (applied): a folded entry name equals a spelling of the firm.
//     Case-sensitive aliases (ordinary words such as "Moonshot"), and the
//     firm's names when spelt like one, count for this rule only, and only
//     when the entry spells them with the same case.
//  2. Affiliate (applied, Affiliate=true): a folded entry name starts with a
//     distinctive spelling followed by more words ("Huawei Cloud Computing
//     Technologies Co., Ltd."), or is a distinctive spelling preceded by a
//     Chinese place name and optionally followed by more words ("Beijing
//     Huawei Digital Technologies", "北京华为数字技术有限公司"); or the name
//     or remarks say "subsidiary of", "affiliate of", "affiliated with",
//     "owned or controlled by", "a division of", "branch of" or "Linked To:"
//     followed by a name that matches the firm by rule 1 or 2. A firm whose
//     legal name begins with a city should carry that name as an alias, so
//     its own listing reads as exact.
//  3. Candidate (never applied; for the user to confirm): a distinctive
//     spelling appears as whole words (or, in Chinese, as characters)
//     elsewhere in a longer name; or a name is within one edit of a
//     distinctive spelling of five to eight characters, or two edits of a
//     longer one; or the name and a spelling of two or more words share at
//     least two words and three fifths of their words, place names aside.
//
// When a spelling that decides rule 1 or 2 belongs to more than one firm,
// the match is only a candidate for each of them. Entries that match no
// firm are ignored.
//
// # Planning
//
// Plan groups the applied matches by firm, list and affiliate flag, and
// compares each group with the store's designations of the lists the CSL
// covers: entity-list, meu, sdn, ns-cmic, and any other list present in the
// file. The lists it does not carry (1260h, fcc-covered, uflpa) are never
// touched. See Plan for the rules.
//
// Prepare is the whole import policy in one call, for every caller
// (sanctions import, sanctions update, the automatic update): match,
// apply the user's confirmations, check each list's entry count against
// the last import of its source (the drop guard), and plan.
package csl

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aiwatch/aiwatch/store"
)

// MaxSize is the largest file Read accepts. The full CSL is about 35 MB.
const MaxSize = 256 << 20

// DefaultURL is the official address of the CSL that aiwatch downloads:
// the International Trade Administration's downloadable consolidated.csv
// on data.trade.gov, which needs no API key (the search API does). The CSV
// is about half the size of consolidated.json for the same entries.
const DefaultURL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"

// DownloadMax caps a CSL download. In 2026 consolidated.csv is about
// 17 MB (about 26,000 entries) and consolidated.json about 34 MB: 64 MiB
// leaves the CSV room to grow nearly fourfold and still fits the JSON.
const DownloadMax = 64 << 20

// Sentinel errors that callers branch on.
var (
	// ErrFormat is wrapped by every error about the shape of the file.
	ErrFormat = errors.New("not a Consolidated Screening List file")
	// ErrTooLarge is returned for a file over MaxSize.
	ErrTooLarge = errors.New("csl: file larger than 256 MiB")
)

// Entry is one entry of the CSL: one party on one source list.
type Entry struct {
	ID           string // the CSL's own identifier (_id, or id in JSON)
	Source       string // the source as written in the file
	List         string // list ID derived from the source, e.g. entity-list
	Name         string
	AltNames     []string
	Programs     []string
	Type         string // Entity, Individual, Vessel, Aircraft or ""
	EntityNumber string // the source list's number: not unique, never a key
	FRNotice     string // Federal Register citation(s), e.g. "84 FR 22961"
	StartDate    string
	EndDate      string
	Remarks      string
	Addresses    []string
	// SourceListURL and SourceInfoURL point at the source list's pages.
	SourceListURL string
	SourceInfoURL string
}

// File is a read CSL file, or an OpenSanctions export read as one.
type File struct {
	// Origin is OriginCSL or OriginOpenSanctions.
	Origin string
	// Datasets maps each list an OpenSanctions export speaks for to its
	// dataset's name (see DatasetLists); nil for the CSL.
	Datasets map[string]string
	Entries  []Entry
	// Counts holds the number of entries per list ID.
	Counts map[string]int
	// SHA256 is the hex SHA-256 of the file's bytes.
	SHA256 string
	// Date is the file's date (YYYY-MM-DD) when the file says it: the JSON
	// file's latest sources_used import date, or an OpenSanctions export's
	// latest last_seen. It is "" otherwise, and the caller fills it in,
	// e.g. from the download's Last-Modified.
	Date string
}

// formatError is an error about the file's shape.
type formatError struct {
	kind string // "CSV" or "JSON"
	msg  string
}

func (e *formatError) Error() string { return "csl: unable to read " + e.kind + ": " + e.msg }

func (e *formatError) Unwrap() error { return ErrFormat }

func formatErrorf(kind, format string, args ...any) error {
	return &formatError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// Read reads a CSL file in the JSON or the CSV shape.
func Read(r io.Reader) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("csl: unable to read file: %w", err)
	}
	return ReadBytes(data)
}

// ReadBytes is Read of a file already in memory; data is not kept.
func ReadBytes(data []byte) (*File, error) {
	if len(data) > MaxSize {
		return nil, ErrTooLarge
	}
	sum := sha256.Sum256(data)
	body := bytes.TrimPrefix(data, []byte("\ufeff"))
	trimmed := bytes.TrimLeftFunc(body, unicode.IsSpace)
	var f *File
	var err error
	switch {
	case len(trimmed) == 0:
		return nil, formatErrorf("file", "the file is empty")
	case trimmed[0] == '{' && isFtM(trimmed):
		f, err = readFtM(trimmed)
	case trimmed[0] == '{' || trimmed[0] == '[':
		f, err = readJSON(trimmed)
	default:
		f, err = readCSV(body)
	}
	if err != nil {
		return nil, err
	}
	if f.Origin == "" {
		f.Origin = OriginCSL
	}
	f.SHA256 = hex.EncodeToString(sum[:])
	f.Counts = make(map[string]int)
	for _, e := range f.Entries {
		f.Counts[e.List]++
	}
	return f, nil
}

// header is the CSV header of consolidated.csv, in the published order.
// Columns are read by name, so a file with columns in another order, or
// with columns added, reads the same.
var header = []string{
	"_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
	"federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
	"license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
	"vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
	"dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
}

// RequiredColumns are the CSV columns without which an import could read
// a listing wrongly: a missing name or alternative names would lose
// matches (and "remove" listings), a missing type would match individuals,
// missing remarks would lose affiliate links, and a missing start date or
// notice would leave the diff without the listing's date. A file that
// lacks any of them is refused, naming them.
var RequiredColumns = []string{"source", "name", "type", "alt_names", "remarks", "start_date", "federal_register_notice"}

// columns maps column names to their index in one file's header.
type columns map[string]int

// readHeader reads a header row into columns, refusing one without the
// required columns. A header cell is trimmed and read in lower case.
func readHeader(head []string) (columns, error) {
	cols := columns{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := cols[h]; !dup && h != "" {
			cols[h] = i
		}
	}
	var missing []string
	for _, name := range RequiredColumns {
		if _, ok := cols[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, &MissingColumnsError{Missing: missing, Header: head}
	}
	return cols, nil
}

// MissingColumnsError is the error for a CSV file whose header lacks
// required columns. It wraps ErrFormat.
type MissingColumnsError struct {
	Missing []string // required column names, in RequiredColumns order
	Header  []string // the header as read
}

func (e *MissingColumnsError) Error() string {
	what := "column"
	if len(e.Missing) > 1 {
		what = "columns"
	}
	return fmt.Sprintf("csl: unable to read CSV: the header lacks the required %s %s (it has %d columns: %s)",
		what, strings.Join(e.Missing, ", "), len(e.Header), shortHeader(e.Header))
}

// Unwrap makes errors.Is(err, ErrFormat) hold.
func (e *MissingColumnsError) Unwrap() error { return ErrFormat }

// shortHeader shows a header for an error message, cut after 8 columns.
func shortHeader(head []string) string {
	const show = 8
	cells := make([]string, 0, show+1)
	for i, h := range head {
		if i == show {
			cells = append(cells, "…")
			break
		}
		cells = append(cells, store.CleanLine(h, 40))
	}
	return strings.Join(cells, ",")
}

// cell returns the named column of a record, or "" when the file has no
// such column.
func (c columns) cell(rec []string, name string) string {
	i, ok := c[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return clean(rec[i])
}

func readCSV(data []byte) (*File, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.IndexByte(firstLine, '\t') >= 0 && bytes.IndexByte(firstLine, ',') < 0 {
		cr.Comma = '\t'
	}
	cr.LazyQuotes = true // stray quotes inside unquoted cells occur in government data
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, formatErrorf("CSV", "header: %v", err)
	}
	cols, err := readHeader(head)
	if err != nil {
		return nil, err
	}
	f := &File{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, formatErrorf("CSV", "%v", err)
		}
		col := func(name string) string { return cols.cell(rec, name) }
		line, _ := cr.FieldPos(0)
		e := Entry{
			ID:            col("_id"),
			Source:        col("source"),
			EntityNumber:  col("entity_number"),
			Type:          col("type"),
			Programs:      split(col("programs")),
			Name:          col("name"),
			Addresses:     split(col("addresses")),
			FRNotice:      col("federal_register_notice"),
			StartDate:     col("start_date"),
			EndDate:       col("end_date"),
			Remarks:       col("remarks"),
			SourceListURL: col("source_list_url"),
			AltNames:      splitNames(col("alt_names")),
			SourceInfoURL: col("source_information_url"),
		}
		if e.Source == "" {
			return nil, formatErrorf("CSV", "record on line %d has no source", line)
		}
		finish(&e)
		f.Entries = append(f.Entries, e)
	}
	return f, nil
}

// jsonFile is the shape of consolidated.json.
type jsonFile struct {
	Results     *[]json.RawMessage `json:"results"`
	SourcesUsed json.RawMessage    `json:"sources_used"`
}

type jsonSourceUsed struct {
	SourceLastUpdated string `json:"source_last_updated"`
	LastImported      string `json:"last_imported"`
}

type jsonEntry struct {
	ID            flexString `json:"id"`
	Source        flexString `json:"source"`
	EntityNumber  flexString `json:"entity_number"`
	Type          flexString `json:"type"`
	Programs      flexList   `json:"programs"`
	Name          flexString `json:"name"`
	Addresses     flexList   `json:"addresses"`
	FRNotice      flexString `json:"federal_register_notice"`
	StartDate     flexString `json:"start_date"`
	EndDate       flexString `json:"end_date"`
	Remarks       flexString `json:"remarks"`
	SourceListURL flexString `json:"source_list_url"`
	AltNames      flexList   `json:"alt_names"`
	SourceInfoURL flexString `json:"source_information_url"`
}

func readJSON(data []byte) (*File, error) {
	if data[0] == '[' {
		return nil, formatErrorf("JSON", `the top level is an array, want an object with a "results" array`)
	}
	var doc jsonFile
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, formatErrorf("JSON", "%v", jsonMessage(err))
	}
	if doc.Results == nil {
		return nil, formatErrorf("JSON", `no "results" array at the top level`)
	}
	f := &File{Date: latestImport(doc.SourcesUsed)}
	f.Entries = make([]Entry, 0, len(*doc.Results))
	for i, raw := range *doc.Results {
		var je jsonEntry
		if err := json.Unmarshal(raw, &je); err != nil {
			return nil, formatErrorf("JSON", "results[%d]: %v", i, jsonMessage(err))
		}
		e := Entry{
			ID:            clean(string(je.ID)),
			Source:        clean(string(je.Source)),
			EntityNumber:  clean(string(je.EntityNumber)),
			Type:          clean(string(je.Type)),
			Programs:      cleanAll(je.Programs),
			Name:          clean(string(je.Name)),
			Addresses:     cleanAll(je.Addresses),
			FRNotice:      clean(string(je.FRNotice)),
			StartDate:     clean(string(je.StartDate)),
			EndDate:       clean(string(je.EndDate)),
			Remarks:       clean(string(je.Remarks)),
			SourceListURL: clean(string(je.SourceListURL)),
			AltNames:      cleanNames(je.AltNames),
			SourceInfoURL: clean(string(je.SourceInfoURL)),
		}
		if e.Source == "" {
			return nil, formatErrorf("JSON", `results[%d] has no "source"`, i)
		}
		finish(&e)
		f.Entries = append(f.Entries, e)
	}
	return f, nil
}

// jsonMessage drops the "json: " prefix from decoding errors.
func jsonMessage(err error) string { return strings.TrimPrefix(err.Error(), "json: ") }

// latestImport returns the latest import date named in sources_used, or "".
func latestImport(raw json.RawMessage) string {
	var used []jsonSourceUsed
	if len(raw) == 0 || json.Unmarshal(raw, &used) != nil {
		return ""
	}
	latest := ""
	for _, u := range used {
		for _, d := range []string{u.LastImported, u.SourceLastUpdated} {
			if len(d) >= 10 && isDate(d[:10]) {
				latest = max(latest, d[:10])
				break
			}
		}
	}
	return latest
}

// isDate reports whether s has the form YYYY-MM-DD.
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// flexString decodes a JSON string, number or null.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*s = flexString(b)
	default:
		return fmt.Errorf("want a string, got %s", kindOf(b))
	}
	return nil
}

// flexList decodes null, a "; "-joined string, or an array of strings or of
// address-like objects (whose non-empty string fields are joined with ", ").
type flexList []string

func (l *flexList) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		*l = nil
		return nil
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*l = split(v)
		return nil
	case len(b) == 0 || b[0] != '[':
		return fmt.Errorf("want an array, got %s", kindOf(b))
	}
	var items []json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		return err
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		switch {
		case len(it) > 0 && it[0] == '"':
			var v string
			if err := json.Unmarshal(it, &v); err != nil {
				return err
			}
			out = append(out, v)
		case len(it) > 0 && it[0] == '{':
			var a struct {
				Address    flexString `json:"address"`
				City       flexString `json:"city"`
				State      flexString `json:"state"`
				PostalCode flexString `json:"postal_code"`
				Country    flexString `json:"country"`
			}
			if err := json.Unmarshal(it, &a); err != nil {
				return err
			}
			var parts []string
			for _, p := range []flexString{a.Address, a.City, a.State, a.PostalCode, a.Country} {
				if p = flexString(strings.TrimSpace(string(p))); p != "" {
					parts = append(parts, string(p))
				}
			}
			out = append(out, strings.Join(parts, ", "))
		case bytes.Equal(it, []byte("null")):
		default:
			return fmt.Errorf("want strings or objects in the array, got %s", kindOf(it))
		}
	}
	*l = out
	return nil
}

func kindOf(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	}
	return "a number"
}

// finish fills the derived fields of a read entry.
func finish(e *Entry) {
	e.List = listID(e.Source)
	if e.ID == "" {
		// The legacy CSV has no identifier: derive a stable one.
		sum := sha256.Sum256([]byte(e.Source + "\x00" + e.Name + "\x00" + e.EntityNumber + "\x00" + e.StartDate))
		e.ID = hex.EncodeToString(sum[:14])
	}
}

// listCodes maps CSL source codes to aiwatch list IDs where they differ
// from the lower-case code.
var listCodes = map[string]string{
	"EL":      "entity-list",
	"MEU":     "meu",
	"SDN":     "sdn",
	"CMIC":    "ns-cmic",
	"NS-CMIC": "ns-cmic",
}

// coreLists are the list IDs that the CSL always carries.
var coreLists = []string{"entity-list", "meu", "ns-cmic", "sdn"}

// ListID returns the aiwatch list ID for a CSL source, given as its long
// name or its code.
func ListID(source string) string { return listID(source) }

func listID(source string) string {
	code := sourceCode(source)
	if code == "" {
		return slug(source)
	}
	if id, ok := listCodes[code]; ok {
		return id
	}
	return strings.ToLower(code)
}

// sourceCode returns the code in a source name such as "Military End User
// (MEU) List - Bureau of Industry and Security", or the source itself if it
// is a bare code, or "".
func sourceCode(source string) string {
	s := strings.TrimSpace(source)
	if open := strings.IndexByte(s, '('); open >= 0 {
		if end := strings.IndexByte(s[open:], ')'); end > 0 {
			code := strings.TrimSpace(s[open+1 : open+end])
			code = strings.TrimSuffix(code, " List")
			if isCode(code) {
				return strings.ToUpper(code)
			}
		}
	}
	if isCode(s) {
		return strings.ToUpper(s)
	}
	return ""
}

func isCode(s string) bool {
	if s == "" || len(s) > 12 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "unknown"
	}
	return b.String()
}

// split splits a "; "-joined cell.
func split(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	for p := range strings.SplitSeq(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitNames splits alternative names, dropping the "and " that the Entity
// List puts before the last one.
func splitNames(s string) []string { return trimAnd(split(s)) }

func cleanNames(l flexList) []string { return trimAnd(cleanAll(l)) }

func trimAnd(names []string) []string {
	for i, n := range names {
		if len(n) > 4 && strings.EqualFold(n[:4], "and ") {
			names[i] = strings.TrimSpace(n[4:])
		}
	}
	return names
}

func cleanAll(l flexList) []string {
	var out []string
	for _, s := range l {
		if s = clean(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// clean makes a cell safe to keep and show: store.CleanLine drops escape
// sequences, controls and bidi overrides, and collapses white space.
func clean(s string) string { return store.CleanLine(s, 0) }
