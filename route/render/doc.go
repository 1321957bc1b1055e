// Package render draws the results of package
// [github.com/mailflowsim/mailflow/route] and the topologies of package
// [github.com/mailflowsim/mailflow/topology]: as text, as Mermaid and
// Graphviz DOT diagrams, and as a message-tracking table.
//
// Every function writes to an [io.Writer] and returns the writer's error.
// The output depends only on its input, so the same result or topology
// gives the same bytes. It is meant for people, and its layout may
// improve between versions: programs read a [route.Result] or its JSON
// form.
//
// # Traces
//
// [Text] writes a [route.Result] as readable text wrapped at [TextWidth]
// columns: a block per copy of the message, a few lines per hop.
//
// [MermaidFlowchart], [MermaidSequence] and [DOT] draw the same walk of a
// result: one vertex per visit to a topology node, one edge per transfer
// of a copy, and the recipients' dispositions, coloured. Paste Mermaid
// into a Markdown code block; feed DOT to Graphviz (dot -Tsvg).
//
// [MessageTrace] writes a result as Exchange's message tracking log
// (Get-MessageTrackingLog) and Exchange Online's message trace show it:
// one row per event.
//
// # Topologies
//
// [TopologyMermaid] and [TopologyDOT] draw a [topology.Topology]: the
// nodes grouped by organization, the MX domains, the inbound and Receive
// connectors, and the routes the configuration makes (MX records,
// connectors, smart hosts).
//
// # Errors
//
// A function returns the writer's error, [ErrNilResult] for a nil
// result, or [route.ErrNilTopology] for a nil topology; it never panics.
package render
