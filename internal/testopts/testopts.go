// Package testopts holds the go-cmp options mailflow's tests share, so
// that opaque value types compare by value.
package testopts

import (
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/topology"
)

// Cmp are the options for cmp.Diff in mailflow's tests: opaque IDs and
// patterns compare with ==, and nil and empty slices are equal.
var Cmp = cmp.Options{
	cmpopts.EquateComparable(topology.NodeID{}, connector.Pattern{}),
	cmpopts.EquateEmpty(),
}
