package render

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/diagram"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// This file draws a Topology as a graph (Mermaid, Graphviz DOT): the
// nodes grouped by organization (and, on premises, by Active Directory
// site and perimeter network), the MX domains, the routes the
// configuration makes, the site links and directory synchronization. Both
// renderers read the same graph (newTopoGraph), so they agree, and the
// graph depends only on the Topology.

// topoGraph is a [topology.Topology] as a graph.
type topoGraph struct {
	clusters []topoCluster
	// keys are every vertex: node IDs ascending, then "domain:" vertices
	// ascending, then the inbound and Receive connectors ("in:" vertices)
	// in organization order, then the "site:" vertices of the sites
	// without an Exchange server, in organization and site order.
	keys    []string
	nodes   int            // how many of keys are nodes
	domains int            // how many are domains
	accepts int            // how many are inbound and Receive connectors
	ids     map[string]int // key → index in keys
	labels  map[string][]string
	edges   []topoEdge // ascending from, to, label
	// links are the AD site links, in organization order, then link
	// name, then site order; then the directory synchronizations, in
	// tenant order.
	links []topoLink
}

// topoCluster is an organization: its vertices, ascending, or the
// clusters it is divided into (an on-premises organization's sites and
// perimeter network).
type topoCluster struct {
	label string
	keys  []string
	subs  []topoCluster
}

// topoLink is an undirected link between two clusters, each
// [organization cluster, sub-cluster] (sub-cluster -1 for the
// organization's): an AD site link between two sites, or directory
// synchronization between a tenant and an on-premises organization
// (dashed).
type topoLink struct {
	from, to [2]int
	label    string
	dashed   bool
}

// edgeStyle tells routes apart: a plain route, a hybrid one (the
// CloudServicesMailEnabled connectors of the Hybrid Configuration Wizard),
// or an implicit or disabled one.
type edgeStyle uint8

const (
	edgePlain edgeStyle = iota
	edgeHybrid
	edgeImplicit
	edgeAccept // from an inbound or Receive connector to its node
)

type topoEdge struct {
	from, to, label string
	style           edgeStyle
}

func domainKey(d string) string { return "domain:" + d }

// siteKey is the vertex that stands for a site without an Exchange server.
func siteKey(org, site string) string { return "site:" + org + "\x00" + site }

// inboundKey is the vertex of a tenant's inbound connector, or of an
// on-premises server's Receive connector.
func inboundKey(org, name string) string { return "in:" + org + "\x00" + name }

// newTopoGraph builds the graph of t from its exported API. Vertices:
// every node, and every domain with MX records. Clusters, in this order:
// each tenant (its EOP and Exchange Online nodes), each on-premises
// organization (its servers; by site and perimeter network when it has
// several sites or an Edge Transport server), the external systems, the
// Internet, and the MX domains. Edges: MX records (domain → the node the
// host resolves to, else the Internet), the tenant's own EOP ↔ Exchange
// Online routes, outbound connectors (EOP → smart hosts, or → the domains
// they cover by MX), Send connectors (each source server → smart hosts, or
// → the domains of the address spaces by DNS; the Mailbox servers of an
// Edge's site → the Edge, for the connectors sourced on it), and the smart
// hosts (through the inbound connector that takes their mail) and client
// submission of external systems. Links: the AD site links, then directory
// synchronization between hybrid organizations.
func newTopoGraph(t *topology.Topology) *topoGraph {
	b := &topoBuilder{
		t:        t,
		g:        &topoGraph{ids: map[string]int{}, labels: map[string][]string{}},
		internet: t.Internet().ID.String(),
		domains:  slices.Collect(t.MXDomains()),
	}
	b.hasMX = make(map[string]bool, len(b.domains))
	for _, d := range b.domains {
		b.hasMX[d] = true
	}
	b.siteCluster = map[string][2]int{}
	b.addVertices()
	b.addClusters()
	b.addSiteLinks()
	b.addDirSyncLinks()
	b.addAcceptEdges()
	b.addMXEdges()
	for x := range t.Tenants() {
		b.addTenantEdges(x)
	}
	for o := range t.OnPremisesOrgs() {
		b.addSendEdges(o)
	}
	b.addExternalEdges()
	slices.SortFunc(b.g.edges, func(a, b topoEdge) int {
		return cmp.Or(strings.Compare(a.from, b.from), strings.Compare(a.to, b.to), strings.Compare(a.label, b.label), cmp.Compare(a.style, b.style))
	})
	return b.g
}

// topoBuilder holds what the steps of newTopoGraph share.
type topoBuilder struct {
	t        *topology.Topology
	g        *topoGraph
	internet string          // the Internet's vertex
	domains  []string        // the domains with MX records, ascending
	hasMX    map[string]bool // the same, as a set
	accepts  []topoAccept
	// siteCluster maps an organization's name and a lower-case site name
	// (siteKey) to the site's sub-cluster.
	siteCluster map[string][2]int
}

// topoAccept is a connector that accepts mail: its vertex and the node
// that receives through it.
type topoAccept struct{ key, node string }

// servers returns the IDs of o's servers, ascending, with their names.
func (b *topoBuilder) servers(o *topology.OnPremises) (ids, names []string) {
	for n := range b.t.Nodes() {
		if n.OnPremises() == o {
			ids = append(ids, n.ID.String())
			names = append(names, n.Name)
		}
	}
	return ids, names
}

// addVertices adds the vertices in g.keys order: the nodes, the MX
// domains, then the inbound connectors of each tenant and the Receive
// connectors of each on-premises organization, noting the connectors in
// b.accepts.
func (b *topoBuilder) addVertices() {
	g := b.g
	for n := range b.t.Nodes() {
		g.keys = append(g.keys, n.ID.String())
		g.labels[n.ID.String()] = nodeLabel(n)
	}
	g.nodes = len(g.keys)
	for _, d := range b.domains {
		g.keys = append(g.keys, domainKey(d))
		g.labels[domainKey(d)] = []string{d}
	}
	g.domains = len(b.domains)
	for x := range b.t.Tenants() {
		eop := x.EOP().String()
		for c := range x.InboundConnectors() {
			b.addAccept(inboundKey(eop, c.Name), eop, inboundLabel(c))
		}
	}
	for o := range b.t.OnPremisesOrgs() {
		for c := range o.ReceiveConnectors() {
			if id, ok := o.Server(c.Server); ok {
				b.addAccept(inboundKey(id.String(), c.Name), id.String(), receiveLabel(c))
			}
		}
	}
	g.accepts = len(b.accepts)
	for o := range b.t.OnPremisesOrgs() {
		if !bySite(b.t, o) {
			continue
		}
		for site := range o.Sites() {
			if len(b.siteServers(o, site)) == 0 {
				g.keys = append(g.keys, siteKey(o.Name(), site))
				g.labels[siteKey(o.Name(), site)] = []string{"no Exchange server"}
			}
		}
	}
	for i, k := range g.keys {
		g.ids[k] = i
	}
}

// nodeLabel is the label of a node's vertex: its ID and kind; for an
// Edge Transport server the site it is subscribed to; for an Appliance
// what it does to the messages it re-sends.
func nodeLabel(n topology.Node) []string {
	lines := []string{n.ID.String(), n.Kind.String()}
	if n.ServerRole == topology.Edge && n.Site != "" {
		lines = append(lines, "subscribed to site "+n.Site)
	}
	if n.Transparent {
		lines = append(lines, "transparent")
	}
	for h := range n.AddsHeaders() {
		lines = append(lines, "adds header "+h.Name+": "+h.Value)
	}
	for h := range n.RemovesHeaders() {
		lines = append(lines, "removes header "+h)
	}
	if n.KeepsOrganizationHeaders {
		lines = append(lines, "keeps organization headers")
	}
	if n.RewritesSenderTo != "" {
		lines = append(lines, "rewrites sender to "+n.RewritesSenderTo)
	}
	return lines
}

// bySite reports whether an on-premises organization is drawn by site:
// when it has several sites or an Edge Transport server, which is in none.
func bySite(t *topology.Topology, o *topology.OnPremises) bool {
	if o.MultiSite() {
		return true
	}
	for n := range t.Nodes() {
		if n.OnPremises() == o && n.ServerRole == topology.Edge {
			return true
		}
	}
	return false
}

// siteServers returns the IDs of the domain-joined servers of o in site,
// ascending; site "" is the perimeter network: the Edge Transport
// servers.
func (b *topoBuilder) siteServers(o *topology.OnPremises, site string) []string {
	var ids []string
	for n := range b.t.Nodes() {
		if n.OnPremises() != o {
			continue
		}
		s, _ := o.ServerSite(n.Name)
		if n.ServerRole == topology.Edge && site == "" || n.ServerRole != topology.Edge && site != "" && strings.EqualFold(s, site) {
			ids = append(ids, n.ID.String())
		}
	}
	return ids
}

// addAccept adds the vertex of a connector that accepts mail for node.
func (b *topoBuilder) addAccept(key, node string, label []string) {
	b.g.keys = append(b.g.keys, key)
	b.g.labels[key] = label
	b.accepts = append(b.accepts, topoAccept{key, node})
}

// addClusters adds the clusters: the tenants, the on-premises
// organizations, the external systems, the Internet and the MX domains.
func (b *topoBuilder) addClusters() {
	g := b.g
	for x := range b.t.Tenants() {
		eop := x.EOP().String()
		keys := sortedKeys(eop, x.ExchangeOnline().String())
		for c := range x.InboundConnectors() {
			keys = append(keys, inboundKey(eop, c.Name))
		}
		g.clusters = append(g.clusters, topoCluster{label: "tenant " + x.Name(), keys: keys})
	}
	for o := range b.t.OnPremisesOrgs() {
		if bySite(b.t, o) {
			b.addSiteClusters(o)
			continue
		}
		keys, _ := b.servers(o)
		g.clusters = append(g.clusters, topoCluster{label: "on-premises " + o.Name(), keys: append(sortedKeys(keys...), receiveKeys(o, keys)...)})
	}
	var ext []string
	for n := range b.t.Nodes() {
		if n.Tenant() == nil && n.OnPremises() == nil && n.ID.String() != b.internet {
			ext = append(ext, n.ID.String())
		}
	}
	if len(ext) > 0 {
		g.clusters = append(g.clusters, topoCluster{label: "external systems", keys: ext})
	}
	g.clusters = append(g.clusters, topoCluster{label: "Internet", keys: []string{b.internet}})
	if len(b.domains) > 0 {
		keys := make([]string, len(b.domains))
		for i, d := range b.domains {
			keys[i] = domainKey(d)
		}
		g.clusters = append(g.clusters, topoCluster{label: "DNS (MX records)", keys: keys})
	}
}

// receiveKeys returns the vertices of the Receive connectors of the
// servers ids of o, in connector order.
func receiveKeys(o *topology.OnPremises, ids []string) []string {
	var rcs []string
	for c := range o.ReceiveConnectors() {
		if id, ok := o.Server(c.Server); ok && slices.Contains(ids, id.String()) {
			rcs = append(rcs, inboundKey(id.String(), c.Name))
		}
	}
	return rcs
}

// addSiteClusters adds the cluster of an on-premises organization drawn by
// site: a sub-cluster per Active Directory site, in site order, with its
// domain-joined servers and their Receive connectors (or the vertex that
// says it has no server), then the perimeter network with the Edge
// Transport servers, which are not domain-joined ("Edge Subscriptions").
func (b *topoBuilder) addSiteClusters(o *topology.OnPremises) {
	c := topoCluster{label: "on-premises " + o.Name()}
	i := len(b.g.clusters)
	for site := range o.Sites() {
		keys := b.siteServers(o, site)
		keys = append(keys, receiveKeys(o, keys)...)
		if len(keys) == 0 {
			keys = []string{siteKey(o.Name(), site)}
		}
		b.siteCluster[siteKey(o.Name(), strings.ToLower(site))] = [2]int{i, len(c.subs)}
		c.subs = append(c.subs, topoCluster{label: "site " + site, keys: keys})
	}
	if edges := b.siteServers(o, ""); len(edges) > 0 {
		c.subs = append(c.subs, topoCluster{label: "perimeter network", keys: append(edges, receiveKeys(o, edges)...)})
	}
	b.g.clusters = append(b.g.clusters, c)
}

// addSiteLinks adds the AD site links of each organization drawn by site,
// in link name order: one link per pair of the sites it joins, in site
// order, labelled with its name and the cost Exchange routing uses
// (ExchangeCost when set, else Cost; Microsoft: "Set-AdSiteLink").
func (b *topoBuilder) addSiteLinks() {
	for o := range b.t.OnPremisesOrgs() {
		for l := range o.ADSiteLinks() {
			var at [][2]int
			for _, s := range l.Sites {
				if c, ok := b.siteCluster[siteKey(o.Name(), strings.ToLower(s))]; ok && !slices.Contains(at, c) {
					at = append(at, c)
				}
			}
			slices.SortFunc(at, func(a, b [2]int) int { return cmp.Compare(a[1], b[1]) })
			label := l.Name + ": cost " + strconv.Itoa(l.LinkCost())
			if l.ExchangeCost != 0 {
				label = l.Name + ": ExchangeCost " + strconv.Itoa(l.ExchangeCost) + " (Cost " + strconv.Itoa(cmp.Or(l.Cost, topology.DefaultSiteLinkCost)) + ")"
			}
			for i := range at {
				for j := i + 1; j < len(at); j++ {
					b.g.links = append(b.g.links, topoLink{from: at[i], to: at[j], label: label})
				}
			}
		}
	}
}

// addDirSyncLinks adds a dashed link between each tenant and the
// on-premises organization of its hybrid configuration when
// DirectorySynchronization is set: Microsoft Entra Connect synchronizes
// their directories (Microsoft: "Microsoft Entra Connect Sync: Attributes
// synchronized to Microsoft Entra ID";
// docs/behaviour.md#l60-directory-synchronization).
func (b *topoBuilder) addDirSyncLinks() {
	orgs := map[*topology.OnPremises]int{}
	tenants := 0
	for range b.t.Tenants() {
		tenants++
	}
	i := tenants
	for o := range b.t.OnPremisesOrgs() {
		orgs[o] = i
		i++
	}
	i = 0
	for x := range b.t.Tenants() {
		if o := x.Hybrid(); o != nil && x.DirectorySynchronization() {
			b.g.links = append(b.g.links, topoLink{from: [2]int{i, -1}, to: [2]int{orgs[o], -1}, label: "directory synchronization", dashed: true})
		}
		i++
	}
}

// add adds an edge, once.
func (b *topoBuilder) add(from, to, label string, style edgeStyle) {
	e := topoEdge{from: from, to: to, label: label, style: style}
	if !slices.Contains(b.g.edges, e) {
		b.g.edges = append(b.g.edges, e)
	}
}

// host returns the vertex a host name resolves to, else the Internet.
func (b *topoBuilder) host(h string) (string, bool) {
	if n, ok := b.t.ResolveHost(h); ok {
		return n.ID.String(), true
	}
	return b.internet, false
}

// byMX returns the vertex of a domain pattern routed by DNS: the domain's
// MX vertex, else the Internet.
func (b *topoBuilder) byMX(p connector.Pattern) string {
	if p.Kind() == connector.PatternExact && b.hasMX[p.Domain()] {
		return domainKey(p.Domain())
	}
	return b.internet
}

// addSmartHosts adds an edge from a vertex to each smart host, labelled
// label, naming the host when it resolves to no node, then suffix.
func (b *topoBuilder) addSmartHosts(from string, hosts []string, label, suffix string, style edgeStyle) {
	for _, h := range hosts {
		to, ok := b.host(h)
		l := label
		if !ok {
			l += " (smart host " + h + ")"
		}
		b.add(from, to, l+suffix, style)
	}
}

// addAcceptEdges adds the edge from each inbound and Receive connector to
// the node that receives through it.
func (b *topoBuilder) addAcceptEdges() {
	for _, a := range b.accepts {
		b.add(a.key, a.node, "accepts", edgeAccept)
	}
}

// addMXEdges adds the MX records: domain → the node the host resolves
// to, else the Internet.
func (b *topoBuilder) addMXEdges() {
	for _, d := range b.domains {
		for r := range b.t.MX(d) {
			label := "MX " + strconv.Itoa(r.Preference)
			to, ok := b.host(r.NameExchange)
			if !ok {
				label += " " + r.NameExchange
			}
			b.add(domainKey(d), to, label, edgePlain)
		}
	}
}

// addTenantEdges adds a tenant's EOP ↔ Exchange Online routes and its
// outbound connectors: EOP → smart hosts, or → the domains they cover by
// MX.
func (b *topoBuilder) addTenantEdges(x *topology.Tenant) {
	eop := x.EOP().String()
	b.add(eop, x.ExchangeOnline().String(), "accepted domains", edgeImplicit)
	b.add(x.ExchangeOnline().String(), eop, "outgoing mail", edgeImplicit)
	for c := range x.OutboundConnectors() {
		label := c.Name
		if c.RouteAllMessagesViaOnPremises {
			label += " (centralized transport)"
		}
		if c.IsTransportRuleScoped {
			label += " (rule-scoped" + rulesRouting(x, c.Name) + ")"
		}
		style, off := connectorStyle(c.CloudServicesMailEnabled, c.IsEnabled())
		if !c.UsesMX() {
			b.addSmartHosts(eop, c.SmartHosts, label, off, style)
			continue
		}
		patterns := slices.Clone(c.RecipientDomains)
		if c.AllAcceptedDomains {
			for a := range x.AcceptedDomains() {
				patterns = append(patterns, a.DomainName)
			}
		}
		for _, rd := range patterns {
			if p, err := connector.ParsePattern(rd); err == nil {
				b.add(eop, b.byMX(p), label+" (MX)"+off, style)
			}
		}
	}
}

// rulesRouting returns ": rule " and the names of the tenant's enabled
// transport rules that route mail through the outbound connector named
// name (RouteMessageOutboundConnector), in rule order, or "" for none.
func rulesRouting(x *topology.Tenant, name string) string {
	var names []string
	for r := range x.TransportRules() {
		if r.IsEnabled() && strings.EqualFold(r.RouteMessageOutboundConnector, name) {
			names = append(names, r.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return ": rule " + strings.Join(names, ", ")
}

// addSendEdges adds an on-premises organization's Send connectors: each
// source server → smart hosts (an EdgeSync connector's "--": the Mailbox
// servers of the Edge's site), or → the domains of the address spaces by
// DNS. A connector without source servers is every Mailbox server's. The
// Mailbox servers of an Edge Transport server's subscribed site relay to
// it the mail of the other connectors sourced on it ("Edge
// Subscriptions"; docs/behaviour.md#l21-the-edgesync-inbound-connector-is-the-edges-own).
func (b *topoBuilder) addSendEdges(o *topology.OnPremises) {
	ids, names := b.servers(o)
	for c := range o.SendConnectors() {
		style, off := connectorStyle(c.CloudServicesMailEnabled, c.IsEnabled())
		for i, id := range ids {
			n, _ := b.t.Node(topology.MustParseNodeID(id))
			if !c.ServesFrom(names[i]) || len(c.SourceTransportServers) == 0 && n.ServerRole != topology.Mailbox {
				continue
			}
			if n.ServerRole == topology.Edge && (c.UsesDNS() || !slices.Equal(c.SmartHosts, []string{"--"})) {
				b.addEdgeRelay(o, n, c, style, off)
			}
			if !c.UsesDNS() && slices.Equal(c.SmartHosts, []string{"--"}) {
				for m := range o.SiteMailboxServers(n.Site) {
					b.add(id, m.String(), c.Name+off, style)
				}
				continue
			}
			if !c.UsesDNS() {
				b.addSmartHosts(id, c.SmartHosts, c.Name, off, style)
				continue
			}
			for _, as := range c.AddressSpaces {
				if a, err := connector.ParseAddressSpace(as); err == nil && a.Type == "SMTP" {
					b.add(id, b.byMX(a.Pattern), c.Name+off, style)
				}
			}
		}
	}
}

// addEdgeRelay adds the relay of the Mailbox servers of Edge Transport
// server n's subscribed site to n, for Send connector c sourced on it,
// except from a Mailbox server c is also sourced on.
func (b *topoBuilder) addEdgeRelay(o *topology.OnPremises, n topology.Node, c connector.Send, style edgeStyle, off string) {
	for m := range o.SiteMailboxServers(n.Site) {
		if mn, _ := b.t.Node(m); !c.ServesFrom(mn.Name) {
			b.add(m.String(), n.ID.String(), c.Name+" (relay to source server)"+off, style)
		}
	}
}

// addExternalEdges adds the smart hosts and client submission of
// external systems. A smart host that is a tenant's EOP leads to the
// OnPremises inbound connector that takes the system's mail by its
// certificate or IP address, as the engine attributes it, when there is
// one (the return leg of an add-on service: "Integrate Microsoft 365 with
// an email add-on service").
func (b *topoBuilder) addExternalEdges() {
	for n := range b.t.Nodes() {
		if n.SmartHost != "" {
			to, ok := b.host(n.SmartHost)
			l := "smart host"
			if !ok {
				l += " " + n.SmartHost
			}
			if eop, ok := b.t.ResolveHost(n.SmartHost); ok {
				if k, ok := b.inboundFrom(n, eop); ok {
					to = k
				}
			}
			b.add(n.ID.String(), to, l, edgePlain)
		}
		if n.AuthenticatedAs != "" {
			if mb, _, ok := b.t.FindMailbox(n.AuthenticatedAs); ok {
				b.add(n.ID.String(), mb.ID.String(), "client submission as "+n.AuthenticatedAs, edgePlain)
			}
		}
	}
}

// inboundFrom returns the vertex of the OnPremises inbound connector of
// the tenant whose EOP is node to that attributes a connection from
// external system n: by the trusted certificate n presents over TLS, else
// by its IP address.
func (b *topoBuilder) inboundFrom(n, to topology.Node) (string, bool) {
	x := to.Tenant()
	if x == nil || x.EOP() != to.ID {
		return "", false
	}
	cert := n.Certificate
	conn := connector.Connection{IP: n.IPAddress, TLS: n.StartTLS && to.StartTLS, Certificate: cert.AppendNames(nil),
		CertificateTrusted: !cert.IsZero() && !cert.IsSelfSigned() && cert.Status() == topology.CertificateValid}
	a := x.Attribution().OnPremises(conn)
	if !a.Found() {
		return "", false
	}
	return inboundKey(to.ID.String(), a.Name), true
}

// inboundLabel is the label of an inbound connector's vertex: its name,
// type, and what it matches (SenderDomains, SenderIPAddresses,
// TlsSenderCertificateName) and requires.
func inboundLabel(c connector.Inbound) []string {
	lines := []string{c.Name, "inbound connector (" + string(c.ConnectorType) + ")"}
	if len(c.SenderDomains) > 0 {
		lines = append(lines, "SenderDomains "+strings.Join(c.SenderDomains, ", "))
	}
	if len(c.SenderIPAddresses) > 0 {
		lines = append(lines, "SenderIPAddresses "+strings.Join(c.SenderIPAddresses, ", "))
	}
	if c.TlsSenderCertificateName != "" {
		lines = append(lines, "TlsSenderCertificateName "+c.TlsSenderCertificateName)
	}
	var flags []string
	if c.RestrictDomainsToCertificate {
		flags = append(flags, "RestrictDomainsToCertificate")
	}
	if c.RestrictDomainsToIPAddresses {
		flags = append(flags, "RestrictDomainsToIPAddresses")
	}
	if c.RequiresTls() {
		flags = append(flags, "RequireTls")
	}
	if !c.IsEnabled() {
		flags = append(flags, "disabled")
	}
	if len(flags) > 0 {
		lines = append(lines, strings.Join(flags, ", "))
	}
	return lines
}

// receiveLabel is the label of a Receive connector's vertex: its name and
// what it accepts (RemoteIPRanges, PermissionGroups, TLS, relay).
func receiveLabel(c connector.Receive) []string {
	lines := []string{c.Name, "Receive connector"}
	if len(c.RemoteIPRanges) > 0 {
		lines = append(lines, "RemoteIPRanges "+strings.Join(c.RemoteIPRanges, ", "))
	}
	if len(c.PermissionGroups) > 0 {
		lines = append(lines, "PermissionGroups "+strings.Join(c.PermissionGroups, ", "))
	}
	var flags []string
	if c.RequireTLS {
		flags = append(flags, "RequireTLS")
	}
	if c.Relays() {
		flags = append(flags, "relay")
	}
	if !c.Enabled.Bool(true) {
		flags = append(flags, "disabled")
	}
	if len(flags) > 0 {
		lines = append(lines, strings.Join(flags, ", "))
	}
	return lines
}

// connectorStyle returns the style of a connector's edges and the suffix
// of their labels (" (disabled)" for a disabled connector).
func connectorStyle(hybrid, enabled bool) (edgeStyle, string) {
	switch {
	case !enabled:
		return edgeImplicit, " (disabled)"
	case hybrid:
		return edgeHybrid, ""
	}
	return edgePlain, ""
}

func sortedKeys(keys ...string) []string {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	return keys
}

// vertexID returns the diagram identifier of a vertex: n<i> for nodes,
// d<i> for domains, k<i> for inbound and Receive connectors, s<i> for
// sites without an Exchange server, each numbered from 0 in g.keys order.
func (g *topoGraph) vertexID(key string) string {
	i := g.ids[key]
	switch {
	case strings.HasPrefix(key, "domain:"):
		return "d" + strconv.Itoa(i-g.nodes)
	case strings.HasPrefix(key, "in:"):
		return "k" + strconv.Itoa(i-g.nodes-g.domains)
	case strings.HasPrefix(key, "site:"):
		return "s" + strconv.Itoa(i-g.nodes-g.domains-g.accepts)
	}
	return "n" + strconv.Itoa(i)
}

// clusterID returns the suffix of a cluster's identifier: "<i>" for the
// i-th cluster (sub-cluster -1), "<i>_<j>" for its j-th sub-cluster.
func clusterID(c [2]int) string {
	if c[1] < 0 {
		return strconv.Itoa(c[0])
	}
	return strconv.Itoa(c[0]) + "_" + strconv.Itoa(c[1])
}

// anchor returns the vertex a link is drawn from or to in DOT: the first
// of its cluster, or of the cluster's first sub-cluster.
func (g *topoGraph) anchor(c [2]int) string {
	cl := g.clusters[c[0]]
	if c[1] >= 0 {
		cl = cl.subs[c[1]]
	}
	for len(cl.keys) == 0 {
		cl = cl.subs[0]
	}
	return g.vertexID(cl.keys[0])
}

// TopologyMermaid writes t as a Mermaid "flowchart LR". It prints,
// in this order: one subgraph per organization — each tenant (its EOP and
// Exchange Online nodes) in ascending name order, each on-premises
// organization (its servers), the external systems, the Internet, and the
// domains that have MX records — each listing its vertices in ascending ID
// order (domains in ascending name order), labelled with ID and kind; then
// the routes the configuration makes, sorted by source, destination and
// label: MX records (domain → node, "MX 10"), the tenant's EOP ↔
// Exchange Online routes, outbound connectors (EOP → smart host, or → the
// recipient domains they reach by MX; a rule-scoped one names the enabled
// transport rules that route through it), Send connectors (each source
// server → smart host, or → the address spaces' domains by DNS, "*" to
// the Internet), and the smart hosts and client submission of external
// systems, each labelled with the MX preference or connector name. Hybrid
// connectors (CloudServicesMailEnabled) are thick arrows; the implicit
// EOP ↔ Exchange Online routes and disabled connectors are dotted.
// Inbound connectors (in their tenant's subgraph, after its nodes) and
// Receive connectors (in their organization's, after its servers) are
// drawn as trapezoids with what they match and require, and an arrow to
// the node that accepts mail through them ("accepts"); an external system
// whose smart host is a tenant's EOP (an add-on service's return leg)
// points to the OnPremises inbound connector that takes its mail, when
// one does.
//
// An on-premises organization with several Active Directory sites or an
// Edge Transport server is drawn by site: a subgraph per site (ascending
// name order; a site without an Exchange server holds a vertex that says
// so) with its domain-joined servers and their Receive connectors, then
// the "perimeter network" with the Edge Transport servers, which name the
// site they are subscribed to; the Mailbox servers of that site have an
// arrow to the Edge for each Send connector sourced on it ("relay to source
// server"). The site links come last, in organization and link name order,
// one undirected link between the subgraphs of each pair of sites a link
// joins, labelled with the link's name and cost (ExchangeCost, with Cost
// beside it, when set), then, in tenant order, a dotted link "directory
// synchronization" between a tenant and the on-premises organization of
// its hybrid configuration when DirectorySynchronization is set. An Appliance's vertex says what it does to the
// messages it re-sends (AddsHeaders, RemovesHeaders,
// KeepsOrganizationHeaders, RewritesSenderTo, Transparent).
//
// Vertices are n0, n1… (nodes), d0, d1… (domains), k0, k1… (connectors)
// and s0, s1… (sites without an Exchange server), numbered in that order;
// subgraphs are c0, c1…, and c<i>_0, c<i>_1… within c<i>.
func TopologyMermaid(w io.Writer, t *topology.Topology) error {
	if t == nil {
		return route.ErrNilTopology
	}
	g := newTopoGraph(t)
	var b bytes.Buffer
	b.WriteString("flowchart LR\n")
	for i, c := range g.clusters {
		g.mermaidCluster(&b, c, "c"+strconv.Itoa(i), "  ")
	}
	for _, e := range g.edges {
		arrow := "-->"
		switch e.style {
		case edgeHybrid:
			arrow = "==>"
		case edgeImplicit, edgeAccept:
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", g.vertexID(e.from), arrow, diagram.Mermaid(e.label), g.vertexID(e.to))
	}
	for _, l := range g.links {
		line := "---"
		if l.dashed {
			line = "-.-"
		}
		fmt.Fprintf(&b, "  c%s %s|\"%s\"| c%s\n", clusterID(l.from), line, diagram.Mermaid(l.label), clusterID(l.to))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// mermaidCluster writes cluster c as subgraph id, indented by indent, its
// sub-clusters as subgraphs id_0, id_1….
func (g *topoGraph) mermaidCluster(b *bytes.Buffer, c topoCluster, id, indent string) {
	fmt.Fprintf(b, "%ssubgraph %s[\"%s\"]\n", indent, id, diagram.Mermaid(c.label))
	for _, k := range c.keys {
		label := diagram.MermaidLines(g.labels[k]...)
		switch {
		case strings.HasPrefix(k, "domain:"):
			fmt.Fprintf(b, "%s  %s([\"%s\"])\n", indent, g.vertexID(k), label)
		case strings.HasPrefix(k, "in:"):
			fmt.Fprintf(b, "%s  %s[/\"%s\"\\]\n", indent, g.vertexID(k), label)
		case strings.HasPrefix(k, "site:"):
			fmt.Fprintf(b, "%s  %s(\"%s\")\n", indent, g.vertexID(k), label)
		default:
			fmt.Fprintf(b, "%s  %s[\"%s\"]\n", indent, g.vertexID(k), label)
		}
	}
	for j, sc := range c.subs {
		g.mermaidCluster(b, sc, id+"_"+strconv.Itoa(j), indent+"  ")
	}
	b.WriteString(indent + "end\n")
}

// TopologyDOT writes t as a Graphviz digraph laid out left to
// right, with the content of [TopologyMermaid] in the same order:
// one cluster per organization (tenants, on-premises organizations,
// external systems, the Internet, the MX domains), an on-premises
// organization drawn by site holding a cluster per site and one for the
// perimeter network, nodes as boxes and domains as ellipses, inbound and
// Receive connectors as trapezoids, then the routes sorted by source,
// destination and label, then the site links; hybrid connectors are bold,
// implicit routes and disabled connectors dashed, the arrows from an
// inbound or Receive connector to its node dotted. A site link, or
// directory synchronization (dashed), is an undirected edge between the
// first vertices of its two clusters, clipped to the clusters
// (compound=true, ltail, lhead).
func TopologyDOT(w io.Writer, t *topology.Topology) error {
	if t == nil {
		return route.ErrNilTopology
	}
	g := newTopoGraph(t)
	var b bytes.Buffer
	diagram.DOTHeader(&b, "topology", "")
	if len(g.links) > 0 {
		b.WriteString("  compound=true;\n")
	}
	for i, c := range g.clusters {
		g.dotCluster(&b, c, "cluster_"+strconv.Itoa(i), "  ")
	}
	for _, e := range g.edges {
		style := ""
		switch e.style {
		case edgeHybrid:
			style = ", style=bold"
		case edgeImplicit:
			style = ", style=dashed"
		case edgeAccept:
			style = ", style=dotted"
		}
		fmt.Fprintf(&b, "  %s -> %s [label=\"%s\"%s];\n", g.vertexID(e.from), g.vertexID(e.to), diagram.DOT(e.label), style)
	}
	for _, l := range g.links {
		style := ""
		if l.dashed {
			style = ", style=dashed"
		}
		fmt.Fprintf(&b, "  %s -> %s [label=\"%s\", dir=none, ltail=cluster_%s, lhead=cluster_%s%s];\n",
			g.anchor(l.from), g.anchor(l.to), diagram.DOT(l.label), clusterID(l.from), clusterID(l.to), style)
	}
	b.WriteString("}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// dotCluster writes cluster c as subgraph id, indented by indent, its
// sub-clusters as subgraphs id_0, id_1….
func (g *topoGraph) dotCluster(b *bytes.Buffer, c topoCluster, id, indent string) {
	fmt.Fprintf(b, "%ssubgraph %s {\n", indent, id)
	fmt.Fprintf(b, "%s  label=\"%s\";\n", indent, diagram.DOT(c.label))
	b.WriteString(indent + "  style=rounded;\n")
	for _, k := range c.keys {
		shape := ""
		switch {
		case strings.HasPrefix(k, "domain:"):
			shape = ", shape=ellipse"
		case strings.HasPrefix(k, "in:"):
			shape = ", shape=trapezium"
		case strings.HasPrefix(k, "site:"):
			shape = ", shape=plaintext"
		}
		fmt.Fprintf(b, "%s  %s [label=%s%s];\n", indent, g.vertexID(k), diagram.DOTLines(g.labels[k]...), shape)
	}
	for j, sc := range c.subs {
		g.dotCluster(b, sc, id+"_"+strconv.Itoa(j), indent+"  ")
	}
	b.WriteString(indent + "}\n")
}
