package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/scenario/exchange"
	"github.com/mailflowsim/mailflow/topology"
)

// source is one topology the analyses run on: a file, or a variant of a
// built-in scenario.
type source struct {
	name     string
	settings scenario.Settings
	topo     *topology.Topology
}

func (s source) title() string { return named(s.name, s.settings) }

// sources returns the topology of -f, or the variants of the scenario.
func sources(file, name string, imp exchange.Options, notes bool, stderr io.Writer) ([]source, error) {
	if file != "" {
		f, topo, err := load(file, imp, notes, stderr)
		if err != nil {
			return nil, err
		}
		return []source{{filepath.Base(file), f.Settings, topo}}, nil
	}
	s, ok := scenario.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown scenario %q (trace -list names them)", name)
	}
	out := make([]source, len(s.Variants))
	for i, v := range s.Variants {
		out[i] = source{s.Name, v.Settings, v.Topology}
	}
	return out, nil
}

// matrix prints the reachability matrix of each source.
func matrix(srcs []source, format string) ([]byte, error) {
	var b bytes.Buffer
	if format == "json" {
		type j struct {
			Name     string            `json:"name"`
			Settings scenario.Settings `json:"settings"`
			Flows    []analysis.Reach  `json:"flows"`
		}
		var all []j
		for _, s := range srcs {
			flows, err := analysis.Reachability(s.topo)
			if err != nil {
				return nil, err
			}
			all = append(all, j{s.name, orEmpty(s.settings), flows})
		}
		return indentJSON(all)
	}
	for _, s := range srcs {
		fmt.Fprintf(&b, "== %s\n", s.title())
		flows, err := analysis.Reachability(s.topo)
		if err != nil {
			return nil, err
		}
		if err := analysis.WriteReachability(&b, flows); err != nil {
			return nil, err
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// check prints the findings of analysis.Check and analysis.Analyze for
// each source, and reports whether there were any.
func check(srcs []source, format string) ([]byte, bool, error) {
	type j struct {
		Name     string             `json:"name"`
		Settings scenario.Settings  `json:"settings"`
		Findings []analysis.Finding `json:"findings"`
	}
	var all []j
	found := false
	for _, s := range srcs {
		static, err := analysis.Check(s.topo)
		if err != nil {
			return nil, false, err
		}
		flows, err := analysis.Analyze(s.topo)
		if err != nil {
			return nil, false, err
		}
		fs := append(static, flows...)
		if fs == nil {
			fs = []analysis.Finding{}
		}
		slices.SortStableFunc(fs, analysis.Finding.Compare)
		found = found || len(fs) > 0
		all = append(all, j{s.name, orEmpty(s.settings), fs})
	}
	if format == "json" {
		out, err := indentJSON(all)
		return out, found, err
	}
	var b bytes.Buffer
	for i, s := range srcs {
		fmt.Fprintf(&b, "== %s: %d findings\n", s.title(), len(all[i].Findings))
		for _, f := range all[i].Findings {
			fmt.Fprintf(&b, "%s %v\n  %s\n  (%s)\n", f.Rule, f.Objects, f.Message, f.Source)
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), found, nil
}

// diff prints the flow classes that differ between a and b, each with
// both traces.
func diff(a, b source, format string) ([]byte, error) {
	ds, err := analysis.Diff(a.topo, b.topo)
	if err != nil {
		return nil, err
	}
	if format == "json" {
		if ds == nil {
			ds = []analysis.Difference{}
		}
		return indentJSON(ds)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "== %s -> %s: %d flow classes differ\n", a.title(), b.title(), len(ds))
	for _, d := range ds {
		fmt.Fprintf(&buf, "\n== %s: %v\n", d.Class.Key(), d.Aspects)
		if err := sideBySide(&buf, d.A, d.B); err != nil {
			return nil, err
		}
		for _, side := range []struct {
			label string
			res   *route.Result
		}{{"before (" + a.title() + ")", d.A}, {"after (" + b.title() + ")", d.B}} {
			fmt.Fprintf(&buf, "-- %s\n", side.label)
			if side.res == nil {
				buf.WriteString("(no such flow class)\n")
				continue
			}
			if err := render.Text(&buf, side.res); err != nil {
				return nil, err
			}
		}
	}
	return buf.Bytes(), nil
}

// sideBySide writes, for each recipient, its hops before and after side
// by side (node, and the connector it sent on in brackets; "-" past the
// end of a path), then how it ended in each.
func sideBySide(w io.Writer, a, b *route.Result) error {
	var rcpts []string
	for _, r := range []*route.Result{a, b} {
		if r == nil {
			continue
		}
		for _, rc := range r.Recipients {
			if !slices.Contains(rcpts, rc.Address) {
				rcpts = append(rcpts, rc.Address)
			}
		}
	}
	cell := func(rc *route.Recipient, i int) string {
		if rc == nil || i >= len(rc.Hops) {
			return "-"
		}
		h := rc.Hops[i]
		if h.Connector != "" {
			return h.Node.String() + " [" + h.Connector + "]"
		}
		return h.Node.String()
	}
	end := func(rc *route.Recipient) string {
		if rc == nil {
			return "-"
		}
		return strings.TrimSpace(rc.Disposition.String() + " " + rc.Status.String())
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, addr := range rcpts {
		x, y := a.Recipient(addr), b.Recipient(addr)
		fmt.Fprintf(tw, "  %s\tbefore\tafter\n", addr)
		n := 0
		if x != nil {
			n = len(x.Hops)
		}
		if y != nil {
			n = max(n, len(y.Hops))
		}
		for i := range n {
			fmt.Fprintf(tw, "  %d\t%s\t%s\n", i+1, cell(x, i), cell(y, i))
		}
		fmt.Fprintf(tw, "  =>\t%s\t%s\n", end(x), end(y))
	}
	return tw.Flush()
}

// orEmpty returns s, or empty settings for nil, so JSON shows {}.
func orEmpty(s scenario.Settings) scenario.Settings {
	if s == nil {
		return scenario.Settings{}
	}
	return s
}

func indentJSON(v any) ([]byte, error) {
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// pictures draws each source's topology, after a "== title" line.
func pictures(srcs []source, kind string) ([]byte, error) {
	var b bytes.Buffer
	for i, s := range srcs {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "== %s\n", s.title())
		draw := render.TopologyMermaid
		if kind == "dot" {
			draw = render.TopologyDOT
		}
		if err := draw(&b, s.topo); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}
