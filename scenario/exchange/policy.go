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
	name := c.rec.text("Name")
	c.take("Name")
	isDefault := c.isDefaultPolicy()
	c.rest(reflect.ValueOf(&p).Elem())
	return contentFilterPolicy{p, name, isDefault}
}

// contentFilterSkip are the anti-spam policy's properties that change no
// path nor verdict the simulator gives: quarantine policies and
// retention, end-user spam notifications, the texts of the AddXHeader and
// ModifySubject actions, safety tips, the policy's own bookkeeping
// ("Set-HostedContentFilterPolicy").
var contentFilterSkip = nameSet("IsDefault AddXHeaderValue ModifySubjectValue QuarantineRetentionPeriod " +
	"SpamQuarantineTag HighConfidenceSpamQuarantineTag PhishQuarantineTag HighConfidencePhishQuarantineTag BulkQuarantineTag " +
	"EnableEndUserSpamNotifications EndUserSpamNotificationCustomFromAddress EndUserSpamNotificationCustomFromName " +
	"EndUserSpamNotificationCustomSubject EndUserSpamNotificationFrequency EndUserSpamNotificationLanguage EndUserSpamNotificationLimit " +
	"DownloadLink InlineSafetyTipsEnabled RecommendedPolicyType IsBuiltInProtection AdminDisplayName " +
	"LanguageBlockListIsDefault RegionBlockListIsDefault TestModeBccToRecipients")

// contentFilterUnmodelled are the properties that change a verdict or a
// path but that the simulator does not model: the SCL is the message's
// input ([route.Message].SCL), so what raises or lowers it, the bulk and
// phishing verdicts and their actions, allowed and blocked senders, and
// redirection are noted.
var contentFilterUnmodelled = nameSet("BulkSpamAction BulkThreshold PhishSpamAction HighConfidencePhishAction " +
	"AllowedSenders AllowedSenderDomains BlockedSenders BlockedSenderDomains RedirectToRecipients " +
	"EnableLanguageBlockList LanguageBlockList EnableRegionBlockList RegionBlockList IntraOrgFilterState " +
	"IncreaseScoreWithImageLinks IncreaseScoreWithNumericIps IncreaseScoreWithRedirectToOtherPort IncreaseScoreWithBizOrInfoUrls " +
	"MarkAsSpamEmptyMessages MarkAsSpamJavaScriptInHtml MarkAsSpamFramesInHtml MarkAsSpamObjectTagsInHtml MarkAsSpamEmbedTagsInHtml " +
	"MarkAsSpamFormTagsInHtml MarkAsSpamWebBugsInHtml MarkAsSpamSensitiveWordList MarkAsSpamSpfRecordHardFail " +
	"MarkAsSpamFromAddressAuthFail MarkAsSpamBulkMail MarkAsSpamNdrBackscatter TestModeAction SpamZapEnabled PhishZapEnabled ZapEnabled")

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
