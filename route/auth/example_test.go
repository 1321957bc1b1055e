package auth_test

import (
	"fmt"
	"net/netip"

	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/topology/dns"
)

func ExampleCheckSPF() {
	z, _ := dns.NewZone([]dns.Record{
		{Name: "fabrikam.com", Type: dns.TXT, Strings: []string{"v=spf1 ip4:203.0.113.0/24 -all"}},
		{Name: "_dmarc.fabrikam.com", Type: dns.TXT, Strings: []string{"v=DMARC1; p=reject"}},
		{Name: "s1._domainkey.fabrikam.com", Type: dns.TXT, Strings: []string{"v=DKIM1; k=rsa; p=MIIB"}},
	}, nil, nil)
	for _, ip := range []string{"203.0.113.5", "198.51.100.66"} {
		spf := auth.CheckSPF(z.Resolver(), netip.MustParseAddr(ip), "erin@fabrikam.com", "mail.fabrikam.com")
		dkim := auth.CheckDKIM(z.Resolver(), "", "", false) // unsigned
		dmarc := auth.CheckDMARC(z.Resolver(), "fabrikam.com", spf, dkim)
		dmarc.Action = "none" // Exchange's decision: see route
		c := auth.Composite(spf, dmarc, false)
		r := auth.Results{SPF: &spf, DKIM: &dkim, DMARC: &dmarc, CompAuth: &c}
		fmt.Println(r.Header())
	}
	// Output:
	// spf=pass (sender IP is 203.0.113.5) smtp.mailfrom=fabrikam.com; dkim=none (message not signed) header.d=none;dmarc=pass action=none header.from=fabrikam.com;compauth=pass reason=100
	// spf=fail (sender IP is 198.51.100.66) smtp.mailfrom=fabrikam.com; dkim=none (message not signed) header.d=none;dmarc=fail action=none header.from=fabrikam.com;compauth=fail reason=000
}

// A message forwarded from another address fails SPF, but its DKIM
// signature, made by fabrikam.com, still verifies and is aligned with the
// From domain, so DMARC passes; a footer added on the way breaks it.
func ExampleCheckDKIM() {
	z, _ := dns.NewZone([]dns.Record{
		{Name: "fabrikam.com", Type: dns.TXT, Strings: []string{"v=spf1 ip4:203.0.113.0/24 -all"}},
		{Name: "_dmarc.fabrikam.com", Type: dns.TXT, Strings: []string{"v=DMARC1; p=reject"}},
		{Name: "s1._domainkey.fabrikam.com", Type: dns.TXT, Strings: []string{"v=DKIM1; k=rsa; p=MIIB"}},
	}, nil, nil)
	spf := auth.CheckSPF(z.Resolver(), netip.MustParseAddr("198.51.100.66"), "erin@fabrikam.com", "relay.example")
	for _, footer := range []bool{false, true} {
		dkim := auth.CheckDKIM(z.Resolver(), "fabrikam.com", "s1", footer)
		dmarc := auth.CheckDMARC(z.Resolver(), "fabrikam.com", spf, dkim)
		fmt.Printf("dkim=%s (%s) dmarc=%s\n", dkim.Result, dkim.Reason, dmarc.Result)
	}
	// Output:
	// dkim=pass (signature was verified) dmarc=pass
	// dkim=fail (body hash did not verify) dmarc=fail
}
