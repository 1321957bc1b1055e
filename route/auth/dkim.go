package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/mailflowsim/mailflow/topology/dns"
)

// DKIMResult is the result of a DKIM check as Authentication-Results
// writes it (RFC 8601, section 2.7.1): "pass".
type DKIMResult string

// The DKIM results.
const (
	DKIMNone      DKIMResult = "none" // the message is not signed
	DKIMPass      DKIMResult = "pass"
	DKIMFail      DKIMResult = "fail"      // the signature did not verify
	DKIMTempError DKIMResult = "temperror" // the key record could not be read
	DKIMPermError DKIMResult = "permerror" // no valid key record
)

// DKIM is the result of DKIM at one hop: of the message's signature, or
// none.
type DKIM struct {
	// Result is the DKIM result.
	Result DKIMResult `json:"result"`
	// Domain and Selector are the signature's d= and s=; "" when the
	// message is not signed.
	Domain   string `json:"domain,omitempty"`
	Selector string `json:"selector,omitempty"`
	// Reason is the comment Authentication-Results writes after the
	// result: "signature was verified", "body hash did not verify",
	// "message not signed".
	Reason string `json:"reason"`
}

// ErrNotDKIMKey is matched by the error [ParseDKIMKey] returns for a
// record that is not a usable DKIM key record.
var ErrNotDKIMKey = errors.New("auth: not a DKIM key record")

// ParseDKIMKey checks a DKIM key record (RFC 6376, section 3.6.1):
// tag=value pairs separated by semicolons; v=, when present, is first and
// DKIM1; p= is present. An empty p= is a revoked key, refused too. The
// key material itself is not read: a simulation has no keys.
func ParseDKIMKey(txt string) error {
	p := false
	for i, t := range strings.Split(txt, ";") {
		k, v, ok := strings.Cut(t, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok && k == "":
		case !ok:
			return fmt.Errorf("%w: %q is not tag=value", ErrNotDKIMKey, t)
		case k == "v" && (i != 0 || v != "DKIM1"):
			return fmt.Errorf("%w: v= must be first and DKIM1", ErrNotDKIMKey)
		case k == "p" && v == "":
			return fmt.Errorf("%w: the key is revoked (empty p=)", ErrNotDKIMKey)
		case k == "p":
			p = true
		}
	}
	if !p {
		return fmt.Errorf("%w: no p= tag", ErrNotDKIMKey)
	}
	return nil
}

// CheckDKIM evaluates the DKIM signature a message carries, made with
// domain (d=) and selector (s=), "" for an unsigned message; broken tells
// whether a hop changed the body after the signature was made
// (docs/behaviour.md#l93-dkim). The key record is the TXT record at
// <selector>._domainkey.<domain> (RFC 6376, section 3.6.2.1): none, or
// none usable, is permerror ("no key for signature"), a failed lookup
// temperror; a body changed after signing fails (RFC 6376, section
// 3.7); otherwise the signature passes.
func CheckDKIM(r dns.Resolver, domain, selector string, broken bool) DKIM {
	if domain == "" {
		return DKIM{Result: DKIMNone, Reason: "message not signed"}
	}
	d := DKIM{Domain: domain, Selector: selector}
	txts, err := r.LookupTXT(context.Background(), selector+"._domainkey."+domain)
	var de *net.DNSError
	if err != nil && !(errors.As(err, &de) && de.IsNotFound) {
		d.Result, d.Reason = DKIMTempError, "key record could not be read"
		return d
	}
	valid := 0
	for _, t := range txts {
		if ParseDKIMKey(t) == nil {
			valid++
		}
	}
	switch {
	case valid == 0:
		d.Result, d.Reason = DKIMPermError, "no key for signature"
	case broken:
		d.Result, d.Reason = DKIMFail, "body hash did not verify"
	default:
		d.Result, d.Reason = DKIMPass, "signature was verified"
	}
	return d
}
