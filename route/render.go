package route

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/mailflowsim/mailflow/internal/diagram"

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
	send     *Hop // the sending hop of the first recipient that took it
	hop      int  // the sending hop's index
}

// graphEnd is a recipient's final disposition, hanging off the visit of
// its last hop.
type graphEnd struct {
	node int
	rc   *Recipient
}

// newTraceGraph walks r copy by copy (in [Result.Copies] order) along
// [Result.CopyHops], recipients in message order. Visits are numbered in
// the order the walk first meets them; a transfer is kept once per copy,
// source and destination visit (a copy's transfer belongs to the copy
// that carried the recipient to its destination).
func newTraceGraph(r *Result) *traceGraph {
	g := &traceGraph{index: map[visitKey]int{}, multi: len(r.Copies) > 1}
	visit := func(h *Hop, i int) int {
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
	r.eachHop(func(ch CopyHop, k int) {
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
	for _, c := range r.copyList() {
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
func sendEvent(h *Hop) Event {
	for i := len(h.Events) - 1; i >= 0; i-- {
		if h.Events[i] != RECEIVE {
			return h.Events[i]
		}
	}
	return 0
}

// lastEvent returns h's last event, or 0.
func lastEvent(h *Hop) Event {
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
func endLines(rc *Recipient) []string {
	lines := []string{rc.Address, rc.Disposition.String()}
	if !rc.Status.IsZero() {
		lines = append(lines, rc.Status.String())
	}
	return lines
}

// dispositionColors are the fill and stroke colours of each disposition:
// delivered green, relayed blue, rejected red, deferred orange, expanded
// purple, the ends that reach nobody (dropped, quarantined, looped) grey.
var dispositionColors = map[Disposition][2]string{
	Delivered:   {"#c8e6c9", "#2e7d32"},
	Relayed:     {"#bbdefb", "#1565c0"},
	Rejected:    {"#ffcdd2", "#c62828"},
	Deferred:    {"#ffe0b2", "#ef6c00"},
	Dropped:     {"#e0e0e0", "#616161"},
	Quarantined: {"#e0e0e0", "#616161"},
	Looped:      {"#e0e0e0", "#616161"},
	Expanded:    {"#e1bee7", "#6a1b9a"},
}

func colorsOf(d Disposition) [2]string {
	if c, ok := dispositionColors[d]; ok {
		return c
	}
	return [2]string{"#ffffff", "#000000"}
}

// className is the Mermaid class of a disposition: its lower-case name.
func className(d Disposition) string {
	return strings.ToLower(strings.NewReplacer("(", "", ")", "").Replace(d.String()))
}

// headline is the message in one line: "from -> to1, to2".
func (r *Result) headline() string {
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
func (g *traceGraph) usedDispositions() []Disposition {
	var ds []Disposition
	for _, e := range g.ends {
		if !slices.Contains(ds, e.rc.Disposition) {
			ds = append(ds, e.rc.Disposition)
		}
	}
	slices.Sort(ds)
	return ds
}

// WriteMermaidFlowchart writes the result as a Mermaid "flowchart LR". It
// prints, in this order: a comment line with the message; one node per
// visit the recipients made to a topology node (a node passed twice is
// drawn twice; n0, n1… in the order of a walk of [Result.CopyHops], copy
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
// grey), in Disposition order. Labels are quoted with Mermaid entity codes
// for characters Mermaid would read as syntax.
func (r *Result) WriteMermaidFlowchart(w io.Writer) error {
	g := newTraceGraph(r)
	var b bytes.Buffer
	b.WriteString("flowchart LR\n")
	fmt.Fprintf(&b, "  %%%% %s\n", strings.NewReplacer("\n", " ", "\r", " ").Replace(r.headline()))
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

// WriteMermaidSequence writes the result as a Mermaid "sequenceDiagram".
// It prints, in this order: a comment line with the message; one
// participant per topology node the recipients visited, in order of first
// appearance in the walk of [Result.WriteMermaidFlowchart], named by its
// node ID (a node passed several times is one participant, the arrows to
// it show each visit); then copy by copy in [Result.Copies] order: for a
// copy split off another, a note over the node where it was split; one
// arrow per transfer of the copy, by hop index and then recipient order,
// labelled like the flowchart's edges ("copy 1, hop 4: SEND [Outbound to
// contoso]"); and a note over the last node of each recipient the copy
// carried last, in message order, with its disposition and status.
func (r *Result) WriteMermaidSequence(w io.Writer) error {
	g := newTraceGraph(r)
	var b bytes.Buffer
	b.WriteString("sequenceDiagram\n")
	fmt.Fprintf(&b, "  %%%% %s\n", strings.NewReplacer("\n", " ", "\r", " ").Replace(r.headline()))
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
	for _, c := range r.copyList() {
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

// WriteDOT writes the result as a Graphviz digraph with the content of
// [Result.WriteMermaidFlowchart], laid out left to right: the graph label
// (the message); the visits to topology nodes (n0, n1… in order of first
// appearance) as boxes labelled with node ID, kind and hop number,
// hexagons where copies were split off; the recipients' dispositions (r0,
// r1… in message
// order) as rounded boxes filled with the disposition's colour; the
// transfers in copy order, then hop index, then recipient order; and the
// edges to the dispositions. Strings are quoted with DOT's escapes.
func (r *Result) WriteDOT(w io.Writer) error {
	g := newTraceGraph(r)
	var b bytes.Buffer
	diagram.DOTHeader(&b, "trace", r.headline())
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

// The Source values of Exchange's message tracking log: the transport
// component that logged an event.
const (
	sourceSMTP        = "SMTP"
	sourceStoreDriver = "STOREDRIVER"
	sourceRouting     = "ROUTING"
	sourceAgent       = "AGENT"
)

// eventSource returns the Source Exchange's message tracking log gives
// event e at hop h, the i-th hop of a path:
//
//   - RECEIVE: STOREDRIVER for a message submitted from a mailbox (the
//     first hop, at an Exchange Online or on-premises node), else SMTP;
//   - SEND and DEFER: SMTP;
//   - DELIVER: STOREDRIVER;
//   - RESOLVE, EXPAND and TRANSFER: ROUTING (the categorizer);
//   - REDIRECT: AGENT when a mail flow rule acted at the hop, else ROUTING
//     (forwarding set on the recipient);
//   - FAIL: AGENT when a transport agent's stage (anti-malware, mail flow
//     rules, anti-spam, compliance) rejected the message at the hop, else
//     SMTP (refused during the SMTP conversation: DBEB, tenant
//     attribution, connector restrictions, hop count);
//   - DROP: AGENT.
func eventSource(h *Hop, i int, e Event) string {
	switch e {
	case RECEIVE:
		if i == 0 && (h.Kind == topology.KindExchangeOnline || h.Kind == topology.KindOnPremises) {
			return sourceStoreDriver
		}
		return sourceSMTP
	case DELIVER:
		return sourceStoreDriver
	case RESOLVE, EXPAND, TRANSFER:
		return sourceRouting
	case REDIRECT:
		if ruleActed(h) {
			return sourceAgent
		}
		return sourceRouting
	case FAIL:
		if ruleActed(h) {
			return sourceAgent
		}
		for _, f := range h.Filters {
			if f.Result == Applied && f.Verdict == VerdictReject && f.Stage != ConnectionFilter && f.Stage != DBEB {
				return sourceAgent
			}
		}
		return sourceSMTP
	case DROP:
		return sourceAgent
	}
	return sourceSMTP
}

// ruleActed reports whether a mail flow rule did something at h.
func ruleActed(h *Hop) bool {
	for _, f := range h.Filters {
		if f.Stage == TransportRules && f.Result == Applied && f.Verdict != VerdictPass {
			return true
		}
	}
	return false
}

// eventRank orders the events of one hop the way transport logs them:
// receipt, then recipient resolution, then the fork, then what became of
// the message.
func eventRank(e Event) int {
	switch e {
	case RECEIVE:
		return 0
	case RESOLVE, REDIRECT, EXPAND:
		return 1
	case TRANSFER:
		return 2
	}
	return 3
}

// traceRow is one row of the message-tracking table.
type traceRow struct {
	hop            int
	event          Event
	source         string
	node           topology.NodeID
	connector      string
	copy           int
	recipients     []string
	status         string
	directionality Directionality
}

// WriteMessageTrace writes the result as Exchange's message tracking log
// (Get-MessageTrackingLog) and Exchange Online's message trace show it:
// a header line, then one row per event, with the columns Seq (the row's
// number, standing in for the date), Hop (the hop's number along the
// recipients' paths), EventId, Source (the transport component that logs
// the event in Exchange: SMTP, STOREDRIVER, ROUTING or AGENT), Server (the
// node), ConnectorId (the inbound or Receive connector of a RECEIVE, the
// outbound or Send connector of a SEND), Copy (the copy of the message the
// event belongs to: a TRANSFER and what follows it belong to the new
// copy), Recipients (separated by ';' as in the log), RecipientStatus (the
// status of a recipient's final event, where there is one) and
// Directionality; "-" marks an empty field.
//
// Rows are in hop-index order. Within a hop index, an event logged once
// for several recipients (the same node, copy, event, connector and
// status) is one row naming them all; rows are grouped by node, in the
// order the recipients (in message order) reach the nodes, and within a
// node ordered receipt first, then resolution (RESOLVE, REDIRECT,
// EXPAND), then TRANSFER, then the outcome (SEND, DELIVER, FAIL, DEFER,
// DROP), ties in recipient and event order. Exchange follows a FAIL with a DSN event (Source DSN) when it
// writes the non-delivery report itself; the result does not model the
// report, so no DSN row is written. The columns are aligned with spaces.
func (r *Result) WriteMessageTrace(w io.Writer) error {
	// The rows, collected along the copy tree (Result.CopyHops), then put
	// in the order documented above.
	type keyed struct {
		row                    traceRow
		node, rank, first, seq int // sort keys after the hop index
	}
	var rows []keyed
	nodeRank := map[visitKey]int{} // a node's rank at a hop index: its first recipient
	r.eachHop(func(ch CopyHop, k int) {
		rc := &r.Recipients[k]
		i := ch.Index
		h := &rc.Hops[i]
		vk := visitKey{h.Node, i}
		if n, ok := nodeRank[vk]; !ok || k < n {
			nodeRank[vk] = k
		}
		newCopy := rc.Copy // the copy a TRANSFER moves the recipient to
		if i+1 < len(rc.Hops) {
			newCopy = rc.Hops[i+1].Copy
		}
		cp := h.Copy
		for j, e := range h.Events {
			if e == TRANSFER {
				cp = newCopy
			}
			row := traceRow{hop: i, event: e, source: eventSource(h, i, e), node: h.Node, copy: cp, directionality: h.Directionality}
			switch e {
			case RECEIVE:
				row.connector = h.InboundConnector
			case SEND:
				row.connector = h.Connector
			}
			if i == len(rc.Hops)-1 && j == len(h.Events)-1 {
				row.status = rc.Status.String()
			}
			x := slices.IndexFunc(rows, func(o keyed) bool {
				return o.row.hop == row.hop && o.row.event == row.event && o.row.node == row.node && o.row.copy == row.copy &&
					o.row.connector == row.connector && o.row.status == row.status && o.row.source == row.source && o.row.directionality == row.directionality
			})
			if x < 0 {
				rows = append(rows, keyed{row: row, rank: eventRank(e), first: k, seq: j})
				x = len(rows) - 1
			}
			if !slices.Contains(rows[x].row.recipients, rc.Address) {
				rows[x].row.recipients = append(rows[x].row.recipients, rc.Address)
			}
			rows[x].first = min(rows[x].first, k)
		}
	})
	for i := range rows {
		rows[i].node = nodeRank[visitKey{rows[i].row.node, rows[i].row.hop}]
	}
	slices.SortStableFunc(rows, func(a, b keyed) int {
		return cmp.Or(a.row.hop-b.row.hop, a.node-b.node, a.rank-b.rank, a.first-b.first, a.seq-b.seq)
	})
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Seq\tHop\tEventId\tSource\tServer\tConnectorId\tCopy\tRecipients\tRecipientStatus\tDirectionality")
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return strings.NewReplacer("\t", " ", "\n", " ").Replace(s)
	}
	for n, kr := range rows {
		row := kr.row
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", n+1, row.hop+1, row.event, row.source, row.node,
			dash(row.connector), row.copy, dash(strings.Join(row.recipients, ";")), dash(row.status), dash(row.directionality.String()))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
