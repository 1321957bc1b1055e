package route

import (
	"net/netip"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/topoview"
	"github.com/mailflowsim/mailflow/topology"
)

// The topology's recipients and connectors as a trace reads them: in
// place, sharing the topology's slices, without the copies the exported
// accessors make (package internal/topoview). The engine never modifies
// what they return, and copies what a Result keeps.
var (
	tenantRecipient      = topoview.TenantRecipient.(func(*topology.Tenant, string) (topology.Recipient, bool))
	onPremisesRecipient  = topoview.OnPremisesRecipient.(func(*topology.OnPremises, string) (topology.Recipient, bool))
	findMailbox          = topoview.FindMailbox.(func(*topology.Topology, string) (topology.Node, topology.Recipient, bool))
	centralizedTransport = topoview.CentralizedTransport.(func(*topology.Tenant) (connector.Outbound, bool))
	selectOutbound       = topoview.SelectOutbound.(func(*topology.Tenant, string) (connector.Outbound, connector.Selection, bool))
	outboundConnector    = topoview.OutboundConnector.(func(*topology.Tenant, string) (connector.Outbound, bool))
	inboundConnector     = topoview.InboundConnector.(func(*topology.Tenant, string) (connector.Inbound, bool))
	selectSend           = topoview.SelectSend.(func(*topology.OnPremises, string, string, int64) (connector.Send, connector.SendSelection, bool))
	selectSendAddress    = topoview.SelectSendAddress.(func(*topology.OnPremises, string, string, string, int64) (connector.Send, connector.SendSelection, bool))
	selectReceive        = topoview.SelectReceive.(func(*topology.OnPremises, string, netip.Addr) (connector.Receive, bool))
	certificateNames     = topoview.CertificateNames.(func(topology.NodeCertificate) []string)
)
