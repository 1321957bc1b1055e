package topology

import (
	"iter"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/smtp"
	"github.com/mailflowsim/mailflow/topology/dns"
)

// Topology is a validated, immutable mail topology built by [Build]. It is
// safe for concurrent use by multiple goroutines.
//
// Nothing a Topology returns shares memory a caller can change. One
// convention holds for every accessor: a collection is an [iter.Seq] in a
// documented order, which may be ranged over more than once; a single
// object is returned by value, and its slices and pointers are new copies
// (a [Node]'s host names and certificate are read through methods). The
// *[Tenant] and *[OnPremises] values are shared, but they have no exported
// fields and their methods follow the same convention.
type Topology struct {
	nodes     []Node // ascending ID
	index     map[NodeID]int
	hosts     map[string]NodeID
	mx        map[string][]MXRecord // preference, then NameExchange
	mxDomains []string              // the keys of mx, ascending
	tenants   []*Tenant             // ascending name
	onprem    []*OnPremises         // ascending name
	internet  NodeID
	// accepted maps an accepted domain to the organizations accepting it.
	tenantOf        map[string]*Tenant
	onpremOf        map[string]*OnPremises
	external        map[string]NodeID // an external system's mail domain → its node
	externalDomains []string          // the keys of external, ascending
	// spec is a deep copy of the Spec given to Build, but for the
	// organizations' recipients, which declared finds in their directories.
	spec     Spec
	declared []declaredRecipients
	dns      *dns.Zone // the declared records, MX records and node addresses
	// patterns are the mail flow rules' …MatchesPatterns, compiled once
	// at Build (AttachmentPattern), by their text.
	patterns map[string]*regexp.Regexp
}

// DNS returns the topology's DNS zone: the Spec's DNSRecords, its MX
// records and the nodes' host names with their IPAddress
// (docs/behaviour.md#l90-declared-dns). The zone is immutable.
func (t *Topology) DNS() *dns.Zone { return t.dns }

// Node is a node of the mail flow graph: a host or service that receives
// and sends mail.
type Node struct {
	ID   NodeID
	Kind Kind
	// Role is the node's main role; a hop may report a finer one (an
	// on-premises Mailbox server categorizes as OnPremTransport and delivers
	// as OnPremMailbox).
	Role Role
	// Org names the organization or external system the node belongs to;
	// empty for the Internet.
	Org string
	// Name is the node's own name: the server name on-premises, the tenant
	// name for EOP and Exchange Online.
	Name string
	// IPAddress is the address the node sends from, when known.
	IPAddress netip.Addr
	// ServerRole is the Exchange server role of an on-premises node.
	ServerRole ServerRole
	// Site is the Active Directory site of an on-premises server; for an
	// Edge Transport server, the site it is subscribed to ("" when none).
	Site string
	// Certificate is what the node presents in TLS; the zero value when it
	// presents none.
	Certificate NodeCertificate
	// StartTLS tells whether the node offers and uses TLS.
	StartTLS bool
	// Offline: the node refuses connections.
	Offline bool
	// SmartHost is the host an external system sends all its mail to, if
	// it does not look up MX records, or where an Appliance forwards.
	SmartHost string
	// Transparent: an Appliance that passes SMTP through unchanged.
	Transparent bool
	// KeepsOrganizationHeaders and RewritesSenderTo: what an Appliance
	// that processes SMTP does to the message it re-sends
	// ([ExternalSpec.KeepsOrganizationHeaders],
	// [ExternalSpec.RewritesSenderTo]); see also [Node.AddsHeaders] and
	// [Node.RemovesHeaders].
	KeepsOrganizationHeaders bool
	RewritesSenderTo         string
	// ModifiesBody: an Appliance that changes the body it re-sends
	// ([ExternalSpec.ModifiesBody]).
	ModifiesBody bool
	// DkimSigningDomain and DkimSelector: the d= and s= an external system
	// DKIM-signs with ([ExternalSpec.DkimSigningDomain]); "" when it does
	// not sign.
	DkimSigningDomain, DkimSelector string
	// ArcSealingDomain: the domain an Appliance ARC-seals with
	// ([ExternalSpec.ArcSealingDomain]).
	ArcSealingDomain string
	// AuthenticatedAs: the mailbox a Device submits as (SMTP AUTH).
	AuthenticatedAs string
	// MessagesPerHour is the volume the node sends, for greylisting.
	MessagesPerHour int

	// hosts are the host names that resolve to the node, ascending.
	hosts  []string
	tenant *Tenant
	onprem *OnPremises

	// addsHeaders and removesHeaders: an Appliance's header edits.
	addsHeaders    []Header
	removesHeaders []string
}

// Hosts yields the host names that resolve to the node, ascending.
func (n Node) Hosts() iter.Seq[string] { return slices.Values(n.hosts) }

// NodeCertificate is the certificate a node presents in TLS, read-only:
// its methods return copies. The zero value is no certificate. Two
// NodeCertificates are == when they are the same node's certificate.
type NodeCertificate struct{ c *Certificate }

// IsZero reports whether the node presents no certificate.
func (c NodeCertificate) IsZero() bool { return c.c == nil }

// Certificate returns a copy of the certificate, the zero Certificate for
// none.
func (c NodeCertificate) Certificate() Certificate {
	if c.c == nil {
		return Certificate{}
	}
	cc := *c.c
	cc.CertificateDomains = slices.Clone(cc.CertificateDomains)
	return cc
}

// Subject returns the certificate's subject name, lower-cased: the first
// of its CertificateDomains; "" for none.
func (c NodeCertificate) Subject() string {
	if c.c == nil || len(c.c.CertificateDomains) == 0 {
		return ""
	}
	return c.c.CertificateDomains[0]
}

// Names yields the names of its subject and subject alternative names,
// lower-cased, the subject first.
func (c NodeCertificate) Names() iter.Seq[string] {
	if c.c == nil {
		return func(func(string) bool) {}
	}
	return slices.Values(c.c.CertificateDomains)
}

// AppendNames appends the names Names yields to dst and returns the
// extended slice.
func (c NodeCertificate) AppendNames(dst []string) []string {
	if c.c == nil {
		return dst
	}
	return append(dst, c.c.CertificateDomains...)
}

// Len returns how many names Names yields.
func (c NodeCertificate) Len() int {
	if c.c == nil {
		return 0
	}
	return len(c.c.CertificateDomains)
}

// IsSelfSigned reports whether no certificate authority signed it.
func (c NodeCertificate) IsSelfSigned() bool { return c.c != nil && c.c.IsSelfSigned }

// Status returns the certificate's status, Valid unless Build was given
// another; "" for no certificate.
func (c NodeCertificate) Status() CertificateStatus {
	if c.c == nil {
		return ""
	}
	return c.c.Status
}

// Matches reports whether the certificate satisfies a configured
// certificate name (TlsSenderCertificateName, TlsDomain, a certificate
// domain): by its subject or any subject alternative name, with
// [connector.CertificateMatch]'s wildcard rules.
func (c NodeCertificate) Matches(name string) bool {
	return c.c != nil && connector.CertificateMatch(name, c.c.CertificateDomains...)
}

// Tenant returns the Exchange Online organization an EOP or Exchange
// Online node belongs to, or nil.
func (n Node) Tenant() *Tenant { return n.tenant }

// OnPremises returns the on-premises organization a server belongs to, or
// nil.
func (n Node) OnPremises() *OnPremises { return n.onprem }

// Nodes yields the nodes in ascending ID order. The sequence may be used
// more than once.
func (t *Topology) Nodes() iter.Seq[Node] {
	return func(yield func(Node) bool) {
		for _, n := range t.nodes {
			if !yield(n) {
				return
			}
		}
	}
}

// Node returns the node with the given ID.
func (t *Topology) Node(id NodeID) (Node, bool) {
	i, ok := t.index[id]
	if !ok {
		return Node{}, false
	}
	return t.nodes[i], true
}

// Internet returns the node that stands for every host outside the
// modelled organizations and declared external systems.
func (t *Topology) Internet() Node {
	n, _ := t.Node(t.internet)
	return n
}

// ResolveHost returns the node a host name (an MX target or smart host)
// resolves to.
func (t *Topology) ResolveHost(host string) (Node, bool) {
	id, ok := t.hosts[smtp.Key(host)]
	if !ok {
		return Node{}, false
	}
	return t.Node(id)
}

// MX yields the MX records of domain in preference order (lowest first,
// ties by NameExchange).
func (t *Topology) MX(domain string) iter.Seq[MXRecord] { return slices.Values(t.mx[smtp.Key(domain)]) }

// AppendMX appends the MX records of domain, in MX's order, to dst and
// returns the extended slice: for callers that keep a buffer.
func (t *Topology) AppendMX(dst []MXRecord, domain string) []MXRecord {
	return append(dst, t.mx[smtp.Key(domain)]...)
}

// MXDomains yields the domains that have MX records, the tenants'
// onmicrosoft.com domains included, lower-cased, in ascending order.
func (t *Topology) MXDomains() iter.Seq[string] { return slices.Values(t.mxDomains) }

// Tenants yields the tenants in ascending name order.
func (t *Topology) Tenants() iter.Seq[*Tenant] { return slices.Values(t.tenants) }

// OnPremisesOrgs yields the on-premises organizations in ascending name
// order.
func (t *Topology) OnPremisesOrgs() iter.Seq[*OnPremises] { return slices.Values(t.onprem) }

// Tenant returns the tenant with the given name, ignoring case.
func (t *Topology) Tenant(name string) (*Tenant, bool) {
	name = strings.ToLower(name)
	i, ok := slices.BinarySearchFunc(t.tenants, name, func(x *Tenant, n string) int { return strings.Compare(x.name, n) })
	if !ok {
		return nil, false
	}
	return t.tenants[i], true
}

// OnPremisesOrg returns the on-premises organization with the given name.
func (t *Topology) OnPremisesOrg(name string) (*OnPremises, bool) {
	i, ok := slices.BinarySearchFunc(t.onprem, name, func(x *OnPremises, n string) int { return strings.Compare(x.name, n) })
	if !ok {
		return nil, false
	}
	return t.onprem[i], true
}

// TenantAccepting returns the tenant that has domain as an accepted domain.
func (t *Topology) TenantAccepting(domain string) (*Tenant, bool) {
	return accepting(t.tenantOf, domain, func(x *Tenant) *domains { return &x.domains })
}

// accepting returns the organization of byDomain whose accepted domains
// cover domain, the most specific first.
func accepting[O any](byDomain map[string]O, domain string, domainsOf func(O) *domains) (O, bool) {
	for key := range domainKeys(smtp.Key(domain)) {
		o, ok := byDomain[key.name]
		if ok && (!key.parent || domainsOf(o).byName[key.name].MatchSubDomains) {
			return o, true
		}
	}
	var zero O
	return zero, false
}

// OnPremisesAccepting returns the on-premises organization that has domain
// as an accepted domain.
func (t *Topology) OnPremisesAccepting(domain string) (*OnPremises, bool) {
	return accepting(t.onpremOf, domain, func(o *OnPremises) *domains { return &o.domains })
}

// ExternalSystem returns the external system (Internet domain or partner)
// that declares domain among its Domains: the server that sends its
// users' mail.
func (t *Topology) ExternalSystem(domain string) (Node, bool) {
	id, ok := t.external[smtp.Key(domain)]
	if !ok {
		return Node{}, false
	}
	return t.Node(id)
}

// FindMailbox returns the node where the mailbox with the given address
// lives: the Exchange Online node of the tenant holding a mailbox
// ([RecipientTypeDetails.IsMailbox]) with that address, else the server of the on-premises organization holding
// one. Tenants are searched before on-premises organizations, each in name
// order.
func (t *Topology) FindMailbox(address string) (Node, Recipient, bool) {
	n, r, ok := t.findMailbox(address)
	if !ok {
		return Node{}, Recipient{}, false
	}
	return *n, r.Clone(), true
}

// findMailbox is FindMailbox sharing the recipient's slices and the
// topology's node.
func (t *Topology) findMailbox(address string) (*Node, Recipient, bool) {
	for _, x := range t.tenants {
		if r, ok := x.dir.lookup(address); ok && r.RecipientTypeDetails.IsMailbox() {
			return t.nodeRef(x.exo), r, true
		}
	}
	for _, o := range t.onprem {
		if r, ok := o.dir.lookup(address); ok && r.RecipientTypeDetails.IsMailbox() {
			return t.nodeRef(o.servers[o.serverIndex(r.Server)].id), r, true
		}
	}
	return nil, Recipient{}, false
}

// nodeRef returns the topology's node id, in place; nil when there is none.
func (t *Topology) nodeRef(id NodeID) *Node {
	i, ok := t.index[id]
	if !ok {
		return nil
	}
	return &t.nodes[i]
}

// internetRef is Internet returning the topology's node in place.
func (t *Topology) internetRef() *Node { return t.nodeRef(t.internet) }

// resolveHost is ResolveHost returning the topology's node in place.
func (t *Topology) resolveHost(host string) *Node {
	id, ok := t.hosts[smtp.Key(host)]
	if !ok {
		return nil
	}
	return t.nodeRef(id)
}

// IsMember reports whether address is a member of the group with the
// address group in dir, directly or through nested groups.
func isMember(dir *directory, group, address string) bool {
	seen := map[int]bool{}
	var walk func(g string) bool
	walk = func(g string) bool {
		i, ok := dir.byAddress[smtp.Key(g)]
		if !ok || seen[i] || !dir.recipients[i].RecipientTypeDetails.HasMembers() {
			return false
		}
		seen[i] = true
		want, wantOK := dir.byAddress[smtp.Key(address)]
		for _, m := range dir.recipients[i].Members {
			if strings.EqualFold(m, address) {
				return true
			}
			if j, ok := dir.byAddress[smtp.Key(m)]; ok && wantOK && j == want {
				return true
			}
			if walk(m) {
				return true
			}
		}
		return false
	}
	return walk(group)
}

// IsMember reports whether address (any proxy address of a directory
// object) is a member of the tenant's distribution group group, directly
// or through nested groups.
func (x *Tenant) IsMember(group, address string) bool { return isMember(&x.dir, group, address) }

// IsMember reports whether address is a member of the organization's
// distribution group group, directly or through nested groups.
func (o *OnPremises) IsMember(group, address string) bool { return isMember(&o.dir, group, address) }

// directory is an organization's recipients, indexed by every SMTP proxy
// address in lower case.
type directory struct {
	recipients []Recipient // ascending PrimarySmtpAddress
	byAddress  map[string]int
}

// find returns a copy of the object with address.
func (d *directory) find(address string) (Recipient, bool) {
	r, ok := d.lookup(address)
	return r.Clone(), ok
}

// lookup returns the object with address, sharing its slices.
func (d *directory) lookup(address string) (Recipient, bool) {
	i, ok := d.byAddress[smtp.Key(address)]
	if !ok {
		return Recipient{}, false
	}
	return d.recipients[i], true
}

type domains struct {
	byName map[string]AcceptedDomain
	list   []AcceptedDomain // ascending DomainName
}

// wildcard returns the accepted domain "*.parent". It runs on every hop:
// the key is built in a buffer on the stack, not allocated.
func (d *domains) wildcard(parent string) (AcceptedDomain, bool) {
	var buf [64]byte
	a, ok := d.byName[string(append(append(buf[:0], "*."...), parent...))]
	return a, ok
}

// lookup returns the accepted domain that covers domain, trying the names
// in domainKeys' order.
func (d *domains) lookup(domain string) (AcceptedDomain, bool) {
	domain = smtp.Key(domain)
	if a, ok := d.byName[domain]; ok {
		return a, true
	}
	for p, ok := smtp.Parent(domain); ok; p, ok = smtp.Parent(p) {
		if a, ok := d.wildcard(p); ok {
			return a, true
		}
		if a, ok := d.byName[p]; ok && a.MatchSubDomains {
			return a, true
		}
	}
	a, ok := d.byName["*"]
	return a, ok
}

// domainKey is an accepted domain's name that may cover a domain: the
// domain itself, a wildcard over one of its parents, a parent (which
// covers it with MatchSubDomains only), or "*".
type domainKey struct {
	name   string
	parent bool // a parent domain: covers domain only with MatchSubDomains
}

// domainKeys yields the names that may cover domain, most specific first:
// domain, then for each parent p from the nearest, "*.p" and p, then "*".
func domainKeys(domain string) iter.Seq[domainKey] {
	return func(yield func(domainKey) bool) {
		if !yield(domainKey{name: domain}) {
			return
		}
		for p, ok := smtp.Parent(domain); ok; p, ok = smtp.Parent(p) {
			if !yield(domainKey{name: "*." + p}) || !yield(domainKey{name: p, parent: true}) {
				return
			}
		}
		yield(domainKey{name: "*"})
	}
}

// Tenant is a built Exchange Online organization.
type Tenant struct {
	name     string
	eop, exo NodeID
	domains
	dir              directory
	inbound          []connector.Inbound // ascending Name
	attribution      *connector.InboundSet
	outbound         []connector.Outbound // ascending Name
	outTable         *connector.OutboundTable
	rules            []TransportRule // ascending Priority
	ruleIx           ruleIndex
	journal          []JournalRule // ascending Name
	rejectDirectSend bool
	autoForwarding   string
	remote           remoteDomains
	connFilter       ConnectionFilterPolicy
	ipBlock, ipAllow ipList
	contentFilter    ContentFilterPolicy
	antiPhish        AntiPhishPolicy
	dkimDomains      []string // the domains of enabled DkimSigningConfig
	arcTrusted       []string // ArcTrustedSealers, lower case
	cmt              int      // index in outbound of the CMT connector, or -1
	hopLimit         int
	hybrid           *OnPremises
	dirSync          bool // the hybrid configuration synchronizes directories
}

// Name returns the tenant name ("contoso").
func (x *Tenant) Name() string { return x.name }

// EOP returns the ID of the tenant's EOP node.
func (x *Tenant) EOP() NodeID { return x.eop }

// ExchangeOnline returns the ID of the tenant's Exchange Online node.
func (x *Tenant) ExchangeOnline() NodeID { return x.exo }

// CoexistenceDomain returns the hybrid routing domain
// <tenant>.mail.onmicrosoft.com.
func (x *Tenant) CoexistenceDomain() string { return x.name + ".mail.onmicrosoft.com" }

// AcceptedDomain returns the accepted domain named domain.
func (x *Tenant) AcceptedDomain(domain string) (AcceptedDomain, bool) {
	return x.domains.lookup(domain)
}

// HasCertificateDomain reports whether one of a certificate's names
// (subject or subject alternative names) is in an accepted domain of x:
// an accepted domain or a subdomain of one, a wildcard "*.contoso.com"
// standing for contoso.com. Exchange Online relays for an OnPremises
// connector matched by such a certificate whatever the sender
// (docs/behaviour.md#d19-which-sender-domain-counts-for-relay).
func (x *Tenant) HasCertificateDomain(names []string) bool {
	return slices.ContainsFunc(names, x.domains.coverName)
}

// coverName reports whether a certificate's name is in one of the
// domains: whether lookup covers the name or one of its parents that has
// a dot. It walks the name's parents once instead of running lookup's
// walk for each.
func (d *domains) coverName(name string) bool {
	name = strings.TrimPrefix(strings.ToLower(name), "*.")
	for s, ok := name, strings.Contains(name, "."); ok; s, ok = smtp.Parent(s) {
		dotted := strings.Contains(s, ".")
		if a, ok := d.byName[s]; ok && (dotted || s != name && a.MatchSubDomains) {
			return true
		}
		if _, ok := d.wildcard(s); ok && s != name {
			return true
		}
	}
	_, ok := d.byName["*"]
	return ok && strings.Contains(name, ".")
}

// AcceptedDomains yields the accepted domains in ascending name order.
func (x *Tenant) AcceptedDomains() iter.Seq[AcceptedDomain] { return slices.Values(x.domains.list) }

// Recipient returns the directory object that has address among its
// proxy addresses (case-insensitive).
func (x *Tenant) Recipient(address string) (Recipient, bool) { return x.dir.find(address) }

// Recipients yields the directory in ascending PrimarySmtpAddress order.
func (x *Tenant) Recipients() iter.Seq[Recipient] { return clones(x.dir.recipients, Recipient.Clone) }

// InboundConnectors yields copies of the inbound connectors in ascending name order
// (case-folded). The sequence may be used more than once.
func (x *Tenant) InboundConnectors() iter.Seq[connector.Inbound] {
	return clones(x.inbound, connector.Inbound.Clone)
}

// Attribution returns the tenant's inbound connectors compiled for
// attributing connections (immutable, shared).
func (x *Tenant) Attribution() *connector.InboundSet { return x.attribution }

// OutboundConnectors yields copies of the outbound connectors in ascending name
// order (case-folded). The sequence may be used more than once.
func (x *Tenant) OutboundConnectors() iter.Seq[connector.Outbound] {
	return clones(x.outbound, connector.Outbound.Clone)
}

// SelectOutbound returns the outbound connector for a recipient domain by
// RecipientDomains and AllAcceptedDomains
// (docs/behaviour.md#d1-outbound-connector-precedence), and
// false when none matches and EOP delivers by MX.
func (x *Tenant) SelectOutbound(domain string) (connector.Outbound, connector.Selection, bool) {
	c, sel, ok := x.selectOutbound(domain)
	return c.Clone(), sel, ok
}

// selectOutbound is SelectOutbound sharing the connector's slices.
func (x *Tenant) selectOutbound(domain string) (connector.Outbound, connector.Selection, bool) {
	d := smtp.Key(domain)
	_, accepted := x.domains.byName[d]
	sel, ok := x.outTable.Lookup(d, accepted)
	if !ok {
		return connector.Outbound{}, connector.Selection{}, false
	}
	return x.outbound[sel.Index], sel, true
}

// InboundConnector returns the inbound connector with the given name,
// ignoring case.
func (x *Tenant) InboundConnector(name string) (connector.Inbound, bool) {
	c, ok := x.inboundConnector(name)
	return c.Clone(), ok
}

// inboundConnector is InboundConnector sharing the connector's slices.
func (x *Tenant) inboundConnector(name string) (connector.Inbound, bool) {
	for _, c := range x.inbound {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return connector.Inbound{}, false
}

// OutboundConnector returns the outbound connector with the given name,
// ignoring case.
func (x *Tenant) OutboundConnector(name string) (connector.Outbound, bool) {
	c, ok := x.outboundConnector(name)
	return c.Clone(), ok
}

// outboundConnector is OutboundConnector sharing the connector's slices.
func (x *Tenant) outboundConnector(name string) (connector.Outbound, bool) {
	for _, c := range x.outbound {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return connector.Outbound{}, false
}

// CentralizedTransport returns the enabled OnPremises outbound connector
// with RouteAllMessagesViaOnPremises $true, if there is one (the first by
// name).
func (x *Tenant) CentralizedTransport() (connector.Outbound, bool) {
	c, ok := x.centralizedTransport()
	return c.Clone(), ok
}

// centralizedTransport is CentralizedTransport sharing the connector's
// slices.
func (x *Tenant) centralizedTransport() (connector.Outbound, bool) {
	if x.cmt < 0 {
		return connector.Outbound{}, false
	}
	return x.outbound[x.cmt], true
}

// TransportRules yields copies of the tenant's mail flow rules in
// ascending Priority order (ties by name).
func (x *Tenant) TransportRules() iter.Seq[TransportRule] {
	return clones(x.rules, TransportRule.Clone)
}

// JournalRules yields the tenant's journal rules in ascending name order.
func (x *Tenant) JournalRules() iter.Seq[JournalRule] { return slices.Values(x.journal) }

// JournalRules yields the organization's journal rules in ascending name
// order.
func (o *OnPremises) JournalRules() iter.Seq[JournalRule] { return slices.Values(o.journal) }

// ExternalForwardingAllowed reports whether the outbound spam filter
// policy lets mailboxes forward automatically to outside addresses
// (AutoForwardingMode On; Automatic means Off).
func (x *Tenant) ExternalForwardingAllowed() bool { return x.autoForwarding == "On" }

// RejectDirectSend reports the organization's RejectDirectSend setting.
func (x *Tenant) RejectDirectSend() bool { return x.rejectDirectSend }

// HopLimit returns how many times a message may enter the tenant.
func (x *Tenant) HopLimit() int { return x.hopLimit }

// Hybrid returns the on-premises organization a HybridConfiguration pairs
// with the tenant, or nil.
func (x *Tenant) Hybrid() *OnPremises { return x.hybrid }

// OnPremises is a built on-premises Exchange organization.
type OnPremises struct {
	name string
	// dkimDomain and dkimSelector: what it DKIM-signs with, "" when it
	// does not.
	dkimDomain, dkimSelector string
	domains
	dir              directory
	servers          []server // ascending name
	send             []connector.Send
	sendTable        *connector.SendTable
	receive          []connector.Receive // ascending server, then name
	receiveTable     *connector.ReceiveTable
	rules            []TransportRule // ascending Priority
	ruleIx           ruleIndex
	journal          []JournalRule         // ascending Name
	rewrites         []AddressRewriteEntry // as declared: the first that applies wins
	remote           remoteDomains
	maxHopCount      int
	queues           Queues
	maxLocalHopCount int
	hybrid           *Tenant
	cloudReceivers   map[string]bool // servers accepting cross-premises headers
	sites            sites
	edgeSites        map[string]string // lower-case Edge server name → subscribed site
	dirSync          bool              // the hybrid configuration synchronizes directories
}

type server struct {
	spec ServerSpec
	id   NodeID
}

// Name returns the organization name.
func (o *OnPremises) Name() string { return o.name }

// AcceptedDomain returns the accepted domain named domain.
func (o *OnPremises) AcceptedDomain(domain string) (AcceptedDomain, bool) {
	return o.domains.lookup(domain)
}

// AcceptedDomains yields the accepted domains in ascending name order.
func (o *OnPremises) AcceptedDomains() iter.Seq[AcceptedDomain] { return slices.Values(o.domains.list) }

// Recipient returns the directory object that has address among its
// proxy addresses (case-insensitive).
func (o *OnPremises) Recipient(address string) (Recipient, bool) { return o.dir.find(address) }

// Recipients yields the directory in ascending PrimarySmtpAddress order.
func (o *OnPremises) Recipients() iter.Seq[Recipient] {
	return clones(o.dir.recipients, Recipient.Clone)
}

// Server returns the node ID of the server with the given name.
func (o *OnPremises) Server(name string) (NodeID, bool) {
	i := o.serverIndex(name)
	if i < 0 {
		return NodeID{}, false
	}
	return o.servers[i].id, true
}

func (o *OnPremises) serverIndex(name string) int {
	// Names are unique ignoring case (Build), and usually spelt as
	// declared: exact comparisons first, on every hop.
	for i := range o.servers {
		if o.servers[i].spec.Name == name {
			return i
		}
	}
	for i := range o.servers {
		if strings.EqualFold(o.servers[i].spec.Name, name) {
			return i
		}
	}
	return -1
}

// MailboxServers yields the IDs of the Mailbox-role servers in ascending
// name order.
func (o *OnPremises) MailboxServers() iter.Seq[NodeID] {
	return func(yield func(NodeID) bool) {
		for _, s := range o.servers {
			if s.spec.Role == Mailbox && !yield(s.id) {
				return
			}
		}
	}
}

// SendConnectors yields copies of the Send connectors in ascending name order
// (case-folded). The sequence may be used more than once.
func (o *OnPremises) SendConnectors() iter.Seq[connector.Send] {
	return clones(o.send, connector.Send.Clone)
}

// SelectSend returns the Send connector for a recipient domain when a message
// of size bytes is categorized on the named server (Microsoft: "Connector
// selection in external message routing"), and false when no address space
// matches (the Unreachable queue) or, with the selection's TooLarge set, when
// every matching connector's MaxMessageSize is too small.
func (o *OnPremises) SelectSend(domain, server string, size int64) (connector.Send, connector.SendSelection, bool) {
	c, sel, ok := o.selectSend(domain, server, size)
	return c.Clone(), sel, ok
}

// selectSend is SelectSend sharing the connector's slices.
func (o *OnPremises) selectSend(domain, server string, size int64) (connector.Send, connector.SendSelection, bool) {
	d := smtp.Key(domain)
	_, accepted := o.domains.byName[d]
	from := connector.Origin{Server: server, Reach: func(i int) (connector.Reach, bool) { return o.reach(&o.send[i], server) }}
	sel, ok := o.sendTable.LookupFrom(d, accepted, from, size)
	if !ok {
		return connector.Send{}, sel, false
	}
	return o.send[sel.Index], sel, true
}

// ReceiveConnectors yields copies of the Receive connectors in ascending server,
// then name order: those the Spec declares, or, when it declares none,
// Exchange's "Default Frontend <server>" on every server. The sequence may
// be used more than once.
func (o *OnPremises) ReceiveConnectors() iter.Seq[connector.Receive] {
	return clones(o.receive, connector.Receive.Clone)
}

// SelectReceive returns the Receive connector of the named server that takes a
// connection from ip on port 25 (Microsoft: "Receive connectors"), and false
// when none does.
func (o *OnPremises) SelectReceive(server string, ip netip.Addr) (connector.Receive, bool) {
	c, ok := o.selectReceive(server, ip)
	return c.Clone(), ok
}

// selectReceive is SelectReceive sharing the connector's slices.
func (o *OnPremises) selectReceive(server string, ip netip.Addr) (connector.Receive, bool) {
	i, ok := o.receiveTable.Select(server, 25, ip)
	if !ok {
		return connector.Receive{}, false
	}
	return o.receive[i], true
}

// TransportRules yields copies of the organization's transport rules in
// ascending Priority order (ties by name).
func (o *OnPremises) TransportRules() iter.Seq[TransportRule] {
	return clones(o.rules, TransportRule.Clone)
}

// RewriteSender returns the sender of outbound mail after the
// organization's address rewriting, the entry that applied, and whether
// one did.
func (o *OnPremises) RewriteSender(sender string) (string, AddressRewriteEntry, bool) {
	for _, a := range o.rewrites {
		if out, ok := a.Rewrite(sender); ok {
			return out, a, true
		}
	}
	return sender, AddressRewriteEntry{}, false
}

// MaxHopCount returns the Received-header limit
// (docs/behaviour.md#d6-hop-limits).
func (o *OnPremises) MaxHopCount() int { return o.maxHopCount }

// MaxLocalHopCount returns the limit on hops inside the organization.
func (o *OnPremises) MaxLocalHopCount() int { return o.maxLocalHopCount }

// Hybrid returns the tenant a HybridConfiguration pairs with the
// organization, or nil.
func (o *OnPremises) Hybrid() *Tenant { return o.hybrid }

// AcceptsCloudServicesMail reports whether the named server receives
// Exchange Online's cross-premises headers (a ReceivingTransportServer of
// the hybrid configuration, whose Default Frontend connector the wizard
// gives mail.protection.outlook.com:AcceptCloudServicesMail).
func (o *OnPremises) AcceptsCloudServicesMail(server string) bool {
	return o.cloudReceivers[strings.ToLower(server)]
}

// clones yields a copy of each element of s, made by clone.
func clones[T any](s []T, clone func(T) T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for _, v := range s {
			if !yield(clone(v)) {
				return
			}
		}
	}
}
