package render

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/internal/diagram"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// This file renders a Result as diagrams (Mermaid, Graphviz DOT) and as a
// message-tracking table. Every renderer reads the same walk of the result
// (traceGraph), so the diagrams agree with each other, and depends only on
// the result, so the same Result gives the same bytes.

// traceGraph is a Result as a graph: the visits its recipients made to
// topology nodes (a node passed several times is a visit each time), the
// transfers between them per copy, and how each recipient ended.
type traceGraph struct {
	nodes []graphNode
	index map[visitKey]int
	edges []graphEdge // copy order, then hop index, then recipient order
	ends  []graphEnd  // message order of the recipients
	multi bool        // the message was split: labels name their copy
}

// visitKey is a visit: a node at a hop index of the paths through it.
type visitKey struct {
	node topology.NodeID
	hop  int
}

type graphNode struct {
	id    topology.NodeID
	kind  topology.Kind
	hop   int   // the hop's index (0-based) along the paths
	split []int // the copies split off at this visit, ascending
}

// graphEdge is one hop-to-hop transfer of one copy.
type graphEdge struct {
	from, to int
	copy     int
	send     *route.Hop // the sending hop of the first recipient that took it
	hop      int        // the sending hop's index
}

// graphEnd is a recipient's final disposition, hanging off the visit of
// its last hop.
type graphEnd struct {
	node int
	rc   *route.Recipient
}

// newTraceGraph walks r copy by copy (in [route.Result.Copies] order) along
// [route.Result.CopyHops], recipients in message order. Visits are numbered in
// the order the walk first meets them; a transfer is kept once per copy,
// source and destination visit (a copy's transfer belongs to the copy
// that carried the recipient to its destination).
func newTraceGraph(r *route.Result) *traceGraph {
	g := &traceGraph{index: map[visitKey]int{}, multi: len(r.Copies) > 1}
	visit := func(h *route.Hop, i int) int {
		k := visitKey{h.Node, i}
		if n, ok := g.index[k]; ok {
			return n
		}
		g.index[k] = len(g.nodes)
		g.nodes = append(g.nodes, graphNode{id: h.Node, kind: h.Kind, hop: i})
		return len(g.nodes) - 1
	}
	type edgeKey struct{ from, to, copy int }
	seen := map[edgeKey]bool{}
	eachHop(r, func(ch route.CopyHop, k int) {
		rc := &r.Recipients[k]
		h := &rc.Hops[ch.Index]
		to := visit(h, ch.Index)
		if ch.Index == 0 {
			return
		}
		prev := &rc.Hops[ch.Index-1]
		from := visit(prev, ch.Index-1)
		key := edgeKey{from, to, h.Copy}
		if seen[key] {
			return
		}
		seen[key] = true
		g.edges = append(g.edges, graphEdge{from: from, to: to, copy: h.Copy, send: prev, hop: ch.Index - 1})
	})
	for k := range r.Recipients {
		rc := &r.Recipients[k]
		if len(rc.Hops) == 0 {
			continue
		}
		last := len(rc.Hops) - 1
		g.ends = append(g.ends, graphEnd{node: visit(&rc.Hops[last], last), rc: rc})
	}
	for _, c := range copyList(r) {
		if i, ok := g.index[visitKey{c.SplitNode, c.SplitHop}]; ok && c.Parent >= 0 && !slices.Contains(g.nodes[i].split, c.ID) {
			g.nodes[i].split = append(g.nodes[i].split, c.ID)
		}
	}
	for i := range g.nodes {
		slices.Sort(g.nodes[i].split)
	}
	return g
}

// sendEvent returns the event by which h passed the message on: its last
// event other than RECEIVE, or 0 when it has none.
func sendEvent(h *route.Hop) route.Event {
	for i := len(h.Events) - 1; i >= 0; i-- {
		if h.Events[i] != route.RECEIVE {
			return h.Events[i]
		}
	}
	return 0
}

// lastEvent returns h's last event, or 0.
func lastEvent(h *route.Hop) route.Event {
	if len(h.Events) == 0 {
		return 0
	}
	return h.Events[len(h.Events)-1]
}

// copyPrefix returns "copy N, " when the message was split, else "".
func (g *traceGraph) copyPrefix(c int) string {
	if !g.multi {
		return ""
	}
	return "copy " + strconv.Itoa(c) + ", "
}

// edgeLabel is a transfer's label: its copy (when there are several), the
// number of the sending hop, its sending event and the connector, if any:
// "copy 1, hop 4: SEND [Outbound to contoso]".
func (g *traceGraph) edgeLabel(e *graphEdge) string {
	s := g.copyPrefix(e.copy) + "hop " + strconv.Itoa(e.hop+1) + ":"
	if ev := sendEvent(e.send); ev != 0 {
		s += " " + ev.String()
	}
	if e.send.Connector != "" {
		s += " [" + e.send.Connector + "]"
	}
	return s
}

// endLabel is the label of the edge to a recipient's disposition: its copy
// and the last event of its last hop.
func (g *traceGraph) endLabel(e *graphEnd) string {
	s := strings.TrimSuffix(g.copyPrefix(e.rc.Copy), ", ")
	if ev := lastEvent(&e.rc.Hops[len(e.rc.Hops)-1]); ev != 0 {
		if s != "" {
			s += ": "
		}
		s += ev.String()
	}
	return s
}

// nodeLines are the lines of a visit's label: the node's ID, its kind,
// the hop number and the copies split off there.
func (g *traceGraph) nodeLines(n *graphNode) []string {
	lines := []string{n.id.String(), n.kind.String() + ", hop " + strconv.Itoa(n.hop+1)}
	if len(n.split) > 0 {
		s := make([]string, len(n.split))
		for i, c := range n.split {
			s[i] = strconv.Itoa(c)
		}
		word := "copy "
		if len(s) > 1 {
			word = "copies "
		}
		lines = append(lines, "split: "+word+strings.Join(s, ", "))
	}
	return lines
}

// endLines are the lines of a disposition's label: the recipient, the
// disposition and the status, if any.
func endLines(rc *route.Recipient) []string {
	lines := []string{rc.Address, rc.Disposition.String()}
	if !rc.Status.IsZero() {
		lines = append(lines, rc.Status.String())
	}
	return lines
}

// dispositionColors are the fill and stroke colours of each disposition:
// delivered green, relayed blue, rejected red, deferred orange, expanded
// purple, the ends that reach nobody (dropped, quarantined, looped) grey.
var dispositionColors = map[route.Disposition][2]string{
	route.Delivered:   {"#c8e6c9", "#2e7d32"},
	route.Relayed:     {"#bbdefb", "#1565c0"},
	route.Rejected:    {"#ffcdd2", "#c62828"},
	route.Deferred:    {"#ffe0b2", "#ef6c00"},
	route.Dropped:     {"#e0e0e0", "#616161"},
	route.Quarantined: {"#e0e0e0", "#616161"},
	route.Looped:      {"#e0e0e0", "#616161"},
	route.Expanded:    {"#e1bee7", "#6a1b9a"},
}

func colorsOf(d route.Disposition) [2]string {
	if c, ok := dispositionColors[d]; ok {
		return c
	}
	return [2]string{"#ffffff", "#000000"}
}

// className is the Mermaid class of a disposition: its lower-case name.
func className(d route.Disposition) string {
	return strings.ToLower(strings.NewReplacer("(", "", ")", "").Replace(d.String()))
}

// headline is the message in one line: "from -> to1, to2".
func headline(r *route.Result) string {
	from := r.Message.From
	if from == "" {
		from = "<>"
	}
	to := make([]string, len(r.Recipients))
	for i := range r.Recipients {
		to[i] = r.Recipients[i].Address
	}
	return from + " -> " + strings.Join(to, ", ")
}

// usedDispositions returns the dispositions of g's ends in Disposition
// order, once each.
func (g *traceGraph) usedDispositions() []route.Disposition {
	var ds []route.Disposition
	for _, e := range g.ends {
		if !slices.Contains(ds, e.rc.Disposition) {
			ds = append(ds, e.rc.Disposition)
		}
	}
	slices.Sort(ds)
	return ds
}

// MermaidFlowchart writes r as a Mermaid "flowchart LR". It
// prints, in this order: a comment line with the message; one node per
// visit the recipients made to a topology node (a node passed twice is
// drawn twice; n0, n1… in the order of a walk of [route.Result.CopyHops], copy
// by copy), labelled with the node ID, its kind and the hop number, drawn
// as a hexagon naming the copies split off there when the message was
// split there; one stadium-shaped node per recipient (r0, r1… in message
// order) with its disposition and status; the transfers in the same walk,
// one edge per transfer of a copy, labelled with the copy (when there are
// several), the number of the sending hop, its sending event and the
// connector ("copy 1, hop 4: SEND [Outbound to contoso]"); an edge from
// each recipient's last visit to its disposition, labelled with its copy
// and last event; and classDef and class
// lines colouring the dispositions (delivered green, relayed blue, rejected
// red, deferred orange, expanded purple, dropped, quarantined and looped
// grey), in [route.Disposition] order. Labels are quoted with Mermaid entity codes
// for characters Mermaid would read as syntax.
func MermaidFlowchart(w io.Writer, r *route.Result) error {
	if r == nil {
		return ErrNilResult
	}
	g := newTraceGraph(r)
	var b bytes.Buffer
	b.WriteString("flowchart LR\n")
	fmt.Fprintf(&b, "  %%%% %s\n", strings.NewReplacer("\n", " ", "\r", " ").Replace(headline(r)))
	for i := range g.nodes {
		n := &g.nodes[i]
		label := diagram.MermaidLines(g.nodeLines(n)...)
		if len(n.split) > 0 {
			fmt.Fprintf(&b, "  n%d{{\"%s\"}}\n", i, label)
		} else {
			fmt.Fprintf(&b, "  n%d[\"%s\"]\n", i, label)
		}
	}
	for i := range g.ends {
		fmt.Fprintf(&b, "  r%d([\"%s\"])\n", i, diagram.MermaidLines(endLines(g.ends[i].rc)...))
	}
	for _, e := range g.edges {
		fmt.Fprintf(&b, "  n%d -->|\"%s\"| n%d\n", e.from, diagram.Mermaid(g.edgeLabel(&e)), e.to)
	}
	for i := range g.ends {
		e := &g.ends[i]
		fmt.Fprintf(&b, "  n%d -->|\"%s\"| r%d\n", e.node, diagram.Mermaid(g.endLabel(e)), i)
	}
	for _, d := range g.usedDispositions() {
		c := colorsOf(d)
		fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:%s,color:#000000\n", className(d), c[0], c[1])
	}
	for _, d := range g.usedDispositions() {
		var ids []string
		for i := range g.ends {
			if g.ends[i].rc.Disposition == d {
				ids = append(ids, "r"+strconv.Itoa(i))
			}
		}
		fmt.Fprintf(&b, "  class %s %s\n", strings.Join(ids, ","), className(d))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// MermaidSequence writes r as a Mermaid "sequenceDiagram".
// It prints, in this order: a comment line with the message; one
// participant per topology node the recipients visited, in order of first
// appearance in the walk of [MermaidFlowchart], named by its
// node ID (a node passed several times is one participant, the arrows to
// it show each visit); then copy by copy in [route.Result.Copies] order: for a
// copy split off another, a note over the node where it was split; one
// arrow per transfer of the copy, by hop index and then recipient order,
// labelled like the flowchart's edges ("copy 1, hop 4: SEND [Outbound to
// contoso]"); and a note over the last node of each recipient the copy
// carried last, in message order, with its disposition and status.
func MermaidSequence(w io.Writer, r *route.Result) error {
	if r == nil {
		return ErrNilResult
	}
	g := newTraceGraph(r)
	var b bytes.Buffer
	b.WriteString("sequenceDiagram\n")
	fmt.Fprintf(&b, "  %%%% %s\n", strings.NewReplacer("\n", " ", "\r", " ").Replace(headline(r)))
	participant := make([]int, len(g.nodes)) // visit → participant
	var ids []topology.NodeID
	for i := range g.nodes {
		j := slices.Index(ids, g.nodes[i].id)
		if j < 0 {
			ids = append(ids, g.nodes[i].id)
			j = len(ids) - 1
			fmt.Fprintf(&b, "  participant p%d as %s\n", j, diagram.Mermaid(g.nodes[i].id.String()))
		}
		participant[i] = j
	}
	for _, c := range copyList(r) {
		if c.Parent >= 0 {
			if i, ok := g.index[visitKey{c.SplitNode, c.SplitHop}]; ok {
				fmt.Fprintf(&b, "  Note over p%d: %s\n", participant[i], diagram.Mermaid(fmt.Sprintf("copy %d split from copy %d at hop %d for %s", c.ID, c.Parent, c.SplitHop+1, strings.Join(c.Recipients, ", "))))
			}
		}
		for i := range g.edges {
			e := &g.edges[i]
			if e.copy != c.ID {
				continue
			}
			fmt.Fprintf(&b, "  p%d->>p%d: %s\n", participant[e.from], participant[e.to], diagram.Mermaid(g.edgeLabel(e)))
		}
		for i := range g.ends {
			e := &g.ends[i]
			if e.rc.Copy != c.ID {
				continue
			}
			lines := []string{e.rc.Address + ": " + e.rc.Disposition.String()}
			if !e.rc.Status.IsZero() {
				lines = append(lines, e.rc.Status.String())
			}
			fmt.Fprintf(&b, "  Note over p%d: %s\n", participant[e.node], diagram.MermaidLines(lines...))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// DOT writes r as a Graphviz digraph with the content of
// [MermaidFlowchart], laid out left to right: the graph label
// (the message); the visits to topology nodes (n0, n1… in order of first
// appearance) as boxes labelled with node ID, kind and hop number,
// hexagons where copies were split off; the recipients' dispositions (r0,
// r1… in message
// order) as rounded boxes filled with the disposition's colour; the
// transfers in copy order, then hop index, then recipient order; and the
// edges to the dispositions. Strings are quoted with DOT's escapes.
func DOT(w io.Writer, r *route.Result) error {
	if r == nil {
		return ErrNilResult
	}
	g := newTraceGraph(r)
	var b bytes.Buffer
	diagram.DOTHeader(&b, "trace", headline(r))
	for i := range g.nodes {
		n := &g.nodes[i]
		if len(n.split) > 0 {
			fmt.Fprintf(&b, "  n%d [label=%s, shape=hexagon];\n", i, diagram.DOTLines(g.nodeLines(n)...))
		} else {
			fmt.Fprintf(&b, "  n%d [label=%s];\n", i, diagram.DOTLines(g.nodeLines(n)...))
		}
	}
	for i := range g.ends {
		rc := g.ends[i].rc
		c := colorsOf(rc.Disposition)
		fmt.Fprintf(&b, "  r%d [label=%s, style=\"rounded,filled\", fillcolor=%s, color=%s];\n", i, diagram.DOTLines(endLines(rc)...), diagram.DOTLines(c[0]), diagram.DOTLines(c[1]))
	}
	for _, e := range g.edges {
		fmt.Fprintf(&b, "  n%d -> n%d [label=%s];\n", e.from, e.to, diagram.DOTLines(g.edgeLabel(&e)))
	}
	for i := range g.ends {
		e := &g.ends[i]
		fmt.Fprintf(&b, "  n%d -> r%d [label=%s];\n", e.node, i, diagram.DOTLines(g.endLabel(e)))
	}
	b.WriteString("}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// copyList returns r's copies, or copy 0 alone for a result made by hand
// without copies.
func copyList(r *route.Result) []route.Copy {
	if len(r.Copies) == 0 {
		return []route.Copy{{ID: 0, Parent: -1, SplitHop: -1}}
	}
	return r.Copies
}

// eachHop calls f for every hop of every recipient of r, along the copy
// tree: copy by copy in Copies order, each copy's hops in path order
// ([route.Result.CopyHops]), recipients ascending; k indexes r.Recipients.
func eachHop(r *route.Result, f func(ch route.CopyHop, k int)) {
	for _, c := range copyList(r) {
		for _, ch := range r.CopyHops(c.ID) {
			for _, k := range ch.Recipients {
				f(ch, k)
			}
		}
	}
}
