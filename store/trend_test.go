package store

import (
	"testing"
	"time"
)

func TestSparkline(t *testing.T) {
	tests := []struct {
		name string
		in   Trend
		want string
	}{
		{"empty", Trend{}, "            "},
		{"one busy week", Trend{11: 5}, "           █"},
		{"scaled", Trend{1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 16}, "▁▁▂▂▃▃▄▄   █"},
		{"small stays visible", Trend{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1000}, "▁          █"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.Sparkline(); got != tt.want {
				t.Errorf("Sparkline(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTrendWeek(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC) // a Friday
	tests := []struct {
		name string
		at   time.Time
		want int
		ok   bool
	}{
		{"now", now, 11, true},
		{"this Monday", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), 11, true},
		{"the Sunday before", time.Date(2026, 11, 29, 23, 59, 59, 0, time.UTC), 10, true},
		{"eleven weeks back", now.AddDate(0, 0, -77), 0, true},
		{"twelve weeks back", now.AddDate(0, 0, -84), -1, false},
		{"next week", now.AddDate(0, 0, 7), 12, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := TrendWeek(now, tt.at.Unix())
			if got != tt.want || ok != tt.ok {
				t.Errorf("TrendWeek(%v) = %d, %v; want %d, %v", tt.at, got, ok, tt.want, tt.ok)
			}
		})
	}
	// 1970-01-05 was a Monday: week 0 starts there.
	if w := Week(time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC).Unix()); w != 0 {
		t.Errorf("Week(1970-01-05) = %d, want 0", w)
	}
}
