package scenario

import (
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// MX says where contoso.com's MX record points.
type MX string

// The MX placements of the Contoso hybrid scenario (Microsoft: "Transport
// routing in Exchange hybrid deployments").
const (
	MXToEOP        MX = "EOP"        // contoso-com.mail.protection.outlook.com, the recommended placement
	MXToOnPremises MX = "OnPremises" // mail.contoso.com, the on-premises hybrid server
)

// ContosoSettings are the two settings the Contoso hybrid matrix varies.
type ContosoSettings struct {
	MX MX
	// CentralizedTransport is RouteAllMessagesViaOnPremises on the tenant's
	// outbound connector to on-premises (the hybrid CentralizedTransport
	// feature).
	CentralizedTransport bool
}

// The addresses of the Contoso hybrid organization, as in Microsoft's
// "Transport routing in Exchange hybrid deployments".
const (
	Julie    = "julie@contoso.com"                  // mailbox on the on-premises Mailbox server EX02
	David    = "david@contoso.com"                  // mailbox in Exchange Online
	DavidRRA = "david@contoso.mail.onmicrosoft.com" // David's hybrid routing address
	Adele    = "adele@contoso.com"                  // another mailbox in Exchange Online
	Erin     = "erin@cpandl.com"                    // a recipient on the Internet
	Sender   = "sender@fabrikam.com"                // an Internet sender
)

// ContosoSpec returns the Contoso hybrid organization: tenant "contoso"
// (accepted domain contoso.com) with David's and Adele's mailboxes; the
// on-premises organization "contoso" with EX01 (the Internet-facing hybrid
// server, mail.contoso.com) and EX02 (Julie's Mailbox server); the
// HybridConfiguration between them (smart host mail.contoso.com,
// certificate CN=mail.contoso.com, EX01 sending and receiving); a Send
// connector "To Internet" (SMTP:*;1, DNS, on EX01 and EX02); cpandl.com on
// the Internet; and contoso.com's MX as the settings say.
func ContosoSpec(s ContosoSettings) topology.Spec {
	mx := topology.MXRecord{Domain: "contoso.com", Preference: 0, NameExchange: topology.EOPHost("contoso.com")}
	if s.MX == MXToOnPremises {
		mx = topology.MXRecord{Domain: "contoso.com", Preference: 10, NameExchange: "mail.contoso.com"}
	}
	var features []string
	if s.CentralizedTransport {
		features = []string{topology.FeatureCentralizedTransport}
	}
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com", DomainType: topology.Authoritative}},
			Recipients: []topology.Recipient{
				{Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: David,
					EmailAddresses: []string{"SMTP:" + David, "smtp:" + DavidRRA, "smtp:david@contoso.onmicrosoft.com"}},
				{Name: "Adele", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Adele,
					EmailAddresses: []string{"SMTP:" + Adele, "smtp:adele@contoso.mail.onmicrosoft.com", "smtp:adele@contoso.onmicrosoft.com"}},
				// Julie's on-premises mailbox, synchronized to the tenant.
				{Name: "Julie", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: Julie},
			},
		}},
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com", DomainType: topology.Authoritative}},
			Servers: []topology.ServerSpec{
				// The hybrid server presents the CA-signed certificate the
				// hybrid configuration names.
				{Name: "EX01", Fqdn: "ex01.contoso.com", Hosts: []string{"mail.contoso.com"}, IPAddress: "203.0.113.10",
					Certificate: &topology.Certificate{CertificateDomains: []string{"mail.contoso.com", "ex01.contoso.com", "autodiscover.contoso.com"}}},
				{Name: "EX02", Fqdn: "ex02.contoso.com", IPAddress: "10.0.0.12"},
			},
			Recipients: []topology.Recipient{
				{Name: "Julie", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Julie, Server: "EX02"},
				{Name: "David", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: David,
					EmailAddresses: []string{"smtp:" + DavidRRA}, RemoteRoutingAddress: "SMTP:" + DavidRRA},
				{Name: "Adele", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: Adele,
					EmailAddresses: []string{"smtp:adele@contoso.mail.onmicrosoft.com"}, RemoteRoutingAddress: "SMTP:adele@contoso.mail.onmicrosoft.com"},
			},
			SendConnectors: []connector.Send{{
				Name:                   "To Internet",
				AddressSpaces:          []string{"SMTP:*;1"},
				DNSRoutingEnabled:      connector.True,
				SourceTransportServers: []string{"EX01", "EX02"},
			}},
		}},
		External: []topology.ExternalSpec{
			{Name: "cpandl", Kind: topology.Internet, Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}, IPAddress: "198.51.100.25"},
		},
		MXRecords: []topology.MXRecord{
			mx,
			{Domain: "cpandl.com", Preference: 10, NameExchange: "mx.cpandl.com"},
		},
		Hybrid: []topology.HybridConfiguration{{
			Tenant:                    "contoso",
			OnPremises:                "contoso",
			Domains:                   []string{"contoso.com"},
			OnPremisesSmartHost:       "mail.contoso.com",
			TlsCertificateName:        "<I>CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US<S>CN=mail.contoso.com",
			SendingTransportServers:   []string{"EX01"},
			ReceivingTransportServers: []string{"EX01"},
			Features:                  features,
		}},
	}
}

// Contoso returns the built Contoso hybrid topology for the settings. It
// panics only if the fixture itself is invalid, which its tests rule out.
func Contoso(s ContosoSettings) *topology.Topology { return mustBuild("Contoso", ContosoSpec(s)) }

// ContosoFlows are the flows of the hybrid routing matrix: Internet mail to
// Julie and David (one message, two recipients), David to Erin, Julie to
// Erin, David to Julie, Julie to David, and David to Adele.
func ContosoFlows() []Flow {
	return []Flow{
		{Name: "Internet to Julie and David", Message: route.Message{From: Sender, To: []string{Julie, David}}},
		{Name: "David to Erin", Message: route.Message{From: David, To: []string{Erin}}},
		{Name: "Julie to Erin", Message: route.Message{From: Julie, To: []string{Erin}}},
		{Name: "David to Julie", Message: route.Message{From: David, To: []string{Julie}}},
		{Name: "Julie to David", Message: route.Message{From: Julie, To: []string{David}}},
		{Name: "David to Adele", Message: route.Message{From: David, To: []string{Adele}}},
	}
}
