// Command trace traces mail through a topology and prints, for every
// message, where each copy went hop by hop, whether the message did what
// its expectations say, and the outcome matrix of all the traces.
//
// With no arguments it runs the built-in Contoso hybrid matrix (MX to EOP
// or on-premises, centralized mail transport off or on):
//
//	go run ./examples/trace
//
// Usage:
//
//	trace [-scenario NAME | -f FILE [-tenant NAME]] [-select KEY=VALUE...] [-from ADDR -to ADDR[,ADDR...] [-source-ip IP] [-origin NODE] [-scl N]] [-notes] [-summary | -format text|json | -render KIND]
//	trace [-scenario NAME | -f FILE] [-select KEY=VALUE...] -matrix | -check [-format text|json]
//	trace [-scenario NAME | -f FILE] [-select KEY=VALUE...] -topology mermaid|dot
//	trace -f FILE -diff OTHER [-format text|json]
//	trace -list
//
// The flags are:
//
//	-scenario NAME
//		the built-in scenario to run (default "contoso-hybrid"): its
//		flows through each of its variants.
//	-select KEY=VALUE
//		run only the variants whose setting KEY prints as VALUE
//		("mx=EOP", "centralizedTransport=true"); repeat it to narrow the
//		selection with another key, or to allow several values of one key.
//		It is an error when it picks no variant.
//	-f FILE
//		a topology file (JSON, see scenario.File), or Exchange exports:
//		an Export-Clixml (.xml) or ConvertTo-Json file of a Get-* cmdlet,
//		or a directory of them (see exchange.ImportFS). The file's
//		messages are traced, in file order.
//	-from ADDR, -to ADDR[,ADDR...]
//		trace this message instead of the scenario's flows or the file's
//		messages; -source-ip (the connecting IP address), -origin (the
//		node where it enters, such as "partner:contosobank") and -scl
//		(the spam confidence level) describe it further.
//	-tenant NAME
//		the name of the Exchange Online organization of the exports of
//		-f ("contoso" for contoso.onmicrosoft.com) when they do not name
//		it (no *.onmicrosoft.com domain, OrganizationId or routing
//		address): see exchange.Options. Without it such a tenant is
//		named after its first accepted domain, with a note.
//	-notes
//		list the notes of an import of exports, one per line on stderr:
//		each property not imported and why, each name the importer had
//		to derive. Without it, trace prints their number.
//	-render mermaid|sequence|dot|trace
//		print each trace as a Mermaid flowchart, a Mermaid sequence
//		diagram, Graphviz DOT, or rows of message-trace events (RECEIVE,
//		SEND, DELIVER…) as Exchange's message trace shows them, after a
//		line "== scenario | flow | settings" written as a comment of the
//		diagram's language ("%% == …", "// == …"), so that one trace's
//		output is a diagram as it stands.
//	-summary
//		print only the outcome matrix of the traces.
//	-topology mermaid|dot
//		draw the topology of -f, or of each variant of the scenario
//		(after a line "== name | settings"), as a Mermaid flowchart or
//		Graphviz DOT: organizations, MX records and connectors.
//	-matrix
//		trace every flow class (each sender location to each recipient
//		class) of the topology, or of each variant of the scenario, and
//		print the reachability matrix.
//	-check
//		print the findings of analysis.Check and analysis.Analyze: loops,
//		undeliverable flows, unused connectors and rules, TLS not met,
//		open relays, spam filtering skipped; exit 1 if there are any.
//	-diff OTHER
//		trace every flow class of -f FILE and of OTHER (a topology file or
//		exports) and print those that go differently, with both traces.
//	-list
//		print the built-in scenarios, "NAME<TAB>Description" one per
//		line, and exit.
//	-format text|json
//		the output format (default text). The text format prints a line
//		"== matrix" and the outcome matrix (one row per trace and
//		recipient); then, for each trace, a blank line, a header line
//		"== scenario | flow | settings", the trace as text (lines of at
//		most 100 columns), and "expectations: held" or "expectations:
//		FAILED", what failed and the document the expectations come from,
//		when the message has expectations. The json format prints a JSON
//		array with one object per trace: name, scenario, settings, from,
//		to, recipients (with their hops), copies and expectations.
//
// The text format is meant for people and may change between versions;
// programs should read the json format.
//
// The exit status is 0 when every trace ran and every expectation held, 1
// when an expectation failed (trace says which on stderr) or -check found
// something, and 2 when the input was bad: an unknown flag, scenario or format, a file that does not
// load, a message that cannot be traced. Notes on imported exports
// (properties not imported) go to stderr and do not change the status.
package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/internal/jsonscan"
	"github.com/mailflowsim/mailflow/internal/textenc"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/scenario/exchange"
	"github.com/mailflowsim/mailflow/topology"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// The exit statuses.
const (
	exitOK     = 0 // every trace ran, every expectation held
	exitFailed = 1 // an expectation failed, or the output could not be written
	exitBad    = 2 // bad usage or input
)

// options are the command's flags.
type options struct {
	name, file, format  string
	from, to, sourceIP  string
	origin, render      string
	picture, other      string
	writeTopology       string
	tenant              string
	scl                 int
	list, notes, matrix bool
	check, summary      bool
	selects             selection
	set                 map[string]bool // the flags given
}

// importer returns the importer's options of -tenant.
func (o *options) importer() exchange.Options { return exchange.Options{Tenant: o.tenant} }

// analysis reports whether the options ask for an analysis (-matrix,
// -check, -diff, -topology) rather than traces.
func (o *options) analysis() bool {
	return o.matrix || o.check || o.other != "" || o.picture != ""
}

// parse reads the flags; ok is false when the command must stop with
// status code.
func parse(args []string, stderr io.Writer) (o options, code int, ok bool) {
	fs := flag.NewFlagSet("trace", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: trace [-scenario NAME | -f FILE [-tenant NAME]] [-from ADDR -to ADDR[,ADDR...] [-source-ip IP] [-origin NODE] [-scl N]] [-format text|json | -render KIND]\n       trace [-scenario NAME | -f FILE] -matrix | -check | -topology KIND\n       trace -f FILE -diff OTHER\n       trace -list")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.name, "scenario", "contoso-hybrid", "the built-in `NAME`d scenario to run (trace -list names them)")
	fs.StringVar(&o.file, "f", "", "trace the messages of a topology `FILE`, or of Exchange exports (a file or a directory)")
	fs.BoolVar(&o.list, "list", false, "list the built-in scenarios and exit")
	fs.StringVar(&o.format, "format", "text", "output `format`: text or json")
	fs.StringVar(&o.from, "from", "", "trace a message from this `ADDRESS` (with -to; -to alone sends it with the null sender <>, as a non-delivery report is)")
	fs.StringVar(&o.to, "to", "", "the message's recipient `ADDRESSES`, separated by commas")
	fs.StringVar(&o.sourceIP, "source-ip", "", "the `IP` address the message's first SMTP connection comes from")
	fs.StringVar(&o.origin, "origin", "", "the `NODE` where the message enters (\"partner:contosobank\"); default: where From's mailbox or domain is")
	fs.IntVar(&o.scl, "scl", -1, "the spam confidence level (`0-9`) the content filter gives the message")
	fs.BoolVar(&o.notes, "notes", false, "list every property of the imported exports that was not imported (with -f alone: list them and exit 0)")
	fs.BoolVar(&o.matrix, "matrix", false, "trace every flow class (sender location × recipient class) and print the reachability matrix")
	fs.BoolVar(&o.check, "check", false, "report configuration mistakes and what the flows show (loops, unused connectors…); exit 1 if there are any")
	fs.StringVar(&o.render, "render", "", "render each trace as `KIND`: mermaid (flowchart), sequence (Mermaid sequence diagram), dot (Graphviz) or trace (message trace events)")
	fs.StringVar(&o.picture, "topology", "", "draw the topology of -f, or of each variant of the scenario, as `KIND`: mermaid or dot")
	fs.StringVar(&o.other, "diff", "", "print the flow classes that go differently in `OTHER` (a topology file or exports) than in -f's")
	fs.BoolVar(&o.summary, "summary", false, "print only the outcome matrix of the traces")
	fs.StringVar(&o.writeTopology, "write-topology", "", "write the topology of -f (exports or a file) to `FILE` as an editable topology file, and exit")
	fs.StringVar(&o.tenant, "tenant", "", "with -f of exports: the tenant's `NAME` (\"contoso\" for contoso.onmicrosoft.com) when the exports do not name it")
	fs.Var(&o.selects, "select", "run only the variants whose setting `KEY=VALUE` (\"mx=EOP\"); repeat to narrow, or to allow several values of one key")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, exitOK, false
		}
		return o, exitBad, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "trace: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return o, exitBad, false
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	return o, exitOK, true
}

// validate returns what is wrong with the combination of flags, or "".
func (o *options) validate() string {
	return cmp.Or(o.validateInput(), o.validateAnalysis(), o.validateOutput())
}

// validateInput checks where the messages come from.
func (o *options) validateInput() string {
	message := o.from != "" || o.set["source-ip"] || o.set["origin"] || o.set["scl"]
	switch {
	case o.format != "text" && o.format != "json":
		return fmt.Sprintf("unknown format %q (want text or json)", o.format)
	case o.set["scenario"] && o.set["f"]:
		return "-scenario and -f cannot be used together"
	case message && o.to == "":
		return "a message needs -to"
	case o.set["scl"] && (o.scl < -1 || o.scl > 9):
		return fmt.Sprintf("-scl %d is not a spam confidence level from -1 to 9", o.scl)
	case o.tenant != "" && o.file == "":
		return "-tenant names the tenant of the exports of -f: give -f"
	}
	return ""
}

// validateAnalysis checks -matrix, -check, -diff and -topology.
func (o *options) validateAnalysis() string {
	switch {
	case btoi(o.matrix)+btoi(o.check)+btoi(o.other != "")+btoi(o.picture != "") > 1:
		return "-matrix, -check, -diff and -topology cannot be used together"
	case o.analysis() && o.to != "":
		return "-matrix, -check, -diff and -topology take no message: no -to"
	case o.picture != "" && o.picture != "mermaid" && o.picture != "dot":
		return fmt.Sprintf("unknown -topology %q (want mermaid or dot)", o.picture)
	case o.other != "" && o.file == "":
		return "-diff compares -f FILE with OTHER: give -f"
	}
	return ""
}

// validateOutput checks -render, -summary and -select.
func (o *options) validateOutput() string {
	switch {
	case o.render != "" && renderers[o.render].write == nil:
		return fmt.Sprintf("unknown -render %q (want mermaid, sequence, dot or trace)", o.render)
	case o.render != "" && (o.matrix || o.check || o.other != "" || o.format == "json"):
		return "-render renders traces: not with -matrix, -check, -diff or -format json"
	case o.summary && (o.render != "" || o.format == "json" || o.analysis()):
		return "-summary prints the text matrix of the traces: not with -render, -format json, -matrix, -check, -diff or -topology"
	case len(o.selects) > 0 && o.other != "":
		return "-select picks a scenario's variants: not with -diff"
	}
	return ""
}

// run runs the command with the arguments args (without the program name)
// and returns its exit status.
func run(args []string, stdout, stderr io.Writer) int {
	o, code, ok := parse(args, stderr)
	if !ok {
		return code
	}
	if o.list {
		var b bytes.Buffer
		for _, s := range scenario.Builtin() {
			fmt.Fprintf(&b, "%s\t%s\n", s.Name, s.Description)
		}
		return write(stdout, stderr, b.Bytes())
	}
	if msg := o.validate(); msg != "" {
		return bad(stderr, "%s", msg)
	}
	if o.analysis() {
		return runAnalysis(&o, stdout, stderr)
	}
	if o.writeTopology != "" {
		return runWriteTopology(&o, stderr)
	}
	if o.notes && o.to == "" && o.file != "" {
		return runNotes(&o, stdout, stderr)
	}
	return runTraces(&o, stdout, stderr)
}

// bad reports bad usage or input and returns exitBad.
func bad(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "trace: "+format+"\n", args...)
	return exitBad
}

// runAnalysis runs -matrix, -check, -diff or -topology.
func runAnalysis(o *options, stdout, stderr io.Writer) int {
	srcs, err := sources(o.file, o.name, o.importer(), o.notes, stderr)
	if err != nil {
		return bad(stderr, "%v", err)
	}
	if srcs, err = selectSources(srcs, o.selects); err != nil {
		return bad(stderr, "%v", err)
	}
	var out []byte
	found := false
	switch {
	case o.matrix:
		out, err = matrix(srcs, o.format)
	case o.check:
		out, found, err = check(srcs, o.format)
	case o.picture != "":
		out, err = pictures(srcs, o.picture)
	default:
		var b []source
		if b, err = sources(o.other, "", o.importer(), o.notes, stderr); err != nil {
			return bad(stderr, "%v", err)
		}
		out, err = diff(srcs[0], b[0], o.format)
	}
	if err != nil {
		fmt.Fprintf(stderr, "trace: %v\n", err)
		return exitFailed
	}
	if code := write(stdout, stderr, out); code != exitOK || !found {
		return code
	}
	return exitFailed
}

// runWriteTopology writes the topology of -f as a topology file, so that
// an import can be edited and traced as what-ifs.
func runWriteTopology(o *options, stderr io.Writer) int {
	if o.file == "" {
		return bad(stderr, "-write-topology writes the topology of -f: give -f")
	}
	f, notes, err := importNotes(o.file, o.importer())
	if err != nil {
		return bad(stderr, "%v", err)
	}
	var b bytes.Buffer
	if err := f.WriteJSON(&b); err != nil {
		fmt.Fprintf(stderr, "trace: %v\n", err)
		return exitFailed
	}
	if err := os.WriteFile(o.writeTopology, b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "trace: %v\n", err)
		return exitFailed
	}
	if len(notes) > 0 {
		fmt.Fprintf(stderr, "trace: %d notes on the import (properties not imported, names derived); -notes lists them\n", len(notes))
	}
	return exitOK
}

// runNotes lists the notes of the import of -f on stdout, then whether
// the result builds, and exits 0: -notes alone is for reading them.
func runNotes(o *options, stdout, stderr io.Writer) int {
	f, notes, err := importNotes(o.file, o.importer())
	if err != nil {
		return bad(stderr, "%v", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d notes on the import of %s\n", len(notes), o.file)
	for _, n := range notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	if _, err := topology.Build(f.Spec); err != nil {
		fmt.Fprintf(&b, "the imported configuration does not make a topology yet: %v\n", err)
	}
	return write(stdout, stderr, b.Bytes())
}

// importNotes imports the exports of name (a file or a directory) and
// returns their notes; a topology file has none.
func importNotes(name string, imp exchange.Options) (*scenario.File, []scenario.Problem, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, nil, err
	}
	if st.IsDir() {
		return imp.ImportFS(os.DirFS(name))
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	if !isExport(name, data) {
		if imp.Tenant != "" {
			return nil, nil, errNotExports(name)
		}
		f, _, err := scenario.Load(bytes.NewReader(data))
		return f, nil, err
	}
	return imp.Import(filepath.Base(name), data)
}

// runTraces traces the messages of -f or of the scenario, or the one-off
// message, and writes them in the format asked for.
func runTraces(o *options, stdout, stderr io.Writer) int {
	var oneOff *route.Message
	if o.to != "" {
		m, err := message(o.from, o.to, o.sourceIP, o.origin, o.scl)
		if err != nil {
			return bad(stderr, "%v", err)
		}
		oneOff = &m
	}
	var runs []scenario.Run
	var err error
	if o.file != "" {
		runs, err = runFile(o.file, oneOff, o.selects, o.importer(), o.notes, stderr)
	} else {
		runs, err = runScenario(o.name, oneOff, o.selects)
	}
	if err != nil {
		return bad(stderr, "%v", err)
	}
	out, err := formatRuns(o, runs)
	if err != nil {
		fmt.Fprintf(stderr, "trace: %v\n", err)
		return exitFailed
	}
	if code := write(stdout, stderr, out); code != exitOK {
		return code
	}
	return summary(runs, stderr)
}

// runScenario runs the built-in scenario name, its variants narrowed by
// sel, with its flows or the one-off message instead. Lookup gives the
// command a scenario of its own to change.
func runScenario(name string, oneOff *route.Message, sel selection) ([]scenario.Run, error) {
	s, ok := scenario.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown scenario %q (trace -list names them)", name)
	}
	if oneOff != nil {
		s.Flows = []scenario.Flow{{Name: "message", Message: *oneOff}}
		for i := range s.Variants {
			s.Variants[i].Expects = nil
		}
	}
	var err error
	if s.Variants, err = selectVariants(s.Variants, sel); err != nil {
		return nil, err
	}
	return s.Run()
}

// formatRuns writes the runs as -render, -format json, -summary or text
// ask.
func formatRuns(o *options, runs []scenario.Run) ([]byte, error) {
	switch {
	case o.render != "":
		return formatRendered(runs, o.render)
	case o.format == "json":
		return formatJSON(runs)
	case o.summary:
		var b bytes.Buffer
		err := scenario.WriteTable(&b, runs)
		return b.Bytes(), err
	}
	return formatText(runs)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// message builds the one-off message of -from, -to, -source-ip, -origin
// and -scl (-1: not given).
func message(from, to, sourceIP, origin string, scl int) (route.Message, error) {
	m := route.Message{From: from}
	for a := range strings.SplitSeq(to, ",") {
		if a = strings.TrimSpace(a); a != "" {
			m.To = append(m.To, a)
		}
	}
	var errs []error
	if sourceIP != "" {
		ip, err := netip.ParseAddr(sourceIP)
		if err != nil {
			errs = append(errs, fmt.Errorf("-source-ip: %v", err))
		}
		m.SourceIP = ip
	}
	if origin != "" {
		id, err := topology.ParseNodeID(origin)
		if err != nil {
			errs = append(errs, fmt.Errorf("-origin: %v", err))
		}
		m.Origin = id
	}
	if scl >= 0 {
		m.SCL = &scl
	}
	return m, errors.Join(errs...)
}

// runFile loads a topology file or exports and traces its messages, or the
// one-off message instead.
func runFile(name string, oneOff *route.Message, sel selection, imp exchange.Options, notes bool, stderr io.Writer) ([]scenario.Run, error) {
	f, topo, err := load(name, imp, notes, stderr)
	if err != nil {
		return nil, err
	}
	if len(sel) > 0 && !sel.matches(f.Settings) {
		return nil, fmt.Errorf("-select %s: %s's settings are %s", &sel, name, orDash(f.Settings.String()))
	}
	if oneOff != nil {
		f.Messages = []scenario.FileMessage{{Name: "message", Message: *oneOff}}
	}
	if len(f.Messages) == 0 {
		return nil, fmt.Errorf("%s has no Messages to trace: add some, or give -from and -to", name)
	}
	return f.Run(filepath.Base(name), topo)
}

// errNotExports is the error of -tenant with a topology file, which names
// its tenants itself.
func errNotExports(name string) error {
	return fmt.Errorf("-tenant names the tenant of Exchange exports; %s is a topology file, which names its tenants", name)
}

// load reads a topology file, or imports exports and builds the
// topology; it reports the notes of an import on stderr, each one or
// their number.
func load(name string, imp exchange.Options, listNotes bool, stderr io.Writer) (*scenario.File, *topology.Topology, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, nil, err
	}
	var f *scenario.File
	var notes []scenario.Problem
	switch data, rerr := os.ReadFile(name); {
	case st.IsDir():
		f, notes, err = imp.ImportFS(os.DirFS(name))
	case rerr != nil:
		return nil, nil, rerr
	case isExport(name, nil):
		f, notes, err = imp.Import(filepath.Base(name), data)
	case imp.Tenant != "":
		if !isExport(name, data) {
			return nil, nil, errNotExports(name)
		}
		f, notes, err = imp.Import(filepath.Base(name), data)
	default:
		// A file that loads is no export (an export's Identity would be an
		// unknown key), so that only a file that does not load is read a
		// second time, for the keys of an export.
		file, topo, lerr := scenario.Load(bytes.NewReader(data))
		if lerr == nil || !isExport(name, data) {
			return file, topo, lerr
		}
		f, notes, err = imp.Import(filepath.Base(name), data)
	}
	if err != nil {
		return nil, nil, err
	}
	switch {
	case listNotes:
		for _, n := range notes {
			fmt.Fprintf(stderr, "trace: note: %s\n", n)
		}
	case len(notes) > 0:
		fmt.Fprintf(stderr, "trace: %d notes on the import (properties not imported, names derived); -notes lists them\n", len(notes))
	}
	topo, err := topology.Build(f.Spec)
	if err != nil {
		return nil, nil, fmt.Errorf("the imported configuration does not make a topology: %w", err)
	}
	return f, topo, nil
}

// isExport reports whether a file is an Exchange export rather than a
// topology file, in any encoding PowerShell writes: CLIXML, or the JSON
// array or object ConvertTo-Json writes (which carries Identity or Guid).
// With data nil it tells by the file's name alone.
func isExport(name string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(name), ".xml") {
		return true
	}
	if data == nil {
		return false
	}
	data = bytes.TrimSpace(textenc.UTF8(data))
	if bytes.HasPrefix(data, []byte("<")) || bytes.HasPrefix(data, []byte("[")) {
		return true
	}
	keys, ok := jsonscan.TopKeys(data) // the keys alone: the values are not decoded
	return ok && (slices.Contains(keys, "Identity") || slices.Contains(keys, "Guid"))
}

// summary reports failed expectations on stderr and returns the exit
// status.
func summary(runs []scenario.Run, stderr io.Writer) int {
	failed, checked := 0, 0
	for _, r := range runs {
		if !r.Checked {
			continue
		}
		checked++
		if len(r.Mismatches) > 0 {
			failed++
			for _, m := range r.Mismatches {
				fmt.Fprintf(stderr, "trace: %s: %s\n", title(r), m)
			}
		}
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "trace: %d of %d checked traces failed their expectations\n", failed, checked)
		return exitFailed
	}
	return exitOK
}

// title names a run: "scenario | flow | settings", without the settings
// when there are none.
func title(r scenario.Run) string { return named(r.Scenario+" | "+r.Flow, r.Settings) }

// named returns "name | settings", or name when there are no settings.
func named(name string, s scenario.Settings) string {
	if len(s) == 0 {
		return name
	}
	return name + " | " + s.String()
}

// formatText returns the text form of runs: each run's header, trace and
// expectations, then the matrix.
func formatText(runs []scenario.Run) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("== matrix\n")
	if err := scenario.WriteTable(&b, runs); err != nil {
		return nil, err
	}
	for _, r := range runs {
		fmt.Fprintf(&b, "\n== %s\n", title(r))
		if err := render.Text(&b, r.Result); err != nil {
			return nil, err
		}
		if r.Checked {
			if len(r.Mismatches) == 0 {
				b.WriteString("expectations: held\n")
			} else {
				b.WriteString("expectations: FAILED\n")
				for _, m := range r.Mismatches {
					fmt.Fprintf(&b, "  - %s\n", m)
				}
				if r.Source != "" {
					fmt.Fprintf(&b, "  (expected from %s)\n", r.Source)
				}
			}
		}
	}
	return b.Bytes(), nil
}

// renderers are the -render kinds, and how each writes a comment line.
var renderers = map[string]struct {
	write   func(io.Writer, *route.Result) error
	comment string
}{
	"mermaid":  {render.MermaidFlowchart, "%% "},
	"sequence": {render.MermaidSequence, "%% "},
	"dot":      {render.DOT, "// "},
	"trace":    {render.MessageTrace, ""},
}

// formatRendered returns each run's rendering, after a line "== scenario
// | flow | settings" written as a comment of the diagram's language
// ("%% == …" in Mermaid, "// == …" in DOT), so that the output of one
// trace is a diagram as it stands; renderings of several runs are
// separated by a blank line.
func formatRendered(runs []scenario.Run, kind string) ([]byte, error) {
	r := renderers[kind]
	var b bytes.Buffer
	for i, run := range runs {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s== %s\n", r.comment, title(run))
		if err := r.write(&b, run.Result); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// selection is the -select flag: settings a variant must have.
type selection []string

// String returns the selection as given: "mx=EOP centralizedTransport=true".
func (s *selection) String() string { return strings.Join(*s, " ") }

// Set adds a KEY=VALUE.
func (s *selection) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" || val == "" {
		return fmt.Errorf("%q is not KEY=VALUE", v)
	}
	*s = append(*s, v)
	return nil
}

// matches reports whether settings have, for each key the selection
// names, one of the values it gives that key (compared as printed).
func (s selection) matches(set scenario.Settings) bool {
	want := map[string][]string{}
	for _, kv := range s {
		k, v, _ := strings.Cut(kv, "=")
		want[k] = append(want[k], v)
	}
	for k, vs := range want {
		got, ok := set[k]
		if !ok || !slices.Contains(vs, fmt.Sprint(got)) {
			return false
		}
	}
	return true
}

// selectVariants returns the variants the selection picks, all of them
// for an empty selection; an error when it picks none.
func selectVariants(vs []scenario.Variant, sel selection) ([]scenario.Variant, error) {
	return pick(vs, sel, func(v scenario.Variant) scenario.Settings { return v.Settings })
}

// selectSources is selectVariants for topologies to analyse.
func selectSources(srcs []source, sel selection) ([]source, error) {
	return pick(srcs, sel, func(s source) scenario.Settings { return s.settings })
}

// pick returns the items whose settings the selection picks.
func pick[T any](items []T, sel selection, settings func(T) scenario.Settings) ([]T, error) {
	if len(sel) == 0 {
		return items, nil
	}
	var out []T
	var have []string
	for _, it := range items {
		if sel.matches(settings(it)) {
			out = append(out, it)
		}
		have = append(have, orDash(settings(it).String()))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-select %s picks no variant; the variants are: %s", &sel, strings.Join(have, "; "))
	}
	return out, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// formatJSON returns runs as an indented JSON array ending in a newline.
func formatJSON(runs []scenario.Run) ([]byte, error) {
	if runs == nil {
		runs = []scenario.Run{}
	}
	out, err := json.MarshalIndent(runs, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// write writes out to stdout and returns the exit status.
func write(stdout, stderr io.Writer, out []byte) int {
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "trace: %v\n", err)
		return exitFailed
	}
	return exitOK
}
