package route

import (
	"github.com/mailflowsim/mailflow/topology"
)

// TLS is what one SMTP connection of a trace did about transport
// security: whether it used STARTTLS, the certificates each side
// presented, who required TLS or a certificate, and what was missing
// when a requirement failed.
type TLS struct {
	// STARTTLS: the connection used TLS (both hosts offer it).
	STARTTLS bool `json:"startTLS"`
	// Server is the certificate the receiving host presented; nil without
	// TLS, or when it presents none.
	Server *Certificate `json:"serverCertificate,omitempty"`
	// Client is the certificate the sending host presented; nil without
	// TLS, or when it presents none.
	Client *Certificate `json:"clientCertificate,omitempty"`
	// Required are the settings that required TLS or a certificate on the
	// connection: the sending side's first (an outbound connector's
	// TlsSettings, a Send connector's RequireTLS, a mail flow rule's
	// RouteMessageOutboundRequireTls), then the receiving side's (an
	// inbound connector's RequireTls or TlsSenderCertificateName, a Receive
	// connector's RequireTLS).
	Required []TLSRequirement `json:"required,omitempty"`
	// Failure is what the connection lacked that a requirement needed;
	// zero when every requirement was met.
	Failure TLSFailure `json:"failure,omitempty"`
}

// Certificate is a certificate a host presented.
type Certificate struct {
	// Names are its subject and subject alternative names, the subject
	// first (CertificateDomains).
	Names []string `json:"names"`
	// Status says whether it can be trusted.
	Status CertificateStatus `json:"status"`
}

// CertificateStatus is whether a presented certificate can be trusted.
type CertificateStatus uint8

// The certificate statuses.
const (
	// CertificateValid: issued by a trusted authority, in its validity
	// period, not revoked.
	CertificateValid CertificateStatus = iota + 1
	// CertificateSelfSigned: signed by itself (IsSelfSigned).
	CertificateSelfSigned
	// CertificateUntrusted: its chain ends at no trusted root.
	CertificateUntrusted
	// CertificateExpired: outside its validity period (Status
	// DateInvalid).
	CertificateExpired
	// CertificateRevoked: revoked by its authority.
	CertificateRevoked
)

var certificateStatusNames = [...]string{"", "Valid", "SelfSigned", "Untrusted", "Expired", "Revoked"}

// String returns the status's name: "SelfSigned".
func (s CertificateStatus) String() string {
	return enumString(certificateStatusNames[:], uint8(s), "CertificateStatus")
}

// MarshalText returns the status's name.
func (s CertificateStatus) MarshalText() ([]byte, error) {
	return enumMarshal(certificateStatusNames[:], uint8(s), "CertificateStatus")
}

// UnmarshalText reads a status's name.
func (s *CertificateStatus) UnmarshalText(b []byte) error {
	return enumUnmarshal(certificateStatusNames[:], (*uint8)(s), b, "certificate status")
}

// Trusted reports whether a certificate of this status passes
// certificate validation.
func (s CertificateStatus) Trusted() bool { return s == CertificateValid }

// TLSSide is the side of a connection that requires something.
type TLSSide uint8

// The sides of a connection.
const (
	SenderSide TLSSide = iota + 1
	ReceiverSide
)

var tlsSideNames = [...]string{"", "Sender", "Receiver"}

// String returns "Sender" or "Receiver".
func (s TLSSide) String() string { return enumString(tlsSideNames[:], uint8(s), "TLSSide") }

// MarshalText returns "Sender" or "Receiver".
func (s TLSSide) MarshalText() ([]byte, error) {
	return enumMarshal(tlsSideNames[:], uint8(s), "TLSSide")
}

// UnmarshalText reads "Sender" or "Receiver".
func (s *TLSSide) UnmarshalText(b []byte) error {
	return enumUnmarshal(tlsSideNames[:], (*uint8)(s), b, "TLS side")
}

// TLSRequirement is a setting that required TLS, or a certificate, on a
// connection.
type TLSRequirement struct {
	Side TLSSide `json:"side"`
	// Connector is the connector whose setting it is: an outbound or Send
	// connector on the sending side, an inbound or Receive connector on the
	// receiving side; "" for a mail flow rule.
	Connector string `json:"connector,omitempty"`
	// Rule is the mail flow rule whose RouteMessageOutboundRequireTls
	// action it is.
	Rule string `json:"rule,omitempty"`
	// Parameter is the setting, by its PowerShell name: TlsSettings,
	// RequireTLS (Send and Receive connectors), RequireTls (inbound
	// connectors), TlsSenderCertificateName, RouteMessageOutboundRequireTls.
	Parameter string `json:"parameter"`
	// Value is its value ("DomainValidation", "*.contosobank.com"); "" for
	// a switch that is $true. A Send connector's TlsAuthLevel is the Value
	// of its RequireTLS.
	Value string `json:"value,omitempty"`
	// Domain is the name the other side's certificate must carry, when the
	// setting validates one (DomainValidation's TlsDomain or recipient
	// domain, TlsSenderCertificateName).
	Domain string `json:"domain,omitempty"`
}

// TLSFailure is what a connection lacked that a requirement needed.
type TLSFailure uint8

// The TLS failures.
const (
	// NoSTARTTLS: the connection did not use TLS (a side does not offer
	// it).
	NoSTARTTLS TLSFailure = iota + 1
	// NoCertificate: the host presented no certificate.
	NoCertificate
	// UntrustedRoot: the certificate is self-signed or chains to no
	// trusted root.
	UntrustedRoot
	// ExpiredCertificate: the certificate is outside its validity period.
	ExpiredCertificate
	// RevokedCertificate: the certificate is revoked.
	RevokedCertificate
	// SubjectMismatch: the certificate does not carry the required name.
	SubjectMismatch
)

var tlsFailureNames = [...]string{"", "NoSTARTTLS", "NoCertificate", "UntrustedRoot", "ExpiredCertificate", "RevokedCertificate", "SubjectMismatch"}

// String returns the failure's name: "UntrustedRoot".
func (f TLSFailure) String() string { return enumString(tlsFailureNames[:], uint8(f), "TLSFailure") }

// MarshalText returns the failure's name.
func (f TLSFailure) MarshalText() ([]byte, error) {
	return enumMarshal(tlsFailureNames[:], uint8(f), "TLSFailure")
}

// UnmarshalText reads a failure's name.
func (f *TLSFailure) UnmarshalText(b []byte) error {
	return enumUnmarshal(tlsFailureNames[:], (*uint8)(f), b, "TLS failure")
}

// certificate returns the trace's copy of a topology certificate: one per
// certificate and trace, so that results share nothing with the topology.
func (e *engine) certificate(c topology.NodeCertificate) *Certificate {
	if c.Len() == 0 {
		return nil
	}
	for i := range e.certs {
		if e.certs[i].from == c {
			return e.certs[i].to
		}
	}
	st := CertificateValid
	switch {
	case c.IsSelfSigned():
		st = CertificateSelfSigned
	case c.Status() == topology.CertificateUntrusted:
		st = CertificateUntrusted
	case c.Status() == topology.CertificateDateInvalid:
		st = CertificateExpired
	case c.Status() == topology.CertificateRevoked:
		st = CertificateRevoked
	}
	b := e.block()
	if b.nCerts == len(b.certs) || len(b.names)-b.nNames < c.Len() {
		b = e.newBlock()
	}
	out := &b.certs[b.nCerts]
	b.nCerts++
	out.Status = st
	if n := c.Len(); n <= len(b.names)-b.nNames {
		out.Names = c.AppendNames(b.names[b.nNames : b.nNames : b.nNames+n])
		b.nNames += n
	} else {
		out.Names = c.AppendNames(nil)
	}
	e.certs = append(e.certs, certCopy{from: c, to: out})
	return out
}

type certCopy struct {
	from topology.NodeCertificate
	to   *Certificate
}

// sendRequirements returns the sending side's requirements: a connector's
// setting and a mail flow rule's RouteMessageOutboundRequireTls, either
// possibly absent (an empty Parameter).
func (e *engine) sendRequirements(conn, rule TLSRequirement) []TLSRequirement {
	n := 0
	if conn.Parameter != "" {
		n++
	}
	if rule.Parameter != "" {
		n++
	}
	if n == 0 {
		return nil
	}
	// Room for the receiving side's requirements too: see require.
	out := make([]TLSRequirement, 0, n+2)
	for _, r := range [2]TLSRequirement{conn, rule} {
		if r.Parameter != "" {
			r.Side = SenderSide
			out = append(out, r)
		}
	}
	return out
}

// connection returns the TLS record of a connection from the sender an
// arrival describes to node n.
func (e *engine) connection(arr *arrival, n *topology.Node) *TLS {
	t := e.newTLS()
	t.STARTTLS = arr.tls
	if arr.tls {
		t.Server = e.certificate(n.Certificate)
		switch {
		case arr.describedCertificate():
			t.Client = e.certificate(arr.clientCert)
		case arr.cert != "":
			t.Client = &Certificate{Names: []string{arr.cert}, Status: CertificateValid}
		}
	}
	t.Required = arr.required
	return t
}

// require adds a requirement of the receiving side to the hop's
// connection, and the failure it meets, if any.
func (e *engine) require(h *Hop, r TLSRequirement, failure TLSFailure) {
	if h.TLS == nil {
		return
	}
	r.Side = ReceiverSide
	if h.TLS.Required == nil {
		h.TLS.Required = make([]TLSRequirement, 0, 2)
	}
	// The sender's requirements are this connection's alone (connect made
	// them for this outcome): appending does not change another record.
	h.TLS.Required = append(h.TLS.Required, r)
	if h.TLS.Failure == 0 {
		h.TLS.Failure = failure
	}
}
