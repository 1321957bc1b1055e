package exchange_test

import (
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/scenario/exchange"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// clixmlObjs wraps CLIXML objects in the document Export-Clixml writes.
func clixmlObjs(objs ...string) []byte {
	return []byte(`<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">` + strings.Join(objs, "") + `</Objs>`)
}

// clixmlObj is one exported object of the type typ, as Exchange Online
// PowerShell's objects come back deserialized, with its properties.
func clixmlObj(typ, name string, props ...string) string {
	return `<Obj><TN><T>Deserialized.Microsoft.Exchange.Data.Directory.` + typ + `</T><T>Deserialized.System.Object</T></TN>` +
		`<ToString>` + name + `</ToString><Props><S N="Name">` + name + `</S>` +
		`<S N="OrganizationId">EURPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com - EURPR01A001.prod.outlook.com/ConfigurationUnits/x/Configuration</S>` +
		strings.Join(props, "") + `</Props></Obj>`
}

// The tenant policies as Windows PowerShell 5's Export-Clixml writes
// them: Get-HostedContentFilterPolicy (the default policy's actions, read
// as enums; its other documented properties skipped or noted, never
// "unknown"), Get-OrganizationConfig (RejectDirectSend) and
// Get-JournalRule ("Set-HostedContentFilterPolicy";
// "Set-OrganizationConfig"; "New-JournalRule").
func TestImportTenantPoliciesCLIXML(t *testing.T) {
	enum := func(name, typ, value string, n int) string {
		return `<Obj N="` + name + `"><TN><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.` + typ + `</T>` +
			`<T>Deserialized.System.Enum</T></TN><ToString>` + value + `</ToString><I32>` + strconv.Itoa(n) + `</I32></Obj>`
	}
	got, notes, err := exchange.ImportFS(fstest.MapFS{
		"Get-HostedContentFilterPolicy.xml": {Data: clixmlObjs(clixmlObj("SystemConfiguration.HostedContentFilterPolicy", "Default",
			`<B N="IsDefault">true</B>`,
			enum("SpamAction", "SpamFilteringAction", "Quarantine", 2),
			enum("HighConfidenceSpamAction", "SpamFilteringAction", "Delete", 3),
			`<I32 N="BulkThreshold">6</I32>`, `<I32 N="QuarantineRetentionPeriod">30</I32>`,
			`<S N="SpamQuarantineTag">DefaultFullAccessPolicy</S>`, `<B N="EnableEndUserSpamNotifications">false</B>`))},
		"Get-OrganizationConfig.xml": {Data: clixmlObjs(clixmlObj("Management.OrganizationConfig", "contoso.onmicrosoft.com",
			`<B N="RejectDirectSend">true</B>`))},
		"Get-JournalRule.xml": {Data: clixmlObjs(clixmlObj("Management.JournalRuleObject", "Journal external",
			`<S N="JournalEmailAddress">journal@archive.example</S>`,
			enum("Scope", "JournalRuleScope", "External", 2), `<B N="Enabled">true</B>`, `<Nil N="Recipient" />`))},
	})
	require.NoError(t, err)
	require.Len(t, got.Spec.Tenants, 1)
	x := got.Spec.Tenants[0]
	require.Equal(t, "contoso", x.Name)
	require.Equal(t, topology.ContentFilterPolicy{SpamAction: "Quarantine", HighConfidenceSpamAction: "Delete"}, x.HostedContentFilterPolicy)
	require.True(t, x.RejectDirectSend)
	require.Equal(t, []topology.JournalRule{{Name: "Journal external", JournalEmailAddress: "journal@archive.example", Scope: "External", Enabled: connector.True}}, x.JournalRules)
	var props []string
	for _, n := range notes {
		require.NotContains(t, n.Message, "unknown property", n)
		if strings.HasPrefix(n.Path, "Get-HostedContentFilterPolicy.xml") {
			props = append(props, n.Path[strings.LastIndexByte(n.Path, '.')+1:])
		}
	}
	require.Equal(t, []string{"BulkThreshold"}, props, "notes: %v", notes)
}
