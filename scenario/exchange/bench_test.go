package exchange_test

import (
	"os"
	"testing"

	"github.com/mailflowsim/mailflow/scenario/exchange"
)

// BenchmarkImportFS imports the five real Exchange Server exports
// (580 KB of CLIXML).
func BenchmarkImportFS(b *testing.B) {
	fsys := os.DirFS("testdata/exchange-server")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := exchange.ImportFS(fsys); err != nil {
			b.Fatal(err)
		}
	}
}
