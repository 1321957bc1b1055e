package route_test

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// TestListOrderIgnored builds every built-in topology, and a rich one
// (groups, rule-added recipients, several smart hosts, certificates with
// several names), from its Spec with every list Exchange does not order
// shuffled (testopts.Shuffle), 100 times, and traces every message: the
// bytes are the same every time.
func TestListOrderIgnored(t *testing.T) {
	rounds := 100
	if testing.Short() {
		rounds = 20
	}
	type topo struct {
		name  string
		spec  topology.Spec
		flows []scenario.Flow
	}
	var all []topo
	for _, s := range scenario.Builtin() {
		for _, v := range s.Variants {
			all = append(all, topo{s.Name + " " + v.Settings.String(), v.Spec, s.Flows})
		}
	}
	all = append(all, topo{"rich", richSpec(), richFlows()})
	for _, tp := range all {
		t.Run(tp.name, func(t *testing.T) {
			t.Parallel() // the race detector makes this the slowest test: use both cores
			want := traceJSONs(t, tp.spec, tp.flows)
			rng := rand.New(rand.NewPCG(1, uint64(len(tp.name))))
			for round := range rounds {
				if diff := cmp.Diff(want, traceJSONs(t, testopts.Shuffle(tp.spec, rng), tp.flows)); diff != "" {
					t.Fatalf("shuffle %d: traces differ (-in order +shuffled):\n%s", round, diff)
				}
			}
		})
	}
}

func traceJSONs(t *testing.T, spec topology.Spec, flows []scenario.Flow) []string {
	t.Helper()
	topo, err := topology.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range flows {
		res, err := route.Trace(topo, f.Message)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f.Name+" "+string(b))
	}
	return out
}

// richSpec is a tenant with the lists whose order Exchange ignores: a
// group's Members, a rule's added recipients, an outbound connector's
// SmartHosts, a certificate's names.
func richSpec() topology.Spec {
	mbx := func(name string) topology.Recipient {
		return topology.Recipient{Name: name, RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: name + "@contoso.com"}
	}
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Recipients: []topology.Recipient{mbx("ann"), mbx("bob"), mbx("cat"), mbx("dan"), mbx("eve"), mbx("fay"),
				{Name: "All", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "all@contoso.com",
					Members: []string{"cat@contoso.com", "ann@contoso.com", "sam@fabrikam.com", "bob@contoso.com", "team@contoso.com"}},
				{Name: "Team", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "team@contoso.com",
					Members: []string{"dan@contoso.com", "eve@contoso.com"}}},
			OutboundConnectors: []connector.Outbound{{Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"},
				UseMXRecord: connector.False, SmartHosts: []string{"mx2.fabrikam.com", "mx1.fabrikam.com", "mx3.fabrikam.com"},
				TlsSettings: connector.TlsDomainValidation, TlsDomain: "mx1.fabrikam.com"}},
			TransportRules: []topology.TransportRule{
				{Name: "Copy ann's mail", Priority: 0, Conditions: topology.Predicates{SentTo: []string{"ann@contoso.com", "bob@contoso.com"}},
					BlindCopyTo: []string{"fay@contoso.com", "eve@contoso.com"}, AddToRecipients: []string{"dan@contoso.com", "cat@contoso.com"},
					CopyTo: []string{"team@contoso.com", "sam@fabrikam.com"}},
				{Name: "Redirect fay", Priority: 1, Conditions: topology.Predicates{SentTo: []string{"fay@contoso.com"}},
					RedirectMessageTo: []string{"eve@contoso.com", "dan@contoso.com"}},
			},
		}},
		External: []topology.ExternalSpec{{Name: "fabrikam", Kind: topology.Partner, Domains: []string{"fabrikam.com"},
			Hosts: []string{"mx1.fabrikam.com", "mx2.fabrikam.com", "mx3.fabrikam.com"}, IPAddress: "198.51.100.7",
			Certificate: &topology.Certificate{CertificateDomains: []string{"mail.fabrikam.com", "mx3.fabrikam.com", "mx1.fabrikam.com", "*.fabrikam.com"}}}},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")},
			{Domain: "fabrikam.com", Preference: 10, NameExchange: "mx2.fabrikam.com"}, {Domain: "fabrikam.com", Preference: 10, NameExchange: "mx1.fabrikam.com"}},
	}
}

func richFlows() []scenario.Flow {
	return []scenario.Flow{
		{Name: "Sam to All", Message: route.Message{From: "sam@fabrikam.com", To: []string{"all@contoso.com"}}},
		{Name: "Sam to ann and fay", Message: route.Message{From: "sam@fabrikam.com", To: []string{"ann@contoso.com", "fay@contoso.com"}}},
		{Name: "ann to Sam", Message: route.Message{From: "ann@contoso.com", To: []string{"sam@fabrikam.com"}}},
		{Name: "bob to All and Sam", Message: route.Message{From: "bob@contoso.com", To: []string{"all@contoso.com", "sam@fabrikam.com"}}},
	}
}
