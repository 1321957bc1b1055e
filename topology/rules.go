package topology

import (
	"cmp"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/smtp"
)

// Predicates are the conditions of a mail flow rule, or its exceptions
// (the ExceptIf… parameters), with New-TransportRule's names (Microsoft:
// "Mail flow rule conditions and exceptions (predicates) in Exchange
// Online"). Within one predicate the values are OR-ed; the predicates that
// are set are AND-ed.
type Predicates struct {
	// FromScope and SentToScope: InOrganization or NotInOrganization.
	FromScope   string
	SentToScope string
	// From and SentTo are addresses; each matches every proxy address of
	// the same directory object.
	From   []string
	SentTo []string
	// SenderDomainIs and RecipientDomainIs match the domain and its
	// subdomains (docs/behaviour.md#d10-senderdomainis-and-recipientdomainis-match-subdomains).
	SenderDomainIs    []string
	RecipientDomainIs []string
	// SenderIpRanges: addresses, ranges or CIDRs matched against the last
	// hop before the organization.
	SenderIpRanges []string
	// FromMemberOf and SentToMemberOf are distribution groups (addresses).
	FromMemberOf   []string
	SentToMemberOf []string
	// SenderADAttributeContainsWords and RecipientADAttributeContainsWords
	// are "Attribute:word1,word2" entries over Department, Company, City,
	// Office and Title.
	SenderADAttributeContainsWords    []string
	RecipientADAttributeContainsWords []string
	// HeaderContainsMessageHeader names a header whose value must contain
	// one of HeaderContainsWords.
	HeaderContainsMessageHeader string
	HeaderContainsWords         []string
	// SubjectContainsWords and SubjectOrBodyContainsWords: words or
	// phrases the message's Subject (and Body) contain, ignoring case
	// (docs/behaviour.md#l16-words-in-the-subject-and-body).
	SubjectContainsWords       []string
	SubjectOrBodyContainsWords []string
	// AttachmentNameMatchesPatterns: regular expressions one of the
	// message's attachment names matches, ignoring case;
	// AttachmentExtensionMatchesWords: file name extensions ("exe", no dot).
	AttachmentNameMatchesPatterns   []string
	AttachmentExtensionMatchesWords []string
	// HeaderMatchesMessageHeader names a header whose value must match one
	// of HeaderMatchesPatterns; SubjectMatchesPatterns and
	// SubjectOrBodyMatchesPatterns match the Subject (and Body). Each is
	// a regular expression matched ignoring case, in the syntax Go's
	// regular expressions share with .NET's
	// (docs/behaviour.md#l16-words-in-the-subject-and-body).
	HeaderMatchesMessageHeader   string
	HeaderMatchesPatterns        []string
	SubjectMatchesPatterns       []string
	SubjectOrBodyMatchesPatterns []string
}

// IsZero reports whether no predicate is set.
func (p *Predicates) IsZero() bool {
	return p.FromScope == "" && p.SentToScope == "" && len(p.From) == 0 && len(p.SentTo) == 0 &&
		len(p.SenderDomainIs) == 0 && len(p.RecipientDomainIs) == 0 && len(p.SenderIpRanges) == 0 &&
		len(p.FromMemberOf) == 0 && len(p.SentToMemberOf) == 0 && len(p.SenderADAttributeContainsWords) == 0 &&
		len(p.RecipientADAttributeContainsWords) == 0 && p.HeaderContainsMessageHeader == "" && len(p.HeaderContainsWords) == 0 &&
		len(p.SubjectContainsWords) == 0 && len(p.SubjectOrBodyContainsWords) == 0 && len(p.AttachmentNameMatchesPatterns) == 0 &&
		len(p.AttachmentExtensionMatchesWords) == 0 && p.HeaderMatchesMessageHeader == "" && len(p.HeaderMatchesPatterns) == 0 &&
		len(p.SubjectMatchesPatterns) == 0 && len(p.SubjectOrBodyMatchesPatterns) == 0
}

func (p Predicates) clone() Predicates {
	for _, l := range []*[]string{&p.From, &p.SentTo, &p.SenderDomainIs, &p.RecipientDomainIs, &p.SenderIpRanges, &p.FromMemberOf,
		&p.SentToMemberOf, &p.SenderADAttributeContainsWords, &p.RecipientADAttributeContainsWords, &p.HeaderContainsWords,
		&p.SubjectContainsWords, &p.SubjectOrBodyContainsWords, &p.AttachmentNameMatchesPatterns, &p.AttachmentExtensionMatchesWords,
		&p.HeaderMatchesPatterns, &p.SubjectMatchesPatterns, &p.SubjectOrBodyMatchesPatterns} {
		*l = slices.Clone(*l)
	}
	return p
}

// TransportRule is a mail flow rule (New-TransportRule): conditions, exceptions
// and actions, with the cmdlet's names (Microsoft: "Mail flow rules (transport
// rules) in Exchange Online").
type TransportRule struct {
	Name string
	// Priority orders the rules, 0 first; it is unique in an organization.
	Priority int
	// State is Enabled (the default) or Disabled.
	State RuleState
	// Mode is Enforce (the default), Audit or AuditAndNotify; the audit
	// modes only log a match.
	Mode RuleMode
	// Conditions are the rule's conditions; no condition matches every
	// message. Topology files and exports write them at the rule's level
	// ("From", "SentToScope"), as New-TransportRule's parameters are.
	Conditions Predicates `mailflow:"inline"`
	// ExceptIf are the exceptions: any of them cancels the rule.
	ExceptIf Predicates
	// SenderAddressLocation says which sender the conditions and
	// exceptions that examine the sender's address (From, FromMemberOf,
	// SenderDomainIs, SenderADAttributeContainsWords) read: Header (the
	// default: the From header), Envelope (MAIL FROM) or HeaderOrEnvelope
	// (either) (New-TransportRule;
	// docs/behaviour.md#l17-the-sender-a-mail-flow-rule-examines).
	SenderAddressLocation string

	// RouteMessageOutboundConnector sends the message through the named
	// outbound connector (Microsoft: "Scenario: Conditional mail routing in
	// Exchange Online").
	RouteMessageOutboundConnector string
	// RouteMessageOutboundRequireTls requires TLS for the outbound hop.
	RouteMessageOutboundRequireTls bool
	// RedirectMessageTo replaces the recipient, silently.
	RedirectMessageTo []string
	// AddToRecipients, CopyTo and BlindCopyTo add recipients. These lists
	// and RedirectMessageTo are sets, applied in ascending address order
	// (docs/behaviour.md, L11).
	AddToRecipients []string
	CopyTo          []string
	BlindCopyTo     []string
	// RejectMessageReasonText and RejectMessageEnhancedStatusCode reject
	// the message with an NDR: 5.7.1 or 5.7.900 to 5.7.999
	// (docs/behaviour.md#d12-rejection-status-codes-of-mail-flow-rules).
	RejectMessageReasonText         string
	RejectMessageEnhancedStatusCode string
	// DeleteMessage drops the message silently; Quarantine holds it.
	DeleteMessage bool
	Quarantine    bool
	// SetSCL sets the spam confidence level, -1 to 9; nil leaves it.
	SetSCL *int
	// SetHeaderName and SetHeaderValue set a header; RemoveHeader removes
	// one.
	SetHeaderName  string
	SetHeaderValue string
	RemoveHeader   string
	// StopRuleProcessing ends the evaluation after this rule.
	StopRuleProcessing bool
	// Comments is free text. Informational: it changes no path.
	Comments string
}

// RuleState is a mail flow rule's State (Set-TransportRule -State is set
// with Enable-/Disable-TransportRule); it is read ignoring case.
type RuleState string

// The rule states.
const (
	RuleEnabled  RuleState = "Enabled"
	RuleDisabled RuleState = "Disabled"
)

// RuleMode is a mail flow rule's Mode: Enforce applies its actions, the
// test modes only log a match; it is read ignoring case.
type RuleMode string

// The rule modes.
const (
	ModeEnforce        RuleMode = "Enforce"
	ModeAudit          RuleMode = "Audit"
	ModeAuditAndNotify RuleMode = "AuditAndNotify"
)

// IsEnabled reports whether the rule takes part in evaluation.
func (r *TransportRule) IsEnabled() bool {
	return r.State == "" || strings.EqualFold(string(r.State), string(RuleEnabled))
}

// Enforced reports whether the rule's actions apply (Mode Enforce).
func (r *TransportRule) Enforced() bool {
	return r.Mode == "" || strings.EqualFold(string(r.Mode), string(ModeEnforce))
}

// RejectStatus returns the SMTP status line the rule's reject action gives (the
// library's reading,
// docs/behaviour.md#d12-rejection-status-codes-of-mail-flow-rules): the text
// alone gives 5.7.1 with that text, the code alone "Delivery not authorized,
// message refused", both as given.
func (r *TransportRule) RejectStatus() string {
	code := cmp.Or(r.RejectMessageEnhancedStatusCode, "5.7.1")
	text := cmp.Or(r.RejectMessageReasonText, "Delivery not authorized, message refused")
	return "550 " + code + " " + text
}

// Rejects reports whether the rule has a reject action.
func (r *TransportRule) Rejects() bool {
	return r.RejectMessageReasonText != "" || r.RejectMessageEnhancedStatusCode != ""
}

// Actions returns the rule's actions as PowerShell parameters with their
// values ("RouteMessageOutboundConnector \"To Partner\""), in the order of
// [TransportRule.ActionParameters], for reasons and reports.
func (r *TransportRule) Actions() []string {
	var a []string
	r.actions(func(param, value string) {
		if value != "" {
			param += " " + value
		}
		a = append(a, param)
	})
	return a
}

// ActionParameters returns the names of the PowerShell parameters that set
// the rule's actions, in a fixed order: RouteMessageOutboundConnector,
// RouteMessageOutboundRequireTls, RedirectMessageTo, AddToRecipients,
// CopyTo, BlindCopyTo, RejectMessage (RejectMessageReasonText or
// RejectMessageEnhancedStatusCode), DeleteMessage, Quarantine, SetSCL,
// SetHeaderName, RemoveHeader, StopRuleProcessing. It returns a new slice.
func (r *TransportRule) ActionParameters() []string {
	var a []string
	r.actions(func(param, _ string) { a = append(a, param) })
	return a
}

// actions calls f with each action's parameter and value, in the order
// ActionParameters documents.
func (r *TransportRule) actions(f func(param, value string)) {
	if r.RouteMessageOutboundConnector != "" {
		f("RouteMessageOutboundConnector", strconv.Quote(r.RouteMessageOutboundConnector))
	}
	if r.RouteMessageOutboundRequireTls {
		f("RouteMessageOutboundRequireTls", "")
	}
	for _, l := range []struct {
		param string
		list  []string
	}{{"RedirectMessageTo", r.RedirectMessageTo}, {"AddToRecipients", r.AddToRecipients}, {"CopyTo", r.CopyTo}, {"BlindCopyTo", r.BlindCopyTo}} {
		if len(l.list) > 0 {
			f(l.param, strings.Join(l.list, ", "))
		}
	}
	if r.Rejects() {
		f("RejectMessage", "("+strings.TrimPrefix(r.RejectStatus(), "550 ")+")")
	}
	if r.DeleteMessage {
		f("DeleteMessage", "")
	}
	if r.Quarantine {
		f("Quarantine", "")
	}
	if r.SetSCL != nil {
		f("SetSCL", strconv.Itoa(*r.SetSCL))
	}
	if r.SetHeaderName != "" {
		f("SetHeaderName", r.SetHeaderName+": "+r.SetHeaderValue)
	}
	if r.RemoveHeader != "" {
		f("RemoveHeader", r.RemoveHeader)
	}
	if r.StopRuleProcessing {
		f("StopRuleProcessing", "")
	}
}

// Clone returns a copy of r that shares no memory with it.
func (r TransportRule) Clone() TransportRule {
	r.Conditions = r.Conditions.clone()
	r.ExceptIf = r.ExceptIf.clone()
	r.RedirectMessageTo = slices.Clone(r.RedirectMessageTo)
	r.AddToRecipients = slices.Clone(r.AddToRecipients)
	r.CopyTo = slices.Clone(r.CopyTo)
	r.BlindCopyTo = slices.Clone(r.BlindCopyTo)
	if r.SetSCL != nil {
		v := *r.SetSCL
		r.SetSCL = &v
	}
	return r
}

// ADAttributes returns the directory attributes the AD attribute
// conditions read ("Mail flow rule conditions and exceptions (predicates)
// in Exchange Online"), in a new slice.
func ADAttributes() []string { return []string{"City", "Company", "Department", "Office", "Title"} }

// ADAttribute returns a recipient's directory attribute by name, ignoring
// case, and false for an attribute the model does not hold.
func (r *Recipient) ADAttribute(name string) (string, bool) {
	switch strings.ToLower(name) {
	case "city":
		return r.City, true
	case "company":
		return r.Company, true
	case "department":
		return r.Department, true
	case "office":
		return r.Office, true
	case "title":
		return r.Title, true
	}
	return "", false
}

// ParseADAttributeWords splits "Department:Sales,Finance" into the
// attribute and its words.
func ParseADAttributeWords(s string) (attr string, words []string, err error) {
	attr, list, ok := strings.Cut(s, ":")
	if !ok || strings.TrimSpace(attr) == "" || strings.TrimSpace(list) == "" {
		return "", nil, fmt.Errorf("%q is not Attribute:word1,word2", s)
	}
	for w := range strings.SplitSeq(list, ",") {
		if w = strings.TrimSpace(w); w != "" {
			words = append(words, w)
		}
	}
	if _, ok := (&Recipient{}).ADAttribute(attr); !ok {
		return "", nil, fmt.Errorf("%q: attribute %s is not one of %s", s, attr, strings.Join(ADAttributes(), ", "))
	}
	return strings.TrimSpace(attr), words, nil
}

// uniqueName refuses an empty name, or one that names (ignoring case)
// another of the organization's objects of the same kind, what.
func (b *builder) uniqueName(obj, name string, names map[string]bool, what string) {
	if strings.TrimSpace(name) == "" {
		b.ps.add(obj, "Name", "is empty")
	}
	if names[strings.ToLower(name)] {
		b.ps.add(obj, "Name", "is used by two "+what)
	}
	names[strings.ToLower(name)] = true
}

// validateRules checks an organization's rules; outbound names the
// tenant's outbound connectors (nil on-premises).
func (b *builder) validateRules(obj string, rules []TransportRule, outbound []connector.Outbound, onPrem bool) {
	seen := map[int]string{}
	names := map[string]bool{}
	for _, r := range rules {
		robj := fmt.Sprintf("%s.TransportRules[%q]", obj, r.Name)
		b.uniqueName(robj, r.Name, names, "rules")
		if other, dup := seen[r.Priority]; dup {
			b.ps.add(robj, "Priority", fmt.Sprintf("%d is also the priority of rule %q; priorities are unique", r.Priority, other))
		} else {
			seen[r.Priority] = r.Name
		}
		if r.Priority < 0 {
			b.ps.add(robj, "Priority", fmt.Sprintf("%d is negative", r.Priority))
		}
		switch strings.ToLower(string(r.State)) {
		case "", "enabled", "disabled":
		default:
			b.ps.add(robj, "State", fmt.Sprintf("%q is not Enabled or Disabled", r.State))
		}
		switch strings.ToLower(string(r.Mode)) {
		case "", "enforce", "audit", "auditandnotify":
		default:
			b.ps.add(robj, "Mode", fmt.Sprintf("%q is not Enforce, Audit or AuditAndNotify", r.Mode))
		}
		switch strings.ToLower(r.SenderAddressLocation) {
		case "", "header", "envelope", "headerorenvelope":
		default:
			b.ps.add(robj, "SenderAddressLocation", fmt.Sprintf("%q is not Header, Envelope or HeaderOrEnvelope", r.SenderAddressLocation))
		}
		b.validatePredicates(robj, "", &r.Conditions)
		b.validatePredicates(robj, "ExceptIf", &r.ExceptIf)
		for _, l := range []struct {
			field string
			list  []string
		}{{"RedirectMessageTo", r.RedirectMessageTo}, {"AddToRecipients", r.AddToRecipients}, {"CopyTo", r.CopyTo}, {"BlindCopyTo", r.BlindCopyTo}} {
			b.addresses(robj, l.field, l.list)
		}
		if c := r.RejectMessageEnhancedStatusCode; c != "" && !validRejectCode(c) {
			b.ps.add(robj, "RejectMessageEnhancedStatusCode", fmt.Sprintf("%q is not 5.7.1 or 5.7.900 to 5.7.999", c))
		}
		if len(r.RejectMessageReasonText) > 1024 {
			b.ps.add(robj, "RejectMessageReasonText", "is longer than 1024 characters")
		}
		if r.SetSCL != nil && (*r.SetSCL < -1 || *r.SetSCL > 9) {
			b.ps.add(robj, "SetSCL", fmt.Sprintf("%d is not from -1 to 9", *r.SetSCL))
		}
		if (r.SetHeaderName == "") != (r.SetHeaderValue == "") {
			b.ps.add(robj, "SetHeaderName", "SetHeaderName and SetHeaderValue go together")
		}
		if name := r.RouteMessageOutboundConnector; name != "" {
			switch {
			case onPrem:
				b.ps.add(robj, "RouteMessageOutboundConnector", "is an Exchange Online action")
			case !slices.ContainsFunc(outbound, func(c connector.Outbound) bool { return strings.EqualFold(c.Name, name) }):
				b.ps.add(robj, "RouteMessageOutboundConnector", fmt.Sprintf("no outbound connector is named %q", name))
			}
		}
	}
}

func validRejectCode(c string) bool {
	if c == "5.7.1" {
		return true
	}
	n, err := strconv.Atoi(strings.TrimPrefix(c, "5.7."))
	return strings.HasPrefix(c, "5.7.") && err == nil && n >= 900 && n <= 999
}

func (b *builder) validatePredicates(obj, prefix string, p *Predicates) {
	for _, s := range []struct{ field, v string }{{"FromScope", p.FromScope}, {"SentToScope", p.SentToScope}} {
		switch s.v {
		case "", "InOrganization", "NotInOrganization":
		default:
			b.ps.add(obj, prefix+s.field, fmt.Sprintf("%q is not InOrganization or NotInOrganization", s.v))
		}
	}
	b.addresses(obj, prefix+"From", p.From)
	b.addresses(obj, prefix+"SentTo", p.SentTo)
	b.addresses(obj, prefix+"FromMemberOf", p.FromMemberOf)
	b.addresses(obj, prefix+"SentToMemberOf", p.SentToMemberOf)
	for _, l := range []struct {
		field string
		list  []string
	}{{"SenderDomainIs", p.SenderDomainIs}, {"RecipientDomainIs", p.RecipientDomainIs}} {
		for i, d := range l.list {
			if _, err := smtp.Domain(d); err != nil {
				b.ps.add(obj, fmt.Sprintf("%s%s[%d]", prefix, l.field, i), fmt.Sprintf("%q is not a domain name: %v", d, err))
			}
		}
	}
	for i, s := range p.SenderIpRanges {
		if _, err := connector.ParseIPRange(s); err != nil {
			b.ps.add(obj, fmt.Sprintf("%sSenderIpRanges[%d]", prefix, i), err.Error())
		}
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{"SenderADAttributeContainsWords", p.SenderADAttributeContainsWords}, {"RecipientADAttributeContainsWords", p.RecipientADAttributeContainsWords}} {
		for i, s := range l.list {
			if _, _, err := ParseADAttributeWords(s); err != nil {
				b.ps.add(obj, fmt.Sprintf("%s%s[%d]", prefix, l.field, i), err.Error())
			}
		}
	}
	if (p.HeaderContainsMessageHeader == "") != (len(p.HeaderContainsWords) == 0) {
		b.ps.add(obj, prefix+"HeaderContainsMessageHeader", "HeaderContainsMessageHeader and HeaderContainsWords go together")
	}
	if (p.HeaderMatchesMessageHeader == "") != (len(p.HeaderMatchesPatterns) == 0) {
		b.ps.add(obj, prefix+"HeaderMatchesMessageHeader", "HeaderMatchesMessageHeader and HeaderMatchesPatterns go together")
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{"AttachmentNameMatchesPatterns", p.AttachmentNameMatchesPatterns}, {"HeaderMatchesPatterns", p.HeaderMatchesPatterns},
		{"SubjectMatchesPatterns", p.SubjectMatchesPatterns}, {"SubjectOrBodyMatchesPatterns", p.SubjectOrBodyMatchesPatterns}} {
		for i, pat := range l.list {
			if _, ok := b.t.patterns[pat]; ok {
				continue
			}
			re, err := AttachmentPattern(pat)
			if err != nil {
				b.ps.add(obj, fmt.Sprintf("%s%s[%d]", prefix, l.field, i), fmt.Sprintf("%q is not a regular expression: %v", pat, err))
				continue
			}
			if b.t.patterns == nil {
				b.t.patterns = map[string]*regexp.Regexp{}
			}
			b.t.patterns[pat] = re
		}
	}
}

// AttachmentPattern compiles an AttachmentNameMatchesPatterns entry (or
// another …MatchesPatterns one): a regular expression matched ignoring
// case against an attachment's name (a header's value, the subject, the
// body).
// Exchange's syntax is .NET's; the library reads the common subset Go's
// regexp package shares with it.
func AttachmentPattern(pat string) (*regexp.Regexp, error) { return regexp.Compile("(?i)" + pat) }

func (b *builder) addresses(obj, field string, list []string) {
	for i, a := range list {
		if _, _, err := smtp.Address(a); err != nil {
			b.ps.add(obj, fmt.Sprintf("%s[%d]", field, i), fmt.Sprintf("%q is not an SMTP address: %v", a, err))
		}
	}
}

// sortAddresses puts the address lists of the rules whose order Exchange
// ignores (RedirectMessageTo, AddToRecipients, CopyTo, BlindCopyTo) in
// one order, ascending ignoring case, after validation has reported their
// problems at the indexes given.
func sortAddresses(rules []TransportRule) {
	for i := range rules {
		r := &rules[i]
		for _, l := range [][]string{r.RedirectMessageTo, r.AddToRecipients, r.CopyTo, r.BlindCopyTo} {
			slices.SortFunc(l, compareAddresses)
		}
	}
}

// compareAddresses orders addresses ignoring case, then by their bytes.
func compareAddresses(a, b string) int {
	return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b))
}

// sortRules orders rules by priority, then name.
func sortRules(rules []TransportRule) {
	slices.SortFunc(rules, total(func(a, b TransportRule) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), strings.Compare(a.Name, b.Name))
	}))
}

// ConnectionFilterPolicy is a tenant's connection filter policy
// (Get-HostedConnectionFilterPolicy; Microsoft: "Configure connection
// filtering").
type ConnectionFilterPolicy struct {
	// IPAllowList: mail from these addresses skips spam filtering (IPV:CAL)
	// but is still scanned for malware. Entries are addresses, ranges or
	// CIDRs from /24 to /32.
	IPAllowList []string
	// IPBlockList: mail from these addresses is rejected.
	IPBlockList []string
	// EnableSafeList uses Microsoft's safe list. Informational: the
	// library does not hold that list, so it has no effect here.
	EnableSafeList bool
}

// ContentFilterPolicy is what a tenant's anti-spam policy does with spam
// (Get-HostedContentFilterPolicy): MoveToJmf (the Junk Email folder, the
// default), Quarantine, Delete or AddXHeader.
type ContentFilterPolicy struct {
	// SpamAction applies to SCL 5 and 6.
	SpamAction string
	// HighConfidenceSpamAction applies to SCL 7 to 9.
	HighConfidenceSpamAction string
}

// Action returns what the policy does with a message of spam confidence
// level scl, "" when it is not spam.
func (p ContentFilterPolicy) Action(scl int) string {
	switch {
	case scl >= 7:
		return cmp.Or(p.HighConfidenceSpamAction, "MoveToJmf")
	case scl >= 5:
		return cmp.Or(p.SpamAction, "MoveToJmf")
	}
	return ""
}

// AntiPhishPolicy is the DMARC handling of a tenant's anti-phishing policy
// (Set-AntiPhishPolicy; Microsoft: "Set up DMARC to validate the From
// address domain for cloud senders", "How Microsoft 365 handles inbound
// email that fails DMARC").
type AntiPhishPolicy struct {
	// HonorDmarcPolicy: a message that fails DMARC gets the action its
	// sender's p=quarantine or p=reject asks for; unset reads as $true,
	// the default. $false writes the action as oquarantine or oreject and
	// lets the message go on.
	HonorDmarcPolicy connector.OptBool
	// DmarcRejectAction is what happens under p=reject: Reject (the
	// default: 550 5.7.509) or Quarantine.
	DmarcRejectAction string
	// DmarcQuarantineAction is what happens under p=quarantine:
	// Quarantine (the default) or MoveToJmf (the Junk Email folder).
	DmarcQuarantineAction string
}

// DkimSigningConfig is one of a tenant's DKIM signing configurations, as
// Get-DkimSigningConfig lists them: the domain, an accepted domain of the
// tenant, and whether signing with it is Enabled. The selectors' CNAME
// targets are Microsoft's: the library signs with s=selector1.
type DkimSigningConfig struct {
	Domain  string
	Enabled bool
}

// DkimSigner returns the domain and selector Exchange Online DKIM-signs
// outbound mail whose From header has the domain from with: from and
// selector1 when the tenant has an enabled DkimSigningConfig for it, else
// the tenant's initial domain <tenant>.onmicrosoft.com and selector1
// (Microsoft: "Set up DKIM to sign mail from your Microsoft 365 domain";
// docs/behaviour.md#l94-dkim-signing-in-exchange-online).
func (x *Tenant) DkimSigner(from string) (domain, selector string) {
	if slices.Contains(x.dkimDomains, strings.ToLower(from)) {
		return strings.ToLower(from), "selector1"
	}
	return x.name + ".onmicrosoft.com", "selector1"
}

// dkimSigning checks a tenant's DKIM signing configurations: each domain
// an accepted domain of the tenant, listed once; it returns the enabled
// ones in lower case.
func (b *builder) dkimSigning(obj string, x *Tenant, list []DkimSigningConfig) []string {
	var on []string
	seen := map[string]bool{}
	for i, c := range list {
		field := fmt.Sprintf("DkimSigningConfig[%d].Domain", i)
		d := strings.ToLower(c.Domain)
		_, accepted := x.AcceptedDomain(d)
		switch {
		case !accepted:
			b.ps.add(obj, field, fmt.Sprintf("%q is not an accepted domain of the tenant", c.Domain))
		case seen[d]:
			b.ps.add(obj, field, fmt.Sprintf("%q is configured twice", c.Domain))
		case c.Enabled:
			on = append(on, d)
		}
		seen[d] = true
	}
	return on
}

// DkimSigner returns the d= and s= a signing agent on the organization's
// transport DKIM-signs the mail submitted in it with
// ([OnPremisesSpec.DkimSigningDomain]); "" when it does not sign.
func (o *OnPremises) DkimSigner() (domain, selector string) { return o.dkimDomain, o.dkimSelector }

// ArcTrusted reports whether the tenant lists domain among its
// ArcTrustedSealers (case-insensitive).
func (x *Tenant) ArcTrusted(domain string) bool {
	return slices.Contains(x.arcTrusted, strings.ToLower(domain))
}

// arcSealers checks a tenant's ArcTrustedSealers: each a domain name.
func (b *builder) arcSealers(obj string, list []string) []string {
	var out []string
	for i, d := range list {
		v, err := smtp.Domain(d)
		if err != nil {
			b.ps.add(obj, fmt.Sprintf("ArcTrustedSealers[%d]", i), fmt.Sprintf("%q is not a domain name: %v", d, err))
			continue
		}
		out = append(out, v)
	}
	return out
}

// AntiPhish returns the tenant's anti-phishing policy's DMARC handling,
// its defaults filled in.
func (x *Tenant) AntiPhish() AntiPhishPolicy { return x.antiPhish }

// antiPhish validates a tenant's anti-phishing policy and fills in its
// defaults.
func (b *builder) antiPhish(obj string, p AntiPhishPolicy) AntiPhishPolicy {
	p.DmarcRejectAction = b.oneOf(obj, "AntiPhishPolicy.DmarcRejectAction", p.DmarcRejectAction, "Reject", "Quarantine")
	p.DmarcQuarantineAction = b.oneOf(obj, "AntiPhishPolicy.DmarcQuarantineAction", p.DmarcQuarantineAction, "Quarantine", "MoveToJmf")
	if p.HonorDmarcPolicy == connector.Unset {
		p.HonorDmarcPolicy = connector.True
	}
	return p
}

// oneOf returns v, or the default (the first allowed value) when v is
// empty, and reports a v that is not allowed.
func (b *builder) oneOf(obj, field, v string, allowed ...string) string {
	switch {
	case v == "":
		return allowed[0]
	case !slices.Contains(allowed, v):
		b.ps.add(obj, field, fmt.Sprintf("%q is not %s", v, strings.Join(allowed, " or ")))
	}
	return v
}

func (b *builder) validateFilterPolicies(obj string, c ConnectionFilterPolicy, s ContentFilterPolicy) {
	for _, l := range []struct {
		field string
		list  []string
	}{{"HostedConnectionFilterPolicy.IPAllowList", c.IPAllowList}, {"HostedConnectionFilterPolicy.IPBlockList", c.IPBlockList}} {
		for i, e := range l.list {
			r, err := connector.ParseIPRange(e)
			switch {
			case err != nil:
				b.ps.add(obj, fmt.Sprintf("%s[%d]", l.field, i), err.Error())
			case r.Size() > 256:
				b.ps.add(obj, fmt.Sprintf("%s[%d]", l.field, i), fmt.Sprintf("%q is wider than a /24; use a mail flow rule with SenderIpRanges and SetSCL -1 instead", e))
			}
		}
	}
	for _, a := range []struct{ field, v string }{{"HostedContentFilterPolicy.SpamAction", s.SpamAction}, {"HostedContentFilterPolicy.HighConfidenceSpamAction", s.HighConfidenceSpamAction}} {
		switch a.v {
		case "", "MoveToJmf", "Quarantine", "Delete", "AddXHeader":
		default:
			b.ps.add(obj, a.field, fmt.Sprintf("%q is not MoveToJmf, Quarantine, Delete or AddXHeader", a.v))
		}
	}
}

// ConnectionFilter returns a copy of the tenant's connection filter
// policy.
func (x *Tenant) ConnectionFilter() ConnectionFilterPolicy {
	p := x.connFilter
	p.IPAllowList = slices.Clone(p.IPAllowList)
	p.IPBlockList = slices.Clone(p.IPBlockList)
	return p
}

// IPBlockListed returns the first entry of the connection filter policy's
// IPBlockList, in the order given, that contains ip.
func (x *Tenant) IPBlockListed(ip netip.Addr) (entry string, ok bool) { return x.ipBlock.find(ip) }

// IPAllowListed returns the first entry of the connection filter policy's
// IPAllowList, in the order given, that contains ip.
func (x *Tenant) IPAllowListed(ip netip.Addr) (entry string, ok bool) { return x.ipAllow.find(ip) }

// ipList is an IP Allow or Block List with its entries parsed (Build
// refused those that do not parse).
type ipList []struct {
	entry string
	r     connector.IPRange
}

func compileIPList(entries []string) ipList {
	var l ipList
	for _, e := range entries {
		if r, err := connector.ParseIPRange(e); err == nil {
			l = append(l, struct {
				entry string
				r     connector.IPRange
			}{e, r})
		}
	}
	return l
}

func (l ipList) find(ip netip.Addr) (string, bool) {
	for _, e := range l {
		if e.r.Contains(ip) {
			return e.entry, true
		}
	}
	return "", false
}

// ContentFilter returns the tenant's anti-spam policy.
func (x *Tenant) ContentFilter() ContentFilterPolicy { return x.contentFilter }

// JournalRule is a journal rule (New-JournalRule; Microsoft: "Journaling in
// Exchange Online"): a
// journal report of matching messages goes to JournalEmailAddress.
type JournalRule struct {
	Name string
	// JournalEmailAddress receives the journal reports.
	JournalEmailAddress string
	// Scope is Global (every message, the default), Internal (sender and
	// recipient in the organization) or External (either outside). A
	// sender is in the organization when its P1 domain is accepted, even
	// if the message arrived anonymously.
	Scope string
	// Recipient, when set, limits the rule to messages sent to or from
	// that address.
	Recipient string
	// Enabled: unset reads as $true.
	Enabled connector.OptBool
}

func (b *builder) validateJournalRules(obj string, rules []JournalRule) {
	names := map[string]bool{}
	for _, r := range rules {
		robj := fmt.Sprintf("%s.JournalRules[%q]", obj, r.Name)
		b.uniqueName(robj, r.Name, names, "journal rules")
		if _, _, err := smtp.Address(r.JournalEmailAddress); err != nil {
			b.ps.add(robj, "JournalEmailAddress", fmt.Sprintf("%q is not an SMTP address: %v", r.JournalEmailAddress, err))
		}
		if r.Recipient != "" {
			b.addresses(robj, "Recipient", []string{r.Recipient})
		}
		switch r.Scope {
		case "", "Global", "Internal", "External":
		default:
			b.ps.add(robj, "Scope", fmt.Sprintf("%q is not Global, Internal or External", r.Scope))
		}
	}
}

// AddressRewriteEntry is an address rewriting entry of an on-premises
// gateway (New-AddressRewriteEntry): outbound mail from InternalAddress
// leaves with ExternalAddress as its sender. InternalAddress is an
// address, a domain, or "*.domain" (the subdomains of domain, to hide
// them); ExternalAddress is an address or a domain.
type AddressRewriteEntry struct {
	// Name names the entry in traces.
	Name            string
	InternalAddress string
	ExternalAddress string
	// OutboundOnly $false makes Exchange also rewrite inbound replies back.
	// Informational: the library traces the outbound rewrite only, which
	// happens either way.
	OutboundOnly bool
}

// Rewrite returns the sender address after the entry, and whether it
// applies to sender.
func (a *AddressRewriteEntry) Rewrite(sender string) (string, bool) {
	local, domain, err := smtp.Address(sender)
	if err != nil {
		return sender, false
	}
	in, out := smtp.Key(a.InternalAddress), smtp.Key(a.ExternalAddress)
	switch {
	case strings.Contains(in, "@"):
		if smtp.Key(sender) != in {
			return sender, false
		}
	case strings.HasPrefix(in, "*."):
		if !strings.HasSuffix(domain, in[1:]) {
			return sender, false
		}
	case domain != in:
		return sender, false
	}
	if strings.Contains(out, "@") {
		return a.ExternalAddress, true
	}
	return local + "@" + out, true
}

func (b *builder) validateRewrites(obj string, list []AddressRewriteEntry) {
	for _, a := range list {
		aobj := fmt.Sprintf("%s.AddressRewriteEntries[%q]", obj, a.Name)
		for _, f := range []struct{ field, v string }{{"InternalAddress", a.InternalAddress}, {"ExternalAddress", a.ExternalAddress}} {
			v := strings.TrimPrefix(f.v, "*.")
			if f.field == "ExternalAddress" && strings.HasPrefix(f.v, "*.") {
				b.ps.add(aobj, f.field, fmt.Sprintf("%q: a wildcard is allowed in InternalAddress only", f.v))
				continue
			}
			var err error
			if strings.Contains(v, "@") {
				_, _, err = smtp.Address(v)
			} else {
				_, err = smtp.Domain(v)
			}
			if err != nil {
				b.ps.add(aobj, f.field, fmt.Sprintf("%q is not an address, a domain or *.domain: %v", f.v, err))
			}
		}
	}
}
