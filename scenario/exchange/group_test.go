package exchange_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/scenario/exchange"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tenantRecipientsDir holds hand-written exports of one Exchange Online
// tenant, with the property names and value shapes of the cmdlet pages:
// CLIXML as Windows PowerShell 5's Export-Clixml writes objects of a
// remote session, JSON as PowerShell 7's ConvertTo-Json writes them.
const tenantRecipientsDir = "testdata/exchange-online-recipients"

const discovery = "DiscoverySearchMailbox{D919BA05-46A6-415f-80AD-7E09334BB852}@contoso.onmicrosoft.com"

// ends is each recipient's address, disposition and last node.
func ends(res *route.Result) []string {
	var out []string
	for _, r := range res.Recipients {
		out = append(out, r.Address+" "+r.Disposition.String()+" at "+r.Hops[len(r.Hops)-1].Node.String())
	}
	return out
}

// diffRecipients reports the difference between the recipients wanted and
// got.
func diffRecipients(t *testing.T, want, got []topology.Recipient) {
	t.Helper()
	if diff := cmp.Diff(want, got, testopts.Cmp); diff != "" {
		t.Errorf("recipients mismatch (-want +got):\n%s", diff)
	}
}

// diffNotes reports the difference between the notes wanted and those
// got, leaving out those whose path starts with one of ignore.
func diffNotes(t *testing.T, want, got []scenario.Problem, ignore ...string) {
	t.Helper()
	var mine []scenario.Problem
	for _, n := range got {
		if !slices.ContainsFunc(ignore, func(p string) bool { return strings.HasPrefix(n.Path, p) }) {
			mine = append(mine, n)
		}
	}
	if diff := cmp.Diff(want, mine, testopts.Cmp); diff != "" {
		t.Errorf("notes mismatch (-want +got):\n%s", diff)
	}
}

// TestImportTenantRecipients imports a tenant directory holding every
// recipient cmdlet's export: each recipient is imported once by its
// RecipientTypeDetails (Get-Recipient's copies of recipients exported by
// their own cmdlet are not,
// docs/behaviour.md#l76-get-recipient-and-the-cmdlets-of-each-type), groups
// get their members from a file named after the group or a Group column,
// and groups without member exports are noted
// (docs/behaviour.md#l75-group-members-in-exports).
func TestImportTenantRecipients(t *testing.T) {
	got, notes, err := exchange.ImportFS(os.DirFS(tenantRecipientsDir))
	require.NoError(t, err)
	require.Empty(t, got.Spec.OnPremises)
	require.Len(t, got.Spec.Tenants, 1)
	require.Equal(t, "contoso", got.Spec.Tenants[0].Name)
	// Files in name order, objects in document order.
	want := []topology.Recipient{
		{Name: "Sales", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "sales@contoso.com",
			EmailAddresses: []string{"SMTP:sales@contoso.com", "smtp:sales@contoso.onmicrosoft.com"},
			Members:        []string{"megan@contoso.com", "alex@contoso.com", "bob@fabrikam.com"}},
		{Name: "IT Admins", RecipientTypeDetails: topology.MailUniversalSecurityGroup, PrimarySmtpAddress: "itadmins@contoso.com",
			EmailAddresses: []string{"SMTP:itadmins@contoso.com", "smtp:itadmins@contoso.onmicrosoft.com"},
			Members:        []string{"alex@contoso.com"}, RequireSenderAuthenticationEnabled: true},
		{Name: "Board", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "board@contoso.com",
			EmailAddresses:                     []string{"SMTP:board@contoso.com", "smtp:board@contoso.onmicrosoft.com"},
			RequireSenderAuthenticationEnabled: true},
		{Name: "All Staff", RecipientTypeDetails: topology.DynamicDistributionGroup, PrimarySmtpAddress: "allstaff@contoso.com",
			EmailAddresses:                     []string{"SMTP:allstaff@contoso.com", "smtp:allstaff@contoso.onmicrosoft.com"},
			RequireSenderAuthenticationEnabled: true},
		{Name: "Bob Kelly", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "bob@fabrikam.com",
			EmailAddresses: []string{"SMTP:bob@fabrikam.com"}, ExternalEmailAddress: "SMTP:bob@fabrikam.com"},
		{Name: "Feedback", RecipientTypeDetails: topology.PublicFolder, PrimarySmtpAddress: "feedback@contoso.com",
			EmailAddresses: []string{"SMTP:feedback@contoso.com"}},
		{Name: "Megan Bowen", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "megan@contoso.com",
			EmailAddresses: []string{"SMTP:megan@contoso.com", "smtp:megan@contoso.onmicrosoft.com"}},
		{Name: "Alex Wilber", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "alex@contoso.com",
			EmailAddresses: []string{"SMTP:alex@contoso.com", "smtp:alex@contoso.onmicrosoft.com"}},
		{Name: "Conf Room Adams", RecipientTypeDetails: topology.RoomMailbox, PrimarySmtpAddress: "adams@contoso.com",
			EmailAddresses: []string{"SMTP:adams@contoso.com", "smtp:adams@contoso.onmicrosoft.com"}},
		{Name: "DiscoverySearchMailbox{D919BA05-46A6-415f-80AD-7E09334BB852}", RecipientTypeDetails: topology.DiscoveryMailbox,
			PrimarySmtpAddress: discovery, EmailAddresses: []string{"SMTP:" + discovery}},
		{Name: "Info", RecipientTypeDetails: topology.SharedMailbox, PrimarySmtpAddress: "info@contoso.com",
			EmailAddresses: []string{"SMTP:info@contoso.com"}},
		{Name: "ProjectX_a3c1e2d4", RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: "projectx@contoso.com",
			EmailAddresses: []string{"SMTP:projectx@contoso.com", "smtp:projectx@contoso.onmicrosoft.com",
				"SPO:SPO_5a0d1e3f-8c4b-4f7e-9a21-6b3c2d1e0f99@SPO_8f3e2d1c-0b9a-4d8e-b7c6-5a4b3c2d1e0f"},
			Members: []string{"megan@contoso.com", "alex@contoso.com"}},
	}
	diffRecipients(t, want, got.Spec.Tenants[0].Recipients)
	notModelled := "not imported: not modelled by the simulator (value "
	wantNotes := []scenario.Problem{
		{Path: `Get-DistributionGroup.xml[0]("Sales").MaxReceiveSize`, Message: notModelled + `"Unlimited"; the same in Get-DistributionGroup.xml[1], Get-DistributionGroup.xml[2])`},
		{Path: `Get-DistributionGroup.xml[2]("Board").ModeratedBy`, Message: notModelled + `["Megan Bowen"])`},
		{Path: `Get-DistributionGroup.xml[2]("Board").ModerationEnabled`, Message: notModelled + `true)`},
		{Path: `Get-DistributionGroup.xml[2]("Board")`, Message: `imported without members: no Get-DistributionGroupMember export lists them, so mail to the group expands to nobody`},
		{Path: `Get-DynamicDistributionGroup.json[0]("All Staff").RecipientContainer`, Message: notModelled + `"EURPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso…)`},
		{Path: `Get-DynamicDistributionGroup.json[0]("All Staff").RecipientFilter`, Message: notModelled + `"((RecipientType -eq 'UserMailbox') -and (-not(Name -like 'SystemMailbox{*'))…)`},
		{Path: `Get-DynamicDistributionGroup.json[0]("All Staff").LdapRecipientFilter`, Message: notModelled + `"(&(objectClass=user)(objectCategory=person)(mailNickname=*)(msExchHomeServer…)`},
		{Path: `Get-DynamicDistributionGroup.json[0]("All Staff").IncludedRecipients`, Message: notModelled + `"MailboxUsers")`},
		{Path: `Get-DynamicDistributionGroup.json[0]("All Staff").MaxReceiveSize`, Message: notModelled + `"Unlimited")`},
		{Path: `Get-DynamicDistributionGroup.json[0]("All Staff")`, Message: `imported without members: the library does not evaluate RecipientFilter and no Get-DynamicDistributionGroupMember export lists them, so mail to the group expands to nobody`},
		{Path: `Get-MailContact.json[0]("Bob Kelly").MaxReceiveSize`, Message: notModelled + `"Unlimited")`},
		{Path: `Get-Recipient.json[0]("Megan Bowen")`, Message: `not imported: the same recipient comes from Get-Mailbox.xml`},
		{Path: `Get-Recipient.json[2]("Sales")`, Message: `not imported: the same recipient comes from Get-DistributionGroup.xml`},
		{Path: `Get-Recipient.json[3]("Project X")`, Message: `not imported: the same recipient comes from Get-UnifiedGroup.xml`},
		{Path: `Get-UnifiedGroup.xml[0]("ProjectX_a3c1e2d4").MaxReceiveSize`, Message: notModelled + `"36 MB (37,748,736 bytes)")`},
		{Path: `GroupMembers.json[1]("")`, Message: `not imported: no group "Retired Team" is in the exports`},
		{Path: `GroupMembers.json[2]("").PrimarySmtpAddress`, Message: `not imported: a member without an SMTP address is not mail-enabled and gets no mail (value "")`},
	}
	diffNotes(t, wantNotes, notes, "Get-AcceptedDomain", "Get-Mailbox.", "MXRecords")

	topo, err := topology.Build(got.Spec)
	require.NoError(t, err)
	const internet = "sam@fabrikam.example"
	tests := []struct {
		name string
		msg  route.Message
		want []string
	}{
		{
			// "Recipient resolution in Exchange Server": a distribution
			// group is expanded into its members, each routed on its own;
			// the contact's copy leaves for its external address.
			name: "DistributionGroupFromTheInternet",
			msg:  route.Message{From: internet, To: []string{"sales@contoso.com"}},
			want: []string{"sales@contoso.com Expanded", "alex@contoso.com Delivered", "bob@fabrikam.com Relayed", "megan@contoso.com Delivered"},
		},
		{
			// "Configure Microsoft 365 Groups with on-premises Exchange
			// hybrid": the group's mailbox gets the message and its members
			// their copies.
			name: "Microsoft365GroupFromTheInternet",
			msg:  route.Message{From: internet, To: []string{"projectx@contoso.com"}},
			want: []string{"projectx@contoso.com Delivered", "alex@contoso.com Delivered", "megan@contoso.com Delivered"},
		},
		{
			// Members unknown: the categorizer expands the group into nobody.
			name: "DynamicGroupWithoutMembers",
			msg:  route.Message{From: "megan@contoso.com", To: []string{"allstaff@contoso.com"}},
			want: []string{"allstaff@contoso.com Expanded"},
		},
		{
			name: "RoomDiscoveryPublicFolderAndShared",
			msg:  route.Message{From: "megan@contoso.com", To: []string{"adams@contoso.com", discovery, "feedback@contoso.com", "info@contoso.com"}},
			want: []string{"adams@contoso.com Delivered", discovery + " Delivered", "feedback@contoso.com Delivered", "info@contoso.com Delivered"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(topo, tt.msg)
			require.NoError(t, err)
			var gotEnds []string
			for _, r := range res.Recipients {
				gotEnds = append(gotEnds, r.Address+" "+r.Disposition.String())
			}
			require.ElementsMatch(t, tt.want, gotEnds, "all: %q", ends(res))
		})
	}
}

// serverRecipientsDir holds hand-written exports of one Exchange Server
// organization: CLIXML as Export-Clixml writes objects of the Exchange
// Management Shell (enums as objects with their number), JSON as
// PowerShell 7's ConvertTo-Json writes them (enums as numbers).
const serverRecipientsDir = "testdata/exchange-server-recipients"

// TestImportServerRecipients: the same cmdlets on premises, the shapes
// the other way round. A RoomList and a MailNonUniversalGroup are
// distribution groups; an empty member file named after a group says it
// has no members; a public folder's server is not in its export.
func TestImportServerRecipients(t *testing.T) {
	got, notes, err := exchange.ImportFS(os.DirFS(serverRecipientsDir))
	require.NoError(t, err)
	require.Empty(t, got.Spec.Tenants)
	require.Len(t, got.Spec.OnPremises, 1)
	require.Equal(t, "First-Organization", got.Spec.OnPremises[0].Name)
	want := []topology.Recipient{
		{Name: "Sales", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "sales@contoso.com",
			EmailAddresses: []string{"SMTP:sales@contoso.com", "smtp:sales@contoso.mail.onmicrosoft.com"},
			Members:        []string{"megan@contoso.com", "carol@tailspintoys.com"}, RequireSenderAuthenticationEnabled: true},
		{Name: "Rooms", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "rooms@contoso.com",
			EmailAddresses:                     []string{"SMTP:rooms@contoso.com", "smtp:rooms@contoso.mail.onmicrosoft.com"},
			RequireSenderAuthenticationEnabled: true},
		{Name: "Legacy Staff", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "legacystaff@contoso.com",
			EmailAddresses:                     []string{"SMTP:legacystaff@contoso.com", "smtp:legacystaff@contoso.mail.onmicrosoft.com"},
			RequireSenderAuthenticationEnabled: true},
		{Name: "All Sales Staff", RecipientTypeDetails: topology.DynamicDistributionGroup, PrimarySmtpAddress: "allsales@contoso.com",
			EmailAddresses: []string{"SMTP:allsales@contoso.com"}, RequireSenderAuthenticationEnabled: true},
		{Name: "Bob Kelly", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "bob@fabrikam.com",
			EmailAddresses: []string{"SMTP:bob@fabrikam.com", "smtp:bob@contoso.com"}, ExternalEmailAddress: "SMTP:bob@fabrikam.com"},
		{Name: "Feedback", RecipientTypeDetails: topology.PublicFolder, PrimarySmtpAddress: "feedback@contoso.com",
			EmailAddresses: []string{"SMTP:feedback@contoso.com"}},
		{Name: "Carol Smith", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "carol@tailspintoys.com",
			EmailAddresses: []string{"SMTP:carol@tailspintoys.com"}, ExternalEmailAddress: "SMTP:carol@tailspintoys.com"},
	}
	diffRecipients(t, want, got.Spec.OnPremises[0].Recipients)
	notModelled := "not imported: not modelled by the simulator (value "
	dg := `Get-DistributionGroup.json`
	ddg := `Get-DynamicDistributionGroup.xml[0]("All Sales Staff")`
	wantNotes := []scenario.Problem{
		{Path: dg + `[0]("Sales").AcceptMessagesOnlyFromSendersOrMembers`, Message: notModelled + `["contoso.local/Users/Megan Bowen", "contoso.local/Groups/Managers"])`},
		{Path: dg + `[0]("Sales").MaxReceiveSize`, Message: notModelled + `"Unlimited"; the same in Get-DistributionGroup.json[1], Get-DistributionGroup.json[2])`},
		{Path: dg + `[1]("Rooms").RecipientTypeDetails`, Message: `imported as MailUniversalDistributionGroup: routing treats a RoomList alike (value 268435456)`},
		{Path: dg + `[2]("Legacy Staff").RecipientTypeDetails`, Message: `imported as MailUniversalDistributionGroup: routing treats a MailNonUniversalGroup alike (value 512)`},
		{Path: dg + `[2]("Legacy Staff").ModeratedBy`, Message: notModelled + `["contoso.local/Users/Megan Bowen"])`},
		{Path: dg + `[2]("Legacy Staff").ModerationEnabled`, Message: notModelled + `true)`},
		{Path: dg + `[2]("Legacy Staff")`, Message: `imported without members: no Get-DistributionGroupMember export lists them, so mail to the group expands to nobody`},
		{Path: ddg + `.RecipientContainer`, Message: notModelled + `"contoso.local/Users")`},
		{Path: ddg + `.RecipientFilter`, Message: notModelled + `"((Department -eq 'Sales') -and (RecipientType -eq 'UserMailbox'))")`},
		{Path: ddg + `.LdapRecipientFilter`, Message: notModelled + `"(&(department=Sales)(objectClass=user)(objectCategory=person)(mailNickname=*…)`},
		{Path: ddg + `.ExpansionServer`, Message: notModelled + `"EX01")`},
		{Path: ddg + `.MaxReceiveSize`, Message: notModelled + `"Unlimited")`},
		{Path: ddg, Message: `imported without members: the library does not evaluate RecipientFilter and no Get-DynamicDistributionGroupMember export lists them, so mail to the group expands to nobody`},
		{Path: `Get-MailContact.xml[0]("Bob Kelly").RejectMessagesFromSendersOrMembers`, Message: notModelled + `["contoso.local/Users/Alex Wilber"])`},
		{Path: `Get-MailPublicFolder.xml[0]("Feedback").Server`, Message: `not in the export: give the Mailbox server of the public folder mailbox holding its content (Get-PublicFolder's content mailbox, Get-Mailbox -PublicFolder's ServerName) in the topology file`},
		{Path: `Get-Recipient.xml[0]("Sales")`, Message: `not imported: the same recipient comes from Get-DistributionGroup.json`},
	}
	diffNotes(t, wantNotes, notes, "Get-AcceptedDomain", "OnPremises[")
}

// selectedMembersXML is a combined member export as Export-Clixml writes
// "select @{n='Group';e={$g.PrimarySmtpAddress}},PrimarySmtpAddress": the
// selected objects keep the member's type name, prefixed "Selected.".
const selectedMembersXML = `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0">
      <T>Selected.Microsoft.Exchange.Data.Directory.Management.ReducedRecipient</T>
      <T>System.Management.Automation.PSCustomObject</T>
      <T>System.Object</T>
    </TN>
    <MS>
      <S N="Group">Sales.Team@contoso.com</S>
      <S N="PrimarySmtpAddress">alex@contoso.com</S>
    </MS>
  </Obj>
</Objs>`

// TestImportGroupMemberShapes: the member exports' file names and
// columns (docs/behaviour.md#l75-group-members-in-exports), a Microsoft
// 365 Group in ConvertTo-Json's shape, a synchronized public folder, and
// an Exchange Online mailbox's datacenter server.
func TestImportGroupMemberShapes(t *testing.T) {
	groups := `[
	 {"Name": "Sales Team", "Alias": "salesteam", "RecipientTypeDetails": 256, "PrimarySmtpAddress": "sales.team@contoso.com",
	  "EmailAddresses": ["SMTP:sales.team@contoso.com"], "RequireSenderAuthenticationEnabled": false},
	 {"Name": "Empty", "RecipientTypeDetails": 1024, "PrimarySmtpAddress": "empty@contoso.com", "RequireSenderAuthenticationEnabled": true}
	]`
	megan := `{"Name": "Megan Bowen", "RecipientTypeDetails": 1, "PrimarySmtpAddress": "megan@contoso.com"}`
	unified := `{"Name": "Design_5f1c", "DisplayName": "Design", "Alias": "design", "RecipientTypeDetails": "GroupMailbox",
	  "PrimarySmtpAddress": "design@contoso.com", "EmailAddresses": ["SMTP:design@contoso.com", "smtp:design@contoso.onmicrosoft.com"],
	  "AccessType": "Public", "AutoSubscribeNewMembers": true, "SharePointSiteUrl": "https://contoso.sharepoint.com/sites/Design",
	  "RequireSenderAuthenticationEnabled": true, "OrganizationId": "contoso.onmicrosoft.com - EURPR01A001.prod.outlook.com/ConfigurationUnits/contoso.onmicrosoft.com/Configuration"}`
	fsys := fstest.MapFS{
		"Get-DistributionGroup.json":               {Data: []byte(groups)},
		"DistributionGroupMembers_Sales Team.json": {Data: []byte("[" + megan + "]")},
		"members.xml":                            {Data: []byte(selectedMembersXML)},
		"Get-DistributionGroupMember.json":       {Data: []byte(megan)},
		"Get-DistributionGroupMember-Ghosts.xml": {Data: []byte(`<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04" />`)},
		"Get-DistributionGroupMember-Empty.json": {Data: []byte("null")},
		"Get-UnifiedGroup.json":                  {Data: []byte(unified)},
		"GetUnifiedGroupLinks design.json":       {Data: []byte(megan)},
		"Get-Mailbox.json": {Data: []byte(`{"Name": "Alex Wilber", "RecipientTypeDetails": "UserMailbox", "PrimarySmtpAddress": "alex@contoso.com",
		  "ServerName": "am6pr01mb1234", "OrganizationId": "contoso.onmicrosoft.com - x"}`)},
		"Get-MailPublicFolder.json": {Data: []byte(`{"Name": "Archive", "RecipientTypeDetails": "PublicFolder", "PrimarySmtpAddress": "archive@contoso.com",
		  "ExternalEmailAddress": "SMTP:archive@contoso.com", "EntryId": "0000", "OrganizationId": "contoso.onmicrosoft.com - x"}`)},
	}
	got, notes, err := exchange.ImportFS(fsys)
	require.NoError(t, err)
	require.Empty(t, got.Spec.OnPremises)
	require.Len(t, got.Spec.Tenants, 1)
	// Files in name order: DistributionGroupMembers_Sales Team.json,
	// Get-DistributionGroup.json, Get-DistributionGroupMember*.…,
	// Get-MailPublicFolder.json, Get-Mailbox.json ("P" sorts before "b"), Get-UnifiedGroup.json, GetUnifiedGroupLinks
	// design.json, members.xml.
	want := []topology.Recipient{
		{Name: "Sales Team", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "sales.team@contoso.com",
			EmailAddresses: []string{"SMTP:sales.team@contoso.com"}, Members: []string{"megan@contoso.com", "alex@contoso.com"}},
		{Name: "Empty", RecipientTypeDetails: topology.MailUniversalSecurityGroup, PrimarySmtpAddress: "empty@contoso.com",
			RequireSenderAuthenticationEnabled: true},
		{Name: "Archive", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "archive@contoso.com", ExternalEmailAddress: "SMTP:archive@contoso.com"},
		{Name: "Alex Wilber", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "alex@contoso.com"},
		{Name: "Design_5f1c", RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: "design@contoso.com",
			EmailAddresses: []string{"SMTP:design@contoso.com", "smtp:design@contoso.onmicrosoft.com"},
			Members:        []string{"megan@contoso.com"}, RequireSenderAuthenticationEnabled: true},
	}
	diffRecipients(t, want, got.Spec.Tenants[0].Recipients)
	wantNotes := []scenario.Problem{
		{Path: `Get-DistributionGroupMember-Ghosts.xml`, Message: `not imported: no group "Ghosts" is in the exports`},
		{Path: `Get-DistributionGroupMember.json[0]("Megan Bowen")`, Message: `not imported: the export does not say which group this member is of; ` +
			`name the file after the group (Get-DistributionGroupMember-<group>.xml) or add a Group column`},
		{Path: `Get-MailPublicFolder.json[0]("Archive").ExternalEmailAddress`, Message: `imported as MailUser: a mail-enabled public folder with an external address ` +
			`is the other organization's folder, synchronized, and routes to that address (value "SMTP:archive@contoso.com")`},
		{Path: `Get-Mailbox.json[0]("Alex Wilber").ServerName`, Message: `not imported: an Exchange Online recipient has no on-premises server (value "am6pr01mb1234")`},
	}
	diffNotes(t, wantNotes, notes, "MXRecords", "Tenants[0].Name")
}

// recipientCommon are the output properties every mail-enabled recipient
// cmdlet shares (their Set-* cmdlet pages' parameters, and the identity
// and type properties of the objects).
const recipientCommon = "AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers AcceptMessagesOnlyFromSendersOrMembers " +
	"AddressListMembership AdministrativeUnits Alias ArbitrationMailbox BypassModerationFromSendersOrMembers OrganizationalUnit " +
	"CustomAttribute1 CustomAttribute2 CustomAttribute3 CustomAttribute4 CustomAttribute5 CustomAttribute6 CustomAttribute7 " +
	"CustomAttribute8 CustomAttribute9 CustomAttribute10 CustomAttribute11 CustomAttribute12 CustomAttribute13 CustomAttribute14 " +
	"CustomAttribute15 ExtensionCustomAttribute1 ExtensionCustomAttribute2 ExtensionCustomAttribute3 ExtensionCustomAttribute4 " +
	"ExtensionCustomAttribute5 DisplayName EmailAddresses GrantSendOnBehalfTo ExternalDirectoryObjectId HiddenFromAddressListsEnabled " +
	"LastExchangeChangedTime LegacyExchangeDN MaxSendSize MaxReceiveSize ModeratedBy ModerationEnabled PoliciesIncluded " +
	"PoliciesExcluded EmailAddressPolicyEnabled PrimarySmtpAddress RecipientType RecipientTypeDetails RejectMessagesFrom " +
	"RejectMessagesFromDLMembers RejectMessagesFromSendersOrMembers RequireSenderAuthenticationEnabled SimpleDisplayName " +
	"SendModerationNotifications UMDtmfMap WindowsEmailAddress MailTip MailTipTranslations Identity IsDirSynced IsValid " +
	"ExchangeVersion Name DistinguishedName Guid ObjectCategory ObjectClass WhenChanged WhenCreated WhenChangedUTC WhenCreatedUTC " +
	"ExchangeObjectId OrganizationalUnitRoot OrganizationId Id OriginatingServer ObjectState"

// TestImportRecipientPropertiesClassified: every documented property of
// the recipient cmdlets is read, skipped or reported as not modelled,
// never reported as unknown; the properties that restrict delivery are
// reported.
func TestImportRecipientPropertiesClassified(t *testing.T) {
	group := recipientCommon + " GroupType SamAccountName BypassNestedModerationEnabled ManagedBy MemberJoinRestriction " +
		"MemberDepartRestriction ExpansionServer ReportToManagerEnabled ReportToOriginatorEnabled SendOofMessageToOriginatorEnabled " +
		"Description HiddenGroupMembershipEnabled MigrationToUnifiedGroupInProgress BccBlocked"
	cmdlets := map[string]string{
		"Get-DistributionGroup": group,
		"Get-DynamicDistributionGroup": group + " RecipientContainer RecipientFilter LdapRecipientFilter IncludedRecipients " +
			"ConditionalDepartment ConditionalCompany ConditionalStateOrProvince ConditionalCustomAttribute1 ConditionalCustomAttribute15 " +
			"RecipientFilterType Notes PhoneticDisplayName",
		"Get-MailContact": recipientCommon + " ExternalEmailAddress MacAttachmentFormat MessageBodyFormat MessageFormat " +
			"UseMapiRichTextFormat UsePreferMessageFormat",
		"Get-MailPublicFolder": recipientCommon + " Contacts DeliverToMailboxAndForward EntryId ExternalEmailAddress ForwardingAddress " +
			"PublicFolderType RootUrl OnPremisesObjectId IgnoreMissingFolderLink",
		"Get-UnifiedGroup": recipientCommon + " AccessType AllowAddGuests AlwaysSubscribeMembersToCalendarEvents AutoSubscribeNewMembers " +
			"CalendarMemberReadOnly CalendarUrl Classification ConnectorsEnabled DataEncryptionPolicy ExpirationTime " +
			"FileNotificationsSettings GroupMemberCount GroupExternalMemberCount GroupPersonification GroupSKU GroupType " +
			"HiddenFromExchangeClientsEnabled InboxUrl IsExternalResourcesPublished IsMailboxConfigured IsMembershipDynamic Language " +
			"MailboxProvisioningConstraint ManagedBy ManagedByDetails Notes PeopleUrl PhotoUrl ProvisioningOption " +
			"ResourceBehaviorOptions ResourceProvisioningOptions SensitivityLabel SharePointDocumentsUrl SharePointNotebookUrl " +
			"SharePointSiteUrl SubscriptionEnabled WelcomeMessageEnabled YammerEmailAddress AuditLogAgeLimit",
		"Get-Recipient": "Alias ArchiveDatabase ArchiveGuid ArchiveRelease ArchiveState ArchiveStatus AuthenticationType Capabilities " +
			"City Company CountryOrRegion CustomAttribute1 Database Department DisplayName EmailAddresses ExchangeGuid " +
			"ExternalDirectoryObjectId ExternalEmailAddress FirstName LastName HasActiveSyncDevicePartnership " +
			"HiddenFromAddressListsEnabled IsDirSynced LitigationHoldEnabled ManagedBy MailboxMoveStatus Manager Notes Office " +
			"OrganizationalUnit Phone PostalCode PrimarySmtpAddress RecipientType RecipientTypeDetails ResourceType " +
			"SamAccountName ServerLegacyDN StateOrProvince Title UMEnabled UsageLocation WindowsLiveID Identity Guid Name",
	}
	restricting := []string{"AcceptMessagesOnlyFrom", "AcceptMessagesOnlyFromDLMembers", "AcceptMessagesOnlyFromSendersOrMembers",
		"RejectMessagesFrom", "RejectMessagesFromDLMembers", "RejectMessagesFromSendersOrMembers", "ModerationEnabled", "ModeratedBy"}
	for cmdlet, props := range cmdlets {
		t.Run(cmdlet, func(t *testing.T) {
			obj := map[string]any{}
			for p := range strings.FieldsSeq(props) {
				obj[p] = "set"
			}
			obj["RecipientTypeDetails"] = "MailContact" // a type every cmdlet's object imports as
			obj["ModerationEnabled"] = true
			data, err := json.Marshal(obj)
			require.NoError(t, err)
			_, notes, err := exchange.Import(cmdlet+".json", data)
			require.NoError(t, err)
			reported := map[string]bool{}
			for _, n := range notes {
				assert.NotContains(t, n.Message, "unknown property", n.Path)
				if strings.Contains(n.Message, "not modelled by the simulator") {
					reported[n.Path[strings.LastIndexByte(n.Path, '.')+1:]] = true
				}
			}
			for _, p := range restricting {
				if strings.Contains(" "+props+" ", " "+p+" ") {
					assert.True(t, reported[p], "%s is not reported as not modelled", p)
				}
			}
		})
	}
}

// TestImportRecipientByType: an export whose file name names no cmdlet
// ("ExoGetDistributionGroup.json") is read by each object's
// RecipientTypeDetails (a Microsoft 365 Group by its AccessType too), so
// a group's and a contact's own properties are known, not reported as
// unknown.
func TestImportRecipientByType(t *testing.T) {
	data := []byte(`[
	 {"Name": "Sales", "RecipientTypeDetails": 256, "PrimarySmtpAddress": "sales@contoso.com", "GroupType": "Universal",
	  "MemberJoinRestriction": "Closed", "ReportToOriginatorEnabled": true},
	 {"Name": "Bob", "RecipientTypeDetails": "mailcontact", "PrimarySmtpAddress": "bob@fabrikam.com",
	  "ExternalEmailAddress": "SMTP:bob@fabrikam.com", "MessageFormat": "Mime"},
	 {"Name": "Design", "RecipientTypeDetails": "GroupMailbox", "PrimarySmtpAddress": "design@contoso.com", "AccessType": "Public",
	  "SharePointSiteUrl": "https://contoso.sharepoint.com/sites/Design", "OrganizationId": "contoso.onmicrosoft.com - x"}
	]`)
	got, notes, err := exchange.Import("ExoGetDistributionGroup.json", data)
	require.NoError(t, err)
	// The import holds Exchange Online objects only (Get-UnifiedGroup's):
	// the others join them.
	require.Empty(t, got.Spec.OnPremises)
	require.Len(t, got.Spec.Tenants, 1)
	diffRecipients(t, []topology.Recipient{
		{Name: "Sales", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "sales@contoso.com"},
		{Name: "Bob", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "bob@fabrikam.com", ExternalEmailAddress: "SMTP:bob@fabrikam.com"},
		{Name: "Design", RecipientTypeDetails: topology.GroupMailbox, PrimarySmtpAddress: "design@contoso.com"},
	}, got.Spec.Tenants[0].Recipients)
	diffNotes(t, []scenario.Problem{
		{Path: `ExoGetDistributionGroup.json[0]("Sales")`, Message: `imported without members: no Get-DistributionGroupMember export lists them, so mail to the group expands to nobody`},
		{Path: `ExoGetDistributionGroup.json[2]("Design")`, Message: `imported without members: no Get-UnifiedGroupLinks -LinkType Members export lists them, so mail to the group reaches its mailbox only`},
	}, notes, "OnPremises[", "MXRecords")
}

// TestImportMembersOfGroupOnBothSides: a group exported from both sides
// (on premises and its synchronized copy in Exchange Online) gets the
// members of its member export on both, and Get-Recipient's copy of each
// gives way to the object of the same side
// (docs/behaviour.md#l75-group-members-in-exports,
// docs/behaviour.md#l76-get-recipient-and-the-cmdlets-of-each-type).
func TestImportMembersOfGroupOnBothSides(t *testing.T) {
	const orgID = `"OrganizationId": "contoso.onmicrosoft.com - EURPR01A001.prod.outlook.com/ConfigurationUnits/contoso.onmicrosoft.com/Configuration"`
	fsys := fstest.MapFS{
		"Get-SendConnector.json":                {Data: []byte(`{"Name": "To Internet", "AddressSpaces": ["SMTP:*;1"], "SourceTransportServers": ["EX01"]}`)},
		"Get-DistributionGroup.json":            {Data: []byte(`{"Name": "Sales", "RecipientTypeDetails": 256, "PrimarySmtpAddress": "sales.team@contoso.com"}`)},
		"ExoGetDistributionGroup.json":          {Data: []byte(`{"Name": "Sales", "RecipientTypeDetails": "MailUniversalDistributionGroup", "PrimarySmtpAddress": "sales.team@contoso.com", ` + orgID + `}`)},
		"Get-DistributionGroupMember-Sales.xml": {Data: []byte(selectedMembersXML)}, // its Group column names the group by its address
		"Get-Recipient.json": {Data: []byte(`[{"Name": "Sales", "RecipientTypeDetails": 256, "PrimarySmtpAddress": "sales.team@contoso.com"},
		  {"Name": "Sales", "RecipientTypeDetails": 256, "PrimarySmtpAddress": "sales.team@contoso.com", ` + orgID + `}]`)},
	}
	got, notes, err := exchange.ImportFS(fsys)
	require.NoError(t, err)
	require.Len(t, got.Spec.OnPremises, 1)
	require.Len(t, got.Spec.Tenants, 1)
	sales := topology.Recipient{Name: "Sales", RecipientTypeDetails: topology.MailUniversalDistributionGroup,
		PrimarySmtpAddress: "sales.team@contoso.com", Members: []string{"alex@contoso.com"}}
	diffRecipients(t, []topology.Recipient{sales}, got.Spec.OnPremises[0].Recipients)
	diffRecipients(t, []topology.Recipient{sales}, got.Spec.Tenants[0].Recipients)
	diffNotes(t, []scenario.Problem{
		{Path: `Get-Recipient.json[0]("Sales")`, Message: `not imported: the same recipient comes from Get-DistributionGroup.json`},
		{Path: `Get-Recipient.json[1]("Sales")`, Message: `not imported: the same recipient comes from ExoGetDistributionGroup.json`},
	}, notes, "OnPremises[", "MXRecords", "Tenants[0].Name")
}

// BenchmarkImportTenantRecipients imports the tenant directory of every
// recipient cmdlet.
func BenchmarkImportTenantRecipients(b *testing.B) {
	fsys := os.DirFS(tenantRecipientsDir)
	for b.Loop() {
		if _, _, err := exchange.ImportFS(fsys); err != nil {
			b.Fatal(err)
		}
	}
}
