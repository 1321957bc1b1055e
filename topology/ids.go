package topology

import (
	"fmt"
	"strings"
)

// NodeID identifies a node of the mail flow graph: "eop:contoso",
// "exo:contoso", "onprem:contoso/EX01", "ext:cpandl", "internet". It is
// comparable and immutable; the zero NodeID is not valid. [Build] assigns
// the IDs; [ParseNodeID] reads one back.
type NodeID struct{ s string }

// ParseNodeID parses the text form of a NodeID. It checks the syntax only;
// whether a topology has the node is [Topology.Node]'s question.
func ParseNodeID(s string) (NodeID, error) {
	if s == "" || strings.ContainsAny(s, " \t\r\n") {
		return NodeID{}, fmt.Errorf("ParseNodeID(%q): empty or contains white space", s)
	}
	return NodeID{s}, nil
}

// MustParseNodeID is like [ParseNodeID] but panics on error. It is
// intended for use in tests with hard-coded strings.
func MustParseNodeID(s string) NodeID {
	id, err := ParseNodeID(s)
	if err != nil {
		panic(err)
	}
	return id
}

// IsValid reports whether id is not the zero NodeID.
func (id NodeID) IsValid() bool { return id.s != "" }

// String returns the text form of id.
func (id NodeID) String() string { return id.s }

// Compare orders NodeIDs by their text, ordinally.
func (id NodeID) Compare(other NodeID) int { return strings.Compare(id.s, other.s) }

// MarshalText returns the text form of id.
func (id NodeID) MarshalText() ([]byte, error) { return []byte(id.s), nil }

// UnmarshalText parses the text form of id.
func (id *NodeID) UnmarshalText(b []byte) error {
	v, err := ParseNodeID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// Kind is the closed set of node kinds that machine-readable traces use.
type Kind uint8

// The node kinds.
const (
	KindInvalid        Kind = iota
	KindInternet            // InternetSender and InternetMX: hosts outside every modelled organization
	KindEOP                 // Exchange Online Protection, the tenant's service edge
	KindExchangeOnline      // the Exchange Online mailbox side
	KindOnPremises          // an on-premises Exchange server
	KindEdge                // an Edge Transport server
	KindAppliance           // a third-party filter, gateway or add-on service
	KindPartner             // a partner organization reached through connectors
	KindDevice              // a printer, scanner or application
)

var kindNames = [...]string{"invalid", "Internet", "EOP", "ExchangeOnline", "OnPremises", "Edge", "Appliance", "Partner", "Device"}

// String returns the kind's name as traces print it ("ExchangeOnline").
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// MarshalText returns the kind's name.
func (k Kind) MarshalText() ([]byte, error) {
	if k == KindInvalid || int(k) >= len(kindNames) {
		return nil, fmt.Errorf("topology: cannot marshal %v", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText reads a kind's name.
func (k *Kind) UnmarshalText(b []byte) error {
	for i := 1; i < len(kindNames); i++ {
		if kindNames[i] == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("topology: %q is not a node kind", b)
}

// Role is the finer role a node plays at one hop, reported
// beside its [Kind].
type Role uint8

// The roles.
const (
	RoleInvalid         Role = iota
	RoleInternetSender       // an external MTA sending to the organization
	RoleInternetMX           // an MX-resolved destination outside the modelled organizations
	RoleEOP                  // the EOP service edge
	RoleExchangeOnline       // the Exchange Online mailbox side
	RoleOnPremFrontEnd       // Front End Transport (Exchange 2013 Client Access): proxies, never splits
	RoleOnPremTransport      // the Transport service: categorizer, queues, Send connectors
	RoleOnPremMailbox        // Mailbox Transport Delivery on the server holding the mailbox
	RoleEdgeTransport        // an Edge Transport server
	RoleAppliance            // a third-party appliance or service
	RolePartnerOrg           // a partner organization
	RoleDevice               // a device or application
)

var roleNames = [...]string{"invalid", "InternetSender", "InternetMX", "EOP", "ExchangeOnline", "OnPremFrontEnd", "OnPremTransport", "OnPremMailbox", "EdgeTransport", "Appliance", "PartnerOrg", "Device"}

// String returns the role's name ("OnPremTransport").
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("Role(%d)", r)
}

// MarshalText returns the role's name.
func (r Role) MarshalText() ([]byte, error) {
	if r == RoleInvalid || int(r) >= len(roleNames) {
		return nil, fmt.Errorf("topology: cannot marshal %v", r)
	}
	return []byte(r.String()), nil
}

// UnmarshalText reads a role's name.
func (r *Role) UnmarshalText(b []byte) error {
	for i := 1; i < len(roleNames); i++ {
		if roleNames[i] == string(b) {
			*r = Role(i)
			return nil
		}
	}
	return fmt.Errorf("topology: %q is not a role", b)
}

// Kind returns the kind a role belongs to.
func (r Role) Kind() Kind {
	switch r {
	case RoleInternetSender, RoleInternetMX:
		return KindInternet
	case RoleEOP:
		return KindEOP
	case RoleExchangeOnline:
		return KindExchangeOnline
	case RoleOnPremFrontEnd, RoleOnPremTransport, RoleOnPremMailbox:
		return KindOnPremises
	case RoleEdgeTransport:
		return KindEdge
	case RoleAppliance:
		return KindAppliance
	case RolePartnerOrg:
		return KindPartner
	case RoleDevice:
		return KindDevice
	}
	return KindInvalid
}
