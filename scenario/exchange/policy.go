package exchange

import (
	"reflect"

	"github.com/mailflowsim/mailflow/topology"
)

// convertContentFilter reads a Get-HostedContentFilterPolicy object: what
// the anti-spam policy does with spam (SpamAction) and high confidence
// spam (HighConfidenceSpamAction). Its many other properties (allowed
// and blocked senders, bulk thresholds, quarantine tags…) are noted.
func convertContentFilter(c *converter) any {
	var p topology.ContentFilterPolicy
	c.rest(reflect.ValueOf(&p).Elem())
	return contentFilterPolicy{p, c.rec.text("Name"), c.isDefaultPolicy()}
}

// contentFilterPolicy is a converted anti-spam policy, with whether it is
// the default one, which applies to every recipient.
type contentFilterPolicy struct {
	policy    topology.ContentFilterPolicy
	name      string
	isDefault bool
}

// isDefaultPolicy reports whether the policy object is the default one:
// IsDefault $true, or named Default.
func (c *converter) isDefaultPolicy() bool {
	v, _ := c.take("IsDefault")
	isDefault, _ := v.boolean()
	return isDefault || c.rec.text("Name") == "Default"
}

// orgConfig is what the importer reads of Get-OrganizationConfig.
type orgConfig struct {
	rejectDirectSend bool
}

// convertOrganizationConfig reads RejectDirectSend ("Introducing more
// control over Direct Send in Exchange Online"); the other organization
// settings are skipped silently unless routing-relevant ones are added.
func convertOrganizationConfig(c *converter) any {
	var oc orgConfig
	if v, ok := c.take("RejectDirectSend"); ok {
		oc.rejectDirectSend, _ = v.boolean()
	}
	return oc
}

// convertJournalRule reads a Get-JournalRule object into a
// [topology.JournalRule] ("Journaling in Exchange Online"; New-JournalRule).
func convertJournalRule(c *converter) any {
	var r topology.JournalRule
	if v, ok := c.take("Name"); ok {
		r.Name, _ = v.str()
	}
	c.rest(reflect.ValueOf(&r).Elem())
	return r
}

// serverQueues is what the importer reads of Get-TransportService:
// the server and its queue settings.
type serverQueues struct {
	server   string
	settings topology.TransportService
}

// convertTransportService reads a server's retry and expiry settings
// (Set-TransportService): MessageExpirationTimeout,
// TransientFailureRetryInterval, TransientFailureRetryCount,
// OutboundConnectionFailureRetryInterval and DelayNotificationTimeout,
// as the TimeSpans PowerShell prints. The many other settings (logs,
// limits, queue paths) are noted.
func convertTransportService(c *converter) any {
	var ts serverQueues
	if v, ok := c.take("Name"); ok {
		ts.server, _ = v.str()
	}
	for _, f := range []struct {
		prop string
		dst  *string
	}{
		{"MessageExpirationTimeout", &ts.settings.MessageExpirationTimeout},
		{"TransientFailureRetryInterval", &ts.settings.TransientFailureRetryInterval},
		{"OutboundConnectionFailureRetryInterval", &ts.settings.OutboundConnectionFailureRetryInterval},
		{"DelayNotificationTimeout", &ts.settings.DelayNotificationTimeout},
	} {
		v, ok := c.take(f.prop)
		if !ok || v.kind == nullValue {
			continue
		}
		if s, ok := v.timeSpan(); ok {
			*f.dst = s
		} else {
			c.bad(f.prop, v, "a TimeSpan such as 2.00:00:00: the default applies")
		}
	}
	if v, ok := c.take("TransientFailureRetryCount"); ok && v.kind != nullValue {
		if n, ok := v.integer(); ok && n >= 0 && n <= 15 {
			ts.settings.TransientFailureRetryCount = new(int(n))
		} else {
			c.bad("TransientFailureRetryCount", v, "a count from 0 to 15: the default applies")
		}
	}
	c.rest(reflect.Value{})
	return ts
}
