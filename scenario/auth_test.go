package scenario_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/stretchr/testify/require"
)

// authFile is a topology file with declared DNS: fabrikam.com's SPF
// record authorizes its mail server, 203.0.113.5, and its DMARC record
// asks for nothing (p=none). The expectations are RFC 7208's and RFC
// 7489's results for each sending address, at the EOP hop where the mail
// enters the tenant (docs/behaviour.md#l91-where-spf-is-evaluated): the
// messages have no From header, so DMARC checks the MAIL FROM domain
// (docs/behaviour.md#l92-dmarc-and-composite-authentication).
const authFile = `{
  "Tenants": [{"Name": "contoso", "AcceptedDomains": [{"DomainName": "contoso.com"}],
    "Recipients": [{"RecipientTypeDetails": "UserMailbox", "PrimarySmtpAddress": "ben@contoso.com"}]}],
  "External": [{"Name": "fabrikam", "Domains": ["fabrikam.com"], "Hosts": ["mail.fabrikam.com"], "IPAddress": "203.0.113.5"}],
  "MXRecords": [{"Domain": "contoso.com", "NameExchange": "contoso-com.mail.protection.outlook.com"},
    {"Domain": "fabrikam.com", "Preference": 10, "NameExchange": "mail.fabrikam.com"}],
  "DNSRecords": [{"Name": "fabrikam.com", "Type": "TXT", "Strings": "v=spf1 mx -all"},
    {"Name": "_dmarc.fabrikam.com", "Type": "TXT", "Strings": ["v=DMARC1; p=none"]}],
  "Messages": [
    {"Name": "from its server", "From": "erin@fabrikam.com", "To": "ben@contoso.com",
      "Expect": {"Recipients": {"ben@contoso.com": {"Disposition": "Delivered", "At": [{"Step": "EOP", "Authentication": {"spf": "pass", "dkim": "none", "arc": "none", "dmarc": "pass", "compauth": "pass"}}]}}}},
    {"Name": "spoofed", "From": "erin@fabrikam.com", "To": "ben@contoso.com", "SourceIP": "198.51.100.66",
      "Expect": {"Recipients": {"ben@contoso.com": {"At": [{"Step": "EOP", "Authentication": {"SPF": "Fail", "dmarc": "fail", "compauth": "fail"}}]}}}},
    {"Name": "wrong expectation", "From": "erin@fabrikam.com", "To": "ben@contoso.com",
      "Expect": {"Recipients": {"ben@contoso.com": {"At": [{"Step": "EOP", "Authentication": {"spf": "fail"}}, {"Step": "ExchangeOnline", "Authentication": {"spf": "pass"}}]}}}}
  ]
}`

// TestAuthenticationExpect: At[].Authentication checks the SPF result a
// hop reports.
func TestAuthenticationExpect(t *testing.T) {
	f, topo, err := scenario.Load(strings.NewReader(authFile))
	require.NoError(t, err)
	runs, err := f.Run("auth", topo)
	require.NoError(t, err)
	var got []string
	for _, r := range runs {
		for _, m := range r.Mismatches {
			got = append(got, r.Flow+": "+m.String())
		}
	}
	want := []string{
		"wrong expectation: ben@contoso.com: At[0].Authentication.spf: want fail, got pass at hop 2 (eop:contoso)",
		"wrong expectation: ben@contoso.com: At[1].Authentication.spf: want pass, got not evaluated at hop 3 (exo:contoso)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatches (-want +got):\n%s", diff)
	}
}

// TestAuthenticationLoadProblems: Load refuses unknown methods and
// results, and bad DNS records at their JSON path.
func TestAuthenticationLoadProblems(t *testing.T) {
	const file = `{"DNSRecords": [{"Name": "fabrikam.com", "Type": "TXT", "Strings": "v=spf1 -all"},
	    {"Name": "bad..fabrikam.com", "Type": "TXT", "Strings": ["x"]}, {"Name": "mail.fabrikam.com", "Type": "CNAME"}],
	  "Tenants": [{"Name": "contoso"}],
	  "Messages": [{"From": "a@fabrikam.com", "To": "b@contoso.com",
	    "Expect": {"Recipients": {"b@contoso.com": {"At": [{"Step": "EOP", "Authentication": {"spf": "passed", "bimi": "pass"}}]}}}}]}`
	_, _, err := scenario.Load(strings.NewReader(file))
	var lerr *scenario.LoadError
	if !errors.As(err, &lerr) {
		t.Fatalf("Load() error = %v, want a *LoadError", err)
	}
	var got []string
	for _, p := range lerr.Problems {
		got = append(got, p.Error())
	}
	want := []string{
		`DNSRecords[1].Name: "bad..fabrikam.com" is not a domain name: invalid domain label`,
		`DNSRecords[2].Type: "CNAME" is not TXT, A or AAAA`,
		`Messages[0].Expect.Recipients.b@contoso.com.At[0].Authentication.bimi: not an authentication method (spf, dkim, dmarc, arc, compauth)`,
		`Messages[0].Expect.Recipients.b@contoso.com.At[0].Authentication.spf: "passed" is not pass, fail, softfail, neutral, none, temperror, permerror`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
