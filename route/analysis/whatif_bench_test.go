package analysis_test

import (
	"fmt"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// largeHybrid returns a hybrid organization with the given number of
// accepted domains and of recipients per domain (half mailboxes in
// Exchange Online, half on-premises with their MailUser in the tenant) and
// 1,000 connectors (500 partner inbound, 500 partner outbound), MX at EOP,
// with centralized transport as given. The benchmarks use 1,000 domains
// of 100: 100,000 recipients.
func largeHybrid(tb testing.TB, cmt bool, ndomains, perDomain int) *topology.Topology {
	tb.Helper()
	x := topology.TenantSpec{Name: "contoso"}
	o := topology.OnPremisesSpec{Name: "contoso", Servers: []topology.ServerSpec{
		{Name: "EX01", Fqdn: "ex01.contoso.com", Hosts: []string{"mail.contoso.com"}, IPAddress: "203.0.113.10",
			Certificate: &topology.Certificate{CertificateDomains: []string{"mail.contoso.com", "ex01.contoso.com"}}},
		{Name: "EX02", Fqdn: "ex02.contoso.com", IPAddress: "203.0.113.11"},
	}}
	spec := topology.Spec{}
	var domains []string
	for d := range ndomains {
		dom := fmt.Sprintf("d%03d.example", d)
		domains = append(domains, dom)
		x.AcceptedDomains = append(x.AcceptedDomains, topology.AcceptedDomain{DomainName: dom})
		o.AcceptedDomains = append(o.AcceptedDomains, topology.AcceptedDomain{DomainName: dom})
		spec.MXRecords = append(spec.MXRecords, topology.MXRecord{Domain: dom, NameExchange: topology.EOPHost("d000.example")})
		for u := range perDomain {
			a := fmt.Sprintf("u%02d@%s", u, dom)
			if u%2 == 0 {
				x.Recipients = append(x.Recipients, topology.Recipient{Name: a, RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: a,
					EmailAddresses: []string{"SMTP:" + a, fmt.Sprintf("smtp:u%02d.%03d@contoso.mail.onmicrosoft.com", u, d)}})
				o.Recipients = append(o.Recipients, topology.Recipient{Name: a, RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: a,
					RemoteRoutingAddress: fmt.Sprintf("u%02d.%03d@contoso.mail.onmicrosoft.com", u, d)})
			} else {
				x.Recipients = append(x.Recipients, topology.Recipient{Name: a, RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: a})
				o.Recipients = append(o.Recipients, topology.Recipient{Name: a, RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: a, Server: "EX02"})
			}
		}
	}
	for p := range 500 {
		dom := fmt.Sprintf("partner%03d.example", p)
		x.InboundConnectors = append(x.InboundConnectors, connector.Inbound{Name: "From " + dom, ConnectorType: connector.Partner,
			SenderDomains: []string{dom}, SenderIPAddresses: []string{fmt.Sprintf("198.51.%d.%d/32", 100+p/250, p%250)}, RestrictDomainsToIPAddresses: true})
		x.OutboundConnectors = append(x.OutboundConnectors, connector.Outbound{Name: "To " + dom, ConnectorType: connector.Partner,
			RecipientDomains: []string{dom}, UseMXRecord: connector.True})
	}
	o.SendConnectors = []connector.Send{{Name: "To Internet", AddressSpaces: []string{"SMTP:*;1"}, SourceTransportServers: []string{"EX01"}}}
	spec.Tenants, spec.OnPremises = []topology.TenantSpec{x}, []topology.OnPremisesSpec{o}
	features := []string{}
	if cmt {
		features = append(features, topology.FeatureCentralizedTransport)
	}
	spec.Hybrid = []topology.HybridConfiguration{{Tenant: "contoso", OnPremises: "contoso", Domains: domains, OnPremisesSmartHost: "mail.contoso.com",
		TlsCertificateName: "mail.contoso.com", SendingTransportServers: []string{"EX01"}, ReceivingTransportServers: []string{"EX01"}, Features: features}}
	topo, err := topology.Build(spec)
	require.NoError(tb, err)
	return topo
}

// The analysis benchmarks also report cpu-ms/op, the process's CPU time
// per operation (two workers on two cores: twice the wall time at best),
// which a loaded machine does not inflate as it does ns/op.

// BenchmarkReachability traces every flow class of the large hybrid
// organization: 9,009 flow classes (the Internet, Exchange Online and EX02
// sending to 1,000 domains × 3 classes, 2 tenant domains and the Internet).
func BenchmarkReachability(b *testing.B) {
	topo := largeHybrid(b, false, 1000, 100)
	b.ReportAllocs()
	start := testopts.CPUTime()
	for b.Loop() {
		must(analysis.Reachability(topo))
	}
	testopts.ReportCPU(b, start, "cpu-ms/op")
}

// BenchmarkDiff compares the large hybrid organization without and with
// centralized mail transport.
func BenchmarkDiff(b *testing.B) {
	a, c := largeHybrid(b, false, 1000, 100), largeHybrid(b, true, 1000, 100)
	b.ReportAllocs()
	start := testopts.CPUTime()
	for b.Loop() {
		must(analysis.Diff(a, c))
	}
	testopts.ReportCPU(b, start, "cpu-ms/op")
}

func TestLargeHybridReachability(t *testing.T) {
	topo := largeHybrid(t, false, 50, 10)
	reaches := must(analysis.Reachability(topo))
	counts := map[route.Disposition]int{}
	for _, r := range reaches {
		require.Empty(t, r.Err)
		for _, rc := range r.Result.Recipients {
			counts[rc.Disposition]++
		}
	}
	// Every mailbox class is delivered, every unknown recipient refused,
	// nothing loops.
	require.Zero(t, counts[route.Looped])
	require.Equal(t, len(reaches), counts[route.Delivered]+counts[route.Rejected]+counts[route.Relayed], "%v", counts)
	diffs := must(analysis.Diff(topo, largeHybrid(t, true, 50, 10)))
	// Centralized transport changes mail from the Internet to every
	// domain's two mailbox classes, and Exchange Online's mail out.
	require.Len(t, diffs, 50*2+1)
}
