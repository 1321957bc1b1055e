package connector

import (
	"fmt"
	"strings"

	"github.com/mailflowsim/mailflow/internal/smtp"
)

// PatternKind tells how a [Pattern] matches domains.
type PatternKind uint8

// The kinds of domain pattern, from the least to the most specific.
const (
	// PatternInvalid is the kind of the zero Pattern.
	PatternInvalid PatternKind = iota
	// PatternAny is "*": every domain.
	PatternAny
	// PatternAccepted is "--" in a Send connector address space, or
	// AllAcceptedDomains on an outbound connector: the organization's
	// accepted domains (Authoritative and InternalRelay).
	PatternAccepted
	// PatternWildcard is "*.contoso.com": the domain and all its subdomains
	// (docs/behaviour.md#d2-a-wildcard-domain-includes-the-domain-itself).
	PatternWildcard
	// PatternExact is "contoso.com": that domain only.
	PatternExact
)

// Pattern is a parsed domain pattern as Exchange writes them in
// RecipientDomains, SenderDomains and AddressSpaces: "*", "*.contoso.com",
// "contoso.com" or "--". It is comparable and immutable; the zero Pattern
// is not valid and matches nothing.
type Pattern struct {
	kind   PatternKind
	domain string // lower case, without "*."; empty for Any and Accepted
}

// ParsePattern parses a domain pattern. "*" matches every domain,
// "*.contoso.com" contoso.com and its subdomains, "contoso.com" that domain
// only, and "--" the accepted domains. Embedded wildcards such as
// "a.*.contoso.com" or "*contoso.com" are refused, as Exchange refuses them.
func ParsePattern(s string) (Pattern, error) {
	switch {
	case s == "*":
		return Pattern{kind: PatternAny}, nil
	case s == "--":
		return Pattern{kind: PatternAccepted}, nil
	case strings.HasPrefix(s, "*."):
		d, err := smtp.Domain(s[2:])
		if err != nil && err != smtp.ErrOneLabel { // "*.com" is valid in an address space
			return Pattern{}, fmt.Errorf("ParsePattern(%q): %v", s, err)
		}
		if err == smtp.ErrOneLabel {
			d = smtp.Key(s[2:])
		}
		return Pattern{kind: PatternWildcard, domain: d}, nil
	case strings.Contains(s, "*"):
		return Pattern{}, fmt.Errorf("ParsePattern(%q): a wildcard is allowed only as the whole first label (*.contoso.com)", s)
	}
	d, err := smtp.Domain(s)
	if err != nil {
		return Pattern{}, fmt.Errorf("ParsePattern(%q): %v", s, err)
	}
	return Pattern{kind: PatternExact, domain: d}, nil
}

// MustParsePattern is like [ParsePattern] but panics on error. It is
// intended for use in tests with hard-coded strings.
func MustParsePattern(s string) Pattern {
	p, err := ParsePattern(s)
	if err != nil {
		panic(err)
	}
	return p
}

// IsValid reports whether p was produced by a successful parse.
func (p Pattern) IsValid() bool { return p.kind != PatternInvalid }

// Kind returns the kind of pattern.
func (p Pattern) Kind() PatternKind { return p.kind }

// Domain returns the domain of an exact or wildcard pattern ("contoso.com"
// for both "contoso.com" and "*.contoso.com"), and "" for the others.
func (p Pattern) Domain() string { return p.domain }

// String returns the pattern as Exchange writes it.
func (p Pattern) String() string {
	switch p.kind {
	case PatternAny:
		return "*"
	case PatternAccepted:
		return "--"
	case PatternWildcard:
		return "*." + p.domain
	case PatternExact:
		return p.domain
	}
	return "invalid Pattern"
}

// Match reports whether the pattern covers domain, a lower-case domain
// name. accepted tells whether domain is one of the organization's
// accepted domains, which only [PatternAccepted] consults.
func (p Pattern) Match(domain string, accepted bool) bool {
	switch p.kind {
	case PatternAny:
		return true
	case PatternAccepted:
		return accepted
	case PatternExact:
		return domain == p.domain
	case PatternWildcard:
		return domain == p.domain ||
			len(domain) > len(p.domain) && strings.HasSuffix(domain, p.domain) && domain[len(domain)-len(p.domain)-1] == '.'
	}
	return false
}

// CompareSpecificity compares how specifically p and q name a domain: it
// returns a positive number when p is more specific than q, negative when less,
// and 0 when they are equally specific. Exact beats wildcard, a longer wildcard
// beats a shorter one, any wildcard beats the accepted domains, and "*" is last
// (docs/behaviour.md#d1-outbound-connector-precedence,
// docs/behaviour.md#l3-longer-wildcards-win-in-send-connector-selection). It is
// not an order of patterns: two different exact domains are equally specific.
// It is meant for patterns that match the same domain, to pick the connector
// that names it most specifically.
func (p Pattern) CompareSpecificity(q Pattern) int {
	if p.kind != q.kind {
		return int(p.kind) - int(q.kind)
	}
	if p.kind == PatternWildcard {
		return labels(p.domain) - labels(q.domain)
	}
	return 0
}

func labels(d string) int { return strings.Count(d, ".") + 1 }

// CertificateMatch reports whether the configured certificate domain want
// (TlsSenderCertificateName, TlsDomain: "mail.contoso.com" or
// "*.contoso.com") matches one of the names a certificate presents (subject
// and subject alternative names). Configured "*.contoso.com" matches
// contoso.com and every name under it; a presented wildcard certificate
// "*.contoso.com" matches a configured name exactly one label below
// contoso.com. Comparison ignores case.
func CertificateMatch(want string, presented ...string) bool {
	w := smtp.Key(want)
	for _, n := range presented {
		n = smtp.Key(n)
		switch {
		case n == w:
			return true
		case strings.HasPrefix(w, "*.") && (n == w[2:] || strings.HasSuffix(n, w[1:])):
			return true
		case strings.HasPrefix(n, "*.") && !strings.HasPrefix(w, "*.") && strings.HasSuffix(w, n[1:]) && strings.Count(w, ".") == strings.Count(n, "."):
			// A wildcard certificate covers exactly one label.
			return true
		}
	}
	return false
}
