package scenariotest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/scenario/scenariotest"
	"github.com/stretchr/testify/require"
)

// recorder is a scenariotest.T that keeps the failure.
type recorder struct{ errors []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

var contoso = scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})

// TestRun is a routing-policy table as users write them: the documented
// hybrid paths of "Transport routing in Exchange hybrid deployments".
func TestRun(t *testing.T) {
	scenariotest.Run(t, contoso, []scenario.Case{
		{Name: "Internet mail splits in Exchange Online", Message: route.Message{From: "sender@fabrikam.com", To: []string{"julie@contoso.com", "david@contoso.com"}},
			Expect: scenario.Expect{Copies: 2, Splits: []scenario.SplitExpect{{Node: "exo:contoso", Copies: 2}}, NoLoop: true, Recipients: map[string]scenario.RecipientExpect{
				"julie@contoso.com": {Disposition: route.Delivered, Path: []string{"eop:contoso", "exo:contoso", "eop:contoso", "onprem:contoso/EX01"}, Connector: "Outbound to contoso"},
				"david@contoso.com": {Disposition: route.Delivered, Avoid: []string{"OnPremises"}},
			}}},
		{Name: "David to Erin leaves by DNS", Message: route.Message{From: "david@contoso.com", To: []string{"erin@cpandl.com"}},
			Expect: scenario.Expect{Recipients: map[string]scenario.RecipientExpect{
				"erin@cpandl.com": {Disposition: route.Relayed, Hops: []string{"exo:contoso", "eop:contoso", "ext:cpandl"}},
			}}},
	})
}

// TestHybridPolicy is the README's example of a routing-policy test
// (Transport routing in Exchange hybrid deployments: Inbound messages when
// MX points to EOP); the repository's README test keeps the two equal.
func TestHybridPolicy(t *testing.T) {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	scenariotest.Run(t, topo, []scenario.Case{{
		Name:    "Internet mail splits in Exchange Online",
		Message: route.Message{From: "sender@fabrikam.com", To: []string{"julie@contoso.com", "david@contoso.com"}},
		Expect: scenario.Expect{Copies: 2, Splits: []scenario.SplitExpect{{Node: "exo:contoso", Copies: 2}}, NoLoop: true,
			Recipients: map[string]scenario.RecipientExpect{
				"julie@contoso.com": {Disposition: route.Delivered, Path: []string{"eop:contoso", "exo:contoso", "eop:contoso", "onprem:contoso/EX01"}, Connector: "Outbound to contoso"},
				"david@contoso.com": {Disposition: route.Delivered, Avoid: []string{"OnPremises"},
					At: []scenario.HopExpect{{Step: "EOP", AuthAs: route.Anonymous, Stages: map[string]string{"AntiSpam": "Applied"}}}},
			}},
	}})
}

// TestCheckFailure shows what a failing case prints: the mismatches, the
// go-cmp diff and the whole trace.
func TestCheckFailure(t *testing.T) {
	res, err := route.Trace(contoso, route.Message{From: "david@contoso.com", To: []string{"erin@cpandl.com"}})
	require.NoError(t, err)
	var r recorder
	ok := scenariotest.Check(&r, res, scenario.Expect{Recipients: map[string]scenario.RecipientExpect{
		"erin@cpandl.com": {Disposition: route.Delivered, Path: []string{"OnPremises"}},
	}})
	require.False(t, ok)
	require.Len(t, r.errors, 1)
	msg := r.errors[0]
	for _, want := range []string{
		"erin@cpandl.com: Disposition: want Delivered, got Relayed",
		"erin@cpandl.com: Path: want [OnPremises], got [exo:contoso eop:contoso ext:cpandl]",
		"(-want +got):",
		`"erin@cpandl.com.Disposition"`,
		"trace:\n" + traceText(t, res),
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
	var none recorder
	require.True(t, scenariotest.Check(&none, res, scenario.Expect{Recipients: map[string]scenario.RecipientExpect{"erin@cpandl.com": {Disposition: route.Relayed}}}))
	require.Empty(t, none.errors)
}

func ExampleCheck() {
	res, err := route.Trace(contoso, route.Message{From: "david@contoso.com", To: []string{"adele@contoso.com"}})
	if err != nil {
		panic(err)
	}
	var t recorder // in a test: the *testing.T
	ok := scenariotest.Check(&t, res, scenario.Expect{Recipients: map[string]scenario.RecipientExpect{
		"adele@contoso.com": {Disposition: route.Delivered, Hops: []string{"exo:contoso"}},
	}})
	fmt.Println(ok, len(t.errors))
	// Output:
	// true 0
}

// traceText returns the text form of res.
func traceText(t *testing.T, res *route.Result) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, render.Text(&b, res))
	return b.String()
}
