package route_test

import (
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// TestSubdomains: an Exchange Online accepted domain with MatchSubDomains
// (InternalRelay) accepts mail to its subdomains and relays what the
// directory does not hold through a connector that covers them ("Enable
// mail flow for subdomains in Exchange Online": the outbound connector
// needs *.contoso.com too, else the mail loops); without MatchSubDomains,
// mail to a subdomain is nobody's. On-premises, a
// wildcard accepted domain "*.contoso.com" covers the subdomains ("Accepted
// domains in Exchange Server").
func TestSubdomains(t *testing.T) {
	tenant := func(match, connector bool) topology.Spec {
		spec := scenario.EOPStandaloneSpec(true)
		spec.Tenants[0].AcceptedDomains[0].MatchSubDomains = match
		if connector {
			c := &spec.Tenants[0].OutboundConnectors[0]
			c.RecipientDomains = append(c.RecipientDomains, "*.contoso.com")
		}
		spec.MXRecords = append(spec.MXRecords, topology.MXRecord{Domain: "sales.contoso.com", NameExchange: topology.EOPHost("contoso.com")})
		return spec
	}
	sun := route.Message{From: scenario.Sun, To: []string{"ann@sales.contoso.com"}}
	for _, tt := range []struct {
		name   string
		spec   topology.Spec
		acc    bool
		looped bool
	}{
		{"MatchSubDomains", tenant(true, true), true, false},
		{"MatchSubDomainsWithoutConnector_Loops", tenant(true, false), false, true},
		{"NoMatchSubDomains", tenant(false, true), false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			topo, err := topology.Build(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := topo.TenantAccepting("sales.contoso.com"); ok != (tt.acc || tt.looped) {
				t.Errorf("TenantAccepting(sales.contoso.com) = %v, want %v", ok, tt.acc || tt.looped)
			}
			res, err := route.Trace(topo, sun)
			if err != nil {
				t.Fatal(err)
			}
			r := res.Recipients[0]
			last := r.Hops[len(r.Hops)-1]
			reachedOnPrem := last.Node.String() == "onprem:contoso/MAIL01"
			if reachedOnPrem != tt.acc || (r.Disposition == route.Looped) != tt.looped {
				t.Errorf("ann@sales.contoso.com ends %v at %v; want relayed to the on-premises server: %v\n%s", r.Disposition, last.Node, tt.acc, textAndJSON(t, res))
			}
		})
	}

	onPrem := scenario.EOPStandaloneSpec(true)
	onPrem.OnPremises[0].AcceptedDomains = append(onPrem.OnPremises[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "*.contoso.com"})
	topo, err := topology.Build(onPrem)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := topo.OnPremisesAccepting("sales.contoso.com"); !ok || o.Name() != "contoso" {
		t.Errorf("OnPremisesAccepting(sales.contoso.com) = %v, want contoso", ok)
	}
	if _, ok := topo.OnPremisesAccepting("contoso.org"); ok {
		t.Errorf("OnPremisesAccepting(contoso.org) = true")
	}
}
