package analysis

import (
	"fmt"

	"github.com/mailflowsim/mailflow/internal/smtp"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// unsynchronizedSource is the documentation of RuleUnsynchronizedRecipient:
// how each side treats an address it does not know.
const unsynchronizedSource = "Transport routing in Exchange hybrid deployments; " +
	"Use Directory-Based Edge Blocking to reject messages sent to invalid recipients; " +
	"Email non-delivery reports and SMTP errors in Exchange Online; NDRs in Exchange Server"

// checkUnsynchronized reports the recipients of a hybrid pair that exist
// on one side only (docs/behaviour.md#l62-recipients-declared-on-one-side-only):
// when the hybrid configuration does not synchronize the directories, each
// on-premises object synchronization would copy (a user, shared, room or
// equipment mailbox, MailUser, MailContact, distribution or security
// group) the tenant does not know, and each such Exchange Online mailbox
// the on-premises
// organization does not know, in a domain both accept; and, either way,
// each on-premises remote mailbox whose RemoteRoutingAddress names no
// recipient of the tenant.
func checkUnsynchronized(x *topology.Tenant) []Finding {
	o := x.Hybrid()
	if o == nil {
		return nil
	}
	var fs []Finding
	shared := func(address string) (string, bool) {
		_, d, err := smtp.Address(address)
		if err != nil {
			return "", false
		}
		_, inT := x.AcceptedDomain(d)
		_, inO := o.AcceptedDomain(d)
		return d, inT && inO
	}
	if !x.DirectorySynchronization() {
		for r := range o.Recipients() {
			switch r.RecipientTypeDetails {
			case topology.UserMailbox, topology.SharedMailbox, topology.RoomMailbox, topology.EquipmentMailbox,
				topology.MailUser, topology.MailContact, topology.MailUniversalDistributionGroup, topology.MailUniversalSecurityGroup:
			default:
				continue
			}
			if d, ok := shared(r.PrimarySmtpAddress); ok && !known(x.Recipient, r.PrimarySmtpAddress) {
				fs = append(fs, onPremisesOnly(x, o, r, d))
			}
		}
		for r := range x.Recipients() {
			switch r.RecipientTypeDetails {
			case topology.UserMailbox, topology.SharedMailbox, topology.RoomMailbox, topology.EquipmentMailbox:
			default:
				continue
			}
			if d, ok := shared(r.PrimarySmtpAddress); ok && !known(o.Recipient, r.PrimarySmtpAddress) {
				fs = append(fs, tenantOnly(x, o, r, d))
			}
		}
	}
	for r := range o.Recipients() {
		if !r.RecipientTypeDetails.IsRemoteMailbox() {
			continue
		}
		target := stripPrefix(r.RemoteRoutingAddress)
		_, d, err := smtp.Address(target)
		if err != nil || known(x.Recipient, target) {
			continue
		}
		if a, ok := x.AcceptedDomain(d); ok && a.DomainType == topology.Authoritative {
			obj := recipientObject(onPremisesObject(o), r)
			fs = append(fs, Finding{
				Rule:    RuleUnsynchronizedRecipient,
				Objects: []string{obj},
				Message: fmt.Sprintf("%s is a %s whose RemoteRoutingAddress %s names no recipient of %s, where %s is Authoritative: "+
					"mail for it from on-premises reaches Exchange Online and is rejected by Directory-Based Edge Blocking with %s",
					obj, r.RecipientTypeDetails, target, tenantObject(x), d, route.StatusDBEB),
				Source: unsynchronizedSource,
			})
		}
	}
	return fs
}

// known reports whether a directory lookup finds address.
func known(lookup func(string) (topology.Recipient, bool), address string) bool {
	_, ok := lookup(address)
	return ok
}

func recipientObject(org string, r topology.Recipient) string {
	return fmt.Sprintf("%s.Recipients[%q]", org, r.PrimarySmtpAddress)
}

// syncOff says why a recipient is on one side only.
func syncOff(x *topology.Tenant, o *topology.OnPremises) string {
	return fmt.Sprintf("the hybrid configuration between %s and %s does not synchronize the directories (DirectorySynchronization)",
		tenantObject(x), onPremisesObject(o))
}

// onPremisesOnly is the finding for an on-premises recipient the tenant
// does not know: Exchange Online treats its address as unknown in d.
func onPremisesOnly(x *topology.Tenant, o *topology.OnPremises, r topology.Recipient, d string) Finding {
	obj := recipientObject(onPremisesObject(o), r)
	a, _ := x.AcceptedDomain(d)
	var fate string
	if a.DomainType == topology.InternalRelay {
		fate = fmt.Sprintf("%s is InternalRelay there, so Exchange Online relays its mail to on-premises like any unknown recipient's, "+
			"and Directory-Based Edge Blocking does not protect the domain", d)
	} else {
		fate = fmt.Sprintf("%s is Authoritative there, so mail for it that Exchange Online receives from outside (as when the MX points to EOP) "+
			"is rejected by Directory-Based Edge Blocking with %s, and mail from the tenant's mailboxes is rejected with %s",
			d, route.StatusDBEB, route.StatusRecipientNotFoundEXO)
	}
	return Finding{
		Rule:    RuleUnsynchronizedRecipient,
		Objects: []string{obj},
		Message: fmt.Sprintf("%s is a %s on-premises that %s does not know, because %s: %s",
			obj, r.RecipientTypeDetails, tenantObject(x), syncOff(x, o), fate),
		Source: unsynchronizedSource,
	}
}

// tenantOnly is the finding for an Exchange Online mailbox the on-premises
// organization does not know: it has no RemoteUserMailbox routed to the
// mailbox's coexistence address.
func tenantOnly(x *topology.Tenant, o *topology.OnPremises, r topology.Recipient, d string) Finding {
	obj := recipientObject(tenantObject(x), r)
	a, _ := o.AcceptedDomain(d)
	var fate string
	if a.DomainType == topology.Authoritative {
		fate = fmt.Sprintf("%s is Authoritative there, so mail for it from on-premises senders (and from the Internet when the MX points on-premises) "+
			"is rejected with %s", d, route.StatusRecipientNotFound)
	} else {
		fate = fmt.Sprintf("%s is %s there, so its mail goes by the Send connectors for %s like any unknown recipient's, not to an address in %s",
			d, a.DomainType, d, x.CoexistenceDomain())
	}
	return Finding{
		Rule:    RuleUnsynchronizedRecipient,
		Objects: []string{obj},
		Message: fmt.Sprintf("%s is a mailbox in Exchange Online that %s does not know (it has no RemoteUserMailbox for it), because %s: %s",
			obj, onPremisesObject(o), syncOff(x, o), fate),
		Source: unsynchronizedSource,
	}
}
