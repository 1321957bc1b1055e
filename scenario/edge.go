package scenario

import (
	"strconv"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// The edge-hybrid scenario's people: Jane's mailbox is on-premises on EX01,
// Ravi's in Exchange Online, Pat is on the Internet.
const (
	Jane = "jane@tailspintoys.com"
	Ravi = "ravi@tailspintoys.com"
	Pat  = "pat@cpandl.com"
)

// EdgeHybridSpec returns Tailspin Toys: an on-premises organization with a
// Mailbox server EX01 and an Edge Transport server EDGE01 (mail.tailspintoys.com,
// the MX host) subscribed to Default-First-Site-Name, paired with the tenant
// tailspintoys by a hybrid configuration whose EdgeTransportServers is EDGE01
// (Microsoft: "Edge Transport servers with hybrid deployments"; "Edge
// Subscriptions").
func EdgeHybridSpec() topology.Spec {
	const domain = "tailspintoys.com"
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "tailspintoys",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: domain}},
			Recipients: []topology.Recipient{
				{Name: "Ravi", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Ravi, EmailAddresses: []string{"smtp:ravi@tailspintoys.mail.onmicrosoft.com"}},
				{Name: "Jane", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: Jane},
			},
		}},
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "tailspintoys",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: domain}},
			Servers: []topology.ServerSpec{
				{Name: "EX01", Fqdn: "ex01.tailspintoys.com", IPAddress: "10.0.0.10"},
				{Name: "EDGE01", Role: topology.Edge, Fqdn: "edge01.tailspintoys.com", Hosts: []string{"mail.tailspintoys.com"}, IPAddress: "203.0.113.25",
					Certificate: &topology.Certificate{CertificateDomains: []string{"mail.tailspintoys.com"}}},
			},
			EdgeSubscriptions: []topology.EdgeSubscription{{Name: "EDGE01", Site: topology.DefaultSite}},
			Recipients: []topology.Recipient{
				{Name: "Jane", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Jane, Server: "EX01"},
				{Name: "Ravi", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: Ravi, RemoteRoutingAddress: "ravi@tailspintoys.mail.onmicrosoft.com"},
			},
		}},
		External: []topology.ExternalSpec{{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}, IPAddress: "198.51.100.25"}},
		MXRecords: []topology.MXRecord{
			{Domain: domain, Preference: 10, NameExchange: "mail.tailspintoys.com"},
			{Domain: "cpandl.com", Preference: 10, NameExchange: "mx.cpandl.com"},
		},
		Hybrid: []topology.HybridConfiguration{{
			Tenant: "tailspintoys", OnPremises: "tailspintoys", Domains: []string{domain},
			OnPremisesSmartHost: "mail.tailspintoys.com", TlsCertificateName: "<I>CN=Tailspin Toys CA<S>CN=mail.tailspintoys.com",
			EdgeTransportServers: []string{"EDGE01"},
		}},
	}
}

// EdgeHybrid returns the "edge-hybrid" scenario: an Edge Transport server
// between the on-premises Mailbox server and both Exchange Online and the
// Internet.
func EdgeHybrid() *Scenario {
	s := &Scenario{
		Name:        "edge-hybrid",
		Description: "An Edge Transport server in a hybrid deployment: Mailbox to Edge to EOP to Exchange Online and back, and Internet mail through the EdgeSync connectors (Edge Transport servers with hybrid deployments; Edge Subscriptions)",
		Flows: []Flow{
			{Name: "Jane to Ravi", Message: route.Message{From: Jane, To: []string{Ravi}}},
			{Name: "Ravi to Jane", Message: route.Message{From: Ravi, To: []string{Jane}}},
			{Name: "Pat to Jane", Message: route.Message{From: Pat, To: []string{Jane}}},
			{Name: "Jane to Pat", Message: route.Message{From: Jane, To: []string{Pat}}},
		},
	}
	s.Variants = append(s.Variants, newVariant(s.Name, Settings{"edgeTransportServers": "EDGE01"}, EdgeHybridSpec()))
	return s
}

// The two-sites scenario's people: Noor in Paris, Leo in London.
const (
	Noor = "noor@fourthcoffee.com"
	Leo  = "leo@fourthcoffee.com"
)

// SitesSettings are what the two-sites scenario varies: the cost of the
// London Send connector's address space and whether it is scoped.
type SitesSettings struct {
	LondonCost int
	Scoped     bool
}

// SitesSpec returns Fourth Coffee: Mailbox servers PAR01 in site Paris and
// LON01 in site London, joined by an IP site link of cost 10; Send connector
// "Paris to Internet" (*, cost 100) sourced on PAR01 and "London to Internet"
// (*, the settings' cost, IsScopedConnector as set) sourced on LON01
// (Microsoft: "Connector selection in external message routing"; "Mail
// routing in Exchange Server").
func SitesSpec(s SitesSettings) topology.Spec {
	return topology.Spec{
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "fourthcoffee",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "fourthcoffee.com"}},
			Servers: []topology.ServerSpec{
				{Name: "PAR01", Fqdn: "par01.fourthcoffee.com", Site: "Paris", IPAddress: "203.0.113.10"},
				{Name: "LON01", Fqdn: "lon01.fourthcoffee.com", Site: "London", IPAddress: "203.0.113.20"},
			},
			ADSiteLinks: []topology.ADSiteLink{{Name: "Paris-London", Sites: []string{"Paris", "London"}, Cost: 10}},
			Recipients: []topology.Recipient{
				{Name: "Noor", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Noor, Server: "PAR01"},
				{Name: "Leo", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Leo, Server: "LON01"},
			},
			SendConnectors: []connector.Send{
				{Name: "Paris to Internet", AddressSpaces: []string{"SMTP:*;100"}, SourceTransportServers: []string{"PAR01"}},
				{Name: "London to Internet", AddressSpaces: []string{"SMTP:*;" + strconv.Itoa(s.LondonCost)}, SourceTransportServers: []string{"LON01"}, IsScopedConnector: s.Scoped},
			},
		}},
		External:  []topology.ExternalSpec{{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}, IPAddress: "198.51.100.25"}},
		MXRecords: []topology.MXRecord{{Domain: "cpandl.com", Preference: 10, NameExchange: "mx.cpandl.com"}},
	}
}

// TwoSites returns the "two-sites" scenario: least-cost routing of Internet
// mail across two Active Directory sites.
func TwoSites() *Scenario {
	s := &Scenario{
		Name:        "two-sites",
		Description: "Two Active Directory sites, each with a Send connector to the Internet: the lowest aggregate cost wins, a scoped connector serves its own site only (Connector selection in external message routing)",
		Flows: []Flow{
			{Name: "Noor to Pat", Message: route.Message{From: Noor, To: []string{Pat}}},
			{Name: "Leo to Pat", Message: route.Message{From: Leo, To: []string{Pat}}},
		},
	}
	for _, v := range []SitesSettings{{95, false}, {85, false}, {85, true}} {
		s.Variants = append(s.Variants, newVariant(s.Name, Settings{"londonCost": int64(v.LondonCost), "scoped": v.Scoped}, SitesSpec(v)))
	}
	return s
}
