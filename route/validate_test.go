package route_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

func TestValidateConnector(t *testing.T) {
	tests := []struct {
		name       string
		spec       topology.Spec
		connector  string
		recipient  string
		wantPassed bool
		wantStatus string
		reasonHas  string
	}{
		{"PartnerCompliant", partner("Certificate", "Compliant"), "To ContosoBank", scenario.Sam, true, "", `went through "To ContosoBank" and was relayed at partner:contosobank`},
		{"PartnerWrongCertificate", partner("Certificate", "WrongCertificate"), "To ContosoBank", scenario.Sam, false, route.StatusCertificateInvalid, "SubjectMismatch"},
		{"PartnerPlainText", partner("Certificate", "PlainText"), "To ContosoBank", scenario.Sam, false, route.StatusTLSRequired, "does not offer STARTTLS"},
		// Validation forces the connector even for a domain it does not
		// cover; a connector that uses MX then goes to that domain's MX.
		{"ForcedByMXForOtherDomain", partner("Certificate", "Compliant"), "To ContosoBank", "someone@fabrikam.com", false, route.StatusUntrustedRoot, "internet presents no certificate"},
		{"ForcedThroughSmartHost", scenario.ContosoSpec(mxEOP), "Outbound to contoso", scenario.Erin, true, "", "relayed at ext:cpandl"},
		{"HybridToOnPremisesMailbox", scenario.ContosoSpec(mxEOP), "Outbound to contoso", scenario.Julie, true, "", "delivered at onprem:contoso/EX02"},
		{"HybridUnknownRecipient", scenario.ContosoSpec(mxEOP), "Outbound to contoso", "nobody@contoso.com", false, route.StatusRecipientNotFoundEXO, `never used "Outbound to contoso": rejected at exo:contoso`},
		{"ExchangeOnlineMailboxNeverUsesIt", scenario.ContosoSpec(mxEOP), "Outbound to contoso", scenario.David, false, "", `never used "Outbound to contoso"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := route.ValidateConnector(build(t, tt.spec), "contoso", tt.connector, tt.recipient)
			require.NoError(t, err)
			if v.Passed != tt.wantPassed || v.Status.String() != tt.wantStatus || !strings.Contains(v.Reason, tt.reasonHas) {
				t.Errorf("ValidateConnector(%q, %q) = passed %v, %q, %q; want passed %v, %q, reason containing %q\n%s",
					tt.connector, tt.recipient, v.Passed, v.Status, v.Reason, tt.wantPassed, tt.wantStatus, tt.reasonHas, v.Result)
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
