package repotest

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var updateAPI = flag.Bool("update", false, "rewrite testdata/api.txt from go doc")

// TestAPI records the exported API of every public package in
// testdata/api.txt, as `go doc -all` prints it, so that a change to the
// API is a visible diff in review. After an intended change, run
//
//	go test ./internal/repotest -run TestAPI -update
func TestAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go doc for every package")
	}
	base := root(t)
	list := exec.Command("go", "list", "-f", "{{if ne .Name \"main\"}}{{.ImportPath}}{{end}}", "./...")
	list.Dir = base
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var got bytes.Buffer
	for pkg := range strings.FieldsSeq(string(out)) {
		if strings.Contains(pkg+"/", "/internal/") {
			continue
		}
		doc := exec.Command("go", "doc", "-all", pkg)
		doc.Dir = base
		b, err := doc.Output()
		if err != nil {
			t.Fatalf("go doc -all %s: %v", pkg, err)
		}
		got.WriteString("==== " + pkg + "\n")
		got.Write(b)
	}
	file := filepath.Join(base, "testdata", "api.txt")
	if *updateAPI {
		if err := os.WriteFile(file, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/repotest -run TestAPI -update)", err)
	}
	if !bytes.Equal(want, got.Bytes()) {
		t.Errorf("the exported API differs from testdata/api.txt:\n%s\nIf the change is intended, run go test ./internal/repotest -run TestAPI -update and review the diff.",
			firstDifference(string(want), got.String()))
	}
}

// firstDifference returns the lines around the first line where want and
// got differ.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n- " + wl + "\n+ " + gl
		}
	}
	return ""
}
