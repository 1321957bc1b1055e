package topology

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Exchange Server's queue defaults ("Message retry, resubmit, and
// expiration intervals").
const (
	DefaultMessageExpirationTimeout               = 48 * time.Hour
	DefaultTransientFailureRetryInterval          = 5 * time.Minute
	DefaultOutboundConnectionFailureRetryInterval = 10 * time.Minute
	DefaultDelayNotificationTimeout               = 4 * time.Hour
	DefaultTransientFailureRetryCount             = 6
)

// ParseTimeSpan reads a .NET TimeSpan as PowerShell prints it:
// "[d.]hh:mm:ss[.fffffff]" ("2.00:00:00", "00:10:00").
func ParseTimeSpan(s string) (time.Duration, error) {
	days := 0
	rest := s
	if i := strings.IndexByte(s, '.'); i >= 0 && i < strings.IndexByte(s, ':') {
		d, err := strconv.Atoi(s[:i])
		if err != nil || d < 0 {
			return 0, fmt.Errorf("%q is not a TimeSpan such as 2.00:00:00", s)
		}
		days, rest = d, s[i+1:]
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("%q is not a TimeSpan such as 2.00:00:00", s)
	}
	h, errH := strconv.Atoi(parts[0])
	m, errM := strconv.Atoi(parts[1])
	sec, errS := strconv.ParseFloat(parts[2], 64)
	if errH != nil || errM != nil || errS != nil || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec >= 60 {
		return 0, fmt.Errorf("%q is not a TimeSpan such as 2.00:00:00", s)
	}
	return time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(sec*float64(time.Second)), nil
}

// Queues is how an on-premises organization's transport servers retry and
// expire deferred messages.
type Queues struct {
	MessageExpirationTimeout               time.Duration
	TransientFailureRetryInterval          time.Duration
	OutboundConnectionFailureRetryInterval time.Duration
	DelayNotificationTimeout               time.Duration
	TransientFailureRetryCount             int
}

// Queues returns the organization's queue settings, defaults filled in.
func (o *OnPremises) Queues() Queues { return o.queues }

// queues validates the TransportService settings and returns them with
// the defaults filled in.
func (b *builder) queues(obj string, ts TransportService) Queues {
	q := Queues{DefaultMessageExpirationTimeout, DefaultTransientFailureRetryInterval, DefaultOutboundConnectionFailureRetryInterval,
		DefaultDelayNotificationTimeout, DefaultTransientFailureRetryCount}
	if n := ts.TransientFailureRetryCount; n != nil {
		if *n < 0 || *n > 15 {
			b.ps.add(obj, "TransportService.TransientFailureRetryCount", fmt.Sprintf("%d is not from 0 to 15", *n))
		} else {
			q.TransientFailureRetryCount = *n
		}
	}
	for _, f := range []struct {
		field, value string
		dst          *time.Duration
		min, max     time.Duration
	}{
		{"MessageExpirationTimeout", ts.MessageExpirationTimeout, &q.MessageExpirationTimeout, time.Second, 90 * 24 * time.Hour},
		{"TransientFailureRetryInterval", ts.TransientFailureRetryInterval, &q.TransientFailureRetryInterval, time.Second, 12 * time.Hour},
		{"OutboundConnectionFailureRetryInterval", ts.OutboundConnectionFailureRetryInterval, &q.OutboundConnectionFailureRetryInterval, time.Second, 20 * 24 * time.Hour},
		{"DelayNotificationTimeout", ts.DelayNotificationTimeout, &q.DelayNotificationTimeout, time.Second, 30 * 24 * time.Hour},
	} {
		if f.value == "" {
			continue
		}
		d, err := ParseTimeSpan(f.value)
		switch {
		case err != nil:
			b.ps.add(obj, "TransportService."+f.field, err.Error())
		case d < f.min || d > f.max:
			b.ps.add(obj, "TransportService."+f.field, fmt.Sprintf("%s is not from %s to %s", f.value, f.min, f.max))
		default:
			*f.dst = d
		}
	}
	return q
}
