package scenario_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the built-in topology files from the Go-defined scenarios")

// builtinFiles returns the topology files of the Go-defined scenarios, by
// path under builtin/: each variant with the scenario's flows, each flow
// expected to do what it does now (disposition, status, every hop, number
// of copies). The Go scenarios' tests check those outcomes against
// Microsoft's documents; the files lock them in.
func builtinFiles(t *testing.T) map[string]*scenario.File {
	t.Helper()
	files := map[string]*scenario.File{}
	for _, s := range scenario.Defined() {
		for i, v := range s.Variants {
			f := &scenario.File{Description: s.Description, Settings: v.Settings, Spec: v.Spec}
			for _, fl := range s.Flows {
				res, err := route.Trace(v.Topology, fl.Message)
				require.NoError(t, err)
				e := &scenario.Expect{Copies: len(res.Copies), Recipients: map[string]scenario.RecipientExpect{}}
				for _, r := range res.Recipients {
					hops := make([]string, len(r.Hops))
					for h := range r.Hops {
						hops[h] = r.Hops[h].Node.String()
					}
					e.Recipients[r.Address] = scenario.RecipientExpect{Disposition: r.Disposition.String(), Status: r.Status, Hops: hops}
				}
				f.Messages = append(f.Messages, scenario.FileMessage{Name: fl.Name, Message: fl.Message, Expect: e})
			}
			files[filepath.Join(s.Name, fmt.Sprintf("%02d.json", i+1))] = f
		}
	}
	return files
}

// TestBuiltinFiles: the embedded files are what the Go-defined scenarios
// write (go test ./scenario -update rewrites them), and the built-in
// scenarios loaded from them are the Go-defined ones.
func TestBuiltinFiles(t *testing.T) {
	files := builtinFiles(t)
	for name, f := range files {
		var b bytes.Buffer
		require.NoError(t, f.WriteJSON(&b))
		p := filepath.Join("builtin", name)
		if *update {
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, b.Bytes(), 0o644))
			continue
		}
		got, err := os.ReadFile(p)
		require.NoError(t, err)
		if !bytes.Equal(got, b.Bytes()) {
			t.Errorf("%s is not what the Go-defined scenario writes; run go test ./scenario -update", p)
		}
	}
	matches, err := filepath.Glob("builtin/*/*.json")
	require.NoError(t, err)
	require.Len(t, matches, len(files), "stray files under builtin/")

	defined, loaded := scenario.Defined(), scenario.Builtin()
	require.Len(t, loaded, len(defined))
	for i, want := range defined {
		got := *loaded[i] // shared: compare a copy
		got.Variants = slices.Clone(got.Variants)
		require.Equal(t, want.Name, got.Name)
		require.Len(t, got.Variants, len(want.Variants))
		for j := range want.Variants {
			want.Variants[j].Topology, got.Variants[j].Topology = nil, nil
			got.Variants[j].Expects = nil
		}
		if diff := cmp.Diff(want, &got, testopts.Cmp); diff != "" {
			t.Errorf("built-in %s differs from the Go-defined scenario (-want +got):\n%s", want.Name, diff)
		}
	}
}

// TestBuiltinExpectations: every built-in scenario passes the expectations
// its files carry.
func TestBuiltinExpectations(t *testing.T) {
	for _, s := range scenario.Builtin() {
		runs, err := s.Run()
		require.NoError(t, err)
		n := 0
		for _, r := range runs {
			for _, m := range r.Mismatches {
				t.Errorf("%s | %s | %s: %s", r.Scenario, r.Flow, r.Settings, m)
			}
		}
		for _, v := range s.Variants {
			for _, e := range v.Expects {
				if e != nil {
					n++
				}
			}
		}
		require.Equal(t, len(runs), n, "%s: every run has expectations", s.Name)
	}
}
