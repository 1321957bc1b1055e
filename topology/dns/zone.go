package dns

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/internal/problem"
	"github.com/mailflowsim/mailflow/internal/smtp"
)

// Type is the type of a declared DNS record, as Resolve-DnsName -Type names
// it: TXT, A or AAAA. MX records have their own list in the Spec.
type Type string

// The record types a Spec may declare.
const (
	TXT  Type = "TXT"
	A    Type = "A"
	AAAA Type = "AAAA"
)

// maxString is the longest character-string a TXT record holds (RFC 1035,
// section 3.3).
const maxString = 255

// Record is one declared DNS record, with the properties Resolve-DnsName
// prints: Name, Type, Strings for TXT, IPAddress for A and AAAA.
type Record struct {
	// Name is the owner name: "fabrikam.com", "_dmarc.fabrikam.com",
	// "selector1._domainkey.fabrikam.com", "mail.fabrikam.com".
	Name string
	// Type is TXT, A or AAAA.
	Type Type
	// Strings are a TXT record's character-strings, each at most 255
	// printable ASCII characters; a reader joins them with nothing between
	// them (RFC 7208, section 3.3): {"v=spf1 ip4:203.0.113.0/24", " -all"}.
	Strings []string
	// IPAddress is an A record's IPv4 address or an AAAA record's IPv6
	// address.
	IPAddress string
	// Failing models an outage of the name's DNS servers: every query for
	// Name and Type fails (SERVFAIL), which SPF reads as temperror. The
	// record's data stays declared but no query sees it while it fails.
	Failing bool
}

// MX is an MX record of the zone: the domain and the host its mail goes to.
type MX struct {
	Domain       string
	Preference   int
	NameExchange string
}

// Host is a host name and the address the node that has it sends from: the
// zone answers A or AAAA queries for the name with it, unless the records
// declare A or AAAA records for that name.
type Host struct {
	Name string
	IP   netip.Addr
}

// Problem is a problem of a declared record, the same type as
// topology.Problem: Path names the record by its name and type
// (`DNSRecords["fabrikam.com" TXT]`).
type Problem = problem.Problem

type key struct {
	name string
	typ  Type
}

// Zone is a validated, immutable set of DNS records: the declared ones, the
// MX records and the node addresses. The zero Zone and a nil *Zone answer
// NXDOMAIN for every name. It is safe for concurrent use by multiple
// goroutines.
type Zone struct {
	txt      map[string][]string  // name → records, each joined; declaration order sorted
	addr     map[key][]netip.Addr // A and AAAA, ascending
	mx       map[string][]*net.MX // preference, then host
	failing  map[key]bool         // name and type that answer SERVFAIL
	exists   map[string]bool      // names that have records, or names below them
	declared int                  // the number of valid declared records
}

// NewZone validates records and builds the zone of them, the MX records
// and the hosts' addresses. It returns the problems of the records, sorted
// by record and field; it builds the zone of the valid records whatever the
// problems. mx and hosts are taken as valid (topology.Build checks them).
// Host names and owner names are compared ignoring case.
func NewZone(records []Record, mx []MX, hosts []Host) (*Zone, []Problem) {
	z := &Zone{txt: map[string][]string{}, addr: map[key][]netip.Addr{}, mx: map[string][]*net.MX{},
		failing: map[key]bool{}, exists: map[string]bool{}}
	var ps []Problem
	seen := map[string]bool{}
	declaredAddr := map[string]bool{}
	for _, r := range records {
		obj := fmt.Sprintf("DNSRecords[%q %s]", r.Name, r.Type)
		name, ok := z.add(r, obj, &ps)
		if !ok {
			continue
		}
		id := fmt.Sprintf("%s %s %q %s %t", name, r.Type, r.Strings, r.IPAddress, r.Failing)
		if seen[id] {
			ps = append(ps, Problem{Path: obj, Message: "is declared twice"})
			continue
		}
		seen[id] = true
		if r.Type == A || r.Type == AAAA {
			declaredAddr[name] = true
		}
		z.declared++
		z.mark(name)
	}
	for _, h := range hosts {
		name := smtp.Key(h.Name)
		if !h.IP.IsValid() || declaredAddr[name] {
			continue
		}
		t := A
		if !h.IP.Unmap().Is4() {
			t = AAAA
		}
		z.addr[key{name, t}] = append(z.addr[key{name, t}], h.IP.Unmap())
		z.mark(name)
	}
	for _, m := range mx {
		d := smtp.Key(m.Domain)
		z.mx[d] = append(z.mx[d], &net.MX{Host: smtp.Key(m.NameExchange), Pref: uint16(m.Preference)})
		z.mark(d)
	}
	for _, l := range z.mx {
		slices.SortFunc(l, func(a, b *net.MX) int { return cmp.Or(cmp.Compare(a.Pref, b.Pref), strings.Compare(a.Host, b.Host)) })
	}
	for k, l := range z.addr {
		slices.SortFunc(l, netip.Addr.Compare)
		z.addr[k] = slices.Compact(l)
	}
	for _, l := range z.txt {
		slices.Sort(l)
	}
	return z, problem.Sort(ps)
}

// add validates one record and adds its data; it returns the owner name in
// lower case and whether the record was valid.
func (z *Zone) add(r Record, obj string, ps *[]Problem) (string, bool) {
	bad := func(field, msg string) (string, bool) {
		*ps = append(*ps, Problem{Path: obj, Field: field, Message: msg})
		return "", false
	}
	name, err := smtp.Domain(strings.TrimSuffix(r.Name, "."))
	if err != nil {
		return bad("Name", fmt.Sprintf("%q is not a domain name: %v", r.Name, err))
	}
	switch r.Type {
	case TXT:
		if r.IPAddress != "" {
			return bad("IPAddress", "a TXT record has no IPAddress")
		}
		if len(r.Strings) == 0 {
			return bad("Strings", "a TXT record needs at least one string")
		}
		for i, s := range r.Strings {
			if msg := checkString(s); msg != "" {
				return bad(fmt.Sprintf("Strings[%d]", i), msg)
			}
		}
	case A, AAAA:
		if len(r.Strings) > 0 {
			return bad("Strings", fmt.Sprintf("an %s record has no Strings", r.Type))
		}
		ip, err := netip.ParseAddr(r.IPAddress)
		if err != nil || ip.Zone() != "" || (r.Type == A) != ip.Is4() {
			return bad("IPAddress", fmt.Sprintf("%q is not an %s address", r.IPAddress, map[Type]string{A: "IPv4", AAAA: "IPv6"}[r.Type]))
		}
		if !r.Failing {
			z.addr[key{name, r.Type}] = append(z.addr[key{name, r.Type}], ip)
		}
	case "MX":
		return bad("Type", "MX records go in MXRecords")
	default:
		return bad("Type", fmt.Sprintf("%q is not TXT, A or AAAA", r.Type))
	}
	if r.Failing {
		z.failing[key{name, r.Type}] = true
	} else if r.Type == TXT {
		z.txt[name] = append(z.txt[name], strings.Join(r.Strings, ""))
	}
	return name, true
}

// checkString returns what is wrong with a TXT character-string, or "".
func checkString(s string) string {
	if len(s) > maxString {
		return fmt.Sprintf("is %d characters long; a TXT string holds at most %d", len(s), maxString)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return fmt.Sprintf("%q has a character that is not printable ASCII at %d", s, i)
		}
	}
	return ""
}

// mark records that name and the names above it exist.
func (z *Zone) mark(name string) {
	for {
		z.exists[name] = true
		i := strings.IndexByte(name, '.')
		if i < 0 {
			return
		}
		name = name[i+1:]
	}
}

// Declared reports whether the zone has a declared record (not only MX
// records and host addresses): without one, email authentication is not
// evaluated (docs/behaviour.md#l90-declared-dns).
func (z *Zone) Declared() bool { return z != nil && z.declared > 0 }

// Resolver returns a resolver that answers from the zone alone.
func (z *Zone) Resolver() Resolver { return Resolver{z} }

// Resolver answers DNS queries from a [Zone], with the methods and errors
// of [net.Resolver]: a name with no record is a *net.DNSError with
// IsNotFound, a Failing record one with IsTemporary; no data is an empty
// answer and a nil error. Answers are in a fixed order: TXT records in
// ascending order, addresses ascending, MX by preference then host. The
// zero Resolver answers NXDOMAIN for every name.
type Resolver struct{ z *Zone }

func (r Resolver) fail(name string, types ...Type) error {
	name = smtp.Key(strings.TrimSuffix(name, "."))
	if r.z == nil {
		return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
	}
	for _, t := range types {
		if r.z.failing[key{name, t}] {
			return &net.DNSError{Err: "server misbehaving", Name: name, IsTemporary: true}
		}
	}
	if !r.z.exists[name] {
		return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
	}
	return nil
}

// LookupTXT returns the TXT records of name, each record's strings joined.
func (r Resolver) LookupTXT(_ context.Context, name string) ([]string, error) {
	if err := r.fail(name, TXT); err != nil {
		return nil, err
	}
	return slices.Clone(r.z.txt[smtp.Key(strings.TrimSuffix(name, "."))]), nil
}

// LookupIPAddr returns the A and AAAA records of host: IPv4 addresses
// first.
func (r Resolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	if err := r.fail(host, A, AAAA); err != nil {
		return nil, err
	}
	name := smtp.Key(strings.TrimSuffix(host, "."))
	var out []net.IPAddr
	for _, t := range []Type{A, AAAA} {
		for _, ip := range r.z.addr[key{name, t}] {
			out = append(out, net.IPAddr{IP: net.IP(ip.AsSlice())})
		}
	}
	return out, nil
}

// LookupMX returns the MX records of name.
func (r Resolver) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if err := r.fail(name); err != nil {
		return nil, err
	}
	var out []*net.MX
	for _, m := range r.z.mx[smtp.Key(strings.TrimSuffix(name, "."))] {
		c := *m
		out = append(out, &c)
	}
	return out, nil
}

// LookupAddr answers every reverse (PTR) query NXDOMAIN: a Spec declares no
// PTR records (docs/behaviour.md#l90-declared-dns).
func (r Resolver) LookupAddr(_ context.Context, addr string) ([]string, error) {
	return nil, &net.DNSError{Err: "no such host", Name: addr, IsNotFound: true}
}
