package route_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// outcome is what a connector test expects of the first recipient.
type outcome struct {
	Disposition route.Disposition
	Status      string
	Path        string // node IDs joined by " > "
	Connector   string // the connector some hop sent through or received on, if any
	// Failure is the TLS failure of the last hop's connection: the one it
	// opened (SendTLS), else the one it received on; zero for none.
	Failure route.TLSFailure
	// Domain, when set, is the certificate name a requirement of that
	// connection asks for.
	Domain string
}

// lastTLS returns the connection whose failure ends a path at hop h: the
// one it opened, else the one it received on.
func lastTLS(h *route.Hop) *route.TLS {
	if h.SendTLS != nil {
		return h.SendTLS
	}
	return h.TLS
}

func check(t *testing.T, spec topology.Spec, msg route.Message, want outcome) {
	t.Helper()
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	res, err := route.Trace(topo, msg)
	require.NoError(t, err)
	r := res.Recipients[0]
	var nodes []string
	found := want.Connector == ""
	for _, h := range r.Hops {
		nodes = append(nodes, h.Node.String())
		found = found || h.Connector == want.Connector || h.InboundConnector == want.Connector
	}
	path := strings.Join(nodes, " > ")
	var failure route.TLSFailure
	domain := want.Domain == ""
	if c := lastTLS(&r.Hops[len(r.Hops)-1]); c != nil {
		failure = c.Failure
		for _, q := range c.Required {
			domain = domain || q.Domain == want.Domain
		}
	}
	if r.Disposition != want.Disposition || r.Status.String() != want.Status || path != want.Path || !found || failure != want.Failure || !domain {
		t.Errorf("got %v %q via %s (connector %q found: %v, TLS failure %v, domain %q found: %v)\nwant %v %q via %s (connector %q, TLS failure %v)\n%s",
			r.Disposition, r.Status, path, want.Connector, found, failure, want.Domain, domain, want.Disposition, want.Status, want.Path, want.Connector, want.Failure, traceText(res))
	}
}

func partner(restrict, bank string) topology.Spec {
	return scenario.PartnerSpec(scenario.PartnerSettings{RestrictDomainsTo: restrict, ContosoBank: bank})
}

// TestPartnerInbound covers Partner inbound connectors, each condition met
// and not met ("Set up connectors for secure mail flow with a partner
// organization").
func TestPartnerInbound(t *testing.T) {
	in := route.Message{From: scenario.Sam, To: []string{scenario.Megan}}
	delivered := outcome{Disposition: route.Delivered, Path: "partner:contosobank > eop:contoso > exo:contoso", Connector: "From ContosoBank"}
	rejected := func(failure route.TLSFailure) outcome {
		return outcome{Disposition: route.Rejected, Status: route.StatusPartnerRestriction, Path: "partner:contosobank > eop:contoso", Connector: "From ContosoBank", Failure: failure}
	}
	// An allow-by-domain connector beside the restricting one.
	shadowed := partner("Certificate", "WrongCertificate")
	shadowed.Tenants[0].InboundConnectors = append(shadowed.Tenants[0].InboundConnectors, connector.Inbound{
		Name: "Allow ContosoBank", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"}, RequireTls: connector.False})
	// The restriction only for mail to another accepted domain.
	associated := partner("Certificate", "WrongCertificate")
	associated.Tenants[0].AcceptedDomains = append(associated.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.com"})
	associated.Tenants[0].InboundConnectors[0].AssociatedAcceptedDomains = []string{"fabrikam.com"}
	// The restricting connector disabled.
	disabled := partner("Certificate", "WrongCertificate")
	disabled.Tenants[0].InboundConnectors[0].Enabled = connector.False
	// A connector that names a certificate without restricting.
	certOnly := partner("Certificate", "WrongCertificate")
	certOnly.Tenants[0].InboundConnectors[0].RestrictDomainsToCertificate = false

	tests := []struct {
		name string
		spec topology.Spec
		want outcome
	}{
		{"RestrictToCertificate_Met", partner("Certificate", "Compliant"), delivered},
		{"RestrictToCertificate_WrongCertificate", partner("Certificate", "WrongCertificate"), rejected(route.SubjectMismatch)},
		{"RestrictToCertificate_PlainText", partner("Certificate", "PlainText"), rejected(route.NoSTARTTLS)},
		{"RestrictToIPAddresses_Met", partner("IPAddresses", "Compliant"), delivered},
		{"RestrictToIPAddresses_WrongIP", partner("IPAddresses", "WrongIP"), rejected(0)},
		{"RequireTls_Met", partner("IPAddresses", "Compliant"), delivered},
		// docs/behaviour.md#d26-a-partner-connectors-requiretls-and-plain-smtp
		{"RequireTls_PlainText", partner("IPAddresses", "PlainText"), outcome{Disposition: route.Deferred, Status: route.StatusStartTLS,
			Path: "partner:contosobank > eop:contoso", Failure: route.NoSTARTTLS}},
		{"RestrictingOutranksAllowByDomain", shadowed, rejected(route.SubjectMismatch)},
		{"AssociatedAcceptedDomains_NotThisDomain", associated, outcome{Disposition: route.Delivered, Path: "partner:contosobank > eop:contoso > exo:contoso"}},
		{"Disabled_Ignored", disabled, outcome{Disposition: route.Delivered, Path: "partner:contosobank > eop:contoso > exo:contoso"}},
		// docs/behaviour.md#d29-a-wrong-certificate-without-a-restrict-flag
		{"TlsSenderCertificateName_WithoutRestrict", certOnly, rejected(route.SubjectMismatch)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.spec, in, tt.want) })
	}
}

// TestOutboundTLS covers an outbound connector's TlsSettings against the
// certificate the next host presents, and hosts refusing connections
// ("New-OutboundConnector"; "Mail flow intelligence").
func TestOutboundTLS(t *testing.T) {
	out := route.Message{From: scenario.Megan, To: []string{scenario.Sam}}
	relayed := outcome{Disposition: route.Relayed, Path: "exo:contoso > eop:contoso > partner:contosobank", Connector: "To ContosoBank"}
	deferred := func(status string, failure route.TLSFailure) outcome {
		return outcome{Disposition: route.Deferred, Status: status, Path: "exo:contoso > eop:contoso", Connector: "To ContosoBank", Failure: failure}
	}
	with := func(tls connector.TlsSettings, domain string, cert *topology.Certificate, modify func(*topology.Spec)) topology.Spec {
		s := partner("Certificate", "Compliant")
		c := &s.Tenants[0].OutboundConnectors[0]
		c.TlsSettings, c.TlsDomain = tls, domain
		if cert != nil {
			s.External[0].Certificate = cert
		}
		if modify != nil {
			modify(&s)
		}
		return s
	}
	selfSigned := &topology.Certificate{CertificateDomains: []string{"mail.contosobank.com"}, IsSelfSigned: true}
	expired := &topology.Certificate{CertificateDomains: []string{"mail.contosobank.com"}, Status: topology.CertificateDateInvalid}
	wrongName := &topology.Certificate{CertificateDomains: []string{"mail.fabrikam.com"}}
	plain := func(s *topology.Spec) { s.External[0].StartTLS = connector.False }
	tests := []struct {
		name string
		spec topology.Spec
		want outcome
	}{
		{"DomainValidation_Met", with(connector.TlsDomainValidation, "mail.contosobank.com", nil, nil), relayed},
		{"DomainValidation_SubjectMismatch", with(connector.TlsDomainValidation, "mail.contosobank.com", wrongName, nil), outcome{Disposition: route.Deferred, Status: route.StatusCertificateInvalid, Path: "exo:contoso > eop:contoso", Connector: "To ContosoBank",
			Failure: route.SubjectMismatch, Domain: "mail.contosobank.com"}},
		{"DomainValidation_EmptyTlsDomainUsesRecipientDomain", with(connector.TlsDomainValidation, "", nil, nil), outcome{Disposition: route.Deferred, Status: route.StatusCertificateInvalid, Path: "exo:contoso > eop:contoso", Connector: "To ContosoBank",
			Failure: route.SubjectMismatch, Domain: "contosobank.com"}},
		{"CertificateValidation_WrongNameIsFine", with(connector.TlsCertificateValidation, "", wrongName, nil), relayed},
		{"CertificateValidation_SelfSigned", with(connector.TlsCertificateValidation, "", selfSigned, nil), deferred(route.StatusUntrustedRoot, route.UntrustedRoot)},
		{"CertificateValidation_Expired", with(connector.TlsCertificateValidation, "", expired, nil), deferred(route.StatusCertificateInvalid, route.ExpiredCertificate)},
		{"EncryptionOnly_SelfSignedIsFine", with(connector.TlsEncryptionOnly, "", selfSigned, nil), relayed},
		{"EncryptionOnly_PlainText", with(connector.TlsEncryptionOnly, "", nil, plain), deferred(route.StatusTLSRequired, route.NoSTARTTLS)},
		{"Opportunistic_PlainTextIsFine", with(connector.TlsOpportunistic, "", nil, plain), relayed},
		{"Offline", with(connector.TlsDomainValidation, "mail.contosobank.com", nil, func(s *topology.Spec) { s.External[0].Offline = true }),
			deferred(route.StatusConnectionRefused, 0)},
		{"OfflinePrimaryMX_UsesSecondary", with(connector.TlsOpportunistic, "", nil, func(s *topology.Spec) {
			s.External[0].Offline = true
			s.External = append(s.External, topology.ExternalSpec{Name: "contosobank-backup", Kind: topology.Partner, Hosts: []string{"mx2.contosobank.com"}})
			s.MXRecords = append(s.MXRecords, topology.MXRecord{Domain: "contosobank.com", Preference: 20, NameExchange: "mx2.contosobank.com"})
		}), outcome{Disposition: route.Relayed, Path: "exo:contoso > eop:contoso > partner:contosobank-backup"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.spec, out, tt.want) })
	}
}

// eopStandalone returns the EOP standalone organization with changes.
func eopStandalone(modify func(s *topology.Spec)) topology.Spec {
	s := scenario.EOPStandaloneSpec(true)
	modify(&s)
	return s
}

// TestOnPremisesConnectors covers Send connector TLS, relay through
// Exchange Online, TreatMessagesAsInternal and Receive connectors
// ("Updated requirements for SMTP relay through Exchange Online"; "Send
// connectors"; "Receive connectors"; "Transport options in Exchange hybrid
// deployments").
func TestOnPremisesConnectors(t *testing.T) {
	johnToSun := route.Message{From: scenario.John, To: []string{scenario.Sun}}
	johnToBob := route.Message{From: scenario.John, To: []string{scenario.Bob}}
	// An application that relays through MAIL01.
	app := func(s *topology.Spec, rc ...connector.Receive) {
		s.External = append(s.External, topology.ExternalSpec{Name: "app", Domains: []string{"app.contoso.net"}, Hosts: []string{"app.contoso.net"},
			IPAddress: "10.0.0.50", SmartHost: "mail.contoso.com"})
		s.OnPremises[0].ReceiveConnectors = rc
	}
	defaultFrontend := connector.Receive{Name: "Default Frontend MAIL01", Server: "MAIL01", PermissionGroups: []string{"AnonymousUsers", "ExchangeServers"}}
	relayA := connector.Receive{Name: "Relay", Server: "MAIL01", RemoteIPRanges: []string{"10.0.0.0/24"}, PermissionGroups: []string{"AnonymousUsers"}, AnonymousRelay: true}
	relayB := connector.Receive{Name: "Relay", Server: "MAIL01", RemoteIPRanges: []string{"10.0.0.50"}, PermissionGroups: []string{"ExchangeServers"}, AuthMechanism: []string{"Tls", "ExternalAuthoritative"}}
	// The app sends as an accepted domain: an IP-matched connector at EOP
	// relays only then (docs/behaviour.md#d19-which-sender-domain-counts-for-relay).
	appToSun := route.Message{From: "scanner@contoso.com", To: []string{scenario.Sun}, Origin: id("ext:app")}
	tests := []struct {
		name string
		spec topology.Spec
		msg  route.Message
		want outcome
	}{
		{"RelayThroughEOP_ByIP_AcceptedSender", scenario.EOPStandaloneSpec(true), johnToSun,
			outcome{Disposition: route.Relayed, Path: "onprem:contoso/MAIL01 > eop:contoso > ext:tailspintoys", Connector: "From Contoso mail server"}},
		{"RelayThroughEOP_ByIP_ForeignSender_ATTR36", scenario.EOPStandaloneSpec(true), route.Message{From: "someone@fabrikam.com", To: []string{scenario.Sun}, Origin: id("onprem:contoso/MAIL01")},
			outcome{Disposition: route.Rejected, Status: route.StatusRelayDeniedATTR36, Path: "onprem:contoso/MAIL01 > eop:contoso"}},
		{"RelayThroughEOP_NoConnector", scenario.EOPStandaloneSpec(false), johnToSun,
			outcome{Disposition: route.Rejected, Status: route.StatusTenantRelayDenied, Path: "onprem:contoso/MAIL01 > eop:contoso"}},
		{"RelayThroughEOP_NoConnectorForeignSender", scenario.EOPStandaloneSpec(false), route.Message{From: "someone@fabrikam.com", To: []string{scenario.Sun}, Origin: id("onprem:contoso/MAIL01")},
			outcome{Disposition: route.Rejected, Status: route.StatusRelayDenied, Path: "onprem:contoso/MAIL01 > eop:contoso"}},
		{"InboundConnectorByIP_SelfSignedServerCertificate", eopStandalone(func(s *topology.Spec) {
			s.OnPremises[0].SendConnectors[0].RequireTLS, s.OnPremises[0].SendConnectors[0].TlsAuthLevel = false, ""
			s.OnPremises[0].Servers[0].Certificate = nil
		}), johnToSun, outcome{Disposition: route.Relayed, Path: "onprem:contoso/MAIL01 > eop:contoso > ext:tailspintoys"}},
		{"SendConnectorRequireTLS_NoStartTLS", eopStandalone(func(s *topology.Spec) {
			s.OnPremises[0].SendConnectors = []connector.Send{{Name: "Direct", AddressSpaces: []string{"*"}, RequireTLS: true}}
			s.External[0].StartTLS = connector.False
		}), johnToSun, outcome{Disposition: route.Deferred, Status: route.StatusStartTLSRequiredOnPremises, Path: "onprem:contoso/MAIL01", Connector: "Direct", Failure: route.NoSTARTTLS}},
		{"SendConnectorTlsAuthLevel_UntrustedDeferredWithoutStatus", eopStandalone(func(s *topology.Spec) {
			s.OnPremises[0].SendConnectors = []connector.Send{{Name: "Direct", AddressSpaces: []string{"*"}, RequireTLS: true, TlsAuthLevel: "CertificateValidation"}}
			s.External[0].Certificate = &topology.Certificate{CertificateDomains: []string{"mx.tailspintoys.com"}, IsSelfSigned: true}
		}), johnToSun, outcome{Disposition: route.Deferred, Path: "onprem:contoso/MAIL01", Connector: "Direct", Failure: route.UntrustedRoot}},
		{"MaxMessageSize_TooLarge_5_3_4", eopStandalone(func(s *topology.Spec) {
			s.OnPremises[0].SendConnectors[0].MaxMessageSize = "10 MB (10,485,760 bytes)"
		}), route.Message{From: scenario.John, To: []string{scenario.Sun}, Size: 20 << 20},
			outcome{Disposition: route.Rejected, Status: route.StatusMessageTooLarge, Path: "onprem:contoso/MAIL01"}},
		{"MaxMessageSize_Fits", eopStandalone(func(s *topology.Spec) {
			s.OnPremises[0].SendConnectors[0].MaxMessageSize = "10 MB (10,485,760 bytes)"
		}), route.Message{From: scenario.John, To: []string{scenario.Sun}, Size: 5 << 20},
			outcome{Disposition: route.Relayed, Path: "onprem:contoso/MAIL01 > eop:contoso > ext:tailspintoys"}},
		{"ThirdPartySmartHostForOutbound", eopStandalone(func(s *topology.Spec) {
			// An outbound connector sends all Internet mail to a third-party
			// service; TLS is checked on that hop only ("Configuration du flux
			// de messagerie externe pour les partenaires").
			s.External = append(s.External, topology.ExternalSpec{Name: "filter", Hosts: []string{"smtp.filter.example"},
				Certificate: &topology.Certificate{CertificateDomains: []string{"smtp.filter.example"}}})
			s.Tenants[0].OutboundConnectors = append(s.Tenants[0].OutboundConnectors, connector.Outbound{Name: "To filtering service",
				ConnectorType: connector.Partner, RecipientDomains: []string{"*"}, UseMXRecord: connector.False,
				SmartHosts: []string{"smtp.filter.example"}, TlsSettings: connector.TlsDomainValidation, TlsDomain: "smtp.filter.example"})
		}), route.Message{From: scenario.Bob, To: []string{scenario.Sun}},
			outcome{Disposition: route.Relayed, Path: "exo:contoso > eop:contoso > ext:filter", Connector: "To filtering service"}},
		{"TreatMessagesAsInternal", eopStandalone(func(s *topology.Spec) {
			s.Tenants[0].InboundConnectors[0].TreatMessagesAsInternal = true
		}), johnToBob, outcome{Disposition: route.Delivered, Path: "onprem:contoso/MAIL01 > eop:contoso > exo:contoso"}},
		{"ReceiveConnector_NoRelay_5_7_54", eopStandalone(func(s *topology.Spec) { app(s, defaultFrontend) }), appToSun,
			outcome{Disposition: route.Rejected, Status: route.StatusUnableToRelay, Path: "ext:app > onprem:contoso/MAIL01", Connector: "Default Frontend MAIL01"}},
		{"ReceiveConnector_AnonymousRelay_MethodA", eopStandalone(func(s *topology.Spec) { app(s, defaultFrontend, relayA) }), appToSun,
			outcome{Disposition: route.Relayed, Path: "ext:app > onprem:contoso/MAIL01 > eop:contoso > ext:tailspintoys", Connector: "Relay"}},
		{"ReceiveConnector_ExternallySecured_MethodB", eopStandalone(func(s *topology.Spec) { app(s, defaultFrontend, relayB) }), appToSun,
			outcome{Disposition: route.Relayed, Path: "ext:app > onprem:contoso/MAIL01 > eop:contoso > ext:tailspintoys", Connector: "Relay"}},
		{"ReceiveConnector_NoneAcceptsTheIP", eopStandalone(func(s *topology.Spec) { app(s, relayA) }), route.Message{From: scenario.Sun, To: []string{scenario.John}},
			outcome{Disposition: route.Deferred, Path: "ext:tailspintoys > eop:contoso > exo:contoso > eop:contoso > onprem:contoso/MAIL01"}},
		{"ReceiveConnector_NoAnonymousUsers", eopStandalone(func(s *topology.Spec) {
			app(s, connector.Receive{Name: "Servers only", Server: "MAIL01", PermissionGroups: []string{"ExchangeServers"}})
		}), appToSun, outcome{Disposition: route.Rejected, Status: route.StatusNotAuthenticatedOnPremises, Path: "ext:app > onprem:contoso/MAIL01"}},
		{"ReceiveConnector_RequireTLS", eopStandalone(func(s *topology.Spec) {
			app(s, connector.Receive{Name: "TLS only", Server: "MAIL01", PermissionGroups: []string{"AnonymousUsers"}, AuthMechanism: []string{"Tls"}, RequireTLS: true})
			s.External[1].StartTLS = connector.False
		}), appToSun, outcome{Disposition: route.Rejected, Status: route.StatusMustStartTLSOnPremises, Path: "ext:app > onprem:contoso/MAIL01", Connector: "TLS only", Failure: route.NoSTARTTLS}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.spec, tt.msg, tt.want) })
	}
}

// TestAttribution checks what TreatMessagesAsInternal and the absence of
// cross-premises headers change at EOP ("Transport options in Exchange
// hybrid deployments").
func TestAttribution(t *testing.T) {
	tests := []struct {
		name    string
		spec    topology.Spec
		auth    route.AuthAs
		applied bool
	}{
		{"PlainOnPremisesConnector_AnonymousAndFiltered", scenario.EOPStandaloneSpec(true), route.Anonymous, true},
		{"TreatMessagesAsInternal_InternalNotFiltered", eopStandalone(func(s *topology.Spec) { s.Tenants[0].InboundConnectors[0].TreatMessagesAsInternal = true }), route.Internal, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), route.Message{From: scenario.John, To: []string{scenario.Bob}})
			require.NoError(t, err)
			h := res.Recipients[0].Hops[1]
			f, _ := filter(h, route.AntiSpam)
			if h.AuthAs != tt.auth || h.Directionality != route.Originating || f.Applied() != tt.applied {
				t.Errorf("EOP hop: AuthAs %s/%s, AntiSpam applied %v (%s); want %s/Originating, applied %v", h.AuthAs, h.Directionality, f.Applied(), f.Reason, tt.auth, tt.applied)
			}
		})
	}
}

// TestAddressRewriting: the on-premises gateway hides a subdomain behind
// contoso.com on outbound mail, which then satisfies the accepted-domain
// test of relay through Exchange Online ("Updated requirements for SMTP
// relay through Exchange Online").
func TestAddressRewriting(t *testing.T) {
	withLee := func(rewrite bool) topology.Spec {
		return eopStandalone(func(s *topology.Spec) {
			o := &s.OnPremises[0]
			o.AcceptedDomains = append(o.AcceptedDomains, topology.AcceptedDomain{DomainName: "sales.contoso.com"})
			o.Recipients = append(o.Recipients, topology.Recipient{Name: "Lee", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "lee@sales.contoso.com", Server: "MAIL01"})
			if rewrite {
				o.AddressRewriteEntries = []topology.AddressRewriteEntry{{Name: "Hide subdomains", InternalAddress: "*.contoso.com", ExternalAddress: "contoso.com", OutboundOnly: true}}
			}
		})
	}
	msg := route.Message{From: "lee@sales.contoso.com", To: []string{scenario.Sun}}
	t.Run("WithoutRewriting", func(t *testing.T) {
		check(t, withLee(false), msg, outcome{Disposition: route.Rejected, Status: route.StatusRelayDeniedATTR36, Path: "onprem:contoso/MAIL01 > eop:contoso"})
	})
	t.Run("WithRewriting", func(t *testing.T) {
		check(t, withLee(true), msg, outcome{Disposition: route.Relayed, Path: "onprem:contoso/MAIL01 > eop:contoso > ext:tailspintoys"})
		res, err := route.Trace(build(t, withLee(true)), msg)
		require.NoError(t, err)
		for i, h := range res.Recipients[0].Hops {
			if h.Sender != "lee@contoso.com" {
				t.Errorf("hop %d (%s) sends as %q, want the rewritten lee@contoso.com", i+1, h.Node, h.Sender)
			}
		}
		if res.Message.From != "lee@sales.contoso.com" {
			t.Errorf("Result.Message.From = %q, want the message as sent", res.Message.From)
		}
	})
}

// TestSourceIP: a message's SourceIP replaces the sending partner's
// address for connector attribution, both ways.
func TestSourceIP(t *testing.T) {
	tests := []struct {
		name string
		bank string
		ip   string
		want outcome
	}{
		{"WrongIPCorrected", "WrongIP", "198.51.100.40", outcome{Disposition: route.Delivered, Path: "partner:contosobank > eop:contoso > exo:contoso", Connector: "From ContosoBank"}},
		{"CompliantFromElsewhere", "Compliant", "192.0.2.9", outcome{Disposition: route.Rejected, Status: route.StatusPartnerRestriction, Path: "partner:contosobank > eop:contoso",
			Connector: "From ContosoBank"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := route.Message{From: scenario.Sam, To: []string{scenario.Megan}, SourceIP: netip.MustParseAddr(tt.ip)}
			check(t, partner("IPAddresses", tt.bank), m, tt.want)
		})
	}
}
