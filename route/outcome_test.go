package route_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/stretchr/testify/require"
)

// TestStatusLines: every status line the engine produces parses into its
// reply code, enhanced status code and text, and prints back the same.
func TestStatusLines(t *testing.T) {
	for _, line := range []string{
		route.StatusDBEB, route.StatusRelayDenied, route.StatusTenantRelayDenied, route.StatusRelayDeniedATTR36, route.StatusStartTLS,
		route.StatusLoopExchangeOnline, route.StatusLoopOnPremises, route.StatusRecipientNotFound, route.StatusUnableToRelay,
		route.StatusDNSFailedOnline, route.StatusDNSFailedOnPremises, route.StatusRecipientNotFoundEXO, route.StatusPartnerRestriction,
		route.StatusBlockList, route.StatusNotAuthenticatedSubmission, route.StatusSendAsDenied, route.StatusRejectDirectSend,
		route.StatusGreylisted, route.StatusSenderNotAuthenticated, route.StatusForwardingBlocked, route.StatusMessageTooLarge,
		route.StatusConnectionRefused, route.StatusTLSRequired, route.StatusUntrustedRoot, route.StatusCertificateInvalid,
		route.StatusUnableToConnectOnPremises, route.StatusStartTLSRequiredOnPremises, route.StatusMustStartTLSOnPremises,
		route.StatusNotAuthenticatedOnPremises,
	} {
		s, err := route.ParseStatus(line)
		if err != nil || s.Enhanced == "" || s.Text == "" || s.String() != line {
			t.Errorf("ParseStatus(%q) = %+v, %v; want code, enhanced code and text that print back", line, s, err)
		}
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		line string
		want route.Status
		err  bool
	}{
		{"550 5.7.64 TenantAttribution; Relay Access Denied", route.Status{Code: 550, Enhanced: "5.7.64", Text: "TenantAttribution; Relay Access Denied"}, false},
		{"451 4.4.0 DNS query failed", route.Status{Code: 451, Enhanced: "4.4.0", Text: "DNS query failed"}, false},
		{"550 5.7.1", route.Status{Code: 550, Enhanced: "5.7.1"}, false},
		{"550 Denied", route.Status{Code: 550, Text: "Denied"}, false},
		{"451 5.7.3 STARTTLS is required to send mail", route.Status{Code: 451, Enhanced: "5.7.3", Text: "STARTTLS is required to send mail"}, false},
		{"550 3.7.1 no such class", route.Status{Code: 550, Text: "3.7.1 no such class"}, false},
		{"550 5.7.1234 too long", route.Status{Code: 550, Text: "5.7.1234 too long"}, false},
		{"", route.Status{}, false},
		{"hello", route.Status{}, true},
		{"55 5.7.1 x", route.Status{}, true},
		{"700 7.0.0 x", route.Status{}, true},
	}
	for _, tt := range tests {
		got, err := route.ParseStatus(tt.line)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("ParseStatus(%q) = %+v, %v; want %+v, error %v", tt.line, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, route.ErrBadStatus) {
			t.Errorf("ParseStatus(%q) error %v does not wrap ErrBadStatus", tt.line, err)
		}
		if err == nil && got.String() != tt.line {
			t.Errorf("ParseStatus(%q).String() = %q", tt.line, got.String())
		}
	}
	s := route.MustParseStatus(route.StatusDBEB)
	if s.Short() != "550 5.4.1" || !s.Permanent() || s.Transient() {
		t.Errorf("%+v: Short %q, Permanent %v, Transient %v", s, s.Short(), s.Permanent(), s.Transient())
	}
}

// textValue is an enum whose text form round-trips.
type textValue interface {
	MarshalText() ([]byte, error)
	String() string
}

// TestEnumText: every value of every closed set prints its name and reads
// back; the zero value does not marshal.
func TestEnumText(t *testing.T) {
	check := func(v textValue, read func([]byte) (textValue, error)) {
		t.Helper()
		b, err := v.MarshalText()
		if err != nil || string(b) != v.String() {
			t.Errorf("%#v.MarshalText() = %q, %v; want %q", v, b, err, v.String())
			return
		}
		back, err := read(b)
		if err != nil || back != v {
			t.Errorf("UnmarshalText(%q) = %#v, %v; want %#v", b, back, err, v)
		}
	}
	for e := route.RECEIVE; e <= route.EXPAND; e++ {
		check(e, func(b []byte) (textValue, error) { var x route.Event; return x, x.UnmarshalText(b) })
	}
	for s := route.ConnectionFilter; s <= route.Compliance; s++ {
		check(s, func(b []byte) (textValue, error) { var x route.Stage; return x, x.UnmarshalText(b) })
	}
	for r := route.Applied; r <= route.NotEffective; r++ {
		check(r, func(b []byte) (textValue, error) { var x route.StageResult; return x, x.UnmarshalText(b) })
	}
	for v := route.VerdictPass; v <= route.VerdictAllow; v++ {
		check(v, func(b []byte) (textValue, error) { var x route.Verdict; return x, x.UnmarshalText(b) })
	}
	for a := route.MoveToJmf; a <= route.Delete; a++ {
		check(a, func(b []byte) (textValue, error) { var x route.SpamAction; return x, x.UnmarshalText(b) })
	}
	for d := route.Delivered; d <= route.Expanded; d++ {
		check(d, func(b []byte) (textValue, error) { var x route.Disposition; return x, x.UnmarshalText(b) })
	}
	for f := route.Inbox; f <= route.JunkEmail; f++ {
		check(f, func(b []byte) (textValue, error) { var x route.Folder; return x, x.UnmarshalText(b) })
	}
	for c := route.CertificateValid; c <= route.CertificateRevoked; c++ {
		check(c, func(b []byte) (textValue, error) { var x route.CertificateStatus; return x, x.UnmarshalText(b) })
	}
	for f := route.NoSTARTTLS; f <= route.SubjectMismatch; f++ {
		check(f, func(b []byte) (textValue, error) { var x route.TLSFailure; return x, x.UnmarshalText(b) })
	}
	for s := route.SenderSide; s <= route.ReceiverSide; s++ {
		check(s, func(b []byte) (textValue, error) { var x route.TLSSide; return x, x.UnmarshalText(b) })
	}
	if _, err := route.Event(0).MarshalText(); err == nil {
		t.Error("Event(0).MarshalText() succeeded")
	}
	if s := route.Stage(99).String(); s != "Stage(99)" {
		t.Errorf("Stage(99).String() = %q", s)
	}
	var st route.Stage
	if err := st.UnmarshalText([]byte("AntiVirus")); err == nil {
		t.Error(`Stage.UnmarshalText("AntiVirus") succeeded`)
	}
}

// TestResultJSON: a result's JSON keeps the keys of earlier versions
// (status, applied, the NotEffective verdict) beside the typed ones, and
// reads back to an equal result.
func TestResultJSON(t *testing.T) {
	for _, s := range scenario.Builtin() {
		runs, err := s.Run()
		require.NoError(t, err)
		for _, r := range runs {
			b, err := json.Marshal(r.Result)
			require.NoError(t, err)
			var back route.Result
			require.NoError(t, json.Unmarshal(b, &back), "%s", b)
			if diff := cmp.Diff(r.Result, &back, testopts.Cmp); diff != "" {
				t.Errorf("%s | %s | %s: JSON round trip (-want +got):\n%s", r.Scenario, r.Flow, r.Settings, diff)
			}
		}
	}
	res := trace(t, mxOnPrem, route.Message{From: scenario.Sender, To: []string{"nobody@contoso.com", scenario.David}})
	b, err := json.Marshal(res.Recipients[0])
	require.NoError(t, err)
	var rc map[string]any
	require.NoError(t, json.Unmarshal(b, &rc))
	if rc["status"] != route.StatusRecipientNotFound || rc["statusCode"] != "550" || rc["enhancedStatusCode"] != "5.1.1" {
		t.Errorf("recipient JSON status keys = %v, %v, %v", rc["status"], rc["statusCode"], rc["enhancedStatusCode"])
	}
	// David's copy reaches EOP from on-premises: anti-spam is not effective.
	eopHop := res.Recipients[1].Hops[2]
	f, _ := eopHop.Filter(route.AntiSpam)
	b, err = json.Marshal(f)
	require.NoError(t, err)
	var fj map[string]any
	require.NoError(t, json.Unmarshal(b, &fj))
	if fj["applied"] != false || fj["result"] != "NotEffective" || fj["verdict"] != "NotEffective" {
		t.Errorf("not-effective filter JSON = %s", b)
	}
}

// TestHopTLS: each hop reached over SMTP records its connection: the
// hybrid Send connector requires TLS with DomainValidation, EOP's inbound
// connector requires TLS and EX01's certificate (Transport routing in
// Exchange hybrid deployments; Hybrid Configuration wizard).
func TestHopTLS(t *testing.T) {
	res := trace(t, mxEOP, route.Message{From: scenario.Julie, To: []string{scenario.David}})
	hops := res.Recipients[0].Hops
	if hops[0].TLS != nil {
		t.Errorf("submission hop has a connection: %+v", hops[0].TLS)
	}
	// The subject first, then the alternative names in ascending order
	// (docs/behaviour.md, L11).
	ex01 := []string{"mail.contoso.com", "autodiscover.contoso.com", "ex01.contoso.com"}
	eop := []string{"mail.protection.outlook.com", "*.mail.protection.outlook.com"}
	want := &route.TLS{
		STARTTLS: true,
		Server:   &route.Certificate{Names: eop, Status: route.CertificateValid},
		Client:   &route.Certificate{Names: ex01, Status: route.CertificateValid},
		Required: []route.TLSRequirement{
			{Side: route.SenderSide, Connector: "Outbound to Office 365", Parameter: "RequireTLS", Value: "DomainValidation", Domain: "mail.protection.outlook.com"},
			{Side: route.ReceiverSide, Connector: "Inbound from contoso", Parameter: "RequireTls"},
			{Side: route.ReceiverSide, Connector: "Inbound from contoso", Parameter: "TlsSenderCertificateName", Value: "mail.contoso.com", Domain: "mail.contoso.com"},
		},
	}
	if diff := cmp.Diff(want, hops[2].TLS); diff != "" {
		t.Errorf("EOP hop's connection (-want +got):\n%s", diff)
	}
	// The certificates are the result's own: changing them changes no
	// later trace.
	hops[2].TLS.Client.Names[0] = "changed"
	again := trace(t, mxEOP, route.Message{From: scenario.Julie, To: []string{scenario.David}})
	if got := again.Recipients[0].Hops[2].TLS.Client.Names[0]; got != "mail.contoso.com" {
		t.Errorf("a result's certificate shares memory with the topology: %q", got)
	}
}

// TestCopyHops walks the copy tree of the documented split: Exchange
// Online splits David's copy off at hop 3.
func TestCopyHops(t *testing.T) {
	res := trace(t, mxEOP, route.Message{From: scenario.Sender, To: []string{scenario.Julie, scenario.David}})
	require.Equal(t, []int{1}, res.Copies[0].Children)
	want0 := []route.CopyHop{
		{Index: 0, Node: id(internet), Recipients: []int{0, 1}},
		{Index: 1, Node: id(eop), Recipients: []int{0, 1}},
		{Index: 2, Node: id(exo), Recipients: []int{0}},
		{Index: 3, Node: id(eop), Recipients: []int{0}},
		{Index: 4, Node: id(ex01), Recipients: []int{0}},
		{Index: 5, Node: id(ex02), Recipients: []int{0}},
	}
	if diff := cmp.Diff(want0, res.CopyHops(0), testopts.Cmp); diff != "" {
		t.Errorf("CopyHops(0) (-want +got):\n%s", diff)
	}
	want1 := []route.CopyHop{{Index: 2, Node: id(exo), Recipients: []int{1}}}
	if diff := cmp.Diff(want1, res.CopyHops(1), testopts.Cmp); diff != "" {
		t.Errorf("CopyHops(1) (-want +got):\n%s", diff)
	}
	if got := res.CopyHops(2); got != nil {
		t.Errorf("CopyHops(2) = %v, want nil", got)
	}
}
