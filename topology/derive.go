package topology

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/smtp"
)

// ErrNotFound is matched by errors.Is when a [Change] names a tenant,
// organization, connector, rule, server or external system that the Spec
// does not declare.
var ErrNotFound = errors.New("topology: no such object")

// ErrExists is matched by errors.Is when a [Change] adds a connector or
// rule whose name the organization already uses.
var ErrExists = errors.New("topology: object already exists")

// ErrAmbiguous is matched by errors.Is when a [Change] names an
// organization or object that more than one thing in the Spec answers to,
// such as a tenant and an on-premises organization both named "contoso".
var ErrAmbiguous = errors.New("topology: ambiguous name")

// Clone returns a deep copy of s: every slice, map and pointer in it is
// copied, so that changing the copy never changes s and the other way
// round. Nil slices stay nil and empty ones empty.
func (s Spec) Clone() Spec { return deepCopy(s) }

// deepCopy copies v by reflection, so that fields added to the Spec types
// later are copied too. Unexported fields (the Spec types have none) are
// copied shallowly. v must not contain pointer cycles.
func deepCopy[T any](v T) T {
	var c T
	copyValue(reflect.ValueOf(&c).Elem(), reflect.ValueOf(&v).Elem())
	return c
}

// copyPlan is what copying a type deeply takes, worked out once per type.
type copyPlan struct {
	// flat: the type holds no pointer, slice, map or interface (strings
	// are immutable), so that assigning a value copies it deeply.
	flat bool
	// deep are the exported fields of a struct that are not flat.
	deep []int
}

// copyPlans caches the copyPlan of each type (reflect.Type → *copyPlan).
var copyPlans sync.Map

// planCopy returns the copyPlan of t.
func planCopy(t reflect.Type) *copyPlan {
	if p, ok := copyPlans.Load(t); ok {
		return p.(*copyPlan)
	}
	p := &copyPlan{flat: true}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		p.flat = false
	case reflect.Array:
		p.flat = planCopy(t.Elem()).flat
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && !planCopy(f.Type).flat {
				p.deep = append(p.deep, i)
			}
		}
		p.flat = len(p.deep) == 0
	}
	actual, _ := copyPlans.LoadOrStore(t, p)
	return actual.(*copyPlan)
}

// copyValue sets dst, which is settable and of src's type, to a deep copy
// of src.
func copyValue(dst, src reflect.Value) {
	plan := planCopy(src.Type())
	if plan.flat {
		dst.Set(src)
		return
	}
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		if planCopy(src.Type().Elem()).flat {
			reflect.Copy(s, src)
		} else {
			for i := range src.Len() {
				copyValue(s.Index(i), src.Index(i))
			}
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			k := reflect.New(src.Type().Key()).Elem()
			copyValue(k, it.Key())
			e := reflect.New(src.Type().Elem()).Elem()
			copyValue(e, it.Value())
			m.SetMapIndex(k, e)
		}
		dst.Set(m)
	case reflect.Array:
		for i := range src.Len() {
			copyValue(dst.Index(i), src.Index(i))
		}
	case reflect.Struct:
		dst.Set(src)
		for _, i := range plan.deep {
			copyValue(dst.Field(i), src.Field(i))
		}
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		e := reflect.New(src.Elem().Type()).Elem()
		copyValue(e, src.Elem())
		dst.Set(e)
	}
}

// Spec returns a deep copy of the Spec the Topology was built from: the
// declared objects, before Build added defaults and the Hybrid
// Configuration Wizard's connectors. Build(t.Spec()) builds an equal
// Topology.
func (t *Topology) Spec() Spec {
	s := t.spec.Clone()
	for i := range s.Tenants {
		s.Tenants[i].Recipients = t.declared[i].recipients()
	}
	for i := range s.OnPremises {
		s.OnPremises[i].Recipients = t.declared[len(s.Tenants)+i].recipients()
	}
	return s
}

// declaredRecipients is where [Topology.Spec] finds an organization's
// recipients as declared, which the Topology does not keep a second copy
// of: in the organization's directory. The directory holds each declared
// recipient as declared, except that its Members are in their one order
// and directory synchronization may have added to its EmailAddresses;
// those whose lists differ are kept as declared.
type declaredRecipients struct {
	dir   *directory
	index []int             // the directory index of each declared recipient, in declared order
	as    map[int]Recipient // by declared index, a recipient whose lists the directory holds otherwise
	empty bool              // the list was declared empty, not nil
}

// declare records where the declared recipients list are in dir.
func declare(list []Recipient, dir *directory) declaredRecipients {
	d := declaredRecipients{dir: dir, empty: list != nil && len(list) == 0}
	if len(list) > 0 {
		d.index = make([]int, len(list))
	}
	for i, r := range list {
		j, ok := dir.byAddress[smtp.Key(r.PrimarySmtpAddress)]
		if !ok || dir.recipients[j].PrimarySmtpAddress != r.PrimarySmtpAddress || !sameLists(dir.recipients[j], r) {
			if d.as == nil {
				d.as = map[int]Recipient{}
			}
			d.as[i] = deepCopy(r)
			continue
		}
		d.index[i] = j
	}
	return d
}

// sameLists reports whether a and b have the same EmailAddresses and
// Members, in the same order, nil or empty alike.
func sameLists(a, b Recipient) bool {
	return (a.EmailAddresses == nil) == (b.EmailAddresses == nil) && slices.Equal(a.EmailAddresses, b.EmailAddresses) &&
		(a.Members == nil) == (b.Members == nil) && slices.Equal(a.Members, b.Members)
}

// recipients returns a deep copy of the declared recipients.
func (d declaredRecipients) recipients() []Recipient {
	if d.index == nil {
		if d.empty {
			return []Recipient{}
		}
		return nil
	}
	rs := make([]Recipient, len(d.index))
	for i, j := range d.index {
		if r, ok := d.as[i]; ok {
			rs[i] = deepCopy(r)
		} else {
			rs[i] = deepCopy(d.dir.recipients[j])
		}
	}
	return rs
}

// declaredSpec returns what t keeps of spec, from which it was built: a
// deep copy without the organizations' recipients, and where to find
// those, the tenants' then the on-premises organizations', in spec order.
func declaredSpec(spec Spec, t *Topology) (Spec, []declaredRecipients) {
	shell := spec
	shell.Tenants = slices.Clone(spec.Tenants)
	shell.OnPremises = slices.Clone(spec.OnPremises)
	var decl []declaredRecipients
	for i, ts := range spec.Tenants {
		shell.Tenants[i].Recipients = nil
		decl = append(decl, declare(ts.Recipients, &findTenant(t.tenants, strings.ToLower(ts.Name)).dir))
	}
	for i, os := range spec.OnPremises {
		shell.OnPremises[i].Recipients = nil
		decl = append(decl, declare(os.Recipients, &findOnPrem(t.onprem, os.Name).dir))
	}
	return shell.Clone(), decl
}

// With returns the Topology built from t's Spec with changes applied in
// order: Build(t.Spec().With(changes...)). t is unchanged. The error is
// the one [Spec.With] or [Build] returns.
func (t *Topology) With(changes ...Change) (*Topology, error) {
	s, err := t.Spec().With(changes...)
	if err != nil {
		return nil, err
	}
	return Build(s)
}

// With returns a copy of s with changes applied in order; s is unchanged.
// It applies every change and, when some fail, returns the zero Spec and
// their errors joined in change order (errors.Join), each a
// [*ChangeError]. With does not validate the result; [Build] does.
func (s Spec) With(changes ...Change) (Spec, error) {
	c := s.Clone()
	var errs []error
	for _, ch := range changes {
		if err := ch.applyTo(&c); err != nil {
			errs = append(errs, &ChangeError{Change: ch, Err: err})
		}
	}
	if len(errs) > 0 {
		return Spec{}, errors.Join(errs...)
	}
	return c, nil
}

// ChangeError is the error of a [Change] that cannot be applied to a Spec.
type ChangeError struct {
	Change Change
	// Err says why; it matches [ErrNotFound], [ErrExists] or
	// [ErrAmbiguous] when the change names a missing, existing or
	// ambiguous object.
	Err error
}

// Error returns "topology: <change>: <reason>".
func (e *ChangeError) Error() string { return "topology: " + e.Change.String() + ": " + e.Err.Error() }

// Unwrap returns e.Err.
func (e *ChangeError) Unwrap() error { return e.Err }

// Change is one edit of a [Spec], such as a Set- or New- cmdlet an
// administrator runs, a DNS change or an outage. Make one with [PointMX],
// [SetRouteAllMessagesViaOnPremises], [DisableConnector],
// [AddOutboundConnector], [AddInboundConnector], [AddSendConnector],
// [DisableRule], [AddTransportRule], [TakeServerDown] or [TakeHostDown],
// and apply it with [Spec.With] or [Topology.With]. A Change holds copies
// of its arguments and may be applied any number of times, concurrently.
// The zero Change is not valid: applying it fails.
//
// Where a Change takes an organization name org, it is a tenant (matched
// ignoring case) or an on-premises organization (matched exactly, as
// [Build] does). A tenant and an on-premises organization often share a
// name; "tenant:contoso" and "onprem:contoso" pick one.
type Change struct {
	desc  string
	apply func(*Spec) error
}

// String says what the change does in Exchange terms:
// `MX contoso.com -> contoso-com.mail.protection.outlook.com`,
// `Set-OutboundConnector "Outbound to contoso" -RouteAllMessagesViaOnPremises $true`.
func (c Change) String() string {
	if c.apply == nil {
		return "invalid Change"
	}
	return c.desc
}

func (c Change) applyTo(s *Spec) error {
	if c.apply == nil {
		return errors.New("the zero Change does nothing; use a constructor such as PointMX")
	}
	return c.apply(s)
}

// objectError is an error that matches a sentinel (ErrNotFound, ErrExists,
// ErrAmbiguous) with its own message.
type objectError struct {
	kind error
	msg  string
}

func (e *objectError) Error() string        { return e.msg }
func (e *objectError) Is(target error) bool { return target == e.kind }

func notFound(format string, a ...any) error {
	return &objectError{ErrNotFound, fmt.Sprintf(format, a...)}
}

// PointMX replaces the MX records of domain with one per host, of
// preference 0, 10, 20 … in the order given: the DNS change of an MX
// cutover. A host may be a tenant's MX host ([EOPHost]) or any host name
// in the Spec; [Build] checks that it is one. With no hosts the domain
// loses its MX records.
func PointMX(domain string, hosts ...string) Change {
	hosts = slices.Clone(hosts)
	var to []string
	for i, h := range hosts {
		if len(hosts) == 1 {
			to = append(to, h)
		} else {
			to = append(to, strconv.Itoa(10*i)+" "+h)
		}
	}
	desc := "MX " + domain + " -> " + strings.Join(to, ", ")
	if len(hosts) == 0 {
		desc = "MX " + domain + " -> (none)"
	}
	return Change{desc: desc, apply: func(s *Spec) error {
		d, err := smtp.Domain(domain)
		if err != nil {
			return fmt.Errorf("%q is not a domain name: %w", domain, err)
		}
		s.MXRecords = slices.DeleteFunc(s.MXRecords, func(r MXRecord) bool { return smtp.Key(r.Domain) == d })
		for i, h := range hosts {
			s.MXRecords = append(s.MXRecords, MXRecord{Domain: d, Preference: 10 * i, NameExchange: h})
		}
		return nil
	}}
}

// SetRouteAllMessagesViaOnPremises sets RouteAllMessagesViaOnPremises of
// the named outbound connector of tenant: centralized mail transport on or
// off. When the tenant declares no connector of that name but a
// [HybridConfiguration] of the tenant generates it ("Outbound to
// <OnPremises>"), it adds or removes the configuration's
// [FeatureCentralizedTransport] instead, as re-running the Hybrid
// Configuration Wizard would.
func SetRouteAllMessagesViaOnPremises(tenant, connectorName string, on bool) Change {
	desc := fmt.Sprintf("Set-OutboundConnector %q -RouteAllMessagesViaOnPremises %s", connectorName, connector.OptBoolOf(on))
	return Change{desc: desc, apply: func(s *Spec) error {
		ts, err := findTenantSpec(s, tenant)
		if err != nil {
			return err
		}
		if i := indexName(ts.OutboundConnectors, func(c connector.Outbound) string { return c.Name }, connectorName); i >= 0 {
			ts.OutboundConnectors[i].RouteAllMessagesViaOnPremises = on
			return nil
		}
		for i := range s.Hybrid {
			h := &s.Hybrid[i]
			if !strings.EqualFold(h.Tenant, ts.Name) || !strings.EqualFold("Outbound to "+h.OnPremises, connectorName) {
				continue
			}
			h.Features = slices.DeleteFunc(h.Features, func(f string) bool { return f == FeatureCentralizedTransport })
			if on {
				h.Features = append(h.Features, FeatureCentralizedTransport)
			}
			return nil
		}
		return notFound("no outbound connector %q in tenant %q", connectorName, ts.Name)
	}}
}

// DisableConnector sets Enabled to $false on the connector named name of
// org: an inbound or outbound connector of a tenant, or a Send or Receive
// connector of an on-premises organization. A Receive connector may also
// be named as Exchange identifies it, "<server>\<name>". A connector that
// Build generates rather than the Spec declares (the Hybrid Configuration
// Wizard's, or the Default Frontend Receive connectors of an organization
// that declares none) is first added to the Spec as Build generates it,
// which needs the Spec to build, then disabled. As the kind of connector
// is known only when the change is applied, its String is
// `Set-*Connector "<name>" -Enabled $false`.
func DisableConnector(org, name string) Change {
	return Change{desc: fmt.Sprintf("Set-*Connector %q -Enabled $false", name), apply: func(s *Spec) error {
		tenants, onprems, err := findOrgs(s, org)
		if err != nil {
			return err
		}
		var found []disableTarget
		for _, ts := range tenants {
			found = append(found, tenantConnectorTargets(s, ts, name)...)
		}
		for _, os := range onprems {
			found = append(found, sendConnectorTargets(s, os, name)...)
			found = append(found, receiveConnectorTargets(s, os, name)...)
		}
		switch len(found) {
		case 0:
			return notFound("no connector %q in %s", name, orgPhrase(tenants, onprems))
		case 1:
			return found[0].disable()
		}
		var what []string
		for _, f := range found {
			what = append(what, f.what)
		}
		return &objectError{ErrAmbiguous, fmt.Sprintf("%q names %s", name, strings.Join(what, " and "))}
	}}
}

// disableTarget is a connector DisableConnector may mean: what it is, and
// how to disable it in the Spec.
type disableTarget struct {
	what    string
	disable func() error
}

// tenantConnectorTargets returns the tenant's inbound and outbound
// connectors named name: declared, or generated by a HybridConfiguration
// (then a disabled copy is declared, which replaces the generated one).
func tenantConnectorTargets(s *Spec, ts *TenantSpec, name string) []disableTarget {
	var found []disableTarget
	what := fmt.Sprintf("an inbound connector of tenant %q", ts.Name)
	if i := indexName(ts.InboundConnectors, func(c connector.Inbound) string { return c.Name }, name); i >= 0 {
		found = append(found, disableTarget{what, func() error { ts.InboundConnectors[i].Enabled = connector.False; return nil }})
	} else if hybridGenerates(s, func(h HybridConfiguration) bool {
		return strings.EqualFold(h.Tenant, ts.Name) && strings.EqualFold("Inbound from "+h.OnPremises, name)
	}) {
		found = append(found, disableTarget{what, func() error {
			return declareDisabled(s, ts, name, "inbound", (*Tenant).InboundConnector, &ts.InboundConnectors, func(c *connector.Inbound) { c.Enabled = connector.False })
		}})
	}
	what = fmt.Sprintf("an outbound connector of tenant %q", ts.Name)
	if i := indexName(ts.OutboundConnectors, func(c connector.Outbound) string { return c.Name }, name); i >= 0 {
		found = append(found, disableTarget{what, func() error { ts.OutboundConnectors[i].Enabled = connector.False; return nil }})
	} else if hybridGenerates(s, func(h HybridConfiguration) bool {
		return strings.EqualFold(h.Tenant, ts.Name) && strings.EqualFold("Outbound to "+h.OnPremises, name)
	}) {
		found = append(found, disableTarget{what, func() error {
			return declareDisabled(s, ts, name, "outbound", (*Tenant).OutboundConnector, &ts.OutboundConnectors, func(c *connector.Outbound) { c.Enabled = connector.False })
		}})
	}
	return found
}

// declareDisabled declares in the tenant a disabled copy of the connector
// Build generates under that name.
func declareDisabled[C any](s *Spec, ts *TenantSpec, name, kind string, get func(*Tenant, string) (C, bool), list *[]C, disable func(*C)) error {
	t, err := buildGenerated(s)
	if err != nil {
		return err
	}
	x, _ := t.Tenant(ts.Name)
	c, ok := get(x, name)
	if !ok {
		return notFound("Build generates no %s connector %q in tenant %q", kind, name, ts.Name)
	}
	c = deepCopy(c)
	disable(&c)
	*list = append(*list, c)
	return nil
}

// sendConnectorTargets returns the organization's Send connectors named
// name: declared, or the one a HybridConfiguration generates.
func sendConnectorTargets(s *Spec, os *OnPremisesSpec, name string) []disableTarget {
	what := fmt.Sprintf("a Send connector of on-premises organization %q", os.Name)
	if i := indexName(os.SendConnectors, func(c connector.Send) string { return c.Name }, name); i >= 0 {
		return []disableTarget{{what, func() error { os.SendConnectors[i].Enabled = connector.False; return nil }}}
	}
	if !hybridGenerates(s, func(h HybridConfiguration) bool {
		return h.OnPremises == os.Name && strings.EqualFold(hybridSendConnector, name)
	}) {
		return nil
	}
	return []disableTarget{{what, func() error {
		t, err := buildGenerated(s)
		if err != nil {
			return err
		}
		o, _ := t.OnPremisesOrg(os.Name)
		for c := range o.SendConnectors() {
			if strings.EqualFold(c.Name, name) {
				c = deepCopy(c)
				c.Enabled = connector.False
				os.SendConnectors = append(os.SendConnectors, c)
				return nil
			}
		}
		return notFound("Build generates no Send connector %q in on-premises organization %q", name, os.Name)
	}}}
}

// receiveConnectorTargets returns the organization's Receive connectors
// named name ("Name" or "Server\Name"): declared, or the "Default
// Frontend <server>" Build gives a server of an organization that declares
// none (then every generated one is declared, that one disabled).
func receiveConnectorTargets(s *Spec, os *OnPremisesSpec, name string) []disableTarget {
	isNamed := func(c connector.Receive) bool {
		return strings.EqualFold(c.Name, name) || strings.EqualFold(c.Server+`\`+c.Name, name)
	}
	var found []disableTarget
	if len(os.ReceiveConnectors) > 0 {
		for i, c := range os.ReceiveConnectors {
			if isNamed(c) {
				what := fmt.Sprintf("a Receive connector of server %q of on-premises organization %q", c.Server, os.Name)
				found = append(found, disableTarget{what, func() error { os.ReceiveConnectors[i].Enabled = connector.False; return nil }})
			}
		}
		return found
	}
	for _, sv := range os.Servers {
		if !isNamed(connector.Receive{Name: "Default Frontend " + sv.Name, Server: sv.Name}) {
			continue
		}
		what := fmt.Sprintf("a Receive connector of server %q of on-premises organization %q", sv.Name, os.Name)
		found = append(found, disableTarget{what, func() error {
			t, err := buildGenerated(s)
			if err != nil {
				return err
			}
			o, _ := t.OnPremisesOrg(os.Name)
			for c := range o.ReceiveConnectors() {
				c = deepCopy(c)
				if strings.EqualFold(c.Server, sv.Name) && isNamed(c) {
					c.Enabled = connector.False
				}
				os.ReceiveConnectors = append(os.ReceiveConnectors, c)
			}
			return nil
		}})
	}
	return found
}

// AddOutboundConnector adds c to the outbound connectors of tenant
// (New-OutboundConnector). A connector named as one the Hybrid
// Configuration Wizard generates replaces the wizard's.
func AddOutboundConnector(tenant string, c connector.Outbound) Change {
	c = deepCopy(c)
	return Change{desc: fmt.Sprintf("New-OutboundConnector %q", c.Name), apply: func(s *Spec) error {
		ts, err := findTenantSpec(s, tenant)
		if err != nil {
			return err
		}
		if indexName(ts.OutboundConnectors, func(c connector.Outbound) string { return c.Name }, c.Name) >= 0 {
			return &objectError{ErrExists, fmt.Sprintf("tenant %q already has an outbound connector %q", ts.Name, c.Name)}
		}
		ts.OutboundConnectors = append(ts.OutboundConnectors, deepCopy(c))
		return nil
	}}
}

// AddInboundConnector adds c to the inbound connectors of tenant
// (New-InboundConnector). A connector named as one the Hybrid
// Configuration Wizard generates replaces the wizard's.
func AddInboundConnector(tenant string, c connector.Inbound) Change {
	c = deepCopy(c)
	return Change{desc: fmt.Sprintf("New-InboundConnector %q", c.Name), apply: func(s *Spec) error {
		ts, err := findTenantSpec(s, tenant)
		if err != nil {
			return err
		}
		if indexName(ts.InboundConnectors, func(c connector.Inbound) string { return c.Name }, c.Name) >= 0 {
			return &objectError{ErrExists, fmt.Sprintf("tenant %q already has an inbound connector %q", ts.Name, c.Name)}
		}
		ts.InboundConnectors = append(ts.InboundConnectors, deepCopy(c))
		return nil
	}}
}

// AddSendConnector adds c to the Send connectors of the on-premises
// organization org (New-SendConnector). A connector named as one the
// Hybrid Configuration Wizard generates replaces the wizard's.
func AddSendConnector(org string, c connector.Send) Change {
	c = deepCopy(c)
	return Change{desc: fmt.Sprintf("New-SendConnector %q", c.Name), apply: func(s *Spec) error {
		os, err := findOnPremisesSpec(s, org)
		if err != nil {
			return err
		}
		if indexName(os.SendConnectors, func(c connector.Send) string { return c.Name }, c.Name) >= 0 {
			return &objectError{ErrExists, fmt.Sprintf("on-premises organization %q already has a Send connector %q", os.Name, c.Name)}
		}
		os.SendConnectors = append(os.SendConnectors, deepCopy(c))
		return nil
	}}
}

// DisableRule sets the State of the transport rule named name of org to
// Disabled (Disable-TransportRule).
func DisableRule(org, name string) Change {
	return Change{desc: fmt.Sprintf("Disable-TransportRule %q", name), apply: func(s *Spec) error {
		tenants, onprems, err := findOrgs(s, org)
		if err != nil {
			return err
		}
		var rules []*TransportRule
		var what []string
		for _, ts := range tenants {
			if i := indexName(ts.TransportRules, func(r TransportRule) string { return r.Name }, name); i >= 0 {
				rules = append(rules, &ts.TransportRules[i])
				what = append(what, fmt.Sprintf("a rule of tenant %q", ts.Name))
			}
		}
		for _, os := range onprems {
			if i := indexName(os.TransportRules, func(r TransportRule) string { return r.Name }, name); i >= 0 {
				rules = append(rules, &os.TransportRules[i])
				what = append(what, fmt.Sprintf("a rule of on-premises organization %q", os.Name))
			}
		}
		switch len(rules) {
		case 0:
			return notFound("no transport rule %q in %s", name, orgPhrase(tenants, onprems))
		case 1:
			rules[0].State = "Disabled"
			return nil
		}
		return &objectError{ErrAmbiguous, fmt.Sprintf("%q names %s", name, strings.Join(what, " and "))}
	}}
}

// AddTransportRule adds r to the transport rules of org
// (New-TransportRule). Its Priority is kept; [Build] reports a priority
// another rule has.
func AddTransportRule(org string, r TransportRule) Change {
	r = deepCopy(r)
	return Change{desc: fmt.Sprintf("New-TransportRule %q", r.Name), apply: func(s *Spec) error {
		tenants, onprems, err := findOrgs(s, org)
		if err != nil {
			return err
		}
		if len(tenants)+len(onprems) > 1 {
			return &objectError{ErrAmbiguous, fmt.Sprintf("%q names a tenant and an on-premises organization; write tenant:%s or onprem:%s", org, org, org)}
		}
		var rules *[]TransportRule
		var desc string
		if len(tenants) == 1 {
			rules, desc = &tenants[0].TransportRules, fmt.Sprintf("tenant %q", tenants[0].Name)
		} else {
			rules, desc = &onprems[0].TransportRules, fmt.Sprintf("on-premises organization %q", onprems[0].Name)
		}
		if indexName(*rules, func(r TransportRule) string { return r.Name }, r.Name) >= 0 {
			return &objectError{ErrExists, fmt.Sprintf("%s already has a transport rule %q", desc, r.Name)}
		}
		*rules = append(*rules, deepCopy(r))
		return nil
	}}
}

// TakeServerDown marks the named server of the on-premises organization
// org Offline: it refuses connections.
func TakeServerDown(org, server string) Change {
	return Change{desc: fmt.Sprintf("server %s of %s offline", server, org), apply: func(s *Spec) error {
		os, err := findOnPremisesSpec(s, org)
		if err != nil {
			return err
		}
		i := indexName(os.Servers, func(sv ServerSpec) string { return sv.Name }, server)
		if i < 0 {
			return notFound("no server %q in on-premises organization %q", server, os.Name)
		}
		os.Servers[i].Offline = true
		return nil
	}}
}

// TakeHostDown marks the external system ([ExternalSpec]) named name
// Offline: it refuses connections.
func TakeHostDown(name string) Change {
	return Change{desc: fmt.Sprintf("external system %s offline", name), apply: func(s *Spec) error {
		for i := range s.External {
			if s.External[i].Name == name {
				s.External[i].Offline = true
				return nil
			}
		}
		return notFound("no external system %q", name)
	}}
}

// indexName returns the index of the element of list named name, ignoring
// case, or -1.
func indexName[T any](list []T, nameOf func(T) string, name string) int {
	return slices.IndexFunc(list, func(v T) bool { return strings.EqualFold(nameOf(v), name) })
}

func findTenantSpec(s *Spec, name string) (*TenantSpec, error) {
	name = strings.TrimPrefix(name, "tenant:")
	if i := indexName(s.Tenants, func(x TenantSpec) string { return x.Name }, name); i >= 0 {
		return &s.Tenants[i], nil
	}
	return nil, notFound("no tenant %q", name)
}

func findOnPremisesSpec(s *Spec, name string) (*OnPremisesSpec, error) {
	name = strings.TrimPrefix(name, "onprem:")
	if i := slices.IndexFunc(s.OnPremises, func(o OnPremisesSpec) bool { return o.Name == name }); i >= 0 {
		return &s.OnPremises[i], nil
	}
	return nil, notFound("no on-premises organization %q", name)
}

// findOrgs returns the tenant and the on-premises organization that org
// names, at most one of each; "tenant:" and "onprem:" restrict it to one.
func findOrgs(s *Spec, org string) ([]*TenantSpec, []*OnPremisesSpec, error) {
	var tenants []*TenantSpec
	var onprems []*OnPremisesSpec
	if !strings.HasPrefix(org, "onprem:") {
		if ts, err := findTenantSpec(s, org); err == nil {
			tenants = append(tenants, ts)
		}
	}
	if !strings.HasPrefix(org, "tenant:") {
		if os, err := findOnPremisesSpec(s, org); err == nil {
			onprems = append(onprems, os)
		}
	}
	if len(tenants)+len(onprems) == 0 {
		switch {
		case strings.HasPrefix(org, "tenant:"):
			return nil, nil, notFound("no tenant %q", strings.TrimPrefix(org, "tenant:"))
		case strings.HasPrefix(org, "onprem:"):
			return nil, nil, notFound("no on-premises organization %q", strings.TrimPrefix(org, "onprem:"))
		}
		return nil, nil, notFound("no tenant or on-premises organization %q", org)
	}
	return tenants, onprems, nil
}

func orgPhrase(tenants []*TenantSpec, onprems []*OnPremisesSpec) string {
	var p []string
	for _, ts := range tenants {
		p = append(p, fmt.Sprintf("tenant %q", ts.Name))
	}
	for _, os := range onprems {
		p = append(p, fmt.Sprintf("on-premises organization %q", os.Name))
	}
	return strings.Join(p, " or ")
}

// hybridSendConnector is the name of the Send connector the Hybrid
// Configuration Wizard creates on-premises.
const hybridSendConnector = "Outbound to Office 365"

// hybridGenerates reports whether match is true for a HybridConfiguration
// of s, that is, whether Build generates the connector match describes.
func hybridGenerates(s *Spec, match func(HybridConfiguration) bool) bool {
	return slices.ContainsFunc(s.Hybrid, match)
}

// buildGenerated builds s to read the connectors Build generates.
func buildGenerated(s *Spec) (*Topology, error) {
	t, err := Build(*s)
	if err != nil {
		return nil, fmt.Errorf("reading the connectors Build generates: %w", err)
	}
	return t, nil
}
