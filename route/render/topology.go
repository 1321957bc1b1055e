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
// nodes grouped by organization, the MX domains, and the routes the
// configuration makes. Both renderers read the same graph (newTopoGraph),
// so they agree, and the graph depends only on the Topology.

// topoGraph is a [topology.Topology] as a graph.
type topoGraph struct {
	clusters []topoCluster
	// keys are every vertex: node IDs ascending, then "domain:" vertices
	// ascending, then the inbound and Receive connectors ("in:" vertices)
	// in organization order.
	keys    []string
	nodes   int            // how many of keys are nodes
	domains int            // how many are domains
	ids     map[string]int // key → index in keys
	labels  map[string][]string
	edges   []topoEdge // ascending from, to, label
}

// topoCluster is an organization: its vertices, ascending.
type topoCluster struct {
	label string
	keys  []string
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

// inboundKey is the vertex of a tenant's inbound connector, or of an
// on-premises server's Receive connector.
func inboundKey(org, name string) string { return "in:" + org + "\x00" + name }

// newTopoGraph builds the graph of t from its exported API. Vertices:
// every node, and every domain with MX records. Clusters, in this order:
// each tenant (its EOP and Exchange Online nodes), each on-premises
// organization (its servers), the external systems, the Internet, and the
// MX domains. Edges: MX records (domain → the node the host resolves to,
// else the Internet), the tenant's own EOP ↔ Exchange Online routes,
// outbound connectors (EOP → smart hosts, or → the domains they cover by
// MX), Send connectors (each source server → smart hosts, or → the domains
// of the address spaces by DNS), and the smart hosts and client submission
// of external systems.
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
	b.addVertices()
	b.addClusters()
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
		g.labels[n.ID.String()] = []string{n.ID.String(), n.Kind.String()}
		if o := n.OnPremises(); o != nil && o.MultiSite() && n.Site != "" {
			g.labels[n.ID.String()] = append(g.labels[n.ID.String()], "site "+n.Site)
		}
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
	for i, k := range g.keys {
		g.ids[k] = i
	}
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
		keys, _ := b.servers(o)
		var rcs []string
		for c := range o.ReceiveConnectors() {
			if id, ok := o.Server(c.Server); ok {
				rcs = append(rcs, inboundKey(id.String(), c.Name))
			}
		}
		g.clusters = append(g.clusters, topoCluster{label: "on-premises " + o.Name(), keys: append(sortedKeys(keys...), rcs...)})
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
			label += " (rule-scoped)"
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

// addSendEdges adds an on-premises organization's Send connectors: each
// source server → smart hosts (an EdgeSync connector's "--": the Mailbox
// servers of the Edge's site), or → the domains of the address spaces by
// DNS. A connector without source servers is every Mailbox server's.
func (b *topoBuilder) addSendEdges(o *topology.OnPremises) {
	ids, names := b.servers(o)
	for c := range o.SendConnectors() {
		style, off := connectorStyle(c.CloudServicesMailEnabled, c.IsEnabled())
		for i, id := range ids {
			n, _ := b.t.Node(topology.MustParseNodeID(id))
			if !c.ServesFrom(names[i]) || len(c.SourceTransportServers) == 0 && n.ServerRole != topology.Mailbox {
				continue
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

// addExternalEdges adds the smart hosts and client submission of
// external systems.
func (b *topoBuilder) addExternalEdges() {
	for n := range b.t.Nodes() {
		if n.SmartHost != "" {
			to, ok := b.host(n.SmartHost)
			l := "smart host"
			if !ok {
				l += " " + n.SmartHost
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
// d<i> for domains, k<i> for inbound and Receive connectors, each numbered
// from 0 in g.keys order.
func (g *topoGraph) vertexID(key string) string {
	i := g.ids[key]
	switch {
	case strings.HasPrefix(key, "domain:"):
		return "d" + strconv.Itoa(i-g.nodes)
	case strings.HasPrefix(key, "in:"):
		return "k" + strconv.Itoa(i-g.nodes-g.domains)
	}
	return "n" + strconv.Itoa(i)
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
// recipient domains they reach by MX), Send connectors (each source
// server → smart host, or → the address spaces' domains by DNS, "*" to
// the Internet), and the smart hosts and client submission of external
// systems, each labelled with the MX preference or connector name. Hybrid
// connectors (CloudServicesMailEnabled) are thick arrows; the implicit
// EOP ↔ Exchange Online routes and disabled connectors are dotted.
// Inbound connectors (in their tenant's subgraph, after its nodes) and
// Receive connectors (in their organization's, after its servers) are
// drawn as trapezoids with what they match and require, and an arrow to
// the node that accepts mail through them ("accepts"). Vertices are n0,
// n1… (nodes), d0, d1… (domains) and k0, k1… (connectors), numbered in
// that order.
func TopologyMermaid(w io.Writer, t *topology.Topology) error {
	if t == nil {
		return route.ErrNilTopology
	}
	g := newTopoGraph(t)
	var b bytes.Buffer
	b.WriteString("flowchart LR\n")
	for i, c := range g.clusters {
		fmt.Fprintf(&b, "  subgraph c%d[\"%s\"]\n", i, diagram.Mermaid(c.label))
		for _, k := range c.keys {
			label := diagram.MermaidLines(g.labels[k]...)
			switch {
			case strings.HasPrefix(k, "domain:"):
				fmt.Fprintf(&b, "    %s([\"%s\"])\n", g.vertexID(k), label)
			case strings.HasPrefix(k, "in:"):
				fmt.Fprintf(&b, "    %s[/\"%s\"\\]\n", g.vertexID(k), label)
			default:
				fmt.Fprintf(&b, "    %s[\"%s\"]\n", g.vertexID(k), label)
			}
		}
		b.WriteString("  end\n")
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
	_, err := w.Write(b.Bytes())
	return err
}

// TopologyDOT writes t as a Graphviz digraph laid out left to
// right, with the content of [TopologyMermaid] in the same order:
// one cluster per organization (tenants, on-premises organizations,
// external systems, the Internet, the MX domains), nodes as boxes and
// domains as ellipses, inbound and Receive connectors as trapezoids, then
// the routes sorted by source, destination and label; hybrid connectors are
// bold, implicit routes and disabled connectors dashed, the arrows from an
// inbound or Receive connector to its node dotted.
func TopologyDOT(w io.Writer, t *topology.Topology) error {
	if t == nil {
		return route.ErrNilTopology
	}
	g := newTopoGraph(t)
	var b bytes.Buffer
	diagram.DOTHeader(&b, "topology", "")
	for i, c := range g.clusters {
		fmt.Fprintf(&b, "  subgraph cluster_%d {\n", i)
		fmt.Fprintf(&b, "    label=\"%s\";\n", diagram.DOT(c.label))
		b.WriteString("    style=rounded;\n")
		for _, k := range c.keys {
			shape := ""
			switch {
			case strings.HasPrefix(k, "domain:"):
				shape = ", shape=ellipse"
			case strings.HasPrefix(k, "in:"):
				shape = ", shape=trapezium"
			}
			fmt.Fprintf(&b, "    %s [label=%s%s];\n", g.vertexID(k), diagram.DOTLines(g.labels[k]...), shape)
		}
		b.WriteString("  }\n")
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
	b.WriteString("}\n")
	_, err := w.Write(b.Bytes())
	return err
}
