package connector

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/internal/smtp"
)

// Outbound is an Exchange Online outbound connector (New-OutboundConnector),
// with the cmdlet's field names.
type Outbound struct {
	Name string
	// ConnectorType is OnPremises (your own servers) or Partner.
	ConnectorType Type
	// RecipientDomains: exact domains, "*.contoso.com" or "*".
	RecipientDomains []string
	// AllAcceptedDomains makes the connector cover every accepted domain
	// (OnPremises only).
	AllAcceptedDomains bool
	// UseMXRecord delivers by the recipient domain's MX; $false sends to
	// SmartHosts. Unset reads as $true.
	UseMXRecord OptBool
	// SmartHosts are FQDNs or IP addresses, used when UseMXRecord is $false;
	// a set, tried in ascending order (docs/behaviour.md, L10).
	SmartHosts []string
	// TlsSettings governs the hop to the smart host or MX host only.
	TlsSettings TlsSettings
	// TlsDomain is the certificate name required with DomainValidation.
	TlsDomain string
	// IsTransportRuleScoped makes the connector reachable only through a
	// mail flow rule's RouteMessageOutboundConnector action.
	IsTransportRuleScoped bool
	// RouteAllMessagesViaOnPremises is centralized mail transport (CMT):
	// every message from Exchange Online to outside the Exchange Online
	// organization, and Internet mail reaching EOP, goes on-premises first
	// (Microsoft: "Transport routing in Exchange hybrid deployments").
	RouteAllMessagesViaOnPremises bool
	// CloudServicesMailEnabled keeps the cross-premises headers.
	CloudServicesMailEnabled bool
	// ConnectorSource records where the connector came from.
	// Informational: Exchange gives it no routing effect.
	ConnectorSource Source
	// Enabled: unset reads as $true.
	Enabled OptBool
	// Comment is free text. Informational: it changes no path.
	Comment string
}

// Clone returns a copy of c that shares no slice with it.
func (c Outbound) Clone() Outbound {
	c.RecipientDomains = slices.Clone(c.RecipientDomains)
	c.SmartHosts = slices.Clone(c.SmartHosts)
	return c
}

// IsEnabled reports whether c takes part in routing.
func (c *Outbound) IsEnabled() bool { return c.Enabled.Bool(true) }

// UsesMX reports whether c delivers by MX rather than to SmartHosts.
func (c *Outbound) UsesMX() bool { return c.UseMXRecord.Bool(true) }

// Validate returns the problems of c, in field order.
func (c *Outbound) Validate() []Problem {
	var errs []Problem
	if strings.TrimSpace(c.Name) == "" {
		errs = append(errs, Problem{Field: "Name", Message: "is empty"})
	}
	if c.ConnectorType != OnPremises && c.ConnectorType != Partner {
		errs = append(errs, Problem{Field: "ConnectorType", Message: fmt.Sprintf("%q is not OnPremises or Partner", c.ConnectorType)})
	}
	errs = validatePatterns(errs, "RecipientDomains", c.RecipientDomains, false)
	if c.AllAcceptedDomains && c.ConnectorType != OnPremises {
		errs = append(errs, Problem{Field: "AllAcceptedDomains", Message: "is allowed on OnPremises connectors only"})
	}
	if !c.UsesMX() && len(c.SmartHosts) == 0 {
		errs = append(errs, Problem{Field: "SmartHosts", Message: "UseMXRecord is $false but no smart host is given"})
	}
	for i, h := range c.SmartHosts {
		if _, err := smtp.Domain(h); err != nil && !isIP(h) {
			errs = append(errs, Problem{Field: fmt.Sprintf("SmartHosts[%d]", i), Message: fmt.Sprintf("%q is not a host name or IP address", h)})
		}
	}
	switch c.TlsSettings {
	case TlsOpportunistic, TlsEncryptionOnly, TlsCertificateValidation, TlsDomainValidation:
	default:
		errs = append(errs, Problem{Field: "TlsSettings", Message: fmt.Sprintf("%q is not EncryptionOnly, CertificateValidation, DomainValidation or $null", c.TlsSettings)})
	}
	// The library's reading: docs/behaviour.md#d9-when-tlsdomain-applies.
	if c.TlsDomain != "" && c.TlsSettings != TlsDomainValidation {
		errs = append(errs, Problem{Field: "TlsDomain", Message: "is used only with TlsSettings DomainValidation"})
	}
	// CMT on a connector scoped to the accepted domains is valid syntax but
	// a documented loop: analysis.Check reports it.
	if c.RouteAllMessagesViaOnPremises && c.ConnectorType != OnPremises {
		errs = append(errs, Problem{Field: "RouteAllMessagesViaOnPremises", Message: "is allowed on OnPremises connectors only"})
	}
	return errs
}

// SelectionMode chooses how outbound connectors compete for a recipient.
type SelectionMode uint8

// The selection modes (Microsoft: "Set up connectors to route mail between
// Microsoft 365 and your own email servers"; the default is the library's
// reading, docs/behaviour.md#d1-outbound-connector-precedence).
const (
	// MostSpecific, the default: an exact RecipientDomains entry, then the
	// longest matching wildcard, then AllAcceptedDomains, then "*".
	MostSpecific SelectionMode = iota
	// ListedOrder is the order Microsoft's page lists: exact, then
	// AllAcceptedDomains, then wildcards (longest first), then "*".
	ListedOrder
)

// OutboundTable selects Exchange Online outbound connectors for recipient
// domains. It indexes the connectors once, so a lookup costs one map probe
// per label of the domain whatever the number of connectors. It is
// immutable and safe for concurrent use.
type OutboundTable struct {
	mode     SelectionMode
	exact    map[string]int
	wildcard map[string]int
	accepted int // -1 when none
	any      int
	conns    []Outbound
}

// NewOutboundTable indexes conns. Disabled connectors and IsTransportRuleScoped
// ones take no part in domain selection. Among connectors with the same pattern
// the lowest Name (case-folded, ordinal) wins
// (docs/behaviour.md#l4-ties-between-connectors-go-to-the-lowest-name).
// Connectors must be valid; entries that do not parse are skipped.
func NewOutboundTable(conns []Outbound, mode SelectionMode) *OutboundTable {
	t := &OutboundTable{mode: mode, exact: map[string]int{}, wildcard: map[string]int{}, accepted: -1, any: -1, conns: conns}
	better := func(cur, i int) bool {
		return cur < 0 || compareNames(conns[i].Name, conns[cur].Name) < 0
	}
	for i := range conns {
		c := &conns[i]
		if !c.IsEnabled() || c.IsTransportRuleScoped {
			continue
		}
		if c.AllAcceptedDomains && better(t.accepted, i) {
			t.accepted = i
		}
		for _, s := range c.RecipientDomains {
			p, err := ParsePattern(s)
			if err != nil {
				continue
			}
			switch p.Kind() {
			case PatternAny:
				if better(t.any, i) {
					t.any = i
				}
			case PatternExact:
				if cur, ok := t.exact[p.Domain()]; !ok || better(cur, i) {
					t.exact[p.Domain()] = i
				}
			case PatternWildcard:
				if cur, ok := t.wildcard[p.Domain()]; !ok || better(cur, i) {
					t.wildcard[p.Domain()] = i
				}
			}
		}
	}
	return t
}

// Selection is the connector a table chose and why.
type Selection struct {
	Index   int     // index of the connector in the slice the table was built from
	Pattern Pattern // the entry that matched; PatternAccepted for AllAcceptedDomains
}

// Lookup returns the connector for recipient domain (lower case), and false
// when none matches and the service delivers by MX. accepted tells whether
// domain is an accepted domain of the tenant.
func (t *OutboundTable) Lookup(domain string, accepted bool) (Selection, bool) {
	if i, ok := t.exact[domain]; ok {
		return Selection{i, Pattern{kind: PatternExact, domain: domain}}, true
	}
	if t.mode == ListedOrder && accepted && t.accepted >= 0 {
		return Selection{t.accepted, Pattern{kind: PatternAccepted}}, true
	}
	for d, ok := domain, true; ok; d, ok = smtp.Parent(d) {
		if i, found := t.wildcard[d]; found {
			return Selection{i, Pattern{kind: PatternWildcard, domain: d}}, true
		}
	}
	if accepted && t.accepted >= 0 {
		return Selection{t.accepted, Pattern{kind: PatternAccepted}}, true
	}
	if t.any >= 0 {
		return Selection{t.any, Pattern{kind: PatternAny}}, true
	}
	return Selection{}, false
}

// compareNames orders connector names case-folded, then ordinally, so that
// the order is total.
func compareNames(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// isIP reports whether s is an IP address or CIDR range, as SmartHosts
// may hold.
func isIP(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	_, err := netip.ParsePrefix(s)
	return err == nil
}
