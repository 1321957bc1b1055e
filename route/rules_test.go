package route_test

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// The people of the rules tests: Ana (Accounting, Paris) and Ben (Sales,
// Lyon) have mailboxes in Exchange Online; Finance is a group whose
// members are Ana and the nested group Auditors; Erin is on the Internet.
const (
	ana     = "ana@contoso.com"
	ben     = "ben@contoso.com"
	audit   = "audit@contoso.com"
	finance = "finance@contoso.com"
	erin    = "erin@cpandl.com"
)

func rulesSpec(rules ...topology.TransportRule) topology.Spec {
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}},
			Recipients: []topology.Recipient{
				{Name: "Ana", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: ana, EmailAddresses: []string{"smtp:ana.lopez@contoso.com"}, Department: "Accounting", City: "Paris"},
				{Name: "Ben", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: ben, Department: "Sales", City: "Lyon"},
				{Name: "Audit", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: audit},
				{Name: "Finance", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: finance, Members: []string{ana, "auditors@contoso.com"}},
				{Name: "Auditors", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "auditors@contoso.com", Members: []string{audit}},
			},
			OutboundConnectors: []connector.Outbound{{Name: "To audit gateway", ConnectorType: connector.Partner, IsTransportRuleScoped: true,
				RecipientDomains: []string{"*"}, UseMXRecord: connector.False, SmartHosts: []string{"gw.auditgateway.example"}}},
			TransportRules: rules,
		}},
		External: []topology.ExternalSpec{
			{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}, IPAddress: "198.51.100.25"},
			{Name: "auditgateway", Hosts: []string{"gw.auditgateway.example"}},
		},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")},
			{Domain: "cpandl.com", Preference: 10, NameExchange: "mx.cpandl.com"},
		},
	}
}

func reject(p topology.Predicates) topology.TransportRule {
	return topology.TransportRule{Name: "Reject", Conditions: p, RejectMessageReasonText: "Not allowed"}
}

const rejected571 = "550 5.7.1 Not allowed"

// TestTransportRules covers each condition, exception and action of mail
// flow rules, met and not met ("Mail flow rule conditions and exceptions
// (predicates) in Exchange Online"; "Mail flow rule actions in Exchange
// Online").
func TestTransportRules(t *testing.T) {
	anaToErin := route.Message{From: ana, To: []string{erin}}
	benToErin := route.Message{From: ben, To: []string{erin}}
	erinToBen := route.Message{From: erin, To: []string{ben}}
	tests := []struct {
		name   string
		rules  []topology.TransportRule
		msg    route.Message
		status string // "" when the first recipient is not rejected
		disp   route.Disposition
		path   string // node IDs of the first recipient, "" to skip
		events string // events at the last hop, "" to skip
	}{
		// Reject texts and codes
		// (docs/behaviour.md#d12-rejection-status-codes-of-mail-flow-rules).
		{name: "RejectTextOnly", rules: []topology.TransportRule{{Name: "R", RejectMessageReasonText: "Not allowed"}}, msg: anaToErin,
			status: rejected571, disp: route.Rejected, path: "exo:contoso", events: "RECEIVE FAIL"},
		{name: "RejectCodeOnly", rules: []topology.TransportRule{{Name: "R", RejectMessageEnhancedStatusCode: "5.7.901"}}, msg: anaToErin,
			status: "550 5.7.901 Delivery not authorized, message refused", disp: route.Rejected},
		{name: "RejectBoth", rules: []topology.TransportRule{{Name: "R", RejectMessageEnhancedStatusCode: "5.7.955", RejectMessageReasonText: "Ask IT"}}, msg: anaToErin,
			status: "550 5.7.955 Ask IT", disp: route.Rejected},
		// Conditions, each met and not met.
		{name: "FromScopeInOrganization_Met", rules: []topology.TransportRule{reject(topology.Predicates{FromScope: "InOrganization"})}, msg: anaToErin, status: rejected571, disp: route.Rejected},
		{name: "FromScopeInOrganization_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{FromScope: "InOrganization"})}, msg: erinToBen, disp: route.Delivered,
			path: "ext:cpandl > eop:contoso > exo:contoso"},
		{name: "FromScopeNotInOrganization_Met", rules: []topology.TransportRule{reject(topology.Predicates{FromScope: "NotInOrganization"})}, msg: erinToBen, status: rejected571, disp: route.Rejected,
			path: "ext:cpandl > eop:contoso"},
		{name: "SentToScopeNotInOrganization_Met", rules: []topology.TransportRule{reject(topology.Predicates{SentToScope: "NotInOrganization"})}, msg: anaToErin, status: rejected571, disp: route.Rejected},
		{name: "SentToScopeNotInOrganization_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{SentToScope: "NotInOrganization"})}, msg: route.Message{From: ana, To: []string{ben}}, disp: route.Delivered},
		{name: "SenderDomainIs_Met", rules: []topology.TransportRule{reject(topology.Predicates{SenderDomainIs: []string{"contoso.com"}})}, msg: anaToErin, status: rejected571, disp: route.Rejected},
		{name: "SenderDomainIs_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{SenderDomainIs: []string{"fabrikam.com"}})}, msg: anaToErin, disp: route.Relayed},
		{name: "RecipientDomainIs_Subdomain", rules: []topology.TransportRule{reject(topology.Predicates{RecipientDomainIs: []string{"cpandl.com"}})}, msg: route.Message{From: ana, To: []string{"erin@sales.cpandl.com"}}, status: rejected571, disp: route.Rejected},
		{name: "RecipientDomainIs_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{RecipientDomainIs: []string{"fabrikam.com"}})}, msg: anaToErin, disp: route.Relayed},
		{name: "From_ProxyAddress", rules: []topology.TransportRule{reject(topology.Predicates{From: []string{"ana.lopez@contoso.com"}})}, msg: anaToErin, status: rejected571, disp: route.Rejected},
		{name: "From_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{From: []string{ana}})}, msg: benToErin, disp: route.Relayed},
		{name: "SentTo_Met", rules: []topology.TransportRule{reject(topology.Predicates{SentTo: []string{ben}})}, msg: erinToBen, status: rejected571, disp: route.Rejected},
		{name: "SentTo_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{SentTo: []string{ana}})}, msg: erinToBen, disp: route.Delivered},
		{name: "SenderIpRanges_Met", rules: []topology.TransportRule{reject(topology.Predicates{SenderIpRanges: []string{"198.51.100.0/24"}})}, msg: erinToBen, status: rejected571, disp: route.Rejected},
		{name: "SenderIpRanges_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{SenderIpRanges: []string{"203.0.113.0/24"}})}, msg: erinToBen, disp: route.Delivered},
		{name: "FromMemberOf_Nested", rules: []topology.TransportRule{reject(topology.Predicates{FromMemberOf: []string{finance}})}, msg: route.Message{From: audit, To: []string{erin}}, status: rejected571, disp: route.Rejected},
		{name: "FromMemberOf_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{FromMemberOf: []string{finance}})}, msg: benToErin, disp: route.Relayed},
		{name: "SentToMemberOf_Met", rules: []topology.TransportRule{reject(topology.Predicates{SentToMemberOf: []string{finance}})}, msg: route.Message{From: erin, To: []string{ana}}, status: rejected571, disp: route.Rejected},
		{name: "SentToMemberOf_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{SentToMemberOf: []string{finance}})}, msg: erinToBen, disp: route.Delivered},
		{name: "SenderADAttribute_Met", rules: []topology.TransportRule{reject(topology.Predicates{SenderADAttributeContainsWords: []string{"Department:Accounting,Finance"}})}, msg: anaToErin, status: rejected571, disp: route.Rejected},
		{name: "SenderADAttribute_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{SenderADAttributeContainsWords: []string{"Department:Accounting"}})}, msg: benToErin, disp: route.Relayed},
		{name: "RecipientADAttribute_Met", rules: []topology.TransportRule{reject(topology.Predicates{RecipientADAttributeContainsWords: []string{"City:Lyon"}})}, msg: erinToBen, status: rejected571, disp: route.Rejected},
		{name: "RecipientADAttribute_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{RecipientADAttributeContainsWords: []string{"City:Paris"}})}, msg: erinToBen, disp: route.Delivered},
		{name: "Header_Met", rules: []topology.TransportRule{reject(topology.Predicates{HeaderContainsMessageHeader: "X-Project", HeaderContainsWords: []string{"falcon"}})},
			msg: route.Message{From: ana, To: []string{erin}, Headers: []route.Header{{Name: "X-Project", Value: "Falcon launch"}}}, status: rejected571, disp: route.Rejected},
		{name: "Header_NotMet", rules: []topology.TransportRule{reject(topology.Predicates{HeaderContainsMessageHeader: "X-Project", HeaderContainsWords: []string{"falcon"}})}, msg: anaToErin, disp: route.Relayed},
		// Conditions AND-ed; exceptions cancel.
		{name: "ConditionsAnded", rules: []topology.TransportRule{reject(topology.Predicates{From: []string{ana}, SentTo: []string{ben}})}, msg: anaToErin, disp: route.Relayed},
		{name: "ExceptIf_Cancels", rules: []topology.TransportRule{{Name: "R", Conditions: topology.Predicates{SenderDomainIs: []string{"contoso.com"}},
			ExceptIf: topology.Predicates{From: []string{ben}}, RejectMessageReasonText: "Not allowed"}}, msg: benToErin, disp: route.Relayed},
		{name: "ExceptIf_OtherSender", rules: []topology.TransportRule{{Name: "R", Conditions: topology.Predicates{SenderDomainIs: []string{"contoso.com"}},
			ExceptIf: topology.Predicates{From: []string{ben}}, RejectMessageReasonText: "Not allowed"}}, msg: anaToErin, status: rejected571, disp: route.Rejected},
		// Priority, StopRuleProcessing, Mode, State, NDRs.
		{name: "StopRuleProcessing", rules: []topology.TransportRule{{Name: "Stop", Priority: 0, StopRuleProcessing: true}, {Name: "Reject", Priority: 1, RejectMessageReasonText: "Not allowed"}},
			msg: anaToErin, disp: route.Relayed},
		{name: "PriorityOrder", rules: []topology.TransportRule{{Name: "Reject", Priority: 1, RejectMessageReasonText: "Not allowed"}, {Name: "Stop", Priority: 2, StopRuleProcessing: true}},
			msg: anaToErin, status: rejected571, disp: route.Rejected},
		{name: "ModeAudit", rules: []topology.TransportRule{{Name: "R", Mode: "Audit", RejectMessageReasonText: "Not allowed"}}, msg: anaToErin, disp: route.Relayed},
		{name: "StateDisabled", rules: []topology.TransportRule{{Name: "R", State: "Disabled", RejectMessageReasonText: "Not allowed"}}, msg: anaToErin, disp: route.Relayed},
		{name: "NDRsAreNotEvaluated", rules: []topology.TransportRule{{Name: "R", RejectMessageReasonText: "Not allowed"}}, msg: route.Message{From: "<>", To: []string{ben}, Origin: id("ext:cpandl")}, disp: route.Delivered},
		// Actions.
		{name: "DeleteMessage", rules: []topology.TransportRule{{Name: "R", DeleteMessage: true}}, msg: anaToErin, disp: route.Dropped, path: "exo:contoso", events: "RECEIVE DROP"},
		{name: "Quarantine", rules: []topology.TransportRule{{Name: "R", Quarantine: true}}, msg: erinToBen, disp: route.Quarantined, path: "ext:cpandl > eop:contoso", events: "RECEIVE"},
		{name: "RedirectMessageTo", rules: []topology.TransportRule{{Name: "R", Conditions: topology.Predicates{SentTo: []string{erin}}, RedirectMessageTo: []string{ben}}},
			msg: anaToErin, disp: route.Delivered, path: "exo:contoso", events: "RECEIVE REDIRECT DELIVER"},
		{name: "RouteMessageOutboundConnector", rules: []topology.TransportRule{{Name: "Accounting via gateway", Conditions: topology.Predicates{SenderADAttributeContainsWords: []string{"Department:Accounting"}},
			RouteMessageOutboundConnector: "To audit gateway"}}, msg: anaToErin, disp: route.Relayed, path: "exo:contoso > eop:contoso > ext:auditgateway"},
		{name: "RuleScopedConnectorNotSelectedByDomain", rules: []topology.TransportRule{{Name: "Accounting via gateway", Conditions: topology.Predicates{SenderADAttributeContainsWords: []string{"Department:Accounting"}},
			RouteMessageOutboundConnector: "To audit gateway"}}, msg: benToErin, disp: route.Relayed, path: "exo:contoso > eop:contoso > ext:cpandl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, rulesSpec(tt.rules...)), tt.msg)
			require.NoError(t, err)
			r := res.Recipients[0]
			var nodes []string
			for _, h := range r.Hops {
				nodes = append(nodes, h.Node.String())
			}
			last := r.Hops[len(r.Hops)-1]
			var ev []string
			for _, e := range last.Events {
				ev = append(ev, e.String())
			}
			if r.Status.String() != tt.status || r.Disposition != tt.disp || tt.path != "" && strings.Join(nodes, " > ") != tt.path || tt.events != "" && strings.Join(ev, " ") != tt.events {
				t.Errorf("got %v %q via %s [%s]; want %v %q via %q [%s]\n%s", r.Disposition, r.Status, strings.Join(nodes, " > "), strings.Join(ev, " "),
					tt.disp, tt.status, tt.path, tt.events, traceText(res))
			}
		})
	}
}

// TestTransportRuleActions covers the actions that add recipients, change
// headers or set the SCL.
func TestTransportRuleActions(t *testing.T) {
	t.Run("BlindCopyTo", func(t *testing.T) {
		spec := rulesSpec(topology.TransportRule{Name: "Copy finance", Conditions: topology.Predicates{FromMemberOf: []string{finance}}, BlindCopyTo: []string{audit}})
		res, err := route.Trace(build(t, spec), route.Message{From: ana, To: []string{erin}})
		require.NoError(t, err)
		var got []string
		for _, r := range res.Recipients {
			got = append(got, r.Address+" "+r.Disposition.String()+" "+r.Hops[0].Node.String()+">"+r.Hops[len(r.Hops)-1].Node.String())
		}
		want := []string{"erin@cpandl.com Relayed exo:contoso>ext:cpandl", "audit@contoso.com Delivered exo:contoso>exo:contoso"}
		if !slices.Equal(got, want) {
			t.Errorf("recipients = %q, want %q\n%s", got, want, traceText(res))
		}
	})
	t.Run("SetHeaderFeedsLaterRules", func(t *testing.T) {
		spec := rulesSpec(
			topology.TransportRule{Name: "Tag", Priority: 0, SetHeaderName: "X-Tag", SetHeaderValue: "external"},
			reject(topology.Predicates{HeaderContainsMessageHeader: "X-Tag", HeaderContainsWords: []string{"external"}}),
		)
		spec.Tenants[0].TransportRules[1].Priority = 1
		msg := route.Message{From: ana, To: []string{erin}}
		res, err := route.Trace(build(t, spec), msg)
		require.NoError(t, err)
		if r := res.Recipients[0]; r.Status.String() != rejected571 {
			t.Errorf("status = %q, want %q\n%s", r.Status, rejected571, traceText(res))
		}
		if len(msg.Headers) != 0 {
			t.Errorf("Trace changed the message's headers: %v", msg.Headers)
		}
	})
	t.Run("RemoveHeaderHidesItFromLaterRules", func(t *testing.T) {
		spec := rulesSpec(
			topology.TransportRule{Name: "Strip", Priority: 0, RemoveHeader: "X-Tag"},
			reject(topology.Predicates{HeaderContainsMessageHeader: "X-Tag", HeaderContainsWords: []string{"external"}}),
		)
		spec.Tenants[0].TransportRules[1].Priority = 1
		res, err := route.Trace(build(t, spec), route.Message{From: ana, To: []string{erin}, Headers: []route.Header{{Name: "X-Tag", Value: "external"}}})
		require.NoError(t, err)
		if r := res.Recipients[0]; r.Disposition != route.Relayed {
			t.Errorf("disposition = %v, want Relayed\n%s", r.Disposition, traceText(res))
		}
	})
	t.Run("SetSCLMinusOneSkipsAntiSpam", func(t *testing.T) {
		spec := rulesSpec(topology.TransportRule{Name: "Trust partner", Conditions: topology.Predicates{SenderIpRanges: []string{"198.51.100.0/24"}}, SetSCL: new(-1)})
		res, err := route.Trace(build(t, spec), route.Message{From: erin, To: []string{ben}})
		require.NoError(t, err)
		f, _ := res.Recipients[0].Hops[1].Filter(route.AntiSpam)
		if f.Result != route.Skipped || f.SCL == nil || *f.SCL != -1 {
			t.Errorf("AntiSpam = %+v, want skipped for SCL -1", f)
		}
	})
	t.Run("SetSCLSixIsSpamToJunk", func(t *testing.T) {
		spec := rulesSpec(topology.TransportRule{Name: "Suspicious", Conditions: topology.Predicates{SenderDomainIs: []string{"cpandl.com"}}, SetSCL: new(6)})
		res, err := route.Trace(build(t, spec), route.Message{From: erin, To: []string{ben}})
		require.NoError(t, err)
		r := res.Recipients[0]
		f, _ := r.Hops[1].Filter(route.AntiSpam)
		if f.Verdict != route.VerdictSpam || f.SCL == nil || *f.SCL != 6 || f.Action != route.MoveToJmf || r.Disposition != route.Delivered || r.Folder != route.JunkEmail {
			t.Errorf("AntiSpam %+v, %v in %v; want Spam SCL 6, Delivered to JunkEmail", f, r.Disposition, r.Folder)
		}
	})
	t.Run("RouteMessageOutboundRequireTls", func(t *testing.T) {
		spec := rulesSpec(topology.TransportRule{Name: "TLS to cpandl", Conditions: topology.Predicates{RecipientDomainIs: []string{"cpandl.com"}}, RouteMessageOutboundRequireTls: true})
		spec.External[0].StartTLS = connector.False
		res, err := route.Trace(build(t, spec), route.Message{From: ana, To: []string{erin}})
		require.NoError(t, err)
		r := res.Recipients[0]
		last := r.Hops[len(r.Hops)-1]
		want := []route.TLSRequirement{{Side: route.SenderSide, Rule: "TLS to cpandl", Parameter: "RouteMessageOutboundRequireTls"}}
		if r.Disposition != route.Deferred || r.Status.String() != route.StatusTLSRequired || last.SendTLS == nil ||
			last.SendTLS.Failure != route.NoSTARTTLS || !slices.Equal(last.SendTLS.Required, want) {
			t.Errorf("got %v %q, %+v; want Deferred %q, NoSTARTTLS required by the rule\n%s", r.Disposition, r.Status, last.SendTLS, route.StatusTLSRequired, traceText(res))
		}
	})
	t.Run("OnPremisesTransportRule", func(t *testing.T) {
		spec := eopStandalone(func(s *topology.Spec) {
			s.OnPremises[0].TransportRules = []topology.TransportRule{{Name: "No mail to Sun", Conditions: topology.Predicates{SentTo: []string{"sun@tailspintoys.com"}}, RejectMessageEnhancedStatusCode: "5.7.950"}}
		})
		res, err := route.Trace(build(t, spec), route.Message{From: "john@contoso.com", To: []string{"sun@tailspintoys.com"}})
		require.NoError(t, err)
		r := res.Recipients[0]
		if r.Status.String() != "550 5.7.950 Delivery not authorized, message refused" || r.Hops[len(r.Hops)-1].Node.String() != "onprem:contoso/MAIL01" {
			t.Errorf("got %q at %s\n%s", r.Status, r.Hops[len(r.Hops)-1].Node, traceText(res))
		}
	})
}

// BenchmarkTransportRules traces a message through 500 mail flow rules
// that test the sender, the recipient and a header; the last one matches.
func BenchmarkTransportRules(b *testing.B) {
	rules := make([]topology.TransportRule, 500)
	for i := range rules {
		rules[i] = topology.TransportRule{
			Name: "Rule " + strconv.Itoa(i), Priority: i,
			Conditions: topology.Predicates{
				SenderDomainIs:                 []string{"contoso.com"},
				RecipientDomainIs:              []string{"fabrikam" + strconv.Itoa(i) + ".com"},
				SenderADAttributeContainsWords: []string{"Department:Accounting"},
			},
			SetHeaderName: "X-Rule", SetHeaderValue: strconv.Itoa(i),
		}
	}
	rules[499].Conditions.RecipientDomainIs = []string{"cpandl.com"}
	topo := build(b, rulesSpec(rules...))
	msg := route.Message{From: ana, To: []string{erin}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := route.Trace(topo, msg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTransportRulePatterns traces a message through 100 mail flow
// rules that test the subject with a regular expression
// (SubjectMatchesPatterns); the last one matches. Its floor, in the same
// run, is the same rules testing words (SubjectContainsWords): the
// patterns are compiled once, at Build, and cost only their matching.
func BenchmarkTransportRulePatterns(b *testing.B) {
	for _, bm := range []struct {
		name string
		cond func(i int) topology.Predicates
	}{
		{"floor", func(i int) topology.Predicates {
			return topology.Predicates{SubjectContainsWords: []string{"invoice " + strconv.Itoa(i)}}
		}},
		{"SubjectMatchesPatterns", func(i int) topology.Predicates {
			return topology.Predicates{SubjectMatchesPatterns: []string{`^invoice ` + strconv.Itoa(i) + `\b`}}
		}},
	} {
		rules := make([]topology.TransportRule, 100)
		for i := range rules {
			rules[i] = topology.TransportRule{Name: "Rule " + strconv.Itoa(i), Priority: i, Conditions: bm.cond(i),
				SetHeaderName: "X-Rule", SetHeaderValue: strconv.Itoa(i)}
		}
		topo := build(b, rulesSpec(rules...))
		msg := route.Message{From: ana, To: []string{erin}, Subject: "Invoice 99 for March"}
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := route.Trace(topo, msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestGroupExpansion: a distribution group is expanded where its directory
// is (Exchange Online here), nested groups too, and each member routes on
// its own ("Recipient resolution in Exchange Server").
func TestGroupExpansion(t *testing.T) {
	res, err := route.Trace(build(t, rulesSpec()), route.Message{From: erin, To: []string{finance}})
	require.NoError(t, err)
	var got []string
	for _, r := range res.Recipients {
		last := r.Hops[len(r.Hops)-1]
		var ev []string
		for _, e := range last.Events {
			ev = append(ev, e.String())
		}
		got = append(got, r.Address+" "+r.Disposition.String()+" at "+last.Node.String()+" ["+strings.Join(ev, " ")+"]")
	}
	want := []string{
		"finance@contoso.com Expanded at exo:contoso [RECEIVE EXPAND]",
		"ana@contoso.com Delivered at exo:contoso [RECEIVE DELIVER]",
		"auditors@contoso.com Expanded at exo:contoso [RECEIVE EXPAND]",
		"audit@contoso.com Delivered at exo:contoso [RECEIVE DELIVER]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("recipients:\n%s\nwant:\n%s\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), traceText(res))
	}
}

// TestGroupExpansionSplitsHybrid: a tenant group with an on-premises
// member: the members' copies part at the expansion hop. Members come in
// ascending address order, whatever order the group lists them in
// (docs/behaviour.md, L11).
func TestGroupExpansionSplitsHybrid(t *testing.T) {
	spec := scenarioContoso(func(s *topology.Spec) {
		s.Tenants[0].Recipients = append(s.Tenants[0].Recipients, topology.Recipient{Name: "Team", RecipientTypeDetails: topology.MailUniversalDistributionGroup,
			PrimarySmtpAddress: "team@contoso.com", Members: []string{"julie@contoso.com", "david@contoso.com"}})
	})
	res, err := route.Trace(build(t, spec), route.Message{From: "sender@fabrikam.com", To: []string{"team@contoso.com"}})
	require.NoError(t, err)
	var got []string
	for _, r := range res.Recipients {
		got = append(got, r.Address+" "+r.Disposition.String()+" "+strconv.Itoa(len(r.Hops)))
	}
	want := []string{"team@contoso.com Expanded 3", "david@contoso.com Delivered 3", "julie@contoso.com Delivered 6"}
	if !slices.Equal(got, want) || len(res.Copies) != 2 {
		t.Errorf("recipients %q, %d copies; want %q, 2 copies\n%s", got, len(res.Copies), want, traceText(res))
	}
}

// scenarioContoso returns the Contoso hybrid spec (MX to EOP) with changes.
func scenarioContoso(modify func(s *topology.Spec)) topology.Spec {
	s := scenario.ContosoSpec(mxEOP)
	modify(&s)
	return s
}

// TestJournalRules: a matching journal rule sends a report to its
// journaling mailbox, routed like any mail; Scope Internal and External
// follow the accepted domains ("Journaling in Exchange Online").
func TestJournalRules(t *testing.T) {
	journal := func(scope, recipient string) topology.Spec {
		s := rulesSpec()
		s.Tenants[0].JournalRules = []topology.JournalRule{{Name: "Archive", JournalEmailAddress: "journal@archive.example", Scope: scope, Recipient: recipient}}
		return s
	}
	tests := []struct {
		name string
		spec topology.Spec
		msg  route.Message
		want []string // recipients and their dispositions
	}{
		{"GlobalJournalsOutbound", journal("", ""), route.Message{From: ana, To: []string{erin}},
			[]string{"erin@cpandl.com Relayed", "journal@archive.example Relayed"}},
		{"InternalScope_InternalMail", journal("Internal", ""), route.Message{From: ana, To: []string{ben}},
			[]string{"ben@contoso.com Delivered", "journal@archive.example Relayed"}},
		{"InternalScope_ExternalMailNotJournaled", journal("Internal", ""), route.Message{From: ana, To: []string{erin}},
			[]string{"erin@cpandl.com Relayed"}},
		{"ExternalScope_InboundAnonymousMail", journal("External", ""), route.Message{From: erin, To: []string{ben}},
			[]string{"ben@contoso.com Delivered", "journal@archive.example Relayed"}},
		{"RecipientFilter_Other", journal("", ana), route.Message{From: erin, To: []string{ben}},
			[]string{"ben@contoso.com Delivered"}},
		{"RecipientFilter_Match", journal("", ben), route.Message{From: erin, To: []string{ben}},
			[]string{"ben@contoso.com Delivered", "journal@archive.example Relayed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			var got []string
			for _, r := range res.Recipients {
				got = append(got, r.Address+" "+r.Disposition.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("recipients %q, want %q\n%s", got, tt.want, traceText(res))
			}
		})
	}
}

// TestForwarding: a mailbox's ForwardingSmtpAddress redirects (REDIRECT)
// or copies its mail; outside the organization it needs AutoForwardingMode
// On, else 5.7.520 ("Control automatic external email forwarding").
func TestForwarding(t *testing.T) {
	fwd := func(to string, keep bool, mode string) topology.Spec {
		s := rulesSpec()
		s.Tenants[0].Recipients[1].ForwardingSmtpAddress = "smtp:" + to // Ben
		s.Tenants[0].Recipients[1].DeliverToMailboxAndForward = keep
		s.Tenants[0].AutoForwardingMode = mode
		return s
	}
	tests := []struct {
		name string
		spec topology.Spec
		want []string
	}{
		{"InternalRedirect", fwd(ana, false, ""), []string{"ben@contoso.com Delivered [RECEIVE REDIRECT DELIVER]"}},
		{"InternalDeliverAndForward", fwd(ana, true, ""), []string{"ben@contoso.com Delivered [RECEIVE DELIVER]", "ana@contoso.com Delivered [RECEIVE DELIVER]"}},
		{"ExternalBlocked", fwd(erin, false, ""), []string{"ben@contoso.com Rejected [RECEIVE FAIL]"}},
		{"ExternalBlocked_KeepsCopy", fwd(erin, true, "Automatic"), []string{"ben@contoso.com Delivered [RECEIVE DELIVER]"}},
		{"ExternalAllowed", fwd(erin, false, "On"), []string{"ben@contoso.com Relayed [RECEIVE]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), route.Message{From: audit, To: []string{ben}})
			require.NoError(t, err)
			var got []string
			for _, r := range res.Recipients {
				last := r.Hops[len(r.Hops)-1]
				var ev []string
				for _, e := range last.Events {
					ev = append(ev, e.String())
				}
				got = append(got, r.Address+" "+r.Disposition.String()+" ["+strings.Join(ev, " ")+"]")
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q\n%s", got, tt.want, traceText(res))
			}
			if tt.name == "ExternalBlocked" && res.Recipients[0].Status.String() != route.StatusForwardingBlocked {
				t.Errorf("status %q, want %q", res.Recipients[0].Status, route.StatusForwardingBlocked)
			}
		})
	}
}

// TestForwardingLoopEnds: two mailboxes forwarding to each other end in a
// loop disposition, not an endless trace.
func TestForwardingLoopEnds(t *testing.T) {
	s := rulesSpec()
	s.Tenants[0].Recipients[0].ForwardingSmtpAddress = ben // Ana forwards to Ben
	s.Tenants[0].Recipients[1].ForwardingSmtpAddress = ana // Ben forwards to Ana
	res, err := route.Trace(build(t, s), route.Message{From: audit, To: []string{ben}})
	require.NoError(t, err)
	if r := res.Recipients[0]; r.Disposition != route.Looped {
		t.Errorf("disposition %v, want Looped\n%s", r.Disposition, traceText(res))
	}
}

// TestFilterRules: the rule stage names the rules that matched, for
// whom, with their actions: the conditional routing rule matches Ana's
// mail to Erin, for Erin.
func TestFilterRules(t *testing.T) {
	topo, err := topology.Build(scenario.ConditionalRoutingSpec("Enforce"))
	require.NoError(t, err)
	res, err := route.Trace(topo, route.Message{From: scenario.Ana, To: []string{scenario.Erin}})
	require.NoError(t, err)
	var got []route.RuleMatch
	for _, h := range res.Recipients[0].Hops {
		for _, f := range h.Filters {
			got = append(got, f.Rules...)
		}
	}
	want := []route.RuleMatch{{Recipient: scenario.Erin, Name: "Route Accounting mail through the gateway", Enforced: true, Actions: []string{"RouteMessageOutboundConnector"}}}
	require.Equal(t, want, got)
}

// TestRulesReadInPlace: the engine reads the topology's mail flow rules in
// place; tracing messages that every action of every rule touches, on
// several goroutines, leaves the rules as they were built.
func TestRulesReadInPlace(t *testing.T) {
	scl := 5
	topo := build(t, rulesSpec(
		topology.TransportRule{Name: "Patterns", Priority: 0, Conditions: topology.Predicates{SubjectMatchesPatterns: []string{`^invoice \d+`}},
			SetHeaderName: "X-Invoice", SetHeaderValue: "yes", AddToRecipients: []string{audit}, SetSCL: &scl},
		topology.TransportRule{Name: "Words", Priority: 1, Conditions: topology.Predicates{SubjectOrBodyContainsWords: []string{"Secret"}},
			ExceptIf:          topology.Predicates{HeaderMatchesMessageHeader: "X-Class", HeaderMatchesPatterns: []string{"^public$"}},
			RedirectMessageTo: []string{ben, audit}, CopyTo: []string{ana}, BlindCopyTo: []string{audit}},
		topology.TransportRule{Name: "Route", Priority: 2, Conditions: topology.Predicates{RecipientDomainIs: []string{"cpandl.com"}},
			RouteMessageOutboundConnector: "To audit gateway", RemoveHeader: "X-Invoice"},
	))
	x, _ := topo.Tenant("contoso")
	before := slices.Collect(x.TransportRules())
	msgs := []route.Message{
		{From: ana, To: []string{erin, ben}, Subject: "Invoice 12", Headers: []route.Header{{Name: "X-Class", Value: "internal"}}},
		{From: "sam@fabrikam.com", To: []string{ana}, Subject: "secret plans", Body: "Secret"},
		{From: ana, To: []string{erin}, Subject: "hello"},
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, m := range msgs {
				if _, err := route.Trace(topo, m); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if diff := cmp.Diff(before, slices.Collect(x.TransportRules())); diff != "" {
		t.Errorf("rules changed by tracing (-before +after):\n%s", diff)
	}
}

// TestRulesRunOnceForAddedRecipients: a rule whose condition every
// recipient meets redirects to two addresses and copies a third; the
// recipients it adds get the message as the rules left it, without the
// rules running again for them ("Mail flow rule actions in Exchange
// Online": a redirection replaces the recipient, the others are added;
// docs/behaviour.md#l18-recipients-a-mail-flow-rule-adds). The rules used
// to run for the added recipients too, and the trace never returned.
func TestRulesRunOnceForAddedRecipients(t *testing.T) {
	topo := build(t, rulesSpec(topology.TransportRule{Name: "Secret", Conditions: topology.Predicates{SubjectOrBodyContainsWords: []string{"secret"}},
		RedirectMessageTo: []string{ben, audit}, CopyTo: []string{ana}}))
	res, err := route.Trace(topo, route.Message{From: "sam@fabrikam.com", To: []string{ana}, Subject: "Secret plans"})
	require.NoError(t, err)
	var got []string
	for _, r := range res.Recipients {
		last := r.Hops[len(r.Hops)-1]
		got = append(got, r.Address+" "+r.Disposition.String()+" at "+last.Node.String())
	}
	// RedirectMessageTo is a set held in address order (L11): ana's entry
	// is redirected to audit, ben is added; CopyTo adds ana back as a
	// recipient of her own.
	want := []string{
		"ana@contoso.com Delivered at exo:contoso",
		"ben@contoso.com Delivered at exo:contoso",
		"ana@contoso.com Delivered at exo:contoso",
	}
	if !slices.Equal(got, want) {
		t.Errorf("recipients:\n%s\nwant:\n%s\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), traceText(res))
	}
	rules, _ := res.Recipients[0].Hops[1].Filter(route.TransportRules)
	if n := len(rules.Rules); n != 1 {
		t.Errorf("the rule matched %d times, want once (for ana only):\n%s", n, traceText(res))
	}
}
