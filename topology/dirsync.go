package topology

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/internal/smtp"
)

// synchronize derives the objects Microsoft Entra Connect creates when it
// synchronizes the directories of a hybrid pair
// (docs/behaviour.md#l60-directory-synchronization):
//
//   - each Exchange Online user, shared, room or equipment mailbox whose
//     PrimarySmtpAddress is in a
//     domain both organizations accept gets the proxy address
//     alias@<tenant>.mail.onmicrosoft.com unless it has one in that domain,
//     and appears on-premises as the matching remote mailbox whose
//     RemoteRoutingAddress is that address (Enable-RemoteMailbox;
//     "Transport routing in Exchange hybrid deployments");
//   - each on-premises user, shared, room or equipment mailbox in such a
//     domain appears in the tenant as a MailUser whose ExternalEmailAddress
//     is its PrimarySmtpAddress, and each on-premises MailUser, MailContact,
//     MailUniversalDistributionGroup and MailUniversalSecurityGroup as the
//     same kind of object ("Microsoft
//     Entra Connect Sync: Attributes synchronized to Microsoft Entra ID").
//
// An object declared on the other side that has the derived object's
// PrimarySmtpAddress among its addresses overrides it; a proxy address
// another declared object holds is left out of the derived object
// ("Identity synchronization and duplicate attribute resiliency";
// docs/behaviour.md#l61-synchronized-objects-and-declared-ones).
func (b *builder) synchronize(obj string, x *Tenant, o *OnPremises) {
	shared := func(address string) bool {
		_, d, err := smtp.Address(address)
		if err != nil {
			return false
		}
		_, inT := x.domains.lookup(d)
		_, inO := o.domains.lookup(d)
		return inT && inO
	}
	var toOnPrem []Recipient
	for i := range x.dir.recipients {
		r := &x.dir.recipients[i]
		remote, ok := remoteType[r.RecipientTypeDetails]
		if !ok || !shared(r.PrimarySmtpAddress) || declared(&o.dir, r.PrimarySmtpAddress) {
			continue // an on-premises object declared for it overrides: the mailbox stays as declared
		}
		rra, ok := b.coexistenceAddress(obj, x, i)
		if !ok {
			continue
		}
		toOnPrem = append(toOnPrem, remoteMailbox(*r, remote, rra, x, &o.dir))
	}
	var toTenant []Recipient
	for _, r := range o.dir.recipients {
		if !shared(r.PrimarySmtpAddress) || declared(&x.dir, r.PrimarySmtpAddress) {
			continue
		}
		if synchronizedTypes[r.RecipientTypeDetails] {
			toTenant = append(toTenant, synchronizedToTenant(r, &x.dir))
		}
	}
	addDerived(&x.dir, toTenant)
	addDerived(&o.dir, toOnPrem)
}

// remoteType maps the type of an Exchange Online mailbox that directory
// synchronization writes back to the type of its on-premises object
// (Enable-RemoteMailbox: -Shared, -Room, -Equipment).
var remoteType = map[RecipientTypeDetails]RecipientTypeDetails{
	UserMailbox:      RemoteUserMailbox,
	SharedMailbox:    RemoteSharedMailbox,
	RoomMailbox:      RemoteRoomMailbox,
	EquipmentMailbox: RemoteEquipmentMailbox,
}

// synchronizedTypes are the on-premises types Microsoft Entra Connect
// synchronizes to the tenant: mailboxes (as MailUsers), mail users,
// contacts and mail-enabled distribution and security groups. Dynamic
// distribution groups, mail-enabled public folders and written-back
// Microsoft 365 Groups are not synchronized
// (docs/behaviour.md#l60-directory-synchronization).
var synchronizedTypes = map[RecipientTypeDetails]bool{
	UserMailbox: true, SharedMailbox: true, RoomMailbox: true, EquipmentMailbox: true,
	MailUser: true, MailContact: true, MailUniversalDistributionGroup: true, MailUniversalSecurityGroup: true,
}

// declared reports whether an object of d has address among its addresses.
func declared(d *directory, address string) bool {
	_, ok := d.byAddress[smtp.Key(address)]
	return ok
}

// coexistenceAddress returns the address in the tenant's coexistence
// domain of the tenant's mailbox x.dir.recipients[i]: its proxy address in
// that domain (the least, if it has several), else
// alias@<tenant>.mail.onmicrosoft.com with the alias the local part of its
// PrimarySmtpAddress, which it adds to the mailbox (the hybrid email
// address policy stamps it on-premises, and Microsoft Entra Connect
// synchronizes it to the tenant). It refuses an address another object
// holds.
func (b *builder) coexistenceAddress(obj string, x *Tenant, i int) (string, bool) {
	r := &x.dir.recipients[i]
	coex := x.CoexistenceDomain()
	if _, d, _ := smtp.Address(r.PrimarySmtpAddress); smtp.Key(d) == coex {
		return r.PrimarySmtpAddress, true
	}
	var found string // the least, so that the order of EmailAddresses does not matter
	for _, e := range r.EmailAddresses {
		if _, a, isSMTP := splitProxy(e); isSMTP {
			if _, d, err := smtp.Address(a); err == nil && smtp.Key(d) == coex && (found == "" || smtp.Key(a) < smtp.Key(found)) {
				found = a
			}
		}
	}
	if found != "" {
		return found, true
	}
	local, _, _ := smtp.Address(r.PrimarySmtpAddress)
	a := local + "@" + coex
	if j, held := x.dir.byAddress[smtp.Key(a)]; held && j != i {
		b.ps.add(fmt.Sprintf("Tenants[%q].Recipients[%q]", x.name, r.PrimarySmtpAddress), "EmailAddresses",
			fmt.Sprintf("%s: directory synchronization gives the mailbox the routing address %s, which is already an address of %s; declare the mailbox's address in %s",
				obj, a, x.dir.recipients[j].PrimarySmtpAddress, coex))
		return "", false
	}
	r.EmailAddresses = append(r.EmailAddresses, "smtp:"+a)
	x.dir.byAddress[smtp.Key(a)] = i
	return a, true
}

// remoteMailbox returns the on-premises remote mailbox (of type typ) of
// the tenant's mailbox r routed to rra: r's attributes, and its SMTP proxy addresses
// except those in the tenant's initial domain <tenant>.onmicrosoft.com,
// which Exchange Online stamps in the cloud and Microsoft Entra Connect
// does not write back, and those another object of dst holds.
func remoteMailbox(r Recipient, typ RecipientTypeDetails, rra string, x *Tenant, dst *directory) Recipient {
	initial := x.name + ".onmicrosoft.com"
	var addrs []string
	for _, e := range r.EmailAddresses {
		if _, a, isSMTP := splitProxy(e); isSMTP {
			if _, d, err := smtp.Address(a); err == nil && smtp.Key(d) == initial {
				continue
			}
		}
		addrs = append(addrs, e)
	}
	return Recipient{
		Name:                               r.Name,
		RecipientTypeDetails:               typ,
		PrimarySmtpAddress:                 r.PrimarySmtpAddress,
		EmailAddresses:                     freeAddresses(addrs, dst),
		RemoteRoutingAddress:               "SMTP:" + rra,
		Department:                         r.Department,
		Company:                            r.Company,
		City:                               r.City,
		Office:                             r.Office,
		Title:                              r.Title,
		RequireSenderAuthenticationEnabled: r.RequireSenderAuthenticationEnabled,
	}
}

// synchronizedToTenant returns the tenant object of the on-premises
// object r: a mailbox becomes a MailUser whose ExternalEmailAddress is its
// PrimarySmtpAddress; a MailUser, MailContact or group keeps its kind,
// target and members. Forwarding stays on-premises, where the mailbox is.
func synchronizedToTenant(r Recipient, dst *directory) Recipient {
	s := Recipient{
		Name:                               r.Name,
		RecipientTypeDetails:               r.RecipientTypeDetails,
		PrimarySmtpAddress:                 r.PrimarySmtpAddress,
		EmailAddresses:                     freeAddresses(r.EmailAddresses, dst),
		ExternalEmailAddress:               r.ExternalEmailAddress,
		Department:                         r.Department,
		Company:                            r.Company,
		City:                               r.City,
		Office:                             r.Office,
		Title:                              r.Title,
		Members:                            slices.Clone(r.Members),
		RequireSenderAuthenticationEnabled: r.RequireSenderAuthenticationEnabled,
	}
	if r.RecipientTypeDetails.IsMailbox() {
		s.RecipientTypeDetails = MailUser
		s.ExternalEmailAddress = "SMTP:" + r.PrimarySmtpAddress
	}
	return s
}

// freeAddresses returns the proxy addresses in list that no object of dst
// holds: a duplicate SMTP proxy address is quarantined, and the object is
// created without it ("Identity synchronization and duplicate attribute
// resiliency").
func freeAddresses(list []string, dst *directory) []string {
	var out []string
	for _, e := range list {
		if _, a, isSMTP := splitProxy(e); isSMTP && declared(dst, a) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// addDerived adds the derived objects rs, none of whose addresses d
// holds, to d, keeping its order and index.
func addDerived(d *directory, rs []Recipient) {
	if len(rs) == 0 {
		return
	}
	d.recipients = append(d.recipients, rs...)
	slices.SortFunc(d.recipients, total(func(x, y Recipient) int {
		return strings.Compare(smtp.Key(x.PrimarySmtpAddress), smtp.Key(y.PrimarySmtpAddress))
	}))
	d.byAddress = map[string]int{}
	for i, r := range d.recipients {
		for _, a := range append([]string{r.PrimarySmtpAddress}, r.EmailAddresses...) {
			if _, a, isSMTP := splitProxy(a); isSMTP {
				if _, held := d.byAddress[smtp.Key(a)]; !held {
					d.byAddress[smtp.Key(a)] = i
				}
			}
		}
	}
}

// DirectorySynchronization reports whether the tenant's hybrid
// configuration synchronizes its directory with the on-premises
// organization's ([HybridConfiguration].DirectorySynchronization).
func (x *Tenant) DirectorySynchronization() bool { return x.dirSync }

// DirectorySynchronization reports whether the organization's hybrid
// configuration synchronizes its directory with the tenant's
// ([HybridConfiguration].DirectorySynchronization).
func (o *OnPremises) DirectorySynchronization() bool { return o.dirSync }
