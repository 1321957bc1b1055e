//go:build unix

package testopts

import (
	"syscall"
	"testing"
	"time"
)

// CPUTime returns the CPU time the process has used, user and system,
// every thread and the garbage collector included.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ReportCPU reports the CPU time per operation since start (a CPUTime),
// in unit ("cpu-ns/op", "cpu-ms/op"): unlike ns/op, it does not grow when
// other processes load the machine, and it counts the garbage
// collector's work on other threads.
func ReportCPU(b *testing.B, start time.Duration, unit string) {
	per := map[string]float64{"cpu-ns/op": 1, "cpu-ms/op": 1e6}[unit]
	if per == 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(CPUTime()-start)/float64(b.N)/per, unit)
}
