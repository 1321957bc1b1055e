package render

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

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
func eventSource(h *route.Hop, i int, e route.Event) string {
	switch e {
	case route.RECEIVE:
		if i == 0 && (h.Kind == topology.KindExchangeOnline || h.Kind == topology.KindOnPremises) {
			return sourceStoreDriver
		}
		return sourceSMTP
	case route.DELIVER:
		return sourceStoreDriver
	case route.RESOLVE, route.EXPAND, route.TRANSFER:
		return sourceRouting
	case route.REDIRECT:
		if ruleActed(h) {
			return sourceAgent
		}
		return sourceRouting
	case route.FAIL:
		return failSource(h)
	case route.DROP:
		return sourceAgent
	}
	return sourceSMTP
}

// failSource returns the Source of a FAIL at h: AGENT when a mail flow
// rule acted or a transport agent's stage rejected the message, else SMTP
// (refused during the SMTP conversation).
func failSource(h *route.Hop) string {
	if ruleActed(h) {
		return sourceAgent
	}
	for _, f := range h.Filters {
		if f.Result == route.Applied && f.Verdict == route.VerdictReject && f.Stage != route.ConnectionFilter && f.Stage != route.DBEB {
			return sourceAgent
		}
	}
	return sourceSMTP
}

// ruleActed reports whether a mail flow rule did something at h.
func ruleActed(h *route.Hop) bool {
	for _, f := range h.Filters {
		if f.Stage == route.TransportRules && f.Result == route.Applied && f.Verdict != route.VerdictPass {
			return true
		}
	}
	return false
}

// eventRank orders the events of one hop the way transport logs them:
// receipt, then recipient resolution, then the fork, then what became of
// the message.
func eventRank(e route.Event) int {
	switch e {
	case route.RECEIVE:
		return 0
	case route.RESOLVE, route.REDIRECT, route.EXPAND:
		return 1
	case route.TRANSFER:
		return 2
	}
	return 3
}

// traceRow is one row of the message-tracking table.
type traceRow struct {
	hop            int
	event          route.Event
	source         string
	node           topology.NodeID
	connector      string
	copy           int
	recipients     []string
	status         string
	directionality route.Directionality
}

// MessageTrace writes r as Exchange's message tracking log
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
func MessageTrace(w io.Writer, r *route.Result) error {
	if r == nil {
		return ErrNilResult
	}
	var b bytes.Buffer
	if err := writeTraceTable(&b, traceRows(r)); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// keyedRow is a row of the message-tracking table with its sort keys
// after the hop index.
type keyedRow struct {
	row                    traceRow
	node, rank, first, seq int
}

// traceRows returns the rows of r's table, collected along the copy tree
// ([route.Result.CopyHops]) and put in the order [MessageTrace] documents.
func traceRows(r *route.Result) []keyedRow {
	var rows []keyedRow
	nodeRank := map[visitKey]int{} // a node's rank at a hop index: its first recipient
	eachHop(r, func(ch route.CopyHop, k int) {
		rc := &r.Recipients[k]
		vk := visitKey{rc.Hops[ch.Index].Node, ch.Index}
		if n, ok := nodeRank[vk]; !ok || k < n {
			nodeRank[vk] = k
		}
		rows = addHopRows(rows, rc, ch.Index, k)
	})
	for i := range rows {
		rows[i].node = nodeRank[visitKey{rows[i].row.node, rows[i].row.hop}]
	}
	slices.SortStableFunc(rows, func(a, b keyedRow) int {
		return cmp.Or(a.row.hop-b.row.hop, a.node-b.node, a.rank-b.rank, a.first-b.first, a.seq-b.seq)
	})
	return rows
}

// addHopRows adds the events of hop i of rc, the k-th recipient, to rows:
// an event already logged for another recipient names rc too.
func addHopRows(rows []keyedRow, rc *route.Recipient, i, k int) []keyedRow {
	h := &rc.Hops[i]
	newCopy := rc.Copy // the copy a TRANSFER moves the recipient to
	if i+1 < len(rc.Hops) {
		newCopy = rc.Hops[i+1].Copy
	}
	cp := h.Copy
	for j, e := range h.Events {
		if e == route.TRANSFER {
			cp = newCopy
		}
		row := eventRow(rc, i, j, cp)
		x := slices.IndexFunc(rows, func(o keyedRow) bool { return o.row.sameEntry(&row) })
		if x < 0 {
			rows = append(rows, keyedRow{row: row, rank: eventRank(e), first: k, seq: j})
			x = len(rows) - 1
		}
		if !slices.Contains(rows[x].row.recipients, rc.Address) {
			rows[x].row.recipients = append(rows[x].row.recipients, rc.Address)
		}
		rows[x].first = min(rows[x].first, k)
	}
	return rows
}

// eventRow is the row of event j of hop i of rc, in copy cp, without its
// recipients.
func eventRow(rc *route.Recipient, i, j, cp int) traceRow {
	h := &rc.Hops[i]
	e := h.Events[j]
	row := traceRow{hop: i, event: e, source: eventSource(h, i, e), node: h.Node, copy: cp, directionality: h.Directionality}
	switch e {
	case route.RECEIVE:
		row.connector = h.InboundConnector
	case route.SEND:
		row.connector = h.Connector
	}
	if i == len(rc.Hops)-1 && j == len(h.Events)-1 {
		row.status = rc.Status.String()
	}
	return row
}

// sameEntry reports whether a and b are one entry of the log: all their
// fields but the recipients are equal.
func (a *traceRow) sameEntry(b *traceRow) bool {
	return a.hop == b.hop && a.event == b.event && a.node == b.node && a.copy == b.copy &&
		a.connector == b.connector && a.status == b.status && a.source == b.source && a.directionality == b.directionality
}

// writeTraceTable writes the header and rows, aligned with spaces.
func writeTraceTable(w io.Writer, rows []keyedRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Seq\tHop\tEventId\tSource\tServer\tConnectorId\tCopy\tRecipients\tRecipientStatus\tDirectionality")
	for n, kr := range rows {
		row := kr.row
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", n+1, row.hop+1, row.event, row.source, row.node,
			dash(row.connector), row.copy, dash(strings.Join(row.recipients, ";")), dash(row.status), dash(row.directionality.String()))
	}
	return tw.Flush()
}

// dash returns s as a table field: "-" when empty, tabs and line breaks
// as spaces.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return strings.NewReplacer("\t", " ", "\n", " ").Replace(s)
}
