package scenario

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/netip"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/clixml"
	"github.com/mailflowsim/mailflow/topology"
)

// ImportFS imports the Exchange configuration exports at the root of fsys:
// every regular file whose name ends in ".xml" or ".json" (any case), in
// name order, each read as [Import] reads one. Objects of all the files
// make one [File]: see [Import] for what goes where. Files that cannot be
// read or are not exports make a *[LoadError] listing every such file.
func ImportFS(fsys fs.FS) (*File, []LoadProblem, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, nil, err
	}
	var files []impFile
	var errs []LoadProblem
	for _, e := range entries { // fs.ReadDir sorts by name
		ext := strings.ToLower(path.Ext(e.Name()))
		if !e.Type().IsRegular() || ext != ".xml" && ext != ".json" {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			errs = append(errs, LoadProblem{Path: e.Name(), Message: err.Error()})
			continue
		}
		f, err := impParse(e.Name(), data)
		if err != nil {
			errs = append(errs, LoadProblem{Path: e.Name(), Message: err.Error()})
			continue
		}
		files = append(files, f)
	}
	if len(errs) > 0 {
		return nil, nil, &LoadError{Problems: errs}
	}
	file, problems := impAssemble(files)
	return file, problems, nil
}

// Import imports one Exchange configuration export, named name, into a
// [File]. The export is what Export-Clixml writes (a document starting
// with "<Objs") or what "Get-X | ConvertTo-Json -Depth 5" writes (an
// object or an array of objects), of Get-AcceptedDomain,
// Get-SendConnector, Get-ReceiveConnector, Get-HybridConfiguration,
// Get-Mailbox, Get-RemoteMailbox and Get-MailUser on-premises, and of
// Get-InboundConnector, Get-OutboundConnector, Get-TransportRule,
// Get-HostedConnectionFilterPolicy, Get-AcceptedDomain, Get-Mailbox and
// Get-MailUser in Exchange Online.
//
// # Which cmdlet wrote an object
//
// By its CLIXML type names ("…SmtpSendConnectorConfig", with or without
// "Deserialized."); else by the file name ("GetSendConnector.json",
// "Get-SendConnector.xml", "SendConnector.json", possibly followed by more
// words); else by its properties (AddressSpaces: a Send connector;
// Bindings and RemoteIPRanges: a Receive connector; SenderDomains and
// ConnectorType: inbound; RecipientDomains and UseMXRecord: outbound;
// DomainType: an accepted domain; RecipientTypeDetails: a recipient;
// OnPremisesSmartHost: a hybrid configuration; IPAllowList or IPBlockList:
// the connection filter policy; Priority with State or Mode: a transport
// rule).
//
// # Where it goes
//
// Send and Receive connectors and hybrid configurations are on-premises;
// inbound and outbound connectors and the connection filter policy are
// Exchange Online's. Accepted domains, recipients and transport rules go
// to Exchange Online when their OrganizationId or DistinguishedName names
// a hosted organization ("….onmicrosoft.com", "OU=Microsoft Exchange
// Hosted Organizations") or, for a domain, when it is a
// "*.onmicrosoft.com" domain other than a coexistence domain; on-premises
// when the DistinguishedName is in "CN=Microsoft Exchange,CN=Services";
// otherwise on-premises, unless the import holds Exchange Online objects
// only.
//
// On-premises objects are grouped into organizations named by the
// DistinguishedName (theirs, or of a server they name):
// "CN=First Organization,CN=Microsoft Exchange,…" gives "First-Organization"
// (characters topology names do not allow become "-"). Objects without
// one join the only organization named, or else one named "onpremises"
// (with a diagnostic). An organization's servers are those its objects
// name (SourceTransportServers, a Receive connector's Server, a hybrid
// configuration's transport servers, a mailbox's ServerName), sorted by
// name; a server's Fqdn is the Fqdn of one of its Receive connectors that
// starts with the server's name, else its name in the Active Directory
// domain of its DistinguishedName (with a diagnostic), else empty (with a
// diagnostic). A hybrid configuration's OnPremisesSmartHost becomes a host
// name of the first of its ReceivingTransportServers. All Exchange Online
// objects form one tenant, named by an "<name>.onmicrosoft.com" domain
// found in the export (a tenant's accepted domain or OrganizationId, or a
// "<name>.mail.onmicrosoft.com" address space or routing address); the
// hybrid configuration names it as its Tenant.
//
// # Values
//
// An absent or null property leaves its field unset: [connector.Unset]
// for optional Booleans, the zero value otherwise; nothing is invented.
// Enums are read by name or by number; flags ("Tls, Integrated") become
// lists. Multi-valued properties may be a single value. Domain lists lose
// their "smtp:" prefix and ";1" suffix (SenderDomains "smtp:*;1" is "*"),
// except AddressSpaces, whose type and cost Send connectors use. IP
// smart hosts lose their brackets.
//
// # Diagnostics
//
// The problems returned are diagnostics, not errors: the File is usable.
// Every property that is neither imported nor in the table of properties
// known not to change routing (identity, timestamps, protocol extensions,
// throttling and the like) is reported: "not modelled by the simulator"
// for known Exchange properties that can change routing, "unknown
// property" for the rest. A property whose value is null, empty or an
// empty list carries no setting and is not reported. Values that cannot
// be read, objects of unknown cmdlets, wildcard accepted domains and names
// the importer had to derive or could not find are reported too. Paths
// are `File[index]("Name").Property`. Diagnostics with the same file,
// property and message (so the same value) are reported once, at the
// first object, listing the other objects' indexes.
//
// # Order
//
// Objects keep their order: files in the order given, objects in
// document order. OnPremises are sorted by name, with their Servers
// sorted by name; there is at most one tenant. Diagnostics come in file
// and object order (within an object, the properties read specially
// first, then the others in document order), followed by those about the
// tenant and the organizations, in name order.
//
// Malformed XML or JSON, or a file that is not an export (not CLIXML or
// JSON objects, or objects none of which comes from a supported cmdlet),
// give a *[LoadError] naming the file and the position; Import never
// panics.
func Import(name string, data []byte) (*File, []LoadProblem, error) {
	f, err := impParse(name, data)
	if err != nil {
		return nil, nil, &LoadError{Problems: []LoadProblem{{Path: name, Message: err.Error()}}}
	}
	file, problems := impAssemble([]impFile{f})
	return file, problems, nil
}

// impKind is the cmdlet an object comes from.
type impKind uint8

const (
	impUnknown impKind = iota
	impAccepted
	impSend
	impReceive
	impHybrid
	impRecipient
	impInbound
	impOutbound
	impRule
	impConnFilter
)

// impCmdlets maps the nouns of file names (lower case, no "Get", no
// separators) to kinds; the longest matching prefix wins.
var impCmdlets = map[string]impKind{
	"accepteddomain": impAccepted, "sendconnector": impSend, "receiveconnector": impReceive,
	"hybridconfiguration": impHybrid, "remotemailbox": impRecipient, "mailbox": impRecipient,
	"mailuser": impRecipient, "inboundconnector": impInbound, "outboundconnector": impOutbound,
	"transportrule": impRule, "hostedconnectionfilterpolicy": impConnFilter,
}

// impTypes maps the last part of CLIXML type names to kinds.
var impTypes = map[string]impKind{
	"AcceptedDomain": impAccepted, "SmtpSendConnectorConfig": impSend, "ReceiveConnector": impReceive,
	"HybridConfiguration": impHybrid, "Mailbox": impRecipient, "RemoteMailbox": impRecipient,
	"MailUser": impRecipient, "TenantInboundConnector": impInbound, "TenantOutboundConnector": impOutbound,
	"InboundConnector": impInbound, "OutboundConnector": impOutbound, "TransportRule": impRule,
	"HostedConnectionFilterPolicy": impConnFilter,
}

// impFile is one parsed export.
type impFile struct {
	name    string
	kind    impKind // from the file name
	records []*impRecord
}

// impRecord is one exported object, from CLIXML or JSON.
type impRecord struct {
	file  string
	index int
	types []string
	props []impProp
}

type impProp struct {
	name string
	v    impVal
}

type impValKind uint8

const (
	impNull impValKind = iota
	impStr
	impBool
	impNum
	impList
	impObj
)

// impVal is a property value of either format.
type impVal struct {
	k      impValKind
	text   string // impStr, impNum digits, impObj's ToString or text
	b      bool
	num    int64 // impNum, or an enum object's number
	hasNum bool
	list   []impVal
	fields []impProp // impObj's properties
}

func (r *impRecord) get(name string) (impVal, bool) {
	for _, p := range r.props {
		if strings.EqualFold(p.name, name) {
			return p.v, true
		}
	}
	return impVal{}, false
}

func (r *impRecord) text(name string) string {
	v, _ := r.get(name)
	s, _ := v.str()
	return s
}

// name is how diagnostics name the object.
func (r *impRecord) name() string {
	for _, p := range []string{"Name", "Identity", "DisplayName"} {
		if s := r.text(p); s != "" {
			return s
		}
	}
	return ""
}

func (r *impRecord) path() string {
	return fmt.Sprintf("%s[%d](%q)", r.file, r.index, r.name())
}

// empty reports whether v carries no setting: null, "", [] or an object
// with neither text nor properties.
func (v impVal) empty() bool {
	switch v.k {
	case impNull:
		return true
	case impStr:
		return v.text == ""
	case impList:
		for _, e := range v.list {
			if !e.empty() {
				return false
			}
		}
		return true
	case impObj:
		return v.text == "" && len(v.fields) == 0 && !v.hasNum
	}
	return false
}

// str returns the text of a scalar, an object's text, or the only element
// of a list.
func (v impVal) str() (string, bool) {
	switch v.k {
	case impStr, impNum:
		return v.text, true
	case impBool:
		if v.b {
			return "True", true
		}
		return "False", true
	case impObj:
		return v.text, v.text != ""
	case impList:
		if len(v.list) == 1 {
			return v.list[0].str()
		}
	}
	return "", false
}

// strs returns the texts of a list (or of a single value), without empty
// ones; ok is false when an element has no text.
func (v impVal) strs() (out []string, ok bool) {
	switch v.k {
	case impNull:
		return nil, true
	case impList:
		for _, e := range v.list {
			if e.k == impNull {
				continue
			}
			s, ok := e.str()
			if !ok {
				return nil, false
			}
			if s != "" {
				out = append(out, s)
			}
		}
		return out, true
	}
	s, ok := v.str()
	if !ok {
		return nil, false
	}
	if s == "" {
		return nil, true
	}
	return []string{s}, true
}

func (v impVal) boolean() (bool, bool) {
	switch v.k {
	case impBool:
		return v.b, true
	case impStr:
		b, err := strconv.ParseBool(v.text)
		return b, err == nil
	}
	return false, false
}

func (v impVal) integer() (int64, bool) {
	if v.hasNum {
		return v.num, true
	}
	if v.k == impStr {
		n, err := strconv.ParseInt(strings.TrimSpace(v.text), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// render shows v in a diagnostic.
func (v impVal) render() string {
	var s string
	switch v.k {
	case impNull:
		s = "null"
	case impBool:
		s = strconv.FormatBool(v.b)
	case impNum:
		s = v.text
	case impStr:
		s = strconv.Quote(v.text)
	case impObj:
		if v.text != "" {
			s = strconv.Quote(v.text)
		} else {
			s = "{…}"
		}
	case impList:
		parts := make([]string, len(v.list))
		for i, e := range v.list {
			parts[i] = e.render()
		}
		s = "[" + strings.Join(parts, ", ") + "]"
	}
	if len(s) > 80 {
		s = s[:77] + "…"
	}
	return s
}

// impParse reads one export into records.
func impParse(name string, data []byte) (impFile, error) {
	f := impFile{name: name, kind: impKindOfFile(name)}
	data = clixml.UTF8(data) // Out-File writes UTF-16 unless told otherwise
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return f, nil // an export of nothing
	case trimmed[0] == '<':
		vs, err := clixml.Decode(bytes.NewReader(data))
		if err != nil {
			return f, fmt.Errorf("not a CLIXML export: %v", err)
		}
		for i, v := range vs {
			if v.Kind != clixml.Obj {
				return f, fmt.Errorf("not an export of objects: value %d is a %v", i, v.Kind)
			}
			r := &impRecord{file: name, index: i, types: v.Obj.TypeNames}
			for _, p := range v.Obj.Props {
				r.props = append(r.props, impProp{p.Name, impFromCLIXML(p.Value, 0)})
			}
			f.records = append(f.records, r)
		}
	case trimmed[0] == '{' || trimmed[0] == '[':
		v, err := impParseJSON(trimmed)
		if err != nil {
			return f, err
		}
		list := []impVal{v}
		if v.k == impList {
			list = v.list
		}
		for i, e := range list {
			if e.k != impObj {
				return f, fmt.Errorf("not an export of objects: element %d is not a JSON object", i)
			}
			f.records = append(f.records, &impRecord{file: name, index: i, props: e.fields})
		}
	default:
		return f, fmt.Errorf("not an Exchange export: neither CLIXML (<Objs …>) nor JSON")
	}
	if len(f.records) > 0 && !slices.ContainsFunc(f.records, func(r *impRecord) bool { return impKindOf(f, r) != impUnknown }) {
		return f, fmt.Errorf("not an export of a supported cmdlet: no object is an accepted domain, connector, hybrid configuration, recipient, transport rule or connection filter policy")
	}
	return f, nil
}

func impKindOfFile(name string) impKind {
	base := strings.ToLower(strings.TrimSuffix(name, path.Ext(name)))
	base = strings.NewReplacer("-", "", "_", "", " ", "").Replace(base)
	base = strings.TrimPrefix(base, "get")
	best, bestLen := impUnknown, 0
	for noun, k := range impCmdlets {
		if strings.HasPrefix(base, noun) && len(noun) > bestLen {
			best, bestLen = k, len(noun)
		}
	}
	return best
}

// impKindOf decides which cmdlet wrote r: type names, then the file name,
// then the shape.
func impKindOf(f impFile, r *impRecord) impKind {
	for _, t := range r.types {
		t = strings.TrimPrefix(t, "Deserialized.")
		if i := strings.LastIndexByte(t, '.'); i >= 0 {
			t = t[i+1:]
		}
		if k, ok := impTypes[t]; ok {
			return k
		}
	}
	if f.kind != impUnknown {
		return f.kind
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := r.get(n); !ok {
				return false
			}
		}
		return true
	}
	switch {
	case has("AddressSpaces"):
		return impSend
	case has("Bindings", "RemoteIPRanges"):
		return impReceive
	case has("SenderDomains", "ConnectorType"):
		return impInbound
	case has("RecipientDomains", "UseMXRecord"):
		return impOutbound
	case has("OnPremisesSmartHost"):
		return impHybrid
	case has("DomainType"):
		return impAccepted
	case has("RecipientTypeDetails"):
		return impRecipient
	case has("IPAllowList") || has("IPBlockList"):
		return impConnFilter
	case has("Priority", "State") || has("Priority", "Mode"):
		return impRule
	}
	return impUnknown
}

// impFromCLIXML converts a CLIXML value; nested objects' properties are
// kept three levels deep, which is all the importer reads (and bounds the
// work shared <Ref>s could multiply).
func impFromCLIXML(v clixml.Value, depth int) impVal {
	switch v.Kind {
	case clixml.Invalid, clixml.Nil:
		return impVal{}
	case clixml.Bool:
		return impVal{k: impBool, b: v.Bool}
	case clixml.Int:
		return impVal{k: impNum, text: strconv.FormatInt(v.Int, 10), num: v.Int, hasNum: true}
	case clixml.Uint:
		text, _ := v.Text()
		return impVal{k: impNum, text: text, num: int64(v.Uint), hasNum: v.Uint <= 1<<63-1}
	case clixml.Obj:
		o := v.Obj
		switch o.Collection {
		case clixml.List, clixml.Enumerable, clixml.Stack, clixml.Queue:
			out := impVal{k: impList, list: []impVal{}}
			if depth < 3 {
				for _, it := range o.Items {
					out.list = append(out.list, impFromCLIXML(it, depth+1))
				}
			}
			return out
		}
		out := impVal{k: impObj}
		out.text, _ = v.Text()
		if o.Value != nil && o.Value.Kind == clixml.Int {
			out.num, out.hasNum = o.Value.Int, true
		}
		if depth < 3 {
			for _, p := range o.Props {
				out.fields = append(out.fields, impProp{p.Name, impFromCLIXML(p.Value, depth+1)})
			}
			for _, e := range o.Entries {
				k, _ := e.Key.Text()
				out.fields = append(out.fields, impProp{k, impFromCLIXML(e.Value, depth+1)})
			}
		}
		return out
	}
	text, _ := v.Text()
	return impVal{k: impStr, text: text}
}

// impParseJSON reads one JSON value keeping the order of object keys.
func impParseJSON(data []byte) (impVal, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	v, err := impJSONValue(d, 0, true)
	if err == nil {
		if _, terr := d.Token(); terr != io.EOF {
			err = fmt.Errorf("more than one JSON value")
		}
	}
	if err != nil {
		return impVal{}, fmt.Errorf("not a JSON export: at offset %d: %v", d.InputOffset(), err)
	}
	return v, nil
}

// impJSONValue reads a JSON value; record tells that an object is an
// exported object (the document, or an element of the document's array)
// rather than a property value.
func impJSONValue(d *json.Decoder, depth int, record bool) (impVal, error) {
	if depth > 64 {
		return impVal{}, fmt.Errorf("nested deeper than 64")
	}
	tok, err := d.Token()
	if err != nil {
		return impVal{}, err
	}
	switch t := tok.(type) {
	case nil:
		return impVal{}, nil
	case bool:
		return impVal{k: impBool, b: t}, nil
	case json.Number:
		n, err := t.Int64()
		return impVal{k: impNum, text: t.String(), num: n, hasNum: err == nil}, nil
	case string:
		return impVal{k: impStr, text: t}, nil
	case json.Delim:
		if t == '[' {
			out := impVal{k: impList, list: []impVal{}}
			for d.More() {
				e, err := impJSONValue(d, depth+1, depth == 0)
				if err != nil {
					return impVal{}, err
				}
				out.list = append(out.list, e)
			}
			_, err := d.Token()
			return out, err
		}
		out := impVal{k: impObj}
		for d.More() {
			kt, err := d.Token()
			if err != nil {
				return impVal{}, err
			}
			k, _ := kt.(string)
			e, err := impJSONValue(d, depth+1, false)
			if err != nil {
				return impVal{}, err
			}
			out.fields = append(out.fields, impProp{k, e})
		}
		if _, err := d.Token(); err != nil {
			return impVal{}, err
		}
		if record {
			return out, nil
		}
		return impJSONNested(out), nil
	}
	return impVal{}, fmt.Errorf("unexpected %v", tok)
}

// impJSONNested reads a nested JSON object as ConvertTo-Json writes
// Exchange values: {"value": [...], "Count": n} is the list; an
// AddressSpace {"Type","Address","Cost"} is "Type:Address;Cost"; other
// objects get the text of their Address, Domain, HostnameString, Name or
// Expression.
func impJSONNested(o impVal) impVal {
	get := func(k string) (impVal, bool) {
		for _, f := range o.fields {
			if strings.EqualFold(f.name, k) {
				return f.v, true
			}
		}
		return impVal{}, false
	}
	if v, ok := get("value"); ok && (len(o.fields) == 1 || len(o.fields) == 2 && func() bool { _, c := get("Count"); return c }()) {
		return v
	}
	t, okT := get("Type")
	a, okA := get("Address")
	c, okC := get("Cost")
	if okT && okA && okC {
		ts, _ := t.str()
		as, _ := a.str()
		cs, _ := c.str()
		o.text = ts + ":" + as + ";" + cs
		return o
	}
	for _, k := range []string{"Address", "Domain", "HostnameString", "Name", "Expression"} {
		if v, ok := get(k); ok {
			if s, ok := v.str(); ok && s != "" {
				o.text = s
				return o
			}
		}
	}
	return o
}

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
	// Reserved or undocumented, without effect (reference §4.1).
	impInbound: impSet("EFSkipMailGateway EFTestMode ScanAndDropRecipients ClientHostNames"),
	// No routing effect (reference §5.1).
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

// The enums, by number (reference §4–§6; Microsoft.Exchange.Data).
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

var (
	impOptBoolType = reflect.TypeFor[connector.OptBool]()
	impPredsType   = reflect.TypeFor[topology.Predicates]()
)

// impField finds the exported field of a struct named name (ignoring
// case), looking into embedded structs and, for "ExceptIfX", into the
// ExceptIf predicates.
func impField(target reflect.Value, name string) (reflect.Value, bool) {
	t := target.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			if f, ok := impField(target.Field(i), name); ok {
				return f, true
			}
			continue
		}
		if strings.EqualFold(sf.Name, name) {
			return target.Field(i), true
		}
		if sf.Name == "ExceptIf" && sf.Type == impPredsType && len(name) > 8 && strings.EqualFold(name[:8], "ExceptIf") {
			if f, ok := impField(target.Field(i), name[8:]); ok {
				return f, true
			}
		}
	}
	return reflect.Value{}, false
}

// impSetField sets the field named prop from v and reports whether the
// target has such a field of a type it can set; values of the wrong type
// are reported.
func impSetField(c *impConv, target reflect.Value, prop string, v impVal) bool {
	f, ok := impField(target, prop)
	if !ok {
		return false
	}
	switch {
	case f.Type() == impOptBoolType:
		if v.k == impNull {
			return true
		}
		if b, ok := v.boolean(); ok {
			f.Set(reflect.ValueOf(connector.OptBoolOf(b)))
		} else {
			c.bad(prop, v, "true, false or null")
		}
	case f.Kind() == reflect.String:
		if v.k == impNull {
			return true
		}
		if s, ok := v.str(); ok || v.empty() {
			f.SetString(s)
		} else {
			c.bad(prop, v, "a string")
		}
	case f.Kind() == reflect.Bool:
		if v.k == impNull {
			return true
		}
		if b, ok := v.boolean(); ok {
			f.SetBool(b)
		} else {
			c.bad(prop, v, "true or false")
		}
	case f.Kind() == reflect.Int:
		if v.k == impNull {
			return true
		}
		if n, ok := v.integer(); ok {
			f.SetInt(n)
		} else {
			c.bad(prop, v, "a whole number")
		}
	case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Int:
		if v.k == impNull {
			return true
		}
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
		s.TlsAuthLevel, _ = c.enum("TlsAuthLevel", impTlsAuthLevel)
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

// impOrgFromDN returns the organization in a DistinguishedName:
// "…,CN=First Organization,CN=Microsoft Exchange,CN=Services,…".
func impOrgFromDN(dn string) string {
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

// impADDomain returns the DNS domain of a DistinguishedName's DC parts.
func impADDomain(dn string) string {
	var dcs []string
	for _, p := range strings.Split(dn, ",") {
		p = strings.TrimSpace(p)
		if len(p) > 3 && strings.EqualFold(p[:3], "DC=") {
			dcs = append(dcs, p[3:])
		}
	}
	return strings.Join(dcs, ".")
}

// impDNs returns the DistinguishedNames of a record and of the objects its
// properties name, its own first.
func impDNs(r *impRecord) []string {
	var out []string
	if dn := r.text("DistinguishedName"); dn != "" {
		out = append(out, dn)
	}
	var walk func(v impVal, depth int)
	walk = func(v impVal, depth int) {
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

// impServerDN finds the DistinguishedName of the server named name among
// the objects r names.
func impServerDN(r *impRecord, name string) string {
	for _, dn := range impDNs(r) {
		if strings.HasPrefix(strings.ToLower(dn), "cn="+strings.ToLower(name)+",cn=servers,") {
			return dn
		}
	}
	return ""
}

// impTenantFrom returns the tenant name in a string holding
// "<name>.onmicrosoft.com" or "<name>.mail.onmicrosoft.com".
func impTenantFrom(s string) string {
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

// impName turns an organization name into a topology name.
func impName(s string) string {
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

// impAssemble places the converted objects of files into a File.
func impAssemble(files []impFile) (*File, []LoadProblem) {
	var diags []impDiag
	var items []impItem
	onpremOnly, tenantOnly := false, false
	for _, f := range files {
		for _, r := range f.records {
			kind := impKindOf(f, r)
			if kind == impUnknown {
				desc := ""
				if len(r.types) > 0 {
					desc = " (type " + r.types[0] + ")"
				}
				diags = append(diags, impDiag{file: r.file, index: r.index, path: r.path(),
					message: "not imported: cannot tell which Exchange cmdlet wrote this object" + desc})
				continue
			}
			it := impConvert(kind, r, &diags)
			if it.val == nil {
				continue
			}
			switch kind {
			case impSend, impReceive, impHybrid:
				it.sure, onpremOnly = true, true
			case impInbound, impOutbound, impConnFilter:
				it.tenant, it.sure, tenantOnly = true, true, true
			}
			orgID := r.text("OrganizationId")
			dns := impDNs(r)
			own := ""
			if len(dns) > 0 && r.text("DistinguishedName") != "" {
				own = dns[0]
			}
			if !it.sure {
				switch {
				case strings.Contains(orgID, "Microsoft Exchange Hosted Organizations") || strings.Contains(strings.ToLower(orgID), ".onmicrosoft.com") ||
					strings.Contains(own, "OU=Microsoft Exchange Hosted Organizations"):
					it.tenant, it.sure = true, true
				case impOrgFromDN(own) != "":
					it.sure = true
				case kind == impAccepted:
					d := strings.ToLower(it.val.(topology.AcceptedDomain).DomainName)
					if strings.HasSuffix(d, ".onmicrosoft.com") && !strings.HasSuffix(d, ".mail.onmicrosoft.com") {
						it.tenant, it.sure = true, true
					}
				}
			}
			for _, dn := range dns {
				if o := impOrgFromDN(dn); o != "" {
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
		if n := impTenantFrom(s); n != "" && !slices.Contains(tenantNames, n) {
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
	var late []LoadProblem
	tenant := ""
	if len(tenantNames) > 0 {
		tenant = tenantNames[0]
		if len(tenantNames) > 1 {
			late = append(late, LoadProblem{Path: "Tenants", Message: fmt.Sprintf("the export names several tenants (%s); imported as %q", strings.Join(tenantNames, ", "), tenant)})
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
	orgOf := func(it impItem) *org {
		raw := it.org
		if raw == "" {
			raw = fallback
		}
		o := orgs[raw]
		if o == nil {
			o = &org{spec: topology.OnPremisesSpec{Name: impName(raw)}, servers: map[string]*topology.ServerSpec{}, dns: map[string]string{}}
			orgs[raw] = o
		}
		if it.org == "" && !named[fallback] {
			o.unnamed = true
		}
		return o
	}
	server := func(o *org, r *impRecord, name string) *topology.ServerSpec {
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
			o.dns[key] = impServerDN(r, name)
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
					diags = append(diags, impDiag{file: it.rec.file, index: it.rec.index, path: it.rec.path(),
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
				diags = append(diags, impDiag{file: it.rec.file, index: it.rec.index, path: it.rec.path(), prop: "Tenant",
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

	file := &File{}
	keys := make([]string, 0, len(orgs))
	for k := range orgs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return strings.Compare(impName(a), impName(b)) })
	for _, k := range keys {
		o := orgs[k]
		obj := fmt.Sprintf("OnPremises[%q]", o.spec.Name)
		if o.unnamed {
			late = append(late, LoadProblem{Path: obj, Message: fmt.Sprintf("some objects name no organization (no DistinguishedName under CN=Microsoft Exchange); they are imported into %q", o.spec.Name)})
		}
		if o.spec.Name != k {
			late = append(late, LoadProblem{Path: obj, Message: fmt.Sprintf("organization %q is named %q: topology names allow letters, digits, '-', '_' and '.'", k, o.spec.Name)})
		}
		names := make([]string, 0, len(o.servers))
		for n := range o.servers {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			s := o.servers[n]
			if s.Fqdn == "" {
				if d := impADDomain(o.dns[n]); d != "" {
					s.Fqdn = strings.ToLower(s.Name + "." + d)
					late = append(late, LoadProblem{Path: fmt.Sprintf("%s.Servers[%q].Fqdn", obj, s.Name),
						Message: fmt.Sprintf("not in the export: guessed %q from the Active Directory domain", s.Fqdn)})
				} else {
					late = append(late, LoadProblem{Path: fmt.Sprintf("%s.Servers[%q].Fqdn", obj, s.Name),
						Message: "not in the export (export Get-ReceiveConnector or Get-ExchangeServer): left empty"})
				}
			}
			o.spec.Servers = append(o.spec.Servers, *s)
		}
		file.OnPremises = append(file.OnPremises, o.spec)
	}
	if ten != nil {
		if ten.Name == "" {
			late = append(late, LoadProblem{Path: "Tenants[0].Name", Message: "the tenant's name is not in the export (no *.onmicrosoft.com domain): left empty"})
		}
		file.Tenants = []topology.TenantSpec{*ten}
	}
	file.Hybrid = hybrids
	fileOrder := map[string]int{}
	for i, f := range files {
		fileOrder[f.name] = i
	}
	slices.SortStableFunc(diags, func(a, b impDiag) int {
		return cmp.Or(fileOrder[a.file]-fileOrder[b.file], a.index-b.index)
	})
	return file, append(impDedupe(diags), late...)
}

// impDedupe merges diagnostics with the same file, property and message
// into the first, listing the other objects.
func impDedupe(diags []impDiag) []LoadProblem {
	type group struct {
		first  impDiag
		others []int
	}
	var order []string
	groups := map[string]*group{}
	for _, d := range diags {
		k := d.file + "\x00" + d.prop + "\x00" + d.message + "\x00" + d.value
		g := groups[k]
		if g == nil {
			groups[k] = &group{first: d}
			order = append(order, k)
			continue
		}
		if d.index != g.first.index && !slices.Contains(g.others, d.index) {
			g.others = append(g.others, d.index)
		}
	}
	out := make([]LoadProblem, 0, len(order))
	for _, k := range order {
		g := groups[k]
		p := g.first.path
		if g.first.prop != "" {
			p += "." + g.first.prop
		}
		msg := g.first.message
		if g.first.value != "" {
			msg += " (value " + g.first.value
			if len(g.others) > 0 {
				msg += "; the same in " + impIndexes(g.first.file, g.others)
			}
			msg += ")"
		} else if len(g.others) > 0 {
			msg += " (the same in " + impIndexes(g.first.file, g.others) + ")"
		}
		out = append(out, LoadProblem{Path: p, Message: msg})
	}
	return out
}

func impIndexes(file string, idx []int) string {
	parts := make([]string, len(idx))
	for i, n := range idx {
		parts[i] = fmt.Sprintf("%s[%d]", file, n)
	}
	return strings.Join(parts, ", ")
}
