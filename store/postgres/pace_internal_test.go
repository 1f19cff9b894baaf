package postgres

import (
	"testing"
	"time"
)

// TestPace: a quick count is never held back; a slow one spaces the next
// to three times its length, at most 30 s.
func TestPace(t *testing.T) {
	for took, want := range map[time.Duration]time.Duration{
		0:                      0,
		99 * time.Millisecond:  0,
		100 * time.Millisecond: 300 * time.Millisecond,
		2 * time.Second:        6 * time.Second,
		time.Minute:            30 * time.Second,
	} {
		if got := pace(took); got != want {
			t.Errorf("pace(%v) = %v, want %v", took, got, want)
		}
	}
}
