package analysis_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// openRelaySpec is Contoso with a host outside sending all its mail to
// mail.contoso.com, and EX01 relaying for it when relay is true.
func openRelaySpec(relay bool) topology.Spec {
	spec := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
	spec.External = append(spec.External, topology.ExternalSpec{Name: "bulk", Domains: []string{"bulk.example"}, Hosts: []string{"out.bulk.example"},
		IPAddress: "192.0.2.25", SmartHost: "mail.contoso.com"})
	if relay {
		spec.OnPremises[0].ReceiveConnectors = append(spec.OnPremises[0].ReceiveConnectors,
			connector.Receive{Name: "Default Frontend EX01", Server: "EX01", TransportRole: "FrontendTransport", Bindings: []string{"0.0.0.0:25"},
				RemoteIPRanges: []string{"0.0.0.0-255.255.255.255"}, PermissionGroups: []string{"AnonymousUsers", "ExchangeServers"}},
			connector.Receive{Name: "Relay", Server: "EX01", TransportRole: "FrontendTransport", Bindings: []string{"0.0.0.0:25"},
				RemoteIPRanges: []string{"192.0.2.0/24"}, PermissionGroups: []string{"AnonymousUsers"}, AnonymousRelay: true})
	}
	return spec
}

// unusedRuleSpec is the conditional routing organization with a rule for
// a recipient no flow class writes to.
func unusedRuleSpec(extra bool) topology.Spec {
	spec := scenario.ConditionalRoutingSpec("Enforce")
	if extra {
		spec.Tenants[0].TransportRules = append(spec.Tenants[0].TransportRules, topology.TransportRule{Name: "Legal hold copy", Priority: 1,
			Conditions: topology.Predicates{SentTo: []string{"legal@contoso.com"}}, BlindCopyTo: []string{"ben@contoso.com"}})
	}
	return spec
}

func variant(t *testing.T, name string, i int) *topology.Topology {
	t.Helper()
	s, ok := scenario.Lookup(name)
	require.True(t, ok, name)
	return s.Variants[i].Topology
}

// TestAnalyze: each rule has a topology that triggers it, with the
// objects it names, and one that does not.
func TestAnalyze(t *testing.T) {
	build := func(spec topology.Spec) *topology.Topology {
		topo, err := topology.Build(spec)
		require.NoError(t, err)
		return topo
	}
	tests := []struct {
		rule         analysis.Rule
		trigger, not *topology.Topology
		objects      []string
	}{
		// Without connectors, John's mail loops between EOP and Exchange
		// Online (Set up connectors to route mail between Microsoft 365 and your
		// own email servers: the John/Bob/Sun example).
		{analysis.RuleMailLoop, variant(t, "eop-standalone", 1), variant(t, "contoso-hybrid", 0), []string{`Tenants["contoso"]`}},
		// Direct send refused by RejectDirectSend.
		{analysis.RuleUndeliverable, variant(t, "devices", 1), variant(t, "devices", 0), []string{`Tenants["contoso"]`}},
		// Listed order: Connector 3 (*.contoso.com) never wins.
		{analysis.RuleUnusedConnector, variant(t, "connector-selection", 1), variant(t, "connector-selection", 0), []string{`Tenants["contoso"].OutboundConnectors["Connector 3"]`}},
		{analysis.RuleUnusedRule, build(unusedRuleSpec(true)), build(unusedRuleSpec(false)), []string{`Tenants["contoso"].TransportRules["Legal hold copy"]`}},
		// The partner does not offer TLS; "To ContosoBank" requires it.
		{analysis.RuleTLSNotMet, variant(t, "partner-tls", 1), variant(t, "partner-tls", 0), []string{`Tenants["contoso"].OutboundConnectors["To ContosoBank"]`}},
		{analysis.RuleRelaysInternetMail, build(openRelaySpec(true)), build(openRelaySpec(false)), []string{`OnPremises["contoso"]`}},
		// MX on-premises without Enhanced Filtering, and the IP Allow List.
		{analysis.RuleInternetMailSkipsAntiSpam, variant(t, "safe-list", 0), variant(t, "safe-list", 1), []string{`Tenants["contoso"]`}},
	}
	for _, tt := range tests {
		t.Run(tt.rule.String(), func(t *testing.T) {
			var objects [][]string
			for _, f := range must(analysis.Analyze(tt.trigger)) {
				if f.Rule == tt.rule {
					objects = append(objects, f.Objects)
					require.NotEmpty(t, f.Message)
					require.NotEmpty(t, f.Source)
				}
			}
			if !slices.ContainsFunc(objects, func(o []string) bool { return slices.Equal(o, tt.objects) }) {
				t.Errorf("no %s finding on %q; findings on %q", tt.rule, tt.objects, objects)
			}
			for _, f := range must(analysis.Analyze(tt.not)) {
				if f.Rule == tt.rule {
					t.Errorf("unexpected finding on the topology that should not trigger it: %s %q %s", f.Rule, f.Objects, f.Message)
				}
			}
		})
	}
}

// TestUnusedSendConnectorSaysWhy: an unused Send connector of an
// organization whose servers send no flow class's mail (it has no
// mailbox) is reported as such, not as beaten by another connector
// ("Send connectors": a Send connector is used only for mail its servers
// route out).
func TestUnusedSendConnectorSaysWhy(t *testing.T) {
	spec := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
	spec.OnPremises[0].Recipients = nil
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	var unused []analysis.Finding
	for _, f := range must(analysis.Analyze(topo)) {
		if f.Rule == analysis.RuleUnusedConnector && strings.Contains(f.Objects[0], "SendConnectors") {
			unused = append(unused, f)
		}
	}
	require.NotEmpty(t, unused, "no unused Send connector reported")
	for _, f := range unused {
		if !strings.Contains(f.Message, "no flow class's mail leaves the organization's servers") || strings.Contains(f.Message, "wins") {
			t.Errorf("%v: %s", f.Objects, f.Message)
		}
	}
}

// TestNoFindingNamesAnEmptyObject runs Check and Analyze on every
// built-in topology: every finding names objects, none empty.
func TestNoFindingNamesAnEmptyObject(t *testing.T) {
	for _, s := range scenario.Builtin() {
		for _, v := range s.Variants {
			fs := append(must(analysis.Check(v.Topology)), must(analysis.Analyze(v.Topology))...)
			for _, f := range fs {
				if len(f.Objects) == 0 || slices.Contains(f.Objects, "") {
					t.Errorf("%s %v: %s names objects %q", s.Name, v.Settings, f.Rule, f.Objects)
				}
			}
		}
	}
}
