// Package mailflow simulates how Microsoft Exchange Online, Exchange Online
// Protection (EOP) and on-premises Exchange route and filter mail.
//
// Given a topology — organizations, accepted domains, mailboxes, MX
// records, connectors and hybrid settings — and a message, mailflow
// computes deterministically, hop by hop, where every copy of the message
// goes, where it splits per recipient, what filtering each hop applies and
// how it ends (delivered, relayed, rejected with its status code, deferred,
// looped…), and it says why at every step: which MX record, connector,
// recipient object or setting decided it.
//
// The work is split into packages, each importing only those before it:
//
//   - [github.com/mailflowsim/mailflow/connector]: Exchange Online inbound
//     and outbound connectors and on-premises Send connectors, with their
//     PowerShell property names, domain matching and selection.
//   - [github.com/mailflowsim/mailflow/topology]: the declarative
//     [topology.Spec], validated by [topology.Build] into an immutable
//     [topology.Topology].
//   - [github.com/mailflowsim/mailflow/route]: the engine, [route.Trace],
//     and its [route.Result]: per-recipient hops, copies, filtering and
//     dispositions, as text or JSON.
//   - [github.com/mailflowsim/mailflow/scenario]: ready-made topologies
//     (the Contoso hybrid organization of Microsoft's documentation) and
//     the built-in scenarios of examples/trace.
//
// The behaviour follows Microsoft's documentation, which the code cites by
// page title. Where Microsoft's documents disagree or say nothing, the
// library's choice is written in docs/behaviour.md and cited where it is
// implemented.
//
// Start with the command: go run ./examples/trace.
package mailflow
