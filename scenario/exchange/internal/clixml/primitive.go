package clixml

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// value decodes the value element just started.
func (p *parser) value(t xml.StartElement) (Value, error) {
	switch name := t.Name.Local; name {
	case "Obj":
		o, err := p.object(t)
		if err != nil {
			return Value{}, err
		}
		return Value{Kind: Obj, Tag: "Obj", Obj: o}, nil
	case "Ref":
		return p.ref(t)
	case "Nil":
		if err := p.empty(name); err != nil {
			return Value{}, err
		}
		return Value{Kind: Nil, Tag: name}, nil
	}
	return p.primitive(t.Name.Local)
}

// ref decodes the <Ref> just started: the object given earlier with its
// RefId, which must not enclose the <Ref>.
func (p *parser) ref(t xml.StartElement) (Value, error) {
	id := attr(t, "RefId")
	if err := p.empty(t.Name.Local); err != nil {
		return Value{}, err
	}
	o, ok := p.objs[id]
	switch {
	case !ok:
		return Value{}, p.errorf("<Ref RefId=%q> refers to no earlier <Obj>", id)
	case p.open[o]:
		return Value{}, p.errorf("<Ref RefId=%q> refers to an object that contains it (a cycle)", id)
	}
	return Value{Kind: Obj, Tag: "Obj", Obj: o}, nil
}

// primitive decodes the primitive value element named name, just
// started.
func (p *parser) primitive(name string) (Value, error) {
	s, err := p.text(name)
	if err != nil {
		return Value{}, err
	}
	prim, ok := primitives[name]
	if !ok {
		return Value{}, p.errorf("unsupported element <%s>", name)
	}
	v, ok := prim.parse(s)
	if !ok {
		return Value{}, p.errorf("<%s> %q is not %s", name, shorten(s), prim.what)
	}
	v.Tag = name
	return v, nil
}

// A primitiveType reads the text of a primitive element; what says what
// the text must be, for errors.
type primitiveType struct {
	what  string
	parse func(s string) (Value, bool)
}

// primitives are the primitive elements, by tag.
var primitives = map[string]primitiveType{
	"S":       {parse: func(s string) (Value, bool) { return Value{Kind: String, Str: unescape(s)}, true }},
	"SBK":     {parse: func(s string) (Value, bool) { return Value{Kind: ScriptBlock, Str: unescape(s)}, true }},
	"XD":      {parse: func(s string) (Value, bool) { return Value{Kind: XMLDocument, Str: unescape(s)}, true }},
	"SS":      {parse: func(s string) (Value, bool) { return Value{Kind: SecureString, Str: strings.TrimSpace(s)}, true }},
	"URI":     {parse: func(s string) (Value, bool) { return Value{Kind: URI, Str: unescape(strings.TrimSpace(s))}, true }},
	"Version": {parse: func(s string) (Value, bool) { return Value{Kind: Version, Str: strings.TrimSpace(s)}, true }},
	"B":       {what: "a Boolean", parse: parseBool},
	"I16":     signed(16),
	"I32":     signed(32),
	"I64":     signed(64),
	"SB":      signed(8),
	"U16":     unsigned(16),
	"U32":     unsigned(32),
	"U64":     unsigned(64),
	"By":      unsigned(8),
	"C":       {what: "a UTF-16 code unit", parse: parseChar},
	"Db":      {what: "a number", parse: parseNumber},
	"Sg":      {what: "a number", parse: parseNumber},
	"D":       {what: "a number", parse: parseNumber},
	"DT":      {what: "an xs:dateTime", parse: parseDateTimeValue},
	"TS":      {what: "an xs:duration", parse: parseDurationValue},
	"G":       {what: "a GUID", parse: parseGUID},
	"BA":      {what: "base64", parse: parseBytes},
}

func parseBool(s string) (Value, bool) {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	return Value{Kind: Bool, Bool: b}, err == nil
}

// signed is the primitive type of a signed integer of the given bits.
func signed(bits int) primitiveType {
	return primitiveType{what: fmt.Sprintf("a %d-bit integer", bits), parse: func(s string) (Value, bool) {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, bits)
		return Value{Kind: Int, Int: n}, err == nil
	}}
}

// unsigned is the primitive type of an unsigned integer of the given
// bits.
func unsigned(bits int) primitiveType {
	return primitiveType{what: fmt.Sprintf("an unsigned %d-bit integer", bits), parse: func(s string) (Value, bool) {
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, bits)
		return Value{Kind: Uint, Uint: n}, err == nil
	}}
}

func parseChar(s string) (Value, bool) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 16)
	if err != nil {
		return Value{}, false
	}
	return Value{Kind: Char, Uint: n, Str: string(utf16.Decode([]uint16{uint16(n)}))}, true
}

func parseNumber(s string) (Value, bool) {
	s = strings.TrimSpace(s)
	f, err := parseFloat(s)
	return Value{Kind: Float, Float: f, Str: s}, err == nil
}

func parseDateTimeValue(s string) (Value, bool) {
	s = strings.TrimSpace(s)
	t, err := parseDateTime(s)
	return Value{Kind: DateTime, Time: t, Str: s}, err == nil
}

func parseDurationValue(s string) (Value, bool) {
	s = strings.TrimSpace(s)
	d, err := parseDuration(s)
	return Value{Kind: Duration, Duration: d, Str: s}, err == nil
}

func parseGUID(s string) (Value, bool) {
	s = strings.TrimSpace(s)
	return Value{Kind: GUID, Str: s}, isGUID(s)
}

func parseBytes(s string) (Value, bool) {
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	return Value{Kind: Bytes, Bytes: b}, err == nil
}
