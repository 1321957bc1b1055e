// Package testopts holds the go-cmp options mailflow's tests share, so
// that opaque value types compare by value.
package testopts

import (
	"net/netip"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/topology"
)

// Cmp are the options for cmp.Diff in mailflow's tests: opaque IDs,
// patterns and IP addresses compare with ==, a topology.Node's links to
// its organization are ignored, and nil and empty slices are equal.
var Cmp = cmp.Options{
	cmpopts.EquateComparable(topology.NodeID{}, connector.Pattern{}, netip.Addr{}),
	cmpopts.IgnoreUnexported(topology.Node{}),
	cmpopts.EquateEmpty(),
}
