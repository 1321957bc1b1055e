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
//   - route.RECEIVE: STOREDRIVER for a message submitted from a mailbox (the
//     first hop, at an Exchange Online or on-premises node), else SMTP;
//   - route.SEND and route.DEFER: SMTP;
//   - route.DELIVER: STOREDRIVER;
//   - route.RESOLVE, route.EXPAND and route.TRANSFER: ROUTING (the categorizer);
//   - route.REDIRECT: AGENT when a mail flow rule acted at the hop, else ROUTING
//     (forwarding set on the recipient);
//   - route.FAIL: AGENT when a transport agent's stage (anti-malware, mail flow
//     rules, anti-spam, compliance) rejected the message at the hop, else
//     SMTP (refused during the SMTP conversation: route.DBEB, tenant
//     attribution, connector restrictions, hop count);
//   - route.DROP: AGENT.
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
		if ruleActed(h) {
			return sourceAgent
		}
		for _, f := range h.Filters {
			if f.Result == route.Applied && f.Verdict == route.VerdictReject && f.Stage != route.ConnectionFilter && f.Stage != route.DBEB {
				return sourceAgent
			}
		}
		return sourceSMTP
	case route.DROP:
		return sourceAgent
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
// node), ConnectorId (the inbound or Receive connector of a route.RECEIVE, the
// outbound or Send connector of a route.SEND), Copy (the copy of the message the
// event belongs to: a route.TRANSFER and what follows it belong to the new
// copy), Recipients (separated by ';' as in the log), RecipientStatus (the
// status of a recipient's final event, where there is one) and
// route.Directionality; "-" marks an empty field.
//
// Rows are in hop-index order. Within a hop index, an event logged once
// for several recipients (the same node, copy, event, connector and
// status) is one row naming them all; rows are grouped by node, in the
// order the recipients (in message order) reach the nodes, and within a
// node ordered receipt first, then resolution (route.RESOLVE, route.REDIRECT,
// route.EXPAND), then route.TRANSFER, then the outcome (route.SEND, route.DELIVER, route.FAIL, route.DEFER,
// route.DROP), ties in recipient and event order. Exchange follows a route.FAIL with a DSN event (Source DSN) when it
// writes the non-delivery report itself; the result does not model the
// report, so no DSN row is written. The columns are aligned with spaces.
func MessageTrace(w io.Writer, r *route.Result) error {
	// The rows, collected along the copy tree (Result.CopyHops), then put
	// in the order documented above.
	type keyed struct {
		row                    traceRow
		node, rank, first, seq int // sort keys after the hop index
	}
	var rows []keyed
	nodeRank := map[visitKey]int{} // a node's rank at a hop index: its first recipient
	eachHop(r, func(ch route.CopyHop, k int) {
		rc := &r.Recipients[k]
		i := ch.Index
		h := &rc.Hops[i]
		vk := visitKey{h.Node, i}
		if n, ok := nodeRank[vk]; !ok || k < n {
			nodeRank[vk] = k
		}
		newCopy := rc.Copy // the copy a route.TRANSFER moves the recipient to
		if i+1 < len(rc.Hops) {
			newCopy = rc.Hops[i+1].Copy
		}
		cp := h.Copy
		for j, e := range h.Events {
			if e == route.TRANSFER {
				cp = newCopy
			}
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
