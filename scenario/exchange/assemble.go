package exchange

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/topology"

	"github.com/mailflowsim/mailflow/scenario"
)

// orgFromDN returns the organization in a DistinguishedName:
// "…,CN=First Organization,CN=Microsoft Exchange,CN=Services,…".
func orgFromDN(dn string) string {
	parts := strings.Split(dn, ",")
	for i := 1; i+1 < len(parts); i++ {
		if strings.EqualFold(strings.TrimSpace(parts[i]), "CN=Microsoft Exchange") &&
			strings.EqualFold(strings.TrimSpace(parts[i+1]), "CN=Services") {
			p := strings.TrimSpace(parts[i-1])
			if len(p) > 3 && strings.EqualFold(p[:3], "CN=") {
				return p[3:]
			}
		}
	}
	return ""
}

// adDomain returns the DNS domain of a DistinguishedName's DC parts.
func adDomain(dn string) string {
	var dcs []string
	for _, p := range strings.Split(dn, ",") {
		p = strings.TrimSpace(p)
		if len(p) > 3 && strings.EqualFold(p[:3], "DC=") {
			dcs = append(dcs, p[3:])
		}
	}
	return strings.Join(dcs, ".")
}

// distinguishedNames returns the DistinguishedNames of a record and of the objects its
// properties name, its own first.
func distinguishedNames(r *record) []string {
	var out []string
	if dn := r.text("DistinguishedName"); dn != "" {
		out = append(out, dn)
	}
	var walk func(v value, depth int)
	walk = func(v value, depth int) {
		if depth > 2 {
			return
		}
		for _, f := range v.fields {
			if strings.EqualFold(f.name, "DistinguishedName") {
				if s, _ := f.v.str(); s != "" {
					out = append(out, s)
				}
			}
		}
		for _, e := range v.list {
			walk(e, depth+1)
		}
	}
	for _, p := range r.props {
		walk(p.v, 0)
	}
	return out
}

// serverDN finds the DistinguishedName of the server named name among
// the objects r names.
func serverDN(r *record, name string) string {
	for _, dn := range distinguishedNames(r) {
		if strings.HasPrefix(strings.ToLower(dn), "cn="+strings.ToLower(name)+",cn=servers,") {
			return dn
		}
	}
	return ""
}

// tenantFrom returns the tenant name in a string holding
// "<name>.onmicrosoft.com" or "<name>.mail.onmicrosoft.com".
func tenantFrom(s string) string {
	s = strings.ToLower(s)
	i := strings.Index(s, ".onmicrosoft.com")
	if i < 0 {
		return ""
	}
	head := strings.TrimSuffix(s[:i], ".mail")
	j := strings.LastIndexFunc(head, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
	})
	return head[j+1:]
}

// topologyName turns an organization name into a topology name.
func topologyName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			b[i] = '-'
		}
	}
	if len(b) > 64 {
		b = b[:64]
	}
	return string(b)
}

// item is a converted object waiting to be placed.
type item struct {
	rec    *record
	cmdlet cmdlet
	tenant bool   // Exchange Online side
	sure   bool   // the side is known rather than defaulted
	org    string // on-premises organization from the DN, raw
	val    any
}

// assemble places the converted objects of files into a File.
func assemble(files []export) (*scenario.File, []scenario.Problem) {
	var diags []note
	var items []item
	onpremOnly, tenantOnly := false, false
	for _, f := range files {
		for _, r := range f.records {
			kind := cmdletOf(f, r)
			if kind == unknownCmdlet {
				desc := ""
				if len(r.types) > 0 {
					desc = " (type " + r.types[0] + ")"
				}
				diags = append(diags, note{file: r.file, index: r.index, path: r.path(),
					message: "not imported: cannot tell which Exchange cmdlet wrote this object" + desc})
				continue
			}
			it := convert(kind, r, &diags)
			if it.val == nil {
				continue
			}
			switch families[kind].side {
			case onPremisesSide:
				it.sure, onpremOnly = true, true
			case tenantSide:
				it.tenant, it.sure, tenantOnly = true, true, true
			}
			orgID := r.text("OrganizationId")
			dns := distinguishedNames(r)
			own := ""
			if len(dns) > 0 && r.text("DistinguishedName") != "" {
				own = dns[0]
			}
			if !it.sure {
				switch {
				case strings.Contains(orgID, "Microsoft Exchange Hosted Organizations") || strings.Contains(strings.ToLower(orgID), ".onmicrosoft.com") ||
					strings.Contains(own, "OU=Microsoft Exchange Hosted Organizations"):
					it.tenant, it.sure = true, true
				case orgFromDN(own) != "":
					it.sure = true
				case kind == acceptedDomain:
					d := strings.ToLower(it.val.(topology.AcceptedDomain).DomainName)
					if strings.HasSuffix(d, ".onmicrosoft.com") && !strings.HasSuffix(d, ".mail.onmicrosoft.com") {
						it.tenant, it.sure = true, true
					}
				}
			}
			for _, dn := range dns {
				if o := orgFromDN(dn); o != "" {
					it.org = o
					break
				}
			}
			items = append(items, it)
		}
	}
	for i := range items {
		if !items[i].sure {
			items[i].tenant = tenantOnly && !onpremOnly
		}
	}

	// The tenant's name.
	var tenantNames []string
	addTenant := func(s string) {
		if n := tenantFrom(s); n != "" && !slices.Contains(tenantNames, n) {
			tenantNames = append(tenantNames, n)
		}
	}
	hasTenant := false
	for _, it := range items {
		if it.tenant {
			hasTenant = true
			addTenant(it.rec.text("OrganizationId"))
			if a, ok := it.val.(topology.AcceptedDomain); ok {
				addTenant(a.DomainName)
			}
		}
	}
	for _, it := range items {
		switch v := it.val.(type) {
		case connector.Send:
			for _, s := range v.AddressSpaces {
				addTenant(s)
			}
		case topology.Recipient:
			addTenant(v.RemoteRoutingAddress)
		}
	}
	var late []scenario.Problem
	tenant := ""
	if len(tenantNames) > 0 {
		tenant = tenantNames[0]
		if len(tenantNames) > 1 {
			late = append(late, scenario.Problem{Path: "Tenants", Message: fmt.Sprintf("the export names several tenants (%s); imported as %q", strings.Join(tenantNames, ", "), tenant)})
		}
	}

	// The on-premises organizations.
	named := map[string]bool{}
	for _, it := range items {
		if !it.tenant && it.org != "" {
			named[it.org] = true
		}
	}
	fallback := "onpremises"
	if len(named) == 1 {
		for n := range named {
			fallback = n
		}
	}
	type org struct {
		spec    topology.OnPremisesSpec
		servers map[string]*topology.ServerSpec
		dns     map[string]string // server → a DistinguishedName of it
		unnamed bool
	}
	orgs := map[string]*org{}
	orgOf := func(it item) *org {
		raw := it.org
		if raw == "" {
			raw = fallback
		}
		o := orgs[raw]
		if o == nil {
			o = &org{spec: topology.OnPremisesSpec{Name: topologyName(raw)}, servers: map[string]*topology.ServerSpec{}, dns: map[string]string{}}
			orgs[raw] = o
		}
		if it.org == "" && !named[fallback] {
			o.unnamed = true
		}
		return o
	}
	server := func(o *org, r *record, name string) *topology.ServerSpec {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil
		}
		key := strings.ToLower(name)
		s := o.servers[key]
		if s == nil {
			s = &topology.ServerSpec{Name: name}
			o.servers[key] = s
		}
		if o.dns[key] == "" {
			o.dns[key] = serverDN(r, name)
		}
		return s
	}
	var ten *topology.TenantSpec
	if hasTenant {
		ten = &topology.TenantSpec{Name: tenant}
	}
	policySet, policyDefault := false, false
	var hybrids []topology.HybridConfiguration
	var hybridOrgs []*org
	for _, it := range items {
		if it.tenant {
			switch v := it.val.(type) {
			case topology.AcceptedDomain:
				ten.AcceptedDomains = append(ten.AcceptedDomains, v)
			case topology.Recipient:
				ten.Recipients = append(ten.Recipients, v)
			case connector.Inbound:
				ten.InboundConnectors = append(ten.InboundConnectors, v)
			case connector.Outbound:
				ten.OutboundConnectors = append(ten.OutboundConnectors, v)
			case topology.TransportRule:
				ten.TransportRules = append(ten.TransportRules, v)
			case topology.ConnectionFilterPolicy:
				// Only the default policy applies to every message; the
				// first policy stands in until the default comes.
				v2, _ := it.rec.get("IsDefault")
				isDefault, _ := v2.boolean()
				isDefault = isDefault || strings.EqualFold(it.rec.text("Name"), "Default")
				switch {
				case isDefault && !policyDefault:
					ten.HostedConnectionFilterPolicy, policyDefault, policySet = v, true, true
				case !policySet:
					ten.HostedConnectionFilterPolicy, policySet = v, true
				}
				if !isDefault {
					diags = append(diags, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(),
						message: "not the default policy: custom connection filter policies are not modelled; used only when there is no default policy"})
				}
			}
			continue
		}
		o := orgOf(it)
		switch v := it.val.(type) {
		case topology.AcceptedDomain:
			o.spec.AcceptedDomains = append(o.spec.AcceptedDomains, v)
		case topology.Recipient:
			o.spec.Recipients = append(o.spec.Recipients, v)
			if v.Server != "" {
				server(o, it.rec, v.Server)
			}
		case connector.Send:
			o.spec.SendConnectors = append(o.spec.SendConnectors, v)
			for _, s := range v.SourceTransportServers {
				server(o, it.rec, s)
			}
		case connector.Receive:
			o.spec.ReceiveConnectors = append(o.spec.ReceiveConnectors, v)
			if s := server(o, it.rec, v.Server); s != nil && s.Fqdn == "" && strings.HasPrefix(strings.ToLower(v.Fqdn), strings.ToLower(s.Name)+".") {
				s.Fqdn = v.Fqdn
			}
		case topology.TransportRule:
			o.spec.TransportRules = append(o.spec.TransportRules, v)
		case topology.HybridConfiguration:
			v.Tenant, v.OnPremises = tenant, o.spec.Name
			for _, s := range append(slices.Clone(v.SendingTransportServers), v.ReceivingTransportServers...) {
				server(o, it.rec, s)
			}
			hybrids = append(hybrids, v)
			hybridOrgs = append(hybridOrgs, o)
			if tenant == "" {
				diags = append(diags, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(), prop: "Tenant",
					message: "the tenant's name is not in the export (no *.onmicrosoft.com domain): left empty"})
			}
		}
	}
	// Hybrid smart hosts are host names of the first receiving server.
	for i, h := range hybrids {
		o := hybridOrgs[i]
		recv := slices.Clone(h.ReceivingTransportServers)
		slices.SortFunc(recv, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
		if h.OnPremisesSmartHost == "" || len(recv) == 0 {
			continue
		}
		if s := o.servers[strings.ToLower(recv[0])]; s != nil && !strings.EqualFold(s.Fqdn, h.OnPremisesSmartHost) &&
			!slices.ContainsFunc(s.Hosts, func(x string) bool { return strings.EqualFold(x, h.OnPremisesSmartHost) }) {
			s.Hosts = append(s.Hosts, h.OnPremisesSmartHost)
		}
	}

	file := &scenario.File{}
	keys := make([]string, 0, len(orgs))
	for k := range orgs {
		keys = append(keys, k)
	}
	// Organizations whose names differ only in characters topology names
	// do not allow get the same name: their raw names order them.
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(strings.Compare(topologyName(a), topologyName(b)), strings.Compare(a, b))
	})
	for _, k := range keys {
		o := orgs[k]
		obj := fmt.Sprintf("OnPremises[%q]", o.spec.Name)
		if o.unnamed {
			late = append(late, scenario.Problem{Path: obj, Message: fmt.Sprintf("some objects name no organization (no DistinguishedName under CN=Microsoft Exchange); they are imported into %q", o.spec.Name)})
		}
		if o.spec.Name != k {
			late = append(late, scenario.Problem{Path: obj, Message: fmt.Sprintf("organization %q is named %q: topology names allow letters, digits, '-', '_' and '.'", k, o.spec.Name)})
		}
		names := make([]string, 0, len(o.servers))
		for n := range o.servers {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			s := o.servers[n]
			if s.Fqdn == "" {
				if d := adDomain(o.dns[n]); d != "" {
					s.Fqdn = strings.ToLower(s.Name + "." + d)
					late = append(late, scenario.Problem{Path: fmt.Sprintf("%s.Servers[%q].Fqdn", obj, s.Name),
						Message: fmt.Sprintf("not in the export: guessed %q from the Active Directory domain", s.Fqdn)})
				} else {
					late = append(late, scenario.Problem{Path: fmt.Sprintf("%s.Servers[%q].Fqdn", obj, s.Name),
						Message: "not in the export (export Get-ReceiveConnector or Get-ExchangeServer): left empty"})
				}
			}
			o.spec.Servers = append(o.spec.Servers, *s)
		}
		file.OnPremises = append(file.OnPremises, o.spec)
	}
	if ten != nil {
		if ten.Name == "" {
			late = append(late, scenario.Problem{Path: "Tenants[0].Name", Message: "the tenant's name is not in the export (no *.onmicrosoft.com domain): left empty"})
		}
		file.Tenants = []topology.TenantSpec{*ten}
	}
	file.Hybrid = hybrids
	fileOrder := map[string]int{}
	for i, f := range files {
		fileOrder[f.name] = i
	}
	slices.SortStableFunc(diags, func(a, b note) int {
		return cmp.Or(fileOrder[a.file]-fileOrder[b.file], a.index-b.index)
	})
	return file, append(dedupe(diags), late...)
}
