package exchange

import (
	"reflect"
	"strings"

	"github.com/mailflowsim/mailflow/topology"
)

// Get-HybridConfiguration: ClientAccessServers serve free/busy and the
// like, not mail.
var (
	hybridConfigurationSkip       = nameSet("Name ClientAccessServers ServiceInstance")
	hybridConfigurationUnmodelled = nameSet("ExternalIPAddresses")
)

// convertHybridConfiguration converts a Get-HybridConfiguration object
// into a [topology.HybridConfiguration]. Its Tenant and OnPremises are
// set when the import is assembled.
func convertHybridConfiguration(c *converter) any {
	var h topology.HybridConfiguration
	h.Domains = c.list("Domains", hybridDomain, "a domain")
	h.Features = c.list("Features", nonEmpty, "a feature")
	c.take("Tenant")
	c.take("OnPremises")
	c.rest(reflect.ValueOf(&h).Elem())
	return h
}

// hybridDomain reads a Domains entry: "contoso.com", or "autod:contoso.com"
// for the Autodiscover domain, which is a hybrid domain too.
func hybridDomain(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 6 && strings.EqualFold(s[:6], "autod:") {
		s = s[6:]
	}
	return s, s != ""
}
