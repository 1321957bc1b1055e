// Package connector models the connectors that decide where Exchange sends
// mail, with the names and semantics of their PowerShell cmdlets: Exchange
// Online inbound connectors ([Inbound], New-InboundConnector), Exchange
// Online outbound connectors ([Outbound], New-OutboundConnector) and
// on-premises Send connectors ([Send], New-SendConnector).
//
// It knows nothing of the mail flow graph. It parses and validates
// connector properties, matches domains against RecipientDomains,
// SenderDomains and AddressSpaces ([Pattern]), matches certificates and IP
// addresses, and selects the connector for a recipient domain the way
// Exchange does ([OutboundTable], [SendTable]): the most specific match
// wins, with documented, deterministic tie-breaks. Package topology builds
// these into an immutable model and package route applies them hop by hop.
//
// Properties whose Exchange default is $true are [OptBool] values, so that
// an unset property is told apart from $false.
//
// The rules follow Microsoft's documents: "Configure mail flow using
// connectors in Exchange Online" and the New-InboundConnector and
// New-OutboundConnector cmdlet pages for Exchange Online, "Send
// connectors", "Receive connectors" and "Connector selection in external
// message routing" for Exchange Server. Where they disagree or say
// nothing, the library's choice is written in docs/behaviour.md.
package connector
