package scenario_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// largeFile returns a topology file with 10,000 recipients (half in
// Exchange Online, half on-premises) and 1,000 connectors (500 inbound,
// 500 outbound, each for its own partner domain), in its canonical form.
func largeFile(tb testing.TB) []byte {
	tb.Helper()
	tenant := topology.TenantSpec{Name: "contoso", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}}}
	onprem := topology.OnPremisesSpec{Name: "contoso", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
		Servers: []topology.ServerSpec{{Name: "EX01", Fqdn: "ex01.contoso.com", IPAddress: "203.0.113.10",
			Certificate: &topology.Certificate{CertificateDomains: []string{"ex01.contoso.com"}}}}}
	for i := range 10000 {
		addr := fmt.Sprintf("user%05d@contoso.com", i)
		if i%2 == 0 {
			tenant.Recipients = append(tenant.Recipients, topology.Recipient{Name: addr, RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: addr})
		} else {
			tenant.Recipients = append(tenant.Recipients, topology.Recipient{Name: addr, RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: addr})
			onprem.Recipients = append(onprem.Recipients, topology.Recipient{Name: addr, RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: addr, Server: "EX01"})
		}
	}
	for i := range 500 {
		d := fmt.Sprintf("partner%03d.example", i)
		tenant.InboundConnectors = append(tenant.InboundConnectors, connector.Inbound{Name: "From " + d, ConnectorType: connector.Partner,
			SenderDomains: []string{d}, SenderIPAddresses: []string{fmt.Sprintf("198.51.%d.%d/32", 100+i/250, i%250)}, RestrictDomainsToIPAddresses: true})
		tenant.OutboundConnectors = append(tenant.OutboundConnectors, connector.Outbound{Name: "To " + d, ConnectorType: connector.Partner,
			RecipientDomains: []string{d}, UseMXRecord: connector.True, TlsSettings: connector.TlsEncryptionOnly})
	}
	f := scenario.File{Description: "10,000 recipients, 1,000 connectors", Spec: topology.Spec{
		Tenants: []topology.TenantSpec{tenant}, OnPremises: []topology.OnPremisesSpec{onprem},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")}},
		Hybrid: []topology.HybridConfiguration{{Tenant: "contoso", OnPremises: "contoso", Domains: []string{"contoso.com"}, OnPremisesSmartHost: "ex01.contoso.com", TlsCertificateName: "ex01.contoso.com",
			SendingTransportServers: []string{"EX01"}, ReceivingTransportServers: []string{"EX01"}}},
	}, Messages: []scenario.FileMessage{{Name: "Internet to two users", Message: route.Message{From: "a@fabrikam.example", To: []string{"user00000@contoso.com", "user00001@contoso.com"}}}}}
	var b bytes.Buffer
	require.NoError(tb, f.WriteJSON(&b))
	return b.Bytes()
}

// BenchmarkLoadLarge loads (decodes, builds, checks the messages of) a
// topology file of 10,000 recipients and 1,000 connectors, after a floor
// measured in the same run: decoding the same JSON into any. Load reports
// its cost in floors/op.
func BenchmarkLoadLarge(b *testing.B) {
	data := largeFile(b)
	var floor float64
	b.Run("floor", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				b.Fatal(err)
			}
		}
		floor = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("Load", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := scenario.Load(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
		if floor > 0 {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/floor, "floors/op")
		}
		b.ReportMetric(heapAfterLoad(b, data)/(1<<20), "heap-MiB")
	})
}

// heapAfterLoad returns the bytes of heap that loading data keeps: the
// File and the Topology, once the garbage is collected.
func heapAfterLoad(b *testing.B, data []byte) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f, topo, err := scenario.Load(bytes.NewReader(data))
	require.NoError(b, err)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(f)
	runtime.KeepAlive(topo)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}

// BenchmarkWriteJSONLarge writes the same file.
func BenchmarkWriteJSONLarge(b *testing.B) {
	f, _, err := scenario.Load(bytes.NewReader(largeFile(b)))
	require.NoError(b, err)
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := f.WriteJSON(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLargeFileLoads(t *testing.T) {
	f, topo, err := scenario.Load(bytes.NewReader(largeFile(t)))
	require.NoError(t, err)
	require.Len(t, f.Spec.Tenants[0].Recipients, 10000)
	require.Len(t, f.Spec.Tenants[0].InboundConnectors, 500)
	runs, err := f.Run("large", topo)
	require.NoError(t, err)
	res := runs[0].Result
	require.Len(t, res.Recipients, 2)
	require.Equal(t, route.Delivered, res.Recipients[0].Disposition)
	require.Equal(t, route.Delivered, res.Recipients[1].Disposition)
}
