package exchange

import (
	"reflect"
	"strings"

	"github.com/mailflowsim/mailflow/topology"
)

// Get-AcceptedDomain: federation, provisioning and address book flags;
// InitialDomain only helps name the tenant.
var (
	acceptedDomainSkip = nameSet("Name Default EmailOnly ExternallyManaged AuthenticationType LiveIdInstanceType PendingRemoval " +
		"PendingCompletion FederatedOrganizationLink PendingFederatedAccountNamespace PendingFederatedDomain " +
		"IsCoexistenceDomain PerimeterDuplicateDetected IsDefaultFederatedDomain EnableNego2Authentication InitialDomain")
	acceptedDomainUnmodelled = nameSet("CatchAllRecipientID AddressBookEnabled MailFlowPartner OutboundOnly " +
		"SendingFromDomainDisabled SendingToDomainDisabled")
)

// domainTypes are the DomainType values of Set-AcceptedDomain, by number.
var domainTypes = map[int64]string{0: "Authoritative", 1: "ExternalRelay", 2: "InternalRelay"}

// convertAcceptedDomain converts a Get-AcceptedDomain object into a
// [topology.AcceptedDomain], wildcards ("*.contoso.com", "*") and
// MatchSubDomains included.
func convertAcceptedDomain(c *converter) any {
	var a topology.AcceptedDomain
	if v, ok := c.take("DomainName"); ok {
		d, _ := v.str()
		d = strings.TrimSpace(d)
		switch {
		case d == "":
			c.bad("DomainName", v, "a domain")
		default:
			a.DomainName = d
		}
	}
	t, _ := c.enum("DomainType", domainTypes)
	a.DomainType = topology.DomainType(t)
	if v, ok := c.take("MatchSubDomains"); ok {
		a.MatchSubDomains, _ = v.boolean()
	}
	c.rest(reflect.Value{})
	if a.DomainName == "" {
		return nil
	}
	return a
}
