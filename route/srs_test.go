package route_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/mailflowsim/mailflow/topology/dns"
)

// srsSpec: ben@contoso.com, a mailbox in tenant contoso, forwards to
// kim@fabrikam.com, a mailbox in tenant fabrikam; contoso.com's SPF
// includes EOP's, cpandl.com's covers its own server, and keep says
// whether ben keeps a copy.
func srsSpec(keep bool, extra ...dns.Record) topology.Spec {
	mbx := func(addr, fwd string) topology.Recipient {
		return topology.Recipient{Name: addr[:strings.IndexByte(addr, '@')], RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: addr,
			ForwardingSmtpAddress: fwd, DeliverToMailboxAndForward: keep && fwd != ""}
	}
	return topology.Spec{
		Tenants: []topology.TenantSpec{
			{Name: "contoso", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}}, AutoForwardingMode: "On",
				Recipients: []topology.Recipient{mbx("ben@contoso.com", "smtp:kim@fabrikam.com"), mbx("ann@contoso.com", "")}},
			{Name: "fabrikam", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "fabrikam.com"}},
				Recipients: []topology.Recipient{mbx("kim@fabrikam.com", "")}},
		},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")},
			{Domain: "fabrikam.com", NameExchange: topology.EOPHost("fabrikam.com")},
		},
		DNSRecords: append([]dns.Record{
			spfTXT("contoso.com", "v=spf1 include:spf.protection.outlook.com -all"),
			spfTXT("cpandl.com", "v=spf1 ip4:198.51.100.25 -all"),
		}, extra...),
	}
}

// spfAt returns the hop at node of the recipient's path and its SPF.
func spfAt(t *testing.T, res *route.Result, rcpt, node string) (route.Hop, *auth.SPF) {
	t.Helper()
	for _, r := range res.Recipients {
		if r.Address != rcpt {
			continue
		}
		for _, h := range r.Hops {
			if h.Node.String() == node && h.Authentication != nil {
				return h, h.Authentication.SPF
			}
		}
	}
	t.Fatalf("%s has no hop at %s with authentication\n%s", rcpt, node, traceText(res))
	return route.Hop{}, nil
}

// TestSenderRewritingScheme: Exchange Online rewrites the envelope sender
// of a copy a mailbox forwards outside the organization to
// bounces+SRS=...@<the forwarding mailbox's domain>, so the receiving
// tenant checks SPF on that domain from EOP's address, and passes when the
// forwarding tenant's SPF includes EOP's; a sender in an accepted domain
// is not rewritten (Microsoft: "Sender Rewriting Scheme (SRS) in Microsoft
// 365"; docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from).
func TestSenderRewritingScheme(t *testing.T) {
	internet := route.Message{From: "erin@cpandl.com", To: []string{"ben@contoso.com"}, SourceIP: netip.MustParseAddr("198.51.100.25")}
	for _, keep := range []bool{false, true} {
		res, err := route.Trace(build(t, srsSpec(keep)), internet)
		if err != nil {
			t.Fatal(err)
		}
		// Where contoso received it from the sender: SPF of cpandl.com.
		if _, s := spfAt(t, res, "ben@contoso.com", "eop:contoso"); s.Result != auth.SPFPass || s.MailFrom != "cpandl.com" {
			t.Errorf("keep %v: SPF at eop:contoso = %s on %s, want pass on cpandl.com", keep, s.Result, s.MailFrom)
		}
		to := "ben@contoso.com" // redirected
		if keep {
			to = "kim@fabrikam.com" // added
		}
		h, s := spfAt(t, res, to, "eop:fabrikam")
		if s.Result != auth.SPFPass || s.MailFrom != "contoso.com" || s.IP != topology.EOPSendingIP {
			t.Errorf("keep %v: SPF at eop:fabrikam = %s on %s from %s (%s), want pass on contoso.com from %s\n%s", keep, s.Result, s.MailFrom, s.IP, s.Reason, topology.EOPSendingIP, traceText(res))
		}
		if !strings.HasPrefix(h.Sender, "bounces+SRS=") || !strings.HasSuffix(h.Sender, "=cpandl.com=erin@contoso.com") {
			t.Errorf("keep %v: the hop's Sender = %q, want bounces+SRS=<hash>=<timestamp>=cpandl.com=erin@contoso.com", keep, h.Sender)
		}
	}

	// A sender in an accepted domain of the forwarding tenant keeps its
	// envelope sender.
	res, err := route.Trace(build(t, srsSpec(false)), route.Message{From: "ann@contoso.com", To: []string{"ben@contoso.com"}})
	if err != nil {
		t.Fatal(err)
	}
	h, s := spfAt(t, res, "ben@contoso.com", "eop:fabrikam")
	if h.Sender != "" || s.MailFrom != "contoso.com" || s.Result != auth.SPFPass {
		t.Errorf("accepted-domain sender: Sender %q, SPF %s on %s; want no rewriting and pass on contoso.com", h.Sender, s.Result, s.MailFrom)
	}
}

// TestForwardedCopyFailsDMARC: SRS makes the forwarded copy pass SPF on
// the forwarding tenant's domain, which is not aligned with the From
// header's: a p=reject sender's forwarded copy fails DMARC at the receiver
// and is rejected, while the original delivery passes (Microsoft: "Sender
// Rewriting Scheme (SRS) in Microsoft 365"; "Set up DMARC to validate the
// From address domain for cloud senders").
func TestForwardedCopyFailsDMARC(t *testing.T) {
	spec := srsSpec(true, dns.Record{Name: "_dmarc.cpandl.com", Type: dns.TXT, Strings: []string{"v=DMARC1; p=reject"}})
	msg := route.Message{From: "erin@cpandl.com", To: []string{"ben@contoso.com"}, SourceIP: netip.MustParseAddr("198.51.100.25")}
	res, err := route.Trace(build(t, spec), msg)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range res.Recipients {
		got[r.Address] = r.Disposition.String() + " " + r.Status.String()
	}
	if !strings.HasPrefix(got["ben@contoso.com"], "Delivered") || !strings.HasPrefix(got["kim@fabrikam.com"], "Rejected 550 5.7.509") {
		t.Errorf("dispositions %q, want ben Delivered and kim Rejected 550 5.7.509\n%s", got, traceText(res))
	}
}

// TestOnPremisesForwardingHasNoSRS: Exchange Server does not rewrite the
// envelope sender, so a copy an on-premises mailbox forwards to a modelled
// tenant fails SPF there on the original sender's domain.
func TestOnPremisesForwardingHasNoSRS(t *testing.T) {
	spec := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
	for i := range spec.OnPremises[0].Recipients {
		if r := &spec.OnPremises[0].Recipients[i]; r.PrimarySmtpAddress == scenario.Julie {
			r.ForwardingSmtpAddress = "smtp:kim@northwind.com"
		}
	}
	spec.Tenants = append(spec.Tenants, topology.TenantSpec{Name: "northwind", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "northwind.com"}},
		Recipients: []topology.Recipient{{Name: "kim", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "kim@northwind.com"}}})
	spec.MXRecords = append(spec.MXRecords, topology.MXRecord{Domain: "northwind.com", NameExchange: topology.EOPHost("northwind.com")})
	spec = withDNS(spec, spfTXT("cpandl.com", "v=spf1 ip4:198.51.100.25 -all"))
	res, err := route.Trace(build(t, spec), route.Message{From: "erin@cpandl.com", To: []string{scenario.Julie}, SourceIP: netip.MustParseAddr("198.51.100.25")})
	if err != nil {
		t.Fatal(err)
	}
	h, s := spfAt(t, res, scenario.Julie, "eop:northwind")
	if s.Result != auth.SPFFail || s.MailFrom != "cpandl.com" || h.Sender != "" {
		t.Errorf("SPF at eop:northwind = %s on %s (%s), Sender %q; want fail on cpandl.com, no rewriting\n%s", s.Result, s.MailFrom, s.Reason, h.Sender, traceText(res))
	}
}

// TestEOPSPFRecord: a topology with DNS records answers
// spf.protection.outlook.com with Microsoft's record, which covers
// EOPSendingIP, unless it declares that name itself
// (docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from).
func TestEOPSPFRecord(t *testing.T) {
	msg := route.Message{From: "ann@contoso.com", To: []string{"kim@fabrikam.com"}}
	for _, tt := range []struct {
		name  string
		extra []dns.Record
		want  auth.SPFResult
	}{
		{"Default", nil, auth.SPFPass},
		{"Declared", []dns.Record{spfTXT(topology.EOPSPFName, "v=spf1 ip4:192.0.2.0/24 -all")}, auth.SPFFail},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, srsSpec(false, tt.extra...)), msg)
			if err != nil {
				t.Fatal(err)
			}
			if _, s := spfAt(t, res, "kim@fabrikam.com", "eop:fabrikam"); s.Result != tt.want || s.IP != topology.EOPSendingIP {
				t.Errorf("SPF at eop:fabrikam = %s from %s (%s), want %s from %s", s.Result, s.IP, s.Reason, tt.want, topology.EOPSendingIP)
			}
		})
	}
}
