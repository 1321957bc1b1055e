package route_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// The add-on service tests follow "Integrate Microsoft 365 with an email
// add-on service" (scenario.AddOnServiceSpec): Kim's mail to Erin goes
// through the Contoso Signature Service and back.

const signatureNode = "appliance:contososignature"

// traceAddOn traces Kim's message to Erin in spec and returns Erin's
// recipient.
func traceAddOn(t *testing.T, spec topology.Spec, m route.Message) route.Recipient {
	t.Helper()
	if m.From == "" {
		m = route.Message{From: scenario.Kim, To: []string{scenario.Erin}}
	}
	res, err := route.Trace(build(t, spec), m)
	if err != nil {
		t.Fatalf("Trace() error = %v", err)
	}
	return res.Recipients[0]
}

func hopNodes(r route.Recipient) []string {
	var ids []string
	for _, h := range r.Hops {
		ids = append(ids, h.Node.String())
	}
	return ids
}

// stage returns the result and verdict of a hop's filtering stage.
func stage(h route.Hop, s route.Stage) (route.StageResult, route.Verdict) {
	f, _ := h.Filter(s)
	return f.Result, f.Verdict
}

// signature returns the service's Appliance spec in spec.
func signature(spec *topology.Spec) *topology.ExternalSpec {
	for i := range spec.External {
		if spec.External[i].Kind == topology.Appliance {
			return &spec.External[i]
		}
	}
	panic("no add-on service")
}

// TestAddOnServiceRoundTrip: the rule sends Kim's mail to the service
// through the rule-scoped connector; the service stamps its header and
// sends the message back, internal again through the certificate
// connector; the rule's exception lets it go on to Erin.
func TestAddOnServiceRoundTrip(t *testing.T) {
	r := traceAddOn(t, scenario.AddOnServiceSpec(true), route.Message{})
	want := []string{"exo:fabrikam", "eop:fabrikam", signatureNode, "eop:fabrikam", "ext:cpandl"}
	if got := hopNodes(r); !slices.Equal(got, want) {
		t.Fatalf("hops = %v, want %v", got, want)
	}
	if r.Disposition != route.Relayed {
		t.Errorf("Disposition = %v, want Relayed", r.Disposition)
	}
	out, svc, back := r.Hops[1], r.Hops[2], r.Hops[3]
	if out.Connector != scenario.SignatureOutbound {
		t.Errorf("outbound leg: Connector = %q, want %q", out.Connector, scenario.SignatureOutbound)
	}
	if want := []route.Header{{Name: scenario.SignatureHeader, Value: "true"}}; !slices.Equal(svc.HeadersAdded, want) {
		t.Errorf("service hop: HeadersAdded = %v, want %v", svc.HeadersAdded, want)
	}
	if b, err := json.Marshal(svc); err != nil || !strings.Contains(string(b), `"headersAdded":[{"name":"SignatureContoso","value":"true"}]`) {
		t.Errorf("service hop as JSON = %s, %v; want its headersAdded", b, err)
	}
	if back.InboundConnector != scenario.SignatureInbound || back.AuthAs != route.Internal || back.Directionality != route.Originating || !back.CrossPremisesHeaders {
		t.Errorf("return leg: InboundConnector %q, AuthAs %v/%v, CrossPremisesHeaders %v; want %q, Internal/Originating, true",
			back.InboundConnector, back.AuthAs, back.Directionality, back.CrossPremisesHeaders, scenario.SignatureInbound)
	}
	// The rules run again on the returned message; the exception stops the rule.
	if res, v := stage(back, route.TransportRules); res != route.Applied || v != route.VerdictPass {
		t.Errorf("return leg: TransportRules = %v/%v, want Applied/Pass (the header exception)", res, v)
	}
	if !back.Resubmitted || out.Resubmitted {
		t.Errorf("Resubmitted on the outbound and return legs = %v, %v; want false, true", out.Resubmitted, back.Resubmitted)
	}
	if back.Connector != "" {
		t.Errorf("return leg: Connector = %q, want none (delivered by DNS)", back.Connector)
	}
	if res, _ := stage(back, route.AntiSpam); res != route.Skipped {
		t.Errorf("return leg: AntiSpam = %v, want Skipped (AuthAs Internal)", res)
	}
}

// TestAddOnServiceLoop: without the exception the returned message matches
// the rule again and goes round until Exchange Online's hop count ends it.
func TestAddOnServiceLoop(t *testing.T) {
	r := traceAddOn(t, scenario.AddOnServiceSpec(false), route.Message{})
	if r.Disposition != route.Looped || r.Status != route.MustParseStatus(route.StatusLoopExchangeOnline) {
		t.Fatalf("Disposition, Status = %v, %v; want Looped, %s", r.Disposition, r.Status, route.StatusLoopExchangeOnline)
	}
	returns := 0
	for _, h := range r.Hops {
		if h.Node.String() == "eop:fabrikam" && h.InboundConnector == scenario.SignatureInbound {
			returns++
			if res, v := stage(h, route.TransportRules); res != route.Applied || v != route.VerdictMatched {
				t.Errorf("return %d: TransportRules = %v/%v, want Applied/Matched", returns, res, v)
			}
			if h.Connector != scenario.SignatureOutbound {
				t.Errorf("return %d: Connector = %q, want %q", returns, h.Connector, scenario.SignatureOutbound)
			}
		}
	}
	const hopLimit = 20 // Exchange Online's default: 20 iterations
	if returns != hopLimit {
		t.Errorf("returns through %q = %d, want %d (the HopLimit-th entry is the last one accepted)", scenario.SignatureInbound, returns, hopLimit)
	}
	last := r.Hops[len(r.Hops)-1]
	if last.Node.String() != "eop:fabrikam" {
		t.Errorf("last hop = %s, want eop:fabrikam", last.Node)
	}
}

// TestAddOnServiceOrganizationHeaders: the message returns internal only
// when the outbound connector, the service and the inbound connector all
// keep the organization headers ("Retain internal Exchange email
// headers"); otherwise it returns anonymous, is spam-filtered, and the
// rule's FromScope InOrganization no longer matches, so even without the
// exception it does not loop.
func TestAddOnServiceOrganizationHeaders(t *testing.T) {
	tests := []struct {
		name       string
		modify     func(*topology.Spec)
		wantAuth   route.AuthAs
		wantSvcAs  route.AuthAs // what the service's hop carries
		wantLooped bool
	}{
		{name: "AllKeep", modify: func(*topology.Spec) {}, wantAuth: route.Internal, wantSvcAs: route.Internal, wantLooped: true},
		{name: "OutboundDrops", modify: func(s *topology.Spec) { s.Tenants[0].OutboundConnectors[0].CloudServicesMailEnabled = false }, wantAuth: route.Anonymous},
		{name: "ServiceDrops", modify: func(s *topology.Spec) { signature(s).KeepsOrganizationHeaders = false }, wantAuth: route.Anonymous},
		{name: "InboundDrops", modify: func(s *topology.Spec) { s.Tenants[0].InboundConnectors[0].CloudServicesMailEnabled = false }, wantAuth: route.Anonymous, wantSvcAs: route.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := scenario.AddOnServiceSpec(false)
			tt.modify(&spec)
			r := traceAddOn(t, spec, route.Message{})
			if len(r.Hops) < 4 {
				t.Fatalf("hops = %v, want the round trip", hopNodes(r))
			}
			svc, back := r.Hops[2], r.Hops[3]
			if svc.AuthAs != tt.wantSvcAs {
				t.Errorf("service hop: AuthAs = %v, want %v", svc.AuthAs, tt.wantSvcAs)
			}
			if back.AuthAs != tt.wantAuth || back.CrossPremisesHeaders != (tt.wantAuth == route.Internal) {
				t.Errorf("return leg: AuthAs %v, CrossPremisesHeaders %v; want %v", back.AuthAs, back.CrossPremisesHeaders, tt.wantAuth)
			}
			if got := r.Disposition == route.Looped; got != tt.wantLooped {
				t.Errorf("Looped = %v, want %v (hops %v)", got, tt.wantLooped, hopNodes(r))
			}
			if tt.wantAuth == route.Anonymous {
				if res, _ := stage(back, route.AntiSpam); res != route.Applied {
					t.Errorf("return leg: AntiSpam = %v, want Applied (anonymous mail)", res)
				}
				if res, v := stage(back, route.TransportRules); res != route.Applied || v != route.VerdictPass {
					t.Errorf("return leg: TransportRules = %v/%v, want Applied/Pass (FromScope InOrganization does not hold)", res, v)
				}
			}
		})
	}
}

// TestAddOnServiceRemovesHeader: a rule keyed on a header the service
// removes matches on the way out, not on the way back; a service that
// keeps the header sends the message round until the hop count.
func TestAddOnServiceRemovesHeader(t *testing.T) {
	const marker = "X-Needs-Signature"
	for _, removes := range []bool{true, false} {
		spec := scenario.AddOnServiceSpec(false)
		spec.Tenants[0].TransportRules[0].Conditions = topology.Predicates{HeaderContainsMessageHeader: marker, HeaderContainsWords: []string{"yes"}}
		svc := signature(&spec)
		svc.AddsHeaders = nil
		if removes {
			svc.RemovesHeaders = []string{marker}
		}
		r := traceAddOn(t, spec, route.Message{From: scenario.Kim, To: []string{scenario.Erin}, Headers: []route.Header{{Name: marker, Value: "yes"}}})
		if removes {
			want := []string{"exo:fabrikam", "eop:fabrikam", signatureNode, "eop:fabrikam", "ext:cpandl"}
			if got := hopNodes(r); !slices.Equal(got, want) {
				t.Errorf("removes: hops = %v, want %v", got, want)
			}
			if got := r.Hops[2].HeadersRemoved; !slices.Equal(got, []string{marker}) {
				t.Errorf("removes: HeadersRemoved = %v, want [%s]", got, marker)
			}
			continue
		}
		if r.Disposition != route.Looped {
			t.Errorf("keeps the header: Disposition = %v, want Looped", r.Disposition)
		}
		if r.Hops[2].HeadersRemoved != nil {
			t.Errorf("keeps the header: HeadersRemoved = %v, want none", r.Hops[2].HeadersRemoved)
		}
	}
}

// TestAddOnServiceRewritesSender: the service's new sender is what later
// hops see; outside the organization, it no longer meets FromScope
// InOrganization, so the returned message does not go round even without
// the exception.
func TestAddOnServiceRewritesSender(t *testing.T) {
	const bounce = "bounces@contososignatureservice.com"
	spec := scenario.AddOnServiceSpec(false)
	signature(&spec).RewritesSenderTo = bounce
	r := traceAddOn(t, spec, route.Message{})
	want := []string{"exo:fabrikam", "eop:fabrikam", signatureNode, "eop:fabrikam", "ext:cpandl"}
	if got := hopNodes(r); !slices.Equal(got, want) {
		t.Fatalf("hops = %v, want %v", got, want)
	}
	if r.Hops[1].Sender != "" || r.Hops[2].Sender != bounce || r.Hops[3].Sender != bounce {
		t.Errorf("Sender at hops 2-4 = %q, %q, %q; want \"\", %q, %q", r.Hops[1].Sender, r.Hops[2].Sender, r.Hops[3].Sender, bounce, bounce)
	}
	if res, v := stage(r.Hops[3], route.TransportRules); res != route.Applied || v != route.VerdictPass {
		t.Errorf("return leg: TransportRules = %v/%v, want Applied/Pass", res, v)
	}
}

// TestProcessingApplianceResubmits: what any Appliance that processes
// SMTP sends back is a new submission (the tenant's rules run again),
// whether or not it changes the message.
func TestProcessingApplianceResubmits(t *testing.T) {
	spec := scenario.AddOnServiceSpec(true)
	svc := signature(&spec)
	svc.AddsHeaders, svc.KeepsOrganizationHeaders = nil, false
	r := traceAddOn(t, spec, route.Message{})
	if len(r.Hops) < 4 {
		t.Fatalf("hops = %v, want the round trip", hopNodes(r))
	}
	if res, _ := stage(r.Hops[3], route.TransportRules); res != route.Applied || !r.Hops[3].Resubmitted {
		t.Errorf("return from a plain processing Appliance: TransportRules = %v, want Applied", res)
	}
	if r.Hops[2].HeadersAdded != nil || r.Hops[2].HeadersRemoved != nil {
		t.Errorf("plain Appliance: headers added %v, removed %v; want none", r.Hops[2].HeadersAdded, r.Hops[2].HeadersRemoved)
	}
}
