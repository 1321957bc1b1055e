package exchange

import (
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/mailflowsim/mailflow/topology"
)

// Get-Mailbox, Get-RemoteMailbox and Get-MailUser: names, directory
// identifiers and address book settings do not change routing.
var (
	recipientSkip = nameSet("Alias DisplayName SamAccountName UserPrincipalName Database FirstName LastName Initials " +
		"WindowsEmailAddress WindowsLiveID MicrosoftOnlineServicesID ExchangeGuid ArchiveGuid LegacyExchangeDN " +
		"HiddenFromAddressListsEnabled OrganizationalUnit IsDirSynced RecipientType ExternalDirectoryObjectId")
	recipientUnmodelled = nameSet("ForwardingAddress AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers " +
		"AcceptMessagesOnlyFromSendersOrMembers RejectMessagesFrom RejectMessagesFromDLMembers " +
		"RejectMessagesFromSendersOrMembers MaxReceiveSize MaxSendSize RecipientLimits ModerationEnabled ModeratedBy RecipientFilter")
)

// recipientTypes are the RecipientTypeDetails values of Get-Recipient, by
// number.
var recipientTypes = map[int64]string{1: "UserMailbox", 2: "LinkedMailbox", 4: "SharedMailbox", 16: "RoomMailbox", 32: "EquipmentMailbox",
	64: "MailContact", 128: "MailUser", 256: "MailUniversalDistributionGroup", 512: "MailNonUniversalGroup", 1024: "MailUniversalSecurityGroup",
	2048: "DynamicDistributionGroup", 4096: "PublicFolder", 32768: "MailForestContact", 268435456: "RoomList",
	536870912: "DiscoveryMailbox", 2147483648: "RemoteUserMailbox",
	8589934592: "RemoteRoomMailbox", 17179869184: "RemoteEquipmentMailbox", 34359738368: "RemoteSharedMailbox",
	68719476736: "PublicFolderMailbox", 1099511627776: "GroupMailbox"}

// recipientAs maps the recipient types to the library's: each modelled
// type to itself, and the types routing treats alike to the one they
// route as.
var recipientAs = map[string]topology.RecipientTypeDetails{
	"UserMailbox": topology.UserMailbox, "SharedMailbox": topology.SharedMailbox, "RoomMailbox": topology.RoomMailbox,
	"EquipmentMailbox": topology.EquipmentMailbox, "LinkedMailbox": topology.UserMailbox, "SchedulingMailbox": topology.UserMailbox,
	"DiscoveryMailbox": topology.DiscoveryMailbox, "PublicFolderMailbox": topology.PublicFolderMailbox, "PublicFolder": topology.PublicFolder,
	"RemoteUserMailbox": topology.RemoteUserMailbox, "RemoteSharedMailbox": topology.RemoteSharedMailbox,
	"RemoteRoomMailbox": topology.RemoteRoomMailbox, "RemoteEquipmentMailbox": topology.RemoteEquipmentMailbox,
	"MailUser": topology.MailUser, "GuestMailUser": topology.MailUser, "MailContact": topology.MailContact,
	"MailForestContact":              topology.MailContact,
	"MailUniversalDistributionGroup": topology.MailUniversalDistributionGroup,
	// A room list is a distribution group of rooms ("Create room lists"
	// is Set-DistributionGroup -RoomList); a non-universal group is
	// expanded like a universal one.
	"RoomList": topology.MailUniversalDistributionGroup, "MailNonUniversalGroup": topology.MailUniversalDistributionGroup,
	"MailUniversalSecurityGroup": topology.MailUniversalSecurityGroup,
	"DynamicDistributionGroup":   topology.DynamicDistributionGroup,
	"GroupMailbox":               topology.GroupMailbox, "RemoteGroupMailbox": topology.GroupMailbox,
}

// recipientNames is the recipient type table with every name the
// importer knows, numbered or not (names without a known number get
// negative keys, which no export carries).
var recipientNames = func() map[int64]string {
	m := maps.Clone(recipientTypes)
	var extra []string
	for s := range recipientAs {
		if !slices.Contains(slices.Collect(maps.Values(recipientTypes)), s) {
			extra = append(extra, s)
		}
	}
	slices.Sort(extra)
	for i, s := range extra {
		m[int64(-1-i)] = s
	}
	return m
}()

// convertRecipient converts an object of any recipient cmdlet (Get-Mailbox,
// Get-RemoteMailbox, Get-MailUser, Get-DistributionGroup,
// Get-DynamicDistributionGroup, Get-MailContact, Get-MailPublicFolder,
// Get-UnifiedGroup, Get-Recipient) into a [topology.Recipient] of its
// RecipientTypeDetails. Types routing treats alike become one
// ("LinkedMailbox" is a UserMailbox, a "RoomList" a distribution group),
// with a note. A group's members come from other exports
// ([assembly.addMembers]).
func convertRecipient(c *converter) any {
	var rc topology.Recipient
	if t, ok := c.enum("RecipientTypeDetails", recipientNames); ok {
		v, _ := c.rec.get("RecipientTypeDetails")
		as, known := recipientAs[t]
		switch {
		case !known:
			c.note("RecipientTypeDetails", fmt.Sprintf("not imported: recipient type %s is not modelled", t), v)
		case string(as) != t:
			c.note("RecipientTypeDetails", fmt.Sprintf("imported as %s: routing treats a %s alike", as, t), v)
		}
		rc.RecipientTypeDetails = as
	}
	if v, ok := c.take("ServerName"); ok {
		rc.Server, _ = v.str()
	}
	c.rest(reflect.ValueOf(&rc).Elem())
	if rc.RecipientTypeDetails == topology.PublicFolder && rc.ExternalEmailAddress != "" {
		// docs/behaviour.md#l30-mail-enabled-public-folders
		v, _ := c.rec.get("ExternalEmailAddress")
		c.note("ExternalEmailAddress", "imported as MailUser: a mail-enabled public folder with an external address is the other organization's folder, synchronized, and routes to that address", v)
		rc.RecipientTypeDetails = topology.MailUser
	}
	return rc
}
