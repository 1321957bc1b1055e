package topology

import (
	"maps"
	"slices"
)

// ExternalDomains returns the mail domains the external systems declare
// (ExternalSpec.Domains), in ascending order; [Topology.ExternalSystem]
// gives each one's node.
func (t *Topology) ExternalDomains() []string {
	return slices.Sorted(maps.Keys(t.external))
}
