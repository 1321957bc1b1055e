// Command trace traces the flows of a built-in scenario through each of
// its variants and prints, for every run, where each copy of the message
// went hop by hop, then the outcome matrix of all runs.
//
// With no arguments it runs the Contoso hybrid matrix (MX to EOP or
// on-premises, centralized mail transport off or on):
//
//	go run ./examples/trace
//
// Usage:
//
//	trace [-scenario NAME] [-format text|json]
//	trace -list
//
// The flags are:
//
//	-scenario NAME
//		the built-in scenario to run (default "contoso-hybrid").
//	-list
//		print the built-in scenarios, "NAME<TAB>Description" one per
//		line, and exit.
//	-format text|json
//		the output format (default text). The text format prints, for
//		each run, a header line "== scenario | flow | settings", the
//		trace as text and a blank line, then a line "== matrix" and the
//		outcome matrix (one row per run and recipient). The json format
//		prints a JSON array with one object per run: name, scenario,
//		settings, from, to, recipients (with their hops) and copies.
//
// The text format is meant for people and may change between versions;
// programs should read the json format.
//
// The exit status is 0 on success, 2 for bad usage (an unknown flag,
// scenario or format), and 1 if a trace fails.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/mailflowsim/mailflow/scenario"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run runs the command with the arguments args (without the program name)
// and returns its exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("trace", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: trace [-scenario NAME] [-format text|json]\n       trace -list")
		fs.PrintDefaults()
	}
	name := fs.String("scenario", "contoso-hybrid", "the built-in `NAME`d scenario to run (trace -list names them)")
	list := fs.Bool("list", false, "list the built-in scenarios and exit")
	format := fs.String("format", "text", "output `format`: text or json")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "trace: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *list {
		var b bytes.Buffer
		for _, s := range scenario.Builtin() {
			fmt.Fprintf(&b, "%s\t%s\n", s.Name, s.Description)
		}
		return write(stdout, stderr, b.Bytes())
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "trace: unknown format %q (want text or json)\n", *format)
		return 2
	}
	s, ok := scenario.Lookup(*name)
	if !ok {
		fmt.Fprintf(stderr, "trace: unknown scenario %q (trace -list names them)\n", *name)
		return 2
	}
	runs, err := s.Run()
	if err != nil {
		fmt.Fprintf(stderr, "trace: %v\n", err)
		return 1
	}
	var out []byte
	if *format == "json" {
		out, err = formatJSON(runs)
	} else {
		out, err = formatText(runs)
	}
	if err != nil {
		fmt.Fprintf(stderr, "trace: %v\n", err)
		return 1
	}
	return write(stdout, stderr, out)
}

// formatText returns the text form of runs: each run's header and trace,
// then the matrix.
func formatText(runs []scenario.Run) ([]byte, error) {
	var b bytes.Buffer
	for _, r := range runs {
		fmt.Fprintf(&b, "== %s | %s | %s\n", r.Scenario, r.Flow, r.Settings)
		if err := r.Result.WriteText(&b); err != nil {
			return nil, err
		}
		b.WriteByte('\n')
	}
	b.WriteString("== matrix\n")
	if err := scenario.WriteTable(&b, runs); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
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
		return 1
	}
	return 0
}
