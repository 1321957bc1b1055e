package dns_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/mailflowsim/mailflow/topology/dns"
)

func ExampleZone_Resolver() {
	z, problems := dns.NewZone([]dns.Record{
		{Name: "fabrikam.com", Type: dns.TXT, Strings: []string{"v=spf1 mx ", "-all"}},
		{Name: "down.fabrikam.com", Type: dns.TXT, Strings: []string{"v=spf1 +all"}, Failing: true},
	}, []dns.MX{{Domain: "fabrikam.com", Preference: 10, NameExchange: "mail.fabrikam.com"}},
		[]dns.Host{{Name: "mail.fabrikam.com", IP: netip.MustParseAddr("203.0.113.5")}})
	fmt.Println(problems)
	r := z.Resolver()
	for _, name := range []string{"fabrikam.com", "mail.fabrikam.com", "nowhere.fabrikam.com", "down.fabrikam.com"} {
		txt, err := r.LookupTXT(context.Background(), name)
		fmt.Printf("%s: %q %v\n", name, txt, err)
	}
	ips, _ := r.LookupIPAddr(context.Background(), "mail.fabrikam.com")
	fmt.Println(ips)
	// Output:
	// []
	// fabrikam.com: ["v=spf1 mx -all"] <nil>
	// mail.fabrikam.com: [] <nil>
	// nowhere.fabrikam.com: [] lookup nowhere.fabrikam.com: no such host
	// down.fabrikam.com: [] lookup down.fabrikam.com: server misbehaving
	// [{203.0.113.5 }]
}
