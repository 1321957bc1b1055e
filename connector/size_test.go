package connector_test

import (
	"testing"

	"github.com/mailflowsim/mailflow/connector"
)

func TestParseByteQuantifiedSize(t *testing.T) {
	tests := []struct {
		in          string
		want        int64
		wantLimited bool
		wantErr     bool
	}{
		{in: "Unlimited", want: 0},
		{in: "unlimited", want: 0},
		{in: "35 MB (36,700,160 bytes)", want: 36700160, wantLimited: true},
		{in: "10MB", want: 10 << 20, wantLimited: true},
		{in: "512 KB", want: 512 << 10, wantLimited: true},
		{in: "1.5GB", want: 3 << 29, wantLimited: true},
		{in: "36700160", want: 36700160, wantLimited: true},
		{in: "10 XB", wantErr: true},
		{in: "MB", wantErr: true},
		{in: "35 MB (a lot of bytes)", wantErr: true},
	}
	for _, tt := range tests {
		n, limited, err := connector.ParseByteQuantifiedSize(tt.in)
		if (err != nil) != tt.wantErr || err == nil && (n != tt.want || limited != tt.wantLimited) {
			t.Errorf("ParseByteQuantifiedSize(%q) = %d, %v, %v; want %d, %v, error %v", tt.in, n, limited, err, tt.want, tt.wantLimited, tt.wantErr)
		}
	}
}

func TestSendTableSize(t *testing.T) {
	conns := []connector.Send{
		{Name: "Small", AddressSpaces: []string{"*.contoso.com;1"}, MaxMessageSize: "10 MB (10,485,760 bytes)"},
		{Name: "Large", AddressSpaces: []string{"*.contoso.com;5"}, MaxMessageSize: "Unlimited"},
		{Name: "Default", AddressSpaces: []string{"fabrikam.com"}},                     // 35 MB
		{Name: "Internal", AddressSpaces: []string{"tailspin.com"}, Usage: "Internal"}, // unlimited (docs/behaviour.md#d8-default-maxmessagesize-of-send-connectors)
	}
	table := connector.NewSendTable(conns)
	tests := []struct {
		name         string
		domain       string
		size         int64
		want         string
		wantTooLarge bool
	}{
		{"SmallMessageCheapestConnector", "sales.contoso.com", 1 << 20, "Small", false},
		{"LargeMessageSkipsSmallConnector", "sales.contoso.com", 20 << 20, "Large", false},
		{"DefaultIs35MB_Fits", "fabrikam.com", 35 << 20, "Default", false},
		{"DefaultIs35MB_TooLarge", "fabrikam.com", 35<<20 + 1, "", true},
		{"InternalUsageUnlimited", "tailspin.com", 1 << 30, "Internal", false},
		{"NoAddressSpaceIsNotTooLarge", "example.org", 1 << 30, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, ok := table.LookupSize(tt.domain, false, "EX01", tt.size)
			got := ""
			if ok {
				got = conns[sel.Index].Name
			}
			if got != tt.want || sel.TooLarge != tt.wantTooLarge {
				t.Errorf("LookupSize(%q, %d) = %q, TooLarge %v; want %q, %v", tt.domain, tt.size, got, sel.TooLarge, tt.want, tt.wantTooLarge)
			}
		})
	}
}
