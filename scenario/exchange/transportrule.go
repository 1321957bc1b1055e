package exchange

import (
	"reflect"

	"github.com/mailflowsim/mailflow/topology"
)

// Get-TransportRule: the description and versions restate the rule.
var transportRuleSkip = nameSet("Description RuleVersion ImmutableId Size")

// convertTransportRule converts a Get-TransportRule object into a
// [topology.TransportRule]: its conditions, exceptions ("ExceptIfFrom")
// and actions are the fields of the same names.
func convertTransportRule(c *converter) any {
	var tr topology.TransportRule
	c.rest(reflect.ValueOf(&tr).Elem())
	return tr
}
