package topology_test

import (
	"testing"

	"github.com/mailflowsim/mailflow/topology"
)

// HasCertificateDomain: a certificate name counts when it is an accepted
// domain or a subdomain of one, a wildcard standing for its parent
// (docs/behaviour.md#d19-which-sender-domain-counts-for-relay).
func TestHasCertificateDomain(t *testing.T) {
	topo, err := topology.Build(topology.Spec{Tenants: []topology.TenantSpec{{Name: "contoso",
		AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := topo.Tenant("contoso")
	for _, tt := range []struct {
		names []string
		want  bool
	}{
		{[]string{"contoso.com"}, true},
		{[]string{"mail.contoso.com"}, true},
		{[]string{"*.contoso.com"}, true},
		{[]string{"MAIL.Contoso.COM"}, true},
		{[]string{"mail.fabrikam.com", "smtp.contoso.com"}, true},
		{[]string{"contoso.net", "notcontoso.com", "com"}, false},
		{nil, false},
	} {
		if got := x.HasCertificateDomain(tt.names); got != tt.want {
			t.Errorf("HasCertificateDomain(%q) = %v, want %v", tt.names, got, tt.want)
		}
	}
}
