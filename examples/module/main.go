// Command module is the program of the README's "Use it from your module":
// a tenant whose partner must use TLS with its certificate, built from a
// Spec and traced both ways.
package main

import (
	"fmt"
	"os"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

func main() {
	topo, err := topology.Build(topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Recipients: []topology.Recipient{
				{Name: "Megan", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "megan@contoso.com"},
			},
			InboundConnectors: []connector.Inbound{{
				Name: "From ContosoBank", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"},
				RequireTls: connector.True, TlsSenderCertificateName: "mail.contosobank.com", RestrictDomainsToCertificate: true,
			}},
		}},
		External: []topology.ExternalSpec{{
			Name: "contosobank", Kind: topology.Partner, Domains: []string{"contosobank.com"}, Hosts: []string{"mail.contosobank.com"},
			Certificate: &topology.Certificate{CertificateDomains: []string{"mail.fabrikam.com"}}, // the wrong one
		}},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // every problem, each naming its object and field
		os.Exit(2)
	}
	res, err := route.Trace(topo, route.Message{From: "sam@contosobank.com", To: []string{"megan@contoso.com"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, r := range res.Recipients {
		last := r.Hops[len(r.Hops)-1]
		fmt.Printf("%s: %s at %s, %s\n", r.Address, r.Disposition, last.Node, r.Status)
		fmt.Printf("  inbound connector %q, TLS failure %s\n", last.InboundConnector, last.TLS.Failure)
	}
}
