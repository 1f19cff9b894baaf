package main

import (
	"os"
	"path/filepath"
	"testing"
)

// benchConfigs are config files with a view and an ignore rule that
// hides one of the bench store's 100 feeds (1% of the items), or six of
// them (6%: feed names match as substrings).
var benchConfigs = []struct{ name, src string }{
	{"view", "views:\n  - name: Huawei unread\n    query: firm:huawei is:unread\n"},
	{"view+ignore1%", "views:\n  - name: Huawei unread\n    query: firm:huawei is:unread\nignore:\n  - feed:\"Bench en news 30\"\n"},
	{"view+ignore6%", "views:\n  - name: Huawei unread\n    query: firm:huawei is:unread\nignore:\n  - feed:\"Bench en news 3\"\n"},
}

// BenchmarkFirstFrameConfig is BenchmarkFirstFrame with benchConfig: the
// cost of the Views group and of an ignore rule at start-up.
func BenchmarkFirstFrameConfig(b *testing.B) {
	for _, size := range benchStoreSizes {
		for _, bc := range benchConfigs {
			b.Run(size.name+"/"+bc.name, func(b *testing.B) {
				path := benchDB(b, size.n)
				cfg := filepath.Join(b.TempDir(), "config.yml")
				if err := os.WriteFile(cfg, []byte(bc.src), 0o644); err != nil {
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
}
