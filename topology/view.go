package topology

import (
	"regexp"

	"github.com/mailflowsim/mailflow/internal/topoview"
)

// Package route reads nodes, recipients and connectors through these, in place:
// see package internal/topoview.
func init() {
	topoview.TenantRecipient = func(x *Tenant, address string) (Recipient, bool) { return x.dir.lookup(address) }
	topoview.OnPremisesRecipient = func(o *OnPremises, address string) (Recipient, bool) { return o.dir.lookup(address) }
	topoview.FindMailbox = (*Topology).findMailbox
	topoview.Node = (*Topology).nodeRef
	topoview.ResolveHost = (*Topology).resolveHost
	topoview.Internet = (*Topology).internetRef
	topoview.RulesFor = func(org any, sender, rcpt string) ([]TransportRule, []int) {
		switch o := org.(type) {
		case *Tenant:
			return o.rules, o.ruleIx.candidates(&o.dir, sender, rcpt)
		case *OnPremises:
			return o.rules, o.ruleIx.candidates(&o.dir, sender, rcpt)
		}
		return nil, nil
	}
	topoview.Pattern = func(t *Topology, pat string) *regexp.Regexp { return t.patterns[pat] }
	topoview.CentralizedTransport = (*Tenant).centralizedTransport
	topoview.SelectOutbound = (*Tenant).selectOutbound
	topoview.OutboundConnector = (*Tenant).outboundConnector
	topoview.InboundConnector = (*Tenant).inboundConnector
	topoview.SelectSend = (*OnPremises).selectSend
	topoview.SelectSendAddress = (*OnPremises).selectSendAddress
	topoview.SelectReceive = (*OnPremises).selectReceive
	topoview.TenantRecipients = func(x *Tenant) []Recipient { return x.dir.recipients }
	topoview.OnPremisesRecipients = func(o *OnPremises) []Recipient { return o.dir.recipients }
	topoview.CertificateNames = func(c NodeCertificate) []string {
		if c.c == nil {
			return nil
		}
		return c.c.CertificateDomains
	}
}
