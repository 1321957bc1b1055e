package exchange

import (
	"path"
	"slices"
	"strings"
)

// cmdlet is the family of Get-* cmdlets an object comes from. The order
// is the order in which [cmdletOf] tries their shapes.
type cmdlet uint8

const (
	unknownCmdlet       cmdlet = iota
	sendConnector              // Get-SendConnector
	receiveConnector           // Get-ReceiveConnector
	inboundConnector           // Get-InboundConnector
	outboundConnector          // Get-OutboundConnector
	hybridConfiguration        // Get-HybridConfiguration
	acceptedDomain             // Get-AcceptedDomain
	recipient                  // Get-Mailbox, Get-RemoteMailbox, Get-MailUser
	connectionFilter           // Get-HostedConnectionFilterPolicy
	transportRule              // Get-TransportRule
	contentFilter              // Get-HostedContentFilterPolicy
	organizationConfig         // Get-OrganizationConfig
	journalRule                // Get-JournalRule
	transportService           // Get-TransportService
	// Informational: recognised, nothing imported (see [convertInformational]).
	organizationRelationship   // Get-OrganizationRelationship
	intraOrganizationConnector // Get-IntraOrganizationConnector
	remoteDomain               // Get-RemoteDomain
	dnsRecord                  // Resolve-DnsName
	exchangeServer             // Get-ExchangeServer
	edgeSubscription           // Get-EdgeSubscription
	adSiteLink                 // Get-AdSiteLink
	transportConfig            // Get-TransportConfig
	// Recipients of every type, and the members of groups.
	distributionGroup // Get-DistributionGroup, Get-DynamicDistributionGroup
	mailContact       // Get-MailContact, Get-MailPublicFolder
	unifiedGroup      // Get-UnifiedGroup
	recipientListing  // Get-Recipient
	groupMember       // Get-DistributionGroupMember, Get-DynamicDistributionGroupMember, Get-UnifiedGroupLinks
	numCmdlets
)

// side is where a cmdlet family's objects go.
type side uint8

const (
	eitherSide side = iota // decided by the object's OrganizationId or DistinguishedName
	onPremisesSide
	tenantSide
)

// family is what the importer knows about the objects of one cmdlet
// family.
type family struct {
	// nouns are the file names of its exports, lower case, without "Get"
	// or separators; the longest matching prefix wins.
	nouns []string
	// types are the last parts of its CLIXML type names.
	types []string
	// shapes are sets of properties that, all present, tell an object of
	// the family when neither type names nor the file name do.
	shapes [][]string
	side   side
	// skip are the properties understood but without effect on routing,
	// skipped silently besides those of every family ([skipAll]).
	skip map[string]bool
	// unmodelled are the properties that can change routing but that the
	// simulator does not model: they are reported.
	unmodelled map[string]bool
	// convert converts a record, taking the properties it reads
	// specially, then calling [converter.rest]; nil drops the object.
	convert func(c *converter) any
}

// families has an entry per cmdlet family, by [cmdlet].
var families = [numCmdlets]family{
	sendConnector: {nouns: []string{"sendconnector"}, types: []string{"SmtpSendConnectorConfig"},
		shapes: [][]string{{"AddressSpaces"}}, side: onPremisesSide,
		skip: sendConnectorSkip, unmodelled: sendConnectorUnmodelled, convert: convertSendConnector},
	receiveConnector: {nouns: []string{"receiveconnector"}, types: []string{"ReceiveConnector"},
		shapes: [][]string{{"Bindings", "RemoteIPRanges"}}, side: onPremisesSide,
		skip: receiveConnectorSkip, unmodelled: receiveConnectorUnmodelled, convert: convertReceiveConnector},
	inboundConnector: {nouns: []string{"inboundconnector"}, types: []string{"TenantInboundConnector", "InboundConnector"},
		shapes: [][]string{{"SenderDomains", "ConnectorType"}}, side: tenantSide,
		skip: inboundConnectorSkip, unmodelled: inboundConnectorUnmodelled, convert: convertInboundConnector},
	outboundConnector: {nouns: []string{"outboundconnector"}, types: []string{"TenantOutboundConnector", "OutboundConnector"},
		shapes: [][]string{{"RecipientDomains", "UseMXRecord"}}, side: tenantSide,
		skip: outboundConnectorSkip, unmodelled: outboundConnectorUnmodelled, convert: convertOutboundConnector},
	hybridConfiguration: {nouns: []string{"hybridconfiguration"}, types: []string{"HybridConfiguration"},
		shapes: [][]string{{"OnPremisesSmartHost"}}, side: onPremisesSide,
		skip: hybridConfigurationSkip, unmodelled: hybridConfigurationUnmodelled, convert: convertHybridConfiguration},
	acceptedDomain: {nouns: []string{"accepteddomain"}, types: []string{"AcceptedDomain"},
		shapes: [][]string{{"DomainType"}},
		skip:   acceptedDomainSkip, unmodelled: acceptedDomainUnmodelled, convert: convertAcceptedDomain},
	recipient: {nouns: []string{"remotemailbox", "mailbox", "mailuser"}, types: []string{"Mailbox", "RemoteMailbox", "MailUser"},
		shapes: [][]string{{"RecipientTypeDetails"}},
		skip:   recipientSkip, unmodelled: recipientUnmodelled, convert: convertRecipient},
	connectionFilter: {nouns: []string{"hostedconnectionfilterpolicy"}, types: []string{"HostedConnectionFilterPolicy"},
		shapes: [][]string{{"IPAllowList"}, {"IPBlockList"}}, side: tenantSide,
		skip: connectionFilterSkip, convert: convertConnectionFilter},
	transportRule: {nouns: []string{"transportrule"}, types: []string{"TransportRule"},
		shapes: [][]string{{"Priority", "State"}, {"Priority", "Mode"}},
		skip:   transportRuleSkip, convert: convertTransportRule},
	contentFilter: {nouns: []string{"hostedcontentfilterpolicy"}, types: []string{"HostedContentFilterPolicy"},
		shapes: [][]string{{"SpamAction", "HighConfidenceSpamAction"}}, side: tenantSide,
		skip: contentFilterSkip, unmodelled: contentFilterUnmodelled, convert: convertContentFilter},
	organizationConfig: {nouns: []string{"organizationconfig"}, types: []string{"OrganizationConfig"},
		shapes: [][]string{{"RejectDirectSend"}}, side: tenantSide,
		convert: convertOrganizationConfig},
	journalRule: {nouns: []string{"journalrule"}, types: []string{"JournalRule", "JournalRuleObject"},
		shapes: [][]string{{"JournalEmailAddress", "Scope"}},
		skip:   nameSet("Name"), convert: convertJournalRule},
	transportService: {nouns: []string{"transportservice", "transportserver"}, types: []string{"TransportServer", "TransportService"},
		shapes: [][]string{{"MessageExpirationTimeout", "TransientFailureRetryInterval"}}, side: onPremisesSide,
		convert: convertTransportService},
	organizationRelationship: {nouns: []string{"organizationrelationship"}, types: []string{"OrganizationRelationship"},
		shapes:  [][]string{{"FreeBusyAccessEnabled", "TargetApplicationUri"}},
		convert: convertInformational(organizationRelationshipNote)},
	intraOrganizationConnector: {nouns: []string{"intraorganizationconnector"}, types: []string{"IntraOrganizationConnector"},
		shapes:  [][]string{{"TargetAddressDomains", "DiscoveryEndpoint"}},
		convert: convertInformational(intraOrganizationConnectorNote)},
	remoteDomain: {nouns: []string{"remotedomain"}, types: []string{"DomainContentConfig", "RemoteDomain"},
		shapes: [][]string{{"DomainName", "AutoForwardEnabled"}},
		skip:   remoteDomainSkip, unmodelled: remoteDomainUnmodelled, convert: convertRemoteDomain},
	dnsRecord: {nouns: []string{"resolvednsname", "dnsrecord", "mxrecord"},
		types:  []string{"DnsRecord", "DnsRecord_MX", "DnsRecord_SOA", "DnsRecord_A", "DnsRecord_AAAA", "DnsRecord_CNAME", "DnsRecord_NS", "DnsRecord_PTR", "DnsRecord_TXT", "DnsRecord_SRV"},
		shapes: [][]string{{"NameExchange", "Preference"}, {"Section", "DataLength", "TTL"}},
		skip:   dnsRecordSkip, convert: convertDNSRecord},
	exchangeServer: {nouns: []string{"exchangeserver"}, types: []string{"ExchangeServer"},
		shapes: [][]string{{"ServerRole", "Fqdn"}}, side: onPremisesSide,
		skip: exchangeServerSkip, convert: convertExchangeServer},
	edgeSubscription: {nouns: []string{"edgesubscription"}, types: []string{"EdgeSubscription"},
		shapes: [][]string{{"Site", "Domain"}}, side: onPremisesSide,
		skip: nameSet("Domain"), convert: convertEdgeSubscription},
	adSiteLink: {nouns: []string{"adsitelink"}, types: []string{"ADSiteLink"},
		shapes: [][]string{{"Sites", "ExchangeCost"}, {"Sites", "ADCost"}}, side: onPremisesSide,
		convert: convertAdSiteLink},
	transportConfig: {nouns: []string{"transportconfig"}, types: []string{"TransportConfigContainer"},
		shapes: [][]string{{"MaxRecipientEnvelopeLimit", "ExternalPostmasterAddress"}},
		skip:   transportConfigSkip, unmodelled: transportConfigUnmodelled, convert: convertTransportConfig},
	distributionGroup: {nouns: []string{"distributiongroup", "dynamicdistributiongroup"}, types: []string{"DistributionGroup", "DynamicDistributionGroup"},
		skip: groupSkip, unmodelled: groupUnmodelled, convert: convertRecipient},
	mailContact: {nouns: []string{"mailcontact", "mailpublicfolder"}, types: []string{"MailContact", "MailPublicFolder"},
		skip: contactSkip, unmodelled: deliveryUnmodelled, convert: convertRecipient},
	unifiedGroup: {nouns: []string{"unifiedgroup"}, types: []string{"UnifiedGroup"}, side: tenantSide,
		skip: unifiedGroupSkip, unmodelled: groupUnmodelled, convert: convertRecipient},
	recipientListing: {nouns: []string{"recipient"}, types: []string{"ReducedRecipient"},
		skip: listingSkip, unmodelled: deliveryUnmodelled, convert: convertRecipient},
	groupMember: {nouns: []string{"distributiongroupmember", "dynamicdistributiongroupmember", "unifiedgrouplinks"},
		convert: convertGroupMember},
}

// skipAll are the properties of every family skipped silently: identity
// and bookkeeping.
var skipAll = nameSet("Guid Identity DistinguishedName WhenChanged WhenCreated WhenChangedUTC WhenCreatedUTC " +
	"ObjectClass ObjectCategory OrganizationId ExchangeVersion Id OriginatingServer IsValid ObjectState " +
	"AdminDisplayName PSComputerName PSShowComputerName RunspaceId ExchangeObjectId OrganizationalUnitRoot " +
	// SerializationData is the .NET serialization of the whole object, a
	// copy of the properties beside it.
	"SerializationData")

// nameSet returns the set of the space-separated property names, lower
// case.
func nameSet(names string) map[string]bool {
	m := map[string]bool{}
	for n := range strings.FieldsSeq(names) {
		m[strings.ToLower(n)] = true
	}
	return m
}

// cmdletOfFile tells the cmdlet family by the file name:
// "GetSendConnector.json", "Get-SendConnector.xml", "SendConnector.json",
// possibly followed by more words.
func cmdletOfFile(name string) cmdlet {
	base := strings.ToLower(strings.TrimSuffix(name, path.Ext(name)))
	base = strings.NewReplacer("-", "", "_", "", " ", "").Replace(base)
	base = strings.TrimPrefix(base, "get")
	best, bestLen := unknownCmdlet, 0
	for c, fam := range families {
		for _, noun := range fam.nouns {
			if strings.HasPrefix(base, noun) && len(noun) > bestLen {
				best, bestLen = cmdlet(c), len(noun)
			}
		}
	}
	return best
}

// cmdletOf decides which cmdlet wrote r: its type names, then the file
// name, then its shape (a recipient's by its RecipientTypeDetails:
// [recipientCmdletOf]); but an object of a file named after a member
// listing, or with a column naming its group ([groupColumn]), is a
// group member whatever its type names.
func cmdletOf(f export, r *record) cmdlet {
	if _, column := groupColumn(r); f.cmdlet == groupMember || column {
		// Members are ReducedRecipient objects, as Get-Recipient's are
		// (selected ones too): the file name or the group column tells
		// them apart.
		return groupMember
	}
	if c := cmdletOfTypes(r.types); c != unknownCmdlet {
		return c
	}
	if f.cmdlet != unknownCmdlet {
		return f.cmdlet
	}
	if c := cmdletOfShape(r); c != recipient {
		return c
	}
	return recipientCmdletOf(r)
}

// cmdletOfTypes tells the cmdlet family by the first CLIXML type name
// that names one ("…SmtpSendConnectorConfig", with or without
// "Deserialized.").
func cmdletOfTypes(types []string) cmdlet {
	for _, t := range types {
		t = strings.TrimPrefix(t, "Deserialized.")
		if i := strings.LastIndexByte(t, '.'); i >= 0 {
			t = t[i+1:]
		}
		for c, fam := range families {
			if slices.Contains(fam.types, t) {
				return cmdlet(c)
			}
		}
	}
	return unknownCmdlet
}

// cmdletOfShape tells the cmdlet family by the properties r has, trying
// the families in order.
func cmdletOfShape(r *record) cmdlet {
	has := func(names []string) bool {
		for _, n := range names {
			if _, ok := r.get(n); !ok {
				return false
			}
		}
		return true
	}
	for c, fam := range families {
		if slices.ContainsFunc(fam.shapes, has) {
			return cmdlet(c)
		}
	}
	return unknownCmdlet
}
