// Package clixml decodes PowerShell CLIXML, the format Export-Clixml writes
// (namespace "http://schemas.microsoft.com/powershell/2004/04", version
// 1.1.0.1), into a generic tree of [Value]s.
//
// A document is an <Objs> element holding values. Complex values are
// <Obj> elements: an [Object] with its type names (<TN>, or <TNRef> for a
// list given earlier), its <ToString> text, its adapted (<Props>) and
// extended (<MS>) properties, and possibly a collection (<LST>, <IE>,
// <STK>, <QUE>), a dictionary (<DCT>) or a primitive value of its own (an
// enum is an <Obj> whose ToString is the enum name and which holds an
// <I32>). A <Ref RefId> refers back to an <Obj> given earlier: it decodes
// to the same *Object, so shared objects are shared in the tree too.
//
// Strings have the _xHHHH_ escapes of PowerShell's serializer decoded
// ("_x000D__x000A_" is CR LF). Errors carry the line and column; the
// decoder never panics, limits nesting to [MaxDepth] and refuses a <Ref>
// to an object that encloses it, so the tree it returns has no cycles.
//
// Decode is meant for configuration exports: it reads the whole document
// into memory.
package clixml

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Namespace is the XML namespace of CLIXML documents.
const Namespace = "http://schemas.microsoft.com/powershell/2004/04"

// MaxDepth is the deepest nesting of XML elements Decode accepts.
const MaxDepth = 200

// Kind tells what a [Value] holds.
type Kind uint8

// The kinds of value. The zero Kind is Invalid: a Value that was not
// decoded. Obj is an <Obj> (or a <Ref> to one).
const (
	Invalid      Kind = iota
	Nil               // <Nil/>
	String            // <S>: Str
	Bool              // <B>: Bool
	Int               // <I16>, <I32>, <I64>, <SB>: Int
	Uint              // <U16>, <U32>, <U64>, <By>: Uint
	Float             // <Db>, <Sg>, <D> (decimal): Float, and Str as written
	Char              // <C>: the UTF-16 code unit in Uint, the character in Str
	DateTime          // <DT>: Time, and Str as written
	Duration          // <TS>: Duration, and Str as written (xs:duration)
	GUID              // <G>: Str
	URI               // <URI>: Str
	Version           // <Version>: Str
	Bytes             // <BA>: Bytes
	ScriptBlock       // <SBK>: Str
	XMLDocument       // <XD>: Str
	SecureString      // <SS>: Str, still encrypted
	Obj               // <Obj> or <Ref>: Obj
)

var kindNames = [...]string{"Invalid", "Nil", "String", "Bool", "Int", "Uint", "Float", "Char", "DateTime",
	"Duration", "GUID", "URI", "Version", "Bytes", "ScriptBlock", "XMLDocument", "SecureString", "Obj"}

// String returns the name of k: "String", "Object".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one decoded CLIXML value. Kind says which fields are set.
type Value struct {
	Kind Kind
	// Tag is the element the value was written as: "S", "I32", "Obj"; a
	// <Ref> has the tag "Obj" of the object it refers to.
	Tag      string
	Str      string
	Bool     bool
	Int      int64
	Uint     uint64
	Float    float64
	Time     time.Time
	Duration time.Duration
	Bytes    []byte
	Obj      *Object
}

// IsNil reports whether v is <Nil/>.
func (v Value) IsNil() bool { return v.Kind == Nil }

// Text returns the text form of v: the string of a String, GUID, URI,
// Version and the like, the number or Boolean as PowerShell writes it, and
// an Object's ToString (or its primitive value's text when it has no
// ToString). It returns false for Nil, Invalid and an Object without
// either.
func (v Value) Text() (string, bool) {
	switch v.Kind {
	case Invalid, Nil:
		return "", false
	case Bool:
		if v.Bool {
			return "True", true
		}
		return "False", true
	case Int:
		return strconv.FormatInt(v.Int, 10), true
	case Uint:
		return strconv.FormatUint(v.Uint, 10), true
	case Bytes:
		return base64.StdEncoding.EncodeToString(v.Bytes), true
	case Obj:
		if v.Obj == nil {
			return "", false
		}
		if v.Obj.HasToString {
			return v.Obj.ToString, true
		}
		if v.Obj.Value != nil {
			return v.Obj.Value.Text()
		}
		return "", false
	}
	return v.Str, true
}

// Collection tells which collection an [Object] holds.
type Collection uint8

// The collections of an Object.
const (
	NoCollection Collection = iota
	List                    // <LST>: Items
	Enumerable              // <IE>: Items
	Stack                   // <STK>: Items
	Queue                   // <QUE>: Items
	Dictionary              // <DCT>: Entries
)

// Object is a decoded <Obj>.
type Object struct {
	// RefID is the object's RefId attribute.
	RefID string
	// TypeNames are the .NET type names, most derived first, as written
	// (deserialized objects' names start with "Deserialized.").
	TypeNames []string
	// ToString is the object's <ToString> text; HasToString tells whether
	// there was one.
	ToString    string
	HasToString bool
	// Value is the object's own primitive value: the number of an enum, or
	// the value a deserialized primitive wraps. Nil when there is none.
	Value *Value
	// Collection says whether Items or Entries hold the object's elements.
	Collection Collection
	Items      []Value
	Entries    []Entry
	// Props are the adapted (<Props>) and extended (<MS>) properties, in
	// document order.
	Props []Prop
}

// Prop is a property of an [Object].
type Prop struct {
	Name  string
	Value Value
	// Extended tells the property came from the member set <MS>.
	Extended bool
}

// Entry is an entry of a dictionary.
type Entry struct {
	Key, Value Value
}

// Get returns the property named name, compared first exactly and then
// ignoring case, as PowerShell does; the first match in document order
// wins.
func (o *Object) Get(name string) (Value, bool) {
	if o == nil {
		return Value{}, false
	}
	for _, p := range o.Props {
		if p.Name == name {
			return p.Value, true
		}
	}
	for _, p := range o.Props {
		if strings.EqualFold(p.Name, name) {
			return p.Value, true
		}
	}
	return Value{}, false
}

// HasType reports whether one of the object's type names is name, with or
// without the "Deserialized." prefix.
func (o *Object) HasType(name string) bool {
	if o == nil {
		return false
	}
	for _, t := range o.TypeNames {
		if t == name || strings.TrimPrefix(t, "Deserialized.") == name {
			return true
		}
	}
	return false
}

// SyntaxError is a problem of a CLIXML document, at a position.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

// Error returns "clixml: line L, column C: msg".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("clixml: line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Decode reads a CLIXML document and returns the values of its <Objs>
// element, in document order. A document in UTF-16 (with a byte order
// mark, as Windows PowerShell's Export-Clixml writes) is accepted. Every
// error is a *[SyntaxError], except those of reading r.
func Decode(r io.Reader) ([]Value, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = toUTF8(data)
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "utf-16", "utf16", "unicode", "us-ascii", "ascii":
			return in, nil // already UTF-8 (see toUTF8)
		}
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	p := &parser{d: d, objs: map[string]*Object{}, open: map[*Object]bool{}, types: map[string][]string{}}
	return p.document()
}

// UTF8 returns data as UTF-8 without a byte order mark: it drops a UTF-8
// byte order mark and converts UTF-16 with a byte order mark (what
// Windows PowerShell's Out-File writes by default). Other data is
// returned as is.
func UTF8(data []byte) []byte { return toUTF8(data) }

// toUTF8 is UTF8.
func toUTF8(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		le := data[0] == 0xFF
		data = data[2:]
		units := make([]uint16, len(data)/2)
		for i := range units {
			if le {
				units[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
			} else {
				units[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
			}
		}
		var b bytes.Buffer
		for _, r := range utf16.Decode(units) {
			b.WriteRune(r)
		}
		return b.Bytes()
	}
	return data
}

type parser struct {
	d     *xml.Decoder
	depth int
	objs  map[string]*Object  // by RefId
	open  map[*Object]bool    // objects being decoded: a Ref to one is a cycle
	types map[string][]string // <TN> lists by RefId
}

func (p *parser) errorf(format string, args ...any) error {
	line, col := p.d.InputPos()
	return &SyntaxError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// token returns the next token that matters: start and end elements and
// character data; comments, processing instructions and directives are
// skipped. It keeps the nesting depth.
func (p *parser) token() (xml.Token, error) {
	for {
		tok, err := p.d.Token()
		if err != nil {
			if err == io.EOF {
				return nil, p.errorf("unexpected end of document")
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				_, col := p.d.InputPos()
				return nil, &SyntaxError{Line: se.Line, Column: col, Msg: se.Msg}
			}
			return nil, p.errorf("%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.depth++
			if p.depth > MaxDepth {
				return nil, p.errorf("elements nested deeper than %d", MaxDepth)
			}
			if t.Name.Space != "" && t.Name.Space != Namespace {
				return nil, p.errorf("element <%s> is in namespace %q, not %q", t.Name.Local, t.Name.Space, Namespace)
			}
			return t, nil
		case xml.EndElement:
			p.depth--
			return t, nil
		case xml.CharData:
			return t, nil
		}
	}
}

func (p *parser) document() ([]Value, error) {
	var root xml.StartElement
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		if t, ok := tok.(xml.StartElement); ok {
			root = t
			break
		}
		if t, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(t)) > 0 {
			return nil, p.errorf("text before the <Objs> element")
		}
	}
	if root.Name.Local != "Objs" {
		return nil, p.errorf("the document element is <%s>, not <Objs>", root.Name.Local)
	}
	if v := attr(root, "Version"); v != "" && !strings.HasPrefix(v, "1.") {
		return nil, p.errorf("unsupported CLIXML version %q", v)
	}
	var out []Value
	err := p.children("Objs", func(t xml.StartElement) error {
		v, err := p.value(t)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Only white space, comments and the like may follow.
	for {
		tok, err := p.d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, p.errorf("after </Objs>: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return nil, p.errorf("element <%s> after </Objs>", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, p.errorf("text after </Objs>")
			}
		}
	}
}

// children calls f for each child element of the element named parent
// until its end, refusing text other than white space.
func (p *parser) children(parent string, f func(xml.StartElement) error) error {
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := f(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return p.errorf("unexpected text %q in <%s>", shorten(string(t)), parent)
			}
		}
	}
}

// text reads the text content of the element just started, up to its end.
func (p *parser) text(name string) (string, error) {
	var b strings.Builder
	for {
		tok, err := p.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return "", p.errorf("unexpected element <%s> in <%s>", t.Name.Local, name)
		case xml.EndElement:
			return b.String(), nil
		case xml.CharData:
			b.Write(t)
		}
	}
}

// empty reads up to the end of an element that must have no content.
func (p *parser) empty(name string) error {
	s, err := p.text(name)
	if err == nil && strings.TrimSpace(s) != "" {
		err = p.errorf("<%s> must be empty", name)
	}
	return err
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// value decodes the value element just started.
func (p *parser) value(t xml.StartElement) (Value, error) {
	name := t.Name.Local
	switch name {
	case "Obj":
		o, err := p.object(t)
		if err != nil {
			return Value{}, err
		}
		return Value{Kind: Obj, Tag: "Obj", Obj: o}, nil
	case "Ref":
		id := attr(t, "RefId")
		if err := p.empty(name); err != nil {
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
	case "Nil":
		if err := p.empty(name); err != nil {
			return Value{}, err
		}
		return Value{Kind: Nil, Tag: name}, nil
	}
	s, err := p.text(name)
	if err != nil {
		return Value{}, err
	}
	v := Value{Tag: name}
	bad := func(what string) (Value, error) {
		return Value{}, p.errorf("<%s> %q is not %s", name, shorten(s), what)
	}
	trimmed := strings.TrimSpace(s)
	switch name {
	case "S":
		v.Kind, v.Str = String, unescape(s)
	case "SBK":
		v.Kind, v.Str = ScriptBlock, unescape(s)
	case "XD":
		v.Kind, v.Str = XMLDocument, unescape(s)
	case "SS":
		v.Kind, v.Str = SecureString, trimmed
	case "B":
		b, err := strconv.ParseBool(trimmed)
		if err != nil {
			return bad("a Boolean")
		}
		v.Kind, v.Bool = Bool, b
	case "I16", "I32", "I64", "SB":
		bits := map[string]int{"I16": 16, "I32": 32, "I64": 64, "SB": 8}[name]
		n, err := strconv.ParseInt(trimmed, 10, bits)
		if err != nil {
			return bad(fmt.Sprintf("a %d-bit integer", bits))
		}
		v.Kind, v.Int = Int, n
	case "U16", "U32", "U64", "By":
		bits := map[string]int{"U16": 16, "U32": 32, "U64": 64, "By": 8}[name]
		n, err := strconv.ParseUint(trimmed, 10, bits)
		if err != nil {
			return bad(fmt.Sprintf("an unsigned %d-bit integer", bits))
		}
		v.Kind, v.Uint = Uint, n
	case "C":
		n, err := strconv.ParseUint(trimmed, 10, 16)
		if err != nil {
			return bad("a UTF-16 code unit")
		}
		v.Kind, v.Uint, v.Str = Char, n, string(utf16.Decode([]uint16{uint16(n)}))
	case "Db", "Sg", "D":
		f, err := parseFloat(trimmed)
		if err != nil {
			return bad("a number")
		}
		v.Kind, v.Float, v.Str = Float, f, trimmed
	case "DT":
		tm, err := parseDateTime(trimmed)
		if err != nil {
			return bad("an xs:dateTime")
		}
		v.Kind, v.Time, v.Str = DateTime, tm, trimmed
	case "TS":
		dur, err := parseDuration(trimmed)
		if err != nil {
			return bad("an xs:duration")
		}
		v.Kind, v.Duration, v.Str = Duration, dur, trimmed
	case "G":
		if !isGUID(trimmed) {
			return bad("a GUID")
		}
		v.Kind, v.Str = GUID, trimmed
	case "URI":
		v.Kind, v.Str = URI, unescape(trimmed)
	case "Version":
		v.Kind, v.Str = Version, trimmed
	case "BA":
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return bad("base64")
		}
		v.Kind, v.Bytes = Bytes, b
	default:
		return Value{}, p.errorf("unsupported element <%s>", name)
	}
	return v, nil
}

// object decodes the <Obj> just started.
func (p *parser) object(t xml.StartElement) (*Object, error) {
	o := &Object{RefID: attr(t, "RefId")}
	if o.RefID != "" {
		if _, dup := p.objs[o.RefID]; dup {
			return nil, p.errorf("<Obj RefId=%q> is given twice", o.RefID)
		}
		p.objs[o.RefID] = o
	}
	p.open[o] = true
	defer delete(p.open, o)
	seenTypes := false
	err := p.children("Obj", func(c xml.StartElement) error {
		name := c.Name.Local
		switch name {
		case "TN", "TNRef":
			if seenTypes {
				return p.errorf("<Obj> has more than one <TN> or <TNRef>")
			}
			seenTypes = true
			id := attr(c, "RefId")
			if name == "TNRef" {
				if err := p.empty(name); err != nil {
					return err
				}
				names, ok := p.types[id]
				if !ok {
					return p.errorf("<TNRef RefId=%q> refers to no earlier <TN>", id)
				}
				o.TypeNames = names
				return nil
			}
			var names []string
			err := p.children(name, func(tc xml.StartElement) error {
				if tc.Name.Local != "T" {
					return p.errorf("unexpected element <%s> in <TN>", tc.Name.Local)
				}
				s, err := p.text("T")
				names = append(names, unescape(strings.TrimSpace(s)))
				return err
			})
			if err != nil {
				return err
			}
			if id != "" {
				if _, dup := p.types[id]; dup {
					return p.errorf("<TN RefId=%q> is given twice", id)
				}
				p.types[id] = names
			}
			o.TypeNames = names
			return nil
		case "ToString":
			s, err := p.text(name)
			o.ToString, o.HasToString = unescape(s), true
			return err
		case "Props", "MS":
			return p.children(name, func(pc xml.StartElement) error {
				v, err := p.value(pc)
				if err != nil {
					return err
				}
				o.Props = append(o.Props, Prop{Name: unescape(attr(pc, "N")), Value: v, Extended: name == "MS"})
				return nil
			})
		case "LST", "IE", "STK", "QUE":
			if o.Collection != NoCollection || o.Value != nil {
				return p.errorf("<Obj> has more than one value")
			}
			o.Collection = map[string]Collection{"LST": List, "IE": Enumerable, "STK": Stack, "QUE": Queue}[name]
			o.Items = []Value{}
			return p.children(name, func(ic xml.StartElement) error {
				v, err := p.value(ic)
				o.Items = append(o.Items, v)
				return err
			})
		case "DCT":
			if o.Collection != NoCollection || o.Value != nil {
				return p.errorf("<Obj> has more than one value")
			}
			o.Collection, o.Entries = Dictionary, []Entry{}
			return p.children(name, func(ec xml.StartElement) error {
				if ec.Name.Local != "En" {
					return p.errorf("unexpected element <%s> in <DCT>", ec.Name.Local)
				}
				return p.entry(o)
			})
		default:
			if o.Collection != NoCollection || o.Value != nil {
				return p.errorf("<Obj> has more than one value")
			}
			v, err := p.value(c)
			if err != nil {
				return err
			}
			o.Value = &v
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// entry decodes the <En> just started: a key and a value, named by their
// N attributes ("Key", "Value") or, without them, in that order.
func (p *parser) entry(o *Object) error {
	var e Entry
	n := 0
	err := p.children("En", func(c xml.StartElement) error {
		v, err := p.value(c)
		if err != nil {
			return err
		}
		switch attr(c, "N") {
		case "Key":
			e.Key = v
		case "Value":
			e.Value = v
		default:
			switch n {
			case 0:
				e.Key = v
			case 1:
				e.Value = v
			default:
				return p.errorf("<En> has more than a key and a value")
			}
		}
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if n != 2 {
		return p.errorf("<En> needs a key and a value, has %d element(s)", n)
	}
	o.Entries = append(o.Entries, e)
	return nil
}

// unescape decodes PowerShell's _xHHHH_ escapes: each is a UTF-16 code
// unit, so a character outside the Basic Multilingual Plane is two of
// them in a row.
func unescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	var units []uint16
	flush := func() {
		for _, r := range utf16.Decode(units) {
			b.WriteRune(r)
		}
		units = units[:0]
	}
	for i := 0; i < len(s); {
		if u, ok := escapeAt(s, i); ok {
			units = append(units, u)
			i += 7
			continue
		}
		flush()
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteByte(s[i])
		} else {
			b.WriteRune(r)
		}
		i += size
	}
	flush()
	return b.String()
}

// escapeAt reports whether s[i:] starts with _xHHHH_ and returns its code
// unit.
func escapeAt(s string, i int) (uint16, bool) {
	if i+7 > len(s) || s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
	if err != nil {
		return 0, false
	}
	return uint16(n), true
}

func parseFloat(s string) (float64, error) {
	switch s {
	case "INF", "Infinity":
		s = "+Inf"
	case "-INF", "-Infinity":
		s = "-Inf"
	}
	return strconv.ParseFloat(s, 64)
}

// parseDateTime parses an xs:dateTime as .NET writes it: up to seven
// fractional digits, with a zone offset, "Z", or none (an unspecified
// zone, read as UTC).
func parseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad xs:dateTime %q", s)
}

// parseDuration parses an xs:duration ("PT10M", "-P1DT2H3M4.5S"). Years
// and months are refused: a .NET TimeSpan never has them.
func parseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("bad xs:duration %q", s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if !strings.HasPrefix(s, "P") || s == "P" || s == "PT" || strings.HasSuffix(s, "T") {
		return 0, bad
	}
	s = s[1:]
	var total float64
	inTime := false
	for s != "" {
		if s[0] == 'T' {
			if inTime {
				return 0, bad
			}
			inTime = true
			s = s[1:]
			continue
		}
		i := strings.IndexAny(s, "DHMS")
		if i <= 0 {
			return 0, bad
		}
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || n < 0 {
			return 0, bad
		}
		unit := s[i]
		switch {
		case unit == 'D' && !inTime:
			total += n * float64(24*time.Hour)
		case unit == 'H' && inTime:
			total += n * float64(time.Hour)
		case unit == 'M' && inTime:
			total += n * float64(time.Minute)
		case unit == 'S' && inTime:
			total += n * float64(time.Second)
		default:
			return 0, bad
		}
		s = s[i+1:]
	}
	if total > float64(1<<63-1) {
		return 0, bad
	}
	if neg {
		total = -total
	}
	return time.Duration(total), nil
}

func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

func shorten(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
