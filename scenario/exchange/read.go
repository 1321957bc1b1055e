package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/scenario/exchange/internal/clixml"
)

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
