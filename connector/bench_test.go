package connector_test

import (
	"fmt"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
)

// benchSizes are the numbers of connectors the benchmarks index: a
// typical tenant and a very large one. Lookups must cost the same for both.
var benchSizes = []int{10, 10000}

// benchLookups are the recipient domains the lookup benchmarks use: an
// exact RecipientDomains entry, a four-label subdomain that only a wildcard
// covers, and a domain that neither covers, which falls through every label
// to "*".
var benchLookups = []struct {
	name, domain string
}{
	{name: "Exact", domain: "dom2.example.com"},
	{name: "Wildcard", domain: "mail.region0.contoso.com"},
	{name: "Unmatched", domain: "mx.mail.unknown.org"},
}

// outboundConns returns n outbound connectors: each has its own exact
// domain, every tenth also a wildcard, and the last one is "*".
func outboundConns(n int) []connector.Outbound {
	conns := make([]connector.Outbound, n)
	for i := range conns {
		c := connector.Outbound{
			Name:             fmt.Sprintf("Connector %05d", i),
			ConnectorType:    connector.Partner,
			RecipientDomains: []string{fmt.Sprintf("dom%d.example.com", i)},
			UseMXRecord:      connector.True,
		}
		if i%10 == 0 {
			c.RecipientDomains = append(c.RecipientDomains, fmt.Sprintf("*.region%d.contoso.com", i/10))
		}
		conns[i] = c
	}
	conns[n-1].RecipientDomains = []string{"*"}
	return conns
}

// sendConns returns n Send connectors: pairs share an exact domain and a
// cost but not their source server, so that the tie-break runs; every tenth also has a wildcard
// space, and the last one is "*" with cost 100.
func sendConns(n int) []connector.Send {
	conns := make([]connector.Send, n)
	for i := range conns {
		c := connector.Send{
			Name:                   fmt.Sprintf("Send %05d", i),
			AddressSpaces:          []string{fmt.Sprintf("SMTP:dom%d.example.com;%d", i/2, 1+i/2%3)},
			SourceTransportServers: []string{fmt.Sprintf("EX%02d", i%4)},
		}
		if i%10 == 0 {
			c.AddressSpaces = append(c.AddressSpaces, fmt.Sprintf("SMTP:*.region%d.contoso.com;2", i/10))
		}
		conns[i] = c
	}
	conns[n-1].AddressSpaces = []string{"SMTP:*;100"}
	return conns
}

var (
	sinkSelection     connector.Selection
	sinkSendSelection connector.SendSelection
	sinkOK            bool
	sinkTable         *connector.OutboundTable
)

func BenchmarkOutboundTable_Lookup(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			table := connector.NewOutboundTable(outboundConns(n), connector.MostSpecific)
			for _, l := range benchLookups {
				b.Run(l.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						sinkSelection, sinkOK = table.Lookup(l.domain, false)
					}
				})
			}
		})
	}
}

func BenchmarkSendTable_Lookup(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			table := connector.NewSendTable(sendConns(n))
			for _, l := range benchLookups {
				b.Run(l.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						sinkSendSelection, sinkOK = table.Lookup(l.domain, false, "EX01")
					}
				})
			}
		})
	}
}

func BenchmarkNewOutboundTable(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			conns := outboundConns(n)
			b.ReportAllocs()
			for b.Loop() {
				sinkTable = connector.NewOutboundTable(conns, connector.MostSpecific)
			}
		})
	}
}

// TestLookupAllocs requires the lookups to allocate nothing, however many
// connectors the tables hold, and checks that the benchmarks' lookups find
// what they are meant to find.
func TestLookupAllocs(t *testing.T) {
	const n = 10000
	outConns, sendConns := outboundConns(n), sendConns(n)
	out := connector.NewOutboundTable(outConns, connector.MostSpecific)
	send := connector.NewSendTable(sendConns)
	tests := []struct {
		name, domain string
		wantOut      string // pattern the outbound table matches
		wantSend     string // address space the Send table matches
		wantSendName string
		wantLocal    bool // EX01 is a source server of the chosen Send connector
	}{
		{name: "Exact", domain: "dom2.example.com", wantOut: "dom2.example.com", wantSend: "SMTP:dom2.example.com;3", wantSendName: "Send 00005", wantLocal: true},
		{name: "Wildcard", domain: "mail.region0.contoso.com", wantOut: "*.region0.contoso.com", wantSend: "SMTP:*.region0.contoso.com;2", wantSendName: "Send 00000"},
		{name: "Unmatched", domain: "mx.mail.unknown.org", wantOut: "*", wantSend: "SMTP:*;100", wantSendName: "Send 09999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, ok := out.Lookup(tt.domain, false)
			if !ok || sel.Pattern.String() != tt.wantOut {
				t.Errorf("OutboundTable.Lookup(%q) = %v, %v, want pattern %s", tt.domain, sel.Pattern, ok, tt.wantOut)
			}
			ssel, ok := send.Lookup(tt.domain, false, "EX01")
			if !ok || ssel.Text != tt.wantSend || sendConns[ssel.Index].Name != tt.wantSendName || ssel.Local != tt.wantLocal {
				t.Errorf("SendTable.Lookup(%q) = %s %q local=%v, %v, want %s %q local=%v",
					tt.domain, ssel.Text, sendConns[ssel.Index].Name, ssel.Local, ok, tt.wantSend, tt.wantSendName, tt.wantLocal)
			}
			if a := testing.AllocsPerRun(100, func() { sinkSelection, sinkOK = out.Lookup(tt.domain, false) }); a != 0 {
				t.Errorf("OutboundTable.Lookup(%q) allocates %v times per call, want 0", tt.domain, a)
			}
			if a := testing.AllocsPerRun(100, func() { sinkSendSelection, sinkOK = send.Lookup(tt.domain, false, "EX01") }); a != 0 {
				t.Errorf("SendTable.Lookup(%q) allocates %v times per call, want 0", tt.domain, a)
			}
		})
	}
}

// BenchmarkInboundSetPartner attributes a partner's connection among 10
// and 10,000 Partner connectors, each for its own sender domain: the cost
// should not grow with the number of connectors.
func BenchmarkInboundSetPartner(b *testing.B) {
	for _, n := range []int{10, 10000} {
		cs := make([]connector.Inbound, n)
		for i := range cs {
			cs[i] = connector.Inbound{Name: fmt.Sprintf("partner %05d", i), ConnectorType: connector.Partner,
				SenderDomains: []string{fmt.Sprintf("partner%05d.example", i)}, RequireTls: connector.False}
		}
		s := connector.CompileInbound(cs)
		conn := connector.Connection{SenderDomain: fmt.Sprintf("partner%05d.example", n/2)}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !s.Partner(conn, "contoso.com").Found() {
					b.Fatal("no connector")
				}
			}
		})
	}
}
