// Package exchange imports the configuration exports of Exchange Server
// and Exchange Online into a topology file ([scenario.File]): [Import]
// reads one export, [ImportFS] a directory of them.
//
// An export is what Export-Clixml writes (a document starting with
// "<Objs"), or what "Get-X | ConvertTo-Json -Depth 5" writes (an object or
// an array of objects), in UTF-8 with or without a byte order mark or in
// UTF-16 (what Windows PowerShell's Out-File writes). The cmdlets are
// Get-AcceptedDomain, Get-SendConnector, Get-ReceiveConnector,
// Get-HybridConfiguration, Get-Mailbox, Get-RemoteMailbox and Get-MailUser
// on-premises, and Get-InboundConnector, Get-OutboundConnector,
// Get-TransportRule, Get-HostedConnectionFilterPolicy,
// Get-HostedContentFilterPolicy, Get-OrganizationConfig (RejectDirectSend),
// Get-JournalRule, Get-AcceptedDomain, Get-Mailbox and Get-MailUser in
// Exchange Online (Get-JournalRule on-premises too), and
// Get-TransportService (queue retry and expiry settings), Get-ExchangeServer,
// Get-EdgeSubscription and Get-AdSiteLink on-premises; Get-RemoteDomain on
// either side; Get-TransportConfig, whose settings the topology does not
// hold, on either side for its notes. The recipients of every type come from
// Get-DistributionGroup, Get-DynamicDistributionGroup, Get-MailContact,
// Get-MailPublicFolder and Get-Recipient on either side and
// Get-UnifiedGroup in Exchange Online; a group's members from
// Get-DistributionGroupMember, Get-DynamicDistributionGroupMember and
// Get-UnifiedGroupLinks exports named after the group
// ("Get-DistributionGroupMember-Sales.xml") or with a Group column
// (docs/behaviour.md#l75-group-members-in-exports); a Get-Recipient
// object gives way to the same recipient's object from its own cmdlet
// (docs/behaviour.md#l76-get-recipient-and-the-cmdlets-of-each-type). MX
// records come from DNS exports: "Resolve-DnsName -Type MX contoso.com |
// Export-Clixml" (or "| ConvertTo-Json"); the other records of such a
// file (the SOA of the Authority section, A records) are skipped without
// a note. Get-OrganizationRelationship and Get-IntraOrganizationConnector
// (free/busy, OAuth and Autodiscover across organizations, no mail
// routing) are recognised and import nothing, with one note per file. In
// a directory, a file of another cmdlet is skipped with a note.
//
// # Which cmdlet wrote an object
//
// By its CLIXML type names ("…SmtpSendConnectorConfig", with or without
// "Deserialized."); else by the file name ("GetSendConnector.json",
// "Get-SendConnector.xml", "SendConnector.json", possibly followed by more
// words; a member listing's file name or Group column comes first, its
// objects being Get-Recipient's type); else by its properties (AddressSpaces: a Send connector;
// Bindings and RemoteIPRanges: a Receive connector; SenderDomains and
// ConnectorType: inbound; RecipientDomains and UseMXRecord: outbound;
// DomainType: an accepted domain; RecipientTypeDetails: a recipient, of
// the cmdlet of its type;
// OnPremisesSmartHost: a hybrid configuration; IPAllowList or IPBlockList:
// the connection filter policy; Priority with State or Mode: a transport
// rule; SpamAction and HighConfidenceSpamAction: the anti-spam policy;
// RejectDirectSend: the organization configuration; JournalEmailAddress
// and Scope: a journal rule; FreeBusyAccessEnabled and
// TargetApplicationUri: an organization relationship; TargetAddressDomains
// and DiscoveryEndpoint: an Intra-Organization connector; DomainName and
// AutoForwardEnabled: a remote domain; NameExchange and Preference, or
// Section, DataLength and TTL: a DNS record; ServerRole and Fqdn: a
// server; Site and Domain: an Edge subscription; Sites with ExchangeCost or
// ADCost: a site link; MaxRecipientEnvelopeLimit and
// ExternalPostmasterAddress: the transport configuration).
//
// # Where it goes
//
// Send and Receive connectors and hybrid configurations are on-premises;
// inbound and outbound connectors and the connection filter policy are
// Exchange Online's. Accepted domains, recipients, remote domains and
// transport rules go
// to Exchange Online when their OrganizationId or DistinguishedName names
// a hosted organization ("….onmicrosoft.com", "OU=Microsoft Exchange
// Hosted Organizations") or, for a domain, when it is a
// "*.onmicrosoft.com" domain other than a coexistence domain; on-premises
// when the DistinguishedName is in "CN=Microsoft Exchange,CN=Services";
// otherwise on-premises, unless the import holds Exchange Online objects
// only.
//
// On-premises objects are grouped into organizations named by the
// DistinguishedName (theirs, or of a server they name):
// "CN=First Organization,CN=Microsoft Exchange,…" gives "First-Organization"
// (characters topology names do not allow become "-"). Objects without
// one join the only organization named, or else one named "onpremises"
// (with a diagnostic). An organization's servers are those its objects
// name (SourceTransportServers, a Receive connector's Server, a hybrid
// configuration's transport servers, a mailbox's ServerName, an Edge
// subscription's Name; an Exchange Online recipient's ServerName, a
// datacenter server, is dropped with a note) and those Get-ExchangeServer
// declares, sorted by name. A declared server is merged with the server of
// the same name the other objects name, the declaration's Fqdn, role and
// site winning (docs/behaviour.md#l70-servers-from-get-exchangeserver). A
// server's Fqdn is, without a declaration giving one, the Fqdn of one of its
// Receive connectors that starts with the server's name, else its name in
// the Active Directory domain of its DistinguishedName (with a diagnostic),
// else empty (with a diagnostic). A hybrid configuration's OnPremisesSmartHost becomes a host
// name of the first of its ReceivingTransportServers. All Exchange Online
// objects form one tenant, named by an "<name>.onmicrosoft.com" domain
// found in the export (a tenant's accepted domain or OrganizationId, or a
// "<name>.mail.onmicrosoft.com" address space or routing address), else
// by [Options].Tenant, else after its first accepted domain (with a
// note); the hybrid configuration names it as its Tenant.
//
// An exported MX record (its Name, NameExchange and Preference) goes to
// the File's MXRecords. A tenant's accepted domain that no exported MX
// record covers is assumed to have the tenant's EOP host as its MX
// ("Configure mail flow using connectors in Exchange Online"), with a
// note. An MX host that is neither a tenant's EOP host nor an exported
// server's Fqdn or host name becomes an Internet mail system (External)
// named after the host, with the domains whose MX it is, and a note.
//
// # Values
//
// An absent or null property leaves its field unset: [connector.Unset]
// for optional Booleans, the zero value otherwise; nothing is invented.
// Enums are read by name or by number; flags ("Tls, Integrated") become
// lists. Multi-valued properties may be a single value. Domain lists lose
// their "smtp:" prefix and ";1" suffix (SenderDomains "smtp:*;1" is "*"),
// except AddressSpaces, whose type and cost Send connectors use. IP
// smart hosts lose their brackets.
//
// # Diagnostics
//
// The problems returned are diagnostics, not errors: the File is usable.
// Every property that is neither imported nor in the table of properties
// known not to change routing (identity, timestamps, protocol extensions,
// throttling and the like) is reported: "not modelled by the simulator"
// for known Exchange properties that can change routing, "unknown
// property" for the rest. A property whose value is null, empty or an
// empty list carries no setting and is not reported. Values that cannot
// be read, objects of unknown cmdlets, wildcard accepted domains and names
// the importer had to derive or could not find are reported too. Paths
// are `File[index]("Name").Property`. Diagnostics with the same file,
// property and message (so the same value) are reported once, at the
// first object, listing the other objects' indexes.
//
// # Order
//
// Objects keep their order: files in the order given, objects in
// document order. OnPremises are sorted by name (organizations whose
// names become the same topology name by their names as exported), with
// their Servers sorted by name; there is at most one tenant. MXRecords
// are the exported ones in export order, then the assumed ones in the
// order of the tenant's accepted domains; External systems come in the
// order of the MX records that name them, then the smart hosts in no
// exported organization, in the order of the on-premises organizations'
// Send connectors and the tenant's outbound connectors. Hybrid
// configurations whose tenant is not in the import are left out, with a
// diagnostic. Diagnostics
// come in file and object order (within an object, the properties read
// specially first, then the others in document order), followed by those
// about the tenant and the organizations, in name order.
//
// # Errors
//
// Malformed XML or JSON, a file that is not an export, or one that cannot
// be read give a *[scenario.LoadError], which matches
// [scenario.ErrBadFile]; the importer never panics.
package exchange
