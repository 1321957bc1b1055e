// Package analysis answers questions about a whole topology rather than
// one message: which mail flows it has and how each goes, what changes
// between two topologies, and what the flows show.
//
// # Flow classes
//
// [FlowClasses] enumerates the mail flows a topology has, each sender
// location to each recipient class, with a representative message;
// [Reachability] traces them all with [route.Trace], on every CPU, and
// [WriteReachability] prints the outcome matrix.
//
// # What-if analysis
//
// [Diff] compares two topologies flow class by flow class (derive the
// second with [topology.Topology.With]) and names the [Aspect]s in which
// each class that changes differs.
//
// # Findings
//
// [Analyze] reports what the flows show: loops, undeliverable mail,
// unused connectors and rules, TLS not met, open relays, spam filtering
// skipped.
package analysis
