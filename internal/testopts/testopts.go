// Package testopts holds the go-cmp options mailflow's tests share, so
// that opaque value types compare by value.
package testopts

import (
	"iter"
	"net/netip"
	"slices"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/topology"
)

// Cmp are the options for cmp.Diff in mailflow's tests: opaque IDs,
// patterns and IP addresses compare with ==, a topology.Node compares as
// its [NodeView] (its links to its organization are ignored), and nil and
// empty slices are equal.
var Cmp = cmp.Options{
	cmpopts.EquateComparable(topology.NodeID{}, connector.Pattern{}, netip.Addr{}),
	cmp.Transformer("View", View),
	cmpopts.EquateEmpty(),
}

// NodeView is a topology.Node as tests write it: every field, the host
// names and a copy of the certificate (nil for none).
type NodeView struct {
	ID              topology.NodeID
	Kind            topology.Kind
	Role            topology.Role
	Org, Name       string
	Hosts           []string
	IPAddress       netip.Addr
	ServerRole      topology.ServerRole
	Certificate     *topology.Certificate
	StartTLS        bool
	Offline         bool
	SmartHost       string
	Transparent     bool
	AuthenticatedAs string
	MessagesPerHour int
}

// View returns n's NodeView.
func View(n topology.Node) NodeView {
	v := NodeView{
		ID: n.ID, Kind: n.Kind, Role: n.Role, Org: n.Org, Name: n.Name, Hosts: slices.Collect(n.Hosts()),
		IPAddress: n.IPAddress, ServerRole: n.ServerRole, StartTLS: n.StartTLS, Offline: n.Offline,
		SmartHost: n.SmartHost, Transparent: n.Transparent, AuthenticatedAs: n.AuthenticatedAs, MessagesPerHour: n.MessagesPerHour,
	}
	if !n.Certificate.IsZero() {
		c := n.Certificate.Certificate()
		v.Certificate = &c
	}
	return v
}

// Views returns the NodeViews of nodes, in order.
func Views(nodes iter.Seq[topology.Node]) []NodeView {
	var vs []NodeView
	for n := range nodes {
		vs = append(vs, View(n))
	}
	return vs
}
