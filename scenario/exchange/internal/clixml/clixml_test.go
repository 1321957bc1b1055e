package clixml_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/scenario/exchange/internal/clixml"
	"github.com/stretchr/testify/require"
)

const head = `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">`

func decode(t *testing.T, doc string) []clixml.Value {
	t.Helper()
	vs, err := clixml.Decode(strings.NewReader(doc))
	require.NoError(t, err)
	return vs
}

func TestDecodeScalars(t *testing.T) {
	vs := decode(t, head+`
  <S>a_x000D__x000A_b</S>
  <B>true</B>
  <I32>-25</I32>
  <I64>9000000000</I64>
  <U32>7</U32>
  <By>255</By>
  <Db>0.5</Db>
  <DT>2022-03-23T18:00:30.1234567+01:00</DT>
  <TS>PT10M</TS>
  <G>0292c782-9804-4d8b-ae0e-e1c7ab90852b</G>
  <C>65</C>
  <BA>AAE=</BA>
  <Nil />
  <Version>15.2.1011.0</Version>
  <URI>https://example.com/</URI>
  <S>_xD83D__xDE00_ and _x005F_x</S>
</Objs>`)
	want := []clixml.Value{
		{Kind: clixml.String, Tag: "S", Str: "a\r\nb"},
		{Kind: clixml.Bool, Tag: "B", Bool: true},
		{Kind: clixml.Int, Tag: "I32", Int: -25},
		{Kind: clixml.Int, Tag: "I64", Int: 9000000000},
		{Kind: clixml.Uint, Tag: "U32", Uint: 7},
		{Kind: clixml.Uint, Tag: "By", Uint: 255},
		{Kind: clixml.Float, Tag: "Db", Float: 0.5, Str: "0.5"},
		{Kind: clixml.DateTime, Tag: "DT", Str: "2022-03-23T18:00:30.1234567+01:00",
			Time: time.Date(2022, 3, 23, 17, 0, 30, 123456700, time.UTC)},
		{Kind: clixml.Duration, Tag: "TS", Str: "PT10M", Duration: 10 * time.Minute},
		{Kind: clixml.GUID, Tag: "G", Str: "0292c782-9804-4d8b-ae0e-e1c7ab90852b"},
		{Kind: clixml.Char, Tag: "C", Uint: 65, Str: "A"},
		{Kind: clixml.Bytes, Tag: "BA", Bytes: []byte{0, 1}},
		{Kind: clixml.Nil, Tag: "Nil"},
		{Kind: clixml.Version, Tag: "Version", Str: "15.2.1011.0"},
		{Kind: clixml.URI, Tag: "URI", Str: "https://example.com/"},
		{Kind: clixml.String, Tag: "S", Str: "😀 and _x"},
	}
	opt := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	if diff := cmp.Diff(want, vs, testopts.Cmp, opt); diff != "" {
		t.Errorf("Decode mismatch (-want +got):\n%s", diff)
	}
}

// An enum, a multi-valued property, type name references and a Ref.
func TestDecodeObjects(t *testing.T) {
	vs := decode(t, head+`
  <Obj RefId="0">
    <TN RefId="0"><T>Deserialized.My.Connector</T><T>System.Object</T></TN>
    <ToString>Mail to O365</ToString>
    <Props>
      <Obj N="TlsAuthLevel" RefId="1">
        <TN RefId="1"><T>Microsoft.Exchange.Data.TlsAuthLevel</T><T>System.Enum</T></TN>
        <ToString>CertificateValidation</ToString>
        <I32>2</I32>
      </Obj>
      <Obj N="AddressSpaces" RefId="2">
        <TN RefId="2"><T>MultiValuedProperty</T></TN>
        <LST><S>SMTP:*;1</S><Ref RefId="1" /></LST>
      </Obj>
      <Nil N="TlsDomain" />
    </Props>
    <MS><S N="Extra_x0020_Name">x</S></MS>
  </Obj>
  <Obj RefId="3">
    <TNRef RefId="0" />
    <DCT>
      <En><S N="Key">a</S><I32 N="Value">1</I32></En>
      <En><S N="Key">b</S><Nil N="Value" /></En>
    </DCT>
  </Obj>
  <Ref RefId="1" />
</Objs>`)
	require.Len(t, vs, 3)
	o := vs[0].Obj
	require.NotNil(t, o)
	enum, ok := o.Get("tlsauthlevel") // case-insensitive
	require.True(t, ok)
	if text, _ := enum.Text(); text != "CertificateValidation" || enum.Obj.Value == nil || enum.Obj.Value.Int != 2 {
		t.Errorf("enum = %q %+v, want CertificateValidation 2", text, enum.Obj.Value)
	}
	if !enum.Obj.HasType("Microsoft.Exchange.Data.TlsAuthLevel") || !o.HasType("My.Connector") {
		t.Errorf("HasType is false for a listed type name")
	}
	spaces, _ := o.Get("AddressSpaces")
	if got := spaces.Obj.Items; len(got) != 2 || got[0].Str != "SMTP:*;1" || got[1].Obj != enum.Obj {
		t.Errorf("AddressSpaces items = %+v, want the string and the shared enum object", got)
	}
	if vs[2].Obj != enum.Obj {
		t.Errorf("top-level <Ref RefId=1> does not resolve to the enum object")
	}
	if extra, ok := o.Get("Extra Name"); !ok || extra.Str != "x" || !o.Props[len(o.Props)-1].Extended {
		t.Errorf("member set property = %+v, %v", extra, ok)
	}
	if v, ok := o.Get("TlsDomain"); !ok || !v.IsNil() {
		t.Errorf("TlsDomain = %+v, want Nil", v)
	}
	if _, ok := o.Get("Missing"); ok {
		t.Errorf("Get(Missing) found something")
	}
	d := vs[1].Obj
	if diff := cmp.Diff([]string{"Deserialized.My.Connector", "System.Object"}, d.TypeNames); diff != "" {
		t.Errorf("TNRef type names (-want +got):\n%s", diff)
	}
	want := []clixml.Entry{
		{Key: clixml.Value{Kind: clixml.String, Tag: "S", Str: "a"}, Value: clixml.Value{Kind: clixml.Int, Tag: "I32", Int: 1}},
		{Key: clixml.Value{Kind: clixml.String, Tag: "S", Str: "b"}, Value: clixml.Value{Kind: clixml.Nil, Tag: "Nil"}},
	}
	if diff := cmp.Diff(want, d.Entries, testopts.Cmp); diff != "" || d.Collection != clixml.Dictionary {
		t.Errorf("dictionary entries (-want +got):\n%s", diff)
	}
}

func TestDecodeEncodings(t *testing.T) {
	doc := head + `<S>é</S></Objs>`
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range doc {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	for name, data := range map[string][]byte{
		"UTF8BOM":     append([]byte{0xEF, 0xBB, 0xBF}, doc...),
		"UTF16LE":     utf16le,
		"NoNamespace": []byte(`<?xml version="1.0" encoding="utf-16"?><Objs><S>é</S></Objs>`),
	} {
		t.Run(name, func(t *testing.T) {
			vs, err := clixml.Decode(strings.NewReader(string(data)))
			require.NoError(t, err)
			if len(vs) != 1 || vs[0].Str != "é" {
				t.Errorf("Decode = %+v, want one string é", vs)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"NotXML", `hello`, "line 1"},
		{"NotObjs", `<Foo/>`, "the document element is <Foo>, not <Objs>"},
		{"Truncated", head + `<Obj RefId="0"><Props>`, "unexpected EOF"},
		{"BadInt", head + `<I32>x</I32></Objs>`, `<I32> "x" is not a 32-bit integer`},
		{"IntOverflow", head + `<I32>3000000000</I32></Objs>`, "32-bit"},
		{"BadBool", head + `<B>yes</B></Objs>`, "Boolean"},
		{"UnknownRef", head + `<Ref RefId="9" /></Objs>`, `<Ref RefId="9"> refers to no earlier <Obj>`},
		{"UnknownTNRef", head + `<Obj RefId="0"><TNRef RefId="4" /></Obj></Objs>`, `<TNRef RefId="4"> refers to no earlier <TN>`},
		{"Cycle", head + `<Obj RefId="0"><Props><Ref N="Self" RefId="0" /></Props></Obj></Objs>`, "cycle"},
		{"UnknownElement", head + `<PR>x</PR></Objs>`, "unsupported element <PR>"},
		{"TwoValues", head + `<Obj><I32>1</I32><LST/></Obj></Objs>`, "more than one value"},
		{"TextInObj", head + `<Obj>text</Obj></Objs>`, `unexpected text "text" in <Obj>`},
		{"NestedInScalar", head + `<S><S/></S></Objs>`, "unexpected element <S> in <S>"},
		{"Version", `<Objs Version="2.0">`, `unsupported CLIXML version "2.0"`},
		{"AfterEnd", head + `</Objs><S/>`, "after </Objs>"},
		{"BadEntry", head + `<Obj><DCT><En><S>a</S></En></DCT></Obj></Objs>`, "<En> needs a key and a value"},
		{"OtherNamespace", `<Objs xmlns="urn:x"/>`, "namespace"},
		{"Deep", head + strings.Repeat(`<Obj><LST>`, clixml.MaxDepth) + `</Objs>`, "nested deeper than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := clixml.Decode(strings.NewReader(tt.doc))
			var se *clixml.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Decode error = %v, want a *SyntaxError", err)
			}
			if !strings.Contains(err.Error(), tt.want) || se.Line < 1 {
				t.Errorf("Decode error = %q, want it to contain %q and a line", err, tt.want)
			}
		})
	}
}

// exportsDir holds the real exports, in package exchange's testdata.
const exportsDir = "../../testdata/exchange-server"

func realExports(t testing.TB) map[string][]byte {
	files, _ := filepath.Glob(filepath.Join(exportsDir, "*.xml"))
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		out[filepath.Base(f)] = data
	}
	return out
}

func TestDecodeRealExports(t *testing.T) {
	files := realExports(t)
	require.Len(t, files, 5, "real exports in %s", exportsDir)
	counts := map[string]int{
		"GetAcceptedDomain.xml": 3, "GetHybridConfiguration.xml": 1, "GetReceiveConnector.xml": 5,
		"GetSendConnector.xml": 1, "GetSendConnectorConfiguredToRelayToM365.xml": 1,
	}
	for name, data := range files {
		vs, err := clixml.Decode(strings.NewReader(string(data)))
		require.NoError(t, err, name)
		if len(vs) != counts[name] {
			t.Errorf("%s: %d objects, want %d", name, len(vs), counts[name])
		}
		for _, v := range vs {
			if v.Kind != clixml.Obj || len(v.Obj.TypeNames) == 0 {
				t.Errorf("%s: top-level value %v has no type names", name, v.Kind)
			}
		}
	}
	vs, err := clixml.Decode(strings.NewReader(string(files["GetReceiveConnector.xml"])))
	require.NoError(t, err)
	pg, _ := vs[2].Obj.Get("PermissionGroups")
	if text, _ := pg.Text(); text != "AnonymousUsers, ExchangeServers, ExchangeLegacyServers" || pg.Obj.Value.Int != 13 {
		t.Errorf("Default Frontend PermissionGroups = %q %d", text, pg.Obj.Value.Int)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		head + `<S>a_x000A_</S><Obj RefId="0"><TN RefId="0"><T>X</T></TN><ToString>t</ToString><I32>1</I32></Obj><Ref RefId="0"/></Objs>`,
		head + `<Obj RefId="0"><TNRef RefId="0"/><Props><LST N="x"/><Obj N="l"><LST><S>a</S></LST></Obj></Props><MS><DT N="d">2022-01-01T00:00:00Z</DT></MS></Obj></Objs>`,
		head + `<Obj><DCT><En><S N="Key">k</S><TS N="Value">P1DT2H3M4.5S</TS></En></DCT></Obj></Objs>`,
		`<Objs/>`,
	} {
		f.Add([]byte(s))
	}
	for _, data := range realExports(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		vs, err := clixml.Decode(strings.NewReader(string(data)))
		if err != nil {
			var se *clixml.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Decode error %v (%T) is not a *SyntaxError", err, err)
			}
			return
		}
		// The tree has no cycles: walking it ends.
		seen := map[*clixml.Object]bool{}
		var walk func(v clixml.Value)
		walk = func(v clixml.Value) {
			if v.Kind != clixml.Obj || seen[v.Obj] {
				return
			}
			seen[v.Obj] = true
			for _, p := range v.Obj.Props {
				walk(p.Value)
			}
			for _, i := range v.Obj.Items {
				walk(i)
			}
			for _, e := range v.Obj.Entries {
				walk(e.Key)
				walk(e.Value)
			}
			if v.Obj.Value != nil {
				walk(*v.Obj.Value)
			}
		}
		for _, v := range vs {
			walk(v)
		}
	})
}

func ExampleDecode() {
	doc := `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain</T></TN>
    <ToString>contoso.com</ToString>
    <Props>
      <S N="DomainName">contoso.com</S>
      <Obj N="DomainType" RefId="1"><ToString>Authoritative</ToString><I32>0</I32></Obj>
      <B N="Default">true</B>
      <Nil N="Description" />
    </Props>
  </Obj>
</Objs>`
	vs, err := clixml.Decode(strings.NewReader(doc))
	if err != nil {
		panic(err)
	}
	o := vs[0].Obj
	domainType, _ := o.Get("DomainType")
	def, _ := o.Get("Default")
	desc, _ := o.Get("Description")
	fmt.Println(o.HasType("Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain"), o.ToString)
	name, _ := domainType.Text()
	fmt.Println(name, def.Bool, desc.IsNil())
	// Output:
	// true contoso.com
	// Authoritative true true
}

// TestDecodePastedTogether: two exports pasted into one file decode as
// Import-Clixml reads them: the second document's objects follow the
// first's, and a RefId given again names the new object from there on.
func TestDecodePastedTogether(t *testing.T) {
	doc := head + `<Obj RefId="0"><TN RefId="0"><T>A</T></TN><ToString>first</ToString></Obj></Objs>
<?xml version="1.0" encoding="utf-8"?>
` + head + `<Obj RefId="0"><TN RefId="0"><T>B</T></TN><ToString>second</ToString></Obj><Ref RefId="0" /></Objs>`
	vs := decode(t, doc)
	require.Len(t, vs, 3)
	var names []string
	for _, v := range vs {
		require.NotNil(t, v.Obj, "%+v", v)
		names = append(names, v.Obj.ToString+":"+v.Obj.TypeNames[0])
	}
	require.Equal(t, []string{"first:A", "second:B", "second:B"}, names)
}
