// Package route computes where a message goes in a mail topology, hop by
// hop: [Trace] follows every recipient from the node where the message
// enters to the hop where its copy ends, and returns a [Result] that says
// at every hop what happened, which filtering ran, how the message was
// attributed and which configuration object decided the next hop.
//
// # The model
//
// A hop is one node receiving the message over SMTP (or a mailbox
// submitting it) and deciding, per recipient, what comes next. The nodes
// are those of package topology:
//
//   - The Internet (sending): the sender's server looks up each recipient
//     domain's MX record and connects to the most preferred host.
//   - EOP, the tenant's service edge: it attributes the connection to an
//     OnPremises inbound connector (by TlsSenderCertificateName, else by
//     SenderIPAddresses) or checks it against the Partner connectors for
//     the sender's domain (restrictions to a certificate or IP addresses,
//     RequireTls), applies connection filtering, Directory-Based Edge
//     Blocking, the relay rules of November 2023 and anti-spam, and
//     routes: to Exchange Online for the tenant's accepted domains, or
//     on-premises first under centralized mail transport
//     (RouteAllMessagesViaOnPremises), except for mail that came from
//     on-premises (the loop guard). Mail leaving the tenant goes out
//     through centralized transport, the most specific outbound connector,
//     or the recipient domain's MX, with the connector's TlsSettings
//     checked against the certificate the next host presents.
//   - Exchange Online, the mailbox side: it looks each recipient up,
//     delivers to its mailboxes and sends everything else back to EOP.
//   - An on-premises Exchange server: the Receive connector chosen by the
//     client's address decides what a sender from outside may do (TLS,
//     anonymous submission, relay); a Client Access server proxies to a
//     Mailbox server; a Mailbox server categorizes (resolves recipients,
//     follows RemoteRoutingAddress and ExternalEmailAddress), delivers to
//     mailboxes, and routes the rest by Send connector (address space,
//     size, cost, source server; RequireTLS and TlsAuthLevel), relaying to
//     the connector's source server when needed.
//   - An external host (an Internet domain's MX or a partner): the message
//     is Relayed there and the modelled path ends. An appliance forwards
//     to its smart host, transparently (a firewall) or re-sending as
//     itself (an SMTP-processing device, which makes the mail anonymous).
//     A device sends by SMTP client submission as a mailbox, or to a
//     tenant's MX host (direct send, or relay through a connector).
//
// Every SMTP hop uses TLS when both ends offer it; a host that refuses
// connections is skipped for the next MX record or smart host, and defers
// the message when none is left. [ValidateConnector] sends a test message
// through one outbound connector.
//
// Each choice follows Microsoft's documentation, above all "Transport
// routing in Exchange hybrid deployments", "Configure mail flow using
// connectors in Exchange Online" and "Mail routing in Exchange Server"; the
// code cites the page where a rule is subtle, and docs/behaviour.md where
// the rule is the library's own.
//
// # Copies and splitting
//
// The message keeps one copy as long as its recipients go the same way.
// At the hop where their next hops differ (a different next node or
// connector, or delivery here), the copy splits: the first group in
// message order stays in the copy, and every other group becomes a new
// [Copy], its recipients getting a TRANSFER event at that hop. Recipients
// rejected or deferred at a hop end in the copy they arrived in. Copies are
// numbered in the order they are made; copies are processed breadth-first
// from the origin. The copies form a tree (Parent, Children), and
// [Result.CopyHops] walks one copy's hops, as the renderers do.
//
// # The outcome as data
//
// Everything an administrator checks in a trace is a typed field; a
// Reason is the same decision in words, for people, and nothing reads it
// back. A [Recipient] has its [Disposition], its [Status] (reply code,
// enhanced status code, text) and the [Folder] a delivered message lands
// in. A [Hop] has its [Event]s, its attribution ([AuthAs],
// [Directionality]), the connectors it received and sent on, the [TLS] of
// the connection it received the message on (STARTTLS, the certificates
// each side presented and their [CertificateStatus], the settings that
// required TLS on either side, the [TLSFailure] when one was not met),
// the connection it failed to open when its TLS failed (SendTLS), and its
// filters.
//
// # Filtering
//
// Each hop lists the [Filter] stages that concern it, in Exchange's order
// (connection filtering, DBEB, anti-malware, mail flow rules, anti-spam,
// journaling; on-premises compliance processing): each [Applied],
// [Skipped] or [NotEffective], with its [Verdict], for anti-spam the SCL
// and the policy's [SpamAction], the address judged, the rules that
// matched ([RuleMatch]) and the reason. The service's malware scan and
// mail flow rules run once per message in a tenant: in Exchange Online
// when the copy goes on there, else at EOP. Internet mail that reaches EOP
// through on-premises cannot be spam-filtered effectively, since EOP sees
// only the last hop; such hops report anti-spam as NotEffective.
//
// # Email authentication
//
// In a topology that declares DNS records
// ([github.com/mailflowsim/mailflow/topology.Spec] DNSRecords), the EOP hop
// where mail first enters a tenant from outside checks SPF, DMARC and
// composite authentication on the address anti-spam judges, and reports
// them in [Hop.Authentication], the typed form of the
// Authentication-Results header (package
// [github.com/mailflowsim/mailflow/route/auth]). A DMARC failure under
// p=reject or p=quarantine is rejected (550 5.7.509) or quarantined as the
// tenant's anti-phishing policy says.
//
// A copy a mailbox in Exchange Online forwards outside the organization
// leaves with the envelope sender the Sender Rewriting Scheme gives it,
// bounces+SRS=...@<the mailbox's domain> ([Hop.Sender]), unless the
// original sender is in an accepted domain; a modelled tenant that
// receives it checks SPF on that domain from EOP's address
// ([github.com/mailflowsim/mailflow/topology.EOPSendingIP]). Exchange
// Server's forwarding keeps the original envelope sender
// (docs/behaviour.md#l97-sender-rewriting-and-the-address-eop-sends-from).
//
// # Loops
//
// A tenant refuses a message that enters it more than its HopLimit times
// (554 5.4.14), an on-premises server one with more hops than MaxHopCount
// or more local hops than MaxLocalHopCount (554 5.4.6); [MaxHops] bounds
// every path regardless, so a trace always ends.
//
// # What-if analysis
//
// Package [github.com/mailflowsim/mailflow/route/analysis] builds on
// Trace: it enumerates a topology's flow classes and traces them all,
// compares two topologies flow class by flow class, and reports the
// configuration mistakes and what the flows show.
//
// # Renderings
//
// A Result marshals to JSON. Package
// [github.com/mailflowsim/mailflow/route/render] draws it for people: as
// text, as a Mermaid flowchart or sequence diagram, as Graphviz DOT, or as
// message-trace event rows.
//
// # Determinism
//
// The same topology and message give the same Result, byte for byte,
// whatever the order of the Spec the topology was built from. A Topology
// is immutable, so traces may run concurrently.
package route
