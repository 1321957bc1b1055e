package route_test

import (
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// edgeSpec is an organization with Mailbox servers in two sites, Paris and
// London, joined by a site link of cost 10, and an Edge Transport server
// subscribed to Paris; contoso.com's MX is the Edge.
func edgeSpec() topology.Spec {
	return topology.Spec{
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Servers: []topology.ServerSpec{
				{Name: "PAR01", Fqdn: "par01.contoso.com", Site: "Paris"},
				{Name: "LON01", Fqdn: "lon01.contoso.com", Site: "London"},
				{Name: "EDGE01", Role: topology.Edge, Fqdn: "edge01.contoso.com", Hosts: []string{"mail.contoso.com"}, IPAddress: "203.0.113.25"},
			},
			ADSiteLinks:       []topology.ADSiteLink{{Name: "Paris-London", Sites: []string{"Paris", "London"}, Cost: 10}},
			EdgeSubscriptions: []topology.EdgeSubscription{{Name: "EDGE01", Site: "Paris"}},
			Recipients: []topology.Recipient{
				{RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "julie@contoso.com", Server: "PAR01"},
				{RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "ben@contoso.com", Server: "LON01"},
			},
		}},
		External:  []topology.ExternalSpec{{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}, IPAddress: "198.51.100.25"}},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", NameExchange: "mail.contoso.com"}, {Domain: "cpandl.com", NameExchange: "mx.cpandl.com"}},
	}
}

func hopPath(r route.Recipient) string {
	var s []string
	for _, h := range r.Hops {
		s = append(s, h.Node.String())
	}
	return strings.Join(s, " > ")
}

// "Edge Subscriptions": subscribing creates the two EdgeSync Send
// connectors, sourced on the Edge.
func TestEdgeSubscriptionConnectors(t *testing.T) {
	topo := build(t, edgeSpec())
	o, _ := topo.OnPremisesOrg("contoso")
	var got []connector.Send
	for c := range o.SendConnectors() {
		got = append(got, c)
	}
	require.Len(t, got, 2)
	require.Equal(t, "EdgeSync - Inbound to Paris", got[0].Name)
	require.Equal(t, []string{"SMTP:--;1"}, got[0].AddressSpaces)
	require.Equal(t, []string{"--"}, got[0].SmartHosts)
	require.Equal(t, []string{"EDGE01"}, got[0].SourceTransportServers)
	require.Equal(t, "EdgeSync - Paris to Internet", got[1].Name)
	require.Equal(t, []string{"SMTP:*;100"}, got[1].AddressSpaces)
	require.True(t, got[1].UsesDNS())

	// Without a subscription, no connector and nothing leaves.
	spec := edgeSpec()
	spec.OnPremises[0].EdgeSubscriptions = nil
	o, _ = build(t, spec).OnPremisesOrg("contoso")
	require.Empty(t, func() (n []connector.Send) {
		for c := range o.SendConnectors() {
			n = append(n, c)
		}
		return
	}())
}

// Inbound Internet mail whose MX is the Edge is received there, filtered
// for spam, and relayed to the subscribed site's Mailbox servers ("Edge
// Subscriptions"); Internet mail from a Mailbox server goes to the Edge,
// which sends it by DNS.
func TestEdgeRouting(t *testing.T) {
	topo := build(t, edgeSpec())
	res, err := route.Trace(topo, route.Message{From: "erin@cpandl.com", To: []string{"julie@contoso.com", "ben@contoso.com"}})
	require.NoError(t, err)
	julie, ben := res.Recipients[0], res.Recipients[1]
	require.Equal(t, route.Delivered, julie.Disposition, textAndJSON(t, res))
	require.Equal(t, "ext:cpandl > onprem:contoso/EDGE01 > onprem:contoso/PAR01", hopPath(julie))
	require.Equal(t, "ext:cpandl > onprem:contoso/EDGE01 > onprem:contoso/PAR01 > onprem:contoso/LON01", hopPath(ben))
	edge := julie.Hops[1]
	require.Equal(t, topology.KindEdge, edge.Kind)
	require.Equal(t, topology.RoleEdgeTransport, edge.Role)
	require.Equal(t, "EdgeSync - Inbound to Paris", edge.Connector)
	require.Equal(t, "Default internal receive connector EDGE01", edge.InboundConnector)
	f, _ := edge.Filter(route.AntiSpam)
	require.Equal(t, route.Applied, f.Result, "anti-spam runs on the Edge")
	f, _ = julie.Hops[2].Filter(route.AntiSpam)
	require.Equal(t, route.Skipped, f.Result, "not on Mailbox servers")

	// Outbound: London relays to the Edge (the connector's source server),
	// across the site link; the Edge sends by MX.
	res, err = route.Trace(topo, route.Message{From: "ben@contoso.com", To: []string{"erin@cpandl.com"}})
	require.NoError(t, err)
	erin := res.Recipients[0]
	require.Equal(t, "onprem:contoso/LON01 > onprem:contoso/EDGE01 > ext:cpandl", hopPath(erin), textAndJSON(t, res))
	require.Equal(t, "EdgeSync - Paris to Internet", erin.Hops[0].Connector)
	require.Equal(t, &route.SendRoute{Site: "Paris", SiteCost: 10, Cost: 110}, erin.Hops[0].SendRoute)
	f, _ = erin.Hops[1].Filter(route.AntiSpam)
	require.Equal(t, route.Skipped, f.Result, "internal mail is not spam-filtered")

}

// "Connector selection in external message routing": the lowest
// aggregate cost wins across sites; a scoped connector is used only from
// its own site.
func TestLeastCostRouting(t *testing.T) {
	spec := edgeSpec()
	spec.OnPremises[0].SendConnectors = []connector.Send{{Name: "London Internet", AddressSpaces: []string{"SMTP:*;95"}, SourceTransportServers: []string{"LON01"}}}
	topo := build(t, spec)
	trace := func(from string) route.Recipient {
		res, err := route.Trace(topo, route.Message{From: from, To: []string{"erin@cpandl.com"}})
		require.NoError(t, err)
		return res.Recipients[0]
	}
	// From Paris: the Edge's 100 + 0 beats London's 95 + 10.
	r := trace("julie@contoso.com")
	require.Equal(t, "EdgeSync - Paris to Internet", r.Hops[0].Connector)
	require.Equal(t, &route.SendRoute{Site: "Paris", SiteCost: 0, Cost: 100}, r.Hops[0].SendRoute)
	// From London: its own connector, 95 + 0 beats 100 + 10.
	r = trace("ben@contoso.com")
	require.Equal(t, "London Internet", r.Hops[0].Connector)
	require.Equal(t, "onprem:contoso/LON01 > ext:cpandl", hopPath(r))

	// London's connector at cost 85: 85 + 10 < 100 wins from Paris too...
	spec.OnPremises[0].SendConnectors[0].AddressSpaces = []string{"SMTP:*;85"}
	topo = build(t, spec)
	r = trace("julie@contoso.com")
	require.Equal(t, "London Internet", r.Hops[0].Connector)
	require.Equal(t, &route.SendRoute{Site: "London", SiteCost: 10, Cost: 95}, r.Hops[0].SendRoute)
	require.Equal(t, "onprem:contoso/PAR01 > onprem:contoso/LON01 > ext:cpandl", hopPath(r))
	// ...unless it is scoped to London.
	spec.OnPremises[0].SendConnectors[0].IsScopedConnector = true
	topo = build(t, spec)
	r = trace("julie@contoso.com")
	require.Equal(t, "EdgeSync - Paris to Internet", r.Hops[0].Connector)
	r = trace("ben@contoso.com")
	require.Equal(t, "London Internet", r.Hops[0].Connector)
}

func TestEdgeSubscriptionsInvalid(t *testing.T) {
	const objO = `OnPremises["contoso"]`
	for _, tt := range []struct {
		name   string
		modify func(o *topology.OnPremisesSpec)
		want   []topology.Problem
	}{
		{"NotAServer", func(o *topology.OnPremisesSpec) { o.EdgeSubscriptions[0].Name = "EDGE09" },
			[]topology.Problem{{Path: objO + `.EdgeSubscriptions["EDGE09"]`, Field: "Name", Message: `"EDGE09" is not a server of the organization`}}},
		{"NotAnEdge", func(o *topology.OnPremisesSpec) {
			o.EdgeSubscriptions = append(o.EdgeSubscriptions, topology.EdgeSubscription{Name: "PAR01", Site: "Paris"})
		}, []topology.Problem{{Path: objO + `.EdgeSubscriptions["PAR01"]`, Field: "Name", Message: `"PAR01" is a Mailbox server; only Edge Transport servers are subscribed`}}},
		{"Twice", func(o *topology.OnPremisesSpec) {
			o.EdgeSubscriptions = append(o.EdgeSubscriptions, topology.EdgeSubscription{Name: "EDGE01", Site: "London"})
		}, []topology.Problem{{Path: objO + `.EdgeSubscriptions["EDGE01"]`, Field: "Name", Message: "an Edge Transport server has one subscription"}}},
		{"NoMailboxInSite", func(o *topology.OnPremisesSpec) { o.EdgeSubscriptions[0].Site = "Tokyo" },
			[]topology.Problem{{Path: objO + `.EdgeSubscriptions["EDGE01"]`, Field: "Site", Message: `no Mailbox server of the organization is in site "Tokyo"`}}},
		{"DashDashOnMailbox", func(o *topology.OnPremisesSpec) {
			o.SendConnectors = []connector.Send{{Name: "Inward", AddressSpaces: []string{"--"}, DNSRoutingEnabled: connector.False, SmartHosts: []string{"--"}, SourceTransportServers: []string{"PAR01"}}}
		}, []topology.Problem{{Path: objO + `.SendConnectors["Inward"]`, Field: "SmartHosts", Message: `"--" (the Mailbox servers of the subscribed site) is the smart host of an EdgeSync connector, sourced on subscribed Edge Transport servers only`}}},
		{"UnsubscribedEdgeSource", func(o *topology.OnPremisesSpec) {
			o.EdgeSubscriptions = nil
			o.SendConnectors = []connector.Send{{Name: "Out", AddressSpaces: []string{"*"}, SourceTransportServers: []string{"EDGE01"}}}
		}, []topology.Problem{{Path: objO + `.SendConnectors["Out"]`, Field: "SourceTransportServers[0]", Message: `"EDGE01" is an Edge Transport server without an Edge subscription`}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := edgeSpec()
			tt.modify(&spec.OnPremises[0])
			_, err := topology.Build(spec)
			var ve *topology.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Equal(t, tt.want, ve.Problems)
		})
	}
}

// edgeHybridSpec pairs edgeSpec's organization with the tenant contoso,
// the wizard configuring the Edge ("Edge Transport servers with hybrid
// deployments").
func edgeHybridSpec(edges ...string) topology.Spec {
	spec := edgeSpec()
	spec.Tenants = []topology.TenantSpec{{
		Name:            "contoso",
		AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
		Recipients: []topology.Recipient{
			{RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@contoso.com", EmailAddresses: []string{"smtp:david@contoso.mail.onmicrosoft.com"}},
			{RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "julie@contoso.com"},
		},
	}}
	o := &spec.OnPremises[0]
	o.Recipients = append(o.Recipients, topology.Recipient{RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "david@contoso.com", RemoteRoutingAddress: "david@contoso.mail.onmicrosoft.com"})
	o.Servers[2].Certificate = &topology.Certificate{CertificateDomains: []string{"mail.contoso.com"}}
	spec.Hybrid = []topology.HybridConfiguration{{
		Tenant: "contoso", OnPremises: "contoso", Domains: []string{"contoso.com"},
		OnPremisesSmartHost: "mail.contoso.com", TlsCertificateName: "<I>CN=CA<S>CN=mail.contoso.com",
		SendingTransportServers: []string{"PAR01"}, ReceivingTransportServers: []string{"PAR01"},
		EdgeTransportServers: edges,
	}}
	return spec
}

// "Edge Transport servers with hybrid deployments": on-premises to Exchange
// Online goes Mailbox → Edge → EOP → Exchange Online, and back the same way,
// as internal mail.
func TestEdgeHybrid(t *testing.T) {
	topo := build(t, edgeHybridSpec("EDGE01"))
	res, err := route.Trace(topo, route.Message{From: "julie@contoso.com", To: []string{"david@contoso.com"}})
	require.NoError(t, err)
	r := res.Recipients[0]
	require.Equal(t, route.Delivered, r.Disposition, textAndJSON(t, res))
	require.Equal(t, "onprem:contoso/PAR01 > onprem:contoso/EDGE01 > eop:contoso > exo:contoso", hopPath(r))
	require.Equal(t, "Outbound to Office 365", r.Hops[1].Connector)
	require.Equal(t, route.Internal, r.Hops[2].AuthAs)

	res, err = route.Trace(topo, route.Message{From: "david@contoso.com", To: []string{"julie@contoso.com"}})
	require.NoError(t, err)
	r = res.Recipients[0]
	require.Equal(t, route.Delivered, r.Disposition, textAndJSON(t, res))
	require.Equal(t, "exo:contoso > eop:contoso > onprem:contoso/EDGE01 > onprem:contoso/PAR01", hopPath(r))
	require.Equal(t, route.Internal, r.Hops[2].AuthAs, "the Edge accepts Exchange Online's mail with the certificate")
	require.True(t, r.Hops[2].CrossPremisesHeaders)

	// Without EdgeTransportServers, the wizard configures the Mailbox
	// server: the path skips the Edge (which Exchange Online still reaches
	// by the smart host, but as anonymous mail).
	topo = build(t, edgeHybridSpec())
	res, err = route.Trace(topo, route.Message{From: "julie@contoso.com", To: []string{"david@contoso.com"}})
	require.NoError(t, err)
	require.Equal(t, "onprem:contoso/PAR01 > eop:contoso > exo:contoso", hopPath(res.Recipients[0]), textAndJSON(t, res))
	res, err = route.Trace(topo, route.Message{From: "david@contoso.com", To: []string{"julie@contoso.com"}})
	require.NoError(t, err)
	require.Equal(t, route.Anonymous, res.Recipients[0].Hops[2].AuthAs, textAndJSON(t, res))

	spec := edgeHybridSpec("PAR01", "EDGE09")
	_, err = topology.Build(spec)
	var ve *topology.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, []topology.Problem{
		{Path: `Hybrid["contoso", "contoso"]`, Field: "EdgeTransportServers[0]", Message: `"PAR01" is not an Edge Transport server`},
		{Path: `Hybrid["contoso", "contoso"]`, Field: "EdgeTransportServers[1]", Message: `"EDGE09" is not a server of "contoso"`},
		// The wizard's Send connector is sourced on them.
		{Path: `OnPremises["contoso"].SendConnectors["Outbound to Office 365"]`, Field: "SourceTransportServers[1]", Message: `"EDGE09" is not a server of the organization`},
	}, ve.Problems)
}

// An Edge relays for anonymous Internet senders only to accepted domains,
// as its Receive connector allows ("Receive connectors"; "Edge
// Subscriptions"); a Receive connector with AnonymousRelay lets them relay.
func TestEdgeRelay(t *testing.T) {
	spec := edgeSpec()
	spec.External = append(spec.External, topology.ExternalSpec{Name: "app", Domains: []string{"app.example"}, Hosts: []string{"app.example"}, IPAddress: "192.0.2.50", SmartHost: "mail.contoso.com"})
	msg := route.Message{From: "app@app.example", To: []string{"erin@cpandl.com", "julie@contoso.com"}}
	res, err := route.Trace(build(t, spec), msg)
	require.NoError(t, err)
	erin, julie := res.Recipients[0], res.Recipients[1]
	require.Equal(t, route.Rejected, erin.Disposition, textAndJSON(t, res))
	require.Equal(t, route.StatusUnableToRelay, erin.Status.String())
	require.Equal(t, "onprem:contoso/EDGE01", erin.Hops[len(erin.Hops)-1].Node.String())
	require.Equal(t, route.Delivered, julie.Disposition)

	spec.OnPremises[0].ReceiveConnectors = []connector.Receive{{
		Name: "Relay", Server: "EDGE01", TransportRole: "HubTransport", Bindings: []string{"0.0.0.0:25"},
		PermissionGroups: []string{"AnonymousUsers"}, AnonymousRelay: true,
	}}
	res, err = route.Trace(build(t, spec), msg)
	require.NoError(t, err)
	erin = res.Recipients[0]
	require.Equal(t, route.Relayed, erin.Disposition, textAndJSON(t, res))
	require.Equal(t, "ext:app > onprem:contoso/EDGE01 > ext:cpandl", hopPath(erin))
	require.Equal(t, "EdgeSync - Paris to Internet", erin.Hops[1].Connector)
}

// A Mailbox server never uses the EdgeSync inbound connector, the Edge's
// way into the organization (docs/behaviour.md#l21-the-edgesync-inbound-connector-is-the-edges-own):
// mail for an InternalRelay domain's unknown recipient goes out through the
// Internet connector, while at the Edge the same address space "--" wins.
func TestEdgeSyncInboundIsTheEdges(t *testing.T) {
	spec := edgeSpec()
	o := &spec.OnPremises[0]
	o.AcceptedDomains = append(o.AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.com", DomainType: topology.InternalRelay})
	spec.MXRecords = append(spec.MXRecords, topology.MXRecord{Domain: "fabrikam.com", NameExchange: "mx.cpandl.com"})
	topo := build(t, spec)
	ob, _ := topo.OnPremisesOrg("contoso")
	c, _, ok := ob.SelectSend("fabrikam.com", "PAR01", 0)
	require.True(t, ok)
	require.Equal(t, "EdgeSync - Paris to Internet", c.Name, "not the cheaper, accepted-domain \"--\" connector")
	c, _, ok = ob.SelectSend("fabrikam.com", "EDGE01", 0)
	require.True(t, ok)
	require.Equal(t, "EdgeSync - Inbound to Paris", c.Name)
	c, _, ok = ob.SelectSend("cpandl.com", "EDGE01", 0)
	require.True(t, ok)
	require.Equal(t, "EdgeSync - Paris to Internet", c.Name)
}
