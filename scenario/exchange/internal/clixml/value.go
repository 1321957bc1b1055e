package clixml

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
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
