package topology

import "github.com/mailflowsim/mailflow/internal/enum"

// The UnmarshalText methods read the closed sets of a Spec ignoring case,
// as PowerShell reads parameter values ("authoritative" is
// Authoritative); a value that names none is kept as written, for Build
// to report.

// UnmarshalText reads a server role ignoring case.
func (r *ServerRole) UnmarshalText(b []byte) error {
	*r = enum.Canonical(string(b), Mailbox, ClientAccess, Edge)
	return nil
}

// UnmarshalText reads a certificate status ignoring case.
func (s *CertificateStatus) UnmarshalText(b []byte) error {
	*s = enum.Canonical(string(b), CertificateValid, CertificateDateInvalid, CertificateUntrusted, CertificateRevoked)
	return nil
}

// UnmarshalText reads an external system's kind ignoring case.
func (k *ExternalKind) UnmarshalText(b []byte) error {
	*k = enum.Canonical(string(b), Internet, Partner, Appliance, Device)
	return nil
}

// UnmarshalText reads a domain type ignoring case.
func (d *DomainType) UnmarshalText(b []byte) error {
	*d = enum.Canonical(string(b), Authoritative, InternalRelay, ExternalRelay)
	return nil
}

// UnmarshalText reads a recipient type ignoring case.
func (t *RecipientTypeDetails) UnmarshalText(b []byte) error {
	*t = enum.Canonical(string(b), recipientTypes...)
	return nil
}

// UnmarshalText reads a rule state ignoring case.
func (s *RuleState) UnmarshalText(b []byte) error {
	*s = enum.Canonical(string(b), RuleEnabled, RuleDisabled)
	return nil
}

// UnmarshalText reads a rule mode ignoring case.
func (m *RuleMode) UnmarshalText(b []byte) error {
	*m = enum.Canonical(string(b), ModeEnforce, ModeAudit, ModeAuditAndNotify)
	return nil
}
