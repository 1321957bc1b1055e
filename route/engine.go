package route

import (
	"errors"
	"fmt"
	"math/bits"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/smtp"
	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/topology"
)

// GreylistThreshold is the volume, in messages per hour from one address,
// above which EOP greylists a source that no inbound connector identifies
// (451 4.7.500-699). Microsoft publishes no figure: this is the library's.
const GreylistThreshold = 1000

// MaxHops bounds every recipient's path whatever the organizations' own
// hop limits say, so that a trace always ends. A copy that reaches it is
// [Looped].
const MaxHops = 100

// Errors returned by [Trace]. They are wrapped with the details.
var (
	// ErrInvalidMessage: the message's From, To or Origin is not usable.
	ErrInvalidMessage = errors.New("route: invalid message")
	// ErrNilTopology: Trace was given a nil topology.
	ErrNilTopology = errors.New("route: nil topology")
)

// Status lines of the outcomes the engine produces (Microsoft: "Email
// non-delivery reports and SMTP errors in Exchange Online"; "NDRs in
// Exchange Server").
const (
	StatusDBEB                 = "550 5.4.1 Recipient address rejected: Access denied"
	StatusRelayDenied          = "550 5.4.1 Relay Access Denied"
	StatusTenantRelayDenied    = "550 5.7.64 TenantAttribution; Relay Access Denied"
	StatusRelayDeniedATTR36    = "550 5.7.64 Relay Access Denied ATTR36"
	StatusStartTLS             = "451 5.7.3 Must issue a STARTTLS command first"
	StatusLoopExchangeOnline   = "554 5.4.14 Hop count exceeded - possible mail loop ATTR34"
	StatusLoopOnPremises       = "554 5.4.6 Hop count exceeded - possible mail loop"
	StatusRecipientNotFound    = "550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found"
	StatusUnableToRelay        = "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"
	StatusDNSFailedOnline      = "450 4.4.312 DNS query failed"
	StatusDNSFailedOnPremises  = "451 4.4.0 DNS query failed"
	StatusRecipientNotFoundEXO = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
	// StatusPartnerRestriction is observed, not documented
	// (docs/behaviour.md#d16-status-codes-seen-but-not-documented).
	StatusPartnerRestriction = "550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set"
	// StatusBlockList: the code is documented ("Email non-delivery reports
	// and SMTP errors in Exchange Online"), the text
	// is the library's.
	StatusBlockList                  = "550 5.7.513 Service unavailable, Client host blocked by the customer's IP Block List"
	StatusNotAuthenticatedSubmission = "530 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM"
	StatusSendAsDenied               = "550 5.7.60 SMTP; Client does not have permissions to send as this sender"
	// StatusRejectDirectSend is observed, not documented
	// (docs/behaviour.md#d16-status-codes-seen-but-not-documented).
	StatusRejectDirectSend = "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"
	// StatusGreylisted is one code of the documented 451 4.7.500-699
	// (ASxxx) range ("Fix email delivery issues for error code 451
	// 4.7.500-699 (ASxxx) in Exchange Online").
	StatusGreylisted = "451 4.7.500 Access denied, please try again later"
	// StatusSenderNotAuthenticated answers a recipient that requires
	// authenticated senders: the sender restriction code of "Email
	// non-delivery reports and SMTP errors in Exchange Online".
	StatusSenderNotAuthenticated = "550 5.7.1 Delivery not authorized, message refused"
	StatusForwardingBlocked      = "550 5.7.520 Access denied, Your organization does not allow external forwarding"
	StatusMessageTooLarge        = "550 5.3.4 Message size exceeds fixed maximum message size"
	StatusConnectionRefused      = "450 4.4.316 Connection refused [Message=Socket error code 10061]"
	StatusTLSRequired            = "450 4.4.317 Cannot connect to remote server"
	StatusUntrustedRoot          = "450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot]"
	StatusCertificateInvalid     = "450 4.7.320 Certificate validation failed"
	// On-premises queue and receive errors (observed Exchange Server
	// responses; Microsoft's documents give no others for these cases:
	// docs/behaviour.md#d16-status-codes-seen-but-not-documented).
	StatusUnableToConnectOnPremises  = "451 4.4.0 Primary target IP address responded with: \"421 4.2.1 Unable to connect.\" Attempted failover to alternate host, but that did not succeed."
	StatusStartTLSRequiredOnPremises = "451 5.7.3 STARTTLS is required to send mail"
	StatusMustStartTLSOnPremises     = "530 5.7.0 Must issue a STARTTLS command first"
	StatusNotAuthenticatedOnPremises = "530 5.7.1 Client was not authenticated"
)

// Trace computes, deterministically, where every copy of m goes in t: the
// hops of each recipient, where the message splits, the filtering at each
// hop, and how each recipient's copy ends. It returns an error wrapping
// [ErrInvalidMessage] when m is not usable, never a partial result.
// Trace does not modify t and may run concurrently with other traces.
func Trace(t *topology.Topology, m Message) (*Result, error) {
	return trace(t, m, nil, nil)
}

func trace(t *topology.Topology, m Message, force *connector.Outbound, forceTenant *topology.Tenant) (*Result, error) {
	if t == nil {
		return nil, ErrNilTopology
	}
	// A small message's result, its recipients, their addresses, the
	// first flight's lists, the copies and the outcome's small records
	// come in one allocation.
	b := new(resultBlock)
	rcpts, origin, err := check(t, m, b.names[:0])
	if err != nil {
		return nil, err
	}
	e := enginePool.Get().(*engine)
	defer e.release()
	*e = engine{t: t, force: force, forceTenant: forceTenant, queue: e.queue[:0], outs: e.outs[:0], groups: e.groups[:0], certs: e.certs[:0], headers: m.Headers}
	e.ob = &b.outcomeBlock
	e.res = &b.res
	*e.res = Result{Message: m, Origin: origin.ID}
	n := len(rcpts)
	var all []int
	if n <= len(b.rcpts) {
		e.res.Recipients, e.addr, all = b.rcpts[:n:n], b.addr[:n:n], b.all[:n:n]
	} else {
		e.res.Recipients, e.addr, all = make([]Recipient, n), make([]string, n), make([]int, n)
	}
	hops := make([]Hop, n*hopsPerPath)
	for i, a := range rcpts {
		r := &e.res.Recipients[i]
		r.Address = a
		r.Hops = hops[i*hopsPerPath : i*hopsPerPath : (i+1)*hopsPerPath]
		e.addr[i] = a
		all[i] = i
	}
	e.res.Copies = append(b.copies[:0], Copy{ID: 0, Parent: -1, SplitHop: -1, Recipients: rcpts})
	e.from = m.From
	_, e.fromDomain, _ = splitSender(m.From)
	first := flight{node: origin, rcpts: all, arr: arrival{kind: arrSubmit}, visits: b.visits[:0]}
	e.firstSender = origin.ID
	e.dkimDomain, e.dkimSelector = origin.DkimSigningDomain, origin.DkimSelector
	if o := origin.OnPremises(); o != nil && origin.Kind == topology.KindOnPremises && origin.ServerRole != topology.ClientAccess {
		e.dkimDomain, e.dkimSelector = o.DkimSigner() // docs/behaviour.md#l96-dkim-signing-on-premises
	}
	switch origin.Kind {
	case topology.KindInternet, topology.KindPartner:
		first.arr.kind = arrOrigin // the sending server: it looks up MX records
		e.fromInternet = true
	case topology.KindDevice:
		first.arr.kind = arrOrigin
	case topology.KindEOP:
		// Mail entering at a tenant's MX host comes from some Internet host.
		e.fromInternet, e.firstSender = true, t.Internet().ID
	case topology.KindOnPremises:
		if origin.ServerRole == topology.ClientAccess {
			e.fromInternet, e.firstSender = true, t.Internet().ID
		}
	}
	// The SourceIP replaces the first SMTP sender's address; it must be
	// known before the first arrival is described.
	e.sourceNode, e.sourceIP = topology.NodeID{}, m.SourceIP
	if m.SourceIP.IsValid() {
		if n := nodeOf(t, e.firstSender); n.Kind != topology.KindExchangeOnline && n.Kind != topology.KindOnPremises && n.Kind != topology.KindEOP {
			e.sourceNode = e.firstSender
		}
	}
	if e.firstSender != origin.ID {
		first.arr = arrival{kind: arrSMTP, from: e.peerOf(internet(t)), tls: true}
	}
	e.queue = append(e.queue, first)
	for i := 0; i < len(e.queue); i++ {
		// step may grow the queue: f keeps pointing into the array it
		// was in, which only step reads and writes.
		e.step(&e.queue[i])
	}
	return e.res, nil
}

// ValidateMessage reports whether Trace accepts m in t, without tracing
// it: the error Trace would return (wrapping [ErrInvalidMessage] or
// [ErrNilTopology]), or nil.
func ValidateMessage(t *topology.Topology, m Message) error {
	if t == nil {
		return ErrNilTopology
	}
	_, _, err := check(t, m, nil)
	return err
}

// check validates m and returns its recipients, without duplicates,
// appended to buf, and the node where it enters.
func check(t *topology.Topology, m Message, buf []string) ([]string, *topology.Node, error) {
	var ps []topology.Problem
	bad := func(field, format string, args ...any) {
		ps = append(ps, topology.Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if _, _, _, err := splitSenderErr(m.From); err != nil {
		bad("From", "%q is not an SMTP address: %v", m.From, err)
	}
	if len(m.To) == 0 {
		bad("To", "no recipient")
	}
	rcpts := buf
	if cap(buf) < len(m.To) {
		rcpts = make([]string, 0, len(m.To))
	}
	var seen map[string]bool // for long lists; short ones are scanned
	const scan = 16
	if len(m.To) > scan {
		seen = make(map[string]bool, len(m.To))
	}
	for i, a := range m.To {
		if _, _, err := smtp.Address(a); err != nil {
			bad("To["+strconv.Itoa(i)+"]", "%q is not an SMTP address: %v", a, err)
			continue
		}
		if seen != nil {
			if k := smtp.Key(a); !seen[k] {
				seen[k] = true
				rcpts = append(rcpts, a)
			}
			continue
		}
		if !slices.ContainsFunc(rcpts, func(b string) bool { return strings.EqualFold(a, b) && smtp.Key(a) == smtp.Key(b) }) {
			rcpts = append(rcpts, a)
		}
	}
	var origin *topology.Node
	switch {
	case m.Origin.IsValid():
		origin = nodeOf(t, m.Origin)
		if !valid(origin) {
			bad("Origin", "the topology has no node %s", m.Origin)
		}
	default:
		_, fromDomain, _ := splitSender(m.From)
		if n, _, ok := findMailbox(t, m.From); ok && m.From != "" {
			origin = n
		} else if n, ok := t.ExternalSystem(fromDomain); ok {
			origin = nodeOf(t, n.ID)
		} else {
			origin = internet(t)
		}
	}
	if m.Size < 0 {
		bad("Size", "%d is negative", m.Size)
	}
	for i, h := range m.Headers {
		if strings.TrimSpace(h.Name) == "" {
			bad("Headers["+strconv.Itoa(i)+"].Name", "is empty")
		}
	}
	if m.SCL != nil && (*m.SCL < -1 || *m.SCL > 9) {
		bad("SCL", "%d is not a spam confidence level from -1 to 9", *m.SCL)
	}
	if len(ps) > 0 {
		return nil, nil, &MessageError{Problems: ps}
	}
	return rcpts, origin, nil
}

// MessageError is the error [Trace] and [ValidateMessage] return for a
// message they cannot trace: every problem of the message, in the order
// of its fields (From, To, Origin, Size, Headers, SCL), each naming its
// Field ("To[1]"). It
// matches [ErrInvalidMessage] with errors.Is.
type MessageError struct {
	Problems []topology.Problem
}

// Error returns a line per problem: "route: invalid message: To[1]: …".
func (e *MessageError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = ErrInvalidMessage.Error() + ": " + p.Error()
	}
	return strings.Join(lines, "\n")
}

// Is reports whether target is [ErrInvalidMessage].
func (e *MessageError) Is(target error) bool { return target == ErrInvalidMessage }

func splitSender(from string) (local, domain string, null bool) {
	local, domain, null, _ = splitSenderErr(from)
	return
}

func splitSenderErr(from string) (local, domain string, null bool, err error) {
	if from == "" || from == "<>" {
		return "", "", true, nil
	}
	local, domain, err = smtp.Address(from)
	return local, domain, false, err
}

type engine struct {
	// force, when set, is the outbound connector the tenant forceTenant
	// sends the message through, whatever selection says (connector
	// validation).
	force       *connector.Outbound
	forceTenant *topology.Tenant
	t           *topology.Topology
	res         *Result
	addr        []string // each recipient's current envelope address
	queue       []flight // copies to process, in order; never shrinks
	from        string   // the P1 sender, as address rewriting may have changed it
	fromDomain  string
	// fromInternet: the message entered from outside every modelled
	// organization (the Internet, an external system or a partner).
	fromInternet bool
	// firstSender is the node that first sent the message over SMTP.
	firstSender topology.NodeID
	// sourceNode and sourceIP: the message's SourceIP replaces the address
	// of sourceNode, the first SMTP sender (zero without a SourceIP).
	sourceNode topology.NodeID
	sourceIP   netip.Addr
	outs       []outcome     // scratch: the current hop's decisions
	groups     []int         // scratch: the group of each outcome
	received   bool          // the current hop received the message (RECEIVE)
	events     []Event       // arena the hops' Events are carved from
	filters    []Filter      // arena the hops' Filters are carved from
	ob         *outcomeBlock // where the outcome's small records are carved from
	certs      []certCopy    // scratch: the certificates copied so far
	rstates    []rstate      // what mail flow rules decided per recipient
	headers    []Header      // the message's headers as rules changed them
	ownHeaders bool          // headers is a copy the engine may change
	scl        int           // the SCL a rule set, when sclSet
	sclSet     bool
	sclRule    string
	spamSCL    int        // the spam verdict's SCL, when spamAction is set
	spamAction SpamAction // what the anti-spam policy does with the message
	dmarcDo    dmarcDo    // what the anti-phishing policy does with a DMARC failure
	dmarcFrom  string     // the From domain DMARC checked
	// dkimDomain and dkimSelector are the d= and s= of the message's
	// newest DKIM signature, "" when unsigned; dkimBroken: a hop changed
	// the body after it (docs/behaviour.md#l93-dkim).
	dkimDomain, dkimSelector string
	dkimBroken               bool
	// arcSealer is the domain of the last ARC sealer, "" when none sealed
	// the message; arcDMARC the DMARC result it recorded.
	arcSealer string
	arcDMARC  auth.DMARCResult
	// lowSubject and lowBody are the message's subject and body in lower
	// case, once lowered is true (a rule tested their words).
	lowSubject, lowBody string
	lowered             bool
}

// enginePool keeps engines' scratch slices (queue, outs, groups) from one
// trace to the next. Nothing a Result refers to comes from the pool.
var enginePool = sync.Pool{New: func() any { return new(engine) }}

// release returns e to the pool, dropping every reference to the trace.
func (e *engine) release() {
	clear(e.queue)
	clear(e.outs)
	clear(e.certs)
	*e = engine{queue: e.queue[:0], outs: e.outs[:0], groups: e.groups[:0], certs: e.certs[:0]}
	enginePool.Put(e)
}

// noFilters is the Filters of hops where no filtering stage runs: empty,
// not nil, so that JSON shows [].
var noFilters = []Filter{}

// flight is one copy of the message arriving at a node.
type flight struct {
	copy   int
	node   *topology.Node
	rcpts  []int // ascending
	arr    arrival
	auth   AuthAs
	dir    Directionality
	depth  int     // hops before this one
	visits []visit // per organization, in first-visit order
	// viaOnPrem: the copy entered its current tenant through an OnPremises
	// inbound connector (the CMT loop guard of the Exchange Team Blog's
	// "Demystifying Centralized Mail Transport and Criteria Based Routing").
	viaOnPrem bool
}

type arrivalKind uint8

const (
	arrOrigin           arrivalKind = iota // the Internet or a partner sending the message
	arrSubmit                              // submitted from a mailbox on this node
	arrSMTP                                // received over SMTP
	arrMailboxDelivery                     // sent by a server of the organization to the mailbox server
	arrClientSubmission                    // SMTP AUTH client submission (smtp.office365.com:587)
)

// peer is what a hop knows of the node that connected to it.
type peer struct {
	id     topology.NodeID
	ip     netip.Addr
	tenant *topology.Tenant
	onprem *topology.OnPremises
}

// peerOf returns the node as the sending side of a connection; the
// message's SourceIP replaces the first SMTP sender's address.
func (e *engine) peerOf(n *topology.Node) peer {
	p := peer{id: n.ID, ip: n.IPAddress, tenant: n.Tenant(), onprem: n.OnPremises()}
	if n.ID == e.sourceNode {
		p.ip = e.sourceIP
	}
	return p
}

// arrival is how a copy reached its node: what the sending side presented.
type arrival struct {
	kind arrivalKind
	from peer
	tls  bool
	// cert is the name on the certificate the sender presented, if any,
	// and clientCert the certificate (nil when the topology declares none).
	cert       string
	clientCert topology.NodeCertificate
	// required are the sending side's TLS requirements.
	required []TLSRequirement
	// crossPremises: the sending connector kept the organization headers
	// as X-MS-Exchange-CrossPremises-* (CloudServicesMailEnabled).
	crossPremises bool
	// described caches describedCertificate: 0 until computed, then
	// described or notDescribed.
	described uint8
}

const (
	described    = 1
	notDescribed = 2
)

// describedCertificate reports whether clientCert is the certificate the
// sender presented: the topology describes it and it carries the
// presented name. A Send connector's TlsCertificateName may name a
// certificate the topology does not describe (the server holds several);
// the library takes that one as issued by a trusted authority
// (docs/behaviour.md#l12-a-certificate-named-only-by-tlscertificatename).
func (arr *arrival) describedCertificate() bool {
	if arr.described == 0 {
		arr.described = notDescribed
		if arr.cert != "" && !arr.clientCert.IsZero() && arr.clientCert.Matches(arr.cert) {
			arr.described = described
		}
	}
	return arr.described == described
}

// presentedCertificate returns the names of the certificate the sender
// presented, its subject and subject alternative names, and whether it is
// trusted: it chains to a trusted root and is neither self-signed,
// expired nor revoked; nil and false for none.
func (arr *arrival) presentedCertificate() ([]string, bool) {
	switch {
	case arr.cert == "":
		return nil, false
	case arr.describedCertificate():
		return certificateNames(arr.clientCert), certificateTrusted(arr.clientCert)
	}
	return []string{arr.cert}, true
}

// certificateTrusted reports whether a certificate passes validation.
func certificateTrusted(c topology.NodeCertificate) bool {
	return !c.IsZero() && !c.IsSelfSigned() && c.Status() == topology.CertificateValid
}

// visit records what a copy's lineage did in one organization.
type visit struct {
	org     any // *topology.Tenant or *topology.OnPremises
	entries int // times it entered a tenant's EOP from outside
	local   int // hops inside an on-premises organization
	scanned int // 1 + hop index where anti-malware ran, 0 if not yet
	rules   int // same for mail flow rules / compliance processing
	spam    int // same for anti-spam
	journal int // same for journal rules
}

func (f *flight) visit(org any) *visit {
	for i := range f.visits {
		if f.visits[i].org == org {
			return &f.visits[i]
		}
	}
	if f.visits == nil {
		f.visits = make([]visit, 0, 2)
	}
	f.visits = append(f.visits, visit{org: org})
	return &f.visits[len(f.visits)-1]
}

// outcome is what a hop decided for one recipient.
type outcome struct {
	rcpt     int
	redirect bool           // a rule replaced the recipient (REDIRECT)
	next     *topology.Node // forwarding when not nil
	disp     Disposition    // terminal when not zero
	status   string
	resolve  bool
	conn     string
	route    *SendRoute // how sites decided the Send connector, if they did
	reason   string
	arr      arrival
	sendTLS  *TLS // the failed connection to the next host, if TLS failed
	// atRCPT says how the hop's filtering stages concern a recipient at a
	// hop that decides at RCPT TO: a refused recipient is never
	// categorized, so only the stages that ran before its refusal are its.
	atRCPT rcptFate
	// atReceipt: the receiving side deferred it (at RCPT TO), so the
	// sender's queue holds it; connection: it was deferred because the
	// next host could not be connected to, or refused TLS.
	atReceipt, connection bool
}

// rcptFate is what RCPT TO decided for a recipient at an entry hop.
type rcptFate uint8

const (
	rcptNone     rcptFate = iota // not an entry hop's RCPT TO decision
	rcptAccepted                 // accepted: every stage, DBEB passed for it
	rcptRefused                  // refused by attribution or relay, before DBEB
	rcptDBEB                     // rejected by Directory-Based Edge Blocking
)

func (e *engine) step(f *flight) {
	h := Hop{Node: f.node.ID, Kind: f.node.Kind, Role: f.node.Role, Copy: f.copy, Filters: noFilters}
	switch f.arr.kind {
	case arrSMTP, arrMailboxDelivery, arrClientSubmission:
		h.TLS = e.connection(&f.arr, f.node)
	}
	e.outs = e.outs[:0]
	e.received = false
	if f.depth >= MaxHops {
		status := StatusLoopOnPremises
		if f.node.Kind == topology.KindEOP || f.node.Kind == topology.KindExchangeOnline {
			status = StatusLoopExchangeOnline
		}
		e.terminalAll(f, Looped, status, "the path reached mailflow's MaxHops ("+strconv.Itoa(MaxHops)+"): mail loop")
		e.finish(f, &h)
		return
	}
	switch f.node.Kind {
	case topology.KindEOP:
		e.eop(f, &h)
	case topology.KindExchangeOnline:
		e.exchangeOnline(f, &h)
	case topology.KindOnPremises, topology.KindEdge:
		e.onPremises(f, &h)
	default:
		if f.arr.kind == arrOrigin {
			e.sender(f, &h)
		} else {
			e.external(f, &h)
		}
	}
	e.finish(f, &h)
}

func (e *engine) terminalAll(f *flight, d Disposition, status, reason string) {
	for _, r := range f.rcpts {
		e.outs = append(e.outs, outcome{rcpt: r, disp: d, status: status, reason: reason, atReceipt: d == Deferred})
	}
}

// finish records the hop for every recipient, splits the copy where the
// recipients' next hops differ and queues the copies that go on.
//
// Recipients that go to the same next node through the same connector, or
// that are delivered here, travel together; the first such group (in
// message order) stays in the copy, each other one becomes a new copy
// (TRANSFER). A recipient rejected, deferred or looped here ends in the
// copy it arrived in.
func (e *engine) finish(f *flight, h *Hop) {
	var buf [4]outGroup
	groups := e.groupOutcomes(buf[:0])
	e.splitCopies(f, groups)
	for i := range e.outs {
		copyID := f.copy
		if g := e.groups[i]; g >= 0 {
			copyID = groups[g].copy
		}
		e.record(f, h, &e.outs[i], copyID)
	}
	for g := range groups {
		if valid(groups[g].next) {
			e.queue = append(e.queue, flight{})
			e.nextFlight(&e.queue[len(e.queue)-1], f, h, groups, g)
		}
	}
}

// outGroup is the recipients of a hop that go on together: to the same
// next node through the same connector, or delivered here.
type outGroup struct {
	next *topology.Node // nil for deliveries here
	conn string
	copy int // the copy that carries them
	n    int // how many
}

// groupOutcomes groups the hop's outcomes that go on or are delivered, in
// message order, and records each outcome's group in e.groups (-1 for
// those that end here otherwise).
func (e *engine) groupOutcomes(groups []outGroup) []outGroup {
	e.groups = e.groups[:0]
	for i := range e.outs {
		o := &e.outs[i]
		g := -1
		if o.disp == 0 || o.disp == Delivered {
			g = slices.IndexFunc(groups, func(g outGroup) bool { return idOf(g.next) == idOf(o.next) && g.conn == o.conn })
			if g < 0 {
				groups = append(groups, outGroup{next: o.next, conn: o.conn})
				g = len(groups) - 1
			}
			groups[g].n++
		}
		e.groups = append(e.groups, g)
	}
	return groups
}

// splitCopies keeps the first group in the flight's copy and makes a new
// copy of each other one, split from it here (a TRANSFER for its
// recipients).
func (e *engine) splitCopies(f *flight, groups []outGroup) {
	for i := range groups {
		if i == 0 {
			groups[i].copy = f.copy
			continue
		}
		groups[i].copy = len(e.res.Copies)
		parent := &e.res.Copies[f.copy]
		parent.Children = append(parent.Children, groups[i].copy)
		rs := make([]string, 0, groups[i].n)
		for j, g := range e.groups {
			if g == i {
				rs = append(rs, e.res.Recipients[e.outs[j].rcpt].Address)
			}
		}
		e.res.Copies = append(e.res.Copies, Copy{ID: groups[i].copy, Parent: f.copy, SplitNode: f.node.ID, SplitHop: f.depth, Recipients: rs})
	}
}

// outcomeEvents returns the events of an outcome at its hop, moved to
// another copy (transfer) or not.
func (e *engine) outcomeEvents(o *outcome, transfer bool) eventMask {
	var mask eventMask
	if e.received {
		mask |= evReceive
	}
	if o.resolve {
		mask |= evResolve
	}
	if o.redirect {
		mask |= evRedirect
	}
	if transfer {
		mask |= evTransfer
	}
	switch o.disp {
	case 0:
		mask |= evSend
	case Delivered:
		mask |= evDeliver
	case Relayed, Quarantined:
		// Handed over, or held in quarantine: no further event (the trace
		// status says it).
	case Deferred:
		mask |= evDefer
	case Dropped:
		mask |= evDrop
	case Expanded:
		mask |= evExpand
	default:
		mask |= evFail
	}
	return mask
}

// record appends the hop to the outcome's recipient, who leaves it in copy
// copyID, and ends the recipient there when the outcome is terminal.
func (e *engine) record(f *flight, h *Hop, o *outcome, copyID int) {
	reason := o.reason
	if copyID != f.copy {
		reason += " [split: copy " + strconv.Itoa(copyID) + "]"
	}
	r := &e.res.Recipients[o.rcpt]
	r.Hops = append(r.Hops, *h)
	hop := &r.Hops[len(r.Hops)-1]
	if o.atRCPT != rcptNone {
		hop.Filters = e.recipientStages(h.Filters, o)
	}
	hop.Events = e.eventsOf(e.outcomeEvents(o, copyID != f.copy))
	hop.Connector, hop.SendRoute = o.conn, o.route
	hop.SendTLS = o.sendTLS
	if e.from != e.res.Message.From {
		hop.Sender = e.from
	}
	if o.rcpt < len(e.rstates) && e.rstates[o.rcpt].srs != "" {
		hop.Sender = e.rstates[o.rcpt].srs
	}
	hop.Reason = reason
	r.Copy = copyID
	if o.disp == 0 {
		return
	}
	r.Disposition = o.disp
	r.Status, _ = ParseStatus(o.status) // the engine's lines parse: TestStatusLines
	if o.disp == Deferred {
		r.Retry = e.retry(f, o)
	}
	if o.disp == Delivered {
		r.Folder = Inbox
		if e.spamAction == MoveToJmf || e.dmarcDo == dmarcJunk {
			r.Folder = JunkEmail
		}
	}
}

// recipientStages returns the hop's filtering stages as they concern
// recipient o, whose fate RCPT TO decided: a recipient refused at RCPT TO
// has only the stages that ran before its refusal (the connection's), and
// DBEB's verdict is each recipient's own.
func (e *engine) recipientStages(filters []Filter, o *outcome) []Filter {
	dbeb := slices.IndexFunc(filters, func(f Filter) bool { return f.Stage == DBEB })
	if dbeb < 0 {
		return filters
	}
	addr := e.addr[o.rcpt]
	switch o.atRCPT {
	case rcptRefused:
		return filters[:dbeb:dbeb]
	case rcptDBEB:
		out := append(e.newFilters(dbeb+1), filters[:dbeb+1]...)
		out[dbeb].Reason = addr + " is no recipient of the tenant and its domain is Authoritative"
		return out
	}
	if filters[dbeb].Verdict != VerdictReject {
		return filters
	}
	out := append(e.newFilters(len(filters)), filters...)
	out[dbeb].Verdict = VerdictPass
	out[dbeb].Reason = addr + " is in the tenant's directory, or its domain is not Authoritative"
	return out
}

// nextFlight sets next, a zero flight, to the flight of group g to its
// next node: its copy, its recipients in message order, the attribution
// the hop gave, and the organization visits of the lineage (a split-off
// copy gets its own).
func (e *engine) nextFlight(next, f *flight, h *Hop, groups []outGroup, g int) {
	for i, gi := range e.groups {
		if gi != g {
			continue
		}
		o := &e.outs[i]
		if valid(next.node) {
			next.rcpts = append(next.rcpts, o.rcpt)
			continue
		}
		*next = flight{copy: groups[g].copy, node: o.next, arr: o.arr, auth: h.AuthAs, dir: h.Directionality,
			depth: f.depth + 1, visits: f.visits, viaOnPrem: f.viaOnPrem && o.next.Kind != topology.KindOnPremises && o.next.Kind != topology.KindEdge}
		if g > 0 {
			next.visits = slices.Clone(f.visits)
		}
		if groups[g].n == len(f.rcpts) {
			next.rcpts = f.rcpts // nobody left or parted: the same recipients go on
			return
		}
		next.rcpts = make([]int, 1, groups[g].n)
		next.rcpts[0] = o.rcpt
	}
}

// eventMask is a set of events; eventsOf spells it out in trace order.
type eventMask uint16

const (
	evReceive eventMask = 1 << iota
	evRedirect
	evResolve
	evTransfer
	evSend
	evDeliver
	evDefer
	evFail
	evDrop
	evExpand
)

// eventOrder spells out an eventMask, bit by bit, in trace order.
var eventOrder = [...]Event{RECEIVE, REDIRECT, RESOLVE, TRANSFER, SEND, DELIVER, DEFER, FAIL, DROP, EXPAND}

func (e *engine) eventsOf(m eventMask) []Event {
	ev := e.newEvents(bits.OnesCount16(uint16(m)))
	n := 0
	for i, name := range eventOrder {
		if m&(1<<i) != 0 {
			ev[n] = name
			n++
		}
	}
	return ev
}

func domainOf(addr string) string {
	return smtp.Key(addr[strings.LastIndexByte(addr, '@')+1:])
}

// mx resolves domain's MX for a sender of the given kind: the node of the
// most preferred record whose host accepts connections (DNS order:
// preference, then name), or a terminal outcome.
func (e *engine) mx(o *outcome, domain string, self *topology.Node, prefix string) {
	var buf [4]topology.MXRecord
	recs := e.t.AppendMX(buf[:0], domain)
	var skipped strings.Builder
	for _, r := range recs {
		n := resolveHost(e.t, r.NameExchange)
		if n == nil {
			n = &noNode
		}
		if n.Offline {
			skipped.WriteString(strconv.Itoa(r.Preference) + " " + r.NameExchange + " refuses connections; ")
			continue
		}
		o.next = n
		o.reason = prefix + "MX " + domain + ": " + skipped.String() + strconv.Itoa(r.Preference) + " " + r.NameExchange + " (" + n.ID.String() + ")"
		return
	}
	if len(recs) == 0 {
		_, t := e.t.TenantAccepting(domain)
		_, p := e.t.OnPremisesAccepting(domain)
		if t || p {
			o.disp = Deferred
			switch self.Kind {
			case topology.KindEOP:
				o.status = StatusDNSFailedOnline
			case topology.KindOnPremises, topology.KindEdge:
				o.status = StatusDNSFailedOnPremises
			}
			o.reason = prefix + "no MX record for " + domain + ", an accepted domain of a modelled organization: DNS lookup fails"
			return
		}
		o.next = internet(e.t)
		o.reason = prefix + "no MX record for " + domain + " in the topology: delivered to the Internet"
		return
	}
	e.refused(o, self, prefix+"MX "+domain+": "+strings.TrimSuffix(skipped.String(), "; "))
}

// refused defers a recipient whose every next host refuses connections.
func (e *engine) refused(o *outcome, self *topology.Node, reason string) {
	o.next = nil
	o.disp, o.connection = Deferred, true
	switch self.Kind {
	case topology.KindEOP:
		o.status = StatusConnectionRefused
		reason += "; EOP retries for 24 hours, then returns the message"
	case topology.KindOnPremises, topology.KindEdge:
		o.status = StatusUnableToConnectOnPremises
		reason += "; the queue retries until MessageExpirationTimeOut (2 days)"
	}
	o.reason = reason
}

// tlsPolicy is what a sending connector requires of a connection.
type tlsPolicy struct {
	require  bool   // TLS or nothing (EncryptionOnly and up, RequireTLS)
	validate bool   // a trusted, valid certificate (CertificateValidation and up)
	domain   string // the name the certificate must carry (DomainValidation)
	// setting is the configuration that requires it, for the reason of a
	// failed connection (setting.text).
	setting tlsSetting
	// reqs are the settings that require it, for the connection's record.
	reqs []TLSRequirement
}

// tlsSetting is the configuration behind a tlsPolicy, in parts that only
// a failed connection's reason puts together (text), so that a connection
// that succeeds builds no string: `TlsSettings DomainValidation on
// "Contoso"`, `RequireTLS $true on "To Internet" with TlsAuthLevel
// CertificateValidation`.
type tlsSetting struct {
	param, value string // "TlsSettings ", "DomainValidation"
	connector    string // the connector that has it, quoted after " on "
	also, value2 string // what adds to it: " with TlsAuthLevel ", "CertificateValidation"
}

// text returns the setting as a reason names it.
func (s *tlsSetting) text() string {
	t := s.param + s.value
	if s.connector != "" {
		t += " on \"" + s.connector + "\""
	}
	return t + s.also + s.value2
}

// connect opens the SMTP connection of an outcome going to o.next: TLS is
// used when both ends offer it, and the sending connector's policy is
// checked against the certificate the next host presents. A failure defers
// the recipient (TLS governs this hop only: "Configuration du flux de
// messagerie externe pour les partenaires"; retries: "Mail flow
// intelligence").
func (e *engine) connect(o *outcome, self *topology.Node, p tlsPolicy) {
	n := o.next
	if !valid(n) || o.disp != 0 {
		return
	}
	online := self.Kind == topology.KindEOP || self.Kind == topology.KindExchangeOnline
	o.arr.tls = self.StartTLS && n.StartTLS
	o.arr.required = p.reqs
	fail := func(status, why string, failure TLSFailure) {
		o.sendTLS = e.connection(&o.arr, n)
		o.sendTLS.Failure = failure
		o.next = nil
		o.disp, o.status, o.connection = Deferred, status, true
		o.reason += "; " + p.setting.text() + ": " + why
		if online {
			o.reason += "; EOP retries for 24 hours, then returns the message"
		}
	}
	switch {
	case !p.require:
		return
	case !o.arr.tls:
		if online {
			fail(StatusTLSRequired, n.ID.String()+" does not offer STARTTLS", NoSTARTTLS)
		} else {
			fail(StatusStartTLSRequiredOnPremises, n.ID.String()+" does not offer STARTTLS", NoSTARTTLS)
		}
		return
	case !p.validate:
		return
	}
	c := n.Certificate
	var status, why string
	var failure TLSFailure
	switch {
	case c.IsZero():
		status, why, failure = StatusUntrustedRoot, n.ID.String()+" presents no certificate", NoCertificate
	case c.IsSelfSigned() || c.Status() == topology.CertificateUntrusted:
		status, why, failure = StatusUntrustedRoot, n.ID.String()+"'s certificate "+c.Subject()+" does not chain to a trusted root", UntrustedRoot
	case c.Status() == topology.CertificateDateInvalid:
		status, why, failure = StatusCertificateInvalid, n.ID.String()+"'s certificate "+c.Subject()+" has expired", ExpiredCertificate
	case c.Status() == topology.CertificateRevoked:
		status, why, failure = StatusCertificateInvalid, n.ID.String()+"'s certificate "+c.Subject()+" is revoked", RevokedCertificate
	case p.domain != "" && !c.Matches(p.domain):
		status, why, failure = StatusCertificateInvalid, "SubjectMismatch: "+n.ID.String()+"'s certificate is for "+strings.Join(slices.Collect(c.Names()), ", ")+", not "+p.domain, SubjectMismatch
	default:
		return
	}
	if !online {
		status = "" // Exchange Server keeps the message queued; no documented status
	}
	fail(status, why, failure)
}

// presented returns the name on the certificate a node presents, "" for
// none.
func presented(n *topology.Node) string { return n.Certificate.Subject() }

// sender is the origin hop of a message from the Internet or a partner:
// the sending server looks up each recipient domain's MX.
func (e *engine) sender(f *flight, h *Hop) {
	if f.node.Kind == topology.KindInternet {
		h.Role = topology.RoleInternetSender
	}
	for _, r := range f.rcpts {
		o := outcome{rcpt: r, arr: arrival{kind: arrSMTP, from: e.peerOf(f.node), cert: presented(f.node), clientCert: f.node.Certificate}}
		if as := f.node.AuthenticatedAs; as != "" {
			// SMTP AUTH client submission as a licensed mailbox, whatever the
			// recipients ("How to set up a multifunction device or application
			// to send email using Microsoft 365 or Office 365").
			o.next, _, _ = findMailbox(e.t, as)
			o.arr = arrival{kind: arrClientSubmission, from: e.peerOf(f.node), tls: f.node.StartTLS}
			o.reason = f.node.ID.String() + " submits to smtp.office365.com:587 (SMTP client submission), authenticating as " + as
			e.outs = append(e.outs, o)
			continue
		}
		if f.node.SmartHost != "" {
			e.smartHost(&o, f.node, []string{f.node.SmartHost}, f.node.ID.String()+" sends all its mail to its ")
		} else {
			e.mx(&o, domainOf(e.addr[r]), f.node, "")
		}
		if idOf(o.next) == f.node.ID {
			o.next = nil
			o.disp = Relayed
			o.reason = "the recipient is outside the modelled organizations"
		}
		e.connect(&o, f.node, tlsPolicy{})
		e.outs = append(e.outs, o)
	}
}

// external is a host outside the modelled organizations receiving the
// message: the modelled path ends there, unless it is an appliance that
// forwards.
func (e *engine) external(f *flight, h *Hop) {
	e.received = true
	if f.node.Kind == topology.KindAppliance {
		e.appliance(f, h)
		return
	}
	if f.node.Kind == topology.KindInternet {
		h.Role = topology.RoleInternetMX
	}
	reason := f.node.ID.String() + " is outside the modelled organizations: the message is handed over to it"
	e.terminalAll(f, Relayed, "", reason)
}

// appliance forwards everything to its smart host
// (docs/behaviour.md#l5-a-device-that-processes-smtp). A
// transparent one, a firewall passing port 25, changes nothing: the next
// hop sees the original connection. One that processes SMTP re-sends the
// message with its own address and certificate and drops the organization
// and cross-premises headers, so the message is no longer internal.
func (e *engine) appliance(f *flight, h *Hop) {
	h.AuthAs, h.Directionality = f.auth, f.dir
	processes := f.node.ID.String() + " processes SMTP: it re-sends the message with its own address and certificate and drops the X-MS-Exchange-Organization and cross-premises headers; "
	if !f.node.Transparent && f.node.ModifiesMessage() {
		processes = e.modify(f, h)
	}
	for _, r := range f.rcpts {
		o := outcome{rcpt: r}
		if f.node.Transparent {
			e.smartHost(&o, f.node, []string{f.node.SmartHost}, f.node.ID.String()+" passes SMTP through unchanged (a firewall allowing port 25): ")
			o.arr = f.arr
		} else {
			e.smartHost(&o, f.node, []string{f.node.SmartHost}, processes)
			o.arr = arrival{kind: arrSMTP, from: e.peerOf(f.node), cert: presented(f.node), clientCert: f.node.Certificate}
			o.arr.crossPremises = f.node.KeepsOrganizationHeaders && f.arr.crossPremises
			e.connect(&o, f.node, tlsPolicy{})
		}
		e.outs = append(e.outs, o)
	}
	if !f.node.Transparent && !(f.node.KeepsOrganizationHeaders && f.arr.crossPremises) {
		h.AuthAs, h.Directionality = 0, 0 // what it sends on carries no attribution
	}
}
