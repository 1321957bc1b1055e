package route_test

import (
	"slices"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// TestOnPremisesForwarding: an on-premises mailbox's ForwardingSmtpAddress
// is applied by the on-premises categorizer ("Recipient resolution in
// Exchange Server": forwarding is a REDIRECT of the recipient), and with
// DeliverToMailboxAndForward the mailbox keeps the message and the
// forwarding address gets a copy.
func TestOnPremisesForwarding(t *testing.T) {
	forwarding := func(keep bool) topology.Spec {
		spec := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
		for i := range spec.OnPremises[0].Recipients {
			r := &spec.OnPremises[0].Recipients[i]
			if r.PrimarySmtpAddress == scenario.Julie {
				r.ForwardingSmtpAddress, r.DeliverToMailboxAndForward = "smtp:"+scenario.Erin, keep
			}
		}
		return spec
	}
	msg := route.Message{From: scenario.David, To: []string{scenario.Julie}}
	ends := func(res *route.Result) []string {
		var out []string
		for _, r := range res.Recipients {
			last := r.Hops[len(r.Hops)-1]
			out = append(out, r.Address+" "+r.Disposition.String()+" at "+last.Node.String())
		}
		return out
	}
	hasRedirect := func(res *route.Result) bool {
		for _, h := range res.Recipients[0].Hops {
			if slices.Contains(h.Events, route.REDIRECT) {
				return true
			}
		}
		return false
	}

	res, err := route.Trace(build(t, forwarding(false)), msg)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ends(res), []string{scenario.Julie + " Relayed at ext:cpandl"}; !slices.Equal(got, want) || !hasRedirect(res) {
		t.Errorf("forwarding: %q (REDIRECT %v), want %q and a REDIRECT\n%s", got, hasRedirect(res), want, textAndJSON(t, res))
	}

	res, err = route.Trace(build(t, forwarding(true)), msg)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{scenario.Julie + " Delivered at onprem:contoso/EX02", scenario.Erin + " Relayed at ext:cpandl"}
	if got := ends(res); !slices.Equal(got, want) {
		t.Errorf("DeliverToMailboxAndForward: %q, want %q\n%s", got, want, textAndJSON(t, res))
	}
}

// TestForwardingAddressWins: with both ForwardingAddress and
// ForwardingSmtpAddress set, the mailbox forwards to ForwardingAddress
// ("Set-Mailbox": ForwardingSmtpAddress is ignored when ForwardingAddress
// is set), on-premises and in Exchange Online.
func TestForwardingAddressWins(t *testing.T) {
	spec := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
	for i := range spec.OnPremises[0].Recipients {
		if r := &spec.OnPremises[0].Recipients[i]; r.PrimarySmtpAddress == scenario.Julie {
			r.ForwardingAddress, r.ForwardingSmtpAddress = scenario.David, "smtp:"+scenario.Erin
		}
	}
	res, err := route.Trace(build(t, spec), route.Message{From: "someone@fabrikam.com", To: []string{scenario.Julie}})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Recipients[0]
	if last := r.Hops[len(r.Hops)-1]; r.Disposition != route.Delivered || last.Node.String() != "exo:contoso" {
		t.Errorf("julie forwards to %v at %v, want Delivered at exo:contoso (David's mailbox)\n%s", r.Disposition, last.Node, textAndJSON(t, res))
	}
}

// TestOnPremisesForwardThroughEOP: a copy an on-premises mailbox forwards
// to the Internet through EOP meets EOP's relay rules like any relayed
// message ("Updated requirements for SMTP relay through Exchange Online";
// docs/behaviour.md#l14-forwarding-on-premises): a connector that
// identifies the server by IP address relays only for senders in an
// accepted domain, so the Internet sender's message forwarded on is refused
// (550 5.7.64 ATTR36); a connector that identifies it by a certificate in
// an accepted domain relays it.
func TestOnPremisesForwardThroughEOP(t *testing.T) {
	forwarding := func(byCertificate bool) topology.Spec {
		spec := scenario.EOPStandaloneSpec(true)
		spec.OnPremises[0].Recipients[0].ForwardingSmtpAddress = scenario.Sun
		if byCertificate {
			c := &spec.Tenants[0].InboundConnectors[0]
			c.SenderIPAddresses, c.TlsSenderCertificateName = nil, "mail.contoso.com"
		}
		return spec
	}
	msg := route.Message{From: "someone@fabrikam.com", To: []string{scenario.John}}
	for _, tt := range []struct {
		name   string
		cert   bool
		want   route.Disposition
		status string
	}{
		{"ByIP_ForeignSender_Refused", false, route.Rejected, route.StatusRelayDeniedATTR36},
		{"ByCertificate_Relayed", true, route.Relayed, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, forwarding(tt.cert)), msg)
			if err != nil {
				t.Fatal(err)
			}
			if r := res.Recipients[0]; r.Disposition != tt.want || r.Status.String() != tt.status {
				t.Errorf("got %v %q, want %v %q\n%s", r.Disposition, r.Status, tt.want, tt.status, textAndJSON(t, res))
			}
		})
	}
}
