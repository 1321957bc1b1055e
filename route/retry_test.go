package route_test

import (
	"testing"
	"time"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// TestRetry: a deferred recipient says which queue holds the message, how
// it is retried and when it is returned: Exchange Online for 24 hours
// (docs/behaviour.md#d7-how-long-exchange-online-retries), Exchange Server
// by MessageExpirationTimeout and the retry intervals, defaults or set
// ("Message retry, resubmit, and expiration intervals"), both then
// returning 550 4.4.7 ("Fix email delivery issues for error code 4.4.7 in
// Exchange Online"); a receiving side that defers at RCPT TO leaves the
// message in the sender's queue; a recipient not deferred has no retry.
func TestRetry(t *testing.T) {
	offline := func(ts topology.TransportService) topology.Spec {
		s := scenario.ContosoSpec(mxEOP)
		for i := range s.External {
			if s.External[i].Name == "cpandl" {
				s.External[i].Offline = true
			}
		}
		s.OnPremises[0].TransportService = ts
		return s
	}
	expired := "550 4.4.7 QUEUE.Expired; message expired"
	tests := []struct {
		name  string
		spec  topology.Spec
		msg   route.Message
		queue string
		every time.Duration
		for_  time.Duration
		ndr   string
		delay time.Duration
		quick int           // retries every, then…
		then  time.Duration // …every then
	}{
		{"ExchangeOnline", partner("Certificate", "WrongCertificate"), route.Message{From: scenario.Megan, To: []string{scenario.Sam}},
			"eop:contoso", 0, 24 * time.Hour, expired, 0, 0, 0},
		{"OnPremisesDefaults", offline(topology.TransportService{}), route.Message{From: scenario.Julie, To: []string{scenario.Erin}},
			"onprem:contoso/EX02", 5 * time.Minute, 48 * time.Hour, expired, 4 * time.Hour, 6, 10 * time.Minute},
		{"OnPremisesSet", offline(topology.TransportService{MessageExpirationTimeout: "1.00:00:00", OutboundConnectionFailureRetryInterval: "00:15:00", DelayNotificationTimeout: "08:00:00"}),
			route.Message{From: scenario.Julie, To: []string{scenario.Erin}}, "onprem:contoso/EX02", 5 * time.Minute, 24 * time.Hour, expired, 8 * time.Hour, 6, 15 * time.Minute},
		{"OnPremisesNoQuickRetries", offline(topology.TransportService{OutboundConnectionFailureRetryInterval: "00:15:00", TransientFailureRetryCount: new(0)}),
			route.Message{From: scenario.Julie, To: []string{scenario.Erin}}, "onprem:contoso/EX02", 15 * time.Minute, 48 * time.Hour, expired, 4 * time.Hour, 0, 0},
		{"OnPremisesTwoQuickRetries", offline(topology.TransportService{TransientFailureRetryInterval: "00:01:00", TransientFailureRetryCount: new(2)}),
			route.Message{From: scenario.Julie, To: []string{scenario.Erin}}, "onprem:contoso/EX02", time.Minute, 48 * time.Hour, expired, 4 * time.Hour, 2, 10 * time.Minute},
		{"ReceiverDefersAtRCPT", partner("IPAddresses", "PlainText"), route.Message{From: scenario.Sam, To: []string{scenario.Megan}},
			"partner:contosobank", 0, 0, "", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			r := res.Recipients[0]
			if r.Disposition != route.Deferred || r.Retry == nil {
				t.Fatalf("%v, retry %v; want Deferred with a retry\n%s", r.Disposition, r.Retry, textAndJSON(t, res))
			}
			got := r.Retry
			if got.Queue.String() != tt.queue || got.Interval != tt.every || got.Expires != tt.for_ || got.NDR.String() != tt.ndr || got.DelayNotification != tt.delay ||
				got.Retries != tt.quick || got.Then != tt.then {
				t.Errorf("retry = %+v, want queue %s every %v (%d times, then every %v) for %v then %q, delay DSN after %v",
					got, tt.queue, tt.every, tt.quick, tt.then, tt.for_, tt.ndr, tt.delay)
			}
		})
	}
	res, err := route.Trace(build(t, partner("Certificate", "Compliant")), route.Message{From: scenario.Megan, To: []string{scenario.Sam}})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Recipients[0]; r.Retry != nil {
		t.Errorf("%v recipient has a retry %+v", r.Disposition, r.Retry)
	}
	if _, err := topology.Build(offline(topology.TransportService{MessageExpirationTimeout: "two days"})); err == nil {
		t.Errorf("Build accepted MessageExpirationTimeout %q", "two days")
	}
	if _, err := topology.Build(offline(topology.TransportService{TransientFailureRetryCount: new(16)})); err == nil {
		t.Errorf("Build accepted TransientFailureRetryCount 16, over 15")
	}
	if _, err := topology.Build(offline(topology.TransportService{DelayNotificationTimeout: "31.00:00:00"})); err == nil {
		t.Errorf("Build accepted DelayNotificationTimeout %q, over 30 days", "31.00:00:00")
	}
}
