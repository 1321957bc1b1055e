package route_test

import (
	"slices"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// TestMicrosoft365GroupsHybrid reproduces "Configure Microsoft 365 Groups
// with on-premises Exchange hybrid": a post to a group reaches its
// on-premises members; on-premises users reach a written-back group
// through the hybrid Send connector; the documented known issues (a group
// not written back in an Authoritative domain; a group domain that is not
// an on-premises accepted domain on the hybrid Send connector, where only a
// group that accepts external senders gets the mail; centralized mail
// transport and external senders) end as the document says.
func TestMicrosoft365GroupsHybrid(t *testing.T) {
	const (
		team   = "team@contoso.com"
		teamRA = "team@contoso.mail.onmicrosoft.com"
		sales  = "sales@groups.contoso.com"
	)
	group := func(addr string, external bool, members ...string) topology.Recipient {
		return topology.Recipient{Name: "Group", RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: addr,
			EmailAddresses: []string{"smtp:" + teamRA}, Members: members, RequireSenderAuthenticationEnabled: !external}
	}
	writtenBack := topology.Recipient{Name: "Group", RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: team, RemoteRoutingAddress: "SMTP:" + teamRA}
	writtenBackByDomain := topology.Recipient{Name: "Group", RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: team}
	// groupsDomain adds groups.contoso.com to the tenant, with its MX to
	// EOP as the document's step 3 says; onPrem also does steps 2 and 4.
	groupsDomain := func(external, onPrem bool) topology.Spec {
		spec := contosoWith(scenario.ContosoSettings{MX: scenario.MXToEOP}, []topology.Recipient{{Name: "Sales", RecipientTypeDetails: topology.GroupMailbox,
			PrimarySmtpAddress: sales, EmailAddresses: []string{"smtp:sales@contoso.mail.onmicrosoft.com"}, RequireSenderAuthenticationEnabled: !external}},
			[]topology.Recipient{{Name: "Sales", RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: sales}})
		spec.Tenants[0].AcceptedDomains = append(spec.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "groups.contoso.com"})
		spec.MXRecords = append(spec.MXRecords, topology.MXRecord{Domain: "groups.contoso.com", NameExchange: topology.EOPHost("groups.contoso.com")})
		if onPrem {
			o := &spec.OnPremises[0]
			o.AcceptedDomains = append(o.AcceptedDomains, topology.AcceptedDomain{DomainName: "groups.contoso.com", DomainType: topology.InternalRelay})
			h := spec.Hybrid[0]
			o.SendConnectors = append(o.SendConnectors, connector.Send{
				Name: "Outbound to Office 365", AddressSpaces: []string{"contoso.mail.onmicrosoft.com", "groups.contoso.com"},
				DNSRoutingEnabled: connector.True, RequireTLS: true, TlsAuthLevel: "DomainValidation", TlsDomain: "mail.protection.outlook.com",
				TlsCertificateName: h.TlsCertificateName, Fqdn: "mail.contoso.com", CloudServicesMailEnabled: true,
				SourceTransportServers: h.SendingTransportServers, Enabled: connector.True,
			})
		}
		return spec
	}
	// onEdge adds the Edge Transport server EDGE01, subscribed to the
	// Mailbox servers' site, and sources the "Outbound to Office 365" Send
	// connector on it, as the known issue's condition says.
	onEdge := func(spec topology.Spec) topology.Spec {
		o := &spec.OnPremises[0]
		o.Servers = append(o.Servers, topology.ServerSpec{Name: "EDGE01", Role: topology.Edge, Fqdn: "edge01.contoso.com", IPAddress: "203.0.113.30",
			Certificate: &topology.Certificate{CertificateDomains: []string{"mail.contoso.com"}}})
		o.EdgeSubscriptions = []topology.EdgeSubscription{{Name: "EDGE01"}}
		for i := range o.SendConnectors {
			if o.SendConnectors[i].Name == "Outbound to Office 365" {
				o.SendConnectors[i].SourceTransportServers = []string{"EDGE01"}
			}
		}
		return spec
	}
	toEOP := scenario.ContosoSettings{MX: scenario.MXToEOP}
	cmt := scenario.ContosoSettings{MX: scenario.MXToEOP, CentralizedTransport: true}
	tests := []struct {
		name   string
		spec   topology.Spec
		msg    route.Message
		want   []string
		reason string
	}{
		{
			name:   "PostReachesOnPremisesMember",
			spec:   contosoWith(toEOP, []topology.Recipient{group(team, false, scenario.David, scenario.Julie)}, nil),
			msg:    route.Message{From: scenario.Adele, To: []string{team}},
			want:   []string{team + " Delivered at exo:contoso", scenario.David + " Delivered at exo:contoso", scenario.Julie + " Delivered at onprem:contoso/EX02"},
			reason: "Test using an on-premises mailbox: the on-premises member receives the post",
		},
		{
			name:   "OnPremisesUserToWrittenBackGroup",
			spec:   contosoWith(toEOP, []topology.Recipient{group(team, false, scenario.David)}, []topology.Recipient{writtenBack}),
			msg:    route.Message{From: scenario.Julie, To: []string{team}},
			want:   []string{team + " Delivered at exo:contoso", scenario.David + " Delivered at exo:contoso"},
			reason: "a written-back group with a target address routes by it through the hybrid Send connector (docs/behaviour.md#l32-microsoft-365-groups)",
		},
		{
			name:   "OnPremisesUserToWrittenBackGroupInAuthoritativeDomain",
			spec:   contosoWith(toEOP, []topology.Recipient{group(team, false, scenario.David)}, []topology.Recipient{writtenBackByDomain}),
			msg:    route.Message{From: scenario.Julie, To: []string{team}},
			want:   []string{team + " Rejected at onprem:contoso/EX02"},
			reason: "known issue: the group domain is configured as an authoritative domain on premises",
		},
		{
			name: "OnPremisesUserToGroupSecondaryAddress",
			spec: contosoWith(toEOP, []topology.Recipient{{Name: "Group", RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: team,
				EmailAddresses: []string{"smtp:" + teamRA, "smtp:crew@contoso.com"}, Members: []string{scenario.David}}}, []topology.Recipient{writtenBack}),
			msg:    route.Message{From: scenario.Julie, To: []string{"crew@contoso.com"}},
			want:   []string{"crew@contoso.com Rejected at onprem:contoso/EX02"},
			reason: "known issue: only the primary SMTP address is written back, so mail to a secondary address fails",
		},
		{
			name:   "OnPremisesUserToGroupNotWrittenBack",
			spec:   contosoWith(toEOP, []topology.Recipient{group(team, false, scenario.David)}, nil),
			msg:    route.Message{From: scenario.Julie, To: []string{team}},
			want:   []string{team + " Rejected at onprem:contoso/EX02"},
			reason: "known issue: group domain Authoritative on premises and the group not written back yet",
		},
		{
			name:   "GroupDomainNotOnPremisesGroupRefusesExternal",
			spec:   groupsDomain(false, false),
			msg:    route.Message{From: scenario.Julie, To: []string{sales}},
			want:   []string{sales + " Rejected at exo:contoso"},
			reason: "without the accepted domain and the Send connector the mail goes out to the Internet and arrives as external",
		},
		{
			name:   "GroupDomainNotOnPremisesGroupAcceptsExternal",
			spec:   groupsDomain(true, false),
			msg:    route.Message{From: scenario.Julie, To: []string{sales}},
			want:   []string{sales + " Delivered at exo:contoso"},
			reason: "unless the group is configured to receive mail from external senders",
		},
		{
			name:   "GroupDomainInternalRelayOnHybridConnector",
			spec:   groupsDomain(false, true),
			msg:    route.Message{From: scenario.Julie, To: []string{sales}},
			want:   []string{sales + " Delivered at exo:contoso"},
			reason: "steps 2 and 4: the hybrid Send connector delivers to the group domain in Microsoft 365",
		},
		{
			name:   "GroupDomainOnHybridConnectorSourcedOnEdge",
			spec:   onEdge(groupsDomain(false, true)),
			msg:    route.Message{From: scenario.Julie, To: []string{sales}},
			want:   []string{sales + " Looped at onprem:contoso/EX02"},
			reason: "known issue: the \"Outbound to Office 365\" Send connector uses an Edge Transport server as its source server; messages to groups end up in a loop and NDR",
		},
		{
			name:   "RemoteMailboxOnHybridConnectorSourcedOnEdge",
			spec:   onEdge(groupsDomain(false, true)),
			msg:    route.Message{From: scenario.Julie, To: []string{scenario.David}},
			want:   []string{scenario.David + " Delivered at exo:contoso"},
			reason: "the loop is the groups' known issue: a remote mailbox's mail leaves through the Edge (Edge Transport servers with hybrid deployments)",
		},
		{
			name: "ExternalSenderWithoutCentralizedTransport",
			spec: contosoWith(toEOP, []topology.Recipient{group(team, true)}, []topology.Recipient{writtenBack}),
			msg:  route.Message{From: scenario.Sender, To: []string{team}},
			want: []string{team + " Delivered at exo:contoso"},
		},
		{
			name:   "ExternalSenderWithCentralizedTransport",
			spec:   contosoWith(cmt, []topology.Recipient{group(team, true)}, []topology.Recipient{writtenBack}),
			msg:    route.Message{From: scenario.Sender, To: []string{team}},
			want:   []string{team + " Rejected at exo:contoso"},
			reason: "known issue: with centralized mail flow external mail to a group fails even though the group allows external senders",
		},
		{
			name: "InternalSenderWithCentralizedTransport",
			spec: contosoWith(cmt, []topology.Recipient{group(team, false)}, []topology.Recipient{writtenBack}),
			msg:  route.Message{From: scenario.Julie, To: []string{team}},
			want: []string{team + " Delivered at exo:contoso"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if got := ends(res); !slices.Equal(got, tt.want) {
				t.Errorf("Trace(%v) ends = %q, want %q (%s)\n%s", tt.msg.To, got, tt.want, tt.reason, textAndJSON(t, res))
			}
		})
	}
}

// TestGroupThroughEdgeLoops: "Configure Microsoft 365 Groups with
// on-premises Exchange hybrid" (Known issues) says that when the "Outbound
// to Office 365" Send connector uses an Edge Transport server as its source
// server, messages to groups end up in a loop and an NDR; it gives no
// status code, so the recipient has none
// (docs/behaviour.md#l85-a-group-domain-sent-through-an-edge-transport-server).
// The edge-hybrid organization, given the group domain, shows it; sourced on
// the Mailbox server, the same connector delivers.
func TestGroupThroughEdgeLoops(t *testing.T) {
	const group = "crew@groups.tailspintoys.com"
	spec := func(source string) topology.Spec {
		s := scenario.EdgeHybridSpec()
		s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "groups.tailspintoys.com"})
		s.Tenants[0].Recipients = append(s.Tenants[0].Recipients, topology.Recipient{Name: "Crew", RecipientTypeDetails: topology.GroupMailbox,
			PrimarySmtpAddress: group, Members: []string{scenario.Ravi}})
		o := &s.OnPremises[0]
		o.AcceptedDomains = append(o.AcceptedDomains, topology.AcceptedDomain{DomainName: "groups.tailspintoys.com", DomainType: topology.InternalRelay})
		o.Recipients = append(o.Recipients, topology.Recipient{Name: "Crew", RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: group})
		o.SendConnectors = append(o.SendConnectors, connector.Send{
			Name: "Outbound to Office 365", AddressSpaces: []string{"tailspintoys.mail.onmicrosoft.com", "groups.tailspintoys.com"},
			DNSRoutingEnabled: connector.True, CloudServicesMailEnabled: true, SourceTransportServers: []string{source}, Enabled: connector.True,
		})
		s.MXRecords = append(s.MXRecords, topology.MXRecord{Domain: "groups.tailspintoys.com", NameExchange: topology.EOPHost("groups.tailspintoys.com")})
		return s
	}
	msg := route.Message{From: scenario.Jane, To: []string{group}}
	res, err := route.Trace(build(t, spec("EDGE01")), msg)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Recipients[0]
	if got := ends(res); !slices.Equal(got, []string{group + " Looped at onprem:tailspintoys/EX01"}) || !r.Status.IsZero() {
		t.Fatalf("ends = %q, Status %q; want Looped at EX01 with no status\n%s", got, r.Status, textAndJSON(t, res))
	}
	if last := r.Hops[len(r.Hops)-1]; last.Connector != "Outbound to Office 365" {
		t.Errorf("last hop's Connector = %q, want the Send connector sourced on the Edge", last.Connector)
	}

	res, err = route.Trace(build(t, spec("EX01")), msg)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ends(res), []string{group + " Delivered at exo:tailspintoys", scenario.Ravi + " Delivered at exo:tailspintoys"}; !slices.Equal(got, want) {
		t.Errorf("sourced on EX01: ends = %q, want %q\n%s", got, want, textAndJSON(t, res))
	}
}
