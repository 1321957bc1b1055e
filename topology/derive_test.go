package topology_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// whatIfSpec is a small hybrid topology for the Change tests: the tenant
// and the on-premises organization contoso, paired by the Hybrid
// Configuration Wizard; the on-premises organization tailspin, which
// declares its Receive connectors; and the Internet domain fabrikam.com.
func whatIfSpec() topology.Spec {
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			InboundConnectors: []connector.Inbound{{
				Name: "From Fabrikam", ConnectorType: connector.Partner, SenderDomains: []string{"fabrikam.com"},
			}},
			OutboundConnectors: []connector.Outbound{
				{Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"}, UseMXRecord: connector.True},
				{
					Name: "Via Tailspin", ConnectorType: connector.OnPremises, RecipientDomains: []string{"tailspintoys.com"},
					UseMXRecord: connector.False, SmartHosts: []string{"ts01.tailspintoys.com"},
				},
			},
			TransportRules: []topology.TransportRule{
				{Name: "Stamp", Priority: 0, SetHeaderName: "X-Stamp", SetHeaderValue: "cloud"},
				{Name: "Footer", Priority: 1, SetHeaderName: "X-Footer", SetHeaderValue: "cloud"},
			},
		}},
		OnPremises: []topology.OnPremisesSpec{
			{
				Name:            "contoso",
				AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
				Servers: []topology.ServerSpec{
					{Name: "EX01", Fqdn: "ex01.contoso.com", Hosts: []string{"mail.contoso.com"}},
					{Name: "EX02", Fqdn: "ex02.contoso.com"},
				},
				SendConnectors: []connector.Send{{Name: "To Internet", AddressSpaces: []string{"SMTP:*;1"}, SourceTransportServers: []string{"EX01"}}},
				TransportRules: []topology.TransportRule{{Name: "Footer", Priority: 0, SetHeaderName: "X-Footer", SetHeaderValue: "onprem"}},
			},
			{
				Name:            "tailspin",
				AcceptedDomains: []topology.AcceptedDomain{{DomainName: "tailspintoys.com"}},
				Servers:         []topology.ServerSpec{{Name: "TS01", Fqdn: "ts01.tailspintoys.com"}, {Name: "TS02", Fqdn: "ts02.tailspintoys.com"}},
				ReceiveConnectors: []connector.Receive{
					{Name: "Inbound", Server: "TS01", PermissionGroups: []string{"AnonymousUsers"}},
					{Name: "Inbound", Server: "TS02", PermissionGroups: []string{"AnonymousUsers"}},
				},
			},
		},
		External: []topology.ExternalSpec{{Name: "fabrikam", Domains: []string{"fabrikam.com"}, Hosts: []string{"mx.fabrikam.com"}}},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", Preference: 10, NameExchange: "mail.contoso.com"},
			{Domain: "fabrikam.com", Preference: 10, NameExchange: "mx.fabrikam.com"},
			{Domain: "tailspintoys.com", Preference: 10, NameExchange: "ts01.tailspintoys.com"},
		},
		Hybrid: []topology.HybridConfiguration{{
			Tenant: "contoso", OnPremises: "contoso", Domains: []string{"contoso.com"},
			OnPremisesSmartHost: "mail.contoso.com", TlsCertificateName: "mail.contoso.com",
			SendingTransportServers: []string{"EX01"}, ReceivingTransportServers: []string{"EX01"},
		}},
	}
}

func TestChanges(t *testing.T) {
	tests := []struct {
		name       string
		change     topology.Change
		wantString string
		reason     string
		// edit makes the expected Spec from whatIfSpec().
		edit func(s *topology.Spec)
		// check, if set, looks at the built Topology.
		check func(t *testing.T, topo *topology.Topology)
	}{
		{
			name:       "PointMX_EOP",
			change:     topology.PointMX("contoso.com", topology.EOPHost("contoso.com")),
			wantString: "MX contoso.com -> contoso-com.mail.protection.outlook.com",
			edit: func(s *topology.Spec) {
				s.MXRecords = append(s.MXRecords[1:], topology.MXRecord{Domain: "contoso.com", NameExchange: "contoso-com.mail.protection.outlook.com"})
			},
			check: func(t *testing.T, topo *topology.Topology) {
				want := []topology.MXRecord{{Domain: "contoso.com", NameExchange: "contoso-com.mail.protection.outlook.com"}}
				if diff := cmp.Diff(want, slices.Collect(topo.MX("contoso.com")), testopts.Cmp); diff != "" {
					t.Errorf("MX(contoso.com) mismatch (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:       "PointMX_severalHostsAnyCase",
			change:     topology.PointMX("Contoso.COM", topology.EOPHost("contoso.com"), "mail.contoso.com"),
			wantString: "MX Contoso.COM -> 0 contoso-com.mail.protection.outlook.com, 10 mail.contoso.com",
			edit: func(s *topology.Spec) {
				s.MXRecords = append(s.MXRecords[1:],
					topology.MXRecord{Domain: "contoso.com", Preference: 0, NameExchange: "contoso-com.mail.protection.outlook.com"},
					topology.MXRecord{Domain: "contoso.com", Preference: 10, NameExchange: "mail.contoso.com"})
			},
		},
		{
			name:       "PointMX_none",
			change:     topology.PointMX("tailspintoys.com"),
			wantString: "MX tailspintoys.com -> (none)",
			edit:       func(s *topology.Spec) { s.MXRecords = s.MXRecords[:2] },
		},
		{
			name:       "SetRouteAllMessagesViaOnPremises_hybrid",
			change:     topology.SetRouteAllMessagesViaOnPremises("Contoso", "outbound to contoso", true),
			wantString: `Set-OutboundConnector "outbound to contoso" -RouteAllMessagesViaOnPremises $true`,
			edit: func(s *topology.Spec) {
				s.Hybrid[0].Features = []string{topology.FeatureCentralizedTransport}
			},
			check: func(t *testing.T, topo *topology.Topology) {
				x, _ := topo.Tenant("contoso")
				if c, ok := x.CentralizedTransport(); !ok || c.Name != "Outbound to contoso" {
					t.Errorf("CentralizedTransport() = %q, %v, want %q, true", c.Name, ok, "Outbound to contoso")
				}
			},
		},
		{
			name:       "SetRouteAllMessagesViaOnPremises_declared",
			change:     topology.SetRouteAllMessagesViaOnPremises("contoso", "via tailspin", true),
			wantString: `Set-OutboundConnector "via tailspin" -RouteAllMessagesViaOnPremises $true`,
			edit:       func(s *topology.Spec) { s.Tenants[0].OutboundConnectors[1].RouteAllMessagesViaOnPremises = true },
			check: func(t *testing.T, topo *topology.Topology) {
				x, _ := topo.Tenant("contoso")
				if c, ok := x.CentralizedTransport(); !ok || c.Name != "Via Tailspin" {
					t.Errorf("CentralizedTransport() = %q, %v, want %q, true", c.Name, ok, "Via Tailspin")
				}
			},
		},
		{
			name:       "DisableConnector_inbound",
			change:     topology.DisableConnector("contoso", "from fabrikam"),
			wantString: `Set-*Connector "from fabrikam" -Enabled $false`,
			edit:       func(s *topology.Spec) { s.Tenants[0].InboundConnectors[0].Enabled = connector.False },
		},
		{
			name:       "DisableConnector_outbound",
			change:     topology.DisableConnector("tenant:contoso", "To Fabrikam"),
			wantString: `Set-*Connector "To Fabrikam" -Enabled $false`,
			edit:       func(s *topology.Spec) { s.Tenants[0].OutboundConnectors[0].Enabled = connector.False },
			check: func(t *testing.T, topo *topology.Topology) {
				x, _ := topo.Tenant("contoso")
				if c, _ := x.OutboundConnector("To Fabrikam"); c.IsEnabled() {
					t.Error(`OutboundConnector("To Fabrikam").IsEnabled() = true, want false`)
				}
			},
		},
		{
			name:       "DisableConnector_send",
			change:     topology.DisableConnector("contoso", "To Internet"),
			wantString: `Set-*Connector "To Internet" -Enabled $false`,
			edit:       func(s *topology.Spec) { s.OnPremises[0].SendConnectors[0].Enabled = connector.False },
		},
		{
			name:       "DisableConnector_receiveByIdentity",
			change:     topology.DisableConnector("tailspin", `TS02\Inbound`),
			wantString: `Set-*Connector "TS02\\Inbound" -Enabled $false`,
			edit:       func(s *topology.Spec) { s.OnPremises[1].ReceiveConnectors[1].Enabled = connector.False },
		},
		{
			name:       "DisableConnector_hybridOutbound",
			change:     topology.DisableConnector("contoso", "Outbound to contoso"),
			wantString: `Set-*Connector "Outbound to contoso" -Enabled $false`,
			reason:     "the wizard's connector is declared as Build generates it, then disabled",
			edit: func(s *topology.Spec) {
				s.Tenants[0].OutboundConnectors = append(s.Tenants[0].OutboundConnectors, connector.Outbound{
					Name: "Outbound to contoso", ConnectorType: connector.OnPremises, RecipientDomains: []string{"contoso.com"},
					UseMXRecord: connector.False, SmartHosts: []string{"mail.contoso.com"}, TlsSettings: connector.TlsDomainValidation,
					TlsDomain: "mail.contoso.com", CloudServicesMailEnabled: true, ConnectorSource: connector.SourceHybridWizard,
					Enabled: connector.False,
				})
			},
		},
		{
			name:       "DisableConnector_hybridInbound",
			change:     topology.DisableConnector("contoso", "Inbound from contoso"),
			wantString: `Set-*Connector "Inbound from contoso" -Enabled $false`,
			edit: func(s *topology.Spec) {
				s.Tenants[0].InboundConnectors = append(s.Tenants[0].InboundConnectors, connector.Inbound{
					Name: "Inbound from contoso", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"},
					RequireTls: connector.True, TlsSenderCertificateName: "mail.contoso.com", CloudServicesMailEnabled: true,
					ConnectorSource: connector.SourceHybridWizard, Enabled: connector.False,
				})
			},
		},
		{
			name:       "DisableConnector_hybridSend",
			change:     topology.DisableConnector("contoso", "Outbound to Office 365"),
			wantString: `Set-*Connector "Outbound to Office 365" -Enabled $false`,
			edit: func(s *topology.Spec) {
				s.OnPremises[0].SendConnectors = append(s.OnPremises[0].SendConnectors, connector.Send{
					Name: "Outbound to Office 365", AddressSpaces: []string{"smtp:contoso.mail.onmicrosoft.com;1"},
					DNSRoutingEnabled: connector.True, RequireTLS: true, TlsAuthLevel: "DomainValidation",
					TlsDomain: "mail.protection.outlook.com", TlsCertificateName: "mail.contoso.com", Fqdn: "mail.contoso.com",
					CloudServicesMailEnabled: true, SourceTransportServers: []string{"EX01"}, Enabled: connector.False,
				})
			},
		},
		{
			name:       "DisableConnector_defaultReceive",
			change:     topology.DisableConnector("contoso", "Default Frontend EX02"),
			wantString: `Set-*Connector "Default Frontend EX02" -Enabled $false`,
			reason:     "declaring a Receive connector drops the defaults, so all of them are declared",
			edit: func(s *topology.Spec) {
				for _, sv := range []string{"EX01", "EX02"} {
					s.OnPremises[0].ReceiveConnectors = append(s.OnPremises[0].ReceiveConnectors, connector.Receive{
						Name: "Default Frontend " + sv, Server: sv, TransportRole: "FrontendTransport",
						PermissionGroups: []string{"AnonymousUsers", "ExchangeServers", "ExchangeLegacyServers"},
						AuthMechanism:    []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"},
					})
				}
				s.OnPremises[0].ReceiveConnectors[1].Enabled = connector.False
			},
			check: func(t *testing.T, topo *topology.Topology) {
				o, _ := topo.OnPremisesOrg("contoso")
				for c := range o.ReceiveConnectors() {
					if got, want := c.IsEnabled(), c.Server != "EX02"; got != want {
						t.Errorf("Receive connector %s\\%s: IsEnabled() = %v, want %v", c.Server, c.Name, got, want)
					}
				}
			},
		},
		{
			name:       "AddOutboundConnector",
			change:     topology.AddOutboundConnector("contoso", connector.Outbound{Name: "To Tailspin", ConnectorType: connector.Partner, RecipientDomains: []string{"tailspintoys.com"}}),
			wantString: `New-OutboundConnector "To Tailspin"`,
			edit: func(s *topology.Spec) {
				s.Tenants[0].OutboundConnectors = append(s.Tenants[0].OutboundConnectors,
					connector.Outbound{Name: "To Tailspin", ConnectorType: connector.Partner, RecipientDomains: []string{"tailspintoys.com"}})
			},
		},
		{
			name:       "AddInboundConnector",
			change:     topology.AddInboundConnector("contoso", connector.Inbound{Name: "From Tailspin", ConnectorType: connector.Partner, SenderDomains: []string{"tailspintoys.com"}}),
			wantString: `New-InboundConnector "From Tailspin"`,
			edit: func(s *topology.Spec) {
				s.Tenants[0].InboundConnectors = append(s.Tenants[0].InboundConnectors,
					connector.Inbound{Name: "From Tailspin", ConnectorType: connector.Partner, SenderDomains: []string{"tailspintoys.com"}})
			},
		},
		{
			name:       "AddSendConnector",
			change:     topology.AddSendConnector("contoso", connector.Send{Name: "To Tailspin", AddressSpaces: []string{"SMTP:tailspintoys.com;1"}}),
			wantString: `New-SendConnector "To Tailspin"`,
			edit: func(s *topology.Spec) {
				s.OnPremises[0].SendConnectors = append(s.OnPremises[0].SendConnectors,
					connector.Send{Name: "To Tailspin", AddressSpaces: []string{"SMTP:tailspintoys.com;1"}})
			},
		},
		{
			name:       "DisableRule_tenant",
			change:     topology.DisableRule("contoso", "stamp"),
			wantString: `Disable-TransportRule "stamp"`,
			edit:       func(s *topology.Spec) { s.Tenants[0].TransportRules[0].State = "Disabled" },
		},
		{
			name:       "DisableRule_onPremises",
			change:     topology.DisableRule("onprem:contoso", "Footer"),
			wantString: `Disable-TransportRule "Footer"`,
			edit:       func(s *topology.Spec) { s.OnPremises[0].TransportRules[0].State = "Disabled" },
		},
		{
			name:       "AddTransportRule_tenant",
			change:     topology.AddTransportRule("tenant:contoso", topology.TransportRule{Name: "Audit", Priority: 2, Mode: "Audit"}),
			wantString: `New-TransportRule "Audit"`,
			edit: func(s *topology.Spec) {
				s.Tenants[0].TransportRules = append(s.Tenants[0].TransportRules, topology.TransportRule{Name: "Audit", Priority: 2, Mode: "Audit"})
			},
		},
		{
			name:       "AddTransportRule_onPremises",
			change:     topology.AddTransportRule("tailspin", topology.TransportRule{Name: "Audit", Mode: "Audit"}),
			wantString: `New-TransportRule "Audit"`,
			edit: func(s *topology.Spec) {
				s.OnPremises[1].TransportRules = []topology.TransportRule{{Name: "Audit", Mode: "Audit"}}
			},
		},
		{
			name:       "TakeServerDown",
			change:     topology.TakeServerDown("contoso", "ex02"),
			wantString: "server ex02 of contoso offline",
			edit:       func(s *topology.Spec) { s.OnPremises[0].Servers[1].Offline = true },
			check: func(t *testing.T, topo *topology.Topology) {
				if n, _ := topo.Node(topology.MustParseNodeID("onprem:contoso/EX02")); !n.Offline {
					t.Error("onprem:contoso/EX02 Offline = false, want true")
				}
			},
		},
		{
			name:       "TakeHostDown",
			change:     topology.TakeHostDown("fabrikam"),
			wantString: "external system fabrikam offline",
			edit:       func(s *topology.Spec) { s.External[0].Offline = true },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason != "" {
				t.Log(tt.reason)
			}
			if got := tt.change.String(); got != tt.wantString {
				t.Errorf("String() = %q, want %q", got, tt.wantString)
			}
			base := whatIfSpec()
			want := whatIfSpec()
			tt.edit(&want)
			got, err := base.With(tt.change)
			require.NoError(t, err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("With(%v) mismatch (-want +got):\n%s", tt.change, diff)
			}
			if diff := cmp.Diff(whatIfSpec(), base); diff != "" {
				t.Errorf("With(%v) changed its receiver (-want +got):\n%s", tt.change, diff)
			}
			topo, err := topology.Build(got)
			require.NoError(t, err)
			if tt.check != nil {
				tt.check(t, topo)
			}
		})
	}
}

func TestChangeErrors(t *testing.T) {
	tests := []struct {
		name    string
		change  topology.Change
		wantErr error
		wantMsg string
	}{
		{
			name:    "PointMX_badDomain",
			change:  topology.PointMX("contoso..com", "mail.contoso.com"),
			wantMsg: `topology: MX contoso..com -> mail.contoso.com: "contoso..com" is not a domain name: `,
		},
		{
			name:    "SetRouteAllMessagesViaOnPremises_noTenant",
			change:  topology.SetRouteAllMessagesViaOnPremises("x", "Outbound to contoso", true),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: Set-OutboundConnector "Outbound to contoso" -RouteAllMessagesViaOnPremises $true: no tenant "x"`,
		},
		{
			name:    "SetRouteAllMessagesViaOnPremises_noConnector",
			change:  topology.SetRouteAllMessagesViaOnPremises("contoso", "y", false),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: Set-OutboundConnector "y" -RouteAllMessagesViaOnPremises $false: no outbound connector "y" in tenant "contoso"`,
		},
		{
			name:    "DisableConnector_noOrg",
			change:  topology.DisableConnector("northwind", "To Internet"),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: Set-*Connector "To Internet" -Enabled $false: no tenant or on-premises organization "northwind"`,
		},
		{
			name:    "DisableConnector_noConnector",
			change:  topology.DisableConnector("contoso", "y"),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: Set-*Connector "y" -Enabled $false: no connector "y" in tenant "contoso" or on-premises organization "contoso"`,
		},
		{
			name:    "DisableConnector_tenantOnly",
			change:  topology.DisableConnector("tenant:contoso", "To Internet"),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: Set-*Connector "To Internet" -Enabled $false: no connector "To Internet" in tenant "contoso"`,
		},
		{
			name:    "DisableConnector_ambiguous",
			change:  topology.DisableConnector("tailspin", "Inbound"),
			wantErr: topology.ErrAmbiguous,
			wantMsg: `topology: Set-*Connector "Inbound" -Enabled $false: "Inbound" names a Receive connector of server "TS01" of on-premises organization "tailspin" and a Receive connector of server "TS02" of on-premises organization "tailspin"`,
		},
		{
			name:    "AddOutboundConnector_noTenant",
			change:  topology.AddOutboundConnector("tailspin", connector.Outbound{Name: "To Tailspin"}),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: New-OutboundConnector "To Tailspin": no tenant "tailspin"`,
		},
		{
			name:    "AddOutboundConnector_exists",
			change:  topology.AddOutboundConnector("contoso", connector.Outbound{Name: "to fabrikam"}),
			wantErr: topology.ErrExists,
			wantMsg: `topology: New-OutboundConnector "to fabrikam": tenant "contoso" already has an outbound connector "to fabrikam"`,
		},
		{
			name:    "AddInboundConnector_noTenant",
			change:  topology.AddInboundConnector("x", connector.Inbound{Name: "From X"}),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: New-InboundConnector "From X": no tenant "x"`,
		},
		{
			name:    "AddSendConnector_noOrg",
			change:  topology.AddSendConnector("Contoso", connector.Send{Name: "To X"}),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: New-SendConnector "To X": no on-premises organization "Contoso"`,
		},
		{
			name:    "AddSendConnector_exists",
			change:  topology.AddSendConnector("contoso", connector.Send{Name: "To Internet"}),
			wantErr: topology.ErrExists,
			wantMsg: `topology: New-SendConnector "To Internet": on-premises organization "contoso" already has a Send connector "To Internet"`,
		},
		{
			name:    "DisableRule_noRule",
			change:  topology.DisableRule("tailspin", "Stamp"),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: Disable-TransportRule "Stamp": no transport rule "Stamp" in on-premises organization "tailspin"`,
		},
		{
			name:    "DisableRule_ambiguous",
			change:  topology.DisableRule("contoso", "Footer"),
			wantErr: topology.ErrAmbiguous,
			wantMsg: `topology: Disable-TransportRule "Footer": "Footer" names a rule of tenant "contoso" and a rule of on-premises organization "contoso"`,
		},
		{
			name:    "AddTransportRule_ambiguousOrg",
			change:  topology.AddTransportRule("contoso", topology.TransportRule{Name: "Audit"}),
			wantErr: topology.ErrAmbiguous,
			wantMsg: `topology: New-TransportRule "Audit": "contoso" names a tenant and an on-premises organization; write tenant:contoso or onprem:contoso`,
		},
		{
			name:    "AddTransportRule_noOrg",
			change:  topology.AddTransportRule("onprem:x", topology.TransportRule{Name: "Audit"}),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: New-TransportRule "Audit": no on-premises organization "x"`,
		},
		{
			name:    "AddTransportRule_exists",
			change:  topology.AddTransportRule("tenant:contoso", topology.TransportRule{Name: "STAMP"}),
			wantErr: topology.ErrExists,
			wantMsg: `topology: New-TransportRule "STAMP": tenant "contoso" already has a transport rule "STAMP"`,
		},
		{
			name:    "TakeServerDown_noServer",
			change:  topology.TakeServerDown("contoso", "EX09"),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: server EX09 of contoso offline: no server "EX09" in on-premises organization "contoso"`,
		},
		{
			name:    "TakeServerDown_noOrg",
			change:  topology.TakeServerDown("northwind", "EX01"),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: server EX01 of northwind offline: no on-premises organization "northwind"`,
		},
		{
			name:    "TakeHostDown_noHost",
			change:  topology.TakeHostDown("cpandl"),
			wantErr: topology.ErrNotFound,
			wantMsg: `topology: external system cpandl offline: no external system "cpandl"`,
		},
		{
			name:    "zeroChange",
			change:  topology.Change{},
			wantMsg: "topology: invalid Change: the zero Change does nothing; use a constructor such as PointMX",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := whatIfSpec()
			got, err := base.With(tt.change)
			if err == nil {
				t.Fatalf("With(%v) = nil error, want %q", tt.change, tt.wantMsg)
			}
			if msg := err.Error(); len(msg) < len(tt.wantMsg) || msg[:len(tt.wantMsg)] != tt.wantMsg {
				t.Errorf("With(%v) error = %q, want it to start %q", tt.change, msg, tt.wantMsg)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("With(%v) error = %v, want errors.Is %v", tt.change, err, tt.wantErr)
			}
			var ce *topology.ChangeError
			if !errors.As(err, &ce) {
				t.Errorf("With(%v) error is %T, want a *ChangeError", tt.change, err)
			}
			if diff := cmp.Diff(topology.Spec{}, got); diff != "" {
				t.Errorf("With(%v) returned a Spec with an error (-want +got):\n%s", tt.change, diff)
			}
			if diff := cmp.Diff(whatIfSpec(), base); diff != "" {
				t.Errorf("With(%v) changed its receiver (-want +got):\n%s", tt.change, diff)
			}
		})
	}
}

func TestSpecWithJoinsErrorsInOrder(t *testing.T) {
	_, err := whatIfSpec().With(
		topology.TakeHostDown("a"),
		topology.PointMX("contoso.com", "contoso-com.mail.protection.outlook.com"),
		topology.TakeServerDown("contoso", "b"),
	)
	want := `topology: external system a offline: no external system "a"` + "\n" +
		`topology: server b of contoso offline: no server "b" in on-premises organization "contoso"`
	if err == nil || err.Error() != want {
		t.Errorf("With(...) error = %v, want %q", err, want)
	}
}

func TestSpecWithAppliesInOrder(t *testing.T) {
	got, err := whatIfSpec().With(
		topology.PointMX("contoso.com", "contoso-com.mail.protection.outlook.com"),
		topology.PointMX("contoso.com", "mail.contoso.com"),
		topology.DisableConnector("contoso", "Outbound to contoso"),
		topology.SetRouteAllMessagesViaOnPremises("contoso", "Outbound to contoso", true),
	)
	require.NoError(t, err)
	topo, err := topology.Build(got)
	require.NoError(t, err)
	wantMX := []topology.MXRecord{{Domain: "contoso.com", NameExchange: "mail.contoso.com"}}
	if diff := cmp.Diff(wantMX, slices.Collect(topo.MX("contoso.com")), testopts.Cmp); diff != "" {
		t.Errorf("MX(contoso.com) mismatch (-want +got):\n%s", diff)
	}
	x, _ := topo.Tenant("contoso")
	c, _ := x.OutboundConnector("Outbound to contoso")
	if c.IsEnabled() || !c.RouteAllMessagesViaOnPremises {
		t.Errorf("Outbound to contoso: Enabled %v, RouteAllMessagesViaOnPremises %v; want $false, $true", c.Enabled, c.RouteAllMessagesViaOnPremises)
	}
	if len(got.Hybrid[0].Features) != 0 {
		t.Errorf("Hybrid[0].Features = %q, want none: the connector is declared once disabled", got.Hybrid[0].Features)
	}
}

// TestChangeSharesNothing checks that a Change copies its arguments, and
// that the Specs two applications return share nothing.
func TestChangeSharesNothing(t *testing.T) {
	c := connector.Outbound{Name: "To Tailspin", ConnectorType: connector.Partner, RecipientDomains: []string{"tailspintoys.com"}}
	ch := topology.AddOutboundConnector("contoso", c)
	c.RecipientDomains[0] = "changed.example"
	a, err := whatIfSpec().With(ch)
	require.NoError(t, err)
	b, err := whatIfSpec().With(ch)
	require.NoError(t, err)
	a.Tenants[0].OutboundConnectors[2].RecipientDomains[0] = "a.example"
	if got := b.Tenants[0].OutboundConnectors[2].RecipientDomains[0]; got != "tailspintoys.com" {
		t.Errorf("second application: RecipientDomains[0] = %q, want tailspintoys.com", got)
	}
}

func TestTopologyWith(t *testing.T) {
	topo, err := topology.Build(whatIfSpec())
	require.NoError(t, err)
	eop := topology.EOPHost("contoso.com")
	got, err := topo.With(topology.PointMX("contoso.com", eop))
	require.NoError(t, err)
	if mx := slices.Collect(got.MX("contoso.com")); len(mx) != 1 || mx[0].NameExchange != eop {
		t.Errorf("With: MX(contoso.com) = %v, want %s", mx, eop)
	}
	if mx := slices.Collect(topo.MX("contoso.com")); len(mx) != 1 || mx[0].NameExchange != "mail.contoso.com" {
		t.Errorf("original: MX(contoso.com) = %v, want mail.contoso.com", mx)
	}
	if _, err := topo.With(topology.PointMX("contoso.com", "nowhere.example")); !errors.Is(err, topology.ErrInvalid) {
		t.Errorf("With(PointMX to nowhere) error = %v, want ErrInvalid", err)
	}
	if _, err := topo.With(topology.TakeHostDown("x")); !errors.Is(err, topology.ErrNotFound) {
		t.Errorf("With(TakeHostDown(x)) error = %v, want ErrNotFound", err)
	}
}

// everything compares every field of a Topology, exported or not.
var everything = cmp.Exporter(func(reflect.Type) bool { return true })

func TestTopologySpecRoundTrip(t *testing.T) {
	for _, spec := range []topology.Spec{whatIfSpec(), contosoSpec(topology.FeatureCentralizedTransport)} {
		topo, err := topology.Build(spec)
		require.NoError(t, err)
		if diff := cmp.Diff(spec, topo.Spec()); diff != "" {
			t.Errorf("Spec() mismatch (-want +got):\n%s", diff)
		}
		again, err := topology.Build(topo.Spec())
		require.NoError(t, err)
		if diff := cmp.Diff(takeSnapshot(topo), takeSnapshot(again), testopts.Cmp); diff != "" {
			t.Errorf("Build(Spec()) mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(topo, again, everything, testopts.Cmp); diff != "" {
			t.Errorf("Build(Spec()) mismatch in unexported state (-want +got):\n%s", diff)
		}
		down, err := topo.With(topology.TakeServerDown("contoso", "EX02"))
		require.NoError(t, err)
		if cmp.Equal(topo, down, everything, testopts.Cmp) {
			t.Error("the comparison of whole Topologies misses a server taken down")
		}
		// The copy is the caller's.
		s := topo.Spec()
		s.Tenants[0].AcceptedDomains[0].DomainName = "changed.example"
		s.MXRecords = nil
		if diff := cmp.Diff(spec, topo.Spec()); diff != "" {
			t.Errorf("Spec() after changing a copy (-want +got):\n%s", diff)
		}
	}
}

func TestTopologySpecConcurrent(t *testing.T) {
	spec := whatIfSpec()
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	var wg sync.WaitGroup
	diffs := make([]string, 16)
	for i := range diffs {
		wg.Go(func() {
			for range 20 {
				s := topo.Spec()
				if d := cmp.Diff(spec, s); d != "" {
					diffs[i] = d
					return
				}
				s.Tenants[0].Name = fmt.Sprint(i)
				s.OnPremises[0].Servers[0].Hosts[0] = "x.example"
				if _, err := topo.With(topology.TakeServerDown("contoso", "EX01")); err != nil {
					diffs[i] = err.Error()
					return
				}
			}
		})
	}
	wg.Wait()
	for i, d := range diffs {
		if d != "" {
			t.Errorf("goroutine %d: Spec() mismatch (-want +got):\n%s", i, d)
		}
	}
}

func TestSpecCloneKeepsNilAndEmpty(t *testing.T) {
	s := topology.Spec{Tenants: []topology.TenantSpec{{Name: "contoso", AcceptedDomains: []topology.AcceptedDomain{}}}}
	c := s.Clone()
	if c.Tenants[0].AcceptedDomains == nil || len(c.Tenants[0].AcceptedDomains) != 0 {
		t.Errorf("Clone: empty AcceptedDomains became %#v", c.Tenants[0].AcceptedDomains)
	}
	if c.MXRecords != nil || c.Tenants[0].Recipients != nil {
		t.Errorf("Clone: nil slices became %#v, %#v", c.MXRecords, c.Tenants[0].Recipients)
	}
}

// TestSpecCloneSharesNothing fills every field of a Spec by reflection, so
// that fields added later are covered, and checks that Clone copies every
// slice, map and pointer.
func TestSpecCloneSharesNothing(t *testing.T) {
	var s topology.Spec
	n := 0
	fill(t, reflect.ValueOf(&s).Elem(), &n, "Spec")
	want := topology.Spec{}
	n = 0
	fill(t, reflect.ValueOf(&want).Elem(), &n, "Spec")
	c := s.Clone()
	if diff := cmp.Diff(want, c); diff != "" {
		t.Fatalf("Clone() mismatch (-want +got):\n%s", diff)
	}
	noneShared(t, reflect.ValueOf(s), reflect.ValueOf(c), "Spec")
	change(reflect.ValueOf(&c).Elem())
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("changing the clone changed the original (-want +got):\n%s", diff)
	}
	if cmp.Equal(want, c) {
		t.Error("change() changed nothing")
	}
}

// fill sets every leaf of v, which must be settable, to a value made from
// *n, and every slice and map to two elements.
func fill(t *testing.T, v reflect.Value, n *int, path string) {
	t.Helper()
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprint("s", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n%100 + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n%2 + 1))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), n, "*"+path)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), n, fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(t, v.Index(i), n, fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for range 2 {
			k := reflect.New(v.Type().Key()).Elem()
			fill(t, k, n, path+"[key]")
			e := reflect.New(v.Type().Elem()).Elem()
			fill(t, e, n, path+"[elem]")
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				t.Errorf("%s.%s is unexported: Spec.Clone copies unexported fields shallowly and this test cannot fill them", path, f.Name)
				continue
			}
			fill(t, v.Field(i), n, path+"."+f.Name)
		}
	default:
		t.Errorf("%s is a %s: decide how Spec.Clone copies it and teach this test", path, v.Kind())
	}
}

// noneShared reports every slice, map or pointer that a and b share.
func noneShared(t *testing.T, a, b reflect.Value, path string) {
	t.Helper()
	switch a.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if a.IsNil() {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s is shared by the Spec and its clone", path)
		}
	}
	switch a.Kind() {
	case reflect.Pointer:
		noneShared(t, a.Elem(), b.Elem(), "*"+path)
	case reflect.Slice, reflect.Array:
		for i := range a.Len() {
			noneShared(t, a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		for it := a.MapRange(); it.Next(); {
			noneShared(t, it.Value(), b.MapIndex(it.Key()), path+"[elem]")
		}
	case reflect.Struct:
		for i := range a.NumField() {
			noneShared(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
		}
	}
}

// change changes every leaf of v in place, without replacing slices, maps
// or pointers.
func change(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "'")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.Pointer:
		if !v.IsNil() {
			change(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			change(v.Index(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(it.Value())
			change(e)
			v.SetMapIndex(it.Key(), e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				change(v.Field(i))
			}
		}
	}
}

func ExampleTopology_With() {
	topo, err := topology.Build(topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
		}},
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Servers:         []topology.ServerSpec{{Name: "EX01", Fqdn: "ex01.contoso.com", Hosts: []string{"mail.contoso.com"}}},
		}},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", Preference: 10, NameExchange: "mail.contoso.com"}},
		Hybrid: []topology.HybridConfiguration{{
			Tenant: "contoso", OnPremises: "contoso", Domains: []string{"contoso.com"},
			OnPremisesSmartHost: "mail.contoso.com", TlsCertificateName: "mail.contoso.com",
			SendingTransportServers: []string{"EX01"}, ReceivingTransportServers: []string{"EX01"},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cutover := topology.PointMX("contoso.com", topology.EOPHost("contoso.com"))
	after, err := topo.With(cutover)
	if err != nil {
		fmt.Println(err)
		return
	}
	show := func(when string, t *topology.Topology) {
		for mx := range t.MX("contoso.com") {
			n, _ := t.ResolveHost(mx.NameExchange)
			fmt.Printf("%s: MX contoso.com %d %s -> %s\n", when, mx.Preference, mx.NameExchange, n.ID)
		}
	}
	show("before", topo)
	fmt.Println("change:", cutover)
	show("after", after)
	// Output:
	// before: MX contoso.com 10 mail.contoso.com -> onprem:contoso/EX01
	// change: MX contoso.com -> contoso-com.mail.protection.outlook.com
	// after: MX contoso.com 0 contoso-com.mail.protection.outlook.com -> eop:contoso
}

// TestSpecRecipientsAsDeclared: Spec gives the recipients as declared,
// though the Topology finds them in its directories, which hold a
// group's Members in their one order and the addresses directory
// synchronization added: declared order, Members order, EmailAddresses,
// nil and empty lists alike; and a change to the copy changes nothing.
func TestSpecRecipientsAsDeclared(t *testing.T) {
	spec := minimalSpec()
	spec.Hybrid[0].DirectorySynchronization = true
	spec.Tenants[0].Recipients = []topology.Recipient{
		{Name: "zed", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "zed@contoso.com", EmailAddresses: []string{}},
		{Name: "all", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "all@contoso.com",
			Members: []string{"zed@contoso.com", "amy@contoso.com"}},
		{Name: "amy", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "amy@contoso.com"},
	}
	spec.OnPremises[0].Recipients = []topology.Recipient{}
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	x, _ := topo.Tenant("contoso")
	zed, _ := x.Recipient("zed@contoso.com")
	require.NotEmpty(t, zed.EmailAddresses, "directory synchronization adds the coexistence address")
	got := topo.Spec()
	if diff := cmp.Diff(spec, got); diff != "" {
		t.Fatalf("Spec() mismatch (-want +got):\n%s", diff)
	}
	require.NotNil(t, got.Tenants[0].Recipients[0].EmailAddresses)
	require.NotNil(t, got.OnPremises[0].Recipients)
	got.Tenants[0].Recipients[1].Members[0] = "changed@contoso.com"
	got.Tenants[0].Recipients[2].Name = "changed"
	if diff := cmp.Diff(spec, topo.Spec()); diff != "" {
		t.Errorf("Spec() after changing a copy (-want +got):\n%s", diff)
	}
}
