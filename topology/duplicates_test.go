package topology_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// TestDuplicatesDoNotDependOnOrder builds specs with duplicates in both
// orders: the problems must be the same, whichever comes first.
func TestDuplicatesDoNotDependOnOrder(t *testing.T) {
	tests := []struct {
		name   string
		modify func(s *topology.Spec, first bool)
	}{
		{"TenantsDifferingInCase", func(s *topology.Spec, first bool) {
			extra := topology.TenantSpec{Name: "Contoso", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "tailspintoys.com"}}}
			s.Tenants = insert(s.Tenants, extra, first)
		}},
		{"Servers", func(s *topology.Spec, first bool) {
			extra := topology.ServerSpec{Name: "ex01", Fqdn: "other.contoso.com"}
			s.OnPremises[0].Servers = insert(s.OnPremises[0].Servers, extra, first)
		}},
		{"Recipients", func(s *topology.Spec, first bool) {
			extra := topology.Recipient{Name: "Other David", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "DAVID@contoso.com"}
			s.Tenants[0].Recipients = insert(s.Tenants[0].Recipients, extra, first)
		}},
		{"AcceptedDomainsWithOtherTypes", func(s *topology.Spec, first bool) {
			extra := topology.AcceptedDomain{DomainName: "contoso.com", DomainType: topology.InternalRelay}
			s.Tenants[0].AcceptedDomains = insert(s.Tenants[0].AcceptedDomains, extra, first)
		}},
		{"MXRecordsWithOtherPreferences", func(s *topology.Spec, first bool) {
			extra := topology.MXRecord{Domain: "contoso.com", Preference: 50, NameExchange: topology.EOPHost("contoso.com")}
			s.MXRecords = insert(s.MXRecords, extra, first)
		}},
		{"Connectors", func(s *topology.Spec, first bool) {
			extra := connector.Outbound{Name: "OUTBOUND TO PARTNER", ConnectorType: connector.Partner, RecipientDomains: []string{"*"}}
			s.Tenants[0].OutboundConnectors = insert(s.Tenants[0].OutboundConnectors,
				connector.Outbound{Name: "Outbound to partner", ConnectorType: connector.Partner, RecipientDomains: []string{"partner.example"}}, true)
			s.Tenants[0].OutboundConnectors = insert(s.Tenants[0].OutboundConnectors, extra, first)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [2][]topology.Problem
			for i, first := range []bool{true, false} {
				spec := contosoSpec()
				tt.modify(&spec, first)
				_, err := topology.Build(spec)
				var verr *topology.ValidationError
				if !errors.As(err, &verr) {
					t.Fatalf("Build() error = %v, want a *ValidationError", err)
				}
				got[i] = verr.Problems
			}
			if diff := cmp.Diff(got[0], got[1]); diff != "" {
				t.Errorf("problems depend on the order of the duplicates (-first +last):\n%s", diff)
			}
		})
	}
}

func insert[T any](s []T, v T, first bool) []T {
	if first {
		return slices.Insert(slices.Clone(s), 0, v)
	}
	return append(slices.Clone(s), v)
}

// TestAutomaticDomainsMayBeDeclared: exports of Get-AcceptedDomain list
// the tenant's onmicrosoft.com domains; declaring them is no mistake.
func TestAutomaticDomainsMayBeDeclared(t *testing.T) {
	spec := contosoSpec()
	spec.Tenants[0].AcceptedDomains = append(spec.Tenants[0].AcceptedDomains,
		topology.AcceptedDomain{DomainName: "contoso.onmicrosoft.com", DomainType: topology.Authoritative},
		topology.AcceptedDomain{DomainName: "contoso.mail.onmicrosoft.com"})
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	x, ok := topo.Tenant("Contoso") // names are case-insensitive
	require.True(t, ok)
	var names []string
	for a := range x.AcceptedDomains() {
		names = append(names, a.DomainName)
	}
	want := []string{"contoso.com", "contoso.mail.onmicrosoft.com", "contoso.onmicrosoft.com", "fabrikam.com"}
	if !slices.Equal(names, want) {
		t.Errorf("AcceptedDomains() = %q, want %q", names, want)
	}
}

// TestCoexistenceDomainOnPremises: the hybrid configuration makes the
// on-premises organization accept the coexistence domain.
func TestCoexistenceDomainOnPremises(t *testing.T) {
	topo, err := topology.Build(contosoSpec())
	require.NoError(t, err)
	o, ok := topo.OnPremisesAccepting("contoso.mail.onmicrosoft.com")
	if !ok || o.Name() != "contoso" {
		t.Fatalf("OnPremisesAccepting(coexistence domain) = %v, %v; want contoso", o, ok)
	}
	if a, _ := o.AcceptedDomain("contoso.mail.onmicrosoft.com"); a.DomainType != topology.InternalRelay {
		t.Errorf("coexistence domain on-premises is %q, want InternalRelay", a.DomainType)
	}
}

// TestDefaultReceiveConnectors: an organization that declares no Receive
// connector has Exchange's Default Frontend on every server.
func TestDefaultReceiveConnectors(t *testing.T) {
	topo, err := topology.Build(contosoSpec())
	require.NoError(t, err)
	o, _ := topo.OnPremisesOrg("contoso")
	var names []string
	for c := range o.ReceiveConnectors() {
		names = append(names, c.Server+`\`+c.Name)
		if c.Relays() || !c.Has("AnonymousUsers") {
			t.Errorf("%s: relays %v, AnonymousUsers %v; want no relay, anonymous allowed", c.Name, c.Relays(), c.Has("AnonymousUsers"))
		}
	}
	want := []string{`CAS01\Default Frontend CAS01`, `EX01\Default Frontend EX01`, `EX02\Default Frontend EX02`}
	if !slices.Equal(names, want) {
		t.Errorf("ReceiveConnectors() = %q, want %q", names, want)
	}
}

// TestDeclaredConnectorReplacesWizards: a connector declared with the
// name the Hybrid Configuration Wizard gives is that connector as an
// administrator edited it.
func TestDeclaredConnectorReplacesWizards(t *testing.T) {
	spec := contosoSpec()
	spec.Tenants[0].OutboundConnectors = append(spec.Tenants[0].OutboundConnectors, connector.Outbound{
		Name: "Outbound to contoso", ConnectorType: connector.OnPremises, RecipientDomains: []string{"contoso.com"}, UseMXRecord: connector.False,
		SmartHosts: []string{"mail.contoso.com"}, TlsSettings: connector.TlsEncryptionOnly})
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	x, _ := topo.Tenant("contoso")
	var got []connector.Outbound
	for c := range x.OutboundConnectors() {
		if c.Name == "Outbound to contoso" {
			got = append(got, c)
		}
	}
	if len(got) != 1 || got[0].TlsSettings != connector.TlsEncryptionOnly || got[0].CloudServicesMailEnabled {
		t.Errorf("Outbound to contoso = %+v, want only the declared one", got)
	}
}

func TestAddressRewriteEntry(t *testing.T) {
	tests := []struct {
		internal, external, sender, want string
		ok                               bool
	}{
		{"*.contoso.com", "contoso.com", "lee@sales.contoso.com", "lee@contoso.com", true},
		{"*.contoso.com", "contoso.com", "lee@contoso.com", "lee@contoso.com", false}, // *.domain is the subdomains only
		{"fabrikam.com", "contoso.com", "ann@fabrikam.com", "ann@contoso.com", true},  // many domains as one
		{"fabrikam.com", "contoso.com", "ann@sub.fabrikam.com", "ann@sub.fabrikam.com", false},
		{"support@fabrikam.com", "help@contoso.com", "support@fabrikam.com", "help@contoso.com", true},
		{"support@fabrikam.com", "help@contoso.com", "sales@fabrikam.com", "sales@fabrikam.com", false},
	}
	for _, tt := range tests {
		a := topology.AddressRewriteEntry{InternalAddress: tt.internal, ExternalAddress: tt.external}
		if got, ok := a.Rewrite(tt.sender); got != tt.want || ok != tt.ok {
			t.Errorf("%s -> %s: Rewrite(%q) = %q, %v; want %q, %v", tt.internal, tt.external, tt.sender, got, ok, tt.want, tt.ok)
		}
	}
}
