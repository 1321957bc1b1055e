package render_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// TestTextServiceHeaders: the text trace of the add-on service round trip
// ("Integrate Microsoft 365 with an email add-on service") shows the
// header the service stamps, on the service's hop, and the attribution on
// return, a new submission; a header the service removes has its own line.
func TestTextServiceHeaders(t *testing.T) {
	res := renderBuiltinRun(t, "add-on-service", "Kim to Erin", "headerException=true")
	var b bytes.Buffer
	require.NoError(t, render.Text(&b, res))
	out := b.String()
	for _, want := range []string{
		"3 appliance:contososignature  Appliance  Internal/Originating  TLS\n      headers added: SignatureContoso: true\n",
		`4 eop:fabrikam  EOP  Internal/Originating  new submission  via "Contoso Signature Service to`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Text() = %s\nwant it to contain %q", out, want)
		}
	}
	res.Recipients[0].Hops[2].HeadersRemoved = []string{"X-Needs-Signature"}
	b.Reset()
	require.NoError(t, render.Text(&b, res))
	if want := "      headers removed: X-Needs-Signature\n      headers added: SignatureContoso: true\n"; !strings.Contains(b.String(), want) {
		t.Errorf("Text() = %s\nwant it to contain %q", b.String(), want)
	}
}

// TestTextRetry: a deferred recipient's line says how its queue retries
// it, when the sender is told of the delay (an on-premises
// DelayNotificationTimeout, "Message retry, resubmit, and expiration
// intervals") and when it is returned; no delay notice when none is known.
func TestTextRetry(t *testing.T) {
	res := renderBuiltinRun(t, "add-on-service", "Kim to Erin", "headerException=true")
	r := &res.Recipients[0]
	r.Disposition = route.Deferred
	r.Retry = &route.Retry{Queue: r.Hops[0].Node, Interval: 5 * time.Minute, Retries: 6, Then: 10 * time.Minute, Expires: 48 * time.Hour, DelayNotification: 4 * time.Hour}
	var b bytes.Buffer
	require.NoError(t, render.Text(&b, res))
	want := "'s queue retries it every 5m0s 6 times, then every 10m0s, for 48h0m0s (delivered if the cause is fixed by then), tells the sender of the delay after 4h0m0s"
	require.Contains(t, strings.Join(strings.Fields(b.String()), " "), want) // the line wraps
	r.Retry.DelayNotification = 0
	b.Reset()
	require.NoError(t, render.Text(&b, res))
	require.NotContains(t, b.String(), "tells the sender of the delay")
}

// The topology of the add-on service ("Integrate Microsoft 365 with an
// email add-on service"): the rule-scoped outbound connector names the rule
// that routes through it, the service's vertex says what it does to the
// message, and its return leg leads to the inbound connector that takes
// its mail by certificate, then to EOP.
func TestTopologyAddOnService(t *testing.T) {
	topo, err := topology.Build(scenario.AddOnServiceSpec(true))
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, render.TopologyMermaid(&b, topo))
	for _, want := range []string{
		`n0["appliance:contososignature<br/>Appliance<br/>adds header SignatureContoso: true<br/>keeps organization headers"]`,
		`n1 ==>|"Office 365 to Contoso Signature Service (rule-scoped: rule Route email to Contoso Signature Service)"| n0`,
		`n0 -->|"smart host"| k0`,
		`k0 -.->|"accepts"| n1`,
	} {
		require.Contains(t, b.String(), want)
	}
	require.NotContains(t, b.String(), `n0 -->|"smart host"| n1`)

	// Without the certificate the inbound connector names, nothing takes
	// the service's mail as the connector's: the leg goes to EOP itself.
	spec := scenario.AddOnServiceSpec(true)
	spec.External[1].Certificate = nil
	spec.Tenants[0].TransportRules[0].State = topology.RuleDisabled
	topo, err = topology.Build(spec)
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, render.TopologyMermaid(&b, topo))
	require.Contains(t, b.String(), `n0 -->|"smart host"| n1`)
	require.Contains(t, b.String(), `n1 ==>|"Office 365 to Contoso Signature Service (rule-scoped)"| n0`, "a disabled rule routes nothing")
}
