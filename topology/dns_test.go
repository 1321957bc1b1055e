package topology_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/mailflowsim/mailflow/topology/dns"
	"github.com/stretchr/testify/require"
)

// TestBuildDNSRecords: Build refuses bad records, naming the record and
// the field (docs/behaviour.md#l90-declared-dns).
func TestBuildDNSRecords(t *testing.T) {
	s := contosoSpec()
	s.DNSRecords = []dns.Record{
		{Name: "fabrikam.com", Type: dns.TXT, Strings: []string{"v=spf1 -all"}},
		{Name: "fabrikam.com", Type: dns.TXT, Strings: []string{"v=spf1 -all"}},
		{Name: "-bad-.com", Type: dns.TXT, Strings: []string{"x"}},
		{Name: "mail.fabrikam.com", Type: dns.A, IPAddress: "mail"},
		{Name: "fabrikam.com", Type: dns.TXT, Strings: []string{"tab\there"}},
	}
	_, err := topology.Build(s)
	var ve *topology.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Build() error = %v, want a *ValidationError", err)
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.Where())
	}
	want := []string{
		`DNSRecords["-bad-.com" TXT].Name`,
		`DNSRecords["fabrikam.com" TXT]`,
		`DNSRecords["fabrikam.com" TXT].Strings[0]`,
		`DNSRecords["mail.fabrikam.com" A].IPAddress`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build() problems (-want +got):\n%s\n%v", diff, err)
	}
}

// TestBuildDNSHosts: node host names answer with the node's address, and
// the Spec's MX records are in the zone.
func TestBuildDNSHosts(t *testing.T) {
	s := contosoSpec()
	s.DNSRecords = []dns.Record{{Name: "contoso.com", Type: dns.TXT, Strings: []string{"v=spf1 mx -all"}}}
	tp, err := topology.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if !tp.DNS().Declared() {
		t.Error("DNS().Declared() = false, want true")
	}
	r := tp.DNS().Resolver()
	for _, m := range s.MXRecords {
		mx, err := r.LookupMX(context.Background(), m.Domain)
		if err != nil || len(mx) == 0 {
			t.Errorf("LookupMX(%s) = %v, %v, want the Spec's MX records", m.Domain, mx, err)
		}
	}
	for n := range tp.Nodes() {
		if !n.IPAddress.IsValid() {
			continue
		}
		for h := range n.Hosts() {
			ips, err := r.LookupIPAddr(context.Background(), h)
			if err != nil || len(ips) != 1 || ips[0].IP.String() != n.IPAddress.String() {
				t.Errorf("LookupIPAddr(%s) = %v, %v, want %s", h, ips, err, n.IPAddress)
			}
		}
	}
}

// TestBuildAntiPhishPolicy: defaults filled in, other values refused.
func TestBuildAntiPhishPolicy(t *testing.T) {
	s := contosoSpec()
	tp, err := topology.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := tp.Tenant("contoso")
	want := topology.AntiPhishPolicy{HonorDmarcPolicy: connector.True, DmarcRejectAction: "Reject", DmarcQuarantineAction: "Quarantine"}
	if got := x.AntiPhish(); got != want {
		t.Errorf("AntiPhish() = %+v, want the defaults %+v", got, want)
	}
	s.Tenants[0].AntiPhishPolicy = topology.AntiPhishPolicy{DmarcRejectAction: "Delete", DmarcQuarantineAction: "Reject"}
	_, err = topology.Build(s)
	var ve *topology.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 || ve.Problems[0].Field != "AntiPhishPolicy.DmarcQuarantineAction" || ve.Problems[1].Field != "AntiPhishPolicy.DmarcRejectAction" {
		t.Errorf("Build(bad actions) = %v, want two problems naming the fields", err)
	}
}

// TestBuildDNSOrder: the order of DNSRecords changes no answer.
func TestBuildDNSOrder(t *testing.T) {
	records := []dns.Record{
		{Name: "fabrikam.com", Type: dns.TXT, Strings: []string{"v=spf1 a -all"}},
		{Name: "fabrikam.com", Type: dns.TXT, Strings: []string{"google-site-verification=x"}},
		{Name: "fabrikam.com", Type: dns.A, IPAddress: "203.0.113.9"},
		{Name: "fabrikam.com", Type: dns.A, IPAddress: "203.0.113.1"},
		{Name: "fabrikam.com", Type: dns.AAAA, IPAddress: "2001:db8::1"},
	}
	answers := func(rs []dns.Record) string {
		s := contosoSpec()
		s.DNSRecords = rs
		tp, err := topology.Build(s)
		if err != nil {
			t.Fatal(err)
		}
		r := tp.DNS().Resolver()
		txt, _ := r.LookupTXT(context.Background(), "fabrikam.com")
		ips, _ := r.LookupIPAddr(context.Background(), "fabrikam.com")
		return fmt.Sprint(txt, ips)
	}
	want := answers(records)
	for _, o := range testopts.SpecOrders(3, 4) {
		p := o.Perm(len(records))
		rs := make([]dns.Record, len(records))
		for i, j := range p {
			rs[i] = records[j]
		}
		if got := answers(rs); got != want {
			t.Errorf("%s: answers %s, want %s", o.Name, got, want)
		}
	}
	if want != "[google-site-verification=x v=spf1 a -all] [{203.0.113.1 } {203.0.113.9 } {2001:db8::1 }]" {
		t.Errorf("answers = %s, want TXT and addresses in ascending order", want)
	}
}

// TestBuildDkimSigningConfig: Exchange Online signs with an accepted
// domain whose configuration is enabled, else with the initial domain
// (Microsoft: "Set up DKIM to sign mail from your Microsoft 365 domain");
// a domain the tenant does not accept, or listed twice, is refused.
func TestBuildDkimSigningConfig(t *testing.T) {
	s := minimalSpec()
	s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "contoso.net"})
	s.Tenants[0].DkimSigningConfig = []topology.DkimSigningConfig{{Domain: "Contoso.com", Enabled: true}, {Domain: "contoso.net"}}
	tp, err := topology.Build(s)
	require.NoError(t, err)
	x, _ := tp.Tenant("contoso")
	for from, want := range map[string]string{"contoso.com": "contoso.com", "CONTOSO.COM": "contoso.com", "contoso.net": "contoso.onmicrosoft.com", "other.example": "contoso.onmicrosoft.com"} {
		if d, sel := x.DkimSigner(from); d != want || sel != "selector1" {
			t.Errorf("DkimSigner(%s) = %s, %s; want %s, selector1", from, d, sel, want)
		}
	}
	s.Tenants[0].DkimSigningConfig = []topology.DkimSigningConfig{{Domain: "fabrikam.com", Enabled: true}, {Domain: "contoso.com"}, {Domain: "CONTOSO.com", Enabled: true}}
	_, err = topology.Build(s)
	var ve *topology.ValidationError
	require.ErrorAs(t, err, &ve)
	want := []topology.Problem{
		{Path: objT, Field: "DkimSigningConfig[0].Domain", Message: `"fabrikam.com" is not an accepted domain of the tenant`},
		{Path: objT, Field: "DkimSigningConfig[2].Domain", Message: `"CONTOSO.com" is configured twice`},
	}
	if diff := cmp.Diff(want, ve.Problems, testopts.Cmp); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestBuildArcTrustedSealers: the sealers' domains compare ignoring case;
// one that is not a domain name is refused.
func TestBuildArcTrustedSealers(t *testing.T) {
	s := minimalSpec()
	s.Tenants[0].ArcTrustedSealers = []string{"Fabrikam.com"}
	tp, err := topology.Build(s)
	require.NoError(t, err)
	x, _ := tp.Tenant("contoso")
	if !x.ArcTrusted("fabrikam.COM") || x.ArcTrusted("cpandl.com") {
		t.Errorf("ArcTrusted(fabrikam.COM, cpandl.com) = %t, %t; want true, false", x.ArcTrusted("fabrikam.COM"), x.ArcTrusted("cpandl.com"))
	}
	s.Tenants[0].ArcTrustedSealers = []string{"fabrikam.com", "not a domain"}
	_, err = topology.Build(s)
	var ve *topology.ValidationError
	require.ErrorAs(t, err, &ve)
	if len(ve.Problems) != 1 || ve.Problems[0].Field != "ArcTrustedSealers[1]" {
		t.Errorf("problems = %v, want one naming ArcTrustedSealers[1]", ve.Problems)
	}
}

// TestBuildOnPremisesDkimSigner: an organization's signer needs its
// selector, and is read in lower case.
func TestBuildOnPremisesDkimSigner(t *testing.T) {
	s := minimalSpec()
	s.OnPremises[0].DkimSigningDomain, s.OnPremises[0].DkimSelector = "Contoso.com", "Sel1"
	tp, err := topology.Build(s)
	require.NoError(t, err)
	o, _ := tp.OnPremisesOrg("contoso")
	if d, sel := o.DkimSigner(); d != "contoso.com" || sel != "sel1" {
		t.Errorf("DkimSigner() = %s, %s; want contoso.com, sel1", d, sel)
	}
	s.OnPremises[0].DkimSelector = ""
	_, err = topology.Build(s)
	var ve *topology.ValidationError
	require.ErrorAs(t, err, &ve)
	want := []topology.Problem{{Path: objO, Field: "DkimSigningDomain", Message: "is set without DkimSelector (s=)"}}
	if diff := cmp.Diff(want, ve.Problems, testopts.Cmp); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
