package scenario

import (
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// The add-on service scenario of "Integrate Microsoft 365 with an email
// add-on service": Fabrikam's tenant and Kim's mailbox, the fictional
// Contoso Signature Service, its host and the certificate domain it gives
// Fabrikam, the header it stamps, and the names of the connectors and of
// the rule the page creates.
const (
	Kim                  = "kim@fabrikam.com"
	SignatureHost        = "smtp.contososignatureservice.com"
	SignatureCertDomain  = "s5hg3dcg14h8s1r2303rzhm4rx.smtp.contososignatureservice.com"
	SignatureHeader      = "SignatureContoso"
	SignatureOutbound    = "Office 365 to Contoso Signature Service"
	SignatureInbound     = "Contoso Signature Service to Office 365"
	SignatureRule        = "Route email to Contoso Signature Service"
	signatureServiceName = "contososignature"
)

// AddOnServiceSpec returns the organization of "Integrate Microsoft 365
// with an email add-on service": Fabrikam's tenant sends its users' mail
// through the rule-scoped outbound connector "Office 365 to Contoso
// Signature Service" to the service, which stamps "SignatureContoso: true"
// and sends the message back to Fabrikam's MX host with the organization
// headers it received; the inbound connector "Contoso Signature Service to
// Office 365" takes it by the service's certificate, whose domain is an
// accepted domain. Both connectors have CloudServicesMailEnabled $true
// ("Retain internal Exchange email headers"). With exception set, the rule
// "Route email to Contoso Signature Service" has the page's exception for
// the service's header; without it, nothing stops the returning message
// from being routed to the service again
// (docs/behaviour.md#l41-mail-an-add-on-service-returns-is-a-new-submission).
func AddOnServiceSpec(exception bool) topology.Spec {
	rule := topology.TransportRule{
		Name:                          SignatureRule,
		Conditions:                    topology.Predicates{FromScope: "InOrganization"},
		RouteMessageOutboundConnector: SignatureOutbound,
		StopRuleProcessing:            true,
	}
	if exception {
		rule.ExceptIf = topology.Predicates{HeaderContainsMessageHeader: SignatureHeader, HeaderContainsWords: []string{"true"}}
	}
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name: "fabrikam",
			AcceptedDomains: []topology.AcceptedDomain{
				{DomainName: "fabrikam.com"},
				{DomainName: SignatureCertDomain}, // Step 3: the service's certificate domain
			},
			Recipients: []topology.Recipient{{Name: "Kim", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Kim}},
			OutboundConnectors: []connector.Outbound{{
				Name: SignatureOutbound, ConnectorType: connector.OnPremises, IsTransportRuleScoped: true, UseMXRecord: connector.False,
				SmartHosts: []string{SignatureHost}, TlsSettings: connector.TlsDomainValidation, TlsDomain: SignatureHost, CloudServicesMailEnabled: true,
			}},
			InboundConnectors: []connector.Inbound{{
				Name: SignatureInbound, SenderDomains: []string{"*"}, ConnectorType: connector.OnPremises, RequireTls: connector.True,
				RestrictDomainsToCertificate: true, TlsSenderCertificateName: SignatureCertDomain, CloudServicesMailEnabled: true,
			}},
			TransportRules: []topology.TransportRule{rule},
		}},
		External: []topology.ExternalSpec{
			{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}},
			{
				Name: signatureServiceName, Kind: topology.Appliance, Hosts: []string{SignatureHost}, IPAddress: "203.0.113.80",
				Certificate: &topology.Certificate{CertificateDomains: []string{SignatureCertDomain, SignatureHost}},
				SmartHost:   topology.EOPHost("fabrikam.com"),
				AddsHeaders: []topology.Header{{Name: SignatureHeader, Value: "true"}}, KeepsOrganizationHeaders: true,
			},
		},
		MXRecords: []topology.MXRecord{
			{Domain: "fabrikam.com", NameExchange: topology.EOPHost("fabrikam.com")},
			{Domain: "cpandl.com", Preference: 10, NameExchange: "mx.cpandl.com"},
		},
	}
}

// AddOnService returns the "add-on-service" scenario: Kim's mail to Erin
// goes to the Contoso Signature Service and comes back stamped and
// internal; with the rule's header exception it then goes to Erin, without
// it it goes round until Exchange Online's hop count ends it.
func AddOnService() *Scenario {
	s := &Scenario{
		Name:        "add-on-service",
		Description: "A round trip through an email add-on service, with and without the rule's header exception (Integrate Microsoft 365 with an email add-on service)",
		Flows:       []Flow{{Name: "Kim to Erin", Message: route.Message{From: Kim, To: []string{Erin}}}},
	}
	for _, exception := range []bool{true, false} {
		s.Variants = append(s.Variants, newVariant(s.Name, Settings{"headerException": exception}, AddOnServiceSpec(exception)))
	}
	return s
}
