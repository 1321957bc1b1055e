package route

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/topology"
)

// ErrNoConnector is returned by [ValidateConnector] when the tenant has no
// outbound connector with the given name.
var ErrNoConnector = errors.New("route: no such outbound connector")

// Validation is the outcome of validating an outbound connector, as the
// Exchange admin center's "Validate this connector" reports it.
type Validation struct {
	Tenant    string
	Connector string
	Recipient string
	// Passed is true when the test message went through the connector and
	// reached the recipient's mail server (Relayed) or mailbox (Delivered).
	Passed bool
	// Used is true when the test message was sent through the connector.
	Used bool
	// Disposition is how the test message ended, and At the node where.
	Disposition Disposition
	At          topology.NodeID
	// Status is the SMTP status of a failure, if there is one.
	Status Status
	// TLSFailure is what the connection lacked that the connector's
	// TlsSettings needed, when that is why it failed.
	TLSFailure TLSFailure
	// Reason says why the validation passed or failed, naming the hop.
	Reason string
	// Result is the trace of the test message.
	Result *Result
}

// ValidateConnector sends a test message from the tenant's Exchange Online
// organization to recipient through its outbound connector named
// connectorName, whatever the connector's RecipientDomains and whether it
// is transport-rule scoped, and reports whether it got through: the
// connector's smart hosts or MX, its TLS settings against the certificate
// the next host presents, and everything after that hop (Microsoft:
// "Validate connectors"; "New-OutboundConnector").
// The sender is postmaster@<tenant>.onmicrosoft.com.
func ValidateConnector(t *topology.Topology, tenant, connectorName, recipient string) (Validation, error) {
	v := Validation{Tenant: tenant, Connector: connectorName, Recipient: recipient}
	if t == nil {
		return v, ErrNilTopology
	}
	x, ok := t.Tenant(tenant)
	if !ok {
		return v, fmt.Errorf("%w: no tenant %q", ErrInvalidMessage, tenant)
	}
	var c *connector.Outbound
	for o := range x.OutboundConnectors() {
		if strings.EqualFold(o.Name, connectorName) {
			c = &o
			break
		}
	}
	if c == nil {
		return v, fmt.Errorf("%w: tenant %q has no outbound connector %q", ErrNoConnector, tenant, connectorName)
	}
	res, err := trace(t, Message{From: "postmaster@" + x.Name() + ".onmicrosoft.com", To: []string{recipient}, Origin: x.ExchangeOnline()}, c, x)
	if err != nil {
		return v, err
	}
	v.Result = res
	r := res.Recipients[0]
	last := r.Hops[len(r.Hops)-1]
	v.Status, v.Disposition, v.At = r.Status, r.Disposition, last.Node
	if last.SendTLS != nil {
		v.TLSFailure = last.SendTLS.Failure
	}
	v.Used = slices.ContainsFunc(r.Hops, func(h Hop) bool { return h.Connector == c.Name })
	switch {
	case !v.Used:
		v.Reason = fmt.Sprintf("the test message never used %q: %s at %s: %s", c.Name, strings.ToLower(r.Disposition.String()), last.Node, last.Reason)
	case r.Disposition == Delivered || r.Disposition == Relayed:
		v.Passed = true
		v.Reason = fmt.Sprintf("the test message went through %q and was %s at %s", c.Name, strings.ToLower(r.Disposition.String()), last.Node)
	default:
		v.Reason = fmt.Sprintf("the test message was %s at %s: %s", strings.ToLower(r.Disposition.String()), last.Node, last.Reason)
	}
	return v, nil
}
