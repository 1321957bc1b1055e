package exchange

import (
	"reflect"
	"strings"

	"github.com/mailflowsim/mailflow/topology"
)

// Get-RemoteDomain: the message format settings change the content sent
// to the domain, never its route ("Remote domains in Exchange Online":
// "Specifying message format"), and are skipped with the NDRs'
// diagnostic information and the monitoring threshold; the settings about the
// messages Exchange generates (automatic replies, delivery reports,
// NDRs, meeting forward notifications) and the treatment of the domain's
// recipients as internal are not modelled, and noted
// (docs/behaviour.md#l80-remote-domains-and-automatic-forwarding).
var (
	remoteDomainSkip = nameSet("CharacterSet NonMimeCharacterSet ContentType LineWrapSize TNEFEnabled " +
		"ByteEncoderTypeFor7BitCharsets DisplaySenderName UseSimpleDisplayName PreferredInternetCodePageForShiftJis " +
		"RequiredCharsetCoverage IsCoexistenceDomain NDRDiagnosticInfoEnabled " +
		// MessageCountThreshold raises a monitoring event ("Set-RemoteDomain").
		"MessageCountThreshold")
	remoteDomainUnmodelled = nameSet("AllowedOOFType AutoReplyEnabled DeliveryReportEnabled NDREnabled " +
		"MeetingForwardNotificationEnabled IsInternal TrustedMailOutboundEnabled TrustedMailInboundEnabled " +
		"TargetDeliveryDomain SmtpDaneMandatoryModeEnabled")
)

// convertRemoteDomain converts a Get-RemoteDomain object into a
// [topology.RemoteDomain]: Name, DomainName ("*" for the Default remote
// domain, "*.contoso.com" with its subdomains) and AutoForwardEnabled
// ("Set-RemoteDomain"). An object without a DomainName is dropped with a
// note.
func convertRemoteDomain(c *converter) any {
	var r topology.RemoteDomain
	if v, ok := c.take("DomainName"); ok {
		d, _ := v.str()
		if r.DomainName = strings.TrimSpace(d); r.DomainName == "" {
			c.bad("DomainName", v, "a domain")
		}
	}
	c.rest(reflect.ValueOf(&r).Elem())
	if r.DomainName == "" {
		return nil
	}
	return r
}
