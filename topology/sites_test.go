package topology_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// sitesSpec is an organization in three Active Directory sites, Paris,
// London and Tokyo, and an Edge Transport server.
func sitesSpec() topology.Spec {
	return topology.Spec{OnPremises: []topology.OnPremisesSpec{{
		Name:            "contoso",
		AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
		Servers: []topology.ServerSpec{
			{Name: "PAR01", Fqdn: "par01.contoso.com", Site: "Paris"},
			{Name: "LON01", Fqdn: "lon01.contoso.com", Site: "London"},
			{Name: "TOK01", Fqdn: "tok01.contoso.com", Site: "Tokyo"},
			{Name: "HQ01", Fqdn: "hq01.contoso.com"},
			{Name: "EDGE01", Role: topology.Edge, Fqdn: "edge01.contoso.com"},
		},
		ADSiteLinks: []topology.ADSiteLink{
			{Name: "Paris-London", Sites: []string{"Paris", "London"}, Cost: 10},
			{Name: "London-Tokyo", Sites: []string{"London", "Tokyo"}, Cost: 100, ExchangeCost: 20},
			{Name: "Paris-Tokyo", Sites: []string{"Paris", "Tokyo"}}, // AD's default cost, 100
		},
	}}}
}

// Exchange finds the least-cost path between sites by the site links'
// costs, ExchangeCost replacing Cost when set ("Set-AdSiteLink"; "Mail
// routing in Exchange Server").
func TestSiteCost(t *testing.T) {
	topo, err := topology.Build(sitesSpec())
	require.NoError(t, err)
	o, _ := topo.OnPremisesOrg("contoso")
	require.Equal(t, []string{topology.DefaultSite, "London", "Paris", "Tokyo"}, slices.Collect(o.Sites()))
	for _, c := range []struct {
		from, to string
		cost     int
		ok       bool
	}{
		{"Paris", "Paris", 0, true},
		{"Paris", "London", 10, true},
		{"London", "Tokyo", 20, true},             // ExchangeCost, not Cost
		{"Paris", "Tokyo", 30, true},              // through London: 10 + 20 < 100
		{"paris", "TOKYO", 30, true},              // site names ignore case
		{"Paris", topology.DefaultSite, 0, false}, // no site link
		{"Paris", "Nowhere", 0, false},
	} {
		cost, ok := o.SiteCost(c.from, c.to)
		require.Equal(t, c.ok, ok, "%s→%s", c.from, c.to)
		require.Equal(t, c.cost, cost, "%s→%s", c.from, c.to)
	}
	site, ok := o.ServerSite("hq01")
	require.True(t, ok)
	require.Equal(t, topology.DefaultSite, site, "a server without Site is in Default-First-Site-Name")
	_, ok = o.ServerSite("EDGE01")
	require.False(t, ok, "an unsubscribed Edge is in no site")

	// Without ExchangeCost, the direct link is cheaper.
	spec := sitesSpec()
	spec.OnPremises[0].ADSiteLinks[1].ExchangeCost = 0
	spec.OnPremises[0].ADSiteLinks[2].Cost = 50
	topo, err = topology.Build(spec)
	require.NoError(t, err)
	o, _ = topo.OnPremisesOrg("contoso")
	cost, _ := o.SiteCost("Paris", "Tokyo")
	require.Equal(t, 50, cost)
}

// ADSiteLinks yields the site links in name order, copies that share no
// memory with the topology.
func TestADSiteLinks(t *testing.T) {
	topo, err := topology.Build(sitesSpec())
	require.NoError(t, err)
	o, _ := topo.OnPremisesOrg("contoso")
	links := slices.Collect(o.ADSiteLinks())
	require.Equal(t, []topology.ADSiteLink{
		{Name: "London-Tokyo", Sites: []string{"London", "Tokyo"}, Cost: 100, ExchangeCost: 20},
		{Name: "Paris-London", Sites: []string{"Paris", "London"}, Cost: 10},
		{Name: "Paris-Tokyo", Sites: []string{"Paris", "Tokyo"}},
	}, links)
	links[0].Sites[0] = "changed"
	for l := range o.ADSiteLinks() {
		require.NotContains(t, l.Sites, "changed")
		break
	}
}

// An Edge Transport server is a node of kind Edge, role EdgeTransport, in
// no site of its own ("Edge Subscriptions").
func TestEdgeNode(t *testing.T) {
	topo, err := topology.Build(sitesSpec())
	require.NoError(t, err)
	n, ok := topo.Node(id("onprem:contoso/EDGE01"))
	require.True(t, ok)
	require.Equal(t, topology.KindEdge, n.Kind)
	require.Equal(t, topology.RoleEdgeTransport, n.Role)
	require.Equal(t, topology.Edge, n.ServerRole)
	require.Empty(t, n.Site)
	par, _ := topo.Node(id("onprem:contoso/PAR01"))
	require.Equal(t, topology.KindOnPremises, par.Kind)
	require.Equal(t, "Paris", par.Site)
	o, _ := topo.OnPremisesOrg("contoso")
	require.NotContains(t, slices.Collect(o.MailboxServers()), n.ID, "an Edge holds no mailboxes")
}

func TestSitesInvalid(t *testing.T) {
	const objO = `OnPremises["contoso"]`
	tests := []struct {
		name   string
		modify func(o *topology.OnPremisesSpec)
		want   []topology.Problem
	}{
		{"EdgeWithSite", func(o *topology.OnPremisesSpec) { o.Servers[4].Site = "Paris" },
			[]topology.Problem{{Path: objO + `.Servers["EDGE01"]`, Field: "Site", Message: "an Edge Transport server is not domain-joined and has no Active Directory site; EdgeSubscriptions names the site it is subscribed to"}}},
		{"UnknownRole", func(o *topology.OnPremisesSpec) { o.Servers[3].Role = "Hub" },
			[]topology.Problem{{Path: objO + `.Servers["HQ01"]`, Field: "Role", Message: `"Hub" is not Mailbox, ClientAccess or Edge`}}},
		{"MailboxOnEdge", func(o *topology.OnPremisesSpec) {
			o.Recipients = []topology.Recipient{{RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "a@contoso.com", Server: "EDGE01"}}
		}, []topology.Problem{{Path: objO + `.Recipients["a@contoso.com"]`, Field: "Server", Message: `"EDGE01" is an Edge server; mailboxes live on Mailbox servers`}}},
		{"LinkProblems", func(o *topology.OnPremisesSpec) {
			o.ADSiteLinks = append(o.ADSiteLinks,
				topology.ADSiteLink{Name: "paris-london", Sites: []string{"Paris", ""}, Cost: -1, ExchangeCost: -2},
				topology.ADSiteLink{Sites: []string{"Paris"}})
		}, []topology.Problem{
			{Path: objO + `.ADSiteLinks[""]`, Field: "Name", Message: "is empty"},
			{Path: objO + `.ADSiteLinks[""]`, Field: "Sites", Message: "a site link joins two or more sites"},
			{Path: objO + `.ADSiteLinks["paris-london"]`, Field: "Cost", Message: "-1 is negative"},
			{Path: objO + `.ADSiteLinks["paris-london"]`, Field: "ExchangeCost", Message: "-2 is negative"},
			{Path: objO + `.ADSiteLinks["paris-london"]`, Field: "Name", Message: "is used by two site links"},
			{Path: objO + `.ADSiteLinks["paris-london"]`, Field: "Sites[1]", Message: "is empty"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := sitesSpec()
			tt.modify(&spec.OnPremises[0])
			_, err := topology.Build(spec)
			var ve *topology.ValidationError
			require.True(t, errors.As(err, &ve), "%v", err)
			require.Equal(t, tt.want, ve.Problems)
		})
	}
}
