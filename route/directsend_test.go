package route_test

import (
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// TestRejectDirectSendExemptByConnector: with RejectDirectSend, a printer
// that sends as the tenant's own domain to its MX host without a matching
// connector is refused ("Introducing more control over Direct Send in
// Exchange Online": 550 5.7.68); a Partner connector matched only by its
// SenderDomains makes the connection not direct send
// (docs/behaviour.md#d27-rejectdirectsend-and-a-connector-matched-by-sender-domain).
func TestRejectDirectSendExemptByConnector(t *testing.T) {
	direct := route.Message{From: scenario.Scanner, To: []string{scenario.Megan}, Origin: topology.MustParseNodeID("device:mfp-direct")}
	byDomain := scenario.DevicesSpec(true)
	byDomain.Tenants[0].InboundConnectors = append(byDomain.Tenants[0].InboundConnectors, connector.Inbound{
		Name: "From contoso.com senders", ConnectorType: connector.Partner, SenderDomains: []string{"contoso.com"}, RequireTls: connector.False})
	for _, tt := range []struct {
		name   string
		spec   topology.Spec
		want   route.Disposition
		status string
	}{
		{"NoConnector_Refused", scenario.DevicesSpec(true), route.Rejected, route.StatusRejectDirectSend},
		{"PartnerConnectorBySenderDomain_Exempt", byDomain, route.Delivered, ""},
		{"RejectDirectSendOff", scenario.DevicesSpec(false), route.Delivered, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), direct)
			if err != nil {
				t.Fatal(err)
			}
			if r := res.Recipients[0]; r.Disposition != tt.want || r.Status.String() != tt.status {
				t.Errorf("got %v %q, want %v %q\n%s", r.Disposition, r.Status, tt.want, tt.status, textAndJSON(t, res))
			}
		})
	}
}
