package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/scenario/exchange/internal/clixml"
)

// export is one parsed export file.
type export struct {
	name    string
	cmdlet  cmdlet // from the file name
	records []*record
}

// parse reads one export into records: CLIXML or JSON, in UTF-8 with or
// without a byte order mark, or UTF-16.
func parse(name string, data []byte) (export, error) {
	f := export{name: name, cmdlet: cmdletOfFile(name)}
	data = clixml.UTF8(data) // Out-File writes UTF-16 unless told otherwise
	trimmed := bytes.TrimSpace(data)
	var err error
	switch {
	case len(trimmed) == 0, string(trimmed) == "null":
		return f, nil // an export of nothing (ConvertTo-Json of no object writes null)
	case trimmed[0] == '<':
		f.records, err = parseCLIXML(name, data)
	case trimmed[0] == '{' || trimmed[0] == '[':
		f.records, err = parseJSONExport(name, trimmed)
	default:
		err = errors.New("not an Exchange export: neither CLIXML (<Objs …>) nor JSON")
	}
	if err != nil {
		return f, err
	}
	if len(f.records) > 0 && !slices.ContainsFunc(f.records, func(r *record) bool { return cmdletOf(f, r) != unknownCmdlet }) {
		return f, errors.New("not an export of a supported cmdlet: no object is an accepted domain, connector, hybrid configuration, recipient, transport rule or connection filter policy")
	}
	return f, nil
}

// parseCLIXML reads what Export-Clixml writes: a document of objects.
func parseCLIXML(name string, data []byte) ([]*record, error) {
	vs, err := clixml.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a CLIXML export: %v", err)
	}
	var records []*record
	for i, v := range vs {
		if v.Kind != clixml.Obj {
			return records, fmt.Errorf("not an export of objects: value %d is a %v", i, v.Kind)
		}
		r := &record{file: name, index: i, types: v.Obj.TypeNames}
		for _, p := range v.Obj.Props {
			r.props = append(r.props, prop{p.Name, fromCLIXML(p.Value, 0)})
		}
		records = append(records, r)
	}
	return records, nil
}

// parseJSONExport reads what ConvertTo-Json writes: an object or an array
// of objects.
func parseJSONExport(name string, data []byte) ([]*record, error) {
	v, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	list := []value{v}
	if v.kind == listValue {
		list = v.list
	}
	var records []*record
	for i, e := range list {
		if e.kind != objectValue {
			return records, fmt.Errorf("not an export of objects: element %d is not a JSON object", i)
		}
		records = append(records, &record{file: name, index: i, props: e.fields})
	}
	return records, nil
}

// maxCLIXMLDepth is how deep fromCLIXML keeps nested objects' properties:
// three levels, which is all the importer reads (and bounds the work
// shared <Ref>s could multiply).
const maxCLIXMLDepth = 3

// fromCLIXML converts a CLIXML value.
func fromCLIXML(v clixml.Value, depth int) value {
	switch v.Kind {
	case clixml.Invalid, clixml.Nil:
		return value{}
	case clixml.Bool:
		return value{kind: boolValue, b: v.Bool}
	case clixml.Int:
		return value{kind: numberValue, text: strconv.FormatInt(v.Int, 10), num: v.Int, hasNum: true}
	case clixml.Uint:
		text, _ := v.Text()
		return value{kind: numberValue, text: text, num: int64(v.Uint), hasNum: v.Uint <= 1<<63-1}
	case clixml.Obj:
		return fromCLIXMLObject(v, depth)
	case clixml.Duration:
		// A System.TimeSpan (<TS>, xs:duration) reads as PowerShell prints
		// it, as an Exchange EnhancedTimeSpan does.
		return value{kind: stringValue, text: formatTimeSpan(v.Duration)}
	}
	text, _ := v.Text()
	return value{kind: stringValue, text: text}
}

// fromCLIXMLObject converts an <Obj>: a collection becomes a list, other
// objects keep their text, their number (an enum's) and their properties
// and dictionary entries.
func fromCLIXMLObject(v clixml.Value, depth int) value {
	o := v.Obj
	switch o.Collection {
	case clixml.List, clixml.Enumerable, clixml.Stack, clixml.Queue:
		out := value{kind: listValue, list: []value{}}
		if depth < maxCLIXMLDepth {
			for _, it := range o.Items {
				out.list = append(out.list, fromCLIXML(it, depth+1))
			}
		}
		return out
	}
	out := value{kind: objectValue}
	out.text, _ = v.Text()
	if o.Value != nil && o.Value.Kind == clixml.Int {
		out.num, out.hasNum = o.Value.Int, true
	}
	if depth < maxCLIXMLDepth {
		for _, p := range o.Props {
			out.fields = append(out.fields, prop{p.Name, fromCLIXML(p.Value, depth+1)})
		}
		for _, e := range o.Entries {
			k, _ := e.Key.Text()
			out.fields = append(out.fields, prop{k, fromCLIXML(e.Value, depth+1)})
		}
	}
	return out
}

// duplicateKey reports whether fields already has key k, ignoring case,
// keeping seen, the lower-case keys, once there are many.
func duplicateKey(fields []prop, seen *map[string]bool, k string) bool {
	const scan = 16
	if len(fields) < scan {
		for _, f := range fields {
			if strings.EqualFold(f.name, k) {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]bool, 2*len(fields))
		for _, f := range fields {
			(*seen)[strings.ToLower(f.name)] = true
		}
	}
	lk := strings.ToLower(k)
	if (*seen)[lk] {
		return true
	}
	(*seen)[lk] = true
	return false
}

// maxJSONDepth is the deepest nesting of JSON values parseJSON accepts.
const maxJSONDepth = 64

// parseJSON reads one JSON value keeping the order of object keys.
func parseJSON(data []byte) (value, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	v, err := jsonValue(d, 0, true)
	if err == nil {
		if _, terr := d.Token(); terr != io.EOF {
			err = errors.New("more than one JSON value")
		}
	}
	if err != nil {
		return value{}, fmt.Errorf("not a JSON export: at offset %d: %v", d.InputOffset(), err)
	}
	return v, nil
}

// jsonValue reads a JSON value; record tells that an object is an
// exported object (the document, or an element of the document's array)
// rather than a property value.
func jsonValue(d *json.Decoder, depth int, record bool) (value, error) {
	if depth > maxJSONDepth {
		return value{}, fmt.Errorf("nested deeper than %d", maxJSONDepth)
	}
	tok, err := d.Token()
	if err != nil {
		return value{}, err
	}
	switch t := tok.(type) {
	case nil:
		return value{}, nil
	case bool:
		return value{kind: boolValue, b: t}, nil
	case json.Number:
		n, err := t.Int64()
		return value{kind: numberValue, text: t.String(), num: n, hasNum: err == nil}, nil
	case string:
		return value{kind: stringValue, text: t}, nil
	case json.Delim:
		if t == '[' {
			return jsonArray(d, depth)
		}
		o, err := jsonObject(d, depth)
		if err != nil || record {
			return o, err
		}
		return jsonNested(o), nil
	}
	return value{}, fmt.Errorf("unexpected %v", tok)
}

// jsonArray reads the elements of an array and its closing bracket; the
// elements of the document's array are exported objects.
func jsonArray(d *json.Decoder, depth int) (value, error) {
	out := value{kind: listValue, list: []value{}}
	for d.More() {
		e, err := jsonValue(d, depth+1, depth == 0)
		if err != nil {
			return value{}, err
		}
		out.list = append(out.list, e)
	}
	_, err := d.Token()
	return out, err
}

// jsonObject reads the members of an object, in order, and its closing
// brace.
func jsonObject(d *json.Decoder, depth int) (value, error) {
	out := value{kind: objectValue}
	var seen map[string]bool // past a few keys; before, a scan is cheaper
	for d.More() {
		kt, err := d.Token()
		if err != nil {
			return value{}, err
		}
		k, _ := kt.(string)
		if duplicateKey(out.fields, &seen, k) {
			// PowerShell's ConvertFrom-Json refuses keys that differ only
			// in case, as properties do: which one to read is not known.
			return value{}, fmt.Errorf("key %q appears twice in an object (keys are compared ignoring case)", k)
		}
		e, err := jsonValue(d, depth+1, false)
		if err != nil {
			return value{}, err
		}
		out.fields = append(out.fields, prop{k, e})
	}
	if _, err := d.Token(); err != nil {
		return value{}, err
	}
	return out, nil
}

// jsonNested reads a nested JSON object as ConvertTo-Json writes
// Exchange values: {"value": [...], "Count": n} is the list; an
// AddressSpace {"Type","Address","Cost"} is "Type:Address;Cost"; other
// objects get the text of their Address, Domain, HostnameString, Name or
// Expression.
func jsonNested(o value) value {
	get := func(k string) (value, bool) {
		return (&record{props: o.fields}).get(k)
	}
	if v, ok := get("value"); ok {
		if _, count := get("Count"); len(o.fields) == 1 || len(o.fields) == 2 && count {
			return v
		}
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
