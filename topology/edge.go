package topology

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
)

// edgeSubscriptions validates an organization's Edge subscriptions and adds
// the EdgeSync Send connectors, one pair per subscribed site, sourced on the
// site's subscribed Edge servers (Microsoft: "Edge Subscriptions").
func (b *builder) edgeSubscriptions(o *OnPremises, obj string, subs []EdgeSubscription) {
	o.edgeSites = map[string]string{}
	bySite := map[string][]string{}
	for _, e := range sortedBy(subs, func(e EdgeSubscription) string { return strings.ToLower(e.Name) }) {
		eobj := fmt.Sprintf("%s.EdgeSubscriptions[%q]", obj, e.Name)
		i := o.serverIndex(e.Name)
		switch {
		case i < 0:
			b.ps.add(eobj, "Name", fmt.Sprintf("%q is not a server of the organization", e.Name))
			continue
		case o.servers[i].spec.Role != Edge:
			b.ps.add(eobj, "Name", fmt.Sprintf("%q is %s server; only Edge Transport servers are subscribed", e.Name, article(string(o.servers[i].spec.Role))))
			continue
		case o.edgeSites[strings.ToLower(e.Name)] != "":
			b.ps.add(eobj, "Name", "an Edge Transport server has one subscription")
			continue
		}
		site := ""
		for _, s := range o.servers {
			if s.spec.Role == Mailbox && strings.EqualFold(siteOf(s.spec), cmp.Or(e.Site, DefaultSite)) {
				site = siteOf(s.spec)
				break
			}
		}
		if site == "" {
			b.ps.add(eobj, "Site", fmt.Sprintf("no Mailbox server of the organization is in site %q", cmp.Or(e.Site, DefaultSite)))
			continue
		}
		name := o.servers[i].spec.Name
		o.edgeSites[strings.ToLower(name)] = site
		b.t.nodes[b.t.index[o.servers[i].id]].Site = site
		bySite[site] = append(bySite[site], name)
	}
	for _, site := range slices.Sorted(func(yield func(string) bool) {
		for s := range bySite {
			if !yield(s) {
				return
			}
		}
	}) {
		edges := bySite[site]
		o.send = appendUnlessNamed(o.send, func(c connector.Send) string { return c.Name }, connector.Send{
			Name:                   "EdgeSync - " + site + " to Internet",
			AddressSpaces:          []string{"SMTP:*;100"},
			DNSRoutingEnabled:      connector.True,
			SourceTransportServers: slices.Clone(edges),
			Enabled:                connector.True,
		})
		o.send = appendUnlessNamed(o.send, func(c connector.Send) string { return c.Name }, connector.Send{
			Name:                   "EdgeSync - Inbound to " + site,
			AddressSpaces:          []string{"SMTP:--;1"},
			DNSRoutingEnabled:      connector.False,
			SmartHosts:             []string{"--"},
			SourceTransportServers: slices.Clone(edges),
			Enabled:                connector.True,
		})
	}
}

// sourceServers validates a Send connector's source servers: Mailbox
// servers, or subscribed Edge Transport servers; a connector whose smart
// host is "--" is an EdgeSync connector, sourced on Edge servers only.
func (b *builder) sourceServers(o *OnPremises, cobj string, c *connector.Send) {
	edgeOnly := len(c.SourceTransportServers) > 0
	for j, s := range c.SourceTransportServers {
		field := fmt.Sprintf("SourceTransportServers[%d]", j)
		si := o.serverIndex(s)
		switch {
		case si < 0:
			b.ps.add(cobj, field, fmt.Sprintf("%q is not a server of the organization", s))
		case o.servers[si].spec.Role == Edge:
			if _, ok := o.edgeSites[strings.ToLower(s)]; !ok {
				b.ps.add(cobj, field, fmt.Sprintf("%q is an Edge Transport server without an Edge subscription", s))
			}
		case o.servers[si].spec.Role != Mailbox:
			b.ps.add(cobj, field, fmt.Sprintf("%q is not a Mailbox server; Client Access servers do not send through Send connectors", s))
		default:
			edgeOnly = false
		}
	}
	if slices.Contains(c.SmartHosts, "--") && !c.UsesDNS() && !edgeOnly {
		b.ps.add(cobj, "SmartHosts", `"--" (the Mailbox servers of the subscribed site) is the smart host of an EdgeSync connector, sourced on subscribed Edge Transport servers only`)
	}
}

// isEdge reports whether the named server is an Edge Transport server.
func (o *OnPremises) isEdge(name string) bool {
	i := o.serverIndex(name)
	return i >= 0 && o.servers[i].spec.Role == Edge
}

// reach tells how the named server reaches the source servers of Send
// connector c (Microsoft: "Connector selection in external message
// routing"): an Edge Transport server uses only the connectors sourced on
// it; a domain-joined server reaches the nearest source server by the
// least-cost site-link path, a scoped connector only in its own site, and
// never an EdgeSync connector whose smart host is "--", which is the
// Edge's way into the organization
// (docs/behaviour.md#l21-the-edgesync-inbound-connector-is-the-edges-own).
func (o *OnPremises) reach(c *connector.Send, server string) (connector.Reach, bool) {
	if o.isEdge(server) {
		site, _ := o.ServerSite(server)
		return connector.Reach{Site: site, Proximity: connector.LocalServer}, c.ServesFrom(server) && len(c.SourceTransportServers) > 0
	}
	here, _ := o.ServerSite(server)
	if len(c.SourceTransportServers) == 0 {
		return connector.Reach{Site: here, Proximity: connector.LocalServer}, true
	}
	if slices.Contains(c.SmartHosts, "--") && !c.UsesDNS() {
		return connector.Reach{}, false
	}
	best, found := connector.Reach{}, false
	for _, s := range c.SourceTransportServers {
		site, ok := o.ServerSite(s)
		if !ok {
			continue
		}
		cost, ok := o.SiteCost(here, site)
		if !ok || c.IsScopedConnector && !strings.EqualFold(site, here) {
			continue
		}
		r := connector.Reach{Site: site, SiteCost: cost, Proximity: connector.RemoteSite}
		switch {
		case strings.EqualFold(s, server):
			r.Proximity = connector.LocalServer
		case strings.EqualFold(site, here):
			r.Proximity = connector.SameSite
		}
		if !found || cmp.Or(cmp.Compare(r.SiteCost, best.SiteCost), cmp.Compare(r.Proximity, best.Proximity)) < 0 {
			best, found = r, true
		}
	}
	return best, found
}

// SourceServer returns the source server of Send connector c a message
// categorized on server is relayed to: the first by name among those in
// the site that selection reached (site), or among all when site is "".
func (o *OnPremises) SourceServer(c connector.Send, site string) (NodeID, bool) {
	var best *server
	for _, s := range c.SourceTransportServers {
		i := o.serverIndex(s)
		if i < 0 {
			continue
		}
		if ss, _ := o.ServerSite(s); site != "" && !strings.EqualFold(ss, site) {
			continue
		}
		if best == nil || strings.ToLower(o.servers[i].spec.Name) < strings.ToLower(best.spec.Name) {
			best = &o.servers[i]
		}
	}
	if best == nil {
		return NodeID{}, false
	}
	return best.id, true
}

// SiteMailboxServers yields the IDs of the Mailbox servers of an Active
// Directory site in ascending name order: where an Edge's "--" smart host
// leads.
func (o *OnPremises) SiteMailboxServers(site string) iter.Seq[NodeID] {
	return func(yield func(NodeID) bool) {
		for _, s := range o.servers {
			if s.spec.Role == Mailbox && strings.EqualFold(siteOf(s.spec), site) && !yield(s.id) {
				return
			}
		}
	}
}

// hybridEdges validates a hybrid configuration's EdgeTransportServers and
// returns the servers that source the Send connector to Office 365 and those
// that receive from Exchange Online: the Edge servers when there are some,
// which the wizard configures instead of the Mailbox servers (Microsoft:
// "Edge Transport servers with hybrid deployments").
func (b *builder) hybridEdges(o *OnPremises, obj string, h HybridConfiguration) (sending, receiving []string) {
	if len(h.EdgeTransportServers) == 0 {
		return slices.Clone(h.SendingTransportServers), h.ReceivingTransportServers
	}
	for i, s := range h.EdgeTransportServers {
		field := fmt.Sprintf("EdgeTransportServers[%d]", i)
		switch si := o.serverIndex(s); {
		case si < 0:
			b.ps.add(obj, field, fmt.Sprintf("%q is not a server of %q", s, o.name))
		case o.servers[si].spec.Role != Edge:
			b.ps.add(obj, field, fmt.Sprintf("%q is not an Edge Transport server", s))
		case o.edgeSites[strings.ToLower(s)] == "":
			b.ps.add(obj, field, fmt.Sprintf("%q has no Edge subscription; the wizard needs one", s))
		}
	}
	return slices.Clone(h.EdgeTransportServers), h.EdgeTransportServers
}
