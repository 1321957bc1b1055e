// Package benchdata makes the large topology files the benchmarks load
// and trace.
package benchdata

import (
	"bytes"
	"fmt"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// File returns a hybrid topology file with the given number of
// recipients (the even ones Exchange Online mailboxes, the odd ones
// on-premises mailboxes, mail users in the tenant) and connectors (half
// inbound, half outbound, a pair for each partner domain), and one
// message from the Internet to the first two recipients.
func File(recipients, connectors int) scenario.File {
	tenant := topology.TenantSpec{Name: "contoso", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}}}
	onprem := topology.OnPremisesSpec{Name: "contoso", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
		Servers: []topology.ServerSpec{{Name: "EX01", Fqdn: "ex01.contoso.com", IPAddress: "203.0.113.10",
			Certificate: &topology.Certificate{CertificateDomains: []string{"ex01.contoso.com"}}}}}
	for i := range recipients {
		addr := Address(i)
		if i%2 == 0 {
			tenant.Recipients = append(tenant.Recipients, topology.Recipient{Name: addr, RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: addr})
		} else {
			tenant.Recipients = append(tenant.Recipients, topology.Recipient{Name: addr, RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: addr})
			onprem.Recipients = append(onprem.Recipients, topology.Recipient{Name: addr, RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: addr, Server: "EX01"})
		}
	}
	for i := range connectors / 2 {
		d := fmt.Sprintf("partner%03d.example", i)
		tenant.InboundConnectors = append(tenant.InboundConnectors, connector.Inbound{Name: "From " + d, ConnectorType: connector.Partner,
			SenderDomains: []string{d}, SenderIPAddresses: []string{fmt.Sprintf("198.51.%d.%d/32", 100+i/250, i%250)}, RestrictDomainsToIPAddresses: true})
		tenant.OutboundConnectors = append(tenant.OutboundConnectors, connector.Outbound{Name: "To " + d, ConnectorType: connector.Partner,
			RecipientDomains: []string{d}, UseMXRecord: connector.True, TlsSettings: connector.TlsEncryptionOnly})
	}
	return scenario.File{Description: fmt.Sprintf("%d recipients, %d connectors", recipients, connectors), Spec: topology.Spec{
		Tenants: []topology.TenantSpec{tenant}, OnPremises: []topology.OnPremisesSpec{onprem},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")}},
		Hybrid: []topology.HybridConfiguration{{Tenant: "contoso", OnPremises: "contoso", Domains: []string{"contoso.com"}, OnPremisesSmartHost: "ex01.contoso.com", TlsCertificateName: "ex01.contoso.com",
			SendingTransportServers: []string{"EX01"}, ReceivingTransportServers: []string{"EX01"}}},
	}, Messages: []scenario.FileMessage{{Name: "Internet to two users", Message: route.Message{From: "a@fabrikam.example", To: []string{Address(0), Address(1)}}}}}
}

// Address returns the address of recipient i of a File.
func Address(i int) string { return fmt.Sprintf("user%05d@contoso.com", i) }

// JSON returns File(recipients, connectors) in its canonical form.
func JSON(recipients, connectors int) []byte {
	f := File(recipients, connectors)
	var b bytes.Buffer
	if err := f.WriteJSON(&b); err != nil {
		panic(err) // a File of these types always writes
	}
	return b.Bytes()
}
