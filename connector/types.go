package connector

import (
	"bytes"
	"fmt"
)

// OptBool is a Boolean connector property that may be unset. Exchange
// properties such as Enabled, UseMXRecord, RequireTls and DNSRoutingEnabled
// default to $true, and an export that does not carry a property must not
// be read as $false; OptBool keeps the difference. The zero OptBool is
// [Unset].
type OptBool uint8

// The values of an [OptBool].
const (
	Unset OptBool = iota // not given: the property's documented default applies
	True                 // $true
	False                // $false
)

// Bool returns the value of b, or def when b is [Unset].
func (b OptBool) Bool(def bool) bool {
	switch b {
	case True:
		return true
	case False:
		return false
	}
	return def
}

// OptBoolOf returns [True] or [False].
func OptBoolOf(v bool) OptBool {
	if v {
		return True
	}
	return False
}

// String returns "$true", "$false" or "unset".
func (b OptBool) String() string {
	switch b {
	case True:
		return "$true"
	case False:
		return "$false"
	}
	return "unset"
}

// MarshalJSON encodes b as true, false or null.
func (b OptBool) MarshalJSON() ([]byte, error) {
	switch b {
	case True:
		return []byte("true"), nil
	case False:
		return []byte("false"), nil
	}
	return []byte("null"), nil
}

// UnmarshalJSON decodes true, false or null.
func (b *OptBool) UnmarshalJSON(data []byte) error {
	switch string(bytes.TrimSpace(data)) {
	case "true":
		*b = True
	case "false":
		*b = False
	case "null":
		*b = Unset
	default:
		return fmt.Errorf("connector: %s is not a Boolean (true, false or null)", data)
	}
	return nil
}

// Type is the ConnectorType of an Exchange Online connector.
type Type string

// The connector types of New-InboundConnector and New-OutboundConnector.
const (
	// OnPremises connects the service with the organization's own email
	// servers: it grants relay and hybrid internal status.
	OnPremises Type = "OnPremises"
	// Partner connects the service with a partner organization or service
	// provider.
	Partner Type = "Partner"
)

// TlsSettings is the TlsSettings of an outbound connector. The empty value
// is $null: opportunistic TLS.
type TlsSettings string

// The values of TlsSettings ("New-OutboundConnector").
const (
	TlsOpportunistic         TlsSettings = ""                      // $null: TLS when offered, else clear text
	TlsEncryptionOnly        TlsSettings = "EncryptionOnly"        // TLS required, any certificate
	TlsCertificateValidation TlsSettings = "CertificateValidation" // TLS required, trusted chain and revocation
	TlsDomainValidation      TlsSettings = "DomainValidation"      // as CertificateValidation, and the name matches TlsDomain
)

// Source is the ConnectorSource of a connector: where it came from.
type Source string

// The connector sources Exchange records. They have no routing effect.
const (
	SourceDefault      Source = "Default"
	SourceHybridWizard Source = "HybridWizard"
	SourceMigrated     Source = "Migrated"
	// SourceAdminUI: made in the Exchange admin center, as exports of
	// such connectors show.
	SourceAdminUI Source = "AdminUI"
)
