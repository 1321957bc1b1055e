package render_test

import (
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// The drawing of an Edge subscription: the Edge Transport server is in the
// perimeter network, outside the sites, and names the site it is subscribed
// to; its "--" smart host leads to the Mailbox servers of its site ("Edge
// Subscriptions"), the EdgeSync connectors and the hybrid connectors
// (EdgeTransportServers: "Edge Transport servers with hybrid deployments")
// start at the Edge only, and the Mailbox servers of its site relay to it
// the mail of those it sends out.
func TestTopologyEdgeAndSites(t *testing.T) {
	topo, err := topology.Build(scenario.EdgeHybridSpec())
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, render.TopologyDOT(&b, topo))
	dot := b.String()
	for _, want := range []string{
		"subgraph cluster_1_0 {\n      label=\"site Default-First-Site-Name\";\n      style=rounded;\n      n5 [label=\"onprem:tailspintoys/EX01\\nOnPremises\"];\n",
		"subgraph cluster_1_1 {\n      label=\"perimeter network\";\n      style=rounded;\n      n4 [label=\"onprem:tailspintoys/EDGE01\\nEdge\\nsubscribed to site Default-First-Site-Name\"];\n",
		`n4 -> n5 [label="EdgeSync - Inbound to Default-First-Site-Name"]`,
		`n4 -> n3 [label="EdgeSync - Default-First-Site-Name to Internet"]`,
		`n4 -> d2 [label="Outbound to Office 365", style=bold]`,
		`n0 -> n4 [label="Outbound to tailspintoys", style=bold]`,
		`n5 -> n4 [label="EdgeSync - Default-First-Site-Name to Internet (relay to source server)"]`,
		`n5 -> n4 [label="Outbound to Office 365 (relay to source server)", style=bold]`,
	} {
		require.Contains(t, dot, want)
	}
	require.NotContains(t, dot, "smart host --")
	require.NotContains(t, dot, "compound=true", "one site: no site link")
	require.NotRegexp(t, `n5 -> \S+ \[label="EdgeSync[^"(]*"\]`, dot, "EX01 is no source server of the EdgeSync connectors")
	require.NotRegexp(t, `n5 -> d2`, dot, "EX01 is no source server of the hybrid Send connector")

	topo, err = topology.Build(scenario.SitesSpec(scenario.SitesSettings{LondonCost: 95}))
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, render.TopologyMermaid(&b, topo))
	for _, want := range []string{
		"    subgraph c0_0[\"site London\"]\n      n2[\"onprem:fourthcoffee/LON01<br/>OnPremises\"]\n",
		"    subgraph c0_1[\"site Paris\"]\n      n3[\"onprem:fourthcoffee/PAR01<br/>OnPremises\"]\n",
		"  c0_0 ---|\"Paris-London: cost 10\"| c0_1\n",
	} {
		require.Contains(t, b.String(), want)
	}
	require.NotContains(t, b.String(), "perimeter network", "no Edge Transport server")
}

// A site link's label gives the cost Exchange uses: ExchangeCost when set,
// with the Active Directory Cost beside it, else Cost, 100 when zero
// ("Set-AdSiteLink"); a link joining three sites joins each pair; a site
// without an Exchange server has a vertex that says so.
func TestTopologySiteLinks(t *testing.T) {
	spec := scenario.SitesSpec(scenario.SitesSettings{LondonCost: 95})
	spec.OnPremises[0].ADSiteLinks = []topology.ADSiteLink{
		{Name: "Ring", Sites: []string{"Tokyo", "Paris", "London"}},
		{Name: "Paris-London", Sites: []string{"Paris", "London"}, Cost: 10, ExchangeCost: 5},
	}
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, render.TopologyDOT(&b, topo))
	for _, want := range []string{
		"  compound=true;\n",
		`s0 [label="no Exchange server", shape=plaintext]`,
		`n2 -> n3 [label="Paris-London: ExchangeCost 5 (Cost 10)", dir=none, ltail=cluster_0_0, lhead=cluster_0_1];` + "\n" +
			`  n2 -> n3 [label="Ring: cost 100", dir=none, ltail=cluster_0_0, lhead=cluster_0_1];` + "\n" +
			`  n2 -> s0 [label="Ring: cost 100", dir=none, ltail=cluster_0_0, lhead=cluster_0_2];` + "\n" +
			`  n3 -> s0 [label="Ring: cost 100", dir=none, ltail=cluster_0_1, lhead=cluster_0_2];` + "\n}\n",
	} {
		require.Contains(t, b.String(), want)
	}
}
