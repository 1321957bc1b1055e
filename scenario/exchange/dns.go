package exchange

import (
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/internal/smtp"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

// Resolve-DnsName: a DNS record's bookkeeping ("Resolve-DnsName": the
// record's section of the answer, its length, time to live and class).
var dnsRecordSkip = nameSet("Name Type QueryType Section CharacterSet DataLength TTL")

// mxRecord is an MX record read from a Resolve-DnsName export.
type mxRecord struct{ topology.MXRecord }

// convertDNSRecord reads a Resolve-DnsName object: an MX record (Type MX,
// or 15 as ConvertTo-Json writes it) gives its Name, NameExchange and
// Preference; any other record (the SOA of the Authority section when the
// domain has no MX, the A records of the Additional section) carries no
// mail routing and is dropped without a note.
func convertDNSRecord(c *converter) any {
	t, _ := c.take("Type")
	if s, _ := t.str(); !strings.EqualFold(s, "MX") {
		if n, ok := t.integer(); !ok || n != 15 {
			return nil
		}
	}
	var mx topology.MXRecord
	if v, ok := c.take("Name"); ok {
		mx.Domain, _ = v.str()
	}
	if v, ok := c.take("NameExchange"); ok {
		mx.NameExchange, _ = v.str()
	}
	c.rest(reflect.ValueOf(&mx).Elem())
	mx.Domain = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(mx.Domain)), ".")
	mx.NameExchange = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(mx.NameExchange)), ".")
	if mx.Domain == "" || mx.NameExchange == "" {
		c.note("", "not imported: an MX record needs a Name and a NameExchange", value{})
		return nil
	}
	return mxRecord{mx}
}

// placeMX keeps an imported MX record, once per domain and host.
func (a *assembly) placeMX(r mxRecord) {
	if !slices.ContainsFunc(a.mx, func(x topology.MXRecord) bool {
		return x.Domain == r.Domain && x.NameExchange == r.NameExchange
	}) {
		a.mx = append(a.mx, r.MXRecord)
	}
}

// ownedHosts returns the host names the imported topology answers to:
// the tenant's EOP host of each of its accepted domains and of its
// initial and coexistence domains, the on-premises servers' Fqdn and
// Hosts, and the external systems' Hosts, lower case.
func ownedHosts(spec *topology.Spec) map[string]bool {
	owned := map[string]bool{}
	for _, tenant := range spec.Tenants {
		for _, d := range tenant.AcceptedDomains {
			owned[strings.ToLower(topology.EOPHost(d.DomainName))] = true
		}
		for _, d := range []string{tenant.Name + ".onmicrosoft.com", tenant.Name + ".mail.onmicrosoft.com"} {
			owned[strings.ToLower(topology.EOPHost(d))] = true
		}
	}
	for _, o := range spec.OnPremises {
		for _, s := range o.Servers {
			owned[strings.ToLower(s.Fqdn)] = true
			for _, h := range s.Hosts {
				owned[strings.ToLower(h)] = true
			}
		}
	}
	for _, e := range spec.External {
		for _, h := range e.Hosts {
			owned[strings.ToLower(h)] = true
		}
	}
	return owned
}

// externalMXHosts returns an external system for each host the MX records
// point to that no exported organization answers to, in the order of the
// records, each with the domains whose MX it is, and a note per host.
func (a *assembly) externalMXHosts(file *scenario.File) []topology.ExternalSpec {
	owned := ownedHosts(&file.Spec)
	var out []topology.ExternalSpec
	index := map[string]int{}
	for _, r := range a.mx {
		if owned[r.NameExchange] {
			continue
		}
		i, ok := index[r.NameExchange]
		if !ok {
			i = len(out)
			index[r.NameExchange] = i
			out = append(out, topology.ExternalSpec{Name: topologyName(r.NameExchange), Hosts: []string{r.NameExchange}})
		}
		if !slices.Contains(out[i].Domains, r.Domain) {
			out[i].Domains = append(out[i].Domains, r.Domain)
		}
	}
	for _, e := range out {
		a.late = append(a.late, scenario.Problem{Path: "External[" + strconv.Quote(e.Name) + "]",
			Message: fmt.Sprintf("the MX host %s of %s is in no exported organization: imported as an Internet mail system; "+
				"if it is a server of an exported organization, add the name to that server's Hosts in the topology file",
				e.Hosts[0], strings.Join(e.Domains, ", "))})
	}
	return out
}

// externalSmartHosts returns an external system for each smart host of a
// Send or outbound connector that no exported organization, and no
// external system before, answers to: the connector hands its mail to a
// system outside the exports (a partner, a filtering service, another
// tenant's EOP), which the topology then holds as an Internet mail system
// that accepts what it is sent. In the order of the connectors, with a
// note per host naming the first connector.
func (a *assembly) externalSmartHosts(file *scenario.File) []topology.ExternalSpec {
	owned := ownedHosts(&file.Spec)
	var out []topology.ExternalSpec
	add := func(path string, hosts []string) {
		for _, h := range hosts {
			key := strings.ToLower(h)
			if _, err := netip.ParseAddr(h); err == nil || key == "--" || owned[key] {
				continue // an address routes without a name; "--" is the Edge's
			}
			if _, err := smtp.Domain(h); err != nil {
				continue // not a host name: Build reports it
			}
			owned[key] = true
			e := topology.ExternalSpec{Name: topologyName(key), Hosts: []string{key}}
			out = append(out, e)
			a.late = append(a.late, scenario.Problem{Path: "External[" + strconv.Quote(e.Name) + "]",
				Message: fmt.Sprintf("the smart host %s of %s is in no exported organization: imported as an Internet mail system that accepts "+
					"what it is sent; if it is a server of an exported organization, add the name to that server's Hosts in the topology file", key, path)})
		}
	}
	for _, o := range file.Spec.OnPremises {
		for _, c := range o.SendConnectors {
			add(fmt.Sprintf("OnPremises[%q].SendConnectors[%q]", o.Name, c.Name), c.SmartHosts)
		}
	}
	for _, x := range file.Spec.Tenants {
		for _, c := range x.OutboundConnectors {
			add(fmt.Sprintf("Tenants[%q].OutboundConnectors[%q]", x.Name, c.Name), c.SmartHosts)
		}
	}
	return out
}
