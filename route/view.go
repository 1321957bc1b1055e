package route

import (
	"net/netip"
	"regexp"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/topoview"
	"github.com/mailflowsim/mailflow/topology"
)

// The topology's nodes, recipients and connectors as a trace reads them: in
// place, sharing the topology's slices, without the copies the exported
// accessors make (package internal/topoview). The engine never modifies
// what they return, and copies what a Result keeps.
var (
	tenantRecipient      = topoview.TenantRecipient.(func(*topology.Tenant, string) (topology.Recipient, bool))
	onPremisesRecipient  = topoview.OnPremisesRecipient.(func(*topology.OnPremises, string) (topology.Recipient, bool))
	findMailbox          = topoview.FindMailbox.(func(*topology.Topology, string) (*topology.Node, topology.Recipient, bool))
	nodeRef              = topoview.Node.(func(*topology.Topology, topology.NodeID) *topology.Node)
	resolveHost          = topoview.ResolveHost.(func(*topology.Topology, string) *topology.Node)
	internet             = topoview.Internet.(func(*topology.Topology) *topology.Node)
	rulesFor             = topoview.RulesFor.(func(any, string, string) ([]topology.TransportRule, []int))
	compiledPattern      = topoview.Pattern.(func(*topology.Topology, string) *regexp.Regexp)
	centralizedTransport = topoview.CentralizedTransport.(func(*topology.Tenant) (connector.Outbound, bool))
	selectOutbound       = topoview.SelectOutbound.(func(*topology.Tenant, string) (connector.Outbound, connector.Selection, bool))
	outboundConnector    = topoview.OutboundConnector.(func(*topology.Tenant, string) (connector.Outbound, bool))
	inboundConnector     = topoview.InboundConnector.(func(*topology.Tenant, string) (connector.Inbound, bool))
	selectSend           = topoview.SelectSend.(func(*topology.OnPremises, string, string, int64) (connector.Send, connector.SendSelection, bool))
	selectSendAddress    = topoview.SelectSendAddress.(func(*topology.OnPremises, string, string, string, int64) (connector.Send, connector.SendSelection, bool))
	selectReceive        = topoview.SelectReceive.(func(*topology.OnPremises, string, netip.Addr) (connector.Receive, bool))
	certificateNames     = topoview.CertificateNames.(func(topology.NodeCertificate) []string)
)

// noNode stands for a node the topology does not have, as the zero Node
// that Topology.Node returns then; nothing writes to it.
var noNode topology.Node

// nodeOf returns t's node id in place, or noNode.
func nodeOf(t *topology.Topology, id topology.NodeID) *topology.Node {
	if n := nodeRef(t, id); n != nil {
		return n
	}
	return &noNode
}

// node returns the topology's node id in place, or noNode.
func (e *engine) node(id topology.NodeID) *topology.Node { return nodeOf(e.t, id) }

// valid reports whether n is a node of the topology: not nil, not noNode.
func valid(n *topology.Node) bool { return n != nil && n.ID.IsValid() }

// idOf returns n's ID, the zero NodeID for nil.
func idOf(n *topology.Node) topology.NodeID {
	if n == nil {
		return topology.NodeID{}
	}
	return n.ID
}
