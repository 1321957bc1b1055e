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
// The rules follow the project's Exchange reference (exchange-reference.md):
// §4 inbound connectors, §5 outbound connectors, §6 Send connectors, and
// §15 where Microsoft's documents disagree.
package connector
