// Package dateparser stands in for github.com/markusmobius/go-dateparser,
// which go-htmldate (under go-trafilatura) imports for its "extensive"
// date search only. aiwatch never asks for that search (feeds/extract
// sets trafilatura.Fast), but linking the real package costs every
// aiwatch command, the dashboard included, 0.3–0.9 s and 78 MB at start:
// its init builds the locale tables of 200 languages (measured with
// GODEBUG=inittrace=1, v1.2.3 and v1.4.7 alike). This package has the few
// names go-htmldate refers to, and Parse finds no date.
package dateparser

import (
	"errors"
	"time"
)

// ErrNotBuiltIn is what Parse returns: the extensive date parser is not
// part of aiwatch.
var ErrNotBuiltIn = errors.New("dateparser: not built into aiwatch")

// ParserType names a parser of the real package.
type ParserType uint8

// Parser types, as in the real package.
const (
	Timestamp ParserType = iota
	NegativeTimestamp
	RelativeTime
	CustomFormat
	AbsoluteTime
	NoSpacesTime
)

// PreferredDateSource is as in the real package.
type PreferredDateSource uint8

// Preferred date sources.
const (
	CurrentPeriod PreferredDateSource = iota
	Past
	Future
)

// Configuration holds the fields go-htmldate sets.
type Configuration struct {
	PreferredDateSource PreferredDateSource
	StrictParsing       bool
	CurrentTime         time.Time
	DefaultTimezone     *time.Location
}

// Date is a parsed date.
type Date struct {
	Time time.Time
}

// Parser is the real package's parser, without its parsers.
type Parser struct {
	ParserTypes []ParserType
}

// Parse finds no date: it returns ErrNotBuiltIn.
func (p *Parser) Parse(cfg *Configuration, s string, formats ...string) (Date, error) {
	return Date{}, ErrNotBuiltIn
}
