package route

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Status is an SMTP reply as a recipient's outcome carries it: the reply
// code (RFC 5321), the enhanced status code (RFC 3463) and the text, as in
// 550 5.7.64 TenantAttribution; Relay Access Denied. The zero Status is no
// status: an outcome that has none (a delivery, or a deferral for which
// Exchange documents no code). Status is comparable.
type Status struct {
	// Code is the SMTP reply code: 550.
	Code int
	// Enhanced is the enhanced status code: "5.7.64"; "" when the reply
	// has none.
	Enhanced string
	// Text is the rest of the line: "TenantAttribution; Relay Access
	// Denied".
	Text string
}

// ErrBadStatus is wrapped by [ParseStatus]'s errors.
var ErrBadStatus = errors.New("route: not an SMTP status line")

// ParseStatus parses an SMTP status line: a three-digit reply code, then
// optionally an enhanced status code class.subject.detail (RFC 3463: class
// 2, 4 or 5), then text. The class need not be the reply code's first
// digit: Exchange answers "451 5.7.3 STARTTLS is required to send mail".
// "" parses as the zero Status.
func ParseStatus(line string) (Status, error) {
	if line == "" {
		return Status{}, nil
	}
	code, rest, _ := strings.Cut(line, " ")
	n, err := strconv.Atoi(code)
	if err != nil || len(code) != 3 || n < 200 || n > 599 {
		return Status{}, fmt.Errorf("%w: %q: no reply code", ErrBadStatus, line)
	}
	s := Status{Code: n, Text: rest}
	if enh, text, _ := strings.Cut(rest, " "); isEnhanced(enh) {
		s.Enhanced, s.Text = enh, text
	}
	return s, nil
}

// MustParseStatus is like [ParseStatus] but panics on a bad line. It is
// intended for tests and package-level values with hard-coded lines.
func MustParseStatus(line string) Status {
	s, err := ParseStatus(line)
	if err != nil {
		panic(err)
	}
	return s
}

// isEnhanced reports whether s is class.subject.detail (RFC 3463: the
// class a digit 2, 4 or 5, then one to three and one to three digits).
func isEnhanced(s string) bool {
	if len(s) < 5 || s[0] != '2' && s[0] != '4' && s[0] != '5' || s[1] != '.' {
		return false
	}
	parts, digits := 0, 0
	for i := 2; i <= len(s); i++ {
		switch {
		case i == len(s) || s[i] == '.':
			if digits == 0 || digits > 3 {
				return false
			}
			parts, digits = parts+1, 0
		case s[i] >= '0' && s[i] <= '9':
			digits++
		default:
			return false
		}
	}
	return parts == 2
}

// IsZero reports whether s is no status.
func (s Status) IsZero() bool { return s == Status{} }

// String returns the status line: "550 5.7.64 TenantAttribution; Relay
// Access Denied", or "" for the zero Status.
func (s Status) String() string {
	if s.IsZero() {
		return ""
	}
	b := make([]byte, 0, 4+len(s.Enhanced)+1+len(s.Text))
	b = strconv.AppendInt(b, int64(s.Code), 10)
	if s.Enhanced != "" {
		b = append(b, ' ')
		b = append(b, s.Enhanced...)
	}
	if s.Text != "" {
		b = append(b, ' ')
		b = append(b, s.Text...)
	}
	return string(b)
}

// Short returns the reply code and the enhanced status code: "550 5.7.64",
// or "" for the zero Status.
func (s Status) Short() string {
	if s.IsZero() {
		return ""
	}
	if s.Enhanced == "" {
		return strconv.Itoa(s.Code)
	}
	return strconv.Itoa(s.Code) + " " + s.Enhanced
}

// Permanent reports whether the status is a permanent failure (5xx).
func (s Status) Permanent() bool { return s.Code >= 500 && s.Code < 600 }

// Transient reports whether the status is a transient failure (4xx).
func (s Status) Transient() bool { return s.Code >= 400 && s.Code < 500 }
