package analysis

import "github.com/mailflowsim/mailflow/internal/enum"

// The package's closed sets are small integers whose text form is a name
// from a table; these give each type its String, MarshalText and
// UnmarshalText (package internal/enum).

func enumString(names []string, v uint8, typ string) string { return enum.String(names, v, typ) }

func enumMarshal(names []string, v uint8, typ string) ([]byte, error) {
	return enum.Marshal("analysis", names, v, typ)
}

func enumUnmarshal(names []string, v *uint8, b []byte, what string) error {
	return enum.Unmarshal("analysis", names, v, b, what)
}
