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
func ConditionalRoutingSpec(mode topology.RuleMode) topology.Spec {
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
				Conditions: topology.Predicates{
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
	for _, mode := range []topology.RuleMode{topology.ModeEnforce, topology.ModeAudit} {
		s.Variants = append(s.Variants, newVariant(s.Name, Settings{"mode": string(mode)}, ConditionalRoutingSpec(mode)))
	}
	return s
}

// SafeListSpec returns Contoso (Megan's mailbox in Exchange Online) and
// its partner Fabrikam, whose server 198.51.100.60 sends newsletters that
// look like spam. With allow set, the server is on the IP Allow List of
// the connection filter policy. The anti-spam policy quarantines high
// confidence spam, as the Standard preset does, and moves spam to the Junk
// Email folder.
func SafeListSpec(allow bool) topology.Spec {
	spec := topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:                      "contoso",
			AcceptedDomains:           []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Recipients:                []topology.Recipient{{Name: "Megan", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Megan}},
			HostedContentFilterPolicy: topology.ContentFilterPolicy{SpamAction: "MoveToJmf", HighConfidenceSpamAction: "Quarantine"},
		}},
		External:  []topology.ExternalSpec{{Name: "fabrikam", Kind: topology.Partner, Domains: []string{"fabrikam.com"}, Hosts: []string{"mail.fabrikam.com"}, IPAddress: "198.51.100.60"}},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")}},
	}
	if allow {
		spec.Tenants[0].HostedConnectionFilterPolicy.IPAllowList = []string{"198.51.100.60"}
	}
	return spec
}

// SafeList returns the "safe-list" scenario: a partner's IP on the IP
// Allow List skips spam filtering but not malware scanning.
func SafeList() *Scenario {
	six, nine := 6, 9
	s := &Scenario{
		Name:        "safe-list",
		Description: "A partner's IP address on the IP Allow List skips spam filtering but not malware scanning (Configure connection filtering)",
		Flows: []Flow{
			{Name: "Fabrikam newsletter (SCL 6) to Megan", Message: route.Message{From: "news@fabrikam.com", To: []string{Megan}, SCL: &six}},
			{Name: "Fabrikam offer (SCL 9) to Megan", Message: route.Message{From: "offers@fabrikam.com", To: []string{Megan}, SCL: &nine}},
		},
	}
	for _, allow := range []bool{true, false} {
		s.Variants = append(s.Variants, newVariant(s.Name, Settings{"ipAllowList": allow}, SafeListSpec(allow)))
	}
	return s
}

// IntermediateDeviceSpec returns the Contoso hybrid organization (MX to EOP)
// with a device between on-premises and Exchange Online in both directions:
// none, a "Firewall" passing port 25 unchanged, or an "Appliance" that
// processes SMTP (the warning of "Transport routing in Exchange hybrid
// deployments"; docs/behaviour.md#l5-a-device-that-processes-smtp). The
// wizard's connectors are edited to send to the device, which forwards to the
// real destination. A mail flow rule in the tenant tags mail from outside the
// organization, to show which mail counts as external.
func IntermediateDeviceSpec(device string) topology.Spec {
	spec := ContosoSpec(ContosoSettings{MX: MXToEOP})
	spec.Tenants[0].TransportRules = []topology.TransportRule{{
		Name: "Tag external mail", Conditions: topology.Predicates{FromScope: "NotInOrganization"},
		SetHeaderName: "X-Contoso-External", SetHeaderValue: "true",
	}}
	if device == "" || device == "None" {
		return spec
	}
	cert := spec.Hybrid[0].TlsCertificateName
	for _, d := range []struct{ name, host, to string }{
		{"to-cloud", "smtp-out.contoso.com", topology.EOPHost("contoso.mail.onmicrosoft.com")},
		{"to-onprem", "smtp-in.contoso.com", "mail.contoso.com"},
	} {
		spec.External = append(spec.External, topology.ExternalSpec{
			Name: d.name, Kind: topology.Appliance, Hosts: []string{d.host}, IPAddress: "203.0.113.50", SmartHost: d.to,
			Transparent: device == "Firewall", Certificate: &topology.Certificate{CertificateDomains: []string{d.host}},
		})
	}
	// The wizard's connectors, edited to send through the device.
	spec.OnPremises[0].SendConnectors = append(spec.OnPremises[0].SendConnectors, connector.Send{
		Name: "Outbound to Office 365", AddressSpaces: []string{"smtp:contoso.mail.onmicrosoft.com;1"}, DNSRoutingEnabled: connector.False,
		SmartHosts: []string{"smtp-out.contoso.com"}, RequireTLS: true, TlsCertificateName: cert, Fqdn: "mail.contoso.com",
		CloudServicesMailEnabled: true, SourceTransportServers: []string{"EX01"},
	})
	spec.Tenants[0].OutboundConnectors = append(spec.Tenants[0].OutboundConnectors, connector.Outbound{
		Name: "Outbound to contoso", ConnectorType: connector.OnPremises, RecipientDomains: []string{"contoso.com"}, UseMXRecord: connector.False,
		SmartHosts: []string{"smtp-in.contoso.com"}, CloudServicesMailEnabled: true,
	})
	return spec
}

// IntermediateDevice returns the "intermediate-device" scenario: the same
// hybrid messages with no device, through a firewall and through an
// SMTP-processing appliance, side by side.
func IntermediateDevice() *Scenario {
	s := &Scenario{
		Name:        "intermediate-device",
		Description: "Hybrid mail through nothing, a firewall passing port 25, or a device that processes SMTP: Internal or Anonymous, and what that changes (Transport routing in Exchange hybrid deployments)",
		Flows: []Flow{
			{Name: "Julie to David", Message: route.Message{From: Julie, To: []string{David}}},
			{Name: "David to Julie", Message: route.Message{From: David, To: []string{Julie}}},
		},
	}
	for _, d := range []string{"None", "Firewall", "Appliance"} {
		s.Variants = append(s.Variants, newVariant(s.Name, Settings{"device": d}, IntermediateDeviceSpec(d)))
	}
	return s
}

// The devices of the devices scenario and the mailbox the first submits
// as.
const (
	Scanner = "scanner@contoso.com"
)

// DevicesSpec returns Contoso (mailboxes in Exchange Online: Megan, and
// the scanner's licensed mailbox) with three devices (Microsoft: "How to
// set up a multifunction device or application to send email using
// Microsoft 365 or Office 365"):
// "mfp-auth" uses SMTP client submission as scanner@contoso.com,
// "mfp-direct" sends to the tenant's MX host with no connector (direct
// send), and "mfp-relay" sends there from 203.0.113.81, which the inbound
// connector "From office printers" names (relay through a connector).
func DevicesSpec(rejectDirectSend bool) topology.Spec {
	mx := topology.EOPHost("contoso.com")
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Recipients: []topology.Recipient{
				{Name: "Megan", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Megan},
				{Name: "Scanner", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: Scanner},
			},
			InboundConnectors: []connector.Inbound{{Name: "From office printers", ConnectorType: connector.OnPremises,
				SenderDomains: []string{"*"}, SenderIPAddresses: []string{"203.0.113.81"}, RequireTls: connector.False}},
			RejectDirectSend: rejectDirectSend,
		}},
		External: []topology.ExternalSpec{
			{Name: "mfp-auth", Kind: topology.Device, Hosts: []string{"mfp-auth.contoso.com"}, IPAddress: "203.0.113.80", AuthenticatedAs: Scanner},
			{Name: "mfp-direct", Kind: topology.Device, Hosts: []string{"mfp-direct.contoso.com"}, IPAddress: "203.0.113.82", SmartHost: mx},
			{Name: "mfp-relay", Kind: topology.Device, Hosts: []string{"mfp-relay.contoso.com"}, IPAddress: "203.0.113.81", SmartHost: mx},
			{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}},
		},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", NameExchange: mx},
			{Domain: "cpandl.com", Preference: 10, NameExchange: "mx.cpandl.com"},
		},
	}
}

// Devices returns the "devices" scenario: mail from a printer by each of
// the three methods to an internal and an external recipient, with
// RejectDirectSend off and on.
func Devices() *Scenario {
	s := &Scenario{
		Name:        "devices",
		Description: "Printer and application mail by SMTP client submission, direct send and relay through a connector, to an internal and an external recipient (How to set up a multifunction device or application to send email using Microsoft 365)",
	}
	for _, d := range []struct{ name, node string }{{"client submission", "mfp-auth"}, {"direct send", "mfp-direct"}, {"connector relay", "mfp-relay"}} {
		origin := topology.MustParseNodeID("device:" + d.node)
		for _, to := range []struct{ name, addr string }{{"Megan", Megan}, {"Erin", Erin}} {
			s.Flows = append(s.Flows, Flow{Name: "Scanner (" + d.name + ") to " + to.name,
				Message: route.Message{From: Scanner, To: []string{to.addr}, Origin: origin}})
		}
	}
	s.Flows = append(s.Flows, Flow{Name: "Scanner (client submission) as Megan to Erin",
		Message: route.Message{From: Megan, To: []string{Erin}, Origin: topology.MustParseNodeID("device:mfp-auth")}})
	for _, r := range []bool{false, true} {
		s.Variants = append(s.Variants, newVariant(s.Name, Settings{"rejectDirectSend": r}, DevicesSpec(r)))
	}
	return s
}
