package scenario_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// TestLoadRoundTrip writes every built-in scenario's specs as topology
// files and loads them back: the specs and their traces are the same.
func TestLoadRoundTrip(t *testing.T) {
	specs := map[string]topology.Spec{
		"contoso":             scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP, CentralizedTransport: true}),
		"connector-selection": scenario.ConnectorSelectionSpec(1),
		"eop-standalone":      scenario.EOPStandaloneSpec(true),
		"partner-tls":         scenario.PartnerSpec(scenario.PartnerSettings{RestrictDomainsTo: "IPAddresses", ContosoBank: "WrongIP"}),
		"conditional-routing": scenario.ConditionalRoutingSpec("Audit"),
		"safe-list":           scenario.SafeListSpec(true),
		"intermediate-device": scenario.IntermediateDeviceSpec("Appliance"),
		"devices":             scenario.DevicesSpec(true),
	}
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			six := 6
			in := scenario.File{Spec: spec, Messages: []scenario.FileMessage{{Name: "m",
				Message: route.Message{From: "someone@fabrikam.com", To: []string{"a@contoso.com"}, SCL: &six, SourceIP: netip.MustParseAddr("192.0.2.1"), Headers: []route.Header{{Name: "X-A", Value: "b"}}},
				Expect: &scenario.Expect{Copies: 1, NoLoop: true, Splits: []scenario.SplitExpect{{Node: "eop:contoso", Copies: 2}},
					Recipients: map[string]scenario.RecipientExpect{"a@contoso.com": {Disposition: route.Rejected, Status: "550", Hops: []string{"internet"},
						Path: []string{"EOP"}, Avoid: []string{"x"}, Connector: "c", InboundConnector: "i", Rule: "r"}}}}}}
			data, err := json.Marshal(in)
			require.NoError(t, err)
			got, topo, err := scenario.Load(strings.NewReader(string(data)))
			require.NoError(t, err)
			require.NotNil(t, topo)
			if diff := cmp.Diff(in, *got, testopts.Cmp); diff != "" {
				t.Errorf("Load(json.Marshal(file)) mismatch (-want +got):\n%s", diff)
			}
			var un scenario.File
			require.NoError(t, json.Unmarshal(data, &un))
			if diff := cmp.Diff(in, un, testopts.Cmp); diff != "" {
				t.Errorf("json.Unmarshal(json.Marshal(file)) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnmarshalDuplicateKeys: json.Unmarshal into a File refuses a key
// given twice, as Load does.
func TestUnmarshalDuplicateKeys(t *testing.T) {
	var f scenario.File
	err := json.Unmarshal([]byte(`{"Description": "a", "description": "b"}`), &f)
	var lerr *scenario.LoadError
	require.ErrorAs(t, err, &lerr)
	want := []scenario.Problem{{Path: "description", Message: "duplicate key: Description is the same key (keys match ignoring case)"}}
	if diff := cmp.Diff(want, lerr.Problems); diff != "" {
		t.Errorf("json.Unmarshal problems mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string
	}{
		{"NotJSON", `{"Tenants": [}`, []string{`not JSON: line 1, column 14: invalid character '}' looking for beginning of value`}},
		{"NotJSONSecondLine", "{\n  \"Tenants\": [,]\n}", []string{`not JSON: line 2, column 15: invalid character ',' looking for beginning of value`}},
		{"Truncated", "{\n  \"Tenants\": [", []string{`not JSON: line 2, column 15: the file ends too early`}},
		{"UnknownFieldDidYouMean", `{"Tenants": [{"Name": "contoso", "InboundConnectors": [{"Name": "x", "ConnectorType": "OnPremises", "SenderIPAdresses": ["203.0.113.1"]}]}]}`,
			[]string{`Tenants[0].InboundConnectors[0].SenderIPAdresses: unknown field (did you mean SenderIPAddresses?)`}},
		{"SourceIP", `{"Messages": [{"From": "a@fabrikam.com", "To": "b@contoso.com", "SourceIP": "192.0.2.300"}]}`,
			[]string{`Messages[0].SourceIP: "192.0.2.300": ParseAddr("192.0.2.300"): IPv4 field has value >255`}},
		{"DecodeAndBuildProblemsAtOnce", `{"Tenants": [{"Name": "fabrikam", "AcceptedDomains": [{"DomainName": "fabrikam.com", "DomainType": "Authoritive"}],
			"InboundConnectors": [{"Name": "From partner", "ConnectorType": "Partner", "SenderIPAddresses": ["10.0.0/24"]}]}],
			"Messages": [{"Name": "m", "From": "a@fabrikam.com", "Too": ["b@fabrikam.com"]}]}`,
			[]string{`Messages[0].Too: unknown field (did you mean To?)`,
				`Tenants[0].AcceptedDomains[0]: DomainType "Authoritive" is not Authoritative, InternalRelay or ExternalRelay`,
				`Tenants[0].InboundConnectors[0].SenderIPAddresses[0]: "10.0.0/24" is not an IPv4 address or CIDR`}},
		{"UnknownFieldNoSuggestion", `{"Galaxies": []}`, []string{`Galaxies: unknown field`}},
		{"WrongTypes", `{"MXRecords": [{"Domain": "contoso.com", "Preference": "ten", "NameExchange": 5}], "Tenants": [{"Name": "contoso", "HopLimit": true}]}`,
			[]string{`MXRecords[0].NameExchange: 5 is not a string`, `MXRecords[0].Preference: "ten" is not a whole number`, `Tenants[0].HopLimit: true is not a whole number`}},
		{"OptBool", `{"Tenants": [{"Name": "contoso", "OutboundConnectors": [{"Name": "x", "ConnectorType": "Partner", "UseMXRecord": "yes"}]}]}`,
			[]string{`Tenants[0].OutboundConnectors[0].UseMXRecord: "yes" is not true, false or null`}},
		// The example: Build's problem at the JSON path of the entry.
		{"BuildProblemAtJSONPath", `{"Tenants": [{"Name": "contoso", "InboundConnectors": [
			{"Name": "a", "ConnectorType": "Partner", "SenderDomains": "*"},
			{"Name": "b", "ConnectorType": "Partner", "SenderDomains": "*"},
			{"Name": "From app", "ConnectorType": "OnPremises", "SenderIPAddresses": ["10.0.0/24"]}]}]}`,
			[]string{`Tenants[0].InboundConnectors[2].SenderIPAddresses[0]: "10.0.0/24" is not an IPv4 address or CIDR`}},
		{"BuildProblemsSortedByPath", `{"MXRecords": [{"Domain": "contoso.com", "NameExchange": "nowhere.example"}],
			"Tenants": [{"Name": "contoso", "Recipients": [{"PrimarySmtpAddress": "a@fabrikam.com", "RecipientTypeDetails": "UserMailbox"}]}]}`,
			[]string{`MXRecords[0].NameExchange: MX to nowhere: no node has the host name nowhere.example`,
				`Tenants[0].Recipients[0].PrimarySmtpAddress: fabrikam.com is not an accepted domain of the organization`}},
		{"ExpectCounts", `{"Tenants": [{"Name": "contoso"}], "Messages": [{"From": "a@fabrikam.com", "To": "b@contoso.com",
			"Expect": {"Copies": -1, "Splits": [{"Node": "eop:contoso", "Copies": 0}, {"Hop": -2, "Copies": 2}]}}]}`,
			[]string{`Messages[0].Expect.Copies: -1 is negative`,
				`Messages[0].Expect.Splits[0].Copies: 0 is not 1 or more: the copy leaves the node as itself and the copies split from it`,
				`Messages[0].Expect.Splits[1].Hop: -2 is negative`,
				`Messages[0].Expect.Splits[1].Node: missing: a node`}},
		{"DuplicateKeys", `{"Tenants": [{"Name": "contoso", "HopLimit": 5, "hoplimit": 6, "Name": "fabrikam",
			"TransportRules": [{"Name": "r", "ExceptIf": {"From": "a@contoso.com"}, "ExceptIfFrom": "b@contoso.com"},
				{"Name": "s", "exceptif": {"SentTo": "a@contoso.com"}, "ExceptIfFrom": "b@contoso.com"}]}],
			"Messages": [{"From": "a@fabrikam.com", "To": "b@contoso.com", "Expect": {"Recipients": {"b@contoso.com": {}, "B@Contoso.com": {}}}}],
			"messages": []}`,
			[]string{`Messages[0].Expect.Recipients.B@Contoso.com: duplicate key: Messages[0].Expect.Recipients.b@contoso.com is the same key (keys match ignoring case)`,
				`Tenants[0].Name: duplicate key: Tenants[0].Name is given twice in one object`,
				`Tenants[0].TransportRules[0].ExceptIfFrom: Tenants[0].TransportRules[0].ExceptIf sets the same exceptions: write them either flat (ExceptIfFrom) or under ExceptIf, not both`,
				`Tenants[0].TransportRules[1].exceptif: Tenants[0].TransportRules[1].ExceptIfFrom sets the same exceptions: write them either flat (ExceptIfFrom) or under ExceptIf, not both`,
				`Tenants[0].hoplimit: duplicate key: Tenants[0].HopLimit is the same key (keys match ignoring case)`,
				`messages: duplicate key: Messages is the same key (keys match ignoring case)`}},
		// A node ID is text: any other value is a problem, not an unset field.
		{"NodeIDNotText", `{"Tenants": [{"Name": "contoso"}], "Messages": [{"From": "a@fabrikam.com", "To": "b@contoso.com", "Origin": 42},
			{"From": "a@fabrikam.com", "To": "b@contoso.com", "Origin": {"Kind": "eop"}}, {"From": "a@fabrikam.com", "To": "b@contoso.com", "Origin": null}]}`,
			[]string{`Messages[0].Origin: 42 is not a node ID such as "eop:contoso"`, `Messages[1].Origin: {"Kind":"eop"} is not a node ID such as "eop:contoso"`}},
		{"BadMessage", `{"Tenants": [{"Name": "contoso"}], "Messages": [{"Name": "m", "From": "x", "To": []}]}`,
			[]string{`Messages[0].From: "x" is not an SMTP address: missing @`, `Messages[0].To: no recipient`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := scenario.Load(strings.NewReader(tt.json))
			var lerr *scenario.LoadError
			if !errors.As(err, &lerr) || !errors.Is(err, scenario.ErrBadFile) {
				t.Fatalf("Load() error = %v, want a *LoadError", err)
			}
			var got []string
			for _, p := range lerr.Problems {
				got = append(got, p.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzLoad: Load never panics, and a file it accepts, written back as
// JSON, loads to the same file.
func FuzzLoad(f *testing.F) {
	f.Add(`{"Tenants": [{"Name": "contoso", "AcceptedDomains": [{"DomainName": "contoso.com"}]}]}`)
	f.Add(`{"Tenants": [{"Name": "contoso", "InboundConnectors": [{"Name": "x", "ConnectorType": "OnPremises", "SenderIPAddresses": "10.0.0/24"}]}]}`)
	f.Add(`{"MXRecords": [{"Domain": "a.b", "Preference": 1e99, "NameExchange": null}], "Messages": [{"To": "x"}]}`)
	f.Add(`[1, 2]`)
	f.Add(`{"DNSRecords": [{"Name": "fabrikam.com", "Type": "TXT", "Strings": "v=spf1 mx -all"}, {"Name": "_dmarc.fabrikam.com", "Type": "TXT", "Strings": ["v=DMARC1; p=reject"]},
		{"Name": "mail.fabrikam.com", "Type": "A", "IPAddress": "203.0.113.5", "Failing": true}], "Tenants": [{"Name": "contoso", "AntiPhishPolicy": {"HonorDmarcPolicy": false}}]}`)
	f.Add(`{"Settings": {"a": [1, 2.5, {"b": null}]}, "Messages": [{"From": "a@b.example", "To": "c@d.example", "Expect": {"Copies": 1}}]}`)
	seeds, _ := filepath.Glob("builtin/*/*.json")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(string(data))
	}
	// Rules that redirect every recipient, the recipients they add
	// included (docs/behaviour.md#l18-recipients-a-mail-flow-rule-adds).
	f.Add(`{"Tenants": [{"Name": "contoso", "AcceptedDomains": [{"DomainName": "contoso.com"}],
		"Recipients": [{"PrimarySmtpAddress": "a@contoso.com", "RecipientTypeDetails": "UserMailbox"}, {"PrimarySmtpAddress": "b@contoso.com", "RecipientTypeDetails": "UserMailbox"}],
		"TransportRules": [{"Name": "r", "SubjectContainsWords": "x", "RedirectMessageTo": ["a@contoso.com", "b@contoso.com"], "CopyTo": "a@contoso.com"}]}],
		"MXRecords": [{"Domain": "contoso.com", "NameExchange": "contoso-com.mail.protection.outlook.com"}],
		"Messages": [{"From": "s@fabrikam.com", "To": "a@contoso.com", "Subject": "x"}]}`)
	f.Fuzz(func(t *testing.T, data string) {
		file, topo, err := scenario.Load(strings.NewReader(data))
		if err != nil {
			return
		}
		// The engine's invariants on whatever topology loads: every trace
		// ends, and every recipient with a disposition.
		for _, m := range file.Messages[:min(len(file.Messages), 8)] {
			res, err := route.Trace(topo, m.Message)
			if err != nil {
				continue
			}
			for _, r := range res.Recipients {
				if r.Disposition == 0 || len(r.Hops) > route.MaxHops+1 {
					t.Errorf("%s: disposition %v after %d hops", r.Address, r.Disposition, len(r.Hops))
				}
			}
		}
		var out strings.Builder
		if err := file.WriteJSON(&out); err != nil {
			t.Fatalf("WriteJSON: %v", err)
		}
		again, _, err := scenario.Load(strings.NewReader(out.String()))
		if err != nil {
			t.Fatalf("reload of %s: %v", out.String(), err)
		}
		if diff := cmp.Diff(file, again, testopts.Cmp); diff != "" {
			t.Errorf("reload mismatch (-first +second):\n%s", diff)
		}
		if _, err := json.Marshal(file); err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
	})
}

// TestWriteJSON writes every built-in scenario's variants in the canonical
// form and loads them back: the same files, byte for byte the second time.
func TestWriteJSON(t *testing.T) {
	for _, f := range builtinFiles(t) {
		var first strings.Builder
		require.NoError(t, f.WriteJSON(&first))
		got, _, err := scenario.Load(strings.NewReader(first.String()))
		require.NoError(t, err, "%s", first.String())
		if diff := cmp.Diff(f, got, testopts.Cmp); diff != "" {
			t.Errorf("Load(WriteJSON(file)) mismatch (-want +got):\n%s", diff)
		}
		var second strings.Builder
		require.NoError(t, got.WriteJSON(&second))
		require.Equal(t, first.String(), second.String())
	}
}

// TestLoadNil: Load refuses a nil reader with ErrNilReader, as its doc
// promises, instead of panicking.
func TestLoadNil(t *testing.T) {
	if _, _, err := scenario.Load(nil); !errors.Is(err, scenario.ErrNilReader) {
		t.Errorf("Load(nil) error = %v, want ErrNilReader", err)
	}
}

// TestLoadEncodings: a topology file loads as PowerShell saves it: UTF-8
// with or without a byte order mark, UTF-16 little- or big-endian with
// one (Windows PowerShell 5's Out-File and Set-Content defaults).
func TestLoadEncodings(t *testing.T) {
	doc := `{"Description": "é", "Tenants": [{"Name": "contoso", "AcceptedDomains": [{"DomainName": "contoso.com"}]}]}`
	utf16 := func(bigEndian bool) []byte {
		out := []byte{0xFF, 0xFE}
		if bigEndian {
			out = []byte{0xFE, 0xFF}
		}
		for _, r := range doc {
			hi, lo := byte(r>>8), byte(r)
			if bigEndian {
				out = append(out, hi, lo)
			} else {
				out = append(out, lo, hi)
			}
		}
		return out
	}
	for name, data := range map[string][]byte{
		"UTF-8":          []byte(doc),
		"UTF-8 with BOM": append([]byte{0xEF, 0xBB, 0xBF}, doc...),
		"UTF-16 LE":      utf16(false),
		"UTF-16 BE":      utf16(true),
	} {
		f, _, err := scenario.Load(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if f.Description != "é" {
			t.Errorf("%s: Description = %q", name, f.Description)
		}
	}
}

// TestLoadEnumsIgnoreCase: a topology file's closed sets are read ignoring
// case, as PowerShell reads parameter values; an unknown value is still
// refused, as written.
func TestLoadEnumsIgnoreCase(t *testing.T) {
	f, _, err := scenario.Load(strings.NewReader(`{"Tenants": [{"Name": "contoso",
		"AcceptedDomains": [{"DomainName": "contoso.com", "DomainType": "internalrelay"}],
		"Recipients": [{"Name": "Room 1", "RecipientTypeDetails": "roommailbox", "PrimarySmtpAddress": "room1@contoso.com"}],
		"InboundConnectors": [{"Name": "x", "ConnectorType": "partner", "SenderDomains": ["fabrikam.com"]}],
		"TransportRules": [{"Name": "r", "State": "disabled", "Mode": "AUDIT"}]}]}`))
	require.NoError(t, err)
	x := f.Spec.Tenants[0]
	require.Equal(t, topology.InternalRelay, x.AcceptedDomains[0].DomainType)
	require.Equal(t, connector.Partner, x.InboundConnectors[0].ConnectorType)
	require.Equal(t, topology.RoomMailbox, x.Recipients[0].RecipientTypeDetails)
	require.Equal(t, topology.RuleDisabled, x.TransportRules[0].State)
	require.Equal(t, topology.ModeAudit, x.TransportRules[0].Mode)

	_, _, err = scenario.Load(strings.NewReader(`{"Tenants": [{"Name": "contoso", "AcceptedDomains": [{"DomainName": "contoso.com", "DomainType": "Bogus"}]}]}`))
	require.ErrorContains(t, err, `"Bogus"`)
}
