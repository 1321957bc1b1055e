package topology

import "github.com/mailflowsim/mailflow/connector"

// SelectSendAddress returns the Send connector for a recipient whose
// target address is of the non-SMTP type typ (X400, or a custom type) when
// a message of size bytes is categorized on the named server, and false
// when no address space of that type matches: Exchange then returns an NDR
// at once (Microsoft: "Connector selection in external message routing";
// docs/behaviour.md#l34-non-smtp-addresses).
func (o *OnPremises) SelectSendAddress(typ, address, server string, size int64) (connector.Send, connector.SendSelection, bool) {
	c, sel, ok := o.selectSendAddress(typ, address, server, size)
	return c.Clone(), sel, ok
}

// selectSendAddress is SelectSendAddress sharing the connector's slices.
func (o *OnPremises) selectSendAddress(typ, address, server string, size int64) (connector.Send, connector.SendSelection, bool) {
	from := connector.Origin{Server: server, Reach: func(i int) (connector.Reach, bool) { return o.reach(&o.send[i], server) }}
	sel, ok := o.sendTable.LookupAddress(typ, address, from, size)
	if !ok {
		return connector.Send{}, sel, false
	}
	return o.send[sel.Index], sel, true
}

// NonSMTPTarget returns the type and address of a MailUser's or
// MailContact's ExternalEmailAddress when it is not an SMTP address
// ("X400:c=US;a= ;p=Fabrikam;s=Smith" gives "X400" and
// "c=US;a= ;p=Fabrikam;s=Smith"), and false otherwise.
func (r Recipient) NonSMTPTarget() (typ, address string, ok bool) {
	if r.RecipientTypeDetails != MailUser && r.RecipientTypeDetails != MailContact || r.ExternalEmailAddress == "" {
		return "", "", false
	}
	p, a, isSMTP := splitProxy(r.ExternalEmailAddress)
	if isSMTP {
		return "", "", false
	}
	return p, a, true
}
