package route_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// Node IDs of the Contoso hybrid organization.
const (
	internet = "internet"
	eop      = "eop:contoso"
	exo      = "exo:contoso"
	ex01     = "onprem:contoso/EX01" // hybrid server, mail.contoso.com
	ex02     = "onprem:contoso/EX02" // Julie's Mailbox server
	cpandl   = "ext:cpandl"
)

var (
	mxEOP    = scenario.ContosoSettings{MX: scenario.MXToEOP}
	mxEOPCMT = scenario.ContosoSettings{MX: scenario.MXToEOP, CentralizedTransport: true}
	mxOnPrem = scenario.ContosoSettings{MX: scenario.MXToOnPremises}
	mxOPCMT  = scenario.ContosoSettings{MX: scenario.MXToOnPremises, CentralizedTransport: true}
	allFour  = []scenario.ContosoSettings{mxEOP, mxEOPCMT, mxOnPrem, mxOPCMT}
)

// path is what a test expects of one recipient.
type path struct {
	Nodes       []string
	Disposition route.Disposition
	Status      string
	Copy        int
}

func pathOf(r route.Recipient) path {
	p := path{Disposition: r.Disposition, Status: r.Status.String(), Copy: r.Copy}
	for _, h := range r.Hops {
		p.Nodes = append(p.Nodes, h.Node.String())
	}
	return p
}

func id(s string) topology.NodeID { return topology.MustParseNodeID(s) }

func trace(t *testing.T, s scenario.ContosoSettings, m route.Message) *route.Result {
	t.Helper()
	res, err := route.Trace(scenario.Contoso(s), m)
	require.NoError(t, err)
	return res
}

// TestSeedPaths asserts every path of Microsoft's "Transport routing in
// Exchange hybrid deployments" (seed 001; its cases for Julie, David and
// Erin):
// the exact hop sequence of each recipient, where the message splits and
// which recipients each copy carries.
func TestSeedPaths(t *testing.T) {
	internetToBoth := route.Message{From: scenario.Sender, To: []string{scenario.Julie, scenario.David}}
	tests := []struct {
		name     string
		settings []scenario.ContosoSettings
		msg      route.Message
		want     map[string]path
		copies   []route.Copy
	}{{
		// Case A: EOP routes both to Exchange Online, which scans, looks up,
		// delivers David's copy and sends Julie's back through EOP to
		// on-premises, where the Mailbox server delivers it.
		name:     "A_MXToEOP_CMTOff_InternetToJulieAndDavid",
		settings: []scenario.ContosoSettings{mxEOP},
		msg:      internetToBoth,
		want: map[string]path{
			scenario.Julie: {Nodes: []string{internet, eop, exo, eop, ex01, ex02}, Disposition: route.Delivered},
			scenario.David: {Nodes: []string{internet, eop, exo}, Disposition: route.Delivered, Copy: 1},
		},
		copies: []route.Copy{
			{ID: 0, Parent: -1, SplitHop: -1, Recipients: []string{scenario.Julie, scenario.David}, Children: []int{1}},
			{ID: 1, Parent: 0, SplitNode: id(exo), SplitHop: 2, Recipients: []string{scenario.David}},
		},
	}, {
		// Case B: EOP scans and sends both on-premises, which looks up and
		// splits; David's copy returns through EOP to Exchange Online and
		// is not sent back on-premises (loop guard).
		name:     "B_MXToEOP_CMTOn_InternetToJulieAndDavid",
		settings: []scenario.ContosoSettings{mxEOPCMT},
		msg:      internetToBoth,
		want: map[string]path{
			scenario.Julie: {Nodes: []string{internet, eop, ex01, ex02}, Disposition: route.Delivered},
			scenario.David: {Nodes: []string{internet, eop, ex01, eop, exo}, Disposition: route.Delivered, Copy: 1},
		},
		copies: []route.Copy{
			{ID: 0, Parent: -1, SplitHop: -1, Recipients: []string{scenario.Julie, scenario.David}, Children: []int{1}},
			{ID: 1, Parent: 0, SplitNode: id(ex01), SplitHop: 2, Recipients: []string{scenario.David}},
		},
	}, {
		// Case C: the on-premises server looks up (David is remote with
		// routing address david@contoso.mail.onmicrosoft.com) and splits;
		// David's copy goes over the TLS Send connector to EOP, then
		// Exchange Online. Centralized transport changes nothing here.
		name:     "C_MXToOnPremises_InternetToJulieAndDavid",
		settings: []scenario.ContosoSettings{mxOnPrem, mxOPCMT},
		msg:      internetToBoth,
		want: map[string]path{
			scenario.Julie: {Nodes: []string{internet, ex01, ex02}, Disposition: route.Delivered},
			scenario.David: {Nodes: []string{internet, ex01, eop, exo}, Disposition: route.Delivered, Copy: 1},
		},
		copies: []route.Copy{
			{ID: 0, Parent: -1, SplitHop: -1, Recipients: []string{scenario.Julie, scenario.David}, Children: []int{1}},
			{ID: 1, Parent: 0, SplitNode: id(ex01), SplitHop: 1, Recipients: []string{scenario.David}},
		},
	}, {
		// Case D: Exchange Online scans and sends to EOP, which looks up
		// cpandl.com's MX.
		name:     "D_CMTOff_DavidToErin",
		settings: []scenario.ContosoSettings{mxEOP, mxOnPrem},
		msg:      route.Message{From: scenario.David, To: []string{scenario.Erin}},
		want: map[string]path{
			scenario.Erin: {Nodes: []string{exo, eop, cpandl}, Disposition: route.Relayed},
		},
		copies: []route.Copy{{ID: 0, Parent: -1, SplitHop: -1, Recipients: []string{scenario.Erin}}},
	}, {
		// Case E: EOP sends it over TLS to on-premises, which applies its
		// compliance processing and looks up the MX.
		name:     "E_CMTOn_DavidToErin",
		settings: []scenario.ContosoSettings{mxEOPCMT, mxOPCMT},
		msg:      route.Message{From: scenario.David, To: []string{scenario.Erin}},
		want: map[string]path{
			scenario.Erin: {Nodes: []string{exo, eop, ex01, cpandl}, Disposition: route.Relayed},
		},
		copies: []route.Copy{{ID: 0, Parent: -1, SplitHop: -1, Recipients: []string{scenario.Erin}}},
	}, {
		// Case F: on-premises senders go straight to the Internet by DNS,
		// whatever the hybrid option.
		name:     "F_AnySetting_JulieToErin",
		settings: allFour,
		msg:      route.Message{From: scenario.Julie, To: []string{scenario.Erin}},
		want: map[string]path{
			scenario.Erin: {Nodes: []string{ex02, cpandl}, Disposition: route.Relayed},
		},
		copies: []route.Copy{{ID: 0, Parent: -1, SplitHop: -1, Recipients: []string{scenario.Erin}}},
	}, {
		// Case G: mail between Exchange Online recipients never leaves
		// Exchange Online, even with centralized transport.
		name:     "G_AnySetting_DavidToAdele",
		settings: allFour,
		msg:      route.Message{From: scenario.David, To: []string{scenario.Adele}},
		want: map[string]path{
			scenario.Adele: {Nodes: []string{exo}, Disposition: route.Delivered},
		},
		copies: []route.Copy{{ID: 0, Parent: -1, SplitHop: -1, Recipients: []string{scenario.Adele}}},
	}, {
		// David to Julie leaves Exchange Online through EOP and the hybrid
		// outbound connector, with or without centralized transport.
		name:     "DavidToJulie_AnySetting",
		settings: allFour,
		msg:      route.Message{From: scenario.David, To: []string{scenario.Julie}},
		want: map[string]path{
			scenario.Julie: {Nodes: []string{exo, eop, ex01, ex02}, Disposition: route.Delivered},
		},
		copies: []route.Copy{{ID: 0, Parent: -1, SplitHop: -1, Recipients: []string{scenario.Julie}}},
	}, {
		// Julie to David: EX02 relays to EX01, the source server of the
		// hybrid Send connector, which sends to EOP; centralized transport
		// never sends mail from on-premises back.
		name:     "JulieToDavid_AnySetting",
		settings: allFour,
		msg:      route.Message{From: scenario.Julie, To: []string{scenario.David}},
		want: map[string]path{
			scenario.David: {Nodes: []string{ex02, ex01, eop, exo}, Disposition: route.Delivered},
		},
		copies: []route.Copy{{ID: 0, Parent: -1, SplitHop: -1, Recipients: []string{scenario.David}}},
	}}
	for _, tt := range tests {
		for _, s := range tt.settings {
			t.Run(tt.name+"/"+settingsName(s), func(t *testing.T) {
				res := trace(t, s, tt.msg)
				got := map[string]path{}
				for _, r := range res.Recipients {
					got[r.Address] = pathOf(r)
				}
				if diff := cmp.Diff(tt.want, got, testopts.Cmp); diff != "" {
					t.Errorf("Trace paths mismatch (-want +got):\n%s\n%s", diff, traceText(res))
				}
				if diff := cmp.Diff(tt.copies, res.Copies, testopts.Cmp); diff != "" {
					t.Errorf("Trace copies mismatch (-want +got):\n%s\n%s", diff, traceText(res))
				}
			})
		}
	}
}

func settingsName(s scenario.ContosoSettings) string {
	n := "MX" + string(s.MX)
	if s.CentralizedTransport {
		n += "_CMT"
	}
	return n
}

// hopAt returns recipient addr's hop at node (the first one from index
// from on).
func hopAt(t *testing.T, res *route.Result, addr, node string, from int) route.Hop {
	t.Helper()
	for _, r := range res.Recipients {
		if r.Address != addr {
			continue
		}
		for i := from; i < len(r.Hops); i++ {
			if r.Hops[i].Node.String() == node {
				return r.Hops[i]
			}
		}
	}
	t.Fatalf("%s has no hop at %s from index %d:\n%s", addr, node, from, traceText(res))
	return route.Hop{}
}

func filter(h route.Hop, s route.Stage) (route.Filter, bool) {
	for _, f := range h.Filters {
		if f.Stage == s {
			return f, true
		}
	}
	return route.Filter{}, false
}

// TestSeedEvents asserts the message-trace events, connectors and
// attribution at each hop of the split cases.
func TestSeedEvents(t *testing.T) {
	type hop struct {
		Node             string
		Events           []route.Event
		Connector        string
		InboundConnector string
		AuthAs           route.AuthAs
		Directionality   route.Directionality
	}
	hops := func(r route.Recipient) []hop {
		var hs []hop
		for _, h := range r.Hops {
			hs = append(hs, hop{h.Node.String(), h.Events, h.Connector, h.InboundConnector, h.AuthAs, h.Directionality})
		}
		return hs
	}
	R, S, D, T, V := route.RECEIVE, route.SEND, route.DELIVER, route.TRANSFER, route.RESOLVE
	const dfe = "Default Frontend EX01" // the Receive connector of mail from outside the organization
	tests := []struct {
		name     string
		settings scenario.ContosoSettings
		msg      route.Message
		want     map[string][]hop
	}{{
		name:     "A",
		settings: mxEOP,
		msg:      route.Message{From: scenario.Sender, To: []string{scenario.Julie, scenario.David}},
		want: map[string][]hop{
			scenario.Julie: {
				{Node: internet, Events: []route.Event{S}},
				{Node: eop, Events: []route.Event{R, S}, AuthAs: route.Anonymous, Directionality: route.Incoming},
				{Node: exo, Events: []route.Event{R, S}, AuthAs: route.Anonymous, Directionality: route.Incoming},
				{Node: eop, Events: []route.Event{R, S}, Connector: "Outbound to contoso", AuthAs: route.Anonymous, Directionality: route.Incoming},
				{Node: ex01, Events: []route.Event{R, S}, InboundConnector: dfe, AuthAs: route.Anonymous, Directionality: route.Incoming},
				{Node: ex02, Events: []route.Event{R, D}, AuthAs: route.Anonymous, Directionality: route.Incoming},
			},
			scenario.David: {
				{Node: internet, Events: []route.Event{S}},
				{Node: eop, Events: []route.Event{R, S}, AuthAs: route.Anonymous, Directionality: route.Incoming},
				{Node: exo, Events: []route.Event{R, T, D}, AuthAs: route.Anonymous, Directionality: route.Incoming},
			},
		},
	}, {
		name:     "C",
		settings: mxOnPrem,
		msg:      route.Message{From: scenario.Sender, To: []string{scenario.Julie, scenario.David}},
		want: map[string][]hop{
			scenario.Julie: {
				{Node: internet, Events: []route.Event{S}},
				{Node: ex01, Events: []route.Event{R, S}, InboundConnector: dfe, AuthAs: route.Anonymous, Directionality: route.Incoming},
				{Node: ex02, Events: []route.Event{R, D}, AuthAs: route.Anonymous, Directionality: route.Incoming},
			},
			scenario.David: {
				{Node: internet, Events: []route.Event{S}},
				{Node: ex01, Events: []route.Event{R, V, T, S}, Connector: "Outbound to Office 365", InboundConnector: dfe, AuthAs: route.Anonymous, Directionality: route.Incoming},
				{Node: eop, Events: []route.Event{R, S}, InboundConnector: "Inbound from contoso", AuthAs: route.Anonymous, Directionality: route.Originating},
				{Node: exo, Events: []route.Event{R, V, D}, AuthAs: route.Anonymous, Directionality: route.Originating},
			},
		},
	}, {
		name:     "JulieToDavid",
		settings: mxEOP,
		msg:      route.Message{From: scenario.Julie, To: []string{scenario.David}},
		want: map[string][]hop{
			scenario.David: {
				{Node: ex02, Events: []route.Event{R, V, S}, Connector: "Outbound to Office 365", AuthAs: route.Internal, Directionality: route.Originating},
				{Node: ex01, Events: []route.Event{R, S}, Connector: "Outbound to Office 365", AuthAs: route.Internal, Directionality: route.Originating},
				{Node: eop, Events: []route.Event{R, S}, InboundConnector: "Inbound from contoso", AuthAs: route.Internal, Directionality: route.Originating},
				{Node: exo, Events: []route.Event{R, V, D}, AuthAs: route.Internal, Directionality: route.Originating},
			},
		},
	}, {
		name:     "E",
		settings: mxEOPCMT,
		msg:      route.Message{From: scenario.David, To: []string{scenario.Erin}},
		want: map[string][]hop{
			scenario.Erin: {
				{Node: exo, Events: []route.Event{R, S}, AuthAs: route.Internal, Directionality: route.Originating},
				{Node: eop, Events: []route.Event{R, S}, Connector: "Outbound to contoso", AuthAs: route.Internal, Directionality: route.Originating},
				{Node: ex01, Events: []route.Event{R, S}, Connector: "To Internet", InboundConnector: dfe, AuthAs: route.Internal, Directionality: route.Originating},
				{Node: cpandl, Events: []route.Event{R}},
			},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := trace(t, tt.settings, tt.msg)
			got := map[string][]hop{}
			for _, r := range res.Recipients {
				got[r.Address] = hops(r)
			}
			if diff := cmp.Diff(tt.want, got, testopts.Cmp); diff != "" {
				t.Errorf("hops mismatch (-want +got):\n%s\n%s", diff, traceText(res))
			}
		})
	}
}

// TestSeedFiltering asserts where the seeds place the scans: with MX to
// EOP, Internet mail is spam-filtered at EOP; with MX on-premises, David's
// copy reaches EOP from on-premises and EOP cannot filter it effectively.
func TestSeedFiltering(t *testing.T) {
	internetToBoth := route.Message{From: scenario.Sender, To: []string{scenario.Julie, scenario.David}}
	tests := []struct {
		name     string
		settings scenario.ContosoSettings
		msg      route.Message
		rcpt     string
		node     string
		from     int // index of the first hop to look at
		stage    route.Stage
		result   route.StageResult
		verdict  route.Verdict
	}{
		{"A_AntiSpamAtEOP", mxEOP, internetToBoth, scenario.David, eop, 0, route.AntiSpam, route.Applied, route.VerdictPass},
		{"A_MalwareScanInEXO", mxEOP, internetToBoth, scenario.David, exo, 0, route.AntiMalware, route.Applied, route.VerdictPass},
		{"A_MalwareNotAtEOP", mxEOP, internetToBoth, scenario.David, eop, 0, route.AntiMalware, route.Skipped, 0},
		{"A_DBEBPasses", mxEOP, internetToBoth, scenario.David, eop, 0, route.DBEB, route.Applied, route.VerdictPass},
		{"B_MalwareScanAtEOP", mxEOPCMT, internetToBoth, scenario.David, eop, 0, route.AntiMalware, route.Applied, route.VerdictPass},
		{"B_AntiSpamNotTwice", mxEOPCMT, internetToBoth, scenario.David, eop, 2, route.AntiSpam, route.Skipped, 0},
		{"C_AntiSpamNotEffective", mxOnPrem, internetToBoth, scenario.David, eop, 0, route.AntiSpam, route.NotEffective, 0},
		{"C_MalwareScanInEXO", mxOnPrem, internetToBoth, scenario.David, exo, 0, route.AntiMalware, route.Applied, route.VerdictPass},
		{"C_NoAntiSpamOnPremises", mxOnPrem, internetToBoth, scenario.Julie, ex01, 0, route.AntiSpam, route.Skipped, 0},
		{"E_ComplianceOnPremises", mxEOPCMT, route.Message{From: scenario.David, To: []string{scenario.Erin}}, scenario.Erin, ex01, 0, route.Compliance, route.Applied, route.VerdictPass},
		{"E_AntiVirusOnPremises", mxEOPCMT, route.Message{From: scenario.David, To: []string{scenario.Erin}}, scenario.Erin, ex01, 0, route.AntiMalware, route.Applied, route.VerdictPass},
		{"JulieToDavid_InternalNotSpamFiltered", mxEOP, route.Message{From: scenario.Julie, To: []string{scenario.David}}, scenario.David, eop, 0, route.AntiSpam, route.Skipped, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := trace(t, tt.settings, tt.msg)
			h := hopAt(t, res, tt.rcpt, tt.node, tt.from)
			f, ok := h.Filter(tt.stage)
			if !ok {
				t.Fatalf("hop %s of %s has no %s filter: %+v", tt.node, tt.rcpt, tt.stage, h.Filters)
			}
			if f.Result != tt.result || f.Verdict != tt.verdict {
				t.Errorf("%s at %s = %v %v (%s), want %v %v", tt.stage, tt.node, f.Result, f.Verdict, f.Reason, tt.result, tt.verdict)
			}
		})
	}
}

// TestCrossPremisesHeaders: hybrid mail keeps its organization headers
// across premises (CloudServicesMailEnabled on both sides: "Transport
// options in Exchange hybrid deployments"); an SMTP-processing device drops
// them (docs/behaviour.md#l5-a-device-that-processes-smtp).
func TestCrossPremisesHeaders(t *testing.T) {
	tests := []struct {
		name string
		spec topology.Spec
		msg  route.Message
		node string
		want bool
	}{
		{"JulieToDavid_AtEOP", scenario.ContosoSpec(mxEOP), route.Message{From: scenario.Julie, To: []string{scenario.David}}, eop, true},
		{"DavidToJulie_AtEX01", scenario.ContosoSpec(mxEOP), route.Message{From: scenario.David, To: []string{scenario.Julie}}, ex01, true},
		{"InternetMail_AtEOP", scenario.ContosoSpec(mxEOP), route.Message{From: scenario.Sender, To: []string{scenario.David}}, eop, false},
		{"ThroughAppliance_AtEOP", scenario.IntermediateDeviceSpec("Appliance"), route.Message{From: scenario.Julie, To: []string{scenario.David}}, eop, false},
		{"ThroughFirewall_AtEOP", scenario.IntermediateDeviceSpec("Firewall"), route.Message{From: scenario.Julie, To: []string{scenario.David}}, eop, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			if h := hopAt(t, res, tt.msg.To[0], tt.node, 0); h.CrossPremisesHeaders != tt.want {
				t.Errorf("CrossPremisesHeaders at %s = %v, want %v\n%s", tt.node, h.CrossPremisesHeaders, tt.want, traceText(res))
			}
		})
	}
}

// TestRequireSenderAuthentication: a group that accepts authenticated
// senders only takes hybrid mail, but not the same mail after an
// SMTP-processing device (docs/behaviour.md#l5-a-device-that-processes-smtp).
func TestRequireSenderAuthentication(t *testing.T) {
	withGroup := func(device string) topology.Spec {
		s := scenario.IntermediateDeviceSpec(device)
		s.Tenants[0].Recipients = append(s.Tenants[0].Recipients, topology.Recipient{Name: "All staff", RecipientTypeDetails: topology.MailUniversalDistributionGroup,
			PrimarySmtpAddress: "allstaff@contoso.com", EmailAddresses: []string{"smtp:allstaff@contoso.mail.onmicrosoft.com"},
			Members: []string{scenario.David, scenario.Adele}, RequireSenderAuthenticationEnabled: true})
		// On-premises needs an object for the cloud group, as in any hybrid.
		s.OnPremises[0].Recipients = append(s.OnPremises[0].Recipients, topology.Recipient{Name: "All staff", RecipientTypeDetails: topology.MailUser,
			PrimarySmtpAddress: "allstaff@contoso.com", ExternalEmailAddress: "SMTP:allstaff@contoso.mail.onmicrosoft.com"})
		return s
	}
	for _, tt := range []struct {
		device string
		want   route.Disposition
		status string
	}{{"None", route.Expanded, ""}, {"Firewall", route.Expanded, ""}, {"Appliance", route.Rejected, route.StatusSenderNotAuthenticated}} {
		t.Run(tt.device, func(t *testing.T) {
			res, err := route.Trace(build(t, withGroup(tt.device)), route.Message{From: scenario.Julie, To: []string{"allstaff@contoso.com"}})
			require.NoError(t, err)
			if r := res.Recipients[0]; r.Disposition != tt.want || r.Status.String() != tt.status {
				t.Errorf("got %v %q, want %v %q\n%s", r.Disposition, r.Status, tt.want, tt.status, traceText(res))
			}
		})
	}
}
