package topology

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/internal/diagram"

	"github.com/mailflowsim/mailflow/connector"
)

// This file draws a Topology as a graph (Mermaid, Graphviz DOT): the
// nodes grouped by organization, the MX domains, and the routes the
// configuration makes. Both renderers read the same graph (newTopoGraph),
// so they agree, and the graph depends only on the Topology.

// topoGraph is a Topology as a graph.
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

// newTopoGraph builds the graph of t. Vertices: every node, and every
// domain with MX records. Clusters, in this order: each tenant (its EOP and
// Exchange Online nodes), each on-premises organization (its servers),
// the external systems, the Internet, and the MX domains. Edges: MX
// records (domain → the node the host resolves to, else the Internet),
// the tenant's own EOP ↔ Exchange Online routes, outbound connectors (EOP
// → smart hosts, or → the domains they cover by MX), Send connectors
// (each source server → smart hosts, or → the domains of the address
// spaces by DNS), and the smart hosts and client submission of external
// systems.
func newTopoGraph(t *Topology) *topoGraph {
	g := &topoGraph{ids: map[string]int{}, labels: map[string][]string{}}
	for _, n := range t.nodes {
		g.keys = append(g.keys, n.ID.s)
		g.labels[n.ID.s] = []string{n.ID.s, n.Kind.String()}
	}
	g.nodes = len(g.keys)
	domains := make([]string, 0, len(t.mx))
	for d := range t.mx {
		domains = append(domains, d)
	}
	slices.Sort(domains)
	for _, d := range domains {
		g.keys = append(g.keys, domainKey(d))
		g.labels[domainKey(d)] = []string{d}
	}
	g.domains = len(domains)
	// The connectors that accept mail: a vertex each, in its organization,
	// with an edge to the node that receives through it.
	type accept struct{ key, node string }
	var accepts []accept
	for _, x := range t.tenants {
		for _, c := range x.inbound {
			k := inboundKey(x.eop.s, c.Name)
			g.keys = append(g.keys, k)
			g.labels[k] = inboundLabel(c)
			accepts = append(accepts, accept{k, x.eop.s})
		}
	}
	for _, o := range t.onprem {
		for _, c := range o.receive {
			id, ok := o.Server(c.Server)
			if !ok {
				continue
			}
			k := inboundKey(id.s, c.Name)
			g.keys = append(g.keys, k)
			g.labels[k] = receiveLabel(c)
			accepts = append(accepts, accept{k, id.s})
		}
	}
	for i, k := range g.keys {
		g.ids[k] = i
	}

	for _, x := range t.tenants {
		keys := sortedKeys(x.eop.s, x.exo.s)
		for _, c := range x.inbound {
			keys = append(keys, inboundKey(x.eop.s, c.Name))
		}
		g.clusters = append(g.clusters, topoCluster{label: "tenant " + x.name, keys: keys})
	}
	for _, o := range t.onprem {
		var keys, rcs []string
		for _, s := range o.servers {
			keys = append(keys, s.id.s)
		}
		for _, c := range o.receive {
			if id, ok := o.Server(c.Server); ok {
				rcs = append(rcs, inboundKey(id.s, c.Name))
			}
		}
		g.clusters = append(g.clusters, topoCluster{label: "on-premises " + o.name, keys: append(sortedKeys(keys...), rcs...)})
	}
	var ext []string
	for _, n := range t.nodes {
		if n.tenant == nil && n.onprem == nil && n.ID != t.internet {
			ext = append(ext, n.ID.s)
		}
	}
	if len(ext) > 0 {
		g.clusters = append(g.clusters, topoCluster{label: "external systems", keys: ext})
	}
	g.clusters = append(g.clusters, topoCluster{label: "Internet", keys: []string{t.internet.s}})
	if len(domains) > 0 {
		keys := make([]string, len(domains))
		for i, d := range domains {
			keys[i] = domainKey(d)
		}
		g.clusters = append(g.clusters, topoCluster{label: "DNS (MX records)", keys: keys})
	}

	add := func(from, to, label string, style edgeStyle) {
		e := topoEdge{from: from, to: to, label: label, style: style}
		if !slices.Contains(g.edges, e) {
			g.edges = append(g.edges, e)
		}
	}
	// host returns the vertex a host name resolves to, else the Internet.
	host := func(h string) (string, bool) {
		if n, ok := t.ResolveHost(h); ok {
			return n.ID.s, true
		}
		return t.internet.s, false
	}
	// byMX returns the vertex of a domain pattern routed by DNS: the
	// domain's MX vertex, else the Internet.
	byMX := func(p connector.Pattern) string {
		if p.Kind() == connector.PatternExact {
			if _, ok := t.mx[p.Domain()]; ok {
				return domainKey(p.Domain())
			}
		}
		return t.internet.s
	}
	for _, a := range accepts {
		add(a.key, a.node, "accepts", edgeAccept)
	}
	for _, d := range domains {
		for _, r := range t.mx[d] {
			label := "MX " + strconv.Itoa(r.Preference)
			to, ok := host(r.NameExchange)
			if !ok {
				label += " " + r.NameExchange
			}
			add(domainKey(d), to, label, edgePlain)
		}
	}
	for _, x := range t.tenants {
		add(x.eop.s, x.exo.s, "accepted domains", edgeImplicit)
		add(x.exo.s, x.eop.s, "outgoing mail", edgeImplicit)
		for _, c := range x.outbound {
			label := c.Name
			if c.RouteAllMessagesViaOnPremises {
				label += " (centralized transport)"
			}
			if c.IsTransportRuleScoped {
				label += " (rule-scoped)"
			}
			style, off := connectorStyle(c.CloudServicesMailEnabled, c.IsEnabled())
			if !c.UsesMX() {
				for _, h := range c.SmartHosts {
					to, ok := host(h)
					l := label
					if !ok {
						l += " (smart host " + h + ")"
					}
					add(x.eop.s, to, l+off, style)
				}
				continue
			}
			var patterns []string
			patterns = append(patterns, c.RecipientDomains...)
			if c.AllAcceptedDomains {
				for _, a := range x.domains.list {
					patterns = append(patterns, a.DomainName)
				}
			}
			for _, rd := range patterns {
				p, err := connector.ParsePattern(rd)
				if err != nil {
					continue
				}
				add(x.eop.s, byMX(p), label+" (MX)"+off, style)
			}
		}
	}
	for _, o := range t.onprem {
		for _, c := range o.send {
			style, off := connectorStyle(c.CloudServicesMailEnabled, c.IsEnabled())
			label := c.Name + off
			for _, s := range o.servers {
				if !c.ServesFrom(s.spec.Name) {
					continue
				}
				if !c.UsesDNS() {
					for _, h := range c.SmartHosts {
						to, ok := host(h)
						l := c.Name
						if !ok {
							l += " (smart host " + h + ")"
						}
						add(s.id.s, to, l+off, style)
					}
					continue
				}
				for _, as := range c.AddressSpaces {
					a, err := connector.ParseAddressSpace(as)
					if err != nil || a.Type != "SMTP" {
						continue
					}
					add(s.id.s, byMX(a.Pattern), label, style)
				}
			}
		}
	}
	for _, n := range t.nodes {
		if n.SmartHost != "" {
			to, ok := host(n.SmartHost)
			l := "smart host"
			if !ok {
				l += " " + n.SmartHost
			}
			add(n.ID.s, to, l, edgePlain)
		}
		if n.AuthenticatedAs != "" {
			if mb, _, ok := t.FindMailbox(n.AuthenticatedAs); ok {
				add(n.ID.s, mb.ID.s, "client submission as "+n.AuthenticatedAs, edgePlain)
			}
		}
	}
	slices.SortFunc(g.edges, func(a, b topoEdge) int {
		return cmp.Or(strings.Compare(a.from, b.from), strings.Compare(a.to, b.to), strings.Compare(a.label, b.label), cmp.Compare(a.style, b.style))
	})
	return g
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

// WriteMermaid writes the topology as a Mermaid "flowchart LR". It prints,
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
func (t *Topology) WriteMermaid(w io.Writer) error {
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

// WriteDOT writes the topology as a Graphviz digraph laid out left to
// right, with the content of [Topology.WriteMermaid] in the same order:
// one cluster per organization (tenants, on-premises organizations,
// external systems, the Internet, the MX domains), nodes as boxes and
// domains as ellipses, inbound and Receive connectors as trapezoids, then
// the routes sorted by source, destination and label; hybrid connectors are
// bold, implicit routes and disabled connectors dashed, the arrows from an
// inbound or Receive connector to its node dotted.
func (t *Topology) WriteDOT(w io.Writer) error {
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
