package connector

import (
	"math/rand/v2"
	"testing"
)

// partnerLinear is Partner's first pass as it was before the index: every
// Partner connector, in order.
func (s *InboundSet) partnerLinear(domain string) []int {
	var out []int
	for i := range s.cs {
		c := &s.cs[i]
		if c.ConnectorType == Partner && (len(c.SenderDomains) == 0 || c.matchSenderDomain(domain)) {
			out = append(out, i)
		}
	}
	return out
}

// TestPartnerIndex: the sender-domain index yields every Partner
// connector whose SenderDomains cover a domain, in order, for random sets
// of connectors and domains, the null sender included.
func TestPartnerIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	names := []string{"contoso.com", "sales.contoso.com", "a.sales.contoso.com", "fabrikam.com", "fabrikam.net", "com"}
	pattern := func() string {
		switch n := names[rng.IntN(len(names))]; rng.IntN(4) {
		case 0:
			return "*"
		case 1:
			if n == "com" {
				return "*.com"
			}
			return "*." + n
		default:
			if n == "com" {
				return "contoso.com"
			}
			return n
		}
	}
	for round := range 500 {
		var cs []Inbound
		for i := range rng.IntN(12) {
			c := Inbound{Name: string(rune('a' + i)), ConnectorType: Partner}
			if rng.IntN(5) == 0 {
				c.ConnectorType = OnPremises
			}
			for range rng.IntN(3) {
				c.SenderDomains = append(c.SenderDomains, pattern())
			}
			cs = append(cs, c)
		}
		s := CompileInbound(cs)
		for _, d := range append(names, "", "other.org") {
			want := s.partnerLinear(d)
			var got []int
			for _, i := range s.partnerCandidates(d, nil) {
				if c := &s.cs[i]; len(c.SenderDomains) == 0 || c.matchSenderDomain(d) {
					got = append(got, i)
				}
			}
			if len(got) != len(want) {
				t.Fatalf("round %d, domain %q: index gives %v, all connectors %v (%+v)", round, d, got, want, cs)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("round %d, domain %q: index gives %v, all connectors %v", round, d, got, want)
				}
			}
		}
	}
}
