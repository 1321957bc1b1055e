package route

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/topology"
)

// onPremises is an on-premises Exchange server: Front End Transport proxy,
// Transport categorizer with Send connector selection, or mailbox delivery
// (Microsoft: "Mail routing in Exchange Server"; "Recipient resolution in
// Exchange Server"; "Send connectors").
func (e *engine) onPremises(f *flight, h *Hop) {
	o := f.node.OnPremises()
	e.received = true
	v := f.visit(o)
	v.local++
	maxHops, maxLocal := o.MaxHopCount(), o.MaxLocalHopCount()
	relays := false
	switch {
	case f.arr.kind == arrSubmit:
		h.AuthAs, h.Directionality = Internal, Originating
	case f.arr.from.onprem == o:
		h.AuthAs, h.Directionality = f.auth, f.dir
	default:
		// A connection from outside the organization: the Receive connector
		// that takes it decides what the sender may do ("Receive connectors").
		rc, ok := selectReceive(o, f.node.Name, f.arr.from.ip)
		if !ok {
			e.terminalAll(f, Deferred, "", "no Receive connector of "+f.node.Name+" accepts connections from "+ipText(f.arr.from)+" ("+f.arr.from.id.String()+")")
			return
		}
		h.InboundConnector = rc.Name
		maxHops, maxLocal = cmp.Or(rc.MaxHopCount, maxHops), cmp.Or(rc.MaxLocalHopCount, maxLocal)
		fromEOP := f.arr.from.tenant != nil && f.arr.from.tenant == o.Hybrid()
		if rc.RequireTLS {
			var failure TLSFailure
			if !f.arr.tls {
				failure = NoSTARTTLS
			}
			e.require(h, TLSRequirement{Connector: rc.Name, Parameter: "RequireTLS"}, failure)
		}
		// Only a trusted certificate promotes the cross-premises headers
		// ("Transport options in Exchange hybrid deployments";
		// docs/behaviour.md#l13-an-untrusted-certificate-proves-nothing).
		certNames, certTrusted := f.arr.presentedCertificate()
		switch {
		case rc.RequireTLS && !f.arr.tls:
			e.terminalAll(f, Rejected, StatusMustStartTLSOnPremises, "Receive connector \""+rc.Name+"\" has RequireTLS $true and the sender did not use TLS")
			return
		case fromEOP && f.arr.crossPremises && f.arr.tls && certTrusted && (rc.AcceptsCloudServicesMail(certNames...) || o.AcceptsCloudServicesMail(f.node.Name)):
			// Hybrid mail from Exchange Online: AcceptCloudServicesMail
			// promotes the cross-premises headers ("Set-ReceiveConnector";
			// "Transport options in Exchange hybrid deployments").
			h.AuthAs, h.Directionality, h.CrossPremisesHeaders = f.auth, Incoming, true
			if f.auth == Internal {
				h.Directionality = Originating
			}
		case rc.ExternallySecured():
			h.AuthAs, h.Directionality = Internal, Originating // method B: senders are internal
		case !rc.Has("AnonymousUsers"):
			e.terminalAll(f, Rejected, StatusNotAuthenticatedOnPremises, "Receive connector \""+rc.Name+"\" does not grant AnonymousUsers and the sender is anonymous")
			return
		default:
			h.AuthAs, h.Directionality = Anonymous, Incoming
		}
		relays = rc.Relays()
	}
	if hops := f.depth + 1; hops > maxHops {
		e.terminalAll(f, Looped, StatusLoopOnPremises, "the message has made "+strconv.Itoa(hops)+" hops, more than MaxHopCount "+strconv.Itoa(maxHops)+": mail loop")
		return
	}
	if maxLocal > 0 && v.local > maxLocal {
		e.terminalAll(f, Looped, StatusLoopOnPremises, "the message has made "+strconv.Itoa(v.local)+" hops inside organization "+o.Name()+", more than MaxLocalHopCount "+strconv.Itoa(maxLocal)+": mail loop")
		return
	}
	switch {
	case f.node.ServerRole == topology.ClientAccess:
		e.frontEnd(f, h, o)
	case f.node.ServerRole == topology.Edge:
		e.edge(f, h, o, relays)
	case f.arr.kind == arrMailboxDelivery:
		h.Role = topology.RoleOnPremMailbox
		for _, r := range f.rcpts {
			e.outs = append(e.outs, outcome{rcpt: r, disp: Delivered,
				reason: "Mailbox Transport Delivery: the mailbox database of " + e.addr[r] + " is on " + f.node.Name + e.junk()})
		}
	default:
		e.categorize(f, h, o, v, relays)
	}
}

// frontEnd is Front End Transport on a Client Access server: a stateless
// proxy to one Transport service; it never looks up recipients or splits.
func (e *engine) frontEnd(f *flight, h *Hop, o *topology.OnPremises) {
	h.Role = topology.RoleOnPremFrontEnd
	var target topology.NodeID
	for _, r := range f.rcpts {
		if rec, ok := onPremisesRecipient(o, e.addr[r]); ok && rec.RecipientTypeDetails.IsMailbox() {
			target, _ = o.Server(rec.Server)
			break
		}
	}
	if !target.IsValid() {
		for id := range o.MailboxServers() {
			target = id
			break
		}
	}
	n := e.node(target)
	if !valid(n) {
		e.terminalAll(f, Deferred, "", "Front End Transport on "+f.node.Name+" has no Mailbox server to proxy to")
		return
	}
	reason := "Front End Transport proxies the message to the Transport service on " + n.Name + " (Client Access servers never look up recipients or split)"
	for _, r := range f.rcpts {
		e.outs = append(e.outs, outcome{rcpt: r, next: n, reason: reason, arr: arrival{kind: arrSMTP, from: e.peerOf(f.node), tls: true}})
	}
}

// categorize is the Transport service: it resolves each recipient and
// picks its next hop, which is where copies split (Microsoft: "Recipient
// resolution in Exchange Server").
func (e *engine) categorize(f *flight, h *Hop, o *topology.OnPremises, v *visit, relays bool) {
	list := e.onPremStages(f, h, o, v)
	c := categorizer{o: o, auth: h.AuthAs, relays: relays, fromOutside: f.arr.kind == arrSMTP && f.arr.from.onprem != o}
	for i := 0; i < len(list); i++ { // expansion adds recipients as it goes
		r := list[i]
		out := outcome{rcpt: r}
		if e.begin(&out) {
			continue
		}
		var again bool
		if list, again = e.categorizeOne(f, &c, &out, list); again {
			continue // routed again at this hop under its new address
		}
		e.outs = append(e.outs, out)
	}
	f.rcpts = list
}

// categorizer is what the on-premises categorizer knows of the message at
// a hop.
type categorizer struct {
	o           *topology.OnPremises
	auth        AuthAs // how the hop received the message
	relays      bool   // the Receive connector lets anonymous senders relay
	fromOutside bool   // the message came over SMTP from outside the organization
}

// onPremStages runs the on-premises filtering stages (anti-malware,
// transport rules, anti-spam, journal) and returns the recipients the
// rules leave.
func (e *engine) onPremStages(f *flight, h *Hop, o *topology.OnPremises, v *visit) []int {
	filters := e.newFilters(4)
	if v.scanned == 0 {
		v.scanned = f.depth + 1
		filters = append(filters, Filter{Stage: AntiMalware, Result: Applied, Verdict: VerdictPass, Reason: "the Exchange Server anti-malware agent scanned the message"})
	} else {
		filters = append(filters, Filter{Stage: AntiMalware, Result: Skipped, Reason: "already scanned in this organization at " + hopRef(v.scanned)})
	}
	in := ruleInput{dir: o, sender: e.from, headerSender: e.headerFromAddress(), authenticated: h.AuthAs == Internal, ip: f.arr.from.ip}
	list, rulesFilter := e.runRules(f, o, in, Compliance, v, &onPremRules)
	list, journalFilter := e.runJournal(f, slices.Collect(o.JournalRules()), o, v, list)
	f.rcpts = list
	filters = append(filters, rulesFilter)
	if h.AuthAs == Internal {
		filters = append(filters, Filter{Stage: AntiSpam, Result: Skipped, Reason: "AuthAs Internal: not spam-filtered"})
	} else {
		filters = append(filters, Filter{Stage: AntiSpam, Result: Skipped, Reason: "Mailbox servers have no anti-spam agents unless Install-AntiSpamAgents.ps1 ran; EOP or an Edge Transport server filters spam"})
	}
	h.Filters = append(filters, journalFilter)
	return list
}

// categorizeOne resolves one recipient and decides its next hop; it
// reports true when forwarding redirected the recipient, to be routed
// again at this hop (out is then not an outcome).
func (e *engine) categorizeOne(f *flight, c *categorizer, out *outcome, list []int) ([]int, bool) {
	o, r := c.o, out.rcpt
	rec, found := onPremisesRecipient(o, e.addr[r])
	switch {
	case !found:
		e.unknownOnPrem(f, c, out)
	case refusesUnauthenticated(out, rec, c.auth):
	case rec.RecipientTypeDetails.IsMailbox() && rec.Forwarding() != "" && !rec.DeliverToMailboxAndForward:
		// The on-premises categorizer applies forwarding as Exchange
		// Online's does ("Recipient resolution in Exchange Server");
		// Exchange Server has no AutoForwardingMode
		// (docs/behaviour.md#l14-forwarding-on-premises).
		fw := forwarding{dir: o, where: "on " + rec.Server, loop: StatusLoopOnPremises, externalAllow: true, remote: o.RemoteDomain}
		return e.forward(out, f, list, rec, fw)
	case rec.RecipientTypeDetails.IsMailbox():
		list = e.onPremMailbox(f, o, out, rec, list)
	case rec.RecipientTypeDetails.IsDistributionGroup():
		// The on-premises organization expands the groups it holds,
		// dynamic ones included (docs/behaviour.md#l31-dynamic-distribution-groups).
		list = e.expand(out, f, list, rec)
	case rec.RecipientTypeDetails == topology.GroupMailbox && rec.RemoteRoutingAddress == "":
		e.writtenBackGroup(f, c, out, rec)
	default:
		if typ, a, ok := rec.NonSMTPTarget(); ok {
			e.sendRouteNonSMTP(out, f, o, rec, typ, a)
			break
		}
		target := targetAddress(rec)
		prefix := out.reason + string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + ": "
		if e.resolve(out, target) {
			if routedToExchangeOnline(rec.RecipientTypeDetails) {
				prefix += "RemoteRoutingAddress " + target + "; "
			} else {
				prefix += "ExternalEmailAddress " + target + "; "
			}
		}
		e.sendRoute(out, f, o, domainOf(target), prefix)
	}
	return list, false
}

// onPremMailbox delivers to an on-premises mailbox on this server, or
// sends it to the mailbox's server; with DeliverToMailboxAndForward the
// forwarding address gets a copy, added once.
func (e *engine) onPremMailbox(f *flight, o *topology.OnPremises, out *outcome, rec topology.Recipient, list []int) []int {
	r := out.rcpt
	blocked := ""
	if st := e.state(r); rec.Forwarding() != "" && !st.forwardedCopy {
		st.forwardedCopy = true
		to := rec.Forwarding()
		if rd, deleted := remoteDomainDeletes(o.RemoteDomain, rec, to); deleted && !recipientInOrganization(o, to) {
			blocked = "; its forwarding to " + to + " is blocked: " + remoteDomainWords(rd)
		} else {
			list = e.addRecipient(f, list, r, to, "forwarded by "+rec.PrimarySmtpAddress+" (DeliverToMailboxAndForward)")
		}
	}
	e.resolve(out, rec.PrimarySmtpAddress)
	srv, _ := o.Server(rec.Server)
	if srv == f.node.ID {
		out.disp = Delivered
		out.reason += string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + " is on this server" + blocked + e.junk()
		return list
	}
	out.next = e.node(srv)
	out.arr = arrival{kind: arrMailboxDelivery, from: e.peerOf(f.node), tls: true}
	out.reason += string(rec.RecipientTypeDetails) + " " + rec.PrimarySmtpAddress + " is on " + rec.Server + ": sent to its Mailbox Transport Delivery (SmtpDeliveryToMailbox)" + blocked
	return list
}

// unknownOnPrem decides a recipient in no directory object: rejected in
// an Authoritative domain, relayed on for a relay domain, refused to an
// anonymous client the Receive connector does not let relay, else sent on.
func (e *engine) unknownOnPrem(f *flight, c *categorizer, out *outcome) {
	a := e.addr[out.rcpt]
	d := domainOf(a)
	switch fate, ad := unknownRecipient(c.o, a); {
	case fate == notFound:
		out.disp, out.status = Rejected, StatusRecipientNotFound
		out.reason += a + " is in no directory object of organization " + c.o.Name() + " and " + d + " is Authoritative"
	case fate == relayedOn:
		e.sendRoute(out, f, c.o, d, out.reason+d+" is "+string(ad.DomainType)+": a recipient not in the directory is relayed; ")
	case c.fromOutside && c.auth == Anonymous && !c.relays && !e.rewritten(out.rcpt):
		// The Receive connector's relay permission is checked at RCPT TO
		// for the addresses the client gave; an address the categorizer
		// reached by forwarding or a rule is not relayed for the client
		// ("Receive connectors").
		out.disp, out.status = Rejected, StatusUnableToRelay
		out.reason += d + " is not an accepted domain and the sender is anonymous: the receive connector does not let anonymous senders relay"
	default:
		e.sendRoute(out, f, c.o, d, out.reason)
	}
}

// sendRoute routes domain through the organization's Send connectors
// (Microsoft: "Connector selection in external message routing").
func (e *engine) sendRoute(out *outcome, f *flight, o *topology.OnPremises, d, prefix string) {
	c, sel, ok := selectSend(o, d, f.node.Name, e.res.Message.Size)
	if !ok && sel.TooLarge {
		out.disp, out.status = Rejected, StatusMessageTooLarge
		out.reason = prefix + "the message (" + strconv.FormatInt(e.res.Message.Size, 10) + " bytes) is larger than the MaxMessageSize of every Send connector for " + d + ": returned at once"
		return
	}
	if !ok {
		out.disp = Deferred
		out.reason = prefix + "no Send connector's AddressSpaces covers " + d + ": the message waits in the Unreachable queue and is returned after MessageExpirationTimeOut (2 days)"
		return
	}
	e.sendVia(out, f, o, c, sel, d, prefix)
}

// sendVia sends a recipient through the Send connector c that selection
// sel chose for domain d ("" for a non-SMTP address).
func (e *engine) sendVia(out *outcome, f *flight, o *topology.OnPremises, c connector.Send, sel connector.SendSelection, d, prefix string) {
	out.conn = c.Name
	site := ""
	if sel.Reach.Site != "" && o.MultiSite() {
		// Least-cost routing across sites ("Connector selection in
		// external message routing"): the site and cost that decided.
		site = "; " + siteText(sel.Reach.Site, sel.Reach.SiteCost, sel.Cost)
		out.route = &SendRoute{Site: sel.Reach.Site, SiteCost: sel.Reach.SiteCost, Cost: sel.Cost}
	}
	if _, accepted := o.AcceptedDomain(d); d != "" && !accepted && sel.Local && e.from != "" && e.from != "<>" {
		// Outbound mail: the gateway's address rewriting (the sender is the
		// message's, so every copy sent out from here carries the result).
		if to, a, ok := o.RewriteSender(e.from); ok {
			prefix += "address rewriting \"" + a.Name + "\" rewrites the sender " + e.from + " to " + to + "; "
			e.from = to
			_, e.fromDomain, _ = splitSender(to)
		}
	}
	// via is the reason so far, the connector and then next: one
	// concatenation.
	via := func(next string) string {
		return prefix + "Send connector \"" + c.Name + "\" (" + sel.Text + site + ")" + next
	}
	if !sel.Local {
		// Exchange picks one of the source servers in the nearest site; the
		// library takes the first by name.
		id, _ := o.SourceServer(c, sel.Reach.Site)
		src := e.node(id)
		out.next = src
		out.arr = arrival{kind: arrSMTP, from: e.peerOf(f.node), tls: true}
		out.reason = via(" is sourced on " + src.Name + ", not on this server: relayed there (SmtpRelayToConnectorSourceServers)")
		return
	}
	out.arr = arrival{kind: arrSMTP, from: e.peerOf(f.node), cert: cmp.Or(c.CertificateName(), presented(f.node)), clientCert: f.node.Certificate, crossPremises: c.CloudServicesMailEnabled}
	switch {
	case c.UsesDNS():
		e.mx(out, d, f.node, via(", DNS routing: "))
	case f.node.ServerRole == topology.Edge && len(c.SmartHosts) == 1 && c.SmartHosts[0] == "--":
		e.edgeSyncInbound(out, f.node, o, via(": "))
	default:
		e.smartHost(out, f.node, c.SmartHosts, via(": "))
	}
	p := tlsPolicy{require: c.RequireTLS, setting: tlsSetting{param: "RequireTLS $true", connector: c.Name}}
	switch c.TlsAuthLevel {
	case "DomainValidation":
		p.domain = cmp.Or(c.TlsDomain, d) // docs/behaviour.md#d9-when-tlsdomain-applies
		fallthrough
	case "CertificateValidation":
		p.validate = true
		p.setting.also, p.setting.value2 = " with TlsAuthLevel ", string(c.TlsAuthLevel)
	}
	if c.RequireTLS {
		p.reqs = e.sendRequirements(TLSRequirement{Connector: c.Name, Parameter: "RequireTLS", Value: string(c.TlsAuthLevel), Domain: p.domain}, TLSRequirement{})
	}
	e.connect(out, f.node, p)
}
