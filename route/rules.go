package route

import (
	"cmp"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/smtp"
	"github.com/mailflowsim/mailflow/topology"
)

// Header is a message header, as mail flow rules read and write them.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// orgDirectory is what rule evaluation reads of an organization.
type orgDirectory interface {
	AcceptedDomain(domain string) (topology.AcceptedDomain, bool)
	Recipient(address string) (topology.Recipient, bool)
	IsMember(group, address string) bool
}

// ruleInput is what a rule's predicates test, besides the recipient.
type ruleInput struct {
	dir           orgDirectory
	sender        string     // the envelope sender, MAIL FROM
	headerSender  string     // the From header's address, else sender
	authenticated bool       // AuthAs Internal
	ip            netip.Addr // the last hop before the organization
}

// ruleEffect is what the rules did for one recipient.
type ruleEffect struct {
	matched  []string // `"Name" (priority N): actions`, in evaluation order
	rules    []RuleMatch
	disp     Disposition
	status   string
	rule     string // the rule that ended the message for the recipient
	redirect []string
	added    []string
	conn     string
	tlsRule  string // the first rule with RouteMessageOutboundRequireTls
}

// inOrganization is FromScope InOrganization with the cmdlet's reading
// (docs/behaviour.md#d11-who-is-inorganization): authenticated, and the sender exists or its domain
// is accepted.
func (in *ruleInput) inOrganization() bool {
	if !in.authenticated || in.sender == "" {
		return false
	}
	if _, ok := in.dir.Recipient(in.sender); ok {
		return true
	}
	a, ok := in.dir.AcceptedDomain(domainOf(in.sender))
	return ok && a.DomainType != topology.ExternalRelay
}

// unknownFate is what an organization does with an address in one of its
// accepted domains, or not, that no object of its directory has (Manage
// accepted domains in Exchange Online; Accepted domains in Exchange
// Server): the same decision in Exchange Online and on-premises.
type unknownFate uint8

const (
	// notFound: the domain is Authoritative, so the address does not
	// exist: the recipient is rejected.
	notFound unknownFate = iota + 1
	// relayedOn: the domain is InternalRelay or ExternalRelay: the
	// recipient may exist elsewhere, and the message is relayed on.
	relayedOn
	// notAccepted: the domain is not accepted: mail for it goes out of the
	// organization, if the sender may relay.
	notAccepted
)

// unknownRecipient decides the fate of an address no directory object
// has, and returns the accepted domain it falls in.
func unknownRecipient(dir orgDirectory, address string) (unknownFate, topology.AcceptedDomain) {
	ad, ok := dir.AcceptedDomain(domainOf(address))
	switch {
	case !ok:
		return notAccepted, ad
	case ad.DomainType == topology.Authoritative:
		return notFound, ad
	}
	return relayedOn, ad
}

// recipientInOrganization is SentToScope InOrganization: an accepted domain
// that is not ExternalRelay; contacts are judged by address ("Mail flow
// rule conditions and exceptions (predicates) in Exchange Online").
func recipientInOrganization(dir orgDirectory, rcpt string) bool {
	a, ok := dir.AcceptedDomain(domainOf(rcpt))
	return ok && a.DomainType != topology.ExternalRelay
}

func domainIs(domain string, list []string) bool {
	for _, d := range list {
		d = smtp.Key(d)
		if domain == d || strings.HasSuffix(domain, "."+d) {
			return true
		}
	}
	return false
}

// sameRecipient reports whether a and b are addresses of the same
// directory object, or the same address.
func sameRecipient(dir orgDirectory, a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	ra, okA := dir.Recipient(a)
	rb, okB := dir.Recipient(b)
	return okA && okB && strings.EqualFold(ra.PrimarySmtpAddress, rb.PrimarySmtpAddress)
}

func attributeContains(dir orgDirectory, address string, entries []string) bool {
	r, ok := dir.Recipient(address)
	if !ok {
		return false
	}
	for _, e := range entries {
		attr, words, err := topology.ParseADAttributeWords(e)
		if err != nil {
			continue
		}
		v, _ := r.ADAttribute(attr)
		for _, w := range words {
			if w != "" && strings.Contains(strings.ToLower(v), strings.ToLower(w)) {
				return true
			}
		}
	}
	return false
}

// predicates evaluates each predicate that is set, calling hit with
// whether it holds; it stops when hit returns false.
func (e *engine) predicates(p *topology.Predicates, in *ruleInput, senders []string, rcpt string, hit func(bool) bool) {
	any := func(list []string, f func(string) bool) bool {
		return slices.ContainsFunc(list, f)
	}
	check := func(set bool, holds func() bool) bool { return !set || hit(holds()) }
	// sender reports whether one of the senders the rule examines holds.
	sender := func(f func(string) bool) bool { return slices.ContainsFunc(senders, f) }
	_ = check(p.FromScope != "", func() bool { return (p.FromScope == "InOrganization") == in.inOrganization() }) &&
		check(p.SentToScope != "", func() bool { return (p.SentToScope == "InOrganization") == recipientInOrganization(in.dir, rcpt) }) &&
		check(len(p.From) > 0, func() bool {
			return sender(func(s string) bool { return any(p.From, func(a string) bool { return sameRecipient(in.dir, a, s) }) })
		}) &&
		check(len(p.SentTo) > 0, func() bool { return any(p.SentTo, func(a string) bool { return sameRecipient(in.dir, a, rcpt) }) }) &&
		check(len(p.SenderDomainIs) > 0, func() bool {
			return sender(func(s string) bool { return s != "" && domainIs(domainOf(s), p.SenderDomainIs) })
		}) &&
		check(len(p.RecipientDomainIs) > 0, func() bool { return domainIs(domainOf(rcpt), p.RecipientDomainIs) }) &&
		check(len(p.SenderIpRanges) > 0, func() bool {
			return any(p.SenderIpRanges, func(s string) bool {
				r, err := connector.ParseIPRange(s)
				return err == nil && r.Contains(in.ip)
			})
		}) &&
		check(len(p.FromMemberOf) > 0, func() bool {
			return sender(func(s string) bool { return any(p.FromMemberOf, func(g string) bool { return in.dir.IsMember(g, s) }) })
		}) &&
		check(len(p.SentToMemberOf) > 0, func() bool { return any(p.SentToMemberOf, func(g string) bool { return in.dir.IsMember(g, rcpt) }) }) &&
		check(len(p.SenderADAttributeContainsWords) > 0, func() bool {
			return sender(func(s string) bool { return attributeContains(in.dir, s, p.SenderADAttributeContainsWords) })
		}) &&
		check(len(p.RecipientADAttributeContainsWords) > 0, func() bool { return attributeContains(in.dir, rcpt, p.RecipientADAttributeContainsWords) }) &&
		check(p.HeaderContainsMessageHeader != "", func() bool { return e.headerContains(p.HeaderContainsMessageHeader, p.HeaderContainsWords) }) &&
		check(len(p.SubjectContainsWords) > 0, func() bool { return containsWord(e.lowerSubject(), p.SubjectContainsWords) }) &&
		check(len(p.SubjectOrBodyContainsWords) > 0, func() bool {
			return containsWord(e.lowerSubject(), p.SubjectOrBodyContainsWords) || containsWord(e.lowerBody(), p.SubjectOrBodyContainsWords)
		}) &&
		check(len(p.AttachmentNameMatchesPatterns) > 0, func() bool { return e.attachmentMatches(p.AttachmentNameMatchesPatterns) }) &&
		check(len(p.AttachmentExtensionMatchesWords) > 0, func() bool { return e.attachmentExtension(p.AttachmentExtensionMatchesWords) }) &&
		check(p.HeaderMatchesMessageHeader != "", func() bool { return e.headerMatches(p.HeaderMatchesMessageHeader, p.HeaderMatchesPatterns) }) &&
		check(len(p.SubjectMatchesPatterns) > 0, func() bool { return e.matchesPattern(e.res.Message.Subject, p.SubjectMatchesPatterns) }) &&
		check(len(p.SubjectOrBodyMatchesPatterns) > 0, func() bool {
			return e.matchesPattern(e.res.Message.Subject, p.SubjectOrBodyMatchesPatterns) || e.matchesPattern(e.res.Message.Body, p.SubjectOrBodyMatchesPatterns)
		})
}

// pattern returns a …MatchesPatterns entry as Build compiled it, nil if
// it does not compile (Build refused those).
func (e *engine) pattern(pat string) *regexp.Regexp {
	if re := compiledPattern(e.t, pat); re != nil {
		return re
	}
	re, _ := topology.AttachmentPattern(pat)
	return re
}

// matchesPattern reports whether text matches one of the patterns,
// ignoring case.
func (e *engine) matchesPattern(text string, patterns []string) bool {
	return slices.ContainsFunc(patterns, func(pat string) bool {
		re := e.pattern(pat)
		return re != nil && re.MatchString(text)
	})
}

// headerMatches reports whether the value of a header named name matches
// one of the patterns.
func (e *engine) headerMatches(name string, patterns []string) bool {
	return slices.ContainsFunc(e.headers, func(h Header) bool { return strings.EqualFold(h.Name, name) && e.matchesPattern(h.Value, patterns) })
}

// containsWord reports whether text, in lower case, contains one of
// words, ignoring case (docs/behaviour.md#l16-words-in-the-subject-and-body).
func containsWord(text string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return w != "" && strings.Contains(text, strings.ToLower(w)) })
}

// lowerSubject and lowerBody return the message's subject and body in
// lower case, lowered once per trace however many rules test them.
func (e *engine) lowerSubject() string { e.lower(); return e.lowSubject }

func (e *engine) lowerBody() string { e.lower(); return e.lowBody }

func (e *engine) lower() {
	if !e.lowered {
		e.lowSubject, e.lowBody, e.lowered = strings.ToLower(e.res.Message.Subject), strings.ToLower(e.res.Message.Body), true
	}
}

// attachmentMatches reports whether an attachment's name matches one of
// the patterns (Build refused those that do not compile).
func (e *engine) attachmentMatches(patterns []string) bool {
	for _, pat := range patterns {
		re := e.pattern(pat)
		if re == nil {
			continue
		}
		if slices.ContainsFunc(e.res.Message.Attachments, re.MatchString) {
			return true
		}
	}
	return false
}

// attachmentExtension reports whether an attachment's file name extension
// is one of exts, ignoring case.
func (e *engine) attachmentExtension(exts []string) bool {
	for _, a := range e.res.Message.Attachments {
		i := strings.LastIndexByte(a, '.')
		if i < 0 {
			continue
		}
		if slices.ContainsFunc(exts, func(x string) bool { return strings.EqualFold(strings.TrimPrefix(x, "."), a[i+1:]) }) {
			return true
		}
	}
	return false
}

func (e *engine) headerContains(name string, words []string) bool {
	for _, h := range e.headers {
		if !strings.EqualFold(h.Name, name) {
			continue
		}
		for _, w := range words {
			if strings.Contains(strings.ToLower(h.Value), strings.ToLower(w)) {
				return true
			}
		}
	}
	return false
}

// applies reports whether a rule applies to rcpt: every condition holds
// (no condition: every message) and no exception does (Microsoft:
// "Mail flow rules (transport rules) in Exchange Online").
func (e *engine) applies(r *topology.TransportRule, in *ruleInput, rcpt string) bool {
	var buf [2]string
	senders := ruleSenders(r, in, buf[:0])
	ok := true
	e.predicates(&r.Conditions, in, senders, rcpt, func(h bool) bool { ok = ok && h; return ok })
	if !ok {
		return false
	}
	e.predicates(&r.ExceptIf, in, senders, rcpt, func(h bool) bool { ok = ok && !h; return ok })
	return ok
}

// ruleSenders appends to dst the senders the rule's sender predicates
// examine, by its SenderAddressLocation: the From header's address
// (Header, the default), MAIL FROM (Envelope), or both
// (HeaderOrEnvelope), as New-TransportRule documents
// (docs/behaviour.md#l17-the-sender-a-mail-flow-rule-examines).
func ruleSenders(r *topology.TransportRule, in *ruleInput, dst []string) []string {
	switch {
	case strings.EqualFold(r.SenderAddressLocation, "Envelope"):
		return append(dst, in.sender)
	case strings.EqualFold(r.SenderAddressLocation, "HeaderOrEnvelope") && !strings.EqualFold(in.headerSender, in.sender):
		return append(dst, in.headerSender, in.sender)
	}
	return append(dst, in.headerSender)
}

// evalRules runs an organization's rules, in priority order, for one
// recipient: the actions of every enforced rule that applies, until one
// stops the processing or ends the message ("Mail flow rules (transport rules) in Exchange Online"). Header
// actions change the message for the rules and hops after them.
func (e *engine) evalRules(rules []*topology.TransportRule, in *ruleInput, rcpt string) ruleEffect {
	var eff ruleEffect
	for _, r := range rules {
		if !r.IsEnabled() || !e.applies(r, in, rcpt) {
			continue
		}
		desc := "\"" + r.Name + "\" (priority " + strconv.Itoa(r.Priority) + ")"
		eff.rules = append(eff.rules, RuleMatch{Name: r.Name, Priority: r.Priority, Enforced: r.Enforced(), Actions: r.ActionParameters()})
		if !r.Enforced() {
			eff.matched = append(eff.matched, desc+" in Mode "+string(r.Mode)+": logged only")
			continue
		}
		eff.matched = append(eff.matched, desc+": "+strings.Join(r.Actions(), ", "))
		if r.RouteMessageOutboundConnector != "" {
			eff.conn = r.RouteMessageOutboundConnector
		}
		if r.RouteMessageOutboundRequireTls && eff.tlsRule == "" {
			eff.tlsRule = r.Name
		}
		eff.added = append(eff.added, r.AddToRecipients...)
		eff.added = append(eff.added, r.CopyTo...)
		eff.added = append(eff.added, r.BlindCopyTo...)
		if len(r.RedirectMessageTo) > 0 {
			eff.redirect = r.RedirectMessageTo
		}
		if r.SetSCL != nil {
			e.scl, e.sclSet, e.sclRule = *r.SetSCL, true, r.Name
		}
		if r.SetHeaderName != "" {
			e.setHeader(r.SetHeaderName, r.SetHeaderValue)
		}
		if r.RemoveHeader != "" {
			e.removeHeader(r.RemoveHeader)
		}
		switch {
		case r.Rejects():
			eff.disp, eff.status, eff.rule = Rejected, r.RejectStatus(), r.Name
		case r.DeleteMessage:
			eff.disp, eff.rule = Dropped, r.Name
		case r.Quarantine:
			eff.disp, eff.rule = Quarantined, r.Name
		}
		if eff.disp != 0 || r.StopRuleProcessing {
			break
		}
	}
	return eff
}

// ownHeadersCopy makes e.headers the engine's own copy before a change:
// the Message's slice is never written.
func (e *engine) ownHeadersCopy() {
	if !e.ownHeaders {
		e.headers = slices.Clone(e.headers)
		e.ownHeaders = true
	}
}

func (e *engine) setHeader(name, value string) {
	e.ownHeadersCopy()
	for i := range e.headers {
		if strings.EqualFold(e.headers[i].Name, name) {
			e.headers[i].Value = value
			return
		}
	}
	e.headers = append(e.headers, Header{Name: name, Value: value})
}

func (e *engine) removeHeader(name string) {
	e.ownHeadersCopy()
	e.headers = slices.DeleteFunc(e.headers, func(h Header) bool { return strings.EqualFold(h.Name, name) })
}

// ruleTexts are the constant reasons of a rules stage, so that the
// common cases cost no allocation.
type ruleTexts struct {
	what, ndr, none, already string
}

var (
	tenantRules = ruleTexts{
		what:    "the tenant's mail flow rules",
		ndr:     "the message is an NDR (null sender): mail flow rules do not apply to NDRs",
		none:    "the tenant's mail flow rules evaluated: none configured",
		already: "the tenant's mail flow rules already ran in this organization at ",
	}
	onPremRules = ruleTexts{
		what:    "the organization's compliance processing (transport rules)",
		ndr:     "the message is an NDR (null sender): transport rules do not apply to NDRs",
		none:    "the organization's compliance processing (transport rules) evaluated: none configured",
		already: "the organization's compliance processing (transport rules) already ran in this organization at ",
	}
)

// runRules applies an organization's rules to each recipient of the hop,
// once per message in the organization (all messages except NDRs:
// "Mail flow rules (transport rules) in Exchange Online"). It returns the recipients to route at this hop, which
// include those the rules added, and the rules' filter.
func (e *engine) runRules(f *flight, rules ruleSource, in ruleInput, stage Stage, v *visit, texts *ruleTexts) ([]int, Filter) {
	switch {
	case v.rules != 0:
		return f.rcpts, Filter{Stage: stage, Result: Skipped, Reason: texts.already + hopRef(v.rules)}
	case e.from == "" || e.from == "<>":
		return f.rcpts, Filter{Stage: stage, Result: Skipped, Reason: texts.ndr}
	}
	v.rules = f.depth + 1
	if rules.TransportRuleCount() == 0 {
		return f.rcpts, Filter{Stage: stage, Result: Applied, Verdict: VerdictPass, Reason: texts.none}
	}
	return e.applyRules(f, rules, in, stage, texts.what)
}

// ruleSource is an organization with mail flow rules, a *topology.Tenant
// or a *topology.OnPremises: candidateRules reads its rules in place
// through rulesFor.
type ruleSource interface {
	TransportRuleCount() int
}

// candidateRules returns, in priority order, the rules that can apply to
// rcpt: those the index gives for the envelope sender and, when the From
// header names another, for that sender too.
//
// The rules are the topology's own, read in place: the engine never
// changes them.
func candidateRules(rules ruleSource, in *ruleInput, rcpt string) []*topology.TransportRule {
	all, idx := rulesFor(rules, in.sender, rcpt)
	if in.headerSender != "" && !strings.EqualFold(in.headerSender, in.sender) {
		_, more := rulesFor(rules, in.headerSender, rcpt)
		idx = slices.Concat(idx, more)
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(all[a].Priority, all[b].Priority) })
		idx = slices.CompactFunc(idx, func(a, b int) bool { return all[a].Priority == all[b].Priority })
	}
	rs := make([]*topology.TransportRule, len(idx))
	for k, i := range idx {
		rs[k] = &all[i]
	}
	return rs
}

// applyRules evaluates the rules for every recipient and carries out what
// they decided.
func (e *engine) applyRules(f *flight, rules ruleSource, in ruleInput, stage Stage, what string) ([]int, Filter) {
	n := strconv.Itoa(rules.TransportRuleCount())
	rcpts := f.rcpts
	var report []string
	var matches []RuleMatch
	// The rules run once for each recipient the message had when the
	// stage began, not for those they add
	// (docs/behaviour.md#l18-recipients-a-mail-flow-rule-adds).
	for i := range len(f.rcpts) {
		r := rcpts[i]
		eff := e.evalRules(candidateRules(rules, &in, e.addr[r]), &in, e.addr[r])
		if len(eff.matched) == 0 {
			continue
		}
		report = append(report, e.addr[r]+": "+strings.Join(eff.matched, "; "))
		for _, m := range eff.rules {
			m.Recipient = e.res.Recipients[r].Address
			matches = append(matches, m)
		}
		st := e.state(r)
		st.conn, st.tlsRule = eff.conn, eff.tlsRule
		if eff.disp != 0 {
			st.disp, st.status = eff.disp, eff.status
			st.reason = "mail flow rule \"" + eff.rule + "\" " + map[Disposition]string{Rejected: "rejects the message", Dropped: "deletes the message (DeleteMessage)", Quarantined: "quarantines the message"}[eff.disp]
			continue
		}
		if len(eff.redirect) > 0 {
			st.redirected = true
			st.reason = "mail flow rule redirects " + e.addr[r] + " to " + strings.Join(eff.redirect, ", ") + " (RedirectMessageTo)"
			e.addr[r] = eff.redirect[0]
			for _, a := range eff.redirect[1:] {
				rcpts = e.addRecipient(f, rcpts, r, a, "added by mail flow rule (RedirectMessageTo)")
			}
		}
		for _, a := range eff.added {
			rcpts = e.addRecipient(f, rcpts, r, a, "added by mail flow rule")
		}
	}
	if len(report) == 0 {
		return rcpts, Filter{Stage: stage, Result: Applied, Verdict: VerdictPass, Reason: what + " evaluated (" + n + "): none matched"}
	}
	return rcpts, Filter{Stage: stage, Result: Applied, Verdict: VerdictMatched, Rules: matches, Reason: what + " evaluated (" + n + "): " + strings.Join(report, " | ")}
}

// addRecipient adds a recipient a rule added, with the path of the
// recipient that triggered it so far; it joins the current copy.
func (e *engine) addRecipient(f *flight, rcpts []int, from int, addr, why string) []int {
	for _, r := range rcpts {
		if strings.EqualFold(e.addr[r], addr) {
			return rcpts // already a recipient of this copy
		}
	}
	n := len(e.res.Recipients)
	prev := e.res.Recipients[from].Hops
	hops := make([]Hop, len(prev), len(prev)+6)
	copy(hops, prev)
	e.res.Recipients = append(e.res.Recipients, Recipient{Address: addr, Copy: f.copy, Hops: hops})
	e.addr = append(e.addr, addr)
	st := e.state(n)
	st.added = why
	if len(rcpts) == len(f.rcpts) {
		rcpts = append([]int(nil), rcpts...) // f.rcpts may be shared with another copy
	}
	return append(rcpts, n)
}

// rstate is what the rules decided for one recipient.
type rstate struct {
	conn       string // RouteMessageOutboundConnector
	tlsRule    string // the rule whose RouteMessageOutboundRequireTls applies
	disp       Disposition
	status     string
	reason     string
	redirected bool
	redirects  int // how many times mailbox forwarding redirected it
	// forwardedCopy: its mailbox's DeliverToMailboxAndForward copy was
	// added (on-premises, where categorization repeats on the way to the
	// mailbox's server).
	forwardedCopy bool
	added         string // why a rule added the recipient
	// forwardedOut: mailbox forwarding sent it outside its organization,
	// which sends the copy anew.
	forwardedOut bool
	// srs is the envelope sender the Sender Rewriting Scheme gave the
	// recipient's copy when Exchange Online forwarded it outside the
	// organization; "" otherwise.
	srs string
}

// rewritten reports whether recipient r's address is not one the client
// gave at RCPT TO: forwarding or a mail flow rule redirected it, or a rule
// or forwarding added it.
func (e *engine) rewritten(r int) bool {
	if r < len(e.rstates) && (e.rstates[r].redirects > 0 || e.rstates[r].redirected || e.rstates[r].added != "") {
		return true
	}
	return false
}

// state returns recipient r's rule state, growing the table as needed.
func (e *engine) state(r int) *rstate {
	for len(e.rstates) <= r {
		e.rstates = append(e.rstates, rstate{})
	}
	return &e.rstates[r]
}

// ruled returns the terminal outcome the rules gave recipient r at this
// hop, and consumes it.
func (e *engine) ruled(o *outcome) bool {
	if o.rcpt >= len(e.rstates) {
		return false
	}
	st := &e.rstates[o.rcpt]
	if st.disp == 0 {
		return false
	}
	o.disp, o.status, o.reason = st.disp, st.status, st.reason
	st.disp = 0
	return true
}

// runJournal applies an organization's journal rules once per message in the
// organization (Microsoft: "Journaling in Exchange Online"). A matching rule
// sends a journal report to its JournalEmailAddress: a recipient added at this
// hop with the message's path so far, routed like any other mail (centralized
// transport included:
// docs/behaviour.md#d24-journal-reports-under-centralized-mail-transport). A
// sender or recipient is internal when its domain is accepted, even if the
// message arrived anonymously.
func (e *engine) runJournal(f *flight, rules []topology.JournalRule, dir orgDirectory, v *visit, list []int) ([]int, Filter) {
	switch {
	case v.journal != 0:
		return list, Filter{Stage: Journal, Result: Skipped, Reason: "journal rules already ran in this organization at " + hopRef(v.journal)}
	case e.spamAction == Quarantine || e.spamAction == Delete:
		return list, Filter{Stage: Journal, Result: Skipped, Reason: "anti-spam holds or deletes the message: nothing is delivered to journal"}
	}
	v.journal = f.depth + 1
	if len(rules) == 0 {
		return list, Filter{Stage: Journal, Result: Applied, Verdict: VerdictPass, Reason: "journal rules evaluated: none configured"}
	}
	return e.applyJournal(f, rules, dir, list)
}

func (e *engine) applyJournal(f *flight, rules []topology.JournalRule, dir orgDirectory, list []int) ([]int, Filter) {
	n := 0
	senderIn := e.from != "" && e.from != "<>" && recipientInOrganization(dir, e.from)
	var reports []string
	var matches []RuleMatch
	for i := range rules {
		jr := &rules[i]
		n++
		if !jr.Enabled.Bool(true) || len(list) == 0 {
			continue
		}
		matched := false
		for _, r := range list {
			internal := senderIn && recipientInOrganization(dir, e.addr[r])
			scope := jr.Scope == "" || jr.Scope == "Global" || jr.Scope == "Internal" && internal || jr.Scope == "External" && !internal
			who := jr.Recipient == "" || sameRecipient(dir, jr.Recipient, e.from) || sameRecipient(dir, jr.Recipient, e.addr[r])
			if scope && who {
				matched = true
				break
			}
		}
		if matched {
			list = e.addRecipient(f, list, list[0], jr.JournalEmailAddress, "journal report of journal rule \""+jr.Name+"\" (Scope "+cmp.Or(jr.Scope, "Global")+")")
			reports = append(reports, "\""+jr.Name+"\": report to "+jr.JournalEmailAddress)
			matches = append(matches, RuleMatch{Name: jr.Name, Enforced: true, Actions: []string{"JournalEmailAddress"}})
		}
	}
	if len(reports) == 0 {
		return list, Filter{Stage: Journal, Result: Applied, Verdict: VerdictPass, Reason: "journal rules evaluated (" + strconv.Itoa(n) + "): none matched"}
	}
	return list, Filter{Stage: Journal, Result: Applied, Verdict: VerdictMatched, Rules: matches, Reason: "journal rules evaluated (" + strconv.Itoa(n) + "): " + strings.Join(reports, "; ")}
}
