package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestREADME checks that the README shows real output: every ```text
// block that starts with "$ go run ./examples/trace ARGS" must match what
// the command prints. A line "..." in a block skips output lines; other
// lines must follow one another as in the output, and a block that does
// not start with "..." starts at the output's first line. A command that
// ends in "2>&1" shows stdout, then stderr, then "exit status N" when the
// status is not 0, as go run prints them.
func TestREADME(t *testing.T) {
	t.Chdir("../..") // the README's commands run at the repository's root
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	lines := strings.Split(string(readme), "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] != "```text" || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "$ go run ./examples/trace") {
			continue
		}
		args := strings.Fields(strings.TrimPrefix(lines[i+1], "$ go run ./examples/trace"))
		var want []string
		for i += 2; i < len(lines) && lines[i] != "```"; i++ {
			want = append(want, lines[i])
		}
		blocks++
		var stdout, stderr bytes.Buffer
		both := len(args) > 0 && args[len(args)-1] == "2>&1"
		if both {
			args = args[:len(args)-1]
		}
		code := run(args, &stdout, &stderr)
		switch {
		case both:
			stdout.Write(stderr.Bytes())
			if code != 0 {
				fmt.Fprintf(&stdout, "exit status %d\n", code)
			}
		case code != 0:
			t.Errorf("trace %v: exit %d: %s", args, code, stderr.String())
			continue
		}
		if err := matchBlock(strings.Split(stdout.String(), "\n"), want); err != "" {
			t.Errorf("README block for trace %v: %s", args, err)
		}
	}
	if blocks < 3 {
		t.Errorf("found %d README blocks of trace output, want at least 3", blocks)
	}
}

// matchBlock reports how want does not match got, or "".
func matchBlock(got, want []string) string {
	pos, anchored := 0, true
	for len(want) > 0 {
		if want[0] == "..." {
			anchored = false
			want = want[1:]
			continue
		}
		n := 0
		for n < len(want) && want[n] != "..." {
			n++
		}
		seg := want[:n]
		want = want[n:]
		found := -1
		for start := pos; start+len(seg) <= len(got); start++ {
			if equalLines(got[start:start+len(seg)], seg) {
				found = start
				break
			}
			if anchored {
				break
			}
		}
		if found < 0 {
			return "these lines are not in the output in this order:\n" + strings.Join(seg, "\n")
		}
		pos, anchored = found+len(seg), true
	}
	return ""
}

func equalLines(a, b []string) bool {
	for i := range a {
		if strings.TrimRight(a[i], " ") != strings.TrimRight(b[i], " ") {
			return false
		}
	}
	return true
}
