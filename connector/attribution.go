package connector

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/internal/smtp"
)

// Connection is what the receiving side knows of an SMTP connection when
// it attributes it to a connector.
type Connection struct {
	// IP is the client's address; the zero Addr when unknown.
	IP netip.Addr
	// TLS: the client used STARTTLS.
	TLS bool
	// Certificate holds the names of the certificate the client presented
	// over TLS, its subject and subject alternative names; nil for none.
	// TlsSenderCertificateName matches any of them
	// ([CertificateMatch]).
	Certificate []string
	// CertificateTrusted: the certificate passes validation: it chains to
	// a trusted root and is neither self-signed, expired nor revoked. An
	// untrusted certificate satisfies no certificate-based control: it
	// matches no TlsSenderCertificateName, so it neither attributes the
	// connection to an OnPremises connector nor meets a Partner
	// connector's certificate (Microsoft: "Configure mail flow using
	// connectors in Exchange Online"; "Set up connectors for secure mail
	// flow with a partner organization";
	// docs/behaviour.md#l13-an-untrusted-certificate-proves-nothing).
	CertificateTrusted bool
	// SenderDomain is the MAIL FROM domain, "" for the null sender.
	SenderDomain string
}

// InboundSet is a tenant's inbound connectors compiled for attribution:
// their SenderIPAddresses, SenderDomains and TlsSenderCertificateName are
// parsed once. It holds its own copy of the connectors, is immutable and
// safe for concurrent use. The engine and the configuration checks both
// attribute connections with it, so they cannot disagree.
type InboundSet struct {
	cs []compiledInbound // enabled connectors, in the order given
	// The Partner connectors, indexed by the sender domains they name, so
	// that attributing a connection looks at the connectors that can match
	// its MAIL FROM domain only: exact domains, wildcard domains ("*.x",
	// which covers x too), and those that match every sender ("*", or no
	// SenderDomains). Each list is in ascending index order.
	partnerExact, partnerWild map[string][]int
	partnerAny                []int
	// onPremises are the indexes of the OnPremises connectors.
	onPremises []int
}

type compiledInbound struct {
	Inbound
	ips     []netip.Prefix
	domains []Pattern
}

// CompileInbound compiles connectors, which [Inbound.Validate] accepted,
// in the order given (topology.Build gives them in ascending name order,
// which decides ties). Disabled connectors are left out: they never match.
// Entries that do not parse are left out too; Validate reports them.
func CompileInbound(cs []Inbound) *InboundSet {
	s := &InboundSet{}
	for _, c := range cs {
		if !c.IsEnabled() {
			continue
		}
		ci := compiledInbound{Inbound: c.Clone()}
		for _, a := range c.SenderIPAddresses {
			if p, err := ParseSenderIP(a); err == nil {
				ci.ips = append(ci.ips, p)
			}
		}
		for _, d := range c.SenderDomains {
			if p, err := ParsePattern(d); err == nil {
				ci.domains = append(ci.domains, p)
			}
		}
		s.cs = append(s.cs, ci)
	}
	s.indexPartners()
	return s
}

// indexPartners indexes the Partner connectors by sender domain, and
// lists the OnPremises ones.
func (s *InboundSet) indexPartners() {
	s.partnerExact, s.partnerWild = map[string][]int{}, map[string][]int{}
	for i := range s.cs {
		c := &s.cs[i]
		if c.ConnectorType == OnPremises {
			s.onPremises = append(s.onPremises, i)
		}
		if c.ConnectorType != Partner {
			continue
		}
		if len(c.SenderDomains) == 0 {
			s.partnerAny = append(s.partnerAny, i)
			continue
		}
		for _, p := range c.domains {
			switch p.Kind() {
			case PatternExact:
				s.partnerExact[p.domain] = appendOnce(s.partnerExact[p.domain], i)
			case PatternWildcard:
				s.partnerWild[p.domain] = appendOnce(s.partnerWild[p.domain], i)
			default:
				s.partnerAny = appendOnce(s.partnerAny, i)
			}
		}
	}
}

func appendOnce(l []int, i int) []int {
	if len(l) > 0 && l[len(l)-1] == i {
		return l
	}
	return append(l, i)
}

// partnerCandidates appends to buf the indexes of the Partner connectors
// whose SenderDomains may cover domain ("" for the null sender), in
// ascending order without duplicates.
func (s *InboundSet) partnerCandidates(domain string, buf []int) []int {
	buf = append(buf, s.partnerAny...)
	if domain != "" {
		buf = append(buf, s.partnerExact[domain]...)
		for d, ok := domain, true; ok; d, ok = smtp.Parent(d) {
			buf = append(buf, s.partnerWild[d]...)
		}
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}

// Attribution is the inbound connector a connection was attributed to,
// as far as the receiving side acts on it: its name and the settings that
// decide what comes next. The zero Attribution is none.
type Attribution struct {
	// Name is the connector's Name.
	Name string
	Type Type
	// ByCertificate: an OnPremises connector matched the certificate the
	// client presented (TlsSenderCertificateName), not only its address.
	ByCertificate bool
	// RequireTls, TreatMessagesAsInternal, CloudServicesMailEnabled and
	// TlsSenderCertificateName are the connector's.
	RequireTls               bool
	TreatMessagesAsInternal  bool
	CloudServicesMailEnabled bool
	TlsSenderCertificateName string
	// Refusal says why a Partner connector refuses the recipient; zero
	// when it takes the mail.
	Refusal Refusal
	// RestrictsToIP and RestrictsToCertificate are the connector's
	// RestrictDomainsToIPAddresses and RestrictDomainsToCertificate.
	RestrictsToIP, RestrictsToCertificate bool
}

// Found reports whether a connector was attributed.
func (a Attribution) Found() bool { return a.Name != "" }

// Refusal is why a Partner inbound connector refuses a recipient.
type Refusal uint8

// The refusals (Microsoft: "Set up connectors for secure mail flow with a
// partner organization"; "Configure mail flow using connectors in
// Exchange Online").
const (
	// RefusedRestriction: the connector restricts the sender's domain to
	// its SenderIPAddresses or its certificate (RestrictDomainsTo…) and
	// the connection does not meet that.
	RefusedRestriction Refusal = iota + 1
	// RefusedCertificate: the connector names a TlsSenderCertificateName
	// the connection did not present, or presented on an untrusted
	// certificate.
	RefusedCertificate
	// RefusedNoTLS: the connector requires TLS (RequireTls) and the
	// client did not use it.
	RefusedNoTLS
)

func (c *compiledInbound) attribution(byCert bool) Attribution {
	return Attribution{Name: c.Name, Type: c.ConnectorType, ByCertificate: byCert, RequireTls: c.RequiresTls(),
		TreatMessagesAsInternal: c.TreatMessagesAsInternal, CloudServicesMailEnabled: c.CloudServicesMailEnabled,
		TlsSenderCertificateName: c.TlsSenderCertificateName, RestrictsToIP: c.RestrictDomainsToIPAddresses,
		RestrictsToCertificate: c.RestrictDomainsToCertificate}
}

// matchIP returns the length of the longest SenderIPAddresses prefix that
// holds ip.
func (c *compiledInbound) matchIP(ip netip.Addr) (bits int, ok bool) {
	if !ip.IsValid() {
		return 0, false
	}
	for _, p := range c.ips {
		if p.Contains(ip) && p.Bits() >= bits {
			bits, ok = p.Bits(), true
		}
	}
	return bits, ok
}

// matchCertificate reports whether the connection presented, over TLS, a
// trusted certificate TlsSenderCertificateName accepts by its subject or
// one of its subject alternative names.
func (c *compiledInbound) matchCertificate(conn Connection) bool {
	return conn.TLS && conn.CertificateTrusted && c.TlsSenderCertificateName != "" &&
		CertificateMatch(c.TlsSenderCertificateName, conn.Certificate...)
}

// matchSenderDomain reports whether SenderDomains covers the MAIL FROM
// domain; "*" also covers the null sender.
func (c *compiledInbound) matchSenderDomain(domain string) bool {
	for _, p := range c.domains {
		if p.Kind() == PatternAny || domain != "" && p.Match(domain, false) {
			return true
		}
	}
	return false
}

// OnPremises attributes a connection to an OnPremises connector: the first
// whose TlsSenderCertificateName the trusted certificate presented over
// TLS matches, else the one with the longest SenderIPAddresses prefix holding
// the client's address, ties to the first; the zero Attribution when none
// does (Microsoft: "Configure mail flow using connectors in Exchange
// Online"; the certificate first is the library's reading, written in
// docs/behaviour.md).
func (s *InboundSet) OnPremises(conn Connection) Attribution {
	best, bits := -1, -1
	for _, i := range s.onPremises {
		c := &s.cs[i]
		if c.matchCertificate(conn) {
			return c.attribution(true)
		}
		if b, ok := c.matchIP(conn.IP); ok && b > bits {
			best, bits = i, b
		}
	}
	if best < 0 {
		return Attribution{}
	}
	return s.cs[best].attribution(false)
}

// Partner applies the Partner connectors to a connection that no
// OnPremises connector took, for a recipient in recipientDomain: among the
// connectors for the sender's domain (SenderDomains) and, when they name
// them, that recipient domain (AssociatedAcceptedDomains), one that
// restricts the domain to an address or certificate the connection meets
// outranks one that the address or certificate merely matches, which
// outranks one that only lists the domain; the first of a rank wins. When
// only restricting connectors apply and the connection meets none, the
// first of them refuses it (RefusedRestriction). The connector that takes
// the mail refuses it still when it names a certificate the connection
// did not present, or presented untrusted (RefusedCertificate) or requires TLS the client did not
// use (RefusedNoTLS). The zero Attribution means no Partner connector
// applies.
func (s *InboundSet) Partner(conn Connection, recipientDomain string) Attribution {
	best, failed, rank := -1, -1, -1
	var buf [8]int
	sender := strings.ToLower(conn.SenderDomain) // domains compare ignoring case
	for _, i := range s.partnerCandidates(sender, buf[:0]) {
		c := &s.cs[i]
		if len(c.AssociatedAcceptedDomains) > 0 && !containsFold(c.AssociatedAcceptedDomains, recipientDomain) {
			continue
		}
		if len(c.SenderDomains) > 0 && !c.matchSenderDomain(sender) {
			continue
		}
		_, ipOK := c.matchIP(conn.IP)
		certOK := c.matchCertificate(conn)
		r := 0 // lists the sender's domain only
		switch {
		case c.RestrictDomainsToIPAddresses || c.RestrictDomainsToCertificate:
			if c.RestrictDomainsToIPAddresses && !ipOK || c.RestrictDomainsToCertificate && !certOK {
				if failed < 0 {
					failed = i
				}
				continue
			}
			r = 2
		case ipOK || certOK:
			r = 1
		}
		if r > rank {
			best, rank = i, r
		}
	}
	switch {
	case rank < 1 && failed >= 0:
		a := s.cs[failed].attribution(false)
		a.Refusal = RefusedRestriction
		return a
	case best < 0:
		return Attribution{}
	}
	c := &s.cs[best]
	a := c.attribution(false)
	switch {
	case c.TlsSenderCertificateName != "" && !c.matchCertificate(conn):
		a.Refusal = RefusedCertificate
	case c.RequiresTls() && !conn.TLS:
		a.Refusal = RefusedNoTLS
	}
	return a
}
