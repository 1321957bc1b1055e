package topology_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// TestRemoteDomainMatch: the most specific remote domain applies to a
// recipient domain: exact, then the longest "*." domain (which covers the
// domain itself), then "*"; an unset AutoForwardEnabled reads as $true,
// except for an on-premises organization's Default remote domain
// ("Set-RemoteDomain").
func TestRemoteDomainMatch(t *testing.T) {
	spec := minimalSpec()
	remote := []topology.RemoteDomain{
		{Name: "Default", DomainName: "*"},
		{Name: "Fabrikam", DomainName: "*.fabrikam.com", AutoForwardEnabled: connector.False},
		{Name: "Sales", DomainName: "*.sales.fabrikam.com", AutoForwardEnabled: connector.True},
		{Name: "Exact", DomainName: "Eu.Sales.Fabrikam.com", AutoForwardEnabled: connector.False},
	}
	spec.Tenants[0].RemoteDomains = remote
	spec.OnPremises[0].RemoteDomains = remote
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	x, _ := topo.Tenant("contoso")
	o, _ := topo.OnPremisesOrg("contoso")
	tests := []struct {
		domain   string
		want     string
		tenantFw bool // AutoForwardEnabled in the tenant
		onPremFw bool // and on-premises
	}{
		{"cpandl.com", "Default", true, false},
		{"fabrikam.com", "Fabrikam", false, false},
		{"mail.fabrikam.com", "Fabrikam", false, false},
		{"sales.fabrikam.com", "Sales", true, true},
		{"us.sales.fabrikam.com", "Sales", true, true},
		{"eu.sales.fabrikam.com", "Exact", false, false},
		{"EU.SALES.FABRIKAM.COM", "Exact", false, false},
		{"notfabrikam.com", "Default", true, false},
	}
	for _, tt := range tests {
		r, ok := x.RemoteDomain(tt.domain)
		require.True(t, ok, tt.domain)
		require.Equal(t, tt.want, r.Name, tt.domain)
		require.Equal(t, tt.tenantFw, r.AutoForwardEnabled.Bool(false), "tenant: %s", tt.domain)
		r, ok = o.RemoteDomain(tt.domain)
		require.True(t, ok, tt.domain)
		require.Equal(t, tt.want, r.Name, tt.domain)
		require.Equal(t, tt.onPremFw, r.AutoForwardEnabled.Bool(true), "on-premises: %s", tt.domain)
	}
	var names []string
	for r := range x.RemoteDomains() {
		names = append(names, r.DomainName)
	}
	require.Equal(t, []string{"*", "*.fabrikam.com", "*.sales.fabrikam.com", "Eu.Sales.Fabrikam.com"}, names)

	// Without "*", a domain no remote domain covers has none.
	spec.Tenants[0].RemoteDomains = remote[1:2]
	topo, err = topology.Build(spec)
	require.NoError(t, err)
	x, _ = topo.Tenant("contoso")
	_, ok := x.RemoteDomain("cpandl.com")
	require.False(t, ok)
	require.Equal(t, 1, len(slices.Collect(x.RemoteDomains())))
}

// TestRemoteDomainInvalid: Build refuses a DomainName that is not "*", a
// domain or "*." and a domain, and a domain declared twice (ignoring
// case).
func TestRemoteDomainInvalid(t *testing.T) {
	spec := minimalSpec()
	spec.Tenants[0].RemoteDomains = []topology.RemoteDomain{
		{Name: "Default", DomainName: "*"},
		{Name: "Twice", DomainName: "contoso.example"},
		{Name: "Again", DomainName: "Contoso.Example"},
		{Name: "Embedded", DomainName: "a.*.example"},
		{Name: "Accepted", DomainName: "--"},
	}
	spec.OnPremises[0].RemoteDomains = []topology.RemoteDomain{{Name: "Empty"}, {Name: "Star", DomainName: "*"}, {Name: "Star again", DomainName: "*"}}
	_, err := topology.Build(spec)
	var ve *topology.ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	want := []topology.Problem{
		{Path: objO, Field: `RemoteDomains[""].DomainName`, Message: `"" is not "*", a domain or "*." and a domain`},
		{Path: objO, Field: `RemoteDomains["*"]`, Message: "is declared twice"},
		{Path: objT, Field: `RemoteDomains["--"].DomainName`, Message: `"--" is not "*", a domain or "*." and a domain`},
		{Path: objT, Field: `RemoteDomains["a.*.example"].DomainName`, Message: `"a.*.example" is not "*", a domain or "*." and a domain`},
		{Path: objT, Field: `RemoteDomains["contoso.example"]`, Message: "is declared twice"},
	}
	if diff := cmp.Diff(want, ve.Problems, testopts.Cmp); diff != "" {
		t.Errorf("Build() problems mismatch (-want +got):\n%s", diff)
	}
}
