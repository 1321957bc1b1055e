package analysis

import (
	"slices"
	"strconv"
	"strings"

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
// trace a and y of trace b differ in each aspect but Class.
func recipientAspects(a, b *route.Result, x, y *route.Recipient) [len(aspectNames)]bool {
	var d [len(aspectNames)]bool
	d[AspectDisposition] = x.Disposition != y.Disposition
	d[AspectStatus] = x.Status != y.Status
	d[AspectPath] = !slices.EqualFunc(x.Hops, y.Hops, func(p, q route.Hop) bool { return p.Node == q.Node })
	d[AspectSplit] = splitOf(a, x) != splitOf(b, y)
	d[AspectConnector] = hopsDiffer(x, y, func(h *route.Hop) string { return h.InboundConnector + "\x00" + h.Connector })
	d[AspectFiltering] = hopsDiffer(x, y, filtering)
	d[AspectAttribution] = hopsDiffer(x, y, func(h *route.Hop) string { return h.AuthAs.String() + "/" + h.Directionality.String() })
	d[AspectTLS] = hopsDiffer(x, y, connections)
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

// splitOf names where the recipient's copy was split off: "node@hop", or
// "" for copy 0.
func splitOf(r *route.Result, rc *route.Recipient) string {
	if rc.Copy <= 0 || rc.Copy >= len(r.Copies) {
		return ""
	}
	c := r.Copies[rc.Copy]
	return c.SplitNode.String() + "@" + strconv.Itoa(c.SplitHop)
}

// hopsDiffer reports whether the recipients' hops differ in what key
// renders (hop by hop; a different number of hops differs).
func hopsDiffer(x, y *route.Recipient, key func(*route.Hop) string) bool {
	if len(x.Hops) != len(y.Hops) {
		return true
	}
	for i := range x.Hops {
		if key(&x.Hops[i]) != key(&y.Hops[i]) {
			return true
		}
	}
	return false
}

// connections renders what a hop's connections did about TLS: whether
// they used it, and the failure.
func connections(h *route.Hop) string {
	var b strings.Builder
	for _, t := range [2]*route.TLS{h.TLS, h.SendTLS} {
		switch {
		case t == nil:
			b.WriteString("-")
		case t.STARTTLS:
			b.WriteString("TLS")
		default:
			b.WriteString("plain")
		}
		if t != nil && t.Failure != 0 {
			b.WriteString("/" + t.Failure.String())
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// filtering renders a hop's filters: stage, applied, verdict.
func filtering(h *route.Hop) string {
	var b strings.Builder
	for _, f := range h.Filters {
		b.WriteString(f.Stage.String())
		b.WriteByte('/')
		b.WriteString(f.Result.String())
		if f.Verdict != 0 {
			b.WriteByte('/')
			b.WriteString(f.Verdict.String())
		}
		if f.Action != 0 {
			b.WriteByte('/')
			b.WriteString(f.Action.String())
		}
		b.WriteByte(' ')
	}
	return b.String()
}
