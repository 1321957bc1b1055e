package scenario

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// Case is one case of a table-driven routing-policy test: a message and
// what tracing it must give. Package scenariotest runs a table of them as
// subtests; [Expect.Check] is the check itself.
type Case struct {
	Name    string
	Message route.Message
	Expect  Expect
}

// Expect is what a traced message must do. Fields left empty are not
// checked, so an Expect says only what matters to the policy under test.
type Expect struct {
	// Recipients maps a recipient address (as the message names it, or as
	// a group expansion or mail flow rule added it) to what must hold for
	// it.
	Recipients map[string]RecipientExpect `json:",omitempty"`
	// Copies is the number of copies the message must end up in.
	Copies int `json:",omitempty"`
	// Splits are the nodes where the message must be split, and into how
	// many copies.
	Splits []SplitExpect `json:",omitempty"`
	// NoLoop: no recipient may end Looped.
	NoLoop bool `json:",omitempty"`
}

// RecipientExpect is what must hold for one recipient. A path step names
// a node ("eop:contoso"), a node kind ("EOP", "OnPremises") or a role
// ("InternetMX", "OnPremFrontEnd"): it matches a hop at such a node.
type RecipientExpect struct {
	// Disposition is how the recipient must end: "Delivered", "Relayed",
	// "Rejected"…
	Disposition string `json:",omitempty"`
	// Status is how the recipient's status line must begin: "550 5.7.1"
	// or the whole line.
	Status string `json:",omitempty"`
	// Hops are the recipient's hops, every one of them, in order.
	Hops []string `json:",omitempty"`
	// Path are steps the recipient's hops must pass in this order, with
	// possibly other hops between them.
	Path []string `json:",omitempty"`
	// Avoid are steps no hop may match.
	Avoid []string `json:",omitempty"`
	// Connector is an outbound or Send connector one hop must send on.
	Connector string `json:",omitempty"`
	// InboundConnector is an inbound or Receive connector one hop must
	// receive on.
	InboundConnector string `json:",omitempty"`
	// Rule is a mail flow rule that must match the recipient at one hop.
	Rule string `json:",omitempty"`
}

// SplitExpect says the copy of the message that reaches Node leaves it as
// Copies copies: itself and Copies-1 copies split from it there.
type SplitExpect struct {
	Node string
	// Hop, when set, is the hop number (from 1, as the text form of a trace
	// counts them) at which the split must happen.
	Hop    int `json:",omitempty"`
	Copies int
}

// Mismatch is an expectation that did not hold.
type Mismatch struct {
	// Recipient is the recipient it concerns, "" for the message.
	Recipient string `json:"recipient,omitempty"`
	// Field is the expectation's field: "Disposition", "Path", "Copies"…
	Field string `json:"field"`
	// Want and Got are the expected and the actual, as text.
	Want string `json:"want"`
	Got  string `json:"got"`
}

// String returns "recipient: Field: want …, got …".
func (m Mismatch) String() string {
	s := m.Field + ": want " + m.Want + ", got " + m.Got
	if m.Recipient != "" {
		s = m.Recipient + ": " + s
	}
	return s
}

// Check compares a trace with the expectation and returns what did not
// hold: the recipients in ascending address order, each with its fields in
// the order of [RecipientExpect], then the message's Copies, Splits (in
// their order) and NoLoop. An empty result means every expectation held.
func (e *Expect) Check(res *route.Result) []Mismatch {
	var out []Mismatch
	addrs := make([]string, 0, len(e.Recipients))
	for a := range e.Recipients {
		addrs = append(addrs, a)
	}
	slices.Sort(addrs)
	for _, a := range addrs {
		out = append(out, e.Recipients[a].check(a, res)...)
	}
	if e.Copies != 0 && e.Copies != len(res.Copies) {
		out = append(out, Mismatch{Field: "Copies", Want: strconv.Itoa(e.Copies), Got: strconv.Itoa(len(res.Copies))})
	}
	for _, s := range e.Splits {
		n := 1
		for _, c := range res.Copies {
			if c.Parent >= 0 && c.SplitNode.String() == s.Node && (s.Hop == 0 || c.SplitHop+1 == s.Hop) {
				n++
			}
		}
		if n != s.Copies {
			at := s.Node
			if s.Hop != 0 {
				at += " at hop " + strconv.Itoa(s.Hop)
			}
			out = append(out, Mismatch{Field: "Splits", Want: fmt.Sprintf("%d copies leaving %s", s.Copies, at), Got: strconv.Itoa(n)})
		}
	}
	if e.NoLoop {
		for _, r := range res.Recipients {
			if r.Disposition == route.Looped {
				out = append(out, Mismatch{Recipient: r.Address, Field: "NoLoop", Want: "no loop", Got: "Looped: " + r.Status})
			}
		}
	}
	return out
}

// matches reports whether a path step names the hop's node, kind or role.
func matches(step string, h *route.Hop) bool {
	return step == h.Node.String() || step == h.Kind.String() || step == h.Role.String()
}

// nodes returns the node IDs of the hops.
func nodes(hops []route.Hop) []string {
	s := make([]string, len(hops))
	for i := range hops {
		s[i] = hops[i].Node.String()
	}
	return s
}

// list renders steps as "[a b c]".
func list(s []string) string { return "[" + strings.Join(s, " ") + "]" }

func (x RecipientExpect) check(addr string, res *route.Result) []Mismatch {
	r := res.Recipient(addr)
	if r == nil {
		got := make([]string, len(res.Recipients))
		for i := range res.Recipients {
			got[i] = res.Recipients[i].Address
		}
		return []Mismatch{{Recipient: addr, Field: "Recipient", Want: "a recipient of the trace", Got: list(got)}}
	}
	var out []Mismatch
	add := func(field, want, got string) {
		out = append(out, Mismatch{Recipient: addr, Field: field, Want: want, Got: got})
	}
	if x.Disposition != "" && x.Disposition != r.Disposition.String() {
		add("Disposition", x.Disposition, r.Disposition.String())
	}
	if x.Status != "" && !strings.HasPrefix(r.Status, x.Status) {
		add("Status", strconv.Quote(x.Status), strconv.Quote(r.Status))
	}
	if x.Hops != nil && !slices.EqualFunc(x.Hops, r.Hops, func(s string, h route.Hop) bool { return matches(s, &h) }) {
		add("Hops", list(x.Hops), list(nodes(r.Hops)))
	}
	if len(x.Path) > 0 {
		i := 0
		for h := range r.Hops {
			if i < len(x.Path) && matches(x.Path[i], &r.Hops[h]) {
				i++
			}
		}
		if i < len(x.Path) {
			add("Path", list(x.Path), list(nodes(r.Hops)))
		}
	}
	for _, a := range x.Avoid {
		for h := range r.Hops {
			if matches(a, &r.Hops[h]) {
				add("Avoid", "no hop at "+a, fmt.Sprintf("hop %d at %s", h+1, r.Hops[h].Node))
				break
			}
		}
	}
	used := func(field, name string, of func(*route.Hop) string) {
		if name == "" {
			return
		}
		var seen []string
		for h := range r.Hops {
			if c := of(&r.Hops[h]); c != "" {
				if c == name {
					return
				}
				seen = append(seen, strconv.Quote(c))
			}
		}
		add(field, strconv.Quote(name), cmp.Or(strings.Join(seen, ", "), "none"))
	}
	used("Connector", x.Connector, func(h *route.Hop) string { return h.Connector })
	used("InboundConnector", x.InboundConnector, func(h *route.Hop) string { return h.InboundConnector })
	if x.Rule != "" && !ruleMatched(r, x.Rule) {
		add("Rule", strconv.Quote(x.Rule), "no match for "+addr)
	}
	return out
}

// ruleMatched reports whether a hop's rule stage reports the rule matching
// the recipient.
func ruleMatched(r *route.Recipient, rule string) bool {
	for h := range r.Hops {
		for _, f := range r.Hops[h].Filters {
			if slices.Contains(f.MatchedRules(r.Address), rule) {
				return true
			}
		}
	}
	return false
}

// Run traces the file's messages through topo (the topology [Load]
// built from it), in file order, and checks their expectations. The runs
// carry name as their Scenario, the message's Name as their Flow
// ("message N", counting from 1, when it has none) and the file's
// Settings.
func (f *File) Run(name string, topo *topology.Topology) ([]Run, error) {
	runs := make([]Run, len(f.Messages))
	for i := range f.Messages {
		m := &f.Messages[i]
		flow := cmp.Or(m.Name, "message "+strconv.Itoa(i+1))
		r, err := run(name, flow, f.Settings, topo, m.Message, m.Expect)
		if err != nil {
			return nil, fmt.Errorf("scenario: %s: %w", flow, err)
		}
		runs[i] = r
	}
	return runs, nil
}
