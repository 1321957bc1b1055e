package smtp_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/internal/smtp"
)

// label63 is the longest valid label; label64 is one octet too long.
var (
	label63 = strings.Repeat("a", 63)
	label64 = strings.Repeat("a", 64)
	// domain253 is a domain of exactly 253 octets: 3 labels of 63, one of 61.
	domain253 = label63 + "." + label63 + "." + label63 + "." + strings.Repeat("b", 61)
	local64   = strings.Repeat("j", 64)
)

var domainTests = []struct {
	name    string
	in      string
	want    string
	wantErr error
}{
	{name: "Simple", in: "contoso.com", want: "contoso.com"},
	{name: "UpperCase", in: "Contoso.COM", want: "contoso.com"},
	{name: "ThreeLabels", in: "sales.contoso.com", want: "sales.contoso.com"},
	{name: "Digits", in: "1and1.de", want: "1and1.de"},
	{name: "AllDigitLabels", in: "192.0.2.1", want: "192.0.2.1"},
	{name: "InnerHyphen", in: "contoso-mail.com", want: "contoso-mail.com"},
	{name: "Punycode", in: "xn--bcher-kva.de", want: "xn--bcher-kva.de"},
	{name: "Underscore", in: "_dmarc.contoso.com", want: "_dmarc.contoso.com"},
	{name: "Label63", in: label63 + ".com", want: label63 + ".com"},
	{name: "Length253", in: domain253, want: domain253},
	{name: "Empty", in: "", wantErr: smtp.ErrEmpty},
	{name: "Length254", in: "c" + domain253, wantErr: smtp.ErrDomainLength},
	{name: "OneLabel", in: "contoso", wantErr: smtp.ErrOneLabel},
	{name: "OneLabelUpper", in: "LOCALHOST", wantErr: smtp.ErrOneLabel},
	{name: "TrailingDot", in: "contoso.com.", wantErr: smtp.ErrLabel},
	{name: "LeadingDot", in: ".contoso.com", wantErr: smtp.ErrLabel},
	{name: "DoubleDot", in: "contoso..com", wantErr: smtp.ErrLabel},
	{name: "OnlyDot", in: ".", wantErr: smtp.ErrLabel},
	{name: "LeadingHyphen", in: "-contoso.com", wantErr: smtp.ErrLabel},
	{name: "TrailingHyphen", in: "contoso-.com", wantErr: smtp.ErrLabel},
	{name: "HyphenTLD", in: "contoso.-com", wantErr: smtp.ErrLabel},
	{name: "Label64", in: label64 + ".com", wantErr: smtp.ErrLabel},
	{name: "Space", in: "con toso.com", wantErr: smtp.ErrLabel},
	{name: "Wildcard", in: "*.contoso.com", wantErr: smtp.ErrLabel},
	{name: "At", in: "john@contoso.com", wantErr: smtp.ErrLabel},
	{name: "NonASCII", in: "bücher.de", wantErr: smtp.ErrLabel},
	{name: "BadLabelBeforeOneLabel", in: "-", wantErr: smtp.ErrLabel},
}

func TestDomain(t *testing.T) {
	for _, tt := range domainTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := smtp.Domain(tt.in)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("Domain(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Domain(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

var addressTests = []struct {
	name       string
	in         string
	wantLocal  string
	wantDomain string
	wantErr    error
}{
	{name: "Simple", in: "john@contoso.com", wantLocal: "john", wantDomain: "contoso.com"},
	{name: "LocalKeepsCase", in: "John.Smith@Contoso.COM", wantLocal: "John.Smith", wantDomain: "contoso.com"},
	{name: "Atext", in: "o'brien+tag!#$%&*/=?^_`{|}~-@contoso.com", wantLocal: "o'brien+tag!#$%&*/=?^_`{|}~-", wantDomain: "contoso.com"},
	{name: "Dots", in: "a.b.c@sales.contoso.com", wantLocal: "a.b.c", wantDomain: "sales.contoso.com"},
	{name: "RoutingAddress", in: "david@contoso.mail.onmicrosoft.com", wantLocal: "david", wantDomain: "contoso.mail.onmicrosoft.com"},
	{name: "Local64", in: local64 + "@contoso.com", wantLocal: local64, wantDomain: "contoso.com"},
	{name: "Empty", in: "", wantErr: smtp.ErrEmpty},
	{name: "NoAt", in: "john", wantErr: smtp.ErrNoAt},
	{name: "NoAtDomain", in: "contoso.com", wantErr: smtp.ErrNoAt},
	{name: "EmptyLocal", in: "@contoso.com", wantErr: smtp.ErrLocalPart},
	{name: "LeadingDot", in: ".john@contoso.com", wantErr: smtp.ErrLocalPart},
	{name: "TrailingDot", in: "john.@contoso.com", wantErr: smtp.ErrLocalPart},
	{name: "DoubleDot", in: "jo..hn@contoso.com", wantErr: smtp.ErrLocalPart},
	{name: "Local65", in: local64 + "j@contoso.com", wantErr: smtp.ErrLocalPart},
	{name: "Quoted", in: `"john smith"@contoso.com`, wantErr: smtp.ErrLocalPart},
	{name: "TwoAts", in: "john@fabrikam@contoso.com", wantErr: smtp.ErrLocalPart},
	{name: "Space", in: "john smith@contoso.com", wantErr: smtp.ErrLocalPart},
	{name: "AngleBrackets", in: "<john@contoso.com>", wantErr: smtp.ErrLocalPart},
	{name: "EmptyDomain", in: "john@", wantErr: smtp.ErrEmpty},
	{name: "OneLabelDomain", in: "john@contoso", wantErr: smtp.ErrOneLabel},
	{name: "BadDomainLabel", in: "john@contoso..com", wantErr: smtp.ErrLabel},
	{name: "DomainTooLong", in: "john@c" + domain253, wantErr: smtp.ErrDomainLength},
}

func TestAddress(t *testing.T) {
	for _, tt := range addressTests {
		t.Run(tt.name, func(t *testing.T) {
			local, domain, err := smtp.Address(tt.in)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("Address(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if local != tt.wantLocal || domain != tt.wantDomain {
				t.Errorf("Address(%q) = %q, %q, want %q, %q", tt.in, local, domain, tt.wantLocal, tt.wantDomain)
			}
		})
	}
}

func TestParent(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		wantOK bool
	}{
		{name: "ThreeLabels", in: "a.b.c", want: "b.c", wantOK: true},
		{name: "TwoLabels", in: "contoso.com", want: "com", wantOK: true},
		{name: "Subdomain", in: "sales.contoso.com", want: "contoso.com", wantOK: true},
		{name: "OneLabel", in: "c", want: "", wantOK: false},
		{name: "Empty", in: "", want: "", wantOK: false},
		{name: "LeadingDot", in: ".com", want: "com", wantOK: true},
		{name: "TrailingDot", in: "com.", want: "", wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := smtp.Parent(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Parent(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestKey(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "Empty", in: "", want: ""},
		{name: "AlreadyLower", in: "john@contoso.com", want: "john@contoso.com"},
		{name: "MixedAddress", in: "John.Smith@Contoso.COM", want: "john.smith@contoso.com"},
		{name: "UpperDomain", in: "SALES.CONTOSO.COM", want: "sales.contoso.com"},
		{name: "DigitsAndSymbols", in: "A1-B2_C3+D4", want: "a1-b2_c3+d4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := smtp.Key(tt.in); got != tt.want {
				t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzDomain(f *testing.F) {
	for _, tt := range domainTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := smtp.Domain(s)
		if err != nil {
			if d != "" {
				t.Errorf("Domain(%q) = %q, %v, want empty result with the error", s, d, err)
			}
			return
		}
		if d != strings.ToLower(d) {
			t.Errorf("Domain(%q) = %q, want lower case", s, d)
		}
		if d != smtp.Key(s) {
			t.Errorf("Domain(%q) = %q, want Key(%q) = %q", s, d, s, smtp.Key(s))
		}
		if again, err := smtp.Domain(d); again != d || err != nil {
			t.Errorf("Domain(%q) = %q, %v, want %q, <nil>", d, again, err, d)
		}
		if p, ok := smtp.Parent(d); !ok || !strings.HasSuffix(d, "."+p) {
			t.Errorf("Parent(%q) = %q, %v, want a suffix of the domain and true", d, p, ok)
		}
	})
}

func FuzzAddress(f *testing.F) {
	for _, tt := range addressTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		local, domain, err := smtp.Address(s)
		if err != nil {
			if local != "" || domain != "" {
				t.Errorf("Address(%q) = %q, %q, %v, want empty parts with the error", s, local, domain, err)
			}
			return
		}
		if d, err := smtp.Domain(domain); d != domain || err != nil {
			t.Errorf("Domain(%q) = %q, %v, want %q, <nil> for the domain of Address(%q)", domain, d, err, domain, s)
		}
		joined := local + "@" + domain
		l2, d2, err := smtp.Address(joined)
		if l2 != local || d2 != domain || err != nil {
			t.Errorf("Address(%q) = %q, %q, %v, want %q, %q, <nil>", joined, l2, d2, err, local, domain)
		}
		if smtp.Key(joined) != smtp.Key(s) {
			t.Errorf("Key(%q) = %q, want Key(%q) = %q", joined, smtp.Key(joined), s, smtp.Key(s))
		}
	})
}

// FuzzKey: Key lower-cases exactly the strings that have an ASCII
// upper-case letter, as strings.ToLower does, and returns the others as
// they are.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"", "a", "Z", "john@contoso.com", "John.Smith@Contoso.COM", "abcdefgh@", "abcdefghX", "\x80\xc1\xdb@[`{", "ÉCOLE.fr", "@[`{@[`{@[`{AZ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		upper := strings.ContainsFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' })
		want := s
		if upper {
			want = strings.ToLower(s)
		}
		if got := smtp.Key(s); got != want {
			t.Errorf("Key(%q) = %q, want %q", s, got, want)
		}
	})
}

// BenchmarkKey: the key of an address already in lower case, the common
// case, beside a floor that only reads its bytes.
func BenchmarkKey(b *testing.B) {
	const a = "megan.bowen@subsidiary.contoso.com"
	b.Run("floor", func(b *testing.B) {
		n := 0
		for b.Loop() {
			for i := range len(a) {
				n += int(a[i])
			}
		}
		_ = n
	})
	b.Run("Key", func(b *testing.B) {
		b.ReportAllocs()
		var k string
		for b.Loop() {
			k = smtp.Key(a)
		}
		_ = k
	})
}
