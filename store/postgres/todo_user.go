package postgres

import (
	"context"
	"time"

	"github.com/aiwatch/aiwatch/store"
)

// Not written yet: the user part. Each method moves out of this file as it is written.

func (db *DB) Watches(ctx context.Context) ([]store.Watch, error) {
	return *new([]store.Watch), errTODO("Watches")
}

func (db *DB) AddWatch(ctx context.Context, w store.Watch) (store.Watch, error) {
	return *new(store.Watch), errTODO("AddWatch")
}

func (db *DB) RemoveWatch(ctx context.Context, id int64) error {
	return errTODO("RemoveWatch")
}

func (db *DB) CheckAlerts(ctx context.Context, ws []store.WatchMatch) ([]store.Alert, error) {
	return *new([]store.Alert), errTODO("CheckAlerts")
}

func (db *DB) Alerts(ctx context.Context, all bool) ([]store.Alert, error) {
	return *new([]store.Alert), errTODO("Alerts")
}

func (db *DB) CountAlerts(ctx context.Context) (int, error) {
	return *new(int), errTODO("CountAlerts")
}

func (db *DB) AckAlerts(ctx context.Context, ids []int64) (int, error) {
	return *new(int), errTODO("AckAlerts")
}

func (db *DB) AckAllAlerts(ctx context.Context) (int, error) {
	return *new(int), errTODO("AckAllAlerts")
}

func (db *DB) PendingAlerts(ctx context.Context, channel string, since time.Time, limit int) ([]store.Alert, error) {
	return *new([]store.Alert), errTODO("PendingAlerts")
}

func (db *DB) MarkDelivered(ctx context.Context, channel string, ids []int64) error {
	return errTODO("MarkDelivered")
}

func (db *DB) ChangesSeen(ctx context.Context) (time.Time, error) {
	return *new(time.Time), errTODO("ChangesSeen")
}

func (db *DB) SetChangesSeen(ctx context.Context, t time.Time) error {
	return errTODO("SetChangesSeen")
}

func (db *DB) Views(ctx context.Context) ([]store.View, error) {
	return *new([]store.View), errTODO("Views")
}

func (db *DB) AddView(ctx context.Context, v store.View) error {
	return errTODO("AddView")
}

func (db *DB) RemoveView(ctx context.Context, name string) error {
	return errTODO("RemoveView")
}
