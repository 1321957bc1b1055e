package scenario_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/scenario"
	"github.com/stretchr/testify/require"
)

// TestDuplicateKeysInLargeObject: a duplicate key is found in an object
// with many keys (a map of expectations), and in a nested list, with the
// paths of both.
func TestDuplicateKeysInLargeObject(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Settings": {`)
	for i := range 100 {
		fmt.Fprintf(&b, `"k%d": %d, `, i, i)
	}
	b.WriteString(`"K50": "again"}, "Tenants": [{"Name": "contoso", "AcceptedDomains": [{"DomainName": "contoso.com", "domainname": "x.com"}]}]}`)
	_, _, err := scenario.Load(strings.NewReader(b.String()))
	require.ErrorContains(t, err, "Settings.K50: duplicate key: Settings.k50 is the same key (keys match ignoring case)")
	require.ErrorContains(t, err, "Tenants[0].AcceptedDomains[0].domainname: duplicate key: Tenants[0].AcceptedDomains[0].DomainName is the same key")
}

// TestHostileKeys: keys that take time to report take time in proportion
// to the file: one key given 50,000 times with a bad value (each value
// replaces the one before), a rule with a thousand spellings of two of
// its exception keys, and an unknown key of a megabyte.
func TestHostileKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Tenants": [{"Name": "contoso"`)
	for range 50000 {
		b.WriteString(`, "HopLimit": "x"`)
	}
	b.WriteString(`}]}`)
	_, _, err := scenario.Load(strings.NewReader(b.String()))
	require.ErrorContains(t, err, `Tenants[0].HopLimit: "x" is not a whole number`)
	require.Equal(t, 1, strings.Count(err.Error(), "is not a whole number"), "only the last value counts")

	b.Reset()
	b.WriteString(`{"Tenants": [{"Name": "contoso", "TransportRules": [{"Name": "r"`)
	for i := range 1000 {
		fmt.Fprintf(&b, `, "%s": null, "%s": null`, spelling("ExceptIf", i), spelling("ExceptIfFrom", i))
	}
	b.WriteString(`}]}]}`)
	_, _, err = scenario.Load(strings.NewReader(b.String()))
	require.ErrorContains(t, err, "Tenants[0].TransportRules[0].ExceptIfFrom: Tenants[0].TransportRules[0].ExceptIf sets the same exceptions")

	_, _, err = scenario.Load(strings.NewReader(`{"` + strings.Repeat("x", 1<<20) + `": 1}`))
	require.ErrorContains(t, err, "unknown field")
}

// spelling returns s with the case of its letters flipped where the bits
// of i say.
func spelling(s string, i int) string {
	b := []byte(s)
	for j := range b {
		if i>>j&1 == 1 {
			b[j] ^= 'a' - 'A'
		}
	}
	return string(b)
}
