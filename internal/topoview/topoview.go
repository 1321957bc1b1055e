// Package topoview lets packages route and route/analysis read a topology's nodes, recipients and
// connectors in place, without the deep copies that package topology's
// exported accessors hand out to keep a topology immutable. A trace reads
// them on every hop; the copies were a large part of its cost (see
// docs/performance.md).
//
// Package topology sets each variable, when it is initialized, to a
// function that returns values sharing the topology's slices; package
// route and route/analysis assert their types once. Whoever reads through them must not
// modify what they return, nor hand it out.
package topoview

// The functions, each of the type written beside it; nil until package
// topology is initialized.
var (
	// TenantRecipient: func(*topology.Tenant, string) (topology.Recipient, bool).
	TenantRecipient any
	// OnPremisesRecipient: func(*topology.OnPremises, string) (topology.Recipient, bool).
	OnPremisesRecipient any
	// FindMailbox: func(*topology.Topology, string) (*topology.Node, topology.Recipient, bool).
	FindMailbox any
	// Node: func(*topology.Topology, topology.NodeID) *topology.Node, the
	// topology's node itself, nil when there is none.
	Node any
	// ResolveHost: func(*topology.Topology, string) *topology.Node, the
	// node a host name resolves to, nil when none.
	ResolveHost any
	// Internet: func(*topology.Topology) *topology.Node, the Internet's node.
	Internet any
	// RulesFor: func(org any, sender, rcpt string) ([]topology.TransportRule, []int),
	// a *topology.Tenant's or *topology.OnPremises's mail flow rules in
	// priority order, and the indexes (ascending, a new slice) of those
	// that can apply to a message from sender to rcpt, as
	// TransportRulesFor yields them.
	RulesFor any
	// Pattern: func(*topology.Topology, string) *regexp.Regexp, a mail
	// flow rule's …MatchesPatterns entry as Build compiled it, nil for
	// text no rule of the topology has.
	Pattern any
	// CentralizedTransport: func(*topology.Tenant) (connector.Outbound, bool).
	CentralizedTransport any
	// SelectOutbound: func(*topology.Tenant, string) (connector.Outbound, connector.Selection, bool).
	SelectOutbound any
	// OutboundConnector: func(*topology.Tenant, string) (connector.Outbound, bool).
	OutboundConnector any
	// InboundConnector: func(*topology.Tenant, string) (connector.Inbound, bool).
	InboundConnector any
	// SelectSend: func(*topology.OnPremises, string, string, int64) (connector.Send, connector.SendSelection, bool).
	SelectSend any
	// SelectSendAddress: func(*topology.OnPremises, string, string, string, int64) (connector.Send, connector.SendSelection, bool).
	SelectSendAddress any
	// SelectReceive: func(*topology.OnPremises, string, netip.Addr) (connector.Receive, bool).
	SelectReceive any
	// TenantRecipients: func(*topology.Tenant) []topology.Recipient, the
	// objects Tenant.Recipients yields.
	TenantRecipients any
	// OnPremisesRecipients: func(*topology.OnPremises) []topology.Recipient,
	// the objects OnPremises.Recipients yields.
	OnPremisesRecipients any
	// CertificateNames: func(topology.NodeCertificate) []string, the
	// names NodeCertificate.Names yields.
	CertificateNames any
)
