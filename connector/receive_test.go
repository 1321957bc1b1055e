package connector_test

import (
	"fmt"
	"math/rand/v2"
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

// TestReceiveTableSameAsScan: the indexed selection chooses what the scan
// of every connector chooses ("Receive connectors": the smallest range
// containing the client, ties to the lowest name), for random connectors
// of two servers mixing single addresses, ranges, CIDRs, no ranges,
// disabled connectors and other ports, and for random clients.
func TestReceiveTableSameAsScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	addr := func() string { return fmt.Sprintf("10.0.%d.%d", rng.IntN(4), rng.IntN(8)) }
	for round := range 200 {
		var conns []connector.Receive
		for i := range rng.IntN(30) {
			c := connector.Receive{Name: fmt.Sprintf("c%02d", i), Server: []string{"EX01", "ex02"}[rng.IntN(2)],
				Bindings: []string{[]string{"0.0.0.0:25", "0.0.0.0:587"}[rng.IntN(2)]}}
			for range rng.IntN(3) {
				switch rng.IntN(3) {
				case 0:
					c.RemoteIPRanges = append(c.RemoteIPRanges, addr())
				case 1:
					c.RemoteIPRanges = append(c.RemoteIPRanges, fmt.Sprintf("10.0.%d.0/24", rng.IntN(4)))
				default:
					c.RemoteIPRanges = append(c.RemoteIPRanges, "10.0.0.0-10.0.1.255")
				}
			}
			if rng.IntN(10) == 0 {
				c.Enabled = connector.False
			}
			conns = append(conns, c)
		}
		table := connector.NewReceiveTable(conns)
		for range 20 {
			server := []string{"EX01", "EX02", "EX03"}[rng.IntN(3)]
			port := []int{25, 587}[rng.IntN(2)]
			var ip netip.Addr
			if rng.IntN(10) > 0 {
				ip = netip.MustParseAddr(addr())
			}
			wi, wok := connector.SelectReceive(conns, server, port, ip)
			gi, gok := table.Select(server, port, ip)
			if wi != gi || wok != gok {
				t.Fatalf("round %d: Select(%s, %d, %v) = %d, %v; the scan gives %d, %v\n%+v", round, server, port, ip, gi, gok, wi, wok, conns)
			}
		}
	}
}
