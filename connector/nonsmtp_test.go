package connector_test

import (
	"testing"

	"github.com/mailflowsim/mailflow/connector"
)

// TestMatchAddress: a non-SMTP address space covers the addresses of its
// type it describes, the more precise match scoring higher ("Connector
// selection in external message routing";
// docs/behaviour.md#l34-non-smtp-addresses).
func TestMatchAddress(t *testing.T) {
	tests := []struct {
		name     string
		space    string
		typ      string
		addr     string
		wantOK   bool
		wantSpec int
	}{
		{name: "X400Prefix", space: "X400:c=US;a= ;p=Fabrikam;1", typ: "X400", addr: "c=US;a= ;p=Fabrikam;o=Sales;s=Smith", wantOK: true, wantSpec: 3},
		{name: "X400AttributeOrderAndCase", space: "X400:p=fabrikam;c=us;2", typ: "x400", addr: "c=US;a= ;p=Fabrikam;s=Smith", wantOK: true, wantSpec: 2},
		{name: "X400OtherOrganization", space: "X400:c=US;a= ;p=Contoso;1", typ: "X400", addr: "c=US;a= ;p=Fabrikam;s=Smith"},
		{name: "X400MissingAttribute", space: "X400:c=US;p=Fabrikam;o=Sales", typ: "X400", addr: "c=US;p=Fabrikam;s=Smith"},
		{name: "OtherType", space: "X400:c=US;1", typ: "FAX", addr: "c=US"},
		{name: "SMTPNeverMatches", space: "*", typ: "X400", addr: "c=US"},
		{name: "CustomExact", space: "FAX:+14255550100", typ: "FAX", addr: "+14255550100", wantOK: true, wantSpec: 13},
		{name: "CustomWildcard", space: "FAX:+1425*", typ: "fax", addr: "+14255550100", wantOK: true, wantSpec: 5},
		{name: "CustomStar", space: "NOTES:*;5", typ: "NOTES", addr: "John Smith/Sales/Fabrikam", wantOK: true, wantSpec: 0},
		{name: "CustomNoMatch", space: "FAX:+1425*", typ: "FAX", addr: "+14155550100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := connector.ParseAddressSpace(tt.space)
			if err != nil {
				t.Fatal(err)
			}
			spec, ok := a.MatchAddress(tt.typ, tt.addr)
			if ok != tt.wantOK || spec != tt.wantSpec {
				t.Errorf("%s.MatchAddress(%q, %q) = %d, %v, want %d, %v", tt.space, tt.typ, tt.addr, spec, ok, tt.wantSpec, tt.wantOK)
			}
		})
	}
}
