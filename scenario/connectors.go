package scenario

import (
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// mustBuild builds a fixture; the fixtures' tests rule out the panic.
func mustBuild(name string, spec topology.Spec) *topology.Topology {
	t, err := topology.Build(spec)
	if err != nil {
		panic("scenario: " + name + " fixture: " + err.Error())
	}
	return t
}

// ConnectorSelectionSpec returns the three-connector example of "Set up
// connectors to route mail between Microsoft 365 and your own email
// servers": accepted domains contoso.com, sales.contoso.com, fabrikam.com
// and contoso.onmicrosoft.com; "Connector 1" for all accepted domains,
// "Connector 2" for contoso.com, "Connector 3" for *.contoso.com, each to
// its own on-premises server that holds one John's mailbox. The domains are
// InternalRelay in the tenant, whose admin mailbox sends.
func ConnectorSelectionSpec(mode connector.SelectionMode) topology.Spec {
	relay := func(d string) topology.AcceptedDomain {
		return topology.AcceptedDomain{DomainName: d, DomainType: topology.InternalRelay}
	}
	out := func(name, host string, domains []string, all bool) connector.Outbound {
		return connector.Outbound{Name: name, ConnectorType: connector.OnPremises, RecipientDomains: domains, AllAcceptedDomains: all,
			UseMXRecord: connector.False, SmartHosts: []string{host}}
	}
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:                       "contoso",
			AcceptedDomains:            []topology.AcceptedDomain{relay("contoso.com"), relay("sales.contoso.com"), relay("fabrikam.com")},
			Recipients:                 []topology.Recipient{{Name: "Admin", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "admin@contoso.onmicrosoft.com"}},
			OutboundConnectorSelection: mode,
			OutboundConnectors: []connector.Outbound{
				out("Connector 1", "ex1.contoso.com", nil, true),
				out("Connector 2", "ex2.contoso.com", []string{"contoso.com"}, false),
				out("Connector 3", "ex3.contoso.com", []string{"*.contoso.com"}, false),
			},
		}},
		OnPremises: []topology.OnPremisesSpec{{
			Name: "contoso",
			AcceptedDomains: []topology.AcceptedDomain{
				{DomainName: "contoso.com"}, {DomainName: "sales.contoso.com"}, {DomainName: "fabrikam.com"},
			},
			Servers: []topology.ServerSpec{
				{Name: "EX1", Fqdn: "ex1.contoso.com"}, {Name: "EX2", Fqdn: "ex2.contoso.com"}, {Name: "EX3", Fqdn: "ex3.contoso.com"},
			},
			Recipients: []topology.Recipient{
				{Name: "John (Fabrikam)", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "john@fabrikam.com", Server: "EX1"},
				{Name: "John (Contoso)", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "john@contoso.com", Server: "EX2"},
				{Name: "John (Sales)", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "john@sales.contoso.com", Server: "EX3"},
			},
		}},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")},
			{Domain: "sales.contoso.com", NameExchange: topology.EOPHost("sales.contoso.com")},
			{Domain: "fabrikam.com", NameExchange: topology.EOPHost("fabrikam.com")},
		},
	}
}

// ConnectorSelection returns the "connector-selection" scenario: one
// message to the three Johns, with the library's most-specific selection
// and with Microsoft's listed order ("Set up connectors to route mail
// between Microsoft 365 and your own email servers";
// docs/behaviour.md#d1-outbound-connector-precedence).
func ConnectorSelection() *Scenario {
	s := &Scenario{
		Name:        "connector-selection",
		Description: "Three outbound connectors competing for john@fabrikam.com, john@contoso.com and john@sales.contoso.com (Set up connectors to route mail between Microsoft 365 and your own email servers)",
		Flows: []Flow{{Name: "Admin to the three Johns", Message: route.Message{From: "admin@contoso.onmicrosoft.com",
			To: []string{"john@fabrikam.com", "john@contoso.com", "john@sales.contoso.com"}}}},
	}
	for _, m := range []struct {
		mode connector.SelectionMode
		name string
	}{{connector.MostSpecific, "MostSpecific"}, {connector.ListedOrder, "ListedOrder"}} {
		s.Variants = append(s.Variants, newVariant(s.Name, Settings{"selection": m.name}, ConnectorSelectionSpec(m.mode)))
	}
	return s
}

// The people of the EOP standalone example: John's mailbox is on your
// own server, Bob's in Exchange Online, Sun is a customer on the Internet.
const (
	John = "john@contoso.com"
	Bob  = "bob@contoso.com"
	Sun  = "sun@tailspintoys.com"
)

// EOPStandaloneSpec returns the organization of "Set up connectors to
// route mail between Microsoft 365 and your own email servers": contoso.com
// is shared (InternalRelay in the tenant), MX points to EOP, and your
// server MAIL01 (mail.contoso.com, 203.0.113.25) sends everything through
// Microsoft 365. With connectors, the tenant has one connector each way:
// "To Contoso mail server" (OnPremises, contoso.com, smart host
// mail.contoso.com) and "From Contoso mail server" (OnPremises, by IP).
func EOPStandaloneSpec(connectors bool) topology.Spec {
	spec := topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com", DomainType: topology.InternalRelay}},
			Recipients:      []topology.Recipient{{Name: "Bob", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Bob}},
		}},
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com", DomainType: topology.InternalRelay}},
			Servers: []topology.ServerSpec{{Name: "MAIL01", Fqdn: "mail01.contoso.com", Hosts: []string{"mail.contoso.com"}, IPAddress: "203.0.113.25",
				Certificate: &topology.Certificate{CertificateDomains: []string{"mail.contoso.com", "mail01.contoso.com"}}}},
			Recipients: []topology.Recipient{{Name: "John", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: John, Server: "MAIL01"}},
			SendConnectors: []connector.Send{{
				// On-premises outbound through EOP ("Set up connectors to route mail
				// between Microsoft 365 and your own email servers").
				Name: "To Microsoft 365", AddressSpaces: []string{"SMTP:*;1"}, DNSRoutingEnabled: connector.False,
				SmartHosts: []string{topology.EOPHost("contoso.com")}, RequireTLS: true, TlsAuthLevel: "CertificateValidation",
			}},
		}},
		External: []topology.ExternalSpec{{Name: "tailspintoys", Domains: []string{"tailspintoys.com"}, Hosts: []string{"mx.tailspintoys.com"}, IPAddress: "198.51.100.80"}},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")},
			{Domain: "tailspintoys.com", Preference: 10, NameExchange: "mx.tailspintoys.com"},
		},
	}
	if connectors {
		x := &spec.Tenants[0]
		x.OutboundConnectors = []connector.Outbound{{Name: "To Contoso mail server", ConnectorType: connector.OnPremises,
			RecipientDomains: []string{"contoso.com"}, UseMXRecord: connector.False, SmartHosts: []string{"mail.contoso.com"},
			TlsSettings: connector.TlsDomainValidation, TlsDomain: "mail.contoso.com"}}
		x.InboundConnectors = []connector.Inbound{{Name: "From Contoso mail server", ConnectorType: connector.OnPremises,
			SenderDomains: []string{"*"}, SenderIPAddresses: []string{"203.0.113.25"}, RequireTls: connector.True}}
	}
	return spec
}

// EOPStandalone returns the "eop-standalone" scenario: mail in every
// direction between John, Bob and Sun, with the two connectors and without
// them.
func EOPStandalone() *Scenario {
	s := &Scenario{
		Name:        "eop-standalone",
		Description: "Your own mail server (John), Exchange Online (Bob) and the Internet (Sun), with and without connectors (Set up connectors to route mail between Microsoft 365 and your own email servers)",
	}
	people := []struct{ name, addr string }{{"John", John}, {"Bob", Bob}, {"Sun", Sun}}
	for _, from := range people {
		for _, to := range people {
			if from != to {
				s.Flows = append(s.Flows, Flow{Name: from.name + " to " + to.name, Message: route.Message{From: from.addr, To: []string{to.addr}}})
			}
		}
	}
	for _, c := range []bool{true, false} {
		s.Variants = append(s.Variants, newVariant(s.Name, Settings{"connectors": c}, EOPStandaloneSpec(c)))
	}
	return s
}

// The ContosoBank partner's sender and Contoso's recipient.
const (
	Sam   = "sam@contosobank.com"
	Megan = "megan@contoso.com"
)

// PartnerSettings are what the partner-tls scenario varies: how Contoso's
// inbound connector restricts ContosoBank, and how ContosoBank's server
// behaves.
type PartnerSettings struct {
	// RestrictDomainsTo is "Certificate" (RestrictDomainsToCertificate with
	// TlsSenderCertificateName mail.contosobank.com) or "IPAddresses"
	// (RestrictDomainsToIPAddresses with 198.51.100.0/24).
	RestrictDomainsTo string
	// ContosoBank is "Compliant" (TLS, certificate mail.contosobank.com from
	// 198.51.100.40), "PlainText" (no STARTTLS), "WrongCertificate" (a
	// certificate for mail.fabrikam.com) or "WrongIP" (sends from
	// 192.0.2.77).
	ContosoBank string
}

// PartnerSpec returns Contoso (Exchange Online only, Megan's mailbox) and its
// partner ContosoBank with the connectors of "Set up connectors for secure mail
// flow with a partner organization": "From ContosoBank" (Partner, SenderDomains
// contosobank.com, RequireTls, the restriction the settings say) and "To
// ContosoBank" (Partner, RecipientDomains contosobank.com, MX, TlsSettings
// DomainValidation, TlsDomain mail.contosobank.com).
func PartnerSpec(s PartnerSettings) topology.Spec {
	in := connector.Inbound{Name: "From ContosoBank", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"}, RequireTls: connector.True}
	if s.RestrictDomainsTo == "IPAddresses" {
		in.SenderIPAddresses, in.RestrictDomainsToIPAddresses = []string{"198.51.100.0/24"}, true
	} else {
		in.TlsSenderCertificateName, in.RestrictDomainsToCertificate = "mail.contosobank.com", true
	}
	bank := topology.ExternalSpec{Name: "contosobank", Kind: topology.Partner, Domains: []string{"contosobank.com"}, Hosts: []string{"mail.contosobank.com"},
		IPAddress: "198.51.100.40", Certificate: &topology.Certificate{CertificateDomains: []string{"mail.contosobank.com"}}}
	switch s.ContosoBank {
	case "PlainText":
		bank.StartTLS = connector.False
	case "WrongCertificate":
		bank.Certificate = &topology.Certificate{CertificateDomains: []string{"mail.fabrikam.com"}}
	case "WrongIP":
		bank.IPAddress = "192.0.2.77"
	}
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:               "contoso",
			AcceptedDomains:    []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Recipients:         []topology.Recipient{{Name: "Megan", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Megan}},
			InboundConnectors:  []connector.Inbound{in},
			OutboundConnectors: []connector.Outbound{{Name: "To ContosoBank", ConnectorType: connector.Partner, RecipientDomains: []string{"contosobank.com"}, UseMXRecord: connector.True, TlsSettings: connector.TlsDomainValidation, TlsDomain: "mail.contosobank.com"}},
		}},
		External: []topology.ExternalSpec{bank},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")},
			{Domain: "contosobank.com", Preference: 10, NameExchange: "mail.contosobank.com"},
		},
	}
}

// PartnerTLS returns the "partner-tls" scenario: mail both ways between
// Contoso and ContosoBank, by a compliant partner server and by one that
// sends in plain text, presents the wrong certificate or comes from the
// wrong address.
func PartnerTLS() *Scenario {
	s := &Scenario{
		Name:        "partner-tls",
		Description: "A ContosoBank partner with TLS required both ways and a certificate name or IP range (Set up connectors for secure mail flow with a partner organization)",
		Flows: []Flow{
			{Name: "Sam to Megan", Message: route.Message{From: Sam, To: []string{Megan}}},
			{Name: "Megan to Sam", Message: route.Message{From: Megan, To: []string{Sam}}},
		},
	}
	for _, v := range []PartnerSettings{
		{"Certificate", "Compliant"}, {"Certificate", "PlainText"}, {"Certificate", "WrongCertificate"},
		{"IPAddresses", "Compliant"}, {"IPAddresses", "PlainText"}, {"IPAddresses", "WrongIP"},
	} {
		s.Variants = append(s.Variants, newVariant(s.Name, Settings{"restrictDomainsTo": v.RestrictDomainsTo, "contosobank": v.ContosoBank}, PartnerSpec(v)))
	}
	return s
}
