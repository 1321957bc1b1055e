package scenario

import (
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// The Microsoft 365 Groups of the "m365-groups-hybrid" scenario, in the
// group domain groups.contoso.com.
const (
	// Staff accepts mail from the organization's senders only (a group's
	// default).
	Staff = "staff@groups.contoso.com"
	// Sales also accepts mail from external senders.
	Sales = "sales@groups.contoso.com"
)

// GroupsSettings are the settings the "m365-groups-hybrid" scenario
// varies.
type GroupsSettings struct {
	// GroupDomainConfigured: groups.contoso.com is an InternalRelay accepted
	// domain on premises and an address space of the hybrid Send connector
	// (Microsoft: "Configure Microsoft 365 Groups with on-premises Exchange
	// hybrid", "Configure a group domain", steps 2 and 4).
	GroupDomainConfigured bool
	// CentralizedTransport as in [ContosoSettings].
	CentralizedTransport bool
	// EdgeSource adds the Edge Transport server EDGE01, subscribed to the
	// Mailbox servers' site, and sources the "Outbound to Office 365" Send
	// connector on it: the condition of the known issue "Groups don't
	// receive messages from on-premises users" (Microsoft: "Configure
	// Microsoft 365 Groups with on-premises Exchange hybrid", Known issues;
	// docs/behaviour.md#l85-a-group-domain-sent-through-an-edge-transport-server).
	// It needs GroupDomainConfigured, which adds that connector.
	EdgeSource bool
}

// GroupsSpec returns the Contoso hybrid organization (MX to EOP) with two
// Microsoft 365 Groups in the group domain groups.contoso.com, whose MX
// points to EOP (step 3), each with David (in Exchange Online) and Julie
// (on premises) as members, written back to the on-premises directory.
func GroupsSpec(s GroupsSettings) topology.Spec {
	spec := ContosoSpec(ContosoSettings{MX: MXToEOP, CentralizedTransport: s.CentralizedTransport})
	x, o := &spec.Tenants[0], &spec.OnPremises[0]
	x.AcceptedDomains = append(x.AcceptedDomains, topology.AcceptedDomain{DomainName: "groups.contoso.com", DomainType: topology.Authoritative})
	for _, g := range []struct {
		name, addr string
		external   bool
	}{{"Staff", Staff, false}, {"Sales", Sales, true}} {
		x.Recipients = append(x.Recipients, topology.Recipient{Name: g.name, RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: g.addr,
			Members: []string{David, Julie}, RequireSenderAuthenticationEnabled: !g.external})
		o.Recipients = append(o.Recipients, topology.Recipient{Name: g.name, RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: g.addr})
	}
	spec.MXRecords = append(spec.MXRecords, topology.MXRecord{Domain: "groups.contoso.com", NameExchange: topology.EOPHost("groups.contoso.com")})
	if s.GroupDomainConfigured {
		h := spec.Hybrid[0]
		source := h.SendingTransportServers
		if s.EdgeSource {
			o.Servers = append(o.Servers, topology.ServerSpec{Name: "EDGE01", Role: topology.Edge, Fqdn: "edge01.contoso.com", IPAddress: "203.0.113.30",
				Certificate: &topology.Certificate{CertificateDomains: []string{"mail.contoso.com"}}})
			o.EdgeSubscriptions = []topology.EdgeSubscription{{Name: "EDGE01"}}
			source = []string{"EDGE01"}
		}
		o.AcceptedDomains = append(o.AcceptedDomains, topology.AcceptedDomain{DomainName: "groups.contoso.com", DomainType: topology.InternalRelay})
		// The wizard's connector, with the group domain added
		// (Set-SendConnector -AddressSpaces).
		o.SendConnectors = append(o.SendConnectors, connector.Send{
			Name: "Outbound to Office 365", AddressSpaces: []string{"contoso.mail.onmicrosoft.com", "groups.contoso.com"},
			DNSRoutingEnabled: connector.True, RequireTLS: true, TlsAuthLevel: "DomainValidation", TlsDomain: "mail.protection.outlook.com",
			TlsCertificateName: h.TlsCertificateName, Fqdn: "mail.contoso.com", CloudServicesMailEnabled: true,
			SourceTransportServers: source, Enabled: connector.True,
		})
	}
	return spec
}

// GroupsHybrid returns the "m365-groups-hybrid" scenario: a post to a group
// reaching an on-premises member, on-premises users and an Internet sender
// writing to the groups, with the group domain configured on premises or
// not, centralized mail transport off or on, and the hybrid Send connector
// sourced on an Edge Transport server.
func GroupsHybrid() *Scenario {
	s := &Scenario{
		Name:        "m365-groups-hybrid",
		Description: "Microsoft 365 Groups in a Contoso hybrid deployment: the group domain configured on premises or not, centralized mail transport off or on, the hybrid Send connector sourced on an Edge Transport server (Configure Microsoft 365 Groups with on-premises Exchange hybrid)",
		Flows: []Flow{
			{Name: "Adele posts to Staff", Message: route.Message{From: Adele, To: []string{Staff}}},
			{Name: "Julie to Staff", Message: route.Message{From: Julie, To: []string{Staff}}},
			{Name: "Julie to Sales", Message: route.Message{From: Julie, To: []string{Sales}}},
			{Name: "Internet to Sales", Message: route.Message{From: Sender, To: []string{Sales}}},
		},
	}
	for _, v := range []GroupsSettings{{true, false, false}, {false, false, false}, {true, true, false}, {true, false, true}} {
		settings := Settings{"groupDomainConfigured": v.GroupDomainConfigured, "centralizedTransport": v.CentralizedTransport}
		if v.EdgeSource {
			settings["edgeSource"] = true
		}
		s.Variants = append(s.Variants, newVariant(s.Name, settings, GroupsSpec(v)))
	}
	return s
}
