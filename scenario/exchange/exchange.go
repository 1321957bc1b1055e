package exchange

import (
	"io/fs"
	"path"
	"strings"

	"github.com/mailflowsim/mailflow/scenario"
)

// Options are settings of an import that the exports cannot carry. The
// zero Options is what [Import] and [ImportFS] use.
type Options struct {
	// Tenant names the Exchange Online organization ("contoso" for
	// contoso.onmicrosoft.com) when the exports do not: no
	// "*.onmicrosoft.com" domain, OrganizationId or routing address names
	// it. Empty, such a tenant is named after its first accepted domain,
	// with a note. When the exports name the tenant, they win and a
	// different Tenant is noted.
	Tenant string
}

// ImportFS imports the Exchange configuration exports at the root of fsys:
// every regular file whose name ends in ".xml" or ".json" (any case), in
// name order, each read as [Import] reads one. Objects of all the files
// make one [scenario.File]. A file that cannot be read, does not parse or
// holds no object of a cmdlet the library reads is skipped with a note
// (its path, then why); only when no file is left does ImportFS return a
// *[scenario.LoadError] listing them.
func ImportFS(fsys fs.FS) (*scenario.File, []scenario.Problem, error) {
	return Options{}.ImportFS(fsys)
}

// ImportFS is [ImportFS] with the options o.
func (o Options) ImportFS(fsys fs.FS) (*scenario.File, []scenario.Problem, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, nil, err
	}
	var files []export
	var errs []scenario.Problem
	for _, e := range entries { // fs.ReadDir sorts by name
		ext := strings.ToLower(path.Ext(e.Name()))
		if !e.Type().IsRegular() || ext != ".xml" && ext != ".json" {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			errs = append(errs, scenario.Problem{Path: e.Name(), Message: err.Error()})
			continue
		}
		f, err := parse(e.Name(), data)
		if err != nil {
			errs = append(errs, scenario.Problem{Path: e.Name(), Message: err.Error()})
			continue
		}
		files = append(files, f)
	}
	if len(files) == 0 && len(errs) > 0 {
		return nil, nil, &scenario.LoadError{Problems: errs}
	}
	// A file that is not an export of a cmdlet the library reads, or that
	// does not parse, is skipped with a note: it never sinks the others.
	skipped := make([]scenario.Problem, len(errs))
	for i, p := range errs {
		skipped[i] = scenario.Problem{Path: p.Path, Message: "skipped: " + p.Message}
	}
	file, problems := assemble(files, o)
	return file, append(skipped, problems...), nil
}

// Import imports one Exchange configuration export, named name, into a
// [scenario.File], with a note for every property it did not import: see
// the package documentation for what it reads, where each object goes
// and the notes. Malformed XML or JSON, or a file that is not an export
// (not CLIXML or JSON objects, or objects none of which comes from a
// supported cmdlet), give a *[scenario.LoadError] naming the file and the
// position; Import never panics.
func Import(name string, data []byte) (*scenario.File, []scenario.Problem, error) {
	return Options{}.Import(name, data)
}

// Import is [Import] with the options o.
func (o Options) Import(name string, data []byte) (*scenario.File, []scenario.Problem, error) {
	f, err := parse(name, data)
	if err != nil {
		return nil, nil, &scenario.LoadError{Problems: []scenario.Problem{{Path: name, Message: err.Error()}}}
	}
	file, problems := assemble([]export{f}, o)
	return file, problems, nil
}
