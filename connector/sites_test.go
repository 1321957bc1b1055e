package connector_test

import (
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/stretchr/testify/require"
)

// "Connector selection in external message routing": among equally
// specific address spaces, the lowest aggregate cost (address space cost
// plus site-link cost to the source servers) wins, then the nearest source
// servers, then the lowest name; connectors out of reach drop out.
func TestSendTableLookupFrom(t *testing.T) {
	conns := []connector.Send{
		{Name: "A Remote", AddressSpaces: []string{"*;1"}},                // reached across a site link of cost 10
		{Name: "B Local", AddressSpaces: []string{"*;5"}},                 // local
		{Name: "C Scoped", AddressSpaces: []string{"*;1"}},                // out of reach
		{Name: "D Specific", AddressSpaces: []string{"fabrikam.com;100"}}, // most specific wins whatever its cost
	}
	table := connector.NewSendTable(conns)
	reach := map[int]connector.Reach{
		0: {Site: "London", SiteCost: 10, Proximity: connector.RemoteSite},
		1: {Site: "Paris", Proximity: connector.LocalServer},
		3: {Site: "Tokyo", SiteCost: 40, Proximity: connector.RemoteSite},
	}
	from := connector.Origin{Server: "PAR01", Reach: func(i int) (connector.Reach, bool) { r, ok := reach[i]; return r, ok }}
	sel, ok := table.LookupFrom("contoso.com", false, from, 0)
	require.True(t, ok)
	require.Equal(t, "B Local", conns[sel.Index].Name, "5 + 0 beats 1 + 10; C is out of reach")
	require.Equal(t, 5, sel.Cost)
	require.True(t, sel.Local)

	sel, _ = table.LookupFrom("fabrikam.com", false, from, 0)
	require.Equal(t, "D Specific", conns[sel.Index].Name)
	require.Equal(t, connector.Reach{Site: "Tokyo", SiteCost: 40, Proximity: connector.RemoteSite}, sel.Reach)
	require.Equal(t, 140, sel.Cost)

	// A cheaper site path turns the choice round.
	reach[0] = connector.Reach{Site: "London", SiteCost: 3, Proximity: connector.RemoteSite}
	sel, _ = table.LookupFrom("contoso.com", false, from, 0)
	require.Equal(t, "A Remote", conns[sel.Index].Name, "1 + 3 beats 5 + 0")
	require.False(t, sel.Local)

	// Equal aggregate cost: the nearer source servers win over the name.
	reach[0] = connector.Reach{Site: "London", SiteCost: 4, Proximity: connector.RemoteSite}
	sel, _ = table.LookupFrom("contoso.com", false, from, 0)
	require.Equal(t, "B Local", conns[sel.Index].Name, "5 = 1 + 4: the local server wins though A's name is lower")
	reach[1] = connector.Reach{Site: "Paris", Proximity: connector.RemoteSite}
	sel, _ = table.LookupFrom("contoso.com", false, from, 0)
	require.Equal(t, "A Remote", conns[sel.Index].Name, "equal cost and proximity: the lowest name")

	// Nothing reachable: no connector.
	none := connector.Origin{Server: "X", Reach: func(int) (connector.Reach, bool) { return connector.Reach{}, false }}
	_, ok = table.LookupFrom("contoso.com", false, none, 0)
	require.False(t, ok)
}
