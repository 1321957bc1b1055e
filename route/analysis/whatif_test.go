package analysis_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/scenario"
)

// diffRow is a difference as the tests state it: the class, what differs,
// and the first recipient's path in each topology.
type diffRow struct {
	Class   string
	Aspects []analysis.Aspect
	A, B    string
}

func diffRows(ds []analysis.Difference) []diffRow {
	rows := make([]diffRow, len(ds))
	for i, d := range ds {
		rows[i] = diffRow{Class: d.Class.Key(), Aspects: d.Aspects}
		if d.A != nil {
			rows[i].A = nodes(d.A.Recipients[0])
		}
		if d.B != nil {
			rows[i].B = nodes(d.B.Recipients[0])
		}
	}
	return rows
}

func nodes(r route.Recipient) string {
	var s []string
	for _, h := range r.Hops {
		s = append(s, h.Node.String())
	}
	return strings.Join(s, " > ") + " => " + r.Disposition.String()
}

// TestDiffHybrid: the MX cutover and the centralized-transport toggle of
// the Contoso hybrid organization change exactly the flows the paths of
// "Transport routing in Exchange hybrid deployments" imply, and nothing
// else. Moving MX from on-premises to EOP changes mail from outside to
// contoso.com only (both mailbox locations and unknown recipients, now
// refused by DBEB at EOP rather than by the on-premises categorizer);
// internal and outbound mail do not use contoso.com's MX. Turning
// centralized transport on (MX at EOP) sends Internet mail for the tenant
// on-premises first, and Exchange Online's mail to the Internet out
// through on-premises; mail between the two locations, and unknown
// recipients (refused by DBEB before routing), stay as they were.
func TestDiffHybrid(t *testing.T) {
	changed := []analysis.Aspect{analysis.AspectPath, analysis.AspectConnector, analysis.AspectFiltering, analysis.AspectAttribution, analysis.AspectTLS}
	refused := []analysis.Aspect{analysis.AspectStatus, analysis.AspectPath, analysis.AspectConnector, analysis.AspectFiltering}
	const (
		julieViaEOP = "eop:contoso > exo:contoso > eop:contoso > onprem:contoso/EX01 > onprem:contoso/EX02 => Delivered"
		julieDirect = "onprem:contoso/EX01 > onprem:contoso/EX02 => Delivered"
	)
	tests := []struct {
		name string
		a, b scenario.ContosoSettings
		want []diffRow
	}{
		{"MXCutover", scenario.ContosoSettings{MX: scenario.MXToOnPremises}, scenario.ContosoSettings{MX: scenario.MXToEOP}, []diffRow{
			{"Internet -> contoso.com mailbox exo:contoso", changed, "internet > onprem:contoso/EX01 > eop:contoso > exo:contoso => Delivered", "internet > eop:contoso > exo:contoso => Delivered"},
			{"Internet -> contoso.com mailbox onprem:contoso/EX02", changed, "internet > " + julieDirect, "internet > " + julieViaEOP},
			{"Internet -> contoso.com unknown", refused, "internet > onprem:contoso/EX01 => Rejected", "internet > eop:contoso => Rejected"},
			{"ext:cpandl -> contoso.com mailbox exo:contoso", changed, "ext:cpandl > onprem:contoso/EX01 > eop:contoso > exo:contoso => Delivered", "ext:cpandl > eop:contoso > exo:contoso => Delivered"},
			{"ext:cpandl -> contoso.com mailbox onprem:contoso/EX02", changed, "ext:cpandl > " + julieDirect, "ext:cpandl > " + julieViaEOP},
			{"ext:cpandl -> contoso.com unknown", refused, "ext:cpandl > onprem:contoso/EX01 => Rejected", "ext:cpandl > eop:contoso => Rejected"},
		}},
		{"CentralizedTransport", scenario.ContosoSettings{MX: scenario.MXToEOP}, scenario.ContosoSettings{MX: scenario.MXToEOP, CentralizedTransport: true}, []diffRow{
			{"Internet -> contoso.com mailbox exo:contoso", changed, "internet > eop:contoso > exo:contoso => Delivered", "internet > eop:contoso > onprem:contoso/EX01 > eop:contoso > exo:contoso => Delivered"},
			{"Internet -> contoso.com mailbox onprem:contoso/EX02", changed, "internet > " + julieViaEOP, "internet > eop:contoso > " + julieDirect},
			{"ext:cpandl -> contoso.com mailbox exo:contoso", changed, "ext:cpandl > eop:contoso > exo:contoso => Delivered", "ext:cpandl > eop:contoso > onprem:contoso/EX01 > eop:contoso > exo:contoso => Delivered"},
			{"ext:cpandl -> contoso.com mailbox onprem:contoso/EX02", changed, "ext:cpandl > " + julieViaEOP, "ext:cpandl > eop:contoso > " + julieDirect},
			{"mailbox exo:contoso -> external cpandl.com", changed, "exo:contoso > eop:contoso > ext:cpandl => Relayed", "exo:contoso > eop:contoso > onprem:contoso/EX01 > ext:cpandl => Relayed"},
			{"mailbox exo:contoso -> Internet", changed, "exo:contoso > eop:contoso > internet => Relayed", "exo:contoso > eop:contoso > onprem:contoso/EX01 > internet => Relayed"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diffRows(must(analysis.Diff(scenario.Contoso(tt.a), scenario.Contoso(tt.b))))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Diff mismatch (-want +got):\n%s", diff)
			}
			if back := must(analysis.Diff(scenario.Contoso(tt.b), scenario.Contoso(tt.a))); len(back) != len(tt.want) {
				t.Errorf("Diff(b, a) has %d differences, want %d", len(back), len(tt.want))
			}
			if same := must(analysis.Diff(scenario.Contoso(tt.a), scenario.Contoso(tt.a))); len(same) != 0 {
				t.Errorf("Diff(a, a) = %d differences, want none", len(same))
			}
		})
	}
}

// TestFlowClasses: the classes of the Contoso organization, in the
// documented order, with their representative messages.
func TestFlowClasses(t *testing.T) {
	classes := must(analysis.FlowClasses(scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})))
	var senders, rcpts []string
	for _, c := range classes {
		if len(senders) == 0 || senders[len(senders)-1] != c.Sender {
			senders = append(senders, c.Sender)
		}
		if c.Sender == "Internet" {
			rcpts = append(rcpts, c.Recipient+" "+c.Message.To[0])
		}
	}
	wantSenders := []string{"Internet", "ext:cpandl", "mailbox exo:contoso", "mailbox onprem:contoso/EX02"}
	wantRcpts := []string{
		"contoso.com mailbox exo:contoso adele@contoso.com",
		"contoso.com mailbox onprem:contoso/EX02 julie@contoso.com",
		"contoso.com unknown unknown-recipient@contoso.com",
		"contoso.mail.onmicrosoft.com unknown unknown-recipient@contoso.mail.onmicrosoft.com",
		"contoso.onmicrosoft.com unknown unknown-recipient@contoso.onmicrosoft.com",
		"external cpandl.com someone@cpandl.com",
		"Internet someone@internet-recipient.example",
	}
	if diff := cmp.Diff(wantSenders, senders); diff != "" {
		t.Errorf("senders (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantRcpts, rcpts); diff != "" {
		t.Errorf("recipient classes (-want +got):\n%s", diff)
	}
	kinds := map[string][2]analysis.FlowKind{}
	for _, c := range classes {
		kinds[c.Key()] = [2]analysis.FlowKind{c.SenderKind, c.RecipientKind}
	}
	for key, want := range map[string][2]analysis.FlowKind{
		"Internet -> contoso.com mailbox exo:contoso":        {analysis.FlowInternet, analysis.FlowMailbox},
		"ext:cpandl -> contoso.com unknown":                  {analysis.FlowExternal, analysis.FlowUnknown},
		"mailbox onprem:contoso/EX02 -> external cpandl.com": {analysis.FlowMailbox, analysis.FlowExternal},
		"mailbox exo:contoso -> Internet":                    {analysis.FlowMailbox, analysis.FlowInternet},
	} {
		if kinds[key] != want {
			t.Errorf("%s kinds = %v, want %v", key, kinds[key], want)
		}
	}
	if len(classes) != len(wantSenders)*len(wantRcpts) {
		t.Errorf("%d classes, want %d", len(classes), len(wantSenders)*len(wantRcpts))
	}
}

// TestReachabilityOrderIndependent: the matrix is the same, byte for
// byte, whatever the order the topology lists things in, and run after
// run.
func TestReachabilityOrderIndependent(t *testing.T) {
	spec := scenario.DevicesSpec(true)
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	reversed := topo.Spec()
	for i := range reversed.Tenants {
		slices.Reverse(reversed.Tenants[i].Recipients)
		slices.Reverse(reversed.Tenants[i].InboundConnectors)
	}
	slices.Reverse(reversed.External)
	slices.Reverse(reversed.MXRecords)
	other, err := topology.Build(reversed)
	require.NoError(t, err)
	var a, b, c strings.Builder
	require.NoError(t, analysis.WriteReachability(&a, must(analysis.Reachability(topo))))
	require.NoError(t, analysis.WriteReachability(&b, must(analysis.Reachability(other))))
	require.NoError(t, analysis.WriteReachability(&c, must(analysis.Reachability(topo))))
	require.Equal(t, a.String(), b.String())
	require.Equal(t, a.String(), c.String())
	// The devices send as their mailbox, each device is a sender.
	for _, want := range []string{"device:mfp-auth", "device:mfp-direct", "device:mfp-relay"} {
		require.Contains(t, a.String(), "\n"+want+" ")
	}
}

// TestFlowClassesGroup: an accepted domain's groups are a recipient class,
// stood for by its first group, which expands to its members.
func TestFlowClassesGroup(t *testing.T) {
	spec := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
	spec.Tenants[0].Recipients = append(spec.Tenants[0].Recipients, topology.Recipient{Name: "Sales", RecipientTypeDetails: topology.MailUniversalDistributionGroup,
		PrimarySmtpAddress: "sales@contoso.com", Members: []string{"adele@contoso.com", "david@contoso.com"}})
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	for _, r := range must(analysis.Reachability(topo)) {
		if r.Class.Key() != "Internet -> contoso.com group" {
			continue
		}
		require.Equal(t, analysis.FlowGroup, r.Class.RecipientKind)
		require.Equal(t, []string{"sales@contoso.com"}, r.Class.Message.To)
		var got []string
		for _, rc := range r.Result.Recipients {
			got = append(got, rc.Address+" "+rc.Disposition.String())
		}
		require.Equal(t, []string{"sales@contoso.com Expanded", "adele@contoso.com Delivered", "david@contoso.com Delivered"}, got)
		return
	}
	t.Fatal("no class Internet -> contoso.com group")
}
