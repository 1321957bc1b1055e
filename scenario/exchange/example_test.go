package exchange_test

import (
	"fmt"
	"testing/fstest"

	"github.com/mailflowsim/mailflow/scenario/exchange"
)

// ExampleImport imports the JSON Exchange Online writes for
// Get-OutboundConnector | ConvertTo-Json: the "smtp:" prefix and ";1"
// cost go, the TlsSettings enum is read by name, a null carries no
// setting, and the property the simulator does not model becomes a note.
func ExampleImport() {
	export := `{
  "Name": "To Fabrikam", "Identity": "To Fabrikam", "ConnectorType": "Partner",
  "RecipientDomains": ["smtp:fabrikam.com;1"], "UseMXRecord": true, "SmartHosts": [],
  "TlsSettings": "DomainValidation", "TlsDomain": "mail.fabrikam.com", "RouteAllMessagesViaOnPremises": null,
  "MtaStsMode": "Enforce",
  "OrganizationId": "NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com"
}`
	f, notes, err := exchange.Import("Get-OutboundConnector.json", []byte(export))
	if err != nil {
		panic(err)
	}
	c := f.Spec.Tenants[0].OutboundConnectors[0]
	fmt.Println(f.Spec.Tenants[0].Name, c.Name, c.RecipientDomains, c.UseMXRecord, c.TlsSettings, c.TlsDomain)
	for _, n := range notes {
		fmt.Println(n)
	}
	// Output:
	// contoso To Fabrikam [fabrikam.com] $true DomainValidation mail.fabrikam.com
	// Get-OutboundConnector.json[0]("To Fabrikam").MtaStsMode: not imported: not modelled by the simulator (value "Enforce")
}

// ExampleImportFS imports a directory of exports: an Exchange Online
// accepted domain and mailbox written by ConvertTo-Json, and an
// on-premises Send connector. The tenant is named by its
// "*.onmicrosoft.com" domain; the Send connector's organization by its
// DistinguishedName, and its server gets an Fqdn from the Active
// Directory domain, with a note.
func ExampleImportFS() {
	const hosted = "NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com"
	fsys := fstest.MapFS{
		"ExoGetAcceptedDomain.json": {Data: []byte(`[
  {"DomainName": "contoso.com", "DomainType": "Authoritative", "OrganizationId": "` + hosted + `"},
  {"DomainName": "contoso.onmicrosoft.com", "DomainType": "Authoritative", "OrganizationId": "` + hosted + `"}
]`)},
		"ExoGetMailbox.json": {Data: []byte(`{"Name": "David", "RecipientTypeDetails": "UserMailbox",
  "PrimarySmtpAddress": "david@contoso.com", "OrganizationId": "` + hosted + `"}`)},
		"GetSendConnector.json": {Data: []byte(`{"Name": "To the Internet", "AddressSpaces": ["SMTP:*;1"],
  "SourceTransportServers": [{"Name": "EX01", "DistinguishedName": "CN=EX01,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=corp,DC=contoso,DC=com"}],
  "DNSRoutingEnabled": true}`)},
	}
	f, notes, err := exchange.ImportFS(fsys)
	if err != nil {
		panic(err)
	}
	for _, t := range f.Spec.Tenants {
		fmt.Println("tenant", t.Name, len(t.AcceptedDomains), "domains", len(t.Recipients), "recipient")
	}
	for _, o := range f.Spec.OnPremises {
		for _, s := range o.Servers {
			fmt.Println("organization", o.Name, "server", s.Name, s.Fqdn)
		}
		for _, c := range o.SendConnectors {
			fmt.Println("send connector", c.Name, c.AddressSpaces, c.SourceTransportServers)
		}
	}
	for _, n := range notes {
		fmt.Println(n)
	}
	// Output:
	// tenant contoso 2 domains 1 recipient
	// organization Contoso server EX01 ex01.corp.contoso.com
	// send connector To the Internet [SMTP:*;1] [EX01]
	// OnPremises["Contoso"].Servers["EX01"].Fqdn: not in the export: guessed "ex01.corp.contoso.com" from the Active Directory domain
	// MXRecords["contoso.com"]: MX records are not in the exports: assumed contoso-com.mail.protection.outlook.com, the tenant's EOP; give the real ones in the topology file
}

// ExampleOptions_Import names the tenant of exports that do not: its
// accepted domain's OrganizationId names a hosted organization, but no
// "*.onmicrosoft.com" domain.
func ExampleOptions_Import() {
	export := `[{"Name": "contoso.com", "DomainName": "contoso.com", "DomainType": "Authoritative",
  "OrganizationId": "NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/0b1c2d3e"}]`
	f, notes, err := exchange.Options{Tenant: "contoso"}.Import("ExoGetAcceptedDomain.json", []byte(export))
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Spec.Tenants[0].Name, f.Spec.Tenants[0].AcceptedDomains[0].DomainName)
	for _, n := range notes {
		fmt.Println(n)
	}
	// Output:
	// contoso contoso.com
	// MXRecords["contoso.com"]: MX records are not in the exports: assumed contoso-com.mail.protection.outlook.com, the tenant's EOP; give the real ones in the topology file
}
