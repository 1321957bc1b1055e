package analysis

import (
	"fmt"
	"strings"
)

// The package's closed sets (Aspect, Rule) are small integers whose text
// form is a name from a table; index 0 is the invalid zero value. These
// helpers give each type its String, MarshalText and UnmarshalText.

func enumString(names []string, v uint8, typ string) string {
	if v > 0 && int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, v)
}

func enumMarshal(names []string, v uint8, typ string) ([]byte, error) {
	if v == 0 || int(v) >= len(names) {
		return nil, fmt.Errorf("analysis: cannot marshal %s(%d)", typ, v)
	}
	return []byte(names[v]), nil
}

// enumUnmarshal reads a name, ignoring case, as PowerShell does.
func enumUnmarshal(names []string, v *uint8, b []byte, what string) error {
	for i := 1; i < len(names); i++ {
		if strings.EqualFold(names[i], string(b)) {
			*v = uint8(i)
			return nil
		}
	}
	return fmt.Errorf("analysis: %q is not a %s (%s)", b, what, strings.Join(names[1:], ", "))
}
