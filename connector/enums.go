package connector

import "github.com/mailflowsim/mailflow/internal/enum"

// The UnmarshalText methods read the connectors' closed sets ignoring
// case, as PowerShell reads parameter values ("partner" is Partner); a
// value that names none is kept as written, for Validate to report.

// UnmarshalText reads a connector type ignoring case.
func (t *Type) UnmarshalText(b []byte) error {
	*t = enum.Canonical(string(b), OnPremises, Partner)
	return nil
}

// UnmarshalText reads TlsSettings ignoring case.
func (s *TlsSettings) UnmarshalText(b []byte) error {
	*s = enum.Canonical(string(b), TlsEncryptionOnly, TlsCertificateValidation, TlsDomainValidation)
	return nil
}

// UnmarshalText reads a connector source ignoring case.
func (s *Source) UnmarshalText(b []byte) error {
	*s = enum.Canonical(string(b), SourceDefault, SourceHybridWizard, SourceMigrated, SourceAdminUI)
	return nil
}

// UnmarshalText reads a TlsAuthLevel ignoring case.
func (l *TlsAuthLevel) UnmarshalText(b []byte) error {
	*l = enum.Canonical(string(b), TlsAuthEncryptionOnly, TlsAuthCertificateValidation, TlsAuthDomainValidation)
	return nil
}

// UnmarshalText reads a Send connector's Usage ignoring case.
func (u *Usage) UnmarshalText(b []byte) error {
	*u = enum.Canonical(string(b), UsageCustom, UsageInternal, UsageInternet, UsagePartner, UsageClient)
	return nil
}
