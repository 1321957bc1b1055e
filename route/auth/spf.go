package auth

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"

	"blitiri.com.ar/go/spf"

	"github.com/mailflowsim/mailflow/topology/dns"
)

// SPFResult is the result of an SPF check (RFC 7208, section 2.6), as
// Authentication-Results writes it: "pass".
type SPFResult string

// The SPF results.
const (
	// SPFNone: no SPF record for the domain, or no domain to check.
	SPFNone SPFResult = "none"
	// SPFNeutral: the domain states nothing about the IP (?all, or no
	// mechanism matched and no all).
	SPFNeutral SPFResult = "neutral"
	// SPFPass: the IP is authorized to send for the domain.
	SPFPass SPFResult = "pass"
	// SPFFail: the IP is not authorized (-all).
	SPFFail SPFResult = "fail"
	// SPFSoftFail: probably not authorized (~all).
	SPFSoftFail SPFResult = "softfail"
	// SPFTempError: a DNS lookup failed for now (a Failing record).
	SPFTempError SPFResult = "temperror"
	// SPFPermError: the records cannot be interpreted: a syntax error, two
	// SPF records, more than 10 lookups or more than 2 void lookups.
	SPFPermError SPFResult = "permerror"
)

// SPF is the result of SPF at one hop.
type SPF struct {
	// Result is the SPF result.
	Result SPFResult `json:"result"`
	// IP is the address SPF checked: the connecting host's, or the one
	// Enhanced Filtering for Connectors recovered.
	IP netip.Addr `json:"ip"`
	// MailFrom is the domain checked, the MAIL FROM address's domain
	// (smtp.mailfrom); for the null sender, the HELO name (RFC 7208,
	// section 2.4).
	MailFrom string `json:"mailFrom"`
	// Reason says, for people, what decided the result.
	Reason string `json:"reason"`
}

// CheckSPF evaluates SPF for a message from ip with the envelope sender
// from (an address; "" or "<>" is the null sender) and the HELO name helo,
// over the zone r answers from (RFC 7208, section 4: check_host). An
// invalid ip, or a sender and HELO without a domain, give none.
func CheckSPF(r dns.Resolver, ip netip.Addr, from, helo string) SPF {
	domain := ""
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		domain = from[i+1:]
	}
	sender := from
	if domain == "" {
		// RFC 7208, section 2.4: the null sender is checked as
		// postmaster@<HELO name>.
		domain, sender = helo, "postmaster@"+helo
	}
	out := SPF{IP: ip, MailFrom: strings.ToLower(domain)}
	if domain == "" {
		out.Result, out.Reason = SPFNone, "no MAIL FROM domain and no HELO name to check"
		return out
	}
	if !ip.IsValid() {
		// docs/behaviour.md#l91-where-spf-is-evaluated
		out.Result, out.Reason = SPFNone, "the sending host declares no IPAddress: nothing identifies the client"
		return out
	}
	res, err := spf.CheckHostWithSender(net.IP(ip.Unmap().AsSlice()), helo, sender,
		spf.WithResolver(r), spf.WithContext(context.Background()))
	out.Result = SPFResult(res)
	out.Reason = reason(out, err)
	return out
}

// matches says which mechanism matched, for the library's match errors.
var matches = []struct {
	err  error
	what string
}{
	{spf.ErrMatchedAll, "the all mechanism"},
	{spf.ErrMatchedA, "an a mechanism"},
	{spf.ErrMatchedIP, "an ip4 or ip6 mechanism"},
	{spf.ErrMatchedMX, "an mx mechanism"},
	{spf.ErrMatchedPTR, "a ptr mechanism"},
	{spf.ErrMatchedExists, "an exists mechanism"},
}

// reason explains a result for people.
func reason(s SPF, err error) string {
	head := "SPF of " + s.MailFrom + " for " + s.IP.String() + ": " + string(s.Result)
	for _, m := range matches {
		if errors.Is(err, m.err) {
			return head + ": " + m.what + " matched"
		}
	}
	switch {
	case errors.Is(err, spf.ErrNoResult):
		return head + ": no SPF record"
	case errors.Is(err, spf.ErrLookupLimitReached):
		return head + ": more than 10 DNS lookups (RFC 7208, section 4.6.4)"
	case errors.Is(err, spf.ErrVoidLookupLimitReached):
		return head + ": more than 2 void lookups (RFC 7208, section 4.6.4)"
	case errors.Is(err, spf.ErrMultipleRecords):
		return head + ": more than one SPF record"
	case err != nil:
		return head + ": " + err.Error()
	case s.Result == SPFNeutral:
		return head + ": no mechanism matched"
	}
	return head
}
