// Package auth evaluates email authentication the way Exchange Online
// Protection does when a message enters a tenant from the Internet: SPF
// (RFC 7208) over a declared DNS zone ([github.com/mailflowsim/mailflow/topology/dns]),
// reported as the typed [Results] and as the Authentication-Results header
// Exchange writes (Microsoft: "Anti-spam message headers in Microsoft 365";
// "Email authentication in EOP").
//
// SPF evaluation uses blitiri.com.ar/go/spf, a maintained implementation of
// RFC 7208 (every mechanism and modifier, macros, the 10-lookup and
// 2-void-lookup limits) that takes a pluggable resolver, here the zone's.
// Evaluation is offline, deterministic and bounded by those limits.
//
// References:
//
//   - [RFC 7208]: Sender Policy Framework (SPF).
//   - [RFC 8601]: Message header field for indicating message authentication status.
//
// [RFC 7208]: https://www.rfc-editor.org/rfc/rfc7208
// [RFC 8601]: https://www.rfc-editor.org/rfc/rfc8601
package auth
