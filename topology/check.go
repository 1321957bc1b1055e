package topology

import (
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/smtp"
)

// Finding is one documented configuration mistake.
type Finding struct {
	// Rule is the check that found it: a stable identifier, one of the
	// Rule* constants of this package and of route's Analyze.
	Rule FindingRule
	// Objects are the configuration objects involved, named like
	// [Problem.Path] (`Tenants["contoso"].InboundConnectors["From ContosoBank"]`),
	// in ascending order.
	Objects []string
	// Message says what is wrong and what happens (with the status code
	// when there is one), naming the objects.
	Message string
	// Source is the documentation rule: the reference section and source
	// key, such as "reference §4.2 [ConnOverview]".
	Source string
}

// FindingRule names a check: a stable identifier that also is its text
// and JSON form ("MissingConnector").
type FindingRule string

// String returns the rule's identifier.
func (r FindingRule) String() string { return string(r) }

// The rules [Topology.Check] applies. Their values are stable identifiers.
const (
	// RulePartnerMixesIPAndCertificate: a Partner inbound connector
	// restricts by both IP address and certificate; the restrictions belong
	// in separate connectors (reference §4.2 [ConnOverview]).
	RulePartnerMixesIPAndCertificate FindingRule = "PartnerMixesIPAndCertificate"
	// RuleShadowedDomainConnector: a Partner inbound connector that accepts
	// by sender domain only is outranked by a restricting Partner connector
	// for the same domain, so mail from other sources is rejected with
	// 550 5.7.51 (reference §4.2 [ConnOverview][ThirdParty]).
	RuleShadowedDomainConnector FindingRule = "ShadowedDomainConnector"
	// RuleCentralizedTransportScopedToAcceptedDomains: the centralized mail
	// transport connector has AllAcceptedDomains $true, a mail loop ending
	// in 554 5.4.14 (reference §5.3, §11, §15 D21 [Loop-EXO]).
	RuleCentralizedTransportScopedToAcceptedDomains FindingRule = "CentralizedTransportScopedToAcceptedDomains"
	// RuleOnPremisesConnectorUsesMX: an OnPremises outbound connector
	// delivers by MX to a domain whose MX is the tenant's own EOP, a mail
	// loop ending in 554 5.4.14 (reference §11 [Loop-EXO]).
	RuleOnPremisesConnectorUsesMX FindingRule = "OnPremisesConnectorUsesMX"
	// RuleMissingConnector: a connector that hybrid mail flow needs does not
	// exist: no OnPremises outbound connector for a domain whose recipients
	// are on-premises (reference §3.3 [ConnRoute]), or no OnPremises inbound
	// connector for an organization that relays through Exchange Online
	// (reference §4.3 [Relay2023][ConnRoute]).
	RuleMissingConnector FindingRule = "MissingConnector"
	// RuleOpenRelay: an on-premises Receive connector lets anonymous
	// senders on the Internet relay to any domain (reference §6.2
	// [AnonRelay][ConnOverview]).
	RuleOpenRelay FindingRule = "OpenRelay"
)

// The status texts the findings quote (reference §14).
const (
	loopText        = "554 5.4.14 Hop count exceeded - possible mail loop"
	partnerText     = "550 5.7.51 TenantInboundAttribution"
	relayDeniedText = "550 5.7.64 TenantAttribution; Relay Access Denied"
)

// Check returns the findings for t, sorted by Rule, then Objects, then
// Message. It never traces mail: it reads the configuration only, and
// reports documented mistakes that [Build] accepts because each object is
// valid on its own:
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
//     when the tenant has no OnPremises inbound connector for the
//     organization's servers.
//   - [RuleOpenRelay]: an enabled Receive connector that relays for
//     anonymous senders and accepts public client addresses.
//
// The result is the same for every order of the [Spec] t was built from.
func (t *Topology) Check() []Finding {
	var fs []Finding
	mxDomains := slices.Collect(t.MXDomains())
	for _, x := range t.tenants {
		fs = append(fs, checkPartnerConnectors(x)...)
		fs = append(fs, t.checkOutboundConnectors(x, mxDomains)...)
		fs = append(fs, checkOnPremisesDomains(x)...)
	}
	for _, o := range t.onprem {
		fs = append(fs, t.checkRelayThroughEOP(o)...)
		fs = append(fs, checkOpenRelay(o)...)
	}
	for i := range fs {
		slices.Sort(fs[i].Objects)
	}
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(strings.Compare(string(a.Rule), string(b.Rule)), slices.Compare(a.Objects, b.Objects), strings.Compare(a.Message, b.Message))
	})
	return fs
}

// Object names, as Build's problems write them.

func tenantObject(x *Tenant) string { return fmt.Sprintf("Tenants[%q]", x.name) }

func inboundObject(x *Tenant, c *connector.Inbound) string {
	return fmt.Sprintf("%s.InboundConnectors[%q]", tenantObject(x), c.Name)
}

func outboundObject(x *Tenant, c *connector.Outbound) string {
	return fmt.Sprintf("%s.OutboundConnectors[%q]", tenantObject(x), c.Name)
}

func onPremisesObject(o *OnPremises) string { return fmt.Sprintf("OnPremises[%q]", o.name) }

func sendObject(o *OnPremises, c *connector.Send) string {
	return fmt.Sprintf("%s.SendConnectors[%q]", onPremisesObject(o), c.Name)
}

func receiveObject(o *OnPremises, c *connector.Receive) string {
	return fmt.Sprintf("%s.ReceiveConnectors[%q]", onPremisesObject(o), c.Server+`\`+c.Name)
}

func mxObject(r MXRecord) string {
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

// checkPartnerConnectors applies the Partner inbound connector rules
// (reference §4.2).
func checkPartnerConnectors(x *Tenant) []Finding {
	var fs []Finding
	for i := range x.inbound {
		c := &x.inbound[i]
		if c.ConnectorType != connector.Partner {
			continue
		}
		// Reference §4.2 rule 3: "IP and certificate restrictions belong in
		// separate connectors" [ConnOverview].
		both := c.RestrictDomainsToIPAddresses && c.RestrictDomainsToCertificate
		mixed := len(c.SenderIPAddresses) > 0 && c.TlsSenderCertificateName != "" && restricts(c)
		if both || mixed {
			obj := inboundObject(x, c)
			fs = append(fs, Finding{
				Rule:    RulePartnerMixesIPAndCertificate,
				Objects: []string{obj},
				Message: fmt.Sprintf("%s is a Partner connector restricted by both IP address and certificate (%s): "+
					"IP and certificate restrictions belong in separate connectors, one restricted to SenderIPAddresses and one to TlsSenderCertificateName",
					obj, restrictionText(c)),
				Source: "reference §4.2 [ConnOverview]",
			})
		}
	}
	// Reference §4.2: restricting connectors outrank those merely listing
	// the sender domain, and a restricting connector for the sender domain
	// that the source does not match rejects with 5.7.51.
	for i := range x.inbound {
		open := &x.inbound[i]
		if open.ConnectorType != connector.Partner || !open.IsEnabled() || restricts(open) || len(open.SenderDomains) == 0 {
			continue
		}
		for j := range x.inbound {
			r := &x.inbound[j]
			if r.ConnectorType != connector.Partner || !r.IsEnabled() || !restricts(r) {
				continue
			}
			shared := overlappingDomains(open.SenderDomains, r.SenderDomains)
			if len(shared) == 0 {
				continue
			}
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
			fs = append(fs, Finding{
				Rule:    RuleShadowedDomainConnector,
				Objects: []string{openObj, rObj},
				Message: fmt.Sprintf("%s accepts mail from %s by sender domain only, but the restricting Partner connector %s (%s) covers the same senders and outranks it: "+
					"mail from %s that does not come from %s is rejected with %s instead of using %s",
					openObj, doms, rObj, restrictionText(r), doms, source, partnerText, openObj),
				Source: "reference §4.2 [ConnOverview][ThirdParty]",
			})
		}
	}
	return fs
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
			if err != nil {
				continue
			}
			if !overlap(pa, pb) {
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
func isAutomaticDomain(x *Tenant, domain string) bool {
	return domain == x.name+".onmicrosoft.com" || domain == x.CoexistenceDomain()
}

// checkOutboundConnectors applies the loop rules to the tenant's OnPremises
// outbound connectors (reference §5.3, §11). mxDomains are the domains that
// have MX records, ascending.
func (t *Topology) checkOutboundConnectors(x *Tenant, mxDomains []string) []Finding {
	var fs []Finding
	for i := range x.outbound {
		c := &x.outbound[i]
		if c.ConnectorType != connector.OnPremises || !c.IsEnabled() {
			continue
		}
		obj := outboundObject(x, c)
		// Reference §5.3, §15 D21: the CMT connector must not be scoped to
		// the accepted domains, else the §11 loop [Loop-EXO].
		if c.RouteAllMessagesViaOnPremises && c.AllAcceptedDomains {
			fs = append(fs, Finding{
				Rule:    RuleCentralizedTransportScopedToAcceptedDomains,
				Objects: []string{obj},
				Message: fmt.Sprintf("%s has RouteAllMessagesViaOnPremises $true and AllAcceptedDomains $true: "+
					"a centralized mail transport connector must not be scoped to the accepted domains; "+
					"mail loops between Exchange Online and on-premises until it is rejected with %s", obj, loopText),
				Source: "reference §5.3, §11, §15 D21 [Loop-EXO]",
			})
		}
		// Reference §11 [Loop-EXO]: MX → EOP while the connector to
		// on-premises uses UseMXRecord $true.
		if !c.UsesMX() {
			continue
		}
		useMX := "UseMXRecord $true"
		if c.UseMXRecord == connector.Unset {
			useMX = "UseMXRecord unset, which reads as $true"
		}
		for _, d := range mxDomains {
			rec, ok := t.preferredMXTo(d, x.eop)
			if !ok {
				continue
			}
			// "*" and AllAcceptedDomains do not send the tenant's own
			// onmicrosoft.com domains anywhere: their recipients live in the
			// tenant (reference §5.2 step 1).
			if covered, broad := outboundCovers(x, c, d); !covered || broad && isAutomaticDomain(x, d) {
				continue
			}
			fs = append(fs, Finding{
				Rule:    RuleOnPremisesConnectorUsesMX,
				Objects: []string{obj, mxObject(rec)},
				Message: fmt.Sprintf("%s delivers %s by MX (%s), and the MX of %s is %s, the tenant's own EOP: "+
					"the message comes back to EOP and loops until it is rejected with %s", obj, d, useMX, d, rec.NameExchange, loopText),
				Source: "reference §11 [Loop-EXO]",
			})
		}
	}
	return fs
}

// preferredMXTo returns the MX record of domain, among those with the
// lowest preference, that points to the node eop.
func (t *Topology) preferredMXTo(domain string, eop NodeID) (MXRecord, bool) {
	recs := t.mx[domain]
	for _, r := range recs {
		if r.Preference != recs[0].Preference {
			break
		}
		if t.hosts[r.NameExchange] == eop {
			return r, true
		}
	}
	return MXRecord{}, false
}

// outboundCovers reports whether the outbound connector c takes mail for
// domain by its RecipientDomains or AllAcceptedDomains, and whether only by
// "*" or AllAcceptedDomains (broad). Rule-scoped connectors take no part in
// domain selection (reference §5.1).
func outboundCovers(x *Tenant, c *connector.Outbound, domain string) (covered, broad bool) {
	if c.IsTransportRuleScoped {
		return false, false
	}
	_, accepted := x.domains.lookup(domain)
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

// checkOnPremisesDomains reports the tenant domains whose recipients are
// on-premises but that no OnPremises outbound connector covers (reference
// §3.3 [ConnRoute], §2.1).
func checkOnPremisesDomains(x *Tenant) []Finding {
	type need struct {
		internalRelay bool
		recipients    []string // PrimarySmtpAddress of the MailUsers
	}
	needs := map[string]*need{}
	get := func(d string) *need {
		n := needs[d]
		if n == nil {
			n = &need{}
			needs[d] = n
		}
		return n
	}
	for _, a := range x.domains.list {
		if a.DomainType == InternalRelay {
			get(a.DomainName).internalRelay = true
		}
	}
	for _, r := range x.dir.recipients {
		if r.RecipientTypeDetails != MailUser {
			continue
		}
		target := cmp.Or(stripPrefix(r.ExternalEmailAddress), r.PrimarySmtpAddress)
		_, d, err := smtp.Address(target)
		if err != nil {
			continue
		}
		if _, ok := x.domains.lookup(d); ok {
			n := get(d)
			n.recipients = append(n.recipients, r.PrimarySmtpAddress)
		}
	}
	var fs []Finding
	for _, d := range slices.Sorted(maps.Keys(needs)) {
		if slices.ContainsFunc(x.outbound, func(c connector.Outbound) bool {
			if c.ConnectorType != connector.OnPremises || !c.IsEnabled() {
				return false
			}
			covered, _ := outboundCovers(x, &c, d)
			return covered || c.RouteAllMessagesViaOnPremises
		}) {
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
			Source: "reference §3.3 [ConnRoute]",
		})
	}
	return fs
}

// checkRelayThroughEOP reports Send connectors that smart host to a
// tenant's EOP when the tenant has no OnPremises inbound connector for the
// organization's servers (reference §4.3 [Relay2023][ConnRoute]).
func (t *Topology) checkRelayThroughEOP(o *OnPremises) []Finding {
	// What identifies the organization's servers to EOP.
	var certs []string
	var ips []netip.Addr
	for _, s := range o.servers {
		n, _ := t.Node(s.id)
		certs = slices.AppendSeq(certs, n.Certificate.Names())
		if n.IPAddress.IsValid() {
			ips = append(ips, n.IPAddress)
		}
	}
	var fs []Finding
	for i := range o.send {
		c := &o.send[i]
		if !c.IsEnabled() {
			continue
		}
		// Only domain names can match TlsSenderCertificateName; Exchange's
		// self-signed certificate also carries the server's NetBIOS name.
		var names []string
		for _, n := range append(slices.Clone(certs), c.CertificateName()) {
			if n = smtp.Key(n); strings.Contains(n, ".") {
				names = append(names, n)
			}
		}
		slices.Sort(names)
		names = slices.Compact(names)
		var tenants []*Tenant
		for _, h := range c.SmartHosts {
			id, ok := t.hosts[smtp.Key(h)]
			if !ok {
				continue
			}
			n, _ := t.Node(id)
			if n.Kind == KindEOP && n.tenant != nil && !slices.Contains(tenants, n.tenant) {
				tenants = append(tenants, n.tenant)
			}
		}
		for _, x := range tenants {
			if !relaysThrough(x, o, c) || hasOnPremisesInbound(x, names, ips) {
				continue
			}
			sobj, tobj := sendObject(o, c), tenantObject(x)
			fs = append(fs, Finding{
				Rule:    RuleMissingConnector,
				Objects: []string{sobj, tobj},
				Message: fmt.Sprintf("%s sends through the EOP of %s, but %s has no enabled OnPremises inbound connector matching the servers of %s "+
					"by certificate (%s) or IP address (%s): relay through Exchange Online fails with %s",
					sobj, tobj, tobj, onPremisesObject(o), listOrNone(names), listOrNone(ipStrings(ips)), relayDeniedText),
				Source: "reference §4.3 [Relay2023][ConnRoute]",
			})
		}
	}
	return fs
}

// relaysThrough reports whether the Send connector c of o can send mail
// for a domain that x does not accept, which x then relays: an address
// space "*", a wildcard (it covers subdomains x may not accept), a domain x
// does not accept, or "--" when o accepts a domain that x does not. Mail
// for x's own accepted domains is inbound mail and needs no OnPremises
// connector (reference §4.3).
func relaysThrough(x *Tenant, o *OnPremises, c *connector.Send) bool {
	for _, s := range c.AddressSpaces {
		a, err := connector.ParseAddressSpace(s)
		if err != nil || a.Type != "SMTP" {
			continue
		}
		switch a.Pattern.Kind() {
		case connector.PatternAny, connector.PatternWildcard:
			return true
		case connector.PatternExact:
			if _, ok := x.domains.lookup(a.Pattern.Domain()); !ok {
				return true
			}
		case connector.PatternAccepted:
			for _, d := range o.domains.list {
				if _, ok := x.domains.lookup(d.DomainName); !ok {
					return true
				}
			}
		}
	}
	return false
}

// hasOnPremisesInbound reports whether an enabled OnPremises inbound
// connector of x matches one of the certificate names or IP addresses.
func hasOnPremisesInbound(x *Tenant, certs []string, ips []netip.Addr) bool {
	for i := range x.inbound {
		c := &x.inbound[i]
		if c.ConnectorType != connector.OnPremises || !c.IsEnabled() {
			continue
		}
		if c.MatchCertificate(certs...) {
			return true
		}
		for _, ip := range ips {
			if _, ok := c.MatchIP(ip); ok {
				return true
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

// checkOpenRelay reports Receive connectors that let anonymous senders on
// the Internet relay (reference §6.2 [AnonRelay][ConnOverview]).
func checkOpenRelay(o *OnPremises) []Finding {
	var fs []Finding
	for i := range o.receive {
		c := &o.receive[i]
		if !c.IsEnabled() || !c.Relays() {
			continue
		}
		var from string
		if len(c.RemoteIPRanges) == 0 {
			from = "every address (RemoteIPRanges is empty)"
		} else {
			var public []string
			for _, s := range c.RemoteIPRanges {
				// A relay connector limited to a few application hosts is the
				// recommended setup, even on public addresses (reference
				// §6.2): only ranges wider than a /24 open the relay.
				if r, err := connector.ParseIPRange(s); err == nil && isPublicRange(r) && r.Size() > 256 {
					public = append(public, s)
				}
			}
			if len(public) == 0 {
				continue
			}
			from = "public address ranges wider than a /24 (RemoteIPRanges " + strings.Join(public, ", ") + ")"
		}
		var how []string
		if c.AnonymousRelay && c.Has("AnonymousUsers") {
			how = append(how, "AnonymousUsers with ms-Exch-SMTP-Accept-Any-Recipient")
		}
		if c.ExternallySecured() {
			how = append(how, "ExchangeServers with ExternalAuthoritative")
		}
		obj := receiveObject(o, c)
		fs = append(fs, Finding{
			Rule:    RuleOpenRelay,
			Objects: []string{obj},
			Message: fmt.Sprintf("%s lets anonymous senders relay (%s) and accepts connections from %s: "+
				"anonymous senders on the Internet can relay through it to any domain", obj, strings.Join(how, "; "), from),
			Source: "reference §6.2 [AnonRelay][ConnOverview]",
		})
	}
	return fs
}
