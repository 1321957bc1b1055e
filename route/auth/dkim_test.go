package auth_test

import (
	"errors"
	"testing"

	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/topology/dns"
)

func TestParseDKIMKey(t *testing.T) {
	tests := []struct {
		txt string
		ok  bool
	}{
		{"v=DKIM1; k=rsa; p=MIIBIjANBgkq", true},
		{"p=MIIB", true},          // v= is optional (RFC 6376, section 3.6.1)
		{"k=rsa; p=MIIB;", true},  // a final semicolon
		{"v=DKIM1; p=", false},    // revoked
		{"v=DKIM1; k=rsa", false}, // no p=
		{"k=rsa; v=DKIM1; p=MIIB", false},
		{"v=DKIM2; p=MIIB", false},
		{"v=DKIM1; garbage; p=MIIB", false},
		{"", false},
	}
	for _, tt := range tests {
		err := auth.ParseDKIMKey(tt.txt)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, auth.ErrNotDKIMKey)) {
			t.Errorf("ParseDKIMKey(%q) = %v, want ok %t", tt.txt, err, tt.ok)
		}
	}
}

// TestCheckDKIM: the key record at <selector>._domainkey.<domain> decides
// whether a signature can verify (RFC 6376, sections 3.6.2.1 and 6.1.2),
// and a body changed after signing fails (section 3.7).
func TestCheckDKIM(t *testing.T) {
	z, ps := dns.NewZone([]dns.Record{
		txt("s1._domainkey.fabrikam.com", "v=DKIM1; k=rsa; p=MIIB"),
		txt("old._domainkey.fabrikam.com", "v=DKIM1; p="),
		{Name: "s1._domainkey.down.example", Type: dns.TXT, Strings: []string{"p=MIIB"}, Failing: true},
	}, nil, nil)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	tests := []struct {
		name, domain, selector string
		broken                 bool
		want                   auth.DKIMResult
		reason                 string
	}{
		{"unsigned", "", "", false, auth.DKIMNone, "message not signed"},
		{"verified", "fabrikam.com", "s1", false, auth.DKIMPass, "signature was verified"},
		{"body_changed", "fabrikam.com", "s1", true, auth.DKIMFail, "body hash did not verify"},
		{"no_key", "fabrikam.com", "s2", false, auth.DKIMPermError, "no key for signature"},
		{"revoked_key", "fabrikam.com", "old", false, auth.DKIMPermError, "no key for signature"},
		{"lookup_fails", "down.example", "s1", false, auth.DKIMTempError, "key record could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auth.CheckDKIM(z.Resolver(), tt.domain, tt.selector, tt.broken)
			if got.Result != tt.want || got.Reason != tt.reason || got.Domain != tt.domain {
				t.Errorf("CheckDKIM(%s, %s, %t) = %+v, want %s (%s)", tt.domain, tt.selector, tt.broken, got, tt.want, tt.reason)
			}
		})
	}
}

// TestCheckDMARCWithDKIM: DMARC passes on an aligned DKIM pass, relaxed
// or strict as adkim= says, and not on an unaligned or failed one (RFC
// 7489, sections 3.1.1 and 4.2).
func TestCheckDMARCWithDKIM(t *testing.T) {
	z, ps := dns.NewZone([]dns.Record{
		txt("_dmarc.fabrikam.com", "v=DMARC1; p=reject"),
		txt("_dmarc.strict.example", "v=DMARC1; p=reject; adkim=s"),
	}, nil, nil)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	spfFail := func(d string) auth.SPF { return auth.SPF{Result: auth.SPFFail, MailFrom: d} }
	dkim := func(r auth.DKIMResult, d string) auth.DKIM { return auth.DKIM{Result: r, Domain: d, Selector: "s1"} }
	tests := []struct {
		name string
		from string
		dkim auth.DKIM
		want auth.DMARCResult
	}{
		{"aligned_pass", "fabrikam.com", dkim(auth.DKIMPass, "fabrikam.com"), auth.DMARCPass},
		{"relaxed_parent", "news.fabrikam.com", dkim(auth.DKIMPass, "fabrikam.com"), auth.DMARCPass},
		{"unaligned_pass", "fabrikam.com", dkim(auth.DKIMPass, "mailer.example"), auth.DMARCFail},
		{"aligned_fail", "fabrikam.com", dkim(auth.DKIMFail, "fabrikam.com"), auth.DMARCFail},
		{"aligned_no_key", "fabrikam.com", dkim(auth.DKIMPermError, "fabrikam.com"), auth.DMARCFail},
		{"strict_parent_fails", "news.strict.example", dkim(auth.DKIMPass, "strict.example"), auth.DMARCFail},
		{"strict_exact_passes", "strict.example", dkim(auth.DKIMPass, "strict.example"), auth.DMARCPass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := auth.CheckDMARC(z.Resolver(), tt.from, spfFail(tt.from), tt.dkim)
			if d.Result != tt.want {
				t.Errorf("CheckDMARC(%s, dkim %+v) = %s (%s), want %s", tt.from, tt.dkim, d.Result, d.Reason, tt.want)
			}
		})
	}
}

func TestResultsHeaderDKIM(t *testing.T) {
	r := &auth.Results{
		DKIM:  &auth.DKIM{Result: auth.DKIMFail, Domain: "fabrikam.com", Selector: "s1", Reason: "body hash did not verify"},
		DMARC: &auth.DMARC{Result: auth.DMARCFail, HeaderFrom: "fabrikam.com", Action: "oreject"},
	}
	const want = "dkim=fail (body hash did not verify) header.d=fabrikam.com;dmarc=fail action=oreject header.from=fabrikam.com;"
	if got := r.Header(); got != want {
		t.Errorf("Header() = %q, want %q", got, want)
	}
}

// FuzzParseDKIMKey: any TXT string is taken or refused, never panics.
func FuzzParseDKIMKey(f *testing.F) {
	f.Add("v=DKIM1; k=rsa; p=MIIB")
	f.Add("p=;;=;v")
	f.Fuzz(func(t *testing.T, s string) {
		if err := auth.ParseDKIMKey(s); err != nil && !errors.Is(err, auth.ErrNotDKIMKey) {
			t.Fatalf("ParseDKIMKey(%q) = %v, want ErrNotDKIMKey", s, err)
		}
	})
}

// TestOverride: only a trusted, passing seal that recorded a DMARC pass
// overrides a DMARC failure (Microsoft: "Configure trusted ARC sealers").
func TestOverride(t *testing.T) {
	good := auth.ARC{Result: auth.ARCPass, Sealer: "filter.example", SealedDMARC: auth.DMARCPass, Trusted: true}
	fail := auth.DMARC{Result: auth.DMARCFail}
	tests := []struct {
		name string
		arc  *auth.ARC
		d    auth.DMARC
		want bool
	}{
		{"trusted_pass", &good, fail, true},
		{"no_arc", nil, fail, false},
		{"not_trusted", &auth.ARC{Result: auth.ARCPass, SealedDMARC: auth.DMARCPass}, fail, false},
		{"sealed_failure", &auth.ARC{Result: auth.ARCPass, SealedDMARC: auth.DMARCFail, Trusted: true}, fail, false},
		{"dmarc_passed", &good, auth.DMARC{Result: auth.DMARCPass}, false},
		{"dmarc_none", &good, auth.DMARC{Result: auth.DMARCNone}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a *auth.ARC
			if tt.arc != nil {
				c := *tt.arc
				a = &c
			}
			c := auth.CompAuth{Result: auth.CompAuthFail, Reason: "000"}
			got := auth.Override(a, tt.d, &c)
			want := auth.CompAuth{Result: auth.CompAuthFail, Reason: "000"}
			if tt.want {
				want = auth.CompAuth{Result: auth.CompAuthPass, Reason: "130"}
			}
			if got != tt.want || c != want || (a != nil && a.Overrode != tt.want) {
				t.Errorf("Override() = %t, compauth %+v; want %t, %+v", got, c, tt.want, want)
			}
		})
	}
}
