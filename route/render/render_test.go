package render_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// renderFormats are the renderings the golden tests cover, by file suffix.
var renderFormats = []struct {
	ext   string
	write func(io.Writer, *route.Result) error
}{
	{".flowchart.mmd", render.MermaidFlowchart},
	{".sequence.mmd", render.MermaidSequence},
	{".dot", render.DOT},
	{".trace.txt", render.MessageTrace},
}

// renderCase is a traced message whose renderings are golden files
// testdata/trace/<name>.<format>.
type renderCase struct {
	name string
	res  *route.Result
}

// renderSlug turns a flow name into a golden file name part.
func renderSlug(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// renderBuiltinRun traces the flow of a built-in scenario in the variant
// whose settings print as settings.
func renderBuiltinRun(t *testing.T, name, flow, settings string) *route.Result {
	t.Helper()
	s, ok := scenario.Lookup(name)
	require.True(t, ok, "built-in scenario %q", name)
	runs, err := s.Run()
	require.NoError(t, err)
	for _, r := range runs {
		if r.Flow == flow && r.Settings.String() == settings {
			return r.Result
		}
	}
	t.Fatalf("scenario %s has no flow %q in variant %q", name, flow, settings)
	return nil
}

// renderCases are the renderers' golden cases: Contoso's split Internet
// mail with an unknown recipient (MX to EOP) and the split under
// centralized mail transport, a loop, and built-in flows that end in the
// dispositions other than Delivered and Relayed. Routing itself is tested
// against the documents elsewhere; these lock the renderings.
func renderCases(t *testing.T) []renderCase {
	t.Helper()
	var cases []renderCase
	add := func(prefix string, set scenario.ContosoSettings, f scenario.Flow) {
		res, err := route.Trace(scenario.Contoso(set), f.Message)
		require.NoError(t, err)
		cases = append(cases, renderCase{prefix + "-" + renderSlug(f.Name), res})
	}
	add("contoso-mx-eop", scenario.ContosoSettings{MX: scenario.MXToEOP}, scenario.Flow{
		Name:    "Internet to nobody, Julie and David",
		Message: route.Message{From: scenario.Sender, To: []string{"nobody@contoso.com", scenario.Julie, scenario.David}},
	})
	add("contoso-mx-eop-cmt", scenario.ContosoSettings{MX: scenario.MXToEOP, CentralizedTransport: true}, scenario.ContosoFlows()[0])
	for _, b := range []struct{ scenario, flow, settings string }{
		{"add-on-service", "Kim to Erin", "headerException=true"}, // both legs, the header the service stamps, the attribution on return
		{"devices", "Scanner (direct send) to Megan", "rejectDirectSend=true"},
		{"eop-standalone", "Bob to John", "connectors=false"},
		{"partner-tls", "Megan to Sam", "contosobank=PlainText restrictDomainsTo=IPAddresses"},
		{"safe-list", "Fabrikam offer (SCL 9) to Megan", "ipAllowList=false"},
	} {
		cases = append(cases, renderCase{b.scenario + "-" + renderSlug(b.flow), renderBuiltinRun(t, b.scenario, b.flow, b.settings)})
	}
	return cases
}

func renderTo(t testing.TB, write func(io.Writer, *route.Result) error, res *route.Result) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, write(&b, res))
	return b.Bytes()
}

// TestRenderGolden compares every rendering of the render cases with its
// golden file; -update rewrites them.
func TestRenderGolden(t *testing.T) {
	for _, c := range renderCases(t) {
		for _, f := range renderFormats {
			t.Run(c.name+f.ext, func(t *testing.T) {
				got := renderTo(t, f.write, c.res)
				path := filepath.Join("testdata", "trace", c.name+f.ext)
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, got, 0o644))
					return
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test -update to write the golden files")
				if diff := cmp.Diff(string(want), string(got)); diff != "" {
					t.Errorf("%s differs from %s (-want +got):\n%s", f.ext, path, diff)
				}
			})
		}
	}
}

// TestRenderDeterministic traces each case's message again and requires
// the same bytes from every renderer, twice.
func TestRenderDeterministic(t *testing.T) {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP, CentralizedTransport: true})
	msg := route.Message{From: scenario.Sender, To: []string{"nobody@contoso.com", scenario.Julie, scenario.David}}
	a, err := route.Trace(topo, msg)
	require.NoError(t, err)
	b, err := route.Trace(topo, msg)
	require.NoError(t, err)
	for _, f := range renderFormats {
		first := renderTo(t, f.write, a)
		for range 3 {
			if got := renderTo(t, f.write, b); !bytes.Equal(got, first) {
				t.Errorf("%s: rendering the same result twice differs:\n%s\nthen\n%s", f.ext, first, got)
			}
		}
	}
}

// renderOddResult is a hand-made result whose names hold every character
// Mermaid or DOT read as syntax.
func renderOddResult() *route.Result {
	odd := topology.MustParseNodeID(`ext:"odd"[a|b]{c}#1;%x`)
	internet := topology.MustParseNodeID("internet")
	hop := func(n topology.NodeID, k topology.Kind, events ...route.Event) route.Hop {
		return route.Hop{Node: n, Kind: k, Events: events}
	}
	h0 := hop(internet, topology.KindInternet, route.SEND)
	h0.Connector = `To "partner" [A|B]; #1 \N back\slash <b>&amp;` + "`md`"
	h0.Reason = "MX \"odd\": 10 host; then more"
	h1 := hop(odd, topology.KindPartner, route.RECEIVE, route.FAIL)
	h1.InboundConnector = "tab\there"
	return &route.Result{
		Message: route.Message{From: `"quoted"@example.com`, To: []string{`a"b|c@[x]`}},
		Origin:  internet,
		Recipients: []route.Recipient{{
			Address: `a"b|c@[x]`, Disposition: route.Rejected, Status: route.Status{Code: 550, Enhanced: "5.7.1", Text: "<no>; \"denied\" #5\nnext line"},
			Hops: []route.Hop{h0, h1},
		}},
		Copies: []route.Copy{{ID: 0, Parent: -1, SplitHop: -1, Recipients: []string{`a"b|c@[x]`}}},
	}
}

// TestRenderEscaping checks that names with Mermaid and DOT syntax in
// them come out as entity codes and DOT escapes.
func TestRenderEscaping(t *testing.T) {
	res := renderOddResult()
	flow := string(renderTo(t, render.MermaidFlowchart, res))
	seq := string(renderTo(t, render.MermaidSequence, res))
	dot := string(renderTo(t, render.DOT, res))
	trace := string(renderTo(t, render.MessageTrace, res))
	tests := []struct {
		name, text, want string
	}{
		{"flowchart_node", flow, `n1["ext:#quot;odd#quot;[a#124;b]{c}#35;1#59;#37;x<br/>Partner, hop 2"]`},
		{"flowchart_edge", flow, `n0 -->|"hop 1: SEND [To #quot;partner#quot; [A#124;B]#59; #35;1 \N back\slash #lt;b#gt;#amp;amp#59;#96;md#96;]"| n1`},
		{"flowchart_end", flow, `r0(["a#quot;b#124;c@[x]<br/>Rejected<br/>550 5.7.1 #lt;no#gt;#59; #quot;denied#quot; #35;5 next line"])`},
		{"sequence_participant", seq, `participant p1 as ext:#quot;odd#quot;[a#124;b]{c}#35;1#59;#37;x`},
		{"sequence_arrow", seq, `p0->>p1: hop 1: SEND [To #quot;partner#quot; [A#124;B]#59; #35;1 \N back\slash #lt;b#gt;#amp;amp#59;#96;md#96;]`},
		{"dot_node", dot, `n1 [label="ext:\"odd\"[a|b]{c}#1;%x\nPartner, hop 2"];`},
		{"dot_edge", dot, `n0 -> n1 [label="hop 1: SEND [To \"partner\" [A|B]; #1 \\N back\\slash <b>&amp;` + "`md`" + `]"];`},
		{"dot_end", dot, `label="a\"b|c@[x]\nRejected\n550 5.7.1 <no>; \"denied\" #5 next line"`},
		{"trace_connector", trace, "tab here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.text, tt.want) {
				t.Errorf("rendering does not contain %q:\n%s", tt.want, tt.text)
			}
		})
	}
	for _, text := range []string{flow, seq} {
		for line := range strings.SplitSeq(strings.TrimSuffix(text, "\n"), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "%%") {
				continue
			}
			if strings.ContainsAny(line, ";%") && !strings.Contains(line, "#") {
				t.Errorf("line has an unescaped ';' or '%%': %q", line)
			}
		}
	}
	if strings.Count(trace, "\n") != 4 {
		t.Errorf("message trace has %d lines, want a header and 3 rows:\n%s", strings.Count(trace, "\n"), trace)
	}
}

// dotToSVG runs Graphviz on src and returns the SVG, skipping the test
// when Graphviz is not installed.
func dotToSVG(t *testing.T, src []byte) []byte {
	t.Helper()
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz is not installed (dot not in PATH): install graphviz to check the DOT output")
	}
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = bytes.NewReader(src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dot -Tsvg: %v\n%s\ninput:\n%s", err, stderr.Bytes(), src)
	}
	if stderr.Len() > 0 {
		t.Errorf("dot -Tsvg warns: %s", stderr.Bytes())
	}
	return out
}

// TestRenderDOTGraphviz runs Graphviz on every golden DOT file and on the
// rendering of names full of syntax: Graphviz must accept them.
func TestRenderDOTGraphviz(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "trace", "*.dot"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no golden DOT files: run go test -update")
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".dot"), func(t *testing.T) {
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			if svg := dotToSVG(t, src); !bytes.Contains(svg, []byte("<svg")) {
				t.Errorf("dot -Tsvg %s wrote no SVG:\n%s", f, svg)
			}
		})
	}
	t.Run("escaping", func(t *testing.T) {
		svg := dotToSVG(t, renderTo(t, render.DOT, renderOddResult()))
		// The SVG holds the label text XML-escaped, backslashes intact.
		if want := `\N back\slash`; !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG does not show %q literally:\n%s", want, svg)
		}
	})
}

// renderFailWriter fails every write.
type renderFailWriter struct{}

var errRenderWrite = errors.New("write failed")

func (renderFailWriter) Write([]byte) (int, error) { return 0, errRenderWrite }

// TestRenderWriteError requires every renderer to return the writer's
// error.
func TestRenderWriteError(t *testing.T) {
	res := renderOddResult()
	for _, f := range renderFormats {
		if err := f.write(renderFailWriter{}, res); !errors.Is(err, errRenderWrite) {
			t.Errorf("%s to a failing writer = %v, want %v", f.ext, err, errRenderWrite)
		}
	}
}

// BenchmarkRender renders the trace of Internet mail to Julie and David
// (MX to EOP), the message the seeds split.
func BenchmarkRender(b *testing.B) {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, scenario.ContosoFlows()[0].Message)
	require.NoError(b, err)
	for _, f := range []struct {
		name  string
		write func(io.Writer, *route.Result) error
	}{
		{"MermaidFlowchart", render.MermaidFlowchart},
		{"MermaidSequence", render.MermaidSequence},
		{"DOT", render.DOT},
		{"MessageTrace", render.MessageTrace},
	} {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f.write(io.Discard, res); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
