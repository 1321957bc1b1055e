package connector_test

import (
	"net/netip"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
)

// TestInboundSetOnPremises: the certificate first, by its subject or a
// subject alternative name and only when it is trusted, then the longest
// SenderIPAddresses prefix, ties to the first connector; disabled
// connectors and Partner connectors never attribute a connection to an
// OnPremises one (Configure mail flow using connectors in Exchange
// Online; Updated requirements for SMTP relay through Exchange Online).
func TestInboundSetOnPremises(t *testing.T) {
	set := connector.CompileInbound([]connector.Inbound{
		{Name: "A wide", ConnectorType: connector.OnPremises, SenderIPAddresses: []string{"203.0.113.0/24"}},
		{Name: "B narrow", ConnectorType: connector.OnPremises, SenderIPAddresses: []string{"203.0.113.8/29"}},
		{Name: "C cert", ConnectorType: connector.OnPremises, TlsSenderCertificateName: "*.contoso.com"},
		{Name: "D off", ConnectorType: connector.OnPremises, SenderIPAddresses: []string{"203.0.113.10"}, Enabled: connector.False},
		{Name: "E partner", ConnectorType: connector.Partner, SenderIPAddresses: []string{"203.0.113.10"}},
	})
	ip := netip.MustParseAddr("203.0.113.10")
	tests := []struct {
		name   string
		conn   connector.Connection
		want   string
		byCert bool
	}{
		{"LongestPrefix", connector.Connection{IP: ip}, "B narrow", false},
		{"WidePrefix", connector.Connection{IP: netip.MustParseAddr("203.0.113.200")}, "A wide", false},
		{"CertificateBeatsIP", connector.Connection{IP: ip, TLS: true, Certificate: []string{"mail.contoso.com"}, CertificateTrusted: true}, "C cert", true},
		{"CertificateNeedsTLS", connector.Connection{IP: ip, Certificate: []string{"mail.contoso.com"}, CertificateTrusted: true}, "B narrow", false},
		{"WrongCertificate", connector.Connection{IP: ip, TLS: true, Certificate: []string{"mail.fabrikam.com"}, CertificateTrusted: true}, "B narrow", false},
		// An untrusted (self-signed, expired, revoked) certificate with the
		// right name attributes nothing: the connection falls back to its
		// address, or to no connector.
		{"UntrustedCertificateFallsBackToIP", connector.Connection{IP: ip, TLS: true, Certificate: []string{"mail.contoso.com"}}, "B narrow", false},
		{"UntrustedCertificateAlone", connector.Connection{IP: netip.MustParseAddr("192.0.2.1"), TLS: true, Certificate: []string{"mail.contoso.com"}}, "", false},
		// The subject or any subject alternative name matches.
		{"CertificateBySAN", connector.Connection{IP: netip.MustParseAddr("192.0.2.1"), TLS: true, Certificate: []string{"ex01.fabrikam.net", "mail.contoso.com"}, CertificateTrusted: true}, "C cert", true},
		{"Nothing", connector.Connection{IP: netip.MustParseAddr("192.0.2.1")}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := set.OnPremises(tt.conn)
			if a.Name != tt.want || a.ByCertificate != tt.byCert || a.Found() != (tt.want != "") {
				t.Errorf("OnPremises(%+v) = %q (by certificate %v), want %q (%v)", tt.conn, a.Name, a.ByCertificate, tt.want, tt.byCert)
			}
		})
	}
}

// TestInboundSetPartner: restricting connectors that the connection
// meets outrank those it matches, which outrank those that only list the
// sender's domain; a restriction not met refuses unless a connector
// matches better than by domain; the connector that takes the mail still
// wants its certificate and TLS. An untrusted certificate meets neither
// TlsSenderCertificateName nor RestrictDomainsToCertificate (Set up
// connectors for secure mail flow with a partner organization: the
// partner needs a valid certificate).
func TestInboundSetPartner(t *testing.T) {
	bankIP := netip.MustParseAddr("198.51.100.40")
	other := netip.MustParseAddr("192.0.2.9")
	restrictIP := connector.Inbound{Name: "From bank (IP)", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"},
		SenderIPAddresses: []string{"198.51.100.0/24"}, RestrictDomainsToIPAddresses: true, RequireTls: connector.False}
	listOnly := connector.Inbound{Name: "From bank (domain)", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"}, RequireTls: connector.False}
	certNamed := connector.Inbound{Name: "From bank (cert)", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"},
		TlsSenderCertificateName: "mail.contosobank.com"}
	fabrikamOnly := connector.Inbound{Name: "For fabrikam", ConnectorType: connector.Partner, SenderDomains: []string{"*"},
		AssociatedAcceptedDomains: []string{"fabrikam.com"}, RestrictDomainsToIPAddresses: true, SenderIPAddresses: []string{"203.0.113.1"}}
	bank := func(ip netip.Addr, tls bool, cert string) connector.Connection {
		c := connector.Connection{IP: ip, TLS: tls, SenderDomain: "contosobank.com"}
		if cert != "" {
			c.Certificate, c.CertificateTrusted = []string{cert}, true
		}
		return c
	}
	untrusted := bank(bankIP, true, "mail.contosobank.com")
	untrusted.CertificateTrusted = false
	restrictCert := connector.Inbound{Name: "From bank (cert restricted)", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"},
		TlsSenderCertificateName: "*.contosobank.com", RestrictDomainsToCertificate: true}
	tests := []struct {
		name    string
		set     []connector.Inbound
		conn    connector.Connection
		rcpt    string
		want    string
		refusal connector.Refusal
	}{
		{"RestrictionMet", []connector.Inbound{listOnly, restrictIP}, bank(bankIP, false, ""), "contoso.com", "From bank (IP)", 0},
		// A restriction not met shadows a connector that only lists the
		// domain (the ShadowedDomainConnector check), not one whose
		// address list matches.
		{"RestrictionShadowsListing", []connector.Inbound{listOnly, restrictIP}, bank(other, false, ""), "contoso.com", "From bank (IP)", connector.RefusedRestriction},
		{"AddressMatchBeatsFailedRestriction", []connector.Inbound{restrictIP, {Name: "From bank (other IP)", ConnectorType: connector.Partner,
			SenderDomains: []string{"contosobank.com"}, SenderIPAddresses: []string{"192.0.2.9"}, RequireTls: connector.False}}, bank(other, false, ""), "contoso.com", "From bank (other IP)", 0},
		{"RestrictionAloneRefuses", []connector.Inbound{restrictIP}, bank(other, false, ""), "contoso.com", "From bank (IP)", connector.RefusedRestriction},
		{"OtherSenderDomain", []connector.Inbound{restrictIP}, connector.Connection{IP: other, SenderDomain: "fabrikam.com"}, "contoso.com", "", 0},
		{"CertificateNamedNotPresented", []connector.Inbound{certNamed}, bank(bankIP, true, "mail.fabrikam.com"), "contoso.com", "From bank (cert)", connector.RefusedCertificate},
		{"CertificatePresented", []connector.Inbound{certNamed}, bank(bankIP, true, "mail.contosobank.com"), "contoso.com", "From bank (cert)", 0},
		{"CertificateUntrusted", []connector.Inbound{certNamed}, untrusted, "contoso.com", "From bank (cert)", connector.RefusedCertificate},
		{"CertificateRestrictionMet", []connector.Inbound{listOnly, restrictCert}, bank(other, true, "smtp.contosobank.com"), "contoso.com", "From bank (cert restricted)", 0},
		{"CertificateRestrictionUntrusted", []connector.Inbound{listOnly, restrictCert}, untrusted, "contoso.com", "From bank (cert restricted)", connector.RefusedRestriction},
		{"CertificateRestrictionWrongName", []connector.Inbound{restrictCert}, bank(bankIP, true, "mail.fabrikam.com"), "contoso.com", "From bank (cert restricted)", connector.RefusedRestriction},
		{"RequireTls", []connector.Inbound{{Name: "TLS", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"}}}, bank(bankIP, false, ""), "contoso.com", "TLS", connector.RefusedNoTLS},
		{"AssociatedDomainOnly", []connector.Inbound{fabrikamOnly}, bank(other, false, ""), "contoso.com", "", 0},
		{"AssociatedDomainApplies", []connector.Inbound{fabrikamOnly}, bank(other, false, ""), "FABRIKAM.com", "For fabrikam", connector.RefusedRestriction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := connector.CompileInbound(tt.set).Partner(tt.conn, tt.rcpt)
			if a.Name != tt.want || a.Refusal != tt.refusal {
				t.Errorf("Partner(%+v, %s) = %q refusal %v, want %q refusal %v", tt.conn, tt.rcpt, a.Name, a.Refusal, tt.want, tt.refusal)
			}
		})
	}
}

// TestCompileInboundCopies: the set keeps its own copy of the connectors.
func TestCompileInboundCopies(t *testing.T) {
	cs := []connector.Inbound{{Name: "A", ConnectorType: connector.OnPremises, SenderIPAddresses: []string{"203.0.113.1"}}}
	set := connector.CompileInbound(cs)
	cs[0].Name, cs[0].SenderIPAddresses[0] = "changed", "192.0.2.1"
	if a := set.OnPremises(connector.Connection{IP: netip.MustParseAddr("203.0.113.1")}); a.Name != "A" {
		t.Errorf("after changing the input, OnPremises = %q, want A", a.Name)
	}
}
