package scenario

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/auth"
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
	// Source names the document the expectation is written from: a
	// Microsoft page title and its section, such as "Transport routing in
	// Exchange hybrid deployments: Inbound messages, MX to EOP".
	// Informational: it is not checked; mismatch reports show it.
	Source string `json:",omitempty"`
	// Recipients maps a recipient address (as the message names it, or as
	// a group expansion or mail flow rule added it) to what must hold for
	// it. The expectation follows the recipient through RESOLVE and
	// REDIRECT: a rule that matched it under its routing address matched
	// it.
	Recipients map[string]RecipientExpect `json:",omitempty"`
	// Copies is the number of copies the message must end up in; zero is
	// not checked, and a topology file with a negative one does not load.
	Copies int `json:",omitempty"`
	// Splits are the nodes where the message must be split, and into how
	// many copies.
	Splits []SplitExpect `json:",omitempty"`
	// NoLoop: no recipient may end Looped.
	NoLoop bool `json:",omitempty"`
}

// RecipientExpect is what must hold for one recipient. A step names a node
// ("eop:contoso"), a node kind ("EOP", "OnPremises") or a role
// ("InternetMX", "OnPremFrontEnd"): it matches a hop at such a node.
type RecipientExpect struct {
	// Disposition is how the recipient must end.
	Disposition route.Disposition `json:",omitempty"`
	// Status is how the recipient's status line must begin, in whole
	// words: "550 5.7.6" holds for "550 5.7.6 …", not for "550 5.7.64 …".
	Status string `json:",omitempty"`
	// Folder is the mailbox folder a delivered recipient must land in
	// (Inbox, JunkEmail).
	Folder route.Folder `json:",omitempty"`
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
	// Rule is a mail flow or transport rule that must match the recipient
	// at one hop (in any Mode).
	Rule string `json:",omitempty"`
	// NotRules are rules that must not match the recipient at any hop.
	NotRules []string `json:",omitempty"`
	// At are assertions on single hops, each holding when some hop its
	// Step matches satisfies all its fields.
	At []HopExpect `json:",omitempty"`
}

// HopExpect is what must hold at one hop of a recipient's path.
type HopExpect struct {
	// Step says which hops may satisfy it: a node, kind or role.
	Step string
	// AuthAs and Directionality are the attribution the hop must give the
	// message (X-MS-Exchange-Organization-AuthAs,
	// X-MS-Exchange-Organization-MessageDirectionality).
	AuthAs         route.AuthAs         `json:",omitempty"`
	Directionality route.Directionality `json:",omitempty"`
	// TLS, when set, is whether the connection that brought the message to
	// the hop used TLS (false also holds for a hop not reached over SMTP).
	TLS *bool `json:",omitempty"`
	// Connector and InboundConnector are the connectors the hop must send
	// on and receive on.
	Connector        string `json:",omitempty"`
	InboundConnector string `json:",omitempty"`
	// Stages maps a filtering stage (ConnectionFilter, DBEB, AntiMalware,
	// TransportRules, AntiSpam, Journal, Compliance) to what it must have
	// done at the hop: Applied, Skipped or NotEffective; or, when applied,
	// a verdict (Pass, Reject, Allow, Matched, Spam) or, for anti-spam,
	// the policy's action (Junk — MoveToJmf —, AddXHeader, Quarantine,
	// Delete).
	Stages map[string]string `json:",omitempty"`
	// Authentication maps an email authentication method to the result
	// the hop must report for it ([route.Hop.Authentication]): "spf" to
	// pass, fail, softfail, neutral, none, temperror or permerror
	// (RFC 7208, section 2.6); "dkim" to pass, fail, none, temperror or
	// permerror (RFC 8601, section 2.7.1); "arc" to pass (a sealer's
	// chain, docs/behaviour.md#l95-trusted-arc-sealers) or none; "dmarc" to pass, fail, none or temperror;
	// "compauth" to pass, softpass, fail or none. Methods and results
	// match ignoring case. A hop
	// that evaluated nothing (docs/behaviour.md#l91-where-spf-is-evaluated)
	// satisfies none of them.
	Authentication map[string]string `json:",omitempty"`
}

// Clone returns a copy of e that shares no map or slice with it; nil for
// nil.
func (e *Expect) Clone() *Expect {
	if e == nil {
		return nil
	}
	c := *e
	c.Splits = slices.Clone(e.Splits)
	if e.Recipients != nil {
		c.Recipients = make(map[string]RecipientExpect, len(e.Recipients))
		for a, r := range e.Recipients {
			c.Recipients[a] = r.clone()
		}
	}
	return &c
}

func (r RecipientExpect) clone() RecipientExpect {
	r.Hops, r.Path, r.Avoid, r.NotRules = slices.Clone(r.Hops), slices.Clone(r.Path), slices.Clone(r.Avoid), slices.Clone(r.NotRules)
	if r.At != nil {
		at := make([]HopExpect, len(r.At))
		for i, h := range r.At {
			if h.TLS != nil {
				b := *h.TLS
				h.TLS = &b
			}
			h.Stages = maps.Clone(h.Stages)
			h.Authentication = maps.Clone(h.Authentication)
			at[i] = h
		}
		r.At = at
	}
	return r
}

// SplitExpect says the copy of the message that reaches Node leaves it as
// Copies copies: itself and Copies-1 copies split from it there.
type SplitExpect struct {
	Node string
	// Hop, when set, is the hop number (from 1, as the text form of a trace
	// counts them) at which the split must happen.
	Hop int `json:",omitempty"`
	// Copies is 1 (no split there) or more. A topology file with an empty
	// Node, a negative Hop or Copies below 1 does not load.
	Copies int
}

// Mismatch is an expectation that did not hold.
type Mismatch struct {
	// Recipient is the recipient it concerns, "" for the message.
	Recipient string `json:"recipient,omitempty"`
	// Field is the expectation's field: "Disposition", "Path", "Copies",
	// "At[1].AuthAs", "At[0].Stages.AntiSpam"…
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
// the order of [RecipientExpect] (an At entry's fields in the order of
// [HopExpect], stages in ascending name order), then the message's Copies,
// Splits (in their order) and NoLoop. An empty result means every
// expectation held.
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
				out = append(out, Mismatch{Recipient: r.Address, Field: "NoLoop", Want: "no loop", Got: "Looped: " + r.Status.String()})
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

// statusHolds reports whether the status line begins with want's words,
// each whole.
func statusHolds(want string, got route.Status) bool {
	w, g := strings.Fields(want), strings.Fields(got.String())
	return len(w) <= len(g) && slices.Equal(w, g[:len(w)])
}

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
	x.checkOutcome(r, add)
	x.checkPath(r, add)
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
	matched := rulesMatched(r)
	if x.Rule != "" && !slices.Contains(matched, x.Rule) {
		add("Rule", strconv.Quote(x.Rule), "matched "+quoteList(matched))
	}
	for _, n := range x.NotRules {
		if at := ruleHop(r, n); at >= 0 {
			add("NotRules", "no match of "+strconv.Quote(n), fmt.Sprintf("matched at hop %d (%s)", at+1, r.Hops[at].Node))
		}
	}
	for i, at := range x.At {
		for _, m := range at.check(r) {
			add("At["+strconv.Itoa(i)+"]."+m.field, m.want, m.got)
		}
	}
	return out
}

// checkOutcome checks how the recipient ended: disposition, status,
// folder.
func (x RecipientExpect) checkOutcome(r *route.Recipient, add func(field, want, got string)) {
	if x.Disposition != 0 && x.Disposition != r.Disposition {
		add("Disposition", x.Disposition.String(), r.Disposition.String())
	}
	if x.Status != "" && !statusHolds(x.Status, r.Status) {
		add("Status", strconv.Quote(x.Status), strconv.Quote(r.Status.String()))
	}
	if x.Folder != 0 && x.Folder != r.Folder {
		add("Folder", x.Folder.String(), cmp.Or(folderName(r.Folder), "none ("+r.Disposition.String()+")"))
	}
}

// checkPath checks the recipient's hops: all of them (Hops), steps in
// order (Path), steps no hop may match (Avoid).
func (x RecipientExpect) checkPath(r *route.Recipient, add func(field, want, got string)) {
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
}

func folderName(f route.Folder) string {
	if f == 0 {
		return ""
	}
	return f.String()
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// ruleMatches calls f with each rule match of the recipient's path, hop
// by hop: the mail flow and transport rules that matched it (under any
// address it had there), in evaluation order.
func ruleMatches(r *route.Recipient, f func(hop int, m *route.RuleMatch)) {
	for h := range r.Hops {
		for _, fl := range r.Hops[h].Filters {
			if fl.Stage != route.TransportRules && fl.Stage != route.Compliance {
				continue
			}
			for i := range fl.Rules {
				if strings.EqualFold(fl.Rules[i].Recipient, r.Address) {
					f(h, &fl.Rules[i])
				}
			}
		}
	}
}

// rulesMatched returns the names of the rules that matched the recipient,
// in path order, once each.
func rulesMatched(r *route.Recipient) []string {
	var names []string
	ruleMatches(r, func(_ int, m *route.RuleMatch) {
		if !slices.Contains(names, m.Name) {
			names = append(names, m.Name)
		}
	})
	return names
}

// ruleHop returns the index of the first hop where the rule matched the
// recipient, -1 if none.
func ruleHop(r *route.Recipient, name string) int {
	at := -1
	ruleMatches(r, func(h int, m *route.RuleMatch) {
		if at < 0 && m.Name == name {
			at = h
		}
	})
	return at
}

// hopMismatch is a field of a HopExpect that a hop does not satisfy.
type hopMismatch struct{ field, want, got string }

// check returns nothing when some hop matching the step satisfies every
// field; otherwise the fields that the closest such hop (fewest failing
// fields, the first on a tie) does not satisfy, or a Step mismatch when no
// hop matches the step.
func (x HopExpect) check(r *route.Recipient) []hopMismatch {
	var best []hopMismatch
	found := false
	for h := range r.Hops {
		hop := &r.Hops[h]
		if !matches(x.Step, hop) {
			continue
		}
		ms := x.at(hop, h)
		if len(ms) == 0 {
			return nil
		}
		if !found || len(ms) < len(best) {
			best, found = ms, true
		}
	}
	if !found {
		return []hopMismatch{{"Step", "a hop at " + x.Step, list(nodes(r.Hops))}}
	}
	return best
}

// at returns the fields hop h does not satisfy.
func (x HopExpect) at(hop *route.Hop, h int) []hopMismatch {
	var out []hopMismatch
	where := fmt.Sprintf(" at hop %d (%s)", h+1, hop.Node)
	add := func(field, want, got string) {
		out = append(out, hopMismatch{field, want, cmp.Or(got, "none") + where})
	}
	if x.AuthAs != 0 && x.AuthAs != hop.AuthAs {
		add("AuthAs", x.AuthAs.String(), hop.AuthAs.String())
	}
	if x.Directionality != 0 && x.Directionality != hop.Directionality {
		add("Directionality", x.Directionality.String(), hop.Directionality.String())
	}
	if x.TLS != nil {
		got := hop.TLS != nil && hop.TLS.STARTTLS
		if got != *x.TLS {
			add("TLS", strconv.FormatBool(*x.TLS), strconv.FormatBool(got))
		}
	}
	if x.Connector != "" && x.Connector != hop.Connector {
		add("Connector", strconv.Quote(x.Connector), quoteOr(hop.Connector))
	}
	if x.InboundConnector != "" && x.InboundConnector != hop.InboundConnector {
		add("InboundConnector", strconv.Quote(x.InboundConnector), quoteOr(hop.InboundConnector))
	}
	for _, name := range slices.Sorted(maps.Keys(x.Stages)) {
		want := x.Stages[name]
		stage, err := route.ParseStage(name)
		if err != nil {
			add("Stages."+name, want, "no such stage")
			continue
		}
		f, ok := hop.Filter(stage)
		if !ok {
			add("Stages."+name, want, "")
			continue
		}
		if !stageHolds(want, &f) {
			add("Stages."+name, want, stageText(&f))
		}
	}
	for _, m := range slices.Sorted(maps.Keys(x.Authentication)) {
		want, got := x.Authentication[m], authResult(hop.Authentication, strings.ToLower(m))
		if !strings.EqualFold(want, got) {
			add("Authentication."+m, want, cmp.Or(got, "not evaluated"))
		}
	}
	return out
}

// authMethods are the methods an Authentication expectation may name,
// with the results each may report.
var authMethods = map[string][]string{
	"spf":      {"pass", "fail", "softfail", "neutral", "none", "temperror", "permerror"},
	"dkim":     {"pass", "fail", "none", "temperror", "permerror"},
	"arc":      {"pass", "none"},
	"dmarc":    {"pass", "fail", "none", "temperror"},
	"compauth": {"pass", "softpass", "fail", "none"},
}

// authResult returns the result a hop reports for an authentication
// method, "" when it evaluated none.
func authResult(r *auth.Results, method string) string {
	if r == nil {
		return ""
	}
	switch {
	case method == "spf" && r.SPF != nil:
		return string(r.SPF.Result)
	case method == "arc" && r.ARC != nil:
		return string(r.ARC.Result)
	case method == "arc" && r.DMARC != nil:
		return string(auth.ARCNone)
	case method == "dkim" && r.DKIM != nil:
		return string(r.DKIM.Result)
	case method == "dmarc" && r.DMARC != nil:
		return string(r.DMARC.Result)
	case method == "compauth" && r.CompAuth != nil:
		return string(r.CompAuth.Result)
	}
	return ""
}

func quoteOr(s string) string {
	if s == "" {
		return ""
	}
	return strconv.Quote(s)
}

// stageWords are the words a Stages expectation may use, beside the
// stage results and verdicts.
var stageWords = map[string]route.SpamAction{"Junk": route.MoveToJmf, "MoveToJmf": route.MoveToJmf, "AddXHeader": route.AddXHeader, "Quarantine": route.Quarantine, "Delete": route.Delete}

// stageHolds reports whether a stage's outcome is what want says.
func stageHolds(want string, f *route.Filter) bool {
	var r route.StageResult
	if r.UnmarshalText([]byte(want)) == nil {
		return f.Result == r
	}
	var v route.Verdict
	if v.UnmarshalText([]byte(want)) == nil {
		return f.Result == route.Applied && f.Verdict == v
	}
	if a, ok := stageWords[want]; ok {
		return f.Result == route.Applied && f.Verdict == route.VerdictSpam && f.Action == a
	}
	return false
}

// validStageWord reports whether a Stages value is one stageHolds knows.
func validStageWord(want string) bool {
	var r route.StageResult
	var v route.Verdict
	_, action := stageWords[want]
	return r.UnmarshalText([]byte(want)) == nil || v.UnmarshalText([]byte(want)) == nil || action
}

// problems returns what is wrong in the expectation, as problems at path
// (the expectation's JSON path), in field order: a missing step, words
// that name no stage, result or verdict. (Dispositions, folders,
// attribution and direction are checked as the file is decoded.)
func (e *Expect) problems(path string) []Problem {
	var ps []Problem
	if e.Copies < 0 {
		ps = append(ps, Problem{Path: path + ".Copies", Message: fmt.Sprintf("%d is negative", e.Copies)})
	}
	for i, sp := range e.Splits {
		p := fmt.Sprintf("%s.Splits[%d]", path, i)
		if sp.Node == "" {
			ps = append(ps, Problem{Path: p + ".Node", Message: "missing: a node"})
		}
		if sp.Hop < 0 {
			ps = append(ps, Problem{Path: p + ".Hop", Message: fmt.Sprintf("%d is negative", sp.Hop)})
		}
		if sp.Copies < 1 {
			ps = append(ps, Problem{Path: p + ".Copies", Message: fmt.Sprintf("%d is not 1 or more: the copy leaves the node as itself and the copies split from it", sp.Copies)})
		}
	}
	for _, a := range slices.Sorted(maps.Keys(e.Recipients)) {
		for i, at := range e.Recipients[a].At {
			p := fmt.Sprintf("%s.Recipients.%s.At[%d]", path, a, i)
			if at.Step == "" {
				ps = append(ps, Problem{Path: p + ".Step", Message: "missing: a node, kind or role"})
			}
			for _, name := range slices.Sorted(maps.Keys(at.Stages)) {
				if _, err := route.ParseStage(name); err != nil {
					ps = append(ps, Problem{Path: p + ".Stages." + name, Message: "not a stage (ConnectionFilter, DBEB, AntiMalware, TransportRules, AntiSpam, Journal, Compliance)"})
					continue
				}
				if w := at.Stages[name]; !validStageWord(w) {
					ps = append(ps, Problem{Path: p + ".Stages." + name, Message: strconv.Quote(w) +
						" is not Applied, Skipped, NotEffective, a verdict (Pass, Reject, Matched, Spam, Allow) or a spam action (Junk, AddXHeader, Quarantine, Delete)"})
				}
			}
			for _, m := range slices.Sorted(maps.Keys(at.Authentication)) {
				results, ok := authMethods[strings.ToLower(m)]
				switch w := at.Authentication[m]; {
				case !ok:
					ps = append(ps, Problem{Path: p + ".Authentication." + m, Message: "not an authentication method (spf, dkim, dmarc, arc, compauth)"})
				case !slices.Contains(results, strings.ToLower(w)):
					ps = append(ps, Problem{Path: p + ".Authentication." + m, Message: strconv.Quote(w) + " is not " + strings.Join(results, ", ")})
				}
			}
		}
	}
	return ps
}

// stageText describes what a stage did: "Applied", "NotEffective",
// "Applied (Spam, MoveToJmf)".
func stageText(f *route.Filter) string {
	s := f.Result.String()
	switch {
	case f.Action != 0:
		s += " (" + f.Verdict.String() + ", " + f.Action.String() + ")"
	case f.Verdict != 0:
		s += " (" + f.Verdict.String() + ")"
	}
	return s
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
