package route

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteText writes the result as readable text: a block per copy of the
// message, in copy order, with one line per hop (numbered from 1 along the
// recipients' paths) and how each recipient ended. A line names its
// recipients in brackets when they differ from the line before; the hop
// where a copy was split off opens that copy's block. Filters are listed
// as +Stage (applied), -Stage (skipped) or ~Stage (not effective); a
// verdict other than Pass follows its stage (+DBEB=Reject,
// +TransportRules=Matched, +AntiSpam=Spam). The text depends only on the
// result, so it is stable. It is meant for people, and its layout may
// improve between versions (machines should read the JSON form).
func (r *Result) WriteText(w io.Writer) error {
	var b bytes.Buffer
	from := r.Message.From
	if from == "" {
		from = "<>"
	}
	to := make([]string, len(r.Recipients))
	for i := range r.Recipients {
		to[i] = r.Recipients[i].Address
	}
	fmt.Fprintf(&b, "%s -> %s (enters at %s)\n", from, strings.Join(to, ", "), r.Origin)
	for _, c := range r.Copies {
		if c.Parent < 0 {
			fmt.Fprintf(&b, "copy %d: %s\n", c.ID, strings.Join(c.Recipients, ", "))
		} else {
			fmt.Fprintf(&b, "copy %d, split from copy %d at hop %d (%s): %s\n", c.ID, c.Parent, c.SplitHop+1, c.SplitNode, strings.Join(c.Recipients, ", "))
		}
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		r.writeCopy(tw, c.ID, c.Recipients)
		tw.Flush()
		for _, rc := range r.Recipients {
			if rc.Copy != c.ID {
				continue
			}
			last := rc.Hops[len(rc.Hops)-1]
			fmt.Fprintf(&b, "  => %s: %s at hop %d (%s)", rc.Address, rc.Disposition, len(rc.Hops), last.Node)
			if !rc.Status.IsZero() {
				fmt.Fprintf(&b, ": %s", rc.Status)
			}
			b.WriteByte('\n')
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// String returns the text form of the result.
func (r *Result) String() string {
	var b strings.Builder
	r.WriteText(&b)
	return b.String()
}

// writeCopy writes the hops shown in copy c's block: one line per hop and
// outcome, naming the recipients when they are not those of the line
// before.
func (r *Result) writeCopy(w io.Writer, c int, rcpts []string) {
	prev := rcpts
	for i := 0; ; i++ {
		type line struct {
			rcpts []string
			hop   *Hop
		}
		var lines []line
		more := false
		for k := range r.Recipients {
			rc := &r.Recipients[k]
			if i >= len(rc.Hops) {
				continue
			}
			more = true
			if blockOf(rc, i) != c {
				continue
			}
			h := &rc.Hops[i]
			j := slices.IndexFunc(lines, func(l line) bool { return sameOutcome(l.hop, h) })
			if j < 0 {
				lines = append(lines, line{hop: h})
				j = len(lines) - 1
			}
			lines[j].rcpts = append(lines[j].rcpts, rc.Address)
		}
		if !more {
			return
		}
		for _, l := range lines {
			h := l.hop
			kind := h.Kind.String()
			if rs := h.Role.String(); rs != kind {
				kind += "/" + rs
			}
			attr := "-"
			if h.AuthAs != "" {
				attr = string(h.AuthAs) + "/" + string(h.Directionality)
			}
			who := ""
			if !slices.Equal(l.rcpts, prev) {
				who = "[" + strings.Join(l.rcpts, ", ") + "] "
				prev = l.rcpts
			}
			via := ""
			switch {
			case h.InboundConnector != "" && h.CrossPremisesHeaders:
				via = " (via " + quote(h.InboundConnector) + ", cross-premises headers promoted)"
			case h.InboundConnector != "":
				via = " (via " + quote(h.InboundConnector) + ")"
			}
			fmt.Fprintf(w, "  %d\t%s\t%s\t%s\t%s\t%s%s%s\n", i+1, h.Node, kind, attr, filterTokens(h), who, outcomeText(h), via)
		}
	}
}

func sameOutcome(a, b *Hop) bool {
	return a.Reason == b.Reason && a.Connector == b.Connector && slices.Equal(a.Events, b.Events)
}

func outcomeText(h *Hop) string {
	ev := make([]string, len(h.Events))
	for i, e := range h.Events {
		ev[i] = e.String()
	}
	s := strings.Join(ev, " ")
	if h.Connector != "" {
		s += " [" + h.Connector + "]"
	}
	return s + ": " + h.Reason
}

func filterTokens(h *Hop) string {
	if len(h.Filters) == 0 {
		return "-"
	}
	t := make([]string, len(h.Filters))
	for i, f := range h.Filters {
		switch {
		case f.Result == NotEffective:
			t[i] = "~" + f.Stage.String()
		case f.Result == Applied && f.Verdict != 0 && f.Verdict != VerdictPass:
			t[i] = "+" + f.Stage.String() + "=" + f.Verdict.String()
		case f.Result == Applied:
			t[i] = "+" + f.Stage.String()
		default:
			t[i] = "-" + f.Stage.String()
		}
	}
	return strings.Join(t, " ")
}
