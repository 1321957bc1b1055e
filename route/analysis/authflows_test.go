package analysis_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/mailflowsim/mailflow/topology/dns"
	"github.com/stretchr/testify/require"
)

// authSpec: tenants contoso (ben, who forwards to kim@fabrikam.com when
// forward) and fabrikam (kim), and cpandl, an Internet domain's host at
// 198.51.100.25, with the DNS records given.
func authSpec(forward bool, records ...dns.Record) topology.Spec {
	mbx := func(addr string) topology.Recipient {
		return topology.Recipient{Name: addr[:strings.IndexByte(addr, '@')], RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: addr}
	}
	ben := mbx("ben@contoso.com")
	if forward {
		ben.ForwardingSmtpAddress = "smtp:kim@fabrikam.com"
	}
	return topology.Spec{
		Tenants: []topology.TenantSpec{
			{Name: "contoso", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}}, AutoForwardingMode: "On", Recipients: []topology.Recipient{ben}},
			{Name: "fabrikam", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "fabrikam.com"}}, Recipients: []topology.Recipient{mbx("kim@fabrikam.com")}},
		},
		External: []topology.ExternalSpec{{Name: "cpandl", Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}, IPAddress: "198.51.100.25"}},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")},
			{Domain: "fabrikam.com", NameExchange: topology.EOPHost("fabrikam.com")},
			{Domain: "cpandl.com", Preference: 10, NameExchange: "mx.cpandl.com"},
		},
		DNSRecords: records,
	}
}

// gatewaySpec puts a filtering service in front of contoso's EOP, with
// Enhanced Filtering for Connectors skipping it when ef is true.
func gatewaySpec(ef bool) topology.Spec {
	s := authSpec(false, txt("cpandl.com", "v=spf1 ip4:198.51.100.25 -all"))
	s.External = append(s.External, topology.ExternalSpec{Name: "filter", Kind: topology.Appliance, Hosts: []string{"mx.filter.example"},
		IPAddress: "198.51.100.200", SmartHost: topology.EOPHost("contoso.com")})
	s.MXRecords[0] = topology.MXRecord{Domain: "contoso.com", Preference: 10, NameExchange: "mx.filter.example"}
	s.Tenants[0].InboundConnectors = []connector.Inbound{{Name: "From filtering service", ConnectorType: connector.Partner, SenderDomains: []string{"*"},
		SenderIPAddresses: []string{"198.51.100.200"}, RestrictDomainsToIPAddresses: true, RequireTls: connector.False, EFSkipLastIP: ef}}
	return s
}

func txt(name, v string) dns.Record {
	return dns.Record{Name: name, Type: dns.TXT, Strings: []string{v}}
}

var (
	contosoSPF = txt("contoso.com", "v=spf1 include:spf.protection.outlook.com -all")
	cpandlSPF  = txt("cpandl.com", "v=spf1 ip4:198.51.100.25 -all")
	// The wrong records: contoso.com lists an old server, not EOP;
	// cpandl.com lists another host than the one it sends from.
	contosoWrongSPF = txt("contoso.com", "v=spf1 ip4:192.0.2.1 -all")
	cpandlWrongSPF  = txt("cpandl.com", "v=spf1 ip4:192.0.2.9 ~all")
	cpandlReject    = txt("_dmarc.cpandl.com", "v=DMARC1; p=reject")
)

func buildSpec(t *testing.T, s topology.Spec) *topology.Topology {
	t.Helper()
	topo, err := topology.Build(s)
	require.NoError(t, err)
	return topo
}

// findingsOf returns the findings of the rule Analyze reports.
func findingsOf(t *testing.T, topo *topology.Topology, rule analysis.Rule) []analysis.Finding {
	t.Helper()
	var out []analysis.Finding
	for _, f := range must(analysis.Analyze(topo)) {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// authAt returns the authentication the recipient's trace met at node.
func authAt(t *testing.T, topo *topology.Topology, msg route.Message, node string) (*route.Result, *auth.Results) {
	t.Helper()
	res, err := route.Trace(topo, msg)
	require.NoError(t, err)
	for _, h := range res.Recipients[0].Hops {
		if h.Node.String() == node && h.Authentication != nil {
			return res, h.Authentication
		}
	}
	t.Fatalf("no authentication at %s", node)
	return nil, nil
}

// TestSPFMissesSender: a tenant whose SPF record does not include EOP's,
// and an Internet domain's host its record does not list, fail SPF where
// their mail is received; the finding names the sender, and the trace to
// a modelled receiver shows the failure (Microsoft: "Set up SPF to help
// prevent spoofing").
func TestSPFMissesSender(t *testing.T) {
	wrong := buildSpec(t, authSpec(false, contosoWrongSPF, cpandlWrongSPF))
	got := map[string]string{}
	for _, f := range findingsOf(t, wrong, analysis.RuleSPFMissesSender) {
		got[strings.Join(f.Objects, ",")] = f.Message
	}
	want := map[string]string{
		`Tenants["contoso"]`: "does not cover 40.107.0.1, the address eop:contoso sends from: spf=fail where its mail is received",
		`External["cpandl"]`: "does not cover 198.51.100.25, the address ext:cpandl sends from: spf=softfail where its mail is received",
	}
	for obj, msg := range want {
		if !strings.Contains(got[obj], msg) {
			t.Errorf("finding on %s = %q, want it to say %q (all: %q)", obj, got[obj], msg, got)
		}
	}
	// Mail from contoso's mailbox to fabrikam (evaluated there) and to
	// cpandl.com, relayed out of the modelled organizations (the
	// receiver's check is predicted).
	for _, flow := range []string{"mailbox exo:contoso -> fabrikam.com mailbox exo:fabrikam", "mailbox exo:contoso -> external cpandl.com"} {
		if !strings.Contains(got[`Tenants["contoso"]`], flow) {
			t.Errorf("finding on contoso does not name the flow %s: %q", flow, got[`Tenants["contoso"]`])
		}
	}
	// The traces show it.
	_, a := authAt(t, wrong, route.Message{From: "ben@contoso.com", To: []string{"kim@fabrikam.com"}}, "eop:fabrikam")
	if a.SPF.Result != auth.SPFFail || a.SPF.IP != topology.EOPSendingIP {
		t.Errorf("trace contoso -> fabrikam: %s", a.Header())
	}
	_, a = authAt(t, wrong, route.Message{From: "someone@cpandl.com", To: []string{"ben@contoso.com"}, Origin: topology.MustParseNodeID("ext:cpandl")}, "eop:contoso")
	if a.SPF.Result != auth.SPFSoftFail {
		t.Errorf("trace cpandl -> contoso: %s", a.Header())
	}

	if fs := findingsOf(t, buildSpec(t, authSpec(false, contosoSPF, cpandlSPF)), analysis.RuleSPFMissesSender); len(fs) > 0 {
		t.Errorf("records that cover every sender: %v", fs)
	}
}

// TestSPFJudgesGateway: behind a third-party MX without Enhanced
// Filtering, EOP evaluates SPF on the gateway's address; skipping it
// recovers the sender ("Enhanced Filtering for Connectors in Exchange
// Online").
func TestSPFJudgesGateway(t *testing.T) {
	without := buildSpec(t, gatewaySpec(false))
	fs := findingsOf(t, without, analysis.RuleSPFJudgesGateway)
	want := []string{`Tenants["contoso"]`, `Tenants["contoso"].InboundConnectors["From filtering service"]`}
	if len(fs) != 1 || !slices.Equal(fs[0].Objects, want) || !strings.Contains(fs[0].Message, "evaluated on 198.51.100.200, the address of appliance:filter") {
		t.Fatalf("findings %v, want one on %q naming 198.51.100.200", fs, want)
	}
	// The gateway relays cpandl.com's mail: its SPF failing there is not
	// cpandl's record missing a host.
	if fs := findingsOf(t, without, analysis.RuleSPFMissesSender); len(fs) > 0 {
		t.Errorf("SPFMissesSender behind the gateway: %v", fs)
	}
	msg := route.Message{From: "someone@cpandl.com", To: []string{"ben@contoso.com"}, Origin: topology.MustParseNodeID("ext:cpandl")}
	if _, a := authAt(t, without, msg, "eop:contoso"); a.SPF.Result != auth.SPFFail || a.SPF.IP.String() != "198.51.100.200" {
		t.Errorf("trace without Enhanced Filtering: %s", a.Header())
	}

	with := buildSpec(t, gatewaySpec(true))
	if fs := findingsOf(t, with, analysis.RuleSPFJudgesGateway); len(fs) > 0 {
		t.Errorf("with Enhanced Filtering: %v", fs)
	}
	if _, a := authAt(t, with, msg, "eop:contoso"); a.SPF.Result != auth.SPFPass {
		t.Errorf("trace with Enhanced Filtering: %s", a.Header())
	}
}

// TestForwardingFailsDMARC: ben forwards outside; the Sender Rewriting
// Scheme makes the copy's SPF pass on contoso.com, which is not aligned
// with cpandl.com, whose DMARC policy is reject: fabrikam rejects the
// copy ("Sender Rewriting Scheme (SRS) in Microsoft 365"; "Set up DMARC to
// validate the From address domain for cloud senders").
func TestForwardingFailsDMARC(t *testing.T) {
	records := []dns.Record{contosoSPF, cpandlSPF, cpandlReject}
	fwd := buildSpec(t, authSpec(true, records...))
	fs := findingsOf(t, fwd, analysis.RuleForwardingFailsDMARC)
	if len(fs) == 0 || !slices.Equal(fs[0].Objects, []string{`Tenants["contoso"]`}) ||
		!strings.Contains(fs[0].Message, "fails DMARC for cpandl.com (p=reject) where eop:fabrikam receives it: its envelope sender contoso.com (spf=pass)") {
		t.Fatalf("findings %v, want one on contoso naming eop:fabrikam", fs)
	}
	res, err := route.Trace(fwd, route.Message{From: "someone@cpandl.com", To: []string{"ben@contoso.com"}, Origin: topology.MustParseNodeID("ext:cpandl")})
	require.NoError(t, err)
	if r := res.Recipients[0]; r.Disposition != route.Rejected || !strings.HasPrefix(r.Status.String(), "550 5.7.509") {
		t.Errorf("forwarded copy: %s %s, want Rejected 550 5.7.509", r.Disposition, r.Status)
	}

	if fs := findingsOf(t, buildSpec(t, authSpec(false, records...)), analysis.RuleForwardingFailsDMARC); len(fs) > 0 {
		t.Errorf("without forwarding: %v", fs)
	}
}

// TestDiffAuthentication: adding Enhanced Filtering for Connectors behind
// a third-party MX changes what SPF and DMARC find for mail from outside
// to contoso (the sender's address instead of the gateway's) and nothing
// else; moving contoso's MX from the gateway to EOP changes the path and
// the authentication of the same flows. Mail to fabrikam, which the
// gateway does not front, is not a difference ("Enhanced Filtering for
// Connectors in Exchange Online").
func TestDiffAuthentication(t *testing.T) {
	without := buildSpec(t, gatewaySpec(false))
	diffs := must(analysis.Diff(without, buildSpec(t, gatewaySpec(true))))
	got := map[string][]analysis.Aspect{}
	for _, d := range diffs {
		got[d.Class.Key()] = d.Aspects
	}
	for _, class := range []string{"Internet -> contoso.com mailbox exo:contoso", "ext:cpandl -> contoso.com mailbox exo:contoso"} {
		if !slices.Contains(got[class], analysis.AspectAuthentication) {
			t.Errorf("%s: aspects %v, want Authentication", class, got[class])
		}
		if slices.Contains(got[class], analysis.AspectPath) {
			t.Errorf("%s: aspects %v: Enhanced Filtering does not change the path", class, got[class])
		}
	}
	for class, aspects := range got {
		if strings.Contains(class, "fabrikam.com") || strings.HasPrefix(class, "mailbox ") {
			t.Errorf("%s differs in %v: Enhanced Filtering on contoso's connector does not concern it", class, aspects)
		}
	}

	moved := gatewaySpec(false)
	moved.MXRecords[0] = topology.MXRecord{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")}
	diffs = must(analysis.Diff(without, buildSpec(t, moved)))
	found := false
	for _, d := range diffs {
		if d.Class.Key() == "ext:cpandl -> contoso.com mailbox exo:contoso" {
			found = slices.Contains(d.Aspects, analysis.AspectAuthentication) && slices.Contains(d.Aspects, analysis.AspectPath)
		}
	}
	if !found {
		t.Errorf("moving the MX to EOP: ext:cpandl -> contoso.com is not a difference in Path and Authentication: %v", diffRows(diffs))
	}

	// No DNS records: nothing is evaluated, no Authentication difference.
	plain := func(ef bool) *topology.Topology {
		s := gatewaySpec(ef)
		s.DNSRecords = nil
		return buildSpec(t, s)
	}
	for _, d := range must(analysis.Diff(plain(false), plain(true))) {
		if slices.Contains(d.Aspects, analysis.AspectAuthentication) {
			t.Errorf("without DNS records, %s differs in Authentication", d.Class.Key())
		}
	}
}

// TestSPFMissesOnPremises: Contoso's on-premises mailbox server EX02
// sends to the Internet directly, from the address the topology gives it
// (10.0.0.12), which a contoso.com record that includes only EOP's
// addresses does not cover; listing the servers too covers them ("Set up
// SPF to help prevent spoofing").
func TestSPFMissesOnPremises(t *testing.T) {
	spec := func(record string) *topology.Topology {
		s := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
		s.DNSRecords = []dns.Record{txt("contoso.com", record)}
		return buildSpec(t, s)
	}
	var onPrem []analysis.Finding
	for _, f := range findingsOf(t, spec("v=spf1 include:spf.protection.outlook.com -all"), analysis.RuleSPFMissesSender) {
		if slices.Equal(f.Objects, []string{`OnPremises["contoso"]`}) {
			onPrem = append(onPrem, f)
		}
	}
	if len(onPrem) != 1 || !strings.Contains(onPrem[0].Message, "does not cover 10.0.0.12, the address onprem:contoso/EX02 sends from") || !strings.Contains(onPrem[0].Message, "-> Internet") {
		t.Errorf("findings on the on-premises organization: %v, want one naming EX02 and the flow to the Internet", onPrem)
	}
	if fs := findingsOf(t, spec("v=spf1 ip4:203.0.113.10 ip4:10.0.0.12 include:spf.protection.outlook.com -all"), analysis.RuleSPFMissesSender); len(fs) > 0 {
		t.Errorf("a record that covers both: %v", fs)
	}
}

// TestDKIMBrokenByHop: behind the email-authentication scenario's
// filtering service, which adds a footer, fabrikam.com's signed mail
// fails DKIM (the body hash does not verify, RFC 6376, section 3.7) and,
// without Enhanced Filtering, SPF too, so DMARC fails under p=reject: the
// finding names the service, and the trace shows dkim=fail and
// dmarc=fail at EOP. With Enhanced Filtering, SPF passes on the sender's
// address and DMARC passes: no finding.
func TestDKIMBrokenByHop(t *testing.T) {
	msg := route.Message{From: scenario.AuthErin, To: []string{scenario.AuthAnn}, Headers: []route.Header{{Name: "From", Value: scenario.AuthErin}}}
	for _, ef := range []bool{false, true} {
		topo := buildSpec(t, scenario.EmailAuthenticationSpec(ef, false))
		fs := findingsOf(t, topo, analysis.RuleDKIMBrokenByHop)
		res, err := route.Trace(topo, msg)
		require.NoError(t, err)
		var got *auth.Results
		for _, h := range res.Recipients[0].Hops {
			if h.Node.String() == "eop:contoso" && h.Authentication != nil {
				got = h.Authentication
			}
		}
		require.NotNil(t, got)
		require.Equal(t, auth.DKIMFail, got.DKIM.Result, "the footer breaks the signature either way")
		if ef {
			require.Empty(t, fs)
			require.Equal(t, auth.DMARCPass, got.DMARC.Result)
			continue
		}
		require.Len(t, fs, 1)
		require.Equal(t, []string{`External["filter"]`}, fs[0].Objects)
		require.Contains(t, fs[0].Message, "breaks the DKIM signature of fabrikam.com: mail from fabrikam.com (p=reject) fails DMARC where eop:contoso receives it")
		require.Equal(t, auth.DMARCFail, got.DMARC.Result)
	}
}
