package main

import (
	"os"
	"path/filepath"
	"testing"
)

// benchConfig is a config file with a view and an ignore rule that hides
// six of the bench store's 100 feeds (feed names are substrings).
const benchConfig = `views:
  - name: Huawei unread
    query: firm:huawei is:unread
ignore:
  - feed:"Bench en news 3"
`

// BenchmarkFirstFrameConfig is BenchmarkFirstFrame with benchConfig: the
// cost of the Views group and of an ignore rule at start-up.
func BenchmarkFirstFrameConfig(b *testing.B) {
	for _, size := range benchStoreSizes {
		b.Run(size.name, func(b *testing.B) {
			path := benchDB(b, size.n)
			cfg := filepath.Join(b.TempDir(), "config.yml")
			if err := os.WriteFile(cfg, []byte(benchConfig), 0o644); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				s, frame := openDashboardConfig(b, path, cfg, 200, 50)
				b.StopTimer()
				if len(frame) == 0 {
					b.Fatal("no frame")
				}
				s.close()
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/frame")
		})
	}
}
