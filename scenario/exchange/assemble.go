package exchange

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
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
	for p := range strings.SplitSeq(dn, ",") {
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
	before, _, ok := strings.Cut(s, ".onmicrosoft.com")
	if !ok {
		return ""
	}
	head := strings.TrimSuffix(before, ".mail")
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

// org is an on-premises organization being assembled.
type org struct {
	spec    topology.OnPremisesSpec
	servers map[string]*topology.ServerSpec // by lower-case name
	dns     map[string]string               // server → a DistinguishedName of it
	unnamed bool                            // some objects named no organization
	// declared are the servers Get-ExchangeServer declared, by
	// lower-case name.
	declared map[string]bool
	// queuesSet: a server's Get-TransportService settings were placed.
	queuesSet bool
}

// assembly is an import being assembled, step by step.
type assembly struct {
	files []export
	opts  Options
	notes []note
	items []item
	// late are the problems about the tenant and the organizations,
	// reported after the notes about objects.
	late []scenario.Problem

	tenantName string
	tenant     *topology.TenantSpec // nil when no object is Exchange Online's
	// policySet and policyDefault tell whether the tenant's connection
	// filter policy is set, and is the default policy.
	policySet, policyDefault bool
	// spamSet and spamDefault: the same for the anti-spam policy.
	spamSet, spamDefault bool

	named      map[string]bool // organizations named by a DistinguishedName, raw
	fallback   string          // the organization of objects that name none, raw
	orgs       map[string]*org // by raw name
	hybrids    []topology.HybridConfiguration
	hybridOrgs []*org // the organization of each of hybrids
	// mx are the MX records of Resolve-DnsName exports, in export order.
	mx []topology.MXRecord
}

// assemble places the converted objects of files into a File.
func assemble(files []export, opts Options) (*scenario.File, []scenario.Problem) {
	a := &assembly{files: files, opts: opts, orgs: map[string]*org{}}
	a.convertAll()
	a.dropListed()
	a.addMembers()
	a.publicFolderServers()
	a.nameTenant()
	a.nameOrganizations()
	for _, it := range a.items {
		if it.tenant {
			a.placeInTenant(it)
		} else {
			a.placeOnPremises(it)
		}
	}
	a.addHybridSmartHosts()
	file := &scenario.File{}
	file.Spec.OnPremises = a.organizations()
	if a.tenant != nil {
		if a.tenant.Name == "" {
			a.tenant.Name = defaultTenantName(a.tenant.AcceptedDomains)
			a.late = append(a.late, scenario.Problem{Path: "Tenants[0].Name",
				Message: fmt.Sprintf("the tenant's name is not in the export (no *.onmicrosoft.com domain): named %q; give its real name in the topology file", a.tenant.Name)})
		}
		file.Spec.Tenants = []topology.TenantSpec{*a.tenant}
	}
	file.Spec.Hybrid = a.hybridConfigurations()
	file.Spec.MXRecords = slices.Clone(a.mx)
	if a.tenant != nil {
		file.Spec.MXRecords = append(file.Spec.MXRecords, a.assumedMX()...)
	}
	file.Spec.External = a.externalMXHosts(file)
	file.Spec.External = append(file.Spec.External, a.externalSmartHosts(file)...)
	return file, append(a.sortedNotes(), a.late...)
}

// convertAll converts every object of every file into an item, and
// decides its side: the family's, else the one its OrganizationId or
// DistinguishedName names, else on-premises unless the import holds
// Exchange Online objects only.
func (a *assembly) convertAll() {
	hasOnPremises, hasTenant := false, false
	for _, f := range a.files {
		for _, r := range f.records {
			c := cmdletOf(f, r)
			if c == unknownCmdlet {
				a.unknownObject(r)
				continue
			}
			it := convert(c, r, &a.notes)
			if mx, ok := it.val.(mxRecord); ok {
				a.placeMX(mx) // DNS, on neither side
				continue
			}
			if it.val == nil {
				continue
			}
			switch families[c].side {
			case onPremisesSide:
				it.sure, hasOnPremises = true, true
			case tenantSide:
				it.tenant, it.sure, hasTenant = true, true, true
			}
			if !it.sure {
				it.tenant, it.sure = sideOf(it)
			}
			it.org = orgOf(r)
			a.items = append(a.items, it)
		}
	}
	for i := range a.items {
		if !a.items[i].sure {
			a.items[i].tenant = hasTenant && !hasOnPremises
		}
	}
}

// unknownObject notes an object whose cmdlet is not known.
func (a *assembly) unknownObject(r *record) {
	desc := ""
	if len(r.types) > 0 {
		desc = " (type " + r.types[0] + ")"
	}
	a.notes = append(a.notes, note{file: r.file, index: r.index, path: r.path(),
		message: "not imported: cannot tell which Exchange cmdlet wrote this object" + desc})
}

// sideOf tells the side of an object of a family with objects on either
// side: Exchange Online when its OrganizationId or DistinguishedName
// names a hosted organization, or it is a "*.onmicrosoft.com" accepted
// domain other than a coexistence domain, or a recipient that
// [exchangeOnlineRecipient] recognises; on-premises when its
// DistinguishedName is in "CN=Microsoft Exchange,CN=Services". sure is
// false when nothing tells.
func sideOf(it item) (tenant, sure bool) {
	orgID := it.rec.text("OrganizationId")
	own := it.rec.text("DistinguishedName")
	switch {
	case strings.Contains(orgID, "Microsoft Exchange Hosted Organizations") || strings.Contains(strings.ToLower(orgID), ".onmicrosoft.com") ||
		strings.Contains(own, "OU=Microsoft Exchange Hosted Organizations"):
		return true, true
	case orgFromDN(own) != "":
		return false, true
	case it.cmdlet == acceptedDomain:
		d := strings.ToLower(it.val.(topology.AcceptedDomain).DomainName)
		if strings.HasSuffix(d, ".onmicrosoft.com") && !strings.HasSuffix(d, ".mail.onmicrosoft.com") {
			return true, true
		}
	case isRecipient(it):
		return exchangeOnlineRecipient(it), exchangeOnlineRecipient(it)
	}
	return false, false
}

// isRecipient reports whether an item is a recipient, of any recipient
// cmdlet.
func isRecipient(it item) bool {
	_, ok := it.val.(topology.Recipient)
	return ok
}

// exchangeOnlineRecipient reports whether a recipient without an
// OrganizationId or DistinguishedName is Exchange Online's: it has a
// MailboxPlan (only Exchange Online mailboxes do), or an address in the
// tenant's initial "*.onmicrosoft.com" domain (an on-premises mailbox has
// at most the coexistence "*.mail.onmicrosoft.com" one).
func exchangeOnlineRecipient(it item) bool {
	if it.rec.text("MailboxPlan") != "" {
		return true
	}
	r, ok := it.val.(topology.Recipient)
	if !ok {
		return false
	}
	for _, a := range append([]string{r.PrimarySmtpAddress}, r.EmailAddresses...) {
		a = strings.ToLower(a)
		if strings.HasSuffix(a, ".onmicrosoft.com") && !strings.HasSuffix(a, ".mail.onmicrosoft.com") {
			return true
		}
	}
	return false
}

// orgOf returns the raw name of the on-premises organization of the first
// DistinguishedName of r, or of an object r names, that has one.
func orgOf(r *record) string {
	for _, dn := range distinguishedNames(r) {
		if o := orgFromDN(dn); o != "" {
			return o
		}
	}
	return ""
}

// nameTenant names the tenant by the first "<name>.onmicrosoft.com" in
// the Exchange Online objects' OrganizationId and accepted domains, then
// in Send connectors' address spaces and recipients' routing addresses.
func (a *assembly) nameTenant() {
	var names []string
	add := func(s string) {
		if n := tenantFrom(s); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	hasTenant := false
	for _, it := range a.items {
		if it.tenant {
			hasTenant = true
			add(it.rec.text("OrganizationId"))
			if d, ok := it.val.(topology.AcceptedDomain); ok {
				add(d.DomainName)
			}
		}
	}
	for _, it := range a.items {
		switch v := it.val.(type) {
		case connector.Send:
			for _, s := range v.AddressSpaces {
				add(s)
			}
		case topology.Recipient:
			add(v.RemoteRoutingAddress)
		}
	}
	switch {
	case len(names) > 0:
		a.tenantName = names[0]
		if len(names) > 1 {
			a.late = append(a.late, scenario.Problem{Path: "Tenants", Message: fmt.Sprintf("the export names several tenants (%s); imported as %q", strings.Join(names, ", "), a.tenantName)})
		}
		if a.opts.Tenant != "" && !strings.EqualFold(a.opts.Tenant, a.tenantName) {
			a.late = append(a.late, scenario.Problem{Path: "Tenants", Message: fmt.Sprintf("the export names the tenant %q: the tenant name %q given is not used", a.tenantName, a.opts.Tenant)})
		}
	case a.opts.Tenant != "":
		a.tenantName = a.opts.Tenant
	}
	if hasTenant {
		a.tenant = &topology.TenantSpec{Name: a.tenantName}
	}
}

// assumedMX returns an MX record for each of the tenant's accepted
// domains that no Resolve-DnsName export gives one (Exchange's exports do
// not carry them: MX records live in DNS): the tenant's EOP host,
// Microsoft's recommended MX ("Configure mail flow using connectors in
// Exchange Online"), with a note per domain.
func (a *assembly) assumedMX() []topology.MXRecord {
	var mx []topology.MXRecord
	for _, d := range a.tenant.AcceptedDomains {
		name := strings.ToLower(d.DomainName)
		if strings.HasPrefix(name, "*") || strings.HasSuffix(name, ".onmicrosoft.com") {
			continue // no MX of its own / published by Microsoft
		}
		if slices.ContainsFunc(a.mx, func(r topology.MXRecord) bool { return r.Domain == name }) {
			continue // exported
		}
		host := topology.EOPHost(name)
		mx = append(mx, topology.MXRecord{Domain: name, NameExchange: host})
		a.late = append(a.late, scenario.Problem{Path: "MXRecords[" + strconv.Quote(name) + "]",
			Message: "MX records are not in the exports: assumed " + host + ", the tenant's EOP; give the real ones in the topology file"})
	}
	return mx
}

// defaultTenantName names a tenant whose exports do not: after the first
// label of its first accepted domain in name order, else "tenant".
func defaultTenantName(domains []topology.AcceptedDomain) string {
	names := make([]string, 0, len(domains))
	for _, d := range domains {
		names = append(names, strings.ToLower(d.DomainName))
	}
	slices.Sort(names)
	for _, n := range names {
		if label, _, _ := strings.Cut(strings.TrimPrefix(n, "*."), "."); label != "" {
			return label
		}
	}
	return "tenant"
}

// nameOrganizations finds the on-premises organizations the objects
// name, and the one objects that name none join: the only one named, or
// else "onpremises".
func (a *assembly) nameOrganizations() {
	a.named = map[string]bool{}
	for _, it := range a.items {
		if !it.tenant && it.org != "" {
			a.named[it.org] = true
		}
	}
	a.fallback = "onpremises"
	if len(a.named) == 1 {
		for n := range a.named {
			a.fallback = n
		}
	}
}

// org returns the organization of an on-premises item, creating it.
func (a *assembly) org(it item) *org {
	raw := it.org
	if raw == "" {
		raw = a.fallback
	}
	o := a.orgs[raw]
	if o == nil {
		o = &org{spec: topology.OnPremisesSpec{Name: topologyName(raw)}, servers: map[string]*topology.ServerSpec{}, dns: map[string]string{}, declared: map[string]bool{}}
		a.orgs[raw] = o
	}
	// Site links are the forest's, not an organization's: they name none.
	if it.org == "" && !a.named[a.fallback] && it.cmdlet != adSiteLink {
		o.unnamed = true
	}
	return o
}

// server returns the server of o named name, which r names, creating it;
// nil for an empty name.
func (o *org) server(r *record, name string) *topology.ServerSpec {
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

// placeInTenant adds an Exchange Online item to the tenant.
func (a *assembly) placeInTenant(it item) {
	t := a.tenant
	switch v := it.val.(type) {
	case topology.AcceptedDomain:
		t.AcceptedDomains = append(t.AcceptedDomains, v)
	case topology.Recipient:
		if v.Server != "" {
			// An Exchange Online mailbox's ServerName is a server of
			// Microsoft's datacenter, not one of an organization's.
			a.notes = append(a.notes, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(), prop: "ServerName",
				message: "not imported: an Exchange Online recipient has no on-premises server (value " + strconv.Quote(v.Server) + ")"})
			v.Server = ""
		}
		t.Recipients = append(t.Recipients, v)
	case connector.Inbound:
		t.InboundConnectors = append(t.InboundConnectors, v)
	case connector.Outbound:
		t.OutboundConnectors = append(t.OutboundConnectors, v)
	case topology.TransportRule:
		t.TransportRules = append(t.TransportRules, v)
	case topology.ConnectionFilterPolicy:
		a.placeConnectionFilter(it, v)
	case contentFilterPolicy:
		a.placeContentFilter(it, v)
	case orgConfig:
		t.RejectDirectSend = v.rejectDirectSend
	case topology.JournalRule:
		t.JournalRules = append(t.JournalRules, v)
	case topology.RemoteDomain:
		t.RemoteDomains = append(t.RemoteDomains, v)
	}
}

// placeTransportService sets the organization's queue settings from a
// server's Get-TransportService object, and adds the server. The topology
// holds one set per organization: the first server's, in the exports'
// order; a server whose settings differ is noted.
func (a *assembly) placeTransportService(it item, o *org, ts serverQueues) {
	if ts.server != "" {
		o.server(it.rec, ts.server)
	}
	switch {
	case !o.queuesSet:
		o.spec.TransportService, o.queuesSet = ts.settings, true
	case !sameQueues(o.spec.TransportService, ts.settings):
		a.notes = append(a.notes, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(),
			message: "queue settings differ from the first server's: the topology holds one set per organization, the first server's"})
	}
}

// placeContentFilter sets the tenant's anti-spam policy: the default one
// applies to every recipient; a custom one is noted, and stands in only
// until the default comes.
func (a *assembly) placeContentFilter(it item, p contentFilterPolicy) {
	switch {
	case p.isDefault && !a.spamDefault:
		a.tenant.HostedContentFilterPolicy, a.spamDefault, a.spamSet = p.policy, true, true
	case !a.spamSet:
		a.tenant.HostedContentFilterPolicy, a.spamSet = p.policy, true
	}
	if !p.isDefault {
		a.notes = append(a.notes, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(),
			message: "not the default policy: custom anti-spam policies are not modelled; used only when there is no default policy"})
	}
}

// placeConnectionFilter sets the tenant's connection filter policy. Only
// the default policy applies to every message (Get-HostedConnectionFilterPolicy);
// the first policy stands in until the default comes.
func (a *assembly) placeConnectionFilter(it item, p topology.ConnectionFilterPolicy) {
	v, _ := it.rec.get("IsDefault")
	isDefault, _ := v.boolean()
	isDefault = isDefault || strings.EqualFold(it.rec.text("Name"), "Default")
	switch {
	case isDefault && !a.policyDefault:
		a.tenant.HostedConnectionFilterPolicy, a.policyDefault, a.policySet = p, true, true
	case !a.policySet:
		a.tenant.HostedConnectionFilterPolicy, a.policySet = p, true
	}
	if !isDefault {
		a.notes = append(a.notes, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(),
			message: "not the default policy: custom connection filter policies are not modelled; used only when there is no default policy"})
	}
}

// placeOnPremises adds an on-premises item to its organization, with the
// servers it names: a Send connector's SourceTransportServers, a Receive
// connector's Server (whose Fqdn it gives when it starts with the
// server's name), a hybrid configuration's transport servers and a
// mailbox's ServerName.
func (a *assembly) placeOnPremises(it item) {
	o := a.org(it)
	switch v := it.val.(type) {
	case topology.AcceptedDomain:
		o.spec.AcceptedDomains = append(o.spec.AcceptedDomains, v)
	case topology.Recipient:
		o.spec.Recipients = append(o.spec.Recipients, v)
		if v.Server != "" {
			o.server(it.rec, v.Server)
		}
	case connector.Send:
		o.spec.SendConnectors = append(o.spec.SendConnectors, v)
		for _, s := range v.SourceTransportServers {
			o.server(it.rec, s)
		}
	case connector.Receive:
		o.spec.ReceiveConnectors = append(o.spec.ReceiveConnectors, v)
		if s := o.server(it.rec, v.Server); s != nil && s.Fqdn == "" && strings.HasPrefix(strings.ToLower(v.Fqdn), strings.ToLower(s.Name)+".") {
			s.Fqdn = v.Fqdn
		}
	case topology.TransportRule:
		o.spec.TransportRules = append(o.spec.TransportRules, v)
	case topology.JournalRule:
		o.spec.JournalRules = append(o.spec.JournalRules, v)
	case topology.RemoteDomain:
		o.spec.RemoteDomains = append(o.spec.RemoteDomains, v)
	case serverQueues:
		a.placeTransportService(it, o, v)
	case declaredServer:
		a.placeServer(it, o, v)
	case topology.EdgeSubscription:
		o.spec.EdgeSubscriptions = append(o.spec.EdgeSubscriptions, v)
		if s := o.server(it.rec, v.Name); !o.declared[strings.ToLower(s.Name)] {
			s.Role = topology.Edge // only Edge Transport servers subscribe
		}
	case topology.ADSiteLink:
		o.spec.ADSiteLinks = append(o.spec.ADSiteLinks, v)
	case topology.HybridConfiguration:
		a.placeHybrid(it, o, v)
	}
}

// placeServer adds a server Get-ExchangeServer declares, merging it with
// the server of the same name other objects name: the export's Fqdn (when
// it has one), Role and Site win; the host names others gave stay
// (docs/behaviour.md#l70-servers-from-get-exchangeserver). A server
// declared twice keeps the first declaration, with a note.
func (a *assembly) placeServer(it item, o *org, d declaredServer) {
	key := strings.ToLower(strings.TrimSpace(d.spec.Name))
	if o.declared[key] {
		a.notes = append(a.notes, note{file: it.rec.file, index: it.rec.index, path: it.rec.path(),
			message: "not imported: the server is declared twice; the first declaration is kept"})
		return
	}
	o.declared[key] = true
	s := o.server(it.rec, d.spec.Name)
	s.Name, s.Role, s.Site = d.spec.Name, d.spec.Role, d.spec.Site
	if d.spec.Fqdn != "" {
		s.Fqdn = d.spec.Fqdn
	}
}

// placeHybrid adds a hybrid configuration of organization o, naming the
// tenant as its Tenant.
func (a *assembly) placeHybrid(it item, o *org, h topology.HybridConfiguration) {
	h.Tenant, h.OnPremises = a.tenantName, o.spec.Name
	for _, s := range append(slices.Clone(h.SendingTransportServers), h.ReceivingTransportServers...) {
		o.server(it.rec, s)
	}
	// The wizard's EdgeTransportServers are Edge Transport servers; their
	// subscriptions come from Get-EdgeSubscription.
	for _, s := range h.EdgeTransportServers {
		if srv := o.server(it.rec, s); srv != nil && !o.declared[strings.ToLower(srv.Name)] {
			srv.Role = topology.Edge
		}
	}
	a.hybrids = append(a.hybrids, h)
	a.hybridOrgs = append(a.hybridOrgs, o)
}

// hybridConfigurations returns the hybrid configurations, naming the tenant as it is
// named in the end. Without a tenant in the exports, a hybrid
// configuration is left out with a note: it pairs two organizations.
func (a *assembly) hybridConfigurations() []topology.HybridConfiguration {
	var out []topology.HybridConfiguration
	for _, h := range a.hybrids {
		path := fmt.Sprintf("Hybrid[%q]", h.OnPremises)
		switch {
		case a.tenant == nil:
			a.late = append(a.late, scenario.Problem{Path: path, Message: "not imported: the hybrid configuration pairs the organization with a tenant " +
				"that is not in the exports (export Exchange Online's Get-AcceptedDomain, Get-InboundConnector and Get-OutboundConnector with it)"})
			continue
		}
		h.Tenant = a.tenant.Name
		out = append(out, h)
	}
	return out
}

// addHybridSmartHosts makes each hybrid configuration's
// OnPremisesSmartHost a host name of the first (by name) of its
// ReceivingTransportServers.
func (a *assembly) addHybridSmartHosts() {
	for i, h := range a.hybrids {
		o := a.hybridOrgs[i]
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
}

// organizations returns the organizations sorted by name, with their
// servers sorted by name, noting the organizations named by default or
// renamed.
func (a *assembly) organizations() []topology.OnPremisesSpec {
	// Organizations whose names differ only in characters topology names
	// do not allow get the same name: their raw names order them.
	keys := slices.SortedFunc(maps.Keys(a.orgs), func(x, y string) int {
		return cmp.Or(strings.Compare(topologyName(x), topologyName(y)), strings.Compare(x, y))
	})
	var out []topology.OnPremisesSpec
	for _, k := range keys {
		o := a.orgs[k]
		obj := fmt.Sprintf("OnPremises[%q]", o.spec.Name)
		if len(o.servers) == 0 {
			// An organization routes through its servers: Build refuses one
			// without. Its objects are kept, for the topology file.
			a.late = append(a.late, scenario.Problem{Path: obj + ".Servers", Message: fmt.Sprintf("none of the servers of organization %q is in the exports "+
				"(export Get-ExchangeServer, or its Receive or Send connectors): a topology needs them, or the organization removed", k)})
		}
		if o.unnamed {
			a.late = append(a.late, scenario.Problem{Path: obj, Message: fmt.Sprintf("some objects name no organization (no DistinguishedName under CN=Microsoft Exchange); they are imported into %q", o.spec.Name)})
		}
		if o.spec.Name != k {
			a.late = append(a.late, scenario.Problem{Path: obj, Message: fmt.Sprintf("organization %q is named %q: topology names allow letters, digits, '-', '_' and '.'", k, o.spec.Name)})
		}
		for _, n := range slices.Sorted(maps.Keys(o.servers)) {
			s := o.servers[n]
			if s.Fqdn == "" {
				a.late = append(a.late, a.guessFqdn(obj, s, o.dns[n]))
			}
			o.spec.Servers = append(o.spec.Servers, *s)
		}
		out = append(out, o.spec)
	}
	return out
}

// guessFqdn sets the Fqdn of a server that has none to its name in the
// Active Directory domain of dn, its DistinguishedName, and returns the
// problem saying so, or that it is left empty.
func (a *assembly) guessFqdn(obj string, s *topology.ServerSpec, dn string) scenario.Problem {
	path := fmt.Sprintf("%s.Servers[%q].Fqdn", obj, s.Name)
	if d := adDomain(dn); d != "" {
		s.Fqdn = strings.ToLower(s.Name + "." + d)
		return scenario.Problem{Path: path, Message: fmt.Sprintf("not in the export: guessed %q from the Active Directory domain", s.Fqdn)}
	}
	return scenario.Problem{Path: path, Message: "not in the export (export Get-ReceiveConnector or Get-ExchangeServer): left empty"}
}

// sortedNotes returns the notes in file and object order, merged.
func (a *assembly) sortedNotes() []scenario.Problem {
	fileOrder := map[string]int{}
	for i, f := range a.files {
		fileOrder[f.name] = i
	}
	slices.SortStableFunc(a.notes, func(x, y note) int {
		return cmp.Or(fileOrder[x.file]-fileOrder[y.file], x.index-y.index)
	})
	return dedupe(a.notes)
}

// sameQueues reports whether two servers' queue settings are the same.
func sameQueues(a, b topology.TransportService) bool {
	count := func(n *int) int {
		if n == nil {
			return -1
		}
		return *n
	}
	ca, cb := count(a.TransientFailureRetryCount), count(b.TransientFailureRetryCount)
	a.TransientFailureRetryCount, b.TransientFailureRetryCount = nil, nil
	return a == b && ca == cb
}
