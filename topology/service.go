package topology

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/internal/smtp"
)

// AddsHeaders yields the headers an Appliance that processes SMTP stamps
// on every message it re-sends, in the order the spec lists them
// ([ExternalSpec.AddsHeaders]).
func (n Node) AddsHeaders() iter.Seq[Header] { return slices.Values(n.addsHeaders) }

// RemovesHeaders yields the names of the headers an Appliance that
// processes SMTP removes from every message it re-sends, in the order the
// spec lists them ([ExternalSpec.RemovesHeaders]).
func (n Node) RemovesHeaders() iter.Seq[string] { return slices.Values(n.removesHeaders) }

// ModifiesMessage reports whether the node is an Appliance that changes
// the message it re-sends: it adds or removes headers, keeps the
// organization headers, rewrites the sender, changes the body or
// ARC-seals it.
func (n Node) ModifiesMessage() bool {
	return len(n.addsHeaders) > 0 || len(n.removesHeaders) > 0 || n.KeepsOrganizationHeaders || n.RewritesSenderTo != "" || n.ModifiesBody || n.ArcSealingDomain != ""
}

// service checks and copies what an external system does to the message
// it re-sends: only an Appliance that processes SMTP changes the message
// (docs/behaviour.md#l40-an-add-on-service-that-changes-the-message).
func (b *builder) service(obj string, es ExternalSpec, n *Node) {
	set := []struct {
		field string
		on    bool
	}{
		{"AddsHeaders", len(es.AddsHeaders) > 0},
		{"RemovesHeaders", len(es.RemovesHeaders) > 0},
		{"KeepsOrganizationHeaders", es.KeepsOrganizationHeaders},
		{"RewritesSenderTo", es.RewritesSenderTo != ""},
		{"ModifiesBody", es.ModifiesBody},
		{"ArcSealingDomain", es.ArcSealingDomain != ""},
	}
	for _, s := range set {
		switch {
		case !s.on:
		case es.Kind != Appliance:
			b.ps.add(obj, s.field, "only an Appliance changes the message it forwards")
		case es.Transparent:
			b.ps.add(obj, s.field, "a Transparent Appliance passes the message through unchanged")
		}
	}
	for i, h := range es.AddsHeaders {
		field := fmt.Sprintf("AddsHeaders[%d]", i)
		if why := headerNameProblem(h.Name); why != "" {
			b.ps.add(obj, field+".Name", fmt.Sprintf("%q %s", h.Name, why))
		}
		if strings.ContainsAny(h.Value, "\r\n") {
			b.ps.add(obj, field+".Value", fmt.Sprintf("%q holds a line break", h.Value))
		}
		n.addsHeaders = append(n.addsHeaders, h)
	}
	for i, name := range es.RemovesHeaders {
		if why := headerNameProblem(name); why != "" {
			b.ps.add(obj, fmt.Sprintf("RemovesHeaders[%d]", i), fmt.Sprintf("%q %s", name, why))
		}
		n.removesHeaders = append(n.removesHeaders, name)
	}
	n.KeepsOrganizationHeaders = es.KeepsOrganizationHeaders
	if es.RewritesSenderTo != "" {
		if _, _, err := smtp.Address(es.RewritesSenderTo); err != nil {
			b.ps.add(obj, "RewritesSenderTo", fmt.Sprintf("%q is not an SMTP address: %v", es.RewritesSenderTo, err))
		}
		n.RewritesSenderTo = es.RewritesSenderTo
	}
	n.ModifiesBody = es.ModifiesBody
	b.dkimSigner(obj, es, n)
	if es.ArcSealingDomain != "" {
		d, err := smtp.Domain(es.ArcSealingDomain)
		if err != nil {
			b.ps.add(obj, "ArcSealingDomain", fmt.Sprintf("%q is not a domain name: %v", es.ArcSealingDomain, err))
		}
		n.ArcSealingDomain = d
	}
}

// dkimSigner checks and copies the domain and selector an external system
// DKIM-signs with.
func (b *builder) dkimSigner(obj string, es ExternalSpec, n *Node) {
	if es.DkimSigningDomain != "" && es.Kind == Appliance && es.Transparent {
		b.ps.add(obj, "DkimSigningDomain", "a Transparent Appliance passes the message through unchanged")
	}
	n.DkimSigningDomain, n.DkimSelector = b.dkimKey(obj, es.DkimSigningDomain, es.DkimSelector)
}

// dkimKey checks a signer's domain and selector: both or neither, the
// domain a domain name, the selector labels separated by dots (RFC 6376,
// section 3.5); it returns them in lower case.
func (b *builder) dkimKey(obj, domain, selector string) (string, string) {
	switch {
	case domain == "" && selector == "":
		return "", ""
	case domain == "":
		b.ps.add(obj, "DkimSelector", "is set without DkimSigningDomain")
		return "", ""
	case selector == "":
		b.ps.add(obj, "DkimSigningDomain", "is set without DkimSelector (s=)")
		return "", ""
	}
	d, err := smtp.Domain(domain)
	if err != nil {
		b.ps.add(obj, "DkimSigningDomain", fmt.Sprintf("%q is not a domain name: %v", domain, err))
	}
	if _, err := smtp.Domain(selector + "._domainkey.example.com"); err != nil {
		b.ps.add(obj, "DkimSelector", fmt.Sprintf("%q is not a selector (labels separated by dots): %v", selector, err))
	}
	return d, strings.ToLower(selector)
}

// headerNameProblem says why name is not a header field name (RFC 5322,
// section 2.2: printable US-ASCII characters except colon), "" when it is.
func headerNameProblem(name string) string {
	if name == "" {
		return "is empty"
	}
	for _, c := range name {
		if c < 33 || c > 126 || c == ':' {
			return "is not a header field name (printable characters except colon, RFC 5322)"
		}
	}
	return ""
}
