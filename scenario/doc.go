// Package scenario holds ready-made topologies, topology files and the
// routing-policy test kit of mailflow.
//
// # Built-in scenarios
//
// Topologies and flows taken from Microsoft's documents: the Contoso
// hybrid organization ([ContosoSpec], [Contoso], [ContosoFlows]), the
// three-connector example ([ConnectorSelectionSpec]), John, Bob and Sun
// ([EOPStandaloneSpec]), the ContosoBank partner ([PartnerSpec]),
// conditional routing, the IP Allow List, devices between on-premises and
// Exchange Online, and printers and applications. They are defined in Go
// ([Defined]) and written as embedded topology files, a file per variant,
// which [Builtin] and [Lookup] load through [Load]. Each file's messages
// carry expectations written by hand from the Microsoft document their
// Source names, never generated from the engine's output. A [Scenario]
// traces every flow through every variant and checks the variant's
// expectations ([Scenario.Run]); [WriteTable] prints the outcome matrix.
//
// # Topology files
//
// A [File] is a topology in JSON, with Exchange's PowerShell property
// names as keys, and the messages to trace through it with what each must
// do ([Expect]). [Load] reads one and reports every problem at its JSON
// path; [File.WriteJSON] writes one back; [File.Run] traces and checks its
// messages.
//
// # Exchange exports
//
// Package [github.com/mailflowsim/mailflow/scenario/exchange] imports the
// Export-Clixml and ConvertTo-Json output of Exchange's Get-* cmdlets into
// a File.
//
// # Test kit
//
// A [Case] is a message and what must hold ([Expect]): per recipient, a
// disposition, status code and folder, its hops or a path containing a
// sequence of nodes, kinds or roles, nodes avoided, a connector or rule
// used and rules not matched, and at a hop ([HopExpect]) its attribution,
// TLS, connectors, what each filtering stage did and the email
// authentication results (SPF) it reported; for the message, its
// copies, where it splits and that it does not loop.
// [Expect.Check] returns what did not hold; package scenariotest runs a
// table of cases as subtests with failure messages that show the whole
// trace and a diff.
package scenario
