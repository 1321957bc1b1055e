package connector_test

import (
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
)

var parsePatternTests = []struct {
	name       string
	in         string
	wantKind   connector.PatternKind
	wantDomain string
	wantString string
	wantErr    string // exact error text; "" when the parse succeeds
}{
	{name: "Any", in: "*", wantKind: connector.PatternAny, wantString: "*"},
	{name: "Accepted", in: "--", wantKind: connector.PatternAccepted, wantString: "--"},
	{name: "Wildcard", in: "*.contoso.com", wantKind: connector.PatternWildcard, wantDomain: "contoso.com", wantString: "*.contoso.com"},
	{name: "WildcardTLD", in: "*.com", wantKind: connector.PatternWildcard, wantDomain: "com", wantString: "*.com"},
	{name: "WildcardTLDUpper", in: "*.COM", wantKind: connector.PatternWildcard, wantDomain: "com", wantString: "*.com"},
	{name: "WildcardUpper", in: "*.Sales.CONTOSO.com", wantKind: connector.PatternWildcard, wantDomain: "sales.contoso.com", wantString: "*.sales.contoso.com"},
	{name: "Exact", in: "contoso.com", wantKind: connector.PatternExact, wantDomain: "contoso.com", wantString: "contoso.com"},
	{name: "ExactUpper", in: "Contoso.COM", wantKind: connector.PatternExact, wantDomain: "contoso.com", wantString: "contoso.com"},
	{name: "ExactSubdomain", in: "sales.contoso.com", wantKind: connector.PatternExact, wantDomain: "sales.contoso.com", wantString: "sales.contoso.com"},
	{name: "Empty", in: "", wantErr: `ParsePattern(""): empty`},
	{name: "EmbeddedWildcard", in: "a.*.contoso.com", wantErr: `ParsePattern("a.*.contoso.com"): a wildcard is allowed only as the whole first label (*.contoso.com)`},
	{name: "WildcardWithoutDot", in: "*contoso.com", wantErr: `ParsePattern("*contoso.com"): a wildcard is allowed only as the whole first label (*.contoso.com)`},
	{name: "TrailingWildcard", in: "contoso.*", wantErr: `ParsePattern("contoso.*"): a wildcard is allowed only as the whole first label (*.contoso.com)`},
	{name: "DoubleWildcard", in: "*.*.com", wantErr: `ParsePattern("*.*.com"): invalid domain label`},
	{name: "WildcardNothing", in: "*.", wantErr: `ParsePattern("*."): empty`},
	{name: "WildcardBadLabel", in: "*.-contoso.com", wantErr: `ParsePattern("*.-contoso.com"): invalid domain label`},
	{name: "OneLabel", in: "contoso", wantErr: `ParsePattern("contoso"): domain needs at least two labels`},
	{name: "LeadingHyphen", in: "-a.com", wantErr: `ParsePattern("-a.com"): invalid domain label`},
	{name: "TrailingDot", in: "contoso.com.", wantErr: `ParsePattern("contoso.com."): invalid domain label`},
	{name: "Dashes", in: "---", wantErr: `ParsePattern("---"): invalid domain label`},
}

func TestParsePattern(t *testing.T) {
	for _, tt := range parsePatternTests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := connector.ParsePattern(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("ParsePattern(%q) error = %v, want %s", tt.in, err, tt.wantErr)
				}
				if p.IsValid() {
					t.Errorf("ParsePattern(%q) = %v, valid, want the zero Pattern with the error", tt.in, p)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePattern(%q) error = %v, want nil", tt.in, err)
			}
			if !p.IsValid() || p.Kind() != tt.wantKind || p.Domain() != tt.wantDomain || p.String() != tt.wantString {
				t.Errorf("ParsePattern(%q) = valid %v, kind %v, domain %q, string %q; want valid true, kind %v, domain %q, string %q",
					tt.in, p.IsValid(), p.Kind(), p.Domain(), p.String(), tt.wantKind, tt.wantDomain, tt.wantString)
			}
			if m := connector.MustParsePattern(tt.in); m != p {
				t.Errorf("MustParsePattern(%q) = %v, want %v", tt.in, m, p)
			}
		})
	}
}

func TestMustParsePatternPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("MustParsePattern(%q) did not panic", "*contoso.com")
		}
	}()
	connector.MustParsePattern("*contoso.com")
}

func TestZeroPattern(t *testing.T) {
	var p connector.Pattern
	if p.IsValid() || p.Kind() != connector.PatternInvalid || p.Domain() != "" || p.String() != "invalid Pattern" {
		t.Errorf("Pattern{} = valid %v, kind %v, domain %q, string %q; want false, PatternInvalid, \"\", \"invalid Pattern\"",
			p.IsValid(), p.Kind(), p.Domain(), p.String())
	}
	for _, accepted := range []bool{false, true} {
		if p.Match("contoso.com", accepted) {
			t.Errorf("Pattern{}.Match(%q, %v) = true, want false", "contoso.com", accepted)
		}
	}
}

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		name     string
		pattern  string
		domain   string
		accepted bool
		want     bool
	}{
		{name: "ExactSame", pattern: "contoso.com", domain: "contoso.com", want: true},
		{name: "ExactSameAccepted", pattern: "contoso.com", domain: "contoso.com", accepted: true, want: true},
		{name: "ExactSubdomain", pattern: "contoso.com", domain: "sales.contoso.com", want: false},
		{name: "ExactParent", pattern: "sales.contoso.com", domain: "contoso.com", want: false},
		{name: "ExactOther", pattern: "contoso.com", domain: "fabrikam.com", want: false},
		{name: "ExactPrefixed", pattern: "contoso.com", domain: "notcontoso.com", want: false},
		{name: "WildcardBareDomain", pattern: "*.contoso.com", domain: "contoso.com", want: true},
		{name: "WildcardSubdomain", pattern: "*.contoso.com", domain: "sales.contoso.com", want: true},
		{name: "WildcardDeepSubdomain", pattern: "*.contoso.com", domain: "a.b.sales.contoso.com", want: true},
		{name: "WildcardNotPrefixed", pattern: "*.contoso.com", domain: "notcontoso.com", want: false},
		{name: "WildcardNotSuffixed", pattern: "*.contoso.com", domain: "contoso.com.fabrikam.com", want: false},
		{name: "WildcardParent", pattern: "*.sales.contoso.com", domain: "contoso.com", want: false},
		{name: "WildcardSibling", pattern: "*.sales.contoso.com", domain: "marketing.contoso.com", want: false},
		{name: "WildcardOther", pattern: "*.contoso.com", domain: "fabrikam.com", want: false},
		{name: "WildcardTLD", pattern: "*.com", domain: "contoso.com", want: true},
		{name: "WildcardTLDOther", pattern: "*.com", domain: "contoso.org", want: false},
		{name: "WildcardTLDItself", pattern: "*.com", domain: "com", want: true},
		{name: "AnyDomain", pattern: "*", domain: "fabrikam.com", want: true},
		{name: "AnyAccepted", pattern: "*", domain: "contoso.com", accepted: true, want: true},
		{name: "AnyNullSender", pattern: "*", domain: "", want: true},
		{name: "AcceptedTrue", pattern: "--", domain: "contoso.com", accepted: true, want: true},
		{name: "AcceptedFalse", pattern: "--", domain: "contoso.com", accepted: false, want: false},
		{name: "AcceptedOtherTrue", pattern: "--", domain: "fabrikam.com", accepted: true, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := connector.MustParsePattern(tt.pattern)
			if got := p.Match(tt.domain, tt.accepted); got != tt.want {
				t.Errorf("MustParsePattern(%q).Match(%q, %v) = %v, want %v", tt.pattern, tt.domain, tt.accepted, got, tt.want)
			}
		})
	}
}

func sign(n int) int {
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}

func TestPatternCompare(t *testing.T) {
	tests := []struct {
		name string
		p, q string
		want int // the sign of p.CompareSpecificity(q)
	}{
		{name: "ExactOverWildcard", p: "contoso.com", q: "*.contoso.com", want: 1},
		{name: "ExactOverAccepted", p: "contoso.com", q: "--", want: 1},
		{name: "ExactOverAny", p: "contoso.com", q: "*", want: 1},
		{name: "ExactOverLongWildcard", p: "contoso.com", q: "*.a.b.c.contoso.com", want: 1},
		{name: "WildcardUnderExact", p: "*.contoso.com", q: "contoso.com", want: -1},
		{name: "LongerWildcardFirst", p: "*.sales.contoso.com", q: "*.contoso.com", want: 1},
		{name: "ShorterWildcardLater", p: "*.contoso.com", q: "*.sales.contoso.com", want: -1},
		{name: "WildcardTLDUnderWildcard", p: "*.com", q: "*.contoso.com", want: -1},
		{name: "WildcardOverAccepted", p: "*.com", q: "--", want: 1},
		{name: "WildcardOverAny", p: "*.contoso.com", q: "*", want: 1},
		{name: "AcceptedOverAny", p: "--", q: "*", want: 1},
		{name: "AnyUnderAccepted", p: "*", q: "--", want: -1},
		{name: "SameExact", p: "contoso.com", q: "contoso.com", want: 0},
		{name: "TwoExact", p: "contoso.com", q: "sales.fabrikam.com", want: 0},
		{name: "SameWildcard", p: "*.contoso.com", q: "*.contoso.com", want: 0},
		{name: "WildcardsSameLength", p: "*.contoso.com", q: "*.fabrikam.com", want: 0},
		{name: "SameAccepted", p: "--", q: "--", want: 0},
		{name: "SameAny", p: "*", q: "*", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, q := connector.MustParsePattern(tt.p), connector.MustParsePattern(tt.q)
			if got := sign(p.CompareSpecificity(q)); got != tt.want {
				t.Errorf("MustParsePattern(%q).CompareSpecificity(%q) has sign %d, want %d", tt.p, tt.q, got, tt.want)
			}
			if got := sign(q.CompareSpecificity(p)); got != -tt.want {
				t.Errorf("MustParsePattern(%q).CompareSpecificity(%q) has sign %d, want %d", tt.q, tt.p, got, -tt.want)
			}
		})
	}
}

func TestCertificateMatch(t *testing.T) {
	tests := []struct {
		name      string
		want      string
		presented []string
		match     bool
	}{
		{name: "Exact", want: "mail.contoso.com", presented: []string{"mail.contoso.com"}, match: true},
		{name: "ExactInSAN", want: "mail.contoso.com", presented: []string{"contoso.com", "autodiscover.contoso.com", "mail.contoso.com"}, match: true},
		{name: "ExactCaseInsensitive", want: "MAIL.Contoso.com", presented: []string{"mail.CONTOSO.COM"}, match: true},
		{name: "ExactOtherHost", want: "mail.contoso.com", presented: []string{"smtp.contoso.com"}, match: false},
		{name: "ExactParentNotEnough", want: "mail.contoso.com", presented: []string{"contoso.com"}, match: false},
		{name: "ExactSubdomainNotEnough", want: "contoso.com", presented: []string{"mail.contoso.com"}, match: false},
		{name: "ConfiguredWildcardBareDomain", want: "*.contoso.com", presented: []string{"contoso.com"}, match: true},
		{name: "ConfiguredWildcardSubdomain", want: "*.contoso.com", presented: []string{"mail.contoso.com"}, match: true},
		{name: "ConfiguredWildcardDeep", want: "*.contoso.com", presented: []string{"a.b.contoso.com"}, match: true},
		{name: "ConfiguredWildcardCase", want: "*.Contoso.COM", presented: []string{"MAIL.contoso.com"}, match: true},
		{name: "ConfiguredWildcardSame", want: "*.contoso.com", presented: []string{"*.contoso.com"}, match: true},
		{name: "ConfiguredWildcardNotPrefixed", want: "*.contoso.com", presented: []string{"notcontoso.com"}, match: false},
		{name: "ConfiguredWildcardOtherDomain", want: "*.contoso.com", presented: []string{"mail.fabrikam.com"}, match: false},
		{name: "PresentedWildcardOneLabel", want: "mail.contoso.com", presented: []string{"*.contoso.com"}, match: true},
		{name: "PresentedWildcardCase", want: "Mail.Contoso.com", presented: []string{"*.CONTOSO.com"}, match: true},
		{name: "PresentedWildcardTwoLabels", want: "a.mail.contoso.com", presented: []string{"*.contoso.com"}, match: false},
		{name: "PresentedWildcardBareDomain", want: "contoso.com", presented: []string{"*.contoso.com"}, match: false},
		{name: "PresentedWildcardNotPrefixed", want: "mail.notcontoso.com", presented: []string{"*.contoso.com"}, match: false},
		{name: "PresentedWildcardOtherDomain", want: "mail.fabrikam.com", presented: []string{"*.contoso.com"}, match: false},
		{name: "NoNames", want: "mail.contoso.com", presented: nil, match: false},
		{name: "NoMatchAmongMany", want: "mail.contoso.com", presented: []string{"mail.fabrikam.com", "*.fabrikam.com", "contoso.net"}, match: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := connector.CertificateMatch(tt.want, tt.presented...); got != tt.match {
				t.Errorf("CertificateMatch(%q, %q) = %v, want %v", tt.want, tt.presented, got, tt.match)
			}
		})
	}
}

func TestParseSenderIP(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    netip.Prefix
		wantErr string
	}{
		{name: "Address", in: "192.0.2.10", want: netip.MustParsePrefix("192.0.2.10/32")},
		{name: "Slash24", in: "192.0.2.0/24", want: netip.MustParsePrefix("192.0.2.0/24")},
		{name: "Slash24Masked", in: "192.0.2.77/24", want: netip.MustParsePrefix("192.0.2.0/24")},
		{name: "Slash25", in: "198.51.100.200/25", want: netip.MustParsePrefix("198.51.100.128/25")},
		{name: "Slash30", in: "203.0.113.6/30", want: netip.MustParsePrefix("203.0.113.4/30")},
		{name: "Slash32", in: "203.0.113.6/32", want: netip.MustParsePrefix("203.0.113.6/32")},
		{name: "Slash23", in: "192.0.2.0/23", wantErr: `"192.0.2.0/23": ranges wider than /24 are not accepted`},
		{name: "Slash0", in: "0.0.0.0/0", wantErr: `"0.0.0.0/0": ranges wider than /24 are not accepted`},
		{name: "IPv6Address", in: "2001:db8::1", wantErr: `"2001:db8::1": IPv6 is not supported in SenderIPAddresses`},
		{name: "IPv6Prefix", in: "2001:db8::/120", wantErr: `"2001:db8::/120": IPv6 is not supported in SenderIPAddresses`},
		{name: "IPv4MappedIPv6", in: "::ffff:192.0.2.1", wantErr: `"::ffff:192.0.2.1": IPv6 is not supported in SenderIPAddresses`},
		{name: "Garbage", in: "mail.contoso.com", wantErr: `"mail.contoso.com" is not an IPv4 address or CIDR`},
		{name: "Empty", in: "", wantErr: `"" is not an IPv4 address or CIDR`},
		{name: "BadPrefixLength", in: "192.0.2.0/33", wantErr: `"192.0.2.0/33" is not an IPv4 address or CIDR`},
		{name: "NoPrefixLength", in: "192.0.2.0/", wantErr: `"192.0.2.0/" is not an IPv4 address or CIDR`},
		{name: "Range", in: "192.0.2.1-192.0.2.9", wantErr: `"192.0.2.1-192.0.2.9" is not an IPv4 address or CIDR`},
		{name: "ThreeOctets", in: "192.0.2", wantErr: `"192.0.2" is not an IPv4 address or CIDR`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := connector.ParseSenderIP(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("ParseSenderIP(%q) error = %v, want %s", tt.in, err, tt.wantErr)
				}
				if got != (netip.Prefix{}) {
					t.Errorf("ParseSenderIP(%q) = %v, want the zero Prefix with the error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseSenderIP(%q) = %v, %v, want %v, <nil>", tt.in, got, err, tt.want)
			}
		})
	}
}

var parseAddressSpaceTests = []struct {
	name       string
	in         string
	want       connector.AddressSpace
	wantString string
	wantErr    string
}{
	{
		name:       "Defaults",
		in:         "contoso.com",
		want:       connector.AddressSpace{Type: "SMTP", Pattern: connector.MustParsePattern("contoso.com"), Cost: 1},
		wantString: "SMTP:contoso.com;1",
	},
	{
		name:       "TypeAndCost",
		in:         "SMTP:*.contoso.com;5",
		want:       connector.AddressSpace{Type: "SMTP", Pattern: connector.MustParsePattern("*.contoso.com"), Cost: 5},
		wantString: "SMTP:*.contoso.com;5",
	},
	{
		name:       "LowerCaseType",
		in:         "smtp:contoso.com",
		want:       connector.AddressSpace{Type: "SMTP", Pattern: connector.MustParsePattern("contoso.com"), Cost: 1},
		wantString: "SMTP:contoso.com;1",
	},
	{
		name:       "UpperCaseDomain",
		in:         "smtp:Contoso.COM;100",
		want:       connector.AddressSpace{Type: "SMTP", Pattern: connector.MustParsePattern("contoso.com"), Cost: 100},
		wantString: "SMTP:contoso.com;100",
	},
	{
		name:       "Any",
		in:         "*",
		want:       connector.AddressSpace{Type: "SMTP", Pattern: connector.MustParsePattern("*"), Cost: 1},
		wantString: "SMTP:*;1",
	},
	{
		name:       "AnyCost100",
		in:         "SMTP:*;100",
		want:       connector.AddressSpace{Type: "SMTP", Pattern: connector.MustParsePattern("*"), Cost: 100},
		wantString: "SMTP:*;100",
	},
	{
		name:       "Accepted",
		in:         "SMTP:--;1",
		want:       connector.AddressSpace{Type: "SMTP", Pattern: connector.MustParsePattern("--"), Cost: 1},
		wantString: "SMTP:--;1",
	},
	{
		name:       "WildcardTLD",
		in:         "*.com;2",
		want:       connector.AddressSpace{Type: "SMTP", Pattern: connector.MustParsePattern("*.com"), Cost: 2},
		wantString: "SMTP:*.com;2",
	},
	{
		name:       "CoexistenceDomain",
		in:         "smtp:contoso.mail.onmicrosoft.com;1",
		want:       connector.AddressSpace{Type: "SMTP", Pattern: connector.MustParsePattern("contoso.mail.onmicrosoft.com"), Cost: 1},
		wantString: "SMTP:contoso.mail.onmicrosoft.com;1",
	},
	{
		name:       "X400",
		in:         "X400:c=US;a= ;p=Contoso;10",
		want:       connector.AddressSpace{Type: "X400", Raw: "c=US;a= ;p=Contoso", Cost: 10},
		wantString: "X400:c=US;a= ;p=Contoso;10",
	},
	{
		name:       "X400LowerCaseType",
		in:         "x400:c=US;a= ;p=Contoso;o=Sales;3",
		want:       connector.AddressSpace{Type: "X400", Raw: "c=US;a= ;p=Contoso;o=Sales", Cost: 3},
		wantString: "X400:c=US;a= ;p=Contoso;o=Sales;3",
	},
	{
		name:       "NonSMTPNoCost",
		in:         "NOTES:contoso",
		want:       connector.AddressSpace{Type: "NOTES", Raw: "contoso", Cost: 1},
		wantString: "NOTES:contoso;1",
	},
	{name: "CostZero", in: "contoso.com;0", wantErr: `address space "contoso.com;0": cost "0" is not a number from 1 to 100`},
	{name: "Cost101", in: "SMTP:contoso.com;101", wantErr: `address space "SMTP:contoso.com;101": cost "101" is not a number from 1 to 100`},
	{name: "CostNotNumber", in: "SMTP:contoso.com;x", wantErr: `address space "SMTP:contoso.com;x": cost "x" is not a number from 1 to 100`},
	{name: "CostEmpty", in: "SMTP:contoso.com;", wantErr: `address space "SMTP:contoso.com;": cost "" is not a number from 1 to 100`},
	{name: "CostNegative", in: "*;-1", wantErr: `address space "*;-1": cost "-1" is not a number from 1 to 100`},
	{name: "EmbeddedWildcard", in: "SMTP:a.*.contoso.com;1", wantErr: `address space "SMTP:a.*.contoso.com;1": ParsePattern("a.*.contoso.com"): a wildcard is allowed only as the whole first label (*.contoso.com)`},
	{name: "WildcardWithoutDot", in: "*contoso.com", wantErr: `address space "*contoso.com": ParsePattern("*contoso.com"): a wildcard is allowed only as the whole first label (*.contoso.com)`},
	{name: "OneLabel", in: "SMTP:contoso;1", wantErr: `address space "SMTP:contoso;1": ParsePattern("contoso"): domain needs at least two labels`},
	{name: "EmptySMTPAddress", in: "SMTP:;1", wantErr: `address space "SMTP:;1": ParsePattern(""): empty`},
	{name: "Empty", in: "", wantErr: `address space "": ParsePattern(""): empty`},
	{name: "EmptyType", in: ":contoso.com;1", wantErr: `address space ":contoso.com;1": empty type`},
	{name: "EmptyNonSMTPAddress", in: "X400:;5", wantErr: `address space "X400:;5": empty address`},
}

func TestParseAddressSpace(t *testing.T) {
	for _, tt := range parseAddressSpaceTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := connector.ParseAddressSpace(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("ParseAddressSpace(%q) error = %v, want %s", tt.in, err, tt.wantErr)
				}
				if diff := cmp.Diff(connector.AddressSpace{}, got, testopts.Cmp); diff != "" {
					t.Errorf("ParseAddressSpace(%q) on error mismatch (-want +got):\n%s", tt.in, diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAddressSpace(%q) error = %v, want nil", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, testopts.Cmp); diff != "" {
				t.Errorf("ParseAddressSpace(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.wantString {
				t.Errorf("ParseAddressSpace(%q).String() = %q, want %q", tt.in, s, tt.wantString)
			}
		})
	}
}

func TestOptBool(t *testing.T) {
	tests := []struct {
		name       string
		b          connector.OptBool
		wantTrue   bool // b.Bool(true)
		wantFalse  bool // b.Bool(false)
		wantString string
		wantJSON   string
	}{
		{name: "Unset", b: connector.Unset, wantTrue: true, wantFalse: false, wantString: "unset", wantJSON: "null"},
		{name: "True", b: connector.True, wantTrue: true, wantFalse: true, wantString: "$true", wantJSON: "true"},
		{name: "False", b: connector.False, wantTrue: false, wantFalse: false, wantString: "$false", wantJSON: "false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.b.Bool(true); got != tt.wantTrue {
				t.Errorf("%v.Bool(true) = %v, want %v", tt.b, got, tt.wantTrue)
			}
			if got := tt.b.Bool(false); got != tt.wantFalse {
				t.Errorf("%v.Bool(false) = %v, want %v", tt.b, got, tt.wantFalse)
			}
			if got := tt.b.String(); got != tt.wantString {
				t.Errorf("OptBool(%d).String() = %q, want %q", uint8(tt.b), got, tt.wantString)
			}
			data, err := json.Marshal(struct{ Enabled connector.OptBool }{tt.b})
			if err != nil {
				t.Fatalf("json.Marshal(%v) error = %v", tt.b, err)
			}
			if want := `{"Enabled":` + tt.wantJSON + `}`; string(data) != want {
				t.Errorf("json.Marshal(%v) = %s, want %s", tt.b, data, want)
			}
			// Decode into a value that differs from tt.b, so that a decoder
			// leaving the field alone fails the test.
			for _, start := range []connector.OptBool{connector.Unset, connector.True, connector.False} {
				got := struct{ Enabled connector.OptBool }{start}
				if err := json.Unmarshal(data, &got); err != nil || got.Enabled != tt.b {
					t.Errorf("json.Unmarshal(%s) from %v = %v, %v, want %v, <nil>", data, start, got.Enabled, err, tt.b)
				}
			}
		})
	}
}

func TestOptBoolOf(t *testing.T) {
	if got := connector.OptBoolOf(true); got != connector.True {
		t.Errorf("OptBoolOf(true) = %v, want %v", got, connector.True)
	}
	if got := connector.OptBoolOf(false); got != connector.False {
		t.Errorf("OptBoolOf(false) = %v, want %v", got, connector.False)
	}
	var zero connector.OptBool
	if zero != connector.Unset {
		t.Errorf("OptBool zero value = %v, want %v", zero, connector.Unset)
	}
}

func TestOptBoolUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    connector.OptBool
		wantErr string
	}{
		{name: "True", in: "true", want: connector.True},
		{name: "False", in: "false", want: connector.False},
		{name: "Null", in: "null", want: connector.Unset},
		{name: "Spaces", in: " true\n", want: connector.True},
		{name: "String", in: `"true"`, wantErr: `connector: "true" is not a Boolean (true, false or null)`},
		{name: "PowerShell", in: "$true", wantErr: `connector: $true is not a Boolean (true, false or null)`},
		{name: "Number", in: "1", wantErr: `connector: 1 is not a Boolean (true, false or null)`},
		{name: "UpperCase", in: "TRUE", wantErr: `connector: TRUE is not a Boolean (true, false or null)`},
		{name: "Empty", in: "", wantErr: `connector:  is not a Boolean (true, false or null)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Start from a value that no successful case expects to keep.
			b := connector.OptBool(7)
			err := b.UnmarshalJSON([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("UnmarshalJSON(%q) error = %v, want %s", tt.in, err, tt.wantErr)
				}
				if b != connector.OptBool(7) {
					t.Errorf("UnmarshalJSON(%q) changed the value to %v on error", tt.in, b)
				}
				return
			}
			if err != nil || b != tt.want {
				t.Errorf("UnmarshalJSON(%q) = %v, %v, want %v, <nil>", tt.in, b, err, tt.want)
			}
		})
	}
}

func TestOptBoolJSONInvalid(t *testing.T) {
	var v struct{ Enabled connector.OptBool }
	err := json.Unmarshal([]byte(`{"Enabled":"yes"}`), &v)
	if want := `connector: "yes" is not a Boolean (true, false or null)`; err == nil || err.Error() != want {
		t.Errorf("json.Unmarshal(%q) error = %v, want %s", `{"Enabled":"yes"}`, err, want)
	}
}

func FuzzParsePattern(f *testing.F) {
	for _, tt := range parsePatternTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := connector.ParsePattern(s)
		if err != nil {
			if p.IsValid() {
				t.Errorf("ParsePattern(%q) = %v, %v, want the zero Pattern with the error", s, p, err)
			}
			return
		}
		if !p.IsValid() {
			t.Errorf("ParsePattern(%q) = invalid Pattern, <nil>", s)
		}
		q, err := connector.ParsePattern(p.String())
		if err != nil || q != p {
			t.Errorf("ParsePattern(%q) = %v, %v, want %v, <nil> (round trip of ParsePattern(%q))", p.String(), q, err, p, s)
		}
		if p.CompareSpecificity(p) != 0 {
			t.Errorf("ParsePattern(%q).CompareSpecificity(itself) = %d, want 0", s, p.CompareSpecificity(p))
		}
		if d := p.Domain(); d != "" && !p.Match(d, false) {
			t.Errorf("ParsePattern(%q).Match(%q, false) = false, want true for the pattern's own domain", s, d)
		}
	})
}

func FuzzParseAddressSpace(f *testing.F) {
	for _, tt := range parseAddressSpaceTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := connector.ParseAddressSpace(s)
		if err != nil {
			return
		}
		if a.Cost < 1 || a.Cost > 100 {
			t.Errorf("ParseAddressSpace(%q).Cost = %d, want 1 to 100", s, a.Cost)
		}
		if a.Type != "SMTP" {
			if a.Raw == "" || a.Pattern.IsValid() {
				t.Errorf("ParseAddressSpace(%q) = %+v, want a non-empty Raw and no Pattern for type %q", s, a, a.Type)
			}
			return
		}
		if !a.Pattern.IsValid() || a.Raw != "" {
			t.Errorf("ParseAddressSpace(%q) = %+v, want a valid Pattern and no Raw", s, a)
		}
		b, err := connector.ParseAddressSpace(a.String())
		if err != nil || b != a {
			t.Errorf("ParseAddressSpace(%q) = %+v, %v, want %+v, <nil> (round trip of ParseAddressSpace(%q))", a.String(), b, err, a, s)
		}
	})
}
