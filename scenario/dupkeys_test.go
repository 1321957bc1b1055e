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
