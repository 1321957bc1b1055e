package route

import (
	"cmp"
	"encoding/base32"
	"hash/fnv"
	"net/mail"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route/auth"
	"github.com/mailflowsim/mailflow/topology"
)

// eopCertificate is the name on the certificate EOP presents when it
// sends.
const eopCertificate = "mail.protection.outlook.com"

// hopRefs are the common hop references, made once.
var hopRefs = func() [32]string {
	var t [32]string
	for i := range t {
		t[i] = "hop " + strconv.Itoa(i)
	}
	return t
}()

func hopRef(n int) string {
	if n >= 0 && n < len(hopRefs) {
		return hopRefs[n]
	}
	return "hop " + strconv.Itoa(n)
}

// connectionOf returns what EOP knows of the connection an arrival
// describes, for attributing it to a connector.
func (e *engine) connectionOf(arr *arrival) connector.Connection {
	conn := connector.Connection{IP: arr.from.ip, TLS: arr.tls, SenderDomain: e.fromDomain}
	if arr.tls {
		conn.Certificate, conn.CertificateTrusted = arr.presentedCertificate()
	}
	return conn
}

// partnerOutcome turns a Partner connector's refusal of a recipient into
// its disposition, status and reason (Set up connectors for secure mail
// flow with a partner organization); a zero disposition for a connector
// that takes the mail, or no connector.
func (e *engine) partnerOutcome(a connector.Attribution, arr *arrival) (Disposition, string, string) {
	sender := e.fromDomain
	if sender == "" {
		sender = "<>"
	}
	switch a.Refusal {
	case connector.RefusedRestriction:
		var what []string
		if a.RestrictsToIP {
			what = append(what, "SenderIPAddresses (the connection comes from "+ipText(arr.from)+")")
		}
		if a.RestrictsToCertificate {
			what = append(what, "TlsSenderCertificateName "+a.TlsSenderCertificateName+" (the sender presented "+certText(arr)+")")
		}
		return Rejected, StatusPartnerRestriction, "Partner inbound connector \"" + a.Name + "\" restricts mail from " + sender +
			" to " + strings.Join(what, " and ") + ": rejected at RCPT TO"
	case connector.RefusedCertificate:
		// A wrong or absent certificate is rejected ("Set up connectors for
		// secure mail flow with a partner organization"); the library answers
		// 5.7.51 (docs/behaviour.md#d29-a-wrong-certificate-without-a-restrict-flag).
		return Rejected, StatusPartnerRestriction, "Partner inbound connector \"" + a.Name + "\" requires TlsSenderCertificateName " +
			a.TlsSenderCertificateName + " and the sender presented " + certText(arr)
	case connector.RefusedNoTLS: // deferred: docs/behaviour.md#d26-a-partner-connectors-requiretls-and-plain-smtp
		return Deferred, StatusStartTLS, "Partner inbound connector \"" + a.Name + "\" has RequireTls $true and the sender did not use TLS"
	}
	return 0, "", ""
}

// inboundTLS records on the hop's connection what the inbound connector
// that took it requires: RequireTls, and the certificate name
// (TlsSenderCertificateName) when the connector checks it (cert), with
// the failure the connection meets.
func (e *engine) inboundTLS(h *Hop, a connector.Attribution, arr *arrival, cert bool) {
	if a.RequireTls {
		var failure TLSFailure
		if !arr.tls {
			failure = NoSTARTTLS
		}
		e.require(h, TLSRequirement{Connector: a.Name, Parameter: "RequireTls"}, failure)
	}
	if cert && a.TlsSenderCertificateName != "" {
		var failure TLSFailure
		switch {
		case !arr.tls:
			failure = NoSTARTTLS
		case arr.cert == "":
			failure = NoCertificate
		default:
			failure = certificateFailure(arr, a.TlsSenderCertificateName)
		}
		e.require(h, TLSRequirement{Connector: a.Name, Parameter: "TlsSenderCertificateName", Value: a.TlsSenderCertificateName, Domain: a.TlsSenderCertificateName}, failure)
	}
}

// certificateFailure returns what the certificate an arrival presented
// lacks to satisfy the certificate name want: trust first (a self-signed,
// untrusted, expired or revoked certificate satisfies no certificate
// name), then the name, by its subject or a subject alternative name; 0
// when it satisfies want.
func certificateFailure(arr *arrival, want string) TLSFailure {
	names, trusted := arr.presentedCertificate()
	if !trusted && arr.describedCertificate() {
		switch c := arr.clientCert; {
		case c.IsSelfSigned() || c.Status() == topology.CertificateUntrusted:
			return UntrustedRoot
		case c.Status() == topology.CertificateDateInvalid:
			return ExpiredCertificate
		case c.Status() == topology.CertificateRevoked:
			return RevokedCertificate
		}
	}
	if !connector.CertificateMatch(want, names...) {
		return SubjectMismatch
	}
	return 0
}

func ipText(p peer) string {
	if p.ip.IsValid() {
		return p.ip.String()
	}
	return "an address it does not list"
}

func certText(arr *arrival) string {
	switch {
	case !arr.tls:
		return "no certificate (no TLS)"
	case arr.cert == "":
		return "no certificate"
	}
	switch certificateFailure(arr, arr.cert) {
	case UntrustedRoot:
		return "an untrusted certificate for " + arr.cert
	case ExpiredCertificate:
		return "an expired certificate for " + arr.cert
	case RevokedCertificate:
		return "a revoked certificate for " + arr.cert
	}
	return "a certificate for " + arr.cert
}

// eop is a tenant's service edge: mail from Exchange Online goes out
// (eopOutbound); mail entering the tenant is attributed, its recipients
// accepted or refused at RCPT TO, filtered, and routed (Microsoft:
// "Configure mail flow using connectors in Exchange Online"; "Exchange
// Online Protection overview").
func (e *engine) eop(f *flight, h *Hop) {
	x := f.node.Tenant()
	e.received = true
	v := f.visit(x)
	if f.arr.from.id == x.ExchangeOnline() {
		e.eopOutbound(f, h, x, v)
		return
	}
	v.entries++
	if v.entries > x.HopLimit() {
		h.AuthAs, h.Directionality = f.auth, f.dir
		e.terminalAll(f, Looped, StatusLoopExchangeOnline, "the message entered tenant "+x.Name()+" "+strconv.Itoa(v.entries)+
			" times, more than its HopLimit of "+strconv.Itoa(x.HopLimit())+": mail loop")
		return
	}
	resubmitted := e.resubmission(f, v)
	in := entry{x: x, v: v, filters: e.newFilters(6)}
	if !e.attribute(f, h, &in) {
		h.Filters = in.filters
		return
	}
	e.acceptRecipients(f, h, &in)
	e.filterEntry(f, h, &in)
	if resubmitted && in.rules.Applied() {
		h.Resubmitted = true
		in.rules.Reason = "a new submission: " + f.arr.from.id.String() + " re-sent the message; " + in.rules.Reason
	}
	e.routeEntry(f, &in)
	h.Filters = in.stages(e, f)
}

// entry is what EOP learns of a message entering the tenant, step by
// step.
type entry struct {
	x *topology.Tenant
	v *visit
	// onPrem is the OnPremises connector the connection was attributed
	// to, if any.
	onPrem         connector.Attribution
	allowed        bool // the IP Allow List matched
	senderAccepted bool // the MAIL FROM domain is accepted
	certAccepted   bool // the trusted certificate's domain is accepted
	filters        []Filter
	// At RCPT TO: recipients in Authoritative domains were checked
	// (dbeb), unknown ones rejected, some refused by attribution.
	dbeb, refused bool
	rejected      []string
	pass          int // recipients accepted at RCPT TO
	rules, spam   Filter
	journal       Filter
	// Where the accepted recipients went: Exchange Online, or elsewhere.
	toEXO, elsewhere bool
}

// attribute attributes the connection (Microsoft: "Configure mail flow using
// connectors in Exchange Online";
// docs/behaviour.md#d5-choosing-between-inbound-connectors-that-all-match): to
// an OnPremises connector, else to none yet (Partner connectors are per
// recipient), and applies the connection filter. It reports false when the
// connection ends here: blocked, or refused by the connector's RequireTls.
func (e *engine) attribute(f *flight, h *Hop, in *entry) bool {
	x := in.x
	in.onPrem = x.Attribution().OnPremises(e.connectionOf(&f.arr))
	matched := in.onPrem.Found()
	cf, allowed := e.connectionFilter(x, f, matched && !in.onPrem.ByCertificate)
	in.allowed = allowed
	in.filters = append(in.filters, cf)
	if cf.Verdict == VerdictReject {
		h.AuthAs, h.Directionality = Anonymous, Incoming
		e.terminalAll(f, Rejected, StatusBlockList, cf.Reason)
		return false
	}
	if e.fromDomain != "" {
		_, in.senderAccepted = x.AcceptedDomain(e.fromDomain)
	}
	in.certAccepted = certificateAccepted(x, &f.arr)
	f.viaOnPrem = matched
	if !matched {
		h.AuthAs, h.Directionality = Anonymous, Incoming
		return true
	}
	c := in.onPrem
	h.InboundConnector = c.Name
	e.inboundTLS(h, c, &f.arr, c.ByCertificate)
	h.Directionality = Originating
	switch {
	case c.CloudServicesMailEnabled && f.arr.crossPremises && f.auth != 0:
		h.AuthAs = f.auth // X-MS-Exchange-CrossPremises-AuthAs promoted
		h.CrossPremisesHeaders = true
	case c.TreatMessagesAsInternal && in.senderAccepted:
		h.AuthAs = Internal
	default:
		h.AuthAs = Anonymous
	}
	if c.RequireTls && !f.arr.tls {
		e.terminalAll(f, Deferred, StatusStartTLS, "inbound connector \""+c.Name+"\" has RequireTls $true and the sender did not use TLS")
		return false
	}
	return true
}

// acceptRecipients decides, at RCPT TO, each recipient: Partner
// restrictions, greylisting, direct send, relay permission and DBEB
// (the stages before filtering in "Exchange Online Protection overview").
// f.rcpts keeps those accepted.
func (e *engine) acceptRecipients(f *flight, h *Hop, in *entry) {
	peerNode := e.node(f.arr.from.id)
	pass := make([]int, 0, len(f.rcpts))
	for _, r := range f.rcpts {
		o := outcome{rcpt: r, atRCPT: rcptRefused}
		if !in.onPrem.Found() && e.refusedByPartner(f, h, &o, peerNode.MessagesPerHour) {
			e.outs = append(e.outs, o)
			in.refused = true
			continue
		}
		if e.relayDecision(f, h, in, &o); o.disp != 0 {
			e.outs = append(e.outs, o)
			continue
		}
		pass = append(pass, r)
	}
	f.rcpts, in.pass = pass, len(pass)
}

// refusedByPartner applies the Partner connectors to a recipient of a
// connection no OnPremises connector took, and greylisting to a
// high-volume source no connector identifies; it reports whether the
// recipient is refused (o says how).
func (e *engine) refusedByPartner(f *flight, h *Hop, o *outcome, volume int) bool {
	x := f.node.Tenant()
	a := x.Attribution().Partner(e.connectionOf(&f.arr), domainOf(e.addr[o.rcpt]))
	if h.InboundConnector == "" && a.Found() {
		h.InboundConnector = a.Name
		e.inboundTLS(h, a, &f.arr, true)
	}
	disp, status, why := e.partnerOutcome(a, &f.arr)
	if disp == 0 && !a.Found() && volume > GreylistThreshold {
		// Connectors avoid the greylisting of large regular volumes
		// (Microsoft: "Fix email delivery issues for error code 451
		// 4.7.500-699 (ASxxx) in Exchange Online").
		disp, status = Deferred, StatusGreylisted
		why = f.arr.from.id.String() + " sends " + strconv.Itoa(volume) + " messages an hour and no inbound connector identifies it: EOP greylists the source (451 4.7.500-699 (ASxxx)); a connector for it avoids this"
	}
	if disp == 0 {
		return false
	}
	o.disp, o.status, o.reason, o.atReceipt = disp, status, why, disp == Deferred
	return true
}

// relayDecision decides, at RCPT TO, a recipient the connectors did not
// refuse: direct send refused, DBEB for Authoritative domains, or relay
// through Exchange Online for other domains (Microsoft: "Use
// Directory-Based Edge Blocking to reject messages sent to invalid
// recipients"; "Updated requirements for SMTP relay through Exchange
// Online"; docs/behaviour.md#d13-direct-send-to-recipients-outside-the-tenant);
// o stays without a disposition when the recipient is accepted.
func (e *engine) relayDecision(f *flight, h *Hop, in *entry, o *outcome) {
	x := in.x
	a := e.addr[o.rcpt]
	d := domainOf(a)
	ad, accepted := x.AcceptedDomain(d)
	matched, c := in.onPrem.Found(), in.onPrem
	switch {
	case accepted && !matched && h.InboundConnector == "" && in.senderAccepted && x.RejectDirectSend():
		// Any connector, even one matched by sender domain only, makes the
		// connection not direct send
		// (docs/behaviour.md#d27-rejectdirectsend-and-a-connector-matched-by-sender-domain).
		o.disp, o.status = Rejected, StatusRejectDirectSend
		o.reason = "RejectDirectSend $true: the connection matched no inbound connector and the MAIL FROM domain " + e.fromDomain + " is accepted"
	case accepted && ad.DomainType == topology.Authoritative:
		in.dbeb = true
		if _, found := tenantRecipient(x, a); !found {
			o.disp, o.status, o.atRCPT = Rejected, StatusDBEB, rcptDBEB
			o.reason = a + " is no recipient of tenant " + x.Name() + " and " + d +
				" is Authoritative: Directory-Based Edge Blocking rejects it at RCPT TO"
			in.rejected = append(in.rejected, a)
		}
	case accepted, matched && (c.ByCertificate && in.certAccepted || in.senderAccepted):
		// Accepted, or relay through Exchange Online: the connection matches
		// an OnPremises connector, and the domain of the certificate it
		// matched by, or else the MAIL FROM domain, is accepted
		// (docs/behaviour.md#d19-which-sender-domain-counts-for-relay).
	case matched:
		how := "IP"
		if c.ByCertificate {
			how = "certificate"
		}
		o.disp, o.status = Rejected, StatusRelayDeniedATTR36
		o.reason = d + " is not an accepted domain; inbound connector \"" + c.Name + "\" matched by " +
			how + ", but neither the certificate's domain nor the MAIL FROM domain is accepted: relay refused"
	case in.senderAccepted:
		o.disp, o.status = Rejected, StatusTenantRelayDenied
		o.reason = d + " is not an accepted domain and the connection matched no OnPremises inbound connector by certificate or IP: relay refused"
	default:
		o.disp, o.status = Rejected, StatusRelayDenied
		o.reason = d + " is not an accepted domain of tenant " + x.Name() + " and nothing attributes the connection to it: relay refused"
	}
}

// certificateAccepted reports whether the connection presented, over
// TLS, a trusted certificate whose domain is an accepted domain of x: one
// of its names, subject or subject alternative name ("*.contoso.com" by
// contoso.com), is an accepted domain or a subdomain of one (Microsoft:
// "Updated requirements for SMTP relay through Exchange Online";
// "Configure a certificate-based connector to relay email messages
// through Microsoft 365": the certificate "contains a domain name that you
// have registered"; docs/behaviour.md#d19-which-sender-domain-counts-for-relay).
func certificateAccepted(x *topology.Tenant, arr *arrival) bool {
	if !arr.tls {
		return false
	}
	names, trusted := arr.presentedCertificate()
	return trusted && x.HasCertificateDomain(names)
}

// filterEntry runs the tenant's mail flow rules (stage 5), then anti-spam
// and journaling, on the accepted recipients; f.rcpts gains the ones the
// rules and journaling add.
func (e *engine) filterEntry(f *flight, h *Hop, in *entry) {
	x := in.x
	ri := ruleInput{dir: x, sender: e.from, headerSender: e.headerFromAddress(), authenticated: h.AuthAs == Internal, ip: f.arr.from.ip}
	f.rcpts, in.rules = e.runRules(f, x, ri, TransportRules, in.v, &tenantRules)
	if in.pass > 0 {
		e.authenticate(x, f, h, in.v)
		in.spam = e.antiSpamInbound(x, f, h, in.v, in.onPrem.Name, in.onPrem.Found(), in.allowed)
		f.rcpts, in.journal = e.runJournal(f, slices.Collect(x.JournalRules()), x, in.v, f.rcpts)
	}
}

// routeEntry routes each recipient the filters kept: on-premises first
// under centralized mail transport, to Exchange Online for the tenant's
// domains, else out of the tenant (relay).
func (e *engine) routeEntry(f *flight, in *entry) {
	x := in.x
	cmt, hasCMT := centralizedTransport(x)
	for _, r := range f.rcpts {
		o := outcome{rcpt: r, atRCPT: rcptAccepted}
		if e.ruled(&o) || e.dmarcHeld(&o) || e.spamHeld(&o, x) {
			e.outs = append(e.outs, o)
			continue
		}
		e.fromRules(&o)
		d := domainOf(e.addr[r])
		ad, accepted := x.AcceptedDomain(d)
		switch {
		case accepted && hasCMT && !f.viaOnPrem:
			e.viaOutbound(&o, f.node, cmt, d, o.reason+"RouteAllMessagesViaOnPremises $true on outbound connector \""+cmt.Name+"\": Internet mail for the tenant goes on-premises first (centralized mail transport); ")
			in.elsewhere = true
		case accepted:
			o.next = e.node(x.ExchangeOnline())
			o.arr = arrival{kind: arrSMTP, from: e.peerOf(f.node), tls: true, cert: eopCertificate, clientCert: f.node.Certificate}
			o.reason += d + " is an accepted domain (" + string(ad.DomainType) + ") of tenant " + x.Name() + ": EOP routes the message to Exchange Online"
			if hasCMT {
				o.reason += "; centralized mail transport does not send back on-premises what came from there through inbound connector \"" + in.onPrem.Name + "\""
			}
			in.toEXO = true
		default:
			if in.onPrem.Found() {
				how := "the certificate matches TlsSenderCertificateName"
				if !in.onPrem.ByCertificate {
					how = "the sending IP matches SenderIPAddresses and the MAIL FROM domain " + e.fromDomain + " is accepted"
				}
				o.reason += "relay allowed by OnPremises inbound connector \"" + in.onPrem.Name + "\" (" + how + "); "
			}
			e.outboundRoute(&o, f.node, x, d, !f.viaOnPrem, o.reason)
			in.elsewhere = true
		}
		e.outs = append(e.outs, o)
	}
}

// stages returns the hop's filtering stages in Exchange's order: the
// connection filter, DBEB, then, when a recipient was accepted, malware
// scanning, mail flow rules, anti-spam and journaling.
func (in *entry) stages(e *engine, f *flight) []Filter {
	filters := in.filters
	switch {
	case len(in.rejected) > 0:
		filters = append(filters, Filter{Stage: DBEB, Result: Applied, Verdict: VerdictReject, Reason: "unknown recipients in Authoritative domains: " + strings.Join(in.rejected, ", ")})
	case in.dbeb:
		filters = append(filters, Filter{Stage: DBEB, Result: Applied, Verdict: VerdictPass, Reason: "every recipient in an Authoritative domain is in the tenant's directory"})
	case in.refused && in.pass == 0:
		filters = append(filters, Filter{Stage: DBEB, Result: Skipped, Reason: "not reached: the connection's attribution refused every recipient first"})
	default:
		filters = append(filters, Filter{Stage: DBEB, Result: Skipped, Reason: "no recipient in an Authoritative domain of the tenant (DBEB is off for InternalRelay domains)"})
	}
	if in.pass > 0 {
		filters = e.malware(filters, f, in.v, in.toEXO && !in.elsewhere)
		filters = append(filters, in.rules, in.spam, in.journal)
	}
	return filters
}

// begin starts a recipient's outcome at a hop that resolves recipients: a
// terminal outcome the rules gave it is recorded and begin returns true;
// otherwise the outcome starts with what the rules did to it.
func (e *engine) begin(o *outcome) bool {
	if e.ruled(o) {
		e.outs = append(e.outs, *o)
		return true
	}
	e.fromRules(o)
	return false
}

// refusesUnauthenticated rejects a recipient that accepts authenticated
// senders only when the message is not internal (Microsoft: "Recipient
// resolution in Exchange Server").
func refusesUnauthenticated(o *outcome, rec topology.Recipient, auth AuthAs) bool {
	if !rec.RequireSenderAuthenticationEnabled || auth == Internal {
		return false
	}
	o.disp, o.status = Rejected, StatusSenderNotAuthenticated
	o.reason += rec.PrimarySmtpAddress + " has RequireSenderAuthenticationEnabled $true and the message is not from an authenticated sender (AuthAs " + auth.String() + ")"
	return true
}

// fromRules starts a recipient's outcome with what the rules did to it:
// a redirect (REDIRECT) or its addition by a rule.
func (e *engine) fromRules(o *outcome) {
	if o.rcpt >= len(e.rstates) {
		return
	}
	st := &e.rstates[o.rcpt]
	switch {
	case st.redirected:
		o.redirect = true
		o.reason = st.reason + "; "
		st.redirected = false
	case st.added != "":
		o.reason = st.added + "; "
		st.added = ""
	}
}

// malware adds the service's malware scan, which runs once per message in a
// tenant: in Exchange Online when the copy goes on there, at EOP when EOP sends
// it elsewhere (the scan points of "Transport routing in Exchange hybrid
// deployments").
func (e *engine) malware(filters []Filter, f *flight, v *visit, deferToEXO bool) []Filter {
	switch {
	case v.scanned != 0:
		return append(filters, Filter{Stage: AntiMalware, Result: Skipped, Reason: "malware scanning already ran in this tenant at " + hopRef(v.scanned)})
	case deferToEXO:
		return append(filters, Filter{Stage: AntiMalware, Result: Skipped, Reason: "malware scanning runs in Exchange Online, the next hop"})
	}
	v.scanned = f.depth + 1
	return append(filters, Filter{Stage: AntiMalware, Result: Applied, Verdict: VerdictPass, Reason: "malware scanning applied"})
}

// connectionFilter applies the tenant's connection filter policy to the
// address EOP sees, the last hop's (Microsoft: "Configure connection
// filtering"): the IP Block List
// rejects; the IP Allow List skips spam filtering, unless the address also
// identifies an OnPremises connector (ipConnector).
func (e *engine) connectionFilter(x *topology.Tenant, f *flight, ipConnector bool) (Filter, bool) {
	ip := f.arr.from.ip
	source := "the sending host (" + f.arr.from.id.String() + ")"
	if ip.IsValid() {
		source = ip.String() + " (" + f.arr.from.id.String() + ")"
	}
	if entry, ok := x.IPBlockListed(ip); ok {
		return Filter{Stage: ConnectionFilter, Result: Applied, Verdict: VerdictReject, SourceIP: ip,
			Reason: source + " is on the IP Block List (" + entry + ") of the connection filter policy: rejected, nothing further runs"}, false
	}
	if entry, ok := x.IPAllowListed(ip); ok {
		if ipConnector {
			return Filter{Stage: ConnectionFilter, Result: Applied, Verdict: VerdictPass, SourceIP: ip,
				Reason: source + " is on the IP Allow List (" + entry + ") but also identifies an OnPremises inbound connector, so it is still filtered (IPV:CAL)"}, false
		}
		return Filter{Stage: ConnectionFilter, Result: Applied, Verdict: VerdictAllow, SourceIP: ip,
			Reason: source + " is on the IP Allow List (" + entry + ") of the connection filter policy: spam filtering is skipped (IPV:CAL), malware scanning is not"}, true
	}
	return Filter{Stage: ConnectionFilter, Result: Applied, Verdict: VerdictPass, SourceIP: ip,
		Reason: source + " is on neither the IP Allow List nor the IP Block List of the connection filter policy"}, false
}

// antiSpamInbound filters mail entering the tenant for spam, after the mail
// flow rules (Microsoft: "Exchange Online Protection overview"): it decides the
// message's spam confidence level and what the tenant's anti-spam policy does
// with it.
func (e *engine) antiSpamInbound(x *topology.Tenant, f *flight, h *Hop, v *visit, conn string, fromOnPrem, allowed bool) Filter {
	switch {
	case e.sclSet && e.scl == -1:
		return Filter{Stage: AntiSpam, Result: Skipped, SCL: e.newInt(-1), Reason: "SCL -1 set by mail flow rule \"" + e.sclRule + "\": spam filtering is skipped"}
	case allowed: // over a rule's SCL: docs/behaviour.md#d28-the-ip-allow-list-and-a-mail-flow-rule-that-sets-the-scl
		return Filter{Stage: AntiSpam, Result: Skipped, Reason: "the sending IP is on the IP Allow List (IPV:CAL): spam filtering is skipped"}
	case v.spam != 0:
		return Filter{Stage: AntiSpam, Result: Skipped, Reason: "already spam-filtered when the message entered the tenant at " + hopRef(v.spam)}
	case h.AuthAs == Internal:
		return Filter{Stage: AntiSpam, Result: Skipped, Reason: "AuthAs Internal: mail from the organization's own servers is not spam-filtered"}
	}
	judged, ef, ok := e.judged(x, f, h)
	if !ok {
		return Filter{Stage: AntiSpam, Result: NotEffective, SourceIP: judged, Reason: "the message reached EOP from " + f.arr.from.id.String() +
			", not from the Internet sender: EOP sees that host, not the sender, and cannot filter spam effectively; " + ef}
	}
	v.spam = f.depth + 1
	why := "Internet mail (AuthAs Anonymous)"
	switch {
	case ef != "":
		why += "; " + ef
	case fromOnPrem:
		why = "AuthAs Anonymous: the on-premises server sent the message through inbound connector \"" + conn + "\" without cross-premises headers (CloudServicesMailEnabled) or TreatMessagesAsInternal"

	}
	scl, source := 1, "the message carries no spam signal (SCL 1)"
	switch {
	case e.sclSet:
		scl, source = e.scl, "SCL "+strconv.Itoa(e.scl)+" set by mail flow rule \""+e.sclRule+"\" (SetSCL feeds filtering)"
	case e.res.Message.SCL != nil:
		scl, source = *e.res.Message.SCL, "the content filter gives SCL "+strconv.Itoa(*e.res.Message.SCL)+" (Message.SCL)"
	}
	action := spamActionOf(x.ContentFilter().Action(scl))
	if action == 0 {
		return Filter{Stage: AntiSpam, Result: Applied, Verdict: VerdictPass, SCL: e.newInt(scl), SourceIP: judged, Reason: why + ": spam filtering applied; " + source + ": not spam (SFV:NSPM)"}
	}
	e.spamSCL, e.spamAction = scl, action
	kind, param := "spam", "SpamAction"
	if scl >= 7 {
		kind, param = "high confidence spam", "HighConfidenceSpamAction"
	}
	return Filter{Stage: AntiSpam, Result: Applied, Verdict: VerdictSpam, SCL: e.newInt(scl), Action: action, SourceIP: judged, Reason: why + ": spam filtering applied; " + source + ": " + kind +
		" (SFV:SPM); the anti-spam policy's " + param + " is " + action.String()}
}

// judged returns the address EOP judges a message entering the tenant by,
// and how Enhanced Filtering recovered it, if it did. When an earlier hop
// hides the Internet sender, EOP judges the last hop unless Enhanced
// Filtering recovers the sender (Microsoft: "Transport routing in Exchange
// hybrid deployments"; "Enhanced Filtering for Connectors in Exchange
// Online"): then it returns the last hop's address, why Enhanced Filtering
// did not apply, and false.
func (e *engine) judged(x *topology.Tenant, f *flight, h *Hop) (netip.Addr, string, bool) {
	if !e.fromInternet || f.arr.from.id == e.firstSender || e.sentAnew(f) {
		return f.arr.from.ip, "", true
	}
	ef, ip, ok := e.enhancedFiltering(x, f, h.InboundConnector)
	if !ok {
		ip = f.arr.from.ip
	}
	return ip, ef, ok
}

// authenticate evaluates SPF, DKIM (docs/behaviour.md#l93-dkim), DMARC and composite authentication where
// the message first enters the tenant from outside, on the address spam
// filtering judges (Microsoft: "Email authentication in EOP";
// docs/behaviour.md#l91-where-spf-is-evaluated). Mail attributed to the
// organization (AuthAs Internal, or Originating through an OnPremises
// connector) is not checked, and a topology that declares no DNS records
// evaluates nothing.
func (e *engine) authenticate(x *topology.Tenant, f *flight, h *Hop, v *visit) {
	z := e.t.DNS()
	if !z.Declared() || h.AuthAs == Internal || h.Directionality == Originating || v.entries != 1 {
		return
	}
	ip, ef, direct := e.judged(x, f, h)
	if n := e.node(f.arr.from.id); valid(n) && !ip.IsValid() && n.Kind == topology.KindEOP {
		// docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from
		ip = topology.EOPSendingIP
	}
	s := auth.CheckSPF(z.Resolver(), ip, e.senderOf(f), e.helo(f))
	if ef != "" {
		s.Reason += "; " + ef
	}
	from := e.headerFromDomain()
	k := auth.CheckDKIM(z.Resolver(), e.dkimDomain, e.dkimSelector, e.dkimBroken)
	d := auth.CheckDMARC(z.Resolver(), from, s, k)
	e.dmarcDo, e.dmarcFrom = dmarcAction(x.AntiPhish(), &d, direct), from
	_, accepted := x.AcceptedDomain(from)
	c := auth.Composite(s, d, accepted)
	h.Authentication = &auth.Results{SPF: &s, DKIM: &k, DMARC: &d, CompAuth: &c}
	if e.arcSealer == "" {
		return
	}
	// A trusted ARC sealer's DMARC pass overrides a failure
	// (docs/behaviour.md#l95-trusted-arc-sealers).
	a := &auth.ARC{Result: auth.ARCPass, Sealer: e.arcSealer, SealedDMARC: e.arcDMARC, Trusted: x.ArcTrusted(e.arcSealer)}
	if auth.Override(a, d, &c) {
		d.Action, e.dmarcDo = "none", dmarcNothing
	}
	h.Authentication.ARC = a
}

// helo returns the HELO name of the host the flight arrived from: its
// first host name in ascending order, "" without one.
func (e *engine) helo(f *flight) string {
	if n := e.node(f.arr.from.id); valid(n) {
		for host := range n.Hosts() {
			return host
		}
	}
	return ""
}

// arcSeal records what an Appliance that ARC-seals saw on arrival: SPF of
// the host it received the message from, the DKIM signature as it came,
// and DMARC over them (RFC 8617, section 5.1.1;
// docs/behaviour.md#l95-trusted-arc-sealers).
func (e *engine) arcSeal(f *flight) {
	z := e.t.DNS()
	if !z.Declared() {
		return
	}
	s := auth.CheckSPF(z.Resolver(), f.arr.from.ip, e.from, e.helo(f))
	k := auth.CheckDKIM(z.Resolver(), e.dkimDomain, e.dkimSelector, e.dkimBroken)
	d := auth.CheckDMARC(z.Resolver(), e.headerFromDomain(), s, k)
	e.arcSealer, e.arcDMARC = f.node.ArcSealingDomain, d.Result
}

// senderOf returns the envelope sender the flight's copy arrived with: the
// Sender Rewriting Scheme's address when Exchange Online forwarded it, else
// the message's.
func (e *engine) senderOf(f *flight) string {
	for _, r := range f.rcpts {
		if r < len(e.rstates) && e.rstates[r].srs != "" {
			return e.rstates[r].srs
		}
	}
	return e.from
}

// sentAnew reports whether the flight's copy is one a modelled
// organization sent anew: mailbox forwarding sent its recipients outside
// the organization, so the host that sent it is its sender, not a host
// hiding the original one
// (docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from).
func (e *engine) sentAnew(f *flight) bool {
	return slices.ContainsFunc(f.rcpts, func(r int) bool { return r < len(e.rstates) && e.rstates[r].forwardedOut })
}

// headerFromDomain returns the domain of the message's From header, or,
// without one, of its MAIL FROM
// (docs/behaviour.md#l92-dmarc-and-composite-authentication).
func (e *engine) headerFromDomain() string {
	if v, ok := e.headerFrom(); ok {
		return strings.ToLower(strings.TrimRight(v[strings.LastIndexByte(v, '@')+1:], "> "))
	}
	return e.fromDomain
}

// headerFrom returns the address of the message's From header, and false
// when it has none.
func (e *engine) headerFrom() (string, bool) {
	for _, h := range e.headers {
		if !strings.EqualFold(h.Name, "From") {
			continue
		}
		v := h.Value
		if a, err := mail.ParseAddress(v); err == nil {
			v = a.Address
		}
		return v, true
	}
	return "", false
}

// headerFromAddress returns the address of the message's From header, or,
// without one, its MAIL FROM: the sender a mail flow rule examines by
// default (docs/behaviour.md#l17-the-sender-a-mail-flow-rule-examines).
func (e *engine) headerFromAddress() string {
	if v, ok := e.headerFrom(); ok {
		return v
	}
	return e.from
}

// dmarcDo is what Exchange Online does with a message that fails DMARC.
type dmarcDo uint8

const (
	dmarcNothing    dmarcDo = iota
	dmarcReject             // 550 5.7.509
	dmarcQuarantine         // quarantined
	dmarcJunk               // delivered to the Junk Email folder
)

// dmarcAction decides what the anti-phishing policy does with a message
// that fails DMARC and writes it as the header's action= (Microsoft: "Set
// up DMARC to validate the From address domain for cloud senders": "How
// Microsoft 365 handles inbound email that fails DMARC";
// docs/behaviour.md#l92-dmarc-and-composite-authentication). direct: EOP
// sees the sender itself, or Enhanced Filtering recovered it; otherwise
// the policy is not honoured.
func dmarcAction(p topology.AntiPhishPolicy, d *auth.DMARC, direct bool) dmarcDo {
	if d.Result != auth.DMARCFail || d.Policy == auth.PolicyNone || d.Policy == "" {
		d.Action = "none"
		return dmarcNothing
	}
	pol := string(d.Policy)
	switch {
	case d.Percent == 0:
		d.Action, d.Reason = "pct."+pol, d.Reason+"; pct=0: the policy applies to no message"
		return dmarcNothing
	case !direct:
		d.Action, d.Reason = "o"+pol, d.Reason+"; the message reached EOP through another host that Enhanced Filtering for Connectors does not skip: the DMARC policy is not honoured"
		return dmarcNothing
	case !p.HonorDmarcPolicy.Bool(true):
		d.Action, d.Reason = "o"+pol, d.Reason+"; HonorDmarcPolicy $false: the DMARC policy is not honoured"
		return dmarcNothing
	case d.Policy == auth.PolicyReject && p.DmarcRejectAction == "Reject":
		d.Action, d.Reason = "reject", d.Reason+"; p=reject and DmarcRejectAction Reject: the message is rejected"
		return dmarcReject
	case d.Policy == auth.PolicyQuarantine && p.DmarcQuarantineAction == "MoveToJmf":
		d.Action, d.Reason = "quarantine", d.Reason+"; p=quarantine and DmarcQuarantineAction MoveToJmf: the message goes to the Junk Email folder"
		return dmarcJunk
	}
	d.Action, d.Reason = "quarantine", d.Reason+"; p="+pol+": the anti-phishing policy quarantines the message"
	return dmarcQuarantine
}

// dmarcHeld ends a recipient's path at EOP when the message failed DMARC
// and the anti-phishing policy rejects or quarantines it.
func (e *engine) dmarcHeld(o *outcome) bool {
	switch e.dmarcDo {
	case dmarcReject:
		o.disp, o.status = Rejected, "550 5.7.509 Access denied, sending domain "+e.dmarcFrom+" does not pass DMARC verification and has a DMARC policy of reject"
		o.reason = "the message fails DMARC for " + e.dmarcFrom + " and its policy is reject: the anti-phishing policy rejects it"
	case dmarcQuarantine:
		o.disp = Quarantined
		o.reason = "the message fails DMARC for " + e.dmarcFrom + ": the anti-phishing policy quarantines it"
	default:
		return false
	}
	return true
}

// enhancedFiltering applies Enhanced Filtering for Connectors of the
// inbound connector the connection matched (Microsoft: "Enhanced Filtering
// for Connectors in Exchange Online"): it returns
// how it recovered the sender's address, or why it does not apply.
func (e *engine) enhancedFiltering(x *topology.Tenant, f *flight, conn string) (string, netip.Addr, bool) {
	c, ok := inboundConnector(x, conn)
	switch {
	case !ok || !c.EnhancedFiltering():
		return "Enhanced Filtering for Connectors is not configured", netip.Addr{}, false
	case hasCMT(x):
		return "Enhanced Filtering for Connectors is not supported with centralized mail transport", netip.Addr{}, false
	}
	if len(c.EFUsers) > 0 {
		for _, r := range f.rcpts {
			if !e.efListed(x, c.EFUsers, r) {
				return "Enhanced Filtering on \"" + c.Name + "\" does not apply: " + e.addr[r] + " is not in EFUsers, and it applies only when every recipient is", netip.Addr{}, false
			}
		}
	}
	// The hosts that handled the message, from the last one back.
	hops := e.res.Recipients[f.rcpts[0]].Hops
	for i := len(hops) - 1; i >= 0; i-- {
		n := e.node(hops[i].Node)
		ip := n.IPAddress
		if n.ID == e.sourceNode {
			ip = e.sourceIP
		}
		switch {
		case i == len(hops)-1 && c.EFSkipLastIP:
			continue
		case ip.IsValid() && ip.IsPrivate():
			continue // RFC 1918 hops are skipped automatically
		case ip.IsValid() && inRanges(c.EFSkipIPs, ip):
			continue
		}
		what := n.ID.String()
		if ip.IsValid() {
			what = ip.String() + " (" + what + ")"
		}
		return "Enhanced Filtering on \"" + c.Name + "\" evaluates " + what + " instead of the last hop " + ipText(f.arr.from) +
			" (X-MS-Exchange-SkipListedInternetSender)", ip, true
	}
	return "Enhanced Filtering on \"" + c.Name + "\" skipped every hop", netip.Addr{}, false
}

func hasCMT(x *topology.Tenant) bool {
	_, ok := centralizedTransport(x)
	return ok
}

func inRanges(list []string, ip netip.Addr) bool {
	for _, s := range list {
		if r, err := connector.ParseIPRange(s); err == nil && r.Contains(ip) {
			return true
		}
	}
	return false
}

// efListed reports whether recipient r is in EFUsers by any of its
// addresses: as sent, as now routed, or any proxy address of its object.
func (e *engine) efListed(x *topology.Tenant, users []string, r int) bool {
	addrs := []string{e.addr[r], e.res.Recipients[r].Address}
	if rec, ok := tenantRecipient(x, e.addr[r]); ok {
		addrs = append(addrs, rec.PrimarySmtpAddress)
		for _, p := range rec.EmailAddresses {
			addrs = append(addrs, p[strings.IndexByte(p, ':')+1:])
		}
	}
	for _, u := range users {
		for _, a := range addrs {
			if strings.EqualFold(u, a) {
				return true
			}
		}
	}
	return false
}

// spamHeld ends a recipient's path at EOP when the anti-spam policy
// quarantines or deletes the message.
func (e *engine) spamHeld(o *outcome, x *topology.Tenant) bool {
	switch e.spamAction {
	case Quarantine:
		o.disp = Quarantined
		o.reason = "spam (SCL " + strconv.Itoa(e.spamSCL) + "): the anti-spam policy puts it in quarantine"
	case Delete:
		o.disp = Dropped
		o.reason = "spam (SCL " + strconv.Itoa(e.spamSCL) + "): the anti-spam policy deletes it"
	default:
		return false
	}
	return true
}

// junk is the note on a delivery to the Junk Email folder, "" when the
// message goes to the inbox.
func (e *engine) junk() string {
	if e.spamAction != MoveToJmf {
		return ""
	}
	return "; delivered to the Junk Email folder (SCL " + strconv.Itoa(e.spamSCL) + ")"
}

// submissionSpam is why anti-spam does not run where a mailbox or an
// authenticated client submits a message.
const submissionSpam = "submitted by an authenticated sender of the organization: not spam-filtered on its way to the organization's mailboxes; mail that leaves the organization meets EOP's outbound spam filter"

// spamActionOf returns the SpamAction of a HostedContentFilterPolicy
// action name, 0 for "" (Build refuses other names).
func spamActionOf(name string) SpamAction {
	for i, n := range spamActionNames {
		if i > 0 && n == name {
			return SpamAction(i)
		}
	}
	return 0
}

// eopOutbound is EOP sending on what Exchange Online gave it: centralized
// transport, else the outbound connector for the recipient domain, else DNS.
func (e *engine) eopOutbound(f *flight, h *Hop, x *topology.Tenant, v *visit) {
	h.AuthAs, h.Directionality = f.auth, f.dir
	switch {
	case f.auth == Internal && f.dir == Originating:
		h.Filters = append(e.newFilters(1), Filter{Stage: AntiSpam, Result: Applied, Verdict: VerdictPass, Reason: "outbound spam filtering of mail from the tenant's mailboxes"})
		// Exchange Online DKIM-signs the organization's outbound mail
		// (docs/behaviour.md#l94-dkim-signing-in-exchange-online).
		e.dkimDomain, e.dkimSelector = x.DkimSigner(e.headerFromDomain())
		e.dkimBroken = false
	case v.spam != 0:
		h.Filters = append(e.newFilters(1), Filter{Stage: AntiSpam, Result: Skipped, Reason: "already spam-filtered when the message entered the tenant at " + hopRef(v.spam)})
	default:
		h.Filters = append(e.newFilters(1), Filter{Stage: AntiSpam, Result: Skipped, Reason: "mail relayed on by the tenant is not spam-filtered again on its way out"})
	}
	for _, r := range f.rcpts {
		o := outcome{rcpt: r}
		e.outboundRoute(&o, f.node, x, domainOf(e.addr[r]), !f.viaOnPrem, "")
		e.outs = append(e.outs, o)
	}
}

// outboundRoute picks the way out of the tenant for domain
// (docs/behaviour.md#d1-outbound-connector-precedence):
// centralized transport, else the most specific outbound connector, else
// the domain's MX.
func (e *engine) outboundRoute(o *outcome, eop *topology.Node, x *topology.Tenant, d string, allowCMT bool, prefix string) {
	if o.rcpt < len(e.rstates) && e.rstates[o.rcpt].conn != "" {
		// RouteMessageOutboundConnector overrides selection and CMT
		// ("Scenario: Conditional mail routing in Exchange Online");
		// rule-scoped connectors are reached
		// only this way.
		name := e.rstates[o.rcpt].conn
		e.rstates[o.rcpt].conn = ""
		if c, ok := outboundConnector(x, name); ok {
			e.viaOutbound(o, eop, c, d, prefix+"mail flow rule action RouteMessageOutboundConnector \""+c.Name+"\"; ")
			return
		}
	}
	if c := e.force; c != nil && x == e.forceTenant {
		e.force = nil // the test message takes the connector once, then routes normally
		e.viaOutbound(o, eop, *c, d, prefix+"connector validation: the test message is sent through outbound connector \""+c.Name+"\"; ")
		return
	}
	if allowCMT {
		if c, ok := centralizedTransport(x); ok {
			e.viaOutbound(o, eop, c, d, prefix+"RouteAllMessagesViaOnPremises $true on outbound connector \""+c.Name+"\": mail from Exchange Online to recipients outside it goes through on-premises (centralized mail transport); ")
			return
		}
	}
	if c, sel, ok := selectOutbound(x, d); ok {
		e.viaOutbound(o, eop, c, d, prefix+"outbound connector \""+c.Name+"\" matches "+d+" ("+describe(sel)+"); ")
		return
	}
	o.arr = arrival{kind: arrSMTP, from: e.peerOf(eop), cert: eopCertificate, clientCert: eop.Certificate}
	e.mx(o, d, eop, prefix+"no outbound connector matches "+d+": EOP delivers by DNS, ")
	p := tlsPolicy{}
	if rule := e.tlsRule(o.rcpt); rule != "" {
		p = tlsPolicy{require: true, setting: tlsSetting{param: "the mail flow rule action RouteMessageOutboundRequireTls"},
			reqs: e.sendRequirements(TLSRequirement{}, TLSRequirement{Rule: rule, Parameter: "RouteMessageOutboundRequireTls"})}
	}
	e.connect(o, eop, p)
}

// tlsRule returns the mail flow rule that requires TLS for recipient r's
// next hop (RouteMessageOutboundRequireTls), "" for none.
func (e *engine) tlsRule(r int) string {
	if r < len(e.rstates) {
		return e.rstates[r].tlsRule
	}
	return ""
}

func describe(sel connector.Selection) string {
	switch sel.Pattern.Kind() {
	case connector.PatternAccepted:
		return "AllAcceptedDomains"
	default:
		return "RecipientDomains " + sel.Pattern.String()
	}
}

// viaOutbound sends through outbound connector c: to its smart host, or by
// MX when UseMXRecord is $true.
func (e *engine) viaOutbound(o *outcome, eop *topology.Node, c connector.Outbound, d, prefix string) {
	o.conn = c.Name
	o.arr = arrival{kind: arrSMTP, from: e.peerOf(eop), cert: eopCertificate, clientCert: eop.Certificate, crossPremises: c.CloudServicesMailEnabled}
	if c.UsesMX() {
		e.mx(o, d, eop, prefix+"UseMXRecord $true: ")
	} else {
		e.smartHost(o, eop, c.SmartHosts, prefix)
	}
	p := tlsPolicy{setting: tlsSetting{param: "TlsSettings ", value: string(c.TlsSettings), connector: c.Name}}
	var byConn, byRule TLSRequirement
	switch c.TlsSettings {
	case connector.TlsDomainValidation:
		p.domain = cmp.Or(c.TlsDomain, d) // docs/behaviour.md#d9-when-tlsdomain-applies
		fallthrough
	case connector.TlsCertificateValidation:
		p.validate = true
		fallthrough
	case connector.TlsEncryptionOnly:
		p.require = true
		byConn = TLSRequirement{Connector: c.Name, Parameter: "TlsSettings", Value: string(c.TlsSettings), Domain: p.domain}
	}
	if rule := e.tlsRule(o.rcpt); rule != "" {
		p.require = true
		p.setting.also = " and the mail flow rule action RouteMessageOutboundRequireTls"
		byRule = TLSRequirement{Rule: rule, Parameter: "RouteMessageOutboundRequireTls"}
	}
	p.reqs = e.sendRequirements(byConn, byRule)
	e.connect(o, eop, p)
}

// smartHost sends to the first of hosts that accepts connections.
func (e *engine) smartHost(o *outcome, self *topology.Node, hosts []string, prefix string) {
	skipped := ""
	for _, host := range hosts {
		n := resolveHost(e.t, host)
		switch {
		case n == nil:
			o.next = internet(e.t)
			o.reason = prefix + skipped + "smart host " + host + " is outside the modelled organizations"
			return
		case n.Offline:
			skipped += "smart host " + host + " refuses connections; "
			continue
		}
		o.next = n
		o.reason = prefix + skipped + "smart host " + host + " (" + n.ID.String() + ")"
		return
	}
	e.refused(o, self, prefix+strings.TrimSuffix(skipped, "; "))
}

// exchangeOnline is the tenant's mailbox side: recipient lookup, delivery
// to its mailboxes, and everything else back to EOP.
func (e *engine) exchangeOnline(f *flight, h *Hop) {
	x := f.node.Tenant()
	e.received = true
	switch f.arr.kind {
	case arrClientSubmission:
		h.AuthAs, h.Directionality = Internal, Originating
		dev := e.node(f.arr.from.id)
		switch {
		case !f.arr.tls:
			// Without TLS there is no SMTP AUTH ("How to set up a multifunction
			// device or application to send email using Microsoft 365 or Office
			// 365").
			e.terminalAll(f, Rejected, StatusNotAuthenticatedSubmission, dev.ID.String()+" does not use TLS, so it cannot authenticate: smtp.office365.com refuses the unauthenticated MAIL FROM")
			return
		case !sameRecipient(x, dev.AuthenticatedAs, e.from):
			e.terminalAll(f, Rejected, StatusSendAsDenied, dev.ID.String()+" authenticated as "+dev.AuthenticatedAs+" but sends as "+cmp.Or(e.from, "<>")+": client submission sends as the authenticated mailbox only")
			return
		}
	case arrSubmit:
		h.AuthAs, h.Directionality = Internal, Originating
	default:
		h.AuthAs, h.Directionality = f.auth, f.dir
	}
	v := f.visit(x)
	filters := e.malware(e.newFilters(4), f, v, false)
	in := ruleInput{dir: x, sender: e.from, headerSender: e.headerFromAddress(), authenticated: h.AuthAs == Internal, ip: f.arr.from.ip}
	list, rulesFilter := e.runRules(f, x, in, TransportRules, v, &tenantRules)
	list, journalFilter := e.runJournal(f, slices.Collect(x.JournalRules()), x, v, list)
	f.rcpts = list
	filters = append(filters, rulesFilter)
	if f.arr.kind == arrSubmit || f.arr.kind == arrClientSubmission {
		// How to set up a multifunction device or application to send email
		// using Microsoft 365 or Office 365: SMTP client submission
		// "bypasses most spam checks for email sent to people in your
		// organization"; mail leaving it meets EOP's outbound spam filter.
		filters = append(filters, Filter{Stage: AntiSpam, Result: Skipped, Reason: submissionSpam})
	}
	h.Filters = append(filters, journalFilter)
	eop := e.node(x.EOP())
	for i := 0; i < len(list); i++ { // expansion adds recipients as it goes
		r := list[i]
		o := outcome{rcpt: r, arr: arrival{kind: arrSMTP, from: e.peerOf(f.node), tls: true}}
		if e.begin(&o) {
			continue
		}
		a := e.addr[r]
		rec, found := tenantRecipient(x, a)
		switch {
		case found && refusesUnauthenticated(&o, rec, h.AuthAs):
		case found && rec.RecipientTypeDetails.IsMailbox() && rec.Forwarding() != "":
			var again bool
			fw := forwarding{dir: x, where: "in Exchange Online", loop: StatusLoopExchangeOnline, externalAllow: x.ExternalForwardingAllowed(), remote: x.RemoteDomain}
			if list, again = e.forward(&o, f, list, rec, fw); again {
				continue // routed again at this hop under its new address
			}
		case found && rec.RecipientTypeDetails.IsMailbox():
			o.disp = Delivered
			if e.resolve(&o, rec.PrimarySmtpAddress) {
				o.reason += a + " is a proxy address of " + string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + ", which is in Exchange Online"
			} else {
				o.reason += string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + " is in Exchange Online"
			}
			o.reason += e.junk()
		case found && rec.RecipientTypeDetails.IsDistributionGroup():
			list = e.expand(&o, f, list, rec)
		case found && rec.RecipientTypeDetails == topology.GroupMailbox:
			list = e.groupMailbox(&o, f, list, rec, x, h.AuthAs)
		case found:
			target := targetAddress(rec)
			o.next = eop
			o.reason += string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + ": the mailbox is not in Exchange Online; sent to EOP for " + target
			e.resolve(&o, target)
		default:
			d := domainOf(a)
			switch fate, ad := unknownRecipient(x, a); fate {
			case notFound:
				o.disp, o.status = Rejected, StatusRecipientNotFoundEXO
				o.reason += a + " is in no directory object of tenant " + x.Name() + " and " + d + " is Authoritative"
			case relayedOn:
				o.next = eop
				o.reason += d + " is " + string(ad.DomainType) + " and " + a + " is not in the tenant's directory: sent to EOP to relay it"
			default:
				o.next = eop
				o.reason += d + " is not an accepted domain of tenant " + x.Name() + ": sent to EOP for delivery outside the organization"
			}
		}
		e.outs = append(e.outs, o)
	}
	f.rcpts = list
}

// expand expands a distribution group: its members become recipients of
// this hop, each routed on its own ("Recipient resolution in Exchange
// Server"). A member already a
// recipient of the copy is not added twice (DUPLICATEEXPAND), which also
// ends cycles of nested groups.
func (e *engine) expand(o *outcome, f *flight, list []int, g topology.Recipient) []int {
	o.disp = Expanded
	what := groupWord(g.RecipientTypeDetails)
	o.reason += what + " " + g.PrimarySmtpAddress + " expanded into " + strconv.Itoa(len(g.Members)) + " members: " + strings.Join(g.Members, ", ")
	for _, m := range g.Members {
		list = e.addRecipient(f, list, o.rcpt, m, "member of "+what+" "+g.PrimarySmtpAddress+" (EXPAND)")
	}
	return list
}

// forwardingField names the property a mailbox forwards by.
func forwardingField(rec topology.Recipient) string {
	if rec.ForwardingAddress != "" {
		return "ForwardingAddress"
	}
	return "ForwardingSmtpAddress"
}

// forwarding is where a mailbox that forwards lives: its organization's
// directory, the words for it, and whether forwarding outside the
// organization is allowed.
type forwarding struct {
	dir           orgDirectory
	where         string // "in Exchange Online", "on this server"
	loop          string // the status of a forwarding loop there
	externalAllow bool
	// remote finds the organization's remote domain for a domain.
	remote func(domain string) (topology.RemoteDomain, bool)
}

// remoteDomainDeletes returns the remote domain that deletes the
// automatic forwarding of rec's mail to to, an address outside the
// organization: forwarding by ForwardingSmtpAddress (ForwardingAddress
// is not subject to remote domains) to a domain whose remote domain has
// AutoForwardEnabled $false ("Remote domains in Exchange Online";
// docs/behaviour.md#l80-remote-domains-and-automatic-forwarding).
func remoteDomainDeletes(remote func(string) (topology.RemoteDomain, bool), rec topology.Recipient, to string) (topology.RemoteDomain, bool) {
	if rec.ForwardingAddress != "" || remote == nil {
		return topology.RemoteDomain{}, false
	}
	rd, ok := remote(domainOf(to))
	return rd, ok && !rd.AutoForwardEnabled.Bool(true)
}

// remoteDomainWords describes the remote domain that deletes a forwarded
// message.
func remoteDomainWords(rd topology.RemoteDomain) string {
	return "remote domain \"" + rd.Name + "\" (" + rd.DomainName + ") has AutoForwardEnabled $false: the forwarded message is deleted, without a non-delivery report"
}

// forward applies a mailbox's ForwardingSmtpAddress (forwarding logs REDIRECT:
// "Recipient resolution in Exchange Server"). With DeliverToMailboxAndForward
// the mailbox gets the message and the forwarding address is added as a
// recipient; otherwise the recipient is redirected. Forwarding outside an
// Exchange Online organization needs AutoForwardingMode On, else 5.7.520
// ("Control automatic external email forwarding").
func (e *engine) forward(o *outcome, f *flight, list []int, rec topology.Recipient, fw forwarding) ([]int, bool) {
	to := rec.Forwarding()
	external := !recipientInOrganization(fw.dir, to)
	if external && !fw.externalAllow {
		if rec.DeliverToMailboxAndForward {
			o.disp = Delivered
			o.reason += string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + " is " + fw.where + "; its forwarding to " + to + " is blocked: automatic external forwarding is off (AutoForwardingMode)"
			return list, false
		}
		o.disp, o.status = Rejected, StatusForwardingBlocked
		o.reason += string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + " forwards to " + to + ", outside the organization, and the outbound spam filter policy blocks automatic external forwarding (AutoForwardingMode)"
		return list, false
	}
	if rd, deleted := remoteDomainDeletes(fw.remote, rec, to); external && deleted {
		if rec.DeliverToMailboxAndForward {
			o.disp = Delivered
			o.reason += string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + " is " + fw.where + "; its forwarding to " + to + " is blocked: " + remoteDomainWords(rd)
			return list, false
		}
		o.disp = Dropped
		o.reason += string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + " forwards to " + to + " (ForwardingSmtpAddress), outside the organization, and " + remoteDomainWords(rd)
		return list, false
	}
	srs, srsWhy := e.rewriteSender(fw, rec, external)
	if rec.DeliverToMailboxAndForward {
		o.disp = Delivered
		o.reason += string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + " is " + fw.where + " (DeliverToMailboxAndForward: a copy is forwarded to " + to + ")" + srsWhy
		n := len(e.res.Recipients)
		list = e.addRecipient(f, list, o.rcpt, to, "forwarded by "+rec.PrimarySmtpAddress+" ("+forwardingField(rec)+")")
		if len(e.res.Recipients) > n {
			st := e.state(n)
			st.srs, st.forwardedOut = srs, external
		}
		return list, false
	}
	// Redirect: the recipient is routed again at this hop as the
	// forwarding address, with a REDIRECT event. Each redirection is a new
	// submission, a hop: a forwarding chain that comes back ends when this
	// recipient has been redirected MaxHops times.
	st := e.state(o.rcpt)
	if st.redirects++; st.redirects > MaxHops {
		o.disp, o.status = Looped, fw.loop
		o.reason += string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + " forwards to " + to + ", and this recipient has been redirected " +
			strconv.Itoa(MaxHops) + " times: forwarding loop between mailboxes"
		return list, false
	}
	e.addr[o.rcpt] = to
	st.redirected, st.srs, st.forwardedOut = true, srs, external
	st.reason = string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + " forwards to " + to + " (" + forwardingField(rec) + ")" + srsWhy
	return append(list[:len(list):len(list)], o.rcpt), true
}

// rewriteSender returns the envelope sender the Sender Rewriting Scheme
// gives a copy that the mailbox rec forwards, and the words for it: only
// Exchange Online rewrites, only a copy forwarded outside the organization,
// and not the null sender or a sender in one of the tenant's accepted
// domains. The address is bounces+SRS=<hash>=<timestamp>=<original
// domain>=<original local part>@<the forwarding mailbox's domain>
// (Microsoft: "Sender Rewriting Scheme (SRS) in Microsoft 365";
// docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from).
func (e *engine) rewriteSender(fw forwarding, rec topology.Recipient, external bool) (string, string) {
	x, ok := fw.dir.(*topology.Tenant)
	local, domain, null := splitSender(e.from)
	if !ok || !external || null || domain == "" || recipientInOrganization(x, e.from) {
		return "", ""
	}
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(e.from)))
	hash := strings.ToLower(base32.StdEncoding.EncodeToString(h.Sum(nil))[:5])
	srs := "bounces+SRS=" + hash + "=AA=" + domain + "=" + local + "@" + domainOf(rec.PrimarySmtpAddress)
	return srs, "; the Sender Rewriting Scheme rewrites the envelope sender " + e.from + " of the forwarded copy to " + srs
}

// resolve makes target the recipient's envelope address from this hop on
// and reports whether it changed (a RESOLVE event). Addresses compare
// ignoring case.
func (e *engine) resolve(o *outcome, target string) bool {
	if strings.EqualFold(e.addr[o.rcpt], target) {
		return false
	}
	o.resolve = true
	e.addr[o.rcpt] = target
	return true
}

// targetAddress is where mail for a MailUser, MailContact, remote mailbox
// or written-back group goes.
func targetAddress(r topology.Recipient) string {
	t := r.ExternalEmailAddress
	if routedToExchangeOnline(r.RecipientTypeDetails) {
		t = r.RemoteRoutingAddress
	}
	if i := strings.IndexByte(t, ':'); i >= 0 {
		t = t[i+1:]
	}
	if t == "" {
		t = r.PrimarySmtpAddress
	}
	return t
}
