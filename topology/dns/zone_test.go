package dns_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mailflowsim/mailflow/topology/dns"
)

func TestNewZoneProblems(t *testing.T) {
	tests := []struct {
		name string
		rec  dns.Record
		want string // Problem.Where and Message, joined
	}{
		{"bad_name", dns.Record{Name: "not a name", Type: dns.TXT, Strings: []string{"x"}}, `DNSRecords["not a name" TXT].Name: "not a name" is not a domain name`},
		{"one_label", dns.Record{Name: "localhost", Type: dns.A, IPAddress: "192.0.2.1"}, `DNSRecords["localhost" A].Name: "localhost" is not a domain name`},
		{"bad_type", dns.Record{Name: "a.example", Type: "CNAME"}, `DNSRecords["a.example" CNAME].Type: "CNAME" is not TXT, A or AAAA`},
		{"mx_type", dns.Record{Name: "a.example", Type: "MX"}, `DNSRecords["a.example" MX].Type: MX records go in MXRecords`},
		{"txt_empty", dns.Record{Name: "a.example", Type: dns.TXT}, `DNSRecords["a.example" TXT].Strings: a TXT record needs at least one string`},
		{"txt_long", dns.Record{Name: "a.example", Type: dns.TXT, Strings: []string{strings.Repeat("x", 256)}}, `DNSRecords["a.example" TXT].Strings[0]: is 256 characters long`},
		{"txt_control", dns.Record{Name: "a.example", Type: dns.TXT, Strings: []string{"v=spf1\n-all"}}, `DNSRecords["a.example" TXT].Strings[0]: "v=spf1\n-all" has a character that is not printable ASCII at 6`},
		{"txt_ip", dns.Record{Name: "a.example", Type: dns.TXT, Strings: []string{"x"}, IPAddress: "192.0.2.1"}, `DNSRecords["a.example" TXT].IPAddress: a TXT record has no IPAddress`},
		{"a_ipv6", dns.Record{Name: "a.example", Type: dns.A, IPAddress: "2001:db8::1"}, `DNSRecords["a.example" A].IPAddress: "2001:db8::1" is not an IPv4 address`},
		{"aaaa_ipv4", dns.Record{Name: "a.example", Type: dns.AAAA, IPAddress: "192.0.2.1"}, `DNSRecords["a.example" AAAA].IPAddress: "192.0.2.1" is not an IPv6 address`},
		{"a_strings", dns.Record{Name: "a.example", Type: dns.A, IPAddress: "192.0.2.1", Strings: []string{"x"}}, `DNSRecords["a.example" A].Strings: an A record has no Strings`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := dns.NewZone([]dns.Record{tt.rec}, nil, nil)
			if len(ps) != 1 || !strings.HasPrefix(ps[0].Error(), tt.want) {
				t.Errorf("NewZone(%+v) problems = %v, want one starting %q", tt.rec, ps, tt.want)
			}
		})
	}
}

func TestNewZoneDuplicate(t *testing.T) {
	r := dns.Record{Name: "a.example", Type: dns.TXT, Strings: []string{"v=spf1 -all"}}
	r2 := r
	r2.Name = "A.Example."
	_, ps := dns.NewZone([]dns.Record{r, r2}, nil, nil)
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "declared twice") {
		t.Errorf("NewZone(duplicate) problems = %v, want one \"declared twice\"", ps)
	}
}

// TestResolver: answers, NXDOMAIN, no data and failures (RFC 1035; RFC 7208,
// section 4.3 and 2.6.6).
func TestResolver(t *testing.T) {
	z, ps := dns.NewZone([]dns.Record{
		{Name: "fabrikam.com", Type: dns.TXT, Strings: []string{"v=spf1 ", "-all"}},
		{Name: "fabrikam.com", Type: dns.TXT, Strings: []string{"a=b"}},
		{Name: "_dmarc.sub.fabrikam.com", Type: dns.TXT, Strings: []string{"v=DMARC1; p=none"}},
		{Name: "mail.fabrikam.com", Type: dns.A, IPAddress: "192.0.2.9"},
		{Name: "down.fabrikam.com", Type: dns.TXT, Strings: []string{"v=spf1 +all"}, Failing: true},
	}, []dns.MX{{Domain: "fabrikam.com", Preference: 10, NameExchange: "mx.fabrikam.com"}},
		[]dns.Host{{Name: "mx.fabrikam.com", IP: netip.MustParseAddr("192.0.2.5")}, {Name: "mail.fabrikam.com", IP: netip.MustParseAddr("192.0.2.6")}})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	r := z.Resolver()
	ctx := context.Background()
	got, err := r.LookupTXT(ctx, "FABRIKAM.com.")
	if diff := cmp.Diff([]string{"a=b", "v=spf1 -all"}, got); diff != "" || err != nil {
		t.Errorf("LookupTXT(fabrikam.com) = %v, %v: (-want +got)\n%s", got, err, diff)
	}
	ips, err := r.LookupIPAddr(ctx, "mail.fabrikam.com")
	if err != nil || len(ips) != 1 || ips[0].IP.String() != "192.0.2.9" {
		t.Errorf("LookupIPAddr(mail.fabrikam.com) = %v, %v, want the declared 192.0.2.9 only", ips, err)
	}
	ips, err = r.LookupIPAddr(ctx, "mx.fabrikam.com")
	if err != nil || len(ips) != 1 || ips[0].IP.String() != "192.0.2.5" {
		t.Errorf("LookupIPAddr(mx.fabrikam.com) = %v, %v, want the host's 192.0.2.5", ips, err)
	}
	mx, err := r.LookupMX(ctx, "fabrikam.com")
	if err != nil || len(mx) != 1 || mx[0].Host != "mx.fabrikam.com" {
		t.Errorf("LookupMX(fabrikam.com) = %v, %v", mx, err)
	}
	var de *net.DNSError
	if _, err := r.LookupTXT(ctx, "nowhere.fabrikam.com"); !errors.As(err, &de) || !de.IsNotFound {
		t.Errorf("LookupTXT(nowhere) error = %v, want NXDOMAIN", err)
	}
	// An empty non-terminal and a name with other types answer no data.
	for _, name := range []string{"sub.fabrikam.com", "mail.fabrikam.com"} {
		if got, err := r.LookupTXT(ctx, name); err != nil || len(got) != 0 {
			t.Errorf("LookupTXT(%s) = %v, %v, want no data", name, got, err)
		}
	}
	if _, err := r.LookupTXT(ctx, "down.fabrikam.com"); !errors.As(err, &de) || !de.IsTemporary {
		t.Errorf("LookupTXT(down) error = %v, want a temporary failure", err)
	}
	if _, err := r.LookupAddr(ctx, "192.0.2.9"); !errors.As(err, &de) || !de.IsNotFound {
		t.Errorf("LookupAddr error = %v, want NXDOMAIN", err)
	}
	if z.Declared() != true {
		t.Error("Declared() = false, want true")
	}
	var zero dns.Resolver
	if _, err := zero.LookupTXT(ctx, "fabrikam.com"); !errors.As(err, &de) || !de.IsNotFound {
		t.Errorf("zero Resolver LookupTXT error = %v, want NXDOMAIN", err)
	}
}

// FuzzNewZone: any records give problems or a zone, never a panic, and
// every valid name answers the same twice.
func FuzzNewZone(f *testing.F) {
	f.Add("fabrikam.com", "TXT", "v=spf1 ip4:192.0.2.0/24 -all", "", false)
	f.Add("mail.fabrikam.com", "A", "", "192.0.2.1", false)
	f.Add("mail.fabrikam.com", "AAAA", "", "2001:db8::1", true)
	f.Add("_dmarc.fabrikam.com.", "TXT", "v=DMARC1; p=reject", "", false)
	f.Add("x", "MX", "\x00", "::ffff:1.2.3.4", false)
	f.Fuzz(func(t *testing.T, name, typ, s, ip string, failing bool) {
		rec := dns.Record{Name: name, Type: dns.Type(typ), IPAddress: ip, Failing: failing}
		if s != "" {
			rec.Strings = strings.Split(s, "|")
		}
		z, ps := dns.NewZone([]dns.Record{rec, rec}, nil, nil)
		if len(ps) == 0 {
			t.Fatalf("NewZone(twice %+v) = no problem, want \"declared twice\"", rec)
		}
		r := z.Resolver()
		a, errA := r.LookupTXT(context.Background(), name)
		b, errB := r.LookupTXT(context.Background(), name)
		if !cmp.Equal(a, b) || (errA == nil) != (errB == nil) {
			t.Fatalf("LookupTXT(%q) differs between calls", name)
		}
	})
}
