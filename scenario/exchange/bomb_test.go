package exchange_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/scenario/exchange"
)

// TestImportReferenceBomb: an export whose objects refer to each other so
// that writing them out in full would double at each level (40 levels:
// 2^40 strings) imports in bounded memory: references are shared, never
// expanded.
func TestImportReferenceBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0">` +
		`<TN RefId="0"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain</T></TN><Props>` +
		`<S N="Name">contoso.com</S><S N="DomainName">contoso.com</S><S N="DomainType">Authoritative</S>` +
		`<Obj N="P1" RefId="1"><LST><S>` + strings.Repeat("a", 60) + `</S><S>` + strings.Repeat("b", 60) + `</S></LST></Obj>`)
	for i := 2; i <= 40; i++ {
		fmt.Fprintf(&b, `<Obj N="P%d" RefId="%d"><LST><Ref RefId="%d" /><Ref RefId="%d" /></LST></Obj>`, i, i, i-1, i-1)
	}
	b.WriteString(`</Props></Obj></Objs>`)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, err := exchange.Import("Get-AcceptedDomain.xml", []byte(b.String()))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Errorf("importing a %d-byte export allocated %d MiB", b.Len(), grew>>20)
	}
}
