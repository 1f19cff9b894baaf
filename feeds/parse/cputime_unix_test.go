//go:build unix

package parse_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, user and system. On a
// busy machine it measures work where wall time measures the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
