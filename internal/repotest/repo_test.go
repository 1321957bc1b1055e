// Package repotest checks rules that hold across the whole repository.
package repotest

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/problem"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// root returns the module root.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s", dir)
	}
	return dir
}

// TestPackageDocs requires exactly one package doc comment per package,
// in doc.go (or in the command's main.go).
func TestPackageDocs(t *testing.T) {
	base := root(t)
	err := filepath.WalkDir(base, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); strings.HasPrefix(name, ".") || name == "testdata" {
			return filepath.SkipDir
		}
		entries, err := os.ReadDir(path)
		if err != nil {
			return err
		}
		withDoc := map[string][]string{} // package name → files with a doc comment
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(path, name), nil, parser.ParseComments|parser.PackageClauseOnly)
			if err != nil {
				return err
			}
			pkg := f.Name.Name
			if _, ok := withDoc[pkg]; !ok {
				withDoc[pkg] = nil
			}
			if f.Doc != nil {
				withDoc[pkg] = append(withDoc[pkg], name)
			}
		}
		rel, _ := filepath.Rel(base, path)
		for _, files := range withDoc {
			switch {
			case len(files) == 0:
				t.Errorf("no package doc in %s", rel)
			case len(files) > 1:
				t.Errorf("multiple files with package doc in %s: %v", rel, files)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testOnly are modules that library code must not import (DEVELOPERS.md:
// go-cmp and testify are for tests).
var testOnly = []string{"github.com/google/go-cmp", "github.com/stretchr/testify"}

// testHelpers are packages that exist for tests and may import them.
var testHelpers = map[string]bool{
	"github.com/mailflowsim/mailflow/internal/testopts":     true,
	"github.com/mailflowsim/mailflow/scenario/scenariotest": true,
}

// TestDependencies keeps test-only modules out of the library's builds.
func TestDependencies(t *testing.T) {
	list := func(args ...string) []string {
		cmd := exec.Command("go", append([]string{"list"}, args...)...)
		cmd.Dir = root(t)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %v: %v", args, err)
		}
		return strings.Fields(string(out))
	}
	var pkgs []string
	for _, p := range list("./...") {
		if !testHelpers[p] {
			pkgs = append(pkgs, p)
		}
	}
	for _, dep := range list(append([]string{"-deps"}, pkgs...)...) {
		for _, bad := range testOnly {
			if strings.HasPrefix(dep, bad) {
				t.Errorf("a non-test package depends on %s", dep)
			}
		}
	}
}

// TestNoReasonParsing: a Reason is for people. No code, tests included,
// reads one back with the strings, regexp or fmt scanning functions: what
// a program needs of a trace is a typed field.
func TestNoReasonParsing(t *testing.T) {
	base := root(t)
	readers := map[string]bool{"strings": true, "regexp": true, "bytes": true, "fmt": true}
	err := filepath.WalkDir(base, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); strings.HasPrefix(name, ".") || name == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || filepath.Base(path) == "repo_test.go" {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || !readers[pkg.Name] || pkg.Name == "fmt" && !strings.HasPrefix(sel.Sel.Name, "Sscan") {
				return true
			}
			for _, arg := range call.Args {
				ast.Inspect(arg, func(m ast.Node) bool {
					if s, ok := m.(*ast.SelectorExpr); ok && s.Sel.Name == "Reason" {
						rel, _ := filepath.Rel(base, path)
						t.Errorf("%s:%d: %s.%s reads a Reason; assert a typed field instead", rel, fset.Position(call.Pos()).Line, pkg.Name, sel.Sel.Name)
					}
					return true
				})
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOneProblemType: every validation and load problem is the same type,
// whichever package reports it.
func TestOneProblemType(t *testing.T) {
	var (
		_ connector.Problem = problem.Problem{}
		_ topology.Problem  = problem.Problem{}
		_ scenario.Problem  = problem.Problem{}
	)
	_, err := topology.Build(topology.Spec{Tenants: []topology.TenantSpec{{Name: ""}}})
	var verr *topology.ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) == 0 {
		t.Fatalf("Build error %v is not a ValidationError with problems", err)
	}
	_, _, err = scenario.Load(strings.NewReader(`{"Tenants": [{"Name": 1}]}`))
	var lerr *scenario.LoadError
	if !errors.As(err, &lerr) || len(lerr.Problems) == 0 {
		t.Fatalf("Load error %v is not a LoadError with problems", err)
	}
	if fmt.Sprintf("%T", verr.Problems[0]) != fmt.Sprintf("%T", lerr.Problems[0]) {
		t.Errorf("Build reports %T, Load %T", verr.Problems[0], lerr.Problems[0])
	}
	in := connector.Inbound{}
	if ps := in.Validate(); len(ps) == 0 || fmt.Sprintf("%T", ps[0]) != fmt.Sprintf("%T", verr.Problems[0]) {
		t.Errorf("Inbound.Validate reports %T", ps)
	}
	empty, err := topology.Build(topology.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = route.Trace(empty, route.Message{})
	var merr *route.MessageError
	if !errors.As(err, &merr) || fmt.Sprintf("%T", merr.Problems[0]) != fmt.Sprintf("%T", verr.Problems[0]) {
		t.Errorf("Trace error %v is not a MessageError of the same problems", err)
	}
}

// TestNoExportedEmbedding: no exported struct type of the library embeds
// an exported type, whose methods and fields would be promoted with a
// meaning they do not have for the outer type (a TransportRule embedding
// Predicates made IsZero say "no conditions" of a whole rule; a File
// embedding topology.Spec made File.Clone return a Spec). A struct whose
// keys in a topology file are another's is tagged `mailflow:"inline"`
// instead.
func TestNoExportedEmbedding(t *testing.T) {
	base := root(t)
	err := filepath.WalkDir(base, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || !ts.Name.IsExported() {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fl := range st.Fields.List {
				if len(fl.Names) > 0 {
					continue
				}
				typ := fl.Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				var name string
				switch x := typ.(type) {
				case *ast.Ident:
					name = x.Name
				case *ast.SelectorExpr:
					name = x.Sel.Name
				}
				if ast.IsExported(name) {
					rel, _ := filepath.Rel(base, path)
					t.Errorf("%s: %s embeds %s: name the field", rel, ts.Name.Name, name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoOutsideCitations: comments and messages cite Microsoft's documents
// by title, or docs/behaviour.md, never a file outside the module that a
// reader cannot open. No Go file may mention the project's Exchange
// reference or cite it by section sign.
func TestNoOutsideCitations(t *testing.T) {
	base := root(t)
	// Spelled so that this file does not match itself.
	needles := []string{"\u00a7", "exchange-" + "reference"}
	err := filepath.WalkDir(base, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); strings.HasPrefix(name, ".") || name == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, err := filepath.Rel(base, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			for _, n := range needles {
				if strings.Contains(line, n) {
					t.Errorf("%s:%d: cites %q; cite Microsoft's page by title, or docs/behaviour.md", rel, i+1, n)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBehaviourLinks: every link to docs/behaviour.md in a Go file names
// a heading the document has (GitHub's anchors: lower case, spaces to
// hyphens, other punctuation dropped).
func TestBehaviourLinks(t *testing.T) {
	base := root(t)
	doc, err := os.ReadFile(filepath.Join(base, "docs", "behaviour.md"))
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for line := range strings.SplitSeq(string(doc), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			anchors[anchor(h)] = true
		}
	}
	link := regexp.MustCompile(`docs/behaviour\.md#([a-z0-9-]+)`)
	err = filepath.WalkDir(base, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			if !anchors[m[1]] {
				rel, _ := filepath.Rel(base, path)
				t.Errorf("%s links to docs/behaviour.md#%s, which has no such heading", rel, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// anchor returns GitHub's anchor for a Markdown heading.
func anchor(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// layers ranks the library's packages: a package imports only packages of
// a lower rank (connector ← topology ← route ← its renderers and analysis
// ← scenario ← the importer and test kit ← examples; internal/ below all).
var layers = map[string]int{
	"internal/problem": 0, "internal/topoview": 0, "internal/smtp": 0, "internal/enum": 0, "internal/diagram": 0, "internal/fields": 0, "internal/textenc": 0, "internal/jsonscan": 0, "internal/benchdata": 6,
	"connector": 1, "topology/dns": 1,
	"topology": 2, "route/auth": 2,
	"route":             3,
	"route/analysis":    4,
	"route/render":      4,
	"scenario":          5,
	"scenario/exchange": 6, "scenario/exchange/internal/clixml": 0, "scenario/scenariotest": 6,
	"examples/trace": 7, "examples/mx-cutover": 7, "examples/module": 7, "": 7,
	"internal/repotest": 8, // the repository's own checks
}

// TestLayers: the dependencies point one way, and nothing imports upward
// (the renderers and the analysis import route, never the reverse).
func TestLayers(t *testing.T) {
	const module = "github.com/mailflowsim/mailflow"
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	cmd.Dir = root(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	rel := func(p string) string { return strings.TrimPrefix(strings.TrimPrefix(p, module), "/") }
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		pkg := rel(f[0])
		if testHelpers[f[0]] {
			continue
		}
		rank, ok := layers[pkg]
		if !ok {
			t.Errorf("package %q has no layer: add it to layers", pkg)
			continue
		}
		for _, imp := range f[1:] {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			if r, ok := layers[rel(imp)]; ok && r >= rank && !(r == 0 && rank == 0) {
				t.Errorf("%s (layer %d) imports %s (layer %d)", pkg, rank, rel(imp), r)
			}
		}
	}
}
