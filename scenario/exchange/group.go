package exchange

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/topology"
)

// addressBook are the properties of every recipient cmdlet that name,
// describe or list the object without changing where its mail goes:
// address book and directory attributes, administration and management.
const addressBook = "Alias DisplayName SimpleDisplayName PhoneticDisplayName SamAccountName WindowsEmailAddress " +
	"ExternalDirectoryObjectId IsDirSynced LegacyExchangeDN OrganizationalUnit RecipientType " +
	"HiddenFromAddressListsEnabled AddressListMembership AdministrativeUnits EmailAddressPolicyEnabled " +
	"PoliciesIncluded PoliciesExcluded MailTip MailTipTranslations UMDtmfMap ManagedBy Notes Description " +
	"GrantSendOnBehalfTo ArbitrationMailbox SendModerationNotifications LastExchangeChangedTime UsageLocation " +
	"CustomAttribute1 CustomAttribute2 CustomAttribute3 CustomAttribute4 CustomAttribute5 CustomAttribute6 " +
	"CustomAttribute7 CustomAttribute8 CustomAttribute9 CustomAttribute10 CustomAttribute11 CustomAttribute12 " +
	"CustomAttribute13 CustomAttribute14 CustomAttribute15 ExtensionCustomAttribute1 ExtensionCustomAttribute2 " +
	"ExtensionCustomAttribute3 ExtensionCustomAttribute4 ExtensionCustomAttribute5 " +
	"MaxSendSize DirSyncIdentity RecipientTypeDetailsValue"

// delivery are the properties of every recipient cmdlet that restrict or
// hold mail to the object (Microsoft: "Recipient resolution in Exchange
// Server": restrictions and moderation are checked when recipients are
// resolved), or size it; the simulator does not model them.
const delivery = "AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers AcceptMessagesOnlyFromSendersOrMembers " +
	"RejectMessagesFrom RejectMessagesFromDLMembers RejectMessagesFromSendersOrMembers " +
	"ModerationEnabled ModeratedBy BypassModerationFromSendersOrMembers MaxReceiveSize RecipientLimits "

// The properties of Get-DistributionGroup, Get-DynamicDistributionGroup,
// Get-MailContact, Get-MailPublicFolder, Get-UnifiedGroup and
// Get-Recipient (their cmdlet pages), besides those read into
// [topology.Recipient] fields: skipped (addressBook and the cmdlet's own
// settings that do not route) or not modelled (delivery, and how a group
// expands). Get-DynamicDistributionGroup's filter is not evaluated
// (docs/behaviour.md#l31-dynamic-distribution-groups).
var (
	groupSkip = nameSet(addressBook + " GroupType MemberJoinRestriction MemberDepartRestriction " +
		"HiddenGroupMembershipEnabled RecipientFilterType ReportToOriginatorEnabled MigrationToUnifiedGroupInProgress " +
		"BccBlocked")
	groupUnmodelled = nameSet(delivery + "BypassNestedModerationEnabled ExpansionServer ReportToManagerEnabled " +
		"SendOofMessageToOriginatorEnabled RecipientFilter LdapRecipientFilter IncludedRecipients RecipientContainer " +
		"ConditionalDepartment ConditionalCompany ConditionalStateOrProvince " +
		"ConditionalCustomAttribute1 ConditionalCustomAttribute2 ConditionalCustomAttribute3 ConditionalCustomAttribute4 " +
		"ConditionalCustomAttribute5 ConditionalCustomAttribute6 ConditionalCustomAttribute7 ConditionalCustomAttribute8 " +
		"ConditionalCustomAttribute9 ConditionalCustomAttribute10 ConditionalCustomAttribute11 ConditionalCustomAttribute12 " +
		"ConditionalCustomAttribute13 ConditionalCustomAttribute14 ConditionalCustomAttribute15")
	// deliveryUnmodelled: what a contact, a public folder or a
	// Get-Recipient summary can carry that is not modelled.
	deliveryUnmodelled = nameSet(delivery)
	// contactSkip: a contact's message format settings change the
	// content, not the route; a public folder's identifiers and links.
	contactSkip = nameSet(addressBook + " UsePreferMessageFormat MessageFormat MessageBodyFormat MacAttachmentFormat " +
		"UseMapiRichTextFormat MapiRecipient Contacts EntryId PublicFolderType RootUrl OnPremisesObjectId " +
		"IgnoreMissingFolderLink")
	// unifiedGroupSkip: a Microsoft 365 Group's collaboration settings
	// (SharePoint, calendar, guests, classification). Its Members are
	// those Get-UnifiedGroupLinks lists
	// (docs/behaviour.md#l75-group-members-in-exports).
	unifiedGroupSkip = nameSet(addressBook + " AccessType AllowAddGuests AlwaysSubscribeMembersToCalendarEvents " +
		"AutoSubscribeNewMembers SubscriptionEnabled CalendarMemberReadOnly CalendarUrl Classification ConnectorsEnabled " +
		"DataEncryptionPolicy ExpirationTime FileNotificationsSettings GroupMemberCount GroupExternalMemberCount " +
		"GroupPersonification GroupSKU GroupType HiddenFromExchangeClientsEnabled InboxUrl IsExternalResourcesPublished " +
		"IsMailboxConfigured IsMembershipDynamic Language MailboxProvisioningConstraint ManagedByDetails PeopleUrl PhotoUrl " +
		"ProvisioningOption ResourceBehaviorOptions ResourceProvisioningOptions SensitivityLabel SharePointDocumentsUrl " +
		"SharePointNotebookUrl SharePointSiteUrl WelcomeMessageEnabled YammerEmailAddress AuditLogAgeLimit Database " +
		"ReportToOriginatorEnabled")
	// listingSkip: Get-Recipient's summary of any recipient; what routes
	// it is read as for its type.
	listingSkip = nameSet(addressBook + " ActiveSyncMailboxPolicy ActiveSyncMailboxPolicyIsDefaulted AddressBookPolicy " +
		"ArchiveDatabase ArchiveGuid ArchiveRelease ArchiveState ArchiveStatus AuthenticationType Capabilities " +
		"CountryOrRegion Database ExchangeGuid ExchangeUserAccountControl FirstName LastName HasActiveSyncDevicePartnership " +
		"IsValidSecurityPrincipal LitigationHoldEnabled MailboxMoveBatchName MailboxMoveFlags MailboxMoveRemoteHostName " +
		"MailboxMoveSourceMDB MailboxMoveStatus MailboxMoveTargetMDB MailboxRelease Manager ManagedFolderMailboxPolicy " +
		"MobileMailboxFlags OwaMailboxPolicy Phone PostalCode ResourceType SKUAssigned ServerLegacyDN SharingPolicy " +
		"StateOrProvince StorageGroupName UMEnabled UMMailboxPolicy UMRecipientDialPlanId WhenMailboxCreated " +
		"WhenSoftDeleted WindowsLiveID RetentionPolicy ShouldUpgradeDestination MailboxPlan")
)

// recipientCmdletOf tells the cmdlet of a recipient known by its shape
// alone by its RecipientTypeDetails: Get-DistributionGroup's and
// Get-DynamicDistributionGroup's groups, Get-MailContact's and
// Get-MailPublicFolder's objects, a Microsoft 365 Group with an
// AccessType Get-UnifiedGroup's, else Get-Mailbox's family (which also
// holds the Microsoft 365 Groups written back on premises).
func recipientCmdletOf(r *record) cmdlet {
	v, _ := r.get("RecipientTypeDetails")
	name, _ := v.str()
	if n, ok := v.integer(); ok {
		name = recipientTypes[n]
	}
	for _, known := range recipientNames {
		if strings.EqualFold(known, name) {
			name = known
		}
	}
	switch recipientAs[name] {
	case topology.MailUniversalDistributionGroup, topology.MailUniversalSecurityGroup, topology.DynamicDistributionGroup:
		return distributionGroup
	case topology.MailContact, topology.PublicFolder:
		return mailContact
	case topology.GroupMailbox:
		if _, ok := r.get("AccessType"); ok { // Get-UnifiedGroup's
			return unifiedGroup
		}
	}
	return recipient
}

// groupColumns are the names of a combined member export's column naming
// the group, as "select @{n='Group';e={…}},PrimarySmtpAddress" writes it.
var groupColumns = []string{"Group", "GroupName"}

// groupColumn returns the group a combined member export's row names,
// and whether the row has such a column.
func groupColumn(r *record) (string, bool) {
	for _, n := range groupColumns {
		if v, ok := r.get(n); ok {
			s, _ := v.str()
			return strings.TrimSpace(s), true
		}
	}
	return "", false
}

// groupMemberRow is a member of a group, from Get-DistributionGroupMember,
// Get-DynamicDistributionGroupMember or Get-UnifiedGroupLinks.
type groupMemberRow struct {
	group   string // the group the row names; "" for the file's
	address string // the member's PrimarySmtpAddress
}

// convertGroupMember reads a member: its PrimarySmtpAddress and the group
// column. Its other properties describe the member, whose own object its
// own cmdlet's export carries: they are not read
// (docs/behaviour.md#l75-group-members-in-exports). A member without an
// SMTP address (not mail-enabled) gets no mail, and is dropped with a
// note.
func (c *converter) groupMember() any {
	for _, n := range groupColumns {
		c.take(n)
	}
	row := groupMemberRow{}
	row.group, _ = groupColumn(c.rec)
	v, _ := c.take("PrimarySmtpAddress")
	row.address, _ = v.str()
	row.address = strings.TrimSpace(row.address)
	if row.address == "" {
		c.note("PrimarySmtpAddress", "not imported: a member without an SMTP address is not mail-enabled and gets no mail", v)
		return nil
	}
	return row
}

func convertGroupMember(c *converter) any { return c.groupMember() }

// fileGroup returns the group a member export's file name names:
// "Get-DistributionGroupMember-Sales Team.xml" and
// "DistributionGroupMembers_Sales Team.json" name "Sales Team"; "" when
// the name stops after the cmdlet's noun.
func fileGroup(name string) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	// norm is base lower case without separators; at[i] is where its
	// byte i is in base.
	var norm []byte
	var at []int
	for i := 0; i < len(base); i++ {
		c := base[i]
		if c == '-' || c == '_' || c == ' ' {
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		norm = append(norm, c)
		at = append(at, i)
	}
	start := 0
	if strings.HasPrefix(string(norm), "get") {
		start = 3
	}
	end := -1
	for _, noun := range families[groupMember].nouns {
		if strings.HasPrefix(string(norm[start:]), noun) && start+len(noun) > end {
			end = start + len(noun)
		}
	}
	if end < 0 {
		return ""
	}
	// A plural noun ("Get-DistributionGroupMembers-Sales") names no group
	// "s".
	if end < len(norm) && norm[end] == 's' && (end+1 == len(norm) || at[end+1] > at[end]+1) {
		end++
	}
	if end >= len(norm) {
		return ""
	}
	return strings.Trim(base[at[end-1]+1:], "-_ ")
}

// groupKeys are the names a member export may give a group by: its Name,
// Alias, DisplayName, Identity, Guid, ExternalDirectoryObjectId and SMTP
// addresses, lower case.
func groupKeys(it item, r topology.Recipient) []string {
	var keys []string
	for _, p := range []string{"Name", "Alias", "DisplayName", "Identity", "Guid", "ExternalDirectoryObjectId"} {
		keys = append(keys, it.rec.text(p))
	}
	keys = append(keys, r.PrimarySmtpAddress)
	for _, a := range r.EmailAddresses {
		if i := strings.IndexByte(a, ':'); i < 0 || strings.EqualFold(a[:i], "smtp") {
			keys = append(keys, a[i+1:])
		}
	}
	for i := range keys {
		keys[i] = strings.ToLower(strings.TrimSpace(keys[i]))
	}
	return slices.DeleteFunc(keys, func(k string) bool { return k == "" })
}

// addMembers gives the groups their members from the member exports
// (docs/behaviour.md#l75-group-members-in-exports), then takes the
// members out of the items. A row names its group by its group column,
// else by its file's name; it joins every group known by that name (a
// group exported from both sides joins both), once. A group no member
// export covers is imported without members, with a note: mail to it
// expands to nobody. Rows naming no imported group are noted.
func (a *assembly) addMembers() {
	groups := map[string][]int{} // key → indexes into a.items
	for i, it := range a.items {
		if r, ok := it.val.(topology.Recipient); ok && r.RecipientTypeDetails.HasMembers() {
			for _, k := range groupKeys(it, r) {
				if !slices.Contains(groups[k], i) {
					groups[k] = append(groups[k], i)
				}
			}
		}
	}
	known := map[int]bool{}
	for _, f := range a.files {
		g := fileGroup(f.name)
		if f.cmdlet != groupMember || g == "" {
			continue
		}
		for _, i := range groups[strings.ToLower(g)] {
			known[i] = true
		}
		if len(groups[strings.ToLower(g)]) == 0 && len(f.records) == 0 {
			a.notes = append(a.notes, note{file: f.name, index: -1, path: f.name,
				message: fmt.Sprintf("not imported: no group %q is in the exports", g)})
		}
	}
	for _, it := range a.items {
		if row, ok := it.val.(groupMemberRow); ok {
			a.addMember(it, row, groups, known)
		}
	}
	for i, it := range a.items {
		if r, ok := it.val.(topology.Recipient); ok && r.RecipientTypeDetails.HasMembers() && !known[i] {
			a.notes = append(a.notes, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(),
				message: membersUnknown(r.RecipientTypeDetails)})
		}
	}
	a.items = slices.DeleteFunc(a.items, func(it item) bool {
		_, member := it.val.(groupMemberRow)
		return member
	})
}

// addMember adds a member row's address to the groups it names.
func (a *assembly) addMember(it item, row groupMemberRow, groups map[string][]int, known map[int]bool) {
	name := row.group
	if name == "" {
		name = fileGroup(it.rec.file)
	}
	if name == "" {
		a.notes = append(a.notes, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(),
			message: "not imported: the export does not say which group this member is of; name the file after the group " +
				"(Get-DistributionGroupMember-<group>.xml) or add a Group column"})
		return
	}
	targets := groups[strings.ToLower(name)]
	if len(targets) == 0 {
		a.notes = append(a.notes, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(),
			message: fmt.Sprintf("not imported: no group %q is in the exports", name)})
		return
	}
	for _, i := range targets {
		known[i] = true
		r := a.items[i].val.(topology.Recipient)
		if !slices.ContainsFunc(r.Members, func(m string) bool { return strings.EqualFold(m, row.address) }) {
			r.Members = append(r.Members, row.address)
			a.items[i].val = r
		}
	}
}

// membersUnknown is the note on a group no member export covers.
func membersUnknown(t topology.RecipientTypeDetails) string {
	switch t {
	case topology.DynamicDistributionGroup:
		return "imported without members: the library does not evaluate RecipientFilter and no Get-DynamicDistributionGroupMember " +
			"export lists them, so mail to the group expands to nobody"
	case topology.GroupMailbox:
		return "imported without members: no Get-UnifiedGroupLinks -LinkType Members export lists them, " +
			"so mail to the group reaches its mailbox only"
	}
	return "imported without members: no Get-DistributionGroupMember export lists them, so mail to the group expands to nobody"
}

// dropListed drops each Get-Recipient object when the same recipient
// (the same Guid or PrimarySmtpAddress, on the same side) also comes
// from a cmdlet of its own, or from an earlier Get-Recipient object:
// that cmdlet's object has all the properties, Get-Recipient's a summary
// (docs/behaviour.md#l76-get-recipient-and-the-cmdlets-of-each-type).
func (a *assembly) dropListed() {
	type key struct {
		tenant bool
		id     string
	}
	keys := func(it item) []key {
		r, _ := it.val.(topology.Recipient)
		var ks []key
		for _, id := range []string{"guid:" + it.rec.text("Guid"), "smtp:" + r.PrimarySmtpAddress} {
			if !strings.HasSuffix(id, ":") {
				ks = append(ks, key{it.tenant, strings.ToLower(id)})
			}
		}
		return ks
	}
	from := map[key]string{} // → the file of the object kept
	for _, it := range a.items {
		if it.cmdlet != recipientListing && isRecipient(it) {
			for _, k := range keys(it) {
				from[k] = it.rec.file
			}
		}
	}
	kept := a.items[:0]
	for _, it := range a.items {
		if it.cmdlet == recipientListing {
			ks := keys(it)
			if i := slices.IndexFunc(ks, func(k key) bool { return from[k] != "" }); i >= 0 {
				a.notes = append(a.notes, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(),
					message: "not imported: the same recipient comes from " + from[ks[i]]})
				continue
			}
			for _, k := range ks {
				from[k] = it.rec.file
			}
		}
		kept = append(kept, it)
	}
	a.items = kept
}

// publicFolderServers notes each on-premises mail-enabled public folder
// without a Server: Get-MailPublicFolder does not name the Mailbox server
// of the public folder mailbox holding its content, which delivers it
// (docs/behaviour.md#l30-mail-enabled-public-folders).
func (a *assembly) publicFolderServers() {
	for _, it := range a.items {
		if r, ok := it.val.(topology.Recipient); ok && !it.tenant && r.RecipientTypeDetails == topology.PublicFolder && r.Server == "" {
			a.notes = append(a.notes, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(), prop: "Server",
				message: "not in the export: give the Mailbox server of the public folder mailbox holding its content " +
					"(Get-PublicFolder's content mailbox, Get-Mailbox -PublicFolder's ServerName) in the topology file"})
		}
	}
}
