package route

import (
	"strings"

	"github.com/mailflowsim/mailflow/topology"
)

// modify carries out what an Appliance that processes SMTP does to the
// message it re-sends, an email add-on service such as the signature
// service of "Integrate Microsoft 365 with an email add-on service": it
// removes and stamps headers (recorded on the hop, seen by the mail flow
// rules of later hops), keeps or drops the organization headers, and may
// rewrite the sender, change the body (breaking the DKIM signature made
// before it) and DKIM-sign the message (docs/behaviour.md#l93-dkim;
// docs/behaviour.md#l40-an-add-on-service-that-changes-the-message). It
// returns the start of the hop's reason.
func (e *engine) modify(f *flight, h *Hop) string {
	n := f.node
	var b strings.Builder
	b.WriteString(n.ID.String() + " processes SMTP: it re-sends the message with its own address and certificate")
	if n.ArcSealingDomain != "" {
		e.arcSeal(f) // what it saw on arrival, before its own changes
	}
	for name := range n.RemovesHeaders() {
		if e.hasHeader(name) {
			e.removeHeader(name)
			h.HeadersRemoved = append(h.HeadersRemoved, name)
		}
	}
	if len(h.HeadersRemoved) > 0 {
		b.WriteString(", removes " + strings.Join(h.HeadersRemoved, ", "))
	}
	var stamped []string
	for hd := range n.AddsHeaders() {
		e.setHeader(hd.Name, hd.Value)
		h.HeadersAdded = append(h.HeadersAdded, Header{Name: hd.Name, Value: hd.Value})
		stamped = append(stamped, hd.Name+": "+hd.Value)
	}
	if len(stamped) > 0 {
		b.WriteString(", stamps " + strings.Join(stamped, ", "))
	}
	switch {
	case n.KeepsOrganizationHeaders && f.arr.crossPremises:
		b.WriteString(", keeps the X-MS-Exchange-CrossPremises-* headers Exchange Online sent (CloudServicesMailEnabled)")
	case n.KeepsOrganizationHeaders:
		b.WriteString(", and has no organization headers to keep: the connector that sent the message removed them (CloudServicesMailEnabled $false)")
	default:
		b.WriteString(", drops the X-MS-Exchange-Organization and cross-premises headers")
	}
	if to := n.RewritesSenderTo; to != "" {
		e.from = to
		_, e.fromDomain, _ = splitSender(to)
		b.WriteString(", rewrites the sender (MAIL FROM) to " + to)
	}
	if n.ModifiesBody {
		b.WriteString(", changes the body")
		if e.dkimDomain != "" && !e.dkimBroken {
			e.dkimBroken = true
			b.WriteString(", which breaks the DKIM signature of " + e.dkimDomain)
		}
	}
	if n.ArcSealingDomain != "" {
		b.WriteString(", ARC-seals it with d=" + n.ArcSealingDomain)
	}
	if n.DkimSigningDomain != "" {
		e.dkimDomain, e.dkimSelector, e.dkimBroken = n.DkimSigningDomain, n.DkimSelector, false
		b.WriteString(", DKIM-signs it with d=" + n.DkimSigningDomain + " s=" + n.DkimSelector)
	}
	b.WriteString("; ")
	return b.String()
}

func (e *engine) hasHeader(name string) bool {
	for _, h := range e.headers {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

// resubmission makes a message that an Appliance processing SMTP re-sent
// to the tenant a new submission there: the tenant's mail flow rules run
// on it again, as they do on the mail an email add-on service returns
// ("Integrate Microsoft 365 with an email add-on service": the rule that
// sends mail to the service needs an exception for the header the service
// stamps, else the returned message goes to the service again). Malware
// scanning and journaling keep their first run
// (docs/behaviour.md#l41-mail-an-add-on-service-returns-is-a-new-submission).
// It reports whether the rules, which had run, will run again.
func (e *engine) resubmission(f *flight, v *visit) bool {
	if v.rules == 0 || f.arr.kind != arrSMTP {
		return false
	}
	if n := e.node(f.arr.from.id); valid(n) && n.Kind == topology.KindAppliance && !n.Transparent {
		v.rules = 0
		return true
	}
	return false
}
