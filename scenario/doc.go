// Package scenario holds ready-made topologies and flows for mailflow: the
// Contoso hybrid organization of Microsoft's hybrid routing documentation
// ([ContosoSpec], [Contoso]), the flows traced through it
// ([ContosoFlows]), and the built-in scenarios that examples/trace runs
// ([Builtin], [Lookup]). A [Scenario] traces every flow through every
// variant ([Scenario.Run]); [WriteTable] prints the outcome matrix.
//
// It is meant for tests, examples and documentation: fixtures are literal
// specs, built once and shared.
package scenario
