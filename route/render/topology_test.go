package render_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// renderContosoSpec is the Contoso hybrid organization of Microsoft's
// "Transport routing in Exchange hybrid deployments" (written out here
// rather than taken from the scenario package, so that the goldens do not
// change with its fixture): tenant contoso
// with David's mailbox, on-premises EX01 (the hybrid server) and EX02
// (Julie's mailbox), a "To Internet" Send connector, cpandl.com on the
// Internet, and contoso.com's MX on EOP or on-premises.
func renderContosoSpec(mxOnPrem, cmt bool) topology.Spec {
	mx := topology.MXRecord{Domain: "contoso.com", Preference: 0, NameExchange: topology.EOPHost("contoso.com")}
	if mxOnPrem {
		mx = topology.MXRecord{Domain: "contoso.com", Preference: 10, NameExchange: "mail.contoso.com"}
	}
	var features []string
	if cmt {
		features = []string{topology.FeatureCentralizedTransport}
	}
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com", DomainType: topology.Authoritative}},
			Recipients: []topology.Recipient{
				{Name: "David", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "david@contoso.com",
					EmailAddresses: []string{"SMTP:david@contoso.com", "smtp:david@contoso.mail.onmicrosoft.com"}},
				{Name: "Julie", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: "julie@contoso.com"},
			},
		}},
		OnPremises: []topology.OnPremisesSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com", DomainType: topology.Authoritative}},
			Servers: []topology.ServerSpec{
				{Name: "EX01", Fqdn: "ex01.contoso.com", Hosts: []string{"mail.contoso.com"}, IPAddress: "203.0.113.10",
					Certificate: &topology.Certificate{CertificateDomains: []string{"mail.contoso.com", "ex01.contoso.com"}}},
				{Name: "EX02", Fqdn: "ex02.contoso.com", IPAddress: "10.0.0.12"},
			},
			Recipients: []topology.Recipient{
				{Name: "Julie", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "julie@contoso.com", Server: "EX02"},
				{Name: "David", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "david@contoso.com",
					RemoteRoutingAddress: "SMTP:david@contoso.mail.onmicrosoft.com"},
			},
			SendConnectors: []connector.Send{{
				Name: "To Internet", AddressSpaces: []string{"SMTP:*;1"}, DNSRoutingEnabled: connector.True,
				SourceTransportServers: []string{"EX01", "EX02"},
			}},
		}},
		External: []topology.ExternalSpec{
			{Name: "cpandl", Kind: topology.Internet, Domains: []string{"cpandl.com"}, Hosts: []string{"mx.cpandl.com"}, IPAddress: "198.51.100.25"},
		},
		MXRecords: []topology.MXRecord{mx, {Domain: "cpandl.com", Preference: 10, NameExchange: "mx.cpandl.com"}},
		Hybrid: []topology.HybridConfiguration{{
			Tenant: "contoso", OnPremises: "contoso", Domains: []string{"contoso.com"},
			OnPremisesSmartHost: "mail.contoso.com", TlsCertificateName: "<I>CN=Contoso CA<S>CN=mail.contoso.com",
			SendingTransportServers: []string{"EX01"}, ReceivingTransportServers: []string{"EX01"},
			Features: features,
		}},
	}
}

// renderPartnerSpec adds to the Contoso organization a partner reached by
// MX through a TLS outbound connector, a partner reached through a smart
// host, a disabled connector, a Send connector to a smart host, and a
// scanner that submits as a mailbox: every kind of edge.
func renderPartnerSpec() topology.Spec {
	s := renderContosoSpec(false, false)
	s.Tenants[0].OutboundConnectors = []connector.Outbound{
		{Name: "To ContosoBank", ConnectorType: connector.Partner, RecipientDomains: []string{"contosobank.com"},
			UseMXRecord: connector.True, TlsSettings: connector.TlsDomainValidation, TlsDomain: "mail.contosobank.com"},
		{Name: "To Tailspin \"relay\"", ConnectorType: connector.Partner, RecipientDomains: []string{"*.tailspintoys.com"},
			UseMXRecord: connector.False, SmartHosts: []string{"relay.tailspintoys.com", "192.0.2.9"}},
		{Name: "Old partner", ConnectorType: connector.Partner, RecipientDomains: []string{"fabrikam.com"},
			UseMXRecord: connector.True, Enabled: connector.False},
	}
	s.OnPremises[0].SendConnectors = append(s.OnPremises[0].SendConnectors, connector.Send{
		Name: "To cpandl", AddressSpaces: []string{"cpandl.com;5"}, DNSRoutingEnabled: connector.False,
		SmartHosts: []string{"mx.cpandl.com"}, SourceTransportServers: []string{"EX02"},
	})
	s.Tenants[0].Recipients = append(s.Tenants[0].Recipients, topology.Recipient{
		Name: "Megan", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "megan@contoso.com",
	})
	s.External = append(s.External,
		topology.ExternalSpec{Name: "contosobank", Kind: topology.Partner, Domains: []string{"contosobank.com"}, Hosts: []string{"mail.contosobank.com"}},
		topology.ExternalSpec{Name: "tailspin", Kind: topology.Partner, Domains: []string{"tailspintoys.com"}, Hosts: []string{"relay.tailspintoys.com"}},
		topology.ExternalSpec{Name: "mfp", Kind: topology.Device, Hosts: []string{"mfp.contoso.com"}, AuthenticatedAs: "megan@contoso.com"},
	)
	s.MXRecords = append(s.MXRecords, topology.MXRecord{Domain: "contosobank.com", Preference: 10, NameExchange: "mail.contosobank.com"})
	return s
}

// renderThreeSitesSpec is the two-sites scenario's Fourth Coffee with a
// third site, Tokyo, that has no Exchange server, joined to London by a
// site link whose ExchangeCost replaces its Cost ("Set-AdSiteLink").
func renderThreeSitesSpec() topology.Spec {
	s := scenario.SitesSpec(scenario.SitesSettings{LondonCost: 95})
	s.OnPremises[0].ADSiteLinks = append(s.OnPremises[0].ADSiteLinks,
		topology.ADSiteLink{Name: "London-Tokyo", Sites: []string{"Tokyo", "London"}, Cost: 100, ExchangeCost: 20})
	return s
}

// renderSpecs are the topologies the golden files draw: the Contoso
// organizations written out here, and the built-in scenarios that have an
// Edge Transport server in a hybrid deployment (edge-hybrid), several
// Active Directory sites (two-sites, with the add-on of
// renderThreeSitesSpec) and an add-on service (add-on-service, with the
// rule's header exception).
var renderSpecs = []struct {
	name string
	spec func() topology.Spec
}{
	{"contoso-mx-eop", func() topology.Spec { return renderContosoSpec(false, false) }},
	{"contoso-mx-eop-cmt", func() topology.Spec { return renderContosoSpec(false, true) }},
	{"contoso-mx-onprem", func() topology.Spec { return renderContosoSpec(true, false) }},
	{"contoso-partners", renderPartnerSpec},
	{"edge-hybrid", scenario.EdgeHybridSpec},
	{"two-sites", func() topology.Spec { return scenario.SitesSpec(scenario.SitesSettings{LondonCost: 95}) }},
	{"three-sites", renderThreeSitesSpec},
	{"add-on-service", func() topology.Spec { return scenario.AddOnServiceSpec(true) }},
}

// topoFormats are the topology renderings the golden tests cover, by
// file suffix.
var topoFormats = []struct {
	ext   string
	write func(io.Writer, *topology.Topology) error
}{
	{".mmd", render.TopologyMermaid},
	{".dot", render.TopologyDOT},
}

func renderTopo(t testing.TB, write func(io.Writer, *topology.Topology) error, topo *topology.Topology) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, write(&b, topo))
	return b.Bytes()
}

// TestTopologyGolden compares the renderings of the specs with their golden
// files; -update rewrites them.
func TestTopologyGolden(t *testing.T) {
	for _, s := range renderSpecs {
		topo, err := topology.Build(s.spec())
		require.NoError(t, err)
		for _, f := range topoFormats {
			t.Run(s.name+f.ext, func(t *testing.T) {
				got := renderTopo(t, f.write, topo)
				path := filepath.Join("testdata", "topology", s.name+f.ext)
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, got, 0o644))
					return
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test -update to write the golden files")
				if diff := cmp.Diff(string(want), string(got)); diff != "" {
					t.Errorf("%s differs from %s (-want +got):\n%s", f.ext, path, diff)
				}
			})
		}
	}
}

// TestTopologyDeterministic builds each spec with its lists reversed and
// requires the same bytes.
func TestTopologyDeterministic(t *testing.T) {
	for _, s := range renderSpecs {
		a := s.spec()
		b := s.spec()
		for i := range b.Tenants {
			slices.Reverse(b.Tenants[i].OutboundConnectors)
			slices.Reverse(b.Tenants[i].InboundConnectors)
		}
		for i := range b.OnPremises {
			o := &b.OnPremises[i]
			slices.Reverse(o.Servers)
			slices.Reverse(o.SendConnectors)
			slices.Reverse(o.ADSiteLinks)
			for j := range o.ADSiteLinks {
				slices.Reverse(o.ADSiteLinks[j].Sites)
			}
			slices.Reverse(o.EdgeSubscriptions)
		}
		slices.Reverse(b.External)
		slices.Reverse(b.MXRecords)
		ta, err := topology.Build(a)
		require.NoError(t, err)
		tb, err := topology.Build(b)
		require.NoError(t, err)
		for _, f := range topoFormats {
			if x, y := renderTopo(t, f.write, ta), renderTopo(t, f.write, tb); !bytes.Equal(x, y) {
				t.Errorf("%s%s: construction order changes the rendering:\n%s\nthen\n%s", s.name, f.ext, x, y)
			}
		}
	}
}

// TestTopologyEscaping checks that a connector name with Mermaid and DOT
// syntax in it is escaped.
func TestTopologyEscaping(t *testing.T) {
	topo, err := topology.Build(renderPartnerSpec())
	require.NoError(t, err)
	mmd := string(renderTopo(t, render.TopologyMermaid, topo))
	dot := string(renderTopo(t, render.TopologyDOT, topo))
	for _, tt := range []struct{ name, text, want string }{
		{"mermaid", mmd, `|"To Tailspin #quot;relay#quot;"|`},
		{"dot", dot, `[label="To Tailspin \"relay\""]`},
	} {
		if !strings.Contains(tt.text, tt.want) {
			t.Errorf("%s rendering does not contain %q:\n%s", tt.name, tt.want, tt.text)
		}
	}
}

// TestTopologyDOTGraphviz runs Graphviz on every golden DOT file; it skips
// when Graphviz is not installed.
func TestTopologyDOTGraphviz(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz is not installed (dot not in PATH): install graphviz to check the DOT output")
	}
	files, err := filepath.Glob(filepath.Join("testdata", "topology", "*.dot"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no golden DOT files: run go test -update")
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".dot"), func(t *testing.T) {
			var stderr bytes.Buffer
			cmd := exec.Command(dot, "-Tsvg", f)
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("dot -Tsvg %s: %v\n%s", f, err, stderr.Bytes())
			}
			if stderr.Len() > 0 {
				t.Errorf("dot -Tsvg %s warns: %s", f, stderr.Bytes())
			}
			if !bytes.Contains(out, []byte("<svg")) {
				t.Errorf("dot -Tsvg %s wrote no SVG", f)
			}
		})
	}
}

// With DirectorySynchronization, a dotted link joins the tenant and the
// on-premises organization (Microsoft Entra Connect); without it, none.
func TestTopologyDirectorySynchronization(t *testing.T) {
	spec := renderContosoSpec(false, false)
	spec.Hybrid[0].DirectorySynchronization = true
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	mmd := string(renderTopo(t, render.TopologyMermaid, topo))
	dot := string(renderTopo(t, render.TopologyDOT, topo))
	require.True(t, strings.HasSuffix(mmd, "  c0 -.-|\"directory synchronization\"| c1\n"), mmd)
	require.Contains(t, dot, "  compound=true;\n")
	require.True(t, strings.HasSuffix(dot, "  n0 -> n4 [label=\"directory synchronization\", dir=none, ltail=cluster_0, lhead=cluster_1, style=dashed];\n}\n"), dot)

	topo, err = topology.Build(renderContosoSpec(false, false))
	require.NoError(t, err)
	require.NotContains(t, string(renderTopo(t, render.TopologyMermaid, topo)), "directory synchronization")
}
