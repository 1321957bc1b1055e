package topology

import (
	"iter"
	"slices"
)

// ExternalDomains yields the mail domains the external systems declare
// (ExternalSpec.Domains), in ascending order; [Topology.ExternalSystem]
// gives each one's node.
func (t *Topology) ExternalDomains() iter.Seq[string] { return slices.Values(t.externalDomains) }
