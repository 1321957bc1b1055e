// Package fields finds the fields of the Go structs that topology files
// and Exchange exports fill, by the names the files give them.
//
// A struct's keys are its exported field names, matched ignoring case as
// PowerShell matches property names. The fields of an inline struct field
// (one tagged `mailflow:"inline"`, or an embedded struct) are keys of the
// struct that holds it, and the fields of a struct field named ExceptIf
// are keys too, as "ExceptIf<Name>", the way exports write a transport
// rule's exceptions ("ExceptIfFrom").
package fields

import (
	"reflect"
	"slices"
	"strings"
	"sync"
)

// Table is the keys of one struct type. A Table is immutable and safe for
// concurrent use by multiple goroutines.
type Table struct {
	byName map[string][]int // lower-cased key → field index
	names  []string
}

// tables caches the Table of each struct type (map[reflect.Type]*Table).
var tables sync.Map

// Of returns the keys of struct type t. It panics if t is not a struct
// type.
func Of(t reflect.Type) *Table {
	if tb, ok := tables.Load(t); ok {
		return tb.(*Table)
	}
	tb := &Table{byName: map[string][]int{}}
	tb.collect(t, nil, "")
	actual, _ := tables.LoadOrStore(t, tb)
	return actual.(*Table)
}

func (tb *Table) collect(t reflect.Type, index []int, prefix string) {
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		idx := append(slices.Clone(index), i)
		if Inline(sf) {
			tb.collect(sf.Type, idx, prefix)
			continue
		}
		if sf.Name == "ExceptIf" && sf.Type.Kind() == reflect.Struct {
			tb.collect(sf.Type, idx, "ExceptIf")
		}
		tb.byName[strings.ToLower(prefix+sf.Name)] = idx
		tb.names = append(tb.names, prefix+sf.Name)
	}
}

// Inline reports whether the fields of struct field sf are keys of the
// struct that holds it: sf is a struct tagged `mailflow:"inline"`, or an
// embedded struct.
func Inline(sf reflect.StructField) bool {
	return sf.Type.Kind() == reflect.Struct && (sf.Anonymous || sf.Tag.Get("mailflow") == "inline")
}

// Index returns the index sequence of the field named name, ignoring
// case, for [reflect.Value.FieldByIndex].
func (tb *Table) Index(name string) ([]int, bool) {
	idx, ok := tb.byName[strings.ToLower(name)]
	return idx, ok
}

// Names returns the keys as the Go fields spell them, in declaration
// order (an embedded struct's where it is embedded, a struct field's
// ExceptIf keys before the field itself).
func (tb *Table) Names() []string { return slices.Clone(tb.names) }

// Field returns the field of struct value v named name, ignoring case.
func Field(v reflect.Value, name string) (reflect.Value, bool) {
	idx, ok := Of(v.Type()).Index(name)
	if !ok {
		return reflect.Value{}, false
	}
	return v.FieldByIndex(idx), true
}
