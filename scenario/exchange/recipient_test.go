package exchange_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/scenario/exchange"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// TestImportRecipientTypes: every recipient type the library models is
// imported as itself, by name or by number; types routing treats alike
// are folded with a note (a RoomList is a distribution group); groups
// without member exports come without members, with a note
// (docs/behaviour.md#l31-dynamic-distribution-groups,
// docs/behaviour.md#l75-group-members-in-exports); a type the library
// does not model is not imported.
func TestImportRecipientTypes(t *testing.T) {
	data := []byte(`[
	  {"Name": "Shared", "RecipientTypeDetails": 4, "PrimarySmtpAddress": "shared@contoso.com", "ServerName": "EX01"},
	  {"Name": "Room", "RecipientTypeDetails": 8589934592, "PrimarySmtpAddress": "room@contoso.com", "RemoteRoutingAddress": "SMTP:room@contoso.mail.onmicrosoft.com"},
	  {"Name": "Linked", "RecipientTypeDetails": "LinkedMailbox", "PrimarySmtpAddress": "linked@contoso.com", "ServerName": "EX01"},
	  {"Name": "Everyone", "RecipientTypeDetails": 2048, "PrimarySmtpAddress": "everyone@contoso.com", "RecipientFilter": "(RecipientType -eq 'UserMailbox')"},
	  {"Name": "Team", "RecipientTypeDetails": "GroupMailbox", "PrimarySmtpAddress": "team@contoso.com"},
	  {"Name": "Arbitration", "RecipientTypeDetails": "ArbitrationMailbox", "PrimarySmtpAddress": "arb@contoso.com"},
	  {"Name": "Rooms", "RecipientTypeDetails": 268435456, "PrimarySmtpAddress": "rooms@contoso.com"}
	]`)
	got, problems, err := exchange.Import("GetMailbox.json", data)
	require.NoError(t, err)
	var gotRecipients []topology.Recipient
	for _, o := range got.Spec.OnPremises {
		gotRecipients = append(gotRecipients, o.Recipients...)
	}
	for _, x := range got.Spec.Tenants {
		gotRecipients = append(gotRecipients, x.Recipients...)
	}
	want := []topology.Recipient{
		{Name: "Shared", RecipientTypeDetails: topology.SharedMailbox, PrimarySmtpAddress: "shared@contoso.com", Server: "EX01"},
		{Name: "Room", RecipientTypeDetails: topology.RemoteRoomMailbox, PrimarySmtpAddress: "room@contoso.com", RemoteRoutingAddress: "SMTP:room@contoso.mail.onmicrosoft.com"},
		{Name: "Linked", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "linked@contoso.com", Server: "EX01"},
		{Name: "Everyone", RecipientTypeDetails: topology.DynamicDistributionGroup, PrimarySmtpAddress: "everyone@contoso.com"},
		{Name: "Team", RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: "team@contoso.com"},
		{Name: "Arbitration", PrimarySmtpAddress: "arb@contoso.com"},
		{Name: "Rooms", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "rooms@contoso.com"},
	}
	if diff := cmp.Diff(want, gotRecipients, testopts.Cmp); diff != "" {
		t.Errorf("Import recipients mismatch (-want +got):\n%s", diff)
	}
	wantProblems := []scenario.Problem{
		{Path: `GetMailbox.json[2]("Linked").RecipientTypeDetails`, Message: `imported as UserMailbox: routing treats a LinkedMailbox alike (value "LinkedMailbox")`},
		{Path: `GetMailbox.json[3]("Everyone").RecipientFilter`, Message: `not imported: not modelled by the simulator (value "(RecipientType -eq 'UserMailbox')")`},
		{Path: `GetMailbox.json[3]("Everyone")`, Message: `imported without members: the library does not evaluate RecipientFilter and no Get-DynamicDistributionGroupMember export lists them, so mail to the group expands to nobody`},
		{Path: `GetMailbox.json[4]("Team")`, Message: `imported without members: no Get-UnifiedGroupLinks -LinkType Members export lists them, so mail to the group reaches its mailbox only`},
		{Path: `GetMailbox.json[6]("Rooms").RecipientTypeDetails`, Message: `imported as MailUniversalDistributionGroup: routing treats a RoomList alike (value 268435456)`},
		{Path: `GetMailbox.json[6]("Rooms")`, Message: `imported without members: no Get-DistributionGroupMember export lists them, so mail to the group expands to nobody`},
	}
	var rest []scenario.Problem
	for _, p := range problems {
		if p.Path == `GetMailbox.json[5]("Arbitration").RecipientTypeDetails` {
			if !strings.HasPrefix(p.Message, `not imported: "ArbitrationMailbox" is not one of `) {
				t.Errorf("ArbitrationMailbox: %s, want it not imported", p.Message)
			}
			continue
		}
		if strings.HasPrefix(p.Path, "GetMailbox.json") {
			rest = append(rest, p)
		}
	}
	if diff := cmp.Diff(wantProblems, rest, testopts.Cmp); diff != "" {
		t.Errorf("Import problems (-want +got):\n%s", diff)
	}
}
