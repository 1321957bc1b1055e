package scenario_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/stretchr/testify/require"
)

// internetToJulieAndDavid traces the documented split of "Transport
// routing in Exchange hybrid deployments": MX to EOP, no centralized mail
// transport; Exchange Online splits the message, David's copy stays and
// Julie's goes on-premises through "Outbound to contoso".
func internetToJulieAndDavid(t *testing.T) *route.Result {
	t.Helper()
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{From: "sender@fabrikam.com", To: []string{"julie@contoso.com", "david@contoso.com"}})
	require.NoError(t, err)
	return res
}

func TestExpectCheck(t *testing.T) {
	res := internetToJulieAndDavid(t)
	tests := []struct {
		name   string
		expect scenario.Expect
		want   []scenario.Mismatch
	}{
		{"AllHold", scenario.Expect{
			Recipients: map[string]scenario.RecipientExpect{
				"julie@contoso.com": {Disposition: route.Delivered, Hops: []string{"internet", "eop:contoso", "exo:contoso", "eop:contoso", "onprem:contoso/EX01", "onprem:contoso/EX02"},
					Path: []string{"EOP", "ExchangeOnline", "EOP", "OnPremises"}, Connector: "Outbound to contoso", InboundConnector: "Default Frontend EX01"},
				"DAVID@contoso.com": {Disposition: route.Delivered, Path: []string{"InternetSender", "exo:contoso"}, Avoid: []string{"OnPremises"}},
			},
			Copies: 2, Splits: []scenario.SplitExpect{{Node: "exo:contoso", Copies: 2}, {Node: "exo:contoso", Hop: 3, Copies: 2}}, NoLoop: true,
		}, nil},
		{"NothingHolds", scenario.Expect{
			Recipients: map[string]scenario.RecipientExpect{
				"julie@contoso.com": {Disposition: route.Rejected, Status: "550 5.4.1", Hops: []string{"internet", "eop:contoso"},
					Path: []string{"OnPremises", "EOP"}, Avoid: []string{"exo:contoso", "EOP"}, Connector: "To Internet", InboundConnector: "Inbound from contoso", Rule: "Block"},
				"bob@contoso.com": {Disposition: route.Delivered},
			},
			Copies: 3, Splits: []scenario.SplitExpect{{Node: "eop:contoso", Copies: 2}, {Node: "exo:contoso", Hop: 2, Copies: 2}},
		}, []scenario.Mismatch{
			{Recipient: "bob@contoso.com", Field: "Recipient", Want: "a recipient of the trace", Got: "[julie@contoso.com david@contoso.com]"},
			{Recipient: "julie@contoso.com", Field: "Disposition", Want: "Rejected", Got: "Delivered"},
			{Recipient: "julie@contoso.com", Field: "Status", Want: `"550 5.4.1"`, Got: `""`},
			{Recipient: "julie@contoso.com", Field: "Hops", Want: "[internet eop:contoso]", Got: "[internet eop:contoso exo:contoso eop:contoso onprem:contoso/EX01 onprem:contoso/EX02]"},
			{Recipient: "julie@contoso.com", Field: "Path", Want: "[OnPremises EOP]", Got: "[internet eop:contoso exo:contoso eop:contoso onprem:contoso/EX01 onprem:contoso/EX02]"},
			{Recipient: "julie@contoso.com", Field: "Avoid", Want: "no hop at exo:contoso", Got: "hop 3 at exo:contoso"},
			{Recipient: "julie@contoso.com", Field: "Avoid", Want: "no hop at EOP", Got: "hop 2 at eop:contoso"},
			{Recipient: "julie@contoso.com", Field: "Connector", Want: `"To Internet"`, Got: `"Outbound to contoso"`},
			{Recipient: "julie@contoso.com", Field: "InboundConnector", Want: `"Inbound from contoso"`, Got: `"Default Frontend EX01"`},
			{Recipient: "julie@contoso.com", Field: "Rule", Want: `"Block"`, Got: "matched none"},
			{Field: "Copies", Want: "3", Got: "2"},
			{Field: "Splits", Want: "2 copies leaving eop:contoso", Got: "1"},
			{Field: "Splits", Want: "2 copies leaving exo:contoso at hop 2", Got: "1"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.expect.Check(res)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExpectRule checks the Rule expectation against the conditional
// routing scenario, where the rule "Route Accounting mail through the gateway" sends
// Ana's mail to Erin through the gateway connector.
func TestExpectRule(t *testing.T) {
	s, ok := scenario.Lookup("conditional-routing")
	require.True(t, ok)
	runs, err := s.Run()
	require.NoError(t, err)
	res := runs[0].Result
	require.Equal(t, "Ana to Erin", runs[0].Flow)
	const rule = "Route Accounting mail through the gateway"
	e := scenario.Expect{Recipients: map[string]scenario.RecipientExpect{"erin@cpandl.com": {Rule: rule, Connector: "To Accounting gateway"}}}
	require.Empty(t, e.Check(res))
	e.Recipients["erin@cpandl.com"] = scenario.RecipientExpect{Rule: rule + " 2"}
	require.Len(t, e.Check(res), 1)
}

func ExampleExpect_Check() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{From: "david@contoso.com", To: []string{"erin@cpandl.com"}})
	if err != nil {
		panic(err)
	}
	e := scenario.Expect{Recipients: map[string]scenario.RecipientExpect{
		"erin@cpandl.com": {Disposition: route.Relayed, Path: []string{"exo:contoso", "eop:contoso", "InternetMX"}, Avoid: []string{"OnPremises"}},
	}}
	fmt.Println(e.Check(res))
	e.Recipients["erin@cpandl.com"] = scenario.RecipientExpect{Path: []string{"OnPremises"}}
	for _, m := range e.Check(res) {
		fmt.Println(m)
	}
	// Output:
	// []
	// erin@cpandl.com: Path: want [OnPremises], got [exo:contoso eop:contoso ext:cpandl]
}
