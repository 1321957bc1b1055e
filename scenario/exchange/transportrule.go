package exchange

import (
	"reflect"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/internal/fields"
	"github.com/mailflowsim/mailflow/topology"
)

// Get-TransportRule: the description and versions restate the rule;
// Conditions, Exceptions and Actions list the types of the properties
// that set them; the rest is bookkeeping.
var transportRuleSkip = nameSet("Description RuleVersion ImmutableId Size Conditions Exceptions Actions " +
	"ManuallyModified RuleErrorAction RuleSubType UseLegacyRegex DlpPolicy DlpPolicyId IsRuleConfigurationSupported")

// transportRuleDefaults are properties whose value, when it is this
// default, changes nothing (lower-case name → value, compared ignoring
// case), as New-TransportRule documents them.
var transportRuleDefaults = map[string]string{
	"recipientaddresstype":              "Resolved",
	"applyhtmldisclaimerfallbackaction": "Wrap",
}

// convertTransportRule converts a Get-TransportRule object into a
// [topology.TransportRule]: its conditions, exceptions ("ExceptIfFrom")
// and actions are the fields of the same names. A rule with a condition,
// exception or action the simulator does not read is imported disabled,
// with a note: without the condition it would fire on every message
// ("Mail flow rules (transport rules) in Exchange Online": a rule applies
// when all its conditions match).
func convertTransportRule(c *converter) any {
	var tr topology.TransportRule
	unread := c.unreadRuleParts(reflect.ValueOf(&tr).Elem())
	c.rest(reflect.ValueOf(&tr).Elem())
	if len(unread) > 0 {
		tr.State = topology.RuleDisabled
		c.note("State", "rule imported disabled: the simulator does not read "+strings.Join(unread, ", ")+
			"; enabled without them, the rule would apply to messages it does not match", value{kind: stringValue, text: "Disabled"})
	}
	return tr
}

// unreadRuleParts returns, in the export's order, the properties of a
// rule that set a condition, exception or action the simulator cannot
// read: not empty, not at a harmless default, not bookkeeping, and not a
// field of [topology.TransportRule].
func (c *converter) unreadRuleParts(target reflect.Value) []string {
	var unread []string
	for _, p := range c.rec.props {
		key := strings.ToLower(p.name)
		switch {
		case p.v.empty(), p.v.zero(), skipAll[key], c.fam.skip[key]:
			continue
		}
		if def := transportRuleDefaults[key]; def != "" {
			if v, ok := p.v.str(); ok && strings.EqualFold(v, def) {
				continue
			}
		}
		if f, ok := fields.Field(target, p.name); ok && setterOf(f.Type()) != nil {
			continue
		}
		if !slices.Contains(unread, p.name) {
			unread = append(unread, p.name)
		}
	}
	return unread
}
