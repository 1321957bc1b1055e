// Package scenario holds ready-made topologies and flows for mailflow,
// taken from Microsoft's documents: the Contoso hybrid organization
// ([ContosoSpec], [Contoso], [ContosoFlows]), the three-connector example
// ([ConnectorSelectionSpec]), John, Bob and Sun ([EOPStandaloneSpec]), the
// ContosoBank partner ([PartnerSpec]), conditional routing, the IP Allow
// List, devices between on-premises and Exchange Online, and printers and
// applications. They are the built-in scenarios examples/trace runs
// ([Builtin], [Lookup]). A [Scenario] traces every flow through every
// variant ([Scenario.Run]); [WriteTable] prints the outcome matrix.
//
// It is meant for tests, examples and documentation: fixtures are literal
// specs, built once and shared.
package scenario
