package exchange

import (
	"net/netip"
	"reflect"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
)

// Get-ReceiveConnector: SMTP extensions, banners, authentication
// protocols, time-outs and throttling change how a session goes, not
// where mail goes.
var (
	receiveConnectorSkip = nameSet("Banner BinaryMimeEnabled ChunkingEnabled DeliveryStatusNotificationEnabled EightBitMimeEnabled " +
		"SmtpUtf8Enabled EnhancedStatusCodesEnabled PipeliningEnabled LongAddressesEnabled SuppressXAnonymousTls " +
		"ProxyEnabled AdvertiseClientSettings ServiceDiscoveryFqdn ConnectionTimeout ConnectionInactivityTimeout " +
		"MessageRateLimit MessageRateSource MaxInboundConnection MaxInboundConnectionPerSource " +
		"MaxInboundConnectionPercentagePerSource MaxLogonFailures MaxProtocolErrors EnableAuthGSSAPI " +
		"ExtendedProtectionPolicy LiveCredentialEnabled SizeEnabled TarpitInterval AuthTarpitInterval " +
		"MaxAcknowledgementDelay ProtocolLoggingLevel")
	receiveConnectorUnmodelled = nameSet("DefaultDomain BareLinefeedRejectionEnabled DomainSecureEnabled OrarEnabled TlsCertificateName " +
		"MaxHeaderSize MaxMessageSize MaxRecipientsPerMessage RejectReservedTopLevelRecipientDomains " +
		"RejectReservedSecondLevelRecipientDomains RejectSingleLabelRecipientDomains AcceptConsumerMail RequireEHLODomain")
)

// New-ReceiveConnector: the TransportRole values by number, and the bits
// of the PermissionGroups and AuthMechanism flags.
var (
	transportRoles   = map[int64]string{32: "HubTransport", 16384: "FrontendTransport"}
	permissionGroups = []string{"AnonymousUsers", "ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers", "Partners", "Custom"}
	authMechanisms   = []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer", "ExternalAuthoritative"}
)

// convertReceiveConnector converts a Get-ReceiveConnector object into a
// [connector.Receive].
func convertReceiveConnector(c *converter) any {
	var rc connector.Receive
	rc.Bindings = c.list("Bindings", binding, "IP:port")
	rc.RemoteIPRanges = c.list("RemoteIPRanges", ipRange, "an IP address, range or CIDR")
	rc.PermissionGroups = c.flags("PermissionGroups", permissionGroups)
	rc.AuthMechanism = c.flags("AuthMechanism", authMechanisms)
	rc.TransportRole, _ = c.enum("TransportRole", transportRoles)
	c.rest(reflect.ValueOf(&rc).Elem())
	return rc
}

// binding reads a Bindings entry: "0.0.0.0:25", "[::]:25".
func binding(s string) (string, bool) {
	s = strings.TrimSpace(s)
	_, err := netip.ParseAddrPort(s)
	return s, err == nil
}

// ipRange reads a RemoteIPRanges entry: an address, a range or a CIDR.
func ipRange(s string) (string, bool) {
	s = strings.TrimSpace(s)
	_, err := connector.ParseIPRange(s)
	return s, err == nil
}
