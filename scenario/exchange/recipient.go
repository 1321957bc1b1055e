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
		"RejectMessagesFromSendersOrMembers MaxReceiveSize MaxSendSize RecipientLimits ModerationEnabled ModeratedBy")
)

// recipientTypes are the RecipientTypeDetails values of Get-Recipient, by
// number.
var recipientTypes = map[int64]string{1: "UserMailbox", 4: "SharedMailbox", 16: "RoomMailbox", 32: "EquipmentMailbox",
	64: "MailContact", 128: "MailUser", 256: "MailUniversalDistributionGroup", 2147483648: "RemoteUserMailbox"}

// recipientAs maps the recipient types routing treats alike.
var recipientAs = map[string]topology.RecipientTypeDetails{
	"UserMailbox": topology.UserMailbox, "SharedMailbox": topology.UserMailbox, "RoomMailbox": topology.UserMailbox,
	"EquipmentMailbox": topology.UserMailbox, "LinkedMailbox": topology.UserMailbox, "SchedulingMailbox": topology.UserMailbox,
	"RemoteUserMailbox": topology.RemoteUserMailbox, "RemoteSharedMailbox": topology.RemoteUserMailbox,
	"RemoteRoomMailbox": topology.RemoteUserMailbox, "RemoteEquipmentMailbox": topology.RemoteUserMailbox,
	"MailUser": topology.MailUser, "GuestMailUser": topology.MailUser, "MailContact": topology.MailContact,
	"MailUniversalDistributionGroup": topology.MailUniversalDistributionGroup,
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

// convertRecipient converts a Get-Mailbox, Get-RemoteMailbox or
// Get-MailUser object into a [topology.Recipient]. Types routing treats
// alike become one ("SharedMailbox" is a UserMailbox), with a note.
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
	return rc
}
