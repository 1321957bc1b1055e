package render

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/route"
)

// ErrNilResult is the error of a trace renderer given a nil result.
var ErrNilResult = errors.New("render: nil result")

// TextWidth is the width [Text] wraps its lines at.
const TextWidth = 100

// Text writes r as readable text, lines wrapped at
// [TextWidth] columns (a word longer than that stays whole):
//
//   - a headline: "from -> to, … (enters at node)";
//   - a block per copy of the message, in copy order, opened by "copy N:"
//     and its recipients (with where it was split off, for a copy split
//     from another), holding the copy's hops ([route.Result.CopyHops]);
//   - for each hop, a line with its number along the recipients' paths
//     (from 1), node, kind and role, attribution (AuthAs/Directionality,
//     "-" for none), the inbound or Receive connector that took it ("via"),
//     "TLS" or "no TLS" for a hop reached over SMTP, and the rewritten
//     envelope sender if any; then the filtering stages as +Stage
//     (applied), -Stage (skipped) or ~Stage (not effective), a verdict
//     other than Pass after its stage (+DBEB=Reject, +AntiSpam=Spam); then
//     one line per stage that is not simply applied and passed, with its
//     reason ("~AntiSpam: …"); then what the hop did: its events, the
//     connector it sent on in brackets, and its reason, once per group of
//     recipients with the same outcome, naming them in brackets when they
//     are not those of the line before;
//   - after a copy's hops, "=> address: Disposition at hop N (node)", the
//     status and, for a deferred recipient, how its queue retries it, for
//     each recipient the copy carried last.
//
// The text depends only on the result, so it is stable. It is meant for
// people, and its layout may improve between versions: programs read the
// [route.Result] or its JSON form.
func Text(w io.Writer, r *route.Result) error {
	if r == nil {
		return ErrNilResult
	}
	t := textWriter{}
	t.line("", headline(r)+" (enters at "+r.Origin.String()+")")
	for _, c := range copyList(r) {
		if c.Parent < 0 {
			t.line("", "copy "+strconv.Itoa(c.ID)+": "+strings.Join(c.Recipients, ", "))
		} else {
			t.line("", "copy "+strconv.Itoa(c.ID)+", split from copy "+strconv.Itoa(c.Parent)+" at hop "+strconv.Itoa(c.SplitHop+1)+
				" ("+c.SplitNode.String()+"): "+strings.Join(c.Recipients, ", "))
		}
		prev := c.Recipients
		for _, ch := range r.CopyHops(c.ID) {
			prev = writeHop(&t, r, ch, prev)
		}
		for i := range r.Recipients {
			rc := &r.Recipients[i]
			if rc.Copy != c.ID || len(rc.Hops) == 0 {
				continue
			}
			last := rc.Hops[len(rc.Hops)-1]
			s := "=> " + rc.Address + ": " + rc.Disposition.String() + " at hop " + strconv.Itoa(len(rc.Hops)) + " (" + last.Node.String() + ")"
			if !rc.Status.IsZero() {
				s += ": " + rc.Status.String()
			}
			if rc.Retry != nil {
				s += "; " + retryText(rc.Retry)
			}
			t.line("  ", s)
		}
	}
	_, err := w.Write(t.b.Bytes())
	return err
}

// retryText says how a deferred recipient's queue retries it and when it
// returns it.
func retryText(r *route.Retry) string {
	s := r.Queue.String() + "'s queue retries it"
	if r.Interval > 0 {
		s += " every " + r.Interval.String()
	}
	if r.Retries > 0 && r.Then > 0 {
		s += " " + strconv.Itoa(r.Retries) + " times, then every " + r.Then.String() + ","
	}
	if r.Expires <= 0 {
		return s + " on its own schedule"
	}
	s += " for " + r.Expires.String() + " (delivered if the cause is fixed by then)"
	if r.DelayNotification > 0 && r.DelayNotification < r.Expires {
		s += ", tells the sender of the delay after " + r.DelayNotification.String()
	}
	if !r.NDR.IsZero() {
		s += ", then returns it with " + r.NDR.String()
	}
	return s
}

// writeHop writes one hop of a copy of r and returns the recipients
// named last.
func writeHop(t *textWriter, r *route.Result, ch route.CopyHop, prev []string) []string {
	h := &r.Recipients[ch.Recipients[0]].Hops[ch.Index]
	t.line("  ", strings.Join(hopHead(h, ch.Index), "  "))
	writeHeaders(t, h)
	writeFilters(t, h)
	return writeOutcomes(t, r, ch, prev)
}

// hopHead returns the fields of a hop's first line, i its index: number
// and node, kind and role, attribution, the connector that took it, TLS
// and the rewritten sender.
func hopHead(h *route.Hop, i int) []string {
	head := []string{strconv.Itoa(i+1) + " " + h.Node.String(), h.Kind.String()}
	if rs := h.Role.String(); rs != h.Kind.String() {
		head[1] += "/" + rs
	}
	if h.AuthAs != 0 {
		head = append(head, h.AuthAs.String()+"/"+h.Directionality.String())
	} else {
		head = append(head, "-")
	}
	if h.Resubmitted {
		head = append(head, "new submission")
	}
	if h.InboundConnector != "" {
		via := "via " + `"` + h.InboundConnector + `"`
		if h.CrossPremisesHeaders {
			via += " (cross-premises headers promoted)"
		}
		head = append(head, via)
	}
	switch {
	case h.TLS == nil:
	case h.TLS.STARTTLS:
		head = append(head, "TLS")
	default:
		head = append(head, "no TLS")
	}
	if h.Sender != "" {
		head = append(head, "sender "+h.Sender)
	}
	return head
}

// writeHeaders writes the headers the hop's node removed and added, a
// line each, then the Authentication-Results header the hop stamped.
func writeHeaders(t *textWriter, h *route.Hop) {
	if len(h.HeadersRemoved) > 0 {
		t.line("      ", "headers removed: "+strings.Join(h.HeadersRemoved, ", "))
	}
	if len(h.HeadersAdded) > 0 {
		added := make([]string, len(h.HeadersAdded))
		for i, hd := range h.HeadersAdded {
			added[i] = hd.Name + ": " + hd.Value
		}
		t.line("      ", "headers added: "+strings.Join(added, ", "))
	}
	if a := h.Authentication.Header(); a != "" {
		t.line("      ", "Authentication-Results: "+a)
	}
}

// writeFilters writes a hop's filtering stages, then a line for each stage
// that is not simply applied and passed.
func writeFilters(t *textWriter, h *route.Hop) {
	if len(h.Filters) == 0 {
		return
	}
	t.line("      ", filterTokens(h))
	for i := range h.Filters {
		f := &h.Filters[i]
		if f.Result == route.Applied && f.Verdict == route.VerdictPass {
			continue
		}
		t.line("      ", filterToken(f)+": "+f.Reason)
	}
}

// writeOutcomes writes what a hop of a copy did, one line per outcome,
// recipients with the same outcome together, naming them when they are
// not prev; it returns the recipients named last.
func writeOutcomes(t *textWriter, r *route.Result, ch route.CopyHop, prev []string) []string {
	type group struct {
		hop   *route.Hop
		rcpts []string
	}
	var groups []group
	for _, k := range ch.Recipients {
		hk := &r.Recipients[k].Hops[ch.Index]
		j := slices.IndexFunc(groups, func(g group) bool { return sameOutcome(g.hop, hk) })
		if j < 0 {
			groups = append(groups, group{hop: hk})
			j = len(groups) - 1
		}
		groups[j].rcpts = append(groups[j].rcpts, r.Recipients[k].Address)
	}
	for _, g := range groups {
		who := ""
		if !slices.Equal(g.rcpts, prev) {
			who = "[" + strings.Join(g.rcpts, ", ") + "] "
			prev = g.rcpts
		}
		t.line("      ", who+outcomeText(g.hop))
	}
	return prev
}

func sameOutcome(a, b *route.Hop) bool {
	return a.Reason == b.Reason && a.Connector == b.Connector && slices.Equal(a.Events, b.Events)
}

func outcomeText(h *route.Hop) string {
	ev := make([]string, len(h.Events))
	for i, e := range h.Events {
		ev[i] = e.String()
	}
	s := strings.Join(ev, " ")
	if h.Connector != "" {
		s += " [" + h.Connector + "]"
	}
	if s == "" {
		return h.Reason // a hop that did nothing, such as the Internet handing nothing on
	}
	return s + ": " + h.Reason
}

// filterToken is a stage as the text form lists it: +Stage, -Stage,
// ~Stage, +Stage=Verdict.
func filterToken(f *route.Filter) string {
	switch {
	case f.Result == route.NotEffective:
		return "~" + f.Stage.String()
	case f.Result == route.Applied && f.Verdict != 0 && f.Verdict != route.VerdictPass:
		return "+" + f.Stage.String() + "=" + f.Verdict.String()
	case f.Result == route.Applied:
		return "+" + f.Stage.String()
	}
	return "-" + f.Stage.String()
}

func filterTokens(h *route.Hop) string {
	t := make([]string, len(h.Filters))
	for i := range h.Filters {
		t[i] = filterToken(&h.Filters[i])
	}
	return strings.Join(t, " ")
}

// textWriter writes lines wrapped at TextWidth.
type textWriter struct {
	b bytes.Buffer
}

// line writes s after indent, wrapped at spaces so that no line is wider
// than TextWidth; continuation lines are indented two more columns. A
// word wider than the room left stays whole.
func (t *textWriter) line(indent, s string) {
	more := indent + "  "
	width := TextWidth - len(indent)
	for first := true; ; first = false {
		if !first {
			indent, width = more, TextWidth-len(more)
		}
		t.b.WriteString(indent)
		if len(s) <= width {
			t.b.WriteString(s)
			t.b.WriteByte('\n')
			return
		}
		cut := strings.LastIndexByte(s[:width+1], ' ')
		if cut <= 0 {
			cut = strings.IndexByte(s, ' ')
			if cut < 0 {
				t.b.WriteString(s)
				t.b.WriteByte('\n')
				return
			}
		}
		t.b.WriteString(strings.TrimRight(s[:cut], " "))
		t.b.WriteByte('\n')
		s = strings.TrimLeft(s[cut:], " ")
	}
}
