package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// runTrace runs the command with args and returns its exit status, stdout
// and stderr.
func runTrace(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestList(t *testing.T) {
	code, out, stderr := runTrace(t, "-list")
	if code != 0 || stderr != "" {
		t.Fatalf("run(-list) = %d, stderr %q; want 0 and no stderr", code, stderr)
	}
	if !strings.Contains(out, "contoso-hybrid\t") {
		t.Errorf("run(-list) output does not name contoso-hybrid:\n%s", out)
	}
	for line := range strings.SplitSeq(strings.TrimSuffix(out, "\n"), "\n") {
		if name, desc, ok := strings.Cut(line, "\t"); !ok || name == "" || desc == "" {
			t.Errorf("run(-list) line %q is not NAME<TAB>Description", line)
		}
	}
}

func TestExitStatus(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string // a substring of stderr; "" means stderr must be empty
	}{
		{name: "default", args: nil, wantCode: 0},
		{name: "named scenario", args: []string{"-scenario", "contoso-hybrid"}, wantCode: 0},
		{name: "json", args: []string{"-format", "json"}, wantCode: 0},
		{name: "help", args: []string{"-h"}, wantCode: 0, wantStderr: "usage: trace"},
		{name: "unknown scenario", args: []string{"-scenario", "x"}, wantCode: 2, wantStderr: `trace: unknown scenario "x" (trace -list names them)`},
		{name: "unknown format", args: []string{"-format", "yaml"}, wantCode: 2, wantStderr: `trace: unknown format "yaml"`},
		{name: "unknown flag", args: []string{"-nope"}, wantCode: 2, wantStderr: "flag provided but not defined: -nope"},
		{name: "argument", args: []string{"extra"}, wantCode: 2, wantStderr: `trace: unexpected argument "extra"`},
		{name: "scenario and file", args: []string{"-scenario", "devices", "-f", "testdata/fabrikam.json"}, wantCode: 2, wantStderr: "trace: -scenario and -f cannot be used together"},
		{name: "no such file", args: []string{"-f", "testdata/nothing.json"}, wantCode: 2, wantStderr: "no such file or directory"},
		{name: "from without to", args: []string{"-from", "a@fabrikam.com"}, wantCode: 2, wantStderr: "trace: a message needs -to"},
		{name: "notes alone list and exit 0, even when the exports do not build yet", args: []string{"-f", "../../scenario/exchange/testdata/exchange-server", "-notes"}, wantCode: 0},
		{name: "SCL out of range", args: []string{"-to", "b@contoso.com", "-scl", "12"}, wantCode: 2, wantStderr: "trace: -scl 12 is not a spam confidence level from -1 to 9"},
		{name: "to without from: the null sender", args: []string{"-to", "david@contoso.com"}, wantCode: 0},
		{name: "bad source IP", args: []string{"-from", "a@fabrikam.com", "-to", "b@contoso.com", "-source-ip", "300.1.1.1"}, wantCode: 2, wantStderr: "trace: -source-ip: ParseAddr"},
		{name: "bad origin", args: []string{"-to", "b@contoso.com", "-origin", "mars"}, wantCode: 2, wantStderr: "Origin: the topology has no node mars"},
		{name: "bad message", args: []string{"-to", "b@contoso"}, wantCode: 2, wantStderr: "is not an SMTP address"},
		{name: "expectations fail", args: []string{"-f", "testdata/failing.json"}, wantCode: 1, wantStderr: "trace: 2 of 3 checked traces failed their expectations"},
		{name: "matrix and check", args: []string{"-matrix", "-check"}, wantCode: 2, wantStderr: "-matrix, -check, -diff and -topology cannot be used together"},
		{name: "unknown topology kind", args: []string{"-topology", "svg"}, wantCode: 2, wantStderr: `unknown -topology "svg"`},
		{name: "diff without file", args: []string{"-diff", "testdata/fabrikam.json"}, wantCode: 2, wantStderr: "-diff compares -f FILE with OTHER: give -f"},
		{name: "matrix with a message", args: []string{"-matrix", "-to", "a@b.example"}, wantCode: 2, wantStderr: "take no message: no -to"},
		{name: "unknown render", args: []string{"-render", "png"}, wantCode: 2, wantStderr: `unknown -render "png"`},
		{name: "render json", args: []string{"-render", "dot", "-format", "json"}, wantCode: 2, wantStderr: "-render renders traces"},
		{name: "tenant with a topology file", args: []string{"-f", "testdata/fabrikam.json", "-tenant", "contoso"}, wantCode: 2, wantStderr: "-tenant names the tenant of Exchange exports; testdata/fabrikam.json is a topology file"},
		{name: "tenant with a topology file, notes", args: []string{"-f", "testdata/fabrikam.json", "-tenant", "contoso", "-notes"}, wantCode: 2, wantStderr: "is a topology file, which names its tenants"},
		{name: "tenant without file", args: []string{"-tenant", "contoso"}, wantCode: 2, wantStderr: "-tenant names the tenant of the exports of -f: give -f"},
		{name: "file without messages", args: []string{"-f", "testdata/empty.json"}, wantCode: 2, wantStderr: "has no Messages to trace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runTrace(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("run(%q) = %d, want %d; stderr:\n%s", tt.args, code, tt.wantCode, stderr)
			}
			if tt.wantStderr == "" && stderr != "" {
				t.Errorf("run(%q) stderr = %q, want none", tt.args, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("run(%q) stderr = %q, want it to contain %q", tt.args, stderr, tt.wantStderr)
			}
		})
	}
}

func TestText(t *testing.T) {
	code, out, stderr := runTrace(t)
	require.Equal(t, 0, code, "stderr: %s", stderr)
	if !strings.HasPrefix(out, "== matrix\nFLOW") {
		t.Errorf("run() output does not start with the matrix:\n%s", out)
	}
	if got, want := strings.Count(out, "\n== contoso-hybrid | "), 24; got != want {
		t.Errorf("run() output has %d run headers, want %d", got, want)
	}
	if got, want := strings.Count(out, "expectations: held"), 24; got != want {
		t.Errorf("run() output has %d held expectations, want %d", got, want)
	}
	for i, line := range strings.Split(out[strings.Index(out, "\n\n"):], "\n") {
		if len(line) > 100 && !strings.HasPrefix(line, "== ") && !strings.Contains(strings.TrimSpace(line), " ") {
			continue // a single word wider than the line
		}
		if len(line) > 100 && !strings.HasPrefix(line, "== ") {
			t.Errorf("trace line %d is %d columns wide: %s", i, len(line), line)
		}
	}
}

// TestSelect: -select picks variants by their settings, narrowing with
// each key and allowing several values of one key.
func TestSelect(t *testing.T) {
	count := func(args ...string) int {
		code, out, stderr := runTrace(t, append([]string{"-summary"}, args...)...)
		require.Equal(t, 0, code, "stderr: %s", stderr)
		return strings.Count(out, "\n") - 1 // minus the header
	}
	all := count()
	if got := count("-select", "mx=EOP"); got*2 != all {
		t.Errorf("-select mx=EOP gives %d rows of %d, want half", got, all)
	}
	if got := count("-select", "mx=EOP", "-select", "centralizedTransport=true"); got*4 != all {
		t.Errorf("-select mx=EOP -select centralizedTransport=true gives %d rows of %d, want a quarter", got, all)
	}
	if got := count("-select", "mx=EOP", "-select", "mx=OnPremises"); got != all {
		t.Errorf("-select mx=EOP -select mx=OnPremises gives %d rows of %d, want all", got, all)
	}
	code, _, stderr := runTrace(t, "-select", "mx=Mars")
	if code != 2 || !strings.Contains(stderr, "-select mx=Mars picks no variant; the variants are: centralizedTransport=false mx=EOP;") {
		t.Errorf("-select mx=Mars = %d, %q", code, stderr)
	}
	code, _, stderr = runTrace(t, "-select", "mx")
	if code != 2 || !strings.Contains(stderr, `"mx" is not KEY=VALUE`) {
		t.Errorf("-select mx = %d, %q", code, stderr)
	}
}

// TestDiffJSON: -diff -format json gives each changed class with its
// aspects and both traces.
func TestDiffJSON(t *testing.T) {
	code, out, stderr := runTrace(t, "-f", "../../scenario/builtin/contoso-hybrid/01.json", "-diff", "../../scenario/builtin/contoso-hybrid/02.json", "-format", "json")
	require.Equal(t, 0, code, "stderr: %s", stderr)
	var diffs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &diffs))
	require.NotEmpty(t, diffs)
	for _, d := range diffs {
		for _, k := range []string{"class", "aspects", "a", "b"} {
			if _, ok := d[k]; !ok {
				t.Errorf("difference %v has no key %q", d["class"], k)
			}
		}
	}
}

// The closed sets the JSON form draws from.
var (
	kinds  = []string{"Internet", "EOP", "ExchangeOnline", "OnPremises", "Edge", "Appliance", "Partner", "Device"}
	stages = []string{"ConnectionFilter", "DBEB", "AntiMalware", "AntiSpam", "TransportRules", "Journal", "Compliance"}
)

func TestJSON(t *testing.T) {
	code, out, stderr := runTrace(t, "-format", "json")
	require.Equal(t, 0, code, "stderr: %s", stderr)
	var runs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &runs))
	if len(runs) != 24 {
		t.Fatalf("run(-format json) has %d runs, want 24 (4 variants x 6 flows)", len(runs))
	}
	for i, r := range runs {
		t.Run(r["name"].(string)+"/"+settingsName(r["settings"]), func(t *testing.T) {
			for _, k := range []string{"name", "scenario", "settings", "from", "to", "recipients", "copies"} {
				if _, ok := r[k]; !ok {
					t.Errorf("run %d has no key %q", i, k)
				}
			}
			settings, _ := r["settings"].(map[string]any)
			for _, k := range []string{"mx", "centralizedTransport"} {
				if _, ok := settings[k]; !ok {
					t.Errorf("run %d settings %v have no key %q", i, settings, k)
				}
			}
			if _, ok := r["to"].([]any); !ok {
				t.Errorf("run %d to = %#v, want an array", i, r["to"])
			}
			rcpts, ok := r["recipients"].([]any)
			if !ok || len(rcpts) == 0 {
				t.Fatalf("run %d recipients = %#v, want a non-empty array", i, r["recipients"])
			}
			for _, rv := range rcpts {
				checkRecipient(t, rv.(map[string]any))
			}
		})
	}
}

func settingsName(v any) string {
	s, _ := v.(map[string]any)
	b, _ := json.Marshal(s)
	return string(b)
}

func checkRecipient(t *testing.T, rc map[string]any) {
	t.Helper()
	for _, k := range []string{"address", "disposition", "hops"} {
		if _, ok := rc[k]; !ok {
			t.Errorf("recipient %v has no key %q", rc["address"], k)
		}
	}
	hops, ok := rc["hops"].([]any)
	if !ok || len(hops) == 0 {
		t.Fatalf("recipient %v hops = %#v, want a non-empty array", rc["address"], rc["hops"])
	}
	for n, hv := range hops {
		h := hv.(map[string]any)
		for _, k := range []string{"node", "kind", "events", "filters", "reason"} {
			if _, ok := h[k]; !ok {
				t.Errorf("recipient %v hop %d has no key %q", rc["address"], n+1, k)
			}
		}
		if k, _ := h["kind"].(string); !slices.Contains(kinds, k) {
			t.Errorf("recipient %v hop %d kind = %#v, want one of %q", rc["address"], n+1, h["kind"], kinds)
		}
		if _, ok := h["events"].([]any); !ok {
			t.Errorf("recipient %v hop %d events = %#v, want an array", rc["address"], n+1, h["events"])
		}
		filters, ok := h["filters"].([]any)
		if !ok {
			t.Errorf("recipient %v hop %d filters = %#v, want an array", rc["address"], n+1, h["filters"])
		}
		for _, fv := range filters {
			f := fv.(map[string]any)
			if s, _ := f["stage"].(string); !slices.Contains(stages, s) {
				t.Errorf("recipient %v hop %d filter stage = %#v, want one of %q", rc["address"], n+1, f["stage"], stages)
			}
		}
	}
}

// TestJSONKeyOrder checks that every run object's keys come in the order
// the format specifies.
func TestJSONKeyOrder(t *testing.T) {
	code, out, stderr := runTrace(t, "-format", "json")
	require.Equal(t, 0, code, "stderr: %s", stderr)
	var runs []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(out), &runs))
	want := []string{"name", "scenario", "settings", "from", "to", "recipients", "copies", "expectations"}
	for i, raw := range runs {
		got, err := topLevelKeys(raw)
		require.NoError(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("run %d keys mismatch (-want +got):\n%s", i, diff)
		}
	}
}

// topLevelKeys returns the keys of the JSON object raw, in order.
func topLevelKeys(raw json.RawMessage) ([]string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// TestGolden compares the command's output with the golden files in
// testdata (stdout, then "--- stderr" and stderr when there is some); go
// test -update rewrites them. They lock the command's formats, one case
// each: where mail goes is asserted against Microsoft's documents by the
// built-in scenarios' expectations, not here.
func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		golden string
	}{
		{name: "summary", args: []string{"-summary", "-select", "mx=EOP"}, golden: "contoso-summary.golden"},
		{name: "file", args: []string{"-f", "testdata/fabrikam.json"}, golden: "fabrikam.golden"},
		{name: "file json", args: []string{"-f", "testdata/fabrikam.json", "-format", "json"}, golden: "fabrikam.json.golden"},
		{name: "expectations fail", args: []string{"-f", "testdata/failing.json"}, code: 1, golden: "failing.golden"},
		{name: "bad file", args: []string{"-f", "testdata/bad.json"}, code: 2, golden: "bad.golden"},
		{name: "one-off message", args: []string{"-f", "testdata/fabrikam.json", "-from", "sam@contosobank.com", "-to", "ana@fabrikam.com,bob@fabrikam.com", "-source-ip", "192.0.2.1"},
			golden: "one-off.golden"},
		{name: "exports", args: []string{"-f", "testdata/exports", "-from", "admin@first.example", "-to", "megan@microsoft.com", "-origin", "onprem:First-Organization/WIN-CTD3L0RGEN4"},
			golden: "exports.golden"},
		{name: "exports notes", args: []string{"-f", "testdata/exports", "-notes", "-to", "megan@microsoft.com", "-format", "json"}, golden: "exports-notes.golden"},
		{name: "one export alone", args: []string{"-f", "testdata/exports/GetSendConnector.xml", "-to", "megan@microsoft.com"}, golden: "export-alone.golden"},
		{name: "truncated export", args: []string{"-f", "testdata/truncated.xml", "-to", "megan@microsoft.com"}, code: 2, golden: "truncated.golden"},
		{name: "matrix", args: []string{"-f", "testdata/fabrikam.json", "-matrix"}, golden: "fabrikam-matrix.golden"},
		{name: "check", args: []string{"-scenario", "eop-standalone", "-check"}, code: 1, golden: "eop-standalone-check.golden"},
		{name: "check clean", args: []string{"-f", "testdata/fabrikam.json", "-check"}, golden: "fabrikam-check.golden"},
		{name: "diff", args: []string{"-f", "../../scenario/builtin/contoso-hybrid/03.json", "-diff", "../../scenario/builtin/contoso-hybrid/01.json"}, golden: "contoso-mx-cutover.golden"},
		{name: "render mermaid", args: []string{"-f", "testdata/fabrikam.json", "-render", "mermaid"}, golden: "fabrikam.mermaid.golden"},
		{name: "render message trace", args: []string{"-scenario", "contoso-hybrid", "-from", "sender@fabrikam.com", "-to", "julie@contoso.com,david@contoso.com", "-render", "trace"}, golden: "contoso-message-trace.golden"},
		{name: "topology mermaid", args: []string{"-f", "testdata/fabrikam.json", "-topology", "mermaid"}, golden: "fabrikam-topology.mermaid.golden"},
		{name: "one-off in a scenario", args: []string{"-scenario", "partner-tls", "-from", "sam@contosobank.com", "-to", "megan@contoso.com", "-source-ip", "198.51.100.40"},
			golden: "partner-tls-one-off.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runTrace(t, tt.args...)
			require.Equal(t, tt.code, code, "stderr: %s", stderr)
			if stderr != "" {
				out += "--- stderr\n" + stderr
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create it")
			if diff := cmp.Diff(string(want), out); diff != "" {
				t.Errorf("run(%q) output differs from %s; if the change is intended, run go test -update (-want +got):\n%s", tt.args, path, diff)
			}
		})
	}
}

// TestUTF16Export: an export Windows PowerShell's Out-File wrote in UTF-16
// is imported as an export, not read as a topology file.
func TestUTF16Export(t *testing.T) {
	data, err := os.ReadFile("testdata/exports/ExoGetMailbox.json")
	require.NoError(t, err)
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range string(data) {
		utf16 = append(utf16, byte(r), byte(r>>8)) // the file is ASCII
	}
	name := filepath.Join(t.TempDir(), "ExoGetMailbox.json")
	require.NoError(t, os.WriteFile(name, utf16, 0o644))
	code, _, stderr := runTrace(t, "-f", name, "-to", "megan@microsoft.com")
	require.Equal(t, 2, code)
	// Imported: the mailbox alone names a domain no organization accepts.
	require.Contains(t, stderr, "the imported configuration does not make a topology")
	require.Contains(t, stderr, "microsoft.com is not an accepted domain")
}

// TestWriteTopology: -write-topology writes an import as a topology file
// that loads, so an administrator can export, edit, then trace what-ifs.
func TestWriteTopology(t *testing.T) {
	out := filepath.Join(t.TempDir(), "topology.json")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-f", "testdata/exports", "-write-topology", out}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	f, _, err := scenario.LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Spec.Tenants)+len(f.Spec.OnPremises) == 0 {
		t.Errorf("the written topology has no organization")
	}
	if code := run([]string{"-write-topology", out}, &stdout, &stderr); code != exitBad {
		t.Errorf("-write-topology without -f: exit %d, want %d", code, exitBad)
	}
}

// TestTenantFlag: -tenant names the tenant of exports that do not name
// it, in every mode that imports (-notes, -write-topology, traces); the
// name derived otherwise is noted.
func TestTenantFlag(t *testing.T) {
	dir := t.TempDir()
	exports := filepath.Join(dir, "exports")
	require.NoError(t, os.Mkdir(exports, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(exports, "Get-AcceptedDomain.json"),
		[]byte(`[{"Name": "contoso.com", "DomainName": "contoso.com", "DomainType": "Authoritative",
		  "OrganizationId": "EURPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/x - x"}]`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(exports, "Get-Mailbox.json"),
		[]byte(`[{"Name": "Megan", "RecipientTypeDetails": "UserMailbox", "PrimarySmtpAddress": "megan@contoso.com", "MailboxPlan": "ExchangeOnlineEnterprise"}]`), 0o644))

	code, out, stderr := runTrace(t, "-f", exports, "-notes")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, `note: Tenants[0].Name: the tenant's name is not in the export (no *.onmicrosoft.com domain): named "contoso"`)

	code, out, stderr = runTrace(t, "-f", exports, "-tenant", "contosolab", "-notes")
	require.Equal(t, 0, code, stderr)
	require.NotContains(t, out, "Tenants[0].Name")

	written := filepath.Join(dir, "topology.json")
	code, _, stderr = runTrace(t, "-f", exports, "-tenant", "contosolab", "-write-topology", written)
	require.Equal(t, 0, code, stderr)
	f, err := os.ReadFile(written)
	require.NoError(t, err)
	require.Contains(t, string(f), `"Name": "contosolab"`)

	code, out, stderr = runTrace(t, "-f", exports, "-tenant", "contosolab", "-from", "sam@fabrikam.example", "-to", "megan@contoso.com")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "internet > eop:contosolab > exo:contosolab")
}
