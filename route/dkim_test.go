package route_test

import (
	"net/netip"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// TestDKIMAtEOP: cpandl.com signs its mail with d=cpandl.com s=s1; EOP
// verifies the signature where it checks SPF and DMARC passes on an
// aligned DKIM pass (RFC 6376; RFC 7489, section 3.1.1; Microsoft:
// "Email authentication in EOP"; docs/behaviour.md#l93-dkim). Behind a
// third-party MX without Enhanced Filtering SPF checks the service, so
// only DKIM can carry DMARC; a service that adds a footer breaks the
// signature (RFC 6376, section 3.7).
func TestDKIMAtEOP(t *testing.T) {
	key := spfTXT("s1._domainkey.cpandl.com", "v=DKIM1; k=rsa; p=MIIBIjANBgkq")
	signed := func(s topology.Spec, withKey bool, filter func(*topology.ExternalSpec)) topology.Spec {
		for i := range s.External {
			switch s.External[i].Name {
			case "cpandl":
				s.External[i].DkimSigningDomain, s.External[i].DkimSelector = "cpandl.com", "s1"
			case "filter":
				if filter != nil {
					filter(&s.External[i])
				}
			}
		}
		s = withDNS(s, spfTXT("cpandl.com", "v=spf1 ip4:198.51.100.25 -all"), spfTXT("_dmarc.cpandl.com", "v=DMARC1; p=reject"),
			spfTXT("f1._domainkey.filter.example", "p=MIIB"))
		if withKey {
			s = withDNS(s, key)
		}
		return s
	}
	footer := func(e *topology.ExternalSpec) { e.ModifiesBody = true }
	ef := func(c *connector.Inbound) { c.EFSkipLastIP = true }
	genuine := route.Message{From: erin, To: []string{ben}, Headers: []route.Header{{Name: "From", Value: "Erin <erin@cpandl.com>"}}}
	spoofed := genuine
	spoofed.SourceIP = netip.MustParseAddr("203.0.113.66")
	const rejected = "550 5.7.509 Access denied, sending domain cpandl.com does not pass DMARC verification and has a DMARC policy of reject"
	tests := []struct {
		name   string
		spec   topology.Spec
		msg    route.Message
		hop    int
		spf    auth.SPFResult
		dkim   auth.DKIMResult
		d      string // header.d
		dmarc  auth.DMARCResult
		action string
		disp   route.Disposition
		status string
	}{
		{"Direct_Pass", signed(rulesSpec(), true, nil), genuine, 1, auth.SPFPass, auth.DKIMPass, "cpandl.com", auth.DMARCPass, "none", route.Delivered, ""},
		{"Direct_SPFFail_DKIMPass", signed(rulesSpec(), true, nil), spoofed, 1, auth.SPFFail, auth.DKIMPass, "cpandl.com", auth.DMARCPass, "none", route.Delivered, ""},
		{"Direct_NoKey_Rejected", signed(rulesSpec(), false, nil), spoofed, 1, auth.SPFFail, auth.DKIMPermError, "cpandl.com", auth.DMARCFail, "reject", route.Rejected, rejected},
		{"Unsigned", withDNS(rulesSpec(), spfTXT("cpandl.com", "v=spf1 ip4:198.51.100.25 -all")), genuine, 1, auth.SPFPass, auth.DKIMNone, "", auth.DMARCNone, "none", route.Delivered, ""},
		{"ThirdPartyMX_DKIMCarriesDMARC", signed(thirdPartyMX(nil), true, nil), genuine, 2, auth.SPFFail, auth.DKIMPass, "cpandl.com", auth.DMARCPass, "none", route.Delivered, ""},
		{"ThirdPartyMX_Footer_Breaks", signed(thirdPartyMX(nil), true, footer), genuine, 2, auth.SPFFail, auth.DKIMFail, "cpandl.com", auth.DMARCFail, "oreject", route.Delivered, ""},
		{"ThirdPartyMX_Footer_EF_SPFCarries", signed(thirdPartyMX(ef), true, footer), genuine, 2, auth.SPFPass, auth.DKIMFail, "cpandl.com", auth.DMARCPass, "none", route.Delivered, ""},
		{"ThirdPartyMX_Footer_Resigns_NotAligned", signed(thirdPartyMX(nil), true, func(e *topology.ExternalSpec) {
			e.ModifiesBody, e.DkimSigningDomain, e.DkimSelector = true, "filter.example", "f1"
		}), genuine, 2, auth.SPFFail, auth.DKIMPass, "filter.example", auth.DMARCFail, "oreject", route.Delivered, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			r := res.Recipients[0]
			require.Greater(t, len(r.Hops), tt.hop)
			a := r.Hops[tt.hop].Authentication
			if a == nil || a.SPF == nil || a.DKIM == nil || a.DMARC == nil {
				t.Fatalf("hop %d (%s) Authentication = %+v, want SPF, DKIM and DMARC\n%s", tt.hop+1, r.Hops[tt.hop].Node, a, traceText(res))
			}
			if a.SPF.Result != tt.spf || a.DKIM.Result != tt.dkim || a.DKIM.Domain != tt.d || a.DMARC.Result != tt.dmarc || a.DMARC.Action != tt.action {
				t.Errorf("spf=%s dkim=%s header.d=%s dmarc=%s action=%s (%s); want spf=%s dkim=%s header.d=%s dmarc=%s action=%s",
					a.SPF.Result, a.DKIM.Result, a.DKIM.Domain, a.DMARC.Result, a.DMARC.Action, a.DMARC.Reason, tt.spf, tt.dkim, tt.d, tt.dmarc, tt.action)
			}
			if r.Disposition != tt.disp || r.Status.String() != tt.status {
				t.Errorf("%s = %s %q, want %s %q\n%s", r.Address, r.Disposition, r.Status, tt.disp, tt.status, traceText(res))
			}
		})
	}
}

// twoTenants is Fabrikam's tenant sending to Contoso's: both receive
// their mail at EOP, and fabrikam.com's DMARC record asks for nothing.
func twoTenants(configs []topology.DkimSigningConfig, keys ...string) topology.Spec {
	s := topology.Spec{
		Tenants: []topology.TenantSpec{
			{Name: "contoso", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
				Recipients: []topology.Recipient{{Name: "Ben", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: ben}}},
			{Name: "fabrikam", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "fabrikam.com"}},
				Recipients:        []topology.Recipient{{Name: "Kim", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "kim@fabrikam.com"}},
				DkimSigningConfig: configs},
		},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")},
			{Domain: "fabrikam.com", NameExchange: topology.EOPHost("fabrikam.com")},
		},
	}
	s = withDNS(s, spfTXT("_dmarc.fabrikam.com", "v=DMARC1; p=none"))
	for _, k := range keys {
		s = withDNS(s, spfTXT("selector1._domainkey."+k, "v=DKIM1; k=rsa; p=MIIB"))
	}
	return s
}

// TestDKIMSignedByExchangeOnline: Exchange Online signs the tenant's
// outbound mail with a domain whose DkimSigningConfig is enabled, else
// with the initial onmicrosoft.com domain (Microsoft: "Set up DKIM to sign
// mail from your Microsoft 365 domain";
// docs/behaviour.md#l94-dkim-signing-in-exchange-online); the receiving
// tenant's EOP verifies it against the declared key.
func TestDKIMSignedByExchangeOnline(t *testing.T) {
	enabled := []topology.DkimSigningConfig{{Domain: "fabrikam.com", Enabled: true}}
	disabled := []topology.DkimSigningConfig{{Domain: "fabrikam.com"}}
	tests := []struct {
		name  string
		spec  topology.Spec
		dkim  auth.DKIMResult
		d     string
		dmarc auth.DMARCResult
	}{
		{"Enabled_Aligned", twoTenants(enabled, "fabrikam.com"), auth.DKIMPass, "fabrikam.com", auth.DMARCPass},
		{"Enabled_NoKey", twoTenants(enabled), auth.DKIMPermError, "fabrikam.com", auth.DMARCFail},
		{"Disabled_InitialDomain", twoTenants(disabled, "fabrikam.com", "fabrikam.onmicrosoft.com"), auth.DKIMPass, "fabrikam.onmicrosoft.com", auth.DMARCFail},
		{"None_InitialDomain", twoTenants(nil, "fabrikam.onmicrosoft.com"), auth.DKIMPass, "fabrikam.onmicrosoft.com", auth.DMARCFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), route.Message{From: "kim@fabrikam.com", To: []string{ben}})
			require.NoError(t, err)
			r := res.Recipients[0]
			var a *auth.Results
			for _, h := range r.Hops {
				if h.Authentication != nil {
					a = h.Authentication
				}
			}
			if a == nil || a.DKIM == nil || a.DMARC == nil {
				t.Fatalf("no hop reports DKIM and DMARC\n%s", traceText(res))
			}
			if a.DKIM.Result != tt.dkim || a.DKIM.Domain != tt.d || a.DKIM.Selector != "selector1" || a.DMARC.Result != tt.dmarc {
				t.Errorf("dkim=%s header.d=%s s=%s dmarc=%s (%s); want dkim=%s header.d=%s s=selector1 dmarc=%s\n%s",
					a.DKIM.Result, a.DKIM.Domain, a.DKIM.Selector, a.DMARC.Result, a.DMARC.Reason, tt.dkim, tt.d, tt.dmarc, traceText(res))
			}
		})
	}
}

// TestTrustedARCSealer: the filtering service in front of EOP adds a
// footer, which breaks cpandl.com's DKIM signature, and EOP sees the
// service's address, so DMARC fails; the service ARC-seals what it saw on
// arrival, and a tenant that trusts it (ArcTrustedSealers) takes its
// DMARC pass: compauth=pass reason=130 (Microsoft: "Configure trusted ARC
// sealers"; "Anti-spam message headers in Microsoft 365"; RFC 8617;
// docs/behaviour.md#l95-trusted-arc-sealers).
func TestTrustedARCSealer(t *testing.T) {
	spec := func(trusted []string, withKey bool) topology.Spec {
		s := thirdPartyMX(nil)
		s.Tenants[0].ArcTrustedSealers = trusted
		for i := range s.External {
			switch s.External[i].Name {
			case "cpandl":
				s.External[i].DkimSigningDomain, s.External[i].DkimSelector = "cpandl.com", "s1"
			case "filter":
				s.External[i].ModifiesBody, s.External[i].ArcSealingDomain = true, "filter.example"
			}
		}
		s = withDNS(s, spfTXT("cpandl.com", "v=spf1 ip4:198.51.100.25 -all"), spfTXT("_dmarc.cpandl.com", "v=DMARC1; p=reject"))
		if withKey {
			s = withDNS(s, spfTXT("s1._domainkey.cpandl.com", "v=DKIM1; p=MIIB"))
		}
		return s
	}
	genuine := route.Message{From: erin, To: []string{ben}, Headers: []route.Header{{Name: "From", Value: "Erin <erin@cpandl.com>"}}}
	spoofed := genuine
	spoofed.SourceIP = netip.MustParseAddr("203.0.113.66")
	tests := []struct {
		name     string
		spec     topology.Spec
		msg      route.Message
		sealed   auth.DMARCResult
		trusted  bool
		action   string
		compauth auth.CompAuth
	}{
		{"Trusted_Overrides", spec([]string{"Filter.Example"}, true), genuine, auth.DMARCPass, true, "none", auth.CompAuth{Result: auth.CompAuthPass, Reason: "130"}},
		{"NotTrusted", spec([]string{"other.example"}, true), genuine, auth.DMARCPass, false, "oreject", auth.CompAuth{Result: auth.CompAuthFail, Reason: "000"}},
		{"Trusted_SealedFailure", spec([]string{"filter.example"}, false), spoofed, auth.DMARCFail, true, "oreject", auth.CompAuth{Result: auth.CompAuthFail, Reason: "000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			r := res.Recipients[0]
			require.Greater(t, len(r.Hops), 2)
			a := r.Hops[2].Authentication
			if a == nil || a.ARC == nil || a.DMARC == nil || a.CompAuth == nil {
				t.Fatalf("hop 3 Authentication = %+v, want ARC\n%s", a, traceText(res))
			}
			if a.DMARC.Result != auth.DMARCFail || a.ARC.Sealer != "filter.example" || a.ARC.SealedDMARC != tt.sealed || a.ARC.Trusted != tt.trusted ||
				a.DMARC.Action != tt.action || *a.CompAuth != tt.compauth {
				t.Errorf("dmarc=%s action=%s arc=%+v compauth=%+v; want dmarc=fail action=%s sealed %s trusted %t compauth=%+v",
					a.DMARC.Result, a.DMARC.Action, *a.ARC, *a.CompAuth, tt.action, tt.sealed, tt.trusted, tt.compauth)
			}
		})
	}
	// Unsealed mail reports no ARC.
	res, err := route.Trace(build(t, withDNS(rulesSpec(), spfTXT("cpandl.com", "v=spf1 -all"))), genuine)
	require.NoError(t, err)
	if a := res.Recipients[0].Hops[1].Authentication; a == nil || a.ARC != nil {
		t.Errorf("unsealed: Authentication = %+v, want no ARC", a)
	}
}

// TestDKIMSignedOnPremises: an on-premises organization whose transport
// signs (a signing agent: docs/behaviour.md#l96-dkim-signing-on-premises)
// sends to Contoso's tenant through its Send connector; the tenant's EOP
// verifies the signature against the declared key. Without the setting,
// its mail is unsigned.
func TestDKIMSignedOnPremises(t *testing.T) {
	spec := func(sign bool) topology.Spec {
		s := twoTenants(nil, "fabrikam.com")
		s.Tenants = s.Tenants[:1]
		o := topology.OnPremisesSpec{
			Name:            "fabrikam",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "fabrikam.com"}},
			Servers:         []topology.ServerSpec{{Name: "EX01", Fqdn: "ex01.fabrikam.com", Hosts: []string{"mail.fabrikam.com"}, IPAddress: "203.0.113.7"}},
			Recipients:      []topology.Recipient{{Name: "Kim", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "kim@fabrikam.com", Server: "EX01"}},
			SendConnectors:  []connector.Send{{Name: "Internet", AddressSpaces: []string{"*"}}},
		}
		if sign {
			o.DkimSigningDomain, o.DkimSelector = "fabrikam.com", "selector1"
		}
		s.OnPremises = []topology.OnPremisesSpec{o}
		s.MXRecords[1] = topology.MXRecord{Domain: "fabrikam.com", NameExchange: "mail.fabrikam.com"}
		return s
	}
	for _, tt := range []struct {
		sign  bool
		dkim  auth.DKIMResult
		dmarc auth.DMARCResult
	}{{true, auth.DKIMPass, auth.DMARCPass}, {false, auth.DKIMNone, auth.DMARCFail}} {
		res, err := route.Trace(build(t, spec(tt.sign)), route.Message{From: "kim@fabrikam.com", To: []string{ben}})
		require.NoError(t, err)
		var a *auth.Results
		for _, h := range res.Recipients[0].Hops {
			if h.Authentication != nil {
				a = h.Authentication
			}
		}
		if a == nil || a.DKIM.Result != tt.dkim || a.DMARC.Result != tt.dmarc {
			t.Errorf("signs %t: Authentication = %+v, want dkim=%s dmarc=%s\n%s", tt.sign, a, tt.dkim, tt.dmarc, traceText(res))
		}
	}
}
