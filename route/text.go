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
// message, one line per hop (numbered from 1 along the recipients' paths),
// sub-lines per recipient where they part at that hop, and how each
// recipient ended. Filters are listed as +Stage (applied), -Stage
// (skipped) or ~Stage (not effective). The text depends only on the
// result, so it is stable; it is meant for people, and its layout may
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
		r.writeCopy(tw, c.ID)
		tw.Flush()
		for _, rc := range r.Recipients {
			if rc.Copy != c.ID {
				continue
			}
			last := rc.Hops[len(rc.Hops)-1]
			fmt.Fprintf(&b, "  => %s: %s at hop %d (%s)", rc.Address, rc.Disposition, len(rc.Hops), last.Node)
			if rc.Status != "" {
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

// writeCopy writes the hops that copy c made.
func (r *Result) writeCopy(w io.Writer, c int) {
	for i := 0; ; i++ {
		type line struct {
			rcpts []string
			hop   *Hop
		}
		var lines []line
		var shared *Hop
		more := false
		for k := range r.Recipients {
			hops := r.Recipients[k].Hops
			if i >= len(hops) {
				continue
			}
			more = true
			h := &hops[i]
			if h.Copy != c {
				continue
			}
			if shared == nil {
				shared = h
			}
			j := slices.IndexFunc(lines, func(l line) bool { return sameOutcome(l.hop, h) })
			if j < 0 {
				lines = append(lines, line{hop: h})
				j = len(lines) - 1
			}
			lines[j].rcpts = append(lines[j].rcpts, r.Recipients[k].Address)
		}
		if !more {
			return
		}
		if shared == nil {
			continue
		}
		kind := shared.Kind.String()
		if rs := shared.Role.String(); rs != kind {
			kind += "/" + rs
		}
		attr := "-"
		if shared.AuthAs != "" {
			attr = string(shared.AuthAs) + "/" + string(shared.Directionality)
		}
		head := fmt.Sprintf("  %d\t%s\t%s\t%s\t%s", i+1, shared.Node, kind, attr, filterTokens(shared))
		if shared.InboundConnector != "" {
			head += "\tvia " + quote(shared.InboundConnector)
		}
		if len(lines) == 1 {
			fmt.Fprintf(w, "%s\t%s\n", head, outcomeText(lines[0].hop))
			continue
		}
		fmt.Fprintln(w, head)
		for _, l := range lines {
			fmt.Fprintf(w, "    \t%s\t%s\n", strings.Join(l.rcpts, ", "), outcomeText(l.hop))
		}
	}
}

func sameOutcome(a, b *Hop) bool {
	return a.Reason == b.Reason && a.Connector == b.Connector && slices.Equal(a.Events, b.Events)
}

func outcomeText(h *Hop) string {
	ev := make([]string, len(h.Events))
	for i, e := range h.Events {
		ev[i] = string(e)
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
		case f.Verdict == VerdictNotEffective:
			t[i] = "~" + string(f.Stage)
		case f.Applied:
			t[i] = "+" + string(f.Stage)
		default:
			t[i] = "-" + string(f.Stage)
		}
	}
	return strings.Join(t, " ")
}
