package scenario

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// Flow is a named message to trace.
type Flow struct {
	Name    string
	Message route.Message
}

// Settings tell a scenario's variants apart: "mx": "EOP",
// "centralizedTransport": true. Keys are printed in ascending order.
type Settings map[string]any

// String returns "key=value" pairs in ascending key order.
func (s Settings) String() string {
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range s {
			if !yield(k) {
				return
			}
		}
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, s[k])
	}
	return strings.Join(parts, " ")
}

// Variant is one configuration of a scenario.
type Variant struct {
	Settings Settings
	// Spec is what Topology was built from.
	Spec     topology.Spec
	Topology *topology.Topology
	// Expects are what the scenario's flows must do in this variant,
	// index for index; a nil entry (or a short list) checks nothing.
	Expects []*Expect
}

// newVariant builds a Go-defined variant; the fixtures' tests rule out
// the panic.
func newVariant(name string, set Settings, spec topology.Spec) Variant {
	return Variant{Settings: set, Spec: spec, Topology: mustBuild(name+" "+set.String(), spec)}
}

// Scenario is a named set of flows traced through one or more variants of
// a topology.
type Scenario struct {
	Name        string
	Description string
	Variants    []Variant
	Flows       []Flow
}

// Run is one flow traced through one variant.
type Run struct {
	Scenario string
	Flow     string
	Settings Settings
	Result   *route.Result
	// Checked: the variant has expectations for the flow; Mismatches are
	// those that did not hold (see [Expect.Check]), and Source the
	// document the expectations were written from ([Expect.Source]).
	Checked    bool
	Mismatches []Mismatch
	Source     string
}

// Run traces every flow through every variant, variants in their order
// and flows in their order within each variant, and checks the variants'
// expectations.
func (s *Scenario) Run() ([]Run, error) {
	runs := make([]Run, 0, len(s.Variants)*len(s.Flows))
	for _, v := range s.Variants {
		for i, f := range s.Flows {
			var e *Expect
			if i < len(v.Expects) {
				e = v.Expects[i]
			}
			r, err := run(s.Name, f.Name, v.Settings, v.Topology, f.Message, e)
			if err != nil {
				return nil, fmt.Errorf("scenario %s, %s, flow %q: %w", s.Name, v.Settings, f.Name, err)
			}
			runs = append(runs, r)
		}
	}
	return runs, nil
}

// run traces one message and checks it against e, if any.
func run(scenario, flow string, set Settings, topo *topology.Topology, m route.Message, e *Expect) (Run, error) {
	res, err := route.Trace(topo, m)
	if err != nil {
		return Run{}, err
	}
	r := Run{Scenario: scenario, Flow: flow, Settings: set, Result: res}
	if e != nil {
		r.Checked, r.Mismatches, r.Source = true, e.Check(res), e.Source
	}
	return r, nil
}

// ContosoHybrid returns the "contoso-hybrid" scenario: the Contoso matrix
// of MX placement (EOP, on-premises) × centralized mail transport (off,
// on), in that order, with [ContosoFlows].
func ContosoHybrid() *Scenario {
	s := &Scenario{
		Name:        "contoso-hybrid",
		Description: "Contoso hybrid deployment: MX to EOP or on-premises, centralized mail transport off or on (Transport routing in Exchange hybrid deployments)",
		Flows:       ContosoFlows(),
	}
	for _, mx := range []MX{MXToEOP, MXToOnPremises} {
		for _, cmt := range []bool{false, true} {
			set := ContosoSettings{MX: mx, CentralizedTransport: cmt}
			s.Variants = append(s.Variants, newVariant(s.Name, Settings{"mx": string(mx), "centralizedTransport": cmt}, ContosoSpec(set)))
		}
	}
	return s
}

// Defined returns the scenarios defined in Go, from which the built-in
// topology files were written, in ascending name order.
func Defined() []*Scenario {
	return []*Scenario{AddOnService(), ConditionalRouting(), ConnectorSelection(), ContosoHybrid(), Devices(), EdgeHybrid(), EmailAuthentication(), EOPStandalone(), IntermediateDevice(), GroupsHybrid(), PartnerTLS(), SafeList(), TwoSites()}
}

// Builtin returns the built-in scenarios in ascending name order: the
// topology files embedded in the package (builtin/NAME/NN.json, a file
// per variant), loaded through [Load], with their expectations. The files
// are read once; each call returns new Scenarios that share nothing a
// caller can change (their Topologies are immutable).
func Builtin() []*Scenario {
	loaded := builtins()
	out := make([]*Scenario, len(loaded))
	for i, s := range loaded {
		out[i] = s.clone()
	}
	return out
}

// Lookup returns the built-in scenario with the given name, a new Scenario
// like those of [Builtin].
func Lookup(name string) (*Scenario, bool) {
	for _, s := range builtins() {
		if s.Name == name {
			return s.clone(), true
		}
	}
	return nil, false
}

// clone returns a copy of s that shares nothing mutable with it.
func (s *Scenario) clone() *Scenario {
	c := &Scenario{Name: s.Name, Description: s.Description, Variants: make([]Variant, len(s.Variants)), Flows: make([]Flow, len(s.Flows))}
	for i, v := range s.Variants {
		c.Variants[i] = Variant{Settings: maps.Clone(v.Settings), Spec: v.Spec.Clone(), Topology: v.Topology, Expects: make([]*Expect, len(v.Expects))}
		for j, e := range v.Expects {
			c.Variants[i].Expects[j] = e.Clone()
		}
	}
	for i, f := range s.Flows {
		c.Flows[i] = Flow{Name: f.Name, Message: f.Message.Clone()}
	}
	return c
}
