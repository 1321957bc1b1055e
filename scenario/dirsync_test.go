package scenario_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// contosoSettings are every combination of the Contoso matrix.
func contosoSettings() []scenario.ContosoSettings {
	var all []scenario.ContosoSettings
	for _, mx := range []scenario.MX{scenario.MXToEOP, scenario.MXToOnPremises} {
		for _, cmt := range []bool{false, true} {
			all = append(all, scenario.ContosoSettings{MX: mx, CentralizedTransport: cmt})
		}
	}
	return all
}

// contosoDeclaredOnce returns the Contoso spec with each hybrid recipient
// declared once, where its mailbox is: the tenant keeps David's and
// Adele's mailboxes (without the coexistence address
// adele@contoso.mail.onmicrosoft.com, which synchronization derives) and
// loses Julie's MailUser; on-premises keeps Julie's mailbox and loses the
// RemoteUserMailbox objects. With sync, the hybrid configuration says
// Microsoft Entra Connect synchronizes the directories.
func contosoDeclaredOnce(s scenario.ContosoSettings, sync bool) topology.Spec {
	spec := scenario.ContosoSpec(s)
	spec.Tenants[0].Recipients = slices.DeleteFunc(spec.Tenants[0].Recipients, func(r topology.Recipient) bool {
		return r.RecipientTypeDetails == topology.MailUser
	})
	for i, r := range spec.Tenants[0].Recipients {
		if r.PrimarySmtpAddress == scenario.Adele {
			spec.Tenants[0].Recipients[i].EmailAddresses = slices.DeleteFunc(slices.Clone(r.EmailAddresses), func(e string) bool {
				return strings.Contains(e, ".mail.onmicrosoft.com")
			})
		}
	}
	spec.OnPremises[0].Recipients = slices.DeleteFunc(spec.OnPremises[0].Recipients, func(r topology.Recipient) bool {
		return r.RecipientTypeDetails == topology.RemoteUserMailbox
	})
	spec.Hybrid[0].DirectorySynchronization = sync
	return spec
}

// traceBytes returns the JSON and text renderings of the flows' traces.
func traceBytes(t *testing.T, topo *topology.Topology, flows []scenario.Flow) [][]byte {
	t.Helper()
	var out [][]byte
	for _, f := range flows {
		res, err := route.Trace(topo, f.Message)
		require.NoError(t, err, f.Name)
		j, err := json.Marshal(res)
		require.NoError(t, err, f.Name)
		var txt bytes.Buffer
		require.NoError(t, render.Text(&txt, res), f.Name)
		out = append(out, j, txt.Bytes())
	}
	return out
}

// Microsoft's "Transport routing in Exchange hybrid deployments" declares
// Julie's mailbox on-premises and David's in Exchange Online; Microsoft
// Entra Connect gives each an object on the other side. Declared once with
// DirectorySynchronization, Contoso routes every flow byte for byte as the
// Contoso that declares both sides.
func TestDirectorySynchronizationContosoSameTraces(t *testing.T) {
	flows := append(scenario.ContosoFlows(),
		scenario.Flow{Name: "Internet to Adele", Message: route.Message{From: scenario.Sender, To: []string{scenario.Adele}}},
		scenario.Flow{Name: "Julie to Adele", Message: route.Message{From: scenario.Julie, To: []string{scenario.Adele}}},
		scenario.Flow{Name: "Internet to Adele's routing address", Message: route.Message{From: scenario.Sender, To: []string{"adele@contoso.mail.onmicrosoft.com"}}},
	)
	for _, s := range contosoSettings() {
		t.Run(fmt.Sprintf("%s-cmt=%v", s.MX, s.CentralizedTransport), func(t *testing.T) {
			twice, err := topology.Build(scenario.ContosoSpec(s))
			require.NoError(t, err)
			once, err := topology.Build(contosoDeclaredOnce(s, true))
			require.NoError(t, err)
			want, got := traceBytes(t, twice, flows), traceBytes(t, once, flows)
			for i := range want {
				require.Equal(t, string(want[i]), string(got[i]), "flow %q", flows[i/2].Name)
			}
		})
	}
}

// The derived objects: Julie in the tenant as a MailUser targeting her
// primary address; David and Adele on-premises as RemoteUserMailbox
// objects routed to alias@contoso.mail.onmicrosoft.com (Enable-RemoteMailbox),
// without their contoso.onmicrosoft.com addresses; Adele's mailbox gets
// its coexistence proxy address. Spec() returns what was given.
func TestDirectorySynchronizationDerivedObjects(t *testing.T) {
	spec := contosoDeclaredOnce(scenario.ContosoSettings{MX: scenario.MXToEOP}, true)
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	x, _ := topo.Tenant("contoso")
	o, _ := topo.OnPremisesOrg("contoso")
	require.True(t, x.DirectorySynchronization())
	require.True(t, o.DirectorySynchronization())

	julie, ok := x.Recipient(scenario.Julie)
	require.True(t, ok)
	require.Equal(t, topology.MailUser, julie.RecipientTypeDetails)
	require.Equal(t, "SMTP:"+scenario.Julie, julie.ExternalEmailAddress)

	adele, ok := x.Recipient("adele@contoso.mail.onmicrosoft.com")
	require.True(t, ok)
	require.Equal(t, topology.UserMailbox, adele.RecipientTypeDetails)

	for _, tc := range []struct{ addr, rra string }{{scenario.David, scenario.DavidRRA}, {scenario.Adele, "adele@contoso.mail.onmicrosoft.com"}} {
		r, ok := o.Recipient(tc.addr)
		require.True(t, ok, tc.addr)
		require.Equal(t, topology.RemoteUserMailbox, r.RecipientTypeDetails)
		require.Equal(t, "SMTP:"+tc.rra, r.RemoteRoutingAddress)
		for _, e := range r.EmailAddresses {
			require.NotContains(t, e, "@contoso.onmicrosoft.com", "the initial domain's address stays in the cloud")
		}
		byRRA, ok := o.Recipient(tc.rra)
		require.True(t, ok)
		require.Equal(t, tc.addr, byRRA.PrimarySmtpAddress)
	}
	require.Len(t, slices.Collect(o.Recipients()), 3)
	require.Len(t, slices.Collect(x.Recipients()), 3)
	require.Equal(t, spec, topo.Spec())
}

// Groups, contacts and mail users declared on-premises appear in the
// tenant with their kind, target and members ("Microsoft Entra Connect
// Sync: Attributes synchronized to Microsoft Entra ID"); the tenant's own
// groups and contacts are not written back, and a proxy address a tenant
// object already holds is left out ("Identity synchronization and
// duplicate attribute resiliency").
func TestDirectorySynchronizationGroupsAndContacts(t *testing.T) {
	spec := contosoDeclaredOnce(scenario.ContosoSettings{MX: scenario.MXToEOP}, true)
	spec.OnPremises[0].Recipients = append(spec.OnPremises[0].Recipients,
		topology.Recipient{Name: "Sales", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "sales@contoso.com",
			EmailAddresses: []string{"smtp:team@contoso.com"}, Members: []string{scenario.Julie, scenario.David}},
		topology.Recipient{Name: "Erin", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "erin.contact@contoso.com", ExternalEmailAddress: "SMTP:" + scenario.Erin},
	)
	spec.Tenants[0].Recipients = append(spec.Tenants[0].Recipients,
		topology.Recipient{Name: "Team", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "cloudteam@contoso.com",
			EmailAddresses: []string{"smtp:team@contoso.com"}, Members: []string{scenario.Adele}})
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	x, _ := topo.Tenant("contoso")
	o, _ := topo.OnPremisesOrg("contoso")

	// Group members are checked after synchronization: without it, David
	// is no recipient of the on-premises organization
	// (docs/behaviour.md#l15-group-members-outside-the-directory).
	unsynced := spec.Clone()
	unsynced.Hybrid[0].DirectorySynchronization = false
	_, err = topology.Build(unsynced)
	var ve *topology.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 1)
	require.Equal(t, `OnPremises["contoso"].Recipients["sales@contoso.com"]`, ve.Problems[0].Path)

	sales, ok := x.Recipient("sales@contoso.com")
	require.True(t, ok)
	require.Equal(t, topology.MailUniversalDistributionGroup, sales.RecipientTypeDetails)
	require.Equal(t, []string{scenario.David, scenario.Julie}, sales.Members)
	require.Empty(t, sales.EmailAddresses, "team@contoso.com belongs to the tenant's own group")
	team, _ := x.Recipient("team@contoso.com")
	require.Equal(t, "cloudteam@contoso.com", team.PrimarySmtpAddress)

	contact, ok := x.Recipient("erin.contact@contoso.com")
	require.True(t, ok)
	require.Equal(t, topology.MailContact, contact.RecipientTypeDetails)
	require.Equal(t, "SMTP:"+scenario.Erin, contact.ExternalEmailAddress)

	_, ok = o.Recipient("cloudteam@contoso.com")
	require.False(t, ok, "a cloud group is not written back on-premises")

	// Mail from David in Exchange Online to the synchronized group is
	// expanded there: David's copy stays in Exchange Online, Julie's goes
	// on-premises.
	res, err := route.Trace(topo, route.Message{From: scenario.David, To: []string{"sales@contoso.com"}})
	require.NoError(t, err)
	got := map[string]route.Disposition{}
	for _, r := range res.Recipients {
		got[r.Address] = r.Disposition
	}
	require.Equal(t, route.Delivered, got[scenario.David])
	require.Equal(t, route.Delivered, got[scenario.Julie])
}

// An object declared on the other side overrides the one synchronization
// would derive: here an on-premises MailUser for David routed to a
// different target, and a tenant MailUser for Julie with a proxy address.
func TestDirectorySynchronizationDeclaredOverrides(t *testing.T) {
	spec := contosoDeclaredOnce(scenario.ContosoSettings{MX: scenario.MXToEOP}, true)
	spec.OnPremises[0].Recipients = append(spec.OnPremises[0].Recipients,
		topology.Recipient{Name: "David", RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: scenario.David,
			RemoteRoutingAddress: "SMTP:dave@contoso.mail.onmicrosoft.com"})
	spec.Tenants[0].Recipients = append(spec.Tenants[0].Recipients,
		topology.Recipient{Name: "Julie", RecipientTypeDetails: topology.MailUser, PrimarySmtpAddress: scenario.Julie,
			EmailAddresses: []string{"smtp:j@contoso.com"}})
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	x, _ := topo.Tenant("contoso")
	o, _ := topo.OnPremisesOrg("contoso")
	david, _ := o.Recipient(scenario.David)
	require.Equal(t, "SMTP:dave@contoso.mail.onmicrosoft.com", david.RemoteRoutingAddress)
	require.Empty(t, david.EmailAddresses)
	julie, _ := x.Recipient(scenario.Julie)
	require.Empty(t, julie.ExternalEmailAddress)
	require.Equal(t, []string{"smtp:j@contoso.com"}, julie.EmailAddresses)
	_, ok := x.Recipient(scenario.DavidRRA)
	require.True(t, ok, "David's mailbox keeps the coexistence address it declares")
	_, ok = x.Recipient("dave@contoso.mail.onmicrosoft.com")
	require.False(t, ok)

	// Julie's mail to David follows the declared routing address: Exchange
	// Online does not know it, so EOP rejects it.
	res, err := route.Trace(topo, route.Message{From: scenario.Julie, To: []string{scenario.David}})
	require.NoError(t, err)
	require.Equal(t, route.Rejected, res.Recipients[0].Disposition)
	require.Equal(t, route.StatusDBEB, res.Recipients[0].Status.String())
}

// A mailbox whose coexistence address another tenant object holds cannot
// get its routing address: Build refuses, naming the mailbox.
func TestDirectorySynchronizationRoutingAddressTaken(t *testing.T) {
	spec := contosoDeclaredOnce(scenario.ContosoSettings{MX: scenario.MXToEOP}, true)
	spec.Tenants[0].Recipients = append(spec.Tenants[0].Recipients,
		topology.Recipient{Name: "Shared", RecipientTypeDetails: topology.MailContact, PrimarySmtpAddress: "adele@contoso.mail.onmicrosoft.com",
			ExternalEmailAddress: "SMTP:" + scenario.Erin})
	_, err := topology.Build(spec)
	var ve *topology.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 1)
	require.Equal(t, `Tenants["contoso"].Recipients["adele@contoso.com"]`, ve.Problems[0].Path)
	require.Equal(t, "EmailAddresses", ve.Problems[0].Field)
}

// Without synchronization, each recipient declared on one side only is
// named with what happens to its mail; with it, nothing is.
func TestDirectorySynchronizationCheck(t *testing.T) {
	for _, s := range contosoSettings() {
		t.Run(fmt.Sprintf("%s-cmt=%v", s.MX, s.CentralizedTransport), func(t *testing.T) {
			for _, sync := range []bool{false, true} {
				topo, err := topology.Build(contosoDeclaredOnce(s, sync))
				require.NoError(t, err)
				fs, err := analysis.Check(topo)
				require.NoError(t, err)
				var got []string
				for _, f := range fs {
					if f.Rule == analysis.RuleUnsynchronizedRecipient {
						got = append(got, fmt.Sprint(f.Objects))
					}
				}
				if sync {
					require.Empty(t, got)
					continue
				}
				require.Equal(t, []string{
					`[OnPremises["contoso"].Recipients["julie@contoso.com"]]`,
					`[Tenants["contoso"].Recipients["adele@contoso.com"]]`,
					`[Tenants["contoso"].Recipients["david@contoso.com"]]`,
				}, got)
			}
			// The twice-declared Contoso has no such finding.
			fs, err := analysis.Check(scenario.Contoso(s))
			require.NoError(t, err)
			for _, f := range fs {
				require.NotEqual(t, analysis.RuleUnsynchronizedRecipient, f.Rule, f.Message)
			}
		})
	}
}

// What the findings say happens is what the traces show: with the MX at
// EOP and no synchronization, Internet mail to Julie meets Directory-Based
// Edge Blocking, David's is not found in Exchange Online, and Julie's to
// David is not found on-premises ("Use Directory-Based Edge Blocking to
// reject messages sent to invalid recipients"; "NDRs in Exchange Server").
func TestDirectorySynchronizationOffOutcomes(t *testing.T) {
	topo, err := topology.Build(contosoDeclaredOnce(scenario.ContosoSettings{MX: scenario.MXToEOP}, false))
	require.NoError(t, err)
	fs, err := analysis.Check(topo)
	require.NoError(t, err)
	messages := map[string]string{}
	for _, f := range fs {
		if f.Rule == analysis.RuleUnsynchronizedRecipient {
			messages[f.Objects[0]] = f.Message
		}
	}
	for _, tc := range []struct {
		from, to, object, status string
	}{
		{scenario.Sender, scenario.Julie, `OnPremises["contoso"].Recipients["julie@contoso.com"]`, route.StatusDBEB},
		{scenario.David, scenario.Julie, `OnPremises["contoso"].Recipients["julie@contoso.com"]`, route.StatusRecipientNotFoundEXO},
		{scenario.Julie, scenario.David, `Tenants["contoso"].Recipients["david@contoso.com"]`, route.StatusRecipientNotFound},
	} {
		res, err := route.Trace(topo, route.Message{From: tc.from, To: []string{tc.to}})
		require.NoError(t, err)
		require.Len(t, res.Recipients, 1)
		require.Equal(t, route.Rejected, res.Recipients[0].Disposition, "%s to %s", tc.from, tc.to)
		require.Equal(t, tc.status, res.Recipients[0].Status.String(), "%s to %s", tc.from, tc.to)
		require.Contains(t, messages[tc.object], tc.status)
	}
}

// A RemoteUserMailbox whose routing address names nothing in the tenant is
// named with or without synchronization: its mail is rejected in Exchange
// Online.
func TestDirectorySynchronizationDanglingRemoteMailbox(t *testing.T) {
	for _, sync := range []bool{false, true} {
		spec := contosoDeclaredOnce(scenario.ContosoSettings{MX: scenario.MXToEOP}, sync)
		spec.OnPremises[0].Recipients = append(spec.OnPremises[0].Recipients, topology.Recipient{Name: "Zoe",
			RecipientTypeDetails: topology.RemoteUserMailbox, PrimarySmtpAddress: "zoe@contoso.com",
			RemoteRoutingAddress: "SMTP:zoe@contoso.mail.onmicrosoft.com"})
		topo, err := topology.Build(spec)
		require.NoError(t, err)
		fs, err := analysis.Check(topo)
		require.NoError(t, err)
		var msg string
		for _, f := range fs {
			if f.Rule == analysis.RuleUnsynchronizedRecipient && f.Objects[0] == `OnPremises["contoso"].Recipients["zoe@contoso.com"]` {
				msg = f.Message
			}
		}
		require.Contains(t, msg, route.StatusDBEB, "sync %v", sync)
		res, err := route.Trace(topo, route.Message{From: scenario.Julie, To: []string{"zoe@contoso.com"}})
		require.NoError(t, err)
		require.Equal(t, route.StatusDBEB, res.Recipients[0].Status.String(), "sync %v", sync)
	}
}

// In an InternalRelay domain Exchange Online relays the mail of a
// recipient it does not know to on-premises ("Manage accepted domains in
// Exchange Online"): the finding says so, and Julie gets David's mail.
func TestDirectorySynchronizationOffInternalRelay(t *testing.T) {
	spec := contosoDeclaredOnce(scenario.ContosoSettings{MX: scenario.MXToEOP}, false)
	spec.Tenants[0].AcceptedDomains[0].DomainType = topology.InternalRelay
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	fs, err := analysis.Check(topo)
	require.NoError(t, err)
	var msg string
	for _, f := range fs {
		if f.Rule == analysis.RuleUnsynchronizedRecipient && f.Objects[0] == `OnPremises["contoso"].Recipients["julie@contoso.com"]` {
			msg = f.Message
		}
	}
	require.Contains(t, msg, "relays its mail to on-premises")
	res, err := route.Trace(topo, route.Message{From: scenario.David, To: []string{scenario.Julie}})
	require.NoError(t, err)
	require.Equal(t, route.Delivered, res.Recipients[0].Disposition)
}

// The derived objects do not depend on the order of the Spec's lists: the
// traces, and each derived RemoteRoutingAddress, are the same however the
// lists are shuffled (a mailbox with two coexistence addresses is routed
// to the least).
func TestDirectorySynchronizationListOrderIgnored(t *testing.T) {
	spec := contosoDeclaredOnce(scenario.ContosoSettings{MX: scenario.MXToEOP}, true)
	for i, r := range spec.Tenants[0].Recipients {
		if r.PrimarySmtpAddress == scenario.David {
			spec.Tenants[0].Recipients[i].EmailAddresses = append(slices.Clone(r.EmailAddresses), "smtp:dave@contoso.mail.onmicrosoft.com")
		}
	}
	spec.OnPremises[0].Recipients = append(spec.OnPremises[0].Recipients,
		topology.Recipient{Name: "Sales", RecipientTypeDetails: topology.MailUniversalDistributionGroup, PrimarySmtpAddress: "sales@contoso.com",
			Members: []string{scenario.Julie, scenario.David, scenario.Adele}})
	flows := append(scenario.ContosoFlows(),
		scenario.Flow{Name: "Julie to Sales", Message: route.Message{From: scenario.Julie, To: []string{"sales@contoso.com"}}},
		scenario.Flow{Name: "David to Sales", Message: route.Message{From: scenario.David, To: []string{"sales@contoso.com"}}})
	snapshot := func(spec topology.Spec) []string {
		topo, err := topology.Build(spec)
		require.NoError(t, err)
		o, _ := topo.OnPremisesOrg("contoso")
		var out []string
		for r := range o.Recipients() {
			out = append(out, r.PrimarySmtpAddress+" "+string(r.RecipientTypeDetails)+" "+r.RemoteRoutingAddress)
		}
		for _, b := range traceBytes(t, topo, flows) {
			out = append(out, string(b))
		}
		return out
	}
	want := snapshot(spec)
	require.Contains(t, want, scenario.David+" RemoteUserMailbox SMTP:"+"dave@contoso.mail.onmicrosoft.com")
	rng := rand.New(rand.NewPCG(12, 5))
	for round := range 50 {
		require.Equal(t, want, snapshot(testopts.Shuffle(spec, rng)), "shuffle %d", round)
	}
}

// Shared, room and equipment mailboxes are synchronized like user
// mailboxes: Exchange Online's appear on-premises as the matching remote
// mailbox (Enable-RemoteMailbox -Shared, -Room, -Equipment), on-premises
// ones in the tenant as MailUsers. A mail-enabled security group is
// synchronized as itself; a dynamic distribution group is not
// (docs/behaviour.md#l60-directory-synchronization).
func TestDirectorySynchronizationRecipientTypes(t *testing.T) {
	spec := contosoDeclaredOnce(scenario.ContosoSettings{MX: scenario.MXToEOP}, true)
	spec.Tenants[0].Recipients = append(spec.Tenants[0].Recipients,
		topology.Recipient{Name: "Help desk", RecipientTypeDetails: topology.SharedMailbox, PrimarySmtpAddress: "helpdesk@contoso.com"},
		topology.Recipient{Name: "Room 1", RecipientTypeDetails: topology.RoomMailbox, PrimarySmtpAddress: "room1@contoso.com"},
		topology.Recipient{Name: "Projector", RecipientTypeDetails: topology.EquipmentMailbox, PrimarySmtpAddress: "projector@contoso.com"})
	spec.OnPremises[0].Recipients = append(spec.OnPremises[0].Recipients,
		topology.Recipient{Name: "Room 2", RecipientTypeDetails: topology.RoomMailbox, PrimarySmtpAddress: "room2@contoso.com", Server: "EX02"},
		topology.Recipient{Name: "Admins", RecipientTypeDetails: topology.MailUniversalSecurityGroup, PrimarySmtpAddress: "admins@contoso.com", Members: []string{scenario.Julie}},
		topology.Recipient{Name: "Everyone", RecipientTypeDetails: topology.DynamicDistributionGroup, PrimarySmtpAddress: "everyone@contoso.com", Members: []string{scenario.Julie}})
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	x, _ := topo.Tenant("contoso")
	o, _ := topo.OnPremisesOrg("contoso")

	for addr, want := range map[string]topology.RecipientTypeDetails{
		"helpdesk@contoso.com":  topology.RemoteSharedMailbox,
		"room1@contoso.com":     topology.RemoteRoomMailbox,
		"projector@contoso.com": topology.RemoteEquipmentMailbox,
	} {
		r, ok := o.Recipient(addr)
		require.True(t, ok, addr)
		require.Equal(t, want, r.RecipientTypeDetails, addr)
		local, _, _ := strings.Cut(addr, "@")
		require.Equal(t, "SMTP:"+local+"@contoso.mail.onmicrosoft.com", r.RemoteRoutingAddress, addr)
	}
	room2, ok := x.Recipient("room2@contoso.com")
	require.True(t, ok)
	require.Equal(t, topology.MailUser, room2.RecipientTypeDetails)
	require.Equal(t, "SMTP:room2@contoso.com", room2.ExternalEmailAddress)
	admins, ok := x.Recipient("admins@contoso.com")
	require.True(t, ok)
	require.Equal(t, topology.MailUniversalSecurityGroup, admins.RecipientTypeDetails)
	require.Equal(t, []string{scenario.Julie}, admins.Members)
	_, ok = x.Recipient("everyone@contoso.com")
	require.False(t, ok, "a dynamic distribution group is not synchronized")

	// Mail from the Internet to the cloud room mailbox reaches it; mail to
	// the on-premises room goes on-premises.
	for addr, want := range map[string]string{"room1@contoso.com": "exo:contoso", "room2@contoso.com": "onprem:contoso/EX02"} {
		res, err := route.Trace(topo, route.Message{From: "someone@fabrikam.com", To: []string{addr}})
		require.NoError(t, err)
		require.Equal(t, route.Delivered, res.Recipients[0].Disposition, addr)
		hops := res.Recipients[0].Hops
		require.Equal(t, want, hops[len(hops)-1].Node.String(), addr)
	}
}

// Without synchronization, a room mailbox on one side only and a
// mail-enabled security group on one side only are named, as user
// mailboxes and distribution groups are; a dynamic distribution group,
// which synchronization never copies, is not
// (docs/behaviour.md#l62-recipients-declared-on-one-side-only).
func TestDirectorySynchronizationCheckRecipientTypes(t *testing.T) {
	spec := scenario.ContosoSpec(scenario.ContosoSettings{MX: scenario.MXToEOP})
	spec.Tenants[0].Recipients = append(spec.Tenants[0].Recipients,
		topology.Recipient{Name: "Room 1", RecipientTypeDetails: topology.RoomMailbox, PrimarySmtpAddress: "room1@contoso.com"})
	spec.OnPremises[0].Recipients = append(spec.OnPremises[0].Recipients,
		topology.Recipient{Name: "Admins", RecipientTypeDetails: topology.MailUniversalSecurityGroup, PrimarySmtpAddress: "admins@contoso.com", Members: []string{scenario.Julie}},
		topology.Recipient{Name: "Everyone", RecipientTypeDetails: topology.DynamicDistributionGroup, PrimarySmtpAddress: "everyone@contoso.com", Members: []string{scenario.Julie}})
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	fs, err := analysis.Check(topo)
	require.NoError(t, err)
	var got []string
	for _, f := range fs {
		if f.Rule == analysis.RuleUnsynchronizedRecipient {
			got = append(got, fmt.Sprint(f.Objects))
		}
	}
	require.Equal(t, []string{
		`[OnPremises["contoso"].Recipients["admins@contoso.com"]]`,
		`[Tenants["contoso"].Recipients["room1@contoso.com"]]`,
	}, got)
}
