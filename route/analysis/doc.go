// Package analysis answers questions about a whole topology rather than
// one message: which mail flows it has and how each goes, what changes
// between two topologies, which documented configuration mistakes it
// holds, and what its flows show. It builds on package route and package
// topology; neither depends on it.
//
// # Flow classes
//
// [FlowClasses] enumerates the mail flows a topology has, each sender
// location to each recipient class, with a representative message;
// [Reachability] traces them all with [route.Trace], on every CPU, and
// [WriteReachability] prints the outcome matrix. A class whose message
// cannot be traced keeps the error in [Reach].Err.
//
// # What-if analysis
//
// [Diff] compares two topologies flow class by flow class (derive the
// second with [topology.Topology.With]) and names the [Aspect]s in which
// each class that changes differs.
//
// # Findings
//
// [Check] reads the configuration and reports documented mistakes that
// [topology.Build] accepts because each object is valid on its own.
// [Analyze] traces every flow class and reports what the traces show.
// Both return [Finding]s, each with its [Rule], the configuration objects
// involved, a message and the documentation it comes from, sorted by
// [Finding.Compare]. Where Check decides which inbound connector a
// connection from on-premises matches, it asks the tenant's compiled
// connectors ([topology.Tenant.Attribution]), as the router does.
//
// # Rules
//
// Each rule, the function that reports it, and the Microsoft document it
// follows:
//
//   - [RulePartnerMixesIPAndCertificate] ([Check]): Configure mail flow
//     using connectors in Exchange Online.
//   - [RuleShadowedDomainConnector] ([Check]): Configure mail flow using
//     connectors in Exchange Online; Manage mail flow using a third-party
//     cloud service with Exchange Online.
//   - [RuleCentralizedTransportScopedToAcceptedDomains] ([Check]): Fix
//     email delivery issues for error codes 5.4.6 through 5.4.20 in
//     Exchange Online; Transport routing in Exchange hybrid deployments.
//   - [RuleOnPremisesConnectorUsesMX] ([Check]): Fix email delivery issues
//     for error codes 5.4.6 through 5.4.20 in Exchange Online.
//   - [RuleMissingConnector] ([Check]): Set up connectors to route mail
//     between Microsoft 365 and your own email servers; Updated
//     requirements for SMTP relay through Exchange Online.
//   - [RuleOpenRelay] ([Check]): Allow anonymous relay on Exchange
//     servers; Configure mail flow using connectors in Exchange Online.
//   - [RuleUnsynchronizedRecipient] ([Check]): Transport routing in
//     Exchange hybrid deployments; Use Directory-Based Edge Blocking to
//     reject messages sent to invalid recipients; Email non-delivery
//     reports and SMTP errors in Exchange Online; NDRs in Exchange Server
//     (docs/behaviour.md#l62-recipients-declared-on-one-side-only).
//   - [RuleRelayNeedsAcceptedSender] ([Check]): Updated requirements for
//     SMTP relay through Exchange Online; Configure a certificate-based
//     connector to relay email messages through Microsoft 365
//     (docs/behaviour.md#d19-which-sender-domain-counts-for-relay).
//   - [RuleMailLoop] ([Analyze]): Fix email delivery issues for error codes
//     5.4.6 through 5.4.20 in Exchange Online.
//   - [RuleUndeliverable] ([Analyze]): Email non-delivery reports and SMTP
//     errors in Exchange Online.
//   - [RuleUnusedConnector] ([Analyze]): Set up connectors to route mail
//     between Microsoft 365 and your own email servers (outbound); Inbound
//     connector FAQ (inbound); Send connectors (on-premises).
//   - [RuleUnusedRule] ([Analyze]): Mail flow rules in Exchange Online.
//   - [RuleTLSNotMet] ([Analyze]): Configure mail flow using connectors in
//     Exchange Online; Message retry, resubmit, and expiration intervals.
//   - [RuleRelaysInternetMail] ([Analyze]): Allow anonymous relay on
//     Exchange servers.
//   - [RuleInternetMailSkipsAntiSpam] ([Analyze]): Enhanced Filtering for
//     Connectors in Exchange Online; Transport routing in Exchange hybrid
//     deployments.
//   - [RuleSPFMissesSender] ([Analyze]): Set up SPF to help prevent
//     spoofing.
//   - [RuleSPFJudgesGateway] ([Analyze]): Enhanced Filtering for
//     Connectors in Exchange Online.
//   - [RuleForwardingFailsDMARC] ([Analyze]): Sender Rewriting Scheme
//     (SRS) in Microsoft 365; Set up DMARC to validate the From address
//     domain for cloud senders.
//   - [RuleDKIMBrokenByHop] ([Analyze]): RFC 6376, section 3.7; Set up
//     DMARC to validate the From address domain for cloud senders
//     (docs/behaviour.md#l93-dkim).
//
// The authentication rules read the results where mail enters a modelled
// tenant ([route.Hop.Authentication]); where a copy leaves the modelled
// organizations for an external system or the Internet, they evaluate SPF
// and DMARC as a receiver would, on the address of the host that sends it
// (EOP's [topology.EOPSendingIP]) and the envelope sender it leaves with
// (docs/behaviour.md#l98-authentication-findings). A topology that
// declares no DNS records has none of these findings.
//
// A finding's Source gives the titles of the Microsoft pages the rule was
// written from ("Configure mail flow using connectors in Exchange
// Online"); it is part of the output and stable.
//
// # Determinism
//
// Every function returns the same result, byte for byte, whatever the
// order of the [topology.Spec] the topology was built from and however
// many CPUs trace.
//
// # Errors
//
// The functions fail only when given a nil topology: they return
// [route.ErrNilTopology] and no result.
package analysis
