package connector_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/stretchr/testify/require"
)

// threeConnectors is Microsoft's example of outbound connector selection
// ("Set up connectors to route mail between Microsoft 365 and your own
// email servers"): Connector 1 covers every accepted domain, Connector 2
// contoso.com and Connector 3 *.contoso.com.
func threeConnectors() []connector.Outbound {
	return []connector.Outbound{
		{
			Name:               "Connector 1",
			ConnectorType:      connector.OnPremises,
			AllAcceptedDomains: true,
			UseMXRecord:        connector.False,
			SmartHosts:         []string{"mail.contoso.com"},
		},
		{
			Name:             "Connector 2",
			ConnectorType:    connector.OnPremises,
			RecipientDomains: []string{"contoso.com"},
			UseMXRecord:      connector.False,
			SmartHosts:       []string{"mail.contoso.com"},
		},
		{
			Name:             "Connector 3",
			ConnectorType:    connector.OnPremises,
			RecipientDomains: []string{"*.contoso.com"},
			UseMXRecord:      connector.False,
			SmartHosts:       []string{"mail.contoso.com"},
		},
	}
}

// threeAccepted are the accepted domains of Microsoft's example.
var threeAccepted = map[string]bool{
	"contoso.com":             true,
	"sales.contoso.com":       true,
	"fabrikam.com":            true,
	"contoso.onmicrosoft.com": true,
}

// outboundWant builds the Selection expected for the connector named name
// in conns; it fails the test when conns has no such connector.
func outboundWant(t *testing.T, conns []connector.Outbound, name, pattern string) connector.Selection {
	t.Helper()
	i := slices.IndexFunc(conns, func(c connector.Outbound) bool { return c.Name == name })
	require.GreaterOrEqual(t, i, 0, "no connector named %q", name)
	return connector.Selection{Index: i, Pattern: connector.MustParsePattern(pattern)}
}

func TestOutboundTableMicrosoftExample(t *testing.T) {
	tests := []struct {
		name        string
		mode        connector.SelectionMode
		domain      string
		wantName    string // "" when no connector matches
		wantPattern string
	}{
		{name: "MostSpecific_JohnFabrikam", mode: connector.MostSpecific, domain: "fabrikam.com", wantName: "Connector 1", wantPattern: "--"},
		{name: "MostSpecific_JohnContoso", mode: connector.MostSpecific, domain: "contoso.com", wantName: "Connector 2", wantPattern: "contoso.com"},
		{name: "MostSpecific_JohnSalesContoso", mode: connector.MostSpecific, domain: "sales.contoso.com", wantName: "Connector 3", wantPattern: "*.contoso.com"},
		{name: "MostSpecific_Onmicrosoft", mode: connector.MostSpecific, domain: "contoso.onmicrosoft.com", wantName: "Connector 1", wantPattern: "--"},
		{name: "MostSpecific_UnacceptedSubdomain", mode: connector.MostSpecific, domain: "marketing.contoso.com", wantName: "Connector 3", wantPattern: "*.contoso.com"},
		{name: "MostSpecific_Internet", mode: connector.MostSpecific, domain: "tailspintoys.com"},
		{name: "ListedOrder_JohnFabrikam", mode: connector.ListedOrder, domain: "fabrikam.com", wantName: "Connector 1", wantPattern: "--"},
		{name: "ListedOrder_JohnContoso", mode: connector.ListedOrder, domain: "contoso.com", wantName: "Connector 2", wantPattern: "contoso.com"},
		{name: "ListedOrder_JohnSalesContoso", mode: connector.ListedOrder, domain: "sales.contoso.com", wantName: "Connector 1", wantPattern: "--"},
		{name: "ListedOrder_Onmicrosoft", mode: connector.ListedOrder, domain: "contoso.onmicrosoft.com", wantName: "Connector 1", wantPattern: "--"},
		{name: "ListedOrder_UnacceptedSubdomain", mode: connector.ListedOrder, domain: "marketing.contoso.com", wantName: "Connector 3", wantPattern: "*.contoso.com"},
		{name: "ListedOrder_Internet", mode: connector.ListedOrder, domain: "tailspintoys.com"},
	}
	conns := threeConnectors()
	for _, c := range conns {
		require.Empty(t, c.Validate(), "connector %q", c.Name)
	}
	tables := map[connector.SelectionMode]*connector.OutboundTable{
		connector.MostSpecific: connector.NewOutboundTable(conns, connector.MostSpecific),
		connector.ListedOrder:  connector.NewOutboundTable(conns, connector.ListedOrder),
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			accepted := threeAccepted[tt.domain]
			got, ok := tables[tt.mode].Lookup(tt.domain, accepted)
			if tt.wantName == "" {
				if ok {
					t.Errorf("Lookup(%q, %v) = %+v (%q), true, want no connector", tt.domain, accepted, got, conns[got.Index].Name)
				}
				return
			}
			if !ok {
				t.Fatalf("Lookup(%q, %v) = false, want %q", tt.domain, accepted, tt.wantName)
			}
			want := outboundWant(t, conns, tt.wantName, tt.wantPattern)
			if diff := cmp.Diff(want, got, testopts.Cmp); diff != "" {
				t.Errorf("Lookup(%q, %v) mismatch (-want +got):\n%s", tt.domain, accepted, diff)
			}
		})
	}
}

func TestOutboundTableLookup(t *testing.T) {
	out := func(name string, domains ...string) connector.Outbound {
		return connector.Outbound{Name: name, ConnectorType: connector.Partner, RecipientDomains: domains}
	}
	all := func(name string) connector.Outbound {
		return connector.Outbound{Name: name, ConnectorType: connector.OnPremises, AllAcceptedDomains: true}
	}
	disabled := func(c connector.Outbound) connector.Outbound { c.Enabled = connector.False; return c }
	enabled := func(c connector.Outbound) connector.Outbound { c.Enabled = connector.True; return c }
	ruleScoped := func(c connector.Outbound) connector.Outbound { c.IsTransportRuleScoped = true; return c }

	tests := []struct {
		name        string
		conns       []connector.Outbound
		mode        connector.SelectionMode
		domain      string
		accepted    bool
		wantName    string // "" when no connector matches
		wantPattern string
	}{
		{name: "Empty", conns: nil, domain: "contoso.com"},
		{name: "ExactMatch", conns: []connector.Outbound{out("A", "contoso.com")}, domain: "contoso.com", wantName: "A", wantPattern: "contoso.com"},
		{name: "ExactUpperCaseEntry", conns: []connector.Outbound{out("A", "Contoso.COM")}, domain: "contoso.com", wantName: "A", wantPattern: "contoso.com"},
		{name: "ExactNotSubdomain", conns: []connector.Outbound{out("A", "contoso.com")}, domain: "sales.contoso.com"},
		{name: "NoMatch", conns: []connector.Outbound{out("A", "contoso.com"), out("B", "*.fabrikam.com")}, domain: "tailspintoys.com"},
		{name: "WildcardBareDomain", conns: []connector.Outbound{out("A", "*.contoso.com")}, domain: "contoso.com", wantName: "A", wantPattern: "*.contoso.com"},
		{name: "WildcardNotPrefixed", conns: []connector.Outbound{out("A", "*.contoso.com")}, domain: "notcontoso.com"},
		{name: "SecondEntryMatches", conns: []connector.Outbound{out("A", "fabrikam.com", "*.contoso.com")}, domain: "sales.contoso.com", wantName: "A", wantPattern: "*.contoso.com"},
		{name: "InvalidEntrySkipped", conns: []connector.Outbound{out("A", "*contoso.com", "--", "contoso.com")}, domain: "contoso.com", accepted: true, wantName: "A", wantPattern: "contoso.com"},
		{name: "InvalidEntryMatchesNothing", conns: []connector.Outbound{out("A", "*contoso.com")}, domain: "contoso.com"},
		{name: "ExactBeatsWildcard", conns: []connector.Outbound{out("A", "*.contoso.com"), out("B", "contoso.com")}, domain: "contoso.com", wantName: "B", wantPattern: "contoso.com"},
		{name: "ExactBeatsAny", conns: []connector.Outbound{out("A", "*"), out("B", "contoso.com")}, domain: "contoso.com", wantName: "B", wantPattern: "contoso.com"},
		{name: "LongestWildcard_Deep", conns: []connector.Outbound{out("A", "*.contoso.com"), out("B", "*.sales.contoso.com")}, domain: "eu.sales.contoso.com", wantName: "B", wantPattern: "*.sales.contoso.com"},
		{name: "LongestWildcard_DeepReversed", conns: []connector.Outbound{out("B", "*.sales.contoso.com"), out("A", "*.contoso.com")}, domain: "eu.sales.contoso.com", wantName: "B", wantPattern: "*.sales.contoso.com"},
		{name: "LongestWildcard_BareDomain", conns: []connector.Outbound{out("A", "*.contoso.com"), out("B", "*.sales.contoso.com")}, domain: "sales.contoso.com", wantName: "B", wantPattern: "*.sales.contoso.com"},
		{name: "LongestWildcard_Sibling", conns: []connector.Outbound{out("A", "*.contoso.com"), out("B", "*.sales.contoso.com")}, domain: "marketing.contoso.com", wantName: "A", wantPattern: "*.contoso.com"},
		{name: "LongestWildcard_Parent", conns: []connector.Outbound{out("B", "*.sales.contoso.com"), out("A", "*.contoso.com")}, domain: "contoso.com", wantName: "A", wantPattern: "*.contoso.com"},
		{name: "WildcardTLD", conns: []connector.Outbound{out("A", "*.com"), out("B", "*.contoso.com")}, domain: "fabrikam.com", wantName: "A", wantPattern: "*.com"},
		{name: "WildcardBeatsAccepted", conns: []connector.Outbound{all("A"), out("B", "*.com")}, domain: "contoso.com", accepted: true, wantName: "B", wantPattern: "*.com"},
		{name: "AcceptedNeedsAccepted", conns: []connector.Outbound{all("A")}, domain: "contoso.com", accepted: false},
		{name: "AcceptedBeatsAny", conns: []connector.Outbound{out("A", "*"), all("B")}, domain: "contoso.com", accepted: true, wantName: "B", wantPattern: "--"},
		{name: "AnyLastResort", conns: []connector.Outbound{out("A", "*"), all("B"), out("C", "contoso.com")}, domain: "fabrikam.com", wantName: "A", wantPattern: "*"},
		{name: "AnyNotAccepted", conns: []connector.Outbound{out("A", "*"), all("B")}, domain: "contoso.com", accepted: false, wantName: "A", wantPattern: "*"},
		{name: "DisabledIgnored", conns: []connector.Outbound{disabled(out("A", "contoso.com")), out("B", "*.contoso.com")}, domain: "contoso.com", wantName: "B", wantPattern: "*.contoso.com"},
		{name: "DisabledOnlyNoMatch", conns: []connector.Outbound{disabled(out("A", "*"))}, domain: "contoso.com"},
		{name: "DisabledAccepted", conns: []connector.Outbound{disabled(all("A")), out("B", "*")}, domain: "contoso.com", accepted: true, wantName: "B", wantPattern: "*"},
		{name: "DisabledTieLoses", conns: []connector.Outbound{disabled(out("A", "contoso.com")), out("B", "contoso.com")}, domain: "contoso.com", wantName: "B", wantPattern: "contoso.com"},
		{name: "EnabledTrue", conns: []connector.Outbound{enabled(out("A", "contoso.com"))}, domain: "contoso.com", wantName: "A", wantPattern: "contoso.com"},
		{name: "RuleScopedIgnored", conns: []connector.Outbound{ruleScoped(out("A", "contoso.com")), out("B", "*")}, domain: "contoso.com", wantName: "B", wantPattern: "*"},
		{name: "RuleScopedOnlyNoMatch", conns: []connector.Outbound{ruleScoped(out("A", "*"))}, domain: "contoso.com"},
		{name: "RuleScopedAccepted", conns: []connector.Outbound{ruleScoped(all("A"))}, domain: "contoso.com", accepted: true},
		{name: "TieExact", conns: []connector.Outbound{out("Beta", "contoso.com"), out("alpha", "contoso.com")}, domain: "contoso.com", wantName: "alpha", wantPattern: "contoso.com"},
		{name: "TieExactReversed", conns: []connector.Outbound{out("alpha", "contoso.com"), out("Beta", "contoso.com")}, domain: "contoso.com", wantName: "alpha", wantPattern: "contoso.com"},
		{name: "TieWildcard", conns: []connector.Outbound{out("Zulu", "*.contoso.com"), out("bravo", "*.contoso.com"), out("Charlie", "*.contoso.com")}, domain: "sales.contoso.com", wantName: "bravo", wantPattern: "*.contoso.com"},
		{name: "TieWildcardReversed", conns: []connector.Outbound{out("Charlie", "*.contoso.com"), out("bravo", "*.contoso.com"), out("Zulu", "*.contoso.com")}, domain: "sales.contoso.com", wantName: "bravo", wantPattern: "*.contoso.com"},
		{name: "TieAccepted", conns: []connector.Outbound{all("Beta"), all("alpha")}, domain: "contoso.com", accepted: true, wantName: "alpha", wantPattern: "--"},
		{name: "TieAcceptedReversed", conns: []connector.Outbound{all("alpha"), all("Beta")}, domain: "contoso.com", accepted: true, wantName: "alpha", wantPattern: "--"},
		{name: "TieAny", conns: []connector.Outbound{out("Beta", "*"), out("alpha", "*")}, domain: "contoso.com", wantName: "alpha", wantPattern: "*"},
		{name: "TieAnyReversed", conns: []connector.Outbound{out("alpha", "*"), out("Beta", "*")}, domain: "contoso.com", wantName: "alpha", wantPattern: "*"},
		{name: "TieCaseOnly", conns: []connector.Outbound{out("connector", "*"), out("Connector", "*")}, domain: "contoso.com", wantName: "Connector", wantPattern: "*"},
		{name: "TieCaseOnlyReversed", conns: []connector.Outbound{out("Connector", "*"), out("connector", "*")}, domain: "contoso.com", wantName: "Connector", wantPattern: "*"},
		{name: "TieUpperCaseEntry", conns: []connector.Outbound{out("Beta", "CONTOSO.COM"), out("alpha", "contoso.com")}, domain: "contoso.com", wantName: "alpha", wantPattern: "contoso.com"},
		{name: "ListedOrder_AcceptedBeatsWildcard", conns: []connector.Outbound{all("A"), out("B", "*.contoso.com")}, mode: connector.ListedOrder, domain: "sales.contoso.com", accepted: true, wantName: "A", wantPattern: "--"},
		{name: "ListedOrder_ExactBeatsAccepted", conns: []connector.Outbound{all("A"), out("B", "sales.contoso.com")}, mode: connector.ListedOrder, domain: "sales.contoso.com", accepted: true, wantName: "B", wantPattern: "sales.contoso.com"},
		{name: "ListedOrder_WildcardWithoutAccepted", conns: []connector.Outbound{out("B", "*.contoso.com"), out("C", "*")}, mode: connector.ListedOrder, domain: "sales.contoso.com", accepted: true, wantName: "B", wantPattern: "*.contoso.com"},
		{name: "ListedOrder_DisabledAccepted", conns: []connector.Outbound{disabled(all("A")), out("B", "*.contoso.com")}, mode: connector.ListedOrder, domain: "sales.contoso.com", accepted: true, wantName: "B", wantPattern: "*.contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table := connector.NewOutboundTable(tt.conns, tt.mode)
			got, ok := table.Lookup(tt.domain, tt.accepted)
			if tt.wantName == "" {
				if ok {
					t.Errorf("Lookup(%q, %v) = %+v (%q), true, want no connector", tt.domain, tt.accepted, got, tt.conns[got.Index].Name)
				}
				return
			}
			if !ok {
				t.Fatalf("Lookup(%q, %v) = false, want %q", tt.domain, tt.accepted, tt.wantName)
			}
			want := outboundWant(t, tt.conns, tt.wantName, tt.wantPattern)
			if diff := cmp.Diff(want, got, testopts.Cmp); diff != "" {
				t.Errorf("Lookup(%q, %v) mismatch (-want +got):\n%s", tt.domain, tt.accepted, diff)
			}
		})
	}
}

func mustAddressSpace(t *testing.T, s string) connector.AddressSpace {
	t.Helper()
	a, err := connector.ParseAddressSpace(s)
	require.NoError(t, err)
	return a
}

func TestSendTableLookup(t *testing.T) {
	send := func(name string, spaces ...string) connector.Send {
		return connector.Send{Name: name, AddressSpaces: spaces}
	}
	from := func(c connector.Send, servers ...string) connector.Send { c.SourceTransportServers = servers; return c }
	disabled := func(c connector.Send) connector.Send { c.Enabled = connector.False; return c }

	// specific has one connector per kind of address space; the most
	// specific space wins whatever its cost.
	specific := []connector.Send{
		send("Exact", "SMTP:contoso.com;50"),
		send("Contoso", "SMTP:*.contoso.com;20"),
		send("Sales", "SMTP:*.sales.contoso.com;30"),
		send("Org", "SMTP:*.org;40"),
		send("Accepted", "SMTP:--;10"),
		send("Internet", "SMTP:*;1"),
	}

	tests := []struct {
		name      string
		conns     []connector.Send
		domain    string
		accepted  bool
		server    string
		wantName  string // "" when no connector matches
		wantSpace string
		wantLocal bool
	}{
		{name: "Specific_Exact", conns: specific, domain: "contoso.com", accepted: true, server: "EX01", wantName: "Exact", wantSpace: "SMTP:contoso.com;50", wantLocal: true},
		{name: "Specific_LongerWildcardBareDomain", conns: specific, domain: "sales.contoso.com", accepted: true, server: "EX01", wantName: "Sales", wantSpace: "SMTP:*.sales.contoso.com;30", wantLocal: true},
		{name: "Specific_LongerWildcard", conns: specific, domain: "eu.sales.contoso.com", server: "EX01", wantName: "Sales", wantSpace: "SMTP:*.sales.contoso.com;30", wantLocal: true},
		{name: "Specific_ShorterWildcard", conns: specific, domain: "marketing.contoso.com", accepted: true, server: "EX01", wantName: "Contoso", wantSpace: "SMTP:*.contoso.com;20", wantLocal: true},
		{name: "Specific_WildcardBeatsAccepted", conns: specific, domain: "fabrikam.org", accepted: true, server: "EX01", wantName: "Org", wantSpace: "SMTP:*.org;40", wantLocal: true},
		{name: "Specific_AcceptedBeatsAny", conns: specific, domain: "fabrikam.com", accepted: true, server: "EX01", wantName: "Accepted", wantSpace: "SMTP:--;10", wantLocal: true},
		{name: "Specific_Any", conns: specific, domain: "fabrikam.com", accepted: false, server: "EX01", wantName: "Internet", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "Specific_NotPrefixed", conns: specific, domain: "notcontoso.com", server: "EX01", wantName: "Internet", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "LowestCost", conns: []connector.Send{send("A", "*;10"), send("B", "*;5")}, domain: "contoso.com", server: "EX01", wantName: "B", wantSpace: "SMTP:*;5", wantLocal: true},
		{name: "LowestCostReversed", conns: []connector.Send{send("B", "*;5"), send("A", "*;10")}, domain: "contoso.com", server: "EX01", wantName: "B", wantSpace: "SMTP:*;5", wantLocal: true},
		{name: "LowestCostExact", conns: []connector.Send{send("A", "contoso.com;5"), send("B", "contoso.com;2")}, domain: "contoso.com", server: "EX01", wantName: "B", wantSpace: "SMTP:contoso.com;2", wantLocal: true},
		{name: "LowestCostWithinConnector", conns: []connector.Send{send("A", "*;10", "SMTP:*;3")}, domain: "contoso.com", server: "EX01", wantName: "A", wantSpace: "SMTP:*;3", wantLocal: true},
		{name: "CostBeatsLocal", conns: []connector.Send{from(send("A", "*;1"), "EX02"), from(send("B", "*;2"), "EX01")}, domain: "contoso.com", server: "EX01", wantName: "A", wantSpace: "SMTP:*;1", wantLocal: false},
		{name: "LocalBeatsName", conns: []connector.Send{from(send("A", "*;1"), "EX02"), from(send("B", "*;1"), "EX01")}, domain: "contoso.com", server: "EX01", wantName: "B", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "LocalBeatsNameReversed", conns: []connector.Send{from(send("B", "*;1"), "EX01"), from(send("A", "*;1"), "EX02")}, domain: "contoso.com", server: "EX01", wantName: "B", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "LocalCaseInsensitive", conns: []connector.Send{from(send("A", "*;1"), "EX02"), from(send("B", "*;1"), "EX01")}, domain: "contoso.com", server: "ex01", wantName: "B", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "LocalOtherServer", conns: []connector.Send{from(send("A", "*;1"), "EX02"), from(send("B", "*;1"), "EX01")}, domain: "contoso.com", server: "EX02", wantName: "A", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "NeitherLocalLowestName", conns: []connector.Send{from(send("B", "*;1"), "EX01"), from(send("A", "*;1"), "EX02")}, domain: "contoso.com", server: "EX03", wantName: "A", wantSpace: "SMTP:*;1", wantLocal: false},
		{name: "EmptySourceServersIsLocal", conns: []connector.Send{from(send("A", "*;1"), "EX02"), send("B", "*;1")}, domain: "contoso.com", server: "EX01", wantName: "B", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "LocalAmongSeveral", conns: []connector.Send{from(send("A", "*;1"), "EX02", "EX03"), from(send("B", "*;1"), "EX04", "EX01")}, domain: "contoso.com", server: "EX01", wantName: "B", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "LocalFlagFalse", conns: []connector.Send{from(send("A", "*"), "EX01")}, domain: "contoso.com", server: "EX02", wantName: "A", wantSpace: "SMTP:*;1", wantLocal: false},
		{name: "LocalFlagTrue", conns: []connector.Send{from(send("A", "*"), "EX01")}, domain: "contoso.com", server: "EX01", wantName: "A", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "LowestName", conns: []connector.Send{send("Beta", "*"), send("alpha", "*")}, domain: "contoso.com", server: "EX01", wantName: "alpha", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "LowestNameReversed", conns: []connector.Send{send("alpha", "*"), send("Beta", "*")}, domain: "contoso.com", server: "EX01", wantName: "alpha", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "LowestNameCaseOnly", conns: []connector.Send{send("to internet", "*"), send("To Internet", "*")}, domain: "contoso.com", server: "EX01", wantName: "To Internet", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "LowestNameCaseOnlyReversed", conns: []connector.Send{send("To Internet", "*"), send("to internet", "*")}, domain: "contoso.com", server: "EX01", wantName: "To Internet", wantSpace: "SMTP:*;1", wantLocal: true},
		{name: "DisabledIgnored", conns: []connector.Send{disabled(send("A", "contoso.com")), send("B", "*;100")}, domain: "contoso.com", server: "EX01", wantName: "B", wantSpace: "SMTP:*;100", wantLocal: true},
		{name: "DisabledCheaperIgnored", conns: []connector.Send{disabled(send("A", "*;1")), send("B", "*;100")}, domain: "contoso.com", server: "EX01", wantName: "B", wantSpace: "SMTP:*;100", wantLocal: true},
		{name: "DisabledOnlyNoMatch", conns: []connector.Send{disabled(send("A", "*"))}, domain: "contoso.com", server: "EX01"},
		{name: "NonSMTPIgnored", conns: []connector.Send{send("A", "X400:c=US;a= ;p=Contoso;1"), send("B", "*;100")}, domain: "contoso.com", server: "EX01", wantName: "B", wantSpace: "SMTP:*;100", wantLocal: true},
		{name: "NonSMTPOnlyNoMatch", conns: []connector.Send{send("A", "X400:c=US;a= ;p=Contoso;1")}, domain: "contoso.com", server: "EX01"},
		{name: "InvalidSpaceSkipped", conns: []connector.Send{send("A", "*contoso.com", "contoso.com;0", "contoso.com;7")}, domain: "contoso.com", server: "EX01", wantName: "A", wantSpace: "SMTP:contoso.com;7", wantLocal: true},
		{name: "NoMatch", conns: []connector.Send{send("A", "contoso.com"), send("B", "*.fabrikam.com")}, domain: "tailspintoys.com", server: "EX01"},
		{name: "AcceptedOnlyNotAccepted", conns: []connector.Send{send("A", "--")}, domain: "tailspintoys.com", accepted: false, server: "EX01"},
		{name: "Empty", conns: nil, domain: "contoso.com", server: "EX01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table := connector.NewSendTable(tt.conns)
			got, ok := table.Lookup(tt.domain, tt.accepted, tt.server)
			if tt.wantName == "" {
				if ok {
					t.Errorf("Lookup(%q, %v, %q) = %+v (%q), true, want no connector", tt.domain, tt.accepted, tt.server, got, tt.conns[got.Index].Name)
				}
				return
			}
			if !ok {
				t.Fatalf("Lookup(%q, %v, %q) = false, want %q", tt.domain, tt.accepted, tt.server, tt.wantName)
			}
			i := slices.IndexFunc(tt.conns, func(c connector.Send) bool { return c.Name == tt.wantName })
			require.GreaterOrEqual(t, i, 0, "no connector named %q", tt.wantName)
			space := mustAddressSpace(t, tt.wantSpace)
			want := connector.SendSelection{Index: i, Space: space, Text: tt.wantSpace, Local: tt.wantLocal, Cost: space.Cost}
			if !tt.wantLocal {
				want.Reach.Proximity = connector.SameSite
			}
			if diff := cmp.Diff(want, got, testopts.Cmp); diff != "" {
				t.Errorf("Lookup(%q, %v, %q) mismatch (-want +got):\n%s", tt.domain, tt.accepted, tt.server, diff)
			}
		})
	}
}

func TestInboundValidate(t *testing.T) {
	tests := []struct {
		name string
		c    connector.Inbound
		want []connector.Problem
	}{
		{
			name: "ValidPartner",
			c: connector.Inbound{
				Name: "From ContosoBank", ConnectorType: connector.Partner, SenderDomains: []string{"contosobank.com"},
				RequireTls: connector.True, TlsSenderCertificateName: "mail.contosobank.com", RestrictDomainsToCertificate: true,
			},
		},
		{
			name: "ValidPartnerByIP",
			c: connector.Inbound{
				Name: "From Fabrikam", ConnectorType: connector.Partner, SenderDomains: []string{"*.fabrikam.com", "fabrikam.net"},
				SenderIPAddresses: []string{"198.51.100.0/24", "203.0.113.7"}, RestrictDomainsToIPAddresses: true,
			},
		},
		{name: "ValidPartnerIPOnly", c: connector.Inbound{Name: "From Appliance", ConnectorType: connector.Partner, SenderIPAddresses: []string{"203.0.113.7"}}},
		{name: "ValidPartnerCertificateOnly", c: connector.Inbound{Name: "From Appliance", ConnectorType: connector.Partner, TlsSenderCertificateName: "*.adatum.com"}},
		{
			name: "ValidOnPremisesByIP",
			c: connector.Inbound{
				Name: "From printers", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"},
				SenderIPAddresses: []string{"192.0.2.0/24"}, TreatMessagesAsInternal: true,
			},
		},
		{
			name: "ValidHybrid",
			c: connector.Inbound{
				Name: "Inbound from contoso", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"},
				RequireTls: connector.True, TlsSenderCertificateName: "mail.contoso.com", CloudServicesMailEnabled: true,
				ConnectorSource: connector.SourceHybridWizard, Enabled: connector.True,
			},
		},
		{
			name: "ValidPunycodeCertificateName",
			c:    connector.Inbound{Name: "From Bücher", ConnectorType: connector.Partner, TlsSenderCertificateName: "mail.xn--bcher-kva.de"},
		},
		{
			name: "EmptyName",
			c:    connector.Inbound{Name: " \t", ConnectorType: connector.Partner, SenderDomains: []string{"*"}},
			want: []connector.Problem{{Field: "Name", Message: "is empty"}},
		},
		{
			name: "BadConnectorType",
			c:    connector.Inbound{Name: "From Fabrikam", ConnectorType: "Internal", SenderDomains: []string{"fabrikam.com"}},
			want: []connector.Problem{{Field: "ConnectorType", Message: `"Internal" is not OnPremises or Partner`}},
		},
		{
			name: "BadSenderDomains",
			c: connector.Inbound{
				Name: "From Fabrikam", ConnectorType: connector.Partner,
				SenderDomains: []string{"fabrikam.com", "*fabrikam.com", "--", "a.*.fabrikam.com", "fabrikam"},
			},
			want: []connector.Problem{
				{Field: "SenderDomains[1]", Message: `ParsePattern("*fabrikam.com"): a wildcard is allowed only as the whole first label (*.contoso.com)`},
				{Field: "SenderDomains[2]", Message: `"--" is allowed only in Send connector address spaces`},
				{Field: "SenderDomains[3]", Message: `ParsePattern("a.*.fabrikam.com"): a wildcard is allowed only as the whole first label (*.contoso.com)`},
				{Field: "SenderDomains[4]", Message: `ParsePattern("fabrikam"): domain needs at least two labels`},
			},
		},
		{
			name: "BadSenderIPAddresses",
			c: connector.Inbound{
				Name: "From Fabrikam", ConnectorType: connector.Partner,
				SenderIPAddresses: []string{"198.51.100.7", "10.0.0.0/8", "2001:db8::1", "mail.fabrikam.com"},
			},
			want: []connector.Problem{
				{Field: "SenderIPAddresses[1]", Message: `"10.0.0.0/8": ranges wider than /24 are not accepted`},
				{Field: "SenderIPAddresses[2]", Message: `"2001:db8::1": IPv6 is not supported in SenderIPAddresses`},
				{Field: "SenderIPAddresses[3]", Message: `"mail.fabrikam.com" is not an IPv4 address or CIDR`},
			},
		},
		{
			name: "CertificateNameAny",
			c:    connector.Inbound{Name: "From Fabrikam", ConnectorType: connector.Partner, TlsSenderCertificateName: "*"},
			want: []connector.Problem{{Field: "TlsSenderCertificateName", Message: `"*" is not a domain or *.domain`}},
		},
		{
			name: "CertificateNameAccepted",
			c:    connector.Inbound{Name: "From Fabrikam", ConnectorType: connector.Partner, TlsSenderCertificateName: "--"},
			want: []connector.Problem{{Field: "TlsSenderCertificateName", Message: `"--" is not a domain or *.domain`}},
		},
		{
			name: "CertificateNameOneLabel",
			c:    connector.Inbound{Name: "From Fabrikam", ConnectorType: connector.OnPremises, TlsSenderCertificateName: "fabrikam"},
			want: []connector.Problem{{Field: "TlsSenderCertificateName", Message: `"fabrikam" is not a domain or *.domain`}},
		},
		{
			name: "CertificateNameEmbeddedWildcard",
			c:    connector.Inbound{Name: "From Fabrikam", ConnectorType: connector.Partner, TlsSenderCertificateName: "mail*.fabrikam.com"},
			want: []connector.Problem{{Field: "TlsSenderCertificateName", Message: `"mail*.fabrikam.com" is not a domain or *.domain`}},
		},
		{
			name: "PartnerWithoutIdentity",
			c:    connector.Inbound{Name: "From Fabrikam", ConnectorType: connector.Partner},
			want: []connector.Problem{{Field: "SenderDomains", Message: "a Partner connector needs SenderDomains, SenderIPAddresses or TlsSenderCertificateName"}},
		},
		{
			name: "OnPremisesWithoutIdentity",
			c:    connector.Inbound{Name: "From on-premises", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"}},
			want: []connector.Problem{{Field: "SenderIPAddresses", Message: "an OnPremises connector identifies its servers by SenderIPAddresses or TlsSenderCertificateName; neither is set"}},
		},
		{
			name: "RestrictToIPWithoutIP",
			c:    connector.Inbound{Name: "From Fabrikam", ConnectorType: connector.Partner, SenderDomains: []string{"fabrikam.com"}, RestrictDomainsToIPAddresses: true},
			want: []connector.Problem{{Field: "RestrictDomainsToIPAddresses", Message: "is $true but SenderIPAddresses is empty"}},
		},
		{
			name: "RestrictToCertificateWithoutCertificate",
			c:    connector.Inbound{Name: "From Fabrikam", ConnectorType: connector.Partner, SenderDomains: []string{"fabrikam.com"}, RestrictDomainsToCertificate: true},
			want: []connector.Problem{{Field: "RestrictDomainsToCertificate", Message: "is $true but TlsSenderCertificateName is empty"}},
		},
		{
			name: "TreatAsInternalOnPartner",
			c:    connector.Inbound{Name: "From Fabrikam", ConnectorType: connector.Partner, SenderDomains: []string{"fabrikam.com"}, TreatMessagesAsInternal: true},
			want: []connector.Problem{{Field: "TreatMessagesAsInternal", Message: "is allowed on OnPremises connectors only"}},
		},
		{
			name: "ZeroValueWithFlags",
			c:    connector.Inbound{RestrictDomainsToIPAddresses: true, RestrictDomainsToCertificate: true, TreatMessagesAsInternal: true},
			want: []connector.Problem{
				{Field: "Name", Message: "is empty"},
				{Field: "ConnectorType", Message: `"" is not OnPremises or Partner`},
				{Field: "RestrictDomainsToIPAddresses", Message: "is $true but SenderIPAddresses is empty"},
				{Field: "RestrictDomainsToCertificate", Message: "is $true but TlsSenderCertificateName is empty"},
				{Field: "TreatMessagesAsInternal", Message: "is allowed on OnPremises connectors only"},
			},
		},
		{
			name: "FieldOrder",
			c: connector.Inbound{
				ConnectorType: connector.OnPremises, SenderDomains: []string{"--"}, SenderIPAddresses: []string{"192.0.2.0/16"},
				TlsSenderCertificateName: "*",
			},
			want: []connector.Problem{
				{Field: "Name", Message: "is empty"},
				{Field: "SenderDomains[0]", Message: `"--" is allowed only in Send connector address spaces`},
				{Field: "SenderIPAddresses[0]", Message: `"192.0.2.0/16": ranges wider than /24 are not accepted`},
				{Field: "TlsSenderCertificateName", Message: `"*" is not a domain or *.domain`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.c.Validate(), testopts.Cmp); diff != "" {
				t.Errorf("Inbound{Name: %q}.Validate() mismatch (-want +got):\n%s", tt.c.Name, diff)
			}
		})
	}
}

func TestOutboundValidate(t *testing.T) {
	tests := []struct {
		name string
		c    connector.Outbound
		want []connector.Problem
	}{
		{
			name: "ValidPartner",
			c: connector.Outbound{
				Name: "To ContosoBank", ConnectorType: connector.Partner, RecipientDomains: []string{"contosobank.com"},
				UseMXRecord: connector.True, TlsSettings: connector.TlsDomainValidation, TlsDomain: "mail.contosobank.com",
			},
		},
		{
			name: "ValidHybridCMT",
			c: connector.Outbound{
				Name: "Outbound to contoso", ConnectorType: connector.OnPremises, RecipientDomains: []string{"contoso.com", "*.contoso.com"},
				UseMXRecord: connector.False, SmartHosts: []string{"mail.contoso.com", "192.0.2.25", "192.0.2.0/28", "2001:db8::25"},
				TlsSettings: connector.TlsDomainValidation, TlsDomain: "mail.contoso.com", RouteAllMessagesViaOnPremises: true,
				CloudServicesMailEnabled: true, ConnectorSource: connector.SourceHybridWizard, Enabled: connector.True,
			},
		},
		{
			name: "ValidAllAcceptedDomains",
			c: connector.Outbound{
				Name: "To on-premises", ConnectorType: connector.OnPremises, AllAcceptedDomains: true,
				UseMXRecord: connector.False, SmartHosts: []string{"mail.contoso.com"}, TlsSettings: connector.TlsCertificateValidation,
			},
		},
		{name: "ValidAny", c: connector.Outbound{Name: "To the Internet", ConnectorType: connector.Partner, RecipientDomains: []string{"*"}, TlsSettings: connector.TlsEncryptionOnly}},
		{
			name: "EmptyName",
			c:    connector.Outbound{ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"}},
			want: []connector.Problem{{Field: "Name", Message: "is empty"}},
		},
		{
			name: "BadConnectorType",
			c:    connector.Outbound{Name: "To Fabrikam", ConnectorType: "partner", RecipientDomains: []string{"fabrikam.com"}},
			want: []connector.Problem{{Field: "ConnectorType", Message: `"partner" is not OnPremises or Partner`}},
		},
		{
			name: "BadRecipientDomains",
			c: connector.Outbound{
				Name: "To Fabrikam", ConnectorType: connector.Partner,
				RecipientDomains: []string{"*fabrikam.com", "fabrikam.com", "--", ""},
			},
			want: []connector.Problem{
				{Field: "RecipientDomains[0]", Message: `ParsePattern("*fabrikam.com"): a wildcard is allowed only as the whole first label (*.contoso.com)`},
				{Field: "RecipientDomains[2]", Message: `"--" is allowed only in Send connector address spaces`},
				{Field: "RecipientDomains[3]", Message: `ParsePattern(""): empty`},
			},
		},
		{
			name: "AllAcceptedDomainsOnPartner",
			c:    connector.Outbound{Name: "To Fabrikam", ConnectorType: connector.Partner, AllAcceptedDomains: true},
			want: []connector.Problem{{Field: "AllAcceptedDomains", Message: "is allowed on OnPremises connectors only"}},
		},
		{
			name: "NoSmartHost",
			c:    connector.Outbound{Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"}, UseMXRecord: connector.False},
			want: []connector.Problem{{Field: "SmartHosts", Message: "UseMXRecord is $false but no smart host is given"}},
		},
		{
			name: "BadSmartHosts",
			c: connector.Outbound{
				Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"}, UseMXRecord: connector.False,
				SmartHosts: []string{"mail", "mail.fabrikam.com", "[192.0.2.1]", "mail..fabrikam.com", "192.0.2.0/33"},
			},
			want: []connector.Problem{
				{Field: "SmartHosts[0]", Message: `"mail" is not a host name or IP address`},
				{Field: "SmartHosts[2]", Message: `"[192.0.2.1]" is not a host name or IP address`},
				{Field: "SmartHosts[3]", Message: `"mail..fabrikam.com" is not a host name or IP address`},
				{Field: "SmartHosts[4]", Message: `"192.0.2.0/33" is not a host name or IP address`},
			},
		},
		{
			name: "BadTlsSettings",
			c:    connector.Outbound{Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"}, TlsSettings: "Opportunistic"},
			want: []connector.Problem{{Field: "TlsSettings", Message: `"Opportunistic" is not EncryptionOnly, CertificateValidation, DomainValidation or $null`}},
		},
		{
			name: "TlsDomainWithoutDomainValidation",
			c: connector.Outbound{
				Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"},
				TlsSettings: connector.TlsCertificateValidation, TlsDomain: "mail.fabrikam.com",
			},
			want: []connector.Problem{{Field: "TlsDomain", Message: "is used only with TlsSettings DomainValidation"}},
		},
		{
			name: "TlsDomainOpportunistic",
			c:    connector.Outbound{Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"}, TlsDomain: "mail.fabrikam.com"},
			want: []connector.Problem{{Field: "TlsDomain", Message: "is used only with TlsSettings DomainValidation"}},
		},
		{
			name: "CMTOnPartner",
			c: connector.Outbound{
				Name: "To Fabrikam", ConnectorType: connector.Partner, RecipientDomains: []string{"*"}, RouteAllMessagesViaOnPremises: true,
			},
			want: []connector.Problem{{Field: "RouteAllMessagesViaOnPremises", Message: "is allowed on OnPremises connectors only"}},
		},
		{
			name: "CMTWithAllAcceptedDomains",
			c: connector.Outbound{
				Name: "Outbound to contoso", ConnectorType: connector.OnPremises, AllAcceptedDomains: true,
				UseMXRecord: connector.False, SmartHosts: []string{"mail.contoso.com"}, RouteAllMessagesViaOnPremises: true,
			},
			// A loop, but valid: analysis.Check reports it.
		},
		{
			name: "CMTPartnerAllAccepted",
			c:    connector.Outbound{Name: "X", ConnectorType: connector.Partner, AllAcceptedDomains: true, RouteAllMessagesViaOnPremises: true},
			want: []connector.Problem{
				{Field: "AllAcceptedDomains", Message: "is allowed on OnPremises connectors only"},
				{Field: "RouteAllMessagesViaOnPremises", Message: "is allowed on OnPremises connectors only"},
			},
		},
		{
			name: "FieldOrder",
			c: connector.Outbound{
				RecipientDomains: []string{"--"}, UseMXRecord: connector.False, TlsSettings: "Strict", TlsDomain: "mail.fabrikam.com",
			},
			want: []connector.Problem{
				{Field: "Name", Message: "is empty"},
				{Field: "ConnectorType", Message: `"" is not OnPremises or Partner`},
				{Field: "RecipientDomains[0]", Message: `"--" is allowed only in Send connector address spaces`},
				{Field: "SmartHosts", Message: "UseMXRecord is $false but no smart host is given"},
				{Field: "TlsSettings", Message: `"Strict" is not EncryptionOnly, CertificateValidation, DomainValidation or $null`},
				{Field: "TlsDomain", Message: "is used only with TlsSettings DomainValidation"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.c.Validate(), testopts.Cmp); diff != "" {
				t.Errorf("Outbound{Name: %q}.Validate() mismatch (-want +got):\n%s", tt.c.Name, diff)
			}
		})
	}
}

func TestSendValidate(t *testing.T) {
	tests := []struct {
		name string
		c    connector.Send
		want []connector.Problem
	}{
		{name: "ValidInternet", c: connector.Send{Name: "To Internet", AddressSpaces: []string{"SMTP:*;1"}}},
		{
			name: "ValidSmartHost",
			c: connector.Send{
				Name: "To EOP", AddressSpaces: []string{"*"}, DNSRoutingEnabled: connector.False,
				SmartHosts: []string{"contoso-com.mail.protection.outlook.com", "192.0.2.25"}, RequireTLS: true,
				TlsAuthLevel: "CertificateValidation", Fqdn: "mail.contoso.com", CloudServicesMailEnabled: true,
			},
		},
		{
			name: "ValidHybrid",
			c: connector.Send{
				Name: "Outbound to Office 365", AddressSpaces: []string{"smtp:contoso.mail.onmicrosoft.com;1"},
				DNSRoutingEnabled: connector.True, RequireTLS: true, TlsAuthLevel: "DomainValidation",
				TlsDomain: "mail.protection.outlook.com", TlsCertificateName: "<I>CN=CA<S>CN=mail.contoso.com",
				Fqdn: "mail.contoso.com", CloudServicesMailEnabled: true, SourceTransportServers: []string{"EX01"},
			},
		},
		{
			name: "ValidEdgeSync",
			c: connector.Send{
				Name: "EdgeSync - Inbound to Default-First-Site-Name", AddressSpaces: []string{"SMTP:--;1"},
				DNSRoutingEnabled: connector.False, SmartHosts: []string{"ex01.contoso.com"},
			},
		},
		{
			name: "ValidSeveralSpaces",
			c:    connector.Send{Name: "To partners", AddressSpaces: []string{"fabrikam.com;5", "*.tailspintoys.com;10"}},
		},
		{
			name: "ValidX400WithSmartHost",
			c: connector.Send{Name: "To X.400", AddressSpaces: []string{"X400:c=US;a= ;p=Contoso;10", "X400:c=US;a= ;p=Fabrikam"},
				DNSRoutingEnabled: connector.False, SmartHosts: []string{"gateway.contoso.com"}},
		},
		{
			// "New-SendConnector": non-SMTP address spaces need SmartHosts and
			// DNSRoutingEnabled $false.
			name: "X400ByDNS",
			c:    connector.Send{Name: "To X.400", AddressSpaces: []string{"smtp:*", "X400:c=US;a= ;p=Contoso;10"}},
			want: []connector.Problem{{Field: "AddressSpaces[1]", Message: `"X400:c=US;a= ;p=Contoso;10" is a X400 address space: it needs SmartHosts and DNSRoutingEnabled $false`}},
		},
		{
			// "Edge Subscriptions": EdgeSync's connectors send to "--", the
			// Mailbox servers of the subscribed site.
			// Alone, it is valid here; Build checks the connector is sourced
			// on subscribed Edge servers.
			name: "EdgeSyncSmartHost",
			c: connector.Send{
				Name: "EdgeSync - Inbound to Default-First-Site-Name", AddressSpaces: []string{"--"},
				DNSRoutingEnabled: connector.False, SmartHosts: []string{"--"},
			},
		},
		{
			name: "EdgeSyncSmartHostNotAlone",
			c: connector.Send{
				Name: "EdgeSync - Inbound to Default-First-Site-Name", AddressSpaces: []string{"--"},
				DNSRoutingEnabled: connector.False, SmartHosts: []string{"--", "ex01.contoso.com"},
			},
			want: []connector.Problem{{Field: "SmartHosts[0]", Message: `"--" stands for the Mailbox servers of the site an Edge Transport server is subscribed to and is the only smart host of its connector`}},
		},
		{
			name: "EmptyName",
			c:    connector.Send{Name: "", AddressSpaces: []string{"*"}},
			want: []connector.Problem{{Field: "Name", Message: "is empty"}},
		},
		{
			name: "NoAddressSpaces",
			c:    connector.Send{Name: "To Internet"},
			want: []connector.Problem{{Field: "AddressSpaces", Message: "is empty"}},
		},
		{
			name: "BadAddressSpaces",
			c:    connector.Send{Name: "To Internet", AddressSpaces: []string{"*", "SMTP:*contoso.com;1", "contoso.com;0", ":contoso.com"}},
			want: []connector.Problem{
				{Field: "AddressSpaces[1]", Message: `address space "SMTP:*contoso.com;1": ParsePattern("*contoso.com"): a wildcard is allowed only as the whole first label (*.contoso.com)`},
				{Field: "AddressSpaces[2]", Message: `address space "contoso.com;0": cost "0" is not a number from 1 to 100`},
				{Field: "AddressSpaces[3]", Message: `address space ":contoso.com": empty type`},
			},
		},
		{
			name: "NoSmartHost",
			c:    connector.Send{Name: "To EOP", AddressSpaces: []string{"*"}, DNSRoutingEnabled: connector.False},
			want: []connector.Problem{{Field: "SmartHosts", Message: "DNSRoutingEnabled is $false but no smart host is given"}},
		},
		{
			name: "SmartHostWithDNSUnset",
			c:    connector.Send{Name: "To EOP", AddressSpaces: []string{"*"}, SmartHosts: []string{"contoso-com.mail.protection.outlook.com"}},
			want: []connector.Problem{{Field: "SmartHosts", Message: "smart hosts need DNSRoutingEnabled $false"}},
		},
		{
			name: "SmartHostWithDNSTrue",
			c:    connector.Send{Name: "To EOP", AddressSpaces: []string{"*"}, DNSRoutingEnabled: connector.True, SmartHosts: []string{"192.0.2.25"}},
			want: []connector.Problem{{Field: "SmartHosts", Message: "smart hosts need DNSRoutingEnabled $false"}},
		},
		{
			name: "BadSmartHosts",
			c: connector.Send{
				Name: "To EOP", AddressSpaces: []string{"*"}, DNSRoutingEnabled: connector.False,
				SmartHosts: []string{"relay.contoso.net", "relay", "--"},
			},
			want: []connector.Problem{
				{Field: "SmartHosts[1]", Message: `"relay" is not a host name or IP address`},
				{Field: "SmartHosts[2]", Message: `"--" stands for the Mailbox servers of the site an Edge Transport server is subscribed to and is the only smart host of its connector`},
			},
		},
		{
			name: "BadTlsAuthLevel",
			c:    connector.Send{Name: "To Internet", AddressSpaces: []string{"*"}, RequireTLS: true, TlsAuthLevel: "Opportunistic"},
			want: []connector.Problem{{Field: "TlsAuthLevel", Message: `"Opportunistic" is not EncryptionOnly, CertificateValidation or DomainValidation`}},
		},
		{
			name: "TlsAuthLevelWithoutRequireTLS",
			c:    connector.Send{Name: "To Internet", AddressSpaces: []string{"*"}, TlsAuthLevel: "DomainValidation"},
			want: []connector.Problem{{Field: "TlsAuthLevel", Message: "needs RequireTLS $true"}},
		},
		{
			name: "BadTlsAuthLevelWithoutRequireTLS",
			c:    connector.Send{Name: "To Internet", AddressSpaces: []string{"*"}, TlsAuthLevel: "domainvalidation"},
			want: []connector.Problem{
				{Field: "TlsAuthLevel", Message: `"domainvalidation" is not EncryptionOnly, CertificateValidation or DomainValidation`},
				{Field: "TlsAuthLevel", Message: "needs RequireTLS $true"},
			},
		},
		{
			name: "FieldOrder",
			c: connector.Send{
				AddressSpaces: []string{"a.*.com"}, DNSRoutingEnabled: connector.False, TlsAuthLevel: "EncryptionOnly",
			},
			want: []connector.Problem{
				{Field: "Name", Message: "is empty"},
				{Field: "AddressSpaces[0]", Message: `address space "a.*.com": ParsePattern("a.*.com"): a wildcard is allowed only as the whole first label (*.contoso.com)`},
				{Field: "SmartHosts", Message: "DNSRoutingEnabled is $false but no smart host is given"},
				{Field: "TlsAuthLevel", Message: "needs RequireTLS $true"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.c.Validate(), testopts.Cmp); diff != "" {
				t.Errorf("Send{Name: %q}.Validate() mismatch (-want +got):\n%s", tt.c.Name, diff)
			}
		})
	}
}

func TestProblemError(t *testing.T) {
	e := connector.Problem{Field: "RecipientDomains[1]", Message: `"--" is allowed only in Send connector address spaces`}
	if got, want := e.Error(), `RecipientDomains[1]: "--" is allowed only in Send connector address spaces`; got != want {
		t.Errorf("Problem.Error() = %q, want %q", got, want)
	}
}
