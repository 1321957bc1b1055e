package route

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/mailflowsim/mailflow/topology"
)

// Message is what is traced: an SMTP envelope and where it enters.
type Message struct {
	// From is the P1 MAIL FROM address; "" or "<>" is the null sender of
	// NDRs.
	From string `json:"from"`
	// To are the RCPT TO addresses. Duplicates (compared ignoring case)
	// are dropped, as Exchange drops them.
	To []string `json:"to"`
	// Origin is the node where the message enters. The zero NodeID means:
	// the node holding From's mailbox (submission), else the external
	// system that declares From's domain, else the Internet. At
	// an Exchange Online or on-premises node the message is submitted
	// there; at an EOP node it arrives anonymously from the Internet; at
	// the Internet, an external system or a partner, that system sends it
	// by MX.
	Origin topology.NodeID `json:"origin,omitzero"`
	// Size is the message size in bytes, for size limits; zero is a small
	// message.
	Size int64 `json:"size,omitempty"`
	// Headers are the message headers mail flow rules read and change.
	Headers []Header `json:"headers,omitempty"`
	// SCL is the spam confidence level EOP's content filter would give the
	// message (0 to 9; 5 and 6 are spam, 7 to 9 high confidence spam). The
	// library cannot read content: this input stands for the verdict. nil
	// is a message without spam signal (SCL 1).
	SCL *int `json:"scl,omitempty"`
	// SourceIP is the address the first SMTP connection comes from when an
	// Internet host, partner, appliance or device sends the message (for a
	// message entering at an EOP node: the Internet host that connects to
	// it), in place of that node's IPAddress. It is what connection
	// filtering, connector attribution (SenderIPAddresses) and Enhanced
	// Filtering see. It does not apply to submission to Exchange.
	SourceIP netip.Addr `json:"sourceIP,omitzero"`
}

// Disposition is how a recipient's copy ends: a closed set.
type Disposition uint8

// The dispositions.
const (
	// Delivered to a mailbox in a modelled organization.
	Delivered Disposition = iota + 1
	// Relayed to a server outside the modelled organizations (an Internet
	// domain's MX host or a partner), which takes it from there.
	Relayed
	// Rejected with a permanent (5xx) status: an NDR.
	Rejected
	// Deferred with a transient (4xx) status or no route yet: the sender
	// retries until the message expires.
	Deferred
	// Dropped silently.
	Dropped
	// Quarantined by filtering.
	Quarantined
	// Looped: stopped by a hop limit.
	Looped
	// Expanded: the recipient is a distribution group; its members were
	// added as recipients at this hop (message trace status Expanded,
	// reference §13).
	Expanded
)

var dispositionNames = [...]string{"", "Delivered", "Relayed", "Rejected", "Deferred", "Dropped", "Quarantined", "Looped", "Expanded"}

// String returns the disposition's name.
func (d Disposition) String() string {
	if d > 0 && int(d) < len(dispositionNames) {
		return dispositionNames[d]
	}
	return fmt.Sprintf("Disposition(%d)", d)
}

// MarshalText returns the disposition's name.
func (d Disposition) MarshalText() ([]byte, error) {
	if d == 0 || int(d) >= len(dispositionNames) {
		return nil, fmt.Errorf("route: cannot marshal %v", d)
	}
	return []byte(d.String()), nil
}

// Event is a message-trace event, with the names of Exchange Online's
// message trace and Exchange Server's message tracking log (reference §13).
type Event string

// The events a hop reports.
const (
	// RECEIVE: the hop received the message (SMTP, or submission from a
	// mailbox).
	RECEIVE Event = "RECEIVE"
	// RESOLVE: the recipient address was resolved to another one (a proxy
	// address to the primary address, a remote mailbox to its routing
	// address).
	RESOLVE Event = "RESOLVE"
	// TRANSFER: the recipient was moved to a new copy of the message, split
	// from the one it arrived in, because its route diverges here.
	TRANSFER Event = "TRANSFER"
	// SEND: the hop sent the message on over SMTP.
	SEND Event = "SEND"
	// DELIVER: the hop delivered the message to a mailbox.
	DELIVER Event = "DELIVER"
	// FAIL: the recipient was rejected or the delivery failed permanently.
	FAIL Event = "FAIL"
	// DEFER: delivery was postponed; the hop retries.
	DEFER Event = "DEFER"
	// REDIRECT: a mail flow rule or forwarding replaced the recipient.
	REDIRECT Event = "REDIRECT"
	// DROP: the message was dropped silently (DeleteMessage).
	DROP Event = "DROP"
	// EXPAND: a distribution group was expanded into its members.
	EXPAND Event = "EXPAND"
)

// Stage is a filtering stage of the closed set traces report, in the order
// Exchange runs them (reference §8.1).
type Stage string

// The filtering stages.
const (
	ConnectionFilter Stage = "ConnectionFilter" // IP Allow List / IP Block List
	DBEB             Stage = "DBEB"             // Directory-Based Edge Blocking
	AntiMalware      Stage = "AntiMalware"
	TransportRules   Stage = "TransportRules" // mail flow rules
	AntiSpam         Stage = "AntiSpam"
	Journal          Stage = "Journal"
	Compliance       Stage = "Compliance" // on-premises transport rules, journaling and other agents
)

// Verdicts that filters report.
const (
	VerdictPass         = "Pass"         // the stage ran and let the message through
	VerdictReject       = "Reject"       // the stage rejected the recipient or message
	VerdictNotEffective = "NotEffective" // the stage cannot judge the message properly here
	VerdictSpam         = "Spam"         // anti-spam found spam; the policy's action follows
	VerdictAllow        = "Allow"        // the connection filter's IP Allow List matched
)

// Filter is one filtering stage at one hop: whether it ran there and why.
type Filter struct {
	Stage   Stage  `json:"stage"`
	Applied bool   `json:"applied"`
	Verdict string `json:"verdict,omitempty"`
	Reason  string `json:"reason"`
}

// AuthAs is the X-MS-Exchange-Organization-AuthAs a hop gives the message
// (reference §7.2).
type AuthAs string

// The AuthAs values.
const (
	Anonymous AuthAs = "Anonymous"
	Internal  AuthAs = "Internal"
	External  AuthAs = "External"
	Partner   AuthAs = "Partner"
)

// Directionality is the X-MS-Exchange-Organization-MessageDirectionality a
// hop gives the message.
type Directionality string

// The directionality values.
const (
	Incoming    Directionality = "Incoming"
	Originating Directionality = "Originating"
)

// Hop is one node on a recipient's path: what happened to the message
// there for that recipient, and why it went where it went next.
type Hop struct {
	Node topology.NodeID `json:"node"`
	Kind topology.Kind   `json:"kind"`
	// Role is the finer role the node played at this hop.
	Role topology.Role `json:"role"`
	// Copy is the copy of the message that carried the recipient here (see
	// [Result.Copies]).
	Copy int `json:"copy"`
	// Events are the message-trace events at this hop, in order.
	Events []Event `json:"events"`
	// InboundConnector is the connector that took the incoming connection,
	// if any: the Exchange Online inbound connector EOP attributed it to, or
	// the on-premises Receive connector.
	InboundConnector string `json:"inboundConnector,omitempty"`
	// Connector is the connector the hop sent the message on through, if
	// any (an outbound or Send connector).
	Connector string `json:"connector,omitempty"`
	// AuthAs and Directionality are the attribution the hop gave the
	// message, the values of its X-MS-Exchange-Organization-AuthAs and
	// X-MS-Exchange-Organization-MessageDirectionality headers; empty on
	// the Internet and after a device that drops them.
	AuthAs         AuthAs         `json:"authAs,omitempty"`
	Directionality Directionality `json:"directionality,omitempty"`
	// CrossPremisesHeaders: the hop received the sender's
	// X-MS-Exchange-CrossPremises-* headers and promoted them to
	// X-MS-Exchange-Organization-* (CloudServicesMailEnabled on both sides,
	// reference §7.3), which is how hybrid mail stays internal.
	CrossPremisesHeaders bool `json:"crossPremisesHeaders,omitempty"`
	// Filters are the filtering stages at this hop in Exchange's order,
	// applied or skipped, each with its reason.
	Filters []Filter `json:"filters"`
	// Reason names the configuration that decided what the hop did with
	// the recipient: the MX record, connector, recipient object or setting.
	Reason string `json:"reason"`
}

// Recipient is the outcome for one recipient.
type Recipient struct {
	// Address is the recipient as given in the message.
	Address     string      `json:"address"`
	Disposition Disposition `json:"disposition"`
	// Status is the SMTP status line, where there is one:
	// "550 5.4.1 Recipient address rejected: Access denied".
	Status string `json:"status,omitempty"`
	// Copy is the copy of the message that carried the recipient last.
	Copy int `json:"copy"`
	// Hops is the recipient's path from the origin, in order.
	Hops []Hop `json:"hops"`
}

// Copy is one copy of the message. Copy 0 is the message as it entered;
// each other copy was split from its parent at the hop where its
// recipients' route diverged (a TRANSFER event there).
type Copy struct {
	ID int `json:"id"`
	// Parent is the copy it was split from, -1 for copy 0.
	Parent int `json:"parent"`
	// SplitNode and SplitHop are where it was split: the node, and the
	// index of that hop in its recipients' paths (-1 for copy 0).
	SplitNode topology.NodeID `json:"splitNode,omitzero"`
	SplitHop  int             `json:"splitHop"`
	// Recipients are the recipients it carried when it was made, in
	// message order.
	Recipients []string `json:"recipients"`
}

// Result is the outcome of tracing a message through a topology.
//
// Recipients are in the order of Message.To (after dropping duplicates);
// Copies in the order they were made, which is the order their split hops
// were processed (breadth-first from the origin, recipients in message
// order within a hop). Hops share their Events and Filters slices between
// recipients that went through the hop in the same copy: treat a Result as
// read-only.
type Result struct {
	Message    Message         `json:"message"`
	Origin     topology.NodeID `json:"origin"`
	Recipients []Recipient     `json:"recipients"`
	Copies     []Copy          `json:"copies"`
}

// Recipient returns the recipient with the address (ignoring case), as
// the message named it or as expansion or a rule added it; nil if there
// is none, or if r is nil.
func (r *Result) Recipient(address string) *Recipient {
	if r == nil {
		return nil
	}
	for i := range r.Recipients {
		if strings.EqualFold(r.Recipients[i].Address, address) {
			return &r.Recipients[i]
		}
	}
	return nil
}
