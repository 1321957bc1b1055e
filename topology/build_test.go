package topology_test

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

func id(s string) topology.NodeID { return topology.MustParseNodeID(s) }

// certificate is the on-premises certificate of the Contoso examples, as
// Get-ExchangeCertificate writes it in a connector's TlsCertificateName.
const certificate = "<I>CN=Contoso Issuing CA, DC=contoso, DC=com<S>CN=mail.contoso.com, OU=IT, O=Contoso"

// contosoSpec is a small hybrid topology: the tenant contoso and the
// on-premises organization contoso, paired by the Hybrid Configuration
// Wizard, with an Internet domain and a partner.
func contosoSpec(features ...string) topology.Spec {
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name: "contoso",
			AcceptedDomains: []topology.AcceptedDomain{
				{DomainName: "contoso.com"},
				{DomainName: "Fabrikam.com", DomainType: topology.InternalRelay},
			},
			Recipients: []topology.Recipient{
				{
					Name: "Julie", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "julie@contoso.com",
					EmailAddresses: []string{"smtp:julie@fabrikam.com"},
				},
				{
					Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@contoso.com",
					EmailAddresses: []string{"SMTP:david@contoso.com", "smtp:David@contoso.mail.onmicrosoft.com", "X500:/o=Contoso/cn=david"},
				},
				{Name: "Erin", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "erin@cpandl.com", ExternalEmailAddress: "SMTP:erin@cpandl.com"},
			},
			InboundConnectors: []connector.Inbound{{
				Name: "From ContosoBank", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"},
				RequireTls: connector.True, TlsSenderCertificateName: "mail.contosobank.com", RestrictDomainsToCertificate: true,
			}},
			OutboundConnectors: []connector.Outbound{{
				Name: "To ContosoBank", ConnectorType: connector.Partner, RecipientDomains: []string{"contosobank.com"},
				UseMXRecord: connector.True, TlsSettings: connector.TlsDomainValidation, TlsDomain: "mail.contosobank.com",
			}},
		}},
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Servers: []topology.ServerSpec{
				{Name: "EX02", Fqdn: "ex02.contoso.com"},
				{Name: "EX01", Fqdn: "EX01.contoso.com", Hosts: []string{"mail.contoso.com", "autodiscover.contoso.com"}, IPAddress: "192.0.2.10"},
				{Name: "CAS01", Role: topology.ClientAccess, Fqdn: "cas01.contoso.com"},
			},
			Recipients: []topology.Recipient{
				{Name: "Julie", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "julie@contoso.com", Server: "EX01"},
				{
					Name: "David", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "david@contoso.com",
					RemoteRoutingAddress: "david@contoso.mail.onmicrosoft.com",
				},
			},
			SendConnectors: []connector.Send{{Name: "To Internet", AddressSpaces: []string{"SMTP:*;1"}, SourceTransportServers: []string{"EX01", "EX02"}}},
		}},
		External: []topology.ExternalSpec{
			{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx2.cpandl.com", "mx1.cpandl.com", "mx0.cpandl.com"}, IPAddress: "198.51.100.25"},
			{Name: "contosobank", Kind: topology.Partner, Domains: []string{"contosobank.com"}, Hosts: []string{"mail.contosobank.com"}},
		},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", Preference: 0, NameExchange: "contoso-com.mail.protection.outlook.com"},
			{Domain: "cpandl.com", Preference: 20, NameExchange: "mx2.cpandl.com"},
			{Domain: "cpandl.com", Preference: 10, NameExchange: "MX1.cpandl.com"},
			{Domain: "CPANDL.com", Preference: 10, NameExchange: "mx0.cpandl.com"},
			{Domain: "contosobank.com", Preference: 10, NameExchange: "mail.contosobank.com"},
		},
		Hybrid: []topology.HybridConfiguration{{
			Tenant: "contoso", OnPremises: "contoso", Domains: []string{"contoso.com"},
			OnPremisesSmartHost: "mail.contoso.com", TlsCertificateName: certificate,
			SendingTransportServers: []string{"EX01"}, ReceivingTransportServers: []string{"EX01"},
			Features: features,
		}},
	}
}

func TestBuildNodes(t *testing.T) {
	topo, err := topology.Build(contosoSpec())
	require.NoError(t, err)
	want := []testopts.NodeView{
		{
			ID: id("eop:contoso"), Kind: topology.KindEOP, Role: topology.RoleEOP, Org: "contoso", Name: "contoso",
			Hosts: []string{
				"contoso-com.mail.protection.outlook.com",
				"contoso-mail-onmicrosoft-com.mail.protection.outlook.com",
				"contoso-onmicrosoft-com.mail.protection.outlook.com",
				"fabrikam-com.mail.protection.outlook.com",
			},
			StartTLS: true, Certificate: &topology.Certificate{CertificateDomains: []string{"mail.protection.outlook.com", "*.mail.protection.outlook.com"}, Status: topology.CertificateValid},
		},
		{ID: id("exo:contoso"), Kind: topology.KindExchangeOnline, Role: topology.RoleExchangeOnline, Org: "contoso", Name: "contoso",
			StartTLS: true, Certificate: &topology.Certificate{CertificateDomains: []string{"mail.protection.outlook.com", "*.mail.protection.outlook.com"}, Status: topology.CertificateValid}},
		{
			ID: id("ext:cpandl"), Kind: topology.KindInternet, Role: topology.RoleInternetMX, Org: "cpandl", Name: "cpandl",
			Hosts: []string{"mx0.cpandl.com", "mx1.cpandl.com", "mx2.cpandl.com"}, IPAddress: netip.MustParseAddr("198.51.100.25"),
			StartTLS: true,
		},
		{ID: id("internet"), Kind: topology.KindInternet, Role: topology.RoleInternetSender, Name: "Internet", StartTLS: true},
		{
			ID: id("onprem:contoso/CAS01"), Kind: topology.KindOnPremises, Role: topology.RoleOnPremFrontEnd, Org: "contoso", Name: "CAS01",
			Hosts: []string{"cas01.contoso.com"}, ServerRole: topology.ClientAccess,
			StartTLS: true, Certificate: &topology.Certificate{CertificateDomains: []string{"cas01.contoso.com", "CAS01"}, IsSelfSigned: true, Status: topology.CertificateValid},
		},
		{
			ID: id("onprem:contoso/EX01"), Kind: topology.KindOnPremises, Role: topology.RoleOnPremTransport, Org: "contoso", Name: "EX01",
			Hosts: []string{"autodiscover.contoso.com", "ex01.contoso.com", "mail.contoso.com"}, IPAddress: netip.MustParseAddr("192.0.2.10"),
			ServerRole: topology.Mailbox, StartTLS: true, Certificate: &topology.Certificate{CertificateDomains: []string{"ex01.contoso.com", "EX01"}, IsSelfSigned: true, Status: topology.CertificateValid},
		},
		{
			ID: id("onprem:contoso/EX02"), Kind: topology.KindOnPremises, Role: topology.RoleOnPremTransport, Org: "contoso", Name: "EX02",
			Hosts: []string{"ex02.contoso.com"}, ServerRole: topology.Mailbox,
			StartTLS: true, Certificate: &topology.Certificate{CertificateDomains: []string{"ex02.contoso.com", "EX02"}, IsSelfSigned: true, Status: topology.CertificateValid},
		},
		{
			ID: id("partner:contosobank"), Kind: topology.KindPartner, Role: topology.RolePartnerOrg, Org: "contosobank", Name: "contosobank",
			Hosts: []string{"mail.contosobank.com"}, StartTLS: true,
		},
	}
	got := testopts.Views(topo.Nodes())
	if diff := cmp.Diff(want, got, testopts.Cmp); diff != "" {
		t.Errorf("Nodes() mismatch (-want +got):\n%s", diff)
	}
	// The sequence may be used more than once.
	if diff := cmp.Diff(got, testopts.Views(topo.Nodes()), testopts.Cmp); diff != "" {
		t.Errorf("second Nodes() mismatch (-want +got):\n%s", diff)
	}
	for _, n := range want {
		g, ok := topo.Node(n.ID)
		if !ok {
			t.Errorf("Node(%v) = false, want the node", n.ID)
			continue
		}
		if diff := cmp.Diff(n, testopts.View(g), testopts.Cmp); diff != "" {
			t.Errorf("Node(%v) mismatch (-want +got):\n%s", n.ID, diff)
		}
	}
	if n, ok := topo.Node(id("onprem:contoso/EX03")); ok {
		t.Errorf("Node(onprem:contoso/EX03) = %v, true, want false", n.ID)
	}
	if diff := cmp.Diff(want[3], testopts.View(topo.Internet()), testopts.Cmp); diff != "" {
		t.Errorf("Internet() mismatch (-want +got):\n%s", diff)
	}
	if topology.InternetID() != id("internet") {
		t.Errorf("InternetID() = %v, want internet", topology.InternetID())
	}

	// The nodes point back to their organizations.
	tenant, ok := topo.Tenant("contoso")
	require.True(t, ok)
	org, ok := topo.OnPremisesOrg("contoso")
	require.True(t, ok)
	for _, tt := range []struct {
		id         string
		wantTenant *topology.Tenant
		wantOrg    *topology.OnPremises
	}{
		{"eop:contoso", tenant, nil},
		{"exo:contoso", tenant, nil},
		{"onprem:contoso/EX01", nil, org},
		{"onprem:contoso/CAS01", nil, org},
		{"ext:cpandl", nil, nil},
		{"internet", nil, nil},
	} {
		n, _ := topo.Node(id(tt.id))
		if n.Tenant() != tt.wantTenant || n.OnPremises() != tt.wantOrg {
			t.Errorf("Node(%s).Tenant(), OnPremises() = %p, %p, want %p, %p", tt.id, n.Tenant(), n.OnPremises(), tt.wantTenant, tt.wantOrg)
		}
	}
}

func TestBuildResolveHost(t *testing.T) {
	topo, err := topology.Build(contosoSpec())
	require.NoError(t, err)
	tests := []struct {
		name   string
		host   string
		wantID string // "" when the host resolves to nothing
	}{
		{name: "ServerFqdn", host: "ex01.contoso.com", wantID: "onprem:contoso/EX01"},
		{name: "ServerHost", host: "mail.contoso.com", wantID: "onprem:contoso/EX01"},
		{name: "UpperCase", host: "MAIL.Contoso.COM", wantID: "onprem:contoso/EX01"},
		{name: "ClientAccess", host: "cas01.contoso.com", wantID: "onprem:contoso/CAS01"},
		{name: "EOPHost", host: "contoso-com.mail.protection.outlook.com", wantID: "eop:contoso"},
		{name: "EOPHostInitialDomain", host: "contoso-onmicrosoft-com.mail.protection.outlook.com", wantID: "eop:contoso"},
		{name: "EOPHostCoexistenceDomain", host: "contoso-mail-onmicrosoft-com.mail.protection.outlook.com", wantID: "eop:contoso"},
		{name: "EOPHostInternalRelayDomain", host: "fabrikam-com.mail.protection.outlook.com", wantID: "eop:contoso"},
		{name: "External", host: "mx2.cpandl.com", wantID: "ext:cpandl"},
		{name: "Partner", host: "mail.contosobank.com", wantID: "partner:contosobank"},
		{name: "Unknown", host: "mail.tailspintoys.com"},
		{name: "Domain", host: "contoso.com"},
		{name: "Empty", host: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := topo.ResolveHost(tt.host)
			if tt.wantID == "" {
				if ok {
					t.Errorf("ResolveHost(%q) = %v, true, want false", tt.host, n.ID)
				}
				return
			}
			if !ok || n.ID != id(tt.wantID) {
				t.Errorf("ResolveHost(%q) = %v, %v, want %s, true", tt.host, n.ID, ok, tt.wantID)
			}
		})
	}
}

func TestBuildMX(t *testing.T) {
	topo, err := topology.Build(contosoSpec())
	require.NoError(t, err)
	tests := []struct {
		name   string
		domain string
		want   []topology.MXRecord
	}{
		{
			name:   "PreferenceThenHost",
			domain: "cpandl.com",
			want: []topology.MXRecord{
				{Domain: "cpandl.com", Preference: 10, NameExchange: "mx0.cpandl.com"},
				{Domain: "cpandl.com", Preference: 10, NameExchange: "mx1.cpandl.com"},
				{Domain: "cpandl.com", Preference: 20, NameExchange: "mx2.cpandl.com"},
			},
		},
		{
			name:   "UpperCaseQuery",
			domain: "CPANDL.COM",
			want: []topology.MXRecord{
				{Domain: "cpandl.com", Preference: 10, NameExchange: "mx0.cpandl.com"},
				{Domain: "cpandl.com", Preference: 10, NameExchange: "mx1.cpandl.com"},
				{Domain: "cpandl.com", Preference: 20, NameExchange: "mx2.cpandl.com"},
			},
		},
		{
			name:   "Declared",
			domain: "contoso.com",
			want:   []topology.MXRecord{{Domain: "contoso.com", Preference: 0, NameExchange: "contoso-com.mail.protection.outlook.com"}},
		},
		{
			name:   "InitialDomain",
			domain: "contoso.onmicrosoft.com",
			want:   []topology.MXRecord{{Domain: "contoso.onmicrosoft.com", Preference: 0, NameExchange: "contoso-onmicrosoft-com.mail.protection.outlook.com"}},
		},
		{
			name:   "CoexistenceDomain",
			domain: "contoso.mail.onmicrosoft.com",
			want:   []topology.MXRecord{{Domain: "contoso.mail.onmicrosoft.com", Preference: 0, NameExchange: "contoso-mail-onmicrosoft-com.mail.protection.outlook.com"}},
		},
		{name: "AcceptedWithoutMX", domain: "fabrikam.com", want: nil},
		{name: "Unknown", domain: "tailspintoys.com", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, slices.Collect(topo.MX(tt.domain)), testopts.Cmp); diff != "" {
				t.Errorf("MX(%q) mismatch (-want +got):\n%s", tt.domain, diff)
			}
		})
	}
}

func TestBuildTenant(t *testing.T) {
	topo, err := topology.Build(contosoSpec())
	require.NoError(t, err)
	if n := len(slices.Collect(topo.Tenants())); n != 1 {
		t.Errorf("len(Tenants()) = %d, want 1", n)
	}
	x, ok := topo.Tenant("contoso")
	require.True(t, ok)
	if _, ok := topo.Tenant("fabrikam"); ok {
		t.Errorf("Tenant(%q) = true, want false", "fabrikam")
	}
	if x.Name() != "contoso" || x.EOP() != id("eop:contoso") || x.ExchangeOnline() != id("exo:contoso") ||
		x.CoexistenceDomain() != "contoso.mail.onmicrosoft.com" || x.HopLimit() != topology.DefaultHopLimit {
		t.Errorf("Tenant = %q, %v, %v, %q, %d, want contoso, eop:contoso, exo:contoso, contoso.mail.onmicrosoft.com, %d",
			x.Name(), x.EOP(), x.ExchangeOnline(), x.CoexistenceDomain(), x.HopLimit(), topology.DefaultHopLimit)
	}
	org, ok := topo.OnPremisesOrg("contoso")
	require.True(t, ok)
	if x.Hybrid() != org || org.Hybrid() != x {
		t.Errorf("Tenant.Hybrid(), OnPremises.Hybrid() = %p, %p, want %p, %p", x.Hybrid(), org.Hybrid(), org, x)
	}

	wantDomains := []topology.AcceptedDomain{
		{DomainName: "contoso.com", DomainType: topology.Authoritative},
		{DomainName: "contoso.mail.onmicrosoft.com", DomainType: topology.Authoritative},
		{DomainName: "contoso.onmicrosoft.com", DomainType: topology.Authoritative},
		{DomainName: "fabrikam.com", DomainType: topology.InternalRelay},
	}
	if diff := cmp.Diff(wantDomains, slices.Collect(x.AcceptedDomains()), testopts.Cmp); diff != "" {
		t.Errorf("AcceptedDomains() mismatch (-want +got):\n%s", diff)
	}
	if a, ok := x.AcceptedDomain("FABRIKAM.com"); !ok || a != wantDomains[3] {
		t.Errorf("AcceptedDomain(%q) = %+v, %v, want %+v, true", "FABRIKAM.com", a, ok, wantDomains[3])
	}
	for _, d := range []string{"contoso.com", "Contoso.OnMicrosoft.com", "fabrikam.com"} {
		if got, ok := topo.TenantAccepting(d); !ok || got != x {
			t.Errorf("TenantAccepting(%q) = %p, %v, want %p, true", d, got, ok, x)
		}
	}
	if got, ok := topo.TenantAccepting("cpandl.com"); ok {
		t.Errorf("TenantAccepting(%q) = %p, true, want false", "cpandl.com", got)
	}

	wantRecipients := []topology.Recipient{
		{
			Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@contoso.com",
			EmailAddresses: []string{"SMTP:david@contoso.com", "smtp:David@contoso.mail.onmicrosoft.com", "X500:/o=Contoso/cn=david"},
		},
		{Name: "Erin", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "erin@cpandl.com", ExternalEmailAddress: "SMTP:erin@cpandl.com"},
		{
			Name: "Julie", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "julie@contoso.com",
			EmailAddresses: []string{"smtp:julie@fabrikam.com"},
		},
	}
	if diff := cmp.Diff(wantRecipients, slices.Collect(x.Recipients()), testopts.Cmp); diff != "" {
		t.Errorf("Recipients() mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantRecipients, slices.Collect(x.Recipients()), testopts.Cmp); diff != "" {
		t.Errorf("AllRecipients() mismatch (-want +got):\n%s", diff)
	}
	for addr, want := range map[string]string{
		"david@contoso.mail.onmicrosoft.com": "David",
		"DAVID@CONTOSO.COM":                  "David",
		"julie@fabrikam.com":                 "Julie",
		"erin@cpandl.com":                    "Erin",
		"/o=Contoso/cn=david":                "",
		"nobody@contoso.com":                 "",
	} {
		r, ok := x.Recipient(addr)
		if r.Name != want || ok != (want != "") {
			t.Errorf("Recipient(%q) = %q, %v, want %q, %v", addr, r.Name, ok, want, want != "")
		}
	}

	wantInbound := []connector.Inbound{
		{
			Name: "From ContosoBank", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"},
			RequireTls: connector.True, TlsSenderCertificateName: "mail.contosobank.com", RestrictDomainsToCertificate: true,
		},
		{
			Name:                     "Inbound from contoso",
			ConnectorType:            connector.OnPremises,
			SenderDomains:            []string{"*"},
			RequireTls:               connector.True,
			TlsSenderCertificateName: "mail.contoso.com",
			CloudServicesMailEnabled: true,
			ConnectorSource:          connector.SourceHybridWizard,
			Enabled:                  connector.True,
		},
	}
	if diff := cmp.Diff(wantInbound, slices.Collect(x.InboundConnectors()), testopts.Cmp); diff != "" {
		t.Errorf("InboundConnectors() mismatch (-want +got):\n%s", diff)
	}
	wantOutbound := []connector.Outbound{
		{
			Name:                     "Outbound to contoso",
			ConnectorType:            connector.OnPremises,
			RecipientDomains:         []string{"contoso.com"},
			UseMXRecord:              connector.False,
			SmartHosts:               []string{"mail.contoso.com"},
			TlsSettings:              connector.TlsDomainValidation,
			TlsDomain:                "mail.contoso.com",
			CloudServicesMailEnabled: true,
			ConnectorSource:          connector.SourceHybridWizard,
			Enabled:                  connector.True,
		},
		{
			Name: "To ContosoBank", ConnectorType: connector.Partner, RecipientDomains: []string{"contosobank.com"},
			UseMXRecord: connector.True, TlsSettings: connector.TlsDomainValidation, TlsDomain: "mail.contosobank.com",
		},
	}
	if diff := cmp.Diff(wantOutbound, slices.Collect(x.OutboundConnectors()), testopts.Cmp); diff != "" {
		t.Errorf("OutboundConnectors() mismatch (-want +got):\n%s", diff)
	}
	if c, ok := x.CentralizedTransport(); ok {
		t.Errorf("CentralizedTransport() = %q, true, want false without the CentralizedTransport feature", c.Name)
	}

	for _, tt := range []struct {
		domain, wantName, wantPattern string
	}{
		{"contoso.com", "Outbound to contoso", "contoso.com"},
		{"Contoso.COM", "Outbound to contoso", "contoso.com"},
		{"contosobank.com", "To ContosoBank", "contosobank.com"},
		{"cpandl.com", "", ""},
		{"fabrikam.com", "", ""},
	} {
		c, sel, ok := x.SelectOutbound(tt.domain)
		if tt.wantName == "" {
			if ok {
				t.Errorf("SelectOutbound(%q) = %q, true, want false", tt.domain, c.Name)
			}
			continue
		}
		if !ok || c.Name != tt.wantName || sel.Pattern != connector.MustParsePattern(tt.wantPattern) || wantOutbound[sel.Index].Name != tt.wantName {
			t.Errorf("SelectOutbound(%q) = %q, %+v, %v, want %q, pattern %s, true", tt.domain, c.Name, sel, ok, tt.wantName, tt.wantPattern)
		}
	}
}

func TestBuildCentralizedTransport(t *testing.T) {
	tests := []struct {
		name     string
		features []string
		want     bool
	}{
		{name: "NoFeatures", features: nil, want: false},
		{name: "OtherFeatures", features: []string{"FreeBusy", "Mailtips", "OnlineArchive"}, want: false},
		{name: "CentralizedTransport", features: []string{"FreeBusy", topology.FeatureCentralizedTransport}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			topo, err := topology.Build(contosoSpec(tt.features...))
			require.NoError(t, err)
			x, ok := topo.Tenant("contoso")
			require.True(t, ok)
			want := connector.Outbound{
				Name:                          "Outbound to contoso",
				ConnectorType:                 connector.OnPremises,
				RecipientDomains:              []string{"contoso.com"},
				UseMXRecord:                   connector.False,
				SmartHosts:                    []string{"mail.contoso.com"},
				TlsSettings:                   connector.TlsDomainValidation,
				TlsDomain:                     "mail.contoso.com",
				CloudServicesMailEnabled:      true,
				RouteAllMessagesViaOnPremises: tt.want,
				ConnectorSource:               connector.SourceHybridWizard,
				Enabled:                       connector.True,
			}
			c, _, ok := x.SelectOutbound("contoso.com")
			require.True(t, ok)
			if diff := cmp.Diff(want, c, testopts.Cmp); diff != "" {
				t.Errorf("SelectOutbound(contoso.com) mismatch (-want +got):\n%s", diff)
			}
			cmt, ok := x.CentralizedTransport()
			if ok != tt.want {
				t.Fatalf("CentralizedTransport() = %q, %v, want %v", cmt.Name, ok, tt.want)
			}
			if ok {
				if diff := cmp.Diff(want, cmt, testopts.Cmp); diff != "" {
					t.Errorf("CentralizedTransport() mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestBuildOnPremises(t *testing.T) {
	topo, err := topology.Build(contosoSpec())
	require.NoError(t, err)
	if n := len(slices.Collect(topo.OnPremisesOrgs())); n != 1 {
		t.Errorf("len(OnPremisesOrgs()) = %d, want 1", n)
	}
	o, ok := topo.OnPremisesOrg("contoso")
	require.True(t, ok)
	if o.Name() != "contoso" || o.MaxHopCount() != topology.DefaultMaxHopCount || o.MaxLocalHopCount() != topology.DefaultMaxLocalHopCount {
		t.Errorf("OnPremises = %q, %d, %d, want contoso, %d, %d", o.Name(), o.MaxHopCount(), o.MaxLocalHopCount(),
			topology.DefaultMaxHopCount, topology.DefaultMaxLocalHopCount)
	}
	// The wizard adds the coexistence domain on-premises.
	wantDomains := []topology.AcceptedDomain{
		{DomainName: "contoso.com", DomainType: topology.Authoritative},
		{DomainName: "contoso.mail.onmicrosoft.com", DomainType: topology.InternalRelay},
	}
	if diff := cmp.Diff(wantDomains, slices.Collect(o.AcceptedDomains()), testopts.Cmp); diff != "" {
		t.Errorf("AcceptedDomains() mismatch (-want +got):\n%s", diff)
	}
	if got, ok := topo.OnPremisesAccepting("CONTOSO.com"); !ok || got != o {
		t.Errorf("OnPremisesAccepting(%q) = %p, %v, want %p, true", "CONTOSO.com", got, ok, o)
	}
	if got, ok := topo.OnPremisesAccepting("fabrikam.com"); ok {
		t.Errorf("OnPremisesAccepting(%q) = %p, true, want false", "fabrikam.com", got)
	}
	wantRecipients := []topology.Recipient{
		{
			Name: "David", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "david@contoso.com",
			RemoteRoutingAddress: "david@contoso.mail.onmicrosoft.com",
		},
		{Name: "Julie", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "julie@contoso.com", Server: "EX01"},
	}
	if diff := cmp.Diff(wantRecipients, slices.Collect(o.Recipients()), testopts.Cmp); diff != "" {
		t.Errorf("AllRecipients() mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantRecipients, slices.Collect(o.Recipients()), testopts.Cmp); diff != "" {
		t.Errorf("Recipients() mismatch (-want +got):\n%s", diff)
	}
	if r, ok := o.Recipient("Julie@Contoso.com"); !ok || r.Name != "Julie" {
		t.Errorf("Recipient(%q) = %q, %v, want Julie, true", "Julie@Contoso.com", r.Name, ok)
	}
	if diff := cmp.Diff([]topology.NodeID{id("onprem:contoso/EX01"), id("onprem:contoso/EX02")}, slices.Collect(o.MailboxServers()), testopts.Cmp); diff != "" {
		t.Errorf("MailboxServers() mismatch (-want +got):\n%s", diff)
	}
	for name, want := range map[string]string{"EX01": "onprem:contoso/EX01", "ex02": "onprem:contoso/EX02", "CAS01": "onprem:contoso/CAS01", "EX03": ""} {
		got, ok := o.Server(name)
		if want == "" {
			if ok {
				t.Errorf("Server(%q) = %v, true, want false", name, got)
			}
			continue
		}
		if !ok || got != id(want) {
			t.Errorf("Server(%q) = %v, %v, want %s, true", name, got, ok, want)
		}
	}
	for server, want := range map[string]bool{"EX01": true, "ex01": true, "EX02": false, "CAS01": false} {
		if got := o.AcceptsCloudServicesMail(server); got != want {
			t.Errorf("AcceptsCloudServicesMail(%q) = %v, want %v", server, got, want)
		}
	}

	wantSend := []connector.Send{
		{
			Name:                     "Outbound to Office 365",
			AddressSpaces:            []string{"smtp:contoso.mail.onmicrosoft.com;1"},
			DNSRoutingEnabled:        connector.True,
			RequireTLS:               true,
			TlsAuthLevel:             "DomainValidation",
			TlsDomain:                "mail.protection.outlook.com",
			TlsCertificateName:       certificate,
			Fqdn:                     "mail.contoso.com",
			CloudServicesMailEnabled: true,
			SourceTransportServers:   []string{"EX01"},
			Enabled:                  connector.True,
		},
		{Name: "To Internet", AddressSpaces: []string{"SMTP:*;1"}, SourceTransportServers: []string{"EX01", "EX02"}},
	}
	if diff := cmp.Diff(wantSend, slices.Collect(o.SendConnectors()), testopts.Cmp); diff != "" {
		t.Errorf("SendConnectors() mismatch (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		domain, server, wantName string
		wantLocal                bool
	}{
		{"contoso.mail.onmicrosoft.com", "EX01", "Outbound to Office 365", true},
		{"contoso.mail.onmicrosoft.com", "EX02", "Outbound to Office 365", false},
		{"cpandl.com", "EX02", "To Internet", true},
		{"contoso.com", "EX01", "To Internet", true},
	} {
		c, sel, ok := o.SelectSend(tt.domain, tt.server, 0)
		if !ok || c.Name != tt.wantName || sel.Local != tt.wantLocal || wantSend[sel.Index].Name != tt.wantName {
			t.Errorf("SelectSend(%q, %q) = %q, %+v, %v, want %q, Local %v, true", tt.domain, tt.server, c.Name, sel, ok, tt.wantName, tt.wantLocal)
		}
	}
}

func TestBuildFindMailbox(t *testing.T) {
	topo, err := topology.Build(contosoSpec())
	require.NoError(t, err)
	tests := []struct {
		name     string
		address  string
		wantNode string // "" when there is no mailbox
		wantName string
	}{
		{name: "ExchangeOnline", address: "david@contoso.com", wantNode: "exo:contoso", wantName: "David"},
		{name: "ExchangeOnlineProxy", address: "DAVID@contoso.mail.onmicrosoft.com", wantNode: "exo:contoso", wantName: "David"},
		{name: "OnPremises", address: "julie@contoso.com", wantNode: "onprem:contoso/EX01", wantName: "Julie"},
		{name: "OnPremisesUpperCase", address: "JULIE@CONTOSO.COM", wantNode: "onprem:contoso/EX01", wantName: "Julie"},
		{name: "MailUserProxyOnly", address: "julie@fabrikam.com"},
		{name: "MailContact", address: "erin@cpandl.com"},
		{name: "Unknown", address: "nobody@contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, r, ok := topo.FindMailbox(tt.address)
			if tt.wantNode == "" {
				if ok {
					t.Errorf("FindMailbox(%q) = %v, %q, true, want false", tt.address, n.ID, r.Name)
				}
				return
			}
			if !ok || n.ID != id(tt.wantNode) || r.Name != tt.wantName || r.RecipientTypeDetails != topology.UserMailbox {
				t.Errorf("FindMailbox(%q) = %v, %q (%s), %v, want %s, %q (UserMailbox), true",
					tt.address, n.ID, r.Name, r.RecipientTypeDetails, ok, tt.wantNode, tt.wantName)
			}
		})
	}
}

func TestBuildDefaultsAndLimits(t *testing.T) {
	spec := contosoSpec()
	spec.Tenants[0].Name = "Contoso"
	spec.Tenants[0].HopLimit = 5
	spec.OnPremises[0].MaxHopCount = 60
	spec.OnPremises[0].MaxLocalHopCount = 5
	spec.Hybrid[0].Tenant = "Contoso"
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	x, ok := topo.Tenant("contoso")
	require.True(t, ok, "Tenant(%q) = false for the tenant declared as %q", "contoso", "Contoso")
	if x.Name() != "contoso" || x.EOP() != id("eop:contoso") || x.HopLimit() != 5 {
		t.Errorf("Tenant(%q) = %q, %v, HopLimit %d, want contoso, eop:contoso, HopLimit 5", "contoso", x.Name(), x.EOP(), x.HopLimit())
	}
	o, ok := topo.OnPremisesOrg("contoso")
	require.True(t, ok)
	if o.MaxHopCount() != 60 || o.MaxLocalHopCount() != 5 {
		t.Errorf("MaxHopCount(), MaxLocalHopCount() = %d, %d, want 60, 5", o.MaxHopCount(), o.MaxLocalHopCount())
	}
	if x.Hybrid() != o {
		t.Errorf("Tenant.Hybrid() = %p, want %p", x.Hybrid(), o)
	}
}

// minimalSpec is the base of the invalid specs: a valid hybrid
// organization with a Mailbox and a Client Access server and an Internet
// domain.
func minimalSpec() topology.Spec {
	return topology.Spec{
		Tenants: []topology.TenantSpec{{Name: "contoso", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}}}},
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Servers: []topology.ServerSpec{
				{Name: "EX01", Fqdn: "ex01.contoso.com", Hosts: []string{"mail.contoso.com"}},
				{Name: "CAS01", Role: topology.ClientAccess, Fqdn: "cas01.contoso.com"},
			},
		}},
		External: []topology.ExternalSpec{{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}}},
		Hybrid: []topology.HybridConfiguration{{
			Tenant: "contoso", OnPremises: "contoso", Domains: []string{"contoso.com"},
			OnPremisesSmartHost: "mail.contoso.com", TlsCertificateName: "mail.contoso.com",
			SendingTransportServers: []string{"EX01"}, ReceivingTransportServers: []string{"EX01"},
		}},
	}
}

// Object names used by the invalid-spec tests.
const (
	objT  = `Tenants["contoso"]`
	objO  = `OnPremises["contoso"]`
	objH  = `Hybrid["contoso", "contoso"]`
	objX  = `External["cpandl"]`
	objEX = `OnPremises["contoso"].Servers["EX01"]`
)

func TestBuildInvalid(t *testing.T) {
	tenantRecipients := func(rs ...topology.Recipient) func(*topology.Spec) {
		return func(s *topology.Spec) { s.Tenants[0].Recipients = rs }
	}
	onPremRecipients := func(rs ...topology.Recipient) func(*topology.Spec) {
		return func(s *topology.Spec) { s.OnPremises[0].Recipients = rs }
	}
	mx := func(rs ...topology.MXRecord) func(*topology.Spec) {
		return func(s *topology.Spec) { s.MXRecords = rs }
	}
	hybrid := func(f func(h *topology.HybridConfiguration)) func(*topology.Spec) {
		return func(s *topology.Spec) { f(&s.Hybrid[0]) }
	}
	outbound := func(cs ...connector.Outbound) func(*topology.Spec) {
		return func(s *topology.Spec) { s.Tenants[0].OutboundConnectors = cs }
	}
	inbound := func(cs ...connector.Inbound) func(*topology.Spec) {
		return func(s *topology.Spec) { s.Tenants[0].InboundConnectors = cs }
	}
	send := func(cs ...connector.Send) func(*topology.Spec) {
		return func(s *topology.Spec) { s.OnPremises[0].SendConnectors = cs }
	}
	receive := func(cs ...connector.Receive) func(*topology.Spec) {
		return func(s *topology.Spec) { s.OnPremises[0].ReceiveConnectors = cs }
	}
	const (
		recDavidT = objT + `.Recipients["david@contoso.com"]`
		recDavidO = objO + `.Recipients["david@contoso.com"]`
		recJulieO = objO + `.Recipients["julie@contoso.com"]`
	)

	tests := []struct {
		name   string
		modify func(*topology.Spec)
		want   []topology.Problem
	}{
		// Tenants.
		{
			name:   "DuplicateTenant",
			modify: func(s *topology.Spec) { s.Tenants = append(s.Tenants, topology.TenantSpec{Name: "contoso"}) },
			// Which of two duplicates Build keeps depends on their content,
			// never on their order in the Spec; here it keeps the empty one,
			// so the hybrid domain is not accepted either.
			want: []topology.Problem{
				{Path: `Hybrid["contoso", "contoso"]`, Field: "Domains[0]", Message: `contoso.com is not an accepted domain of tenant "contoso"`},
				{Path: objT, Field: "Name", Message: "is declared twice"},
			},
		},
		{
			name:   "TenantNameWithDot",
			modify: func(s *topology.Spec) { s.Tenants = append(s.Tenants, topology.TenantSpec{Name: "fabrikam.com"}) },
			want:   []topology.Problem{{Path: `Tenants["fabrikam.com"]`, Field: "Name", Message: `"fabrikam.com" is not a tenant name (letters, digits and hyphens)`}},
		},
		{
			name:   "TenantNameWithUnderscore",
			modify: func(s *topology.Spec) { s.Tenants = append(s.Tenants, topology.TenantSpec{Name: "fab_rikam"}) },
			want:   []topology.Problem{{Path: `Tenants["fab_rikam"]`, Field: "Name", Message: `"fab_rikam" is not a tenant name (letters, digits and hyphens)`}},
		},
		{
			name:   "TenantNameEmpty",
			modify: func(s *topology.Spec) { s.Tenants = append(s.Tenants, topology.TenantSpec{}) },
			want:   []topology.Problem{{Path: `Tenants[""]`, Field: "Name", Message: `"" is not a tenant name (letters, digits and hyphens)`}},
		},
		{
			name:   "ServerMessagesPerHourNegative",
			modify: func(s *topology.Spec) { s.OnPremises[0].Servers[0].MessagesPerHour = -5 },
			want:   []topology.Problem{{Path: objEX, Field: "MessagesPerHour", Message: "-5 is negative"}},
		},
		{
			name:   "ExternalMessagesPerHourNegative",
			modify: func(s *topology.Spec) { s.External[0].MessagesPerHour = -1 },
			want:   []topology.Problem{{Path: objX, Field: "MessagesPerHour", Message: "-1 is negative"}},
		},
		{
			name:   "TenantHopLimitNegative",
			modify: func(s *topology.Spec) { s.Tenants[0].HopLimit = -1 },
			want:   []topology.Problem{{Path: objT, Field: "HopLimit", Message: "-1 is negative"}},
		},
		{
			name: "HybridUnknownTenant",
			modify: hybrid(func(h *topology.HybridConfiguration) {
				h.Tenant = "fabrikam"
			}),
			want: []topology.Problem{{Path: `Hybrid["fabrikam", "contoso"]`, Field: "Tenant", Message: `no tenant is named "fabrikam"`}},
		},
		{
			name: "HybridUnknownOrganization",
			modify: hybrid(func(h *topology.HybridConfiguration) {
				h.OnPremises = "fabrikam"
			}),
			want: []topology.Problem{{Path: `Hybrid["contoso", "fabrikam"]`, Field: "OnPremises", Message: `no on-premises organization is named "fabrikam"`}},
		},
		{
			name: "HybridUnknownBoth",
			modify: hybrid(func(h *topology.HybridConfiguration) {
				h.Tenant, h.OnPremises = "tailspin", "fabrikam"
			}),
			want: []topology.Problem{
				{Path: `Hybrid["tailspin", "fabrikam"]`, Field: "OnPremises", Message: `no on-premises organization is named "fabrikam"`},
				{Path: `Hybrid["tailspin", "fabrikam"]`, Field: "Tenant", Message: `no tenant is named "tailspin"`},
			},
		},
		// Accepted domains.
		{
			name: "DuplicateAcceptedDomain",
			modify: func(s *topology.Spec) {
				s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "Contoso.com", DomainType: topology.InternalRelay})
			},
			// The duplicates are ordered by content: "Contoso.com" is kept.
			want: []topology.Problem{{Path: objT, Field: `AcceptedDomains["contoso.com"]`, Message: "is declared twice"}},
		},
		{
			name: "DuplicateAcceptedDomainOnPremises",
			modify: func(s *topology.Spec) {
				s.OnPremises[0].AcceptedDomains = append(s.OnPremises[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "contoso.com"})
			},
			want: []topology.Problem{{Path: objO, Field: `AcceptedDomains["contoso.com"]`, Message: "is declared twice"}},
		},
		{
			name: "DomainAcceptedByTwoTenants",
			modify: func(s *topology.Spec) {
				s.Tenants = append(s.Tenants, topology.TenantSpec{Name: "fabrikam", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}}})
			},
			want: []topology.Problem{
				{Path: `Tenants["fabrikam"]`, Field: "AcceptedDomains", Message: `contoso.com is already accepted by tenant "contoso"`},
				{Path: `Tenants["fabrikam"]`, Field: "AcceptedDomains", Message: `host contoso-com.mail.protection.outlook.com is already the name of Tenants["contoso"]`},
			},
		},
		{
			name: "DomainAcceptedByTwoOrganizations",
			modify: func(s *topology.Spec) {
				s.OnPremises = append(s.OnPremises, topology.OnPremisesSpec{
					Name:            "fabrikam",
					AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
					Servers:         []topology.ServerSpec{{Name: "FAB01", Fqdn: "fab01.fabrikam.com"}},
				})
			},
			want: []topology.Problem{{Path: `OnPremises["fabrikam"]`, Field: "AcceptedDomains", Message: `contoso.com is already accepted by on-premises organization "contoso"`}},
		},
		{
			name: "WildcardInTenant",
			modify: func(s *topology.Spec) {
				s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "*.fabrikam.com"})
			},
			want: []topology.Problem{{Path: objT, Field: `AcceptedDomains["*.fabrikam.com"]`,
				Message: `Exchange Online accepted domains have no wildcards: accept fabrikam.com with MatchSubDomains $true (Microsoft: "Enable mail flow for subdomains in Exchange Online")`}},
		},
		{
			name: "MatchSubDomainsAuthoritative",
			modify: func(s *topology.Spec) {
				s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.org", MatchSubDomains: true})
			},
			want: []topology.Problem{{Path: objT, Field: `AcceptedDomains["fabrikam.org"]`,
				Message: `MatchSubDomains needs DomainType InternalRelay (Microsoft: "Enable mail flow for subdomains in Exchange Online")`}},
		},
		{
			name: "MatchSubDomainsOnPremises",
			modify: func(s *topology.Spec) {
				s.OnPremises[0].AcceptedDomains = append(s.OnPremises[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.org", DomainType: topology.InternalRelay, MatchSubDomains: true})
			},
			want: []topology.Problem{{Path: objO, Field: `AcceptedDomains["fabrikam.org"]`,
				Message: "MatchSubDomains is an Exchange Online setting; on-premises, accept *.fabrikam.org as well"}},
		},
		{
			name: "ExternalRelayInTenant",
			modify: func(s *topology.Spec) {
				s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.com", DomainType: topology.ExternalRelay})
			},
			want: []topology.Problem{{Path: objT, Field: `AcceptedDomains["fabrikam.com"]`, Message: "DomainType ExternalRelay is not offered in Exchange Online"}},
		},
		{
			name: "BadDomainType",
			modify: func(s *topology.Spec) {
				s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.com", DomainType: "Relay"})
			},
			want: []topology.Problem{{Path: objT, Field: `AcceptedDomains["fabrikam.com"]`, Message: `DomainType "Relay" is not Authoritative, InternalRelay or ExternalRelay`}},
		},
		{
			name: "BadDomainTypeOnPremises",
			modify: func(s *topology.Spec) {
				s.OnPremises[0].AcceptedDomains = append(s.OnPremises[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.com", DomainType: "authoritative"})
			},
			want: []topology.Problem{{Path: objO, Field: `AcceptedDomains["fabrikam.com"]`, Message: `DomainType "authoritative" is not Authoritative, InternalRelay or ExternalRelay`}},
		},
		{
			name: "BadAcceptedDomainName",
			modify: func(s *topology.Spec) {
				s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam"})
			},
			want: []topology.Problem{{Path: objT, Field: `AcceptedDomains["fabrikam"]`, Message: `"fabrikam" is not a domain name: domain needs at least two labels`}},
		},
		// Recipients.
		{
			name:   "MalformedPrimarySmtpAddress",
			modify: tenantRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david.contoso.com"}),
			want:   []topology.Problem{{Path: objT + `.Recipients["david.contoso.com"]`, Field: "PrimarySmtpAddress", Message: `"david.contoso.com" is not an SMTP address: missing @`}},
		},
		{
			name:   "EmptyPrimarySmtpAddress",
			modify: onPremRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.UserMailbox, Server: "EX01"}),
			want:   []topology.Problem{{Path: objO + `.Recipients["David"]`, Field: "PrimarySmtpAddress", Message: `"" is not an SMTP address: empty`}},
		},
		{
			name: "MalformedEmailAddresses",
			modify: tenantRecipients(topology.Recipient{
				Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@contoso.com",
				EmailAddresses: []string{"smtp:david", "SMTP:david@contoso", ":david@contoso.com", "X500:/o=Contoso/cn=david", "david@@contoso.com", "smtp:dave@contoso.com"},
			}),
			want: []topology.Problem{
				{Path: recDavidT, Field: "EmailAddresses[0]", Message: `"smtp:david" is not an SMTP address: missing @`},
				{Path: recDavidT, Field: "EmailAddresses[1]", Message: `"SMTP:david@contoso" is not an SMTP address: domain needs at least two labels`},
				{Path: recDavidT, Field: "EmailAddresses[2]", Message: `":david@contoso.com" has an empty prefix`},
				{Path: recDavidT, Field: "EmailAddresses[4]", Message: `"david@@contoso.com" is not an SMTP address: invalid local part`},
			},
		},
		{
			name: "MalformedTargetAddresses",
			modify: onPremRecipients(
				topology.Recipient{Name: "David", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "david@contoso.com", RemoteRoutingAddress: "SMTP:david"},
				topology.Recipient{Name: "Erin", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "erin@cpandl.com", ExternalEmailAddress: "erin@cpandl"},
			),
			want: []topology.Problem{
				{Path: recDavidO, Field: "RemoteRoutingAddress", Message: `"SMTP:david" is not an SMTP address: missing @`},
				{Path: objO + `.Recipients["erin@cpandl.com"]`, Field: "ExternalEmailAddress", Message: `"erin@cpandl" is not an SMTP address: domain needs at least two labels`},
			},
		},
		{
			name: "DuplicateProxyAddress",
			modify: tenantRecipients(
				topology.Recipient{Name: "Bob", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "bob@contoso.com", EmailAddresses: []string{"smtp:sales@contoso.com"}},
				topology.Recipient{Name: "Alice", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "alice@contoso.com", EmailAddresses: []string{"SMTP:Sales@Contoso.com"}},
			),
			want: []topology.Problem{{Path: objT + `.Recipients["bob@contoso.com"]`, Field: "EmailAddresses", Message: "sales@contoso.com is already an address of alice@contoso.com"}},
		},
		{
			name: "DuplicateProxyAddressReportedOnce",
			modify: tenantRecipients(
				topology.Recipient{Name: "Alice", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "alice@contoso.com", EmailAddresses: []string{"smtp:sales@contoso.com"}},
				topology.Recipient{
					Name: "Bob", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "bob@contoso.com",
					EmailAddresses: []string{"smtp:sales@contoso.com", "SMTP:SALES@contoso.com", "smtp:Bob@Contoso.com"},
				},
			),
			want: []topology.Problem{{Path: objT + `.Recipients["bob@contoso.com"]`, Field: "EmailAddresses", Message: "sales@contoso.com is already an address of alice@contoso.com"}},
		},
		{
			name: "ProxyAddressIsAnotherPrimary",
			modify: tenantRecipients(
				topology.Recipient{Name: "Alice", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "alice@contoso.com", EmailAddresses: []string{"smtp:BOB@contoso.com"}},
				topology.Recipient{Name: "Bob", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "bob@contoso.com"},
			),
			want: []topology.Problem{{Path: objT + `.Recipients["bob@contoso.com"]`, Field: "EmailAddresses", Message: "bob@contoso.com is already an address of alice@contoso.com"}},
		},
		{
			name:   "MailboxDomainNotAccepted",
			modify: tenantRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@fabrikam.com"}),
			want:   []topology.Problem{{Path: objT + `.Recipients["david@fabrikam.com"]`, Field: "PrimarySmtpAddress", Message: "fabrikam.com is not an accepted domain of the organization"}},
		},
		{
			name:   "MailboxDomainNotAcceptedOnPremises",
			modify: onPremRecipients(topology.Recipient{Name: "Julie", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "julie@fabrikam.com", Server: "EX01"}),
			want:   []topology.Problem{{Path: objO + `.Recipients["julie@fabrikam.com"]`, Field: "PrimarySmtpAddress", Message: "fabrikam.com is not an accepted domain of the organization"}},
		},
		{
			name:   "RemoteUserMailboxWithoutRoutingAddress",
			modify: onPremRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "david@contoso.com"}),
			want:   []topology.Problem{{Path: recDavidO, Field: "RemoteRoutingAddress", Message: "a RemoteUserMailbox needs its routing address (alias@<tenant>.mail.onmicrosoft.com)"}},
		},
		{
			name: "RemoteUserMailboxInTenant",
			modify: tenantRecipients(topology.Recipient{
				Name: "David", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "david@contoso.com",
				RemoteRoutingAddress: "david@contoso.mail.onmicrosoft.com",
			}),
			want: []topology.Problem{{Path: recDavidT, Field: "RecipientTypeDetails", Message: "RemoteUserMailbox exists on-premises only; in Exchange Online the mailbox is a UserMailbox"}},
		},
		{
			name: "GroupMemberNamesNoRecipient",
			modify: tenantRecipients(
				topology.Recipient{Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@contoso.com"},
				topology.Recipient{Name: "Sales", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "sales@contoso.com",
					// david is a recipient; ann@cpandl.com is outside the
					// tenant's domains, an external address.
					Members: []string{"nobody@contoso.com", "David@Contoso.com", "ann@cpandl.com", "ghost@contoso.onmicrosoft.com"}},
			),
			want: []topology.Problem{
				{Path: objT + `.Recipients["sales@contoso.com"]`, Field: "Members[0]", Message: "nobody@contoso.com names no recipient of the organization, and its domain contoso.com is accepted by it"},
				{Path: objT + `.Recipients["sales@contoso.com"]`, Field: "Members[3]", Message: "ghost@contoso.onmicrosoft.com names no recipient of the organization, and its domain contoso.onmicrosoft.com is accepted by it"},
			},
		},
		{
			name: "GroupMemberNamesNoRecipientOnPremises",
			modify: onPremRecipients(topology.Recipient{Name: "Sales", RecipientTypeDetails: topology.MailUniversalDistributionGroup,
				PrimarySmtpAddress: "sales@contoso.com", Members: []string{"ann@cpandl.com", "nobody@CONTOSO.com"}}),
			want: []topology.Problem{{Path: objO + `.Recipients["sales@contoso.com"]`, Field: "Members[1]", Message: "nobody@CONTOSO.com names no recipient of the organization, and its domain contoso.com is accepted by it"}},
		},
		{
			name:   "BadRecipientTypeInTenant",
			modify: tenantRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: "LinkedMailbox", PrimarySmtpAddress: "david@contoso.com"}),
			want:   []topology.Problem{{Path: recDavidT, Field: "RecipientTypeDetails", Message: `"LinkedMailbox" is not a recipient type the library models`}},
		},
		{
			name:   "BadRecipientTypeOnPremises",
			modify: onPremRecipients(topology.Recipient{Name: "David", PrimarySmtpAddress: "david@contoso.com"}),
			want:   []topology.Problem{{Path: recDavidO, Field: "RecipientTypeDetails", Message: `"" is not a recipient type the library models`}},
		},
		{
			name:   "RemoteSharedMailboxInTenant",
			modify: tenantRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.RemoteSharedMailbox, PrimarySmtpAddress: "david@contoso.com", RemoteRoutingAddress: "david@contoso.mail.onmicrosoft.com"}),
			want:   []topology.Problem{{Path: recDavidT, Field: "RecipientTypeDetails", Message: "RemoteSharedMailbox exists on-premises only; in Exchange Online the mailbox is a SharedMailbox"}},
		},
		{
			name:   "MembersOfASharedMailbox",
			modify: tenantRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.SharedMailbox, PrimarySmtpAddress: "david@contoso.com", Members: []string{"erin@cpandl.com"}}),
			want:   []topology.Problem{{Path: recDavidT, Field: "Members", Message: "a SharedMailbox has no members: only groups do"}},
		},
		{
			name:   "OnPremisesRoomMailboxWithoutServer",
			modify: onPremRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.RoomMailbox, PrimarySmtpAddress: "david@contoso.com"}),
			want:   []topology.Problem{{Path: recDavidO, Field: "Server", Message: "an on-premises mailbox needs the Mailbox server that holds it"}},
		},
		{
			name:   "OnPremisesRemoteEquipmentMailboxWithoutRoutingAddress",
			modify: onPremRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.RemoteEquipmentMailbox, PrimarySmtpAddress: "david@contoso.com"}),
			want:   []topology.Problem{{Path: recDavidO, Field: "RemoteRoutingAddress", Message: "a RemoteEquipmentMailbox needs its routing address (alias@<tenant>.mail.onmicrosoft.com)"}},
		},
		{
			// Exchange Online's connectors route SMTP domains only
			// (docs/behaviour.md#l34-non-smtp-addresses).
			name:   "TenantContactWithX400Address",
			modify: tenantRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "david@contoso.com", ExternalEmailAddress: "X400:c=US;p=Fabrikam;s=David"}),
			want:   []topology.Problem{{Path: recDavidT, Field: "ExternalEmailAddress", Message: `"X400:c=US;p=Fabrikam;s=David" is not an SMTP address: Exchange Online routes SMTP addresses only`}},
		},
		{
			name:   "OnPremisesContactWithEmptyX400Address",
			modify: onPremRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "david@contoso.com", ExternalEmailAddress: "X400:"}),
			want:   []topology.Problem{{Path: recDavidO, Field: "ExternalEmailAddress", Message: `"X400:" is not TYPE:address`}},
		},
		{
			name:   "TenantRecipientWithServer",
			modify: tenantRecipients(topology.Recipient{Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@contoso.com", Server: "EX01"}),
			want:   []topology.Problem{{Path: recDavidT, Field: "Server", Message: "Exchange Online recipients have no on-premises server"}},
		},
		{
			name:   "OnPremisesMailboxWithoutServer",
			modify: onPremRecipients(topology.Recipient{Name: "Julie", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "julie@contoso.com"}),
			want:   []topology.Problem{{Path: recJulieO, Field: "Server", Message: "an on-premises mailbox needs the Mailbox server that holds it"}},
		},
		{
			name:   "OnPremisesMailboxUnknownServer",
			modify: onPremRecipients(topology.Recipient{Name: "Julie", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "julie@contoso.com", Server: "EX09"}),
			want:   []topology.Problem{{Path: recJulieO, Field: "Server", Message: `"EX09" is not a server of the organization`}},
		},
		{
			name:   "OnPremisesMailboxOnClientAccess",
			modify: onPremRecipients(topology.Recipient{Name: "Julie", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "julie@contoso.com", Server: "CAS01"}),
			want:   []topology.Problem{{Path: recJulieO, Field: "Server", Message: `"CAS01" is a ClientAccess server; mailboxes live on Mailbox servers`}},
		},
		{
			name: "RemoteUserMailboxWithServer",
			modify: onPremRecipients(topology.Recipient{
				Name: "David", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "david@contoso.com",
				RemoteRoutingAddress: "david@contoso.mail.onmicrosoft.com", Server: "EX01",
			}),
			want: []topology.Problem{{Path: recDavidO, Field: "Server", Message: "a RemoteUserMailbox has no mailbox server"}},
		},
		{
			name:   "MailContactWithoutExternalAddress",
			modify: tenantRecipients(topology.Recipient{Name: "Erin", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "erin@cpandl.com"}),
			want:   []topology.Problem{{Path: objT + `.Recipients["erin@cpandl.com"]`, Field: "ExternalEmailAddress", Message: "a MailContact needs an external address"}},
		},
		// Organizations and servers.
		{
			name: "DuplicateOrganization",
			modify: func(s *topology.Spec) {
				s.OnPremises = append(s.OnPremises, topology.OnPremisesSpec{Name: "contoso", Servers: []topology.ServerSpec{{Name: "EX09", Fqdn: "ex09.contoso.com"}}})
			},
			// The duplicate that sorts first by content is kept: the one
			// with only EX09, so everything naming EX01 fails too.
			want: []topology.Problem{
				{Path: `Hybrid["contoso", "contoso"]`, Field: "Domains[0]", Message: `contoso.com is not an accepted domain of on-premises organization "contoso"`},
				{Path: `Hybrid["contoso", "contoso"]`, Field: "OnPremisesSmartHost", Message: `"mail.contoso.com" is not the host name of a server of "contoso"`},
				{Path: `Hybrid["contoso", "contoso"]`, Field: "ReceivingTransportServers[0]", Message: `"EX01" is not a server of "contoso"`},
				{Path: `Hybrid["contoso", "contoso"]`, Field: "SendingTransportServers[0]", Message: `"EX01" is not a server of "contoso"`},
				{Path: objO, Field: "Name", Message: "is declared twice"},
				{Path: `OnPremises["contoso"].SendConnectors["Outbound to Office 365"]`, Field: "SourceTransportServers[0]", Message: `"EX01" is not a server of the organization`},
				{Path: `Tenants["contoso"].OutboundConnectors["Outbound to contoso"]`, Field: "SmartHosts[0]", Message: "smart host mail.contoso.com is the host name of no node"},
			},
		},
		{
			name: "BadOrganizationName",
			modify: func(s *topology.Spec) {
				s.OnPremises = append(s.OnPremises, topology.OnPremisesSpec{Name: "contoso corp"})
			},
			want: []topology.Problem{{Path: `OnPremises["contoso corp"]`, Field: "Name", Message: `"contoso corp" is not an organization name (letters, digits, '-', '_', '.')`}},
		},
		{
			name: "OrganizationWithoutServers",
			modify: func(s *topology.Spec) {
				s.OnPremises = append(s.OnPremises, topology.OnPremisesSpec{Name: "fabrikam"})
			},
			want: []topology.Problem{{Path: `OnPremises["fabrikam"]`, Field: "Servers", Message: "an on-premises organization needs at least one Exchange server"}},
		},
		{
			name:   "HopCountsOutOfRange",
			modify: func(s *topology.Spec) { s.OnPremises[0].MaxHopCount, s.OnPremises[0].MaxLocalHopCount = 501, -1 },
			want: []topology.Problem{
				{Path: objO, Field: "MaxHopCount", Message: "501 is not from 1 to 500"},
				{Path: objO, Field: "MaxLocalHopCount", Message: "-1 is not from 0 to 50"},
			},
		},
		{
			name: "DuplicateServer",
			modify: func(s *topology.Spec) {
				s.OnPremises[0].Servers = append(s.OnPremises[0].Servers, topology.ServerSpec{Name: "EX01", Fqdn: "ex01b.contoso.com"})
			},
			want: []topology.Problem{{Path: objEX, Field: "Name", Message: "is declared twice"}},
		},
		{
			name: "BadServerName",
			modify: func(s *topology.Spec) {
				s.OnPremises[0].Servers = append(s.OnPremises[0].Servers, topology.ServerSpec{Name: "EX 02", Fqdn: "ex02.contoso.com"})
			},
			want: []topology.Problem{{Path: objO + `.Servers["EX 02"]`, Field: "Name", Message: `"EX 02" is not a server name`}},
		},
		{
			name: "BadServerRole",
			modify: func(s *topology.Spec) {
				s.OnPremises[0].Servers = append(s.OnPremises[0].Servers, topology.ServerSpec{Name: "HUB01", Role: "HubTransport", Fqdn: "hub01.contoso.com"})
			},
			want: []topology.Problem{{Path: objO + `.Servers["HUB01"]`, Field: "Role", Message: `"HubTransport" is not Mailbox, ClientAccess or Edge`}},
		},
		{
			name: "BadFqdn",
			modify: func(s *topology.Spec) {
				s.OnPremises[0].Servers = append(s.OnPremises[0].Servers, topology.ServerSpec{Name: "EX02", Fqdn: "ex02"})
			},
			want: []topology.Problem{{Path: objO + `.Servers["EX02"]`, Field: "Fqdn", Message: `"ex02" is not a host name: domain needs at least two labels`}},
		},
		{
			name: "EmptyFqdn",
			modify: func(s *topology.Spec) {
				s.OnPremises[0].Servers = append(s.OnPremises[0].Servers, topology.ServerSpec{Name: "EX02"})
			},
			want: []topology.Problem{{Path: objO + `.Servers["EX02"]`, Field: "Fqdn", Message: "is empty"}},
		},
		{
			name:   "BadServerIPAddress",
			modify: func(s *topology.Spec) { s.OnPremises[0].Servers[0].IPAddress = "192.0.2" },
			want:   []topology.Problem{{Path: objEX, Field: "IPAddress", Message: `"192.0.2" is not an IP address`}},
		},
		{
			name:   "HostDeclaredTwice",
			modify: func(s *topology.Spec) { s.External[0].Hosts = append(s.External[0].Hosts, "Mail.Contoso.com") },
			want:   []topology.Problem{{Path: objX, Field: "Hosts[1]", Message: `host mail.contoso.com is already the name of OnPremises["contoso"].Servers["EX01"]`}},
		},
		{
			name: "HostIsEOPHost",
			modify: func(s *topology.Spec) {
				s.OnPremises[0].Servers[0].Hosts = append(s.OnPremises[0].Servers[0].Hosts, "contoso-com.mail.protection.outlook.com")
			},
			want: []topology.Problem{{Path: objEX, Field: "Hosts[1]", Message: `host contoso-com.mail.protection.outlook.com is already the name of Tenants["contoso"]`}},
		},
		{
			name: "HostBadName",
			modify: func(s *topology.Spec) {
				s.OnPremises[0].Servers[0].Hosts = []string{"mail.contoso.com", "smtp..contoso.com"}
			},
			want: []topology.Problem{{Path: objEX, Field: "Hosts[1]", Message: `"smtp..contoso.com" is not a host name: invalid domain label`}},
		},
		// External systems.
		{
			name: "DuplicateExternal",
			modify: func(s *topology.Spec) {
				s.External = append(s.External, topology.ExternalSpec{Name: "cpandl", Hosts: []string{"mx2.cpandl.com"}})
			},
			want: []topology.Problem{{Path: objX, Field: "Name", Message: "is declared twice"}},
		},
		{
			name: "ExternalWithoutHosts",
			modify: func(s *topology.Spec) {
				s.External = append(s.External, topology.ExternalSpec{Name: "fabrikam", Kind: topology.Partner})
			},
			want: []topology.Problem{{Path: `External["fabrikam"]`, Field: "Hosts", Message: "is empty: MX records need a host name to point to"}},
		},
		{
			name: "ExternalBadKind",
			modify: func(s *topology.Spec) {
				s.External = append(s.External, topology.ExternalSpec{Name: "fabrikam", Kind: "Gateway", Hosts: []string{"mx.fabrikam.com"}})
			},
			want: []topology.Problem{{Path: `External["fabrikam"]`, Field: "Kind", Message: `"Gateway" is not Internet, Partner, Appliance or Device`}},
		},
		{
			name: "ApplianceWithoutSmartHost",
			modify: func(s *topology.Spec) {
				s.External = append(s.External, topology.ExternalSpec{Name: "filter", Kind: topology.Appliance, Hosts: []string{"filter.contoso.com"}})
			},
			want: []topology.Problem{{Path: `External["filter"]`, Field: "SmartHost", Message: "an Appliance forwards what it receives: it needs a SmartHost"}},
		},
		{
			name: "TransparentNotAppliance",
			modify: func(s *topology.Spec) {
				s.External = append(s.External, topology.ExternalSpec{Name: "fw", Transparent: true, Hosts: []string{"fw.contoso.com"}})
			},
			want: []topology.Problem{{Path: `External["fw"]`, Field: "Transparent", Message: "only an Appliance can be transparent"}},
		},
		{
			name: "ExternalBadName",
			modify: func(s *topology.Spec) {
				s.External = append(s.External, topology.ExternalSpec{Name: "fabrikam/eu", Hosts: []string{"mx.fabrikam.com"}})
			},
			want: []topology.Problem{{Path: `External["fabrikam/eu"]`, Field: "Name", Message: `"fabrikam/eu" is not a name (letters, digits, '-', '_', '.')`}},
		},
		{
			name: "ExternalBadDomainAndIP",
			modify: func(s *topology.Spec) {
				s.External[0].Domains = []string{"cpandl.com", "cpandl"}
				s.External[0].IPAddress = "mx.cpandl.com"
			},
			want: []topology.Problem{
				{Path: objX, Field: "Domains[1]", Message: `"cpandl" is not a domain name: domain needs at least two labels`},
				{Path: objX, Field: "IPAddress", Message: `"mx.cpandl.com" is not an IP address`},
			},
		},
		// MX records.
		{
			name:   "MXToNowhere",
			modify: mx(topology.MXRecord{Domain: "contoso.com", Preference: 10, NameExchange: "mx.tailspintoys.com"}),
			want:   []topology.Problem{{Path: `MXRecords["contoso.com" 10 "mx.tailspintoys.com"]`, Field: "NameExchange", Message: "MX to nowhere: no node has the host name mx.tailspintoys.com"}},
		},
		{
			name:   "MXBadDomain",
			modify: mx(topology.MXRecord{Domain: "contoso", Preference: 10, NameExchange: "mail.contoso.com"}),
			want:   []topology.Problem{{Path: `MXRecords["contoso" 10 "mail.contoso.com"]`, Field: "Domain", Message: `"contoso" is not a domain name: domain needs at least two labels`}},
		},
		{
			name:   "MXBadHost",
			modify: mx(topology.MXRecord{Domain: "contoso.com", Preference: 10, NameExchange: "mail.contoso.com."}),
			want:   []topology.Problem{{Path: `MXRecords["contoso.com" 10 "mail.contoso.com."]`, Field: "NameExchange", Message: `"mail.contoso.com." is not a host name: invalid domain label`}},
		},
		{
			name:   "MXNegativePreference",
			modify: mx(topology.MXRecord{Domain: "contoso.com", Preference: -1, NameExchange: "mail.contoso.com"}),
			want:   []topology.Problem{{Path: `MXRecords["contoso.com" -1 "mail.contoso.com"]`, Field: "Preference", Message: "-1 is not from 0 to 65535"}},
		},
		{
			name:   "MXPreferenceTooLarge",
			modify: mx(topology.MXRecord{Domain: "contoso.com", Preference: 65536, NameExchange: "mail.contoso.com"}),
			want:   []topology.Problem{{Path: `MXRecords["contoso.com" 65536 "mail.contoso.com"]`, Field: "Preference", Message: "65536 is not from 0 to 65535"}},
		},
		{
			name:   "MXForInitialDomain",
			modify: mx(topology.MXRecord{Domain: "contoso.onmicrosoft.com", Preference: 0, NameExchange: "contoso-onmicrosoft-com.mail.protection.outlook.com"}),
			want:   []topology.Problem{{Path: `MXRecords["contoso.onmicrosoft.com" 0 "contoso-onmicrosoft-com.mail.protection.outlook.com"]`, Field: "Domain", Message: "Microsoft publishes the MX of a tenant's onmicrosoft.com domains; do not declare it"}},
		},
		{
			name:   "MXForCoexistenceDomain",
			modify: mx(topology.MXRecord{Domain: "Contoso.Mail.OnMicrosoft.com", Preference: 5, NameExchange: "mail.contoso.com"}),
			want:   []topology.Problem{{Path: `MXRecords["Contoso.Mail.OnMicrosoft.com" 5 "mail.contoso.com"]`, Field: "Domain", Message: "Microsoft publishes the MX of a tenant's onmicrosoft.com domains; do not declare it"}},
		},
		{
			name: "MXDeclaredTwice",
			modify: mx(
				topology.MXRecord{Domain: "contoso.com", Preference: 0, NameExchange: "contoso-com.mail.protection.outlook.com"},
				topology.MXRecord{Domain: "contoso.com", Preference: 0, NameExchange: "contoso-com.mail.protection.outlook.com"},
			),
			want: []topology.Problem{{Path: `MXRecords["contoso.com" 0 "contoso-com.mail.protection.outlook.com"]`, Field: "", Message: "is declared twice"}},
		},
		{
			name: "MXDeclaredThriceReportedOnce",
			modify: mx(
				topology.MXRecord{Domain: "contoso.com", Preference: 0, NameExchange: "mail.contoso.com"},
				topology.MXRecord{Domain: "contoso.com", Preference: 0, NameExchange: "mail.contoso.com"},
				topology.MXRecord{Domain: "contoso.com", Preference: 0, NameExchange: "mail.contoso.com"},
			),
			want: []topology.Problem{{Path: `MXRecords["contoso.com" 0 "mail.contoso.com"]`, Field: "", Message: "is declared twice"}},
		},
		// Hybrid configurations.
		{
			name:   "HybridDomainNotAccepted",
			modify: hybrid(func(h *topology.HybridConfiguration) { h.Domains = []string{"contoso.com", "fabrikam.com"} }),
			want: []topology.Problem{
				{Path: objH, Field: "Domains[1]", Message: `fabrikam.com is not an accepted domain of on-premises organization "contoso"`},
				{Path: objH, Field: "Domains[1]", Message: `fabrikam.com is not an accepted domain of tenant "contoso"`},
			},
		},
		{
			name: "HybridDomainNotAcceptedOnPremises",
			modify: func(s *topology.Spec) {
				s.Tenants[0].AcceptedDomains = append(s.Tenants[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "fabrikam.com"})
				s.Hybrid[0].Domains = []string{"fabrikam.com"}
			},
			want: []topology.Problem{{Path: objH, Field: "Domains[0]", Message: `fabrikam.com is not an accepted domain of on-premises organization "contoso"`}},
		},
		{
			name:   "HybridWithoutDomains",
			modify: hybrid(func(h *topology.HybridConfiguration) { h.Domains = nil }),
			want:   []topology.Problem{{Path: objH, Field: "Domains", Message: "is empty"}},
		},
		{
			name:   "HybridSmartHostOfAnotherNode",
			modify: hybrid(func(h *topology.HybridConfiguration) { h.OnPremisesSmartHost = "mx.cpandl.com" }),
			want:   []topology.Problem{{Path: objH, Field: "OnPremisesSmartHost", Message: `"mx.cpandl.com" is the host name of ext:cpandl, not of a server of "contoso"`}},
		},
		{
			name:   "HybridSmartHostUnknown",
			modify: hybrid(func(h *topology.HybridConfiguration) { h.OnPremisesSmartHost = "mail.fabrikam.com" }),
			want: []topology.Problem{
				{Path: objH, Field: "OnPremisesSmartHost", Message: `"mail.fabrikam.com" is not the host name of a server of "contoso"`},
				{Path: objT + `.OutboundConnectors["Outbound to contoso"]`, Field: "SmartHosts[0]", Message: "smart host mail.fabrikam.com is the host name of no node"},
			},
		},
		{
			name: "HybridSmartHostOfAnotherOrganization",
			modify: func(s *topology.Spec) {
				s.OnPremises = append(s.OnPremises, topology.OnPremisesSpec{Name: "fabrikam", Servers: []topology.ServerSpec{{Name: "FAB01", Fqdn: "mail.fabrikam.com"}}})
				s.Hybrid[0].OnPremisesSmartHost = "mail.fabrikam.com"
			},
			want: []topology.Problem{{Path: objH, Field: "OnPremisesSmartHost", Message: `"mail.fabrikam.com" is the host name of onprem:fabrikam/FAB01, not of a server of "contoso"`}},
		},
		{
			name: "HybridUnknownFeature",
			modify: hybrid(func(h *topology.HybridConfiguration) {
				h.Features = []string{"CentralizedTransport", "Bogus", "centralizedtransport"}
			}),
			want: []topology.Problem{
				{Path: objH, Field: "Features[1]", Message: `"Bogus" is not a hybrid feature`},
				{Path: objH, Field: "Features[2]", Message: `"centralizedtransport" is not a hybrid feature`},
			},
		},
		{
			name: "HybridTransportServers",
			modify: hybrid(func(h *topology.HybridConfiguration) {
				h.SendingTransportServers = []string{"EX09"}
				h.ReceivingTransportServers = nil
			}),
			want: []topology.Problem{
				{Path: objH, Field: "ReceivingTransportServers", Message: "is empty"},
				{Path: objH, Field: "SendingTransportServers[0]", Message: `"EX09" is not a server of "contoso"`},
				{Path: objO + `.SendConnectors["Outbound to Office 365"]`, Field: "SourceTransportServers[0]", Message: `"EX09" is not a server of the organization`},
			},
		},
		{
			name:   "HybridCertificateWithoutSubject",
			modify: hybrid(func(h *topology.HybridConfiguration) { h.TlsCertificateName = "<I>CN=Contoso CA<S>O=Contoso, C=US" }),
			want: []topology.Problem{
				{Path: objH, Field: "TlsCertificateName", Message: `"<I>CN=Contoso CA<S>O=Contoso, C=US" names no certificate subject (<I>issuer<S>CN=name or a domain)`},
				{Path: objT + `.InboundConnectors["Inbound from contoso"]`, Field: "SenderIPAddresses", Message: "an OnPremises connector identifies its servers by SenderIPAddresses or TlsSenderCertificateName; neither is set"},
			},
		},
		{
			name: "HybridTwice",
			modify: func(s *topology.Spec) {
				s.Hybrid = append(s.Hybrid, s.Hybrid[0])
			},
			want: []topology.Problem{{Path: objH, Field: "", Message: "a tenant and an on-premises organization take part in one hybrid configuration each"}},
		},
		// Connectors.
		{
			name:   "OutboundConnectorFieldError",
			modify: outbound(connector.Outbound{Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"*fabrikam.com"}}),
			want:   []topology.Problem{{Path: objT + `.OutboundConnectors["To Fabrikam"]`, Field: "RecipientDomains[0]", Message: `ParsePattern("*fabrikam.com"): a wildcard is allowed only as the whole first label (*.contoso.com)`}},
		},
		{
			name:   "InboundConnectorFieldError",
			modify: inbound(connector.Inbound{Name: "From Fabrikam", ConnectorType: connector.Partner}),
			want:   []topology.Problem{{Path: objT + `.InboundConnectors["From Fabrikam"]`, Field: "SenderDomains", Message: "a Partner connector needs SenderDomains, SenderIPAddresses or TlsSenderCertificateName"}},
		},
		{
			name:   "SendConnectorFieldErrors",
			modify: send(connector.Send{Name: "To Internet", AddressSpaces: []string{"*;0"}, TlsAuthLevel: "DomainValidation"}),
			want: []topology.Problem{
				{Path: objO + `.SendConnectors["To Internet"]`, Field: "AddressSpaces[0]", Message: `address space "*;0": cost "0" is not a number from 1 to 100`},
				{Path: objO + `.SendConnectors["To Internet"]`, Field: "TlsAuthLevel", Message: "needs RequireTLS $true"},
			},
		},
		{
			name: "AssociatedAcceptedDomainUnknown",
			modify: inbound(connector.Inbound{
				Name: "From Fabrikam", ConnectorType: connector.Partner, SenderDomains: []string{"fabrikam.com"},
				AssociatedAcceptedDomains: []string{"contoso.com", "fabrikam.com"},
			}),
			want: []topology.Problem{{Path: objT + `.InboundConnectors["From Fabrikam"]`, Field: "AssociatedAcceptedDomains[1]", Message: "fabrikam.com is not an accepted domain"}},
		},
		{
			name: "OutboundSmartHostNoNode",
			modify: outbound(connector.Outbound{
				Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"},
				UseMXRecord: connector.False, SmartHosts: []string{"Mail.Fabrikam.com", "192.0.2.25", "mx.cpandl.com"},
			}),
			want: []topology.Problem{{Path: objT + `.OutboundConnectors["To Fabrikam"]`, Field: "SmartHosts[0]", Message: "smart host mail.fabrikam.com is the host name of no node"}},
		},
		{
			name: "SendSmartHostNoNode",
			modify: send(connector.Send{
				Name: "To Internet", AddressSpaces: []string{"*"}, DNSRoutingEnabled: connector.False,
				SmartHosts: []string{"mx.cpandl.com", "relay.fabrikam.com"},
			}),
			want: []topology.Problem{{Path: objO + `.SendConnectors["To Internet"]`, Field: "SmartHosts[1]", Message: "smart host relay.fabrikam.com is the host name of no node"}},
		},
		{
			name: "DuplicateOutboundConnectorNames",
			modify: outbound(
				connector.Outbound{Name: "to fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.net"}},
				connector.Outbound{Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"}},
			),
			want: []topology.Problem{{Path: objT + `.OutboundConnectors["to fabrikam"]`, Field: "Name", Message: "is used by two outbound connectors"}},
		},

		{
			name: "DuplicateInboundConnectorNames",
			modify: inbound(
				connector.Inbound{Name: "From Fabrikam", ConnectorType: connector.Partner, SenderDomains: []string{"fabrikam.com"}},
				connector.Inbound{Name: "FROM FABRIKAM", ConnectorType: connector.Partner, SenderDomains: []string{"fabrikam.net"}},
			),
			want: []topology.Problem{{Path: objT + `.InboundConnectors["From Fabrikam"]`, Field: "Name", Message: "is used by two inbound connectors"}},
		},
		{
			name: "DuplicateSendConnectorNames",
			modify: send(
				connector.Send{Name: "To Internet", AddressSpaces: []string{"*"}},
				connector.Send{Name: "To Internet", AddressSpaces: []string{"*;2"}},
			),
			want: []topology.Problem{{Path: objO + `.SendConnectors["To Internet"]`, Field: "Name", Message: "is used by two Send connectors"}},
		},
		{
			name: "ReceiveConnectorsSameBindingAndRanges",
			modify: receive(
				connector.Receive{Name: "Relay", Server: "EX01", Bindings: []string{"0.0.0.0:25"}, RemoteIPRanges: []string{"192.0.2.0/24", "198.51.100.7"}},
				// The same listener: no Bindings is 0.0.0.0:25, and the ranges
				// are the same set, written otherwise.
				connector.Receive{Name: "Apps", Server: "ex01", RemoteIPRanges: []string{"198.51.100.7", "192.0.2.0-192.0.2.255"}},
				// Different ranges, another server, another binding: accepted.
				connector.Receive{Name: "Partners", Server: "EX01", RemoteIPRanges: []string{"203.0.113.0/24"}},
				connector.Receive{Name: "Relay", Server: "CAS01", RemoteIPRanges: []string{"192.0.2.0/24", "198.51.100.7"}},
				connector.Receive{Name: "Submission", Server: "EX01", Bindings: []string{"0.0.0.0:587"}, RemoteIPRanges: []string{"192.0.2.0/24", "198.51.100.7"}},
				// Two connectors for every address, sharing 10.0.0.5:25.
				connector.Receive{Name: "All A", Server: "EX01", Bindings: []string{"10.0.0.5:25", "10.0.0.6:25"}},
				connector.Receive{Name: "All B", Server: "EX01", Bindings: []string{"10.0.0.5:25"}},
			),
			want: []topology.Problem{
				{Path: objO + `.ReceiveConnectors["EX01\\All B"]`, Field: "RemoteIPRanges", Message: `Receive connector "All A" also has the binding 10.0.0.5:25 and the same RemoteIPRanges; each Receive connector of a server needs a unique combination of bindings and remote IP ranges`},
				{Path: objO + `.ReceiveConnectors["EX01\\Relay"]`, Field: "RemoteIPRanges", Message: `Receive connector "Apps" also has the binding 0.0.0.0:25 and the same RemoteIPRanges; each Receive connector of a server needs a unique combination of bindings and remote IP ranges`},
			},
		},
		{
			name: "SourceTransportServers",
			modify: send(connector.Send{
				Name: "To Internet", AddressSpaces: []string{"*"}, SourceTransportServers: []string{"ex01", "EX09", "CAS01"},
			}),
			want: []topology.Problem{
				{Path: objO + `.SendConnectors["To Internet"]`, Field: "SourceTransportServers[1]", Message: `"EX09" is not a server of the organization`},
				{Path: objO + `.SendConnectors["To Internet"]`, Field: "SourceTransportServers[2]", Message: `"CAS01" is not a Mailbox server; Client Access servers do not send through Send connectors`},
			},
		},
	}
	_, err := topology.Build(minimalSpec())
	require.NoError(t, err, "minimalSpec must be valid")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := minimalSpec()
			tt.modify(&spec)
			topo, err := topology.Build(spec)
			if topo != nil {
				t.Errorf("Build() = %p, want nil with an error", topo)
			}
			if !errors.Is(err, topology.ErrInvalid) {
				t.Errorf("Build() error = %v, want one matching ErrInvalid", err)
			}
			var ve *topology.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Build() error = %v, want a *ValidationError", err)
			}
			if diff := cmp.Diff(tt.want, ve.Problems, testopts.Cmp); diff != "" {
				t.Errorf("Build() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuildReportsAllProblemsSorted(t *testing.T) {
	spec := minimalSpec()
	addrs := []string{"david@contoso.com"}
	for i := 1; i <= 10; i++ {
		addrs = append(addrs, "smtp:david"+strconv.Itoa(i)+"@contoso.com")
	}
	addrs[2], addrs[10] = "smtp:david2", "smtp:david10"
	spec.Tenants[0].Recipients = []topology.Recipient{
		{Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@contoso.com", EmailAddresses: addrs},
		{Name: "Erin", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "erin@cpandl.com"},
	}
	spec.Tenants = append(spec.Tenants, topology.TenantSpec{Name: "fabrikam.com"})
	spec.MXRecords = []topology.MXRecord{
		{Domain: "cpandl.com", Preference: 10, NameExchange: "mx9.cpandl.com"},
		{Domain: "cpandl.com", Preference: -5, NameExchange: "mx.cpandl.com"},
	}
	spec.OnPremises[0].Servers[0].Fqdn = "ex01"
	spec.Hybrid[0].Features = []string{"Bogus"}

	topo, err := topology.Build(spec)
	if topo != nil || err == nil {
		t.Fatalf("Build() = %p, %v, want nil and an error", topo, err)
	}
	if !errors.Is(err, topology.ErrInvalid) {
		t.Errorf("errors.Is(%v, ErrInvalid) = false, want true", err)
	}
	var ve *topology.ValidationError
	require.True(t, errors.As(err, &ve), "Build() error = %T, want *ValidationError", err)
	want := []topology.Problem{
		{Path: objH, Field: "Features[0]", Message: `"Bogus" is not a hybrid feature`},
		{Path: `MXRecords["cpandl.com" -5 "mx.cpandl.com"]`, Field: "Preference", Message: "-5 is not from 0 to 65535"},
		{Path: `MXRecords["cpandl.com" 10 "mx9.cpandl.com"]`, Field: "NameExchange", Message: "MX to nowhere: no node has the host name mx9.cpandl.com"},
		{Path: objEX, Field: "Fqdn", Message: `"ex01" is not a host name: domain needs at least two labels`},
		{Path: objT + `.Recipients["david@contoso.com"]`, Field: "EmailAddresses[2]", Message: `"smtp:david2" is not an SMTP address: missing @`},
		{Path: objT + `.Recipients["david@contoso.com"]`, Field: "EmailAddresses[10]", Message: `"smtp:david10" is not an SMTP address: missing @`},
		{Path: objT + `.Recipients["erin@cpandl.com"]`, Field: "ExternalEmailAddress", Message: "a MailContact needs an external address"},
		{Path: `Tenants["fabrikam.com"]`, Field: "Name", Message: `"fabrikam.com" is not a tenant name (letters, digits and hyphens)`},
	}
	if diff := cmp.Diff(want, ve.Problems, testopts.Cmp); diff != "" {
		t.Errorf("Build() problems mismatch (-want +got):\n%s", diff)
	}
	wantText := "topology: 8 problems:" +
		"\n\t" + objH + `.Features[0]: "Bogus" is not a hybrid feature` +
		"\n\t" + `MXRecords["cpandl.com" -5 "mx.cpandl.com"].Preference: -5 is not from 0 to 65535` +
		"\n\t" + `MXRecords["cpandl.com" 10 "mx9.cpandl.com"].NameExchange: MX to nowhere: no node has the host name mx9.cpandl.com` +
		"\n\t" + objEX + `.Fqdn: "ex01" is not a host name: domain needs at least two labels` +
		"\n\t" + objT + `.Recipients["david@contoso.com"].EmailAddresses[2]: "smtp:david2" is not an SMTP address: missing @` +
		"\n\t" + objT + `.Recipients["david@contoso.com"].EmailAddresses[10]: "smtp:david10" is not an SMTP address: missing @` +
		"\n\t" + objT + `.Recipients["erin@cpandl.com"].ExternalEmailAddress: a MailContact needs an external address` +
		"\n\t" + `Tenants["fabrikam.com"].Name: "fabrikam.com" is not a tenant name (letters, digits and hyphens)`
	if got := err.Error(); got != wantText {
		t.Errorf("Build() error text =\n%s\nwant\n%s", got, wantText)
	}
}

func TestValidationErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  *topology.ValidationError
		want string
	}{
		{
			name: "One",
			err:  &topology.ValidationError{Problems: []topology.Problem{{Path: objT, Field: "Name", Message: "is declared twice"}}},
			want: "topology: 1 problem:\n\t" + objT + ".Name: is declared twice",
		},
		{
			name: "ObjectOnly",
			err: &topology.ValidationError{Problems: []topology.Problem{
				{Path: `MXRecords["contoso.com" 0 "mail.contoso.com"]`, Message: "is declared twice"},
				{Path: objH, Message: "a tenant and an on-premises organization take part in one hybrid configuration each"},
			}},
			want: "topology: 2 problems:" +
				"\n\t" + `MXRecords["contoso.com" 0 "mail.contoso.com"]: is declared twice` +
				"\n\t" + objH + ": a tenant and an on-premises organization take part in one hybrid configuration each",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if !errors.Is(tt.err, topology.ErrInvalid) {
				t.Errorf("errors.Is(%v, ErrInvalid) = false, want true", tt.err)
			}
			if errors.Is(tt.err, errors.New("topology: invalid spec")) {
				t.Errorf("errors.Is(%v, another error) = true, want false", tt.err)
			}
		})
	}
}

// richSpec is a valid spec with two hybrid pairs and something in every
// list, for the determinism and aliasing tests. Its Hybrid list is not in
// name order.
func richSpec() topology.Spec {
	s := contosoSpec(topology.FeatureCentralizedTransport)
	s.Tenants[0].Recipients = append(s.Tenants[0].Recipients,
		topology.Recipient{Name: "Adele", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "adele@contoso.com", EmailAddresses: []string{"smtp:sales@contoso.com"}},
		topology.Recipient{Name: "Bob", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "bob@contoso.com", ExternalEmailAddress: "bob@contoso.mail.onmicrosoft.com"},
	)
	s.Tenants[0].InboundConnectors = append(s.Tenants[0].InboundConnectors, connector.Inbound{
		Name: "From printers", ConnectorType: connector.OnPremises, SenderDomains: []string{"contoso.com", "*.contoso.com"},
		SenderIPAddresses: []string{"192.0.2.0/24", "198.51.100.7"}, AssociatedAcceptedDomains: []string{"contoso.com"},
	})
	s.Tenants[0].OutboundConnectors = append(s.Tenants[0].OutboundConnectors,
		connector.Outbound{Name: "to cpandl", ConnectorType: connector.Partner, RecipientDomains: []string{"*.cpandl.com"}, UseMXRecord: connector.False, SmartHosts: []string{"mx1.cpandl.com", "192.0.2.9"}},
		connector.Outbound{Name: "Catch-all", ConnectorType: connector.Partner, RecipientDomains: []string{"*"}, IsTransportRuleScoped: true},
	)
	s.OnPremises[0].Recipients = append(s.OnPremises[0].Recipients,
		topology.Recipient{Name: "Ivan", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "ivan@contoso.com", Server: "ex02", EmailAddresses: []string{"smtp:ivan@it.contoso.com"}},
	)
	s.OnPremises[0].AcceptedDomains = append(s.OnPremises[0].AcceptedDomains, topology.AcceptedDomain{DomainName: "it.contoso.com", DomainType: topology.ExternalRelay})
	s.OnPremises[0].SendConnectors = append(s.OnPremises[0].SendConnectors,
		connector.Send{Name: "To cpandl", AddressSpaces: []string{"cpandl.com;5", "*.cpandl.com;10"}, DNSRoutingEnabled: connector.False, SmartHosts: []string{"mx2.cpandl.com"}, SourceTransportServers: []string{"EX02"}},
		connector.Send{Name: "Disabled", AddressSpaces: []string{"*"}, Enabled: connector.False},
	)
	s.Tenants = append(s.Tenants, topology.TenantSpec{
		Name:            "fabrikamcorp",
		AcceptedDomains: []topology.AcceptedDomain{{DomainName: "fabrikam.net"}, {DomainName: "eu.fabrikam.net", DomainType: topology.InternalRelay}},
		Recipients: []topology.Recipient{
			{Name: "Zoe", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "zoe@fabrikam.net"},
			{Name: "Yann", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "yann@eu.fabrikam.net"},
		},
		OutboundConnectorSelection: connector.ListedOrder,
		HopLimit:                   12,
	})
	s.OnPremises = append(s.OnPremises, topology.OnPremisesSpec{
		Name:            "fabrikam",
		AcceptedDomains: []topology.AcceptedDomain{{DomainName: "eu.fabrikam.net"}, {DomainName: "fabrikam.net", DomainType: topology.InternalRelay}},
		Servers: []topology.ServerSpec{
			{Name: "FAB02", Fqdn: "fab02.fabrikam.net", IPAddress: "203.0.113.2"},
			{Name: "FAB01", Fqdn: "fab01.fabrikam.net", Hosts: []string{"smtp.fabrikam.net", "relay.fabrikam.net"}},
		},
		Recipients: []topology.Recipient{
			{Name: "Yann", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "yann@eu.fabrikam.net", Server: "FAB02"},
			{Name: "Zoe", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "zoe@fabrikam.net", RemoteRoutingAddress: "zoe@fabrikamcorp.mail.onmicrosoft.com"},
		},
		SendConnectors: []connector.Send{{Name: "Internet", AddressSpaces: []string{"*"}}},
		MaxHopCount:    40,
	})
	s.External = append(s.External, topology.ExternalSpec{Name: "tailspin", Hosts: []string{"mail.tailspintoys.com"}, Domains: []string{"tailspintoys.com"}})
	s.MXRecords = append(s.MXRecords,
		topology.MXRecord{Domain: "fabrikam.net", Preference: 10, NameExchange: "smtp.fabrikam.net"},
		topology.MXRecord{Domain: "fabrikam.net", Preference: 5, NameExchange: "fabrikam-net.mail.protection.outlook.com"},
		topology.MXRecord{Domain: "tailspintoys.com", Preference: 0, NameExchange: "mail.tailspintoys.com"},
	)
	s.Hybrid = append([]topology.HybridConfiguration{{
		Tenant: "fabrikamcorp", OnPremises: "fabrikam", Domains: []string{"fabrikam.net", "eu.fabrikam.net"},
		OnPremisesSmartHost: "smtp.fabrikam.net", TlsCertificateName: "smtp.fabrikam.net",
		SendingTransportServers: []string{"FAB01", "FAB02"}, ReceivingTransportServers: []string{"FAB01"},
	}}, s.Hybrid...)
	return s
}

// snapshot is everything a Topology tells through its accessors, in plain
// values, for comparing two topologies.
type snapshot struct {
	Nodes   []topology.Node
	Tenants []tenantSnapshot
	Orgs    []orgSnapshot
	MX      map[string][]topology.MXRecord
	Hosts   map[string]topology.NodeID
	Mailbox map[string]topology.NodeID
}

type tenantSnapshot struct {
	Name            string
	AcceptedDomains []topology.AcceptedDomain
	Recipients      []topology.Recipient
	Inbound         []connector.Inbound
	Outbound        []connector.Outbound
	Selected        map[string]string // domain → outbound connector name
	CMT             string
	HopLimit        int
	Hybrid          string
}

type orgSnapshot struct {
	Name            string
	AcceptedDomains []topology.AcceptedDomain
	Recipients      []topology.Recipient
	MailboxServers  []topology.NodeID
	Send            []connector.Send
	Selected        map[string]string // domain and server → Send connector name
	MaxHopCount     int
	Hybrid          string
}

// probeDomains are the domains the snapshots look up.
var probeDomains = []string{
	"contoso.com", "fabrikam.com", "contosobank.com", "cpandl.com", "mx.cpandl.com", "fabrikam.net", "eu.fabrikam.net",
	"it.contoso.com", "tailspintoys.com", "contoso.mail.onmicrosoft.com", "fabrikamcorp.mail.onmicrosoft.com", "example.org",
}

func takeSnapshot(topo *topology.Topology) snapshot {
	s := snapshot{
		Nodes:   slices.Collect(topo.Nodes()),
		MX:      map[string][]topology.MXRecord{},
		Hosts:   map[string]topology.NodeID{},
		Mailbox: map[string]topology.NodeID{},
	}
	for _, d := range probeDomains {
		s.MX[d] = slices.Collect(topo.MX(d))
	}
	for _, n := range s.Nodes {
		for h := range n.Hosts() {
			if r, ok := topo.ResolveHost(h); ok {
				s.Hosts[h] = r.ID
			}
		}
	}
	for x := range topo.Tenants() {
		ts := tenantSnapshot{
			Name:            x.Name(),
			AcceptedDomains: slices.Collect(x.AcceptedDomains()),
			Recipients:      slices.Collect(x.Recipients()),
			Inbound:         slices.Collect(x.InboundConnectors()),
			Outbound:        slices.Collect(x.OutboundConnectors()),
			Selected:        map[string]string{},
			HopLimit:        x.HopLimit(),
		}
		for _, d := range probeDomains {
			if c, _, ok := x.SelectOutbound(d); ok {
				ts.Selected[d] = c.Name
			}
		}
		if c, ok := x.CentralizedTransport(); ok {
			ts.CMT = c.Name
		}
		if o := x.Hybrid(); o != nil {
			ts.Hybrid = o.Name()
		}
		for _, r := range ts.Recipients {
			if n, _, ok := topo.FindMailbox(r.PrimarySmtpAddress); ok {
				s.Mailbox[r.PrimarySmtpAddress] = n.ID
			}
		}
		s.Tenants = append(s.Tenants, ts)
	}
	for o := range topo.OnPremisesOrgs() {
		os := orgSnapshot{
			Name:            o.Name(),
			AcceptedDomains: slices.Collect(o.AcceptedDomains()),
			Recipients:      slices.Collect(o.Recipients()),
			MailboxServers:  slices.Collect(o.MailboxServers()),
			Send:            slices.Collect(o.SendConnectors()),
			Selected:        map[string]string{},
			MaxHopCount:     o.MaxHopCount(),
		}
		for _, d := range probeDomains {
			for _, server := range []string{"EX01", "EX02", "FAB01", "FAB02"} {
				if c, sel, ok := o.SelectSend(d, server, 0); ok {
					os.Selected[d+" "+server] = c.Name + " " + sel.Space.String() + " local=" + strconv.FormatBool(sel.Local)
				}
			}
		}
		if x := o.Hybrid(); x != nil {
			os.Hybrid = x.Name()
		}
		s.Orgs = append(s.Orgs, os)
	}
	return s
}

// shuffled returns a deep copy of spec with every list that Build must
// treat as a set in an order given by perm.
func shuffled(spec topology.Spec, perm func(n int) []int) topology.Spec {
	reorder := func(n int, swap func(dst []int)) {
		swap(perm(n))
	}
	var out topology.Spec
	out.Tenants = permute(spec.Tenants, reorder)
	for i := range out.Tenants {
		t := &out.Tenants[i]
		t.AcceptedDomains = permute(t.AcceptedDomains, reorder)
		t.Recipients = permute(t.Recipients, reorder)
		t.InboundConnectors = permute(t.InboundConnectors, reorder)
		t.OutboundConnectors = permute(t.OutboundConnectors, reorder)
	}
	out.OnPremises = permute(spec.OnPremises, reorder)
	for i := range out.OnPremises {
		o := &out.OnPremises[i]
		o.AcceptedDomains = permute(o.AcceptedDomains, reorder)
		o.Servers = permute(o.Servers, reorder)
		for j := range o.Servers {
			o.Servers[j].Hosts = permute(o.Servers[j].Hosts, reorder)
		}
		o.Recipients = permute(o.Recipients, reorder)
		o.SendConnectors = permute(o.SendConnectors, reorder)
	}
	out.External = permute(spec.External, reorder)
	for i := range out.External {
		out.External[i].Hosts = permute(out.External[i].Hosts, reorder)
	}
	out.MXRecords = permute(spec.MXRecords, reorder)
	out.Hybrid = permute(spec.Hybrid, reorder)
	return out
}

func permute[T any](s []T, reorder func(n int, swap func(dst []int))) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	reorder(len(s), func(p []int) {
		for i, j := range p {
			out[i] = s[j]
		}
	})
	return out
}

func TestBuildDeterministic(t *testing.T) {
	base, err := topology.Build(richSpec())
	require.NoError(t, err)
	want := takeSnapshot(base)
	require.Len(t, want.Tenants, 2)
	require.Len(t, want.Orgs, 2)

	tests := testopts.SpecOrders(1, 2)
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			topo, err := topology.Build(shuffled(richSpec(), tt.Perm))
			require.NoError(t, err)
			if diff := cmp.Diff(want, takeSnapshot(topo), testopts.Cmp); diff != "" {
				t.Errorf("Build(shuffled spec) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuildDeterministicSnapshot(t *testing.T) {
	// A few values of the rich snapshot, so that the determinism test does
	// not compare two empty results.
	topo, err := topology.Build(richSpec())
	require.NoError(t, err)
	s := takeSnapshot(topo)
	wantIDs := []string{
		"eop:contoso", "eop:fabrikamcorp", "exo:contoso", "exo:fabrikamcorp", "ext:cpandl", "ext:tailspin", "internet",
		"onprem:contoso/CAS01", "onprem:contoso/EX01", "onprem:contoso/EX02", "onprem:fabrikam/FAB01", "onprem:fabrikam/FAB02",
		"partner:contosobank",
	}
	var gotIDs []string
	for _, n := range s.Nodes {
		gotIDs = append(gotIDs, n.ID.String())
	}
	if diff := cmp.Diff(wantIDs, gotIDs); diff != "" {
		t.Errorf("node IDs mismatch (-want +got):\n%s", diff)
	}
	wantMX := []topology.MXRecord{
		{Domain: "fabrikam.net", Preference: 5, NameExchange: "fabrikam-net.mail.protection.outlook.com"},
		{Domain: "fabrikam.net", Preference: 10, NameExchange: "smtp.fabrikam.net"},
	}
	if diff := cmp.Diff(wantMX, s.MX["fabrikam.net"], testopts.Cmp); diff != "" {
		t.Errorf("MX(fabrikam.net) mismatch (-want +got):\n%s", diff)
	}
	wantSelected := map[string]string{
		"contoso.com":     "Outbound to contoso",
		"contosobank.com": "To ContosoBank",
		"cpandl.com":      "to cpandl",
		"mx.cpandl.com":   "to cpandl",
	}
	if diff := cmp.Diff(wantSelected, s.Tenants[0].Selected); diff != "" {
		t.Errorf("contoso SelectOutbound mismatch (-want +got):\n%s", diff)
	}
	if s.Tenants[0].CMT != "Outbound to contoso" || s.Tenants[1].CMT != "" || s.Tenants[1].HopLimit != 12 {
		t.Errorf("CMT, HopLimit = %q, %q, %d, want %q, %q, 12", s.Tenants[0].CMT, s.Tenants[1].CMT, s.Tenants[1].HopLimit, "Outbound to contoso", "")
	}
	wantSend := map[string]string{
		"cpandl.com EX01":    "To cpandl SMTP:cpandl.com;5 local=false",
		"cpandl.com EX02":    "To cpandl SMTP:cpandl.com;5 local=true",
		"mx.cpandl.com EX02": "To cpandl SMTP:*.cpandl.com;10 local=true",
	}
	for k, want := range wantSend {
		if got := s.Orgs[0].Selected[k]; got != want {
			t.Errorf("contoso SelectSend(%s) = %q, want %q", k, got, want)
		}
	}
	wantMailbox := map[string]topology.NodeID{
		"adele@contoso.com":    id("exo:contoso"),
		"david@contoso.com":    id("exo:contoso"),
		"julie@contoso.com":    id("onprem:contoso/EX01"),
		"yann@eu.fabrikam.net": id("onprem:fabrikam/FAB02"),
		"zoe@fabrikam.net":     id("exo:fabrikamcorp"),
	}
	if diff := cmp.Diff(wantMailbox, s.Mailbox, testopts.Cmp); diff != "" {
		t.Errorf("FindMailbox mismatch (-want +got):\n%s", diff)
	}
}

// mutate overwrites every value reachable from spec, including the
// elements of its slices.
func mutate(spec *topology.Spec) {
	strs := func(s []string) {
		for i := range s {
			s[i] = "mutated.example.org"
		}
	}
	recipients := func(rs []topology.Recipient) {
		for i := range rs {
			r := &rs[i]
			r.Name, r.PrimarySmtpAddress, r.RecipientTypeDetails = "Mallory", "mallory@example.org", topology.MailContact
			r.RemoteRoutingAddress, r.ExternalEmailAddress, r.Server = "x@example.org", "y@example.org", "EX99"
			strs(r.EmailAddresses)
		}
	}
	domains := func(ds []topology.AcceptedDomain) {
		for i := range ds {
			ds[i] = topology.AcceptedDomain{DomainName: "mutated.example.org", DomainType: topology.ExternalRelay}
		}
	}
	for i := range spec.Tenants {
		t := &spec.Tenants[i]
		t.Name, t.HopLimit, t.OutboundConnectorSelection = "mutated", 99, connector.ListedOrder
		domains(t.AcceptedDomains)
		recipients(t.Recipients)
		for j := range t.InboundConnectors {
			c := &t.InboundConnectors[j]
			c.Name, c.RequireTls, c.TlsSenderCertificateName = "mutated", connector.False, "mutated.example.org"
			strs(c.SenderDomains)
			strs(c.SenderIPAddresses)
			strs(c.AssociatedAcceptedDomains)
		}
		for j := range t.OutboundConnectors {
			c := &t.OutboundConnectors[j]
			c.Name, c.Enabled, c.TlsDomain = "mutated", connector.False, "mutated.example.org"
			strs(c.RecipientDomains)
			strs(c.SmartHosts)
		}
	}
	for i := range spec.OnPremises {
		o := &spec.OnPremises[i]
		o.Name, o.MaxHopCount = "mutated", 1
		domains(o.AcceptedDomains)
		recipients(o.Recipients)
		for j := range o.Servers {
			s := &o.Servers[j]
			s.Name, s.Fqdn, s.Role, s.IPAddress = "MUTATED", "mutated.example.org", topology.ClientAccess, "203.0.113.99"
			strs(s.Hosts)
		}
		for j := range o.SendConnectors {
			c := &o.SendConnectors[j]
			c.Name, c.Enabled, c.Fqdn = "mutated", connector.False, "mutated.example.org"
			strs(c.AddressSpaces)
			strs(c.SmartHosts)
			strs(c.SourceTransportServers)
		}
	}
	for i := range spec.External {
		e := &spec.External[i]
		e.Name, e.Kind, e.IPAddress = "mutated", topology.Partner, "203.0.113.98"
		strs(e.Domains)
		strs(e.Hosts)
	}
	for i := range spec.MXRecords {
		spec.MXRecords[i] = topology.MXRecord{Domain: "mutated.example.org", Preference: 99, NameExchange: "mutated.example.org"}
	}
	for i := range spec.Hybrid {
		h := &spec.Hybrid[i]
		h.Tenant, h.OnPremises, h.OnPremisesSmartHost, h.TlsCertificateName = "mutated", "mutated", "mutated.example.org", "mutated.example.org"
		strs(h.Domains)
		strs(h.SendingTransportServers)
		strs(h.ReceivingTransportServers)
		strs(h.Features)
	}
}

func TestBuildKeepsNoReferenceToSpec(t *testing.T) {
	want, err := topology.Build(richSpec())
	require.NoError(t, err)
	spec := richSpec()
	got, err := topology.Build(spec)
	require.NoError(t, err)
	mutate(&spec)
	if diff := cmp.Diff(takeSnapshot(want), takeSnapshot(got), testopts.Cmp); diff != "" {
		t.Errorf("Build(spec) changed when spec was modified afterwards (-want +got):\n%s", diff)
	}
}

func TestBuildDoesNotModifySpec(t *testing.T) {
	// Each function returns a new spec that shares nothing with the
	// previous one, so that want is a deep copy of spec.
	tests := []struct {
		name string
		spec func() topology.Spec
	}{
		{name: "Rich", spec: richSpec},
		{name: "Shuffled", spec: func() topology.Spec { return shuffled(richSpec(), rand.New(rand.NewPCG(3, 4)).Perm) }},
		{name: "Contoso", spec: func() topology.Spec { return contosoSpec(topology.FeatureCentralizedTransport) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, spec := tt.spec(), tt.spec()
			_, err := topology.Build(spec)
			require.NoError(t, err)
			if diff := cmp.Diff(want, spec, testopts.Cmp); diff != "" {
				t.Errorf("Build(spec) modified spec (-want +got):\n%s", diff)
			}
		})
	}
}

// compareProblems is the order ValidationError documents: by Object, then
// Field with list indexes compared as numbers, then Message.
func compareProblems(a, b topology.Problem) int {
	if c := strings.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	if c := compareField(a.Field, b.Field); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

func compareField(a, b string) int {
	ai, bi := strings.IndexByte(a, '['), strings.IndexByte(b, '[')
	if ai > 0 && bi > 0 && a[:ai] == b[:bi] {
		an, aerr := strconv.Atoi(strings.TrimSuffix(a[ai+1:], "]"))
		bn, berr := strconv.Atoi(strings.TrimSuffix(b[bi+1:], "]"))
		if aerr == nil && berr == nil {
			return an - bn
		}
	}
	return strings.Compare(a, b)
}

func FuzzBuild(f *testing.F) {
	f.Add("contoso", "contoso.com", "julie@contoso.com", "smtp:david@contoso.com", "mail.contoso.com", "cpandl.com", "mx.cpandl.com", 10)
	f.Add("contoso", "contoso.com", "julie@contoso.com", "smtp:julie@contoso.com", "contoso-com.mail.protection.outlook.com", "contoso.com", "mx.cpandl.com", 0)
	f.Add("Contoso", "Contoso.COM", "Julie@Contoso.COM", "X500:/o=x", "MAIL.contoso.com", "contoso.onmicrosoft.com", "contoso-onmicrosoft-com.mail.protection.outlook.com", 0)
	f.Add("", "", "", "", "", "", "", -1)
	f.Add("contoso.com", "contoso", "julie", ":x", "mail", "*.com", "mx", 70000)
	f.Add("a", "a.b", "a@a.b", "a@a.b", "a.b", "a.b", "a.b", 1)
	f.Fuzz(func(t *testing.T, tenant, domain, addr, proxy, host, mxDomain, mxHost string, pref int) {
		spec := topology.Spec{
			Tenants: []topology.TenantSpec{{
				Name:            tenant,
				AcceptedDomains: []topology.AcceptedDomain{{DomainName: domain}},
				Recipients: []topology.Recipient{
					{Name: "r1", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: addr, EmailAddresses: []string{proxy}},
					{Name: "r2", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: proxy, ExternalEmailAddress: addr},
				},
				InboundConnectors: []connector.Inbound{{Name: "From " + host, ConnectorType: connector.Partner, SenderDomains: []string{mxDomain}, TlsSenderCertificateName: host}},
				OutboundConnectors: []connector.Outbound{{
					Name: "To " + mxDomain, ConnectorType: connector.Partner, RecipientDomains: []string{mxDomain},
					UseMXRecord: connector.False, SmartHosts: []string{mxHost},
				}},
			}},
			OnPremises: []topology.OnPremisesSpec{{
				Name:            tenant,
				AcceptedDomains: []topology.AcceptedDomain{{DomainName: domain}, {DomainName: mxDomain, DomainType: topology.ExternalRelay}},
				Servers:         []topology.ServerSpec{{Name: "EX01", Fqdn: host}, {Name: tenant, Fqdn: "ex02." + domain, Role: topology.ClientAccess}},
				Recipients: []topology.Recipient{
					{Name: "m1", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: stripProxy(proxy), Server: "EX01"},
					{Name: "m2", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: addr, RemoteRoutingAddress: proxy},
				},
				SendConnectors: []connector.Send{{
					Name: "To " + mxDomain, AddressSpaces: []string{mxDomain, "smtp:" + domain + ";" + strconv.Itoa(pref)},
					DNSRoutingEnabled: connector.False, SmartHosts: []string{mxHost}, SourceTransportServers: []string{tenant},
				}},
			}},
			External: []topology.ExternalSpec{{Name: "ext", Domains: []string{mxDomain}, Hosts: []string{mxHost}}},
			MXRecords: []topology.MXRecord{
				{Domain: mxDomain, Preference: pref, NameExchange: mxHost},
				{Domain: domain, Preference: 0, NameExchange: host},
				{Domain: domain, Preference: 10, NameExchange: topology.EOPHost(domain)},
			},
			Hybrid: []topology.HybridConfiguration{{
				Tenant: tenant, OnPremises: tenant, Domains: []string{domain, mxDomain}, OnPremisesSmartHost: host,
				TlsCertificateName: host, SendingTransportServers: []string{"EX01"}, ReceivingTransportServers: []string{tenant},
				Features: []string{mxHost},
			}},
		}
		topo, err := topology.Build(spec)
		if err != nil {
			if topo != nil {
				t.Errorf("Build() = %p, %v, want nil with the error", topo, err)
			}
			if !errors.Is(err, topology.ErrInvalid) {
				t.Errorf("Build() error = %v, want one matching ErrInvalid", err)
			}
			var ve *topology.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Build() error = %T, want *ValidationError", err)
			}
			if len(ve.Problems) == 0 {
				t.Errorf("Build() returned a ValidationError without problems")
			}
			for i := 1; i < len(ve.Problems); i++ {
				if compareProblems(ve.Problems[i-1], ve.Problems[i]) >= 0 {
					t.Errorf("Problems[%d] = %v, Problems[%d] = %v: not in strictly ascending order", i-1, ve.Problems[i-1], i, ve.Problems[i])
				}
			}
			return
		}
		if topo == nil {
			t.Fatalf("Build() = nil, <nil>")
		}
		nodes := slices.Collect(topo.Nodes())
		for i := 1; i < len(nodes); i++ {
			if nodes[i-1].ID.Compare(nodes[i].ID) >= 0 {
				t.Errorf("Nodes()[%d] = %v, Nodes()[%d] = %v: not in strictly ascending order", i-1, nodes[i-1].ID, i, nodes[i].ID)
			}
		}
		for _, n := range nodes {
			for h := range n.Hosts() {
				if r, ok := topo.ResolveHost(h); !ok || r.ID != n.ID {
					t.Errorf("ResolveHost(%q) = %v, %v, want %v, true", h, r.ID, ok, n.ID)
				}
			}
		}
		again, err := topology.Build(spec)
		if err != nil {
			t.Fatalf("second Build() error = %v, want <nil> as the first time", err)
		}
		if diff := cmp.Diff(takeSnapshot(topo), takeSnapshot(again), testopts.Cmp); diff != "" {
			t.Errorf("second Build() mismatch (-want +got):\n%s", diff)
		}
	})
}

// stripProxy returns the address of a proxy address "smtp:a@b".
func stripProxy(s string) string {
	if _, after, ok := strings.Cut(s, ":"); ok {
		return after
	}
	return s
}

// TestMXNotShared shows that the MX records and MX domains a topology
// yields are the caller's: changing them changes no later answer.
func TestMXNotShared(t *testing.T) {
	top, err := topology.Build(contosoSpec())
	require.NoError(t, err)
	recs := slices.Collect(top.MX("contoso.com"))
	require.NotEmpty(t, recs)
	want := recs[0]
	recs[0].NameExchange = "changed.example"
	require.Equal(t, want, slices.Collect(top.MX("contoso.com"))[0])
	domains := slices.Collect(top.MXDomains())
	require.NotEmpty(t, domains)
	first := domains[0]
	domains[0] = "changed.example"
	require.Equal(t, first, slices.Collect(top.MXDomains())[0])
	require.True(t, slices.IsSorted(slices.Collect(top.MXDomains())))
}

// TestParseTimeSpan reads TimeSpans as PowerShell prints them.
func TestParseTimeSpan(t *testing.T) {
	for in, want := range map[string]time.Duration{"2.00:00:00": 48 * time.Hour, "00:10:00": 10 * time.Minute, "1.02:03:04.5": 26*time.Hour + 3*time.Minute + 4500*time.Millisecond} {
		if got, err := topology.ParseTimeSpan(in); err != nil || got != want {
			t.Errorf("ParseTimeSpan(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2 days", "00:60:00", "1:2", "-1.00:00:00"} {
		if _, err := topology.ParseTimeSpan(in); err == nil {
			t.Errorf("ParseTimeSpan(%q) succeeded", in)
		}
	}
}
