package route_test

import (
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// The certificate states a test gives a sending server.
var (
	selfSigned = func(names ...string) *topology.Certificate {
		return &topology.Certificate{CertificateDomains: names, IsSelfSigned: true}
	}
	withStatus = func(st topology.CertificateStatus, names ...string) *topology.Certificate {
		return &topology.Certificate{CertificateDomains: names, Status: st}
	}
)

// TestPartnerCertificate: a Partner connector's TlsSenderCertificateName
// and RestrictDomainsToCertificate are met by a valid certificate that
// carries the name as its subject or a subject alternative name, a
// wildcard certificate covering one label; a self-signed, untrusted,
// expired or revoked certificate with the right name meets neither, and
// the mail is rejected as for a wrong name ("Set up connectors for secure
// mail flow with a partner organization": the partner needs a valid
// certificate; "Configure mail flow using connectors in Exchange Online").
func TestPartnerCertificate(t *testing.T) {
	in := route.Message{From: scenario.Sam, To: []string{scenario.Megan}}
	delivered := outcome{Disposition: route.Delivered, Path: "partner:contosobank > eop:contoso > exo:contoso", Connector: "From ContosoBank"}
	rejected := func(failure route.TLSFailure) outcome {
		return outcome{Disposition: route.Rejected, Status: route.StatusPartnerRestriction, Path: "partner:contosobank > eop:contoso",
			Connector: "From ContosoBank", Failure: failure, Domain: "mail.contosobank.com"}
	}
	bank := func(c *topology.Certificate) topology.Spec {
		s := partner("Certificate", "Compliant")
		s.External[0].Certificate = c
		return s
	}
	tests := []struct {
		name string
		spec topology.Spec
		want outcome
	}{
		{"Valid_Met", bank(&topology.Certificate{CertificateDomains: []string{"mail.contosobank.com"}}), delivered},
		{"SelfSigned_NotMet", bank(selfSigned("mail.contosobank.com")), rejected(route.UntrustedRoot)},
		{"Untrusted_NotMet", bank(withStatus(topology.CertificateUntrusted, "mail.contosobank.com")), rejected(route.UntrustedRoot)},
		{"Expired_NotMet", bank(withStatus(topology.CertificateDateInvalid, "mail.contosobank.com")), rejected(route.ExpiredCertificate)},
		{"Revoked_NotMet", bank(withStatus(topology.CertificateRevoked, "mail.contosobank.com")), rejected(route.RevokedCertificate)},
		{"SubjectAlternativeName_Met", bank(&topology.Certificate{CertificateDomains: []string{"smtp.contosobank.net", "mail.contosobank.com"}}), delivered},
		{"SubjectAlternativeName_NotMet", bank(&topology.Certificate{CertificateDomains: []string{"smtp.contosobank.net", "www.contosobank.com"}}), rejected(route.SubjectMismatch)},
		{"WildcardCertificate_Met", bank(&topology.Certificate{CertificateDomains: []string{"*.contosobank.com"}}), delivered},
		{"WildcardCertificate_OneLabelOnly", func() topology.Spec {
			s := bank(&topology.Certificate{CertificateDomains: []string{"*.contosobank.com"}})
			s.Tenants[0].InboundConnectors[0].TlsSenderCertificateName = "mail.eu.contosobank.com"
			return s
		}(), outcome{Disposition: route.Rejected, Status: route.StatusPartnerRestriction, Path: "partner:contosobank > eop:contoso",
			Connector: "From ContosoBank", Failure: route.SubjectMismatch, Domain: "mail.eu.contosobank.com"}},
		{"WildcardCertificate_SelfSigned_NotMet", bank(selfSigned("*.contosobank.com")), rejected(route.UntrustedRoot)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.spec, in, tt.want) })
	}
}

// certRelay returns the organization of "Set up connectors to route mail
// between Microsoft 365 and your own email servers" with MAIL01 presenting
// cert, identified by certificate: the inbound connector "By certificate"
// (OnPremises, TlsSenderCertificateName name) and, when byIP, a second
// one "By IP" for MAIL01's address.
func certRelay(cert *topology.Certificate, name string, byIP bool) topology.Spec {
	s := scenario.EOPStandaloneSpec(true)
	s.OnPremises[0].Servers[0].Certificate = cert
	x := &s.Tenants[0]
	x.InboundConnectors = []connector.Inbound{{Name: "By certificate", ConnectorType: connector.OnPremises,
		SenderDomains: []string{"*"}, TlsSenderCertificateName: name, RequireTls: connector.True}}
	if byIP {
		x.InboundConnectors = append(x.InboundConnectors, connector.Inbound{Name: "By IP", ConnectorType: connector.OnPremises,
			SenderDomains: []string{"*"}, SenderIPAddresses: []string{"203.0.113.25"}, RequireTls: connector.True})
	}
	return s
}

// TestOnPremisesCertificate: an OnPremises connector takes a connection by
// a valid certificate that carries its TlsSenderCertificateName as
// subject or subject alternative name; a self-signed, untrusted, expired
// or revoked certificate attributes nothing, so the connection falls back
// to a connector for its address, or to none and relay is refused
// ("Configure mail flow using connectors in Exchange Online"; "Updated
// requirements for SMTP relay through Exchange Online"; "550 5.7.64
// TenantAttribution; Relay Access Denied SMTP").
func TestOnPremisesCertificate(t *testing.T) {
	johnToSun := route.Message{From: scenario.John, To: []string{scenario.Sun}}
	relayed := func(conn string) outcome {
		return outcome{Disposition: route.Relayed, Path: "onprem:contoso/MAIL01 > eop:contoso > ext:tailspintoys", Connector: conn}
	}
	notAttributed := outcome{Disposition: route.Rejected, Status: route.StatusTenantRelayDenied, Path: "onprem:contoso/MAIL01 > eop:contoso"}
	valid := &topology.Certificate{CertificateDomains: []string{"mail.contoso.com", "mail01.contoso.com"}}
	tests := []struct {
		name string
		spec topology.Spec
		want outcome
	}{
		{"Valid_Attributed", certRelay(valid, "mail.contoso.com", false), relayed("By certificate")},
		{"SelfSigned_NotAttributed", certRelay(selfSigned("mail.contoso.com", "mail01.contoso.com"), "mail.contoso.com", false), notAttributed},
		{"Untrusted_NotAttributed", certRelay(withStatus(topology.CertificateUntrusted, "mail.contoso.com"), "mail.contoso.com", false), notAttributed},
		{"Expired_NotAttributed", certRelay(withStatus(topology.CertificateDateInvalid, "mail.contoso.com"), "mail.contoso.com", false), notAttributed},
		{"Revoked_NotAttributed", certRelay(withStatus(topology.CertificateRevoked, "mail.contoso.com"), "mail.contoso.com", false), notAttributed},
		{"Valid_CertificateBeforeIP", certRelay(valid, "mail.contoso.com", true), relayed("By certificate")},
		{"SelfSigned_FallsBackToIP", certRelay(selfSigned("mail.contoso.com"), "mail.contoso.com", true), relayed("By IP")},
		{"Expired_FallsBackToIP", certRelay(withStatus(topology.CertificateDateInvalid, "mail.contoso.com"), "mail.contoso.com", true), relayed("By IP")},
		{"SubjectAlternativeName_Attributed", certRelay(valid, "mail01.contoso.com", false), relayed("By certificate")},
		{"SubjectAlternativeName_NoName", certRelay(valid, "relay.contoso.com", false), notAttributed},
		{"ConfiguredWildcard_Attributed", certRelay(valid, "*.contoso.com", false), relayed("By certificate")},
		{"WildcardCertificate_Attributed", certRelay(&topology.Certificate{CertificateDomains: []string{"*.contoso.com"}}, "relay.contoso.com", false), relayed("By certificate")},
		{"WildcardCertificate_OneLabelOnly", certRelay(&topology.Certificate{CertificateDomains: []string{"*.contoso.com"}}, "relay.eu.contoso.com", false), notAttributed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.spec, johnToSun, tt.want) })
	}
}

// TestRelayByCertificate: relay through Exchange Online by a connector
// matched by certificate needs the certificate's domain to be an accepted
// domain of the tenant, else the MAIL FROM domain; neither is refused with
// ATTR36 ("Updated requirements for SMTP relay through Exchange Online";
// "Configure a certificate-based connector to relay email messages through
// Microsoft 365"; "550 5.7.64 Relay Access Denied ATTR36"). A connector
// matched by IP needs the MAIL FROM domain, whatever the certificate.
func TestRelayByCertificate(t *testing.T) {
	const foreign = "someone@fabrikam.com"
	accepted := &topology.Certificate{CertificateDomains: []string{"mail.contoso.com"}}
	notAccepted := &topology.Certificate{CertificateDomains: []string{"smtp.contoso-relay.net"}}
	relayed := outcome{Disposition: route.Relayed, Path: "onprem:contoso/MAIL01 > eop:contoso > ext:tailspintoys"}
	attr36 := outcome{Disposition: route.Rejected, Status: route.StatusRelayDeniedATTR36, Path: "onprem:contoso/MAIL01 > eop:contoso"}
	tests := []struct {
		name   string
		spec   topology.Spec
		sender string
		want   outcome
	}{
		{"CertificateDomainAccepted_ForeignSender", certRelay(accepted, "mail.contoso.com", false), foreign, relayed},
		{"CertificateDomainAccepted_NullSender", certRelay(accepted, "mail.contoso.com", false), "", relayed},
		{"CertificateDomainAcceptedBySAN_ForeignSender", certRelay(&topology.Certificate{CertificateDomains: []string{"smtp.contoso-relay.net", "relay.contoso.com"}},
			"smtp.contoso-relay.net", false), foreign, relayed},
		{"CertificateDomainNotAccepted_SenderAccepted", certRelay(notAccepted, "smtp.contoso-relay.net", false), scenario.John, relayed},
		{"CertificateDomainNotAccepted_ForeignSender", certRelay(notAccepted, "smtp.contoso-relay.net", false), foreign, attr36},
		{"CertificateDomainNotAccepted_NullSender", certRelay(notAccepted, "smtp.contoso-relay.net", false), "", attr36},
		{"ByIP_CertificateDomainAccepted_ForeignSender", eopStandalone(func(*topology.Spec) {}), foreign, attr36},
		{"ByIP_SenderAccepted", eopStandalone(func(*topology.Spec) {}), scenario.John, relayed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, tt.spec, route.Message{From: tt.sender, To: []string{scenario.Sun}, Origin: id("onprem:contoso/MAIL01")}, tt.want)
		})
	}
}

// TestHybridCertificate: the hybrid connector "Inbound from <organization>"
// identifies the on-premises server by its certificate; a self-signed or
// expired one, even with the right name, attributes nothing, so hybrid
// mail arrives anonymous and without its cross-premises headers
// ("Transport options in Exchange hybrid deployments"; "TLS Certificates
// in Exchange Hybrid – Common Issues & How to Fix them", Exchange Team
// Blog; docs/behaviour.md#l13-an-untrusted-certificate-proves-nothing).
func TestHybridCertificate(t *testing.T) {
	names := []string{"mail.contoso.com", "ex01.contoso.com", "autodiscover.contoso.com"}
	tests := []struct {
		name      string
		cert      *topology.Certificate
		connector string
		auth      route.AuthAs
		headers   bool
	}{
		{"Valid", &topology.Certificate{CertificateDomains: names}, "Inbound from contoso", route.Internal, true},
		{"SelfSigned", selfSigned(names...), "", route.Anonymous, false},
		{"Expired", withStatus(topology.CertificateDateInvalid, names...), "", route.Anonymous, false},
		{"Revoked", withStatus(topology.CertificateRevoked, names...), "", route.Anonymous, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scenario.ContosoSpec(mxEOP)
			s.OnPremises[0].Servers[0].Certificate = tt.cert
			res, err := route.Trace(build(t, s), route.Message{From: scenario.Julie, To: []string{scenario.David}})
			require.NoError(t, err)
			h := hopAt(t, res, scenario.David, eop, 0)
			if h.InboundConnector != tt.connector || h.AuthAs != tt.auth || h.CrossPremisesHeaders != tt.headers {
				t.Errorf("EOP hop: connector %q, AuthAs %s, cross-premises headers %v; want %q, %s, %v\n%s",
					h.InboundConnector, h.AuthAs, h.CrossPremisesHeaders, tt.connector, tt.auth, tt.headers, traceText(res))
			}
		})
	}
}

// TestOutboundCertificateNames: DomainValidation's TlsDomain is met by the
// next host's subject or any subject alternative name, a configured
// "*.domain" covering the domain's names and a wildcard certificate one
// label, on an outbound connector ("New-OutboundConnector") and on an
// on-premises Send connector ("New-SendConnector": TlsAuthLevel
// DomainValidation, TlsDomain), where Exchange Server keeps the message
// queued without a status.
func TestOutboundCertificateNames(t *testing.T) {
	out := route.Message{From: scenario.Megan, To: []string{scenario.Sam}}
	relayed := outcome{Disposition: route.Relayed, Path: "exo:contoso > eop:contoso > partner:contosobank", Connector: "To ContosoBank"}
	mismatch := func(domain string) outcome {
		return outcome{Disposition: route.Deferred, Status: route.StatusCertificateInvalid, Path: "exo:contoso > eop:contoso", Connector: "To ContosoBank",
			Failure: route.SubjectMismatch, Domain: domain}
	}
	with := func(domain string, names ...string) topology.Spec {
		s := partner("Certificate", "Compliant")
		s.Tenants[0].OutboundConnectors[0].TlsDomain = domain
		s.External[0].Certificate = &topology.Certificate{CertificateDomains: names}
		return s
	}
	johnToSun := route.Message{From: scenario.John, To: []string{scenario.Sun}}
	send := func(domain string) topology.Spec {
		return eopStandalone(func(s *topology.Spec) {
			c := &s.OnPremises[0].SendConnectors[0]
			c.TlsAuthLevel, c.TlsDomain = "DomainValidation", domain
		})
	}
	tests := []struct {
		name string
		spec topology.Spec
		msg  route.Message
		want outcome
	}{
		{"Outbound_SubjectAlternativeName_Met", with("mail.contosobank.com", "smtp.contosobank.net", "mail.contosobank.com"), out, relayed},
		{"Outbound_SubjectAlternativeName_NotMet", with("mail.contosobank.com", "smtp.contosobank.net", "www.contosobank.com"), out, mismatch("mail.contosobank.com")},
		{"Outbound_ConfiguredWildcard_Met", with("*.contosobank.com", "mail.contosobank.com"), out, relayed},
		{"Outbound_ConfiguredWildcard_NotMet", with("*.contosobank.com", "mail.fabrikam.com"), out, mismatch("*.contosobank.com")},
		{"Outbound_WildcardCertificate_Met", with("mail.contosobank.com", "*.contosobank.com"), out, relayed},
		{"Outbound_WildcardCertificate_OneLabelOnly", with("mail.eu.contosobank.com", "*.contosobank.com"), out, mismatch("mail.eu.contosobank.com")},
		{"SendConnector_WildcardCertificate_Met", send("contoso-com.mail.protection.outlook.com"), johnToSun,
			outcome{Disposition: route.Relayed, Path: "onprem:contoso/MAIL01 > eop:contoso > ext:tailspintoys", Connector: "To Microsoft 365"}},
		{"SendConnector_WildcardCertificate_OneLabelOnly", send("eu.contoso-com.mail.protection.outlook.com"), johnToSun,
			outcome{Disposition: route.Deferred, Path: "onprem:contoso/MAIL01", Connector: "To Microsoft 365", Failure: route.SubjectMismatch}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.spec, tt.msg, tt.want) })
	}
}
