package topology

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/smtp"
	"github.com/mailflowsim/mailflow/topology/dns"
)

// Defaults of the per-organization limits (docs/behaviour.md#d6-hop-limits).
const (
	DefaultHopLimit         = 20
	DefaultMaxHopCount      = 30
	DefaultMaxLocalHopCount = 8
)

// eopCertificate is the certificate of Microsoft's mail servers.
var eopCertificate = NodeCertificate{&Certificate{CertificateDomains: []string{"mail.protection.outlook.com", "*.mail.protection.outlook.com"}, Status: CertificateValid}}

// InternetID is the ID of the node that stands for the rest of the
// Internet.
func InternetID() NodeID { return NodeID{"internet"} }

// Build validates spec and builds the immutable Topology it describes. On
// failure it returns a [*ValidationError] listing every problem, sorted by
// object, field and message, and matching [ErrInvalid]. Build never panics
// and never keeps a reference to spec's slices.
func Build(spec Spec) (*Topology, error) {
	b := &builder{
		t: &Topology{
			index:    map[NodeID]int{},
			hosts:    map[string]NodeID{},
			mx:       map[string][]MXRecord{},
			tenantOf: map[string]*Tenant{},
			onpremOf: map[string]*OnPremises{},
			external: map[string]NodeID{},
			internet: InternetID(),
		},
		hostOwner: map[string]string{},
	}
	b.addNode(Node{ID: InternetID(), Kind: KindInternet, Role: RoleInternetSender, Name: "Internet", StartTLS: true}, "")
	for _, ts := range sortedBy(spec.Tenants, func(x TenantSpec) string { return strings.ToLower(x.Name) }) {
		b.tenant(ts)
	}
	for _, os := range sortedBy(spec.OnPremises, func(x OnPremisesSpec) string { return strings.ToLower(x.Name) }) {
		b.onPremises(os)
	}
	for _, es := range sortedBy(spec.External, func(x ExternalSpec) string { return strings.ToLower(x.Name) }) {
		b.external(es)
	}
	b.hybrids(spec.Hybrid)
	for _, mc := range b.memberChecks {
		b.checkMembers(*mc.dir, mc.members, mc.ds)
	}
	b.connectors()
	b.mxRecords(spec.MXRecords)
	b.dnsRecords(spec.DNSRecords)
	for _, ref := range b.mailboxRefs {
		if findTenantMailbox(b.t.tenants, ref[1]) == nil {
			b.ps.add(ref[0], "AuthenticatedAs", fmt.Sprintf("%s is not a UserMailbox of any tenant", ref[1]))
		}
	}
	for _, ref := range b.smartHostRefs {
		if _, ok := b.t.hosts[ref[1]]; !ok {
			b.ps.add(ref[0], "SmartHost", fmt.Sprintf("smart host %s is the host name of no node", ref[1]))
		}
	}
	if err := b.ps.err(); err != nil {
		return nil, err
	}
	t := b.t
	t.spec, t.declared = declaredSpec(spec, t)
	t.mxDomains = slices.Sorted(maps.Keys(t.mx))
	t.externalDomains = slices.Sorted(maps.Keys(t.external))
	slices.SortFunc(t.nodes, func(a, b Node) int { return a.ID.Compare(b.ID) })
	for i, n := range t.nodes {
		t.index[n.ID] = i
		for _, h := range n.hosts {
			t.hosts[h] = n.ID
		}
	}
	return t, nil
}

type builder struct {
	mailboxRefs   [][2]string // object, address: must be a mailbox of some tenant
	memberChecks  []memberCheck
	smartHostRefs [][2]string // object, host: checked once every host is known
	t             *Topology
	ps            problems
	hostOwner     map[string]string // host → object that declared it
	tenSpecs      map[*Tenant]*TenantSpec
	onpSpecs      map[*OnPremises]*OnPremisesSpec
}

func (b *builder) addNode(n Node, object string) {
	if _, dup := b.t.index[n.ID]; dup {
		b.ps.add(object, "", fmt.Sprintf("node %s is declared twice", n.ID))
		return
	}
	b.t.index[n.ID] = len(b.t.nodes)
	b.t.nodes = append(b.t.nodes, n)
}

// host registers a host name for a node.
func (b *builder) host(id NodeID, object, field, h string) (string, bool) {
	d, err := smtp.Domain(h)
	if err != nil {
		b.ps.add(object, field, fmt.Sprintf("%q is not a host name: %v", h, err))
		return "", false
	}
	if other, dup := b.hostOwner[d]; dup {
		b.ps.add(object, field, fmt.Sprintf("host %s is already the name of %s", d, other))
		return "", false
	}
	b.hostOwner[d] = object
	b.t.hosts[d] = id
	return d, true
}

// total makes an ordering total: elements it finds equal are ordered by
// their whole printed value, so that nothing Build does depends on the order
// of the Spec, not even which of two duplicates it keeps.
func total[T any](c func(a, b T) int) func(a, b T) int {
	return func(a, b T) int {
		if r := c(a, b); r != 0 {
			return r
		}
		return strings.Compare(fmt.Sprintf("%#v", a), fmt.Sprintf("%#v", b))
	}
}

// sortedBy returns a copy of s sorted by key, then by the whole value;
// and Build reports them as duplicates.
func sortedBy[T any](s []T, key func(T) string) []T {
	c := slices.Clone(s)
	slices.SortFunc(c, total(func(a, b T) int { return strings.Compare(key(a), key(b)) }))
	return c
}

func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// EOPSendingIP is the address an EOP node sends from when SPF checks it:
// the sending side of mail a tenant sends or forwards to another modelled
// tenant. It lies in the ranges of [EOPSPFRecord]
// (docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from).
var EOPSendingIP = netip.MustParseAddr("40.107.0.1")

// EOPSPFName and EOPSPFRecord are the SPF record Microsoft publishes for
// the addresses EOP sends from, which a tenant's domain includes
// ("include:spf.protection.outlook.com"; Microsoft: "Set up SPF to help
// prevent spoofing"). A topology that declares DNS records gets it unless
// it declares a record of that name itself
// (docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from).
const (
	EOPSPFName   = "spf.protection.outlook.com"
	EOPSPFRecord = "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/15 ip4:52.102.0.0/16 ip4:52.103.0.0/16 ip4:104.47.0.0/17 ip6:2a01:111:f400::/48 ip6:2a01:111:f403::/49 -all"
)

// EOPHost returns the MX host name Microsoft gives an accepted domain:
// "contoso-com.mail.protection.outlook.com" for contoso.com.
func EOPHost(domain string) string {
	return strings.ReplaceAll(smtp.Key(domain), ".", "-") + ".mail.protection.outlook.com"
}

func (b *builder) tenant(ts TenantSpec) {
	obj := fmt.Sprintf("Tenants[%q]", ts.Name)
	if !validName(ts.Name) || strings.ContainsAny(ts.Name, "._") {
		b.ps.add(obj, "Name", fmt.Sprintf("%q is not a tenant name (letters, digits and hyphens)", ts.Name))
		return
	}
	name := strings.ToLower(ts.Name)
	if findTenant(b.t.tenants, name) != nil {
		b.ps.add(obj, "Name", "is declared twice")
		return
	}
	x := &Tenant{name: name, eop: NodeID{"eop:" + name}, exo: NodeID{"exo:" + name}, cmt: -1, hopLimit: cmp.Or(ts.HopLimit, DefaultHopLimit)}
	if ts.HopLimit < 0 {
		b.ps.add(obj, "HopLimit", fmt.Sprintf("%d is negative", ts.HopLimit))
	}
	x.domains = b.acceptedDomains(obj, ts.AcceptedDomains, false)
	// Every tenant has these; exports list them, and then they are kept as
	// declared.
	for _, d := range []string{name + ".onmicrosoft.com", name + ".mail.onmicrosoft.com"} {
		x.domains.add(AcceptedDomain{DomainName: d, DomainType: Authoritative})
	}
	for _, a := range x.domains.list {
		if other, dup := b.t.tenantOf[a.DomainName]; dup {
			b.ps.add(obj, "AcceptedDomains", fmt.Sprintf("%s is already accepted by tenant %q", a.DomainName, other.name))
			continue
		}
		b.t.tenantOf[a.DomainName] = x
	}
	var members []member
	x.dir, members = b.directory(obj, ts.Recipients, func(r Recipient, robj string) {
		switch t := r.RecipientTypeDetails; {
		case t.IsRemoteMailbox():
			b.ps.add(robj, "RecipientTypeDetails", fmt.Sprintf("%s exists on-premises only; in Exchange Online the mailbox is a %s", t, strings.TrimPrefix(string(t), "Remote")))
		case !knownRecipientType(t):
			b.ps.add(robj, "RecipientTypeDetails", fmt.Sprintf("%q is not a recipient type the library models", t))
		}
		if r.Server != "" {
			b.ps.add(robj, "Server", "Exchange Online recipients have no on-premises server")
		}
		if _, _, ok := r.NonSMTPTarget(); ok {
			// Exchange Online's connectors route SMTP domains only
			// ("New-OutboundConnector": RecipientDomains).
			b.ps.add(robj, "ExternalEmailAddress", fmt.Sprintf("%q is not an SMTP address: Exchange Online routes SMTP addresses only", r.ExternalEmailAddress))
		}
	}, x.domains)
	b.deferMembers(&x.dir, members, x.domains)
	x.connFilter = ConnectionFilterPolicy{IPAllowList: slices.Clone(ts.HostedConnectionFilterPolicy.IPAllowList),
		IPBlockList: slices.Clone(ts.HostedConnectionFilterPolicy.IPBlockList), EnableSafeList: ts.HostedConnectionFilterPolicy.EnableSafeList}
	x.ipBlock = compileIPList(x.connFilter.IPBlockList)
	x.ipAllow = compileIPList(x.connFilter.IPAllowList)
	x.contentFilter = ts.HostedContentFilterPolicy
	x.antiPhish = b.antiPhish(obj, ts.AntiPhishPolicy)
	x.dkimDomains = b.dkimSigning(obj, x, ts.DkimSigningConfig)
	x.arcTrusted = b.arcSealers(obj, ts.ArcTrustedSealers)
	x.rejectDirectSend = ts.RejectDirectSend
	x.autoForwarding = ts.AutoForwardingMode
	x.remote = b.remoteDomains(obj, ts.RemoteDomains, false)
	switch ts.AutoForwardingMode {
	case "", "Automatic", "Off", "On":
	default:
		b.ps.add(obj, "AutoForwardingMode", fmt.Sprintf("%q is not Automatic, Off or On", ts.AutoForwardingMode))
	}
	b.validateFilterPolicies(obj, ts.HostedConnectionFilterPolicy, ts.HostedContentFilterPolicy)
	x.journal = slices.Clone(ts.JournalRules)
	slices.SortFunc(x.journal, total(func(a, b JournalRule) int { return strings.Compare(a.Name, b.Name) }))
	b.validateJournalRules(obj, x.journal)
	x.rules = cloneEach(ts.TransportRules, TransportRule.Clone)
	sortRules(x.rules)
	x.inbound = cloneEach(ts.InboundConnectors, connector.Inbound.Clone)
	x.outbound = cloneEach(ts.OutboundConnectors, connector.Outbound.Clone)
	if b.tenSpecs == nil {
		b.tenSpecs = map[*Tenant]*TenantSpec{}
	}
	b.tenSpecs[x] = &ts
	b.t.tenants = append(b.t.tenants, x)
	eop := Node{ID: x.eop, Kind: KindEOP, Role: RoleEOP, Org: name, Name: name, tenant: x, StartTLS: true, Certificate: eopCertificate}
	for _, a := range x.domains.list {
		if h, ok := b.host(x.eop, obj, "AcceptedDomains", EOPHost(a.DomainName)); ok {
			eop.hosts = append(eop.hosts, h)
		}
	}
	slices.Sort(eop.hosts)
	b.addNode(eop, obj)
	b.addNode(Node{ID: x.exo, Kind: KindExchangeOnline, Role: RoleExchangeOnline, Org: name, Name: name, tenant: x, StartTLS: true, Certificate: eopCertificate}, obj)
	// Microsoft publishes the MX of the tenant's own domains.
	for _, d := range []string{name + ".onmicrosoft.com", name + ".mail.onmicrosoft.com"} {
		b.t.mx[d] = append(b.t.mx[d], MXRecord{Domain: d, Preference: 0, NameExchange: EOPHost(d)})
	}
}

func (b *builder) acceptedDomains(obj string, list []AcceptedDomain, onPrem bool) domains {
	d := domains{byName: map[string]AcceptedDomain{}}
	list = sortedBy(list, func(a AcceptedDomain) string { return smtp.Key(a.DomainName) })
	for _, a := range list {
		field := fmt.Sprintf("AcceptedDomains[%q]", a.DomainName)
		name, ok := b.acceptedDomainName(obj, field, a, onPrem)
		if !ok {
			continue
		}
		switch a.DomainType {
		case "":
			a.DomainType = Authoritative
		case Authoritative, InternalRelay:
		case ExternalRelay:
			if !onPrem {
				b.ps.add(obj, field, "DomainType ExternalRelay is not offered in Exchange Online")
				continue
			}
		default:
			b.ps.add(obj, field, fmt.Sprintf("DomainType %q is not Authoritative, InternalRelay or ExternalRelay", a.DomainType))
			continue
		}
		a.DomainName = name
		if _, dup := d.byName[name]; dup {
			b.ps.add(obj, field, "is declared twice")
			continue
		}
		d.add(a)
	}
	return d
}

// acceptedDomainName validates an accepted domain's name and
// MatchSubDomains and returns the name in lower case: a domain name, or
// on-premises a wildcard "*.domain" or "*" ("Accepted domains in Exchange
// Server"); MatchSubDomains only in Exchange Online, on an InternalRelay
// domain ("Enable mail flow for subdomains in Exchange Online").
func (b *builder) acceptedDomainName(obj, field string, a AcceptedDomain, onPrem bool) (string, bool) {
	raw, wild := a.DomainName, ""
	switch {
	case raw == "*":
		if !onPrem {
			b.ps.add(obj, field, `"*" is not an accepted domain in Exchange Online`)
			return "", false
		}
		return "*", true
	case strings.HasPrefix(raw, "*."):
		raw, wild = raw[2:], "*."
		if !onPrem {
			b.ps.add(obj, field, "Exchange Online accepted domains have no wildcards: accept "+raw+" with MatchSubDomains $true (Microsoft: \"Enable mail flow for subdomains in Exchange Online\")")
			return "", false
		}
	}
	name, err := smtp.Domain(raw)
	if errors.Is(err, smtp.ErrOneLabel) && wild != "" {
		name, err = strings.ToLower(raw), nil // "*.com": every domain of a top-level domain
	}
	if err != nil {
		b.ps.add(obj, field, fmt.Sprintf("%q is not a domain name: %v", a.DomainName, err))
		return "", false
	}
	switch {
	case a.MatchSubDomains && onPrem:
		b.ps.add(obj, field, "MatchSubDomains is an Exchange Online setting; on-premises, accept *."+name+" as well")
	case a.MatchSubDomains && a.DomainType != InternalRelay:
		b.ps.add(obj, field, "MatchSubDomains needs DomainType InternalRelay (Microsoft: \"Enable mail flow for subdomains in Exchange Online\")")
	}
	return wild + name, true
}

// add adds a domain unless it is there already, keeping list sorted.
func (d *domains) add(a AcceptedDomain) {
	if _, ok := d.byName[a.DomainName]; ok {
		return
	}
	d.byName[a.DomainName] = a
	i, _ := slices.BinarySearchFunc(d.list, a.DomainName, func(x AcceptedDomain, n string) int { return strings.Compare(x.DomainName, n) })
	d.list = slices.Insert(d.list, i, a)
}

// directory validates recipients and indexes them by proxy address; it
// returns the group members to check once directory synchronization has
// added its objects.
func (b *builder) directory(obj string, list []Recipient, check func(Recipient, string), ds domains) (directory, []member) {
	rs := make([]Recipient, 0, len(list))
	var members []member // checked once every address is indexed
	for _, r := range list {
		// Most recipients have no problem: a recipient's problems name it
		// unnamedRecipient, and it is named once it has some. The members
		// to check keep its name.
		robj, before := unnamedRecipient, len(b.ps)
		if len(r.Members) > 0 {
			robj = recipientObject(obj, cmp.Or(r.PrimarySmtpAddress, r.Name))
		}
		_, pdom, err := smtp.Address(r.PrimarySmtpAddress)
		if err != nil {
			b.ps.add(robj, "PrimarySmtpAddress", fmt.Sprintf("%q is not an SMTP address: %v", r.PrimarySmtpAddress, err))
		} else {
			check(r, robj)
			r.EmailAddresses = slices.Clone(r.EmailAddresses)
			r.Members = slices.Clone(r.Members)
			members = b.groupMembers(robj, &r, members)
			b.recipientAddresses(robj, r, pdom, ds)
			rs = append(rs, r)
		}
		for i := before; i < len(b.ps); i++ {
			if b.ps[i].Path == unnamedRecipient {
				b.ps[i].Path = recipientObject(obj, cmp.Or(r.PrimarySmtpAddress, r.Name))
			}
		}
	}
	slices.SortFunc(rs, total(func(x, y Recipient) int {
		return strings.Compare(smtp.Key(x.PrimarySmtpAddress), smtp.Key(y.PrimarySmtpAddress))
	}))
	return b.index(obj, rs), members
}

// memberCheck is a directory's group members to check against it and
// against the organization's accepted domains as declared.
type memberCheck struct {
	dir     *directory
	members []member
	ds      domains
}

// deferMembers records the members of d's groups to check once directory
// synchronization has added its objects (a member may be a recipient
// declared in the other organization), against the accepted domains the
// organization declares (not the coexistence domain a hybrid
// configuration adds).
func (b *builder) deferMembers(d *directory, members []member, ds domains) {
	if len(members) == 0 {
		return
	}
	b.memberChecks = append(b.memberChecks, memberCheck{d, members, domains{byName: maps.Clone(ds.byName), list: slices.Clone(ds.list)}})
}

// member is a group member to check once the directory is indexed.
type member struct{ robj, field, address, domain string }

// groupMembers validates r's Members, puts them in their one order, and
// returns members with those to check appended.
func (b *builder) groupMembers(robj string, r *Recipient, members []member) []member {
	if !r.RecipientTypeDetails.HasMembers() && len(r.Members) > 0 {
		b.ps.add(robj, "Members", fmt.Sprintf("a %s has no members: only groups do", r.RecipientTypeDetails))
	}
	b.addresses(robj, "Members", r.Members)
	for j, m := range r.Members {
		if _, dom, err := smtp.Address(m); err == nil {
			members = append(members, member{robj, fmt.Sprintf("Members[%d]", j), m, dom})
		}
	}
	slices.SortFunc(r.Members, compareAddresses) // their order means nothing
	return members
}

// recipientAddresses validates a recipient's routing addresses and what
// its type requires.
func (b *builder) recipientAddresses(robj string, r Recipient, pdom string, ds domains) {
	if r.RecipientTypeDetails.IsMailbox() || r.RecipientTypeDetails.IsRemoteMailbox() {
		if _, ok := ds.lookup(pdom); !ok {
			b.ps.add(robj, "PrimarySmtpAddress", fmt.Sprintf("%s is not an accepted domain of the organization", pdom))
		}
	}
	for _, pair := range []struct{ field, v string }{{"RemoteRoutingAddress", r.RemoteRoutingAddress}, {"ExternalEmailAddress", r.ExternalEmailAddress}, {"ForwardingAddress", r.ForwardingAddress}, {"ForwardingSmtpAddress", r.ForwardingSmtpAddress}} {
		if pair.v == "" {
			continue
		}
		if typ, a, isSMTP := splitProxy(pair.v); !isSMTP && pair.field == "ExternalEmailAddress" {
			// A non-SMTP target address routes through Send connectors with
			// a matching address space (docs/behaviour.md#l34-non-smtp-addresses).
			if typ == "" || a == "" {
				b.ps.add(robj, pair.field, fmt.Sprintf("%q is not TYPE:address", pair.v))
			}
			continue
		}
		if _, _, err := smtp.Address(stripPrefix(pair.v)); err != nil {
			b.ps.add(robj, pair.field, fmt.Sprintf("%q is not an SMTP address: %v", pair.v, err))
		}
	}
	switch {
	case r.RecipientTypeDetails.IsRemoteMailbox() && r.RemoteRoutingAddress == "":
		b.ps.add(robj, "RemoteRoutingAddress", fmt.Sprintf("a %s needs its routing address (alias@<tenant>.mail.onmicrosoft.com)", r.RecipientTypeDetails))
	case r.RecipientTypeDetails == MailContact && r.ExternalEmailAddress == "":
		b.ps.add(robj, "ExternalEmailAddress", "a MailContact needs an external address")
	}
}

// index indexes the recipients rs, in their final order, by every SMTP
// proxy address, refusing an address two objects claim.
func (b *builder) index(obj string, rs []Recipient) directory {
	d := directory{recipients: rs, byAddress: make(map[string]int, len(rs))}
	for i, r := range rs {
		robj := "" // named only for a problem: most recipients have none
		if len(r.EmailAddresses) > 0 {
			robj = recipientObject(obj, r.PrimarySmtpAddress)
		}
		for _, a := range b.smtpAddresses(robj, r) {
			k := smtp.Key(a)
			if other, dup := d.byAddress[k]; dup && other != i {
				robj = recipientObject(obj, r.PrimarySmtpAddress)
				b.ps.add(robj, "EmailAddresses", fmt.Sprintf("%s is already an address of %s", k, rs[other].PrimarySmtpAddress))
				continue
			}
			d.byAddress[k] = i
		}
	}
	return d
}

// unnamedRecipient stands for the name of a recipient in its problems
// until directory names it.
const unnamedRecipient = "\x00recipient"

// recipientObject names a recipient of the object obj in a problem:
// `Tenants["contoso"].Recipients["a@contoso.com"]`.
func recipientObject(obj, address string) string {
	return obj + ".Recipients[" + strconv.Quote(address) + "]"
}

// smtpAddresses returns a recipient's primary address and its valid SMTP
// proxy addresses, reporting the others.
func (b *builder) smtpAddresses(robj string, r Recipient) []string {
	addrs := []string{r.PrimarySmtpAddress}
	for j, e := range r.EmailAddresses {
		prefix, a, isSMTP := splitProxy(e)
		if !isSMTP {
			if prefix == "" {
				b.ps.add(robj, fmt.Sprintf("EmailAddresses[%d]", j), fmt.Sprintf("%q has an empty prefix", e))
			}
			continue
		}
		if _, _, err := smtp.Address(a); err != nil {
			b.ps.add(robj, fmt.Sprintf("EmailAddresses[%d]", j), fmt.Sprintf("%q is not an SMTP address: %v", e, err))
			continue
		}
		addrs = append(addrs, a)
	}
	return addrs
}

// checkMembers refuses a member in an accepted domain that is no
// recipient: a member is a directory object, and one in another domain is
// an address outside the organization
// (docs/behaviour.md#l15-group-members-outside-the-directory).
func (b *builder) checkMembers(d directory, members []member, ds domains) {
	for _, m := range members {
		if _, ok := d.byAddress[smtp.Key(m.address)]; ok {
			continue
		}
		if a, ok := ds.lookup(m.domain); ok {
			b.ps.add(m.robj, m.field, fmt.Sprintf("%s names no recipient of the organization, and its domain %s is accepted by it", m.address, a.DomainName))
		}
	}
}

// splitProxy splits a proxy address "smtp:a@b" into its prefix and address;
// a plain address is SMTP.
func splitProxy(e string) (prefix, addr string, isSMTP bool) {
	before, after, ok := strings.Cut(e, ":")
	if !ok {
		return "smtp", e, true
	}
	prefix = before
	return prefix, after, strings.EqualFold(prefix, "smtp")
}

func stripPrefix(e string) string {
	_, a, _ := splitProxy(e)
	return a
}

func (b *builder) onPremises(os OnPremisesSpec) {
	obj := fmt.Sprintf("OnPremises[%q]", os.Name)
	if !validName(os.Name) {
		b.ps.add(obj, "Name", fmt.Sprintf("%q is not an organization name (letters, digits, '-', '_', '.')", os.Name))
		return
	}
	if findOnPrem(b.t.onprem, os.Name) != nil {
		b.ps.add(obj, "Name", "is declared twice")
		return
	}
	o := &OnPremises{
		name:             os.Name,
		maxHopCount:      cmp.Or(os.MaxHopCount, DefaultMaxHopCount),
		maxLocalHopCount: cmp.Or(os.MaxLocalHopCount, DefaultMaxLocalHopCount),
		cloudReceivers:   map[string]bool{},
	}
	o.queues = b.queues(obj, os.TransportService)
	o.dkimDomain, o.dkimSelector = b.dkimKey(obj, os.DkimSigningDomain, os.DkimSelector)
	if os.MaxHopCount < 0 || os.MaxHopCount > 500 {
		b.ps.add(obj, "MaxHopCount", fmt.Sprintf("%d is not from 1 to 500", os.MaxHopCount))
	}
	if os.MaxLocalHopCount < 0 || os.MaxLocalHopCount > 50 {
		b.ps.add(obj, "MaxLocalHopCount", fmt.Sprintf("%d is not from 0 to 50", os.MaxLocalHopCount))
	}
	o.domains = b.acceptedDomains(obj, os.AcceptedDomains, true)
	for _, a := range o.domains.list {
		if other, dup := b.t.onpremOf[a.DomainName]; dup {
			b.ps.add(obj, "AcceptedDomains", fmt.Sprintf("%s is already accepted by on-premises organization %q", a.DomainName, other.name))
			continue
		}
		b.t.onpremOf[a.DomainName] = o
	}
	if len(os.Servers) == 0 {
		b.ps.add(obj, "Servers", "an on-premises organization needs at least one Exchange server")
	}
	for _, s := range sortedBy(os.Servers, func(s ServerSpec) string { return strings.ToLower(s.Name) }) {
		b.server(o, obj, s)
	}
	b.siteLinks(o, obj, os.ADSiteLinks)
	var members []member
	o.dir, members = b.directory(obj, os.Recipients, func(r Recipient, robj string) { b.onPremisesRecipient(o, r, robj) }, o.domains)
	b.deferMembers(&o.dir, members, o.domains)
	o.send = cloneEach(os.SendConnectors, connector.Send.Clone)
	b.edgeSubscriptions(o, obj, os.EdgeSubscriptions)
	o.remote = b.remoteDomains(obj, os.RemoteDomains, true)
	o.rewrites = slices.Clone(os.AddressRewriteEntries)
	b.validateRewrites(obj, o.rewrites)
	o.journal = slices.Clone(os.JournalRules)
	slices.SortFunc(o.journal, total(func(a, b JournalRule) int { return strings.Compare(a.Name, b.Name) }))
	b.validateJournalRules(obj, o.journal)
	o.rules = cloneEach(os.TransportRules, TransportRule.Clone)
	sortRules(o.rules)
	b.validateRules(obj, o.rules, nil, true)
	sortAddresses(o.rules)
	o.ruleIx = newRuleIndex(o.rules, &o.dir)
	o.receive = cloneEach(os.ReceiveConnectors, connector.Receive.Clone)
	if len(o.receive) == 0 {
		// Exchange's default: port 25, every remote address, anonymous and
		// Exchange senders, no relay (Microsoft: "Receive connectors").
		for _, s := range o.servers {
			if s.spec.Role == Edge {
				// The Edge Transport server's default (Microsoft: "Receive
				// connectors").
				o.receive = append(o.receive, connector.Receive{
					Name: "Default internal receive connector " + s.spec.Name, Server: s.spec.Name, TransportRole: "HubTransport",
					Bindings: []string{"0.0.0.0:25"}, PermissionGroups: []string{"AnonymousUsers", "ExchangeServers", "Partners"},
					AuthMechanism: []string{"Tls", "ExchangeServer"},
				})
				continue
			}
			o.receive = append(o.receive, connector.Receive{
				Name: "Default Frontend " + s.spec.Name, Server: s.spec.Name, TransportRole: "FrontendTransport",
				PermissionGroups: []string{"AnonymousUsers", "ExchangeServers", "ExchangeLegacyServers"},
				AuthMechanism:    []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"},
			})
		}
	}
	if b.onpSpecs == nil {
		b.onpSpecs = map[*OnPremises]*OnPremisesSpec{}
	}
	b.onpSpecs[o] = &os
	b.t.onprem = append(b.t.onprem, o)
}

// server validates one server of an on-premises organization and adds its
// node.
func (b *builder) server(o *OnPremises, obj string, s ServerSpec) {
	sobj := fmt.Sprintf("%s.Servers[%q]", obj, s.Name)
	if !validName(s.Name) {
		b.ps.add(sobj, "Name", fmt.Sprintf("%q is not a server name", s.Name))
		return
	}
	if o.serverIndex(s.Name) >= 0 {
		b.ps.add(sobj, "Name", "is declared twice")
		return
	}
	switch s.Role {
	case "":
		s.Role = Mailbox
	case Mailbox, ClientAccess:
	case Edge:
		if s.Site != "" {
			// Edge Transport servers are not domain-joined (Microsoft: "Edge
			// Subscriptions"): an Edge is in the site it is subscribed to.
			b.ps.add(sobj, "Site", "an Edge Transport server is not domain-joined and has no Active Directory site; EdgeSubscriptions names the site it is subscribed to")
		}
	default:
		b.ps.add(sobj, "Role", fmt.Sprintf("%q is not Mailbox, ClientAccess or Edge", s.Role))
	}
	s.Hosts = slices.Clone(s.Hosts)
	id := NodeID{"onprem:" + o.name + "/" + s.Name}
	n := Node{ID: id, Kind: KindOnPremises, Role: RoleOnPremTransport, Org: o.name, Name: s.Name, ServerRole: s.Role, onprem: o}
	switch s.Role {
	case ClientAccess:
		n.Role = RoleOnPremFrontEnd
	case Edge:
		n.Kind, n.Role = KindEdge, RoleEdgeTransport
	default:
		n.Site = siteOf(s)
	}
	if s.Fqdn == "" {
		b.ps.add(sobj, "Fqdn", "is empty")
	} else if h, ok := b.host(id, sobj, "Fqdn", s.Fqdn); ok {
		n.hosts = append(n.hosts, h)
	}
	for i, h := range s.Hosts {
		if h, ok := b.host(id, sobj, fmt.Sprintf("Hosts[%d]", i), h); ok {
			n.hosts = append(n.hosts, h)
		}
	}
	slices.Sort(n.hosts)
	n.IPAddress = b.ip(sobj, s.IPAddress)
	n.StartTLS, n.Offline, n.MessagesPerHour = true, s.Offline, s.MessagesPerHour
	b.messagesPerHour(sobj, s.MessagesPerHour)
	n.Certificate = b.certificate(sobj, s.Certificate)
	if n.Certificate.IsZero() && s.Fqdn != "" {
		// Exchange's default certificate: self-signed, for the server's names.
		n.Certificate = NodeCertificate{&Certificate{CertificateDomains: []string{strings.ToLower(s.Fqdn), s.Name}, IsSelfSigned: true, Status: CertificateValid}}
	}
	o.servers = append(o.servers, server{spec: s, id: id})
	b.addNode(n, sobj)
}

// onPremisesRecipient validates what only an on-premises recipient must
// satisfy: a mailbox names the Mailbox server that holds it.
func (b *builder) onPremisesRecipient(o *OnPremises, r Recipient, robj string) {
	switch t := r.RecipientTypeDetails; {
	case t.IsMailbox():
		i := o.serverIndex(r.Server)
		switch {
		case r.Server == "":
			b.ps.add(robj, "Server", "an on-premises mailbox needs the Mailbox server that holds it")
		case i < 0:
			b.ps.add(robj, "Server", fmt.Sprintf("%q is not a server of the organization", r.Server))
		case o.servers[i].spec.Role != Mailbox:
			b.ps.add(robj, "Server", fmt.Sprintf("%q is %s server; mailboxes live on Mailbox servers", r.Server, article(string(o.servers[i].spec.Role))))
		}
	case !knownRecipientType(t):
		b.ps.add(robj, "RecipientTypeDetails", fmt.Sprintf("%q is not a recipient type the library models", t))
	default:
		if r.Server != "" {
			b.ps.add(robj, "Server", fmt.Sprintf("a %s has no mailbox server", t))
		}
	}
}

// article returns word after "a" or "an".
func article(word string) string {
	if word != "" && strings.ContainsRune("AEIOUaeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}

// certificate validates and copies a certificate.
func (b *builder) certificate(obj string, c *Certificate) NodeCertificate {
	if c == nil {
		return NodeCertificate{}
	}
	cc := &Certificate{IsSelfSigned: c.IsSelfSigned, Status: cmp.Or(c.Status, CertificateValid)}
	switch cc.Status {
	case CertificateValid, CertificateDateInvalid, CertificateUntrusted, CertificateRevoked:
	default:
		b.ps.add(obj, "Certificate.Status", fmt.Sprintf("%q is not Valid, DateInvalid, Untrusted or Revoked", c.Status))
	}
	if len(c.CertificateDomains) == 0 {
		b.ps.add(obj, "Certificate.CertificateDomains", "is empty")
	}
	for i, d := range c.CertificateDomains {
		name := strings.TrimPrefix(d, "*.")
		if _, err := smtp.Domain(name); err != nil {
			b.ps.add(obj, fmt.Sprintf("Certificate.CertificateDomains[%d]", i), fmt.Sprintf("%q is not a domain name or *.domain", d))
			continue
		}
		cc.CertificateDomains = append(cc.CertificateDomains, strings.ToLower(d))
	}
	// The subject first; the alternative names have no order.
	if len(cc.CertificateDomains) > 1 {
		slices.Sort(cc.CertificateDomains[1:])
	}
	return NodeCertificate{cc}
}

// messagesPerHour refuses a negative sending volume.
func (b *builder) messagesPerHour(obj string, n int) {
	if n < 0 {
		b.ps.add(obj, "MessagesPerHour", fmt.Sprintf("%d is negative", n))
	}
}

func (b *builder) ip(obj, s string) netip.Addr {
	if s == "" {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		b.ps.add(obj, "IPAddress", fmt.Sprintf("%q is not an IP address", s))
	}
	return a
}

func (b *builder) external(es ExternalSpec) {
	obj := fmt.Sprintf("External[%q]", es.Name)
	if !validName(es.Name) {
		b.ps.add(obj, "Name", fmt.Sprintf("%q is not a name (letters, digits, '-', '_', '.')", es.Name))
		return
	}
	n := Node{Kind: KindInternet, Role: RoleInternetMX, Org: es.Name, Name: es.Name}
	switch es.Kind {
	case "", Internet:
		n.ID = NodeID{"ext:" + es.Name}
	case Partner:
		n.ID, n.Kind, n.Role = NodeID{"partner:" + es.Name}, KindPartner, RolePartnerOrg
	case Device:
		n.ID, n.Kind, n.Role = NodeID{"device:" + es.Name}, KindDevice, RoleDevice
		if (es.SmartHost == "") == (es.AuthenticatedAs == "") {
			b.ps.add(obj, "SmartHost", "a Device sends either to a SmartHost (a tenant's MX host) or by client submission as AuthenticatedAs: exactly one of them")
		}
	case Appliance:
		n.ID, n.Kind, n.Role = NodeID{"appliance:" + es.Name}, KindAppliance, RoleAppliance
		if es.SmartHost == "" {
			b.ps.add(obj, "SmartHost", "an Appliance forwards what it receives: it needs a SmartHost")
		}
	default:
		b.ps.add(obj, "Kind", fmt.Sprintf("%q is not Internet, Partner, Appliance or Device", es.Kind))
		return
	}
	if _, dup := b.t.index[n.ID]; dup {
		b.ps.add(obj, "Name", "is declared twice")
		return
	}
	for i, d := range es.Domains {
		key, err := smtp.Domain(d)
		switch {
		case err != nil:
			b.ps.add(obj, fmt.Sprintf("Domains[%d]", i), fmt.Sprintf("%q is not a domain name: %v", d, err))
		case b.t.external[key].IsValid():
			b.ps.add(obj, fmt.Sprintf("Domains[%d]", i), fmt.Sprintf("%s is already a domain of %s", key, b.t.external[key]))
		default:
			b.t.external[key] = n.ID
		}
	}
	if len(es.Hosts) == 0 {
		b.ps.add(obj, "Hosts", "is empty: MX records need a host name to point to")
	}
	for i, h := range es.Hosts {
		if h, ok := b.host(n.ID, obj, fmt.Sprintf("Hosts[%d]", i), h); ok {
			n.hosts = append(n.hosts, h)
		}
	}
	slices.Sort(n.hosts)
	n.IPAddress = b.ip(obj, es.IPAddress)
	n.StartTLS, n.Offline, n.Transparent, n.AuthenticatedAs = es.StartTLS.Bool(true), es.Offline, es.Transparent, es.AuthenticatedAs
	n.MessagesPerHour = es.MessagesPerHour
	b.messagesPerHour(obj, es.MessagesPerHour)
	if es.AuthenticatedAs != "" {
		if es.Kind != Device {
			b.ps.add(obj, "AuthenticatedAs", "only a Device authenticates for client submission")
		}
		b.mailboxRefs = append(b.mailboxRefs, [2]string{obj, es.AuthenticatedAs})
	}
	if es.Transparent && es.Kind != Appliance {
		b.ps.add(obj, "Transparent", "only an Appliance can be transparent")
	}
	n.Certificate = b.certificate(obj, es.Certificate)
	b.service(obj, es, &n)
	if es.SmartHost != "" {
		if h, err := smtp.Domain(es.SmartHost); err != nil {
			b.ps.add(obj, "SmartHost", fmt.Sprintf("%q is not a host name: %v", es.SmartHost, err))
		} else {
			n.SmartHost = h
			b.smartHostRefs = append(b.smartHostRefs, [2]string{obj, h})
		}
	}
	b.addNode(n, obj)
}

func (b *builder) mxRecords(list []MXRecord) {
	seen := map[[2]string]bool{}
	list = sortedBy(list, func(r MXRecord) string { return smtp.Key(r.Domain) + " " + smtp.Key(r.NameExchange) })
	for _, r := range list {
		obj := fmt.Sprintf("MXRecords[%q %d %q]", r.Domain, r.Preference, r.NameExchange)
		d, err := smtp.Domain(r.Domain)
		if err != nil {
			b.ps.add(obj, "Domain", fmt.Sprintf("%q is not a domain name: %v", r.Domain, err))
			continue
		}
		h, err := smtp.Domain(r.NameExchange)
		if err != nil {
			b.ps.add(obj, "NameExchange", fmt.Sprintf("%q is not a host name: %v", r.NameExchange, err))
			continue
		}
		if r.Preference < 0 || r.Preference > 65535 {
			b.ps.add(obj, "Preference", fmt.Sprintf("%d is not from 0 to 65535", r.Preference))
			continue
		}
		if _, ok := b.t.hosts[h]; !ok {
			b.ps.add(obj, "NameExchange", fmt.Sprintf("MX to nowhere: no node has the host name %s", h))
			continue
		}
		if seen[[2]string{d, h}] {
			b.ps.add(obj, "", "is declared twice")
			continue
		}
		if strings.HasSuffix(d, ".onmicrosoft.com") {
			if _, ok := b.t.tenantOf[d]; ok {
				b.ps.add(obj, "Domain", "Microsoft publishes the MX of a tenant's onmicrosoft.com domains; do not declare it")
				continue
			}
		}
		seen[[2]string{d, h}] = true
		b.t.mx[d] = append(b.t.mx[d], MXRecord{Domain: d, Preference: r.Preference, NameExchange: h})
	}
	for _, rs := range b.t.mx {
		slices.SortFunc(rs, func(x, y MXRecord) int {
			return cmp.Or(cmp.Compare(x.Preference, y.Preference), strings.Compare(x.NameExchange, y.NameExchange))
		})
	}
}

// dnsRecords builds the DNS zone of the declared records, the MX records
// and the nodes' host names and addresses
// (docs/behaviour.md#l90-declared-dns).
func (b *builder) dnsRecords(list []dns.Record) {
	var mx []dns.MX
	for _, d := range slices.Sorted(maps.Keys(b.t.mx)) {
		for _, r := range b.t.mx[d] {
			mx = append(mx, dns.MX{Domain: r.Domain, Preference: r.Preference, NameExchange: r.NameExchange})
		}
	}
	var hosts []dns.Host
	for _, n := range b.t.nodes {
		for _, h := range n.hosts {
			hosts = append(hosts, dns.Host{Name: h, IP: n.IPAddress})
		}
	}
	if len(list) > 0 && !slices.ContainsFunc(list, func(r dns.Record) bool { return smtp.Key(r.Name) == EOPSPFName }) {
		// docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from
		list = append(slices.Clip(list), dns.Record{Name: EOPSPFName, Type: dns.TXT, Strings: []string{EOPSPFRecord}})
	}
	z, ps := dns.NewZone(list, mx, hosts)
	for _, p := range ps {
		b.ps.add(p.Path, p.Field, p.Message)
	}
	b.t.dns = z
}

func (b *builder) hybrids(list []HybridConfiguration) {
	list = slices.Clone(list) // sorting must not reorder the caller's Spec
	slices.SortFunc(list, total(func(x, y HybridConfiguration) int {
		return cmp.Or(strings.Compare(x.Tenant, y.Tenant), strings.Compare(x.OnPremises, y.OnPremises))
	}))
	for _, h := range list {
		obj := fmt.Sprintf("Hybrid[%q, %q]", h.Tenant, h.OnPremises)
		x, o, ok := b.hybridPair(obj, h)
		if !ok {
			continue
		}
		if len(h.Domains) == 0 {
			b.ps.add(obj, "Domains", "is empty")
		}
		for i, d := range h.Domains {
			if _, ok := x.domains.lookup(d); !ok {
				b.ps.add(obj, fmt.Sprintf("Domains[%d]", i), fmt.Sprintf("%s is not an accepted domain of tenant %q", d, x.name))
			}
			if _, ok := o.domains.lookup(d); !ok {
				b.ps.add(obj, fmt.Sprintf("Domains[%d]", i), fmt.Sprintf("%s is not an accepted domain of on-premises organization %q", d, o.name))
			}
		}
		// The wizard adds the coexistence domain on-premises; the
		// organization routes by it.
		o.domains.add(AcceptedDomain{DomainName: x.CoexistenceDomain(), DomainType: InternalRelay})
		if _, owned := b.t.onpremOf[x.CoexistenceDomain()]; !owned {
			b.t.onpremOf[x.CoexistenceDomain()] = o
		}
		if h.DirectorySynchronization {
			x.dirSync, o.dirSync = true, true
			b.synchronize(obj, x, o)
		}
		if id, ok := b.t.hosts[smtp.Key(h.OnPremisesSmartHost)]; !ok {
			b.ps.add(obj, "OnPremisesSmartHost", fmt.Sprintf("%q is not the host name of a server of %q", h.OnPremisesSmartHost, o.name))
		} else if n := b.t.nodes[b.t.index[id]]; n.onprem != o {
			b.ps.add(obj, "OnPremisesSmartHost", fmt.Sprintf("%q is the host name of %s, not of a server of %q", h.OnPremisesSmartHost, id, o.name))
		}
		cert := (&connector.Send{TlsCertificateName: h.TlsCertificateName}).CertificateName()
		if cert == "" {
			b.ps.add(obj, "TlsCertificateName", fmt.Sprintf("%q names no certificate subject (<I>issuer<S>CN=name or a domain)", h.TlsCertificateName))
		}
		sending, receiving := b.hybridEdges(o, obj, h)
		for _, field := range []struct {
			name string
			list []string
		}{{"SendingTransportServers", h.SendingTransportServers}, {"ReceivingTransportServers", h.ReceivingTransportServers}} {
			if len(field.list) == 0 && len(h.EdgeTransportServers) == 0 {
				b.ps.add(obj, field.name, "is empty")
			}
			for i, s := range field.list {
				if o.serverIndex(s) < 0 {
					b.ps.add(obj, fmt.Sprintf("%s[%d]", field.name, i), fmt.Sprintf("%q is not a server of %q", s, o.name))
				}
			}
		}
		for _, s := range receiving {
			o.cloudReceivers[strings.ToLower(s)] = true
		}
		cmt := false
		for i, f := range h.Features {
			switch f {
			case FeatureCentralizedTransport:
				cmt = true
			case "OnlineArchive", "FreeBusy", "Mailtips", "MessageTracking", "OwaRedirection", "SecureMail", "Photos", "MoveMailbox":
			default:
				b.ps.add(obj, fmt.Sprintf("Features[%d]", i), fmt.Sprintf("%q is not a hybrid feature", f))
			}
		}
		x.inbound = appendUnlessNamed(x.inbound, func(c connector.Inbound) string { return c.Name }, connector.Inbound{
			Name:                     "Inbound from " + o.name,
			ConnectorType:            connector.OnPremises,
			SenderDomains:            []string{"*"},
			RequireTls:               connector.True,
			TlsSenderCertificateName: cert,
			CloudServicesMailEnabled: true,
			ConnectorSource:          connector.SourceHybridWizard,
			Enabled:                  connector.True,
		})
		x.outbound = appendUnlessNamed(x.outbound, func(c connector.Outbound) string { return c.Name }, connector.Outbound{
			Name:                          "Outbound to " + o.name,
			ConnectorType:                 connector.OnPremises,
			RecipientDomains:              slices.Clone(h.Domains),
			UseMXRecord:                   connector.False,
			SmartHosts:                    []string{h.OnPremisesSmartHost},
			TlsSettings:                   connector.TlsDomainValidation,
			TlsDomain:                     cert,
			CloudServicesMailEnabled:      true,
			RouteAllMessagesViaOnPremises: cmt,
			ConnectorSource:               connector.SourceHybridWizard,
			Enabled:                       connector.True,
		})
		o.send = appendUnlessNamed(o.send, func(c connector.Send) string { return c.Name }, connector.Send{
			Name:                     "Outbound to Office 365",
			AddressSpaces:            []string{"smtp:" + x.CoexistenceDomain() + ";1"},
			DNSRoutingEnabled:        connector.True,
			RequireTLS:               true,
			TlsAuthLevel:             "DomainValidation",
			TlsDomain:                "mail.protection.outlook.com",
			TlsCertificateName:       h.TlsCertificateName,
			Fqdn:                     cert,
			CloudServicesMailEnabled: true,
			SourceTransportServers:   sending,
			Enabled:                  connector.True,
		})
	}
}

// hybridPair returns the tenant and on-premises organization h pairs,
// and false (with the problem) when either is missing or already in a
// hybrid configuration.
func (b *builder) hybridPair(obj string, h HybridConfiguration) (*Tenant, *OnPremises, bool) {
	x := findTenant(b.t.tenants, strings.ToLower(h.Tenant))
	o := findOnPrem(b.t.onprem, h.OnPremises)
	okT := x != nil
	if !okT {
		b.ps.add(obj, "Tenant", fmt.Sprintf("no tenant is named %q", h.Tenant))
	}
	if o == nil {
		b.ps.add(obj, "OnPremises", fmt.Sprintf("no on-premises organization is named %q", h.OnPremises))
	}
	if !okT || o == nil {
		return nil, nil, false
	}
	if x.hybrid != nil || o.hybrid != nil {
		b.ps.add(obj, "", "a tenant and an on-premises organization take part in one hybrid configuration each")
		return nil, nil, false
	}
	x.hybrid, o.hybrid = o, x
	return x, o, true
}

// cloneEach returns a copy of s whose elements are copied by clone, so that
// the Topology shares no slice with the Spec.
func cloneEach[T any](s []T, clone func(T) T) []T {
	c := make([]T, 0, len(s))
	for _, v := range s {
		c = append(c, clone(v))
	}
	return c
}

// appendUnlessNamed appends a connector the Hybrid Configuration Wizard
// creates unless the Spec declares one with its name: the declared one is
// the wizard's connector as an administrator edited it (Set-SendConnector,
// Set-OutboundConnector).
func appendUnlessNamed[C any](list []C, name func(C) string, c C) []C {
	for _, d := range list {
		if strings.EqualFold(name(d), name(c)) {
			return list
		}
	}
	return append(list, c)
}

func findTenantMailbox(l []*Tenant, address string) *Tenant {
	for _, x := range l {
		if r, ok := x.dir.lookup(address); ok && r.RecipientTypeDetails.IsMailbox() {
			return x
		}
	}
	return nil
}

func findTenant(l []*Tenant, name string) *Tenant {
	for _, x := range l {
		if x.name == name {
			return x
		}
	}
	return nil
}

func findOnPrem(l []*OnPremises, name string) *OnPremises {
	for _, o := range l {
		if o.name == name {
			return o
		}
	}
	return nil
}

// connectors validates every organization's connectors and indexes them.
func (b *builder) connectors() {
	for _, x := range b.t.tenants {
		b.tenantConnectors(x)
	}
	for _, o := range b.t.onprem {
		b.onPremisesConnectors(o)
	}
}

// byName orders connector names ignoring case, then exactly: a total
// order.
func byName(a, c string) int {
	return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(c)), strings.Compare(a, c))
}

// tenantConnectors validates a tenant's inbound and outbound connectors,
// compiles them for attribution and selection, and validates its rules
// (which name outbound connectors).
func (b *builder) tenantConnectors(x *Tenant) {
	obj := fmt.Sprintf("Tenants[%q]", x.name)
	slices.SortFunc(x.inbound, total(func(a, c connector.Inbound) int { return byName(a.Name, c.Name) }))
	slices.SortFunc(x.outbound, total(func(a, c connector.Outbound) int { return byName(a.Name, c.Name) }))
	for i := range x.inbound {
		c := &x.inbound[i]
		cobj := fmt.Sprintf("%s.InboundConnectors[%q]", obj, c.Name)
		b.fieldErrors(cobj, c.Validate())
		if i > 0 && strings.EqualFold(x.inbound[i-1].Name, c.Name) {
			b.ps.add(cobj, "Name", "is used by two inbound connectors")
		}
		for j, d := range c.AssociatedAcceptedDomains {
			if _, ok := x.domains.lookup(d); !ok {
				b.ps.add(cobj, fmt.Sprintf("AssociatedAcceptedDomains[%d]", j), fmt.Sprintf("%s is not an accepted domain", d))
			}
		}
	}
	x.attribution = connector.CompileInbound(x.inbound)
	for i := range x.outbound {
		c := &x.outbound[i]
		cobj := fmt.Sprintf("%s.OutboundConnectors[%q]", obj, c.Name)
		b.connector(cobj, c.Validate(), i > 0 && strings.EqualFold(x.outbound[i-1].Name, c.Name), "outbound connectors", !c.UsesMX(), c.SmartHosts)
		if c.RouteAllMessagesViaOnPremises && c.IsEnabled() && c.ConnectorType == connector.OnPremises && x.cmt < 0 {
			x.cmt = i
		}
	}
	x.outTable = connector.NewOutboundTable(x.outbound, b.tenSpecs[x].OutboundConnectorSelection)
	b.validateRules(obj, x.rules, x.outbound, false)
	sortAddresses(x.rules)
	x.ruleIx = newRuleIndex(x.rules, &x.dir)
}

// connector reports a sending connector's own problems and a name another
// one of its kind (what) has already, validates its smart hosts when it
// uses them, and puts them in their one order
// (docs/behaviour.md#l10-several-smart-hosts).
func (b *builder) connector(cobj string, problems []Problem, dupName bool, what string, usesSmartHosts bool, smartHosts []string) {
	b.fieldErrors(cobj, problems)
	if dupName {
		b.ps.add(cobj, "Name", "is used by two "+what)
	}
	if usesSmartHosts {
		b.smartHosts(cobj, smartHosts)
	}
	slices.SortFunc(smartHosts, compareAddresses)
}

// onPremisesConnectors validates an organization's Send and Receive
// connectors and indexes the Send connectors for selection.
func (b *builder) onPremisesConnectors(o *OnPremises) {
	obj := fmt.Sprintf("OnPremises[%q]", o.name)
	slices.SortFunc(o.send, total(func(a, c connector.Send) int { return byName(a.Name, c.Name) }))
	for i := range o.send {
		c := &o.send[i]
		cobj := fmt.Sprintf("%s.SendConnectors[%q]", obj, c.Name)
		b.connector(cobj, c.Validate(), i > 0 && strings.EqualFold(o.send[i-1].Name, c.Name), "Send connectors", !c.UsesDNS(), c.SmartHosts)
		b.sourceServers(o, cobj, c)
	}
	o.sendTable = connector.NewSendTable(o.send)
	slices.SortFunc(o.receive, total(func(a, c connector.Receive) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Server), strings.ToLower(c.Server)), byName(a.Name, c.Name))
	}))
	sameRanges := map[string][]int{}
	for i := range o.receive {
		c := &o.receive[i]
		cobj := fmt.Sprintf("%s.ReceiveConnectors[%q]", obj, c.Server+`\`+c.Name)
		b.fieldErrors(cobj, c.Validate())
		if i > 0 && strings.EqualFold(o.receive[i-1].Server, c.Server) && strings.EqualFold(o.receive[i-1].Name, c.Name) {
			b.ps.add(cobj, "Name", "is used by two Receive connectors of the server")
		}
		if o.serverIndex(c.Server) < 0 {
			b.ps.add(cobj, "Server", fmt.Sprintf("%q is not a server of the organization", c.Server))
		}
		// Only connectors of the same server with the same ranges can
		// clash: the map keeps the check linear in the connectors.
		rs, _ := remoteRanges(c)
		key := strings.ToLower(c.Server) + "\x00" + strings.Join(rs, "\x00")
		for _, j := range sameRanges[key] {
			p := &o.receive[j]
			if strings.EqualFold(p.Name, c.Name) {
				continue
			}
			if bind, ok := sameListener(p, c); ok {
				b.ps.add(cobj, "RemoteIPRanges", fmt.Sprintf("Receive connector %q also has the binding %s and the same RemoteIPRanges; "+
					"each Receive connector of a server needs a unique combination of bindings and remote IP ranges", p.Name, bind))
			}
		}
		sameRanges[key] = append(sameRanges[key], i)
	}
	o.receiveTable = connector.NewReceiveTable(o.receive)
}

// sameListener reports whether two Receive connectors share a binding and
// have the same RemoteIPRanges, which Exchange refuses (Microsoft: "Receive
// connectors"), and returns the first binding they share. Connectors whose
// bindings or ranges do not parse are not compared: Validate reported them.
func sameListener(a, c *connector.Receive) (string, bool) {
	ab, aok := bindings(a)
	cb, cok := bindings(c)
	ar, arok := remoteRanges(a)
	cr, crok := remoteRanges(c)
	if !aok || !cok || !arok || !crok || !slices.Equal(ar, cr) {
		return "", false
	}
	for _, x := range ab {
		if slices.Contains(cb, x) {
			return x.String(), true
		}
	}
	return "", false
}

// bindings returns a Receive connector's bindings in ascending order; none
// means 0.0.0.0 and the port of its TransportRole.
func bindings(c *connector.Receive) ([]netip.AddrPort, bool) {
	if len(c.Bindings) == 0 {
		return []netip.AddrPort{netip.AddrPortFrom(netip.IPv4Unspecified(), uint16(c.Port()))}, true
	}
	var l []netip.AddrPort
	for _, s := range c.Bindings {
		a, err := netip.ParseAddrPort(s)
		if err != nil {
			return nil, false
		}
		l = append(l, a)
	}
	slices.SortFunc(l, netip.AddrPort.Compare)
	return slices.Compact(l), true
}

// remoteRanges returns a Receive connector's RemoteIPRanges as a sorted
// set of ranges; none means every address.
func remoteRanges(c *connector.Receive) ([]string, bool) {
	if len(c.RemoteIPRanges) == 0 {
		return nil, true
	}
	var l []string
	for _, s := range c.RemoteIPRanges {
		r, err := connector.ParseIPRange(s)
		if err != nil {
			return nil, false
		}
		l = append(l, r.String())
	}
	slices.Sort(l)
	return slices.Compact(l), true
}

func (b *builder) fieldErrors(obj string, errs []Problem) {
	for _, e := range errs {
		b.ps.add(obj, e.Field, e.Message)
	}
}

func (b *builder) smartHosts(obj string, hosts []string) {
	for i, h := range hosts {
		if h == "--" {
			continue // an EdgeSync connector's: sourceServers checks it
		}
		if _, err := netip.ParseAddr(h); err == nil {
			continue // an IP address, which smtp.Domain also accepts ("192.0.2.25")
		}
		if _, err := smtp.Domain(h); err != nil {
			continue // Validate reported it
		}
		if _, ok := b.t.hosts[smtp.Key(h)]; !ok {
			b.ps.add(obj, fmt.Sprintf("SmartHosts[%d]", i), fmt.Sprintf("smart host %s is the host name of no node", smtp.Key(h)))
		}
	}
}
