// Package topology is mailflow's model of a mail topology: the Exchange
// Online tenants (each an EOP service edge and an Exchange Online mailbox
// side), on-premises Exchange organizations and their servers, external
// Internet domains and partners, accepted domains, recipients, DNS MX
// records, connectors and hybrid configurations.
//
// A [Spec] declares a topology with Exchange's own property names; [Build]
// validates it, reporting every problem at once in a stable order (a
// [*ValidationError]), and returns an immutable [*Topology] that is safe
// for concurrent use. Nothing in a Topology depends on the order in which
// the Spec listed things.
//
// Nothing a Topology returns shares memory with it. Collections are
// iterators ([iter.Seq]) in a documented order (Tenants, Recipients,
// TransportRules, MX…); a single object comes by value with its slices
// and pointers copied (Recipient, SelectOutbound, ConnectionFilter…); a
// [Node]'s host names and certificate are read through methods. Callers
// that keep a buffer append into it ([Topology.AppendMX],
// [NodeCertificate.AppendNames]).
//
// The graph's nodes ([Node]) have IDs of the form "eop:contoso",
// "exo:contoso", "onprem:contoso/EX01", "ext:cpandl", "partner:contosobank",
// "appliance:filter", "device:printer" and "internet" (every host outside
// the modelled organizations), and a
// [Kind] from a closed set: Internet, EOP, ExchangeOnline, OnPremises,
// Edge, Appliance, Partner, Device.
//
// Organizations also carry their policy: mail flow rules ([TransportRule]),
// journal rules ([JournalRule]), a tenant's connection filter and anti-spam
// policies, address rewriting on an on-premises gateway, and what each
// recipient accepts. External systems are Internet domains, partners,
// appliances (firewalls, filters, gateways) and devices (printers,
// applications). Package route/analysis checks a Topology for documented
// configuration mistakes.
//
// A [HybridConfiguration] expands into the connectors the Hybrid
// Configuration Wizard creates in both organizations; centralized mail
// transport is its "CentralizedTransport" feature, which sets
// RouteAllMessagesViaOnPremises on the tenant's outbound connector to
// on-premises.
//
// A Topology keeps the Spec it was built from ([Topology.Spec]);
// [Topology.With] builds a variant of it from [Change]s in Exchange's
// terms ([PointMX], [SetRouteAllMessagesViaOnPremises], [DisableConnector],
// [TakeServerDown]…), for what-if analysis. Package
// [github.com/mailflowsim/mailflow/route/render] draws it
// (TopologyMermaid, TopologyDOT).
package topology
