package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden file")

// TestGolden compares the output with testdata/mx-cutover.golden; go test
// -update rewrites it. route's TestDiffHybrid checks the differences
// themselves against the seeds' paths.
func TestGolden(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run(&out, &errOut), errOut.String())
	path := filepath.Join("testdata", "mx-cutover.golden")
	if *update {
		require.NoError(t, os.WriteFile(path, out.Bytes(), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("output differs from %s (-want +got):\n%s", path, diff)
	}
}
