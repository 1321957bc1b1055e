package repotest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// accepted says, for every field of topology.Spec and of the topology file
// format (scenario.File), what the library does with a value given there
// ("Everything accepted is honoured, refused, or documented as
// informational"). An entry is one of:
//
//   - "honoured: <file>: <what reads it>": the file reads the field
//     (it contains ".<Field>");
//   - "refused: <file>: <when>": Build or Load refuses values other than
//     the default, in that file (it names the field in quotes);
//   - "informational": the field changes nothing, and its doc comment says
//     so with the word "Informational".
//
// Fields honoured for some values are honoured; the validation of the
// others is in Build, Load or a connector's Validate.
var accepted = map[string]string{
	// scenario.File and its messages.
	"scenario.File.Description": "informational",
	"scenario.File.Settings":    "honoured: scenario/expect.go: File.Run carries them into every Run",
	"scenario.File.Spec":        "honoured: scenario/file.go: Load builds it",
	"scenario.File.Messages":    "honoured: scenario/expect.go: File.Run traces them",

	"scenario.FileMessage.Name":    "honoured: scenario/expect.go: File.Run names the flow by it",
	"scenario.FileMessage.Message": "honoured: scenario/expect.go: File.Run traces it",
	"scenario.FileMessage.Expect":  "honoured: scenario/expect.go: File.Run checks it",

	"route.Message.From":        "honoured: route/engine.go: check and the origin; the sender every stage reads",
	"route.Message.To":          "honoured: route/engine.go: check; the recipients",
	"route.Message.Origin":      "honoured: route/engine.go: check; where the message enters",
	"route.Message.Size":        "honoured: route/onprem.go: Send connector MaxMessageSize",
	"route.Message.Headers":     "honoured: route/engine.go: the headers mail flow rules read and change",
	"route.Message.SCL":         "honoured: route/online.go: the content filter's verdict",
	"route.Message.SourceIP":    "honoured: route/engine.go: the address of the first connection",
	"route.Message.Subject":     "honoured: route/rules.go: SubjectContainsWords, SubjectOrBodyContainsWords",
	"route.Message.Body":        "honoured: route/rules.go: SubjectOrBodyContainsWords",
	"route.Message.Attachments": "honoured: route/rules.go: attachment conditions",
	"route.Header.Name":         "honoured: route/rules.go: HeaderContainsMessageHeader, SetHeaderName, RemoveHeader",
	"route.Header.Value":        "honoured: route/rules.go: HeaderContainsWords",

	"scenario.Expect.Source":     "informational",
	"scenario.Expect.Recipients": "honoured: scenario/expect.go: Expect.Check",
	"scenario.Expect.Copies":     "honoured: scenario/expect.go: Expect.Check; Load refuses a negative one",
	"scenario.Expect.Splits":     "honoured: scenario/expect.go: Expect.Check",
	"scenario.Expect.NoLoop":     "honoured: scenario/expect.go: Expect.Check",

	"scenario.SplitExpect.Node":   "honoured: scenario/expect.go: Expect.Check; Load refuses an empty one",
	"scenario.SplitExpect.Hop":    "honoured: scenario/expect.go: Expect.Check; Load refuses a negative one",
	"scenario.SplitExpect.Copies": "honoured: scenario/expect.go: Expect.Check; Load refuses one below 1",

	"scenario.RecipientExpect.Disposition":      "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.RecipientExpect.Status":           "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.RecipientExpect.Folder":           "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.RecipientExpect.Hops":             "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.RecipientExpect.Path":             "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.RecipientExpect.Avoid":            "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.RecipientExpect.Connector":        "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.RecipientExpect.InboundConnector": "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.RecipientExpect.Rule":             "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.RecipientExpect.NotRules":         "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.RecipientExpect.At":               "honoured: scenario/expect.go: RecipientExpect.check",

	"scenario.HopExpect.Step":             "honoured: scenario/expect.go: the hops an At entry applies to",
	"scenario.HopExpect.AuthAs":           "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.HopExpect.Directionality":   "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.HopExpect.TLS":              "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.HopExpect.Connector":        "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.HopExpect.InboundConnector": "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.HopExpect.Stages":           "honoured: scenario/expect.go: RecipientExpect.check",
	"scenario.HopExpect.Authentication":   "honoured: scenario/expect.go: RecipientExpect.check",

	// topology.Spec.
	"topology.Spec.Tenants":    "honoured: topology/build.go: Build",
	"topology.Spec.OnPremises": "honoured: topology/build.go: Build",
	"topology.Spec.External":   "honoured: topology/build.go: Build",
	"topology.Spec.MXRecords":  "honoured: topology/build.go: builder.mxRecords",
	"topology.Spec.DNSRecords": "honoured: topology/build.go: builder.dnsRecords; route/online.go: authenticate",
	"topology.Spec.Hybrid":     "honoured: topology/build.go: builder.hybrids",

	"topology.TenantSpec.Name":                         "honoured: topology/build.go: builder.tenant: node IDs and onmicrosoft.com domains",
	"topology.TenantSpec.AcceptedDomains":              "honoured: topology/build.go: builder.acceptedDomains",
	"topology.TenantSpec.Recipients":                   "honoured: topology/build.go: builder.directory",
	"topology.TenantSpec.InboundConnectors":            "honoured: topology/build.go: builder.tenant, connector.CompileInbound",
	"topology.TenantSpec.OutboundConnectors":           "honoured: topology/build.go: builder.tenant, connector.NewOutboundTable",
	"topology.TenantSpec.TransportRules":               "honoured: topology/build.go: builder.tenant; route/rules.go applies them",
	"topology.TenantSpec.JournalRules":                 "honoured: topology/build.go: builder.tenant; route/rules.go journals",
	"topology.TenantSpec.HostedConnectionFilterPolicy": "honoured: topology/build.go: builder.tenant; route/online.go connection filtering",
	"topology.TenantSpec.HostedContentFilterPolicy":    "honoured: topology/build.go: builder.tenant; route/online.go anti-spam action",
	"topology.TenantSpec.RemoteDomains":                "honoured: topology/build.go: builder.tenant; route/online.go remoteDomainDeletes",
	"topology.TenantSpec.AntiPhishPolicy":              "honoured: topology/build.go: Tenant.AntiPhish",
	"topology.AntiPhishPolicy.HonorDmarcPolicy":        "honoured: route/online.go: dmarcAction",
	"topology.AntiPhishPolicy.DmarcRejectAction":       "honoured: route/online.go: dmarcAction; Build refuses other values",
	"topology.AntiPhishPolicy.DmarcQuarantineAction":   "honoured: route/online.go: dmarcAction; Build refuses other values",
	"topology.TenantSpec.AutoForwardingMode":           "honoured: topology/build.go: Tenant.ExternalForwardingAllowed; route/online.go forward",
	"topology.TenantSpec.RejectDirectSend":             "honoured: route/online.go: direct send rejection",
	"topology.TenantSpec.OutboundConnectorSelection":   "honoured: topology/build.go: connector.NewOutboundTable",
	"topology.TenantSpec.HopLimit":                     "honoured: topology/build.go: Tenant.HopLimit; route/online.go loop detection",

	"topology.OnPremisesSpec.Name":                                     "honoured: topology/build.go: builder.onPremises: node IDs",
	"topology.OnPremisesSpec.AcceptedDomains":                          "honoured: topology/build.go: builder.acceptedDomains",
	"topology.OnPremisesSpec.Servers":                                  "honoured: topology/build.go: builder.server",
	"topology.OnPremisesSpec.Recipients":                               "honoured: topology/build.go: builder.directory",
	"topology.OnPremisesSpec.SendConnectors":                           "honoured: topology/build.go: builder.onPremises, connector.NewSendTable",
	"topology.OnPremisesSpec.ReceiveConnectors":                        "honoured: topology/build.go: builder.onPremises; route/onprem.go SelectReceive",
	"topology.OnPremisesSpec.TransportRules":                           "honoured: topology/build.go: builder.onPremises; route/rules.go applies them",
	"topology.OnPremisesSpec.JournalRules":                             "honoured: topology/build.go: builder.onPremises; route/rules.go journals",
	"topology.OnPremisesSpec.RemoteDomains":                            "honoured: topology/build.go: builder.onPremises; route/onprem.go forwarding",
	"topology.OnPremisesSpec.AddressRewriteEntries":                    "honoured: topology/build.go: OnPremises.RewriteSender; route/onprem.go",
	"topology.OnPremisesSpec.MaxHopCount":                              "honoured: topology/build.go: OnPremises.MaxHopCount; route/onprem.go loop detection",
	"topology.OnPremisesSpec.MaxLocalHopCount":                         "honoured: topology/build.go: OnPremises.MaxLocalHopCount; route/onprem.go loop detection",
	"topology.OnPremisesSpec.ADSiteLinks":                              "honoured: topology/sites.go: builder.siteLinks, OnPremises.SiteCost; Send connector selection",
	"topology.OnPremisesSpec.EdgeSubscriptions":                        "honoured: topology/edge.go: builder.edgeSubscriptions: the EdgeSync Send connectors",
	"topology.OnPremisesSpec.TransportService":                         "honoured: topology/build.go: builder.queues, read by route/retry.go",
	"topology.TransportService.MessageExpirationTimeout":               "honoured: topology/timespan.go: Queues, read by route/retry.go",
	"topology.TransportService.TransientFailureRetryInterval":          "honoured: topology/timespan.go: Queues, read by route/retry.go",
	"topology.TransportService.OutboundConnectionFailureRetryInterval": "honoured: topology/timespan.go: Queues, read by route/retry.go",
	"topology.TransportService.DelayNotificationTimeout":               "honoured: topology/timespan.go: Queues, read by route/retry.go",
	"topology.TransportService.TransientFailureRetryCount":             "honoured: topology/timespan.go: Queues, read by route/retry.go",
	"topology.EdgeSubscription.Name":                                   "honoured: topology/edge.go: builder.edgeSubscriptions: the Edge server",
	"topology.EdgeSubscription.Site":                                   "honoured: topology/edge.go: builder.edgeSubscriptions: the site and its Mailbox servers",
	"connector.Send.IsScopedConnector":                                 "honoured: topology/edge.go: OnPremises.reach: usable from the source servers' site only",
	"topology.ADSiteLink.Name":                                         "honoured: topology/sites.go: builder.siteLinks: duplicates refused; object names",
	"topology.ADSiteLink.Sites":                                        "honoured: topology/sites.go: builder.siteLinks: the sites joined",
	"topology.ADSiteLink.Cost":                                         "honoured: topology/sites.go: ADSiteLink.LinkCost",
	"topology.ADSiteLink.ExchangeCost":                                 "honoured: topology/sites.go: ADSiteLink.LinkCost replaces Cost",

	"topology.ServerSpec.Name":            "honoured: topology/build.go: builder.server: node ID, Recipient.Server, SourceTransportServers",
	"topology.ServerSpec.Role":            "honoured: topology/build.go: builder.server: RoleOnPremFrontEnd; route/onprem.go",
	"topology.ServerSpec.Site":            "honoured: topology/sites.go: OnPremises.ServerSite, Node.Site; Send connector selection",
	"topology.ServerSpec.Fqdn":            "honoured: topology/build.go: builder.server: host name and default certificate",
	"topology.ServerSpec.Hosts":           "honoured: topology/build.go: builder.server: host names",
	"topology.ServerSpec.IPAddress":       "honoured: topology/build.go: Node.IPAddress; route/engine.go",
	"topology.ServerSpec.Certificate":     "honoured: topology/build.go: builder.certificate; route/tls.go",
	"topology.ServerSpec.Offline":         "honoured: topology/build.go: Node.Offline; route/online.go",
	"topology.ServerSpec.MessagesPerHour": "honoured: topology/build.go: Node.MessagesPerHour; route/online.go greylisting; Build refuses a negative one",

	"topology.Certificate.CertificateDomains": "honoured: topology/build.go: builder.certificate; route/tls.go name matching",
	"topology.Certificate.IsSelfSigned":       "honoured: route/tls.go: CertificateValidation",
	"topology.Certificate.Status":             "honoured: route/tls.go: CertificateValidation",

	"topology.ExternalSpec.Name":            "honoured: topology/build.go: builder.external: node ID",
	"topology.ExternalSpec.Kind":            "honoured: topology/build.go: builder.external: node kind and role",
	"topology.ExternalSpec.Domains":         "honoured: topology/build.go: builder.external; Topology.ExternalSystem picks the origin",
	"topology.ExternalSpec.Hosts":           "honoured: topology/build.go: builder.external: host names",
	"topology.ExternalSpec.IPAddress":       "honoured: topology/build.go: Node.IPAddress; route/engine.go",
	"topology.ExternalSpec.Certificate":     "honoured: topology/build.go: builder.certificate; route/tls.go",
	"topology.ExternalSpec.StartTLS":        "honoured: topology/build.go: Node.StartTLS; route/engine.go",
	"topology.ExternalSpec.Offline":         "honoured: topology/build.go: Node.Offline; route/engine.go",
	"topology.ExternalSpec.MessagesPerHour": "honoured: topology/build.go: Node.MessagesPerHour; route/online.go greylisting; Build refuses a negative one",
	"topology.ExternalSpec.SmartHost":       "honoured: topology/build.go: Node.SmartHost; route/engine.go",
	"topology.ExternalSpec.AuthenticatedAs": "honoured: route/online.go: client submission",
	"topology.ExternalSpec.Transparent":     "honoured: topology/build.go: Node.Transparent; route/engine.go",

	// What an Appliance that processes SMTP does to the message (an email
	// add-on service).
	"topology.ExternalSpec.AddsHeaders":              "honoured: topology/service.go: Node.AddsHeaders; route/addon.go stamps them",
	"topology.ExternalSpec.RemovesHeaders":           "honoured: topology/service.go: Node.RemovesHeaders; route/addon.go removes them",
	"topology.ExternalSpec.KeepsOrganizationHeaders": "honoured: topology/service.go: Node.KeepsOrganizationHeaders; route/addon.go keeps the attribution",
	"topology.TenantSpec.DkimSigningConfig":          "honoured: topology/build.go: ts.DkimSigningConfig; route/online.go signs at EOP outbound",
	"topology.DkimSigningConfig.Domain":              "honoured: topology/rules.go: Tenant.DkimSigner (d=); Build refuses a domain that is not accepted",
	"topology.DkimSigningConfig.Enabled":             "honoured: topology/rules.go: Tenant.DkimSigner signs with the domain only when enabled",
	"topology.TenantSpec.ArcTrustedSealers":          "honoured: topology/build.go: ts.ArcTrustedSealers; route/online.go overrides a DMARC failure",
	"topology.ExternalSpec.ArcSealingDomain":         "honoured: topology/service.go: Node.ArcSealingDomain; route/addon.go seals",
	"topology.OnPremisesSpec.DkimSigningDomain":      "honoured: topology/build.go: os.DkimSigningDomain; route/engine.go signs what the organization submits",
	"topology.OnPremisesSpec.DkimSelector":           "honoured: topology/build.go: os.DkimSelector; route/auth/dkim.go reads its key record",
	"topology.ExternalSpec.ModifiesBody":             "honoured: topology/service.go: Node.ModifiesBody; route/addon.go breaks the DKIM signature",
	"topology.ExternalSpec.DkimSigningDomain":        "honoured: topology/service.go: Node.DkimSigningDomain; route/engine.go and route/addon.go sign, route/online.go checks DKIM",
	"topology.ExternalSpec.DkimSelector":             "honoured: topology/service.go: Node.DkimSelector; route/auth/dkim.go reads its key record",
	"topology.ExternalSpec.RewritesSenderTo":         "honoured: topology/service.go: Node.RewritesSenderTo; route/addon.go rewrites MAIL FROM",
	"topology.Header.Name":                           "honoured: topology/service.go: builder.service checks it; route/addon.go",
	"topology.Header.Value":                          "honoured: topology/service.go: builder.service checks it; route/addon.go",

	"dns.Record.Name":      "honoured: topology/dns/zone.go: NewZone; Resolver answers for it",
	"dns.Record.Type":      "honoured: topology/dns/zone.go: NewZone; Build refuses types other than TXT, A and AAAA",
	"dns.Record.Strings":   "honoured: topology/dns/zone.go: Resolver.LookupTXT; Build refuses bad strings",
	"dns.Record.IPAddress": "honoured: topology/dns/zone.go: Resolver.LookupIPAddr; Build refuses a bad address",
	"dns.Record.Failing":   "honoured: topology/dns/zone.go: Resolver answers SERVFAIL",

	"topology.MXRecord.Domain":       "honoured: topology/build.go: builder.mxRecords",
	"topology.MXRecord.Preference":   "honoured: topology/build.go: builder.mxRecords order; route/engine.go",
	"topology.MXRecord.NameExchange": "honoured: topology/build.go: builder.mxRecords; route/engine.go",

	"topology.AcceptedDomain.DomainName":      "honoured: topology/build.go: builder.acceptedDomains",
	"topology.AcceptedDomain.DomainType":      "honoured: route/online.go: DBEB, relay of unknown recipients",
	"topology.AcceptedDomain.MatchSubDomains": "honoured: topology/topology.go: domains.lookup and TenantAccepting cover the subdomains",

	"topology.Recipient.Name":                               "informational",
	"topology.Recipient.RecipientTypeDetails":               "honoured: route/online.go: recipient resolution",
	"topology.Recipient.PrimarySmtpAddress":                 "honoured: topology/build.go: builder.directory; route/online.go",
	"topology.Recipient.EmailAddresses":                     "honoured: topology/build.go: builder.directory: proxy addresses",
	"topology.Recipient.RemoteRoutingAddress":               "honoured: route/online.go: RemoteUserMailbox target",
	"topology.Recipient.ExternalEmailAddress":               "honoured: route/online.go: MailUser and MailContact target",
	"topology.Recipient.Server":                             "honoured: route/onprem.go: the mailbox's server",
	"topology.Recipient.Department":                         "honoured: topology/rules.go: Recipient.ADAttribute; route/rules.go",
	"topology.Recipient.Company":                            "honoured: topology/rules.go: Recipient.ADAttribute; route/rules.go",
	"topology.Recipient.City":                               "honoured: topology/rules.go: Recipient.ADAttribute; route/rules.go",
	"topology.Recipient.Office":                             "honoured: topology/rules.go: Recipient.ADAttribute; route/rules.go",
	"topology.Recipient.Title":                              "honoured: topology/rules.go: Recipient.ADAttribute; route/rules.go",
	"topology.Recipient.Members":                            "honoured: route/online.go: expand; Build refuses a member in an accepted domain that names no recipient",
	"topology.Recipient.RequireSenderAuthenticationEnabled": "honoured: route/online.go: recipient resolution",
	"topology.Recipient.ForwardingAddress":                  "honoured: topology/spec.go: Recipient.Forwarding, read by both categorizers",
	"topology.Recipient.ForwardingSmtpAddress":              "honoured: topology/spec.go: Recipient.Forwarding, unless ForwardingAddress is set",
	"topology.Recipient.DeliverToMailboxAndForward":         "honoured: route/online.go: forward",

	"topology.HybridConfiguration.Tenant":                    "honoured: topology/build.go: builder.hybrids",
	"topology.HybridConfiguration.OnPremises":                "honoured: topology/build.go: builder.hybrids",
	"topology.HybridConfiguration.Domains":                   "honoured: topology/build.go: builder.hybrids: the outbound connector's RecipientDomains",
	"topology.HybridConfiguration.OnPremisesSmartHost":       "honoured: topology/build.go: builder.hybrids: the outbound connector's SmartHosts",
	"topology.HybridConfiguration.TlsCertificateName":        "honoured: topology/build.go: builder.hybrids: the connectors' certificate names",
	"topology.HybridConfiguration.SendingTransportServers":   "honoured: topology/build.go: builder.hybrids: the Send connector's SourceTransportServers",
	"topology.HybridConfiguration.ReceivingTransportServers": "honoured: topology/build.go: builder.hybrids: OnPremises.AcceptsCloudServicesMail",
	"topology.HybridConfiguration.EdgeTransportServers":      "honoured: topology/edge.go: builder.hybridEdges: the Send connector's source servers and the receiving servers",
	"topology.HybridConfiguration.Features":                  "honoured: topology/build.go: builder.hybrids: CentralizedTransport; the others are informational, unknown ones refused",
	"topology.HybridConfiguration.DirectorySynchronization":  "honoured: topology/build.go: builder.hybrids: builder.synchronize derives each side's objects",

	"topology.TransportRule.Name":                            "honoured: route/rules.go: trace reasons and Expect.Rule",
	"topology.TransportRule.Priority":                        "honoured: topology/rules.go: sortRules",
	"topology.TransportRule.State":                           "honoured: topology/rules.go: TransportRule.IsEnabled; route/rules.go",
	"topology.TransportRule.Mode":                            "honoured: route/rules.go: audit modes only log",
	"topology.TransportRule.Conditions":                      "honoured: route/rules.go: applies",
	"topology.TransportRule.ExceptIf":                        "honoured: route/rules.go: applies",
	"topology.TransportRule.RouteMessageOutboundConnector":   "honoured: route/rules.go",
	"topology.TransportRule.RouteMessageOutboundRequireTls":  "honoured: route/rules.go",
	"topology.TransportRule.RedirectMessageTo":               "honoured: route/rules.go",
	"topology.TransportRule.AddToRecipients":                 "honoured: route/rules.go",
	"topology.TransportRule.CopyTo":                          "honoured: route/rules.go",
	"topology.TransportRule.BlindCopyTo":                     "honoured: route/rules.go",
	"topology.TransportRule.RejectMessageReasonText":         "honoured: topology/rules.go: TransportRule.RejectStatus; route/rules.go",
	"topology.TransportRule.RejectMessageEnhancedStatusCode": "honoured: topology/rules.go: TransportRule.RejectStatus; route/rules.go",
	"topology.TransportRule.DeleteMessage":                   "honoured: route/rules.go",
	"topology.TransportRule.Quarantine":                      "honoured: route/rules.go",
	"topology.TransportRule.SetSCL":                          "honoured: route/rules.go",
	"topology.TransportRule.SetHeaderName":                   "honoured: route/rules.go",
	"topology.TransportRule.SetHeaderValue":                  "honoured: route/rules.go",
	"topology.TransportRule.RemoveHeader":                    "honoured: route/rules.go",
	"topology.TransportRule.StopRuleProcessing":              "honoured: route/rules.go",
	"topology.TransportRule.Comments":                        "informational",

	"topology.Predicates.FromScope":                         "honoured: route/rules.go",
	"topology.Predicates.SentToScope":                       "honoured: route/rules.go",
	"topology.Predicates.From":                              "honoured: route/rules.go",
	"topology.Predicates.SentTo":                            "honoured: route/rules.go",
	"topology.Predicates.SenderDomainIs":                    "honoured: route/rules.go",
	"topology.Predicates.RecipientDomainIs":                 "honoured: route/rules.go",
	"topology.Predicates.SenderIpRanges":                    "honoured: route/rules.go",
	"topology.Predicates.FromMemberOf":                      "honoured: route/rules.go",
	"topology.Predicates.SentToMemberOf":                    "honoured: route/rules.go",
	"topology.Predicates.SenderADAttributeContainsWords":    "honoured: route/rules.go",
	"topology.Predicates.RecipientADAttributeContainsWords": "honoured: route/rules.go",
	"topology.Predicates.HeaderContainsMessageHeader":       "honoured: route/rules.go",
	"topology.Predicates.HeaderContainsWords":               "honoured: route/rules.go",
	"topology.Predicates.HeaderMatchesMessageHeader":        "honoured: route/rules.go",
	"topology.Predicates.HeaderMatchesPatterns":             "honoured: route/rules.go",
	"topology.Predicates.SubjectMatchesPatterns":            "honoured: route/rules.go",
	"topology.Predicates.SubjectOrBodyMatchesPatterns":      "honoured: route/rules.go",
	"topology.TransportRule.SenderAddressLocation":          "honoured: route/rules.go: ruleSenders",
	"topology.Predicates.SubjectContainsWords":              "honoured: route/rules.go",
	"topology.Predicates.SubjectOrBodyContainsWords":        "honoured: route/rules.go",
	"topology.Predicates.AttachmentNameMatchesPatterns":     "honoured: route/rules.go",
	"topology.Predicates.AttachmentExtensionMatchesWords":   "honoured: route/rules.go",

	"topology.JournalRule.Name":                "honoured: route/rules.go: trace reasons",
	"topology.JournalRule.JournalEmailAddress": "honoured: route/rules.go: the journal report's recipient",
	"topology.JournalRule.Scope":               "honoured: route/rules.go",
	"topology.JournalRule.Recipient":           "honoured: route/rules.go",
	"topology.JournalRule.Enabled":             "honoured: route/rules.go",

	"topology.ConnectionFilterPolicy.IPAllowList":    "honoured: topology/rules.go: Tenant.IPAllowListed; route/online.go",
	"topology.ConnectionFilterPolicy.IPBlockList":    "honoured: topology/rules.go: Tenant.IPBlockListed; route/online.go",
	"topology.ConnectionFilterPolicy.EnableSafeList": "informational",

	"topology.ContentFilterPolicy.SpamAction":               "honoured: topology/rules.go: ContentFilterPolicy.Action; route/online.go",
	"topology.ContentFilterPolicy.HighConfidenceSpamAction": "honoured: topology/rules.go: ContentFilterPolicy.Action; route/online.go",

	"topology.AddressRewriteEntry.Name":            "honoured: route/onprem.go: trace reasons",
	"topology.AddressRewriteEntry.InternalAddress": "honoured: topology/rules.go: AddressRewriteEntry.Rewrite",
	"topology.AddressRewriteEntry.ExternalAddress": "honoured: topology/rules.go: AddressRewriteEntry.Rewrite",
	"topology.AddressRewriteEntry.OutboundOnly":    "informational",

	// Connectors.
	"connector.Inbound.Name":                         "honoured: connector/attribution.go: attribution ties and trace reasons",
	"connector.Inbound.ConnectorType":                "honoured: connector/attribution.go",
	"connector.Inbound.SenderDomains":                "honoured: connector/attribution.go",
	"connector.Inbound.SenderIPAddresses":            "honoured: connector/attribution.go",
	"connector.Inbound.RestrictDomainsToIPAddresses": "honoured: connector/attribution.go",
	"connector.Inbound.RestrictDomainsToCertificate": "honoured: connector/attribution.go",
	"connector.Inbound.RequireTls":                   "honoured: connector/inbound.go: Inbound.TLSRequired; route/online.go",
	"connector.Inbound.TlsSenderCertificateName":     "honoured: connector/attribution.go",
	"connector.Inbound.TreatMessagesAsInternal":      "honoured: route/online.go",
	"connector.Inbound.CloudServicesMailEnabled":     "honoured: route/online.go: cross-premises headers",
	"connector.Inbound.EFSkipLastIP":                 "honoured: route/online.go: Enhanced Filtering",
	"connector.Inbound.EFSkipIPs":                    "honoured: route/online.go: Enhanced Filtering",
	"connector.Inbound.EFUsers":                      "honoured: route/online.go: Enhanced Filtering",
	"connector.Inbound.AssociatedAcceptedDomains":    "honoured: connector/attribution.go",
	"connector.Inbound.ConnectorSource":              "informational",
	"connector.Inbound.Enabled":                      "honoured: connector/inbound.go: Inbound.IsEnabled",
	"connector.Inbound.Comment":                      "informational",

	"connector.Outbound.Name":                          "honoured: connector/outbound.go: selection ties, RouteMessageOutboundConnector",
	"connector.Outbound.ConnectorType":                 "honoured: connector/outbound.go",
	"connector.Outbound.RecipientDomains":              "honoured: connector/outbound.go: selection",
	"connector.Outbound.AllAcceptedDomains":            "honoured: connector/outbound.go: selection",
	"connector.Outbound.UseMXRecord":                   "honoured: connector/outbound.go: Outbound.UsesMX",
	"connector.Outbound.SmartHosts":                    "honoured: route/online.go: smartHost",
	"connector.Outbound.TlsSettings":                   "honoured: route/online.go",
	"connector.Outbound.TlsDomain":                     "honoured: route/online.go",
	"connector.Outbound.IsTransportRuleScoped":         "honoured: connector/outbound.go: left out of selection",
	"connector.Outbound.RouteAllMessagesViaOnPremises": "honoured: topology/build.go: centralized mail transport",
	"connector.Outbound.CloudServicesMailEnabled":      "honoured: route/online.go: cross-premises headers",
	"connector.Outbound.ConnectorSource":               "informational",
	"connector.Outbound.Enabled":                       "honoured: connector/outbound.go: Outbound.IsEnabled",
	"connector.Outbound.Comment":                       "informational",

	"connector.Send.Name":                     "honoured: connector/send.go: selection ties and trace reasons",
	"connector.Send.AddressSpaces":            "honoured: connector/send.go: NewSendTable",
	"connector.Send.DNSRoutingEnabled":        "honoured: connector/send.go: Send.UsesDNS",
	"connector.Send.SmartHosts":               "honoured: route/onprem.go: smart host hop; Validate refuses \"--\"",
	"connector.Send.RequireTLS":               "honoured: route/onprem.go",
	"connector.Send.TlsAuthLevel":             "honoured: route/onprem.go",
	"connector.Send.TlsDomain":                "honoured: route/onprem.go",
	"connector.Send.TlsCertificateName":       "honoured: connector/send.go: Send.CertificateName; route/onprem.go",
	"connector.Send.Fqdn":                     "informational",
	"connector.Send.CloudServicesMailEnabled": "honoured: route/onprem.go: cross-premises headers",
	"connector.Send.MaxMessageSize":           "honoured: connector/send.go: Send.MaxSize",
	"connector.Send.Usage":                    "honoured: connector/send.go: Send.MaxSize default",
	"connector.Send.SourceTransportServers":   "honoured: topology/edge.go: OnPremises.reach, OnPremises.SourceServer; route/onprem.go relays to it",
	"connector.Send.Enabled":                  "honoured: connector/send.go: Send.IsEnabled",
	"connector.Send.Comment":                  "informational",

	"topology.RemoteDomain.Name":               "honoured: route/online.go: remoteDomainWords in trace reasons",
	"topology.RemoteDomain.DomainName":         "honoured: topology/remotedomain.go: remoteDomains.find (exact, then longest *.domain, then *); Build refuses bad and duplicate ones",
	"topology.RemoteDomain.AutoForwardEnabled": "honoured: route/online.go: remoteDomainDeletes (ForwardingSmtpAddress to the domain is deleted)",

	"connector.Receive.Name":                  "honoured: connector/receive.go: SelectReceive ties and trace reasons",
	"connector.Receive.Server":                "honoured: connector/receive.go: SelectReceive",
	"connector.Receive.TransportRole":         "honoured: connector/receive.go: the port without Bindings",
	"connector.Receive.Bindings":              "honoured: connector/receive.go: SelectReceive ports; Build refuses two connectors with one binding and the same RemoteIPRanges",
	"connector.Receive.RemoteIPRanges":        "honoured: connector/receive.go: SelectReceive",
	"connector.Receive.PermissionGroups":      "honoured: connector/receive.go: Receive.Has; route/onprem.go",
	"connector.Receive.AuthMechanism":         "honoured: connector/receive.go: Receive.HasAuth; route/onprem.go",
	"connector.Receive.AnonymousRelay":        "honoured: connector/receive.go: Receive.Relays",
	"connector.Receive.RequireTLS":            "honoured: route/onprem.go",
	"connector.Receive.TlsDomainCapabilities": "honoured: connector/receive.go: Receive.AcceptsCloudServicesMail",
	"connector.Receive.Fqdn":                  "informational",
	"connector.Receive.MaxHopCount":           "honoured: route/onprem.go: loop detection",
	"connector.Receive.MaxLocalHopCount":      "honoured: route/onprem.go: loop detection",
	"connector.Receive.Enabled":               "honoured: connector/receive.go: Receive.IsEnabled",
	"connector.Receive.Comment":               "informational",
}

// TestAcceptedFields walks every field of topology.Spec and of the
// topology file format by reflection and fails when one has no entry in
// accepted, so that a field added later cannot be silently ignored.
func TestAcceptedFields(t *testing.T) {
	base := root(t)
	walked := map[string]reflect.StructField{}
	owner := map[string]reflect.Type{}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(tp reflect.Type) {
		for tp.Kind() == reflect.Pointer || tp.Kind() == reflect.Slice || tp.Kind() == reflect.Map {
			tp = tp.Elem()
		}
		if tp.Kind() != reflect.Struct || seen[tp] || !strings.HasPrefix(tp.PkgPath(), "github.com/mailflowsim/mailflow/") {
			return
		}
		seen[tp] = true
		for f := range tp.Fields() {
			if !f.IsExported() {
				continue
			}
			key := tp.String() + "." + f.Name
			walked[key], owner[key] = f, tp
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[topology.Spec]())
	walk(reflect.TypeFor[scenario.File]())

	docs := map[string]map[string]string{} // package path → "Type.Field" → doc
	for _, key := range slices.Sorted(maps.Keys(walked)) {
		entry, ok := accepted[key]
		if !ok {
			t.Errorf("%s has no entry in accepted: say whether it is honoured, refused or informational", key)
			continue
		}
		f := walked[key]
		kind, rest, _ := strings.Cut(entry, ": ")
		switch kind {
		case "honoured", "refused":
			file, _, _ := strings.Cut(rest, ":")
			src, err := os.ReadFile(filepath.Join(base, file))
			if err != nil {
				t.Errorf("%s: %q: %v", key, entry, err)
				continue
			}
			want := "." + f.Name
			if kind == "refused" {
				want = `"` + f.Name
			}
			if !strings.Contains(string(src), want) {
				t.Errorf("%s: %s is %s by %s, but that file has no %s", key, f.Name, kind, file, want)
			}
		case "informational":
			tp := owner[key]
			pd, ok := docs[tp.PkgPath()]
			if !ok {
				pd = fieldDocs(t, filepath.Join(base, strings.TrimPrefix(tp.PkgPath(), "github.com/mailflowsim/mailflow/")))
				docs[tp.PkgPath()] = pd
			}
			if doc := pd[tp.Name()+"."+f.Name]; !strings.Contains(doc, "Informational") && !strings.Contains(doc, "informational") {
				t.Errorf("%s is informational, but its doc comment does not say so: %q", key, doc)
			}
		default:
			t.Errorf("%s: %q is not honoured, refused or informational", key, entry)
		}
	}
	for key := range accepted {
		if _, ok := walked[key]; !ok {
			t.Errorf("accepted has an entry for %s, which is no field of the Spec or the file format", key)
		}
	}
}

// fieldDocs returns the doc comments of the struct fields of the package in
// dir, by "Type.Field"; fields declared together share their doc, and a
// field without a doc of its own has the doc of the field group above it.
func fieldDocs(t *testing.T, dir string) map[string]string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	out := map[string]string{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			last := ""
			for _, fl := range st.Fields.List {
				doc := fl.Doc.Text() + fl.Comment.Text()
				if fl.Doc != nil {
					last = doc
				} else if doc == "" {
					doc = last
				}
				for _, name := range fl.Names {
					out[ts.Name.Name+"."+name.Name] = doc
				}
			}
			return true
		})
	}
	return out
}
