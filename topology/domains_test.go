package topology

import (
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/internal/smtp"
)

// FuzzDomainsLookup: lookup finds what trying domainKeys in order finds,
// for exact names, wildcards, parents with and without MatchSubDomains,
// and "*".
func FuzzDomainsLookup(f *testing.F) {
	sets := [][]AcceptedDomain{
		{{DomainName: "contoso.com"}, {DomainName: "*.fabrikam.com"}, {DomainName: "tailspintoys.com", MatchSubDomains: true}, {DomainName: "woodgrovebank.com"}},
		{{DomainName: "*"}, {DomainName: "a.b.c.example"}, {DomainName: "*.c.example"}, {DomainName: "b.c.example", MatchSubDomains: true}},
	}
	for _, s := range []string{"contoso.com", "Sales.Contoso.com", "mail.fabrikam.com", "FABRIKAM.com", "x.y.tailspintoys.com",
		"woodgrovebank.com.evil", "z.a.b.c.example", "q.b.c.example", "c.example", "example", "", "." + string(make([]byte, 70))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, domain string) {
		for i, set := range sets {
			d := domainsOf(set)
			want, wantOK := AcceptedDomain{}, false
			for key := range domainKeys(smtp.Key(domain)) {
				if a, ok := d.byName[key.name]; ok && (!key.parent || a.MatchSubDomains) {
					want, wantOK = a, true
					break
				}
			}
			if got, ok := d.lookup(domain); got != want || ok != wantOK {
				t.Errorf("set %d: lookup(%q) = %v, %v, want %v, %v", i, domain, got, ok, want, wantOK)
			}
		}
	})
}

// FuzzCoverName: coverName decides as lookup run on the name and on each
// of its parents that has a dot, the certificate rule it replaces.
func FuzzCoverName(f *testing.F) {
	sets := [][]AcceptedDomain{
		{{DomainName: "contoso.com"}, {DomainName: "*.fabrikam.com"}, {DomainName: "tailspintoys.com", MatchSubDomains: true}, {DomainName: "com", MatchSubDomains: true}},
		{{DomainName: "*"}, {DomainName: "a.b.c.example"}, {DomainName: "*.c.example"}, {DomainName: "b.c.example", MatchSubDomains: true}},
		{{DomainName: "*.com"}, {DomainName: "example"}},
	}
	for _, s := range []string{"mail.contoso.com", "*.contoso.com", "Contoso.COM", "fabrikam.com", "x.fabrikam.com", "a.tailspintoys.com", "com",
		"other.com", "z.a.b.c.example", "c.example", "example", "x.example", "", "*.", ".", "a..b", "*.*.contoso.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for i, set := range sets {
			d := domainsOf(set)
			want := false
			for n := strings.TrimPrefix(strings.ToLower(name), "*."); strings.Contains(n, "."); _, n, _ = strings.Cut(n, ".") {
				if _, ok := d.lookup(n); ok {
					want = true
					break
				}
			}
			if got := d.coverName(name); got != want {
				t.Errorf("set %d: coverName(%q) = %v, want %v", i, name, got, want)
			}
		}
	})
}

// domainsOf returns the domains of set, as Build adds them.
func domainsOf(set []AcceptedDomain) domains {
	d := domains{byName: map[string]AcceptedDomain{}}
	for _, a := range set {
		d.add(a)
	}
	return d
}
