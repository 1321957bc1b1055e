package connector_test

import (
	"net/netip"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
)

// TestSelectReceivePorts: a connector listens on every port of its
// bindings, and without bindings on the port of its TransportRole, 2525
// for HubTransport (Microsoft: "Receive connectors").
func TestSelectReceivePorts(t *testing.T) {
	ip := netip.MustParseAddr("192.0.2.1")
	tests := []struct {
		name   string
		conns  []connector.Receive
		port   int
		want   int
		wantOK bool
	}{
		{
			name:  "HubTransportWithoutBindingsIsNotOnPort25",
			conns: []connector.Receive{{Name: "A Hub", Server: "EX01", TransportRole: "HubTransport"}, {Name: "Default", Server: "EX01"}},
			port:  25, want: 1, wantOK: true,
		},
		{
			name:  "HubTransportWithoutBindingsIsOnPort2525",
			conns: []connector.Receive{{Name: "A Hub", Server: "EX01", TransportRole: "HubTransport"}, {Name: "Default", Server: "EX01"}},
			port:  2525, want: 0, wantOK: true,
		},
		{
			name:  "SecondBinding",
			conns: []connector.Receive{{Name: "Relay", Server: "EX01", Bindings: []string{"0.0.0.0:587", "0.0.0.0:25"}, RemoteIPRanges: []string{"192.0.2.0/24"}}, {Name: "Default", Server: "EX01"}},
			port:  25, want: 0, wantOK: true,
		},
		{
			name:  "NoBindingOnPort",
			conns: []connector.Receive{{Name: "Client", Server: "EX01", Bindings: []string{"0.0.0.0:587"}}},
			port:  25, want: -1, wantOK: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := connector.SelectReceive(tt.conns, "EX01", tt.port, ip)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("SelectReceive(%d) = %d, %v, want %d, %v", tt.port, got, ok, tt.want, tt.wantOK)
			}
		})
	}
	hub := connector.Receive{TransportRole: "HubTransport"}
	if got := hub.Port(); got != 2525 {
		t.Errorf("Receive{TransportRole: HubTransport}.Port() = %d, want 2525", got)
	}
}
