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
	}, nil, nil)
	for _, ip := range []string{"203.0.113.5", "198.51.100.66"} {
		spf := auth.CheckSPF(z.Resolver(), netip.MustParseAddr(ip), "erin@fabrikam.com", "mail.fabrikam.com")
		dmarc := auth.CheckDMARC(z.Resolver(), "fabrikam.com", spf)
		dmarc.Action = "none" // Exchange's decision: see route
		c := auth.Composite(spf, dmarc, false)
		r := auth.Results{SPF: &spf, DMARC: &dmarc, CompAuth: &c}
		fmt.Println(r.Header())
	}
	// Output:
	// spf=pass (sender IP is 203.0.113.5) smtp.mailfrom=fabrikam.com; dkim=none (message not signed) header.d=none;dmarc=pass action=none header.from=fabrikam.com;compauth=pass reason=100
	// spf=fail (sender IP is 198.51.100.66) smtp.mailfrom=fabrikam.com; dkim=none (message not signed) header.d=none;dmarc=fail action=none header.from=fabrikam.com;compauth=fail reason=000
}
