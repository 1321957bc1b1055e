package topology

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// ErrInvalid is matched by errors.Is for every error [Build] returns.
var ErrInvalid = errors.New("topology: invalid spec")

// Problem is one thing wrong with a [Spec]: the object, the field and what
// is wrong with it.
type Problem struct {
	// Object names the object by its path and name, so that the name does
	// not depend on the order of the Spec: `Tenants["contoso"]`,
	// `OnPremises["contoso"].SendConnectors["To Internet"]`.
	Object string
	// Field is the property, with an index for list entries:
	// "EmailAddresses[1]"; empty when the problem is the object itself.
	Field string
	// Message says what is wrong, quoting the value.
	Message string
}

// Error returns "Object.Field: Message".
func (p Problem) Error() string {
	if p.Field == "" {
		return p.Object + ": " + p.Message
	}
	return p.Object + "." + p.Field + ": " + p.Message
}

func compareProblems(a, b Problem) int {
	return cmp.Or(strings.Compare(a.Object, b.Object), compareField(a.Field, b.Field), strings.Compare(a.Message, b.Message))
}

// compareField orders "X[2]" before "X[10]".
func compareField(a, b string) int {
	ai, bi := strings.IndexByte(a, '['), strings.IndexByte(b, '[')
	if ai > 0 && bi > 0 && a[:ai] == b[:bi] {
		an, aerr := strconv.Atoi(strings.TrimSuffix(a[ai+1:], "]"))
		bn, berr := strconv.Atoi(strings.TrimSuffix(b[bi+1:], "]"))
		if aerr == nil && berr == nil {
			return cmp.Compare(an, bn)
		}
	}
	return strings.Compare(a, b)
}

// ValidationError is the error [Build] returns: every problem of the Spec,
// sorted by object, field and message.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems, one per line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("topology: ")
	if len(e.Problems) == 1 {
		b.WriteString("1 problem:")
	} else {
		b.WriteString(strconv.Itoa(len(e.Problems)))
		b.WriteString(" problems:")
	}
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Is reports whether target is [ErrInvalid].
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

type problems []Problem

func (ps *problems) add(object, field, message string) {
	*ps = append(*ps, Problem{object, field, message})
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	slices.SortFunc(ps, compareProblems)
	ps = slices.Compact(ps)
	return &ValidationError{Problems: ps}
}
