package main

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestREADME checks that the README shows real output: every ```text
// block that starts with "$ go run ./examples/trace ARGS" is the exact,
// complete output of the command, or its first lines followed by a last
// line "..."; a "..." anywhere else is refused. A command that ends in
// "2>&1" shows stdout, then stderr, then "exit status N" when the status
// is not 0, as go run prints them. With -update it rewrites each block
// from its command's output, keeping a block that ends in "..." as long
// as it is: the paragraphs around the blocks are written by hand.
func TestREADME(t *testing.T) {
	t.Chdir("../..") // the README's commands run at the repository's root
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	lines := strings.Split(string(readme), "\n")
	var rewritten []string
	for i := 0; i < len(lines); i++ {
		rewritten = append(rewritten, lines[i])
		if lines[i] != "```text" || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "$ go run ./examples/trace") {
			continue
		}
		rewritten = append(rewritten, lines[i+1])
		args := strings.Fields(strings.TrimPrefix(lines[i+1], "$ go run ./examples/trace"))
		var want []string
		for i += 2; i < len(lines) && lines[i] != "```"; i++ {
			want = append(want, lines[i])
		}
		if i < len(lines) {
			i-- // the closing fence is copied by the loop
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
		got := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
		if *update {
			if n := len(want) - 1; n >= 0 && want[n] == "..." && n < len(got) {
				got = append(got[:n:n], "...")
			}
			for _, l := range got {
				rewritten = append(rewritten, strings.TrimRight(l, " "))
			}
			continue
		}
		if err := matchBlock(got, want); err != "" {
			t.Errorf("README block for trace %v: %s", args, err)
		}
	}
	if *update {
		if err := os.WriteFile("README.md", []byte(strings.Join(rewritten, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if blocks < 3 {
		t.Errorf("found %d README blocks of trace output, want at least 3", blocks)
	}
}

// matchBlock reports how want does not match got, or "": want is all of
// got, or its first lines and then a line "...".
func matchBlock(got, want []string) string {
	prefix := len(want) > 0 && want[len(want)-1] == "..."
	if prefix {
		want = want[:len(want)-1]
	}
	if i := slices.Index(want, "..."); i >= 0 {
		return fmt.Sprintf("line %d is \"...\": a block is the whole output, or its first lines and a last line \"...\"", i+2)
	}
	if !prefix && len(got) != len(want) || len(got) < len(want) {
		return fmt.Sprintf("the output has %d lines, the block %d (end the block with \"...\" to show the first lines only)", len(got), len(want))
	}
	for i := range want {
		if strings.TrimRight(got[i], " ") != strings.TrimRight(want[i], " ") {
			return fmt.Sprintf("line %d differs:\n  output: %s\n  README: %s", i+2, got[i], want[i])
		}
	}
	return ""
}

func TestMatchBlock(t *testing.T) {
	got := []string{"a", "b", "c"}
	tests := []struct {
		want []string
		ok   bool
	}{
		{[]string{"a", "b", "c"}, true},
		{[]string{"a", "b", "..."}, true},
		{[]string{"..."}, true},
		{[]string{"a", "b"}, false},
		{[]string{"a", "...", "c"}, false},
		{[]string{"...", "c"}, false},
		{[]string{"a", "x", "..."}, false},
		{[]string{"a", "b", "c", "d"}, false},
	}
	for _, tt := range tests {
		if err := matchBlock(got, tt.want); (err == "") != tt.ok {
			t.Errorf("matchBlock(%q, %q) = %q, want ok %v", got, tt.want, err, tt.ok)
		}
	}
}
