// Package enum gives mailflow's closed sets their text forms. A closed set
// (route's Event, Stage, Verdict…; analysis's Rule, Aspect) is a small
// integer whose text is a name from a table in which index 0 is the
// invalid zero value.
package enum

import (
	"fmt"
	"strings"
)

// String returns the name of v, or "typ(v)" for a value outside names.
func String(names []string, v uint8, typ string) string {
	if v > 0 && int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, v)
}

// Marshal returns the name of v; the zero value and values outside names
// are errors, prefixed with pkg ("route").
func Marshal(pkg string, names []string, v uint8, typ string) ([]byte, error) {
	if v == 0 || int(v) >= len(names) {
		return nil, fmt.Errorf("%s: cannot marshal %s(%d)", pkg, typ, v)
	}
	return []byte(names[v]), nil
}

// Unmarshal sets *v to the value named b, ignoring case as PowerShell
// does; an unknown name is an error, prefixed with pkg, that lists the
// names of what.
func Unmarshal(pkg string, names []string, v *uint8, b []byte, what string) error {
	for i := 1; i < len(names); i++ {
		if strings.EqualFold(names[i], string(b)) {
			*v = uint8(i)
			return nil
		}
	}
	return fmt.Errorf("%s: %q is not a %s (%s)", pkg, b, what, strings.Join(names[1:], ", "))
}

// Canonical returns the value among values that s names, ignoring case
// as PowerShell does ("authoritative" is Authoritative), or s unchanged
// when it names none, for validation to report as it was written.
func Canonical[T ~string](s string, values ...T) T {
	for _, v := range values {
		if strings.EqualFold(string(v), s) {
			return v
		}
	}
	return T(s)
}
