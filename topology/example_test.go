package topology_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/topology"
)

func ExampleBuild() {
	topo, err := topology.Build(topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
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
	for n := range topo.Nodes() {
		line := fmt.Sprintf("%-20s %-14s %s", n.ID, n.Kind, strings.Join(slices.Collect(n.Hosts()), " "))
		fmt.Println(strings.TrimRight(line, " "))
	}
	mx := slices.Collect(topo.MX("contoso.com"))[0]
	n, _ := topo.ResolveHost(mx.NameExchange)
	fmt.Println("MX contoso.com:", mx.NameExchange, "->", n.ID)
	// Output:
	// eop:contoso          EOP            contoso-com.mail.protection.outlook.com contoso-mail-onmicrosoft-com.mail.protection.outlook.com contoso-onmicrosoft-com.mail.protection.outlook.com
	// exo:contoso          ExchangeOnline
	// internet             Internet
	// onprem:contoso/EX01  OnPremises     ex01.contoso.com mail.contoso.com
	// MX contoso.com: contoso-com.mail.protection.outlook.com -> eop:contoso
}

func ExampleBuild_invalid() {
	_, err := topology.Build(topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Recipients: []topology.Recipient{
				{Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@fabrikam.com"},
			},
		}},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", Preference: 10, NameExchange: "mail.contoso.com"}},
	})
	fmt.Println(err)
	// Output:
	// topology: 2 problems:
	//	MXRecords["contoso.com" 10 "mail.contoso.com"].NameExchange: MX to nowhere: no node has the host name mail.contoso.com
	//	Tenants["contoso"].Recipients["david@fabrikam.com"].PrimarySmtpAddress: fabrikam.com is not an accepted domain of the organization
}

// ExampleTenant_RemoteDomain: the most specific remote domain applies to a
// recipient domain; an unset AutoForwardEnabled reads as $true in
// Exchange Online.
func ExampleTenant_RemoteDomain() {
	topo, err := topology.Build(topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name: "contoso",
			RemoteDomains: []topology.RemoteDomain{
				{Name: "Default", DomainName: "*"},
				{Name: "Fabrikam", DomainName: "*.fabrikam.com", AutoForwardEnabled: connector.False},
			},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	x, _ := topo.Tenant("contoso")
	for _, d := range []string{"cpandl.com", "fabrikam.com", "mail.fabrikam.com"} {
		r, _ := x.RemoteDomain(d)
		fmt.Println(d, r.Name, r.AutoForwardEnabled)
	}
	// Output:
	// cpandl.com Default $true
	// fabrikam.com Fabrikam $false
	// mail.fabrikam.com Fabrikam $false
}
