package exchange_test

import (
	"fmt"

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
	c := f.Tenants[0].OutboundConnectors[0]
	fmt.Println(f.Tenants[0].Name, c.Name, c.RecipientDomains, c.UseMXRecord, c.TlsSettings, c.TlsDomain)
	for _, n := range notes {
		fmt.Println(n)
	}
	// Output:
	// contoso To Fabrikam [fabrikam.com] $true DomainValidation mail.fabrikam.com
	// Get-OutboundConnector.json[0]("To Fabrikam").MtaStsMode: not imported: not modelled by the simulator (value "Enforce")
}
