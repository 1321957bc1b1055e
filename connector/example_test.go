package connector_test

import (
	"fmt"

	"github.com/mailflowsim/mailflow/connector"
)

func ExampleParsePattern() {
	for _, s := range []string{"*.Contoso.com", "contoso.com", "--", "*", "a.*.contoso.com"} {
		p, err := connector.ParsePattern(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-14s contoso.com=%v sales.contoso.com=%v notcontoso.com=%v\n", p,
			p.Match("contoso.com", true), p.Match("sales.contoso.com", false), p.Match("notcontoso.com", false))
	}
	// Output:
	// *.contoso.com  contoso.com=true sales.contoso.com=true notcontoso.com=false
	// contoso.com    contoso.com=true sales.contoso.com=false notcontoso.com=false
	// --             contoso.com=true sales.contoso.com=false notcontoso.com=false
	// *              contoso.com=true sales.contoso.com=true notcontoso.com=true
	// ParsePattern("a.*.contoso.com"): a wildcard is allowed only as the whole first label (*.contoso.com)
}

// Microsoft's example of outbound connector selection: the most specific
// match wins, so sales.contoso.com goes to the wildcard connector rather
// than to the one for all accepted domains.
func ExampleOutboundTable_Lookup() {
	conns := []connector.Outbound{
		{Name: "Connector 1", ConnectorType: connector.OnPremises, AllAcceptedDomains: true},
		{Name: "Connector 2", ConnectorType: connector.OnPremises, RecipientDomains: []string{"contoso.com"}},
		{Name: "Connector 3", ConnectorType: connector.OnPremises, RecipientDomains: []string{"*.contoso.com"}},
	}
	accepted := map[string]bool{"contoso.com": true, "sales.contoso.com": true, "fabrikam.com": true, "contoso.onmicrosoft.com": true}
	table := connector.NewOutboundTable(conns, connector.MostSpecific)
	for _, domain := range []string{"fabrikam.com", "contoso.com", "sales.contoso.com", "tailspintoys.com"} {
		sel, ok := table.Lookup(domain, accepted[domain])
		if !ok {
			fmt.Printf("john@%s: no connector, delivered by MX\n", domain)
			continue
		}
		fmt.Printf("john@%s: %s (%s)\n", domain, conns[sel.Index].Name, sel.Pattern)
	}
	// Output:
	// john@fabrikam.com: Connector 1 (--)
	// john@contoso.com: Connector 2 (contoso.com)
	// john@sales.contoso.com: Connector 3 (*.contoso.com)
	// john@tailspintoys.com: no connector, delivered by MX
}

func ExampleSendTable_Lookup() {
	conns := []connector.Send{
		{Name: "To Internet", AddressSpaces: []string{"SMTP:*;1"}, SourceTransportServers: []string{"EX01", "EX02"}},
		{
			Name: "Outbound to Office 365", AddressSpaces: []string{"smtp:contoso.mail.onmicrosoft.com;1"},
			RequireTLS: true, TlsAuthLevel: "DomainValidation", TlsDomain: "mail.protection.outlook.com",
			SourceTransportServers: []string{"EX01"},
		},
		{Name: "To Fabrikam", AddressSpaces: []string{"*.fabrikam.com;10"}, DNSRoutingEnabled: connector.False, SmartHosts: []string{"192.0.2.25"}},
	}
	table := connector.NewSendTable(conns)
	for _, q := range []struct{ domain, server string }{
		{"contoso.mail.onmicrosoft.com", "EX01"},
		{"contoso.mail.onmicrosoft.com", "EX02"},
		{"eu.fabrikam.com", "EX02"},
		{"cpandl.com", "EX02"},
	} {
		sel, ok := table.Lookup(q.domain, false, q.server)
		if !ok {
			fmt.Printf("%s from %s: Unreachable\n", q.domain, q.server)
			continue
		}
		fmt.Printf("%s from %s: %s (%s, local %v)\n", q.domain, q.server, conns[sel.Index].Name, sel.Space, sel.Local)
	}
	// Output:
	// contoso.mail.onmicrosoft.com from EX01: Outbound to Office 365 (SMTP:contoso.mail.onmicrosoft.com;1, local true)
	// contoso.mail.onmicrosoft.com from EX02: Outbound to Office 365 (SMTP:contoso.mail.onmicrosoft.com;1, local false)
	// eu.fabrikam.com from EX02: To Fabrikam (SMTP:*.fabrikam.com;10, local true)
	// cpandl.com from EX02: To Internet (SMTP:*;1, local true)
}
