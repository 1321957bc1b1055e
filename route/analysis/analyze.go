package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// maxFlowsNamed is how many flow classes a finding names before "and N
// more".
const maxFlowsNamed = 3

// Analyze traces every flow class of t ([Reachability]) and reports what
// the flows show, as findings sorted by [Finding.Compare]:
//
//   - [RuleMailLoop], [RuleUndeliverable], [RuleTLSNotMet],
//     [RuleRelaysInternetMail], [RuleInternetMailSkipsAntiSpam]: for the
//     flows concerned, one finding per rule and configuration object (the
//     connectors, recipients or organizations involved), naming up to three
//     flow classes;
//   - [RuleSPFMissesSender], [RuleSPFJudgesGateway],
//     [RuleForwardingFailsDMARC]: the same, from the email authentication
//     the flows meet where they are received;
//   - [RuleUnusedConnector], [RuleUnusedRule]: each enabled connector and
//     rule that no representative message uses. A connector scoped to a
//     mail flow rule (IsTransportRuleScoped) or a rule whose conditions no
//     representative message meets is reported too: the finding says
//     which flows were tried, not that no mail ever could use it.
//
// Receive connectors are not reported unused: clients and applications
// use them, not the flow classes.
func Analyze(t *topology.Topology) ([]Finding, error) {
	reach, err := Reachability(t)
	if err != nil {
		return nil, err
	}
	a := &aggregator{found: map[aggKey]*aggregate{}}
	u := usage{conns: map[string]bool{}, rules: map[string]bool{}, sending: map[*topology.OnPremises]bool{}}
	for _, r := range reach {
		if r.Result == nil {
			continue
		}
		for i := range r.Result.Recipients {
			rc := &r.Result.Recipients[i]
			u.record(t, rc)
			analyzeRecipient(t, a, &r, rc)
			analyzeAuthentication(t, a, r.Result, rc, r.Class.Key())
		}
	}
	for x := range t.Tenants() {
		u.reportTenant(a, x)
	}
	for o := range t.OnPremisesOrgs() {
		u.reportOnPremises(a, o)
	}
	return a.findings(), nil
}

// aggKey identifies a finding of Analyze before the flows are added to
// its message.
type aggKey struct {
	rule             Rule
	objects, message string
}

// aggregate is a finding and the flows that show it.
type aggregate struct {
	f     Finding
	flows []string
}

// aggregator collects Analyze's findings, one per rule, objects and
// message, with the flows that show each.
type aggregator struct {
	found map[aggKey]*aggregate
}

// add records that flow shows the finding; flow is "" for findings about
// configuration no flow used.
func (a *aggregator) add(rule Rule, objects []string, message, source, flow string) {
	objects = slices.DeleteFunc(slices.Clone(objects), func(o string) bool { return o == "" })
	slices.Sort(objects)
	objects = slices.Compact(objects)
	k := aggKey{rule, strings.Join(objects, "\x00"), message}
	g := a.found[k]
	if g == nil {
		g = &aggregate{f: Finding{Rule: rule, Objects: objects, Message: message, Source: source}}
		a.found[k] = g
	}
	if flow != "" {
		g.flows = append(g.flows, flow)
	}
}

// findings returns the findings, each message naming up to maxFlowsNamed
// flows, sorted by [Finding.Compare].
func (a *aggregator) findings() []Finding {
	out := make([]Finding, 0, len(a.found))
	for _, g := range a.found {
		f := g.f
		if flows := g.flows; len(flows) > 0 {
			shown := flows[:min(len(flows), maxFlowsNamed)]
			f.Message += " (flows: " + strings.Join(shown, "; ")
			if n := len(flows) - len(shown); n > 0 {
				f.Message += "; and " + strconv.Itoa(n) + " more"
			}
			f.Message += ")"
		}
		out = append(out, f)
	}
	sortFindings(out)
	return out
}

// usage is the connectors and rules the traces used, by object name.
type usage struct {
	conns, rules map[string]bool
	// sending: the on-premises organizations where some trace sent through
	// a Send connector.
	sending map[*topology.OnPremises]bool
}

// record notes the connectors and the mail flow and transport rules a
// recipient's trace used.
func (u usage) record(t *topology.Topology, rc *route.Recipient) {
	for h := range rc.Hops {
		hop := &rc.Hops[h]
		if hop.Connector != "" {
			u.conns[connObject(t, hop.Node, hop.Connector, false)] = true
			if n, ok := t.Node(hop.Node); ok && n.OnPremises() != nil {
				u.sending[n.OnPremises()] = true
			}
		}
		if hop.InboundConnector != "" {
			u.conns[connObject(t, hop.Node, hop.InboundConnector, true)] = true
		}
		for _, f := range hop.Filters {
			if f.Stage != route.TransportRules && f.Stage != route.Compliance {
				continue
			}
			for _, m := range f.Rules {
				u.rules[orgObject(t, hop.Node)+".TransportRules["+strconv.Quote(m.Name)+"]"] = true
			}
		}
	}
}

// reportTenant reports the tenant's enabled connectors and mail flow
// rules that no trace used.
func (u usage) reportTenant(a *aggregator, x *topology.Tenant) {
	org := `Tenants["` + x.Name() + `"]`
	for c := range x.OutboundConnectors() {
		// Outbound connector selection: "Set up connectors to route mail
		// between Microsoft 365 and your own email servers".
		if obj := org + ".OutboundConnectors[" + strconv.Quote(c.Name) + "]"; c.IsEnabled() && !u.conns[obj] {
			a.add(RuleUnusedConnector, []string{obj},
				"outbound connector "+strconv.Quote(c.Name)+" sends no flow class's mail: another connector (more specific, or listed first), a mail flow rule scope or DNS routing takes all of it", "Configure mail flow using connectors in Exchange Online", "")
		}
	}
	for c := range x.InboundConnectors() {
		// Inbound connector matching: "Inbound connector FAQ".
		if obj := org + ".InboundConnectors[" + strconv.Quote(c.Name) + "]"; c.IsEnabled() && !u.conns[obj] {
			a.add(RuleUnusedConnector, []string{obj},
				"inbound connector "+strconv.Quote(c.Name)+" takes no flow class's mail: no sender in the topology matches it", "Inbound connector FAQ", "")
		}
	}
	u.reportRules(a, org, slices.Collect(x.TransportRules()), "mail flow rule ")
}

// reportOnPremises reports the organization's enabled Send connectors and
// transport rules that no trace used.
func (u usage) reportOnPremises(a *aggregator, o *topology.OnPremises) {
	org := `OnPremises["` + o.Name() + `"]`
	for c := range o.SendConnectors() {
		// Send connector selection: "Send connectors".
		if obj := org + ".SendConnectors[" + strconv.Quote(c.Name) + "]"; c.IsEnabled() && !u.conns[obj] {
			why := "another connector's address space or cost wins"
			if !u.sending[o] {
				why = "no flow class's mail leaves the organization's servers through a Send connector (no mailbox there sends to another organization and no mail is routed through it)"
			}
			a.add(RuleUnusedConnector, []string{obj}, "Send connector "+strconv.Quote(c.Name)+" sends no flow class's mail: "+why, "Send connectors", "")
		}
	}
	u.reportRules(a, org, slices.Collect(o.TransportRules()), "transport rule ")
}

// reportRules reports the enabled rules of org that no trace matched
// ("Mail flow rules in Exchange Online"); what names the kind of rule.
func (u usage) reportRules(a *aggregator, org string, rules []topology.TransportRule, what string) {
	for _, r := range rules {
		if obj := org + ".TransportRules[" + strconv.Quote(r.Name) + "]"; r.IsEnabled() && !u.rules[obj] {
			a.add(RuleUnusedRule, []string{obj}, what+strconv.Quote(r.Name)+" matches no flow class's representative message", "Mail flow rules (transport rules) in Exchange Online", "")
		}
	}
}

// analyzeRecipient adds the findings one recipient's trace shows.
func analyzeRecipient(t *topology.Topology, a *aggregator, r *Reach, rc *route.Recipient) {
	flow := r.Class.Key()
	toMailbox := r.Class.RecipientKind == FlowMailbox || r.Class.RecipientKind == FlowGroup
	fromOutside := r.Class.SenderKind != FlowMailbox
	analyzeEnd(t, a, rc, toMailbox, flow)
	device := isDevice(t, r.Class.Message.Origin)
	if fromOutside && !device && (r.Class.RecipientKind == FlowExternal || r.Class.RecipientKind == FlowInternet) && rc.Disposition == route.Relayed {
		analyzeRelay(t, a, rc, flow)
	}
	if fromOutside && !device && toMailbox && rc.Disposition == route.Delivered {
		analyzeAntiSpam(t, a, rc, flow)
	}
}

// pathObjects names the connectors a recipient's copy was sent on, or, if
// none, the organization of its last hop.
func pathObjects(t *topology.Topology, rc *route.Recipient) []string {
	var objs []string
	for h := range rc.Hops {
		if c := rc.Hops[h].Connector; c != "" {
			objs = append(objs, connObject(t, rc.Hops[h].Node, c, false))
		}
	}
	if len(objs) == 0 {
		objs = append(objs, orgObject(t, rc.Hops[len(rc.Hops)-1].Node))
	}
	return objs
}

// analyzeEnd adds the finding of how the recipient's trace ended: a loop
// ("Fix email delivery issues for error codes 5.4.6 through 5.4.20 in
// Exchange Online"), TLS not met ("Configure mail flow using connectors in
// Exchange Online"; "Message retry, resubmit, and expiration intervals"),
// or mail to an existing recipient rejected or deferred ("Email
// non-delivery reports and SMTP errors in Exchange Online").
func analyzeEnd(t *topology.Topology, a *aggregator, rc *route.Recipient, toMailbox bool, flow string) {
	last := &rc.Hops[len(rc.Hops)-1]
	switch {
	case rc.Disposition == route.Looped:
		a.add(RuleMailLoop, pathObjects(t, rc), "mail loops "+cycle(rc)+" until "+rc.Status.Short(), "Fix email delivery issues for error codes 5.4.6 through 5.4.20 in Exchange Online", flow)
	case tlsFailed(last):
		objs := pathObjects(t, rc)
		if c := last.InboundConnector; c != "" && last.TLS != nil && last.TLS.Failure != 0 {
			objs = append(objs, connObject(t, last.Node, c, true))
		}
		status := cmp.Or(rc.Status.Short(), "queued")
		a.add(RuleTLSNotMet, objs, "a hop requires TLS and does not get it: "+status+" at "+last.Node.String(), "Email non-delivery reports and SMTP errors in Exchange Online", flow)
	case toMailbox && (rc.Disposition == route.Rejected || rc.Disposition == route.Deferred):
		status := cmp.Or(rc.Status.Short(), "no status: no route")
		a.add(RuleUndeliverable, pathObjects(t, rc), "mail to an existing recipient ends "+rc.Disposition.String()+" at "+last.Node.String()+" with "+status, "Email non-delivery reports and SMTP errors in Exchange Online", flow)
	}
}

// analyzeRelay adds a finding for mail from outside, not from a device,
// to a domain no organization accepts that an organization relayed: the
// first organization node it passed through is an open relay (Allow
// anonymous relay on Exchange servers). Devices relaying through a
// connector is the documented setup.
func analyzeRelay(t *topology.Topology, a *aggregator, rc *route.Recipient, flow string) {
	for _, h := range rc.Hops[1:] {
		switch h.Kind {
		case topology.KindEOP, topology.KindExchangeOnline, topology.KindOnPremises, topology.KindEdge:
			a.add(RuleRelaysInternetMail, []string{orgObject(t, h.Node)},
				"mail from outside to a domain no organization accepts is relayed through "+h.Node.String()+" and out: an open relay", "Allow anonymous relay on Exchange servers", flow)
			return
		}
	}
}

// analyzeAntiSpam adds a finding for mail from outside, delivered to a
// mailbox, that no hop filtered for spam effectively (Enhanced Filtering
// for Connectors in Exchange Online).
func analyzeAntiSpam(t *topology.Topology, a *aggregator, rc *route.Recipient, flow string) {
	for h := range rc.Hops {
		for _, f := range rc.Hops[h].Filters {
			if f.Stage == route.AntiSpam && f.Result == route.Applied {
				return
			}
		}
	}
	last := rc.Hops[len(rc.Hops)-1].Node
	a.add(RuleInternetMailSkipsAntiSpam, []string{orgObject(t, last)},
		"mail from outside reaches a mailbox on "+last.String()+" and no hop filters it for spam effectively (an allow list, or EOP seeing only the hop before it: Enhanced Filtering for Connectors)", "Enhanced Filtering for Connectors in Exchange Online", flow)
}

func isDevice(t *topology.Topology, id topology.NodeID) bool {
	n, ok := t.Node(id)
	return ok && n.Kind == topology.KindDevice
}

// tlsFailed reports whether the recipient's last hop ended it for want of
// TLS: the connection it received on, or the one it opened, failed a
// requirement.
func tlsFailed(h *route.Hop) bool {
	return h.SendTLS != nil || h.TLS != nil && h.TLS.Failure != 0
}

// cycle names the loop in a recipient's path: the nodes from the first
// node that comes back to its return, "a > b > a".
func cycle(rc *route.Recipient) string {
	seen := map[topology.NodeID]int{}
	for i, h := range rc.Hops {
		if j, ok := seen[h.Node]; ok {
			var parts []string
			for _, x := range rc.Hops[j : i+1] {
				parts = append(parts, x.Node.String())
			}
			return strings.Join(parts, " > ")
		}
		seen[h.Node] = i
	}
	return path(rc)
}

// orgObject names the organization a node belongs to, as findings do.
func orgObject(t *topology.Topology, id topology.NodeID) string {
	n, _ := t.Node(id)
	switch {
	case n.Tenant() != nil:
		return `Tenants["` + n.Tenant().Name() + `"]`
	case n.OnPremises() != nil:
		return `OnPremises["` + n.OnPremises().Name() + `"]`
	}
	return `External["` + n.Org + `"]`
}

// connObject names a connector a hop used: inbound (received on) or not.
func connObject(t *topology.Topology, id topology.NodeID, name string, inbound bool) string {
	n, _ := t.Node(id)
	list := ""
	switch {
	case n.Tenant() != nil && inbound:
		list = "InboundConnectors"
	case n.Tenant() != nil:
		list = "OutboundConnectors"
	case n.OnPremises() != nil && inbound:
		list = "ReceiveConnectors"
	case n.OnPremises() != nil:
		list = "SendConnectors"
	default:
		return fmt.Sprintf("%s.Connectors[%q]", orgObject(t, id), name)
	}
	return orgObject(t, id) + "." + list + "[" + strconv.Quote(name) + "]"
}
