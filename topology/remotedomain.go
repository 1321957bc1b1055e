package topology

import (
	"fmt"
	"iter"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/smtp"
)

// RemoteDomain is a remote domain (New-RemoteDomain; Get-RemoteDomain):
// an organization's settings for mail to recipients in domains outside
// it. The library models AutoForwardEnabled; the others (automatic
// replies, delivery reports, NDRs, message format and character sets)
// concern messages the library does not generate or content it does
// not model, and the importer notes them.
type RemoteDomain struct {
	// Name names it: "Default" for the built-in remote domain of "*".
	Name string
	// DomainName is the domains it covers: "*" (every domain: the Default
	// remote domain), "contoso.com" (that domain) or "*.contoso.com"
	// (contoso.com and its subdomains). The most specific remote domain
	// that covers a recipient's domain applies to it
	// (docs/behaviour.md#l80-remote-domains-and-automatic-forwarding).
	DomainName string
	// AutoForwardEnabled: $false deletes, without a non-delivery report,
	// the messages a mailbox forwards automatically to recipients in the
	// domain (Microsoft: "Remote domains in Exchange Online";
	// "Set-RemoteDomain"). Unset reads as $true, except for the Default
	// remote domain ("*") of an on-premises organization, where it reads
	// as $false, as Set-RemoteDomain documents the defaults. Only
	// ForwardingSmtpAddress is subject to it
	// (docs/behaviour.md#l80-remote-domains-and-automatic-forwarding).
	AutoForwardEnabled connector.OptBool
}

// builtRemoteDomain is a remote domain with its parsed DomainName.
type builtRemoteDomain struct {
	spec    RemoteDomain
	pattern connector.Pattern
}

// remoteDomains are an organization's remote domains, in ascending
// DomainName order.
type remoteDomains []builtRemoteDomain

// remoteDomains validates an organization's remote domains: a DomainName
// that is "*", a domain or "*." and a domain, declared once (ignoring
// case). An unset AutoForwardEnabled is resolved to its default.
func (b *builder) remoteDomains(obj string, list []RemoteDomain, onPremises bool) remoteDomains {
	var out remoteDomains
	seen := map[string]bool{}
	for _, r := range sortedBy(list, func(r RemoteDomain) string { return smtp.Key(r.DomainName) }) {
		field := fmt.Sprintf("RemoteDomains[%q]", r.DomainName)
		p, err := connector.ParsePattern(strings.TrimSpace(r.DomainName))
		if err != nil || p.Kind() == connector.PatternAccepted {
			b.ps.add(obj, field+".DomainName", fmt.Sprintf("%q is not \"*\", a domain or \"*.\" and a domain", r.DomainName))
			continue
		}
		if seen[p.String()] {
			b.ps.add(obj, field, "is declared twice")
			continue
		}
		seen[p.String()] = true
		if r.AutoForwardEnabled == connector.Unset {
			// Set-RemoteDomain: $true for new remote domains and for
			// Exchange Online's Default, $false for on-premises' Default.
			r.AutoForwardEnabled = connector.OptBoolOf(!(onPremises && p.Kind() == connector.PatternAny))
		}
		out = append(out, builtRemoteDomain{spec: r, pattern: p})
	}
	return out
}

// find returns the remote domain that applies to domain: the one that
// names it exactly, else the longest "*." domain that covers it, else
// the Default ("*").
func (rs remoteDomains) find(domain string) (RemoteDomain, bool) {
	domain = smtp.Key(domain)
	best := -1
	for i, r := range rs {
		if r.pattern.Match(domain, false) && (best < 0 || r.pattern.CompareSpecificity(rs[best].pattern) > 0) {
			best = i
		}
	}
	if best < 0 {
		return RemoteDomain{}, false
	}
	return rs[best].spec, true
}

// all yields the remote domains in ascending DomainName order.
func (rs remoteDomains) all(yield func(RemoteDomain) bool) {
	for _, r := range rs {
		if !yield(r.spec) {
			return
		}
	}
}

// RemoteDomain returns the tenant's remote domain that applies to
// recipients in domain (exact, else the longest "*." domain, else "*"),
// its AutoForwardEnabled resolved; ok is false when none does.
func (x *Tenant) RemoteDomain(domain string) (r RemoteDomain, ok bool) { return x.remote.find(domain) }

// RemoteDomain returns the organization's remote domain that applies to
// recipients in domain, as [Tenant.RemoteDomain] does.
func (o *OnPremises) RemoteDomain(domain string) (r RemoteDomain, ok bool) {
	return o.remote.find(domain)
}

// RemoteDomains yields the tenant's remote domains in ascending
// DomainName order, their AutoForwardEnabled resolved.
func (x *Tenant) RemoteDomains() iter.Seq[RemoteDomain] { return x.remote.all }

// RemoteDomains yields the organization's remote domains in ascending
// DomainName order, their AutoForwardEnabled resolved.
func (o *OnPremises) RemoteDomains() iter.Seq[RemoteDomain] { return o.remote.all }
