package scenario

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sync"
)

// builtinFS holds the built-in scenarios: a directory per scenario, a
// topology file per variant (01.json, 02.json… in variant order).
//
//go:embed builtin
var builtinFS embed.FS

// builtins loads the embedded scenarios once; the package's tests rule
// out the panic.
var builtins = sync.OnceValue(func() []*Scenario {
	s, err := LoadScenarios(builtinFS, "builtin")
	if err != nil {
		panic(err)
	}
	return s
})

// LoadScenarios loads scenarios from the directory dir of fsys: each
// subdirectory is a scenario named after it, each *.json file in it a
// variant, in file name order. The scenario's Description and Flows are
// the first file's; every variant must trace the same messages (by name,
// From and To), each with its own expectations. Scenarios are returned in
// ascending name order.
func LoadScenarios(fsys fs.FS, dir string) ([]*Scenario, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []*Scenario
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		s, err := loadScenario(fsys, path.Join(dir, e.Name()), e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func loadScenario(fsys fs.FS, dir, name string) (*Scenario, error) {
	files, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("scenario %s: no topology file in %s", name, dir)
	}
	s := &Scenario{Name: name}
	for i, p := range files {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		f, topo, err := Load(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if i == 0 {
			s.Description = f.Description
			for _, m := range f.Messages {
				s.Flows = append(s.Flows, Flow{Name: m.Name, Message: m.Message})
			}
		}
		v := Variant{Settings: f.Settings, Spec: f.Spec, Topology: topo, Expects: make([]*Expect, len(f.Messages))}
		if len(f.Messages) != len(s.Flows) {
			return nil, fmt.Errorf("%s: %d messages, the scenario's first file has %d", p, len(f.Messages), len(s.Flows))
		}
		for j, m := range f.Messages {
			if fl := s.Flows[j]; m.Name != fl.Name || m.Message.From != fl.Message.From || !slices.Equal(m.Message.To, fl.Message.To) {
				return nil, fmt.Errorf("%s: Messages[%d] is %q, the scenario's first file has %q", p, j, m.Name, fl.Name)
			}
			v.Expects[j] = m.Expect
		}
		s.Variants = append(s.Variants, v)
	}
	return s, nil
}
