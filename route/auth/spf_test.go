package auth_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/topology/dns"
)

// txt declares a TXT record.
func txt(name string, s ...string) dns.Record {
	return dns.Record{Name: name, Type: dns.TXT, Strings: s}
}

// TestCheckSPF: cases written from RFC 7208, each citing the section whose
// rule it checks; expected results are the RFC's.
func TestCheckSPF(t *testing.T) {
	records := []dns.Record{
		// Section 5.6: ip4 and ip6 with CIDR lengths.
		txt("ip.example", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"),
		// Section 4.6.2: qualifiers; the default is +.
		txt("soft.example", "v=spf1 ~all"),
		txt("neutral.example", "v=spf1 ?all"),
		txt("plus.example", "v=spf1 all"),
		// Section 4.7: no mechanism matches and there is no all: neutral.
		txt("nomatch.example", "v=spf1 ip4:198.51.100.1"),
		// Section 5.2: include passes only when the included check passes.
		txt("inc.example", "v=spf1 include:ip.example -all"),
		txt("incfail.example", "v=spf1 include:soft.example -all"),
		// Section 5.2: include of a domain without SPF record is permerror.
		txt("incnone.example", "v=spf1 include:nospf.example -all"),
		txt("nospf.example", "google-site-verification=abc"),
		// Section 5.3 and 5.4: a and mx, with the hosts' addresses.
		txt("a.example", "v=spf1 a:mail.a.example -all"),
		{Name: "mail.a.example", Type: dns.A, IPAddress: "192.0.2.10"},
		txt("mx.example", "v=spf1 mx -all"),
		// Section 6.1: redirect replaces the record; a redirect to a
		// domain without SPF record is permerror.
		txt("redir.example", "v=spf1 redirect=ip.example"),
		txt("redirnone.example", "v=spf1 redirect=nospf.example"),
		// Section 5.7: exists matches when the name has an A record.
		txt("exists.example", "v=spf1 exists:%{i}.allow.exists.example -all"),
		{Name: "192.0.2.20.allow.exists.example", Type: dns.A, IPAddress: "127.0.0.2"},
		// Section 4.6.4: include loops run into the 10-lookup limit.
		txt("loop.example", "v=spf1 include:loop.example -all"),
		// Section 4.6.4: more than 10 lookups is permerror.
		txt("many.example", "v=spf1 a:h1.many.example a:h2.many.example a:h3.many.example a:h4.many.example a:h5.many.example a:h6.many.example a:h7.many.example a:h8.many.example a:h9.many.example a:h10.many.example a:h11.many.example -all"),
		{Name: "h1.many.example", Type: dns.A, IPAddress: "198.51.100.1"},
		{Name: "h2.many.example", Type: dns.A, IPAddress: "198.51.100.2"},
		{Name: "h3.many.example", Type: dns.A, IPAddress: "198.51.100.3"},
		{Name: "h4.many.example", Type: dns.A, IPAddress: "198.51.100.4"},
		{Name: "h5.many.example", Type: dns.A, IPAddress: "198.51.100.5"},
		{Name: "h6.many.example", Type: dns.A, IPAddress: "198.51.100.6"},
		{Name: "h7.many.example", Type: dns.A, IPAddress: "198.51.100.7"},
		{Name: "h8.many.example", Type: dns.A, IPAddress: "198.51.100.8"},
		{Name: "h9.many.example", Type: dns.A, IPAddress: "198.51.100.9"},
		{Name: "h10.many.example", Type: dns.A, IPAddress: "198.51.100.10"},
		{Name: "h11.many.example", Type: dns.A, IPAddress: "192.0.2.1"},
		// Section 4.6.4: more than 2 void lookups (NXDOMAIN) is permerror.
		txt("void.example", "v=spf1 a:v1.void.example a:v2.void.example a:v3.void.example ip4:192.0.2.1 -all"),
		// Section 4.5: two SPF records are permerror.
		txt("two.example", "v=spf1 -all"),
		txt("two.example", "v=spf1 +all"),
		// Section 4.6.1: an unknown mechanism is permerror.
		txt("syntax.example", "v=spf1 ip5:192.0.2.1 -all"),
		// Section 3.3: a record's strings are joined with nothing between.
		txt("split.example", "v=spf1 ip4:192.0.2", ".0/24 -all"),
		// Section 2.6.6 and 4.4: a failing lookup is temperror.
		{Name: "down.example", Type: dns.TXT, Strings: []string{"v=spf1 +all"}, Failing: true},
		txt("incdown.example", "v=spf1 include:down.example -all"),
		// Section 2.4: the null sender is checked with the HELO name.
		txt("helo.example", "v=spf1 ip4:192.0.2.30 -all"),
	}
	mx := []dns.MX{{Domain: "mx.example", Preference: 10, NameExchange: "in.mx.example"}}
	hosts := []dns.Host{{Name: "in.mx.example", IP: netip.MustParseAddr("192.0.2.40")}}
	z, ps := dns.NewZone(records, mx, hosts)
	if len(ps) > 0 {
		t.Fatalf("NewZone: %v", ps)
	}
	r := z.Resolver()
	tests := []struct {
		name   string
		ip     string
		from   string
		helo   string
		want   auth.SPFResult
		reason string
	}{
		{name: "ip4_in_range", ip: "192.0.2.77", from: "a@ip.example", want: auth.SPFPass},
		{name: "ip4_outside", ip: "198.51.100.7", from: "a@ip.example", want: auth.SPFFail},
		{name: "ip6_in_range", ip: "2001:db8::5", from: "a@ip.example", want: auth.SPFPass},
		{name: "softfail", ip: "192.0.2.1", from: "a@soft.example", want: auth.SPFSoftFail},
		{name: "neutral", ip: "192.0.2.1", from: "a@neutral.example", want: auth.SPFNeutral},
		{name: "default_qualifier_pass", ip: "192.0.2.1", from: "a@plus.example", want: auth.SPFPass},
		{name: "no_match_no_all", ip: "192.0.2.1", from: "a@nomatch.example", want: auth.SPFNeutral},
		{name: "include_pass", ip: "192.0.2.5", from: "a@inc.example", want: auth.SPFPass},
		{name: "include_not_pass", ip: "192.0.2.5", from: "a@incfail.example", want: auth.SPFFail, reason: "an included softfail is no match"},
		{name: "include_none", ip: "192.0.2.5", from: "a@incnone.example", want: auth.SPFPermError},
		{name: "a_mechanism", ip: "192.0.2.10", from: "a@a.example", want: auth.SPFPass},
		{name: "a_mechanism_other_ip", ip: "192.0.2.11", from: "a@a.example", want: auth.SPFFail},
		{name: "mx_mechanism", ip: "192.0.2.40", from: "a@mx.example", want: auth.SPFPass},
		{name: "redirect", ip: "192.0.2.3", from: "a@redir.example", want: auth.SPFPass},
		{name: "redirect_fail", ip: "203.0.113.3", from: "a@redir.example", want: auth.SPFFail},
		{name: "redirect_none", ip: "192.0.2.3", from: "a@redirnone.example", want: auth.SPFPermError},
		{name: "exists_match", ip: "192.0.2.20", from: "a@exists.example", want: auth.SPFPass},
		{name: "exists_no_match", ip: "192.0.2.21", from: "a@exists.example", want: auth.SPFFail},
		{name: "include_loop", ip: "192.0.2.1", from: "a@loop.example", want: auth.SPFPermError},
		{name: "lookup_limit", ip: "192.0.2.1", from: "a@many.example", want: auth.SPFPermError, reason: "the match is the 11th lookup"},
		{name: "void_lookups", ip: "192.0.2.1", from: "a@void.example", want: auth.SPFPermError, reason: "the third NXDOMAIN comes before ip4"},
		{name: "two_records", ip: "192.0.2.1", from: "a@two.example", want: auth.SPFPermError},
		{name: "syntax_error", ip: "192.0.2.1", from: "a@syntax.example", want: auth.SPFPermError},
		{name: "split_strings", ip: "192.0.2.9", from: "a@split.example", want: auth.SPFPass},
		{name: "no_record", ip: "192.0.2.1", from: "a@nospf.example", want: auth.SPFNone},
		{name: "nxdomain", ip: "192.0.2.1", from: "a@nowhere.example", want: auth.SPFNone},
		{name: "failing_record", ip: "192.0.2.1", from: "a@down.example", want: auth.SPFTempError},
		{name: "failing_include", ip: "192.0.2.1", from: "a@incdown.example", want: auth.SPFTempError},
		{name: "null_sender_helo", ip: "192.0.2.30", from: "", helo: "helo.example", want: auth.SPFPass},
		{name: "null_sender_no_helo", ip: "192.0.2.30", from: "<>", want: auth.SPFNone},
		{name: "case_insensitive_domain", ip: "192.0.2.77", from: "a@IP.Example", want: auth.SPFPass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auth.CheckSPF(r, netip.MustParseAddr(tt.ip), tt.from, tt.helo)
			if got.Result != tt.want {
				t.Errorf("CheckSPF(%s, %q, %q) = %s (%s), want %s %s", tt.ip, tt.from, tt.helo, got.Result, got.Reason, tt.want, tt.reason)
			}
		})
	}
}

// TestCheckSPFNoIP: without an address nothing identifies the client
// (docs/behaviour.md#l91-where-spf-is-evaluated).
func TestCheckSPFNoIP(t *testing.T) {
	z, _ := dns.NewZone([]dns.Record{txt("ip.example", "v=spf1 -all")}, nil, nil)
	if got := auth.CheckSPF(z.Resolver(), netip.Addr{}, "a@ip.example", ""); got.Result != auth.SPFNone {
		t.Errorf("CheckSPF(invalid IP) = %s, want none", got.Result)
	}
}

func TestResultsHeader(t *testing.T) {
	r := &auth.Results{SPF: &auth.SPF{Result: auth.SPFPass, IP: netip.MustParseAddr("203.0.113.5"), MailFrom: "fabrikam.com"}}
	const want = "spf=pass (sender IP is 203.0.113.5) smtp.mailfrom=fabrikam.com;"
	if got := r.Header(); got != want {
		t.Errorf("Header() = %q, want %q", got, want)
	}
	var none *auth.Results
	if got := none.Header(); got != "" {
		t.Errorf("nil Header() = %q, want \"\"", got)
	}
}

// FuzzCheckSPF: any SPF record, valid or not, gives one of the seven
// results, the same twice, without a panic and within the lookup limits.
func FuzzCheckSPF(f *testing.F) {
	f.Add("v=spf1 ip4:192.0.2.0/24 include:b.example -all", "v=spf1 a mx redirect=a.example", "192.0.2.1")
	f.Add("v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} ~all", "v=spf1 ptr ?all", "2001:db8::1")
	f.Add("v=spf1 include:a.example", "v=spf1 include:b.example", "198.51.100.1")
	f.Fuzz(func(t *testing.T, a, b, ip string) {
		addr, err := netip.ParseAddr(ip)
		if err != nil {
			return
		}
		z, _ := dns.NewZone([]dns.Record{txt("a.example", a), txt("b.example", b),
			{Name: "mail.a.example", Type: dns.A, IPAddress: "192.0.2.1"}}, nil, nil)
		first := auth.CheckSPF(z.Resolver(), addr, "x@a.example", "mail.a.example")
		second := auth.CheckSPF(z.Resolver(), addr, "x@a.example", "mail.a.example")
		switch first.Result {
		case auth.SPFNone, auth.SPFNeutral, auth.SPFPass, auth.SPFFail, auth.SPFSoftFail, auth.SPFTempError, auth.SPFPermError:
		default:
			t.Fatalf("CheckSPF(%q, %q) = %q, not an SPF result", a, b, first.Result)
		}
		if first != second {
			t.Fatalf("CheckSPF(%q, %q) = %+v, then %+v", a, b, first, second)
		}
	})
}

// TestParseDMARC: records written from RFC 7489, section 6.3 and 6.4.
func TestParseDMARC(t *testing.T) {
	tests := []struct {
		name    string
		txt     string
		want    auth.DMARCRecord
		wantErr bool
	}{
		{name: "minimal", txt: "v=DMARC1; p=reject", want: auth.DMARCRecord{Policy: auth.PolicyReject, SubdomainPolicy: auth.PolicyReject, Percent: 100}},
		{name: "all_tags", txt: "v=DMARC1;p=quarantine;sp=none;aspf=s;adkim=s;pct=25;rua=mailto:d@fabrikam.com",
			want: auth.DMARCRecord{Policy: auth.PolicyQuarantine, SubdomainPolicy: auth.PolicyNone, StrictSPF: true, StrictDKIM: true, Percent: 25}},
		{name: "case_and_spaces", txt: "v=DMARC1 ;  P = Reject ; ASPF=S", want: auth.DMARCRecord{Policy: auth.PolicyReject, SubdomainPolicy: auth.PolicyReject, StrictSPF: true, Percent: 100}},
		{name: "bad_pct_reads_100", txt: "v=DMARC1; p=none; pct=150", want: auth.DMARCRecord{Policy: auth.PolicyNone, SubdomainPolicy: auth.PolicyNone, Percent: 100}},
		{name: "bad_sp_reads_p", txt: "v=DMARC1; p=reject; sp=maybe", want: auth.DMARCRecord{Policy: auth.PolicyReject, SubdomainPolicy: auth.PolicyReject, Percent: 100}},
		{name: "no_p_with_rua_reads_none", txt: "v=DMARC1; rua=mailto:d@fabrikam.com", want: auth.DMARCRecord{Policy: auth.PolicyNone, SubdomainPolicy: auth.PolicyNone, Percent: 100}},
		{name: "no_p", txt: "v=DMARC1; pct=100", wantErr: true},
		{name: "v_not_first", txt: "p=reject; v=DMARC1", wantErr: true},
		{name: "not_dmarc", txt: "v=spf1 -all", wantErr: true},
		{name: "lower_case_version", txt: "v=dmarc1; p=reject", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.ParseDMARC(tt.txt)
			if (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, auth.ErrNotDMARC)) {
				t.Fatalf("ParseDMARC(%q) error = %v, want error %t", tt.txt, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseDMARC(%q) = %+v, want %+v", tt.txt, got, tt.want)
			}
		})
	}
}

// TestCheckDMARC: the policy record found by the tree walk, alignment
// relaxed and strict, and composite authentication (RFC 7489, section
// 3.1 and 6.6; Microsoft: "Anti-spam message headers in Microsoft 365").
func TestCheckDMARC(t *testing.T) {
	z, ps := dns.NewZone([]dns.Record{
		txt("_dmarc.fabrikam.com", "v=DMARC1; p=reject; sp=quarantine"),
		txt("_dmarc.strict.example", "v=DMARC1; p=reject; aspf=s"),
		txt("_dmarc.none.example", "v=DMARC1; p=none"),
		txt("_dmarc.two.example", "v=DMARC1; p=none"),
		txt("_dmarc.two.example", "v=DMARC1; p=reject"),
		{Name: "_dmarc.down.example", Type: dns.TXT, Strings: []string{"v=DMARC1; p=reject"}, Failing: true},
	}, nil, nil)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	pass := func(d string) auth.SPF { return auth.SPF{Result: auth.SPFPass, MailFrom: d} }
	tests := []struct {
		name     string
		from     string
		spf      auth.SPF
		want     auth.DMARCResult
		policy   auth.DMARCPolicy
		compauth auth.CompAuth
	}{
		{"aligned_pass", "fabrikam.com", pass("fabrikam.com"), auth.DMARCPass, auth.PolicyReject, auth.CompAuth{Result: auth.CompAuthPass, Reason: "100"}},
		{"relaxed_subdomain_pass", "fabrikam.com", pass("bounce.fabrikam.com"), auth.DMARCPass, auth.PolicyReject, auth.CompAuth{Result: auth.CompAuthPass, Reason: "100"}},
		{"unaligned_pass_fails", "fabrikam.com", pass("mailer.example"), auth.DMARCFail, auth.PolicyReject, auth.CompAuth{Result: auth.CompAuthFail, Reason: "000"}},
		{"spf_fail", "fabrikam.com", auth.SPF{Result: auth.SPFFail, MailFrom: "fabrikam.com"}, auth.DMARCFail, auth.PolicyReject, auth.CompAuth{Result: auth.CompAuthFail, Reason: "000"}},
		{"subdomain_policy", "news.fabrikam.com", auth.SPF{Result: auth.SPFSoftFail, MailFrom: "news.fabrikam.com"}, auth.DMARCFail, auth.PolicyQuarantine, auth.CompAuth{Result: auth.CompAuthFail, Reason: "000"}},
		{"strict_subdomain_fails", "strict.example", pass("bounce.strict.example"), auth.DMARCFail, auth.PolicyReject, auth.CompAuth{Result: auth.CompAuthFail, Reason: "000"}},
		{"strict_exact_passes", "strict.example", pass("strict.example"), auth.DMARCPass, auth.PolicyReject, auth.CompAuth{Result: auth.CompAuthPass, Reason: "100"}},
		{"p_none_fail_implicit", "none.example", auth.SPF{Result: auth.SPFFail, MailFrom: "none.example"}, auth.DMARCFail, auth.PolicyNone, auth.CompAuth{Result: auth.CompAuthFail, Reason: "001"}},
		{"no_record_soft_pass", "nodmarc.example", pass("nodmarc.example"), auth.DMARCNone, "", auth.CompAuth{Result: auth.CompAuthSoftPass, Reason: "200"}},
		{"no_record_spf_fail", "nodmarc.example", auth.SPF{Result: auth.SPFSoftFail, MailFrom: "nodmarc.example"}, auth.DMARCNone, "", auth.CompAuth{Result: auth.CompAuthFail, Reason: "001"}},
		{"two_records_none", "two.example", pass("two.example"), auth.DMARCNone, "", auth.CompAuth{Result: auth.CompAuthSoftPass, Reason: "200"}},
		{"failing_record", "down.example", pass("down.example"), auth.DMARCTempError, "", auth.CompAuth{Result: auth.CompAuthNone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := auth.CheckDMARC(z.Resolver(), tt.from, tt.spf, auth.DKIM{Result: auth.DKIMNone})
			if d.Result != tt.want || d.Policy != tt.policy {
				t.Errorf("CheckDMARC(%s, %+v) = %s policy %q (%s), want %s policy %q", tt.from, tt.spf, d.Result, d.Policy, d.Reason, tt.want, tt.policy)
			}
			if got := auth.Composite(tt.spf, d, false); got != tt.compauth {
				t.Errorf("Composite(%+v) = %+v, want %+v", d, got, tt.compauth)
			}
		})
	}
	d := auth.CheckDMARC(z.Resolver(), "fabrikam.com", auth.SPF{Result: auth.SPFFail, MailFrom: "fabrikam.com"}, auth.DKIM{})
	if got := auth.Composite(auth.SPF{Result: auth.SPFFail}, d, true); got != (auth.CompAuth{Result: auth.CompAuthFail, Reason: "010"}) {
		t.Errorf("Composite(fail, accepted domain) = %+v, want fail 010", got)
	}
}

func TestResultsHeaderDMARC(t *testing.T) {
	r := &auth.Results{
		SPF:      &auth.SPF{Result: auth.SPFPass, IP: netip.MustParseAddr("203.0.113.5"), MailFrom: "fabrikam.com"},
		DMARC:    &auth.DMARC{Result: auth.DMARCPass, HeaderFrom: "fabrikam.com", Action: "none"},
		CompAuth: &auth.CompAuth{Result: auth.CompAuthPass, Reason: "100"},
	}
	const want = "spf=pass (sender IP is 203.0.113.5) smtp.mailfrom=fabrikam.com; dkim=none (message not signed) header.d=none;dmarc=pass action=none header.from=fabrikam.com;compauth=pass reason=100"
	if got := r.Header(); got != want {
		t.Errorf("Header() = %q, want %q", got, want)
	}
}

// FuzzParseDMARC: any TXT string parses or is refused, never panics, and
// a parsed record's values are in range.
func FuzzParseDMARC(f *testing.F) {
	f.Add("v=DMARC1; p=reject; sp=none; aspf=s; pct=50")
	f.Add("v=DMARC1;rua=mailto:x@y")
	f.Add("v=DMARC1; p=;;;=;")
	f.Fuzz(func(t *testing.T, s string) {
		rec, err := auth.ParseDMARC(s)
		if err != nil {
			return
		}
		if rec.Policy == "" || rec.SubdomainPolicy == "" || rec.Percent < 0 || rec.Percent > 100 {
			t.Fatalf("ParseDMARC(%q) = %+v: a value out of range", s, rec)
		}
	})
}
