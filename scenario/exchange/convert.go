package exchange

import (
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/fields"
	"github.com/mailflowsim/mailflow/topology"
)

var optBoolType = reflect.TypeFor[connector.OptBool]()

// impDiag is a diagnostic before deduplication.
type impDiag struct {
	file    string
	index   int
	path    string // without the property
	prop    string
	message string
	value   string // the rendered value, shown after the message; "" for none
}

// impItem is a converted object waiting to be placed.
type impItem struct {
	rec    *impRecord
	kind   impKind
	tenant bool   // Exchange Online side
	sure   bool   // the side is known rather than defaulted
	org    string // on-premises organization from the DN, raw
	val    any
}

// The properties understood but without effect on routing, skipped
// silently: identity and bookkeeping for every kind, then per kind. A
// property that can change routing and is not modelled is not here: it is
// in impUnmodelled and reported.
var impSkipAll = impSet("Guid Identity DistinguishedName WhenChanged WhenCreated WhenChangedUTC WhenCreatedUTC " +
	"ObjectClass ObjectCategory OrganizationId ExchangeVersion Id OriginatingServer IsValid ObjectState " +
	"AdminDisplayName PSComputerName PSShowComputerName RunspaceId ExchangeObjectId OrganizationalUnitRoot " +
	// SerializationData is the .NET serialization of the whole object, a
	// copy of the properties beside it.
	"SerializationData")

var impSkip = map[impKind]map[string]bool{
	// SmartHostsString repeats SmartHosts; SourceRoutingGroup, HomeMTA
	// and HomeMtaServerId are Exchange 2003 interoperability objects;
	// AuthenticationCredential matters only with SmartHostAuthMechanism,
	// which is reported.
	impSend: impSet("ConnectionInactivityTimeOut ProtocolLoggingLevel SmtpMaxMessagesPerConnection SmartHostsString " +
		"IsSmtpConnector SourceRoutingGroup HomeMTA HomeMtaServerId AuthenticationCredential"),
	// SMTP extensions, banners, authentication protocols, time-outs and
	// throttling: they change how a session goes, not where mail goes.
	impReceive: impSet("Banner BinaryMimeEnabled ChunkingEnabled DeliveryStatusNotificationEnabled EightBitMimeEnabled " +
		"SmtpUtf8Enabled EnhancedStatusCodesEnabled PipeliningEnabled LongAddressesEnabled SuppressXAnonymousTls " +
		"ProxyEnabled AdvertiseClientSettings ServiceDiscoveryFqdn ConnectionTimeout ConnectionInactivityTimeout " +
		"MessageRateLimit MessageRateSource MaxInboundConnection MaxInboundConnectionPerSource " +
		"MaxInboundConnectionPercentagePerSource MaxLogonFailures MaxProtocolErrors EnableAuthGSSAPI " +
		"ExtendedProtectionPolicy LiveCredentialEnabled SizeEnabled TarpitInterval AuthTarpitInterval " +
		"MaxAcknowledgementDelay ProtocolLoggingLevel"),
	// Federation, provisioning and address book flags; InitialDomain only
	// helps name the tenant.
	impAccepted: impSet("Name Default EmailOnly ExternallyManaged AuthenticationType LiveIdInstanceType PendingRemoval " +
		"PendingCompletion FederatedOrganizationLink PendingFederatedAccountNamespace PendingFederatedDomain " +
		"IsCoexistenceDomain PerimeterDuplicateDetected IsDefaultFederatedDomain EnableNego2Authentication InitialDomain"),
	// ClientAccessServers serve free/busy and the like, not mail.
	impHybrid: impSet("Name ClientAccessServers ServiceInstance"),
	// Reserved or undocumented, without effect (New-InboundConnector).
	impInbound: impSet("EFSkipMailGateway EFTestMode ScanAndDropRecipients ClientHostNames"),
	// No routing effect (New-OutboundConnector).
	impOutbound: impSet("TestMode ValidationRecipients IsValidated LastValidationTimestamp LinkForModifiedConnector"),
	impRecipient: impSet("Alias DisplayName SamAccountName UserPrincipalName Database FirstName LastName Initials " +
		"WindowsEmailAddress WindowsLiveID MicrosoftOnlineServicesID ExchangeGuid ArchiveGuid LegacyExchangeDN " +
		"HiddenFromAddressListsEnabled OrganizationalUnit IsDirSynced RecipientType ExternalDirectoryObjectId"),
	impRule:       impSet("Description RuleVersion ImmutableId Size"),
	impConnFilter: impSet("Name IsDefault"),
}

// impUnmodelled are Exchange properties that can change routing but that
// the simulator does not model: they are reported.
var impUnmodelled = map[impKind]map[string]bool{
	impSend: impSet("ErrorPolicies Port ForceHELO FrontendProxyEnabled IgnoreSTARTTLS RequireOorg SmartHostAuthMechanism " +
		"UseExternalDNSServersEnabled DomainSecureEnabled SourceIPAddress ConnectorType CertificateSubject Region " +
		"ConnectedDomains IsScopedConnector LinkedReceiveConnector"),
	impReceive: impSet("DefaultDomain BareLinefeedRejectionEnabled DomainSecureEnabled OrarEnabled TlsCertificateName " +
		"MaxHeaderSize MaxMessageSize MaxRecipientsPerMessage RejectReservedTopLevelRecipientDomains " +
		"RejectReservedSecondLevelRecipientDomains RejectSingleLabelRecipientDomains AcceptConsumerMail RequireEHLODomain"),
	impAccepted: impSet("CatchAllRecipientID MatchSubDomains AddressBookEnabled MailFlowPartner OutboundOnly " +
		"SendingFromDomainDisabled SendingToDomainDisabled"),
	impHybrid:   impSet("EdgeTransportServers ExternalIPAddresses"),
	impInbound:  impSet("TrustedOrganizations"),
	impOutbound: impSet("SenderRewritingEnabled MtaStsMode SmtpDaneMode"),
	impRecipient: impSet("ForwardingAddress AcceptMessagesOnlyFrom AcceptMessagesOnlyFromDLMembers " +
		"AcceptMessagesOnlyFromSendersOrMembers RejectMessagesFrom RejectMessagesFromDLMembers " +
		"RejectMessagesFromSendersOrMembers MaxReceiveSize MaxSendSize RecipientLimits ModerationEnabled ModeratedBy"),
}

func impSet(names string) map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(names) {
		m[strings.ToLower(n)] = true
	}
	return m
}

// The enums, by number: New-SendConnector (TlsAuthLevel), Set-AcceptedDomain
// (DomainType), New-InboundConnector (ConnectorType, ConnectorSource),
// New-ReceiveConnector (TransportRole), Get-Recipient (RecipientTypeDetails);
// the numbers are those of the Microsoft.Exchange.Data enums.
var (
	impTlsAuthLevel    = map[int64]string{1: "EncryptionOnly", 2: "CertificateValidation", 4: "DomainValidation"}
	impDomainType      = map[int64]string{0: "Authoritative", 1: "ExternalRelay", 2: "InternalRelay"}
	impConnectorType   = map[int64]string{1: "OnPremises", 2: "Partner"}
	impConnectorSource = map[int64]string{0: "Default", 1: "Migrated", 2: "HybridWizard"}
	impServerRole      = map[int64]string{32: "HubTransport", 16384: "FrontendTransport"}
	impRecipientTypes  = map[int64]string{1: "UserMailbox", 4: "SharedMailbox", 16: "RoomMailbox", 32: "EquipmentMailbox",
		64: "MailContact", 128: "MailUser", 256: "MailUniversalDistributionGroup", 2147483648: "RemoteUserMailbox"}
	impPermissionGroups = []string{"AnonymousUsers", "ExchangeUsers", "ExchangeServers", "ExchangeLegacyServers", "Partners", "Custom"}
	impAuthMechanisms   = []string{"Tls", "Integrated", "BasicAuth", "BasicAuthRequireTLS", "ExchangeServer", "ExternalAuthoritative"}
)

// impRecipientAs maps the recipient types routing treats alike.
var impRecipientAs = map[string]topology.RecipientTypeDetails{
	"UserMailbox": topology.UserMailbox, "SharedMailbox": topology.UserMailbox, "RoomMailbox": topology.UserMailbox,
	"EquipmentMailbox": topology.UserMailbox, "LinkedMailbox": topology.UserMailbox, "SchedulingMailbox": topology.UserMailbox,
	"RemoteUserMailbox": topology.RemoteUserMailbox, "RemoteSharedMailbox": topology.RemoteUserMailbox,
	"RemoteRoomMailbox": topology.RemoteUserMailbox, "RemoteEquipmentMailbox": topology.RemoteUserMailbox,
	"MailUser": topology.MailUser, "GuestMailUser": topology.MailUser, "MailContact": topology.MailContact,
	"MailUniversalDistributionGroup": topology.MailUniversalDistributionGroup,
}

// impConv converts one record, tracking which properties it used.
type impConv struct {
	rec   *impRecord
	used  map[string]bool
	diags *[]impDiag
}

func (c *impConv) take(name string) (impVal, bool) {
	v, ok := c.rec.get(name)
	if ok {
		c.used[strings.ToLower(name)] = true
	}
	return v, ok
}

func (c *impConv) diag(prop, message string, v impVal) {
	*c.diags = append(*c.diags, impDiag{file: c.rec.file, index: c.rec.index, path: c.rec.path(), prop: prop,
		message: message, value: v.render()})
}

func (c *impConv) bad(prop string, v impVal, what string) {
	*c.diags = append(*c.diags, impDiag{file: c.rec.file, index: c.rec.index, path: c.rec.path(), prop: prop,
		message: fmt.Sprintf("not imported: %s is not %s", v.render(), what)})
}

// enum reads an enum property by name or number.
func (c *impConv) enum(prop string, table map[int64]string) (string, bool) {
	v, ok := c.take(prop)
	if !ok || v.k == impNull {
		return "", false
	}
	if v.k == impObj && v.text != "" || v.k == impStr {
		for _, name := range table {
			if strings.EqualFold(name, v.text) {
				return name, true
			}
		}
	} else if n, ok := v.integer(); ok && n >= 0 {
		if name, ok := table[n]; ok {
			return name, true
		}
	}
	if v.empty() {
		return "", false
	}
	names := make([]string, 0, len(table))
	for _, n := range table {
		names = append(names, n)
	}
	slices.Sort(names)
	c.bad(prop, v, "one of "+strings.Join(names, ", ")+" or their numbers")
	return "", false
}

// flags reads a flags enum: "A, B", a list of names, or a number.
func (c *impConv) flags(prop string, bits []string) []string {
	v, ok := c.take(prop)
	if !ok || v.k == impNull {
		return nil
	}
	var names []string
	if v.k == impNum || v.k == impObj && v.text == "" && v.hasNum {
		if v.num < 0 || v.num >= 1<<len(bits) {
			c.bad(prop, v, "a combination of "+strings.Join(bits, ", "))
			return nil
		}
		for i, b := range bits {
			if v.num&(1<<i) != 0 {
				names = append(names, b)
			}
		}
		return names
	}
	list, ok := v.strs()
	if !ok {
		c.bad(prop, v, "a list of names")
		return nil
	}
	for _, s := range list {
		for _, part := range strings.Split(s, ",") {
			part = strings.TrimSpace(part)
			if part == "" || strings.EqualFold(part, "None") {
				continue
			}
			i := slices.IndexFunc(bits, func(b string) bool { return strings.EqualFold(b, part) })
			if i < 0 {
				c.bad(prop, v, "a combination of "+strings.Join(bits, ", "))
				return nil
			}
			names = append(names, bits[i])
		}
	}
	return names
}

// list reads a multi-valued property of strings, applying fix to each
// entry; entries fix refuses are reported and dropped.
func (c *impConv) list(prop string, fix func(string) (string, bool), what string) []string {
	v, ok := c.take(prop)
	if !ok {
		return nil
	}
	list, ok := v.strs()
	if !ok {
		c.bad(prop, v, "a list of strings")
		return nil
	}
	var out []string
	for _, s := range list {
		f, ok := fix(s)
		if !ok {
			e := impVal{k: impStr, text: s}
			c.bad(prop, e, what)
			continue
		}
		out = append(out, f)
	}
	return out
}

// impDomain strips the "smtp:" prefix and ";N" cost of a domain entry.
func impDomain(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ':'); i >= 0 {
		if !strings.EqualFold(s[:i], "smtp") {
			return "", false
		}
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ';'); i >= 0 {
		if _, err := strconv.Atoi(s[i+1:]); err == nil {
			s = s[:i]
		}
	}
	s = strings.TrimSpace(s)
	return s, s != ""
}

// impHost strips the brackets of an IP smart host: "[192.0.2.1]".
func impHost(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if _, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			s = s[1 : len(s)-1]
		}
	}
	return s, s != ""
}

func impKeep(s string) (string, bool) { s = strings.TrimSpace(s); return s, s != "" }

// rest converts the properties no special rule took: into target's
// field of the same name (ignoring case) when there is one, else skipped
// or reported.
func (c *impConv) rest(kind impKind, target reflect.Value) {
	for _, p := range c.rec.props {
		key := strings.ToLower(p.name)
		if c.used[key] {
			continue
		}
		c.used[key] = true
		if target.IsValid() && impSetField(c, target, p.name, p.v) {
			continue
		}
		switch {
		case impSkipAll[key] || impSkip[kind][key]:
		case p.v.empty():
			// null or empty: no setting to lose
		case impUnmodelled[kind][key]:
			c.diag(p.name, "not imported: not modelled by the simulator", p.v)
		default:
			c.diag(p.name, "not imported: unknown property", p.v)
		}
	}
}

// impSetField sets the field named prop from v and reports whether the
// target has such a field of a type it can set; values of the wrong type
// are reported.
func impSetField(c *impConv, target reflect.Value, prop string, v impVal) bool {
	f, ok := fields.Field(target, prop)
	if !ok {
		return false
	}
	k := f.Kind()
	scalar := f.Type() == optBoolType || k == reflect.String || k == reflect.Bool || k == reflect.Int ||
		k == reflect.Pointer && f.Type().Elem().Kind() == reflect.Int
	if scalar && v.k == impNull {
		return true // null carries no setting: the field stays unset
	}
	switch {
	case f.Type() == optBoolType:
		if b, ok := v.boolean(); ok {
			f.Set(reflect.ValueOf(connector.OptBoolOf(b)))
		} else {
			c.bad(prop, v, "true, false or null")
		}
	case f.Kind() == reflect.String:
		if s, ok := v.str(); ok || v.empty() {
			f.SetString(s)
		} else {
			c.bad(prop, v, "a string")
		}
	case f.Kind() == reflect.Bool:
		if b, ok := v.boolean(); ok {
			f.SetBool(b)
		} else {
			c.bad(prop, v, "true or false")
		}
	case f.Kind() == reflect.Int:
		if n, ok := v.integer(); ok {
			f.SetInt(n)
		} else {
			c.bad(prop, v, "a whole number")
		}
	case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Int:
		if n, ok := v.integer(); ok {
			p := reflect.New(f.Type().Elem())
			p.Elem().SetInt(n)
			f.Set(p)
		} else {
			c.bad(prop, v, "a whole number")
		}
	case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
		list, ok := v.strs()
		if !ok {
			c.bad(prop, v, "a list of strings")
			return true
		}
		s := reflect.MakeSlice(f.Type(), len(list), len(list))
		for i, e := range list {
			s.Index(i).SetString(e)
		}
		if len(list) > 0 {
			f.Set(s)
		}
	default:
		return false
	}
	return true
}

// convert turns a record into an impItem; diagnostics go to diags.
func impConvert(kind impKind, r *impRecord, diags *[]impDiag) impItem {
	c := &impConv{rec: r, used: map[string]bool{}, diags: diags}
	it := impItem{rec: r, kind: kind}
	switch kind {
	case impSend:
		var s connector.Send
		s.AddressSpaces = c.list("AddressSpaces", impKeep, "an address space")
		s.SmartHosts = c.list("SmartHosts", impHost, "a host")
		level, _ := c.enum("TlsAuthLevel", impTlsAuthLevel)
		s.TlsAuthLevel = connector.TlsAuthLevel(level)
		c.rest(kind, reflect.ValueOf(&s).Elem())
		it.val = s
	case impReceive:
		var rc connector.Receive
		rc.Bindings = c.list("Bindings", func(s string) (string, bool) {
			s = strings.TrimSpace(s)
			_, err := netip.ParseAddrPort(s)
			return s, err == nil
		}, "IP:port")
		rc.RemoteIPRanges = c.list("RemoteIPRanges", func(s string) (string, bool) {
			s = strings.TrimSpace(s)
			_, err := connector.ParseIPRange(s)
			return s, err == nil
		}, "an IP address, range or CIDR")
		rc.PermissionGroups = c.flags("PermissionGroups", impPermissionGroups)
		rc.AuthMechanism = c.flags("AuthMechanism", impAuthMechanisms)
		rc.TransportRole, _ = c.enum("TransportRole", impServerRole)
		c.rest(kind, reflect.ValueOf(&rc).Elem())
		it.val = rc
	case impAccepted:
		var a topology.AcceptedDomain
		if v, ok := c.take("DomainName"); ok {
			d, _ := v.str()
			d = strings.TrimSpace(d)
			switch {
			case strings.HasPrefix(d, "*"):
				c.diag("DomainName", "not imported: wildcard accepted domains are not modelled", v)
			case d == "":
				c.bad("DomainName", v, "a domain")
			default:
				a.DomainName = d
			}
		}
		t, _ := c.enum("DomainType", impDomainType)
		a.DomainType = topology.DomainType(t)
		c.rest(kind, reflect.Value{})
		if a.DomainName == "" {
			return impItem{}
		}
		it.val = a
	case impHybrid:
		var h topology.HybridConfiguration
		h.Domains = c.list("Domains", func(s string) (string, bool) {
			s = strings.TrimSpace(s)
			if len(s) > 6 && strings.EqualFold(s[:6], "autod:") {
				s = s[6:] // the Autodiscover domain is a hybrid domain too
			}
			return s, s != ""
		}, "a domain")
		h.Features = c.list("Features", impKeep, "a feature")
		c.take("Tenant")
		c.take("OnPremises")
		c.rest(kind, reflect.ValueOf(&h).Elem())
		it.val = h
	case impInbound:
		var in connector.Inbound
		t, _ := c.enum("ConnectorType", impConnectorType)
		in.ConnectorType = connector.Type(t)
		in.SenderDomains = c.list("SenderDomains", impDomain, "an SMTP domain")
		in.AssociatedAcceptedDomains = c.list("AssociatedAcceptedDomains", impDomain, "an SMTP domain")
		src, _ := c.enum("ConnectorSource", impConnectorSource)
		in.ConnectorSource = connector.Source(src)
		if v, ok := c.take("TlsSenderCertificateName"); ok && !v.empty() {
			s, _ := v.str()
			if strings.Contains(s, "<S>") {
				s = (&connector.Send{TlsCertificateName: s}).CertificateName()
			}
			in.TlsSenderCertificateName = strings.TrimSpace(s)
		}
		c.rest(kind, reflect.ValueOf(&in).Elem())
		it.val = in
	case impOutbound:
		var out connector.Outbound
		t, _ := c.enum("ConnectorType", impConnectorType)
		out.ConnectorType = connector.Type(t)
		out.RecipientDomains = c.list("RecipientDomains", impDomain, "an SMTP domain")
		out.SmartHosts = c.list("SmartHosts", impHost, "a host")
		tls, _ := c.enum("TlsSettings", impTlsAuthLevel)
		out.TlsSettings = connector.TlsSettings(tls)
		src, _ := c.enum("ConnectorSource", impConnectorSource)
		out.ConnectorSource = connector.Source(src)
		c.rest(kind, reflect.ValueOf(&out).Elem())
		it.val = out
	case impRule:
		var tr topology.TransportRule
		c.rest(kind, reflect.ValueOf(&tr).Elem())
		it.val = tr
	case impConnFilter:
		var p topology.ConnectionFilterPolicy
		c.rest(kind, reflect.ValueOf(&p).Elem())
		it.val = p
	case impRecipient:
		var rc topology.Recipient
		if t, ok := c.enum("RecipientTypeDetails", impRecipientNames); ok {
			v, _ := c.rec.get("RecipientTypeDetails")
			as, known := impRecipientAs[t]
			switch {
			case !known:
				c.diag("RecipientTypeDetails", fmt.Sprintf("not imported: recipient type %s is not modelled", t), v)
			case string(as) != t:
				c.diag("RecipientTypeDetails", fmt.Sprintf("imported as %s: routing treats a %s alike", as, t), v)
			}
			rc.RecipientTypeDetails = as
		}
		if v, ok := c.take("ServerName"); ok {
			rc.Server, _ = v.str()
		}
		c.rest(kind, reflect.ValueOf(&rc).Elem())
		it.val = rc
	}
	return it
}

// impRecipientNames is the recipient type table with every name the
// importer knows, numbered or not (names without a known number get
// negative keys, which no export carries).
var impRecipientNames = func() map[int64]string {
	m := maps.Clone(impRecipientTypes)
	var extra []string
	for s := range impRecipientAs {
		if !slices.Contains(slices.Collect(maps.Values(impRecipientTypes)), s) {
			extra = append(extra, s)
		}
	}
	slices.Sort(extra)
	for i, s := range extra {
		m[int64(-1-i)] = s
	}
	return m
}()
