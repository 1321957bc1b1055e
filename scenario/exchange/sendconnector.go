package exchange

import (
	"reflect"

	"github.com/mailflowsim/mailflow/connector"
)

// Get-SendConnector: SmartHostsString repeats SmartHosts;
// SourceRoutingGroup, HomeMTA and HomeMtaServerId are Exchange 2003
// interoperability objects; AuthenticationCredential matters only with
// SmartHostAuthMechanism, which is reported.
var (
	sendConnectorSkip = nameSet("ConnectionInactivityTimeOut ProtocolLoggingLevel SmtpMaxMessagesPerConnection SmartHostsString " +
		"IsSmtpConnector SourceRoutingGroup HomeMTA HomeMtaServerId AuthenticationCredential")
	sendConnectorUnmodelled = nameSet("ErrorPolicies Port ForceHELO FrontendProxyEnabled IgnoreSTARTTLS RequireOorg SmartHostAuthMechanism " +
		"UseExternalDNSServersEnabled DomainSecureEnabled SourceIPAddress ConnectorType CertificateSubject Region " +
		"ConnectedDomains IsScopedConnector LinkedReceiveConnector")
)

// tlsAuthLevels are the TlsAuthLevel values of New-SendConnector, and the
// TlsSettings values of New-OutboundConnector, by number.
var tlsAuthLevels = map[int64]string{1: "EncryptionOnly", 2: "CertificateValidation", 4: "DomainValidation"}

// convertSendConnector converts a Get-SendConnector object into a
// [connector.Send]. AddressSpaces keep their type and cost ("SMTP:*;1"),
// which Send connectors use.
func convertSendConnector(c *converter) any {
	var s connector.Send
	s.AddressSpaces = c.list("AddressSpaces", nonEmpty, "an address space")
	s.SmartHosts = c.list("SmartHosts", smartHost, "a host")
	level, _ := c.enum("TlsAuthLevel", tlsAuthLevels)
	s.TlsAuthLevel = connector.TlsAuthLevel(level)
	c.rest(reflect.ValueOf(&s).Elem())
	return s
}
