// Package problem defines the one type mailflow reports every validation
// and load problem with. Packages connector, topology and scenario name it
// Problem (type aliases), so that a program handles a Build error, a
// topology file's load error and a connector's validation alike.
package problem

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong with an input: where, which field, and what
// is wrong with it.
type Problem struct {
	// Path names where: an object of a topology by its path and name, so
	// that it does not depend on the Spec's order
	// (`OnPremises["contoso"].SendConnectors["To Internet"]`), or a value
	// of a topology file by its JSON path
	// ("Tenants[0].InboundConnectors[2].SenderIPAddresses[0]"); "" for an
	// object checked on its own (a connector's Validate).
	Path string
	// Field is the property of the object at Path, with an index for list
	// entries ("EmailAddresses[1]"); "" when the problem is the value at
	// Path itself.
	Field string
	// Message says what is wrong, quoting the value.
	Message string
}

// Where returns the path and the field joined: "Path.Field", or the one
// that is set.
func (p Problem) Where() string {
	switch {
	case p.Field == "":
		return p.Path
	case p.Path == "":
		return p.Field
	}
	return p.Path + "." + p.Field
}

// Error returns "Where: Message", or the message alone when there is no
// where.
func (p Problem) Error() string {
	if w := p.Where(); w != "" {
		return w + ": " + p.Message
	}
	return p.Message
}

// Compare orders problems by path, field and message, an index in
// brackets compared as a number ("X[2]" before "X[10]"). It is a total
// order.
func Compare(a, b Problem) int {
	return cmp.Or(comparePath(a.Path, b.Path), comparePath(a.Field, b.Field), strings.Compare(a.Message, b.Message))
}

// comparePath compares two paths element by element, indexes as numbers.
func comparePath(a, b string) int {
	for a != "" && b != "" {
		ae, arest := next(a)
		be, brest := next(b)
		if c := compareElem(ae, be); c != 0 {
			return c
		}
		a, b = arest, brest
	}
	return cmp.Compare(len(a), len(b))
}

// next splits off a path's first element: "X", "[3]" or ".Y".
func next(p string) (elem, rest string) {
	end := strings.IndexAny(p[1:], ".[")
	if end < 0 {
		return p, ""
	}
	return p[:end+1], p[end+1:]
}

func compareElem(a, b string) int {
	if strings.HasPrefix(a, "[") && strings.HasPrefix(b, "[") {
		an, aerr := strconv.Atoi(strings.Trim(a, "[]"))
		bn, berr := strconv.Atoi(strings.Trim(b, "[]"))
		if aerr == nil && berr == nil {
			return cmp.Compare(an, bn)
		}
	}
	return strings.Compare(a, b)
}

// Sort sorts problems with Compare and drops duplicates.
func Sort(ps []Problem) []Problem {
	slices.SortFunc(ps, Compare)
	return slices.Compact(ps)
}

// List writes problems one per line after a prefix: "pkg: N problems:".
func List(prefix string, ps []Problem) string {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(len(ps)))
	if len(ps) == 1 {
		b.WriteString(" problem:")
	} else {
		b.WriteString(" problems:")
	}
	for _, p := range ps {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}
