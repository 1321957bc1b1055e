package exchange_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/scenario/exchange"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// exportsDir holds the real Exchange Server exports (copied unchanged
// from the project's shared exports; see its README.md).
const exportsDir = "testdata/exchange-server"

func readExport(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(exportsDir, name))
	require.NoError(t, err)
	return data
}

// The server every on-premises export of "First Organization" names.
var winServer = topology.ServerSpec{Name: "WIN-CTD3L0RGEN4", Fqdn: "WIN-CTD3L0RGEN4.exlab.dom"}

var (
	mailToO365 = connector.Send{
		Name:                     "Mail to O365",
		AddressSpaces:            []string{"SMTP:*;1"},
		DNSRoutingEnabled:        connector.False,
		SmartHosts:               []string{"microsoft-com.mail.protection.outlook.com"},
		TlsCertificateName:       "<I>CN=localhost<S>CN=localhost",
		CloudServicesMailEnabled: true,
		MaxMessageSize:           "35 MB (36,700,160 bytes)",
		SourceTransportServers:   []string{"WIN-CTD3L0RGEN4"},
		Enabled:                  connector.True,
	}
	myCompanyToO365 = connector.Send{
		Name:                     "My company to Office 365",
		AddressSpaces:            []string{"smtp:*;1"},
		DNSRoutingEnabled:        connector.False,
		SmartHosts:               []string{"ThisTenantDoesntExists-com.mail.protection.outlook.com"},
		RequireTLS:               true,
		TlsAuthLevel:             "CertificateValidation",
		Fqdn:                     "mail.contoso.com",
		CloudServicesMailEnabled: true,
		MaxMessageSize:           "35 MB (36,700,160 bytes)",
		SourceTransportServers:   []string{"WIN-CTD3L0RGEN4"},
		Enabled:                  connector.True,
	}
)

func receive(name, role string, port string, groups, auth []string) connector.Receive {
	bindings := []string{"[::]:" + port, "0.0.0.0:" + port}
	if port == "2525" {
		bindings = []string{"0.0.0.0:2525", "[::]:2525"} // as the export lists them
	}
	return connector.Receive{
		Name: name, Server: "WIN-CTD3L0RGEN4", TransportRole: role, Bindings: bindings,
		RemoteIPRanges:   []string{"::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "0.0.0.0-255.255.255.255"},
		PermissionGroups: groups, AuthMechanism: auth,
		Fqdn: "WIN-CTD3L0RGEN4.exlab.dom", MaxHopCount: 60, MaxLocalHopCount: 5, Enabled: connector.True,
	}
}

var (
	allAuth       = []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer"}
	receiveExport = []connector.Receive{
		receive("Default WIN-CTD3L0RGEN4", "HubTransport", "2525", []string{"ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers"}, allAuth),
		receive("Client Proxy WIN-CTD3L0RGEN4", "HubTransport", "465", []string{"ExchangeUsers", "ExchangeServers"}, allAuth),
		func() connector.Receive {
			c := receive("Default Frontend WIN-CTD3L0RGEN4", "FrontendTransport", "25", []string{"AnonymousUsers", "ExchangeServers", "ExchangeLegacyServers"}, allAuth)
			c.TlsDomainCapabilities = []string{"fabrikam.com:AcceptCloudServicesMail"}
			return c
		}(),
		receive("Outbound Proxy Frontend WIN-CTD3L0RGEN4", "FrontendTransport", "717", []string{"ExchangeServers"}, allAuth),
		receive("Client Frontend WIN-CTD3L0RGEN4", "FrontendTransport", "587", []string{"ExchangeUsers"}, allAuth[:4]),
	}
)

// TestImportExchangeServerExports imports each real export on its own.
func TestImportExchangeServerExports(t *testing.T) {
	renamed := func(raw, name string) scenario.Problem {
		return scenario.Problem{Path: `OnPremises["` + name + `"]`,
			Message: `organization "` + raw + `" is named "` + name + `": topology names allow letters, digits, '-', '_' and '.'`}
	}
	tests := []struct {
		file      string
		want      scenario.File
		problems  int
		someProbs []scenario.Problem // must be among the problems
	}{
		{
			file: "GetSendConnector.xml",
			want: scenario.File{Spec: topology.Spec{OnPremises: []topology.OnPremisesSpec{{
				Name: "First-Organization", Servers: []topology.ServerSpec{{Name: "WIN-CTD3L0RGEN4", Fqdn: "win-ctd3l0rgen4.exlab.dom"}},
				SendConnectors: []connector.Send{mailToO365}}},
				// The smart host, another tenant's EOP, is not exported.
				External: []topology.ExternalSpec{{Name: "microsoft-com.mail.protection.outlook.com", Hosts: []string{"microsoft-com.mail.protection.outlook.com"}}}}},
			problems: 9,
			someProbs: []scenario.Problem{
				{Path: `External["microsoft-com.mail.protection.outlook.com"]`, Message: "the smart host microsoft-com.mail.protection.outlook.com of " +
					`OnPremises["First-Organization"].SendConnectors["Mail to O365"] is in no exported organization: imported as an Internet mail system ` +
					"that accepts what it is sent; if it is a server of an exported organization, add the name to that server's Hosts in the topology file"},
				{Path: `GetSendConnector.xml[0]("Mail to O365").Port`, Message: "not imported: not modelled by the simulator (value 25)"},
				{Path: `GetSendConnector.xml[0]("Mail to O365").SmartHostAuthMechanism`, Message: `not imported: not modelled by the simulator (value "None")`},
				renamed("First Organization", "First-Organization"),
				{Path: `OnPremises["First-Organization"].Servers["WIN-CTD3L0RGEN4"].Fqdn`, Message: `not in the export: guessed "win-ctd3l0rgen4.exlab.dom" from the Active Directory domain`},
			},
		},
		{
			file: "GetSendConnectorConfiguredToRelayToM365.xml",
			want: scenario.File{Spec: topology.Spec{OnPremises: []topology.OnPremisesSpec{{
				Name: "First-Organization", Servers: []topology.ServerSpec{{Name: "WIN-CTD3L0RGEN4", Fqdn: "win-ctd3l0rgen4.exlab.dom"}},
				SendConnectors: []connector.Send{myCompanyToO365}}},
				// The smart host, another tenant's EOP, is not exported.
				External: []topology.ExternalSpec{{Name: "thistenantdoesntexists-com.mail.protection.outlook.com", Hosts: []string{"thistenantdoesntexists-com.mail.protection.outlook.com"}}}}},
			problems:  9,
			someProbs: []scenario.Problem{},
		},
		{
			file: "GetReceiveConnector.xml",
			want: scenario.File{Spec: topology.Spec{OnPremises: []topology.OnPremisesSpec{{
				Name: "First-Organization", Servers: []topology.ServerSpec{winServer}, ReceiveConnectors: receiveExport}}}},
			problems: 7,
			someProbs: []scenario.Problem{
				{Path: `GetReceiveConnector.xml[0]("Default WIN-CTD3L0RGEN4").MaxMessageSize`,
					Message: `not imported: not modelled by the simulator (value "36 MB (37,748,736 bytes)"; the same in GetReceiveConnector.xml[1], GetReceiveConnector.xml[2], GetReceiveConnector.xml[3], GetReceiveConnector.xml[4])`},
				{Path: `GetReceiveConnector.xml[2]("Default Frontend WIN-CTD3L0RGEN4").DomainSecureEnabled`,
					Message: `not imported: not modelled by the simulator (value true; the same in GetReceiveConnector.xml[3])`},
				{Path: `GetReceiveConnector.xml[2]("Default Frontend WIN-CTD3L0RGEN4").TlsCertificateName`,
					Message: `not imported: not modelled by the simulator (value "<I>CN=WIN-CTD3L0RGEN4<S>CN=WIN-CTD3L0RGEN4")`},
			},
		},
		{
			file: "GetAcceptedDomain.xml",
			want: scenario.File{Spec: topology.Spec{OnPremises: []topology.OnPremisesSpec{{
				Name: "SoloORG", AcceptedDomains: []topology.AcceptedDomain{
					{DomainName: "Solo.com", DomainType: topology.Authoritative},
					// Wildcards, as "Accepted domains in Exchange Server" allows.
					{DomainName: "*.contoso.local", DomainType: topology.Authoritative},
					{DomainName: "*.com", DomainType: topology.InternalRelay},
				}}}}},
			problems: 2,
			someProbs: []scenario.Problem{{Path: `OnPremises["SoloORG"].Servers`, Message: `none of the servers of organization "SoloORG" is in the exports ` +
				`(export Get-ExchangeServer, or its Receive or Send connectors): a topology needs them, or the organization removed`}},
		},
		{
			file: "GetHybridConfiguration.xml",
			// The hybrid configuration pairs the organization with a tenant
			// that is not exported: it is left out
			// (TestImportHybridWithTenant imports it with its tenant).
			want: scenario.File{Spec: topology.Spec{
				OnPremises: []topology.OnPremisesSpec{{Name: "Exchange-Labs", Servers: []topology.ServerSpec{
					{Name: "ex-02", Fqdn: "ex-02.365labs.net", Hosts: []string{"mail.contoso.com"}}}}}}},
			problems: 3,
			someProbs: []scenario.Problem{
				{Path: `Hybrid["Exchange-Labs"]`, Message: "not imported: the hybrid configuration pairs the organization with a tenant that is not in the exports " +
					"(export Exchange Online's Get-AcceptedDomain, Get-InboundConnector and Get-OutboundConnector with it)"},
				renamed("Exchange Labs", "Exchange-Labs"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, problems, err := exchange.Import(tt.file, readExport(t, tt.file))
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, *got, testopts.Cmp); diff != "" {
				t.Errorf("Import(%s) mismatch (-want +got):\n%s", tt.file, diff)
			}
			if len(problems) != tt.problems {
				t.Errorf("Import(%s) gave %d problems, want %d:\n%v", tt.file, len(problems), tt.problems, problems)
			}
			for _, p := range tt.someProbs {
				found := false
				for _, q := range problems {
					found = found || q == p
				}
				if !found {
					t.Errorf("Import(%s) problems lack\n\t%s\nhave:\n%v", tt.file, p, problems)
				}
			}
		})
	}
}

// TestImportFSExchangeServer imports every real export together. The
// five exports come from three different labs ("First Organization",
// "SoloORG" and "Exchange Labs"). SoloORG's export names no server, which
// a note says and Build refuses; the hybrid configuration pairs Exchange
// Labs with a tenant that is not exported, so it is left out; the Send
// connectors' smart hosts, other tenants' EOP hosts, become external
// systems. Each is noted. With SoloORG removed, as its note says, the
// rest builds and traces: First Organization's mail to the Internet
// leaves by "Mail to O365", which ties with "My company to Office 365" on
// address space and cost and wins by name
// (docs/behaviour.md#l4-ties-between-connectors-go-to-the-lowest-name).
func TestImportFSExchangeServer(t *testing.T) {
	got, problems, err := exchange.ImportFS(os.DirFS(exportsDir))
	require.NoError(t, err)
	var names []string
	for _, o := range got.Spec.OnPremises {
		names = append(names, o.Name)
	}
	if diff := cmp.Diff([]string{"Exchange-Labs", "First-Organization", "SoloORG"}, names); diff != "" {
		t.Errorf("organizations (-want +got):\n%s", diff)
	}
	first := got.Spec.OnPremises[1]
	if diff := cmp.Diff(topology.OnPremisesSpec{Name: "First-Organization", Servers: []topology.ServerSpec{winServer},
		SendConnectors: []connector.Send{mailToO365, myCompanyToO365}, ReceiveConnectors: receiveExport}, first, testopts.Cmp); diff != "" {
		t.Errorf("First-Organization (-want +got):\n%s", diff)
	}
	require.Empty(t, got.Spec.Hybrid)
	require.Len(t, got.Spec.External, 2)
	// Per file: 1 (accepted domains), 6 (receive), 6 and 6 (send), no note
	// for a value at its default (false, 0); then the notes about the two
	// renamed organizations and ex-02's Fqdn, SoloORG's servers, the hybrid
	// configuration left out, and the two smart hosts.
	if len(problems) != 1+6+6+6+3+2+2 {
		t.Errorf("ImportFS gave %d problems:\n%v", len(problems), problems)
	}
	_, err = topology.Build(got.Spec)
	var be *topology.ValidationError
	require.ErrorAs(t, err, &be)
	require.Equal(t, []topology.Problem{{Path: `OnPremises["SoloORG"]`, Field: "Servers", Message: "an on-premises organization needs at least one Exchange server"}}, be.Problems)
	got.Spec.OnPremises = got.Spec.OnPremises[:2]
	topo, err := topology.Build(got.Spec)
	require.NoError(t, err)
	origin, err := topology.ParseNodeID("onprem:First-Organization/WIN-CTD3L0RGEN4")
	require.NoError(t, err)
	res, err := route.Trace(topo, route.Message{From: "admin@exlab.dom", To: []string{"someone@fabrikam.com"}, Origin: origin})
	require.NoError(t, err)
	r := res.Recipients[0]
	require.Equal(t, route.Relayed, r.Disposition)
	last := r.Hops[len(r.Hops)-1]
	require.Equal(t, "ext:microsoft-com.mail.protection.outlook.com", last.Node.String())
	require.Equal(t, "Mail to O365", r.Hops[len(r.Hops)-2].Connector)

	fsys := fstest.MapFS{}
	for _, name := range []string{"GetSendConnector.xml", "GetReceiveConnector.xml"} {
		fsys[name] = &fstest.MapFile{Data: readExport(t, name)}
	}
	fsys["README.txt"] = &fstest.MapFile{Data: []byte("not an export, and not read")}
	one, _, err := exchange.ImportFS(fsys)
	require.NoError(t, err)
	first.SendConnectors = first.SendConnectors[:1]
	if diff := cmp.Diff([]topology.OnPremisesSpec{first}, one.Spec.OnPremises, testopts.Cmp); diff != "" {
		t.Errorf("First Organization's exports (-want +got):\n%s", diff)
	}
	// Declaring the tenant the smart host names in place of its stand-in
	// builds too.
	one.Spec.External = nil
	one.Spec.Tenants = append(one.Spec.Tenants, topology.TenantSpec{Name: "microsoft", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "microsoft.com"}}})
	if _, err := topology.Build(one.Spec); err != nil {
		t.Errorf("topology.Build(First Organization's exports): %v", err)
	}
}

// Hand-written Get-InboundConnector and Get-OutboundConnector records as
// ConvertTo-Json writes them.
const inboundJSON = `[
  {
    "Name": "Inbound from Contoso",
    "Identity": "Inbound from Contoso",
    "Guid": "3b9a2f6c-0d2e-4a63-9d55-4f7b8e4d1a01",
    "ConnectorType": "OnPremises",
    "ConnectorSource": 2,
    "SenderDomains": ["smtp:*;1"],
    "SenderIPAddresses": ["203.0.113.0/24"],
    "RequireTls": true,
    "RestrictDomainsToIPAddresses": false,
    "RestrictDomainsToCertificate": false,
    "TlsSenderCertificateName": null,
    "CloudServicesMailEnabled": true,
    "TreatMessagesAsInternal": false,
    "EFSkipLastIP": false,
    "EFSkipIPs": [],
    "EFUsers": [],
    "AssociatedAcceptedDomains": [],
    "TrustedOrganizations": ["fabrikam.onmicrosoft.com"],
    "Enabled": true,
    "WhenChangedUTC": "/Date(1690000000000)/",
    "OrganizationId": "EURPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com - EURPR01A001.prod.outlook.com/ConfigurationUnits/contoso.onmicrosoft.com/Configuration"
  },
  {
    "Name": "From Partner",
    "ConnectorType": 2,
    "SenderDomains": "smtp:fabrikam.com;1",
    "TlsSenderCertificateName": "mail.fabrikam.com",
    "RestrictDomainsToCertificate": true,
    "RequireTls": null,
    "Frobnicate": 7
  }
]`

const outboundJSON = `{
  "Name": "Outbound to Contoso",
  "ConnectorType": 1,
  "RecipientDomains": ["smtp:contoso.com;1", "SMTP:*.contoso.com;2"],
  "SmartHosts": ["[192.0.2.25]", "mail.contoso.com"],
  "UseMXRecord": false,
  "TlsSettings": 4,
  "TlsDomain": "mail.contoso.com",
  "IsTransportRuleScoped": false,
  "RouteAllMessagesViaOnPremises": false,
  "AllAcceptedDomains": false,
  "CloudServicesMailEnabled": true,
  "SenderRewritingEnabled": false,
  "MtaStsMode": "Opportunistic",
  "SmtpDaneMode": null,
  "TestMode": false,
  "ValidationRecipients": [],
  "IsValidated": false,
  "ConnectorSource": "HybridWizard"
}`

func TestImportJSON(t *testing.T) {
	fsys := fstest.MapFS{
		"Get-InboundConnector.json": {Data: []byte(inboundJSON)},
		"OutboundConnector.json":    {Data: []byte(outboundJSON)},
	}
	got, problems, err := exchange.ImportFS(fsys)
	require.NoError(t, err)
	want := scenario.File{Spec: topology.Spec{Tenants: []topology.TenantSpec{{
		Name: "contoso",
		InboundConnectors: []connector.Inbound{
			{
				Name: "Inbound from Contoso", ConnectorType: connector.OnPremises, ConnectorSource: connector.SourceHybridWizard,
				SenderDomains: []string{"*"}, SenderIPAddresses: []string{"203.0.113.0/24"}, RequireTls: connector.True,
				CloudServicesMailEnabled: true, Enabled: connector.True,
			},
			{
				// RequireTls null and Enabled absent stay unset.
				Name: "From Partner", ConnectorType: connector.Partner, SenderDomains: []string{"fabrikam.com"},
				TlsSenderCertificateName: "mail.fabrikam.com", RestrictDomainsToCertificate: true,
			},
		},
		OutboundConnectors: []connector.Outbound{{
			Name: "Outbound to Contoso", ConnectorType: connector.OnPremises,
			RecipientDomains: []string{"contoso.com", "*.contoso.com"}, SmartHosts: []string{"192.0.2.25", "mail.contoso.com"},
			UseMXRecord: connector.False, TlsSettings: connector.TlsDomainValidation, TlsDomain: "mail.contoso.com",
			CloudServicesMailEnabled: true, ConnectorSource: connector.SourceHybridWizard,
		}},
	}},
		// The on-premises smart host is not exported; the IP address routes
		// without a name.
		External: []topology.ExternalSpec{{Name: "mail.contoso.com", Hosts: []string{"mail.contoso.com"}}},
	}}
	if diff := cmp.Diff(want, *got, testopts.Cmp); diff != "" {
		t.Errorf("ImportFS mismatch (-want +got):\n%s", diff)
	}
	in := got.Spec.Tenants[0].InboundConnectors
	if in[1].RequireTls != connector.Unset || in[1].Enabled != connector.Unset || got.Spec.Tenants[0].OutboundConnectors[0].Enabled != connector.Unset {
		t.Errorf("null or absent Booleans were set: %v %v", in[1].RequireTls, in[1].Enabled)
	}
	wantProblems := []scenario.Problem{
		{Path: `Get-InboundConnector.json[0]("Inbound from Contoso").TrustedOrganizations`, Message: `not imported: not modelled by the simulator (value ["fabrikam.onmicrosoft.com"])`},
		{Path: `Get-InboundConnector.json[1]("From Partner").Frobnicate`, Message: `not imported: unknown property (value 7)`},
		{Path: `OutboundConnector.json[0]("Outbound to Contoso").MtaStsMode`, Message: `not imported: not modelled by the simulator (value "Opportunistic")`},
		{Path: `External["mail.contoso.com"]`, Message: `the smart host mail.contoso.com of Tenants["contoso"].OutboundConnectors["Outbound to Contoso"] is in no exported organization: ` +
			"imported as an Internet mail system that accepts what it is sent; if it is a server of an exported organization, add the name to that server's Hosts in the topology file"},
	}
	if diff := cmp.Diff(wantProblems, problems, testopts.Cmp); diff != "" {
		t.Errorf("ImportFS problems (-want +got):\n%s", diff)
	}
}

func TestImportShapesAndEnums(t *testing.T) {
	// No type names, a file name that says nothing: the shape decides.
	data := []byte(`[
	  {"DomainName": "contoso.com", "DomainType": 2, "Name": "contoso.com",
	   "DistinguishedName": "CN=contoso.com,CN=Accepted Domains,CN=Transport Settings,CN=Contoso Corp,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com"},
	  {"Name": "Julie", "RecipientTypeDetails": "RemoteUserMailbox", "PrimarySmtpAddress": "julie@contoso.com",
	   "RemoteRoutingAddress": "SMTP:julie@contoso.mail.onmicrosoft.com", "EmailAddresses": ["SMTP:julie@contoso.com", "X500:/o=x"]},
	  {"Name": "Bob", "RecipientTypeDetails": 1, "PrimarySmtpAddress": "bob@contoso.com", "ServerName": "EX01"},
	  {"Name": "x", "Bindings": ["0.0.0.0:25", "bad"], "RemoteIPRanges": ["10.0.0.0/8", "192.168.1.5"],
	   "PermissionGroups": 5, "AuthMechanism": "Tls, ExternalAuthoritative", "Server": "EX01", "TransportRole": 16384, "Fqdn": "ex01.contoso.com"}
	]`)
	got, problems, err := exchange.Import("export.json", data)
	require.NoError(t, err)
	want := scenario.File{Spec: topology.Spec{OnPremises: []topology.OnPremisesSpec{{
		Name:            "Contoso-Corp",
		AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com", DomainType: topology.InternalRelay}},
		Servers:         []topology.ServerSpec{{Name: "EX01", Fqdn: "ex01.contoso.com"}},
		Recipients: []topology.Recipient{
			{Name: "Julie", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "julie@contoso.com",
				RemoteRoutingAddress: "SMTP:julie@contoso.mail.onmicrosoft.com", EmailAddresses: []string{"SMTP:julie@contoso.com", "X500:/o=x"}},
			{Name: "Bob", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "bob@contoso.com", Server: "EX01"},
		},
		ReceiveConnectors: []connector.Receive{{Name: "x", Bindings: []string{"0.0.0.0:25"}, RemoteIPRanges: []string{"10.0.0.0/8", "192.168.1.5"},
			PermissionGroups: []string{"AnonymousUsers", "ExchangeServers"}, AuthMechanism: []string{"Tls", "ExternalAuthoritative"},
			Server: "EX01", TransportRole: "FrontendTransport", Fqdn: "ex01.contoso.com"}},
	}}}}
	if diff := cmp.Diff(want, *got, testopts.Cmp); diff != "" {
		t.Errorf("Import mismatch (-want +got):\n%s", diff)
	}
	wantProblems := []scenario.Problem{
		{Path: `export.json[3]("x").Bindings`, Message: `not imported: "bad" is not IP:port`},
		{Path: `OnPremises["Contoso-Corp"]`, Message: `organization "Contoso Corp" is named "Contoso-Corp": topology names allow letters, digits, '-', '_' and '.'`},
	}
	if diff := cmp.Diff(wantProblems, problems, testopts.Cmp); diff != "" {
		t.Errorf("Import problems (-want +got):\n%s", diff)
	}
}

// A single exported object whose values ConvertTo-Json nested.
func TestImportJSONNested(t *testing.T) {
	got, _, err := exchange.Import("GetSendConnector.json", []byte(`{"Name": "s",
	  "AddressSpaces": {"value": [{"Type": "SMTP", "Address": "*.contoso.com", "Cost": 5, "IsSmtpType": true}], "Count": 1},
	  "SmartHosts": [{"Address": null, "Domain": {"HostnameString": "relay.contoso.com"}}],
	  "DNSRoutingEnabled": false, "SourceTransportServers": [{"Name": "EX01", "DistinguishedName": "CN=EX01,CN=Servers,CN=X,CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com"}]}`))
	require.NoError(t, err)
	want := []topology.OnPremisesSpec{{Name: "Contoso", Servers: []topology.ServerSpec{{Name: "EX01", Fqdn: "ex01.contoso.com"}},
		SendConnectors: []connector.Send{{Name: "s", AddressSpaces: []string{"SMTP:*.contoso.com;5"}, SmartHosts: []string{"relay.contoso.com"},
			DNSRoutingEnabled: connector.False, SourceTransportServers: []string{"EX01"}}}}}
	if diff := cmp.Diff(want, got.Spec.OnPremises, testopts.Cmp); diff != "" {
		t.Errorf("Import mismatch (-want +got):\n%s", diff)
	}
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		name, file, data, want string
	}{
		{"MalformedXML", "GetSendConnector.xml", `<Objs><Obj>`, `scenario: 1 problem:
	GetSendConnector.xml: not a CLIXML export: clixml: line 1, column 12: unexpected EOF`},
		{"MalformedJSON", "GetInboundConnector.json", `[{"Name": }]`, `scenario: 1 problem:
	GetInboundConnector.json: not a JSON export: at offset 10: invalid character '}' looking for beginning of value`},
		{"NotAnExport", "notes.json", `{"Colour": "blue"}`, `scenario: 1 problem:
	notes.json: not an export of a supported cmdlet: no object is an accepted domain, connector, hybrid configuration, recipient, transport rule or connection filter policy`},
		{"NotObjects", "x.json", `[1, 2]`, `scenario: 1 problem:
	x.json: not an export of objects: element 0 is not a JSON object`},
		{"Text", "x.xml", `hello`, `scenario: 1 problem:
	x.xml: not an Exchange export: neither CLIXML (<Objs …>) nor JSON`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, err := exchange.Import(tt.file, []byte(tt.data))
			if !errors.Is(err, scenario.ErrBadFile) || f != nil {
				t.Fatalf("Import(%s) = %v, %v; want a LoadError", tt.file, f, err)
			}
			if err.Error() != tt.want {
				t.Errorf("Import(%s) error =\n%s\nwant\n%s", tt.file, err, tt.want)
			}
		})
	}
	// An empty export is no error.
	f, problems, err := exchange.Import("GetSendConnector.json", []byte("  \n"))
	require.NoError(t, err)
	if diff := cmp.Diff(scenario.File{}, *f, testopts.Cmp); diff != "" || len(problems) != 0 {
		t.Errorf("Import(empty) = %+v, %v", f, problems)
	}
}

func FuzzImport(f *testing.F) {
	f.Add("Get-InboundConnector.json", []byte(inboundJSON))
	f.Add("OutboundConnector.json", []byte(outboundJSON))
	f.Add("x.json", []byte(`{"AddressSpaces": [{"Type": "SMTP", "Address": "*", "Cost": 1}], "SmartHosts": {"value": ["a.b"], "Count": 1}}`))
	f.Add("members.xml", []byte(selectedMembersXML))
	f.Add("Get-ExchangeServer.json", []byte(exchangeServerJSON))
	f.Add("GetEdgeSubscription.xml", []byte(edgeSubscriptionXML))
	f.Add("GetAdSiteLink.json", []byte(adSiteLinkJSON))
	f.Add("TransportConfig.xml", []byte(transportConfigXML))
	for _, dir := range []string{exportsDir, "testdata/handwritten", edgeDir, tenantRecipientsDir, serverRecipientsDir} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
				f.Add(e.Name(), data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		f1, p1, err1 := exchange.Import(name, data)
		f2, p2, err2 := exchange.Import(name, data)
		if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("two imports disagree on the error: %v, %v", err1, err2)
		}
		if err1 != nil {
			if !errors.Is(err1, scenario.ErrBadFile) {
				t.Fatalf("error %v is not a LoadError", err1)
			}
			return
		}
		if diff := cmp.Diff(f1, f2, testopts.Cmp); diff != "" {
			t.Fatalf("two imports differ (-first +second):\n%s", diff)
		}
		if diff := cmp.Diff(p1, p2); diff != "" {
			t.Fatalf("two imports' problems differ (-first +second):\n%s", diff)
		}
		// Bounded output: references are shared, never expanded, and a note
		// shows at most 80 bytes of a value, so what comes out grows with
		// what went in.
		var size int
		if j, err := json.Marshal(f1.Spec); err == nil {
			size = len(j)
		}
		for _, p := range p1 {
			size += len(p.Path) + len(p.Message)
		}
		if limit := 64*len(data) + 1<<20; size > limit {
			t.Fatalf("a %d-byte export gave %d bytes of topology and notes, over %d", len(data), size, limit)
		}
		// Re-exported as a topology file and loaded back: the same File.
		if _, err := topology.Build(f1.Spec); err != nil {
			return
		}
		var out bytes.Buffer
		if err := f1.WriteJSON(&out); err != nil {
			t.Fatalf("WriteJSON: %v", err)
		}
		again, _, err := scenario.Load(&out)
		if err != nil {
			t.Fatalf("Load(WriteJSON(import)): %v", err)
		}
		if diff := cmp.Diff(f1, again, testopts.Cmp); diff != "" {
			t.Fatalf("re-export mismatch (-imported +reloaded):\n%s", diff)
		}
	})
}

// TestImportReexport: every real export that builds on its own, and the
// hand-written Exchange Online records, written as a topology file and
// loaded back give the same File.
func TestImportReexport(t *testing.T) {
	inputs := map[string][]byte{
		"GetReceiveConnector.xml":   readExport(t, "GetReceiveConnector.xml"),
		"Get-InboundConnector.json": []byte(inboundJSON),
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			f, _, err := exchange.Import(name, data)
			require.NoError(t, err)
			_, err = topology.Build(f.Spec)
			require.NoError(t, err)
			var out bytes.Buffer
			require.NoError(t, f.WriteJSON(&out))
			again, _, err := scenario.Load(&out)
			require.NoError(t, err)
			if diff := cmp.Diff(f, again, testopts.Cmp); diff != "" {
				t.Errorf("re-export mismatch (-imported +reloaded):\n%s", diff)
			}
		})
	}
}

// TestImportEncodings: Windows PowerShell's Out-File writes UTF-16 with a
// byte order mark unless told otherwise, and -Encoding utf8 writes a UTF-8
// byte order mark; both import as the plain file does.
func TestImportEncodings(t *testing.T) {
	want, wantProblems, err := exchange.Import("Get-InboundConnector.json", []byte(inboundJSON))
	require.NoError(t, err)
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range inboundJSON {
		utf16le = append(utf16le, byte(r), byte(r>>8)) // the sample is ASCII
	}
	for name, data := range map[string][]byte{
		"UTF-8 BOM": append([]byte{0xEF, 0xBB, 0xBF}, inboundJSON...),
		"UTF-16LE":  utf16le,
	} {
		t.Run(name, func(t *testing.T) {
			got, problems, err := exchange.Import("Get-InboundConnector.json", data)
			require.NoError(t, err)
			if diff := cmp.Diff(want, got, testopts.Cmp); diff != "" {
				t.Errorf("Import mismatch (-plain +%s):\n%s", name, diff)
			}
			require.Equal(t, wantProblems, problems)
		})
	}
}

// TestImportOrganizationsSameName: organizations whose names become the
// same topology name come out in the order of their raw names, every
// time, not in map order.
func TestImportOrganizationsSameName(t *testing.T) {
	const dn = "CN=%s,CN=Accepted Domains,CN=Transport Settings,CN=%s,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=a,DC=example"
	const sendDN = "CN=Out,CN=Connections,CN=Exchange Routing Group (DWBGZMFD01QNBJR),CN=Routing Groups,CN=Exchange Administrative Group (FYDIBOHF23SPDLT)," +
		"CN=Administrative Groups,CN=%s,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=a,DC=example"
	var records, sends []string
	for _, d := range []struct{ domain, org string }{
		{"slash.example", "First/Organization"}, {"space.example", "First Organization"}, {"plus.example", "First+Organization"},
	} {
		records = append(records, fmt.Sprintf(`{"DomainName": %q, "DomainType": 0, "DistinguishedName": %q}`, d.domain, fmt.Sprintf(dn, d.domain, d.org)))
		// A server, without which an organization is left out.
		sends = append(sends, fmt.Sprintf(`{"Name": "Out", "AddressSpaces": ["SMTP:*;1"], "SourceTransportServers": ["EX1"], "DistinguishedName": %q}`, fmt.Sprintf(sendDN, d.org)))
	}
	fsys := fstest.MapFS{
		"GetAcceptedDomain.json": {Data: []byte("[" + strings.Join(records, ",") + "]")},
		"GetSendConnector.json":  {Data: []byte("[" + strings.Join(sends, ",") + "]")},
	}
	want := []string{"space.example", "plus.example", "slash.example"} // ' ' < '+' < '/'
	for range 20 {
		f, _, err := exchange.ImportFS(fsys)
		require.NoError(t, err)
		var got []string
		for _, o := range f.Spec.OnPremises {
			if o.Name != "First-Organization" {
				t.Errorf("organization named %q, want First-Organization", o.Name)
			}
			for _, a := range o.AcceptedDomains {
				got = append(got, a.DomainName)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("accepted domains by organization (-want +got):\n%s", diff)
		}
	}
}

// transportRulesJSON is Get-TransportRule | ConvertTo-Json for three
// rules: two whose conditions and actions the simulator reads, one with a
// message type condition it does not.
const transportRulesJSON = `[
 {"Name": "Route Accounting", "Priority": 0, "State": "Enabled", "Mode": "Enforce",
  "SentToScope": "NotInOrganization", "RouteMessageOutboundConnector": "To gateway",
  "SenderAddressLocation": "Header", "RuleErrorAction": "Ignore", "HasClassification": false,
  "Conditions": ["Microsoft.Exchange.MessagingPolicies.Rules.Tasks.SentToScopePredicate"],
  "Actions": ["Microsoft.Exchange.MessagingPolicies.Rules.Tasks.RouteMessageOutboundConnectorAction"],
  "OrganizationId": "contoso.onmicrosoft.com - contoso"},
 {"Name": "Block invoices", "Priority": 1, "State": "Enabled", "Mode": "Enforce",
  "SubjectContainsWords": ["invoice"], "DeleteMessage": true,
  "Conditions": ["Microsoft.Exchange.MessagingPolicies.Rules.Tasks.SubjectContainsPredicate"],
  "OrganizationId": "contoso.onmicrosoft.com - contoso"},
 {"Name": "Drop auto-replies", "Priority": 2, "State": "Enabled", "Mode": "Enforce",
  "MessageTypeMatches": "OOF", "DeleteMessage": true,
  "Conditions": ["Microsoft.Exchange.MessagingPolicies.Rules.Tasks.MessageTypeMatchesPredicate"],
  "OrganizationId": "contoso.onmicrosoft.com - contoso"}
]`

// TestImportTransportRuleUnreadCondition: a rule with a condition the
// simulator does not read is imported disabled with a note, never with
// the condition dropped, which would make it apply to every message
// ("Mail flow rules (transport rules) in Exchange Online"); a rule whose
// parts are all read stays enabled.
func TestImportTransportRuleUnreadCondition(t *testing.T) {
	got, notes, err := exchange.ImportFS(fstest.MapFS{"Get-TransportRule.json": {Data: []byte(transportRulesJSON)}})
	require.NoError(t, err)
	var rules []topology.TransportRule
	for _, x := range got.Spec.Tenants {
		rules = append(rules, x.TransportRules...)
	}
	for _, o := range got.Spec.OnPremises {
		rules = append(rules, o.TransportRules...)
	}
	require.Len(t, rules, 3)
	state := map[string]topology.RuleState{}
	for _, r := range rules {
		state[r.Name] = r.State
		if r.Name == "Block invoices" {
			require.Equal(t, []string{"invoice"}, r.Conditions.SubjectContainsWords)
		}
	}
	require.Equal(t, topology.RuleEnabled, state["Route Accounting"])
	require.Equal(t, topology.RuleEnabled, state["Block invoices"])
	require.Equal(t, topology.RuleDisabled, state["Drop auto-replies"])
	found := false
	for _, n := range notes {
		if strings.Contains(n.Message, "rule imported disabled") && strings.Contains(n.Message, "MessageTypeMatches") {
			found = true
		}
	}
	require.True(t, found, "no note says why the rule is disabled: %v", notes)
}

// mailboxesJSON is Get-Mailbox | ConvertTo-Json from Exchange Online, as
// some tenants' exports are: without OrganizationId or
// DistinguishedName.
const mailboxesJSON = `[
 {"Name": "Megan", "RecipientTypeDetails": "UserMailbox", "PrimarySmtpAddress": "megan@contoso.com",
  "EmailAddresses": ["SMTP:megan@contoso.com", "smtp:megan@contoso.onmicrosoft.com"]},
 {"Name": "Ben", "RecipientTypeDetails": "UserMailbox", "PrimarySmtpAddress": "ben@contoso.com",
  "MailboxPlan": "ExchangeOnlineEnterprise-3f0c2b8d"}
]`

// TestImportExchangeOnlineMailboxWithoutOrganization: an Exchange Online
// mailbox that carries neither OrganizationId nor DistinguishedName is
// recognised by its *.onmicrosoft.com address or its MailboxPlan and
// placed in the tenant, not on-premises.
func TestImportExchangeOnlineMailboxWithoutOrganization(t *testing.T) {
	got, _, err := exchange.ImportFS(fstest.MapFS{"Get-Mailbox.json": {Data: []byte(mailboxesJSON)}})
	require.NoError(t, err)
	require.Empty(t, got.Spec.OnPremises)
	require.Len(t, got.Spec.Tenants, 1)
	var names []string
	for _, r := range got.Spec.Tenants[0].Recipients {
		names = append(names, r.Name)
	}
	require.ElementsMatch(t, []string{"Megan", "Ben"}, names)
}

// TestImportTenantWithoutName: exports that show a tenant but never its
// name get a default name and a note saying so, not an empty name that
// fails the build.
func TestImportTenantWithoutName(t *testing.T) {
	in := `[{"Name": "From Partner", "ConnectorType": "Partner", "SenderDomains": ["fabrikam.com"], "Identity": "From Partner"}]`
	got, notes, err := exchange.ImportFS(fstest.MapFS{"Get-InboundConnector.json": {Data: []byte(in)}})
	require.NoError(t, err)
	require.Len(t, got.Spec.Tenants, 1)
	require.Equal(t, "tenant", got.Spec.Tenants[0].Name)
	found := false
	for _, n := range notes {
		found = found || n.Path == "Tenants[0].Name" && strings.Contains(n.Message, `named "tenant"`)
	}
	require.True(t, found, "no note on the tenant's name: %v", notes)
}

// TestImportAssumesMX: exports carry no MX records (they live in DNS), so
// each of the tenant's accepted domains gets the tenant's EOP host, with a
// note, and Internet mail to a custom domain is delivered.
func TestImportAssumesMX(t *testing.T) {
	domains := `[{"Name": "contoso.com", "DomainName": "contoso.com", "DomainType": "Authoritative", "OrganizationId": "contoso.onmicrosoft.com - x"},
	 {"Name": "contoso.onmicrosoft.com", "DomainName": "contoso.onmicrosoft.com", "DomainType": "Authoritative", "OrganizationId": "contoso.onmicrosoft.com - x"}]`
	got, notes, err := exchange.ImportFS(fstest.MapFS{"Get-AcceptedDomain.json": {Data: []byte(domains)}, "Get-Mailbox.json": {Data: []byte(mailboxesJSON)}})
	require.NoError(t, err)
	require.Equal(t, []topology.MXRecord{{Domain: "contoso.com", NameExchange: "contoso-com.mail.protection.outlook.com"}}, got.Spec.MXRecords)
	found := false
	for _, n := range notes {
		found = found || strings.HasPrefix(n.Path, "MXRecords") && strings.Contains(n.Message, "assumed contoso-com.mail.protection.outlook.com")
	}
	require.True(t, found, "no note on the assumed MX: %v", notes)
	topo, err := topology.Build(got.Spec)
	require.NoError(t, err)
	res, err := route.Trace(topo, route.Message{From: "sam@fabrikam.example", To: []string{"megan@contoso.com"}})
	require.NoError(t, err)
	require.Equal(t, route.Delivered, res.Recipients[0].Disposition)
}

// TestImportConnectorSourceAdminUI: a connector made in the admin center
// exports ConnectorSource AdminUI, which imports without a note.
func TestImportConnectorSourceAdminUI(t *testing.T) {
	in := `[{"Name": "From Partner", "ConnectorType": "Partner", "ConnectorSource": "AdminUI", "SenderDomains": ["fabrikam.com"],
	  "OrganizationId": "contoso.onmicrosoft.com - x"}]`
	got, notes, err := exchange.ImportFS(fstest.MapFS{"Get-InboundConnector.json": {Data: []byte(in)}})
	require.NoError(t, err)
	require.Equal(t, connector.SourceAdminUI, got.Spec.Tenants[0].InboundConnectors[0].ConnectorSource)
	for _, n := range notes {
		require.NotContains(t, n.Path, "ConnectorSource")
	}
}

// TestImportFSSkipsWhatItCannotRead: a directory mixing supported and
// unsupported cmdlets' exports, a null export and a broken file imports
// what it can; each other file is skipped with a note.
func TestImportFSSkipsWhatItCannotRead(t *testing.T) {
	got, notes, err := exchange.ImportFS(fstest.MapFS{
		"Get-AcceptedDomain.json":        {Data: []byte(`[{"Name": "contoso.com", "DomainName": "contoso.com", "DomainType": "Authoritative"}]`)},
		"Get-MessageClassification.json": {Data: []byte(`[{"Name": "Confidential", "DisplayName": "Confidential", "Identity": "Confidential"}]`)},
		"Get-JournalRule.json":           {Data: []byte(`null`)},
		"broken.xml":                     {Data: []byte(`<Objs><Obj>`)},
	})
	require.NoError(t, err)
	require.Len(t, got.Spec.OnPremises, 1)
	var skipped []string
	for _, n := range notes {
		if strings.HasPrefix(n.Message, "skipped: ") {
			skipped = append(skipped, n.Path)
		}
	}
	require.Equal(t, []string{"Get-MessageClassification.json", "broken.xml"}, skipped)

	_, _, err = exchange.ImportFS(fstest.MapFS{"broken.xml": {Data: []byte(`<Objs><Obj>`)}})
	require.ErrorIs(t, err, scenario.ErrBadFile)
}

// TestImportTenantPolicies: Get-HostedContentFilterPolicy (the default
// policy's actions; a custom policy noted), Get-OrganizationConfig
// (RejectDirectSend) and Get-JournalRule import into the tenant.
func TestImportTenantPolicies(t *testing.T) {
	const org = `"OrganizationId": "contoso.onmicrosoft.com - x"`
	got, notes, err := exchange.ImportFS(fstest.MapFS{
		"Get-HostedContentFilterPolicy.json": {Data: []byte(`[
		  {"Name": "Default", "IsDefault": true, "SpamAction": "MoveToJmf", "HighConfidenceSpamAction": "Quarantine", ` + org + `},
		  {"Name": "Strict", "IsDefault": false, "SpamAction": "Quarantine", "HighConfidenceSpamAction": "Delete", ` + org + `}]`)},
		"Get-OrganizationConfig.json": {Data: []byte(`{"Name": "contoso.onmicrosoft.com", "RejectDirectSend": true, ` + org + `}`)},
		"Get-JournalRule.json":        {Data: []byte(`[{"Name": "Journal all", "JournalEmailAddress": "journal@archive.example", "Scope": "Global", "Enabled": true, ` + org + `}]`)},
	})
	require.NoError(t, err)
	require.Len(t, got.Spec.Tenants, 1)
	x := got.Spec.Tenants[0]
	require.Equal(t, topology.ContentFilterPolicy{SpamAction: "MoveToJmf", HighConfidenceSpamAction: "Quarantine"}, x.HostedContentFilterPolicy)
	require.True(t, x.RejectDirectSend)
	require.Equal(t, []topology.JournalRule{{Name: "Journal all", JournalEmailAddress: "journal@archive.example", Scope: "Global", Enabled: connector.True}}, x.JournalRules)
	custom := false
	for _, n := range notes {
		custom = custom || strings.Contains(n.Path, `"Strict"`) && strings.Contains(n.Message, "custom anti-spam policies are not modelled")
	}
	require.True(t, custom, "no note on the custom policy: %v", notes)
}

// TestImportJSONDuplicateKeys: a ConvertTo-Json export whose object has a
// key twice, or two keys differing only in case, is refused as
// PowerShell's ConvertFrom-Json refuses it: which value holds is unknown.
// In a directory the file is skipped with a note.
func TestImportJSONDuplicateKeys(t *testing.T) {
	var b strings.Builder
	for i := range 40 { // past the scan, into the map
		fmt.Fprintf(&b, `"P%d": %d, `, i, i)
	}
	many := b.String()
	for name, in := range map[string]string{
		"same":   `[{"Name": "contoso.com", "DomainName": "contoso.com", "DomainType": "Authoritative", "DomainType": "InternalRelay"}]`,
		"case":   `[{"Name": "contoso.com", "DomainName": "contoso.com", "domaintype": "Authoritative", "DomainType": "InternalRelay"}]`,
		"many":   `[{"Name": "contoso.com", "DomainName": "contoso.com", ` + many + `"p7": 1}]`,
		"nested": `[{"Name": "x", "AddressSpaces": [{"Domain": "a", "domain": "b"}], "SmartHosts": []}]`,
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := exchange.Import("Get-AcceptedDomain.json", []byte(in))
			require.ErrorContains(t, err, "appears twice")
			_, notes, err := exchange.ImportFS(fstest.MapFS{
				"Get-AcceptedDomain.json": {Data: []byte(`[{"Name": "fabrikam.com", "DomainName": "fabrikam.com", "DomainType": "Authoritative"}]`)},
				"bad.json":                {Data: []byte(in)},
			})
			require.NoError(t, err)
			skipped := false
			for _, n := range notes {
				skipped = skipped || n.Path == "bad.json" && strings.Contains(n.Message, "appears twice")
			}
			require.True(t, skipped, "notes: %v", notes)
		})
	}
	_, _, err := exchange.Import("Get-AcceptedDomain.json", []byte(`[{"Name": "contoso.com", "DomainName": "contoso.com", `+many+`"DomainType": "Authoritative"}]`))
	require.NoError(t, err)
}

// TestImportHybridWithTenant: a hybrid configuration exported with a
// tenant whose name no record carries pairs the organization with that
// tenant under the name the import gives it.
func TestImportHybridWithTenant(t *testing.T) {
	got, problems, err := exchange.ImportFS(fstest.MapFS{
		"GetHybridConfiguration.xml": {Data: readExport(t, "GetHybridConfiguration.xml")},
		"Get-InboundConnector.json":  {Data: []byte(`[{"Name": "Inbound from Exchange Labs", "ConnectorType": "OnPremises", "SenderDomains": ["smtp:*;1"], "TlsSenderCertificateName": "mail.contoso.com"}]`)},
		"Get-AcceptedDomain.json":    {Data: []byte(`[{"Name": "contoso.com", "DomainName": "contoso.com", "DomainType": "Authoritative", "OrganizationId": "x"}]`)},
	})
	require.NoError(t, err)
	require.Len(t, got.Spec.Tenants, 1)
	require.Len(t, got.Spec.Hybrid, 1, "problems: %v", problems)
	require.Equal(t, got.Spec.Tenants[0].Name, got.Spec.Hybrid[0].Tenant)
	require.Equal(t, "Exchange-Labs", got.Spec.Hybrid[0].OnPremises)
}
