package topology

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestRuleIndex: for random rules and messages, every rule whose SentTo,
// From, RecipientDomainIs and SenderDomainIs conditions a message meets
// (as the engine evaluates them: any proxy address of the same object,
// domains with their subdomains) is among the index's candidates.
func TestRuleIndex(t *testing.T) {
	spec := Spec{Tenants: []TenantSpec{{Name: "contoso", AcceptedDomains: []AcceptedDomain{{DomainName: "contoso.com"}},
		Recipients: []Recipient{
			{Name: "Ana", RecipientTypeDetails: UserMailbox, PrimarySmtpAddress: "ana@contoso.com", EmailAddresses: []string{"smtp:ana.lopez@contoso.com"}},
			{Name: "Ben", RecipientTypeDetails: UserMailbox, PrimarySmtpAddress: "ben@contoso.com"},
		}}}}
	addrs := []string{"ana@contoso.com", "ANA.LOPEZ@contoso.com", "ben@contoso.com", "erin@cpandl.com", "sam@sales.fabrikam.com", ""}
	domains := []string{"contoso.com", "cpandl.com", "fabrikam.com", "sales.fabrikam.com"}
	rng := rand.New(rand.NewPCG(3, 3))
	pick := func(l []string) []string {
		var out []string
		for range rng.IntN(3) {
			if a := l[rng.IntN(len(l))]; a != "" {
				out = append(out, a)
			}
		}
		return out
	}
	for round := range 300 {
		s := spec.Clone()
		for i := range 1 + rng.IntN(8) {
			s.Tenants[0].TransportRules = append(s.Tenants[0].TransportRules, TransportRule{Name: "r" + string(rune('a'+i)), Priority: i,
				Conditions: Predicates{SentTo: pick(addrs), From: pick(addrs), RecipientDomainIs: pick(domains), SenderDomainIs: pick(domains)}})
		}
		topo, err := Build(s)
		if err != nil {
			t.Fatal(err)
		}
		x := topo.tenants[0]
		same := func(a, b string) bool {
			if strings.EqualFold(a, b) {
				return true
			}
			ra, okA := x.dir.lookup(a)
			rb, okB := x.dir.lookup(b)
			return okA && okB && strings.EqualFold(ra.PrimarySmtpAddress, rb.PrimarySmtpAddress)
		}
		domainIs := func(addr string, list []string) bool {
			d := strings.ToLower(domainPart(addr))
			return addr != "" && slices.ContainsFunc(list, func(l string) bool { return d == l || strings.HasSuffix(d, "."+l) })
		}
		for _, sender := range addrs {
			for _, rcpt := range addrs[:5] {
				cand := x.ruleIx.candidates(&x.dir, sender, rcpt)
				for i, r := range x.rules {
					c := r.Conditions
					meets := (len(c.SentTo) == 0 || slices.ContainsFunc(c.SentTo, func(a string) bool { return same(a, rcpt) })) &&
						(len(c.From) == 0 || sender != "" && slices.ContainsFunc(c.From, func(a string) bool { return same(a, sender) })) &&
						(len(c.RecipientDomainIs) == 0 || domainIs(rcpt, c.RecipientDomainIs)) &&
						(len(c.SenderDomainIs) == 0 || domainIs(sender, c.SenderDomainIs))
					if meets && !slices.Contains(cand, i) {
						t.Fatalf("round %d: rule %+v meets %q -> %q but is not a candidate (%v)", round, c, sender, rcpt, cand)
					}
				}
			}
		}
	}
}
