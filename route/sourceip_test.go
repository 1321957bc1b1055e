package route_test

import (
	"net/netip"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// TestSourceIPAtEOP: a message that enters at a tenant's EOP node comes
// from the Internet host Message.SourceIP names, and every control that
// reads the connecting address sees it: the connection filter's IP Block
// List ("Configure connection filtering") and a partner connector's
// RestrictDomainsToIPAddresses ("Set up connectors for secure mail flow
// with a partner organization"). Each is shown met and not met, entering
// at EOP and entering from the Internet node.
func TestSourceIPAtEOP(t *testing.T) {
	blocked := scenario.SafeListSpec(false)
	blocked.Tenants[0].HostedConnectionFilterPolicy.IPBlockList = []string{"203.0.113.99"}
	partner := scenario.PartnerSpec(scenario.PartnerSettings{RestrictDomainsTo: "IPAddresses", ContosoBank: "Compliant"})
	eop := topology.MustParseNodeID("eop:contoso")
	tests := []struct {
		name   string
		spec   topology.Spec
		from   string
		origin topology.NodeID
		ip     string
		want   route.Disposition
		status string
	}{
		{"BlockListAtEOP", blocked, "news@tailspintoys.com", eop, "203.0.113.99", route.Rejected, route.StatusBlockList},
		{"BlockListAtEOP_OtherIP", blocked, "news@tailspintoys.com", eop, "203.0.113.98", route.Delivered, ""},
		{"BlockListFromInternet", blocked, "news@tailspintoys.com", topology.NodeID{}, "203.0.113.99", route.Rejected, route.StatusBlockList},
		{"PartnerIPRestrictionAtEOP_WrongIP", partner, scenario.Sam, eop, "192.0.2.7", route.Rejected, route.StatusPartnerRestriction},
		{"PartnerIPRestrictionAtEOP_PartnerIP", partner, scenario.Sam, eop, "198.51.100.40", route.Delivered, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			topo, err := topology.Build(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			m := route.Message{From: tt.from, To: []string{scenario.Megan}, Origin: tt.origin, SourceIP: netip.MustParseAddr(tt.ip)}
			res, err := route.Trace(topo, m)
			if err != nil {
				t.Fatal(err)
			}
			r := res.Recipients[0]
			if r.Disposition != tt.want || r.Status.String() != tt.status {
				t.Errorf("%s from %s at %v: got %v %q, want %v %q\n%s", tt.from, tt.ip, tt.origin, r.Disposition, r.Status, tt.want, tt.status, textAndJSON(t, res))
			}
		})
	}
}
