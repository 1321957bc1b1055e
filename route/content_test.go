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
	if _, err := topology.Build(rulesSpec(reject(topology.Predicates{AttachmentNameMatchesPatterns: []string{"("}}))); err == nil {
		t.Errorf("Build accepted the pattern %q", "(")
	}
}
