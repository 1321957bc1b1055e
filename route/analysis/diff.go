package analysis

import (
	"slices"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// Aspect is an aspect of a trace [Diff] compares. Its text form is its
// name ("Path").
type Aspect uint8

// The aspects, in the order Diff lists them.
const (
	AspectClass       Aspect = iota + 1 // the flow class exists in one topology only
	AspectDisposition                   // a recipient ends differently
	AspectStatus                        // with a different status line
	AspectPath                          // through different nodes
	AspectSplit                         // split into copies elsewhere
	AspectConnector                     // through different connectors
	AspectFiltering                     // with different filtering
	AspectAttribution                   // attributed differently (AuthAs, Directionality)
	AspectTLS                           // over connections with different TLS
	// AspectAuthentication: email authentication finds something else
	// where the recipient's copy enters a tenant (SPF, DMARC, composite
	// authentication: the result, the address and domain checked, the
	// action), or enters elsewhere
	// (docs/behaviour.md#l99-authentication-in-diff).
	AspectAuthentication
)

var aspectNames = [...]string{"", "Class", "Disposition", "Status", "Path", "Split", "Connector", "Filtering", "Attribution", "TLS", "Authentication"}

// String returns the aspect's name: "Path".
func (a Aspect) String() string { return enumString(aspectNames[:], uint8(a), "Aspect") }

// MarshalText returns the aspect's name.
func (a Aspect) MarshalText() ([]byte, error) { return enumMarshal(aspectNames[:], uint8(a), "Aspect") }

// UnmarshalText reads an aspect's name.
func (a *Aspect) UnmarshalText(b []byte) error {
	return enumUnmarshal(aspectNames[:], (*uint8)(a), b, "aspect")
}

// Difference is a flow class that goes differently in two topologies.
type Difference struct {
	// Class is the flow class: a's, or b's when only b has it.
	Class FlowClass `json:"class"`
	// Aspects are what differs, in the order of the Aspect constants.
	Aspects []Aspect `json:"aspects"`
	// A and B are the class's traces in each topology; nil where the class
	// does not exist or could not be traced.
	A *route.Result `json:"a"`
	B *route.Result `json:"b"`
}

// Diff traces every flow class of a and of b and returns the classes
// whose traces differ: in disposition, status, path, split point,
// connectors, filtering, attribution, TLS or authentication, or that exist in one topology
// only. A class in both is traced with a's representative message in
// both. Differences come in a's class order, then the classes only b has
// in b's order. Tracing runs on every CPU.
func Diff(a, b *topology.Topology) ([]Difference, error) {
	if a == nil || b == nil {
		return nil, route.ErrNilTopology
	}
	ca, cb := flowClasses(a), flowClasses(b)
	inA := make(map[string]bool, len(ca))
	for _, c := range ca {
		inA[c.Key()] = true
	}
	inB := make(map[string]int, len(cb))
	for i, c := range cb {
		inB[c.Key()] = i
	}
	// Trace a's classes in a and, where b has them, in b; then b's own.
	var both, onlyB []FlowClass
	for _, c := range ca {
		if _, ok := inB[c.Key()]; ok {
			both = append(both, c)
		}
	}
	for _, c := range cb {
		if !inA[c.Key()] {
			onlyB = append(onlyB, c)
		}
	}
	ra, rb := traceAll(a, ca), traceAll(b, append(both, onlyB...))
	rbOf := make(map[string]*Reach, len(rb))
	for i := range rb {
		rbOf[rb[i].Class.Key()] = &rb[i]
	}
	var out []Difference
	for i := range ra {
		x := &ra[i]
		y, ok := rbOf[x.Class.Key()]
		if !ok {
			out = append(out, Difference{Class: x.Class, Aspects: []Aspect{AspectClass}, A: x.Result})
			continue
		}
		if aspects := compare(x.Result, y.Result); len(aspects) > 0 {
			out = append(out, Difference{Class: x.Class, Aspects: aspects, A: x.Result, B: y.Result})
		}
	}
	for i := len(both); i < len(rb); i++ {
		out = append(out, Difference{Class: rb[i].Class, Aspects: []Aspect{AspectClass}, B: rb[i].Result})
	}
	return out, nil
}

// compare returns the aspects in which two traces of the same message
// differ.
func compare(a, b *route.Result) []Aspect {
	if a == nil || b == nil {
		if a == b {
			return nil
		}
		return []Aspect{AspectDisposition}
	}
	var differs [len(aspectNames)]bool
	if len(a.Recipients) != len(b.Recipients) {
		differs[AspectDisposition] = true
	}
	for i := range min(len(a.Recipients), len(b.Recipients)) {
		x, y := &a.Recipients[i], &b.Recipients[i]
		for asp, d := range recipientAspects(a, b, x, y) {
			differs[asp] = differs[asp] || d
		}
	}
	var out []Aspect
	for a := AspectDisposition; int(a) < len(differs); a++ {
		if differs[a] {
			out = append(out, a)
		}
	}
	return out
}

// recipientAspects returns, indexed by Aspect, whether the recipient x of
// trace a and y of trace b differ in each aspect but Class. The hops are
// compared field by field, without rendering them.
func recipientAspects(a, b *route.Result, x, y *route.Recipient) [len(aspectNames)]bool {
	var d [len(aspectNames)]bool
	d[AspectDisposition] = x.Disposition != y.Disposition
	d[AspectStatus] = x.Status != y.Status
	d[AspectPath] = hopsDiffer(x, y, func(p, q *route.Hop) bool { return p.Node == q.Node })
	d[AspectSplit] = !sameSplit(a, x, b, y)
	d[AspectConnector] = hopsDiffer(x, y, func(p, q *route.Hop) bool {
		return p.InboundConnector == q.InboundConnector && p.Connector == q.Connector
	})
	d[AspectFiltering] = hopsDiffer(x, y, func(p, q *route.Hop) bool { return slices.EqualFunc(p.Filters, q.Filters, sameFilter) })
	d[AspectAttribution] = hopsDiffer(x, y, func(p, q *route.Hop) bool { return p.AuthAs == q.AuthAs && p.Directionality == q.Directionality })
	d[AspectTLS] = hopsDiffer(x, y, func(p, q *route.Hop) bool { return sameTLS(p.TLS, q.TLS) && sameTLS(p.SendTLS, q.SendTLS) })
	d[AspectAuthentication] = !slices.Equal(authenticationOf(x), authenticationOf(y))
	return d
}

// authenticationOf renders what email authentication found at each hop
// of the recipient's path that evaluated it, in path order: the node,
// then the fields of the Authentication-Results header. Hops that did
// not evaluate it are left out, so a path that changes elsewhere does not
// change it.
func authenticationOf(rc *route.Recipient) []string {
	var out []string
	for i := range rc.Hops {
		if a := rc.Hops[i].Authentication; a != nil {
			out = append(out, rc.Hops[i].Node.String()+" "+a.Header())
		}
	}
	return out
}

// sameSplit reports whether the copies of recipients x of a and y of b
// were split off at the same node and hop, or are both copy 0.
func sameSplit(a *route.Result, x *route.Recipient, b *route.Result, y *route.Recipient) bool {
	split := func(r *route.Result, rc *route.Recipient) *route.Copy {
		if rc.Copy <= 0 || rc.Copy >= len(r.Copies) {
			return nil
		}
		return &r.Copies[rc.Copy]
	}
	p, q := split(a, x), split(b, y)
	if p == nil || q == nil {
		return p == q
	}
	return p.SplitNode == q.SplitNode && p.SplitHop == q.SplitHop
}

// hopsDiffer reports whether the recipients' hops differ in what same
// compares (hop by hop; a different number of hops differs).
func hopsDiffer(x, y *route.Recipient, same func(p, q *route.Hop) bool) bool {
	if len(x.Hops) != len(y.Hops) {
		return true
	}
	for i := range x.Hops {
		if !same(&x.Hops[i], &y.Hops[i]) {
			return true
		}
	}
	return false
}

// sameTLS reports whether two connections did the same about TLS: none,
// with or without STARTTLS, and the same failure.
func sameTLS(p, q *route.TLS) bool {
	if p == nil || q == nil {
		return p == q
	}
	return p.STARTTLS == q.STARTTLS && p.Failure == q.Failure
}

// sameFilter reports whether two filters have the same stage, result,
// verdict and action.
func sameFilter(p, q route.Filter) bool {
	return p.Stage == q.Stage && p.Result == q.Result && p.Verdict == q.Verdict && p.Action == q.Action
}
