package exchange

import (
	"reflect"

	"github.com/mailflowsim/mailflow/topology"
)

// Get-HostedConnectionFilterPolicy: IsDefault is read when the import is
// assembled.
var connectionFilterSkip = nameSet("Name IsDefault")

// convertConnectionFilter converts a Get-HostedConnectionFilterPolicy
// object into a [topology.ConnectionFilterPolicy].
func convertConnectionFilter(c *converter) any {
	var p topology.ConnectionFilterPolicy
	c.rest(reflect.ValueOf(&p).Elem())
	return p
}
