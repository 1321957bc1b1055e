package analysis

import (
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
//   - [RuleUnusedConnector], [RuleUnusedRule]: each enabled connector and
//     rule that no representative message uses. A connector scoped to a
//     mail flow rule (IsTransportRuleScoped) or a rule whose conditions no
//     representative message meets is reported too: the finding says
//     which flows were tried, not that no mail ever could use it.
//
// Receive connectors are not reported unused: clients and applications
// use them, not the flow classes.
func Analyze(t *topology.Topology) []Finding {
	reaches := Reachability(t)
	type key struct {
		rule             Rule
		objects, message string
	}
	type agg struct {
		f     Finding
		flows []string
	}
	found := map[key]*agg{}
	add := func(rule Rule, objects []string, message, source, flow string) {
		slices.Sort(objects)
		objects = slices.Compact(objects)
		k := key{rule, strings.Join(objects, "\x00"), message}
		a := found[k]
		if a == nil {
			a = &agg{f: Finding{Rule: rule, Objects: objects, Message: message, Source: source}}
			found[k] = a
		}
		if flow != "" { // "" for findings about configuration no flow used
			a.flows = append(a.flows, flow)
		}
	}
	usedConn := map[string]bool{}
	usedRule := map[string]bool{}
	for _, r := range reaches {
		if r.Result == nil {
			continue
		}
		flow := r.Class.Key()
		for i := range r.Result.Recipients {
			rc := &r.Result.Recipients[i]
			for h := range rc.Hops {
				hop := &rc.Hops[h]
				if hop.Connector != "" {
					usedConn[connObject(t, hop.Node, hop.Connector, false)] = true
				}
				if hop.InboundConnector != "" {
					usedConn[connObject(t, hop.Node, hop.InboundConnector, true)] = true
				}
				for _, f := range hop.Filters {
					if f.Stage != route.TransportRules && f.Stage != route.Compliance {
						continue
					}
					for _, m := range f.Rules {
						usedRule[orgObject(t, hop.Node)+".TransportRules["+strconv.Quote(m.Name)+"]"] = true
					}
				}
			}
			analyzeRecipient(t, &r, rc, flow, add)
		}
	}
	for _, x := range t.Tenants() {
		org := `Tenants["` + x.Name() + `"]`
		for c := range x.OutboundConnectors() {
			if c.IsEnabled() && !usedConn[org+".OutboundConnectors["+strconv.Quote(c.Name)+"]"] {
				add(RuleUnusedConnector, []string{org + ".OutboundConnectors[" + strconv.Quote(c.Name) + "]"},
					"outbound connector "+strconv.Quote(c.Name)+" sends no flow class's mail: another connector (more specific, or listed first), a mail flow rule scope or DNS routing takes all of it", "reference §5.2", "")
			}
		}
		for c := range x.InboundConnectors() {
			if c.IsEnabled() && !usedConn[org+".InboundConnectors["+strconv.Quote(c.Name)+"]"] {
				add(RuleUnusedConnector, []string{org + ".InboundConnectors[" + strconv.Quote(c.Name) + "]"},
					"inbound connector "+strconv.Quote(c.Name)+" takes no flow class's mail: no sender in the topology matches it", "reference §4.1", "")
			}
		}
		for _, r := range x.TransportRules() {
			if r.IsEnabled() && !usedRule[org+".TransportRules["+strconv.Quote(r.Name)+"]"] {
				add(RuleUnusedRule, []string{org + ".TransportRules[" + strconv.Quote(r.Name) + "]"},
					"mail flow rule "+strconv.Quote(r.Name)+" matches no flow class's representative message", "reference §9.1", "")
			}
		}
	}
	for _, o := range t.OnPremisesOrgs() {
		org := `OnPremises["` + o.Name() + `"]`
		for c := range o.SendConnectors() {
			if c.IsEnabled() && !usedConn[org+".SendConnectors["+strconv.Quote(c.Name)+"]"] {
				add(RuleUnusedConnector, []string{org + ".SendConnectors[" + strconv.Quote(c.Name) + "]"},
					"Send connector "+strconv.Quote(c.Name)+" sends no flow class's mail: another connector's address space or cost wins", "reference §6.1", "")
			}
		}
		for _, r := range o.TransportRules() {
			if r.IsEnabled() && !usedRule[org+".TransportRules["+strconv.Quote(r.Name)+"]"] {
				add(RuleUnusedRule, []string{org + ".TransportRules[" + strconv.Quote(r.Name) + "]"},
					"transport rule "+strconv.Quote(r.Name)+" matches no flow class's representative message", "reference §9.1", "")
			}
		}
	}
	out := make([]Finding, 0, len(found))
	for _, a := range found {
		f := a.f
		flows := a.flows
		if len(flows) > 0 {
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

// analyzeRecipient adds the findings one recipient's trace shows.
func analyzeRecipient(t *topology.Topology, r *Reach, rc *route.Recipient, flow string, add func(rule Rule, objects []string, message, source, flow string)) {
	last := &rc.Hops[len(rc.Hops)-1]
	lastObjects := func() []string {
		var objs []string
		for h := range rc.Hops {
			if c := rc.Hops[h].Connector; c != "" {
				objs = append(objs, connObject(t, rc.Hops[h].Node, c, false))
			}
		}
		if len(objs) == 0 {
			objs = append(objs, orgObject(t, last.Node))
		}
		return objs
	}
	toMailbox := r.Class.RecipientKind == FlowMailbox || r.Class.RecipientKind == FlowGroup
	fromOutside := r.Class.SenderKind != FlowMailbox
	switch {
	case rc.Disposition == route.Looped:
		add(RuleMailLoop, lastObjects(), "mail loops "+cycle(rc)+" until "+rc.Status.Short(), "reference §11", flow)
	case tlsFailed(last):
		objs := lastObjects()
		if c := last.InboundConnector; c != "" && last.TLS != nil && last.TLS.Failure != 0 {
			objs = append(objs, connObject(t, last.Node, c, true))
		}
		status := rc.Status.Short()
		if status == "" {
			status = "queued"
		}
		add(RuleTLSNotMet, objs, "a hop requires TLS and does not get it: "+status+" at "+last.Node.String(), "reference §5.3, §12", flow)
	case toMailbox && (rc.Disposition == route.Rejected || rc.Disposition == route.Deferred):
		status := rc.Status.Short()
		if status == "" {
			status = "no status: no route"
		}
		add(RuleUndeliverable, lastObjects(), "mail to an existing recipient ends "+rc.Disposition.String()+" at "+last.Node.String()+" with "+status, "reference §14", flow)
	}
	if fromOutside && (r.Class.RecipientKind == FlowExternal || r.Class.RecipientKind == FlowInternet) && rc.Disposition == route.Relayed {
		for h := range rc.Hops[1:] {
			switch rc.Hops[h+1].Kind {
			case topology.KindEOP, topology.KindExchangeOnline, topology.KindOnPremises, topology.KindEdge:
				if isDevice(t, r.Class.Message.Origin) {
					continue // devices relaying through a connector is the documented setup
				}
				add(RuleRelaysInternetMail, []string{orgObject(t, rc.Hops[h+1].Node)},
					"mail from outside to a domain no organization accepts is relayed through "+rc.Hops[h+1].Node.String()+" and out: an open relay", "reference §6.2", flow)
				return
			}
		}
	}
	if fromOutside && toMailbox && rc.Disposition == route.Delivered && !isDevice(t, r.Class.Message.Origin) {
		for h := range rc.Hops {
			for _, f := range rc.Hops[h].Filters {
				if f.Stage == route.AntiSpam && f.Result == route.Applied {
					return
				}
			}
		}
		add(RuleInternetMailSkipsAntiSpam, []string{orgObject(t, last.Node)},
			"mail from outside reaches a mailbox on "+last.Node.String()+" and no hop filters it for spam effectively (an allow list, or EOP seeing only the hop before it: Enhanced Filtering for Connectors)", "reference §8", flow)
	}
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
