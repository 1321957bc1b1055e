package exchange

import (
	"reflect"
	"strings"

	"github.com/mailflowsim/mailflow/topology"
)

// Get-ExchangeServer: the Is…Server Booleans repeat ServerRole;
// AdminDisplayVersion, Edition and the trial properties say which build
// and licence a server runs, which the topology does not hold; the rest
// is directory access, data paths, telemetry and mitigations.
var exchangeServerSkip = nameSet("AdminDisplayVersion Edition Domain DataPath ExchangeLegacyDN ExchangeLegacyServerRole " +
	"CustomerFeedbackEnabled InternetWebProxy InternetWebProxyBypassList IsHubTransportServer IsClientAccessServer " +
	"IsExchange2007OrLater IsEdgeServer IsMailboxServer IsE14OrLater IsE15OrLater IsE16OrLater IsProvisionedServer " +
	"IsUnifiedMessagingServer IsFrontendTransportServer IsMemberOfCluster NetworkAddress OrganizationalUnit " +
	"ErrorReportingEnabled MitigationsEnabled MitigationsApplied MitigationsBlocked StaticDomainControllers " +
	"StaticGlobalCatalogs StaticConfigDomainController StaticExcludedDomainControllers MonitoringGroup " +
	"CurrentDomainControllers CurrentGlobalCatalogs CurrentConfigDomainController ProductID IsExchangeTrialEdition " +
	"IsExpiredExchangeTrialEdition MailboxProvisioningAttributes RemainingTrialPeriod DataCollectionEnabled " +
	"ServerRoleNames VersionNumber MajorVersion MinorVersion")

// serverRoleNames are the ServerRole flags by value (Microsoft:
// "Exchange Server architecture" names the roles). Only the transport
// roles matter to the topology.
var serverRoleNames = map[string]int64{"None": 0, "Cafe": 1, "Mailbox": 2, "ClientAccess": 4, "UnifiedMessaging": 16,
	"HubTransport": 32, "Edge": 64, "Monitoring": 128, "CentralAdmin": 256, "CentralAdminDatabase": 512,
	"DomainController": 1024, "WindowsDeploymentServer": 2048, "ProvisionedServer": 4096, "LanguagePacks": 8192,
	"FrontendTransport": 16384, "CafeArray": 32768, "FfoWebService": 65536, "OSP": 131072, "ARR": 262144,
	"ManagementFrontEnd": 524288, "ManagementBackEnd": 1048576, "SCOM": 2097152, "CentralAdminFrontEnd": 4194304,
	"NAT": 8388608, "DHCP": 16777216}

// serverRoleFlags reads ServerRole, by names ("Mailbox, ClientAccess")
// or by number, into its flags; ok is false when it is absent or cannot
// be read (which is noted).
func (c *converter) serverRoleFlags() (flags int64, ok bool) {
	v, present := c.take("ServerRole")
	if !present || v.empty() {
		return 0, false
	}
	if n, isNum := v.integer(); isNum && (v.kind != objectValue || v.text == "") {
		if n >= 0 && n < 1<<25 && n&8 == 0 {
			return n, true
		}
		c.bad("ServerRole", v, "a combination of server roles")
		return 0, false
	}
	list, _ := v.strs()
	for _, s := range list {
		for part := range strings.SplitSeq(s, ",") {
			bit, known := lookupFold(serverRoleNames, strings.TrimSpace(part))
			if !known {
				c.bad("ServerRole", v, "a combination of server roles")
				return 0, false
			}
			flags |= bit
		}
	}
	return flags, len(list) > 0
}

// lookupFold looks name up in m ignoring case.
func lookupFold(m map[string]int64, name string) (int64, bool) {
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return 0, false
}

// declaredServer is a server as Get-ExchangeServer declares it.
type declaredServer struct {
	spec topology.ServerSpec
	// site is the Site in the export, kept for an Edge Transport server,
	// which the topology places by its subscription instead.
	site string
}

// convertExchangeServer reads a Get-ExchangeServer object: Name, Fqdn,
// ServerRole and the name of its Active Directory Site
// (docs/behaviour.md#l70-servers-from-get-exchangeserver). A server
// without a transport role is dropped with a note.
func convertExchangeServer(c *converter) any {
	var d declaredServer
	if v, ok := c.take("Name"); ok {
		d.spec.Name, _ = v.str()
	}
	if v, ok := c.take("Fqdn"); ok {
		d.spec.Fqdn, _ = v.str()
	}
	if v, ok := c.take("Site"); ok {
		if s, ok := v.str(); ok {
			d.site = siteName(s)
		} else if !v.empty() {
			c.bad("Site", v, "an Active Directory site")
		}
	}
	v, _ := c.rec.get("ServerRole")
	flags, read := c.serverRoleFlags()
	c.rest(reflect.Value{})
	role, ok := serverRole(flags)
	switch {
	case strings.TrimSpace(d.spec.Name) == "":
		c.drop("Name", "not imported: a server without a name")
		return nil
	case !read:
		if v.empty() {
			c.drop("ServerRole", "not imported: the server's ServerRole is not in the export")
		}
		return nil
	case !ok:
		c.note("ServerRole", "not imported: the server has no transport role (Mailbox, HubTransport, ClientAccess or Edge)", v)
		return nil
	}
	d.spec.Role = role
	if role == topology.Edge {
		if d.site != "" {
			c.note("Site", "not imported: an Edge Transport server is not domain-joined; Get-EdgeSubscription names the site it is subscribed to", value{kind: stringValue, text: d.site})
		}
	} else {
		d.spec.Site = d.site
	}
	return d
}

// drop notes that the object is not imported, for want of prop.
func (c *converter) drop(prop, message string) {
	*c.notes = append(*c.notes, note{file: c.rec.file, index: c.rec.index, path: c.rec.path(), prop: prop, message: message})
}

// serverRole maps the ServerRole flags to the topology's role: Edge
// for an Edge Transport server; Mailbox for a server that runs the
// Transport service (Mailbox, or an Exchange 2010 Hub Transport server);
// ClientAccess for an Exchange 2013 Client Access server, which runs Front
// End Transport only. ok is false for a server with none of these roles.
func serverRole(flags int64) (role topology.ServerRole, ok bool) {
	switch {
	case flags&64 != 0: // Edge
		return topology.Edge, true
	case flags&(2|32) != 0: // Mailbox, HubTransport
		return topology.Mailbox, true
	case flags&(4|1|16384) != 0: // ClientAccess, Cafe, FrontendTransport
		return topology.ClientAccess, true
	}
	return "", false
}

// siteName returns the name of an Active Directory site as exports show
// it: "contoso.com/Configuration/Sites/Paris" (an ADObjectId's text),
// "CN=Paris,CN=Sites,CN=Configuration,DC=contoso,DC=com" or "Paris".
func siteName(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 3 && strings.EqualFold(s[:3], "CN=") {
		s, _, _ = strings.Cut(s[3:], ",")
		return strings.TrimSpace(s)
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}

// siteEntry is [siteName] for [converter.list].
func siteEntry(s string) (string, bool) { s = siteName(s); return s, s != "" }

// convertEdgeSubscription reads a Get-EdgeSubscription object into a
// [topology.EdgeSubscription]: the Edge Transport server's Name and the
// Site it is subscribed to (Microsoft: "Edge Subscriptions"). Domain, the
// Active Directory domain, is skipped.
func convertEdgeSubscription(c *converter) any {
	var e topology.EdgeSubscription
	if v, ok := c.take("Name"); ok {
		e.Name, _ = v.str()
	}
	if v, ok := c.take("Site"); ok {
		if s, ok := v.str(); ok {
			e.Site = siteName(s)
		} else if !v.empty() {
			c.bad("Site", v, "an Active Directory site")
		}
	}
	c.rest(reflect.Value{})
	if strings.TrimSpace(e.Name) == "" {
		c.drop("Name", "not imported: an Edge subscription without a server name")
		return nil
	}
	return e
}

// convertAdSiteLink reads a Get-AdSiteLink object into a
// [topology.ADSiteLink] (Microsoft: "Get-AdSiteLink", "Set-AdSiteLink"):
// ADCost is the Active Directory cost; Cost, the cost Exchange uses
// (ExchangeCost when set, else ADCost), stands for it only when ADCost is
// absent. A MaxMessageSize other than Unlimited is reported.
func convertAdSiteLink(c *converter) any {
	var l topology.ADSiteLink
	if v, ok := c.take("Name"); ok {
		l.Name, _ = v.str()
	}
	l.Sites = c.list("Sites", siteEntry, "an Active Directory site")
	adCost, ok := c.take("ADCost")
	cost, _ := c.take("Cost")
	if !ok || adCost.kind == nullValue {
		adCost = cost
	}
	l.Cost = c.cost("ADCost", adCost)
	exchangeCost, _ := c.take("ExchangeCost")
	l.ExchangeCost = c.cost("ExchangeCost", exchangeCost)
	// MaxMessageSize "Unlimited", the default, sets no limit.
	if v, ok := c.take("MaxMessageSize"); ok && !v.empty() {
		if s, _ := v.str(); !strings.EqualFold(s, "Unlimited") {
			c.note("MaxMessageSize", "not imported: not modelled by the simulator", v)
		}
	}
	c.rest(reflect.Value{})
	return l
}

// cost reads v, the value of prop, as a site link cost: 0 when null.
func (c *converter) cost(prop string, v value) int {
	if v.empty() {
		return 0
	}
	n, ok := v.integer()
	if !ok || n < 0 || n > 1<<31-1 {
		c.bad(prop, v, "a cost")
		return 0
	}
	return int(n)
}

// Get-TransportConfig (on-premises and Exchange Online): the topology
// holds none of its settings. Those that change where mail goes, whether
// it is delivered or what copies are made are reported; DSN wording,
// dumpster and shadow redundancy, diagnostics and limits on rule
// authoring are skipped.
var (
	transportConfigSkip = nameSet("ClearCategories ConvertDisclaimerWrapperToEml ConvertReportToMessage DSNConversionMode " +
		"ExternalDelayDsnEnabled ExternalDsnDefaultLanguage ExternalDsnLanguageDetectionEnabled ExternalDsnMaxMessageAttachSize " +
		"ExternalDsnReportingAuthority ExternalDsnSendHtml InternalDelayDsnEnabled InternalDsnDefaultLanguage " +
		"InternalDsnLanguageDetectionEnabled InternalDsnMaxMessageAttachSize InternalDsnReportingAuthority InternalDsnSendHtml " +
		"HeaderPromotionModeSetting HygieneSuite MaxDumpsterSizePerDatabase MaxDumpsterSizePerStorageGroup MaxDumpsterTime " +
		"MaxRetriesForLocalSiteShadow MaxRetriesForRemoteSiteShadow MigrationEnabled QueueDiagnosticsAggregationInterval " +
		"DiagnosticsAggregationServicePort Rfc2231EncodingEnabled SafetyNetHoldTime ShadowHeartbeatFrequency " +
		"ShadowMessageAutoDiscardInterval ShadowMessagePreferenceSetting ShadowRedundancyEnabled ShadowResubmitTimeSpan " +
		"SupervisionTags TransportRuleAttachmentTextScanLimit TransportRuleCollectionAddedRecipientsLimit " +
		"TransportRuleCollectionRegexCharsLimit TransportRuleLimit TransportRuleMinProductVersion TransportRuleSizeLimit " +
		"TransportRuleRegexValidationTimeout TransportRuleConfig VerifySecureSubmitEnabled Xexch50Enabled " +
		"JournalMessageExpirationDays AnonymousSenderToRecipientRatePerHour WritingBrandingInDSNEnabled Name")
	transportConfigUnmodelled = nameSet("MaxReceiveSize MaxSendSize MaxRecipientEnvelopeLimit ExternalPostmasterAddress " +
		"GenerateCopyOfDSNFor JournalingReportNdrTo JournalArchivingEnabled JournalReportDLMemberSubstitutionEnabled LegacyJournalingMigrationEnabled " +
		"LegacyArchiveJournalingEnabled LegacyArchiveLiveJournalingEnabled RedirectUnprovisionedUserMessagesForLegacyArchiveJournaling " +
		"RedirectDLMessagesForLegacyArchiveJournaling VoicemailJournalingEnabled PreventDuplicateJournalingEnabled " +
		"InternalSMTPServers TLSReceiveDomainSecureList TLSSendDomainSecureList OpenDomainRoutingEnabled " +
		"AddressBookPolicyRoutingEnabled RejectMessageOnShadowFailure " +
		"AgentGeneratedMessageLoopDetectionInSmtpEnabled AgentGeneratedMessageLoopDetectionInSubmissionEnabled " +
		"MaxAllowedAgentGeneratedMessageDepth MaxAllowedAgentGeneratedMessageDepthPerAgent SmtpClientAuthenticationDisabled " +
		"AllowLegacyTLSClients MessageExpiration ReplyAllStormProtectionEnabled ReplyAllStormDetectionMinimumRecipients " +
		"ReplyAllStormDetectionMinimumReplies ReplyAllStormBlockDurationHours")
)

// convertTransportConfig reads nothing of a Get-TransportConfig object:
// it reports the settings that change routing, which the simulator does
// not model, and drops the object.
func convertTransportConfig(c *converter) any {
	c.rest(reflect.Value{})
	return nil
}
