// Package dns is the declared DNS of a topology: the records a
// [github.com/mailflowsim/mailflow/topology.Spec] declares beyond MX (TXT
// records for SPF, DMARC and DKIM keys; A and AAAA records for the hosts
// SPF mechanisms name), gathered with the MX records and the node
// addresses into a [Zone], and a [Resolver] that answers queries from it
// alone. Nothing here touches the network.
//
// A name with no record answers NXDOMAIN; a name that has records of other
// types only (or only records below it) answers no data; a record marked
// Failing makes its name and type answer a server failure, which SPF reads
// as a temporary error (RFC 7208, section 2.6.6). The rules are the
// project's decision docs/behaviour.md#l90-declared-dns.
//
// [Zone] is immutable and safe for concurrent use by multiple goroutines.
//
// References:
//
//   - [RFC 1035]: Domain names, implementation and specification.
//   - [RFC 7208]: Sender Policy Framework (SPF), section 4.6.4 on lookups.
//
// [RFC 1035]: https://www.rfc-editor.org/rfc/rfc1035
// [RFC 7208]: https://www.rfc-editor.org/rfc/rfc7208
package dns
