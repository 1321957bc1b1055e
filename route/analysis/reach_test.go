package analysis_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/stretchr/testify/require"
)

// TestReachError: a reach whose message could not be traced keeps the
// error of route.Trace, for errors.Is and errors.As, and its JSON form
// has the key "error" with the error's message and no "result".
func TestReachError(t *testing.T) {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	msg := route.Message{From: "not an address", To: []string{"david@contoso.com"}}
	_, err := route.Trace(topo, msg)
	require.Error(t, err)
	r := analysis.Reach{Class: analysis.FlowClass{Sender: "Internet", Recipient: "contoso.com unknown", Message: msg}, Err: err}

	if !errors.Is(r.Err, route.ErrInvalidMessage) {
		t.Errorf("errors.Is(Reach.Err, ErrInvalidMessage) = false for %v", r.Err)
	}
	var merr *route.MessageError
	if !errors.As(r.Err, &merr) {
		t.Errorf("errors.As(Reach.Err, *MessageError) = false for %T", r.Err)
	}
	if got, want := r.Outcome(), "error: "+err.Error(); got != want {
		t.Errorf("Outcome() = %q, want %q", got, want)
	}

	b, err := json.Marshal(r)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	if got["error"] != r.Err.Error() {
		t.Errorf(`json.Marshal(Reach)["error"] = %v, want %q`, got["error"], r.Err.Error())
	}
	if _, ok := got["result"]; ok {
		t.Errorf(`json.Marshal(Reach) has "result" for an untraced class: %s`, b)
	}
	if _, ok := got["class"]; !ok {
		t.Errorf(`json.Marshal(Reach) has no "class": %s`, b)
	}

	var text bytes.Buffer
	require.NoError(t, analysis.WriteReachability(&text, []analysis.Reach{r}))
	if !strings.Contains(text.String(), r.Err.Error()) {
		t.Errorf("WriteReachability does not show the error:\n%s", text.String())
	}
}

// TestReachJSONTraced: a traced reach has "class" and "result" and no
// "error".
func TestReachJSONTraced(t *testing.T) {
	reaches := must(analysis.Reachability(scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})))
	require.NotEmpty(t, reaches)
	b, err := json.Marshal(reaches[0])
	require.NoError(t, err)
	var got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &got))
	if _, ok := got["error"]; ok {
		t.Errorf(`json.Marshal(Reach) has "error" for a traced class: %s`, b)
	}
	if _, ok := got["result"]; !ok {
		t.Errorf(`json.Marshal(Reach) has no "result": %s`, b)
	}
}

// TestNilTopology: every function of the package refuses a nil topology
// with route.ErrNilTopology instead of panicking.
func TestNilTopology(t *testing.T) {
	topo := fabrikam()
	for name, call := range map[string]func() error{
		"FlowClasses":  func() error { _, err := analysis.FlowClasses(nil); return err },
		"Reachability": func() error { _, err := analysis.Reachability(nil); return err },
		"Analyze":      func() error { _, err := analysis.Analyze(nil); return err },
		"Check":        func() error { _, err := analysis.Check(nil); return err },
		"Diff(nil, t)": func() error { _, err := analysis.Diff(nil, topo); return err },
		"Diff(t, nil)": func() error { _, err := analysis.Diff(topo, nil); return err },
	} {
		if err := call(); !errors.Is(err, route.ErrNilTopology) {
			t.Errorf("%s(nil) error = %v, want route.ErrNilTopology", name, err)
		}
	}
}
