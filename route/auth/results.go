package auth

import "strings"

// Results is what email authentication found at a hop: the typed form of
// the Authentication-Results header the hop stamps. A method that was not
// evaluated is nil.
type Results struct {
	// SPF is the SPF check of the MAIL FROM domain.
	SPF *SPF `json:"spf,omitempty"`
}

// Header returns the Authentication-Results header's value as Exchange
// Online Protection writes it, the methods in the order SPF:
// "spf=pass (sender IP is 203.0.113.5) smtp.mailfrom=fabrikam.com;"
// (Microsoft: "Anti-spam message headers in Microsoft 365"). It is ""
// when no method was evaluated.
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
	return b.String()
}

// Clone returns a copy of r that shares no pointer with it; nil for nil.
func (r *Results) Clone() *Results {
	if r == nil {
		return nil
	}
	c := *r
	if r.SPF != nil {
		s := *r.SPF
		c.SPF = &s
	}
	return &c
}
