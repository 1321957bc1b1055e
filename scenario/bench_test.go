package scenario_test

import (
	"bytes"
	"encoding/json"
	"runtime"
	"testing"

	"github.com/mailflowsim/mailflow/internal/benchdata"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/stretchr/testify/require"
)

// largeFile returns a topology file with 10,000 recipients (half in
// Exchange Online, half on-premises) and 1,000 connectors (500 inbound,
// 500 outbound, each for its own partner domain), in its canonical form.
func largeFile(tb testing.TB) []byte {
	tb.Helper()
	return benchdata.JSON(10000, 1000)
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
