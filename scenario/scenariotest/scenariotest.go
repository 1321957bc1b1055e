// Package scenariotest runs table-driven routing-policy tests: each
// [scenario.Case] is traced as a subtest, and a case whose expectations do
// not hold fails with what did not hold, a go-cmp diff of the expected
// against the actual, and the whole trace.
//
//	func TestPolicy(t *testing.T) {
//		topo := ... // topology.Build or scenario.LoadFile
//		scenariotest.Run(t, topo, []scenario.Case{{
//			Name:    "partner mail over TLS",
//			Message: route.Message{From: "a@fabrikam.com", To: []string{"b@contoso.com"}},
//			Expect: scenario.Expect{Recipients: map[string]scenario.RecipientExpect{
//				"b@contoso.com": {Disposition: "Delivered", Path: []string{"eop:contoso", "exo:contoso"}},
//			}},
//		}})
//	}
//
// It is a test helper, like net/http/httptest: it imports testing and
// go-cmp, which the library packages do not.
package scenariotest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// T is the part of *testing.T that [Check] uses.
type T interface {
	Helper()
	Errorf(format string, args ...any)
}

// Run traces every case through topo as a subtest named after the case,
// in table order, and checks it with [Check].
func Run(t *testing.T, topo *topology.Topology, cases []scenario.Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Helper()
			res, err := route.Trace(topo, c.Message)
			if err != nil {
				t.Fatalf("route.Trace: %v", err)
			}
			Check(t, res, c.Expect)
		})
	}
}

// Check reports through t.Errorf, once, every expectation of e that res
// does not meet: the mismatches, a go-cmp diff of the expected against the
// actual (-want +got), and the trace as text ([render.Text]).
func Check(t T, res *route.Result, e scenario.Expect) bool {
	t.Helper()
	ms := e.Check(res)
	if len(ms) == 0 {
		return true
	}
	want, got := views(ms)
	var b strings.Builder
	for _, m := range ms {
		b.WriteString("\n\t")
		b.WriteString(m.String())
	}
	t.Errorf("expectations not met:%s\n(-want +got):\n%s\ntrace:\n%s", b.String(), cmp.Diff(want, got), traceText(res))
	return false
}

// traceText returns the text form of res ([render.Text]).
func traceText(res *route.Result) string {
	var b strings.Builder
	if err := render.Text(&b, res); err != nil {
		return "render.Text: " + err.Error()
	}
	return b.String()
}

// views returns the mismatches as expected and actual values keyed by
// "recipient.Field", for the diff.
func views(ms []scenario.Mismatch) (want, got map[string]string) {
	want, got = make(map[string]string, len(ms)), make(map[string]string, len(ms))
	for _, m := range ms {
		k := m.Field
		if m.Recipient != "" {
			k = m.Recipient + "." + k
		}
		for _, ok := want[k]; ok; _, ok = want[k] {
			k += "'"
		}
		want[k], got[k] = m.Want, m.Got
	}
	return want, got
}
