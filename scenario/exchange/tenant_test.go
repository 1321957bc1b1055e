package exchange_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario/exchange"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// TestImportTenantBuildsAndTraces: a tenant's exports as an administrator
// saves them — the recipient directory (with a discovery mailbox and a
// custom domain, contoso.com), a rule-scoped outbound connector to a
// gateway's smart host that is not exported, and mail flow rules, one with
// a condition the simulator does not read — import, build and trace.
// Internet mail to the custom domain is delivered, through the MX the
// import assumes (the tenant's EOP, "Configure mail flow using connectors
// in Exchange Online"); mail outside the organization leaves by the rule
// "Route Accounting" through the connector to the stand-in for the smart
// host ("Scenario: Conditional mail routing in Exchange Online"); the rule
// the simulator cannot read is imported
// disabled, so it does not delete every message ("Mail flow rules
// (transport rules) in Exchange Online").
func TestImportTenantBuildsAndTraces(t *testing.T) {
	const org = `"OrganizationId": "contoso.onmicrosoft.com - contoso"`
	fsys := fstest.MapFS{
		"Get-OutboundConnector.json": {Data: []byte(`[{"Name": "To gateway", "ConnectorType": "Partner", "RecipientDomains": ["fabrikam.com"], "IsTransportRuleScoped": true,
			"SmartHosts": ["mail.fabrikam-gateway.example"], "UseMXRecord": false, "TlsSettings": "EncryptionOnly", "Enabled": true, ` + org + `}]`)},
		"Get-TransportRule.json": {Data: []byte(transportRulesJSON)},
	}
	entries, err := os.ReadDir(tenantRecipientsDir)
	require.NoError(t, err)
	for _, e := range entries {
		data, err := fs.ReadFile(os.DirFS(tenantRecipientsDir), e.Name())
		require.NoError(t, err)
		fsys[e.Name()] = &fstest.MapFile{Data: data}
	}
	got, notes, err := exchange.ImportFS(fsys)
	require.NoError(t, err)
	require.Len(t, got.Spec.External, 1)
	require.Equal(t, []string{"mail.fabrikam-gateway.example"}, got.Spec.External[0].Hosts)
	disabled := false
	for _, n := range notes {
		disabled = disabled || strings.Contains(n.Path, "Drop auto-replies") && strings.Contains(n.Message, "disabled")
	}
	require.True(t, disabled, "no note that the rule is imported disabled: %v", notes)

	topo, err := topology.Build(got.Spec)
	require.NoError(t, err)
	for _, tt := range []struct {
		msg  route.Message
		want route.Disposition
		last string
	}{
		{route.Message{From: "someone@cpandl.example", To: []string{"megan@contoso.com"}}, route.Delivered, "exo:contoso"},
		{route.Message{From: "someone@cpandl.example", To: []string{discovery}}, route.Delivered, "exo:contoso"},
		{route.Message{From: "megan@contoso.com", To: []string{"bob@fabrikam.com"}}, route.Relayed, "ext:mail.fabrikam-gateway.example"},
	} {
		res, err := route.Trace(topo, tt.msg)
		require.NoError(t, err)
		r := res.Recipients[0]
		require.Equal(t, tt.want, r.Disposition, "%s -> %s: %s", tt.msg.From, tt.msg.To[0], r.Status)
		require.Equal(t, tt.last, r.Hops[len(r.Hops)-1].Node.String(), "%s -> %s", tt.msg.From, tt.msg.To[0])
	}
}

// TestImportRuleSenderLocationAndPatterns: a rule that examines the
// envelope sender (SenderAddressLocation Envelope) and one that matches
// a header by pattern import enabled, with those settings: the simulator
// reads them (docs/behaviour.md#l17-the-sender-a-mail-flow-rule-examines).
func TestImportRuleSenderLocationAndPatterns(t *testing.T) {
	const org = `"OrganizationId": "contoso.onmicrosoft.com - contoso"`
	got, notes, err := exchange.Import("Get-TransportRule.json", []byte(`[
	 {"Name": "Envelope senders", "Priority": 0, "State": "Enabled", "Mode": "Enforce", "SenderAddressLocation": "Envelope",
	  "SenderDomainIs": ["fabrikam.com"], "DeleteMessage": true, `+org+`},
	 {"Name": "Bulk mailers", "Priority": 1, "State": "Enabled", "Mode": "Enforce", "SenderAddressLocation": "Header",
	  "HeaderMatchesMessageHeader": "X-Mailer", "HeaderMatchesPatterns": ["^bulk"], "SubjectMatchesPatterns": ["offer \\d+"], "SetSCL": 9, `+org+`}]`))
	require.NoError(t, err)
	rules := got.Spec.Tenants[0].TransportRules
	require.Len(t, rules, 2)
	require.Equal(t, "Envelope", rules[0].SenderAddressLocation)
	require.Equal(t, topology.RuleEnabled, rules[0].State)
	require.Equal(t, []string{"^bulk"}, rules[1].Conditions.HeaderMatchesPatterns)
	require.Equal(t, []string{`offer \d+`}, rules[1].Conditions.SubjectMatchesPatterns)
	require.Equal(t, topology.RuleEnabled, rules[1].State)
	require.Empty(t, notes)
}
