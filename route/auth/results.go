package auth

import (
	"cmp"
	"strings"
)

// Results is what email authentication found at a hop: the typed form of
// the Authentication-Results header the hop stamps. A method that was not
// evaluated is nil.
type Results struct {
	// SPF is the SPF check of the MAIL FROM domain.
	SPF *SPF `json:"spf,omitempty"`
	// DKIM is the DKIM check of the message's signature, set with DMARC.
	DKIM *DKIM `json:"dkim,omitempty"`
	// DMARC is the DMARC check of the From header's domain.
	DMARC *DMARC `json:"dmarc,omitempty"`
	// ARC is the ARC chain the message brought, set with DMARC; it is
	// typed only: Header does not write it.
	ARC *ARC `json:"arc,omitempty"`
	// CompAuth is composite authentication, set with DMARC.
	CompAuth *CompAuth `json:"compauth,omitempty"`
}

// Header returns the Authentication-Results header's value as Exchange
// Online Protection writes it, the methods in the order SPF, DKIM, DMARC,
// compauth: "spf=pass (sender IP is 203.0.113.5)
// smtp.mailfrom=fabrikam.com; dkim=none (message not signed)
// header.d=none;dmarc=pass action=none header.from=fabrikam.com;compauth=pass
// reason=100" (Microsoft: "Anti-spam message headers in Microsoft 365").
// DKIM is written before DMARC: "dkim=pass (signature was verified)
// header.d=fabrikam.com", "dkim=fail (body hash did not verify)
// header.d=fabrikam.com", or, for an unsigned message, "dkim=none (message
// not signed) header.d=none", also when DMARC was evaluated and DKIM left
// nil. It is "" when no method was evaluated.
func (r *Results) Header() string {
	if r == nil {
		return ""
	}
	var b strings.Builder
	if s := r.SPF; s != nil {
		b.WriteString("spf=" + string(s.Result))
		if s.IP.IsValid() {
			b.WriteString(" (sender IP is " + s.IP.String() + ")")
		}
		b.WriteString(" smtp.mailfrom=" + s.MailFrom + ";")
	}
	k := r.DKIM
	if k == nil && r.DMARC != nil {
		k = &DKIM{Result: DKIMNone, Reason: "message not signed"}
	}
	if k != nil {
		b.WriteString(" dkim=" + string(k.Result) + " (" + k.Reason + ") header.d=" + cmp.Or(k.Domain, "none") + ";")
	}
	if d := r.DMARC; d != nil {
		b.WriteString("dmarc=" + string(d.Result) +
			" action=" + d.Action + " header.from=" + d.HeaderFrom + ";")
	}
	if c := r.CompAuth; c != nil {
		b.WriteString("compauth=" + string(c.Result))
		if c.Reason != "" {
			b.WriteString(" reason=" + c.Reason)
		}
	}
	return strings.TrimPrefix(b.String(), " ")
}
