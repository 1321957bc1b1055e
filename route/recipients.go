package route

import (
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
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

// edgeSource returns the Send connector the server of f selects for domain
// d and the name of its source server the message would be relayed to,
// when that server is an Edge Transport server.
func (e *engine) edgeSource(f *flight, o *topology.OnPremises, d string) (connector.Send, string, bool) {
	c, sel, ok := o.SelectSend(d, f.node.Name, e.res.Message.Size)
	if !ok || sel.Local {
		return connector.Send{}, "", false
	}
	id, _ := o.SourceServer(c, sel.Reach.Site)
	src := e.node(id)
	return c, src.Name, src.ServerRole == topology.Edge
}

// sendRouteNonSMTP routes a recipient whose target address is not SMTP
// (X400, a custom type) through the Send connector with the most precise
// matching address space of that type; the message still goes to the
// connector's smart host by SMTP. With no match Exchange returns an NDR at
// once, unlike an SMTP address, which waits in the Unreachable queue
// (Microsoft: "Connector selection in external message routing";
// docs/behaviour.md#l34-non-smtp-addresses).
func (e *engine) sendRouteNonSMTP(out *outcome, f *flight, o *topology.OnPremises, rec topology.Recipient, typ, addr string) {
	prefix := out.reason + string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + ": ExternalEmailAddress " + typ + ":" + addr + "; "
	c, sel, ok := selectSendAddress(o, typ, addr, f.node.Name, e.res.Message.Size)
	switch {
	case !ok && sel.TooLarge:
		out.disp, out.status = Rejected, StatusMessageTooLarge
		out.reason = prefix + "the message (" + strconv.FormatInt(e.res.Message.Size, 10) + " bytes) is larger than the MaxMessageSize of every Send connector for that " + typ + " address: returned at once"
	case !ok:
		out.disp = Rejected
		out.reason = prefix + "no Send connector has a " + typ + " address space matching it: a non-delivery report is returned to the sender at once"
	default:
		e.sendVia(out, f, o, c, sel, "", prefix)
	}
}

// writtenBackGroup routes a Microsoft 365 Group written back to the
// on-premises directory without a target address: by its group domain,
// which must be an InternalRelay accepted domain on the hybrid Send
// connector for the mail to reach Exchange Online as internal mail. In an
// Authoritative domain on-premises users cannot send to it; in a domain
// the organization does not accept the mail leaves as to any outside
// address (Microsoft: "Configure Microsoft 365 Groups with on-premises
// Exchange hybrid": "Configure a group domain" and "Known issues";
// docs/behaviour.md#l32-microsoft-365-groups). When the Send connector for
// the group domain is sourced on an Edge Transport server, the mail ends
// in a loop and an NDR (the same known issue;
// docs/behaviour.md#l85-a-group-domain-sent-through-an-edge-transport-server).
func (e *engine) writtenBackGroup(f *flight, c *categorizer, out *outcome, g topology.Recipient) {
	d := domainOf(g.PrimarySmtpAddress)
	prefix := out.reason + "GroupMailbox " + g.PrimarySmtpAddress + " is a Microsoft 365 Group written back from Exchange Online; "
	ad, accepted := c.o.AcceptedDomain(d)
	switch {
	case accepted && ad.DomainType == topology.Authoritative:
		out.disp = Rejected
		out.reason = prefix + "its group domain " + d + " is Authoritative on premises: on-premises users cannot send mail to the group (known issue)"
	case accepted:
		prefix += "its group domain " + d + " is " + string(ad.DomainType) + ": routed by domain; "
		if sc, edge, ok := e.edgeSource(f, c.o, d); ok {
			out.disp, out.conn = Looped, sc.Name
			out.reason = prefix + "Send connector \"" + sc.Name + "\" is sourced on Edge Transport server " + edge +
				": messages to the group end up in a loop and are returned with a non-delivery report (known issue)"
			return
		}
		e.sendRoute(out, f, c.o, d, prefix)
	default:
		e.sendRoute(out, f, c.o, d, prefix+"its group domain "+d+" is not an accepted domain on premises: routed as an outside address; ")
	}
}
