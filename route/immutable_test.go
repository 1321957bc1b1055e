package route_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"reflect"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// TestTopologyImmutable calls every exported method of a built topology,
// of its tenants, on-premises organizations and nodes, with arguments
// drawn from its own Spec, and changes everything they return: every
// string, number and flag of every value, slice element and pointer
// target, every value an iterator yields. The traces of every built-in
// scenario are the same before and after, and so is Spec.
//
// The methods are found by reflection, so an accessor added later is
// covered without editing this test.
func TestTopologyImmutable(t *testing.T) {
	for _, s := range scenario.Builtin() {
		for i, v := range s.Variants {
			t.Run(fmt.Sprintf("%s/%d", s.Name, i), func(t *testing.T) {
				t.Parallel() // slow under the race detector: use every core
				before := traceAll(t, v.Topology, s.Flows)
				spec := v.Topology.Spec()
				m := &mutator{probes: probes(v.Topology)}
				m.all(v.Topology)
				if m.calls == 0 || m.changed == 0 {
					t.Fatalf("%d calls changed %d values; the test reaches nothing", m.calls, m.changed)
				}
				if diff := cmp.Diff(spec, v.Topology.Spec()); diff != "" {
					t.Errorf("Spec() changed (-before +after):\n%s", diff)
				}
				if diff := cmp.Diff(before, traceAll(t, v.Topology, s.Flows)); diff != "" {
					t.Errorf("traces changed after %d calls changed %d values (-before +after):\n%s", m.calls, m.changed, diff)
				}
			})
		}
	}
}

// traceAll returns the JSON of every flow's trace.
func traceAll(t *testing.T, topo *topology.Topology, flows []scenario.Flow) []string {
	t.Helper()
	var out []string
	for _, f := range flows {
		res, err := route.Trace(topo, f.Message)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// probes are the arguments the mutator passes, by type: every string in
// the Spec (names, domains, addresses, hosts), every node ID and IP.
type probeSet struct {
	strs []string
	ids  []topology.NodeID
	ips  []netip.Addr
}

func probes(topo *topology.Topology) probeSet {
	var p probeSet
	seen := map[string]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			if s := v.String(); !seen[s] {
				seen[s] = true
				p.strs = append(p.strs, s)
			}
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(topo.Spec()))
	for n := range topo.Nodes() {
		p.ids = append(p.ids, n.ID)
		if n.IPAddress.IsValid() {
			p.ips = append(p.ips, n.IPAddress)
		}
	}
	return p
}

// mutator calls methods and changes what they return.
type mutator struct {
	probes         probeSet
	calls, changed int
}

// all calls every method of the topology and of every object it leads to.
func (m *mutator) all(topo *topology.Topology) {
	m.methods(reflect.ValueOf(topo))
	for x := range topo.Tenants() {
		m.methods(reflect.ValueOf(x))
	}
	for o := range topo.OnPremisesOrgs() {
		m.methods(reflect.ValueOf(o))
	}
	for n := range topo.Nodes() {
		m.methods(reflect.ValueOf(n))
		m.methods(reflect.ValueOf(n.Certificate))
	}
}

// methods calls each exported method of v with every combination of
// probe arguments (at most two arguments of the probed types, others
// zero) and changes each result.
func (m *mutator) methods(v reflect.Value) {
	for i := range v.NumMethod() {
		mt := v.Type().Method(i)
		if mt.Name == "String" || mt.Name == "MarshalText" || mt.Name == "MarshalJSON" {
			continue
		}
		for _, args := range m.argLists(mt.Type.NumIn()-1, func(j int) reflect.Type { return mt.Type.In(j + 1) }) {
			m.calls++
			call := v.Method(i).Call
			if mt.Type.IsVariadic() {
				call = v.Method(i).CallSlice
			}
			for _, r := range call(args) {
				m.change(r)
			}
		}
	}
}

// argLists returns the argument lists to try for n parameters.
func (m *mutator) argLists(n int, in func(int) reflect.Type) [][]reflect.Value {
	lists := [][]reflect.Value{{}}
	for j := range n {
		var opts []reflect.Value
		switch t := in(j); t {
		case reflect.TypeFor[string]():
			for _, s := range m.probes.strs {
				opts = append(opts, reflect.ValueOf(s))
			}
		case reflect.TypeFor[topology.NodeID]():
			for _, id := range m.probes.ids {
				opts = append(opts, reflect.ValueOf(id))
			}
		case reflect.TypeFor[netip.Addr]():
			for _, ip := range m.probes.ips {
				opts = append(opts, reflect.ValueOf(ip))
			}
		default:
			opts = []reflect.Value{reflect.Zero(t)}
			if t.Kind() == reflect.Interface && reflect.TypeOf(io.Discard).Implements(t) {
				opts = []reflect.Value{reflect.ValueOf(io.Discard)}
			}
		}
		if len(opts) == 0 {
			opts = []reflect.Value{reflect.Zero(in(j))}
		}
		var next [][]reflect.Value
		for _, l := range lists {
			for _, o := range opts {
				next = append(next, append(slices.Clip(l), o))
			}
		}
		lists = next
	}
	return lists
}

// change changes r, a method's result: an iterator's values, a copy of a
// value (so that changing it reaches what its slices and pointers share),
// a pointer's target. Pointers to the topology's own immutable objects
// (Tenant, OnPremises, connector.InboundSet) have no exported fields, so
// changing them changes nothing.
func (m *mutator) change(r reflect.Value) {
	if r.Kind() == reflect.Func && r.Type().NumIn() == 1 && r.Type().In(0).Kind() == reflect.Func {
		yield := reflect.MakeFunc(r.Type().In(0), func(args []reflect.Value) []reflect.Value {
			for _, a := range args {
				m.change(a)
			}
			return []reflect.Value{reflect.ValueOf(true)}
		})
		r.Call([]reflect.Value{yield})
		return
	}
	c := reflect.New(r.Type()).Elem()
	c.Set(r)
	m.scramble(c)
}

// scramble changes every settable scalar reachable from v.
func (m *mutator) scramble(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "·changed")
		m.changed++
	case reflect.Bool:
		v.SetBool(!v.Bool())
		m.changed++
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
		m.changed++
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
		m.changed++
	case reflect.Pointer:
		if !v.IsNil() {
			m.scramble(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			m.scramble(v.Index(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			m.scramble(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			m.scramble(e)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				m.scramble(v.Field(i))
			}
		}
	}
}
