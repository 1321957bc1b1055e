package scenario

import (
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// The people of the conditional-routing scenario: Ana works in
// Accounting, Ben in Sales; both have mailboxes in Exchange Online.
const (
	Ana = "ana@contoso.com"
	Ben = "ben@contoso.com"
)

// ConditionalRoutingSpec returns the organization of "Scenario:
// Conditional mail routing in Exchange Online": a transport-rule-scoped
// outbound connector "To Accounting gateway" (smart host
// gw.auditgateway.example, TLS required) and the mail flow rule "Route
// Accounting mail through the gateway" (SenderADAttributeContainsWords
// Department:Accounting, SentToScope NotInOrganization,
// RouteMessageOutboundConnector) in the given Mode.
func ConditionalRoutingSpec(mode string) topology.Spec {
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Recipients: []topology.Recipient{
				{Name: "Ana", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Ana, Department: "Accounting"},
				{Name: "Ben", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Ben, Department: "Sales"},
			},
			OutboundConnectors: []connector.Outbound{{Name: "To Accounting gateway", ConnectorType: connector.Partner, IsTransportRuleScoped: true,
				RecipientDomains: []string{"*"}, UseMXRecord: connector.False, SmartHosts: []string{"gw.auditgateway.example"}, TlsSettings: connector.TlsEncryptionOnly}},
			TransportRules: []topology.TransportRule{{
				Name: "Route Accounting mail through the gateway", Mode: mode,
				Predicates: topology.Predicates{
					SenderADAttributeContainsWords: []string{"Department:Accounting"},
					SentToScope:                    "NotInOrganization",
				},
				RouteMessageOutboundConnector: "To Accounting gateway",
			}},
		}},
		External: []topology.ExternalSpec{
			{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}},
			{Name: "auditgateway", Hosts: []string{"gw.auditgateway.example"}},
		},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")},
			{Domain: "cpandl.com", Preference: 10, NameExchange: "mx.cpandl.com"},
		},
	}
}

// ConditionalRouting returns the "conditional-routing" scenario: Ana's
// mail to the Internet goes through the rule-scoped connector, Ben's by
// normal routing, and mail between them stays in Exchange Online; in Audit
// mode the rule only logs.
func ConditionalRouting() *Scenario {
	s := &Scenario{
		Name:        "conditional-routing",
		Description: "Accounting's mail through a transport-rule-scoped connector, everyone else's by normal routing (Scenario: Conditional mail routing in Exchange Online)",
		Flows: []Flow{
			{Name: "Ana to Erin", Message: route.Message{From: Ana, To: []string{Erin}}},
			{Name: "Ben to Erin", Message: route.Message{From: Ben, To: []string{Erin}}},
			{Name: "Ana to Ben", Message: route.Message{From: Ana, To: []string{Ben}}},
		},
	}
	for _, mode := range []string{"Enforce", "Audit"} {
		s.Variants = append(s.Variants, Variant{Settings: Settings{"mode": mode}, Topology: mustBuild(s.Name, ConditionalRoutingSpec(mode))})
	}
	return s
}
