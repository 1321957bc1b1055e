package analysis_test

import (
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// checkCertificate is the on-premises certificate of the Check tests.
const checkCertificate = "<I>CN=Contoso Issuing CA<S>CN=mail.contoso.com, O=Contoso"

// checkHybridSpec is a correctly configured hybrid organization: the tenant
// contoso with a mailbox and a MailUser for an on-premises mailbox, the
// on-premises organization contoso with that mailbox and a
// RemoteUserMailbox for the tenant's, MX to EOP, and the Hybrid
// Configuration Wizard's connectors. Check finds nothing in it.
func checkHybridSpec() topology.Spec {
	s := checkCloudSpec()
	s.Tenants[0].Recipients = []topology.Recipient{
		{Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@contoso.com",
			EmailAddresses: []string{"smtp:david@contoso.mail.onmicrosoft.com"}},
		{Name: "Julie", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "julie@contoso.com"},
	}
	s.OnPremises[0].Recipients = append(s.OnPremises[0].Recipients, topology.Recipient{Name: "David",
		RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "david@contoso.com",
		RemoteRoutingAddress: "SMTP:david@contoso.mail.onmicrosoft.com"})
	s.Hybrid = []topology.HybridConfiguration{{
		Tenant: "contoso", OnPremises: "contoso", Domains: []string{"contoso.com"},
		OnPremisesSmartHost: "mail.contoso.com", TlsCertificateName: checkCertificate,
		SendingTransportServers: []string{"EX01"}, ReceivingTransportServers: []string{"EX01"},
	}}
	return s
}

// checkCloudSpec is a tenant and an on-premises organization sharing
// contoso.com, with MX to EOP, and no connectors between them. With no
// MailUser and no smart host to EOP, Check finds nothing in it.
func checkCloudSpec() topology.Spec {
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Recipients: []topology.Recipient{
				{Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@contoso.com"},
			},
		}},
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Servers: []topology.ServerSpec{
				{
					Name: "EX01", Fqdn: "ex01.contoso.com", Hosts: []string{"mail.contoso.com"}, IPAddress: "192.0.2.10",
					Certificate: &topology.Certificate{CertificateDomains: []string{"mail.contoso.com", "ex01.contoso.com"}},
				},
				{Name: "EX02", Fqdn: "ex02.contoso.com"},
			},
			Recipients: []topology.Recipient{
				{Name: "Julie", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "julie@contoso.com", Server: "EX01"},
			},
			SendConnectors: []connector.Send{{Name: "To Internet", AddressSpaces: []string{"SMTP:*;1"}}},
		}},
		External: []topology.ExternalSpec{
			{Name: "contosobank", Kind: topology.Partner, Domains: []string{"contosobank.com"}, Hosts: []string{"mail.contosobank.com"}},
		},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", Preference: 0, NameExchange: "contoso-com.mail.protection.outlook.com"},
			{Domain: "contosobank.com", Preference: 10, NameExchange: "mail.contosobank.com"},
		},
	}
}

// Object names of the Check tests, as Build's problems write them.
const (
	objTenant = `Tenants["contoso"]`
	objOnPrem = `OnPremises["contoso"]`
	objMX     = `MXRecords["contoso.com" 0 "contoso-com.mail.protection.outlook.com"]`
)

func objInbound(name string) string  { return objTenant + `.InboundConnectors["` + name + `"]` }
func objOutbound(name string) string { return objTenant + `.OutboundConnectors["` + name + `"]` }
func objSend(name string) string     { return objOnPrem + `.SendConnectors["` + name + `"]` }

// objReceive names a Receive connector `EX01\Relay` the way %q quotes it.
func objReceive(server, name string) string {
	return objOnPrem + `.ReceiveConnectors["` + server + `\\` + name + `"]`
}

// The connectors of the Check tests.
var (
	// fromContosoBank is the ContosoBank partner connector of "Configure
	// mail flow using connectors in Exchange Online": restricted to
	// the bank's certificate.
	fromContosoBank = connector.Inbound{
		Name: "From ContosoBank", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"},
		RequireTls: connector.True, TlsSenderCertificateName: "mail.contosobank.com", RestrictDomainsToCertificate: true,
	}
	// fromPartners accepts its SenderDomains by domain only.
	fromPartners = connector.Inbound{
		Name: "From partners", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com", "fabrikam.com"},
		RequireTls: connector.False,
	}
	// fromFilter locks the tenant to a third-party filter's addresses
	// (Manage mail flow using a third-party cloud service with Exchange
	// Online).
	fromFilter = connector.Inbound{
		Name: "From filter", ConnectorType: connector.Partner, SenderDomains: []string{"*"},
		SenderIPAddresses: []string{"198.51.100.0/24"}, RestrictDomainsToIPAddresses: true,
	}
	// toOnPremises is an OnPremises outbound connector to EX01 by smart host.
	toOnPremises = connector.Outbound{
		Name: "To on-premises", ConnectorType: connector.OnPremises, RecipientDomains: []string{"contoso.com"},
		UseMXRecord: connector.False, SmartHosts: []string{"mail.contoso.com"},
	}
	// toEOP relays all on-premises outbound mail through EOP (Set up
	// connectors to route mail between Microsoft 365 and your own email
	// servers).
	toEOP = connector.Send{
		Name: "To EOP", AddressSpaces: []string{"SMTP:*;1"}, DNSRoutingEnabled: connector.False,
		SmartHosts: []string{"contoso-com.mail.protection.outlook.com"}, RequireTLS: true,
		TlsCertificateName: checkCertificate, CloudServicesMailEnabled: true,
	}
	// relay is a dedicated anonymous relay connector (Allow
	// anonymous relay on Exchange servers), still to be limited to the application hosts.
	relay = connector.Receive{
		Name: "Relay", Server: "EX01", TransportRole: "FrontendTransport", Bindings: []string{"0.0.0.0:25"},
		PermissionGroups: []string{"AnonymousUsers"}, AuthMechanism: []string{"None"}, AnonymousRelay: true,
	}
)

// checkWith returns a copy of v changed by f.
func checkWith[T any](v T, f func(*T)) T {
	f(&v)
	return v
}

// Messages shared by several cases.
var (
	msgContosoBankShadowed = objInbound("From partners") + " accepts mail from contosobank.com by sender domain only, but the restricting Partner connector " +
		objInbound("From ContosoBank") + " (TlsSenderCertificateName mail.contosobank.com; RestrictDomainsToCertificate $true) covers the same senders and outranks it: " +
		"mail from contosobank.com that does not come from its certificate is rejected with 550 5.7.51 TenantInboundAttribution instead of using " + objInbound("From partners")
	msgCMTScoped = objOutbound("CMT") + " has RouteAllMessagesViaOnPremises $true and AllAcceptedDomains $true: " +
		"a centralized mail transport connector must not be scoped to the accepted domains; " +
		"Microsoft documents that mail then loops between Exchange Online and on-premises until it is rejected with 554 5.4.14 Hop count exceeded - possible mail loop. It does not document how, so traces do not reproduce the loop (docs/behaviour.md, D21)"
	msgRelayToEOP = objSend("To EOP") + " sends through the EOP of " + objTenant + ", but " + objTenant +
		" has no enabled OnPremises inbound connector matching the servers of " + objOnPrem +
		" by certificate (ex01.contoso.com, ex02.contoso.com, mail.contoso.com) or IP address (192.0.2.10): " +
		"relay through Exchange Online fails with 550 5.7.64 TenantAttribution; Relay Access Denied"
)

// relaySender is the RelayNeedsAcceptedSender finding of "To EOP", the
// servers attributed how.
func relaySender(how string) analysis.Finding {
	return analysis.Finding{
		Rule:    analysis.RuleRelayNeedsAcceptedSender,
		Objects: []string{objSend("To EOP"), objTenant},
		Message: objSend("To EOP") + " sends through the EOP of " + objTenant + ", whose OnPremises inbound connector attributes the servers of " +
			objOnPrem + " " + how + ": Exchange Online relays only messages whose MAIL FROM domain is an accepted domain, so mail the " +
			"organization sends on for outside senders (forwarding, distribution groups with outside members) is rejected with " +
			"550 5.7.64 Relay Access Denied ATTR36; a certificate-based connector whose certificate is in an accepted domain relays it",
		Source: "Updated requirements for SMTP relay through Exchange Online; Configure a certificate-based connector to relay email messages through Microsoft 365",
	}
}

func msgUsesMX(conn, useMX string) string {
	return objOutbound(conn) + " delivers contoso.com by MX (" + useMX + "), and the MX of contoso.com is contoso-com.mail.protection.outlook.com, the tenant's own EOP: " +
		"the message comes back to EOP and loops until it is rejected with 554 5.4.14 Hop count exceeded - possible mail loop"
}

func msgMissingOutbound(domain, why string) string {
	return domain + " is " + why + ", but no enabled OnPremises outbound connector of " + objTenant + " covers it: " +
		"mail for its recipients cannot reach the on-premises servers; it loops through the MX of " + domain +
		" back to EOP (554 5.4.14 Hop count exceeded - possible mail loop) or is rejected"
}

func msgOpenRelay(obj, how, from string) string {
	return obj + " lets anonymous senders relay (" + how + ") and accepts connections from " + from +
		": anonymous senders on the Internet can relay through it to any domain"
}

func TestCheck(t *testing.T) {
	inbound := func(cs ...connector.Inbound) func(*topology.Spec) {
		return func(s *topology.Spec) { s.Tenants[0].InboundConnectors = append(s.Tenants[0].InboundConnectors, cs...) }
	}
	outbound := func(cs ...connector.Outbound) func(*topology.Spec) {
		return func(s *topology.Spec) {
			s.Tenants[0].OutboundConnectors = append(s.Tenants[0].OutboundConnectors, cs...)
		}
	}
	send := func(cs ...connector.Send) func(*topology.Spec) {
		return func(s *topology.Spec) { s.OnPremises[0].SendConnectors = append(s.OnPremises[0].SendConnectors, cs...) }
	}
	receive := func(cs ...connector.Receive) func(*topology.Spec) {
		return func(s *topology.Spec) {
			s.OnPremises[0].ReceiveConnectors = append(s.OnPremises[0].ReceiveConnectors, cs...)
		}
	}
	recipients := func(rs ...topology.Recipient) func(*topology.Spec) {
		return func(s *topology.Spec) { s.Tenants[0].Recipients = append(s.Tenants[0].Recipients, rs...) }
	}
	all := func(fs ...func(*topology.Spec)) func(*topology.Spec) {
		return func(s *topology.Spec) {
			for _, f := range fs {
				f(s)
			}
		}
	}
	julie := topology.Recipient{Name: "Julie", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "julie@contoso.com"}
	sales := topology.Recipient{Name: "Sales", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "sales@contoso.com",
		Members: []string{"julie@contoso.com"}}
	anne := topology.Recipient{Name: "Anne", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "anne@contoso.com", ExternalEmailAddress: "SMTP:anne@contoso.com"}

	tests := []struct {
		name   string
		base   func() topology.Spec
		mutate func(*topology.Spec)
		want   []analysis.Finding
		reason string
	}{
		// Clean configurations.
		{name: "Hybrid", base: checkHybridSpec, reason: "the wizard's connectors are what the documents prescribe"},
		{name: "HybridCentralizedTransport", base: checkHybridSpec, mutate: func(s *topology.Spec) {
			s.Hybrid[0].Features = []string{topology.FeatureCentralizedTransport}
		}, reason: "the wizard's CMT connector lists the hybrid domains, not AllAcceptedDomains"},
		{name: "CloudOnly", base: checkCloudSpec},
		// RuleUnsynchronizedRecipient (docs/behaviour.md#l62-recipients-declared-on-one-side-only).
		{
			name: "UnsynchronizedGroup", base: checkHybridSpec,
			mutate: func(s *topology.Spec) { s.OnPremises[0].Recipients = append(s.OnPremises[0].Recipients, sales) },
			want: []analysis.Finding{{
				Rule:    analysis.RuleUnsynchronizedRecipient,
				Objects: []string{objOnPrem + `.Recipients["sales@contoso.com"]`},
				Message: objOnPrem + `.Recipients["sales@contoso.com"] is a MailUniversalDistributionGroup on-premises that ` + objTenant +
					` does not know, because the hybrid configuration between ` + objTenant + ` and ` + objOnPrem +
					` does not synchronize the directories (DirectorySynchronization): contoso.com is Authoritative there, ` +
					`so mail for it that Exchange Online receives from outside (as when the MX points to EOP) is rejected by Directory-Based Edge Blocking with ` +
					route.StatusDBEB + `, and mail from the tenant's mailboxes is rejected with ` + route.StatusRecipientNotFoundEXO,
				Source: "Transport routing in Exchange hybrid deployments; Use Directory-Based Edge Blocking to reject messages sent to invalid recipients; " +
					"Email non-delivery reports and SMTP errors in Exchange Online; NDRs in Exchange Server",
			}},
		},
		{
			name: "SynchronizedGroup", base: checkHybridSpec,
			mutate: func(s *topology.Spec) {
				s.OnPremises[0].Recipients = append(s.OnPremises[0].Recipients, sales)
				s.Hybrid[0].DirectorySynchronization = true
			},
			reason: "Microsoft Entra Connect gives the group an object in the tenant",
		},

		// RulePartnerMixesIPAndCertificate.
		{
			name: "PartnerBothRestrictFlags", base: checkCloudSpec,
			mutate: inbound(checkWith(fromContosoBank, func(c *connector.Inbound) {
				c.SenderIPAddresses = []string{"203.0.113.0/24"}
				c.RestrictDomainsToIPAddresses = true
			})),
			want: []analysis.Finding{{
				Rule:    analysis.RulePartnerMixesIPAndCertificate,
				Objects: []string{objInbound("From ContosoBank")},
				Message: objInbound("From ContosoBank") + " is a Partner connector restricted by both IP address and certificate " +
					"(SenderIPAddresses 203.0.113.0/24; TlsSenderCertificateName mail.contosobank.com; RestrictDomainsToIPAddresses $true; RestrictDomainsToCertificate $true): " +
					"IP and certificate restrictions belong in separate connectors, one restricted to SenderIPAddresses and one to TlsSenderCertificateName",
				Source: "Configure mail flow using connectors in Exchange Online",
			}},
		},
		{
			name: "PartnerIPsAndCertificateOneFlag", base: checkCloudSpec,
			mutate: inbound(checkWith(fromContosoBank, func(c *connector.Inbound) {
				c.SenderIPAddresses = []string{"203.0.113.0/24", "203.0.114.7"}
				c.Enabled = connector.False
			})),
			want: []analysis.Finding{{
				Rule:    analysis.RulePartnerMixesIPAndCertificate,
				Objects: []string{objInbound("From ContosoBank")},
				Message: objInbound("From ContosoBank") + " is a Partner connector restricted by both IP address and certificate " +
					"(SenderIPAddresses 203.0.113.0/24, 203.0.114.7; TlsSenderCertificateName mail.contosobank.com; RestrictDomainsToCertificate $true): " +
					"IP and certificate restrictions belong in separate connectors, one restricted to SenderIPAddresses and one to TlsSenderCertificateName",
				Source: "Configure mail flow using connectors in Exchange Online",
			}},
			reason: "a disabled connector keeps the mistake for when it is enabled",
		},
		{name: "PartnerCertificateOnly", base: checkCloudSpec, mutate: inbound(fromContosoBank)},
		{
			name: "PartnerIPsAndCertificateWithoutRestriction", base: checkCloudSpec,
			mutate: inbound(checkWith(fromContosoBank, func(c *connector.Inbound) {
				c.SenderIPAddresses = []string{"203.0.113.0/24"}
				c.RestrictDomainsToCertificate = false
			})),
		},
		{
			name: "PartnerIPAndCertificateInSeparateConnectors", base: checkCloudSpec,
			mutate: inbound(fromContosoBank, connector.Inbound{
				Name: "From ContosoBank by IP", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"},
				SenderIPAddresses: []string{"203.0.113.0/24"}, RestrictDomainsToIPAddresses: true,
			}),
		},
		{
			name: "OnPremisesIPsAndCertificate", base: checkCloudSpec,
			mutate: inbound(connector.Inbound{
				Name: "From on-premises", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"},
				SenderIPAddresses: []string{"192.0.2.10"}, TlsSenderCertificateName: "mail.contoso.com",
				RestrictDomainsToIPAddresses: true, RestrictDomainsToCertificate: true,
			}),
			reason: "the rule is about Partner connectors; OnPremises ones match by IP or certificate anyway (the library's reading of New-InboundConnector)",
		},

		// RuleShadowedDomainConnector.
		{
			name: "ShadowedSameDomain", base: checkCloudSpec, mutate: inbound(fromContosoBank, fromPartners),
			want: []analysis.Finding{{
				Rule:    analysis.RuleShadowedDomainConnector,
				Objects: []string{objInbound("From ContosoBank"), objInbound("From partners")},
				Message: msgContosoBankShadowed,
				Source:  "Configure mail flow using connectors in Exchange Online; Manage mail flow using a third-party cloud service with Exchange Online",
			}},
		},
		{
			name: "ShadowedByWildcard", base: checkCloudSpec,
			mutate: inbound(checkWith(fromContosoBank, func(c *connector.Inbound) { c.SenderDomains = []string{"*.contosobank.com"} }),
				checkWith(fromPartners, func(c *connector.Inbound) { c.SenderDomains = []string{"eu.contosobank.com", "fabrikam.com"} })),
			want: []analysis.Finding{{
				Rule:    analysis.RuleShadowedDomainConnector,
				Objects: []string{objInbound("From ContosoBank"), objInbound("From partners")},
				Message: strings.ReplaceAll(msgContosoBankShadowed, "from contosobank.com", "from eu.contosobank.com"),
				Source:  "Configure mail flow using connectors in Exchange Online; Manage mail flow using a third-party cloud service with Exchange Online",
			}},
		},
		{
			name: "ShadowedByThirdPartyLockdown", base: checkCloudSpec, mutate: inbound(fromFilter, fromPartners),
			want: []analysis.Finding{{
				Rule:    analysis.RuleShadowedDomainConnector,
				Objects: []string{objInbound("From filter"), objInbound("From partners")},
				Message: objInbound("From partners") + " accepts mail from contosobank.com, fabrikam.com by sender domain only, but the restricting Partner connector " +
					objInbound("From filter") + " (SenderIPAddresses 198.51.100.0/24; RestrictDomainsToIPAddresses $true) covers the same senders and outranks it: " +
					"mail from contosobank.com, fabrikam.com that does not come from its IP addresses is rejected with 550 5.7.51 TenantInboundAttribution instead of using " + objInbound("From partners"),
				Source: "Configure mail flow using connectors in Exchange Online; Manage mail flow using a third-party cloud service with Exchange Online",
			}},
		},
		{
			name: "NotShadowedOtherDomain", base: checkCloudSpec,
			mutate: inbound(fromContosoBank, checkWith(fromPartners, func(c *connector.Inbound) { c.SenderDomains = []string{"fabrikam.com", "*.contosobank.net"} })),
		},
		{
			name: "NotShadowedSubdomainOfExact", base: checkCloudSpec,
			mutate: inbound(fromContosoBank, checkWith(fromPartners, func(c *connector.Inbound) { c.SenderDomains = []string{"eu.contosobank.com"} })),
			reason: "contosobank.com does not cover its subdomains; only *.contosobank.com does",
		},
		{
			name: "NotShadowedRestrictingDisabled", base: checkCloudSpec,
			mutate: inbound(checkWith(fromContosoBank, func(c *connector.Inbound) { c.Enabled = connector.False }), fromPartners),
		},
		{
			name: "NotShadowedOpenDisabled", base: checkCloudSpec,
			mutate: inbound(fromContosoBank, checkWith(fromPartners, func(c *connector.Inbound) { c.Enabled = connector.False })),
		},

		// RuleCentralizedTransportScopedToAcceptedDomains.
		{
			name: "CentralizedTransportAllAcceptedDomains", base: checkHybridSpec,
			mutate: outbound(checkWith(toOnPremises, func(c *connector.Outbound) {
				c.Name, c.RecipientDomains, c.AllAcceptedDomains, c.RouteAllMessagesViaOnPremises = "CMT", nil, true, true
			})),
			want: []analysis.Finding{{
				Rule:    analysis.RuleCentralizedTransportScopedToAcceptedDomains,
				Objects: []string{objOutbound("CMT")},
				Message: msgCMTScoped,
				Source:  "Fix email delivery issues for error codes 5.4.6 through 5.4.20 in Exchange Online",
			}},
		},
		{
			name: "CentralizedTransportRecipientDomains", base: checkHybridSpec,
			mutate: outbound(checkWith(toOnPremises, func(c *connector.Outbound) {
				c.Name, c.RecipientDomains, c.RouteAllMessagesViaOnPremises = "CMT", []string{"*"}, true
			})),
		},
		{
			name: "AllAcceptedDomainsWithoutCentralizedTransport", base: checkHybridSpec,
			mutate: outbound(checkWith(toOnPremises, func(c *connector.Outbound) { c.Name, c.RecipientDomains, c.AllAcceptedDomains = "CMT", nil, true })),
		},
		{
			name: "CentralizedTransportAllAcceptedDomainsDisabled", base: checkHybridSpec,
			mutate: outbound(checkWith(toOnPremises, func(c *connector.Outbound) {
				c.Name, c.RecipientDomains, c.AllAcceptedDomains, c.RouteAllMessagesViaOnPremises, c.Enabled = "CMT", nil, true, true, connector.False
			})),
		},

		// RuleOnPremisesConnectorUsesMX.
		{
			name: "OnPremisesConnectorUseMXUnset", base: checkHybridSpec,
			mutate: outbound(checkWith(toOnPremises, func(c *connector.Outbound) { c.UseMXRecord, c.SmartHosts = connector.Unset, nil })),
			want: []analysis.Finding{{
				Rule:    analysis.RuleOnPremisesConnectorUsesMX,
				Objects: []string{objMX, objOutbound("To on-premises")},
				Message: msgUsesMX("To on-premises", "UseMXRecord unset, which reads as $true"),
				Source:  "Fix email delivery issues for error codes 5.4.6 through 5.4.20 in Exchange Online",
			}},
		},
		{
			name: "OnPremisesConnectorUseMXAny", base: checkCloudSpec,
			mutate: outbound(checkWith(toOnPremises, func(c *connector.Outbound) {
				c.RecipientDomains, c.UseMXRecord, c.SmartHosts = []string{"*"}, connector.True, nil
			})),
			want: []analysis.Finding{{
				Rule:    analysis.RuleOnPremisesConnectorUsesMX,
				Objects: []string{objMX, objOutbound("To on-premises")},
				Message: msgUsesMX("To on-premises", "UseMXRecord $true"),
				Source:  "Fix email delivery issues for error codes 5.4.6 through 5.4.20 in Exchange Online",
			}},
			reason: "* covers contoso.com; the onmicrosoft.com domains, whose MX is also EOP, hold only tenant recipients",
		},
		{name: "OnPremisesConnectorSmartHost", base: checkHybridSpec, mutate: outbound(toOnPremises)},
		{
			name: "OnPremisesConnectorUseMXWithMXOnPremises", base: checkHybridSpec,
			mutate: all(
				outbound(checkWith(toOnPremises, func(c *connector.Outbound) { c.UseMXRecord, c.SmartHosts = connector.True, nil })),
				func(s *topology.Spec) { s.MXRecords[0].NameExchange = "mail.contoso.com" },
			),
			reason: "MX on-premises: the MX leads to the on-premises server",
		},
		{
			name: "OnPremisesConnectorUseMXBackupMXToEOP", base: checkHybridSpec,
			mutate: all(
				outbound(checkWith(toOnPremises, func(c *connector.Outbound) { c.UseMXRecord, c.SmartHosts = connector.True, nil })),
				func(s *topology.Spec) {
					s.MXRecords[0].Preference = 10
					s.MXRecords = append(s.MXRecords, topology.MXRecord{Domain: "contoso.com", Preference: 0, NameExchange: "mail.contoso.com"})
				},
			),
			reason: "only the preferred MX host is used while it answers",
		},
		{
			name: "PartnerConnectorUseMX", base: checkHybridSpec,
			mutate: outbound(checkWith(toOnPremises, func(c *connector.Outbound) {
				c.ConnectorType, c.UseMXRecord, c.SmartHosts = connector.Partner, connector.True, nil
			})),
		},

		// RuleMissingConnector, Exchange Online to on-premises.
		{
			name: "MissingOutboundForMailUsers", base: checkCloudSpec, mutate: recipients(julie, anne),
			want: []analysis.Finding{{
				Rule: analysis.RuleMissingConnector,
				Objects: []string{
					objTenant + `.AcceptedDomains["contoso.com"]`,
					objTenant + `.Recipients["anne@contoso.com"]`,
					objTenant + `.Recipients["julie@contoso.com"]`,
				},
				Message: msgMissingOutbound("contoso.com", "the target domain of the MailUser recipients anne@contoso.com, julie@contoso.com"),
				Source:  "Set up connectors to route mail between Microsoft 365 and your own email servers",
			}},
		},
		{
			name: "MissingOutboundForInternalRelay", base: checkHybridSpec,
			mutate: func(s *topology.Spec) {
				s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.com", DomainType: topology.InternalRelay})
				s.Tenants[0].Recipients = append(s.Tenants[0].Recipients,
					topology.Recipient{Name: "Ivan", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "ivan@contoso.com", ExternalEmailAddress: "ivan@fabrikam.com"})
			},
			want: []analysis.Finding{{
				Rule:    analysis.RuleMissingConnector,
				Objects: []string{objTenant + `.AcceptedDomains["fabrikam.com"]`, objTenant + `.Recipients["ivan@contoso.com"]`},
				Message: msgMissingOutbound("fabrikam.com", "an InternalRelay accepted domain and the target domain of the MailUser recipients ivan@contoso.com"),
				Source:  "Set up connectors to route mail between Microsoft 365 and your own email servers",
			}},
			reason: "the wizard's connector covers contoso.com only",
		},
		{
			name: "MissingOutboundConnectorDisabled", base: checkCloudSpec,
			mutate: all(recipients(julie), outbound(checkWith(toOnPremises, func(c *connector.Outbound) { c.Enabled = connector.False }))),
			want: []analysis.Finding{{
				Rule:    analysis.RuleMissingConnector,
				Objects: []string{objTenant + `.AcceptedDomains["contoso.com"]`, objTenant + `.Recipients["julie@contoso.com"]`},
				Message: msgMissingOutbound("contoso.com", "the target domain of the MailUser recipients julie@contoso.com"),
				Source:  "Set up connectors to route mail between Microsoft 365 and your own email servers",
			}},
		},
		{
			name: "MissingOutboundPartnerConnector", base: checkCloudSpec,
			mutate: all(recipients(julie), outbound(checkWith(toOnPremises, func(c *connector.Outbound) { c.ConnectorType = connector.Partner }))),
			want: []analysis.Finding{{
				Rule:    analysis.RuleMissingConnector,
				Objects: []string{objTenant + `.AcceptedDomains["contoso.com"]`, objTenant + `.Recipients["julie@contoso.com"]`},
				Message: msgMissingOutbound("contoso.com", "the target domain of the MailUser recipients julie@contoso.com"),
				Source:  "Set up connectors to route mail between Microsoft 365 and your own email servers",
			}},
			reason: "only an OnPremises connector carries mail to your own servers",
		},
		{
			name: "MissingOutboundRuleScoped", base: checkCloudSpec,
			mutate: all(recipients(julie), outbound(checkWith(toOnPremises, func(c *connector.Outbound) { c.IsTransportRuleScoped = true }))),
			want: []analysis.Finding{{
				Rule:    analysis.RuleMissingConnector,
				Objects: []string{objTenant + `.AcceptedDomains["contoso.com"]`, objTenant + `.Recipients["julie@contoso.com"]`},
				Message: msgMissingOutbound("contoso.com", "the target domain of the MailUser recipients julie@contoso.com"),
				Source:  "Set up connectors to route mail between Microsoft 365 and your own email servers",
			}},
			reason: "a rule-scoped connector is reached only through a mail flow rule (Scenario: Conditional mail routing in Exchange Online)",
		},
		{name: "OutboundByRecipientDomain", base: checkCloudSpec, mutate: all(recipients(julie), outbound(toOnPremises))},
		{
			name: "OutboundByWildcard", base: checkCloudSpec,
			mutate: all(recipients(julie), outbound(checkWith(toOnPremises, func(c *connector.Outbound) { c.RecipientDomains = []string{"*.contoso.com"} }))),
		},
		{
			name: "OutboundByAllAcceptedDomains", base: checkCloudSpec,
			mutate: all(recipients(julie), outbound(checkWith(toOnPremises, func(c *connector.Outbound) { c.RecipientDomains, c.AllAcceptedDomains = nil, true }))),
		},
		{
			name: "OutboundByCentralizedTransport", base: checkCloudSpec,
			mutate: all(recipients(julie), outbound(checkWith(toOnPremises, func(c *connector.Outbound) {
				c.RecipientDomains, c.RouteAllMessagesViaOnPremises = []string{"fabrikam.com"}, true
			}))),
		},
		{
			name: "MailUserOutsideAcceptedDomains", base: checkCloudSpec,
			mutate: recipients(topology.Recipient{Name: "Erin", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "erin@contoso.com", ExternalEmailAddress: "erin@cpandl.com"}),
			reason: "the target is outside the tenant: EOP delivers it by MX",
		},

		// RuleMissingConnector, on-premises relaying through EOP.
		{
			name: "MissingInboundForRelay", base: checkCloudSpec, mutate: send(toEOP),
			want: []analysis.Finding{{
				Rule:    analysis.RuleMissingConnector,
				Objects: []string{objSend("To EOP"), objTenant},
				Message: msgRelayToEOP,
				Source:  "Updated requirements for SMTP relay through Exchange Online; Set up connectors to route mail between Microsoft 365 and your own email servers",
			}},
		},
		{
			name: "MissingInboundOtherServers", base: checkCloudSpec,
			mutate: all(send(toEOP), inbound(connector.Inbound{
				Name: "From fabrikam", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"},
				SenderIPAddresses: []string{"203.0.113.0/24"}, TlsSenderCertificateName: "mail.fabrikam.com",
			})),
			want: []analysis.Finding{{
				Rule:    analysis.RuleMissingConnector,
				Objects: []string{objSend("To EOP"), objTenant},
				Message: msgRelayToEOP,
				Source:  "Updated requirements for SMTP relay through Exchange Online; Set up connectors to route mail between Microsoft 365 and your own email servers",
			}},
		},
		{
			name: "MissingInboundPartnerConnector", base: checkCloudSpec,
			mutate: all(send(toEOP), inbound(connector.Inbound{
				Name: "From on-premises", ConnectorType: connector.Partner, SenderDomains: []string{"contoso.com"}, TlsSenderCertificateName: "mail.contoso.com",
			})),
			want: []analysis.Finding{{
				Rule:    analysis.RuleMissingConnector,
				Objects: []string{objSend("To EOP"), objTenant},
				Message: msgRelayToEOP,
				Source:  "Updated requirements for SMTP relay through Exchange Online; Set up connectors to route mail between Microsoft 365 and your own email servers",
			}},
			reason: "relay needs an OnPremises connector (Updated requirements for SMTP relay through Exchange Online)",
		},
		{
			name: "InboundByCertificate", base: checkCloudSpec,
			mutate: all(send(toEOP), inbound(connector.Inbound{
				Name: "From on-premises", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"}, TlsSenderCertificateName: "*.contoso.com",
			})),
		},
		{
			// Attributed by IP address, Exchange Online relays only mail whose
			// MAIL FROM domain is accepted ("Updated requirements for SMTP relay
			// through Exchange Online").
			name: "InboundByIPAddress", base: checkCloudSpec,
			mutate: all(send(toEOP), inbound(connector.Inbound{
				Name: "From on-premises", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"}, SenderIPAddresses: []string{"192.0.2.0/24"},
			})),
			want: []analysis.Finding{relaySender("by IP address")},
		},
		{
			// By a certificate in an accepted domain, it relays whatever the
			// sender: no finding.
			name: "InboundByAcceptedCertificate", base: checkCloudSpec,
			mutate: all(send(toEOP), inbound(connector.Inbound{
				Name: "From on-premises", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"}, TlsSenderCertificateName: "mail.contoso.com",
			})),
		},
		{
			// A certificate in no accepted domain counts as the IP address
			// does: the MAIL FROM domain must be accepted.
			name: "InboundByOtherCertificate", base: checkCloudSpec,
			mutate: all(send(toEOP), inbound(connector.Inbound{
				Name: "From on-premises", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"}, TlsSenderCertificateName: "mail.contoso.net",
			}), func(s *topology.Spec) {
				s.OnPremises[0].Servers[0].Certificate.CertificateDomains = []string{"mail.contoso.net"}
				s.OnPremises[0].SendConnectors[len(s.OnPremises[0].SendConnectors)-1].TlsCertificateName = "<I>CN=CA<S>CN=mail.contoso.net"
			}),
			want: []analysis.Finding{relaySender("by certificate mail.contoso.net, in no accepted domain")},
		},
		{name: "InboundFromHybridConfiguration", base: checkHybridSpec, mutate: send(toEOP)},
		{
			name: "InboundDisabled", base: checkCloudSpec,
			mutate: all(send(toEOP), inbound(connector.Inbound{
				Name: "From on-premises", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"}, SenderIPAddresses: []string{"192.0.2.10"},
				Enabled: connector.False,
			})),
			want: []analysis.Finding{{
				Rule:    analysis.RuleMissingConnector,
				Objects: []string{objSend("To EOP"), objTenant},
				Message: msgRelayToEOP,
				Source:  "Updated requirements for SMTP relay through Exchange Online; Set up connectors to route mail between Microsoft 365 and your own email servers",
			}},
		},
		{
			name: "MissingInboundForRelayOfOnPremisesDomains", base: checkCloudSpec,
			mutate: all(
				func(s *topology.Spec) {
					s.OnPremises[0].AcceptedDomains = append(s.OnPremises[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.com"})
				},
				send(checkWith(toEOP, func(c *connector.Send) { c.AddressSpaces = []string{"--"} })),
			),
			want: []analysis.Finding{{
				Rule:    analysis.RuleMissingConnector,
				Objects: []string{objSend("To EOP"), objTenant},
				Message: msgRelayToEOP,
				Source:  "Updated requirements for SMTP relay through Exchange Online; Set up connectors to route mail between Microsoft 365 and your own email servers",
			}},
			reason: "fabrikam.com is accepted on-premises only: EOP relays it",
		},
		{
			name: "SendConnectorToEOPForTenantDomains", base: checkCloudSpec,
			mutate: send(checkWith(toEOP, func(c *connector.Send) {
				c.AddressSpaces = []string{"contoso.com", "SMTP:contoso.onmicrosoft.com;5", "--"}
			})),
			reason: "mail for the tenant's own accepted domains is inbound mail, not relay (Updated requirements for SMTP relay through Exchange Online)",
		},
		{
			name: "SendConnectorToEOPDisabled", base: checkCloudSpec,
			mutate: send(checkWith(toEOP, func(c *connector.Send) { c.Enabled = connector.False })),
		},
		{
			name: "SendConnectorByDNS", base: checkCloudSpec,
			mutate: send(checkWith(toEOP, func(c *connector.Send) { c.DNSRoutingEnabled, c.SmartHosts = connector.True, nil })),
			reason: "mail found by MX is inbound mail, not relay",
		},

		// RuleOpenRelay.
		{
			name: "OpenRelayAllAddresses", base: checkCloudSpec,
			mutate: receive(checkWith(relay, func(c *connector.Receive) { c.RemoteIPRanges = []string{"0.0.0.0-255.255.255.255"} })),
			want: []analysis.Finding{{
				Rule:    analysis.RuleOpenRelay,
				Objects: []string{objReceive("EX01", "Relay")},
				Message: msgOpenRelay(objReceive("EX01", "Relay"), "AnonymousUsers with ms-Exch-SMTP-Accept-Any-Recipient", "public address ranges wider than a /24 (RemoteIPRanges 0.0.0.0-255.255.255.255)"),
				Source:  "Allow anonymous relay on Exchange servers; Configure mail flow using connectors in Exchange Online",
			}},
		},
		{
			name: "OpenRelayNoRanges", base: checkCloudSpec, mutate: receive(relay),
			want: []analysis.Finding{{
				Rule:    analysis.RuleOpenRelay,
				Objects: []string{objReceive("EX01", "Relay")},
				Message: msgOpenRelay(objReceive("EX01", "Relay"), "AnonymousUsers with ms-Exch-SMTP-Accept-Any-Recipient", "every address (RemoteIPRanges is empty)"),
				Source:  "Allow anonymous relay on Exchange servers; Configure mail flow using connectors in Exchange Online",
			}},
		},
		{
			name: "OpenRelayExternallySecured", base: checkCloudSpec,
			mutate: receive(connector.Receive{
				Name: "Apps", Server: "EX02", PermissionGroups: []string{"ExchangeServers"}, AuthMechanism: []string{"Tls", "ExternalAuthoritative"},
				RemoteIPRanges: []string{"10.0.0.0/24", "198.51.100.7", "203.0.113.0/23", "2001:db8::/32"},
			}),
			want: []analysis.Finding{{
				Rule:    analysis.RuleOpenRelay,
				Objects: []string{objReceive("EX02", "Apps")},
				Message: msgOpenRelay(objReceive("EX02", "Apps"), "ExchangeServers with ExternalAuthoritative", "public address ranges wider than a /24 (RemoteIPRanges 203.0.113.0/23, 2001:db8::/32)"),
				Source:  "Allow anonymous relay on Exchange servers; Configure mail flow using connectors in Exchange Online",
			}},
		},
		{
			name: "OpenRelayRangeLeavesPrivateBlock", base: checkCloudSpec,
			mutate: receive(checkWith(relay, func(c *connector.Receive) { c.RemoteIPRanges = []string{"10.255.0.0-11.0.0.10"} })),
			want: []analysis.Finding{{
				Rule:    analysis.RuleOpenRelay,
				Objects: []string{objReceive("EX01", "Relay")},
				Message: msgOpenRelay(objReceive("EX01", "Relay"), "AnonymousUsers with ms-Exch-SMTP-Accept-Any-Recipient", "public address ranges wider than a /24 (RemoteIPRanges 10.255.0.0-11.0.0.10)"),
				Source:  "Allow anonymous relay on Exchange servers; Configure mail flow using connectors in Exchange Online",
			}},
		},
		{
			name: "RelayLimitedToPrivateHosts", base: checkCloudSpec,
			mutate: receive(checkWith(relay, func(c *connector.Receive) {
				c.RemoteIPRanges = []string{"10.0.0.0/24", "172.16.5.1-172.16.5.20", "192.168.1.25", "127.0.0.1", "169.254.0.0/16", "fe80::/64", "fd00::1"}
			})),
		},
		{
			// Allow anonymous relay on Exchange servers: a relay connector limited to the application
			// hosts is the recommended setup, even on public addresses.
			name: "RelayLimitedToPublicApplicationHosts", base: checkCloudSpec,
			mutate: receive(checkWith(relay, func(c *connector.Receive) { c.RemoteIPRanges = []string{"198.51.100.7", "203.0.113.0/24"} })),
		},
		{
			name: "AnonymousWithoutRelay", base: checkCloudSpec,
			mutate: receive(checkWith(relay, func(c *connector.Receive) { c.AnonymousRelay = false })),
			reason: "AnonymousUsers alone reaches accepted domains only",
		},
		{
			name: "RelayRightWithoutAnonymousUsers", base: checkCloudSpec,
			mutate: receive(checkWith(relay, func(c *connector.Receive) { c.PermissionGroups = []string{"ExchangeUsers"} })),
		},
		{
			name: "OpenRelayDisabled", base: checkCloudSpec,
			mutate: receive(checkWith(relay, func(c *connector.Receive) { c.Enabled = connector.False })),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := tt.base()
			if tt.mutate != nil {
				tt.mutate(&spec)
			}
			topo, err := topology.Build(spec)
			require.NoError(t, err)
			if diff := gocmp.Diff(tt.want, must(analysis.Check(topo)), testopts.Cmp); diff != "" {
				t.Errorf("Check(topo) mismatch (-want +got):\n%s", diff)
				if tt.reason != "" {
					t.Logf("reason: %s", tt.reason)
				}
			}
		})
	}
}

// checkManySpec triggers every rule at least once, in two tenants and two
// on-premises organizations.
func checkManySpec() topology.Spec {
	s := checkHybridSpec()
	x := &s.Tenants[0]
	x.AcceptedDomains = append(x.AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.com", DomainType: topology.InternalRelay})
	x.Recipients = append(x.Recipients,
		topology.Recipient{Name: "Ivan", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "ivan@contoso.com", ExternalEmailAddress: "ivan@fabrikam.com"},
		topology.Recipient{Name: "Anne", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "anne@fabrikam.com"},
	)
	x.InboundConnectors = append(x.InboundConnectors, fromFilter, fromPartners, fromContosoBank,
		checkWith(fromContosoBank, func(c *connector.Inbound) {
			c.Name, c.SenderIPAddresses, c.RestrictDomainsToIPAddresses = "From ContosoBank EU", []string{"203.0.113.0/24"}, true
		}))
	x.OutboundConnectors = append(x.OutboundConnectors,
		checkWith(toOnPremises, func(c *connector.Outbound) {
			c.Name, c.RecipientDomains, c.AllAcceptedDomains, c.RouteAllMessagesViaOnPremises, c.Enabled = "CMT", nil, true, true, connector.False
		}),
		checkWith(toOnPremises, func(c *connector.Outbound) { c.Name, c.UseMXRecord, c.SmartHosts = "By MX", connector.True, nil }),
		checkWith(toOnPremises, func(c *connector.Outbound) { c.Name, c.UseMXRecord, c.SmartHosts = "Also by MX", connector.Unset, nil }),
	)
	o := &s.OnPremises[0]
	o.SendConnectors = append(o.SendConnectors, toEOP)
	o.Recipients = append(o.Recipients, topology.Recipient{Name: "Printers", RecipientTypeDetails: topology.MailContact,
		PrimarySmtpAddress: "printers@contoso.com", ExternalEmailAddress: "SMTP:printers@contosobank.com"})
	o.ReceiveConnectors = []connector.Receive{
		relay,
		checkWith(relay, func(c *connector.Receive) { c.Name, c.RemoteIPRanges = "Relay printers", []string{"10.0.0.0/24"} }),
		checkWith(relay, func(c *connector.Receive) { c.Name, c.Server = "Relay", "EX02" }),
	}
	s.Tenants = append(s.Tenants, topology.TenantSpec{
		Name:            "tailspin",
		AcceptedDomains: []topology.AcceptedDomain{{DomainName: "tailspintoys.com"}},
		Recipients:      []topology.Recipient{{Name: "Zoe", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "zoe@tailspintoys.com"}},
		OutboundConnectors: []connector.Outbound{{
			Name: "CMT", ConnectorType: connector.OnPremises, AllAcceptedDomains: true, RouteAllMessagesViaOnPremises: true,
			UseMXRecord: connector.False, SmartHosts: []string{"smtp.tailspintoys.com"},
		}},
	})
	s.OnPremises = append(s.OnPremises, topology.OnPremisesSpec{
		Name:            "tailspin",
		AcceptedDomains: []topology.AcceptedDomain{{DomainName: "tailspintoys.com"}},
		Servers:         []topology.ServerSpec{{Name: "TS01", Fqdn: "smtp.tailspintoys.com", IPAddress: "203.0.113.25"}},
		SendConnectors: []connector.Send{
			{Name: "To EOP", AddressSpaces: []string{"*"}, DNSRoutingEnabled: connector.False, SmartHosts: []string{"tailspintoys-com.mail.protection.outlook.com"}},
			{Name: "To contoso", AddressSpaces: []string{"contoso.com", "*.contoso.com;2"}, DNSRoutingEnabled: connector.False, SmartHosts: []string{"contoso-com.mail.protection.outlook.com"}},
		},
		ReceiveConnectors: []connector.Receive{checkWith(relay, func(c *connector.Receive) { c.Server = "TS01" })},
	})
	s.MXRecords = append(s.MXRecords, topology.MXRecord{Domain: "tailspintoys.com", Preference: 5, NameExchange: "tailspintoys-com.mail.protection.outlook.com"})
	return s
}

// checkShuffled returns a copy of spec with every list that Build treats
// as a set reordered by perm.
func checkShuffled(spec topology.Spec, perm func(n int) []int) topology.Spec {
	out := spec
	out.Tenants = checkReorder(spec.Tenants, perm)
	for i := range out.Tenants {
		x := &out.Tenants[i]
		x.AcceptedDomains = checkReorder(x.AcceptedDomains, perm)
		x.Recipients = checkReorder(x.Recipients, perm)
		x.InboundConnectors = checkReorder(x.InboundConnectors, perm)
		x.OutboundConnectors = checkReorder(x.OutboundConnectors, perm)
	}
	out.OnPremises = checkReorder(spec.OnPremises, perm)
	for i := range out.OnPremises {
		o := &out.OnPremises[i]
		o.AcceptedDomains = checkReorder(o.AcceptedDomains, perm)
		o.Servers = checkReorder(o.Servers, perm)
		o.Recipients = checkReorder(o.Recipients, perm)
		o.SendConnectors = checkReorder(o.SendConnectors, perm)
		o.ReceiveConnectors = checkReorder(o.ReceiveConnectors, perm)
	}
	out.External = checkReorder(spec.External, perm)
	out.MXRecords = checkReorder(spec.MXRecords, perm)
	out.Hybrid = checkReorder(spec.Hybrid, perm)
	return out
}

func checkReorder[T any](s []T, perm func(n int) []int) []T {
	out := make([]T, 0, len(s))
	for _, j := range perm(len(s)) {
		out = append(out, s[j])
	}
	return out
}

func TestCheckSortedAndDeterministic(t *testing.T) {
	base, err := topology.Build(checkManySpec())
	require.NoError(t, err)
	want := must(analysis.Check(base))
	rules := map[analysis.Rule]int{}
	for _, f := range want {
		rules[f.Rule]++
		if !slices.IsSorted(f.Objects) {
			t.Errorf("Check() finding %s has unsorted Objects %q", f.Rule, f.Objects)
		}
	}
	wantRules := map[analysis.Rule]int{
		analysis.RuleCentralizedTransportScopedToAcceptedDomains: 1, // tailspin's; contoso's is disabled
		analysis.RuleMissingConnector:                            3, // fabrikam.com; two Send connectors to EOP
		analysis.RuleOnPremisesConnectorUsesMX:                   2,
		analysis.RuleOpenRelay:                                   3,
		analysis.RulePartnerMixesIPAndCertificate:                1,
		analysis.RuleShadowedDomainConnector:                     3,
		analysis.RuleUnsynchronizedRecipient:                     1, // the on-premises contact
	}
	if diff := gocmp.Diff(wantRules, rules); diff != "" {
		t.Errorf("Check() findings per rule mismatch (-want +got):\n%s", diff)
	}
	if !slices.IsSortedFunc(want, analysis.Finding.Compare) {
		t.Errorf("Check() is not sorted by Rule, Objects, Message:\n%v", want)
	}

	tests := testopts.SpecOrders(7, 11)
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			topo, err := topology.Build(checkShuffled(checkManySpec(), tt.Perm))
			require.NoError(t, err)
			if diff := gocmp.Diff(want, must(analysis.Check(topo)), testopts.Cmp); diff != "" {
				t.Errorf("Check() of the shuffled spec mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// Check reads the topology only: a second call gives the same result.
	if diff := gocmp.Diff(want, must(analysis.Check(base)), testopts.Cmp); diff != "" {
		t.Errorf("second Check(topo) mismatch (-want +got):\n%s", diff)
	}
}

// TestCheckRelayDomains: an on-premises relay domain that covers every
// domain ("*") or a whole top-level domain ("*.com") makes an open relay
// ("Accepted domains in Exchange Server"); a wildcard over one domain
// does not.
func TestCheckRelayDomains(t *testing.T) {
	spec := scenario.EOPStandaloneSpec(true)
	spec.OnPremises[0].AcceptedDomains = append(spec.OnPremises[0].AcceptedDomains,
		topology.AcceptedDomain{DomainName: "*.com", DomainType: topology.InternalRelay},
		topology.AcceptedDomain{DomainName: "*.contoso.com", DomainType: topology.InternalRelay},
		topology.AcceptedDomain{DomainName: "*.local", DomainType: topology.Authoritative})
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	var objs []string
	for _, f := range must(analysis.Check(topo)) {
		if f.Rule == analysis.RuleOpenRelay {
			objs = append(objs, f.Objects...)
		}
	}
	require.Equal(t, []string{`OnPremises["contoso"].AcceptedDomains["*.com"]`}, objs)
}

// What RuleRelayNeedsAcceptedSender says is what a trace shows: with the
// servers attributed by IP address, mail from the on-premises organization
// for an outside sender to an outside recipient is rejected with 550 5.7.64
// Relay Access Denied ATTR36, and a sender in an accepted domain is relayed;
// attributed by a certificate in an accepted domain, both are relayed
// ("Updated requirements for SMTP relay through Exchange Online").
func TestRelayNeedsAcceptedSenderTraces(t *testing.T) {
	byIP := connector.Inbound{Name: "From on-premises", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"}, SenderIPAddresses: []string{"192.0.2.0/24"}}
	byCert := connector.Inbound{Name: "From on-premises", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"}, TlsSenderCertificateName: "mail.contoso.com"}
	for _, tt := range []struct {
		name    string
		in      connector.Inbound
		finding bool
		outside route.Disposition // mail from an outside sender
	}{
		{"ByIPAddress", byIP, true, route.Rejected},
		{"ByAcceptedCertificate", byCert, false, route.Relayed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := checkCloudSpec()
			spec.OnPremises[0].SendConnectors = []connector.Send{toEOP}
			spec.Tenants[0].InboundConnectors = []connector.Inbound{tt.in}
			topo, err := topology.Build(spec)
			require.NoError(t, err)
			fs, err := analysis.Check(topo)
			require.NoError(t, err)
			found := slices.ContainsFunc(fs, func(f analysis.Finding) bool { return f.Rule == analysis.RuleRelayNeedsAcceptedSender })
			require.Equal(t, tt.finding, found, "findings: %v", fs)

			origin, err := topology.ParseNodeID("onprem:contoso/EX01")
			require.NoError(t, err)
			for from, want := range map[string]route.Disposition{"someone@fabrikam.com": tt.outside, "julie@contoso.com": route.Relayed} {
				res, err := route.Trace(topo, route.Message{From: from, To: []string{"sam@contosobank.com"}, Origin: origin})
				require.NoError(t, err)
				r := res.Recipients[0]
				require.Equal(t, want, r.Disposition, "from %s: %s", from, r.Status)
				if want == route.Rejected {
					require.Equal(t, route.StatusRelayDeniedATTR36, r.Status.String())
				}
			}
		})
	}
}
