package topology

import "slices"

// More recipient types: every kind of mail-enabled object a real directory
// holds, each routed as Exchange routes it (Microsoft: "Recipient
// resolution in Exchange Server"; "Recipients in Exchange Server").
const (
	// SharedMailbox, RoomMailbox, EquipmentMailbox and DiscoveryMailbox are
	// mailboxes: mail is delivered where they live, as to a UserMailbox.
	SharedMailbox    RecipientTypeDetails = "SharedMailbox"
	RoomMailbox      RecipientTypeDetails = "RoomMailbox"
	EquipmentMailbox RecipientTypeDetails = "EquipmentMailbox"
	DiscoveryMailbox RecipientTypeDetails = "DiscoveryMailbox"
	// PublicFolderMailbox is a mailbox holding public folder content;
	// delivered like a UserMailbox.
	PublicFolderMailbox RecipientTypeDetails = "PublicFolderMailbox"
	// PublicFolder is a mail-enabled public folder: delivered to the public
	// folder mailbox holding its content, which is in Exchange Online or, on
	// premises, on Server
	// (docs/behaviour.md#l30-mail-enabled-public-folders).
	PublicFolder RecipientTypeDetails = "PublicFolder"
	// RemoteSharedMailbox, RemoteRoomMailbox and RemoteEquipmentMailbox are
	// on-premises objects for those mailboxes in Exchange Online; mail goes
	// to their RemoteRoutingAddress, as for a RemoteUserMailbox.
	RemoteSharedMailbox    RecipientTypeDetails = "RemoteSharedMailbox"
	RemoteRoomMailbox      RecipientTypeDetails = "RemoteRoomMailbox"
	RemoteEquipmentMailbox RecipientTypeDetails = "RemoteEquipmentMailbox"
	// MailUniversalSecurityGroup is a mail-enabled security group: expanded
	// like a distribution group.
	MailUniversalSecurityGroup RecipientTypeDetails = "MailUniversalSecurityGroup"
	// DynamicDistributionGroup is a group whose members a recipient filter
	// selects. The library does not evaluate filters: Members lists the
	// members the filter selects, and the organization that holds the group
	// expands it (docs/behaviour.md#l31-dynamic-distribution-groups).
	DynamicDistributionGroup RecipientTypeDetails = "DynamicDistributionGroup"
	// GroupMailbox is a Microsoft 365 Group. In Exchange Online mail is
	// delivered to the group's mailbox, and its Members (the members who
	// get the group's mail in their inbox) get copies. On premises it is
	// the group written back by Microsoft Entra Connect: mail goes to its
	// RemoteRoutingAddress when it has one, else by its group domain
	// (Microsoft: "Configure Microsoft 365 Groups with on-premises Exchange
	// hybrid"; docs/behaviour.md#l32-microsoft-365-groups).
	GroupMailbox RecipientTypeDetails = "GroupMailbox"
)

// IsMailbox reports whether mail for the type is delivered to a mailbox
// of the organization holding the object: UserMailbox, SharedMailbox,
// RoomMailbox, EquipmentMailbox, DiscoveryMailbox, PublicFolderMailbox and
// PublicFolder.
func (t RecipientTypeDetails) IsMailbox() bool {
	switch t {
	case UserMailbox, SharedMailbox, RoomMailbox, EquipmentMailbox, DiscoveryMailbox, PublicFolderMailbox, PublicFolder:
		return true
	}
	return false
}

// IsRemoteMailbox reports whether the type is an on-premises object for a
// mailbox in Exchange Online, reached by its RemoteRoutingAddress:
// RemoteUserMailbox, RemoteSharedMailbox, RemoteRoomMailbox and
// RemoteEquipmentMailbox.
func (t RecipientTypeDetails) IsRemoteMailbox() bool {
	switch t {
	case RemoteUserMailbox, RemoteSharedMailbox, RemoteRoomMailbox, RemoteEquipmentMailbox:
		return true
	}
	return false
}

// IsDistributionGroup reports whether the categorizer expands the type
// into its Members: MailUniversalDistributionGroup,
// MailUniversalSecurityGroup and DynamicDistributionGroup.
func (t RecipientTypeDetails) IsDistributionGroup() bool {
	switch t {
	case MailUniversalDistributionGroup, MailUniversalSecurityGroup, DynamicDistributionGroup:
		return true
	}
	return false
}

// HasMembers reports whether an object of the type lists Members: the
// distribution groups and GroupMailbox.
func (t RecipientTypeDetails) HasMembers() bool {
	return t.IsDistributionGroup() || t == GroupMailbox
}

// recipientTypes lists every recipient type the library models, for
// reading a type ignoring case and for Build's check.
var recipientTypes = []RecipientTypeDetails{
	UserMailbox, SharedMailbox, RoomMailbox, EquipmentMailbox, DiscoveryMailbox, PublicFolderMailbox, PublicFolder,
	RemoteUserMailbox, RemoteSharedMailbox, RemoteRoomMailbox, RemoteEquipmentMailbox,
	MailUser, MailContact,
	MailUniversalDistributionGroup, MailUniversalSecurityGroup, DynamicDistributionGroup, GroupMailbox,
}

// knownRecipientType reports whether t is a recipient type the library
// models.
func knownRecipientType(t RecipientTypeDetails) bool {
	return slices.Contains(recipientTypes, t)
}
