package analysis

import (
	"cmp"
	"slices"
	"strings"
)

// Finding is one documented configuration mistake, or one thing the
// flows show. [Check] and [Analyze] return findings sorted by
// [Finding.Compare].
//
// Its JSON form is an object with the keys "Rule", "Objects", "Message"
// and "Source".
type Finding struct {
	// Rule is the check that found it.
	Rule Rule
	// Objects are the configuration objects involved, named like
	// topology's [topology.Problem] paths
	// (`Tenants["contoso"].InboundConnectors["From ContosoBank"]`), in
	// ascending order.
	Objects []string
	// Message says what is wrong and what happens (with the status code
	// when there is one), naming the objects.
	Message string
	// Source is the documentation the rule comes from: the titles of the
	// Microsoft pages, separated by "; ", such as "Configure mail flow
	// using connectors in Exchange Online".
	Source string
}

// Compare orders findings by Rule name, then Objects (element by element,
// a prefix first), then Message: it returns -1 if f comes first, +1 if g
// does, and 0 if they tie on all three. It is deterministic and
// transitive, and f.Compare(f) is 0.
func (f Finding) Compare(g Finding) int {
	return cmp.Or(
		strings.Compare(f.Rule.String(), g.Rule.String()),
		slices.Compare(f.Objects, g.Objects),
		strings.Compare(f.Message, g.Message),
	)
}

// sortFindings sorts each finding's Objects, then the findings by
// [Finding.Compare].
func sortFindings(fs []Finding) {
	for i := range fs {
		slices.Sort(fs[i].Objects)
	}
	slices.SortFunc(fs, Finding.Compare)
}

// Rule names a check. Its text and JSON form is its name
// ("MissingConnector"), a stable identifier; the zero Rule is not valid.
// The package documentation lists every rule with the function that
// reports it and the Microsoft document it comes from.
type Rule uint8

// The rules [Check] applies: configuration mistakes it finds without
// tracing mail.
const (
	// RulePartnerMixesIPAndCertificate: a Partner inbound connector
	// restricts by both IP address and certificate; the restrictions
	// belong in separate connectors.
	RulePartnerMixesIPAndCertificate Rule = iota + 1
	// RuleShadowedDomainConnector: a Partner inbound connector that
	// accepts by sender domain only is outranked by a restricting Partner
	// connector for the same domain, so mail from other sources is
	// rejected with 550 5.7.51.
	RuleShadowedDomainConnector
	// RuleCentralizedTransportScopedToAcceptedDomains: the centralized
	// mail transport connector has AllAcceptedDomains $true, a mail loop
	// ending in 554 5.4.14.
	RuleCentralizedTransportScopedToAcceptedDomains
	// RuleOnPremisesConnectorUsesMX: an OnPremises outbound connector
	// delivers by MX to a domain whose MX is the tenant's own EOP, a mail
	// loop ending in 554 5.4.14.
	RuleOnPremisesConnectorUsesMX
	// RuleMissingConnector: a connector that hybrid mail flow needs does
	// not exist: no OnPremises outbound connector for a domain whose
	// recipients are on-premises, or no OnPremises inbound connector for
	// an organization that relays through Exchange Online.
	RuleMissingConnector
	// RuleOpenRelay: an on-premises Receive connector lets anonymous
	// senders on the Internet relay to any domain.
	RuleOpenRelay
)

// The rules [Analyze] applies: what the traces of the flow classes show.
const (
	// RuleMailLoop: a flow ends Looped; the finding names the cycle.
	RuleMailLoop Rule = iota + RuleOpenRelay + 1
	// RuleUndeliverable: mail to an existing mailbox or group is rejected
	// or deferred.
	RuleUndeliverable
	// RuleUnusedConnector: no flow class sends or receives on the
	// connector (inbound, outbound or Send).
	RuleUnusedConnector
	// RuleUnusedRule: no flow class matches the mail flow or transport
	// rule.
	RuleUnusedRule
	// RuleTLSNotMet: a hop needs TLS (a connector's RequireTls, RequireTLS
	// or TlsSettings) and does not get it, so mail is deferred or refused.
	RuleTLSNotMet
	// RuleRelaysInternetMail: mail from the Internet to a domain the
	// organizations do not accept passes through them and out: an open
	// relay.
	RuleRelaysInternetMail
	// RuleInternetMailSkipsAntiSpam: mail from outside reaches a mailbox
	// and no hop filtered it for spam effectively.
	RuleInternetMailSkipsAntiSpam
)

// More rules [Check] applies.
const (
	// RuleUnsynchronizedRecipient: a recipient of a hybrid pair exists on
	// one side only (the directories are not synchronized, or a
	// RemoteUserMailbox's routing address names nothing in the tenant), so
	// the other side rejects or relays its mail as an unknown address's.
	RuleUnsynchronizedRecipient Rule = iota + RuleInternetMailSkipsAntiSpam + 1
	// RuleRelayNeedsAcceptedSender: an on-premises organization relays
	// through Exchange Online, whose OnPremises inbound connector
	// attributes its servers by IP address or by a certificate in no
	// accepted domain, so mail it sends on for outside senders is
	// rejected with 550 5.7.64 Relay Access Denied ATTR36.
	RuleRelayNeedsAcceptedSender
)

// More rules [Analyze] applies: the email authentication the flows meet.
const (
	// RuleSPFMissesSender: a sender in the topology (a tenant sending
	// through EOP, an on-premises server, an external service) sends
	// from an address its MAIL FROM domain's SPF record does not cover,
	// so SPF fails or soft-fails where the mail is received.
	RuleSPFMissesSender Rule = iota + RuleRelayNeedsAcceptedSender + 1
	// RuleSPFJudgesGateway: a host in front of a tenant's EOP (a
	// third-party MX) hides the sender and Enhanced Filtering for
	// Connectors does not skip it, so SPF and DMARC are evaluated on that
	// host's address.
	RuleSPFJudgesGateway
	// RuleForwardingFailsDMARC: a forwarded copy fails DMARC, under a
	// quarantine or reject policy, where it is received: its envelope
	// sender (rewritten by the Sender Rewriting Scheme, or the original
	// one) is not aligned with the From domain.
	RuleForwardingFailsDMARC
	// RuleDKIMBrokenByHop: mail whose From domain publishes a quarantine
	// or reject DMARC policy fails DMARC where it is received because a
	// hop on its way changed the body (an appliance adding a footer) and
	// broke the sender's DKIM signature.
	RuleDKIMBrokenByHop
)

var ruleNames = [...]string{"",
	"PartnerMixesIPAndCertificate", "ShadowedDomainConnector", "CentralizedTransportScopedToAcceptedDomains",
	"OnPremisesConnectorUsesMX", "MissingConnector", "OpenRelay",
	"MailLoop", "Undeliverable", "UnusedConnector", "UnusedRule", "TLSNotMet", "RelaysInternetMail", "InternetMailSkipsAntiSpam",
	"UnsynchronizedRecipient", "RelayNeedsAcceptedSender",
	"SPFMissesSender", "SPFJudgesGateway", "ForwardingFailsDMARC", "DKIMBrokenByHop",
}

// String returns the rule's name: "MissingConnector".
func (r Rule) String() string { return enumString(ruleNames[:], uint8(r), "Rule") }

// MarshalText returns the rule's name; it is an error for the zero Rule.
func (r Rule) MarshalText() ([]byte, error) { return enumMarshal(ruleNames[:], uint8(r), "Rule") }

// UnmarshalText reads a rule's name, ignoring case.
func (r *Rule) UnmarshalText(b []byte) error {
	return enumUnmarshal(ruleNames[:], (*uint8)(r), b, "rule")
}
