package analysis

import (
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/smtp"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// The status texts the findings quote ("Email non-delivery reports and
// SMTP errors in Exchange Online").
const (
	loopText        = "554 5.4.14 Hop count exceeded - possible mail loop"
	partnerText     = "550 5.7.51 TenantInboundAttribution"
	relayDeniedText = "550 5.7.64 TenantAttribution; Relay Access Denied"
)

// Check returns the findings for t, sorted by [Finding.Compare]. It never
// traces mail: it reads the configuration only, and reports documented
// mistakes that [topology.Build] accepts because each object is valid on
// its own:
//
//   - [RulePartnerMixesIPAndCertificate]: a Partner inbound connector
//     (enabled or not) restricted by both IP address and certificate.
//   - [RuleShadowedDomainConnector]: an enabled Partner inbound connector
//     without a Restrict flag whose SenderDomains overlap those of an
//     enabled restricting Partner connector.
//   - [RuleCentralizedTransportScopedToAcceptedDomains]: an enabled
//     OnPremises outbound connector with RouteAllMessagesViaOnPremises and
//     AllAcceptedDomains.
//   - [RuleOnPremisesConnectorUsesMX]: an enabled OnPremises outbound
//     connector delivering by MX to a domain whose preferred MX host is the
//     tenant's own EOP.
//   - [RuleMissingConnector]: a tenant domain that MailUser recipients
//     target, or an InternalRelay domain, that no enabled OnPremises
//     outbound connector covers; or an on-premises Send connector smart
//     hosting to a tenant's EOP, for domains the tenant does not accept,
//     when the tenant's compiled inbound connectors
//     ([topology.Tenant.Attribution]) attribute no connection of the
//     organization's servers to an OnPremises connector.
//   - [RuleOpenRelay]: an enabled Receive connector that relays for
//     anonymous senders and accepts public client addresses, or a relay
//     accepted domain "*" or "*.<top-level domain>".
//   - [RuleUnsynchronizedRecipient]: in a hybrid pair whose configuration
//     does not synchronize the directories, a recipient declared on one
//     side only; and an on-premises RemoteUserMailbox whose
//     RemoteRoutingAddress names no recipient of the tenant.
//   - [RuleRelayNeedsAcceptedSender]: an on-premises Send connector smart
//     hosting to a tenant's EOP, for domains the tenant does not accept,
//     when the tenant attributes the organization's servers by IP address
//     or by a certificate in no accepted domain only, so that mail for
//     outside senders is not relayed.
//
// The result is the same for every order of the [topology.Spec] t was
// built from.
func Check(t *topology.Topology) ([]Finding, error) {
	if t == nil {
		return nil, route.ErrNilTopology
	}
	var fs []Finding
	mxDomains := slices.Collect(t.MXDomains())
	for x := range t.Tenants() {
		fs = append(fs, checkMixedRestrictions(x)...)
		fs = append(fs, checkShadowedConnectors(x)...)
		fs = append(fs, checkOutboundConnectors(t, x, mxDomains)...)
		fs = append(fs, checkOnPremisesDomains(x)...)
		fs = append(fs, checkUnsynchronized(x)...)
	}
	for o := range t.OnPremisesOrgs() {
		fs = append(fs, checkRelayThroughEOP(t, o)...)
		fs = append(fs, checkOpenRelay(o)...)
		fs = append(fs, checkRelayDomains(o)...)
	}
	sortFindings(fs)
	return fs, nil
}

// Object names, as topology.Build's problems write them.

func tenantObject(x *topology.Tenant) string { return fmt.Sprintf("Tenants[%q]", x.Name()) }

func inboundObject(x *topology.Tenant, c *connector.Inbound) string {
	return fmt.Sprintf("%s.InboundConnectors[%q]", tenantObject(x), c.Name)
}

func outboundObject(x *topology.Tenant, c *connector.Outbound) string {
	return fmt.Sprintf("%s.OutboundConnectors[%q]", tenantObject(x), c.Name)
}

func onPremisesObject(o *topology.OnPremises) string { return fmt.Sprintf("OnPremises[%q]", o.Name()) }

func sendObject(o *topology.OnPremises, c *connector.Send) string {
	return fmt.Sprintf("%s.SendConnectors[%q]", onPremisesObject(o), c.Name)
}

func receiveObject(o *topology.OnPremises, c *connector.Receive) string {
	return fmt.Sprintf("%s.ReceiveConnectors[%q]", onPremisesObject(o), c.Server+`\`+c.Name)
}

func mxObject(r topology.MXRecord) string {
	return fmt.Sprintf("MXRecords[%q %d %q]", r.Domain, r.Preference, r.NameExchange)
}

// restricts reports whether a Partner inbound connector has a Restrict
// flag: it rejects mail for its SenderDomains from other sources.
func restricts(c *connector.Inbound) bool {
	return c.RestrictDomainsToIPAddresses || c.RestrictDomainsToCertificate
}

// restrictionText lists the properties by which c identifies its senders.
func restrictionText(c *connector.Inbound) string {
	var parts []string
	if len(c.SenderIPAddresses) > 0 {
		parts = append(parts, "SenderIPAddresses "+strings.Join(c.SenderIPAddresses, ", "))
	}
	if c.TlsSenderCertificateName != "" {
		parts = append(parts, "TlsSenderCertificateName "+c.TlsSenderCertificateName)
	}
	if c.RestrictDomainsToIPAddresses {
		parts = append(parts, "RestrictDomainsToIPAddresses $true")
	}
	if c.RestrictDomainsToCertificate {
		parts = append(parts, "RestrictDomainsToCertificate $true")
	}
	return strings.Join(parts, "; ")
}

// partnerInbound returns the tenant's Partner inbound connectors, in
// ascending name order.
func partnerInbound(x *topology.Tenant) []connector.Inbound {
	var cs []connector.Inbound
	for c := range x.InboundConnectors() {
		if c.ConnectorType == connector.Partner {
			cs = append(cs, c)
		}
	}
	return cs
}

// checkMixedRestrictions reports the Partner inbound connectors restricted
// by both IP address and certificate: "IP and certificate restrictions
// belong in separate connectors" (Configure mail flow using connectors in
// Exchange Online).
func checkMixedRestrictions(x *topology.Tenant) []Finding {
	var fs []Finding
	for _, c := range partnerInbound(x) {
		both := c.RestrictDomainsToIPAddresses && c.RestrictDomainsToCertificate
		mixed := len(c.SenderIPAddresses) > 0 && c.TlsSenderCertificateName != "" && restricts(&c)
		if !both && !mixed {
			continue
		}
		obj := inboundObject(x, &c)
		fs = append(fs, Finding{
			Rule:    RulePartnerMixesIPAndCertificate,
			Objects: []string{obj},
			Message: fmt.Sprintf("%s is a Partner connector restricted by both IP address and certificate (%s): "+
				"IP and certificate restrictions belong in separate connectors, one restricted to SenderIPAddresses and one to TlsSenderCertificateName",
				obj, restrictionText(&c)),
			Source: "Configure mail flow using connectors in Exchange Online",
		})
	}
	return fs
}

// checkShadowedConnectors reports the Partner inbound connectors that
// accept by sender domain only and share a domain with a restricting one:
// restricting connectors outrank those merely listing the sender domain,
// and a restricting connector for the sender domain that the source does
// not match rejects with 5.7.51 (Configure mail flow using connectors in
// Exchange Online; Manage mail flow using a third-party cloud service with
// Exchange Online).
func checkShadowedConnectors(x *topology.Tenant) []Finding {
	var fs []Finding
	partners := partnerInbound(x)
	for i := range partners {
		open := &partners[i]
		if !open.IsEnabled() || restricts(open) || len(open.SenderDomains) == 0 {
			continue
		}
		for j := range partners {
			r := &partners[j]
			if !r.IsEnabled() || !restricts(r) {
				continue
			}
			if shared := overlappingDomains(open.SenderDomains, r.SenderDomains); len(shared) > 0 {
				fs = append(fs, shadowedFinding(x, open, r, shared))
			}
		}
	}
	return fs
}

// shadowedFinding is the finding that the restricting connector r shadows
// open for the shared domains.
func shadowedFinding(x *topology.Tenant, open, r *connector.Inbound, shared []string) Finding {
	openObj, rObj := inboundObject(x, open), inboundObject(x, r)
	var source string
	switch {
	case r.RestrictDomainsToIPAddresses && r.RestrictDomainsToCertificate:
		source = "its IP addresses with its certificate"
	case r.RestrictDomainsToIPAddresses:
		source = "its IP addresses"
	default:
		source = "its certificate"
	}
	doms := strings.Join(shared, ", ")
	return Finding{
		Rule:    RuleShadowedDomainConnector,
		Objects: []string{openObj, rObj},
		Message: fmt.Sprintf("%s accepts mail from %s by sender domain only, but the restricting Partner connector %s (%s) covers the same senders and outranks it: "+
			"mail from %s that does not come from %s is rejected with %s instead of using %s",
			openObj, doms, rObj, restrictionText(r), doms, source, partnerText, openObj),
		Source: "Configure mail flow using connectors in Exchange Online; Manage mail flow using a third-party cloud service with Exchange Online",
	}
}

// overlappingDomains returns, sorted and without duplicates, the domain
// patterns that both lists cover: for each overlapping pair of entries, the
// more specific of the two ("contosobank.com" for "*" and
// "contosobank.com"; "sales.contoso.com" for "*.contoso.com" and
// "sales.contoso.com").
func overlappingDomains(a, b []string) []string {
	var out []string
	for _, sa := range a {
		pa, err := connector.ParsePattern(sa)
		if err != nil {
			continue
		}
		for _, sb := range b {
			pb, err := connector.ParsePattern(sb)
			if err != nil || !overlap(pa, pb) {
				continue
			}
			if pa.CompareSpecificity(pb) >= 0 {
				out = append(out, pa.String())
			} else {
				out = append(out, pb.String())
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// overlap reports whether two SenderDomains patterns cover a domain in
// common: the same entry, a wildcard covering the other's domain, or "*".
func overlap(p, q connector.Pattern) bool {
	if p.Kind() == connector.PatternAny || q.Kind() == connector.PatternAny {
		return true
	}
	return p.Match(q.Domain(), false) || q.Match(p.Domain(), false)
}

// isAutomaticDomain reports whether domain is one of the tenant's
// onmicrosoft.com domains, whose recipients all live in the tenant and
// whose MX Microsoft publishes.
func isAutomaticDomain(x *topology.Tenant, domain string) bool {
	return domain == x.Name()+".onmicrosoft.com" || domain == x.CoexistenceDomain()
}

// checkOutboundConnectors applies the loop rules to the tenant's enabled
// OnPremises outbound connectors ("Fix email delivery issues for error
// codes 5.4.6 through 5.4.20 in Exchange Online"). mxDomains are the
// domains that have MX records, ascending.
func checkOutboundConnectors(t *topology.Topology, x *topology.Tenant, mxDomains []string) []Finding {
	var fs []Finding
	for c := range x.OutboundConnectors() {
		if c.ConnectorType != connector.OnPremises || !c.IsEnabled() {
			continue
		}
		// The centralized mail transport connector must not be scoped to
		// the accepted domains, else the message loops (Fix email delivery
		// issues for error codes 5.4.6 through 5.4.20 in Exchange Online).
		if c.RouteAllMessagesViaOnPremises && c.AllAcceptedDomains {
			obj := outboundObject(x, &c)
			fs = append(fs, Finding{
				Rule:    RuleCentralizedTransportScopedToAcceptedDomains,
				Objects: []string{obj},
				Message: fmt.Sprintf("%s has RouteAllMessagesViaOnPremises $true and AllAcceptedDomains $true: "+
					"a centralized mail transport connector must not be scoped to the accepted domains; "+
					"Microsoft documents that mail then loops between Exchange Online and on-premises until it is rejected with %s. "+
					"It does not document how, so traces do not reproduce the loop (docs/behaviour.md, D21)", obj, loopText),
				Source: "Fix email delivery issues for error codes 5.4.6 through 5.4.20 in Exchange Online",
			})
		}
		if c.UsesMX() {
			fs = append(fs, checkUsesMX(t, x, &c, mxDomains)...)
		}
	}
	return fs
}

// checkUsesMX reports the domains the OnPremises connector c delivers by
// MX while their MX is the tenant's own EOP: the message comes back and
// loops (Fix email delivery issues for error codes 5.4.6 through 5.4.20 in
// Exchange Online).
func checkUsesMX(t *topology.Topology, x *topology.Tenant, c *connector.Outbound, mxDomains []string) []Finding {
	obj := outboundObject(x, c)
	useMX := "UseMXRecord $true"
	if c.UseMXRecord == connector.Unset {
		useMX = "UseMXRecord unset, which reads as $true"
	}
	var fs []Finding
	for _, d := range mxDomains {
		rec, ok := preferredMXTo(t, d, x.EOP())
		if !ok {
			continue
		}
		// "*" and AllAcceptedDomains do not send the tenant's own
		// onmicrosoft.com domains anywhere: their recipients live in the
		// tenant.
		if covered, broad := outboundCovers(x, c, d); !covered || broad && isAutomaticDomain(x, d) {
			continue
		}
		fs = append(fs, Finding{
			Rule:    RuleOnPremisesConnectorUsesMX,
			Objects: []string{obj, mxObject(rec)},
			Message: fmt.Sprintf("%s delivers %s by MX (%s), and the MX of %s is %s, the tenant's own EOP: "+
				"the message comes back to EOP and loops until it is rejected with %s", obj, d, useMX, d, rec.NameExchange, loopText),
			Source: "Fix email delivery issues for error codes 5.4.6 through 5.4.20 in Exchange Online",
		})
	}
	return fs
}

// preferredMXTo returns the MX record of domain, among those with the
// lowest preference, that points to the node eop.
func preferredMXTo(t *topology.Topology, domain string, eop topology.NodeID) (topology.MXRecord, bool) {
	recs := slices.Collect(t.MX(domain))
	for _, r := range recs {
		if r.Preference != recs[0].Preference {
			break
		}
		if n, ok := t.ResolveHost(r.NameExchange); ok && n.ID == eop {
			return r, true
		}
	}
	return topology.MXRecord{}, false
}

// outboundCovers reports whether the outbound connector c takes mail for
// domain by its RecipientDomains or AllAcceptedDomains, and whether only by
// "*" or AllAcceptedDomains (broad). Rule-scoped connectors take no part in
// domain selection ("Scenario: Conditional mail routing in Exchange
// Online").
func outboundCovers(x *topology.Tenant, c *connector.Outbound, domain string) (covered, broad bool) {
	if c.IsTransportRuleScoped {
		return false, false
	}
	_, accepted := x.AcceptedDomain(domain)
	covered = c.AllAcceptedDomains && accepted
	for _, s := range c.RecipientDomains {
		p, err := connector.ParsePattern(s)
		if err != nil || !p.Match(domain, accepted) {
			continue
		}
		if p.Kind() != connector.PatternAny {
			return true, false
		}
		covered = true
	}
	return covered, covered
}

// onPremisesNeed is why a tenant domain needs an OnPremises outbound
// connector.
type onPremisesNeed struct {
	internalRelay bool
	recipients    []string // PrimarySmtpAddress of the MailUsers
}

// onPremisesNeeds returns the tenant domains whose recipients are
// on-premises: the InternalRelay domains, and the accepted domains that
// MailUsers target.
func onPremisesNeeds(x *topology.Tenant) map[string]*onPremisesNeed {
	needs := map[string]*onPremisesNeed{}
	get := func(d string) *onPremisesNeed {
		n := needs[d]
		if n == nil {
			n = &onPremisesNeed{}
			needs[d] = n
		}
		return n
	}
	for a := range x.AcceptedDomains() {
		if a.DomainType == topology.InternalRelay {
			get(a.DomainName).internalRelay = true
		}
	}
	for r := range x.Recipients() {
		if r.RecipientTypeDetails != topology.MailUser {
			continue
		}
		target := cmp.Or(stripPrefix(r.ExternalEmailAddress), r.PrimarySmtpAddress)
		if _, d, err := smtp.Address(target); err == nil {
			if _, ok := x.AcceptedDomain(d); ok {
				n := get(d)
				n.recipients = append(n.recipients, r.PrimarySmtpAddress)
			}
		}
	}
	return needs
}

// stripPrefix returns a proxy address without its "smtp:" (or other)
// prefix.
func stripPrefix(e string) string {
	if _, after, ok := strings.Cut(e, ":"); ok {
		return after
	}
	return e
}

// hasOnPremisesOutbound reports whether an enabled OnPremises outbound
// connector of x takes mail for domain: by its domains, or as the
// centralized mail transport connector.
func hasOnPremisesOutbound(x *topology.Tenant, domain string) bool {
	for c := range x.OutboundConnectors() {
		if c.ConnectorType != connector.OnPremises || !c.IsEnabled() {
			continue
		}
		if covered, _ := outboundCovers(x, &c, domain); covered || c.RouteAllMessagesViaOnPremises {
			return true
		}
	}
	return false
}

// checkOnPremisesDomains reports the tenant domains whose recipients are
// on-premises but that no OnPremises outbound connector covers (Set up
// connectors to route mail between Microsoft 365 and your own email
// servers).
func checkOnPremisesDomains(x *topology.Tenant) []Finding {
	needs := onPremisesNeeds(x)
	var fs []Finding
	for _, d := range slices.Sorted(maps.Keys(needs)) {
		if hasOnPremisesOutbound(x, d) {
			continue
		}
		n := needs[d]
		domObj := fmt.Sprintf("%s.AcceptedDomains[%q]", tenantObject(x), d)
		objs := []string{domObj}
		var why []string
		if n.internalRelay {
			why = append(why, "an InternalRelay accepted domain")
		}
		if len(n.recipients) > 0 {
			slices.SortFunc(n.recipients, func(a, b string) int { return strings.Compare(smtp.Key(a), smtp.Key(b)) })
			for _, r := range n.recipients {
				objs = append(objs, fmt.Sprintf("%s.Recipients[%q]", tenantObject(x), r))
			}
			why = append(why, "the target domain of the MailUser recipients "+strings.Join(n.recipients, ", "))
		}
		fs = append(fs, Finding{
			Rule:    RuleMissingConnector,
			Objects: objs,
			Message: fmt.Sprintf("%s is %s, but no enabled OnPremises outbound connector of %s covers it: "+
				"mail for its recipients cannot reach the on-premises servers; it loops through the MX of %s back to EOP (%s) or is rejected",
				d, strings.Join(why, " and "), tenantObject(x), d, loopText),
			Source: "Set up connectors to route mail between Microsoft 365 and your own email servers",
		})
	}
	return fs
}

// servers returns the nodes of the on-premises organization's servers, in
// ascending ID order.
func servers(t *topology.Topology, o *topology.OnPremises) []topology.Node {
	var out []topology.Node
	for n := range t.Nodes() {
		if n.OnPremises() == o {
			out = append(out, n)
		}
	}
	return out
}

// domainNames returns the domain names among certificate names, lower
// case, sorted, without duplicates. Only domain names can match
// TlsSenderCertificateName; Exchange's self-signed certificate also
// carries the server's NetBIOS name.
func domainNames(all []string) []string {
	var names []string
	for _, s := range all {
		if s = smtp.Key(s); strings.Contains(s, ".") {
			names = append(names, s)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// eopTenants returns the tenants whose EOP the Send connector c smart
// hosts to, in the order of its SmartHosts.
func eopTenants(t *topology.Topology, c *connector.Send) []*topology.Tenant {
	var tenants []*topology.Tenant
	for _, h := range c.SmartHosts {
		n, ok := t.ResolveHost(h)
		if ok && n.Kind == topology.KindEOP && n.Tenant() != nil && !slices.Contains(tenants, n.Tenant()) {
			tenants = append(tenants, n.Tenant())
		}
	}
	return tenants
}

// checkRelayThroughEOP reports Send connectors that smart host to a
// tenant's EOP when the tenant has no OnPremises inbound connector for the
// organization's servers (Updated requirements for SMTP relay through
// Exchange Online; Set up connectors to route mail between Microsoft 365
// and your own email servers).
func checkRelayThroughEOP(t *topology.Topology, o *topology.OnPremises) []Finding {
	srvs := servers(t, o)
	var fs []Finding
	for c := range o.SendConnectors() {
		if !c.IsEnabled() {
			continue
		}
		for _, x := range eopTenants(t, &c) {
			if !relaysThrough(x, o, &c) {
				continue
			}
			switch by, cert := attributedOnPremises(t, x, srvs, &c); by {
			case notAttributed:
				fs = append(fs, relayFinding(o, x, srvs, &c))
			case byIPAddress:
				fs = append(fs, relaySenderFinding(o, x, &c, "by IP address"))
			case byOtherCertificate:
				fs = append(fs, relaySenderFinding(o, x, &c, "by certificate "+cert+", in no accepted domain"))
			}
		}
	}
	return fs
}

// attributedOnPremises reports how the compiled inbound connectors of x
// ([topology.Tenant.Attribution], as the engine uses them) attribute a
// connection from one of the servers, sent through c, to an OnPremises
// connector: by the trusted certificate the server presents, over TLS
// when both the server and x's EOP offer it, or by the server's IP
// address. The best way wins: a certificate with a name in an accepted
// domain of x, which relays whatever the sender
// (docs/behaviour.md#d19-which-sender-domain-counts-for-relay), then
// another certificate, then the IP address; with a certificate, the
// TlsSenderCertificateName of the connector it matched.
func attributedOnPremises(t *topology.Topology, x *topology.Tenant, srvs []topology.Node, c *connector.Send) (attributedBy, string) {
	set := x.Attribution()
	eop, _ := t.Node(x.EOP())
	best, name := notAttributed, ""
	try := func(conn connector.Connection) {
		a := set.OnPremises(conn)
		if by := attributedHow(x, a, conn); by > best {
			best, name = by, a.TlsSenderCertificateName
		}
	}
	for _, n := range srvs {
		conn := connector.Connection{IP: n.IPAddress, TLS: n.StartTLS && eop.StartTLS}
		try(conn)
		// The server presents the certificate TlsCertificateName names, else
		// its own; one the topology does not describe counts as trusted, as
		// in the engine
		// (docs/behaviour.md#l12-a-certificate-named-only-by-tlscertificatename).
		// An untrusted certificate attributes nothing.
		cert := n.Certificate
		conn.Certificate = cert.AppendNames(nil)
		conn.CertificateTrusted = !cert.IsZero() && !cert.IsSelfSigned() && cert.Status() == topology.CertificateValid
		if name := c.CertificateName(); name != "" && !cert.Matches(name) {
			conn.Certificate, conn.CertificateTrusted = []string{name}, true
		}
		if len(conn.Certificate) > 0 {
			try(conn)
		}
	}
	return best, name
}

// attributedBy is how a tenant attributes an organization's servers to an
// OnPremises inbound connector, worst first.
type attributedBy uint8

const (
	notAttributed attributedBy = iota
	byIPAddress
	byOtherCertificate    // a certificate in no accepted domain
	byAcceptedCertificate // a certificate with a name in an accepted domain
)

// attributedHow returns how the attribution a of conn was made.
func attributedHow(x *topology.Tenant, a connector.Attribution, conn connector.Connection) attributedBy {
	switch {
	case !a.Found():
		return notAttributed
	case !a.ByCertificate:
		return byIPAddress
	case x.HasCertificateDomain(conn.Certificate):
		return byAcceptedCertificate
	}
	return byOtherCertificate
}

// relaySenderFinding is the finding that the Send connector c relays
// through the EOP of x, which attributes the servers by IP address or by
// a certificate in no accepted domain (how says which): Exchange Online
// then relays only messages whose MAIL FROM domain it accepts.
func relaySenderFinding(o *topology.OnPremises, x *topology.Tenant, c *connector.Send, how string) Finding {
	sobj, tobj := sendObject(o, c), tenantObject(x)
	return Finding{
		Rule:    RuleRelayNeedsAcceptedSender,
		Objects: []string{sobj, tobj},
		Message: fmt.Sprintf("%s sends through the EOP of %s, whose OnPremises inbound connector attributes the servers of %s %s: "+
			"Exchange Online relays only messages whose MAIL FROM domain "+
			"is an accepted domain, so mail the organization sends on for outside senders (forwarding, distribution groups with outside "+
			"members) is rejected with %s; a certificate-based connector whose certificate is in an accepted domain relays it",
			sobj, tobj, onPremisesObject(o), how, route.StatusRelayDeniedATTR36),
		Source: "Updated requirements for SMTP relay through Exchange Online; Configure a certificate-based connector to relay email messages through Microsoft 365",
	}
}

// relayFinding is the finding that the Send connector c relays through
// the EOP of x, which has no OnPremises inbound connector for the servers.
func relayFinding(o *topology.OnPremises, x *topology.Tenant, srvs []topology.Node, c *connector.Send) Finding {
	var certs []string
	var ips []netip.Addr
	for _, n := range srvs {
		certs = n.Certificate.AppendNames(certs)
		if n.IPAddress.IsValid() {
			ips = append(ips, n.IPAddress)
		}
	}
	names := domainNames(append(certs, c.CertificateName()))
	sobj, tobj := sendObject(o, c), tenantObject(x)
	return Finding{
		Rule:    RuleMissingConnector,
		Objects: []string{sobj, tobj},
		Message: fmt.Sprintf("%s sends through the EOP of %s, but %s has no enabled OnPremises inbound connector matching the servers of %s "+
			"by certificate (%s) or IP address (%s): relay through Exchange Online fails with %s",
			sobj, tobj, tobj, onPremisesObject(o), listOrNone(names), listOrNone(ipStrings(ips)), relayDeniedText),
		Source: "Updated requirements for SMTP relay through Exchange Online; Set up connectors to route mail between Microsoft 365 and your own email servers",
	}
}

// relaysThrough reports whether the Send connector c of o can send mail
// for a domain that x does not accept, which x then relays: an address
// space "*", a wildcard (it covers subdomains x may not accept), a domain x
// does not accept, or "--" when o accepts a domain that x does not. Mail
// for x's own accepted domains is inbound mail and needs no OnPremises
// connector (Updated requirements for SMTP relay through Exchange Online).
func relaysThrough(x *topology.Tenant, o *topology.OnPremises, c *connector.Send) bool {
	for _, s := range c.AddressSpaces {
		a, err := connector.ParseAddressSpace(s)
		if err != nil || a.Type != "SMTP" {
			continue
		}
		switch a.Pattern.Kind() {
		case connector.PatternAny, connector.PatternWildcard:
			return true
		case connector.PatternExact:
			if _, ok := x.AcceptedDomain(a.Pattern.Domain()); !ok {
				return true
			}
		case connector.PatternAccepted:
			for d := range o.AcceptedDomains() {
				if _, ok := x.AcceptedDomain(d.DomainName); !ok {
					return true
				}
			}
		}
	}
	return false
}

func ipStrings(ips []netip.Addr) []string {
	s := make([]string, 0, len(ips))
	for _, ip := range ips {
		s = append(s, ip.String())
	}
	slices.Sort(s)
	return slices.Compact(s)
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// nonPublic are the address blocks that are not on the Internet: private
// (RFC 1918, and IPv6 unique local), loopback and link-local.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("fc00::/7"),
}

// isPublicRange reports whether r contains an address outside the
// private, loopback and link-local blocks.
func isPublicRange(r connector.IPRange) bool {
	from, to := r.From.Unmap(), r.To.Unmap()
	for _, p := range nonPublic {
		if p.Contains(from) && p.Contains(to) {
			return false
		}
	}
	return true
}

// openFrom says which clients the relay connector c accepts when that
// opens it to the Internet, and reports false when it does not: every
// address, or public ranges wider than a /24. A relay connector limited to
// a few application hosts is the recommended setup, even on public
// addresses (Allow anonymous relay on Exchange servers).
func openFrom(c *connector.Receive) (string, bool) {
	if len(c.RemoteIPRanges) == 0 {
		return "every address (RemoteIPRanges is empty)", true
	}
	var public []string
	for _, s := range c.RemoteIPRanges {
		if r, err := connector.ParseIPRange(s); err == nil && isPublicRange(r) && r.Size() > 256 {
			public = append(public, s)
		}
	}
	if len(public) == 0 {
		return "", false
	}
	return "public address ranges wider than a /24 (RemoteIPRanges " + strings.Join(public, ", ") + ")", true
}

// checkRelayDomains reports on-premises relay domains that cover every
// domain, or every domain of a top-level domain ("*", "*.com"): the
// organization accepts mail for all of them from anyone and relays it on,
// an open relay ("Accepted domains in Exchange Server").
func checkRelayDomains(o *topology.OnPremises) []Finding {
	var fs []Finding
	for d := range o.AcceptedDomains() {
		name := d.DomainName
		if d.DomainType == topology.Authoritative || name != "*" && (!strings.HasPrefix(name, "*.") || strings.Contains(name[2:], ".")) {
			continue
		}
		obj := `OnPremises["` + o.Name() + `"].AcceptedDomains["` + name + `"]`
		fs = append(fs, Finding{
			Rule:    RuleOpenRelay,
			Objects: []string{obj},
			Message: fmt.Sprintf("%s is a %s accepted domain covering every domain it matches: the organization accepts mail for all of them "+
				"and relays what its directory does not hold, an open relay", obj, d.DomainType),
			Source: "Accepted domains in Exchange Server",
		})
	}
	return fs
}

// checkOpenRelay reports Receive connectors that let anonymous senders on
// the Internet relay (Allow anonymous relay on Exchange servers; Configure
// mail flow using connectors in Exchange Online).
func checkOpenRelay(o *topology.OnPremises) []Finding {
	var fs []Finding
	for c := range o.ReceiveConnectors() {
		if !c.IsEnabled() || !c.Relays() {
			continue
		}
		from, open := openFrom(&c)
		if !open {
			continue
		}
		var how []string
		if c.AnonymousRelay && c.Has("AnonymousUsers") {
			how = append(how, "AnonymousUsers with ms-Exch-SMTP-Accept-Any-Recipient")
		}
		if c.ExternallySecured() {
			how = append(how, "ExchangeServers with ExternalAuthoritative")
		}
		obj := receiveObject(o, &c)
		fs = append(fs, Finding{
			Rule:    RuleOpenRelay,
			Objects: []string{obj},
			Message: fmt.Sprintf("%s lets anonymous senders relay (%s) and accepts connections from %s: "+
				"anonymous senders on the Internet can relay through it to any domain", obj, strings.Join(how, "; "), from),
			Source: "Allow anonymous relay on Exchange servers; Configure mail flow using connectors in Exchange Online",
		})
	}
	return fs
}
