package render_test

import (
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// The drawing of an Edge subscription: the Edge's "--" smart host leads to
// the Mailbox servers of its site ("Edge Subscriptions"), and the EdgeSync
// connectors start at the Edge only; servers name their site when the
// organization has several.
func TestTopologyEdgeAndSites(t *testing.T) {
	topo, err := topology.Build(scenario.EdgeHybridSpec())
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, render.TopologyDOT(&b, topo))
	dot := b.String()
	require.Contains(t, dot, `n4 [label="onprem:tailspintoys/EDGE01\nEdge"]`)
	require.Contains(t, dot, `n5 [label="onprem:tailspintoys/EX01\nOnPremises"]`)
	require.Contains(t, dot, `n4 -> n5 [label="EdgeSync - Inbound to Default-First-Site-Name"]`)
	require.NotContains(t, dot, "smart host --")
	require.NotRegexp(t, `n5 -> [^\n]*EdgeSync`, dot, "EX01 is no source server of the EdgeSync connectors")
	require.NotContains(t, dot, "site Default-First-Site-Name", "one site: not named")

	topo, err = topology.Build(scenario.SitesSpec(scenario.SitesSettings{LondonCost: 95}))
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, render.TopologyDOT(&b, topo))
	require.Contains(t, b.String(), "site Paris")
	require.Contains(t, b.String(), "site London")
}
