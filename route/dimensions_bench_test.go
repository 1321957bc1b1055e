package route_test

import (
	"fmt"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// BenchmarkTraceDimensions traces the same messages through Contoso grown
// in one dimension at a time, to 10 and to 10,000 objects that do not
// apply to the messages: a trace should cost the same at both sizes
// (compare each pair's ns/op). Internet→David crosses EOP's attribution,
// accepted domains, directory and mail flow rules; Julie→Erin the
// on-premises Send connectors; Internet→Julie EX01's Receive connectors.
func BenchmarkTraceDimensions(b *testing.B) {
	grow := map[string]func(s *topology.Spec, n int){
		"recipients": func(s *topology.Spec, n int) {
			for i := range n {
				a := fmt.Sprintf("user%05d@contoso.com", i)
				s.Tenants[0].Recipients = append(s.Tenants[0].Recipients, topology.Recipient{Name: a, RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: a})
			}
		},
		"acceptedDomains": func(s *topology.Spec, n int) {
			for i := range n {
				s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: fmt.Sprintf("d%05d.example", i)})
			}
		},
		"outboundConnectors": func(s *topology.Spec, n int) {
			for i := range n {
				s.Tenants[0].OutboundConnectors = append(s.Tenants[0].OutboundConnectors, connector.Outbound{Name: fmt.Sprintf("To p%05d", i),
					ConnectorType: connector.Partner, RecipientDomains: []string{fmt.Sprintf("p%05d.example", i)}})
			}
		},
		"inboundConnectors": func(s *topology.Spec, n int) {
			for i := range n {
				s.Tenants[0].InboundConnectors = append(s.Tenants[0].InboundConnectors, connector.Inbound{Name: fmt.Sprintf("From p%05d", i),
					ConnectorType: connector.Partner, SenderDomains: []string{fmt.Sprintf("p%05d.example", i)}, RequireTls: connector.False})
			}
		},
		"sendConnectors": func(s *topology.Spec, n int) {
			for i := range n {
				s.OnPremises[0].SendConnectors = append(s.OnPremises[0].SendConnectors, connector.Send{Name: fmt.Sprintf("To p%05d", i),
					AddressSpaces: []string{fmt.Sprintf("p%05d.example", i)}})
			}
		},
		"receiveConnectors": func(s *topology.Spec, n int) {
			for i := range n {
				s.OnPremises[0].ReceiveConnectors = append(s.OnPremises[0].ReceiveConnectors, connector.Receive{Name: fmt.Sprintf("From app %05d", i),
					Server: "EX01", Bindings: []string{"0.0.0.0:25"}, RemoteIPRanges: []string{fmt.Sprintf("10.200.%d.%d", i/250, i%250+1)},
					PermissionGroups: []string{"AnonymousUsers"}})
			}
		},
		"transportRules": func(s *topology.Spec, n int) {
			for i := range n {
				s.Tenants[0].TransportRules = append(s.Tenants[0].TransportRules, topology.TransportRule{Name: fmt.Sprintf("Rule %05d", i), Priority: i,
					Conditions: topology.Predicates{SentTo: []string{fmt.Sprintf("nobody%05d@contoso.com", i)}}, DeleteMessage: true})
			}
		},
	}
	msgs := []route.Message{
		{From: "sam@fabrikam.example", To: []string{scenario.David}},
		{From: scenario.Julie, To: []string{scenario.Erin}},
		{From: "sam@fabrikam.example", To: []string{scenario.Julie}},
	}
	for _, dim := range []string{"recipients", "acceptedDomains", "outboundConnectors", "inboundConnectors", "sendConnectors", "receiveConnectors", "transportRules"} {
		for _, n := range []int{10, 10000} {
			spec := scenario.ContosoSpec(mxEOP)
			grow[dim](&spec, n)
			topo, err := topology.Build(spec)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/%d", dim, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					for _, m := range msgs {
						if _, err := route.Trace(topo, m); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
