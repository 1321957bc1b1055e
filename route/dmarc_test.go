package route_test

import (
	"net/netip"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// TestDMARCAtEOP: what Exchange Online does with Internet mail that fails
// DMARC (Microsoft: "Set up DMARC to validate the From address domain for
// cloud senders", "How Microsoft 365 handles inbound email that fails
// DMARC"; docs/behaviour.md#l92-dmarc-and-composite-authentication).
// cpandl.com's SPF record covers only its server, 198.51.100.25.
func TestDMARCAtEOP(t *testing.T) {
	spf := spfTXT("cpandl.com", "v=spf1 ip4:198.51.100.25 -all")
	dmarc := func(rec string) topology.Spec { return withDNS(rulesSpec(), spf, spfTXT("_dmarc.cpandl.com", rec)) }
	policy := func(s topology.Spec, p topology.AntiPhishPolicy) topology.Spec {
		s.Tenants[0].AntiPhishPolicy = p
		return s
	}
	genuine := route.Message{From: erin, To: []string{ben}, Headers: []route.Header{{Name: "From", Value: "Erin <erin@cpandl.com>"}}}
	spoofed := genuine
	spoofed.SourceIP = netip.MustParseAddr("203.0.113.66")
	otherFrom := route.Message{From: erin, To: []string{ben}, Headers: []route.Header{{Name: "From", Value: "ceo@contoso.com"}}}
	const rejected = "550 5.7.509 Access denied, sending domain cpandl.com does not pass DMARC verification and has a DMARC policy of reject"
	tests := []struct {
		name     string
		spec     topology.Spec
		msg      route.Message
		hop      int
		dmarc    auth.DMARCResult
		action   string
		compauth string
		disp     route.Disposition
		status   string
		folder   route.Folder
	}{
		{"Pass", dmarc("v=DMARC1; p=reject"), genuine, 1, auth.DMARCPass, "none", "pass reason=100", route.Delivered, "", route.Inbox},
		{"RejectPolicy_Rejected", dmarc("v=DMARC1; p=reject"), spoofed, 1, auth.DMARCFail, "reject", "fail reason=000", route.Rejected, rejected, 0},
		{"RejectPolicy_DmarcRejectActionQuarantine", policy(dmarc("v=DMARC1; p=reject"), topology.AntiPhishPolicy{DmarcRejectAction: "Quarantine"}), spoofed, 1,
			auth.DMARCFail, "quarantine", "fail reason=000", route.Quarantined, "", 0},
		{"RejectPolicy_NotHonoured", policy(dmarc("v=DMARC1; p=reject"), topology.AntiPhishPolicy{HonorDmarcPolicy: connector.False}), spoofed, 1,
			auth.DMARCFail, "oreject", "fail reason=000", route.Delivered, "", route.Inbox},
		{"QuarantinePolicy_Quarantined", dmarc("v=DMARC1; p=quarantine"), spoofed, 1, auth.DMARCFail, "quarantine", "fail reason=000", route.Quarantined, "", 0},
		{"QuarantinePolicy_MoveToJmf", policy(dmarc("v=DMARC1; p=quarantine"), topology.AntiPhishPolicy{DmarcQuarantineAction: "MoveToJmf"}), spoofed, 1,
			auth.DMARCFail, "quarantine", "fail reason=000", route.Delivered, "", route.JunkEmail},
		{"NonePolicy_Delivered", dmarc("v=DMARC1; p=none"), spoofed, 1, auth.DMARCFail, "none", "fail reason=001", route.Delivered, "", route.Inbox},
		{"PctZero_NotApplied", dmarc("v=DMARC1; p=reject; pct=0"), spoofed, 1, auth.DMARCFail, "pct.reject", "fail reason=000", route.Delivered, "", route.Inbox},
		{"NoRecord_SoftPass", withDNS(rulesSpec(), spf), genuine, 1, auth.DMARCNone, "none", "softpass reason=200", route.Delivered, "", route.Inbox},
		{"FromAcceptedDomain_Spoofed", withDNS(rulesSpec(), spf, spfTXT("_dmarc.contoso.com", "v=DMARC1; p=quarantine")), otherFrom, 1,
			auth.DMARCFail, "quarantine", "fail reason=010", route.Quarantined, "", 0},
		{"ThirdPartyMX_WithoutEF_NotHonoured", withDNS(thirdPartyMX(nil), spf, spfTXT("_dmarc.cpandl.com", "v=DMARC1; p=reject")), genuine, 2,
			auth.DMARCFail, "oreject", "fail reason=000", route.Delivered, "", route.Inbox},
		{"ThirdPartyMX_EFSkipLastIP_Pass", withDNS(thirdPartyMX(func(c *connector.Inbound) { c.EFSkipLastIP = true }), spf, spfTXT("_dmarc.cpandl.com", "v=DMARC1; p=reject")),
			genuine, 2, auth.DMARCPass, "none", "pass reason=100", route.Delivered, "", route.Inbox},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			r := res.Recipients[0]
			require.Greater(t, len(r.Hops), tt.hop)
			a := r.Hops[tt.hop].Authentication
			if a == nil || a.DMARC == nil || a.CompAuth == nil {
				t.Fatalf("hop %d (%s) Authentication = %+v, want DMARC\n%s", tt.hop+1, r.Hops[tt.hop].Node, a, traceText(res))
			}
			compauth := string(a.CompAuth.Result) + " reason=" + a.CompAuth.Reason
			if a.DMARC.Result != tt.dmarc || a.DMARC.Action != tt.action || compauth != tt.compauth {
				t.Errorf("DMARC = %s action=%s compauth=%s (%s); want %s action=%s compauth=%s", a.DMARC.Result, a.DMARC.Action, compauth, a.DMARC.Reason, tt.dmarc, tt.action, tt.compauth)
			}
			if r.Disposition != tt.disp || r.Status.String() != tt.status || r.Folder != tt.folder {
				t.Errorf("%s = %s %q in %s, want %s %q in %s\n%s", r.Address, r.Disposition, r.Status, r.Folder, tt.disp, tt.status, tt.folder, traceText(res))
			}
		})
	}
}

// BenchmarkAuthentication: the cost of SPF and DMARC at EOP against the
// same trace in a topology without DNS records.
func BenchmarkAuthentication(b *testing.B) {
	spf := spfTXT("cpandl.com", "v=spf1 include:_spf.cpandl.com -all")
	inc := spfTXT("_spf.cpandl.com", "v=spf1 a:mx.cpandl.com ip4:192.0.2.0/24 -all")
	specs := []struct {
		name string
		spec topology.Spec
	}{
		{"NoDNS", rulesSpec()},
		{"SPFAndDMARC", withDNS(rulesSpec(), spf, inc, spfTXT("_dmarc.cpandl.com", "v=DMARC1; p=reject"))},
	}
	msg := route.Message{From: erin, To: []string{ben}, Headers: []route.Header{{Name: "From", Value: "Erin <erin@cpandl.com>"}}}
	for _, s := range specs {
		b.Run(s.name, func(b *testing.B) {
			tp, err := topology.Build(s.spec)
			require.NoError(b, err)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := route.Trace(tp, msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
