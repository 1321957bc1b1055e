package connector

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Receive is an on-premises Receive connector (New-ReceiveConnector), with
// the cmdlet's field names (Microsoft: "Receive connectors").
type Receive struct {
	Name string
	// Server is the server the connector belongs to (the first part of its
	// Identity, "EX01\Default Frontend EX01").
	Server string
	// TransportRole is FrontendTransport (port 25 on a Mailbox server, the
	// default) or HubTransport (2525).
	TransportRole string
	// Bindings are the local IP:port pairs it listens on; empty means
	// 0.0.0.0:25, or 0.0.0.0:2525 for HubTransport. Mail from other
	// servers arrives on port 25; the local addresses are not modelled.
	Bindings []string
	// RemoteIPRanges are the client addresses it accepts: an address, a
	// range "a-b" or a CIDR; empty means all. Two connectors of a server
	// that share a binding must not have the same RemoteIPRanges
	// (topology.Build refuses them, as Exchange does).
	RemoteIPRanges []string
	// PermissionGroups: AnonymousUsers, ExchangeUsers, ExchangeServers,
	// ExchangeLegacyServers, Partners, Custom.
	PermissionGroups []string
	// AuthMechanism: None, Tls, Integrated, BasicAuth, BasicAuthRequireTLS,
	// ExchangeServer, ExternalAuthoritative.
	AuthMechanism []string
	// AnonymousRelay records that ms-Exch-SMTP-Accept-Any-Recipient is
	// granted to NT AUTHORITY\ANONYMOUS LOGON on this connector
	// (Get-ADPermission): anonymous senders may relay (Microsoft: "Allow
	// anonymous relay on Exchange servers", first method).
	AnonymousRelay bool
	// RequireTLS refuses mail not sent over TLS.
	RequireTLS bool
	// TlsDomainCapabilities: "mail.protection.outlook.com:AcceptCloudServicesMail"
	// lets Exchange Online's cross-premises headers in.
	TlsDomainCapabilities []string
	// Fqdn is the name the connector gives in its banner and EHLO answer.
	// Informational: the certificate is the server's.
	Fqdn string
	// MaxHopCount and MaxLocalHopCount: zero means the defaults, 30 and 8.
	MaxHopCount      int
	MaxLocalHopCount int
	// Enabled: unset reads as $true.
	Enabled OptBool
	// Comment is free text. Informational: it changes no path.
	Comment string
}

// Clone returns a copy of c that shares no slice with it.
func (c Receive) Clone() Receive {
	c.Bindings = slices.Clone(c.Bindings)
	c.RemoteIPRanges = slices.Clone(c.RemoteIPRanges)
	c.PermissionGroups = slices.Clone(c.PermissionGroups)
	c.AuthMechanism = slices.Clone(c.AuthMechanism)
	c.TlsDomainCapabilities = slices.Clone(c.TlsDomainCapabilities)
	return c
}

// IsEnabled reports whether c accepts connections.
func (c *Receive) IsEnabled() bool { return c.Enabled.Bool(true) }

// Has reports whether c has the permission group g (case-insensitive).
func (c *Receive) Has(g string) bool { return containsFold(c.PermissionGroups, g) }

// HasAuth reports whether c offers the authentication mechanism m.
func (c *Receive) HasAuth(m string) bool { return containsFold(c.AuthMechanism, m) }

// ExternallySecured reports whether c treats its senders as Exchange
// servers of the organization without authenticating them (ExchangeServers
// with ExternalAuthoritative: "Allow anonymous relay on Exchange servers",
// second method).
func (c *Receive) ExternallySecured() bool {
	return c.Has("ExchangeServers") && c.HasAuth("ExternalAuthoritative")
}

// Relays reports whether anonymous senders may relay through c to domains
// the organization does not accept.
func (c *Receive) Relays() bool {
	return c.AnonymousRelay && c.Has("AnonymousUsers") || c.ExternallySecured()
}

// AcceptsCloudServicesMail reports whether c lets in the cross-premises
// headers of a sender whose certificate carries one of names, its subject
// and subject alternative names (TlsDomainCapabilities
// "domain:AcceptCloudServicesMail"). The caller checks that the
// certificate is trusted.
func (c *Receive) AcceptsCloudServicesMail(names ...string) bool {
	for _, cap := range c.TlsDomainCapabilities {
		d, what, ok := strings.Cut(cap, ":")
		if ok && strings.EqualFold(what, "AcceptCloudServicesMail") && CertificateMatch(d, names...) {
			return true
		}
	}
	return false
}

// Port returns the port of c's first binding. Without bindings it is the
// port of c's TransportRole: 2525 for HubTransport, 25 for
// FrontendTransport (Microsoft: "Receive connectors").
func (c *Receive) Port() int {
	for _, b := range c.Bindings {
		if p, ok := bindingPort(b); ok {
			return p
		}
	}
	return c.defaultPort()
}

func (c *Receive) defaultPort() int {
	if strings.EqualFold(c.TransportRole, "HubTransport") {
		return 2525
	}
	return 25
}

func bindingPort(b string) (int, bool) {
	i := strings.LastIndexByte(b, ':')
	if i < 0 {
		return 0, false
	}
	p, err := strconv.Atoi(b[i+1:])
	return p, err == nil
}

// listens reports whether one of c's bindings is on port.
func (c *Receive) listens(port int) bool {
	if len(c.Bindings) == 0 {
		return c.defaultPort() == port
	}
	for _, b := range c.Bindings {
		if p, ok := bindingPort(b); ok && p == port {
			return true
		}
	}
	return false
}

// MatchIP returns the size of the smallest RemoteIPRanges entry that
// contains ip: the smaller, the more specific. An empty RemoteIPRanges
// matches every address as the widest range.
func (c *Receive) MatchIP(ip netip.Addr) (size float64, ok bool) {
	if len(c.RemoteIPRanges) == 0 {
		return 1 << 128, true
	}
	best := -1.0
	for _, s := range c.RemoteIPRanges {
		r, err := ParseIPRange(s)
		if err != nil || !r.Contains(ip) {
			continue
		}
		if sz := r.Size(); best < 0 || sz < best {
			best = sz
		}
	}
	return best, best >= 0
}

// Validate returns the problems of c, in field order.
func (c *Receive) Validate() []Problem {
	var errs []Problem
	if strings.TrimSpace(c.Name) == "" {
		errs = append(errs, Problem{Field: "Name", Message: "is empty"})
	}
	switch c.TransportRole {
	case "", "FrontendTransport", "HubTransport":
	default:
		errs = append(errs, Problem{Field: "TransportRole", Message: fmt.Sprintf("%q is not FrontendTransport or HubTransport", c.TransportRole)})
	}
	for i, b := range c.Bindings {
		if _, err := netip.ParseAddrPort(b); err != nil {
			errs = append(errs, Problem{Field: fmt.Sprintf("Bindings[%d]", i), Message: fmt.Sprintf("%q is not IP:port", b)})
		}
	}
	for i, s := range c.RemoteIPRanges {
		if _, err := ParseIPRange(s); err != nil {
			errs = append(errs, Problem{Field: fmt.Sprintf("RemoteIPRanges[%d]", i), Message: err.Error()})
		}
	}
	for i, g := range c.PermissionGroups {
		if !containsFold([]string{"None", "AnonymousUsers", "ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers", "Partners", "Custom"}, g) {
			errs = append(errs, Problem{Field: fmt.Sprintf("PermissionGroups[%d]", i), Message: fmt.Sprintf("%q is not a permission group", g)})
		}
	}
	for i, m := range c.AuthMechanism {
		if !containsFold([]string{"None", "Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer", "ExternalAuthoritative"}, m) {
			errs = append(errs, Problem{Field: fmt.Sprintf("AuthMechanism[%d]", i), Message: fmt.Sprintf("%q is not an authentication mechanism", m)})
		}
	}
	if c.HasAuth("ExternalAuthoritative") && !c.Has("ExchangeServers") {
		errs = append(errs, Problem{Field: "AuthMechanism", Message: "ExternalAuthoritative needs the ExchangeServers permission group"})
	}
	if c.RequireTLS && !c.HasAuth("Tls") {
		errs = append(errs, Problem{Field: "RequireTLS", Message: "needs the Tls authentication mechanism"})
	}
	if c.MaxHopCount < 0 || c.MaxHopCount > 500 {
		errs = append(errs, Problem{Field: "MaxHopCount", Message: fmt.Sprintf("%d is not from 1 to 500", c.MaxHopCount)})
	}
	if c.MaxLocalHopCount < 0 || c.MaxLocalHopCount > 50 {
		errs = append(errs, Problem{Field: "MaxLocalHopCount", Message: fmt.Sprintf("%d is not from 0 to 50", c.MaxLocalHopCount)})
	}
	return errs
}

// IPRange is an inclusive range of IP addresses, as RemoteIPRanges and
// EFSkipIPs write them.
type IPRange struct {
	From, To netip.Addr
}

// ParseIPRange parses an address ("192.0.2.1"), a range
// ("192.0.2.1-192.0.2.99") or a CIDR ("192.0.2.0/24").
func ParseIPRange(s string) (IPRange, error) {
	if a, b, ok := strings.Cut(s, "-"); ok {
		from, err1 := netip.ParseAddr(strings.TrimSpace(a))
		to, err2 := netip.ParseAddr(strings.TrimSpace(b))
		if err1 != nil || err2 != nil || from.Is4() != to.Is4() || to.Less(from) {
			return IPRange{}, fmt.Errorf("%q is not an IP address range a-b", s)
		}
		return IPRange{from, to}, nil
	}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return IPRange{}, fmt.Errorf("%q is not a CIDR range", s)
		}
		p = p.Masked()
		return IPRange{p.Addr(), lastAddr(p)}, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return IPRange{}, fmt.Errorf("%q is not an IP address, range or CIDR", s)
	}
	return IPRange{a, a}, nil
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// Contains reports whether ip is in the range.
func (r IPRange) Contains(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && ip.Is4() == r.From.Is4() && !ip.Less(r.From) && !r.To.Less(ip)
}

// Size returns the number of addresses in the range, as a float so that
// IPv6 ranges fit.
func (r IPRange) Size() float64 {
	f, t := r.From.AsSlice(), r.To.AsSlice()
	var size float64
	for i := range f {
		size = size*256 + float64(t[i]) - float64(f[i])
	}
	return size + 1
}

// String returns "from-to", or the address alone.
func (r IPRange) String() string {
	if r.From == r.To {
		return r.From.String()
	}
	return r.From.String() + "-" + r.To.String()
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}

// SelectReceive returns the index of the connector of conns that takes a
// connection from ip to port on server: among enabled connectors of that server
// listening on the port, the one whose RemoteIPRanges has the smallest range
// containing ip (Microsoft: "Receive connectors"); ties go to the lowest Name.
// It returns false when none accepts the connection.
func SelectReceive(conns []Receive, server string, port int, ip netip.Addr) (int, bool) {
	p := receivePick{conns: conns, best: -1}
	for i := range conns {
		if strings.EqualFold(conns[i].Server, server) {
			p.consider(i, port, ip)
		}
	}
	return p.best, p.best >= 0
}

// receivePick is a selection among Receive connectors in progress: the
// best so far and the size of its range containing the client.
type receivePick struct {
	conns []Receive
	best  int
	size  float64
}

// consider makes conns[i] the best when it is enabled, listens on port
// and has a smaller range containing ip, or as small a range and a lower
// name; an unknown client address is matched by the widest range.
func (p *receivePick) consider(i, port int, ip netip.Addr) {
	c := &p.conns[i]
	if !c.IsEnabled() || !c.listens(port) {
		return
	}
	size, ok := c.MatchIP(ip)
	if !ok && !ip.IsValid() && len(c.RemoteIPRanges) > 0 {
		size, ok = 1<<128, c.coversAll()
	}
	if ok && (p.best < 0 || size < p.size || size == p.size && compareNames(c.Name, p.conns[p.best].Name) < 0) {
		p.best, p.size = i, size
	}
}

// ReceiveTable is a set of Receive connectors indexed for
// [ReceiveTable.Select]: by server and, for connectors whose
// RemoteIPRanges are single addresses, by address, so that selection
// costs the same for 10 or 10,000 connectors that list client addresses.
// The zero ReceiveTable is empty; it is safe for concurrent use.
type ReceiveTable struct {
	conns []Receive
	sets  map[string]*receiveSet // by lower-case server name
}

// receiveSet is one server's connectors: those an address names alone
// (every one of its ranges is that address, or one of them is), and the
// rest, which selection always considers.
type receiveSet struct {
	exact map[netip.Addr][]int
	rest  []int
}

// NewReceiveTable indexes conns, which the table keeps; indexes it
// returns are into conns.
func NewReceiveTable(conns []Receive) *ReceiveTable {
	t := &ReceiveTable{conns: conns, sets: map[string]*receiveSet{}}
	for i := range conns {
		c := &conns[i]
		key := strings.ToLower(c.Server)
		set := t.sets[key]
		if set == nil {
			set = &receiveSet{exact: map[netip.Addr][]int{}}
			t.sets[key] = set
		}
		single := len(c.RemoteIPRanges) > 0
		for _, r := range c.RemoteIPRanges {
			ipr, err := ParseIPRange(r)
			if err != nil || ipr.From != ipr.To {
				single = false
				continue
			}
			set.exact[ipr.From.Unmap()] = append(set.exact[ipr.From.Unmap()], i)
		}
		if !single {
			set.rest = append(set.rest, i)
		}
	}
	return t
}

// Select is [SelectReceive] over the table's connectors: the index of
// the enabled connector of server, listening on port, whose
// RemoteIPRanges has the smallest range containing ip, ties to the
// lowest Name; false when none accepts the connection.
func (t *ReceiveTable) Select(server string, port int, ip netip.Addr) (int, bool) {
	if t == nil {
		return -1, false
	}
	set := t.sets[strings.ToLower(server)]
	if set == nil {
		return -1, false
	}
	p := receivePick{conns: t.conns, best: -1}
	// A connector of single addresses matches ip only if it names it, and
	// never has the widest range an unknown address is matched by.
	for _, i := range set.exact[ip.Unmap()] {
		p.consider(i, port, ip)
	}
	for _, i := range set.rest {
		p.consider(i, port, ip)
	}
	return p.best, p.best >= 0
}

// coversAll reports whether c accepts every IPv4 address.
func (c *Receive) coversAll() bool {
	for _, s := range c.RemoteIPRanges {
		if r, err := ParseIPRange(s); err == nil && r.Contains(netip.IPv4Unspecified()) && r.Contains(netip.MustParseAddr("255.255.255.255")) {
			return true
		}
	}
	return false
}
