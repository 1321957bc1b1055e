package scenario

import (
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/mailflowsim/mailflow/topology/dns"
)

// The email authentication scenario's addresses: Contoso's mailboxes, one
// behind each MX, and the sender at fabrikam.com, whose SPF record names
// its server, which DKIM-signs with d=fabrikam.com s=s1, and whose DMARC
// policy is reject.
const (
	AuthBen   = "ben@contoso.com"
	AuthAnn   = "ann@contoso.net"
	AuthErin  = "erin@fabrikam.com"
	AuthCal   = "cal@contoso.com"
	AuthKim   = "kim@tailspin.example"
	authFrom  = "Erin <erin@fabrikam.com>"
	authEFCon = "From the filtering service"
)

// EmailAuthenticationSpec returns the organization of the
// "email-authentication" scenario: Contoso's tenant receives contoso.com
// directly at EOP and contoso.net behind a third-party filtering service
// that adds a footer to the body (Microsoft: "Manage mail flow using a
// third-party cloud service with Exchange Online"); fabrikam.com declares
// SPF ("v=spf1 ip4:203.0.113.5 -all"), a DKIM key at
// s1._domainkey.fabrikam.com and DMARC p=reject (Microsoft: "Email
// authentication in EOP"). With enhancedFiltering the inbound connector
// from the service has EFSkipLastIP (Microsoft: "Enhanced Filtering for
// Connectors in Exchange Online"). The service ARC-seals what it
// re-sends with d=filter.example; with trustSealer the tenant lists it in
// ArcTrustedSealers (Microsoft: "Configure trusted ARC sealers"). A
// spoofing host, 198.51.100.66, sends as fabrikam.com without a
// signature. Cal's mailbox forwards to kim@tailspin.example, a mailbox of
// another tenant, tailspin, and contoso.com's SPF includes Exchange
// Online's (Microsoft: "Sender Rewriting Scheme (SRS) in Microsoft 365").
func EmailAuthenticationSpec(enhancedFiltering, trustSealer bool) topology.Spec {
	var sealers []string
	if trustSealer {
		sealers = []string{"filter.example"}
	}
	in := connector.Inbound{Name: authEFCon, ConnectorType: connector.Partner, SenderDomains: []string{"*"},
		SenderIPAddresses: []string{"198.51.100.200"}, RequireTls: connector.False, EFSkipLastIP: enhancedFiltering}
	txt := func(name, s string) dns.Record { return dns.Record{Name: name, Type: dns.TXT, Strings: []string{s}} }
	return topology.Spec{
		Tenants: []topology.TenantSpec{{
			Name:            "contoso",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}, {DomainName: "contoso.net"}},
			Recipients: []topology.Recipient{
				{Name: "Ben", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: AuthBen},
				{Name: "Ann", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: AuthAnn},
				{Name: "Cal", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: AuthCal, ForwardingSmtpAddress: "smtp:" + AuthKim},
			},
			InboundConnectors:  []connector.Inbound{in},
			ArcTrustedSealers:  sealers,
			AutoForwardingMode: "On",
		}, {
			Name:            "tailspin",
			AcceptedDomains: []topology.AcceptedDomain{{DomainName: "tailspin.example"}},
			Recipients:      []topology.Recipient{{Name: "Kim", RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: AuthKim}},
		}},
		External: []topology.ExternalSpec{
			{Name: "fabrikam", Domains: []string{"fabrikam.com"}, Hosts: []string{"mail.fabrikam.com"}, IPAddress: "203.0.113.5",
				DkimSigningDomain: "fabrikam.com", DkimSelector: "s1"},
			{Name: "spoofer", Hosts: []string{"mail.spoofer.example"}, IPAddress: "198.51.100.66"},
			{Name: "filter", Kind: topology.Appliance, Hosts: []string{"mx.filter.example"}, IPAddress: "198.51.100.200",
				SmartHost: topology.EOPHost("contoso.com"), ModifiesBody: true, ArcSealingDomain: "filter.example"},
		},
		MXRecords: []topology.MXRecord{
			{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")},
			{Domain: "contoso.net", Preference: 10, NameExchange: "mx.filter.example"},
			{Domain: "fabrikam.com", Preference: 10, NameExchange: "mail.fabrikam.com"},
			{Domain: "tailspin.example", NameExchange: topology.EOPHost("tailspin.example")},
		},
		DNSRecords: []dns.Record{
			txt("fabrikam.com", "v=spf1 ip4:203.0.113.5 -all"),
			txt("s1._domainkey.fabrikam.com", "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"),
			txt("_dmarc.fabrikam.com", "v=DMARC1; p=reject"),
			txt("contoso.com", "v=spf1 include:spf.protection.outlook.com -all"),
		},
	}
}

// EmailAuthentication returns the "email-authentication" scenario:
// fabrikam.com's genuine mail passes SPF, DKIM and DMARC; a spoofed
// message fails them and is rejected with 550 5.7.509; behind the
// third-party MX, whose footer breaks the DKIM signature, DMARC fails
// without Enhanced Filtering (and the policy is not honoured), passes with
// it, on SPF, and is overridden when the tenant trusts the service's ARC
// seal; forwarded by Cal to another tenant, the copy's envelope sender is
// rewritten to contoso.com, whose SPF passes there, and DMARC passes on
// fabrikam.com's intact signature.
func EmailAuthentication() *Scenario {
	from := []route.Header{{Name: "From", Value: authFrom}}
	s := &Scenario{
		Name:        "email-authentication",
		Description: "SPF, DKIM and DMARC from declared DNS records, direct and behind a third-party MX that adds a footer, without and with Enhanced Filtering, a trusted ARC sealer, and forwarding with the Sender Rewriting Scheme (Email authentication in EOP)",
		Flows: []Flow{
			{Name: "Erin to Ben", Message: route.Message{From: AuthErin, To: []string{AuthBen}, Headers: from}},
			{Name: "Spoofed Erin to Ben", Message: route.Message{From: AuthErin, To: []string{AuthBen}, Headers: from, Origin: topology.MustParseNodeID("ext:spoofer")}},
			{Name: "Erin to Ann through the filter", Message: route.Message{From: AuthErin, To: []string{AuthAnn}, Headers: from}},
			{Name: "Erin to Cal, forwarded to Kim", Message: route.Message{From: AuthErin, To: []string{AuthCal}, Headers: from}},
		},
	}
	for _, v := range []struct{ ef, arc bool }{{false, false}, {true, false}, {false, true}} {
		s.Variants = append(s.Variants, newVariant(s.Name, Settings{"enhancedFiltering": v.ef, "trustedArcSealer": v.arc}, EmailAuthenticationSpec(v.ef, v.arc)))
	}
	return s
}
