package topology

import (
	"errors"

	"github.com/mailflowsim/mailflow/internal/problem"
)

// ErrInvalid is matched by errors.Is for every error [Build] returns.
var ErrInvalid = errors.New("topology: invalid spec")

// Problem is one thing wrong with a [Spec]: Path names the object by its
// path and name, so that it does not depend on the order of the Spec
// (`Tenants["contoso"]`, `OnPremises["contoso"].SendConnectors["To
// Internet"]`); Field is the property, with an index for list entries
// ("EmailAddresses[1]"), empty when the problem is the object itself;
// Message says what is wrong, quoting the value. It is the same type as
// connector.Problem and scenario.Problem.
type Problem = problem.Problem

// ValidationError is the error [Build] returns: every problem of the Spec,
// sorted by object, field and message.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems, one per line.
func (e *ValidationError) Error() string { return problem.List("topology", e.Problems) }

// Is reports whether target is [ErrInvalid].
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

type problems []Problem

func (ps *problems) add(object, field, message string) {
	*ps = append(*ps, Problem{Path: object, Field: field, Message: message})
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: problem.Sort(ps)}
}
