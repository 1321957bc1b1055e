package analysis_test

import (
	"cmp"
	"fmt"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// fabrikam is a cloud-only tenant with one mailbox, its MX at EOP, and
// one Internet domain, cpandl.com.
func fabrikam() *topology.Topology {
	topo, err := topology.Build(topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "fabrikam",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "fabrikam.com"}},
			Recipients:      []topology.Recipient{{Name: "Ana", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "ana@fabrikam.com"}},
		}},
		External: []topology.ExternalSpec{{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}, IPAddress: "198.51.100.7"}},
		MXRecords: []topology.MXRecord{
			{Domain: "fabrikam.com", NameExchange: "fabrikam-com.mail.protection.outlook.com"},
			{Domain: "cpandl.com", NameExchange: "mx.cpandl.com", Preference: 10},
		},
	})
	if err != nil {
		panic(err)
	}
	return topo
}

func ExampleFlowClasses() {
	classes, err := analysis.FlowClasses(fabrikam())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range classes {
		if c.Sender == "ext:cpandl" {
			fmt.Printf("%s: %s -> %s\n", c.Key(), c.Message.From, c.Message.To[0])
		}
	}
	// Output:
	// ext:cpandl -> fabrikam.com mailbox exo:fabrikam: someone@cpandl.com -> ana@fabrikam.com
	// ext:cpandl -> fabrikam.com unknown: someone@cpandl.com -> unknown-recipient@fabrikam.com
	// ext:cpandl -> fabrikam.mail.onmicrosoft.com unknown: someone@cpandl.com -> unknown-recipient@fabrikam.mail.onmicrosoft.com
	// ext:cpandl -> fabrikam.onmicrosoft.com unknown: someone@cpandl.com -> unknown-recipient@fabrikam.onmicrosoft.com
	// ext:cpandl -> external cpandl.com: someone@cpandl.com -> someone@cpandl.com
	// ext:cpandl -> Internet: someone@cpandl.com -> someone@internet-recipient.example
}

func ExampleReachability() {
	flows, err := analysis.Reachability(fabrikam())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range flows {
		if r.Class.SenderKind == analysis.FlowMailbox {
			fmt.Printf("%s: %s\n", r.Class.Key(), r.Outcome())
		}
	}
	// Output:
	// mailbox exo:fabrikam -> fabrikam.com mailbox exo:fabrikam: Delivered
	// mailbox exo:fabrikam -> fabrikam.com unknown: Rejected 550 5.1.10
	// mailbox exo:fabrikam -> fabrikam.mail.onmicrosoft.com unknown: Rejected 550 5.1.10
	// mailbox exo:fabrikam -> fabrikam.onmicrosoft.com unknown: Rejected 550 5.1.10
	// mailbox exo:fabrikam -> external cpandl.com: Relayed
	// mailbox exo:fabrikam -> Internet: Relayed
}

func ExampleDiff() {
	before := fabrikam()
	after, err := before.With(topology.TakeHostDown("cpandl"))
	if err != nil {
		fmt.Println(err)
		return
	}
	diffs, err := analysis.Diff(before, after)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range diffs {
		a, b := d.A.Recipients[0], d.B.Recipients[0]
		fmt.Println(d.Class.Key(), d.Aspects)
		fmt.Println(" ", a.Disposition, "->", b.Disposition, cmp.Or(b.Status.Short(), "(no status)"))
	}
	// Output:
	// Internet -> external cpandl.com [Disposition Path Connector Filtering Attribution TLS]
	//   Relayed -> Deferred (no status)
	// ext:cpandl -> external cpandl.com [Disposition]
	//   Relayed -> Deferred (no status)
	// mailbox exo:fabrikam -> external cpandl.com [Disposition Status Path Connector Filtering Attribution TLS]
	//   Relayed -> Deferred 450 4.4.316
}

func ExampleAnalyze() {
	s, _ := scenario.Lookup("connector-selection")
	findings, err := analysis.Analyze(s.Variants[1].Topology)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings { // ListedOrder
		if f.Rule == analysis.RuleUnusedConnector {
			fmt.Println(f.Rule, f.Objects)
			fmt.Println(f.Message)
		}
	}
	// Output:
	// UnusedConnector [Tenants["contoso"].OutboundConnectors["Connector 3"]]
	// outbound connector "Connector 3" sends no flow class's mail: another connector (more specific, or listed first), a mail flow rule scope or DNS routing takes all of it
}

func ExampleCheck() {
	topo, err := topology.Build(topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			OutboundConnectors: []connector.Outbound{{
				Name: "To on-premises", ConnectorType: connector.OnPremises,
				AllAcceptedDomains: true, RouteAllMessagesViaOnPremises: true,
				UseMXRecord: connector.False, SmartHosts: []string{"mail.contoso.com"},
			}},
		}},
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Servers:         []topology.ServerSpec{{Name: "EX01", Fqdn: "ex01.contoso.com", Hosts: []string{"mail.contoso.com"}}},
		}},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", Preference: 0, NameExchange: "contoso-com.mail.protection.outlook.com"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	findings, err := analysis.Check(topo)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings {
		fmt.Println(f.Rule)
		fmt.Println(f.Objects)
		fmt.Println(f.Message)
		fmt.Println(f.Source)
	}
	// Output:
	// CentralizedTransportScopedToAcceptedDomains
	// [Tenants["contoso"].OutboundConnectors["To on-premises"]]
	// Tenants["contoso"].OutboundConnectors["To on-premises"] has RouteAllMessagesViaOnPremises $true and AllAcceptedDomains $true: a centralized mail transport connector must not be scoped to the accepted domains; Microsoft documents that mail then loops between Exchange Online and on-premises until it is rejected with 554 5.4.14 Hop count exceeded - possible mail loop. It does not document how, so traces do not reproduce the loop (docs/behaviour.md, D21)
	// Fix email delivery issues for error codes 5.4.6 through 5.4.20 in Exchange Online
}
