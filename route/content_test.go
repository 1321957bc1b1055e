package route_test

import (
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// TestContentConditions: mail flow rule conditions on the subject, the
// body and attachments ("Mail flow rule conditions and exceptions
// (predicates) in Exchange Online"), each met and not met, read from the
// message's Subject, Body and Attachments
// (docs/behaviour.md#l16-words-in-the-subject-and-body).
func TestContentConditions(t *testing.T) {
	msg := func(subject, body string, attachments ...string) route.Message {
		return route.Message{From: erin, To: []string{ben}, Subject: subject, Body: body, Attachments: attachments}
	}
	tests := []struct {
		name string
		p    topology.Predicates
		msg  route.Message
		want bool // rejected by the rule
	}{
		{"Subject_Met", topology.Predicates{SubjectContainsWords: []string{"Invoice"}}, msg("Your INVOICE 42", ""), true},
		{"Subject_NotMet", topology.Predicates{SubjectContainsWords: []string{"invoice"}}, msg("Hello", "invoice attached"), false},
		{"SubjectOrBody_Body", topology.Predicates{SubjectOrBodyContainsWords: []string{"wire transfer"}}, msg("Hello", "please make a Wire Transfer today"), true},
		{"SubjectOrBody_NotMet", topology.Predicates{SubjectOrBodyContainsWords: []string{"wire transfer"}}, msg("Hello", "see you"), false},
		{"AttachmentName_Met", topology.Predicates{AttachmentNameMatchesPatterns: []string{`^invoice.*\.zip$`}}, msg("", "", "readme.txt", "Invoice-42.ZIP"), true},
		{"AttachmentName_NotMet", topology.Predicates{AttachmentNameMatchesPatterns: []string{`^invoice.*\.zip$`}}, msg("", "", "report.zip"), false},
		{"AttachmentExtension_Met", topology.Predicates{AttachmentExtensionMatchesWords: []string{"exe", "js"}}, msg("", "", "setup.EXE"), true},
		{"AttachmentExtension_NoAttachment", topology.Predicates{AttachmentExtensionMatchesWords: []string{"exe"}}, msg("", ""), false},
		{"SubjectPattern_Met", topology.Predicates{SubjectMatchesPatterns: []string{`^invoice \d+$`}}, msg("INVOICE 42", ""), true},
		{"SubjectPattern_NotMet", topology.Predicates{SubjectMatchesPatterns: []string{`^invoice \d+$`}}, msg("Re: invoice 42", ""), false},
		{"SubjectOrBodyPattern_Body", topology.Predicates{SubjectOrBodyMatchesPatterns: []string{`\biban\b`}}, msg("Hello", "my IBAN is"), true},
		{"SubjectOrBodyPattern_NotMet", topology.Predicates{SubjectOrBodyMatchesPatterns: []string{`\biban\b`}}, msg("Hello", "Libanais"), false},
		{"HeaderPattern_Met", topology.Predicates{HeaderMatchesMessageHeader: "X-Mailer", HeaderMatchesPatterns: []string{`^bulk\w*`}},
			withHeader(msg("", ""), "x-mailer", "BulkSender 2.0"), true},
		{"HeaderPattern_OtherHeader", topology.Predicates{HeaderMatchesMessageHeader: "X-Mailer", HeaderMatchesPatterns: []string{`^bulk`}},
			withHeader(msg("", ""), "X-Tool", "BulkSender"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, rulesSpec(reject(tt.p))), tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			r := res.Recipients[0]
			if got := r.Disposition == route.Rejected && r.Status.String() == rejected571; got != tt.want {
				t.Errorf("rejected = %v (%v %q), want %v\n%s", got, r.Disposition, r.Status, tt.want, textAndJSON(t, res))
			}
		})
	}
	// A pattern that is not a regular expression is refused at Build.
	for _, p := range []topology.Predicates{{AttachmentNameMatchesPatterns: []string{"("}}, {SubjectMatchesPatterns: []string{"("}},
		{HeaderMatchesMessageHeader: "X-A", HeaderMatchesPatterns: []string{"("}}, {HeaderMatchesMessageHeader: "X-A"}} {
		if _, err := topology.Build(rulesSpec(reject(p))); err == nil {
			t.Errorf("Build accepted %+v", p)
		}
	}
}

func withHeader(m route.Message, name, value string) route.Message {
	m.Headers = append(m.Headers, route.Header{Name: name, Value: value})
	return m
}

// TestSenderAddressLocation: a rule's sender conditions read the From
// header by default, MAIL FROM with Envelope, either with HeaderOrEnvelope
// (New-TransportRule: SenderAddressLocation); a message without a From
// header is examined by its MAIL FROM
// (docs/behaviour.md#l17-the-sender-a-mail-flow-rule-examines).
func TestSenderAddressLocation(t *testing.T) {
	spoofed := route.Message{From: erin, To: []string{ben}, Headers: []route.Header{{Name: "From", Value: "The Boss <boss@fabrikam.com>"}}}
	plain := route.Message{From: erin, To: []string{ben}}
	tests := []struct {
		location string
		msg      route.Message
		domain   string
		want     bool
	}{
		{"", spoofed, "fabrikam.com", true},
		{"", spoofed, "cpandl.com", false},
		{"Header", spoofed, "fabrikam.com", true},
		{"Envelope", spoofed, "fabrikam.com", false},
		{"Envelope", spoofed, "cpandl.com", true},
		{"HeaderOrEnvelope", spoofed, "cpandl.com", true},
		{"HeaderOrEnvelope", spoofed, "fabrikam.com", true},
		{"HeaderOrEnvelope", spoofed, "tailspin.example", false},
		{"", plain, "cpandl.com", true},
	}
	for _, tt := range tests {
		rule := reject(topology.Predicates{SenderDomainIs: []string{tt.domain}})
		rule.SenderAddressLocation = tt.location
		res, err := route.Trace(build(t, rulesSpec(rule)), tt.msg)
		if err != nil {
			t.Fatal(err)
		}
		r := res.Recipients[0]
		if got := r.Disposition == route.Rejected; got != tt.want {
			t.Errorf("SenderAddressLocation %q, SenderDomainIs %s, From header %v: rejected = %v, want %v", tt.location, tt.domain, tt.msg.Headers, got, tt.want)
		}
	}
	// The index of rules by sender finds a rule on the From header's
	// sender too.
	rule := reject(topology.Predicates{From: []string{"boss@fabrikam.com"}})
	res, err := route.Trace(build(t, rulesSpec(rule)), spoofed)
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Recipients[0]; r.Disposition != route.Rejected {
		t.Errorf("From condition on the From header: %v, want Rejected", r.Disposition)
	}
	bad := reject(topology.Predicates{SenderDomainIs: []string{"fabrikam.com"}})
	bad.SenderAddressLocation = "Sender"
	if _, err := topology.Build(rulesSpec(bad)); err == nil {
		t.Errorf("Build accepted SenderAddressLocation %q", bad.SenderAddressLocation)
	}
}
