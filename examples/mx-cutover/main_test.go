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

// TestREADME: the README's block that starts with "$ go run
// ./examples/mx-cutover" is the real output.
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	const cmd = "```text\n$ go run ./examples/mx-cutover\n"
	_, block, ok := bytes.Cut(readme, []byte(cmd))
	require.True(t, ok, "the README has no block for go run ./examples/mx-cutover")
	block, _, _ = bytes.Cut(block, []byte("```\n"))
	var out bytes.Buffer
	require.Equal(t, 0, run(&out, &bytes.Buffer{}))
	if diff := cmp.Diff(out.String(), string(block)); diff != "" {
		t.Errorf("README block differs from the output (-output +README):\n%s", diff)
	}
}
