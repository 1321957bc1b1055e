package route_test

import (
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// thirdPartyMX is reference §3.4's third-party MX: contoso.com's MX is a
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
// not the sender, unless Enhanced Filtering recovers it (reference §8.2,
// §8.3).
func TestEnhancedFiltering(t *testing.T) {
	six := 6
	toBen := route.Message{From: erin, To: []string{ben}, SCL: &six}
	toBenAndAna := route.Message{From: erin, To: []string{ben, ana}, SCL: &six}
	tests := []struct {
		name      string
		spec      topology.Spec
		msg       route.Message
		applied   bool
		verdict   string
		reasonHas string
	}{
		{"WithoutEF_NotEffective", thirdPartyMX(nil), toBen, false, route.VerdictNotEffective, "Enhanced Filtering for Connectors is not configured"},
		{"EFSkipLastIP_EvaluatesTheSender", thirdPartyMX(func(c *connector.Inbound) { c.EFSkipLastIP = true }), toBen,
			true, route.VerdictSpam, "evaluates 198.51.100.25 (ext:cpandl) instead of the last hop 198.51.100.200"},
		{"EFSkipIPs_EvaluatesTheSender", thirdPartyMX(func(c *connector.Inbound) { c.EFSkipIPs = []string{"198.51.100.192-198.51.100.255"} }), toBen,
			true, route.VerdictSpam, "evaluates 198.51.100.25 (ext:cpandl)"},
		{"EFUsers_AllListed", thirdPartyMX(func(c *connector.Inbound) { c.EFSkipLastIP, c.EFUsers = true, []string{ben, ana} }), toBenAndAna,
			true, route.VerdictSpam, "evaluates 198.51.100.25"},
		{"EFUsers_NotAllListed_NormalFilteringForAll", thirdPartyMX(func(c *connector.Inbound) { c.EFSkipLastIP, c.EFUsers = true, []string{ben} }), toBenAndAna,
			false, route.VerdictNotEffective, "ana@contoso.com is not in EFUsers"},
		{"EFUsers_ByProxyAddress", thirdPartyMX(func(c *connector.Inbound) { c.EFSkipLastIP, c.EFUsers = true, []string{"ana.lopez@contoso.com"} }),
			route.Message{From: erin, To: []string{ana}, SCL: &six}, true, route.VerdictSpam, "evaluates 198.51.100.25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			h := res.Recipients[0].Hops[2] // ext:cpandl > appliance:filter > eop:contoso
			f, _ := filter(h, route.AntiSpam)
			if h.Node.String() != "eop:contoso" || f.Applied != tt.applied || f.Verdict != tt.verdict || !strings.Contains(f.Reason, tt.reasonHas) {
				t.Errorf("AntiSpam at %s = %+v; want applied %v, %q, reason containing %q\n%s", h.Node, f, tt.applied, tt.verdict, tt.reasonHas, res)
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
	f, _ := filter(res.Recipients[0].Hops[2], route.AntiSpam)
	if f.Verdict != route.VerdictNotEffective || !strings.Contains(f.Reason, "not supported with centralized mail transport") {
		t.Errorf("AntiSpam = %+v, want NotEffective: EF unsupported with CMT\n%s", f, res)
	}
}
