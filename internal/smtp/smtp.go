// Package smtp parses the SMTP addresses and domain names that mailflow's
// configuration and messages carry. It is internal: the public packages wrap
// it in their own types and error messages.
package smtp

import (
	"errors"
	"strings"
)

// Errors returned by the parsers, as they are: callers add the input.
var (
	ErrEmpty        = errors.New("empty")
	ErrNoAt         = errors.New("missing @")
	ErrLocalPart    = errors.New("invalid local part")
	ErrDomainLength = errors.New("domain longer than 253 characters")
	ErrLabel        = errors.New("invalid domain label")
	ErrOneLabel     = errors.New("domain needs at least two labels")
)

// Domain checks that s is a fully qualified domain name (RFC 1035 host name
// syntax, at least two labels, no trailing dot) and returns it in lower case.
func Domain(s string) (string, error) {
	if s == "" {
		return "", ErrEmpty
	}
	if len(s) > 253 {
		return "", ErrDomainLength
	}
	labels := 0
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			continue
		}
		if !validLabel(s[start:i]) {
			return "", ErrLabel
		}
		labels++
		start = i + 1
	}
	if labels < 2 {
		return "", ErrOneLabel
	}
	return lower(s), nil
}

func validLabel(l string) bool {
	if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Address splits s, an addr-spec "local@domain", checks both parts and
// returns the address with its domain in lower case. The local part keeps
// its case (RFC 5321, section 2.4) but is compared case-insensitively by Exchange;
// Key gives the comparison form.
func Address(s string) (local, domain string, err error) {
	if s == "" {
		return "", "", ErrEmpty
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "", "", ErrNoAt
	}
	local = s[:at]
	if !validLocal(local) {
		return "", "", ErrLocalPart
	}
	domain, err = Domain(s[at+1:])
	if err != nil {
		return "", "", err
	}
	return local, domain, nil
}

// validLocal accepts a dot-atom local part (RFC 5322 atext and dots, no
// leading, trailing or doubled dot), at most 64 octets.
func validLocal(l string) bool {
	if len(l) == 0 || len(l) > 64 || l[0] == '.' || l[len(l)-1] == '.' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0:
		case c == '.':
			if l[i-1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// Key returns the form of an address or domain used to look it up: ASCII
// lower case. Exchange matches proxy addresses case-insensitively.
func Key(s string) string { return lower(s) }

func lower(s string) string {
	if hasUpper(s) {
		return strings.ToLower(s)
	}
	return s
}

// hasUpper reports whether s has an ASCII upper-case letter. Keys are
// looked up on every hop, and most are lower case already: it tests eight
// bytes at a time.
func hasUpper(s string) bool {
	const (
		low7  = 0x7f7f7f7f7f7f7f7f
		high  = 0x8080808080808080
		fromA = 0x3f3f3f3f3f3f3f3f // a byte + 0x3f has its high bit from 'A' (0x41) on
		pastZ = 0x2525252525252525 // a byte + 0x25 has its high bit from 'Z'+1 (0x5b) on
	)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		m := w & low7 // no byte carries into the next below
		if (m+fromA)&^(m+pastZ)&^w&high != 0 {
			return true
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

// Parent returns the domain with its first label removed and whether there
// was one to remove: Parent("a.b.c") = "b.c", true; Parent("c") = "", false.
func Parent(domain string) (string, bool) {
	_, after, ok := strings.Cut(domain, ".")
	if !ok {
		return "", false
	}
	return after, true
}
