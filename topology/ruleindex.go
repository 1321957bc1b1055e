package topology

import (
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/internal/smtp"
)

// ruleIndex finds the mail flow rules that can apply to a sender and a
// recipient without looking at the others: each rule is filed under one
// condition it needs (its SentTo, else From, else RecipientDomainIs, else
// SenderDomainIs), since conditions are AND-ed; a rule with none of them
// is filed as always a candidate. Addresses are filed by the directory
// object they name, as the conditions match every proxy address of it.
type ruleIndex struct {
	always                   []int
	sentTo, from             map[string][]int // object key → rules
	rcptDomain, senderDomain map[string][]int // domain → rules
}

// newRuleIndex indexes rules (in their final order) against dir.
func newRuleIndex(rules []TransportRule, dir *directory) ruleIndex {
	ix := ruleIndex{sentTo: map[string][]int{}, from: map[string][]int{}, rcptDomain: map[string][]int{}, senderDomain: map[string][]int{}}
	file := func(m map[string][]int, keys []string, i int, key func(string) string) {
		for _, k := range keys {
			k = key(k)
			if l := m[k]; len(l) == 0 || l[len(l)-1] != i {
				m[k] = append(l, i)
			}
		}
	}
	for i := range rules {
		c := &rules[i].Conditions
		switch {
		case len(c.SentTo) > 0:
			file(ix.sentTo, c.SentTo, i, dir.objectKey)
		case len(c.From) > 0:
			file(ix.from, c.From, i, dir.objectKey)
		case len(c.RecipientDomainIs) > 0:
			file(ix.rcptDomain, c.RecipientDomainIs, i, smtp.Key)
		case len(c.SenderDomainIs) > 0:
			file(ix.senderDomain, c.SenderDomainIs, i, smtp.Key)
		default:
			ix.always = append(ix.always, i)
		}
	}
	return ix
}

// objectKey returns the key of the directory object an address names:
// the index of the object, or the address itself, lower-cased.
func (d *directory) objectKey(address string) string {
	if i, ok := d.byAddress[smtp.Key(address)]; ok {
		return "#" + strconv.Itoa(i)
	}
	return smtp.Key(address)
}

// candidates returns the indexes of the rules that can apply to sender
// and rcpt, ascending.
func (ix *ruleIndex) candidates(dir *directory, sender, rcpt string) []int {
	out := slices.Clone(ix.always)
	out = append(out, ix.sentTo[dir.objectKey(rcpt)]...)
	if sender != "" {
		out = append(out, ix.from[dir.objectKey(sender)]...)
	}
	domains := func(m map[string][]int, addr string) {
		if len(m) == 0 || addr == "" {
			return
		}
		for d, ok := smtp.Key(domainPart(addr)), true; ok; d, ok = smtp.Parent(d) {
			out = append(out, m[d]...)
		}
	}
	domains(ix.rcptDomain, rcpt)
	domains(ix.senderDomain, sender)
	slices.Sort(out)
	return slices.Compact(out)
}

// domainPart returns what follows an address's last "@".
func domainPart(addr string) string { return addr[strings.LastIndexByte(addr, '@')+1:] }

// TransportRulesFor yields copies of the tenant's mail flow rules that can
// apply to a message from sender to rcpt, in the order TransportRules
// yields them: every rule whose conditions the message may meet, without
// the rules whose SentTo, From, RecipientDomainIs or SenderDomainIs
// condition rules it out. It is for evaluating rules recipient by
// recipient without copying them all.
func (x *Tenant) TransportRulesFor(sender, rcpt string) iter.Seq[TransportRule] {
	return ruleCopies(x.rules, x.ruleIx.candidates(&x.dir, sender, rcpt))
}

// TransportRuleCount returns how many mail flow rules the tenant has.
func (x *Tenant) TransportRuleCount() int { return len(x.rules) }

// TransportRulesFor yields copies of the organization's transport rules
// that can apply to a message from sender to rcpt: see
// [Tenant.TransportRulesFor].
func (o *OnPremises) TransportRulesFor(sender, rcpt string) iter.Seq[TransportRule] {
	return ruleCopies(o.rules, o.ruleIx.candidates(&o.dir, sender, rcpt))
}

// TransportRuleCount returns how many transport rules the organization
// has.
func (o *OnPremises) TransportRuleCount() int { return len(o.rules) }

func ruleCopies(rules []TransportRule, idx []int) iter.Seq[TransportRule] {
	return func(yield func(TransportRule) bool) {
		for _, i := range idx {
			if !yield(rules[i].Clone()) {
				return
			}
		}
	}
}
