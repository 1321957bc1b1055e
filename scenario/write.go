package scenario

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/fields"
)

// WriteJSON writes the file in its canonical form, which [Load] reads
// back to an equal File: keys are the Go field names in declaration order
// (inline structs flattened, map keys ascending), values left at their
// zero value are omitted (an unset OptBool, an empty list), pointers are
// written even when they point to a zero value, and the JSON is indented
// by two spaces and ends with a newline. The same File always gives the
// same bytes.
func (f *File) WriteJSON(w io.Writer) error {
	var b bytes.Buffer
	if err := writeValue(&b, reflect.ValueOf(f).Elem()); err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}

// MarshalJSON writes the file as [File.WriteJSON] does, without the
// indentation: encoding/json gives the topology file format too.
func (f File) MarshalJSON() ([]byte, error) { return compactJSON(reflect.ValueOf(&f).Elem()) }

// MarshalJSON writes the message as it stands in a topology file's
// Messages: its Name, the message's keys and its Expect.
func (m FileMessage) MarshalJSON() ([]byte, error) { return compactJSON(reflect.ValueOf(&m).Elem()) }

func compactJSON(v reflect.Value) ([]byte, error) {
	var b bytes.Buffer
	if err := writeValue(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

// writeScalar writes a string, number or boolean as JSON, without HTML
// escaping (certificate names contain "<I>").
func writeScalar(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}

// omitted reports whether a field with value v is left out.
func omitted(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	}
	return v.IsZero()
}

func writeValue(b *bytes.Buffer, v reflect.Value) error {
	t := v.Type()
	switch {
	case t == optBoolType:
		return writeScalar(b, v.Interface())
	case t == modeType:
		return writeScalar(b, map[connector.SelectionMode]string{connector.MostSpecific: "MostSpecific", connector.ListedOrder: "ListedOrder"}[v.Interface().(connector.SelectionMode)])
	case t.Implements(textMarshalerType) && t.Kind() != reflect.Pointer:
		text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return err
		}
		return writeScalar(b, string(text))
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64:
		return writeScalar(b, v.Interface())
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		return writeValue(b, v.Elem())
	case reflect.Slice:
		return writeList(b, v)
	case reflect.Map:
		return writeMap(b, v)
	case reflect.Struct:
		b.WriteByte('{')
		first := true
		if err := writeFields(b, v, &first); err != nil {
			return err
		}
		b.WriteByte('}')
		return nil
	}
	return fmt.Errorf("scenario: cannot write %s", t)
}

// writeList writes a slice as a JSON list.
func writeList(b *bytes.Buffer, v reflect.Value) error {
	b.WriteByte('[')
	for i := range v.Len() {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeValue(b, v.Index(i)); err != nil {
			return err
		}
	}
	b.WriteByte(']')
	return nil
}

// writeMap writes a map with string keys as a JSON object, keys
// ascending.
func writeMap(b *bytes.Buffer, v reflect.Value) error {
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, c reflect.Value) int { return strings.Compare(a.String(), c.String()) })
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeScalar(b, k.String()); err != nil {
			return err
		}
		b.WriteByte(':')
		if err := writeValue(b, v.MapIndex(k)); err != nil {
			return err
		}
	}
	b.WriteByte('}')
	return nil
}

// writeFields writes the fields of struct v that are not omitted as
// "Name":value members, those of inline structs in their place; first is
// whether no member has been written yet.
func writeFields(b *bytes.Buffer, v reflect.Value, first *bool) error {
	for i := range v.NumField() {
		sf, fv := v.Type().Field(i), v.Field(i)
		switch {
		case !sf.IsExported():
			continue
		case fields.Inline(sf):
			if err := writeFields(b, fv, first); err != nil {
				return err
			}
			continue
		case omitted(fv):
			continue
		}
		if !*first {
			b.WriteByte(',')
		}
		*first = false
		if err := writeScalar(b, sf.Name); err != nil {
			return err
		}
		b.WriteByte(':')
		if err := writeValue(b, fv); err != nil {
			return err
		}
	}
	return nil
}
