package mailflow_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// fence returns the body of the first fenced block of the given language
// after the heading in the README.
func fence(t *testing.T, readme, heading, lang string, n int) string {
	t.Helper()
	i := strings.Index(readme, heading)
	require.GreaterOrEqual(t, i, 0, "README has no %q", heading)
	rest := readme[i:]
	for ; n >= 0; n-- {
		j := strings.Index(rest, "```"+lang+"\n")
		require.GreaterOrEqual(t, j, 0, "README has no %s block after %q", lang, heading)
		rest = rest[j+len("```"+lang+"\n"):]
	}
	body, _, ok := strings.Cut(rest, "```\n")
	require.True(t, ok)
	return body
}

// funcBody returns the source of the function name in file: its whole
// declaration, or with body set the statements inside it, unindented once,
// up to a line "// Output:".
func funcBody(t *testing.T, file, name string, body bool) string {
	t.Helper()
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	s := string(src)
	i := strings.Index(s, "\nfunc "+name+"(")
	require.GreaterOrEqual(t, i, 0, "%s has no func %s", file, name)
	s = s[i+1:]
	end := strings.Index(s, "\n}\n")
	s = s[:end+3]
	if !body {
		return s
	}
	s = s[strings.Index(s, "{\n")+2:]
	if j := strings.Index(s, "\t// Output:"); j >= 0 {
		s = s[:j]
	} else {
		s = strings.TrimSuffix(s, "}\n")
	}
	var out []string
	for l := range strings.SplitSeq(strings.TrimSuffix(s, "\n"), "\n") {
		out = append(out, strings.TrimPrefix(l, "\t"))
	}
	return strings.Join(out, "\n") + "\n"
}

// output returns an Example's "// Output:" lines.
func output(t *testing.T, file, name string) string {
	t.Helper()
	src := funcBody(t, file, name, false)
	_, out, ok := strings.Cut(src, "\t// Output:\n")
	require.True(t, ok)
	var lines []string
	for l := range strings.SplitSeq(strings.TrimSuffix(out, "}\n"), "\n") {
		if l == "" {
			continue
		}
		lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, "\t//"), " "))
	}
	return strings.Join(lines, "\n") + "\n"
}

// file returns the content of file.
func file(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(data)
}

// TestREADMECode: the README's Go code and the output it shows are the
// code the tests run: the root Example and scenariotest's TestHybridPolicy.
func TestREADMECode(t *testing.T) {
	data, err := os.ReadFile("README.md")
	require.NoError(t, err)
	readme := string(data)
	for _, tt := range []struct {
		name, got, want string
	}{
		{"Example code", fence(t, readme, "## The library in a few lines", "go", 0), funcBody(t, "example_test.go", "Example", true)},
		{"Example output", fence(t, readme, "## The library in a few lines", "text", 0), output(t, "example_test.go", "Example")},
		{"TestHybridPolicy", fence(t, readme, "## Routing-policy tests in Go", "go", 0), funcBody(t, "scenario/scenariotest/scenariotest_test.go", "TestHybridPolicy", false)},
		{"examples/module", fence(t, readme, "## Use it from your module", "go", 0), file(t, "examples/module/main.go")},
		{"examples/module output", fence(t, readme, "## Use it from your module", "text", 1), output(t, "examples/module/main_test.go", "Example")},
	} {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("README's %s differs from the code (-code +README):\n%s", tt.name, diff)
		}
	}
}
