package analysis

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/mailflowsim/mailflow/internal/smtp"
	"github.com/mailflowsim/mailflow/internal/topoview"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// FlowClass is a class of mail flows: mail from senders at one location to
// one class of recipients, stood for by one representative message.
type FlowClass struct {
	// Sender names where the mail comes from:
	//   - "Internet": an Internet host (From someone@internet.example);
	//   - an external system's node ID ("partner:contosobank",
	//     "ext:cpandl", "device:mfp-auth"), which sends the message;
	//   - "mailbox <node>": a mailbox on that node ("mailbox exo:contoso",
	//     "mailbox onprem:contoso/EX02").
	Sender string `json:"sender"`
	// Recipient names the class of recipients:
	//   - "<domain> mailbox <node>": the accepted domain's mailboxes on that
	//     node;
	//   - "<domain> group": its distribution groups;
	//   - "<domain> unknown": an address of the domain no recipient has;
	//   - "external <domain>": an external system's domain;
	//   - "Internet": a domain nothing in the topology declares.
	Recipient string `json:"recipient"`
	// SenderKind and RecipientKind say what kind of location and class
	// they are, for programs: one of the Flow* constants.
	SenderKind    FlowKind `json:"senderKind"`
	RecipientKind FlowKind `json:"recipientKind"`
	// Message is the representative message: for a mailbox sender its
	// first mailbox (ascending address), for an external system an address
	// of its first domain (a Device's AuthenticatedAs mailbox, or else the
	// topology's first mailbox, for a device), for the recipients the first
	// mailbox or group of the class, "unknown-recipient@<domain>", or
	// "someone@<domain>".
	Message route.Message `json:"message"`
}

// FlowKind is the kind of a flow class's sender location or recipient
// class.
type FlowKind string

// The flow kinds.
const (
	FlowInternet FlowKind = "Internet" // the Internet: a sender or a domain nothing declares
	FlowExternal FlowKind = "External" // an external system (Internet domain host, partner, device) or its domain
	FlowMailbox  FlowKind = "Mailbox"  // mailboxes on a node
	FlowGroup    FlowKind = "Group"    // an accepted domain's distribution groups
	FlowUnknown  FlowKind = "Unknown"  // an address of an accepted domain that no recipient has
)

// String returns the kind's name: "Mailbox".
func (k FlowKind) String() string { return string(k) }

// Key returns "Sender -> Recipient", which names the class uniquely.
func (c FlowClass) Key() string { return c.Sender + " -> " + c.Recipient }

// The addresses that stand for the Internet.
const (
	internetSender    = "someone@internet.example"
	internetRecipient = "someone@internet-recipient.example"
)

// FlowClasses returns the flow classes of a topology: every sender
// location to every recipient class. Senders come in this order: the
// Internet, the external systems that send (Internet domains' hosts with
// a domain, partners and devices) by node ID, then the nodes holding
// mailboxes by node ID; recipient classes in this order: the accepted
// domains of every organization, ascending, each with its mailboxes by
// node ID, its groups and an unknown address; then the external systems'
// domains, ascending; then the Internet. Classes come sender by sender,
// each with every recipient class in that order.
func FlowClasses(t *topology.Topology) ([]FlowClass, error) {
	if t == nil {
		return nil, route.ErrNilTopology
	}
	return flowClasses(t), nil
}

func flowClasses(t *topology.Topology) []FlowClass {
	dir := newDirectory(t)
	nodes := dir.sortedLocations()
	rcpts := recipientClasses(t, dir, nodes)
	senders := senderLocations(t, nodes)
	out := make([]FlowClass, 0, len(senders)*len(rcpts))
	for _, s := range senders {
		for _, r := range rcpts {
			out = append(out, FlowClass{Sender: s.name, Recipient: r.name, SenderKind: s.kind, RecipientKind: r.kind, Message: route.Message{From: s.from, To: []string{r.addr}, Origin: s.origin}})
		}
	}
	return out
}

// rcptClass is a recipient class: its name, representative address and
// kind.
type rcptClass struct {
	name, addr string
	kind       FlowKind
}

// sender is a sender location: its name, representative address, the
// node where its messages enter, and its kind.
type sender struct {
	name, from string
	origin     topology.NodeID
	kind       FlowKind
}

// location is a node holding mailboxes.
type location struct {
	node  topology.NodeID
	first string            // the first mailbox address there
	byDom map[string]string // domain -> first mailbox of the domain there
}

// directory is what the flow classes need of the organizations'
// recipients: where the mailboxes are, each domain's first group, and
// the accepted domains.
type directory struct {
	locs    map[topology.NodeID]*location
	groups  map[string]string // domain -> first group address
	domains map[string]bool   // accepted domains, as keys
}

// The organizations' recipients, read in place (package
// internal/topoview): newDirectory only reads their addresses and types.
var (
	tenantRecipients     = topoview.TenantRecipients.(func(*topology.Tenant) []topology.Recipient)
	onPremisesRecipients = topoview.OnPremisesRecipients.(func(*topology.OnPremises) []topology.Recipient)
)

// newDirectory collects the mailboxes, groups and accepted domains of
// every organization of t.
func newDirectory(t *topology.Topology) *directory {
	d := &directory{locs: map[topology.NodeID]*location{}, groups: map[string]string{}, domains: map[string]bool{}}
	for x := range t.Tenants() {
		d.addDomains(x.AcceptedDomains())
		for i, rs := 0, tenantRecipients(x); i < len(rs); i++ {
			d.add(x.ExchangeOnline(), true, &rs[i])
		}
	}
	for o := range t.OnPremisesOrgs() {
		d.addDomains(o.AcceptedDomains())
		for i, rs := 0, onPremisesRecipients(o); i < len(rs); i++ {
			id, ok := o.Server(rs[i].Server)
			d.add(id, ok, &rs[i])
		}
	}
	return d
}

func (d *directory) addDomains(ds iter.Seq[topology.AcceptedDomain]) {
	for a := range ds {
		d.domains[smtp.Key(a.DomainName)] = true
	}
}

// add records a recipient: a mailbox on node (when hasNode), or a group.
func (d *directory) add(node topology.NodeID, hasNode bool, r *topology.Recipient) {
	a := r.PrimarySmtpAddress
	switch t := r.RecipientTypeDetails; {
	case t.IsMailbox():
		if hasNode {
			d.addMailbox(node, a)
		}
	case t.IsDistributionGroup():
		if cur, ok := d.groups[domainOf(a)]; !ok || a < cur {
			d.groups[domainOf(a)] = a
		}
	}
}

func (d *directory) addMailbox(node topology.NodeID, a string) {
	l := d.locs[node]
	if l == nil {
		l = &location{node: node, byDom: map[string]string{}}
		d.locs[node] = l
	}
	if l.first == "" || a < l.first {
		l.first = a
	}
	dom := domainOf(a)
	if cur, ok := l.byDom[dom]; !ok || a < cur {
		l.byDom[dom] = a
	}
}

// sortedLocations returns the locations by node ID.
func (d *directory) sortedLocations() []*location {
	return slices.SortedFunc(maps.Values(d.locs), func(a, b *location) int { return strings.Compare(a.node.String(), b.node.String()) })
}

// recipientClasses returns the recipient classes in FlowClasses' order.
func recipientClasses(t *topology.Topology, dir *directory, nodes []*location) []rcptClass {
	var rcpts []rcptClass
	for _, d := range slices.Sorted(maps.Keys(dir.domains)) {
		for _, l := range nodes {
			if a, ok := l.byDom[d]; ok {
				rcpts = append(rcpts, rcptClass{d + " mailbox " + l.node.String(), a, FlowMailbox})
			}
		}
		if a, ok := dir.groups[d]; ok {
			rcpts = append(rcpts, rcptClass{d + " group", a, FlowGroup})
		}
		rcpts = append(rcpts, rcptClass{d + " unknown", "unknown-recipient@" + d, FlowUnknown})
	}
	for d := range t.ExternalDomains() {
		if !dir.domains[d] {
			rcpts = append(rcpts, rcptClass{"external " + d, "someone@" + d, FlowExternal})
		}
	}
	return append(rcpts, rcptClass{"Internet", internetRecipient, FlowInternet})
}

// senderLocations returns the sender locations in FlowClasses' order.
func senderLocations(t *topology.Topology, nodes []*location) []sender {
	senders := []sender{{"Internet", internetSender, t.Internet().ID, FlowInternet}}
	firstMailbox := ""
	if len(nodes) > 0 {
		firstMailbox = nodes[0].first
	}
	extDomain := externalDomains(t)
	for n := range t.Nodes() {
		switch n.Kind {
		case topology.KindInternet, topology.KindPartner:
			if d, ok := extDomain[n.ID]; ok {
				senders = append(senders, sender{n.ID.String(), "someone@" + d, n.ID, FlowExternal})
			}
		case topology.KindDevice:
			if from := cmp.Or(n.AuthenticatedAs, firstMailbox); from != "" {
				senders = append(senders, sender{n.ID.String(), from, n.ID, FlowExternal})
			}
		}
	}
	for _, l := range nodes {
		senders = append(senders, sender{"mailbox " + l.node.String(), l.first, l.node, FlowMailbox})
	}
	return senders
}

// externalDomains returns each external system's first domain
// (ascending).
func externalDomains(t *topology.Topology) map[topology.NodeID]string {
	extDomain := map[topology.NodeID]string{}
	for d := range t.ExternalDomains() {
		if n, ok := t.ExternalSystem(d); ok {
			if _, seen := extDomain[n.ID]; !seen {
				extDomain[n.ID] = d
			}
		}
	}
	return extDomain
}

// Reach is a flow class and its trace. Its JSON form is an object with
// the keys "class", "result" (when traced) and "error" (the message of
// Err, when not).
type Reach struct {
	// Class is the flow class.
	Class FlowClass
	// Result is the trace of its representative message; nil when Err
	// is set.
	Result *route.Result
	// Err is why the representative message could not be traced: the
	// error of [route.Trace], such as a [*route.MessageError]; nil when
	// Result is set.
	Err error
}

// MarshalJSON writes the reach as an object with the keys "class",
// "result" and "error", the last two left out when empty.
func (r Reach) MarshalJSON() ([]byte, error) {
	type reach struct {
		Class  FlowClass     `json:"class"`
		Result *route.Result `json:"result,omitempty"`
		Err    string        `json:"error,omitempty"`
	}
	j := reach{Class: r.Class, Result: r.Result}
	if r.Err != nil {
		j.Err = r.Err.Error()
	}
	return json.Marshal(j)
}

// Reachability traces the representative message of every flow class of
// t ([FlowClasses]) and returns the classes in their order with their
// traces. It traces on every CPU (GOMAXPROCS goroutines); the result does
// not depend on how many.
func Reachability(t *topology.Topology) ([]Reach, error) {
	if t == nil {
		return nil, route.ErrNilTopology
	}
	return traceAll(t, flowClasses(t)), nil
}

// traceAll traces the classes' messages in parallel, results in class
// order.
func traceAll(t *topology.Topology, classes []FlowClass) []Reach {
	out := make([]Reach, len(classes))
	workers := min(runtime.GOMAXPROCS(0), len(classes))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(classes); i += workers {
				out[i].Class = classes[i]
				res, err := route.Trace(t, classes[i].Message)
				if err != nil {
					out[i].Err = err
					continue
				}
				out[i].Result = res
			}
		})
	}
	wg.Wait()
	return out
}

// Outcome summarizes the trace of a class for one table row: each
// recipient's disposition, status and path.
func (r Reach) Outcome() string {
	if r.Result == nil {
		return "error: " + r.Err.Error()
	}
	var parts []string
	for _, rc := range r.Result.Recipients {
		s := rc.Disposition.String()
		if !rc.Status.IsZero() {
			s += " " + rc.Status.Short()
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// path renders a recipient's nodes as "a > b > c".
func path(rc *route.Recipient) string {
	var b strings.Builder
	for i, h := range rc.Hops {
		if i > 0 {
			b.WriteString(" > ")
		}
		b.WriteString(h.Node.String())
	}
	return b.String()
}

// WriteReachability writes the outcome matrix of reaches as aligned text:
// a header row, then a row per class and recipient, in the order of
// reaches: SENDER, RECIPIENT (the class), TO (the representative
// address), DISPOSITION, STATUS ("-" if none), PATH.
func WriteReachability(w io.Writer, reaches []Reach) error {
	rows := [][]string{{"SENDER", "RECIPIENT", "TO", "DISPOSITION", "STATUS", "PATH"}}
	for _, r := range reaches {
		if r.Result == nil {
			rows = append(rows, []string{r.Class.Sender, r.Class.Recipient, strings.Join(r.Class.Message.To, ","), "error", r.Err.Error(), "-"})
			continue
		}
		for i := range r.Result.Recipients {
			rc := &r.Result.Recipients[i]
			rows = append(rows, []string{r.Class.Sender, r.Class.Recipient, rc.Address, rc.Disposition.String(), cmp.Or(rc.Status.Short(), "-"), cmp.Or(path(rc), "-")})
		}
	}
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// domainOf returns the domain of an address, as a key (lower case).
func domainOf(addr string) string {
	return smtp.Key(addr[strings.LastIndexByte(addr, '@')+1:])
}
