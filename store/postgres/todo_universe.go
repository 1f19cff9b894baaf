package postgres

import (
	"context"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// Not written yet: the universe part. Each method moves out of this file as it is written.

func (db *DB) DesignationChanges(ctx context.Context, since time.Time) ([]store.DesignationEvent, error) {
	return *new([]store.DesignationEvent), errTODO("DesignationChanges")
}

func (db *DB) Firms(ctx context.Context, q store.FirmQuery) ([]store.Firm, error) {
	return *new([]store.Firm), errTODO("Firms")
}

func (db *DB) Designations(ctx context.Context, firm string) ([]store.Designation, error) {
	return *new([]store.Designation), errTODO("Designations")
}

func (db *DB) Firm(ctx context.Context, id string) (store.Firm, error) {
	return *new(store.Firm), errTODO("Firm")
}

func (db *DB) Alliances(ctx context.Context) ([]store.Alliance, error) {
	return *new([]store.Alliance), errTODO("Alliances")
}

func (db *DB) Alliance(ctx context.Context, id string) (store.Alliance, error) {
	return *new(store.Alliance), errTODO("Alliance")
}

func (db *DB) Lists(ctx context.Context) ([]store.List, error) {
	return *new([]store.List), errTODO("Lists")
}

func (db *DB) Aliases(ctx context.Context) ([]store.Alias, error) {
	return *new([]store.Alias), errTODO("Aliases")
}

func (db *DB) AliasVersion(ctx context.Context) (string, error) {
	return *new(string), errTODO("AliasVersion")
}

func (db *DB) AddAlias(ctx context.Context, a store.Alias) error {
	return errTODO("AddAlias")
}

func (db *DB) RemoveAlias(ctx context.Context, kind store.EntityKind, entity, text string) error {
	return errTODO("RemoveAlias")
}

func (db *DB) FirmIDs(ctx context.Context) ([]string, error) {
	return *new([]string), errTODO("FirmIDs")
}

func (db *DB) DesignationEvents(ctx context.Context, firm string, since time.Time) ([]store.DesignationEvent, error) {
	return *new([]store.DesignationEvent), errTODO("DesignationEvents")
}

func (db *DB) LastCSLCounts(ctx context.Context) (map[string]int, string, error) {
	return *new(map[string]int), *new(string), errTODO("LastCSLCounts")
}

func (db *DB) ApplyDesignations(ctx context.Context, changes []store.DesignationChange, imp *store.CSLImport, prov string) error {
	return errTODO("ApplyDesignations")
}

func (db *DB) ConfirmCSLName(ctx context.Context, name, firm string, affiliate bool) error {
	return errTODO("ConfirmCSLName")
}

func (db *DB) CSLConfirmations(ctx context.Context) ([]store.Confirmation, error) {
	return *new([]store.Confirmation), errTODO("CSLConfirmations")
}

func (db *DB) SeedReference(ctx context.Context, newTag func(aliases []store.Alias) store.TagFunc) error {
	return errTODO("SeedReference")
}

func (db *DB) DatasetVersion(ctx context.Context) (string, error) {
	return *new(string), errTODO("DatasetVersion")
}

func (db *DB) UserUniverse(ctx context.Context) (store.Universe, error) {
	return *new(store.Universe), errTODO("UserUniverse")
}

func (db *DB) ImportUniverse(ctx context.Context, u store.Universe, dryRun bool) (store.ImportResult, error) {
	return *new(store.ImportResult), errTODO("ImportUniverse")
}

func (db *DB) SanctionSources(ctx context.Context) ([]store.SanctionSource, error) {
	return *new([]store.SanctionSource), errTODO("SanctionSources")
}

func (db *DB) SanctionSource(ctx context.Context, id string) (store.SanctionSource, error) {
	return *new(store.SanctionSource), errTODO("SanctionSource")
}

func (db *DB) RecordSanctionCheck(ctx context.Context, id, result, reason string) error {
	return errTODO("RecordSanctionCheck")
}

func (db *DB) ApplyImport(ctx context.Context, changes []store.DesignationChange, imports []store.SourceImport) error {
	return errTODO("ApplyImport")
}

func (db *DB) AddFirm(ctx context.Context, f store.Firm) error {
	return errTODO("AddFirm")
}

func (db *DB) EditFirm(ctx context.Context, id string, e store.FirmEdit) error {
	return errTODO("EditFirm")
}

func (db *DB) RemoveFirm(ctx context.Context, id string) error {
	return errTODO("RemoveFirm")
}

func (db *DB) SetFirmHidden(ctx context.Context, id string, hidden bool) error {
	return errTODO("SetFirmHidden")
}

func (db *DB) AddAlliance(ctx context.Context, a store.Alliance) error {
	return errTODO("AddAlliance")
}

func (db *DB) RemoveAlliance(ctx context.Context, id string) error {
	return errTODO("RemoveAlliance")
}

func (db *DB) JoinAlliance(ctx context.Context, alliance string, firms []string, source, since string) error {
	return errTODO("JoinAlliance")
}

func (db *DB) LeaveAlliance(ctx context.Context, alliance, firm, date string) error {
	return errTODO("LeaveAlliance")
}

func (db *DB) MembershipEvents(ctx context.Context, alliance string) ([]store.MembershipEvent, error) {
	return *new([]store.MembershipEvent), errTODO("MembershipEvents")
}
