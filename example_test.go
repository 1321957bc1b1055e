package mailflow_test

import (
	"fmt"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
)

// Internet mail to Julie (on-premises) and David (Exchange Online) when
// contoso.com's MX points to EOP: Exchange Online splits the message.
func Example() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{
		From: "sender@fabrikam.com",
		To:   []string{"julie@contoso.com", "david@contoso.com"},
	})
	if err != nil {
		panic(err)
	}
	for _, r := range res.Recipients {
		fmt.Printf("%s: %s\n", r.Address, r.Disposition)
		for _, h := range r.Hops {
			fmt.Printf("  %-20s %v\n", h.Node, h.Events)
		}
	}
	for _, c := range res.Copies[1:] {
		fmt.Printf("copy %d split at %s for %v\n", c.ID, c.SplitNode, c.Recipients)
	}
	// Output:
	// julie@contoso.com: Delivered
	//   internet             [SEND]
	//   eop:contoso          [RECEIVE SEND]
	//   exo:contoso          [RECEIVE SEND]
	//   eop:contoso          [RECEIVE SEND]
	//   onprem:contoso/EX01  [RECEIVE SEND]
	//   onprem:contoso/EX02  [RECEIVE DELIVER]
	// david@contoso.com: Delivered
	//   internet             [SEND]
	//   eop:contoso          [RECEIVE SEND]
	//   exo:contoso          [RECEIVE TRANSFER DELIVER]
	// copy 1 split at exo:contoso for [david@contoso.com]
}
