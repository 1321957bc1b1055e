package topology

import (
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/topology/dns"
)

// Spec declares a mail topology: the organizations, their domains,
// recipients and connectors, the DNS MX records, and the hybrid
// configurations between them. [Build] validates a Spec and turns it into
// an immutable [Topology]; the order in which a Spec lists things never
// changes the result. Field names follow Exchange's PowerShell properties.
type Spec struct {
	// Tenants are Exchange Online organizations. Each has an EOP node (its
	// service edge, the MX host <domain-with-dashes>.mail.protection.outlook.com)
	// and an Exchange Online node (its mailboxes).
	Tenants []TenantSpec
	// OnPremises are on-premises Exchange organizations.
	OnPremises []OnPremisesSpec
	// External are mail systems outside the modelled organizations that
	// have names in DNS: Internet domains' MX hosts and partner
	// organizations. Any other domain is "the Internet" node.
	External []ExternalSpec
	// MXRecords are the DNS MX records of the domains. Tenants' initial
	// and coexistence domains (<tenant>.onmicrosoft.com,
	// <tenant>.mail.onmicrosoft.com) get theirs automatically.
	MXRecords []MXRecord
	// DNSRecords are the domains' other DNS records: TXT records (SPF at
	// the domain, DMARC at _dmarc.<domain>, DKIM keys at
	// <selector>._domainkey.<domain>) and the A and AAAA records of the
	// hosts SPF mechanisms name. Nodes' host names answer A or AAAA queries
	// with their IPAddress unless a record here names them; a name with no
	// record answers NXDOMAIN; a Failing record models an outage
	// (docs/behaviour.md#l90-declared-dns). Without any, email
	// authentication is not evaluated
	// (docs/behaviour.md#l91-where-spf-is-evaluated).
	DNSRecords []dns.Record
	// Hybrid are the hybrid configurations the Hybrid Configuration Wizard
	// wrote (Get-HybridConfiguration); each adds the connectors the wizard
	// creates in both organizations.
	Hybrid []HybridConfiguration
}

// TenantSpec declares an Exchange Online organization.
type TenantSpec struct {
	// Name is the tenant name: "contoso" for contoso.onmicrosoft.com. Build
	// adds <Name>.onmicrosoft.com and the coexistence domain
	// <Name>.mail.onmicrosoft.com as Authoritative accepted domains.
	Name string
	// AcceptedDomains are the tenant's other accepted domains
	// (Get-AcceptedDomain). ExternalRelay is not offered in Exchange Online.
	AcceptedDomains []AcceptedDomain
	// Recipients are the tenant's directory: UserMailbox objects are
	// mailboxes in Exchange Online; MailUser objects represent mailboxes
	// elsewhere (on-premises mailboxes synchronized to the cloud). With a
	// HybridConfiguration's DirectorySynchronization, Build adds the
	// objects of the on-premises organization's recipients.
	Recipients []Recipient
	// InboundConnectors and OutboundConnectors are the tenant's connectors,
	// besides those a HybridConfiguration adds.
	InboundConnectors  []connector.Inbound
	OutboundConnectors []connector.Outbound
	// TransportRules are the tenant's mail flow rules.
	TransportRules []TransportRule
	// JournalRules are the tenant's journal rules.
	JournalRules []JournalRule
	// HostedConnectionFilterPolicy is the connection filter policy: IP
	// Allow List and IP Block List.
	HostedConnectionFilterPolicy ConnectionFilterPolicy
	// HostedContentFilterPolicy says what anti-spam does with spam.
	HostedContentFilterPolicy ContentFilterPolicy
	// RemoteDomains are the tenant's remote domains (Get-RemoteDomain).
	RemoteDomains []RemoteDomain
	// AntiPhishPolicy says what the anti-phishing policy does with mail
	// that fails DMARC; it applies where DMARC is evaluated, in a topology
	// that declares DNSRecords
	// (docs/behaviour.md#l92-dmarc-and-composite-authentication).
	AntiPhishPolicy AntiPhishPolicy
	// DkimSigningConfig are the tenant's DKIM signing configurations
	// (Get-DkimSigningConfig): Exchange Online signs outbound mail from a
	// domain with an enabled one with d=<domain> s=selector1, and other
	// outbound mail with its initial domain, d=<tenant>.onmicrosoft.com
	// (Microsoft: "Set up DKIM to sign mail from your Microsoft 365
	// domain"; docs/behaviour.md#l94-dkim-signing-in-exchange-online).
	DkimSigningConfig []DkimSigningConfig
	// ArcTrustedSealers are the domains of the intermediaries whose ARC
	// seals the tenant trusts (Set-ArcConfig -ArcTrustedSealers;
	// Microsoft: "Configure trusted ARC sealers";
	// docs/behaviour.md#l95-trusted-arc-sealers).
	ArcTrustedSealers []string
	// AutoForwardingMode is the outbound spam filter policy's control of
	// automatic external forwarding: Automatic (the default, which means
	// Off), Off or On. Off blocks forwarding to outside addresses with
	// 5.7.520 (Microsoft: "Control automatic external email forwarding").
	AutoForwardingMode string
	// RejectDirectSend (Set-OrganizationConfig) rejects anonymous mail to
	// the tenant's recipients that matches no inbound connector and claims
	// an accepted domain as its sender: 550 5.7.68 (status code observed, not
	// documented: docs/behaviour.md#d16-status-codes-seen-but-not-documented).
	RejectDirectSend bool
	// OutboundConnectorSelection picks how outbound connectors compete
	// (docs/behaviour.md#d1-outbound-connector-precedence); the default is
	// most specific first.
	OutboundConnectorSelection connector.SelectionMode
	// HopLimit is the number of times a message may enter the tenant before
	// it is rejected as a loop: 554 5.4.14
	// (docs/behaviour.md#d6-hop-limits). Zero
	// means 20.
	HopLimit int
}

// OnPremisesSpec declares an on-premises Exchange organization.
type OnPremisesSpec struct {
	// Name names the organization: "contoso".
	Name string
	// AcceptedDomains are the organization's accepted domains.
	AcceptedDomains []AcceptedDomain
	// DkimSigningDomain and DkimSelector, when set, are the d= and s= a
	// signing agent on the organization's transport DKIM-signs every
	// message submitted in it with (Exchange Server has no setting of its
	// own for this); Exchange Online may sign the message again on its
	// way out (docs/behaviour.md#l96-dkim-signing-on-premises).
	DkimSigningDomain, DkimSelector string
	// Servers are the organization's Exchange servers; at least one.
	Servers []ServerSpec
	// Recipients are the organization's directory: UserMailbox objects live
	// on a Server; RemoteUserMailbox objects are mailboxes in Exchange Online,
	// reached by their RemoteRoutingAddress. With a HybridConfiguration's
	// DirectorySynchronization, Build adds the RemoteUserMailbox objects of
	// the tenant's mailboxes.
	Recipients []Recipient
	// SendConnectors are the organization's Send connectors, besides those a
	// HybridConfiguration adds. Without one for "*" nothing reaches the
	// Internet (Microsoft: "Send connectors").
	SendConnectors []connector.Send
	// ReceiveConnectors are the servers' Receive connectors. When an
	// organization declares none, every server has the default "Default
	// Frontend <server>": port 25, all remote addresses, AnonymousUsers and
	// ExchangeServers, no relay.
	ReceiveConnectors []connector.Receive
	// TransportRules are the organization's transport rules, which its
	// Transport service applies (the Compliance stage of a trace).
	TransportRules []TransportRule
	// JournalRules are the organization's journal rules.
	JournalRules []JournalRule
	// RemoteDomains are the organization's remote domains
	// (Get-RemoteDomain).
	RemoteDomains []RemoteDomain
	// AddressRewriteEntries rewrite the sender of mail leaving the
	// organization, in order; the first that applies wins.
	AddressRewriteEntries []AddressRewriteEntry
	// MaxHopCount is the limit on Received headers a server accepts
	// ("New-ReceiveConnector"; docs/behaviour.md#d6-hop-limits); zero means 30.
	MaxHopCount int
	// MaxLocalHopCount is the limit on hops inside the organization; zero
	// means 8.
	MaxLocalHopCount int
	// ADSiteLinks are the Active Directory IP site links between the sites
	// of the servers (Get-AdSiteLink); the least-cost path between two
	// sites decides Send connector selection across sites.
	ADSiteLinks []ADSiteLink
	// EdgeSubscriptions subscribe Edge Transport servers to a site
	// (New-EdgeSubscription; Get-EdgeSubscription): each adds the EdgeSync
	// Send connectors.
	EdgeSubscriptions []EdgeSubscription
	// TransportService holds the organization's transport servers' queue
	// settings (Set-TransportService), which say how a deferred message is
	// retried and when it is returned.
	TransportService TransportService
}

// TransportService is the retry and expiry settings of Set-TransportService,
// as TimeSpan strings ("2.00:00:00", "00:10:00"); empty means Exchange's
// default ("Message retry, resubmit, and expiration intervals"):
// MessageExpirationTimeout 2 days, TransientFailureRetryInterval 5
// minutes, OutboundConnectionFailureRetryInterval 10 minutes,
// DelayNotificationTimeout 4 hours, TransientFailureRetryCount 6.
type TransportService struct {
	// MessageExpirationTimeout is how long a message may wait in a queue
	// before it is returned with an NDR (1 second to 90 days).
	MessageExpirationTimeout string
	// TransientFailureRetryInterval is the wait between the quick retries
	// after a transient failure: the TransientFailureRetryCount retries
	// after a connection failure, and each retry of a message the next
	// hop deferred.
	TransientFailureRetryInterval string
	// TransientFailureRetryCount is how many quick retries, each
	// TransientFailureRetryInterval apart, follow a connection failure
	// before retries come OutboundConnectionFailureRetryInterval apart
	// (0 to 15; nil: Exchange's default 6; 0: no quick retries).
	TransientFailureRetryCount *int
	// OutboundConnectionFailureRetryInterval is the wait before retrying a
	// connection to a host that could not be reached.
	OutboundConnectionFailureRetryInterval string
	// DelayNotificationTimeout is how long a message waits in a queue
	// before its sender gets a delay notification (a delay DSN), the
	// message staying queued (1 second to 30 days).
	DelayNotificationTimeout string
}

// ServerRole is the Exchange server role that changes a path.
type ServerRole string

// The server roles.
const (
	// Mailbox is an Exchange 2016 or later Mailbox server (or a 2013
	// Mailbox server): Front End Transport, Transport and mailbox delivery
	// in one. The default.
	Mailbox ServerRole = "Mailbox"
	// ClientAccess is an Exchange 2013 Client Access server: Front End
	// Transport only, a stateless proxy that never looks up recipients or
	// splits a message (Microsoft: "Mail routing in Exchange Server").
	ClientAccess ServerRole = "ClientAccess"
	// Edge is an Edge Transport server: in the perimeter network, not
	// domain-joined, no mailboxes; it relays between the Internet and the
	// Mailbox servers of the site it is subscribed to (Microsoft: "Edge
	// Subscriptions").
	Edge ServerRole = "Edge"
)

// ServerSpec declares an on-premises Exchange server.
type ServerSpec struct {
	// Name is the server name: "EX01".
	Name string
	// Role is Mailbox (the default), ClientAccess or Edge.
	Role ServerRole
	// Site is the Active Directory site of a domain-joined server
	// (Get-ExchangeServer Site); empty means Default-First-Site-Name. An
	// Edge server has none: it is in the site its EdgeSubscription names.
	Site string
	// Fqdn is the server's host name: "ex01.contoso.com".
	Fqdn string
	// Hosts are other host names that resolve to this server, such as the
	// name an MX record or a smart host uses: "mail.contoso.com".
	Hosts []string
	// IPAddress is the address the server sends from, if it matters.
	IPAddress string
	// Certificate is the certificate its SMTP service presents. Unset, an
	// Exchange server presents its self-signed default certificate for its
	// Fqdn.
	Certificate *Certificate
	// Offline: the server refuses connections (450 4.4.316 for Exchange
	// Online sending to it).
	Offline bool
	// MessagesPerHour is how much mail the server sends to Microsoft 365,
	// for greylisting.
	MessagesPerHour int
}

// CertificateStatus is the Status of an Exchange certificate
// (Get-ExchangeCertificate).
type CertificateStatus string

// The certificate statuses that change TLS validation.
const (
	CertificateValid       CertificateStatus = "Valid"
	CertificateDateInvalid CertificateStatus = "DateInvalid" // expired or not yet valid
	CertificateUntrusted   CertificateStatus = "Untrusted"   // chain to no trusted root
	CertificateRevoked     CertificateStatus = "Revoked"
)

// Certificate is a TLS certificate a host presents, with the properties of
// Get-ExchangeCertificate that TLS validation reads.
type Certificate struct {
	// CertificateDomains are the names of its subject and subject
	// alternative names: the first is the subject; the order of the others
	// means nothing (a Topology holds them in ascending order).
	CertificateDomains []string
	// IsSelfSigned: no certificate authority signed it, so
	// CertificateValidation fails.
	IsSelfSigned bool
	// Status: empty reads as Valid.
	Status CertificateStatus
}

// ExternalKind tells what an external mail system is.
type ExternalKind string

// The kinds of external mail system.
const (
	Internet ExternalKind = "Internet" // an Internet domain's mail servers (the default)
	Partner  ExternalKind = "Partner"  // a partner organization
	// Appliance is a device or service that receives mail and forwards it
	// to its SmartHost: a firewall, filter or gateway
	// (docs/behaviour.md#l5-a-device-that-processes-smtp).
	Appliance ExternalKind = "Appliance"
	// Device is a printer, scanner or application that sends mail (Microsoft:
	// "How to set up a multifunction device or application to send email using
	// Microsoft 365 or Office 365"): to its SmartHost (a tenant's MX host:
	// direct send, or relay through a connector), or by SMTP client submission
	// as the mailbox AuthenticatedAs names.
	Device ExternalKind = "Device"
)

// ExternalSpec declares a mail system outside the modelled organizations.
type ExternalSpec struct {
	// Name names it: "cpandl".
	Name string
	// Kind is Internet (the default) or Partner.
	Kind ExternalKind
	// Domains are the mail domains it hosts, for documentation and checks.
	Domains []string
	// Hosts are its host names, which MX records point to.
	Hosts []string
	// IPAddress is the address it sends from, if it matters.
	IPAddress string
	// Certificate is the certificate it presents in TLS, if any.
	Certificate *Certificate
	// StartTLS tells whether it offers and uses TLS; unset reads as $true.
	StartTLS connector.OptBool
	// Offline: it refuses connections.
	Offline bool
	// MessagesPerHour is how much mail it sends to Microsoft 365, for
	// greylisting.
	MessagesPerHour int
	// SmartHost, when set, is the host it sends all its mail to instead of
	// looking up MX records: an application or device relaying through a
	// server, a partner's relay, or where an Appliance forwards to.
	SmartHost string
	// AuthenticatedAs is the mailbox a Device authenticates as for SMTP
	// client submission (smtp.office365.com, port 587).
	AuthenticatedAs string
	// Transparent: the Appliance passes SMTP through unchanged, like a firewall
	// allowing port 25 (docs/behaviour.md#l5-a-device-that-processes-smtp).
	// Otherwise it processes SMTP: it re-sends the message with its own address
	// and certificate and drops the organization headers.
	Transparent bool

	// The fields below describe what an Appliance that processes SMTP
	// does to the message it re-sends: an email add-on service such as
	// the signature service of "Integrate Microsoft 365 with an email
	// add-on service" (docs/behaviour.md#l40-an-add-on-service-that-changes-the-message).
	// Build refuses them on other kinds and on a Transparent Appliance.

	// AddsHeaders are the headers it stamps on every message it re-sends
	// ("SignatureContoso: true"), replacing a header of the same name.
	AddsHeaders []Header
	// RemovesHeaders are the names of headers it removes from every message
	// it re-sends.
	RemovesHeaders []string
	// KeepsOrganizationHeaders: it re-sends the message with the headers
	// Exchange Online gave it, the X-MS-Exchange-CrossPremises-* ones
	// included, so that an inbound connector with CloudServicesMailEnabled
	// $true can promote them again and the message stays internal.
	// Otherwise it drops them, like every Appliance that processes SMTP.
	KeepsOrganizationHeaders bool
	// RewritesSenderTo, when set, is the sender (MAIL FROM) it re-sends the
	// message with.
	RewritesSenderTo string
	// ModifiesBody: it changes the body of the message it re-sends (a
	// footer, a signature), which breaks the DKIM signatures made before
	// it: their body hash no longer verifies (RFC 6376, section 3.7;
	// docs/behaviour.md#l93-dkim).
	ModifiesBody bool

	// DkimSigningDomain, when set, is the domain (d=) it DKIM-signs every
	// message it sends or re-sends with, using the selector DkimSelector
	// (s=), which is then required (RFC 6376, section 3.5). Whether the
	// signature verifies is decided by the key record declared in
	// DNSRecords at <DkimSelector>._domainkey.<DkimSigningDomain>
	// (docs/behaviour.md#l93-dkim).
	DkimSigningDomain string
	DkimSelector      string
	// ArcSealingDomain, when set, is the domain an Appliance that
	// processes SMTP ARC-seals what it re-sends with (RFC 8617), recording
	// the SPF, DKIM and DMARC results it saw on arrival; a tenant that
	// lists the domain in ArcTrustedSealers honours them
	// (docs/behaviour.md#l95-trusted-arc-sealers).
	ArcSealingDomain string
}

// Header is a message header an external service adds
// ([ExternalSpec.AddsHeaders]).
type Header struct {
	Name  string
	Value string
}

// MXRecord is one DNS MX record, as Resolve-DnsName -Type MX prints it.
type MXRecord struct {
	Domain       string // the domain: "contoso.com"
	Preference   int    // lower is preferred
	NameExchange string // the host: "contoso-com.mail.protection.outlook.com"
}

// DomainType is the DomainType of an accepted domain.
type DomainType string

// The domain types (Microsoft: "Manage accepted domains in Exchange Online";
// "Accepted domains in Exchange Server").
const (
	// Authoritative: every recipient is in the organization; unknown ones
	// are rejected. The default.
	Authoritative DomainType = "Authoritative"
	// InternalRelay: some recipients are elsewhere; unknown ones are relayed
	// through a connector.
	InternalRelay DomainType = "InternalRelay"
	// ExternalRelay: no recipients in the organization (on-premises only).
	ExternalRelay DomainType = "ExternalRelay"
)

// AcceptedDomain is an accepted domain (Get-AcceptedDomain).
type AcceptedDomain struct {
	// DomainName is the domain. On-premises it may be a wildcard,
	// "*.contoso.com" (every subdomain of contoso.com, not contoso.com
	// itself) or "*" (every domain: an open relay), as "Accepted domains in
	// Exchange Server" allows; Exchange Online has no wildcards.
	DomainName string
	// DomainType: empty reads as Authoritative.
	DomainType DomainType
	// MatchSubDomains: mail to every subdomain of the domain is accepted
	// too. Exchange Online only, and only for an InternalRelay domain
	// ("Enable mail flow for subdomains in Exchange Online").
	MatchSubDomains bool
}

// RecipientTypeDetails is the kind of a directory object.
type RecipientTypeDetails string

// The recipient types that routing distinguishes.
const (
	// UserMailbox is a mailbox in this organization.
	UserMailbox RecipientTypeDetails = "UserMailbox"
	// RemoteUserMailbox is an on-premises object for a mailbox in Exchange
	// Online; mail goes to its RemoteRoutingAddress.
	RemoteUserMailbox RecipientTypeDetails = "RemoteUserMailbox"
	// MailUser is an object whose mailbox is elsewhere; mail goes to its
	// ExternalEmailAddress, or to its primary address when that is empty
	// (how Exchange Online sees a synchronized on-premises mailbox).
	MailUser RecipientTypeDetails = "MailUser"
	// MailContact is a contact with an ExternalEmailAddress.
	MailContact RecipientTypeDetails = "MailContact"
	// MailUniversalDistributionGroup is a distribution group; Members are
	// its members' addresses. Mail flow rules read the membership.
	MailUniversalDistributionGroup RecipientTypeDetails = "MailUniversalDistributionGroup"
)

// Recipient is a directory object, with the properties routing reads.
type Recipient struct {
	// Name is the object's name: "Julie". Informational: the library
	// identifies recipients by their addresses.
	Name string
	// RecipientTypeDetails is the object's type: one of the
	// RecipientTypeDetails constants.
	RecipientTypeDetails RecipientTypeDetails
	// PrimarySmtpAddress is the reply address.
	PrimarySmtpAddress string
	// EmailAddresses are the proxy addresses, "smtp:julie@contoso.com" or
	// plain; non-SMTP prefixes (X500:, SIP:) are ignored.
	EmailAddresses []string
	// RemoteRoutingAddress is the targetAddress of a remote mailbox
	// (RemoteUserMailbox, RemoteSharedMailbox, …), or the optional one of a
	// GroupMailbox written back on premises:
	// alias@<tenant>.mail.onmicrosoft.com.
	RemoteRoutingAddress string
	// ExternalEmailAddress is the targetAddress of a MailUser or MailContact.
	// On premises it may be a non-SMTP address ("X400:c=US;a= ;p=Fabrikam;s=Smith"),
	// routed through a Send connector with a matching address space of that
	// type (docs/behaviour.md#l34-non-smtp-addresses).
	ExternalEmailAddress string
	// Server is the Mailbox server holding an on-premises mailbox (any type
	// whose IsMailbox is true; for a PublicFolder, its content's public
	// folder mailbox).
	Server string
	// Department, Company, City, Office and Title are the directory
	// attributes mail flow rules can test.
	Department, Company, City, Office, Title string
	// Members are the addresses of a group's members (a distribution or
	// mail-enabled security group; a DynamicDistributionGroup's members as
	// its filter selects them; a GroupMailbox's members who get its mail in
	// their inbox): a set,
	// expanded in ascending address order (docs/behaviour.md, L11). An
	// address in an accepted domain of the organization must be one of its
	// recipients; one in another domain is an address outside the
	// organization (docs/behaviour.md#l15-group-members-outside-the-directory).
	Members []string
	// RequireSenderAuthenticationEnabled: the recipient accepts mail from
	// authenticated (internal) senders only (Microsoft: "Recipient resolution
	// in Exchange Server").
	RequireSenderAuthenticationEnabled bool
	// ForwardingAddress forwards a mailbox's mail to a recipient of the
	// directory, named here by its SMTP address; when it is set,
	// ForwardingSmtpAddress is ignored, as Set-Mailbox documents.
	ForwardingAddress string
	// ForwardingSmtpAddress forwards a mailbox's mail ("smtp:x@y" or
	// plain); with DeliverToMailboxAndForward the mailbox keeps a copy.
	ForwardingSmtpAddress      string
	DeliverToMailboxAndForward bool
}

// Forwarding returns the address a mailbox forwards its mail to, without
// a "smtp:" prefix: ForwardingAddress, else ForwardingSmtpAddress ("Set-Mailbox");
// "" when it does not forward.
func (r Recipient) Forwarding() string {
	a := r.ForwardingAddress
	if a == "" {
		a = r.ForwardingSmtpAddress
	}
	return a[strings.IndexByte(a, ':')+1:]
}

// Clone returns a copy of r that shares no memory with it.
func (r Recipient) Clone() Recipient {
	r.EmailAddresses = slices.Clone(r.EmailAddresses)
	r.Members = slices.Clone(r.Members)
	return r
}

// HybridConfiguration is what the Hybrid Configuration Wizard configured
// between a tenant and an on-premises organization (Get-HybridConfiguration).
// A connector the Spec declares with one of the wizard's names replaces
// the wizard's: it is that connector as an administrator edited it.
// Build adds the wizard's connectors (Microsoft: "Hybrid Configuration
// wizard"; "Inbound connector FAQ"):
//
//   - in the tenant, inbound connector "Inbound from <OnPremises>"
//     (OnPremises, SenderDomains *, TlsSenderCertificateName = the
//     certificate's domain, RequireTls, CloudServicesMailEnabled);
//   - in the tenant, outbound connector "Outbound to <OnPremises>"
//     (OnPremises, RecipientDomains = Domains, SmartHosts =
//     OnPremisesSmartHost, TlsSettings DomainValidation,
//     CloudServicesMailEnabled, RouteAllMessagesViaOnPremises when Features
//     has CentralizedTransport);
//   - on-premises, Send connector "Outbound to Office 365" (AddressSpaces
//     smtp:<tenant>.mail.onmicrosoft.com, DNS routing, RequireTLS,
//     TlsAuthLevel DomainValidation, TlsDomain mail.protection.outlook.com,
//     CloudServicesMailEnabled, SourceTransportServers =
//     SendingTransportServers).
type HybridConfiguration struct {
	// Tenant and OnPremises name the two organizations.
	Tenant     string
	OnPremises string
	// Domains are the hybrid domains: accepted in both organizations.
	Domains []string
	// OnPremisesSmartHost is the host Exchange Online sends to:
	// "mail.contoso.com".
	OnPremisesSmartHost string
	// TlsCertificateName is the on-premises certificate,
	// "<I>issuer<S>CN=mail.contoso.com" or the plain domain.
	TlsCertificateName string
	// SendingTransportServers source the Send connector to Exchange Online.
	SendingTransportServers []string
	// ReceivingTransportServers receive from Exchange Online; they accept
	// its cross-premises headers.
	ReceivingTransportServers []string
	// EdgeTransportServers, when set, are the subscribed Edge Transport
	// servers the wizard configures instead of the Mailbox servers
	// (Microsoft: "Edge Transport servers with hybrid deployments"): the Send
	// connector to Office 365 is sourced on them and they receive Exchange
	// Online's mail with the certificate. SendingTransportServers and
	// ReceivingTransportServers may then be empty.
	EdgeTransportServers []string
	// Features: "CentralizedTransport" turns on
	// RouteAllMessagesViaOnPremises. The wizard's other features
	// (OnlineArchive, FreeBusy, Mailtips, MessageTracking, OwaRedirection,
	// SecureMail, Photos, MoveMailbox) are informational: they change no
	// mail flow. Anything else is refused.
	Features []string
	// DirectorySynchronization: Microsoft Entra Connect synchronizes the two
	// directories, so each recipient is declared once, where its mailbox
	// is, and Build derives its object on the other side
	// (docs/behaviour.md#l60-directory-synchronization): an on-premises
	// UserMailbox becomes a tenant MailUser whose ExternalEmailAddress is
	// its PrimarySmtpAddress; an Exchange Online UserMailbox gets the
	// proxy address alias@<tenant>.mail.onmicrosoft.com and becomes an
	// on-premises RemoteUserMailbox routed to it; on-premises MailUser,
	// MailContact and MailUniversalDistributionGroup objects appear in the
	// tenant as the same kind. An object declared on the other side with
	// the same address overrides the derived one. The Topology's
	// recipient accessors show derived objects like declared ones; Spec()
	// returns what was given. Without it, analysis.Check names each
	// recipient declared on one side only.
	DirectorySynchronization bool
}

// FeatureCentralizedTransport is the HybridConfiguration feature that
// routes Exchange Online's outbound mail through on-premises.
const FeatureCentralizedTransport = "CentralizedTransport"
