package exchange_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/scenario/exchange"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// notesAbout returns the messages of the notes whose path is path.
func notesAbout(notes []scenario.Problem, path string) []string {
	var out []string
	for _, n := range notes {
		if n.Path == path {
			out = append(out, n.Message)
		}
	}
	return out
}

// TestImportInformationalCmdlets: Get-OrganizationRelationship and
// Get-IntraOrganizationConnector carry free/busy and OAuth settings, not
// mail routing ("New-OrganizationRelationship",
// "New-IntraOrganizationConnector"): their files are recognised, by file
// name, CLIXML type or shape, import nothing, and get one note each,
// however many objects they hold; their properties are not noted one by
// one.
func TestImportInformationalCmdlets(t *testing.T) {
	const relationships = `[
	  {"Name": "O365 to On-premises - 1", "DomainNames": ["contoso.com"], "FreeBusyAccessEnabled": true, "FreeBusyAccessLevel": "LimitedDetails",
	   "TargetApplicationUri": "FYDIBOHF25SPDLT.contoso.com", "TargetAutodiscoverEpr": "https://autodiscover.contoso.com/autodiscover/autodiscover.svc/WSSecurity",
	   "MailboxMoveEnabled": false, "Enabled": true, "OrganizationId": "contoso.onmicrosoft.com - x"},
	  {"Name": "Fabrikam", "DomainNames": ["fabrikam.com"], "FreeBusyAccessEnabled": true, "TargetApplicationUri": "fabrikam.com", "Enabled": true}]`
	const intraOrg = `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.IntraOrganizationConnector</T><T>Deserialized.System.Object</T></TN>
    <Props>
      <S N="Name">HybridIOC - 1</S>
      <Obj N="TargetAddressDomains" RefId="1"><TN RefId="1"><T>System.Collections.ArrayList</T></TN><LST><S>contoso.mail.onmicrosoft.com</S></LST></Obj>
      <S N="DiscoveryEndpoint">https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc</S>
      <B N="Enabled">true</B>
    </Props>
  </Obj>
</Objs>`
	for _, tt := range []struct {
		name, file, data, want string
	}{
		{"relationships by file name", "Get-OrganizationRelationship.json", relationships, "organization relationships share calendar free/busy information"},
		{"relationships by shape", "export1.json", relationships, "organization relationships share calendar free/busy information"},
		{"connector by type", "export2.xml", intraOrg, "the Intra-Organization connector connects features and services"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, notes, err := exchange.Import(tt.file, []byte(tt.data))
			require.NoError(t, err)
			require.Empty(t, got.Spec.Tenants)
			require.Empty(t, got.Spec.OnPremises)
			require.Len(t, notes, 1, "want one note for the file: %v", notes)
			require.Equal(t, tt.file, notes[0].Path)
			require.True(t, strings.HasPrefix(notes[0].Message, "not imported: "+tt.want), notes[0].Message)
			require.Contains(t, notes[0].Message, "not affect mail flow")
		})
	}

	// Beside other exports, in a directory: one note per file, nothing
	// skipped.
	got, notes, err := exchange.ImportFS(fstest.MapFS{
		"Get-AcceptedDomain.json":            {Data: []byte(`[{"Name": "contoso.com", "DomainName": "contoso.com", "DomainType": "Authoritative"}]`)},
		"Get-OrganizationRelationship.json":  {Data: []byte(relationships)},
		"Get-IntraOrganizationConnector.xml": {Data: []byte(intraOrg)},
	})
	require.NoError(t, err)
	require.Len(t, got.Spec.OnPremises, 1)
	require.Len(t, notesAbout(notes, "Get-OrganizationRelationship.json"), 1)
	require.Len(t, notesAbout(notes, "Get-IntraOrganizationConnector.xml"), 1)
	for _, n := range notes {
		require.NotContains(t, n.Message, "skipped", n.Path)
	}
}

// TestImportOptionsTenant: Options.Tenant names a tenant the exports do
// not name, without the note of a derived name; the hybrid configuration
// pairs with it. When the exports name the tenant, they win and the
// option is noted.
func TestImportOptionsTenant(t *testing.T) {
	in := `[{"Name": "From Partner", "ConnectorType": "Partner", "SenderDomains": ["fabrikam.com"], "Identity": "From Partner"}]`
	files := fstest.MapFS{"Get-InboundConnector.json": {Data: []byte(in)}}

	got, notes, err := exchange.Options{Tenant: "contoso"}.ImportFS(files)
	require.NoError(t, err)
	require.Len(t, got.Spec.Tenants, 1)
	require.Equal(t, "contoso", got.Spec.Tenants[0].Name)
	require.Empty(t, notesAbout(notes, "Tenants[0].Name"))

	// The zero Options is ImportFS: a derived name, noted.
	got, notes, err = exchange.Options{}.ImportFS(files)
	require.NoError(t, err)
	require.Equal(t, "tenant", got.Spec.Tenants[0].Name)
	require.Len(t, notesAbout(notes, "Tenants[0].Name"), 1)

	// Import takes it too.
	got, _, err = exchange.Options{Tenant: "contoso"}.Import("Get-InboundConnector.json", []byte(in))
	require.NoError(t, err)
	require.Equal(t, "contoso", got.Spec.Tenants[0].Name)

	named := `[{"Name": "From Partner", "ConnectorType": "Partner", "SenderDomains": ["fabrikam.com"], "OrganizationId": "fabrikamtest.onmicrosoft.com - x"}]`
	got, notes, err = exchange.Options{Tenant: "contoso"}.Import("Get-InboundConnector.json", []byte(named))
	require.NoError(t, err)
	require.Equal(t, "fabrikamtest", got.Spec.Tenants[0].Name)
	require.Equal(t, []string{`the export names the tenant "fabrikamtest": the tenant name "contoso" given is not used`}, notesAbout(notes, "Tenants"))
}

// readHandwritten reads an export of testdata/handwritten.
func readHandwritten(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "handwritten", name))
	require.NoError(t, err)
	return data
}

// TestImportRemoteDomains: Get-RemoteDomain, as Export-Clixml and
// ConvertTo-Json write it, imports Name, DomainName and
// AutoForwardEnabled into the organization its DistinguishedName or
// OrganizationId names ("Set-RemoteDomain"); the message format settings
// are skipped silently, the settings of messages Exchange generates are
// noted as not modelled
// (docs/behaviour.md#l80-remote-domains-and-automatic-forwarding).
func TestImportRemoteDomains(t *testing.T) {
	tests := []struct {
		file        string
		onPremises  bool
		want        []topology.RemoteDomain
		notModelled []string
	}{
		{"GetRemoteDomain.xml", true, []topology.RemoteDomain{
			{Name: "Default", DomainName: "*", AutoForwardEnabled: connector.False},
			{Name: "Fabrikam", DomainName: "*.fabrikam.com", AutoForwardEnabled: connector.True},
		}, []string{"AllowedOOFType", "DeliveryReportEnabled", "NDREnabled", "AutoReplyEnabled"}},
		{"ExoGetRemoteDomain.json", false, []topology.RemoteDomain{
			{Name: "Default", DomainName: "*", AutoForwardEnabled: connector.True},
			{Name: "Cpandl", DomainName: "cpandl.com", AutoForwardEnabled: connector.False},
			// AllowedOOFType 0 (External, the default) is a zero value:
			// no setting to lose, no note.
		}, []string{"AutoReplyEnabled", "DeliveryReportEnabled", "NDREnabled"}},
	}
	for _, tt := range tests {
		got, notes, err := exchange.Import(tt.file, readHandwritten(t, tt.file))
		require.NoError(t, err)
		var imported []topology.RemoteDomain
		if tt.onPremises {
			require.Empty(t, got.Spec.Tenants)
			require.Len(t, got.Spec.OnPremises, 1)
			require.Equal(t, "First-Organization", got.Spec.OnPremises[0].Name)
			imported = got.Spec.OnPremises[0].RemoteDomains
		} else {
			require.Empty(t, got.Spec.OnPremises)
			require.Len(t, got.Spec.Tenants, 1)
			require.Equal(t, "contoso", got.Spec.Tenants[0].Name)
			imported = got.Spec.Tenants[0].RemoteDomains
		}
		require.Equal(t, tt.want, imported, tt.file)
		// The message format settings (CharacterSet, ContentType,
		// TNEFEnabled, LineWrapSize…) are skipped without a note.
		var noted []string
		for _, n := range notes {
			if _, prop, ok := strings.Cut(n.Path, ")."); ok {
				require.True(t, strings.HasPrefix(n.Message, "not imported: not modelled by the simulator"), "%s: %s", n.Path, n.Message)
				noted = append(noted, prop)
			}
		}
		require.Equal(t, tt.notModelled, noted, tt.file)
	}

	// Recognised by its shape too, and the topology builds: the tenant's
	// Default remote domain allows automatic forwarding, cpandl.com's
	// does not.
	got, _, err := exchange.Import("export.json", readHandwritten(t, "ExoGetRemoteDomain.json"))
	require.NoError(t, err)
	topo, err := topology.Build(got.Spec)
	require.NoError(t, err)
	x, _ := topo.Tenant("contoso")
	rd, ok := x.RemoteDomain("mail.cpandl.com")
	require.True(t, ok)
	require.Equal(t, "Default", rd.Name)
	rd, _ = x.RemoteDomain("cpandl.com")
	require.Equal(t, connector.False, rd.AutoForwardEnabled)
}

// TestImportMXRecords: the MX records of a Resolve-DnsName export (as
// Export-Clixml and ConvertTo-Json write them: Name, NameExchange,
// Preference, Type MX or 15) replace the assumed EOP MX of the domains
// they cover; other records (the SOA of the Authority section) are
// skipped. A host no exported organization answers to becomes an
// Internet mail system, with a note; the tenant's EOP host does not.
func TestImportMXRecords(t *testing.T) {
	domains := `[{"Name": "contoso.com", "DomainName": "contoso.com", "DomainType": "Authoritative", "OrganizationId": "contoso.onmicrosoft.com - x"},
	 {"Name": "fabrikam.com", "DomainName": "fabrikam.com", "DomainType": "Authoritative", "OrganizationId": "contoso.onmicrosoft.com - x"}]`
	for _, dns := range []string{"ResolveDnsNameMX.xml", "ResolveDnsNameMX.json"} {
		t.Run(dns, func(t *testing.T) {
			got, notes, err := exchange.ImportFS(fstest.MapFS{
				"Get-AcceptedDomain.json": {Data: []byte(domains)},
				"Get-Mailbox.json":        {Data: []byte(mailboxesJSON)},
				dns:                       {Data: readHandwritten(t, dns)},
			})
			require.NoError(t, err)
			require.Equal(t, []topology.MXRecord{
				{Domain: "contoso.com", Preference: 0, NameExchange: "contoso-com.mail.protection.outlook.com"},
				{Domain: "contoso.com", Preference: 20, NameExchange: "backup-mx.isp.example"},
				// fabrikam.com is in no DNS export: assumed, with a note.
				{Domain: "fabrikam.com", NameExchange: "fabrikam-com.mail.protection.outlook.com"},
			}, got.Spec.MXRecords)
			require.Equal(t, []topology.ExternalSpec{
				{Name: "backup-mx.isp.example", Domains: []string{"contoso.com"}, Hosts: []string{"backup-mx.isp.example"}},
			}, got.Spec.External)
			require.Empty(t, notesAbout(notes, `MXRecords["contoso.com"]`))
			require.Len(t, notesAbout(notes, `MXRecords["fabrikam.com"]`), 1)
			require.Equal(t, []string{"the MX host backup-mx.isp.example of contoso.com is in no exported organization: imported as an Internet mail system; " +
				"if it is a server of an exported organization, add the name to that server's Hosts in the topology file"},
				notesAbout(notes, `External["backup-mx.isp.example"]`))
			for _, n := range notes {
				require.False(t, strings.HasPrefix(n.Path, dns), "a note on the DNS records: %s: %s", n.Path, n.Message)
			}

			// The lowest preference wins: Internet mail to Megan goes to EOP.
			topo, err := topology.Build(got.Spec)
			require.NoError(t, err)
			res, err := route.Trace(topo, route.Message{From: "sam@fabrikam.example", To: []string{"megan@contoso.com"}})
			require.NoError(t, err)
			require.Equal(t, route.Delivered, res.Recipients[0].Disposition)
		})
	}
}

// TestImportMXToOnPremises: an MX record naming an exported server's
// Fqdn (or a host name the hybrid configuration gives it) points to that
// server: no external system is made, and Internet mail enters
// on-premises.
func TestImportMXToOnPremises(t *testing.T) {
	mx := `[{"Name": "first.example", "Type": 15, "Section": 1, "TTL": 3600, "DataLength": 16,
	  "NameExchange": "WIN-CTD3L0RGEN4.exlab.dom.", "Preference": 10}]`
	got, notes, err := exchange.ImportFS(fstest.MapFS{
		"GetReceiveConnector.xml": {Data: readExport(t, "GetReceiveConnector.xml")},
		"Resolve-DnsName.json":    {Data: []byte(mx)},
	})
	require.NoError(t, err)
	require.Equal(t, []topology.MXRecord{{Domain: "first.example", Preference: 10, NameExchange: "win-ctd3l0rgen4.exlab.dom"}}, got.Spec.MXRecords)
	require.Empty(t, got.Spec.External)
	for _, n := range notes {
		require.NotContains(t, n.Path, "Resolve-DnsName.json")
	}
}
