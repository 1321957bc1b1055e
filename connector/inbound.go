package connector

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/internal/problem"
)

// Inbound is an Exchange Online inbound connector (New-InboundConnector). Field
// names, meanings and defaults are those of the cmdlet's page. An Inbound is a
// plain value: validate it with [Inbound.Validate] (topology.Build does) before
// matching with it.
type Inbound struct {
	Name string
	// ConnectorType is OnPremises (your own servers: relay, hybrid internal
	// status) or Partner.
	ConnectorType Type
	// SenderDomains are matched on the P1 MAIL FROM domain: "*", "*.contoso.com"
	// or "contoso.com" ("New-InboundConnector"; "*.contoso.com" includes
	// contoso.com, docs/behaviour.md#d2-a-wildcard-domain-includes-the-domain-itself).
	SenderDomains []string
	// SenderIPAddresses are IPv4 addresses or CIDR ranges (/24 to /32).
	SenderIPAddresses []string
	// RestrictDomainsToIPAddresses rejects SenderDomains mail from IP
	// addresses outside SenderIPAddresses.
	RestrictDomainsToIPAddresses bool
	// RestrictDomainsToCertificate rejects SenderDomains mail whose
	// certificate does not match TlsSenderCertificateName.
	RestrictDomainsToCertificate bool
	// RequireTls rejects mail not sent over TLS. Unset reads as $true
	// (docs/behaviour.md#d3-default-of-requiretls-on-inbound-connectors).
	RequireTls OptBool
	// TlsSenderCertificateName is the domain the sender's certificate must
	// carry in its subject or subject alternative names; "*.contoso.com"
	// is allowed.
	TlsSenderCertificateName string
	// TreatMessagesAsInternal makes mail from non-Exchange on-premises
	// servers internal (OnPremises only).
	TreatMessagesAsInternal bool
	// CloudServicesMailEnabled keeps the cross-premises headers.
	CloudServicesMailEnabled bool
	// EFSkipLastIP, EFSkipIPs and EFUsers are Enhanced Filtering for Connectors
	// (Microsoft: "Enhanced Filtering for Connectors in Exchange Online"):
	// anti-spam evaluates the address before the last hop, or before the listed
	// hops (address, range a-b or CIDR), instead of the last one; RFC 1918 hops
	// are always skipped. With EFUsers set, it applies only when every
	// recipient is listed. Neither EFSkipLastIP nor EFSkipIPs: no Enhanced
	// Filtering.
	EFSkipLastIP bool
	EFSkipIPs    []string
	EFUsers      []string
	// AssociatedAcceptedDomains limits the connector to mail for these
	// accepted domains.
	AssociatedAcceptedDomains []string
	// ConnectorSource records where the connector came from.
	// Informational: Exchange gives it no routing effect.
	ConnectorSource Source
	// Enabled: unset reads as $true; a disabled connector never matches.
	Enabled OptBool
	// Comment is free text. Informational: it changes no path.
	Comment string
}

// Clone returns a copy of c that shares no slice with it.
func (c Inbound) Clone() Inbound {
	c.SenderDomains = slices.Clone(c.SenderDomains)
	c.SenderIPAddresses = slices.Clone(c.SenderIPAddresses)
	c.AssociatedAcceptedDomains = slices.Clone(c.AssociatedAcceptedDomains)
	c.EFSkipIPs = slices.Clone(c.EFSkipIPs)
	c.EFUsers = slices.Clone(c.EFUsers)
	return c
}

// EnhancedFiltering reports whether the connector turns Enhanced
// Filtering on (EFSkipLastIP or EFSkipIPs).
func (c *Inbound) EnhancedFiltering() bool { return c.EFSkipLastIP || len(c.EFSkipIPs) > 0 }

// IsEnabled reports whether c takes part in matching.
func (c *Inbound) IsEnabled() bool { return c.Enabled.Bool(true) }

// RequiresTls reports whether c rejects mail sent without TLS.
func (c *Inbound) RequiresTls() bool { return c.RequireTls.Bool(true) }

// Validate returns the problems of c, in field order, each naming the field.
func (c *Inbound) Validate() []Problem {
	var errs []Problem
	if strings.TrimSpace(c.Name) == "" {
		errs = append(errs, Problem{Field: "Name", Message: "is empty"})
	}
	if c.ConnectorType != OnPremises && c.ConnectorType != Partner {
		errs = append(errs, Problem{Field: "ConnectorType", Message: fmt.Sprintf("%q is not OnPremises or Partner", c.ConnectorType)})
	}
	errs = validatePatterns(errs, "SenderDomains", c.SenderDomains, false)
	for i, s := range c.SenderIPAddresses {
		if _, err := ParseSenderIP(s); err != nil {
			errs = append(errs, Problem{Field: fmt.Sprintf("SenderIPAddresses[%d]", i), Message: err.Error()})
		}
	}
	if c.TlsSenderCertificateName != "" {
		if _, err := ParsePattern(c.TlsSenderCertificateName); err != nil || c.TlsSenderCertificateName == "--" || c.TlsSenderCertificateName == "*" {
			errs = append(errs, Problem{Field: "TlsSenderCertificateName", Message: fmt.Sprintf("%q is not a domain or *.domain", c.TlsSenderCertificateName)})
		}
	}
	errs = append(errs, c.identityProblems()...)
	for i, s := range c.EFSkipIPs {
		if _, err := ParseIPRange(s); err != nil {
			errs = append(errs, Problem{Field: fmt.Sprintf("EFSkipIPs[%d]", i), Message: err.Error()})
		}
	}
	if len(c.EFUsers) > 0 && !c.EnhancedFiltering() {
		errs = append(errs, Problem{Field: "EFUsers", Message: "is set but neither EFSkipLastIP nor EFSkipIPs turns Enhanced Filtering on"})
	}
	if c.TreatMessagesAsInternal && c.ConnectorType != OnPremises {
		errs = append(errs, Problem{Field: "TreatMessagesAsInternal", Message: "is allowed on OnPremises connectors only"})
	}
	return errs
}

// identityProblems reports a connector that cannot identify its senders:
// no sender domain, address or certificate, or a restriction to addresses
// or a certificate it does not name.
func (c *Inbound) identityProblems() []Problem {
	var errs []Problem
	if c.ConnectorType == Partner && len(c.SenderDomains) == 0 && len(c.SenderIPAddresses) == 0 && c.TlsSenderCertificateName == "" {
		errs = append(errs, Problem{Field: "SenderDomains", Message: "a Partner connector needs SenderDomains, SenderIPAddresses or TlsSenderCertificateName"})
	}
	if c.ConnectorType == OnPremises && len(c.SenderIPAddresses) == 0 && c.TlsSenderCertificateName == "" {
		errs = append(errs, Problem{Field: "SenderIPAddresses", Message: "an OnPremises connector identifies its servers by SenderIPAddresses or TlsSenderCertificateName; neither is set"})
	}
	if c.RestrictDomainsToIPAddresses && len(c.SenderIPAddresses) == 0 {
		errs = append(errs, Problem{Field: "RestrictDomainsToIPAddresses", Message: "is $true but SenderIPAddresses is empty"})
	}
	if c.RestrictDomainsToCertificate && c.TlsSenderCertificateName == "" {
		errs = append(errs, Problem{Field: "RestrictDomainsToCertificate", Message: "is $true but TlsSenderCertificateName is empty"})
	}
	return errs
}

// ParseSenderIP parses an entry of SenderIPAddresses: an IPv4 address or
// a CIDR range from /24 to /32 ("New-InboundConnector"). IPv6 is refused.
func ParseSenderIP(s string) (netip.Prefix, error) {
	var p netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		p, err = netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an IPv4 address or CIDR", s)
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an IPv4 address or CIDR", s)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("%q: IPv6 is not supported in SenderIPAddresses", s)
	}
	if p.Bits() < 24 {
		return netip.Prefix{}, fmt.Errorf("%q: ranges wider than /24 are not accepted", s)
	}
	return p.Masked(), nil
}

// Problem is one thing wrong with a connector: its Field (with an index
// for list entries, "RecipientDomains[1]") and Message; the Path is empty,
// and topology.Build sets it to the connector's. It is the same type as
// topology.Problem and scenario.Problem.
type Problem = problem.Problem

func validatePatterns(errs []Problem, field string, list []string, allowAccepted bool) []Problem {
	for i, s := range list {
		p, err := ParsePattern(s)
		if err == nil && p.Kind() == PatternAccepted && !allowAccepted {
			err = fmt.Errorf("%q is allowed only in Send connector address spaces", s)
		}
		if err != nil {
			errs = append(errs, Problem{Field: fmt.Sprintf("%s[%d]", field, i), Message: err.Error()})
		}
	}
	return errs
}
