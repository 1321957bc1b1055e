package scenario_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the built-in topology files' topologies from the Go-defined scenarios, keeping their messages' expectations")

// builtinFiles returns the topology files of the Go-defined scenarios, by
// path under builtin/: each variant's Description, Settings and Spec from
// Go, and for each of the scenario's flows the message with the
// expectations the file on disk has for it, written by hand from the
// document its Source names (nil for a flow the file does not have yet).
// Expectations are never generated.
func builtinFiles(t *testing.T) map[string]*scenario.File {
	t.Helper()
	files := map[string]*scenario.File{}
	for _, s := range scenario.Defined() {
		for i, v := range s.Variants {
			name := filepath.Join(s.Name, fmt.Sprintf("%02d.json", i+1))
			expects := map[string]*scenario.Expect{}
			old, _, err := scenario.LoadFile(filepath.Join("builtin", name))
			switch {
			case err == nil:
				for _, m := range old.Messages {
					expects[m.Name] = m.Expect
				}
			case !errors.Is(err, fs.ErrNotExist):
				// Never rewrite a file whose expectations could not be read.
				t.Fatalf("builtin/%s: %v", name, err)
			}
			f := &scenario.File{Description: s.Description, Settings: v.Settings, Spec: v.Spec}
			for _, fl := range s.Flows {
				f.Messages = append(f.Messages, scenario.FileMessage{Name: fl.Name, Message: fl.Message, Expect: expects[fl.Name]})
			}
			files[name] = f
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
// its files carry, and every message has expectations that name their
// source.
func TestBuiltinExpectations(t *testing.T) {
	for _, s := range scenario.Builtin() {
		runs, err := s.Run()
		require.NoError(t, err)
		for _, r := range runs {
			for _, m := range r.Mismatches {
				t.Errorf("%s | %s | %s: %s", r.Scenario, r.Flow, r.Settings, m)
			}
		}
		for _, v := range s.Variants {
			for i, e := range v.Expects {
				switch {
				case e == nil:
					t.Errorf("%s | %s | %s: no expectations", s.Name, s.Flows[i].Name, v.Settings)
				case e.Source == "":
					t.Errorf("%s | %s | %s: expectations without a Source", s.Name, s.Flows[i].Name, v.Settings)
				}
			}
		}
	}
}

// TestBuiltinFresh: Builtin and Lookup return new values each call:
// changing everything one call returned changes nothing the next returns.
func TestBuiltinFresh(t *testing.T) {
	before := scenario.Builtin()
	got := scenario.Builtin()
	for _, s := range got {
		s.Name, s.Description = "changed", "changed"
		for i := range s.Flows {
			s.Flows[i].Name = "changed"
			s.Flows[i].Message.To[0] = "changed@example.com"
		}
		for i := range s.Variants {
			v := &s.Variants[i]
			if v.Settings != nil {
				v.Settings["mx"] = "changed"
			}
			if len(v.Spec.Tenants) > 0 {
				v.Spec.Tenants[0].Name = "changed"
				if len(v.Spec.Tenants[0].AcceptedDomains) > 0 {
					v.Spec.Tenants[0].AcceptedDomains[0].DomainName = "changed.example"
				}
			}
			for _, e := range v.Expects {
				e.Source = "changed"
				for a, r := range e.Recipients {
					if len(r.Hops) > 0 {
						r.Hops[0] = "changed"
					}
					for j := range r.At {
						if r.At[j].Stages != nil {
							r.At[j].Stages["AntiSpam"] = "changed"
						}
					}
					e.Recipients[a] = r
				}
			}
		}
	}
	s, ok := scenario.Lookup("contoso-hybrid")
	require.True(t, ok)
	s.Variants[0].Expects[0].Recipients["david@contoso.com"] = scenario.RecipientExpect{}
	after := scenario.Builtin()
	withoutTopologies := func(ss []*scenario.Scenario) []scenario.Scenario {
		out := make([]scenario.Scenario, len(ss))
		for i, s := range ss {
			out[i] = *s
			out[i].Variants = slices.Clone(s.Variants)
			for j := range out[i].Variants {
				require.NotNil(t, out[i].Variants[j].Topology)
				out[i].Variants[j].Topology = nil // immutable; compared by identity
			}
		}
		return out
	}
	if diff := cmp.Diff(withoutTopologies(before), withoutTopologies(after), testopts.Cmp); diff != "" {
		t.Errorf("Builtin() changed after a previous result was modified (-before +after):\n%s", diff)
	}
}
