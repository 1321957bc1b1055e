package route

import (
	"encoding/json"
	"time"

	"github.com/mailflowsim/mailflow/topology"
)

// StatusExpired is the NDR of a message that stayed in a queue past its
// expiry ("Fix email delivery issues for error code 4.4.7 in Exchange
// Online"; "NDRs in Exchange Server").
const StatusExpired = "550 4.4.7 QUEUE.Expired; message expired"

// ExchangeOnlineRetryWindow is how long Exchange Online retries a message
// it could not deliver before it returns it
// (docs/behaviour.md#d7-how-long-exchange-online-retries).
const ExchangeOnlineRetryWindow = 24 * time.Hour

// Retry is what happens to a Deferred recipient: the queue that holds the
// message retries it, and returns it with an NDR when it expires. Queue is
// the node whose queue holds it: the one that could not send it on, or,
// when the receiving side deferred it at RCPT TO, the sender. The other
// fields are zero when the documents give no figure for that queue (an
// external system's, or Exchange Online's retry interval).
type Retry struct {
	Queue topology.NodeID
	// Interval is the wait before the next attempt.
	Interval time.Duration
	// Retries is how many attempts come Interval apart before they come
	// Then apart: after a connection failure on-premises, the
	// TransientFailureRetryCount quick retries. Zero: every attempt comes
	// Interval apart.
	Retries int
	// Then is the wait between the attempts after the first Retries.
	Then time.Duration
	// Expires is how long after it entered the queue the message is
	// returned.
	Expires time.Duration
	// NDR is the status of the non-delivery report the sender then gets.
	NDR Status
	// DelayNotification is how long after it entered the queue the
	// sender gets a delay notification (a delay DSN) while the message
	// stays queued: an on-premises organization's
	// DelayNotificationTimeout. Zero when not documented (Exchange Online,
	// external queues).
	DelayNotification time.Duration
}

// MarshalJSON writes the retry with its durations in Go's notation
// ("24h0m0s"), absent when unknown.
func (r Retry) MarshalJSON() ([]byte, error) {
	j := struct {
		Queue    topology.NodeID `json:"queue"`
		Interval string          `json:"interval,omitempty"`
		Retries  int             `json:"retries,omitempty"`
		Then     string          `json:"then,omitempty"`
		Expires  string          `json:"expires,omitempty"`
		NDR      string          `json:"ndr,omitempty"`
		Delay    string          `json:"delayNotification,omitempty"`
	}{Queue: r.Queue, Retries: r.Retries, NDR: r.NDR.String()}
	if r.Then > 0 {
		j.Then = r.Then.String()
	}
	if r.DelayNotification > 0 {
		j.Delay = r.DelayNotification.String()
	}
	if r.Interval > 0 {
		j.Interval = r.Interval.String()
	}
	if r.Expires > 0 {
		j.Expires = r.Expires.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Retry) UnmarshalJSON(b []byte) error {
	var j struct {
		Queue    topology.NodeID `json:"queue"`
		Interval string          `json:"interval"`
		Retries  int             `json:"retries"`
		Then     string          `json:"then"`
		Expires  string          `json:"expires"`
		NDR      string          `json:"ndr"`
		Delay    string          `json:"delayNotification"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Retry{Queue: j.Queue, Retries: j.Retries}
	var err error
	if j.Interval != "" {
		if r.Interval, err = time.ParseDuration(j.Interval); err != nil {
			return err
		}
	}
	if j.Then != "" {
		if r.Then, err = time.ParseDuration(j.Then); err != nil {
			return err
		}
	}
	if j.Expires != "" {
		if r.Expires, err = time.ParseDuration(j.Expires); err != nil {
			return err
		}
	}
	if j.Delay != "" {
		if r.DelayNotification, err = time.ParseDuration(j.Delay); err != nil {
			return err
		}
	}
	if j.NDR != "" {
		r.NDR, err = ParseStatus(j.NDR)
	}
	return err
}

// retry returns the retry of a recipient deferred at the current hop of
// f: Exchange Online's 24 hours, an on-premises organization's
// MessageExpirationTimeout and retry intervals ("Message retry,
// resubmit, and expiration intervals"), or, for an external queue, only
// which one holds it.
func (e *engine) retry(f *flight, o *outcome) *Retry {
	holder := f.node
	if o.atReceipt {
		if n := e.node(f.arr.from.id); valid(n) {
			holder = n
		}
	}
	r := &Retry{Queue: holder.ID}
	switch {
	case holder.Tenant() != nil:
		r.Expires = ExchangeOnlineRetryWindow
		r.NDR, _ = ParseStatus(StatusExpired)
	case holder.OnPremises() != nil:
		q := holder.OnPremises().Queues()
		r.Expires, r.Interval = q.MessageExpirationTimeout, q.TransientFailureRetryInterval
		r.DelayNotification = q.DelayNotificationTimeout
		if o.connection {
			// After a connection failure: TransientFailureRetryCount quick
			// retries, then OutboundConnectionFailureRetryInterval.
			r.Interval = q.OutboundConnectionFailureRetryInterval
			if q.TransientFailureRetryCount > 0 {
				r.Interval, r.Retries, r.Then = q.TransientFailureRetryInterval, q.TransientFailureRetryCount, q.OutboundConnectionFailureRetryInterval
			}
		}
		r.NDR, _ = ParseStatus(StatusExpired)
	}
	return r
}
