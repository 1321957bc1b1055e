package route_test

import (
	"fmt"
	"os"
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

// The text form: one block per copy, a few lines per hop. With the MX
// on-premises, EX01 splits Internet mail and sends David's copy to EOP,
// where spam filtering is not effective (~AntiSpam): EOP sees EX01, not
// the Internet sender.
func ExampleResult_WriteText() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToOnPremises})
	res, _ := route.Trace(topo, route.Message{From: "sender@fabrikam.com", To: []string{"david@contoso.com"}})
	res.WriteText(os.Stdout)
	// Output:
	// sender@fabrikam.com -> david@contoso.com (enters at internet)
	// copy 0: david@contoso.com
	//   1 internet  Internet/InternetSender  -
	//       SEND: MX contoso.com: 10 mail.contoso.com (onprem:contoso/EX01)
	//   2 onprem:contoso/EX01  OnPremises/OnPremTransport  Anonymous/Incoming  via "Default Frontend EX01"
	//     TLS
	//       +AntiMalware +Compliance -AntiSpam +Journal
	//       -AntiSpam: Mailbox servers have no anti-spam agents unless Install-AntiSpamAgents.ps1 ran; EOP
	//         or an Edge Transport server filters spam
	//       RECEIVE RESOLVE SEND [Outbound to Office 365]: RemoteUserMailbox david@contoso.com:
	//         RemoteRoutingAddress david@contoso.mail.onmicrosoft.com; Send connector "Outbound to Office
	//         365" (SMTP:contoso.mail.onmicrosoft.com;1), DNS routing: MX contoso.mail.onmicrosoft.com: 0
	//         contoso-mail-onmicrosoft-com.mail.protection.outlook.com (eop:contoso)
	//   3 eop:contoso  EOP  Anonymous/Originating  via "Inbound from contoso" (cross-premises headers
	//     promoted)  TLS
	//       +ConnectionFilter +DBEB -AntiMalware +TransportRules ~AntiSpam +Journal
	//       -AntiMalware: malware scanning runs in Exchange Online, the next hop
	//       ~AntiSpam: the message reached EOP from onprem:contoso/EX01, not from the Internet sender: EOP
	//         sees that host, not the sender, and cannot filter spam effectively; Enhanced Filtering for
	//         Connectors is not configured
	//       RECEIVE SEND: contoso.mail.onmicrosoft.com is an accepted domain (Authoritative) of tenant
	//         contoso: EOP routes the message to Exchange Online
	//   4 exo:contoso  ExchangeOnline  Anonymous/Originating  TLS
	//       +AntiMalware -TransportRules -Journal
	//       -TransportRules: the tenant's mail flow rules already ran in this organization at hop 3
	//       -Journal: journal rules already ran in this organization at hop 3
	//       RECEIVE RESOLVE DELIVER: david@contoso.mail.onmicrosoft.com is a proxy address of UserMailbox
	//         david@contoso.com, which is in Exchange Online
	//   => david@contoso.com: Delivered at hop 4 (exo:contoso)
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
