package connector

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/internal/smtp"
)

// TlsAuthLevel is the TLS a Send connector with RequireTLS checks of the
// next host (Set-SendConnector -TlsAuthLevel).
type TlsAuthLevel string

// The TLS authentication levels.
const (
	TlsAuthEncryptionOnly        TlsAuthLevel = "EncryptionOnly"
	TlsAuthCertificateValidation TlsAuthLevel = "CertificateValidation"
	TlsAuthDomainValidation      TlsAuthLevel = "DomainValidation"
)

// Usage is what a Send connector was created for (New-SendConnector
// -Usage); it sets defaults such as the maximum message size.
type Usage string

// The Send connector usages.
const (
	UsageCustom   Usage = "Custom"
	UsageInternal Usage = "Internal"
	UsageInternet Usage = "Internet"
	UsagePartner  Usage = "Partner"
	UsageClient   Usage = "Client"
)

// Send is an on-premises Exchange Send connector (New-SendConnector), with
// the cmdlet's field names (Microsoft: "Send connectors").
type Send struct {
	Name string
	// AddressSpaces are "Type:AddressSpace;Cost" entries; type defaults to
	// SMTP and cost to 1: "SMTP:*.contoso.com;1", "contoso.com", "*", "--".
	AddressSpaces []string
	// DNSRoutingEnabled delivers by MX; $false sends to SmartHosts. Unset
	// reads as $true.
	DNSRoutingEnabled OptBool
	// SmartHosts are FQDNs or IP addresses, used when DNSRoutingEnabled is
	// $false; a set, tried in ascending order (docs/behaviour.md, L10).
	// "--", alone, is the smart host of an Edge subscription's "EdgeSync -
	// Inbound to <site>" connector: the Mailbox servers of the subscribed
	// site (Microsoft: "Edge Subscriptions"); Build refuses it on a connector
	// not sourced on subscribed Edge Transport servers.
	SmartHosts []string
	// RequireTLS requires TLS on the hop this connector makes.
	RequireTLS bool
	// TlsAuthLevel is EncryptionOnly, CertificateValidation or
	// DomainValidation.
	TlsAuthLevel TlsAuthLevel
	// TlsDomain is the name the next hop's certificate must carry with
	// DomainValidation.
	TlsDomain string
	// TlsCertificateName is the certificate the connector presents,
	// "<I>issuer<S>subject"; a plain domain is also accepted here.
	TlsCertificateName string
	// Fqdn is the name the connector gives in EHLO. Informational: the
	// certificate the hop presents is TlsCertificateName's, or the
	// server's.
	Fqdn string
	// CloudServicesMailEnabled keeps the cross-premises headers.
	CloudServicesMailEnabled bool
	// MaxMessageSize is the largest message the connector takes, as
	// Exchange writes it: "35 MB (36,700,160 bytes)", "10MB", "36700160" or
	// "Unlimited". Empty means the default of the connector's Usage:
	// unlimited for Internal, 35 MB otherwise
	// (docs/behaviour.md#d8-default-maxmessagesize-of-send-connectors).
	MaxMessageSize string
	// Usage is Custom (the default), Internal, Internet, Partner or Client.
	Usage Usage
	// SourceTransportServers are the names of the servers that send through
	// this connector; a message categorized elsewhere is relayed to one of
	// them first. Empty means every Mailbox server of the organization
	// (library).
	SourceTransportServers []string
	// IsScopedConnector: only servers in the Active Directory site of the
	// source servers use the connector (Microsoft: "Connector selection in
	// external message routing").
	IsScopedConnector bool
	// Enabled: unset reads as $true.
	Enabled OptBool
	// Comment is free text. Informational: it changes no path.
	Comment string
}

// Clone returns a copy of c that shares no slice with it.
func (c Send) Clone() Send {
	c.AddressSpaces = slices.Clone(c.AddressSpaces)
	c.SmartHosts = slices.Clone(c.SmartHosts)
	c.SourceTransportServers = slices.Clone(c.SourceTransportServers)
	return c
}

// IsEnabled reports whether c takes part in routing.
func (c *Send) IsEnabled() bool { return c.Enabled.Bool(true) }

// UsesDNS reports whether c delivers by MX rather than to SmartHosts.
func (c *Send) UsesDNS() bool { return c.DNSRoutingEnabled.Bool(true) }

// CertificateName returns the name the connector's certificate presents:
// the subject CN of TlsCertificateName ("<I>…<S>CN=mail.contoso.com, O=…"),
// or the plain name given there, or "" when there is none.
func (c *Send) CertificateName() string {
	s := c.TlsCertificateName
	if i := strings.Index(s, "<S>"); i >= 0 {
		s = s[i+3:]
	} else if !strings.Contains(s, "=") {
		return strings.TrimSpace(s)
	}
	for s != "" {
		part := s
		if i := strings.IndexByte(s, ','); i >= 0 {
			part, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		part = strings.TrimSpace(part)
		if len(part) > 3 && strings.EqualFold(part[:3], "CN=") {
			return part[3:]
		}
	}
	return ""
}

// MaxSize returns the largest message in bytes the connector takes, and
// false when it has no limit. A MaxMessageSize that does not parse counts
// as the default; Validate reports it.
func (c *Send) MaxSize() (int64, bool) {
	if c.MaxMessageSize == "" {
		if strings.EqualFold(string(c.Usage), string(UsageInternal)) {
			return 0, false
		}
		return 35 << 20, true
	}
	n, limited, err := ParseByteQuantifiedSize(c.MaxMessageSize)
	if err != nil {
		return 35 << 20, true
	}
	return n, limited
}

// ParseByteQuantifiedSize parses a size as Exchange writes it: "Unlimited",
// "35 MB (36,700,160 bytes)", "10MB", "512KB", "1GB" or a number of bytes.
// It returns the size in bytes and whether it is limited.
func ParseByteQuantifiedSize(s string) (bytes int64, limited bool, err error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "Unlimited") {
		return 0, false, nil
	}
	if i := strings.Index(s, "("); i >= 0 && strings.HasSuffix(s, "bytes)") {
		digits := strings.ReplaceAll(strings.TrimSuffix(s[i+1:], "bytes)"), ",", "")
		n, err := strconv.ParseInt(strings.TrimSpace(digits), 10, 64)
		if err != nil || n < 0 {
			return 0, false, fmt.Errorf("size %q: bad byte count", s)
		}
		return n, true, nil
	}
	num := strings.TrimRightFunc(s, func(r rune) bool { return r > '9' || r == ' ' })
	unit := strings.ToUpper(strings.TrimSpace(s[len(num):]))
	mult := map[string]int64{"": 1, "B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}[unit]
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if mult == 0 || err != nil || f < 0 {
		return 0, false, fmt.Errorf("size %q is not Unlimited or a number with B, KB, MB, GB or TB", s)
	}
	return int64(f * float64(mult)), true, nil
}

// ServesFrom reports whether server is one of c's SourceTransportServers
// (every server when the list is empty).
func (c *Send) ServesFrom(server string) bool {
	if len(c.SourceTransportServers) == 0 {
		return true
	}
	for _, s := range c.SourceTransportServers {
		if strings.EqualFold(s, server) {
			return true
		}
	}
	return false
}

// Validate returns the problems of c, in field order.
func (c *Send) Validate() []Problem {
	var errs []Problem
	if strings.TrimSpace(c.Name) == "" {
		errs = append(errs, Problem{Field: "Name", Message: "is empty"})
	}
	if len(c.AddressSpaces) == 0 {
		errs = append(errs, Problem{Field: "AddressSpaces", Message: "is empty"})
	}
	for i, s := range c.AddressSpaces {
		a, err := ParseAddressSpace(s)
		switch {
		case err != nil:
			errs = append(errs, Problem{Field: fmt.Sprintf("AddressSpaces[%d]", i), Message: err.Error()})
		case a.Type != "SMTP" && (c.UsesDNS() || len(c.SmartHosts) == 0):
			// Non-SMTP address spaces need smart hosts ("New-SendConnector").
			errs = append(errs, Problem{Field: fmt.Sprintf("AddressSpaces[%d]", i), Message: fmt.Sprintf("%q is a %s address space: it needs SmartHosts and DNSRoutingEnabled $false", s, a.Type)})
		}
	}
	if !c.UsesDNS() && len(c.SmartHosts) == 0 {
		errs = append(errs, Problem{Field: "SmartHosts", Message: "DNSRoutingEnabled is $false but no smart host is given"})
	}
	if c.UsesDNS() && len(c.SmartHosts) > 0 {
		errs = append(errs, Problem{Field: "SmartHosts", Message: "smart hosts need DNSRoutingEnabled $false"})
	}
	for i, h := range c.SmartHosts {
		if h == "--" {
			// An EdgeSync Send connector's smart host: the Mailbox servers of
			// the subscribed Active Directory site ("Edge Subscriptions").
			if len(c.SmartHosts) > 1 {
				errs = append(errs, Problem{Field: fmt.Sprintf("SmartHosts[%d]", i), Message: `"--" stands for the Mailbox servers of the site an Edge Transport server is subscribed to and is the only smart host of its connector`})
			}
			continue
		}
		if _, err := smtp.Domain(h); err != nil && !isIP(h) {
			errs = append(errs, Problem{Field: fmt.Sprintf("SmartHosts[%d]", i), Message: fmt.Sprintf("%q is not a host name or IP address", h)})
		}
	}
	switch c.TlsAuthLevel {
	case "", TlsAuthEncryptionOnly, TlsAuthCertificateValidation, TlsAuthDomainValidation:
	default:
		errs = append(errs, Problem{Field: "TlsAuthLevel", Message: fmt.Sprintf("%q is not EncryptionOnly, CertificateValidation or DomainValidation", c.TlsAuthLevel)})
	}
	if c.MaxMessageSize != "" {
		if _, _, err := ParseByteQuantifiedSize(c.MaxMessageSize); err != nil {
			errs = append(errs, Problem{Field: "MaxMessageSize", Message: err.Error()})
		}
	}
	switch c.Usage {
	case "", UsageCustom, UsageInternal, UsageInternet, UsagePartner, UsageClient:
	default:
		errs = append(errs, Problem{Field: "Usage", Message: fmt.Sprintf("%q is not Custom, Internal, Internet, Partner or Client", c.Usage)})
	}
	if c.TlsAuthLevel != "" && !c.RequireTLS {
		errs = append(errs, Problem{Field: "TlsAuthLevel", Message: "needs RequireTLS $true"})
	}
	return errs
}

// AddressSpace is one parsed entry of a Send connector's AddressSpaces.
type AddressSpace struct {
	Type    string  // "SMTP", or another type such as "X400" that SMTP routing ignores
	Pattern Pattern // for SMTP
	Raw     string  // the address of a non-SMTP space
	Cost    int     // 1 to 100, lower preferred
}

// String returns the entry as Exchange writes it: "SMTP:*.contoso.com;1".
func (a AddressSpace) String() string {
	if a.Type != "SMTP" {
		return a.Type + ":" + a.Raw + ";" + strconv.Itoa(a.Cost)
	}
	return "SMTP:" + a.Pattern.String() + ";" + strconv.Itoa(a.Cost)
}

// ParseAddressSpace parses "Type:AddressSpace;Cost" (type SMTP and cost 1
// when left out). SMTP spaces are domain patterns ("*", "*.com",
// "*.contoso.com", "contoso.com", "--").
func ParseAddressSpace(s string) (AddressSpace, error) {
	a := AddressSpace{Type: "SMTP", Cost: 1}
	rest := s
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		a.Type = strings.ToUpper(rest[:i])
		rest = rest[i+1:]
		if a.Type == "" {
			return AddressSpace{}, fmt.Errorf("address space %q: empty type", s)
		}
	}
	if i := strings.LastIndexByte(rest, ';'); i >= 0 {
		// Non-SMTP addresses contain ';' themselves (X400:c=US;a= ;p=Contoso):
		// their last part is a cost only when it is a number.
		n, err := strconv.Atoi(rest[i+1:])
		switch {
		case err != nil && a.Type != "SMTP":
		case err != nil || n < 1 || n > 100:
			return AddressSpace{}, fmt.Errorf("address space %q: cost %q is not a number from 1 to 100", s, rest[i+1:])
		default:
			a.Cost = n
			rest = rest[:i]
		}
	}
	if a.Type != "SMTP" {
		if rest == "" {
			return AddressSpace{}, fmt.Errorf("address space %q: empty address", s)
		}
		a.Raw = rest
		return a, nil
	}
	p, err := ParsePattern(rest)
	if err != nil {
		return AddressSpace{}, fmt.Errorf("address space %q: %v", s, err)
	}
	a.Pattern = p
	return a, nil
}

// SendTable selects on-premises Send connectors for recipient domains, the way
// Exchange's routing does (Microsoft: "Connector selection in external message
// routing";
// docs/behaviour.md#l3-longer-wildcards-win-in-send-connector-selection): among
// enabled connectors whose SMTP address space matches, the most specific space
// wins; ties go to the lowest cost, then to a connector the current server is a
// source server of (fewest hops), then to the lowest name. It indexes the
// address spaces once; a lookup costs one probe per label. It is immutable and
// safe for concurrent use.
type SendTable struct {
	exact    map[string][]sendCand
	wildcard map[string][]sendCand
	accepted []sendCand
	any      []sendCand
	conns    []Send
}

type sendCand struct {
	index int
	space AddressSpace
	text  string // space.String(), computed once
}

// NewSendTable indexes conns. Connectors must be valid; entries that do not
// parse are skipped.
func NewSendTable(conns []Send) *SendTable {
	t := &SendTable{exact: map[string][]sendCand{}, wildcard: map[string][]sendCand{}, conns: conns}
	for i := range conns {
		if !conns[i].IsEnabled() {
			continue
		}
		for _, s := range conns[i].AddressSpaces {
			a, err := ParseAddressSpace(s)
			if err != nil || a.Type != "SMTP" {
				continue
			}
			c := sendCand{i, a, a.String()}
			switch a.Pattern.Kind() {
			case PatternExact:
				t.exact[a.Pattern.Domain()] = append(t.exact[a.Pattern.Domain()], c)
			case PatternWildcard:
				t.wildcard[a.Pattern.Domain()] = append(t.wildcard[a.Pattern.Domain()], c)
			case PatternAccepted:
				t.accepted = append(t.accepted, c)
			case PatternAny:
				t.any = append(t.any, c)
			}
		}
	}
	order := func(a, b sendCand) int {
		if a.space.Cost != b.space.Cost {
			return a.space.Cost - b.space.Cost
		}
		if c := compareNames(conns[a.index].Name, conns[b.index].Name); c != 0 {
			return c
		}
		return a.index - b.index
	}
	for _, l := range t.exact {
		slices.SortFunc(l, order)
	}
	for _, l := range t.wildcard {
		slices.SortFunc(l, order)
	}
	slices.SortFunc(t.accepted, order)
	slices.SortFunc(t.any, order)
	return t
}

// Proximity is how near the server that categorizes a message is to a Send
// connector's source servers: the tie-break after cost (Microsoft: "Connector
// selection in external message routing").
type Proximity uint8

// The proximities, nearest first.
const (
	LocalServer Proximity = iota // the categorizing server is a source server
	SameSite                     // a source server is in its Active Directory site
	RemoteSite                   // the source servers are in other sites
)

// Reach is how a server reaches a Send connector's source servers.
type Reach struct {
	// Site is the Active Directory site of the nearest source servers; ""
	// when the organization has no sites.
	Site string
	// SiteCost is the least cost of the site-link path to Site: zero in the
	// server's own site.
	SiteCost  int
	Proximity Proximity
}

// Origin is where a message is categorized, for [SendTable.LookupFrom].
type Origin struct {
	// Server is the name of the categorizing server.
	Server string
	// Reach tells, for the connector at index i of the slice the table was
	// built from, how Server reaches its source servers, and false when
	// Server cannot use it (a scoped connector of another site, source
	// servers no site link reaches). Nil: every connector is reachable at
	// no site cost, LocalServer when Server is one of its source servers,
	// else SameSite.
	Reach func(i int) (Reach, bool)
}

func (o *Origin) reach(c *Send, i int) (Reach, bool) {
	if o.Reach != nil {
		return o.Reach(i)
	}
	if c.ServesFrom(o.Server) {
		return Reach{Proximity: LocalServer}, true
	}
	return Reach{Proximity: SameSite}, true
}

// SendSelection is the Send connector a [SendTable] chose and why.
type SendSelection struct {
	Index int          // index of the connector in the slice the table was built from
	Space AddressSpace // the address space that matched
	Text  string       // Space.String()
	Local bool         // the current server is one of its source servers
	// Reach is how the categorizing server reaches the connector's source
	// servers; Cost is Space.Cost plus Reach.SiteCost, the aggregate cost
	// that decided among equally specific address spaces.
	Reach Reach
	Cost  int
	// TooLarge, when no connector is selected, tells that some address
	// spaces matched but every such connector's MaxMessageSize is smaller
	// than the message.
	TooLarge bool
}

// Lookup returns the Send connector for recipient domain (lower case) when
// the message is categorized on server, and false when no address space
// matches (the Unreachable queue). accepted tells whether domain is an
// accepted domain of the organization ("--").
func (t *SendTable) Lookup(domain string, accepted bool, server string) (SendSelection, bool) {
	return t.LookupSize(domain, accepted, server, 0)
}

// LookupSize is Lookup for a message of size bytes: connectors whose
// MaxMessageSize is smaller drop out first ("Connector selection in external
// message routing"). When
// address spaces match but all their connectors are too small, it returns
// false with TooLarge set.
func (t *SendTable) LookupSize(domain string, accepted bool, server string, size int64) (SendSelection, bool) {
	return t.LookupFrom(domain, accepted, Origin{Server: server}, size)
}

// LookupFrom is LookupSize for a categorizing server in an organization with
// Active Directory sites: among the connectors whose address space matches
// most specifically, those the origin cannot reach drop out, the lowest
// aggregate cost (address space cost plus site-link cost to the source
// servers) wins, then the nearest source servers, then the lowest name
// (Microsoft: "Connector selection in external message routing").
func (t *SendTable) LookupFrom(domain string, accepted bool, from Origin, size int64) (SendSelection, bool) {
	tooLarge := false
	try := func(l []sendCand) (SendSelection, bool) {
		sel, ok := t.pick(l, &from, size)
		tooLarge = tooLarge || !ok
		return sel, ok
	}
	if l, ok := t.exact[domain]; ok {
		if sel, ok := try(l); ok {
			return sel, true
		}
	}
	for d, ok := domain, true; ok; d, ok = smtp.Parent(d) {
		if l, found := t.wildcard[d]; found {
			if sel, ok := try(l); ok {
				return sel, true
			}
		}
	}
	if accepted && len(t.accepted) > 0 {
		if sel, ok := try(t.accepted); ok {
			return sel, true
		}
	}
	if len(t.any) > 0 {
		if sel, ok := try(t.any); ok {
			return sel, true
		}
	}
	return SendSelection{TooLarge: tooLarge}, false
}

// pick applies the tie-breaks to candidates already sorted by cost and
// name, among those that take a message of size bytes and that the origin
// reaches: lowest aggregate cost, then proximity, then the order. It
// reports false, with nothing reachable, when every candidate is too
// large or out of reach.
func (t *SendTable) pick(l []sendCand, from *Origin, size int64) (SendSelection, bool) {
	best, bestReach := -1, Reach{}
	for i, c := range l {
		conn := &t.conns[c.index]
		if max, limited := conn.MaxSize(); limited && size > max {
			continue
		}
		r, ok := from.reach(conn, c.index)
		if !ok {
			continue
		}
		if best >= 0 {
			b := l[best]
			if cmp.Or(cmp.Compare(c.space.Cost+r.SiteCost, b.space.Cost+bestReach.SiteCost), cmp.Compare(r.Proximity, bestReach.Proximity)) >= 0 {
				continue // the order (cost, name) breaks the remaining ties
			}
		}
		best, bestReach = i, r
	}
	if best < 0 {
		return SendSelection{}, false
	}
	c := l[best]
	return SendSelection{Index: c.index, Space: c.space, Text: c.text, Local: bestReach.Proximity == LocalServer, Reach: bestReach, Cost: c.space.Cost + bestReach.SiteCost}, true
}
