package analysis

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/topology"
)

// received is what email authentication finds, or would find, where a
// recipient's copy enters another organization at hop i of its path: the
// receiving tenant's own results when it is modelled, or SPF and DMARC
// evaluated as a receiver would on the connection when the copy leaves
// the modelled organizations. hidden: the receiving tenant judged a host
// in front of it, not the sender (no Enhanced Filtering for Connectors).
type received struct {
	i      int // the receiving hop
	spf    auth.SPF
	dmarc  *auth.DMARC
	dkim   *auth.DKIM
	hidden bool
}

// authentication returns what a recipient's copy met where it entered a
// modelled tenant from outside, and where it left the modelled
// organizations (a copy relayed to an external system or the Internet),
// in path order. It is empty for a topology that declares no DNS records
// (docs/behaviour.md#l91-where-spf-is-evaluated).
func authentication(t *topology.Topology, res *route.Result, rc *route.Recipient) []received {
	z := t.DNS()
	if !z.Declared() {
		return nil
	}
	var out []received
	for i := 1; i < len(rc.Hops); i++ {
		h := &rc.Hops[i]
		if a := h.Authentication; a != nil && a.SPF != nil {
			f, _ := h.Filter(route.AntiSpam)
			out = append(out, received{i: i, spf: *a.SPF, dmarc: a.DMARC, dkim: a.DKIM, hidden: f.Result == route.NotEffective})
			continue
		}
		if i != len(rc.Hops)-1 || rc.Disposition != route.Relayed || (h.Kind != topology.KindInternet && h.Kind != topology.KindPartner) {
			continue
		}
		prev := &rc.Hops[i-1]
		n, ok := t.Node(prev.Node)
		if !ok || prev.Node == t.Internet().ID {
			continue
		}
		ip := n.IPAddress
		if n.Kind == topology.KindEOP && !ip.IsValid() {
			ip = topology.EOPSendingIP // docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from
		}
		s := auth.CheckSPF(z.Resolver(), ip, senderAt(res, rc, i-1), firstHost(n))
		k := dkimAt(rc, i)
		d := auth.CheckDMARC(z.Resolver(), fromDomain(res), s, k)
		out = append(out, received{i: i, spf: s, dmarc: &d, dkim: &k})
	}
	return out
}

// dkimAt returns the DKIM result the copy is predicted to carry when it
// leaves for hop i: the last one a hop before i found, the signature it
// was received with (forwarding changes no body), else none. A signature
// added or broken after that hop is not seen
// (docs/behaviour.md#l98-authentication-findings).
func dkimAt(rc *route.Recipient, i int) auth.DKIM {
	for j := i - 1; j >= 0; j-- {
		if a := rc.Hops[j].Authentication; a != nil && a.DKIM != nil {
			return *a.DKIM
		}
	}
	return auth.DKIM{Result: auth.DKIMNone, Reason: "message not signed"}
}

// senderAt returns the envelope sender the copy left hop i with.
func senderAt(res *route.Result, rc *route.Recipient, i int) string {
	for j := i; j >= 0; j-- {
		if s := rc.Hops[j].Sender; s != "" {
			return s
		}
	}
	return res.Message.From
}

// fromDomain returns the domain of the message's From header, or of its
// envelope sender without one, as DMARC reads it
// (docs/behaviour.md#l92-dmarc-and-composite-authentication).
func fromDomain(res *route.Result) string {
	for _, h := range res.Message.Headers {
		if strings.EqualFold(h.Name, "From") && strings.Contains(h.Value, "@") {
			return domainOf(strings.Trim(h.Value, "<> "))
		}
	}
	if !strings.Contains(res.Message.From, "@") {
		return ""
	}
	return domainOf(res.Message.From)
}

// firstHost returns the node's first host name, the HELO name.
func firstHost(n topology.Node) string {
	for h := range n.Hosts() {
		return h
	}
	return ""
}

// forwarded reports whether the recipient's copy is one an organization
// sent on for another address: forwarding or a mail flow rule redirected
// the recipient (REDIRECT), or added it.
func forwarded(res *route.Result, rc *route.Recipient) bool {
	if !slices.ContainsFunc(res.Message.To, func(a string) bool { return strings.EqualFold(a, rc.Address) }) {
		return true
	}
	return slices.ContainsFunc(rc.Hops, func(h route.Hop) bool { return slices.Contains(h.Events, route.REDIRECT) })
}

// analyzeAuthentication adds the findings of the authentication a
// recipient's copy met: a sender whose SPF does not cover the host it
// sends from, for its own domain ("Set up SPF to help prevent spoofing"), a tenant that
// judges a gateway in front of it ("Enhanced Filtering for Connectors in
// Exchange Online"), and a forwarded copy that fails DMARC where it is
// received ("Sender Rewriting Scheme (SRS) in Microsoft 365"; "Set up
// DMARC to validate the From address domain for cloud senders").
func analyzeAuthentication(t *topology.Topology, a *aggregator, res *route.Result, rc *route.Recipient, flow string) {
	for _, r := range authentication(t, res, rc) {
		at, prev := rc.Hops[r.i].Node, rc.Hops[r.i-1]
		switch {
		case r.hidden:
			objs := []string{orgObject(t, at)}
			if c := rc.Hops[r.i].InboundConnector; c != "" {
				objs = append(objs, connObject(t, at, c, true))
			}
			a.add(RuleSPFJudgesGateway, objs,
				"SPF and DMARC at "+at.String()+" are evaluated on "+addr(r.spf.IP)+", the address of "+prev.Node.String()+" in front of it, not the sender's: Internet senders' SPF fails or finds nothing there and their DMARC policies are not honoured, until Enhanced Filtering for Connectors skips that host",
				"Enhanced Filtering for Connectors in Exchange Online", flow)
		case (r.spf.Result == auth.SPFFail || r.spf.Result == auth.SPFSoftFail) && owns(t, prev.Node, r.spf.MailFrom) && !forwarded(res, rc):
			a.add(RuleSPFMissesSender, []string{orgObject(t, prev.Node)},
				"the SPF record of "+r.spf.MailFrom+" does not cover "+addr(r.spf.IP)+", the address "+prev.Node.String()+" sends from: spf="+string(r.spf.Result)+" where its mail is received",
				"Set up SPF to help prevent spoofing", flow)
		}
		d := r.dmarc
		if d == nil || d.Result != auth.DMARCFail || d.Policy != auth.PolicyReject && d.Policy != auth.PolicyQuarantine {
			continue
		}
		if forwarded(res, rc) {
			a.add(RuleForwardingFailsDMARC, []string{orgObject(t, prev.Node)},
				"the copy forwarded to "+rc.Address+" fails DMARC for "+d.HeaderFrom+" (p="+string(d.Policy)+") where "+at.String()+" receives it: its envelope sender "+r.spf.MailFrom+" (spf="+string(r.spf.Result)+") is not aligned with the From domain and no aligned DKIM signature passes",
				"Sender Rewriting Scheme (SRS) in Microsoft 365; Set up DMARC to validate the From address domain for cloud senders", flow)
		}
		if r.dkim != nil && r.dkim.Result == auth.DKIMFail {
			if n, ok := bodyChanger(t, rc, r.i); ok {
				a.add(RuleDKIMBrokenByHop, []string{orgObject(t, n.ID)},
					n.ID.String()+" changes the body of the mail it passes on, which breaks the DKIM signature of "+r.dkim.Domain+": mail from "+d.HeaderFrom+
						" (p="+string(d.Policy)+") fails DMARC where "+at.String()+" receives it",
					"RFC 6376, section 3.7; Set up DMARC to validate the From address domain for cloud senders", flow)
			}
		}
	}
}

// bodyChanger returns the last node before hop i of the recipient's path
// that changes the body it passes on (an Appliance with ModifiesBody).
func bodyChanger(t *topology.Topology, rc *route.Recipient, i int) (topology.Node, bool) {
	for j := i - 1; j >= 0; j-- {
		if n, ok := t.Node(rc.Hops[j].Node); ok && n.ModifiesBody {
			return n, true
		}
	}
	return topology.Node{}, false
}

// owns reports whether domain is the sending node's own: an accepted
// domain of its organization, or a domain of the external system. A host
// that relays another domain's mail (a gateway) does not own it.
func owns(t *topology.Topology, id topology.NodeID, domain string) bool {
	n, ok := t.Node(id)
	switch {
	case !ok || id == t.Internet().ID:
		return false
	case n.Tenant() != nil:
		_, ok = n.Tenant().AcceptedDomain(domain)
		return ok
	case n.OnPremises() != nil:
		_, ok = n.OnPremises().AcceptedDomain(domain)
		return ok
	}
	e, ok := t.ExternalSystem(domain)
	return ok && e.ID == id
}

// addr writes an address, "no address" when there is none.
func addr(ip netip.Addr) string {
	if !ip.IsValid() {
		return "no address"
	}
	return ip.String()
}
