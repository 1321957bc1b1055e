//go:build !unix

package analysis_test

import (
	"testing"
	"time"
)

// cpuTime is 0 where the process's CPU time is not read.
func cpuTime() time.Duration { return 0 }

// reportCPU reports nothing where the process's CPU time is not read.
func reportCPU(*testing.B, time.Duration) {}
