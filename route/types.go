package route

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/route/auth"
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
	// Subject, Body and Attachments are the message's content as mail
	// flow rules read it (SubjectContainsWords, SubjectOrBodyContainsWords,
	// AttachmentNameMatchesPatterns, AttachmentExtensionMatchesWords): the
	// library does not read content, these inputs stand for it. Attachments
	// are file names.
	Subject     string   `json:"subject,omitempty"`
	Body        string   `json:"body,omitempty"`
	Attachments []string `json:"attachments,omitempty"`
}

// Clone returns a copy of m that shares no slice or pointer with it.
func (m Message) Clone() Message {
	m.To = slices.Clone(m.To)
	m.Headers = slices.Clone(m.Headers)
	m.Attachments = slices.Clone(m.Attachments)
	if m.SCL != nil {
		scl := *m.SCL
		m.SCL = &scl
	}
	return m
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
	// added as recipients at this hop (message trace status Expanded:
	// "Message trace FAQ").
	Expanded
)

var dispositionNames = [...]string{"", "Delivered", "Relayed", "Rejected", "Deferred", "Dropped", "Quarantined", "Looped", "Expanded"}

// String returns the disposition's name.
func (d Disposition) String() string { return enumString(dispositionNames[:], uint8(d), "Disposition") }

// MarshalText returns the disposition's name.
func (d Disposition) MarshalText() ([]byte, error) {
	return enumMarshal(dispositionNames[:], uint8(d), "Disposition")
}

// UnmarshalText reads a disposition's name.
func (d *Disposition) UnmarshalText(b []byte) error {
	return enumUnmarshal(dispositionNames[:], (*uint8)(d), b, "disposition")
}

// ParseDisposition returns the disposition with the given name
// ("Delivered"), ignoring case.
func ParseDisposition(name string) (Disposition, error) {
	var d Disposition
	err := d.UnmarshalText([]byte(name))
	return d, err
}

// Event is a message-trace event, with the names of Exchange Online's
// message trace and Exchange Server's message tracking log (Microsoft:
// "Message trace in the modern EAC"; "Message tracking").
// Its text form (String, JSON) is the event's name.
type Event uint8

// The events a hop reports.
const (
	// RECEIVE: the hop received the message (SMTP, or submission from a
	// mailbox).
	RECEIVE Event = iota + 1
	// RESOLVE: the recipient address was resolved to another one (a proxy
	// address to the primary address, a remote mailbox to its routing
	// address).
	RESOLVE
	// TRANSFER: the recipient was moved to a new copy of the message, split
	// from the one it arrived in, because its route diverges here.
	TRANSFER
	// SEND: the hop sent the message on over SMTP.
	SEND
	// DELIVER: the hop delivered the message to a mailbox.
	DELIVER
	// FAIL: the recipient was rejected or the delivery failed permanently.
	FAIL
	// DEFER: delivery was postponed; the hop retries.
	DEFER
	// REDIRECT: a mail flow rule or forwarding replaced the recipient.
	REDIRECT
	// DROP: the message was dropped silently (DeleteMessage).
	DROP
	// EXPAND: a distribution group was expanded into its members.
	EXPAND
)

var eventNames = [...]string{"", "RECEIVE", "RESOLVE", "TRANSFER", "SEND", "DELIVER", "FAIL", "DEFER", "REDIRECT", "DROP", "EXPAND"}

// String returns the event's name: "RECEIVE".
func (e Event) String() string { return enumString(eventNames[:], uint8(e), "Event") }

// MarshalText returns the event's name.
func (e Event) MarshalText() ([]byte, error) { return enumMarshal(eventNames[:], uint8(e), "Event") }

// UnmarshalText reads an event's name.
func (e *Event) UnmarshalText(b []byte) error {
	return enumUnmarshal(eventNames[:], (*uint8)(e), b, "event")
}

// Stage is a filtering stage of the closed set traces report, in the order
// Exchange runs them (Microsoft: "Exchange Online Protection overview"). Its
// text form is the stage's name.
type Stage uint8

// The filtering stages.
const (
	ConnectionFilter Stage = iota + 1 // IP Allow List / IP Block List
	DBEB                              // Directory-Based Edge Blocking
	AntiMalware
	TransportRules // mail flow rules
	AntiSpam
	Journal
	Compliance // on-premises transport rules, journaling and other agents
)

var stageNames = [...]string{"", "ConnectionFilter", "DBEB", "AntiMalware", "TransportRules", "AntiSpam", "Journal", "Compliance"}

// String returns the stage's name: "AntiSpam".
func (s Stage) String() string { return enumString(stageNames[:], uint8(s), "Stage") }

// MarshalText returns the stage's name.
func (s Stage) MarshalText() ([]byte, error) { return enumMarshal(stageNames[:], uint8(s), "Stage") }

// UnmarshalText reads a stage's name.
func (s *Stage) UnmarshalText(b []byte) error {
	return enumUnmarshal(stageNames[:], (*uint8)(s), b, "stage")
}

// ParseStage returns the stage with the given name ("AntiSpam"), ignoring
// case.
func ParseStage(name string) (Stage, error) {
	var s Stage
	err := s.UnmarshalText([]byte(name))
	return s, err
}

// StageResult says whether a filtering stage ran at a hop.
type StageResult uint8

// The stage results.
const (
	// Applied: the stage ran and judged the message; [Filter.Verdict] says
	// how.
	Applied StageResult = iota + 1
	// Skipped: the stage did not run at this hop ([Filter.Reason] says why:
	// it ran earlier, runs later, does not apply).
	Skipped
	// NotEffective: the stage ran but cannot judge the message properly
	// here, such as spam filtering that sees an intermediate host instead
	// of the Internet sender.
	NotEffective
)

var stageResultNames = [...]string{"", "Applied", "Skipped", "NotEffective"}

// String returns the result's name: "Applied".
func (r StageResult) String() string { return enumString(stageResultNames[:], uint8(r), "StageResult") }

// MarshalText returns the result's name.
func (r StageResult) MarshalText() ([]byte, error) {
	return enumMarshal(stageResultNames[:], uint8(r), "StageResult")
}

// UnmarshalText reads a result's name.
func (r *StageResult) UnmarshalText(b []byte) error {
	return enumUnmarshal(stageResultNames[:], (*uint8)(r), b, "stage result")
}

// Verdict is what an applied stage decided.
type Verdict uint8

// The verdicts. Which stage gives which: ConnectionFilter Pass, Allow or
// Reject; DBEB Pass or Reject; AntiMalware Pass; TransportRules,
// Compliance and Journal Pass or Matched; AntiSpam Pass or Spam.
const (
	// VerdictPass: the stage let the message through unchanged.
	VerdictPass Verdict = iota + 1
	// VerdictReject: the stage rejected the recipient or the message.
	VerdictReject
	// VerdictMatched: a mail flow, transport or journal rule matched
	// ([Filter.Rules] names them).
	VerdictMatched
	// VerdictSpam: anti-spam found spam; [Filter.SCL] is the spam
	// confidence level and [Filter.Action] what the policy does.
	VerdictSpam
	// VerdictAllow: the connection filter's IP Allow List matched: spam
	// filtering is skipped.
	VerdictAllow
)

var verdictNames = [...]string{"", "Pass", "Reject", "Matched", "Spam", "Allow"}

// String returns the verdict's name: "Pass".
func (v Verdict) String() string { return enumString(verdictNames[:], uint8(v), "Verdict") }

// MarshalText returns the verdict's name.
func (v Verdict) MarshalText() ([]byte, error) {
	return enumMarshal(verdictNames[:], uint8(v), "Verdict")
}

// UnmarshalText reads a verdict's name.
func (v *Verdict) UnmarshalText(b []byte) error {
	return enumUnmarshal(verdictNames[:], (*uint8)(v), b, "verdict")
}

// SpamAction is what a tenant's anti-spam policy does with spam: the values
// of HostedContentFilterPolicy's SpamAction and HighConfidenceSpamAction
// (docs/behaviour.md#d25-filteredasspam-versus-delivered-in-message-trace).
// A message that is not spam has none (the
// zero SpamAction) and goes to the inbox.
type SpamAction uint8

// The spam actions.
const (
	// MoveToJmf delivers the message to the Junk Email folder.
	MoveToJmf SpamAction = iota + 1
	// AddXHeader delivers it to the inbox with an X-header.
	AddXHeader
	// Quarantine holds it in quarantine.
	Quarantine
	// Delete deletes it silently.
	Delete
)

var spamActionNames = [...]string{"", "MoveToJmf", "AddXHeader", "Quarantine", "Delete"}

// String returns the action's PowerShell name: "MoveToJmf".
func (a SpamAction) String() string { return enumString(spamActionNames[:], uint8(a), "SpamAction") }

// MarshalText returns the action's PowerShell name.
func (a SpamAction) MarshalText() ([]byte, error) {
	return enumMarshal(spamActionNames[:], uint8(a), "SpamAction")
}

// UnmarshalText reads an action's PowerShell name.
func (a *SpamAction) UnmarshalText(b []byte) error {
	return enumUnmarshal(spamActionNames[:], (*uint8)(a), b, "spam action")
}

// RuleMatch is a rule that matched at a hop: a mail flow rule
// (TransportRules), an on-premises transport rule (Compliance) or a
// journal rule (Journal).
type RuleMatch struct {
	// Recipient is the recipient the rule matched for, as
	// [Recipient.Address] names it (the address the message gave, whatever
	// resolution or redirection made of it since); "" for a journal rule,
	// which matches the message.
	Recipient string `json:"recipient,omitempty"`
	// Name is the rule's Name.
	Name string `json:"name"`
	// Priority is a mail flow or transport rule's Priority.
	Priority int `json:"priority"`
	// Enforced: the rule's Mode is Enforce, so its actions applied; a rule
	// in Audit or AuditAndNotify mode only logs the match.
	Enforced bool `json:"enforced"`
	// Actions are the rule's actions, as the PowerShell parameters that
	// set them ("RouteMessageOutboundConnector", "BlindCopyTo",
	// "SetSCL"…), in the order of [topology.TransportRule.Actions]; a
	// journal rule's is "JournalEmailAddress".
	Actions []string `json:"actions"`
}

// Filter is one filtering stage at one hop: whether it ran there, what it
// decided, and why.
type Filter struct {
	Stage  Stage       `json:"stage"`
	Result StageResult `json:"result"`
	// Verdict is what the stage decided when it was applied; zero
	// otherwise.
	Verdict Verdict `json:"verdict,omitempty"`
	// SCL is the spam confidence level (-1 to 9) of an AntiSpam stage that
	// was applied, or skipped because a mail flow rule set SCL -1; nil
	// otherwise.
	SCL *int `json:"scl,omitempty"`
	// Action is what the anti-spam policy does with spam (Verdict Spam).
	Action SpamAction `json:"action,omitempty"`
	// SourceIP is the address the stage judged the message by, when it
	// knows one: the connecting host's for the connection filter; for
	// anti-spam the one Enhanced Filtering for Connectors recovered, else
	// the connecting host's.
	SourceIP netip.Addr `json:"sourceIP,omitzero"`
	// Rules are the rules that matched at the hop (Verdict Matched), in
	// evaluation order: recipients in message order, each recipient's
	// rules in priority order.
	Rules []RuleMatch `json:"rules,omitempty"`
	// Reason says, for people, why the stage ran or not and what it found.
	Reason string `json:"reason"`
}

// Applied reports whether the stage was applied at the hop.
func (f *Filter) Applied() bool { return f.Result == Applied }

// AuthAs is the X-MS-Exchange-Organization-AuthAs a hop gives the message
// (Microsoft: "Header firewall"). Its text form is the header's value; the zero AuthAs
// is no attribution (the Internet, or after a device that drops the
// header).
type AuthAs uint8

// The AuthAs values.
const (
	Anonymous AuthAs = iota + 1
	Internal
	External
	Partner
)

var authAsNames = [...]string{"", "Anonymous", "Internal", "External", "Partner"}

// String returns the value: "Internal"; "" for none.
func (a AuthAs) String() string {
	if a == 0 {
		return ""
	}
	return enumString(authAsNames[:], uint8(a), "AuthAs")
}

// MarshalText returns the value.
func (a AuthAs) MarshalText() ([]byte, error) { return enumMarshal(authAsNames[:], uint8(a), "AuthAs") }

// UnmarshalText reads a value.
func (a *AuthAs) UnmarshalText(b []byte) error {
	return enumUnmarshal(authAsNames[:], (*uint8)(a), b, "AuthAs value")
}

// Directionality is the X-MS-Exchange-Organization-MessageDirectionality a
// hop gives the message; the zero Directionality is none.
type Directionality uint8

// The directionality values.
const (
	Incoming Directionality = iota + 1
	Originating
)

var directionalityNames = [...]string{"", "Incoming", "Originating"}

// String returns the value: "Originating"; "" for none.
func (d Directionality) String() string {
	if d == 0 {
		return ""
	}
	return enumString(directionalityNames[:], uint8(d), "Directionality")
}

// MarshalText returns the value.
func (d Directionality) MarshalText() ([]byte, error) {
	return enumMarshal(directionalityNames[:], uint8(d), "Directionality")
}

// UnmarshalText reads a value.
func (d *Directionality) UnmarshalText(b []byte) error {
	return enumUnmarshal(directionalityNames[:], (*uint8)(d), b, "Directionality value")
}

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
	// TLS is the SMTP connection on which the hop received the message;
	// nil when the message did not arrive over SMTP here (submission from
	// a mailbox, the sender's own hop).
	TLS *TLS `json:"tls,omitempty"`
	// InboundConnector is the connector that took the incoming connection,
	// if any: the Exchange Online inbound connector EOP attributed it to, or
	// the on-premises Receive connector.
	InboundConnector string `json:"inboundConnector,omitempty"`
	// Connector is the connector the hop sent the message on through, if
	// any (an outbound or Send connector).
	Connector string `json:"connector,omitempty"`
	// SendRoute is how least-cost routing across Active Directory sites
	// chose the Send connector, in an organization with more than one
	// site; nil otherwise.
	SendRoute *SendRoute `json:"sendRoute,omitempty"`
	// SendTLS is the connection the hop opened to send the message on when
	// it failed the TLS its sender requires (the recipient is deferred
	// here, [TLS.Failure] says why); nil otherwise: a connection that
	// succeeded is the next hop's TLS.
	SendTLS *TLS `json:"sendTLS,omitempty"`
	// Sender is the envelope sender (MAIL FROM) the hop passed the message
	// on with, and the address later hops see, when address rewriting or
	// the Sender Rewriting Scheme of a copy Exchange Online forwards
	// outside (docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from)
	// made it differ from the message's From; "" otherwise.
	Sender string `json:"sender,omitempty"`
	// AuthAs and Directionality are the attribution the hop gave the
	// message, the values of its X-MS-Exchange-Organization-AuthAs and
	// X-MS-Exchange-Organization-MessageDirectionality headers; empty on
	// the Internet and after a device that drops them.
	AuthAs         AuthAs         `json:"authAs,omitempty"`
	Directionality Directionality `json:"directionality,omitempty"`
	// CrossPremisesHeaders: the hop received the sender's
	// X-MS-Exchange-CrossPremises-* headers and promoted them to
	// X-MS-Exchange-Organization-* (CloudServicesMailEnabled on both sides,
	// "Transport options in Exchange hybrid deployments"), which is how
	// hybrid mail stays internal.
	CrossPremisesHeaders bool `json:"crossPremisesHeaders,omitempty"`
	// HeadersAdded and HeadersRemoved are the headers the hop's node, an
	// Appliance that processes SMTP such as an email add-on service,
	// stamped on the message and removed from it before re-sending it
	// ([topology.ExternalSpec.AddsHeaders]); later hops' mail flow rules
	// see them.
	HeadersAdded   []Header `json:"headersAdded,omitempty"`
	HeadersRemoved []string `json:"headersRemoved,omitempty"`
	// Resubmitted: the message entered the tenant as a new submission,
	// re-sent by an Appliance that processes SMTP (an email add-on service
	// returning it), so the tenant's mail flow rules ran on it again
	// (docs/behaviour.md#l41-mail-an-add-on-service-returns-is-a-new-submission).
	Resubmitted bool `json:"resubmitted,omitempty"`
	// Authentication is what email authentication found where the message
	// entered a tenant from outside, the typed form of the
	// Authentication-Results header EOP stamps (Microsoft: "Anti-spam
	// message headers in Microsoft 365"); nil at other hops, and at every
	// hop of a topology that declares no DNS records
	// (docs/behaviour.md#l91-where-spf-is-evaluated).
	Authentication *auth.Results `json:"authentication,omitempty"`
	// Filters are the filtering stages at this hop in Exchange's order,
	// applied or skipped, each with its reason.
	Filters []Filter `json:"filters"`
	// Reason names the configuration that decided what the hop did with
	// the recipient: the MX record, connector, recipient object or setting.
	// It is for people: programs read the typed fields.
	Reason string `json:"reason"`
}

// Filter returns the hop's filter of the stage, if the hop reports it.
func (h *Hop) Filter(s Stage) (Filter, bool) {
	for _, f := range h.Filters {
		if f.Stage == s {
			return f, true
		}
	}
	return Filter{}, false
}

// Folder is the mailbox folder a delivered message lands in.
type Folder uint8

// The folders.
const (
	Inbox Folder = iota + 1
	// JunkEmail is the Junk Email folder, where the anti-spam policy's
	// MoveToJmf action puts spam.
	JunkEmail
)

var folderNames = [...]string{"", "Inbox", "JunkEmail"}

// String returns the folder's name: "JunkEmail".
func (f Folder) String() string { return enumString(folderNames[:], uint8(f), "Folder") }

// MarshalText returns the folder's name.
func (f Folder) MarshalText() ([]byte, error) { return enumMarshal(folderNames[:], uint8(f), "Folder") }

// UnmarshalText reads a folder's name.
func (f *Folder) UnmarshalText(b []byte) error {
	return enumUnmarshal(folderNames[:], (*uint8)(f), b, "folder")
}

// Recipient is the outcome for one recipient.
type Recipient struct {
	// Address is the recipient as given in the message, or as a group
	// expansion, forwarding or rule added it. It names the recipient
	// whatever its envelope address became along the path (RESOLVE,
	// REDIRECT).
	Address     string      `json:"address"`
	Disposition Disposition `json:"disposition"`
	// Status is the SMTP status, where there is one:
	// 550 5.4.1 Recipient address rejected: Access denied. Its JSON form is
	// three keys: status (the line), statusCode and enhancedStatusCode.
	Status Status `json:"-"`
	// Folder is where a Delivered recipient's mailbox files the message;
	// zero for other dispositions.
	Folder Folder `json:"folder,omitempty"`
	// Copy is the copy of the message that carried the recipient last.
	Copy int `json:"copy"`
	// Hops is the recipient's path from the origin, in order.
	Hops []Hop `json:"hops"`
	// Retry says, for a Deferred recipient, which queue holds the message,
	// how it is retried and when it is returned; nil otherwise.
	Retry *Retry `json:"retry,omitempty"`
}

// Copy is one copy of the message. Copy 0 is the message as it entered;
// each other copy was split from its parent at the hop where its
// recipients' route diverged (a TRANSFER event there). Copies form a tree:
// walk it down with Children, up with Parent, and along with
// [Result.CopyHops].
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
	// Children are the copies split from it, in ID order.
	Children []int `json:"children,omitempty"`
}

// Result is the outcome of tracing a message through a topology.
//
// Recipients are in the order of Message.To (after dropping duplicates),
// then those that expansion, forwarding, rules and journaling added, in
// the order they were added; Copies in the order they were made, which is
// the order their split hops were processed (breadth-first from the
// origin, recipients in message order within a hop). Hops share their
// Events, Filters, TLS and Authentication between recipients that went
// through the hop in the same copy: treat a Result as read-only.
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

// CopyHop is one hop of one copy of the message: the recipients the copy
// carried at one point of their paths.
type CopyHop struct {
	// Index is the hop's index in its recipients' paths (0-based).
	Index int
	// Node is where the hop was.
	Node topology.NodeID
	// Recipients are indexes into [Result.Recipients], ascending.
	Recipients []int
}

// CopyHops returns the hops of copy id in path order: for copy 0 from the
// origin, for a copy split off another from the hop where it was split
// (that hop's TRANSFER opens the new copy), each with the recipients whose
// hop it was. Every hop of every recipient belongs to exactly one copy's
// list: the copy that carried it there, except the hop where a recipient
// was moved to a new copy, which belongs to the new one. It returns nil for
// an unknown copy.
func (r *Result) CopyHops(id int) []CopyHop {
	if id < 0 || id >= max(len(r.Copies), 1) {
		return nil
	}
	var out []CopyHop
	for i := 0; ; i++ {
		more := false
		for k := range r.Recipients {
			rc := &r.Recipients[k]
			if i >= len(rc.Hops) {
				continue
			}
			more = true
			if blockOf(rc, i) != id {
				continue
			}
			if n := len(out); n > 0 && out[n-1].Index == i && out[n-1].Node == rc.Hops[i].Node {
				out[n-1].Recipients = append(out[n-1].Recipients, k)
				continue
			}
			out = append(out, CopyHop{Index: i, Node: rc.Hops[i].Node, Recipients: []int{k}})
		}
		if !more {
			return out
		}
	}
}

// blockOf returns the copy whose hops include hop i of recipient r: the
// copy that carried it, except at the hop where it was split off (a
// TRANSFER), which opens the new copy.
func blockOf(r *Recipient, i int) int {
	h := &r.Hops[i]
	if !slices.Contains(h.Events, TRANSFER) {
		return h.Copy
	}
	if i+1 < len(r.Hops) {
		return r.Hops[i+1].Copy
	}
	return r.Copy
}

// SendRoute is what decided an on-premises Send connector among equally
// specific address spaces (Microsoft: "Connector selection in external
// message routing"): the site of the source servers it reached and the
// aggregate cost.
type SendRoute struct {
	// Site is the Active Directory site of the nearest source servers.
	Site string `json:"site"`
	// SiteCost is the least cost of the site-link path to Site: zero in
	// the categorizing server's own site.
	SiteCost int `json:"siteCost"`
	// Cost is the aggregate cost: the address space's cost plus SiteCost.
	Cost int `json:"cost"`
}
