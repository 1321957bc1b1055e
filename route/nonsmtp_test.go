package route_test

import (
	"slices"
	"testing"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// TestNonSMTPAddresses: a contact whose target address is an X.400 or
// custom-type address routes through the Send connector whose address
// space of that type matches it most precisely, to its smart host by SMTP;
// with no match the sender gets an NDR at once, where an SMTP address
// would wait in the Unreachable queue ("Connector selection in external
// message routing"; docs/behaviour.md#l34-non-smtp-addresses).
func TestNonSMTPAddresses(t *testing.T) {
	const smith = "smith@contoso.com"
	x400 := func(spaces ...[]string) topology.Spec {
		spec := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
		o := &spec.OnPremises[0]
		o.Recipients = append(o.Recipients,
			topology.Recipient{Name: "Smith", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: smith,
				ExternalEmailAddress: "X400:c=US;a= ;p=Fabrikam;o=Sales;s=Smith"},
			topology.Recipient{Name: "Fax", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "fax@contoso.com",
				ExternalEmailAddress: "FAX:+14255550100"})
		for i, sp := range spaces {
			name := []string{"Gateway A", "Gateway B"}[i]
			host := []string{"gwa.contoso.com", "gwb.contoso.com"}[i]
			o.SendConnectors = append(o.SendConnectors, connector.Send{Name: name, AddressSpaces: sp, DNSRoutingEnabled: connector.False,
				SmartHosts: []string{host}, SourceTransportServers: []string{"EX02"}})
			spec.External = append(spec.External, topology.ExternalSpec{Name: []string{"gwa", "gwb"}[i], Kind: topology.Internet, Hosts: []string{host}})
		}
		return spec
	}
	tests := []struct {
		name   string
		spec   topology.Spec
		to     string
		want   []string
		reason string
	}{
		{
			name: "X400ThroughMatchingConnector",
			spec: x400([]string{"X400:c=US;a= ;p=Fabrikam;1"}),
			to:   smith,
			want: []string{smith + " Relayed at ext:gwa"},
		},
		{
			name:   "MorePreciseX400SpaceWins",
			spec:   x400([]string{"X400:c=US;a= ;p=Fabrikam;1"}, []string{"X400:c=US;a= ;p=Fabrikam;o=Sales;10"}),
			to:     smith,
			want:   []string{smith + " Relayed at ext:gwb"},
			reason: "the more precise address match is selected before cost",
		},
		{
			name: "CustomTypeWildcard",
			spec: x400([]string{"FAX:+1425*"}),
			to:   "fax@contoso.com",
			want: []string{"fax@contoso.com Relayed at ext:gwa"},
		},
		{
			name:   "X400NoMatchingSpaceNDR",
			spec:   x400([]string{"X400:c=US;a= ;p=Contoso;1"}),
			to:     smith,
			want:   []string{smith + " Rejected at onprem:contoso/EX02"},
			reason: "no matching connector for a non-SMTP address space: NDR",
		},
		{
			name:   "SMTPStarDoesNotCoverX400",
			spec:   x400(),
			to:     smith,
			want:   []string{smith + " Rejected at onprem:contoso/EX02"},
			reason: `"To Internet" (SMTP:*) does not match an X.400 address`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), route.Message{From: scenario.Julie, To: []string{tt.to}})
			if err != nil {
				t.Fatal(err)
			}
			if got := ends(res); !slices.Equal(got, tt.want) {
				t.Errorf("Trace(%s) ends = %q, want %q (%s)\n%s", tt.to, got, tt.want, tt.reason, textAndJSON(t, res))
			}
			if r := res.Recipients[0]; r.Disposition == route.Rejected && !r.Status.IsZero() {
				t.Errorf("status %q, want none: Microsoft documents no code for this NDR", r.Status)
			}
		})
	}
}
