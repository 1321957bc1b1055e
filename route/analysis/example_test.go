package analysis_test

import (
	"fmt"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

func ExampleAnalyze() {
	s, _ := scenario.Lookup("connector-selection")
	for _, f := range analysis.Analyze(s.Variants[1].Topology) { // ListedOrder
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
	for _, f := range analysis.Check(topo) {
		fmt.Println(f.Rule)
		fmt.Println(f.Objects)
		fmt.Println(f.Message)
		fmt.Println(f.Source)
	}
	// Output:
	// CentralizedTransportScopedToAcceptedDomains
	// [Tenants["contoso"].OutboundConnectors["To on-premises"]]
	// Tenants["contoso"].OutboundConnectors["To on-premises"] has RouteAllMessagesViaOnPremises $true and AllAcceptedDomains $true: a centralized mail transport connector must not be scoped to the accepted domains; mail loops between Exchange Online and on-premises until it is rejected with 554 5.4.14 Hop count exceeded - possible mail loop
	// reference §5.3, §11, §15 D21 [Loop-EXO]
}
