package render_test

import (
	"os"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// The text form: one block per copy, a few lines per hop. With the MX
// on-premises, EX01 splits Internet mail and sends David's copy to EOP,
// where spam filtering is not effective (~AntiSpam): EOP sees EX01, not
// the Internet sender.
func ExampleText() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToOnPremises})
	res, _ := route.Trace(topo, route.Message{From: "sender@fabrikam.com", To: []string{"david@contoso.com"}})
	render.Text(os.Stdout, res)
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

// The message trace of Internet mail to Julie (on-premises) and David
// (Exchange Online) with MX to EOP: Exchange Online resolves both, sends
// Julie's copy back through EOP to on-premises and delivers David's.
func ExampleMessageTrace() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{
		From: "sender@fabrikam.com",
		To:   []string{"julie@contoso.com", "david@contoso.com"},
	})
	if err != nil {
		panic(err)
	}
	if err := render.MessageTrace(os.Stdout, res); err != nil {
		panic(err)
	}
	// Output:
	// Seq  Hop  EventId   Source       Server               ConnectorId            Copy  Recipients                           RecipientStatus  Directionality
	// 1    1    SEND      SMTP         internet             -                      0     julie@contoso.com;david@contoso.com  -                -
	// 2    2    RECEIVE   SMTP         eop:contoso          -                      0     julie@contoso.com;david@contoso.com  -                Incoming
	// 3    2    SEND      SMTP         eop:contoso          -                      0     julie@contoso.com;david@contoso.com  -                Incoming
	// 4    3    RECEIVE   SMTP         exo:contoso          -                      0     julie@contoso.com;david@contoso.com  -                Incoming
	// 5    3    TRANSFER  ROUTING      exo:contoso          -                      1     david@contoso.com                    -                Incoming
	// 6    3    SEND      SMTP         exo:contoso          -                      0     julie@contoso.com                    -                Incoming
	// 7    3    DELIVER   STOREDRIVER  exo:contoso          -                      1     david@contoso.com                    -                Incoming
	// 8    4    RECEIVE   SMTP         eop:contoso          -                      0     julie@contoso.com                    -                Incoming
	// 9    4    SEND      SMTP         eop:contoso          Outbound to contoso    0     julie@contoso.com                    -                Incoming
	// 10   5    RECEIVE   SMTP         onprem:contoso/EX01  Default Frontend EX01  0     julie@contoso.com                    -                Incoming
	// 11   5    SEND      SMTP         onprem:contoso/EX01  -                      0     julie@contoso.com                    -                Incoming
	// 12   6    RECEIVE   SMTP         onprem:contoso/EX02  -                      0     julie@contoso.com                    -                Incoming
	// 13   6    DELIVER   STOREDRIVER  onprem:contoso/EX02  -                      0     julie@contoso.com                    -                Incoming
}

// The same message as a Mermaid sequence diagram: the arrows of copy 0,
// Julie's delivery, then copy 1, split off for David in Exchange Online.
func ExampleMermaidSequence() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{
		From: "sender@fabrikam.com",
		To:   []string{"julie@contoso.com", "david@contoso.com"},
	})
	if err != nil {
		panic(err)
	}
	if err := render.MermaidSequence(os.Stdout, res); err != nil {
		panic(err)
	}
	// Output:
	// sequenceDiagram
	//   %% sender@fabrikam.com -> julie@contoso.com, david@contoso.com
	//   participant p0 as internet
	//   participant p1 as eop:contoso
	//   participant p2 as exo:contoso
	//   participant p3 as onprem:contoso/EX01
	//   participant p4 as onprem:contoso/EX02
	//   p0->>p1: copy 0, hop 1: SEND
	//   p1->>p2: copy 0, hop 2: SEND
	//   p2->>p1: copy 0, hop 3: SEND
	//   p1->>p3: copy 0, hop 4: SEND [Outbound to contoso]
	//   p3->>p4: copy 0, hop 5: SEND
	//   Note over p4: julie@contoso.com: Delivered
	//   Note over p2: copy 1 split from copy 0 at hop 3 for david@contoso.com
	//   Note over p2: david@contoso.com: Delivered
}

// David, in Exchange Online, writes to Erin on the Internet with
// contoso.com's MX on EOP: a Mermaid flowchart of the route.
func ExampleMermaidFlowchart() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{From: "david@contoso.com", To: []string{"erin@cpandl.com"}})
	if err != nil {
		panic(err)
	}
	if err := render.MermaidFlowchart(os.Stdout, res); err != nil {
		panic(err)
	}
	// Output:
	// flowchart LR
	//   %% david@contoso.com -> erin@cpandl.com
	//   n0["exo:contoso<br/>ExchangeOnline, hop 1"]
	//   n1["eop:contoso<br/>EOP, hop 2"]
	//   n2["ext:cpandl<br/>Internet, hop 3"]
	//   r0(["erin@cpandl.com<br/>Relayed"])
	//   n0 -->|"hop 1: SEND"| n1
	//   n1 -->|"hop 2: SEND"| n2
	//   n2 -->|"RECEIVE"| r0
	//   classDef relayed fill:#bbdefb,stroke:#1565c0,color:#000000
	//   class r0 relayed
}

// The same route as a Graphviz digraph, for dot -Tsvg.
func ExampleDOT() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{From: "david@contoso.com", To: []string{"erin@cpandl.com"}})
	if err != nil {
		panic(err)
	}
	if err := render.DOT(os.Stdout, res); err != nil {
		panic(err)
	}
	// Output:
	// digraph trace {
	//   rankdir=LR;
	//   label="david@contoso.com -> erin@cpandl.com";
	//   labelloc=t;
	//   fontname="Helvetica";
	//   node [shape=box, fontname="Helvetica", fontsize=11];
	//   edge [fontname="Helvetica", fontsize=9];
	//   n0 [label="exo:contoso\nExchangeOnline, hop 1"];
	//   n1 [label="eop:contoso\nEOP, hop 2"];
	//   n2 [label="ext:cpandl\nInternet, hop 3"];
	//   r0 [label="erin@cpandl.com\nRelayed", style="rounded,filled", fillcolor="#bbdefb", color="#1565c0"];
	//   n0 -> n1 [label="hop 1: SEND"];
	//   n1 -> n2 [label="hop 2: SEND"];
	//   n2 -> r0 [label="RECEIVE"];
	// }
}

// exampleTopology is a tenant alone, contoso.com's MX on EOP.
func exampleTopology() *topology.Topology {
	topo, err := topology.Build(topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
		}},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", Preference: 0, NameExchange: "contoso-com.mail.protection.outlook.com"}},
	})
	if err != nil {
		panic(err)
	}
	return topo
}

// A tenant alone as a Mermaid flowchart: its EOP and Exchange Online
// nodes, the Internet, and the MX records of its domains.
func ExampleTopologyMermaid() {
	if err := render.TopologyMermaid(os.Stdout, exampleTopology()); err != nil {
		panic(err)
	}
	// Output:
	// flowchart LR
	//   subgraph c0["tenant contoso"]
	//     n0["eop:contoso<br/>EOP"]
	//     n1["exo:contoso<br/>ExchangeOnline"]
	//   end
	//   subgraph c1["Internet"]
	//     n2["internet<br/>Internet"]
	//   end
	//   subgraph c2["DNS (MX records)"]
	//     d0(["contoso.com"])
	//     d1(["contoso.mail.onmicrosoft.com"])
	//     d2(["contoso.onmicrosoft.com"])
	//   end
	//   d0 -->|"MX 0"| n0
	//   d1 -->|"MX 0"| n0
	//   d2 -->|"MX 0"| n0
	//   n0 -.->|"accepted domains"| n1
	//   n1 -.->|"outgoing mail"| n0
}

// The same tenant as a Graphviz digraph.
func ExampleTopologyDOT() {
	if err := render.TopologyDOT(os.Stdout, exampleTopology()); err != nil {
		panic(err)
	}
	// Output:
	// digraph topology {
	//   rankdir=LR;
	//   fontname="Helvetica";
	//   node [shape=box, fontname="Helvetica", fontsize=11];
	//   edge [fontname="Helvetica", fontsize=9];
	//   subgraph cluster_0 {
	//     label="tenant contoso";
	//     style=rounded;
	//     n0 [label="eop:contoso\nEOP"];
	//     n1 [label="exo:contoso\nExchangeOnline"];
	//   }
	//   subgraph cluster_1 {
	//     label="Internet";
	//     style=rounded;
	//     n2 [label="internet\nInternet"];
	//   }
	//   subgraph cluster_2 {
	//     label="DNS (MX records)";
	//     style=rounded;
	//     d0 [label="contoso.com", shape=ellipse];
	//     d1 [label="contoso.mail.onmicrosoft.com", shape=ellipse];
	//     d2 [label="contoso.onmicrosoft.com", shape=ellipse];
	//   }
	//   d0 -> n0 [label="MX 0"];
	//   d1 -> n0 [label="MX 0"];
	//   d2 -> n0 [label="MX 0"];
	//   n0 -> n1 [label="accepted domains", style=dashed];
	//   n1 -> n0 [label="outgoing mail", style=dashed];
	// }
}
