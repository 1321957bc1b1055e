package exchange

import (
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/fields"
)

// converter converts one record, tracking which properties it used.
type converter struct {
	rec   *record
	fam   *family
	used  map[string]bool // lower-cased property names
	notes *[]note
}

// convert converts r, an object of cmdlet family c, into an item; the
// item's val is nil when the object is dropped. Notes go to notes.
func convert(c cmdlet, r *record, notes *[]note) item {
	conv := &converter{rec: r, fam: &families[c], used: map[string]bool{}, notes: notes}
	return item{rec: r, cmdlet: c, val: conv.fam.convert(conv)}
}

// take returns the property named name and marks it used.
func (c *converter) take(name string) (value, bool) {
	v, ok := c.rec.get(name)
	if ok {
		c.used[strings.ToLower(name)] = true
	}
	return v, ok
}

// note records a note about property prop, showing its value v.
func (c *converter) note(prop, message string, v value) {
	*c.notes = append(*c.notes, note{file: c.rec.file, index: c.rec.index, path: c.rec.path(), prop: prop,
		message: message, value: v.render()})
}

// bad records that v, the value of prop, is not what the field takes.
func (c *converter) bad(prop string, v value, what string) {
	*c.notes = append(*c.notes, note{file: c.rec.file, index: c.rec.index, path: c.rec.path(), prop: prop,
		message: fmt.Sprintf("not imported: %s is not %s", v.render(), what)})
}

// enum reads an enum property by name or number.
func (c *converter) enum(prop string, table map[int64]string) (string, bool) {
	v, ok := c.take(prop)
	if !ok || v.kind == nullValue {
		return "", false
	}
	if v.kind == objectValue && v.text != "" || v.kind == stringValue {
		for _, name := range table { // names differ ignoring case: one matches at most
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

// flags reads a flags enum: "A, B", a list of names, or a number whose
// bit i is bits[i].
func (c *converter) flags(prop string, bits []string) []string {
	v, ok := c.take(prop)
	if !ok || v.kind == nullValue {
		return nil
	}
	if v.kind == numberValue || v.kind == objectValue && v.text == "" && v.hasNum {
		return c.flagsOfNumber(prop, v, bits)
	}
	list, ok := v.strs()
	if !ok {
		c.bad(prop, v, "a list of names")
		return nil
	}
	var names []string
	for _, s := range list {
		for part := range strings.SplitSeq(s, ",") {
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

// flagsOfNumber reads a flags enum given as a number.
func (c *converter) flagsOfNumber(prop string, v value, bits []string) []string {
	if v.num < 0 || v.num >= 1<<len(bits) {
		c.bad(prop, v, "a combination of "+strings.Join(bits, ", "))
		return nil
	}
	var names []string
	for i, b := range bits {
		if v.num&(1<<i) != 0 {
			names = append(names, b)
		}
	}
	return names
}

// list reads a multi-valued property of strings, applying fix to each
// entry; entries fix refuses are reported as not being what, and dropped.
func (c *converter) list(prop string, fix func(string) (string, bool), what string) []string {
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
			c.bad(prop, value{kind: stringValue, text: s}, what)
			continue
		}
		out = append(out, f)
	}
	return out
}

// smtpDomain strips the "smtp:" prefix and ";N" cost of a domain entry:
// SenderDomains "smtp:*;1" is "*".
func smtpDomain(s string) (string, bool) {
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

// smartHost strips the brackets of an IP smart host: "[192.0.2.1]".
func smartHost(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if _, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			s = s[1 : len(s)-1]
		}
	}
	return s, s != ""
}

// nonEmpty keeps an entry as it is, trimmed, refusing an empty one.
func nonEmpty(s string) (string, bool) { s = strings.TrimSpace(s); return s, s != "" }

// rest converts the properties no special rule took: into target's
// field of the same name (ignoring case, as [fields.Field] finds it)
// when there is one, else skipped or reported. target may be the zero
// Value: then every property is skipped or reported.
func (c *converter) rest(target reflect.Value) {
	for _, p := range c.rec.props {
		key := strings.ToLower(p.name)
		if c.used[key] {
			continue
		}
		c.used[key] = true
		if target.IsValid() && c.setField(target, p.name, p.v) {
			continue
		}
		switch {
		case skipAll[key] || c.fam.skip[key]:
		case p.v.empty(), p.v.zero():
			// null, empty, false or 0: no setting to lose
		case c.fam.unmodelled[key]:
			c.note(p.name, "not imported: not modelled by the simulator", p.v)
		default:
			c.note(p.name, "not imported: unknown property", p.v)
		}
	}
}

// setter sets field f from v, the value of property prop, reporting a
// value of the wrong type.
type setter func(c *converter, f reflect.Value, prop string, v value)

var optBoolType = reflect.TypeFor[connector.OptBool]()

// setterOf returns the setter of a field of type t, or nil if the
// importer does not set fields of that type.
func setterOf(t reflect.Type) setter {
	switch k := t.Kind(); {
	case t == optBoolType:
		return setOptBool
	case k == reflect.String:
		return setString
	case k == reflect.Bool:
		return setBool
	case k == reflect.Int:
		return setInt
	case k == reflect.Pointer && t.Elem().Kind() == reflect.Int:
		return setIntPointer
	case k == reflect.Slice && t.Elem().Kind() == reflect.String:
		return setStrings
	}
	return nil
}

// setField sets the field named prop from v and reports whether the
// target has such a field of a type it can set; values of the wrong type
// are reported. A null leaves a scalar field unset.
func (c *converter) setField(target reflect.Value, prop string, v value) bool {
	f, ok := fields.Field(target, prop)
	if !ok {
		return false
	}
	set := setterOf(f.Type())
	if set == nil {
		return false
	}
	if v.kind == nullValue && f.Kind() != reflect.Slice {
		return true // null carries no setting: the field stays unset
	}
	set(c, f, prop, v)
	return true
}

func setOptBool(c *converter, f reflect.Value, prop string, v value) {
	if b, ok := v.boolean(); ok {
		f.Set(reflect.ValueOf(connector.OptBoolOf(b)))
	} else {
		c.bad(prop, v, "true, false or null")
	}
}

func setString(c *converter, f reflect.Value, prop string, v value) {
	if s, ok := v.str(); ok || v.empty() {
		f.SetString(s)
	} else {
		c.bad(prop, v, "a string")
	}
}

func setBool(c *converter, f reflect.Value, prop string, v value) {
	if b, ok := v.boolean(); ok {
		f.SetBool(b)
	} else {
		c.bad(prop, v, "true or false")
	}
}

func setInt(c *converter, f reflect.Value, prop string, v value) {
	if n, ok := v.integer(); ok {
		f.SetInt(n)
	} else {
		c.bad(prop, v, "a whole number")
	}
}

func setIntPointer(c *converter, f reflect.Value, prop string, v value) {
	if n, ok := v.integer(); ok {
		p := reflect.New(f.Type().Elem())
		p.Elem().SetInt(n)
		f.Set(p)
	} else {
		c.bad(prop, v, "a whole number")
	}
}

func setStrings(c *converter, f reflect.Value, prop string, v value) {
	list, ok := v.strs()
	if !ok {
		c.bad(prop, v, "a list of strings")
		return
	}
	if len(list) == 0 {
		return
	}
	s := reflect.MakeSlice(f.Type(), len(list), len(list))
	for i, e := range list {
		s.Index(i).SetString(e)
	}
	f.Set(s)
}
