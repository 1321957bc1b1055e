package topology_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// signatureService is the add-on service of "Integrate Microsoft 365 with
// an email add-on service": an Appliance that processes SMTP and changes
// the message it sends back.
func signatureService() topology.ExternalSpec {
	return topology.ExternalSpec{
		Name: "signature", Kind: topology.Appliance, Hosts: []string{"smtp.contososignatureservice.com"},
		SmartHost:      topology.EOPHost("contoso.com"),
		AddsHeaders:    []topology.Header{{Name: "SignatureContoso", Value: "true"}},
		RemovesHeaders: []string{"X-Needs-Signature"}, KeepsOrganizationHeaders: true,
		RewritesSenderTo: "bounces@contososignatureservice.com",
		ModifiesBody:     true, DkimSigningDomain: "ContosoSignatureService.com", DkimSelector: "S1",
		ArcSealingDomain: "ContosoSignatureService.com",
	}
}

func TestBuildService(t *testing.T) {
	spec := minimalSpec()
	spec.MXRecords = append(spec.MXRecords, topology.MXRecord{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")})
	spec.External = append(spec.External, signatureService())
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	n, ok := topo.Node(topology.MustParseNodeID("appliance:signature"))
	require.True(t, ok)
	if got, want := slices.Collect(n.AddsHeaders()), []topology.Header{{Name: "SignatureContoso", Value: "true"}}; !slices.Equal(got, want) {
		t.Errorf("AddsHeaders() = %v, want %v", got, want)
	}
	if got, want := slices.Collect(n.RemovesHeaders()), []string{"X-Needs-Signature"}; !slices.Equal(got, want) {
		t.Errorf("RemovesHeaders() = %v, want %v", got, want)
	}
	if !n.KeepsOrganizationHeaders || n.RewritesSenderTo != "bounces@contososignatureservice.com" || !n.ModifiesMessage() {
		t.Errorf("node = %+v, want KeepsOrganizationHeaders, RewritesSenderTo and ModifiesMessage", n)
	}
	// The topology keeps no reference to the spec's slices.
	spec.External[len(spec.External)-1].AddsHeaders[0].Value = "changed"
	n, _ = topo.Node(topology.MustParseNodeID("appliance:signature"))
	if got := slices.Collect(n.AddsHeaders()); got[0].Value != "true" {
		t.Errorf("AddsHeaders() after changing the spec = %v, want the value Build saw", got)
	}
	if !n.ModifiesBody || n.DkimSigningDomain != "contososignatureservice.com" || n.DkimSelector != "s1" || n.ArcSealingDomain != "contososignatureservice.com" {
		t.Errorf("node = %+v, want ModifiesBody and the signer in lower case", n)
	}
	plain, _ := topo.Node(topology.MustParseNodeID("eop:contoso"))
	if plain.ModifiesMessage() {
		t.Error("eop:contoso ModifiesMessage() = true, want false")
	}
}

func TestBuildServiceInvalid(t *testing.T) {
	const obj = `External["signature"]`
	tests := []struct {
		name   string
		modify func(*topology.ExternalSpec)
		want   []topology.Problem
	}{
		{
			name:   "NotAnAppliance",
			modify: func(e *topology.ExternalSpec) { e.Kind = topology.Partner; e.SmartHost = "" },
			want: []topology.Problem{
				{Path: obj, Field: "AddsHeaders", Message: "only an Appliance changes the message it forwards"},
				{Path: obj, Field: "ArcSealingDomain", Message: "only an Appliance changes the message it forwards"},
				{Path: obj, Field: "KeepsOrganizationHeaders", Message: "only an Appliance changes the message it forwards"},
				{Path: obj, Field: "ModifiesBody", Message: "only an Appliance changes the message it forwards"},
				{Path: obj, Field: "RemovesHeaders", Message: "only an Appliance changes the message it forwards"},
				{Path: obj, Field: "RewritesSenderTo", Message: "only an Appliance changes the message it forwards"},
			},
		},
		{
			name: "Transparent",
			modify: func(e *topology.ExternalSpec) {
				e.Transparent, e.AddsHeaders, e.RemovesHeaders, e.RewritesSenderTo, e.ModifiesBody = true, nil, nil, "", false
			},
			want: []topology.Problem{
				{Path: obj, Field: "ArcSealingDomain", Message: "a Transparent Appliance passes the message through unchanged"},
				{Path: obj, Field: "DkimSigningDomain", Message: "a Transparent Appliance passes the message through unchanged"},
				{Path: obj, Field: "KeepsOrganizationHeaders", Message: "a Transparent Appliance passes the message through unchanged"},
			},
		},
		{
			name:   "SelectorWithoutDomain",
			modify: func(e *topology.ExternalSpec) { e.DkimSigningDomain = "" },
			want:   []topology.Problem{{Path: obj, Field: "DkimSelector", Message: "is set without DkimSigningDomain"}},
		},
		{
			name:   "DomainWithoutSelector",
			modify: func(e *topology.ExternalSpec) { e.DkimSelector = "" },
			want:   []topology.Problem{{Path: obj, Field: "DkimSigningDomain", Message: "is set without DkimSelector (s=)"}},
		},
		{
			name: "BadSigner",
			modify: func(e *topology.ExternalSpec) {
				e.DkimSigningDomain, e.DkimSelector, e.ArcSealingDomain = "nodot", "bad selector", "bad..example"
			},
			want: []topology.Problem{{Path: obj, Field: "ArcSealingDomain"}, {Path: obj, Field: "DkimSelector"}, {Path: obj, Field: "DkimSigningDomain"}},
		},
		{
			name: "BadHeaders",
			modify: func(e *topology.ExternalSpec) {
				e.AddsHeaders = []topology.Header{{Name: "X Bad:", Value: "a\r\nb"}, {Name: ""}}
				e.RemovesHeaders = []string{"ok", "no:colon"}
			},
			want: []topology.Problem{
				{Path: obj, Field: "AddsHeaders[0].Name", Message: `"X Bad:" is not a header field name (printable characters except colon, RFC 5322)`},
				{Path: obj, Field: "AddsHeaders[0].Value", Message: `"a\r\nb" holds a line break`},
				{Path: obj, Field: "AddsHeaders[1].Name", Message: `"" is empty`},
				{Path: obj, Field: "RemovesHeaders[1]", Message: `"no:colon" is not a header field name (printable characters except colon, RFC 5322)`},
			},
		},
		{
			name:   "BadSender",
			modify: func(e *topology.ExternalSpec) { e.RewritesSenderTo = "not an address" },
			want:   []topology.Problem{{Path: obj, Field: "RewritesSenderTo"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := minimalSpec()
			spec.MXRecords = append(spec.MXRecords, topology.MXRecord{Domain: "contoso.com", NameExchange: topology.EOPHost("contoso.com")})
			svc := signatureService()
			tt.modify(&svc)
			spec.External = append(spec.External, svc)
			_, err := topology.Build(spec)
			var ve *topology.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Build() error = %v, want a *ValidationError", err)
			}
			got := ve.Problems
			if tt.name == "BadSender" || tt.name == "BadSigner" { // the address parser's words are its own
				for i := range got {
					got[i].Message = ""
				}
			}
			if diff := cmp.Diff(tt.want, got, testopts.Cmp); diff != "" {
				t.Errorf("Build() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
