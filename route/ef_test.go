package route_test

import (
	"net/netip"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// thirdPartyMX is the third-party MX of "Manage mail flow using a
// third-party cloud service with Exchange Online": contoso.com's MX is a
// filtering service (198.51.100.200) that forwards to EOP, and a Partner
// connector locks EOP to it by IP; with ef the connector has Enhanced
// Filtering.
func thirdPartyMX(ef func(c *connector.Inbound)) topology.Spec {
	s := rulesSpec()
	s.External = append(s.External, topology.ExternalSpec{Name: "filter", Kind: topology.Appliance, Hosts: []string{"mx.filter.example"},
		IPAddress: "198.51.100.200", SmartHost: topology.EOPHost("contoso.com")})
	s.MXRecords[0] = topology.MXRecord{Domain: "contoso.com", Preference: 10, NameExchange: "mx.filter.example"}
	in := connector.Inbound{Name: "From filtering service", ConnectorType: connector.Partner, SenderDomains: []string{"*"},
		SenderIPAddresses: []string{"198.51.100.200"}, RestrictDomainsToIPAddresses: true, RequireTls: connector.False}
	if ef != nil {
		ef(&in)
	}
	s.Tenants[0].InboundConnectors = []connector.Inbound{in}
	return s
}

// TestEnhancedFiltering: behind a third-party MX, EOP sees the service,
// not the sender, unless Enhanced Filtering recovers it ("Enhanced
// Filtering for Connectors in Exchange Online").
func TestEnhancedFiltering(t *testing.T) {
	six := 6
	toBen := route.Message{From: erin, To: []string{ben}, SCL: &six}
	toBenAndAna := route.Message{From: erin, To: []string{ben, ana}, SCL: &six}
	sender := netip.MustParseAddr("198.51.100.25") // ext:cpandl
	filter := netip.MustParseAddr("198.51.100.200")
	tests := []struct {
		name   string
		spec   topology.Spec
		msg    route.Message
		result route.StageResult
		judged netip.Addr // the address anti-spam judged
	}{
		{"WithoutEF_NotEffective", thirdPartyMX(nil), toBen, route.NotEffective, filter},
		{"EFSkipLastIP_EvaluatesTheSender", thirdPartyMX(func(c *connector.Inbound) { c.EFSkipLastIP = true }), toBen, route.Applied, sender},
		{"EFSkipIPs_EvaluatesTheSender", thirdPartyMX(func(c *connector.Inbound) { c.EFSkipIPs = []string{"198.51.100.192-198.51.100.255"} }), toBen, route.Applied, sender},
		{"EFUsers_AllListed", thirdPartyMX(func(c *connector.Inbound) { c.EFSkipLastIP, c.EFUsers = true, []string{ben, ana} }), toBenAndAna, route.Applied, sender},
		{"EFUsers_NotAllListed_NormalFilteringForAll", thirdPartyMX(func(c *connector.Inbound) { c.EFSkipLastIP, c.EFUsers = true, []string{ben} }), toBenAndAna,
			route.NotEffective, filter},
		{"EFUsers_ByProxyAddress", thirdPartyMX(func(c *connector.Inbound) { c.EFSkipLastIP, c.EFUsers = true, []string{"ana.lopez@contoso.com"} }),
			route.Message{From: erin, To: []string{ana}, SCL: &six}, route.Applied, sender},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			h := res.Recipients[0].Hops[2] // ext:cpandl > appliance:filter > eop:contoso
			f, _ := h.Filter(route.AntiSpam)
			verdict := route.Verdict(0)
			if tt.result == route.Applied {
				verdict = route.VerdictSpam // SCL 6
			}
			if h.Node.String() != "eop:contoso" || f.Result != tt.result || f.Verdict != verdict || f.SourceIP != tt.judged {
				t.Errorf("AntiSpam at %s = %v %v judging %v; want %v %v judging %v\n%s", h.Node, f.Result, f.Verdict, f.SourceIP, tt.result, verdict, tt.judged, traceText(res))
			}
		})
	}
}

func TestEnhancedFilteringUnsupportedWithCMT(t *testing.T) {
	s := scenarioContoso(func(s *topology.Spec) {})
	s.MXRecords[0] = topology.MXRecord{Domain: "contoso.com", Preference: 10, NameExchange: "mail.contoso.com"}
	s.Hybrid[0].Features = []string{topology.FeatureCentralizedTransport}
	s.Tenants[0].InboundConnectors = []connector.Inbound{{Name: "Inbound from contoso", ConnectorType: connector.OnPremises, SenderDomains: []string{"*"},
		TlsSenderCertificateName: "mail.contoso.com", CloudServicesMailEnabled: true, EFSkipLastIP: true}}
	res, err := route.Trace(build(t, s), route.Message{From: "sender@fabrikam.com", To: []string{"david@contoso.com"}})
	require.NoError(t, err)
	f, _ := res.Recipients[0].Hops[2].Filter(route.AntiSpam)
	if f.Result != route.NotEffective {
		t.Errorf("AntiSpam = %+v, want NotEffective: EF unsupported with CMT\n%s", f, traceText(res))
	}
}
