package exchange

import (
	"reflect"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
)

// Get-InboundConnector: EFSkipMailGateway, EFTestMode,
// ScanAndDropRecipients and ClientHostNames are reserved or undocumented,
// without effect (New-InboundConnector).
var (
	inboundConnectorSkip       = nameSet("EFSkipMailGateway EFTestMode ScanAndDropRecipients ClientHostNames")
	inboundConnectorUnmodelled = nameSet("TrustedOrganizations")
)

// Get-OutboundConnector: validation and test fields have no routing
// effect (New-OutboundConnector).
var (
	outboundConnectorSkip       = nameSet("TestMode ValidationRecipients IsValidated LastValidationTimestamp LinkForModifiedConnector")
	outboundConnectorUnmodelled = nameSet("SenderRewritingEnabled MtaStsMode SmtpDaneMode")
)

// The ConnectorType and ConnectorSource values of New-InboundConnector and
// New-OutboundConnector, by number; AdminUI, which exports of connectors
// made in the admin center carry, is read by name only (negative keys
// match no number).
var (
	connectorTypes   = map[int64]string{1: "OnPremises", 2: "Partner"}
	connectorSources = map[int64]string{0: "Default", 1: "Migrated", 2: "HybridWizard", -1: "AdminUI"}
)

// convertInboundConnector converts a Get-InboundConnector object into a
// [connector.Inbound].
func convertInboundConnector(c *converter) any {
	var in connector.Inbound
	t, _ := c.enum("ConnectorType", connectorTypes)
	in.ConnectorType = connector.Type(t)
	in.SenderDomains = c.list("SenderDomains", smtpDomain, "an SMTP domain")
	in.AssociatedAcceptedDomains = c.list("AssociatedAcceptedDomains", smtpDomain, "an SMTP domain")
	src, _ := c.enum("ConnectorSource", connectorSources)
	in.ConnectorSource = connector.Source(src)
	if v, ok := c.take("TlsSenderCertificateName"); ok && !v.empty() {
		s, _ := v.str()
		if strings.Contains(s, "<S>") {
			// "<I>issuer<S>subject", as a Send connector's TlsCertificateName.
			s = (&connector.Send{TlsCertificateName: s}).CertificateName()
		}
		in.TlsSenderCertificateName = strings.TrimSpace(s)
	}
	c.rest(reflect.ValueOf(&in).Elem())
	return in
}

// convertOutboundConnector converts a Get-OutboundConnector object into a
// [connector.Outbound].
func convertOutboundConnector(c *converter) any {
	var out connector.Outbound
	t, _ := c.enum("ConnectorType", connectorTypes)
	out.ConnectorType = connector.Type(t)
	out.RecipientDomains = c.list("RecipientDomains", smtpDomain, "an SMTP domain")
	out.SmartHosts = c.list("SmartHosts", smartHost, "a host")
	tls, _ := c.enum("TlsSettings", tlsAuthLevels)
	out.TlsSettings = connector.TlsSettings(tls)
	src, _ := c.enum("ConnectorSource", connectorSources)
	out.ConnectorSource = connector.Source(src)
	c.rest(reflect.ValueOf(&out).Elem())
	return out
}
