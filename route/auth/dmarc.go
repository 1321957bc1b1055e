package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/topology/dns"
)

// DMARCPolicy is a DMARC record's requested policy (p= or sp=): none,
// quarantine or reject (RFC 7489, section 6.3).
type DMARCPolicy string

// The DMARC policies.
const (
	PolicyNone       DMARCPolicy = "none"
	PolicyQuarantine DMARCPolicy = "quarantine"
	PolicyReject     DMARCPolicy = "reject"
)

// DMARCRecord is a parsed DMARC record (RFC 7489, section 6.3): the tags
// evaluation reads. Reporting tags (rua, ruf, fo, rf, ri) change no mail
// flow.
type DMARCRecord struct {
	// Policy is p=; SubdomainPolicy is sp=, Policy when absent.
	Policy, SubdomainPolicy DMARCPolicy
	// StrictSPF and StrictDKIM are aspf=s and adkim=s; relaxed otherwise.
	StrictSPF, StrictDKIM bool
	// Percent is pct=, 0 to 100; 100 when absent or not a number in range.
	Percent int
}

// ErrNotDMARC is matched by the error [ParseDMARC] returns for a record it
// does not take as a DMARC policy record.
var ErrNotDMARC = errors.New("auth: not a DMARC record")

// ParseDMARC parses a DMARC record: "v=DMARC1; p=reject; sp=none;
// aspf=s; pct=50" (RFC 7489, section 6.4: tag=value pairs separated by
// semicolons, v first). Tag names and values ignore case and the
// whitespace around them; unknown tags are ignored. A record without a
// valid p= is read as p=none when it has a rua= tag and refused otherwise
// (section 6.6.3); an invalid sp= reads as p=.
func ParseDMARC(txt string) (DMARCRecord, error) {
	rec := DMARCRecord{Percent: 100}
	tags := strings.Split(txt, ";")
	if k, v, _ := strings.Cut(tags[0], "="); !strings.EqualFold(strings.TrimSpace(k), "v") || strings.TrimSpace(v) != "DMARC1" {
		return DMARCRecord{}, fmt.Errorf("%w: %q does not start with v=DMARC1", ErrNotDMARC, txt)
	}
	rua := false
	for _, t := range tags[1:] {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.ToLower(strings.TrimSpace(v))
		switch k {
		case "p":
			rec.Policy = policyOf(v)
		case "sp":
			rec.SubdomainPolicy = policyOf(v)
		case "aspf":
			rec.StrictSPF = v == "s"
		case "adkim":
			rec.StrictDKIM = v == "s"
		case "pct":
			if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 100 {
				rec.Percent = n
			}
		case "rua":
			rua = v != ""
		}
	}
	switch {
	case rec.Policy == "" && !rua:
		return DMARCRecord{}, fmt.Errorf("%w: %q has no valid p= tag", ErrNotDMARC, txt)
	case rec.Policy == "":
		rec.Policy = PolicyNone
	}
	if rec.SubdomainPolicy == "" {
		rec.SubdomainPolicy = rec.Policy
	}
	return rec, nil
}

func policyOf(v string) DMARCPolicy {
	switch p := DMARCPolicy(v); p {
	case PolicyNone, PolicyQuarantine, PolicyReject:
		return p
	}
	return ""
}

// DMARCResult is the result of a DMARC check as Authentication-Results
// writes it (RFC 7489, section 11.2): "pass".
type DMARCResult string

// The DMARC results.
const (
	DMARCNone      DMARCResult = "none" // no DMARC record for the From domain
	DMARCPass      DMARCResult = "pass"
	DMARCFail      DMARCResult = "fail"
	DMARCTempError DMARCResult = "temperror" // the record's lookup failed
)

// DMARC is the result of DMARC at one hop.
type DMARC struct {
	// Result is the DMARC result.
	Result DMARCResult `json:"result"`
	// HeaderFrom is the domain of the message's From header
	// (header.from).
	HeaderFrom string `json:"headerFrom"`
	// Domain is where the record was found: _dmarc.<Domain>; "" when none
	// was.
	Domain string `json:"domain,omitempty"`
	// Policy is the policy the record requests for HeaderFrom: p=, or sp=
	// when the record is an ancestor's; "" without a record.
	Policy DMARCPolicy `json:"policy,omitempty"`
	// Percent is the record's pct=.
	Percent int `json:"percent,omitempty"`
	// Action is what Exchange Online does about the result, as
	// Authentication-Results writes it (action=): none, reject,
	// quarantine, oreject or oquarantine (the policy overridden: not
	// honoured), pct.reject or pct.quarantine (pct= left the message out).
	Action string `json:"action"`
	// Reason says, for people, what decided the result and the action.
	Reason string `json:"reason"`
}

// maxWalk bounds the tree walk: at most this many _dmarc queries.
const maxWalk = 8

// CheckDMARC evaluates DMARC (RFC 7489, section 6.6) for a message whose
// From header has the domain from, given the SPF result of its MAIL FROM
// and the DKIM result of its signature: DMARC passes on an SPF pass or a
// DKIM pass whose domain is aligned with from, relaxed or strict as the
// record's aspf= and adkim= say
// (docs/behaviour.md#l92-dmarc-and-composite-authentication). The record
// is found by a tree walk, the From domain first, then each parent up to
// the domain with two labels, at most eight queries; the organizational
// domain of a name is the highest of those that has a record, else its
// last two labels. Action is left empty: Exchange's decision.
func CheckDMARC(r dns.Resolver, from string, spf SPF, dkim DKIM) DMARC {
	from = strings.ToLower(strings.TrimSuffix(from, "."))
	d := DMARC{HeaderFrom: from}
	rec, at, err := lookupDMARC(r, from)
	switch {
	case err != nil:
		d.Result, d.Reason = DMARCTempError, "the DMARC record of "+from+" could not be read: "+err.Error()
		return d
	case from == "":
		d.Result, d.Reason = DMARCNone, "no From domain to check"
		return d
	case at == "":
		d.Result, d.Reason = DMARCNone, "no DMARC record for "+from
		return d
	}
	d.Domain, d.Policy, d.Percent = at, rec.Policy, rec.Percent
	if at != from {
		d.Policy = rec.SubdomainPolicy
	}
	spfAligned, spfMode := aligned(r, spf.MailFrom, from, rec.StrictSPF)
	dkimAligned, dkimMode := aligned(r, dkim.Domain, from, rec.StrictDKIM)
	switch {
	case spf.Result == SPFPass && spfAligned:
		d.Result, d.Reason = DMARCPass, "SPF passed for "+spf.MailFrom+", aligned ("+spfMode+") with "+from
	case dkim.Result == DKIMPass && dkimAligned:
		d.Result, d.Reason = DMARCPass, "DKIM passed for "+dkim.Domain+", aligned ("+dkimMode+") with "+from
	default:
		d.Result, d.Reason = DMARCFail, "no aligned pass: "+spfWords(spf, spfAligned, spfMode, from)+"; "+dkimWords(dkim, dkimAligned, dkimMode, from)
	}
	return d
}

// aligned reports whether an authenticated domain is aligned with the From
// domain (RFC 7489, section 3.1): the same name (strict), or the same
// organizational domain (relaxed); and the mode's name.
func aligned(r dns.Resolver, domain, from string, strict bool) (bool, string) {
	switch {
	case domain == "":
		return false, "relaxed"
	case strict:
		return strings.EqualFold(domain, from), "strict"
	}
	return strings.EqualFold(domain, from) || orgDomain(r, domain) == orgDomain(r, from), "relaxed"
}

func spfWords(spf SPF, aligned bool, mode, from string) string {
	if spf.Result == SPFPass && !aligned {
		return "SPF passed for " + spf.MailFrom + ", not aligned (" + mode + ") with " + from
	}
	return "SPF " + string(spf.Result) + " for " + spf.MailFrom
}

func dkimWords(dkim DKIM, aligned bool, mode, from string) string {
	switch {
	case dkim.Result == DKIMNone:
		return "the message is not DKIM-signed"
	case dkim.Result == DKIMPass && !aligned:
		return "DKIM passed for " + dkim.Domain + ", not aligned (" + mode + ") with " + from
	}
	return "DKIM " + string(dkim.Result) + " for " + dkim.Domain + " (" + dkim.Reason + ")"
}

// lookupDMARC walks from the domain up to the one with two labels and
// returns the first DMARC record found and where; "" when none is.
func lookupDMARC(r dns.Resolver, domain string) (DMARCRecord, string, error) {
	for i, d := 0, domain; i < maxWalk && strings.Count(d, ".") >= 1; i++ {
		txts, err := r.LookupTXT(context.Background(), "_dmarc."+d)
		var de *net.DNSError
		if err != nil && !(errors.As(err, &de) && de.IsNotFound) {
			return DMARCRecord{}, "", err
		}
		var found []DMARCRecord
		for _, t := range txts {
			if rec, err := ParseDMARC(t); err == nil {
				found = append(found, rec)
			}
		}
		if len(found) == 1 { // several records: none applies (RFC 7489, section 6.6.3)
			return found[0], d, nil
		}
		_, d, _ = strings.Cut(d, ".")
	}
	return DMARCRecord{}, "", nil
}

// orgDomain returns the organizational domain of a name for relaxed
// alignment: the highest ancestor with two labels or more that has a
// DMARC record, else its last two labels
// (docs/behaviour.md#l92-dmarc-and-composite-authentication).
func orgDomain(r dns.Resolver, domain string) string {
	labels := strings.Split(strings.ToLower(domain), ".")
	if len(labels) < 2 {
		return domain
	}
	org := strings.Join(labels[len(labels)-2:], ".")
	for i := len(labels) - 2; i >= 0 && i >= len(labels)-2-maxWalk; i-- {
		d := strings.Join(labels[i:], ".")
		if txts, err := r.LookupTXT(context.Background(), "_dmarc."+d); err == nil {
			for _, t := range txts {
				if _, err := ParseDMARC(t); err == nil {
					return d
				}
			}
		}
	}
	return org
}
