package route_test

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/mailflowsim/mailflow/topology/dns"
	"github.com/stretchr/testify/require"
)

// withDNS returns s with the DNS records added.
func withDNS(s topology.Spec, rs ...dns.Record) topology.Spec {
	s.DNSRecords = append(s.DNSRecords, rs...)
	return s
}

func spfTXT(name, record string) dns.Record {
	return dns.Record{Name: name, Type: dns.TXT, Strings: []string{record}}
}

// TestSPFAtEOP: EOP checks SPF where Internet mail enters the tenant, on
// the address it judges the message by (Microsoft: "Email authentication
// in EOP"; "Enhanced Filtering for Connectors in Exchange Online";
// docs/behaviour.md#l91-where-spf-is-evaluated).
func TestSPFAtEOP(t *testing.T) {
	cpandlSPF := spfTXT("cpandl.com", "v=spf1 ip4:198.51.100.25 -all")
	erinToBen := route.Message{From: erin, To: []string{ben}}
	fromElsewhere := erinToBen
	fromElsewhere.SourceIP = netip.MustParseAddr("203.0.113.9")
	efLast := func(c *connector.Inbound) { c.EFSkipLastIP = true }
	tests := []struct {
		name   string
		spec   topology.Spec
		msg    route.Message
		hop    int // index of the EOP hop
		want   auth.SPFResult
		ip     string
		header string
	}{
		{"CoveredIP_Pass", withDNS(rulesSpec(), cpandlSPF), erinToBen, 1, auth.SPFPass, "198.51.100.25",
			"spf=pass (sender IP is 198.51.100.25) smtp.mailfrom=cpandl.com;"},
		{"UncoveredIP_Fail", withDNS(rulesSpec(), cpandlSPF), fromElsewhere, 1, auth.SPFFail, "203.0.113.9",
			"spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=cpandl.com;"},
		{"SoftFail", withDNS(rulesSpec(), spfTXT("cpandl.com", "v=spf1 ip4:192.0.2.1 ~all")), erinToBen, 1, auth.SPFSoftFail, "198.51.100.25",
			"spf=softfail (sender IP is 198.51.100.25) smtp.mailfrom=cpandl.com;"},
		{"AMechanismNamesTheNode", withDNS(rulesSpec(), spfTXT("cpandl.com", "v=spf1 a:mx.cpandl.com -all")), erinToBen, 1, auth.SPFPass, "198.51.100.25",
			"spf=pass (sender IP is 198.51.100.25) smtp.mailfrom=cpandl.com;"},
		{"MXMechanism", withDNS(rulesSpec(), spfTXT("cpandl.com", "v=spf1 mx -all")), erinToBen, 1, auth.SPFPass, "198.51.100.25",
			"spf=pass (sender IP is 198.51.100.25) smtp.mailfrom=cpandl.com;"},
		{"NoSPFRecord_None", withDNS(rulesSpec(), spfTXT("fabrikam.com", "v=spf1 -all")), erinToBen, 1, auth.SPFNone, "198.51.100.25",
			"spf=none (sender IP is 198.51.100.25) smtp.mailfrom=cpandl.com;"},
		{"FailingRecord_TempError", withDNS(rulesSpec(), dns.Record{Name: "cpandl.com", Type: dns.TXT, Strings: []string{"v=spf1 +all"}, Failing: true}),
			erinToBen, 1, auth.SPFTempError, "198.51.100.25", "spf=temperror (sender IP is 198.51.100.25) smtp.mailfrom=cpandl.com;"},
		{"NullSender_HELO", withDNS(rulesSpec(), spfTXT("mx.cpandl.com", "v=spf1 a -all")), route.Message{To: []string{ben}, Origin: topology.MustParseNodeID("ext:cpandl")}, 1,
			auth.SPFPass, "198.51.100.25", "spf=pass (sender IP is 198.51.100.25) smtp.mailfrom=mx.cpandl.com;"},
		{"ThirdPartyMX_WithoutEF_SeesTheGateway", withDNS(thirdPartyMX(nil), cpandlSPF), erinToBen, 2, auth.SPFFail, "198.51.100.200",
			"spf=fail (sender IP is 198.51.100.200) smtp.mailfrom=cpandl.com;"},
		{"ThirdPartyMX_EFSkipLastIP_SeesTheSender", withDNS(thirdPartyMX(efLast), cpandlSPF), erinToBen, 2, auth.SPFPass, "198.51.100.25",
			"spf=pass (sender IP is 198.51.100.25) smtp.mailfrom=cpandl.com;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			hops := res.Recipients[0].Hops
			require.Greater(t, len(hops), tt.hop)
			h := hops[tt.hop]
			if h.Node.String() != "eop:contoso" || h.Authentication == nil || h.Authentication.SPF == nil {
				t.Fatalf("hop %d = %s with Authentication %+v, want eop:contoso with SPF\n%s", tt.hop+1, h.Node, h.Authentication, traceText(res))
			}
			s := h.Authentication.SPF
			if s.Result != tt.want || s.IP.String() != tt.ip || !strings.Contains(tt.header, "smtp.mailfrom="+s.MailFrom+";") || !strings.HasPrefix(h.Authentication.Header(), tt.header) {
				t.Errorf("SPF at %s = %s for %s (%s), header %q; want %s for %s, header %q", h.Node, s.Result, s.IP, s.Reason, h.Authentication.Header(), tt.want, tt.ip, tt.header)
			}
			js, err := json.Marshal(h)
			require.NoError(t, err)
			if want := `"authentication":{"spf":{"result":"` + string(tt.want) + `","ip":"` + tt.ip + `","mailFrom":"` + s.MailFrom + `"`; !strings.Contains(string(js), want) {
				t.Errorf("JSON of the hop = %s, want it to contain %s", js, want)
			}
			if text := traceText(res); !strings.Contains(text, "      Authentication-Results: "+tt.header) {
				t.Errorf("render.Text does not show Authentication-Results: %s\n%s", tt.header, text)
			}
			for i, o := range hops {
				if i != tt.hop && o.Authentication != nil {
					t.Errorf("hop %d (%s) has Authentication %+v, want SPF at hop %d only", i+1, o.Node, o.Authentication, tt.hop+1)
				}
			}
		})
	}
}

// TestSPFNotEvaluated: no declared DNS evaluates nothing; mail from the
// tenant's own mailboxes, or from its on-premises servers through an
// OnPremises connector, is not checked
// (docs/behaviour.md#l91-where-spf-is-evaluated).
func TestSPFNotEvaluated(t *testing.T) {
	tests := []struct {
		name string
		spec topology.Spec
		msg  route.Message
	}{
		{"NoDNSRecords", rulesSpec(), route.Message{From: erin, To: []string{ben}}},
		{"FromTheTenant", withDNS(rulesSpec(), spfTXT("contoso.com", "v=spf1 -all")), route.Message{From: ana, To: []string{erin}}},
		{"WithinTheTenant", withDNS(rulesSpec(), spfTXT("contoso.com", "v=spf1 -all")), route.Message{From: ana, To: []string{ben}}},
		// Without CloudServicesMailEnabled the hybrid connector attributes
		// on-premises mail Anonymous, but Originating: the organization's.
		{"FromOnPremisesThroughConnector", withDNS(scenarioContoso(func(s *topology.Spec) {
			s.Tenants[0].InboundConnectors = []connector.Inbound{{Name: "Inbound from contoso", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"},
				TlsSenderCertificateName: "mail.contoso.com"}}
		}), spfTXT("contoso.com", "v=spf1 -all"), spfTXT("_dmarc.contoso.com", "v=DMARC1; p=reject")),
			route.Message{From: "julie@contoso.com", To: []string{"david@contoso.com"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			for _, r := range res.Recipients {
				for i, h := range r.Hops {
					if h.Authentication != nil {
						t.Errorf("%s hop %d (%s) has Authentication %+v, want none", r.Address, i+1, h.Node, h.Authentication)
					}
				}
			}
		})
	}
}
