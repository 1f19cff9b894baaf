package sqlite

import "github.com/aiwatch/aiwatch/store"

// The backend's vocabulary lives in package store, shared with
// store/postgres; these names keep this package's callers and tests short.
type (
	FirmQuery      = store.FirmQuery
	HiddenFilter   = store.HiddenFilter
	CheckReport    = store.CheckReport
	CSLImport      = store.CSLImport
	Confirmation   = store.Confirmation
	SanctionSource = store.SanctionSource
	SourceImport   = store.SourceImport
	FirmEdit       = store.FirmEdit
	ImportError    = store.ImportError
	TagFunc        = store.TagFunc
)

// HiddenFilter values.
const (
	HiddenNo   = store.HiddenNo
	HiddenToo  = store.HiddenToo
	HiddenOnly = store.HiddenOnly
)

// SourceCSL and the results of a sanctions source check.
const (
	SourceCSL       = store.SourceCSL
	ResultApplied   = store.ResultApplied
	ResultUnchanged = store.ResultUnchanged
	ResultRefused   = store.ResultRefused
	ResultFailed    = store.ResultFailed
)

var _ store.Backend = (*DB)(nil)

// Location names the store for people: its file.
func (db *DB) Location() string { return db.path }
