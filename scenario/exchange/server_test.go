package exchange_test

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/scenario/exchange"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// edgeDir holds hand-written exports of an organization, Contoso, with
// Mailbox servers in two Active Directory sites, Paris and London, and an
// Edge Transport server subscribed to Paris: Get-ExchangeServer and
// Get-AdSiteLink as Export-Clixml writes them (Windows PowerShell 5),
// Get-EdgeSubscription, Get-TransportConfig, Get-AcceptedDomain and
// Get-Mailbox as ConvertTo-Json writes them (PowerShell 7).
const edgeDir = "testdata/edge-two-sites"

// readEdgeExport reads a file of edgeDir, beside exportsDir.
func readEdgeExport(t testing.TB, name string) []byte {
	return readExport(t, filepath.Join("..", filepath.Base(edgeDir), name))
}

// contosoServerDN is the DistinguishedName of a server of Contoso.
func contosoServerDN(name string) string {
	return "CN=" + name + ",CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com"
}

var contosoServers = []topology.ServerSpec{
	{Name: "EDGE01", Role: topology.Edge, Fqdn: "edge01.contoso.com"},
	{Name: "LON01", Role: topology.Mailbox, Site: "London", Fqdn: "lon01.contoso.com"},
	{Name: "PAR01", Role: topology.Mailbox, Site: "Paris", Fqdn: "par01.contoso.com"},
}

// exchangeServerJSON is Get-ExchangeServer as ConvertTo-Json writes it:
// enums by name or number, the site as a string or an object, an
// Exchange 2013 Client Access server, a Unified Messaging server that
// has no transport role, a role that does not exist and a null one.
var exchangeServerJSON = `[
  {
    "Name": "EX2013",
    "Fqdn": "ex2013.contoso.com",
    "ServerRole": "Mailbox, ClientAccess",
    "Site": "contoso.com/Configuration/Sites/London",
    "AdminDisplayVersion": "Version 15.0 (Build 1497.2)",
    "Edition": "Enterprise",
    "IsMailboxServer": true,
    "IsClientAccessServer": true,
    "IsEdgeServer": false,
    "NetworkAddress": ["ncacn_ip_tcp:ex2013.contoso.com", "netbios:EX2013"],
    "DistinguishedName": "` + contosoServerDN("EX2013") + `"
  },
  {
    "Name": "CAS01",
    "Fqdn": "cas01.contoso.com",
    "ServerRole": 4,
    "Site": {"Rdn": "CN=Paris", "Parent": "contoso.com/Configuration/Sites", "DistinguishedName": "CN=Paris,CN=Sites,CN=Configuration,DC=contoso,DC=com", "Name": "Paris"},
    "AdminDisplayVersion": {"Major": 15, "Minor": 0, "Build": 1497, "Revision": 2},
    "DistinguishedName": "` + contosoServerDN("CAS01") + `"
  },
  {
    "Name": "UM01",
    "Fqdn": "um01.contoso.com",
    "ServerRole": 16,
    "Site": "contoso.com/Configuration/Sites/Paris",
    "DistinguishedName": "` + contosoServerDN("UM01") + `"
  },
  {
    "Name": "EX2010",
    "Fqdn": "ex2010.contoso.com",
    "ServerRole": "HubTransport",
    "Site": "CN=Paris,CN=Sites,CN=Configuration,DC=contoso,DC=com",
    "MonitoringGroup": "Lab",
    "DistinguishedName": "` + contosoServerDN("EX2010") + `"
  },
  {"Name": "GW01", "Fqdn": "gw01.contoso.com", "ServerRole": "Mailbox, Gateway", "DistinguishedName": "` + contosoServerDN("GW01") + `"},
  {"Name": "EX04", "Fqdn": "ex04.contoso.com", "ServerRole": null, "DistinguishedName": "` + contosoServerDN("EX04") + `"}
]`

// TestImportExchangeServer: Get-ExchangeServer declares each server's
// Fqdn, role and site (docs/behaviour.md#l70-servers-from-get-exchangeserver),
// in both formats.
func TestImportExchangeServer(t *testing.T) {
	got, problems, err := exchange.Import("GetExchangeServer.xml", readEdgeExport(t, "GetExchangeServer.xml"))
	require.NoError(t, err)
	want := scenario.File{Spec: topology.Spec{OnPremises: []topology.OnPremisesSpec{{Name: "Contoso", Servers: contosoServers}}}}
	if diff := cmp.Diff(want, *got, testopts.Cmp); diff != "" {
		t.Errorf("CLIXML (-want +got):\n%s", diff)
	}
	wantProblems := []scenario.Problem{
		{Path: `GetExchangeServer.xml[2]("EDGE01").Site`, Message: `not imported: an Edge Transport server is not domain-joined; Get-EdgeSubscription names the site it is subscribed to (value "Paris")`},
	}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("CLIXML problems (-want +got):\n%s", diff)
	}

	got, problems, err = exchange.Import("Get-ExchangeServer.json", []byte(exchangeServerJSON))
	require.NoError(t, err)
	want = scenario.File{Spec: topology.Spec{OnPremises: []topology.OnPremisesSpec{{Name: "Contoso", Servers: []topology.ServerSpec{
		{Name: "CAS01", Role: topology.ClientAccess, Site: "Paris", Fqdn: "cas01.contoso.com"},
		{Name: "EX2010", Role: topology.Mailbox, Site: "Paris", Fqdn: "ex2010.contoso.com"},
		{Name: "EX2013", Role: topology.Mailbox, Site: "London", Fqdn: "ex2013.contoso.com"},
	}}}}}
	if diff := cmp.Diff(want, *got, testopts.Cmp); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	wantProblems = []scenario.Problem{
		{Path: `Get-ExchangeServer.json[2]("UM01").ServerRole`, Message: `not imported: the server has no transport role (Mailbox, HubTransport, ClientAccess or Edge) (value 16)`},
		{Path: `Get-ExchangeServer.json[4]("GW01").ServerRole`, Message: `not imported: "Mailbox, Gateway" is not a combination of server roles`},
		{Path: `Get-ExchangeServer.json[5]("EX04").ServerRole`, Message: `not imported: the server's ServerRole is not in the export`},
	}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("JSON problems (-want +got):\n%s", diff)
	}
}

// TestImportExchangeServerMerge: a server Get-ExchangeServer declares and
// other exports name is one server; the declaration's Fqdn, Role and Site
// win, in either file order, and the host names others add stay
// (docs/behaviour.md#l70-servers-from-get-exchangeserver).
func TestImportExchangeServerMerge(t *testing.T) {
	declared := `{"Name": "WIN-CTD3L0RGEN4", "Fqdn": "win-ctd3l0rgen4.exlab.dom", "ServerRole": "Mailbox", "Site": "exlab.dom/Configuration/Sites/Lab",
	  "DistinguishedName": "CN=WIN-CTD3L0RGEN4,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=First Organization,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=exlab,DC=dom"}`
	want := topology.ServerSpec{Name: "WIN-CTD3L0RGEN4", Role: topology.Mailbox, Site: "Lab", Fqdn: "win-ctd3l0rgen4.exlab.dom"}
	// The Receive connectors (read first, by name) give the Fqdn
	// "WIN-CTD3L0RGEN4.exlab.dom"; the declaration wins.
	for _, name := range []string{"AGetExchangeServer.json", "ZGetExchangeServer.json"} {
		fsys := fstest.MapFS{
			"GetReceiveConnector.xml": {Data: readExport(t, "GetReceiveConnector.xml")},
			"GetSendConnector.xml":    {Data: readExport(t, "GetSendConnector.xml")},
			name:                      {Data: []byte(declared)},
		}
		got, _, err := exchange.ImportFS(fsys)
		require.NoError(t, err)
		var first topology.OnPremisesSpec
		for _, o := range got.Spec.OnPremises {
			if o.Name == "First-Organization" {
				first = o
			}
		}
		if diff := cmp.Diff([]topology.ServerSpec{want}, first.Servers, testopts.Cmp); diff != "" {
			t.Errorf("%s: servers (-want +got):\n%s", name, diff)
		}
	}

	// A hybrid configuration's EdgeTransportServers are Edge Transport
	// servers, unless Get-ExchangeServer says otherwise (Build then names
	// the mistake).
	hybrid, _ := importFiles(t, "GetExchangeServer.json", declared,
		"GetHybridConfiguration.json", `{"Name": "Hybrid Configuration", "OnPremisesSmartHost": "mail.exlab.dom", "EdgeTransportServers": ["WIN-CTD3L0RGEN4", "EDGE9"],
		  "DistinguishedName": "CN=Hybrid Configuration,CN=Hybrid Configuration,CN=First Organization,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=exlab,DC=dom"}`)
	wantServers := []topology.ServerSpec{{Name: "EDGE9", Role: topology.Edge}, want}
	if diff := cmp.Diff(wantServers, hybrid.Spec.OnPremises[0].Servers, testopts.Cmp); diff != "" {
		t.Errorf("hybrid Edge servers (-want +got):\n%s", diff)
	}

	// Declared twice: the first declaration is kept.
	got, problems, err := exchange.Import("GetExchangeServer.json", []byte(`[`+declared+`, {"Name": "win-ctd3l0rgen4", "Fqdn": "other.exlab.dom", "ServerRole": "Edge"}]`))
	require.NoError(t, err)
	if diff := cmp.Diff([]topology.ServerSpec{want}, got.Spec.OnPremises[0].Servers, testopts.Cmp); diff != "" {
		t.Errorf("declared twice (-want +got):\n%s", diff)
	}
	wantProblems := []scenario.Problem{
		{Path: `GetExchangeServer.json[1]("win-ctd3l0rgen4")`, Message: "not imported: the server is declared twice; the first declaration is kept"},
		{Path: `OnPremises["First-Organization"]`, Message: `organization "First Organization" is named "First-Organization": topology names allow letters, digits, '-', '_' and '.'`},
	}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("declared twice: problems (-want +got):\n%s", diff)
	}
}

// Get-EdgeSubscription as Export-Clixml writes it, and Get-AdSiteLink as
// ConvertTo-Json writes it.
const (
	edgeSubscriptionXML = `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0">
      <T>Microsoft.Exchange.Management.SystemConfigurationTasks.EdgeSubscription</T>
      <T>Microsoft.Exchange.Data.Directory.ADObject</T>
      <T>Microsoft.Exchange.Data.Directory.ADRawEntry</T>
      <T>Microsoft.Exchange.Data.ConfigurableObject</T>
      <T>System.Object</T>
    </TN>
    <ToString>EDGE02</ToString>
    <Props>
      <S N="Name">EDGE02</S>
      <Obj N="Site" RefId="1">
        <TN RefId="1">
          <T>Microsoft.Exchange.Data.Directory.ADObjectId</T>
          <T>Microsoft.Exchange.Data.ObjectId</T>
          <T>System.Object</T>
        </TN>
        <ToString>contoso.com/Configuration/Sites/London</ToString>
        <Props>
          <S N="Rdn">CN=London</S>
          <S N="DistinguishedName">CN=London,CN=Sites,CN=Configuration,DC=contoso,DC=com</S>
          <S N="Name">London</S>
        </Props>
      </Obj>
      <S N="Domain">contoso.com</S>
      <S N="DistinguishedName">CN=EDGE02,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com</S>
      <B N="IsValid">true</B>
    </Props>
  </Obj>
  <Obj RefId="2">
    <TNRef RefId="0" />
    <ToString></ToString>
    <Props>
      <Nil N="Name" />
      <S N="Site">contoso.com/Configuration/Sites/Paris</S>
    </Props>
  </Obj>
</Objs>`
	adSiteLinkJSON = `[
  {"Name": "DEFAULTIPSITELINK", "Cost": 100, "ADCost": 100, "ExchangeCost": null, "MaxMessageSize": "Unlimited",
   "Sites": ["contoso.com/Configuration/Sites/Paris", "contoso.com/Configuration/Sites/Default-First-Site-Name"],
   "DistinguishedName": "CN=DEFAULTIPSITELINK,CN=IP,CN=Inter-Site Transports,CN=Sites,CN=Configuration,DC=contoso,DC=com"},
  {"Name": "Paris-London", "Cost": 5, "ExchangeCost": 5, "MaxMessageSize": "10 MB (10,485,760 bytes)",
   "Sites": {"value": [{"Name": "Paris", "DistinguishedName": "CN=Paris,CN=Sites,CN=Configuration,DC=contoso,DC=com"}, {"Name": "London"}], "Count": 2}},
  {"Name": "Broken", "ADCost": "high", "Sites": ["Paris", "London"]}
]`
)

// importFiles imports the files given as name, content pairs.
func importFiles(t *testing.T, nameContent ...string) (*scenario.File, []scenario.Problem) {
	t.Helper()
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(nameContent); i += 2 {
		fsys[nameContent[i]] = &fstest.MapFile{Data: []byte(nameContent[i+1])}
	}
	got, problems, err := exchange.ImportFS(fsys)
	require.NoError(t, err)
	return got, problems
}

// TestImportEdgeSubscriptionsAndSiteLinks: Get-EdgeSubscription gives the
// organization's EdgeSubscriptions, and makes each subscribed server an
// Edge Transport server; Get-AdSiteLink its ADSiteLinks, ADCost being the
// link's Cost ("Get-AdSiteLink"; "Set-AdSiteLink").
func TestImportEdgeSubscriptionsAndSiteLinks(t *testing.T) {
	got, problems := importFiles(t, "GetEdgeSubscription.xml", edgeSubscriptionXML, "GetAdSiteLink.json", adSiteLinkJSON)
	want := scenario.File{Spec: topology.Spec{OnPremises: []topology.OnPremisesSpec{{
		Name:    "Contoso",
		Servers: []topology.ServerSpec{{Name: "EDGE02", Role: topology.Edge, Fqdn: "edge02.contoso.com"}},
		ADSiteLinks: []topology.ADSiteLink{
			{Name: "DEFAULTIPSITELINK", Sites: []string{"Paris", "Default-First-Site-Name"}, Cost: 100},
			{Name: "Paris-London", Sites: []string{"Paris", "London"}, Cost: 5, ExchangeCost: 5},
			{Name: "Broken", Sites: []string{"Paris", "London"}},
		},
		EdgeSubscriptions: []topology.EdgeSubscription{{Name: "EDGE02", Site: "London"}},
	}}}}
	if diff := cmp.Diff(want, *got, testopts.Cmp); diff != "" {
		t.Errorf("ImportFS (-want +got):\n%s", diff)
	}
	wantProblems := []scenario.Problem{
		{Path: `GetAdSiteLink.json[1]("Paris-London").MaxMessageSize`, Message: `not imported: not modelled by the simulator (value "10 MB (10,485,760 bytes)")`},
		{Path: `GetAdSiteLink.json[2]("Broken").ADCost`, Message: `not imported: "high" is not a cost`},
		{Path: `GetEdgeSubscription.xml[1]("").Name`, Message: `not imported: an Edge subscription without a server name`},
		{Path: `OnPremises["Contoso"].Servers["EDGE02"].Fqdn`, Message: `not in the export: guessed "edge02.contoso.com" from the Active Directory domain`},
	}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("ImportFS problems (-want +got):\n%s", diff)
	}
}

// transportConfigXML is Exchange Online's Get-TransportConfig as
// Export-Clixml writes it.
const transportConfigXML = `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0">
      <T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportConfigContainer</T>
      <T>Deserialized.Microsoft.Exchange.Data.Directory.ADConfigurationObject</T>
      <T>Deserialized.System.Object</T>
    </TN>
    <ToString>Transport Settings</ToString>
    <Props>
      <B N="AddressBookPolicyRoutingEnabled">false</B>
      <B N="ClearCategories">true</B>
      <S N="DSNConversionMode">UseExchangeDSNs</S>
      <S N="ExternalPostmasterAddress">postmaster@contoso.com</S>
      <Obj N="GenerateCopyOfDSNFor" RefId="1">
        <TN RefId="1">
          <T>Deserialized.Microsoft.Exchange.Data.MultiValuedProperty` + "`" + `1[[Microsoft.Exchange.Data.Directory.EnhancedStatusCode]]</T>
          <T>Deserialized.System.Object</T>
        </TN>
        <LST>
          <S>5.4.8</S>
          <S>5.4.6</S>
        </LST>
      </Obj>
      <S N="JournalingReportNdrTo">journalndr@contoso.com</S>
      <S N="MaxReceiveSize">36 MB (37,748,736 bytes)</S>
      <S N="MaxRecipientEnvelopeLimit">Unlimited</S>
      <S N="MaxSendSize">35 MB (36,700,160 bytes)</S>
      <B N="OpenDomainRoutingEnabled">false</B>
      <B N="ReplyAllStormProtectionEnabled">true</B>
      <I32 N="ReplyAllStormDetectionMinimumRecipients">2500</I32>
      <B N="SmtpClientAuthenticationDisabled">true</B>
      <S N="MessageExpiration">1.00:00:00</S>
      <B N="Rfc2231EncodingEnabled">false</B>
      <S N="Identity">contoso.onmicrosoft.com\Transport Settings</S>
      <S N="Name">Transport Settings</S>
      <S N="OrganizationId">EURPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com - EURPR01A001.prod.outlook.com/ConfigurationUnits/contoso.onmicrosoft.com/Configuration</S>
      <S N="HygieneSuite">Premium</S>
      <B N="Frobnicate">true</B>
    </Props>
  </Obj>
</Objs>`

// TestImportTransportConfig: the topology holds none of
// Get-TransportConfig's settings; those that change routing are reported
// as not modelled, the others skipped, in both formats.
func TestImportTransportConfig(t *testing.T) {
	got, problems, err := exchange.Import("TransportConfig.xml", []byte(transportConfigXML))
	require.NoError(t, err)
	if diff := cmp.Diff(scenario.File{}, *got, testopts.Cmp); diff != "" {
		t.Errorf("Exchange Online (-want +got):\n%s", diff)
	}
	p := func(prop, value string) scenario.Problem {
		return scenario.Problem{Path: `TransportConfig.xml[0]("Transport Settings").` + prop, Message: "not imported: not modelled by the simulator (value " + value + ")"}
	}
	wantProblems := []scenario.Problem{
		p("ExternalPostmasterAddress", `"postmaster@contoso.com"`),
		p("GenerateCopyOfDSNFor", `["5.4.8", "5.4.6"]`),
		p("JournalingReportNdrTo", `"journalndr@contoso.com"`),
		p("MaxReceiveSize", `"36 MB (37,748,736 bytes)"`),
		p("MaxRecipientEnvelopeLimit", `"Unlimited"`),
		p("MaxSendSize", `"35 MB (36,700,160 bytes)"`),
		p("ReplyAllStormProtectionEnabled", "true"),
		p("ReplyAllStormDetectionMinimumRecipients", "2500"),
		p("SmtpClientAuthenticationDisabled", "true"),
		p("MessageExpiration", `"1.00:00:00"`),
		{Path: `TransportConfig.xml[0]("Transport Settings").Frobnicate`, Message: "not imported: unknown property (value true)"},
	}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("Exchange Online problems (-want +got):\n%s", diff)
	}

	_, problems, err = exchange.Import("GetTransportConfig.json", readEdgeExport(t, "GetTransportConfig.json"))
	require.NoError(t, err)
	q := func(prop, value string) scenario.Problem {
		return scenario.Problem{Path: `GetTransportConfig.json[0]("Transport Settings").` + prop, Message: "not imported: not modelled by the simulator (value " + value + ")"}
	}
	wantProblems = []scenario.Problem{
		q("JournalingReportNdrTo", `"<>"`),
		q("MaxReceiveSize", `"10 MB (10,485,760 bytes)"`),
		q("MaxRecipientEnvelopeLimit", `"500"`),
		q("MaxSendSize", `"10 MB (10,485,760 bytes)"`),
		q("VoicemailJournalingEnabled", "true"),
	}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("on-premises problems (-want +got):\n%s", diff)
	}
}

// TestImportFSEdgeTwoSites imports an organization with an Edge Transport
// server and two sites, builds it and traces Internet mail out from
// London: "Edge Subscriptions" says the subscription creates "EdgeSync -
// Paris to Internet", sourced on the Edge, through which the Mailbox
// servers send Internet mail; from London the connector is reached over
// the Paris-London site link, whose ExchangeCost 10 replaces its ADCost
// 100 ("Set-AdSiteLink"), so the route costs 100 + 10; the Edge then
// sends by DNS to the Internet.
func TestImportFSEdgeTwoSites(t *testing.T) {
	got, problems, err := exchange.ImportFS(os.DirFS(edgeDir))
	require.NoError(t, err)
	want := []topology.OnPremisesSpec{{
		Name:            "Contoso",
		AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com", DomainType: topology.Authoritative}},
		Servers:         contosoServers,
		Recipients: []topology.Recipient{
			{Name: "Julie", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "julie@contoso.com", Server: "par01"},
			{Name: "Ben", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "ben@contoso.com", Server: "lon01"},
		},
		ADSiteLinks:       []topology.ADSiteLink{{Name: "Paris-London", Sites: []string{"Paris", "London"}, Cost: 100, ExchangeCost: 10}},
		EdgeSubscriptions: []topology.EdgeSubscription{{Name: "EDGE01", Site: "Paris"}},
	}}
	if diff := cmp.Diff(want, got.Spec.OnPremises, testopts.Cmp); diff != "" {
		t.Errorf("ImportFS (-want +got):\n%s", diff)
	}
	// One note for the Edge's Site and five for the transport settings
	// (TestImportExchangeServer and TestImportTransportConfig list them).
	if len(problems) != 1+5 {
		t.Errorf("ImportFS gave %d problems:\n%v", len(problems), problems)
	}

	topo, err := topology.Build(got.Spec)
	require.NoError(t, err)
	res, err := route.Trace(topo, route.Message{From: "ben@contoso.com", To: []string{"erin@cpandl.com"}})
	require.NoError(t, err)
	erin := res.Recipients[0]
	require.Equal(t, route.Relayed, erin.Disposition)
	var path []string
	for _, h := range erin.Hops {
		path = append(path, h.Node.String())
	}
	require.Equal(t, []string{"onprem:Contoso/LON01", "onprem:Contoso/EDGE01", "internet"}, path)
	require.Equal(t, "EdgeSync - Paris to Internet", erin.Hops[0].Connector)
	require.Equal(t, &route.SendRoute{Site: "Paris", SiteCost: 10, Cost: 110}, erin.Hops[0].SendRoute)
	require.Equal(t, "EdgeSync - Paris to Internet", erin.Hops[1].Connector)

	// Inbound, with contoso.com's MX on the Edge (MX records are not in
	// the exports): the Edge relays to the subscribed site's Mailbox
	// servers by "EdgeSync - Inbound to Paris", the first by name, PAR01,
	// which relays Ben's copy to his server in London.
	got.Spec.MXRecords = []topology.MXRecord{{Domain: "contoso.com", NameExchange: "edge01.contoso.com"}}
	topo, err = topology.Build(got.Spec)
	require.NoError(t, err)
	res, err = route.Trace(topo, route.Message{From: "erin@cpandl.com", To: []string{"julie@contoso.com", "ben@contoso.com"}})
	require.NoError(t, err)
	wantPaths := [][]string{
		{"internet", "onprem:Contoso/EDGE01", "onprem:Contoso/PAR01"},
		{"internet", "onprem:Contoso/EDGE01", "onprem:Contoso/PAR01", "onprem:Contoso/LON01"},
	}
	for i, r := range res.Recipients {
		require.Equal(t, route.Delivered, r.Disposition, r.Address)
		path = path[:0]
		for _, h := range r.Hops {
			path = append(path, h.Node.String())
		}
		require.Equal(t, wantPaths[i], path, r.Address)
		require.Equal(t, "EdgeSync - Inbound to Paris", r.Hops[1].Connector)
	}
}
