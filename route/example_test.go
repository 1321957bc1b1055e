package route_test

import (
	"fmt"
	"slices"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
)

// David (Exchange Online) writes to Erin on the Internet while
// centralized mail transport is on: EOP sends the message on-premises
// first, which sends it to cpandl.com's MX host.
func ExampleTrace() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP, CentralizedTransport: true})
	res, err := route.Trace(topo, route.Message{From: "david@contoso.com", To: []string{"erin@cpandl.com"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	erin := res.Recipients[0]
	for _, h := range erin.Hops {
		line := fmt.Sprintf("%-20s %-15s %v", h.Node, h.Kind, h.Events)
		if h.Connector != "" {
			line += " via " + h.Connector
		}
		fmt.Println(line)
	}
	fmt.Println(erin.Disposition)
	// Output:
	// exo:contoso          ExchangeOnline  [RECEIVE SEND]
	// eop:contoso          EOP             [RECEIVE SEND] via Outbound to contoso
	// onprem:contoso/EX01  OnPremises      [RECEIVE SEND] via To Internet
	// ext:cpandl           Internet        [RECEIVE]
	// Relayed
}

// Internet mail to an address nobody has in contoso.com is rejected by
// Directory-Based Edge Blocking at EOP.
func ExampleTrace_rejected() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{From: "sender@fabrikam.com", To: []string{"nobody@contoso.com"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := res.Recipients[0]
	fmt.Println(r.Disposition, r.Status)
	fmt.Println(r.Hops[len(r.Hops)-1].Reason)
	// Output:
	// Rejected 550 5.4.1 Recipient address rejected: Access denied
	// nobody@contoso.com is no recipient of tenant contoso and contoso.com is Authoritative: Directory-Based Edge Blocking rejects it at RCPT TO
}

// A message given an EOP node as origin arrives there from the Internet.
func ExampleMessage_origin() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToOnPremises})
	eop := slices.Collect(topo.Tenants())[0].EOP()
	res, _ := route.Trace(topo, route.Message{From: "sender@fabrikam.com", To: []string{"david@contoso.com"}, Origin: eop})
	for _, h := range res.Recipients[0].Hops {
		fmt.Println(h.Node, h.AuthAs, h.Directionality)
	}
	// Output:
	// eop:contoso Anonymous Incoming
	// exo:contoso Anonymous Incoming
}
