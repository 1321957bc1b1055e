package render_test

import (
	"errors"
	"io"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/render"
)

// TestNilArguments: every renderer refuses a nil result or topology with
// an error instead of panicking.
func TestNilArguments(t *testing.T) {
	for name, err := range map[string]error{
		"Text":             render.Text(io.Discard, nil),
		"MermaidFlowchart": render.MermaidFlowchart(io.Discard, nil),
		"MermaidSequence":  render.MermaidSequence(io.Discard, nil),
		"DOT":              render.DOT(io.Discard, nil),
		"MessageTrace":     render.MessageTrace(io.Discard, nil),
	} {
		if !errors.Is(err, render.ErrNilResult) {
			t.Errorf("%s(nil) error = %v, want ErrNilResult", name, err)
		}
	}
	for name, err := range map[string]error{
		"TopologyMermaid": render.TopologyMermaid(io.Discard, nil),
		"TopologyDOT":     render.TopologyDOT(io.Discard, nil),
	} {
		if !errors.Is(err, route.ErrNilTopology) {
			t.Errorf("%s(nil) error = %v, want route.ErrNilTopology", name, err)
		}
	}
}
