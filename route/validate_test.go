package route_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

func TestValidateConnector(t *testing.T) {
	type want struct {
		Passed, Used bool
		Disposition  route.Disposition
		At           string
		Status       string
		TLSFailure   route.TLSFailure
	}
	tests := []struct {
		name      string
		spec      topology.Spec
		connector string
		recipient string
		want      want
	}{
		{"PartnerCompliant", partner("Certificate", "Compliant"), "To ContosoBank", scenario.Sam, want{true, true, route.Relayed, "partner:contosobank", "", 0}},
		{"PartnerWrongCertificate", partner("Certificate", "WrongCertificate"), "To ContosoBank", scenario.Sam,
			want{false, true, route.Deferred, "eop:contoso", route.StatusCertificateInvalid, route.SubjectMismatch}},
		{"PartnerPlainText", partner("Certificate", "PlainText"), "To ContosoBank", scenario.Sam,
			want{false, true, route.Deferred, "eop:contoso", route.StatusTLSRequired, route.NoSTARTTLS}},
		// Validation forces the connector even for a domain it does not
		// cover; a connector that uses MX then goes to that domain's MX.
		{"ForcedByMXForOtherDomain", partner("Certificate", "Compliant"), "To ContosoBank", "someone@fabrikam.com",
			want{false, true, route.Deferred, "eop:contoso", route.StatusUntrustedRoot, route.NoCertificate}},
		{"ForcedThroughSmartHost", scenario.ContosoSpec(mxEOP), "Outbound to contoso", scenario.Erin, want{true, true, route.Relayed, "ext:cpandl", "", 0}},
		{"HybridToOnPremisesMailbox", scenario.ContosoSpec(mxEOP), "Outbound to contoso", scenario.Julie, want{true, true, route.Delivered, "onprem:contoso/EX02", "", 0}},
		{"HybridUnknownRecipient", scenario.ContosoSpec(mxEOP), "Outbound to contoso", "nobody@contoso.com",
			want{false, false, route.Rejected, "exo:contoso", route.StatusRecipientNotFoundEXO, 0}},
		{"ExchangeOnlineMailboxNeverUsesIt", scenario.ContosoSpec(mxEOP), "Outbound to contoso", scenario.David, want{false, false, route.Delivered, "exo:contoso", "", 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := route.ValidateConnector(build(t, tt.spec), "contoso", tt.connector, tt.recipient)
			require.NoError(t, err)
			got := want{v.Passed, v.Used, v.Disposition, v.At.String(), v.Status.String(), v.TLSFailure}
			if got != tt.want {
				t.Errorf("ValidateConnector(%q, %q) = %+v, want %+v (%s)\n%s", tt.connector, tt.recipient, got, tt.want, v.Reason, traceText(v.Result))
			}
		})
	}
	topo := scenario.Contoso(mxEOP)
	if _, err := route.ValidateConnector(topo, "contoso", "No such connector", scenario.Julie); !errors.Is(err, route.ErrNoConnector) {
		t.Errorf("ValidateConnector(unknown connector) error = %v, want ErrNoConnector", err)
	}
	if _, err := route.ValidateConnector(topo, "fabrikam", "Outbound to contoso", scenario.Julie); !errors.Is(err, route.ErrInvalidMessage) {
		t.Errorf("ValidateConnector(unknown tenant) error = %v, want ErrInvalidMessage", err)
	}
}

// Validating the partner connector while ContosoBank's server presents a
// certificate for another name.
func ExampleValidateConnector() {
	topo, err := topology.Build(scenario.PartnerSpec(scenario.PartnerSettings{RestrictDomainsTo: "Certificate", ContosoBank: "WrongCertificate"}))
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := route.ValidateConnector(topo, "contoso", "To ContosoBank", "sam@contosobank.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("passed:", v.Passed)
	fmt.Println(v.Status)
	// Output:
	// passed: false
	// 450 4.7.320 Certificate validation failed
}
