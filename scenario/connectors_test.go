package scenario_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/stretchr/testify/require"
)

// outcomes runs a scenario and returns, for each variant, flow and
// recipient, "Disposition status | path".
func outcomes(t *testing.T, s *scenario.Scenario) map[string]string {
	t.Helper()
	runs, err := s.Run()
	require.NoError(t, err)
	got := map[string]string{}
	for _, r := range runs {
		for _, rc := range r.Result.Recipients {
			var nodes []string
			for _, h := range rc.Hops {
				nodes = append(nodes, h.Node.String())
			}
			if len(nodes) > 6 {
				nodes = append(nodes[:3], fmt.Sprintf("…%d hops", len(rc.Hops)))
			}
			key := fmt.Sprintf("%s | %s | %s", r.Settings, r.Flow, rc.Address)
			got[key] = strings.TrimSpace(fmt.Sprintf("%s %s", rc.Disposition, rc.Status)) + " | " + strings.Join(nodes, " > ")
		}
	}
	return got
}

func TestConnectorSelectionScenario(t *testing.T) {
	const ms, lo = "selection=MostSpecific | Admin to the three Johns | ", "selection=ListedOrder | Admin to the three Johns | "
	want := map[string]string{
		// Exact beats wildcard, wildcard beats all accepted domains
		// (docs/behaviour.md#d1-outbound-connector-precedence).
		ms + "john@fabrikam.com":      "Delivered | exo:contoso > eop:contoso > onprem:contoso/EX1",
		ms + "john@contoso.com":       "Delivered | exo:contoso > eop:contoso > onprem:contoso/EX2",
		ms + "john@sales.contoso.com": "Delivered | exo:contoso > eop:contoso > onprem:contoso/EX3",
		// The listed order puts all accepted domains before wildcards: EX1
		// takes sales.contoso.com and passes it on inside the organization.
		lo + "john@fabrikam.com":      "Delivered | exo:contoso > eop:contoso > onprem:contoso/EX1",
		lo + "john@contoso.com":       "Delivered | exo:contoso > eop:contoso > onprem:contoso/EX2",
		lo + "john@sales.contoso.com": "Delivered | exo:contoso > eop:contoso > onprem:contoso/EX1 > onprem:contoso/EX3",
	}
	if diff := cmp.Diff(want, outcomes(t, scenario.ConnectorSelection())); diff != "" {
		t.Errorf("connector-selection outcomes (-want +got):\n%s", diff)
	}
}

func TestEOPStandaloneScenario(t *testing.T) {
	const on, off = "connectors=true | ", "connectors=false | "
	loop := "Looped 554 5.4.14 Hop count exceeded - possible mail loop ATTR34"
	want := map[string]string{
		on + "John to Bob | bob@contoso.com":      "Delivered | onprem:contoso/MAIL01 > eop:contoso > exo:contoso",
		on + "John to Sun | sun@tailspintoys.com": "Relayed | onprem:contoso/MAIL01 > eop:contoso > ext:tailspintoys",
		on + "Bob to John | john@contoso.com":     "Delivered | exo:contoso > eop:contoso > onprem:contoso/MAIL01",
		on + "Bob to Sun | sun@tailspintoys.com":  "Relayed | exo:contoso > eop:contoso > ext:tailspintoys",
		on + "Sun to John | john@contoso.com":     "Delivered | ext:tailspintoys > eop:contoso > exo:contoso > eop:contoso > onprem:contoso/MAIL01",
		on + "Sun to Bob | bob@contoso.com":       "Delivered | ext:tailspintoys > eop:contoso > exo:contoso",
		// Without connectors: Exchange Online accepts John's mail for Bob as
		// anonymous Internet mail, refuses to relay John's mail to Sun, and
		// has no way to John: the domain's MX brings it back (a loop).
		off + "John to Bob | bob@contoso.com":      "Delivered | onprem:contoso/MAIL01 > eop:contoso > exo:contoso",
		off + "John to Sun | sun@tailspintoys.com": "Rejected 550 5.7.64 TenantAttribution; Relay Access Denied | onprem:contoso/MAIL01 > eop:contoso",
		off + "Bob to John | john@contoso.com":     loop + " | exo:contoso > eop:contoso > eop:contoso > …63 hops",
		off + "Bob to Sun | sun@tailspintoys.com":  "Relayed | exo:contoso > eop:contoso > ext:tailspintoys",
		off + "Sun to John | john@contoso.com":     loop + " | ext:tailspintoys > eop:contoso > exo:contoso > …62 hops",
		off + "Sun to Bob | bob@contoso.com":       "Delivered | ext:tailspintoys > eop:contoso > exo:contoso",
	}
	if diff := cmp.Diff(want, outcomes(t, scenario.EOPStandalone())); diff != "" {
		t.Errorf("eop-standalone outcomes (-want +got):\n%s", diff)
	}
}

func TestPartnerTLSScenario(t *testing.T) {
	const (
		in       = "Sam to Megan | megan@contoso.com"
		out      = "Megan to Sam | sam@contosobank.com"
		ok       = "Delivered | partner:contosobank > eop:contoso > exo:contoso"
		relayed  = "Relayed | exo:contoso > eop:contoso > partner:contosobank"
		rejected = "Rejected 550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set | partner:contosobank > eop:contoso"
	)
	v := func(restrict, bank, flow string) string {
		return fmt.Sprintf("contosobank=%s restrictDomainsTo=%s | %s", bank, restrict, flow)
	}
	want := map[string]string{
		v("Certificate", "Compliant", in):         ok,
		v("Certificate", "Compliant", out):        relayed,
		v("Certificate", "PlainText", in):         rejected,
		v("Certificate", "PlainText", out):        "Deferred 450 4.4.317 Cannot connect to remote server | exo:contoso > eop:contoso",
		v("Certificate", "WrongCertificate", in):  rejected,
		v("Certificate", "WrongCertificate", out): "Deferred 450 4.7.320 Certificate validation failed | exo:contoso > eop:contoso",
		v("IPAddresses", "Compliant", in):         ok,
		v("IPAddresses", "Compliant", out):        relayed,
		v("IPAddresses", "PlainText", in):         "Deferred 451 5.7.3 Must issue a STARTTLS command first | partner:contosobank > eop:contoso",
		v("IPAddresses", "PlainText", out):        "Deferred 450 4.4.317 Cannot connect to remote server | exo:contoso > eop:contoso",
		v("IPAddresses", "WrongIP", in):           rejected,
		v("IPAddresses", "WrongIP", out):          relayed,
	}
	if diff := cmp.Diff(want, outcomes(t, scenario.PartnerTLS())); diff != "" {
		t.Errorf("partner-tls outcomes (-want +got):\n%s", diff)
	}
}

// TestBuiltinScenariosTrace runs every built-in scenario: all traces
// succeed, every scenario is listed once, in name order, and Lookup
// finds each by name as a new value.
func TestBuiltinScenariosTrace(t *testing.T) {
	var names []string
	for _, s := range scenario.Builtin() {
		names = append(names, s.Name)
		_, err := s.Run()
		require.NoError(t, err, s.Name)
		got, ok := scenario.Lookup(s.Name)
		switch {
		case !ok:
			t.Errorf("Lookup(%q) found nothing", s.Name)
		case got.Name != s.Name || got == s:
			t.Errorf("Lookup(%q) = %p named %q; want a new scenario named %[1]q", s.Name, got, got.Name)
		}
	}
	if want := []string{"add-on-service", "conditional-routing", "connector-selection", "contoso-hybrid", "devices", "edge-hybrid", "email-authentication", "eop-standalone", "intermediate-device", "m365-groups-hybrid", "partner-tls", "safe-list", "two-sites"}; !cmp.Equal(names, want) {
		t.Errorf("Builtin() names = %q, want %q", names, want)
	}
}

func TestConditionalRoutingScenario(t *testing.T) {
	want := map[string]string{
		"mode=Enforce | Ana to Erin | erin@cpandl.com": "Relayed | exo:contoso > eop:contoso > ext:auditgateway",
		"mode=Enforce | Ben to Erin | erin@cpandl.com": "Relayed | exo:contoso > eop:contoso > ext:cpandl",
		"mode=Enforce | Ana to Ben | ben@contoso.com":  "Delivered | exo:contoso",
		// Audit mode logs the match and changes nothing.
		"mode=Audit | Ana to Erin | erin@cpandl.com": "Relayed | exo:contoso > eop:contoso > ext:cpandl",
		"mode=Audit | Ben to Erin | erin@cpandl.com": "Relayed | exo:contoso > eop:contoso > ext:cpandl",
		"mode=Audit | Ana to Ben | ben@contoso.com":  "Delivered | exo:contoso",
	}
	if diff := cmp.Diff(want, outcomes(t, scenario.ConditionalRouting())); diff != "" {
		t.Errorf("conditional-routing outcomes (-want +got):\n%s", diff)
	}
}

func TestSafeListScenario(t *testing.T) {
	runs, err := scenario.SafeList().Run()
	require.NoError(t, err)
	type got struct{ Disposition, ConnectionFilter, AntiMalware, AntiSpam, Last string }
	var g []got
	for _, r := range runs {
		rc := r.Result.Recipients[0]
		stages := map[route.Stage]string{}
		for _, h := range rc.Hops {
			for _, f := range h.Filters {
				if f.Applied() {
					stages[f.Stage] = "applied " + f.Verdict.String()
				} else if _, seen := stages[f.Stage]; !seen {
					stages[f.Stage] = "skipped"
				}
			}
		}
		last := rc.Hops[len(rc.Hops)-1]
		note := ""
		if rc.Folder == route.JunkEmail {
			note = "Junk"
		}
		g = append(g, got{rc.Disposition.String(), stages[route.ConnectionFilter], stages[route.AntiMalware], stages[route.AntiSpam], last.Node.String() + " " + note})
	}
	want := []got{
		// On the IP Allow List: spam filtering skipped, malware still scanned.
		{"Delivered", "applied Allow", "applied Pass", "skipped", "exo:contoso "},
		{"Delivered", "applied Allow", "applied Pass", "skipped", "exo:contoso "},
		// Not on it: spam to Junk, high confidence spam to quarantine.
		{"Delivered", "applied Pass", "applied Pass", "applied Spam", "exo:contoso Junk"},
		// Held at EOP, so scanned there (malware runs before anti-spam).
		{"Quarantined", "applied Pass", "applied Pass", "applied Spam", "eop:contoso "},
	}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("safe-list outcomes (-want +got):\n%s", diff)
	}
}

func TestIntermediateDeviceScenario(t *testing.T) {
	runs, err := scenario.IntermediateDevice().Run()
	require.NoError(t, err)
	got := map[string]string{}
	for _, r := range runs {
		rc := r.Result.Recipients[0]
		// Where the message enters the other organization: EOP for Julie's
		// mail, EX01 for David's.
		for _, h := range rc.Hops {
			if r.Flow == "Julie to David" && h.Node.String() == "eop:contoso" || r.Flow == "David to Julie" && h.Node.String() == "onprem:contoso/EX01" {
				var fs []string
				for _, f := range h.Filters {
					if f.Stage == route.AntiSpam || f.Stage == route.TransportRules {
						v := ""
						switch {
						case f.Result == route.NotEffective:
							v = "NotEffective"
						case f.Verdict != 0:
							v = f.Verdict.String()
						}
						fs = append(fs, fmt.Sprintf("%s %v %s", f.Stage, f.Applied(), v))
					}
				}
				got[r.Settings.String()+" | "+r.Flow] = fmt.Sprintf("%s/%s %s", h.AuthAs, h.Directionality, strings.Join(fs, ", "))
			}
		}
	}
	want := map[string]string{
		"device=None | Julie to David":      "Internal/Originating TransportRules true Pass, AntiSpam false ",
		"device=None | David to Julie":      "Internal/Originating AntiSpam false ",
		"device=Firewall | Julie to David":  "Internal/Originating TransportRules true Pass, AntiSpam false ",
		"device=Firewall | David to Julie":  "Internal/Originating AntiSpam false ",
		"device=Appliance | Julie to David": "Anonymous/Incoming TransportRules true Matched, AntiSpam true Pass",
		"device=Appliance | David to Julie": "Anonymous/Incoming AntiSpam false ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("intermediate-device attribution (-want +got):\n%s", diff)
	}
}

func TestDevicesScenario(t *testing.T) {
	const (
		relayDenied = "Rejected 550 5.7.64 TenantAttribution; Relay Access Denied"
		directSend  = "Rejected 550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"
		sendAs      = "Rejected 550 5.7.60 SMTP; Client does not have permissions to send as this sender"
	)
	want := map[string]string{}
	for _, rds := range []string{"false", "true"} {
		k := "rejectDirectSend=" + rds + " | Scanner ("
		want[k+"client submission) to Megan | megan@contoso.com"] = "Delivered | device:mfp-auth > exo:contoso"
		want[k+"client submission) to Erin | erin@cpandl.com"] = "Relayed | device:mfp-auth > exo:contoso > eop:contoso > ext:cpandl"
		want[k+"direct send) to Erin | erin@cpandl.com"] = relayDenied + " | device:mfp-direct > eop:contoso"
		want[k+"connector relay) to Megan | megan@contoso.com"] = "Delivered | device:mfp-relay > eop:contoso > exo:contoso"
		want[k+"connector relay) to Erin | erin@cpandl.com"] = "Relayed | device:mfp-relay > eop:contoso > ext:cpandl"
		want[k+"client submission) as Megan to Erin | erin@cpandl.com"] = sendAs + " | device:mfp-auth > exo:contoso"
	}
	want["rejectDirectSend=false | Scanner (direct send) to Megan | megan@contoso.com"] = "Delivered | device:mfp-direct > eop:contoso > exo:contoso"
	want["rejectDirectSend=true | Scanner (direct send) to Megan | megan@contoso.com"] = directSend + " | device:mfp-direct > eop:contoso"
	if diff := cmp.Diff(want, outcomes(t, scenario.Devices())); diff != "" {
		t.Errorf("devices outcomes (-want +got):\n%s", diff)
	}
}
