package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/mailflowsim/mailflow/internal/benchdata"
	"github.com/stretchr/testify/require"
)

// BenchmarkOneAddress runs the command as `trace -f FILE -from ADDR -to
// ADDR` on topology files of 1,000 recipients: reading the file, telling
// it from an export, loading it, tracing the message and writing the
// trace. The process's own start is not in it: time the built command
// for that.
func BenchmarkOneAddress(b *testing.B) {
	for _, size := range []struct{ recipients, connectors int }{{1000, 100}, {1000, 1000}} {
		b.Run(fmt.Sprintf("recipients=%d/connectors=%d", size.recipients, size.connectors), func(b *testing.B) {
			name := filepath.Join(b.TempDir(), "topology.json")
			require.NoError(b, os.WriteFile(name, benchdata.JSON(size.recipients, size.connectors), 0o644))
			args := []string{"-f", name, "-from", "a@fabrikam.example", "-to", benchdata.Address(2)}
			b.ReportAllocs()
			for b.Loop() {
				if code := run(args, io.Discard, io.Discard); code != exitOK {
					b.Fatalf("trace %v: exit status %d", args, code)
				}
			}
		})
	}
}
