package route_test

import (
	"slices"
	"testing"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// ends lists each recipient's address, disposition and the node of its
// last hop.
func ends(res *route.Result) []string {
	var out []string
	for _, r := range res.Recipients {
		last := r.Hops[len(r.Hops)-1]
		out = append(out, r.Address+" "+r.Disposition.String()+" at "+last.Node.String())
	}
	return out
}

// contosoWith returns the Contoso hybrid spec with recipients added to the
// tenant and to the on-premises organization.
func contosoWith(s scenario.ContosoSettings, tenant, onPrem []topology.Recipient) topology.Spec {
	spec := scenario.ContosoSpec(s)
	spec.Tenants[0].Recipients = append(spec.Tenants[0].Recipients, tenant...)
	spec.OnPremises[0].Recipients = append(spec.OnPremises[0].Recipients, onPrem...)
	return spec
}

// TestRecipientTypes: each recipient type routes as Exchange routes it
// ("Recipient resolution in Exchange Server": a mailbox is delivered where
// its database is, a remote mailbox goes to its target address, a group
// is expanded into its members).
func TestRecipientTypes(t *testing.T) {
	const (
		shared = "shared@contoso.com"
		room   = "room@contoso.com"
		roomRA = "room@contoso.mail.onmicrosoft.com"
		sec    = "security@contoso.com"
		ddg    = "everyone@contoso.com"
		pf     = "pf@contoso.com"
		disc   = "discovery@contoso.com"
	)
	toEOP := scenario.ContosoSettings{MX: scenario.MXToEOP}
	toOnPrem := scenario.ContosoSettings{MX: scenario.MXToOnPremises}
	tests := []struct {
		name   string
		spec   topology.Spec
		msg    route.Message
		want   []string
		reason string
	}{
		{
			name: "SharedMailboxOnPremises",
			spec: contosoWith(toEOP, []topology.Recipient{{Name: "Shared", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: shared}},
				[]topology.Recipient{{Name: "Shared", RecipientTypeDetails: topology.SharedMailbox, PrimarySmtpAddress: shared, Server: "EX02"}}),
			msg:  route.Message{From: scenario.Sender, To: []string{shared}},
			want: []string{shared + " Delivered at onprem:contoso/EX02"},
		},
		{
			name: "RoomMailboxInExchangeOnlineFromOnPremises",
			spec: contosoWith(toEOP, []topology.Recipient{{Name: "Room", RecipientTypeDetails: topology.RoomMailbox, PrimarySmtpAddress: room, EmailAddresses: []string{"smtp:" + roomRA}}},
				[]topology.Recipient{{Name: "Room", RecipientTypeDetails: topology.RemoteRoomMailbox, PrimarySmtpAddress: room, RemoteRoutingAddress: roomRA}}),
			msg:    route.Message{From: scenario.Julie, To: []string{room}},
			want:   []string{room + " Delivered at exo:contoso"},
			reason: "a RemoteRoomMailbox routes by its RemoteRoutingAddress like a RemoteUserMailbox",
		},
		{
			name: "RemoteRoomMailboxRequiresAuthenticatedSender",
			spec: contosoWith(toOnPrem, []topology.Recipient{{Name: "Room", RecipientTypeDetails: topology.RoomMailbox, PrimarySmtpAddress: room, EmailAddresses: []string{"smtp:" + roomRA}}},
				[]topology.Recipient{{Name: "Room", RecipientTypeDetails: topology.RemoteRoomMailbox, PrimarySmtpAddress: room, RemoteRoutingAddress: roomRA, RequireSenderAuthenticationEnabled: true}}),
			msg:  route.Message{From: scenario.Sender, To: []string{room}},
			want: []string{room + " Rejected at onprem:contoso/EX01"},
		},
		{
			name: "DiscoveryAndPublicFolderInExchangeOnline",
			spec: contosoWith(toEOP, []topology.Recipient{
				{Name: "Discovery", RecipientTypeDetails: topology.DiscoveryMailbox, PrimarySmtpAddress: disc},
				{Name: "PF", RecipientTypeDetails: topology.PublicFolder, PrimarySmtpAddress: pf},
			}, nil),
			msg:  route.Message{From: scenario.Sender, To: []string{disc, pf}},
			want: []string{disc + " Delivered at exo:contoso", pf + " Delivered at exo:contoso"},
		},
		{
			name: "PublicFolderOnPremises",
			spec: contosoWith(toOnPrem, nil, []topology.Recipient{{Name: "PF", RecipientTypeDetails: topology.PublicFolder, PrimarySmtpAddress: pf, Server: "EX02"}}),
			msg:  route.Message{From: scenario.Sender, To: []string{pf}},
			want: []string{pf + " Delivered at onprem:contoso/EX02"},
		},
		{
			name: "SecurityGroupExpandsInExchangeOnline",
			spec: contosoWith(toEOP, []topology.Recipient{{Name: "Security", RecipientTypeDetails: topology.MailUniversalSecurityGroup, PrimarySmtpAddress: sec, Members: []string{scenario.Julie, scenario.David}}}, nil),
			msg:  route.Message{From: scenario.Sender, To: []string{sec}},
			want: []string{sec + " Expanded at exo:contoso", scenario.David + " Delivered at exo:contoso", scenario.Julie + " Delivered at onprem:contoso/EX02"},
		},
		{
			name: "DynamicGroupExpandsOnPremises",
			spec: contosoWith(toOnPrem, nil, []topology.Recipient{{Name: "Everyone", RecipientTypeDetails: topology.DynamicDistributionGroup, PrimarySmtpAddress: ddg, Members: []string{scenario.Julie, scenario.David}}}),
			msg:  route.Message{From: scenario.Sender, To: []string{ddg}},
			want: []string{ddg + " Expanded at onprem:contoso/EX01", scenario.David + " Delivered at exo:contoso", scenario.Julie + " Delivered at onprem:contoso/EX02"},
		},
		{
			name:   "DynamicGroupNotInTenantRejectedAtEOP",
			spec:   contosoWith(toEOP, nil, []topology.Recipient{{Name: "Everyone", RecipientTypeDetails: topology.DynamicDistributionGroup, PrimarySmtpAddress: ddg, Members: []string{scenario.Julie}}}),
			msg:    route.Message{From: scenario.Sender, To: []string{ddg}},
			want:   []string{ddg + " Rejected at eop:contoso"},
			reason: "dynamic distribution groups are not synchronized, so Directory-Based Edge Blocking rejects them (Use Directory-Based Edge Blocking to reject messages sent to invalid recipients)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if got := ends(res); !slices.Equal(got, tt.want) {
				t.Errorf("Trace(%v) ends = %q, want %q (%s)\n%s", tt.msg.To, got, tt.want, tt.reason, textAndJSON(t, res))
			}
		})
	}
}
