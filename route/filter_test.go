package route_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// TestFilterPolicies covers the connection filter policy and the
// anti-spam policy's actions ("Configure connection filtering";
// docs/behaviour.md#d25-filteredasspam-versus-delivered-in-message-trace).
func TestFilterPolicies(t *testing.T) {
	erinToBen := route.Message{From: erin, To: []string{ben}}
	spam := func(n int) route.Message { m := erinToBen; m.SCL = &n; return m }
	with := func(modify func(x *topology.TenantSpec)) topology.Spec {
		s := rulesSpec()
		modify(&s.Tenants[0])
		return s
	}
	tests := []struct {
		name    string
		spec    topology.Spec
		msg     route.Message
		disp    route.Disposition
		status  string
		stage   route.Stage
		verdict route.Verdict
		folder  route.Folder     // where a delivered recipient lands
		action  route.SpamAction // the AntiSpam stage's action
	}{
		{"BlockList_Rejects", with(func(x *topology.TenantSpec) { x.HostedConnectionFilterPolicy.IPBlockList = []string{"198.51.100.0/24"} }), erinToBen,
			route.Rejected, route.StatusBlockList, route.ConnectionFilter, route.VerdictReject, 0, 0},
		{"AllowList_SkipsSpamFiltering", with(func(x *topology.TenantSpec) { x.HostedConnectionFilterPolicy.IPAllowList = []string{"198.51.100.25"} }), spam(6),
			route.Delivered, "", route.ConnectionFilter, route.VerdictAllow, route.Inbox, 0},
		{"AllowList_StillFilteredWhenIPIdentifiesOnPremisesConnector", with(func(x *topology.TenantSpec) {
			x.HostedConnectionFilterPolicy.IPAllowList = []string{"198.51.100.25"}
			x.InboundConnectors = []connector.Inbound{{Name: "From cpandl server", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"}, SenderIPAddresses: []string{"198.51.100.25"}}}
		}), spam(6), route.Delivered, "", route.ConnectionFilter, route.VerdictPass, route.JunkEmail, route.MoveToJmf},
		// docs/behaviour.md#d28-the-ip-allow-list-and-a-mail-flow-rule-that-sets-the-scl
		{"AllowList_WinsOverRuleSCL", with(func(x *topology.TenantSpec) {
			x.HostedConnectionFilterPolicy.IPAllowList = []string{"198.51.100.25"}
			x.HostedContentFilterPolicy.HighConfidenceSpamAction = "Quarantine"
			x.TransportRules = append(x.TransportRules, topology.TransportRule{Name: "Mark spam", SetSCL: new(9)})
		}), erinToBen, route.Delivered, "", route.ConnectionFilter, route.VerdictAllow, route.Inbox, 0},
		{"RuleSCL_WithoutAllowList", with(func(x *topology.TenantSpec) {
			x.HostedContentFilterPolicy.HighConfidenceSpamAction = "Quarantine"
			x.TransportRules = append(x.TransportRules, topology.TransportRule{Name: "Mark spam", SetSCL: new(9)})
		}), erinToBen, route.Quarantined, "", route.AntiSpam, route.VerdictSpam, 0, route.Quarantine},
		{"Spam_MoveToJmf_Default", rulesSpec(), spam(5), route.Delivered, "", route.AntiSpam, route.VerdictSpam, route.JunkEmail, route.MoveToJmf},
		{"NotSpam_Inbox", rulesSpec(), spam(4), route.Delivered, "", route.AntiSpam, route.VerdictPass, route.Inbox, 0},
		{"HighConfidence_Quarantine", with(func(x *topology.TenantSpec) { x.HostedContentFilterPolicy.HighConfidenceSpamAction = "Quarantine" }), spam(9),
			route.Quarantined, "", route.AntiSpam, route.VerdictSpam, 0, route.Quarantine},
		{"Spam_Delete", with(func(x *topology.TenantSpec) { x.HostedContentFilterPolicy.SpamAction = "Delete" }), spam(6),
			route.Dropped, "", route.AntiSpam, route.VerdictSpam, 0, route.Delete},
		{"Spam_AddXHeader_Inbox", with(func(x *topology.TenantSpec) { x.HostedContentFilterPolicy.SpamAction = "AddXHeader" }), spam(6),
			route.Delivered, "", route.AntiSpam, route.VerdictSpam, route.Inbox, route.AddXHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			r := res.Recipients[0]
			f, ok := r.Hops[1].Filter(tt.stage)
			spam, _ := r.Hops[1].Filter(route.AntiSpam)
			if r.Disposition != tt.disp || r.Status.String() != tt.status || !ok || f.Verdict != tt.verdict || r.Folder != tt.folder || spam.Action != tt.action {
				t.Errorf("got %v %q in %v, %s %+v, AntiSpam action %v; want %v %q in %v, %s verdict %v, action %v\n%s",
					r.Disposition, r.Status, r.Folder, tt.stage, f, spam.Action, tt.disp, tt.status, tt.folder, tt.stage, tt.verdict, tt.action, traceText(res))
			}
		})
	}
}

func TestFilterPolicyValidation(t *testing.T) {
	s := rulesSpec()
	s.Tenants[0].HostedConnectionFilterPolicy.IPAllowList = []string{"198.51.0.0/16", "bad"}
	s.Tenants[0].HostedContentFilterPolicy.SpamAction = "Bounce"
	_, err := topology.Build(s)
	var verr *topology.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Build() = %v, want a ValidationError", err)
	}
	var got []string
	for _, p := range verr.Problems {
		got = append(got, p.Field+": "+p.Message)
	}
	want := []string{
		`HostedConnectionFilterPolicy.IPAllowList[0]: "198.51.0.0/16" is wider than a /24; use a mail flow rule with SenderIpRanges and SetSCL -1 instead`,
		`HostedConnectionFilterPolicy.IPAllowList[1]: "bad" is not an IP address, range or CIDR`,
		`HostedContentFilterPolicy.SpamAction: "Bounce" is not MoveToJmf, Quarantine, Delete or AddXHeader`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGreylisting: a high volume from an address no connector identifies
// is greylisted; a connector for it avoids that (the seed's advice).
func TestGreylisting(t *testing.T) {
	volume := func(n int, conn bool) topology.Spec {
		s := rulesSpec()
		s.External[0].MessagesPerHour = n
		if conn {
			s.Tenants[0].InboundConnectors = []connector.Inbound{{Name: "From cpandl", ConnectorType: connector.Partner, SenderDomains: []string{"cpandl.com"},
				SenderIPAddresses: []string{"198.51.100.25"}, RequireTls: connector.False}}
		}
		return s
	}
	tests := []struct {
		name   string
		spec   topology.Spec
		disp   route.Disposition
		status string
	}{
		{"LowVolume", volume(200, false), route.Delivered, ""},
		{"HighVolumeWithoutConnector", volume(5000, false), route.Deferred, route.StatusGreylisted},
		{"HighVolumeWithConnector", volume(5000, true), route.Delivered, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), route.Message{From: erin, To: []string{ben}})
			require.NoError(t, err)
			if r := res.Recipients[0]; r.Disposition != tt.disp || r.Status.String() != tt.status {
				t.Errorf("got %v %q, want %v %q\n%s", r.Disposition, r.Status, tt.disp, tt.status, traceText(res))
			}
		})
	}
}

// TestDBEBAndInternalRelay: DBEB rejects unknown recipients of an
// Authoritative domain at EOP; an InternalRelay domain has no DBEB and its
// unknown recipients are relayed on ("Manage accepted domains in Exchange
// Online"; "Use Directory-Based Edge Blocking to reject messages sent to
// invalid recipients").
func TestDBEBAndInternalRelay(t *testing.T) {
	relay := rulesSpec()
	relay.Tenants[0].AcceptedDomains[0].DomainType = topology.InternalRelay
	relay.Tenants[0].OutboundConnectors = append(relay.Tenants[0].OutboundConnectors, connector.Outbound{Name: "To other mail system",
		ConnectorType: connector.OnPremises, RecipientDomains: []string{"contoso.com"}, UseMXRecord: connector.False, SmartHosts: []string{"mx.cpandl.com"}})
	tests := []struct {
		name    string
		spec    topology.Spec
		disp    route.Disposition
		status  string
		applied bool
		path    string
	}{
		{"Authoritative_DBEBRejects", rulesSpec(), route.Rejected, route.StatusDBEB, true, "ext:cpandl > eop:contoso"},
		{"InternalRelay_NoDBEB_RelayedOn", relay, route.Relayed, "", false, "ext:cpandl > eop:contoso > exo:contoso > eop:contoso > ext:cpandl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), route.Message{From: erin, To: []string{"nobody@contoso.com"}})
			require.NoError(t, err)
			r := res.Recipients[0]
			var nodes []string
			for _, h := range r.Hops {
				nodes = append(nodes, h.Node.String())
			}
			f, _ := filter(r.Hops[1], route.DBEB)
			if r.Disposition != tt.disp || r.Status.String() != tt.status || f.Applied() != tt.applied || strings.Join(nodes, " > ") != tt.path {
				t.Errorf("got %v %q, DBEB applied %v, via %s; want %v %q, %v, %s\n%s", r.Disposition, r.Status, f.Applied(), strings.Join(nodes, " > "), tt.disp, tt.status, tt.applied, tt.path, traceText(res))
			}
		})
	}
}
