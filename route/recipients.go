package route

import (
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/topology"
)

// routedToExchangeOnline reports whether an on-premises object of type t
// is reached by its RemoteRoutingAddress in Exchange Online: a remote
// mailbox ("Enable-RemoteMailbox") or a Microsoft 365 group written back
// to on-premises ("Configure Microsoft 365 Groups with on-premises Exchange
// hybrid").
func routedToExchangeOnline(t topology.RecipientTypeDetails) bool {
	return t.IsRemoteMailbox() || t == topology.GroupMailbox
}

// groupWord names a group type in reasons.
func groupWord(t topology.RecipientTypeDetails) string {
	switch t {
	case topology.MailUniversalSecurityGroup:
		return "mail-enabled security group"
	case topology.DynamicDistributionGroup:
		return "dynamic distribution group"
	}
	return "distribution group"
}

// groupMailbox delivers to a Microsoft 365 Group in Exchange Online: the
// message goes to the group's mailbox, and each of its Members (those who
// get the group's mail in their inbox, on-premises members among them)
// gets a copy, routed on its own (Microsoft: "Configure Microsoft 365
// Groups with on-premises Exchange hybrid", "Test using an on-premises
// mailbox"; docs/behaviour.md#l32-microsoft-365-groups).
//
// With centralized mail transport, mail from an external sender to a group
// "fails to be delivered, even though the group allows email from external
// senders" (the same document's known issues); Microsoft gives no status
// code (docs/behaviour.md#l33-external-mail-to-a-group-under-centralized-mail-transport).
func (e *engine) groupMailbox(o *outcome, f *flight, list []int, g topology.Recipient, x *topology.Tenant, auth AuthAs) []int {
	if auth != Internal && hasCMT(x) {
		o.disp = Rejected
		o.reason += "GroupMailbox " + g.PrimarySmtpAddress + " is a Microsoft 365 Group and the sender is external (AuthAs " + auth.String() +
			"): with centralized mail transport (RouteAllMessagesViaOnPremises) external mail to a group fails to be delivered"
		return list
	}
	o.disp = Delivered
	e.resolve(o, g.PrimarySmtpAddress)
	o.reason += "GroupMailbox " + g.PrimarySmtpAddress + " is a Microsoft 365 Group in Exchange Online: delivered to the group's mailbox"
	if len(g.Members) > 0 {
		o.reason += "; a copy goes to each of its " + strconv.Itoa(len(g.Members)) + " members: " + strings.Join(g.Members, ", ")
	}
	for _, m := range g.Members {
		list = e.addRecipient(f, list, o.rcpt, m, "member of Microsoft 365 Group "+g.PrimarySmtpAddress)
	}
	return list
}
