package route_test

import (
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// outcomes returns "address disposition status" for each recipient of
// res, in order.
func outcomes(res *route.Result) []string {
	var out []string
	for _, r := range res.Recipients {
		out = append(out, strings.TrimSpace(r.Address+" "+r.Disposition.String()+" "+r.Status.String()))
	}
	return out
}

// TestRemoteDomainAutoForwardExchangeOnline: in Exchange Online, a
// mailbox's ForwardingSmtpAddress to an outside domain needs the outbound
// spam filter policy's AutoForwardingMode On and a remote domain that
// allows automatic forwarding; the block wins ("Control automatic
// external email forwarding in Microsoft 365": the table of how the
// policy and remote domains combine). A remote domain's block deletes the
// forwarded message without an NDR ("Remote domains in Exchange Online").
// The most specific remote domain applies; ForwardingAddress, set by an
// admin, is not subject to remote domains
// (docs/behaviour.md#l80-remote-domains-and-automatic-forwarding).
func TestRemoteDomainAutoForwardExchangeOnline(t *testing.T) {
	rd := func(domain string, enabled connector.OptBool) topology.RemoteDomain {
		return topology.RemoteDomain{Name: domain, DomainName: domain, AutoForwardEnabled: enabled}
	}
	spec := func(mode string, keep bool, admin bool, to string, domains ...topology.RemoteDomain) topology.Spec {
		s := rulesSpec()
		x := &s.Tenants[0]
		ben := &x.Recipients[1]
		if admin {
			// An admin forwards to a mail contact ("Configure email
			// forwarding for a mailbox").
			x.Recipients = append(x.Recipients, topology.Recipient{Name: "Erin", RecipientTypeDetails: topology.MailContact,
				PrimarySmtpAddress: to, ExternalEmailAddress: "SMTP:" + to})
			ben = &x.Recipients[1]
			ben.ForwardingAddress = to
		} else {
			ben.ForwardingSmtpAddress = "smtp:" + to
		}
		ben.DeliverToMailboxAndForward = keep
		x.AutoForwardingMode = mode
		x.RemoteDomains = domains
		return s
	}
	tests := []struct {
		name string
		spec topology.Spec
		want []string
	}{
		{"PolicyOnNoRemoteDomain", spec("On", false, false, erin), []string{ben + " Relayed"}},
		{"PolicyOnDefaultAllows", spec("On", false, false, erin, rd("*", connector.True)), []string{ben + " Relayed"}},
		// Unset reads as $true in Exchange Online, even for "*".
		{"PolicyOnDefaultUnset", spec("On", false, false, erin, rd("*", connector.Unset)), []string{ben + " Relayed"}},
		{"PolicyOnDefaultBlocks", spec("On", false, false, erin, rd("*", connector.False)), []string{ben + " Dropped"}},
		{"PolicyOnDefaultBlocksKeepsCopy", spec("On", true, false, erin, rd("*", connector.False)), []string{ben + " Delivered"}},
		{"PolicyOffRemoteDomainAllows", spec("Off", false, false, erin, rd("*", connector.True)), []string{ben + " Rejected 550 5.7.520 Access denied, Your organization does not allow external forwarding"}},
		{"PolicyAutomaticRemoteDomainAllows", spec("Automatic", false, false, erin, rd("cpandl.com", connector.True)), []string{ben + " Rejected 550 5.7.520 Access denied, Your organization does not allow external forwarding"}},
		{"ExactWinsOverDefault", spec("On", false, false, erin, rd("*", connector.False), rd("cpandl.com", connector.True)), []string{ben + " Relayed"}},
		{"ExactBlocksUnderAllowingDefault", spec("On", false, false, erin, rd("*", connector.True), rd("cpandl.com", connector.False)), []string{ben + " Dropped"}},
		{"WildcardCoversTheDomain", spec("On", false, false, erin, rd("*", connector.True), rd("*.cpandl.com", connector.False)), []string{ben + " Dropped"}},
		{"ExactWinsOverWildcard", spec("On", false, false, erin, rd("*.cpandl.com", connector.False), rd("cpandl.com", connector.True)), []string{ben + " Relayed"}},
		{"OtherDomainNotCovered", spec("On", false, false, erin, rd("fabrikam.com", connector.False)), []string{ben + " Relayed"}},
		{"InsideTheOrganization", spec("On", false, false, ana, rd("*", connector.False)), []string{ben + " Delivered"}},
		{"AdminForwardingNotSubject", spec("On", false, true, erin, rd("*", connector.False)), []string{ben + " Relayed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), route.Message{From: audit, To: []string{ben}})
			require.NoError(t, err)
			require.Equal(t, tt.want, outcomes(res), traceText(res))
			last := res.Recipients[0].Hops[len(res.Recipients[0].Hops)-1]
			switch {
			case strings.HasSuffix(tt.want[0], "Dropped"):
				require.Equal(t, "exo:contoso", last.Node.String())
				require.Contains(t, last.Reason, "has AutoForwardEnabled $false: the forwarded message is deleted, without a non-delivery report")
			case strings.HasPrefix(tt.name, "PolicyOnDefaultBlocksKeepsCopy"):
				require.Contains(t, last.Reason, "its forwarding to "+erin+" is blocked: remote domain \"*\" (*) has AutoForwardEnabled $false")
			}
		})
	}
}

// TestRemoteDomainAutoForwardOnPremises: on-premises, the remote domains
// apply to ForwardingSmtpAddress in the categorizer ("Understanding
// Remote Domains": the recipient domain is matched against the remote
// domains during recipient resolution; a blocked message is deleted).
// The Default remote domain's AutoForwardEnabled defaults to $false
// on-premises ("Set-RemoteDomain").
func TestRemoteDomainAutoForwardOnPremises(t *testing.T) {
	spec := func(keep bool, domains ...topology.RemoteDomain) topology.Spec {
		s := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
		for i := range s.OnPremises[0].Recipients {
			if r := &s.OnPremises[0].Recipients[i]; r.PrimarySmtpAddress == scenario.Julie {
				r.ForwardingSmtpAddress, r.DeliverToMailboxAndForward = "smtp:"+scenario.Erin, keep
			}
		}
		s.OnPremises[0].RemoteDomains = domains
		return s
	}
	def := topology.RemoteDomain{Name: "Default", DomainName: "*"} // AutoForwardEnabled unset: $false on-premises
	cpandl := topology.RemoteDomain{Name: "Cpandl", DomainName: "cpandl.com"}
	msg := route.Message{From: scenario.David, To: []string{scenario.Julie}}
	tests := []struct {
		name string
		spec topology.Spec
		want []string
	}{
		{"NoRemoteDomain", spec(false), []string{scenario.Julie + " Relayed"}},
		{"DefaultBlocks", spec(false, def), []string{scenario.Julie + " Dropped"}},
		{"DefaultBlocksKeepsCopy", spec(true, def), []string{scenario.Julie + " Delivered"}},
		{"NewRemoteDomainAllows", spec(false, def, cpandl), []string{scenario.Julie + " Relayed"}},
		{"NewRemoteDomainAllowsCopy", spec(true, def, cpandl), []string{scenario.Julie + " Delivered", scenario.Erin + " Relayed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), msg)
			require.NoError(t, err)
			require.Equal(t, tt.want, outcomes(res), traceText(res))
			if tt.name == "DefaultBlocks" {
				hops := res.Recipients[0].Hops
				require.Contains(t, hops[len(hops)-1].Reason, `remote domain "Default" (*) has AutoForwardEnabled $false`)
			}
		})
	}
}
