package scenario_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// internetToJulieAndDavid traces the documented split of "Transport
// routing in Exchange hybrid deployments": MX to EOP, no centralized mail
// transport; Exchange Online splits the message, David's copy stays and
// Julie's goes on-premises through "Outbound to contoso".
func internetToJulieAndDavid(t *testing.T) *route.Result {
	t.Helper()
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{From: "sender@fabrikam.com", To: []string{"julie@contoso.com", "david@contoso.com"}})
	require.NoError(t, err)
	return res
}

func TestExpectCheck(t *testing.T) {
	res := internetToJulieAndDavid(t)
	tests := []struct {
		name   string
		expect scenario.Expect
		want   []scenario.Mismatch
	}{
		{"AllHold", scenario.Expect{
			Recipients: map[string]scenario.RecipientExpect{
				"julie@contoso.com": {Disposition: route.Delivered, Hops: []string{"internet", "eop:contoso", "exo:contoso", "eop:contoso", "onprem:contoso/EX01", "onprem:contoso/EX02"},
					Path: []string{"EOP", "ExchangeOnline", "EOP", "OnPremises"}, Connector: "Outbound to contoso", InboundConnector: "Default Frontend EX01"},
				"DAVID@contoso.com": {Disposition: route.Delivered, Path: []string{"InternetSender", "exo:contoso"}, Avoid: []string{"OnPremises"}},
			},
			Copies: 2, Splits: []scenario.SplitExpect{{Node: "exo:contoso", Copies: 2}, {Node: "exo:contoso", Hop: 3, Copies: 2}}, NoLoop: true,
		}, nil},
		{"NothingHolds", scenario.Expect{
			Recipients: map[string]scenario.RecipientExpect{
				"julie@contoso.com": {Disposition: route.Rejected, Status: "550 5.4.1", Hops: []string{"internet", "eop:contoso"},
					Path: []string{"OnPremises", "EOP"}, Avoid: []string{"exo:contoso", "EOP"}, Connector: "To Internet", InboundConnector: "Inbound from contoso", Rule: "Block"},
				"bob@contoso.com": {Disposition: route.Delivered},
			},
			Copies: 3, Splits: []scenario.SplitExpect{{Node: "eop:contoso", Copies: 2}, {Node: "exo:contoso", Hop: 2, Copies: 2}},
		}, []scenario.Mismatch{
			{Recipient: "bob@contoso.com", Field: "Recipient", Want: "a recipient of the trace", Got: "[julie@contoso.com david@contoso.com]"},
			{Recipient: "julie@contoso.com", Field: "Disposition", Want: "Rejected", Got: "Delivered"},
			{Recipient: "julie@contoso.com", Field: "Status", Want: `"550 5.4.1"`, Got: `""`},
			{Recipient: "julie@contoso.com", Field: "Hops", Want: "[internet eop:contoso]", Got: "[internet eop:contoso exo:contoso eop:contoso onprem:contoso/EX01 onprem:contoso/EX02]"},
			{Recipient: "julie@contoso.com", Field: "Path", Want: "[OnPremises EOP]", Got: "[internet eop:contoso exo:contoso eop:contoso onprem:contoso/EX01 onprem:contoso/EX02]"},
			{Recipient: "julie@contoso.com", Field: "Avoid", Want: "no hop at exo:contoso", Got: "hop 3 at exo:contoso"},
			{Recipient: "julie@contoso.com", Field: "Avoid", Want: "no hop at EOP", Got: "hop 2 at eop:contoso"},
			{Recipient: "julie@contoso.com", Field: "Connector", Want: `"To Internet"`, Got: `"Outbound to contoso"`},
			{Recipient: "julie@contoso.com", Field: "InboundConnector", Want: `"Inbound from contoso"`, Got: `"Default Frontend EX01"`},
			{Recipient: "julie@contoso.com", Field: "Rule", Want: `"Block"`, Got: "matched none"},
			{Field: "Copies", Want: "3", Got: "2"},
			{Field: "Splits", Want: "2 copies leaving eop:contoso", Got: "1"},
			{Field: "Splits", Want: "2 copies leaving exo:contoso at hop 2", Got: "1"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.expect.Check(res)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExpectRule checks the Rule expectation against the conditional
// routing scenario, where the rule "Route Accounting mail through the gateway" sends
// Ana's mail to Erin through the gateway connector.
func TestExpectRule(t *testing.T) {
	s, ok := scenario.Lookup("conditional-routing")
	require.True(t, ok)
	runs, err := s.Run()
	require.NoError(t, err)
	res := runs[0].Result
	require.Equal(t, "Ana to Erin", runs[0].Flow)
	const rule = "Route Accounting mail through the gateway"
	e := scenario.Expect{Recipients: map[string]scenario.RecipientExpect{"erin@cpandl.com": {Rule: rule, Connector: "To Accounting gateway"}}}
	require.Empty(t, e.Check(res))
	e.Recipients["erin@cpandl.com"] = scenario.RecipientExpect{Rule: rule + " 2"}
	require.Len(t, e.Check(res), 1)
}

func ExampleExpect_Check() {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{From: "david@contoso.com", To: []string{"erin@cpandl.com"}})
	if err != nil {
		panic(err)
	}
	e := scenario.Expect{Recipients: map[string]scenario.RecipientExpect{
		"erin@cpandl.com": {Disposition: route.Relayed, Path: []string{"exo:contoso", "eop:contoso", "InternetMX"}, Avoid: []string{"OnPremises"}},
	}}
	fmt.Println(e.Check(res))
	e.Recipients["erin@cpandl.com"] = scenario.RecipientExpect{Path: []string{"OnPremises"}}
	for _, m := range e.Check(res) {
		fmt.Println(m)
	}
	// Output:
	// []
	// erin@cpandl.com: Path: want [OnPremises], got [exo:contoso eop:contoso ext:cpandl]
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// TestExpectFields: for each field of an expectation, one that holds and
// one that does not, named in the mismatch with what was wanted and got.
// The traces are Contoso's (Transport routing in Exchange hybrid
// deployments): Internet mail to Julie and David with the MX at EOP, and
// Julie's mail to David, whose copy EX01 sends to EOP over TLS with
// cross-premises headers.
func TestExpectFields(t *testing.T) {
	inbound := internetToJulieAndDavid(t)
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	hybrid, err := route.Trace(topo, route.Message{From: "julie@contoso.com", To: []string{"david@contoso.com"}})
	require.NoError(t, err)
	spam, err := route.Trace(topo, route.Message{From: "sender@fabrikam.com", To: []string{"david@contoso.com"}, SCL: new(6)})
	require.NoError(t, err)
	const julie, david = "julie@contoso.com", "david@contoso.com"
	type rx = scenario.RecipientExpect
	type hx = scenario.HopExpect
	tests := []struct {
		name  string
		res   *route.Result
		rcpt  string
		holds rx
		fails rx
		want  []scenario.Mismatch // of fails
	}{
		{"Disposition", inbound, julie, rx{Disposition: route.Delivered}, rx{Disposition: route.Rejected},
			[]scenario.Mismatch{{Field: "Disposition", Want: "Rejected", Got: "Delivered"}}},
		{"Folder", spam, david, rx{Folder: route.JunkEmail}, rx{Folder: route.Inbox},
			[]scenario.Mismatch{{Field: "Folder", Want: "Inbox", Got: "JunkEmail"}}},
		{"Hops", inbound, david, rx{Hops: []string{"internet", "EOP", "exo:contoso"}}, rx{Hops: []string{"internet", "exo:contoso"}},
			[]scenario.Mismatch{{Field: "Hops", Want: "[internet exo:contoso]", Got: "[internet eop:contoso exo:contoso]"}}},
		{"Path", inbound, julie, rx{Path: []string{"EOP", "ExchangeOnline", "EOP", "onprem:contoso/EX02"}}, rx{Path: []string{"OnPremises", "EOP"}},
			[]scenario.Mismatch{{Field: "Path", Want: "[OnPremises EOP]", Got: "[internet eop:contoso exo:contoso eop:contoso onprem:contoso/EX01 onprem:contoso/EX02]"}}},
		{"Avoid", inbound, david, rx{Avoid: []string{"OnPremises"}}, rx{Avoid: []string{"ExchangeOnline"}},
			[]scenario.Mismatch{{Field: "Avoid", Want: "no hop at ExchangeOnline", Got: "hop 3 at exo:contoso"}}},
		{"Connector", inbound, julie, rx{Connector: "Outbound to contoso"}, rx{Connector: "To Internet"},
			[]scenario.Mismatch{{Field: "Connector", Want: `"To Internet"`, Got: `"Outbound to contoso"`}}},
		{"InboundConnector", hybrid, david, rx{InboundConnector: "Inbound from contoso"}, rx{InboundConnector: "Default Frontend EX01"},
			[]scenario.Mismatch{{Field: "InboundConnector", Want: `"Default Frontend EX01"`, Got: `"Inbound from contoso"`}}},
		{"At.Step", inbound, david, rx{At: []hx{{Step: "EOP"}}}, rx{At: []hx{{Step: "OnPremises"}}},
			[]scenario.Mismatch{{Field: "At[0].Step", Want: "a hop at OnPremises", Got: "[internet eop:contoso exo:contoso]"}}},
		{"At.AuthAs", hybrid, david, rx{At: []hx{{Step: "EOP", AuthAs: route.Internal}}}, rx{At: []hx{{Step: "EOP", AuthAs: route.Anonymous}}},
			[]scenario.Mismatch{{Field: "At[0].AuthAs", Want: "Anonymous", Got: "Internal at hop 3 (eop:contoso)"}}},
		{"At.Directionality", inbound, david, rx{At: []hx{{Step: "eop:contoso", Directionality: route.Incoming}}},
			rx{At: []hx{{Step: "eop:contoso", Directionality: route.Originating}}},
			[]scenario.Mismatch{{Field: "At[0].Directionality", Want: "Originating", Got: "Incoming at hop 2 (eop:contoso)"}}},
		{"At.TLS", hybrid, david, rx{At: []hx{{Step: "EOP", TLS: yes()}, {Step: "onprem:contoso/EX02", TLS: no()}}}, rx{At: []hx{{Step: "EOP", TLS: no()}}},
			[]scenario.Mismatch{{Field: "At[0].TLS", Want: "false", Got: "true at hop 3 (eop:contoso)"}}},
		{"At.Connector", hybrid, david, rx{At: []hx{{Step: "onprem:contoso/EX01", Connector: "Outbound to Office 365"}}},
			rx{At: []hx{{Step: "onprem:contoso/EX02", Connector: "To Internet"}, {Step: "EOP", Connector: "Outbound to contoso"}}},
			[]scenario.Mismatch{
				{Field: "At[0].Connector", Want: `"To Internet"`, Got: `"Outbound to Office 365" at hop 1 (onprem:contoso/EX02)`},
				{Field: "At[1].Connector", Want: `"Outbound to contoso"`, Got: "none at hop 3 (eop:contoso)"},
			}},
		{"At.InboundConnector", hybrid, david, rx{At: []hx{{Step: "EOP", InboundConnector: "Inbound from contoso"}}},
			rx{At: []hx{{Step: "ExchangeOnline", InboundConnector: "Inbound from contoso"}}},
			[]scenario.Mismatch{{Field: "At[0].InboundConnector", Want: `"Inbound from contoso"`, Got: "none at hop 4 (exo:contoso)"}}},
		{"At.Stages", inbound, david,
			rx{At: []hx{{Step: "EOP", Stages: map[string]string{"AntiSpam": "Applied", "ConnectionFilter": "Pass", "AntiMalware": "Skipped", "DBEB": "Pass"}}}},
			rx{At: []hx{{Step: "EOP", Stages: map[string]string{"AntiSpam": "NotEffective", "AntiMalware": "Applied", "Compliance": "Applied"}}}},
			[]scenario.Mismatch{
				{Field: "At[0].Stages.AntiMalware", Want: "Applied", Got: "Skipped at hop 2 (eop:contoso)"},
				{Field: "At[0].Stages.AntiSpam", Want: "NotEffective", Got: "Applied (Pass) at hop 2 (eop:contoso)"},
				{Field: "At[0].Stages.Compliance", Want: "Applied", Got: "none at hop 2 (eop:contoso)"},
			}},
		{"At.Stages.SpamAction", spam, david, rx{At: []hx{{Step: "EOP", Stages: map[string]string{"AntiSpam": "Junk"}}, {Step: "EOP", Stages: map[string]string{"AntiSpam": "Spam"}}}},
			rx{At: []hx{{Step: "EOP", Stages: map[string]string{"AntiSpam": "Quarantine"}}}},
			[]scenario.Mismatch{{Field: "At[0].Stages.AntiSpam", Want: "Quarantine", Got: "Applied (Spam, MoveToJmf) at hop 2 (eop:contoso)"}}},
		{"At.AnyHopOfTheStep", inbound, julie, rx{At: []hx{{Step: "EOP", Connector: "Outbound to contoso", Stages: map[string]string{"AntiSpam": "Skipped"}}}},
			rx{At: []hx{{Step: "EOP", Connector: "Outbound to contoso", Stages: map[string]string{"AntiSpam": "NotEffective"}}}},
			// The closest EOP hop: the second misses one field, the first two.
			[]scenario.Mismatch{{Field: "At[0].Stages.AntiSpam", Want: "NotEffective", Got: "Skipped at hop 4 (eop:contoso)"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			holds := scenario.Expect{Recipients: map[string]scenario.RecipientExpect{tt.rcpt: tt.holds}}
			if got := holds.Check(tt.res); len(got) != 0 {
				t.Errorf("the holding expectation fails: %v\n%s", got, traceText(tt.res))
			}
			fails := scenario.Expect{Recipients: map[string]scenario.RecipientExpect{tt.rcpt: tt.fails}}
			want := slices.Clone(tt.want)
			for i := range want {
				want[i].Recipient = tt.rcpt
			}
			if diff := cmp.Diff(want, fails.Check(tt.res)); diff != "" {
				t.Errorf("Check mismatch (-want +got):\n%s\n%s", diff, traceText(tt.res))
			}
		})
	}
}

// TestExpectStatusWords: Status compares whole words.
func TestExpectStatusWords(t *testing.T) {
	topo := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(topo, route.Message{From: "sender@fabrikam.com", To: []string{"nobody@contoso.com"}})
	require.NoError(t, err)
	for _, tt := range []struct {
		status string
		holds  bool
	}{
		{"550", true}, {"550 5.4.1", true}, {"550 5.4.1 Recipient address rejected:", true}, {route.StatusDBEB, true},
		{"550 5.4", false}, {"55", false}, {"550 5.4.10", false}, {"550 5.4.1 Recipient address rejected: Access denied now", false},
	} {
		e := scenario.Expect{Recipients: map[string]scenario.RecipientExpect{"nobody@contoso.com": {Status: tt.status}}}
		got := e.Check(res)
		if (len(got) == 0) != tt.holds {
			t.Errorf("Status %q: mismatches %v, want holds %v", tt.status, got, tt.holds)
		}
	}
}

// TestExpectRules: Rule and NotRules follow the recipient through
// RESOLVE. An on-premises transport rule matches David's routing address
// after EX02 resolved him to it; the expectation, keyed by the address
// the message named, sees it.
func TestExpectRules(t *testing.T) {
	spec := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
	spec.Tenants[0].TransportRules = []topology.TransportRule{{Name: "Tag hybrid mail", Conditions: topology.Predicates{RecipientDomainIs: []string{"contoso.mail.onmicrosoft.com"}},
		SetHeaderName: "X-Hybrid", SetHeaderValue: "yes"}}
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	res, err := route.Trace(topo, route.Message{From: "julie@contoso.com", To: []string{"david@contoso.com"}})
	require.NoError(t, err)
	const david = "david@contoso.com"
	holds := scenario.Expect{Recipients: map[string]scenario.RecipientExpect{david: {Rule: "Tag hybrid mail", NotRules: []string{"Other"}}}}
	if got := holds.Check(res); len(got) != 0 {
		t.Errorf("Rule after RESOLVE: %v\n%s", got, traceText(res))
	}
	fails := scenario.Expect{Recipients: map[string]scenario.RecipientExpect{david: {Rule: "Other", NotRules: []string{"Tag hybrid mail"}}}}
	want := []scenario.Mismatch{
		{Recipient: david, Field: "Rule", Want: `"Other"`, Got: `matched "Tag hybrid mail"`},
		{Recipient: david, Field: "NotRules", Want: `no match of "Tag hybrid mail"`, Got: "matched at hop 3 (eop:contoso)"},
	}
	if diff := cmp.Diff(want, fails.Check(res)); diff != "" {
		t.Errorf("Check mismatch (-want +got):\n%s\n%s", diff, traceText(res))
	}
}

// TestLoadExpectProblems: words an expectation does not know are load
// problems at their JSON path, not expectations that can never hold.
func TestLoadExpectProblems(t *testing.T) {
	const file = `{"Tenants": [{"Name": "fabrikam", "AcceptedDomains": [{"DomainName": "fabrikam.com"}],
		"Recipients": [{"Name": "Ana", "RecipientTypeDetails": "UserMailbox", "PrimarySmtpAddress": "ana@fabrikam.com"}]}],
	  "MXRecords": [{"Domain": "fabrikam.com", "NameExchange": "fabrikam-com.mail.protection.outlook.com"}],
	  "Messages": [{"From": "erin@cpandl.com", "To": ["ana@fabrikam.com"], "Expect": {"Recipients": {"ana@fabrikam.com": {
	    "Disposition": "Deliverd", "Folder": "Junk",
	    "At": [{"Step": "", "AuthAs": "Authenticated", "Directionality": "Outgoing", "Stages": {"AntiVirus": "Applied", "AntiSpam": "Maybe"}}]}}}}]}`
	_, _, err := scenario.Load(strings.NewReader(file))
	var lerr *scenario.LoadError
	require.ErrorAs(t, err, &lerr)
	var got []string
	for _, p := range lerr.Problems {
		got = append(got, p.Path)
	}
	want := []string{ // in path order
		"Messages[0].Expect.Recipients.ana@fabrikam.com.At[0].AuthAs",
		"Messages[0].Expect.Recipients.ana@fabrikam.com.At[0].Directionality",
		"Messages[0].Expect.Recipients.ana@fabrikam.com.At[0].Stages.AntiSpam",
		"Messages[0].Expect.Recipients.ana@fabrikam.com.At[0].Stages.AntiVirus",
		"Messages[0].Expect.Recipients.ana@fabrikam.com.At[0].Step",
		"Messages[0].Expect.Recipients.ana@fabrikam.com.Disposition",
		"Messages[0].Expect.Recipients.ana@fabrikam.com.Folder",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problem paths (-want +got):\n%s\n%v", diff, err)
	}
}
