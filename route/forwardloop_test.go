package route_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// forwardingSpec is a tenant whose mailboxes ann and bob forward to each
// other, carl forwards to dave, and n more mailboxes that do not forward.
func forwardingSpec(n int) topology.Spec {
	mbx := func(name, fwd string) topology.Recipient {
		return topology.Recipient{Name: name, RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: name + "@contoso.com", ForwardingSmtpAddress: fwd}
	}
	rs := []topology.Recipient{mbx("ann", "bob@contoso.com"), mbx("bob", "ann@contoso.com"), mbx("carl", "dave@contoso.com"), mbx("dave", "")}
	for i := range n {
		rs = append(rs, mbx(fmt.Sprintf("u%03d", i), ""))
	}
	return topology.Spec{
		Tenants:   []topology.TenantSpec{{Name: "contoso", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "contoso.com"}}, Recipients: rs}},
		MXRecords: []topology.MXRecord{{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")}},
	}
}

// TestForwardingLoop: a forwarding loop is found by counting how many
// times one recipient is redirected, not how many recipients a hop holds
// ("Fix email delivery issues for error codes 5.4.6 through 5.4.20 in
// Exchange Online": 554 5.4.14 Hop count exceeded). One forward in a
// message to 401 recipients is not a loop; two mailboxes that forward to
// each other are.
func TestForwardingLoop(t *testing.T) {
	const n = 400
	topo, err := topology.Build(forwardingSpec(n))
	if err != nil {
		t.Fatal(err)
	}
	to := []string{"carl@contoso.com"}
	for i := range n {
		to = append(to, fmt.Sprintf("u%03d@contoso.com", i))
	}
	res, err := route.Trace(topo, route.Message{From: "news@fabrikam.com", To: to})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Recipients {
		if r.Disposition != route.Delivered {
			t.Fatalf("%s: %v %q, want Delivered: one forward among %d recipients is no loop", r.Address, r.Disposition, r.Status, len(to))
		}
	}
	if got := res.Recipients[0].Hops[len(res.Recipients[0].Hops)-1]; !hasEvent(got, route.REDIRECT) {
		t.Errorf("carl's last hop %v has no REDIRECT", got.Events)
	}

	res, err = route.Trace(topo, route.Message{From: "news@fabrikam.com", To: []string{"ann@contoso.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Recipients[0]; r.Disposition != route.Looped || r.Status.String() != route.StatusLoopExchangeOnline {
		t.Errorf("ann <-> bob: %v %q, want Looped %q", r.Disposition, r.Status, route.StatusLoopExchangeOnline)
	}
}

func hasEvent(h route.Hop, ev route.Event) bool {
	return slices.Contains(h.Events, ev)
}
